/* gen_data.c: values, entities and requests that conform to the schema. */
#include <string.h>

#include "gen_int.h"

/* ---- uids ---------------------------------------------------------------- */

/* A uid of entity type ety: mostly one that exists (so `==`, `in` and
 * attribute access hit), sometimes one from the shared id pool that may not.
 * Enumerated types only get their declared ids unless invalid is allowed. */
m_uid gen_uid_of(gen_ctx *g, int ety, bool invalid_ok)
{
    const gen_etype *e = &g->s->etypes[ety];
    if (e->n_enum) {
        if (invalid_ok && gen_chance(g->src, 10)) return (m_uid){e->name, gen_id(g->src)};
        return (m_uid){e->name, e->enum_ids[gen_pick(g->src, e->n_enum)]};
    }
    if (g->es && !gen_chance(g->src, 20)) {
        size_t count = 0;
        for (size_t i = 0; i < g->n_data; i++)
            count += m_str_eq(g->es->items[i].uid.type, e->name);
        if (count) {
            size_t k = gen_pick(g->src, count);
            for (size_t i = 0; i < g->n_data; i++)
                if (m_str_eq(g->es->items[i].uid.type, e->name) && k-- == 0)
                    return g->es->items[i].uid;
        }
    }
    return (m_uid){e->name, gen_id(g->src)};
}

/* A uid that ety's entities may be `in`: an ancestor of an existing entity of
 * that type (walking up to two parent links), or a uid of a parent type. */
m_uid gen_uid_related(gen_ctx *g, int ety)
{
    const gen_etype *e = &g->s->etypes[ety];
    m_uid u = gen_uid_of(g, ety, false);
    if (gen_chance(g->src, 60) && g->es) {
        for (int steps = (int)gen_range(g->src, 0, 2); steps > 0; steps--) {
            const m_entity *found = NULL;
            for (size_t i = 0; i < g->es->n && !found; i++)
                if (m_uid_eq(g->es->items[i].uid, u)) found = &g->es->items[i];
            if (!found || found->n_parents == 0) break;
            u = found->parents[gen_pick(g->src, found->n_parents)];
        }
        return u;
    }
    if (e->n_member_of && gen_chance(g->src, 70))
        return gen_uid_of(g, e->member_of[gen_pick(g->src, e->n_member_of)], false);
    return u;
}

/* ---- values -------------------------------------------------------------- */

m_value gen_value(gen_ctx *g, const gen_type *t, unsigned depth)
{
    m_value v = {.kind = M_V_BOOL};
    switch (t->kind) {
    case GEN_T_BOOL: return m_bool(gen_chance(g->src, 50));
    case GEN_T_LONG: {
        int64_t i = gen_long(g->src);
        const int64_t lim = INT64_C(1) << 53; /* INT64_MAX becomes 2^53 - 1 */
        return m_int(g->safe_data_longs && (i > lim || i < -lim) ? i % lim : i);
    }
    case GEN_T_STRING: return m_string(gen_string(g));
    case GEN_T_ENTITY: return m_entityv(gen_uid_of(g, t->ety, false));
    case GEN_T_SET: {
        size_t n = depth ? gen_range(g->src, 0, 3) : 0;
        m_value *xs = m_alloc(g->a, (n + 1) * sizeof *xs);
        for (size_t i = 0; i < n; i++)
            xs[i] = gen_value(g, t->elem, depth - 1);
        return m_set_of(g->a, n, xs);
    }
    case GEN_T_RECORD: {
        m_str *keys = m_alloc(g->a, (t->n + 1) * sizeof *keys);
        m_value *vals = m_alloc(g->a, (t->n + 1) * sizeof *vals);
        size_t n = 0;
        for (size_t i = 0; i < t->n; i++) {
            if (!t->attrs[i].required && !gen_chance(g->src, 70)) continue;
            keys[n] = t->attrs[i].name;
            vals[n++] = gen_value(g, t->attrs[i].type, depth ? depth - 1 : 0);
        }
        return m_record_of(g->a, n, keys, vals);
    }
    case GEN_T_DECIMAL: v.kind = M_V_DECIMAL, v.u.i = gen_decimal_value(g->src); return v;
    case GEN_T_DATETIME: v.kind = M_V_DATETIME, v.u.i = gen_datetime_value(g->src); return v;
    case GEN_T_DURATION: v.kind = M_V_DURATION, v.u.i = gen_duration_value(g->src); return v;
    case GEN_T_IPADDR: v.kind = M_V_IPADDR, v.u.ip = gen_ip_value(g->src); return v;
    default: break;
    }
    return v;
}

/* ---- entities ------------------------------------------------------------ */

/* May an entity of type e have a parent of type pty? Its memberOf types,
 * closed transitively over the schema (as the official check takes them): a
 * parent of a type reached only through another type's memberOf is valid. */
static bool allowed_parent(const gen_schema *s, const gen_etype *e, int pty)
{
    enum { MAXT = 64 };
    bool seen[MAXT] = {false};
    int todo[MAXT];
    size_t n = 0;
    for (size_t i = 0; i < e->n_member_of; i++)
        if (e->member_of[i] < MAXT && !seen[e->member_of[i]])
            seen[e->member_of[i]] = true, todo[n++] = e->member_of[i];
    while (n) {
        int t = todo[--n];
        if (t == pty) return true;
        const gen_etype *te = &s->etypes[t];
        for (size_t i = 0; i < te->n_member_of; i++)
            if (te->member_of[i] < MAXT && !seen[te->member_of[i]])
                seen[te->member_of[i]] = true, todo[n++] = te->member_of[i];
    }
    return false;
}

void gen_entities_build(gen_ctx *g, gen_case *c)
{
    const gen_schema *s = &c->schema;
    enum { MAX = 10 };
    m_entity *items = m_alloc(g->a, (MAX + s->n_actions + 1) * sizeof *items);
    int *types = m_alloc(g->a, (MAX + 1) * sizeof *types);
    size_t n = 0;
    for (size_t t = 0; t < s->n_etypes && n < MAX; t++) {
        if (s->etypes[t].n_enum) continue;
        size_t k = gen_range(g->src, 0, 3);
        for (size_t j = 0; j < k && n < MAX; j++) {
            m_uid u = {s->etypes[t].name, gen_id(g->src)};
            bool dup = false;
            for (size_t q = 0; q < n; q++)
                dup = dup || m_uid_eq(items[q].uid, u);
            if (dup) continue;
            items[n].uid = u;
            types[n++] = (int)t;
        }
    }
    /* a random order, so that any type may come before its parents' types */
    for (size_t i = n; i > 1; i--) {
        size_t j = gen_pick(g->src, i);
        m_entity te = items[i - 1];
        int tt = types[i - 1];
        items[i - 1] = items[j], types[i - 1] = types[j];
        items[j] = te, types[j] = tt;
    }
    g->es = &c->entities;
    c->entities = (m_entities){n, items};
    g->n_data = c->n_data = n;
    /* parents among the later entities (so the hierarchy is acyclic), and
     * sometimes a parent that does not exist */
    for (size_t i = 0; i < n; i++) {
        const gen_etype *e = &s->etypes[types[i]];
        m_uid *ps = m_alloc(g->a, (n + 2) * sizeof *ps);
        size_t np = 0;
        for (size_t j = i + 1; j < n; j++)
            if (allowed_parent(s, e, types[j]) && gen_chance(g->src, 45)) ps[np++] = items[j].uid;
        if (e->n_member_of && gen_chance(g->src, 10)) {
            m_uid u = {s->etypes[e->member_of[gen_pick(g->src, e->n_member_of)]].name,
                       m_str_c("ghost")};
            const gen_etype *pe = &s->etypes[gen_schema_etype(s, u.type)];
            if (pe->n_enum) u.id = pe->enum_ids[0];
            bool dup = false;
            for (size_t q = 0; q < n + np; q++)
                dup = dup || m_uid_eq(q < n ? items[q].uid : ps[q - n], u);
            if (!dup) ps[np++] = u;
        }
        items[i].parents = ps;
        items[i].n_parents = np;
    }
    for (size_t i = 0; i < n; i++) {
        const gen_etype *e = &s->etypes[types[i]];
        items[i].attrs = gen_value(g, e->shape, 2);
        items[i].tags = m_record_of(g->a, 0, NULL, NULL);
        if (e->tags) {
            size_t k = gen_range(g->src, 0, 3), m = 0;
            m_str *keys = m_alloc(g->a, (k + 1) * sizeof *keys);
            m_value *vals = m_alloc(g->a, (k + 1) * sizeof *vals);
            for (size_t j = 0; j < k; j++) {
                m_str key = gen_attr_name(g->src);
                bool dup = false;
                for (size_t q = 0; q < m; q++)
                    dup = dup || m_str_eq(keys[q], key);
                if (dup) continue;
                keys[m] = key;
                vals[m++] = gen_value(g, e->tags, 1);
            }
            items[i].tags = m_record_of(g->a, m, keys, vals);
        }
    }
    /* the schema's actions, with their hierarchy */
    for (size_t i = 0; i < s->n_actions; i++) {
        const gen_action *a = &s->actions[i];
        m_uid *ps = m_alloc(g->a, (a->n_member_of + 1) * sizeof *ps);
        for (size_t j = 0; j < a->n_member_of; j++)
            ps[j] = s->actions[a->member_of[j]].uid;
        items[n + i] = (m_entity){a->uid, m_record_of(g->a, 0, NULL, NULL),
                                  m_record_of(g->a, 0, NULL, NULL), a->n_member_of, ps};
    }
    c->entities.n = n + s->n_actions;
}

/* ---- requests ------------------------------------------------------------ */

/* An action that applies to something (the first one always does). */
int gen_applied_action(gen_ctx *g)
{
    const gen_schema *s = g->s;
    size_t count = 0;
    for (size_t i = 0; i < s->n_actions; i++)
        count += s->actions[i].applies;
    size_t k = gen_pick(g->src, count);
    for (size_t i = 0; i < s->n_actions; i++)
        if (s->actions[i].applies && k-- == 0) return (int)i;
    return 0;
}

void gen_requests_build(gen_ctx *g, gen_case *c, size_t max)
{
    size_t n = gen_range(g->src, 1, max ? max : 1);
    gen_request *rs = m_alloc(g->a, (n + 1) * sizeof *rs);
    for (size_t i = 0; i < n; i++) {
        const gen_action *a = &g->s->actions[gen_applied_action(g)];
        int pt = a->principals[gen_pick(g->src, a->n_principals)];
        int rt = a->resources[gen_pick(g->src, a->n_resources)];
        rs[i].validate = true;
        if (g->mode == GEN_LOOSE && gen_chance(g->src, 20)) {
            /* not validated: any types */
            rs[i].validate = false;
            pt = (int)gen_pick(g->src, g->s->n_etypes);
            rt = (int)gen_pick(g->src, g->s->n_etypes);
        }
        rs[i].r.principal = gen_uid_of(g, pt, false);
        rs[i].r.action = a->uid;
        rs[i].r.resource = gen_uid_of(g, rt, false);
        rs[i].r.context = gen_value(g, a->context, 2);
    }
    c->requests = rs;
    c->n_requests = n;
}
