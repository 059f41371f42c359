/* gen_policy.c: policies (every scope form, when/unless conditions,
 * annotations, templates with their links) and the model's view of them. */
#include <inttypes.h>
#include <string.h>

#include "gen_int.h"

/* The scope of principal or resource, for requests whose variable has type ety. */
static gen_scope var_scope(gen_ctx *g, int ety, bool slot_ok)
{
    gen_scope sc = {.op = GEN_SC_ANY};
    GEN_ONE_OF (g->src) {
        GEN_OR (3) sc.op = GEN_SC_ANY;
        GEN_OR (2) sc.op = GEN_SC_EQ;
        GEN_OR (2) sc.op = GEN_SC_IN;
        GEN_OR (2) sc.op = GEN_SC_IS;
        GEN_OR (2) sc.op = GEN_SC_IS_IN;
    }
    const gen_schema *s = g->s;
    bool slot = slot_ok && gen_chance(g->src, 60);
    switch (sc.op) {
    case GEN_SC_EQ:
        sc.slot = slot;
        if (!slot)
            sc.uid =
                gen_uid_of(g, gen_chance(g->src, 90) ? ety : (int)gen_pick(g->src, s->n_etypes),
                           g->mode == GEN_LOOSE);
        break;
    case GEN_SC_IS_IN:
    case GEN_SC_IS:
        sc.is_type =
            s->etypes[gen_chance(g->src, 80) ? ety : (int)gen_pick(g->src, s->n_etypes)].name;
        if (sc.op == GEN_SC_IS) break;
        /* fall through */
    case GEN_SC_IN:
        sc.slot = slot;
        if (!slot) sc.uid = gen_uid_related(g, ety);
        break;
    default: break;
    }
    return sc;
}

static gen_scope action_scope(gen_ctx *g, int act)
{
    const gen_schema *s = g->s;
    gen_scope sc = {.op = GEN_SC_ANY};
    GEN_ONE_OF (g->src) { /* no `is` in the action scope */
        GEN_OR (2) sc.op = GEN_SC_ANY;
        GEN_OR (3) sc.op = GEN_SC_EQ;
        GEN_OR (2) sc.op = GEN_SC_IN;
        GEN_OR (2) sc.op = GEN_SC_IN_SET;
    }
    /* an action group of act: act itself or an ancestor */
    int grp = act;
    for (int steps = (int)gen_range(g->src, 0, 2); steps > 0 && s->actions[grp].n_member_of;
         steps--)
        grp = s->actions[grp].member_of[gen_pick(g->src, s->actions[grp].n_member_of)];
    switch (sc.op) {
    case GEN_SC_EQ:
        sc.uid = s->actions[gen_chance(g->src, 85) ? act : (int)gen_pick(g->src, s->n_actions)].uid;
        break;
    case GEN_SC_IN: sc.uid = s->actions[grp].uid; break;
    case GEN_SC_IN_SET: {
        size_t n = gen_chance(g->src, 5) ? 0 : gen_range(g->src, 1, 3);
        m_uid *us = m_alloc(g->a, (n + 1) * sizeof *us);
        for (size_t i = 0; i < n; i++)
            us[i] =
                s->actions[i == 0 && gen_chance(g->src, 80) ? grp
                                                            : (int)gen_pick(g->src, s->n_actions)]
                    .uid;
        sc.uids = us;
        sc.n_uids = n;
        break;
    }
    default: break;
    }
    return sc;
}

/* A uid whose id has a normalized text form (printable ASCII), for links. */
static m_uid linkable(m_uid u)
{
    for (size_t i = 0; i < u.id.len; i++)
        if ((unsigned char)u.id.ptr[i] < 0x20 || (unsigned char)u.id.ptr[i] > 0x7e) {
            u.id = m_str_c("alice");
            break;
        }
    return u;
}

static const gen_annot *annotations(gen_ctx *g, size_t *n)
{
    size_t k = gen_chance(g->src, 15) ? gen_range(g->src, 1, 2) : 0, m = 0;
    gen_annot *as = m_alloc(g->a, (k + 1) * sizeof *as);
    for (size_t i = 0; i < k; i++) {
        m_str key = gen_ident(g->src);
        if (m && m_str_eq(as[0].key, key)) continue;
        as[m].key = key;
        as[m].has_value = gen_chance(g->src, 80);
        as[m].value = as[m].has_value ? gen_string(g) : m_str_c("");
        m++;
    }
    *n = m;
    return as;
}

void gen_policies_build(gen_ctx *g, gen_case *c, const gen_opts *o)
{
    size_t n = gen_range(g->src, 1, o->max_policies);
    gen_policy *ps = m_alloc(g->a, (3 * n + 1) * sizeof *ps);
    int *penv = m_alloc(g->a, (n + 1) * sizeof *penv),
        *renv = m_alloc(g->a, (n + 1) * sizeof *renv);
    for (size_t i = 0; i < n; i++) {
        gen_policy *p = &ps[i];
        int act = gen_applied_action(g);
        const gen_action *a = &g->s->actions[act];
        g->aenv = act;
        g->penv = penv[i] = a->principals[gen_pick(g->src, a->n_principals)];
        g->renv = renv[i] = a->resources[gen_pick(g->src, a->n_resources)];
        gen_ctx_alias(g);
        p->id = gen_str_num(g->a, "policy", i);
        p->effect = gen_chance(g->src, 40) ? M_FORBID : M_PERMIT;
        p->link_of = -1;
        p->annots = annotations(g, &p->n_annots);
        bool tmpl = o->templates && gen_chance(g->src, 15);
        p->scope[0] = var_scope(g, g->penv, tmpl);
        p->scope[1] = action_scope(g, act);
        p->scope[2] = var_scope(g, g->renv, tmpl);
        p->is_template = p->scope[0].slot || p->scope[2].slot;
        size_t k = gen_range(g->src, 0, 3);
        gen_cond *cs = m_alloc(g->a, (k + 1) * sizeof *cs);
        for (size_t j = 0; j < k; j++) {
            cs[j].is_when = !gen_chance(g->src, 25);
            unsigned depth = (unsigned)gen_range(g->src, 1, g->max_depth);
            cs[j].body = g->mode == GEN_LOOSE && gen_chance(g->src, 60) ? gen_expr_any(g, depth)
                                                                        : gen_bool_expr(g, depth);
        }
        p->conds = cs;
        p->n_conds = k;
    }
    /* links of the templates, after the policies of the text */
    size_t m = n;
    for (size_t i = 0; i < n; i++) {
        if (!ps[i].is_template) continue;
        for (size_t k = gen_range(g->src, 0, 2); k > 0; k--, m++) {
            gen_policy *l = &ps[m];
            *l = ps[i];
            l->is_template = false;
            l->link_of = (int)i;
            l->id = gen_str_num(g->a, "link", m - n);
            if (ps[i].scope[0].slot) l->slot_principal = linkable(gen_uid_related(g, penv[i]));
            if (ps[i].scope[2].slot) l->slot_resource = linkable(gen_uid_related(g, renv[i]));
        }
    }
    c->policies = ps;
    c->n_policies = m;
}

/* ---- the model's view --------------------------------------------------------- */

/* The scope as the model's, a slot replaced by the link's value. */
static m_scope model_scope(const gen_scope *sc, m_uid slot)
{
    static const m_scope_op ops[] = {
        [GEN_SC_ANY] = M_SCOPE_ANY,     [GEN_SC_EQ] = M_SCOPE_EQ,
        [GEN_SC_IN] = M_SCOPE_IN,       [GEN_SC_IS] = M_SCOPE_IS,
        [GEN_SC_IS_IN] = M_SCOPE_IS_IN, [GEN_SC_IN_SET] = M_SCOPE_IN_SET,
    };
    return (m_scope){ops[sc->op], sc->slot ? slot : sc->uid, sc->is_type, sc->n_uids, sc->uids};
}

m_policy gen_model_policy(m_arena *a, const gen_case *c, size_t i)
{
    const gen_policy *p = &c->policies[i];
    m_uid none = {{0}, {0}}; /* action scopes have no slot */
    m_policy_def def = {p->id,
                        p->effect,
                        model_scope(&p->scope[0], p->slot_principal),
                        model_scope(&p->scope[1], none),
                        model_scope(&p->scope[2], p->slot_resource),
                        p->n_conds,
                        p->conds};
    return m_policy_of(a, &def);
}

size_t gen_model_policies(m_arena *a, const gen_case *c, m_policy **out)
{
    m_policy *ps = m_alloc(a, (c->n_policies + 1) * sizeof *ps);
    size_t n = 0;
    for (size_t i = 0; i < c->n_policies; i++)
        if (!c->policies[i].is_template) ps[n++] = gen_model_policy(a, c, i);
    *out = ps;
    return n;
}

m_response gen_model_answer(m_arena *a, const gen_case *c, size_t i)
{
    m_policy *ps;
    size_t n = gen_model_policies(a, c, &ps);
    return m_is_authorized(&c->requests[i].r, &c->entities, n, ps, a);
}

gen_case gen_case_without_links(m_arena *a, const gen_case *c)
{
    gen_case out = *c;
    gen_policy *ps = m_alloc(a, (c->n_policies + 1) * sizeof *ps);
    size_t n = 0;
    for (size_t i = 0; i < c->n_policies; i++) {
        const gen_policy *p = &c->policies[i];
        if (p->is_template) continue;
        ps[n] = *p;
        if (p->link_of >= 0) {
            if (p->scope[0].slot)
                ps[n].scope[0].slot = false, ps[n].scope[0].uid = p->slot_principal;
            if (p->scope[2].slot)
                ps[n].scope[2].slot = false, ps[n].scope[2].uid = p->slot_resource;
            ps[n].link_of = -1;
        }
        ps[n].id = gen_str_num(a, "policy", n);
        n++;
    }
    out.policies = ps;
    out.n_policies = n;
    return out;
}

/* ---- the whole case ------------------------------------------------------------ */

void gen_case_build(gen_case *c, m_arena *a, gen_src *src, const gen_opts *o, gen_ctx *gout)
{
    memset(c, 0, sizeof *c);
    gen_ctx g = {.src = src,
                 .a = a,
                 .mode = o->mode,
                 .s = &c->schema,
                 .penv = -1,
                 .renv = -1,
                 .aenv = -1,
                 .max_depth = 4,
                 .safe_data_longs = o->safe_data_longs};
    c->mode = o->mode;
    c->style = gen_range(src, 0, 0xffff) * 0x9e3779b97f4a7c15ull;
    gen_schema_build(&g, &c->schema);
    gen_entities_build(&g, c);
    gen_requests_build(&g, c, o->max_requests);
    if (o->max_policies) gen_policies_build(&g, c, o);
    if (gout) *gout = g;
}

void gen_ctx_env(gen_ctx *g, const gen_request *rq)
{
    g->penv = gen_schema_etype(g->s, rq->r.principal.type);
    g->renv = gen_schema_etype(g->s, rq->r.resource.type);
    g->aenv = gen_schema_action(g->s, rq->r.action);
    gen_ctx_alias(g);
}

/* ---- values as expressions ----------------------------------------------------- */

static const m_expr *ctor_call(m_arena *a, m_extfn fn, gen_buf *arg)
{
    const m_expr *x = m_x_lit(a, m_string(gen_buf_to_str(a, arg)));
    return m_x_call(a, fn, 1, &x);
}

const m_expr *gen_value_expr(m_arena *a, m_value v)
{
    gen_style plain = {0, 0};
    gen_buf arg;
    gen_buf_init(&arg);
    switch (v.kind) {
    case M_V_SET: {
        const m_expr **xs = m_alloc(a, (v.u.set.n + 1) * sizeof *xs);
        for (size_t i = 0; i < v.u.set.n; i++)
            xs[i] = gen_value_expr(a, v.u.set.elems[i]);
        return m_x_set(a, v.u.set.n, xs);
    }
    case M_V_RECORD: {
        /* fields in key order, as the parser keeps them */
        size_t n = v.u.rec.n;
        m_str *keys = m_alloc(a, (n + 1) * sizeof *keys);
        const m_expr **xs = m_alloc(a, (n + 1) * sizeof *xs);
        for (size_t i = 0; i < n; i++) {
            m_str k = v.u.rec.fields[i].key;
            const m_expr *x = gen_value_expr(a, v.u.rec.fields[i].val);
            size_t j = i;
            for (; j > 0; j--) {
                size_t m = keys[j - 1].len < k.len ? keys[j - 1].len : k.len;
                int c = m ? memcmp(keys[j - 1].ptr, k.ptr, m) : 0;
                if (c < 0 || (c == 0 && keys[j - 1].len <= k.len)) break;
                keys[j] = keys[j - 1], xs[j] = xs[j - 1];
            }
            keys[j] = k, xs[j] = x;
        }
        return m_x_record(a, n, keys, xs);
    }
    case M_V_DECIMAL: gen_fmt_decimal(&arg, v.u.i, &plain); return ctor_call(a, M_FN_DECIMAL, &arg);
    case M_V_IPADDR: gen_fmt_ip(&arg, &v.u.ip, &plain); return ctor_call(a, M_FN_IP, &arg);
    case M_V_DURATION:
        gen_fmt_duration(&arg, v.u.i, &plain);
        return ctor_call(a, M_FN_DURATION, &arg);
    case M_V_DATETIME:
        if (gen_fmt_datetime(&arg, v.u.i, &plain)) return ctor_call(a, M_FN_DATETIME, &arg);
        gen_buf_puts(&arg, "1970-01-01");
        const m_expr *dt = ctor_call(a, M_FN_DATETIME, &arg);
        gen_buf_init(&arg);
        gen_buf_printf(&arg, "%" PRId64 "ms", v.u.i);
        const m_expr *xs[2] = {dt, ctor_call(a, M_FN_DURATION, &arg)};
        return m_x_call(a, M_FN_OFFSET, 2, xs);
    default: return m_x_lit(a, v);
    }
}

/* ---- structural equality ------------------------------------------------------- */

bool gen_value_same(m_value a, m_value b)
{
    return m_value_eq(a, b);
}

/* Patterns are equal when they are after merging adjacent stars. */
static bool pattern_eq(m_pattern a, m_pattern b)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i + 1 < a.n && a.elems[i] == M_STAR && a.elems[i + 1] == M_STAR)
            i++;
        while (j + 1 < b.n && b.elems[j] == M_STAR && b.elems[j + 1] == M_STAR)
            j++;
        if (i == a.n || j == b.n) return i == a.n && j == b.n;
        if (a.elems[i++] != b.elems[j++]) return false;
    }
}

bool gen_expr_eq(const m_expr *a, const m_expr *b)
{
    /* left operands by the loop, not by recursion: chains can be long */
    for (;;) {
        if (a->kind != b->kind) return false;
        switch (a->kind) {
        case M_X_LIT: return a->u.lit.kind == b->u.lit.kind && gen_value_same(a->u.lit, b->u.lit);
        case M_X_VAR: return a->u.var == b->u.var;
        case M_X_ITE:
            if (!gen_expr_eq(a->u.op.c, b->u.op.c)) return false;
            /* fall through */
        case M_X_AND:
        case M_X_OR:
            if (!gen_expr_eq(a->u.op.b, b->u.op.b)) return false;
            a = a->u.op.a, b = b->u.op.a;
            continue;
        case M_X_UNARY:
            if (a->u.un.op != b->u.un.op || !gen_expr_eq(a->u.un.arg, b->u.un.arg)) return false;
            if (a->u.un.op == M_IS) return m_str_eq(a->u.un.ety, b->u.un.ety);
            if (a->u.un.op == M_LIKE) return pattern_eq(a->u.un.pat, b->u.un.pat);
            return true;
        case M_X_BINARY:
            if (a->u.bin.op != b->u.bin.op || !gen_expr_eq(a->u.bin.b, b->u.bin.b)) return false;
            a = a->u.bin.a, b = b->u.bin.a;
            continue;
        case M_X_GET_ATTR:
        case M_X_HAS_ATTR:
            if (!m_str_eq(a->u.attr.attr, b->u.attr.attr)) return false;
            a = a->u.attr.arg, b = b->u.attr.arg;
            continue;
        case M_X_SET:
        case M_X_RECORD:
        case M_X_CALL:
            if (a->u.list.n != b->u.list.n) return false;
            if (a->kind == M_X_CALL && a->u.list.fn != b->u.list.fn) return false;
            for (size_t i = 0; i < a->u.list.n; i++) {
                if (a->kind == M_X_RECORD && !m_str_eq(a->u.list.keys[i], b->u.list.keys[i]))
                    return false;
                if (!gen_expr_eq(a->u.list.xs[i], b->u.list.xs[i])) return false;
            }
            return true;
        }
        return false;
    }
}
