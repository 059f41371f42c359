/* validation_common.h: what the `validation` and `validation-sound` targets
 * share: the generated schema as the model's schema (straight from the
 * generator, never through core), the generated case read by core's parsers
 * and validated by core, and the case printed for a report. */
#ifndef DRT_VALIDATION_COMMON_H
#define DRT_VALIDATION_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_ast.h"
#include "cd_schema.h"
#include "cd_validate.h"
#include "gen.h"
#include "m_types.h"

static inline m_type val_type(m_arena *a, const gen_schema *s, const gen_type *t)
{
    static const m_vkind ext[] = {[GEN_T_DECIMAL] = M_V_DECIMAL,
                                  [GEN_T_IPADDR] = M_V_IPADDR,
                                  [GEN_T_DATETIME] = M_V_DATETIME,
                                  [GEN_T_DURATION] = M_V_DURATION};
    m_type out = {.kind = M_T_BOOL, .u.b = M_ANY_BOOL};
    switch (t->kind) {
    case GEN_T_BOOL: break;
    case GEN_T_LONG: out.kind = M_T_LONG; break;
    case GEN_T_STRING: out.kind = M_T_STRING; break;
    case GEN_T_ENTITY:
        out.kind = M_T_ENTITY, out.u.ent.n = 1, out.u.ent.names = &s->etypes[t->ety].name;
        break;
    case GEN_T_SET: {
        m_type *e = m_alloc(a, sizeof *e);
        *e = val_type(a, s, t->elem);
        out.kind = M_T_SET, out.u.elem = e;
        break;
    }
    case GEN_T_RECORD: {
        m_attr_type *attrs = m_alloc(a, (t->n + 1) * sizeof *attrs);
        for (size_t i = 0; i < t->n; i++) {
            m_type *at = m_alloc(a, sizeof *at);
            *at = val_type(a, s, t->attrs[i].type);
            attrs[i] = (m_attr_type){t->attrs[i].name, at, t->attrs[i].required};
        }
        out.kind = M_T_RECORD, out.u.rec.n = t->n, out.u.rec.attrs = attrs;
        break;
    }
    default: out.kind = M_T_EXT, out.u.ext = ext[t->kind]; break;
    }
    return out;
}

static inline m_str *val_names(m_arena *a, const gen_schema *s, size_t n, const int *idx)
{
    m_str *out = m_alloc(a, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = s->etypes[idx[i]].name;
    return out;
}

/* The generated schema as the model's typechecker sees it. */
static inline m_schema val_model_schema(m_arena *a, const gen_schema *s)
{
    m_entity_type *ets = m_alloc(a, (s->n_etypes + 1) * sizeof *ets);
    for (size_t i = 0; i < s->n_etypes; i++) {
        const gen_etype *g = &s->etypes[i];
        m_entity_type *e = &ets[i];
        e->name = g->name;
        e->n_parents = g->n_member_of, e->parents = val_names(a, s, g->n_member_of, g->member_of);
        e->attrs = g->shape ? val_type(a, s, g->shape) : (m_type){.kind = M_T_RECORD};
        if (g->tags) {
            m_type *t = m_alloc(a, sizeof *t);
            *t = val_type(a, s, g->tags);
            e->tags = t;
        }
        e->is_enum = g->n_enum > 0, e->n_eids = g->n_enum, e->eids = g->enum_ids;
    }
    m_action_type *acts = m_alloc(a, (s->n_actions + 1) * sizeof *acts);
    for (size_t i = 0; i < s->n_actions; i++) {
        const gen_action *g = &s->actions[i];
        m_action_type *act = &acts[i];
        act->uid = g->uid;
        m_uid *parents = m_alloc(a, (g->n_member_of + 1) * sizeof *parents);
        for (size_t j = 0; j < g->n_member_of; j++)
            parents[j] = s->actions[g->member_of[j]].uid;
        act->n_parents = g->n_member_of, act->parents = parents;
        if (g->applies) {
            act->n_principals = g->n_principals, act->n_resources = g->n_resources;
            act->principals = val_names(a, s, g->n_principals, g->principals);
            act->resources = val_names(a, s, g->n_resources, g->resources);
        }
        act->context = g->context ? val_type(a, s, g->context) : (m_type){.kind = M_T_RECORD};
    }
    return (m_schema){s->n_etypes, ets, s->n_actions, acts};
}

/* The case as core reads it: its schema and policies parsed from the emitted
 * text, and the core validator's answer in both modes. */
typedef struct val_core {
    cd_arena *arena;
    cd_schema *schema;
    cd_policies ps;
    cd_vresult res[2];  /* [M_STRICT], [M_PERMISSIVE] */
    const char *failed; /* what core could not read (then nothing else is set) */
} val_core;

static inline void val_core_read(val_core *vc, const gen_texts *t)
{
    cd_err err = {0};
    memset(vc, 0, sizeof *vc);
    vc->arena = cd_arena_new();
    const gen_buf *sb = &t->schema;
    vc->schema = t->schema_is_json ? cd_schema_parse_json(sb->data, sb->len, "schema", &err)
                                   : cd_schema_parse_text(sb->data, sb->len, "schema", &err);
    if (!vc->schema)
        vc->failed = "the schema";
    else if (!cd_parse_policies(t->policies.data, t->policies.len, "policies", vc->arena, &vc->ps,
                                &err))
        vc->failed = "the policies";
    cd_err_clear(&err);
    if (vc->failed) return;
    cd_validate(vc->schema, &vc->ps, CD_VMODE_STRICT, vc->arena, &vc->res[M_STRICT]);
    cd_validate(vc->schema, &vc->ps, CD_VMODE_PERMISSIVE, vc->arena, &vc->res[M_PERMISSIVE]);
}

static inline void val_core_free(val_core *vc)
{
    cd_schema_free(vc->schema);
    cd_arena_free(vc->arena);
}

/* Core's verdict on the policy with this id in mode m, or NULL when core has
 * no such policy. */
static inline const cd_vpolicy *val_core_policy(const val_core *vc, m_mode m, m_str id)
{
    const cd_vresult *r = &vc->res[m];
    for (size_t i = 0; i < r->n; i++)
        if (r->policies[i].policy->id.len == id.len &&
            memcmp(r->policies[i].policy->id.ptr, id.ptr, id.len) == 0)
            return &r->policies[i];
    return NULL;
}

static inline void val_print_core_verdict(FILE *f, const cd_vpolicy *v)
{
    if (!v) {
        fprintf(f, "(no such policy)\n");
        return;
    }
    fprintf(f, "%s%s\n", v->valid ? "valid" : "invalid", v->impossible ? " (impossible)" : "");
    for (size_t i = 0; i < v->n_errors; i++)
        fprintf(f, "      %u:%u %s: %s\n", v->errors[i].loc.line, v->errors[i].loc.column,
                cd_verr_kind_name(v->errors[i].kind), v->errors[i].message);
}

/* The case's schema and policies, as emitted. */
static inline void val_print_case(FILE *f, const gen_texts *t)
{
    fprintf(f, "--- schema (%s) ---\n%.*s\n", t->schema_is_json ? "JSON" : "Cedar",
            (int)t->schema.len, t->schema.data);
    if (t->schema_is_json)
        fprintf(f, "--- schema (Cedar) ---\n%.*s\n", (int)t->schema_other.len,
                t->schema_other.data);
    fprintf(f, "--- policies ---\n%.*s\n", (int)t->policies.len, t->policies.data);
}

static inline const char *val_mode_name(m_mode m)
{
    return m == M_STRICT ? "strict" : "permissive";
}

/* A validation target's check of a case: true when it holds. Prints every
 * verdict to out (all), or only the first counterexample. */
typedef bool val_judge_fn(const gen_case *c, const gen_texts *t, m_arena *a, FILE *out, bool all);

/* The case that build makes of the input, emitted and judged: with print_to,
 * the case and every verdict are printed to it; without, a counterexample
 * is printed to stderr and aborts. */
static inline void val_run(const uint8_t *data, size_t size, FILE *print_to,
                           bool (*build)(const uint8_t *, size_t, m_arena *, gen_case *),
                           val_judge_fn *judge)
{
    m_arena *a = m_arena_new();
    gen_case c;
    build(data, size, a, &c);
    gen_texts t;
    gen_emit_case(&t, &c);
    if (print_to) val_print_case(print_to, &t);
    if (!judge(&c, &t, a, print_to ? print_to : stderr, print_to != NULL) && !print_to) abort();
    gen_texts_free(&t);
    m_arena_free(a);
}

#endif
