/* cd_entities.c: the entity store.
 *
 * Loading follows the official EntityJsonParser with TCComputation::ComputeNow:
 *  1. every entity is read (uid, attrs, parents, optional tags); with a schema,
 *     a non-action entity's type must be declared and its attributes and tags
 *     are read by their declared types; an action's parents must be actions;
 *  2. entities with the same uid must be identical (then one is kept);
 *  3. with a schema, every non-action entity must conform to it;
 *  4. the hierarchy is closed (cd_hier.c: small closures materialized, the
 *     rest searched on demand), and a cycle is an error;
 *  5. with a schema, action entities given in the JSON must equal the schema's
 *     (no attributes or tags, same transitive parents), and then the schema's
 *     actions with their hierarchy are added.
 * Parents that are not themselves entities are still ancestors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_json_impl.h"

struct cd_entities {
    cd_arena *arena;
    size_t n, cap;
    cd_entity *items;
    cd_entity *heap_items; /* items, when taken over from the loader (store_adopt) */
    size_t nslots;         /* power of two, or 0 */
    uint32_t *slots;       /* index + 1 into items; 0 when empty */
};

/* ---- the table --------------------------------------------------------- */

static cd_entities *store_new(void)
{
    cd_entities *es = calloc(1, sizeof *es);
    if (!es) abort();
    es->arena = cd_arena_new();
    return es;
}

static void store_slots(cd_entities *es, size_t cap)
{
    es->cap = cap;
    es->nslots = 16;
    while (es->nslots < 2 * cap)
        es->nslots *= 2;
    es->slots = CD_NEW_ARRAY(es->arena, uint32_t, es->nslots);
}

/* Room for cap entities; must be called once before inserting. */
static void store_reserve(cd_entities *es, size_t cap)
{
    es->items = CD_NEW_ARRAY_RAW(es->arena, cd_entity, cap ? cap : 1); /* store_add writes */
    store_slots(es, cap);
}

/* The entities of v become the store's items, with room for extra more:
 * finish() adds them in place (an entity only moves down), instead of
 * copying a second array of them (1M entities: 144 MB). */
static void store_adopt(cd_entities *es, cd_vec *v, size_t extra)
{
    size_t cap = v->len + extra;
    es->items = es->heap_items = realloc(v->items, (cap ? cap : 1) * sizeof(cd_entity));
    if (!es->items) abort();
    v->items = NULL;
    v->len = v->cap = 0;
    store_slots(es, cap);
}

/* Index of uid in items, or -1. */
static long store_find(const cd_entities *es, const cd_uid *uid)
{
    if (!es->nslots) return -1;
    size_t mask = es->nslots - 1, j = (size_t)cd_uid_hash(uid) & mask;
    for (; es->slots[j]; j = (j + 1) & mask) {
        size_t i = es->slots[j] - 1;
        if (cd_uid_eq(&es->items[i].uid, uid)) return (long)i;
    }
    return -1;
}

/* Append e (whose uid is not present yet). */
static void store_add(cd_entities *es, const cd_entity *e)
{
    uint64_t h = cd_uid_hash(&e->uid);
    size_t mask = es->nslots - 1, j = (size_t)h & mask;
    while (es->slots[j])
        j = (j + 1) & mask;
    es->items[es->n] = *e;
    es->items[es->n].uid.hash = h; /* lookups and comparisons reuse it */
    es->slots[j] = (uint32_t)++es->n;
}

cd_entities *cd_entities_new_empty(void)
{
    return store_new();
}

void cd_entities_free(cd_entities *es)
{
    if (!es) return;
    cd_arena_free(es->arena);
    free(es->heap_items);
    free(es);
}

size_t cd_entities_count(const cd_entities *es)
{
    return es ? es->n : 0;
}

const cd_entity *cd_entities_at(const cd_entities *es, size_t i)
{
    return es && i < es->n ? &es->items[i] : NULL;
}

const cd_entity *cd_entities_find(const cd_entities *es, const cd_uid *uid)
{
    long i = es ? store_find(es, uid) : -1;
    return i < 0 ? NULL : &es->items[i];
}

bool cd_entities_in(const cd_entities *es, const cd_uid *a, const cd_uid *b)
{
    if (cd_uid_eq(a, b)) return true;
    const cd_entity *e = cd_entities_find(es, a);
    return cd_entity_has_ancestor(e, b);
}

/* ---- uid sets ---------------------------------------------------------- */

static bool uids_equal(const cd_uid *a, size_t na, const cd_uid *b, size_t nb)
{
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++)
        if (!cd_uid_eq(&a[i], &b[i])) return false;
    return true;
}

static bool records_equal(const cd_record *a, const cd_record *b)
{
    cd_value va = {.kind = CD_V_RECORD}, vb = {.kind = CD_V_RECORD};
    va.u.rec = *a;
    vb.u.rec = *b;
    return cd_value_eq(&va, &vb);
}

/* ---- hierarchy ------------------------------------------------------- */

/* Resolve every entity's parents to the store's entities, then close the
 * hierarchy (cd_hier.c). On a cycle, returns false with *cycle set to an
 * entity on it. */
static bool store_close(cd_entities *es, size_t *cycle)
{
    size_t edges = 0;
    for (size_t i = 0; i < es->n; i++) {
        cd_entity *e = &es->items[i];
        const cd_entity **pe = NULL;
        size_t m = 0;
        for (size_t k = 0; k < e->n_parents; k++) {
            long pi = store_find(es, &e->parents[k]);
            if (pi < 0) continue;
            if (!pe) pe = CD_NEW_ARRAY(es->arena, const cd_entity *, e->n_parents);
            pe[m++] = &es->items[pi];
        }
        e->parent_ents = pe;
        e->n_parent_ents = m;
        edges += e->n_parents;
    }
    return cd_hier_build(es->items, es->n, edges, es->arena, cycle);
}

/* a and b have the same ancestors. */
static bool same_ancestors(const cd_entity *a, const cd_entity *b)
{
    if (a->closed && b->closed)
        return uids_equal(a->ancestors, a->n_ancestors, b->ancestors, b->n_ancestors);
    cd_vec x, y;
    cd_vec_init(&x, sizeof(cd_uid));
    cd_vec_init(&y, sizeof(cd_uid));
    cd_entity_ancestors(a, &x);
    cd_entity_ancestors(b, &y);
    bool eq = uids_equal(x.items, x.len, y.items, y.len);
    cd_vec_free(&x);
    cd_vec_free(&y);
    return eq;
}

/* ---- loading ----------------------------------------------------------- */

typedef struct loader {
    cd_entities *es;
    const cd_schema *schema;
    const char *file, *text;
    size_t len;
    cd_err *err;
    cd_vec parsed; /* cd_entity: step 1's results, in document order */
    cd_vec plocs;  /* cd_loc of each */
    size_t cursor; /* running position for locations (entities are read in order) */
    cd_loc cursor_loc;
    cd_loc *locs;             /* per item of es */
    const cd_name *last_type; /* cd_jreader.last_type */
    /* allowed ancestor types per schema entity declaration, computed on demand */
    struct allowed {
        bool done;
        size_t n;
        const cd_name **names;
    } * allowed;
} loader;

static bool lfail(loader *L, cd_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool lfail(loader *L, cd_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cd_err_vset(L->err, loc, fmt, ap);
    va_end(ap);
    if (L->err) L->err->file = L->file;
    return false;
}

/* "`User::"alice"`" in the loader's arena, for messages. */
static const char *uid_text(loader *L, const cd_uid *u)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_putc(&b, '`');
    cd_uid_print(&b, u);
    cd_buf_putc(&b, '`');
    const char *s = cd_arena_str(L->es->arena, b.data, b.len).ptr;
    cd_buf_free(&b);
    return s;
}

/* Location of the byte at offset to; to only grows between calls (columns
 * count bytes). */
static cd_loc element_loc(loader *L, size_t to)
{
    if (L->cursor == 0 && L->cursor_loc.line == 0) L->cursor_loc = (cd_loc){1, 1, 0};
    const char *p = L->text + L->cursor, *end = L->text + to, *nl;
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
        L->cursor_loc.line++;
        L->cursor_loc.column = 1;
        p = nl + 1;
    }
    L->cursor_loc.column += (uint32_t)(end - p);
    L->cursor = to;
    L->cursor_loc.offset = (uint32_t)to;
    return L->cursor_loc;
}

static bool read_fields(loader *L, const json_t *ej, size_t idx, cd_loc loc, const json_t **uid,
                        const json_t **attrs, const json_t **parents, const json_t **tags)
{
    *tags = NULL;
    if (json_is_object(ej)) {
        static const char *const names[] = {"uid", "attrs", "parents"};
        const json_t **slots[] = {uid, attrs, parents};
        for (int k = 0; k < 3; k++) {
            *slots[k] = json_object_get(ej, names[k]);
            if (!*slots[k])
                return lfail(L, loc, "the entity at index %zu has no `%s` field", idx, names[k]);
        }
        *tags = json_object_get(ej, "tags");
    } else if (json_is_array(ej) && json_array_size(ej) >= 3 && json_array_size(ej) <= 4) {
        /* the official deserializer also reads a struct from a positional array */
        *uid = json_array_get(ej, 0);
        *attrs = json_array_get(ej, 1);
        *parents = json_array_get(ej, 2);
        *tags = json_array_get(ej, 3);
    } else {
        return lfail(L, loc,
                     "the entity at index %zu is not an object {\"uid\": ..., \"attrs\": {...}, "
                     "\"parents\": [...]}",
                     idx);
    }
    if (!json_is_object(*attrs))
        return lfail(L, loc, "`attrs` of the entity at index %zu must be an object", idx);
    if (!json_is_array(*parents))
        return lfail(L, loc, "`parents` of the entity at index %zu must be an array", idx);
    if (*tags && !json_is_object(*tags))
        return lfail(L, loc, "`tags` of the entity at index %zu must be an object", idx);
    return true;
}

/* Attributes or tags: an object of values, typed by the declaration when given. */
static bool read_map(loader *L, cd_jreader *r, const json_t *obj, const cd_entity_decl *d,
                     bool tags, cd_record *out)
{
    size_t n = json_object_size(obj), i = 0, kl;
    cd_str *keys = CD_NEW_ARRAY(L->es->arena, cd_str, n ? n : 1);
    cd_value *vals = CD_NEW_ARRAY(L->es->arena, cd_value, n ? n : 1);
    const char *k;
    json_t *v;
    r->kind = tags ? "tag" : "attribute";
    r->has_key = true;
    json_object_keylen_foreach((json_t *)obj, k, kl, v)
    {
        r->key = (cd_str){k, kl};
        const cd_type *t = NULL;
        if (d && tags) {
            if (!d->tags)
                return cd_jfail(r, NULL, "the entity type `%s` declares no tags in the schema",
                                r->uid->type->text);
            t = d->tags;
        } else if (d) {
            const cd_attr_type *a = cd_record_type_get(&d->shape, r->key);
            if (!a && !d->shape.open)
                return cd_jfail(r, NULL, "the attribute is not declared for `%s` in the schema",
                                r->uid->type->text);
            t = a ? a->type : NULL;
        }
        keys[i] = cd_arena_str(L->es->arena, k, kl);
        if (!cd_jread_value(r, v, t, NULL, &vals[i])) return false;
        i++;
    }
    cd_value rec;
    if (!cd_record_make(keys, vals, n, &rec, NULL)) return cd_jfail(r, NULL, "duplicate key");
    *out = rec.u.rec;
    return true;
}

/* Step 1 for one entity. */
static bool parse_entity(loader *L, const json_t *ej, size_t idx, cd_loc loc, cd_entity *out)
{
    const json_t *juid, *jattrs, *jparents, *jtags;
    if (!read_fields(L, ej, idx, loc, &juid, &jattrs, &jparents, &jtags)) return false;
    cd_jreader r = {.schema = L->schema,
                    .arena = L->es->arena,
                    .err = L->err,
                    .file = L->file,
                    .loc = loc,
                    .kind = "uid",
                    .index = idx,
                    .last_type = &L->last_type};
    if (!cd_jread_uid(&r, juid, NULL, &out->uid)) return false;
    r.uid = &out->uid;
    bool is_action = cd_is_action_type(out->uid.type);
    const cd_entity_decl *d = NULL;
    if (L->schema && !is_action) {
        d = cd_schema_entity(L->schema, out->uid.type);
        if (!d)
            return lfail(L, loc, "entity %s has type `%s`, which is not declared in the schema",
                         uid_text(L, &out->uid), out->uid.type->text);
    }
    if (!read_map(L, &r, jattrs, d, false, &out->attrs)) return false;
    if (jtags && !read_map(L, &r, jtags, d, true, &out->tags)) return false;

    size_t np = json_array_size(jparents);
    cd_uid *ps = CD_NEW_ARRAY(L->es->arena, cd_uid, np ? np : 1);
    r.kind = "parents";
    r.has_key = false;
    for (size_t i = 0; i < np; i++) {
        cd_jstep at = {NULL, NULL, 0, i};
        if (!cd_jread_uid(&r, json_array_get(jparents, i), &at, &ps[i])) return false;
        if (is_action && !cd_is_action_type(ps[i].type))
            return lfail(L, loc, "action %s has a parent %s that is not an action",
                         uid_text(L, &out->uid), uid_text(L, &ps[i]));
    }
    /* parents are a set */
    out->parents = ps;
    out->n_parents = cd_uids_sort_unique(ps, np);
    return true;
}

static bool same_entity(const cd_entity *a, const cd_entity *b)
{
    return records_equal(&a->attrs, &b->attrs) && records_equal(&a->tags, &b->tags) &&
           uids_equal(a->parents, a->n_parents, b->parents, b->n_parents);
}

/* Entity types allowed as ancestors of d's entities: its memberOf types, closed
 * transitively over the schema. */
static const struct allowed *allowed_for(loader *L, const cd_entity_decl *d)
{
    const cd_schema *s = L->schema;
    size_t di = (size_t)(d - s->entities);
    static const struct allowed none = {true, 0, NULL};
    if (d < s->entities || di >= s->n_entities) return &none; /* not from this table */
    struct allowed *a = &L->allowed[di];
    if (a->done) return a;
    cd_vec out, todo;
    cd_vec_init(&out, sizeof(const cd_name *));
    cd_vec_init(&todo, sizeof(const cd_name *));
    for (size_t i = 0; i < d->n_member_of; i++)
        *(const cd_name **)cd_vec_push(&todo) = d->member_of[i];
    while (todo.len) {
        const cd_name *n = CD_VEC_AT(&todo, const cd_name *, --todo.len);
        bool seen = false;
        for (size_t i = 0; i < out.len && !seen; i++)
            seen = CD_VEC_AT(&out, const cd_name *, i) == n;
        if (seen) continue;
        *(const cd_name **)cd_vec_push(&out) = n;
        const cd_entity_decl *pd = cd_schema_entity(s, n);
        for (size_t i = 0; pd && i < pd->n_member_of; i++)
            *(const cd_name **)cd_vec_push(&todo) = pd->member_of[i];
    }
    a->n = out.len;
    a->names = out.len ? cd_vec_finish(&out, L->es->arena) : NULL;
    cd_vec_free(&out);
    cd_vec_free(&todo);
    a->done = true;
    return a;
}

static bool check_values(loader *L, const cd_entity *e, cd_loc loc, const cd_record *rec, bool tags,
                         const cd_entity_decl *d)
{
    const char *kind = tags ? "tag" : "attribute";
    for (size_t i = 0; i < rec->n; i++) {
        cd_str k = rec->keys[i];
        const cd_type *t = d->tags;
        if (!tags) {
            const cd_attr_type *a = cd_record_type_get(&d->shape, k);
            if (!a && !d->shape.open)
                return lfail(L, loc, "attribute `%.*s` of entity %s is not declared in the schema",
                             (int)k.len, k.ptr, uid_text(L, &e->uid));
            t = a ? a->type : NULL;
        }
        char *msg = NULL;
        bool ok = (!t || cd_value_conforms(L->schema, &rec->vals[i], t, &msg)) &&
                  cd_check_uids_in_value(L->schema, &rec->vals[i], &msg);
        if (!ok) {
            lfail(L, loc, "%s `%.*s` of entity %s: %s", kind, (int)k.len, k.ptr,
                  uid_text(L, &e->uid), msg ? msg : "does not conform to the schema");
            free(msg);
            return false;
        }
    }
    return true;
}

/* Step 3 for one non-action entity. */
static bool check_entity(loader *L, const cd_entity *e, cd_loc loc)
{
    const cd_schema *s = L->schema;
    const cd_entity_decl *d = cd_schema_entity(s, e->uid.type);
    char *msg = NULL;
    if (!d)
        return lfail(L, loc, "entity %s has type `%s`, which is not declared in the schema",
                     uid_text(L, &e->uid), e->uid.type->text);
    if (!cd_check_uid(s, &e->uid, &msg)) {
        lfail(L, loc, "%s", msg);
        free(msg);
        return false;
    }
    for (size_t i = 0; i < d->shape.n; i++) {
        const cd_attr_type *a = &d->shape.attrs[i];
        if (a->required && !cd_record_get(&e->attrs, a->name))
            return lfail(L, loc, "entity %s is missing the required attribute `%.*s`",
                         uid_text(L, &e->uid), (int)a->name.len, a->name.ptr);
    }
    if (!check_values(L, e, loc, &e->attrs, false, d)) return false;
    const struct allowed *al = allowed_for(L, d);
    for (size_t i = 0; i < e->n_parents; i++) {
        const cd_uid *p = &e->parents[i];
        if (!cd_check_uid(s, p, &msg)) {
            lfail(L, loc, "parent of entity %s: %s", uid_text(L, &e->uid), msg);
            free(msg);
            return false;
        }
        bool ok = false;
        for (size_t k = 0; k < al->n && !ok; k++)
            ok = al->names[k] == p->type;
        if (!ok)
            return lfail(L, loc,
                         "entity %s has the parent %s, but the schema does not allow `%s` "
                         "entities to be in `%s` entities",
                         uid_text(L, &e->uid), uid_text(L, p), e->uid.type->text, p->type->text);
    }
    if (e->tags.n && !d->tags)
        return lfail(L, loc, "entity %s has tags, but its type declares none in the schema",
                     uid_text(L, &e->uid));
    return check_values(L, e, loc, &e->tags, true, d);
}

/* The schema's actions as entities, with their hierarchy closed. */
static bool schema_actions(loader *L, cd_entities **out)
{
    const cd_schema *s = L->schema;
    cd_entities *as = store_new();
    store_reserve(as, s->n_actions);
    *out = as;
    for (size_t i = 0; i < s->n_actions; i++) {
        const cd_action_decl *a = &s->actions[i];
        if (store_find(as, &a->uid) >= 0) continue;
        cd_entity e = {.uid = a->uid};
        cd_uid *ps = CD_NEW_ARRAY(L->es->arena, cd_uid, a->n_member_of ? a->n_member_of : 1);
        if (a->n_member_of) memcpy(ps, a->member_of, a->n_member_of * sizeof *ps);
        /* the store keeps the schema's names: it may outlive the schema */
        cd_name_hold(L->es->arena, a->uid.type);
        for (size_t k = 0; k < a->n_member_of; k++)
            cd_name_hold(L->es->arena, ps[k].type);
        e.parents = ps;
        e.n_parents = cd_uids_sort_unique(ps, a->n_member_of);
        store_add(as, &e);
    }
    size_t cycle;
    if (!store_close(as, &cycle))
        return lfail(L, (cd_loc){0, 0, 0}, "the schema's action hierarchy has a cycle through %s",
                     uid_text(L, &as->items[cycle].uid));
    /* the ancestor arrays were allocated in as's arena: move them to ours */
    for (size_t i = 0; i < as->n; i++) {
        cd_entity *e = &as->items[i];
        if (e->n_ancestors)
            e->ancestors =
                cd_arena_dup(L->es->arena, e->ancestors, e->n_ancestors * sizeof(cd_uid));
    }
    return true;
}

/* Step 5. */
static bool merge_actions(loader *L)
{
    cd_entities *es = L->es, *as = NULL;
    bool ok = schema_actions(L, &as);
    for (size_t i = 0; ok && i < es->n; i++) {
        const cd_entity *e = &es->items[i];
        if (!cd_is_action_type(e->uid.type)) continue;
        long ai = store_find(as, &e->uid);
        if (ai < 0) {
            ok = lfail(L, L->locs[i], "action %s is not declared in the schema",
                       uid_text(L, &e->uid));
        } else {
            const cd_entity *a = &as->items[ai];
            if (e->attrs.n || e->tags.n || !same_ancestors(e, a))
                ok = lfail(L, L->locs[i],
                           "action %s does not match its declaration in the schema (an action "
                           "has no attributes or tags, and its parents must be exactly the "
                           "schema's, transitively)",
                           uid_text(L, &e->uid));
        }
    }
    for (size_t i = 0; ok && i < as->n; i++) {
        long ei = store_find(es, &as->items[i].uid);
        if (ei >= 0) {
            bool shared = es->items[ei].shared; /* may be a parent of non-actions too */
            es->items[ei] = as->items[i];
            es->items[ei].shared |= shared;
        } else
            store_add(es, &as->items[i]);
    }
    /* their parent links pointed into as: point them at the same actions in es */
    for (size_t i = 0; ok && i < as->n; i++) {
        cd_entity *e = &es->items[store_find(es, &as->items[i].uid)];
        const cd_entity **pe =
            CD_NEW_ARRAY(es->arena, const cd_entity *, e->n_parent_ents ? e->n_parent_ents : 1);
        for (size_t k = 0; k < e->n_parent_ents; k++)
            pe[k] = &es->items[store_find(es, &e->parent_ents[k]->uid)];
        e->parent_ents = pe;
    }
    cd_entities_free(as);
    return ok;
}

/* Step 1 for each element as the JSON reader produces it. */
static bool on_element(void *ctx, json_t *ej, size_t idx, size_t offset)
{
    loader *L = ctx;
    cd_loc loc = element_loc(L, offset);
    *(cd_loc *)cd_vec_push(&L->plocs) = loc;
    return parse_entity(L, ej, idx, loc, cd_vec_push(&L->parsed));
}

/* Steps 2 to 5, once every entity is read. */
static bool finish(loader *L)
{
    cd_entities *es = L->es;
    size_t n = L->parsed.len;
    size_t n_actions = L->schema ? L->schema->n_actions : 0;
    /* step 2 in place: item i moves to es->n <= i, as does its location */
    store_adopt(es, &L->parsed, n_actions);
    const cd_entity *parsed = es->items;
    cd_loc *plocs = L->locs = L->plocs.items;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        long j = store_find(es, &parsed[i].uid);
        if (j < 0) {
            plocs[es->n] = plocs[i];
            store_add(es, &parsed[i]);
        } else if (!same_entity(&es->items[j], &parsed[i])) {
            ok = lfail(L, plocs[i], "duplicate entity %s (with different contents)",
                       uid_text(L, &parsed[i].uid));
        }
    }
    if (ok && L->schema) {
        L->allowed = calloc(L->schema->n_entities ? L->schema->n_entities : 1, sizeof *L->allowed);
        if (!L->allowed) abort();
        for (size_t i = 0; i < es->n && ok; i++)
            if (!cd_is_action_type(es->items[i].uid.type))
                ok = check_entity(L, &es->items[i], L->locs[i]);
    }
    size_t cycle;
    if (ok && !store_close(es, &cycle))
        ok = lfail(L, L->locs[cycle], "the entity hierarchy has a cycle: %s is its own ancestor",
                   uid_text(L, &es->items[cycle].uid));
    if (ok && L->schema) ok = merge_actions(L);
    free(L->allowed);
    return ok;
}

/* Step 1 through jansson, one element's tree at a time; false on an error. */
static bool read_trees(loader *L)
{
    int r = cd_json_parse_elements(L->text, L->len, 0, L->file, L->err, on_element, L);
    if (r < 0) { /* not an array: any syntax error first */
        json_t *root = cd_json_parse(L->text, L->len, 0, L->file, L->err);
        if (root) lfail(L, (cd_loc){1, 1, 0}, "entities JSON must be an array of entities");
        json_decref(root);
    }
    return r == 1;
}

/* Step 1 straight from the text (cd_entities_read.c); false when it gave up. */
static bool read_direct(loader *L)
{
    cd_vec offsets;
    cd_vec_init(&offsets, sizeof(size_t));
    bool ok = cd_entities_read(L->text, L->len, L->schema, L->es->arena, &L->last_type, &L->parsed,
                               &offsets);
    for (size_t i = 0; ok && i < offsets.len; i++)
        *(cd_loc *)cd_vec_push(&L->plocs) = element_loc(L, CD_VEC_AT(&offsets, size_t, i));
    cd_vec_free(&offsets);
    return ok;
}

/* Steps 1 to 5; *gave_up when the direct reader could not do step 1. */
static cd_entities *load(const char *text, size_t len, const char *file, const cd_schema *schema,
                         cd_err *err, bool direct, bool *gave_up)
{
    cd_entities *es = store_new();
    loader L = {.es = es, .schema = schema, .file = file, .text = text, .len = len, .err = err};
    cd_vec_init(&L.parsed, sizeof(cd_entity));
    cd_vec_init(&L.plocs, sizeof(cd_loc));
    bool ok = direct ? read_direct(&L) : read_trees(&L);
    *gave_up = direct && !ok;
    if (ok) ok = finish(&L);
    cd_vec_free(&L.parsed);
    cd_vec_free(&L.plocs);
    if (!ok) {
        cd_entities_free(es);
        return NULL;
    }
    return es;
}

cd_entities *cd_entities_load_json(const char *text, size_t len, const char *file,
                                   const cd_schema *schema, cd_err *err)
{
    /* The direct reader first; where it gives up (on any error of step 1
     * too), the tree reader, whose messages and locations are the reference.
     * Errors of steps 2 to 5 come from finish() on the same entities. */
    bool gave_up = true;
    cd_entities *es = NULL;
    if (cd_entities_read_direct) es = load(text, len, file, schema, err, true, &gave_up);
    if (gave_up) es = load(text, len, file, schema, err, false, &gave_up);
    return es;
}
