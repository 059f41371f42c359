/* cd_authz.c: policy evaluation and the authorizer.
 *
 * A policy means the single conjunction of the Lean specification
 * (Cedar/Spec/Policy.lean, Policy.toExpr):
 *     principalScope && (actionScope && (resourceScope && (c1 && (c2 && ...))))
 * where `unless { c }` contributes `!c`. The scopes are checked here directly
 * on the request's values instead of building that expression; the order of
 * the checks, the short-circuits and the possible errors are those of the
 * conjunction (see scope_check).
 */
#include <string.h>

#include "cd_decide.h"
#include "cd_eval_impl.h"
#include "cd_index.h"

enum { SCOPE_ERROR = -1, SCOPE_FALSE = 0, SCOPE_TRUE = 1 };

/* The entity a scope names: its literal, or the linked slot value. */
static const cd_uid *scope_uid(cd_eval_ctx *ctx, const cd_scope *s, cd_var var)
{
    if (!s->slot) return &s->uid;
    const cd_uid *u = var == CD_VAR_PRINCIPAL  ? ctx->principal_slot
                      : var == CD_VAR_RESOURCE ? ctx->resource_slot
                                               : NULL;
    if (!u)
        cd_eval_fail(ctx, CD_E_UNLINKED_SLOT, s->loc,
                     "template slot `%s` is not linked to an entity",
                     var == CD_VAR_PRINCIPAL  ? "?principal"
                     : var == CD_VAR_RESOURCE ? "?resource"
                                              : "?action");
    return u;
}

/* The request's principal, action and resource, each with its entity looked
 * up in the store at most once per authorization (scopes use it often). */
typedef struct req_var {
    const cd_value *v;
    const cd_entity *ent;
    bool looked_up;
} req_var;

static const cd_entity *var_entity(cd_eval_ctx *ctx, req_var *rv)
{
    if (!rv->looked_up) {
        rv->ent = cd_entities_find(ctx->es, &rv->v->u.uid);
        rv->looked_up = true;
    }
    return rv->ent;
}

/* `v in E` for an `in` or `is T in E` scope (v is an entity). */
static int scope_in(cd_eval_ctx *ctx, const cd_scope *s, cd_var var, req_var *rv)
{
    const cd_uid *u = scope_uid(ctx, s, var);
    if (!u) return SCOPE_ERROR;
    const cd_uid *a = &rv->v->u.uid;
    if (cd_uid_eq(a, u)) return SCOPE_TRUE;
    return cd_eval_has_ancestor(var_entity(ctx, rv), u) ? SCOPE_TRUE : SCOPE_FALSE;
}

/* The spec's Scope.toExpr evaluated on the variable's value v:
 *   any          true
 *   == E         v == E            (E is evaluated, so an unlinked slot errors)
 *   in E         v in E
 *   is T         v is T
 *   is T in E    v is T && v in E  (E only when the type matches)
 *   in [E...]    v in [E...]       (action only)
 * `is` and `in` are type errors when v is not an entity (never the case for
 * a well-formed request). */
/* (always inlined, as policy_eval and respond: with the scan and the index's
 * path each inlining policy_eval, gcc left them out of line, +2.3% to +2.9%
 * of cedar_authorize's instructions on the scan; inlined, -4% to -5% on both
 * paths, callgrind, docs/verification.md) */
static inline __attribute__((always_inline)) int scope_check(cd_eval_ctx *ctx, const cd_scope *s,
                                                             cd_var var, req_var *rv)
{
    const cd_value *v = rv->v;
    const cd_uid *u;
    cd_value ent;
    if (s->op == CD_SCOPE_ANY) return SCOPE_TRUE;
    if (s->op == CD_SCOPE_EQ) {
        if (!(u = scope_uid(ctx, s, var))) return SCOPE_ERROR;
        ent = cd_entityv(*u);
        return cd_value_eq(v, &ent) ? SCOPE_TRUE : SCOPE_FALSE;
    }
    if (v->kind != CD_V_ENTITY) {
        /* Same error as the expression: a slot is evaluated before `in` applies. */
        if ((s->op == CD_SCOPE_IN) && !scope_uid(ctx, s, var)) return SCOPE_ERROR;
        cd_eval_type_error(ctx, s->loc, "entity", v);
        return SCOPE_ERROR;
    }
    switch (s->op) {
    case CD_SCOPE_IS:
    case CD_SCOPE_IS_IN:
        if (v->u.uid.type != s->is_type) return SCOPE_FALSE;
        if (s->op == CD_SCOPE_IS) return SCOPE_TRUE;
        return scope_in(ctx, s, var, rv);
    case CD_SCOPE_IN: return scope_in(ctx, s, var, rv);
    case CD_SCOPE_IN_SET:
        for (size_t i = 0; i < s->n_uids; i++) {
            if (cd_uid_eq(&v->u.uid, &s->uids[i])) return SCOPE_TRUE;
            if (cd_eval_has_ancestor(var_entity(ctx, rv), &s->uids[i])) return SCOPE_TRUE;
        }
        return SCOPE_FALSE;
    default: break;
    }
    cd_eval_fail(ctx, CD_E_TYPE, s->loc, "internal error: unknown scope kind %d", (int)s->op);
    return SCOPE_ERROR;
}

/*@ requires \valid(vars + (0 .. 2));
    assigns vars[0 .. 2]; */
static void req_vars_init(req_var vars[3], const cd_request *req)
{
    vars[0] = (req_var){.v = &req->principal};
    vars[1] = (req_var){.v = &req->action};
    vars[2] = (req_var){.v = &req->resource};
}

/*@ // Policy evaluation, abstracted (docs/verification.md, assumption 1):
    // the result (a cd_policy_result) of policy p on the request and the
    // entities, its slots bound to its own slot values.
    axiomatic PolicyEvaluation {
      logic integer outcome(cd_policy *p, cd_request *req, cd_entities *es);
    }
*/
/* What evaluation changes besides ctx->err and the request variables'
 * cache: the arena (the memory it hands out is fresh). */
//@ ghost int cd_arena_state;

/*@ requires \valid(ctx) && \valid(vars + (0 .. 2)) && \valid_read(p);
    requires slots: (p->has_principal_slot ? ctx->principal_slot == &p->principal_slot
                                           : ctx->principal_slot == \null) &&
      (p->has_resource_slot ? ctx->resource_slot == &p->resource_slot
                            : ctx->resource_slot == \null);
    assigns cd_arena_state, ctx->err, vars[0 .. 2].ent, vars[0 .. 2].looked_up;
    ensures outcome: \result == outcome(p, ctx->req, ctx->es);
    ensures well_formed: \result == CD_POLICY_NOT_SATISFIED || \result == CD_POLICY_SATISFIED ||
      \result == CD_POLICY_ERROR; */
/* (always inlined: see scope_check) */
static inline __attribute__((always_inline)) cd_policy_result
policy_eval(cd_eval_ctx *ctx, const cd_policy *p, req_var vars[3])
{
    int r;
    if ((r = scope_check(ctx, &p->body->principal, CD_VAR_PRINCIPAL, &vars[0])) != SCOPE_TRUE ||
        (r = scope_check(ctx, &p->body->action, CD_VAR_ACTION, &vars[1])) != SCOPE_TRUE ||
        (r = scope_check(ctx, &p->body->resource, CD_VAR_RESOURCE, &vars[2])) != SCOPE_TRUE)
        return r == SCOPE_ERROR ? CD_POLICY_ERROR : CD_POLICY_NOT_SATISFIED;
    for (size_t i = 0; i < p->body->n_conditions; i++) {
        const cd_condition *c = &p->body->conditions[i];
        cd_value v;
        if (!cd_eval(ctx, c->body, &v)) return CD_POLICY_ERROR;
        if (v.kind != CD_V_BOOL) {
            cd_eval_fail(ctx, CD_E_TYPE, c->body->loc,
                         "type error: expected bool, got %s (the `%s` condition must be a bool)",
                         cd_value_type_name(&v), c->is_when ? "when" : "unless");
            return CD_POLICY_ERROR;
        }
        if (v.u.b != c->is_when) return CD_POLICY_NOT_SATISFIED;
    }
    return CD_POLICY_SATISFIED;
}

cd_policy_result cd_policy_eval(cd_eval_ctx *ctx, const cd_policy *p)
{
    /* A linked policy brings its own slot values; otherwise whatever the
     * caller put in ctx is used. ctx's slots are left as they were. */
    const cd_uid *ps = ctx->principal_slot, *rs = ctx->resource_slot;
    if (p->has_principal_slot) ctx->principal_slot = &p->principal_slot;
    if (p->has_resource_slot) ctx->resource_slot = &p->resource_slot;
    req_var vars[3];
    req_vars_init(vars, ctx->req);
    cd_policy_result r = policy_eval(ctx, p, vars);
    ctx->principal_slot = ps;
    ctx->resource_slot = rs;
    return r;
}

/* The response from the decision and the indices cd_decide found: the
 * determining policies and the erroring ones with their errors. */
static inline __attribute__((always_inline)) void
respond(cd_policy *const *items, const cd_verdict *verdicts, cd_vec *errs, const size_t *det,
        size_t n_det, const size_t *err, size_t n_err, cd_arena *arena, cd_response *out)
{
    if (n_det) {
        const cd_policy **reasons = CD_NEW_ARRAY(arena, const cd_policy *, n_det);
        for (size_t k = 0; k < n_det; k++)
            reasons[k] = items[det[k]];
        out->reasons = reasons;
        out->n_reasons = n_det;
    }
    if (n_err) {
        cd_policy_error *errors = CD_NEW_ARRAY(arena, cd_policy_error, n_err);
        for (size_t k = 0; k < n_err; k++)
            errors[k] =
                (cd_policy_error){.policy = items[err[k]],
                                  .error = CD_VEC_AT(errs, cd_eval_error, verdicts[err[k]].error)};
        out->errors = errors;
        out->n_errors = n_err;
    }
    cd_vec_free(errs);
}

/*@ // The outcome recorded in policy p's verdict: an unlinked template is
    // never satisfied.
    logic integer verdict_outcome{L}(cd_policy *p, cd_request *req, cd_entities *es) =
      p->is_template ? CD_OUTCOME_NONE :
      outcome(p, req, es) == CD_POLICY_SATISFIED ? CD_OUTCOME_SATISFIED :
      outcome(p, req, es) == CD_POLICY_ERROR ? CD_OUTCOME_ERROR : CD_OUTCOME_NONE;
*/
/* What keeping an error changes: the vector's heap memory. */
//@ ghost int cd_heap_state;

/* An empty vector of errors. */
/*@ assigns \nothing;
    ensures \result.len == 0; */
static cd_vec no_errors(void)
{
    cd_vec errs;
    cd_vec_init(&errs, sizeof(cd_eval_error));
    return errs;
}

/* Keep an evaluation error in errs; returns its index. */
/*@ requires \valid(errs) && \valid_read(e);
    assigns *errs, cd_heap_state;
    ensures \result == \old(errs->len) && errs->len == \old(errs->len) + 1; */
static size_t keep_error(cd_vec *errs, const cd_eval_error *e)
{
    *(cd_eval_error *)cd_vec_push(errs) = *e;
    return errs->len - 1;
}

/* Evaluate the policies items[0..n) on the request and entities, and record
 * verdict i for policy i: its effect and its outcome, and, when it errored,
 * where its error is kept in the vector returned. Proved (scripts/prove)
 * with policy_eval abstracted by its contract. */
/*@ requires n <= UINT32_MAX;
    requires \valid_read(items + (0 .. n - 1)) && \valid(verdicts + (0 .. n - 1));
    requires none: \forall integer i; 0 <= i < n ==> verdicts[i].outcome == CD_OUTCOME_NONE;
    requires policies: \forall integer i; 0 <= i < n ==>
      \valid_read(items[i]) && \valid_read(items[i]->body) &&
      (items[i]->body->effect == CD_PERMIT || items[i]->body->effect == CD_FORBID);
    requires \separated(verdicts + (0 .. n - 1), items + (0 .. n - 1));
    requires \forall integer i; 0 <= i < n ==>
      \separated(verdicts + (0 .. n - 1), items[i], items[i]->body);
    assigns cd_arena_state, cd_heap_state, verdicts[0 .. n - 1];
    // verdict i has policy i's outcome and, when it is not "not satisfied",
    // its effect
    ensures verdicts: \forall integer i; 0 <= i < n ==>
      verdicts[i].outcome == verdict_outcome(items[i], req, es) &&
      (verdicts[i].outcome != CD_OUTCOME_NONE ==> verdicts[i].effect == items[i]->body->effect);
    // an errored verdict's error is kept in the vector, each in its own place
    ensures errors: \forall integer i; 0 <= i < n && verdicts[i].outcome == CD_OUTCOME_ERROR ==>
      verdicts[i].error < \result.len;
    ensures errors_distinct: \forall integer i, j; 0 <= i < j < n &&
      verdicts[i].outcome == CD_OUTCOME_ERROR && verdicts[j].outcome == CD_OUTCOME_ERROR ==>
      verdicts[i].error < verdicts[j].error;
*/
/* (always inlined: gcc left it out of line, about 0.4% more instructions
 * per authorization on the OOPSLA scenarios, callgrind) */
static inline __attribute__((always_inline)) cd_vec
record_verdicts(const cd_request *req, const cd_entities *es, cd_arena *arena,
                cd_policy *const *items, size_t n, cd_verdict *verdicts)
{
    cd_eval_ctx ctx = {.req = req, .es = es, .arena = arena};
    req_var vars[3];
    req_vars_init(vars, req);
    cd_vec errs = no_errors(); /* cd_eval_error, verdict.error indexes it */
    /*@ loop invariant 0 <= i <= n && errs.len <= i;
        loop invariant ctx.req == req && ctx.es == es;
        loop invariant verdicts: \forall integer j; 0 <= j < i ==>
          verdicts[j].outcome == verdict_outcome(items[j], req, es) &&
          (verdicts[j].outcome != CD_OUTCOME_NONE ==> verdicts[j].effect == items[j]->body->effect);
        loop invariant none: \forall integer j; i <= j < n ==>
          verdicts[j].outcome == CD_OUTCOME_NONE;
        loop invariant errors: \forall integer j; 0 <= j < i &&
          verdicts[j].outcome == CD_OUTCOME_ERROR ==> verdicts[j].error < errs.len;
        loop invariant errors_distinct: \forall integer j, k; 0 <= j < k < i &&
          verdicts[j].outcome == CD_OUTCOME_ERROR && verdicts[k].outcome == CD_OUTCOME_ERROR ==>
          verdicts[j].error < verdicts[k].error;
        loop assigns i, cd_arena_state, cd_heap_state, ctx, vars[0 .. 2], errs,
          verdicts[0 .. n - 1];
        loop variant n - i; */
    for (size_t i = 0; i < n; i++) {
        const cd_policy *p = items[i];
        if (p->is_template) continue; /* an unlinked template never applies */
        ctx.principal_slot = p->has_principal_slot ? &p->principal_slot : NULL;
        ctx.resource_slot = p->has_resource_slot ? &p->resource_slot : NULL;
        /* (each verdict is written field by field: WP loses the value of a
         * whole-struct store) */
        switch (policy_eval(&ctx, p, vars)) {
        case CD_POLICY_SATISFIED:
            verdicts[i].outcome = CD_OUTCOME_SATISFIED;
            verdicts[i].effect = (uint8_t)p->body->effect;
            break;
        case CD_POLICY_NOT_SATISFIED: break; /* the verdict stays not satisfied */
        case CD_POLICY_ERROR:
            /* An erroring policy is reported and otherwise ignored. */
            verdicts[i].outcome = CD_OUTCOME_ERROR;
            verdicts[i].effect = (uint8_t)p->body->effect;
            verdicts[i].error = (uint32_t)keep_error(&errs, &ctx.err);
            break;
        }
    }
    return errs;
}

/*@ // Policy order: indices d[0..m) into n policies increase (the decision's
    // determining and erroring policies); on the index's path the candidates
    // c[0..n) increase too, so the positions c[d[0..m)] increase. Stated as
    // predicates, the provers apply lemma positions_compose to two facts
    // (26,000 steps) instead of searching every quantifier of the context
    // (inline, that step ran out of steps in decide_candidates), and a caller
    // gets the order as one fact (decide_candidates' determining_order is
    // then closed by Qed; inline it took 356,000 steps).
    predicate increasing{L}(uint32_t *c, integer n) =
      \forall integer k, l; 0 <= k < l < n ==> c[k] < c[l];
    predicate indices_increasing{L}(size_t *d, integer m, integer n) =
      (\forall integer k; 0 <= k < m ==> 0 <= d[k] < n) &&
      (\forall integer k; 0 <= k < m - 1 ==> d[k] < d[k + 1]);
    // c read at Lc, d at Ld: the candidates as given, the indices as written
    predicate positions_increasing{Lc, Ld}(uint32_t *c, size_t *d, integer m) =
      \forall integer k; 0 <= k < m - 1 ==>
        \at(c[\at(d[k], Ld)], Lc) < \at(c[\at(d[k + 1], Ld)], Lc);
    lemma positions_compose{Lc, Ld}: \forall uint32_t *c, size_t *d, integer m, n;
      increasing{Lc}(c, n) && indices_increasing{Ld}(d, m, n) ==>
      positions_increasing{Lc, Ld}(c, d, m);
*/
/*@ // Policy i is satisfied (its outcome recorded as such: an unlinked
    // template never is) and its effect is e.
    predicate p_sat{L}(cd_policy **items, integer i, integer e, cd_request *req,
                       cd_entities *es) =
      verdict_outcome(items[i], req, es) == CD_OUTCOME_SATISFIED && items[i]->body->effect == e;
*/
/* The decision over the policies items[0..n): record_verdicts, then
 * cd_decide. Its contract is the decision's properties stated over the
 * policies' outcomes (cd_decide's contract, in cd_decide.c, composed with
 * record_verdicts': scripts/prove parses both files). */
/*@ requires n <= UINT32_MAX;
    requires \valid_read(items + (0 .. n - 1)) && \valid(verdicts + (0 .. n - 1));
    requires none: \forall integer i; 0 <= i < n ==> verdicts[i].outcome == CD_OUTCOME_NONE;
    requires policies: \forall integer i; 0 <= i < n ==>
      \valid_read(items[i]) && \valid_read(items[i]->body) &&
      (items[i]->body->effect == CD_PERMIT || items[i]->body->effect == CD_FORBID);
    requires \valid(errs) && \valid(det + (0 .. n - 1)) && \valid(err + (0 .. n - 1));
    requires \valid(n_det) && \valid(n_err);
    requires \separated(verdicts + (0 .. n - 1), items + (0 .. n - 1), errs, det + (0 .. n - 1),
                        err + (0 .. n - 1), n_det, n_err);
    requires \forall integer i; 0 <= i < n ==> \separated(items[i], items[i]->body,
      verdicts + (0 .. n - 1), errs, det + (0 .. n - 1), err + (0 .. n - 1), n_det, n_err);
    assigns cd_arena_state, cd_heap_state, verdicts[0 .. n - 1], *errs, det[0 .. n - 1],
      err[0 .. n - 1], *n_det, *n_err;
    // the decision's properties over the policies' outcomes
    ensures explicit_permit: \result ==>
      !(\forall integer i; 0 <= i < n ==> !p_sat(items, i, CD_PERMIT, req, es));
    ensures forbid_overrides_permit: \forall integer i; 0 <= i < n &&
      p_sat(items, i, CD_FORBID, req, es) ==> !\result;
    ensures default_deny: (\forall integer i; 0 <= i < n ==> !p_sat(items, i, CD_PERMIT, req, es))
      ==> !\result;
    ensures permit_allows: !(\forall integer i; 0 <= i < n ==> !p_sat(items, i, CD_PERMIT, req, es))
      && (\forall integer i; 0 <= i < n ==> !p_sat(items, i, CD_FORBID, req, es)) ==> \result;
    ensures skip_on_error: \forall integer k; 0 <= k < *n_det ==>
      0 <= det[k] < n && verdict_outcome(items[det[k]], req, es) != CD_OUTCOME_ERROR;
    // the determining policies: satisfied ones of the deciding effect, in
    // policy order; the erroring ones: policies that errored, in policy order
    // (for decide_candidates, which maps them to positions in the whole set)
    ensures determining: \forall integer k; 0 <= k < *n_det ==>
      0 <= det[k] < n && p_sat(items, det[k], \result ? CD_PERMIT : CD_FORBID, req, es);
    ensures determining_order: indices_increasing(det, *n_det, n);
    ensures erroring: \forall integer k; 0 <= k < *n_err ==>
      0 <= err[k] < n && verdict_outcome(items[err[k]], req, es) == CD_OUTCOME_ERROR;
    ensures erroring_order: indices_increasing(err, *n_err, n);
*/
static inline __attribute__((always_inline)) bool
decide_policies(const cd_request *req, const cd_entities *es, cd_arena *arena,
                cd_policy *const *items, size_t n, cd_verdict *verdicts, cd_vec *errs, size_t *det,
                size_t *n_det, size_t *err, size_t *n_err)
{
    *errs = record_verdicts(req, es, arena, items, n, verdicts);
    /* (for the provers, before cd_decide's contract brings in its recursive
     * counts: a verdict is satisfied with an effect exactly when its policy
     * is) */
    /*@ assert sat_iff: \forall integer i; 0 <= i < n ==>
          (verdicts[i].outcome == CD_OUTCOME_SATISFIED && verdicts[i].effect == CD_PERMIT <==>
           p_sat(items, i, CD_PERMIT, req, es)) &&
          (verdicts[i].outcome == CD_OUTCOME_SATISFIED && verdicts[i].effect == CD_FORBID <==>
           p_sat(items, i, CD_FORBID, req, es)); */
    /*@ assert no_permit: (\forall integer i; 0 <= i < n ==> !p_sat(items, i, CD_PERMIT, req, es))
          ==> (\forall integer i; 0 <= i < n ==>
                !(verdicts[i].outcome == CD_OUTCOME_SATISFIED && verdicts[i].effect == CD_PERMIT));
     */
    /*@ assert no_forbid: (\forall integer i; 0 <= i < n ==> !p_sat(items, i, CD_FORBID, req, es))
          ==> (\forall integer i; 0 <= i < n && verdicts[i].outcome == CD_OUTCOME_SATISFIED ==>
                verdicts[i].effect != CD_FORBID); */
    bool allow = cd_decide(n, verdicts, det, n_det, err, n_err);
    /* (and cd_decide changed no verdict) */
    /*@ assert kept: \forall integer i; 0 <= i < n ==>
          verdicts[i].outcome == verdict_outcome(items[i], req, es) &&
          (verdicts[i].outcome != CD_OUTCOME_NONE ==> verdicts[i].effect == items[i]->body->effect);
     */
    /* (for the provers: the erroring indices, their verdicts erroring; with
     * it `erroring` takes 51,000 steps instead of 472,000) */
    /*@ assert err_kept: \forall integer k; 0 <= k < *n_err ==> 0 <= err[k] < n &&
          verdicts[err[k]].outcome == CD_OUTCOME_ERROR; */
    return allow;
}

/* Evaluate the policies items[0..n) (in policy-set order: all of a set, or
 * the index's candidates), record a verdict for each, and decide. */
static void authorize(cd_policy *const *items, size_t n, const cd_request *req,
                      const cd_entities *es, cd_arena *arena, cd_response *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0) return; /* no policies: Deny */
    /* One pass evaluates every policy and records its verdict; cd_decide
     * then makes the decision (both proved: record_verdicts, cd_decide.c). */
    cd_verdict *verdicts = CD_NEW_ARRAY(arena, cd_verdict, n); /* zeroed: not satisfied */
    /* cd_decide writes det[0..n_det) and err[0..n_err) */
    size_t *det = CD_NEW_ARRAY_RAW(arena, size_t, n), *err = CD_NEW_ARRAY_RAW(arena, size_t, n);
    size_t n_det, n_err;
    cd_vec errs;
    out->allow =
        decide_policies(req, es, arena, items, n, verdicts, &errs, det, &n_det, err, &n_err);
    respond(items, verdicts, &errs, det, n_det, err, n_err, arena, out);
}

void cd_authorize(const cd_policies *ps, const cd_request *req, const cd_entities *es,
                  cd_arena *arena, cd_response *out)
{
    authorize(ps ? ps->items : NULL, ps ? ps->n : 0, req, es, arena, out);
}

/*@ // The index's candidates for a request: cd_index_candidates' contract
    // (cd_index.h), assumed (docs/verification.md, assumption 1). On
    // success, cand[0..n) are positions in the set all[0..n_all), strictly
    // increasing, and every policy that is not a candidate has outcome "not
    // satisfied" (the index files policies by their scopes, whose check
    // cannot error on a request of entities; an unlinked template is not
    // filed, and never satisfied).
    predicate index_candidates{L}(cd_policy **all, integer n_all, uint32_t *cand, integer n,
                                  cd_request *req, cd_entities *es) =
      \valid_read(cand + (0 .. n - 1)) &&
      (\forall integer k; 0 <= k < n ==> cand[k] < n_all) && increasing(cand, n) &&
      (\forall integer j; 0 <= j < n_all && (\forall integer k; 0 <= k < n ==> cand[k] != j) ==>
        verdict_outcome(all[j], req, es) == CD_OUTCOME_NONE);
*/
/* A decision and the errors kept (verdict.error indexes them). */
typedef struct cd_decision {
    bool allow;
    cd_vec errs;
} cd_decision;

/* The decision over the whole set all[0..n_all) from its candidates
 * cand[0..n): items[i] = all[cand[i]], then decide_policies over items. Its
 * contract is the decision's properties over the whole set, with the
 * determining and erroring policies as positions in it (cand[det[k]],
 * cand[err[k]]): a policy left out is neither satisfied nor erroring, so the
 * decision over the candidates is the decision over the set, and the
 * candidates increase, so their order is the set's. */
/*@ requires n_all <= UINT32_MAX;
    requires index: index_candidates(all, n_all, cand, n, req, es);
    requires \valid_read(all + (0 .. n_all - 1));
    requires \valid(items + (0 .. n - 1)) && \valid(verdicts + (0 .. n - 1));
    requires none: \forall integer i; 0 <= i < n ==> verdicts[i].outcome == CD_OUTCOME_NONE;
    requires policies: \forall integer j; 0 <= j < n_all ==>
      \valid_read(all[j]) && \valid_read(all[j]->body) &&
      (all[j]->body->effect == CD_PERMIT || all[j]->body->effect == CD_FORBID);
    requires \valid(det + (0 .. n - 1)) && \valid(err + (0 .. n - 1));
    requires \valid(n_det) && \valid(n_err);
    requires \separated(items + (0 .. n - 1), verdicts + (0 .. n - 1), det + (0 .. n - 1),
                        err + (0 .. n - 1), n_det, n_err, all + (0 .. n_all - 1),
                        cand + (0 .. n - 1));
    requires \forall integer j; 0 <= j < n_all ==> \separated(all[j], all[j]->body,
      items + (0 .. n - 1), verdicts + (0 .. n - 1), det + (0 .. n - 1), err + (0 .. n - 1), n_det,
      n_err);
    assigns cd_arena_state, cd_heap_state, items[0 .. n - 1], verdicts[0 .. n - 1], det[0 .. n - 1],
      err[0 .. n - 1], *n_det, *n_err;
    ensures mapped: \forall integer i; 0 <= i < n ==> items[i] == all[cand[i]];
    // the decision's properties over the whole set
    ensures explicit_permit: \result.allow ==>
      !(\forall integer j; 0 <= j < n_all ==> !p_sat(all, j, CD_PERMIT, req, es));
    ensures forbid_overrides_permit: \forall integer j; 0 <= j < n_all &&
      p_sat(all, j, CD_FORBID, req, es) ==> !\result.allow;
    ensures default_deny: (\forall integer j; 0 <= j < n_all ==> !p_sat(all, j, CD_PERMIT, req, es))
      ==> !\result.allow;
    ensures permit_allows:
      !(\forall integer j; 0 <= j < n_all ==> !p_sat(all, j, CD_PERMIT, req, es)) &&
      (\forall integer j; 0 <= j < n_all ==> !p_sat(all, j, CD_FORBID, req, es)) ==> \result.allow;
    // determining: satisfied policies of the deciding effect, at positions
    // cand[det[k]] of the set
    ensures determining: \forall integer k; 0 <= k < *n_det ==>
      0 <= det[k] < n && p_sat(all, cand[det[k]], \result.allow ? CD_PERMIT : CD_FORBID, req, es);
    ensures determining_order: indices_increasing(det, *n_det, n);
    // in policy order: the positions cand[det[k]] increase
    ensures determining_policy_order: positions_increasing{Pre, Post}(cand, det, *n_det);
    // erroring: policies that errored, at positions cand[err[k]]
    ensures erroring: \forall integer k; 0 <= k < *n_err ==>
      0 <= err[k] < n && verdict_outcome(all[cand[err[k]]], req, es) == CD_OUTCOME_ERROR;
    ensures erroring_order: indices_increasing(err, *n_err, n);
    ensures erroring_policy_order: positions_increasing{Pre, Post}(cand, err, *n_err);
    ensures skip_on_error: \forall integer k; 0 <= k < *n_det ==>
      verdict_outcome(all[cand[det[k]]], req, es) != CD_OUTCOME_ERROR;
*/
static inline __attribute__((always_inline)) cd_decision
decide_candidates(const cd_request *req, const cd_entities *es, cd_arena *arena,
                  cd_policy *const *all, size_t n_all, const uint32_t *cand, size_t n,
                  cd_policy **items, cd_verdict *verdicts, size_t *det, size_t *n_det, size_t *err,
                  size_t *n_err)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant mapped: \forall integer k; 0 <= k < i ==> items[k] == all[cand[k]];
        // (cand[k] >= k, the candidates increasing: so n <= n_all)
        loop invariant at_least: 0 < i ==> i - 1 <= cand[i - 1];
        loop assigns i, items[0 .. n - 1];
        loop variant n - i; */
    /* (`!=`: at the exit WP then has i == n, and states the memory after the
     * loop in one form, not one per bound) */
    for (size_t i = 0; i != n; i++)
        items[i] = all[cand[i]];
    //@ assert few: n <= n_all;
    /* (for the provers: the loop wrote only items; a policy satisfied or
     * erroring is a candidate) */
    /*@ assert in_set: \forall integer i; 0 <= i < n ==>
          0 <= cand[i] < n_all && items[i] == all[cand[i]]; */
    //@ assert ordered: \forall integer k, l; 0 <= k < l < n ==> cand[k] < cand[l];
    /*@ assert covered: \forall integer j; 0 <= j < n_all &&
          verdict_outcome(all[j], req, es) != CD_OUTCOME_NONE ==>
          \exists integer k; 0 <= k < n && cand[k] == j; */
    /* (the errors go to a local, returned: WP then sees that the call and
     * the return change no pointer to a policy) */
    cd_vec errs;
    bool allow = decide_policies(req, es, arena, items, n, verdicts, &errs, det, n_det, err, n_err);
    //@ assert kept_cand: \forall integer k; 0 <= k < n ==> cand[k] == \at(cand[k], Pre);
    /*@ assert permit_in_set: \forall integer i; 0 <= i < n && p_sat(items, i, CD_PERMIT, req, es)
          ==> 0 <= cand[i] < n_all && p_sat(all, cand[i], CD_PERMIT, req, es); */
    /*@ assert forbid_in_set: \forall integer i; 0 <= i < n && p_sat(items, i, CD_FORBID, req, es)
          ==> 0 <= cand[i] < n_all && p_sat(all, cand[i], CD_FORBID, req, es); */
    /*@ assert permit_candidate: \forall integer j; 0 <= j < n_all &&
          p_sat(all, j, CD_PERMIT, req, es) ==>
          \exists integer k; 0 <= k < n && cand[k] == j && p_sat(items, k, CD_PERMIT, req, es); */
    /* (for the provers: with decide_policies' determining_order and
     * erroring_order, the facts lemma positions_compose takes) */
    //@ assert cand_increasing: increasing{Pre}(cand, n);
    return (cd_decision){.allow = allow, .errs = errs};
}

/* The index's path, out of line: a small set goes straight to the scan
 * without setting it up. As authorize, with the candidates' policies
 * gathered and decided over by decide_candidates (proved). */
static __attribute__((noinline)) void
authorize_candidates(const cd_policies *ps, const cd_index *ix, const cd_request *req,
                     const cd_entities *es, cd_arena *arena, cd_response *out)
{
    const uint32_t *cand;
    size_t n;
    if (!cd_index_candidates(ix, ps->n, req, es, arena, &cand, &n)) {
        authorize(ps->items, ps->n, req, es, arena, out);
        return;
    }
    memset(out, 0, sizeof *out);
    if (n == 0) return; /* no candidate: no policy applies, Deny */
    cd_policy **items = CD_NEW_ARRAY_RAW(arena, cd_policy *, n);
    cd_verdict *verdicts = CD_NEW_ARRAY(arena, cd_verdict, n); /* zeroed: not satisfied */
    size_t *det = CD_NEW_ARRAY_RAW(arena, size_t, n), *err = CD_NEW_ARRAY_RAW(arena, size_t, n);
    size_t n_det, n_err;
    cd_decision d = decide_candidates(req, es, arena, ps->items, ps->n, cand, n, items, verdicts,
                                      det, &n_det, err, &n_err);
    out->allow = d.allow;
    respond(items, verdicts, &d.errs, det, n_det, err, n_err, arena, out);
}

void cd_authorize_indexed(const cd_policies *ps, const cd_index *ix, const cd_request *req,
                          const cd_entities *es, cd_arena *arena, cd_response *out)
{
    if (!ps || ps->n < cd_index_scan_below) {
        cd_authorize(ps, req, es, arena, out);
    } else {
        authorize_candidates(ps, ix, req, es, arena, out);
    }
}
