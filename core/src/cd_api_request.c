/* cd_api_request.c: public API for building requests (cedar.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"

static bool parse_var_uid(cd_arena *a, const char *text, const char *what, cd_uid *out,
                          cedar_error *err)
{
    if (!text) {
        cd_api_set_error_msg(err, "the request has no %s", what);
        return false;
    }
    cd_err e = {0};
    cd_str copy = cd_arena_str(a, text, strlen(text)); /* the uid may point into it */
    if (!cd_parse_uid(copy.ptr, copy.len, a, out, &e)) {
        cd_api_set_error_msg(err, "invalid %s `%s`: %s", what, text, e.message ? e.message : "");
        cd_err_clear(&e);
        return false;
    }
    return true;
}

/* Build the request from uids in Cedar syntax and an already-parsed context. */
static cedar_request *build(const char *principal, const char *action, const char *resource,
                            const json_t *context, const cedar_schema *schema, bool validate,
                            const char *file, cedar_error *err)
{
    cedar_request *rq = calloc(1, sizeof *rq);
    if (!rq) abort();
    rq->arena = cd_arena_new();
    cd_uid p, a, r;
    if (!parse_var_uid(rq->arena, principal, "principal", &p, err) ||
        !parse_var_uid(rq->arena, action, "action", &a, err) ||
        !parse_var_uid(rq->arena, resource, "resource", &r, err))
        goto fail;
    rq->rq.principal = cd_entityv(p);
    rq->rq.action = cd_entityv(a);
    rq->rq.resource = cd_entityv(r);
    cd_err e = {0};
    json_t *empty = NULL;
    if (!context) context = empty = json_object();
    bool ok = cd_context_from_json(context, schema ? schema->s : NULL, &a, rq->arena,
                                   &rq->rq.context, &e);
    json_decref(empty);
    if (!ok) {
        /* The message names the context ("context at `.a`: ..."); a context
         * given on its own (cedar_request_new) has no other file to name. */
        cd_api_set_error(err, &e, file && strcmp(file, "context") == 0 ? NULL : file);
        goto fail;
    }
    if (schema && validate && !cd_request_validate(schema->s, &rq->rq, &e)) {
        cd_api_set_error(err, &e, NULL);
        goto fail;
    }
    return rq;
fail:
    cedar_request_free(rq);
    return NULL;
}

/* Requests and contexts are read as the official engine reads them: through
 * serde_json::Value, where the last of duplicate keys wins. */
static json_t *load_json(const char *text, size_t len, const char *file, cedar_error *err)
{
    cd_err e = {0};
    json_t *j = cd_json_parse(text, len, CD_JSON_LAST_KEY_WINS, file, &e);
    if (!j) cd_api_set_error(err, &e, file);
    return j;
}

cedar_request *cedar_request_new(const char *principal, const char *action, const char *resource,
                                 const char *context_json, const cedar_schema *schema,
                                 bool validate, cedar_error *err)
{
    json_t *ctx = NULL;
    if (context_json) {
        ctx = load_json(context_json, strlen(context_json), "context", err);
        if (!ctx) return NULL;
    }
    cedar_request *rq = build(principal, action, resource, ctx, schema, validate, "context", err);
    json_decref(ctx);
    return rq;
}

/* principal, action and resource of a JSON request: each a string holding an
 * entity uid; a missing one is left NULL for build() to report. */
static bool request_uids(const json_t *root, const char *uid[3], const char *file, cedar_error *err)
{
    static const char *const vars[3] = {"principal", "action", "resource"};
    for (int i = 0; i < 3; i++) {
        const json_t *v = json_object_get(root, vars[i]);
        if (v && !json_is_string(v)) {
            cd_api_set_error_msg(err,
                                 "%s: `%s` must be a string holding an entity uid, such as "
                                 "\"User::\\\"alice\\\"\", not %s",
                                 file ? file : "request", vars[i], cd_json_kind(v));
            return false;
        }
        uid[i] = json_string_value(v);
    }
    return true;
}

cedar_request *cedar_request_parse_json(const char *json, size_t len, const cedar_schema *schema,
                                        bool validate, const char *file, cedar_error *err)
{
    json_t *root = load_json(json, len, file, err);
    if (!root) return NULL;
    cedar_request *rq = NULL;
    if (!json_is_object(root)) {
        cd_api_set_error_msg(err, "%s: a request must be a JSON object", file ? file : "request");
    } else {
        json_t *ctx = json_object_get(root, "context");
        const char *uid[3];
        if (request_uids(root, uid, file, err))
            rq = build(uid[0], uid[1], uid[2], ctx, schema, validate, file, err);
    }
    json_decref(root);
    return rq;
}

void cedar_request_free(cedar_request *rq)
{
    if (!rq) return;
    cd_arena_free(rq->arena);
    free(rq);
}
