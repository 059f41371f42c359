/* cd_json_tree.c: a JSON document as an arena tree (cd_json_tree.h).
 *
 * The grammar, limits and messages are cd_json_parse.c's (strings and
 * numbers are read by its cd_json_string and cd_json_number), checked in the
 * same order; only what is built differs. The reader does not recurse: the
 * open containers are a stack of frames (at most CD_JSON_MAX_NESTING), so
 * that no nesting depth costs machine stack, even in a sanitized build.
 * Items pending in open containers wait on one item stack; a container's
 * items are copied into the arena when it closes. A duplicate key is found,
 * as jansson finds it, once the member's value is read: by a scan while the
 * object is small, then by a hash table of its keys.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_json.h"
#include "cd_json_tree.h"

/* The keys of an object with many members: open addressing over their places
 * on the item stack (+1; 0 is empty), keyed by the flood-safe hash. */
typedef struct keytab {
    uint32_t *slot;
    size_t cap; /* a power of two, at least twice the keys */
} keytab;

/* An open array or object. */
typedef struct frame {
    cd_jt node;  /* kind and offset */
    size_t base; /* its first item on the item stack */
    keytab keys; /* objects */
    cd_str key;  /* objects: the key whose value is being read */
    size_t key_at;
} frame;

typedef struct tparser {
    const char *s;
    size_t n, i;
    cd_arena *arena;
    cd_buf str;          /* scratch for strings with escapes */
    cd_jt_member *items; /* items of the open containers */
    size_t len, cap;
    frame open[CD_JSON_MAX_NESTING];
    unsigned depth; /* open containers */
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
        p->items = realloc(p->items, p->cap * sizeof *p->items);
        if (!p->items) abort();
    }
    return &p->items[p->len++];
}

/* The string whose opening quote is at p->i, copied into the arena. */
static bool string(tparser *p, cd_str *out)
{
    /* most strings are plain ASCII: their bytes are the text's */
    size_t j = cd_json_plain_end(p->s, p->n, p->i + 1);
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

/* An object's next key and its `:` (at p->i, white space first) into f. */
static bool key(tparser *p, frame *f)
{
    skip_ws(p);
    if (p->i >= p->n || p->s[p->i] != '"')
        return fail(p, p->i,
                    p->i < p->n ? "expected a string key"
                                : "unexpected end of input, expected a string key");
    f->key_at = p->i;
    if (!string(p, &f->key)) return false;
    skip_ws(p);
    if (p->i >= p->n || p->s[p->i] != ':') return fail(p, p->i, "expected `:`");
    p->i++;
    return true;
}

enum { SCAN_KEYS = 8 };

/* Is f's key among its members (f->base .. p->len)? If not, it will be the
 * next one: the table (when the object is large) records it. */
static bool seen(tparser *p, frame *f)
{
    size_t base = f->base, count = p->len - base;
    cd_str key = f->key;
    keytab *t = &f->keys;
    if (count < SCAN_KEYS && !t->slot) {
        for (size_t k = base; k < p->len; k++)
            if (p->items[k].key.len == key.len &&
                memcmp(p->items[k].key.ptr, key.ptr, key.len) == 0)
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
            cd_str s = p->items[k].key;
            size_t h = (size_t)cd_hash_bytes(s.ptr, s.len, 0) & (t->cap - 1);
            while (t->slot[h])
                h = (h + 1) & (t->cap - 1);
            t->slot[h] = (uint32_t)(k - base + 1);
        }
    }
    size_t h = (size_t)cd_hash_bytes(key.ptr, key.len, 0) & (t->cap - 1);
    for (; t->slot[h]; h = (h + 1) & (t->cap - 1)) {
        cd_str s = p->items[base + t->slot[h] - 1].key;
        if (s.len == key.len && memcmp(s.ptr, key.ptr, key.len) == 0) return true;
    }
    t->slot[h] = (uint32_t)(count + 1);
    return false;
}

/* The innermost open container is complete: its node, items in the arena. */
static cd_jt close_top(tparser *p)
{
    frame *f = &p->open[--p->depth];
    cd_jt v = f->node;
    size_t n = p->len - f->base;
    v.n = (uint32_t)n;
    if (v.kind == CD_JT_OBJECT) {
        cd_jt_member *ms = CD_NEW_ARRAY_RAW(p->arena, cd_jt_member, n);
        if (n) memcpy(ms, p->items + f->base, n * sizeof *ms);
        v.u.members = ms;
        free(f->keys.slot);
    } else {
        cd_jt *items = CD_NEW_ARRAY_RAW(p->arena, cd_jt, n);
        for (size_t k = 0; k < n; k++)
            items[k] = p->items[f->base + k].val;
        v.u.items = items;
    }
    p->len = f->base;
    return v;
}

/* A scalar value at p->i (white space skipped), or false. */
static bool scalar(tparser *p, cd_jt *out)
{
    char c = p->s[p->i];
    switch (c) {
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

/* The whole document: a value, each container opened on the frame stack and
 * closed when its last item is read. */
static bool document(tparser *p, cd_jt *root)
{
    cd_jt v;
    for (;;) {
        /* a value starts */
        skip_ws(p);
        if (p->i >= p->n) return fail(p, p->n, "unexpected end of input, expected a value");
        v = (cd_jt){.off = (uint32_t)p->i};
        char c = p->s[p->i];
        if (c == '[' || c == '{') {
            if (p->depth >= CD_JSON_MAX_NESTING)
                return fail(p, p->i, "arrays and objects nested too deeply (more than 127 levels)");
            frame *f = &p->open[p->depth++];
            *f = (frame){.node = v, .base = p->len};
            f->node.kind = c == '[' ? CD_JT_ARRAY : CD_JT_OBJECT;
            p->i++;
            skip_ws(p);
            if (p->i < p->n && p->s[p->i] == (c == '[' ? ']' : '}')) {
                p->i++;
                v = close_top(p);
            } else if (c == '[' || key(p, f)) {
                continue; /* its first value */
            } else {
                return false;
            }
        } else if (!scalar(p, &v)) {
            return false;
        }
        /* v is complete: it is the document or an item of the innermost
         * container, after which that container goes on or closes */
        for (;;) {
            if (!p->depth) {
                *root = v;
                return true;
            }
            frame *f = &p->open[p->depth - 1];
            bool obj = f->node.kind == CD_JT_OBJECT;
            if (obj && seen(p, f)) return fail(p, f->key_at, "duplicate key in an object");
            cd_jt_member *m = push(p);
            m->val = v;
            if (obj) {
                m->key = f->key;
                m->off = (uint32_t)f->key_at;
            }
            skip_ws(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                if (obj && !key(p, f)) return false;
                break; /* the next value */
            }
            if (p->i < p->n && p->s[p->i] == (obj ? '}' : ']')) {
                p->i++;
                v = close_top(p);
                continue;
            }
            return fail(p, p->i,
                        p->i >= p->n ? (obj ? "unexpected end of input, expected `,` or `}`"
                                            : "unexpected end of input, expected `,` or `]`")
                        : obj        ? "expected `,` or `}`"
                                     : "expected `,` or `]`");
        }
    }
}

const cd_jt *cd_jt_parse(const char *text, size_t len, const char *file, cd_err *err,
                         cd_arena *arena)
{
    if (!text) len = 0;
    /* on the heap: the frames are 10 KB; not zeroed (a frame is set when
     * its container opens) */
    tparser *p = malloc(sizeof *p);
    if (!p) abort();
    p->s = text ? text : "";
    p->n = len;
    p->i = 0;
    p->arena = arena;
    p->items = NULL;
    p->len = p->cap = 0;
    p->depth = 0;
    p->msg = NULL;
    p->at = 0;
    cd_buf_init(&p->str);
    cd_jt *root = CD_NEW(arena, cd_jt);
    bool ok = document(p, root);
    if (ok) {
        skip_ws(p);
        if (p->i < p->n) ok = fail(p, p->i, "trailing characters after the JSON value");
    }
    for (unsigned d = 0; d < p->depth; d++) /* left open by an error */
        if (p->open[d].node.kind == CD_JT_OBJECT) free(p->open[d].keys.slot);
    cd_buf_free(&p->str);
    free(p->items);
    if (!ok) {
        cd_err_set(err, cd_loc_of_offset(text, len, p->at), "invalid JSON: %s", p->msg);
        if (err) err->file = file;
    }
    free(p);
    return ok ? root : NULL;
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
