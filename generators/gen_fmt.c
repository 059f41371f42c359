/* gen_fmt.c: extension values as their constructors' strings, in the forms
 * Cedar accepts (several surface forms per value, chosen by the style), and
 * extension values near the edges. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gen_int.h"

/* ---- decimal ------------------------------------------------------------ */

void gen_fmt_decimal(gen_buf *b, int64_t v, gen_style *st)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    unsigned frac = (unsigned)(mag % 10000);
    char digits[8];
    snprintf(digits, sizeof digits, "%04u", frac);
    size_t nd = 4;
    /* trailing zeros may go, down to one fraction digit */
    while (nd > 1 && digits[nd - 1] == '0' && gen_style_coin(st, 60))
        nd--;
    gen_buf_printf(b, "%s%" PRIu64 ".%.*s", v < 0 ? "-" : "", mag / 10000, (int)nd, digits);
}

int64_t gen_decimal_value(gen_src *s)
{
    static const int64_t edges[] = {0,         1,         -1,    10000,  -10000,   5000,
                                    INT64_MAX, INT64_MIN, 12345, -12345, 99990000, INT64_MAX - 1};
    switch (gen_pick(s, 3)) {
    case 0: return edges[gen_pick(s, GEN_N(edges))];
    case 1: return gen_irange(s, -1000000, 1000000);
    default: return (int64_t)gen_range(s, 0, UINT64_MAX);
    }
}

/* ---- ipaddr -------------------------------------------------------------- */

void gen_fmt_ip(gen_buf *b, const m_ipaddr *ip, gen_style *st)
{
    if (!ip->v6) {
        gen_buf_printf(b, "%u.%u.%u.%u", ip->addr[0], ip->addr[1], ip->addr[2], ip->addr[3]);
        if (ip->prefix != 32 || gen_style_coin(st, 30)) gen_buf_printf(b, "/%u", ip->prefix);
        return;
    }
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)ip->addr[2 * i] << 8 | ip->addr[2 * i + 1];
    /* the longest run of zero groups may be written `::` */
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) best = i, best_len = j - i;
        i = j > i ? j : i + 1;
    }
    bool compress =
        best >= 0 && (best_len > 1 || gen_style_coin(st, 30)) && !gen_style_coin(st, 20);
    bool upper = gen_style_coin(st, 20), pad = gen_style_coin(st, 15);
    const char *fmt = pad ? (upper ? "%04X" : "%04x") : (upper ? "%X" : "%x");
    for (int i = 0; i < 8; i++) {
        if (compress && i == best) {
            gen_buf_puts(b, "::");
            i += best_len - 1;
            continue;
        }
        if (i > 0 && !(compress && i == best + best_len)) gen_buf_putc(b, ':');
        gen_buf_printf(b, fmt, g[i]);
    }
    if (ip->prefix != 128 || gen_style_coin(st, 30)) gen_buf_printf(b, "/%u", ip->prefix);
}

m_ipaddr gen_ip_edge(gen_src *s)
{
    /* the ranges at the edges of isLoopback and isMulticast: the whole
     * range, one bit of prefix less, the last address */
    static const struct {
        bool v6;
        uint8_t prefix, a0, a1, last;
    } edges[] = {{false, 8, 127, 0, 0},     {false, 8, 127, 255, 255}, {false, 7, 127, 0, 0},
                 {false, 7, 126, 0, 0},     {false, 9, 127, 128, 0},   {false, 4, 224, 0, 0},
                 {false, 4, 239, 255, 255}, {false, 3, 224, 0, 0},     {false, 5, 232, 0, 0},
                 {false, 4, 240, 0, 0},     {true, 8, 0xff, 0, 0},     {true, 7, 0xff, 0, 0},
                 {true, 7, 0xfe, 0, 0},     {true, 9, 0xff, 0x80, 0},  {true, 8, 0xff, 0xff, 0xff},
                 {true, 127, 0, 0, 1},      {true, 128, 0, 0, 1},      {true, 127, 0, 0, 0},
                 {true, 0, 0, 0, 0},        {false, 0, 0, 0, 0}};
    m_ipaddr ip = {0};
    size_t i = gen_pick(s, GEN_N(edges));
    ip.v6 = edges[i].v6;
    ip.prefix = edges[i].prefix;
    ip.addr[0] = edges[i].a0;
    ip.addr[1] = edges[i].a1;
    int n = ip.v6 ? 16 : 4;
    if (edges[i].last) /* the rest all ones (::1 for the IPv6 loopback rows) */
        for (int k = 2; k < n; k++)
            ip.addr[k] = ip.v6 && edges[i].a0 == 0 ? (k == 15) : 0xff;
    return ip;
}

m_ipaddr gen_ip_value(gen_src *s)
{
    static const uint8_t v4s[][4] = {{127, 0, 0, 1}, {10, 0, 0, 0},    {192, 168, 1, 7},
                                     {0, 0, 0, 0},   {224, 0, 0, 251}, {255, 255, 255, 255},
                                     {127, 9, 8, 7}, {239, 1, 2, 3}};
    if (gen_chance(s, 15)) return gen_ip_edge(s);
    m_ipaddr ip = {0};
    ip.v6 = gen_chance(s, 40);
    if (!ip.v6) {
        if (gen_chance(s, 60)) {
            memcpy(ip.addr, v4s[gen_pick(s, GEN_N(v4s))], 4);
        } else {
            for (int i = 0; i < 4; i++)
                ip.addr[i] = (uint8_t)gen_range(s, 0, 255);
        }
        ip.prefix = gen_chance(s, 50) ? 32 : (uint8_t)gen_range(s, 0, 32);
        return ip;
    }
    switch (gen_pick(s, 4)) {
    case 0: ip.addr[15] = 1; break;                      /* ::1 */
    case 1: ip.addr[0] = 0xff, ip.addr[1] = 0x02; break; /* multicast */
    case 2: ip.addr[0] = 0x20, ip.addr[1] = 0x01, ip.addr[2] = 0x0d, ip.addr[3] = 0xb8; break;
    default:
        for (int i = 0; i < 16; i++)
            ip.addr[i] = gen_chance(s, 50) ? 0 : (uint8_t)gen_range(s, 0, 255);
    }
    ip.prefix = gen_chance(s, 50) ? 128 : (uint8_t)gen_range(s, 0, 128);
    return ip;
}

/* ---- datetime ------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t gen_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The local date and time of an instant, or false when its year is outside 0000..9999. */
static bool write_local(gen_buf *b, int64_t ms, bool date_only, bool with_ms)
{
    int64_t days = floor_div(ms, 86400000), rest = ms - days * 86400000, y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) return false;
    gen_buf_printf(b, "%04d-%02u-%02u", (int)y, m, d);
    if (date_only) return true;
    gen_buf_printf(b, "T%02d:%02d:%02d", (int)(rest / 3600000), (int)(rest / 60000 % 60),
                   (int)(rest / 1000 % 60));
    if (with_ms) gen_buf_printf(b, ".%03d", (int)(rest % 1000));
    return true;
}

bool gen_fmt_datetime(gen_buf *b, int64_t ms, gen_style *st)
{
    const int64_t min = -62167219200000LL, max = 253402300799999LL; /* 0000-01-01 .. 9999-12-31 */
    size_t start = b->len;
    bool with_ms = ms % 1000 != 0 || gen_style_coin(st, 20);
    if (ms % 86400000 == 0 && ms >= min && ms <= max && gen_style_coin(st, 50))
        return write_local(b, ms, true, false);
    if (gen_style_coin(st, 40)) {
        /* an offset: the local time is the instant plus it */
        int hh = (int)(gen_style_next(st) % 24), mm = (int)(gen_style_next(st) % 60);
        int sign = gen_style_coin(st, 50) ? -1 : 1;
        int64_t off = sign * (int64_t)(hh * 60 + mm) * 60000;
        if (ms <= INT64_MAX - 86400000 && ms >= INT64_MIN + 86400000 &&
            write_local(b, ms + off, false, with_ms)) {
            gen_buf_printf(b, "%c%02d%02d", sign < 0 ? '-' : '+', hh, mm);
            return true;
        }
        b->len = start;
    }
    if (ms < min || ms > max) return false;
    write_local(b, ms, false, with_ms);
    gen_buf_putc(b, 'Z');
    return true;
}

int64_t gen_datetime_value(gen_src *s)
{
    static const int64_t edges[] = {0,
                                    -1,
                                    1,
                                    86400000,
                                    -86400000,
                                    1709164800000LL, /* 2024-02-29 */
                                    1717171717171LL,
                                    253402300799999LL, /* 9999-12-31T23:59:59.999Z */
                                    -62167219200000LL, /* 0000-01-01 */
                                    253402214400000LL, /* 9999-12-31 */
                                    951782400000LL,    /* 2000-02-29 */
                                    INT64_MAX,
                                    INT64_MIN,
                                    INT64_MAX - 86399999};
    static const int16_t years[] = {1900, 2000, 2100, 1600, 1969, 1970, 0, 9999, 2024, 2023};
    switch (gen_pick(s, 4)) {
    case 0: return edges[gen_pick(s, GEN_N(edges))];
    case 1: return gen_irange(s, -62167219200000LL, 253402300799999LL);
    case 2: { /* calendar edges: Feb 28, Mar 1 (and Feb 29 of leap years) of century years */
        int64_t y = years[gen_pick(s, GEN_N(years))];
        unsigned m = gen_chance(s, 60) ? 2 : 3, d = m == 3 ? 1 : 28 + (unsigned)gen_pick(s, 2);
        if (d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) d = 28;
        int64_t tod = gen_chance(s, 50) ? 0 : gen_irange(s, 0, 86399999);
        if (gen_chance(s, 30)) tod = 86400000 - 1 - (tod % 1000); /* just before midnight */
        return gen_days_from_civil(y, m, d) * 86400000 + tod;
    }
    default: return gen_irange(s, -4000000000000LL, 4000000000000LL) / 1000 * 1000;
    }
}

/* ---- duration ------------------------------------------------------------ */

void gen_fmt_duration(gen_buf *b, int64_t ms, gen_style *st)
{
    static const struct {
        const char *unit;
        uint64_t ms;
    } units[] = {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
    uint64_t mag = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
    if (ms < 0) gen_buf_putc(b, '-');
    if (gen_style_coin(st, 50)) {
        /* one unit that divides it */
        size_t u = 4;
        for (size_t i = 0; i < 4; i++)
            if (mag % units[i].ms == 0 && gen_style_coin(st, 50)) {
                u = i;
                break;
            }
        gen_buf_printf(b, "%" PRIu64 "%s", mag / units[u].ms, units[u].unit);
        return;
    }
    if (mag == 0 || !gen_style_coin(st, 70)) {
        gen_buf_printf(b, "%" PRIu64 "ms", mag);
        return;
    }
    for (size_t i = 0; i < 5; i++) {
        uint64_t q = mag / units[i].ms;
        mag %= units[i].ms;
        if (q || gen_style_coin(st, 10)) gen_buf_printf(b, "%" PRIu64 "%s", q, units[i].unit);
    }
}

int64_t gen_duration_value(gen_src *s)
{
    static const int64_t edges[] = {0,        1,         -1,        1000,
                                    60000,    3600000,   86400000,  -86400000,
                                    90061001, INT64_MAX, INT64_MIN, 9223372036854400000LL,
                                    -5400000};
    switch (gen_pick(s, 3)) {
    case 0: return edges[gen_pick(s, GEN_N(edges))];
    case 1: return gen_irange(s, -100000000, 100000000);
    default: return gen_irange(s, -864000000000LL, 864000000000LL) / 1000 * 1000;
    }
}

/* ---- UTF-8 ---------------------------------------------------------------- */

int gen_utf8_decode(const char *p, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)p;
    if (n == 0) return 0;
    if (s[0] < 0x80) return *cp = s[0], 1;
    int len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
    if (len == 0 || (size_t)len > n) return 0;
    uint32_t c = s[0] & (0x7f >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    *cp = c;
    return len;
}

int gen_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) return out[0] = (char)cp, 1;
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}
