/* gen_lit.c: literals near the edges: longs, strings, ids, attribute names,
 * constructor arguments (valid and invalid) and `like` patterns. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gen_int.h"

typedef struct lit {
    const char *p;
    size_t n;
} lit;

#define L(s)                                                                                       \
    {                                                                                              \
        s, sizeof(s) - 1                                                                           \
    }

m_str gen_dup(m_arena *a, const char *p, size_t n)
{
    char *s = m_alloc(a, n + 1);
    if (n) memcpy(s, p, n);
    return (m_str){s, n};
}

m_str gen_strf(m_arena *a, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
    return gen_dup(a, tmp, (size_t)n);
}

m_str gen_str_num(m_arena *a, const char *prefix, size_t n)
{
    char d[64];
    size_t i = sizeof d, k = strlen(prefix);
    do {
        d[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    if (k > i) k = i; /* prefixes are short words */
    i -= k;
    memcpy(d + i, prefix, k);
    return gen_dup(a, d + i, sizeof d - i);
}

m_str gen_buf_to_str(m_arena *a, gen_buf *b)
{
    m_str s = gen_dup(a, b->data ? b->data : "", b->len);
    gen_buf_free(b);
    return s;
}

static m_str from_pool(const lit *pool, size_t n, size_t i)
{
    return (m_str){pool[i % n].p, pool[i % n].n};
}

/* ---- longs ------------------------------------------------------------- */

int64_t gen_long(gen_src *s)
{
    static const int64_t edges[] = {0,
                                    1,
                                    -1,
                                    2,
                                    7,
                                    42,
                                    100,
                                    -100,
                                    255,
                                    256,
                                    65536,
                                    2147483647,
                                    -2147483648LL,
                                    4294967296LL,
                                    3037000499LL, /* the largest x with x * x in range */
                                    -3037000500LL,
                                    4611686018427387904LL, /* 2^62 */
                                    9007199254740993LL,    /* 2^53 + 1 */
                                    INT64_MAX,
                                    INT64_MAX - 1,
                                    INT64_MIN,
                                    INT64_MIN + 1};
    switch (gen_pick(s, 4)) {
    case 0: return gen_irange(s, -3, 10);
    case 1: return edges[gen_pick(s, GEN_N(edges))];
    case 2: return gen_irange(s, -100000, 100000);
    default: return (int64_t)gen_range(s, 0, UINT64_MAX);
    }
}

/* ---- strings ----------------------------------------------------------- */

static const lit strings[] = {
    L(""),
    L("a"),
    L("alice"),
    L("Alice"),
    L("a b"),
    L(" "),
    L("*"),
    L("\\*"),
    L("\\"),
    L("\""),
    L("'"),
    L("\n"),
    L("\t"),
    L("\r\n"),
    {"\0", 1},
    {"a\0b", 3},
    L("é"),
    L("日本語"),
    L("😀"),
    L("e\xcc\x81"),
    L("\xe2\x80\x8b"),
    L("\xef\xbf\xbf"),
    L("\xf4\x8f\xbf\xbf"),
    L("ab*cd"),
    L("abc"),
    L("aaa"),
    L("ABC"),
    L("123"),
    L("-1"),
    L("1.5"),
    L("true"),
    L("principal"),
    L("User::\"alice\""),
    L("\x7f"),
    L("a\\nb"),
    L("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
};

/* Characters for strings built piece by piece: ASCII letters, the pattern and
 * escape characters, controls, and multi-byte UTF-8. */
static const lit chars[] = {L("a"), L("b"), L("c"),    L("*"),  L("\\"), L("\""), L(" "),
                            L("é"), L("😀"), {"\0", 1}, L("\n"), L("."),  L("A"),  L("中")};

static m_str built_string(gen_ctx *g)
{
    gen_buf b;
    gen_buf_init(&b);
    size_t n = gen_range(g->src, 1, 8);
    for (size_t i = 0; i < n; i++) {
        lit c = chars[gen_pick(g->src, GEN_N(chars))];
        gen_buf_put(&b, c.p, c.n);
    }
    return gen_buf_to_str(g->a, &b);
}

const gen_tkind gen_ext_kinds[4] = {GEN_T_DECIMAL, GEN_T_IPADDR, GEN_T_DATETIME, GEN_T_DURATION};

m_str gen_string(gen_ctx *g)
{
    switch (gen_pick(g->src, 6)) {
    case 0:
    case 1:
    case 2: return from_pool(strings, GEN_N(strings), gen_pick(g->src, GEN_N(strings)));
    case 3: return built_string(g);
    case 4: return gen_id(g->src);
    default: return gen_ext_string(g, GEN_PICK_OF(g->src, gen_ext_kinds), true);
    }
}

/* ---- ids and names ----------------------------------------------------- */

static const lit ids[] = {
    L("alice"),
    L("bob"),
    L(""),
    L("0"),
    L("a b"),
    L("é"),
    L("x\"y"),
    L("b\\s"),
    L("tab\t"),
    L("😀"),
    L("view"),
    L("a::b"),
    L("g1"),
    L("g2"),
    L("carol"),
    L("*"),
    L("User::\"alice\""),
    L("'q'"),
    L("\xe2\x80\x8b"),
    {"n\0l", 3},
};

m_str gen_id(gen_src *s)
{
    /* the first few, shared by every type, are the most likely: `==` and `in` hit */
    size_t i = gen_chance(s, 70) ? gen_pick(s, 4) : gen_pick(s, GEN_N(ids));
    return from_pool(ids, GEN_N(ids), i);
}

m_str gen_enum_id(gen_src *s)
{
    static const lit pool[] = {L("red"), L("green"), L("blue"), L("alice"),
                               L("a b"), L("é"),     L("\""),   L("0")};
    return from_pool(pool, GEN_N(pool), gen_pick(s, GEN_N(pool)));
}

static const lit attr_names[] = {
    L("name"),    L("age"),    L("owner"),     L("members"), L("level"), L("ip"),
    L("created"), L("ttl"),    L("score"),     L("flag"),    L("meta"),  L("manager"),
    L("a"),       L("b"),      L("x"),         L(""),        L("a b"),   L("é"),
    L("if"),      L("has"),    L("principal"), L("_"),       L("0"),     L("-"),
    L("Long"),    L("entity"), L("tags"),      L("\""),      L("a`b"),   L("tab\t"),
};

m_str gen_attr_name(gen_src *s)
{
    size_t i = gen_chance(s, 75) ? gen_pick(s, 14) : gen_pick(s, GEN_N(attr_names));
    return from_pool(attr_names, GEN_N(attr_names), i);
}

m_str gen_ident(gen_src *s)
{
    static const lit pool[] = {L("id"),     L("doc"),  L("owner"),     L("_x"), L("a1"),
                               L("permit"), L("when"), L("principal"), L("Z")};
    return from_pool(pool, GEN_N(pool), gen_pick(s, GEN_N(pool)));
}

bool gen_is_ident(m_str s)
{
    if (s.len == 0) return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        bool alpha = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

bool gen_is_reserved(m_str s)
{
    static const char *const words[] = {"true", "false", "if",  "then", "else",
                                        "in",   "is",    "has", "like", "__cedar"};
    if (s.len < 2 || s.len > 7) return false; /* most names: no comparison */
    for (size_t i = 0; i < GEN_N(words); i++)
        if (words[i][0] == s.ptr[0] && m_str_eq(s, m_str_c(words[i]))) return true;
    return false;
}

/* ---- constructor arguments --------------------------------------------- */

static const lit decimals_ok[] = {
    L("0.0"),
    L("1.0"),
    L("-1.0"),
    L("1.2345"),
    L("-0.0001"),
    L("12.5"),
    L("0.5"),
    L("-12.25"),
    L("3.14"),
    L("100.0"),
    L("922337203685477.5807"),
    L("-922337203685477.5808"),
    L("00.10"),
    L("-0.0"),
};
static const lit decimals_bad[] = {
    L("922337203685477.5808"),
    L("-922337203685477.5809"),
    L("1.23456"),
    L("1."),
    L(".5"),
    L("1"),
    L("+1.0"),
    L("1.0.0"),
    L(""),
    L("a.b"),
    L("1e3"),
    L(" 1.0"),
    L("-"),
    L("--1.0"),
    L("99999999999999999999.0"),
};
static const lit ips_ok[] = {
    L("127.0.0.1"),
    L("10.0.0.0/8"),
    L("192.168.1.1/24"),
    L("0.0.0.0/0"),
    L("224.0.0.1"),
    L("255.255.255.255"),
    L("::1"),
    L("::"),
    L("ff00::/8"),
    L("fe80::1/64"),
    L("2001:db8::/32"),
    L("1:2:3:4:5:6:7:8"),
    L("::ffff"),
    L("127.0.0.1/32"),
    L("::/0"),
    L("FFFF::1"),
    L("1::"),
    L("127.255.0.3/8"),
    L("0:0:0:0:0:0:0:1/128"),
    L("127.0.0.0/8"),
    L("127.0.0.0/7"),
    L("224.0.0.0/4"),
    L("224.0.0.0/3"),
    L("239.255.255.255/4"),
    L("ff00::/7"),
    L("ffff::/8"),
    L("::1/127"),
};
static const lit ips_bad[] = {
    L("256.0.0.1"),  L("1.2.3"),
    L("01.2.3.4"),   L("1.2.3.4/33"),
    L("::1/129"),    L("::ffff:1.2.3.4"),
    L("1.2.3.4/08"), L(""),
    L("::1::"),      L("12345::"),
    L("1.2.3.4/"),   L("localhost"),
    L(" 1.2.3.4"),   L("1:2:3:4:5:6:7:8:9"),
    L("1.2.3.4/-1"), L("[::1]"),
};
static const lit datetimes_ok[] = {
    L("1970-01-01"),
    L("2024-02-29"),
    L("0000-01-01"),
    L("9999-12-31"),
    L("2024-01-01T00:00:00Z"),
    L("2024-06-30T23:59:59.999Z"),
    L("1969-12-31T23:59:59.999Z"),
    L("2024-01-01T00:00:00+2359"),
    L("2024-01-01T00:00:00-2359"),
    L("2000-02-29T12:00:00-0000"),
    L("9999-12-31T23:59:59.999Z"),
    L("0000-01-01T00:00:00+0001"),
    L("9999-12-31T23:59:59-2359"),
    L("1900-02-28"),
    L("1900-03-01T00:00:00Z"),
    L("2100-02-28T23:59:59.999Z"),
    L("1600-02-29"),
    L("2000-02-29"),
    L("1969-12-31T12:00:00Z"),
    L("1900-01-01T00:00:00.001Z"),
    L("1969-12-31T23:59:59+0100"),
};
static const lit datetimes_bad[] = {
    L("2023-02-29"),
    L("2024-13-01"),
    L("2024-01-32"),
    L("2024-01-01T24:00:00Z"),
    L("2024-01-01T00:60:00Z"),
    L("2024-01-01T00:00:60Z"),
    L("2024-01-01T00:00:00"),
    L("2024-01-01T00:00:00+2400"),
    L("2024-01-01T00:00:00+0060"),
    L("24-01-01"),
    L(""),
    L("2024-1-1"),
    L("2024-01-01T00:00:00.12Z"),
    L("2024-01-01 00:00:00Z"),
    L("+2024-01-01"),
    L("2024-01-01T00:00Z"),
    L("1900-02-29"),
    L("2100-02-29"),
    L("1800-02-29T00:00:00Z"),
    L("2023-02-29"),
};
static const lit durations_ok[] = {
    L("0ms"),
    L("1ms"),
    L("-1ms"),
    L("1d2h3m4s5ms"),
    L("-1d"),
    L("1h"),
    L("90m"),
    L("2s"),
    L("9223372036854775807ms"),
    L("-9223372036854775808ms"),
    L("106751991167d"),
    L("1d1ms"),
    L("0d0h0m0s0ms"),
    L("-2h30m"),
};
static const lit durations_bad[] = {
    L(""),
    L("1"),
    L("1h1d"),
    L("1ms1ms"),
    L("9223372036854775808ms"),
    L("106751991168d"),
    L("1y"),
    L("-"),
    L("1.5h"),
    L("+1h"),
    L("1 h"),
    L("h"),
    L("1d-1h"),
    L("1M"),
};

m_str gen_ext_string(gen_ctx *g, gen_tkind k, bool valid)
{
    const lit *pool;
    size_t n;
    gen_src *s = g->src;
    gen_buf b;
    gen_style st;
    /* besides the pools, a random value formatted in a random surface form */
    if (valid && gen_chance(s, 40)) {
        gen_buf_init(&b);
        gen_style_init(&st, gen_range(s, 0, 0xffff) | 1); /* level 1..3: variety */
        if (st.level == 0) st.level = 1;
        switch (k) {
        case GEN_T_DECIMAL: gen_fmt_decimal(&b, gen_decimal_value(s), &st); break;
        case GEN_T_IPADDR: {
            m_ipaddr ip = gen_ip_value(s);
            gen_fmt_ip(&b, &ip, &st);
            break;
        }
        case GEN_T_DATETIME:
            if (!gen_fmt_datetime(&b, gen_datetime_value(s), &st)) gen_buf_puts(&b, "1970-01-01");
            break;
        default: gen_fmt_duration(&b, gen_duration_value(s), &st); break;
        }
        return gen_buf_to_str(g->a, &b);
    }
    switch (k) {
    case GEN_T_DECIMAL:
        pool = valid ? decimals_ok : decimals_bad;
        n = valid ? GEN_N(decimals_ok) : GEN_N(decimals_bad);
        break;
    case GEN_T_IPADDR:
        pool = valid ? ips_ok : ips_bad;
        n = valid ? GEN_N(ips_ok) : GEN_N(ips_bad);
        break;
    case GEN_T_DATETIME:
        pool = valid ? datetimes_ok : datetimes_bad;
        n = valid ? GEN_N(datetimes_ok) : GEN_N(datetimes_bad);
        break;
    default:
        pool = valid ? durations_ok : durations_bad;
        n = valid ? GEN_N(durations_ok) : GEN_N(durations_bad);
        break;
    }
    return from_pool(pool, n, gen_pick(s, n));
}

/* ---- like patterns ------------------------------------------------------ */

/* Texts for patterns built from the string they are matched against:
 * repeated letters (a prefix and a suffix that overlap), stars in the text,
 * multi-byte characters, the empty string. */
static const lit pattern_texts[] = {L(""),    L("a"),     L("aa"),  L("aba"), L("abab"),
                                    L("aaa"), L("abcab"), L("*"),   L("a*b"), L("xaby"),
                                    L("**"),  L("\\*"),   L("é*é"), L("ab")};

static void put_elems(int16_t *elems, size_t *k, const char *p, size_t n)
{
    for (size_t j = 0; j < n && *k < 60; j++)
        elems[(*k)++] = (unsigned char)p[j];
}

static size_t char_len(const char *p, size_t n)
{
    uint32_t cp;
    int len = gen_utf8_decode(p, n, &cp);
    return len > 0 ? (size_t)len : 1;
}

/* A pattern derived from a text t (which is returned as the string to match):
 * pieces of t kept literally or replaced by a star standing for them, stars
 * standing for nothing (adjacent stars, a star at either end), a prefix and a
 * suffix of t that overlap, a literal star where t has a star. Each shape
 * matches t or misses it by a little, and the model says which. */
static m_pattern value_pattern(gen_ctx *g, m_str *matching)
{
    gen_src *s = g->src;
    m_str t = gen_chance(s, 70) ? from_pool(pattern_texts, GEN_N(pattern_texts),
                                            gen_pick(s, GEN_N(pattern_texts)))
                                : gen_string(g);
    if (t.len > 24) t.len = 0; /* short texts only: the pattern holds 60 elements */
    int16_t *elems = m_alloc(g->a, 64 * sizeof *elems);
    size_t k = 0;
    switch (gen_pick(s, 4)) {
    case 0: { /* cut at character boundaries: each piece literal or a star */
        for (size_t i = 0; i <= t.len && k < 58;) {
            if (gen_chance(s, 25)) elems[k++] = M_STAR; /* a star for nothing */
            if (i == t.len) break;
            size_t n = char_len(t.ptr + i, t.len - i);
            while (i + n < t.len && gen_chance(s, 40))
                n += char_len(t.ptr + i + n, t.len - i - n);
            if (gen_chance(s, 35)) {
                elems[k++] = M_STAR;
            } else {
                /* a star in the text is matched by a literal star or by a wildcard */
                for (size_t j = 0; j < n && k < 60; j++)
                    elems[k++] = t.ptr[i + j] == '*' && gen_chance(s, 50)
                                     ? M_STAR
                                     : (unsigned char)t.ptr[i + j];
            }
            i += n;
        }
        break;
    }
    case 1: { /* prefix * suffix, which may overlap in t */
        size_t a = gen_range(s, 0, t.len), b = gen_range(s, 0, t.len);
        while (a < t.len && (t.ptr[a] & 0xC0) == 0x80)
            a++;
        while (b > 0 && b < t.len && (t.ptr[t.len - b] & 0xC0) == 0x80)
            b++;
        put_elems(elems, &k, t.ptr, a);
        elems[k++] = M_STAR;
        if (gen_chance(s, 20)) elems[k++] = M_STAR;
        put_elems(elems, &k, t.ptr + t.len - b, b);
        break;
    }
    case 2: { /* t with stars at the ends */
        unsigned ends = (unsigned)gen_range(s, 1, 3);
        if (ends & 1) elems[k++] = M_STAR;
        put_elems(elems, &k, t.ptr, t.len);
        if (ends & 2) elems[k++] = M_STAR;
        break;
    }
    default: { /* `*g*s` with the group g ending right where the suffix s starts */
        size_t cut = gen_range(s, 0, t.len);
        while (cut < t.len && (t.ptr[cut] & 0xC0) == 0x80)
            cut++;
        size_t from = gen_range(s, 0, cut);
        while (from > 0 && (t.ptr[from] & 0xC0) == 0x80)
            from--;
        elems[k++] = M_STAR;
        put_elems(elems, &k, t.ptr + from, cut - from);
        elems[k++] = M_STAR;
        put_elems(elems, &k, t.ptr + cut, t.len - cut);
        break;
    }
    }
    *matching = t;
    if (gen_chance(s, 15)) { /* a near miss: one more character at either end */
        gen_buf b;
        gen_buf_init(&b);
        bool front = gen_chance(s, 50);
        if (front) gen_buf_putc(&b, 'a');
        gen_buf_put(&b, t.ptr, t.len);
        if (!front) gen_buf_putc(&b, 'b');
        *matching = gen_buf_to_str(g->a, &b);
    }
    return (m_pattern){k, elems};
}

/* A pattern of literal runs and stars, and a string built alongside that it
 * matches unless a mismatch was deliberately put in. */
m_pattern gen_pattern(gen_ctx *g, m_str *matching)
{
    if (gen_chance(g->src, 50)) return value_pattern(g, matching);

    static const lit runs[] = {L("a"), L("b"), L("ab"),   L("*"),  L("\\"),  L("é"),
                               L("😀"), L(" "), {"\0", 1}, L("\""), L("abc"), L("x")};
    gen_src *s = g->src;
    size_t n = gen_range(s, 0, 6), k = 0;
    int16_t *elems = m_alloc(g->a, 64 * sizeof *elems);
    gen_buf text;
    gen_buf_init(&text);
    for (size_t i = 0; i < n; i++) {
        if (gen_chance(s, 35)) {
            elems[k++] = M_STAR;
            /* what the star stands for in the matching string */
            if (gen_chance(s, 50)) {
                lit r = runs[gen_pick(s, GEN_N(runs))];
                gen_buf_put(&text, r.p, r.n);
            }
            continue;
        }
        lit r = runs[gen_pick(s, GEN_N(runs))];
        for (size_t j = 0; j < r.n && k < 60; j++)
            elems[k++] = (unsigned char)r.p[j];
        /* a literal star must match only a star: often something else is there */
        if (gen_chance(s, 10) || (r.n == 1 && r.p[0] == '*' && gen_chance(s, 40))) {
            gen_buf_puts(&text, "z"); /* a mismatch */
        } else {
            gen_buf_put(&text, r.p, r.n);
        }
    }
    *matching = gen_buf_to_str(g->a, &text);
    return (m_pattern){k, elems};
}
