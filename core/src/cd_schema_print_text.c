/* cd_schema_print_text.c: a raw schema in the Cedar schema syntax, byte for
 * byte as the official `to_cedarschema` writes it (its fmt.rs): two spaces
 * per level, one blank line between declarations and between namespaces,
 * primitive and extension types of the JSON format as `__cedar::T`, action
 * names always quoted, `appliesTo` only when both lists are non-empty. */
#include <string.h>

#include "cd_schema_print.h"
#include "cd_value.h"

static void indent(cd_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        cd_buf_putc(b, ' ');
}

static void put(cd_buf *b, cd_str s)
{
    cd_buf_put(b, s.ptr, s.len);
}

/* `@key("value")` per line, or `@key` for a JSON null */
static void annos(cd_buf *b, cd_rannos a, int ind)
{
    for (size_t i = 0; i < a.n; i++) {
        indent(b, ind);
        cd_buf_putc(b, '@');
        put(b, a.v[i].key);
        if (a.v[i].has_value) {
            cd_buf_putc(b, '(');
            cd_print_quoted(b, a.v[i].value);
            cd_buf_putc(b, ')');
        }
        cd_buf_putc(b, '\n');
    }
}

/* An attribute name bare when it is an identifier that is not reserved. */
static void attr_name(cd_buf *b, cd_str s)
{
    if (cd_str_is_ident(s) && !cd_schema_is_reserved_word(s) && !cd_schema_is_cedar_ns(s))
        put(b, s);
    else
        cd_print_quoted(b, s);
}

static void type(const cd_rschema *rs, cd_buf *b, const cd_rtype *t, int ind);

/* A record: members one level deeper than ind, the closing brace at ind. */
static void record(const cd_rschema *rs, cd_buf *b, const cd_rtype *t, int ind)
{
    const cd_rattr **v;
    size_t n = cd_pview_attrs(rs, t, &v);
    cd_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i == 0) cd_buf_putc(b, '\n');
        annos(b, v[i]->annos, ind + 2);
        indent(b, ind + 2);
        attr_name(b, v[i]->name);
        cd_buf_puts(b, v[i]->required ? ": " : "?: ");
        type(rs, b, v[i]->type, ind + 2);
        cd_buf_puts(b, i + 1 < n ? ",\n" : "\n");
    }
    indent(b, ind);
    cd_buf_putc(b, '}');
}

static void type(const cd_rschema *rs, cd_buf *b, const cd_rtype *t, int ind)
{
    switch (t->kind) {
    case CD_RT_BOOL: cd_buf_puts(b, "__cedar::Bool"); return;
    case CD_RT_LONG: cd_buf_puts(b, "__cedar::Long"); return;
    case CD_RT_STRING: cd_buf_puts(b, "__cedar::String"); return;
    case CD_RT_EXT:
        cd_buf_puts(b, "__cedar::");
        put(b, t->name);
        return;
    case CD_RT_ENTITY:
    case CD_RT_COMMON:
    case CD_RT_EOC: put(b, t->name); return;
    case CD_RT_SET:
        cd_buf_puts(b, "Set<");
        type(rs, b, t->elem, ind);
        cd_buf_putc(b, '>');
        return;
    case CD_RT_RECORD: record(rs, b, t, ind); return;
    }
}

static void names(cd_buf *b, const cd_rname *v, size_t n)
{
    cd_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) cd_buf_puts(b, ", ");
        put(b, v[i].name);
    }
    cd_buf_putc(b, ']');
}

static void entity(const cd_rschema *rs, cd_buf *b, const cd_rentity *e, int ind)
{
    annos(b, e->annos, ind);
    indent(b, ind);
    cd_buf_puts(b, "entity ");
    put(b, e->name);
    if (e->is_enum) {
        cd_buf_puts(b, " enum [");
        for (size_t i = 0; i < e->n_enum; i++) {
            if (i) cd_buf_puts(b, ", ");
            cd_print_quoted(b, e->enum_ids[i]);
        }
        cd_buf_putc(b, ']');
    } else {
        if (e->n_member_of) {
            cd_buf_puts(b, " in ");
            names(b, e->member_of, e->n_member_of);
        }
        if (!cd_pview_empty_record(e->shape)) {
            cd_buf_puts(b, " = ");
            type(rs, b, e->shape, ind);
        }
        if (e->tags) {
            /* the official printer writes tags without the base indentation */
            cd_buf_puts(b, " tags ");
            type(rs, b, e->tags, 0);
        }
    }
    cd_buf_puts(b, ";\n");
}

static void action(const cd_rschema *rs, cd_buf *b, const cd_raction *a, int ind)
{
    annos(b, a->annos, ind);
    indent(b, ind);
    cd_buf_puts(b, "action ");
    cd_print_quoted(b, a->name);
    if (a->n_member_of) {
        cd_buf_puts(b, " in [");
        for (size_t i = 0; i < a->n_member_of; i++) {
            const cd_rparent *p = &a->member_of[i];
            if (i) cd_buf_puts(b, ", ");
            if (p->has_type)
                put(b, p->type);
            else
                cd_buf_puts(b, "Action");
            cd_buf_puts(b, "::");
            cd_print_quoted(b, p->id);
        }
        cd_buf_putc(b, ']');
    }
    if (a->has_applies_to && a->n_principals && a->n_resources) {
        cd_buf_puts(b, " appliesTo {\n");
        indent(b, ind + 2);
        cd_buf_puts(b, "principal: ");
        names(b, a->principals, a->n_principals);
        cd_buf_puts(b, ",\n");
        indent(b, ind + 2);
        cd_buf_puts(b, "resource: ");
        names(b, a->resources, a->n_resources);
        cd_buf_puts(b, ",\n");
        indent(b, ind + 2);
        cd_buf_puts(b, "context: ");
        if (cd_pview_empty_record(a->context))
            cd_buf_puts(b, "{}");
        else
            type(rs, b, a->context, ind + 2);
        cd_buf_putc(b, '\n');
        indent(b, ind);
        cd_buf_putc(b, '}');
    }
    cd_buf_puts(b, ";\n");
}

static void ns_body(const cd_rschema *rs, cd_buf *b, const cd_pns *p, int ind)
{
    size_t total = p->n_commons + p->n_entities + p->n_actions, k = 0;
    for (size_t i = 0; i < p->n_commons; i++, k++) {
        const cd_rcommon *c = p->commons[i];
        annos(b, c->annos, ind);
        indent(b, ind);
        cd_buf_puts(b, "type ");
        put(b, c->name);
        cd_buf_puts(b, " = ");
        type(rs, b, c->type, ind);
        cd_buf_puts(b, ";\n");
        if (k + 1 < total) cd_buf_putc(b, '\n');
    }
    for (size_t i = 0; i < p->n_entities; i++, k++) {
        entity(rs, b, p->entities[i], ind);
        if (k + 1 < total) cd_buf_putc(b, '\n');
    }
    for (size_t i = 0; i < p->n_actions; i++, k++) {
        action(rs, b, p->actions[i], ind);
        if (k + 1 < total) cd_buf_putc(b, '\n');
    }
}

static void qualified(cd_buf *b, const cd_pns *p, cd_str name)
{
    if (p->ns->has_name) {
        put(b, p->ns->name);
        cd_buf_puts(b, "::");
    }
    put(b, name);
}

/* What the syntax cannot say, checked before anything is printed: an entity
 * type and a common type of one name in a named namespace, and entity shapes
 * that are not records. The messages are the official ones. */
static bool expressible(const cd_rschema *rs, const cd_pview *v, cd_err *err)
{
    cd_buf names;
    cd_buf_init(&names);
    cd_src at = {0, NULL};
    for (size_t i = 0; i < v->n; i++) {
        const cd_pns *p = &v->nss[i];
        if (!p->ns->has_name) continue;
        for (size_t e = 0, c = 0; e < p->n_entities && c < p->n_commons;) {
            int d = cd_str_cmp(p->entities[e]->name, p->commons[c]->name);
            if (d == 0) {
                if (!names.len) at = p->entities[e]->src;
                if (names.len) cd_buf_puts(&names, ", ");
                qualified(&names, p, p->entities[e]->name);
            }
            if (d <= 0) e++;
            if (d >= 0) c++;
        }
    }
    if (names.len) {
        cd_schema_err(rs, err, at, "There are name collisions: [%s]", cd_buf_cstr(&names));
        cd_buf_free(&names);
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        const cd_pns *p = &v->nss[i];
        for (size_t e = 0; e < p->n_entities; e++) {
            const cd_rentity *d = p->entities[e];
            if (d->is_enum || !d->shape || d->shape->kind == CD_RT_RECORD) continue;
            if (!names.len) at = d->src;
            if (names.len) cd_buf_puts(&names, ", ");
            qualified(&names, p, d->name);
        }
    }
    if (names.len) {
        cd_schema_err(rs, err, at,
                      "The following entities have shapes that cannot be converted to Cedar "
                      "schema syntax: [%s]",
                      cd_buf_cstr(&names));
        cd_buf_free(&names);
        return false;
    }
    cd_buf_free(&names);
    return true;
}

bool cd_schema_print_text(const cd_rschema *rs, cd_buf *out, cd_err *err)
{
    cd_pview v;
    if (!cd_pview_build(rs, &v, err) || !expressible(rs, &v, err)) return false;
    for (size_t i = 0; i < v.n; i++) {
        const cd_pns *p = &v.nss[i];
        if (!p->ns->has_name) {
            ns_body(rs, out, p, 0);
        } else {
            annos(out, p->ns->annos, 0);
            cd_buf_puts(out, "namespace ");
            put(out, p->ns->name);
            cd_buf_puts(out, " {\n");
            ns_body(rs, out, p, 2);
            cd_buf_puts(out, "}\n");
        }
        if (i + 1 < v.n) cd_buf_putc(out, '\n');
    }
    return true;
}
