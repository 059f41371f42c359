/* Tests of the entity store, JSON values, contexts and request validation
 * (cd_entities.c, cd_json_value.c, cd_json_parse.c, cd_conform.c,
 * cd_request.c). Expectations follow the official implementation's rules. */
#include <stdlib.h>

#include "cd_entities.h"
#include "t.h"

/* ---- helpers ----------------------------------------------------------- */

static cd_schema *schema(const char *text)
{
    cd_err e = {0};
    cd_schema *s = cd_schema_parse_text(text, strlen(text), "test.cedarschema", &e);
    if (!s) fprintf(stderr, "schema error: %s\n", e.message ? e.message : "?");
    cd_err_clear(&e);
    return s;
}

static cd_entities *load(const char *json, const cd_schema *s)
{
    cd_err e = {0};
    cd_entities *es = cd_entities_load_json(json, strlen(json), "e.json", s, &e);
    if (!es) fprintf(stderr, "unexpected load error: %s\n", e.message);
    cd_err_clear(&e);
    return es;
}

/* Loading must fail with a message containing want; returns the error's line. */
static unsigned load_fails(const char *json, const cd_schema *s, const char *want)
{
    cd_err e = {0};
    cd_entities *es = cd_entities_load_json(json, strlen(json), "e.json", s, &e);
    unsigned line = e.loc.line;
    if (es) {
        fprintf(stderr, "loaded, but expected an error containing \"%s\"\n", want);
        t_failed_checks++;
        cd_entities_free(es);
    } else if (!e.message || !strstr(e.message, want)) {
        fprintf(stderr, "error \"%s\" does not contain \"%s\"\n", e.message ? e.message : "", want);
        t_failed_checks++;
    } else if (!e.file || strcmp(e.file, "e.json") != 0) {
        fprintf(stderr, "error without the file name: %s\n", e.message);
        t_failed_checks++;
    }
    cd_err_clear(&e);
    return line;
}

static json_t *parse(const char *text)
{
    cd_err e = {0};
    json_t *j = cd_json_parse(text, strlen(text), 0, "t", &e);
    if (!j) fprintf(stderr, "unexpected JSON error: %s\n", e.message);
    cd_err_clear(&e);
    return j;
}

/* Value of a JSON text read without a type, printed in Cedar syntax; or
 * "ERROR: <message>". */
static char printed[4096];
static const char *value_of(const char *text, const cd_type *t, const cd_schema *s)
{
    cd_err e = {0};
    json_t *j = cd_json_parse(text, strlen(text), 0, "t", &e);
    cd_arena *a = cd_arena_new();
    cd_value v;
    if (!j) {
        snprintf(printed, sizeof printed, "ERROR: %s", e.message);
    } else if (!cd_json_to_value(j, t, s, a, "value", &v, &e)) {
        snprintf(printed, sizeof printed, "ERROR: %s", e.message);
    } else {
        cd_buf b;
        cd_buf_init(&b);
        cd_value_print(&b, &v);
        snprintf(printed, sizeof printed, "%s", cd_buf_cstr(&b));
        cd_buf_free(&b);
    }
    json_decref(j);
    cd_arena_free(a);
    cd_err_clear(&e);
    return printed;
}

#define T_ERR(got, substr)                                                                         \
    do {                                                                                           \
        const char *g2_ = (got);                                                                   \
        if (strncmp(g2_, "ERROR: ", 7) != 0 || !strstr(g2_, (substr))) {                           \
            fprintf(stderr, "%s:%d: got \"%s\", want an error with \"%s\"\n", __FILE__, __LINE__,  \
                    g2_, (substr));                                                                \
            t_failed_checks++;                                                                     \
        }                                                                                          \
    } while (0)

static cd_uid uid(const char *type, const char *id)
{
    return (cd_uid){cd_name_intern(NULL, type, strlen(type)), cd_str_from_c(id), 0};
}

static bool in(const cd_entities *es, const char *t1, const char *i1, const char *t2,
               const char *i2)
{
    cd_uid a = uid(t1, i1), b = uid(t2, i2);
    return cd_entities_in(es, &a, &b);
}

/* ---- JSON text --------------------------------------------------------- */

static void test_json_parse(void)
{
    cd_err e = {0};
    T_CHECK(!cd_json_parse("[1,\n  2,,3]", 11, 0, "f.json", &e));
    T_CHECK(e.loc.line == 2 && e.loc.column == 5);
    T_CHECK_STR(e.file, "f.json");
    T_CHECK(e.message && strstr(e.message, "invalid JSON"));
    cd_err_clear(&e);
    const char *bad[] = {
        "",      "[1,2",  "[1,]",           "{\"a\":1,}", "01",          "1.",          ".5",
        "[1] x", "nul",   "\"\\x\"",        "\"\x01\"",   "\"\\ud800\"", "\"\\udc00\"", "\"\xff\"",
        "1e999", "{1:2}", "\xef\xbb\xbf[]", "[1 2]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *j = cd_json_parse(bad[i], strlen(bad[i]), 0, "f", &e);
        if (j) fprintf(stderr, "accepted bad JSON #%zu\n", i);
        T_CHECK(!j && e.message);
        json_decref(j);
        cd_err_clear(&e);
    }
    /* duplicate keys: an error, unless the last one wins on request */
    const char *dup = "{\"a\": 1, \"b\": {\"a\": 2, \"a\": 3}}";
    T_CHECK(!cd_json_parse(dup, strlen(dup), 0, "f", &e));
    T_CHECK(e.message && strstr(e.message, "duplicate key") && e.loc.column == 24);
    cd_err_clear(&e);
    json_t *j = cd_json_parse(dup, strlen(dup), CD_JSON_LAST_KEY_WINS, "f", &e);
    T_CHECK(j && json_integer_value(json_object_get(json_object_get(j, "b"), "a")) == 3);
    json_decref(j);
    /* NUL in strings and keys; surrogate pairs */
    j = parse("{\"a\\u0000b\": \"x\\u0000y\", \"e\": \"\\ud83d\\ude00\\u00e9\"}");
    T_CHECK(j && json_object_getn(j, "a\0b", 3) &&
            json_string_length(json_object_getn(j, "a\0b", 3)) == 3);
    T_CHECK(j &&
            strcmp(json_string_value(json_object_get(j, "e")), "\xf0\x9f\x98\x80\xc3\xa9") == 0);
    json_decref(j);
    /* numbers: integers in range stay integers; -0 and the rest are reals */
    j = parse("[-9223372036854775808, 9223372036854775807, 9223372036854775808, -0, 1.0, 1e2, "
              "-0.5]");
    T_CHECK(j && json_is_integer(json_array_get(j, 0)) &&
            json_integer_value(json_array_get(j, 0)) == INT64_MIN);
    T_CHECK(j && json_is_integer(json_array_get(j, 1)));
    for (size_t i = 2; j && i < 7; i++)
        T_CHECK(json_is_real(json_array_get(j, i)));
    json_decref(j);
    /* nesting: 127 levels parse, 128 do not (as serde_json) */
    char deep[300];
    memset(deep, '[', 127);
    memset(deep + 127, ']', 127);
    j = cd_json_parse(deep, 254, 0, "f", &e);
    T_CHECK(j != NULL);
    json_decref(j);
    memset(deep, '[', 128);
    memset(deep + 128, ']', 128);
    T_CHECK(!cd_json_parse(deep, 256, 0, "f", &e));
    T_CHECK(e.message && strstr(e.message, "127") && e.loc.column == 128);
    cd_err_clear(&e);
}

/* ---- values ------------------------------------------------------------ */

static void test_plain_values(void)
{
    T_CHECK_STR(value_of("true", NULL, NULL), "true");
    T_CHECK_STR(value_of("-9223372036854775808", NULL, NULL), "-9223372036854775808");
    T_CHECK_STR(value_of("\"a\\\"b\\n\"", NULL, NULL), "\"a\\\"b\\n\"");
    /* arrays are sets: sorted, duplicates removed */
    T_CHECK_STR(value_of("[3, 1, 3, [2, 2]]", NULL, NULL), value_of("[1, 3, [2]]", NULL, NULL));
    T_CHECK_STR(value_of("{\"b\": [], \"a\": {\"c\": false}}", NULL, NULL),
                "{\"a\": {\"c\": false}, \"b\": []}");
    T_CHECK_STR(
        value_of("{\"__entity\": {\"type\": \"NS::User\", \"id\": \"a\\u0000\"}}", NULL, NULL),
        "NS::User::\"a\\0\"");
    /* unknown keys inside an escape are ignored */
    T_CHECK_STR(
        value_of("{\"__entity\": {\"type\": \"U\", \"id\": \"x\", \"more\": 1}}", NULL, NULL),
        "U::\"x\"");
    T_CHECK_STR(value_of("{\"__extn\": {\"fn\": \"decimal\", \"arg\": \"1.5\"}}", NULL, NULL),
                "decimal(\"1.5000\")");
    T_CHECK_STR(value_of("{\"__extn\": {\"fn\": \"ip\", \"args\": [\"10.0.0.1/8\"]}}", NULL, NULL),
                "ip(\"10.0.0.1/8\")");
    /* any extension function may be called, e.g. offset (seen in real data) */
    T_CHECK_STR(
        value_of("{\"__extn\": {\"fn\": \"offset\", \"args\": [{\"__extn\": {\"fn\": "
                 "\"datetime\", \"arg\": \"2024-01-01\"}}, {\"__extn\": {\"fn\": \"duration\", "
                 "\"arg\": \"1d\"}}]}}",
                 NULL, NULL),
        "datetime(\"2024-01-02\")");
    T_CHECK_STR(value_of("{\"__extn\": {\"fn\": \"isIpv4\", \"arg\": {\"__extn\": {\"fn\": \"ip\", "
                         "\"arg\": \"1.2.3.4\"}}}}",
                         NULL, NULL),
                "true");
    /* objects that are not well-formed escapes are records */
    T_CHECK_STR(value_of("{\"__extn\": {\"fn\": \"decimal\"}}", NULL, NULL),
                "{\"__extn\": {\"fn\": \"decimal\"}}");
    T_CHECK_STR(value_of("{\"__entity\": {\"type\": \"U\"}, \"x\": 1}", NULL, NULL),
                "{\"__entity\": {\"type\": \"U\"}, \"x\": 1}");
    T_CHECK_STR(value_of("{\"__expr\": 1}", NULL, NULL), "{\"__expr\": 1}");
    /* a well-formed escape beside another key is a record too (cedar-wasm 4.10
     * agrees; the typed reader of an entity attribute takes the escape instead,
     * see test_schema_typing) */
    T_CHECK_STR(value_of("{\"__entity\": {\"type\": \"U\", \"id\": \"a\"}, \"k\": 1}", NULL, NULL),
                "{\"__entity\": {\"id\": \"a\", \"type\": \"U\"}, \"k\": 1}");
    T_CHECK_STR(value_of("{\"__extn\": {\"fn\": \"ip\", \"arg\": \"::1\"}, \"k\": 1}", NULL, NULL),
                "{\"__extn\": {\"arg\": \"::1\", \"fn\": \"ip\"}, \"k\": 1}");
    /* errors */
    T_ERR(value_of("null", NULL, NULL), "null");
    T_ERR(value_of("[1, {\"a\": 1.5}]", NULL, NULL), "integers");
    T_ERR(value_of("-0", NULL, NULL), "integers");
    T_ERR(value_of("9223372036854775808", NULL, NULL), "integers");
    T_ERR(value_of("{\"a\": [true, null]}", NULL, NULL), "value at `.a[1]`");
    T_ERR(value_of("{\"__expr\": \"1 + 1\"}", NULL, NULL), "`__expr` escape");
    T_ERR(value_of("{\"__entity\": {\"type\": \"if\", \"id\": \"x\"}}", NULL, NULL),
          "invalid entity type name");
    T_ERR(value_of("{\"__entity\": {\"type\": \"A::\", \"id\": \"x\"}}", NULL, NULL),
          "invalid entity type name");
    T_ERR(value_of("{\"__entity\": {\"type\": \" A\", \"id\": \"x\"}}", NULL, NULL),
          "invalid entity type name");
    T_ERR(value_of("{\"__extn\": {\"fn\": \"nosuch\", \"arg\": \"x\"}}", NULL, NULL),
          "unknown extension function");
    T_ERR(value_of("{\"__extn\": {\"fn\": \"decimal\", \"arg\": \"1.23456\"}}", NULL, NULL),
          "cannot evaluate `decimal(\"1.23456\")`");
    T_ERR(value_of("{\"__extn\": {\"fn\": \"decimal\", \"args\": [\"1.0\", \"2.0\"]}}", NULL, NULL),
          "takes 1 argument");
    T_ERR(value_of("{\"__extn\": {\"fn\": \"ip\", \"arg\": 5}}", NULL, NULL), "cannot evaluate");
    T_ERR(value_of("{\"__extn\": {\"fn\": \"unknown\", \"arg\": \"u\"}}", NULL, NULL),
          "partial evaluation");
}

static void test_uid_forms(void)
{
    static const char *const good[] = {"{\"type\": \"A::B\", \"id\": \"x\"}",
                                       "{\"__entity\": {\"type\": \"A::B\", \"id\": \"x\"}}",
                                       "[\"A::B\", \"x\"]",
                                       "{\"type\": \"A::B\", \"id\": \"x\", \"other\": 1.5}"};
    cd_arena *a = cd_arena_new();
    cd_err e = {0};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        json_t *j = parse(good[i]);
        cd_uid u = {0};
        T_CHECK(j && cd_json_to_uid(j, a, "principal", &u, &e));
        cd_uid want = uid("A::B", "x");
        T_CHECK(u.type && cd_uid_eq(&u, &want));
        json_decref(j);
    }
    static const char *const bad[] = {
        "\"A::B::\\\"x\\\"\"", "{\"type\": \"A\"}", "{\"type\": \"A\", \"id\": 1}", "[\"A\"]",
        "null", "{\"type\": \"__cedar::A\", \"id\": \"x\"}", "{\"__expr\": \"A::\\\"x\\\"\"}",
        /* rejected by cedar-wasm 4.13: an untagged enum's
         * struct variant takes no array (regression) */
        "[{\"type\": \"A::B\", \"id\": \"x\"}]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *j = parse(bad[i]);
        cd_uid u;
        T_CHECK(j && !cd_json_to_uid(j, a, "principal", &u, &e));
        T_CHECK(e.message && strncmp(e.message, "principal: ", 11) == 0);
        cd_err_clear(&e);
        json_decref(j);
    }
    cd_arena_free(a);
}

static void test_null_inputs(void)
{
    cd_arena *a = cd_arena_new();
    cd_err e = {0};
    cd_value v;
    cd_uid u;
    T_CHECK(!cd_json_to_value(NULL, NULL, NULL, a, "v", &v, &e) && strstr(e.message, "missing"));
    cd_err_clear(&e);
    T_CHECK(!cd_json_to_uid(NULL, a, "principal", &u, &e) && strstr(e.message, "found nothing"));
    cd_err_clear(&e);
    T_CHECK(!cd_context_from_json(NULL, NULL, NULL, a, &v, &e) && e.message);
    cd_err_clear(&e);
    T_CHECK(!cd_entities_load_json(NULL, 0, "f", NULL, &e) && e.message);
    cd_err_clear(&e);
    T_CHECK(!cd_json_parse(NULL, 5, 0, "f", &e) && e.message);
    cd_err_clear(&e);
    cd_arena_free(a);
}

static void test_value_to_json(void)
{
    json_t *j =
        parse("{\"e\": {\"__entity\": {\"type\": \"U\", \"id\": \"a\"}}, \"d\": {\"__extn\": "
              "{\"fn\": \"decimal\", \"arg\": \"-1.5\"}}, \"s\": [\"x\\u0000\", 2], \"b\": "
              "true}");
    cd_arena *a = cd_arena_new();
    cd_err e = {0};
    cd_value v, back;
    T_CHECK(j && cd_json_to_value(j, NULL, NULL, a, "v", &v, &e));
    json_t *out = cd_value_to_json(&v);
    char *text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    T_CHECK_STR(text, "{\"b\":true,\"d\":{\"__extn\":{\"arg\":\"-1.5000\",\"fn\":\"decimal\"}},"
                      "\"e\":{\"__entity\":{\"id\":\"a\",\"type\":\"U\"}},\"s\":[2,\"x\\u0000\"]}");
    T_CHECK(cd_json_to_value(out, NULL, NULL, a, "v", &back, &e) && cd_value_eq(&v, &back));
    free(text);
    json_decref(out);
    json_decref(j);
    /* an instant past the year 9999 (no datetime string reaches it) is
     * written as an offset from the epoch, which reads back as itself */
    cd_value far = cd_extv((cd_ext){.kind = CD_EXT_DATETIME, .u.datetime_ms = 253402387139000LL});
    out = cd_value_to_json(&far);
    text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    T_CHECK_STR(text, "{\"__extn\":{\"args\":[{\"__extn\":{\"arg\":\"1970-01-01\",\"fn\":"
                      "\"datetime\"}},{\"__extn\":{\"arg\":\"253402387139000ms\",\"fn\":"
                      "\"duration\"}}],\"fn\":\"offset\"}}");
    T_CHECK(cd_json_to_value(out, NULL, NULL, a, "v", &back, &e) && cd_value_eq(&far, &back));
    free(text);
    json_decref(out);
    /* a record with a reserved key cannot be written */
    j = parse("{\"__entity\": 1}");
    T_CHECK(j && cd_json_to_value(j, NULL, NULL, a, "v", &v, &e));
    T_CHECK(cd_value_to_json(&v) == NULL);
    json_decref(j);
    cd_arena_free(a);
}

/* ---- the store --------------------------------------------------------- */

static void test_load_and_closure(void)
{
    /* a chain A -> B -> C, a diamond D -> {E, F} -> G, and a missing parent M */
    cd_entities *es =
        load("[\n"
             " {\"uid\": {\"type\": \"T\", \"id\": \"A\"}, \"attrs\": {\"n\": 1},\n"
             "  \"parents\": [{\"type\": \"T\", \"id\": \"B\"}]},\n"
             " {\"uid\": {\"__entity\": {\"type\": \"T\", \"id\": \"B\"}}, \"attrs\": "
             "{}, \"parents\": [[\"T\", \"C\"]]},\n"
             " {\"uid\": [\"T\", \"C\"], \"attrs\": {}, \"parents\": [{\"type\": "
             "\"X\", \"id\": \"M\"}], \"tags\": {\"t\": \"v\"}},\n"
             " {\"uid\": {\"type\": \"T\", \"id\": \"D\"}, \"attrs\": {}, "
             "\"parents\": [{\"type\": \"T\", \"id\": \"E\"}, {\"type\": \"T\", "
             "\"id\": \"F\"}, {\"type\": \"T\", \"id\": \"E\"}]},\n"
             " {\"uid\": {\"type\": \"T\", \"id\": \"E\"}, \"attrs\": {}, "
             "\"parents\": [{\"type\": \"T\", \"id\": \"G\"}]},\n"
             " {\"uid\": {\"type\": \"T\", \"id\": \"F\"}, \"attrs\": {}, "
             "\"parents\": [{\"type\": \"T\", \"id\": \"G\"}]},\n"
             " {\"uid\": {\"type\": \"T\", \"id\": \"G\"}, \"attrs\": {}, "
             "\"parents\": []},\n"
             " {\"uid\": {\"type\": \"Action\", \"id\": \"g\"}, \"attrs\": {}, "
             "\"parents\": []},\n"
             " {\"uid\": {\"type\": \"Action\", \"id\": \"v\"}, \"attrs\": {}, "
             "\"parents\": [{\"type\": \"Action\", \"id\": \"g\"}]}\n"
             "]",
             NULL);
    T_CHECK(es != NULL);
    if (!es) return;
    T_CHECK(cd_entities_count(es) == 9);
    T_CHECK(in(es, "T", "A", "T", "B") && in(es, "T", "A", "T", "C"));
    T_CHECK(in(es, "T", "A", "X", "M") && in(es, "T", "B", "X", "M"));
    T_CHECK(in(es, "T", "A", "T", "A")); /* reflexive */
    T_CHECK(!in(es, "T", "C", "T", "A") && !in(es, "T", "B", "T", "A"));
    T_CHECK(in(es, "T", "D", "T", "G") && in(es, "T", "D", "T", "E") && in(es, "T", "D", "T", "F"));
    T_CHECK(!in(es, "T", "E", "T", "F"));
    T_CHECK(in(es, "Action", "v", "Action", "g"));
    /* a uid that is not an entity is only `in` itself */
    T_CHECK(in(es, "X", "M", "X", "M") && !in(es, "X", "M", "T", "A"));
    cd_uid d = uid("T", "D"), a = uid("T", "A"), c = uid("T", "C");
    const cd_entity *ed = cd_entities_find(es, &d);
    T_CHECK(ed && ed->n_parents == 2 && ed->n_ancestors == 3);
    for (size_t i = 1; ed && i < ed->n_ancestors; i++)
        T_CHECK(cd_uid_hier_cmp(&ed->ancestors[i - 1], &ed->ancestors[i]) < 0);
    const cd_entity *ea = cd_entities_find(es, &a);
    T_CHECK(ea && ea->attrs.n == 1 && ea->attrs.vals[0].kind == CD_V_LONG);
    const cd_entity *ec = cd_entities_find(es, &c);
    T_CHECK(ec && ec->tags.n == 1 && cd_str_eq_c(ec->tags.keys[0], "t"));
    cd_uid none = uid("T", "Z");
    T_CHECK(cd_entities_find(es, &none) == NULL);
    cd_entities_free(es);

    es = cd_entities_new_empty();
    T_CHECK(cd_entities_count(es) == 0 && !cd_entities_find(es, &a) && in(es, "T", "A", "T", "A"));
    cd_entities_free(es);
    es = load("[]", NULL);
    T_CHECK(es && cd_entities_count(es) == 0);
    cd_entities_free(es);
}

static void test_long_chain(void)
{
    /* a long chain: the closure is computed without recursion (every entity
     * stores all its ancestors, so memory grows with the square of N) */
    enum { N = 1500 };
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_putc(&b, '[');
    for (int i = 0; i < N; i++)
        cd_buf_printf(&b,
                      "%s{\"uid\": {\"type\": \"N\", \"id\": \"%d\"}, \"attrs\": {}, \"parents\": "
                      "[{\"type\": \"N\", \"id\": \"%d\"}]}",
                      i ? "," : "", i, i + 1);
    cd_buf_putc(&b, ']');
    cd_err e = {0};
    cd_entities *es = cd_entities_load_json(b.data, b.len, "chain", NULL, &e);
    T_CHECK(es && in(es, "N", "0", "N", "1500") && in(es, "N", "700", "N", "1499"));
    T_CHECK(es && !in(es, "N", "10", "N", "9"));
    cd_entities_free(es);
    cd_buf_free(&b);
}

static void test_duplicates_and_cycles(void)
{
    /* identical duplicates are fine (parents compared as sets) */
    cd_entities *es = load("[{\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": {\"x\": "
                           "{\"__extn\": {\"fn\": \"decimal\", \"arg\": \"1.0\"}}}, \"parents\": "
                           "[[\"G\", \"1\"], [\"G\", \"2\"]]},"
                           " {\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": {\"x\": "
                           "{\"__extn\": {\"fn\": \"decimal\", \"arg\": \"1.00\"}}}, \"parents\": "
                           "[[\"G\", \"2\"], [\"G\", \"1\"], [\"G\", \"1\"]]}]",
                           NULL);
    T_CHECK(es && cd_entities_count(es) == 1);
    cd_entities_free(es);
    unsigned line =
        load_fails("[{\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": {}, "
                   "\"parents\": []},\n"
                   " {\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": {\"l\": 1}, "
                   "\"parents\": []}]",
                   NULL, "duplicate entity `U::\"a\"`");
    T_CHECK(line == 2);
    load_fails("[{\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": []},"
               " {\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": [[\"U\", "
               "\"b\"]]}]",
               NULL, "duplicate entity");
    load_fails("[{\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": [[\"U\", "
               "\"a\"]]}]",
               NULL, "cycle");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": {}, \"parents\": [[\"U\", \"b\"]]},"
               " {\"uid\": [\"U\", \"b\"], \"attrs\": {}, \"parents\": [[\"U\", \"c\"]]},"
               " {\"uid\": [\"U\", \"c\"], \"attrs\": {}, \"parents\": [[\"U\", \"a\"]]}]",
               NULL, "cycle");
}

static void test_shape_errors(void)
{
    load_fails("{}", NULL, "must be an array");
    load_fails("[1]", NULL, "is not an object");
    load_fails("[{\"attrs\": {}, \"parents\": []}]", NULL, "no `uid` field");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"parents\": []}]", NULL, "no `attrs` field");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": {}}]", NULL, "no `parents` field");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": [], \"parents\": []}]", NULL,
               "`attrs` of the entity at index 0 must be an object");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": {}, \"parents\": {}}]", NULL,
               "must be an array");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": {}, \"parents\": [], \"tags\": null}]", NULL,
               "`tags` of the entity at index 0 must be an object");
    load_fails("[{\"uid\": \"U::\\\"a\\\"\", \"attrs\": {}, \"parents\": []}]", NULL,
               "uid of the entity at index 0: expected an entity reference");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": {}, \"parents\": [1]}]", NULL,
               "parents of entity `U::\"a\"` at `[0]`: expected an entity reference");
    load_fails("[{\"uid\": [\"Action\", \"a\"], \"attrs\": {}, \"parents\": [[\"U\", \"g\"]]}]",
               NULL, "has a parent `U::\"g\"` that is not an action");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": {\"x\": {\"y\": null}}, \"parents\": []}]",
               NULL, "attribute `x` of entity `U::\"a\"` at `.y`: found `null`");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": {}, \"parents\": [], \"tags\": {\"t\": "
               "1.5}}]",
               NULL, "tag `t` of entity `U::\"a\"`");
    load_fails("[{\"uid\": [\"U\", \"a\"], \"attrs\": {\"a\": 1, \"a\": 2}, \"parents\": []}]",
               NULL, "duplicate key");
    unsigned line = load_fails("[\n{\"uid\": [\"U\", \"a\"], \"attrs\": {}, \"parents\": []},\n\n"
                               "  {\"uid\": [\"U\", \"b\"], \"attrs\": {\"d\": {\"__extn\": "
                               "{\"fn\": \"decimal\", \"arg\": \"x\"}}}, \"parents\": []}]",
                               NULL, "cannot evaluate `decimal(\"x\")`");
    T_CHECK(line == 4);
    /* the positional form of an entity is accepted, as the official deserializer does */
    cd_entities *es = load("[[[\"U\", \"a\"], {\"k\": 1}, [[\"U\", \"b\"]]]]", NULL);
    T_CHECK(es && in(es, "U", "a", "U", "b"));
    cd_entities_free(es);
    /* unknown fields are ignored */
    es = load("[{\"uid\": [\"U\", \"a\"], \"attrs\": {}, \"parents\": [], \"x\": 1.5}]", NULL);
    T_CHECK(es && cd_entities_count(es) == 1);
    cd_entities_free(es);
}

/* ---- with a schema ----------------------------------------------------- */

static const char *const SCHEMA =
    "entity Org;\n"
    "entity Group in [Org];\n"
    "entity Team in [Group];\n"
    "entity Doc enum [\"a\", \"b\"];\n"
    "entity User in [Team] {\n"
    "  age: Long, name?: String, ip: ipaddr, score?: decimal, when?: datetime,\n"
    "  boss?: User, docs?: Set<Doc>, nets?: Set<ipaddr>,\n"
    "  addr?: { zip: Long, street?: String }\n"
    "} tags String;\n"
    "action view appliesTo { principal: [User], resource: [Doc, Org],\n"
    "  context: { ip: ipaddr, n?: Long, d?: Doc } };\n"
    "action edit in [view] appliesTo { principal: User, resource: Doc };\n"
    "action admin in [edit];\n";

#define USER(attrs, extra)                                                                         \
    "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"attrs\": {" attrs "}, \"parents\": [" extra \
    "]}]"

static void test_schema_typing(void)
{
    cd_schema *s = schema(SCHEMA);
    T_CHECK(s != NULL);
    if (!s) return;
    cd_entities *es = load(
        "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"attrs\": {\"age\": 7, \"ip\": "
        "\"10.0.0.0/8\", \"score\": \"0.5\", \"when\": \"2024-01-01\", \"boss\": {\"type\": "
        "\"User\", \"id\": \"b\"}, \"docs\": [{\"type\": \"Doc\", \"id\": \"a\"}, [\"Doc\", "
        "\"b\"]], \"nets\": [\"1.2.3.4\", {\"__extn\": {\"fn\": \"ip\", \"arg\": \"::1\"}}, "
        "{\"fn\": \"ip\", \"arg\": \"10.0.0.1\"}], \"addr\": {\"zip\": 1}}, \"parents\": "
        "[{\"type\": \"Team\", \"id\": \"t\"}, {\"type\": \"Org\", \"id\": \"o\"}], \"tags\": "
        "{\"k\": \"v\"}},"
        " {\"uid\": {\"type\": \"Team\", \"id\": \"t\"}, \"attrs\": {}, \"parents\": [[\"Group\", "
        "\"g\"]]},"
        " {\"uid\": {\"type\": \"Action\", \"id\": \"edit\"}, \"attrs\": {}, \"parents\": "
        "[[\"Action\", \"view\"]]}]",
        s);
    T_CHECK(es != NULL);
    if (es) {
        cd_uid u = uid("User", "u");
        const cd_entity *e = cd_entities_find(es, &u);
        T_CHECK(e && e->attrs.n == 8);
        cd_buf b;
        cd_buf_init(&b);
        cd_value rec = {.kind = CD_V_RECORD};
        if (e) rec.u.rec = e->attrs;
        cd_value_print(&b, &rec);
        T_CHECK_STR(cd_buf_cstr(&b),
                    "{\"addr\": {\"zip\": 1}, \"age\": 7, \"boss\": User::\"b\", \"docs\": "
                    "[Doc::\"a\", Doc::\"b\"], \"ip\": ip(\"10.0.0.0/8\"), \"nets\": "
                    "[ip(\"1.2.3.4\"), ip(\"10.0.0.1\"), ip(\"::1\")], \"score\": "
                    "decimal(\"0.5000\"), \"when\": datetime(\"2024-01-01\")}");
        cd_buf_free(&b);
        /* parents may be of any transitive memberOf type; TC over given entities */
        T_CHECK(in(es, "User", "u", "Group", "g") && in(es, "User", "u", "Org", "o"));
        /* the schema's actions and their hierarchy are added */
        T_CHECK(cd_entities_count(es) == 3 + 2);
        T_CHECK(in(es, "Action", "admin", "Action", "view"));
        T_CHECK(in(es, "Action", "edit", "Action", "view"));
        T_CHECK(!in(es, "Action", "view", "Action", "edit"));
        cd_uid adm = uid("Action", "admin");
        const cd_entity *ad = cd_entities_find(es, &adm);
        T_CHECK(ad && ad->n_parents == 1 && ad->n_ancestors == 2 && ad->attrs.n == 0);
    }
    cd_entities_free(es);

    /* where the schema expects an entity, `__entity` beside other keys is the
     * entity (cedar-wasm 4.10 reads it so; untyped it is a record) */
    es = load(USER("\"age\": 1, \"ip\": \"::\", \"boss\": {\"__entity\": {\"type\": \"User\", "
                   "\"id\": \"b\"}, \"k\": 1}",
                   ""),
              s);
    T_CHECK(es != NULL);
    if (es) {
        cd_uid u = uid("User", "u");
        const cd_entity *e = cd_entities_find(es, &u);
        cd_buf b;
        cd_buf_init(&b);
        cd_value rec = {.kind = CD_V_RECORD};
        if (e) rec.u.rec = e->attrs;
        cd_value_print(&b, &rec);
        T_CHECK_STR(cd_buf_cstr(&b), "{\"age\": 1, \"boss\": User::\"b\", \"ip\": ip(\"::\")}");
        cd_buf_free(&b);
    }
    cd_entities_free(es);

    /* the empty file still gets the actions */
    es = load("[]", s);
    T_CHECK(es && cd_entities_count(es) == 3);
    cd_entities_free(es);
    /* an empty set has every set type */
    es = load(USER("\"age\": 1, \"ip\": \"::\", \"docs\": []", ""), s);
    T_CHECK(es != NULL);
    cd_entities_free(es);
    cd_schema_free(s);
}

static void test_schema_errors(void)
{
    cd_schema *s = schema(SCHEMA);
    if (!s) return;
    load_fails(USER("\"age\": \"7\", \"ip\": \"::\"", ""), s,
               "attribute `age` of entity `User::\"u\"`: expected Long, found string `\"7\"`");
    load_fails(USER("\"ip\": \"::\"", ""), s, "missing the required attribute `age`");
    load_fails(USER("\"age\": 1, \"ip\": \"::\", \"nick\": \"x\"", ""), s,
               "attribute `nick` of entity `User::\"u\"`: the attribute is not declared");
    load_fails(USER("\"age\": 1, \"ip\": \"::\", \"addr\": {\"zip\": 1, \"x\": 2}", ""), s,
               "unexpected attribute `x`");
    load_fails(USER("\"age\": 1, \"ip\": \"::\", \"addr\": {\"street\": \"s\"}", ""), s,
               "missing required attribute `zip`");
    load_fails(USER("\"age\": 1, \"ip\": \"::\", \"addr\": 5", ""), s, "expected {");
    load_fails(USER("\"age\": 1, \"ip\": \"::\", \"docs\": {\"type\": \"Doc\", \"id\": \"a\"}", ""),
               s, "expected Set<Doc>");
    load_fails(USER("\"age\": 1, \"ip\": \"1.2.3\"", ""), s, "cannot evaluate `ip(\"1.2.3\")`");
    load_fails(USER("\"age\": 1, \"ip\": {\"fn\": \"decimal\", \"arg\": \"1.0\"}", ""), s,
               "expected ipaddr, found decimal");
    load_fails(USER("\"age\": 1, \"ip\": 5", ""), s, "cannot evaluate `ip(5)`");
    /* an extension call as an array: not since Cedar 4.6, whose FnAndArgs is
     * an untagged enum (cedar-wasm 4.10 and 4.13 reject them; regression) */
    load_fails(USER("\"age\": 1, \"ip\": [\"ip\", \"1.2.3.4\"]", ""), s, "cannot evaluate");
    load_fails(USER("\"age\": 1, \"ip\": {\"__extn\": [\"ip\", \"1.2.3.4\"]}", ""), s,
               "cannot evaluate");
    load_fails(USER("\"age\": 1, \"ip\": [{\"fn\": \"ip\", \"arg\": \"1.2.3.4\"}]", ""), s,
               "cannot evaluate");
    load_fails(
        USER("\"age\": 1, \"ip\": \"::\", \"boss\": [{\"type\": \"User\", \"id\": \"b\"}]", ""), s,
        "expected an entity reference");
    load_fails(
        USER("\"age\": 1, \"ip\": \"::\", \"boss\": {\"type\": \"Team\", \"id\": \"t\"}", ""), s,
        "expected User, found entity");
    load_fails(USER("\"age\": 1, \"ip\": \"::\", \"boss\": \"User::\\\"b\\\"\"", ""), s,
               "expected an entity reference");
    /* enumerated ids: in typed positions, anywhere inside values, in parents and uids */
    load_fails(USER("\"age\": 1, \"ip\": \"::\", \"docs\": [[\"Doc\", \"c\"]]", ""), s,
               "`Doc::\"c\"` is not one of the ids");
    load_fails("[{\"uid\": {\"type\": \"Doc\", \"id\": \"z\"}, \"attrs\": {}, \"parents\": []}]", s,
               "`Doc::\"z\"` is not one of the ids");
    load_fails(
        "[{\"uid\": [\"Doc\", \"a\"], \"attrs\": {}, \"parents\": [], \"tags\": {\"t\": 1}}]", s,
        "declares no tags");
    /* parents */
    load_fails(USER("\"age\": 1, \"ip\": \"::\"", "[\"Doc\", \"a\"]"), s,
               "does not allow `User` entities to be in `Doc` entities");
    load_fails(USER("\"age\": 1, \"ip\": \"::\"", "[\"User\", \"v\"]"), s,
               "does not allow `User` entities to be in `User` entities");
    load_fails(USER("\"age\": 1, \"ip\": \"::\"", "[\"Nope\", \"v\"]"), s,
               "does not allow `User` entities to be in `Nope` entities");
    /* tags */
    load_fails(
        "[{\"uid\": [\"User\", \"u\"], \"attrs\": {\"age\": 1, \"ip\": \"::\"}, \"parents\": "
        "[], \"tags\": {\"t\": 1}}]",
        s, "tag `t` of entity `User::\"u\"`: expected String, found long `1`");
    /* undeclared types and actions */
    load_fails("[{\"uid\": [\"Nope\", \"x\"], \"attrs\": {}, \"parents\": []}]", s,
               "has type `Nope`, which is not declared");
    load_fails("[{\"uid\": [\"Action\", \"nope\"], \"attrs\": {}, \"parents\": []}]", s,
               "action `Action::\"nope\"` is not declared in the schema");
    load_fails(USER("\"age\": 1, \"ip\": \"::\"", "[\"Action\", \"nope\"]"), s,
               "`Action::\"nope\"` is an action that is not declared");
    /* uids anywhere in a value are checked against the schema */
    T_ERR(value_of("[{\"a\": {\"__entity\": {\"type\": \"Action\", \"id\": \"nope\"}}}]", NULL, s),
          "is an action that is not declared");
    T_ERR(value_of("{\"__entity\": {\"type\": \"Doc\", \"id\": \"c\"}}", NULL, s),
          "is not one of the ids");
    T_CHECK_STR(value_of("[{\"__entity\": {\"type\": \"Action\", \"id\": \"edit\"}}]", NULL, s),
                "[Action::\"edit\"]");
    /* action entities in the JSON must match the schema exactly (transitively) */
    load_fails("[{\"uid\": [\"Action\", \"admin\"], \"attrs\": {}, \"parents\": [[\"Action\", "
               "\"edit\"]]}]",
               s, "does not match its declaration");
    load_fails("[{\"uid\": [\"Action\", \"view\"], \"attrs\": {\"a\": 1}, \"parents\": []}]", s,
               "does not match its declaration");
    cd_entities *es = load("[{\"uid\": [\"Action\", \"admin\"], \"attrs\": {}, \"parents\": "
                           "[[\"Action\", \"edit\"], [\"Action\", \"view\"]]}]",
                           s);
    T_CHECK(es && cd_entities_count(es) == 3);
    cd_entities_free(es);
    es = load("[{\"uid\": [\"Action\", \"admin\"], \"attrs\": {}, \"parents\": [[\"Action\", "
              "\"edit\"]]}, {\"uid\": [\"Action\", \"edit\"], \"attrs\": {}, \"parents\": "
              "[[\"Action\", \"view\"]]}]",
              s);
    T_CHECK(es && in(es, "Action", "admin", "Action", "view"));
    cd_entities_free(es);
    cd_schema_free(s);
}

/* ---- contexts and requests --------------------------------------------- */

static bool context(const char *json, const cd_schema *s, const char *action, cd_arena *a,
                    cd_value *out, cd_err *e)
{
    json_t *j = parse(json);
    cd_uid act = uid("Action", action);
    bool ok = j && cd_context_from_json(j, s, &act, a, out, e);
    json_decref(j);
    return ok;
}

static void test_context(void)
{
    cd_schema *s = schema(SCHEMA);
    if (!s) return;
    cd_arena *a = cd_arena_new();
    cd_err e = {0};
    cd_value v;
    T_CHECK(context("{\"ip\": \"1.2.3.4\", \"d\": [\"Doc\", \"a\"]}", s, "view", a, &v, &e));
    T_CHECK(v.kind == CD_V_RECORD && v.u.rec.n == 2 && v.u.rec.vals[1].kind == CD_V_EXT);
    /* the types of primitive attributes are left to request validation */
    T_CHECK(context("{\"ip\": \"1.2.3.4\", \"n\": \"x\"}", s, "view", a, &v, &e));
    T_CHECK(!context("{}", s, "view", a, &v, &e) && strstr(e.message, "missing required"));
    cd_err_clear(&e);
    T_CHECK(!context("{\"ip\": \"::\", \"z\": 1}", s, "view", a, &v, &e) &&
            strstr(e.message, "context: unexpected attribute `z`"));
    cd_err_clear(&e);
    T_CHECK(!context("[]", s, "view", a, &v, &e) && strstr(e.message, "expected {"));
    cd_err_clear(&e);
    T_CHECK(!context("{}", s, "nope", a, &v, &e) && strstr(e.message, "not declared"));
    cd_err_clear(&e);
    /* an action without a context type takes the empty record */
    T_CHECK(context("{}", s, "admin", a, &v, &e) && v.u.rec.n == 0);
    T_CHECK(!context("{\"x\": 1}", s, "admin", a, &v, &e));
    cd_err_clear(&e);
    /* without a schema: any record, but it must be a record */
    T_CHECK(
        context("{\"x\": {\"__entity\": {\"type\": \"U\", \"id\": \"a\"}}}", NULL, "v", a, &v, &e));
    T_CHECK(v.u.rec.n == 1 && v.u.rec.vals[0].kind == CD_V_ENTITY);
    T_CHECK(!context("{\"__entity\": {\"type\": \"U\", \"id\": \"a\"}}", NULL, "v", a, &v, &e) &&
            strstr(e.message, "must be a record"));
    cd_err_clear(&e);
    T_CHECK(!context("5", NULL, "v", a, &v, &e));
    cd_err_clear(&e);
    cd_arena_free(a);
    cd_schema_free(s);
}

static const char *validate(const cd_schema *s, const char *p, const char *act, const char *r,
                            const char *ctx)
{
    static char msg[1024];
    cd_arena *a = cd_arena_new();
    cd_err e = {0};
    cd_request req;
    cd_uid pu = {0}, au = uid("Action", act), ru = {0};
    json_t *pj = parse(p), *rj = parse(r);
    bool ok =
        cd_json_to_uid(pj, a, "principal", &pu, &e) && cd_json_to_uid(rj, a, "resource", &ru, &e);
    req.principal = cd_entityv(pu);
    req.action = cd_entityv(au);
    req.resource = cd_entityv(ru);
    json_t *cj = parse(ctx);
    ok = ok && cd_context_from_json(cj, NULL, NULL, a, &req.context, &e) &&
         cd_request_validate(s, &req, &e);
    snprintf(msg, sizeof msg, "%s", ok ? "ok" : e.message);
    json_decref(pj);
    json_decref(rj);
    json_decref(cj);
    cd_err_clear(&e);
    cd_arena_free(a);
    return msg;
}

static void test_request_validation(void)
{
    cd_schema *s = schema(SCHEMA);
    if (!s) return;
    const char *user = "[\"User\", \"u\"]", *doc = "[\"Doc\", \"a\"]";
    T_CHECK_STR(validate(s, user, "view", doc,
                         "{\"ip\": {\"__extn\": {\"fn\": \"ip\", \"arg\": "
                         "\"::1\"}}}"),
                "ok");
    T_CHECK_STR(validate(s, user, "view", "[\"Org\", \"o\"]",
                         "{\"ip\": {\"__extn\": {\"fn\": \"ip\", \"arg\": \"::1\"}}, \"n\": 1}"),
                "ok");
    T_CHECK_STR(validate(s, user, "edit", doc, "{}"), "ok");
    T_CHECK(strstr(validate(s, "[\"Nope\", \"u\"]", "edit", doc, "{}"),
                   "principal `Nope::\"u\"` has type `Nope`, which is not declared"));
    T_CHECK(strstr(validate(s, "[\"Action\", \"view\"]", "edit", doc, "{}"), "not declared"));
    T_CHECK(strstr(validate(s, user, "edit", "[\"Doc\", \"c\"]", "{}"),
                   "resource `Doc::\"c\"` is not one of the ids"));
    T_CHECK(
        strstr(validate(s, user, "nope", doc, "{}"), "action `Action::\"nope\"` is not declared"));
    T_CHECK(strstr(validate(s, "[\"Org\", \"o\"]", "edit", doc, "{}"),
                   "principal type `Org` is not valid for action `Action::\"edit\"` (valid "
                   "principal types: `User`)"));
    T_CHECK(strstr(validate(s, user, "edit", "[\"Org\", \"o\"]", "{}"), "resource type `Org`"));
    /* an action without appliesTo applies to no request */
    T_CHECK(strstr(validate(s, user, "admin", doc, "{}"), "valid principal types: none"));
    /* the context must have the declared type */
    T_CHECK(strstr(validate(s, user, "view", doc, "{}"), "missing required attribute `ip`"));
    T_CHECK(strstr(validate(s, user, "view", doc,
                            "{\"ip\": {\"__extn\": {\"fn\": \"ip\", \"arg\": \"::1\"}}, \"n\": "
                            "\"1\"}"),
                   "at `.n`: expected Long, found string"));
    T_CHECK(strstr(validate(s, user, "view", doc, "{\"ip\": \"::1\"}"), "expected ipaddr"));
    T_CHECK(strstr(validate(s, user, "edit", doc, "{\"x\": 1}"), "unexpected attribute `x`"));
    T_CHECK(strstr(validate(s, user, "view", doc,
                            "{\"ip\": {\"__extn\": {\"fn\": \"ip\", \"arg\": \"::1\"}}, \"d\": "
                            "{\"__entity\": {\"type\": \"Doc\", \"id\": \"q\"}}}"),
                   "`Doc::\"q\"` is not one of the ids"));
    cd_schema_free(s);
}

static void test_value_conforms(void)
{
    cd_type lng = {.kind = CD_T_LONG}, str = {.kind = CD_T_STRING};
    cd_type set = {.kind = CD_T_SET, .u.elem = &lng};
    cd_attr_type attrs[] = {{CD_STR_LIT("a"), &lng, true}, {CD_STR_LIT("b"), &set, false}};
    cd_type rec = {.kind = CD_T_RECORD, .u.rec = {2, attrs, false}};
    cd_type open = rec;
    open.u.rec.open = true;
    char *msg = NULL;
    T_CHECK_STR(value_of("{\"a\": 1, \"b\": []}", &rec, NULL), "{\"a\": 1, \"b\": []}");
    T_CHECK_STR(value_of("{\"a\": 1}", &rec, NULL), "{\"a\": 1}");
    T_ERR(value_of("{\"a\": 1, \"b\": [1, \"x\"]}", &rec, NULL),
          "at `.b[*]`: expected Long, found string `\"x\"`");
    T_ERR(value_of("{\"b\": []}", &rec, NULL), "missing required attribute `a`");
    T_ERR(value_of("{\"a\": 1, \"c\": 2}", &rec, NULL), "unexpected attribute `c`");
    /* reading by an open record type drops undeclared attributes */
    T_CHECK_STR(value_of("{\"a\": 1, \"c\": 2.5}", &open, NULL), "{\"a\": 1}");
    T_ERR(value_of("\"x\"", &lng, NULL), "expected Long");
    T_CHECK_STR(value_of("\"x\"", &str, NULL), "\"x\"");
    /* cd_value_conforms itself, on an open record value with extra fields */
    cd_value keys_vals[2] = {cd_long(1), cd_bool(true)};
    cd_str keys[2] = {CD_STR_LIT("a"), CD_STR_LIT("z")};
    cd_value v;
    T_CHECK(cd_record_make(keys, keys_vals, 2, &v, NULL));
    T_CHECK(cd_value_conforms(NULL, &v, &open, NULL));
    T_CHECK(!cd_value_conforms(NULL, &v, &rec, &msg) && msg && strstr(msg, "unexpected"));
    free(msg);
    cd_type ip = {.kind = CD_T_EXT, .u.ext = CD_EXT_IPADDR};
    T_CHECK_STR(value_of("\"127.0.0.1\"", &ip, NULL), "ip(\"127.0.0.1\")");
    /* not a call written as an array since Cedar 4.6 (cedar-wasm 4.10, 4.13) */
    T_ERR(value_of("[\"ip\", \"127.0.0.1\"]", &ip, NULL), "expected string, got set");
    T_ERR(value_of("{\"__extn\": {\"fn\": \"decimal\", \"arg\": \"1.0\"}}", &ip, NULL),
          "expected ipaddr, found decimal");
    T_ERR(value_of("[\"::1\"]", &ip, NULL), "`__expr` escape");
    cd_type dt = {.kind = CD_T_EXT, .u.ext = CD_EXT_DATETIME};
    T_CHECK_STR(value_of("{\"fn\": \"offset\", \"args\": [\"2024-01-01\", \"2h\"]}", &dt, NULL),
                "datetime(\"2024-01-01T02:00:00Z\")");
    T_ERR(value_of("{\"fn\": \"offset\", \"args\": [\"2024-01-01\"]}", &dt, NULL),
          "takes 2 arguments, but 1 was given");
}

static void test_uid_hash_cache(void)
{
    /* a cached hash is cd_uid_hash's own value, so uids with and without it
     * compare and look up alike; different cached hashes mean different uids */
    cd_uid a = uid("T", "x"), b = uid("T", "x"), c = uid("T", "y");
    uint64_t h = cd_uid_hash(&a);
    a.hash = h;
    T_CHECK(cd_uid_hash(&b) == h && cd_uid_eq(&a, &b) && cd_uid_eq(&b, &a));
    b.hash = h;
    c.hash = cd_uid_hash(&c);
    T_CHECK(cd_uid_eq(&a, &b) && !cd_uid_eq(&a, &c) && cd_uid_cmp(&a, &c) < 0);
    cd_entities *es = load("[{\"uid\": {\"type\": \"T\", \"id\": \"x\"}, \"attrs\": {}, "
                           "\"parents\": [{\"type\": \"T\", \"id\": \"y\"}]}]",
                           NULL);
    T_CHECK(es != NULL);
    const cd_entity *e = es ? cd_entities_find(es, &a) : NULL;
    T_CHECK(e && e->uid.hash == h && cd_entities_find(es, &(cd_uid){a.type, a.id, 0}) == e);
    T_CHECK(es && cd_entities_in(es, &a, &c) && !cd_entities_in(es, &c, &a));
    cd_entities_free(es);
}

static void test_errors_in_document_order(void)
{
    /* Entities are read one at a time, but a syntax error anywhere still wins
     * over an error in an earlier entity, as when the whole document was
     * parsed first. */
    cd_err e = {0};
    const char *late_syntax = "[{\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": 3, "
                              "\"parents\": []},\n {\"uid\": {\"type\": \"U\", \"id\": \"b\"}, "
                              "\"attrs\": {}, \"parents\": [}]";
    cd_entities *es = cd_entities_load_json(late_syntax, strlen(late_syntax), "e.json", NULL, &e);
    T_CHECK(!es && e.message && strstr(e.message, "invalid JSON: expected a value"));
    T_CHECK(e.loc.line == 2 && e.file && strcmp(e.file, "e.json") == 0);
    cd_err_clear(&e);
    const char *late_dup = "[{\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": 3, "
                           "\"parents\": []},\n {\"uid\": 1, \"uid\": 2}]";
    es = cd_entities_load_json(late_dup, strlen(late_dup), "e.json", NULL, &e);
    T_CHECK(!es && e.message && strstr(e.message, "duplicate key"));
    cd_err_clear(&e);
    const char *trailing = "[{\"uid\": {\"type\": \"U\", \"id\": \"a\"}, \"attrs\": 3, "
                           "\"parents\": []}] x";
    es = cd_entities_load_json(trailing, strlen(trailing), "e.json", NULL, &e);
    T_CHECK(!es && e.message && strstr(e.message, "trailing characters"));
    cd_err_clear(&e);
    /* without a syntax error, the first entity's error (its own location) */
    unsigned line = load_fails("[{\"uid\": {\"type\": \"U\", \"id\": \"b\"}, \"attrs\": {}, "
                               "\"parents\": []},\n {\"uid\": {\"type\": \"U\", \"id\": \"a\"}, "
                               "\"attrs\": 3, \"parents\": []},\n 7]",
                               NULL, "`attrs` of the entity at index 1 must be an object");
    T_CHECK(line == 2);
    /* not an array: syntax first, then the shape */
    es = cd_entities_load_json("{\"a\": }", 7, "e.json", NULL, &e);
    T_CHECK(!es && e.message && strstr(e.message, "invalid JSON"));
    cd_err_clear(&e);
    T_CHECK(load_fails(" {}", NULL, "entities JSON must be an array") == 1);
    T_CHECK(load_fails("", NULL, "invalid JSON: unexpected end of input") == 1);
    T_CHECK(load_fails("[1,", NULL, "invalid JSON: unexpected end of input") == 1);
    es = load(" [ ] ", NULL);
    T_CHECK(es && cd_entities_count(es) == 0);
    cd_entities_free(es);
}

int main(void)
{
    T_RUN(test_json_parse);
    T_RUN(test_plain_values);
    T_RUN(test_uid_forms);
    T_RUN(test_null_inputs);
    T_RUN(test_value_to_json);
    T_RUN(test_load_and_closure);
    T_RUN(test_long_chain);
    T_RUN(test_errors_in_document_order);
    T_RUN(test_uid_hash_cache);
    T_RUN(test_duplicates_and_cycles);
    T_RUN(test_shape_errors);
    T_RUN(test_schema_typing);
    T_RUN(test_schema_errors);
    T_RUN(test_context);
    T_RUN(test_request_validation);
    T_RUN(test_value_conforms);
    T_DONE();
}
