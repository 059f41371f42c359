/* t_eval.h: what the evaluator tests share (test_eval.c, test_policy_eval.c):
 * a test entity store and request, AST builders that give every node a
 * distinct location (line = node number), and evaluation helpers. Each test
 * program has its own copy of the state below. */
#ifndef T_EVAL_H
#define T_EVAL_H

#include <inttypes.h>
#include <stdarg.h>

#include "cd_eval.h"
#include "t.h"

static cd_arena *A;     /* ASTs, values, policies */
static cd_entities *ES; /* the test store */
static cd_request REQ;  /* principal User::"alice", action Action::"view", resource Photo::"p1" */
static cd_eval_ctx CTX;
static uint32_t next_line = 1;

/* ---- AST builders ------------------------------------------------------- */

static inline cd_expr *mk(cd_xkind k)
{
    cd_expr *e = CD_NEW(A, cd_expr);
    e->kind = k;
    e->loc.line = next_line++;
    e->loc.column = 1;
    return e;
}

static inline cd_str str(const char *s)
{
    return cd_arena_str(A, s, strlen(s));
}

static inline cd_uid uid(const char *type, const char *id)
{
    return (cd_uid){cd_name_intern(NULL, type, strlen(type)), str(id), 0};
}

static inline cd_expr *lit(cd_value v)
{
    cd_expr *e = mk(CD_X_LIT);
    e->u.lit = v;
    return e;
}

static inline cd_expr *L(int64_t l)
{
    return lit(cd_long(l));
}

static inline cd_expr *S(const char *s)
{
    return lit(cd_string(str(s)));
}

static inline cd_expr *B(bool b)
{
    return lit(cd_bool(b));
}

static inline cd_expr *E(const char *type, const char *id)
{
    return lit(cd_entityv(uid(type, id)));
}

static inline cd_expr *V(cd_var v)
{
    cd_expr *e = mk(CD_X_VAR);
    e->u.var = v;
    return e;
}

static inline cd_expr *op(cd_xkind k, cd_expr *a, cd_expr *b)
{
    cd_expr *e = mk(k);
    e->u.op.a = a;
    e->u.op.b = b;
    return e;
}

static inline cd_expr *ite(cd_expr *a, cd_expr *b, cd_expr *c)
{
    cd_expr *e = mk(CD_X_IF);
    e->u.op.a = a;
    e->u.op.b = b;
    e->u.op.c = c;
    return e;
}

static inline cd_expr *attr(cd_xkind k, cd_expr *obj, const char *name)
{
    cd_expr *e = mk(k);
    e->u.attr.obj = obj;
    e->u.attr.name = str(name);
    return e;
}

static inline cd_expr *slot(cd_slot s)
{
    cd_expr *e = mk(CD_X_SLOT);
    e->u.slot = s;
    return e;
}

/* A set literal of n elements. */
static inline cd_expr *set(size_t n, ...)
{
    cd_expr *e = mk(CD_X_SET);
    e->u.list.n = n;
    e->u.list.items = CD_NEW_ARRAY(A, cd_expr *, n ? n : 1);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        e->u.list.items[i] = va_arg(ap, cd_expr *);
    va_end(ap);
    return e;
}

/* A record literal of n fields given as key, expression pairs. */
static inline cd_expr *rec(size_t n, ...)
{
    cd_expr *e = mk(CD_X_RECORD);
    e->u.rec.n = n;
    e->u.rec.keys = CD_NEW_ARRAY(A, cd_str, n ? n : 1);
    e->u.rec.vals = CD_NEW_ARRAY(A, cd_expr *, n ? n : 1);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        e->u.rec.keys[i] = str(va_arg(ap, const char *));
        e->u.rec.vals[i] = va_arg(ap, cd_expr *);
    }
    va_end(ap);
    return e;
}

static inline cd_expr *is(cd_expr *obj, const char *type, cd_expr *in)
{
    cd_expr *e = mk(CD_X_IS);
    e->u.is.obj = obj;
    e->u.is.type = cd_name_intern(NULL, type, strlen(type));
    e->u.is.in = in;
    return e;
}

/* `obj like pattern` where `*` in pattern is a wildcard and `\*` a literal star. */
static inline cd_expr *like(cd_expr *obj, const char *pattern)
{
    cd_pat_elem *el = CD_NEW_ARRAY(A, cd_pat_elem, strlen(pattern) + 1);
    size_t n = 0;
    cd_buf run;
    cd_buf_init(&run);
    for (const char *p = pattern;; p++) {
        if (*p == '*' || *p == 0) {
            if (run.len) {
                el[n].star = false;
                el[n++].lit = cd_arena_str(A, run.data, run.len);
                run.len = 0;
            }
            if (*p == 0) break;
            if (n == 0 || !el[n - 1].star) el[n++].star = true;
        } else {
            if (*p == '\\' && p[1] == '*') p++;
            cd_buf_putc(&run, *p);
        }
    }
    cd_buf_free(&run);
    cd_expr *e = mk(CD_X_LIKE);
    e->u.like.obj = obj;
    e->u.like.pat = (cd_pattern){n, el};
    return e;
}

static inline cd_expr *call(cd_extfn fn, size_t n, ...)
{
    cd_expr *e = mk(CD_X_CALL);
    e->u.call.fn = fn;
    e->u.call.n = n;
    e->u.call.args = CD_NEW_ARRAY(A, cd_expr *, n ? n : 1);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        e->u.call.args[i] = va_arg(ap, cd_expr *);
    va_end(ap);
    return e;
}

static inline cd_value ext_datetime(int64_t ms)
{
    cd_ext x = {.kind = CD_EXT_DATETIME};
    x.u.datetime_ms = ms;
    return cd_extv(x);
}

static inline cd_value ext_duration(int64_t ms)
{
    cd_ext x = {.kind = CD_EXT_DURATION};
    x.u.duration_ms = ms;
    return cd_extv(x);
}

static inline cd_value ext_decimal(int64_t v)
{
    cd_ext x = {.kind = CD_EXT_DECIMAL};
    x.u.decimal = v;
    return cd_extv(x);
}

/* ---- evaluation helpers ------------------------------------------------- */

static const char *ENTITIES_JSON =
    "["
    "{\"uid\":{\"type\":\"User\",\"id\":\"alice\"},"
    " \"attrs\":{\"age\":30,\"name\":\"Alice\",\"manager\":{\"__entity\":{\"type\":\"User\","
    "\"id\":\"bob\"}},\"level\":1},"
    " \"parents\":[{\"type\":\"Group\",\"id\":\"staff\"}],"
    " \"tags\":{\"level\":\"high\"}},"
    "{\"uid\":{\"type\":\"Group\",\"id\":\"staff\"},\"attrs\":{},"
    " \"parents\":[{\"type\":\"Group\",\"id\":\"all\"}]},"
    "{\"uid\":{\"type\":\"Group\",\"id\":\"all\"},\"attrs\":{},\"parents\":[]},"
    "{\"uid\":{\"type\":\"Photo\",\"id\":\"p1\"},"
    " \"attrs\":{\"owner\":{\"__entity\":{\"type\":\"User\",\"id\":\"alice\"}}},"
    " \"parents\":[{\"type\":\"Album\",\"id\":\"a1\"}]},"
    "{\"uid\":{\"type\":\"Action\",\"id\":\"view\"},\"attrs\":{},"
    " \"parents\":[{\"type\":\"Action\",\"id\":\"read\"}]}"
    "]";

static inline void setup(void)
{
    A = cd_arena_new();
    cd_err err = {0};
    ES = cd_entities_load_json(ENTITIES_JSON, strlen(ENTITIES_JSON), "test", NULL, &err);
    if (!ES) {
        fprintf(stderr, "entities: %s\n", err.message ? err.message : "?");
        cd_err_clear(&err);
        ES = cd_entities_new_empty();
    }
    REQ.principal = cd_entityv(uid("User", "alice"));
    REQ.action = cd_entityv(uid("Action", "view"));
    REQ.resource = cd_entityv(uid("Photo", "p1"));
    cd_str keys[2] = {str("ip"), str("n")};
    cd_value vals[2] = {cd_string(str("10.0.0.1")), cd_long(7)};
    cd_str *k = cd_arena_dup(A, keys, sizeof keys);
    cd_value *v = cd_arena_dup(A, vals, sizeof vals);
    T_CHECK(cd_record_make(k, v, 2, &REQ.context, NULL));
    CTX = (cd_eval_ctx){.req = &REQ, .es = ES, .arena = A};
}

static inline void teardown(void)
{
    cd_entities_free(ES);
    cd_arena_free(A);
}

static inline bool run(cd_expr *e, cd_value *out)
{
    CTX.err = (cd_eval_error){0};
    return cd_eval(&CTX, e, out);
}

static inline bool is_bool(cd_expr *e, bool want)
{
    cd_value v;
    if (!run(e, &v)) {
        fprintf(stderr, "  unexpected error: %s\n", CTX.err.message);
        return false;
    }
    return v.kind == CD_V_BOOL && v.u.b == want;
}

static inline bool is_long(cd_expr *e, int64_t want)
{
    cd_value v;
    if (!run(e, &v)) {
        fprintf(stderr, "  unexpected error: %s\n", CTX.err.message);
        return false;
    }
    return v.kind == CD_V_LONG && v.u.l == want;
}

static inline bool is_str(cd_expr *e, const char *want)
{
    cd_value v;
    if (!run(e, &v)) {
        fprintf(stderr, "  unexpected error: %s\n", CTX.err.message);
        return false;
    }
    return v.kind == CD_V_STRING && cd_str_eq_c(v.u.s, want);
}

/* Evaluation fails with the given kind and a non-empty message. */
static inline bool is_err(cd_expr *e, cd_errkind kind)
{
    cd_value v;
    if (run(e, &v)) {
        fprintf(stderr, "  expected %s, got a value\n", cd_errkind_name(kind));
        return false;
    }
    if (CTX.err.kind != kind)
        fprintf(stderr, "  expected %s, got %s: %s\n", cd_errkind_name(kind),
                cd_errkind_name(CTX.err.kind), CTX.err.message);
    return CTX.err.kind == kind && CTX.err.message && CTX.err.message[0];
}

static inline bool msg_has(const char *needle)
{
    bool ok = CTX.err.message && strstr(CTX.err.message, needle);
    if (!ok) fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", CTX.err.message, needle);
    return ok;
}

#endif
