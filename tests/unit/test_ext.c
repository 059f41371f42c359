/* Tests of the extension types: decimal, ipaddr, datetime, duration.
 *
 * The accepted and rejected strings and the expected results come from the
 * official implementation's unit tests (cedar-policy-core's extensions) and
 * the Lean specification, plus edge cases worked out from their definitions
 * (epoch values were computed independently with Python's datetime). */
#include <inttypes.h>
#include <stdlib.h>

#include "cd_ext.h"
#include "t.h"

static cd_arena *A;

static cd_value str(const char *s)
{
    return cd_string(cd_str_from_c(s));
}

/* Apply fn to 1 or 2 arguments; returns the status, result in *out. */
static cd_ext_status call(cd_extfn fn, const cd_value *a, const cd_value *b, cd_value *out,
                          const char **msg)
{
    cd_value args[2];
    args[0] = *a;
    if (b) args[1] = *b;
    const char *m = NULL;
    cd_ext_status st = cd_ext_call(fn, args, b ? 2 : 1, out, A, &m);
    if (msg) *msg = m;
    if (st != CD_EXT_OK && (!m || !*m)) {
        fprintf(stderr, "missing message for failed call\n");
        t_failed_checks++;
    }
    return st;
}

/* Construct an extension value, failing the test if the string is rejected. */
static cd_value make(cd_extfn ctor, const char *s)
{
    cd_value arg = str(s), out = cd_bool(false);
    const char *msg;
    if (call(ctor, &arg, NULL, &out, &msg) != CD_EXT_OK) {
        fprintf(stderr, "constructor %s(\"%s\") failed: %s\n", cd_extfn_get(ctor)->name, s, msg);
        t_failed_checks++;
    }
    return out;
}

static bool accepts(cd_extfn ctor, const char *s)
{
    cd_value arg = str(s), out;
    cd_ext_status st = call(ctor, &arg, NULL, &out, NULL);
    T_CHECK(st == CD_EXT_OK || st == CD_EXT_ERROR);
    return st == CD_EXT_OK;
}

static bool bool_call(cd_extfn fn, cd_value a, const cd_value *b)
{
    cd_value out = cd_long(0);
    const char *msg = "";
    if (call(fn, &a, b, &out, &msg) != CD_EXT_OK || out.kind != CD_V_BOOL) {
        fprintf(stderr, "call of %s failed: %s\n", cd_extfn_get(fn)->name, msg);
        t_failed_checks++;
        return false;
    }
    return out.u.b;
}

static const char *printed(const cd_value *v)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_value_print(&b, v);
    const char *s = cd_arena_str(A, b.data ? b.data : "", b.len).ptr;
    cd_buf_free(&b);
    return s;
}

static const char *print_arg(const cd_value *v)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_ext_print_arg(&b, &v->u.ext);
    const char *s = cd_arena_str(A, b.data ? b.data : "", b.len).ptr;
    cd_buf_free(&b);
    return s;
}

/* ---- function table ------------------------------------------------------ */

static void test_fn_table(void)
{
    static const struct {
        const char *name;
        bool method;
        int arity;
        cd_extfn fn;
    } want[] = {
        {"decimal", false, 1, CD_FN_DECIMAL},
        {"ip", false, 1, CD_FN_IP},
        {"datetime", false, 1, CD_FN_DATETIME},
        {"duration", false, 1, CD_FN_DURATION},
        {"lessThan", true, 2, CD_FN_LESS_THAN},
        {"lessThanOrEqual", true, 2, CD_FN_LESS_THAN_OR_EQUAL},
        {"greaterThan", true, 2, CD_FN_GREATER_THAN},
        {"greaterThanOrEqual", true, 2, CD_FN_GREATER_THAN_OR_EQUAL},
        {"isIpv4", true, 1, CD_FN_IS_IPV4},
        {"isIpv6", true, 1, CD_FN_IS_IPV6},
        {"isLoopback", true, 1, CD_FN_IS_LOOPBACK},
        {"isMulticast", true, 1, CD_FN_IS_MULTICAST},
        {"isInRange", true, 2, CD_FN_IS_IN_RANGE},
        {"offset", true, 2, CD_FN_OFFSET},
        {"durationSince", true, 2, CD_FN_DURATION_SINCE},
        {"toDate", true, 1, CD_FN_TO_DATE},
        {"toTime", true, 1, CD_FN_TO_TIME},
        {"toDays", true, 1, CD_FN_TO_DAYS},
        {"toHours", true, 1, CD_FN_TO_HOURS},
        {"toMinutes", true, 1, CD_FN_TO_MINUTES},
        {"toSeconds", true, 1, CD_FN_TO_SECONDS},
        {"toMilliseconds", true, 1, CD_FN_TO_MILLISECONDS},
    };
    T_CHECK(sizeof want / sizeof want[0] == CD_FN__COUNT);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const cd_extfn_info *info = cd_extfn_get(want[i].fn);
        T_CHECK(info != NULL);
        if (!info) continue;
        T_CHECK_STR(info->name, want[i].name);
        T_CHECK(info->is_method == want[i].method);
        T_CHECK(info->arity == want[i].arity);
        cd_extfn got = CD_FN__COUNT;
        T_CHECK(cd_extfn_lookup(cd_str_from_c(want[i].name), want[i].method, &got));
        T_CHECK(got == want[i].fn);
        /* wrong call style: `"1.0".decimal()`, `lessThan(a, b)` */
        T_CHECK(!cd_extfn_lookup(cd_str_from_c(want[i].name), !want[i].method, &got));
    }
    cd_extfn got;
    T_CHECK(!cd_extfn_lookup(CD_STR_LIT("ipaddr"), false, &got));
    T_CHECK(!cd_extfn_lookup(CD_STR_LIT("isinrange"), true, &got));
    T_CHECK(!cd_extfn_lookup(CD_STR_LIT("unknown"), true, &got));
    T_CHECK(!cd_extfn_lookup(CD_STR_LIT(""), false, &got));
    T_CHECK(cd_extfn_get(CD_FN__COUNT) == NULL);

    T_CHECK_STR(cd_extkind_name(CD_EXT_DECIMAL), "decimal");
    T_CHECK_STR(cd_extkind_name(CD_EXT_IPADDR), "ipaddr");
    T_CHECK_STR(cd_extkind_name(CD_EXT_DATETIME), "datetime");
    T_CHECK_STR(cd_extkind_name(CD_EXT_DURATION), "duration");
    T_CHECK_STR(cd_extkind_ctor(CD_EXT_IPADDR), "ip");
    T_CHECK_STR(cd_extkind_ctor(CD_EXT_DECIMAL), "decimal");
}

static void test_call_errors(void)
{
    cd_value out, one = cd_long(1), s = str("1.0");
    const char *msg;
    /* constructors need a string */
    T_CHECK(call(CD_FN_DECIMAL, &one, NULL, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK_STR(msg, "expected string, got long");
    cd_value set = cd_set_make(NULL, 0);
    T_CHECK(call(CD_FN_IP, &set, NULL, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK_STR(msg, "expected string, got set");
    /* methods need their extension type, with a hint when given a string */
    cd_value d = make(CD_FN_DECIMAL, "1.0");
    T_CHECK(call(CD_FN_LESS_THAN, &d, &s, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK_STR(msg, "expected decimal, got string (maybe you forgot to apply the `decimal` "
                     "constructor?)");
    T_CHECK(call(CD_FN_IS_IPV4, &s, NULL, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK_STR(msg, "expected ipaddr, got string (maybe you forgot to apply the `ip` "
                     "constructor?)");
    cd_uid u = {cd_name_intern(NULL, "User", 4), CD_STR_LIT("alice"), 0};
    cd_value e = cd_entityv(u);
    T_CHECK(call(CD_FN_TO_DATE, &e, NULL, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK_STR(msg, "expected datetime, got (entity of type `User`)");
    cd_value dur = make(CD_FN_DURATION, "1h");
    T_CHECK(call(CD_FN_TO_DATE, &dur, NULL, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK_STR(msg, "expected datetime, got duration");
    cd_value dt = make(CD_FN_DATETIME, "2024-01-01");
    T_CHECK(call(CD_FN_OFFSET, &dt, &dt, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK(call(CD_FN_OFFSET, &dur, &dur, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK(call(CD_FN_DURATION_SINCE, &dt, &dur, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK(call(CD_FN_TO_DAYS, &dt, NULL, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK(call(CD_FN_IS_IN_RANGE, &d, &d, &out, &msg) == CD_EXT_TYPE_ERROR);
    /* the first bad argument is reported */
    T_CHECK(call(CD_FN_GREATER_THAN, &one, &s, &out, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK_STR(msg, "expected decimal, got long");
    /* wrong number of arguments (receiver included) */
    cd_value args[3] = {dt, one, one};
    T_CHECK(cd_ext_call(CD_FN_TO_DATE, args, 2, &out, A, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK_STR(msg, "wrong number of arguments provided to extension function `toDate`: "
                     "expected 1, got 2");
    cd_value ips[3] = {make(CD_FN_IP, "10.0.0.1"), make(CD_FN_IP, "10.0.0.0/8"),
                       make(CD_FN_IP, "192.168.0.0/16")};
    T_CHECK(cd_ext_call(CD_FN_IS_IN_RANGE, ips, 3, &out, A, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK(cd_ext_call(CD_FN_IS_IN_RANGE, ips, 1, &out, A, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK(cd_ext_call(CD_FN_DECIMAL, args, 0, &out, A, &msg) == CD_EXT_TYPE_ERROR);
    /* failures of the function itself */
    cd_value bad = str("1.2.3");
    T_CHECK(call(CD_FN_DECIMAL, &bad, NULL, &out, &msg) == CD_EXT_ERROR);
    T_CHECK(strstr(msg, "invalid decimal \"1.2.3\": ") == msg);
    T_CHECK(call(CD_FN_IP, &bad, NULL, &out, &msg) == CD_EXT_ERROR);
    T_CHECK(strstr(msg, "invalid ipaddr \"1.2.3\": ") == msg);
    cd_value nl = str("a\nb");
    T_CHECK(call(CD_FN_DURATION, &nl, NULL, &out, &msg) == CD_EXT_ERROR);
    T_CHECK(strstr(msg, "invalid duration \"a\\nb\": ") == msg);
    /* no arena: static messages */
    T_CHECK(cd_ext_call(CD_FN_DECIMAL, &bad, 1, &out, NULL, &msg) == CD_EXT_ERROR);
    T_CHECK(msg && *msg);
    T_CHECK(cd_ext_call(CD_FN_DECIMAL, &one, 1, &out, NULL, &msg) == CD_EXT_TYPE_ERROR);
    T_CHECK(msg && *msg);
}

/* ---- decimal ------------------------------------------------------------- */

static void test_decimal_parse(void)
{
    static const struct {
        const char *s;
        int64_t v;
    } ok[] = {
        {"1.0", 10000},
        {"-1.0", -10000},
        {"123.456", 1234560},
        {"0.1234", 1234},
        {"-0.0123", -123},
        {"55.1", 551000},
        {"00.000", 0},
        {"-0.0", 0},
        {"0123.0", 1230000},
        {"123.0000", 1230000},
        {"-0.5", -5000},
        {"922337203685477.5807", INT64_MAX},
        {"-922337203685477.5808", INT64_MIN},
        {"922337203685477.0", 9223372036854770000},
        {"000000000000000000000000000001.0", 10000},
        {"-000000000000000000000000000000.0001", -1},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t v = 0;
        const char *msg = NULL;
        bool r = cd_decimal_parse(cd_str_from_c(ok[i].s), &v, &msg);
        if (!r || v != ok[i].v) {
            fprintf(stderr, "decimal(\"%s\"): got %d %" PRId64 " (%s)\n", ok[i].s, r, v,
                    msg ? msg : "");
            t_failed_checks++;
        }
    }
    static const char *const bad[] = {
        "1234",
        "1.0.",
        "1.",
        ".1",
        "1.a",
        "-.",
        "",
        "-",
        ".",
        "-1",
        "+1.0",
        "1e3.0",
        " 1.0",
        "1.0 ",
        "1 .0",
        "1,0",
        "1.0\n",
        "--1.0",
        "1.-0",
        "0x1.0",
        "1.0e2",
        "\xd9\xa1.0",
        /* overflow */
        "1000000000000000.0",
        "922337203685477.5808",
        "-922337203685477.5809",
        "-922337203685478.0",
        "9223372036854775808.0",
        "99999999999999999999999.0",
        /* too many fractional digits, even zeros */
        "0.12345",
        "0.00000",
        "1.000000000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v;
        const char *msg = NULL;
        if (cd_decimal_parse(cd_str_from_c(bad[i]), &v, &msg) || !msg) {
            fprintf(stderr, "decimal(\"%s\") accepted or no message\n", bad[i]);
            t_failed_checks++;
        }
        T_CHECK(!accepts(CD_FN_DECIMAL, bad[i]));
    }
    /* embedded NUL */
    int64_t v;
    T_CHECK(!cd_decimal_parse((cd_str){"1.0\0", 4}, &v, NULL));
}

static void test_decimal_print(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"123.0", "123.0000"},
        {"1.2300", "1.2300"},
        {"123.4560", "123.4560"},
        {"-123.4560", "-123.4560"},
        {"0.0", "0.0000"},
        {"-0.0", "0.0000"},
        {"-0.0001", "-0.0001"},
        {"-1.5", "-1.5000"},
        {"0.05", "0.0500"},
        {"922337203685477.5807", "922337203685477.5807"},
        {"-922337203685477.5808", "-922337203685477.5808"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cd_value d = make(CD_FN_DECIMAL, cases[i].in);
        const char *arg = print_arg(&d);
        T_CHECK_STR(arg, cases[i].out);
        cd_value back = make(CD_FN_DECIMAL, arg);
        T_CHECK(cd_value_eq(&d, &back));
    }
    cd_value d = make(CD_FN_DECIMAL, "1.23");
    T_CHECK_STR(printed(&d), "decimal(\"1.2300\")");
}

static void test_decimal_methods(void)
{
    cd_value a = make(CD_FN_DECIMAL, "1.23"), b = make(CD_FN_DECIMAL, "1.24"),
             c = make(CD_FN_DECIMAL, "123.45"), d = make(CD_FN_DECIMAL, "-1.23"),
             e = make(CD_FN_DECIMAL, "-1.24");
    static const cd_extfn fns[4] = {CD_FN_LESS_THAN, CD_FN_LESS_THAN_OR_EQUAL, CD_FN_GREATER_THAN,
                                    CD_FN_GREATER_THAN_OR_EQUAL};
    const struct {
        const cd_value *l, *r;
        bool want[4]; /* <, <=, >, >= */
    } cases[] = {
        {&a, &b, {true, true, false, false}}, {&a, &a, {false, true, false, true}},
        {&c, &a, {false, false, true, true}}, {&d, &a, {true, true, false, false}},
        {&d, &e, {false, false, true, true}}, {&e, &d, {true, true, false, false}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int k = 0; k < 4; k++)
            T_CHECK(bool_call(fns[k], *cases[i].l, cases[i].r) == cases[i].want[k]);

    cd_value m1 = make(CD_FN_DECIMAL, "-0.0001"), z = make(CD_FN_DECIMAL, "0.0");
    T_CHECK(bool_call(CD_FN_LESS_THAN, m1, &z));
    cd_value s1 = make(CD_FN_DECIMAL, "-0.0023"), s2 = make(CD_FN_DECIMAL, "-0.23");
    T_CHECK(!bool_call(CD_FN_LESS_THAN, s1, &s2));
    cd_value t1 = make(CD_FN_DECIMAL, "-1.0000"), t2 = make(CD_FN_DECIMAL, "-0.9999");
    T_CHECK(bool_call(CD_FN_LESS_THAN, t1, &t2));
    cd_value mn = make(CD_FN_DECIMAL, "-922337203685477.5808"),
             mx = make(CD_FN_DECIMAL, "922337203685477.5807");
    T_CHECK(bool_call(CD_FN_LESS_THAN, mn, &mx));
    T_CHECK(bool_call(CD_FN_GREATER_THAN_OR_EQUAL, mx, &mx));

    /* equality is by value: 123.0 == 123.0000 == 0123.0; 0.0 == -0.0 */
    cd_value x = make(CD_FN_DECIMAL, "123.0"), y = make(CD_FN_DECIMAL, "123.0000"),
             w = make(CD_FN_DECIMAL, "0123.0"), v = make(CD_FN_DECIMAL, "123.456");
    T_CHECK(cd_value_eq(&x, &y) && cd_value_eq(&y, &w) && !cd_value_eq(&x, &v));
    cd_value mz = make(CD_FN_DECIMAL, "-0.0");
    T_CHECK(cd_value_eq(&z, &mz));
    cd_value p23 = make(CD_FN_DECIMAL, "0.23"), m23 = make(CD_FN_DECIMAL, "-0.23");
    T_CHECK(!cd_value_eq(&p23, &m23));
    cd_value s = str("123.0"), l = cd_long(123);
    T_CHECK(!cd_value_eq(&x, &s) && !cd_value_eq(&x, &l));
}

/* ---- ipaddr -------------------------------------------------------------- */

static void test_ip_parse(void)
{
    static const struct {
        const char *s;
        bool v6;
        unsigned prefix;
        const char *hex;
    } ok[] = {
        {"127.0.0.1", false, 32, "7f000001"},
        {"0.0.0.0", false, 32, "00000000"},
        {"255.255.255.255", false, 32, "ffffffff"},
        {"127.0.0.1/24", false, 24, "7f000001"},
        {"127.0.0.1/0", false, 0, "7f000001"},
        {"127.0.0.1/32", false, 32, "7f000001"},
        {"10.0.0.1/8", false, 8, "0a000001"},
        {"::1", true, 128, "00000000000000000000000000000001"},
        {"::", true, 128, "00000000000000000000000000000000"},
        {"::/0", true, 0, "00000000000000000000000000000000"},
        {"ffee::/64", true, 64, "ffee0000000000000000000000000000"},
        {"ffee::/0", true, 0, "ffee0000000000000000000000000000"},
        {"ffee::/128", true, 128, "ffee0000000000000000000000000000"},
        {"ffee::11", true, 128, "ffee0000000000000000000000000011"},
        {"::ffff:ff00:1", true, 128, "00000000000000000000ffffff000001"},
        {"1:2:3:4::", true, 128, "00010002000300040000000000000000"},
        {"1:2:3:4::/48", true, 48, "00010002000300040000000000000000"},
        {"1:2:3:4:5:6:7:8", true, 128, "00010002000300040005000600070008"},
        {"1:2:3:4:5:6:7::", true, 128, "00010002000300040005000600070000"},
        {"::2:3:4:5:6:7:8", true, 128, "00000002000300040005000600070008"},
        {"1::8", true, 128, "00010000000000000000000000000008"},
        {"FFEE::ABCD", true, 128, "ffee000000000000000000000000abcd"},
        {"0000:0000:0000:0000:0000:0000:0000:0001", true, 128, "00000000000000000000000000000001"},
        {"0000:0000:0000:0000:0000:0000:0000:0000/128", true, 128,
         "00000000000000000000000000000000"},
        {"ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128", true, 128,
         "abcdef0123456789abcdef0123456789"},
        {"fe80::/10", true, 10, "fe800000000000000000000000000000"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cd_ipaddr ip;
        const char *msg = NULL;
        if (!cd_ip_parse(cd_str_from_c(ok[i].s), &ip, &msg)) {
            fprintf(stderr, "ip(\"%s\") rejected: %s\n", ok[i].s, msg);
            t_failed_checks++;
            continue;
        }
        char hex[33] = {0};
        for (int k = 0; k < (ip.v6 ? 16 : 4); k++)
            snprintf(hex + 2 * k, 3, "%02x", ip.addr[k]);
        T_CHECK(ip.v6 == ok[i].v6);
        T_CHECK(ip.prefix == ok[i].prefix);
        T_CHECK_STR(hex, ok[i].hex);
    }
    static const char *const bad[] = {
        "380.0.0.1",
        "?",
        "ab.ab.ab.ab",
        "foo::1",
        "",
        "1.2.3",
        "1.2.3.4.5",
        "1.2.3.",
        ".1.2.3.4",
        "256.0.0.0",
        "1.2.3.-1",
        "1.2.3.4 ",
        " 1.2.3.4",
        "01.2.3.4",
        "1.2.3.04",
        "1.2.3.00",
        "0x1.2.3.4",
        "1.2.3.4:80",
        "1.2.3.4%eth0",
        "1234.1.1.1",
        "\n",
        /* IPv4 embedded in IPv6 */
        "::ffff:127.0.0.1",
        "::127.0.0.1",
        "::ffff:255.255.255.255",
        "64:ff9b::1.2.3.4",
        "::ffff:192.168.0.0/112",
        /* IPv6 syntax */
        ":::",
        "1:::2",
        ":1::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1:2:3:4::5:6:7:8",
        "12345::",
        "g::",
        "fe80::1%eth0",
        "[::1]",
        "::1 ",
        "1:",
        ":1",
        "1::2:",
        "ffff:",
        "fe80::/",
        "1:2:3:4:5:6:7:8::",
        /* prefixes */
        "127.0.0.1/8/24",
        "fee::/64::1",
        "172.0.0.1/64",
        "ffee::/132",
        "ffee::/+1",
        "ffee::/01",
        "ffee::/1234",
        "127.0.0.1/",
        "127.0.0.1/33",
        "127.0.0.1/032",
        "127.0.0.1/00",
        "127.0.0.1/-1",
        "127.0.0.1/ 8",
        "127.0.0.1/8 ",
        "::/129",
        "::/0128",
        "10.0.0.0/a",
        "174.174.174.0//5",
        "10.0.0.0/100",
        /* longer than 43 bytes */
        "0000:0000:0000:0000:0000:0000:0000:0000/0128",
        "00000000000000000000000000000000000000000001.2.3.4",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cd_ipaddr ip;
        const char *msg = NULL;
        if (cd_ip_parse(cd_str_from_c(bad[i]), &ip, &msg) || !msg) {
            fprintf(stderr, "ip(\"%s\") accepted or no message\n", bad[i]);
            t_failed_checks++;
        }
        T_CHECK(!accepts(CD_FN_IP, bad[i]));
    }
    cd_ipaddr ip;
    T_CHECK(!cd_ip_parse((cd_str){"1.2.3.4\0", 8}, &ip, NULL));
    /* empty strings with no storage behind them */
    int64_t v;
    T_CHECK(!cd_ip_parse((cd_str){NULL, 0}, &ip, NULL));
    T_CHECK(!cd_decimal_parse((cd_str){NULL, 0}, &v, NULL));
    T_CHECK(!cd_datetime_parse((cd_str){NULL, 0}, &v, NULL));
    T_CHECK(!cd_duration_parse((cd_str){NULL, 0}, &v, NULL));
}

static void test_ip_print(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"127.0.0.1", "127.0.0.1"},
        {"127.0.0.1/32", "127.0.0.1"},
        {"127.0.0.1/0", "127.0.0.1/0"},
        {"127.0.0.1/8", "127.0.0.1/8"},
        {"ffee::/64", "ffee::/64"},
        {"ffee::11", "ffee::11"},
        {"::", "::"},
        {"::1", "::1"},
        {"1::", "1::"},
        {"FFEE:0:0:0:0:0:0:1", "ffee::1"},
        {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},      /* longest run */
        {"1:0:0:2:0:0:3:4", "1::2:0:0:3:4"},    /* first of equal runs */
        {"1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"}, /* a single zero group stays */
        {"0001:0002:0003:0004:0005:0006:0007:0008", "1:2:3:4:5:6:7:8"},
        {"::ffff:ff00:1", "::ffff:ff00:1"},
        {"::ffff:102:304", "::ffff:102:304"}, /* mapped: hex, unlike Rust's dotted form */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cd_value v = make(CD_FN_IP, cases[i].in);
        const char *arg = print_arg(&v);
        T_CHECK_STR(arg, cases[i].out);
        cd_value back = make(CD_FN_IP, arg);
        T_CHECK(cd_value_eq(&v, &back));
    }
    cd_value v = make(CD_FN_IP, "10.0.0.0/8");
    T_CHECK_STR(printed(&v), "ip(\"10.0.0.0/8\")");
}

static bool ipf(cd_extfn fn, const char *s)
{
    return bool_call(fn, make(CD_FN_IP, s), NULL);
}

static bool in_range(const char *a, const char *r)
{
    cd_value rv = make(CD_FN_IP, r);
    return bool_call(CD_FN_IS_IN_RANGE, make(CD_FN_IP, a), &rv);
}

static void test_ip_methods(void)
{
    T_CHECK(ipf(CD_FN_IS_IPV4, "127.0.0.1") && !ipf(CD_FN_IS_IPV6, "127.0.0.1"));
    T_CHECK(!ipf(CD_FN_IS_IPV4, "::1") && ipf(CD_FN_IS_IPV6, "::1"));
    T_CHECK(!ipf(CD_FN_IS_IPV4, "::ffff:ff00:1") && ipf(CD_FN_IS_IPV6, "::ffff:ff00:1"));
    T_CHECK(ipf(CD_FN_IS_IPV4, "127.0.0.1/24") && !ipf(CD_FN_IS_IPV6, "127.0.0.1/24"));
    T_CHECK(!ipf(CD_FN_IS_IPV4, "ffee::/64") && ipf(CD_FN_IS_IPV6, "ffee::/64"));

    T_CHECK(ipf(CD_FN_IS_LOOPBACK, "127.0.0.2"));
    T_CHECK(ipf(CD_FN_IS_LOOPBACK, "127.255.255.255"));
    T_CHECK(ipf(CD_FN_IS_LOOPBACK, "127.0.0.1/8"));
    T_CHECK(!ipf(CD_FN_IS_LOOPBACK, "127.0.0.1/7"));
    T_CHECK(!ipf(CD_FN_IS_LOOPBACK, "127.255.200.200/0"));
    T_CHECK(!ipf(CD_FN_IS_LOOPBACK, "128.0.0.1"));
    T_CHECK(ipf(CD_FN_IS_LOOPBACK, "::1"));
    T_CHECK(ipf(CD_FN_IS_LOOPBACK, "::1/128"));
    T_CHECK(!ipf(CD_FN_IS_LOOPBACK, "::1/127"));
    T_CHECK(!ipf(CD_FN_IS_LOOPBACK, "::2"));
    T_CHECK(!ipf(CD_FN_IS_LOOPBACK, "::ffff:7f00:1")); /* mapped 127.0.0.1 is IPv6 */

    T_CHECK(ipf(CD_FN_IS_MULTICAST, "228.228.228.0"));
    T_CHECK(ipf(CD_FN_IS_MULTICAST, "224.0.0.0"));
    T_CHECK(ipf(CD_FN_IS_MULTICAST, "239.255.255.255"));
    T_CHECK(!ipf(CD_FN_IS_MULTICAST, "240.0.0.0"));
    T_CHECK(!ipf(CD_FN_IS_MULTICAST, "223.255.255.255"));
    T_CHECK(!ipf(CD_FN_IS_MULTICAST, "224.0.0.0/3"));
    T_CHECK(ipf(CD_FN_IS_MULTICAST, "224.0.0.0/4"));
    T_CHECK(ipf(CD_FN_IS_MULTICAST, "224.0.0.0/5"));
    T_CHECK(!ipf(CD_FN_IS_MULTICAST, "127.0.0.1"));
    T_CHECK(!ipf(CD_FN_IS_MULTICAST, "127.0.0.1/1"));
    T_CHECK(!ipf(CD_FN_IS_MULTICAST, "ff00::/7"));
    T_CHECK(ipf(CD_FN_IS_MULTICAST, "ff00::/8"));
    T_CHECK(ipf(CD_FN_IS_MULTICAST, "ff00::/9"));
    T_CHECK(ipf(CD_FN_IS_MULTICAST, "ff00::2"));
    T_CHECK(ipf(CD_FN_IS_MULTICAST, "ffff::"));
    T_CHECK(!ipf(CD_FN_IS_MULTICAST, "fe00::"));

    static const struct {
        const char *a, *r;
        bool want;
    } ranges[] = {
        {"192.168.0.1/24", "192.168.0.1/24", true},
        {"192.168.0.1", "192.168.0.1/28", true},
        {"192.168.0.10", "192.168.0.1/24", true},
        {"192.168.0.10", "192.168.0.1/28", true},
        {"192.168.0.75", "192.168.0.1/24", true},
        {"192.168.0.75", "192.168.0.1/28", false},
        {"192.168.0.1", "192.168.0.1", true},
        {"1:2:3:4::", "1:2:3:4::/48", true},
        {"1:2:3:4::", "1:2:3:4::/52", true},
        {"1:2:3:6::", "1:2:3:4::/48", true},
        {"1:2:3:6::", "1:2:3:4::/52", true},
        {"1:2:3:ffff::", "1:2:3:4::/48", true},
        {"1:2:3:ffff::", "1:2:3:4::/52", false},
        {"1:2:3:4::", "1:2:3:4::", true},
        {"192.168.0.1", "1:2:3:4::/48", false},
        {"::ffff:c0a8:1", "192.168.0.0/16", false}, /* no mixing of versions */
        {"192.168.0.1", "::/0", false},
        {"10.0.0.0", "10.0.0.0/24", true},
        {"10.0.0.0", "10.0.0.0/32", true},
        {"10.0.0.0", "10.0.0.1/24", true},
        {"10.0.0.0", "10.0.0.1/32", false},
        {"10.0.0.1", "10.0.0.0/24", true},
        {"10.0.0.1", "10.0.0.1/24", true},
        {"10.0.0.0/24", "10.0.0.0/32", false},
        {"10.0.0.0/32", "10.0.0.0/24", true},
        {"10.0.0.1/24", "10.0.0.0/24", true},
        {"10.0.0.1/24", "10.0.0.1/24", true},
        {"10.0.0.0/24", "10.0.0.1/24", true},
        {"10.0.0.0/24", "10.0.0.0/29", false},
        {"10.0.0.0/29", "10.0.0.0/24", true},
        {"10.0.0.0/24", "10.0.0.1/29", false},
        {"10.0.0.0/29", "10.0.0.1/24", true},
        {"10.0.0.1/24", "10.0.0.0/29", false},
        {"10.0.0.1/29", "10.0.0.0/24", true},
        {"10.0.0.0/32", "10.0.0.0/32", true},
        {"10.0.0.0/32", "10.0.0.0", true},
        {"1.2.3.4", "0.0.0.0/0", true},
        {"0.0.0.0/0", "1.2.3.4/0", true},
        {"0.0.0.0/0", "1.2.3.4/1", false},
        {"255.255.255.255", "128.0.0.0/1", true},
        {"127.0.0.1", "128.0.0.0/1", false},
        {"::/0", "ffff::/0", true},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::/1", true},
        {"7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::/1", false},
        {"2001:db8::1", "2001:db8::/32", true},
        {"2001:db9::1", "2001:db8::/32", false},
        {"1:2:3:4:5:6:7:8", "1:2:3:4::/64", true},
        {"1:2:3:5:5:6:7:8", "1:2:3:4::/64", false},
        {"1:2:3:4:8000::", "1:2:3:4::/65", false},
        {"1:2:3:4:7fff::", "1:2:3:4::/65", true},
        {"1:2:3:4::/63", "1:2:3:4::/64", false},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (in_range(ranges[i].a, ranges[i].r) != ranges[i].want) {
            fprintf(stderr, "ip(\"%s\").isInRange(ip(\"%s\")) should be %d\n", ranges[i].a,
                    ranges[i].r, ranges[i].want);
            t_failed_checks++;
        }
    }

    /* equality keeps the version, the host bits and the prefix */
    static const struct {
        const char *a, *b;
        bool eq;
    } eqs[] = {
        {"127.0.0.1", "127.0.0.1", true},
        {"192.168.0.1", "8.8.8.8", false},
        {"127.0.0.1", "::1", false},
        {"127.0.0.1", "192.168.0.1/24", false},
        {"192.168.0.1/24", "8.8.8.8/8", false},
        {"10.0.0.0", "10.0.0.0", true},
        {"10.0.0.0", "10.0.0.1", false},
        {"10.0.0.0/32", "10.0.0.0", true},
        {"10.0.0.0/24", "10.0.0.0", false},
        {"10.0.0.0/32", "10.0.0.0/32", true},
        {"10.0.0.0/24", "10.0.0.0/32", false},
        {"10.0.0.0/24", "10.0.0.1/24", false},
        {"10.0.0.1/24", "10.0.0.1/29", false},
        {"::1", "0:0:0:0:0:0:0:1/128", true},
        {"::", "0.0.0.0", false},
        {"::ffff:a00:1", "10.0.0.1", false},
        {"FFEE::", "ffee::", true},
    };
    for (size_t i = 0; i < sizeof eqs / sizeof eqs[0]; i++) {
        cd_value a = make(CD_FN_IP, eqs[i].a), b = make(CD_FN_IP, eqs[i].b);
        T_CHECK(cd_value_eq(&a, &b) == eqs[i].eq);
        T_CHECK((cd_value_cmp(&a, &b) == 0) == eqs[i].eq);
        if (eqs[i].eq) T_CHECK(cd_value_hash(&a) == cd_value_hash(&b));
    }
    cd_value a = make(CD_FN_IP, "127.0.0.1"), s = str("127.0.0.1"), one = cd_long(1);
    T_CHECK(!cd_value_eq(&a, &s) && !cd_value_eq(&a, &one));
}

/* ---- datetime ------------------------------------------------------------ */

static void test_datetime_parse(void)
{
    static const struct {
        const char *s;
        int64_t ms;
    } ok[] = {
        {"1970-01-01", 0},
        {"2024-10-28", 1730073600000},
        {"2024-10-28T01:22:33.456Z", 1730078553456},
        {"2024-10-28T10:12:13.456-0700", 1730135533456},
        {"2024-10-28T10:12:13.456+0700", 1730085133456},
        {"2024-10-15T11:38:02Z", 1728992282000},
        {"2024-10-15T11:38:02.101Z", 1728992282101},
        {"2024-10-15T11:38:02.101+1134", 1728950642101}, /* 2024-10-15T00:04:02.101 */
        {"2024-10-15T11:38:02.101-1134", 1729033922101}, /* 2024-10-15T23:12:02.101 */
        {"2024-10-15T11:38:02+1134", 1728950642000},
        {"2024-10-15T11:38:02-1134", 1729033922000},
        {"2024-10-15T23:59:00+2359", 1728950400000}, /* 2024-10-15T00:00:00 */
        {"2024-10-15T00:00:00-2359", 1729036740000}, /* 2024-10-15T23:59:00 */
        {"1969-12-31T23:59:59.999Z", -1},
        {"1970-01-01T00:00:00.001Z", 1},
        {"1970-01-01T00:00:00+0000", 0},
        {"1970-01-01T00:00:00-0000", 0},
        {"1900-01-01", -2208988800000},
        {"0000-01-01", -62167219200000},
        {"0000-02-29", -62162121600000}, /* year 0 is a leap year */
        {"2024-02-29", 1709164800000},
        {"2000-02-29", 951782400000},
        {"9999-12-31T23:59:59.999Z", 253402300799999},
        {"9999-12-31T23:59:59.999-2359", 253402387139999},
        {"0000-01-01T00:00:00+2359", -62167305540000},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t ms = 0;
        const char *msg = NULL;
        bool r = cd_datetime_parse(cd_str_from_c(ok[i].s), &ms, &msg);
        if (!r || ms != ok[i].ms) {
            fprintf(stderr, "datetime(\"%s\"): got %d %" PRId64 " (%s), want %" PRId64 "\n",
                    ok[i].s, r, ms, msg ? msg : "", ok[i].ms);
            t_failed_checks++;
        }
    }
    static const char *const bad[] = {
        "",
        "a",
        "-",
        "-1",
        "11-12-13",
        "1111-1x-20",
        "2024-10-15Z",
        "2024-10-15T11:38:02ZZ",
        "0000-0a-01",
        "10000-01-01",
        "10000-01-01T00:00:00Z",
        "22024-30-28T10:12:13.456-0700",
        "+2024-01-01",
        "2024-1-01",
        "2024-01-1",
        "2024/01/01",
        " 2024-01-01",
        "2024-01-01 ",
        /* no such day */
        "2024-00-01",
        "2024-01-00",
        "2024-02-30",
        "2025-02-29",
        "2024-20-01",
        "2024-01-32",
        "2024-01-99",
        "2024-04-31",
        "1900-02-29",
        "2100-02-29",
        "2023-06-31",
        "2023-13-01",
        /* time pattern */
        "2024-01-01T",
        "2024-01-01Ta",
        "2024-01-01T01:",
        "2024-01-01T01:02",
        "2024-01-01T01:02:0b",
        "2024-01-01T01::02:03",
        "2024-01-01T01::02::03",
        "2024-01-01t00:00:00Z",
        "2024-01-01 00:00:00Z",
        "2024-01-01T0:00:00Z",
        "2024-01-01T00:00:0Z",
        /* time values: no hour 24, minute 60, second 60 (no leap seconds) */
        "2024-01-01T31:02:03Z",
        "2024-01-01T01:60:03Z",
        "2016-12-31T23:59:60Z",
        "2016-12-31T23:59:61Z",
        "2024-01-01T24:00:00Z",
        /* milliseconds and offset */
        "2024-01-01T00:00:00",
        "2024-01-01T00:00:00T",
        "2024-01-01T00:00:00ZZ",
        "2024-01-01T00:00:00x001Z",
        "2024-01-01T00:00:00.001ZZ",
        "2024-01-01T00:00:00\342\236\2250000",
        "2024-01-01T00:00:00\342\236\2260000",
        "2024-01-01T00:00:00.0001Z",
        "2024-01-01T00:00:00.001\342\236\2260000",
        "2024-01-01T00:00:00.001+00000",
        "2024-01-01T00:00:00.001-00000",
        "2024-01-01T00:00:00.01Z",
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.001",
        "2024-01-01T00:00:00z",
        "2024-01-01T00:00:00+00:00",
        "2024-01-01T00:00:00+000",
        "2024-01-01T00:00:00+00",
        "2024-01-01T00:00:00Z ",
        "2024-01-01T00:00:00.123+0100Z",
        /* offset values */
        "2016-12-31T00:00:00+1160",
        "2016-12-31T00:00:00+1199",
        "2016-12-31T00:00:00+2400",
        "2016-12-31T00:00:00-2400",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms;
        const char *msg = NULL;
        if (cd_datetime_parse(cd_str_from_c(bad[i]), &ms, &msg) || !msg) {
            fprintf(stderr, "datetime(\"%s\") accepted or no message\n", bad[i]);
            t_failed_checks++;
        }
        T_CHECK(!accepts(CD_FN_DATETIME, bad[i]));
    }
    int64_t ms;
    T_CHECK(!cd_datetime_parse((cd_str){"2024-01-01\0", 11}, &ms, NULL));
}

static cd_value dt_ms(int64_t ms)
{
    cd_ext e = {.kind = CD_EXT_DATETIME};
    e.u.datetime_ms = ms;
    return cd_extv(e);
}

static cd_value dur_ms(int64_t ms)
{
    cd_ext e = {.kind = CD_EXT_DURATION};
    e.u.duration_ms = ms;
    return cd_extv(e);
}

static void test_datetime_print(void)
{
    static const struct {
        int64_t ms;
        const char *arg;
    } cases[] = {
        {0, "1970-01-01"},
        {1730073600000, "2024-10-28"},
        {1730078553456, "2024-10-28T01:22:33.456Z"},
        {1728992282000, "2024-10-15T11:38:02Z"},
        {-1, "1969-12-31T23:59:59.999Z"},
        {-62167219200000, "0000-01-01"},
        {253402300799999, "9999-12-31T23:59:59.999Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cd_value v = dt_ms(cases[i].ms);
        const char *arg = print_arg(&v);
        T_CHECK_STR(arg, cases[i].arg);
        cd_value back = make(CD_FN_DATETIME, arg);
        T_CHECK(cd_value_eq(&v, &back));
    }
    cd_value v = dt_ms(1730078553456);
    T_CHECK_STR(printed(&v), "datetime(\"2024-10-28T01:22:33.456Z\")");
    /* instants no datetime string reaches */
    cd_buf b;
    cd_buf_init(&b);
    T_CHECK(!cd_datetime_format(&b, -62167219200001));
    T_CHECK(!cd_datetime_format(&b, 253402300800000));
    T_CHECK(!cd_datetime_format(&b, INT64_MIN));
    T_CHECK(!cd_datetime_format(&b, INT64_MAX));
    T_CHECK(b.len == 0);
    cd_buf_free(&b);
    v = dt_ms(INT64_MAX);
    T_CHECK_STR(printed(&v),
                "datetime(\"1970-01-01\").offset(duration(\"9223372036854775807ms\"))");
    v = dt_ms(-62167219200001);
    T_CHECK_STR(print_arg(&v), "-1-12-31T23:59:59.999Z");
    v = dt_ms(INT64_MIN);
    T_CHECK(strlen(print_arg(&v)) > 0);
}

static void test_datetime_methods(void)
{
    cd_value out;
    const char *msg;
    /* offset */
    cd_value a = make(CD_FN_DATETIME, "2024-10-28T10:12:13.456-0700");
    cd_value m7h = make(CD_FN_DURATION, "-7h"), p7h = make(CD_FN_DURATION, "7h");
    T_CHECK(call(CD_FN_OFFSET, &a, &m7h, &out, &msg) == CD_EXT_OK);
    cd_value z = make(CD_FN_DATETIME, "2024-10-28T10:12:13.456Z");
    T_CHECK(cd_value_eq(&out, &z));
    cd_value b = make(CD_FN_DATETIME, "2024-10-28T10:12:13.456+0700");
    T_CHECK(call(CD_FN_OFFSET, &b, &p7h, &out, &msg) == CD_EXT_OK && cd_value_eq(&out, &z));
    cd_value epoch = dt_ms(0), d1 = make(CD_FN_DURATION, "1d"), dm1 = make(CD_FN_DURATION, "-1d");
    T_CHECK(call(CD_FN_OFFSET, &epoch, &d1, &out, &msg) == CD_EXT_OK);
    cd_value jan2 = make(CD_FN_DATETIME, "1970-01-02");
    T_CHECK(cd_value_eq(&out, &jan2));
    T_CHECK(call(CD_FN_OFFSET, &epoch, &dm1, &out, &msg) == CD_EXT_OK);
    cd_value dec31 = make(CD_FN_DATETIME, "1969-12-31");
    T_CHECK(cd_value_eq(&out, &dec31));
    /* offset overflow at both ends */
    cd_value max = dt_ms(INT64_MAX), min = dt_ms(INT64_MIN), p1 = dur_ms(1), m1 = dur_ms(-1);
    T_CHECK(call(CD_FN_OFFSET, &max, &p1, &out, &msg) == CD_EXT_ERROR);
    T_CHECK_STR(msg, "overflows when adding an offset: datetime(\"1970-01-01\").offset(duration("
                     "\"9223372036854775807ms\"))+(duration(\"1ms\"))");
    T_CHECK(call(CD_FN_OFFSET, &max, &m1, &out, &msg) == CD_EXT_OK &&
            out.u.ext.u.datetime_ms == INT64_MAX - 1);
    T_CHECK(call(CD_FN_OFFSET, &min, &m1, &out, &msg) == CD_EXT_ERROR);
    T_CHECK(call(CD_FN_OFFSET, &min, &p1, &out, &msg) == CD_EXT_OK &&
            out.u.ext.u.datetime_ms == INT64_MIN + 1);
    cd_value dmax = make(CD_FN_DURATION, "106751991167d7h12m55s807ms");
    T_CHECK(call(CD_FN_OFFSET, &epoch, &dmax, &out, &msg) == CD_EXT_OK && cd_value_eq(&out, &max));

    /* durationSince */
    cd_value today = make(CD_FN_DATETIME, "2024-10-24"),
             yesterday = make(CD_FN_DATETIME, "2024-10-23");
    T_CHECK(call(CD_FN_DURATION_SINCE, &today, &epoch, &out, &msg) == CD_EXT_OK);
    cd_value d20020 = make(CD_FN_DURATION, "20020d");
    T_CHECK(cd_value_eq(&out, &d20020));
    T_CHECK(call(CD_FN_DURATION_SINCE, &yesterday, &today, &out, &msg) == CD_EXT_OK &&
            cd_value_eq(&out, &dm1));
    T_CHECK(call(CD_FN_DURATION_SINCE, &today, &yesterday, &out, &msg) == CD_EXT_OK &&
            cd_value_eq(&out, &d1));
    T_CHECK(call(CD_FN_DURATION_SINCE, &today, &min, &out, &msg) == CD_EXT_ERROR);
    T_CHECK(strstr(msg, "overflows when computing the duration between datetime(\"2024-10-24\") "
                        "and ") == msg);
    T_CHECK(call(CD_FN_DURATION_SINCE, &a, &z, &out, &msg) == CD_EXT_OK && cd_value_eq(&out, &p7h));
    T_CHECK(call(CD_FN_DURATION_SINCE, &b, &z, &out, &msg) == CD_EXT_OK && cd_value_eq(&out, &m7h));

    /* toDate and toTime, including instants before the epoch */
    cd_value day_max = make(CD_FN_DURATION, "23h59m59s999ms"),
             day_min = make(CD_FN_DURATION, "-23h59m59s999ms");
    cd_value days[4] = {today, yesterday, epoch, make(CD_FN_DATETIME, "1900-01-01")};
    for (int i = 0; i < 4; i++) {
        cd_value late, early, r;
        T_CHECK(call(CD_FN_TO_DATE, &days[i], NULL, &r, &msg) == CD_EXT_OK &&
                cd_value_eq(&r, &days[i]));
        T_CHECK(call(CD_FN_OFFSET, &days[i], &day_max, &late, &msg) == CD_EXT_OK);
        T_CHECK(call(CD_FN_TO_DATE, &late, NULL, &r, &msg) == CD_EXT_OK &&
                cd_value_eq(&r, &days[i]));
        T_CHECK(call(CD_FN_TO_TIME, &late, NULL, &r, &msg) == CD_EXT_OK &&
                cd_value_eq(&r, &day_max));
        T_CHECK(call(CD_FN_OFFSET, &days[i], &day_min, &early, &msg) == CD_EXT_OK);
        cd_value prev;
        T_CHECK(call(CD_FN_OFFSET, &days[i], &dm1, &prev, &msg) == CD_EXT_OK);
        T_CHECK(call(CD_FN_TO_DATE, &early, NULL, &r, &msg) == CD_EXT_OK && cd_value_eq(&r, &prev));
        T_CHECK(call(CD_FN_TO_TIME, &early, NULL, &r, &msg) == CD_EXT_OK &&
                r.u.ext.u.duration_ms == 1);
    }
    T_CHECK(call(CD_FN_TO_DATE, &a, NULL, &out, &msg) == CD_EXT_OK);
    cd_value oct28 = make(CD_FN_DATETIME, "2024-10-28");
    T_CHECK(cd_value_eq(&out, &oct28));
    T_CHECK(call(CD_FN_TO_DATE, &b, NULL, &out, &msg) == CD_EXT_OK && cd_value_eq(&out, &oct28));
    T_CHECK(call(CD_FN_TO_TIME, &b, NULL, &out, &msg) == CD_EXT_OK);
    cd_value t1 = make(CD_FN_DURATION, "3h12m13s456ms");
    T_CHECK(cd_value_eq(&out, &t1));
    T_CHECK(call(CD_FN_TO_TIME, &a, NULL, &out, &msg) == CD_EXT_OK);
    cd_value t2 = make(CD_FN_DURATION, "17h12m13s456ms");
    T_CHECK(cd_value_eq(&out, &t2));
    cd_value neg = dt_ms(-1);
    T_CHECK(call(CD_FN_TO_DATE, &neg, NULL, &out, &msg) == CD_EXT_OK &&
            out.u.ext.u.datetime_ms == -86400000);
    T_CHECK(call(CD_FN_TO_TIME, &neg, NULL, &out, &msg) == CD_EXT_OK &&
            out.u.ext.u.duration_ms == 86399999);
    neg = dt_ms(-86400000);
    T_CHECK(call(CD_FN_TO_DATE, &neg, NULL, &out, &msg) == CD_EXT_OK &&
            out.u.ext.u.datetime_ms == -86400000);
    T_CHECK(call(CD_FN_TO_TIME, &neg, NULL, &out, &msg) == CD_EXT_OK &&
            out.u.ext.u.duration_ms == 0);
    /* toDate overflows only below the first whole day above INT64_MIN */
    T_CHECK(call(CD_FN_TO_DATE, &min, NULL, &out, &msg) == CD_EXT_ERROR);
    T_CHECK(strstr(msg, "overflows when computing the date of ") == msg);
    cd_value first_day = dt_ms(-9223372036828800000), before = dt_ms(-9223372036828800001);
    T_CHECK(call(CD_FN_TO_DATE, &first_day, NULL, &out, &msg) == CD_EXT_OK &&
            cd_value_eq(&out, &first_day));
    T_CHECK(call(CD_FN_TO_DATE, &before, NULL, &out, &msg) == CD_EXT_ERROR);
    T_CHECK(call(CD_FN_TO_TIME, &min, NULL, &out, &msg) == CD_EXT_OK &&
            out.u.ext.u.duration_ms == 60424192);
    T_CHECK(call(CD_FN_TO_DATE, &max, NULL, &out, &msg) == CD_EXT_OK &&
            out.u.ext.u.datetime_ms == INT64_MAX - INT64_MAX % 86400000);

    cd_value same = make(CD_FN_DATETIME, "2024-10-28T17:12:13.456Z");
    T_CHECK(cd_value_eq(&a, &same));
    T_CHECK(!cd_value_eq(&a, &z));
    /* a datetime and a duration with the same count are different values */
    cd_value dd = dt_ms(5), du = dur_ms(5);
    T_CHECK(!cd_value_eq(&dd, &du));
}

/* ---- duration ------------------------------------------------------------ */

static void test_duration_parse(void)
{
    static const struct {
        const char *s;
        int64_t ms;
    } ok[] = {
        {"1h", 3600000},
        {"-10h", -36000000},
        {"5d3ms", 432000003},
        {"-3h5m", -11100000},
        {"1d2h3m4s50ms", 93784050},
        {"-1d2h3m4s50ms", -93784050},
        {"0ms", 0},
        {"-0ms", 0},
        {"0d", 0},
        {"1m", 60000},
        {"1s", 1000},
        {"1ms", 1},
        {"1m1ms", 60001},
        {"1h1s", 3601000},
        {"1d1ms", 86400001},
        {"0001d", 86400000},
        {"90m", 5400000},
        {"-3d", -259200000},
        {"72h", 259200000},
        {"10d23h59m58s999ms", 950398999},
        {"9223372036854775807ms", INT64_MAX},
        {"-9223372036854775808ms", INT64_MIN},
        {"106751991167d7h12m55s807ms", INT64_MAX},
        {"-106751991167d7h12m55s808ms", INT64_MIN},
        {"106751991167d", 9223372036828800000},
        {"00000000000000000000000001s", 1000},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t ms = 0;
        const char *msg = NULL;
        bool r = cd_duration_parse(cd_str_from_c(ok[i].s), &ms, &msg);
        if (!r || ms != ok[i].ms) {
            fprintf(stderr, "duration(\"%s\"): got %d %" PRId64 " (%s), want %" PRId64 "\n",
                    ok[i].s, r, ms, msg ? msg : "", ok[i].ms);
            t_failed_checks++;
        }
    }
    static const char *const bad[] = {
        "",
        "a",
        "-",
        "-1",
        "\342\236\2261ms",
        "11dd",
        "00000mm",
        "-d",
        "-h",
        "-1hh",
        "-h2d",
        "-ms",
        "1",
        "1x",
        "d",
        "1D",
        "1H",
        "1 d",
        " 1d",
        "1d ",
        "+1d",
        "--1d",
        "1.5h",
        "1d-1h",
        "1dms",
        "1msms",
        "1s1s",
        "1d1d",
        /* incorrect ordering */
        "1ms1s",
        "1ms1m",
        "1ms1h",
        "0ms1d",
        "1s1m",
        "1s1h",
        "0s0d",
        "0m0h",
        "0m0d",
        "1h1d",
        "1ms1m1d",
        /* overflow */
        "106751991167d7h12m55s808ms",
        "-106751991167d7h12m55s809ms",
        "9223372036854775808ms",
        "-9223372036854775809ms",
        "106751991168d",
        "-106751991168d",
        "18446744073709551616ms",
        "99999999999999999999999d",
        "9223372036854776s",
        "2562047788016h",
        "-9223372036854775808ms1ms",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms;
        const char *msg = NULL;
        if (cd_duration_parse(cd_str_from_c(bad[i]), &ms, &msg) || !msg) {
            fprintf(stderr, "duration(\"%s\") accepted or no message\n", bad[i]);
            t_failed_checks++;
        }
        T_CHECK(!accepts(CD_FN_DURATION, bad[i]));
    }
    int64_t ms;
    T_CHECK(!cd_duration_parse((cd_str){"1d\0", 3}, &ms, NULL));
}

static int64_t dur_call(cd_extfn fn, cd_value d)
{
    cd_value out = cd_bool(false);
    if (call(fn, &d, NULL, &out, NULL) != CD_EXT_OK || out.kind != CD_V_LONG) {
        t_failed_checks++;
        return 0;
    }
    return out.u.l;
}

static void test_duration_methods(void)
{
    cd_value p = make(CD_FN_DURATION, "1d2h3m4s50ms"), n = make(CD_FN_DURATION, "-1d2h3m4s50ms");
    T_CHECK(dur_call(CD_FN_TO_MILLISECONDS, p) == 93784050);
    T_CHECK(dur_call(CD_FN_TO_MILLISECONDS, n) == -93784050);
    T_CHECK(dur_call(CD_FN_TO_SECONDS, p) == 93784);
    T_CHECK(dur_call(CD_FN_TO_SECONDS, n) == -93784);
    T_CHECK(dur_call(CD_FN_TO_MINUTES, p) == 1563);
    T_CHECK(dur_call(CD_FN_TO_MINUTES, n) == -1563);
    T_CHECK(dur_call(CD_FN_TO_HOURS, p) == 26);
    T_CHECK(dur_call(CD_FN_TO_HOURS, n) == -26);
    T_CHECK(dur_call(CD_FN_TO_DAYS, p) == 1);
    T_CHECK(dur_call(CD_FN_TO_DAYS, n) == -1);
    cd_value q = make(CD_FN_DURATION, "10d23h59m58s999ms"),
             r = make(CD_FN_DURATION, "-10d23h59m58s999ms");
    T_CHECK(dur_call(CD_FN_TO_DAYS, q) == 10 && dur_call(CD_FN_TO_DAYS, r) == -10);
    T_CHECK(dur_call(CD_FN_TO_HOURS, q) == 263 && dur_call(CD_FN_TO_HOURS, r) == -263);
    T_CHECK(dur_call(CD_FN_TO_MINUTES, q) == 15839 && dur_call(CD_FN_TO_MINUTES, r) == -15839);
    T_CHECK(dur_call(CD_FN_TO_SECONDS, q) == 950398 && dur_call(CD_FN_TO_SECONDS, r) == -950398);
    /* truncation toward zero */
    T_CHECK(dur_call(CD_FN_TO_SECONDS, dur_ms(-999)) == 0);
    T_CHECK(dur_call(CD_FN_TO_DAYS, dur_ms(-86399999)) == 0);
    T_CHECK(dur_call(CD_FN_TO_DAYS, dur_ms(INT64_MIN)) == -106751991167);
    T_CHECK(dur_call(CD_FN_TO_DAYS, dur_ms(INT64_MAX)) == 106751991167);
    T_CHECK(dur_call(CD_FN_TO_MILLISECONDS, dur_ms(INT64_MIN)) == INT64_MIN);

    /* equality and printing (ordering: test_policy_eval) */
    cd_value m3d = make(CD_FN_DURATION, "-3d"), m72h = make(CD_FN_DURATION, "-72h");
    T_CHECK(cd_value_eq(&m3d, &m72h));
    T_CHECK_STR(print_arg(&p), "93784050ms");
    T_CHECK_STR(printed(&n), "duration(\"-93784050ms\")");
    cd_value mn = dur_ms(INT64_MIN);
    const char *arg = print_arg(&mn);
    T_CHECK_STR(arg, "-9223372036854775808ms");
    cd_value back = make(CD_FN_DURATION, arg);
    T_CHECK(cd_value_eq(&back, &mn));
}

int main(void)
{
    A = cd_arena_new();
    T_RUN(test_fn_table);
    T_RUN(test_call_errors);
    T_RUN(test_decimal_parse);
    T_RUN(test_decimal_print);
    T_RUN(test_decimal_methods);
    T_RUN(test_ip_parse);
    T_RUN(test_ip_print);
    T_RUN(test_ip_methods);
    T_RUN(test_datetime_parse);
    T_RUN(test_datetime_print);
    T_RUN(test_datetime_methods);
    T_RUN(test_duration_parse);
    T_RUN(test_duration_methods);
    cd_arena_free(A);
    T_DONE();
}
