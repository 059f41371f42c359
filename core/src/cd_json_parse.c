/* cd_json_parse.c: JSON text to jansson values, accepting exactly what the
 * official implementation's parser (serde_json) accepts.
 *
 * jansson's own parser differs in ways that matter here: it rejects `\u0000`
 * inside object keys (Cedar records may have such keys), reads `-0` as an
 * integer (serde_json: a float, so not a Cedar long) and nests 2048 levels
 * deep (serde_json: 127). jansson values themselves can hold all of these, so
 * this parser builds them directly. Integers outside the 64-bit signed range
 * become reals, as they are not Cedar longs either.

 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd_json.h"
#include "cd_stack.h"

typedef struct jparser {
    const char *s;
    size_t n, i;
    unsigned flags;
    unsigned depth;
    cd_buf str; /* scratch for strings and keys */
    const char *msg;
    size_t at;
} jparser;

static json_t *fail(jparser *p, size_t at, const char *msg)
{
    if (!p->msg) {
        p->msg = msg;
        p->at = at;
    }
    return NULL;
}

static void skip_ws(jparser *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->i++;
    }
}

static int hex4(const char *s)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

const char *cd_json_string(const char *s, size_t n, size_t *pos, cd_buf *out, size_t *at)
{
    size_t i = *pos + 1; /* past the opening quote */
    out->len = 0;
    for (;;) {
        if (i >= n) return *at = n, "unterminated string";
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            *pos = i + 1;
            return NULL;
        }
        if (c < 0x20) return *at = i, "control character in a string";
        if (c == '\\') {
            if (i + 1 >= n) return *at = n, "unterminated string";
            char e = s[i + 1];
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e && simple) {
                static const char esc[] = "\"\\/\b\f\n\r\t";
                cd_buf_putc(out, esc[simple - "\"\\/bfnrt"]);
                i += 2;
                continue;
            }
            if (e != 'u') return *at = i + 1, "invalid escape in a string";
            if (n - i < 6 || hex4(s + i + 2) < 0) return *at = i, "invalid \\u escape in a string";
            uint32_t cp = (uint32_t)hex4(s + i + 2);
            size_t start = i;
            i += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return *at = start, "lone surrogate in a \\u escape (a trailing surrogate "
                                    "without a leading one)";
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = n - i >= 6 && s[i] == '\\' && s[i + 1] == 'u' ? hex4(s + i + 2) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return *at = start, "lone surrogate in a \\u escape (a leading surrogate "
                                        "without a trailing one)";
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                i += 6;
            }
            char u[4];
            cd_buf_put(out, u, (size_t)cd_utf8_encode(cp, u));
            continue;
        }
        if (c < 0x80) {
            /* a run of plain ASCII characters at once */
            size_t j = i + 1;
            while (j < n) {
                unsigned char d = (unsigned char)s[j];
                if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
                j++;
            }
            cd_buf_put(out, s + i, j - i);
            i = j;
            continue;
        }
        uint32_t cp;
        int len = cd_utf8_decode(s + i, n - i, &cp);
        if (len <= 0) return *at = i, "invalid UTF-8 in a string";
        cd_buf_put(out, s + i, (size_t)len);
        i += (size_t)len;
    }
}

/* A string starting at the opening quote; its bytes go to p->str. */
static bool parse_string(jparser *p)
{
    size_t at = 0;
    const char *msg = cd_json_string(p->s, p->n, &p->i, &p->str, &at);
    if (msg) {
        p->i = at;
        return fail(p, at, msg), false;
    }
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

const char *cd_json_number(const char *s, size_t n, size_t *pos, json_t **out, size_t *at)
{
    size_t i = *pos, start = i;
    bool neg = false, integral = true;
    if (s[i] == '-') {
        neg = true;
        i++;
    }
    if (i >= n || !is_digit(s[i])) return *at = i, "invalid number";
    if (s[i] == '0') {
        i++;
        if (i < n && is_digit(s[i])) return *at = i, "invalid number";
    } else {
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && s[i] == '.') {
        integral = false;
        i++;
        if (i >= n || !is_digit(s[i])) return *at = i, "invalid number";
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        integral = false;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || !is_digit(s[i])) return *at = i, "invalid number";
        while (i < n && is_digit(s[i]))
            i++;
    }
    *pos = i;
    size_t len = i - start;
    /* checked only: at most 18 digits always fit a long long */
    if (!out && integral && len < 19) return NULL;
    char small[64], *num = len < sizeof small ? small : malloc(len + 1);
    if (!num) abort();
    memcpy(num, s + start, len);
    num[len] = 0;
    json_t *v = NULL;
    const char *msg = NULL;
    /* -0 is a float for serde_json */
    bool is_long = false;
    if (integral && !(neg && len == 2 && num[1] == '0')) {
        errno = 0;
        long long l = strtoll(num, NULL, 10);
        if (errno == 0) {
            is_long = true;
            if (out) v = json_integer((json_int_t)l);
        }
    }
    if (!is_long) {
        double d = strtod(num, NULL);
        if (isinf(d))
            msg = "number out of range", *at = start;
        else if (out)
            v = json_real(d);
    }
    if (num != small) free(num);
    if (out) *out = v;
    return msg;
}

static json_t *parse_number(jparser *p)
{
    json_t *v = NULL;
    size_t at = 0;
    const char *msg = cd_json_number(p->s, p->n, &p->i, &v, &at);
    return msg ? fail(p, at, msg) : v;
}

static bool literal(jparser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->n - p->i < n || memcmp(p->s + p->i, word, n) != 0) return false;
    p->i += n;
    return true;
}

static json_t *parse_value(jparser *p);

static json_t *parse_array(jparser *p)
{
    json_t *a = json_array();
    p->i++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        return a;
    }
    for (;;) {
        skip_ws(p);
        json_t *v = parse_value(p);
        if (!v) break;
        json_array_append_new(a, v);
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == ']') {
            p->i++;
            return a;
        }
        fail(p, p->i,
             p->i < p->n ? "expected `,` or `]`" : "unexpected end of input, expected `,` or `]`");
        break;
    }
    json_decref(a);
    return NULL;
}

static json_t *parse_object(jparser *p)
{
    json_t *o = json_object();
    p->i++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        return o;
    }
    for (;;) {
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != '"') {
            fail(p, p->i,
                 p->i < p->n ? "expected a string key"
                             : "unexpected end of input, expected a string key");
            break;
        }
        size_t key_at = p->i;
        if (!parse_string(p)) break;
        /* the key must outlive the value's parse, which reuses p->str */
        char small[128];
        size_t kl = p->str.len;
        char *key = kl < sizeof small ? small : malloc(kl + 1);
        if (!key) abort();
        if (kl) memcpy(key, p->str.data, kl);
        skip_ws(p);
        json_t *v = NULL;
        if (p->i >= p->n || p->s[p->i] != ':') {
            fail(p, p->i, "expected `:`");
        } else {
            p->i++;
            v = parse_value(p);
        }
        bool dup = false;
        if (v) {
            /* one hash lookup: a repeated key replaces the value in its place,
             * keeping the size */
            size_t before = json_object_size(o);
            json_object_setn_new_nocheck(o, key, kl, v);
            bool again = json_object_size(o) == before;
            dup = again && !(p->flags & CD_JSON_LAST_KEY_WINS);
        }
        if (key != small) free(key);
        if (!v) break;
        if (dup) {
            fail(p, key_at, "duplicate key in an object");
            break;
        }
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == '}') {
            p->i++;
            return o;
        }
        fail(p, p->i,
             p->i < p->n ? "expected `,` or `}`" : "unexpected end of input, expected `,` or `}`");
        break;
    }
    json_decref(o);
    return NULL;
}

static json_t *parse_value(jparser *p)
{
    skip_ws(p);
    if (p->i >= p->n) return fail(p, p->n, "unexpected end of input, expected a value");
    char c = p->s[p->i];
    switch (c) {
    case '[':
    case '{': {
        if (p->depth >= CD_JSON_MAX_NESTING)
            return fail(p, p->i, "arrays and objects nested too deeply (more than 127 levels)");
        if (cd_stack_low())
            return fail(p, p->i,
                        "arrays and objects nested too deeply (the thread's stack is nearly "
                        "exhausted)");
        p->depth++;
        json_t *v = c == '[' ? parse_array(p) : parse_object(p);
        p->depth--;
        return v;
    }
    case '"':
        if (!parse_string(p)) return NULL;
        return json_stringn_nocheck(p->str.data ? p->str.data : "", p->str.len);
    case 't':
        if (literal(p, "true")) return json_true();
        break;
    case 'f':
        if (literal(p, "false")) return json_false();
        break;
    case 'n':
        if (literal(p, "null")) return json_null();
        break;
    default:
        if (c == '-' || is_digit(c)) return parse_number(p);
        break;
    }
    return fail(p, p->i, "expected a value");
}

json_t *cd_json_parse(const char *text, size_t len, unsigned flags, const char *file, cd_err *err)
{
    if (!text) len = 0;
    jparser p = {.s = text ? text : "", .n = len, .flags = flags};
    cd_buf_init(&p.str);
    skip_ws(&p);
    json_t *v = parse_value(&p);
    if (v) {
        skip_ws(&p);
        if (p.i < p.n) {
            json_decref(v);
            v = fail(&p, p.i, "trailing characters after the JSON value");
        }
    }
    cd_buf_free(&p.str);
    if (!v) {
        cd_err_set(err, cd_loc_of_offset(text, len, p.at), "invalid JSON: %s", p.msg);
        if (err) err->file = file;
    }
    return v;
}

int cd_json_parse_elements(const char *text, size_t len, unsigned flags, const char *file,
                           cd_err *err, cd_json_elem_fn fn, void *ctx)
{
    if (!text) len = 0;
    jparser p = {.s = text ? text : "", .n = len, .flags = flags};
    skip_ws(&p);
    if (p.i >= p.n || p.s[p.i] != '[') return -1;
    cd_buf_init(&p.str);
    /* parse_value and parse_array for the top level, one element at a time */
    p.depth = 1;
    p.i++;
    skip_ws(&p);
    bool stopped = false;
    if (p.i < p.n && p.s[p.i] == ']') {
        p.i++;
    } else {
        for (size_t idx = 0;; idx++) {
            skip_ws(&p);
            size_t at = p.i;
            json_t *v = parse_value(&p);
            if (!v) break;
            /* after a failure the rest is still read: a syntax error wins */
            if (!stopped && !fn(ctx, v, idx, at)) stopped = true;
            json_decref(v);
            skip_ws(&p);
            if (p.i < p.n && p.s[p.i] == ',') {
                p.i++;
                continue;
            }
            if (p.i < p.n && p.s[p.i] == ']') {
                p.i++;
                break;
            }
            fail(&p, p.i,
                 p.i < p.n ? "expected `,` or `]`"
                           : "unexpected end of input, expected `,` or `]`");
            break;
        }
    }
    if (!p.msg) {
        skip_ws(&p);
        if (p.i < p.n) fail(&p, p.i, "trailing characters after the JSON value");
    }
    cd_buf_free(&p.str);
    if (p.msg) {
        cd_err_set(err, cd_loc_of_offset(text, len, p.at), "invalid JSON: %s", p.msg);
        if (err) err->file = file;
        return 0;
    }
    return stopped ? 2 : 1;
}
