/* m_authz.c: the authorizer (Authorizer.lean), as its definition. Its
 * evaluation loop is proved with Frama-C/WP (verdict i is policy i's
 * outcome, evaluation abstracted by m_evaluate's contract below), and the
 * decision from the verdicts in m_decide.c (scripts/prove,
 * docs/verification.md). */
#include "model.h"

/*@ // Evaluation, abstracted (docs/verification.md, assumptions): the
    // outcome (an m_outcome) of condition x on the request and the entities.
    axiomatic Evaluation {
      logic integer outcome(m_expr *x, m_request *req, m_entities *es);
    }
    // A result's outcome: satisfied when true, errored when an error.
    logic integer result_outcome(m_result r) =
      r.err == M_OK && r.v.kind == M_V_BOOL && r.v.u.b != 0 ? M_SATISFIED :
      r.err != M_OK ? M_ERRORED : M_NOT_SATISFIED;
*/
/* What evaluation changes: the arena, and nothing that existed before
 * (the values it builds are in memory the arena hands out fresh). */
//@ ghost int m_arena_state;

/*@ assigns m_arena_state;
    ensures outcome: result_outcome(\result) == outcome(x, req, es); */
m_result m_evaluate(const m_expr *x, const m_request *req, const m_entities *es, m_arena *a);

/* satisfied: the policy's condition evaluates to true. */
/*@ assigns \nothing;
    ensures \result <==> result_outcome(r) == M_SATISFIED; */
static bool satisfied(m_result r)
{
    return r.err == M_OK && r.v.kind == M_V_BOOL && r.v.u.b;
}

/* isAuthorized, its evaluation: each policy is evaluated to its verdict
 * (its effect; satisfied, not satisfied, or errored) and its error, in v and
 * e (from the arena, as m_is_authorized allocates them). */
/*@ requires \valid_read(ps + (0 .. n - 1)) && \valid_read(req) && \valid_read(es);
    requires \valid(v + (0 .. n - 1)) && \valid(e + (0 .. n - 1));
    requires \separated(v + (0 .. n - 1), e + (0 .. n - 1), ps + (0 .. n - 1));
    assigns m_arena_state, v[0 .. n - 1], e[0 .. n - 1];
    // verdict i is policy i's effect and outcome; its error when it errored
    ensures verdicts: \forall integer i; 0 <= i < n ==> v[i].effect == ps[i].effect &&
      v[i].outcome == outcome(ps[i].condition, req, es) &&
      (e[i] != M_OK <==> v[i].outcome == M_ERRORED);
*/
static void evaluate_all(const m_request *req, const m_entities *es, size_t n, const m_policy *ps,
                         m_arena *a, m_verdict *v, m_error *e)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant verdicts: \forall integer j; 0 <= j < i ==>
          v[j].effect == ps[j].effect && v[j].outcome == outcome(ps[j].condition, req, es) &&
          (e[j] != M_OK <==> v[j].outcome == M_ERRORED);
        loop assigns i, v[0 .. n - 1], e[0 .. n - 1], m_arena_state;
        loop variant n - i; */
    for (size_t i = 0; i < n; i++) {
        m_result r = m_evaluate(ps[i].condition, req, es, a);
        v[i].effect = ps[i].effect;
        v[i].outcome = satisfied(r) ? M_SATISFIED : r.err ? M_ERRORED : M_NOT_SATISFIED;
        e[i] = r.err;
    }
}

/*@ // Policy i's condition evaluates to true and its effect is e.
    predicate p_sat(m_policy *ps, integer i, integer e, m_request *req, m_entities *es) =
      outcome(ps[i].condition, req, es) == M_SATISFIED && ps[i].effect == e;
*/
/* The decision over the policies: evaluate_all, then m_decide. Its contract
 * is the decision's properties stated over the policies' outcomes (m_decide's
 * contract, in m_decide.c, composed with evaluate_all's: scripts/prove
 * parses both files). */
/*@ requires \valid_read(ps + (0 .. n - 1)) && \valid_read(req) && \valid_read(es);
    requires \valid(v + (0 .. n - 1)) && \valid(e + (0 .. n - 1));
    requires \valid(det + (0 .. n - 1)) && \valid(err + (0 .. n - 1));
    requires \valid(n_det) && \valid(n_err);
    requires \separated(v + (0 .. n - 1), e + (0 .. n - 1), ps + (0 .. n - 1), det + (0 .. n - 1),
                        err + (0 .. n - 1), n_det, n_err);
    assigns m_arena_state, v[0 .. n - 1], e[0 .. n - 1], det[0 .. n - 1], err[0 .. n - 1], *n_det,
      *n_err;
    // the decision's properties over the policies' outcomes
    ensures explicit_permit: \result ==>
      !(\forall integer i; 0 <= i < n ==> !p_sat(ps, i, M_PERMIT, req, es));
    ensures forbid_overrides_permit: \forall integer i; 0 <= i < n &&
      p_sat(ps, i, M_FORBID, req, es) ==> !\result;
    ensures default_deny: (\forall integer i; 0 <= i < n ==> !p_sat(ps, i, M_PERMIT, req, es)) ==>
      !\result;
    ensures permit_allows: !(\forall integer i; 0 <= i < n ==> !p_sat(ps, i, M_PERMIT, req, es)) &&
      (\forall integer i; 0 <= i < n ==> !p_sat(ps, i, M_FORBID, req, es)) ==> \result;
    ensures skip_on_error: \forall integer k; 0 <= k < *n_det ==>
      0 <= det[k] < n && outcome(ps[det[k]].condition, req, es) != M_ERRORED;
*/
static bool authorize_all(const m_request *req, const m_entities *es, size_t n, const m_policy *ps,
                          m_arena *a, m_verdict *v, m_error *e, size_t *det, size_t *n_det,
                          size_t *err, size_t *n_err)
{
    evaluate_all(req, es, n, ps, a, v, e);
    /* (for the provers, before m_decide's contract brings in its recursive
     * counts: a verdict is satisfied with an effect exactly when its policy
     * is) */
    /*@ assert sat_iff: \forall integer i; 0 <= i < n ==>
          (v[i].outcome == M_SATISFIED && v[i].effect == M_PERMIT <==>
           p_sat(ps, i, M_PERMIT, req, es)) &&
          (v[i].outcome == M_SATISFIED && v[i].effect == M_FORBID <==>
           p_sat(ps, i, M_FORBID, req, es)); */
    /*@ assert no_permit: (\forall integer i; 0 <= i < n ==> !p_sat(ps, i, M_PERMIT, req, es)) ==>
          (\forall integer i; 0 <= i < n ==> !(v[i].outcome == M_SATISFIED && v[i].effect ==
       M_PERMIT)); */
    /*@ assert no_forbid: (\forall integer i; 0 <= i < n ==> !p_sat(ps, i, M_FORBID, req, es)) ==>
          (\forall integer i; 0 <= i < n && v[i].outcome == M_SATISFIED ==> v[i].effect !=
       M_FORBID); */
    bool allow = m_decide(n, v, det, n_det, err, n_err);
    /* (and m_decide changed no verdict) */
    /*@ assert kept: \forall integer i; 0 <= i < n ==> v[i].effect == ps[i].effect &&
          v[i].outcome == outcome(ps[i].condition, req, es); */
    return allow;
}

/* isAuthorized: m_decide (m_decide.c) finds the decision, the determining
 * policies (satisfied permits on Allow, satisfied forbids on Deny) and the
 * erroring policies, which are reported with their errors. */
m_response m_is_authorized(const m_request *req, const m_entities *es, size_t n, const m_policy *ps,
                           m_arena *a)
{
    m_verdict *v = m_alloc(a, (n + 1) * sizeof *v);
    m_error *e = m_alloc(a, (n + 1) * sizeof *e);
    size_t *det = m_alloc(a, (n + 1) * sizeof *det), *err = m_alloc(a, (n + 1) * sizeof *err);
    m_response resp = {0};
    resp.allow =
        authorize_all(req, es, n, ps, a, v, e, det, &resp.n_determining, err, &resp.n_erroring);
    resp.determining = m_alloc(a, (n + 1) * sizeof *resp.determining);
    resp.erroring = m_alloc(a, (n + 1) * sizeof *resp.erroring);
    resp.errors = m_alloc(a, (n + 1) * sizeof *resp.errors);
    for (size_t k = 0; k < resp.n_determining; k++)
        resp.determining[k] = ps[det[k]].id;
    for (size_t k = 0; k < resp.n_erroring; k++) {
        resp.erroring[k] = ps[err[k]].id;
        resp.errors[k] = e[err[k]];
    }
    return resp;
}
