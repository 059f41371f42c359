/* m_eval.c: the evaluator (Evaluator.lean, Wildcard.lean, Entities.lean),
 * one function per rule. */
#include <stdlib.h>

#include "model.h"

/* The entity with this uid, found by a linear scan; NULL when there is none. */
static const m_entity *find_entity(const m_entities *es, m_uid uid)
{
    for (size_t i = 0; i < es->n; i++)
        if (m_uid_eq(es->items[i].uid, uid)) return &es->items[i];
    return NULL;
}

/* intOrErr: a 64-bit result, or arithBoundsError when the operation overflowed. */
static m_result int_or_err(bool overflowed, const int64_t *i)
{
    return overflowed ? m_err(M_ARITH_BOUNDS_ERROR) : m_ok(m_int(*i));
}

/* wildcardMatch: text[i..] matches pattern[j..], computed as Lean's memo table
 * m[i][j] from the ends backwards. Byte-wise; on valid UTF-8 this equals the
 * match over characters, since literal runs can only match at character starts. */
static bool wildcard_match(m_str text, m_pattern p)
{
    size_t w = p.n + 1;
    bool *m = calloc((text.len + 1) * w, sizeof *m);
    if (!m) abort();
    for (size_t i = text.len + 1; i-- > 0;)
        for (size_t j = p.n + 1; j-- > 0;) {
            bool *r = &m[i * w + j];
            if (j == p.n)
                *r = i == text.len;
            else if (p.elems[j] == M_STAR)
                *r = m[i * w + j + 1] || (i < text.len && m[(i + 1) * w + j]);
            else
                *r = i < text.len && p.elems[j] == (unsigned char)text.ptr[i] &&
                     m[(i + 1) * w + j + 1];
        }
    bool result = m[0];
    free(m);
    return result;
}

/* apply₁: not on bools, neg on ints, isEmpty on sets, like on strings, is on
 * entities; any other operand is a type error. */
static m_result apply1(const m_expr *x, m_value v)
{
    int64_t r;
    switch (x->u.un.op) {
    case M_NOT:
        if (v.kind == M_V_BOOL) return m_ok(m_bool(!v.u.b));
        break;
    case M_NEG:
        if (v.kind == M_V_INT) return int_or_err(__builtin_sub_overflow(0, v.u.i, &r), &r);
        break;
    case M_IS_EMPTY:
        if (v.kind == M_V_SET) return m_ok(m_bool(v.u.set.n == 0));
        break;
    case M_LIKE:
        if (v.kind == M_V_STRING) return m_ok(m_bool(wildcard_match(v.u.s, x->u.un.pat)));
        break;
    case M_IS:
        if (v.kind == M_V_ENTITY) return m_ok(m_bool(m_str_eq(v.u.uid.type, x->u.un.ety)));
        break;
    }
    return m_err(M_TYPE_ERROR);
}

/* inₑ: uid1 == uid2, or uid2 is an ancestor of uid1. The ancestors are found by
 * walking parents breadth-first; every uid is visited once, so cycles end. */
static bool in_entity(m_uid uid1, m_uid uid2, const m_entities *es)
{
    size_t cap = 1, n = 1;
    for (size_t i = 0; i < es->n; i++)
        cap += es->items[i].n_parents;
    m_uid *seen = malloc(cap * sizeof *seen);
    if (!seen) abort();
    seen[0] = uid1;
    bool found = false;
    for (size_t k = 0; k < n && !found; k++) {
        const m_entity *e = find_entity(es, seen[k]);
        found = m_uid_eq(seen[k], uid2);
        for (size_t p = 0; e && p < e->n_parents; p++) {
            bool known = false;
            for (size_t j = 0; j < n && !known; j++)
                known = m_uid_eq(seen[j], e->parents[p]);
            if (!known) seen[n++] = e->parents[p];
        }
    }
    free(seen);
    return found;
}

/* inₛ: every element of the set is an entity (else a type error), and uid is in one of them. */
static m_result in_set(m_uid uid, m_value set, const m_entities *es)
{
    bool found = false;
    for (size_t i = 0; i < set.u.set.n; i++)
        if (set.u.set.elems[i].kind != M_V_ENTITY) return m_err(M_TYPE_ERROR);
    for (size_t i = 0; i < set.u.set.n && !found; i++)
        found = in_entity(uid, set.u.set.elems[i].u.uid, es);
    return m_ok(m_bool(found));
}

/* hasTag: the entity exists and has the tag (a missing entity has no tags). */
static m_result has_tag(m_uid uid, m_str tag, const m_entities *es)
{
    const m_entity *e = find_entity(es, uid);
    return m_ok(m_bool(e && m_record_find(e->tags, tag)));
}

/* getTag: the tag's value; entityDoesNotExist or tagDoesNotExist otherwise. */
static m_result get_tag(m_uid uid, m_str tag, const m_entities *es)
{
    const m_entity *e = find_entity(es, uid);
    const m_value *v = e ? m_record_find(e->tags, tag) : NULL;
    return !e ? m_err(M_ENTITY_DOES_NOT_EXIST) : v ? m_ok(*v) : m_err(M_TAG_DOES_NOT_EXIST);
}

/* apply₂: the binary operators on evaluated operands; a combination of operator
 * and operand types not listed is a type error. `<` and `<=` order ints,
 * datetimes and durations; arithmetic is on ints and checked. */
static m_result apply2(m_op2 op, m_value v1, m_value v2, const m_entities *es)
{
    bool ints = v1.kind == M_V_INT && v2.kind == M_V_INT;
    bool ordered =
        ints || (v1.kind == v2.kind && (v1.kind == M_V_DATETIME || v1.kind == M_V_DURATION));
    bool sets = v1.kind == M_V_SET && v2.kind == M_V_SET;
    bool entity = v1.kind == M_V_ENTITY, tag = entity && v2.kind == M_V_STRING;
    int64_t r;
    switch (op) {
    case M_EQ: return m_ok(m_bool(m_value_eq(v1, v2)));
    case M_LESS:
        if (ordered) return m_ok(m_bool(v1.u.i < v2.u.i));
        break;
    case M_LESS_EQ:
        if (ordered) return m_ok(m_bool(v1.u.i <= v2.u.i));
        break;
    case M_ADD:
        if (ints) return int_or_err(__builtin_add_overflow(v1.u.i, v2.u.i, &r), &r);
        break;
    case M_SUB:
        if (ints) return int_or_err(__builtin_sub_overflow(v1.u.i, v2.u.i, &r), &r);
        break;
    case M_MUL:
        if (ints) return int_or_err(__builtin_mul_overflow(v1.u.i, v2.u.i, &r), &r);
        break;
    case M_CONTAINS:
        if (v1.kind == M_V_SET) return m_ok(m_bool(m_set_contains(v1, v2)));
        break;
    case M_CONTAINS_ALL:
        if (sets) return m_ok(m_bool(m_set_subset(v2, v1)));
        break;
    case M_CONTAINS_ANY:
        if (sets) return m_ok(m_bool(m_set_intersects(v1, v2)));
        break;
    case M_MEM:
        if (entity && v2.kind == M_V_ENTITY) return m_ok(m_bool(in_entity(v1.u.uid, v2.u.uid, es)));
        if (entity && v2.kind == M_V_SET) return in_set(v1.u.uid, v2, es);
        break;
    case M_HAS_TAG:
        if (tag) return has_tag(v1.u.uid, v2.u.s, es);
        break;
    case M_GET_TAG:
        if (tag) return get_tag(v1.u.uid, v2.u.s, es);
        break;
    }
    return m_err(M_TYPE_ERROR);
}

/* hasAttr: a record has the key, or an entity has the attribute (a missing entity has none). */
static m_result has_attr(m_value v, m_str attr, const m_entities *es)
{
    const m_entity *e = v.kind == M_V_ENTITY ? find_entity(es, v.u.uid) : NULL;
    if (v.kind == M_V_RECORD) return m_ok(m_bool(m_record_find(v, attr)));
    if (v.kind == M_V_ENTITY) return m_ok(m_bool(e && m_record_find(e->attrs, attr)));
    return m_err(M_TYPE_ERROR);
}

/* getAttr: the field of a record or the attribute of an existing entity;
 * attrDoesNotExist, entityDoesNotExist or typeError otherwise. */
static m_result get_attr(m_value v, m_str attr, const m_entities *es)
{
    const m_entity *e = v.kind == M_V_ENTITY ? find_entity(es, v.u.uid) : NULL;
    if (v.kind == M_V_ENTITY && !e) return m_err(M_ENTITY_DOES_NOT_EXIST);
    if (v.kind != M_V_RECORD && v.kind != M_V_ENTITY) return m_err(M_TYPE_ERROR);
    const m_value *r = m_record_find(e ? e->attrs : v, attr);
    return r ? m_ok(*r) : m_err(M_ATTR_DOES_NOT_EXIST);
}

/* Result.as Bool: a bool passes, any other value is a type error. */
static m_result as_bool(m_result r)
{
    return r.err || r.v.kind == M_V_BOOL ? r : m_err(M_TYPE_ERROR);
}

/* Evaluate xs[0..n) in order into vs; the first error stops it. */
static m_error evaluate_all(size_t n, const m_expr *const *xs, m_value *vs, const m_request *req,
                            const m_entities *es, m_arena *a)
{
    for (size_t i = 0; i < n; i++) {
        m_result r = m_evaluate(xs[i], req, es, a);
        if (r.err) return r.err;
        vs[i] = r.v;
    }
    return M_OK;
}

/* evaluate: literals and variables are values; `if`, `&&` and `||` evaluate
 * their condition first and need a bool there, and `&&`/`||` short-circuit;
 * every other form evaluates its operands left to right, stops at the first
 * error, then applies its rule. */
m_result m_evaluate(const m_expr *x, const m_request *req, const m_entities *es, m_arena *a)
{
    m_result r1, r2;
    m_value *vs;
    m_error e;
    switch (x->kind) {
    case M_X_LIT: return m_ok(x->u.lit);
    case M_X_VAR:
        switch (x->u.var) {
        case M_PRINCIPAL: return m_ok(m_entityv(req->principal));
        case M_ACTION: return m_ok(m_entityv(req->action));
        case M_RESOURCE: return m_ok(m_entityv(req->resource));
        case M_CONTEXT: return m_ok(req->context);
        }
        break;
    case M_X_ITE:
        r1 = as_bool(m_evaluate(x->u.op.a, req, es, a));
        return r1.err ? r1 : m_evaluate(r1.v.u.b ? x->u.op.b : x->u.op.c, req, es, a);
    case M_X_AND:
        r1 = as_bool(m_evaluate(x->u.op.a, req, es, a));
        return r1.err || !r1.v.u.b ? r1 : as_bool(m_evaluate(x->u.op.b, req, es, a));
    case M_X_OR:
        r1 = as_bool(m_evaluate(x->u.op.a, req, es, a));
        return r1.err || r1.v.u.b ? r1 : as_bool(m_evaluate(x->u.op.b, req, es, a));
    case M_X_UNARY: r1 = m_evaluate(x->u.un.arg, req, es, a); return r1.err ? r1 : apply1(x, r1.v);
    case M_X_BINARY:
        r1 = m_evaluate(x->u.bin.a, req, es, a);
        if (r1.err) return r1;
        r2 = m_evaluate(x->u.bin.b, req, es, a);
        return r2.err ? r2 : apply2(x->u.bin.op, r1.v, r2.v, es);
    case M_X_HAS_ATTR:
        r1 = m_evaluate(x->u.attr.arg, req, es, a);
        return r1.err ? r1 : has_attr(r1.v, x->u.attr.attr, es);
    case M_X_GET_ATTR:
        r1 = m_evaluate(x->u.attr.arg, req, es, a);
        return r1.err ? r1 : get_attr(r1.v, x->u.attr.attr, es);
    case M_X_SET:
    case M_X_RECORD:
    case M_X_CALL:
        vs = m_alloc(a, (x->u.list.n + 1) * sizeof *vs);
        if ((e = evaluate_all(x->u.list.n, x->u.list.xs, vs, req, es, a))) return m_err(e);
        if (x->kind == M_X_SET) return m_ok(m_set_of(a, x->u.list.n, vs));
        if (x->kind == M_X_RECORD) return m_ok(m_record_of(a, x->u.list.n, x->u.list.keys, vs));
        return m_call(x->u.list.fn, x->u.list.n, vs);
    }
    return m_err(M_TYPE_ERROR);
}
