/* cd_lex.h: the tokenizer for Cedar policy text, and string unescaping.
 *
 * Tokens follow the official grammar's lexer: identifiers are ASCII
 * `[_a-zA-Z][_a-zA-Z0-9]*` (keywords are identifiers with their own kind),
 * numbers are `[0-9]+` (a leading `-` is an operator), strings are
 * `"(\\.|[^"\\])*"` (where `.` is any character except a newline), slots are
 * `?ident`. Unicode white space and `//` comments are skipped. Longest match
 * wins, so `==` is one token and `trueish` an identifier.
 *
 * The whole text is tokenized up front into an array ending in CD_T_EOF. A
 * lexical error does not stop tokenizing right away: it becomes a CD_T_ERROR
 * token (followed by CD_T_EOF) so the parser reports errors in source order.
 */
#ifndef CD_LEX_H
#define CD_LEX_H

#include "cd_ast.h"
#include "cd_base.h"

typedef enum cd_tok_kind {
    CD_T_EOF,
    CD_T_ERROR, /* lexical error; message in cd_toks.error */
    CD_T_IDENT, /* any identifier that is not a keyword below */
    /* keywords; IF, TRUE and FALSE are the grammar's "special" identifiers */
    CD_T_TRUE,
    CD_T_FALSE,
    CD_T_IF,
    CD_T_PERMIT,
    CD_T_FORBID,
    CD_T_WHEN,
    CD_T_UNLESS,
    CD_T_IN,
    CD_T_HAS,
    CD_T_LIKE,
    CD_T_IS,
    CD_T_THEN,
    CD_T_ELSE,
    CD_T_PRINCIPAL,
    CD_T_ACTION,
    CD_T_RESOURCE,
    CD_T_CONTEXT,
    /* slots */
    CD_T_SLOT_PRINCIPAL, /* ?principal */
    CD_T_SLOT_RESOURCE,  /* ?resource */
    CD_T_SLOT_OTHER,     /* ?anythingElse (an error when used) */
    /* literals */
    CD_T_NUMBER,
    CD_T_STRING, /* text includes the quotes; contents still escaped */
    /* punctuation and operators */
    CD_T_AT,
    CD_T_DOT,
    CD_T_COMMA,
    CD_T_SEMI,
    CD_T_COLON,
    CD_T_COLONCOLON,
    CD_T_LPAREN,
    CD_T_RPAREN,
    CD_T_LBRACE,
    CD_T_RBRACE,
    CD_T_LBRACKET,
    CD_T_RBRACKET,
    CD_T_EQEQ,
    CD_T_NE,
    CD_T_LT,
    CD_T_LE,
    CD_T_GE,
    CD_T_GT,
    CD_T_OROR,
    CD_T_ANDAND,
    CD_T_PLUS,
    CD_T_MINUS,
    CD_T_STAR,
    CD_T_SLASH,
    CD_T_PERCENT,
    CD_T_BANG,
    CD_T_EQ, /* a single `=`: only there to suggest `==` */
} cd_tok_kind;

typedef struct cd_tok {
    cd_tok_kind kind;
    uint32_t offset, len; /* byte span in the source */
    uint32_t line, column;
} cd_tok;

typedef struct cd_toks {
    cd_tok *items;     /* heap; free with cd_toks_free */
    size_t n;          /* including the final CD_T_EOF */
    const char *error; /* static message for a CD_T_ERROR token */
} cd_toks;

/* Tokenize text (which must be valid UTF-8; the caller checks). Returns false
 * only when the text is too large to index (4 GiB and over). */
bool cd_lex(const char *text, size_t len, cd_toks *out);
/* Length of the Unicode white space character at p (regex `\s`), or 0. */
size_t cd_lex_space_len(const char *p, size_t n);
void cd_toks_free(cd_toks *t);

/* A token's kind as shown in error messages, e.g. "`)`" or "identifier". */
const char *cd_tok_describe(cd_tok_kind k);

/* Is this token an identifier in the grammar's sense (AnyIdent: keywords
 * included), or a "common" identifier (all of them but if/true/false)? */
static inline bool cd_tok_is_any_ident(cd_tok_kind k)
{
    return k >= CD_T_IDENT && k <= CD_T_CONTEXT;
}
static inline bool cd_tok_is_common_ident(cd_tok_kind k)
{
    return cd_tok_is_any_ident(k) && k != CD_T_TRUE && k != CD_T_FALSE && k != CD_T_IF;
}

/* Identifiers Cedar reserves: they cannot name attributes, types or
 * namespaces (if, then, else, true, false, in, is, has, like) or, for
 * `__cedar`, any name component. */
bool cd_ident_is_reserved(cd_str id);

/* Resolve the escapes of a string literal's contents (without the quotes) as
 * the official parser does (\n \r \t \\ \0 \' \" \xHH up to 7F, \u{...};
 * a bare carriage return is an error). On failure returns false with *err_off
 * the offset of the offending escape within raw and *msg a description. */
bool cd_unescape_str(const char *raw, size_t n, cd_arena *arena, cd_str *out, size_t *err_off,
                     const char **msg);
/* The same for a `like` pattern: `*` is a wildcard and `\*` a literal star. */
bool cd_unescape_pattern(const char *raw, size_t n, cd_arena *arena, cd_pattern *out,
                         size_t *err_off, const char **msg);

#endif
