/* gen_json.c: values, uids, entities and requests as JSON, in every form the
 * official parsers accept for the declared type: `__entity` and `__extn`
 * escapes or, where the schema declares an entity or extension type, the
 * implicit forms (`{"type", "id"}`, the constructor's string, `{"fn", "arg"}`),
 * and `offset(datetime, duration)` for instants. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gen_int.h"

void gen_json_string(gen_buf *b, m_str s, gen_style *st)
{
    /* one in ten strings gets optional escapes; the others only the needed ones */
    gen_style plain = {0, 0};
    if (!gen_style_coin(st, 10)) st = &plain;
    gen_buf_putc(b, '"');
    size_t run = 0;
    while (run < s.len && (unsigned char)s.ptr[run] >= 0x20 && (unsigned char)s.ptr[run] < 0x80 &&
           s.ptr[run] != '"' && s.ptr[run] != '\\' && s.ptr[run] != '/')
        run++;
    if (st == &plain || run == s.len) {
        gen_buf_put(b, s.ptr, run);
    } else {
        run = 0;
    }
    for (size_t i = run; i < s.len;) {
        uint32_t cp;
        int len = gen_utf8_decode(s.ptr + i, s.len - i, &cp);
        if (len == 0) { /* never generated */
            gen_buf_putc(b, s.ptr[i++]);
            continue;
        }
        switch (cp) {
        case '"': gen_buf_puts(b, "\\\""); break;
        case '\\': gen_buf_puts(b, "\\\\"); break;
        case '\n': gen_buf_puts(b, "\\n"); break;
        case '\t': gen_buf_puts(b, "\\t"); break;
        case '\r': gen_buf_puts(b, "\\r"); break;
        case '\b': gen_buf_puts(b, "\\b"); break;
        case '\f': gen_buf_puts(b, "\\f"); break;
        case '/': gen_buf_puts(b, gen_style_coin(st, 20) ? "\\/" : "/"); break;
        default:
            if (cp < 0x20 || (cp < 0x80 && gen_style_coin(st, 4))) {
                gen_buf_printf(b, "\\u%04" PRIx32, cp);
            } else if (cp >= 0x80 && gen_style_coin(st, 30)) {
                if (cp >= 0x10000) {
                    uint32_t v = cp - 0x10000;
                    gen_buf_printf(b, "\\u%04" PRIX32 "\\u%04" PRIx32, 0xd800 + (v >> 10),
                                   0xdc00 + (v & 0x3ff));
                } else {
                    gen_buf_printf(b, "\\u%04" PRIx32, cp);
                }
            } else {
                gen_buf_put(b, s.ptr + i, (size_t)len);
            }
        }
        i += (size_t)len;
    }
    gen_buf_putc(b, '"');
}

static void key(gen_buf *b, const char *k, gen_style *st)
{
    gen_json_string(b, m_str_c(k), st);
    gen_buf_puts(b, gen_style_coin(st, 30) ? " : " : ": ");
}

static void uid_fields(gen_buf *b, m_uid u, gen_style *st)
{
    gen_buf_putc(b, '{');
    if (gen_style_coin(st, 30)) {
        key(b, "id", st);
        gen_json_string(b, u.id, st);
        gen_buf_puts(b, ", ");
        key(b, "type", st);
        gen_json_string(b, u.type, st);
    } else {
        key(b, "type", st);
        gen_json_string(b, u.type, st);
        gen_buf_puts(b, ", ");
        key(b, "id", st);
        gen_json_string(b, u.id, st);
    }
    gen_buf_putc(b, '}');
}

void gen_json_uid(gen_buf *b, m_uid u, gen_style *st)
{
    if (gen_style_coin(st, 30)) {
        gen_buf_puts(b, "{\"__entity\": ");
        uid_fields(b, u, st);
        gen_buf_putc(b, '}');
    } else {
        uid_fields(b, u, st);
    }
}

static const char *ctor(m_vkind k)
{
    return k == M_V_DECIMAL    ? "decimal"
           : k == M_V_IPADDR   ? "ip"
           : k == M_V_DATETIME ? "datetime"
                               : "duration";
}

/* The constructor's argument for an extension value; false for an instant
 * that no datetime string denotes. */
static bool ext_arg(gen_buf *out, m_value v, gen_style *st)
{
    switch (v.kind) {
    case M_V_DECIMAL: gen_fmt_decimal(out, v.u.i, st); return true;
    case M_V_IPADDR: gen_fmt_ip(out, &v.u.ip, st); return true;
    case M_V_DURATION: gen_fmt_duration(out, v.u.i, st); return true;
    default: return gen_fmt_datetime(out, v.u.i, st);
    }
}

/* {"__extn": {"fn": f, "arg": "..."}} (or without the escape, when typed). */
static void extn(gen_buf *b, const char *fn, m_str arg, bool escape, gen_style *st)
{
    if (escape) gen_buf_puts(b, "{\"__extn\": ");
    gen_buf_putc(b, '{');
    key(b, "fn", st);
    gen_buf_printf(b, "\"%s\", ", fn);
    key(b, "arg", st);
    gen_json_string(b, arg, st);
    gen_buf_putc(b, '}');
    if (escape) gen_buf_putc(b, '}');
}

static void ext_value(gen_buf *b, m_value v, bool typed, gen_style *st)
{
    gen_buf arg;
    gen_buf_init(&arg);
    bool ok = ext_arg(&arg, v, st);
    if (!ok || (v.kind == M_V_DATETIME && gen_style_coin(st, 15))) {
        /* offset(datetime("1970-01-01"), duration("<ms>ms")) */
        char ms[32];
        snprintf(ms, sizeof ms, "%" PRId64 "ms", v.u.i);
        gen_buf_puts(b, "{\"__extn\": {\"fn\": \"offset\", \"args\": [");
        if (typed && gen_style_coin(st, 50)) {
            gen_buf_puts(b, "\"1970-01-01\", ");
            gen_json_string(b, m_str_c(ms), st);
        } else {
            extn(b, "datetime", m_str_c("1970-01-01"), true, st);
            gen_buf_puts(b, ", ");
            extn(b, "duration", m_str_c(ms), true, st);
        }
        gen_buf_puts(b, "]}}");
    } else if (typed && gen_style_coin(st, 40)) {
        gen_json_string(b, (m_str){arg.data, arg.len}, st);
    } else {
        extn(b, ctor(v.kind), (m_str){arg.data, arg.len}, !typed || !gen_style_coin(st, 20), st);
    }
    gen_buf_free(&arg);
}

static const gen_type *field_type(const gen_type *t, m_str k)
{
    for (size_t i = 0; t && t->kind == GEN_T_RECORD && i < t->n; i++)
        if (m_str_eq(t->attrs[i].name, k)) return t->attrs[i].type;
    return NULL;
}

static void json_record(gen_buf *b, m_value v, const gen_type *t, const gen_schema *s,
                        gen_style *st)
{
    size_t n = v.u.rec.n, start = n && gen_style_coin(st, 30) ? gen_style_next(st) % n : 0;
    gen_buf_putc(b, '{');
    for (size_t k = 0; k < n; k++) {
        const m_field *f = &v.u.rec.fields[(start + k) % n];
        if (k) gen_buf_puts(b, ", ");
        gen_json_string(b, f->key, st);
        gen_buf_puts(b, ": ");
        gen_json_value(b, f->val, field_type(t, f->key), s, st);
    }
    gen_buf_putc(b, '}');
}

void gen_json_value(gen_buf *b, m_value v, const gen_type *t, const gen_schema *s, gen_style *st)
{
    switch (v.kind) {
    case M_V_BOOL: gen_buf_puts(b, v.u.b ? "true" : "false"); return;
    case M_V_INT: gen_buf_i64(b, v.u.i); return;
    case M_V_STRING: gen_json_string(b, v.u.s, st); return;
    case M_V_ENTITY:
        if (t && t->kind == GEN_T_ENTITY && gen_style_coin(st, 50)) {
            uid_fields(b, v.u.uid, st);
        } else {
            gen_buf_puts(b, "{\"__entity\": ");
            uid_fields(b, v.u.uid, st);
            gen_buf_putc(b, '}');
        }
        return;
    case M_V_SET:
        gen_buf_putc(b, '[');
        for (size_t i = 0; i < v.u.set.n; i++) {
            if (i) gen_buf_puts(b, ", ");
            gen_json_value(b, v.u.set.elems[i], t && t->kind == GEN_T_SET ? t->elem : NULL, s, st);
        }
        gen_buf_putc(b, ']');
        return;
    case M_V_RECORD: json_record(b, v, t, s, st); return;
    default: ext_value(b, v, t && t->kind >= GEN_T_DECIMAL, st); return;
    }
}

/* A tags record: every value has the entity type's tag type. */
static void tags_record(gen_buf *b, m_value v, const gen_type *t, const gen_schema *s,
                        gen_style *st)
{
    gen_buf_putc(b, '{');
    for (size_t k = 0; k < v.u.rec.n; k++) {
        if (k) gen_buf_puts(b, ", ");
        gen_json_string(b, v.u.rec.fields[k].key, st);
        gen_buf_puts(b, ": ");
        gen_json_value(b, v.u.rec.fields[k].val, t, s, st);
    }
    gen_buf_putc(b, '}');
}

void gen_json_entities(gen_buf *b, const gen_case *c, gen_style *st)
{
    const gen_schema *s = &c->schema;
    gen_buf_putc(b, '[');
    for (size_t i = 0; i < c->n_data; i++) {
        const m_entity *e = &c->entities.items[i];
        int ti = gen_schema_etype(s, e->uid.type); /* -1 in deliberately invalid data */
        const gen_etype *et = ti >= 0 && !c->schemaless ? &s->etypes[ti] : NULL;
        gen_buf_puts(b, i ? ",\n  {" : "\n  {");
        key(b, "uid", st);
        gen_json_uid(b, e->uid, st);
        gen_buf_puts(b, ", ");
        key(b, "attrs", st);
        json_record(b, e->attrs, et ? et->shape : NULL, s, st);
        gen_buf_puts(b, ", ");
        key(b, "parents", st);
        gen_buf_putc(b, '[');
        for (size_t k = 0; k < e->n_parents; k++) {
            if (k) gen_buf_puts(b, ", ");
            gen_json_uid(b, e->parents[k], st);
        }
        gen_buf_putc(b, ']');
        if (e->tags.u.rec.n || (et && et->tags && gen_style_coin(st, 50))) {
            gen_buf_puts(b, ", ");
            key(b, "tags", st);
            tags_record(b, e->tags, et ? et->tags : NULL, s, st);
        }
        gen_buf_putc(b, '}');
    }
    /* now and then the schema's actions too, each with its parents or any
     * superset of them within its ancestors (the same hierarchy, closed) */
    size_t n = c->n_data;
    if (c->schemaless || gen_style_coin(st, 20))
        for (size_t i = 0; i < s->n_actions; i++) {
            const gen_action *a = &s->actions[i];
            gen_buf_puts(b, n++ ? ",\n  {" : "\n  {");
            key(b, "uid", st);
            gen_json_uid(b, a->uid, st);
            gen_buf_puts(b, ", ");
            key(b, "attrs", st);
            gen_buf_puts(b, "{}, ");
            key(b, "parents", st);
            gen_buf_putc(b, '[');
            /* the actions' memberOf only points at later actions: one pass
             * in order reaches every ancestor */
            bool anc[64] = {false};
            for (size_t k = 0; k < a->n_member_of; k++)
                if (a->member_of[k] < 64) anc[a->member_of[k]] = true;
            size_t np = 0;
            for (size_t j = 0; j < s->n_actions && j < 64; j++) {
                if (!anc[j]) continue;
                bool direct = false;
                for (size_t k = 0; k < a->n_member_of; k++)
                    direct = direct || (size_t)a->member_of[k] == j;
                for (size_t k = 0; k < s->actions[j].n_member_of; k++)
                    if (s->actions[j].member_of[k] < 64) anc[s->actions[j].member_of[k]] = true;
                if (!direct && !gen_style_coin(st, 50)) continue;
                if (np++) gen_buf_puts(b, ", ");
                gen_json_uid(b, s->actions[j].uid, st);
            }
            gen_buf_puts(b, "]}");
        }
    gen_buf_puts(b, n ? "\n]\n" : "]\n");
}

void gen_json_request(gen_buf *b, const gen_case *c, size_t i, gen_style *st)
{
    const gen_request *rq = &c->requests[i];
    const gen_action *a = &c->schema.actions[gen_schema_action(&c->schema, rq->r.action)];
    gen_buf_putc(b, '{');
    key(b, "principal", st);
    gen_json_uid(b, rq->r.principal, st);
    gen_buf_puts(b, ", ");
    key(b, "action", st);
    gen_json_uid(b, rq->r.action, st);
    gen_buf_puts(b, ", ");
    key(b, "resource", st);
    gen_json_uid(b, rq->r.resource, st);
    gen_buf_puts(b, ", ");
    key(b, "context", st);
    json_record(b, rq->r.context, c->schemaless ? NULL : a->context, &c->schema, st);
    gen_buf_puts(b, ", ");
    key(b, "validateRequest", st);
    gen_buf_puts(b, rq->validate ? "true" : "false");
    gen_buf_putc(b, '}');
}

bool gen_json_request_cli(gen_buf *b, const gen_case *c, size_t i, gen_style *st)
{
    const gen_request *rq = &c->requests[i];
    const gen_action *a = &c->schema.actions[gen_schema_action(&c->schema, rq->r.action)];
    gen_buf uids[3];
    const m_uid *us[3] = {&rq->r.principal, &rq->r.action, &rq->r.resource};
    bool ok = true;
    for (int k = 0; k < 3; k++) {
        gen_buf_init(&uids[k]);
        ok = ok && gen_print_uid_normalized(&uids[k], *us[k]);
    }
    if (ok) {
        static const char *const names[] = {"principal", "action", "resource"};
        gen_buf_putc(b, '{');
        for (int k = 0; k < 3; k++) {
            key(b, names[k], st);
            gen_json_string(b, (m_str){uids[k].data, uids[k].len}, st);
            gen_buf_puts(b, ", ");
        }
        key(b, "context", st);
        json_record(b, rq->r.context, c->schemaless ? NULL : a->context, &c->schema, st);
        gen_buf_putc(b, '}');
    }
    for (int k = 0; k < 3; k++)
        gen_buf_free(&uids[k]);
    return ok;
}
