/* cd_ext.h: Cedar's extension types and functions (decimal, ipaddr,
 * datetime, duration).
 *
 * Each constructor parses its string argument exactly as the official
 * implementation does and fails with a message otherwise. The functions are
 * identified by cd_extfn; cd_ext_call applies one to already-evaluated
 * arguments and is what the evaluator uses.
 */
#ifndef CD_EXT_H
#define CD_EXT_H

#include "cd_value.h"

typedef enum cd_extfn {
    /* constructors: f(string) */
    CD_FN_DECIMAL,
    CD_FN_IP,
    CD_FN_DATETIME,
    CD_FN_DURATION,
    /* decimal methods */
    CD_FN_LESS_THAN,
    CD_FN_LESS_THAN_OR_EQUAL,
    CD_FN_GREATER_THAN,
    CD_FN_GREATER_THAN_OR_EQUAL,
    /* ipaddr methods */
    CD_FN_IS_IPV4,
    CD_FN_IS_IPV6,
    CD_FN_IS_LOOPBACK,
    CD_FN_IS_MULTICAST,
    CD_FN_IS_IN_RANGE,
    /* datetime / duration methods */
    CD_FN_OFFSET,
    CD_FN_DURATION_SINCE,
    CD_FN_TO_DATE,
    CD_FN_TO_TIME,
    CD_FN_TO_DAYS,
    CD_FN_TO_HOURS,
    CD_FN_TO_MINUTES,
    CD_FN_TO_SECONDS,
    CD_FN_TO_MILLISECONDS,
    CD_FN__COUNT,
    /* A call of a function no extension has, read from policy JSON's `__extn`
     * escape (CD_X_CALL's u.call.name): it prints, but evaluating it is an
     * error and the validator rejects it. cd_extfn_get gives NULL. */
    CD_FN_UNKNOWN = CD_FN__COUNT
} cd_extfn;

typedef struct cd_extfn_info {
    const char *name; /* as written in Cedar: "decimal", "lessThan", ... */
    bool is_method;   /* called as receiver.name(args) */
    int arity;        /* total argument count including the receiver */
} cd_extfn_info;

const cd_extfn_info *cd_extfn_get(cd_extfn fn);
/* Look up by name; is_method selects between function and method syntax.
 * Returns false when there is no such extension function. */
bool cd_extfn_lookup(cd_str name, bool is_method, cd_extfn *out);

/* Parsers for the constructor strings. On failure return false and, if msg is
 * not NULL, set *msg to a static description of what is wrong. */
bool cd_decimal_parse(cd_str s, int64_t *out, const char **msg);
bool cd_ip_parse(cd_str s, cd_ipaddr *out, const char **msg);
bool cd_datetime_parse(cd_str s, int64_t *out_ms, const char **msg);
bool cd_duration_parse(cd_str s, int64_t *out_ms, const char **msg);

/* Canonical text of an extension value as it would be passed to its
 * constructor (used by printing and by JSON output). */
void cd_ext_print_arg(cd_buf *b, const cd_ext *e);
/* (added) The datetime string for an instant: "YYYY-MM-DD" at midnight UTC,
 * else "YYYY-MM-DDThh:mm:ss[.SSS]Z". Returns false, writing nothing, when the
 * year is outside 0000..9999 (reachable through offset()), as no datetime
 * string denotes such an instant; cd_ext_print_arg then writes an ISO-like
 * text with an out-of-range year, which the constructor rejects. */
bool cd_datetime_format(cd_buf *b, int64_t ms);
const char *cd_extkind_name(cd_extkind k); /* "decimal", "ipaddr", "datetime", "duration" */
/* The constructor name for a kind: "decimal", "ip", "datetime", "duration". */
const char *cd_extkind_ctor(cd_extkind k);

typedef enum cd_ext_status {
    CD_EXT_OK,
    CD_EXT_TYPE_ERROR, /* an argument has the wrong type */
    CD_EXT_ERROR,      /* the function itself failed (bad string, overflow, ...) */
} cd_ext_status;

/* Apply fn to args (receiver first for methods; argc must equal the arity).
 * On failure fills *msg (arena-allocated or static) and returns the status. */
cd_ext_status cd_ext_call(cd_extfn fn, const cd_value *args, size_t argc, cd_value *out,
                          cd_arena *arena, const char **msg);

#endif
