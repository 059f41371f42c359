/* Tests of the direct request reader (cd_request_read_direct, on
 * cd_request_read.c and cd_json_direct.c's value reader): on every text,
 * cedar_request_parse_json must give the request (uids with their hashes,
 * context) or the error (message, file, line, column) that the way through
 * jansson gives
 * (cd_requests_read_direct = false), and the forms the reader is meant for
 * must really be read directly (else the comparison would test nothing).
 * The integration tests' format (uids as objects, validateRequest), which
 * DRT reads, is compared with the jansson reading DRT falls back to. */
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"
#include "cd_json_impl.h"
#include "t_api.h"

static const char *const SCHEMA = "entity User in [Group]; entity Group;\n"
                                  "entity Doc { owner: User, tags?: Set<String> };\n"
                                  "action view appliesTo { principal: [User], resource: [Doc],\n"
                                  "  context: { ip: ipaddr, n?: Long, who?: User,\n"
                                  "             r?: { a: Long, b?: Set<decimal> } } };\n"
                                  "action ping appliesTo { principal: User, resource: Doc };\n";

static bool same_request(const cedar_request *x, const cedar_request *y)
{
    const cd_value *a[] = {&x->rq.principal, &x->rq.action, &x->rq.resource, &x->rq.context};
    const cd_value *b[] = {&y->rq.principal, &y->rq.action, &y->rq.resource, &y->rq.context};
    for (int i = 0; i < 4; i++) {
        if (!cd_value_eq(a[i], b[i])) return false;
        if (i < 3 && a[i]->u.uid.hash != b[i]->u.uid.hash) return false;
    }
    return true;
}

static bool same_error(const cedar_error *x, const cedar_error *y)
{
    return x->message && y->message && strcmp(x->message, y->message) == 0 && x->line == y->line &&
           x->column == y->column &&
           ((!x->file && !y->file) || (x->file && y->file && strcmp(x->file, y->file) == 0));
}

/* len bytes in the CLI's format read both ways: the same request or the same
 * error. Returns 1 when read, 0 on an error (then *msg, if not NULL, gets a
 * copy of its formatted message). */
static int both(const char *json, size_t len, const cedar_schema *s, bool validate, char **msg)
{
    cedar_error e[2] = {{0}, {0}};
    cedar_request *rq[2];
    for (int k = 0; k < 2; k++) {
        cd_requests_read_direct = k == 0;
        rq[k] = cedar_request_parse_json(json, len, s, validate, "rq.json", &e[k]);
    }
    cd_requests_read_direct = true;
    bool same = rq[0] && rq[1]     ? same_request(rq[0], rq[1])
                : !rq[0] && !rq[1] ? same_error(&e[0], &e[1])
                                   : false;
    if (!same)
        fprintf(stderr, "  the readers differ on: %.*s\n  direct: %s\n  jansson: %s\n", (int)len,
                json, rq[0] ? "read" : e[0].message, rq[1] ? "read" : e[1].message);
    T_CHECK(same);
    int r = rq[1] != NULL;
    if (!rq[1]) {
        T_CHECK(e[1].message != NULL);
        if (msg) *msg = cedar_error_format(&e[1]);
    }
    for (int k = 0; k < 2; k++) {
        cedar_request_free(rq[k]);
        cedar_error_clear(&e[k]);
    }
    return r;
}

/* Is json read without giving up? */
static bool direct(const char *json, const cedar_schema *s, bool cli)
{
    bool v = false;
    cedar_request *rq = cd_request_read_direct(json, strlen(json), s, cli, &v);
    cedar_request_free(rq);
    return rq != NULL;
}

/* A CLI request the direct reader reads, as the jansson path does. */
static void reads(const char *json, const cedar_schema *s)
{
    if (!direct(json, s, true)) fprintf(stderr, "  not read directly: %s\n", json);
    T_CHECK(direct(json, s, true));
    T_CHECK(both(json, strlen(json), s, true, NULL) == 1);
}

/* A CLI request left to the jansson path, read the same either way. */
static void gives_up(const char *json, const cedar_schema *s)
{
    if (direct(json, s, true)) fprintf(stderr, "  read directly: %s\n", json);
    T_CHECK(!direct(json, s, true));
    both(json, strlen(json), s, true, NULL);
}

/* A CLI request that fails with a message containing want (both ways). */
static void fails(const char *json, const cedar_schema *s, const char *want)
{
    char *msg = NULL;
    T_CHECK(both(json, strlen(json), s, true, &msg) == 0);
    T_CHECK(t_has(msg, want));
    free(msg);
}

/* ---- the CLI's format ---------------------------------------------------- */

static void test_common_forms(void)
{
    cedar_schema *s = t_schema_text(SCHEMA);
    const char *ok[] = {
        "{\"principal\": \"User::\\\"alice\\\"\", \"action\": \"Action::\\\"view\\\"\", "
        "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {\"ip\": \"10.0.0.1\"}}",
        /* the keys' escapes, white space everywhere, ids empty */
        " {\n\"princip\\u0061l\" :\"User::\\\"\\\"\",\t\"action\":\"Action::\\\"view\\\"\","
        "\"resource\":\"Doc::\\\"\\\"\" ,\"context\":{\"ip\":\"::1\","
        "\"n\": -9223372036854775808, \"who\": {\"type\": \"User\", \"id\": \"b\\u00e9\"},"
        "\"r\": {\"a\": 0, \"b\": [\"1.5\", {\"__extn\": {\"fn\": \"decimal\", \"arg\": "
        "\"2.0\"}}]}}"
        "} \r\n",
        /* no context, and a context type without required attributes */
        "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"ping\\\"\", "
        "\"resource\": \"Doc::\\\"d\\\"\"}",
        "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"ping\\\"\", "
        "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {}}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        reads(ok[i], s);
    /* without a schema: any record, escapes for uids and extension values */
    reads("{\"principal\": \"A::B::\\\"x y\\\"\", \"action\": \"Action::\\\"a\\\"\", "
          "\"resource\": \"R::\\\"r\\\"\", \"context\": {\"e\": {\"__entity\": {\"type\": "
          "\"U\", \"id\": \"u\"}}, \"x\": {\"__extn\": {\"fn\": \"ip\", \"arg\": \"1.2.3.4\"}},"
          " \"s\": [[], {}, true, false, \"\"]}}",
          NULL);
    /* where an extension type is declared, a call as {"fn": F, "arg": A} without the escape */
    reads("{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"view\\\"\", "
          "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {\"ip\": {\"fn\": \"ip\", "
          "\"arg\": \"::1\"}}}",
          s);
    cedar_schema_free(s);
}

static void test_left_to_jansson(void)
{
    cedar_schema *s = t_schema_text(SCHEMA);
    const char *rest = "\"action\": \"Action::\\\"view\\\"\", \"resource\": \"Doc::\\\"d\\\"\", "
                       "\"context\": {\"ip\": \"10.0.0.1\"}}";
    char buf[512];
    /* uids the plain form does not cover (cd_parse_uid reads them), and a
     * string with a NUL, which jansson's path reads up to the NUL */
    const char *uids[] = {"\"User :: \\\"a\\\"\"", "\"User::\\\"a\\\\u{62}\\\"\"",
                          "\"User::\\\"a\\\"\\u0000x\"", "\"User::\\\"\\u0000\\\"\""};
    for (size_t i = 0; i < sizeof uids / sizeof *uids; i++) {
        snprintf(buf, sizeof buf, "{\"principal\": %s, %s", uids[i], rest);
        gives_up(buf, s);
    }
    /* a repeated key (the last wins), an unknown key; the context first, the
     * tests' validateRequest, an undeclared action, a context that is not a
     * record (an escape, a string) */
    const char *odd[] = {
        "{\"principal\": \"User::\\\"a\\\"\", \"principal\": \"User::\\\"b\\\"\", %s",
        "{\"principal\": \"User::\\\"a\\\"\", \"x\": 1, %s",
    };
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        snprintf(buf, sizeof buf, odd[i], rest);
        gives_up(buf, s);
    }
    gives_up("{\"context\": {\"ip\": \"10.0.0.1\"}, \"principal\": \"User::\\\"a\\\"\", "
             "\"action\": \"Action::\\\"view\\\"\", \"resource\": \"Doc::\\\"d\\\"\"}",
             s);
    gives_up("{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"view\\\"\", "
             "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {\"ip\": \"10.0.0.1\"}, "
             "\"validateRequest\": true}",
             s);
    gives_up("{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"nope\\\"\", "
             "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {}}",
             s);
    gives_up("{\"principal\": \"A::\\\"a\\\"\", \"action\": \"Action::\\\"a\\\"\", "
             "\"resource\": \"R::\\\"d\\\"\", \"context\": {\"__entity\": {\"type\": \"U\", "
             "\"id\": \"u\"}}}",
             NULL);
    gives_up("{\"principal\": \"A::\\\"a\\\"\", \"action\": \"Action::\\\"a\\\"\", "
             "\"resource\": \"R::\\\"d\\\"\", \"context\": \"x\"}",
             NULL);
    cedar_schema_free(s);
}

static void test_errors_keep_their_places(void)
{
    cedar_schema *s = t_schema_text(SCHEMA);
    fails("{\"principal\": 1}", s, "`principal` must be a string");
    fails("[]", s, "a request must be a JSON object");
    fails("{\"principal\": \"User::\\\"a\\\"\",\n \"action\": \"Action::\\\"view\\\"\",\n"
          " \"resource\": \"Doc::\\\"d\\\"\",\n \"context\": {\"ip\": \"10.0.0.1\" x}}",
          s, "rq.json:4:");
    /* validation: a principal the action does not apply to; a required
     * attribute missing; an attribute of the wrong type */
    fails("{\"principal\": \"Group::\\\"g\\\"\", \"action\": \"Action::\\\"view\\\"\", "
          "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {\"ip\": \"10.0.0.1\"}}",
          s, "principal type `Group` is not valid");
    fails("{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"view\\\"\", "
          "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {}}",
          s, "ip");
    fails("{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"view\\\"\", "
          "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {\"ip\": \"10.0.0.1\", \"n\": \"x\"}}",
          s, "does not conform");
    cedar_schema_free(s);
}

/* Every prefix of a request (truncated JSON), and every one-byte change to
 * it, read the same both ways. */
static void test_truncated_and_mutated(void)
{
    cedar_schema *s = t_schema_text(SCHEMA);
    const char *good = "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"Action::\\\"view\\\"\", "
                       "\"resource\": \"Doc::\\\"d\\\"\", \"context\": {\"ip\": \"10.0.0.1\", "
                       "\"n\": 12, \"r\": {\"a\": 1, \"b\": [\"1.0\"]}}}";
    size_t n = strlen(good);
    for (size_t k = 0; k < n; k++)
        T_CHECK(both(good, k, s, true, NULL) == 0);
    char *m = malloc(n + 1);
    static const char subst[] = {'"', '\\', '{', '}', '[',    ']',    ',',
                                 ':', ' ',  '0', 'x', '\x01', '\x80', '\xff'};
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < sizeof subst; j++) {
            memcpy(m, good, n + 1);
            m[k] = subst[j];
            both(m, n, s, true, NULL);
            both(m, n, NULL, false, NULL);
        }
    free(m);
    cedar_schema_free(s);
}

static void test_hostile(void)
{
    cedar_schema *s = t_schema_text(SCHEMA);
    char buf[4096];
    const char *head = "{\"principal\": \"A::\\\"a\\\"\", \"action\": \"Action::\\\"a\\\"\", "
                       "\"resource\": \"R::\\\"d\\\"\", \"context\": ";
    /* nesting: the reader's limit (32), jansson's (127) and beyond */
    int depths[] = {30, 31, 32, 33, 126, 127, 128, 400};
    for (size_t d = 0; d < sizeof depths / sizeof *depths; d++) {
        size_t w = (size_t)snprintf(buf, sizeof buf, "%s{\"a\": ", head);
        for (int i = 0; i < depths[d]; i++)
            buf[w++] = '[';
        for (int i = 0; i < depths[d]; i++)
            buf[w++] = ']';
        w += (size_t)snprintf(buf + w, sizeof buf - w, "}}");
        both(buf, w, NULL, false, NULL);
    }
    /* numbers out of range or not Cedar longs; invalid UTF-8 in a string, a
     * key and an id */
    const char *values[] = {"9223372036854775808",
                            "-9223372036854775809",
                            "1e400",
                            "99999999999999999999999999",
                            "-0",
                            "1.5",
                            "01",
                            "\"\xc3\x28\"",
                            "\"\xed\xa0\x80\"",
                            "\"\\ud800\"",
                            "\"\\ud83d\\ude00\"",
                            "null"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        int w = snprintf(buf, sizeof buf, "%s{\"a\": %s}}", head, values[i]);
        both(buf, (size_t)w, NULL, false, NULL);
    }
    int w = snprintf(buf, sizeof buf, "%s{\"\xff\": 1}}", head);
    T_CHECK(both(buf, (size_t)w, NULL, false, NULL) == 0);
    const char *bad_id = "{\"principal\": \"A::\\\"\xc3\x28\\\"\", \"action\": "
                         "\"Action::\\\"a\\\"\", \"resource\": \"R::\\\"d\\\"\"}";
    T_CHECK(both(bad_id, strlen(bad_id), NULL, false, NULL) == 0);
    T_CHECK(both("", 0, s, true, NULL) == 0);
    T_CHECK(both(NULL, 0, s, true, NULL) == 0);
    cedar_schema_free(s);
}

/* ---- the integration tests' format (DRT) --------------------------------- */

/* The request as DRT reads it without the direct reader: jansson, then
 * cd_json_to_uid and cd_context_from_json. */
static cedar_request *jansson_test_format(const char *json, const cedar_schema *schema,
                                          bool *validate)
{
    cd_err e = {0};
    json_t *j = cd_json_parse(json, strlen(json), CD_JSON_LAST_KEY_WINS, "rq", &e);
    cedar_request *rq = calloc(1, sizeof *rq);
    rq->arena = cd_arena_new();
    static const char *const vars[] = {"principal", "action", "resource"};
    cd_value *slots[] = {&rq->rq.principal, &rq->rq.action, &rq->rq.resource};
    bool ok = j != NULL;
    for (int i = 0; ok && i < 3; i++) {
        cd_uid u;
        const json_t *v = json_object_get(j, vars[i]);
        ok = v && cd_json_to_uid(v, rq->arena, vars[i], &u, &e);
        if (ok) *slots[i] = cd_entityv(u);
    }
    json_t *ctx = ok ? json_object_get(j, "context") : NULL;
    json_t *empty = ctx ? NULL : json_object();
    ok = ok && cd_context_from_json(ctx ? ctx : empty, schema ? schema->s : NULL,
                                    &rq->rq.action.u.uid, rq->arena, &rq->rq.context, &e);
    *validate = ok && json_is_true(json_object_get(j, "validateRequest"));
    json_decref(empty);
    json_decref(j);
    cd_err_clear(&e);
    if (!ok) cedar_request_free(rq);
    return ok ? rq : NULL;
}

static void test_format(const char *json, const cedar_schema *s, bool want_direct)
{
    bool v1 = false, v2 = false;
    cedar_request *a = cd_request_read_direct(json, strlen(json), s, false, &v1);
    cedar_request *b = jansson_test_format(json, s, &v2);
    if ((a != NULL) != want_direct) fprintf(stderr, "  direct: %s: %s\n", a ? "read" : "not", json);
    T_CHECK((a != NULL) == want_direct);
    if (a) T_CHECK(b && same_request(a, b) && v1 == v2);
    cedar_request_free(a);
    cedar_request_free(b);
}

static void test_tests_format(void)
{
    cedar_schema *s = t_schema_text(SCHEMA);
    test_format("{\"principal\": {\"type\": \"User\", \"id\": \"a\"}, \"action\": {\"__entity\": "
                "{\"id\": \"view\", \"type\": \"Action\"}}, \"resource\": {\"type\": \"Doc\", "
                "\"id\": \"\\u0064\"}, \"context\": {\"ip\": \"1.2.3.4\"}, "
                "\"validateRequest\": true}",
                s, true);
    test_format("{\"principal\": {\"type\": \"User\", \"id\": \"a\"}, \"action\": {\"type\": "
                "\"Action\", \"id\": \"ping\"}, \"resource\": {\"type\": \"Doc\", \"id\": \"d\"}, "
                "\"validateRequest\": false}",
                s, true);
    test_format("{\"principal\": {\"type\": \"A::B\", \"id\": \"\"}, \"action\": {\"type\": "
                "\"Action\", \"id\": \"x\"}, \"resource\": {\"type\": \"R\", \"id\": \"d\"}, "
                "\"context\": {\"k\": [1, \"s\"]}}",
                NULL, true);
    /* left to jansson: the array form of a uid, other keys in a uid, a type
     * that is not a name, a uid as a string, a repeated key */
    const char *other[] = {
        "{\"principal\": [\"User\", \"a\"], \"action\": {\"type\": \"Action\", \"id\": \"x\"}, "
        "\"resource\": {\"type\": \"R\", \"id\": \"d\"}}",
        "{\"principal\": {\"type\": \"User\", \"id\": \"a\", \"x\": 1}, \"action\": {\"type\": "
        "\"Action\", \"id\": \"x\"}, \"resource\": {\"type\": \"R\", \"id\": \"d\"}}",
        "{\"principal\": {\"type\": \"if\", \"id\": \"a\"}, \"action\": {\"type\": \"Action\", "
        "\"id\": \"x\"}, \"resource\": {\"type\": \"R\", \"id\": \"d\"}}",
        "{\"principal\": \"User::\\\"a\\\"\", \"action\": {\"type\": \"Action\", \"id\": \"x\"}, "
        "\"resource\": {\"type\": \"R\", \"id\": \"d\"}}",
        "{\"principal\": {\"type\": \"User\", \"type\": \"U\", \"id\": \"a\"}, \"action\": "
        "{\"type\": \"Action\", \"id\": \"x\"}, \"resource\": {\"type\": \"R\", \"id\": \"d\"}}",
    };
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        test_format(other[i], NULL, false);
    cedar_schema_free(s);
}

int main(void)
{
    T_RUN(test_common_forms);
    T_RUN(test_left_to_jansson);
    T_RUN(test_errors_keep_their_places);
    T_RUN(test_truncated_and_mutated);
    T_RUN(test_hostile);
    T_RUN(test_tests_format);
    T_DONE();
}
