/* cd_value.h: Cedar values.
 *
 * A value is a small tagged struct passed by value. Compound payloads (set
 * elements, record fields, strings) live in some arena that outlives the
 * value: the policy set's, the entity store's, the request's or the
 * evaluation's. Values are immutable once built.
 *
 * Invariants that the rest of the engine relies on:
 *  - a set's elements are sorted by cd_value_cmp with no duplicates, so
 *    equality is element-wise and membership is a binary search;
 *  - a record's fields are sorted by key (cd_str_cmp) with unique keys.
 * Build sets and records with cd_set_make / cd_record_make, which establish them.
 */
#ifndef CD_VALUE_H
#define CD_VALUE_H

#include "cd_base.h"

typedef enum cd_vkind {
    CD_V_BOOL,
    CD_V_LONG,
    CD_V_STRING,
    CD_V_ENTITY,
    CD_V_SET,
    CD_V_RECORD,
    CD_V_EXT,
} cd_vkind;

typedef enum cd_extkind {
    CD_EXT_DECIMAL,
    CD_EXT_IPADDR,
    CD_EXT_DATETIME,
    CD_EXT_DURATION,
} cd_extkind;

/* An entity uid: interned type name and id string. */
typedef struct cd_uid {
    const cd_name *type;
    cd_str id;
    /* cd_uid_hash, cached by the code that built the uid (the entity store,
     * requests), or 0: not computed. Whoever changes type or id resets it. */
    uint64_t hash;
} cd_uid;

typedef struct cd_value cd_value;

typedef struct cd_set {
    size_t n;
    const cd_value *items; /* sorted, unique */
} cd_set;

typedef struct cd_record {
    size_t n;
    const cd_str *keys;   /* sorted, unique */
    const cd_value *vals; /* vals[i] belongs to keys[i] */
} cd_record;

/* An IP address or CIDR range. For IPv4, addr[0..3] hold the address and
 * prefix is 0..32; for IPv6, addr[0..15] and prefix 0..128. The address is
 * stored as written (host bits are kept), as Cedar does. */
typedef struct cd_ipaddr {
    bool v6;
    uint8_t prefix;
    uint8_t addr[16];
} cd_ipaddr;

typedef struct cd_ext {
    cd_extkind kind;
    union {
        int64_t decimal; /* value * 10^4 */
        cd_ipaddr ip;
        int64_t datetime_ms; /* milliseconds since the Unix epoch, UTC */
        int64_t duration_ms; /* milliseconds */
    } u;
} cd_ext;

struct cd_value {
    cd_vkind kind;
    union {
        bool b;
        int64_t l;
        cd_str s;
        cd_uid uid;
        cd_set set;
        cd_record rec;
        cd_ext ext;
    } u;
};

/* ---- constructors ------------------------------------------------------ */

static inline cd_value cd_bool(bool b)
{
    cd_value v = {.kind = CD_V_BOOL};
    v.u.b = b;
    return v;
}
static inline cd_value cd_long(int64_t l)
{
    cd_value v = {.kind = CD_V_LONG};
    v.u.l = l;
    return v;
}
static inline cd_value cd_string(cd_str s)
{
    cd_value v = {.kind = CD_V_STRING};
    v.u.s = s;
    return v;
}
static inline cd_value cd_entityv(cd_uid uid)
{
    cd_value v = {.kind = CD_V_ENTITY};
    v.u.uid = uid;
    return v;
}
static inline cd_value cd_extv(cd_ext e)
{
    cd_value v = {.kind = CD_V_EXT};
    v.u.ext = e;
    return v;
}

/* Sort and deduplicate items[0..n) in place, then wrap them (no copy). */
cd_value cd_set_make(cd_value *items, size_t n);
/* Sort keys/vals in place by key and wrap them (no copy). Returns false if a
 * key occurs twice (*dup, if not NULL, receives it); the caller reports that. */
bool cd_record_make(cd_str *keys, cd_value *vals, size_t n, cd_value *out, cd_str *dup);

/* ---- comparison -------------------------------------------------------- */

bool cd_uid_eq(const cd_uid *a, const cd_uid *b);
int cd_uid_cmp(const cd_uid *a, const cd_uid *b);
uint64_t cd_uid_hash(const cd_uid *u);

/* Cedar's `==`: structural equality; values of different kinds are unequal. */
bool cd_value_eq(const cd_value *a, const cd_value *b);
/* A total order on values (kind first, then contents) used to keep sets sorted.
 * It is an implementation order, not Cedar's `<`. */
int cd_value_cmp(const cd_value *a, const cd_value *b);
uint64_t cd_value_hash(const cd_value *v);

bool cd_set_contains(const cd_set *s, const cd_value *v);
/* Every element of sub is in super. */
bool cd_set_subset(const cd_set *sub, const cd_set *super);
bool cd_set_intersects(const cd_set *a, const cd_set *b);
/* Field lookup by key; NULL when absent. */
const cd_value *cd_record_get(const cd_record *r, cd_str key);

/* ---- printing ---------------------------------------------------------- */

/* Cedar syntax: 1, "a\"b", User::"x", [1, 2], {"a": 1}, decimal("1.0000"),
 * ip("10.0.0.0/8"), datetime("..."), duration("..."). Strings escaped as Cedar does. */
void cd_value_print(cd_buf *b, const cd_value *v);
void cd_uid_print(cd_buf *b, const cd_uid *u);
/* A string literal with Cedar escaping, including the quotes. */
void cd_print_quoted(cd_buf *b, cd_str s);
const char *cd_vkind_name(cd_vkind k);             /* "bool", "long", ... for messages */
const char *cd_value_type_name(const cd_value *v); /* like cd_vkind_name, ext types by name */

#endif
