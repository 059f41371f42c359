/* cd_schema_print_json.c: a raw schema as compact JSON, as the official
 * implementation serializes a schema fragment (serde_json::to_string): keys
 * in its field order, empty optional fields left out ("commonTypes",
 * "memberOfTypes", an empty-record "shape" or "context", "annotations",
 * "required": true), strings escaped as serde_json escapes them. */
#include "cd_schema_print.h"

static void jstr(cd_buf *b, cd_str s)
{
    static const char hex[] = "0123456789abcdef";
    cd_buf_putc(b, '"');
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        switch (c) {
        case '"': cd_buf_puts(b, "\\\""); continue;
        case '\\': cd_buf_puts(b, "\\\\"); continue;
        case '\b': cd_buf_puts(b, "\\b"); continue;
        case '\f': cd_buf_puts(b, "\\f"); continue;
        case '\n': cd_buf_puts(b, "\\n"); continue;
        case '\r': cd_buf_puts(b, "\\r"); continue;
        case '\t': cd_buf_puts(b, "\\t"); continue;
        default: break;
        }
        if (c < 0x20) {
            cd_buf_puts(b, "\\u00");
            cd_buf_putc(b, hex[c >> 4]);
            cd_buf_putc(b, hex[c & 15]);
        } else {
            cd_buf_putc(b, (char)c);
        }
    }
    cd_buf_putc(b, '"');
}

/* `"key":`, preceded by a comma unless it is the object's first member */
static void key(cd_buf *b, bool *first, const char *k)
{
    if (!*first) cd_buf_putc(b, ',');
    *first = false;
    cd_buf_printf(b, "\"%s\":", k);
}

static void skey(cd_buf *b, bool *first, cd_str k)
{
    if (!*first) cd_buf_putc(b, ',');
    *first = false;
    jstr(b, k);
    cd_buf_putc(b, ':');
}

static void annos(cd_buf *b, bool *first, cd_rannos a)
{
    if (!a.n) return;
    key(b, first, "annotations");
    cd_buf_putc(b, '{');
    bool f = true;
    for (size_t i = 0; i < a.n; i++) {
        skey(b, &f, a.v[i].key);
        if (a.v[i].has_value)
            jstr(b, a.v[i].value);
        else
            cd_buf_puts(b, "null");
    }
    cd_buf_putc(b, '}');
}

/* A type object; an attribute's also carries its annotations and
 * "required": false (required < 0: not an attribute). */
static void type(const cd_rschema *rs, cd_buf *b, const cd_rtype *t, const cd_rannos *an,
                 int required)
{
    static const char *const kinds[] = {
        [CD_RT_BOOL] = "Boolean",  [CD_RT_LONG] = "Long",          [CD_RT_STRING] = "String",
        [CD_RT_SET] = "Set",       [CD_RT_RECORD] = "Record",      [CD_RT_ENTITY] = "Entity",
        [CD_RT_EXT] = "Extension", [CD_RT_EOC] = "EntityOrCommon",
    };
    bool first = true;
    cd_buf_putc(b, '{');
    key(b, &first, "type");
    if (t->kind == CD_RT_COMMON) {
        jstr(b, t->name);
    } else {
        cd_buf_printf(b, "\"%s\"", kinds[t->kind]);
    }
    switch (t->kind) {
    case CD_RT_SET:
        key(b, &first, "element");
        type(rs, b, t->elem, NULL, -1);
        break;
    case CD_RT_RECORD: {
        const cd_rattr **v;
        size_t n = cd_pview_attrs(rs, t, &v);
        key(b, &first, "attributes");
        cd_buf_putc(b, '{');
        bool f = true;
        for (size_t i = 0; i < n; i++) {
            skey(b, &f, v[i]->name);
            type(rs, b, v[i]->type, &v[i]->annos, v[i]->required);
        }
        cd_buf_putc(b, '}');
        if (t->open) {
            key(b, &first, "additionalAttributes");
            cd_buf_puts(b, "true");
        }
        break;
    }
    case CD_RT_ENTITY:
    case CD_RT_EOC:
    case CD_RT_EXT:
        key(b, &first, "name");
        jstr(b, t->name);
        break;
    default: break;
    }
    if (an) annos(b, &first, *an);
    if (required == 0) {
        key(b, &first, "required");
        cd_buf_puts(b, "false");
    }
    cd_buf_putc(b, '}');
}

static void names(cd_buf *b, const cd_rname *v, size_t n)
{
    cd_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) cd_buf_putc(b, ',');
        jstr(b, v[i].name);
    }
    cd_buf_putc(b, ']');
}

static void entity(const cd_rschema *rs, cd_buf *b, const cd_rentity *e)
{
    bool first = true;
    cd_buf_putc(b, '{');
    if (e->is_enum) {
        key(b, &first, "enum");
        cd_buf_putc(b, '[');
        for (size_t i = 0; i < e->n_enum; i++) {
            if (i) cd_buf_putc(b, ',');
            jstr(b, e->enum_ids[i]);
        }
        cd_buf_putc(b, ']');
    } else {
        if (e->n_member_of) {
            key(b, &first, "memberOfTypes");
            names(b, e->member_of, e->n_member_of);
        }
        if (!cd_pview_empty_record(e->shape)) {
            key(b, &first, "shape");
            type(rs, b, e->shape, NULL, -1);
        }
        if (e->tags) {
            key(b, &first, "tags");
            type(rs, b, e->tags, NULL, -1);
        }
    }
    annos(b, &first, e->annos);
    cd_buf_putc(b, '}');
}

static void action(const cd_rschema *rs, cd_buf *b, const cd_raction *a, bool from_text)
{
    bool first = true;
    cd_buf_putc(b, '{');
    if (a->has_applies_to || from_text) {
        key(b, &first, "appliesTo");
        bool f = true;
        cd_buf_putc(b, '{');
        key(b, &f, "resourceTypes");
        names(b, a->resources, a->n_resources);
        key(b, &f, "principalTypes");
        names(b, a->principals, a->n_principals);
        if (!cd_pview_empty_record(a->context)) {
            key(b, &f, "context");
            type(rs, b, a->context, NULL, -1);
        }
        cd_buf_putc(b, '}');
    }
    if (a->has_member_of) {
        key(b, &first, "memberOf");
        cd_buf_putc(b, '[');
        for (size_t i = 0; i < a->n_member_of; i++) {
            const cd_rparent *p = &a->member_of[i];
            bool f = true;
            if (i) cd_buf_putc(b, ',');
            cd_buf_putc(b, '{');
            key(b, &f, "id");
            jstr(b, p->id);
            if (p->has_type) {
                key(b, &f, "type");
                jstr(b, p->type);
            }
            cd_buf_putc(b, '}');
        }
        cd_buf_putc(b, ']');
    }
    annos(b, &first, a->annos);
    cd_buf_putc(b, '}');
}

bool cd_schema_print_json(const cd_rschema *rs, bool from_text, cd_buf *out, cd_err *err)
{
    cd_pview v;
    if (!cd_pview_build(rs, &v, err)) return false;
    bool fns = true;
    cd_buf_putc(out, '{');
    for (size_t i = 0; i < v.n; i++) {
        const cd_pns *p = &v.nss[i];
        skey(out, &fns, p->ns->has_name ? p->ns->name : (cd_str){"", 0});
        bool first = true;
        cd_buf_putc(out, '{');
        if (p->n_commons) {
            key(out, &first, "commonTypes");
            cd_buf_putc(out, '{');
            bool f = true;
            for (size_t k = 0; k < p->n_commons; k++) {
                skey(out, &f, p->commons[k]->name);
                type(rs, out, p->commons[k]->type, &p->commons[k]->annos, -1);
            }
            cd_buf_putc(out, '}');
        }
        key(out, &first, "entityTypes");
        cd_buf_putc(out, '{');
        bool f = true;
        for (size_t k = 0; k < p->n_entities; k++) {
            skey(out, &f, p->entities[k]->name);
            entity(rs, out, p->entities[k]);
        }
        cd_buf_puts(out, "}");
        key(out, &first, "actions");
        cd_buf_putc(out, '{');
        f = true;
        for (size_t k = 0; k < p->n_actions; k++) {
            skey(out, &f, p->actions[k]->name);
            action(rs, out, p->actions[k], from_text);
        }
        cd_buf_putc(out, '}');
        annos(out, &first, p->ns->annos);
        cd_buf_putc(out, '}');
    }
    cd_buf_putc(out, '}');
    return true;
}
