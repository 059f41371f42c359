/* cd_format_cst.c: the concrete syntax tree the formatter lays out.
 *
 * The tree has a node for every level of the official grammar (expression,
 * ||, &&, relation, +, *, unary, member, primary), each spanning its first
 * to its last token, since the layout and the comments' places follow those
 * levels. The text has passed the real parser (cd_parse.c) before, so this
 * one only builds the tree; it returns false on what it cannot hold.
 */
#include "cd_format.h"
#include "cd_stack.h"

typedef struct parser {
    const cd_ftoks *T;
    size_t i;
    cd_arena *a;
    bool bad;
    int depth;
    bool too_deep;
    uint32_t deep_tok;
} parser;

static const cd_ftok *cur(parser *P)
{
    return P->i < P->T->n ? &P->T->t[P->i] : NULL;
}

/* The current token is punctuation (or keyword) s. */
static bool at(parser *P, const char *s)
{
    const cd_ftok *t = cur(P);
    return t && (t->kind == CD_FK_PUNCT || t->kind == CD_FK_IDENT) && cd_ftok_is(t, s);
}

static bool at_kind(parser *P, cd_fk k)
{
    const cd_ftok *t = cur(P);
    return t && t->kind == k;
}

static void expect(parser *P, const char *s)
{
    if (at(P, s))
        P->i++;
    else
        P->bad = true;
}

static cd_fnode *mk(parser *P, cd_fn kind, size_t lo)
{
    cd_fnode *n = CD_NEW(P->a, cd_fnode);
    *n = (cd_fnode){.kind = kind, .lo = (uint32_t)lo, .hi = (uint32_t)lo};
    return n;
}

/* Close node n at the last token read, with the children in v. */
static cd_fnode *done(parser *P, cd_fnode *n, cd_vec *v)
{
    n->hi = P->i > n->lo ? (uint32_t)(P->i - 1) : n->lo;
    if (v) {
        n->n = (uint32_t)v->len;
        n->k = cd_vec_finish(v, P->a);
    }
    return n;
}

static cd_fnode *one(parser *P, cd_fn kind, size_t lo, cd_fnode *a, cd_fnode *b, cd_fnode *c)
{
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_fnode *));
    *(cd_fnode **)cd_vec_push(&v) = a;
    if (b || c) *(cd_fnode **)cd_vec_push(&v) = b;
    if (c) *(cd_fnode **)cd_vec_push(&v) = c;
    return done(P, mk(P, kind, lo), &v);
}

static void add(cd_vec *v, cd_fnode *n)
{
    *(cd_fnode **)cd_vec_push(v) = n;
}

static cd_fnode *token(parser *P, cd_fn kind)
{
    if (!cur(P)) {
        P->bad = true;
        return mk(P, kind, P->T->n ? P->T->n - 1 : 0);
    }
    cd_fnode *n = mk(P, kind, P->i);
    P->i++;
    return n;
}

static cd_fnode *expr(parser *P);
static cd_fnode *add_expr(parser *P);

static bool at_relop(parser *P)
{
    return at(P, "<") || at(P, "<=") || at(P, ">=") || at(P, ">") || at(P, "!=") || at(P, "==") ||
           at(P, "in");
}

/* `ident (:: ident)*` up to a `::` followed by a string (a Ref's path). */
static cd_fnode *name(parser *P)
{
    size_t lo = P->i;
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_fnode *));
    add(&v, token(P, CD_FN_IDENT));
    while (at(P, "::") && P->i + 1 < P->T->n && P->T->t[P->i + 1].kind == CD_FK_IDENT) {
        P->i++;
        add(&v, token(P, CD_FN_IDENT));
    }
    return done(P, mk(P, CD_FN_NAME, lo), &v);
}

/* Comma-separated items of f up to `close`, a trailing comma allowed. */
static cd_fnode *items(parser *P, cd_fn kind, size_t lo, cd_fnode *(*f)(parser *),
                       const char *close)
{
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_fnode *));
    while (!P->bad && !at(P, close)) {
        add(&v, f(P));
        if (!at(P, ",")) break;
        P->i++;
    }
    expect(P, close);
    return done(P, mk(P, kind, lo), &v);
}

static cd_fnode *recinit(parser *P)
{
    size_t lo = P->i;
    cd_fnode *key = expr(P);
    expect(P, ":");
    cd_fnode *val = expr(P);
    return one(P, CD_FN_RECINIT, lo, key, val, NULL);
}

static cd_fnode *primary(parser *P)
{
    size_t lo = P->i;
    const cd_ftok *t = cur(P);
    if (!t) {
        P->bad = true;
        return mk(P, CD_FN_LIT, 0);
    }
    if (t->kind == CD_FK_NUMBER || t->kind == CD_FK_STRING || at(P, "true") || at(P, "false"))
        return token(P, CD_FN_LIT);
    if (t->kind == CD_FK_SLOT) return token(P, CD_FN_SLOT);
    if (t->kind == CD_FK_IDENT) {
        cd_fnode *n = name(P);
        if (at(P, "::") && P->i + 1 < P->T->n && P->T->t[P->i + 1].kind == CD_FK_STRING) {
            P->i++;
            cd_fnode *s = token(P, CD_FN_STR);
            return one(P, CD_FN_REF, lo, n, s, NULL);
        }
        return n;
    }
    P->i++;
    if (cd_ftok_is(t, "(")) {
        cd_fnode *e = expr(P);
        expect(P, ")");
        return one(P, CD_FN_PAREN, lo, e, NULL, NULL);
    }
    if (cd_ftok_is(t, "[")) return items(P, CD_FN_LIST, lo, expr, "]");
    if (cd_ftok_is(t, "{")) return items(P, CD_FN_RECORD, lo, recinit, "}");
    P->bad = true;
    return mk(P, CD_FN_LIT, lo);
}

static cd_fnode *member_rest(parser *P, size_t lo, cd_fnode *item)
{
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_fnode *));
    add(&v, item);
    for (;;) {
        size_t alo = P->i;
        if (at(P, ".")) {
            P->i++;
            cd_fnode *id = token(P, CD_FN_IDENT);
            add(&v, one(P, CD_FN_FIELD, alo, id, NULL, NULL));
        } else if (at(P, "(")) {
            P->i++;
            add(&v, items(P, CD_FN_CALL, alo, expr, ")"));
        } else if (at(P, "[")) {
            P->i++;
            cd_fnode *e = expr(P);
            expect(P, "]");
            add(&v, one(P, CD_FN_INDEX, alo, e, NULL, NULL));
        } else {
            break;
        }
        if (P->bad) break;
    }
    return done(P, mk(P, CD_FN_MEMBER, lo), &v);
}

static cd_fnode *unary(parser *P)
{
    size_t lo = P->i;
    uint32_t count = 0;
    if (at(P, "!") || at(P, "-")) {
        const char *op = at(P, "!") ? "!" : "-";
        while (at(P, op)) {
            P->i++;
            count++;
        }
    }
    size_t mlo = P->i;
    cd_fnode *m = member_rest(P, mlo, primary(P));
    cd_fnode *u = one(P, CD_FN_UNARY, lo, m, NULL, NULL);
    u->aux = count;
    return u;
}

/* A left-to-right chain of f joined by the operators ops (ADD, MULT). */
static cd_fnode *chain(parser *P, cd_fn kind, cd_fnode *(*f)(parser *), const char *const *ops)
{
    size_t lo = P->i;
    cd_vec v, o;
    cd_vec_init(&v, sizeof(cd_fnode *));
    cd_vec_init(&o, sizeof(uint32_t));
    add(&v, f(P));
    for (;;) {
        bool found = false;
        for (size_t k = 0; ops[k]; k++)
            if (at(P, ops[k])) found = true;
        if (!found || P->bad) break;
        *(uint32_t *)cd_vec_push(&o) = (uint32_t)P->i++;
        add(&v, f(P));
    }
    cd_fnode *n = done(P, mk(P, kind, lo), &v);
    n->ops = cd_vec_finish(&o, P->a);
    return n;
}

static cd_fnode *mult_expr(parser *P)
{
    static const char *const ops[] = {"*", "/", "%", NULL};
    return chain(P, CD_FN_MULT, unary, ops);
}

static cd_fnode *add_expr(parser *P)
{
    static const char *const ops[] = {"+", "-", NULL};
    return chain(P, CD_FN_ADD, mult_expr, ops);
}

static cd_fnode *relation(parser *P)
{
    size_t lo = P->i;
    cd_fnode *t = add_expr(P);
    if (at(P, "has") || at(P, "like")) {
        cd_fn kind = at(P, "has") ? CD_FN_HAS : CD_FN_LIKE;
        P->i++;
        return one(P, kind, lo, t, add_expr(P), NULL);
    }
    if (at(P, "is")) {
        P->i++;
        cd_fnode *ty = add_expr(P);
        cd_fnode *in = NULL;
        if (at(P, "in")) {
            P->i++;
            in = add_expr(P);
        }
        return one(P, CD_FN_IS, lo, t, ty, in);
    }
    cd_fnode *r;
    if (at_relop(P)) {
        uint32_t op = (uint32_t)P->i++;
        r = one(P, CD_FN_REL, lo, t, add_expr(P), NULL);
        r->op = op;
        if (at_relop(P)) P->bad = true; /* the official formatter refuses a < b < c */
    } else {
        r = one(P, CD_FN_REL, lo, t, NULL, NULL);
    }
    return r;
}

static cd_fnode *joined(parser *P, cd_fn kind, cd_fnode *(*f)(parser *), const char *op)
{
    size_t lo = P->i;
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_fnode *));
    add(&v, f(P));
    while (at(P, op) && !P->bad) {
        P->i++;
        add(&v, f(P));
    }
    return done(P, mk(P, kind, lo), &v);
}

static cd_fnode *and_expr(parser *P)
{
    return joined(P, CD_FN_AND, relation, "&&");
}

static cd_fnode *or_expr(parser *P)
{
    return joined(P, CD_FN_OR, and_expr, "||");
}

static cd_fnode *expr(parser *P)
{
    size_t lo = P->i;
    if (!P->bad && cd_stack_low()) {
        P->too_deep = true;
        P->deep_tok = (uint32_t)lo;
        P->bad = true;
    }
    if (P->bad || ++P->depth > 2000) {
        P->bad = true;
        return mk(P, CD_FN_LIT, lo);
    }
    cd_fnode *r;
    if (at(P, "if")) {
        P->i++;
        cd_fnode *c = expr(P);
        expect(P, "then");
        cd_fnode *t = expr(P);
        expect(P, "else");
        cd_fnode *e = expr(P);
        r = one(P, CD_FN_IF, lo, c, t, e);
    } else {
        r = or_expr(P);
    }
    P->depth--;
    return r;
}

static cd_fnode *vardef(parser *P)
{
    size_t lo = P->i;
    cd_fnode *var = token(P, CD_FN_IDENT);
    cd_fnode *ty = NULL, *rhs = NULL;
    uint32_t op = 0;
    if (at(P, ":")) P->bad = true; /* `principal: T`: refused by the official parser */
    if (at(P, "is")) {
        P->i++;
        ty = add_expr(P);
    }
    if (at_relop(P)) {
        op = (uint32_t)P->i++;
        rhs = expr(P);
    }
    cd_fnode *n = mk(P, CD_FN_VARDEF, lo);
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_fnode *));
    add(&v, var);
    add(&v, ty);
    add(&v, rhs);
    n->op = op;
    return done(P, n, &v);
}

static cd_fnode *policy(parser *P)
{
    size_t lo = P->i;
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_fnode *));
    uint32_t nannot = 0, nvars = 0;
    while (at(P, "@") && !P->bad) {
        size_t alo = P->i++;
        cd_fnode *key = token(P, CD_FN_IDENT);
        cd_fnode *val = NULL;
        if (at(P, "(")) {
            P->i++;
            if (!at_kind(P, CD_FK_STRING)) P->bad = true;
            val = token(P, CD_FN_STR);
            expect(P, ")");
        }
        cd_fnode *an = mk(P, CD_FN_ANNOT, alo);
        cd_vec av;
        cd_vec_init(&av, sizeof(cd_fnode *));
        add(&av, key);
        add(&av, val);
        add(&v, done(P, an, &av));
        nannot++;
    }
    add(&v, token(P, CD_FN_IDENT));
    expect(P, "(");
    while (!P->bad && !at(P, ")")) {
        add(&v, vardef(P));
        nvars++;
        if (!at(P, ",")) break;
        P->i++;
    }
    expect(P, ")");
    while (!P->bad && at_kind(P, CD_FK_IDENT)) {
        size_t clo = P->i;
        cd_fnode *kw = token(P, CD_FN_IDENT);
        expect(P, "{");
        cd_fnode *e = at(P, "}") ? NULL : expr(P);
        expect(P, "}");
        if (!e) P->bad = true;
        add(&v, one(P, CD_FN_COND, clo, kw, e, NULL));
    }
    expect(P, ";");
    if (nvars != 3) P->bad = true;
    cd_fnode *n = done(P, mk(P, CD_FN_POLICY, lo), &v);
    n->aux = nannot;
    n->op = nvars;
    return n;
}

bool cd_format_cst(const cd_ftoks *toks, cd_arena *a, cd_fpolicies *out)
{
    parser P = {.T = toks, .a = a};
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_fnode *));
    while (P.i < toks->n && !P.bad)
        add(&v, policy(&P));
    out->n = v.len;
    out->p = cd_vec_finish(&v, a);
    out->too_deep = P.too_deep;
    out->deep_tok = P.deep_tok;
    return !P.bad;
}
