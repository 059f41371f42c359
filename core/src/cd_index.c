/* cd_index.c: the policy index (see cd_index.h). */
#include "cd_index.h"

#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>

size_t cd_index_scan_below = 16;

/* A sorted list of positions; up to two stored inline (most buckets of a
 * set of links hold one policy). */
typedef struct ix_list {
    uint32_t n, cap;
    union {
        uint32_t in[2];
        uint32_t *heap;
    } u;
} ix_list;

static uint32_t *list_items(ix_list *l)
{
    return l->cap > 2 ? l->u.heap : l->u.in;
}

static const uint32_t *list_citems(const ix_list *l)
{
    return l->cap > 2 ? l->u.heap : l->u.in;
}

static void list_insert(ix_list *l, uint32_t pos)
{
    if (l->cap < 2) l->cap = 2;
    if (l->n == l->cap) {
        uint32_t cap = l->cap * 2;
        uint32_t *h = reallocarray(l->cap > 2 ? l->u.heap : NULL, cap, sizeof *h);
        if (!h) abort();
        if (l->cap == 2) memcpy(h, l->u.in, sizeof l->u.in);
        l->u.heap = h;
        l->cap = cap;
    }
    uint32_t *v = list_items(l), i = l->n;
    while (i > 0 && v[i - 1] > pos) /* appending in policy order: no move */
        i--;
    if (i > 0 && v[i - 1] == pos) return; /* `action in [A, A]`: filed once */
    memmove(v + i + 1, v + i, (l->n - i) * sizeof *v);
    v[i] = pos;
    l->n++;
}

static void list_erase(ix_list *l, uint32_t pos)
{
    uint32_t *v = list_items(l);
    for (uint32_t i = l->n; i-- > 0;) {
        if (v[i] == pos) {
            memmove(v + i, v + i + 1, (l->n - i - 1) * sizeof *v);
            l->n--;
            return;
        }
    }
}

static void list_free(ix_list *l)
{
    if (l->cap > 2) free(l->u.heap);
}

/* A bucket: an entity (eq and in lists) or a type (its `is T` list in eq). */
typedef struct ix_entry {
    cd_uid key; /* key.id unused for a type */
    bool is_type;
    ix_list eq, in;
} ix_entry;

typedef struct ix_slot {
    uint32_t entry; /* entry + 1; 0 = empty */
    uint32_t hash;  /* low bits of the key's hash: most probes touch no entry */
} ix_slot;

typedef struct ix_dim {
    ix_entry *entries;
    size_t n, cap;
    ix_slot *slots; /* n_slots a power of two */
    size_t n_slots;
    ix_list any;
} ix_dim;

struct cd_index {
    ix_dim dim[3]; /* principal, action, resource */
};

static uint64_t key_hash(const cd_uid *u, bool is_type)
{
    return is_type ? u->type->hash * 0x9E3779B97F4A7C15ULL + 1 : cd_uid_hash(u);
}

static bool key_eq(const ix_entry *e, const cd_uid *u, bool is_type)
{
    return e->is_type == is_type && e->key.type == u->type &&
           (is_type || cd_str_eq(e->key.id, u->id));
}

static ix_entry *dim_find(const ix_dim *d, const cd_uid *u, bool is_type)
{
    if (!d->n_slots) return NULL;
    size_t mask = d->n_slots - 1;
    uint32_t h = (uint32_t)key_hash(u, is_type);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        ix_slot s = d->slots[i];
        if (!s.entry) return NULL;
        if (s.hash == h && key_eq(&d->entries[s.entry - 1], u, is_type))
            return &d->entries[s.entry - 1];
    }
}

static void slot_put(ix_dim *d, size_t e, uint32_t h)
{
    size_t mask = d->n_slots - 1, i = h & mask;
    while (d->slots[i].entry)
        i = (i + 1) & mask;
    d->slots[i] = (ix_slot){(uint32_t)(e + 1), h};
}

/* The bucket of u (found or made). Buckets are never deleted: an emptied
 * one stays, empty. */
static ix_entry *dim_get(ix_dim *d, const cd_uid *u, bool is_type)
{
    ix_entry *e = dim_find(d, u, is_type);
    if (e) return e;
    if (d->n >= UINT32_MAX - 1) abort(); /* out of memory long before */
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->entries = reallocarray(d->entries, d->cap, sizeof *d->entries);
        if (!d->entries) abort();
    }
    if ((d->n + 1) * 4 > d->n_slots * 3) {
        free(d->slots);
        d->n_slots = d->n_slots ? d->n_slots * 2 : 16;
        d->slots = calloc(d->n_slots, sizeof *d->slots);
        if (!d->slots) abort();
        for (size_t i = 0; i < d->n; i++)
            slot_put(d, i, (uint32_t)key_hash(&d->entries[i].key, d->entries[i].is_type));
    }
    e = &d->entries[d->n];
    memset(e, 0, sizeof *e);
    e->key = *u;
    e->is_type = is_type;
    slot_put(d, d->n++, (uint32_t)key_hash(u, is_type));
    return e;
}

cd_index *cd_index_new(void)
{
    cd_index *ix = calloc(1, sizeof *ix);
    if (!ix) abort();
    return ix;
}

void cd_index_free(cd_index *ix)
{
    if (!ix) return;
    for (int k = 0; k < 3; k++) {
        ix_dim *d = &ix->dim[k];
        for (size_t i = 0; i < d->n; i++) {
            list_free(&d->entries[i].eq);
            list_free(&d->entries[i].in);
        }
        list_free(&d->any);
        free(d->entries);
        free(d->slots);
    }
    free(ix);
}

/* The entity a scope names: its literal or the link's slot value. */
static const cd_uid *scope_entity(const cd_policy *p, const cd_scope *s, int k)
{
    if (!s->slot) return &s->uid;
    return k == 0 ? &p->principal_slot : &p->resource_slot;
}

/* Insert (add) or erase pos in every list p's scope k is filed under. */
static void file_scope(cd_index *ix, const cd_policy *p, int k, uint32_t pos, bool add)
{
    const cd_scope *s = k == 0 ? &p->principal : k == 1 ? &p->action : &p->resource;
    ix_dim *d = &ix->dim[k];
    void (*op)(ix_list *, uint32_t) = add ? list_insert : list_erase;
    cd_uid tkey;
    switch (s->op) {
    case CD_SCOPE_ANY: op(&d->any, pos); return;
    case CD_SCOPE_EQ: op(&dim_get(d, scope_entity(p, s, k), false)->eq, pos); return;
    case CD_SCOPE_IN:
    case CD_SCOPE_IS_IN: op(&dim_get(d, scope_entity(p, s, k), false)->in, pos); return;
    case CD_SCOPE_IS:
        tkey = (cd_uid){.type = s->is_type};
        op(&dim_get(d, &tkey, true)->eq, pos);
        return;
    case CD_SCOPE_IN_SET:
        for (size_t i = 0; i < s->n_uids; i++)
            op(&dim_get(d, &s->uids[i], false)->in, pos);
        return;
    }
    /* An unknown scope kind: filed as unconstrained, so it is still evaluated
     * (and reports its error) exactly as in a full scan. */
    op(&d->any, pos);
}

void cd_index_add(cd_index *ix, const cd_policy *p, uint32_t pos)
{
    if (p->is_template) return;
    for (int k = 0; k < 3; k++)
        file_scope(ix, p, k, pos, true);
}

void cd_index_remove(cd_index *ix, const cd_policy *p, uint32_t pos)
{
    if (p->is_template) return;
    for (int k = 0; k < 3; k++)
        file_scope(ix, p, k, pos, false);
}

static void list_close_gap(ix_list *l, uint32_t pos)
{
    uint32_t *v = list_items(l);
    for (uint32_t i = l->n; i-- > 0 && v[i] > pos;)
        v[i]--;
}

void cd_index_close_gap(cd_index *ix, uint32_t pos)
{
    for (int k = 0; k < 3; k++) {
        ix_dim *d = &ix->dim[k];
        list_close_gap(&d->any, pos);
        for (size_t i = 0; i < d->n; i++) {
            list_close_gap(&d->entries[i].eq, pos);
            list_close_gap(&d->entries[i].in, pos);
        }
    }
}

/* The lists holding a dimension's candidates for one request variable. At
 * most FEW candidates are evaluated rather than looking further. */
enum { MAX_LISTS = 64, FEW = 4 };
typedef struct cands {
    const ix_list *lists[MAX_LISTS];
    size_t n_lists;
    size_t total;
    bool overflow; /* more non-empty lists than fit: give up on the dimension */
} cands;

static void take(cands *c, const ix_list *l)
{
    if (!l->n) return;
    if (c->n_lists == MAX_LISTS) {
        c->overflow = true;
        return;
    }
    c->lists[c->n_lists++] = l;
    c->total += l->n;
}

static void gather(const ix_dim *d, const cd_uid *u, const cd_entities *es, cands *c)
{
    c->n_lists = c->total = 0;
    c->overflow = false;
    take(c, &d->any);
    if (!d->n) return;
    const ix_entry *e = dim_find(d, u, false);
    if (e) {
        take(c, &e->eq);
        take(c, &e->in);
    }
    cd_uid tkey = {.type = u->type};
    if ((e = dim_find(d, &tkey, true))) take(c, &e->eq);
    const cd_entity *ent = cd_entities_find(es, u);
    if (ent && !ent->closed) { /* no closure kept: the ancestors by the walk */
        cd_vec anc;
        cd_vec_init(&anc, sizeof(cd_uid));
        size_t n = cd_entity_ancestors(ent, &anc);
        for (size_t i = 0; i < n && !c->overflow; i++)
            if ((e = dim_find(d, &CD_VEC_AT(&anc, cd_uid, i), false))) take(c, &e->in);
        cd_vec_free(&anc);
        return;
    }
    for (size_t i = 0; ent && i < ent->n_ancestors && !c->overflow; i++)
        if ((e = dim_find(d, &ent->ancestors[i], false))) take(c, &e->in);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

bool cd_index_candidates(const cd_index *ix, size_t n, const cd_request *req, const cd_entities *es,
                         cd_arena *arena, const uint32_t **out, size_t *n_out)
{
    if (!ix || n < cd_index_scan_below) return false;
    const cd_value *vars[3] = {&req->principal, &req->action, &req->resource};
    for (int k = 0; k < 3; k++)
        if (vars[k]->kind != CD_V_ENTITY) return false; /* scopes may error: scan */
    /* Action first (often the most selective), then principal, resource;
     * stop as soon as one dimension leaves only a few candidates. */
    static const int order[3] = {1, 0, 2};
    cands c[3];
    int best = -1;
    for (int j = 0; j < 3; j++) {
        int k = order[j];
        gather(&ix->dim[k], &vars[k]->u.uid, es, &c[k]);
        if (!c[k].overflow && (best < 0 || c[k].total < c[best].total)) best = k;
        if (best >= 0 && c[best].total <= FEW) break;
    }
    if (best < 0 || c[best].total * 2 > n) return false; /* about as cheap to scan */
    const cands *b = &c[best];
    uint32_t *v = CD_NEW_ARRAY(arena, uint32_t, b->total ? b->total : 1);
    size_t m = 0;
    for (size_t i = 0; i < b->n_lists; i++) {
        memcpy(v + m, list_citems(b->lists[i]), b->lists[i]->n * sizeof *v);
        m += b->lists[i]->n;
    }
    if (b->n_lists > 1) { /* merge: sort, then drop repeats */
        qsort(v, m, sizeof *v, cmp_u32);
        size_t w = 0;
        for (size_t i = 0; i < m; i++)
            if (w == 0 || v[w - 1] != v[i]) v[w++] = v[i];
        m = w;
    }
    *out = v;
    *n_out = m;
    return true;
}
