/* gen_print_schema.c: a generated schema in the .cedarschema text format and
 * in the JSON format, with the surface variety both allow (qualified or
 * relative names, the optional `=`, `__cedar::` prefixes, single types
 * without brackets, explicit `"required": true`, EntityOrCommon, ...). */
#include <string.h>

#include "gen_int.h"

/* A declared name (attribute, action) bare when the grammar allows it. */
static void text_name(gen_buf *b, m_str s, gen_style *st)
{
    if (gen_is_ident(s) && !gen_is_reserved(s) && !gen_style_coin(st, 20)) {
        gen_buf_str(b, s);
    } else if (gen_style_coin(st, 10)) {
        gen_print_string_escaped(b, s, st);
    } else {
        gen_print_string(b, s, st);
    }
}

/* Now and then an annotation before a declaration or attribute (no effect). */
static void text_annotation(gen_buf *b, gen_style *st)
{
    if (!gen_style_coin(st, 8)) return;
    gen_buf_puts(b, gen_style_coin(st, 30) ? "@deprecated " : "@doc(\"generated \\\"here\\\"\") ");
}

/* Now and then "annotations" as an object's first member; returns the separator for the next. */
static const char *json_annotation(gen_buf *b, gen_style *st)
{
    if (!gen_style_coin(st, 8)) return "";
    gen_buf_puts(b, "\"annotations\": {\"doc\": \"generated\"}");
    return ", ";
}

/* An entity type as referred to from namespace `from`: by its base name or
 * qualified in its own namespace, qualified from another. */
static m_str ety_ref(const gen_schema *s, int from, int ety, gen_style *st)
{
    const gen_etype *e = &s->etypes[ety];
    if (e->ns != from) return e->name;
    return s->nss[from].len && gen_style_coin(st, 30) ? e->name : e->base;
}

static void text_ety(gen_buf *b, const gen_schema *s, int from, int ety, gen_style *st)
{
    gen_buf_str(b, ety_ref(s, from, ety, st));
}

static void text_type(gen_buf *b, const gen_schema *s, int from, const gen_type *t, bool define,
                      gen_style *st, int indent);

/* A line break in schema text: a line feed, now and then another line
 * terminator or white space, or a comment ended by any terminator. */
static void text_nl(gen_buf *b, gen_style *st)
{
    static const char *const breaks[] = {"\r\n", "\r", "\n\v\f", "\n\xc2\x85", "\xe2\x80\xa8"};
    if (!gen_style_coin(st, 10)) {
        gen_buf_putc(b, '\n');
        return;
    }
    if (gen_style_coin(st, 50)) {
        gen_print_comment(b, st);
        return;
    }
    gen_buf_puts(b, breaks[gen_style_next(st) % GEN_N(breaks)]);
}

static void text_record(gen_buf *b, const gen_schema *s, int from, const gen_type *t, gen_style *st,
                        int indent)
{
    gen_buf_putc(b, '{');
    for (size_t i = 0; i < t->n; i++) {
        text_nl(b, st);
        gen_buf_spaces(b, indent + 2);
        text_annotation(b, st);
        text_name(b, t->attrs[i].name, st);
        if (!t->attrs[i].required) gen_buf_putc(b, '?');
        gen_buf_puts(b, ": ");
        text_type(b, s, from, t->attrs[i].type, false, st, indent + 2);
        if (i + 1 < t->n || gen_style_coin(st, 50)) gen_buf_putc(b, ',');
    }
    if (t->n) {
        text_nl(b, st);
        gen_buf_spaces(b, indent);
    }
    gen_buf_putc(b, '}');
}

static void text_type(gen_buf *b, const gen_schema *s, int from, const gen_type *t, bool define,
                      gen_style *st, int indent)
{
    static const char *const prims[] = {
        [GEN_T_BOOL] = "Bool",        [GEN_T_LONG] = "Long",     [GEN_T_STRING] = "String",
        [GEN_T_DECIMAL] = "decimal",  [GEN_T_IPADDR] = "ipaddr", [GEN_T_DATETIME] = "datetime",
        [GEN_T_DURATION] = "duration"};
    if (t->common >= 0 && !define) {
        gen_buf_str(b, s->common[t->common].name);
        return;
    }
    switch (t->kind) {
    case GEN_T_ENTITY: text_ety(b, s, from, t->ety, st); return;
    case GEN_T_SET:
        gen_buf_puts(b, "Set<");
        text_type(b, s, from, t->elem, false, st, indent);
        gen_buf_putc(b, '>');
        return;
    case GEN_T_RECORD: text_record(b, s, from, t, st, indent); return;
    default:
        if (gen_style_coin(st, 15)) gen_buf_puts(b, "__cedar::");
        gen_buf_puts(b, prims[t->kind]);
        return;
    }
}

/* A list of entity types: `[A, B]`, or `A` alone. */
static void text_ety_list(gen_buf *b, const gen_schema *s, int from, size_t n, const int *ts,
                          gen_style *st)
{
    bool brackets = n != 1 || !gen_style_coin(st, 40);
    if (brackets) gen_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) gen_buf_puts(b, ", ");
        text_ety(b, s, from, ts[i], st);
    }
    if (brackets) gen_buf_putc(b, ']');
}

/* An action of the same namespace: `id`, `Action::"id"` or `NS::Action::"id"`. */
static void text_action_ref(gen_buf *b, const gen_schema *s, const gen_action *a, gen_style *st)
{
    unsigned form = gen_style_coin(st, 40) ? 1 + gen_style_next(st) % 2 : 0;
    if (form == 2 && !s->nss[a->ns].len) form = 1;
    if (form == 0) {
        text_name(b, a->id, st);
        return;
    }
    gen_buf_str(b, form == 2 ? a->uid.type : m_str_c("Action"));
    gen_buf_puts(b, "::");
    gen_print_string(b, a->id, st);
}

/* The declarations of namespace k. */
static void text_namespace(gen_buf *b, const gen_schema *s, int k, gen_style *st)
{
    int in = s->nss[k].len ? 2 : 0;
    if (in) {
        gen_buf_puts(b, "namespace ");
        gen_buf_str(b, s->nss[k]);
        gen_buf_puts(b, " {\n");
    }
    for (size_t i = 0; i < s->n_common; i++) {
        if (s->common[i].ns != k) continue;
        gen_buf_spaces(b, in);
        gen_buf_puts(b, "type ");
        gen_buf_str(b, s->common[i].name);
        gen_buf_puts(b, " = ");
        text_type(b, s, k, s->common[i].type, true, st, in);
        gen_buf_puts(b, ";\n");
    }
    for (size_t i = 0; i < s->n_etypes; i++) {
        const gen_etype *e = &s->etypes[i];
        if (e->ns != k) continue;
        gen_buf_spaces(b, in);
        text_annotation(b, st);
        gen_buf_puts(b, "entity ");
        gen_buf_str(b, e->base);
        if (e->n_enum) {
            gen_buf_puts(b, " enum [");
            for (size_t j = 0; j < e->n_enum; j++) {
                if (j) gen_buf_puts(b, ", ");
                gen_print_string(b, e->enum_ids[j], st);
            }
            gen_buf_puts(b, "];\n");
            continue;
        }
        if (e->n_member_of) {
            gen_buf_puts(b, " in ");
            text_ety_list(b, s, k, e->n_member_of, e->member_of, st);
        }
        if (e->shape->common >= 0 || e->shape->n || gen_style_coin(st, 30)) {
            gen_buf_puts(b, gen_style_coin(st, 50) ? " = " : " ");
            /* an entity's shape may be a common type only in the JSON
             * format: here the record is written out */
            text_type(b, s, k, e->shape, true, st, in);
        }
        if (e->tags) {
            gen_buf_puts(b, " tags ");
            text_type(b, s, k, e->tags, false, st, in);
        }
        gen_buf_puts(b, ";\n");
    }
    for (size_t i = 0; i < s->n_actions; i++) {
        const gen_action *a = &s->actions[i];
        if (a->ns != k) continue;
        gen_buf_spaces(b, in);
        text_annotation(b, st);
        gen_buf_puts(b, "action ");
        text_name(b, a->id, st);
        if (a->n_member_of) {
            bool brackets = a->n_member_of != 1 || !gen_style_coin(st, 40);
            gen_buf_puts(b, brackets ? " in [" : " in ");
            for (size_t j = 0; j < a->n_member_of; j++) {
                if (j) gen_buf_puts(b, ", ");
                text_action_ref(b, s, &s->actions[a->member_of[j]], st);
            }
            if (brackets) gen_buf_putc(b, ']');
        }
        if (a->applies) {
            gen_buf_puts(b, " appliesTo {\n");
            /* the three entries in any order */
            unsigned rot = gen_style_coin(st, 30) ? gen_style_next(st) % 3 : 0;
            bool ctx = a->context->common >= 0 || a->context->n || !gen_style_coin(st, 40);
            for (unsigned j = 0; j < 3; j++) {
                unsigned which = (j + rot) % 3;
                if (which == 2 && !ctx) continue;
                gen_buf_spaces(b, in + 2);
                if (which == 0) {
                    gen_buf_puts(b, "principal: ");
                    text_ety_list(b, s, k, a->n_principals, a->principals, st);
                } else if (which == 1) {
                    gen_buf_puts(b, "resource: ");
                    text_ety_list(b, s, k, a->n_resources, a->resources, st);
                } else {
                    gen_buf_puts(b, "context: ");
                    text_type(b, s, k, a->context, false, st, in + 2);
                }
                gen_buf_puts(b, j < 2 || gen_style_coin(st, 50) ? ",\n" : "\n");
            }
            gen_buf_spaces(b, in);
            gen_buf_puts(b, "}");
        }
        gen_buf_puts(b, ";\n");
    }
    if (in) gen_buf_puts(b, "}\n");
}

void gen_print_schema_text(gen_buf *b, const gen_schema *s, gen_style *st)
{
    if (gen_style_coin(st, 30)) gen_buf_puts(b, "// a generated schema\n");
    for (size_t k = 0; k < s->n_ns; k++)
        text_namespace(b, s, (int)k, st);
    /* a comment that the end of the input ends */
    if (gen_style_coin(st, 10)) gen_buf_puts(b, "// the end, without a newline");
}

/* ---- JSON ------------------------------------------------------------------- */

static void json_key(gen_buf *b, m_str key, gen_style *st)
{
    gen_json_string(b, key, st);
    gen_buf_puts(b, ": ");
}

static void json_ety_name(gen_buf *b, const gen_schema *s, int from, int ety, gen_style *st)
{
    gen_json_string(b, ety_ref(s, from, ety, st), st);
}

static void json_type(gen_buf *b, const gen_schema *s, int from, const gen_type *t, bool define,
                      gen_style *st);

static void json_attrs(gen_buf *b, const gen_schema *s, int from, const gen_type *t, gen_style *st)
{
    gen_buf_puts(b, "{\"type\": \"Record\", \"attributes\": {");
    for (size_t i = 0; i < t->n; i++) {
        if (i) gen_buf_puts(b, ", ");
        json_key(b, t->attrs[i].name, st);
        /* an attribute is a type with "required" added */
        gen_buf data;
        gen_buf_init(&data);
        json_type(&data, s, from, t->attrs[i].type, false, st);
        data.len--; /* drop the closing brace */
        gen_buf_put(b, data.data, data.len);
        gen_buf_free(&data);
        if (gen_style_coin(st, 8)) gen_buf_puts(b, ", \"annotations\": {\"doc\": \"x\"}");
        if (!t->attrs[i].required) {
            gen_buf_puts(b, ", \"required\": false");
        } else if (gen_style_coin(st, 20)) {
            gen_buf_puts(b, ", \"required\": true");
        }
        gen_buf_putc(b, '}');
    }
    gen_buf_puts(b, "}}");
}

static void json_type(gen_buf *b, const gen_schema *s, int from, const gen_type *t, bool define,
                      gen_style *st)
{
    static const char *const prims[] = {
        [GEN_T_BOOL] = "Boolean",     [GEN_T_LONG] = "Long",     [GEN_T_STRING] = "String",
        [GEN_T_DECIMAL] = "decimal",  [GEN_T_IPADDR] = "ipaddr", [GEN_T_DATETIME] = "datetime",
        [GEN_T_DURATION] = "duration"};
    if (t->common >= 0 && !define) {
        if (gen_style_coin(st, 30)) {
            gen_buf_puts(b, "{\"type\": \"EntityOrCommon\", \"name\": ");
        } else {
            gen_buf_puts(b, "{\"type\": ");
        }
        gen_json_string(b, s->common[t->common].name, st);
        gen_buf_putc(b, '}');
        return;
    }
    switch (t->kind) {
    case GEN_T_ENTITY:
        gen_buf_puts(b, gen_style_coin(st, 25) ? "{\"type\": \"EntityOrCommon\", \"name\": "
                                               : "{\"type\": \"Entity\", \"name\": ");
        json_ety_name(b, s, from, t->ety, st);
        gen_buf_putc(b, '}');
        return;
    case GEN_T_SET:
        gen_buf_puts(b, "{\"type\": \"Set\", \"element\": ");
        json_type(b, s, from, t->elem, false, st);
        gen_buf_putc(b, '}');
        return;
    case GEN_T_RECORD: json_attrs(b, s, from, t, st); return;
    case GEN_T_BOOL:
    case GEN_T_LONG:
    case GEN_T_STRING:
        gen_buf_puts(b, "{\"type\": \"");
        gen_buf_puts(b, prims[t->kind]);
        gen_buf_puts(b, "\"}");
        return;
    default:
        /* no printf: the emitters are a good part of each case's time */
        gen_buf_puts(b, "{\"type\": \"Extension\", \"name\": \"");
        gen_buf_puts(b, prims[t->kind]);
        gen_buf_puts(b, "\"}");
    }
}

static void json_ety_list(gen_buf *b, const gen_schema *s, int from, size_t n, const int *ts,
                          gen_style *st)
{
    gen_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) gen_buf_puts(b, ", ");
        json_ety_name(b, s, from, ts[i], st);
    }
    gen_buf_putc(b, ']');
}

static void json_namespace(gen_buf *b, const gen_schema *s, int k, gen_style *st)
{
    json_key(b, s->nss[k], st);
    gen_buf_puts(b, "{\n");
    bool any_common = false;
    for (size_t i = 0; i < s->n_common; i++)
        any_common = any_common || s->common[i].ns == k;
    if (any_common) {
        gen_buf_puts(b, "    \"commonTypes\": {");
        const char *sep = "";
        for (size_t i = 0; i < s->n_common; i++) {
            if (s->common[i].ns != k) continue;
            gen_buf_puts(b, sep);
            json_key(b, s->common[i].name, st);
            json_type(b, s, k, s->common[i].type, true, st);
            sep = ", ";
        }
        gen_buf_puts(b, "},\n");
    }
    gen_buf_puts(b, "    \"entityTypes\": {");
    const char *lead = "\n      ";
    for (size_t i = 0; i < s->n_etypes; i++) {
        const gen_etype *e = &s->etypes[i];
        if (e->ns != k) continue;
        gen_buf_puts(b, lead);
        lead = ",\n      ";
        json_key(b, e->base, st);
        if (e->n_enum) {
            gen_buf_puts(b, "{\"enum\": [");
            for (size_t j = 0; j < e->n_enum; j++) {
                if (j) gen_buf_puts(b, ", ");
                gen_json_string(b, e->enum_ids[j], st);
            }
            gen_buf_puts(b, "]}");
            continue;
        }
        gen_buf_putc(b, '{');
        const char *sep = json_annotation(b, st);
        if (e->n_member_of || gen_style_coin(st, 30)) {
            gen_buf_puts(b, sep);
            gen_buf_puts(b, "\"memberOfTypes\": ");
            json_ety_list(b, s, k, e->n_member_of, e->member_of, st);
            sep = ", ";
        }
        if (e->shape->common >= 0 || e->shape->n || gen_style_coin(st, 30)) {
            gen_buf_puts(b, sep);
            gen_buf_puts(b, "\"shape\": ");
            json_type(b, s, k, e->shape, false, st);
            sep = ", ";
        }
        if (e->tags) {
            gen_buf_puts(b, sep);
            gen_buf_puts(b, "\"tags\": ");
            json_type(b, s, k, e->tags, false, st);
        }
        gen_buf_putc(b, '}');
    }
    gen_buf_puts(b, "\n    },\n    \"actions\": {");
    lead = "\n      ";
    for (size_t i = 0; i < s->n_actions; i++) {
        const gen_action *a = &s->actions[i];
        if (a->ns != k) continue;
        gen_buf_puts(b, lead);
        lead = ",\n      ";
        json_key(b, a->id, st);
        gen_buf_putc(b, '{');
        const char *sep = json_annotation(b, st);
        if (a->n_member_of) {
            gen_buf_puts(b, sep);
            gen_buf_puts(b, "\"memberOf\": [");
            for (size_t j = 0; j < a->n_member_of; j++) {
                const gen_action *p = &s->actions[a->member_of[j]];
                if (j) gen_buf_puts(b, ", ");
                gen_buf_puts(b, "{\"id\": ");
                gen_json_string(b, p->id, st);
                if (gen_style_coin(st, 40)) {
                    gen_buf_puts(b, ", \"type\": ");
                    gen_json_string(b,
                                    s->nss[p->ns].len && gen_style_coin(st, 50) ? p->uid.type
                                                                                : m_str_c("Action"),
                                    st);
                }
                gen_buf_putc(b, '}');
            }
            gen_buf_putc(b, ']');
            sep = ", ";
        }
        if (a->applies) {
            gen_buf_puts(b, sep);
            gen_buf_puts(b, "\"appliesTo\": {\"principalTypes\": ");
            json_ety_list(b, s, k, a->n_principals, a->principals, st);
            gen_buf_puts(b, ", \"resourceTypes\": ");
            json_ety_list(b, s, k, a->n_resources, a->resources, st);
            if (a->context->common >= 0 || a->context->n || !gen_style_coin(st, 40)) {
                gen_buf_puts(b, ", \"context\": ");
                json_type(b, s, k, a->context, false, st);
            }
            gen_buf_putc(b, '}');
        }
        gen_buf_putc(b, '}');
    }
    gen_buf_puts(b, "\n    }\n  }");
}

void gen_print_schema_json(gen_buf *b, const gen_schema *s, gen_style *st)
{
    gen_buf_puts(b, "{\n  ");
    for (size_t k = 0; k < s->n_ns; k++) {
        if (k) gen_buf_puts(b, ",\n  ");
        json_namespace(b, s, (int)k, st);
    }
    gen_buf_puts(b, "\n}\n");
}
