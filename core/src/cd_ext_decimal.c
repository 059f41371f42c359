/* cd_ext_decimal.c: Cedar's decimal type, a 64-bit integer scaled by 10^4.
 *
 * The accepted syntax is that of the official implementation: an optional
 * `-`, one or more digits, `.`, then one to four digits, nothing else (no `+`,
 * no exponent, no spaces). Leading zeros are allowed. The scaled value must
 * fit in an int64, so the range is -922337203685477.5808 to
 * 922337203685477.5807.
 */
#include <inttypes.h>

#include "cd_ext.h"

#define DECIMAL_DIGITS 4

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Accumulate the digits of p[0..n) into *v, negatively when neg so that
 * INT64_MIN is reachable; false on overflow. */
static bool digits_to_i64(const char *p, size_t n, bool neg, int64_t *v)
{
    int64_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        int d = p[i] - '0';
        if (__builtin_mul_overflow(acc, 10, &acc)) return false;
        if (neg ? __builtin_sub_overflow(acc, d, &acc) : __builtin_add_overflow(acc, d, &acc))
            return false;
    }
    *v = acc;
    return true;
}

bool cd_decimal_parse(cd_str s, int64_t *out, const char **msg)
{
    const char *p = s.ptr;
    size_t n = s.len, i = 0;
    bool neg = n > 0 && p[0] == '-';
    if (neg) i++;
    size_t int_start = i;
    while (i < n && is_digit(p[i]))
        i++;
    size_t int_len = i - int_start;
    if (int_len == 0 || i == n || p[i] != '.') goto malformed;
    i++;
    size_t frac_start = i;
    while (i < n && is_digit(p[i]))
        i++;
    size_t frac_len = i - frac_start;
    if (frac_len == 0 || i != n) goto malformed;

    /* Same order of checks as the reference: integer part, then the number
     * of fractional digits, then the sum. */
    int64_t l;
    if (!digits_to_i64(p + int_start, int_len, neg, &l)) goto overflow;
    if (__builtin_mul_overflow(l, (int64_t)10000, &l)) goto overflow;
    if (frac_len > DECIMAL_DIGITS) {
        if (msg) *msg = "too many digits after the decimal point (at most 4 are supported)";
        return false;
    }
    int64_t r = 0;
    for (size_t k = 0; k < DECIMAL_DIGITS; k++)
        r = r * 10 + (k < frac_len ? p[frac_start + k] - '0' : 0);
    int64_t v;
    if (neg ? __builtin_sub_overflow(l, r, &v) : __builtin_add_overflow(l, r, &v)) goto overflow;
    *out = v;
    return true;

malformed:
    if (msg)
        *msg = "not a well-formed decimal value (digits are required on both sides of `.`, "
               "with at most 4 after it)";
    return false;
overflow:
    if (msg)
        *msg = "overflow when converting to decimal (the range is -922337203685477.5808 to "
               "922337203685477.5807)";
    return false;
}

/* The official Display: sign, integer part, `.`, exactly four digits. */
void cd_decimal_format(cd_buf *b, int64_t v)
{
    /* Work on the magnitude as unsigned so INT64_MIN has no special case. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    cd_buf_printf(b, "%s%" PRIu64 ".%04" PRIu64, v < 0 ? "-" : "", mag / 10000, mag % 10000);
}
