/* cd_request.c: request contexts from JSON, and request validation against a
 * schema, as the official implementation does them.
 *
 * With a schema, a context is read by the action's context type, and the
 * action must be declared (even when the request is not validated). Reading
 * does not check the types of primitive attributes: that is request
 * validation's job, which the caller may skip.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_json_impl.h"

static bool rfail(cd_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool rfail(cd_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cd_err_vset(err, (cd_loc){0, 0, 0}, fmt, ap);
    va_end(ap);
    return false;
}

/* `User::"alice"` in a heap string. */
static char *uid_str(const cd_uid *u)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_uid_print(&b, u);
    char *s = strdup(cd_buf_cstr(&b));
    if (!s) abort();
    cd_buf_free(&b);
    return s;
}

bool cd_context_from_json(const json_t *j, const cd_schema *schema, const cd_uid *action,
                          cd_arena *arena, cd_value *out, cd_err *err)
{
    cd_jreader r = {.schema = schema, .arena = arena, .err = err, .what = "context"};
    const cd_type *t = NULL;
    if (schema && action) {
        const cd_action_decl *a = cd_schema_action(schema, action);
        if (!a) {
            char *u = uid_str(action);
            rfail(err, "cannot read the context: action `%s` is not declared in the schema", u);
            free(u);
            return false;
        }
        t = a->context;
    }
    if (!cd_jread_value(&r, j, t, NULL, out)) return false;
    /* Without a type the JSON must be an object that is not an escape. */
    if (out->kind != CD_V_RECORD) {
        cd_buf b;
        cd_buf_init(&b);
        cd_describe_value(&b, out);
        cd_jfail(&r, NULL, "the context must be a record, found %s", cd_buf_cstr(&b));
        cd_buf_free(&b);
        return false;
    }
    return true;
}

/* "`T1`, `T2`" for a list of type names. */
static void put_types(cd_buf *b, const cd_name *const *ts, size_t n)
{
    if (!n) cd_buf_puts(b, "none");
    for (size_t i = 0; i < n; i++)
        cd_buf_printf(b, "%s`%s`", i ? ", " : "", ts[i]->text);
}

static bool has_type(const cd_name *const *ts, size_t n, const cd_name *t)
{
    for (size_t i = 0; i < n; i++)
        if (ts[i] == t) return true;
    return false;
}

/* The principal or resource: its type is declared, and an id of an
 * enumerated type is listed. */
static bool check_var(const cd_schema *s, const char *var, const cd_value *v, cd_err *err)
{
    if (v->kind != CD_V_ENTITY) return rfail(err, "the %s is not an entity", var);
    const cd_uid *u = &v->u.uid;
    const cd_entity_decl *d = cd_schema_entity(s, u->type);
    if (d && (!d->is_enum || cd_enum_allows(d, u->id))) return true;
    char *us = uid_str(u); /* only for the message */
    if (!d)
        rfail(err, "%s `%s` has type `%s`, which is not declared in the schema", var, us,
              u->type->text);
    else
        rfail(err, "%s `%s` is not one of the ids declared for the enumerated entity type `%s`",
              var, us, u->type->text);
    free(us);
    return false;
}

static bool check_applies(const char *var, const cd_value *v, const cd_action_decl *a,
                          const cd_name *const *ts, size_t n, cd_err *err)
{
    if (has_type(ts, n, v->u.uid.type)) return true;
    cd_buf b;
    cd_buf_init(&b);
    put_types(&b, ts, n);
    char *act = uid_str(&a->uid);
    rfail(err, "%s type `%s` is not valid for action `%s` (valid %s types: %s)", var,
          v->u.uid.type->text, act, var, cd_buf_cstr(&b));
    free(act);
    cd_buf_free(&b);
    return false;
}

bool cd_request_validate(const cd_schema *schema, const cd_request *req, cd_err *err)
{
    if (!schema) return true; /* nothing to validate against */
    if (!check_var(schema, "principal", &req->principal, err) ||
        !check_var(schema, "resource", &req->resource, err))
        return false;
    if (req->action.kind != CD_V_ENTITY) return rfail(err, "the action is not an entity");
    const cd_action_decl *a = cd_schema_action(schema, &req->action.u.uid);
    if (!a) {
        char *u = uid_str(&req->action.u.uid);
        rfail(err, "action `%s` is not declared in the schema", u);
        free(u);
        return false;
    }
    /* an action without appliesTo applies to no principal and no resource */
    size_t np = a->has_applies_to ? a->n_principals : 0;
    size_t nr = a->has_applies_to ? a->n_resources : 0;
    if (!check_applies("principal", &req->principal, a, a->principals, np, err) ||
        !check_applies("resource", &req->resource, a, a->resources, nr, err))
        return false;
    char *msg = NULL;
    bool ok = cd_check_uids_in_value(schema, &req->context, &msg);
    if (ok && a->context && !cd_value_conforms(schema, &req->context, a->context, &msg)) ok = false;
    if (!ok) {
        char *u = uid_str(&a->uid);
        rfail(err, "the context does not conform to the context type of action `%s`: %s", u,
              msg ? msg : "type mismatch");
        free(u);
    }
    free(msg);
    return ok;
}
