/* m_ext.c: the extension functions (ExtFun.lean and the Ext folder) with the
 * constructors' string formats as the Rust implementation accepts them
 * (cedar-policy-core/src/extensions), which is where Lean and Rust differ. */
#include <string.h>

#include "model.h"

static const int64_t MS_PER_DAY = 86400000;

/* Read the run of ASCII digits at s[*i..] as sign * number into *out, counting
 * them in *n; false when the number does not fit in 64 bits. */
static bool read_num(m_str s, size_t *i, int sign, int64_t *out, size_t *n)
{
    bool fits = true;
    for (*out = 0, *n = 0; *i < s.len && s.ptr[*i] >= '0' && s.ptr[*i] <= '9'; (*i)++, (*n)++)
        fits = fits && !__builtin_mul_overflow(*out, 10, out) &&
               !__builtin_add_overflow(*out, sign * (s.ptr[*i] - '0'), out);
    return fits;
}

/* Exactly `width` digits at s[*i..] (more may follow). */
static bool fixed(m_str s, size_t *i, size_t width, int64_t *out)
{
    for (*out = 0; width > 0; width--, (*i)++) {
        if (*i >= s.len || s.ptr[*i] < '0' || s.ptr[*i] > '9') return false;
        *out = *out * 10 + (s.ptr[*i] - '0');
    }
    return true;
}

/* The character c at s[*i..], consumed if present. */
static bool lit(m_str s, size_t *i, char c)
{
    return *i < s.len && s.ptr[*i] == c && ++*i;
}

/* decimal: -?[0-9]+.[0-9]{1,4}, stored as value * 10^4, which must fit in 64 bits. */
static m_result parse_decimal(m_str s)
{
    static const int64_t scale[] = {10000, 1000, 100, 10, 1};
    size_t i = 0, nl, nr;
    int64_t l, r, v;
    int sign = lit(s, &i, '-') ? -1 : 1;
    bool fits = read_num(s, &i, sign, &l, &nl) && nl > 0 && lit(s, &i, '.') &&
                read_num(s, &i, sign, &r, &nr) && nr > 0 && nr <= 4 && i == s.len;
    if (!fits || __builtin_mul_overflow(l, 10000, &v) ||
        __builtin_add_overflow(v, r * scale[nr], &v))
        return m_err(M_EXTENSION_ERROR);
    return m_ok((m_value){.kind = M_V_DECIMAL, .u.i = v});
}

/* An IPv4 address: four decimal octets without leading zeros. */
static bool parse_v4(m_str s, m_ipaddr *ip)
{
    size_t i = 0, n;
    int64_t x;
    for (int k = 0; k < 4; k++) {
        if (k > 0 && !lit(s, &i, '.')) return false;
        size_t start = i;
        if (!read_num(s, &i, 1, &x, &n) || n == 0 || n > 3 || x > 255 ||
            (n > 1 && s.ptr[start] == '0'))
            return false;
        ip->addr[k] = (uint8_t)x;
    }
    return i == s.len;
}

/* The value of a hex digit, or -1. */
static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Up to max groups of 1-4 hex digits at s[*i..], ':' before all but the first;
 * a separator not followed by a group is left unread. Returns the count. */
static size_t v6_groups(m_str s, size_t *i, uint16_t *g, size_t max)
{
    size_t n = 0;
    for (; n < max; n++) {
        size_t j = *i + (n > 0), k = j;
        if (n > 0 && !(*i < s.len && s.ptr[*i] == ':')) break;
        for (g[n] = 0; k < s.len && k - j < 5 && hex(s.ptr[k]) >= 0; k++)
            g[n] = (uint16_t)(g[n] * 16 + hex(s.ptr[k]));
        if (k == j || k - j > 4) break;
        *i = k;
    }
    return n;
}

/* An IPv6 address: eight groups, or fewer with one `::` standing for at least
 * one zero group. IPv4 embedded in IPv6 is rejected, as Cedar does. */
static bool parse_v6(m_str s, m_ipaddr *ip)
{
    uint16_t g[8] = {0}, tail[7];
    size_t i = 0, head = v6_groups(s, &i, g, 8);
    if (head < 8) {
        if (!lit(s, &i, ':') || !lit(s, &i, ':')) return false;
        size_t nt = v6_groups(s, &i, tail, 7 - head);
        memcpy(g + 8 - nt, tail, nt * sizeof *tail);
    }
    for (int k = 0; k < 8; k++) {
        ip->addr[2 * k] = (uint8_t)(g[k] >> 8);
        ip->addr[2 * k + 1] = (uint8_t)g[k];
    }
    ip->v6 = true;
    return i == s.len;
}

/* ip: an address, optionally `/prefix` (decimal, no leading zero, at most 32
 * or 128); without one the prefix is full. Strings over 43 bytes are rejected. */
static m_result parse_ip(m_str s)
{
    m_value v = {.kind = M_V_IPADDR};
    const char *slash = s.len ? memchr(s.ptr, '/', s.len) : NULL;
    m_str addr = {s.ptr, slash ? (size_t)(slash - s.ptr) : s.len};
    if (s.len > 43 || !(parse_v4(addr, &v.u.ip) || parse_v6(addr, &v.u.ip)))
        return m_err(M_EXTENSION_ERROR);
    int64_t max = v.u.ip.v6 ? 128 : 32, pre = max;
    if (slash) {
        m_str p = {slash + 1, s.len - addr.len - 1};
        size_t i = 0, n;
        if (!read_num(p, &i, 1, &pre, &n) || n == 0 || i != p.len || n > (v.u.ip.v6 ? 3u : 2u) ||
            (n > 1 && p.ptr[0] == '0') || pre > max)
            return m_err(M_EXTENSION_ERROR);
    }
    v.u.ip.prefix = (uint8_t)pre;
    return m_ok(v);
}

/* The lowest and highest address of ip's range (its prefix bits kept, the rest 0 or 1). */
static void range_bounds(const m_ipaddr *ip, uint8_t *lo, uint8_t *hi)
{
    for (int k = 0; k < 16; k++) {
        int bits = ip->prefix - 8 * k;
        uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
        lo[k] = ip->addr[k] & mask;
        hi[k] = ip->addr[k] | (uint8_t)~mask;
    }
}

/* isInRange: same address family, and a's range lies within b's. */
static bool in_range(const m_ipaddr *a, const m_ipaddr *b)
{
    uint8_t alo[16], ahi[16], blo[16], bhi[16];
    size_t n = a->v6 ? 16 : 4;
    range_bounds(a, alo, ahi);
    range_bounds(b, blo, bhi);
    return a->v6 == b->v6 && memcmp(blo, alo, n) <= 0 && memcmp(ahi, bhi, n) <= 0;
}

static bool leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int64_t days_in_month(int64_t y, int64_t m)
{
    static const int64_t days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian calendar). */
static int64_t days_since_epoch(int64_t y, int64_t m, int64_t d)
{
    int64_t days = d - 1;
    for (int64_t k = 1; k < m; k++)
        days += days_in_month(y, k);
    for (int64_t k = 1970; k < y; k++)
        days += leap(k) ? 366 : 365;
    for (int64_t k = y; k < 1970; k++)
        days -= leap(k) ? 366 : 365;
    return days;
}

/* datetime: YYYY-MM-DD, or that followed by THH:MM:SS, an optional .SSS, and Z
 * or an offset (+|-)hhmm; a real date and time, offset under 24h and minutes
 * under 60; the result is milliseconds since the epoch, in UTC. */
static m_result parse_datetime(m_str s)
{
    int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0, oh = 0, om = 0, sign = 0;
    size_t i = 0;
    bool ok = fixed(s, &i, 4, &y) && lit(s, &i, '-') && fixed(s, &i, 2, &mo) && lit(s, &i, '-') &&
              fixed(s, &i, 2, &d);
    if (ok && i < s.len) {
        ok = lit(s, &i, 'T') && fixed(s, &i, 2, &h) && lit(s, &i, ':') && fixed(s, &i, 2, &mi) &&
             lit(s, &i, ':') && fixed(s, &i, 2, &sec) && (!lit(s, &i, '.') || fixed(s, &i, 3, &ms));
        if (ok && !lit(s, &i, 'Z')) {
            sign = lit(s, &i, '+') ? 1 : lit(s, &i, '-') ? -1 : 0;
            ok = sign && fixed(s, &i, 2, &oh) && fixed(s, &i, 2, &om);
        }
        ok = ok && i == s.len;
    }
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 59 || oh > 23 || om > 59)
        return m_err(M_EXTENSION_ERROR);
    int64_t secs = ((days_since_epoch(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
    secs -= sign * (oh * 60 + om) * 60;
    return m_ok((m_value){.kind = M_V_DATETIME, .u.i = secs * 1000 + ms});
}

/* The duration unit at s[i..]: 0-4 for d, h, m, s, ms ("ms" is not "m"); 5 for none. */
static size_t unit_at(m_str s, size_t i)
{
    static const char units[] = "dhms";
    const char *p = i < s.len ? memchr(units, s.ptr[i], 4) : NULL;
    if (i + 1 < s.len && s.ptr[i] == 'm' && s.ptr[i + 1] == 's') return 4;
    return p ? (size_t)(p - units) : 5;
}

/* duration: an optional `-`, then at least one quantity-unit pair, units in
 * the order d, h, m, s, ms, each at most once; the total must fit in 64 bits. */
static m_result parse_duration(m_str s)
{
    static const int64_t ms_per[] = {MS_PER_DAY, 3600000, 60000, 1000, 1};
    size_t i = 0, next = 0, n, u = 5;
    int sign = lit(s, &i, '-') ? -1 : 1;
    int64_t q, total = 0;
    bool ok = i < s.len;
    while (ok && i < s.len) {
        ok = read_num(s, &i, sign, &q, &n) && n > 0 && (u = unit_at(s, i)) < 5 && u >= next &&
             !__builtin_mul_overflow(q, ms_per[u], &q) && !__builtin_add_overflow(total, q, &total);
        i += u == 4 ? 2 : 1;
        next = u + 1;
    }
    return ok ? m_ok((m_value){.kind = M_V_DURATION, .u.i = total}) : m_err(M_EXTENSION_ERROR);
}

/* The argument kinds each function takes (receiver first for methods). */
static const struct {
    size_t arity;
    m_vkind arg[2];
} signature[] = {
    [M_FN_DECIMAL] = {1, {M_V_STRING}},
    [M_FN_LESS_THAN] = {2, {M_V_DECIMAL, M_V_DECIMAL}},
    [M_FN_LESS_THAN_OR_EQUAL] = {2, {M_V_DECIMAL, M_V_DECIMAL}},
    [M_FN_GREATER_THAN] = {2, {M_V_DECIMAL, M_V_DECIMAL}},
    [M_FN_GREATER_THAN_OR_EQUAL] = {2, {M_V_DECIMAL, M_V_DECIMAL}},
    [M_FN_IP] = {1, {M_V_STRING}},
    [M_FN_IS_IPV4] = {1, {M_V_IPADDR}},
    [M_FN_IS_IPV6] = {1, {M_V_IPADDR}},
    [M_FN_IS_LOOPBACK] = {1, {M_V_IPADDR}},
    [M_FN_IS_MULTICAST] = {1, {M_V_IPADDR}},
    [M_FN_IS_IN_RANGE] = {2, {M_V_IPADDR, M_V_IPADDR}},
    [M_FN_DATETIME] = {1, {M_V_STRING}},
    [M_FN_DURATION] = {1, {M_V_STRING}},
    [M_FN_OFFSET] = {2, {M_V_DATETIME, M_V_DURATION}},
    [M_FN_DURATION_SINCE] = {2, {M_V_DATETIME, M_V_DATETIME}},
    [M_FN_TO_DATE] = {1, {M_V_DATETIME}},
    [M_FN_TO_TIME] = {1, {M_V_DATETIME}},
    [M_FN_TO_MILLISECONDS] = {1, {M_V_DURATION}},
    [M_FN_TO_SECONDS] = {1, {M_V_DURATION}},
    [M_FN_TO_MINUTES] = {1, {M_V_DURATION}},
    [M_FN_TO_HOURS] = {1, {M_V_DURATION}},
    [M_FN_TO_DAYS] = {1, {M_V_DURATION}},
};

/* A datetime or duration from a checked operation, or an extension error. */
static m_result time_or_err(bool overflowed, m_vkind kind, const int64_t *ms)
{
    return overflowed ? m_err(M_EXTENSION_ERROR) : m_ok((m_value){.kind = kind, .u.i = *ms});
}

/* call: the function applied to arguments of its signature; any other
 * arguments are a type error. */
m_result m_call(m_extfn fn, size_t n, const m_value *v)
{
    if (n != signature[fn].arity) return m_err(M_TYPE_ERROR);
    for (size_t k = 0; k < n; k++)
        if (v[k].kind != signature[fn].arg[k]) return m_err(M_TYPE_ERROR);
    int64_t x = v[0].u.i, y = n > 1 ? v[1].u.i : 0, r;
    int64_t time_of_day = (x % MS_PER_DAY + MS_PER_DAY) % MS_PER_DAY; /* Euclidean remainder */
    const m_ipaddr *ip = &v[0].u.ip;
    switch (fn) {
    case M_FN_DECIMAL: return parse_decimal(v[0].u.s);
    case M_FN_LESS_THAN: return m_ok(m_bool(x < y));
    case M_FN_LESS_THAN_OR_EQUAL: return m_ok(m_bool(x <= y));
    case M_FN_GREATER_THAN: return m_ok(m_bool(x > y));
    case M_FN_GREATER_THAN_OR_EQUAL: return m_ok(m_bool(x >= y));
    case M_FN_IP: return parse_ip(v[0].u.s);
    case M_FN_IS_IPV4: return m_ok(m_bool(!ip->v6));
    case M_FN_IS_IPV6: return m_ok(m_bool(ip->v6));
    case M_FN_IS_LOOPBACK: /* 127.0.0.0/8 or ::1, and the range lies within it */
        return m_ok(m_bool(ip->v6 ? ip->prefix == 128 && ip->addr[15] == 1 &&
                                        !memcmp(ip->addr, (uint8_t[15]){0}, 15)
                                  : ip->prefix >= 8 && ip->addr[0] == 127));
    case M_FN_IS_MULTICAST: /* 224.0.0.0/4 or ff00::/8, and the range lies within it */
        return m_ok(m_bool(ip->v6 ? ip->prefix >= 8 && ip->addr[0] == 0xff
                                  : ip->prefix >= 4 && (ip->addr[0] & 0xf0) == 224));
    case M_FN_IS_IN_RANGE: return m_ok(m_bool(in_range(ip, &v[1].u.ip)));
    case M_FN_DATETIME: return parse_datetime(v[0].u.s);
    case M_FN_DURATION: return parse_duration(v[0].u.s);
    case M_FN_OFFSET: return time_or_err(__builtin_add_overflow(x, y, &r), M_V_DATETIME, &r);
    case M_FN_DURATION_SINCE:
        return time_or_err(__builtin_sub_overflow(x, y, &r), M_V_DURATION, &r);
    case M_FN_TO_DATE:
        return time_or_err(__builtin_sub_overflow(x, time_of_day, &r), M_V_DATETIME, &r);
    case M_FN_TO_TIME: return time_or_err(false, M_V_DURATION, &time_of_day);
    case M_FN_TO_MILLISECONDS: return m_ok(m_int(x));
    case M_FN_TO_SECONDS: return m_ok(m_int(x / 1000));
    case M_FN_TO_MINUTES: return m_ok(m_int(x / 60000));
    case M_FN_TO_HOURS: return m_ok(m_int(x / 3600000));
    case M_FN_TO_DAYS: return m_ok(m_int(x / MS_PER_DAY));
    }
    return m_err(M_TYPE_ERROR);
}
