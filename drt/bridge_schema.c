/* bridge_schema.c: core's parsed schema (cd_schema) as the model's schema
 * (m_types.h), for the model's typechecker. */
#include "bridge.h"
#include "cd_schema.h"

static m_str name_str(const cd_name *n)
{
    return (m_str){n->text, n->len};
}

static const m_str *names(m_arena *a, size_t n, const cd_name *const *ns)
{
    m_str *out = m_alloc(a, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = name_str(ns[i]);
    return out;
}

static m_type type_of(m_arena *a, const cd_type *t);

static m_type record_type(m_arena *a, const cd_record_type *r)
{
    m_type t = {.kind = M_T_RECORD};
    m_attr_type *attrs = m_alloc(a, (r->n + 1) * sizeof *attrs);
    for (size_t i = 0; i < r->n; i++) {
        m_type *ty = m_alloc(a, sizeof *ty);
        *ty = type_of(a, r->attrs[i].type);
        attrs[i] =
            (m_attr_type){{r->attrs[i].name.ptr, r->attrs[i].name.len}, ty, r->attrs[i].required};
    }
    t.u.rec.n = r->n, t.u.rec.attrs = attrs, t.u.rec.open = r->open;
    return t;
}

static m_type type_of(m_arena *a, const cd_type *t)
{
    static const m_vkind ext[] = {[CD_EXT_DECIMAL] = M_V_DECIMAL,
                                  [CD_EXT_IPADDR] = M_V_IPADDR,
                                  [CD_EXT_DATETIME] = M_V_DATETIME,
                                  [CD_EXT_DURATION] = M_V_DURATION};
    m_type out = {.kind = M_T_BOOL, .u.b = M_ANY_BOOL};
    switch (t->kind) {
    case CD_T_BOOL: break;
    case CD_T_LONG: out.kind = M_T_LONG; break;
    case CD_T_STRING: out.kind = M_T_STRING; break;
    case CD_T_ENTITY:
        out.kind = M_T_ENTITY, out.u.ent.n = 1, out.u.ent.names = names(a, 1, &t->u.entity);
        break;
    case CD_T_SET: {
        m_type *e = m_alloc(a, sizeof *e);
        *e = type_of(a, t->u.elem);
        out.kind = M_T_SET, out.u.elem = e;
        break;
    }
    case CD_T_RECORD: out = record_type(a, &t->u.rec); break;
    case CD_T_EXT: out.kind = M_T_EXT, out.u.ext = ext[t->u.ext]; break;
    }
    return out;
}

void drt_schema(m_arena *a, const cd_schema *s, m_schema *out)
{
    m_entity_type *ets = m_alloc(a, (s->n_entities + 1) * sizeof *ets);
    for (size_t i = 0; i < s->n_entities; i++) {
        const cd_entity_decl *d = &s->entities[i];
        m_entity_type *e = &ets[i];
        e->name = name_str(d->name);
        e->n_parents = d->n_member_of, e->parents = names(a, d->n_member_of, d->member_of);
        e->attrs = record_type(a, &d->shape);
        if (d->tags) {
            m_type *t = m_alloc(a, sizeof *t);
            *t = type_of(a, d->tags);
            e->tags = t;
        }
        e->is_enum = d->is_enum, e->n_eids = d->n_enum;
        m_str *ids = m_alloc(a, (d->n_enum + 1) * sizeof *ids);
        for (size_t j = 0; j < d->n_enum; j++)
            ids[j] = (m_str){d->enum_ids[j].ptr, d->enum_ids[j].len};
        e->eids = ids;
    }
    m_action_type *acts = m_alloc(a, (s->n_actions + 1) * sizeof *acts);
    for (size_t i = 0; i < s->n_actions; i++) {
        const cd_action_decl *d = &s->actions[i];
        m_action_type *act = &acts[i];
        act->uid = drt_uid(d->uid);
        m_uid *parents = m_alloc(a, (d->n_member_of + 1) * sizeof *parents);
        for (size_t j = 0; j < d->n_member_of; j++)
            parents[j] = drt_uid(d->member_of[j]);
        act->n_parents = d->n_member_of, act->parents = parents;
        if (d->has_applies_to) { /* without appliesTo an action applies to no request */
            act->n_principals = d->n_principals, act->n_resources = d->n_resources;
            act->principals = names(a, d->n_principals, d->principals);
            act->resources = names(a, d->n_resources, d->resources);
        }
        act->context = d->context ? type_of(a, d->context) : (m_type){.kind = M_T_RECORD};
    }
    *out = (m_schema){s->n_entities, ets, s->n_actions, acts};
}
