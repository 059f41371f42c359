/* cd_parse_int.h: the parser's internals, shared by cd_parse.c (policies,
 * scopes, uids) and cd_parse_expr.c (expressions).
 *
 * The parser is recursive descent over the token array from cd_lex. It
 * builds the AST directly, applying the checks that the official parser
 * makes when it converts its syntax tree, so it accepts and rejects the same
 * texts. Parsing stops at the first error.
 */
#ifndef CD_PARSE_INT_H
#define CD_PARSE_INT_H

#include "cd_ast.h"
#include "cd_lex.h"

/* Limits that keep every recursion over the text and the AST (here, in the
 * printer and in the evaluator) well inside the C stack: nested expressions
 * (parentheses, sets, records, arguments, if branches) and the height of the
 * resulting expression tree (which left-associative chains such as
 * `a || b || ...` or `x.a.b.c...` also grow). */
#define CD_PARSE_MAX_NESTING 1000
#define CD_PARSE_MAX_HEIGHT  CD_AST_MAX_HEIGHT

typedef struct cd_parser {
    const char *src;
    size_t len;
    const char *file;
    cd_arena *arena;
    cd_toks toks;
    size_t pos; /* index of the next token */
    cd_err *err;
    int nesting;
    /* set when a template slot is parsed (slots are only allowed in scopes) */
    bool slot_seen;
    cd_loc slot_loc;
    cd_slot slot_kind;
} cd_parser;

/* What an expression turned out to be, before it is committed to an AST
 * node: some positions accept a bare name, string or identifier that is not
 * an expression on its own (`is User`, `like "a*"`, record keys, `x["k"]`),
 * mirroring the official parser's conversion. */
typedef enum cd_xs_kind {
    CD_XS_EXPR, /* e */
    CD_XS_VAR,  /* principal, action, resource, context */
    CD_XS_NAME, /* an identifier or namespaced name that is not a variable */
    CD_XS_STR,  /* a string literal (token tok), not yet unescaped */
    CD_XS_BOOL, /* b */
    CD_XS_NUM,  /* an unsigned integer literal, not yet range-checked */
} cd_xs_kind;

typedef struct cd_xs {
    cd_xs_kind kind;
    cd_loc loc;
    uint32_t height; /* height of the AST this becomes */
    cd_expr *e;
    cd_var var;
    cd_str name;    /* CD_XS_NAME: "A::B" */
    bool qualified; /* CD_XS_NAME has a namespace */
    size_t tok;     /* CD_XS_STR: the string token */
    uint64_t num;
    bool b;
} cd_xs;

/* tokens */
static inline const cd_tok *cd_p_tok(const cd_parser *p)
{
    return &p->toks.items[p->pos];
}
static inline cd_tok_kind cd_p_peek(const cd_parser *p)
{
    return p->toks.items[p->pos].kind;
}
/* The kind k tokens ahead (EOF past the end). */
static inline cd_tok_kind cd_p_peek_at(const cd_parser *p, size_t k)
{
    size_t i = p->pos + k;
    return i < p->toks.n ? p->toks.items[i].kind : CD_T_EOF;
}
static inline cd_loc cd_p_tok_loc(const cd_tok *t)
{
    return (cd_loc){t->line, t->column, t->offset};
}
static inline cd_loc cd_p_loc(const cd_parser *p)
{
    return cd_p_tok_loc(cd_p_tok(p));
}
static inline cd_str cd_p_text(const cd_parser *p, const cd_tok *t)
{
    return (cd_str){p->src + t->offset, t->len};
}
/* Consume the next token (never moves past EOF). */
static inline const cd_tok *cd_p_next(cd_parser *p)
{
    const cd_tok *t = cd_p_tok(p);
    if (t->kind != CD_T_EOF) p->pos++;
    return t;
}

/* errors: all return false so callers can `return cd_p_fail(...)` */
bool cd_p_fail(cd_parser *p, cd_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "unexpected <next token>, expected <what>" at the next token. */
bool cd_p_unexpected(cd_parser *p, const char *what);
/* Consume a token of kind k or fail with cd_p_unexpected(what). */
bool cd_p_expect(cd_parser *p, cd_tok_kind k, const char *what);

/* strings: unescape a string token's contents, errors located at the escape */
bool cd_p_string(cd_parser *p, size_t tok, cd_str *out);
bool cd_p_pattern(cd_parser *p, size_t tok, cd_pattern *out);

/* expressions (cd_parse_expr.c) */
bool cd_p_expr(cd_parser *p, cd_xs *out);
bool cd_p_add(cd_parser *p, cd_xs *out);
/* Commit x to an expression (errors for a bare name or too-large number). */
bool cd_p_into_expr(cd_parser *p, cd_xs *x, cd_expr **out);
/* The entity type named by the right-hand side of `is`. */
bool cd_p_is_type(cd_parser *p, const cd_xs *x, const cd_name **out);
/* Check a name component: reserved words and `__cedar` are rejected. */
bool cd_p_check_ident(cd_parser *p, cd_str id, cd_loc loc);

/* Index of the first key (in source order) that repeats an earlier one, or
 * n if all are distinct. O(n log n). */
size_t cd_p_first_duplicate(const cd_str *keys, size_t n);

/* Set up p over text; false (err set) for invalid UTF-8 or an oversized text. */
bool cd_p_init(cd_parser *p, const char *text, size_t len, const char *file, cd_arena *arena,
               cd_err *err);
void cd_p_done(cd_parser *p);
/* Is k a relational operator (<, <=, >, >=, ==, !=, =, in)? */
bool cd_p_is_relop(cd_tok_kind k);

#endif
