/* cd_lex.c: the tokenizer for Cedar policy text (see cd_lex.h). */
#include <stdlib.h>
#include <string.h>

#include "cd_lex.h"

static bool is_ident_start(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Length of the Unicode white space character at p (the regex `\s`, i.e.
 * the White_Space property), or 0 if there is none. */
size_t cd_lex_space_len(const char *p, size_t n)
{
    unsigned char c = (unsigned char)p[0];
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (c < 0x80) return 0;
    uint32_t cp;
    int k = cd_utf8_decode(p, n, &cp);
    if (k <= 0) return 0;
    if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
        cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000)
        return (size_t)k;
    return 0;
}

typedef struct lexer {
    const char *s;
    size_t n, pos;
    uint32_t line;
    size_t line_start;
    cd_vec toks;
} lexer;

/* Step over k bytes that may hold line breaks (white space, strings). */
static void advance(lexer *L, size_t k)
{
    const char *p = L->s + L->pos, *end = p + k;
    while ((p = memchr(p, '\n', (size_t)(end - p)))) {
        L->line++;
        L->line_start = (size_t)(++p - L->s);
    }
    L->pos += k;
}

static void push(lexer *L, cd_tok_kind kind, size_t start, size_t len)
{
    /* every field is written: take the free slot without cd_vec_push's zeroing */
    cd_tok *t =
        L->toks.len < L->toks.cap ? (cd_tok *)L->toks.items + L->toks.len++ : cd_vec_push(&L->toks);
    t->kind = kind;
    t->offset = (uint32_t)start;
    t->len = (uint32_t)len;
    t->line = L->line;
    t->column = (uint32_t)(start - L->line_start + 1);
}

/* Length of the string token starting at s[0] == '"', or 0 if it does not
 * end: `\` takes the next character (any but a newline) along. */
static size_t string_len(const char *s, size_t n)
{
    size_t i = 1;
    while (i < n) {
        char c = s[i];
        if (c == '"') return i + 1;
        if (c == '\\') {
            if (i + 1 >= n || s[i + 1] == '\n') return 0;
            i += 2;
            /* the escaped character may be multi-byte: take its continuation bytes */
            while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
                i++;
            continue;
        }
        i++;
    }
    return 0;
}

static cd_tok_kind punct(const char *s, size_t n, size_t *len)
{
    char c = s[0], d = n > 1 ? s[1] : 0;
    *len = 2;
    switch (c) {
    case '=':
        if (d == '=') return CD_T_EQEQ;
        *len = 1;
        return CD_T_EQ;
    case '!':
        if (d == '=') return CD_T_NE;
        *len = 1;
        return CD_T_BANG;
    case '<':
        if (d == '=') return CD_T_LE;
        *len = 1;
        return CD_T_LT;
    case '>':
        if (d == '=') return CD_T_GE;
        *len = 1;
        return CD_T_GT;
    case ':':
        if (d == ':') return CD_T_COLONCOLON;
        *len = 1;
        return CD_T_COLON;
    case '|':
        if (d == '|') return CD_T_OROR;
        break;
    case '&':
        if (d == '&') return CD_T_ANDAND;
        break;
    default: break;
    }
    *len = 1;
    switch (c) {
    case '@': return CD_T_AT;
    case '.': return CD_T_DOT;
    case ',': return CD_T_COMMA;
    case ';': return CD_T_SEMI;
    case '(': return CD_T_LPAREN;
    case ')': return CD_T_RPAREN;
    case '{': return CD_T_LBRACE;
    case '}': return CD_T_RBRACE;
    case '[': return CD_T_LBRACKET;
    case ']': return CD_T_RBRACKET;
    case '+': return CD_T_PLUS;
    case '-': return CD_T_MINUS;
    case '*': return CD_T_STAR;
    case '/': return CD_T_SLASH;
    case '%': return CD_T_PERCENT;
    default: break;
    }
    *len = 0;
    return CD_T_ERROR;
}

static bool word_is(const char *s, size_t len, const char *w, size_t wlen)
{
    return len == wlen && memcmp(s, w, len) == 0;
}
#define WORD(w, k)                                                                                 \
    if (word_is(s, len, w, sizeof w - 1)) return k

/* The keyword spelled s[0..len), or CD_T_IDENT: by first letter, then length. */
static cd_tok_kind keyword(const char *s, size_t len)
{
    if (len < 2 || len > 9) return CD_T_IDENT;
    switch (s[0]) {
    case 'a': WORD("action", CD_T_ACTION); break;
    case 'c': WORD("context", CD_T_CONTEXT); break;
    case 'e': WORD("else", CD_T_ELSE); break;
    case 'f':
        WORD("false", CD_T_FALSE);
        WORD("forbid", CD_T_FORBID);
        break;
    case 'h': WORD("has", CD_T_HAS); break;
    case 'i':
        if (len != 2) break;
        if (s[1] == 'f') return CD_T_IF;
        if (s[1] == 'n') return CD_T_IN;
        if (s[1] == 's') return CD_T_IS;
        break;
    case 'l': WORD("like", CD_T_LIKE); break;
    case 'p':
        WORD("permit", CD_T_PERMIT);
        WORD("principal", CD_T_PRINCIPAL);
        break;
    case 'r': WORD("resource", CD_T_RESOURCE); break;
    case 't':
        WORD("true", CD_T_TRUE);
        WORD("then", CD_T_THEN);
        break;
    case 'u': WORD("unless", CD_T_UNLESS); break;
    case 'w': WORD("when", CD_T_WHEN); break;
    default: break;
    }
    return CD_T_IDENT;
}
#undef WORD

bool cd_lex(const char *text, size_t len, cd_toks *out)
{
    memset(out, 0, sizeof *out);
    if (len >= UINT32_MAX) return false;
    lexer L = {.s = text, .n = len, .line = 1};
    cd_vec_init(&L.toks, sizeof(cd_tok));
    /* policy text has a token per 3 to 4 bytes: room for most texts at
     * once, instead of doubling from 8 (a bound, for big texts of strings) */
    cd_vec_reserve(&L.toks, (len < (1u << 16) ? len : (1u << 16)) / 3 + 16);
    while (L.pos < L.n) {
        const char *p = L.s + L.pos;
        size_t rest = L.n - L.pos;
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            /* ASCII white space, the common case; only `\n` starts a line */
            if (c == '\n') {
                L.line++;
                L.line_start = L.pos + 1;
            }
            L.pos++;
            continue;
        }
        size_t k = c < 0x80 ? 0 : cd_lex_space_len(p, rest);
        if (k) {
            L.pos += k; /* no line break among the other white space */
            continue;
        }
        if (c == '/' && rest > 1 && p[1] == '/') {
            /* a comment runs to the end of the line */
            size_t i = 2;
            while (i < rest && p[i] != '\n' && p[i] != '\r')
                i++;
            L.pos += i; /* the line break is not part of the comment */
            continue;
        }
        size_t start = L.pos;
        cd_tok_kind kind;
        if (is_ident_start(c)) {
            k = 1;
            while (k < rest && is_ident_char((unsigned char)p[k]))
                k++;
            kind = keyword(p, k);
        } else if (c >= '0' && c <= '9') {
            k = 1;
            while (k < rest && p[k] >= '0' && p[k] <= '9')
                k++;
            kind = CD_T_NUMBER;
        } else if (c == '"') {
            k = string_len(p, rest);
            kind = CD_T_STRING;
            if (!k) {
                out->error = "unterminated string literal (or a `\\` before a line break)";
                kind = CD_T_ERROR;
                k = 1;
            }
        } else if (c == '?' && rest > 1 && is_ident_start((unsigned char)p[1])) {
            k = 2;
            while (k < rest && is_ident_char((unsigned char)p[k]))
                k++;
            if (k == 10 && memcmp(p, "?principal", 10) == 0)
                kind = CD_T_SLOT_PRINCIPAL;
            else if (k == 9 && memcmp(p, "?resource", 9) == 0)
                kind = CD_T_SLOT_RESOURCE;
            else
                kind = CD_T_SLOT_OTHER;
        } else {
            kind = punct(p, rest, &k);
            if (kind == CD_T_ERROR) {
                out->error = "invalid token";
                k = 1;
            }
        }
        push(&L, kind, start, k);
        if (kind == CD_T_ERROR) break;
        if (kind == CD_T_STRING)
            advance(&L, k); /* a string may span lines */
        else
            L.pos += k;
    }
    push(&L, CD_T_EOF, L.pos, 0);
    out->n = L.toks.len;
    out->items = L.toks.items; /* stays on the heap: the parser frees it */
    return true;
}

void cd_toks_free(cd_toks *t)
{
    free(t->items);
    t->items = NULL;
    t->n = 0;
}

const char *cd_tok_describe(cd_tok_kind k)
{
    switch (k) {
    case CD_T_EOF: return "end of input";
    case CD_T_ERROR: return "invalid token";
    case CD_T_IDENT: return "identifier";
    case CD_T_TRUE: return "`true`";
    case CD_T_FALSE: return "`false`";
    case CD_T_IF: return "`if`";
    case CD_T_PERMIT: return "`permit`";
    case CD_T_FORBID: return "`forbid`";
    case CD_T_WHEN: return "`when`";
    case CD_T_UNLESS: return "`unless`";
    case CD_T_IN: return "`in`";
    case CD_T_HAS: return "`has`";
    case CD_T_LIKE: return "`like`";
    case CD_T_IS: return "`is`";
    case CD_T_THEN: return "`then`";
    case CD_T_ELSE: return "`else`";
    case CD_T_PRINCIPAL: return "`principal`";
    case CD_T_ACTION: return "`action`";
    case CD_T_RESOURCE: return "`resource`";
    case CD_T_CONTEXT: return "`context`";
    case CD_T_SLOT_PRINCIPAL: return "`?principal`";
    case CD_T_SLOT_RESOURCE: return "`?resource`";
    case CD_T_SLOT_OTHER: return "template slot";
    case CD_T_NUMBER: return "number";
    case CD_T_STRING: return "string literal";
    case CD_T_AT: return "`@`";
    case CD_T_DOT: return "`.`";
    case CD_T_COMMA: return "`,`";
    case CD_T_SEMI: return "`;`";
    case CD_T_COLON: return "`:`";
    case CD_T_COLONCOLON: return "`::`";
    case CD_T_LPAREN: return "`(`";
    case CD_T_RPAREN: return "`)`";
    case CD_T_LBRACE: return "`{`";
    case CD_T_RBRACE: return "`}`";
    case CD_T_LBRACKET: return "`[`";
    case CD_T_RBRACKET: return "`]`";
    case CD_T_EQEQ: return "`==`";
    case CD_T_NE: return "`!=`";
    case CD_T_LT: return "`<`";
    case CD_T_LE: return "`<=`";
    case CD_T_GE: return "`>=`";
    case CD_T_GT: return "`>`";
    case CD_T_OROR: return "`||`";
    case CD_T_ANDAND: return "`&&`";
    case CD_T_PLUS: return "`+`";
    case CD_T_MINUS: return "`-`";
    case CD_T_STAR: return "`*`";
    case CD_T_SLASH: return "`/`";
    case CD_T_PERCENT: return "`%`";
    case CD_T_BANG: return "`!`";
    case CD_T_EQ: return "`=`";
    }
    return "token";
}

bool cd_ident_is_reserved(cd_str id)
{
    /* if, then, else, true, false, in, is, has, like (the keywords among
     * them keep their token kinds) and __cedar */
    const char *s = id.ptr;
    size_t len = id.len;
    if (len == 7) return memcmp(s, "__cedar", 7) == 0;
    switch (keyword(s, len)) {
    case CD_T_IF:
    case CD_T_THEN:
    case CD_T_ELSE:
    case CD_T_TRUE:
    case CD_T_FALSE:
    case CD_T_IN:
    case CD_T_IS:
    case CD_T_HAS:
    case CD_T_LIKE: return true;
    default: return false;
    }
}
