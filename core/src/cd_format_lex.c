/* cd_format_lex.c: the formatter's tokens, each with the comments around it.
 *
 * The official formatter splits the text between two tokens at its first
 * line break: the part before is the first token's trailing comment (the
 * rest of its line), the part after holds the next token's leading comments.
 * Tokens are the policy grammar's (cd_lex.h), slots other than ?principal and
 * ?resource and the lone `=` excepted.
 */
#include <string.h>

#include "cd_format.h"
#include "cd_lex.h"

static bool is_ident_start(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

cd_str cd_format_trim(cd_str s)
{
    size_t i = 0, end = 0;
    while (i < s.len) {
        size_t k = cd_lex_space_len(s.ptr + i, s.len - i);
        if (k) {
            i += k;
            continue;
        }
        /* skip over one (possibly multi-byte) character */
        uint32_t cp;
        int m = cd_utf8_decode(s.ptr + i, s.len - i, &cp);
        i += m > 0 ? (size_t)m : 1;
        end = i;
    }
    size_t start = 0;
    while (start < end) {
        size_t k = cd_lex_space_len(s.ptr + start, s.len - start);
        if (!k) break;
        start += k;
    }
    return (cd_str){s.ptr + start, end > start ? end - start : 0};
}

/* The `//` comments in a stretch of white space and comments, each trimmed. */
static cd_str *comments(cd_arena *a, const char *p, size_t n, size_t *count)
{
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_str));
    for (size_t i = 0; i + 1 < n; i++) {
        if (p[i] != '/' || p[i + 1] != '/') continue;
        size_t j = i;
        while (j < n && p[j] != '\n' && p[j] != '\r')
            j++;
        *(cd_str *)cd_vec_push(&v) = cd_format_trim((cd_str){p + i, j - i});
        i = j;
    }
    *count = v.len;
    return cd_vec_finish(&v, a);
}

bool cd_ftok_is(const cd_ftok *t, const char *s)
{
    size_t n = strlen(s);
    return t->text.len == n && memcmp(t->text.ptr, s, n) == 0;
}

size_t cd_format_string_len(const char *p, size_t n)
{
    size_t i = 1;
    while (i < n && p[i] != '"') {
        if (p[i] == '\\') {
            if (i + 1 >= n || p[i + 1] == '\n') return 0;
            i++;
        }
        i++;
    }
    return i < n ? i + 1 : 0;
}

/* Length of the token at p, and its kind; 0 when no token starts there. */
static size_t token_len(const char *p, size_t n, cd_fk *kind)
{
    static const char *const punct[] = {"::", "==", "!=", "<=", ">=", "||", "&&", "@", ".",
                                        ",",  ";",  ":",  "(",  ")",  "{",  "}",  "[", "]",
                                        "<",  ">",  "+",  "-",  "*",  "/",  "%",  "!"};
    unsigned char c = (unsigned char)p[0];
    size_t i = 1;
    if (is_ident_start(c)) {
        while (i < n && is_ident_char((unsigned char)p[i]))
            i++;
        *kind = CD_FK_IDENT;
        return i;
    }
    if (c >= '0' && c <= '9') {
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        *kind = CD_FK_NUMBER;
        return i;
    }
    if (c == '"') {
        *kind = CD_FK_STRING;
        return cd_format_string_len(p, n);
    }
    if (c == '?') {
        *kind = CD_FK_SLOT;
        if (n >= 10 && memcmp(p, "?principal", 10) == 0) return 10;
        if (n >= 9 && memcmp(p, "?resource", 9) == 0) return 9;
        return 0;
    }
    *kind = CD_FK_PUNCT;
    for (size_t k = 0; k < sizeof punct / sizeof *punct; k++) {
        size_t m = strlen(punct[k]);
        if (m <= n && memcmp(p, punct[k], m) == 0) return m;
    }
    return 0;
}

bool cd_format_lex(const char *text, size_t len, cd_arena *a, cd_ftoks *out)
{
    cd_vec v;
    cd_vec_init(&v, sizeof(cd_ftok));
    size_t i = 0, gap = 0; /* gap: where the text after the last token starts */
    bool ok = true;
    for (;;) {
        /* skip white space and comments */
        for (;;) {
            size_t k = i < len ? cd_lex_space_len(text + i, len - i) : 0;
            if (k) {
                i += k;
            } else if (i + 1 < len && text[i] == '/' && text[i + 1] == '/') {
                while (i < len && text[i] != '\n' && text[i] != '\r')
                    i++;
            } else {
                break;
            }
        }
        /* split the stretch [gap, i) at its first line break */
        const char *g = text + gap;
        size_t gn = i - gap;
        const char *nl = memchr(g, '\n', gn);
        size_t cut = nl ? (size_t)(nl - g) : gn;
        if (v.len) {
            cd_ftok *prev = (cd_ftok *)v.items + (v.len - 1);
            prev->com.trail = cd_format_trim((cd_str){g, cut});
        }
        const char *lead = nl ? nl + 1 : g + gn;
        size_t lead_n = nl ? gn - cut - 1 : 0;
        if (!v.len) { /* before the first token: all of it */
            lead = g;
            lead_n = gn;
        }
        if (i >= len) {
            out->eof_com = comments(a, lead, lead_n, &out->neof);
            break;
        }
        cd_fk kind;
        size_t n = token_len(text + i, len - i, &kind);
        if (!n) {
            ok = false;
            out->eof_com = NULL;
            out->neof = 0;
            break;
        }
        cd_ftok *t = cd_vec_push(&v);
        t->kind = kind;
        t->text = (cd_str){text + i, n};
        t->com.lead = comments(a, lead, lead_n, &t->com.nlead);
        i += n;
        gap = i;
    }
    out->n = v.len;
    out->t = cd_vec_finish(&v, a);
    return ok;
}
