/* m_ext.c: the extension functions (ExtFun.lean, the Ext folder), with the constructors'
 * string formats as Rust accepts them (cedar-policy-core/src/extensions). */
#include <ctype.h>
#include <string.h>

#include "model.h"

/* Reading the constructors' strings: each reader takes s and the position
 * *i of its next character, and moves *i past what it reads. */

/* The value of s[i] as a digit in base 10 or 16 (either case), or -1 when it is not one. */
static int digit_at(m_str s, size_t i, int base)
{
    char c = i < s.len ? (char)tolower((unsigned char)s.ptr[i]) : 0;
    if (c >= '0' && c <= '9') return c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* The character c at s[*i], consumed if it is there. */
static bool lit(m_str s, size_t *i, char c)
{
    if (*i >= s.len || s.ptr[*i] != c) return false;
    (*i)++;
    return true;
}

/* The run of digits (base 10 or 16) at s[*i..] as sign * number into *out,
 * and how many digits into *n; false when the number does not fit in 64 bits. */
static bool read_num(m_str s, size_t *i, int base, int sign, int64_t *out, size_t *n)
{
    bool fits = true;
    *out = 0;
    *n = 0;
    while (digit_at(s, *i, base) >= 0) {
        int64_t digit = sign * digit_at(s, *i, base);
        if (__builtin_mul_overflow(*out, base, out) || __builtin_add_overflow(*out, digit, out))
            fits = false;
        (*i)++;
        (*n)++;
    }
    return fits;
}

/* A run of exactly `width` digits at s[*i..]. */
static bool fixed(m_str s, size_t *i, size_t width, int64_t *out)
{
    size_t n;
    return read_num(s, i, 10, 1, out, &n) && n == width;
}

/* A number of 1 to max digits at s[*i..], without a leading zero. */
static bool short_num(m_str s, size_t *i, size_t max, int64_t *out)
{
    size_t n;
    bool leading_zero = digit_at(s, *i, 10) == 0 && digit_at(s, *i + 1, 10) >= 0;
    return !leading_zero && read_num(s, i, 10, 1, out, &n) && n >= 1 && n <= max;
}

/* decimal: -?[0-9]+.[0-9]{1,4}, stored as value * 10^4, which must fit in 64 bits. */
static m_result parse_decimal(m_str s)
{
    static const int64_t scale[] = {10000, 1000, 100, 10, 1};
    size_t i = 0, n_int, n_frac;
    int64_t integer, fraction, v;
    int sign = lit(s, &i, '-') ? -1 : 1;
    if (!read_num(s, &i, 10, sign, &integer, &n_int) || n_int == 0) return m_err(M_EXTENSION_ERROR);
    if (!lit(s, &i, '.')) return m_err(M_EXTENSION_ERROR);
    if (!read_num(s, &i, 10, sign, &fraction, &n_frac) || n_frac == 0 || n_frac > 4 || i != s.len)
        return m_err(M_EXTENSION_ERROR);
    if (__builtin_mul_overflow(integer, 10000, &v) ||
        __builtin_add_overflow(v, fraction * scale[n_frac], &v))
        return m_err(M_EXTENSION_ERROR);
    return m_ok((m_value){.kind = M_V_DECIMAL, .u.i = v});
}

/* An IPv4 address: four decimal octets of at most 3 digits, without leading zeros. */
static bool parse_v4(m_str s, m_ipaddr *ip)
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        int64_t octet;
        if (k > 0 && !lit(s, &i, '.')) return false;
        if (!short_num(s, &i, 3, &octet) || octet > 255) return false;
        ip->addr[k] = (uint8_t)octet;
    }
    return i == s.len;
}

/* Up to max groups of 1-4 hex digits at s[*i..], ':' before all but the
 * first, into 2 bytes each; returns how many. A ':' not followed by a group
 * is left unread. */
static size_t v6_groups(m_str s, size_t *i, uint8_t *bytes, size_t max)
{
    size_t n = 0;
    while (n < max) {
        size_t j = *i, digits;
        int64_t group;
        if (n > 0 && !lit(s, &j, ':')) break;
        if (!read_num(s, &j, 16, 1, &group, &digits) || digits == 0 || digits > 4) break;
        bytes[2 * n] = (uint8_t)(group >> 8);
        bytes[2 * n + 1] = (uint8_t)group;
        *i = j;
        n++;
    }
    return n;
}

/* An IPv6 address: eight groups, or fewer with one `::` standing for at least
 * one zero group. IPv4 embedded in IPv6 is rejected, as Cedar does. */
static bool parse_v6(m_str s, m_ipaddr *ip)
{
    size_t i = 0;
    memset(ip->addr, 0, sizeof ip->addr);
    size_t head = v6_groups(s, &i, ip->addr, 8);
    if (head < 8) {
        uint8_t tail[14];
        if (!lit(s, &i, ':') || !lit(s, &i, ':')) return false;
        size_t n_tail = v6_groups(s, &i, tail, 7 - head);
        memcpy(ip->addr + 16 - 2 * n_tail, tail, 2 * n_tail);
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
    if (s.len > 43) return m_err(M_EXTENSION_ERROR);
    if (!parse_v4(addr, &v.u.ip) && !parse_v6(addr, &v.u.ip)) return m_err(M_EXTENSION_ERROR);
    int64_t max = v.u.ip.v6 ? 128 : 32;
    int64_t prefix = max;
    if (slash) {
        m_str p = {slash + 1, s.len - addr.len - 1};
        size_t i = 0;
        if (!short_num(p, &i, v.u.ip.v6 ? 3 : 2, &prefix) || i != p.len || prefix > max)
            return m_err(M_EXTENSION_ERROR);
    }
    v.u.ip.prefix = (uint8_t)prefix;
    return m_ok(v);
}

/* Bit k of an address, counted from the most significant. */
static int bit(const m_ipaddr *ip, int k)
{
    return ip->addr[k / 8] >> (7 - k % 8) & 1;
}

/* isInRange: a's range lies within b's, i.e. same family, a's prefix at least
 * as long as b's, and the first b.prefix bits of the two addresses equal. */
static bool in_range(const m_ipaddr *a, const m_ipaddr *b)
{
    if (a->v6 != b->v6 || a->prefix < b->prefix) return false;
    for (int k = 0; k < b->prefix; k++)
        if (bit(a, k) != bit(b, k)) return false;
    return true;
}

/* The loopback and multicast ranges, IPv4 then IPv6: 127.0.0.0/8, ::1/128, 224.0.0.0/4, ff00::/8.
 */
static const m_ipaddr loopback[] = {{false, 8, {127}}, {true, 128, {[15] = 1}}};
static const m_ipaddr multicast[] = {{false, 4, {224}}, {true, 8, {0xff}}};

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
    int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0, off = 0, sign = 0;
    size_t i = 0;
    bool ok = fixed(s, &i, 4, &y) && lit(s, &i, '-') && fixed(s, &i, 2, &mo) && lit(s, &i, '-') &&
              fixed(s, &i, 2, &d);
    if (ok && i < s.len) {
        ok = lit(s, &i, 'T') && fixed(s, &i, 2, &h) && lit(s, &i, ':') && fixed(s, &i, 2, &mi) &&
             lit(s, &i, ':') && fixed(s, &i, 2, &sec);
        if (ok && lit(s, &i, '.')) ok = fixed(s, &i, 3, &ms);
        if (ok && !lit(s, &i, 'Z')) {
            if (lit(s, &i, '+')) sign = 1;
            if (sign == 0 && lit(s, &i, '-')) sign = -1;
            ok = sign != 0 && fixed(s, &i, 4, &off); /* hhmm */
        }
    }
    if (!ok || i != s.len || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
        mi > 59 || sec > 59 || off / 100 > 23 || off % 100 > 59)
        return m_err(M_EXTENSION_ERROR);
    int64_t secs = ((days_since_epoch(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
    secs -= sign * (off / 100 * 60 + off % 100) * 60;
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
    static const int64_t ms_per[] = {86400000, 3600000, 60000, 1000, 1};
    size_t i = 0, next_unit = 0;
    int sign = lit(s, &i, '-') ? -1 : 1;
    int64_t total = 0;
    if (i == s.len) return m_err(M_EXTENSION_ERROR);
    while (i < s.len) {
        int64_t q;
        size_t n;
        if (!read_num(s, &i, 10, sign, &q, &n) || n == 0) return m_err(M_EXTENSION_ERROR);
        size_t u = unit_at(s, i);
        if (u == 5 || u < next_unit) return m_err(M_EXTENSION_ERROR);
        if (__builtin_mul_overflow(q, ms_per[u], &q) || __builtin_add_overflow(total, q, &total))
            return m_err(M_EXTENSION_ERROR);
        i += u == 4 ? 2 : 1;
        next_unit = u + 1;
    }
    return m_ok((m_value){.kind = M_V_DURATION, .u.i = total});
}

/* A datetime or duration x + y (or x - y), or an extension error on overflow. */
static m_result time_or_err(m_vkind kind, int64_t x, int64_t y, bool minus)
{
    int64_t r;
    bool overflowed = minus ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r);
    return overflowed ? m_err(M_EXTENSION_ERROR) : m_ok((m_value){.kind = kind, .u.i = r});
}

/* Milliseconds since midnight of a datetime (the Euclidean remainder by a day). */
static int64_t time_of_day(int64_t t)
{
    int64_t r = t % 86400000;
    return r < 0 ? r + 86400000 : r;
}

/* The arguments each function takes (m_ops.def): how many, and their kinds. */
static const struct {
    size_t n;
    m_vkind a, b;
} ARGS[] = {
#define M_FN(kind, name, syntax, arity, arg_a, arg_b, result)                                      \
    [M_FN_##kind] = {arity, M_V_##arg_a, M_V_##arg_b},
#define M_V_NONE M_V_BOOL /* no second argument: not read */
#include "m_ops.def"
};

/* call: any arguments but those the function takes (number and kinds,
 * receiver first) are a type error; then each function, one line each as
 * in Lean's `call`. */
m_result m_call(m_extfn fn, size_t n, const m_value *v)
{
    if (n != ARGS[fn].n || v[0].kind != ARGS[fn].a) return m_err(M_TYPE_ERROR);
    if (n == 2 && v[1].kind != ARGS[fn].b) return m_err(M_TYPE_ERROR);
    const m_ipaddr *ip = &v[0].u.ip;
    int64_t x = v[0].u.i;             /* a decimal, datetime or duration receiver */
    int64_t y = n > 1 ? v[1].u.i : 0; /* and argument */
    switch (fn) {
    case M_FN_DECIMAL: return parse_decimal(v[0].u.s);
    case M_FN_LESS_THAN: return m_ok(m_bool(x < y));
    case M_FN_LESS_THAN_OR_EQUAL: return m_ok(m_bool(x <= y));
    case M_FN_GREATER_THAN: return m_ok(m_bool(x > y));
    case M_FN_GREATER_THAN_OR_EQUAL: return m_ok(m_bool(x >= y));
    case M_FN_IP: return parse_ip(v[0].u.s);
    case M_FN_IS_IPV4: return m_ok(m_bool(!ip->v6));
    case M_FN_IS_IPV6: return m_ok(m_bool(ip->v6));
    case M_FN_IS_LOOPBACK: return m_ok(m_bool(in_range(ip, &loopback[ip->v6])));
    case M_FN_IS_MULTICAST: return m_ok(m_bool(in_range(ip, &multicast[ip->v6])));
    case M_FN_IS_IN_RANGE: return m_ok(m_bool(in_range(ip, &v[1].u.ip)));
    case M_FN_DATETIME: return parse_datetime(v[0].u.s);
    case M_FN_DURATION: return parse_duration(v[0].u.s);
    case M_FN_OFFSET: return time_or_err(M_V_DATETIME, x, y, false);
    case M_FN_DURATION_SINCE: return time_or_err(M_V_DURATION, x, y, true);
    case M_FN_TO_DATE: return time_or_err(M_V_DATETIME, x, time_of_day(x), true);
    case M_FN_TO_TIME: return time_or_err(M_V_DURATION, time_of_day(x), 0, false);
    case M_FN_TO_MILLISECONDS: return m_ok(m_int(x));
    case M_FN_TO_SECONDS: return m_ok(m_int(x / 1000));
    case M_FN_TO_MINUTES: return m_ok(m_int(x / 60000));
    case M_FN_TO_HOURS: return m_ok(m_int(x / 3600000));
    case M_FN_TO_DAYS: return m_ok(m_int(x / 86400000));
    }
    return m_err(M_TYPE_ERROR);
}
