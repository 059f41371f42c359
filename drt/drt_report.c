/* drt_report.c: the engines' answers side by side, the report of a
 * disagreement, and the abac targets' comparison of model and core. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "drt_targets.h"

static void answer_alloc(drt_answer *a, bool allow, size_t nr, size_t ne)
{
    a->allow = allow;
    a->n_reasons = nr;
    a->n_errors = ne;
    a->reasons = calloc(nr + 1, sizeof *a->reasons);
    a->errors = calloc(ne + 1, sizeof *a->errors);
    a->kinds = calloc(ne + 1, sizeof *a->kinds);
    if (!a->reasons || !a->errors || !a->kinds) abort();
}

void drt_answer_from_core(drt_answer *a, const cedar_response *r)
{
    answer_alloc(a, cedar_response_decision(r) == CEDAR_ALLOW, cedar_response_reason_count(r),
                 cedar_response_error_count(r));
    for (size_t i = 0; i < a->n_reasons; i++)
        a->reasons[i] = cedar_response_reason(r, i);
    for (size_t i = 0; i < a->n_errors; i++) {
        a->errors[i] = cedar_response_error_policy(r, i);
        a->kinds[i] = cd_errkind_name(r->r.errors[i].error.kind);
    }
}

/* The model's ids are the generator's, which are NUL-terminated. */
void drt_answer_from_model(drt_answer *a, const m_response *r)
{
    answer_alloc(a, r->allow, r->n_determining, r->n_erroring);
    for (size_t i = 0; i < a->n_reasons; i++)
        a->reasons[i] = r->determining[i].ptr;
    for (size_t i = 0; i < a->n_errors; i++) {
        a->errors[i] = r->erroring[i].ptr;
        a->kinds[i] = m_error_name(r->errors[i]);
    }
}

void drt_answer_free(drt_answer *a)
{
    free(a->reasons);
    free(a->errors);
    free(a->kinds);
    memset(a, 0, sizeof *a);
}

static ptrdiff_t find(const char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return (ptrdiff_t)i;
    return -1;
}

char *drt_strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)(n > 0 ? n : 0) + 1);
    if (!s) abort();
    va_start(ap, fmt);
    vsnprintf(s, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    return s;
}

static char *msg(const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (!s) abort();
    snprintf(s, n, fmt, a, b);
    return s;
}

char *drt_answer_diff(const drt_answer *core, const drt_answer *model)
{
    if (core->allow != model->allow)
        return msg("decision: core %s, model %s", core->allow ? "ALLOW" : "DENY",
                   model->allow ? "ALLOW" : "DENY");
    for (size_t i = 0; i < core->n_reasons; i++)
        if (find(model->reasons, model->n_reasons, core->reasons[i]) < 0)
            return msg("determining policies: %s is one for core, not for the model%s",
                       core->reasons[i], "");
    for (size_t i = 0; i < model->n_reasons; i++)
        if (find(core->reasons, core->n_reasons, model->reasons[i]) < 0)
            return msg("determining policies: %s is one for the model, not for core%s",
                       model->reasons[i], "");
    for (size_t i = 0; i < core->n_errors; i++) {
        ptrdiff_t j = find(model->errors, model->n_errors, core->errors[i]);
        if (j < 0)
            return msg("erroring policies: %s errs in core (%s), not in the model", core->errors[i],
                       core->kinds[i]);
        if (strcmp(core->kinds[i], model->kinds[j]) != 0) {
            char *m = msg("error kind of %s: core %s", core->errors[i], core->kinds[i]);
            char *r = msg("%s, model %s", m, model->kinds[j]);
            free(m);
            return r;
        }
    }
    for (size_t i = 0; i < model->n_errors; i++)
        if (find(core->errors, core->n_errors, model->errors[i]) < 0)
            return msg("erroring policies: %s errs in the model (%s), not in core",
                       model->errors[i], model->kinds[i]);
    return NULL;
}

void drt_answer_print(FILE *f, const char *who, const drt_answer *a)
{
    fprintf(f, "%s: %s, determining [", who, a->allow ? "ALLOW" : "DENY");
    for (size_t i = 0; i < a->n_reasons; i++)
        fprintf(f, "%s%s", i ? ", " : "", a->reasons[i]);
    fputs("], erroring [", f);
    for (size_t i = 0; i < a->n_errors; i++)
        fprintf(f, "%s%s: %s", i ? ", " : "", a->errors[i], a->kinds[i]);
    fputs("]\n", f);
}

void drt_print_texts(FILE *f, const gen_case *c, const gen_texts *t)
{
    fprintf(f, "--- mode: %s\n", c->mode == GEN_TYPED ? "typed" : "loose");
    fprintf(f, "--- schema (%s, as given to core):\n%s", t->schema_is_json ? "JSON" : "cedarschema",
            t->schema.data ? t->schema.data : "");
    gen_texts other = {.schema_is_json = t->schema_is_json};
    gen_emit_other_schema(&other, c);
    fprintf(f, "--- schema (%s):\n%s", t->schema_is_json ? "cedarschema" : "JSON",
            gen_buf_cstr(&other.schema_other));
    gen_buf_free(&other.schema_other);
    fprintf(f, "--- policies:\n%s", t->policies.data ? t->policies.data : "");
    for (size_t i = 0; i < t->n_links; i++)
        fprintf(f, "--- link %s of %s: ?principal = %s, ?resource = %s\n", t->links[i].link_id.ptr,
                t->links[i].template_id.ptr, t->links[i].principal ? t->links[i].principal : "-",
                t->links[i].resource ? t->links[i].resource : "-");
    fprintf(f, "--- entities:\n%s", t->entities.data ? t->entities.data : "");
    for (size_t i = 0; i < t->n_requests; i++) {
        fprintf(f, "--- request %zu:\n%s\n", i, t->requests[i].data ? t->requests[i].data : "");
        if (t->requests_cli[i].len)
            fprintf(f, "    (given to core in the CLI format: %s)\n", t->requests_cli[i].data);
    }
}

_Noreturn void drt_fail(const char *target, const gen_case *c, const gen_texts *t, const char *what,
                        const char *details)
{
    fprintf(stderr, "\n==== DRT FINDING in target %s ====\n%s\n", target, what);
    if (c && t) drt_print_texts(stderr, c, t);
    if (details) fprintf(stderr, "--- details:\n%s\n", details);
    fprintf(stderr, "==== first difference: %s\n", what);
    fflush(stderr);
    abort();
}

bool drt_safe_data_longs = false;

gen_opts drt_case_opts(gen_mode mode)
{
    return (gen_opts){.mode = mode,
                      .max_policies = 5,
                      .max_requests = 3,
                      .templates = true,
                      .safe_data_longs = drt_safe_data_longs};
}

/* Each policy on its own: core's cd_policy_eval against the model's
 * evaluation of the policy's condition (satisfied, not, or the error kind).
 * Returns the first policy where they differ (heap message), or NULL. */
static char *per_policy_diff(const drt_core *k, size_t ri, const gen_case *c, const m_policy *mps,
                             size_t n, m_arena *a, cd_arena *arena)
{
    const cd_policies *ps = &k->ps->view;
    char *diff = NULL;
    for (size_t i = 0; i < ps->n && !diff; i++) {
        const cd_policy *p = ps->items[i];
        if (p->is_template) continue;
        const m_policy *mp = NULL;
        for (size_t j = 0; j < n && !mp; j++)
            if (mps[j].id.len == p->id.len && memcmp(mps[j].id.ptr, p->id.ptr, p->id.len) == 0)
                mp = &mps[j];
        if (!mp) return drt_strf("policy %s: the model has no such policy", p->id.ptr);
        cd_eval_ctx ctx = {.req = &k->requests[ri]->rq, .es = k->es->es, .arena = arena};
        cd_policy_result cr = cd_policy_eval(&ctx, p);
        m_result mr = m_evaluate(mp->condition, &c->requests[ri].r, &c->entities, a);
        const char *cs = cr == CD_POLICY_SATISFIED       ? "satisfied"
                         : cr == CD_POLICY_NOT_SATISFIED ? "not satisfied"
                                                         : cd_errkind_name(ctx.err.kind);
        const char *ms = mr.err                  ? m_error_name(mr.err)
                         : mr.v.kind != M_V_BOOL ? "typeError"
                         : mr.v.u.b              ? "satisfied"
                                                 : "not satisfied";
        if (strcmp(cs, ms) != 0)
            diff = drt_strf("policy %s on its own: core %s%s%s, model %s", p->id.ptr, cs,
                            cr == CD_POLICY_ERROR ? ": " : "",
                            cr == CD_POLICY_ERROR && ctx.err.message ? ctx.err.message : "", ms);
    }
    return diff;
}

/* The load of a case judged: NULL when core did as meant (read a valid
 * case; rejected deliberately invalid data for the reason planted), else
 * the finding (heap). */
static char *load_finding(const gen_case *c, bool loaded, const char *why)
{
    if (!c->invalid) return loaded ? NULL : drt_strf("%s", why);
    if (loaded) return drt_strf("core accepts invalid input: %s", c->invalid);
    const char *want =
        c->invalid_request < 0 ? "core rejects the entities" : "core rejects request";
    if (why && strncmp(why, want, strlen(want)) == 0) return NULL;
    return drt_strf("%s", why); /* an earlier text, meant valid, was rejected */
}

/* One request in both engines: their answers and the first difference. */
typedef struct request_cmp {
    drt_answer core, model;
    char *diff; /* heap, NULL when they agree */
} request_cmp;

static void compare_request(request_cmp *rc, const drt_core *k, size_t i, const gen_case *c,
                            const m_policy *mps, size_t n_mps, m_arena *a, cedar_response *resp)
{
    m_response mr = m_is_authorized(&c->requests[i].r, &c->entities, n_mps, mps, a);
    cedar_error err = {0};
    cedar_authorize(k->ps, k->es, k->requests[i], resp, &err);
    cedar_error_clear(&err);
    drt_answer_from_core(&rc->core, resp);
    drt_answer_from_model(&rc->model, &mr);
    rc->diff = drt_answer_diff(&rc->core, &rc->model);
    if (!rc->diff) rc->diff = per_policy_diff(k, i, c, mps, n_mps, a, resp->arena);
}

static void print_request(FILE *f, size_t i, const request_cmp *rc, const cedar_response *resp)
{
    fprintf(f, "=== request %zu\n", i);
    drt_answer_print(f, "  model", &rc->model);
    drt_answer_print(f, "  core ", &rc->core);
    for (size_t e = 0; e < rc->core.n_errors; e++)
        fprintf(f, "  core error in %s: %s\n", rc->core.errors[e],
                cedar_response_error_message(resp, e));
    if (rc->diff) fprintf(f, "  DIFFERENCE: %s\n", rc->diff);
}

/* Every request of a loaded case; true when the engines agree on all. */
static bool compare_requests(const char *target, const gen_case *c, const gen_texts *t,
                             const drt_core *k, m_arena *a, FILE *print_to)
{
    bool agree = true;
    cedar_response *resp = cedar_response_new();
    m_policy *mps;
    size_t n_mps = gen_model_policies(a, c, &mps);
    for (size_t i = 0; i < c->n_requests; i++) {
        request_cmp rc;
        compare_request(&rc, k, i, c, mps, n_mps, a, resp);
        agree = agree && !rc.diff;
        if (print_to) print_request(print_to, i, &rc, resp);
        if (rc.diff && !print_to) {
            fputc('\n', stderr);
            print_request(stderr, i, &rc, resp);
            drt_fail(target, c, t, drt_strf("request %zu: %s", i, rc.diff), NULL);
        }
        free(rc.diff);
        drt_answer_free(&rc.core);
        drt_answer_free(&rc.model);
    }
    cedar_response_free(resp);
    return agree;
}

bool drt_run_case(const char *target, const gen_case *c, m_arena *a, FILE *print_to)
{
    gen_texts t;
    gen_emit_case(&t, c);
    drt_core k;
    char *why = NULL;
    bool loaded = drt_core_load(c, &t, &k, &why);
    char *finding = load_finding(c, loaded, why);
    if (finding && !print_to) drt_fail(target, c, &t, finding, NULL);
    if (print_to) drt_print_texts(print_to, c, &t);
    if (print_to && c->invalid)
        fprintf(print_to, "=== invalid on purpose (%s): %s\n", c->invalid,
                loaded ? "core ACCEPTS it" : why);
    else if (print_to && !loaded)
        fprintf(print_to, "=== %s\n", why);
    bool agree = !finding;
    if (loaded && !c->invalid) agree = compare_requests(target, c, &t, &k, a, print_to);
    free(finding);
    free(why);
    drt_core_free(&k);
    gen_texts_free(&t);
    return agree;
}

bool drt_run_built(const char *target, drt_build_fn *build, const uint8_t *data, size_t size,
                   FILE *print_to)
{
    m_arena *a = m_arena_new();
    gen_case c;
    build(data, size, a, &c);
    bool agree = drt_run_case(target, &c, a, print_to);
    m_arena_free(a);
    return agree;
}
