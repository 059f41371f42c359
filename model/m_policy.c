/* m_policy.c: a policy as one expression (Policy.lean: Scope.toExpr,
 * Conditions.toExpr, Policy.toExpr). */
#include "model.h"

static const m_expr *uid_lit(m_arena *a, m_uid uid)
{
    return m_x_lit(a, m_entityv(uid));
}

/* Var.eqEntityUID, Var.inEntityUID and Var.isEntityType, by scope form;
 * `action in [A, B]` (ActionScope.actionInAny) is `in` a set literal. */
const m_expr *m_scope_to_expr(m_arena *a, const m_scope *s, m_var v)
{
    const m_expr *var = m_x_var(a, v);
    switch (s->op) {
    case M_SCOPE_ANY: break;
    case M_SCOPE_EQ: return m_x_binary(a, M_EQ, var, uid_lit(a, s->uid));
    case M_SCOPE_IN: return m_x_binary(a, M_MEM, var, uid_lit(a, s->uid));
    case M_SCOPE_IS: return m_x_is(a, var, s->ety);
    case M_SCOPE_IS_IN:
        return m_x_and(a, m_x_is(a, var, s->ety), m_x_binary(a, M_MEM, var, uid_lit(a, s->uid)));
    case M_SCOPE_IN_SET: {
        const m_expr **xs = m_alloc(a, (s->n_uids + 1) * sizeof *xs);
        for (size_t i = 0; i < s->n_uids; i++)
            xs[i] = uid_lit(a, s->uids[i]);
        return m_x_binary(a, M_MEM, var, m_x_set(a, s->n_uids, xs));
    }
    }
    return m_x_lit(a, m_bool(true));
}

/* Conditions.toExpr, folded to the right as Rust's parser does: c1 && (c2 &&
 * c3), `true` when there is none. Lean ends the fold with `&& true`; both
 * stand on the right of the resource scope's `&&`, which already requires a
 * boolean, so they evaluate alike. */
static const m_expr *conditions(m_arena *a, size_t n, const m_condition *cs)
{
    const m_expr *all = NULL;
    for (size_t i = n; i-- > 0;) {
        const m_expr *c = cs[i].body;
        if (!cs[i].is_when) c = m_x_unary(a, M_NOT, c);
        all = all ? m_x_and(a, c, all) : c;
    }
    return all ? all : m_x_lit(a, m_bool(true));
}

/* Policy.toExpr: principal && (action && (resource && conditions)). */
m_policy m_policy_of(m_arena *a, const m_policy_def *p)
{
    const m_expr *x = conditions(a, p->n_conditions, p->conditions);
    x = m_x_and(a, m_scope_to_expr(a, &p->resource, M_RESOURCE), x);
    x = m_x_and(a, m_scope_to_expr(a, &p->action, M_ACTION), x);
    x = m_x_and(a, m_scope_to_expr(a, &p->principal, M_PRINCIPAL), x);
    return (m_policy){p->id, p->effect, x};
}
