/* cd_schema.h: a Cedar schema after parsing and name resolution.
 *
 * Both input formats (the `.cedarschema` text in cd_schema_text.c and the
 * JSON format in cd_schema_json.c) produce this one structure. All type
 * references are resolved: common types are inlined, entity and action names
 * are fully qualified and interned, so users of the schema never resolve
 * names again.
 */
#ifndef CD_SCHEMA_H
#define CD_SCHEMA_H

#include "cd_base.h"
#include "cd_value.h"

typedef enum cd_tkind {
    CD_T_BOOL,
    CD_T_LONG,
    CD_T_STRING,
    CD_T_ENTITY, /* u.entity */
    CD_T_SET,    /* u.elem */
    CD_T_RECORD, /* u.rec */
    CD_T_EXT,    /* u.ext */
} cd_tkind;

typedef struct cd_type cd_type;

/* The most records and sets a schema type may nest, common types expanded
 * (a chain `type T0 = {x: T1}; type T1 = {x: T2}; ...` counts every link),
 * in both formats; deeper is a clean error naming the declaration, at the
 * place the limit is passed. Every recursion over schema types (printing,
 * the validator's conversion, lub and subtyping, conformance, the model's
 * bridge) relies on it to stay within a small stack: see
 * docs/architecture.md, "Limits". */
#define CD_SCHEMA_MAX_TYPE_DEPTH 100
/* The most nodes (records, sets and the types in them) a schema type may
 * expand to with common types inlined. Shared common types make a type a
 * DAG (T0 = {a: T1, b: T1}, T1 = {a: T2, b: T2}, ...) whose tree, the
 * official implementation's form, can be exponentially large: walks over it
 * (subtyping, lub, the model's bridge) are bounded by this instead. */
#define CD_SCHEMA_MAX_TYPE_SIZE 100000

typedef struct cd_attr_type {
    cd_str name;
    const cd_type *type;
    bool required; /* false for `name?: T` */
} cd_attr_type;

typedef struct cd_record_type {
    size_t n;
    const cd_attr_type *attrs; /* sorted by name, unique */
    /* JSON schema's "additionalAttributes": true; never true in the text format. */
    bool open;
} cd_record_type;

struct cd_type {
    cd_tkind kind;
    union {
        const cd_name *entity;
        const cd_type *elem;
        cd_record_type rec;
        cd_extkind ext;
    } u;
};

/* Attribute lookup in a record type; NULL when not declared. */
const cd_attr_type *cd_record_type_get(const cd_record_type *r, cd_str name);

typedef struct cd_entity_decl {
    const cd_name *name; /* fully qualified */
    size_t n_member_of;
    const cd_name *const *member_of; /* allowed parent entity types */
    cd_record_type shape;            /* attributes (empty when none) */
    const cd_type *tags;             /* tag value type; NULL: no tags allowed */
    bool is_enum;
    size_t n_enum;
    const cd_str *enum_ids; /* enumerated entity ids, in declared order */
    size_t n_enum_sorted;
    const cd_str *enum_sorted; /* the same ids sorted and unique, for lookups */
    cd_loc loc;
} cd_entity_decl;

typedef struct cd_action_decl {
    cd_uid uid; /* e.g. NS::Action::"view" */
    size_t n_member_of;
    const cd_uid *member_of; /* parent action groups (direct) */
    bool has_applies_to;     /* false: applies to no request */
    size_t n_principals;
    const cd_name *const *principals;
    size_t n_resources;
    const cd_name *const *resources;
    const cd_type *context; /* a CD_T_RECORD type (empty record when none) */
    cd_loc loc;
} cd_action_decl;

typedef struct cd_schema {
    cd_arena *arena; /* owns everything below */
    size_t n_entities;
    const cd_entity_decl *entities; /* in declaration order */
    size_t n_actions;
    const cd_action_decl *actions; /* in declaration order */
    /* lookup tables built once after parsing (private to cd_schema.c) */
    void *index;
} cd_schema;

/* Parse either format. On error return NULL with err set (file, line, column). */
cd_schema *cd_schema_parse_text(const char *text, size_t len, const char *file, cd_err *err);
cd_schema *cd_schema_parse_json(const char *text, size_t len, const char *file, cd_err *err);
void cd_schema_free(cd_schema *s);

/* Lookups (hash tables built at parse time). NULL when absent. */
const cd_entity_decl *cd_schema_entity(const cd_schema *s, const cd_name *type);
const cd_action_decl *cd_schema_action(const cd_schema *s, const cd_uid *uid);
/* Is `type` an action entity type of this schema (`Action` or `NS::Action`)? */
bool cd_schema_is_action_type(const cd_schema *s, const cd_name *type);

/* Is id one of the ids of the enumerated entity type d? (Binary search:
 * logarithmic in the number of ids.) False when d is not enumerated. */
bool cd_schema_enum_has(const cd_entity_decl *d, cd_str id);

/* Print the type in schema syntax, for messages; past about
 * CD_TYPE_PRINT_MAX bytes the rest is `...` (shared common types can make a
 * type's text exponentially long). */
#define CD_TYPE_PRINT_MAX 4096
void cd_type_print(cd_buf *b, const cd_type *t);

/* Does value v have type t? Entities are checked by type name only (not
 * existence); records must have every required attribute and no undeclared
 * one (unless open); enumerated entity types only accept their listed ids. On
 * mismatch fills msg (heap, caller frees) when msg is not NULL. */
bool cd_value_conforms(const cd_schema *s, const cd_value *v, const cd_type *t, char **msg);

#endif
