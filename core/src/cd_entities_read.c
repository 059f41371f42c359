/* cd_entities_read.c: step 1 of entity loading (cd_entities.c) straight from
 * the JSON text into the store's arena, without a jansson tree: the direct
 * reader (cd_json_direct.h) over an entities document.
 *
 * It reads each entity as an object with the keys `uid`, `attrs`, `parents`
 * and optionally `tags` (`uid` first when there is a schema), its attributes
 * and tags by the value reader (cd_json_direct.c), typed by the entity's
 * declaration when there is a schema. On anything else (another form, an
 * error of any kind) it gives up, and the loader reads the whole document
 * again through jansson (cd_json_parse_elements and cd_json_value.c), whose
 * messages and locations are the reference.
 */
#include <string.h>

#include "cd_json_direct.h"

bool cd_entities_read_direct = true;

static bool parents(cd_jd *r, cd_entity *e)
{
    if (!enter(r, '[')) return false;
    r->uids.len = 0;
    bool more = false;
    if (!eat(r, ']')) do {
            cd_uid *u = push(&r->uids);
            if (!cd_jd_uid(r, true, u) || !next(r, ']', &more)) return false;
        } while (more);
    leave(r);
    size_t n = r->uids.len;
    static const cd_uid none[1];
    e->parents = none; /* no allocation for no parents (a million roots: 32 MB) */
    e->n_parents = 0;
    if (n) {
        cd_uid *items = CD_NEW_ARRAY_RAW(r->arena, cd_uid, n);
        memcpy(items, r->uids.items, n * sizeof *items);
        e->parents = items;
        e->n_parents = cd_uids_sort_unique(items, n);
    }
    return true;
}

typedef struct ent_ctx {
    cd_entity *e;
    const cd_entity_decl *d;
    unsigned seen;
} ent_ctx;

/* One field of an entity. */
static bool entity_member(cd_jd *r, void *ctx)
{
    enum { UID = 1, ATTRS = 2, PARENTS = 4, TAGS = 8 };
    ent_ctx *c = ctx;
    unsigned field = str_is(r, "uid")       ? UID
                     : str_is(r, "attrs")   ? ATTRS
                     : str_is(r, "parents") ? PARENTS
                     : str_is(r, "tags")    ? TAGS
                                            : 0;
    if (!field || (c->seen & field)) return false;
    /* with a schema, attributes are read by the uid's type */
    if ((field & (ATTRS | TAGS)) && r->schema && !(c->seen & UID)) return false;
    c->seen |= field;
    switch (field) {
    case UID:
        if (!cd_jd_uid(r, true, &c->e->uid)) return false;
        if (r->schema && !cd_is_action_type(c->e->uid.type)) {
            c->d = cd_schema_entity(r->schema, c->e->uid.type);
            return c->d != NULL;
        }
        return true;
    case ATTRS: return cd_jd_entity_record(r, c->d, false, &c->e->attrs);
    case TAGS: return cd_jd_entity_record(r, c->d, true, &c->e->tags);
    default: return parents(r, c->e);
    }
}

/* One element: {"uid": ..., "attrs": ..., "parents": ...[, "tags": ...]}. */
static bool entity(cd_jd *r, cd_entity *e)
{
    ent_ctx c = {e, NULL, 0};
    if (!enter(r, '{') || !members(r, entity_member, &c)) return false;
    if ((c.seen & 7) != 7) return false; /* uid, attrs and parents */
    /* an action's parents must be actions */
    for (size_t k = 0; k < e->n_parents && cd_is_action_type(e->uid.type); k++)
        if (!cd_is_action_type(e->parents[k].type)) return false;
    return true;
}

bool cd_entities_read(const char *text, size_t len, const cd_schema *schema, cd_arena *arena,
                      const cd_name **last_type, cd_vec *entities, cd_vec *offsets)
{
    if (!text || !cd_entities_read_direct) return false;
    cd_jd r = {.s = text, .n = len, .schema = schema, .arena = arena, .last_type = last_type};
    cd_jd_scratch_init(&r);
    bool ok = enter(&r, '['), more = false;
    if (ok && !eat(&r, ']')) do {
            ws(&r);
            *(size_t *)cd_vec_push(offsets) = r.i;
            ok = entity(&r, cd_vec_push(entities)) && next(&r, ']', &more);
        } while (ok && more);
    ws(&r);
    ok = ok && r.i == r.n;
    cd_jd_scratch_free(&r);
    return ok;
}
