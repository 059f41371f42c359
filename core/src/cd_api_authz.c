/* cd_api_authz.c: public API for authorization and expression evaluation. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"
#include "cd_stack.h"

cedar_response *cedar_response_new(void)
{
    cedar_response *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->arena = cd_arena_new();
    return r;
}

void cedar_response_free(cedar_response *resp)
{
    if (!resp) return;
    cd_arena_free(resp->arena);
    free(resp);
}

/* One empty store, shared by every request evaluated without entity data. */
static cd_entities *the_empty_store;
static pthread_once_t empty_once = PTHREAD_ONCE_INIT;

static void make_empty_store(void)
{
    the_empty_store = cd_entities_new_empty();
}

static const cd_entities *empty_entities(void)
{
    pthread_once(&empty_once, make_empty_store);
    return the_empty_store;
}

int cedar_authorize(const cedar_policy_set *ps, const cedar_entities *es, const cedar_request *rq,
                    cedar_response *resp, cedar_error *err)
{
    if (!ps || !rq || !resp) {
        cd_api_set_error_msg(err, "cedar_authorize: missing policy set, request or response");
        return 1;
    }
    cd_arena_reset(resp->arena);
    cd_authorize_indexed(&ps->view, ps->index, &rq->rq, es ? es->es : empty_entities(), resp->arena,
                         &resp->r);
    return 0;
}

cedar_decision cedar_response_decision(const cedar_response *resp)
{
    return resp->r.allow ? CEDAR_ALLOW : CEDAR_DENY;
}

size_t cedar_response_reason_count(const cedar_response *resp)
{
    return resp->r.n_reasons;
}

const char *cedar_response_reason(const cedar_response *resp, size_t i)
{
    return i < resp->r.n_reasons ? resp->r.reasons[i]->id.ptr : NULL;
}

size_t cedar_response_error_count(const cedar_response *resp)
{
    return resp->r.n_errors;
}

const char *cedar_response_error_policy(const cedar_response *resp, size_t i)
{
    return i < resp->r.n_errors ? resp->r.errors[i].policy->id.ptr : NULL;
}

const char *cedar_response_error_message(const cedar_response *resp, size_t i)
{
    return i < resp->r.n_errors ? resp->r.errors[i].error.message : NULL;
}

/* Does e mention principal, action, resource or context? When the stack
 * runs low (cd_stack.h) *deep is set, and the answer is yes. */
static bool uses_request(const cd_expr *e, bool *deep)
{
    if (!e) return false;
    if (cd_stack_low()) {
        *deep = true;
        return true;
    }
    if (cd_chain_continues(e)) { /* a loop (cd_ast.h) */
        size_t n;
        const cd_expr **nodes = cd_chain_nodes(e, &n);
        bool uses = uses_request(cd_chain_left(nodes[0]), deep);
        for (size_t i = 0; i < n && !uses; i++)
            uses = nodes[i]->kind != CD_X_GET_ATTR && uses_request(nodes[i]->u.op.b, deep);
        free(nodes);
        return uses;
    }
    switch (e->kind) {
    case CD_X_VAR: return true;
    case CD_X_LIT:
    case CD_X_SLOT: return false;
    case CD_X_HAS:
    case CD_X_GET_ATTR: return uses_request(e->u.attr.obj, deep);
    case CD_X_LIKE: return uses_request(e->u.like.obj, deep);
    case CD_X_IS: return uses_request(e->u.is.obj, deep) || uses_request(e->u.is.in, deep);
    case CD_X_SET:
        for (size_t i = 0; i < e->u.list.n; i++)
            if (uses_request(e->u.list.items[i], deep)) return true;
        return false;
    case CD_X_RECORD:
        for (size_t i = 0; i < e->u.rec.n; i++)
            if (uses_request(e->u.rec.vals[i], deep)) return true;
        return false;
    case CD_X_CALL:
        for (size_t i = 0; i < e->u.call.n; i++)
            if (uses_request(e->u.call.args[i], deep)) return true;
        return false;
    default:
        return uses_request(e->u.op.a, deep) || uses_request(e->u.op.b, deep) ||
               uses_request(e->u.op.c, deep);
    }
}

char *cedar_evaluate(const char *expr, size_t len, const cedar_entities *es,
                     const cedar_request *rq, cedar_error *err)
{
    if (!expr) {
        cd_api_set_error_msg(err, "no expression");
        return NULL;
    }
    cd_arena *arena = cd_arena_new();
    char *result = NULL;
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(expr, len, "expression", arena, &e);
    if (!x) {
        cd_api_set_error(err, &e, "expression");
        goto done;
    }
    bool deep = false;
    if (!rq && uses_request(x, &deep)) {
        if (deep)
            cd_api_set_error_msg(err, "expression is nested too deeply (the thread's stack is "
                                      "nearly exhausted)");
        else
            cd_api_set_error_msg(err, "the expression uses principal, action, resource or "
                                      "context, but no request was given");
        goto done;
    }
    cd_request none = {0};
    none.context.kind = CD_V_RECORD;
    cd_eval_ctx ctx = {
        .req = rq ? &rq->rq : &none, .es = es ? es->es : empty_entities(), .arena = arena};
    cd_value v;
    if (!cd_eval(&ctx, x, &v)) {
        cd_api_set_error_msg(err, "evaluation error: %s",
                             ctx.err.message ? ctx.err.message : cd_errkind_name(ctx.err.kind));
        goto done;
    }
    cd_buf b;
    cd_buf_init(&b);
    cd_value_print(&b, &v);
    result = strdup(cd_buf_cstr(&b));
    cd_buf_free(&b);
done:
    cd_arena_free(arena);
    return result;
}

int cedar_expression_check(const char *expr, size_t len, cedar_error *err)
{
    if (!expr) {
        cd_api_set_error_msg(err, "no expression");
        return 1;
    }
    cd_arena *arena = cd_arena_new();
    cd_err e = {0};
    int rc = 0;
    if (!cd_parse_expr(expr, len, "expression", arena, &e)) {
        cd_api_set_error(err, &e, "expression");
        rc = 1;
    }
    cd_arena_free(arena);
    return rc;
}
