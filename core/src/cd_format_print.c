/* cd_format_print.c: the document of a policy, with its comments.
 *
 * Each node's layout (where a group is, what nests, where a line may break)
 * and each comment's place follow the official formatter's rules. A token's
 * comments are taken once: the first rule that asks for them gets them, so
 * the order in which a node asks for its tokens' comments and its children's
 * documents matters, and follows the official order too. Comments that no
 * rule asks for are dropped, as they are by the official formatter.
 */
#include <string.h>

#include "cd_format.h"
#include "cd_stack.h"

typedef struct pctx {
    cd_ftoks *T;
    cd_arena *a;
    long ind;
    bool fail;
    uint32_t deep_tok; /* where the stack ran low (cd_stack.h), or UINT32_MAX */
} pctx;

typedef cd_fdoc doc;

static doc *cat(pctx *C, doc *x, doc *y)
{
    return cd_fdoc_cat(C->a, x, y);
}

static doc *cat3(pctx *C, doc *x, doc *y, doc *z)
{
    return cat(C, cat(C, x, y), z);
}

static doc *text(pctx *C, const char *s)
{
    return cd_fdoc_text(C->a, s, strlen(s));
}

static doc *str(pctx *C, cd_str s)
{
    return cd_fdoc_text(C->a, s.ptr, s.len);
}

static doc *group(pctx *C, doc *x)
{
    return cd_fdoc_group(C->a, x);
}

static doc *nest(pctx *C, doc *x, long off)
{
    return cd_fdoc_nest(C->a, x, off);
}

static doc *line(pctx *C)
{
    return cd_fdoc_line(C->a);
}

static doc *hard(pctx *C)
{
    return cd_fdoc_hardline(C->a);
}

/* ---- comments ---- */

static cd_fcom take(pctx *C, size_t i)
{
    cd_fcom c = C->T->t[i].com;
    C->T->t[i].com = (cd_fcom){0};
    return c;
}

static cd_fcom take_lead(pctx *C, size_t i)
{
    cd_fcom c = {C->T->t[i].com.lead, C->T->t[i].com.nlead, {0}};
    C->T->t[i].com.lead = NULL;
    C->T->t[i].com.nlead = 0;
    return c;
}

static cd_fcom at_start(pctx *C, const cd_fnode *n)
{
    return take(C, n->lo);
}

static cd_fcom at_end(pctx *C, const cd_fnode *n)
{
    return take(C, n->hi);
}

/* The token after the node (or the very first token when there is none). */
static cd_fcom after_end(pctx *C, const cd_fnode *n)
{
    return take(C, n->hi + 1 < C->T->n ? n->hi + 1 : 0);
}

static doc *lead_doc(pctx *C, const cd_fcom *c)
{
    if (!c->nlead) return NULL;
    doc *d = NULL;
    for (size_t i = 0; i < c->nlead; i++)
        d = cat(C, i ? cat(C, d, hard(C)) : d, str(C, c->lead[i]));
    return cat3(C, hard(C), d, hard(C));
}

static doc *trail_doc(pctx *C, const cd_fcom *c, doc *next)
{
    if (!c->trail.len) return next;
    return cat3(C, text(C, " "), str(C, c->trail), hard(C));
}

static doc *with_com(pctx *C, doc *d, cd_fcom c, doc *next)
{
    return cat3(C, lead_doc(C, &c), d, trail_doc(C, &c, next));
}

/* ---- expressions ---- */

static doc *expr(pctx *C, const cd_fnode *n);

static doc *tok_text(pctx *C, const cd_fnode *n)
{
    return str(C, C->T->t[n->lo].text);
}

/* An identifier or string token with its comments. */
static doc *ident(pctx *C, const cd_fnode *n)
{
    doc *d = tok_text(C, n);
    return with_com(C, d, at_start(C, n), NULL);
}

static doc *literal(pctx *C, const cd_fnode *n)
{
    const cd_ftok *t = &C->T->t[n->lo];
    doc *d;
    if (t->kind == CD_FK_NUMBER) { /* printed as a number: no leading zeros */
        size_t z = 0;
        while (z + 1 < t->text.len && t->text.ptr[z] == '0')
            z++;
        d = cd_fdoc_text(C->a, t->text.ptr + z, t->text.len - z);
    } else {
        d = tok_text(C, n);
    }
    return with_com(C, d, at_start(C, n), NULL);
}

static doc *name(pctx *C, const cd_fnode *n)
{
    if (n->n == 1) return ident(C, n->k[0]);
    doc *d = ident(C, n->k[0]);
    for (uint32_t i = 1; i + 1 < n->n; i++) {
        doc *sep = with_com(C, text(C, "::"), after_end(C, n->k[i - 1]), NULL);
        d = cat3(C, d, sep, ident(C, n->k[i]));
    }
    doc *sep = with_com(C, text(C, "::"), after_end(C, n->k[n->n - 2]), NULL);
    return cat3(C, d, sep, ident(C, n->k[n->n - 1]));
}

/* Items separated by commas, each comma with the comments after the item
 * before it, and a line after it. */
static doc *comma_list(pctx *C, cd_fnode *const *k, uint32_t n, doc *(*f)(pctx *, const cd_fnode *))
{
    if (!n) return NULL;
    doc *d = f(C, k[0]);
    for (uint32_t i = 1; i < n; i++) {
        doc *comma = with_com(C, text(C, ","), after_end(C, k[i - 1]), NULL);
        d = cat(C, cat3(C, d, comma, line(C)), f(C, k[i]));
    }
    return d;
}

static doc *recinit(pctx *C, const cd_fnode *n)
{
    doc *key = expr(C, n->k[0]);
    doc *val = expr(C, n->k[1]);
    doc *colon = with_com(C, text(C, ":"), after_end(C, n->k[0]), NULL);
    return cat(C, cat3(C, key, colon, text(C, " ")), val);
}

static doc *primary(pctx *C, const cd_fnode *n)
{
    switch (n->kind) {
    case CD_FN_LIT: return literal(C, n);
    case CD_FN_SLOT: return ident(C, n);
    case CD_FN_NAME: return name(C, n);
    case CD_FN_REF: {
        doc *path = name(C, n->k[0]);
        doc *sep = with_com(C, text(C, "::"), after_end(C, n->k[0]), NULL);
        return cat3(C, path, sep, ident(C, n->k[1]));
    }
    case CD_FN_PAREN: {
        doc *lp = with_com(C, text(C, "("), at_start(C, n), NULL);
        /* nested by 1: a broken expression lines up after the parenthesis */
        doc *e = nest(C, expr(C, n->k[0]), 1);
        doc *rp = with_com(C, text(C, ")"), at_end(C, n), NULL);
        return group(C, cat3(C, lp, e, rp));
    }
    case CD_FN_LIST: {
        doc *body = comma_list(C, n->k, n->n, expr);
        doc *lb = with_com(C, text(C, "["), at_start(C, n), NULL);
        doc *rb = with_com(C, text(C, "]"), at_end(C, n), NULL);
        return cat3(C, lb, nest(C, body, 1), rb);
    }
    case CD_FN_RECORD: {
        doc *body = NULL;
        if (n->n) {
            doc *inits = comma_list(C, n->k, n->n, recinit);
            body = group(C, cat3(C, line(C), inits, line(C)));
        }
        doc *lb = with_com(C, text(C, "{"), at_start(C, n), NULL);
        doc *rb = with_com(C, text(C, "}"), at_end(C, n), NULL);
        return cat3(C, lb, nest(C, body, C->ind), rb);
    }
    default: C->fail = true; return NULL;
    }
}

static doc *access(pctx *C, const cd_fnode *n)
{
    switch (n->kind) {
    case CD_FN_FIELD: {
        doc *dot = with_com(C, text(C, "."), at_start(C, n), NULL);
        return cat(C, dot, ident(C, n->k[0]));
    }
    case CD_FN_CALL: {
        doc *lp = with_com(C, text(C, "("), at_start(C, n), NULL);
        doc *args = NULL;
        if (n->n) {
            doc *list = comma_list(C, n->k, n->n, expr);
            args = cat(C, nest(C, cat(C, cd_fdoc_line_(C->a), list), C->ind), cd_fdoc_line_(C->a));
        }
        doc *rp = with_com(C, text(C, ")"), at_end(C, n), NULL);
        return cat3(C, lp, args, rp);
    }
    default: { /* index */
        doc *lb = with_com(C, text(C, "["), at_start(C, n), NULL);
        doc *e = expr(C, n->k[0]);
        doc *rb = with_com(C, text(C, "]"), at_end(C, n), NULL);
        return cat3(C, lb, e, rb);
    }
    }
}

static doc *member(pctx *C, const cd_fnode *n)
{
    doc *item = primary(C, n->k[0]);
    doc *acc = NULL;
    for (uint32_t i = 1; i < n->n; i++)
        acc = cat(C, i > 1 ? cat(C, acc, cd_fdoc_line_(C->a)) : acc, access(C, n->k[i]));
    return group(C, cat(C, item, nest(C, acc, C->ind)));
}

static doc *unary(pctx *C, const cd_fnode *n)
{
    const cd_fnode *m = n->k[0];
    if (!n->aux) return member(C, m);
    if (n->aux > 4) { /* the official formatter refuses five or more */
        C->fail = true;
        return NULL;
    }
    doc *ops = NULL;
    for (uint32_t i = n->lo; i < m->lo; i++) {
        cd_fcom c = take(C, i);
        ops = cat(C, ops, with_com(C, str(C, C->T->t[i].text), c, NULL));
    }
    return cat(C, ops, member(C, m));
}

/* `+`/`-` and `*`/`/`/`%` chains: the operator keeps to the right of its
 * left operand, a line may break after it. */
static doc *arith(pctx *C, const cd_fnode *n, doc *(*f)(pctx *, const cd_fnode *))
{
    doc *d = f(C, n->k[0]);
    for (uint32_t i = 1; i < n->n; i++) {
        doc *op = with_com(C, str(C, C->T->t[n->ops[i - 1]].text), after_end(C, n->k[i - 1]), NULL);
        d = cat(C, cat(C, cat3(C, d, text(C, " "), op), line(C)), f(C, n->k[i]));
    }
    return group(C, d);
}

static doc *mult(pctx *C, const cd_fnode *n)
{
    return arith(C, n, unary);
}

static doc *add(pctx *C, const cd_fnode *n)
{
    return arith(C, n, mult);
}

static doc *relation(pctx *C, const cd_fnode *n)
{
    const cd_fnode *t = n->k[0];
    switch (n->kind) {
    case CD_FN_REL: {
        if (n->n == 1) return add(C, t);
        doc *l = add(C, t);
        doc *op = with_com(C, str(C, C->T->t[n->op].text), after_end(C, t), NULL);
        doc *r = add(C, n->k[1]);
        return cat(C, cat3(C, l, text(C, " "), op), cat(C, text(C, " "), r));
    }
    case CD_FN_HAS:
    case CD_FN_LIKE: {
        doc *l = add(C, t);
        doc *kw =
            with_com(C, text(C, n->kind == CD_FN_HAS ? "has" : "like"), after_end(C, t), NULL);
        doc *r = nest(C, add(C, n->k[1]), C->ind);
        return group(C, cat(C, cat3(C, l, line(C), kw), cat(C, line(C), r)));
    }
    default: { /* is, is ... in */
        doc *l = add(C, t);
        doc *kw = with_com(C, text(C, "is"), after_end(C, t), NULL);
        doc *ty = nest(C, add(C, n->k[1]), C->ind);
        doc *d = cat(C, cat3(C, l, text(C, " "), kw), cat(C, text(C, " "), ty));
        if (n->n == 3) {
            doc *in = with_com(C, text(C, "in"), after_end(C, n->k[1]), NULL);
            doc *e = nest(C, add(C, n->k[2]), C->ind);
            d = cat(C, cat3(C, d, line(C), in), cat(C, text(C, " "), e));
        }
        return group(C, d);
    }
    }
}

/* `||` and `&&`: each operand, then the operator and a line. */
static doc *joined(pctx *C, const cd_fnode *n, const char *op, doc *(*f)(pctx *, const cd_fnode *))
{
    doc *d = NULL;
    for (uint32_t i = 0; i + 1 < n->n; i++) {
        cd_fcom c = after_end(C, n->k[i]);
        doc *e = f(C, n->k[i]);
        d = cat3(C, d, e, cat(C, text(C, " "), with_com(C, text(C, op), c, line(C))));
    }
    return cat(C, d, f(C, n->k[n->n - 1]));
}

static doc *and_expr(pctx *C, const cd_fnode *n)
{
    return joined(C, n, "&&", relation);
}

static doc *or_expr(pctx *C, const cd_fnode *n)
{
    return joined(C, n, "||", and_expr);
}

static doc *if_part(pctx *C, const char *kw, cd_fcom c, const cd_fnode *e)
{
    doc *k = with_com(C, text(C, kw), c, NULL);
    return cat(C, k, nest(C, cat(C, line(C), expr(C, e)), C->ind));
}

static doc *expr(pctx *C, const cd_fnode *n)
{
    if (C->fail) return NULL;
    if (cd_stack_low()) {
        C->fail = true;
        C->deep_tok = n->lo;
        return NULL;
    }
    if (n->kind != CD_FN_IF) return or_expr(C, n);
    cd_fcom ci = at_start(C, n);
    cd_fcom ct = after_end(C, n->k[0]);
    cd_fcom ce = after_end(C, n->k[1]);
    doc *d = if_part(C, "if", ci, n->k[0]);
    d = cat3(C, d, line(C), if_part(C, "then", ct, n->k[1]));
    d = cat3(C, d, line(C), if_part(C, "else", ce, n->k[2]));
    return group(C, d);
}

/* ---- policies ---- */

static doc *vardef(pctx *C, const cd_fnode *n)
{
    const cd_fnode *var = n->k[0], *ty = n->k[1], *rhs = n->k[2];
    cd_fcom start = at_start(C, n);
    doc *v = tok_text(C, var);
    doc *is = NULL;
    if (ty) {
        doc *kw = with_com(C, text(C, "is"), after_end(C, var), NULL);
        doc *first = group(C, cat(C, line(C), kw));
        doc *t = add(C, ty);
        doc *tc = with_com(C, t, at_start(C, ty), NULL);
        is = group(C, nest(C, cat(C, first, cat(C, line(C), tc)), C->ind));
    }
    if (!rhs) return cat(C, with_com(C, v, start, NULL), is);
    cd_fcom opc = after_end(C, ty ? ty : var);
    doc *left = cat(C, cat(C, v, trail_doc(C, &start, NULL)), is);
    doc *op = with_com(C, str(C, C->T->t[n->op].text), opc, NULL);
    left = group(C, cat3(C, left, line(C), op));
    doc *right = nest(C, cat(C, line(C), expr(C, rhs)), C->ind);
    return cat(C, lead_doc(C, &start), group(C, cat(C, left, right)));
}

static doc *cond(pctx *C, const cd_fnode *n)
{
    const cd_fnode *kw = n->k[0], *e = n->k[1];
    cd_fcom lb = after_end(C, kw);
    cd_fcom rb = at_end(C, n);
    cd_fcom cc = at_start(C, kw);
    doc *rbd = with_com(C, text(C, "}"), rb, NULL);
    doc *kwd = ident(C, kw);
    cd_fcom el = take_lead(C, e->lo);
    doc *ed = expr(C, e);
    doc *inner = cat(C, trail_doc(C, &lb, line(C)), cat(C, lead_doc(C, &el), group(C, ed)));
    inner = group(C, cat3(C, nest(C, inner, C->ind), line(C), rbd));
    doc *braces = cat(C, lead_doc(C, &lb), cat(C, text(C, "{"), inner));
    doc *d = group(C, cat3(C, kwd, trail_doc(C, &cc, line(C)), braces));
    return cat(C, lead_doc(C, &cc), d);
}

static doc *annotation(pctx *C, const cd_fnode *n)
{
    const cd_fnode *key = n->k[0], *val = n->k[1];
    doc *id = ident(C, key);
    doc *at = with_com(C, text(C, "@"), at_start(C, n), NULL);
    doc *v;
    if (val) {
        doc *lp = with_com(C, text(C, "("), after_end(C, key), NULL);
        doc *vd = ident(C, val);
        doc *rp = with_com(C, text(C, ")"), at_end(C, n), hard(C));
        v = cat3(C, lp, vd, rp);
    } else {
        v = hard(C);
    }
    return cat3(C, at, id, v);
}

cd_fdoc *cd_format_policy_doc(const cd_fnode *p, cd_ftoks *toks, long indent, cd_arena *a,
                              uint32_t *deep_tok)
{
    pctx C = {toks, a, indent, false, UINT32_MAX};
    *deep_tok = UINT32_MAX;
    uint32_t na = p->aux;
    if (p->op != 3) return NULL;
    const cd_fnode *eff = p->k[na], *const *vars = (const cd_fnode *const *)p->k + na + 1;
    doc *annos = NULL;
    for (uint32_t i = 0; i < na; i++)
        annos = cat(&C, annos, annotation(&C, p->k[i]));
    cd_fcom effl = take_lead(&C, eff->lo);
    doc *effd = ident(&C, eff);
    doc *pd = vardef(&C, vars[0]), *ad = vardef(&C, vars[1]), *rd = vardef(&C, vars[2]);
    bool plain = true;
    for (int i = 0; i < 3; i++)
        if (vars[i]->k[1] || vars[i]->k[2]) plain = false;
    doc *vd;
    if (plain) {
        doc *c1 = with_com(&C, text(&C, ","), after_end(&C, vars[0]), text(&C, " "));
        doc *c2 = with_com(&C, text(&C, ","), after_end(&C, vars[1]), text(&C, " "));
        vd = group(&C, nest(&C, cat(&C, cat3(&C, pd, c1, ad), cat(&C, c2, rd)), indent));
    } else {
        doc *c1 = with_com(&C, text(&C, ","), after_end(&C, vars[0]), hard(&C));
        doc *c2 = with_com(&C, text(&C, ","), after_end(&C, vars[1]), hard(&C));
        doc *body = cat(&C, cat3(&C, pd, c1, ad), cat(&C, c2, rd));
        vd = cat(&C, nest(&C, cat(&C, hard(&C), body), indent), hard(&C));
    }
    uint32_t nconds = p->n - na - 4;
    doc *conds = NULL;
    for (uint32_t i = 0; i < nconds; i++)
        conds = cat(&C, i ? cat(&C, conds, hard(&C)) : conds, cond(&C, p->k[na + 4 + i]));
    doc *lp = with_com(&C, text(&C, "("), after_end(&C, eff), NULL);
    doc *head = cat(&C, lead_doc(&C, &effl), group(&C, cat3(&C, effd, line(&C), lp)));
    doc *rp = with_com(&C, text(&C, ")"), after_end(&C, vars[2]), nconds ? hard(&C) : NULL);
    doc *semi = with_com(&C, text(&C, ";"), at_end(&C, p), NULL);
    doc *d = cat3(&C, annos, head, vd);
    d = cat3(&C, d, rp, conds);
    d = cat(&C, d, semi);
    *deep_tok = C.deep_tok;
    return C.fail ? NULL : d;
}
