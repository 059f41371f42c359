/* roundtrip.c: the `roundtrip` target: what the generator built, written as
 * text and read back by core, must be what the generator built:
 *  - each policy (and each template link): text -> core's parser -> bridge
 *    -> the same model structure, the same effect and annotations; core's
 *    own printer gives text that parses back to the same again; and the
 *    policy printed canonically (no surface variety) parses to the same
 *    policy as the varied text;
 *  - each policy and template through policy JSON: text -> JSON -> core's
 *    JSON reader gives the same policy (bridged) and the same JSON again;
 *  - the whole set as policy JSON printed by the generator in varied forms
 *    reads to the same policies, templates and links, and with a defect
 *    planted is rejected with an error;
 *  - texts that must be rejected: a policy with a stray token of every
 *    kind, requests and entities that break the schema;
 *  - the policy text (comments and all) through the formatter, in a line
 *    width and indentation taken from the input: it formats, the result
 *    parses to the same policies (bridged, and printed), and formatting the
 *    result again changes nothing;
 *  - the entities: JSON -> core (with the schema) -> bridge -> the same
 *    entities (attributes, tags, parents), plus the schema's actions; and
 *    core's two entity readers (the direct one and jansson's path) give the
 *    same store, or on the rejected entities the same error;
 *  - each request: JSON -> core -> bridge -> the same principal, action,
 *    resource and context;
 *  - the schema, from the text and from the JSON format: the same entity
 *    types, attribute types, memberOf, tags, enumerations and actions. */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "cd_format.h"
#include "cd_json.h"
#include "cd_json_impl.h"
#include "cd_policy_json.h"
#include "drt_targets.h"

bool drt_case_roundtrip(const uint8_t *data, size_t size, m_arena *a, gen_case *c)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_mode mode = gen_chance(&src, 30) ? GEN_LOOSE : GEN_TYPED;
    gen_opts o = drt_case_opts(mode);
    gen_case_build(c, a, &src, &o, NULL);
    return true;
}

typedef struct rt {
    char what[4096];
    bool failed;
} rt;

static void failf(rt *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void failf(rt *r, const char *fmt, ...)
{
    if (r->failed) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->what, sizeof r->what, fmt, ap);
    va_end(ap);
    r->failed = true;
}

/* ---- schemas ----------------------------------------------------------------- */

static bool same_name(const cd_name *n, m_str s)
{
    return n && n->len == s.len && memcmp(n->text, s.ptr, s.len) == 0;
}

static bool type_eq(const gen_schema *s, const cd_type *ct, const gen_type *gt)
{
    static const cd_extkind ext[] = {[GEN_T_DECIMAL] = CD_EXT_DECIMAL,
                                     [GEN_T_IPADDR] = CD_EXT_IPADDR,
                                     [GEN_T_DATETIME] = CD_EXT_DATETIME,
                                     [GEN_T_DURATION] = CD_EXT_DURATION};
    switch (gt->kind) {
    case GEN_T_BOOL: return ct->kind == CD_T_BOOL;
    case GEN_T_LONG: return ct->kind == CD_T_LONG;
    case GEN_T_STRING: return ct->kind == CD_T_STRING;
    case GEN_T_ENTITY:
        return ct->kind == CD_T_ENTITY && same_name(ct->u.entity, s->etypes[gt->ety].name);
    case GEN_T_SET: return ct->kind == CD_T_SET && type_eq(s, ct->u.elem, gt->elem);
    case GEN_T_RECORD:
        if (ct->kind != CD_T_RECORD || ct->u.rec.n != gt->n || ct->u.rec.open) return false;
        for (size_t i = 0; i < gt->n; i++) {
            const cd_attr_type *at = &ct->u.rec.attrs[i];
            if (at->name.len != gt->attrs[i].name.len ||
                (at->name.len && memcmp(at->name.ptr, gt->attrs[i].name.ptr, at->name.len)) ||
                at->required != gt->attrs[i].required || !type_eq(s, at->type, gt->attrs[i].type))
                return false;
        }
        return true;
    default: return ct->kind == CD_T_EXT && ct->u.ext == ext[gt->kind];
    }
}

static bool name_set_eq(const gen_schema *s, size_t n, const cd_name *const *names, size_t gn,
                        const int *idx)
{
    for (size_t i = 0; i < gn; i++) {
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = same_name(names[k], s->etypes[idx[i]].name);
        if (!found) return false;
    }
    for (size_t k = 0; k < n; k++) {
        bool found = false;
        for (size_t i = 0; i < gn && !found; i++)
            found = same_name(names[k], s->etypes[idx[i]].name);
        if (!found) return false;
    }
    return true;
}

static void check_schema(rt *r, const char *fmt, const cd_schema *cs, const gen_schema *s)
{
    if (cs->n_entities != s->n_etypes)
        failf(r, "%s schema: %zu entity types, generated %zu", fmt, cs->n_entities, s->n_etypes);
    for (size_t i = 0; i < s->n_etypes && !r->failed; i++) {
        const gen_etype *e = &s->etypes[i];
        const cd_entity_decl *d =
            cd_schema_entity(cs, cd_name_intern(cs->arena, e->name.ptr, e->name.len));
        if (!d) {
            failf(r, "%s schema: no entity type %s", fmt, e->name.ptr);
            break;
        }
        if (e->n_enum) {
            bool same = d->is_enum && d->n_enum == e->n_enum;
            for (size_t k = 0; same && k < e->n_enum; k++)
                same = d->enum_ids[k].len == e->enum_ids[k].len &&
                       memcmp(d->enum_ids[k].ptr, e->enum_ids[k].ptr, e->enum_ids[k].len) == 0;
            if (!same) failf(r, "%s schema: the ids of enumerated type %s", fmt, e->name.ptr);
            continue;
        }
        if (d->is_enum) failf(r, "%s schema: %s is enumerated", fmt, e->name.ptr);
        if (!name_set_eq(s, d->n_member_of, d->member_of, e->n_member_of, e->member_of))
            failf(r, "%s schema: memberOf of %s", fmt, e->name.ptr);
        cd_type shape = {.kind = CD_T_RECORD, .u.rec = d->shape};
        if (!type_eq(s, &shape, e->shape)) failf(r, "%s schema: the shape of %s", fmt, e->name.ptr);
        if ((d->tags == NULL) != (e->tags == NULL) || (e->tags && !type_eq(s, d->tags, e->tags)))
            failf(r, "%s schema: the tags of %s", fmt, e->name.ptr);
    }
    if (cs->n_actions != s->n_actions)
        failf(r, "%s schema: %zu actions, generated %zu", fmt, cs->n_actions, s->n_actions);
    for (size_t i = 0; i < s->n_actions && !r->failed; i++) {
        const gen_action *a = &s->actions[i];
        cd_uid u = {
            cd_name_intern(cs->arena, a->uid.type.ptr, a->uid.type.len), {a->id.ptr, a->id.len}, 0};
        const cd_action_decl *d = cd_schema_action(cs, &u);
        if (!d) {
            failf(r, "%s schema: no action %s::\"%s\"", fmt, a->uid.type.ptr, a->id.ptr);
            break;
        }
        bool parents = d->n_member_of == a->n_member_of;
        for (size_t k = 0; parents && k < a->n_member_of; k++) {
            m_uid pu = s->actions[a->member_of[k]].uid;
            bool found = false;
            for (size_t j = 0; j < d->n_member_of && !found; j++)
                found = m_uid_eq(drt_uid(d->member_of[j]), pu);
            parents = found;
        }
        if (!parents) failf(r, "%s schema: memberOf of action \"%s\"", fmt, a->id.ptr);
        if (d->has_applies_to != a->applies)
            failf(r, "%s schema: appliesTo of action \"%s\"", fmt, a->id.ptr);
        if (!a->applies) continue;
        if (!name_set_eq(s, d->n_principals, d->principals, a->n_principals, a->principals) ||
            !name_set_eq(s, d->n_resources, d->resources, a->n_resources, a->resources))
            failf(r, "%s schema: principals or resources of action \"%s\"", fmt, a->id.ptr);
        if (!type_eq(s, d->context, a->context))
            failf(r, "%s schema: the context of action \"%s\"", fmt, a->id.ptr);
    }
}

/* ---- policies, entities, requests ---------------------------------------------- */

static bool same_value(m_value a, m_value b)
{
    return a.kind == b.kind && m_value_eq(a, b);
}

static void check_annotations(rt *r, const cd_policy *p, const gen_policy *g)
{
    if (p->body->n_annotations != g->n_annots) {
        failf(r, "%s: %zu annotations, generated %zu", g->id.ptr, p->body->n_annotations,
              g->n_annots);
        return;
    }
    for (size_t i = 0; i < g->n_annots; i++) {
        const cd_annotation *ca = &p->body->annotations[i];
        const gen_annot *ga = &g->annots[i];
        if (!m_str_eq((m_str){ca->key.ptr, ca->key.len}, ga->key) ||
            ca->has_value != ga->has_value ||
            !m_str_eq((m_str){ca->value.ptr, ca->value.len}, ga->value))
            failf(r, "%s: annotation %zu", g->id.ptr, i);
    }
}

/* Policy JSON: p -> JSON -> core's reader -> the same JSON, and (for a
 * static policy) the same policy once bridged. */
static void check_json(rt *r, m_arena *a, const char *id, const cd_policy *p, const m_policy *want)
{
    cd_err e = {0};
    json_t *j = cd_policy_to_json(p, &e);
    if (!j) { /* only nesting deeper than policy JSON allows */
        cd_err_clear(&e);
        return;
    }
    char *text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    cd_arena *arena = cd_arena_new();
    cd_policy *back = cd_policy_from_json(j, p->id, arena, "json", &e);
    json_t *j2 = back ? cd_policy_to_json(back, &e) : NULL;
    char *text2 = j2 ? json_dumps(j2, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    const char *why = NULL;
    m_policy got;
    /* `action in [A]` is written {"op": "in", "entity": A} (as the official
     * AST -> JSON does): the same scope, which the bridge sees as `in A` */
    if (back && p->body->action.op == CD_SCOPE_IN_SET && p->body->action.n_uids == 1 &&
        back->body->action.op == CD_SCOPE_IN) {
        back->body->action.op = CD_SCOPE_IN_SET;
        back->body->action.n_uids = 1;
        back->body->action.uids = &back->body->action.uid;
    }
    if (!back) {
        failf(r, "%s: core cannot read its policy JSON: %s\n%s", id, e.message, text);
    } else if (!text2 || strcmp(text, text2) != 0) {
        failf(r, "%s: policy JSON changes when read back:\n%s\n%s", id, text,
              text2 ? text2 : "(none)");
    } else if (back->is_template != p->is_template || back->body->effect != p->body->effect ||
               back->body->n_annotations != p->body->n_annotations) {
        failf(r, "%s: policy JSON changes the effect, the annotations or the slots", id);
    } else if (want && (!drt_policy(a, back, &got, &why) || got.effect != want->effect ||
                        !gen_expr_eq(got.condition, want->condition))) {
        failf(r, "%s: policy JSON changes the policy:\n%s", id, text);
    }
    free(text);
    free(text2);
    json_decref(j);
    json_decref(j2);
    cd_err_clear(&e);
    cd_arena_free(arena);
}

/* core's policy (bridged) against the generated one; then core's printer. */
/* The policy printed canonically (no surface variety: level 0) parses to the
 * same policy as the varied text did (want, which the varied text gave).
 * Sugar (`>=`, `!=`, `is T in`, `has a.b`) stays in core's tree, so the two
 * are compared through the bridge, as model structures. */
static void check_canonical(rt *r, m_arena *a, const gen_policy *g, const m_policy *want)
{
    gen_buf canon;
    gen_style plain = {0, 0};
    gen_buf_init(&canon);
    gen_print_policy(&canon, g, &plain);
    cd_arena *arena = cd_arena_new();
    cd_policies ps;
    cd_err e = {0};
    m_policy got;
    const char *why = NULL;
    if (!cd_parse_policies(canon.data, canon.len, "canonical", arena, &ps, &e) || ps.n != 1) {
        failf(r, "%s: core rejects the canonical text: %s\n%.*s", g->id.ptr,
              e.message ? e.message : "(not one policy)", (int)canon.len, canon.data);
    } else if (!drt_policy(a, ps.items[0], &got, &why) || got.effect != want->effect ||
               !gen_expr_eq(got.condition, want->condition)) {
        failf(r, "%s: the canonical and the varied texts parse to different policies:\n%.*s",
              g->id.ptr, (int)canon.len, canon.data);
    }
    cd_err_clear(&e);
    cd_arena_free(arena);
    gen_buf_free(&canon);
}

static void check_policy(rt *r, m_arena *a, const gen_case *c, size_t gi, const cd_policy *p)
{
    const gen_policy *g = &c->policies[gi];
    const gen_policy *src = g->link_of >= 0 ? &c->policies[g->link_of] : g;
    m_policy want = gen_model_policy(a, c, gi), got;
    const char *why = NULL;
    if (!m_str_eq((m_str){p->id.ptr, p->id.len}, g->id)) {
        failf(r, "policy %zu: core calls it %.*s, generated %s", gi, (int)p->id.len, p->id.ptr,
              g->id.ptr);
        return;
    }
    check_annotations(r, p, src);
    if (!drt_policy(a, p, &got, &why)) {
        failf(r, "%s: the bridge cannot take it: %s", g->id.ptr, why);
        return;
    }
    if (got.effect != want.effect) failf(r, "%s: the effect", g->id.ptr);
    if (!gen_expr_eq(got.condition, want.condition))
        failf(r, "%s: core read a different policy than the one printed", g->id.ptr);
    if (g->link_of >= 0 || r->failed) return;
    check_json(r, a, g->id.ptr, p, &want);
    if (r->failed) return;
    /* core's printer: its text parses back to the same policy */
    cd_buf b;
    cd_buf_init(&b);
    cd_policy_print(&b, p);
    cd_arena *arena = cd_arena_new();
    cd_policies again;
    cd_err e = {0};
    if (!cd_parse_policies(b.data, b.len, "printed", arena, &again, &e) || again.n != 1) {
        failf(r, "%s: core cannot parse what its printer wrote: %s\n%s", g->id.ptr,
              e.message ? e.message : "(not one policy)", cd_buf_cstr(&b));
    } else if (!again.items[0]->is_template) {
        m_policy back;
        if (!drt_policy(a, again.items[0], &back, &why) ||
            !gen_expr_eq(back.condition, want.condition) || back.effect != want.effect)
            failf(r, "%s: core's printer changes the policy:\n%s", g->id.ptr, cd_buf_cstr(&b));
    }
    cd_err_clear(&e);
    cd_arena_free(arena);
    cd_buf_free(&b);
    check_canonical(r, a, g, &want);
}

/* The formatter on the whole policy text: see the header comment. */
static void check_format(rt *r, m_arena *a, const gen_case *c, const gen_buf *text,
                         const cd_policies *ps, const uint8_t *data, size_t size)
{
    size_t width = size && data[size - 1] % 2 ? 10 + data[size - 1] % 90 : 80;
    long indent = size > 1 ? data[size - 2] % 5 : 2;
    cd_err e = {0};
    char *once = cd_format_policies(text->data, text->len, "policies", width, indent, &e);
    if (!once) {
        failf(r, "the formatter refuses the policies (width %zu, indent %ld): %s", width, indent,
              e.message);
        cd_err_clear(&e);
        return;
    }
    char *twice = cd_format_policies(once, strlen(once), "formatted", width, indent, &e);
    cd_arena *arena = cd_arena_new();
    cd_policies back;
    size_t n = 0;
    for (size_t i = 0; i < c->n_policies; i++)
        n += c->policies[i].link_of < 0;
    if (!twice || strcmp(once, twice) != 0) {
        failf(r, "formatting is not idempotent (width %zu, indent %ld):\n%s\n---\n%s", width,
              indent, once, twice ? twice : e.message);
    } else if (!cd_parse_policies(once, strlen(once), "formatted", arena, &back, &e) ||
               back.n != n || ps->n < n) {
        failf(r, "the formatted policies do not parse to as many policies: %s\n%s",
              e.message ? e.message : "", once);
    }
    for (size_t i = 0; i < n && !r->failed; i++) {
        cd_buf x, y;
        cd_buf_init(&x);
        cd_buf_init(&y);
        cd_policy_print(&x, ps->items[i]);
        cd_policy_print(&y, back.items[i]);
        m_policy got, want;
        const char *why = NULL;
        if (strcmp(cd_buf_cstr(&x), cd_buf_cstr(&y)) != 0)
            failf(r, "%s: the formatter changes the policy:\n%s", c->policies[i].id.ptr, once);
        else if (!c->policies[i].is_template &&
                 (!drt_policy(a, back.items[i], &got, &why) ||
                  (want = gen_model_policy(a, c, i), got.effect != want.effect) ||
                  !gen_expr_eq(got.condition, want.condition)))
            failf(r, "%s: the formatted policy is not the generated one:\n%s",
                  c->policies[i].id.ptr, once);
        cd_buf_free(&x);
        cd_buf_free(&y);
    }
    cd_err_clear(&e);
    cd_arena_free(arena);
    free(once);
    free(twice);
}

/* Policy JSON printed by the generator from the model's expressions (varied
 * forms, gen_print_policy_json.c): core reads it to the same policies,
 * templates and links as the Cedar text (compared through the bridge, by
 * id); the same JSON with a defect planted must be rejected with an error. */
static void check_policy_json(rt *r, m_arena *a, const gen_case *c, const cd_policies *text_ps)
{
    gen_style st;
    gen_style_init(&st, c->style ^ 0x5851f42d4c957f2dull);
    gen_buf b;
    gen_buf_init(&b);
    bool alone;
    size_t depth = gen_print_policies_json(&b, c, &st, 0, &alone);
    cedar_error err = {0};
    cedar_policy_set *ps = cedar_policy_set_from_json(b.data, b.len, "policies.json", &err);
    if (!ps) {
        char *m = cedar_error_format(&err);
        if (depth < CD_JSON_MAX_NESTING) /* deeper JSON is refused by the reader */
            failf(r, "core rejects the generated policy JSON: %s\n%s", m, gen_buf_cstr(&b));
        free(m);
    } else if (ps->all.len != c->n_policies) {
        failf(r, "policy JSON: core has %zu policies, generated %zu\n%s", ps->all.len,
              c->n_policies, gen_buf_cstr(&b));
    }
    for (size_t k = 0; ps && k < ps->all.len && !r->failed; k++) {
        cd_policy *p = CD_VEC_AT(&ps->all, cd_policy *, k);
        size_t gi = 0;
        while (!alone && gi < c->n_policies &&
               !m_str_eq((m_str){p->id.ptr, p->id.len}, c->policies[gi].id))
            gi++;
        if (gi == c->n_policies) {
            failf(r, "policy JSON: core read a policy %.*s that was not generated\n%s",
                  (int)p->id.len, p->id.ptr, gen_buf_cstr(&b));
            break;
        }
        const gen_policy *g = &c->policies[gi];
        if (p->is_template != g->is_template) {
            failf(r, "policy JSON: %s: template or not", g->id.ptr);
            break;
        }
        check_annotations(r, p, g->link_of >= 0 ? &c->policies[g->link_of] : g);
        /* a template is compared with core's reading of the text, both with
         * the same values in their slots */
        cd_policy tp, jp = *p;
        if (g->is_template) {
            tp = *text_ps->items[gi];
            cd_uid u = {cd_name_intern(ps->arena, "Slot", 4), {"s", 1}, 0};
            tp.has_principal_slot = jp.has_principal_slot = true;
            tp.has_resource_slot = jp.has_resource_slot = true;
            tp.principal_slot = tp.resource_slot = jp.principal_slot = jp.resource_slot = u;
        }
        m_policy got, want;
        const char *why = NULL;
        if (g->is_template && !drt_policy(a, &tp, &want, &why))
            failf(r, "policy JSON: %s: the bridge cannot take the template: %s", g->id.ptr, why);
        else if (!g->is_template)
            want = gen_model_policy(a, c, gi);
        if (!r->failed && (!drt_policy(a, &jp, &got, &why) || got.effect != want.effect ||
                           !gen_expr_eq(got.condition, want.condition)))
            failf(r, "policy JSON: %s: core read a different policy than the one printed\n%s",
                  g->id.ptr, gen_buf_cstr(&b));
    }
    cedar_policy_set_free(ps);
    cedar_error_clear(&err);
    /* the same with a defect */
    gen_buf_reset(&b);
    gen_style_init(&st, c->style ^ 0x2c1b3c6dd1b2e4f5ull);
    unsigned defect = 1 + (unsigned)(c->style >> 8) % 997;
    gen_print_policies_json(&b, c, &st, defect, &alone);
    ps = cedar_policy_set_from_json(b.data, b.len, "bad.json", &err);
    if (ps)
        failf(r, "policy JSON: core accepts a defect (%u):\n%s", defect, gen_buf_cstr(&b));
    else if (!err.message || !err.message[0])
        failf(r, "policy JSON: a defect rejected without a message:\n%s", gen_buf_cstr(&b));
    cedar_policy_set_free(ps);
    cedar_error_clear(&err);
    gen_buf_free(&b);
}

/* ---- texts Cedar rejects ------------------------------------------------------ */

/* A JSON string holding u in Cedar syntax; false when its id has
 * characters the normalized form escapes. */
static bool json_uid_text(gen_buf *b, m_uid u)
{
    gen_buf t;
    gen_buf_init(&t);
    bool ok = gen_print_uid_normalized(&t, u);
    if (ok) gen_json_string(b, (m_str){t.data, t.len}, &(gen_style){0, 0});
    gen_buf_free(&t);
    return ok;
}

/* Each of these texts must be rejected with a message, never accepted:
 *  - a policy with a token where `principal` must come (every token kind,
 *    the end of input included: the parser names what it found);
 *  - requests against the schema whose action is not declared (with and
 *    without a context), whose principal's type is not declared, whose
 *    principal is not one of an enumerated type's ids, and a context that
 *    is not a record. */
static void check_rejected(rt *r, const gen_case *c, const drt_core *k)
{
    static const char *const toks[] = {
        "$",      "x",        "true",    "false",      "if",        "permit", "forbid", "when",
        "unless", "in",       "has",     "like",       "is",        "then",   "else",   "principal",
        "action", "resource", "context", "?principal", "?resource", "?other", "1",      "\"s\"",
        "@",      ".",        ",",       ";",          ":",         "::",     "(",      ")",
        "{",      "}",        "[",       "]",          "==",        "!=",     "<",      "<=",
        ">=",     ">",        "||",      "&&",         "+",         "-",      "*",      "/",
        "%",      "!",        "=",       NULL /* the end of input */};
    size_t n_toks = sizeof toks / sizeof toks[0];
    const char *tok = toks[(c->style >> 12) % n_toks];
    gen_buf b;
    gen_buf_init(&b);
    gen_buf_puts(&b, "permit(");
    if (tok) gen_buf_printf(&b, "%s principal, action, resource);", tok);
    cedar_error err = {0};
    cedar_policy_set *ps = cedar_policy_set_parse(b.data, b.len, "bad.cedar", &err);
    if (ps || !err.message) failf(r, "core accepts a policy that cannot parse: %s", b.data);
    cedar_policy_set_free(ps);
    cedar_error_clear(&err);
    /* requests */
    const m_request *rq = &c->requests[0].r;
    int which = (int)((c->style >> 18) % 5);
    int e = -1;
    for (size_t i = 0; i < c->schema.n_etypes && e < 0; i++)
        if (c->schema.etypes[i].n_enum) e = (int)i;
    if (which == 3 && e < 0) which = 2;
    gen_buf_reset(&b);
    gen_buf_puts(&b, "{\"principal\": ");
    bool ok = true;
    if (which == 2)
        gen_buf_puts(&b, "\"Undeclared__T::\\\"x\\\"\"");
    else if (which == 3)
        ok = json_uid_text(&b, (m_uid){c->schema.etypes[e].name, {"__no_such_id", 12}});
    else
        ok = json_uid_text(&b, rq->principal);
    gen_buf_puts(&b, ", \"action\": ");
    if (which < 2)
        gen_buf_puts(&b, "\"Action::\\\"__undeclared\\\"\"");
    else
        ok = ok && json_uid_text(&b, rq->action);
    gen_buf_puts(&b, ", \"resource\": ");
    ok = ok && json_uid_text(&b, rq->resource);
    if (which != 1) gen_buf_puts(&b, which == 4 ? ", \"context\": [1]" : ", \"context\": {}");
    gen_buf_putc(&b, '}');
    if (!ok) {
        gen_buf_free(&b);
        return;
    }
    const cedar_schema *schema = which == 4 ? NULL : k->schema;
    cedar_request *q = cedar_request_parse_json(b.data, b.len, schema, true, "bad.json", &err);
    if (q || !err.message) failf(r, "core accepts an invalid request: %s", b.data);
    cedar_request_free(q);
    cedar_error_clear(&err);
    gen_buf_free(&b);
}

/* rec with one more field, `__extra_attr`: 1 (a copy). */
static m_value with_extra(m_arena *a, m_value rec)
{
    size_t n = rec.u.rec.n;
    m_str *keys = m_alloc(a, (n + 1) * sizeof *keys);
    m_value *vals = m_alloc(a, (n + 1) * sizeof *vals);
    for (size_t i = 0; i < n; i++)
        keys[i] = rec.u.rec.fields[i].key, vals[i] = rec.u.rec.fields[i].val;
    keys[n] = (m_str){"__extra_attr", 12};
    vals[n] = m_int(1);
    return m_record_of(a, n + 1, keys, vals);
}

/* Both entity readers on one text: the same store or the same error. */
static void check_entity_readers(rt *r, const char *what, const gen_buf *text,
                                 const cedar_schema *schema)
{
    char *d = cd_entities_readers_differ(text->data, text->len, schema ? schema->s : NULL);
    if (d) failf(r, "%s: the direct reader and jansson's path differ: %s", what, d);
    free(d);
}

/* Entities that break the schema must be rejected with a message: an
 * entity of an enumerated type with an id not declared, an action the
 * schema does not declare, an entity whose attributes (or a record among
 * them, so the message gives the path) have one attribute too many. */
static void check_rejected_entities(rt *r, m_arena *a, const gen_case *c, const drt_core *k)
{
    if (c->invalid || c->schemaless) return;
    int which = (int)((c->style >> 24) % 3), e = -1;
    for (size_t i = 0; i < c->schema.n_etypes && e < 0; i++)
        if (c->schema.etypes[i].n_enum) e = (int)i;
    if (which == 0 && e < 0) which = 1;
    if (which == 2 && c->n_data == 0) which = 1;
    gen_case cc = *c;
    m_entity bad = {0};
    bad.attrs = bad.tags = m_record_of(a, 0, NULL, NULL);
    if (which == 0) {
        bad.uid = (m_uid){c->schema.etypes[e].name, {"__no_such_id", 12}};
    } else if (which == 1) {
        bad.uid = (m_uid){c->schema.actions[0].uid.type, {"__undeclared", 12}};
    } else {
        bad = c->entities.items[0];
        m_value attrs = bad.attrs;
        size_t f = 0;
        while (f < attrs.u.rec.n && attrs.u.rec.fields[f].val.kind != M_V_RECORD)
            f++;
        if (f == attrs.u.rec.n) {
            bad.attrs = with_extra(a, attrs);
        } else { /* inside the first record-valued attribute */
            size_t n = attrs.u.rec.n;
            m_str *keys = m_alloc(a, (n + 1) * sizeof *keys);
            m_value *vals = m_alloc(a, (n + 1) * sizeof *vals);
            for (size_t i = 0; i < n; i++)
                keys[i] = attrs.u.rec.fields[i].key, vals[i] = attrs.u.rec.fields[i].val;
            vals[f] = with_extra(a, vals[f]);
            bad.attrs = m_record_of(a, n, keys, vals);
        }
    }
    cc.entities.items = &bad;
    cc.entities.n = cc.n_data = 1;
    gen_style st;
    gen_style_init(&st, c->style ^ 0x7f4a7c159e3779b9ull);
    gen_buf b;
    gen_buf_init(&b);
    gen_json_entities(&b, &cc, &st);
    cedar_error err = {0};
    cedar_entities *es = cedar_entities_parse(b.data, b.len, k->schema, "bad.json", &err);
    if (es || !err.message) failf(r, "core accepts entities that break the schema: %s", b.data);
    if (!r->failed) check_entity_readers(r, "rejected entities", &b, k->schema);
    cedar_entities_free(es);
    cedar_error_clear(&err);
    gen_buf_free(&b);
}

static bool uid_set_eq(size_t n, const m_uid *x, size_t m, const m_uid *y)
{
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < m && !found; k++)
            found = m_uid_eq(x[i], y[k]);
        if (!found) return false;
    }
    for (size_t k = 0; k < m; k++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = m_uid_eq(x[i], y[k]);
        if (!found) return false;
    }
    return true;
}

static void check_entities(rt *r, m_arena *a, const gen_case *c, const cedar_entities *es)
{
    m_entities got = drt_entities(a, es->es);
    if (got.n != c->entities.n)
        failf(r, "entities: core has %zu, generated %zu (with the actions)", got.n, c->entities.n);
    for (size_t i = 0; i < c->entities.n && !r->failed; i++) {
        const m_entity *w = &c->entities.items[i], *g = NULL;
        for (size_t k = 0; k < got.n && !g; k++)
            if (m_uid_eq(got.items[k].uid, w->uid)) g = &got.items[k];
        if (!g) {
            failf(r, "entities: core lacks %s::\"%s\"", w->uid.type.ptr, w->uid.id.ptr);
            break;
        }
        if (!same_value(g->attrs, w->attrs))
            failf(r, "entities: the attributes of %s::\"%s\"", w->uid.type.ptr, w->uid.id.ptr);
        if (!same_value(g->tags, w->tags))
            failf(r, "entities: the tags of %s::\"%s\"", w->uid.type.ptr, w->uid.id.ptr);
        if (!uid_set_eq(g->n_parents, g->parents, w->n_parents, w->parents))
            failf(r, "entities: the parents of %s::\"%s\"", w->uid.type.ptr, w->uid.id.ptr);
    }
}

static void check_request(rt *r, m_arena *a, const gen_case *c, size_t i, const cedar_request *rq)
{
    m_request got = drt_request(a, &rq->rq);
    const m_request *w = &c->requests[i].r;
    if (!m_uid_eq(got.principal, w->principal) || !m_uid_eq(got.action, w->action) ||
        !m_uid_eq(got.resource, w->resource))
        failf(r, "request %zu: principal, action or resource", i);
    else if (!same_value(got.context, w->context))
        failf(r, "request %zu: the context", i);
}

/* Both request readers on request i's texts (the tests' format, and the
 * CLI's when there is one): the same request or the same error. */
static void check_request_readers(rt *r, const gen_case *c, const gen_texts *t, size_t i,
                                  const cedar_schema *schema)
{
    const cedar_schema *s = c->schemaless ? NULL : schema;
    for (int cli = 0; cli < 2 && !r->failed; cli++) {
        const gen_buf *text = cli ? &t->requests_cli[i] : &t->requests[i];
        if (!text->len) continue;
        char *d =
            drt_request_readers_differ(text->data, text->len, cli, c->requests[i].validate, s);
        if (d)
            failf(r, "request %zu (%s format): the readers differ: %s", i, cli ? "CLI" : "tests'",
                  d);
        free(d);
    }
}

static void run(const uint8_t *data, size_t size, FILE *print_to)
{
    drt_setup s;
    drt_setup_case(&s, drt_case_roundtrip, data, size);
    rt r = {0};
    if (!s.loaded) {
        failf(&r, "%s", s.why);
    } else {
        /* the other schema format */
        gen_emit_other_schema(&s.t, &s.c);
        cedar_error err = {0};
        cedar_schema *other = cedar_schema_parse(
            s.t.schema_other.data, s.t.schema_other.len,
            s.t.schema_is_json ? CEDAR_SCHEMA_TEXT : CEDAR_SCHEMA_JSON, "other schema", &err);
        if (!other) {
            char *m = cedar_error_format(&err);
            failf(&r, "core rejects the schema in the %s format: %s",
                  s.t.schema_is_json ? "text" : "JSON", m);
            free(m);
        }
        cedar_error_clear(&err);
        check_schema(&r, s.t.schema_is_json ? "JSON" : "text", s.k.schema->s, &s.c.schema);
        if (other) check_schema(&r, s.t.schema_is_json ? "text" : "JSON", other->s, &s.c.schema);
        cedar_schema_free(other);
        /* policies: the parsed ones in order, then the links */
        const cd_policies *ps = &s.k.ps->view;
        if (ps->n != s.c.n_policies)
            failf(&r, "core has %zu policies, generated %zu", ps->n, s.c.n_policies);
        for (size_t i = 0; i < s.c.n_policies && !r.failed; i++) {
            if (ps->items[i]->is_template != s.c.policies[i].is_template)
                failf(&r, "%s: template or not", s.c.policies[i].id.ptr);
            else if (!s.c.policies[i].is_template)
                check_policy(&r, s.a, &s.c, i, ps->items[i]);
            else
                check_json(&r, s.a, s.c.policies[i].id.ptr, ps->items[i], NULL);
        }
        if (!r.failed) check_format(&r, s.a, &s.c, &s.t.policies, ps, data, size);
        if (!r.failed) check_policy_json(&r, s.a, &s.c, ps);
        if (!r.failed) check_rejected(&r, &s.c, &s.k);
        if (!r.failed) check_rejected_entities(&r, s.a, &s.c, &s.k);
        check_entities(&r, s.a, &s.c, s.k.es);
        if (!r.failed)
            check_entity_readers(&r, "entities", &s.t.entities, s.c.schemaless ? NULL : s.k.schema);
        for (size_t i = 0; i < s.c.n_requests && !r.failed; i++)
            check_request(&r, s.a, &s.c, i, s.k.requests[i]);
        for (size_t i = 0; i < s.c.n_requests && !r.failed; i++)
            check_request_readers(&r, &s.c, &s.t, i, s.k.schema);
    }
    if (print_to) {
        drt_print_texts(print_to, &s.c, &s.t);
        fprintf(print_to, "=== roundtrip: %s\n", r.failed ? r.what : "all equal");
    } else if (r.failed) {
        drt_fail("roundtrip", &s.c, &s.t, r.what, NULL);
    }
    drt_setup_free(&s);
}

DRT_TARGET_FROM_RUN(roundtrip, run)
