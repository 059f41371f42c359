/* cd_schema_text.c: the `.cedarschema` text format.
 *
 * A hand-written lexer and recursive-descent parser for the grammar of the
 * official implementation (validator/cedar_schema/grammar.lalrpop), producing
 * the raw schema of cd_schema_int.h the way its to_json_schema.rs does:
 * declarations outside any namespace form the one empty namespace, a path
 * used as a type may be an entity or a common type, a path used as a context
 * must be a common type, and appliesTo must give non-empty principal and
 * resource lists exactly once.
 *
 * Lexical rules: whitespace is Unicode White_Space, `//` comments run to the
 * end of the line, identifiers are [_a-zA-Z][_a-zA-Z0-9]*, keywords may be
 * used wherever an identifier is expected except the words Cedar reserves
 * (true false if then else in is like has), strings use Rust's escapes.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_schema_int.h"
#include "cd_stack.h"

typedef enum tkind {
    T_EOF,
    T_IDENT, /* including keywords (kw != KW_NONE) */
    T_STR,
    T_NUM,
    T_COMMA,
    T_SEMI,
    T_COLON,
    T_DCOLON,
    T_LBRACE,
    T_RBRACE,
    T_LBRACK,
    T_RBRACK,
    T_LT,
    T_GT,
    T_EQ,
    T_QUEST,
    T_AT,
    T_LPAREN,
    T_RPAREN,
} tkind;

typedef enum kw {
    KW_NONE,
    KW_NAMESPACE,
    KW_ENTITY,
    KW_IN,
    KW_TYPE,
    KW_SET,
    KW_APPLIESTO,
    KW_PRINCIPAL,
    KW_ACTION,
    KW_RESOURCE,
    KW_CONTEXT,
    KW_ATTRIBUTES,
    KW_TAGS,
    KW_LONG,
    KW_STRING,
    KW_BOOL,
    KW_ENUM,
} kw;

static const char *const keywords[] = {
    NULL,        "namespace", "entity", "in",       "type",    "Set",
    "appliesTo", "principal", "action", "resource", "context", "attributes",
    "tags",      "Long",      "String", "Bool",     "enum",
};

typedef struct tok {
    tkind kind;
    kw kw;
    size_t start, end;
} tok;

/* A growable array in the scratch arena (no cleanup needed on errors). */
typedef struct avec {
    void *items;
    size_t len, cap, elem;
} avec;

typedef struct parser {
    cd_rschema *rs;
    cd_err *err;
    const char *p;
    size_t len;
    tok cur;
    size_t empty_ns; /* index of the empty namespace, SIZE_MAX until needed */
    cd_buf tmp;
} parser;

static void *avec_push(cd_arena *a, avec *v)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        void *n = cd_arena_zalloc(a, cap * v->elem);
        if (v->len) memcpy(n, v->items, v->len * v->elem);
        v->items = n;
        v->cap = cap;
    }
    return (char *)v->items + v->elem * v->len++;
}

static bool err_at(parser *P, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool err_at(parser *P, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cd_arena_vprintf(P->rs->arena, fmt, ap);
    va_end(ap);
    return cd_schema_err(P->rs, P->err, (cd_src){(uint32_t)off, NULL}, "%s", msg);
}

/* ---- lexer ---------------------------------------------------------------- */

static bool is_unicode_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

static size_t skip_space(const parser *P, size_t i)
{
    for (;;) {
        if (i >= P->len) return i;
        unsigned char c = (unsigned char)P->p[i];
        if (c == '/' && i + 1 < P->len && P->p[i + 1] == '/') {
            while (i < P->len && P->p[i] != '\n' && P->p[i] != '\r')
                i++;
            continue;
        }
        if (c < 0x80) { /* ASCII: no decoding, two comparisons */
            if (c != ' ' && (c < '\t' || c > '\r')) return i;
            i++;
            continue;
        }
        uint32_t cp;
        int k = cd_utf8_decode(P->p + i, P->len - i, &cp);
        if (k <= 0 || !is_unicode_space(cp)) return i;
        i += (size_t)k;
    }
}

static inline bool ident_char(unsigned char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

/* Lex the token starting at or after offset i. */
static bool lex(parser *P, size_t i, tok *t)
{
    i = skip_space(P, i);
    t->start = i;
    t->kw = KW_NONE;
    if (i >= P->len) {
        t->kind = T_EOF;
        t->end = i;
        return true;
    }
    unsigned char c = (unsigned char)P->p[i];
    if (ident_char(c, true)) {
        size_t j = i + 1;
        while (j < P->len && ident_char((unsigned char)P->p[j], false))
            j++;
        t->kind = T_IDENT;
        t->end = j;
        for (size_t k = 1; k < sizeof keywords / sizeof keywords[0]; k++)
            if (keywords[k][0] == P->p[i] && cd_str_eq_c((cd_str){P->p + i, j - i}, keywords[k])) {
                t->kw = (kw)k; /* the words are distinct: the first match is the one */
                break;
            }
        return true;
    }
    if (c >= '0' && c <= '9') {
        size_t j = i + 1;
        while (j < P->len && P->p[j] >= '0' && P->p[j] <= '9')
            j++;
        t->kind = T_NUM;
        t->end = j;
        return true;
    }
    if (c == '"') {
        /* "(\\.|[^"\\])*" where `.` is anything but a newline */
        size_t j = i + 1;
        for (;;) {
            if (j >= P->len) return err_at(P, i, "unterminated string literal");
            char d = P->p[j];
            if (d == '"') break;
            if (d == '\\') {
                if (j + 1 >= P->len) return err_at(P, i, "unterminated string literal");
                if (P->p[j + 1] == '\n') return err_at(P, i, "invalid string literal");
                j += 2;
                continue;
            }
            j++;
        }
        t->kind = T_STR;
        t->end = j + 1;
        return true;
    }
    t->end = i + 1;
    switch (c) {
    case ',': t->kind = T_COMMA; return true;
    case ';': t->kind = T_SEMI; return true;
    case ':':
        if (i + 1 < P->len && P->p[i + 1] == ':') {
            t->kind = T_DCOLON;
            t->end = i + 2;
        } else {
            t->kind = T_COLON;
        }
        return true;
    case '{': t->kind = T_LBRACE; return true;
    case '}': t->kind = T_RBRACE; return true;
    case '[': t->kind = T_LBRACK; return true;
    case ']': t->kind = T_RBRACK; return true;
    case '<': t->kind = T_LT; return true;
    case '>': t->kind = T_GT; return true;
    case '=': t->kind = T_EQ; return true;
    case '?': t->kind = T_QUEST; return true;
    case '@': t->kind = T_AT; return true;
    case '(': t->kind = T_LPAREN; return true;
    case ')': t->kind = T_RPAREN; return true;
    default: break;
    }
    uint32_t cp = c;
    if (c >= 0x80) cd_utf8_decode(P->p + i, P->len - i, &cp);
    if (cp >= 0x21 && cp < 0x7F) return err_at(P, i, "invalid token `%c`", (char)cp);
    return err_at(P, i, "invalid character U+%04X", (unsigned)cp);
}

static bool advance(parser *P)
{
    return lex(P, P->cur.end, &P->cur);
}

/* The token after the current one, without consuming anything. */
static bool peek2(parser *P, tok *t)
{
    return lex(P, P->cur.end, t);
}

static bool unexpected(parser *P, const char *expected)
{
    const tok *t = &P->cur;
    if (t->kind == T_EOF)
        return err_at(P, t->start, "unexpected end of input, expected %s", expected);
    size_t n = t->end - t->start;
    if (n > 40) n = 40;
    return err_at(P, t->start, "unexpected token `%.*s`, expected %s", (int)n, P->p + t->start,
                  expected);
}

static bool expect(parser *P, tkind k, const char *what)
{
    if (P->cur.kind != k) return unexpected(P, what);
    return advance(P);
}

/* ---- strings -------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The value of the string literal token t, with Rust's escapes (as the
 * official implementation's unescaper): \n \r \t \\ \0 \' \" \xHH (<= 0x7F)
 * and \u{H..} (1-6 hex digits, `_` allowed after the first). */
static bool unescape(parser *P, const tok *t, cd_str *out)
{
    const char *s = P->p + t->start + 1;
    size_t n = t->end - t->start - 2, base = t->start + 1;
    if (!memchr(s, '\\', n) && !memchr(s, '\r', n)) {
        *out = (cd_str){s, n};
        return true;
    }
    char *o = cd_arena_zalloc(P->rs->arena, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '\r') return err_at(P, base + i, "bare carriage return in string literal");
        if (c != '\\') {
            o[k++] = c;
            i++;
            continue;
        }
        char e = i + 1 < n ? s[i + 1] : 0;
        size_t at = base + i;
        switch (e) {
        case 'n':
            o[k++] = '\n';
            i += 2;
            continue;
        case 'r':
            o[k++] = '\r';
            i += 2;
            continue;
        case 't':
            o[k++] = '\t';
            i += 2;
            continue;
        case '\\':
            o[k++] = '\\';
            i += 2;
            continue;
        case '0':
            o[k++] = '\0';
            i += 2;
            continue;
        case '\'':
            o[k++] = '\'';
            i += 2;
            continue;
        case '"':
            o[k++] = '"';
            i += 2;
            continue;
        case 'x': {
            if (i + 3 >= n) return err_at(P, at, "numeric character escape is too short");
            int h1 = hexval(s[i + 2]), h2 = hexval(s[i + 3]);
            if (h1 < 0 || h2 < 0)
                return err_at(P, at, "invalid character in numeric character escape");
            if (h1 * 16 + h2 > 0x7F)
                return err_at(P, at, "out of range hex escape (must be at most \\x7F)");
            o[k++] = (char)(h1 * 16 + h2);
            i += 4;
            continue;
        }
        case 'u': {
            size_t j = i + 2;
            if (j >= n || s[j] != '{') return err_at(P, at, "incorrect unicode escape sequence");
            j++;
            if (j < n && s[j] == '}') return err_at(P, at, "empty unicode escape");
            if (j < n && s[j] == '_') return err_at(P, at, "invalid start of unicode escape: `_`");
            uint32_t v = 0;
            int digits = 0;
            for (;; j++) {
                if (j >= n) return err_at(P, at, "unterminated unicode escape");
                if (s[j] == '}') break;
                if (s[j] == '_') continue;
                int h = hexval(s[j]);
                if (h < 0) return err_at(P, at, "invalid character in unicode escape");
                if (++digits <= 6) v = v * 16 + (uint32_t)h;
            }
            if (digits > 6) return err_at(P, at, "overlong unicode escape");
            if (v >= 0xD800 && v <= 0xDFFF)
                return err_at(P, at, "unicode escape must not be a surrogate");
            if (v > 0x10FFFF) return err_at(P, at, "unicode escape must be at most 10FFFF");
            k += (size_t)cd_utf8_encode(v, o + k);
            i = j + 1;
            continue;
        }
        case '\n': /* line continuation: skip the newline and following whitespace */
            i += 2;
            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                i++;
            continue;
        default: return err_at(P, at, "unknown character escape");
        }
    }
    *out = (cd_str){o, k};
    return true;
}

/* ---- names ---------------------------------------------------------------- */

static cd_str tok_text(const parser *P, const tok *t)
{
    return (cd_str){P->p + t->start, t->end - t->start};
}

/* An identifier that is not one of Cedar's reserved words. */
static bool ident(parser *P, cd_str *out, size_t *off)
{
    if (P->cur.kind != T_IDENT) return unexpected(P, "an identifier");
    cd_str s = tok_text(P, &P->cur);
    if (cd_schema_is_reserved_word(s))
        return err_at(P, P->cur.start, "`%.*s` is a reserved identifier", (int)s.len, s.ptr);
    *out = s;
    if (off) *off = P->cur.start;
    return advance(P);
}

/* Name := Ident | STR */
static bool name(parser *P, cd_str *out, size_t *off)
{
    if (P->cur.kind == T_STR) {
        *off = P->cur.start;
        return unescape(P, &P->cur, out) && advance(P);
    }
    return ident(P, out, off);
}

static cd_str finish_tmp(parser *P)
{
    return cd_arena_str(P->rs->arena, P->tmp.data ? P->tmp.data : "", P->tmp.len);
}

/* Path := Ident {'::' Ident}, written back as "A::B" */
static bool path(parser *P, cd_str *out, size_t *off)
{
    cd_str id;
    if (!ident(P, &id, off)) return false;
    P->tmp.len = 0;
    cd_buf_put(&P->tmp, id.ptr, id.len);
    while (P->cur.kind == T_DCOLON) {
        if (!advance(P) || !ident(P, &id, NULL)) return false;
        cd_buf_puts(&P->tmp, "::");
        cd_buf_put(&P->tmp, id.ptr, id.len);
    }
    *out = finish_tmp(P);
    return true;
}

/* QualName := Name | Path '::' STR (an action reference) */
static bool qualname(parser *P, cd_rparent *out)
{
    size_t off = 0;
    if (P->cur.kind == T_STR) {
        out->src.off = (uint32_t)P->cur.start;
        return name(P, &out->id, &off);
    }
    cd_str id;
    if (!ident(P, &id, &off)) return false;
    out->src.off = (uint32_t)off;
    out->id = id;
    P->tmp.len = 0;
    cd_buf_put(&P->tmp, id.ptr, id.len);
    size_t parts = 1;
    while (P->cur.kind == T_DCOLON) {
        if (!advance(P)) return false;
        if (P->cur.kind == T_STR) {
            out->has_type = true;
            out->type = finish_tmp(P);
            return unescape(P, &P->cur, &out->id) && advance(P);
        }
        if (!ident(P, &id, NULL)) return false;
        cd_buf_puts(&P->tmp, "::");
        cd_buf_put(&P->tmp, id.ptr, id.len);
        parts++;
    }
    /* `A::B` without a string is not an action reference */
    if (parts > 1) return unexpected(P, "`::` followed by a string");
    return true;
}

/* ---- annotations ---------------------------------------------------------- */

typedef struct anno {
    cd_ranno a;
    size_t off;
} anno;

static int anno_cmp(const void *a, const void *b)
{
    const anno *x = a, *y = b;
    int c = cd_str_cmp(x->a.key, y->a.key);
    if (c) return c;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Annotations := {'@' AnyIdent ['(' STR ')']}: checked (no key twice) and
 * kept sorted by key in *out for printing; `@k` alone has the value "". */
static bool annotations(parser *P, cd_rannos *out)
{
    avec v = {.elem = sizeof(anno)};
    while (P->cur.kind == T_AT) {
        if (!advance(P)) return false;
        if (P->cur.kind != T_IDENT) return unexpected(P, "an annotation name");
        anno *a = avec_push(P->rs->arena, &v);
        a->a.key = tok_text(P, &P->cur);
        a->a.has_value = true;
        a->a.value = (cd_str){"", 0};
        a->off = P->cur.start;
        if (!advance(P)) return false;
        if (P->cur.kind == T_LPAREN) {
            if (!advance(P)) return false;
            if (P->cur.kind != T_STR) return unexpected(P, "a string");
            if (!unescape(P, &P->cur, &a->a.value) || !advance(P) || !expect(P, T_RPAREN, "`)`"))
                return false;
        }
    }
    anno *items = v.items;
    if (v.len > 1) {
        qsort(items, v.len, sizeof *items, anno_cmp);
        for (size_t i = 0; i + 1 < v.len; i++)
            if (cd_str_eq(items[i].a.key, items[i + 1].a.key))
                return err_at(P, items[i + 1].off, "duplicate annotation `@%.*s`",
                              (int)items[i].a.key.len, items[i].a.key.ptr);
    }
    cd_ranno *r = v.len ? CD_NEW_ARRAY(P->rs->arena, cd_ranno, v.len) : NULL;
    for (size_t i = 0; i < v.len; i++)
        r[i] = items[i].a;
    *out = (cd_rannos){v.len, r};
    return true;
}

/* ---- types ---------------------------------------------------------------- */

static cd_rtype *new_type(parser *P, cd_rtkind k, size_t off)
{
    cd_rtype *t = CD_NEW(P->rs->arena, cd_rtype);
    t->kind = k;
    t->src.off = (uint32_t)off;
    return t;
}

static bool type(parser *P, int depth, const cd_rtype **out);

/* `depth` counts the records and sets around the current one and itself. The
 * limit is the resolver's (cd_schema.c, conv), which checks it again on the
 * types with common types expanded; checking it here too bounds the
 * recursion and reports inline nesting at the same place. */
static bool too_deep(parser *P, int depth)
{
    if (cd_stack_low()) {
        err_at(P, P->cur.start,
               "types are nested too deeply (the thread's stack is nearly exhausted)");
        return true;
    }
    if (depth <= CD_SCHEMA_MAX_TYPE_DEPTH) return false;
    err_at(P, P->cur.start, "types are nested too deeply (more than %d levels of records and sets)",
           CD_SCHEMA_MAX_TYPE_DEPTH);
    return true;
}

/* '{' [AttrDecls] '}' */
static bool record(parser *P, int depth, const cd_rtype **out)
{
    if (too_deep(P, depth)) return false;
    cd_rtype *t = new_type(P, CD_RT_RECORD, P->cur.start);
    if (!expect(P, T_LBRACE, "`{`")) return false;
    avec attrs = {.elem = sizeof(cd_rattr)};
    while (P->cur.kind != T_RBRACE) {
        cd_rannos annos;
        if (!annotations(P, &annos)) return false;
        cd_rattr *a = avec_push(P->rs->arena, &attrs);
        a->annos = annos;
        size_t off = 0;
        if (!name(P, &a->name, &off)) return false;
        a->required = true;
        if (P->cur.kind == T_QUEST) {
            a->required = false;
            if (!advance(P)) return false;
        }
        if (!expect(P, T_COLON, "`:`") || !type(P, depth + 1, &a->type)) return false;
        if (P->cur.kind != T_COMMA) break;
        if (!advance(P)) return false;
    }
    if (!expect(P, T_RBRACE, "`,` or `}`")) return false;
    t->n_attrs = attrs.len;
    t->attrs = attrs.items;
    *out = t;
    return true;
}

/* Type := Path | 'Set' '<' Type '>' | '{' [AttrDecls] '}' */
static bool type(parser *P, int depth, const cd_rtype **out)
{
    if (P->cur.kind == T_LBRACE) return record(P, depth, out);
    if (P->cur.kind == T_IDENT && P->cur.kw == KW_SET) {
        tok t2;
        if (!peek2(P, &t2)) return false;
        if (t2.kind == T_LT) {
            if (too_deep(P, depth)) return false;
            cd_rtype *t = new_type(P, CD_RT_SET, P->cur.start);
            if (!advance(P) || !advance(P) || !type(P, depth + 1, &t->elem) ||
                !expect(P, T_GT, "`>`"))
                return false;
            *out = t;
            return true;
        }
    }
    if (P->cur.kind != T_IDENT) return unexpected(P, "a type");
    cd_rtype *t = new_type(P, CD_RT_EOC, P->cur.start);
    size_t off = 0;
    if (!path(P, &t->name, &off)) return false;
    *out = t;
    return true;
}

/* EntTypes := Path | '[' [Path {',' Path}] ']' */
static bool ent_types(parser *P, const cd_rname **out, size_t *n)
{
    avec v = {.elem = sizeof(cd_rname)};
    if (P->cur.kind == T_LBRACK) {
        if (!advance(P)) return false;
        while (P->cur.kind != T_RBRACK) {
            cd_rname *r = avec_push(P->rs->arena, &v);
            size_t off = 0;
            if (!path(P, &r->name, &off)) return false;
            r->src.off = (uint32_t)off;
            if (P->cur.kind != T_COMMA) break;
            if (!advance(P)) return false;
            if (P->cur.kind == T_RBRACK) return unexpected(P, "an entity type");
        }
        if (!expect(P, T_RBRACK, "`,` or `]`")) return false;
    } else {
        cd_rname *r = avec_push(P->rs->arena, &v);
        size_t off = 0;
        if (!path(P, &r->name, &off)) return false;
        r->src.off = (uint32_t)off;
    }
    *out = v.items;
    *n = v.len;
    return true;
}

/* ---- declarations --------------------------------------------------------- */

/* Idents := Ident {',' Ident} (also Names, with strings allowed) */
static bool name_list(parser *P, bool strings, avec *v)
{
    for (;;) {
        cd_rname *r = avec_push(P->rs->arena, v);
        size_t off = 0;
        if (!(strings ? name(P, &r->name, &off) : ident(P, &r->name, &off))) return false;
        r->src.off = (uint32_t)off;
        if (P->cur.kind != T_COMMA) return true;
        if (!advance(P)) return false;
    }
}

static bool entity_decl(parser *P, size_t ns, cd_rannos annos)
{
    if (!advance(P)) return false; /* entity */
    avec names = {.elem = sizeof(cd_rname)};
    if (!name_list(P, false, &names)) return false;
    cd_rentity proto = {.ns = ns, .annos = annos};
    if (P->cur.kind == T_IDENT && P->cur.kw == KW_ENUM) {
        if (!advance(P) || !expect(P, T_LBRACK, "`[`")) return false;
        avec ids = {.elem = sizeof(cd_str)};
        for (;;) {
            if (P->cur.kind != T_STR) return unexpected(P, "a string");
            if (!unescape(P, &P->cur, avec_push(P->rs->arena, &ids)) || !advance(P)) return false;
            if (P->cur.kind != T_COMMA) break;
            if (!advance(P)) return false;
        }
        if (!expect(P, T_RBRACK, "`,` or `]`") || !expect(P, T_SEMI, "`;`")) return false;
        proto.is_enum = true;
        proto.n_enum = ids.len;
        proto.enum_ids = ids.items;
    } else {
        if (P->cur.kind == T_IDENT && P->cur.kw == KW_IN) {
            if (!advance(P) || !ent_types(P, &proto.member_of, &proto.n_member_of)) return false;
        }
        if (P->cur.kind == T_EQ) {
            if (!advance(P)) return false;
            if (P->cur.kind != T_LBRACE) return unexpected(P, "`{`");
        }
        if (P->cur.kind == T_LBRACE && !record(P, 1, &proto.shape)) return false;
        if (P->cur.kind == T_IDENT && P->cur.kw == KW_TAGS) {
            if (!advance(P) || !type(P, 1, &proto.tags)) return false;
        }
        if (!expect(P, T_SEMI, "`;`")) return false;
    }
    const cd_rname *v = names.items;
    for (size_t i = 0; i < names.len; i++) {
        cd_rentity *e = cd_vec_push(&P->rs->entities);
        *e = proto;
        e->name = v[i].name;
        e->src = v[i].src;
    }
    return true;
}

/* AppDecls := ('principal' | 'resource') ':' EntTypes | 'context' ':' (Path | RecType),
 * separated by commas, optionally ending with one. */
static bool applies_to(parser *P, cd_raction *a, size_t name_off)
{
    size_t seen_p = SIZE_MAX, seen_r = SIZE_MAX, seen_c = SIZE_MAX;
    if (!expect(P, T_LBRACE, "`{`")) return false;
    do {
        size_t at = P->cur.start;
        kw k = P->cur.kind == T_IDENT ? P->cur.kw : KW_NONE;
        if (k != KW_PRINCIPAL && k != KW_RESOURCE && k != KW_CONTEXT)
            return unexpected(P, "`principal`, `resource` or `context`");
        if (!advance(P) || !expect(P, T_COLON, "`:`")) return false;
        if (k == KW_CONTEXT) {
            if (seen_c != SIZE_MAX) return err_at(P, at, "duplicate context declaration in action");
            seen_c = at;
            if (P->cur.kind == T_LBRACE) {
                if (!record(P, 1, &a->context)) return false;
            } else {
                cd_rtype *t = new_type(P, CD_RT_COMMON, P->cur.start);
                size_t off = 0;
                if (!path(P, &t->name, &off)) return false;
                a->context = t;
            }
        } else {
            size_t *seen = k == KW_PRINCIPAL ? &seen_p : &seen_r;
            const char *what = k == KW_PRINCIPAL ? "principal" : "resource";
            if (*seen != SIZE_MAX)
                return err_at(P, at, "duplicate `%s` declaration in action", what);
            *seen = at;
            const cd_rname *v;
            size_t n;
            if (!ent_types(P, &v, &n)) return false;
            if (n == 0)
                return err_at(P, at,
                              "`%s` is `[]`, which is invalid: every action must name "
                              "at least one %s type",
                              what, what);
            if (k == KW_PRINCIPAL) {
                a->principals = v;
                a->n_principals = n;
            } else {
                a->resources = v;
                a->n_resources = n;
            }
        }
        if (P->cur.kind != T_COMMA) break;
        if (!advance(P)) return false;
    } while (P->cur.kind != T_RBRACE);
    if (!expect(P, T_RBRACE, "`,` or `}`")) return false;
    if (seen_p == SIZE_MAX)
        return err_at(P, name_off, "missing `principal` declaration in the appliesTo of action");
    if (seen_r == SIZE_MAX)
        return err_at(P, name_off, "missing `resource` declaration in the appliesTo of action");
    a->has_applies_to = true;
    return true;
}

static bool action_decl(parser *P, size_t ns, cd_rannos annos)
{
    if (!advance(P)) return false; /* action */
    avec names = {.elem = sizeof(cd_rname)};
    if (!name_list(P, true, &names)) return false;
    cd_raction proto = {.ns = ns, .annos = annos};
    if (P->cur.kind == T_IDENT && P->cur.kw == KW_IN) {
        proto.has_member_of = true;
        if (!advance(P)) return false;
        avec parents = {.elem = sizeof(cd_rparent)};
        if (P->cur.kind == T_LBRACK) {
            if (!advance(P)) return false;
            for (;;) {
                if (!qualname(P, avec_push(P->rs->arena, &parents))) return false;
                if (P->cur.kind != T_COMMA) break;
                if (!advance(P)) return false;
            }
            if (!expect(P, T_RBRACK, "`,` or `]`")) return false;
        } else if (!qualname(P, avec_push(P->rs->arena, &parents))) {
            return false;
        }
        proto.member_of = parents.items;
        proto.n_member_of = parents.len;
    }
    if (P->cur.kind == T_IDENT && P->cur.kw == KW_APPLIESTO) {
        const cd_rname *first = names.items;
        if (!advance(P) || !applies_to(P, &proto, first->src.off)) return false;
    }
    if (P->cur.kind == T_IDENT && P->cur.kw == KW_ATTRIBUTES) {
        /* `attributes {}` is accepted and means nothing */
        if (!advance(P) || !expect(P, T_LBRACE, "`{`") || !expect(P, T_RBRACE, "`}`")) return false;
    }
    if (!expect(P, T_SEMI, "`;`")) return false;
    const cd_rname *v = names.items;
    for (size_t i = 0; i < names.len; i++) {
        cd_raction *a = cd_vec_push(&P->rs->actions);
        *a = proto;
        a->name = v[i].name;
        a->src = v[i].src;
    }
    return true;
}

static bool type_decl(parser *P, size_t ns, cd_rannos annos)
{
    if (!advance(P)) return false; /* type */
    cd_rcommon c = {.ns = ns, .annos = annos};
    size_t off = 0;
    if (!ident(P, &c.name, &off) || !expect(P, T_EQ, "`=`") || !type(P, 1, &c.type) ||
        !expect(P, T_SEMI, "`;`"))
        return false;
    c.src.off = (uint32_t)off;
    *(cd_rcommon *)cd_vec_push(&P->rs->commons) = c;
    return true;
}

/* Decl := Entity | Action | TypeDecl, after its annotations (read by the caller) */
static bool decl(parser *P, size_t ns, cd_rannos annos)
{
    kw k = P->cur.kind == T_IDENT ? P->cur.kw : KW_NONE;
    switch (k) {
    case KW_ENTITY: return entity_decl(P, ns, annos);
    case KW_ACTION: return action_decl(P, ns, annos);
    case KW_TYPE: return type_decl(P, ns, annos);
    default: return unexpected(P, "`entity`, `action` or `type`");
    }
}

static bool namespace_decl(parser *P, cd_rannos annos)
{
    if (!advance(P)) return false; /* namespace */
    cd_rns *n = cd_vec_push(&P->rs->nss);
    size_t ns = P->rs->nss.len - 1, off = 0;
    n->has_name = true;
    n->annos = annos;
    cd_str nm;
    if (!path(P, &nm, &off)) return false;
    CD_VEC_AT(&P->rs->nss, cd_rns, ns).name = nm;
    CD_VEC_AT(&P->rs->nss, cd_rns, ns).src.off = (uint32_t)off;
    if (!expect(P, T_LBRACE, "`{`")) return false;
    while (P->cur.kind != T_RBRACE) {
        if (P->cur.kind == T_EOF) return unexpected(P, "`}`");
        cd_rannos da;
        if (!annotations(P, &da) || !decl(P, ns, da)) return false;
    }
    return advance(P);
}

/* Schema := {Namespace | Decl}, each possibly annotated */
static bool schema(parser *P)
{
    if (!advance(P)) return false;
    while (P->cur.kind != T_EOF) {
        cd_rannos annos;
        if (!annotations(P, &annos)) return false;
        if (P->cur.kind == T_IDENT && P->cur.kw == KW_NAMESPACE) {
            if (!namespace_decl(P, annos)) return false;
            continue;
        }
        if (P->empty_ns == SIZE_MAX) {
            P->empty_ns = P->rs->nss.len;
            cd_rns *n = cd_vec_push(&P->rs->nss);
            n->src.off = (uint32_t)P->cur.start;
        }
        kw k = P->cur.kind == T_IDENT ? P->cur.kw : KW_NONE;
        if (k != KW_ENTITY && k != KW_ACTION && k != KW_TYPE)
            return unexpected(P, "`namespace`, `entity`, `action` or `type`");
        if (!decl(P, P->empty_ns, annos)) return false;
    }
    return true;
}

bool cd_rschema_parse_text(cd_rschema *rs, cd_err *err)
{
    parser P = {.rs = rs, .err = err, .p = rs->text, .len = rs->len, .empty_ns = SIZE_MAX};
    cd_buf_init(&P.tmp);
    bool ok = false;
    size_t bad = cd_utf8_check(rs->text, rs->len);
    if (rs->len > UINT32_MAX - 1)
        cd_schema_err(rs, err, (cd_src){0, NULL}, "schema text is too large");
    else if (bad != rs->len)
        cd_schema_err(rs, err, (cd_src){(uint32_t)bad, NULL}, "invalid UTF-8 in schema text");
    else
        ok = schema(&P);
    cd_buf_free(&P.tmp);
    return ok;
}

cd_schema *cd_schema_parse_text(const char *text, size_t len, const char *file, cd_err *err)
{
    cd_rschema rs;
    if (!text) len = 0;
    cd_rschema_init(&rs, text ? text : "", len, file);
    cd_schema *s = cd_rschema_parse_text(&rs, err) ? cd_schema_resolve(&rs, err) : NULL;
    cd_rschema_free(&rs);
    return s;
}
