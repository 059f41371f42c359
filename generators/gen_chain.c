/* gen_chain.c: long chains of one operator, now and then: `a || b || ...`,
 * `a && b && ...`, `a + b - c ...`, `a * b * ...` with a few hundred to a
 * few thousand terms, and attribute paths `x.a.b...` as long as the schema's
 * types go on (an entity type that reaches itself through its attributes).
 * The DRT targets then compare core and the model on them: neither may
 * recurse per term. Every choice is its own statement (C leaves the order of
 * argument evaluation unspecified). */
#include "gen_int.h"

static const gen_type t_bool = {GEN_T_BOOL, 0, NULL, 0, NULL, -1};
static const gen_type t_long = {GEN_T_LONG, 0, NULL, 0, NULL, -1};

static size_t chain_len(gen_ctx *g)
{
    return (size_t)gen_range(g->src, 200, 3000);
}

/* A term of depth 0 or 1, or now and then the operator's neutral literal so
 * that evaluation goes further before it is decided. */
static const m_expr *bool_term(gen_ctx *g, bool neutral)
{
    if (gen_chance(g->src, 30)) return m_x_lit(g->a, m_bool(neutral));
    unsigned depth = gen_chance(g->src, 20) ? 1 : 0;
    return gen_expr(g, &t_bool, depth);
}

const m_expr *gen_chain_bool(gen_ctx *g)
{
    bool is_and = gen_chance(g->src, 50);
    size_t n = chain_len(g);
    const m_expr *x = bool_term(g, is_and);
    for (size_t i = 1; i < n; i++) {
        const m_expr *y = bool_term(g, is_and);
        x = is_and ? m_x_and(g->a, x, y) : m_x_or(g->a, x, y);
    }
    return x;
}

/* `+` alone, `+` and `-` mixed, or `*` (mostly times one, so that an
 * overflow comes at some term deep in the chain) */
const m_expr *gen_chain_long(gen_ctx *g)
{
    size_t kind = gen_pick(g->src, 3);
    size_t n = chain_len(g);
    const m_expr *x = gen_expr(g, &t_long, 0);
    for (size_t i = 1; i < n; i++) {
        m_op2 op = kind == 2 ? M_MUL : M_ADD;
        if (kind == 1 && gen_chance(g->src, 50)) op = M_SUB;
        const m_expr *y;
        if (op == M_MUL && gen_chance(g->src, 90)) {
            y = m_x_lit(g->a, m_int(1));
        } else if (gen_chance(g->src, 50)) {
            int64_t v = gen_irange(g->src, -3, 1000000);
            y = m_x_lit(g->a, m_int(v));
        } else {
            y = gen_expr(g, &t_long, 0);
        }
        x = m_x_binary(g->a, op, x, y);
    }
    return x;
}

/* The attributes of a value of type t (NULL: none). */
static const gen_type *shape_of(const gen_ctx *g, const gen_type *t)
{
    if (t->kind == GEN_T_RECORD) return t;
    if (t->kind == GEN_T_ENTITY && !g->s->etypes[t->ety].n_enum) return g->s->etypes[t->ety].shape;
    return NULL;
}

static bool walkable(const gen_ctx *g, const gen_type *t)
{
    const gen_type *r = shape_of(g, t);
    return r && r->n > 0;
}

/* `x.a.b.c ... has z` from principal, resource or context, following
 * attributes whose values have attributes; NULL when there is no start. */
const m_expr *gen_chain_attr(gen_ctx *g)
{
    gen_type *pt = m_alloc(g->a, sizeof *pt), *rt = m_alloc(g->a, sizeof *rt);
    *pt = (gen_type){GEN_T_ENTITY, g->penv, NULL, 0, NULL, -1};
    *rt = (gen_type){GEN_T_ENTITY, g->renv, NULL, 0, NULL, -1};
    const m_expr *starts[3];
    const gen_type *types[3];
    size_t k = 0;
    if (g->penv >= 0) starts[k] = m_x_var(g->a, M_PRINCIPAL), types[k++] = pt;
    if (g->renv >= 0) starts[k] = m_x_var(g->a, M_RESOURCE), types[k++] = rt;
    if (g->aenv >= 0)
        starts[k] = m_x_var(g->a, M_CONTEXT), types[k++] = g->s->actions[g->aenv].context;
    if (k == 0) return NULL;
    size_t start = gen_pick(g->src, k);
    const m_expr *x = starts[start];
    const gen_type *t = types[start];
    size_t n = chain_len(g);
    for (size_t i = 0; i < n; i++) {
        const gen_type *r = shape_of(g, t);
        size_t m = 0;
        for (size_t j = 0; r && j < r->n; j++)
            m += walkable(g, r->attrs[j].type);
        if (m == 0) break;
        size_t pick = gen_pick(g->src, m);
        const gen_attr *at = NULL;
        for (size_t j = 0; !at; j++)
            if (walkable(g, r->attrs[j].type) && pick-- == 0) at = &r->attrs[j];
        x = m_x_get_attr(g->a, x, at->name);
        t = at->type;
    }
    const gen_type *r = shape_of(g, t);
    m_str name = r && r->n ? r->attrs[gen_pick(g->src, r->n)].name : gen_attr_name(g->src);
    return m_x_has_attr(g->a, x, name);
}
