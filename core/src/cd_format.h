/* cd_format.h: the policy formatter's internals (cd_format*.c).
 *
 * The formatter lays policy text out as the official one does
 * (cedar-policy-formatter): a token stream that keeps the comments around
 * each token (cd_format_lex.c), a concrete syntax tree over those tokens
 * (cd_format_cst.c), a Wadler-style document built from the tree, taking
 * each token's comments at the place the official formatter takes them
 * (cd_format_print.c), and the layout of that document in a line width
 * (cd_format_doc.c). cd_format.c drives them and checks the result.
 */
#ifndef CD_FORMAT_H
#define CD_FORMAT_H

#include "cd_base.h"

/* ---- tokens with their comments (cd_format_lex.c) ---- */

typedef enum cd_fk {
    CD_FK_IDENT, /* identifiers and keywords: the text tells them apart */
    CD_FK_NUMBER,
    CD_FK_STRING,
    CD_FK_SLOT, /* ?principal, ?resource */
    CD_FK_PUNCT /* operators and brackets, the text says which */
} cd_fk;

/* The comments attached to a token: the `//` comments on the lines before it
 * (each trimmed), and the rest of the line after it (trimmed). */
typedef struct cd_fcom {
    cd_str *lead;
    size_t nlead;
    cd_str trail;
} cd_fcom;

typedef struct cd_ftok {
    cd_fk kind;
    cd_str text;
    cd_fcom com;
} cd_ftok;

typedef struct cd_ftoks {
    cd_ftok *t;
    size_t n;
    cd_str *eof_com; /* the comments after the last token's line */
    size_t neof;
} cd_ftoks;

/* False when a character starts no token (the parser rejects such text). */
bool cd_format_lex(const char *text, size_t len, cd_arena *a, cd_ftoks *out);
/* text without the Unicode white space at both ends. */
cd_str cd_format_trim(cd_str text);
/* Length of the string literal at p (`"(\\.|[^"\\])*"`, no raw line break
 * after a backslash), 0 if none. */
size_t cd_format_string_len(const char *p, size_t n);
/* Whether the token's text is s. */
bool cd_ftok_is(const cd_ftok *t, const char *s);

/* ---- the concrete syntax tree (cd_format_cst.c) ---- */

typedef enum cd_fn {
    CD_FN_POLICY,  /* k: annotations..., effect, 3 variables, conds... (counts in aux) */
    CD_FN_ANNOT,   /* k: key, value or NULL */
    CD_FN_VARDEF,  /* k: variable, entity type or NULL, right side or NULL; op */
    CD_FN_COND,    /* k: when/unless, expression */
    CD_FN_IF,      /* k: condition, then, else */
    CD_FN_OR,      /* k: operands */
    CD_FN_AND,     /* k: operands */
    CD_FN_REL,     /* k: operands; op: the operator token, or none */
    CD_FN_HAS,     /* k: target, field */
    CD_FN_LIKE,    /* k: target, pattern */
    CD_FN_IS,      /* k: target, type, `in` operand or NULL */
    CD_FN_ADD,     /* k: operands; ops: operator tokens */
    CD_FN_MULT,    /* k: operands; ops: operator tokens */
    CD_FN_UNARY,   /* k: member; aux: count of `!` or `-` (0: none) */
    CD_FN_MEMBER,  /* k: primary, accesses... */
    CD_FN_FIELD,   /* k: identifier */
    CD_FN_CALL,    /* k: arguments */
    CD_FN_INDEX,   /* k: expression */
    CD_FN_LIT,     /* a literal token */
    CD_FN_REF,     /* k: name, string */
    CD_FN_NAME,    /* k: identifiers (the path, then the last) */
    CD_FN_SLOT,    /* a slot token */
    CD_FN_PAREN,   /* k: expression */
    CD_FN_LIST,    /* k: elements */
    CD_FN_RECORD,  /* k: entries */
    CD_FN_RECINIT, /* k: key, value */
    CD_FN_IDENT,   /* one identifier token */
    CD_FN_STR      /* one string token */
} cd_fn;

typedef struct cd_fnode cd_fnode;
struct cd_fnode {
    cd_fn kind;
    uint32_t lo, hi; /* first and last token */
    uint32_t op;     /* an operator token (VARDEF, REL) */
    uint32_t aux;
    cd_fnode **k;
    uint32_t n;
    uint32_t *ops; /* ADD, MULT: the operator token before k[i + 1] */
};

typedef struct cd_fpolicies {
    cd_fnode **p;
    size_t n;
    bool too_deep;     /* the thread's stack ran low (cd_stack.h) ... */
    uint32_t deep_tok; /* ... at this token */
} cd_fpolicies;

/* Parse the tokens into policies; false on text the tree cannot hold (the
 * real parser has accepted the text before) and when the stack runs low
 * (out->too_deep). */
bool cd_format_cst(const cd_ftoks *toks, cd_arena *a, cd_fpolicies *out);

/* ---- documents (cd_format_doc.c) ---- */

typedef struct cd_fdoc cd_fdoc; /* NULL is the empty document */

cd_fdoc *cd_fdoc_text(cd_arena *a, const char *s, size_t n);
cd_fdoc *cd_fdoc_cat(cd_arena *a, cd_fdoc *x, cd_fdoc *y);
cd_fdoc *cd_fdoc_group(cd_arena *a, cd_fdoc *x);
cd_fdoc *cd_fdoc_nest(cd_arena *a, cd_fdoc *x, long off);
cd_fdoc *cd_fdoc_hardline(cd_arena *a);
cd_fdoc *cd_fdoc_line(cd_arena *a);  /* a space, or a line break */
cd_fdoc *cd_fdoc_line_(cd_arena *a); /* nothing, or a line break */
/* Lay the document out in `width` columns, appending to out. */
unsigned cd_format_cp_width(uint32_t c); /* cd_format_width.c */
void cd_fdoc_render(const cd_fdoc *d, size_t width, cd_buf *out);

/* ---- the document of a policy (cd_format_print.c) ---- */

/* NULL when the tree has a form the official formatter refuses, or when the
 * stack runs low (then *deep_tok is the token where, else UINT32_MAX). */
cd_fdoc *cd_format_policy_doc(const cd_fnode *policy, cd_ftoks *toks, long indent, cd_arena *a,
                              uint32_t *deep_tok);

/* ---- the formatter (cd_format.c) ---- */

/* The text laid out in `width` columns, nesting by `indent`, with its
 * comments; heap-owned. NULL with err set when the text does not parse
 * (file names it) or the official formatter would refuse it. */
char *cd_format_policies(const char *text, size_t len, const char *file, size_t width, long indent,
                         cd_err *err);

#endif
