/* m_ext.c: the extension functions (ExtFun.lean, the Ext folder), with the constructors'
 * string formats as Rust accepts them (cedar-policy-core/src/extensions). */
#include <ctype.h>
#include <string.h>

#include "model.h"

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

/* A run of exactly `width` digits at s[*i..]. */
static bool fixed(m_str s, size_t *i, size_t width, int64_t *out)
{
    size_t n;
    return read_num(s, i, 1, out, &n) && n == width;
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

/* A number of 1 to max digits at s[*i..], without a leading zero. */
static bool short_num(m_str s, size_t *i, size_t max, int64_t *out)
{
    size_t start = *i, n;
    return read_num(s, i, 1, out, &n) && n > 0 && n <= max && (n == 1 || s.ptr[start] != '0');
}

/* An IPv4 address: four decimal octets of at most 3 digits, without leading zeros. */
static bool parse_v4(m_str s, m_ipaddr *ip)
{
    size_t i = 0;
    int64_t x;
    for (int k = 0; k < 4; k++) {
        if ((k > 0 && !lit(s, &i, '.')) || !short_num(s, &i, 3, &x) || x > 255) return false;
        ip->addr[k] = (uint8_t)x;
    }
    return i == s.len;
}

/* Up to max groups of 1-4 hex digits at s[*i..], ':' before all but the first,
 * into 2 bytes each; a separator not followed by a group is left unread. */
static size_t v6_groups(m_str s, size_t *i, uint8_t *bytes, size_t max)
{
    size_t n = 0;
    for (unsigned g = 0; n < max; n++, g = 0) {
        size_t j = *i + (n > 0), k = j;
        if (n > 0 && !(*i < s.len && s.ptr[*i] == ':')) break;
        for (char c; k < s.len && k - j < 5 && isxdigit((unsigned char)(c = s.ptr[k])); k++)
            g = g * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
        if (k == j || k - j > 4) break;
        bytes[2 * n] = (uint8_t)(g >> 8), bytes[2 * n + 1] = (uint8_t)g;
        *i = k;
    }
    return n;
}

/* An IPv6 address: eight groups, or fewer with one `::` standing for at least
 * one zero group. IPv4 embedded in IPv6 is rejected, as Cedar does. */
static bool parse_v6(m_str s, m_ipaddr *ip)
{
    uint8_t tail[14];
    size_t i = 0, head = v6_groups(s, &i, ip->addr, 8);
    memset(ip->addr + 2 * head, 0, 16 - 2 * head);
    if (head < 8) {
        if (!lit(s, &i, ':') || !lit(s, &i, ':')) return false;
        size_t nt = v6_groups(s, &i, tail, 7 - head);
        memcpy(ip->addr + 16 - 2 * nt, tail, 2 * nt);
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
        size_t i = 0;
        if (!short_num(p, &i, v.u.ip.v6 ? 3 : 2, &pre) || i != p.len || pre > max)
            return m_err(M_EXTENSION_ERROR);
    }
    v.u.ip.prefix = (uint8_t)pre;
    return m_ok(v);
}

/* isInRange: a's range lies within b's, i.e. same family, a's prefix at least
 * as long as b's, and the first b.prefix bits of the two addresses equal. */
static bool in_range(const m_ipaddr *a, const m_ipaddr *b)
{
    bool within = a->v6 == b->v6 && a->prefix >= b->prefix;
    for (int bit = 0; within && bit < b->prefix; bit++)
        within = ((a->addr[bit / 8] ^ b->addr[bit / 8]) >> (7 - bit % 8) & 1) == 0;
    return within;
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
             lit(s, &i, ':') && fixed(s, &i, 2, &sec) && (!lit(s, &i, '.') || fixed(s, &i, 3, &ms));
        if (ok && !lit(s, &i, 'Z')) {
            sign = lit(s, &i, '+') ? 1 : lit(s, &i, '-') ? -1 : 0;
            ok = sign && fixed(s, &i, 4, &off); /* hhmm */
        }
        ok = ok && i == s.len;
    }
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 59 || off / 100 > 23 || off % 100 > 59)
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

/* A datetime or duration x + y (or x - y), or an extension error on overflow. */
static m_result time_or_err(m_vkind kind, int64_t x, int64_t y, bool minus)
{
    int64_t r;
    bool overflowed = minus ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r);
    return overflowed ? m_err(M_EXTENSION_ERROR) : m_ok((m_value){.kind = kind, .u.i = r});
}

/* call: each function on arguments of the kinds it takes (receiver first),
 * case by case as in Lean; any other arguments are a type error. */
m_result m_call(m_extfn fn, size_t n, const m_value *v)
{
    m_vkind k = n ? v[0].kind : M_V_BOOL, k2 = n == 2 ? v[1].kind : M_V_BOOL;
    bool str = n == 1 && k == M_V_STRING, ip1 = n == 1 && k == M_V_IPADDR;
    bool dt = n == 1 && k == M_V_DATETIME, dur = n == 1 && k == M_V_DURATION;
    bool pair = n == 2 && k == k2, decs = pair && k == M_V_DECIMAL, ips = pair && k == M_V_IPADDR;
    bool dts = pair && k == M_V_DATETIME, dt_dur = k == M_V_DATETIME && k2 == M_V_DURATION;
    int64_t x = n ? v[0].u.i : 0, y = n == 2 ? v[1].u.i : 0;
    int64_t time_of_day = (x % 86400000 + 86400000) % 86400000; /* Euclidean remainder */
    const m_ipaddr *ip = &v[0].u.ip;
    if (fn == M_FN_DECIMAL && str) return parse_decimal(v[0].u.s);
    if (fn == M_FN_LESS_THAN && decs) return m_ok(m_bool(x < y));
    if (fn == M_FN_LESS_THAN_OR_EQUAL && decs) return m_ok(m_bool(x <= y));
    if (fn == M_FN_GREATER_THAN && decs) return m_ok(m_bool(x > y));
    if (fn == M_FN_GREATER_THAN_OR_EQUAL && decs) return m_ok(m_bool(x >= y));
    if (fn == M_FN_IP && str) return parse_ip(v[0].u.s);
    if (fn == M_FN_IS_IPV4 && ip1) return m_ok(m_bool(!ip->v6));
    if (fn == M_FN_IS_IPV6 && ip1) return m_ok(m_bool(ip->v6));
    if (fn == M_FN_IS_LOOPBACK && ip1) return m_ok(m_bool(in_range(ip, &loopback[ip->v6])));
    if (fn == M_FN_IS_MULTICAST && ip1) return m_ok(m_bool(in_range(ip, &multicast[ip->v6])));
    if (fn == M_FN_IS_IN_RANGE && ips) return m_ok(m_bool(in_range(ip, &v[1].u.ip)));
    if (fn == M_FN_DATETIME && str) return parse_datetime(v[0].u.s);
    if (fn == M_FN_DURATION && str) return parse_duration(v[0].u.s);
    if (fn == M_FN_OFFSET && dt_dur) return time_or_err(M_V_DATETIME, x, y, false);
    if (fn == M_FN_DURATION_SINCE && dts) return time_or_err(M_V_DURATION, x, y, true);
    if (fn == M_FN_TO_DATE && dt) return time_or_err(M_V_DATETIME, x, time_of_day, true);
    if (fn == M_FN_TO_TIME && dt) return time_or_err(M_V_DURATION, time_of_day, 0, false);
    if (fn == M_FN_TO_MILLISECONDS && dur) return m_ok(m_int(x));
    if (fn == M_FN_TO_SECONDS && dur) return m_ok(m_int(x / 1000));
    if (fn == M_FN_TO_MINUTES && dur) return m_ok(m_int(x / 60000));
    if (fn == M_FN_TO_HOURS && dur) return m_ok(m_int(x / 3600000));
    if (fn == M_FN_TO_DAYS && dur) return m_ok(m_int(x / 86400000));
    return m_err(M_TYPE_ERROR);
}
