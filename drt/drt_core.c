/* drt_core.c: a generated case's texts read by the production engine, the
 * way its users read them: schema (either format), policies and template
 * links, entities against the schema, requests in the integration-test
 * format or the CLI's request format. */
#include <stdlib.h>
#include <string.h>

#include "drt_targets.h"

static char *format_error(const char *what, cedar_error *err)
{
    char *m = cedar_error_format(err);
    size_t n = strlen(what) + strlen(m ? m : "") + 8;
    char *s = malloc(n);
    if (!s) abort();
    snprintf(s, n, "%s: %s", what, m ? m : "?");
    free(m);
    cedar_error_clear(err);
    return s;
}

bool drt_requests_direct = true;

cedar_request *drt_request_from_test_json(const char *json, size_t len, const cedar_schema *schema,
                                          char **why)
{
    cd_err e = {0};
    /* core's direct reader first, as cedar_request_parse_json reads; the
     * roundtrip target compares it with the way through jansson below */
    bool validate = false;
    cedar_request *fast =
        drt_requests_direct ? cd_request_read_direct(json, len, schema, false, &validate) : NULL;
    if (fast) {
        if (!schema || !validate || cd_request_validate(schema->s, &fast->rq, &e)) return fast;
        cedar_request_free(fast);
        *why = e.message ? e.message : strdup("invalid request");
        return NULL;
    }
    json_t *jr = cd_json_parse(json, len, CD_JSON_LAST_KEY_WINS, "request", &e);
    cedar_request *rq = calloc(1, sizeof *rq);
    if (!rq) abort();
    rq->arena = cd_arena_new();
    if (!jr) goto fail;
    static const char *const vars[] = {"principal", "action", "resource"};
    cd_value *slots[] = {&rq->rq.principal, &rq->rq.action, &rq->rq.resource};
    for (int i = 0; i < 3; i++) {
        cd_uid u = {0};
        const json_t *j = json_object_get(jr, vars[i]);
        if (!j) {
            cd_err_set(&e, (cd_loc){0, 0, 0}, "the request has no %s", vars[i]);
            goto fail;
        }
        if (!cd_json_to_uid(j, rq->arena, vars[i], &u, &e)) goto fail;
        *slots[i] = cd_entityv(u);
    }
    json_t *ctx = json_object_get(jr, "context");
    json_t *empty = ctx ? NULL : json_object();
    bool ok = cd_context_from_json(ctx ? ctx : empty, schema ? schema->s : NULL,
                                   &rq->rq.action.u.uid, rq->arena, &rq->rq.context, &e);
    json_decref(empty);
    if (!ok) goto fail;
    if (schema && json_is_true(json_object_get(jr, "validateRequest")) &&
        !cd_request_validate(schema->s, &rq->rq, &e))
        goto fail;
    json_decref(jr);
    return rq;
fail:
    json_decref(jr);
    *why = e.message ? e.message : strdup("invalid request");
    e.message = NULL;
    cedar_request_free(rq);
    return NULL;
}

/* One request text read with core's direct reader on or off: the request,
 * or NULL with *why (heap). */
static cedar_request *read_request(bool direct, const char *json, size_t len, bool cli,
                                   bool validate, const cedar_schema *schema, char **why)
{
    bool was = cd_requests_read_direct;
    drt_requests_direct = cd_requests_read_direct = direct;
    cedar_request *rq;
    *why = NULL;
    if (cli) {
        cedar_error err = {0};
        rq = cedar_request_parse_json(json, len, schema, validate, "request.json", &err);
        if (!rq) *why = format_error("error", &err);
    } else {
        rq = drt_request_from_test_json(json, len, schema, why);
    }
    drt_requests_direct = cd_requests_read_direct = was;
    return rq;
}

char *drt_request_readers_differ(const char *json, size_t len, bool cli, bool validate,
                                 const cedar_schema *schema)
{
    char *why[2];
    cedar_request *rq[2];
    for (int k = 0; k < 2; k++)
        rq[k] = read_request(k == 0, json, len, cli, validate, schema, &why[k]);
    char *d = NULL;
    if (!rq[0] != !rq[1]) {
        d = drt_strf("the direct reader %s, jansson's path %s", rq[0] ? "accepts" : why[0],
                     rq[1] ? "accepts" : why[1]);
    } else if (!rq[0]) {
        if (strcmp(why[0], why[1]) != 0)
            d = drt_strf("the direct reader: %s; jansson's path: %s", why[0], why[1]);
    } else {
        const cd_request *a = &rq[0]->rq, *b = &rq[1]->rq;
        const cd_value *va[] = {&a->principal, &a->action, &a->resource};
        const cd_value *vb[] = {&b->principal, &b->action, &b->resource};
        for (int i = 0; i < 3 && !d; i++)
            if (!cd_value_eq(va[i], vb[i]) || va[i]->u.uid.hash != vb[i]->u.uid.hash)
                d = drt_strf("uid %d (or its hash)", i);
        if (!d && !cd_value_eq(&a->context, &b->context)) d = drt_strf("the context");
    }
    for (int k = 0; k < 2; k++) {
        cedar_request_free(rq[k]);
        free(why[k]);
    }
    return d;
}

bool drt_core_load(const gen_case *c, const gen_texts *t, drt_core *k, char **why)
{
    cedar_error err = {0};
    memset(k, 0, sizeof *k);
    *why = NULL;
    cd_index_scan_below = 0; /* the policy index even on small sets */
    /* in one case of four, closures of at most 0-2 ancestors: `in` walks the
     * parent links (cd_hier.c) where it would otherwise search a closure */
    cd_hier_max_closure = (c->style >> 20) % 4 == 0 ? (size_t)(c->style >> 22) % 3 : 256;
    k->schema = cedar_schema_parse(
        t->schema.data, t->schema.len, t->schema_is_json ? CEDAR_SCHEMA_JSON : CEDAR_SCHEMA_TEXT,
        t->schema_is_json ? "schema.cedarschema.json" : "schema.cedarschema", &err);
    if (!k->schema) {
        *why = format_error("core rejects the schema", &err);
        return false;
    }
    k->ps = cedar_policy_set_parse(t->policies.data ? t->policies.data : "", t->policies.len,
                                   "policies.cedar", &err);
    if (!k->ps) {
        *why = format_error("core rejects the policies", &err);
        return false;
    }
    for (size_t i = 0; i < t->n_links; i++) {
        const gen_link_text *l = &t->links[i];
        if (cedar_policy_set_link(k->ps, l->template_id.ptr, l->link_id.ptr, l->principal,
                                  l->resource, &err) != 0) {
            *why = format_error("core rejects a template link", &err);
            return false;
        }
    }
    /* a schemaless case is read as the official engine reads data without a schema */
    const cedar_schema *data_schema = c->schemaless ? NULL : k->schema;
    k->es =
        cedar_entities_parse(t->entities.data, t->entities.len, data_schema, "entities.json", &err);
    if (!k->es) {
        *why = format_error("core rejects the entities", &err);
        return false;
    }
    k->n_requests = c->n_requests;
    k->requests = calloc(c->n_requests + 1, sizeof *k->requests);
    if (!k->requests) abort();
    for (size_t i = 0; i < c->n_requests; i++) {
        const gen_buf *cli = &t->requests_cli[i];
        if (cli->len) {
            k->requests[i] = cedar_request_parse_json(
                cli->data, cli->len, data_schema, c->requests[i].validate, "request.json", &err);
            if (!k->requests[i]) {
                char what[64];
                snprintf(what, sizeof what, "core rejects request %zu (CLI format)", i);
                *why = format_error(what, &err);
                return false;
            }
            continue;
        }
        char *msg = NULL;
        k->requests[i] =
            drt_request_from_test_json(t->requests[i].data, t->requests[i].len, data_schema, &msg);
        if (!k->requests[i]) {
            size_t n = strlen(msg) + 64;
            *why = malloc(n);
            if (!*why) abort();
            snprintf(*why, n, "core rejects request %zu: %s", i, msg);
            free(msg);
            return false;
        }
    }
    return true;
}

void drt_core_free(drt_core *k)
{
    for (size_t i = 0; i < k->n_requests; i++)
        cedar_request_free(k->requests[i]);
    free(k->requests);
    cedar_entities_free(k->es);
    cedar_policy_set_free(k->ps);
    cedar_schema_free(k->schema);
    memset(k, 0, sizeof *k);
}

void drt_setup_case(drt_setup *s, drt_build_fn *build, const uint8_t *data, size_t size)
{
    s->a = m_arena_new();
    build(data, size, s->a, &s->c);
    gen_emit_case(&s->t, &s->c);
    s->why = NULL;
    s->loaded = drt_core_load(&s->c, &s->t, &s->k, &s->why);
}

void drt_setup_free(drt_setup *s)
{
    free(s->why);
    drt_core_free(&s->k);
    gen_texts_free(&s->t);
    m_arena_free(s->a);
}
