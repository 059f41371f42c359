/* m_typecheck.c: typeOf and the validator (Typechecker.lean, Validator.lean),
 * with Rust's rules where they differ (typecheck.rs, rbac.rs). The first
 * error found is the answer: Rust collects every error, but a policy is
 * valid exactly when there is none. */
#include <string.h>

#include "m_types.h"

/* ---- capabilities: (expression, attribute or tag) known to exist --------- */

typedef struct cap {
    const m_expr *x;
    const m_expr *tag; /* NULL: an attribute capability */
    m_str attr;
} cap;

typedef struct caps {
    size_t n;
    const cap *items;
} caps;

static bool expr_eq(const m_expr *a, const m_expr *b);

/* Rust's AST builder folds `&&` and `||` of two boolean literals into a
 * literal, so `true && false` is the literal `false` wherever the typechecker
 * looks at literals or compares expressions (evaluation is the same). */
static bool folded_bool(const m_expr *x, bool *b)
{
    /* down the left spine as a loop (chains can be long): `_ && false` is
     * false and `_ || true` true; the outermost such node decides, otherwise
     * the innermost left operand */
    bool decided = false, value = false, r;
    for (; x->kind == M_X_AND || x->kind == M_X_OR; x = x->u.op.a) {
        if (!folded_bool(x->u.op.b, &r)) return false;
        if (!decided && r == (x->kind == M_X_OR)) {
            decided = true;
            value = r;
        }
    }
    if (x->kind != M_X_LIT || x->u.lit.kind != M_V_BOOL) return false;
    *b = decided ? value : x->u.lit.u.b;
    return true;
}

static bool exprs_eq(size_t n, const m_expr *const *a, const m_expr *const *b)
{
    for (size_t i = 0; i < n; i++)
        if (!expr_eq(a[i], b[i])) return false;
    return true;
}

/* Structural equality, as Rust compares the expressions of capabilities.
 * Left operands are compared by the loop, not by recursion: chains can be long. */
static bool expr_eq(const m_expr *a, const m_expr *b)
{
    for (;;) {
        bool x = false, y = false, fa = folded_bool(a, &x), fb = folded_bool(b, &y);
        if (fa || fb) return fa && fb && x == y;
        if (a->kind != b->kind) return false;
        switch (a->kind) {
        case M_X_LIT: return a->u.lit.kind == b->u.lit.kind && m_value_eq(a->u.lit, b->u.lit);
        case M_X_VAR: return a->u.var == b->u.var;
        case M_X_ITE:
            return expr_eq(a->u.op.a, b->u.op.a) && expr_eq(a->u.op.b, b->u.op.b) &&
                   expr_eq(a->u.op.c, b->u.op.c);
        case M_X_AND:
        case M_X_OR:
            if (!expr_eq(a->u.op.b, b->u.op.b)) return false;
            a = a->u.op.a;
            b = b->u.op.a;
            continue;
        case M_X_UNARY:
            if (a->u.un.op != b->u.un.op || !expr_eq(a->u.un.arg, b->u.un.arg)) return false;
            if (a->u.un.op == M_IS) return m_str_eq(a->u.un.ety, b->u.un.ety);
            if (a->u.un.op != M_LIKE) return true;
            return a->u.un.pat.n == b->u.un.pat.n &&
                   (a->u.un.pat.n == 0 || memcmp(a->u.un.pat.elems, b->u.un.pat.elems,
                                                 a->u.un.pat.n * sizeof *a->u.un.pat.elems) == 0);
        case M_X_BINARY:
            if (a->u.bin.op != b->u.bin.op || !expr_eq(a->u.bin.b, b->u.bin.b)) return false;
            a = a->u.bin.a;
            b = b->u.bin.a;
            continue;
        case M_X_GET_ATTR:
        case M_X_HAS_ATTR:
            if (!m_str_eq(a->u.attr.attr, b->u.attr.attr)) return false;
            a = a->u.attr.arg;
            b = b->u.attr.arg;
            continue;
        case M_X_RECORD:
            if (a->u.list.n != b->u.list.n) return false;
            for (size_t i = 0; i < a->u.list.n; i++)
                if (!m_str_eq(a->u.list.keys[i], b->u.list.keys[i])) return false;
            return exprs_eq(a->u.list.n, a->u.list.xs, b->u.list.xs);
        case M_X_CALL:
            if (a->u.list.fn != b->u.list.fn) return false;
            /* fall through */
        case M_X_SET:
            return a->u.list.n == b->u.list.n && exprs_eq(a->u.list.n, a->u.list.xs, b->u.list.xs);
        }
        return false;
    }
}

static bool cap_eq(cap a, cap b)
{
    if (!expr_eq(a.x, b.x) || !a.tag != !b.tag) return false;
    return a.tag ? expr_eq(a.tag, b.tag) : m_str_eq(a.attr, b.attr);
}

static bool has_cap(caps c, cap k)
{
    for (size_t i = 0; i < c.n; i++)
        if (cap_eq(c.items[i], k)) return true;
    return false;
}

static caps cap_union(m_arena *a, caps x, caps y)
{
    cap *items = m_alloc(a, (x.n + y.n + 1) * sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < x.n; i++)
        items[n++] = x.items[i];
    for (size_t i = 0; i < y.n; i++)
        if (!has_cap(x, y.items[i])) items[n++] = y.items[i];
    return (caps){n, items};
}

static caps cap_inter(m_arena *a, caps x, caps y)
{
    cap *items = m_alloc(a, (x.n + 1) * sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < x.n; i++)
        if (has_cap(y, x.items[i])) items[n++] = x.items[i];
    return (caps){n, items};
}

static caps cap_one(m_arena *a, cap k)
{
    cap *item = m_alloc(a, sizeof *item);
    *item = k;
    return (caps){1, item};
}

/* ---- the schema's hierarchy --------------------------------------------- */

static const m_type T_NEVER = {.kind = M_T_NEVER}, T_LONG = {.kind = M_T_LONG},
                    T_STRING = {.kind = M_T_STRING}, T_BOOL = {.kind = M_T_BOOL, .u.b = M_ANY_BOOL},
                    T_TT = {.kind = M_T_BOOL, .u.b = M_TT}, T_FF = {.kind = M_T_BOOL, .u.b = M_FF};

static const m_type *bool_type(bool b)
{
    return b ? &T_TT : &T_FF;
}

/* Rust's EntityType::is_action: the type's last component is `Action`. */
static bool is_action_type(m_str t)
{
    if (t.len < 6 || memcmp(t.ptr + t.len - 6, "Action", 6) != 0) return false;
    return t.len == 6 || (t.len >= 8 && memcmp(t.ptr + t.len - 8, "::", 2) == 0);
}

static const m_entity_type *entity_type(const m_schema *s, m_str name)
{
    for (size_t i = 0; i < s->n_types; i++)
        if (m_str_eq(s->types[i].name, name)) return &s->types[i];
    return NULL;
}

static const m_action_type *action(const m_schema *s, m_uid uid)
{
    for (size_t i = 0; i < s->n_actions; i++)
        if (m_uid_eq(s->actions[i].uid, uid)) return &s->actions[i];
    return NULL;
}

/* Can an entity of type d have an ancestor of type t (memberOf, transitively)?
 * `seen` marks visited types (the type graph may have cycles). */
static bool type_reaches(const m_schema *s, m_str d, m_str t, bool *seen)
{
    const m_entity_type *e = entity_type(s, d);
    if (!e || seen[e - s->types]) return false;
    seen[e - s->types] = true;
    for (size_t i = 0; i < e->n_parents; i++)
        if (m_str_eq(e->parents[i], t) || type_reaches(s, e->parents[i], t, seen)) return true;
    return false;
}

/* Is action d equal to t or a descendant of it? */
static bool action_in(const m_schema *s, m_uid d, m_uid t, size_t depth)
{
    if (m_uid_eq(d, t)) return true;
    const m_action_type *a = action(s, d);
    if (!a || depth > s->n_actions) return false;
    for (size_t i = 0; i < a->n_parents; i++)
        if (action_in(s, a->parents[i], t, depth + 1)) return true;
    return false;
}

/* May an entity of type l be `in` one of type r (typecheck.rs
 * any_entity_type_decedent_of: the entity or the action hierarchy)? */
static bool may_be_in(const m_schema *s, m_arena *a, m_str l, m_str r)
{
    if (m_str_eq(l, r) || type_reaches(s, l, r, m_alloc(a, s->n_types + 1))) return true;
    for (size_t i = 0; i < s->n_actions; i++)
        for (size_t j = 0; j < s->n_actions; j++)
            if (m_str_eq(s->actions[i].uid.type, r) && m_str_eq(s->actions[j].uid.type, l) &&
                action_in(s, s->actions[j].uid, s->actions[i].uid, 0))
                return true;
    return false;
}

/* ---- request environments and results ---------------------------------- */

typedef struct env {
    const m_schema *s;
    m_mode mode;
    m_arena *a;
    const m_action_type *act;
    m_str principal, resource;
} env;

typedef struct res {
    m_tc_error err;
    const m_type *ty;
    caps c;
} res;

static res ok(const m_type *ty, caps c)
{
    return (res){M_TC_OK, ty, c};
}

static res fail(m_tc_error e)
{
    return (res){e, NULL, {0, NULL}};
}

static const caps NONE = {0, NULL};

static const m_type *entity_of(m_arena *a, m_str name)
{
    m_type *t = m_alloc(a, sizeof *t);
    m_str *n = m_alloc(a, sizeof *n);
    *n = name;
    t->kind = M_T_ENTITY;
    t->u.ent.n = 1;
    t->u.ent.names = n;
    return t;
}

static res type_of(const env *e, const m_expr *x, caps prior);

/* expect_type: Rust checks with permissive subtyping against "any entity",
 * "any record", "any set", so only the kind matters (or bottom). */
static res check(res r, m_tkind k1, m_tkind k2)
{
    if (r.err) return r;
    m_tkind k = r.ty->kind;
    return k == k1 || k == k2 || k == M_T_NEVER ? r : fail(M_TC_UNEXPECTED_TYPE);
}

static res expect(const env *e, const m_expr *x, caps prior, m_tkind k1, m_tkind k2)
{
    return check(type_of(e, x, prior), k1, k2);
}

/* ---- the operators' signatures (m_ops.def) ------------------------------- */

/* The types m_ops.def names. */
typedef enum sig {
    S_NONE,
    S_ANY,
    S_ORD, /* long, datetime or duration: checked by type_of_less */
    S_ENTITY_OR_SET,
    S_BOOL,
    S_LONG,
    S_STRING,
    S_ENTITY,
    S_SET,
    S_DECIMAL,
    S_IPADDR,
    S_DATETIME,
    S_DURATION,
} sig;

static const m_type T_DECIMAL = {.kind = M_T_EXT, .u.ext = M_V_DECIMAL};
static const m_type T_IPADDR = {.kind = M_T_EXT, .u.ext = M_V_IPADDR};
static const m_type T_DATETIME = {.kind = M_T_EXT, .u.ext = M_V_DATETIME};
static const m_type T_DURATION = {.kind = M_T_EXT, .u.ext = M_V_DURATION};

/* The type a signature names; NULL for none, any, or what the operator's
 * own rule decides (entities, sets, ORD). */
static const m_type *sig_type(sig s)
{
    static const m_type *const types[] = {
        [S_BOOL] = &T_BOOL,         [S_LONG] = &T_LONG,     [S_STRING] = &T_STRING,
        [S_DECIMAL] = &T_DECIMAL,   [S_IPADDR] = &T_IPADDR, [S_DATETIME] = &T_DATETIME,
        [S_DURATION] = &T_DURATION, [S_ENTITY] = NULL,      [S_SET] = NULL};
    return types[s];
}

/* An operand's result checked against its type in a signature: the kind
 * it names, or bottom (ANY and ORD pass every type). */
static res check_sig(res r, sig s)
{
    if (s == S_ANY || s == S_ORD) return r;
    if (s == S_ENTITY_OR_SET) return check(r, M_T_ENTITY, M_T_SET);
    if (s == S_ENTITY) return check(r, M_T_ENTITY, M_T_ENTITY);
    if (s == S_SET) return check(r, M_T_SET, M_T_SET);
    return check(r, sig_type(s)->kind, sig_type(s)->kind);
}

static const struct {
    sig arg, ret;
} OP1[] = {
#define M_OP1(kind, name, syntax, arg, result) [M_##kind] = {S_##arg, S_##result},
#include "m_ops.def"
};

static const struct {
    sig a, b, ret;
} OP2[] = {
#define M_OP2(kind, name, syntax, arg_a, arg_b, result)                                            \
    [M_##kind] = {S_##arg_a, S_##arg_b, S_##result},
#include "m_ops.def"
};

static const struct {
    size_t n;
    sig args[2], ret;
} FN[] = {
#define M_FN(kind, name, syntax, arity, arg_a, arg_b, result)                                      \
    [M_FN_##kind] = {arity, {S_##arg_a, S_##arg_b}, S_##result},
#include "m_ops.def"
};

/* A uid literal, or the action variable as the environment's action. */
static bool uid_of(const env *e, const m_expr *x, m_uid *out)
{
    if (x->kind == M_X_VAR && x->u.var == M_ACTION)
        *out = e->act->uid;
    else if (x->kind == M_X_LIT && x->u.lit.kind == M_V_ENTITY)
        *out = x->u.lit.u.uid;
    else
        return false;
    return true;
}

/* A literal, or the action variable as the environment's action. */
static bool lit_of(const env *e, const m_expr *x, m_value *out)
{
    bool b;
    if (x->kind == M_X_VAR && x->u.var == M_ACTION)
        *out = m_entityv(e->act->uid);
    else if (folded_bool(x, &b))
        *out = m_bool(b);
    else if (x->kind == M_X_LIT)
        *out = x->u.lit;
    else
        return false;
    return true;
}

static res type_of_lit(const env *e, m_value v)
{
    switch (v.kind) {
    case M_V_BOOL: return ok(bool_type(v.u.b), NONE);
    case M_V_INT: return ok(&T_LONG, NONE);
    case M_V_STRING: return ok(&T_STRING, NONE);
    case M_V_ENTITY: {
        bool known = is_action_type(v.u.uid.type) ? action(e->s, v.u.uid) != NULL
                                                  : entity_type(e->s, v.u.uid.type) != NULL;
        return known ? ok(entity_of(e->a, v.u.uid.type), NONE) : fail(M_TC_UNKNOWN_ENTITY);
    }
    default: return fail(M_TC_UNEXPECTED_TYPE); /* Cedar's literals are primitives */
    }
}

static res type_of_var(const env *e, m_var v)
{
    switch (v) {
    case M_PRINCIPAL: return ok(entity_of(e->a, e->principal), NONE);
    case M_ACTION: return ok(entity_of(e->a, e->act->uid.type), NONE);
    case M_RESOURCE: return ok(entity_of(e->a, e->resource), NONE);
    default: return ok(&e->act->context, NONE);
    }
}

static res type_of_ite(const env *e, const m_expr *x, caps prior)
{
    res r1 = expect(e, x->u.op.a, prior, M_T_BOOL, M_T_BOOL);
    if (r1.err) return r1;
    caps p1 = cap_union(e->a, prior, r1.c);
    if (r1.ty->u.b == M_FF) return type_of(e, x->u.op.c, prior);
    res r2 = type_of(e, x->u.op.b, p1);
    if (r2.err || r1.ty->u.b == M_TT) return r2.err ? r2 : ok(r2.ty, cap_union(e->a, r2.c, r1.c));
    res r3 = type_of(e, x->u.op.c, prior);
    if (r3.err) return r3;
    const m_type *ty = m_lub(e->a, r2.ty, r3.ty, e->mode);
    if (!ty) return fail(M_TC_LUB);
    return ok(ty, cap_inter(e->a, cap_union(e->a, r2.c, r1.c), r3.c));
}

/* The rules below that take r1 get the (unchecked) result of the left operand. */
static res type_of_and(const env *e, const m_expr *x, caps prior, res r1)
{
    r1 = check(r1, M_T_BOOL, M_T_BOOL);
    if (r1.err || r1.ty->u.b == M_FF) return r1.err ? r1 : ok(&T_FF, NONE);
    res r2 = expect(e, x->u.op.b, cap_union(e->a, prior, r1.c), M_T_BOOL, M_T_BOOL);
    if (r2.err) return r2;
    if (r2.ty->u.b == M_FF) return ok(&T_FF, NONE);
    if (r2.ty->u.b == M_TT) return ok(r1.ty, cap_union(e->a, r1.c, r2.c));
    if (r1.ty->u.b == M_TT) return ok(r2.ty, r2.c); /* Rust drops the left's capabilities here */
    return ok(&T_BOOL, cap_union(e->a, r1.c, r2.c));
}

static res type_of_or(const env *e, const m_expr *x, caps prior, res r1)
{
    r1 = check(r1, M_T_BOOL, M_T_BOOL);
    if (r1.err || r1.ty->u.b == M_TT) return r1;
    res r2 = expect(e, x->u.op.b, prior, M_T_BOOL, M_T_BOOL); /* not the left's capabilities */
    if (r2.err || r2.ty->u.b == M_TT) return r2;
    if (r2.ty->u.b == M_FF) return r1;
    if (r1.ty->u.b == M_FF) return r2;
    return ok(&T_BOOL, cap_inter(e->a, r2.c, r1.c));
}

static res type_of_unary(const env *e, const m_expr *x, caps prior)
{
    res r = check_sig(type_of(e, x->u.un.arg, prior), OP1[x->u.un.op].arg);
    if (r.err) return r;
    const m_type *t = r.ty;
    switch (x->u.un.op) {
    case M_NOT: return ok(t->u.b == M_ANY_BOOL ? &T_BOOL : bool_type(t->u.b == M_FF), NONE);
    case M_IS:
        if (t->kind == M_T_ENTITY && !t->u.ent.any) {
            bool in = false;
            for (size_t i = 0; i < t->u.ent.n; i++)
                in = in || m_str_eq(t->u.ent.names[i], x->u.un.ety);
            if (!in) return ok(&T_FF, NONE);
            if (t->u.ent.n == 1) return ok(&T_TT, NONE);
        }
        return ok(&T_BOOL, NONE);
    default: return ok(sig_type(OP1[x->u.un.op].ret), NONE); /* the signature is the rule */
    }
}

static bool disjoint_entities(const m_type *a, const m_type *b)
{
    if (a->kind != M_T_ENTITY || b->kind != M_T_ENTITY || a->u.ent.any || b->u.ent.any)
        return false;
    for (size_t i = 0; i < a->u.ent.n; i++)
        for (size_t j = 0; j < b->u.ent.n; j++)
            if (m_str_eq(a->u.ent.names[i], b->u.ent.names[j])) return false;
    return true;
}

static res type_of_eq(const env *e, const m_expr *x, res r1, res r2)
{
    m_value v1, v2;
    const m_type *t = &T_BOOL;
    if (disjoint_entities(r1.ty, r2.ty))
        t = &T_FF;
    else if (lit_of(e, x->u.bin.a, &v1) && lit_of(e, x->u.bin.b, &v2))
        t = bool_type(v1.kind == v2.kind && m_value_eq(v1, v2));
    if (e->mode == M_STRICT && t == &T_BOOL && !m_lub(e->a, r1.ty, r2.ty, M_STRICT))
        return fail(M_TC_LUB);
    return ok(t, NONE);
}

static bool comparable(const m_type *t)
{
    return t->kind == M_T_LONG ||
           (t->kind == M_T_EXT && (t->u.ext == M_V_DATETIME || t->u.ext == M_V_DURATION));
}

static res type_of_less(res r1, res r2)
{
    const m_type *t1 = r1.ty, *t2 = r2.ty;
    bool good = t1->kind == M_T_NEVER   ? t2->kind != M_T_NEVER && comparable(t2)
                : t2->kind == M_T_NEVER ? comparable(t1)
                                        : comparable(t1) && m_type_eq(t1, t2);
    return good ? ok(&T_BOOL, NONE) : fail(M_TC_UNEXPECTED_TYPE);
}

/* The entity union of an entity type or of a set of entities, or NULL. */
static const m_type *entity_union(const m_type *t)
{
    if (t->kind == M_T_SET) t = t->u.elem;
    return t->kind == M_T_ENTITY && !t->u.ent.any ? t : NULL;
}

static res type_of_in(const env *e, const m_expr *x, caps prior)
{
    res r1 = check_sig(type_of(e, x->u.bin.a, prior), OP2[M_MEM].a);
    if (r1.err) return r1;
    res r2 = check_sig(type_of(e, x->u.bin.b, prior), OP2[M_MEM].b);
    if (r2.err) return r2;
    if (r2.ty->kind == M_T_SET && r2.ty->u.elem->kind != M_T_ENTITY &&
        r2.ty->u.elem->kind != M_T_NEVER)
        return fail(M_TC_UNEXPECTED_TYPE);
    /* an action (literal or variable) in action literals: decided by the schema */
    const m_expr *rhs = x->u.bin.b;
    size_t n = rhs->kind == M_X_SET ? rhs->u.list.n : 1;
    m_uid lhs, *uids = m_alloc(e->a, (n + 1) * sizeof *uids);
    bool lits = uid_of(e, x->u.bin.a, &lhs) && is_action_type(lhs.type);
    for (size_t i = 0; lits && i < n; i++)
        lits = uid_of(e, rhs->kind == M_X_SET ? rhs->u.list.xs[i] : rhs, &uids[i]);
    if (lits) {
        bool any_action = false, in = false;
        for (size_t i = 0; i < n; i++) {
            if (!is_action_type(uids[i].type)) continue; /* an action is in no entity */
            if (!action(e->s, uids[i])) return fail(M_TC_UNKNOWN_ENTITY);
            any_action = true;
            in = in || action_in(e->s, lhs, uids[i], 0);
        }
        return ok(bool_type(any_action && in), NONE);
    }
    const m_type *l = entity_union(r1.ty), *r = entity_union(r2.ty);
    if (!l || !r) return ok(&T_BOOL, NONE);
    for (size_t i = 0; i < l->u.ent.n; i++)
        for (size_t j = 0; j < r->u.ent.n; j++)
            if (may_be_in(e->s, e->a, l->u.ent.names[i], r->u.ent.names[j]))
                return ok(&T_BOOL, NONE);
    return ok(&T_FF, NONE);
}

/* The tag types of the entity types an entity type may be (Rust tag_types). */
static size_t tag_types(const env *e, const m_type *t, const m_type **out)
{
    size_t n = 0;
    for (size_t i = 0; i < e->s->n_types; i++) {
        const m_entity_type *et = &e->s->types[i];
        bool member = t->u.ent.any;
        for (size_t j = 0; !member && j < t->u.ent.n; j++)
            member = m_str_eq(t->u.ent.names[j], et->name);
        if (member && et->tags) out[n++] = et->tags;
    }
    return n;
}

static res type_of_tag(const env *e, const m_expr *x, caps prior)
{
    res r1 = check_sig(type_of(e, x->u.bin.a, prior), OP2[x->u.bin.op].a);
    if (r1.err) return r1;
    res r2 = check_sig(type_of(e, x->u.bin.b, prior), OP2[x->u.bin.op].b);
    if (r2.err) return r2;
    if (r1.ty->kind != M_T_ENTITY) return fail(M_TC_UNEXPECTED_TYPE);
    const m_type **tys = m_alloc(e->a, (e->s->n_types + 1) * sizeof *tys);
    size_t n = tag_types(e, r1.ty, tys);
    cap k = {x->u.bin.a, x->u.bin.b, {0}};
    if (x->u.bin.op == M_HAS_TAG)
        return ok(n == 0 ? &T_FF : has_cap(prior, k) ? &T_TT : &T_BOOL, cap_one(e->a, k));
    if (!has_cap(prior, k) || n == 0) return fail(M_TC_TAG_NOT_FOUND);
    const m_type *t = &T_NEVER;
    for (size_t i = 0; t && i < n; i++)
        t = m_lub(e->a, t, tys[i], e->mode);
    return t ? ok(t, NONE) : fail(M_TC_LUB);
}

/* contains, containsAll, containsAny: a bool; in strict mode the two sides
 * (for contains: the set's elements and the element) need a bound, unless
 * the set has the bottom type (an empty set literal). */
static res type_of_contains(const env *e, m_op2 op, res r1, res r2)
{
    if (e->mode == M_STRICT && r1.ty->kind == M_T_SET) {
        const m_type *t1 = op == M_CONTAINS ? r1.ty->u.elem : r1.ty;
        if (!m_lub(e->a, t1, r2.ty, M_STRICT)) return fail(M_TC_LUB);
    }
    return ok(&T_BOOL, NONE);
}

/* The binary operators other than `in`, hasTag and getTag, once the left
 * operand's result r1 is known: the operands' kinds from the signature
 * (check and check_want also pass the bottom type), then the operator's
 * rule; an operator without one is typed by its signature alone. */
static res type_of_binary(const env *e, const m_expr *x, caps prior, res r1)
{
    m_op2 op = x->u.bin.op;
    r1 = check_sig(r1, OP2[op].a);
    if (r1.err) return r1;
    res r2 = check_sig(type_of(e, x->u.bin.b, prior), OP2[op].b);
    if (r2.err) return r2;
    switch (op) {
    case M_EQ: return type_of_eq(e, x, r1, r2);
    case M_LESS:
    case M_LESS_EQ: return type_of_less(r1, r2);
    case M_CONTAINS:
    case M_CONTAINS_ALL:
    case M_CONTAINS_ANY: return type_of_contains(e, op, r1, r2);
    default: return ok(sig_type(OP2[op].ret), NONE);
    }
}

/* The attributes of an entity union: those all its types have, with their
 * permissive bound (Rust EntityLUB::get_attribute_types). */
static const m_type *entity_attrs(const env *e, const m_type *t)
{
    static const m_type empty = {.kind = M_T_RECORD};
    const m_type *acc = NULL;
    for (size_t i = 0; i < t->u.ent.n; i++) {
        const m_entity_type *et = entity_type(e->s, t->u.ent.names[i]);
        const m_type *r = et ? &et->attrs : &empty;
        acc = acc ? m_lub(e->a, acc, r, M_PERMISSIVE) : r;
    }
    return acc;
}

/* The declared attribute `a` of a record or entity type, or NULL. */
static const m_attr_type *lookup_attr(const env *e, const m_type *t, m_str a)
{
    if (t->kind == M_T_ENTITY && !t->u.ent.any) t = entity_attrs(e, t);
    if (t->kind != M_T_RECORD) return NULL;
    for (size_t i = 0; i < t->u.rec.n; i++)
        if (m_str_eq(t->u.rec.attrs[i].name, a)) return &t->u.rec.attrs[i];
    return NULL;
}

/* Could a value of type t have attribute a although it is not declared? */
static bool may_have_attr(const env *e, const m_type *t, m_str a)
{
    if (t->kind == M_T_NEVER || (t->kind == M_T_ENTITY && t->u.ent.any)) return true;
    if (t->kind == M_T_RECORD) return t->u.rec.open || lookup_attr(e, t, a);
    if (t->kind != M_T_ENTITY) return false;
    for (size_t i = 0; i < t->u.ent.n; i++) {
        const m_entity_type *et = entity_type(e->s, t->u.ent.names[i]);
        if (!is_action_type(t->u.ent.names[i]) && (!et || et->attrs.u.rec.open)) return true;
        if (et && lookup_attr(e, &et->attrs, a)) return true;
    }
    return false;
}

static res type_of_attr(const env *e, const m_expr *x, caps prior, res r)
{
    r = check(r, M_T_ENTITY, M_T_RECORD);
    if (r.err) return r;
    const m_attr_type *at = lookup_attr(e, r.ty, x->u.attr.attr);
    cap k = {x->u.attr.arg, NULL, x->u.attr.attr};
    bool known = has_cap(prior, k);
    if (x->kind == M_X_GET_ATTR)
        return at && (at->required || known) ? ok(at->type, NONE) : fail(M_TC_ATTR_NOT_FOUND);
    if (!at) return ok(may_have_attr(e, r.ty, x->u.attr.attr) ? &T_BOOL : &T_FF, NONE);
    /* an entity with a required attribute may still be absent from the store */
    bool tt = known || (at->required && r.ty->kind == M_T_RECORD);
    return ok(tt ? &T_TT : &T_BOOL, cap_one(e->a, k));
}

static res type_of_set(const env *e, const m_expr *x, caps prior)
{
    const m_type *t = &T_NEVER;
    for (size_t i = 0; i < x->u.list.n; i++) {
        res r = type_of(e, x->u.list.xs[i], prior);
        if (r.err) return r;
        t = m_lub(e->a, t, r.ty, e->mode);
        if (!t) return fail(M_TC_LUB);
    }
    if (e->mode == M_STRICT && x->u.list.n == 0) return fail(M_TC_EMPTY_SET);
    m_type *s = m_alloc(e->a, sizeof *s);
    s->kind = M_T_SET;
    s->u.elem = t;
    return ok(s, NONE);
}

static res type_of_record(const env *e, const m_expr *x, caps prior)
{
    m_attr_type *attrs = m_alloc(e->a, (x->u.list.n + 1) * sizeof *attrs);
    for (size_t i = 0; i < x->u.list.n; i++) {
        res r = type_of(e, x->u.list.xs[i], prior);
        if (r.err) return r;
        attrs[i] = (m_attr_type){x->u.list.keys[i], r.ty, true};
    }
    m_type *t = m_alloc(e->a, sizeof *t);
    t->kind = M_T_RECORD;
    t->u.rec.n = x->u.list.n;
    t->u.rec.attrs = attrs;
    return ok(t, NONE);
}

static res type_of_call(const env *e, const m_expr *x, caps prior)
{
    const m_extfn fn = x->u.list.fn;
    size_t n = x->u.list.n;
    if (n != FN[fn].n) return fail(M_TC_EXTENSION);
    /* constructors (the functions of a string): a literal argument must
     * parse; strict mode wants literal arguments */
    bool ctor = FN[fn].args[0] == S_STRING;
    const m_expr *arg = x->u.list.xs[0];
    if (ctor && arg->kind == M_X_LIT && arg->u.lit.kind == M_V_STRING &&
        m_call(fn, 1, &arg->u.lit).err)
        return fail(M_TC_EXTENSION);
    bool b;
    if (ctor && e->mode == M_STRICT && arg->kind != M_X_LIT && !folded_bool(arg, &b))
        return fail(M_TC_EXTENSION);
    for (size_t i = 0; i < n; i++) {
        const m_type *t = sig_type(FN[fn].args[i]);
        res r = expect(e, x->u.list.xs[i], prior, t->kind, t->kind);
        if (r.err) return r;
        if (r.ty->kind == M_T_EXT && r.ty->u.ext != t->u.ext) return fail(M_TC_UNEXPECTED_TYPE);
    }
    return ok(sig_type(FN[fn].ret), NONE);
}

/* Is x typed from its left operand's result (same prior) by left_rule? */
static bool has_left_rule(const m_expr *x)
{
    m_op2 op = x->kind == M_X_BINARY ? x->u.bin.op : M_EQ;
    return x->kind == M_X_AND || x->kind == M_X_OR || x->kind == M_X_GET_ATTR ||
           x->kind == M_X_HAS_ATTR ||
           (x->kind == M_X_BINARY && op != M_MEM && op != M_HAS_TAG && op != M_GET_TAG);
}

static const m_expr *left_of(const m_expr *x)
{
    return x->kind == M_X_BINARY                     ? x->u.bin.a
           : x->kind == M_X_AND || x->kind == M_X_OR ? x->u.op.a
                                                     : x->u.attr.arg;
}

static res left_rule(const env *e, const m_expr *x, caps prior, res r1)
{
    switch (x->kind) {
    case M_X_AND: return type_of_and(e, x, prior, r1);
    case M_X_OR: return type_of_or(e, x, prior, r1);
    case M_X_BINARY: return type_of_binary(e, x, prior, r1);
    default: return type_of_attr(e, x, prior, r1);
    }
}

static res type_of(const env *e, const m_expr *x, caps prior)
{
    if (has_left_rule(x)) {
        /* `a || b || c ...` may have a million terms: walk the left spine as a
         * loop (collect it, then apply each node's rule from the innermost up) */
        size_t n = 0;
        for (const m_expr *y = x; has_left_rule(y); y = left_of(y))
            n++;
        const m_expr **spine = m_alloc(e->a, n * sizeof *spine);
        const m_expr *y = x;
        for (size_t i = 0; i < n; i++, y = left_of(y))
            spine[i] = y;
        res r = type_of(e, y, prior);
        for (size_t i = n; i-- > 0;)
            r = left_rule(e, spine[i], prior, r);
        return r;
    }
    switch (x->kind) {
    case M_X_LIT: return type_of_lit(e, x->u.lit);
    case M_X_VAR: return type_of_var(e, x->u.var);
    case M_X_ITE: return type_of_ite(e, x, prior);
    case M_X_UNARY: return type_of_unary(e, x, prior);
    case M_X_BINARY:
        return x->u.bin.op == M_MEM ? type_of_in(e, x, prior) : type_of_tag(e, x, prior);
    case M_X_AND:
    case M_X_OR:
    case M_X_GET_ATTR:
    case M_X_HAS_ATTR: break; /* above */
    case M_X_SET: return type_of_set(e, x, prior);
    case M_X_RECORD: return type_of_record(e, x, prior);
    case M_X_CALL: return type_of_call(e, x, prior);
    }
    return fail(M_TC_UNEXPECTED_TYPE);
}

/* ---- the validator ------------------------------------------------------ */

/* Every entity type, action and enumerated id the policy names is declared
 * (Validator.lean checkEntities; Rust's rbac.rs passes). As in Rust, any
 * type whose last component is `Action` is a known entity type. */
static bool entities_known(const m_schema *s, const m_expr *x)
{
    switch (x->kind) {
    case M_X_LIT: {
        if (x->u.lit.kind != M_V_ENTITY) return true;
        m_uid u = x->u.lit.u.uid;
        if (is_action_type(u.type)) return action(s, u) != NULL;
        const m_entity_type *et = entity_type(s, u.type);
        bool id_ok = et && !et->is_enum;
        for (size_t i = 0; et && !id_ok && i < et->n_eids; i++)
            id_ok = m_str_eq(et->eids[i], u.id);
        return id_ok;
    }
    case M_X_VAR: return true;
    case M_X_ITE:
        return entities_known(s, x->u.op.c) && entities_known(s, x->u.op.b) &&
               entities_known(s, x->u.op.a);
    /* left operands by a loop, not by recursion: chains can be long */
    case M_X_AND:
    case M_X_OR:
        while ((x->kind == M_X_AND || x->kind == M_X_OR) && entities_known(s, x->u.op.b))
            x = x->u.op.a;
        return x->kind != M_X_AND && x->kind != M_X_OR && entities_known(s, x);
    case M_X_UNARY:
        if (x->u.un.op == M_IS && !is_action_type(x->u.un.ety) && !entity_type(s, x->u.un.ety))
            return false;
        return entities_known(s, x->u.un.arg);
    case M_X_BINARY:
        while (x->kind == M_X_BINARY && entities_known(s, x->u.bin.b))
            x = x->u.bin.a;
        return x->kind != M_X_BINARY && entities_known(s, x);
    case M_X_GET_ATTR:
    case M_X_HAS_ATTR:
        while (x->kind == M_X_GET_ATTR || x->kind == M_X_HAS_ATTR)
            x = x->u.attr.arg;
        return entities_known(s, x);
    default:
        for (size_t i = 0; i < x->u.list.n; i++)
            if (!entities_known(s, x->u.list.xs[i])) return false;
        return true;
    }
}

const char *m_tc_error_name(m_tc_error e)
{
    static const char *names[] = {
        "ok",           "unknownEntity", "impossibleScope", "unexpectedType", "lubErr",
        "attrNotFound", "tagNotFound",   "extensionErr",    "emptySetErr"};
    return names[e];
}

m_tc_result m_validate_policy(const m_schema *s, const m_policy *p, m_mode mode, m_arena *a)
{
    m_tc_result out = {M_TC_OK, true};
    if (!entities_known(s, p->condition)) {
        out.err = M_TC_UNKNOWN_ENTITY;
        return out;
    }
    /* the scope: the first three conjuncts of the condition */
    const m_expr *scope[3] = {NULL, NULL, NULL}, *c = p->condition;
    for (int i = 0; i < 3 && c->kind == M_X_AND; i++, c = c->u.op.b)
        scope[i] = c->u.op.a;
    bool applies = false;
    for (size_t i = 0; i < s->n_actions; i++) {
        const m_action_type *act = &s->actions[i];
        for (size_t j = 0; j < act->n_principals; j++)
            for (size_t k = 0; k < act->n_resources; k++) {
                env e = {s, mode, a, act, act->principals[j], act->resources[k]};
                bool here = true;
                for (int q = 0; q < 3 && scope[q]; q++) {
                    res r = type_of(&e, scope[q], NONE);
                    here = here && (r.err || r.ty->kind != M_T_BOOL || r.ty->u.b != M_FF);
                }
                applies = applies || here;
                res r = type_of(&e, p->condition, NONE);
                if (!r.err && r.ty->kind != M_T_BOOL) r.err = M_TC_UNEXPECTED_TYPE;
                if (r.err) {
                    out.err = r.err;
                    out.impossible = false;
                    return out;
                }
                out.impossible = out.impossible && r.ty->u.b == M_FF;
            }
    }
    if (!applies) {
        out.err = M_TC_IMPOSSIBLE_SCOPE;
        out.impossible = false;
    }
    return out;
}
