/* m_authz.c: the authorizer (Authorizer.lean), as its definition. */
#include "model.h"

/* satisfied: the policy's condition evaluates to true. */
static bool satisfied(m_result r)
{
    return r.err == M_OK && r.v.kind == M_V_BOOL && r.v.u.b;
}

/* isAuthorized: each policy is evaluated to its verdict (satisfied, not
 * satisfied, or errored); m_decide (m_decide.c, with the proof of Cedar's
 * authorization properties) finds the decision, the determining policies
 * (satisfied permits on Allow, satisfied forbids on Deny) and the erroring
 * policies, which are reported with their errors. */
m_response m_is_authorized(const m_request *req, const m_entities *es, size_t n, const m_policy *ps,
                           m_arena *a)
{
    m_result *r = m_alloc(a, (n + 1) * sizeof *r);
    m_verdict *v = m_alloc(a, (n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        r[i] = m_evaluate(ps[i].condition, req, es, a);
        v[i].effect = ps[i].effect;
        v[i].outcome = satisfied(r[i]) ? M_SATISFIED : r[i].err ? M_ERRORED : M_NOT_SATISFIED;
    }
    size_t *det = m_alloc(a, (n + 1) * sizeof *det), *err = m_alloc(a, (n + 1) * sizeof *err);
    m_response resp = {0};
    resp.allow = m_decide(n, v, det, &resp.n_determining, err, &resp.n_erroring);
    resp.determining = m_alloc(a, (n + 1) * sizeof *resp.determining);
    resp.erroring = m_alloc(a, (n + 1) * sizeof *resp.erroring);
    resp.errors = m_alloc(a, (n + 1) * sizeof *resp.errors);
    for (size_t k = 0; k < resp.n_determining; k++)
        resp.determining[k] = ps[det[k]].id;
    for (size_t k = 0; k < resp.n_erroring; k++) {
        resp.erroring[k] = ps[err[k]].id;
        resp.errors[k] = r[err[k]].err;
    }
    return resp;
}
