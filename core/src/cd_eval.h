/* cd_eval.h: evaluation of expressions and policies, and authorization.
 *
 * Evaluation follows the Cedar semantics (the Lean specification's
 * `evaluate`): every error is a value of cd_eval_error, never a crash; `&&`,
 * `||` and `if` short-circuit; arithmetic is checked 64-bit.
 * Intermediate values (set and record literals) are allocated in the
 * context's arena, which the caller resets between requests.
 */
#ifndef CD_EVAL_H
#define CD_EVAL_H

#include "cd_ast.h"
#include "cd_entities.h"

typedef enum cd_errkind {
    CD_E_NONE,
    CD_E_ENTITY_DOES_NOT_EXIST,
    CD_E_ATTR_DOES_NOT_EXIST,
    CD_E_TAG_DOES_NOT_EXIST,
    CD_E_TYPE,
    CD_E_OVERFLOW,
    CD_E_EXTENSION,
    CD_E_UNLINKED_SLOT,
    CD_E_RECURSION_LIMIT, /* the expression is too deep for the thread's stack (cd_stack.h) */
} cd_errkind;

const char *cd_errkind_name(cd_errkind k); /* "typeError", "arithBoundsError", ... */

typedef struct cd_eval_error {
    cd_errkind kind;
    const char *message; /* arena-allocated or static */
    cd_loc loc;          /* of the expression that failed */
} cd_eval_error;

typedef struct cd_eval_ctx {
    const cd_request *req;
    const cd_entities *es;
    cd_arena *arena;
    /* slot values of the policy being evaluated (linked templates) */
    const cd_uid *principal_slot, *resource_slot;
    cd_eval_error err; /* set when an evaluation returns false */
} cd_eval_ctx;

/* Evaluate e. Returns true and sets *out, or false with ctx->err set. */
bool cd_eval(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out);

typedef enum cd_policy_result {
    CD_POLICY_NOT_SATISFIED,
    CD_POLICY_SATISFIED,
    CD_POLICY_ERROR, /* ctx->err holds the error */
} cd_policy_result;

/* Evaluate a (static or linked) policy: scope, then conditions in order. A
 * condition that is not a bool is a type error. */
cd_policy_result cd_policy_eval(cd_eval_ctx *ctx, const cd_policy *p);

typedef struct cd_policy_error {
    const cd_policy *policy;
    cd_eval_error error;
} cd_policy_error;

typedef struct cd_response {
    bool allow;
    size_t n_reasons;
    const cd_policy **reasons; /* determining policies, in policy-set order */
    size_t n_errors;
    const cd_policy_error *errors; /* erroring policies, in policy-set order */
} cd_response;

/* Cedar's authorizer: Allow iff some permit is satisfied and no forbid is.
 * Reasons are the satisfied forbids when one is satisfied, else the satisfied
 * permits. Templates that are not linked are skipped. The response lives in
 * arena. */
void cd_authorize(const cd_policies *ps, const cd_request *req, const cd_entities *es,
                  cd_arena *arena, cd_response *out);
/* The same answer, evaluating only the candidates the policy set's index
 * (cd_index.h) gives for the request, in policy-set order; cd_authorize,
 * which scans every policy, is the reference. ix may be NULL (scan). */
struct cd_index;
void cd_authorize_indexed(const cd_policies *ps, const struct cd_index *ix, const cd_request *req,
                          const cd_entities *es, cd_arena *arena, cd_response *out);

#endif
