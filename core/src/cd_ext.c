/* cd_ext.c: the table of extension functions and their application to
 * evaluated arguments.
 *
 * Names, call styles and arities are those of the official implementation
 * (isInRange takes exactly one range: the variadic form is an experimental,
 * non-default feature there). Messages follow its wording but leave out the
 * function name, which the evaluator adds: type errors read "expected <type>,
 * got <type>" (with a hint when a string was given where an extension value
 * was expected); failures read e.g. `invalid decimal "1.2.3": <reason>` or
 * "overflows when adding an offset: ...".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "cd_ext.h"
#include "cd_ext_impl.h"

static const cd_extfn_info fn_table[CD_FN__COUNT] = {
    [CD_FN_DECIMAL] = {"decimal", false, 1},
    [CD_FN_IP] = {"ip", false, 1},
    [CD_FN_DATETIME] = {"datetime", false, 1},
    [CD_FN_DURATION] = {"duration", false, 1},
    [CD_FN_LESS_THAN] = {"lessThan", true, 2},
    [CD_FN_LESS_THAN_OR_EQUAL] = {"lessThanOrEqual", true, 2},
    [CD_FN_GREATER_THAN] = {"greaterThan", true, 2},
    [CD_FN_GREATER_THAN_OR_EQUAL] = {"greaterThanOrEqual", true, 2},
    [CD_FN_IS_IPV4] = {"isIpv4", true, 1},
    [CD_FN_IS_IPV6] = {"isIpv6", true, 1},
    [CD_FN_IS_LOOPBACK] = {"isLoopback", true, 1},
    [CD_FN_IS_MULTICAST] = {"isMulticast", true, 1},
    [CD_FN_IS_IN_RANGE] = {"isInRange", true, 2},
    [CD_FN_OFFSET] = {"offset", true, 2},
    [CD_FN_DURATION_SINCE] = {"durationSince", true, 2},
    [CD_FN_TO_DATE] = {"toDate", true, 1},
    [CD_FN_TO_TIME] = {"toTime", true, 1},
    [CD_FN_TO_DAYS] = {"toDays", true, 1},
    [CD_FN_TO_HOURS] = {"toHours", true, 1},
    [CD_FN_TO_MINUTES] = {"toMinutes", true, 1},
    [CD_FN_TO_SECONDS] = {"toSeconds", true, 1},
    [CD_FN_TO_MILLISECONDS] = {"toMilliseconds", true, 1},
};

const cd_extfn_info *cd_extfn_get(cd_extfn fn)
{
    return (unsigned)fn < CD_FN__COUNT ? &fn_table[fn] : NULL;
}

bool cd_extfn_lookup(cd_str name, bool is_method, cd_extfn *out)
{
    for (int i = 0; i < CD_FN__COUNT; i++) {
        if (cd_str_eq_c(name, fn_table[i].name)) {
            /* `"1.0".decimal()` and `lessThan(a, b)` are not calls of these. */
            if (fn_table[i].is_method != is_method) return false;
            *out = (cd_extfn)i;
            return true;
        }
    }
    return false;
}

const char *cd_extkind_name(cd_extkind k)
{
    switch (k) {
    case CD_EXT_DECIMAL: return "decimal";
    case CD_EXT_IPADDR: return "ipaddr";
    case CD_EXT_DATETIME: return "datetime";
    case CD_EXT_DURATION: return "duration";
    }
    return "extension";
}

const char *cd_extkind_ctor(cd_extkind k)
{
    return k == CD_EXT_IPADDR ? "ip" : cd_extkind_name(k);
}

void cd_ext_print_arg(cd_buf *b, const cd_ext *e)
{
    switch (e->kind) {
    case CD_EXT_DECIMAL: cd_decimal_format(b, e->u.decimal); return;
    case CD_EXT_IPADDR: cd_ip_format(b, &e->u.ip); return;
    case CD_EXT_DATETIME: cd_datetime_format_any(b, e->u.datetime_ms); return;
    case CD_EXT_DURATION: cd_buf_printf(b, "%" PRId64 "ms", e->u.duration_ms); return;
    }
}

/* ---- application ----------------------------------------------------------- */

/* An arena-allocated message, or the fallback when there is no arena. */
static const char *message(cd_arena *arena, const char *fallback, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static const char *message(cd_arena *arena, const char *fallback, const char *fmt, ...)
{
    if (!arena) return fallback;
    va_list ap;
    va_start(ap, fmt);
    const char *m = cd_arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return m;
}

/* The type of a value as Cedar's messages name it. */
static const char *type_desc(const cd_value *v, cd_arena *arena)
{
    if (v->kind == CD_V_ENTITY && arena)
        return cd_arena_printf(arena, "(entity of type `%s`)", v->u.uid.type->text);
    return cd_value_type_name(v);
}

static cd_ext_status type_error(const char *expected, const char *ctor, const cd_value *got,
                                cd_arena *arena, const char **msg)
{
    const char *got_desc = type_desc(got, arena);
    if (ctor && got->kind == CD_V_STRING)
        *msg = message(arena, "type error",
                       "expected %s, got %s (maybe you forgot to apply the `%s` constructor?)",
                       expected, got_desc, ctor);
    else
        *msg = message(arena, "type error", "expected %s, got %s", expected, got_desc);
    return CD_EXT_TYPE_ERROR;
}

/* Checks that v is an extension value of kind k, else reports a type error. */
static bool want_ext(const cd_value *v, cd_extkind k, cd_arena *arena, const char **msg)
{
    if (v->kind == CD_V_EXT && v->u.ext.kind == k) return true;
    type_error(cd_extkind_name(k), cd_extkind_ctor(k), v, arena, msg);
    return false;
}

static cd_ext_status ext_error(const char *what, const char **msg)
{
    *msg = what;
    return CD_EXT_ERROR;
}

static cd_ext_status construct(cd_extfn fn, cd_str s, cd_value *out, cd_arena *arena,
                               const char **msg)
{
    cd_ext e = {0};
    const char *why = NULL;
    bool ok;
    switch (fn) {
    case CD_FN_DECIMAL:
        e.kind = CD_EXT_DECIMAL;
        ok = cd_decimal_parse(s, &e.u.decimal, &why);
        break;
    case CD_FN_IP:
        e.kind = CD_EXT_IPADDR;
        ok = cd_ip_parse(s, &e.u.ip, &why);
        break;
    case CD_FN_DATETIME:
        e.kind = CD_EXT_DATETIME;
        ok = cd_datetime_parse(s, &e.u.datetime_ms, &why);
        break;
    default:
        e.kind = CD_EXT_DURATION;
        ok = cd_duration_parse(s, &e.u.duration_ms, &why);
        break;
    }
    if (ok) {
        *out = cd_extv(e);
        return CD_EXT_OK;
    }
    const char *what = why;
    if (arena) {
        cd_buf b;
        cd_buf_init(&b);
        cd_buf_printf(&b, "invalid %s ", cd_extkind_name(e.kind));
        cd_print_quoted(&b, s);
        cd_buf_printf(&b, ": %s", why);
        what = cd_arena_str(arena, b.data, b.len).ptr;
        cd_buf_free(&b);
    }
    return ext_error(what, msg);
}

/* "<a> and <b>" style rendering of values for overflow messages. */
static const char *show(const cd_value *v, cd_arena *arena)
{
    if (!arena) return "value";
    cd_buf b;
    cd_buf_init(&b);
    cd_value_print(&b, v);
    const char *s = cd_arena_str(arena, b.data, b.len).ptr;
    cd_buf_free(&b);
    return s;
}

cd_ext_status cd_ext_call(cd_extfn fn, const cd_value *args, size_t argc, cd_value *out,
                          cd_arena *arena, const char **msg)
{
    const char *dummy;
    if (!msg) msg = &dummy;
    const cd_extfn_info *info = cd_extfn_get(fn);
    if (!info) {
        *msg = "unknown extension function";
        return CD_EXT_TYPE_ERROR;
    }
    if (argc != (size_t)info->arity) {
        *msg = message(arena, "wrong number of arguments provided to extension function",
                       "wrong number of arguments provided to extension function `%s`: "
                       "expected %d, got %zu",
                       info->name, info->arity, argc);
        return CD_EXT_TYPE_ERROR;
    }
    const cd_value *a = &args[0], *b = argc > 1 ? &args[1] : NULL;
    switch (fn) {
    case CD_FN_DECIMAL:
    case CD_FN_IP:
    case CD_FN_DATETIME:
    case CD_FN_DURATION:
        if (a->kind != CD_V_STRING) return type_error("string", NULL, a, arena, msg);
        return construct(fn, a->u.s, out, arena, msg);

    case CD_FN_LESS_THAN:
    case CD_FN_LESS_THAN_OR_EQUAL:
    case CD_FN_GREATER_THAN:
    case CD_FN_GREATER_THAN_OR_EQUAL: {
        if (!want_ext(a, CD_EXT_DECIMAL, arena, msg) || !want_ext(b, CD_EXT_DECIMAL, arena, msg))
            return CD_EXT_TYPE_ERROR;
        int64_t x = a->u.ext.u.decimal, y = b->u.ext.u.decimal;
        bool r = fn == CD_FN_LESS_THAN            ? x < y
                 : fn == CD_FN_LESS_THAN_OR_EQUAL ? x <= y
                 : fn == CD_FN_GREATER_THAN       ? x > y
                                                  : x >= y;
        *out = cd_bool(r);
        return CD_EXT_OK;
    }

    case CD_FN_IS_IPV4:
    case CD_FN_IS_IPV6:
    case CD_FN_IS_LOOPBACK:
    case CD_FN_IS_MULTICAST: {
        if (!want_ext(a, CD_EXT_IPADDR, arena, msg)) return CD_EXT_TYPE_ERROR;
        const cd_ipaddr *ip = &a->u.ext.u.ip;
        bool r = fn == CD_FN_IS_IPV4       ? !ip->v6
                 : fn == CD_FN_IS_IPV6     ? ip->v6
                 : fn == CD_FN_IS_LOOPBACK ? cd_ip_is_loopback(ip)
                                           : cd_ip_is_multicast(ip);
        *out = cd_bool(r);
        return CD_EXT_OK;
    }
    case CD_FN_IS_IN_RANGE:
        if (!want_ext(a, CD_EXT_IPADDR, arena, msg) || !want_ext(b, CD_EXT_IPADDR, arena, msg))
            return CD_EXT_TYPE_ERROR;
        *out = cd_bool(cd_ip_in_range(&a->u.ext.u.ip, &b->u.ext.u.ip));
        return CD_EXT_OK;

    case CD_FN_OFFSET: {
        if (!want_ext(a, CD_EXT_DATETIME, arena, msg) || !want_ext(b, CD_EXT_DURATION, arena, msg))
            return CD_EXT_TYPE_ERROR;
        cd_ext e = {.kind = CD_EXT_DATETIME};
        if (__builtin_add_overflow(a->u.ext.u.datetime_ms, b->u.ext.u.duration_ms,
                                   &e.u.datetime_ms)) {
            const char *what =
                message(arena, "overflow", "overflows when adding an offset: %s+(%s)",
                        show(a, arena), show(b, arena));
            return ext_error(what, msg);
        }
        *out = cd_extv(e);
        return CD_EXT_OK;
    }
    case CD_FN_DURATION_SINCE: {
        if (!want_ext(a, CD_EXT_DATETIME, arena, msg) || !want_ext(b, CD_EXT_DATETIME, arena, msg))
            return CD_EXT_TYPE_ERROR;
        cd_ext e = {.kind = CD_EXT_DURATION};
        if (__builtin_sub_overflow(a->u.ext.u.datetime_ms, b->u.ext.u.datetime_ms,
                                   &e.u.duration_ms)) {
            const char *what = message(arena, "overflow",
                                       "overflows when computing the duration between %s and %s",
                                       show(a, arena), show(b, arena));
            return ext_error(what, msg);
        }
        *out = cd_extv(e);
        return CD_EXT_OK;
    }
    case CD_FN_TO_DATE: {
        if (!want_ext(a, CD_EXT_DATETIME, arena, msg)) return CD_EXT_TYPE_ERROR;
        cd_ext e = {.kind = CD_EXT_DATETIME};
        if (!cd_datetime_to_date(a->u.ext.u.datetime_ms, &e.u.datetime_ms)) {
            const char *what = message(arena, "overflow", "overflows when computing the date of %s",
                                       show(a, arena));
            return ext_error(what, msg);
        }
        *out = cd_extv(e);
        return CD_EXT_OK;
    }
    case CD_FN_TO_TIME: {
        if (!want_ext(a, CD_EXT_DATETIME, arena, msg)) return CD_EXT_TYPE_ERROR;
        cd_ext e = {.kind = CD_EXT_DURATION};
        e.u.duration_ms = cd_datetime_to_time(a->u.ext.u.datetime_ms);
        *out = cd_extv(e);
        return CD_EXT_OK;
    }
    case CD_FN_TO_DAYS:
    case CD_FN_TO_HOURS:
    case CD_FN_TO_MINUTES:
    case CD_FN_TO_SECONDS:
    case CD_FN_TO_MILLISECONDS:
        if (!want_ext(a, CD_EXT_DURATION, arena, msg)) return CD_EXT_TYPE_ERROR;
        *out = cd_long(cd_duration_to_unit(a->u.ext.u.duration_ms, fn));
        return CD_EXT_OK;

    case CD_FN__COUNT: break;
    }
    *msg = "unknown extension function";
    return CD_EXT_TYPE_ERROR;
}
