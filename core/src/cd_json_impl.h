/* cd_json_impl.h: internals shared by the JSON value reader (cd_json_value.c),
 * the entity loader (cd_entities.c), requests (cd_request.c) and schema
 * conformance (cd_conform.c). Not part of any public interface.
 */
#ifndef CD_JSON_IMPL_H
#define CD_JSON_IMPL_H

#include "cd_entities.h"
#include "cd_json.h"

/* A step inside a JSON value, innermost first, for messages. */
typedef struct cd_jstep {
    const struct cd_jstep *up;
    const char *key; /* record field (keylen bytes), or NULL for an array element */
    size_t keylen;
    size_t index;
} cd_jstep;

/* Where and how a value is read. The place is described by `what`, or, when
 * kind is set, formatted only if an error is reported: "<kind> `<key>` of
 * entity `<uid>`" (key when has_key), or "<kind> of the entity at index
 * <index>" when uid is NULL. */
typedef struct cd_jreader {
    const cd_schema *schema;
    cd_arena *arena;
    cd_err *err;
    const char *file;
    cd_loc loc;
    const char *what;
    const char *kind;
    bool has_key;
    cd_str key;
    const cd_uid *uid;
    size_t index;
    /* optional: the last entity type read into this arena, so that a run of
     * uids of one type (entity data) interns it once */
    const cd_name **last_type;
} cd_jreader;

/* Read a value as Cedar does (the official ValueParser followed by the
 * evaluation of extension calls): with t, entity references may omit the
 * `__entity` escape and extension values the `__extn` escape; sets and
 * records are read element-wise by their declared types; closed records
 * reject undeclared and require required attributes, open records drop
 * undeclared ones. It does not check that the result has type t (see
 * cd_value_conforms). */
bool cd_jread_value(cd_jreader *r, const json_t *j, const cd_type *t, const cd_jstep *p,
                    cd_value *out);
/* The type and id (both strings) of an entity uid written as the official
 * EntityUidJson takes it: {"__entity": U} or U, U being {"type": T, "id": I}
 * (other keys ignored) or ["T", "I"]. False for anything else, with *expr set
 * for the removed `__expr` escape. Policy JSON's scopes read uids this way. */
bool cd_json_uid_parts(const json_t *j, const json_t **type, const json_t **id, bool *expr);
/* An entity uid in any of the accepted forms. */
bool cd_jread_uid(cd_jreader *r, const json_t *j, const cd_jstep *p, cd_uid *out);
/* Report an error at the reader's place. */
bool cd_jfail(cd_jreader *r, const cd_jstep *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Step 1 of entity loading read straight from the text (cd_entities_read.c):
 * each entity of the document into entities (cd_entity) and the offset where
 * it starts into offsets (size_t), allocating in arena and interning types
 * through *last_type as cd_jreader does. Returns false when it gives up: on
 * any error and on forms it does not read (then what it added is garbage, and
 * the caller reads the document through jansson, whose errors are the
 * reference). What it accepts it reads exactly as that path would. */
bool cd_entities_read(const char *text, size_t len, const cd_schema *schema, cd_arena *arena,
                      const cd_name **last_type, cd_vec *entities, cd_vec *offsets);
/* Whether cd_entities_read is tried (tests compare the two paths). */
extern bool cd_entities_read_direct;
/* Load text both ways (cd_entities_read_direct on, then off): NULL when both
 * give the same store (entities in order, uids with their hashes,
 * attributes, tags, parents, ancestors) or the same error (message, file,
 * line, column, offset); else what differs (heap). For tests and DRT
 * (cd_entities_cmp.c). */
char *cd_entities_readers_differ(const char *text, size_t len, const cd_schema *schema);
/* Whether the direct reader reads text without giving up (cd_entities_cmp.c):
 * a comparison of the two readers tests something only where it does. */
bool cd_entities_read_directly(const char *text, size_t len, const cd_schema *schema);
/* A request object read straight from its text (cd_request_read.c), in two
 * steps, for the common forms only: the members principal, action and
 * resource first, then optionally context and, in the integration tests'
 * format (not cli), validateRequest: true or false, each key once. The uids
 * are strings holding one (cli), else {"type": T, "id": I} or its
 * `__entity` escape, T a valid name. Anything else gives up (false), errors
 * included: the caller then reads the text through jansson, whose messages
 * and locations are the reference. */
typedef struct cd_request_text {
    const char *text;
    size_t len;
    bool cli;
    /* out: principal, action, resource (0, 1, 2) as offsets into buf: the
     * type name and id, or (cli) the whole uid string in type_at/type_len */
    size_t type_at[3], type_len[3], id_at[3], id_len[3];
    cd_buf buf;        /* initialized and freed by the caller */
    bool validate;     /* validateRequest: true */
    size_t context_at; /* where the context's value starts; 0: no context */
    unsigned seen;     /* internal: the keys read */
} cd_request_text;
/* Step 1: the uids, up to the context's value or the end of the text. */
bool cd_request_read_uids(cd_request_text *q);
/* Step 2, when there is a context: its value, read by its type t as the
 * context of cd_context_from_json (a record, allocated in arena), and the
 * members after it to the end of the text. */
bool cd_request_read_context(cd_request_text *q, const cd_type *t, cd_arena *arena, cd_value *out);

/* The direct reader recurses with more stack per level than the jansson path:
 * data nested deeper than this is left to that path, so that the nesting
 * limit (CD_JSON_MAX_NESTING) stays readable on a 256 KB stack, even in a
 * sanitized build (tests/hostile/schema.sh: records 100 deep). */
#define CD_ENTITIES_DIRECT_MAX_NESTING 32

/* A well-formed Cedar name: identifiers separated by `::`, none reserved. */
bool cd_valid_name(const char *s, size_t n);
/* Cedar's test for action entity types: the last component is `Action`. */
bool cd_is_action_type(const cd_name *n);
/* Describe a value for messages: `long 3`, `string "x"`, ... (into b). */
void cd_describe_value(cd_buf *b, const cd_value *v);

/* Schema checks of entity uids (cd_conform.c). On failure set *msg (heap). */
/* An id of an enumerated type must be listed; an action must be declared. */
bool cd_check_uid(const cd_schema *s, const cd_uid *u, char **msg);
/* cd_check_uid for every uid anywhere inside v. */
bool cd_check_uids_in_value(const cd_schema *s, const cd_value *v, char **msg);
/* Is id one of the declared ids of an enumerated entity type? */
bool cd_enum_allows(const cd_entity_decl *d, cd_str id);

#endif
