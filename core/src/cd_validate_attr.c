/* cd_validate_attr.c: attributes and tags of entity and record types (the
 * official Type::lookup_attribute_type, may_have_attr, EntityLUB::
 * get_attribute_types and the typechecker's tag_types).
 */
#include "cd_validate_int.h"

/* The attributes of an entity union: those of its only type, or the
 * attributes every type has, with the (permissive) lub of their types. An
 * undeclared type (an action type) has none. */
static cd_vrec lub_attrs(cd_tc *tc, const cd_vlub *l)
{
    cd_vrec acc = {0, NULL, false};
    for (size_t i = 0; i < l->n; i++) {
        const cd_vent *e = cd_vschema_ent(tc->vs, l->names[i]);
        cd_vrec r = e ? e->attrs : (cd_vrec){0, NULL, false};
        acc = i == 0 ? r : cd_vt_rec_permissive_lub(tc->arena, acc, r);
    }
    return acc;
}

bool cd_tc_attrs_of(cd_tc *tc, const cd_vtype *t, cd_vrec *out)
{
    if (t->kind == CD_VT_RECORD) {
        *out = t->u.rec;
        return true;
    }
    if (t->kind == CD_VT_ENTITY) {
        *out = lub_attrs(tc, &t->u.lub);
        return true;
    }
    return false;
}

const cd_vattr *cd_tc_attr(cd_tc *tc, const cd_vtype *t, cd_str name)
{
    cd_vrec r;
    return cd_tc_attrs_of(tc, t, &r) ? cd_vt_rec_get(&r, name) : NULL;
}

/* May an entity of one of these types have attributes the schema does not
 * list? (Undeclared types: unknown, so yes; action types never have any.) */
static bool open_entity(cd_tc *tc, const cd_vlub *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (cd_vschema_is_action_type(l->names[i])) continue;
        const cd_vent *e = cd_vschema_ent(tc->vs, l->names[i]);
        if (!e || e->attrs.open) return true;
    }
    return false;
}

bool cd_tc_may_have_attr(cd_tc *tc, const cd_vtype *t, cd_str name)
{
    switch (t->kind) {
    case CD_VT_NEVER:
    case CD_VT_ANY_ENTITY: return true;
    case CD_VT_ENTITY:
        if (open_entity(tc, &t->u.lub)) return true;
        for (size_t i = 0; i < t->u.lub.n; i++) {
            const cd_vent *e = cd_vschema_ent(tc->vs, t->u.lub.names[i]);
            if (e && cd_vt_rec_get(&e->attrs, name)) return true;
        }
        return false;
    case CD_VT_RECORD: return t->u.rec.open || cd_vt_rec_get(&t->u.rec, name);
    default: return false;
    }
}

size_t cd_tc_tag_types(cd_tc *tc, const cd_vtype *t, const cd_vtype ***out)
{
    const cd_schema *s = tc->vs->s;
    size_t cap = t->kind == CD_VT_ENTITY ? t->u.lub.n : s->n_entities;
    const cd_vtype **v = CD_NEW_ARRAY(tc->arena, const cd_vtype *, cap ? cap : 1);
    size_t n = 0;
    if (t->kind == CD_VT_ENTITY) {
        for (size_t i = 0; i < t->u.lub.n; i++) {
            const cd_vent *e = cd_vschema_ent(tc->vs, t->u.lub.names[i]);
            if (e && e->tags) v[n++] = e->tags;
        }
    } else if (t->kind == CD_VT_ANY_ENTITY) {
        for (size_t i = 0; i < s->n_entities; i++)
            if (tc->vs->ents[i].tags) v[n++] = tc->vs->ents[i].tags;
    }
    *out = v;
    return n;
}
