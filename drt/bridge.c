/* bridge.c: core's parsed policies, entities, requests and values as model values. */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"

static m_str str(cd_str s)
{
    return (m_str){s.ptr, s.len};
}

m_uid drt_uid(cd_uid u)
{
    return (m_uid){str(cd_name_str(u.type)), str(u.id)};
}

static m_value ext_value(const cd_ext *e)
{
    m_value v = {.kind = M_V_DECIMAL};
    switch (e->kind) {
    case CD_EXT_DECIMAL: v.u.i = e->u.decimal; break;
    case CD_EXT_DATETIME: v.kind = M_V_DATETIME, v.u.i = e->u.datetime_ms; break;
    case CD_EXT_DURATION: v.kind = M_V_DURATION, v.u.i = e->u.duration_ms; break;
    case CD_EXT_IPADDR:
        v.kind = M_V_IPADDR;
        v.u.ip.v6 = e->u.ip.v6;
        v.u.ip.prefix = e->u.ip.prefix;
        memcpy(v.u.ip.addr, e->u.ip.addr, e->u.ip.v6 ? 16 : 4);
        break;
    }
    return v;
}

static m_value record_value(m_arena *a, const cd_record *r)
{
    m_str *keys = m_alloc(a, (r->n + 1) * sizeof *keys);
    m_value *vals = m_alloc(a, (r->n + 1) * sizeof *vals);
    for (size_t i = 0; i < r->n; i++) {
        keys[i] = str(r->keys[i]);
        vals[i] = drt_value(a, &r->vals[i]);
    }
    return m_record_of(a, r->n, keys, vals);
}

m_value drt_value(m_arena *a, const cd_value *v)
{
    switch (v->kind) {
    case CD_V_BOOL: return m_bool(v->u.b);
    case CD_V_LONG: return m_int(v->u.l);
    case CD_V_STRING: return m_string(str(v->u.s));
    case CD_V_ENTITY: return m_entityv(drt_uid(v->u.uid));
    case CD_V_SET: {
        m_value *xs = m_alloc(a, (v->u.set.n + 1) * sizeof *xs);
        for (size_t i = 0; i < v->u.set.n; i++)
            xs[i] = drt_value(a, &v->u.set.items[i]);
        return m_set_of(a, v->u.set.n, xs);
    }
    case CD_V_RECORD: return record_value(a, &v->u.rec);
    case CD_V_EXT: return ext_value(&v->u.ext);
    }
    return m_bool(false);
}

/* ---- expressions ---------------------------------------------------------- */

typedef struct conv {
    m_arena *a;
    const cd_policy *p; /* for the slot values */
    const char *why;    /* set when a slot has no value */
} conv;

/* ---- operators: core's (cd_ops.def) and the model's (m_ops.def) -------- */

/* Core's operators by AST kind: the name as written and the operand count.
 * `has`, `like` and `is` (class KEYWORD) have operands that are not all
 * expressions (an attribute, a pattern, a type): they are converted by hand
 * below, never by name. */
#define BRIDGE_BY_NAME_PREFIX  true
#define BRIDGE_BY_NAME_INFIX   true
#define BRIDGE_BY_NAME_METHOD  true
#define BRIDGE_BY_NAME_KEYWORD false
static const struct {
    const char *name;
    int arity;
    bool by_name;
} core_ops[] = {
#define CD_OP(kind, surface, json, arity, class, ...)                                              \
    [CD_X_##kind] = {surface, arity, BRIDGE_BY_NAME_##class},
#include "cd_ops.def"
#undef CD_OP
};

static const char *const model_op1s[] = {
#define M_OP1(kind, name, syntax, arg, result) [M_##kind] = name,
#include "m_ops.def"
};
static const char *const model_op2s[] = {
#define M_OP2(kind, name, syntax, arg_a, arg_b, result) [M_##kind] = name,
#include "m_ops.def"
};
static const char *const model_fns[] = {
#define M_FN(kind, name, syntax, arity, arg_a, arg_b, result) [M_FN_##kind] = name,
#include "m_ops.def"
};

/* The model's operator of the name that core's kind k has, among the n
 * names of the given arity; false when core's kind is not an operator of
 * that arity or the model has no such name (`&&`, `||`, `>`, `>=`: the
 * model's own forms, below). */
static bool same_op(cd_xkind k, int arity, const char *const *names, size_t n, int *out)
{
    if ((size_t)k >= sizeof core_ops / sizeof *core_ops || !core_ops[k].by_name ||
        core_ops[k].arity != arity)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], core_ops[k].name) != 0) continue;
        *out = (int)i;
        return true;
    }
    return false;
}

static bool unary_op(cd_xkind k, m_op1 *op)
{
    int i;
    if (!same_op(k, 1, model_op1s, sizeof model_op1s / sizeof *model_op1s, &i)) return false;
    *op = (m_op1)i;
    return true;
}

static bool binary_op(cd_xkind k, m_op2 *op)
{
    int i;
    if (!same_op(k, 2, model_op2s, sizeof model_op2s / sizeof *model_op2s, &i)) return false;
    *op = (m_op2)i;
    return true;
}

/* The model's extension function of core's function's name (none for a
 * call of an unknown function, CD_FN_UNKNOWN, which the model cannot hold). */
static bool extfn_of(cd_extfn fn, m_extfn *out)
{
    if (!cd_extfn_get(fn)) return false;
    for (size_t i = 0; i < sizeof model_fns / sizeof *model_fns; i++) {
        if (strcmp(model_fns[i], cd_extfn_get(fn)->name) != 0) continue;
        *out = (m_extfn)i;
        return true;
    }
    return false;
}

static m_pattern pattern(m_arena *a, const cd_pattern *p)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < p->n; i++)
        n += p->elems[i].star ? 1 : p->elems[i].lit.len;
    int16_t *elems = m_alloc(a, (n + 1) * sizeof *elems);
    for (size_t i = 0; i < p->n; i++) {
        if (p->elems[i].star) elems[k++] = M_STAR;
        for (size_t j = 0; !p->elems[i].star && j < p->elems[i].lit.len; j++)
            elems[k++] = (unsigned char)p->elems[i].lit.ptr[j];
    }
    return (m_pattern){n, elems};
}

static const m_expr *expr(conv *c, const cd_expr *e);

static m_var var_of(cd_var v)
{
    return v == CD_VAR_PRINCIPAL  ? M_PRINCIPAL
           : v == CD_VAR_ACTION   ? M_ACTION
           : v == CD_VAR_RESOURCE ? M_RESOURCE
                                  : M_CONTEXT;
}

static const m_expr *const *exprs(conv *c, size_t n, cd_expr *const *xs)
{
    const m_expr **out = m_alloc(c->a, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = expr(c, xs[i]);
    return out;
}

/* Byte-wise order of keys, shorter first on a common prefix (Rust's str order). */
static bool key_less(cd_str a, cd_str b)
{
    int c = memcmp(a.ptr, b.ptr, a.len < b.len ? a.len : b.len);
    return c < 0 || (c == 0 && a.len < b.len);
}

/* A record literal with its fields in key order: the Rust AST keeps them in a
 * sorted map, so they are evaluated in that order (which decides the error
 * reported when several fields fail). */
static const m_expr *record(conv *c, const cd_expr *e)
{
    size_t n = e->u.rec.n;
    m_str *keys = m_alloc(c->a, (n + 1) * sizeof *keys);
    const m_expr **vals = m_alloc(c->a, (n + 1) * sizeof *vals);
    for (size_t i = 0; i < n; i++) { /* insertion sort */
        size_t j = i;
        for (; j > 0 && key_less(e->u.rec.keys[i], (cd_str){keys[j - 1].ptr, keys[j - 1].len});
             j--) {
            keys[j] = keys[j - 1];
            vals[j] = vals[j - 1];
        }
        keys[j] = str(e->u.rec.keys[i]);
        vals[j] = expr(c, e->u.rec.vals[i]);
    }
    return m_x_record(c->a, n, keys, vals);
}

/* The value of a slot, or false (with c->why) when the policy has none. */
static m_value slot(conv *c, bool principal)
{
    bool has = principal ? c->p->has_principal_slot : c->p->has_resource_slot;
    if (!has) c->why = "a template slot has no linked value";
    return m_entityv(drt_uid(principal ? c->p->principal_slot : c->p->resource_slot));
}

/* One node of a chain (cd_ast.h), its left operand already converted. */
static const m_expr *chain_node(conv *c, const cd_expr *e, const m_expr *left)
{
    m_op2 op = M_ADD;
    if (e->kind == CD_X_GET_ATTR) return m_x_get_attr(c->a, left, str(e->u.attr.name));
    const m_expr *right = expr(c, e->u.op.b);
    if (e->kind == CD_X_AND) return m_x_and(c->a, left, right);
    if (e->kind == CD_X_OR) return m_x_or(c->a, left, right);
    binary_op(e->kind, &op);
    return m_x_binary(c->a, op, left, right);
}

/* A chain node by node, innermost first: no recursion per term. */
static const m_expr *chain(conv *c, const cd_expr *e)
{
    size_t n;
    const cd_expr **nodes = cd_chain_nodes(e, &n);
    const m_expr *x = expr(c, cd_chain_left(nodes[0]));
    for (size_t i = 0; i < n; i++)
        x = chain_node(c, nodes[i], x);
    free(nodes);
    return x;
}

static const m_expr *expr(conv *c, const cd_expr *e)
{
    m_arena *a = c->a;
    m_op1 op1;
    m_op2 op;
    m_extfn fn;
    const m_expr *x;
    if (cd_chain_continues(e)) return chain(c, e);
    if (unary_op(e->kind, &op1)) return m_x_unary(a, op1, expr(c, e->u.op.a));
    if (binary_op(e->kind, &op)) return m_x_binary(a, op, expr(c, e->u.op.a), expr(c, e->u.op.b));
    switch (e->kind) {
    case CD_X_LIT: return m_x_lit(a, drt_value(a, &e->u.lit));
    case CD_X_VAR: return m_x_var(a, var_of(e->u.var));
    case CD_X_SLOT: return m_x_lit(a, slot(c, e->u.slot == CD_SLOT_PRINCIPAL));
    case CD_X_IF: return m_x_ite(a, expr(c, e->u.op.a), expr(c, e->u.op.b), expr(c, e->u.op.c));
    case CD_X_AND: return m_x_and(a, expr(c, e->u.op.a), expr(c, e->u.op.b));
    case CD_X_OR: return m_x_or(a, expr(c, e->u.op.a), expr(c, e->u.op.b));
    case CD_X_GT: /* a > b is !(a <= b), a >= b is !(a < b) */
    case CD_X_GE:
        x = m_x_binary(a, e->kind == CD_X_GT ? M_LESS_EQ : M_LESS, expr(c, e->u.op.a),
                       expr(c, e->u.op.b));
        return m_x_unary(a, M_NOT, x);
    case CD_X_HAS: return m_x_has_attr(a, expr(c, e->u.attr.obj), str(e->u.attr.name));
    case CD_X_GET_ATTR: return m_x_get_attr(a, expr(c, e->u.attr.obj), str(e->u.attr.name));
    case CD_X_LIKE: return m_x_like(a, expr(c, e->u.like.obj), pattern(a, &e->u.like.pat));
    case CD_X_IS: /* e is T in E is (e is T) && (e in E) */
        x = m_x_is(a, expr(c, e->u.is.obj), str(cd_name_str(e->u.is.type)));
        if (!e->u.is.in) return x;
        return m_x_and(a, x, m_x_binary(a, M_MEM, expr(c, e->u.is.obj), expr(c, e->u.is.in)));
    case CD_X_SET: return m_x_set(a, e->u.list.n, exprs(c, e->u.list.n, e->u.list.items));
    case CD_X_RECORD: return record(c, e);
    case CD_X_CALL:
        if (!extfn_of(e->u.call.fn, &fn)) break;
        return m_x_call(a, fn, e->u.call.n, exprs(c, e->u.call.n, e->u.call.args));
    default: break; /* the operators, above */
    }
    c->why = "an expression or function the model does not know";
    return m_x_lit(a, m_bool(false));
}

/* ---- policies ---------------------------------------------------------- */

/* The scope as the model's (Policy.lean's Scope), a slot replaced by its value. */
static m_scope scope(conv *c, const cd_scope *s, bool principal)
{
    static const m_scope_op ops[] = {
        [CD_SCOPE_ANY] = M_SCOPE_ANY,     [CD_SCOPE_EQ] = M_SCOPE_EQ,
        [CD_SCOPE_IN] = M_SCOPE_IN,       [CD_SCOPE_IS] = M_SCOPE_IS,
        [CD_SCOPE_IS_IN] = M_SCOPE_IS_IN, [CD_SCOPE_IN_SET] = M_SCOPE_IN_SET,
    };
    m_scope out = {.op = ops[s->op], .n_uids = s->n_uids};
    if (s->op == CD_SCOPE_IS || s->op == CD_SCOPE_IS_IN) out.ety = str(cd_name_str(s->is_type));
    if (s->op == CD_SCOPE_EQ || s->op == CD_SCOPE_IN || s->op == CD_SCOPE_IS_IN)
        out.uid = s->slot ? slot(c, principal).u.uid : drt_uid(s->uid);
    if (s->op == CD_SCOPE_IN_SET) {
        m_uid *uids = m_alloc(c->a, (s->n_uids + 1) * sizeof *uids);
        for (size_t i = 0; i < s->n_uids; i++)
            uids[i] = drt_uid(s->uids[i]);
        out.uids = uids;
    }
    return out;
}

bool drt_policy(m_arena *a, const cd_policy *p, m_policy *out, const char **why)
{
    conv c = {a, p, NULL};
    m_condition *cs = m_alloc(a, (p->body->n_conditions + 1) * sizeof *cs);
    for (size_t i = 0; i < p->body->n_conditions; i++)
        cs[i] =
            (m_condition){p->body->conditions[i].is_when, expr(&c, p->body->conditions[i].body)};
    m_policy_def def = {str(p->id),
                        p->body->effect == CD_PERMIT ? M_PERMIT : M_FORBID,
                        scope(&c, &p->body->principal, true),
                        scope(&c, &p->body->action, false),
                        scope(&c, &p->body->resource, false),
                        p->body->n_conditions,
                        cs};
    *out = m_policy_of(a, &def);
    if (why) *why = c.why;
    return c.why == NULL;
}

bool drt_policies(m_arena *a, const cd_policies *ps, m_policy **out, size_t *n, const char **why)
{
    size_t count = ps ? ps->n : 0;
    *out = m_alloc(a, (count + 1) * sizeof **out);
    *n = 0;
    for (size_t i = 0; i < count; i++) {
        if (ps->items[i]->is_template) continue;
        if (!drt_policy(a, ps->items[i], &(*out)[(*n)++], why)) return false;
    }
    return true;
}

/* ---- entities and requests --------------------------------------------- */

m_entities drt_entities(m_arena *a, const cd_entities *es)
{
    size_t n = es ? cd_entities_count(es) : 0;
    m_entity *items = m_alloc(a, (n + 1) * sizeof *items);
    for (size_t i = 0; i < n; i++) {
        const cd_entity *e = cd_entities_at(es, i);
        m_uid *parents = m_alloc(a, (e->n_parents + 1) * sizeof *parents);
        for (size_t k = 0; k < e->n_parents; k++)
            parents[k] = drt_uid(e->parents[k]);
        items[i] = (m_entity){drt_uid(e->uid), record_value(a, &e->attrs),
                              record_value(a, &e->tags), e->n_parents, parents};
    }
    return (m_entities){n, items};
}

m_request drt_request(m_arena *a, const cd_request *rq)
{
    return (m_request){drt_uid(rq->principal.u.uid), drt_uid(rq->action.u.uid),
                       drt_uid(rq->resource.u.uid), drt_value(a, &rq->context)};
}
