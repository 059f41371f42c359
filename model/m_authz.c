/* m_authz.c: the authorizer (Authorizer.lean), as its definition. */
#include "model.h"

/* satisfied: the policy's condition evaluates to true. */
static bool satisfied(m_result r)
{
    return r.err == M_OK && r.v.kind == M_V_BOOL && r.v.u.b;
}

/* isAuthorized: with forbids the satisfied forbid policies and permits the
 * satisfied permit policies, the decision is Allow exactly when forbids is
 * empty and permits is not; the determining policies are permits on Allow and
 * forbids on Deny; the erroring policies are those whose evaluation errored. */
m_response m_is_authorized(const m_request *req, const m_entities *es, size_t n, const m_policy *ps,
                           m_arena *a)
{
    m_response resp = {0};
    m_result *r = m_alloc(a, (n + 1) * sizeof *r);
    size_t forbids = 0, permits = 0;
    for (size_t i = 0; i < n; i++) {
        r[i] = m_evaluate(ps[i].condition, req, es, a);
        forbids += ps[i].effect == M_FORBID && satisfied(r[i]);
        permits += ps[i].effect == M_PERMIT && satisfied(r[i]);
    }
    resp.allow = forbids == 0 && permits > 0;
    resp.determining = m_alloc(a, (n + 1) * sizeof *resp.determining);
    resp.erroring = m_alloc(a, (n + 1) * sizeof *resp.erroring);
    resp.errors = m_alloc(a, (n + 1) * sizeof *resp.errors);
    for (size_t i = 0; i < n; i++) {
        if (satisfied(r[i]) && ps[i].effect == (resp.allow ? M_PERMIT : M_FORBID))
            resp.determining[resp.n_determining++] = ps[i].id;
        if (r[i].err) {
            resp.erroring[resp.n_erroring] = ps[i].id;
            resp.errors[resp.n_erroring++] = r[i].err;
        }
    }
    return resp;
}
