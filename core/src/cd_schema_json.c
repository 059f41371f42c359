/* cd_schema_json.c: the JSON schema format.
 *
 * The document is read by a small strict JSON parser (RFC 8259, as
 * serde_json reads it: object keys may contain any character including NUL,
 * which jansson refuses; duplicate keys are rejected, as every object of the
 * schema format rejects them; at most 127 levels of nesting) into a tree that
 * remembers byte offsets, so every error has a line and column.
 *
 * The tree is then checked field by field the way the official
 * implementation's serde definitions (validator/json_schema.rs) accept it:
 * unknown fields, `null` where a value is required and malformed names are
 * errors; `entityTypes` and `actions` are required in every namespace; a type
 * is {"type": T, ...} where T is one of String, Long, Boolean, Set (with
 * "element"), Record (with "attributes"), Entity, EntityOrCommon, Extension
 * (with "name"), or else the name of a common type.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_schema_int.h"

/* ---- a JSON tree with offsets ---------------------------------------------- */

typedef enum jkind { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ } jkind;

typedef struct jval jval;
typedef struct jmem {
    cd_str key;
    uint32_t off; /* of the key */
    const jval *val;
} jmem;

struct jval {
    jkind kind;
    uint32_t off;
    cd_str s;            /* J_STR */
    size_t n;            /* J_ARR, J_OBJ */
    const jval **items;  /* J_ARR */
    const jmem *members; /* J_OBJ, in document order */
};

typedef struct jlex {
    const char *p;
    size_t n, i;
    cd_rschema *rs;
    cd_err *err;
} jlex;

static bool lerr(jlex *L, size_t off, const char *msg)
{
    return cd_schema_err(L->rs, L->err, (cd_src){(uint32_t)off, NULL}, "invalid JSON: %s", msg);
}

static void ws(jlex *L)
{
    while (L->i < L->n &&
           (L->p[L->i] == ' ' || L->p[L->i] == '\t' || L->p[L->i] == '\n' || L->p[L->i] == '\r'))
        L->i++;
}

static int hex4(const char *p, size_t n, size_t i)
{
    if (i + 4 > n) return -1;
    int v = 0;
    for (size_t k = i; k < i + 4; k++) {
        char c = p[k];
        int h = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

/* A string at L->i (the opening quote), decoded. */
static bool jstring(jlex *L, cd_str *out)
{
    size_t start = ++L->i, i = start;
    while (i < L->n && L->p[i] != '"' && L->p[i] != '\\' && (unsigned char)L->p[i] >= 0x20)
        i++;
    if (i < L->n && L->p[i] == '"') { /* no escapes: a slice of the text */
        *out = (cd_str){L->p + start, i - start};
        L->i = i + 1;
        return true;
    }
    /* the decoded string is never longer than its source text */
    size_t end = i;
    while (end < L->n && L->p[end] != '"')
        end += L->p[end] == '\\' ? 2 : 1;
    char *o = cd_arena_alloc(L->rs->arena, (end < L->n ? end : L->n) - start + 1);
    size_t k = i - start;
    memcpy(o, L->p + start, k);
    for (;;) {
        if (i >= L->n) return lerr(L, start - 1, "unterminated string");
        unsigned char c = (unsigned char)L->p[i];
        if (c == '"') break;
        if (c < 0x20) return lerr(L, i, "control character in string");
        if (c != '\\') {
            o[k++] = (char)c;
            i++;
            continue;
        }
        if (i + 1 >= L->n) return lerr(L, i, "unterminated string");
        char e = L->p[i + 1];
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *m = e ? strchr(from, e) : NULL;
        if (m) {
            o[k++] = to[m - from];
            i += 2;
            continue;
        }
        if (e != 'u') return lerr(L, i, "invalid escape in string");
        int cp = hex4(L->p, L->n, i + 2);
        if (cp < 0) return lerr(L, i, "invalid \\u escape in string");
        i += 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return lerr(L, i - 6, "lone surrogate in string");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = i + 1 < L->n && L->p[i] == '\\' && L->p[i + 1] == 'u' ? hex4(L->p, L->n, i + 2)
                                                                           : -1;
            if (lo < 0xDC00 || lo > 0xDFFF) return lerr(L, i - 6, "lone surrogate in string");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        }
        k += (size_t)cd_utf8_encode((uint32_t)cp, o + k);
    }
    *out = (cd_str){o, k};
    L->i = i + 1;
    return true;
}

static bool digits(jlex *L)
{
    size_t s = L->i;
    while (L->i < L->n && L->p[L->i] >= '0' && L->p[L->i] <= '9')
        L->i++;
    return L->i > s;
}

static int key_cmp(const void *a, const void *b)
{
    const jmem *x = *(const jmem *const *)a, *y = *(const jmem *const *)b;
    int c = cd_str_cmp(x->key, y->key);
    if (c) return c;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Duplicate keys are an error wherever the schema format has objects. */
static bool no_duplicates(jlex *L, const jmem *m, size_t n)
{
    if (n < 2) return true;
    const jmem **v = malloc(n * sizeof *v);
    if (!v) abort();
    for (size_t i = 0; i < n; i++)
        v[i] = &m[i];
    qsort(v, n, sizeof *v, key_cmp);
    const jmem *dup = NULL;
    for (size_t i = 0; !dup && i + 1 < n; i++)
        if (cd_str_eq(v[i]->key, v[i + 1]->key)) dup = v[i + 1];
    free(v);
    if (!dup) return true;
    return lerr(L, dup->off, "duplicate key in object");
}

static const jval *jvalue(jlex *L, int depth);

/* A growable array in the scratch arena. */
static void *grow(cd_arena *a, void *items, size_t len, size_t *cap, size_t elem)
{
    if (len < *cap) return items;
    size_t c = *cap ? *cap * 2 : 4;
    void *n = cd_arena_alloc(a, c * elem);
    if (len) memcpy(n, items, len * elem);
    *cap = c;
    return n;
}

static const jval *jcompound(jlex *L, jval *v, int depth)
{
    bool obj = L->p[L->i] == '{';
    char close = obj ? '}' : ']';
    if (depth + 1 >= CD_SCHEMA_MAX_JSON_DEPTH) {
        lerr(L, L->i, "nested too deeply (recursion limit exceeded)");
        return NULL;
    }
    L->i++;
    ws(L);
    size_t cap = 0, n = 0;
    jmem *mem = NULL;
    const jval **items = NULL;
    if (L->i < L->n && L->p[L->i] == close) {
        L->i++;
    } else {
        for (;;) {
            ws(L);
            if (obj) {
                mem = grow(L->rs->arena, mem, n, &cap, sizeof *mem);
                jmem *m = &mem[n++];
                m->off = (uint32_t)L->i;
                if (L->i >= L->n || L->p[L->i] != '"') {
                    lerr(L, L->i, "expected a string key");
                    return NULL;
                }
                if (!jstring(L, &m->key)) return NULL;
                ws(L);
                if (L->i >= L->n || L->p[L->i] != ':') {
                    lerr(L, L->i, "expected `:`");
                    return NULL;
                }
                L->i++;
                if (!(m->val = jvalue(L, depth + 1))) return NULL;
            } else {
                items = grow(L->rs->arena, items, n, &cap, sizeof *items);
                if (!(items[n++] = jvalue(L, depth + 1))) return NULL;
            }
            ws(L);
            if (L->i < L->n && L->p[L->i] == ',') {
                L->i++;
                continue;
            }
            if (L->i < L->n && L->p[L->i] == close) {
                L->i++;
                break;
            }
            lerr(L, L->i, obj ? "expected `,` or `}`" : "expected `,` or `]`");
            return NULL;
        }
    }
    v->kind = obj ? J_OBJ : J_ARR;
    v->n = n;
    v->members = mem;
    v->items = items;
    if (obj && !no_duplicates(L, mem, n)) return NULL;
    return v;
}

static const jval *jvalue(jlex *L, int depth)
{
    ws(L);
    jval *v = CD_NEW(L->rs->arena, jval);
    v->off = (uint32_t)L->i;
    if (L->i >= L->n) {
        lerr(L, L->i, "unexpected end of input");
        return NULL;
    }
    char c = L->p[L->i];
    if (c == '{' || c == '[') return jcompound(L, v, depth);
    if (c == '"') {
        v->kind = J_STR;
        return jstring(L, &v->s) ? v : NULL;
    }
    static const struct {
        const char *word;
        jkind kind;
    } lits[] = {{"null", J_NULL}, {"true", J_TRUE}, {"false", J_FALSE}};
    for (size_t k = 0; k < 3; k++) {
        size_t wl = strlen(lits[k].word);
        if (L->n - L->i >= wl && memcmp(L->p + L->i, lits[k].word, wl) == 0) {
            L->i += wl;
            v->kind = lits[k].kind;
            return v;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        /* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; the value is never needed */
        if (c == '-') L->i++;
        if (L->i < L->n && L->p[L->i] == '0')
            L->i++;
        else if (!digits(L))
            goto bad_number;
        if (L->i < L->n && L->p[L->i] == '.') {
            L->i++;
            if (!digits(L)) goto bad_number;
        }
        if (L->i < L->n && (L->p[L->i] == 'e' || L->p[L->i] == 'E')) {
            L->i++;
            if (L->i < L->n && (L->p[L->i] == '+' || L->p[L->i] == '-')) L->i++;
            if (!digits(L)) goto bad_number;
        }
        v->kind = J_NUM;
        return v;
    bad_number:
        lerr(L, v->off, "invalid number");
        return NULL;
    }
    lerr(L, L->i, "expected a value");
    return NULL;
}

/* ---- reading the schema from the tree ---------------------------------------- */

typedef struct jparser {
    cd_rschema *rs;
    cd_err *err;
} jparser;

static bool jerr(jparser *J, const jval *v, const cd_jpath *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool jerr(jparser *J, const jval *v, const cd_jpath *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cd_arena_vprintf(J->rs->arena, fmt, ap);
    va_end(ap);
    return cd_schema_err(J->rs, J->err, (cd_src){v ? v->off : 0, at}, "%s", msg);
}

static const cd_jpath *jkey(jparser *J, const cd_jpath *up, cd_str key)
{
    cd_jpath *p = CD_NEW(J->rs->arena, cd_jpath);
    p->up = up;
    p->key = key;
    return p;
}

static const cd_jpath *jidx(jparser *J, const cd_jpath *up, size_t i)
{
    cd_jpath *p = CD_NEW(J->rs->arena, cd_jpath);
    p->up = up;
    p->is_index = true;
    p->index = i;
    return p;
}

static cd_src src_of(const jval *v, const cd_jpath *at)
{
    return (cd_src){v->off, at};
}

static const char *kind_name(const jval *v)
{
    static const char *const names[] = {"null",     "a boolean", "a boolean", "a number",
                                        "a string", "an array",  "an object"};
    return names[v->kind];
}

static bool want(jparser *J, const jval *v, jkind k, const cd_jpath *at, const char *what)
{
    if (v->kind == k) return true;
    return jerr(J, v, at, "expected %s, found %s", what, kind_name(v));
}

/* A name or key for a message (names are checked before they are shown). */
static const char *show(jparser *J, cd_str s)
{
    cd_buf b;
    cd_buf_init(&b);
    for (size_t i = 0; i < s.len && i < 60; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x20 || c == 0x7f)
            cd_buf_printf(&b, "\\u{%x}", c);
        else
            cd_buf_putc(&b, (char)c);
    }
    const char *r = cd_arena_str(J->rs->arena, b.data ? b.data : "", b.len).ptr;
    cd_buf_free(&b);
    return r;
}

/* annotations: {AnyId: string | null} */
static bool annotations(jparser *J, const jval *v, const cd_jpath *at)
{
    if (!want(J, v, J_OBJ, at, "an object of annotations")) return false;
    for (size_t i = 0; i < v->n; i++) {
        const jmem *m = &v->members[i];
        const cd_jpath *p = jkey(J, at, m->key);
        if (!cd_str_is_ident(m->key))
            return cd_schema_err(J->rs, J->err, (cd_src){m->off, p}, "invalid annotation name `%s`",
                                 show(J, m->key));
        if (m->val->kind != J_NULL && !want(J, m->val, J_STR, p, "a string annotation value"))
            return false;
    }
    return true;
}

/* A reference to a type, e.g. in memberOfTypes: `A::B`, `__cedar` allowed. */
static bool type_name(jparser *J, const jval *v, const cd_jpath *at, const char *what, cd_str *out)
{
    if (!want(J, v, J_STR, at, "a string")) return false;
    if (!cd_schema_is_name(v->s, true))
        return jerr(J, v, at, "invalid %s `%s`", what, show(J, v->s));
    *out = v->s;
    return true;
}

static bool name_list(jparser *J, const jval *v, const cd_jpath *at, const cd_rname **out,
                      size_t *n)
{
    if (!want(J, v, J_ARR, at, "an array of entity type names")) return false;
    cd_rname *r = CD_NEW_ARRAY(J->rs->arena, cd_rname, v->n);
    for (size_t i = 0; i < v->n; i++) {
        const cd_jpath *p = jidx(J, at, i);
        r[i].src = src_of(v->items[i], p);
        if (!type_name(J, v->items[i], p, "entity type name", &r[i].name)) return false;
    }
    *out = r;
    *n = v->n;
    return true;
}

static const jval *member(const jval *obj, const char *key, const jmem **m)
{
    for (size_t i = 0; i < obj->n; i++) {
        if (cd_str_eq_c(obj->members[i].key, key)) {
            if (m) *m = &obj->members[i];
            return obj->members[i].val;
        }
    }
    return NULL;
}

static bool unknown_field(jparser *J, const jmem *m, const cd_jpath *at, const char *in)
{
    return cd_schema_err(J->rs, J->err, (cd_src){m->off, jkey(J, at, m->key)},
                         "unknown field `%s` in %s", show(J, m->key), in);
}

/* Check that obj only has fields from the NULL-terminated list. */
static bool only_fields(jparser *J, const jval *obj, const cd_jpath *at, const char *in,
                        const char *const *fields)
{
    for (size_t i = 0; i < obj->n; i++) {
        size_t k = 0;
        while (fields[k] && !cd_str_eq_c(obj->members[i].key, fields[k]))
            k++;
        if (!fields[k]) return unknown_field(J, &obj->members[i], at, in);
    }
    return true;
}

enum { IN_PLAIN, IN_ATTRIBUTE, IN_COMMON_TYPE };

/* A type object. In an attribute it may also carry "required" and
 * "annotations"; a common type definition may carry "annotations". */
static bool jtype(jparser *J, const jval *v, const cd_jpath *at, int where, const cd_rtype **out,
                  bool *required)
{
    static const char *const plain[] = {"type", "element", "attributes", "additionalAttributes",
                                        "name", NULL};
    static const char *const attr[] = {"type", "element",  "attributes",  "additionalAttributes",
                                       "name", "required", "annotations", NULL};
    static const char *const common[] = {
        "type", "element", "attributes", "additionalAttributes", "name", "annotations", NULL};
    if (v->kind != J_OBJ)
        return jerr(J, v, at, "expected a type (an object with a `type` field), found %s",
                    kind_name(v));
    if (!only_fields(J, v, at, "a type",
                     where == IN_ATTRIBUTE     ? attr
                     : where == IN_COMMON_TYPE ? common
                                               : plain))
        return false;
    const jmem *m = NULL;
    const jval *f;
    if ((f = member(v, "required", &m))) {
        if (f->kind != J_TRUE && f->kind != J_FALSE)
            return want(J, f, J_TRUE, jkey(J, at, m->key), "a boolean");
        *required = f->kind == J_TRUE;
    }
    if ((f = member(v, "annotations", &m)) && !annotations(J, f, jkey(J, at, m->key))) return false;
    const jval *ty = member(v, "type", NULL), *element = member(v, "element", NULL),
               *attrs = member(v, "attributes", NULL),
               *additional = member(v, "additionalAttributes", NULL), *nm = member(v, "name", NULL);
    if (!ty) return jerr(J, v, at, "missing field `type`");
    const cd_jpath *tp = jkey(J, at, CD_STR_LIT("type"));
    if (!want(J, ty, J_STR, tp, "a string")) return false;
    cd_str tn = ty->s;
    cd_rtype *t = CD_NEW(J->rs->arena, cd_rtype);
    t->src = src_of(v, at);
    /* which of element / attributes+additionalAttributes / name the type allows */
    enum { F_ELEM = 1, F_ATTRS = 2, F_NAME = 4 } allowed = 0;
    if (cd_str_eq_c(tn, "String")) {
        t->kind = CD_RT_STRING;
    } else if (cd_str_eq_c(tn, "Long")) {
        t->kind = CD_RT_LONG;
    } else if (cd_str_eq_c(tn, "Boolean")) {
        t->kind = CD_RT_BOOL;
    } else if (cd_str_eq_c(tn, "Set")) {
        t->kind = CD_RT_SET;
        allowed = F_ELEM;
    } else if (cd_str_eq_c(tn, "Record")) {
        t->kind = CD_RT_RECORD;
        allowed = F_ATTRS;
    } else if (cd_str_eq_c(tn, "Entity")) {
        t->kind = CD_RT_ENTITY;
        allowed = F_NAME;
    } else if (cd_str_eq_c(tn, "EntityOrCommon")) {
        t->kind = CD_RT_EOC;
        allowed = F_NAME;
    } else if (cd_str_eq_c(tn, "Extension")) {
        t->kind = CD_RT_EXT;
        allowed = F_NAME;
    } else {
        t->kind = CD_RT_COMMON;
        if (!cd_schema_is_name(tn, true))
            return jerr(J, ty, tp, "invalid common type `%s`", show(J, tn));
        t->name = tn;
    }
    const char *bad = element && !(allowed & F_ELEM)       ? "element"
                      : attrs && !(allowed & F_ATTRS)      ? "attributes"
                      : additional && !(allowed & F_ATTRS) ? "additionalAttributes"
                      : nm && !(allowed & F_NAME)          ? "name"
                                                           : NULL;
    if (bad) {
        member(v, bad, &m);
        return cd_schema_err(J->rs, J->err, (cd_src){m->off, jkey(J, at, m->key)},
                             "unknown field `%s` for type `%s`", bad, show(J, tn));
    }
    switch (t->kind) {
    case CD_RT_SET:
        if (!element) return jerr(J, v, at, "missing field `element`");
        if (!jtype(J, element, jkey(J, at, CD_STR_LIT("element")), IN_PLAIN, &t->elem, NULL))
            return false;
        break;
    case CD_RT_RECORD: {
        if (!attrs) return jerr(J, v, at, "missing field `attributes`");
        const cd_jpath *ap = jkey(J, at, CD_STR_LIT("attributes"));
        if (!want(J, attrs, J_OBJ, ap, "an object of attributes")) return false;
        if (additional) {
            const cd_jpath *p = jkey(J, at, CD_STR_LIT("additionalAttributes"));
            if (additional->kind != J_TRUE && additional->kind != J_FALSE)
                return want(J, additional, J_TRUE, p, "a boolean");
            t->open = additional->kind == J_TRUE;
        }
        cd_rattr *a = CD_NEW_ARRAY(J->rs->arena, cd_rattr, attrs->n);
        for (size_t i = 0; i < attrs->n; i++) {
            const jmem *am = &attrs->members[i];
            a[i].name = am->key;
            a[i].required = true;
            if (!jtype(J, am->val, jkey(J, ap, am->key), IN_ATTRIBUTE, &a[i].type, &a[i].required))
                return false;
        }
        t->n_attrs = attrs->n;
        t->attrs = a;
        break;
    }
    case CD_RT_ENTITY:
    case CD_RT_EOC:
    case CD_RT_EXT: {
        if (!nm) return jerr(J, v, at, "missing field `name`");
        const cd_jpath *np = jkey(J, at, CD_STR_LIT("name"));
        if (t->kind != CD_RT_EXT) {
            if (!type_name(J, nm, np,
                           t->kind == CD_RT_EOC ? "entity or common type" : "entity type",
                           &t->name))
                return false;
            break;
        }
        if (!want(J, nm, J_STR, np, "a string")) return false;
        t->name = nm->s;
        if (!cd_str_is_ident(t->name) || cd_schema_is_reserved_word(t->name) ||
            cd_schema_is_cedar_ns(t->name))
            return jerr(J, nm, np, "invalid extension type `%s`", show(J, t->name));
        break;
    }
    default: break;
    }
    *out = t;
    return true;
}

/* An unqualified declared name (entity or common type). */
static bool decl_name(jparser *J, const jmem *m, const cd_jpath *p, const char *what)
{
    if (!cd_str_is_ident(m->key) || cd_schema_is_reserved_word(m->key))
        return cd_schema_err(J->rs, J->err, (cd_src){m->off, p}, "invalid %s name `%s`", what,
                             show(J, m->key));
    return true;
}

static bool entity_type(jparser *J, size_t ns, const jmem *m, const cd_jpath *at)
{
    static const char *const fields[] = {"memberOfTypes", "shape",       "tags",
                                         "enum",          "annotations", NULL};
    const jval *v = m->val;
    if (!decl_name(J, m, at, "entity type")) return false;
    if (!want(J, v, J_OBJ, at, "an entity type definition object") ||
        !only_fields(J, v, at, "an entity type", fields))
        return false;
    cd_rentity e = {.ns = ns, .name = m->key, .src = {m->off, at}};
    const jmem *fm = NULL;
    const jval *member_of = member(v, "memberOfTypes", NULL), *shape = member(v, "shape", NULL),
               *tags = member(v, "tags", NULL), *en = member(v, "enum", NULL), *f;
    if ((f = member(v, "annotations", &fm)) && !annotations(J, f, jkey(J, at, fm->key)))
        return false;
    if (member_of && !name_list(J, member_of, jkey(J, at, CD_STR_LIT("memberOfTypes")),
                                &e.member_of, &e.n_member_of))
        return false;
    if (shape && !jtype(J, shape, jkey(J, at, CD_STR_LIT("shape")), IN_PLAIN, &e.shape, NULL))
        return false;
    if (tags && !jtype(J, tags, jkey(J, at, CD_STR_LIT("tags")), IN_PLAIN, &e.tags, NULL))
        return false;
    if (en) {
        const cd_jpath *p = jkey(J, at, CD_STR_LIT("enum"));
        if (member_of || shape || tags)
            return jerr(J, v, at, "unexpected field in an enumerated entity type: %s%s%s",
                        member_of ? "memberOfTypes " : "", shape ? "shape " : "",
                        tags ? "tags" : "");
        if (!want(J, en, J_ARR, p, "an array of entity ids")) return false;
        if (en->n == 0) return jerr(J, en, p, "an enumerated entity type needs at least one id");
        cd_str *ids = CD_NEW_ARRAY(J->rs->arena, cd_str, en->n);
        for (size_t i = 0; i < en->n; i++) {
            if (!want(J, en->items[i], J_STR, jidx(J, p, i), "a string")) return false;
            ids[i] = en->items[i]->s;
        }
        e.is_enum = true;
        e.n_enum = en->n;
        e.enum_ids = ids;
    }
    *(cd_rentity *)cd_vec_push(&J->rs->entities) = e;
    return true;
}

static bool applies_to(jparser *J, const jval *v, const cd_jpath *at, cd_raction *a)
{
    static const char *const fields[] = {"principalTypes", "resourceTypes", "context", NULL};
    if (!want(J, v, J_OBJ, at, "an object") || !only_fields(J, v, at, "appliesTo", fields))
        return false;
    const jval *pt = member(v, "principalTypes", NULL), *rt = member(v, "resourceTypes", NULL),
               *ctx = member(v, "context", NULL);
    if (!rt) return jerr(J, v, at, "missing field `resourceTypes`");
    if (!pt) return jerr(J, v, at, "missing field `principalTypes`");
    a->has_applies_to = true;
    return name_list(J, pt, jkey(J, at, CD_STR_LIT("principalTypes")), &a->principals,
                     &a->n_principals) &&
           name_list(J, rt, jkey(J, at, CD_STR_LIT("resourceTypes")), &a->resources,
                     &a->n_resources) &&
           (!ctx || jtype(J, ctx, jkey(J, at, CD_STR_LIT("context")), IN_PLAIN, &a->context, NULL));
}

static bool member_of(jparser *J, const jval *v, const cd_jpath *at, cd_raction *a)
{
    static const char *const fields[] = {"id", "type", NULL};
    if (!want(J, v, J_ARR, at, "an array of action references")) return false;
    cd_rparent *ps = CD_NEW_ARRAY(J->rs->arena, cd_rparent, v->n);
    for (size_t i = 0; i < v->n; i++) {
        const jval *e = v->items[i];
        const cd_jpath *p = jidx(J, at, i);
        ps[i].src = src_of(e, p);
        if (!want(J, e, J_OBJ, p, "an object with `id` and optionally `type`") ||
            !only_fields(J, e, p, "an action reference", fields))
            return false;
        const jval *id = member(e, "id", NULL), *ty = member(e, "type", NULL);
        if (!id) return jerr(J, e, p, "missing field `id`");
        if (!want(J, id, J_STR, jkey(J, p, CD_STR_LIT("id")), "a string")) return false;
        ps[i].id = id->s;
        if (ty && ty->kind != J_NULL) {
            if (!type_name(J, ty, jkey(J, p, CD_STR_LIT("type")), "action type", &ps[i].type))
                return false;
            ps[i].has_type = true;
        }
    }
    a->member_of = ps;
    a->n_member_of = v->n;
    return true;
}

static bool action(jparser *J, size_t ns, const jmem *m, const cd_jpath *at)
{
    static const char *const fields[] = {"attributes", "appliesTo", "memberOf", "annotations",
                                         NULL};
    const jval *v = m->val;
    if (!want(J, v, J_OBJ, at, "an action definition object") ||
        !only_fields(J, v, at, "an action", fields))
        return false;
    cd_raction a = {.ns = ns, .name = m->key, .src = {m->off, at}};
    const jmem *fm = NULL;
    const jval *f;
    if ((f = member(v, "attributes", &fm)) && f->kind != J_NULL)
        return jerr(J, f, jkey(J, at, fm->key), "action attributes are not supported");
    if ((f = member(v, "annotations", &fm)) && !annotations(J, f, jkey(J, at, fm->key)))
        return false;
    if ((f = member(v, "memberOf", &fm)) && f->kind != J_NULL &&
        !member_of(J, f, jkey(J, at, fm->key), &a))
        return false;
    if ((f = member(v, "appliesTo", &fm)) && f->kind != J_NULL &&
        !applies_to(J, f, jkey(J, at, fm->key), &a))
        return false;
    *(cd_raction *)cd_vec_push(&J->rs->actions) = a;
    return true;
}

static bool common_type(jparser *J, size_t ns, const jmem *m, const cd_jpath *at)
{
    if (!decl_name(J, m, at, "common type")) return false;
    cd_rcommon c = {.ns = ns, .name = m->key, .src = {m->off, at}};
    if (!jtype(J, m->val, at, IN_COMMON_TYPE, &c.type, NULL)) return false;
    *(cd_rcommon *)cd_vec_push(&J->rs->commons) = c;
    return true;
}

typedef bool (*decl_fn)(jparser *, size_t, const jmem *, const cd_jpath *);

static bool decls(jparser *J, size_t ns, const jval *v, const cd_jpath *at, decl_fn fn)
{
    if (!want(J, v, J_OBJ, at, "an object")) return false;
    for (size_t i = 0; i < v->n; i++)
        if (!fn(J, ns, &v->members[i], jkey(J, at, v->members[i].key))) return false;
    return true;
}

static bool namespace_def(jparser *J, const jmem *m)
{
    static const char *const fields[] = {"commonTypes", "entityTypes", "actions", "annotations",
                                         NULL};
    const cd_jpath *at = jkey(J, NULL, m->key);
    const jval *v = m->val;
    cd_rns *n = cd_vec_push(&J->rs->nss);
    size_t ns = J->rs->nss.len - 1;
    n->has_name = m->key.len > 0;
    n->name = m->key;
    n->src = (cd_src){m->off, at};
    if (n->has_name && !cd_schema_is_name(m->key, false))
        return cd_schema_err(J->rs, J->err, n->src, "invalid namespace `%s`", show(J, m->key));
    if (!want(J, v, J_OBJ, at, "a namespace definition object") ||
        !only_fields(J, v, at, "a namespace", fields))
        return false;
    const jmem *fm = NULL;
    const jval *f;
    if ((f = member(v, "annotations", &fm))) {
        const cd_jpath *p = jkey(J, at, fm->key);
        if (!annotations(J, f, p)) return false;
        if (!m->key.len && f->n)
            return jerr(J, f, p, "annotations are not allowed on the empty namespace");
    }
    const jval *ct = member(v, "commonTypes", NULL), *et = member(v, "entityTypes", NULL),
               *ac = member(v, "actions", NULL);
    if (!et) return jerr(J, v, at, "missing field `entityTypes`");
    if (!ac) return jerr(J, v, at, "missing field `actions`");
    return (!ct || decls(J, ns, ct, jkey(J, at, CD_STR_LIT("commonTypes")), common_type)) &&
           decls(J, ns, et, jkey(J, at, CD_STR_LIT("entityTypes")), entity_type) &&
           decls(J, ns, ac, jkey(J, at, CD_STR_LIT("actions")), action);
}

cd_schema *cd_schema_parse_json(const char *text, size_t len, const char *file, cd_err *err)
{
    cd_rschema rs;
    if (!text) len = 0;
    cd_rschema_init(&rs, text ? text : "", len, file);
    jparser J = {.rs = &rs, .err = err};
    jlex L = {.p = rs.text, .n = len, .rs = &rs, .err = err};
    cd_schema *s = NULL;
    size_t bad = cd_utf8_check(rs.text, len);
    const jval *root = NULL;
    if (len > UINT32_MAX - 1) {
        cd_schema_err(&rs, err, (cd_src){0, NULL}, "schema text is too large");
    } else if (bad != len) {
        cd_schema_err(&rs, err, (cd_src){(uint32_t)bad, NULL}, "invalid UTF-8 in JSON schema");
    } else if ((root = jvalue(&L, 0))) {
        ws(&L);
        if (L.i < len) {
            lerr(&L, L.i, "trailing characters after the JSON value");
        } else if (root->kind != J_OBJ) {
            jerr(&J, root, NULL,
                 "a JSON schema must be an object mapping namespace names to "
                 "namespace definitions");
        } else {
            bool ok = true;
            for (size_t i = 0; ok && i < root->n; i++)
                ok = namespace_def(&J, &root->members[i]);
            if (ok) s = cd_schema_resolve(&rs, err);
        }
    }
    cd_rschema_free(&rs);
    return s;
}

void cd_schema_json_path_print(cd_buf *b, const cd_jpath *jp)
{
    if (!jp) return;
    if (jp->up) {
        cd_schema_json_path_print(b, jp->up);
        if (!jp->is_index) cd_buf_putc(b, '.');
    }
    if (jp->is_index) {
        cd_buf_printf(b, "[%zu]", jp->index);
    } else if (jp->key.len == 0) {
        cd_buf_puts(b, "\"\"");
    } else {
        for (size_t i = 0; i < jp->key.len && i < 60; i++) {
            unsigned char c = (unsigned char)jp->key.ptr[i];
            if (c < 0x20 || c == 0x7f)
                cd_buf_printf(b, "\\u{%x}", c);
            else
                cd_buf_putc(b, (char)c);
        }
    }
}
