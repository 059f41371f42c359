/* cd_ext_impl.h: helpers shared by the extension-type files (cd_ext*.c);
 * private to them. */
#ifndef CD_EXT_IMPL_H
#define CD_EXT_IMPL_H

#include "cd_ext.h"

/* decimal: "-12.3400" (always four fractional digits) */
void cd_decimal_format(cd_buf *b, int64_t v);

/* ipaddr */
void cd_ip_format(cd_buf *b, const cd_ipaddr *ip);
/* a's range lies within range's (same IP version required). */
bool cd_ip_in_range(const cd_ipaddr *a, const cd_ipaddr *range);
bool cd_ip_is_loopback(const cd_ipaddr *ip);
bool cd_ip_is_multicast(const cd_ipaddr *ip);

/* datetime: like cd_datetime_format, but any year is written (as a signed
 * number, which the constructor will not accept outside 0000..9999). */
void cd_datetime_format_any(cd_buf *b, int64_t ms);
/* datetime: midnight (UTC) of the day; false on int64 overflow. */
bool cd_datetime_to_date(int64_t ms, int64_t *out);
/* datetime: milliseconds since midnight (UTC), in [0, 86400000). */
int64_t cd_datetime_to_time(int64_t ms);
/* duration: toMilliseconds/toSeconds/.../toDays, truncating toward zero. */
int64_t cd_duration_to_unit(int64_t ms, cd_extfn fn);

#endif
