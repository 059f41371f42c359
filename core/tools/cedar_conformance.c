/* cedar-conformance: run tests in the Cedar integration-test format.
 *
 *   cedar-conformance [--root DIR] [--schema-format cedar|json] [--engine core|model|both]
 *                     [--validation DIR] [-q] PATH...
 *
 * PATH is a test JSON file or a folder searched recursively for them. Paths
 * inside a test (policies, entities, schema) are resolved against --root
 * (default: $CEDAR_INTEGRATION_TESTS, else the current directory). With
 * --schema-format json the schema `X.cedarschema` is read from its JSON
 * version: `corpus-tests/H.cedarschema` -> `corpus-tests-json-schemas/H.cedarschema.json`,
 * otherwise `X.cedarschema.json` next to it.
 *
 * Each request is three checks: the decision, the set of determining policies
 * (reason) and the set of erroring policies (errors). `shouldValidate` is one
 * check per test: core's validator in strict mode on the whole policy set.
 * With --validation DIR, the expectations DIR/H.validation.json of a test
 * H.json are checked against core too: the whole set and each policy in
 * strict and in permissive mode, each entity of the test's entities file (and
 * each action entity of the schema) on its own against the schema, and each
 * request (by description) against the schema, in both modes. Prints a line
 * per failing check and last `conformance: N passed, M failed, K skipped`.
 * Exit status 0 when nothing failed (and, with --engine both, nothing
 * differed), 1 otherwise.
 *
 * --engine chooses who answers: the production engine (core, the default),
 * the reference model (model/, fed through the bridge drt/bridge.h from what
 * core parsed), or both. With both, each engine's checks are counted, every
 * request where the two differ in decision, determining policies, erroring
 * policies or the kind of error is printed as a `DIFF` line (even where both
 * pass, and also with -q), and `engine-diff: N` precedes the last line.
 * With the model, `shouldValidate` and, from
 * `corpus-tests-validation/H.validation.json` beside `corpus-tests/`, each
 * policy's strict and permissive verdict are checked by the model's
 * typechecker (model/m_types.h).
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <bsd/stdlib.h>

#include "bridge.h"
#include "cd_api.h"
#include "tool_io.h"

typedef struct counts {
    long passed, failed, skipped, diffs;
    long tests;          /* files read as tests */
    long no_json_schema; /* tests skipped for want of a JSON schema */
} counts;

typedef enum engine { ENGINE_CORE = 1, ENGINE_MODEL = 2, ENGINE_BOTH = 3 } engine;

typedef struct config {
    const char *root;
    bool json_schema;
    bool quiet;
    engine engine;
    const char *validation; /* --validation DIR: H.validation.json expectations for core */
} config;

/* ---- collecting test files -------------------------------------------- */

/* A file named on the command line must be a test; one found in a folder may
 * be something else (entities, a schema) and is then passed over. */
typedef struct test_file {
    char *path;
    bool named;
} test_file;

typedef struct paths {
    test_file *v;
    size_t n, cap;
} paths;

static void paths_add(paths *p, const char *s, bool named)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->v = reallocarray(p->v, p->cap, sizeof *p->v);
        if (!p->v) abort();
    }
    p->v[p->n++] = (test_file){strdup(s), named};
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void collect(const char *path, paths *out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "error: cannot read %s\n", path);
        paths_add(out, path, true); /* reported as a failure when run */
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        paths_add(out, path, true);
        return;
    }
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        snprintf(child, n, "%s/%s", path, e->d_name);
        struct stat cs;
        if (stat(child, &cs) == 0 && S_ISDIR(cs.st_mode)) {
            collect(child, out);
        } else if (ends_with(e->d_name, ".json") && !ends_with(e->d_name, ".entities.json") &&
                   !ends_with(e->d_name, ".cedarschema.json") &&
                   !ends_with(e->d_name, ".validation.json")) {
            paths_add(out, child, false);
        }
        free(child);
    }
    closedir(d);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const test_file *)a)->path, ((const test_file *)b)->path);
}

/* ---- one test ------------------------------------------------------------ */

static char *resolve(const config *cfg, const char *rel)
{
    size_t n = strlen(cfg->root) + strlen(rel) + 2;
    char *p = malloc(n);
    if (rel[0] == '/')
        snprintf(p, n, "%s", rel);
    else
        snprintf(p, n, "%s/%s", cfg->root, rel);
    return p;
}

/* The JSON-format version of a schema path (see the header comment). */
static char *json_schema_path(const char *rel)
{
    const char *dir = "corpus-tests/";
    size_t n = strlen(rel) + 64;
    char *p = malloc(n);
    if (strncmp(rel, dir, strlen(dir)) == 0)
        snprintf(p, n, "corpus-tests-json-schemas/%s.json", rel + strlen(dir));
    else
        snprintf(p, n, "%s.json", rel);
    return p;
}

static void fail_line(const config *cfg, const char *test, const char *desc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_line(const config *cfg, const char *test, const char *desc, const char *fmt, ...)
{
    if (cfg->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s", test);
    if (desc) printf(" [%s]", desc);
    printf(": ");
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

static void print_ids(cd_buf *b, const char *const *ids, size_t n)
{
    cd_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++)
        cd_buf_printf(b, "%s%s", i ? ", " : "", ids[i]);
    cd_buf_putc(b, ']');
}

/* Compare an expected JSON array of policy ids with the actual ids as sets. */
static bool same_id_set(const json_t *expected, const char *const *got, size_t n)
{
    size_t ne = json_array_size(expected);
    for (size_t i = 0; i < ne; i++) {
        const char *id = json_string_value(json_array_get(expected, i));
        bool found = false;
        for (size_t k = 0; id && k < n && !found; k++)
            found = strcmp(id, got[k]) == 0;
        if (!found) return false;
    }
    for (size_t k = 0; k < n; k++) {
        bool found = false;
        for (size_t i = 0; i < ne && !found; i++) {
            const char *id = json_string_value(json_array_get(expected, i));
            found = id && strcmp(id, got[k]) == 0;
        }
        if (!found) return false;
    }
    return true;
}

static void check_ids(const config *cfg, const char *test, const char *desc, const char *what,
                      const json_t *expected, const char *const *got, size_t n, counts *c)
{
    if (same_id_set(expected, got, n)) {
        c->passed++;
        return;
    }
    c->failed++;
    cd_buf b;
    cd_buf_init(&b);
    char *exp = json_dumps(expected, JSON_COMPACT);
    cd_buf_printf(&b, "%s: expected %s, got ", what, exp ? exp : "?");
    free(exp);
    print_ids(&b, got, n);
    fail_line(cfg, test, desc, "%s", cd_buf_cstr(&b));
    cd_buf_free(&b);
}

/* Build a request from the test format: uids as {"type","id"} objects. */
static cedar_request *test_request(const json_t *jr, const cedar_schema *schema, char **why)
{
    cedar_request *rq = calloc(1, sizeof *rq);
    rq->arena = cd_arena_new();
    cd_err e = {0};
    static const char *const vars[] = {"principal", "action", "resource"};
    cd_value *slots[] = {&rq->rq.principal, &rq->rq.action, &rq->rq.resource};
    for (int i = 0; i < 3; i++) {
        cd_uid u = {0};
        const json_t *j = json_object_get(jr, vars[i]);
        if (!j || json_is_null(j)) {
            cd_err_set(&e, (cd_loc){0, 0, 0}, "the request has no %s", vars[i]);
            goto fail;
        }
        if (!cd_json_to_uid(j, rq->arena, vars[i], &u, &e)) goto fail;
        *slots[i] = cd_entityv(u);
    }
    json_t *ctx = json_object_get(jr, "context");
    json_t *empty = ctx ? NULL : json_object();
    bool ok = cd_context_from_json(ctx ? ctx : empty, schema->s, &rq->rq.action.u.uid, rq->arena,
                                   &rq->rq.context, &e);
    json_decref(empty);
    if (!ok) goto fail;
    if (json_is_true(json_object_get(jr, "validateRequest")) &&
        !cd_request_validate(schema->s, &rq->rq, &e))
        goto fail;
    return rq;
fail:
    *why = e.message ? e.message : strdup("invalid request");
    e.message = NULL;
    cedar_request_free(rq);
    return NULL;
}

static bool exists(const config *cfg, const char *rel)
{
    char *p = resolve(cfg, rel);
    struct stat st;
    bool ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

static char *load(const config *cfg, const char *rel, size_t *len)
{
    char *p = resolve(cfg, rel);
    char *text = tool_read_file(p, len);
    free(p);
    return text;
}

/* ---- engines ---------------------------------------------------------- */

/* One engine's answer to a request: the decision and the policy ids (owned by
 * the engine's objects), with each erroring policy's error kind and message. */
typedef struct outcome {
    bool allow;
    size_t n_reasons, n_errors;
    const char **reasons, **errors, **kinds, **messages;
} outcome;

static void outcome_init(outcome *o, bool allow, size_t nr, size_t ne)
{
    o->allow = allow;
    o->n_reasons = nr;
    o->n_errors = ne;
    o->reasons = calloc(nr + 1, sizeof *o->reasons);
    o->errors = calloc(ne + 1, sizeof *o->errors);
    o->kinds = calloc(ne + 1, sizeof *o->kinds);
    o->messages = calloc(ne + 1, sizeof *o->messages);
    if (!o->reasons || !o->errors || !o->kinds || !o->messages) abort();
}

static void outcome_free(outcome *o)
{
    free(o->reasons);
    free(o->errors);
    free(o->kinds);
    free(o->messages);
}

static void core_outcome(const cedar_response *resp, outcome *o)
{
    outcome_init(o, cedar_response_decision(resp) == CEDAR_ALLOW, cedar_response_reason_count(resp),
                 cedar_response_error_count(resp));
    for (size_t k = 0; k < o->n_reasons; k++)
        o->reasons[k] = cedar_response_reason(resp, k);
    for (size_t k = 0; k < o->n_errors; k++) {
        o->errors[k] = cedar_response_error_policy(resp, k);
        o->kinds[k] = cd_errkind_name(resp->r.errors[k].error.kind);
        o->messages[k] = cedar_response_error_message(resp, k);
    }
}

/* The model's ids are core's policy ids (NUL-terminated). */
static void model_outcome(const m_response *r, outcome *o)
{
    outcome_init(o, r->allow, r->n_determining, r->n_erroring);
    for (size_t k = 0; k < o->n_reasons; k++)
        o->reasons[k] = r->determining[k].ptr;
    for (size_t k = 0; k < o->n_errors; k++) {
        o->errors[k] = r->erroring[k].ptr;
        o->kinds[k] = o->messages[k] = m_error_name(r->errors[k]);
    }
}

/* The model's view of a test's policies and entities (see drt/bridge.h). */
typedef struct model_input {
    m_arena *arena;
    m_policy *policies;
    size_t n;
    m_entities es;
    const char *error; /* why the bridge could not convert the policies */
} model_input;

static bool model_authorize(const model_input *mi, const cedar_request *rq, outcome *o)
{
    if (mi->error) return false;
    m_arena *a = m_arena_new();
    m_request req = drt_request(a, &rq->rq);
    m_response r = m_is_authorized(&req, &mi->es, mi->n, mi->policies, a);
    model_outcome(&r, o);
    m_arena_free(a); /* the ids point into core's policy set, not into a */
    return true;
}

/* The three checks of a request against one engine's outcome. */
static void check_outcome(const config *cfg, const char *test, const char *desc, const char *who,
                          const json_t *jr, const outcome *o, counts *c)
{
    const char *want = json_string_value(json_object_get(jr, "decision"));
    const char *got = o->allow ? "allow" : "deny";
    char what[64];
    if (want && strcasecmp(want, got) == 0) {
        c->passed++;
    } else {
        c->failed++;
        fail_line(cfg, test, desc, "%sdecision: expected %s, got %s", who, want ? want : "?", got);
    }
    snprintf(what, sizeof what, "%sreason", who);
    check_ids(cfg, test, desc, what, json_object_get(jr, "reason"), o->reasons, o->n_reasons, c);
    snprintf(what, sizeof what, "%serrors", who);
    check_ids(cfg, test, desc, what, json_object_get(jr, "errors"), o->errors, o->n_errors, c);
    if (o->n_errors && !same_id_set(json_object_get(jr, "errors"), o->errors, o->n_errors) &&
        !cfg->quiet)
        for (size_t k = 0; k < o->n_errors; k++)
            printf("  error in %s: %s\n", o->errors[k], o->messages[k]);
}

static const char *find_id(const char *const *ids, size_t n, const char *id)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(ids[k], id) == 0) return ids[k];
    return NULL;
}

/* Same decision, same determining and erroring policies, same error kinds
 * (ids are unique within an outcome, so equal counts and inclusion suffice). */
static bool same_outcome(const outcome *a, const outcome *b)
{
    if (a->allow != b->allow || a->n_reasons != b->n_reasons || a->n_errors != b->n_errors)
        return false;
    for (size_t k = 0; k < a->n_reasons; k++)
        if (!find_id(b->reasons, b->n_reasons, a->reasons[k])) return false;
    for (size_t k = 0; k < a->n_errors; k++) {
        size_t j = 0;
        while (j < b->n_errors && strcmp(b->errors[j], a->errors[k]) != 0)
            j++;
        if (j == b->n_errors || strcmp(b->kinds[j], a->kinds[k]) != 0) return false;
    }
    return true;
}

static void print_outcome(cd_buf *b, const char *who, const outcome *o)
{
    cd_buf_printf(b, "%s %s, reasons ", who, o->allow ? "allow" : "deny");
    print_ids(b, o->reasons, o->n_reasons);
    cd_buf_puts(b, ", errors [");
    for (size_t k = 0; k < o->n_errors; k++)
        cd_buf_printf(b, "%s%s: %s", k ? ", " : "", o->errors[k], o->kinds[k]);
    cd_buf_putc(b, ']');
}

static void diff_outcomes(const char *test, const char *desc, const outcome *core,
                          const outcome *model, counts *c)
{
    if (same_outcome(core, model)) return;
    c->diffs++;
    cd_buf b;
    cd_buf_init(&b);
    print_outcome(&b, "core", core);
    print_outcome(&b, "; model", model);
    printf("DIFF %s%s%s%s: %s\n", test, desc ? " [" : "", desc ? desc : "", desc ? "]" : "",
           cd_buf_cstr(&b));
    cd_buf_free(&b);
}

static void run_requests(const config *cfg, const char *test, const json_t *requests,
                         const cedar_policy_set *ps, const cedar_entities *es,
                         const cedar_schema *schema, const model_input *mi, const char *setup_error,
                         counts *c)
{
    int engines = cfg->engine == ENGINE_BOTH ? 2 : 1;
    cedar_response *resp = cedar_response_new();
    size_t i;
    json_t *jr;
    json_array_foreach(requests, i, jr)
    {
        const char *desc = json_string_value(json_object_get(jr, "description"));
        if (setup_error) {
            c->failed += 3 * engines;
            fail_line(cfg, test, desc, "%s", setup_error);
            continue;
        }
        char *why = NULL;
        cedar_request *rq = test_request(jr, schema, &why);
        if (!rq) {
            c->failed += 3 * engines;
            fail_line(cfg, test, desc, "cannot build the request: %s", why);
            free(why);
            continue;
        }
        outcome core = {0}, model = {0};
        if (cfg->engine & ENGINE_CORE) {
            cedar_error err = {0};
            cedar_authorize(ps, es, rq, resp, &err);
            cedar_error_clear(&err);
            core_outcome(resp, &core);
            check_outcome(cfg, test, desc, "", jr, &core, c);
        }
        if (cfg->engine & ENGINE_MODEL) {
            if (model_authorize(mi, rq, &model)) {
                check_outcome(cfg, test, desc, engines == 2 ? "model " : "", jr, &model, c);
            } else {
                c->failed += 3;
                fail_line(cfg, test, desc, "the model cannot take the policies: %s", mi->error);
            }
        }
        if (cfg->engine == ENGINE_BOTH && !mi->error) diff_outcomes(test, desc, &core, &model, c);
        outcome_free(&core);
        outcome_free(&model);
        cedar_request_free(rq);
    }
    cedar_response_free(resp);
}

/* ---- the model's validator (model/m_types.h) ----------------------------- */

static json_t *core_expectations(const config *cfg, const char *path);

/* The validation expectations of a corpus test, if present (--validation DIR
 * when given, else:
 * .../corpus-tests/H.json -> .../corpus-tests-validation/H.validation.json) */
static json_t *validation_expectations(const char *path)
{
    const char *dir = strstr(path, "corpus-tests/");
    size_t n = strlen(path);
    if (!dir || n < 5 || strcmp(path + n - 5, ".json") != 0) return NULL;
    char *p = malloc(n + 64);
    snprintf(p, n + 64, "%.*scorpus-tests-validation/%.*s.validation.json", (int)(dir - path), path,
             (int)(n - 5 - (size_t)(dir - path) - 13), dir + 13);
    size_t len;
    struct stat st;
    char *text = stat(p, &st) == 0 ? tool_read_file(p, &len) : NULL;
    cd_err e = {0};
    json_t *j = text ? cd_json_parse(text, len, CD_JSON_LAST_KEY_WINS, p, &e) : NULL;
    cd_err_clear(&e);
    free(text);
    free(p);
    return j;
}

static void model_check(const config *cfg, const char *test, const char *what, bool want, bool got,
                        const char *why, counts *c)
{
    if (want == got) {
        c->passed++;
        return;
    }
    c->failed++;
    fail_line(cfg, test, NULL, "model %s: expected %s, got %s%s%s", what,
              want ? "valid" : "invalid", got ? "valid" : "invalid", why ? ": " : "",
              why ? why : "");
}

/* shouldValidate (strict mode, every policy), and with the expectations of
 * corpus-tests-validation each policy's strict and permissive verdict, all
 * through the model's typechecker. */
static void model_validation(const config *cfg, const char *path, const json_t *t,
                             const cedar_schema *schema, const model_input *mi, counts *c)
{
    const json_t *should = json_object_get(t, "shouldValidate");
    json_t *exp = cfg->validation ? core_expectations(cfg, path) : validation_expectations(path);
    if (!schema || mi->error || (!should && !exp)) {
        json_decref(exp);
        return;
    }
    m_arena *a = m_arena_new();
    m_schema ms;
    drt_schema(a, schema->s, &ms);
    bool all = true;
    const char *first = NULL;
    const json_t *per = json_object_get(json_object_get(exp, "policyValidation"), "perPolicy");
    for (size_t i = 0; i < mi->n; i++) {
        const m_policy *p = &mi->policies[i];
        m_tc_result r[2] = {m_validate_policy(&ms, p, M_STRICT, a),
                            m_validate_policy(&ms, p, M_PERMISSIVE, a)};
        char what[256];
        if (r[0].err && all) first = m_tc_error_name(r[0].err);
        all = all && !r[0].err;
        const json_t *pp = json_object_getn(per, p->id.ptr, p->id.len);
        for (int m = 0; m < 2 && pp; m++) {
            const json_t *w = json_object_get(pp, m ? "permissive" : "strict");
            if (!json_is_boolean(w)) continue;
            snprintf(what, sizeof what, "%.*s %s", (int)p->id.len, p->id.ptr,
                     m ? "permissive" : "strict");
            model_check(cfg, path, what, json_is_true(w), !r[m].err,
                        r[m].err ? m_tc_error_name(r[m].err) : NULL, c);
        }
    }
    if (should) model_check(cfg, path, "shouldValidate", json_is_true(should), all, first, c);
    m_arena_free(a);
    json_decref(exp);
}

/* ---- core's validator --------------------------------------------------- */

/* DIR/H.validation.json for the test .../H.json, or NULL. */
static json_t *core_expectations(const config *cfg, const char *path)
{
    if (!cfg->validation) return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n < 5 || strcmp(base + n - 5, ".json") != 0) return NULL;
    size_t cap = strlen(cfg->validation) + n + 32;
    char *p = malloc(cap);
    snprintf(p, cap, "%s/%.*s.validation.json", cfg->validation, (int)(n - 5), base);
    struct stat st;
    size_t len;
    char *text = stat(p, &st) == 0 ? tool_read_file(p, &len) : NULL;
    cd_err e = {0};
    json_t *j = text ? cd_json_parse(text, len, CD_JSON_LAST_KEY_WINS, p, &e) : NULL;
    if (text && !j) fprintf(stderr, "error: %s: %s\n", p, e.message);
    cd_err_clear(&e);
    free(text);
    free(p);
    return j;
}

static void vcheck(const config *cfg, const char *test, const char *desc, const char *what,
                   bool want, bool got, const char *why, counts *c)
{
    if (want == got) {
        c->passed++;
        return;
    }
    c->failed++;
    fail_line(cfg, test, desc, "%s: expected %s, got %s%s%s", what, want ? "valid" : "invalid",
              got ? "valid" : "invalid", why ? ": " : "", why ? why : "");
}

/* The first error of policy i (or of any policy when i is SIZE_MAX), for messages. */
static const char *first_verror(const cedar_validation *v, size_t i)
{
    for (size_t k = 0; k < cedar_validation_error_count(v); k++)
        if (i == SIZE_MAX || cedar_validation_error_policy(v, k) == i)
            return cedar_validation_error_message(v, k);
    return NULL;
}

/* shouldValidate, the whole set and each policy in both modes. */
static void core_policy_checks(const config *cfg, const char *path, const json_t *t,
                               const json_t *exp, const cedar_schema *schema,
                               const cedar_policy_set *ps, const char *setup_error, counts *c)
{
    const json_t *should = json_object_get(t, "shouldValidate");
    const json_t *pv = json_object_get(exp, "policyValidation");
    if (setup_error) {
        long n = (should ? 1 : 0) +
                 (pv ? 2 + 2 * (long)json_object_size(json_object_get(pv, "perPolicy")) : 0);
        c->failed += n;
        if (n) fail_line(cfg, path, NULL, "validation: %s", setup_error);
        return;
    }
    cedar_validation *v[2] = {cedar_validate(schema, ps, CEDAR_VALIDATION_STRICT, NULL),
                              cedar_validate(schema, ps, CEDAR_VALIDATION_PERMISSIVE, NULL)};
    static const char *const mode[2] = {"strict", "permissive"};
    if (should)
        vcheck(cfg, path, NULL, "shouldValidate", json_is_true(should),
               cedar_validation_passed(v[0]), first_verror(v[0], SIZE_MAX), c);
    for (int m = 0; m < 2 && pv; m++) {
        const json_t *w = json_object_get(pv, mode[m]);
        char what[256];
        if (json_is_boolean(w)) {
            snprintf(what, sizeof what, "validation (%s)", mode[m]);
            vcheck(cfg, path, NULL, what, json_is_true(w), cedar_validation_passed(v[m]),
                   first_verror(v[m], SIZE_MAX), c);
        }
        const json_t *per = json_object_get(pv, "perPolicy");
        const char *id;
        const json_t *pp;
        json_object_foreach((json_t *)per, id, pp)
        {
            w = json_object_get(pp, mode[m]);
            if (!json_is_boolean(w)) continue;
            size_t i = 0, n = cedar_validation_policy_count(v[m]);
            while (i < n && strcmp(cedar_validation_policy_id(v[m], i), id) != 0)
                i++;
            snprintf(what, sizeof what, "validation of %s (%s)", id, mode[m]);
            if (i == n) {
                c->failed++;
                fail_line(cfg, path, NULL, "%s: no such policy", what);
                continue;
            }
            vcheck(cfg, path, NULL, what, json_is_true(w), cedar_validation_policy_valid(v[m], i),
                   first_verror(v[m], i), c);
        }
    }
    cedar_validation_free(v[0]);
    cedar_validation_free(v[1]);
}

/* "Type::id" as the expectations name entities. */
static char *entity_key(const cd_uid *u)
{
    size_t n = u->type->len + u->id.len + 3;
    char *k = malloc(n);
    memcpy(k, u->type->text, u->type->len);
    memcpy(k + u->type->len, "::", 2);
    memcpy(k + u->type->len + 2, u->id.ptr, u->id.len);
    k[n - 1] = '\0';
    return k;
}

/* Does entity `elem` of an entities file conform to the schema on its own?
 * (The official Entities::from_entities with the schema, one entity.) */
static bool entity_conforms(const json_t *elem, const cedar_schema *schema, char **why)
{
    json_t *one = json_array();
    json_array_append((json_t *)one, (json_t *)elem);
    char *text = json_dumps(one, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(one);
    cedar_error err = {0};
    cedar_entities *es =
        text ? cedar_entities_parse(text, strlen(text), schema, "entity", &err) : NULL;
    free(text);
    if (!es) *why = err.message ? strdup(err.message) : strdup("cannot read the entity");
    cedar_error_clear(&err);
    cedar_entities_free(es);
    return es != NULL;
}

/* entityValidation.perEntity: each expected entity checked on its own. */
static void core_entity_checks(const config *cfg, const char *path, const json_t *exp,
                               const cedar_schema *schema, const char *ent, counts *c)
{
    const json_t *per = json_object_get(json_object_get(exp, "entityValidation"), "perEntity");
    if (!json_is_object(per)) return;
    /* our verdicts, by key: the file's entities, then the schema's actions */
    json_t *got = json_object();
    size_t len;
    char *text = schema && ent ? load(cfg, ent, &len) : NULL;
    cd_err e = {0};
    json_t *arr = text ? cd_json_parse(text, len, 0, ent, &e) : NULL;
    cd_err_clear(&e);
    free(text);
    size_t i;
    json_t *elem;
    cd_arena *a = cd_arena_new();
    json_array_foreach(arr, i, elem)
    {
        cd_uid u;
        cd_err ue = {0};
        if (!cd_json_to_uid(json_object_get(elem, "uid"), a, "uid", &u, &ue)) {
            cd_err_clear(&ue);
            continue;
        }
        char *k = entity_key(&u), *why = NULL;
        bool ok = entity_conforms(elem, schema, &why);
        json_object_set_new(got, k, ok ? json_true() : json_string(why));
        free(why);
        free(k);
    }
    for (size_t k = 0; schema && k < schema->s->n_actions; k++) {
        char *key = entity_key(&schema->s->actions[k].uid);
        if (!json_object_get(got, key)) json_object_set_new(got, key, json_true());
        free(key);
    }
    cd_arena_free(a);
    json_decref(arr);
    const char *key;
    const json_t *want;
    json_object_foreach((json_t *)per, key, want)
    {
        const json_t *g = json_object_get(got, key);
        char what[512];
        snprintf(what, sizeof what, "entity %s", key);
        if (!g) {
            c->failed++;
            fail_line(cfg, path, NULL, "%s: not among the test's entities", what);
            continue;
        }
        vcheck(cfg, path, NULL, what, json_object_size(want) == 0, json_is_true(g),
               json_string_value(g), c);
    }
    json_decref(got);
}

/* Does a request of the test conform to the schema (Cedar's request validation)? */
static bool request_conforms(const json_t *jr, const cedar_schema *schema, char **why)
{
    cd_arena *a = cd_arena_new();
    cd_err e = {0};
    cd_request rq = {0};
    static const char *const vars[] = {"principal", "action", "resource"};
    cd_value *slots[] = {&rq.principal, &rq.action, &rq.resource};
    bool ok = schema != NULL;
    for (int i = 0; ok && i < 3; i++) {
        cd_uid u = {0};
        ok = cd_json_to_uid(json_object_get(jr, vars[i]), a, vars[i], &u, &e);
        *slots[i] = cd_entityv(u);
    }
    json_t *ctx = json_object_get(jr, "context");
    json_t *empty = ctx ? NULL : json_object();
    ok = ok &&
         cd_context_from_json(ctx ? ctx : empty, schema->s, &rq.action.u.uid, a, &rq.context, &e);
    json_decref(empty);
    ok = ok && cd_request_validate(schema->s, &rq, &e);
    if (!ok) *why = e.message ? strdup(e.message) : strdup("no schema");
    cd_err_clear(&e);
    cd_arena_free(a);
    return ok;
}

/* requestValidation: each request, by description, in both modes (request
 * validation does not depend on the mode). */
static void core_request_checks(const config *cfg, const char *path, const json_t *t,
                                const json_t *exp, const cedar_schema *schema, counts *c)
{
    const json_t *rv = json_object_get(exp, "requestValidation");
    size_t i;
    const json_t *want;
    json_array_foreach((json_t *)rv, i, want)
    {
        const char *desc = json_string_value(json_object_get(want, "description"));
        const json_t *jr = NULL, *x;
        size_t k;
        json_array_foreach(json_object_get(t, "requests"), k, x)
        {
            const char *d = json_string_value(json_object_get(x, "description"));
            if (desc && d && strcmp(d, desc) == 0) jr = x;
        }
        if (!jr) {
            c->failed++;
            fail_line(cfg, path, desc, "request validation: no such request");
            continue;
        }
        char *why = NULL;
        bool got = request_conforms(jr, schema, &why);
        static const char *const mode[2] = {"strict", "permissive"};
        for (int m = 0; m < 2; m++) {
            const json_t *w = json_object_get(want, mode[m]);
            char what[64];
            snprintf(what, sizeof what, "request validation (%s)", mode[m]);
            if (json_is_boolean(w)) vcheck(cfg, path, desc, what, json_is_true(w), got, why, c);
        }
        free(why);
    }
}

static void core_validation(const config *cfg, const char *path, const json_t *t,
                            const cedar_schema *schema, const cedar_policy_set *ps, const char *ent,
                            const char *setup_error, counts *c)
{
    json_t *exp = core_expectations(cfg, path);
    core_policy_checks(cfg, path, t, exp, schema, ps, setup_error, c);
    if (exp) {
        core_entity_checks(cfg, path, exp, schema, ent, c);
        core_request_checks(cfg, path, t, exp, schema, c);
    }
    json_decref(exp);
}

/* Is t shaped as a test? NULL when it is, else what is wrong. */
static const char *test_shape_error(const json_t *t)
{
    if (!json_is_object(t)) return "a test must be a JSON object";
    if (!json_is_string(json_object_get(t, "policies")))
        return "`policies` must be a string (the policy file)";
    if (!json_is_array(json_object_get(t, "requests"))) return "`requests` must be an array";
    const char *opt[] = {"entities", "schema"};
    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_object_get(t, opt[i]);
        if (v && !json_is_string(v))
            return i == 0 ? "`entities` must be a string (the entities file)"
                          : "`schema` must be a string (the schema file)";
    }
    const json_t *sv = json_object_get(t, "shouldValidate");
    if (sv && !json_is_boolean(sv)) return "`shouldValidate` must be a boolean";
    size_t i;
    const json_t *rq;
    json_array_foreach(json_object_get(t, "requests"), i, rq)
    {
        if (!json_is_object(rq)) return "every request must be a JSON object";
    }
    return NULL;
}

static void run_test(const config *cfg, const test_file *tf, counts *c)
{
    const char *path = tf->path;
    size_t len;
    char *text = tool_read_file(path, &len);
    if (!text) {
        c->failed++;
        return;
    }
    cd_err e = {0};
    json_t *t = cd_json_parse(text, len, CD_JSON_LAST_KEY_WINS, path, &e);
    free(text);
    if (!t) {
        /* never skip silently: an unreadable file may be a test */
        c->failed++;
        fail_line(cfg, path, NULL, "invalid JSON at %u:%u: %s", e.loc.line, e.loc.column,
                  e.message);
        cd_err_clear(&e);
        return;
    }
    /* In a folder, only an object with `policies` or `requests` is a test. */
    bool looks_like_test =
        json_is_object(t) && (json_object_get(t, "policies") || json_object_get(t, "requests"));
    const char *bad = test_shape_error(t);
    if (bad && (tf->named || looks_like_test)) {
        c->failed++;
        fail_line(cfg, path, NULL, "not a valid test: %s", bad);
    }
    if (bad) {
        json_decref(t);
        return;
    }
    c->tests++;
    const json_t *requests = json_object_get(t, "requests");
    const char *pol = json_string_value(json_object_get(t, "policies"));
    const char *ent = json_string_value(json_object_get(t, "entities"));
    const char *sch = json_string_value(json_object_get(t, "schema"));
    char *setup_error = NULL;
    cedar_error err = {0};
    cedar_schema *schema = NULL;
    cedar_policy_set *ps = NULL;
    cedar_entities *es = NULL;

    char *schema_rel = sch ? (cfg->json_schema ? json_schema_path(sch) : strdup(sch)) : NULL;
    if (cfg->json_schema && schema_rel && !exists(cfg, schema_rel)) {
        /* the JSON-schema archive lacks a few tests: skip them, saying so */
        size_t n = json_array_size(requests);
        c->skipped += 3 * (long)n + (json_object_get(t, "shouldValidate") ? 1 : 0);
        c->no_json_schema++;
        if (!cfg->quiet) printf("SKIP %s: no JSON schema %s\n", path, schema_rel);
        free(schema_rel);
        json_decref(t);
        return;
    }
    char *s_text = schema_rel ? load(cfg, schema_rel, &len) : NULL;
    if (!s_text) {
        setup_error = strdup("cannot read the schema");
    } else if (!(schema = cedar_schema_parse(
                     s_text, len, cfg->json_schema ? CEDAR_SCHEMA_JSON : CEDAR_SCHEMA_TEXT,
                     schema_rel, &err))) {
        char *m = cedar_error_format(&err);
        setup_error = m;
    }
    free(s_text);
    free(schema_rel);
    cedar_error_clear(&err);

    char *p_text = !setup_error ? load(cfg, pol, &len) : NULL;
    if (!setup_error && !p_text) setup_error = strdup("cannot read the policies");
    if (!setup_error && !(ps = cedar_policy_set_parse(p_text, len, pol, &err)))
        setup_error = cedar_error_format(&err);
    free(p_text);
    cedar_error_clear(&err);

    char *e_text = !setup_error && ent ? load(cfg, ent, &len) : NULL;
    if (!setup_error && !e_text) setup_error = strdup("cannot read the entities");
    if (!setup_error && !(es = cedar_entities_parse(e_text, len, schema, ent, &err)))
        setup_error = cedar_error_format(&err);
    free(e_text);
    cedar_error_clear(&err);

    /* the validator: core's checks (shouldValidate, --validation expectations) */
    if (cfg->engine & ENGINE_CORE)
        core_validation(cfg, path, t, schema, ps, ent, setup_error, c);
    else if (json_object_get(t, "shouldValidate"))
        c->skipped++;

    model_input mi = {0};
    if (!setup_error && (cfg->engine & ENGINE_MODEL)) {
        mi.arena = m_arena_new();
        if (drt_policies(mi.arena, &ps->view, &mi.policies, &mi.n, &mi.error))
            mi.es = drt_entities(mi.arena, es ? es->es : NULL);
    }
    run_requests(cfg, path, requests, ps, es, schema, &mi, setup_error, c);
    if (!setup_error && (cfg->engine & ENGINE_MODEL))
        model_validation(cfg, path, t, schema, &mi, c);

    m_arena_free(mi.arena);
    free(setup_error);
    cedar_entities_free(es);
    cedar_policy_set_free(ps);
    cedar_schema_free(schema);
    json_decref(t);
}

static void usage(FILE *f)
{
    fputs("usage: cedar-conformance [--root DIR] [--schema-format cedar|json]\n"
          "                         [--engine core|model|both] [--validation DIR] [-q] PATH...\n",
          f);
}

int main(int argc, char **argv)
{
    config cfg = {.root = getenv("CEDAR_INTEGRATION_TESTS"), .engine = ENGINE_CORE};
    if (!cfg.root || !*cfg.root) cfg.root = ".";
    paths files = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) {
            cfg.root = argv[++i];
        } else if (strcmp(argv[i], "--schema-format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "json") != 0 && strcmp(f, "cedar") != 0) {
                usage(stderr);
                return 1;
            }
            cfg.json_schema = strcmp(f, "json") == 0;
        } else if (strcmp(argv[i], "--engine") == 0 && i + 1 < argc) {
            const char *e = argv[++i];
            cfg.engine = strcmp(e, "core") == 0    ? ENGINE_CORE
                         : strcmp(e, "model") == 0 ? ENGINE_MODEL
                         : strcmp(e, "both") == 0  ? ENGINE_BOTH
                                                   : 0;
            if (!cfg.engine) {
                usage(stderr);
                return 1;
            }
        } else if (strcmp(argv[i], "--validation") == 0 && i + 1 < argc) {
            cfg.validation = argv[++i];
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            cfg.quiet = true;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "error: unknown option %s\n", argv[i]);
            usage(stderr);
            return 1;
        } else {
            collect(argv[i], &files);
        }
    }
    if (files.n == 0) {
        usage(stderr);
        return 1;
    }
    qsort(files.v, files.n, sizeof *files.v, cmp_path);
    counts c = {0};
    for (size_t i = 0; i < files.n; i++) {
        run_test(&cfg, &files.v[i], &c);
        free(files.v[i].path);
    }
    free(files.v);
    if (cfg.engine == ENGINE_BOTH) printf("engine-diff: %ld\n", c.diffs);
    if (c.no_json_schema) printf("skipped %ld tests that have no JSON schema\n", c.no_json_schema);
    printf("conformance: %ld passed, %ld failed, %ld skipped\n", c.passed, c.failed, c.skipped);
    if (c.tests == 0 && c.failed == 0) {
        fputs("error: no tests found\n", stderr);
        return 1;
    }
    if (c.tests == 0) return 1;
    return c.failed || c.diffs ? 1 : 0;
}
