/* gen_print_policy.c: model expressions and generated policies as Cedar text.
 *
 * The text must parse back to the very structure it was printed from (the
 * roundtrip target checks it), so every choice here is one the grammar
 * makes equivalent: parentheses only where precedence needs them (and
 * sometimes more), sugar that the parser turns back into the same tree
 * (`!=`, `>`, `>=`, `is T in`, `has a.b`), either form of attribute access,
 * escapes, whitespace and comments. Negative literals need care: `-5` is a
 * literal, `-(5)` a negation.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

/* Grammar levels, loosest first. */
enum { L_EXPR, L_OR, L_AND, L_REL, L_ADD, L_MULT, L_UNARY, L_MEMBER, L_PRIMARY };

typedef struct pr {
    gen_buf *b;
    gen_style *st;
} pr;

/* Unicode White_Space, which Cedar's lexers skip: ASCII (tab, line feed,
 * vertical tab, form feed, carriage return alone or before a line feed),
 * NEL, no-break space, ideographic space, line and paragraph separators. */
static const char *const spaces[] = {
    "  ",  "\n    ", "\t", "\n",         " \xc2\xa0",    "\xe3\x80\x80", "\r\n ",
    " \v", "\f",     "\r", " \xc2\x85 ", "\xe2\x80\xa8", "\xe2\x80\xa9"};

/* The ends of a `//` comment: every line terminator Cedar's lexers know (a
 * comment runs to the first `\n` or `\r`). */
static const char *const comment_ends[] = {"\n", "\r\n", "\r", "\n\r", "\r\r\n"};

void gen_print_comment(gen_buf *b, gen_style *st)
{
    gen_buf_puts(b, gen_style_coin(st, 50) ? " // a comment \"with\" {braces} and \xc3\xa9" : "//");
    gen_buf_puts(b, comment_ends[gen_style_next(st) % GEN_N(comment_ends)]);
}

/* Whitespace between tokens: one space, or now and then something else. */
static void sp(pr *p)
{
    if (!gen_style_coin(p->st, 10)) {
        gen_buf_putc(p->b, ' ');
        return;
    }
    if (gen_style_coin(p->st, 30)) {
        gen_print_comment(p->b, p->st);
        return;
    }
    gen_buf_puts(p->b, spaces[gen_style_next(p->st) % GEN_N(spaces)]);
}

/* Optional whitespace where none is needed. */
static void sp0(pr *p)
{
    if (gen_style_coin(p->st, 8)) sp(p);
}

/* ---- strings ------------------------------------------------------------------ */

/* `\u{...}` for cp: lower or upper case, leading zeros up to six digits, and
 * now and then `_` after a digit (Rust allows them after the first). */
static void put_u_escape(gen_buf *b, uint32_t cp, gen_style *st)
{
    char hex[8];
    int n = 0;
    bool upper = gen_style_coin(st, 20);
    for (uint32_t v = cp; n == 0 || v; v >>= 4)
        hex[n++] = (upper ? "0123456789ABCDEF" : "0123456789abcdef")[v & 15];
    if (gen_style_coin(st, 20))
        while (n < 6 && gen_style_coin(st, 60))
            hex[n++] = '0';
    gen_buf_puts(b, "\\u{");
    bool under = gen_style_coin(st, 15);
    for (int i = n - 1; i >= 0; i--) {
        gen_buf_putc(b, hex[i]);
        if (under && gen_style_coin(st, 40)) gen_buf_puts(b, gen_style_coin(st, 20) ? "__" : "_");
    }
    gen_buf_putc(b, '}');
}

static void put_char(gen_buf *b, uint32_t cp, const char *raw, int len, bool in_pattern,
                     gen_style *st)
{
    switch (cp) {
    case '"': gen_buf_puts(b, "\\\""); return;
    case '\\': gen_buf_puts(b, "\\\\"); return;
    case '\n': gen_buf_puts(b, gen_style_coin(st, 20) ? "\\u{a}" : "\\n"); return;
    case '\r': gen_buf_puts(b, "\\r"); return;
    case '\t': gen_buf_puts(b, gen_style_coin(st, 20) ? "\\u{9}" : "\\t"); return;
    case '\0': gen_buf_puts(b, gen_style_coin(st, 50) ? "\\u{0}" : "\\0"); return;
    case '\'': gen_buf_puts(b, gen_style_coin(st, 30) ? "\\'" : "'"); return;
    case '*': gen_buf_puts(b, in_pattern ? "\\*" : "*"); return;
    default: break;
    }
    if (cp < 0x20 || cp == 0x7f) {
        if (gen_style_coin(st, 30))
            put_u_escape(b, cp, st);
        else
            gen_buf_printf(b, "\\u{%" PRIx32 "}", cp);
    } else if (cp < 0x80 && gen_style_coin(st, 3)) {
        if (gen_style_coin(st, 50))
            gen_buf_printf(b, "\\x%02" PRIx32, cp);
        else
            put_u_escape(b, cp, st);
    } else if (cp >= 0x80 && gen_style_coin(st, 30)) {
        if (gen_style_coin(st, 20))
            gen_buf_printf(b, "\\u{%06" PRIX32 "}", cp);
        else
            put_u_escape(b, cp, st);
    } else {
        gen_buf_put(b, raw, (size_t)len);
    }
}

static void put_chars(gen_buf *b, const char *s, size_t n, bool in_pattern, gen_style *st)
{
    size_t run = 0;
    if (st->level == 0)
        while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f &&
               s[run] != '"' && s[run] != '\\' && s[run] != '\'' && s[run] != '*')
            run++;
    gen_buf_put(b, s, run);
    for (size_t i = run; i < n;) {
        uint32_t cp;
        int len = gen_utf8_decode(s + i, n - i, &cp);
        if (len == 0) { /* not UTF-8: never generated; write the byte as is */
            gen_buf_putc(b, s[i++]);
            continue;
        }
        put_char(b, cp, s + i, len, in_pattern, st);
        i += (size_t)len;
    }
}

void gen_print_string(gen_buf *b, m_str s, gen_style *st)
{
    /* one in five strings gets optional escapes; the others only the needed ones */
    gen_style plain = {0, 0};
    gen_buf_putc(b, '"');
    put_chars(b, s.ptr, s.len, false, gen_style_coin(st, 20) ? st : &plain);
    gen_buf_putc(b, '"');
}

void gen_print_string_escaped(gen_buf *b, m_str s, gen_style *st)
{
    gen_buf_putc(b, '"');
    for (size_t i = 0; i < s.len;) {
        uint32_t cp;
        int len = gen_utf8_decode(s.ptr + i, s.len - i, &cp);
        if (len == 0) { /* not UTF-8: never generated */
            gen_buf_putc(b, s.ptr[i++]);
            continue;
        }
        put_u_escape(b, cp, st);
        i += (size_t)len;
    }
    gen_buf_putc(b, '"');
}

static void print_pattern(gen_buf *b, m_pattern pat, gen_style *st)
{
    char run[256];
    gen_buf_putc(b, '"');
    for (size_t i = 0; i < pat.n;) {
        if (pat.elems[i] == M_STAR) {
            /* a wildcard is any `*` character, also one written as an escape
             * (only `\*` is a literal star) */
            if (gen_style_coin(st, 10)) {
                if (gen_style_coin(st, 30))
                    gen_buf_puts(b, gen_style_coin(st, 50) ? "\\x2a" : "\\x2A");
                else
                    put_u_escape(b, '*', st);
            } else {
                gen_buf_putc(b, '*');
            }
            i++;
            continue;
        }
        size_t k = 0;
        while (i < pat.n && pat.elems[i] != M_STAR && k < sizeof run)
            run[k++] = (char)pat.elems[i++];
        put_chars(b, run, k, true, st);
    }
    gen_buf_putc(b, '"');
}

static void print_uid(gen_buf *b, m_uid u, gen_style *st)
{
    gen_buf_str(b, u.type);
    gen_buf_puts(b, "::");
    gen_print_string(b, u.id, st);
}

bool gen_print_uid_normalized(gen_buf *b, m_uid u)
{
    for (size_t i = 0; i < u.id.len; i++)
        if ((unsigned char)u.id.ptr[i] < 0x20 || (unsigned char)u.id.ptr[i] > 0x7e) return false;
    gen_buf_str(b, u.type);
    gen_buf_puts(b, "::\"");
    for (size_t i = 0; i < u.id.len; i++) {
        char c = u.id.ptr[i];
        if (c == '"' || c == '\\' || c == '\'') gen_buf_putc(b, '\\');
        gen_buf_putc(b, c);
    }
    gen_buf_putc(b, '"');
    return true;
}

/* An identifier usable after `.`, `has` and as a record key: one that is no
 * keyword of the policy grammar. */
static bool plain_ident(m_str s)
{
    static const char *const kw[] = {"permit",    "forbid", "when",     "unless",
                                     "principal", "action", "resource", "context"};
    if (!gen_is_ident(s) || gen_is_reserved(s)) return false;
    for (size_t i = 0; i < GEN_N(kw); i++)
        if (m_str_eq(s, m_str_c(kw[i]))) return false;
    return true;
}

/* ---- values as expressions ---------------------------------------------------- */

static void print_int(gen_buf *b, int64_t v)
{
    if (v == INT64_MIN) {
        gen_buf_puts(b, "-9223372036854775808");
    } else {
        gen_buf_i64(b, v);
    }
}

void gen_print_value(gen_buf *b, m_value v, gen_style *st)
{
    gen_buf arg;
    switch (v.kind) {
    case M_V_BOOL: gen_buf_puts(b, v.u.b ? "true" : "false"); return;
    case M_V_INT: print_int(b, v.u.i); return;
    case M_V_STRING: gen_print_string(b, v.u.s, st); return;
    case M_V_ENTITY: print_uid(b, v.u.uid, st); return;
    case M_V_SET:
        gen_buf_putc(b, '[');
        for (size_t i = 0; i < v.u.set.n; i++) {
            if (i) gen_buf_puts(b, ", ");
            gen_print_value(b, v.u.set.elems[i], st);
        }
        gen_buf_putc(b, ']');
        return;
    case M_V_RECORD:
        gen_buf_putc(b, '{');
        for (size_t i = 0; i < v.u.rec.n; i++) {
            if (i) gen_buf_puts(b, ", ");
            gen_print_string(b, v.u.rec.fields[i].key, st);
            gen_buf_puts(b, ": ");
            gen_print_value(b, v.u.rec.fields[i].val, st);
        }
        gen_buf_putc(b, '}');
        return;
    default: break;
    }
    gen_buf_init(&arg);
    switch (v.kind) {
    case M_V_DECIMAL: gen_buf_puts(b, "decimal("), gen_fmt_decimal(&arg, v.u.i, st); break;
    case M_V_IPADDR: gen_buf_puts(b, "ip("), gen_fmt_ip(&arg, &v.u.ip, st); break;
    case M_V_DURATION: gen_buf_puts(b, "duration("), gen_fmt_duration(&arg, v.u.i, st); break;
    default:
        if (!gen_fmt_datetime(&arg, v.u.i, st)) {
            gen_buf_printf(b, "datetime(\"1970-01-01\").offset(duration(\"%" PRId64 "ms\"))",
                           v.u.i);
            gen_buf_free(&arg);
            return;
        }
        gen_buf_puts(b, "datetime(");
        break;
    }
    gen_print_string(b, (m_str){arg.data, arg.len}, st);
    gen_buf_putc(b, ')');
    gen_buf_free(&arg);
}

/* ---- expressions ---------------------------------------------------------------- */

static void expr(pr *p, const m_expr *x, int need);

/* How each operator and extension function is written (m_ops.def): its
 * name, and the level it prints at (a method binds as a member access). */
#define LEVEL_PREFIX   L_UNARY
#define LEVEL_METHOD   L_MEMBER
#define LEVEL_REL      L_REL
#define LEVEL_ADD      L_ADD
#define LEVEL_MULT     L_MULT
#define LEVEL_FUNCTION L_PRIMARY
static const struct syntax {
    const char *name;
    int level;
} op1s[] =
    {
#define M_OP1(kind, name, syntax, arg, result) [M_##kind] = {name, LEVEL_##syntax},
#include "m_ops.def"
},
  op2s[] =
      {
#define M_OP2(kind, name, syntax, arg_a, arg_b, result) [M_##kind] = {name, LEVEL_##syntax},
#include "m_ops.def"
},
  fns[] = {
#define M_FN(kind, name, syntax, arity, arg_a, arg_b, result)                                      \
    [M_FN_##kind] = {name, LEVEL_##syntax},
#include "m_ops.def"
};

const char *gen_extfn_name(m_extfn fn)
{
    return fns[fn].name;
}

static bool is_binop(const m_expr *x, m_op2 op)
{
    return x->kind == M_X_BINARY && x->u.bin.op == op;
}

static bool is_not_of(const m_expr *x, m_op2 op)
{
    return x->kind == M_X_UNARY && x->u.un.op == M_NOT && is_binop(x->u.un.arg, op);
}

/* `x is T in y`: (x is T) && (x in y) with the same x. */
static bool is_in_sugar(const m_expr *x)
{
    const m_expr *l = x->u.op.a, *r = x->u.op.b;
    return x->kind == M_X_AND && l->kind == M_X_UNARY && l->u.un.op == M_IS && is_binop(r, M_MEM) &&
           gen_expr_eq(l->u.un.arg, r->u.bin.a);
}

/* `x has a.b`: (x has a) && (x.a has b) with the same x and identifiers a, b. */
static bool has_sugar(const m_expr *x)
{
    const m_expr *l = x->u.op.a, *r = x->u.op.b;
    if (x->kind != M_X_AND || l->kind != M_X_HAS_ATTR || r->kind != M_X_HAS_ATTR) return false;
    const m_expr *get = r->u.attr.arg;
    return get->kind == M_X_GET_ATTR && m_str_eq(get->u.attr.attr, l->u.attr.attr) &&
           gen_expr_eq(get->u.attr.arg, l->u.attr.arg) && plain_ident(l->u.attr.attr) &&
           plain_ident(r->u.attr.attr);
}

/* The level a node prints at; *sugar tells which special form is used. */
enum { S_NONE, S_NEQ, S_GT, S_GE, S_IS_IN, S_HAS2 };

static int level_of(const m_expr *x, int sugar)
{
    if (sugar != S_NONE) return L_REL;
    switch (x->kind) {
    case M_X_LIT:
        /* numbers and booleans are parenthesised before `.`: `(5).a`, `(true).a` */
        return x->u.lit.kind == M_V_INT || x->u.lit.kind == M_V_BOOL ? L_UNARY : L_PRIMARY;
    case M_X_VAR:
    case M_X_SET:
    case M_X_RECORD: return L_PRIMARY;
    case M_X_ITE: return L_EXPR;
    case M_X_AND: return L_AND;
    case M_X_OR: return L_OR;
    case M_X_UNARY: return op1s[x->u.un.op].level;
    case M_X_BINARY: return op2s[x->u.bin.op].level;
    case M_X_GET_ATTR: return L_MEMBER;
    case M_X_HAS_ATTR: return L_REL;
    case M_X_CALL: return fns[x->u.list.fn].level;
    }
    return L_PRIMARY;
}

static int sugar_of(pr *p, const m_expr *x)
{
    if (is_not_of(x, M_EQ) && gen_style_coin(p->st, 70)) return S_NEQ;
    if (is_not_of(x, M_LESS_EQ) && gen_style_coin(p->st, 70)) return S_GT;
    if (is_not_of(x, M_LESS) && gen_style_coin(p->st, 70)) return S_GE;
    if (x->kind == M_X_AND && is_in_sugar(x) && gen_style_coin(p->st, 70)) return S_IS_IN;
    if (x->kind == M_X_AND && has_sugar(x) && gen_style_coin(p->st, 60)) return S_HAS2;
    return S_NONE;
}

static void binop(pr *p, const m_expr *a, const char *op, const m_expr *b, int la, int lb)
{
    expr(p, a, la);
    sp(p);
    gen_buf_puts(p->b, op);
    sp(p);
    expr(p, b, lb);
}

static void attr_name(pr *p, m_str name, bool after_has)
{
    (void)after_has;
    gen_print_string(p->b, name, p->st);
}

/* receiver.name(args) */
static void method(pr *p, const m_expr *recv, const char *name, size_t n, const m_expr *const *args)
{
    expr(p, recv, L_MEMBER);
    sp0(p);
    gen_buf_putc(p->b, '.');
    gen_buf_puts(p->b, name);
    gen_buf_putc(p->b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i) gen_buf_puts(p->b, ", ");
        expr(p, args[i], L_EXPR);
    }
    gen_buf_putc(p->b, ')');
}

/* A chain of up to four `!` (or `-`) directly before a member. */
static bool unary_chain(pr *p, const m_expr *x)
{
    m_op1 op = x->u.un.op;
    const m_expr *inner = x;
    int k = 0;
    while (k < 4 && inner->kind == M_X_UNARY && inner->u.un.op == op) {
        inner = inner->u.un.arg;
        k++;
    }
    if (k < 2 || level_of(inner, S_NONE) < L_MEMBER || inner->kind == M_X_LIT) return false;
    if (inner->kind == M_X_UNARY && inner->u.un.op == op) return false; /* a fifth */
    for (int i = 0; i < k; i++)
        gen_buf_puts(p->b, op1s[op].name);
    expr(p, inner, L_MEMBER);
    return true;
}

static void print_node(pr *p, const m_expr *x, int sugar)
{
    gen_buf *b = p->b;
    const m_expr *a;
    switch (sugar) {
    case S_NEQ: binop(p, x->u.un.arg->u.bin.a, "!=", x->u.un.arg->u.bin.b, L_ADD, L_ADD); return;
    case S_GT: binop(p, x->u.un.arg->u.bin.a, ">", x->u.un.arg->u.bin.b, L_ADD, L_ADD); return;
    case S_GE: binop(p, x->u.un.arg->u.bin.a, ">=", x->u.un.arg->u.bin.b, L_ADD, L_ADD); return;
    case S_IS_IN:
        expr(p, x->u.op.a->u.un.arg, L_ADD);
        gen_buf_puts(b, " is ");
        gen_buf_str(b, x->u.op.a->u.un.ety);
        gen_buf_puts(b, " in");
        sp(p);
        expr(p, x->u.op.b->u.bin.b, L_ADD);
        return;
    case S_HAS2:
        expr(p, x->u.op.a->u.attr.arg, L_ADD);
        gen_buf_puts(b, " has ");
        gen_buf_str(b, x->u.op.a->u.attr.attr);
        gen_buf_putc(b, '.');
        gen_buf_str(b, x->u.op.b->u.attr.attr);
        return;
    default: break;
    }
    switch (x->kind) {
    case M_X_LIT: gen_print_value(b, x->u.lit, p->st); return;
    case M_X_VAR:
        gen_buf_puts(b, x->u.var == M_PRINCIPAL  ? "principal"
                        : x->u.var == M_ACTION   ? "action"
                        : x->u.var == M_RESOURCE ? "resource"
                                                 : "context");
        return;
    case M_X_ITE:
        gen_buf_puts(b, "if");
        sp(p);
        expr(p, x->u.op.a, L_EXPR);
        sp(p);
        gen_buf_puts(b, "then");
        sp(p);
        expr(p, x->u.op.b, L_EXPR);
        sp(p);
        gen_buf_puts(b, "else");
        sp(p);
        expr(p, x->u.op.c, L_EXPR);
        return;
    case M_X_AND:
    case M_X_OR:
    case M_X_GET_ATTR: return; /* chain nodes: expr prints them */
    case M_X_UNARY:
        a = x->u.un.arg;
        switch (x->u.un.op) {
        case M_NOT:
        case M_NEG:
            if (gen_style_coin(p->st, 40) && unary_chain(p, x)) return;
            gen_buf_puts(b, op1s[x->u.un.op].name);
            /* `-5` would be a literal: a negated number needs its parentheses */
            if (x->u.un.op == M_NEG && a->kind == M_X_LIT && a->u.lit.kind == M_V_INT) {
                gen_buf_putc(b, '(');
                expr(p, a, L_EXPR);
                gen_buf_putc(b, ')');
                return;
            }
            expr(p, a, L_MEMBER);
            return;
        case M_LIKE:
        case M_IS: /* x like pattern, x is Type */
            expr(p, a, L_ADD);
            sp(p);
            gen_buf_puts(b, op1s[x->u.un.op].name);
            sp(p);
            if (x->u.un.op == M_LIKE)
                print_pattern(b, x->u.un.pat, p->st);
            else
                gen_buf_str(b, x->u.un.ety);
            return;
        default: method(p, a, op1s[x->u.un.op].name, 0, NULL); return; /* isEmpty */
        }
    case M_X_BINARY: {
        const m_expr *l = x->u.bin.a, *r = x->u.bin.b;
        const struct syntax *op = &op2s[x->u.bin.op];
        if (op->level == L_REL) binop(p, l, op->name, r, L_ADD, L_ADD);
        if (op->level == L_MEMBER) method(p, l, op->name, 1, &r);
        return; /* L_ADD, L_MULT: chain nodes, which expr prints */
    }
    case M_X_HAS_ATTR:
        expr(p, x->u.attr.arg, L_ADD);
        gen_buf_puts(b, " has ");
        if (plain_ident(x->u.attr.attr) && !gen_style_coin(p->st, 20)) {
            gen_buf_str(b, x->u.attr.attr);
        } else {
            attr_name(p, x->u.attr.attr, true);
        }
        return;
    case M_X_SET:
        gen_buf_putc(b, '[');
        for (size_t i = 0; i < x->u.list.n; i++) {
            if (i) gen_buf_puts(b, gen_style_coin(p->st, 10) ? "," : ", ");
            sp0(p);
            expr(p, x->u.list.xs[i], L_EXPR);
        }
        gen_buf_putc(b, ']');
        return;
    case M_X_RECORD: {
        /* fields in any order: the parser keeps them by key */
        size_t n = x->u.list.n, start = n ? gen_style_next(p->st) % n : 0;
        if (!gen_style_coin(p->st, 30)) start = 0;
        gen_buf_putc(b, '{');
        for (size_t k = 0; k < n; k++) {
            size_t i = (start + k) % n;
            if (k) gen_buf_puts(b, ", ");
            if (plain_ident(x->u.list.keys[i]) && gen_style_coin(p->st, 50)) {
                gen_buf_str(b, x->u.list.keys[i]);
            } else {
                gen_print_string(b, x->u.list.keys[i], p->st);
            }
            gen_buf_puts(b, ": ");
            expr(p, x->u.list.xs[i], L_EXPR);
        }
        gen_buf_putc(b, '}');
        return;
    }
    case M_X_CALL:
        if (fns[x->u.list.fn].level == L_PRIMARY) { /* a constructor: name(args) */
            gen_buf_puts(b, fns[x->u.list.fn].name);
            gen_buf_putc(b, '(');
            for (size_t i = 0; i < x->u.list.n; i++) {
                if (i) gen_buf_puts(b, ", ");
                expr(p, x->u.list.xs[i], L_EXPR);
            }
            gen_buf_putc(b, ')');
            return;
        }
        method(p, x->u.list.xs[0], fns[x->u.list.fn].name, x->u.list.n - 1, x->u.list.xs + 1);
        return;
    }
}

/* Chain nodes (`&&`, `||`, `+`, `-`, `*`, `.a`) print their left operand,
 * then the rest (chain_rest); chain_need is the level the left needs. */
static bool is_chain_node(const m_expr *x, int sugar)
{
    if (sugar != S_NONE) return false;
    if (x->kind == M_X_BINARY)
        return op2s[x->u.bin.op].level == L_ADD || op2s[x->u.bin.op].level == L_MULT;
    return x->kind == M_X_AND || x->kind == M_X_OR || x->kind == M_X_GET_ATTR;
}

static const m_expr *chain_left(const m_expr *x)
{
    return x->kind == M_X_BINARY ? x->u.bin.a : x->kind == M_X_GET_ATTR ? x->u.attr.arg : x->u.op.a;
}

static int chain_need(const m_expr *x)
{
    if (x->kind == M_X_AND) return L_AND;
    if (x->kind == M_X_OR) return L_OR;
    if (x->kind == M_X_GET_ATTR) return L_MEMBER;
    return op2s[x->u.bin.op].level;
}

static void chain_rest(pr *p, const m_expr *x)
{
    gen_buf *b = p->b;
    if (x->kind != M_X_GET_ATTR) {
        /* the right operand binds tighter than the operator: one level up */
        const char *op = x->kind == M_X_AND  ? "&&"
                         : x->kind == M_X_OR ? "||"
                                             : op2s[x->u.bin.op].name;
        int need = chain_need(x) + 1;
        sp(p);
        gen_buf_puts(b, op);
        sp(p);
        expr(p, x->kind == M_X_BINARY ? x->u.bin.b : x->u.op.b, need);
    } else if (plain_ident(x->u.attr.attr) && !gen_style_coin(p->st, 20)) {
        sp0(p);
        gen_buf_putc(b, '.');
        gen_buf_str(b, x->u.attr.attr);
    } else {
        gen_buf_putc(b, '[');
        attr_name(p, x->u.attr.attr, false);
        gen_buf_putc(b, ']');
    }
}

typedef struct pending {
    const m_expr *x;
    bool paren;
} pending;

static void expr(pr *p, const m_expr *x, int need)
{
    /* a chain (`a || b || ...`, thousands of terms) by a loop: down its left
     * spine (opening parentheses), then back up (operators, right operands) */
    pending *spine = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        int sugar = sugar_of(p, x);
        bool paren = level_of(x, sugar) < need || gen_style_coin(p->st, 4);
        if (paren) {
            gen_buf_putc(p->b, '(');
            sp0(p);
        }
        if (!is_chain_node(x, sugar)) {
            print_node(p, x, sugar);
            if (paren) {
                sp0(p);
                gen_buf_putc(p->b, ')');
            }
            break;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            spine = realloc(spine, cap * sizeof *spine);
            if (!spine) abort();
        }
        spine[n++] = (pending){x, paren};
        need = chain_need(x);
        x = chain_left(x);
    }
    while (n-- > 0) {
        chain_rest(p, spine[n].x);
        if (spine[n].paren) {
            sp0(p);
            gen_buf_putc(p->b, ')');
        }
    }
    free(spine);
}

void gen_print_expr(gen_buf *b, const m_expr *x, gen_style *st)
{
    pr p = {b, st};
    expr(&p, x, L_EXPR);
}

/* ---- policies ------------------------------------------------------------------- */

static void print_scope(pr *p, const gen_scope *sc, const char *var, const char *slot)
{
    gen_buf *b = p->b;
    gen_buf_puts(b, var);
    switch (sc->op) {
    case GEN_SC_ANY: return;
    case GEN_SC_EQ: gen_buf_puts(b, " == "); break;
    case GEN_SC_IN: gen_buf_puts(b, " in "); break;
    case GEN_SC_IS:
    case GEN_SC_IS_IN:
        gen_buf_puts(b, " is ");
        gen_buf_str(b, sc->is_type);
        if (sc->op == GEN_SC_IS) return;
        gen_buf_puts(b, " in ");
        break;
    case GEN_SC_IN_SET:
        gen_buf_puts(b, " in [");
        for (size_t i = 0; i < sc->n_uids; i++) {
            if (i) gen_buf_puts(b, ", ");
            print_uid(b, sc->uids[i], p->st);
        }
        gen_buf_putc(b, ']');
        return;
    }
    if (sc->slot) {
        gen_buf_puts(b, slot);
    } else {
        print_uid(b, sc->uid, p->st);
    }
}

void gen_print_policy(gen_buf *b, const gen_policy *pol, gen_style *st)
{
    pr p = {b, st};
    for (size_t i = 0; i < pol->n_annots; i++) {
        gen_buf_putc(b, '@');
        gen_buf_str(b, pol->annots[i].key);
        if (pol->annots[i].has_value) {
            gen_buf_putc(b, '(');
            gen_print_string(b, pol->annots[i].value, st);
            gen_buf_putc(b, ')');
        }
        gen_buf_putc(b, gen_style_coin(st, 50) ? ' ' : '\n');
    }
    gen_buf_puts(b, pol->effect == M_PERMIT ? "permit" : "forbid");
    sp0(&p);
    gen_buf_putc(b, '(');
    sp0(&p);
    print_scope(&p, &pol->scope[0], "principal", "?principal");
    gen_buf_putc(b, ',');
    sp(&p);
    print_scope(&p, &pol->scope[1], "action", "?action");
    gen_buf_putc(b, ',');
    sp(&p);
    print_scope(&p, &pol->scope[2], "resource", "?resource");
    if (gen_style_coin(st, 10)) gen_buf_putc(b, ',');
    sp0(&p);
    gen_buf_putc(b, ')');
    for (size_t i = 0; i < pol->n_conds; i++) {
        sp(&p);
        gen_buf_puts(b, pol->conds[i].is_when ? "when" : "unless");
        sp0(&p);
        gen_buf_putc(b, '{');
        sp0(&p);
        expr(&p, pol->conds[i].body, L_EXPR);
        sp0(&p);
        gen_buf_putc(b, '}');
    }
    sp0(&p);
    gen_buf_puts(b, ";\n");
}
