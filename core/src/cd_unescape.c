/* cd_unescape.c: string literal escapes, as the official parser resolves
 * them (Rust string-literal rules): \n \r \t \\ \0 \' \" , \xHH for HH up to
 * 7F, and \u{H...} with 1 to 6 hex digits (underscores allowed after the
 * first) naming a Unicode scalar value. A raw carriage return is an error.
 * In `like` patterns a `*` is a wildcard and `\*` a literal star.
 */
#include <string.h>

#include "cd_lex.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode the escape at raw[*i] == '\\' into out (1-4 bytes); advances *i.
 * Returns the number of bytes written, 0 on error (with *msg set), or -1 for
 * `\*` (which only patterns accept). */
static int escape(const char *raw, size_t n, size_t *i, char out[4], const char **msg)
{
    size_t j = *i + 1;
    if (j >= n) {
        *msg = "lone `\\` at the end of the string";
        return 0;
    }
    char c = raw[j++];
    int len = 1;
    switch (c) {
    case 'n': out[0] = '\n'; break;
    case 'r': out[0] = '\r'; break;
    case 't': out[0] = '\t'; break;
    case '\\': out[0] = '\\'; break;
    case '0': out[0] = '\0'; break;
    case '\'': out[0] = '\''; break;
    case '"': out[0] = '"'; break;
    case '*': *i = j; return -1;
    case 'x': {
        if (j + 2 > n) {
            *msg = "numeric escape `\\x` needs two hex digits";
            return 0;
        }
        int hi = hexval(raw[j]), lo = hexval(raw[j + 1]);
        if (hi < 0 || lo < 0) {
            *msg = "invalid character in numeric escape `\\x`";
            return 0;
        }
        if (hi > 7) {
            *msg = "numeric escape `\\x` must be at most \\x7F";
            return 0;
        }
        out[0] = (char)(hi * 16 + lo);
        j += 2;
        break;
    }
    case 'u': {
        if (j >= n || raw[j] != '{') {
            *msg = "unicode escape `\\u` must be followed by `{`";
            return 0;
        }
        j++;
        if (j >= n) {
            *msg = "unterminated unicode escape";
            return 0;
        }
        if (raw[j] == '_') {
            *msg = "unicode escape cannot start with `_`";
            return 0;
        }
        if (raw[j] == '}') {
            *msg = "empty unicode escape `\\u{}`";
            return 0;
        }
        uint32_t v = 0;
        int digits = 0;
        for (;;) {
            if (j >= n) {
                *msg = "unterminated unicode escape";
                return 0;
            }
            char d = raw[j++];
            if (d == '_') continue;
            if (d == '}') break;
            int h = hexval(d);
            if (h < 0) {
                *msg = "invalid character in unicode escape";
                return 0;
            }
            if (++digits <= 6) v = v * 16 + (uint32_t)h;
        }
        if (digits > 6) {
            *msg = "unicode escape has more than 6 hex digits";
            return 0;
        }
        if (v > 0x10FFFF) {
            *msg = "unicode escape is out of range (above 10FFFF)";
            return 0;
        }
        if (v >= 0xD800 && v <= 0xDFFF) {
            *msg = "unicode escape is a lone surrogate";
            return 0;
        }
        len = cd_utf8_encode(v, out);
        break;
    }
    default: *msg = "invalid escape"; return 0;
    }
    *i = j;
    return len;
}

/* Shared loop: writes resolved bytes to buf; when pat is not NULL also
 * records wildcard positions as pattern elements. */
static bool unescape(const char *raw, size_t n, char *buf, size_t *outlen, cd_pat_elem *elems,
                     size_t *nelems, size_t *err_off, const char **msg)
{
    size_t i = 0, w = 0, run_start = 0, ne = 0;
    while (i < n) {
        char c = raw[i];
        if (c == '\r') {
            *err_off = i;
            *msg = "a carriage return in a string must be written `\\r`";
            return false;
        }
        size_t at = i;
        char tmp[4];
        int k = 1;
        if (c == '\\') {
            k = escape(raw, n, &i, tmp, msg);
        } else {
            tmp[0] = c;
            i++;
        }
        /* any character `*` is a wildcard, even one written \x2a or \u{2a};
         * only the (otherwise invalid) escape `\*` is a literal star */
        if (k == 1 && tmp[0] == '*' && elems) {
            if (w > run_start) elems[ne++] = (cd_pat_elem){false, {buf + run_start, w - run_start}};
            /* each star kept (policy JSON has one element per star) */
            elems[ne++] = (cd_pat_elem){true, {NULL, 0}};
            run_start = w;
            continue;
        }
        if (k == -1) {
            if (!elems) {
                *err_off = at;
                *msg = "invalid escape `\\*` (only allowed in `like` patterns)";
                return false;
            }
            buf[w++] = '*';
            continue;
        }
        if (k == 0) {
            *err_off = at;
            return false;
        }
        memcpy(buf + w, tmp, (size_t)k);
        w += (size_t)k;
    }
    if (elems && w > run_start)
        elems[ne++] = (cd_pat_elem){false, {buf + run_start, w - run_start}};
    *outlen = w;
    if (nelems) *nelems = ne;
    return true;
}

bool cd_unescape_str(const char *raw, size_t n, cd_arena *arena, cd_str *out, size_t *err_off,
                     const char **msg)
{
    /* the result is never longer than the escaped text */
    char *buf = cd_arena_alloc(arena, n + 1);
    size_t w;
    if (!unescape(raw, n, buf, &w, NULL, NULL, err_off, msg)) return false;
    buf[w] = 0;
    *out = (cd_str){buf, w};
    return true;
}

bool cd_unescape_pattern(const char *raw, size_t n, cd_arena *arena, cd_pattern *out,
                         size_t *err_off, const char **msg)
{
    char *buf = cd_arena_alloc(arena, n + 1);
    cd_pat_elem *elems = CD_NEW_ARRAY(arena, cd_pat_elem, n + 1);
    size_t w, ne;
    if (!unescape(raw, n, buf, &w, elems, &ne, err_off, msg)) return false;
    out->n = ne;
    out->elems = elems;
    return true;
}
