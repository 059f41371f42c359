/* cd_decide.h: the authorizer's decision from the policies' outcomes.
 *
 * cd_authorize evaluates the policies and records one verdict per policy;
 * cd_decide turns the verdicts into the decision, the determining policies
 * and the erroring policies. It is pure (it writes only the arrays it is
 * given) so that Cedar's authorization properties can be proved of it with
 * Frama-C/WP: see cd_decide.c and docs/verification.md.
 */
#ifndef CD_DECIDE_H
#define CD_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A policy's outcome: not satisfied (or not evaluated), satisfied, or its
 * evaluation errored. */
enum { CD_OUTCOME_NONE = 0, CD_OUTCOME_SATISFIED = 1, CD_OUTCOME_ERROR = 2 };

typedef struct cd_verdict {
    uint8_t outcome; /* CD_OUTCOME_* */
    uint8_t effect;  /* cd_effect: CD_PERMIT (0) or CD_FORBID (1) */
    uint32_t error;  /* for the caller: where it keeps the error (not read here) */
} cd_verdict;

/* From the verdicts v[0..n-1]: returns Allow (true) or Deny; writes the
 * indices of the determining policies to det[0..*n_det-1] and those of the
 * erroring policies to err[0..*n_err-1], both in policy order (det and err
 * have room for n indices each). */
bool cd_decide(size_t n, const cd_verdict *v, size_t *det, size_t *n_det, size_t *err,
               size_t *n_err);

#endif
