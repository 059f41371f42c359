/* m_build.c: the model's memory (an arena: a list of blocks freed together)
 * and the constructors of values and expressions. No semantics here. */
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* ZERO: memory is zeroed ahead of use in runs of this size, one memset for
 * many of the small allocations that make up most of the model's */
enum { BLOCK = 64 * 1024, ZERO = 1024 };

typedef struct block {
    struct block *next;
    size_t used, zeroed, cap;
    _Alignas(16) unsigned char data[];
} block;

struct m_arena {
    block *head;
};

m_arena *m_arena_new(void)
{
    m_arena *a = calloc(1, sizeof *a);
    if (!a) abort();
    return a;
}

void m_arena_free(m_arena *a)
{
    if (!a) return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

/* m_alloc when the head block has no zeroed room for n bytes: a new block
 * if needed, then zero ahead (apart, so that m_alloc's common path stays a
 * few instructions) */
__attribute__((noinline)) static void *alloc_zeroing(m_arena *a, size_t n)
{
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > BLOCK ? n : BLOCK;
        block *b = malloc(sizeof *b + cap);
        if (!b) abort();
        b->next = a->head;
        b->used = b->zeroed = 0;
        b->cap = cap;
        a->head = b;
    }
    block *b = a->head;
    size_t z = b->used + n - b->zeroed < ZERO ? ZERO : b->used + n - b->zeroed;
    if (z > b->cap - b->zeroed) z = b->cap - b->zeroed;
    memset(b->data + b->zeroed, 0, z);
    b->zeroed += z;
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

void *m_alloc(m_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    block *b = a->head;
    if (!b || b->zeroed - b->used < n) return alloc_zeroing(a, n);
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

m_str m_str_c(const char *s)
{
    return (m_str){s, strlen(s)};
}

bool m_str_eq(m_str a, m_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

m_value m_set_of(m_arena *a, size_t n, const m_value *elems)
{
    m_value v = {.kind = M_V_SET};
    v.u.set.n = n;
    v.u.set.elems = m_alloc(a, (n + 1) * sizeof *elems);
    if (n) memcpy(v.u.set.elems, elems, n * sizeof *elems);
    return v;
}

m_value m_record_of(m_arena *a, size_t n, const m_str *keys, const m_value *vals)
{
    m_value v = {.kind = M_V_RECORD};
    v.u.rec.n = n;
    v.u.rec.fields = m_alloc(a, (n + 1) * sizeof *v.u.rec.fields);
    for (size_t i = 0; i < n; i++)
        v.u.rec.fields[i] = (m_field){keys[i], vals[i]};
    return v;
}

const char *m_error_name(m_error e)
{
    static const char *const names[] = {
        "ok",        "entityDoesNotExist", "attrDoesNotExist", "tagDoesNotExist",
        "typeError", "arithBoundsError",   "extensionError"};
    return (size_t)e < sizeof names / sizeof *names ? names[e] : "?";
}

static m_expr *node(m_arena *a, m_xkind kind)
{
    m_expr *x = m_alloc(a, sizeof *x);
    x->kind = kind;
    return x;
}

m_expr *m_x_lit(m_arena *a, m_value v)
{
    m_expr *x = node(a, M_X_LIT);
    x->u.lit = v;
    return x;
}

m_expr *m_x_var(m_arena *a, m_var v)
{
    m_expr *x = node(a, M_X_VAR);
    x->u.var = v;
    return x;
}

static m_expr *op3(m_arena *a, m_xkind k, const m_expr *p, const m_expr *q, const m_expr *r)
{
    m_expr *x = node(a, k);
    x->u.op.a = p;
    x->u.op.b = q;
    x->u.op.c = r;
    return x;
}

m_expr *m_x_ite(m_arena *a, const m_expr *c, const m_expr *t, const m_expr *e)
{
    return op3(a, M_X_ITE, c, t, e);
}

m_expr *m_x_and(m_arena *a, const m_expr *p, const m_expr *q)
{
    return op3(a, M_X_AND, p, q, NULL);
}

m_expr *m_x_or(m_arena *a, const m_expr *p, const m_expr *q)
{
    return op3(a, M_X_OR, p, q, NULL);
}

m_expr *m_x_unary(m_arena *a, m_op1 op, const m_expr *arg)
{
    m_expr *x = node(a, M_X_UNARY);
    x->u.un.op = op;
    x->u.un.arg = arg;
    return x;
}

m_expr *m_x_is(m_arena *a, const m_expr *arg, m_str ety)
{
    m_expr *x = m_x_unary(a, M_IS, arg);
    x->u.un.ety = ety;
    return x;
}

m_expr *m_x_like(m_arena *a, const m_expr *arg, m_pattern pat)
{
    m_expr *x = m_x_unary(a, M_LIKE, arg);
    x->u.un.pat = pat;
    return x;
}

m_expr *m_x_binary(m_arena *a, m_op2 op, const m_expr *p, const m_expr *q)
{
    m_expr *x = node(a, M_X_BINARY);
    x->u.bin.op = op;
    x->u.bin.a = p;
    x->u.bin.b = q;
    return x;
}

static m_expr *attr(m_arena *a, m_xkind k, const m_expr *arg, m_str name)
{
    m_expr *x = node(a, k);
    x->u.attr.arg = arg;
    x->u.attr.attr = name;
    return x;
}

m_expr *m_x_get_attr(m_arena *a, const m_expr *arg, m_str name)
{
    return attr(a, M_X_GET_ATTR, arg, name);
}

m_expr *m_x_has_attr(m_arena *a, const m_expr *arg, m_str name)
{
    return attr(a, M_X_HAS_ATTR, arg, name);
}

static m_expr *list(m_arena *a, m_xkind k, size_t n, const m_expr *const *xs)
{
    m_expr *x = node(a, k);
    const m_expr **copy = m_alloc(a, (n + 1) * sizeof *copy);
    if (n) memcpy(copy, xs, n * sizeof *xs);
    x->u.list.n = n;
    x->u.list.xs = copy;
    return x;
}

m_expr *m_x_set(m_arena *a, size_t n, const m_expr *const *xs)
{
    return list(a, M_X_SET, n, xs);
}

m_expr *m_x_record(m_arena *a, size_t n, const m_str *keys, const m_expr *const *xs)
{
    m_expr *x = list(a, M_X_RECORD, n, xs);
    m_str *copy = m_alloc(a, (n + 1) * sizeof *copy);
    if (n) memcpy(copy, keys, n * sizeof *keys);
    x->u.list.keys = copy;
    return x;
}

m_expr *m_x_call(m_arena *a, m_extfn fn, size_t n, const m_expr *const *xs)
{
    m_expr *x = list(a, M_X_CALL, n, xs);
    x->u.list.fn = fn;
    return x;
}

m_pattern m_pattern_of(m_arena *a, const char *text)
{
    size_t len = strlen(text), n = 0;
    int16_t *elems = m_alloc(a, (len + 1) * sizeof *elems);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\\' && text[i + 1] == '*')
            elems[n++] = (unsigned char)text[++i];
        else
            elems[n++] = text[i] == '*' ? M_STAR : (unsigned char)text[i];
    }
    return (m_pattern){n, elems};
}
