/* Tests of the evaluator on expressions (cd_eval.c).
 *
 * Expressions are built directly as ASTs (t_eval.h) so that a parser bug
 * cannot hide an evaluator bug; every node gets a distinct location so tests
 * can check where an error points. Policies, the authorizer and Cedar text
 * end to end: test_policy_eval.c. Expected results follow the Lean
 * specification's `evaluate` (and the Rust evaluator where it leaves a choice).
 */
#include "t_eval.h"

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
    teardown();
    T_DONE();
}
