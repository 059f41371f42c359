/* gen_invalid.c: deliberately invalid data, which the production engine must
 * reject: each change below breaks one rule of schema conformance that the
 * official entity and request parsers enforce. */
#include <string.h>

#include "gen_int.h"

static m_value without_field(m_arena *a, m_value rec, size_t skip)
{
    m_str *keys = m_alloc(a, (rec.u.rec.n + 1) * sizeof *keys);
    m_value *vals = m_alloc(a, (rec.u.rec.n + 1) * sizeof *vals);
    size_t n = 0;
    for (size_t i = 0; i < rec.u.rec.n; i++) {
        if (i == skip) continue;
        keys[n] = rec.u.rec.fields[i].key;
        vals[n++] = rec.u.rec.fields[i].val;
    }
    return m_record_of(a, n, keys, vals);
}

static m_value with_field(m_arena *a, m_value rec, m_str key, m_value v)
{
    m_str *keys = m_alloc(a, (rec.u.rec.n + 2) * sizeof *keys);
    m_value *vals = m_alloc(a, (rec.u.rec.n + 2) * sizeof *vals);
    for (size_t i = 0; i < rec.u.rec.n; i++) {
        keys[i] = rec.u.rec.fields[i].key;
        vals[i] = rec.u.rec.fields[i].val;
    }
    keys[rec.u.rec.n] = key;
    vals[rec.u.rec.n] = v;
    return m_record_of(a, rec.u.rec.n + 1, keys, vals);
}

static const gen_attr *declared(const gen_type *shape, m_str key)
{
    for (size_t i = 0; i < shape->n; i++)
        if (m_str_eq(shape->attrs[i].name, key)) return &shape->attrs[i];
    return NULL;
}

/* A value of another kind than t (a string for Long, else a long). */
static m_value other_kind(const gen_type *t)
{
    return t->kind == GEN_T_LONG ? m_string(m_str_c("not a number")) : m_int(7);
}

/* A copy of the entities array (the case's is shared). */
static m_entity *copy_entities(m_arena *a, gen_case *c, size_t extra)
{
    m_entity *items = m_alloc(a, (c->entities.n + extra + 1) * sizeof *items);
    memcpy(items, c->entities.items, c->entities.n * sizeof *items);
    c->entities.items = items;
    return items;
}

/* The rules broken: of an entity, then of a request. */
typedef enum break_kind {
    BREAK_REQUIRED_ATTR,
    BREAK_UNDECLARED_ATTR,
    BREAK_ATTR_TYPE,
    BREAK_PARENT_TYPE,
    BREAK_ENTITY_TYPE,
    BREAK_DUPLICATE_UID,
    BREAK_ENUM_ID,
    BREAK_ATTR_ENTITY_TYPE,
    BREAK_NESTED,
    BREAK_TAG,
    BREAK_ACTION_PARENT,
    BREAK_ACTION_ENTITY,
    BREAK_PRINCIPAL_TYPE, /* the first of a request */
    BREAK_CONTEXT_ATTR,
    BREAK_CONTEXT_NESTED,
} break_kind;

/* The index of an entity type other than not, and not enumerated; -1 if none. */
static int other_etype(const gen_schema *s, int not )
{
    for (size_t t = 0; t < s->n_etypes; t++)
        if ((int)t != not &&!s->etypes[t].n_enum) return (int)t;
    return -1;
}

/* v, a value of type t, broken at some place inside it (the value itself, a
 * record's attribute, a set's element, at any depth): a value of another
 * kind, an entity of another type or an id outside an enumeration, a record
 * lacking a required attribute or with an undeclared one. Core's checks of
 * nested values (and the paths in their messages) are reached only this
 * way. False when t offers nothing to break. */
static bool break_inside(m_arena *a, gen_src *src, const gen_schema *s, const gen_type *t,
                         m_value v, unsigned depth, m_value *out)
{
    switch (t->kind) {
    case GEN_T_RECORD: {
        if (v.kind != M_V_RECORD) return false;
        GEN_ONE_OF (src) {
            GEN_OR (v.u.rec.n && depth < 6 ? 3 : 0) { /* deeper, in one of its attributes */
                size_t k = gen_pick(src, v.u.rec.n);
                const gen_attr *at = declared(t, v.u.rec.fields[k].key);
                m_value inner;
                if (!at ||
                    !break_inside(a, src, s, at->type, v.u.rec.fields[k].val, depth + 1, &inner))
                    break;
                *out = with_field(a, without_field(a, v, k), at->name, inner);
                return true;
            }
            GEN_OR (1) { /* a required attribute left out */
                for (size_t k = 0; k < v.u.rec.n; k++) {
                    const gen_attr *at = declared(t, v.u.rec.fields[k].key);
                    if (!at || !at->required) continue;
                    *out = without_field(a, v, k);
                    return true;
                }
                break;
            }
            GEN_OR (1) { /* an undeclared attribute, sometimes not an identifier */
                m_str key = m_str_c(gen_chance(src, 50) ? "undeclared_attr" : "undeclared attr");
                if (declared(t, key)) break;
                *out = with_field(a, v, key, m_bool(true));
                return true;
            }
            GEN_OR (1) { /* not a record at all */
                *out = m_int(7);
                return true;
            }
        }
        return false;
    }
    case GEN_T_SET: {
        if (v.kind != M_V_SET) return false;
        m_value *elems = m_alloc(a, (v.u.set.n + 1) * sizeof *elems);
        memcpy(elems, v.u.set.elems, v.u.set.n * sizeof *elems);
        size_t n = v.u.set.n;
        if (n && gen_chance(src, 75)) { /* one element broken */
            size_t k = gen_pick(src, n);
            if (!break_inside(a, src, s, t->elem, elems[k], depth + 1, &elems[k])) return false;
        } else { /* an element of another kind added */
            elems[n++] = t->elem->kind == GEN_T_LONG ? m_string(m_str_c("x")) : m_int(7);
        }
        *out = m_set_of(a, n, elems);
        return true;
    }
    case GEN_T_ENTITY: {
        const gen_etype *et = &s->etypes[t->ety];
        if (et->n_enum && gen_chance(src, 60)) {
            *out = m_entityv((m_uid){et->name, m_str_c("not_listed")});
            return true;
        }
        int o = other_etype(s, t->ety);
        *out = o >= 0 && gen_chance(src, 70)
                   ? m_entityv((m_uid){s->etypes[o].name, m_str_c("alice")})
                   : m_string(m_str_c("alice"));
        return true;
    }
    default: /* a primitive or extension type: a value of another kind */
        *out = other_kind(t);
        return true;
    }
}

static bool break_entity(gen_case *c, m_arena *a, gen_src *src, break_kind kind)
{
    const gen_schema *s = &c->schema;
    if (c->n_data == 0) return false;
    size_t i = gen_pick(src, c->n_data);
    m_entity e = c->entities.items[i];
    const gen_etype *et = &s->etypes[gen_schema_etype(s, e.uid.type)];
    switch (kind) {
    case BREAK_REQUIRED_ATTR:
        for (size_t k = 0; k < e.attrs.u.rec.n; k++) {
            const gen_attr *at = declared(et->shape, e.attrs.u.rec.fields[k].key);
            if (!at || !at->required) continue;
            e.attrs = without_field(a, e.attrs, k);
            c->invalid = "an entity lacks a required attribute";
            goto done;
        }
        return false;
    case BREAK_UNDECLARED_ATTR:
        e.attrs = with_field(a, e.attrs, m_str_c("undeclared_attr"), m_int(1));
        c->invalid = "an entity has an undeclared attribute";
        goto done;
    case BREAK_ATTR_TYPE:
        for (size_t k = 0; k < e.attrs.u.rec.n; k++) {
            const gen_attr *at = declared(et->shape, e.attrs.u.rec.fields[k].key);
            if (!at || at->type->kind > GEN_T_STRING) continue;
            m_value bad = other_kind(at->type);
            e.attrs = with_field(a, without_field(a, e.attrs, k), at->name, bad);
            c->invalid = "an attribute value has the wrong type";
            goto done;
        }
        return false;
    case BREAK_PARENT_TYPE: { /* memberOf taken transitively */
        bool allowed[16] = {false};
        for (bool grew = true; grew;) { /* the closure, as the official check takes it */
            grew = false;
            for (size_t t = 0; t < s->n_etypes && t < 16; t++) {
                bool reach = false;
                const gen_etype *from = &s->etypes[t];
                if (!(from == et || allowed[t])) continue;
                for (size_t k = 0; k < from->n_member_of; k++)
                    if (!allowed[from->member_of[k]]) allowed[from->member_of[k]] = reach = true;
                grew = grew || reach;
            }
        }
        for (size_t t = 0; t < s->n_etypes && t < 16; t++) {
            if (allowed[t] || s->etypes[t].n_enum) continue;
            m_uid *ps = m_alloc(a, (e.n_parents + 2) * sizeof *ps);
            memcpy(ps, e.parents, e.n_parents * sizeof *ps);
            ps[e.n_parents] = (m_uid){s->etypes[t].name, m_str_c("parent")};
            e.parents = ps;
            e.n_parents++;
            c->invalid = "an entity has a parent of a type its memberOf does not allow";
            goto done;
        }
        return false;
    }
    case BREAK_ENTITY_TYPE:
        e.uid.type = m_str_c("Undeclared");
        c->invalid = "an entity of an undeclared type";
        goto done;
    case BREAK_DUPLICATE_UID: { /* and other attributes */
        m_entity *items = copy_entities(a, c, 1);
        memmove(items + c->n_data + 1, items + c->n_data,
                (c->entities.n - c->n_data) * sizeof *items);
        items[c->n_data] = e;
        items[c->n_data].attrs = with_field(a, e.attrs, m_str_c("undeclared_attr"), m_int(2));
        items[c->n_data].n_parents = 0;
        c->n_data++;
        c->entities.n++;
        c->invalid = "two different entities with one uid";
        return true;
    }
    case BREAK_ATTR_ENTITY_TYPE:
        for (size_t k = 0; k < e.attrs.u.rec.n; k++) {
            const gen_attr *at = declared(et->shape, e.attrs.u.rec.fields[k].key);
            if (!at || at->type->kind != GEN_T_ENTITY) continue;
            for (size_t t = 0; t < s->n_etypes; t++) {
                if ((int)t == at->type->ety || s->etypes[t].n_enum) continue;
                m_value bad = m_entityv((m_uid){s->etypes[t].name, m_str_c("alice")});
                e.attrs = with_field(a, without_field(a, e.attrs, k), at->name, bad);
                c->invalid = "an entity attribute holds an entity of another type";
                goto done;
            }
        }
        return false;
    case BREAK_NESTED: {
        if (!e.attrs.u.rec.n) return false;
        size_t k = gen_pick(src, e.attrs.u.rec.n);
        const gen_attr *at = declared(et->shape, e.attrs.u.rec.fields[k].key);
        m_value bad;
        if (!at || !break_inside(a, src, s, at->type, e.attrs.u.rec.fields[k].val, 0, &bad))
            return false;
        e.attrs = with_field(a, without_field(a, e.attrs, k), at->name, bad);
        c->invalid = "an attribute value is broken inside";
        goto done;
    }
    case BREAK_TAG: {
        if (!et->tags) {
            e.tags = with_field(a, e.tags, m_str_c("undeclared tag"), m_int(7));
            c->invalid = "an entity has tags, but its type declares none";
            goto done;
        }
        if (e.tags.u.rec.n && gen_chance(src, 50)) { /* a tag broken inside */
            size_t k = gen_pick(src, e.tags.u.rec.n);
            m_str key = e.tags.u.rec.fields[k].key;
            m_value bad;
            if (!break_inside(a, src, s, et->tags, e.tags.u.rec.fields[k].val, 0, &bad))
                return false;
            e.tags = with_field(a, without_field(a, e.tags, k), key, bad);
        } else { /* a new tag of another kind */
            e.tags = with_field(a, e.tags, m_str_c("broken tag"), other_kind(et->tags));
        }
        c->invalid = "a tag value has the wrong type";
        goto done;
    }
    case BREAK_ACTION_PARENT: { /* an action uid anywhere must be a declared action */
        m_uid *ps = m_alloc(a, (e.n_parents + 2) * sizeof *ps);
        memcpy(ps, e.parents, e.n_parents * sizeof *ps);
        ps[e.n_parents] = (m_uid){s->action_type, m_str_c("undeclared_action")};
        e.parents = ps;
        e.n_parents++;
        c->invalid = "an entity's parent is an undeclared action";
        goto done;
    }
    case BREAK_ACTION_ENTITY: { /* a declared action in the data, unlike the schema's */
        size_t k = gen_pick(src, s->n_actions);
        m_entity bad = {.uid = s->actions[k].uid,
                        .attrs = m_record_of(a, 0, NULL, NULL),
                        .tags = m_record_of(a, 0, NULL, NULL)};
        if (k == 0 || gen_chance(src, 50)) {
            bad.attrs = with_field(a, bad.attrs, m_str_c("undeclared_attr"), m_int(3));
        } else { /* a parent the schema does not give it: an earlier action */
            m_uid *ps = m_alloc(a, sizeof *ps);
            ps[0] = s->actions[gen_pick(src, k)].uid;
            bad.parents = ps;
            bad.n_parents = 1;
        }
        m_entity *items = copy_entities(a, c, 1);
        memmove(items + c->n_data + 1, items + c->n_data,
                (c->entities.n - c->n_data) * sizeof *items);
        items[c->n_data] = bad;
        c->n_data++;
        c->entities.n++;
        c->invalid = "an action in the data differs from the schema's";
        return true;
    }
    default: /* BREAK_ENUM_ID */
        for (size_t k = 0; k < e.attrs.u.rec.n; k++) {
            const gen_attr *at = declared(et->shape, e.attrs.u.rec.fields[k].key);
            if (!at || at->type->kind != GEN_T_ENTITY || !s->etypes[at->type->ety].n_enum) continue;
            m_value bad = m_entityv((m_uid){s->etypes[at->type->ety].name, m_str_c("not_listed")});
            e.attrs = with_field(a, without_field(a, e.attrs, k), at->name, bad);
            c->invalid = "an attribute refers to an id outside its enumerated type";
            goto done;
        }
        return false;
    }
done:
    copy_entities(a, c, 0)[i] = e;
    return true;
}

static bool break_request(gen_case *c, m_arena *a, gen_src *src, break_kind kind)
{
    const gen_schema *s = &c->schema;
    size_t i = gen_pick(src, c->n_requests);
    if (!c->requests[i].validate) return false;
    gen_request *rs = m_alloc(a, (c->n_requests + 1) * sizeof *rs);
    memcpy(rs, c->requests, c->n_requests * sizeof *rs);
    gen_request *rq = &rs[i];
    const gen_action *act = &s->actions[gen_schema_action(s, rq->r.action)];
    if (kind == BREAK_PRINCIPAL_TYPE) {
        for (size_t t = 0; t < s->n_etypes; t++) {
            bool allowed = false;
            for (size_t k = 0; k < act->n_principals; k++)
                allowed = allowed || act->principals[k] == (int)t;
            if (allowed || s->etypes[t].n_enum) continue;
            rq->r.principal = (m_uid){s->etypes[t].name, m_str_c("alice")};
            c->invalid = "a validated request's principal type is not in appliesTo";
            goto done;
        }
        return false;
    }
    if (kind == BREAK_CONTEXT_NESTED) {
        m_value bad;
        if (!break_inside(a, src, s, act->context, rq->r.context, 0, &bad) ||
            bad.kind != M_V_RECORD)
            return false;
        rq->r.context = bad;
        c->invalid = "a validated request's context is broken inside";
        goto done;
    }
    for (size_t k = 0; k < rq->r.context.u.rec.n; k++) { /* BREAK_CONTEXT_ATTR */
        const gen_attr *at = declared(act->context, rq->r.context.u.rec.fields[k].key);
        if (!at || !at->required) continue;
        rq->r.context = without_field(a, rq->r.context, k);
        c->invalid = "a validated request's context lacks a required attribute";
        goto done;
    }
    return false;
done:
    c->requests = rs;
    c->invalid_request = (int)i;
    return true;
}

bool gen_case_invalidate(gen_case *c, m_arena *a, gen_src *src)
{
    break_kind kind = BREAK_REQUIRED_ATTR;
    GEN_ONE_OF (src) {
        GEN_OR (1) kind = BREAK_REQUIRED_ATTR;    /* a required attribute missing */
        GEN_OR (1) kind = BREAK_UNDECLARED_ATTR;  /* an attribute the shape does not declare */
        GEN_OR (1) kind = BREAK_ATTR_TYPE;        /* a value of the wrong type */
        GEN_OR (1) kind = BREAK_PARENT_TYPE;      /* a parent of a type memberOf does not allow */
        GEN_OR (1) kind = BREAK_ENTITY_TYPE;      /* an undeclared entity type */
        GEN_OR (1) kind = BREAK_DUPLICATE_UID;    /* a second entity with the same uid */
        GEN_OR (1) kind = BREAK_ENUM_ID;          /* an entity reference outside an enumeration */
        GEN_OR (1) kind = BREAK_ATTR_ENTITY_TYPE; /* an attribute's entity of another type */
        GEN_OR (1) kind = BREAK_PRINCIPAL_TYPE;   /* a principal type outside appliesTo */
        GEN_OR (1) kind = BREAK_CONTEXT_ATTR;     /* a required context attribute missing */
        GEN_OR (3) kind = BREAK_NESTED;           /* a value broken inside (any depth) */
        GEN_OR (1) kind = BREAK_TAG;              /* a tag of the wrong type, or undeclared tags */
        GEN_OR (1) kind = BREAK_ACTION_PARENT;    /* a parent that is an undeclared action */
        GEN_OR (1) kind = BREAK_ACTION_ENTITY;    /* an action entity unlike the schema's */
        GEN_OR (2) kind = BREAK_CONTEXT_NESTED;   /* a context broken inside */
    }
    c->invalid_request = -1;
    bool done = kind < BREAK_PRINCIPAL_TYPE ? break_entity(c, a, src, kind)
                                            : break_request(c, a, src, kind);
    if (!done) c->invalid = NULL;
    return done;
}
