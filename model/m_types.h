/* m_types.h: the reference model's types, schemas and validator.
 *
 * Cedar's validator written for reading (cedar-lean Validation/Types.lean,
 * Subtyping.lean, Typechecker.lean, Validator.lean), following the Rust
 * validator (cedar-policy-core src/validator: typecheck.rs, types.rs,
 * rbac.rs) where the two differ, since Rust produced the expectations:
 *  - types are Rust's: besides Lean's, a bottom type (the elements of an
 *    empty set in permissive mode), unions of entity types and "any entity",
 *    and records that may be open (permissive mode and "additionalAttributes");
 *  - permissive mode (Lean has only strict mode);
 *  - a policy that is false in every environment is valid (Rust warns); one
 *    whose scope matches no request environment is not (Rust's "invalid
 *    action application").
 */
#ifndef CEDAR_MODEL_TYPES_H
#define CEDAR_MODEL_TYPES_H

#include "model.h"

typedef enum m_bty { M_ANY_BOOL, M_TT, M_FF } m_bty;

typedef enum m_tkind {
    M_T_NEVER, /* bottom: a subtype of every type */
    M_T_BOOL,
    M_T_LONG,
    M_T_STRING,
    M_T_ENTITY,
    M_T_SET,
    M_T_RECORD,
    M_T_EXT,
} m_tkind;

typedef struct m_type m_type;

typedef struct m_attr_type {
    m_str name;
    const m_type *type;
    bool required;
} m_attr_type;

struct m_type {
    m_tkind kind;
    union {
        m_bty b;
        struct {
            bool any; /* AnyEntity (permissive mode) */
            size_t n;
            const m_str *names; /* a union of entity types, sorted, unique, n >= 1 */
        } ent;
        const m_type *elem; /* a set's element type */
        struct {
            bool open; /* may have attributes beyond these */
            size_t n;
            const m_attr_type *attrs; /* unique names */
        } rec;
        m_vkind ext; /* M_V_DECIMAL, M_V_IPADDR, M_V_DATETIME or M_V_DURATION */
    } u;
};

/* ---- schemas (Types.lean: EntitySchema, ActionSchema) ------------------- */

typedef struct m_entity_type {
    m_str name;
    size_t n_parents;
    const m_str *parents; /* memberOf: the entity types its parents may have */
    m_type attrs;         /* a record type */
    const m_type *tags;   /* NULL: no tags */
    bool is_enum;
    size_t n_eids;
    const m_str *eids; /* an enumerated type's entity ids */
} m_entity_type;

typedef struct m_action_type {
    m_uid uid;
    size_t n_parents;
    const m_uid *parents; /* direct parent action groups */
    size_t n_principals, n_resources;
    const m_str *principals, *resources; /* appliesTo */
    m_type context;                      /* a record type */
} m_action_type;

typedef struct m_schema {
    size_t n_types;
    const m_entity_type *types;
    size_t n_actions;
    const m_action_type *actions;
} m_schema;

/* ---- subtyping and least upper bounds (Subtyping.lean, types.rs) -------- */

typedef enum m_mode { M_STRICT, M_PERMISSIVE } m_mode;

bool m_type_eq(const m_type *a, const m_type *b);
bool m_subtype(const m_type *a, const m_type *b, m_mode mode);
/* The least upper bound, or NULL when there is none. */
const m_type *m_lub(m_arena *ar, const m_type *a, const m_type *b, m_mode mode);

/* ---- the validator (Validator.lean, validator.rs) ----------------------- */

typedef enum m_tc_error {
    M_TC_OK,
    M_TC_UNKNOWN_ENTITY,   /* an entity type, action or enumerated id the schema lacks */
    M_TC_IMPOSSIBLE_SCOPE, /* the scope matches no request environment */
    M_TC_UNEXPECTED_TYPE,
    M_TC_LUB,            /* incompatible types (if, ==, contains, sets, tags) */
    M_TC_ATTR_NOT_FOUND, /* an attribute that is absent or not known to be present */
    M_TC_TAG_NOT_FOUND,
    M_TC_EXTENSION, /* wrong arity, an invalid or (strict) non-literal constructor argument */
    M_TC_EMPTY_SET, /* strict mode */
} m_tc_error;

const char *m_tc_error_name(m_tc_error e);

typedef struct m_tc_result {
    m_tc_error err;  /* the first error found, M_TC_OK when valid */
    bool impossible; /* valid, but false in every request environment (a warning) */
} m_tc_result;

/* Validate one policy (its condition has the shape of model.h's m_policy:
 * principal scope && (action scope && (resource scope && conditions))). */
m_tc_result m_validate_policy(const m_schema *s, const m_policy *p, m_mode mode, m_arena *a);

#endif
