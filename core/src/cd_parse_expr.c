/* cd_parse_expr.c: parsing Cedar expressions into the AST.
 *
 * One function per grammar level, from `if` and `||` down to primaries. Each
 * returns a cd_xs: either an expression or one of the bare forms (name,
 * variable, string, boolean, number) that the official parser keeps apart
 * until it knows how the form is used. Operators commit their operands with
 * cd_p_into_expr, which is where a stray name becomes an error.
 */
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>

#include "cd_parse_int.h"
#include "cd_stack.h"

/* The functions on the recursion path (one call of each per nesting level)
 * keep their frames small; anything needing sizeable locals is split out
 * into a function that is not inlined into them. */
#define NOINLINE __attribute__((noinline))

/* ---- building nodes ---------------------------------------------------- */

static cd_expr *node(cd_parser *p, cd_xkind kind, cd_loc loc)
{
    cd_expr *e = CD_NEW(p->arena, cd_expr);
    e->kind = kind;
    e->loc = loc;
    return e;
}

static bool set_expr(cd_parser *p, cd_xs *out, cd_expr *e, uint32_t height)
{
    if (height > CD_PARSE_MAX_HEIGHT)
        return cd_p_fail(p, cd_p_loc(p), "expression is nested too deeply (more than %d levels)",
                         CD_PARSE_MAX_HEIGHT);
    memset(out, 0, sizeof *out);
    out->kind = CD_XS_EXPR;
    out->e = e;
    out->loc = e->loc;
    out->height = height;
    return true;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

/* Commit a and b and combine them with a binary operator; loc is the node's. */
static bool binary(cd_parser *p, cd_xkind kind, cd_loc loc, cd_xs *a, cd_xs *b, cd_xs *out)
{
    cd_expr *ea, *eb;
    if (!cd_p_into_expr(p, a, &ea) || !cd_p_into_expr(p, b, &eb)) return false;
    cd_expr *e = node(p, kind, loc);
    e->u.op.a = ea;
    e->u.op.b = eb;
    /* a chain is one level: walkers loop over its left spine */
    if (cd_chain_class(kind) && cd_chain_class(ea->kind) == cd_chain_class(kind))
        return set_expr(p, out, e, max_u32(a->height, 1 + b->height));
    return set_expr(p, out, e, 1 + max_u32(a->height, b->height));
}

static bool unary(cd_parser *p, cd_xkind kind, cd_loc loc, cd_xs *x)
{
    cd_expr *ea;
    if (!cd_p_into_expr(p, x, &ea)) return false;
    cd_expr *e = node(p, kind, loc);
    e->u.op.a = ea;
    return set_expr(p, x, e, x->height + 1);
}

static bool get_attr(cd_parser *p, cd_loc loc, cd_xs *x, cd_str name)
{
    cd_expr *obj;
    if (!cd_p_into_expr(p, x, &obj)) return false;
    cd_expr *e = node(p, CD_X_GET_ATTR, loc);
    e->u.attr.obj = obj;
    e->u.attr.name = name;
    return set_expr(p, x, e, x->height + (obj->kind != CD_X_GET_ATTR)); /* chains: one level */
}

bool cd_p_into_expr(cd_parser *p, cd_xs *x, cd_expr **out)
{
    cd_expr *e;
    switch (x->kind) {
    case CD_XS_EXPR: *out = x->e; return true;
    case CD_XS_VAR:
        e = node(p, CD_X_VAR, x->loc);
        e->u.var = x->var;
        break;
    case CD_XS_NAME:
        return cd_p_fail(p, x->loc,
                         "invalid variable `%.*s`: the variables are `principal`, `action`, "
                         "`resource` and `context` (did you mean the string \"%.*s\"?)",
                         (int)x->name.len, x->name.ptr, (int)x->name.len, x->name.ptr);
    case CD_XS_STR: {
        cd_str s;
        if (!cd_p_string(p, x->tok, &s)) return false;
        e = node(p, CD_X_LIT, x->loc);
        e->u.lit = cd_string(s);
        break;
    }
    case CD_XS_BOOL:
        e = node(p, CD_X_LIT, x->loc);
        e->u.lit = cd_bool(x->b);
        break;
    case CD_XS_NUM:
        if (x->num > (uint64_t)INT64_MAX)
            return cd_p_fail(p, x->loc,
                             "integer literal `%llu` is too large (the largest is "
                             "9223372036854775807)",
                             (unsigned long long)x->num);
        e = node(p, CD_X_LIT, x->loc);
        e->u.lit = cd_long((int64_t)x->num);
        break;
    default: return cd_p_fail(p, x->loc, "internal error: bad expression form");
    }
    *out = e;
    x->kind = CD_XS_EXPR;
    x->e = e;
    x->height = 1;
    return true;
}

bool cd_p_check_ident(cd_parser *p, cd_str id, cd_loc loc)
{
    if (cd_str_eq_c(id, "__cedar"))
        return cd_p_fail(p, loc, "`__cedar` is reserved and cannot be used in a name");
    if (cd_ident_is_reserved(id))
        return cd_p_fail(p, loc, "`%.*s` is a reserved identifier and cannot be used here",
                         (int)id.len, id.ptr);
    return true;
}

bool cd_p_is_type(cd_parser *p, const cd_xs *x, const cd_name **out)
{
    if (x->kind == CD_XS_NAME) {
        *out = cd_name_intern(p->arena, x->name.ptr, x->name.len);
        return true;
    }
    if (x->kind == CD_XS_VAR) {
        static const char *const vars[] = {"principal", "action", "resource", "context"};
        const char *v = vars[x->var];
        *out = cd_name_intern(p->arena, v, strlen(v));
        return true;
    }
    return cd_p_fail(p, x->loc,
                     "the right-hand side of `is` must be an entity type name, like `User` or "
                     "`NS::User`");
}

/* ---- names, entity literals and primaries ------------------------------ */

static bool is_var_tok(cd_tok_kind k, cd_var *v)
{
    switch (k) {
    case CD_T_PRINCIPAL: *v = CD_VAR_PRINCIPAL; return true;
    case CD_T_ACTION: *v = CD_VAR_ACTION; return true;
    case CD_T_RESOURCE: *v = CD_VAR_RESOURCE; return true;
    case CD_T_CONTEXT: *v = CD_VAR_CONTEXT; return true;
    default: return false;
    }
}

/* Join the identifier tokens first..first+2*(n-1) (every other token, the
 * ones between being `::`) into "A::B::C", checking each component. */
static bool join_name(cd_parser *p, size_t first, size_t n, cd_str *out)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += p->toks.items[first + 2 * i].len + (i ? 2 : 0);
    char *buf = cd_arena_alloc(p->arena, total + 1);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        const cd_tok *t = &p->toks.items[first + 2 * i];
        if (!cd_p_check_ident(p, cd_p_text(p, t), cd_p_tok_loc(t))) return false;
        if (i) {
            memcpy(buf + w, "::", 2);
            w += 2;
        }
        memcpy(buf + w, p->src + t->offset, t->len);
        w += t->len;
    }
    buf[w] = 0;
    *out = (cd_str){buf, w};
    return true;
}

/* Name := Ident {'::' Ident}, or an entity literal Name '::' String. The
 * next token is an identifier. */
static NOINLINE bool name_or_ref(cd_parser *p, cd_xs *out)
{
    size_t first = p->pos;
    cd_loc loc = cd_p_loc(p);
    size_t n = 1;
    cd_p_next(p);
    while (cd_p_peek(p) == CD_T_COLONCOLON) {
        cd_tok_kind k = cd_p_peek_at(p, 1);
        if (cd_tok_is_any_ident(k)) {
            cd_p_next(p);
            cd_p_next(p);
            n++;
            continue;
        }
        if (k == CD_T_STRING) {
            cd_p_next(p);
            size_t stok = p->pos;
            cd_p_next(p);
            cd_str type, id;
            if (!join_name(p, first, n, &type) || !cd_p_string(p, stok, &id)) return false;
            cd_expr *e = node(p, CD_X_LIT, loc);
            cd_uid u = {cd_name_intern(p->arena, type.ptr, type.len), id, 0};
            u.hash = cd_uid_hash(&u); /* cached: `in` searches closures by hash */
            e->u.lit = cd_entityv(u);
            return set_expr(p, out, e, 1);
        }
        if (k == CD_T_LBRACE)
            return cd_p_fail(p, loc,
                             "invalid entity literal: entity literals look like "
                             "`Namespace::User::\"alice\"`");
        cd_p_next(p);
        return cd_p_unexpected(p, "an identifier or a string literal after `::`");
    }
    memset(out, 0, sizeof *out);
    out->loc = loc;
    out->height = 1;
    if (n == 1 && is_var_tok(p->toks.items[first].kind, &out->var)) {
        out->kind = CD_XS_VAR;
        return true;
    }
    out->kind = CD_XS_NAME;
    out->qualified = n > 1;
    return join_name(p, first, n, &out->name);
}

static bool parse_u64(cd_str s, uint64_t *out)
{
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        uint64_t d = (uint64_t)(s.ptr[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Comma<Expr> up to the closing token; commits each element. */
static NOINLINE bool expr_list(cd_parser *p, cd_tok_kind close, const char *what, cd_expr ***items,
                               size_t *n, uint32_t *height)
{
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_expr *));
    uint32_t h = 0;
    while (cd_p_peek(p) != close) {
        cd_xs x;
        cd_expr *e;
        if (!cd_p_expr(p, &x) || !cd_p_into_expr(p, &x, &e)) {
            cd_vec_free(&v);
            return false;
        }
        *(cd_expr **)cd_vec_push(&v) = e;
        h = max_u32(h, x.height);
        if (cd_p_peek(p) != CD_T_COMMA) break;
        cd_p_next(p);
    }
    if (!cd_p_expect(p, close, what)) {
        cd_vec_free(&v);
        return false;
    }
    *n = v.len;
    *items = cd_vec_finish(&v, p->arena);
    *height = h;
    return true;
}

/* A record key: an identifier, variable name or string literal. */
static bool record_key(cd_parser *p, cd_xs *k, cd_str *out)
{
    static const char *const vars[] = {"principal", "action", "resource", "context"};
    switch (k->kind) {
    case CD_XS_VAR: *out = cd_str_from_c(vars[k->var]); return true;
    case CD_XS_NAME:
        if (k->qualified)
            return cd_p_fail(p, k->loc,
                             "`%.*s` cannot be used as an attribute as it contains a namespace",
                             (int)k->name.len, k->name.ptr);
        *out = k->name;
        return true;
    case CD_XS_STR: return cd_p_string(p, k->tok, out);
    case CD_XS_BOOL:
        return cd_p_fail(p, k->loc, "`%s` is a reserved identifier and cannot be used here",
                         k->b ? "true" : "false");
    default:
        return cd_p_fail(p, k->loc,
                         "invalid attribute name: record keys must be identifiers or string "
                         "literals");
    }
}

typedef struct key_ref {
    cd_str key;
    size_t index;
} key_ref;

static int key_ref_cmp(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    int c = cd_str_cmp(x->key, y->key);
    if (c) return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

size_t cd_p_first_duplicate(const cd_str *keys, size_t n)
{
    if (n < 2) return n;
    key_ref *r = reallocarray(NULL, n, sizeof *r);
    if (!r) abort();
    for (size_t i = 0; i < n; i++)
        r[i] = (key_ref){keys[i], i};
    qsort(r, n, sizeof *r, key_ref_cmp);
    size_t best = n;
    for (size_t i = 1; i < n; i++)
        if (cd_str_eq(r[i].key, r[i - 1].key) && r[i].index < best) best = r[i].index;
    free(r);
    return best;
}

typedef struct rec_entry {
    cd_str key;
    cd_expr *val;
    cd_loc loc;
} rec_entry;

/* RecInit := Expr ':' Expr, the key being a name or string */
static NOINLINE bool record_entry(cd_parser *p, rec_entry *r, uint32_t *height)
{
    r->loc = cd_p_loc(p);
    if (cd_p_peek(p) == CD_T_IF && cd_p_peek_at(p, 1) == CD_T_COLON)
        return cd_p_fail(p, r->loc, "`if` is a reserved identifier and cannot be used here");
    cd_xs x;
    if (!cd_p_expr(p, &x) || !record_key(p, &x, &r->key)) return false;
    if (!cd_p_expect(p, CD_T_COLON, "`:`")) return false;
    if (!cd_p_expr(p, &x) || !cd_p_into_expr(p, &x, &r->val)) return false;
    *height = max_u32(*height, x.height);
    return true;
}

static NOINLINE bool record(cd_parser *p, cd_loc loc, cd_xs *out)
{
    cd_vec ents;
    cd_vec_init(&ents, sizeof(rec_entry));
    uint32_t h = 0;
    bool ok = false;
    while (cd_p_peek(p) != CD_T_RBRACE) {
        if (!record_entry(p, cd_vec_push(&ents), &h)) goto done;
        if (cd_p_peek(p) != CD_T_COMMA) break;
        cd_p_next(p);
    }
    if (!cd_p_expect(p, CD_T_RBRACE, "`,` or `}`")) goto done;
    size_t n = ents.len;
    const rec_entry *r = ents.items;
    cd_str *keys = CD_NEW_ARRAY(p->arena, cd_str, n ? n : 1);
    cd_expr **vals = CD_NEW_ARRAY(p->arena, cd_expr *, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        keys[i] = r[i].key;
        vals[i] = r[i].val;
    }
    size_t d = cd_p_first_duplicate(keys, n);
    if (d < n) {
        cd_p_fail(p, r[d].loc, "duplicate key `%.*s` in record literal", (int)keys[d].len,
                  keys[d].ptr);
        goto done;
    }
    cd_expr *e = node(p, CD_X_RECORD, loc);
    e->u.rec.n = n;
    e->u.rec.keys = keys;
    e->u.rec.vals = vals;
    ok = set_expr(p, out, e, h + 1);
done:
    cd_vec_free(&ents);
    return ok;
}

/* '(' Expr ')': the result is an expression, never a bare name or string */
static NOINLINE bool paren(cd_parser *p, cd_xs *out)
{
    cd_p_next(p);
    cd_expr *e;
    if (!cd_p_expr(p, out) || !cd_p_into_expr(p, out, &e)) return false;
    return cd_p_expect(p, CD_T_RPAREN, "`)`");
}

static NOINLINE bool set_literal(cd_parser *p, cd_loc loc, cd_xs *out)
{
    cd_p_next(p);
    cd_expr **items;
    size_t n;
    uint32_t h;
    if (!expr_list(p, CD_T_RBRACKET, "`,` or `]`", &items, &n, &h)) return false;
    cd_expr *e = node(p, CD_X_SET, loc);
    e->u.list.n = n;
    e->u.list.items = items;
    return set_expr(p, out, e, h + 1);
}

static NOINLINE bool primary(cd_parser *p, cd_xs *out)
{
    const cd_tok *t = cd_p_tok(p);
    cd_loc loc = cd_p_tok_loc(t);
    cd_tok_kind k = t->kind;
    memset(out, 0, sizeof *out);
    out->loc = loc;
    out->height = 1;
    switch (k) {
    case CD_T_TRUE:
    case CD_T_FALSE:
        if (cd_p_peek_at(p, 1) == CD_T_COLONCOLON) return name_or_ref(p, out);
        cd_p_next(p);
        out->kind = CD_XS_BOOL;
        out->b = k == CD_T_TRUE;
        return true;
    case CD_T_IF:
        if (cd_p_peek_at(p, 1) == CD_T_COLONCOLON) return name_or_ref(p, out);
        return cd_p_unexpected(p, "an expression (an `if` expression must be parenthesized here)");
    case CD_T_NUMBER:
        cd_p_next(p);
        out->kind = CD_XS_NUM;
        if (!parse_u64(cd_p_text(p, t), &out->num))
            return cd_p_fail(p, loc,
                             "integer literal `%.*s` is too large (the largest is "
                             "9223372036854775807)",
                             (int)t->len, p->src + t->offset);
        return true;
    case CD_T_STRING:
        out->kind = CD_XS_STR;
        out->tok = p->pos;
        cd_p_next(p);
        return true;
    case CD_T_SLOT_PRINCIPAL:
    case CD_T_SLOT_RESOURCE: {
        cd_p_next(p);
        cd_expr *e = node(p, CD_X_SLOT, loc);
        e->u.slot = k == CD_T_SLOT_PRINCIPAL ? CD_SLOT_PRINCIPAL : CD_SLOT_RESOURCE;
        if (!p->slot_seen) {
            p->slot_seen = true;
            p->slot_loc = loc;
            p->slot_kind = e->u.slot;
        }
        return set_expr(p, out, e, 1);
    }
    case CD_T_SLOT_OTHER:
        return cd_p_fail(p, loc,
                         "`%.*s` is not a valid template slot: a slot may only be `?principal` "
                         "or `?resource`",
                         (int)t->len, p->src + t->offset);
    case CD_T_LPAREN: return paren(p, out);
    case CD_T_LBRACKET: return set_literal(p, loc, out);
    case CD_T_LBRACE: cd_p_next(p); return record(p, loc, out);
    default:
        if (cd_tok_is_common_ident(k)) return name_or_ref(p, out);
        return cd_p_unexpected(p, "an expression");
    }
}

/* ---- calls and member access ------------------------------------------- */

/* cd_ops.def's PREFIX, INFIX and KEYWORD operators by class and token, for
 * a lookup per token (a method is found by its name: is_builtin_method).
 * CD_T_EQ is the last token kind: a token after it fails to compile here. */
#define BY_TOKEN_PREFIX(kind, token, prec)                                                         \
    [CD_OPC_PREFIX][CD_T_##token] = {CD_X_##kind, CD_PREC_##prec},
#define BY_TOKEN_INFIX(kind, token, prec)                                                          \
    [CD_OPC_INFIX][CD_T_##token] = {CD_X_##kind, CD_PREC_##prec},
#define BY_TOKEN_KEYWORD(kind, token, prec)                                                        \
    [CD_OPC_KEYWORD][CD_T_##token] = {CD_X_##kind, CD_PREC_##prec},
#define BY_TOKEN_METHOD(kind, token, prec)
static const struct optok {
    cd_xkind kind;
    cd_prec prec; /* CD_PREC_NONE: no operator */
} by_token[CD_OPC_KEYWORD + 1][CD_T_EQ + 1] = {
#define CD_OP(kind, surface, json, arity, class, precedence, token, hint_a, hint_b)                \
    BY_TOKEN_##class(kind, token, precedence)
#include "cd_ops.def"
#undef CD_OP
};

/* The operator of class c written with token k, or NULL. */
static const struct optok *op_of_token(cd_tok_kind k, cd_opclass c)
{
    const struct optok *o = &by_token[c][k];
    return o->prec != CD_PREC_NONE ? o : NULL;
}

static bool is_builtin_method(cd_str id, cd_xkind *kind, size_t *nargs)
{
    static const struct {
        const char *name;
        cd_xkind kind;
        size_t nargs; /* the receiver not counted */
        bool method;
    } m[] = {
#define CD_OP(kind, surface, json, arity, class, precedence, token, hint_a, hint_b)                \
    {surface, CD_X_##kind, arity - 1, CD_OPC_##class == CD_OPC_METHOD},
#include "cd_ops.def"
#undef CD_OP
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (m[i].method && cd_str_eq_c(id, m[i].name)) {
            *kind = m[i].kind;
            *nargs = m[i].nargs;
            return true;
        }
    return false;
}

static bool call_node(cd_parser *p, cd_loc loc, cd_extfn fn, cd_expr **args, size_t n, uint32_t h,
                      cd_xs *out)
{
    cd_expr *e = node(p, CD_X_CALL, loc);
    e->u.call.fn = fn;
    e->u.call.n = n;
    e->u.call.args = args;
    return set_expr(p, out, e, h + 1);
}

/* `name(args)`: only the extension functions (decimal, ip, datetime,
 * duration). Their arity is checked when they are evaluated, as officially. */
static NOINLINE bool function_call(cd_parser *p, const cd_xs *name, cd_xs *out)
{
    cd_loc loc = name->loc;
    cd_p_next(p); /* ( */
    cd_expr **args;
    size_t n;
    uint32_t h;
    if (!expr_list(p, CD_T_RPAREN, "`,` or `)`", &args, &n, &h)) return false;
    cd_str id = name->name;
    cd_xkind kind;
    size_t nargs;
    cd_extfn fn;
    if (!name->qualified &&
        (is_builtin_method(id, &kind, &nargs) || cd_extfn_lookup(id, true, &fn)))
        return cd_p_fail(p, loc,
                         "`%.*s` is a method, not a function: use a method-style call `e.%.*s(..)`",
                         (int)id.len, id.ptr, (int)id.len, id.ptr);
    if (!name->qualified && cd_extfn_lookup(id, false, &fn))
        return call_node(p, loc, fn, args, n, h, out);
    return cd_p_fail(p, loc, "`%.*s` is not a valid function", (int)id.len, id.ptr);
}

/* `recv.id(args)`, the next token being `(`. */
static NOINLINE bool method_call(cd_parser *p, cd_loc loc, cd_xs *recv, cd_str id, cd_loc idloc)
{
    cd_p_next(p); /* ( */
    cd_expr **args;
    size_t n;
    uint32_t h;
    cd_expr *r;
    if (!cd_p_into_expr(p, recv, &r)) return false;
    if (!expr_list(p, CD_T_RPAREN, "`,` or `)`", &args, &n, &h)) return false;
    h = max_u32(h, recv->height);
    cd_xkind kind;
    size_t nargs;
    if (is_builtin_method(id, &kind, &nargs)) {
        if (n != nargs)
            return cd_p_fail(p, idloc,
                             "call to `%.*s` requires exactly %zu argument%s, but got %zu "
                             "argument%s",
                             (int)id.len, id.ptr, nargs, nargs == 1 ? "" : "s", n,
                             n == 1 ? "" : "s");
        cd_expr *e = node(p, kind, loc);
        e->u.op.a = r;
        e->u.op.b = n ? args[0] : NULL;
        return set_expr(p, recv, e, h + 1);
    }
    cd_extfn fn;
    if (cd_extfn_lookup(id, true, &fn)) {
        cd_expr **all = CD_NEW_ARRAY(p->arena, cd_expr *, n + 1);
        all[0] = r;
        if (n) memcpy(all + 1, args, n * sizeof *args);
        return call_node(p, loc, fn, all, n + 1, h, recv);
    }
    if (cd_extfn_lookup(id, false, &fn))
        return cd_p_fail(p, idloc,
                         "`%.*s` is a function, not a method: use a function-style call "
                         "`%.*s(..)`",
                         (int)id.len, id.ptr, (int)id.len, id.ptr);
    return cd_p_fail(p, idloc, "`%.*s` is not a valid method", (int)id.len, id.ptr);
}

/* `[ "name" ]` applied to out */
static NOINLINE bool index_access(cd_parser *p, cd_xs *out, cd_loc loc, bool first)
{
    cd_p_next(p);
    cd_xs ix;
    if (!cd_p_expr(p, &ix)) return false;
    if (!cd_p_expect(p, CD_T_RBRACKET, "`]`")) return false;
    if (ix.kind != CD_XS_STR)
        return cd_p_fail(p, ix.loc, "the contents of an index expression must be a string literal");
    cd_str name;
    if (!cd_p_string(p, ix.tok, &name)) return false;
    if (first && out->kind == CD_XS_NAME)
        return cd_p_fail(p, loc, "invalid indexing expression: `%.*s` has no fields",
                         (int)out->name.len, out->name.ptr);
    return get_attr(p, loc, out, name);
}

/* One access (the next token being `(`, `.` or `[`) applied to out; first
 * tells whether out is still the bare primary. */
static NOINLINE bool access(cd_parser *p, cd_xs *out, cd_loc loc, bool first)
{
    {
        cd_tok_kind k = cd_p_peek(p);
        if (k == CD_T_LPAREN) {
            if (first && out->kind == CD_XS_NAME) return function_call(p, out, out);
            if (first && out->kind == CD_XS_VAR)
                return cd_p_fail(
                    p, cd_p_loc(p),
                    "`%s(...)` is not a valid function call: variables cannot be "
                    "called as functions",
                    (const char *[]){"principal", "action", "resource", "context"}[out->var]);
            return cd_p_fail(p, cd_p_loc(p),
                             "function calls must be of the form `name(arg1, arg2, ...)`");
        }
        if (k == CD_T_DOT) {
            cd_p_next(p);
            const cd_tok *t = cd_p_tok(p);
            if (!cd_tok_is_any_ident(t->kind))
                return cd_p_unexpected(p, "an attribute or method name");
            cd_p_next(p);
            cd_str id = cd_p_text(p, t);
            cd_loc idloc = cd_p_tok_loc(t);
            if (!cd_p_check_ident(p, id, idloc)) return false;
            if (first && out->kind == CD_XS_NAME) {
                if (cd_p_peek(p) == CD_T_LPAREN)
                    return cd_p_fail(p, loc,
                                     "attempted to call `%.*s.%.*s(...)`, but `%.*s` does not "
                                     "have any methods",
                                     (int)out->name.len, out->name.ptr, (int)id.len, id.ptr,
                                     (int)out->name.len, out->name.ptr);
                return cd_p_fail(p, loc,
                                 "invalid member access `%.*s.%.*s`: `%.*s` has no fields or "
                                 "methods",
                                 (int)out->name.len, out->name.ptr, (int)id.len, id.ptr,
                                 (int)out->name.len, out->name.ptr);
            }
            if (cd_p_peek(p) == CD_T_LPAREN) return method_call(p, loc, out, id, idloc);
            return get_attr(p, loc, out, cd_arena_str(p->arena, id.ptr, id.len));
        }
        if (k == CD_T_LBRACKET) return index_access(p, out, loc, first);
        return true;
    }
}

/* Member := Primary { '.' Ident | '(' Args ')' | '[' Expr ']' } */
static bool member(cd_parser *p, cd_xs *out)
{
    if (!primary(p, out)) return false;
    cd_loc loc = out->loc;
    for (bool first = true;; first = false) {
        cd_tok_kind k = cd_p_peek(p);
        if (k != CD_T_LPAREN && k != CD_T_DOT && k != CD_T_LBRACKET) return true;
        if (!access(p, out, loc, first)) return false;
    }
}

/* ---- operators: the grammar's levels come from cd_ops.def -------------- */

/* Tokens that are not operators, read at an operator's level only to report
 * them once the operand after them is read. */
static const struct {
    cd_prec prec;
    const char *msg;
} unsupported[CD_T_EQ + 1] = {
    [CD_T_SLASH] = {CD_PREC_MUL, "division is not supported"},
    [CD_T_PERCENT] = {CD_PREC_MUL, "remainder/modulo is not supported"},
};

static const char *unsupported_at(cd_tok_kind k, cd_prec prec)
{
    return unsupported[k].prec == prec ? unsupported[k].msg : NULL;
}

static bool apply_unary(cd_parser *p, cd_xkind kind, size_t n, cd_loc loc, cd_xs *out);

/* Unary := Member | '!'{1,4} Member | '-'{1,4} Member (the PREFIX operators) */
static NOINLINE bool unary_level(cd_parser *p, cd_xs *out)
{
    cd_tok_kind op = cd_p_peek(p);
    const struct optok *o = op_of_token(op, CD_OPC_PREFIX);
    if (!o) return member(p, out);
    cd_loc loc = cd_p_loc(p);
    size_t n = 0;
    while (cd_p_peek(p) == op) {
        cd_p_next(p);
        n++;
    }
    if (!member(p, out)) return false;
    return apply_unary(p, o->kind, n, loc, out);
}

/* Apply n `!` or `-` operators (written at loc) to the member in out. */
static NOINLINE bool apply_unary(cd_parser *p, cd_xkind kind, size_t n, cd_loc loc, cd_xs *out)
{
    if (n > 4)
        return cd_p_fail(p, loc,
                         "too many occurrences of `%s`: a unary operator can be applied at most "
                         "4 times in a row",
                         cd_op_info(kind)->surface);
    if (kind == CD_X_NEG && out->kind == CD_XS_NUM) {
        /* `-` directly before a number literal makes a negative literal,
         * which is how the minimum long is written */
        int64_t v;
        if (out->num == (uint64_t)INT64_MAX + 1)
            v = INT64_MIN;
        else if (out->num <= (uint64_t)INT64_MAX)
            v = -(int64_t)out->num;
        else
            return cd_p_fail(p, loc,
                             "integer literal `-%llu` is too small (the smallest is "
                             "-9223372036854775808)",
                             (unsigned long long)out->num);
        cd_expr *e = node(p, CD_X_LIT, out->loc);
        e->u.lit = cd_long(v);
        if (!set_expr(p, out, e, 1)) return false;
        n--;
    }
    for (size_t i = 0; i < n; i++)
        if (!unary(p, kind, loc, out)) return false;
    return true;
}

static bool operand_at(cd_parser *p, cd_prec prec, cd_xs *out);

/* Is the next token an INFIX operator of level prec (or one reported there)? */
static inline bool at_level(cd_parser *p, cd_prec prec)
{
    cd_tok_kind k = cd_p_peek(p);
    return by_token[CD_OPC_INFIX][k].prec == prec || unsupported[k].prec == prec;
}

/* `op operand` after out at the left-associative level prec, the operator
 * being the next token. */
static NOINLINE bool infix_rest(cd_parser *p, cd_prec prec, cd_xs *out)
{
    cd_tok_kind k = cd_p_peek(p);
    cd_loc oploc = cd_p_loc(p);
    cd_p_next(p);
    cd_xs rhs;
    if (!operand_at(p, prec + 1, &rhs)) return false;
    const char *msg = unsupported_at(k, prec);
    if (msg) return cd_p_fail(p, oploc, "%s", msg);
    return binary(p, op_of_token(k, CD_OPC_INFIX)->kind, out->loc, out, &rhs, out);
}

/* { op Operand } after the first operand out of the left-associative level
 * prec, op being an INFIX operator of that precedence (cd_ops.def). Not
 * inlined: the levels' frames, on every level of nesting, stay small. */
static NOINLINE bool left_rest(cd_parser *p, cd_prec prec, cd_xs *out)
{
    while (at_level(p, prec))
        if (!infix_rest(p, prec, out)) return false;
    return true;
}

/* The levels, loosest first; each reads its first operand at the next one.
 * Relation := Add [RelOp Add] | Add has .. | Add like Add | Add is Add [in Add] */
static bool mult_level(cd_parser *p, cd_xs *out)
{
    return unary_level(p, out) && left_rest(p, CD_PREC_MUL, out);
}

bool cd_p_add(cd_parser *p, cd_xs *out)
{
    return mult_level(p, out) && left_rest(p, CD_PREC_ADD, out);
}

static bool relation_rest(cd_parser *p, cd_xs *out);

static bool relation(cd_parser *p, cd_xs *out)
{
    return cd_p_add(p, out) && relation_rest(p, out);
}

static bool and_level(cd_parser *p, cd_xs *out)
{
    return relation(p, out) && left_rest(p, CD_PREC_AND, out);
}

static bool or_level(cd_parser *p, cd_xs *out)
{
    return and_level(p, out) && left_rest(p, CD_PREC_OR, out);
}

/* An operand of the level prec-1: an expression of level prec. */
static bool operand_at(cd_parser *p, cd_prec prec, cd_xs *out)
{
    switch (prec) {
    case CD_PREC_AND: return and_level(p, out);
    case CD_PREC_REL: return relation(p, out);
    case CD_PREC_ADD: return cd_p_add(p, out);
    case CD_PREC_MUL: return mult_level(p, out);
    default: return unary_level(p, out);
    }
}

/* The relational operators (REL), `!=` and `=` (an error that suggests `==`). */
bool cd_p_is_relop(cd_tok_kind k)
{
    const struct optok *o = op_of_token(k, CD_OPC_INFIX);
    return (o && o->prec == CD_PREC_REL) || k == CD_T_NE || k == CD_T_EQ;
}

/* The attribute path after `has`: `a`, `a.b.c` or a string literal. */
static bool has_rhs(cd_parser *p, cd_vec *attrs)
{
    const cd_tok *t = cd_p_tok(p);
    cd_loc loc = cd_p_tok_loc(t);
    static const char invalid[] = "invalid right-hand side of `has`: it must be an attribute "
                                  "name, a sequence of names separated by `.`, or a string "
                                  "literal";
    if (t->kind == CD_T_STRING) {
        cd_p_next(p);
        cd_str s;
        if (!cd_p_string(p, (size_t)(t - p->toks.items), &s)) return false;
        *(cd_str *)cd_vec_push(attrs) = s;
    } else if (cd_tok_is_any_ident(t->kind)) {
        cd_p_next(p);
        cd_str id = cd_p_text(p, t);
        if (cd_p_peek(p) == CD_T_COLONCOLON) {
            cd_tok_kind k = cd_p_peek_at(p, 1);
            if (k == CD_T_STRING || k == CD_T_LBRACE) return cd_p_fail(p, loc, invalid);
            return cd_p_fail(p, loc, "a namespaced name cannot be used as an attribute");
        }
        cd_var v;
        if (!is_var_tok(t->kind, &v) && !cd_p_check_ident(p, id, loc)) return false;
        *(cd_str *)cd_vec_push(attrs) = cd_arena_str(p->arena, id.ptr, id.len);
        while (cd_p_peek(p) == CD_T_DOT) {
            cd_p_next(p);
            const cd_tok *f = cd_p_tok(p);
            if (!cd_tok_is_any_ident(f->kind)) return cd_p_unexpected(p, "an attribute name");
            cd_p_next(p);
            cd_str fid = cd_p_text(p, f);
            if (!cd_p_check_ident(p, fid, cd_p_tok_loc(f))) return false;
            *(cd_str *)cd_vec_push(attrs) = cd_arena_str(p->arena, fid.ptr, fid.len);
        }
    } else if (t->kind == CD_T_NUMBER || t->kind == CD_T_LPAREN || t->kind == CD_T_LBRACKET ||
               t->kind == CD_T_LBRACE || t->kind == CD_T_BANG || t->kind == CD_T_MINUS ||
               t->kind == CD_T_SLOT_PRINCIPAL || t->kind == CD_T_SLOT_RESOURCE ||
               t->kind == CD_T_SLOT_OTHER) {
        return cd_p_fail(p, loc, invalid);
    } else {
        return cd_p_unexpected(p, "an attribute name or a string literal after `has`");
    }
    switch (cd_p_peek(p)) {
    case CD_T_DOT:
    case CD_T_LPAREN:
    case CD_T_LBRACKET:
    case CD_T_COLONCOLON:
    case CD_T_STAR:
    case CD_T_SLASH:
    case CD_T_PERCENT:
    case CD_T_PLUS:
    case CD_T_MINUS: return cd_p_fail(p, loc, invalid);
    default: return true;
    }
}

/* `e has a.b.c` is `e has a && e.a has b && e.a.b has c` (left-nested). */
static NOINLINE bool has_expr(cd_parser *p, cd_loc loc, cd_xs *target, cd_xs *out)
{
    cd_vec attrs;
    cd_vec_init(&attrs, sizeof(cd_str));
    cd_expr *obj;
    if (!cd_p_into_expr(p, target, &obj) || !has_rhs(p, &attrs)) {
        cd_vec_free(&attrs);
        return false;
    }
    /* The n terms repeat the path's prefixes, so the work on them (here, in
     * evaluation and validation) grows as n^2: n is bounded like nesting. */
    if (attrs.len > CD_PARSE_MAX_NESTING) {
        cd_vec_free(&attrs);
        return cd_p_fail(p, loc, "a `has` path may have at most %d attributes",
                         CD_PARSE_MAX_NESTING);
    }
    const cd_str *a = attrs.items;
    cd_expr *get = obj, *acc = NULL;
    uint32_t gh = target->height, ah = 0;
    for (size_t i = 0; i < attrs.len; i++) {
        cd_expr *h = node(p, CD_X_HAS, loc);
        h->u.attr.obj = get;
        h->u.attr.name = a[i];
        uint32_t hh = gh + 1;
        /* heights as binary() and get_attr() count them: chains are one level */
        if (!acc) {
            ah = hh;
        } else {
            cd_expr *both = node(p, CD_X_AND, loc);
            both->u.op.a = acc;
            both->u.op.b = h;
            ah = acc->kind == CD_X_AND ? max_u32(ah, 1 + hh) : 1 + max_u32(ah, hh);
            h = both;
        }
        acc = h;
        if (i + 1 < attrs.len) {
            cd_expr *g = node(p, CD_X_GET_ATTR, loc);
            g->u.attr.obj = get;
            g->u.attr.name = a[i];
            gh += get->kind != CD_X_GET_ATTR;
            get = g;
        }
    }
    cd_vec_free(&attrs);
    return set_expr(p, out, acc, ah);
}

/* `op Add` after the first Add of a relation (op being a RelOp). */
static NOINLINE bool relop_rest(cd_parser *p, cd_xs *out)
{
    cd_loc loc = out->loc, oploc = cd_p_loc(p);
    cd_tok_kind k = cd_p_next(p)->kind;
    cd_xs rhs;
    if (!cd_p_add(p, &rhs)) return false;
    if (cd_p_is_relop(cd_p_peek(p)))
        return cd_p_fail(p, cd_p_loc(p),
                         "multiple relational operators (>, ==, in, etc.) must be used with "
                         "parentheses to make ordering explicit");
    if (k == CD_T_NE) {
        if (!binary(p, CD_X_EQ, loc, out, &rhs, out) || !unary(p, CD_X_NOT, loc, out)) return false;
        out->e->ne = true;
        return true;
    }
    const struct optok *o = op_of_token(k, CD_OPC_INFIX);
    if (o) return binary(p, o->kind, loc, out, &rhs, out);
    return cd_p_fail(p, oploc, "`=` is not a valid operator in Cedar: use `==`");
}

/* `like "pattern"` after out */
static NOINLINE bool like_rest(cd_parser *p, cd_xs *out)
{
    cd_loc loc = out->loc;
    cd_p_next(p);
    cd_expr *obj;
    cd_xs pat;
    if (!cd_p_into_expr(p, out, &obj) || !cd_p_add(p, &pat)) return false;
    if (pat.kind != CD_XS_STR)
        return cd_p_fail(p, pat.loc,
                         "the right-hand side of `like` must be a string literal pattern");
    cd_expr *e = node(p, CD_X_LIKE, loc);
    e->u.like.obj = obj;
    if (!cd_p_pattern(p, pat.tok, &e->u.like.pat)) return false;
    return set_expr(p, out, e, out->height + 1);
}

/* `is Type [in Add]` after out */
static NOINLINE bool is_rest(cd_parser *p, cd_xs *out)
{
    cd_loc loc = out->loc;
    cd_p_next(p);
    cd_expr *obj, *in = NULL;
    cd_xs x;
    const cd_name *type;
    if (!cd_p_into_expr(p, out, &obj) || !cd_p_add(p, &x) || !cd_p_is_type(p, &x, &type))
        return false;
    uint32_t h = out->height;
    if (cd_p_peek(p) == CD_T_IN) {
        cd_p_next(p);
        if (!cd_p_add(p, &x) || !cd_p_into_expr(p, &x, &in)) return false;
        h = max_u32(h, x.height);
    }
    cd_expr *e = node(p, CD_X_IS, loc);
    e->u.is.obj = obj;
    e->u.is.type = type;
    e->u.is.in = in;
    return set_expr(p, out, e, h + 1);
}

/* What follows the first Add of a relation: nothing, or one RelOp or keyword
 * operator (the REL level). */
static NOINLINE bool relation_rest(cd_parser *p, cd_xs *out)
{
    cd_tok_kind k = cd_p_peek(p);
    if (cd_p_is_relop(k)) return relop_rest(p, out);
    const struct optok *o = op_of_token(k, CD_OPC_KEYWORD);
    switch (o ? o->kind : CD_X_LIT) {
    case CD_X_LIKE: return like_rest(p, out);
    case CD_X_IS: return is_rest(p, out);
    case CD_X_HAS: cd_p_next(p); return has_expr(p, out->loc, out, out);
    default: return true;
    }
}

/* 'if' Expr 'then' Expr 'else' Expr, the next token being `if` */
static NOINLINE bool if_expr(cd_parser *p, cd_xs *out)
{
    cd_loc loc = cd_p_loc(p);
    cd_p_next(p);
    cd_xs x;
    cd_expr *ec, *et, *ee;
    uint32_t h;
    if (!cd_p_expr(p, &x) || !cd_p_into_expr(p, &x, &ec)) return false;
    h = x.height;
    if (!cd_p_expect(p, CD_T_THEN, "`then`") || !cd_p_expr(p, &x) || !cd_p_into_expr(p, &x, &et))
        return false;
    h = max_u32(h, x.height);
    if (!cd_p_expect(p, CD_T_ELSE, "`else`") || !cd_p_expr(p, &x) || !cd_p_into_expr(p, &x, &ee))
        return false;
    h = max_u32(h, x.height);
    cd_expr *e = node(p, CD_X_IF, loc);
    e->u.op.a = ec;
    e->u.op.b = et;
    e->u.op.c = ee;
    return set_expr(p, out, e, h + 1);
}

static NOINLINE bool too_deep(cd_parser *p)
{
    return cd_p_fail(p, cd_p_loc(p), "expression is nested too deeply (more than %d levels)",
                     CD_PARSE_MAX_NESTING);
}

static NOINLINE bool stack_low(cd_parser *p)
{
    return cd_p_fail(p, cd_p_loc(p),
                     "expression is nested too deeply (the thread's stack is nearly exhausted)");
}

/* Expr := 'if' Expr 'then' Expr 'else' Expr | Or */
bool cd_p_expr(cd_parser *p, cd_xs *out)
{
    if (p->nesting >= CD_PARSE_MAX_NESTING) return too_deep(p);
    if (cd_stack_low()) return stack_low(p);
    p->nesting++;
    bool ok;
    if (cd_p_peek(p) == CD_T_IF && cd_p_peek_at(p, 1) != CD_T_COLONCOLON)
        ok = if_expr(p, out);
    else
        ok = or_level(p, out);
    p->nesting--;
    return ok;
}
