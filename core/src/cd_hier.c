/* cd_hier.c: the entity hierarchy (`in`), kept bounded.
 *
 * Materializing every entity's transitive closure is quadratic in a chain
 * and cubic-ish in a layered graph (every node of a layer a parent of every
 * node of the next). So a closure is kept only while it is small: an entity
 * is `closed` when its ancestors number at most cd_hier_max_closure, all its
 * parent entities are closed, and the store's work budget (proportional to
 * entities plus edges) is not spent. `in` is then one binary search, as
 * before. For the other entities, `in` walks up the parent links with a
 * visited set and stops at closed entities (whose closures answer for
 * everything above them), so load time and memory stay linear and the
 * answers are the same.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_entities.h"

/* Merge work allowed per entity (the parents plus their closures, before
 * duplicates are dropped). */
#define CD_HIER_MAX_MERGE 2048

size_t cd_hier_max_closure = 256;

static int uid_qcmp(const void *a, const void *b)
{
    return cd_uid_cmp(a, b);
}

size_t cd_uids_sort_unique(cd_uid *xs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xs[i].hash = cd_uid_hash(&xs[i]);
    if (n < 2) return n;
    cd_sort(xs, n, sizeof *xs, uid_qcmp);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (!cd_uid_eq(&xs[i], &xs[m - 1])) xs[m++] = xs[i];
    return m;
}

/* ---- a set of entity pointers (open addressing), for the searches ---------- */

/* A vec grown in arena a (garbage left there), or on the heap when a is NULL. */
static void *push(cd_vec *v, cd_arena *a)
{
    if (!a) return cd_vec_push(v);
    if (v->len == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 16;
        void *items = CD_NEW_ARRAY_RAW(a, char, cap * v->elem);
        if (v->len) memcpy(items, v->items, v->len * v->elem);
        v->items = items;
        v->cap = cap;
    }
    return (char *)v->items + v->elem * v->len++;
}

static void vec_free(cd_vec *v, cd_arena *a)
{
    if (!a) cd_vec_free(v);
}

typedef struct ptrset {
    size_t n, cap; /* cap a power of two */
    const cd_entity **slots;
    cd_arena *arena; /* where it grows; NULL: the heap */
    const cd_entity *local[64];
} ptrset;

static void ptrset_init(ptrset *s, cd_arena *a)
{
    s->n = 0;
    s->arena = a;
    s->cap = 64;
    s->slots = s->local;
    memset(s->local, 0, sizeof s->local);
}

static void ptrset_free(ptrset *s)
{
    if (s->slots != s->local && !s->arena) free(s->slots);
}

static size_t ptr_slot(const cd_entity *p, size_t mask)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 32;
    return (size_t)x & mask;
}

/* Adds p; false when it was there already. */
static bool ptrset_add(ptrset *s, const cd_entity *p)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t ncap = s->cap * 2;
        const cd_entity **ns =
            s->arena ? CD_NEW_ARRAY(s->arena, const cd_entity *, ncap) : calloc(ncap, sizeof *ns);
        if (!ns) abort();
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i]) {
                size_t j = ptr_slot(s->slots[i], ncap - 1);
                while (ns[j])
                    j = (j + 1) & (ncap - 1);
                ns[j] = s->slots[i];
            }
        ptrset_free(s);
        s->slots = ns;
        s->cap = ncap;
    }
    size_t j = ptr_slot(p, s->cap - 1);
    for (; s->slots[j]; j = (j + 1) & (s->cap - 1))
        if (s->slots[j] == p) return false;
    s->slots[j] = p;
    s->n++;
    return true;
}

/* ---- queries ------------------------------------------------------------------ */

/* The search above an entity that is not closed: depth first over parent
 * entities, each visited once. visit(v) returns true to stop. */
typedef bool (*visit_fn)(const cd_entity *v, void *ctx);

static bool walk_up(const cd_entity *e, visit_fn visit, void *ctx, cd_arena *a)
{
    ptrset seen;
    cd_vec stack;
    ptrset_init(&seen, a);
    cd_vec_init(&stack, sizeof(const cd_entity *));
    *(const cd_entity **)push(&stack, a) = e;
    bool stopped = false;
    while (stack.len && !stopped) {
        const cd_entity *v = CD_VEC_AT(&stack, const cd_entity *, --stack.len);
        stopped = visit(v, ctx);
        if (stopped || v->closed) continue; /* a closure covers everything above */
        for (size_t i = 0; i < v->n_parent_ents; i++) {
            const cd_entity *p = v->parent_ents[i];
            /* one child only: reached once, through it (a chain needs no set) */
            if (!p->shared || ptrset_add(&seen, p)) *(const cd_entity **)push(&stack, a) = p;
        }
    }
    vec_free(&stack, a);
    ptrset_free(&seen);
    return stopped;
}

static bool visit_find(const cd_entity *v, void *ctx)
{
    const cd_uid *b = ctx;
    if (v->closed) return cd_closure_contains(v->ancestors, v->n_ancestors, b);
    return cd_uids_contain(v->parents, v->n_parents, b);
}

bool cd_entity_search_ancestor(const cd_entity *e, const cd_uid *b)
{
    if (!e) return false; /* an entity not in the store is only in itself */
    if (e->closed) return cd_closure_contains(e->ancestors, e->n_ancestors, b);
    return walk_up(e, visit_find, (void *)b, NULL);
}

typedef struct collect {
    cd_vec *out;
    cd_arena *arena;
} collect;

static bool visit_collect(const cd_entity *v, void *ctx)
{
    collect *c = ctx;
    const cd_uid *xs = v->closed ? v->ancestors : v->parents;
    size_t n = v->closed ? v->n_ancestors : v->n_parents;
    for (size_t i = 0; i < n; i++)
        *(cd_uid *)push(c->out, c->arena) = xs[i];
    return false;
}

static size_t ancestors(const cd_entity *e, cd_vec *out, cd_arena *a)
{
    out->len = 0;
    if (!e) return 0;
    collect c = {out, a};
    walk_up(e, visit_collect, &c, a);
    out->len = cd_uids_sort_unique(out->items, out->len);
    return out->len;
}

size_t cd_entity_ancestors(const cd_entity *e, cd_vec *out)
{
    return ancestors(e, out, NULL);
}

size_t cd_entity_ancestors_in(const cd_entity *e, cd_arena *a, const cd_uid **out)
{
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_uid));
    size_t n = ancestors(e, &v, a);
    *out = v.items;
    return n;
}

/* ---- building ------------------------------------------------------------------ */

typedef struct frame {
    size_t node, next;
} frame;

static int uid_hier_qcmp(const void *a, const void *b)
{
    return cd_uid_hier_cmp(a, b);
}

/* The union of two duplicate-free arrays sorted by cd_uid_hier_cmp into out. */
static size_t merge_union(const cd_uid *a, size_t na, const cd_uid *b, size_t nb, cd_uid *out)
{
    size_t i = 0, j = 0, m = 0;
    while (i < na && j < nb) {
        int c = cd_uid_hier_cmp(&a[i], &b[j]);
        out[m++] = c <= 0 ? a[i] : b[j];
        i += c <= 0;
        j += c >= 0;
    }
    while (i < na)
        out[m++] = a[i++];
    while (j < nb)
        out[m++] = b[j++];
    return m;
}

/* e's closure, when it is small and every parent entity is closed: the
 * parents (in closure order, in buf[1]) merged with each parent entity's
 * closure, in two buffers of CD_HIER_MAX_MERGE uids. */
static void close_one(cd_entity *e, cd_uid *buf[2], size_t *budget, cd_arena *arena)
{
    e->closed = false;
    e->ancestors = NULL;
    e->n_ancestors = 0;
    size_t work = e->n_parents;
    for (size_t k = 0; k < e->n_parent_ents; k++) {
        if (!e->parent_ents[k]->closed) return;
        work += e->parent_ents[k]->n_ancestors;
    }
    if (work > CD_HIER_MAX_MERGE || work > *budget) return;
    *budget -= work;
    size_t m = e->n_parents;
    for (size_t k = 0; k < m; k++) { /* parents' hashes are cached (cd_uids_sort_unique) */
        buf[1][k] = e->parents[k];
        buf[1][k].hash = cd_uid_hash(&e->parents[k]);
    }
    cd_sort(buf[1], m, sizeof *buf[1], uid_hier_qcmp);
    const cd_uid *cur = buf[1];
    for (size_t k = 0; k < e->n_parent_ents && m <= cd_hier_max_closure; k++) {
        const cd_entity *p = e->parent_ents[k];
        cd_uid *out = buf[k & 1];
        m = merge_union(cur, m, p->ancestors, p->n_ancestors, out);
        cur = out;
    }
    if (m > cd_hier_max_closure) return;
    e->ancestors = m ? cd_arena_dup(arena, cur, m * sizeof(cd_uid)) : NULL;
    e->n_ancestors = m;
    e->closed = true;
}

bool cd_hier_build(cd_entity *items, size_t n, size_t n_edges, cd_arena *arena, size_t *cycle)
{
    bool ok = true;
    unsigned char *state = calloc(n ? n : 1, 1); /* 0 new, 1 open, 2 done */
    size_t budget = 4 * (n + n_edges) + ((size_t)1 << 16);
    cd_vec stack;
    cd_vec_init(&stack, sizeof(frame));
    cd_uid *buf[2] = {malloc(CD_HIER_MAX_MERGE * sizeof(cd_uid)),
                      malloc(CD_HIER_MAX_MERGE * sizeof(cd_uid))};
    if (!state || !buf[0] || !buf[1]) abort();
    for (size_t i = 0; i < n; i++) /* the second link into an entity marks it shared */
        for (size_t k = 0; k < items[i].n_parent_ents; k++) {
            cd_entity *p = &items[items[i].parent_ents[k] - items];
            p->shared = state[p - items] == 1;
            state[p - items] = 1;
        }
    memset(state, 0, n);
    /* Depth first in item order, parents in their (sorted) order: the cycle
     * reported is the first one met this way. */
    for (size_t root = 0; root < n && ok; root++) {
        if (state[root]) continue;
        state[root] = 1;
        *(frame *)cd_vec_push(&stack) = (frame){root, 0};
        while (stack.len && ok) {
            frame *f = &CD_VEC_AT(&stack, frame, stack.len - 1);
            cd_entity *e = &items[f->node];
            if (f->next < e->n_parent_ents) {
                size_t pi = (size_t)(e->parent_ents[f->next++] - items);
                if (state[pi] == 2) continue;
                if (state[pi] == 1) {
                    *cycle = pi;
                    ok = false;
                    break;
                }
                state[pi] = 1;
                *(frame *)cd_vec_push(&stack) = (frame){pi, 0};
                continue;
            }
            close_one(e, buf, &budget, arena);
            state[f->node] = 2;
            stack.len--;
        }
    }
    free(state);
    free(buf[0]);
    free(buf[1]);
    cd_vec_free(&stack);
    return ok;
}
