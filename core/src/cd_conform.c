/* cd_conform.c: does a value have a schema type, and are the entity uids in
 * a value valid for a schema.
 *
 * These are the official implementation's conformance rules for entity
 * attributes and tags and for request contexts: entity types match by name;
 * an empty set has every set type; records need every required attribute
 * and, unless the record type is open, no undeclared one; extension values
 * match by kind. Separately, every uid anywhere in a value must be valid: an
 * id of an enumerated entity type must be listed, and a uid of an action type
 * (`Action`, `NS::Action`) must be a declared action.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_json_impl.h"

bool cd_enum_allows(const cd_entity_decl *d, cd_str id)
{
    return cd_schema_enum_has(d, id); /* a binary search, not a scan of the ids */
}

static char *take(cd_buf *b)
{
    char *m = strdup(cd_buf_cstr(b));
    if (!m) abort();
    cd_buf_free(b);
    return m;
}

static bool uid_fail(char **msg, const cd_uid *u, const char *what)
{
    if (!msg) return false;
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_putc(&b, '`');
    cd_uid_print(&b, u);
    cd_buf_printf(&b, "` %s", what);
    *msg = take(&b);
    return false;
}

bool cd_check_uid(const cd_schema *s, const cd_uid *u, char **msg)
{
    if (!s) return true;
    const cd_entity_decl *d = cd_schema_entity(s, u->type);
    if (d && d->is_enum && !cd_enum_allows(d, u->id))
        return uid_fail(msg, u,
                        "is not one of the ids declared for its enumerated entity type in the "
                        "schema");
    if (cd_is_action_type(u->type) && !cd_schema_action(s, u))
        return uid_fail(msg, u, "is an action that is not declared in the schema");
    return true;
}

bool cd_check_uids_in_value(const cd_schema *s, const cd_value *v, char **msg)
{
    switch (v->kind) {
    case CD_V_ENTITY: return cd_check_uid(s, &v->u.uid, msg);
    case CD_V_SET:
        for (size_t i = 0; i < v->u.set.n; i++)
            if (!cd_check_uids_in_value(s, &v->u.set.items[i], msg)) return false;
        return true;
    case CD_V_RECORD:
        for (size_t i = 0; i < v->u.rec.n; i++)
            if (!cd_check_uids_in_value(s, &v->u.rec.vals[i], msg)) return false;
        return true;
    default: return true;
    }
}

/* ---- typing ------------------------------------------------------------ */

/* A place inside the value: a record key, or a set element when key is NULL. */
typedef struct cpath {
    const struct cpath *up;
    const cd_str *key;
} cpath;

static void put_cpath(cd_buf *b, const cpath *p)
{
    if (!p) return;
    put_cpath(b, p->up);
    if (!p->key) {
        cd_buf_puts(b, "[*]");
        return;
    }
    cd_str k = *p->key;
    bool simple = k.len > 0;
    for (size_t i = 0; i < k.len && simple; i++) {
        char c = k.ptr[i];
        simple = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (i > 0 && c >= '0' && c <= '9');
    }
    if (simple) {
        cd_buf_putc(b, '.');
        cd_buf_put(b, k.ptr, k.len);
    } else {
        cd_buf_putc(b, '[');
        cd_print_quoted(b, k);
        cd_buf_putc(b, ']');
    }
}

static void start(cd_buf *b, const cpath *p)
{
    cd_buf_init(b);
    if (p) {
        cd_buf_puts(b, "at `");
        put_cpath(b, p);
        cd_buf_puts(b, "`: ");
    }
}

static bool finish(cd_buf *b, char **msg)
{
    if (msg) {
        *msg = take(b);
    } else {
        cd_buf_free(b);
    }
    return false;
}

static bool mismatch(const cd_value *v, const cd_type *t, const cpath *p, char **msg)
{
    cd_buf b;
    start(&b, p);
    cd_buf_puts(&b, "expected ");
    cd_type_print(&b, t);
    cd_buf_puts(&b, ", found ");
    cd_describe_value(&b, v);
    return finish(&b, msg);
}

static bool attr_fail(const cpath *p, const char *what, cd_str name, const cd_type *t, char **msg)
{
    cd_buf b;
    start(&b, p);
    cd_buf_printf(&b, "%s `", what);
    cd_buf_put(&b, name.ptr, name.len);
    cd_buf_puts(&b, "` for record type ");
    cd_type_print(&b, t);
    return finish(&b, msg);
}

static bool conforms(const cd_schema *s, const cd_value *v, const cd_type *t, const cpath *p,
                     char **msg)
{
    switch (t->kind) {
    case CD_T_BOOL: return v->kind == CD_V_BOOL || mismatch(v, t, p, msg);
    case CD_T_LONG: return v->kind == CD_V_LONG || mismatch(v, t, p, msg);
    case CD_T_STRING: return v->kind == CD_V_STRING || mismatch(v, t, p, msg);
    case CD_T_EXT:
        return (v->kind == CD_V_EXT && v->u.ext.kind == t->u.ext) || mismatch(v, t, p, msg);
    case CD_T_ENTITY: {
        if (v->kind != CD_V_ENTITY || v->u.uid.type != t->u.entity) return mismatch(v, t, p, msg);
        const cd_entity_decl *d = s ? cd_schema_entity(s, t->u.entity) : NULL;
        if (d && d->is_enum && !cd_enum_allows(d, v->u.uid.id)) {
            cd_buf b;
            start(&b, p);
            cd_buf_putc(&b, '`');
            cd_uid_print(&b, &v->u.uid);
            cd_buf_puts(&b, "` is not one of the ids declared for its enumerated entity type");
            return finish(&b, msg);
        }
        return true;
    }
    case CD_T_SET:
        if (v->kind != CD_V_SET) return mismatch(v, t, p, msg);
        for (size_t i = 0; i < v->u.set.n; i++) {
            cpath sub = {p, NULL};
            if (!conforms(s, &v->u.set.items[i], t->u.elem, &sub, msg)) return false;
        }
        return true;
    case CD_T_RECORD: {
        if (v->kind != CD_V_RECORD) return mismatch(v, t, p, msg);
        const cd_record_type *rt = &t->u.rec;
        for (size_t i = 0; i < rt->n; i++) {
            const cd_attr_type *a = &rt->attrs[i];
            const cd_value *f = cd_record_get(&v->u.rec, a->name);
            if (!f) {
                if (a->required) return attr_fail(p, "missing required attribute", a->name, t, msg);
                continue;
            }
            cpath sub = {p, &a->name};
            if (!conforms(s, f, a->type, &sub, msg)) return false;
        }
        if (!rt->open)
            for (size_t i = 0; i < v->u.rec.n; i++)
                if (!cd_record_type_get(rt, v->u.rec.keys[i]))
                    return attr_fail(p, "unexpected attribute", v->u.rec.keys[i], t, msg);
        return true;
    }
    }
    return mismatch(v, t, p, msg);
}

bool cd_value_conforms(const cd_schema *s, const cd_value *v, const cd_type *t, char **msg)
{
    return conforms(s, v, t, NULL, msg);
}
