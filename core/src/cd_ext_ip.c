/* cd_ext_ip.c: Cedar's ipaddr type: parsing, printing and predicates.
 *
 * Parsing follows the official implementation, which is stricter than
 * inet_pton in some ways and different in others:
 *  - the whole string is at most 43 bytes;
 *  - a string with at least two `:` and at least two `.` is rejected, which
 *    rules out every IPv4-embedded IPv6 form ("::ffff:1.2.3.4", "::1.2.3.4");
 *  - the address is parsed with Rust's std::net::IpAddr grammar: IPv4 is
 *    exactly four decimal octets of 1-3 digits, without leading zeros
 *    ("01.2.3.4" is rejected); IPv6 is up to eight groups of 1-4 hex digits
 *    (either case, leading zeros allowed) with at most one `::` standing for
 *    at least one zero group; no zone ids (`%eth0`), no brackets;
 *  - an optional prefix after the first `/`: 1-2 digits for IPv4 (<= 32),
 *    1-3 digits for IPv6 (<= 128), ASCII digits only, no leading zero except
 *    "0" itself. Without a prefix it is 32 or 128.
 * Host bits are kept: 10.0.0.1/24 and 10.0.0.0/24 are different values.
 */
#include <inttypes.h>
#include <string.h>

#include "cd_ext.h"
#include "cd_ext_impl.h"

#define IP_STR_MAX_LEN 43

/* ---- Rust std's IP address grammar ------------------------------------- */

typedef struct ip_parser {
    const char *p;
    size_t n, i;
} ip_parser;

static bool read_char(ip_parser *s, char c)
{
    if (s->i < s->n && s->p[s->i] == c) {
        s->i++;
        return true;
    }
    return false;
}

static int digit_value(char c, int radix)
{
    int d;
    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (c >= 'a' && c <= 'z')
        d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z')
        d = c - 'A' + 10;
    else
        return -1;
    return d < radix ? d : -1;
}

/* A number of at most max_digits digits, at most max_value; with
 * !allow_zero_prefix a leading 0 is allowed only for "0" itself. Consumes
 * nothing on failure. */
static bool read_number(ip_parser *s, int radix, int max_digits, bool allow_zero_prefix,
                        uint32_t max_value, uint32_t *out)
{
    size_t start = s->i;
    bool leading_zero = s->i < s->n && s->p[s->i] == '0';
    uint32_t v = 0;
    int count = 0;
    int d;
    while (s->i < s->n && (d = digit_value(s->p[s->i], radix)) >= 0) {
        s->i++;
        v = v * (uint32_t)radix + (uint32_t)d;
        count++;
        if (v > max_value || count > max_digits) goto fail;
    }
    if (count == 0 || (!allow_zero_prefix && leading_zero && count > 1)) goto fail;
    *out = v;
    return true;
fail:
    s->i = start;
    return false;
}

static bool read_ipv4(ip_parser *s, uint8_t out[4])
{
    size_t start = s->i;
    for (int k = 0; k < 4; k++) {
        uint32_t v;
        if ((k > 0 && !read_char(s, '.')) || !read_number(s, 10, 3, false, 255, &v)) {
            s->i = start;
            return false;
        }
        out[k] = (uint8_t)v;
    }
    return true;
}

/* Colon-separated groups into g[0..limit), possibly ending in an embedded
 * IPv4 address (which needs two free groups). Returns the number of groups
 * read; *v4 tells whether the last two came from an IPv4 address. */
static size_t read_groups(ip_parser *s, uint16_t *g, size_t limit, bool *v4)
{
    *v4 = false;
    for (size_t i = 0; i < limit; i++) {
        if (i + 1 < limit) {
            size_t save = s->i;
            uint8_t a[4];
            if ((i == 0 || read_char(s, ':')) && read_ipv4(s, a)) {
                g[i] = (uint16_t)(a[0] << 8 | a[1]);
                g[i + 1] = (uint16_t)(a[2] << 8 | a[3]);
                *v4 = true;
                return i + 2;
            }
            s->i = save;
        }
        size_t save = s->i;
        uint32_t v;
        if ((i == 0 || read_char(s, ':')) && read_number(s, 16, 4, true, 0xFFFF, &v)) {
            g[i] = (uint16_t)v;
        } else {
            s->i = save;
            return i;
        }
    }
    return limit;
}

static bool read_ipv6(ip_parser *s, uint8_t out[16])
{
    size_t start = s->i;
    uint16_t head[8] = {0}, tail[7] = {0};
    bool v4;
    size_t nh = read_groups(s, head, 8, &v4);
    if (nh < 8) {
        /* An embedded IPv4 address may only end the address; otherwise a `::`
         * must follow, standing for at least one zero group. */
        if (v4 || !read_char(s, ':') || !read_char(s, ':')) {
            s->i = start;
            return false;
        }
        size_t nt = read_groups(s, tail, 8 - (nh + 1), &v4);
        memcpy(head + 8 - nt, tail, nt * sizeof tail[0]);
    }
    for (int k = 0; k < 8; k++) {
        out[2 * k] = (uint8_t)(head[k] >> 8);
        out[2 * k + 1] = (uint8_t)head[k];
    }
    return true;
}

/* The whole of p[0..n) as an IPv4 or IPv6 address. */
static bool parse_addr(const char *p, size_t n, cd_ipaddr *out)
{
    ip_parser s = {p, n, 0};
    memset(out->addr, 0, sizeof out->addr);
    if (read_ipv4(&s, out->addr)) {
        out->v6 = false;
    } else if (read_ipv6(&s, out->addr)) {
        out->v6 = true;
    } else {
        return false;
    }
    return s.i == n;
}

static bool parse_prefix(const char *p, size_t n, unsigned max, size_t max_len, uint8_t *out)
{
    if (n == 0 || n > max_len) return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return false;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    if ((p[0] == '0' && n > 1) || v > max) return false;
    *out = (uint8_t)v;
    return true;
}

static bool at_least_two(cd_str s, char c)
{
    if (s.len == 0) return false;
    const char *first = memchr(s.ptr, c, s.len);
    if (!first) return false;
    size_t rest = s.len - (size_t)(first - s.ptr) - 1;
    return memchr(first + 1, c, rest) != NULL;
}

bool cd_ip_parse(cd_str s, cd_ipaddr *out, const char **msg)
{
    const char *why = NULL;
    cd_ipaddr ip;
    memset(&ip, 0, sizeof ip);
    if (s.len > IP_STR_MAX_LEN) {
        why = "string too long to be an IP address or range";
    } else if (at_least_two(s, ':') && at_least_two(s, '.')) {
        why = "IPv4 embedded in IPv6 (e.g. ::ffff:127.0.0.1) is not accepted";
    } else {
        const char *slash = s.len ? memchr(s.ptr, '/', s.len) : NULL;
        size_t alen = slash ? (size_t)(slash - s.ptr) : s.len;
        if (!parse_addr(s.ptr, alen, &ip)) {
            why = "not a valid IPv4 or IPv6 address";
        } else if (!slash) {
            ip.prefix = ip.v6 ? 128 : 32;
        } else {
            const char *pp = slash + 1;
            size_t plen = s.len - alen - 1;
            if (!parse_prefix(pp, plen, ip.v6 ? 128 : 32, ip.v6 ? 3 : 2, &ip.prefix))
                why = ip.v6 ? "invalid prefix length (an IPv6 prefix is 0 to 128, without "
                              "leading zeros)"
                            : "invalid prefix length (an IPv4 prefix is 0 to 32, without "
                              "leading zeros)";
        }
    }
    if (why) {
        if (msg) *msg = why;
        return false;
    }
    *out = ip;
    return true;
}

/* ---- printing ----------------------------------------------------------- */

/* Rust's Display for addresses: dotted quad for IPv4; for IPv6, lowercase
 * hex groups with the longest run (the first one on ties) of at least two
 * zero groups written as `::`. Unlike Rust, IPv4-mapped addresses are not
 * written in the dotted "::ffff:a.b.c.d" form, since Cedar would not parse
 * that back. The prefix is omitted when it is the full length. */
void cd_ip_format(cd_buf *b, const cd_ipaddr *ip)
{
    if (!ip->v6) {
        cd_buf_printf(b, "%u.%u.%u.%u", ip->addr[0], ip->addr[1], ip->addr[2], ip->addr[3]);
    } else {
        unsigned g[8];
        for (int k = 0; k < 8; k++)
            g[k] = (unsigned)ip->addr[2 * k] << 8 | ip->addr[2 * k + 1];
        int best = -1, best_len = 0;
        for (int k = 0; k < 8;) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int e = k;
            while (e < 8 && g[e] == 0)
                e++;
            if (e - k > best_len) best = k, best_len = e - k;
            k = e;
        }
        if (best_len < 2) best = -1;
        for (int k = 0; k < 8; k++) {
            if (k == best) {
                cd_buf_puts(b, "::");
                k += best_len - 1;
                continue;
            }
            if (k > 0 && k != best + best_len) cd_buf_putc(b, ':');
            cd_buf_printf(b, "%x", g[k]);
        }
    }
    if (ip->prefix != (ip->v6 ? 128 : 32)) cd_buf_printf(b, "/%u", ip->prefix);
}

/* ---- predicates --------------------------------------------------------- */

/* The first and last addresses of the range, as 128-bit big-endian values
 * (IPv4 uses the low 32 bits). */
typedef struct u128be {
    uint64_t hi, lo;
} u128be;

static void ip_range(const cd_ipaddr *ip, u128be *first, u128be *last)
{
    unsigned width = ip->v6 ? 128 : 32;
    unsigned prefix = ip->prefix > width ? width : ip->prefix;
    uint64_t hi = 0, lo = 0;
    if (ip->v6) {
        for (int k = 0; k < 8; k++)
            hi = hi << 8 | ip->addr[k];
        for (int k = 8; k < 16; k++)
            lo = lo << 8 | ip->addr[k];
    } else {
        for (int k = 0; k < 4; k++)
            lo = lo << 8 | ip->addr[k];
    }
    /* host mask over the low (width - prefix) bits of the 128-bit value */
    unsigned host = width - prefix;
    uint64_t mhi, mlo;
    if (host == 0)
        mhi = 0, mlo = 0;
    else if (host < 64)
        mhi = 0, mlo = (UINT64_C(1) << host) - 1;
    else if (host == 64)
        mhi = 0, mlo = UINT64_MAX;
    else if (host < 128)
        mhi = (UINT64_C(1) << (host - 64)) - 1, mlo = UINT64_MAX;
    else
        mhi = UINT64_MAX, mlo = UINT64_MAX;
    first->hi = hi & ~mhi;
    first->lo = lo & ~mlo;
    last->hi = hi | mhi;
    last->lo = lo | mlo;
}

static int u128_cmp(u128be a, u128be b)
{
    if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo) return a.lo < b.lo ? -1 : 1;
    return 0;
}

bool cd_ip_in_range(const cd_ipaddr *a, const cd_ipaddr *range)
{
    if (a->v6 != range->v6) return false;
    u128be af, al, rf, rl;
    ip_range(a, &af, &al);
    ip_range(range, &rf, &rl);
    return u128_cmp(rf, af) <= 0 && u128_cmp(al, rl) <= 0;
}

bool cd_ip_is_loopback(const cd_ipaddr *ip)
{
    /* 127.0.0.0/8 and ::1/128: the whole range must lie inside. */
    if (!ip->v6) return ip->addr[0] == 127 && ip->prefix >= 8;
    static const uint8_t one[16] = {[15] = 1};
    return memcmp(ip->addr, one, 16) == 0 && ip->prefix >= 128;
}

bool cd_ip_is_multicast(const cd_ipaddr *ip)
{
    /* 224.0.0.0/4 and ff00::/8 */
    if (!ip->v6) return (ip->addr[0] & 0xF0) == 0xE0 && ip->prefix >= 4;
    return ip->addr[0] == 0xFF && ip->prefix >= 8;
}
