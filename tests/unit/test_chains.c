/* Long left-deep chains of one operator (`a || b || ...`, `a && b && ...`,
 * `a + b - ...`, `a * b * ...`, `a.b.c...`) with 100,000 terms: core parses,
 * evaluates, prints, re-parses and validates them without recursing per term,
 * and the model (through the bridge) gives the same answers. Real nesting
 * keeps its limit (test_parse.c, tests/hostile/parser.sh). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "cd_ast.h"
#include "cd_eval.h"
#include "cd_schema.h"
#include "cd_validate.h"
#include "t.h"

#define N 100000

static const char SCHEMA[] =
    "entity User { next: User, n: Long, t: Bool, opt?: User };\n"
    "action a appliesTo { principal: User, resource: User, context: { t: Bool, f: Bool } };\n";

static const char ENTITIES[] =
    "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"parents\": [],"
    "  \"attrs\": {\"next\": {\"__entity\": {\"type\": \"User\", \"id\": \"u\"}}, \"n\": 7,"
    "             \"t\": true}}]";

/* A growing text buffer. */
typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        if (!t->p) abort();
    }
    va_start(ap, fmt);
    vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* `permit(principal, action, resource) when { t0 SEP t1 SEP ... }` where
 * term i is term(i) (a printf format taking i, or a fixed text) unless
 * special[i] says otherwise. */
typedef const char *(*term_fn)(size_t i, char *buf);

static char *policy(size_t n, const char *sep, term_fn term, const char *tail)
{
    text t = {0};
    char buf[128];
    put(&t, "permit(principal, action, resource) when { ");
    for (size_t i = 0; i < n; i++)
        put(&t, "%s%s", i ? sep : "", term(i, buf));
    put(&t, "%s };", tail ? tail : "");
    return t.p;
}

/* The outcome of one policy text for principal User::"<pid>": from core
 * (decision, error kind, message) and from the model (decision, erroring). */
typedef struct outcome {
    bool parsed, allow, error, m_allow, m_error;
    cd_errkind kind;
    char msg[160];
    bool valid, m_valid; /* strict validation */
    bool reprinted;      /* printed, re-parsed, printed again to the same text */
} outcome;

static outcome run(const char *src, const char *pid)
{
    outcome o = {0};
    cd_err err = {0};
    cd_arena *ar = cd_arena_new();
    cd_schema *s = cd_schema_parse_text(SCHEMA, strlen(SCHEMA), "schema", &err);
    cd_entities *es = cd_entities_load_json(ENTITIES, strlen(ENTITIES), "e", s, &err);
    T_CHECK(s && es);
    cd_policies ps;
    o.parsed = cd_parse_policies(src, strlen(src), "p", ar, &ps, &err);
    if (!o.parsed) {
        fprintf(stderr, "parse: %s\n", err.message ? err.message : "?");
        goto done;
    }
    cd_request rq = {cd_entityv((cd_uid){cd_name_intern(ar, "User", 4), cd_str_from_c(pid), 0}),
                     cd_entityv((cd_uid){cd_name_intern(ar, "Action", 6), cd_str_from_c("a"), 0}),
                     cd_entityv((cd_uid){cd_name_intern(ar, "User", 4), cd_str_from_c("u"), 0}),
                     {0}};
    const char *ctx_json = "{\"t\": true, \"f\": false}";
    json_error_t jerr;
    json_t *cj = json_loads(ctx_json, 0, &jerr);
    T_CHECK(cd_context_from_json(cj, s, &rq.action.u.uid, ar, &rq.context, &err));
    json_decref(cj);

    cd_response resp;
    cd_authorize(&ps, &rq, es, ar, &resp);
    o.allow = resp.allow;
    o.error = resp.n_errors > 0;
    if (o.error) {
        o.kind = resp.errors[0].error.kind;
        snprintf(o.msg, sizeof o.msg, "%s", resp.errors[0].error.message);
    }

    m_arena *ma = m_arena_new();
    m_policy *mps;
    size_t mn;
    const char *why;
    if (drt_policies(ma, &ps, &mps, &mn, &why)) {
        m_entities mes = drt_entities(ma, es);
        m_request mrq = drt_request(ma, &rq);
        m_response mr = m_is_authorized(&mrq, &mes, mn, mps, ma);
        o.m_allow = mr.allow;
        o.m_error = mr.n_erroring > 0;
        m_schema ms;
        drt_schema(ma, s, &ms);
        o.m_valid = m_validate_policy(&ms, &mps[0], M_STRICT, ma).err == M_TC_OK;
    }
    m_arena_free(ma);

    cd_vresult vr;
    cd_validate(s, &ps, CD_VMODE_STRICT, ar, &vr);
    o.valid = vr.valid;

    cd_buf b1, b2;
    cd_buf_init(&b1);
    cd_buf_init(&b2);
    cd_policy_print(&b1, ps.items[0]);
    cd_policies ps2;
    if (cd_parse_policies(cd_buf_cstr(&b1), b1.len, "printed", ar, &ps2, &err) && ps2.n == 1) {
        cd_policy_print(&b2, ps2.items[0]);
        o.reprinted = b1.len == b2.len && memcmp(cd_buf_cstr(&b1), cd_buf_cstr(&b2), b1.len) == 0;
    }
    cd_buf_free(&b1);
    cd_buf_free(&b2);
done:
    cd_entities_free(es);
    cd_schema_free(s);
    cd_arena_free(ar);
    cd_err_clear(&err);
    return o;
}

/* Core and the model agree, the text round-trips, and the answer is as given. */
static bool agrees(const outcome *o)
{
    if (!(o->parsed && o->allow == o->m_allow && o->error == o->m_error && o->reprinted &&
          o->valid == o->m_valid)) {
        fprintf(stderr, "parsed %d allow %d/%d error %d/%d reprinted %d valid %d/%d (core/model)\n",
                o->parsed, o->allow, o->m_allow, o->error, o->m_error, o->reprinted, o->valid,
                o->m_valid);
        return false;
    }
    return true;
}

/* ---- terms --------------------------------------------------------------- */

static size_t special = SIZE_MAX; /* the index of the odd term, if any */
static const char *special_text = "";

static const char *eq_user(size_t i, char *buf)
{
    if (i == special) return special_text;
    snprintf(buf, 128, "principal == User::\"u%zu\"", i);
    return buf;
}

static const char *ctx_t(size_t i, char *buf)
{
    (void)buf;
    return i == special ? special_text : "context.t";
}

static const char *one(size_t i, char *buf)
{
    (void)buf;
    return i == special ? special_text : "1";
}

static const char *alt_sign(size_t i, char *buf)
{
    (void)buf;
    if (i == special) return special_text;
    return i % 2 ? "3" : "2"; /* 2 + 3 - 2 + 3 - ... with the operators below */
}

static const char *first_big(size_t i, char *buf)
{
    (void)buf;
    return i == 0 ? "9223372036854775000" : "1";
}

static const char *two_after(size_t i, char *buf)
{
    (void)buf;
    return i < N - 70 ? "1" : "2";
}

static const char *next(size_t i, char *buf)
{
    (void)buf;
    return i == 0 ? "principal" : "next";
}

/* ---- tests --------------------------------------------------------------- */

static void test_or(void)
{
    char *src = policy(N, " || ", eq_user, NULL);
    char last[32];
    snprintf(last, sizeof last, "u%d", N - 1);
    outcome o = run(src, last); /* true only because of the last term */
    T_CHECK(agrees(&o) && o.allow && !o.error && o.valid);
    o = run(src, "nobody");
    T_CHECK(agrees(&o) && !o.allow && !o.error);
    free(src);
    /* an error in the middle: reached when the true term comes after it,
     * skipped when the true term comes before it */
    special = N / 2;
    special_text = "resource.n == 0 || resource.nope";
    src = policy(N, " || ", eq_user, NULL);
    o = run(src, last);
    T_CHECK(agrees(&o) && !o.allow && o.error && o.kind == CD_E_ATTR_DOES_NOT_EXIST);
    T_CHECK(!o.valid); /* resource.nope is not declared */
    o = run(src, "u7");
    T_CHECK(agrees(&o) && o.allow && !o.error);
    /* an operand that is not a bool, in the middle */
    special_text = "resource.n";
    free(src);
    src = policy(N, " || ", eq_user, NULL);
    o = run(src, last);
    T_CHECK(agrees(&o) && !o.allow && o.error && o.kind == CD_E_TYPE);
    special = SIZE_MAX;
    free(src);
}

static void test_and(void)
{
    char *src = policy(N, " && ", ctx_t, NULL);
    outcome o = run(src, "u");
    T_CHECK(agrees(&o) && o.allow && !o.error && o.valid);
    free(src);
    /* false in the middle stops before a later error */
    special = N / 2;
    special_text = "context.f";
    src = policy(N, " && ", ctx_t, " && principal.nope");
    o = run(src, "u");
    T_CHECK(agrees(&o) && !o.allow && !o.error);
    free(src);
    /* an error before the false term is reported */
    special_text = "principal.nope";
    src = policy(N, " && ", ctx_t, " && context.f");
    o = run(src, "u");
    T_CHECK(agrees(&o) && !o.allow && o.error && o.kind == CD_E_ATTR_DOES_NOT_EXIST);
    special = SIZE_MAX;
    free(src);
}

static void test_arith(void)
{
    char *src = policy(N, " + ", one, " == 100000");
    outcome o = run(src, "u");
    T_CHECK(agrees(&o) && o.allow && !o.error && o.valid);
    free(src);
    /* 2 - 3 + 2 - 3 ...: mixed + and - in one chain */
    text t = {0};
    long sum = 2;
    put(&t, "permit(principal, action, resource) when { 2");
    for (size_t i = 1; i < N; i++) {
        put(&t, " %s %s", i % 2 ? "-" : "+", alt_sign(i, (char[128]){0}));
        sum += (i % 2 ? -1 : 1) * atol(alt_sign(i, (char[128]){0}));
    }
    put(&t, " == %ld };", sum);
    o = run(t.p, "u");
    T_CHECK(agrees(&o) && o.allow && !o.error && o.valid);
    free(t.p);
    /* overflow at the exact term: 9223372036854775000 + 1 + 1 ... passes
     * INT64_MAX at the 808th `+ 1` */
    src = policy(N, " + ", first_big, " > 0");
    o = run(src, "u");
    T_CHECK(agrees(&o) && !o.allow && o.error && o.kind == CD_E_OVERFLOW);
    T_CHECK(strstr(o.msg, "9223372036854775807 + 1") != NULL);
    free(src);
    /* 1 * 1 * ... * 2 * 2 ...: 70 twos overflow at the 64th */
    src = policy(N, " * ", two_after, " > 0");
    o = run(src, "u");
    T_CHECK(agrees(&o) && !o.allow && o.error && o.kind == CD_E_OVERFLOW);
    T_CHECK(strstr(o.msg, "4611686018427387904 * 2") != NULL);
    free(src);
}

static void test_attr(void)
{
    char *src = policy(N, ".", next, ".n == 7");
    outcome o = run(src, "u");
    T_CHECK(agrees(&o) && o.allow && !o.error && o.valid);
    free(src);
    src = policy(N, ".", next, ".t && principal.t");
    o = run(src, "u");
    T_CHECK(agrees(&o) && o.allow && !o.error && o.valid);
    free(src);
    /* a missing attribute at the end, and an entity that does not exist */
    src = policy(N, ".", next, ".nope");
    o = run(src, "u");
    T_CHECK(agrees(&o) && !o.allow && o.error && o.kind == CD_E_ATTR_DOES_NOT_EXIST && !o.valid);
    free(src);
    o = run(src = policy(N, ".", next, ".t"), "ghost");
    T_CHECK(agrees(&o) && !o.allow && o.error && o.kind == CD_E_ENTITY_DOES_NOT_EXIST);
    free(src);
}

/* `&&`'s capabilities flow left to right through the whole chain: a `has`
 * in the first term guards an access in the last; `||` keeps only what
 * every operand knows. */
static void test_capabilities(void)
{
    char *src = policy(N, " && ", ctx_t, " && principal.opt == principal");
    outcome o = run(src, "u");
    T_CHECK(agrees(&o) && !o.valid); /* unguarded */
    free(src);
    special = 0;
    special_text = "principal has opt";
    src = policy(N, " && ", ctx_t, " && principal.opt == principal");
    o = run(src, "u");
    T_CHECK(agrees(&o) && o.valid && !o.allow && !o.error); /* u has no opt */
    free(src);
    src = policy(N, " || ", ctx_t, " || principal.opt == principal");
    o = run(src, "u");
    T_CHECK(agrees(&o) && !o.valid && o.allow);
    special = SIZE_MAX;
    free(src);
}

/* Real nesting keeps its limit: 1,001 parentheses around a chain fail. */
static void test_nesting_still_limited(void)
{
    text t = {0};
    put(&t, "permit(principal, action, resource) when { ");
    for (int i = 0; i < 1001; i++)
        put(&t, "(");
    put(&t, "true || false");
    for (int i = 0; i < 1001; i++)
        put(&t, ")");
    put(&t, " };");
    cd_err err = {0};
    cd_arena *ar = cd_arena_new();
    cd_policies ps;
    T_CHECK(!cd_parse_policies(t.p, t.len, "p", ar, &ps, &err));
    T_CHECK(err.message && strstr(err.message, "nested too deeply"));
    cd_arena_free(ar);
    cd_err_clear(&err);
    free(t.p);
}

int main(void)
{
    T_RUN(test_or);
    T_RUN(test_and);
    T_RUN(test_arith);
    T_RUN(test_attr);
    T_RUN(test_capabilities);
    T_RUN(test_nesting_still_limited);
    T_DONE();
}
