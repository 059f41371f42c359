/* cd_ext_datetime.c: Cedar's datetime and duration types.
 *
 * A datetime is a count of milliseconds since 1970-01-01T00:00:00Z, and a
 * duration a count of milliseconds, both int64. The string syntax is that of
 * the official implementation:
 *
 *   datetime: YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss followed by an optional
 *             .SSS (exactly three digits) and then Z or +hhmm / -hhmm.
 *             The date must exist in the proleptic Gregorian calendar (years
 *             0000-9999), hh < 24, mm < 60, ss < 60 (no leap seconds), and
 *             the offset's hours < 24 and minutes < 60. A positive offset
 *             means local time is ahead of UTC, so it is subtracted.
 *   duration: an optional `-`, then quantity-unit pairs in the order
 *             d, h, m, s, ms, each at most once, quantities being decimal
 *             digits (at least one pair). The `-` negates the whole.
 *             Overflow of int64 is an error.
 */
#include <inttypes.h>
#include <string.h>

#include "cd_ext.h"
#include "cd_ext_impl.h"

#define MS_PER_DAY INT64_C(86400000)

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* n ASCII digits at p, all of them checked. */
static bool read_digits(const char *p, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(p[i])) return false;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return true;
}

/* ---- calendar ------------------------------------------------------------ */

static bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a % b < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ---- datetime ------------------------------------------------------------ */

bool cd_datetime_parse(cd_str s, int64_t *out_ms, const char **msg)
{
    const char *p = s.ptr;
    size_t n = s.len;
    unsigned y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, oh = 0, om = 0;
    bool offset_neg = false;

    /* The syntax is checked first, left to right, then the values. */
    if (n < 10 || !read_digits(p, 4, &y) || p[4] != '-' || !read_digits(p + 5, 2, &mo) ||
        p[7] != '-' || !read_digits(p + 8, 2, &d)) {
        if (msg) *msg = "invalid date pattern (a datetime starts with YYYY-MM-DD)";
        return false;
    }
    if (n > 10) {
        if (n < 19 || p[10] != 'T' || !read_digits(p + 11, 2, &h) || p[13] != ':' ||
            !read_digits(p + 14, 2, &mi) || p[16] != ':' || !read_digits(p + 17, 2, &sec)) {
            if (msg)
                *msg = "invalid hour/minute/second pattern (expected THH:MM:SS after the date)";
            return false;
        }
        size_t i = 19;
        bool ok = true;
        if (i < n && p[i] == '.') {
            ok = n - i >= 4 && read_digits(p + i + 1, 3, &ms);
            i += 4;
        }
        if (ok && i < n && p[i] == 'Z') {
            ok = i + 1 == n;
        } else if (ok && i < n && (p[i] == '+' || p[i] == '-')) {
            offset_neg = p[i] == '-';
            ok = n - i == 5 && read_digits(p + i + 1, 2, &oh) && read_digits(p + i + 3, 2, &om);
        } else {
            ok = false;
        }
        if (!ok) {
            if (msg)
                *msg = "invalid millisecond and/or offset pattern (expected Z, .SSSZ, "
                       "(+|-)hhmm or .SSS(+|-)hhmm after the time)";
            return false;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
        if (msg) *msg = "invalid date (no such day)";
        return false;
    }
    if (h >= 24 || mi >= 60 || sec >= 60) {
        if (msg) *msg = "invalid hour/minute/second (hours < 24, minutes < 60, seconds < 60)";
        return false;
    }
    if (oh >= 24 || om >= 60) {
        if (msg) *msg = "invalid offset range (offset hours < 24, minutes < 60)";
        return false;
    }
    /* Years 0000-9999 keep all of this far inside the int64 range. */
    int64_t offset_s = (int64_t)oh * 3600 + (int64_t)om * 60;
    if (offset_neg) offset_s = -offset_s;
    int64_t secs = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 +
                   (int64_t)sec - offset_s;
    *out_ms = secs * 1000 + (int64_t)ms;
    return true;
}

/* Writes the instant; false (writing nothing) when the year is outside
 * 0000..9999 unless any_year, in which case the year is written as a plain
 * signed number. */
static bool format_instant(cd_buf *b, int64_t ms, bool any_year)
{
    /* Floor division without forming days * MS_PER_DAY, which can overflow
     * near INT64_MIN. */
    int64_t days = ms / MS_PER_DAY, tod = ms % MS_PER_DAY;
    if (tod < 0) tod += MS_PER_DAY, days--;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        if (!any_year) return false;
        cd_buf_printf(b, "%" PRId64 "-%02u-%02u", y, m, d);
    } else {
        cd_buf_printf(b, "%04d-%02u-%02u", (int)y, m, d);
    }
    if (tod != 0) {
        int hh = (int)(tod / 3600000), mm = (int)(tod / 60000 % 60), ss = (int)(tod / 1000 % 60);
        int milli = (int)(tod % 1000);
        cd_buf_printf(b, "T%02d:%02d:%02d", hh, mm, ss);
        if (milli) cd_buf_printf(b, ".%03d", milli);
        cd_buf_putc(b, 'Z');
    }
    return true;
}

bool cd_datetime_format(cd_buf *b, int64_t ms)
{
    return format_instant(b, ms, false);
}

void cd_datetime_format_any(cd_buf *b, int64_t ms)
{
    format_instant(b, ms, true);
}

bool cd_datetime_to_date(int64_t ms, int64_t *out)
{
    int64_t rem = ms % MS_PER_DAY;
    if (rem < 0) rem += MS_PER_DAY; /* Euclidean remainder */
    return !__builtin_sub_overflow(ms, rem, out);
}

int64_t cd_datetime_to_time(int64_t ms)
{
    int64_t rem = ms % MS_PER_DAY;
    return rem < 0 ? rem + MS_PER_DAY : rem;
}

/* ---- duration ------------------------------------------------------------ */

bool cd_duration_parse(cd_str s, int64_t *out_ms, const char **msg)
{
    static const char *const units[5] = {"d", "h", "m", "s", "ms"};
    static const int64_t unit_ms[5] = {86400000, 3600000, 60000, 1000, 1};
    const char *p = s.ptr;
    size_t n = s.len, i = 0;
    bool neg = n > 0 && p[0] == '-';
    if (neg) i++;
    uint64_t qty[5] = {0};
    int next = 0; /* the units before `next` can no longer appear */
    if (i == n) goto invalid;
    bool overflow = false;
    while (i < n) {
        size_t start = i;
        uint64_t v = 0;
        while (i < n && is_digit(p[i])) {
            if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, p[i] - '0', &v))
                overflow = true; /* reported only if the whole string is well-formed */
            i++;
        }
        if (i == start || i == n) goto invalid;
        int u;
        if (p[i] == 'm' && i + 1 < n && p[i + 1] == 's')
            u = 4;
        else if (p[i] == 'd')
            u = 0;
        else if (p[i] == 'h')
            u = 1;
        else if (p[i] == 'm')
            u = 2;
        else if (p[i] == 's')
            u = 3;
        else
            goto invalid;
        if (u < next) goto invalid;
        qty[u] = v;
        next = u + 1;
        i += strlen(units[u]);
    }
    if (overflow) goto too_big;

    /* The reference's arithmetic: the milliseconds first (negated through a
     * wider type, so -9223372036854775808ms is fine), then each larger unit
     * added or subtracted with overflow checks. */
    int64_t total;
    if (neg) {
        if (qty[4] > (uint64_t)INT64_MAX + 1) goto too_big;
        total = qty[4] == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)qty[4];
    } else {
        if (qty[4] > (uint64_t)INT64_MAX) goto too_big;
        total = (int64_t)qty[4];
    }
    for (int u = 3; u >= 0; u--) {
        int64_t part;
        if (qty[u] > (uint64_t)INT64_MAX ||
            __builtin_mul_overflow((int64_t)qty[u], unit_ms[u], &part))
            goto too_big;
        if (neg ? __builtin_sub_overflow(total, part, &total)
                : __builtin_add_overflow(total, part, &total))
            goto too_big;
    }
    *out_ms = total;
    return true;

invalid:
    if (msg)
        *msg = "invalid duration pattern (quantity-unit pairs in the order d, h, m, s, ms, with "
               "an optional leading `-`)";
    return false;
too_big:
    if (msg) *msg = "duration overflows its 64-bit millisecond representation";
    return false;
}

int64_t cd_duration_to_unit(int64_t ms, cd_extfn fn)
{
    /* Successive truncating divisions, as the reference does. */
    int64_t v = ms;
    if (fn == CD_FN_TO_MILLISECONDS) return v;
    v /= 1000;
    if (fn == CD_FN_TO_SECONDS) return v;
    v /= 60;
    if (fn == CD_FN_TO_MINUTES) return v;
    v /= 60;
    if (fn == CD_FN_TO_HOURS) return v;
    return v / 24;
}
