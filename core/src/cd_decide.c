/* cd_decide.c: the authorizer's decision, with its proof (Frama-C/WP).
 *
 * The ACSL annotations define, over the verdicts, when a policy is satisfied
 * with an effect and when it errored, and state Cedar's authorization
 * properties as cd_decide's contract. scripts/prove proves the contract and
 * the absence of run-time errors (-wp-rte); docs/verification.md says what
 * is assumed of the verdicts that cd_authorize records.
 */
#include "cd_decide.h"

/*@ // Policy i is satisfied and has effect e (0 permit, 1 forbid).
    logic boolean sat{L}(cd_verdict *v, integer i, integer e) =
      v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == e;
    // Policy i's evaluation errored.
    logic boolean errored{L}(cd_verdict *v, integer i) = v[i].outcome == CD_OUTCOME_ERROR;
    // Some policy below n is satisfied with effect e.
    predicate some_sat{L}(cd_verdict *v, integer n, integer e) =
      \exists integer i; 0 <= i < n && sat(v, i, e);
    // How many policies below n are satisfied with effect e; how many errored.
    logic integer n_sat{L}(cd_verdict *v, integer n, integer e) =
      n <= 0 ? 0 : n_sat(v, n - 1, e) + (sat(v, n - 1, e) ? 1 : 0);
    logic integer n_errored{L}(cd_verdict *v, integer n) =
      n <= 0 ? 0 : n_errored(v, n - 1) + (errored(v, n - 1) ? 1 : 0);
    // The effect whose satisfied policies determine decision d.
    logic integer deciding(integer allow) = allow != 0 ? 0 : 1;
*/

/*@ requires \valid_read(v + (0 .. n - 1));
    requires \valid(det + (0 .. n - 1)) && \valid(err + (0 .. n - 1));
    requires \valid(n_det) && \valid(n_err);
    requires \separated(det + (0 .. n - 1), err + (0 .. n - 1), n_det, n_err, v + (0 .. n - 1));
    assigns det[0 .. n - 1], err[0 .. n - 1], *n_det, *n_err;
    // explicit permit: Allow only if some permit is satisfied
    ensures explicit_permit: \result ==> some_sat(v, n, 0);
    // forbid overrides permit: a satisfied forbid means Deny
    ensures forbid_overrides_permit: some_sat(v, n, 1) ==> !\result;
    // default deny: no satisfied permit means Deny
    ensures default_deny: !some_sat(v, n, 0) ==> !\result;
    // and nothing else denies: a satisfied permit and no satisfied forbid is Allow
    ensures permit_allows: some_sat(v, n, 0) && !some_sat(v, n, 1) ==> \result;
    // three of them with some_sat unfolded, for decide_policies (cd_authz.c):
    // at its call, the provers loop on the recursive counts below before they
    // unfold some_sat
    ensures explicit_permit_unfolded: \result ==>
      \exists integer i; 0 <= i < n && v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == 0;
    ensures forbid_overrides_permit_unfolded: \forall integer i; 0 <= i < n &&
      v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == 1 ==> !\result;
    ensures permit_allows_unfolded: (\exists integer i; 0 <= i < n &&
      v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == 0) && (\forall integer i; 0 <= i < n &&
      v[i].outcome == CD_OUTCOME_SATISFIED ==> v[i].effect != 1) ==> \result;
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
bool cd_decide(size_t n, const cd_verdict *v, size_t *det, size_t *n_det, size_t *err,
               size_t *n_err)
{
    size_t n_permit = 0, n_forbid = 0;
    /*@ loop invariant 0 <= i <= n;
        loop invariant n_permit == n_sat(v, i, 0) && n_permit <= i;
        loop invariant forbid_count: n_forbid == n_sat(v, i, 1) && n_forbid <= i;
        loop invariant n_permit > 0 <==> some_sat(v, i, 0);
        loop invariant n_forbid > 0 <==> some_sat(v, i, 1);
        loop assigns i, n_permit, n_forbid;
        loop variant n - i; */
    for (size_t i = 0; i < n; i++) {
        if (v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == 0) n_permit++;
        if (v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == 1) n_forbid++;
    }
    /* (for the provers: the counts' invariants with some_sat unfolded) */
    /*@ assert permits_unfolded: n_permit > 0 <==>
          \exists integer i; 0 <= i < n && v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == 0;
     */
    /*@ assert forbids_unfolded: n_forbid > 0 <==>
          \exists integer i; 0 <= i < n && v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == 1;
     */
    bool allow = n_forbid == 0 && n_permit > 0;
    uint8_t want = allow ? 0 : 1;
    //@ assert want_deciding: want == deciding(allow);
    size_t nd = 0, ne = 0;
    /*@ loop invariant 0 <= i <= n;
        loop invariant nd == n_sat(v, i, want) && nd <= i;
        loop invariant det_in: \forall integer k; 0 <= k < nd ==>
          0 <= det[k] < i && sat(v, det[k], want);
        loop invariant det_order: \forall integer k; 0 <= k < nd - 1 ==> det[k] < det[k + 1];
        loop invariant ne == n_errored(v, i) && ne <= i;
        loop invariant err_in: \forall integer k; 0 <= k < ne ==>
          0 <= err[k] < i && errored(v, err[k]);
        loop invariant err_order: \forall integer k; 0 <= k < ne - 1 ==> err[k] < err[k + 1];
        loop assigns i, nd, ne, det[0 .. n - 1], err[0 .. n - 1];
        loop variant n - i; */
    for (size_t i = 0; i < n; i++) {
        /* (for the prover: the order of det, before and after i is added,
         * before err is written) */
        //@ assert det_below: \forall integer k; 0 <= k < nd ==> det[k] < i;
        if (v[i].outcome == CD_OUTCOME_SATISFIED && v[i].effect == want) det[nd++] = i;
        //@ assert \forall integer k; 0 <= k < nd - 1 ==> det[k] < det[k + 1];
        if (v[i].outcome == CD_OUTCOME_ERROR) err[ne++] = i;
    }
    *n_det = nd;
    *n_err = ne;
    return allow;
}
