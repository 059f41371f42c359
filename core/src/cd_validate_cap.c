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
        if (!cd_expr_same(a[i], b[i])) return false;
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
        same = cd_str_eq(x[i].key, y[i].key) && cd_expr_same(x[i].val, y[i].val);
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
bool cd_v_bool_lit(const cd_expr *e, bool *b)
{
    bool decided = false, value = false, r;
    for (; e->kind == CD_X_AND || e->kind == CD_X_OR; e = e->u.op.a) {
        if (!cd_v_bool_lit(e->u.op.b, &r)) return false;
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
        return e->u.is.in && isin->u.is.type == e->u.is.type && cd_expr_same(x, e->u.is.obj) &&
               cd_expr_same(isin->u.is.in, e->u.is.in);
    if (e->kind != CD_X_AND) return false;
    const cd_expr *is = e->u.op.a, *in = e->u.op.b;
    return is->kind == CD_X_IS && !is->u.is.in && is->u.is.type == isin->u.is.type &&
           cd_expr_same(x, is->u.is.obj) && in->kind == CD_X_IN && cd_expr_same(x, in->u.op.a) &&
           cd_expr_same(isin->u.is.in, in->u.op.b);
}

/* One level of cd_expr_same; for an operator (or attribute access) whose
 * other operands are the same, *left_a and *left_b are set to the left
 * operands still to compare, so that chains are walked by a loop. */
static bool same_level(const cd_expr *a, const cd_expr *b, const cd_expr **left_a,
                       const cd_expr **left_b)
{
    *left_a = *left_b = NULL;
    if (a == b) return true;
    if (!a || !b) return false;
    bool x, y;
    bool fa = cd_v_bool_lit(a, &x), fb = cd_v_bool_lit(b, &y);
    if (fa || fb) return fa && fb && x == y;
    if (a->kind == CD_X_GT || a->kind == CD_X_GE || b->kind == CD_X_GT || b->kind == CD_X_GE) {
        cd_xkind ka, kb;
        const cd_expr *xa, *ya, *xb, *yb;
        return negated_cmp(a, &ka, &xa, &ya) && negated_cmp(b, &kb, &xb, &yb) && ka == kb &&
               cd_expr_same(xa, xb) && cd_expr_same(ya, yb);
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
               cd_expr_same(a->u.like.obj, b->u.like.obj);
    case CD_X_IS: /* without `in` (above) */
        return a->u.is.type == b->u.is.type && cd_expr_same(a->u.is.obj, b->u.is.obj);
    case CD_X_SET:
        return a->u.list.n == b->u.list.n &&
               same_list(a->u.list.items, b->u.list.items, a->u.list.n);
    case CD_X_RECORD: return same_record(a, b);
    case CD_X_CALL:
        return a->u.call.fn == b->u.call.fn && a->u.call.n == b->u.call.n &&
               same_list(a->u.call.args, b->u.call.args, a->u.call.n);
    default: /* operators: up to three operands, unused ones NULL */
        if (!cd_expr_same(a->u.op.b, b->u.op.b) || !cd_expr_same(a->u.op.c, b->u.op.c))
            return false;
        *left_a = a->u.op.a;
        *left_b = b->u.op.a;
        return true;
    }
}

bool cd_expr_same(const cd_expr *a, const cd_expr *b)
{
    while (a || b) {
        if (!same_level(a, b, &a, &b)) return false;
    }
    return true;
}

static bool cap_eq(const cd_cap *x, const cd_cap *y)
{
    if (x->is_tag != y->is_tag) return false;
    if (x->is_tag ? !cd_expr_same(x->tag, y->tag) : !cd_str_eq(x->attr, y->attr)) return false;
    return cd_expr_same(x->on, y->on);
}

static bool caps_has(cd_caps c, const cd_cap *x)
{
    for (size_t i = 0; i < c.n; i++)
        if (cap_eq(&c.v[i], x)) return true;
    return false;
}

cd_caps cd_caps_union(cd_arena *ar, cd_caps a, cd_caps b)
{
    if (b.n == 0) return a;
    if (a.n == 0) return b;
    cd_cap *v = CD_NEW_ARRAY(ar, cd_cap, a.n + b.n);
    memcpy(v, a.v, a.n * sizeof *v);
    size_t n = a.n;
    for (size_t i = 0; i < b.n; i++)
        if (!caps_has(a, &b.v[i])) v[n++] = b.v[i];
    return (cd_caps){n, v};
}

cd_caps cd_caps_intersect(cd_arena *ar, cd_caps a, cd_caps b)
{
    if (a.n == 0 || b.n == 0) return (cd_caps){0, NULL};
    cd_cap *v = CD_NEW_ARRAY(ar, cd_cap, a.n);
    size_t n = 0;
    for (size_t i = 0; i < a.n; i++)
        if (caps_has(b, &a.v[i])) v[n++] = a.v[i];
    return (cd_caps){n, v};
}

cd_caps cd_caps_attr(cd_arena *ar, const cd_expr *on, cd_str attr)
{
    cd_cap *c = CD_NEW(ar, cd_cap);
    *c = (cd_cap){.on = on, .attr = attr};
    return (cd_caps){1, c};
}

cd_caps cd_caps_tag(cd_arena *ar, const cd_expr *on, const cd_expr *tag)
{
    cd_cap *c = CD_NEW(ar, cd_cap);
    *c = (cd_cap){.on = on, .is_tag = true, .tag = tag};
    return (cd_caps){1, c};
}

bool cd_caps_has_attr(cd_caps c, const cd_expr *on, cd_str attr)
{
    cd_cap x = {.on = on, .attr = attr};
    return caps_has(c, &x);
}

bool cd_caps_has_tag(cd_caps c, const cd_expr *on, const cd_expr *tag)
{
    cd_cap x = {.on = on, .is_tag = true, .tag = tag};
    return caps_has(c, &x);
}
