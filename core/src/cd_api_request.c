/* cd_api_request.c: public API for building requests (cedar.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"
#include "cd_json_impl.h" /* cd_valid_name, cd_request_text */

/* The common case of cd_parse_uid, read without the lexer (see cd_api.h);
 * unit.test_request_parts checks that both agree. */
bool cd_uid_split_plain(const char *text, size_t len, size_t *type_len)
{
    /* the type ends at the first `::"` (type names have no quotes) */
    size_t t = 0;
    while (t + 2 < len && !(text[t] == ':' && text[t + 1] == ':' && text[t + 2] == '"'))
        t++;
    if (t + 2 >= len || len - t < 4 || text[len - 1] != '"') return false;
    if (!cd_name_cached(text, t) && !cd_valid_name(text, t)) return false;
    /* each byte prints as itself: the text is in normalized form */
    for (size_t i = t + 3; i < len - 1; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '\'') return false;
    }
    *type_len = t;
    return true;
}

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

/* Reading an absent context gives the empty record, with nothing to report:
 * no schema, or the action is declared and its context type requires no
 * attribute (what the JSON reader would make of `{}`, without reading it).
 * Otherwise the context goes through the JSON reader, for its result or
 * error. */
static bool empty_context_is_plain(const cedar_schema *schema, const cd_uid *action)
{
    if (!schema) return true;
    const cd_action_decl *a = cd_schema_action(schema->s, action);
    if (!a) return false;
    const cd_type *t = a->context;
    if (!t) return true;
    if (t->kind != CD_T_RECORD) return false;
    for (size_t i = 0; i < t->u.rec.n; i++)
        if (t->u.rec.attrs[i].required) return false;
    return true;
}

/* rq validated against the schema when asked; an error frees rq. */
static cedar_request *validated(cedar_request *rq, const cedar_schema *schema, bool validate,
                                cedar_error *err)
{
    cd_err e = {0};
    if (schema && validate && !cd_request_validate(schema->s, &rq->rq, &e)) {
        cd_api_set_error(err, &e, NULL);
        cedar_request_free(rq);
        return NULL;
    }
    return rq;
}

/* The one ending of every request builder: the context (NULL: none given)
 * read into rq, and the request validated against the schema when asked.
 * Errors name file (NULL: no file) and free rq. */
static cedar_request *finish(cedar_request *rq, const json_t *context, const cedar_schema *schema,
                             bool validate, const char *file, cedar_error *err)
{
    cd_err e = {0};
    if (!context && empty_context_is_plain(schema, &rq->rq.action.u.uid)) {
        rq->rq.context = (cd_value){.kind = CD_V_RECORD};
    } else {
        json_t *empty = context ? NULL : json_object();
        if (!rq->arena) rq->arena = cd_arena_new();
        bool ok = cd_context_from_json(context ? context : empty, schema ? schema->s : NULL,
                                       &rq->rq.action.u.uid, rq->arena, &rq->rq.context, &e);
        json_decref(empty);
        if (!ok) {
            cd_api_set_error(err, &e, file);
            cedar_request_free(rq);
            return NULL;
        }
    }
    return validated(rq, schema, validate, err);
}

/* The request of three uids given as (type, length, id, length), the types
 * valid names and the ids UTF-8, with no context yet: one allocation for the
 * request and its ids, the type names held without an arena (no arena unless
 * a context has to be read). */
static cedar_request *from_parts(const char *const types[3], const size_t tl[3],
                                 const char *const ids[3], const size_t il[3])
{
    size_t total = il[0] + il[1] + il[2];
    cedar_request *rq = malloc(sizeof *rq + (total ? total : 1));
    if (!rq) abort();
    memset(rq, 0, sizeof *rq);
    const cd_name *names[3];
    cd_name_intern_refs(3, types, tl, names);
    memcpy(rq->held, names, sizeof names);
    rq->n_held = 3;
    cd_value *vals[3] = {&rq->rq.principal, &rq->rq.action, &rq->rq.resource};
    char *at = rq->ids;
    for (int i = 0; i < 3; i++) {
        memcpy(at, ids[i], il[i]);
        cd_uid u = {names[i], {at, il[i]}, 0};
        u.hash = cd_uid_hash(&u); /* reused by the store's lookups */
        *vals[i] = cd_entityv(u);
        at += il[i];
    }
    return rq;
}

/* Build the request from uids in Cedar syntax and an already-parsed context. */
static cedar_request *build(const char *principal, const char *action, const char *resource,
                            const json_t *context, const cedar_schema *schema, bool validate,
                            const char *file, cedar_error *err)
{
    /* The message names the context ("context at `.a`: ..."); a context
     * given on its own (cedar_request_new) has no other file to name. */
    const char *ctx_file = file && strcmp(file, "context") == 0 ? NULL : file;
    /* uids in plain normalized form (the usual case): as from parts */
    const char *uids[3] = {principal, action, resource};
    const char *types[3], *ids[3];
    size_t tl[3], il[3];
    int plain = 0;
    for (; plain < 3 && uids[plain]; plain++) {
        size_t len = strlen(uids[plain]);
        if (!cd_uid_split_plain(uids[plain], len, &tl[plain])) break;
        types[plain] = uids[plain];
        ids[plain] = uids[plain] + tl[plain] + 3;
        il[plain] = len - tl[plain] - 4;
    }
    if (plain == 3)
        return finish(from_parts(types, tl, ids, il), context, schema, validate, ctx_file, err);
    cedar_request *rq = calloc(1, sizeof *rq);
    if (!rq) abort();
    rq->arena = cd_arena_new();
    cd_uid p, a, r;
    if (!parse_var_uid(rq->arena, principal, "principal", &p, err) ||
        !parse_var_uid(rq->arena, action, "action", &a, err) ||
        !parse_var_uid(rq->arena, resource, "resource", &r, err))
        goto fail;
    /* the store's lookups of the request's uids reuse their hashes */
    p.hash = cd_uid_hash(&p);
    a.hash = cd_uid_hash(&a);
    r.hash = cd_uid_hash(&r);
    rq->rq.principal = cd_entityv(p);
    rq->rq.action = cd_entityv(a);
    rq->rq.resource = cd_entityv(r);
    return finish(rq, context, schema, validate, ctx_file, err);
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

bool cd_requests_read_direct = true;

cedar_request *cd_request_read_direct(const char *json, size_t len, const cedar_schema *schema,
                                      bool cli, bool *validate)
{
    cd_request_text q = {.text = json, .len = len, .cli = cli};
    cd_buf_init(&q.buf);
    cedar_request *rq = NULL;
    const char *types[3], *ids[3];
    size_t tl[3], il[3];
    bool ok = cd_request_read_uids(&q);
    for (int i = 0; ok && i < 3; i++) {
        types[i] = q.buf.data + q.type_at[i];
        tl[i] = q.type_len[i];
        if (cli) {
            /* a NUL gives up: jansson's path reads the string up to it */
            size_t n = q.type_len[i];
            ok = !memchr(types[i], 0, n) && cd_uid_split_plain(types[i], n, &tl[i]);
            ids[i] = types[i] + tl[i] + 3;
            il[i] = n - tl[i] - 4;
        } else {
            ids[i] = q.buf.data + q.id_at[i];
            il[i] = q.id_len[i];
        }
    }
    if (ok) rq = from_parts(types, tl, ids, il);
    if (ok && q.context_at) {
        const cd_type *t = NULL;
        if (schema) {
            /* an undeclared action is an error (jansson's path reports it) */
            const cd_action_decl *a = cd_schema_action(schema->s, &rq->rq.action.u.uid);
            ok = a != NULL;
            t = a ? a->context : NULL;
        }
        if (ok) rq->arena = cd_arena_new();
        ok = ok && cd_request_read_context(&q, t, rq->arena, &rq->rq.context);
    } else if (ok) {
        ok = empty_context_is_plain(schema, &rq->rq.action.u.uid);
        rq->rq.context = (cd_value){.kind = CD_V_RECORD};
    }
    cd_buf_free(&q.buf);
    if (!ok) {
        cedar_request_free(rq);
        return NULL;
    }
    if (validate) *validate = q.validate;
    return rq;
}

cedar_request *cedar_request_parse_json(const char *json, size_t len, const cedar_schema *schema,
                                        bool validate, const char *file, cedar_error *err)
{
    cedar_request *direct =
        cd_requests_read_direct ? cd_request_read_direct(json, len, schema, true, NULL) : NULL;
    if (direct) return validated(direct, schema, validate, err);
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

cedar_request *cedar_request_new_parts(const char *principal_type, const char *principal_id,
                                       const char *action_type, const char *action_id,
                                       const char *resource_type, const char *resource_id,
                                       const char *context_json, const cedar_schema *schema,
                                       bool validate, cedar_error *err)
{
    static const char *const vars[3] = {"principal", "action", "resource"};
    const char *types[3] = {principal_type, action_type, resource_type};
    const char *ids[3] = {principal_id, action_id, resource_id};
    size_t tl[3], il[3];
    for (int i = 0; i < 3; i++) {
        if (!types[i] || !ids[i]) {
            cd_api_set_error_msg(err, "the request has no %s %s", vars[i],
                                 types[i] ? "id" : "type");
            return NULL;
        }
        tl[i] = strlen(types[i]);
        il[i] = strlen(ids[i]);
        /* a name this thread has interned for a request was checked then */
        if (!cd_name_cached(types[i], tl[i]) && !cd_valid_name(types[i], tl[i])) {
            cd_api_set_error_msg(err,
                                 "invalid %s type `%s`: an entity type is identifiers separated "
                                 "by `::`, such as `User` or `App::User` (none of them reserved "
                                 "words)",
                                 vars[i], types[i]);
            return NULL;
        }
        size_t bad = cd_utf8_check(ids[i], il[i]);
        if (bad < il[i]) {
            cd_api_set_error_msg(err, "invalid %s id: not UTF-8 (at byte %zu)", vars[i], bad);
            return NULL;
        }
    }
    cedar_request *rq = from_parts(types, tl, ids, il);
    json_t *ctx = NULL;
    if (context_json) {
        ctx = load_json(context_json, strlen(context_json), "context", err);
        if (!ctx) {
            cedar_request_free(rq);
            return NULL;
        }
    }
    rq = finish(rq, ctx, schema, validate, NULL, err);
    json_decref(ctx);
    return rq;
}

void cedar_request_free(cedar_request *rq)
{
    if (!rq) return;
    if (rq->n_held) cd_name_release(rq->held, rq->n_held);
    cd_arena_free(rq->arena);
    free(rq);
}
