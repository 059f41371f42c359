/* cd_json_tree.c: a JSON document as an arena tree (cd_json_tree.h).
 *
 * The grammar, limits and messages are cd_json_parse.c's (strings and
 * numbers are read by its cd_json_string and cd_json_number); only what is
 * built differs. Items pending in open containers wait on one stack; a
 * container's items are copied into the arena when it closes. A duplicate
 * key is found, as jansson finds it, once the member's value is read: by a
 * scan while the object is small, then by a hash table of its keys.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_json.h"
#include "cd_json_tree.h"

typedef struct tparser {
    const char *s;
    size_t n, i;
    unsigned depth;
    cd_arena *arena;
    cd_buf str;          /* scratch for strings with escapes */
    cd_jt_member *stack; /* items of the open containers */
    size_t len, cap;
    const char *msg;
    size_t at;
} tparser;

static bool fail(tparser *p, size_t at, const char *msg)
{
    if (!p->msg) {
        p->msg = msg;
        p->at = at;
    }
    return false;
}

static void skip_ws(tparser *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->i++;
    }
}

static cd_jt_member *push(tparser *p)
{
    if (p->len == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->stack = realloc(p->stack, p->cap * sizeof *p->stack);
        if (!p->stack) abort();
    }
    return &p->stack[p->len++];
}

/* The string whose opening quote is at p->i, copied into the arena. */
static bool string(tparser *p, cd_str *out)
{
    /* most strings are plain ASCII: their bytes are the text's */
    size_t j = p->i + 1;
    while (j < p->n) {
        unsigned char c = (unsigned char)p->s[j];
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
        j++;
    }
    if (j < p->n && p->s[j] == '"') {
        *out = cd_arena_str(p->arena, p->s + p->i + 1, j - p->i - 1);
        p->i = j + 1;
        return true;
    }
    size_t at = 0;
    const char *msg = cd_json_string(p->s, p->n, &p->i, &p->str, &at);
    if (msg) return fail(p, at, msg);
    *out = cd_arena_str(p->arena, p->str.data ? p->str.data : "", p->str.len);
    return true;
}

static bool literal(tparser *p, const char *word, size_t n)
{
    if (p->n - p->i < n || memcmp(p->s + p->i, word, n) != 0) return false;
    p->i += n;
    return true;
}

static bool value(tparser *p, cd_jt *out);

static bool array(tparser *p, cd_jt *out)
{
    size_t base = p->len;
    p->i++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        return true;
    }
    for (;;) {
        cd_jt v;
        if (!value(p, &v)) break;
        push(p)->val = v;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == ']') {
            p->i++;
            size_t n = p->len - base;
            cd_jt *items = CD_NEW_ARRAY_RAW(p->arena, cd_jt, n);
            for (size_t k = 0; k < n; k++)
                items[k] = p->stack[base + k].val;
            out->n = (uint32_t)n;
            out->u.items = items;
            p->len = base;
            return true;
        }
        fail(p, p->i,
             p->i < p->n ? "expected `,` or `]`" : "unexpected end of input, expected `,` or `]`");
        break;
    }
    p->len = base;
    return false;
}

/* The keys of an object with many members: open addressing over their places
 * on the stack (+1; 0 is empty), keyed by the flood-safe hash. */
typedef struct keytab {
    uint32_t *slot;
    size_t cap; /* a power of two, at least twice the keys */
} keytab;

enum { SCAN_KEYS = 8 };

/* Is key among the members base..p->len? If not, it will be the next one:
 * the table (when the object is large) records it. */
static bool seen(tparser *p, size_t base, cd_str key, keytab *t)
{
    size_t count = p->len - base;
    if (count < SCAN_KEYS && !t->slot) {
        for (size_t k = base; k < p->len; k++)
            if (p->stack[k].key.len == key.len &&
                memcmp(p->stack[k].key.ptr, key.ptr, key.len) == 0)
                return true;
        return false;
    }
    if (!t->slot || 2 * (count + 1) > t->cap) {
        free(t->slot);
        t->cap = t->cap ? 2 * t->cap : 4 * SCAN_KEYS;
        while (2 * (count + 1) > t->cap)
            t->cap *= 2;
        t->slot = calloc(t->cap, sizeof *t->slot);
        if (!t->slot) abort();
        for (size_t k = base; k < p->len; k++) {
            cd_str s = p->stack[k].key;
            size_t h = (size_t)cd_hash_bytes(s.ptr, s.len, 0) & (t->cap - 1);
            while (t->slot[h])
                h = (h + 1) & (t->cap - 1);
            t->slot[h] = (uint32_t)(k - base + 1);
        }
    }
    size_t h = (size_t)cd_hash_bytes(key.ptr, key.len, 0) & (t->cap - 1);
    for (; t->slot[h]; h = (h + 1) & (t->cap - 1)) {
        cd_str s = p->stack[base + t->slot[h] - 1].key;
        if (s.len == key.len && memcmp(s.ptr, key.ptr, key.len) == 0) return true;
    }
    t->slot[h] = (uint32_t)(count + 1);
    return false;
}

static bool object(tparser *p, cd_jt *out)
{
    size_t base = p->len;
    keytab t = {NULL, 0};
    p->i++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        return true;
    }
    bool ok = false;
    for (;;) {
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != '"') {
            fail(p, p->i,
                 p->i < p->n ? "expected a string key"
                             : "unexpected end of input, expected a string key");
            break;
        }
        size_t key_at = p->i;
        cd_str key;
        if (!string(p, &key)) break;
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != ':') {
            fail(p, p->i, "expected `:`");
            break;
        }
        p->i++;
        cd_jt v;
        if (!value(p, &v)) break;
        if (seen(p, base, key, &t)) {
            fail(p, key_at, "duplicate key in an object");
            break;
        }
        cd_jt_member *m = push(p);
        m->key = key;
        m->off = (uint32_t)key_at;
        m->val = v;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == '}') {
            p->i++;
            size_t n = p->len - base;
            cd_jt_member *ms = CD_NEW_ARRAY_RAW(p->arena, cd_jt_member, n);
            memcpy(ms, p->stack + base, n * sizeof *ms);
            out->n = (uint32_t)n;
            out->u.members = ms;
            ok = true;
            break;
        }
        fail(p, p->i,
             p->i < p->n ? "expected `,` or `}`" : "unexpected end of input, expected `,` or `}`");
        break;
    }
    free(t.slot);
    p->len = base;
    return ok;
}

static bool value(tparser *p, cd_jt *out)
{
    skip_ws(p);
    if (p->i >= p->n) return fail(p, p->n, "unexpected end of input, expected a value");
    *out = (cd_jt){.off = (uint32_t)p->i};
    char c = p->s[p->i];
    switch (c) {
    case '[':
    case '{': {
        if (p->depth >= CD_JSON_MAX_NESTING)
            return fail(p, p->i, "arrays and objects nested too deeply (more than 127 levels)");
        p->depth++;
        out->kind = c == '[' ? CD_JT_ARRAY : CD_JT_OBJECT;
        bool ok = c == '[' ? array(p, out) : object(p, out);
        p->depth--;
        return ok;
    }
    case '"': {
        cd_str s;
        if (!string(p, &s)) return false;
        out->kind = CD_JT_STRING;
        out->n = (uint32_t)s.len;
        out->u.str = s.ptr;
        return true;
    }
    case 't':
        if (literal(p, "true", 4)) return out->kind = CD_JT_TRUE, true;
        break;
    case 'f':
        if (literal(p, "false", 5)) return out->kind = CD_JT_FALSE, true;
        break;
    case 'n':
        if (literal(p, "null", 4)) return out->kind = CD_JT_NULL, true;
        break;
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t at = 0;
            const char *msg = cd_json_number(p->s, p->n, &p->i, NULL, &at);
            if (msg) return fail(p, at, msg);
            out->kind = CD_JT_NUMBER;
            return true;
        }
        break;
    }
    return fail(p, p->i, "expected a value");
}

const cd_jt *cd_jt_parse(const char *text, size_t len, const char *file, cd_err *err,
                         cd_arena *arena)
{
    if (!text) len = 0;
    tparser p = {.s = text ? text : "", .n = len, .arena = arena};
    cd_buf_init(&p.str);
    cd_jt *root = CD_NEW(arena, cd_jt);
    bool ok = value(&p, root);
    if (ok) {
        skip_ws(&p);
        if (p.i < p.n) ok = fail(&p, p.i, "trailing characters after the JSON value");
    }
    cd_buf_free(&p.str);
    free(p.stack);
    if (ok) return root;
    cd_err_set(err, cd_loc_of_offset(text, len, p.at), "invalid JSON: %s", p.msg);
    if (err) err->file = file;
    return NULL;
}

const char *cd_jt_kind_name(const cd_jt *v)
{
    switch (v->kind) {
    case CD_JT_NULL: return "null";
    case CD_JT_FALSE:
    case CD_JT_TRUE: return "a boolean";
    case CD_JT_NUMBER: return "a number";
    case CD_JT_STRING: return "a string";
    case CD_JT_ARRAY: return "an array";
    default: return "an object";
    }
}
