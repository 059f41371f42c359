/* authz_props.c: the `authz-props` target: properties of core's answers on
 * generated cases, checked against core's own per-policy evaluation
 * (cd_policy_eval), without the model:
 *  - the decision is Allow exactly when some permit is satisfied and no
 *    forbid is (so no Allow without a satisfied permit, and any satisfied
 *    forbid means Deny);
 *  - the determining policies are the satisfied forbids on a Deny with one,
 *    else the satisfied permits; the erroring policies are those that erred;
 *  - an erroring policy never contributes: without the erroring policies the
 *    decision and the determining policies are the same;
 *  - the answer depends neither on the order of the policies nor on being
 *    asked twice. */
#include <stdlib.h>
#include <string.h>

#include "drt_targets.h"

bool drt_case_authz_props(const uint8_t *data, size_t size, m_arena *a, gen_case *c)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_mode mode = gen_chance(&src, 50) ? GEN_LOOSE : GEN_TYPED;
    gen_opts o = drt_case_opts(mode);
    o.max_policies = 6;
    gen_case_build(c, a, &src, &o, NULL);
    return true;
}

typedef struct props {
    const char *failure; /* the first property that fails */
    char detail[256];
} props;

static bool in_response(const cd_response *r, const cd_policy *p, bool errors)
{
    size_t n = errors ? r->n_errors : r->n_reasons;
    for (size_t i = 0; i < n; i++)
        if ((errors ? r->errors[i].policy : r->reasons[i]) == p) return true;
    return false;
}

static void fail(props *pr, const char *what, const cd_policy *p)
{
    if (pr->failure) return;
    pr->failure = what;
    snprintf(pr->detail, sizeof pr->detail, "%s%.*s", p ? "policy " : "", p ? (int)p->id.len : 0,
             p ? p->id.ptr : "");
}

static bool same_sets(const cd_response *x, const cd_response *y, bool errors)
{
    size_t nx = errors ? x->n_errors : x->n_reasons, ny = errors ? y->n_errors : y->n_reasons;
    if (nx != ny) return false;
    for (size_t i = 0; i < nx; i++)
        if (!in_response(y, errors ? x->errors[i].policy : x->reasons[i], errors)) return false;
    return true;
}

static void check_request(const drt_core *k, size_t ri, props *pr)
{
    const cd_policies *ps = &k->ps->view;
    const cd_request *rq = &k->requests[ri]->rq;
    const cd_entities *es = k->es->es;
    cd_arena *arena = cd_arena_new();
    cd_response r;
    cd_authorize(ps, rq, es, arena, &r);

    /* per-policy evaluation */
    cd_policy_result *res = calloc(ps->n + 1, sizeof *res);
    if (!res) abort();
    size_t sat_permit = 0, sat_forbid = 0;
    for (size_t i = 0; i < ps->n; i++) {
        const cd_policy *p = ps->items[i];
        if (p->is_template) continue;
        cd_eval_ctx ctx = {.req = rq, .es = es, .arena = arena};
        res[i] = cd_policy_eval(&ctx, p);
        if (res[i] == CD_POLICY_SATISFIED) {
            sat_permit += p->body->effect == CD_PERMIT;
            sat_forbid += p->body->effect == CD_FORBID;
        }
    }
    if (r.allow && sat_permit == 0) fail(pr, "Allow without a satisfied permit", NULL);
    if (r.allow && sat_forbid) fail(pr, "Allow although a forbid is satisfied", NULL);
    if (!r.allow && sat_permit && !sat_forbid)
        fail(pr, "Deny although a permit is satisfied and no forbid is", NULL);
    cd_effect deciding = sat_forbid ? CD_FORBID : CD_PERMIT;
    for (size_t i = 0; i < ps->n; i++) {
        const cd_policy *p = ps->items[i];
        if (p->is_template) {
            if (in_response(&r, p, false) || in_response(&r, p, true))
                fail(pr, "an unlinked template is in the answer", p);
            continue;
        }
        bool determining = res[i] == CD_POLICY_SATISFIED && p->body->effect == deciding;
        if (determining != in_response(&r, p, false))
            fail(pr,
                 determining ? "a satisfied policy of the deciding effect is not determining"
                             : "a determining policy is not a satisfied one of the deciding effect",
                 p);
        if ((res[i] == CD_POLICY_ERROR) != in_response(&r, p, true))
            fail(pr,
                 res[i] == CD_POLICY_ERROR ? "an erroring policy is not reported"
                                           : "a policy that did not err is reported as erring",
                 p);
    }

    /* without the erroring policies: same decision and determining policies */
    cd_policies rest = {0, calloc(ps->n + 1, sizeof(cd_policy *))};
    cd_policies rev = {ps->n, calloc(ps->n + 1, sizeof(cd_policy *))};
    if (!rest.items || !rev.items) abort();
    for (size_t i = 0; i < ps->n; i++) {
        if (res[i] != CD_POLICY_ERROR) rest.items[rest.n++] = ps->items[i];
        rev.items[ps->n - 1 - i] = ps->items[i];
    }
    cd_response r2, r3, r4;
    cd_authorize(&rest, rq, es, arena, &r2);
    if (r2.allow != r.allow || !same_sets(&r, &r2, false))
        fail(pr, "removing the erroring policies changes the answer", NULL);
    if (r2.n_errors) fail(pr, "policies err that did not err before", r2.errors[0].policy);
    cd_authorize(&rev, rq, es, arena, &r3);
    if (r3.allow != r.allow || !same_sets(&r, &r3, false) || !same_sets(&r, &r3, true))
        fail(pr, "the answer depends on the order of the policies", NULL);
    cd_authorize(ps, rq, es, arena, &r4);
    if (r4.allow != r.allow || !same_sets(&r, &r4, false) || !same_sets(&r, &r4, true))
        fail(pr, "asking twice gives two answers", NULL);
    free(rest.items);
    free(rev.items);
    free(res);
    cd_arena_free(arena);
}

static void run(const uint8_t *data, size_t size, FILE *print_to)
{
    drt_setup s;
    drt_setup_case(&s, drt_case_authz_props, data, size);
    if (!s.loaded) {
        if (!print_to) drt_fail("authz-props", &s.c, &s.t, s.why, NULL);
        drt_print_texts(print_to, &s.c, &s.t);
        fprintf(print_to, "=== %s\n", s.why);
    } else {
        if (print_to) drt_print_texts(print_to, &s.c, &s.t);
        cedar_response *resp = cedar_response_new();
        for (size_t i = 0; i < s.c.n_requests; i++) {
            props pr = {0};
            check_request(&s.k, i, &pr);
            if (print_to) {
                drt_answer ca;
                cedar_authorize(s.k.ps, s.k.es, s.k.requests[i], resp, NULL);
                drt_answer_from_core(&ca, resp);
                fprintf(print_to, "=== request %zu\n", i);
                drt_answer_print(print_to, "  core", &ca);
                fprintf(print_to, "  properties: %s %s\n", pr.failure ? pr.failure : "all hold",
                        pr.detail);
                drt_answer_free(&ca);
            } else if (pr.failure) {
                char what[512];
                snprintf(what, sizeof what, "request %zu: %s %s", i, pr.failure, pr.detail);
                drt_answer ca;
                cedar_authorize(s.k.ps, s.k.es, s.k.requests[i], resp, NULL);
                drt_answer_from_core(&ca, resp);
                drt_answer_print(stderr, "core", &ca);
                drt_fail("authz-props", &s.c, &s.t, what, NULL);
            }
        }
        cedar_response_free(resp);
    }
    drt_setup_free(&s);
}

DRT_TARGET_FROM_RUN(authz_props, run)
