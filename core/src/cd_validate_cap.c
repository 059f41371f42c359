/* cd_validate_cap.c: capability sets (which attributes and tags are known to
 * exist after an expression evaluated to true) and the expression shape
 * equality they are keyed by: two expressions are the same when they are
 * equal ignoring source locations (the official ExprShapeOnly). Record
 * literals compare as maps (the official AST keeps their fields sorted).
 */
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>

#include "cd_validate_int.h"

static bool same_list(cd_expr *const *a, cd_expr *const *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!cd_caps_expr_same(a[i], b[i])) return false;
    return true;
}

typedef struct field {
    cd_str key;
    const cd_expr *val;
} field;

static int cmp_field(const void *x, const void *y)
{
    return cd_str_cmp(((const field *)x)->key, ((const field *)y)->key);
}

static field *sorted_fields(const cd_expr *e)
{
    size_t n = e->u.rec.n;
    field *f = reallocarray(NULL, n ? n : 1, sizeof *f);
    if (!f) abort();
    for (size_t i = 0; i < n; i++)
        f[i] = (field){e->u.rec.keys[i], e->u.rec.vals[i]};
    qsort(f, n, sizeof *f, cmp_field);
    return f;
}

/* Record literals are maps: the same fields in any order (keys are unique). */
static bool same_record(const cd_expr *a, const cd_expr *b)
{
    size_t n = a->u.rec.n;
    if (n != b->u.rec.n) return false;
    bool in_order = true; /* the common case: written alike */
    for (size_t i = 0; i < n && in_order; i++)
        in_order = cd_str_eq(a->u.rec.keys[i], b->u.rec.keys[i]);
    if (in_order) return same_list(a->u.rec.vals, b->u.rec.vals, n);
    field *x = sorted_fields(a), *y = sorted_fields(b);
    bool same = true;
    for (size_t i = 0; i < n && same; i++)
        same = cd_str_eq(x[i].key, y[i].key) && cd_caps_expr_same(x[i].val, y[i].val);
    free(x);
    free(y);
    return same;
}

static bool same_pattern(const cd_pattern *a, const cd_pattern *b)
{
    if (a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->elems[i].star != b->elems[i].star ||
            (!a->elems[i].star && !cd_str_eq(a->elems[i].lit, b->elems[i].lit)))
            return false;
    return true;
}

/* Down the left spine of `&&`/`||` nodes without recursion (chains can be
 * long): `x && r` is false when r is, `x || r` true when r is, whatever x;
 * the outermost such node decides, otherwise the innermost left operand. */
bool cd_caps_bool_lit(const cd_expr *e, bool *b)
{
    bool decided = false, value = false, r;
    for (; e->kind == CD_X_AND || e->kind == CD_X_OR; e = e->u.op.a) {
        if (!cd_caps_bool_lit(e->u.op.b, &r)) return false;
        if (!decided && r == (e->kind == CD_X_OR)) {
            decided = true;
            value = r;
        }
    }
    if (e->kind != CD_X_LIT || e->u.lit.kind != CD_V_BOOL) return false;
    *b = decided ? value : e->u.lit.u.b;
    return true;
}

/* `a > b` is `!(a <= b)` and `a >= b` is `!(a < b)` in the official AST:
 * the comparison under the negation, for either form. */
static bool negated_cmp(const cd_expr *e, cd_xkind *k, const cd_expr **x, const cd_expr **y)
{
    if (e->kind == CD_X_GT || e->kind == CD_X_GE) {
        *k = e->kind == CD_X_GT ? CD_X_LE : CD_X_LT;
        *x = e->u.op.a;
        *y = e->u.op.b;
        return true;
    }
    const cd_expr *c = e->kind == CD_X_NOT ? e->u.op.a : NULL;
    if (!c || (c->kind != CD_X_LE && c->kind != CD_X_LT)) return false;
    *k = c->kind;
    *x = c->u.op.a;
    *y = c->u.op.b;
    return true;
}

/* `x is T in y` is `x is T && x in y` in the official AST: is e that
 * conjunction, written either way? */
static bool same_is_in(const cd_expr *isin, const cd_expr *e)
{
    const cd_expr *x = isin->u.is.obj;
    if (e->kind == CD_X_IS)
        return e->u.is.in && isin->u.is.type == e->u.is.type && cd_caps_expr_same(x, e->u.is.obj) &&
               cd_caps_expr_same(isin->u.is.in, e->u.is.in);
    if (e->kind != CD_X_AND) return false;
    const cd_expr *is = e->u.op.a, *in = e->u.op.b;
    return is->kind == CD_X_IS && !is->u.is.in && is->u.is.type == isin->u.is.type &&
           cd_caps_expr_same(x, is->u.is.obj) && in->kind == CD_X_IN &&
           cd_caps_expr_same(x, in->u.op.a) && cd_caps_expr_same(isin->u.is.in, in->u.op.b);
}

/* One level of cd_caps_expr_same; for an operator (or attribute access) whose
 * other operands are the same, *left_a and *left_b are set to the left
 * operands still to compare, so that chains are walked by a loop. */
static bool same_level(const cd_expr *a, const cd_expr *b, const cd_expr **left_a,
                       const cd_expr **left_b)
{
    *left_a = *left_b = NULL;
    if (a == b) return true;
    if (!a || !b) return false;
    bool x, y;
    bool fa = cd_caps_bool_lit(a, &x), fb = cd_caps_bool_lit(b, &y);
    if (fa || fb) return fa && fb && x == y;
    if (a->kind == CD_X_GT || a->kind == CD_X_GE || b->kind == CD_X_GT || b->kind == CD_X_GE) {
        cd_xkind ka, kb;
        const cd_expr *xa, *ya, *xb, *yb;
        return negated_cmp(a, &ka, &xa, &ya) && negated_cmp(b, &kb, &xb, &yb) && ka == kb &&
               cd_caps_expr_same(xa, xb) && cd_caps_expr_same(ya, yb);
    }
    if (a->kind == CD_X_IS && a->u.is.in) return same_is_in(a, b);
    if (b->kind == CD_X_IS && b->u.is.in) return same_is_in(b, a);
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case CD_X_LIT: return cd_value_eq(&a->u.lit, &b->u.lit);
    case CD_X_VAR: return a->u.var == b->u.var;
    case CD_X_SLOT: return a->u.slot == b->u.slot;
    case CD_X_HAS:
    case CD_X_GET_ATTR:
        if (!cd_str_eq(a->u.attr.name, b->u.attr.name)) return false;
        *left_a = a->u.attr.obj;
        *left_b = b->u.attr.obj;
        return true;
    case CD_X_LIKE:
        return same_pattern(&a->u.like.pat, &b->u.like.pat) &&
               cd_caps_expr_same(a->u.like.obj, b->u.like.obj);
    case CD_X_IS: /* without `in` (above) */
        return a->u.is.type == b->u.is.type && cd_caps_expr_same(a->u.is.obj, b->u.is.obj);
    case CD_X_SET:
        return a->u.list.n == b->u.list.n &&
               same_list(a->u.list.items, b->u.list.items, a->u.list.n);
    case CD_X_RECORD: return same_record(a, b);
    case CD_X_CALL:
        return a->u.call.fn == b->u.call.fn && a->u.call.n == b->u.call.n &&
               (a->u.call.fn != CD_FN_UNKNOWN || strcmp(a->u.call.name, b->u.call.name) == 0) &&
               same_list(a->u.call.args, b->u.call.args, a->u.call.n);
    default: /* operators: up to three operands, unused ones NULL */
        if (!cd_caps_expr_same(a->u.op.b, b->u.op.b) || !cd_caps_expr_same(a->u.op.c, b->u.op.c))
            return false;
        *left_a = a->u.op.a;
        *left_b = b->u.op.a;
        return true;
    }
}

bool cd_caps_expr_same(const cd_expr *a, const cd_expr *b)
{
    while (a || b) {
        if (!same_level(a, b, &a, &b)) return false;
    }
    return true;
}

/* ---- capability sets ------------------------------------------------------ */

/* Expression hashes consistent with cd_caps_expr_same (same shape, same hash):
 * variables, slots and attribute accesses / `has` chains on them are hashed
 * by name; every other expression gets one constant (cd_caps_expr_same decides).
 * Chains are hashed bottom-up without recursion and memoized by node, so
 * the n-th link of `e has a.b.c...` costs O(1), not O(n). */
typedef struct cd_shape_memo {
    size_t cap, n;
    const cd_expr **keys;
    uint64_t *vals;
} shape_memo;

static const uint64_t OTHER = 0x9e3779b97f4a7c15ULL;

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

static size_t slot_of(const shape_memo *m, const cd_expr *e)
{
    size_t j = (size_t)mix(0, (uint64_t)(uintptr_t)e) & (m->cap - 1);
    while (m->keys[j] && m->keys[j] != e)
        j = (j + 1) & (m->cap - 1);
    return j;
}

static void memo_put(shape_memo *m, const cd_expr *e, uint64_t h)
{
    if (2 * (m->n + 1) > m->cap) {
        shape_memo g = {m->cap ? m->cap * 2 : 256, m->n, NULL, NULL};
        g.keys = calloc(g.cap, sizeof *g.keys);
        g.vals = calloc(g.cap, sizeof *g.vals);
        if (!g.keys || !g.vals) abort();
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i]) continue;
            size_t j = slot_of(&g, m->keys[i]);
            g.keys[j] = m->keys[i];
            g.vals[j] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    size_t j = slot_of(m, e);
    if (!m->keys[j]) m->n++;
    m->keys[j] = e;
    m->vals[j] = h;
}

static bool is_link(const cd_expr *e)
{
    return e->kind == CD_X_GET_ATTR || e->kind == CD_X_HAS;
}

static uint64_t shape_hash(cd_tc *tc, const cd_expr *e)
{
    if (!e) return 0;
    if (e->kind == CD_X_VAR) return mix(1, (uint64_t)e->u.var);
    if (e->kind == CD_X_SLOT) return mix(2, (uint64_t)e->u.slot);
    if (!is_link(e)) return OTHER;
    if (!tc->shapes) {
        tc->shapes = calloc(1, sizeof *tc->shapes);
        if (!tc->shapes) abort();
    }
    shape_memo *m = tc->shapes;
    /* down the chain to a node already hashed or not a link, then back up */
    size_t len = 0;
    const cd_expr *x = e;
    uint64_t h = 0;
    for (;; x = x->u.attr.obj, len++) {
        if (!x || !is_link(x)) {
            h = shape_hash(tc, x); /* not a link: no further recursion */
            break;
        }
        if (m->cap && m->keys[slot_of(m, x)] == x) {
            h = m->vals[slot_of(m, x)];
            break;
        }
    }
    const cd_expr **path = malloc((len ? len : 1) * sizeof *path);
    if (!path) abort();
    x = e;
    for (size_t i = 0; i < len; i++, x = x->u.attr.obj)
        path[i] = x;
    for (size_t i = len; i-- > 0;) {
        cd_str nm = path[i]->u.attr.name;
        h = mix(mix(h, (uint64_t)path[i]->kind), cd_hash_bytes(nm.ptr, nm.len, 7));
        memo_put(m, path[i], h);
    }
    free(path);
    return h;
}

void cd_caps_done(cd_tc *tc)
{
    if (!tc->shapes) return;
    free(tc->shapes->keys);
    free(tc->shapes->vals);
    free(tc->shapes);
    tc->shapes = NULL;
}

static cd_cap make_cap(cd_tc *tc, const cd_expr *on, bool is_tag, cd_str attr, const cd_expr *tag)
{
    uint64_t h = shape_hash(tc, on);
    h = is_tag ? mix(mix(h, 3), shape_hash(tc, tag))
               : mix(mix(h, 4), cd_hash_bytes(attr.ptr, attr.len, 5));
    return (cd_cap){.on = on, .is_tag = is_tag, .attr = attr, .tag = tag, .key = h};
}

static bool cap_eq(const cd_cap *x, const cd_cap *y)
{
    if (x->key != y->key || x->is_tag != y->is_tag) return false;
    if (x->is_tag ? !cd_caps_expr_same(x->tag, y->tag) : !cd_str_eq(x->attr, y->attr)) return false;
    return cd_caps_expr_same(x->on, y->on);
}

/* The first index whose key is >= key. Keys are hashes, spread evenly: a
 * few interpolation steps narrow the range, then a binary search (so an
 * uneven spread costs no more than the binary search). */
static size_t lower(const cd_capl *l, uint64_t key)
{
    size_t lo = 0, hi = l->n; /* the answer is in [lo, hi] */
    for (int step = 0; step < 3 && hi - lo > 8; step++) {
        uint64_t a = l->v[lo].key, b = l->v[hi - 1].key;
        if (key <= a) return lo;
        if (key > b) return hi;
        size_t mid = lo + (size_t)((double)(key - a) / (double)(b - a) * (double)(hi - 1 - lo));
        if (mid <= lo) mid = lo + 1;
        if (mid >= hi) mid = hi - 1;
        if (l->v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool caps_has(cd_caps c, const cd_cap *x)
{
    for (const cd_capl *l = c.top; l; l = l->next)
        for (size_t i = lower(l, x->key); i < l->n && l->v[i].key == x->key; i++)
            if (cap_eq(&l->v[i], x)) return true;
    return false;
}

/* Merge two sorted arrays into out (room for both). */
static size_t merge(const cd_cap *a, size_t na, const cd_cap *b, size_t nb, cd_cap *out)
{
    size_t i = 0, j = 0, n = 0;
    while (i < na || j < nb)
        out[n++] = j == nb || (i < na && a[i].key <= b[j].key) ? a[i++] : b[j++];
    return n;
}

static int cmp_key(const void *x, const void *y)
{
    uint64_t a = ((const cd_cap *)x)->key, b = ((const cd_cap *)y)->key;
    return a < b ? -1 : a > b;
}

/* Every cap of c, into out (room for c.n). */
static size_t flatten(cd_caps c, cd_cap *out)
{
    size_t n = 0;
    for (const cd_capl *l = c.top; l; l = l->next) {
        memcpy(out + n, l->v, l->n * sizeof *out);
        n += l->n;
    }
    return n;
}

/* c with the caps v[0..n) (sorted, none in c) added on top, carrying. */
static cd_caps push_layer(cd_tc *tc, cd_caps c, cd_cap *v, size_t n)
{
    if (n == 0) return c;
    const cd_capl *rest = c.top;
    size_t total = c.n + n;
    while (rest && rest->n <= n) {
        cd_cap *m = CD_NEW_ARRAY(tc->arena, cd_cap, n + rest->n);
        n = merge(v, n, rest->v, rest->n, m);
        v = m;
        rest = rest->next;
    }
    cd_capl *l = CD_NEW(tc->arena, cd_capl);
    *l = (cd_capl){n, v, rest};
    return (cd_caps){total, l};
}

cd_caps cd_caps_union(cd_tc *tc, cd_caps a, cd_caps b)
{
    if (b.n == 0) return a;
    if (a.n == 0) return b;
    if (a.n < b.n) {
        cd_caps t = a;
        a = b;
        b = t;
    }
    /* b's caps that a lacks, sorted, as a new layer on a */
    cd_cap *v = CD_NEW_ARRAY(tc->arena, cd_cap, b.n);
    size_t n = 0;
    for (const cd_capl *l = b.top; l; l = l->next)
        for (size_t i = 0; i < l->n; i++)
            if (!caps_has(a, &l->v[i])) v[n++] = l->v[i];
    if (b.top && b.top->next) qsort(v, n, sizeof *v, cmp_key);
    return push_layer(tc, a, v, n);
}

cd_caps cd_caps_intersect(cd_tc *tc, cd_caps a, cd_caps b)
{
    if (a.n == 0 || b.n == 0) return (cd_caps){0, NULL};
    cd_cap *v = CD_NEW_ARRAY(tc->arena, cd_cap, a.n);
    size_t n = flatten(a, v), k = 0;
    for (size_t i = 0; i < n; i++)
        if (caps_has(b, &v[i])) v[k++] = v[i];
    qsort(v, k, sizeof *v, cmp_key);
    return push_layer(tc, (cd_caps){0, NULL}, v, k);
}

static cd_caps one(cd_tc *tc, cd_cap c)
{
    cd_cap *v = CD_NEW(tc->arena, cd_cap);
    *v = c;
    return push_layer(tc, (cd_caps){0, NULL}, v, 1);
}

cd_caps cd_caps_attr(cd_tc *tc, const cd_expr *on, cd_str attr)
{
    return one(tc, make_cap(tc, on, false, attr, NULL));
}

cd_caps cd_caps_tag(cd_tc *tc, const cd_expr *on, const cd_expr *tag)
{
    return one(tc, make_cap(tc, on, true, (cd_str){0}, tag));
}

bool cd_caps_has_attr(cd_tc *tc, cd_caps c, const cd_expr *on, cd_str attr)
{
    cd_cap x = make_cap(tc, on, false, attr, NULL);
    return caps_has(c, &x);
}

bool cd_caps_has_tag(cd_tc *tc, cd_caps c, const cd_expr *on, const cd_expr *tag)
{
    cd_cap x = make_cap(tc, on, true, (cd_str){0}, tag);
    return caps_has(c, &x);
}
