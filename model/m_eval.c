/* m_eval.c: the evaluator (Evaluator.lean, Wildcard.lean, Entities.lean),
 * one function per rule. */
#include "model.h"

/*@ logic integer math_op(integer op, integer i, integer j) =
      op == M_ADD ? i + j : op == M_SUB ? i - j : i * j; */

/* The entity with this uid, found by a linear scan; NULL when there is none. */
static const m_entity *find_entity(const m_entities *es, m_uid uid)
{
    for (size_t i = 0; i < es->n; i++)
        if (m_uid_eq(es->items[i].uid, uid)) return &es->items[i];
    return NULL;
}

/* intOrErr: the 64-bit result of i op j (add, sub or mul), or arithBoundsError
 * when the mathematical result does not fit. Checked before computing, since
 * overflow is undefined in C; for `*`, per sign: with j > 0, i * j <= MAX
 * exactly when i <= MAX / j. Proved (scripts/prove, docs/verification.md). */
/*@ requires \valid(r);
    requires op == M_ADD || op == M_SUB || op == M_MUL;
    assigns *r;
    ensures fits: \result <==> INT64_MIN <= math_op(op, i, j) <= INT64_MAX;
    ensures value: \result ==> *r == math_op(op, i, j); */
static bool int_op(m_op2 op, int64_t i, int64_t j, int64_t *r)
{
    /* hints for `*`: where the bounds lie around multiples of i or j */
    //@ assert j > 0 ==> INT64_MAX / j * j <= INT64_MAX < (INT64_MAX / j + 1) * j;
    //@ assert i > 0 ==> (INT64_MIN / i - 1) * i < INT64_MIN <= INT64_MIN / i * i;
    //@ assert j > 0 ==> (INT64_MIN / j - 1) * j < INT64_MIN <= INT64_MIN / j * j;
    //@ assert i < 0 ==> INT64_MAX / i * i <= INT64_MAX < (INT64_MAX / i - 1) * i;
    bool fits;
    if (op == M_ADD)
        fits = j >= 0 ? i <= INT64_MAX - j : i >= INT64_MIN - j;
    else if (op == M_SUB)
        fits = j >= 0 ? i >= INT64_MIN + j : i <= INT64_MAX + j;
    else if (i == 0 || j == 0)
        fits = true;
    else if (i > 0 && j > 0)
        fits = i <= INT64_MAX / j;
    else if (i > 0)
        fits = j >= INT64_MIN / i;
    else if (j > 0)
        fits = i >= INT64_MIN / j;
    else
        fits = j >= INT64_MAX / i;
    if (fits) *r = op == M_ADD ? i + j : op == M_SUB ? i - j : i * j;
    return fits;
}

static m_result int_or_err(m_op2 op, int64_t i, int64_t j)
{
    int64_t r;
    return int_op(op, i, j, &r) ? m_ok(m_int(r)) : m_err(M_ARITH_BOUNDS_ERROR);
}

/*@ // wildcardMatch (Wildcard.lean), byte-wise: text[i..] matches pattern[j..].
    logic boolean matches{L}(char *t, integer len, int16_t *p, integer n, integer i, integer j) =
      j >= n ? i == len
      : p[j] == M_STAR ? (matches(t, len, p, n, i, j + 1) ||
                          (i < len && matches(t, len, p, n, i + 1, j)))
      : i < len && p[j] == (unsigned char)t[i] && matches(t, len, p, n, i + 1, j + 1);
    // The same on a text and a pattern.
    logic boolean mt{L}(m_str t, m_pattern p, integer i, integer j) =
      matches((char *)t.ptr, t.len, (int16_t *)p.elems, p.n, i, j); */

/* wildcardMatch, computed row by row from the end of the text backwards: row
 * i holds, for each j, whether text[i..] matches pattern[j..]; cur is row i,
 * next row i + 1 (both of p.n + 1 entries). Byte-wise; on valid UTF-8 this
 * equals the match over characters, since literal runs can only match at
 * character starts. Proved against `matches` (scripts/prove). */
/*@ requires \valid(next + (0 .. p.n)) && \valid(cur + (0 .. p.n));
    requires \valid_read(text.ptr + (0 .. text.len - 1));
    requires \valid_read(p.elems + (0 .. p.n - 1));
    requires \separated(next + (0 .. p.n), cur + (0 .. p.n), text.ptr + (0 .. text.len - 1),
                        p.elems + (0 .. p.n - 1));
    requires text.len < SIZE_MAX && p.n < SIZE_MAX;
    assigns next[0 .. p.n], cur[0 .. p.n];
    ensures matches: \result == mt(text, p, 0, 0);
*/
static bool match_rows(m_str text, m_pattern p, bool *next, bool *cur)
{
    size_t i = text.len + 1;
    /*@ loop invariant 0 <= i <= text.len + 1;
        loop invariant row_next: i <= text.len ==> \forall integer k; 0 <= k <= p.n ==>
          next[k] == mt(text, p, i, k);
        loop assigns i, next[0 .. p.n], cur[0 .. p.n];
        loop variant i; */
    while (i > 0) {
        i--;
        size_t j = p.n + 1;
        /*@ loop invariant 0 <= j <= p.n + 1;
            loop invariant row_cur: \forall integer k; j <= k <= p.n ==>
              cur[k] == mt(text, p, i, k);
            loop assigns j, cur[0 .. p.n];
            loop variant j; */
        while (j > 0) {
            j--;
            if (j == p.n) {
                cur[j] = i == text.len;
                //@ assert entry: cur[j] == mt(text, p, i, j);
            } else if (p.elems[j] == M_STAR) {
                /*@ assert star: mt(text, p, i, j) ==
                      (mt(text, p, i, j + 1) || (i < text.len && mt(text, p, i + 1, j))); */
                cur[j] = cur[j + 1] || (i < text.len && next[j]);
                //@ assert entry: cur[j] == mt(text, p, i, j);
            } else {
                /*@ assert byte: mt(text, p, i, j) == (i < text.len &&
                      p.elems[j] == (unsigned char)text.ptr[i] && mt(text, p, i + 1, j + 1)); */
                cur[j] = i < text.len && p.elems[j] == (unsigned char)text.ptr[i] && next[j + 1];
                //@ assert entry: cur[j] == mt(text, p, i, j);
            }
        }
        /*@ loop invariant 0 <= j <= p.n + 1;
            loop invariant copied: \forall integer k; 0 <= k < j ==> next[k] == cur[k];
            loop assigns j, next[0 .. p.n];
            loop variant p.n + 1 - j; */
        for (j = 0; j <= p.n; j++)
            next[j] = cur[j];
    }
    return next[0];
}

static bool wildcard_match(m_str text, m_pattern p, m_arena *a)
{
    bool *next = m_alloc(a, (p.n + 1) * sizeof *next);
    bool *cur = m_alloc(a, (p.n + 1) * sizeof *cur);
    return match_rows(text, p, next, cur);
}

/* apply₁: not on bools, neg on ints, isEmpty on sets, like on strings, is on
 * entities; any other operand is a type error. */
static m_result apply1(const m_expr *x, m_value v, m_arena *a)
{
    m_op1 op = x->u.un.op;
    m_vkind k = v.kind;
    if (op == M_NOT && k == M_V_BOOL) return m_ok(m_bool(!v.u.b));
    if (op == M_NEG && k == M_V_INT) return int_or_err(M_SUB, 0, v.u.i);
    if (op == M_IS_EMPTY && k == M_V_SET) return m_ok(m_bool(v.u.set.n == 0));
    if (op == M_LIKE && k == M_V_STRING) return m_ok(m_bool(wildcard_match(v.u.s, x->u.un.pat, a)));
    if (op == M_IS && k == M_V_ENTITY) return m_ok(m_bool(m_str_eq(v.u.uid.type, x->u.un.ety)));
    return m_err(M_TYPE_ERROR);
}

/* Is target reachable from u through parent links? Depth-first; each entity
 * is entered at most once (marked in entered), so cycles end. */
static bool reaches(m_uid u, m_uid target, const m_entities *es, bool *entered)
{
    const m_entity *e = find_entity(es, u);
    if (m_uid_eq(u, target)) return true;
    if (!e || entered[e - es->items]) return false;
    entered[e - es->items] = true;
    for (size_t p = 0; p < e->n_parents; p++)
        if (reaches(e->parents[p], target, es, entered)) return true;
    return false;
}

/* inₑ: uid1 == uid2, or uid2 is an ancestor of uid1 (found by walking parents). */
static bool in_entity(m_uid uid1, m_uid uid2, const m_entities *es, m_arena *a)
{
    return reaches(uid1, uid2, es, m_alloc(a, es->n + 1));
}

/* inₛ: every element of the set is an entity (else a type error), and uid is in one of them. */
static m_result in_set(m_uid uid, m_value set, const m_entities *es, m_arena *a)
{
    bool found = false;
    for (size_t i = 0; i < set.u.set.n; i++)
        if (set.u.set.elems[i].kind != M_V_ENTITY) return m_err(M_TYPE_ERROR);
    for (size_t i = 0; i < set.u.set.n && !found; i++)
        found = in_entity(uid, set.u.set.elems[i].u.uid, es, a);
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

/* apply₂: the binary operators on evaluated operands, case by case as in
 * Lean; any other combination of operator and operand types is a type error. */
static m_result apply2(m_op2 op, m_value v1, m_value v2, const m_entities *es, m_arena *a)
{
    bool ints = v1.kind == M_V_INT && v2.kind == M_V_INT;
    bool times = v1.kind == v2.kind && (v1.kind == M_V_DATETIME || v1.kind == M_V_DURATION);
    bool sets = v1.kind == M_V_SET && v2.kind == M_V_SET;
    bool entity = v1.kind == M_V_ENTITY, tag = entity && v2.kind == M_V_STRING;
    if (op == M_EQ) return m_ok(m_bool(m_value_eq(v1, v2)));
    if (op == M_LESS && (ints || times)) return m_ok(m_bool(v1.u.i < v2.u.i));
    if (op == M_LESS_EQ && (ints || times)) return m_ok(m_bool(v1.u.i <= v2.u.i));
    if ((op == M_ADD || op == M_SUB || op == M_MUL) && ints) return int_or_err(op, v1.u.i, v2.u.i);
    if (op == M_CONTAINS && v1.kind == M_V_SET) return m_ok(m_bool(m_set_contains(v1, v2)));
    if (op == M_CONTAINS_ALL && sets) return m_ok(m_bool(m_set_subset(v2, v1)));
    if (op == M_CONTAINS_ANY && sets) return m_ok(m_bool(m_set_intersects(v1, v2)));
    if (op == M_MEM && entity && v2.kind == M_V_ENTITY)
        return m_ok(m_bool(in_entity(v1.u.uid, v2.u.uid, es, a)));
    if (op == M_MEM && entity && v2.kind == M_V_SET) return in_set(v1.u.uid, v2, es, a);
    if (op == M_HAS_TAG && tag) return has_tag(v1.u.uid, v2.u.s, es);
    if (op == M_GET_TAG && tag) return get_tag(v1.u.uid, v2.u.s, es);
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

/* x's left operand when x evaluates it first, then applies its rule
 * (left_rule); NULL for the other forms. */
static const m_expr *left_of(const m_expr *x)
{
    switch (x->kind) {
    case M_X_AND:
    case M_X_OR: return x->u.op.a;
    case M_X_BINARY: return x->u.bin.a;
    case M_X_GET_ATTR:
    case M_X_HAS_ATTR: return x->u.attr.arg;
    default: return NULL;
    }
}

/* The rule of x once its left operand's result r1 is known. */
static m_result left_rule(const m_expr *x, m_result r1, const m_request *req, const m_entities *es,
                          m_arena *a)
{
    m_result r2;
    switch (x->kind) {
    case M_X_AND:
        r1 = as_bool(r1);
        return r1.err || !r1.v.u.b ? r1 : as_bool(m_evaluate(x->u.op.b, req, es, a));
    case M_X_OR:
        r1 = as_bool(r1);
        return r1.err || r1.v.u.b ? r1 : as_bool(m_evaluate(x->u.op.b, req, es, a));
    case M_X_BINARY:
        if (r1.err) return r1;
        r2 = m_evaluate(x->u.bin.b, req, es, a);
        if (r2.err) return r2;
        return apply2(x->u.bin.op, r1.v, r2.v, es, a);
    default: /* M_X_HAS_ATTR, M_X_GET_ATTR */
        if (r1.err) return r1;
        return (x->kind == M_X_HAS_ATTR ? has_attr : get_attr)(r1.v, x->u.attr.attr, es);
    }
}

/* evaluate: literals and variables are values; `if`, `&&` and `||` evaluate
 * their condition first and need a bool there, and `&&`/`||` short-circuit;
 * every other form evaluates its operands left to right, stops at the first
 * error, then applies its rule. */
m_result m_evaluate(const m_expr *x, const m_request *req, const m_entities *es, m_arena *a)
{
    m_result r1;
    m_value *vs;
    if (left_of(x)) {
        /* `a || b || c ...` may have a million terms: walk the left spine as a
         * loop (collect it, then apply each node's rule from the innermost up) */
        size_t n = 0;
        for (const m_expr *y = x; left_of(y); y = left_of(y))
            n++;
        const m_expr **spine = m_alloc(a, n * sizeof *spine);
        const m_expr *y = x;
        for (size_t i = 0; i < n; i++) {
            spine[i] = y;
            y = left_of(y);
        }
        r1 = m_evaluate(y, req, es, a);
        for (size_t i = n; i-- > 0;)
            r1 = left_rule(spine[i], r1, req, es, a);
        return r1;
    }
    switch (x->kind) {
    case M_X_LIT: return m_ok(x->u.lit);
    case M_X_VAR:
        return m_ok(x->u.var == M_CONTEXT     ? req->context
                    : x->u.var == M_PRINCIPAL ? m_entityv(req->principal)
                    : x->u.var == M_ACTION    ? m_entityv(req->action)
                                              : m_entityv(req->resource));
    case M_X_ITE:
        r1 = as_bool(m_evaluate(x->u.op.a, req, es, a));
        return r1.err ? r1 : m_evaluate(r1.v.u.b ? x->u.op.b : x->u.op.c, req, es, a);
    case M_X_UNARY:
        r1 = m_evaluate(x->u.un.arg, req, es, a);
        return r1.err ? r1 : apply1(x, r1.v, a);
    case M_X_SET:
    case M_X_RECORD:
    case M_X_CALL:
        vs = m_alloc(a, (x->u.list.n + 1) * sizeof *vs);
        for (size_t i = 0; i < x->u.list.n; i++) {
            r1 = m_evaluate(x->u.list.xs[i], req, es, a);
            if (r1.err) return r1;
            vs[i] = r1.v;
        }
        if (x->kind == M_X_SET) return m_ok(m_set_of(a, x->u.list.n, vs));
        if (x->kind == M_X_RECORD) return m_ok(m_record_of(a, x->u.list.n, x->u.list.keys, vs));
        return m_call(x->u.list.fn, x->u.list.n, vs);
    default: return m_err(M_TYPE_ERROR); /* the forms with a left rule: above */
    }
}
