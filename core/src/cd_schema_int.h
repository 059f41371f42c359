/* cd_schema_int.h: private to the schema parsers (cd_schema_text.c,
 * cd_schema_json.c) and the resolver (cd_schema.c).
 *
 * Both input formats are first turned into the "raw" schema below, which
 * mirrors the official JSON schema structure: type references are still names
 * exactly as written, common types are not inlined, and nothing has been
 * checked beyond syntax. cd_schema_resolve then performs what the official
 * implementation does when building a validator schema: name resolution,
 * duplicate and shadowing checks, common-type inlining and cycle detection,
 * and the action hierarchy checks.
 */
#ifndef CD_SCHEMA_INT_H
#define CD_SCHEMA_INT_H

#include "cd_schema.h"

/* serde_json, which reads JSON schemas in the official implementation, gives
 * up at 128 nested arrays/objects; we reject the same documents. */
#define CD_SCHEMA_MAX_JSON_DEPTH 128

/* A step of a path into a JSON document (a key, or an array index). */
typedef struct cd_jpath cd_jpath;
struct cd_jpath {
    const cd_jpath *up;
    cd_str key; /* when !is_index */
    bool is_index;
    size_t index;
};

/* Where a raw item comes from: a byte offset into the text, and for the
 * JSON format also the path to the value (shown in messages). */
typedef struct cd_src {
    uint32_t off;
    const cd_jpath *jp;
} cd_src;

typedef enum cd_rtkind {
    CD_RT_BOOL,
    CD_RT_LONG,
    CD_RT_STRING,
    CD_RT_SET,
    CD_RT_RECORD,
    CD_RT_ENTITY, /* must name an entity type (JSON "Entity") */
    CD_RT_EXT,    /* JSON "Extension": name is the extension type */
    CD_RT_COMMON, /* must name a common type (JSON {"type": "X"}, text context) */
    CD_RT_EOC,    /* entity or common type (text paths, JSON "EntityOrCommon") */
} cd_rtkind;

typedef struct cd_rtype cd_rtype;

/* An annotation `@key("value")` (JSON: "key": "value" or null). Kept for
 * printing the schema back (cd_schema_print*.c); the resolver ignores them. */
typedef struct cd_ranno {
    cd_str key;
    bool has_value; /* false: `@key` in JSON as null */
    cd_str value;
} cd_ranno;

/* The annotations of one item, sorted by key (keys are unique). */
typedef struct cd_rannos {
    size_t n;
    const cd_ranno *v;
} cd_rannos;

typedef struct cd_rattr {
    cd_str name;
    const cd_rtype *type;
    bool required;
    cd_rannos annos;
} cd_rattr;

struct cd_rtype {
    cd_rtkind kind;
    cd_src src;
    const cd_rtype *elem; /* SET */
    size_t n_attrs;       /* RECORD, in written order (duplicates: last wins) */
    const cd_rattr *attrs;
    bool open;   /* RECORD: "additionalAttributes": true */
    cd_str name; /* ENTITY, COMMON, EOC: the name as written; EXT: extension name */
};

/* A reference to an entity type in memberOfTypes / principal / resource. */
typedef struct cd_rname {
    cd_str name;
    cd_src src;
} cd_rname;

typedef struct cd_rentity {
    size_t ns; /* index into cd_rschema.nss */
    cd_str name;
    cd_src src;
    size_t n_member_of;
    const cd_rname *member_of;
    const cd_rtype *shape; /* NULL: empty record */
    const cd_rtype *tags;  /* NULL: no tags */
    bool is_enum;
    size_t n_enum;
    const cd_str *enum_ids;
    cd_rannos annos;
} cd_rentity;

/* A parent action: `type` (when has_type) as written, and the id. */
typedef struct cd_rparent {
    bool has_type;
    cd_str type;
    cd_str id;
    cd_src src;
} cd_rparent;

typedef struct cd_raction {
    size_t ns;
    cd_str name;
    cd_src src;
    bool has_member_of; /* false: no `in` (JSON: no "memberOf", or null) */
    size_t n_member_of;
    const cd_rparent *member_of;
    bool has_applies_to;
    size_t n_principals;
    const cd_rname *principals;
    size_t n_resources;
    const cd_rname *resources;
    const cd_rtype *context; /* NULL: empty record */
    cd_rannos annos;
} cd_raction;

typedef struct cd_rcommon {
    size_t ns;
    cd_str name;
    cd_src src;
    const cd_rtype *type;
    cd_rannos annos;
} cd_rcommon;

typedef struct cd_rns {
    bool has_name; /* false: the empty namespace */
    cd_str name;   /* "A::B" */
    cd_src src;
    cd_rannos annos;
} cd_rns;

/* The whole raw schema. Declarations of all namespaces are kept in flat
 * vectors in declaration order (the order of the output). */
typedef struct cd_rschema {
    cd_arena *arena; /* scratch: owns the raw schema, freed after resolution */
    const char *text;
    size_t len;
    const char *file;
    cd_vec nss;      /* cd_rns */
    cd_vec entities; /* cd_rentity */
    cd_vec actions;  /* cd_raction */
    cd_vec commons;  /* cd_rcommon */
} cd_rschema;

void cd_rschema_init(cd_rschema *rs, const char *text, size_t len, const char *file);
/* Frees the vectors and the scratch arena (with the JSON document). */
void cd_rschema_free(cd_rschema *rs);

/* Parse into the raw schema only (no resolution): syntax and the checks of
 * each format's reader. rs from cd_rschema_init; false with err set. */
bool cd_rschema_parse_text(cd_rschema *rs, cd_err *err);
bool cd_rschema_parse_json(cd_rschema *rs, cd_err *err);

/* Resolve and check a raw schema; returns the finished schema or NULL with
 * err set. Does not free rs. */
cd_schema *cd_schema_resolve(const cd_rschema *rs, cd_err *err);

/* Report an error at src (line and column of src.off; for JSON the path to
 * the value is added to the message). Always returns false. */
bool cd_schema_err(const cd_rschema *rs, cd_err *err, cd_src src, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Append the path as `NS.entityTypes.User.shape`. */
void cd_schema_json_path_print(cd_buf *b, const cd_jpath *jp);

/* ---- names --------------------------------------------------------------- */

/* [_a-zA-Z][_a-zA-Z0-9]* */
/* The identifiers Cedar reserves: true false if then else in is like has. */
bool cd_schema_is_reserved_word(cd_str s);
bool cd_schema_is_cedar_ns(cd_str s); /* `__cedar` */
/* A name `A::B::c` whose components are identifiers and not reserved words
 * (`__cedar` allowed when allow_cedar, as in type references). */
bool cd_schema_is_name(cd_str s, bool allow_cedar);
/* Common-type names that the JSON format reserves: Bool Boolean Entity
 * Extension Long Record Set String. */
bool cd_schema_is_reserved_type_name(cd_str s);

#endif
