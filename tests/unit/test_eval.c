/* Tests of the evaluator and the authorizer (cd_eval.c, cd_authz.c).
 *
 * Most expressions are built directly as ASTs so that a parser bug cannot
 * hide an evaluator bug; every node gets a distinct location (line = node
 * number) so tests can check where an error points. The last tests parse
 * Cedar text and check the same semantics end to end.
 * Expected results follow the Lean specification's `evaluate` and
 * `isAuthorized` (and the Rust evaluator where they leave a choice).
 */
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

static cd_expr *mk(cd_xkind k)
{
    cd_expr *e = CD_NEW(A, cd_expr);
    e->kind = k;
    e->loc.line = next_line++;
    e->loc.column = 1;
    return e;
}

static cd_str str(const char *s)
{
    return cd_arena_str(A, s, strlen(s));
}

static cd_uid uid(const char *type, const char *id)
{
    return (cd_uid){cd_name_intern(type, strlen(type)), str(id)};
}

static cd_expr *lit(cd_value v)
{
    cd_expr *e = mk(CD_X_LIT);
    e->u.lit = v;
    return e;
}

static cd_expr *L(int64_t l)
{
    return lit(cd_long(l));
}

static cd_expr *S(const char *s)
{
    return lit(cd_string(str(s)));
}

static cd_expr *B(bool b)
{
    return lit(cd_bool(b));
}

static cd_expr *E(const char *type, const char *id)
{
    return lit(cd_entityv(uid(type, id)));
}

static cd_expr *V(cd_var v)
{
    cd_expr *e = mk(CD_X_VAR);
    e->u.var = v;
    return e;
}

static cd_expr *op(cd_xkind k, cd_expr *a, cd_expr *b)
{
    cd_expr *e = mk(k);
    e->u.op.a = a;
    e->u.op.b = b;
    return e;
}

static cd_expr *ite(cd_expr *a, cd_expr *b, cd_expr *c)
{
    cd_expr *e = mk(CD_X_IF);
    e->u.op.a = a;
    e->u.op.b = b;
    e->u.op.c = c;
    return e;
}

static cd_expr *attr(cd_xkind k, cd_expr *obj, const char *name)
{
    cd_expr *e = mk(k);
    e->u.attr.obj = obj;
    e->u.attr.name = str(name);
    return e;
}

static cd_expr *slot(cd_slot s)
{
    cd_expr *e = mk(CD_X_SLOT);
    e->u.slot = s;
    return e;
}

/* A set literal of n elements. */
static cd_expr *set(size_t n, ...)
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
static cd_expr *rec(size_t n, ...)
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

static cd_expr *is(cd_expr *obj, const char *type, cd_expr *in)
{
    cd_expr *e = mk(CD_X_IS);
    e->u.is.obj = obj;
    e->u.is.type = cd_name_intern(type, strlen(type));
    e->u.is.in = in;
    return e;
}

/* `obj like pattern` where `*` in pattern is a wildcard and `\*` a literal star. */
static cd_expr *like(cd_expr *obj, const char *pattern)
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

static cd_expr *call(cd_extfn fn, size_t n, ...)
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

static cd_value ext_datetime(int64_t ms)
{
    cd_ext x = {.kind = CD_EXT_DATETIME};
    x.u.datetime_ms = ms;
    return cd_extv(x);
}

static cd_value ext_duration(int64_t ms)
{
    cd_ext x = {.kind = CD_EXT_DURATION};
    x.u.duration_ms = ms;
    return cd_extv(x);
}

static cd_value ext_decimal(int64_t v)
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

static void setup(void)
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

static void teardown(void)
{
    cd_entities_free(ES);
    cd_arena_free(A);
}

static bool run(cd_expr *e, cd_value *out)
{
    CTX.err = (cd_eval_error){0};
    return cd_eval(&CTX, e, out);
}

static bool is_bool(cd_expr *e, bool want)
{
    cd_value v;
    if (!run(e, &v)) {
        fprintf(stderr, "  unexpected error: %s\n", CTX.err.message);
        return false;
    }
    return v.kind == CD_V_BOOL && v.u.b == want;
}

static bool is_long(cd_expr *e, int64_t want)
{
    cd_value v;
    if (!run(e, &v)) {
        fprintf(stderr, "  unexpected error: %s\n", CTX.err.message);
        return false;
    }
    return v.kind == CD_V_LONG && v.u.l == want;
}

static bool is_str(cd_expr *e, const char *want)
{
    cd_value v;
    if (!run(e, &v)) {
        fprintf(stderr, "  unexpected error: %s\n", CTX.err.message);
        return false;
    }
    return v.kind == CD_V_STRING && cd_str_eq_c(v.u.s, want);
}

/* Evaluation fails with the given kind and a non-empty message. */
static bool is_err(cd_expr *e, cd_errkind kind)
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

static bool msg_has(const char *needle)
{
    bool ok = CTX.err.message && strstr(CTX.err.message, needle);
    if (!ok) fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", CTX.err.message, needle);
    return ok;
}

/* ---- tests: expressions ------------------------------------------------- */

static void test_literals_and_vars(void)
{
    T_CHECK(is_long(L(42), 42));
    T_CHECK(is_str(S("hi"), "hi"));
    cd_value v;
    T_CHECK(run(V(CD_VAR_PRINCIPAL), &v) && v.kind == CD_V_ENTITY &&
            cd_str_eq_c(v.u.uid.id, "alice"));
    T_CHECK(run(V(CD_VAR_ACTION), &v) && v.kind == CD_V_ENTITY && cd_str_eq_c(v.u.uid.id, "view"));
    T_CHECK(run(V(CD_VAR_RESOURCE), &v) && v.kind == CD_V_ENTITY && cd_str_eq_c(v.u.uid.id, "p1"));
    T_CHECK(run(V(CD_VAR_CONTEXT), &v) && v.kind == CD_V_RECORD && v.u.rec.n == 2);
    T_CHECK(is_long(attr(CD_X_GET_ATTR, V(CD_VAR_CONTEXT), "n"), 7));
}

static void test_and_or_short_circuit(void)
{
    /* false && (1 + "a") is false: the right side is never evaluated. */
    T_CHECK(is_bool(op(CD_X_AND, B(false), op(CD_X_ADD, L(1), S("a"))), false));
    T_CHECK(is_bool(op(CD_X_OR, B(true), op(CD_X_ADD, L(1), S("a"))), true));
    /* ...but it is when the left does not decide. */
    T_CHECK(is_err(op(CD_X_AND, B(true), op(CD_X_ADD, L(1), S("a"))), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_OR, B(false), op(CD_X_ADD, L(1), S("a"))), CD_E_TYPE));
    /* Both operands must be bools when evaluated. */
    cd_expr *one = L(1);
    T_CHECK(is_err(op(CD_X_AND, B(true), one), CD_E_TYPE));
    T_CHECK(CTX.err.loc.line == one->loc.line);
    T_CHECK(msg_has("expected bool") && msg_has("long"));
    T_CHECK(is_err(op(CD_X_AND, L(1), B(false)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_OR, S("x"), B(true)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_OR, B(false), L(0)), CD_E_TYPE));
    /* A non-bool right side is not checked when the left decides. */
    T_CHECK(is_bool(op(CD_X_AND, B(false), L(1)), false));
    T_CHECK(is_bool(op(CD_X_OR, B(true), L(1)), true));
    T_CHECK(is_bool(op(CD_X_AND, B(true), B(true)), true));
    T_CHECK(is_bool(op(CD_X_AND, B(true), B(false)), false));
    T_CHECK(is_bool(op(CD_X_OR, B(false), B(false)), false));
    T_CHECK(is_bool(op(CD_X_OR, B(false), B(true)), true));
}

static void test_if(void)
{
    T_CHECK(is_long(ite(B(true), L(1), op(CD_X_ADD, L(1), S("a"))), 1));
    T_CHECK(is_long(ite(B(false), op(CD_X_ADD, L(1), S("a")), L(2)), 2));
    T_CHECK(is_err(ite(L(1), L(2), L(3)), CD_E_TYPE));
    T_CHECK(is_err(ite(B(true), op(CD_X_ADD, L(1), S("a")), L(2)), CD_E_TYPE));
    /* branches may have different types */
    T_CHECK(is_str(ite(op(CD_X_EQ, L(1), L(1)), S("yes"), L(0)), "yes"));
    /* the guard's own error wins */
    T_CHECK(is_err(ite(attr(CD_X_GET_ATTR, V(CD_VAR_CONTEXT), "nope"), L(1), L(2)),
                   CD_E_ATTR_DOES_NOT_EXIST));
}

static void test_not_neg(void)
{
    T_CHECK(is_bool(op(CD_X_NOT, B(true), NULL), false));
    T_CHECK(is_bool(op(CD_X_NOT, B(false), NULL), true));
    T_CHECK(is_err(op(CD_X_NOT, L(1), NULL), CD_E_TYPE));
    T_CHECK(is_long(op(CD_X_NEG, L(5), NULL), -5));
    T_CHECK(is_long(op(CD_X_NEG, L(INT64_MAX), NULL), -INT64_MAX));
    T_CHECK(is_long(op(CD_X_NEG, L(-INT64_MAX), NULL), INT64_MAX));
    T_CHECK(is_err(op(CD_X_NEG, L(INT64_MIN), NULL), CD_E_OVERFLOW));
    T_CHECK(msg_has("overflow"));
    T_CHECK(is_err(op(CD_X_NEG, S("a"), NULL), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_NEG, B(true), NULL), CD_E_TYPE));
}

static void test_eq(void)
{
    T_CHECK(is_bool(op(CD_X_EQ, L(1), L(1)), true));
    T_CHECK(is_bool(op(CD_X_EQ, L(1), L(2)), false));
    /* different types are unequal, never an error */
    T_CHECK(is_bool(op(CD_X_EQ, L(1), S("1")), false));
    T_CHECK(is_bool(op(CD_X_EQ, B(true), L(1)), false));
    T_CHECK(is_bool(op(CD_X_EQ, E("User", "alice"), V(CD_VAR_PRINCIPAL)), true));
    T_CHECK(is_bool(op(CD_X_EQ, E("User", "alice"), E("Admin", "alice")), false));
    T_CHECK(is_bool(op(CD_X_EQ, set(2, L(1), L(2)), set(3, L(2), L(1), L(2))), true));
    T_CHECK(is_bool(op(CD_X_EQ, set(1, L(1)), set(2, L(1), L(2))), false));
    T_CHECK(
        is_bool(op(CD_X_EQ, rec(2, "a", L(1), "b", S("x")), rec(2, "b", S("x"), "a", L(1))), true));
    T_CHECK(is_bool(op(CD_X_EQ, rec(1, "a", L(1)), rec(1, "a", L(2))), false));
    T_CHECK(is_bool(op(CD_X_EQ, lit(ext_decimal(10000)), lit(ext_decimal(10000))), true));
    T_CHECK(is_bool(op(CD_X_EQ, lit(ext_decimal(10000)), L(1)), false));
    /* `!=` is `!(==)` */
    T_CHECK(is_bool(op(CD_X_NOT, op(CD_X_EQ, L(1), S("1")), NULL), true));
    /* operand errors still propagate */
    T_CHECK(is_err(op(CD_X_EQ, L(1), op(CD_X_ADD, L(1), S("a"))), CD_E_TYPE));
}

static void test_compare(void)
{
    T_CHECK(is_bool(op(CD_X_LT, L(1), L(2)), true));
    T_CHECK(is_bool(op(CD_X_LT, L(2), L(2)), false));
    T_CHECK(is_bool(op(CD_X_LE, L(2), L(2)), true));
    T_CHECK(is_bool(op(CD_X_GT, L(3), L(2)), true));
    T_CHECK(is_bool(op(CD_X_GT, L(2), L(2)), false));
    T_CHECK(is_bool(op(CD_X_GE, L(2), L(2)), true));
    T_CHECK(is_bool(op(CD_X_GE, L(INT64_MIN), L(INT64_MAX)), false));
    /* datetime with datetime, duration with duration */
    T_CHECK(is_bool(op(CD_X_LT, lit(ext_datetime(-5)), lit(ext_datetime(0))), true));
    T_CHECK(is_bool(op(CD_X_GE, lit(ext_datetime(7)), lit(ext_datetime(7))), true));
    T_CHECK(is_bool(op(CD_X_LE, lit(ext_duration(3)), lit(ext_duration(2))), false));
    T_CHECK(is_bool(op(CD_X_GT, lit(ext_duration(3)), lit(ext_duration(2))), true));
    /* everything else is a type error */
    T_CHECK(is_err(op(CD_X_LT, lit(ext_datetime(1)), lit(ext_duration(2))), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_LT, lit(ext_decimal(1)), lit(ext_decimal(2))), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_LT, lit(ext_datetime(1)), L(2)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_LE, S("a"), S("b")), CD_E_TYPE));
    cd_expr *s = S("b");
    T_CHECK(is_err(op(CD_X_GT, L(1), s), CD_E_TYPE));
    T_CHECK(CTX.err.loc.line == s->loc.line);
    T_CHECK(msg_has("expected long") && msg_has("string"));
    T_CHECK(is_err(op(CD_X_GE, B(true), L(1)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_LT, E("User", "a"), E("User", "b")), CD_E_TYPE));
}

static void test_arith(void)
{
    T_CHECK(is_long(op(CD_X_ADD, L(2), L(3)), 5));
    T_CHECK(is_long(op(CD_X_SUB, L(2), L(3)), -1));
    T_CHECK(is_long(op(CD_X_MUL, L(-4), L(3)), -12));
    T_CHECK(is_long(op(CD_X_ADD, L(INT64_MAX - 1), L(1)), INT64_MAX));
    T_CHECK(is_long(op(CD_X_SUB, L(INT64_MIN + 1), L(1)), INT64_MIN));
    T_CHECK(is_long(op(CD_X_MUL, L(INT64_MIN), L(1)), INT64_MIN));
    T_CHECK(is_long(op(CD_X_MUL, L(-INT64_MAX), L(-1)), INT64_MAX));
    T_CHECK(is_err(op(CD_X_ADD, L(INT64_MAX), L(1)), CD_E_OVERFLOW));
    T_CHECK(msg_has("overflow") && msg_has("+"));
    T_CHECK(is_err(op(CD_X_SUB, L(INT64_MIN), L(1)), CD_E_OVERFLOW));
    T_CHECK(is_err(op(CD_X_SUB, L(0), L(INT64_MIN)), CD_E_OVERFLOW));
    T_CHECK(is_err(op(CD_X_MUL, L(INT64_MIN), L(-1)), CD_E_OVERFLOW));
    T_CHECK(is_err(op(CD_X_MUL, L(INT64_MAX / 2 + 1), L(2)), CD_E_OVERFLOW));
    /* the overflow points at the whole operation */
    cd_expr *x = op(CD_X_ADD, L(INT64_MAX), L(INT64_MAX));
    T_CHECK(is_err(x, CD_E_OVERFLOW) && CTX.err.loc.line == x->loc.line);
    /* type errors: the first non-long operand */
    cd_expr *a = S("a");
    T_CHECK(is_err(op(CD_X_ADD, L(1), a), CD_E_TYPE) && CTX.err.loc.line == a->loc.line);
    T_CHECK(msg_has("type error: expected long, got string"));
    T_CHECK(is_err(op(CD_X_MUL, B(true), L(1)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_SUB, lit(ext_decimal(1)), lit(ext_decimal(1))), CD_E_TYPE));
    /* left operand's error comes first */
    T_CHECK(is_err(op(CD_X_ADD, op(CD_X_ADD, L(INT64_MAX), L(1)), S("a")), CD_E_OVERFLOW));
}

static void test_in(void)
{
    cd_expr *alice = V(CD_VAR_PRINCIPAL);
    T_CHECK(is_bool(op(CD_X_IN, alice, E("Group", "staff")), true));
    T_CHECK(is_bool(op(CD_X_IN, alice, E("Group", "all")), true));  /* transitive */
    T_CHECK(is_bool(op(CD_X_IN, alice, E("User", "alice")), true)); /* itself */
    T_CHECK(is_bool(op(CD_X_IN, alice, E("Group", "other")), false));
    T_CHECK(is_bool(op(CD_X_IN, E("Group", "staff"), alice), false)); /* not downwards */
    T_CHECK(is_bool(op(CD_X_IN, E("Group", "staff"), E("Group", "all")), true));
    /* the parent named by a missing entity still counts for its child */
    T_CHECK(is_bool(op(CD_X_IN, V(CD_VAR_RESOURCE), E("Album", "a1")), true));
    /* an entity missing from the store is only in itself */
    T_CHECK(is_bool(op(CD_X_IN, E("User", "ghost"), E("User", "ghost")), true));
    T_CHECK(is_bool(op(CD_X_IN, E("User", "ghost"), E("Group", "staff")), false));
    T_CHECK(is_bool(op(CD_X_IN, E("Album", "a1"), E("Album", "a1")), true));
    /* sets: any element */
    T_CHECK(is_bool(op(CD_X_IN, alice, set(2, E("Group", "x"), E("Group", "all"))), true));
    T_CHECK(is_bool(op(CD_X_IN, alice, set(2, E("Group", "x"), E("Group", "y"))), false));
    T_CHECK(is_bool(op(CD_X_IN, alice, set(0)), false));
    T_CHECK(is_bool(op(CD_X_IN, E("User", "ghost"), set(1, E("User", "ghost"))), true));
    /* every element must be an entity, even when another one matches */
    T_CHECK(is_err(op(CD_X_IN, alice, set(2, E("Group", "staff"), L(1))), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_IN, alice, set(2, S("x"), E("User", "alice"))), CD_E_TYPE));
    /* the left must be an entity, the right an entity or a set */
    T_CHECK(is_err(op(CD_X_IN, L(1), E("Group", "staff")), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_IN, L(1), set(1, L(1))), CD_E_TYPE));
    T_CHECK(msg_has("contains"));
    T_CHECK(is_err(op(CD_X_IN, alice, L(1)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_IN, alice, rec(0)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_IN, alice, S("Group::\"staff\"")), CD_E_TYPE));
    /* actions have a hierarchy too */
    T_CHECK(is_bool(op(CD_X_IN, V(CD_VAR_ACTION), E("Action", "read")), true));
}

static void test_has_and_getattr(void)
{
    cd_expr *p = V(CD_VAR_PRINCIPAL);
    T_CHECK(is_bool(attr(CD_X_HAS, p, "age"), true));
    T_CHECK(is_bool(attr(CD_X_HAS, p, "nope"), false));
    T_CHECK(is_bool(attr(CD_X_HAS, p, "level"), true));
    T_CHECK(is_bool(attr(CD_X_HAS, E("Group", "staff"), "age"), false));
    /* a missing entity has no attributes: false, not an error */
    T_CHECK(is_bool(attr(CD_X_HAS, E("User", "ghost"), "age"), false));
    T_CHECK(is_long(attr(CD_X_GET_ATTR, p, "age"), 30));
    T_CHECK(is_str(attr(CD_X_GET_ATTR, p, "name"), "Alice"));
    cd_expr *g = attr(CD_X_GET_ATTR, p, "nope");
    T_CHECK(is_err(g, CD_E_ATTR_DOES_NOT_EXIST) && CTX.err.loc.line == g->loc.line);
    T_CHECK(msg_has("`nope`") && msg_has("User::\"alice\""));
    cd_expr *ghost = E("User", "ghost");
    T_CHECK(is_err(attr(CD_X_GET_ATTR, ghost, "age"), CD_E_ENTITY_DOES_NOT_EXIST));
    T_CHECK(CTX.err.loc.line == ghost->loc.line);
    T_CHECK(msg_has("User::\"ghost\"") && msg_has("does not exist"));
    /* the manager attribute names an entity that is not in the store */
    T_CHECK(is_err(attr(CD_X_GET_ATTR, attr(CD_X_GET_ATTR, p, "manager"), "name"),
                   CD_E_ENTITY_DOES_NOT_EXIST));
    T_CHECK(is_bool(attr(CD_X_HAS, attr(CD_X_GET_ATTR, p, "manager"), "name"), false));
    /* chained through an entity-valued attribute */
    T_CHECK(
        is_long(attr(CD_X_GET_ATTR, attr(CD_X_GET_ATTR, V(CD_VAR_RESOURCE), "owner"), "age"), 30));
    /* records */
    cd_expr *r = rec(2, "a", L(1), "b", rec(1, "c", S("x")));
    T_CHECK(is_bool(attr(CD_X_HAS, r, "a"), true));
    T_CHECK(is_bool(attr(CD_X_HAS, r, "c"), false));
    T_CHECK(is_long(attr(CD_X_GET_ATTR, r, "a"), 1));
    T_CHECK(is_str(attr(CD_X_GET_ATTR, attr(CD_X_GET_ATTR, r, "b"), "c"), "x"));
    T_CHECK(is_err(attr(CD_X_GET_ATTR, r, "c"), CD_E_ATTR_DOES_NOT_EXIST));
    T_CHECK(is_bool(attr(CD_X_HAS, rec(0), ""), false));
    /* anything else is a type error, for has as for `.` */
    T_CHECK(is_err(attr(CD_X_HAS, L(1), "a"), CD_E_TYPE));
    T_CHECK(is_err(attr(CD_X_GET_ATTR, S("s"), "a"), CD_E_TYPE));
    T_CHECK(is_err(attr(CD_X_GET_ATTR, set(1, V(CD_VAR_PRINCIPAL)), "age"), CD_E_TYPE));
    T_CHECK(msg_has("expected entity or record"));
}

static void test_tags(void)
{
    cd_expr *p = V(CD_VAR_PRINCIPAL);
    T_CHECK(is_bool(op(CD_X_HAS_TAG, p, S("level")), true));
    T_CHECK(is_bool(op(CD_X_HAS_TAG, p, S("age")), false)); /* attributes are not tags */
    T_CHECK(is_bool(op(CD_X_HAS_TAG, E("Group", "staff"), S("level")), false));
    T_CHECK(is_bool(op(CD_X_HAS_TAG, E("User", "ghost"), S("level")), false));
    T_CHECK(is_str(op(CD_X_GET_TAG, p, S("level")), "high"));
    cd_expr *g = op(CD_X_GET_TAG, p, S("nope"));
    T_CHECK(is_err(g, CD_E_TAG_DOES_NOT_EXIST) && CTX.err.loc.line == g->loc.line);
    T_CHECK(msg_has("`nope`"));
    T_CHECK(is_err(op(CD_X_GET_TAG, E("Group", "staff"), S("level")), CD_E_TAG_DOES_NOT_EXIST));
    T_CHECK(is_err(op(CD_X_GET_TAG, E("User", "ghost"), S("level")), CD_E_ENTITY_DOES_NOT_EXIST));
    T_CHECK(is_err(op(CD_X_HAS_TAG, L(1), S("level")), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_HAS_TAG, p, L(1)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_GET_TAG, rec(1, "level", L(1)), S("level")), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_GET_TAG, E("User", "ghost"), L(1)), CD_E_TYPE));
}

static void test_like(void)
{
    T_CHECK(is_bool(like(S("abc"), "a*c"), true));
    T_CHECK(is_bool(like(S("abc"), "a*b"), false));
    T_CHECK(is_bool(like(S(""), "*"), true));
    T_CHECK(is_bool(like(S("abc"), "abc"), true));
    T_CHECK(is_bool(like(S("abcd"), "abc"), false));
    T_CHECK(is_bool(like(S("xaybzc"), "*a*b*c"), true));
    /* an escaped star is a literal star */
    T_CHECK(is_bool(like(S("a*"), "a\\*"), true));
    T_CHECK(is_bool(like(S("ab"), "a\\*"), false));
    T_CHECK(is_bool(like(S("a*b"), "a\\**"), true));
    T_CHECK(is_bool(like(S("h\xc3\xa9llo"), "h*llo"), true));
    T_CHECK(is_err(like(L(1), "*"), CD_E_TYPE));
    T_CHECK(is_err(like(V(CD_VAR_PRINCIPAL), "*"), CD_E_TYPE));
}

static void test_is(void)
{
    T_CHECK(is_bool(is(V(CD_VAR_PRINCIPAL), "User", NULL), true));
    T_CHECK(is_bool(is(V(CD_VAR_PRINCIPAL), "Group", NULL), false));
    T_CHECK(is_bool(is(E("NS::User", "x"), "User", NULL), false));
    T_CHECK(is_bool(is(E("NS::User", "x"), "NS::User", NULL), true));
    T_CHECK(is_err(is(L(1), "User", NULL), CD_E_TYPE));
    T_CHECK(is_err(is(S("User"), "User", NULL), CD_E_TYPE));
    /* is ... in */
    T_CHECK(is_bool(is(V(CD_VAR_PRINCIPAL), "User", E("Group", "all")), true));
    T_CHECK(is_bool(is(V(CD_VAR_PRINCIPAL), "User", E("Group", "other")), false));
    T_CHECK(is_bool(is(V(CD_VAR_PRINCIPAL), "User", set(1, E("Group", "staff"))), true));
    /* when the type differs the `in` operand is not evaluated */
    T_CHECK(is_bool(is(V(CD_VAR_PRINCIPAL), "Group", op(CD_X_ADD, L(1), S("a"))), false));
    T_CHECK(is_bool(is(V(CD_VAR_PRINCIPAL), "Group", L(1)), false));
    T_CHECK(is_err(is(V(CD_VAR_PRINCIPAL), "User", op(CD_X_ADD, L(1), S("a"))), CD_E_TYPE));
    T_CHECK(is_err(is(V(CD_VAR_PRINCIPAL), "User", L(1)), CD_E_TYPE));
    T_CHECK(is_err(is(L(1), "User", E("Group", "all")), CD_E_TYPE));
}

static void test_sets(void)
{
    cd_expr *s = set(3, L(1), S("a"), E("User", "alice"));
    T_CHECK(is_bool(op(CD_X_CONTAINS, s, L(1)), true));
    T_CHECK(is_bool(op(CD_X_CONTAINS, s, V(CD_VAR_PRINCIPAL)), true));
    T_CHECK(is_bool(op(CD_X_CONTAINS, s, L(2)), false));
    T_CHECK(is_bool(op(CD_X_CONTAINS, s, set(0)), false));
    T_CHECK(is_bool(op(CD_X_CONTAINS, set(1, set(1, L(1))), set(2, L(1), L(1))), true));
    T_CHECK(is_err(op(CD_X_CONTAINS, L(1), L(1)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_CONTAINS, rec(1, "a", L(1)), S("a")), CD_E_TYPE));
    T_CHECK(is_bool(op(CD_X_CONTAINS_ALL, s, set(2, L(1), S("a"))), true));
    T_CHECK(is_bool(op(CD_X_CONTAINS_ALL, s, set(0)), true));
    T_CHECK(is_bool(op(CD_X_CONTAINS_ALL, set(1, L(1)), set(2, L(1), L(2))), false));
    T_CHECK(is_bool(op(CD_X_CONTAINS_ANY, s, set(2, L(9), S("a"))), true));
    T_CHECK(is_bool(op(CD_X_CONTAINS_ANY, s, set(0)), false));
    T_CHECK(is_bool(op(CD_X_CONTAINS_ANY, set(0), set(0)), false));
    T_CHECK(is_err(op(CD_X_CONTAINS_ALL, s, L(1)), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_CONTAINS_ANY, L(1), s), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_CONTAINS_ANY, s, S("a")), CD_E_TYPE));
    T_CHECK(is_bool(op(CD_X_IS_EMPTY, set(0), NULL), true));
    T_CHECK(is_bool(op(CD_X_IS_EMPTY, s, NULL), false));
    T_CHECK(is_err(op(CD_X_IS_EMPTY, L(0), NULL), CD_E_TYPE));
    T_CHECK(is_err(op(CD_X_IS_EMPTY, rec(0), NULL), CD_E_TYPE));
    /* set literals deduplicate and propagate element errors */
    cd_value v;
    T_CHECK(run(set(4, L(2), L(1), L(2), op(CD_X_ADD, L(0), L(1))), &v) && v.kind == CD_V_SET &&
            v.u.set.n == 2);
    T_CHECK(is_err(set(2, L(1), attr(CD_X_GET_ATTR, V(CD_VAR_CONTEXT), "x")),
                   CD_E_ATTR_DOES_NOT_EXIST));
    /* the first failing element is reported */
    T_CHECK(
        is_err(set(2, op(CD_X_ADD, L(INT64_MAX), L(1)), op(CD_X_NOT, L(1), NULL)), CD_E_OVERFLOW));
}

static void test_records(void)
{
    cd_value v;
    T_CHECK(run(rec(3, "z", L(1), "a", S("x"), "m", B(true)), &v) && v.kind == CD_V_RECORD &&
            v.u.rec.n == 3 && cd_str_eq_c(v.u.rec.keys[0], "a") &&
            cd_str_eq_c(v.u.rec.keys[2], "z"));
    T_CHECK(run(rec(0), &v) && v.kind == CD_V_RECORD && v.u.rec.n == 0);
    /* fields are evaluated in key order, as the reference does: "a" fails first */
    T_CHECK(is_err(rec(2, "b", op(CD_X_ADD, L(1), S("x")), "a", op(CD_X_NEG, L(INT64_MIN), NULL)),
                   CD_E_OVERFLOW));
    T_CHECK(is_err(rec(2, "a", op(CD_X_ADD, L(1), S("x")), "b", op(CD_X_NEG, L(INT64_MIN), NULL)),
                   CD_E_TYPE));
    T_CHECK(is_err(
        rec(3, "c", L(1), "b", attr(CD_X_GET_ATTR, rec(0), "q"), "a", op(CD_X_ADD, L(1), S("x"))),
        CD_E_TYPE));
}

static void test_ext_calls(void)
{
    cd_value v;
    T_CHECK(run(call(CD_FN_DECIMAL, 1, S("1.5")), &v) && v.kind == CD_V_EXT &&
            v.u.ext.kind == CD_EXT_DECIMAL && v.u.ext.u.decimal == 15000);
    T_CHECK(is_bool(call(CD_FN_LESS_THAN, 2, call(CD_FN_DECIMAL, 1, S("1.5")),
                         call(CD_FN_DECIMAL, 1, S("2.25"))),
                    true));
    T_CHECK(is_bool(call(CD_FN_IS_IPV4, 1, call(CD_FN_IP, 1, S("10.0.0.1"))), true));
    T_CHECK(is_bool(call(CD_FN_IS_IN_RANGE, 2, call(CD_FN_IP, 1, S("10.0.0.1")),
                         call(CD_FN_IP, 1, S("10.0.0.0/8"))),
                    true));
    /* a bad constructor string is an extension error, a wrong type a type error */
    T_CHECK(is_err(call(CD_FN_DECIMAL, 1, S("1.2.3")), CD_E_EXTENSION));
    T_CHECK(msg_has("decimal"));
    T_CHECK(is_err(call(CD_FN_IP, 1, S("not an ip")), CD_E_EXTENSION));
    T_CHECK(is_err(call(CD_FN_DECIMAL, 1, L(1)), CD_E_TYPE));
    T_CHECK(is_err(call(CD_FN_IS_IPV4, 1, S("10.0.0.1")), CD_E_TYPE));
    T_CHECK(is_err(call(CD_FN_LESS_THAN, 2, call(CD_FN_DECIMAL, 1, S("1.5")), L(1)), CD_E_TYPE));
    /* argument errors come before the call */
    T_CHECK(is_err(call(CD_FN_DECIMAL, 1, op(CD_X_ADD, L(1), S("a"))), CD_E_TYPE));
    T_CHECK(is_err(call(CD_FN_DECIMAL, 1, attr(CD_X_GET_ATTR, V(CD_VAR_CONTEXT), "x")),
                   CD_E_ATTR_DOES_NOT_EXIST));
    /* durations and datetimes compare with < once constructed */
    T_CHECK(is_bool(
        op(CD_X_LT, call(CD_FN_DURATION, 1, S("1h")), call(CD_FN_DURATION, 1, S("61m"))), true));
}

static void test_slots_in_exprs(void)
{
    T_CHECK(is_err(slot(CD_SLOT_PRINCIPAL), CD_E_UNLINKED_SLOT));
    T_CHECK(msg_has("?principal"));
    T_CHECK(is_err(slot(CD_SLOT_RESOURCE), CD_E_UNLINKED_SLOT));
    cd_uid g = uid("Group", "staff");
    CTX.principal_slot = &g;
    T_CHECK(is_bool(op(CD_X_IN, V(CD_VAR_PRINCIPAL), slot(CD_SLOT_PRINCIPAL)), true));
    T_CHECK(is_err(slot(CD_SLOT_RESOURCE), CD_E_UNLINKED_SLOT));
    CTX.principal_slot = NULL;
}

static void test_errkind_names(void)
{
    T_CHECK_STR(cd_errkind_name(CD_E_TYPE), "typeError");
    T_CHECK_STR(cd_errkind_name(CD_E_OVERFLOW), "arithBoundsError");
    T_CHECK_STR(cd_errkind_name(CD_E_ENTITY_DOES_NOT_EXIST), "entityDoesNotExist");
    T_CHECK_STR(cd_errkind_name(CD_E_ATTR_DOES_NOT_EXIST), "attrDoesNotExist");
    T_CHECK_STR(cd_errkind_name(CD_E_TAG_DOES_NOT_EXIST), "tagDoesNotExist");
    T_CHECK_STR(cd_errkind_name(CD_E_EXTENSION), "extensionError");
    T_CHECK_STR(cd_errkind_name(CD_E_UNLINKED_SLOT), "unlinkedSlot");
}

/* ---- tests: policies ---------------------------------------------------- */

static cd_policy *pol(cd_effect effect, const char *id)
{
    cd_policy *p = CD_NEW(A, cd_policy);
    p->id = str(id);
    p->effect = effect;
    return p; /* all three scopes CD_SCOPE_ANY, no conditions */
}

static void scope(cd_scope *s, cd_scope_op o, const char *type, const char *id)
{
    *s = (cd_scope){0};
    s->op = o;
    s->loc.line = next_line++;
    if (o == CD_SCOPE_IS || o == CD_SCOPE_IS_IN) {
        s->is_type = cd_name_intern(type, strlen(type));
        type = o == CD_SCOPE_IS_IN ? "Group" : NULL;
    }
    if (id) s->uid = uid(type, id);
}

static void scope_slot(cd_scope *s, cd_scope_op o, const char *type)
{
    *s = (cd_scope){0};
    s->op = o;
    s->slot = true;
    s->loc.line = next_line++;
    if (type) s->is_type = cd_name_intern(type, strlen(type));
}

/* Append a when (is_when) or unless condition. */
static void cond(cd_policy *p, bool is_when, cd_expr *body)
{
    cd_condition *c = CD_NEW_ARRAY(A, cd_condition, p->n_conditions + 1);
    if (p->n_conditions) memcpy(c, p->conditions, p->n_conditions * sizeof *c);
    c[p->n_conditions].is_when = is_when;
    c[p->n_conditions].body = body;
    p->conditions = c;
    p->n_conditions++;
}

static cd_policy_result peval(const cd_policy *p)
{
    CTX.err = (cd_eval_error){0};
    return cd_policy_eval(&CTX, p);
}

static void test_policy_scopes(void)
{
    cd_policy *p = pol(CD_PERMIT, "p");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->principal, CD_SCOPE_EQ, "User", "alice");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->principal, CD_SCOPE_EQ, "User", "bob");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    scope(&p->principal, CD_SCOPE_IN, "Group", "all");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->principal, CD_SCOPE_IN, "Group", "nope");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    scope(&p->principal, CD_SCOPE_IS, "User", NULL);
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->principal, CD_SCOPE_IS, "Admin", NULL);
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    scope(&p->principal, CD_SCOPE_IS_IN, "User", "staff");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->principal, CD_SCOPE_IS_IN, "User", "other");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    scope(&p->principal, CD_SCOPE_IS_IN, "Admin", "staff");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    p->principal = (cd_scope){0};

    /* action == / in / in [...] */
    scope(&p->action, CD_SCOPE_EQ, "Action", "view");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->action, CD_SCOPE_IN, "Action", "read");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    cd_uid acts[2] = {uid("Action", "edit"), uid("Action", "read")};
    p->action = (cd_scope){.op = CD_SCOPE_IN_SET, .n_uids = 2, .uids = acts};
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    p->action.n_uids = 1;
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    p->action.n_uids = 0;
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    p->action = (cd_scope){0};

    scope(&p->resource, CD_SCOPE_IN, "Album", "a1");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->resource, CD_SCOPE_EQ, "Photo", "p2");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
}

static void test_policy_conditions(void)
{
    cd_policy *p = pol(CD_PERMIT, "p");
    cond(p, true, op(CD_X_EQ, attr(CD_X_GET_ATTR, V(CD_VAR_PRINCIPAL), "age"), L(30)));
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    cond(p, false, attr(CD_X_HAS, V(CD_VAR_PRINCIPAL), "x"));
    T_CHECK(peval(p) == CD_POLICY_SATISFIED); /* unless false */
    cond(p, false, B(true));
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED); /* unless true */

    /* A non-bool condition is a type error, for when and unless alike. */
    cd_policy *q = pol(CD_PERMIT, "q");
    cd_expr *one = L(1);
    cond(q, true, one);
    T_CHECK(peval(q) == CD_POLICY_ERROR && CTX.err.kind == CD_E_TYPE);
    T_CHECK(CTX.err.loc.line == one->loc.line);
    q = pol(CD_PERMIT, "q");
    cond(q, false, S("x"));
    T_CHECK(peval(q) == CD_POLICY_ERROR && CTX.err.kind == CD_E_TYPE);

    /* conditions run in order and stop at the first false one */
    q = pol(CD_PERMIT, "q");
    cond(q, true, B(false));
    cond(q, true, op(CD_X_ADD, L(1), S("a")));
    T_CHECK(peval(q) == CD_POLICY_NOT_SATISFIED);
    q = pol(CD_PERMIT, "q");
    cond(q, true, B(true));
    cond(q, true, op(CD_X_ADD, L(INT64_MAX), L(1)));
    T_CHECK(peval(q) == CD_POLICY_ERROR && CTX.err.kind == CD_E_OVERFLOW);
    q = pol(CD_PERMIT, "q");
    cond(q, true, attr(CD_X_GET_ATTR, V(CD_VAR_PRINCIPAL), "nope"));
    cond(q, true, B(false));
    T_CHECK(peval(q) == CD_POLICY_ERROR && CTX.err.kind == CD_E_ATTR_DOES_NOT_EXIST);

    /* a scope that does not match skips the conditions entirely */
    q = pol(CD_PERMIT, "q");
    scope(&q->resource, CD_SCOPE_EQ, "Photo", "other");
    cond(q, true, op(CD_X_ADD, L(1), S("a")));
    T_CHECK(peval(q) == CD_POLICY_NOT_SATISFIED);
}

static void test_policy_templates(void)
{
    /* permit(principal in ?principal, action, resource == ?resource) */
    cd_policy *t = pol(CD_PERMIT, "t");
    scope_slot(&t->principal, CD_SCOPE_IN, NULL);
    scope_slot(&t->resource, CD_SCOPE_EQ, NULL);
    t->is_template = true;
    T_CHECK(peval(t) == CD_POLICY_ERROR && CTX.err.kind == CD_E_UNLINKED_SLOT);
    T_CHECK(CTX.err.loc.line == t->principal.loc.line);

    cd_policy *l = CD_NEW(A, cd_policy);
    *l = *t;
    l->id = str("link1");
    l->is_template = false;
    l->template_of = t;
    l->has_principal_slot = l->has_resource_slot = true;
    l->principal_slot = uid("Group", "staff");
    l->resource_slot = uid("Photo", "p1");
    T_CHECK(peval(l) == CD_POLICY_SATISFIED);
    T_CHECK(CTX.principal_slot == NULL && CTX.resource_slot == NULL); /* restored */
    l->resource_slot = uid("Photo", "p2");
    T_CHECK(peval(l) == CD_POLICY_NOT_SATISFIED);
    l->principal_slot = uid("Group", "other");
    T_CHECK(peval(l) == CD_POLICY_NOT_SATISFIED);

    /* principal is Admin in ?principal: the slot is only needed when the type matches */
    cd_policy *t2 = pol(CD_PERMIT, "t2");
    scope_slot(&t2->principal, CD_SCOPE_IS_IN, "Admin");
    t2->is_template = true;
    T_CHECK(peval(t2) == CD_POLICY_NOT_SATISFIED);
    scope_slot(&t2->principal, CD_SCOPE_IS_IN, "User");
    T_CHECK(peval(t2) == CD_POLICY_ERROR && CTX.err.kind == CD_E_UNLINKED_SLOT);
    /* a resource slot is not reached when the principal scope fails */
    scope(&t->principal, CD_SCOPE_EQ, "User", "bob");
    T_CHECK(peval(t) == CD_POLICY_NOT_SATISFIED);
}

static cd_policies pset(size_t n, ...)
{
    cd_policies ps = {n, CD_NEW_ARRAY(A, cd_policy *, n ? n : 1)};
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        ps.items[i] = va_arg(ap, cd_policy *);
    va_end(ap);
    return ps;
}

static bool reasons_are(const cd_response *r, size_t n, ...)
{
    if (r->n_reasons != n) return false;
    va_list ap;
    va_start(ap, n);
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok = ok && cd_str_eq_c(r->reasons[i]->id, va_arg(ap, const char *));
    va_end(ap);
    return ok;
}

static bool errors_are(const cd_response *r, size_t n, ...)
{
    if (r->n_errors != n) return false;
    va_list ap;
    va_start(ap, n);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        ok = ok && cd_str_eq_c(r->errors[i].policy->id, va_arg(ap, const char *));
        ok = ok && r->errors[i].error.message != NULL;
    }
    va_end(ap);
    return ok;
}

static void test_authorize(void)
{
    cd_response r;
    cd_policies ps = pset(0);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 0));

    cd_policy *permit_all = pol(CD_PERMIT, "permit_all");
    cd_policy *permit_bob = pol(CD_PERMIT, "permit_bob");
    scope(&permit_bob->principal, CD_SCOPE_EQ, "User", "bob");
    cd_policy *permit_staff = pol(CD_PERMIT, "permit_staff");
    scope(&permit_staff->principal, CD_SCOPE_IN, "Group", "staff");
    cd_policy *forbid_all = pol(CD_FORBID, "forbid_all");
    cd_policy *forbid_bob = pol(CD_FORBID, "forbid_bob");
    scope(&forbid_bob->principal, CD_SCOPE_EQ, "User", "bob");
    cd_policy *forbid_err = pol(CD_FORBID, "forbid_err");
    cond(forbid_err, true, attr(CD_X_GET_ATTR, V(CD_VAR_PRINCIPAL), "nope"));
    cd_policy *permit_err = pol(CD_PERMIT, "permit_err");
    cond(permit_err, true, op(CD_X_ADD, L(INT64_MAX), L(1)));
    cd_policy *permit_nonbool = pol(CD_PERMIT, "permit_nonbool");
    cond(permit_nonbool, true, L(1));

    ps = pset(1, permit_all);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "permit_all") && errors_are(&r, 0));

    ps = pset(1, permit_bob);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0));

    ps = pset(3, permit_all, permit_bob, permit_staff);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 2, "permit_all", "permit_staff"));

    /* forbid overrides permit; the reasons are then the forbids */
    ps = pset(3, permit_all, forbid_all, permit_staff);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 1, "forbid_all"));

    /* a forbid alone denies with itself as the reason */
    ps = pset(1, forbid_all);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 1, "forbid_all"));

    /* a forbid that does not apply changes nothing */
    ps = pset(2, forbid_bob, permit_all);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "permit_all"));

    /* an erroring forbid does not deny */
    ps = pset(2, forbid_err, permit_all);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "permit_all") && errors_are(&r, 1, "forbid_err"));
    T_CHECK(r.n_errors == 1 && r.errors[0].error.kind == CD_E_ATTR_DOES_NOT_EXIST);

    /* an erroring permit does not allow */
    ps = pset(2, permit_err, permit_nonbool);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 2, "permit_err", "permit_nonbool"));
    T_CHECK(r.n_errors == 2 && r.errors[0].error.kind == CD_E_OVERFLOW &&
            r.errors[1].error.kind == CD_E_TYPE);

    /* errors are reported alongside a forbid decision too */
    ps = pset(4, permit_err, forbid_all, permit_all, forbid_err);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 1, "forbid_all") &&
            errors_are(&r, 2, "permit_err", "forbid_err"));

    /* templates are skipped; their links are evaluated */
    cd_policy *t = pol(CD_PERMIT, "t");
    scope_slot(&t->principal, CD_SCOPE_EQ, NULL);
    t->is_template = true;
    ps = pset(1, t);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 0));
    cd_policy *l1 = CD_NEW(A, cd_policy), *l2 = CD_NEW(A, cd_policy);
    *l1 = *t;
    l1->id = str("link_alice");
    l1->is_template = false;
    l1->template_of = t;
    l1->has_principal_slot = true;
    l1->principal_slot = uid("User", "alice");
    *l2 = *l1;
    l2->id = str("link_bob");
    l2->principal_slot = uid("User", "bob");
    ps = pset(3, t, l2, l1);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "link_alice") && errors_are(&r, 0));
    /* a link does not leak its slot into the next policy */
    cd_policy *bad = pol(CD_PERMIT, "unlinked");
    scope_slot(&bad->principal, CD_SCOPE_EQ, NULL);
    ps = pset(2, l1, bad);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "link_alice") && errors_are(&r, 1, "unlinked"));
    T_CHECK(r.n_errors == 1 && r.errors[0].error.kind == CD_E_UNLINKED_SLOT);
}

/* ---- tests: Cedar text (parser + evaluator) ----------------------------- */

/* Parse an expression and evaluate it; a parse failure fails the check. */
static bool eval_str(const char *text, cd_value *out)
{
    cd_err err = {0};
    cd_expr *e = cd_parse_expr(text, strlen(text), "test", A, &err);
    if (!e) {
        fprintf(stderr, "  parse error in `%s`: %s\n", text, err.message);
        cd_err_clear(&err);
        CTX.err = (cd_eval_error){.kind = CD_E_NONE, .message = "parse error"};
        return false;
    }
    return run(e, out);
}

static bool str_bool(const char *text, bool want)
{
    cd_value v;
    if (!eval_str(text, &v)) {
        fprintf(stderr, "  `%s`: unexpected error: %s\n", text, CTX.err.message);
        return false;
    }
    return v.kind == CD_V_BOOL && v.u.b == want;
}

static bool str_long(const char *text, int64_t want)
{
    cd_value v;
    if (!eval_str(text, &v)) {
        fprintf(stderr, "  `%s`: unexpected error: %s\n", text, CTX.err.message);
        return false;
    }
    return v.kind == CD_V_LONG && v.u.l == want;
}

static bool str_err(const char *text, cd_errkind kind)
{
    cd_value v;
    if (eval_str(text, &v)) {
        fprintf(stderr, "  `%s`: expected %s, got a value\n", text, cd_errkind_name(kind));
        return false;
    }
    if (CTX.err.kind != kind)
        fprintf(stderr, "  `%s`: expected %s, got %s: %s\n", text, cd_errkind_name(kind),
                cd_errkind_name(CTX.err.kind), CTX.err.message);
    return CTX.err.kind == kind;
}

static void test_text_exprs(void)
{
    T_CHECK(str_long("1 + 2 * 3", 7));
    T_CHECK(str_long("-9223372036854775808 + 0", INT64_MIN));
    T_CHECK(str_err("-9223372036854775808 - 1", CD_E_OVERFLOW));
    T_CHECK(str_err("9223372036854775807 + 1", CD_E_OVERFLOW));
    T_CHECK(str_err("-9223372036854775808 * -1", CD_E_OVERFLOW));
    T_CHECK(str_err("-(-9223372036854775808)", CD_E_OVERFLOW));
    T_CHECK(str_bool("false && (1 + \"a\")", false));
    T_CHECK(str_bool("true || principal.nope", true));
    T_CHECK(str_err("true && 1", CD_E_TYPE));
    T_CHECK(str_err("if 1 then 2 else 3", CD_E_TYPE));
    T_CHECK(str_long("if principal.age > 18 then 1 else 2", 1));
    T_CHECK(str_bool("1 != \"1\"", true));
    T_CHECK(str_bool("3 > 2 && 2 >= 2 && !(2 > 2) && 1 <= 1", true));
    T_CHECK(str_err("\"a\" < \"b\"", CD_E_TYPE));
    T_CHECK(str_bool("principal in Group::\"all\"", true));
    T_CHECK(str_bool("principal in [Group::\"x\", Group::\"staff\"]", true));
    T_CHECK(str_err("principal in [Group::\"staff\", 1]", CD_E_TYPE));
    T_CHECK(str_bool("User::\"ghost\" in User::\"ghost\"", true));
    T_CHECK(str_bool("User::\"ghost\" in Group::\"all\"", false));
    T_CHECK(str_bool("resource.owner == principal", true));
    T_CHECK(str_bool("principal has age && principal.age == 30", true));
    T_CHECK(str_bool("User::\"ghost\" has age", false));
    T_CHECK(str_err("User::\"ghost\".age", CD_E_ENTITY_DOES_NOT_EXIST));
    T_CHECK(str_err("principal.nope", CD_E_ATTR_DOES_NOT_EXIST));
    /* `e has a.b` is `e has a && e.a has b`; bob is not in the store */
    T_CHECK(str_bool("principal has manager.name", false));
    T_CHECK(str_bool("{a: {b: 1}} has a.b", true));
    T_CHECK(str_bool("{a: {b: 1}} has a.c", false));
    T_CHECK(
        str_bool("principal.hasTag(\"level\") && principal.getTag(\"level\") == \"high\"", true));
    T_CHECK(str_err("principal.getTag(\"age\")", CD_E_TAG_DOES_NOT_EXIST));
    T_CHECK(str_err("User::\"ghost\".getTag(\"level\")", CD_E_ENTITY_DOES_NOT_EXIST));
    T_CHECK(str_bool("User::\"ghost\".hasTag(\"level\")", false));
    T_CHECK(str_bool("\"a*b\" like \"a\\*b\" && !(\"axb\" like \"a\\*b\") && \"axb\" like \"a*b\"",
                     true));
    T_CHECK(str_bool("principal is User in Group::\"staff\"", true));
    T_CHECK(str_bool("principal is Group in (1 + \"a\")", false));
    T_CHECK(str_err("principal is User in (1 + \"a\")", CD_E_TYPE));
    T_CHECK(
        str_bool("[1, 2, 3].containsAll([1, 3]) && [1].containsAny([3, 1]) && [].isEmpty()", true));
    T_CHECK(str_bool("[1, [2]].contains([2]) && {a: 1, b: [true]} == {b: [true], a: 1}", true));
    T_CHECK(str_long("context.n * 2", 14));
    T_CHECK(str_bool("decimal(\"1.1\").lessThan(decimal(\"1.2\"))", true));
    T_CHECK(str_err("decimal(\"1.23456\")", CD_E_EXTENSION));
    T_CHECK(str_bool("ip(context.ip).isInRange(ip(\"10.0.0.0/8\"))", true));
    T_CHECK(str_err("ip(\"10.0.0.300\")", CD_E_EXTENSION));
    T_CHECK(str_bool("datetime(\"2024-01-01\") < datetime(\"2024-01-01T00:00:01Z\")", true));
    T_CHECK(str_bool("duration(\"1h\") > duration(\"59m\")", true));
    T_CHECK(str_err("datetime(\"2024-01-01\") < duration(\"1h\")", CD_E_TYPE));
    T_CHECK(str_err("decimal(\"1.0\") < decimal(\"2.0\")", CD_E_TYPE));
    T_CHECK(str_long("datetime(\"1970-01-01\").offset(duration(\"1d2h\")).toTime().toHours()", 2));
}

/* Parse a policy file into out; a parse failure fails the check. */
static bool parse_ps(const char *text, cd_policies *out)
{
    cd_err err = {0};
    if (!cd_parse_policies(text, strlen(text), "test", A, out, &err)) {
        fprintf(stderr, "  parse error: %s\n", err.message);
        cd_err_clear(&err);
        return false;
    }
    return true;
}

static bool authz_text(const char *text, cd_response *r)
{
    cd_policies ps;
    if (!parse_ps(text, &ps)) return false;
    cd_authorize(&ps, &REQ, ES, A, r);
    return true;
}

static void test_text_policies(void)
{
    cd_response r;
    T_CHECK(authz_text("", &r) && !r.allow && reasons_are(&r, 0) && errors_are(&r, 0));
    T_CHECK(authz_text("permit(principal in Group::\"staff\", action == Action::\"view\", "
                       "resource) when { resource.owner == principal };",
                       &r) &&
            r.allow && reasons_are(&r, 1, "policy0"));
    T_CHECK(authz_text("permit(principal, action in [Action::\"read\"], resource is Photo);\n"
                       "forbid(principal, action, resource) unless { context.n == 7 };",
                       &r) &&
            r.allow && reasons_are(&r, 1, "policy0"));
    T_CHECK(authz_text("permit(principal, action, resource);\n"
                       "forbid(principal, action, resource) when { context.n == 7 };\n"
                       "forbid(principal == User::\"bob\", action, resource);",
                       &r) &&
            !r.allow && reasons_are(&r, 1, "policy1"));
    /* erroring policies: a forbid that errors does not deny, a permit that errors does not allow */
    T_CHECK(authz_text("forbid(principal, action, resource) when { principal.nope };\n"
                       "permit(principal, action, resource) when { context.n + \"x\" };\n"
                       "permit(principal, action, resource) when { principal.age == 30 } "
                       "unless { principal has nope };",
                       &r) &&
            r.allow && reasons_are(&r, 1, "policy2") && errors_are(&r, 2, "policy0", "policy1"));
    T_CHECK(r.n_errors == 2 && r.errors[0].error.kind == CD_E_ATTR_DOES_NOT_EXIST &&
            r.errors[1].error.kind == CD_E_TYPE);
    T_CHECK(authz_text("permit(principal, action, resource) when { 1 };", &r) && !r.allow &&
            errors_are(&r, 1, "policy0"));
    /* conditions stop at the first false one */
    T_CHECK(
        authz_text("permit(principal, action, resource) when { false } when { 1 + \"a\" };", &r) &&
        !r.allow && errors_are(&r, 0));

    /* a template is skipped; a link of it is evaluated with its slot values */
    cd_policies ps;
    T_CHECK(parse_ps("permit(principal in ?principal, action, resource);", &ps));
    T_CHECK(ps.n == 1 && ps.items[0]->is_template);
    if (ps.n != 1) return;
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 0));
    T_CHECK(peval(ps.items[0]) == CD_POLICY_ERROR && CTX.err.kind == CD_E_UNLINKED_SLOT);
    cd_policy *link = CD_NEW(A, cd_policy);
    *link = *ps.items[0];
    link->id = str("staff_link");
    link->is_template = false;
    link->template_of = ps.items[0];
    link->has_principal_slot = true;
    link->principal_slot = uid("Group", "staff");
    cd_policies both = pset(2, ps.items[0], link);
    cd_authorize(&both, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "staff_link") && errors_are(&r, 0));
    link->principal_slot = uid("Group", "elsewhere");
    cd_authorize(&both, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 0));
}

int main(void)
{
    setup();
    T_RUN(test_literals_and_vars);
    T_RUN(test_and_or_short_circuit);
    T_RUN(test_if);
    T_RUN(test_not_neg);
    T_RUN(test_eq);
    T_RUN(test_compare);
    T_RUN(test_arith);
    T_RUN(test_in);
    T_RUN(test_has_and_getattr);
    T_RUN(test_tags);
    T_RUN(test_like);
    T_RUN(test_is);
    T_RUN(test_sets);
    T_RUN(test_records);
    T_RUN(test_ext_calls);
    T_RUN(test_slots_in_exprs);
    T_RUN(test_errkind_names);
    T_RUN(test_policy_scopes);
    T_RUN(test_policy_conditions);
    T_RUN(test_policy_templates);
    T_RUN(test_authorize);
    T_RUN(test_text_exprs);
    T_RUN(test_text_policies);
    teardown();
    T_DONE();
}
