/* cd_validate_schema.c: the schema as the typechecker needs it: schema types
 * as validator types, the entity and action hierarchies as transitive
 * descendant sets (the official compute_tc over the inverted memberOf
 * relation), and the hierarchy questions `in` asks.
 */
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>

#include "cd_vschema.h"

/* ---- schema types to validator types ------------------------------------------ */

/* Common types are inlined by sharing, so a schema type is a DAG: convert
 * each node once (a pointer-keyed table). */
typedef struct memo {
    size_t cap, n;
    const cd_type **keys;
    const cd_vtype **vals;
} memo;

static size_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static void memo_grow(memo *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    const cd_type **keys = calloc(cap, sizeof *keys);
    const cd_vtype **vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) abort();
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = ptr_hash(m->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    *m = (memo){cap, m->n, keys, vals};
}

static const cd_vtype **memo_slot(memo *m, const cd_type *t)
{
    if (2 * (m->n + 1) > m->cap) memo_grow(m);
    size_t j = ptr_hash(t) & (m->cap - 1);
    while (m->keys[j] && m->keys[j] != t)
        j = (j + 1) & (m->cap - 1);
    if (!m->keys[j]) {
        m->keys[j] = t;
        m->n++;
    }
    return &m->vals[j];
}

static const cd_vtype *conv(cd_arena *a, memo *m, const cd_type *t);

static cd_vrec conv_rec(cd_arena *a, memo *m, const cd_record_type *r)
{
    cd_vattr *v = CD_NEW_ARRAY(a, cd_vattr, r->n ? r->n : 1);
    for (size_t i = 0; i < r->n; i++) /* already sorted by name */
        v[i] = (cd_vattr){r->attrs[i].name, conv(a, m, r->attrs[i].type), r->attrs[i].required};
    return (cd_vrec){r->n, v, r->open};
}

static const cd_vtype *conv(cd_arena *a, memo *m, const cd_type *t)
{
    switch (t->kind) {
    case CD_T_BOOL: return &cd_vt_bool;
    case CD_T_LONG: return &cd_vt_long;
    case CD_T_STRING: return &cd_vt_string;
    case CD_T_EXT: return cd_vt_ext(t->u.ext);
    default: break;
    }
    const cd_vtype **slot = memo_slot(m, t);
    if (*slot) return *slot;
    const cd_vtype *r;
    if (t->kind == CD_T_ENTITY) {
        r = cd_vt_entity(a, t->u.entity);
    } else if (t->kind == CD_T_SET) {
        const cd_vtype *elem = conv(a, m, t->u.elem);
        r = cd_vt_set(a, elem);
    } else {
        cd_vtype *rec = CD_NEW(a, cd_vtype);
        rec->kind = CD_VT_RECORD;
        rec->u.rec = conv_rec(a, m, &t->u.rec);
        r = rec;
    }
    *memo_slot(m, t) = r; /* the table may have grown meanwhile */
    return r;
}

/* ---- hierarchies ----------------------------------------------------------------- */

static int cmp_ptr(const void *x, const void *y)
{
    uintptr_t a = (uintptr_t) * (const void *const *)x, b = (uintptr_t) * (const void *const *)y;
    return a < b ? -1 : a > b;
}

static bool has_ptr(const void *const *v, size_t n, const void *p)
{
    return n && bsearch(&p, v, n, sizeof *v, cmp_ptr) != NULL;
}

/* children[i]: indexes of the direct children of node i (in CSR form), then
 * for each node the nodes reachable from it (its transitive descendants). */
typedef struct graph {
    size_t n;
    size_t *start, *kids; /* kids[start[i] .. start[i+1]) */
} graph;

static size_t reach(const graph *g, size_t from, unsigned char *seen, size_t *stack, size_t *out)
{
    size_t sp = 0, n = 0;
    memset(seen, 0, g->n);
    stack[sp++] = from;
    while (sp) {
        size_t x = stack[--sp];
        for (size_t k = g->start[x]; k < g->start[x + 1]; k++) {
            size_t c = g->kids[k];
            if (seen[c]) continue;
            seen[c] = 1;
            out[n++] = c;
            stack[sp++] = c;
        }
    }
    return n;
}

/* parent_of(i, k, out): the k-th parent of node i, false past the last. */
typedef bool (*parent_fn)(const cd_vschema *vs, size_t i, size_t k, size_t *out);

static graph build_graph(const cd_vschema *vs, size_t n, parent_fn parent)
{
    graph g = {n, calloc(n + 2, sizeof(size_t)), NULL};
    if (!g.start) abort();
    size_t edges = 0, p;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; parent(vs, i, k, &p); k++) {
            g.start[p + 1]++;
            edges++;
        }
    for (size_t i = 0; i < n; i++)
        g.start[i + 1] += g.start[i];
    g.kids = reallocarray(NULL, edges ? edges : 1, sizeof(size_t));
    size_t *fill = calloc(n + 1, sizeof(size_t));
    if (!g.kids || !fill) abort();
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; parent(vs, i, k, &p); k++)
            g.kids[g.start[p] + fill[p]++] = i;
    free(fill);
    return g;
}

static bool entity_parent(const cd_vschema *vs, size_t i, size_t k, size_t *out)
{
    const cd_entity_decl *d = &vs->s->entities[i];
    for (; k < d->n_member_of; k++) {
        const cd_entity_decl *p = cd_schema_entity(vs->s, d->member_of[k]);
        if (p) {
            *out = (size_t)(p - vs->s->entities);
            return true;
        }
    }
    return false;
}

static bool action_parent(const cd_vschema *vs, size_t i, size_t k, size_t *out)
{
    const cd_action_decl *d = &vs->s->actions[i];
    for (; k < d->n_member_of; k++) {
        const cd_action_decl *p = cd_schema_action(vs->s, &d->member_of[k]);
        if (p) {
            *out = (size_t)(p - vs->s->actions);
            return true;
        }
    }
    return false;
}

/* The descendants of every node, as sorted pointer arrays in the arena. */
static void closure(cd_vschema *vs, size_t n, parent_fn parent, bool entities)
{
    if (n == 0) return;
    graph g = build_graph(vs, n, parent);
    unsigned char *seen = malloc(n);
    size_t *stack = reallocarray(NULL, n, sizeof *stack),
           *found = reallocarray(NULL, n, sizeof *found);
    if (!seen || !stack || !found) abort();
    for (size_t i = 0; i < n; i++) {
        size_t m = reach(&g, i, seen, stack, found);
        const void **v = CD_NEW_ARRAY(vs->arena, const void *, m ? m : 1);
        for (size_t k = 0; k < m; k++)
            v[k] = entities ? (const void *)vs->s->entities[found[k]].name
                            : (const void *)&vs->s->actions[found[k]];
        qsort(v, m, sizeof *v, cmp_ptr);
        if (entities) {
            vs->ents[i].n_desc = m;
            vs->ents[i].desc = (const cd_name **)v;
        } else {
            vs->acts[i].n_desc = m;
            vs->acts[i].desc = (const cd_action_decl **)v;
        }
    }
    free(seen);
    free(stack);
    free(found);
    free(g.start);
    free(g.kids);
}

void cd_vschema_init(cd_vschema *vs, const cd_schema *s, cd_arena *arena)
{
    memset(vs, 0, sizeof *vs);
    vs->s = s;
    vs->arena = arena;
    vs->ents = CD_NEW_ARRAY(arena, cd_vent, s->n_entities ? s->n_entities : 1);
    vs->acts = CD_NEW_ARRAY(arena, cd_vact, s->n_actions ? s->n_actions : 1);
    memo m = {0};
    for (size_t i = 0; i < s->n_entities; i++) {
        const cd_entity_decl *d = &s->entities[i];
        vs->ents[i].decl = d;
        vs->ents[i].attrs = conv_rec(arena, &m, &d->shape);
        vs->ents[i].tags = d->tags ? conv(arena, &m, d->tags) : NULL;
    }
    for (size_t i = 0; i < s->n_actions; i++) {
        vs->acts[i].decl = &s->actions[i];
        vs->acts[i].context = conv(arena, &m, s->actions[i].context);
    }
    free(m.keys);
    free(m.vals);
    closure(vs, s->n_entities, entity_parent, true);
    closure(vs, s->n_actions, action_parent, false);
}

const cd_vent *cd_vschema_ent(const cd_vschema *vs, const cd_name *type)
{
    const cd_entity_decl *d = cd_schema_entity(vs->s, type);
    return d ? &vs->ents[d - vs->s->entities] : NULL;
}

const cd_vact *cd_vschema_act(const cd_vschema *vs, const cd_uid *uid)
{
    const cd_action_decl *d = cd_schema_action(vs->s, uid);
    return d ? &vs->acts[d - vs->s->actions] : NULL;
}

bool cd_vschema_ent_has_desc(const cd_vent *e, const cd_name *n)
{
    return has_ptr((const void *const *)e->desc, e->n_desc, n);
}

bool cd_vschema_act_has_desc(const cd_vact *a, const cd_action_decl *d)
{
    return has_ptr((const void *const *)a->desc, a->n_desc, d);
}

bool cd_vschema_is_action_type(const cd_name *n)
{
    static const char act[] = "Action";
    size_t k = sizeof act - 1;
    if (n->len < k || memcmp(n->text + n->len - k, act, k) != 0) return false;
    return n->len == k || (n->len >= k + 2 && n->text[n->len - k - 1] == ':');
}

bool cd_vschema_knows_type(const cd_vschema *vs, const cd_name *type)
{
    return cd_vschema_is_action_type(type) || cd_schema_entity(vs->s, type) != NULL;
}

bool cd_vschema_may_be_in(const cd_vschema *vs, const cd_name *lhs, const cd_name *rhs)
{
    if (lhs == rhs) return true;
    /* the entity hierarchy: lhs is a descendant type of rhs */
    const cd_vent *r = cd_vschema_ent(vs, rhs);
    if (r && cd_vschema_ent_has_desc(r, lhs)) return true;
    /* the action hierarchy: some action of type rhs has a descendant of type lhs */
    for (size_t i = 0; i < vs->s->n_actions; i++) {
        const cd_vact *a = &vs->acts[i];
        if (a->decl->uid.type != rhs) continue;
        for (size_t k = 0; k < a->n_desc; k++)
            if (a->desc[k]->uid.type == lhs) return true;
    }
    return false;
}
