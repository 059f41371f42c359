/* Tests of the reference model (model/): expressions built directly, checked
 * against values and errors derived from the Cedar semantics. */
#include <string.h>

#include "model.h"
#include "t.h"

static m_arena *A;
static m_entities ES;
static m_request REQ;

static m_str S(const char *s)
{
    return m_str_c(s);
}
static m_uid U(const char *type, const char *id)
{
    return (m_uid){S(type), S(id)};
}
static const m_expr *I(int64_t i)
{
    return m_x_lit(A, m_int(i));
}
static const m_expr *B(bool b)
{
    return m_x_lit(A, m_bool(b));
}
static const m_expr *STR(const char *s)
{
    return m_x_lit(A, m_string(S(s)));
}
static const m_expr *E(const char *type, const char *id)
{
    return m_x_lit(A, m_entityv(U(type, id)));
}
static const m_expr *BIN(m_op2 op, const m_expr *x, const m_expr *y)
{
    return m_x_binary(A, op, x, y);
}
static const m_expr *SET2(const m_expr *x, const m_expr *y)
{
    const m_expr *xs[] = {x, y};
    return m_x_set(A, 2, xs);
}
static const m_expr *CALL1(m_extfn fn, const m_expr *x)
{
    return m_x_call(A, fn, 1, &x);
}
static const m_expr *CALL2(m_extfn fn, const m_expr *x, const m_expr *y)
{
    const m_expr *xs[] = {x, y};
    return m_x_call(A, fn, 2, xs);
}
/* A constructor applied to a string literal, e.g. X(M_FN_IP, "10.0.0.1"). */
static const m_expr *X(m_extfn fn, const char *s)
{
    return CALL1(fn, STR(s));
}

static m_result ev(const m_expr *x)
{
    return m_evaluate(x, &REQ, &ES, A);
}
static bool is_bool(const m_expr *x, bool b)
{
    m_result r = ev(x);
    return r.err == M_OK && r.v.kind == M_V_BOOL && r.v.u.b == b;
}
static bool is_int(const m_expr *x, int64_t i)
{
    m_result r = ev(x);
    return r.err == M_OK && r.v.kind == M_V_INT && r.v.u.i == i;
}
static bool is_err(const m_expr *x, m_error e)
{
    return ev(x).err == e;
}
static bool is_kind(const m_expr *x, m_vkind k, int64_t i)
{
    m_result r = ev(x);
    return r.err == M_OK && r.v.kind == k && r.v.u.i == i;
}

/* A small store: alice in group staff in group all; all in staff (a cycle);
 * photo with attributes and tags. */
static void setup(void)
{
    A = m_arena_new();
    static m_uid alice_parents[1], staff_parents[1], all_parents[1];
    alice_parents[0] = U("User", "staff");
    staff_parents[0] = U("User", "all");
    all_parents[0] = U("User", "staff");
    m_str keys[] = {S("owner"), S("size")};
    m_value vals[] = {m_entityv(U("User", "alice")), m_int(7)};
    m_str tkeys[] = {S("color")};
    m_value tvals[] = {m_string(S("red"))};
    m_entity *items = m_alloc(A, 4 * sizeof *items);
    m_value empty = m_record_of(A, 0, NULL, NULL);
    items[0] = (m_entity){U("User", "alice"), empty, empty, 1, alice_parents};
    items[1] = (m_entity){U("User", "staff"), empty, empty, 1, staff_parents};
    items[2] = (m_entity){U("User", "all"), empty, empty, 1, all_parents};
    items[3] = (m_entity){U("Photo", "p"), m_record_of(A, 2, keys, vals),
                          m_record_of(A, 1, tkeys, tvals), 0, NULL};
    ES = (m_entities){4, items};
    m_str ckeys[] = {S("n")};
    m_value cvals[] = {m_int(3)};
    REQ = (m_request){U("User", "alice"), U("Action", "view"), U("Photo", "p"),
                      m_record_of(A, 1, ckeys, cvals)};
}

static void test_vars_and_logic(void)
{
    T_CHECK(is_bool(BIN(M_EQ, m_x_var(A, M_PRINCIPAL), E("User", "alice")), true));
    T_CHECK(is_bool(BIN(M_EQ, m_x_var(A, M_RESOURCE), E("Photo", "p")), true));
    T_CHECK(is_int(m_x_get_attr(A, m_x_var(A, M_CONTEXT), S("n")), 3));
    const m_expr *bad = BIN(M_ADD, I(1), STR("a")); /* a type error */
    T_CHECK(is_err(bad, M_TYPE_ERROR));
    T_CHECK(is_bool(m_x_and(A, B(false), bad), false)); /* short-circuit */
    T_CHECK(is_bool(m_x_or(A, B(true), bad), true));
    T_CHECK(is_err(m_x_and(A, B(true), bad), M_TYPE_ERROR));
    T_CHECK(is_err(m_x_and(A, B(true), I(1)), M_TYPE_ERROR)); /* right operand must be bool */
    T_CHECK(is_err(m_x_or(A, I(0), B(true)), M_TYPE_ERROR));
    T_CHECK(is_bool(m_x_or(A, B(false), B(false)), false));
    T_CHECK(is_int(m_x_ite(A, B(true), I(1), bad), 1));
    T_CHECK(is_int(m_x_ite(A, B(false), bad, I(2)), 2));
    T_CHECK(is_err(m_x_ite(A, I(1), I(1), I(2)), M_TYPE_ERROR));
}

static void test_unary(void)
{
    T_CHECK(is_bool(m_x_unary(A, M_NOT, B(false)), true));
    T_CHECK(is_err(m_x_unary(A, M_NOT, I(1)), M_TYPE_ERROR));
    T_CHECK(is_int(m_x_unary(A, M_NEG, I(5)), -5));
    T_CHECK(is_err(m_x_unary(A, M_NEG, I(INT64_MIN)), M_ARITH_BOUNDS_ERROR));
    T_CHECK(is_bool(m_x_unary(A, M_IS_EMPTY, m_x_set(A, 0, NULL)), true));
    T_CHECK(is_bool(m_x_unary(A, M_IS_EMPTY, SET2(I(1), I(1))), false));
    T_CHECK(is_err(m_x_unary(A, M_IS_EMPTY, STR("")), M_TYPE_ERROR));
    T_CHECK(is_bool(m_x_is(A, m_x_var(A, M_PRINCIPAL), S("User")), true));
    T_CHECK(is_bool(m_x_is(A, E("NS::User", "x"), S("User")), false));
    T_CHECK(is_err(m_x_is(A, STR("User"), S("User")), M_TYPE_ERROR));
}

static bool like(const char *text, const char *pat)
{
    return is_bool(m_x_like(A, STR(text), m_pattern_of(A, pat)), true);
}

static void test_like(void)
{
    T_CHECK(like("", ""));
    T_CHECK(like("", "*"));
    T_CHECK(!like("a", ""));
    T_CHECK(like("abc", "a*c"));
    T_CHECK(like("abc", "*"));
    T_CHECK(like("abc", "***b**"));
    T_CHECK(!like("abc", "*b"));
    T_CHECK(like("a*c", "a\\*c"));
    T_CHECK(!like("abc", "a\\*c"));
    T_CHECK(like("h\xc3\xa9llo", "h*llo"));
    T_CHECK(like("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*a*a*b"));
    T_CHECK(!like("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "*a*a*a*a*a*a*a*a*a*a*b"));
    T_CHECK(is_err(m_x_like(A, I(1), m_pattern_of(A, "*")), M_TYPE_ERROR));
}

static void test_eq_and_compare(void)
{
    T_CHECK(is_bool(BIN(M_EQ, I(1), STR("1")), false)); /* different kinds: unequal, no error */
    T_CHECK(is_bool(BIN(M_EQ, SET2(I(1), I(2)), SET2(I(2), I(1))), true));
    T_CHECK(is_bool(BIN(M_EQ, SET2(I(1), I(1)), SET2(I(1), I(1))), true));
    T_CHECK(is_bool(BIN(M_EQ, SET2(I(1), I(1)), SET2(I(1), I(2))), false));
    m_str k1[] = {S("a"), S("b")}, k2[] = {S("b"), S("a")};
    const m_expr *v1[] = {I(1), I(2)}, *v2[] = {I(2), I(1)}, *v3[] = {I(1), I(2)};
    T_CHECK(is_bool(BIN(M_EQ, m_x_record(A, 2, k1, v1), m_x_record(A, 2, k2, v2)), true));
    T_CHECK(is_bool(BIN(M_EQ, m_x_record(A, 2, k1, v1), m_x_record(A, 2, k2, v3)), false));
    T_CHECK(is_bool(BIN(M_EQ, m_x_record(A, 2, k1, v1), m_x_record(A, 1, k1, v1)), false));
    T_CHECK(is_bool(BIN(M_EQ, E("A", "x"), E("B", "x")), false));
    T_CHECK(is_bool(BIN(M_EQ, X(M_FN_DECIMAL, "1.0"), X(M_FN_DECIMAL, "1.0000")), true));
    T_CHECK(is_bool(BIN(M_EQ, X(M_FN_IP, "10.0.0.1"), X(M_FN_IP, "10.0.0.1/32")), true));
    T_CHECK(is_bool(BIN(M_EQ, X(M_FN_IP, "10.0.0.1/24"), X(M_FN_IP, "10.0.0.0/24")), false));
    T_CHECK(is_bool(BIN(M_EQ, X(M_FN_IP, "::"), X(M_FN_IP, "0.0.0.0")), false));
    T_CHECK(is_bool(BIN(M_EQ, X(M_FN_DURATION, "1h"), X(M_FN_DURATION, "60m")), true));
    T_CHECK(is_bool(BIN(M_EQ, X(M_FN_DURATION, "0ms"), X(M_FN_DATETIME, "1970-01-01")), false));
    T_CHECK(is_bool(BIN(M_LESS, I(1), I(2)), true));
    T_CHECK(is_bool(BIN(M_LESS_EQ, I(2), I(2)), true));
    T_CHECK(is_err(BIN(M_LESS, I(1), STR("2")), M_TYPE_ERROR));
    T_CHECK(
        is_bool(BIN(M_LESS, X(M_FN_DATETIME, "2024-01-01"), X(M_FN_DATETIME, "2024-01-02")), true));
    T_CHECK(is_bool(BIN(M_LESS_EQ, X(M_FN_DURATION, "2s"), X(M_FN_DURATION, "1999ms")), false));
    T_CHECK(is_err(BIN(M_LESS, X(M_FN_DECIMAL, "1.0"), X(M_FN_DECIMAL, "2.0")), M_TYPE_ERROR));
    T_CHECK(
        is_err(BIN(M_LESS, X(M_FN_DURATION, "1s"), X(M_FN_DATETIME, "2024-01-01")), M_TYPE_ERROR));
}

static void test_arith(void)
{
    T_CHECK(is_int(BIN(M_ADD, I(2), I(3)), 5));
    T_CHECK(is_int(BIN(M_SUB, I(2), I(3)), -1));
    T_CHECK(is_int(BIN(M_MUL, I(-4), I(3)), -12));
    T_CHECK(is_err(BIN(M_ADD, I(INT64_MAX), I(1)), M_ARITH_BOUNDS_ERROR));
    T_CHECK(is_err(BIN(M_SUB, I(INT64_MIN), I(1)), M_ARITH_BOUNDS_ERROR));
    T_CHECK(is_err(BIN(M_MUL, I(INT64_MIN), I(-1)), M_ARITH_BOUNDS_ERROR));
    T_CHECK(is_err(BIN(M_MUL, B(true), I(1)), M_TYPE_ERROR));
    /* the left operand's error comes first, but any error is an error */
    T_CHECK(is_err(BIN(M_ADD, BIN(M_ADD, I(INT64_MAX), I(1)), STR("x")), M_ARITH_BOUNDS_ERROR));
}

static void test_sets(void)
{
    T_CHECK(is_bool(BIN(M_CONTAINS, SET2(I(1), STR("a")), STR("a")), true));
    T_CHECK(is_bool(BIN(M_CONTAINS, SET2(I(1), STR("a")), I(2)), false));
    T_CHECK(is_err(BIN(M_CONTAINS, I(1), I(1)), M_TYPE_ERROR));
    T_CHECK(is_bool(BIN(M_CONTAINS_ALL, SET2(I(1), I(2)), SET2(I(2), I(2))), true));
    T_CHECK(is_bool(BIN(M_CONTAINS_ALL, SET2(I(1), I(2)), SET2(I(2), I(3))), false));
    T_CHECK(is_bool(BIN(M_CONTAINS_ALL, SET2(I(1), I(2)), m_x_set(A, 0, NULL)), true));
    T_CHECK(is_bool(BIN(M_CONTAINS_ANY, SET2(I(1), I(2)), SET2(I(3), I(2))), true));
    T_CHECK(is_bool(BIN(M_CONTAINS_ANY, SET2(I(1), I(2)), m_x_set(A, 0, NULL)), false));
    T_CHECK(is_err(BIN(M_CONTAINS_ANY, SET2(I(1), I(2)), I(1)), M_TYPE_ERROR));
    /* an error inside a set literal is the set's error */
    T_CHECK(is_err(SET2(I(1), BIN(M_ADD, I(INT64_MAX), I(1))), M_ARITH_BOUNDS_ERROR));
}

static void test_in(void)
{
    const m_expr *alice = m_x_var(A, M_PRINCIPAL);
    T_CHECK(is_bool(BIN(M_MEM, alice, E("User", "alice")), true));
    T_CHECK(is_bool(BIN(M_MEM, alice, E("User", "staff")), true));
    T_CHECK(is_bool(BIN(M_MEM, alice, E("User", "all")), true)); /* through two parents */
    T_CHECK(is_bool(BIN(M_MEM, E("User", "all"), E("User", "alice")), false)); /* cycle ends */
    T_CHECK(is_bool(BIN(M_MEM, E("User", "all"), E("User", "all")), true));
    T_CHECK(is_bool(BIN(M_MEM, E("User", "ghost"), E("User", "ghost")), true));
    T_CHECK(is_bool(BIN(M_MEM, E("User", "ghost"), E("User", "all")), false));
    T_CHECK(is_bool(BIN(M_MEM, alice, SET2(E("X", "y"), E("User", "all"))), true));
    T_CHECK(is_bool(BIN(M_MEM, alice, m_x_set(A, 0, NULL)), false));
    T_CHECK(is_err(BIN(M_MEM, alice, SET2(E("User", "alice"), I(1))), M_TYPE_ERROR));
    T_CHECK(is_err(BIN(M_MEM, STR("a"), E("User", "all")), M_TYPE_ERROR));
    T_CHECK(is_err(BIN(M_MEM, alice, STR("a")), M_TYPE_ERROR));
}

static void test_attrs_and_tags(void)
{
    const m_expr *photo = m_x_var(A, M_RESOURCE), *ghost = E("Photo", "ghost");
    T_CHECK(is_int(m_x_get_attr(A, photo, S("size")), 7));
    T_CHECK(is_err(m_x_get_attr(A, photo, S("nope")), M_ATTR_DOES_NOT_EXIST));
    T_CHECK(is_err(m_x_get_attr(A, ghost, S("size")), M_ENTITY_DOES_NOT_EXIST));
    T_CHECK(is_err(m_x_get_attr(A, I(1), S("size")), M_TYPE_ERROR));
    T_CHECK(is_bool(m_x_has_attr(A, photo, S("owner")), true));
    T_CHECK(is_bool(m_x_has_attr(A, photo, S("color")), false)); /* a tag, not an attribute */
    T_CHECK(is_bool(m_x_has_attr(A, ghost, S("size")), false));
    T_CHECK(is_bool(m_x_has_attr(A, m_x_var(A, M_CONTEXT), S("n")), true));
    T_CHECK(is_err(m_x_has_attr(A, STR("s"), S("n")), M_TYPE_ERROR));
    T_CHECK(is_bool(BIN(M_EQ, m_x_get_attr(A, photo, S("owner")), m_x_var(A, M_PRINCIPAL)), true));
    T_CHECK(is_bool(BIN(M_HAS_TAG, photo, STR("color")), true));
    T_CHECK(is_bool(BIN(M_HAS_TAG, photo, STR("size")), false));
    T_CHECK(is_bool(BIN(M_HAS_TAG, ghost, STR("color")), false));
    T_CHECK(is_bool(BIN(M_EQ, BIN(M_GET_TAG, photo, STR("color")), STR("red")), true));
    T_CHECK(is_err(BIN(M_GET_TAG, photo, STR("size")), M_TAG_DOES_NOT_EXIST));
    T_CHECK(is_err(BIN(M_GET_TAG, ghost, STR("color")), M_ENTITY_DOES_NOT_EXIST));
    T_CHECK(is_err(BIN(M_GET_TAG, photo, I(1)), M_TYPE_ERROR));
    T_CHECK(is_err(BIN(M_HAS_TAG, STR("p"), STR("color")), M_TYPE_ERROR));
}

static bool dec(const char *s, int64_t v)
{
    return is_kind(X(M_FN_DECIMAL, s), M_V_DECIMAL, v);
}

static void test_decimal(void)
{
    T_CHECK(dec("1.0", 10000));
    T_CHECK(dec("-1.5", -15000));
    T_CHECK(dec("-0.0001", -1));
    T_CHECK(dec("0012.3400", 123400));
    T_CHECK(dec("922337203685477.5807", INT64_MAX));
    T_CHECK(dec("-922337203685477.5808", INT64_MIN));
    const char *bad[] = {"922337203685477.5808",
                         "1",
                         "1.",
                         ".1",
                         "1.23456",
                         "+1.0",
                         "--1.0",
                         "1.0 ",
                         " 1.0",
                         "1,0",
                         "-.5",
                         "",
                         "99999999999999999999.0",
                         "1.-2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        T_CHECK(is_err(X(M_FN_DECIMAL, bad[i]), M_EXTENSION_ERROR));
    T_CHECK(is_err(CALL1(M_FN_DECIMAL, I(1)), M_TYPE_ERROR));
    const m_expr *a = X(M_FN_DECIMAL, "1.25"), *b = X(M_FN_DECIMAL, "1.3");
    T_CHECK(is_bool(CALL2(M_FN_LESS_THAN, a, b), true));
    T_CHECK(is_bool(CALL2(M_FN_LESS_THAN_OR_EQUAL, a, a), true));
    T_CHECK(is_bool(CALL2(M_FN_GREATER_THAN, a, b), false));
    T_CHECK(is_bool(CALL2(M_FN_GREATER_THAN_OR_EQUAL, b, a), true));
    T_CHECK(is_err(CALL2(M_FN_LESS_THAN, a, I(1)), M_TYPE_ERROR));
    T_CHECK(is_err(CALL1(M_FN_LESS_THAN, a), M_TYPE_ERROR)); /* wrong arity */
}

static bool ip_ok(const char *s)
{
    return ev(X(M_FN_IP, s)).err == M_OK;
}

static void test_ip(void)
{
    const char *good[] = {"0.0.0.0",
                          "255.255.255.255",
                          "10.0.0.1/8",
                          "1.2.3.4/0",
                          "::",
                          "::1",
                          "1::",
                          "1:2:3:4:5:6:7:8",
                          "1:2:3:4:5:6:7::",
                          "::2:3:4:5:6:7:8",
                          "ABCD:ef01::/128",
                          "fe80::1/64",
                          "0000:0000:0000:0000:0000:0000:0000:0000"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        T_CHECK(ip_ok(good[i]));
    const char *bad[] = {"",
                         "1.2.3",
                         "1.2.3.4.5",
                         "256.0.0.1",
                         "01.2.3.4",
                         "1.2.3.4/33",
                         "1.2.3.4/08",
                         "1.2.3.4/",
                         "1.2.3.4/100",
                         "::1/129",
                         "::1/0128",
                         ":::",
                         "1:2:3:4:5:6:7:8:9",
                         "1:2:3:4:5:6:7:8::",
                         "::1:2:3:4:5:6:7:8",
                         "12345::",
                         "1::2::3",
                         ":1::",
                         "::ffff:1.2.3.4",
                         "g::",
                         " 1.2.3.4",
                         "1.2.3.4/8/8",
                         "0000:0000:0000:0000:0000:0000:0000:0000/0128"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        T_CHECK(is_err(X(M_FN_IP, bad[i]), M_EXTENSION_ERROR));
    T_CHECK(is_bool(CALL1(M_FN_IS_IPV4, X(M_FN_IP, "1.2.3.4")), true));
    T_CHECK(is_bool(CALL1(M_FN_IS_IPV6, X(M_FN_IP, "1.2.3.4")), false));
    T_CHECK(is_bool(CALL1(M_FN_IS_LOOPBACK, X(M_FN_IP, "127.1.2.3/8")), true));
    T_CHECK(is_bool(CALL1(M_FN_IS_LOOPBACK, X(M_FN_IP, "127.0.0.1/7")), false));
    T_CHECK(is_bool(CALL1(M_FN_IS_LOOPBACK, X(M_FN_IP, "::1")), true));
    T_CHECK(is_bool(CALL1(M_FN_IS_LOOPBACK, X(M_FN_IP, "::1/127")), false));
    T_CHECK(is_bool(CALL1(M_FN_IS_LOOPBACK, X(M_FN_IP, "::ffff:7f00:1")), false));
    T_CHECK(is_bool(CALL1(M_FN_IS_MULTICAST, X(M_FN_IP, "239.0.0.1")), true));
    T_CHECK(is_bool(CALL1(M_FN_IS_MULTICAST, X(M_FN_IP, "224.0.0.0/3")), false));
    T_CHECK(is_bool(CALL1(M_FN_IS_MULTICAST, X(M_FN_IP, "ff02::1/8")), true));
    T_CHECK(is_bool(CALL1(M_FN_IS_MULTICAST, X(M_FN_IP, "fe02::1")), false));
    T_CHECK(
        is_bool(CALL2(M_FN_IS_IN_RANGE, X(M_FN_IP, "10.1.2.3"), X(M_FN_IP, "10.0.0.0/8")), true));
    T_CHECK(is_bool(CALL2(M_FN_IS_IN_RANGE, X(M_FN_IP, "10.0.0.0/7"), X(M_FN_IP, "10.0.0.0/8")),
                    false));
    T_CHECK(
        is_bool(CALL2(M_FN_IS_IN_RANGE, X(M_FN_IP, "11.0.0.0/8"), X(M_FN_IP, "10.0.0.0/7")), true));
    T_CHECK(is_bool(CALL2(M_FN_IS_IN_RANGE, X(M_FN_IP, "1.2.3.4"), X(M_FN_IP, "0.0.0.0/0")), true));
    T_CHECK(is_bool(CALL2(M_FN_IS_IN_RANGE, X(M_FN_IP, "::1"), X(M_FN_IP, "0.0.0.0/0")), false));
    T_CHECK(
        is_bool(CALL2(M_FN_IS_IN_RANGE, X(M_FN_IP, "fe80::1:2"), X(M_FN_IP, "fe80::/100")), true));
    T_CHECK(
        is_bool(CALL2(M_FN_IS_IN_RANGE, X(M_FN_IP, "fe80::1:2"), X(M_FN_IP, "fe80::/112")), false));
    T_CHECK(is_err(CALL1(M_FN_IS_IPV4, STR("1.2.3.4")), M_TYPE_ERROR));
}

static bool dt(const char *s, int64_t ms)
{
    return is_kind(X(M_FN_DATETIME, s), M_V_DATETIME, ms);
}

static void test_datetime(void)
{
    T_CHECK(dt("1970-01-01", 0));
    T_CHECK(dt("1970-01-02T00:00:01Z", 86401000));
    T_CHECK(dt("1969-12-31T23:59:59.999Z", -1));
    T_CHECK(dt("2024-02-29", 1709164800000));
    T_CHECK(dt("2000-01-01T05:30:00+0530", 946684800000));
    T_CHECK(dt("2000-01-01T00:00:00.001-2359", 946684800001 + 86340000));
    T_CHECK(dt("0000-01-01", -62167219200000));
    T_CHECK(dt("9999-12-31T23:59:59.999Z", 253402300799999));
    const char *bad[] = {"",
                         "2024-1-01",
                         "2023-02-29",
                         "2024-13-01",
                         "2024-00-10",
                         "2024-04-31",
                         "2024-01-01T",
                         "2024-01-01T00:00:00",
                         "2024-01-01T24:00:00Z",
                         "2024-01-01T23:60:00Z",
                         "2024-01-01T23:59:60Z",
                         "2024-01-01T00:00:00.1Z",
                         "2024-01-01T00:00:00.1234Z",
                         "2024-01-01T00:00:00+2400",
                         "2024-01-01T00:00:00+0060",
                         "2024-01-01T00:00:00+01",
                         "2024-01-01T00:00:00z",
                         "2024-01-01 00:00:00Z",
                         "12024-01-01",
                         "2024-01-01Z",
                         "2024-01-01T00:00:00ZZ"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        T_CHECK(is_err(X(M_FN_DATETIME, bad[i]), M_EXTENSION_ERROR));
    const m_expr *d = X(M_FN_DATETIME, "1969-12-31T23:00:00Z");
    T_CHECK(is_kind(CALL1(M_FN_TO_DATE, d), M_V_DATETIME, -86400000));
    T_CHECK(is_kind(CALL1(M_FN_TO_TIME, d), M_V_DURATION, 82800000));
    T_CHECK(is_kind(CALL1(M_FN_TO_TIME, X(M_FN_DATETIME, "1969-12-31")), M_V_DURATION, 0));
    T_CHECK(is_kind(CALL2(M_FN_OFFSET, d, X(M_FN_DURATION, "1h")), M_V_DATETIME, 0));
    T_CHECK(is_kind(CALL2(M_FN_DURATION_SINCE, X(M_FN_DATETIME, "1970-01-01"), d), M_V_DURATION,
                    3600000));
    const m_expr *huge = X(M_FN_DURATION, "9223372036854775807ms");
    T_CHECK(is_err(CALL2(M_FN_OFFSET, X(M_FN_DATETIME, "1970-01-02"), huge), M_EXTENSION_ERROR));
    const m_expr *min = CALL2(M_FN_OFFSET, X(M_FN_DATETIME, "1970-01-01"),
                              X(M_FN_DURATION, "-9223372036854775808ms"));
    T_CHECK(is_kind(min, M_V_DATETIME, INT64_MIN));
    T_CHECK(is_err(CALL1(M_FN_TO_DATE, min), M_EXTENSION_ERROR));
    T_CHECK(
        is_err(CALL2(M_FN_DURATION_SINCE, X(M_FN_DATETIME, "1970-01-02"), min), M_EXTENSION_ERROR));
    T_CHECK(is_err(CALL2(M_FN_OFFSET, d, d), M_TYPE_ERROR));
}

static bool dur(const char *s, int64_t ms)
{
    return is_kind(X(M_FN_DURATION, s), M_V_DURATION, ms);
}

static void test_duration(void)
{
    T_CHECK(dur("1d2h3m4s5ms", 93784005));
    T_CHECK(dur("-1d2h", -93600000));
    T_CHECK(dur("1ms", 1));
    T_CHECK(dur("1m1ms", 60001));
    T_CHECK(dur("0d", 0));
    T_CHECK(dur("007s", 7000));
    T_CHECK(dur("-9223372036854775808ms", INT64_MIN));
    T_CHECK(dur("106751991167d", 106751991167LL * 86400000));
    const char *bad[] = {"",
                         "-",
                         "1",
                         "d",
                         "1h1d",
                         "1d1d",
                         "1ms1s",
                         "1x",
                         "1D",
                         "+1d",
                         "1d-1h",
                         "1.5h",
                         "1 d",
                         "1ms5",
                         "9223372036854775808ms",
                         "106751991168d",
                         "1ms1ms"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        T_CHECK(is_err(X(M_FN_DURATION, bad[i]), M_EXTENSION_ERROR));
    const m_expr *d = X(M_FN_DURATION, "-1d23h59m59s999ms");
    T_CHECK(is_int(CALL1(M_FN_TO_MILLISECONDS, d), -172799999));
    T_CHECK(is_int(CALL1(M_FN_TO_SECONDS, d), -172799));
    T_CHECK(is_int(CALL1(M_FN_TO_MINUTES, d), -2879));
    T_CHECK(is_int(CALL1(M_FN_TO_HOURS, d), -47));
    T_CHECK(is_int(CALL1(M_FN_TO_DAYS, d), -1));
    T_CHECK(is_err(CALL1(M_FN_TO_DAYS, I(1)), M_TYPE_ERROR));
}

static void test_authorizer(void)
{
    const m_expr *t = B(true), *f = B(false), *bad = BIN(M_ADD, I(1), STR("x"));
    m_policy ps[] = {
        {S("p0"), M_PERMIT, t},
        {S("p1"), M_PERMIT, f},
        {S("p2"), M_PERMIT, bad},
        {S("f0"), M_FORBID, bad},
    };
    m_response r = m_is_authorized(&REQ, &ES, 4, ps, A);
    T_CHECK(r.allow && r.n_determining == 1 && m_str_eq(r.determining[0], S("p0")));
    T_CHECK(r.n_erroring == 2 && m_str_eq(r.erroring[0], S("p2")) &&
            m_str_eq(r.erroring[1], S("f0")) && r.errors[0] == M_TYPE_ERROR);
    ps[3].condition = t; /* a satisfied forbid wins */
    r = m_is_authorized(&REQ, &ES, 4, ps, A);
    T_CHECK(!r.allow && r.n_determining == 1 && m_str_eq(r.determining[0], S("f0")));
    T_CHECK(r.n_erroring == 1);
    r = m_is_authorized(&REQ, &ES, 2, ps + 1, A); /* no satisfied permit: deny, no reasons */
    T_CHECK(!r.allow && r.n_determining == 0 && r.n_erroring == 1);
    r = m_is_authorized(&REQ, &ES, 0, ps, A);
    T_CHECK(!r.allow && r.n_determining == 0 && r.n_erroring == 0);
    ps[1].condition = I(1); /* a non-bool condition is neither satisfied nor an error here */
    r = m_is_authorized(&REQ, &ES, 2, ps, A);
    T_CHECK(r.allow && r.n_determining == 1 && r.n_erroring == 0);
}

/* Policy.toExpr (m_policy.c): each scope form, conditions, and that they all
 * sit under `&&`, in order (principal, action, resource, conditions). */
static bool holds(const m_policy_def *d)
{
    return is_bool(m_policy_of(A, d).condition, true);
}
static void test_policy_to_expr(void)
{
    m_scope any = {M_SCOPE_ANY, {{0}, {0}}, {0}, 0, NULL};
    m_policy_def d = {S("p"), M_PERMIT, any, any, any, 0, NULL};
    T_CHECK(holds(&d)); /* no scope, no condition: true */
    d.principal = (m_scope){M_SCOPE_EQ, U("User", "alice"), {0}, 0, NULL};
    T_CHECK(holds(&d));
    d.principal.uid = U("User", "bob");
    T_CHECK(!holds(&d));
    d.principal = (m_scope){M_SCOPE_IN, U("User", "all"), {0}, 0, NULL}; /* transitive */
    T_CHECK(holds(&d));
    d.principal = (m_scope){M_SCOPE_IS, {{0}, {0}}, S("User"), 0, NULL};
    T_CHECK(holds(&d));
    d.principal.ety = S("Photo");
    T_CHECK(!holds(&d));
    d.principal = (m_scope){M_SCOPE_IS_IN, U("User", "staff"), S("User"), 0, NULL};
    T_CHECK(holds(&d));
    d.principal.ety = S("Photo");
    T_CHECK(!holds(&d));
    d.principal = any;
    m_uid acts[] = {U("Action", "edit"), U("Action", "view")};
    d.action = (m_scope){M_SCOPE_IN_SET, {{0}, {0}}, {0}, 2, acts};
    T_CHECK(holds(&d));
    d.action.n_uids = 1;
    T_CHECK(!holds(&d));
    d.action = any;
    d.resource = (m_scope){M_SCOPE_EQ, U("Photo", "p"), {0}, 0, NULL};
    m_condition cs[] = {{true, B(true)}, {false, B(false)}, {true, I(1)}};
    d.conditions = cs;
    d.n_conditions = 2; /* when { true } unless { false } */
    T_CHECK(holds(&d));
    cs[1].body = B(true); /* unless { true } */
    T_CHECK(!holds(&d));
    d.n_conditions = 3; /* a false condition stops the rest */
    T_CHECK(!holds(&d));
    cs[1].body = B(false); /* the last condition too is under `&&`: 1 is a type error */
    T_CHECK(is_err(m_policy_of(A, &d).condition, M_TYPE_ERROR));
    d.resource.uid = U("Photo", "q"); /* a scope that fails stops the conditions */
    T_CHECK(is_bool(m_policy_of(A, &d).condition, false));
    T_CHECK(m_str_eq(m_policy_of(A, &d).id, S("p")) && m_policy_of(A, &d).effect == M_PERMIT);
}

int main(void)
{
    setup();
    T_RUN(test_vars_and_logic);
    T_RUN(test_unary);
    T_RUN(test_like);
    T_RUN(test_eq_and_compare);
    T_RUN(test_arith);
    T_RUN(test_sets);
    T_RUN(test_in);
    T_RUN(test_attrs_and_tags);
    T_RUN(test_decimal);
    T_RUN(test_ip);
    T_RUN(test_datetime);
    T_RUN(test_duration);
    T_RUN(test_authorizer);
    T_RUN(test_policy_to_expr);
    m_arena_free(A);
    T_DONE();
}
