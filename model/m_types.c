/* m_types.c: type equality, subtyping and least upper bounds, as Rust's
 * validator defines them (types.rs; Subtyping.lean is the strict-mode part). */
#include <string.h>

#include "m_types.h"

static int str_cmp(m_str a, m_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    return c ? c : (a.len > b.len) - (a.len < b.len);
}

static const m_attr_type *find_attr(const m_type *rec, m_str name)
{
    for (size_t i = 0; i < rec->u.rec.n; i++)
        if (m_str_eq(rec->u.rec.attrs[i].name, name)) return &rec->u.rec.attrs[i];
    return NULL;
}

static bool has_name(const m_type *ent, m_str name)
{
    for (size_t i = 0; i < ent->u.ent.n; i++)
        if (m_str_eq(ent->u.ent.names[i], name)) return true;
    return false;
}

/* Every name of entity union a is in b. */
static bool names_subset(const m_type *a, const m_type *b)
{
    for (size_t i = 0; i < a->u.ent.n; i++)
        if (!has_name(b, a->u.ent.names[i])) return false;
    return true;
}

static bool same_keys(const m_type *a, const m_type *b)
{
    if (a->u.rec.n != b->u.rec.n) return false;
    for (size_t i = 0; i < a->u.rec.n; i++)
        if (!find_attr(b, a->u.rec.attrs[i].name)) return false;
    return true;
}

bool m_type_eq(const m_type *a, const m_type *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case M_T_BOOL: return a->u.b == b->u.b;
    case M_T_ENTITY:
        return a->u.ent.any == b->u.ent.any &&
               (a->u.ent.any || (a->u.ent.n == b->u.ent.n && names_subset(a, b)));
    case M_T_SET: return m_type_eq(a->u.elem, b->u.elem);
    case M_T_RECORD:
        if (a->u.rec.open != b->u.rec.open || !same_keys(a, b)) return false;
        for (size_t i = 0; i < a->u.rec.n; i++) {
            const m_attr_type *x = &a->u.rec.attrs[i], *y = find_attr(b, x->name);
            if (x->required != y->required || !m_type_eq(x->type, y->type)) return false;
        }
        return true;
    case M_T_EXT: return a->u.ext == b->u.ext;
    default: return true;
    }
}

/* Every attribute of b is in a with a subtype (Attributes::is_subtype). */
static bool attrs_sub(const m_type *a, const m_type *b, m_mode mode)
{
    for (size_t i = 0; i < b->u.rec.n; i++) {
        const m_attr_type *y = &b->u.rec.attrs[i], *x = find_attr(a, y->name);
        if (!x) return false;
        bool qual = mode == M_STRICT ? x->required == y->required : x->required || !y->required;
        if (!qual || !m_subtype(x->type, y->type, mode)) return false;
    }
    return true;
}

bool m_subtype(const m_type *a, const m_type *b, m_mode mode)
{
    if (a->kind == M_T_NEVER) return true;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case M_T_BOOL: return a->u.b == b->u.b || b->u.b == M_ANY_BOOL;
    case M_T_SET: return m_subtype(a->u.elem, b->u.elem, mode);
    case M_T_RECORD:
        /* an open record is never a subtype of a closed one; width subtyping
         * only towards an open record and only in permissive mode */
        if (a->u.rec.open && !b->u.rec.open) return false;
        if (b->u.rec.open && mode == M_PERMISSIVE && attrs_sub(a, b, mode)) return true;
        return same_keys(a, b) && attrs_sub(a, b, mode);
    case M_T_ENTITY:
        if (b->u.ent.any) return a->u.ent.any || mode == M_PERMISSIVE;
        if (a->u.ent.any) return false;
        return mode == M_STRICT ? m_type_eq(a, b) : names_subset(a, b);
    default: return m_type_eq(a, b);
    }
}

static m_type *new_type(m_arena *ar, m_tkind k)
{
    m_type *t = m_alloc(ar, sizeof *t);
    t->kind = k;
    return t;
}

/* The union of two entity unions, sorted. */
static const m_type *entity_union(m_arena *ar, const m_type *a, const m_type *b)
{
    m_type *t = new_type(ar, M_T_ENTITY);
    m_str *names = m_alloc(ar, (a->u.ent.n + b->u.ent.n) * sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < a->u.ent.n; i++)
        names[n++] = a->u.ent.names[i];
    for (size_t i = 0; i < b->u.ent.n; i++)
        if (!has_name(a, b->u.ent.names[i])) names[n++] = b->u.ent.names[i];
    for (size_t i = 1; i < n; i++) /* insertion sort */
        for (size_t j = i; j > 0 && str_cmp(names[j - 1], names[j]) > 0; j--) {
            m_str s = names[j];
            names[j] = names[j - 1], names[j - 1] = s;
        }
    t->u.ent.n = n, t->u.ent.names = names;
    return t;
}

/* Records: strict mode needs the same attributes with the same qualifiers;
 * permissive mode keeps the common attributes whose types have a bound and
 * opens the record when any attribute was dropped. */
static const m_type *record_lub(m_arena *ar, const m_type *a, const m_type *b, m_mode mode)
{
    if (mode == M_STRICT && !same_keys(a, b)) return NULL;
    m_type *t = new_type(ar, M_T_RECORD);
    m_attr_type *attrs = m_alloc(ar, (a->u.rec.n + 1) * sizeof *attrs);
    size_t n = 0;
    for (size_t i = 0; i < a->u.rec.n; i++) {
        const m_attr_type *x = &a->u.rec.attrs[i], *y = find_attr(b, x->name);
        const m_type *ty = y ? m_lub(ar, x->type, y->type, mode) : NULL;
        if (ty && mode == M_STRICT && x->required != y->required) ty = NULL;
        if (!ty && mode == M_STRICT) return NULL;
        if (ty) attrs[n++] = (m_attr_type){x->name, ty, x->required && y->required};
    }
    t->u.rec.attrs = attrs, t->u.rec.n = n;
    t->u.rec.open = a->u.rec.open || b->u.rec.open || n != a->u.rec.n || n != b->u.rec.n;
    return t;
}

const m_type *m_lub(m_arena *ar, const m_type *a, const m_type *b, m_mode mode)
{
    if (m_subtype(a, b, mode)) return b;
    if (m_subtype(b, a, mode)) return a;
    if (a->kind != b->kind) return NULL;
    switch (a->kind) {
    case M_T_BOOL: {
        m_type *t = new_type(ar, M_T_BOOL);
        t->u.b = M_ANY_BOOL;
        return t;
    }
    case M_T_SET: {
        const m_type *e = m_lub(ar, a->u.elem, b->u.elem, mode);
        if (!e) return NULL;
        m_type *t = new_type(ar, M_T_SET);
        t->u.elem = e;
        return t;
    }
    case M_T_RECORD: return record_lub(ar, a, b, mode);
    case M_T_ENTITY:
        if (mode == M_STRICT) return NULL;
        if (a->u.ent.any || b->u.ent.any) {
            m_type *t = new_type(ar, M_T_ENTITY);
            t->u.ent.any = true;
            return t;
        }
        return entity_union(ar, a, b);
    default: return NULL;
    }
}
