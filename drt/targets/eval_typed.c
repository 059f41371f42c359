/* eval_typed.c: the `eval-typed` target: one expression of a random type,
 * built for a generated request's environment (schema, entities, request),
 * evaluated by the model from the generated structure and by core's
 * evaluator from the printed text; the values (or the error kinds) must
 * agree. core's value, printed as Cedar text and as JSON, must also read back
 * as itself. */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "drt_targets.h"

typedef struct eval_case {
    gen_case c;
    const m_expr *x;
    m_result model;
} eval_case;

static void build(const uint8_t *data, size_t size, m_arena *a, eval_case *ec)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_opts o = {.mode = GEN_TYPED, .max_policies = 0, .max_requests = 1, .templates = false};
    gen_ctx g;
    gen_case_build(&ec->c, a, &src, &o, &g);
    if (gen_chance(&src, 20)) g.mode = GEN_LOOSE;
    gen_ctx_env(&g, &ec->c.requests[0]);
    unsigned depth = (unsigned)gen_range(&src, 1, 5);
    ec->x =
        g.mode == GEN_LOOSE ? gen_expr_any(&g, depth) : gen_expr(&g, gen_some_type(&g, 2), depth);
    ec->model = m_evaluate(ec->x, &ec->c.requests[0].r, &ec->c.entities, a);
}

/* The case as an integration test: one policy `when { x == <the model's value> }`
 * (or `when { x }` when the model errs). */
bool drt_case_eval_typed(const uint8_t *data, size_t size, m_arena *a, gen_case *out)
{
    eval_case ec;
    build(data, size, a, &ec);
    gen_policy *p = m_alloc(a, sizeof *p);
    gen_cond *cond = m_alloc(a, sizeof *cond);
    cond->is_when = true;
    cond->body = ec.model.err ? ec.x : m_x_binary(a, M_EQ, ec.x, gen_value_expr(a, ec.model.v));
    *p = (gen_policy){
        .id = m_str_c("policy0"), .effect = M_PERMIT, .n_conds = 1, .conds = cond, .link_of = -1};
    *out = ec.c;
    out->policies = p;
    out->n_policies = 1;
    return true;
}

/* Evaluate in core. False, with *why, when core cannot read the input. */
static bool core_eval(const eval_case *ec, const gen_texts *t, const char *text, cd_arena *arena,
                      drt_core *k, cd_eval_ctx *ctx, bool *ok, cd_value *v, char **why)
{
    if (!drt_core_load(&ec->c, t, k, why)) return false;
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(text, strlen(text), "expression", arena, &e);
    if (!x) {
        size_t n = strlen(e.message) + 96;
        *why = malloc(n);
        if (!*why) abort();
        snprintf(*why, n, "core rejects the expression at %u:%u: %s", e.loc.line, e.loc.column,
                 e.message);
        cd_err_clear(&e);
        return false;
    }
    *ctx = (cd_eval_ctx){.req = &k->requests[0]->rq, .es = k->es->es, .arena = arena};
    *ok = cd_eval(ctx, x, v);
    return true;
}

static void print_model(FILE *f, m_result r)
{
    if (r.err) {
        fprintf(f, "model: error %s\n", m_error_name(r.err));
        return;
    }
    gen_buf b;
    gen_buf_init(&b);
    gen_print_value(&b, r.v, &(gen_style){0, 0});
    fprintf(f, "model: %s\n", gen_buf_cstr(&b));
    gen_buf_free(&b);
}

static void print_core(FILE *f, bool ok, const cd_value *v, const cd_eval_ctx *ctx)
{
    if (!ok) {
        fprintf(f, "core:  error %s (%s)\n", cd_errkind_name(ctx->err.kind),
                ctx->err.message ? ctx->err.message : "");
        return;
    }
    cd_buf b;
    cd_buf_init(&b);
    cd_value_print(&b, v);
    fprintf(f, "core:  %s\n", cd_buf_cstr(&b));
    cd_buf_free(&b);
}

/* core's value as Cedar text (cd_value_print, what `cedar evaluate` shows)
 * and as JSON (cd_value_to_json), each read back by core: the same value. */
static const char *printed_back(const cd_value *v, m_arena *a)
{
    const char *bad = NULL;
    cd_arena *arena = cd_arena_new();
    cd_buf b;
    cd_buf_init(&b);
    cd_value_print(&b, v);
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(cd_buf_cstr(&b), b.len, "printed", arena, &e);
    cd_request none = {0};
    none.context.kind = CD_V_RECORD;
    cd_entities *es = cd_entities_new_empty();
    cd_eval_ctx ctx = {.req = &none, .es = es, .arena = arena};
    cd_value back;
    if (!x || !cd_eval(&ctx, x, &back)) {
        bad = "core cannot read back the value it printed";
    } else if (!m_value_eq(drt_value(a, &back), drt_value(a, v))) {
        bad = "the value core printed reads back as another value";
    }
    json_t *j = bad ? NULL : cd_value_to_json(v); /* NULL for records with reserved keys */
    if (j) {
        char *text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        json_t *again = text ? cd_json_parse(text, strlen(text), 0, "json", &e) : NULL;
        if (!again || !cd_json_to_value(again, NULL, NULL, arena, "value", &back, &e)) {
            bad = "core cannot read back its JSON of the value";
        } else if (!m_value_eq(drt_value(a, &back), drt_value(a, v))) {
            bad = "core's JSON of the value reads back as another value";
        }
        json_decref(again);
        free(text);
        json_decref(j);
    }
    if (bad) fprintf(stderr, "printed: %s\n", cd_buf_cstr(&b));
    cd_err_clear(&e);
    cd_entities_free(es);
    cd_buf_free(&b);
    cd_arena_free(arena);
    return bad;
}

/* The difference between the results, or NULL. */
static const char *compare(const eval_case *ec, bool ok, const cd_value *v, const cd_eval_ctx *ctx,
                           m_arena *a)
{
    if (ec->model.err) {
        if (ok) return "the model errs, core has a value";
        if (strcmp(m_error_name(ec->model.err), cd_errkind_name(ctx->err.kind)) != 0)
            return "the error kinds differ";
        return NULL;
    }
    if (!ok) return "core errs, the model has a value";
    m_value mv = drt_value(a, v);
    if (mv.kind != ec->model.v.kind || !m_value_eq(mv, ec->model.v)) return "the values differ";
    return printed_back(v, a);
}

static void run(const uint8_t *data, size_t size, FILE *print_to)
{
    m_arena *a = m_arena_new();
    eval_case ec;
    build(data, size, a, &ec);
    gen_texts t;
    gen_emit_case(&t, &ec.c);
    gen_style st;
    gen_style_init(&st, ec.c.style ^ 0x5bd1e995u);
    gen_buf text;
    gen_buf_init(&text);
    gen_print_expr(&text, ec.x, &st);
    cd_arena *arena = cd_arena_new();
    drt_core k;
    cd_eval_ctx ctx = {0};
    cd_value v = {0};
    bool ok = false;
    char *why = NULL;
    bool loaded = core_eval(&ec, &t, gen_buf_cstr(&text), arena, &k, &ctx, &ok, &v, &why);
    const char *diff = loaded ? compare(&ec, ok, &v, &ctx, a) : why;
    FILE *f = print_to ? print_to : stderr;
    if (print_to || diff) {
        if (!print_to) fprintf(f, "\n==== DRT FINDING in target eval-typed ====\n");
        drt_print_texts(f, &ec.c, &t);
        fprintf(f, "--- expression:\n%s\n", gen_buf_cstr(&text));
        print_model(f, ec.model);
        if (loaded) print_core(f, ok, &v, &ctx);
        if (diff) fprintf(f, "==== first difference: %s\n", diff);
        if (!print_to) {
            fflush(f);
            abort();
        }
    }
    free(why);
    drt_core_free(&k);
    cd_arena_free(arena);
    gen_buf_free(&text);
    gen_texts_free(&t);
    m_arena_free(a);
}

DRT_TARGET_FROM_RUN(eval_typed, run)
