/* cd_vtype.h: the validator's types (cd_validate_type.c), built from the
 * schema's resolved types (cd_type, cd_schema.h) by cd_validate_schema.c.
 *
 * Types (cd_vtype) are the official typechecker's `Type` (types.rs):
 *
 *   Never                      the bottom type (element type of `[]`)
 *   Bool | True | False        booleans; True/False are the singleton types
 *                              that make short-circuiting and impossible
 *                              policies visible
 *   Long | String
 *   Entity{E1, ..., En}        an entity of one of these types (an entity
 *                              "least upper bound"; n > 1 only in permissive
 *                              mode); attributes are looked up in the schema
 *   AnyEntity                  any entity (unlinked template slots)
 *   Set<T>                     T == NULL only in expected types: any set
 *   Record{a: T, b?: T, ...}   attributes sorted by name; `open` when values
 *                              may have attributes that are not listed
 *   decimal | ipaddr | datetime | duration
 */
#ifndef CD_VTYPE_H
#define CD_VTYPE_H

#include "cd_base.h"
#include "cd_value.h"

typedef enum cd_vtkind {
    CD_VT_NEVER,
    CD_VT_BOOL,
    CD_VT_TRUE,
    CD_VT_FALSE,
    CD_VT_LONG,
    CD_VT_STRING,
    CD_VT_ENTITY,     /* u.lub */
    CD_VT_ANY_ENTITY, /* */
    CD_VT_SET,        /* u.elem (NULL: any set) */
    CD_VT_RECORD,     /* u.rec */
    CD_VT_EXT,        /* u.ext */
} cd_vtkind;

typedef struct cd_vtype cd_vtype;

typedef struct cd_vattr {
    cd_str name;
    const cd_vtype *type;
    bool required;
} cd_vattr;

/* A set of entity types: sorted by name text (as the official BTreeSet), unique, n >= 1. */
typedef struct cd_vlub {
    size_t n;
    const cd_name *const *names;
} cd_vlub;

typedef struct cd_vrec {
    size_t n;
    const cd_vattr *attrs; /* sorted by name (cd_str_cmp), unique */
    bool open;
} cd_vrec;

struct cd_vtype {
    cd_vtkind kind;
    union {
        cd_vlub lub;
        const cd_vtype *elem;
        cd_vrec rec;
        cd_extkind ext;
    } u;
};

extern const cd_vtype cd_vt_never, cd_vt_bool, cd_vt_true, cd_vt_false, cd_vt_long, cd_vt_string,
    cd_vt_any_entity, cd_vt_any_set, cd_vt_any_record;

const cd_vtype *cd_vt_ext(cd_extkind k);
const cd_vtype *cd_vt_entity(cd_arena *a, const cd_name *n);
const cd_vtype *cd_vt_set(cd_arena *a, const cd_vtype *elem);
/* A record type from attributes in any order with unique names (copied and sorted). */
const cd_vtype *cd_vt_record(cd_arena *a, cd_vattr *attrs, size_t n, bool open);
static inline const cd_vtype *cd_vt_singleton(bool b)
{
    return b ? &cd_vt_true : &cd_vt_false;
}
static inline bool cd_vt_is_bool(const cd_vtype *t, cd_vtkind k)
{
    return t && t->kind == k;
}

/* Why a least upper bound does not exist (the official LubHelp). */
typedef enum cd_lub_why {
    CD_LUB_NONE,           /* types must be exactly equal */
    CD_LUB_ATTR_QUALIFIER, /* required vs optional attribute (strict) */
    CD_LUB_RECORD_WIDTH,   /* different attribute names (strict) */
    CD_LUB_ENTITY_TYPE,    /* different entity types (strict) */
    CD_LUB_ENTITY_RECORD,  /* an entity and a record */
} cd_lub_why;

const char *cd_vt_lub_why_text(cd_lub_why w);

bool cd_vt_subtype(const cd_vtype *a, const cd_vtype *b, bool strict);
/* The least upper bound, or NULL with *why set. */
const cd_vtype *cd_vt_lub(cd_arena *ar, const cd_vtype *a, const cd_vtype *b, bool strict,
                          cd_lub_why *why);
/* Attribute-map lub keeping only the attributes both have whose types have a
 * (permissive) lub; used for the attributes of an entity union. */
cd_vrec cd_vt_rec_permissive_lub(cd_arena *ar, cd_vrec a, cd_vrec b);
/* Structural equality. */
bool cd_vt_eq(const cd_vtype *a, const cd_vtype *b);
bool cd_vt_lub_eq(const cd_vlub *a, const cd_vlub *b);
bool cd_vt_lub_has(const cd_vlub *l, const cd_name *n);
/* Two entity unions without a common type: `==` between them is false. */
bool cd_vt_disjoint(const cd_vtype *a, const cd_vtype *b);
const cd_vattr *cd_vt_rec_get(const cd_vrec *r, cd_str name);
/* Schema-like text: Bool, Set<Long>, {a: Long, b?: String}, User, ... */
void cd_vt_print(cd_buf *b, const cd_vtype *t);

#endif
