/* gen_expr.c: expressions. Type-directed generation builds an expression for
 * a target type out of the request environment (principal, resource and
 * context types, the attributes they have, the uids that exist), guarding
 * optional attributes and tags with `has` / `hasTag`; loose generation
 * combines any construct with any operands, to reach the error paths. */
#include <string.h>

#include "gen_int.h"

/* Operator and function families that generation picks from, each alike. */
static const m_extfn decimal_cmps[] = {M_FN_LESS_THAN, M_FN_LESS_THAN_OR_EQUAL, M_FN_GREATER_THAN,
                                       M_FN_GREATER_THAN_OR_EQUAL};
static const m_extfn ip_preds[] = {M_FN_IS_IPV4, M_FN_IS_IPV6, M_FN_IS_LOOPBACK, M_FN_IS_MULTICAST};
static const m_extfn duration_getters[] = {M_FN_TO_MILLISECONDS, M_FN_TO_SECONDS, M_FN_TO_MINUTES,
                                           M_FN_TO_HOURS, M_FN_TO_DAYS};

#define T(k)                                                                                       \
    {                                                                                              \
        k, 0, NULL, 0, NULL, -1                                                                    \
    }
static const gen_type t_bool = T(GEN_T_BOOL), t_long = T(GEN_T_LONG), t_string = T(GEN_T_STRING),
                      t_decimal = T(GEN_T_DECIMAL), t_ip = T(GEN_T_IPADDR),
                      t_datetime = T(GEN_T_DATETIME), t_duration = T(GEN_T_DURATION);
#undef T

static const gen_type *entity_t(gen_ctx *g, int ety)
{
    gen_type *t = m_alloc(g->a, sizeof *t);
    t->kind = GEN_T_ENTITY;
    t->ety = ety;
    t->common = -1;
    return t;
}

static const gen_type *set_t(gen_ctx *g, const gen_type *elem)
{
    gen_type *t = m_alloc(g->a, sizeof *t);
    t->kind = GEN_T_SET;
    t->elem = elem;
    t->common = -1;
    return t;
}

static const m_expr *lit(gen_ctx *g, m_value v)
{
    return m_x_lit(g->a, v);
}

static const m_expr *str_lit(gen_ctx *g, m_str s)
{
    return m_x_lit(g->a, m_string(s));
}

/* Byte order of keys (memcmp, then length), the order record fields are kept in. */
static bool key_before(m_str p, m_str q)
{
    size_t k = p.len < q.len ? p.len : q.len;
    int c = k ? memcmp(p.ptr, q.ptr, k) : 0;
    return c < 0 || (c == 0 && p.len < q.len);
}

static const m_expr *call1(gen_ctx *g, m_extfn fn, const m_expr *x)
{
    return m_x_call(g->a, fn, 1, &x);
}

static const m_expr *call2(gen_ctx *g, m_extfn fn, const m_expr *x, const m_expr *y)
{
    const m_expr *xs[2] = {x, y};
    return m_x_call(g->a, fn, 2, xs);
}

/* Note on order: C leaves the order in which a call's arguments are
 * evaluated open (gcc and clang differ), so every choice is made in its own
 * statement; a call never takes two arguments that both draw from the
 * bytes, or the same bytes would give different cases under different
 * compilers. */

const m_expr *gen_expr(gen_ctx *g, const gen_type *t, unsigned depth);

/* if <bool> then <t> else <t> */
static const m_expr *ite(gen_ctx *g, const gen_type *t, unsigned d)
{
    const m_expr *c = gen_expr(g, &t_bool, d);
    const m_expr *x = gen_expr(g, t, d);
    return m_x_ite(g->a, c, x, gen_expr(g, t, d));
}

/* fn(<t1>, <t2>) */
static const m_expr *pair(gen_ctx *g, m_extfn fn, const gen_type *t1, const gen_type *t2,
                          unsigned d)
{
    const m_expr *x = gen_expr(g, t1, d);
    return call2(g, fn, x, gen_expr(g, t2, d));
}

static int random_ety(gen_ctx *g)
{
    return (int)gen_pick(g->src, g->s->n_etypes);
}

static bool pick_loose_value(gen_ctx *g)
{
    return g->mode == GEN_LOOSE ? gen_chance(g->src, 30) : gen_chance(g->src, 5);
}

/* ---- literals -------------------------------------------------------------- */

static m_extfn ctor_of(gen_tkind k)
{
    return k == GEN_T_DECIMAL    ? M_FN_DECIMAL
           : k == GEN_T_IPADDR   ? M_FN_IP
           : k == GEN_T_DATETIME ? M_FN_DATETIME
                                 : M_FN_DURATION;
}

static const m_expr *record_expr(gen_ctx *g, const gen_type *t, unsigned depth, bool literal);

/* A literal of type t: sets and records as literal expressions, extension
 * values as a constructor applied to a string (sometimes an invalid one). */
static const m_expr *lit_expr(gen_ctx *g, const gen_type *t, unsigned depth)
{
    switch (t->kind) {
    case GEN_T_BOOL: return lit(g, m_bool(gen_chance(g->src, 50)));
    case GEN_T_LONG: return lit(g, m_int(gen_long(g->src)));
    case GEN_T_STRING: return str_lit(g, gen_string(g));
    case GEN_T_ENTITY: return lit(g, m_entityv(gen_uid_of(g, t->ety, pick_loose_value(g))));
    case GEN_T_SET: {
        size_t n = depth ? gen_range(g->src, 0, 3) : 0;
        const m_expr **xs = m_alloc(g->a, (n + 1) * sizeof *xs);
        for (size_t i = 0; i < n; i++)
            xs[i] = lit_expr(g, t->elem, depth - 1);
        return m_x_set(g->a, n, xs);
    }
    case GEN_T_RECORD: return record_expr(g, t, depth, true);
    default:
        return call1(g, ctor_of(t->kind),
                     str_lit(g, gen_ext_string(g, t->kind, !pick_loose_value(g))));
    }
}

/* A record expression with t's fields in key order (as Rust's AST keeps them),
 * each optional field present sometimes. */
static const m_expr *record_expr(gen_ctx *g, const gen_type *t, unsigned depth, bool literal)
{
    m_str *keys = m_alloc(g->a, (t->n + 1) * sizeof *keys);
    const m_expr **xs = m_alloc(g->a, (t->n + 1) * sizeof *xs);
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!t->attrs[i].required && gen_chance(g->src, 40)) continue;
        keys[n] = t->attrs[i].name;
        unsigned d = depth ? depth - 1 : 0;
        xs[n++] = literal ? lit_expr(g, t->attrs[i].type, d) : gen_expr(g, t->attrs[i].type, d);
    }
    return m_x_record(g->a, n, keys, xs);
}

/* ---- the environment: variables and the attributes they reach ------------- */

/* The record type whose attributes a value of type t has: a record's own, an
 * entity type's shape; NULL for everything else (enumerated types have none). */
static const gen_type *attrs_of(const gen_ctx *g, const gen_type *t)
{
    if (t->kind == GEN_T_RECORD) return t;
    if (t->kind == GEN_T_ENTITY && !g->s->etypes[t->ety].n_enum) return g->s->etypes[t->ety].shape;
    return NULL;
}

typedef struct base {
    const m_expr *x;
    const gen_type *t;
} base;

/* principal, resource and context, as far as the environment knows their
 * types, and the alias if there is one. */
static size_t bases(gen_ctx *g, base out[4])
{
    size_t n = 0;
    if (g->penv >= 0) out[n++] = (base){m_x_var(g->a, M_PRINCIPAL), entity_t(g, g->penv)};
    if (g->renv >= 0) out[n++] = (base){m_x_var(g->a, M_RESOURCE), entity_t(g, g->renv)};
    if (g->aenv >= 0) out[n++] = (base){m_x_var(g->a, M_CONTEXT), g->s->actions[g->aenv].context};
    if (g->alias) out[n++] = (base){g->alias, g->alias_t};
    return n;
}

void gen_ctx_alias(gen_ctx *g)
{
    g->alias = NULL;
    base bs[4];
    size_t nb = bases(g, bs);
    if (nb == 0 || !gen_chance(g->src, 30)) return;
    base b = bs[gen_pick(g->src, nb)];
    const m_expr *other = b.x;
    if (b.t->kind == GEN_T_ENTITY && gen_chance(g->src, 50))
        other = lit(g, m_entityv(gen_uid_of(g, b.t->ety, false)));
    switch (gen_pick(g->src, 3)) {
    case 0: /* `User::"alice"`, or the variable itself when it is context */
        g->alias = other;
        break;
    case 1: { /* `if c then principal else User::"alice"` */
        const m_expr *c = gen_bool_expr(g, 1);
        g->alias = m_x_ite(g->a, c, b.x, other);
        break;
    }
    default: { /* `{"a": principal, "b": 1}.a` */
        m_str mine = gen_attr_name(g->src);
        m_str next = gen_attr_name(g->src);
        bool first = key_before(mine, next); /* fields in key order */
        m_str keys[2] = {first ? mine : next, first ? next : mine};
        const m_expr *xs[2] = {first ? b.x : lit(g, m_int(1)), first ? lit(g, m_int(1)) : b.x};
        size_t n = m_str_eq(mine, next) ? 1 : 2;
        if (n == 1) keys[0] = mine, xs[0] = b.x;
        g->alias = m_x_get_attr(g->a, m_x_record(g->a, n, keys, xs), mine);
        break;
    }
    }
    g->alias_t = b.t;
}

/* An attribute path base.a1[.a2] (a2 < 0: none). */
typedef struct access {
    base b;
    const gen_type *r1; /* the record type a1 is in */
    size_t a1;
    const gen_type *r2;
    int a2;
} access;

typedef bool (*type_pred)(const gen_type *t, const gen_type *want);

static bool same_type(const gen_type *t, const gen_type *want)
{
    return gen_type_eq(t, want);
}

static bool same_kind(const gen_type *t, const gen_type *want)
{
    return t->kind == want->kind;
}

static bool any_type(const gen_type *t, const gen_type *want)
{
    (void)t, (void)want;
    return true;
}

static bool has_attrs(const gen_type *t, const gen_type *want)
{
    (void)want;
    return t->kind == GEN_T_RECORD || t->kind == GEN_T_ENTITY;
}

/* The k-th path (of paths of length 1 and 2) whose type satisfies pred;
 * returns the number of such paths when k is SIZE_MAX. */
static size_t walk_paths(gen_ctx *g, type_pred pred, const gen_type *want, size_t k, access *out)
{
    base bs[4];
    size_t nb = bases(g, bs), count = 0;
    for (size_t i = 0; i < nb; i++) {
        const gen_type *r1 = attrs_of(g, bs[i].t);
        for (size_t a = 0; r1 && a < r1->n; a++) {
            const gen_type *t1 = r1->attrs[a].type;
            if (pred(t1, want) && count++ == k) {
                *out = (access){bs[i], r1, a, NULL, -1};
                return count;
            }
            const gen_type *r2 = attrs_of(g, t1);
            for (size_t b = 0; r2 && b < r2->n; b++)
                if (pred(r2->attrs[b].type, want) && count++ == k) {
                    *out = (access){bs[i], r1, a, r2, (int)b};
                    return count;
                }
        }
    }
    return count;
}

static bool find_access(gen_ctx *g, type_pred pred, const gen_type *want, access *out)
{
    size_t n = walk_paths(g, pred, want, SIZE_MAX, out);
    if (n == 0) return false;
    walk_paths(g, pred, want, gen_pick(g->src, n), out);
    return true;
}

static const gen_type *access_type(const access *ac)
{
    return ac->a2 >= 0 ? ac->r2->attrs[ac->a2].type : ac->r1->attrs[ac->a1].type;
}

/* `guard && x` for a bool, else `if guard then x else <a literal>`; in typed
 * mode the guard is left out now and then, so a missing attribute errors. */
static const m_expr *guarded(gen_ctx *g, const m_expr *guard, const m_expr *x, const gen_type *t)
{
    if (!guard || gen_chance(g->src, g->mode == GEN_LOOSE ? 40 : 8)) return x;
    if (t->kind == GEN_T_BOOL) return m_x_and(g->a, guard, x);
    return m_x_ite(g->a, guard, x, lit_expr(g, t, 1));
}

static const m_expr *and_opt(gen_ctx *g, const m_expr *a, const m_expr *b)
{
    return !a ? b : !b ? a : m_x_and(g->a, a, b);
}

/* base.a1[.a2], with `has` guards for the optional attributes on the way. */
static const m_expr *build_access(gen_ctx *g, const access *ac)
{
    const gen_attr *at1 = &ac->r1->attrs[ac->a1];
    const m_expr *x = m_x_get_attr(g->a, ac->b.x, at1->name), *guard = NULL;
    if (!at1->required) guard = m_x_has_attr(g->a, ac->b.x, at1->name);
    if (ac->a2 >= 0) {
        const gen_attr *at2 = &ac->r2->attrs[ac->a2];
        if (!at2->required) guard = and_opt(g, guard, m_x_has_attr(g->a, x, at2->name));
        x = m_x_get_attr(g->a, x, at2->name);
    }
    return guarded(g, guard, x, access_type(ac));
}

/* A tag of principal or resource whose tag type is t. */
static const m_expr *tag_access(gen_ctx *g, const gen_type *t)
{
    base bs[4];
    size_t nb = bases(g, bs), count = 0, k;
    for (size_t i = 0; i < nb; i++) {
        const gen_type *tags =
            bs[i].t->kind == GEN_T_ENTITY ? g->s->etypes[bs[i].t->ety].tags : NULL;
        count += tags && gen_type_eq(tags, t);
    }
    if (count == 0) return NULL;
    k = gen_pick(g->src, count);
    for (size_t i = 0; i < nb; i++) {
        const gen_type *tags =
            bs[i].t->kind == GEN_T_ENTITY ? g->s->etypes[bs[i].t->ety].tags : NULL;
        if (!tags || !gen_type_eq(tags, t) || k-- != 0) continue;
        const m_expr *key = str_lit(g, gen_attr_name(g->src));
        const m_expr *get = m_x_binary(g->a, M_GET_TAG, bs[i].x, key);
        return guarded(g, m_x_binary(g->a, M_HAS_TAG, bs[i].x, key), get, t);
    }
    return NULL;
}

/* A type that some attribute of the environment has and pred accepts (the
 * set, entity or record types that make `contains`, `in` or `has` bite), or
 * NULL. */
static const gen_type *env_type(gen_ctx *g, type_pred pred, const gen_type *want)
{
    access ac = {0};
    return find_access(g, pred, want, &ac) ? access_type(&ac) : NULL;
}

/* ---- typed generation ------------------------------------------------------- */

/* A variable, an attribute, a tag or a literal of type t. */
static const m_expr *leaf(gen_ctx *g, const gen_type *t)
{
    access ac = {0};
    switch (gen_pick(g->src, 4)) {
    case 1:
        if (t->kind == GEN_T_ENTITY && t->ety == g->penv && gen_chance(g->src, 70))
            return m_x_var(g->a, M_PRINCIPAL);
        if (t->kind == GEN_T_ENTITY && t->ety == g->renv) return m_x_var(g->a, M_RESOURCE);
        if (g->aenv >= 0 && gen_type_eq(t, g->s->actions[g->aenv].context))
            return m_x_var(g->a, M_CONTEXT);
        /* fall through */
    case 2:
        if (find_access(g, same_type, t, &ac)) return build_access(g, &ac);
        break;
    case 3: {
        const m_expr *x = tag_access(g, t);
        if (x) return x;
        break;
    }
    default: break;
    }
    return lit_expr(g, t, 2);
}

/* A type for the operands of `==`, `contains` and the like: mostly one that
 * the environment has, else any. */
const gen_type *gen_some_type(gen_ctx *g, unsigned depth)
{
    if (gen_chance(g->src, 40)) {
        access ac = {0};
        if (find_access(g, any_type, NULL, &ac)) return access_type(&ac);
    }
    gen_tkind k = GEN_T_LONG;
    GEN_ONE_OF (g->src) {
        GEN_OR (2) k = GEN_T_BOOL;
        GEN_OR (4) k = GEN_T_LONG;
        GEN_OR (4) k = GEN_T_STRING;
        GEN_OR (5) k = GEN_T_ENTITY;
        GEN_OR (2) k = GEN_T_SET;
        GEN_OR (1) k = GEN_T_RECORD;
        GEN_OR (1) k = GEN_T_DECIMAL;
        GEN_OR (1) k = GEN_T_IPADDR;
        GEN_OR (1) k = GEN_T_DATETIME;
        GEN_OR (1) k = GEN_T_DURATION;
    }
    switch (k) {
    case GEN_T_BOOL: return &t_bool;
    case GEN_T_LONG: return &t_long;
    case GEN_T_STRING: return &t_string;
    case GEN_T_ENTITY:
        if (g->penv >= 0 && gen_chance(g->src, 50)) return entity_t(g, g->penv);
        return entity_t(g, random_ety(g));
    case GEN_T_SET: return set_t(g, depth ? gen_some_type(g, depth - 1) : &t_long);
    case GEN_T_RECORD: {
        gen_type *t = m_alloc(g->a, sizeof *t);
        gen_attr *at = m_alloc(g->a, 2 * sizeof *at);
        t->kind = GEN_T_RECORD;
        t->common = -1;
        m_str name = gen_attr_name(g->src);
        at[0] = (gen_attr){name, depth ? gen_some_type(g, depth - 1) : &t_long, true};
        t->n = 1;
        t->attrs = at;
        return t;
    }
    case GEN_T_DECIMAL: return &t_decimal;
    case GEN_T_IPADDR: return &t_ip;
    case GEN_T_DATETIME: return &t_datetime;
    default: return &t_duration;
    }
}

/* An entity type that the environment talks about. */
static int env_ety(gen_ctx *g)
{
    int opts[2], n = 0;
    if (g->penv >= 0) opts[n++] = g->penv;
    if (g->renv >= 0) opts[n++] = g->renv;
    if (n == 0 || gen_chance(g->src, 15)) return random_ety(g);
    return opts[gen_pick(g->src, (size_t)n)];
}

/* Something ety's entities may be `in`: a related uid, or a set of them. */
static const m_expr *in_rhs(gen_ctx *g, int ety, unsigned depth)
{
    if (gen_chance(g->src, 25)) {
        size_t n = gen_range(g->src, 0, 3);
        const m_expr **xs = m_alloc(g->a, (n + 1) * sizeof *xs);
        for (size_t i = 0; i < n; i++)
            xs[i] = lit(g, m_entityv(gen_uid_related(g, ety)));
        return m_x_set(g->a, n, xs);
    }
    if (depth > 0 && gen_chance(g->src, 25)) {
        const gen_etype *e = &g->s->etypes[ety];
        int pt = e->n_member_of ? e->member_of[gen_pick(g->src, e->n_member_of)] : ety;
        return gen_expr(g, entity_t(g, pt), depth - 1);
    }
    return lit(g, m_entityv(gen_uid_related(g, ety)));
}

/* An action uid: a declared one mostly. */
static m_uid action_uid(gen_ctx *g)
{
    if (gen_chance(g->src, 10)) return (m_uid){g->s->action_type, m_str_c("undeclared")};
    if (g->aenv >= 0 && gen_chance(g->src, 50)) return g->s->actions[g->aenv].uid;
    return g->s->actions[gen_pick(g->src, g->s->n_actions)].uid;
}

static const m_expr *compare(gen_ctx *g, const m_expr *x, const m_expr *y)
{
    switch (gen_pick(g->src, 4)) {
    case 0: return m_x_binary(g->a, M_LESS, x, y);
    case 1: return m_x_binary(g->a, M_LESS_EQ, x, y);
    case 2: return m_x_unary(g->a, M_NOT, m_x_binary(g->a, M_LESS_EQ, x, y)); /* x > y */
    default: return m_x_unary(g->a, M_NOT, m_x_binary(g->a, M_LESS, x, y));   /* x >= y */
    }
}

static const m_expr *bool_of_kind(gen_ctx *g, unsigned depth);

/* The value of a literal (or of a constructor applied to a literal) written
 * another way: the same instant with another offset, the same decimal with
 * fewer digits, the same address compressed, the same literal; NULL for
 * anything else. Makes `==` hit across surface forms. */
static const m_expr *twin(gen_ctx *g, const m_expr *x)
{
    /* now and then a near twin instead: one unit, one millisecond, one host
     * bit or one character apart (equality and ordering must tell them apart) */
    bool near = gen_chance(g->src, 35);
    if (x->kind == M_X_LIT) {
        m_value v = x->u.lit;
        if (near && v.kind == M_V_INT && v.u.i < INT64_MAX) v.u.i++;
        if (near && v.kind == M_V_STRING) {
            char *p = m_alloc(g->a, v.u.s.len + 2);
            if (v.u.s.len) memcpy(p, v.u.s.ptr, v.u.s.len);
            p[v.u.s.len] = 'x';
            v.u.s = (m_str){p, v.u.s.len + 1};
        }
        if (near && v.kind == M_V_ENTITY) v.u.uid.id = gen_id(g->src);
        return m_x_lit(g->a, v);
    }
    if (x->kind != M_X_CALL || x->u.list.n != 1 || x->u.list.xs[0]->kind != M_X_LIT) return NULL;
    m_value arg = x->u.list.xs[0]->u.lit;
    m_result r = m_call(x->u.list.fn, 1, &arg);
    if (r.err) return NULL;
    if (near && r.v.kind == M_V_IPADDR) {
        r.v.u.ip.addr[r.v.u.ip.v6 ? 15 : 3] ^= 1; /* the last bit: a host bit unless /32, /128 */
    } else if (near && r.v.u.i < INT64_MAX) {
        r.v.u.i++;
    }
    gen_style st;
    gen_style_init(&st, gen_range(g->src, 0, 0xffff) | 1);
    gen_buf b;
    gen_buf_init(&b);
    switch (r.v.kind) {
    case M_V_DECIMAL: gen_fmt_decimal(&b, r.v.u.i, &st); break;
    case M_V_IPADDR: gen_fmt_ip(&b, &r.v.u.ip, &st); break;
    case M_V_DURATION: gen_fmt_duration(&b, r.v.u.i, &st); break;
    case M_V_DATETIME:
        if (gen_fmt_datetime(&b, r.v.u.i, &st)) break;
        /* fall through */
    default: gen_buf_free(&b); return NULL;
    }
    return call1(g, x->u.list.fn, str_lit(g, gen_buf_to_str(g->a, &b)));
}

const m_expr *gen_bool_expr(gen_ctx *g, unsigned depth)
{
    return gen_expr(g, &t_bool, depth);
}

static const m_expr *has_expr(gen_ctx *g, unsigned d)
{
    access ac = {0};
    const gen_type *t = NULL, *r;
    const m_expr *x;
    base bs[4];
    size_t nb = bases(g, bs);
    if (nb && gen_chance(g->src, 60)) {
        size_t i = gen_pick(g->src, nb);
        x = bs[i].x, t = bs[i].t;
    } else if (find_access(g, has_attrs, NULL, &ac)) {
        x = build_access(g, &ac), t = access_type(&ac);
    } else {
        t = entity_t(g, env_ety(g));
        x = gen_expr(g, t, d);
    }
    r = attrs_of(g, t);
    m_str name = r && r->n && !gen_chance(g->src, 15) ? r->attrs[gen_pick(g->src, r->n)].name
                                                      : gen_attr_name(g->src);
    const m_expr *has = m_x_has_attr(g->a, x, name);
    /* `x has a.b`: x has a && x.a has b */
    const gen_attr *at = NULL;
    for (size_t i = 0; r && i < r->n; i++)
        if (m_str_eq(r->attrs[i].name, name)) at = &r->attrs[i];
    const gen_type *r2 = at ? attrs_of(g, at->type) : NULL;
    if (r2 && r2->n && gen_chance(g->src, 40)) {
        m_str n2 = r2->attrs[gen_pick(g->src, r2->n)].name;
        return m_x_and(g->a, has, m_x_has_attr(g->a, m_x_get_attr(g->a, x, name), n2));
    }
    return has;
}

static const m_expr *set_op(gen_ctx *g, unsigned d)
{
    const gen_type *st = env_type(g, same_kind, &(gen_type){.kind = GEN_T_SET});
    if (!st || gen_chance(g->src, 30)) st = set_t(g, gen_some_type(g, d ? d - 1 : 0));
    const m_expr *s = gen_expr(g, st, d);
    switch (gen_pick(g->src, 4)) {
    case 0: return m_x_binary(g->a, M_CONTAINS, s, gen_expr(g, st->elem, d));
    case 1: return m_x_binary(g->a, M_CONTAINS_ALL, s, gen_expr(g, st, d));
    case 2: return m_x_binary(g->a, M_CONTAINS_ANY, s, gen_expr(g, st, d));
    default: return m_x_unary(g->a, M_IS_EMPTY, s);
    }
}

/* ---- operators from their line in m_ops.def ------------------------------- */

/* The operators that the typed generators above and below write by hand;
 * every other operator of m_ops.def whose operands and result have plain
 * types (no entities, sets or ANY) is generated from its line alone. */
static const m_op1 hand_op1s[] = {M_NOT, M_NEG, M_IS_EMPTY, M_LIKE, M_IS};
static const m_op2 hand_op2s[] = {M_EQ,           M_LESS, M_LESS_EQ,  M_ADD,
                                  M_SUB,          M_MUL,  M_CONTAINS, M_CONTAINS_ALL,
                                  M_CONTAINS_ANY, M_MEM,  M_HAS_TAG,  M_GET_TAG};

/* m_ops.def's types as the generator's plain types, or 0 (NONE, ANY, ORD,
 * ENTITY, SET, ENTITY_OR_SET): not plain. */
#define G_NONE          0
#define G_ANY           0
#define G_ORD           0
#define G_ENTITY        0
#define G_SET           0
#define G_ENTITY_OR_SET 0
#define G_BOOL          &t_bool
#define G_LONG          &t_long
#define G_STRING        &t_string
#define G_DECIMAL       &t_decimal
#define G_IPADDR        &t_ip
#define G_DATETIME      &t_datetime
#define G_DURATION      &t_duration
static const struct table_op {
    int arity;
    int op; /* m_op1 or m_op2 */
    const gen_type *a, *b, *result;
} table_ops[] = {
#define M_OP1(kind, name, syntax, arg, result) {1, M_##kind, G_##arg, G_NONE, G_##result},
#define M_OP2(kind, name, syntax, arg_a, arg_b, result)                                            \
    {2, M_##kind, G_##arg_a, G_##arg_b, G_##result},
#include "m_ops.def"
};

/* Is table_ops[i] generated from its line, with a result of kind k? */
static bool from_table(size_t i, gen_tkind k)
{
    const struct table_op *o = &table_ops[i];
    if (!o->a || (o->arity == 2 && !o->b) || !o->result || o->result->kind != k) return false;
    for (size_t j = 0; o->arity == 1 && j < GEN_N(hand_op1s); j++)
        if ((int)hand_op1s[j] == o->op) return false;
    for (size_t j = 0; o->arity == 2 && j < GEN_N(hand_op2s); j++)
        if ((int)hand_op2s[j] == o->op) return false;
    return true;
}

/* How many operators from_table gives for kind k (0: the alternative that
 * uses them has weight 0, so saved inputs decode as before). */
static unsigned table_count(gen_tkind k)
{
    unsigned n = 0;
    for (size_t i = 0; i < GEN_N(table_ops); i++)
        n += from_table(i, k);
    return n;
}

/* One of those operators, on operands of its argument types. */
static const m_expr *table_op(gen_ctx *g, gen_tkind k, unsigned d)
{
    size_t pick = gen_pick(g->src, table_count(k)), i = 0;
    while (!from_table(i, k) || pick-- > 0)
        i++;
    const struct table_op *o = &table_ops[i];
    const m_expr *x = gen_expr(g, o->a, d);
    if (o->arity == 1) return m_x_unary(g->a, (m_op1)o->op, x);
    return m_x_binary(g->a, (m_op2)o->op, x, gen_expr(g, o->b, d));
}

static const m_expr *bool_of_kind(gen_ctx *g, unsigned depth)
{
    unsigned d = depth - 1;
    const m_expr *x, *y;
    const gen_type *t;
    int ety;
    /* now and then a chain of hundreds to thousands of terms (gen_chain.c) */
    if (depth >= 2 && gen_chance(g->src, 2)) {
        x = gen_chance(g->src, 30) ? gen_chain_attr(g) : NULL;
        return x ? x : gen_chain_bool(g);
    }
    GEN_ONE_OF (g->src) {
        GEN_OR (2) return leaf(g, &t_bool);
        GEN_OR (2) { /* now and then two to four in a row (`!!!!x` is the most Cedar allows) */
            x = gen_expr(g, &t_bool, d);
            size_t k = gen_chance(g->src, 20) ? gen_range(g->src, 2, 4) : 1;
            while (k--)
                x = m_x_unary(g->a, M_NOT, x);
            return x;
        }
        GEN_OR (3) {
            x = gen_expr(g, &t_bool, d);
            return m_x_and(g->a, x, gen_expr(g, &t_bool, d));
        }
        GEN_OR (3) {
            x = gen_expr(g, &t_bool, d);
            return m_x_or(g->a, x, gen_expr(g, &t_bool, d));
        }
        GEN_OR (1) return ite(g, &t_bool, d);
        GEN_OR (4) { /* == and != */
            t = gen_some_type(g, d);
            x = gen_expr(g, t, d);
            y = gen_chance(g->src, 30) ? twin(g, x) : NULL;
            if (!y) y = gen_expr(g, gen_chance(g->src, 10) ? gen_some_type(g, d) : t, d);
            x = m_x_binary(g->a, M_EQ, x, y);
            return gen_chance(g->src, 30) ? m_x_unary(g->a, M_NOT, x) : x;
        }
        GEN_OR (3) {
            x = gen_expr(g, &t_long, d);
            return compare(g, x, gen_expr(g, &t_long, d));
        }
        GEN_OR (1) { /* datetimes and durations, and the date identities */
            t = gen_chance(g->src, 50) ? &t_datetime : &t_duration;
            x = gen_expr(g, t, d);
            if (t == &t_datetime && gen_chance(g->src, 35)) return gen_corner_date_identity(g, x);
            return compare(g, x, gen_expr(g, t, d));
        }
        GEN_OR (4) { /* in */
            ety = env_ety(g);
            x = gen_expr(g, entity_t(g, ety), d);
            return m_x_binary(g->a, M_MEM, x, in_rhs(g, ety, d));
        }
        GEN_OR (2) { /* is, is .. in */
            ety = env_ety(g);
            x = gen_expr(g, entity_t(g, ety), d);
            m_str name =
                gen_chance(g->src, 75) ? g->s->etypes[ety].name : g->s->etypes[random_ety(g)].name;
            const m_expr *is = m_x_is(g->a, x, name);
            if (!gen_chance(g->src, 40)) return is;
            return m_x_and(g->a, is, m_x_binary(g->a, M_MEM, x, in_rhs(g, ety, d)));
        }
        GEN_OR (3) return set_op(g, d);
        GEN_OR (2) { /* like, the pattern often built from the text */
            m_str matching;
            m_pattern p = gen_pattern(g, &matching);
            x = gen_chance(g->src, 50) ? str_lit(g, matching) : gen_expr(g, &t_string, d);
            return m_x_like(g->a, x, p);
        }
        GEN_OR (3) return has_expr(g, d);
        GEN_OR (1) { /* hasTag */
            ety = env_ety(g);
            x = gen_expr(g, entity_t(g, ety), d);
            y = gen_chance(g->src, 80) ? str_lit(g, gen_attr_name(g->src))
                                       : gen_expr(g, &t_string, d);
            return m_x_binary(g->a, M_HAS_TAG, x, y);
        }
        GEN_OR (1) return pair(g, GEN_PICK_OF(g->src, decimal_cmps), &t_decimal, &t_decimal, d);
        GEN_OR (1) { /* ip predicates, at their edges now and then */
            if (gen_chance(g->src, 15)) return gen_corner_in_range(g);
            if (gen_chance(g->src, 15)) return gen_corner_ip_pred(g);
            if (gen_chance(g->src, 30)) return pair(g, M_FN_IS_IN_RANGE, &t_ip, &t_ip, d);
            m_extfn fn = GEN_PICK_OF(g->src, ip_preds); /* before the operand's choices */
            return call1(g, fn, gen_expr(g, &t_ip, d));
        }
        GEN_OR (2) { /* the action */
            const m_expr *act = m_x_var(g->a, M_ACTION);
            if (gen_chance(g->src, 40))
                return m_x_binary(g->a, M_EQ, act, lit(g, m_entityv(action_uid(g))));
            if (gen_chance(g->src, 50))
                return m_x_binary(g->a, M_MEM, act, lit(g, m_entityv(action_uid(g))));
            size_t n = gen_range(g->src, 1, 3);
            const m_expr **xs = m_alloc(g->a, (n + 1) * sizeof *xs);
            for (size_t i = 0; i < n; i++)
                xs[i] = lit(g, m_entityv(action_uid(g)));
            return m_x_binary(g->a, M_MEM, act, m_x_set(g->a, n, xs));
        }
        GEN_OR (table_count(GEN_T_BOOL) ? 2 : 0) return table_op(g, GEN_T_BOOL, d);
    }
    return leaf(g, &t_bool); /* not reached: the weights are not all 0 */
}

/* Operands at the edge of overflow: each pair's sum, difference or product
 * is just outside (or just inside) the 64-bit range. */
static const int64_t edge_pairs[][2] = {
    {INT64_MAX, 1},
    {INT64_MIN, -1},
    {INT64_MIN, 1},
    {INT64_MAX, -1},
    {INT64_MIN, INT64_MIN},
    {3037000500LL, 3037000500LL},
    {3037000499LL, 3037000499LL},
    {-3037000500LL, 3037000500LL},
    {4611686018427387904LL, 2},
    {-4611686018427387904LL, 2},
    {INT64_MAX, INT64_MAX},
    {0, INT64_MIN},
};

/* a op b, with now and then the operands taken from the edge pairs (either
 * one may also stay an expression, e.g. an attribute). */
static const m_expr *arith(gen_ctx *g, m_op2 op, unsigned d)
{
    if (gen_chance(g->src, 30)) {
        const int64_t *p = edge_pairs[gen_pick(g->src, GEN_N(edge_pairs))];
        bool swap = gen_chance(g->src, 50);
        const m_expr *x = lit(g, m_int(p[swap])), *y = lit(g, m_int(p[!swap]));
        if (gen_chance(g->src, 25)) x = gen_expr(g, &t_long, d);
        return m_x_binary(g->a, op, x, y);
    }
    const m_expr *x = gen_expr(g, &t_long, d);
    return m_x_binary(g->a, op, x, gen_expr(g, &t_long, d));
}

static const m_expr *long_of_kind(gen_ctx *g, unsigned depth)
{
    unsigned d = depth - 1;
    if (depth >= 2 && gen_chance(g->src, 2)) return gen_chain_long(g);
    GEN_ONE_OF (g->src) {
        GEN_OR (4) return leaf(g, &t_long);
        GEN_OR (1) { /* the negation of the smallest long overflows */
            if (gen_chance(g->src, 30))
                return m_x_unary(g->a, M_NEG,
                                 lit(g, m_int(gen_chance(g->src, 70) ? INT64_MIN : INT64_MAX)));
            size_t k = gen_chance(g->src, 20) ? gen_range(g->src, 2, 4) : 1;
            /* a chain `--x` needs x past the unary level (not a number: `-5`
             * is a literal): a method call */
            const m_expr *x;
            if (k > 1) {
                m_extfn fn = GEN_PICK_OF(g->src, duration_getters);
                x = call1(g, fn, gen_expr(g, &t_duration, d));
            } else
                x = gen_expr(g, &t_long, d);
            while (k--)
                x = m_x_unary(g->a, M_NEG, x);
            return x;
        }
        GEN_OR (2) return arith(g, M_ADD, d);
        GEN_OR (2) return arith(g, M_SUB, d);
        GEN_OR (2) return arith(g, M_MUL, d);
        GEN_OR (1) return ite(g, &t_long, d);
        GEN_OR (1) {
            m_extfn fn = GEN_PICK_OF(g->src, duration_getters);
            return call1(g, fn, gen_expr(g, &t_duration, d));
        }
        GEN_OR (table_count(GEN_T_LONG) ? 2 : 0) return table_op(g, GEN_T_LONG, d);
    }
    return leaf(g, &t_long); /* not reached */
}

const m_expr *gen_expr(gen_ctx *g, const gen_type *t, unsigned depth)
{
    if (g->mode == GEN_LOOSE && gen_chance(g->src, 20)) return gen_expr_any(g, depth);
    if (depth == 0) return leaf(g, t);
    unsigned d = depth - 1;
    if (t->kind == GEN_T_BOOL) return bool_of_kind(g, depth);
    if (t->kind == GEN_T_LONG) return long_of_kind(g, depth);
    /* every other type: a leaf, a conditional, or a constructor of the type */
    switch (gen_pick(g->src, 5)) {
    case 0: return ite(g, t, d);
    case 1:
    case 2: break;
    default: return leaf(g, t);
    }
    switch (t->kind) {
    case GEN_T_SET: {
        size_t n = gen_range(g->src, 0, 3);
        const m_expr **xs = m_alloc(g->a, (n + 1) * sizeof *xs);
        for (size_t i = 0; i < n; i++) {
            /* now and then the previous element again, or a near twin of it */
            xs[i] = i && gen_chance(g->src, 25) ? twin(g, xs[i - 1]) : NULL;
            if (!xs[i]) xs[i] = gen_expr(g, t->elem, d);
        }
        return m_x_set(g->a, n, xs);
    }
    case GEN_T_RECORD: return record_expr(g, t, depth, false);
    case GEN_T_DATETIME:
        if (gen_chance(g->src, 40)) return pair(g, M_FN_OFFSET, &t_datetime, &t_duration, d);
        if (gen_chance(g->src, 30)) return call1(g, M_FN_TO_DATE, gen_expr(g, &t_datetime, d));
        break;
    case GEN_T_DURATION:
        if (gen_chance(g->src, 30))
            return pair(g, M_FN_DURATION_SINCE, &t_datetime, &t_datetime, d);
        if (gen_chance(g->src, 30)) return call1(g, M_FN_TO_TIME, gen_expr(g, &t_datetime, d));
        break;
    default: break;
    }
    /* now and then a constructor of a string computed at run time (an
     * attribute, a context field, a conditional): well typed, rejected by
     * strict validation only, and an extension error when it does not parse */
    if (t->kind >= GEN_T_DECIMAL && gen_chance(g->src, 15))
        return call1(g, ctor_of(t->kind), gen_expr(g, &t_string, d));
    return lit_expr(g, t, d);
}

/* ---- loose generation ------------------------------------------------------- */

/* Every operator and extension function (m_ops.def, in its order: a saved
 * input decodes by it), for loose expressions with operands of any type. */
static const m_op1 loose_op1s[] = {
#define M_OP1(kind, name, syntax, arg, result) M_##kind,
#include "m_ops.def"
};
static const m_op2 loose_op2s[] = {
#define M_OP2(kind, name, syntax, arg_a, arg_b, result) M_##kind,
#include "m_ops.def"
};
static const struct loose_fn {
    m_extfn fn;
    int arity;
} loose_fns[] = {
#define M_FN(kind, name, syntax, arity, arg_a, arg_b, result) {M_FN_##kind, arity},
#include "m_ops.def"
};
static const m_var vars[] = {M_PRINCIPAL, M_ACTION, M_RESOURCE, M_CONTEXT};

/* An attribute name that the schema declares somewhere, or any. */
static m_str loose_attr(gen_ctx *g)
{
    if (gen_chance(g->src, 60)) {
        const gen_type *r = NULL;
        if (gen_chance(g->src, 70)) {
            const gen_etype *e = &g->s->etypes[random_ety(g)];
            r = e->shape;
        } else {
            r = g->s->actions[gen_pick(g->src, g->s->n_actions)].context;
        }
        if (r && r->n) return r->attrs[gen_pick(g->src, r->n)].name;
    }
    return gen_attr_name(g->src);
}

static m_str loose_type_name(gen_ctx *g)
{
    switch (gen_pick(g->src, 5)) {
    case 0: return g->s->action_type;
    case 1: return m_str_c("Unknown");
    default: return g->s->etypes[random_ety(g)].name;
    }
}

static const m_expr *loose_leaf(gen_ctx *g)
{
    switch (gen_pick(g->src, 8)) {
    case 0: return lit(g, m_int(gen_long(g->src)));
    case 1: return lit(g, m_bool(gen_chance(g->src, 50)));
    case 2: return str_lit(g, gen_string(g));
    case 3: return m_x_var(g->a, GEN_PICK_OF(g->src, vars));
    case 4:
        if (gen_chance(g->src, 20)) {
            m_str type = loose_type_name(g);
            return lit(g, m_entityv((m_uid){type, gen_id(g->src)}));
        }
        if (gen_chance(g->src, 20)) return lit(g, m_entityv(action_uid(g)));
        return lit(g, m_entityv(gen_uid_of(g, random_ety(g), true)));
    case 5: {
        gen_tkind k = GEN_PICK_OF(g->src, gen_ext_kinds);
        return call1(g, ctor_of(k), str_lit(g, gen_ext_string(g, k, gen_chance(g->src, 60))));
    }
    case 6: return m_x_var(g->a, M_CONTEXT);
    default: return m_x_var(g->a, gen_chance(g->src, 50) ? M_PRINCIPAL : M_RESOURCE);
    }
}

/* A unary operator (`is` with a type, `like` with a pattern) on any operand. */
static const m_expr *loose_unary(gen_ctx *g, unsigned d)
{
    m_op1 op = GEN_PICK_OF(g->src, loose_op1s);
    const m_expr *x = gen_expr_any(g, d);
    m_str matching;
    if (op == M_LIKE) return m_x_like(g->a, x, gen_pattern(g, &matching));
    if (op == M_IS) return m_x_is(g->a, x, loose_type_name(g));
    return m_x_unary(g->a, op, x);
}

/* A binary operator on any operands. */
static const m_expr *loose_binary(gen_ctx *g, unsigned d)
{
    m_op2 op = GEN_PICK_OF(g->src, loose_op2s);
    const m_expr *x;
    if (op == M_MEM && gen_chance(g->src, 40)) {
        /* an entity in a set that holds something else too */
        const m_expr *xs[2];
        xs[0] = loose_leaf(g);
        xs[1] = lit(g, m_entityv(gen_uid_of(g, random_ety(g), true)));
        x = lit(g, m_entityv(gen_uid_of(g, random_ety(g), true)));
        return m_x_binary(g->a, M_MEM, x, m_x_set(g->a, 2, xs));
    }
    x = gen_expr_any(g, d);
    const m_expr *y = (op == M_HAS_TAG || op == M_GET_TAG) && gen_chance(g->src, 60)
                          ? str_lit(g, loose_attr(g))
                          : gen_expr_any(g, d);
    x = m_x_binary(g->a, op, x, y);
    /* !(x <= y) and !(x < y) print as x > y and x >= y */
    if ((op == M_LESS || op == M_LESS_EQ) && gen_chance(g->src, 40)) x = m_x_unary(g->a, M_NOT, x);
    return x;
}

/* A record with distinct keys, in key order. */
static const m_expr *loose_record(gen_ctx *g, unsigned d)
{
    size_t n = gen_range(g->src, 0, 3);
    gen_attr *at = m_alloc(g->a, (n + 1) * sizeof *at);
    m_str *keys = m_alloc(g->a, (n + 1) * sizeof *keys);
    const m_expr **xs = m_alloc(g->a, (n + 1) * sizeof *xs);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        m_str k = loose_attr(g);
        size_t j = 0;
        while (j < m && !m_str_eq(at[j].name, k))
            j++;
        if (j == m) at[m++] = (gen_attr){k, &t_long, true};
    }
    /* sort the keys as record_expr expects them */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0; j--) {
            if (!key_before(at[j].name, at[j - 1].name)) break;
            gen_attr tmp = at[j];
            at[j] = at[j - 1];
            at[j - 1] = tmp;
        }
    for (size_t i = 0; i < m; i++) {
        keys[i] = at[i].name;
        xs[i] = gen_expr_any(g, d);
    }
    return m_x_record(g->a, m, keys, xs);
}

const m_expr *gen_expr_any(gen_ctx *g, unsigned depth)
{
    if (depth == 0) return loose_leaf(g);
    if (gen_chance(g->src, 6)) return gen_corner_loose(g);
    unsigned d = depth - 1;
    gen_mode saved = g->mode;
    const m_expr *x;
    GEN_ONE_OF (g->src) {
        GEN_OR (1) return loose_leaf(g);
        GEN_OR (1) { /* a typed expression of any type */
            g->mode = GEN_TYPED;
            x = gen_expr(g, gen_some_type(g, 1), depth);
            g->mode = saved;
            return x;
        }
        GEN_OR (1) {
            const m_expr *c = gen_expr_any(g, d);
            x = gen_expr_any(g, d);
            return m_x_ite(g->a, c, x, gen_expr_any(g, d));
        }
        GEN_OR (1) {
            x = gen_expr_any(g, d);
            return gen_chance(g->src, 50) ? m_x_and(g->a, x, gen_expr_any(g, d))
                                          : m_x_or(g->a, x, gen_expr_any(g, d));
        }
        GEN_OR (1) return loose_unary(g, d);
        GEN_OR (3) return loose_binary(g, d);
        GEN_OR (1) {
            x = gen_expr_any(g, d);
            return m_x_get_attr(g->a, x, loose_attr(g));
        }
        GEN_OR (1) {
            x = gen_expr_any(g, d);
            return m_x_has_attr(g->a, x, loose_attr(g));
        }
        GEN_OR (1) {
            size_t n = gen_range(g->src, 0, 3);
            const m_expr **xs = m_alloc(g->a, (n + 1) * sizeof *xs);
            for (size_t i = 0; i < n; i++)
                xs[i] = gen_expr_any(g, d);
            return m_x_set(g->a, n, xs);
        }
        GEN_OR (1) return loose_record(g, d);
        GEN_OR (4) { /* any extension function, arguments of any type */
            const struct loose_fn *f = &GEN_PICK_OF(g->src, loose_fns);
            const m_expr *xs[2];
            for (int i = 0; i < f->arity; i++)
                xs[i] = gen_chance(g->src, 50) ? gen_expr_any(g, d)
                                               : lit_expr(g, gen_some_type(g, 0), 1);
            return m_x_call(g->a, f->fn, (size_t)f->arity, xs);
        }
    }
    return loose_leaf(g); /* not reached */
}
