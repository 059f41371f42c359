/* gen_schema.c: schemas: entity types with attributes of every Cedar type
 * (extension types included), optional attributes, memberOf, tags,
 * enumerated types, common types, a namespace sometimes, and actions with
 * memberOf, appliesTo and context. */
#include <string.h>

#include "gen_int.h"

static const char *const etype_names[] = {"User", "Group", "Photo", "Album", "Doc", "Team",
                                          "Org",  "Res",   "A",     "B",     "T_1", "_e"};
static const char *const action_ids[] = {"view", "edit", "delete", "read", "write",
                                         "",     "a b",  "é",      "list", "in"};
static const char *const namespaces[] = {"NS", "App::Sub", "Ns_1", "entity"};

bool gen_type_eq(const gen_type *a, const gen_type *b)
{
    if (a == b) return true;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case GEN_T_ENTITY: return a->ety == b->ety;
    case GEN_T_SET: return gen_type_eq(a->elem, b->elem);
    case GEN_T_RECORD:
        if (a->n != b->n) return false;
        for (size_t i = 0; i < a->n; i++)
            if (!m_str_eq(a->attrs[i].name, b->attrs[i].name) ||
                a->attrs[i].required != b->attrs[i].required ||
                !gen_type_eq(a->attrs[i].type, b->attrs[i].type))
                return false;
        return true;
    default: return true;
    }
}

int gen_schema_etype(const gen_schema *s, m_str name)
{
    for (size_t i = 0; i < s->n_etypes; i++)
        if (m_str_eq(s->etypes[i].name, name)) return (int)i;
    return -1;
}

int gen_schema_action(const gen_schema *s, m_uid uid)
{
    for (size_t i = 0; i < s->n_actions; i++)
        if (m_uid_eq(s->actions[i].uid, uid)) return (int)i;
    return -1;
}

static gen_type *new_type(m_arena *a, gen_tkind k)
{
    gen_type *t = m_alloc(a, sizeof *t);
    t->kind = k;
    t->common = -1;
    return t;
}

/* Attributes in byte order of their names, duplicates dropped. */
static size_t sort_attrs(gen_attr *at, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        gen_attr x = at[i];
        size_t j = i;
        for (; j > 0; j--) {
            m_str p = at[j - 1].name;
            size_t k = p.len < x.name.len ? p.len : x.name.len;
            int c = k ? memcmp(p.ptr, x.name.ptr, k) : 0;
            if (c < 0 || (c == 0 && p.len <= x.name.len)) break;
            at[j] = at[j - 1];
        }
        at[j] = x;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || !m_str_eq(at[m - 1].name, at[i].name)) at[m++] = at[i];
    return m;
}

static const gen_type *attr_type(gen_ctx *g, size_t n_etypes, unsigned depth);

static const gen_type *record_type(gen_ctx *g, size_t n_etypes, size_t max, unsigned depth)
{
    gen_type *t = new_type(g->a, GEN_T_RECORD);
    size_t n = gen_range(g->src, 0, max);
    gen_attr *at = m_alloc(g->a, (n + 1) * sizeof *at);
    for (size_t i = 0; i < n; i++) {
        at[i].name = gen_attr_name(g->src);
        at[i].required = !gen_chance(g->src, 30);
        at[i].type = attr_type(g, n_etypes, depth);
    }
    t->n = sort_attrs(at, n);
    t->attrs = at;
    return t;
}

/* A record shaped like a JSON escape with one key more: {"__entity": {"id",
 * "type"}, k: ..} or {"__extn": {"arg", "fn"}, k: ..}. An escape is an object
 * with that key alone, so read without a type this is a record (cedar-wasm
 * 4.10 agrees); where the schema declares it, it is a record anyway. */
static const gen_type *escape_lookalike(gen_ctx *g, size_t n_etypes, unsigned depth)
{
    bool ent = gen_chance(g->src, 70);
    gen_type *inner = new_type(g->a, GEN_T_RECORD);
    gen_attr *in = m_alloc(g->a, 2 * sizeof *in);
    in[0] = (gen_attr){m_str_c(ent ? "id" : "arg"), new_type(g->a, GEN_T_STRING), true};
    in[1] = (gen_attr){m_str_c(ent ? "type" : "fn"), new_type(g->a, GEN_T_STRING), true};
    inner->n = 2;
    inner->attrs = in;
    gen_type *t = new_type(g->a, GEN_T_RECORD);
    gen_attr *at = m_alloc(g->a, 2 * sizeof *at);
    at[0] = (gen_attr){m_str_c(ent ? "__entity" : "__extn"), inner, true};
    at[1] = (gen_attr){gen_attr_name(g->src), attr_type(g, n_etypes, depth), true};
    t->n = sort_attrs(at, 2);
    t->attrs = at;
    return t;
}

/* The type of an attribute: every Cedar type, records and sets nested to depth. */
static const gen_type *attr_type(gen_ctx *g, size_t n_etypes, unsigned depth)
{
    gen_tkind k = GEN_T_LONG;
    GEN_ONE_OF (g->src) {
        GEN_OR (3) k = GEN_T_BOOL;
        GEN_OR (4) k = GEN_T_LONG;
        GEN_OR (4) k = GEN_T_STRING;
        GEN_OR (4) k = GEN_T_ENTITY;
        GEN_OR (3) k = GEN_T_SET;
        GEN_OR (2) k = GEN_T_RECORD;
        GEN_OR (1) k = GEN_T_DECIMAL;
        GEN_OR (1) k = GEN_T_IPADDR;
        GEN_OR (1) k = GEN_T_DATETIME;
        GEN_OR (1) k = GEN_T_DURATION;
    }
    if (depth == 0 && (k == GEN_T_SET || k == GEN_T_RECORD)) k = GEN_T_LONG;
    gen_type *t;
    switch (k) {
    case GEN_T_ENTITY:
        t = new_type(g->a, k);
        t->ety = (int)gen_pick(g->src, n_etypes);
        return t;
    case GEN_T_SET:
        t = new_type(g->a, k);
        t->elem = attr_type(g, n_etypes, depth - 1);
        return t;
    case GEN_T_RECORD:
        if (gen_chance(g->src, 15)) return escape_lookalike(g, n_etypes, depth - 1);
        return record_type(g, n_etypes, 3, depth - 1);
    default: return new_type(g->a, k);
    }
}

/* Distinct picks from a name pool. */
static size_t pick_names(gen_src *s, size_t n, size_t pool, size_t *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = gen_pick(s, pool);
        bool dup = false;
        for (size_t j = 0; j < m; j++)
            dup = dup || out[j] == k;
        for (size_t tries = 0; dup && tries < pool; tries++) {
            k = (k + 1) % pool;
            dup = false;
            for (size_t j = 0; j < m; j++)
                dup = dup || out[j] == k;
        }
        if (!dup) out[m++] = k;
    }
    return m;
}

/* A non-empty subset of [0, n) (each member with probability pct, else one pick). */
static size_t subset(gen_ctx *g, size_t n, unsigned pct, int **out)
{
    int *xs = m_alloc(g->a, (n + 1) * sizeof *xs);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (gen_chance(g->src, pct)) xs[m++] = (int)i;
    if (m == 0) xs[m++] = (int)gen_pick(g->src, n);
    *out = xs;
    return m;
}

static m_str qualify(m_arena *a, m_str ns, const char *base)
{
    if (!ns.len) return m_str_c(base);
    /* ns::base without printf, cut at 255 bytes as gen_strf would */
    char tmp[256];
    size_t n = 0, k = strlen(base);
    const struct {
        const char *p;
        size_t n;
    } parts[] = {{ns.ptr, ns.len}, {"::", 2}, {base, k}};
    for (size_t i = 0; i < 3; i++) {
        size_t take = parts[i].n < sizeof tmp - 1 - n ? parts[i].n : sizeof tmp - 1 - n;
        memcpy(tmp + n, parts[i].p, take);
        n += take;
    }
    return gen_dup(a, tmp, n);
}

void gen_schema_build(gen_ctx *g, gen_schema *s)
{
    gen_src *src = g->src;
    memset(s, 0, sizeof *s);
    /* one namespace (the empty one mostly), or sometimes two */
    m_str *nss = m_alloc(g->a, 2 * sizeof *nss);
    nss[0] =
        gen_chance(src, 30) ? m_str_c(namespaces[gen_pick(src, GEN_N(namespaces))]) : m_str_c("");
    s->n_ns = 1;
    if (gen_chance(src, 12)) {
        nss[1] = nss[0].len ? m_str_c("") : m_str_c(namespaces[gen_pick(src, GEN_N(namespaces))]);
        s->n_ns = 2;
    }
    s->nss = nss;
    s->ns = nss[0];
    s->action_type = qualify(g->a, s->ns, "Action");

    /* entity types: names first, so that attributes may refer to any of them */
    size_t idx[GEN_N(etype_names)];
    size_t n = pick_names(src, gen_range(src, 1, 5), GEN_N(etype_names), idx);
    gen_etype *ets = m_alloc(g->a, (n + 1) * sizeof *ets);
    for (size_t i = 0; i < n; i++) {
        ets[i].ns = i > 0 && s->n_ns > 1 ? (int)gen_pick(src, 2) : 0;
        ets[i].base = m_str_c(etype_names[idx[i]]);
        ets[i].name = qualify(g->a, nss[ets[i].ns], etype_names[idx[i]]);
    }
    s->etypes = ets;
    s->n_etypes = n;

    /* a common type sometimes (in the first namespace): a record used for
     * attributes or a context there */
    gen_common *common = NULL;
    if (gen_chance(src, 25)) {
        common = m_alloc(g->a, sizeof *common);
        gen_type *t = (gen_type *)record_type(g, n, 3, 1);
        t->common = 0;
        common->name = m_str_c(gen_chance(src, 50) ? "Common" : "ctx_t");
        common->type = t;
        common->ns = 0;
        s->common = common;
        s->n_common = 1;
    }

    for (size_t i = 0; i < n; i++) {
        gen_etype *e = &ets[i];
        if (i > 0 && gen_chance(src, 12)) {
            size_t m = gen_range(src, 1, 3);
            m_str *ids = m_alloc(g->a, (m + 1) * sizeof *ids);
            size_t k = 0;
            for (size_t j = 0; j < m; j++) {
                m_str id = gen_enum_id(src);
                bool dup = false;
                for (size_t q = 0; q < k; q++)
                    dup = dup || m_str_eq(ids[q], id);
                if (!dup) ids[k++] = id;
            }
            e->enum_ids = ids;
            e->n_enum = k;
            e->shape = new_type(g->a, GEN_T_RECORD);
            continue;
        }
        int *mo = m_alloc(g->a, (n + 1) * sizeof *mo);
        for (size_t j = 0; j < n; j++)
            if (gen_chance(src, 30)) mo[e->n_member_of++] = (int)j;
        e->member_of = mo;
        if (common && e->ns == common->ns && gen_chance(src, 30)) {
            e->shape = common->type;
        } else {
            e->shape = record_type(g, n, 4, 2);
        }
        if (gen_chance(src, 25)) e->tags = attr_type(g, n, 1);
    }

    /* actions: memberOf only later actions, so the hierarchy is acyclic */
    size_t aidx[GEN_N(action_ids)];
    size_t na = pick_names(src, gen_range(src, 1, 4), GEN_N(action_ids), aidx);
    gen_action *as = m_alloc(g->a, (na + 1) * sizeof *as);
    for (size_t i = 0; i < na; i++) {
        gen_action *a = &as[i];
        a->id = m_str_c(action_ids[aidx[i]]);
        a->ns = i > 0 && s->n_ns > 1 ? (int)gen_pick(src, 2) : 0;
        a->uid = (m_uid){a->ns ? qualify(g->a, nss[a->ns], "Action") : s->action_type, a->id};
    }
    for (size_t i = 0; i < na; i++) {
        gen_action *a = &as[i];
        int *mo = m_alloc(g->a, (na + 1) * sizeof *mo);
        for (size_t j = i + 1; j < na; j++)
            if (as[j].ns == a->ns && gen_chance(src, 35)) mo[a->n_member_of++] = (int)j;
        a->member_of = mo;
        a->applies = i == 0 || gen_chance(src, 75);
        if (a->applies) {
            int *ps, *rs;
            a->n_principals = subset(g, n, 40, &ps);
            a->n_resources = subset(g, n, 40, &rs);
            a->principals = ps;
            a->resources = rs;
        }
        if (common && a->ns == common->ns && gen_chance(src, 40)) {
            a->context = common->type;
        } else {
            a->context = record_type(g, n, 3, 2);
        }
    }
    s->actions = as;
    s->n_actions = na;
}
