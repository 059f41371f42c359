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

/* A bucket: the list of policies filed under one key, an entity uid (in the
 * `eq` and `in` tables) or a type (in the `type` table). The key points into
 * the policy that made the bucket (policies stay in their set's arena). */
typedef struct ix_bucket {
    const void *key; /* const cd_uid *, or const cd_name * in a type table */
    ix_list list;
} ix_bucket;

typedef struct ix_slot {
    uint32_t bucket; /* bucket + 1; 0 = empty */
    uint32_t hash;   /* low bits of the key's hash: most probes touch no bucket */
} ix_slot;

typedef struct ix_table {
    ix_bucket *buckets;
    size_t n, cap;
    ix_slot *slots; /* n_slots a power of two */
    size_t n_slots;
    bool by_type;
} ix_table;

/* One dimension: `== E` under E in eq; `in E`, `is T in E` and `action in
 * [.., E, ..]` under E in in; `is T` under T in type; the rest in any. */
typedef struct ix_dim {
    ix_table eq, in, type;
    ix_list any;
} ix_dim;

/* The lists hold sequence numbers, not positions: a policy's number is given
 * when it is filed and never changes, and numbers increase in policy-set
 * order, so taking a policy out touches only its own buckets. `live` holds
 * the numbers of the set's policies by position (templates included); while
 * no policy left from the middle, the number is the position (`dense`). */
struct cd_index {
    ix_dim dim[3]; /* principal, action, resource */
    uint32_t *live;
    size_t n_live, cap_live;
    uint32_t next_seq;
};

static uint64_t key_hash(const ix_table *t, const void *key)
{
    return t->by_type ? ((const cd_name *)key)->hash * 0x9E3779B97F4A7C15ULL + 1
                      : cd_uid_hash((const cd_uid *)key);
}

static bool key_eq(const ix_table *t, const void *a, const void *b)
{
    if (t->by_type) return a == b;
    const cd_uid *x = a, *y = b;
    return x->type == y->type && cd_str_eq(x->id, y->id);
}

static ix_bucket *table_find(const ix_table *t, const void *key)
{
    if (!t->n) return NULL;
    size_t mask = t->n_slots - 1;
    uint32_t h = (uint32_t)key_hash(t, key);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        ix_slot s = t->slots[i];
        if (!s.bucket) return NULL;
        if (s.hash == h && key_eq(t, t->buckets[s.bucket - 1].key, key))
            return &t->buckets[s.bucket - 1];
    }
}

static void slot_put(ix_table *t, size_t b, uint32_t h)
{
    size_t mask = t->n_slots - 1, i = h & mask;
    while (t->slots[i].bucket)
        i = (i + 1) & mask;
    t->slots[i] = (ix_slot){(uint32_t)(b + 1), h};
}

/* The bucket of key (found or made). Buckets are never deleted: an emptied
 * one stays, empty. */
static ix_list *table_get(ix_table *t, const void *key)
{
    ix_bucket *b = table_find(t, key);
    if (b) return &b->list;
    if (t->n >= UINT32_MAX - 1) abort(); /* out of memory long before */
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 8;
        t->buckets = reallocarray(t->buckets, t->cap, sizeof *t->buckets);
        if (!t->buckets) abort();
    }
    if ((t->n + 1) * 4 > t->n_slots * 3) {
        free(t->slots);
        t->n_slots = t->n_slots ? t->n_slots * 2 : 16;
        t->slots = calloc(t->n_slots, sizeof *t->slots);
        if (!t->slots) abort();
        for (size_t i = 0; i < t->n; i++)
            slot_put(t, i, (uint32_t)key_hash(t, t->buckets[i].key));
    }
    b = &t->buckets[t->n];
    *b = (ix_bucket){.key = key};
    slot_put(t, t->n++, (uint32_t)key_hash(t, key));
    return &b->list;
}

static void table_free(ix_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        list_free(&t->buckets[i].list);
    free(t->buckets);
    free(t->slots);
}

cd_index *cd_index_new(void)
{
    cd_index *ix = calloc(1, sizeof *ix);
    if (!ix) abort();
    for (int k = 0; k < 3; k++)
        ix->dim[k].type.by_type = true;
    return ix;
}

void cd_index_free(cd_index *ix)
{
    if (!ix) return;
    for (int k = 0; k < 3; k++) {
        ix_dim *d = &ix->dim[k];
        table_free(&d->eq);
        table_free(&d->in);
        table_free(&d->type);
        list_free(&d->any);
    }
    free(ix->live);
    free(ix);
}

/* The entity a scope names: its literal or the link's slot value. */
static const cd_uid *scope_entity(const cd_policy *p, const cd_scope *s, int k)
{
    if (!s->slot) return &s->uid;
    return k == 0 ? &p->principal_slot : &p->resource_slot;
}

/* Insert (add) or erase seq in every list p's scope k is filed under. */
static void file_scope(cd_index *ix, const cd_policy *p, int k, uint32_t seq, bool add)
{
    const cd_policy_body *b = p->body;
    const cd_scope *s = k == 0 ? &b->principal : k == 1 ? &b->action : &b->resource;
    ix_dim *d = &ix->dim[k];
    void (*op)(ix_list *, uint32_t) = add ? list_insert : list_erase;
    switch (s->op) {
    case CD_SCOPE_ANY: op(&d->any, seq); return;
    case CD_SCOPE_EQ: op(table_get(&d->eq, scope_entity(p, s, k)), seq); return;
    case CD_SCOPE_IN:
    case CD_SCOPE_IS_IN: op(table_get(&d->in, scope_entity(p, s, k)), seq); return;
    case CD_SCOPE_IS: op(table_get(&d->type, s->is_type), seq); return;
    case CD_SCOPE_IN_SET:
        for (size_t i = 0; i < s->n_uids; i++)
            op(table_get(&d->in, &s->uids[i]), seq);
        return;
    }
    /* An unknown scope kind: filed as unconstrained, so it is still evaluated
     * (and reports its error) exactly as in a full scan. */
    op(&d->any, seq);
}

void cd_index_add(cd_index *ix, const cd_policy *p, uint32_t pos)
{
    /* positions come in order: p is appended */
    if (pos != ix->n_live || ix->next_seq == UINT32_MAX) abort();
    if (ix->n_live == ix->cap_live) {
        ix->cap_live = ix->cap_live ? ix->cap_live * 2 : 16;
        ix->live = reallocarray(ix->live, ix->cap_live, sizeof *ix->live);
        if (!ix->live) abort();
    }
    uint32_t seq = ix->next_seq++;
    ix->live[ix->n_live++] = seq;
    if (p->is_template) return;
    for (int k = 0; k < 3; k++)
        file_scope(ix, p, k, seq, true);
}

void cd_index_remove(cd_index *ix, const cd_policy *p, uint32_t pos)
{
    if (pos >= ix->n_live) abort();
    uint32_t seq = ix->live[pos];
    if (!p->is_template)
        for (int k = 0; k < 3; k++)
            file_scope(ix, p, k, seq, false);
    memmove(ix->live + pos, ix->live + pos + 1, (ix->n_live - pos - 1) * sizeof *ix->live);
    ix->n_live--;
    if (seq + 1 == ix->next_seq) ix->next_seq--; /* the last one: numbers stay dense */
}

uint32_t cd_index_seq(const cd_index *ix, size_t pos)
{
    if (pos >= ix->n_live) abort();
    return ix->live[pos];
}

size_t cd_index_position(const cd_index *ix, uint32_t seq)
{
    if (ix->next_seq == ix->n_live) return seq; /* dense */
    size_t lo = 0, hi = ix->n_live;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->live[mid] <= seq)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
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

static void gather(const ix_dim *d, const cd_uid *u, const cd_entities *es, cd_arena *arena,
                   cands *c)
{
    c->n_lists = c->total = 0;
    c->overflow = false;
    take(c, &d->any);
    const ix_bucket *b;
    if ((b = table_find(&d->eq, u))) take(c, &b->list);
    if ((b = table_find(&d->type, u->type))) take(c, &b->list);
    if (!d->in.n) return;
    if ((b = table_find(&d->in, u))) take(c, &b->list);
    const cd_entity *ent = cd_entities_find(es, u);
    if (ent && !ent->closed) { /* no closure kept: the ancestors by the walk */
        const cd_uid *anc;
        size_t n = cd_entity_ancestors_in(ent, arena, &anc);
        for (size_t i = 0; i < n && !c->overflow; i++)
            if ((b = table_find(&d->in, &anc[i]))) take(c, &b->list);
        return;
    }
    for (size_t i = 0; ent && i < ent->n_ancestors && !c->overflow; i++)
        if ((b = table_find(&d->in, &ent->ancestors[i]))) take(c, &b->list);
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
        gather(&ix->dim[k], &vars[k]->u.uid, es, arena, &c[k]);
        if (!c[k].overflow && (best < 0 || c[k].total < c[best].total)) best = k;
        if (best >= 0 && c[best].total <= FEW) break;
    }
    if (best < 0 || c[best].total * 2 > n) return false; /* about as cheap to scan */
    const cands *b = &c[best];
    uint32_t *v = CD_NEW_ARRAY_RAW(arena, uint32_t, b->total ? b->total : 1); /* written */
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
    for (size_t i = 0; i < m; i++)
        v[i] = (uint32_t)cd_index_position(ix, v[i]);
    *out = v;
    *n_out = m;
    return true;
}
