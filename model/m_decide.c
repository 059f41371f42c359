/* m_decide.c: the authorizer's decision (Authorizer.lean isAuthorized) from
 * the policies' verdicts, with Cedar's authorization properties as its
 * contract, proved with Frama-C/WP (scripts/prove, docs/verification.md). */
#include "model.h"

/*@ // Policy i is satisfied and has effect e.
    logic boolean sat{L}(m_verdict *v, integer i, integer e) =
      v[i].outcome == M_SATISFIED && v[i].effect == e;
    // Policy i's evaluation errored.
    logic boolean errored{L}(m_verdict *v, integer i) = v[i].outcome == M_ERRORED;
    // Some policy below n is satisfied with effect e.
    predicate some_sat{L}(m_verdict *v, integer n, integer e) =
      \exists integer i; 0 <= i < n && sat(v, i, e);
    // How many policies below n are satisfied with effect e; how many errored.
    logic integer n_sat{L}(m_verdict *v, integer n, integer e) =
      n <= 0 ? 0 : n_sat(v, n - 1, e) + (sat(v, n - 1, e) ? 1 : 0);
    logic integer n_errored{L}(m_verdict *v, integer n) =
      n <= 0 ? 0 : n_errored(v, n - 1) + (errored(v, n - 1) ? 1 : 0);
    // The effect whose satisfied policies determine the decision.
    logic integer deciding(integer allow) = allow != 0 ? M_PERMIT : M_FORBID;
*/

/*@ requires \valid_read(v + (0 .. n - 1));
    requires \valid(det + (0 .. n - 1)) && \valid(err + (0 .. n - 1));
    requires \valid(n_det) && \valid(n_err);
    requires \separated(det + (0 .. n - 1), err + (0 .. n - 1), n_det, n_err, v + (0 .. n - 1));
    assigns det[0 .. n - 1], err[0 .. n - 1], *n_det, *n_err;
    // explicit permit: Allow only if some permit is satisfied
    ensures explicit_permit: \result ==> some_sat(v, n, M_PERMIT);
    // forbid overrides permit: a satisfied forbid means Deny
    ensures forbid_overrides_permit: some_sat(v, n, M_FORBID) ==> !\result;
    // default deny: no satisfied permit means Deny
    ensures default_deny: !some_sat(v, n, M_PERMIT) ==> !\result;
    // and nothing else denies: a satisfied permit and no satisfied forbid is Allow
    ensures permit_allows: some_sat(v, n, M_PERMIT) && !some_sat(v, n, M_FORBID) ==> \result;
    // three of them with some_sat unfolded, for m_is_authorized (m_authz.c): at
    // its call, the provers loop on the recursive counts below before they
    // unfold some_sat
    ensures explicit_permit_unfolded: \result ==>
      \exists integer i; 0 <= i < n && v[i].outcome == M_SATISFIED && v[i].effect == M_PERMIT;
    ensures forbid_overrides_permit_unfolded: \forall integer i; 0 <= i < n &&
      v[i].outcome == M_SATISFIED && v[i].effect == M_FORBID ==> !\result;
    ensures permit_allows_unfolded: (\exists integer i; 0 <= i < n &&
      v[i].outcome == M_SATISFIED && v[i].effect == M_PERMIT) && (\forall integer i; 0 <= i < n &&
      v[i].outcome == M_SATISFIED ==> v[i].effect != M_FORBID) ==> \result;
    // determining: exactly the satisfied policies of the deciding effect
    // (as many, each one of them, strictly increasing: in policy order)
    ensures determining_count: *n_det == n_sat(v, n, deciding(\result));
    ensures determining_sat: \forall integer k; 0 <= k < *n_det ==>
      0 <= det[k] < n && sat(v, det[k], deciding(\result));
    ensures determining_order: \forall integer k; 0 <= k < *n_det - 1 ==> det[k] < det[k + 1];
    // erroring: exactly the policies whose evaluation errored, in policy order
    ensures erroring_count: *n_err == n_errored(v, n);
    ensures erroring_errored: \forall integer k; 0 <= k < *n_err ==>
      0 <= err[k] < n && errored(v, err[k]);
    ensures erroring_order: \forall integer k; 0 <= k < *n_err - 1 ==> err[k] < err[k + 1];
    // skip on error: an erroring policy is never determining
    ensures skip_on_error: \forall integer k; 0 <= k < *n_det ==> !errored(v, det[k]);
*/
bool m_decide(size_t n, const m_verdict *v, size_t *det, size_t *n_det, size_t *err, size_t *n_err)
{
    /* Allow exactly when some permit is satisfied and no forbid is. */
    size_t permits = 0, forbids = 0;
    /*@ loop invariant 0 <= i <= n;
        loop invariant permits == n_sat(v, i, M_PERMIT) && permits <= i;
        loop invariant forbid_count: forbids == n_sat(v, i, M_FORBID) && forbids <= i;
        loop invariant permitted: permits > 0 <==> some_sat(v, i, M_PERMIT);
        loop invariant forbidden: forbids > 0 <==> some_sat(v, i, M_FORBID);
        loop assigns i, permits, forbids;
        loop variant n - i; */
    for (size_t i = 0; i < n; i++) {
        if (v[i].outcome == M_SATISFIED && v[i].effect == M_PERMIT) permits++;
        if (v[i].outcome == M_SATISFIED && v[i].effect == M_FORBID) forbids++;
    }
    /* (for the provers: the counts' invariants with some_sat unfolded) */
    /*@ assert permits_unfolded: permits > 0 <==>
          \exists integer i; 0 <= i < n && v[i].outcome == M_SATISFIED && v[i].effect == M_PERMIT;
     */
    /*@ assert forbids_unfolded: forbids > 0 <==>
          \exists integer i; 0 <= i < n && v[i].outcome == M_SATISFIED && v[i].effect == M_FORBID;
     */
    bool allow = permits > 0 && forbids == 0;
    /* The determining policies: the satisfied ones of the deciding effect. */
    m_effect deciding = allow ? M_PERMIT : M_FORBID;
    size_t nd = 0;
    /*@ loop invariant 0 <= i <= n;
        loop invariant nd == n_sat(v, i, deciding) && nd <= i;
        loop invariant det_in: \forall integer k; 0 <= k < nd ==>
          0 <= det[k] < i && sat(v, det[k], deciding);
        loop invariant det_order: \forall integer k; 0 <= k < nd - 1 ==> det[k] < det[k + 1];
        loop assigns i, nd, det[0 .. n - 1];
        loop variant n - i; */
    for (size_t i = 0; i < n; i++)
        if (v[i].outcome == M_SATISFIED && v[i].effect == deciding) det[nd++] = i;
    /* The erroring policies. */
    size_t ne = 0;
    /*@ loop invariant 0 <= i <= n;
        loop invariant ne == n_errored(v, i) && ne <= i;
        loop invariant \forall integer k; 0 <= k < ne ==> 0 <= err[k] < i && errored(v, err[k]);
        loop invariant \forall integer k; 0 <= k < ne - 1 ==> err[k] < err[k + 1];
        loop assigns i, ne, err[0 .. n - 1];
        loop variant n - i; */
    for (size_t i = 0; i < n; i++)
        if (v[i].outcome == M_ERRORED) err[ne++] = i;
    *n_det = nd;
    *n_err = ne;
    return allow;
}
