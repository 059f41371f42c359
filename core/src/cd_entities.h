/* cd_entities.h: the entity store and the JSON forms of values, entities and
 * requests.
 *
 * An entity store is built once from entities JSON (optionally checked
 * against and typed by a schema, which also supplies the action entities) and
 * then only read. The hierarchy is kept bounded (cd_hier.c): an entity with a
 * small set of ancestors has it materialized, so `in` is a binary search;
 * above that, `in` searches up the parent links.
 */
#ifndef CD_ENTITIES_H
#define CD_ENTITIES_H

#include <jansson.h>

#include "cd_base.h"
#include "cd_schema.h"
#include "cd_value.h"

typedef struct cd_entity {
    cd_uid uid;
    cd_record attrs;
    cd_record tags;
    size_t n_parents;
    const cd_uid *parents; /* direct parents (a set: sorted by cd_uid_cmp, unique) */
    /* Parents that are entities of the same store, in the order of parents. */
    size_t n_parent_ents;
    const struct cd_entity *const *parent_ents;
    /* When closed: every ancestor (transitively), sorted by cd_uid_hier_cmp,
     * hashes cached. Not
     * closed (too many, or the store's budget spent): NULL, and `in` searches
     * up parent_ents. Use cd_entity_has_ancestor / cd_entity_ancestors. */
    bool closed;
    bool shared; /* a parent of more than one entity of the store */
    size_t n_ancestors;
    const cd_uid *ancestors;
} cd_entity;

/* The search for an entity that is not closed (cd_hier.c). */
bool cd_entity_search_ancestor(const cd_entity *e, const cd_uid *b);

/* u is in xs[0..n), sorted by cmp: the one binary search over uids (inlined,
 * so cmp is a direct call). */
static inline bool cd_uids_search(const cd_uid *xs, size_t n, const cd_uid *u,
                                  int (*cmp)(const cd_uid *, const cd_uid *))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(&xs[mid], u);
        if (c == 0) return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* u is in xs[0..n), sorted by cd_uid_cmp (a parent list). */
static inline bool cd_uids_contain(const cd_uid *xs, size_t n, const cd_uid *u)
{
    return cd_uids_search(xs, n, u, cd_uid_cmp);
}

/* The order of closures (cd_entity.ancestors): by cached hash first, so that
 * merging and searching closures reads ids' bytes only for equal hashes (on
 * large stores the ids are cache misses). Both hashes must be cached. */
static inline int cd_uid_hier_cmp(const cd_uid *a, const cd_uid *b)
{
    if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
    if (a->type == b->type && a->id.ptr == b->id.ptr && a->id.len == b->id.len) return 0;
    return cd_uid_cmp(a, b);
}

/* u is in the closure xs[0..n) (sorted by cd_uid_hier_cmp). */
static inline bool cd_closure_contains(const cd_uid *xs, size_t n, const cd_uid *u)
{
    cd_uid h = *u;
    h.hash = cd_uid_hash(u);
    return cd_uids_search(xs, n, &h, cd_uid_hier_cmp);
}

/* Sort xs[0..n) by cd_uid_cmp and drop duplicates; returns the new length.
 * Caches each uid's hash (cd_hier.c). */
size_t cd_uids_sort_unique(cd_uid *xs, size_t n);

/* b is a (transitive) ancestor of e (false when e is NULL: an entity not in
 * the store has no ancestors). Inline: it is on the authorizer's path. */
static inline bool cd_entity_has_ancestor(const cd_entity *e, const cd_uid *b)
{
    if (!e) return false;
    if (!e->closed) return cd_entity_search_ancestor(e, b);
    return cd_closure_contains(e->ancestors, e->n_ancestors, b);
}
/* Every ancestor of e, sorted by cd_uid_cmp and unique, into out (a vec of
 * cd_uid, emptied first); returns their number. */
size_t cd_entity_ancestors(const cd_entity *e, cd_vec *out);
/* The same in arena a (a request's: no heap allocation), into *out. */
size_t cd_entity_ancestors_in(const cd_entity *e, cd_arena *a, const cd_uid **out);
/* Ancestors kept per closed entity (256). DRT makes it small now and then,
 * so that `in` also takes the walk up the parent links on small data. */
extern size_t cd_hier_max_closure;

/* Close the hierarchy of items (parent_ents set): materialize the closures
 * that stay small, within a work budget from the numbers of entities and
 * parent edges. A cycle returns false with *cycle the index of an entity on
 * it (the first met by a depth-first search in item order). */
bool cd_hier_build(cd_entity *items, size_t n, size_t n_edges, cd_arena *arena, size_t *cycle);

typedef struct cd_entities cd_entities;

/* An empty store (for requests evaluated without entity data). */
cd_entities *cd_entities_new_empty(void);

/* Load entities from JSON text (an array of {uid, attrs, parents[, tags]}).
 * With a schema: every entity must conform to it (declared type, attributes
 * and their types, allowed parent types, tags, enumerated ids), attribute
 * values are read according to their declared types (a string where an
 * extension type is declared is that constructor's argument; an object where
 * an entity type is declared is an entity reference), and the schema's action
 * entities with their hierarchy are added. Duplicate uids are an error. On
 * error returns NULL with err set (file, line, column of the offending JSON
 * where known). */
cd_entities *cd_entities_load_json(const char *text, size_t len, const char *file,
                                   const cd_schema *schema, cd_err *err);
void cd_entities_free(cd_entities *es);

size_t cd_entities_count(const cd_entities *es);
const cd_entity *cd_entities_at(const cd_entities *es, size_t i);
/* Hash lookup; NULL when the entity does not exist. */
const cd_entity *cd_entities_find(const cd_entities *es, const cd_uid *uid);
/* Cedar's `a in b` for uids: a == b or b is an ancestor of a. */
bool cd_entities_in(const cd_entities *es, const cd_uid *a, const cd_uid *b);

/* ---- JSON <-> values --------------------------------------------------- */

/* Parse JSON text as the official implementation (serde_json) accepts it:
 * strict RFC 8259 syntax, `\u0000` allowed in strings and object keys,
 * nesting deeper than 127 arrays/objects rejected, any top-level value.
 * Numbers that are not integers in the 64-bit signed range (including `-0`,
 * a float for serde_json) become JSON reals, which are not Cedar longs.
 * Duplicate object keys are an error unless flags has CD_JSON_LAST_KEY_WINS
 * (serde_json::Value keeps the last; the official context parser reads
 * through it, while entity files reject duplicates). On error returns NULL
 * with err set (file, line, column). Use it for every JSON input. */
#define CD_JSON_LAST_KEY_WINS 1u
json_t *cd_json_parse(const char *text, size_t len, unsigned flags, const char *file, cd_err *err);
/* "null", "a boolean", "a number", "a string", "an array" or "an object". */
const char *cd_json_kind(const json_t *j);

/* Convert a JSON value (Cedar's JSON value format: __entity / __extn escapes,
 * arrays as sets, objects as records) to a value in arena. With expected type
 * t (may be NULL), read it according to the type: entity references may be
 * written {"type","id"} without the escape, extension values may be written
 * as their constructor's string, and the result must conform to t. `path`
 * names the place in messages (e.g. "attribute `a` of User::\"x\""). */
bool cd_json_to_value(const json_t *j, const cd_type *t, const cd_schema *schema, cd_arena *arena,
                      const char *path, cd_value *out, cd_err *err);
/* {"type": "T", "id": "x"} or {"__entity": {...}} into a uid. */
bool cd_json_to_uid(const json_t *j, cd_arena *arena, const char *path, cd_uid *out, cd_err *err);
/* The JSON form of a value (entities as {"__entity":...}, ext as {"__extn":...}).
 * NULL when v holds a record with a key `__entity`, `__extn` or `__expr`,
 * which could not be read back (as in the official implementation). */
json_t *cd_value_to_json(const cd_value *v);

/* ---- requests ---------------------------------------------------------- */

typedef struct cd_request {
    cd_value principal; /* CD_V_ENTITY */
    cd_value action;    /* CD_V_ENTITY */
    cd_value resource;  /* CD_V_ENTITY */
    cd_value context;   /* CD_V_RECORD */
} cd_request;

/* Read a request's context from JSON (an object). With a schema and the
 * action declared there, it is read according to the action's context type. */
bool cd_context_from_json(const json_t *j, const cd_schema *schema, const cd_uid *action,
                          cd_arena *arena, cd_value *out, cd_err *err);

/* Request validation (Cedar's validateRequest): the action is declared, the
 * principal and resource types are in its appliesTo, and the context conforms
 * to its context type. On failure fills err and returns false. */
bool cd_request_validate(const cd_schema *schema, const cd_request *req, cd_err *err);

#endif
