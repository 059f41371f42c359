/* cd_json_value.c: Cedar values from and to JSON.
 *
 * Reading follows the official implementation exactly: its JSON value format
 * (`__entity` / `__extn` escapes, arrays as sets, objects as records), the
 * schema-based reading that lets entity references and extension values drop
 * their escapes, and the evaluation of the extension calls written in the
 * JSON. The odd corners of its deserializer are kept on purpose (an entity
 * reference may also be written ["Type", "id"], an escape object ignores
 * unknown keys, an open record type drops undeclared attributes), because a
 * different reading of the same data would change authorization results.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_ext.h"
#include "cd_json_impl.h"
#include "cd_stack.h"

/* Guard for values built by callers (not parsed here) so recursion stays bounded. */
#define READ_MAX_DEPTH 4096

/* ---- names ------------------------------------------------------------- */

static bool ident_start(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ident_char(char c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}

/* A reserved word, by its length first (names are checked for every request
 * built from parts). */
static bool reserved_word(const char *s, size_t n)
{
    static const struct {
        const char *w;
        size_t n;
    } reserved[] = {{"true", 4}, {"false", 5}, {"if", 2},   {"then", 4}, {"else", 4},
                    {"in", 2},   {"is", 2},    {"like", 4}, {"has", 3},  {"__cedar", 7}};
    if (n < 2 || n > 7) return false;
    for (size_t k = 0; k < sizeof reserved / sizeof *reserved; k++)
        if (reserved[k].n == n && memcmp(reserved[k].w, s, n) == 0) return true;
    return false;
}

bool cd_valid_name(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        size_t start = i;
        if (i >= n || !ident_start(s[i])) return false;
        while (i < n && ident_char(s[i]))
            i++;
        if (reserved_word(s + start, i - start)) return false;
        if (i == n) return true;
        if (n - i < 2 || s[i] != ':' || s[i + 1] != ':') return false;
        i += 2;
    }
}

const char *cd_json_kind(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_NULL: return "null";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_STRING: return "a string";
    case JSON_ARRAY: return "an array";
    default: return "an object";
    }
}

bool cd_is_action_type(const cd_name *n)
{
    return (n->len == 6 && memcmp(n->text, "Action", 6) == 0) ||
           (n->len > 8 && memcmp(n->text + n->len - 8, "::Action", 8) == 0);
}

/* ---- messages ---------------------------------------------------------- */

/* Append at most max bytes of s, cut at a character boundary. */
static void put_clipped(cd_buf *b, const char *s, size_t n, size_t max)
{
    if (n <= max) {
        cd_buf_put(b, s, n);
        return;
    }
    size_t cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    cd_buf_put(b, s, cut);
    cd_buf_puts(b, "...");
}

void cd_describe_value(cd_buf *b, const cd_value *v)
{
    cd_buf tmp;
    cd_buf_init(&tmp);
    cd_value_print(&tmp, v);
    cd_buf_printf(b, "%s `", cd_value_type_name(v));
    put_clipped(b, tmp.data ? tmp.data : "", tmp.len, 80);
    cd_buf_putc(b, '`');
    cd_buf_free(&tmp);
}

static void describe_json(cd_buf *b, const json_t *j)
{
    if (!j) {
        cd_buf_puts(b, "nothing");
        return;
    }
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    cd_buf_putc(b, '`');
    if (s) put_clipped(b, s, strlen(s), 80);
    cd_buf_putc(b, '`');
    free(s);
}

static void put_step(cd_buf *b, const cd_jstep *p)
{
    if (!p->key) {
        cd_buf_printf(b, "[%zu]", p->index);
    } else if (p->keylen && ident_start(p->key[0]) &&
               strspn(p->key, "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
                   p->keylen) {
        cd_buf_putc(b, '.');
        cd_buf_put(b, p->key, p->keylen);
    } else {
        cd_buf_putc(b, '[');
        cd_print_quoted(b, (cd_str){p->key, p->keylen});
        cd_buf_putc(b, ']');
    }
}

/* The steps from the top down. A loop, not a recursion: a message about a
 * value where the stack ran low (cd_stack.h) is printed there. */
static void put_path(cd_buf *b, const cd_jstep *p)
{
    size_t n = 0;
    for (const cd_jstep *q = p; q; q = q->up)
        n++;
    if (!n) return;
    const cd_jstep **steps = malloc(n * sizeof *steps);
    if (!steps) abort();
    size_t i = n;
    for (const cd_jstep *q = p; q; q = q->up)
        steps[--i] = q;
    for (i = 0; i < n; i++)
        put_step(b, steps[i]);
    free(steps);
}

static bool vfail(cd_jreader *r, const cd_jstep *p, const char *fmt, va_list ap)
{
    cd_buf b;
    cd_buf_init(&b);
    if (r->kind && r->uid) {
        cd_buf_puts(&b, r->kind);
        if (r->has_key) {
            cd_buf_puts(&b, " `");
            cd_buf_put(&b, r->key.ptr, r->key.len);
            cd_buf_putc(&b, '`');
        }
        cd_buf_puts(&b, " of entity `");
        cd_uid_print(&b, r->uid);
        cd_buf_putc(&b, '`');
    } else if (r->kind) {
        cd_buf_printf(&b, "%s of the entity at index %zu", r->kind, r->index);
    } else {
        cd_buf_puts(&b, r->what ? r->what : "value");
    }
    if (p) {
        cd_buf_puts(&b, " at `");
        put_path(&b, p);
        cd_buf_putc(&b, '`');
    }
    cd_buf_puts(&b, ": ");
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        char *m = malloc((size_t)n + 1);
        if (!m) abort();
        vsnprintf(m, (size_t)n + 1, fmt, ap);
        cd_buf_put(&b, m, (size_t)n);
        free(m);
    }
    cd_err_set(r->err, r->loc, "%s", cd_buf_cstr(&b));
    if (r->err) r->err->file = r->file;
    cd_buf_free(&b);
    return false;
}

bool cd_jfail(cd_jreader *r, const cd_jstep *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(r, p, fmt, ap);
    va_end(ap);
    return false;
}

/* A failure whose message describes a JSON value. */
static bool fail_json(cd_jreader *r, const cd_jstep *p, const char *prefix, const json_t *j)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_puts(&b, prefix);
    describe_json(&b, j);
    cd_jfail(r, p, "%s", cd_buf_cstr(&b));
    cd_buf_free(&b);
    return false;
}

/* ---- small JSON helpers ------------------------------------------------ */

static cd_str jstr(cd_jreader *r, const json_t *j)
{
    return cd_arena_str(r->arena, json_string_value(j), json_string_length(j));
}

static bool jstr_is(const json_t *j, const char *s)
{
    size_t n = strlen(s);
    return json_is_string(j) && json_string_length(j) == n &&
           memcmp(json_string_value(j), s, n) == 0;
}

/* The first non-integer number inside j (serde_json has no such Cedar value). */
static const json_t *find_real(const json_t *j, int depth)
{
    if (depth > READ_MAX_DEPTH) return NULL;
    if (json_is_real(j)) return j;
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            const json_t *r = find_real(json_array_get(j, i), depth + 1);
            if (r) return r;
        }
    } else if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v)
        {
            const json_t *r = find_real(v, depth + 1);
            if (r) return r;
        }
    }
    return NULL;
}

/* {"type": "T", "id": "x"} (other keys ignored) or ["T", "x"]. */
static bool type_and_id(const json_t *j, const json_t **type, const json_t **id)
{
    if (json_is_object(j)) {
        *type = json_object_get(j, "type");
        *id = json_object_get(j, "id");
    } else if (json_is_array(j) && json_array_size(j) == 2) {
        *type = json_array_get(j, 0);
        *id = json_array_get(j, 1);
    } else {
        return false;
    }
    return json_is_string(*type) && json_is_string(*id);
}

/* An extension call written as {"fn": f, "arg": a} or {"fn": f, "args": [...]}
 * (other keys ignored); the arguments must be valid Cedar JSON. Not [f, a]:
 * the official FnAndArgs is an untagged enum since Cedar 4.6, whose struct
 * variants take no array (cedar-wasm 4.10 and 4.13 reject it). */
typedef struct fn_args {
    const json_t *fn;
    const json_t *arg;  /* single argument, or NULL */
    const json_t *args; /* array of arguments when arg is NULL */
} fn_args;

static bool as_fn_args(const json_t *j, fn_args *fa)
{
    if (json_is_object(j)) {
        fa->fn = json_object_get(j, "fn");
        if (!json_is_string(fa->fn)) return false;
        fa->arg = json_object_get(j, "arg");
        if (fa->arg && !find_real(fa->arg, 0)) return true;
        fa->arg = NULL;
        fa->args = json_object_get(j, "args");
        return json_is_array(fa->args) && !find_real(fa->args, 0);
    }
    return false;
}

static size_t fa_count(const fn_args *fa)
{
    return fa->arg ? 1 : json_array_size(fa->args);
}

static const json_t *fa_get(const fn_args *fa, size_t i)
{
    return fa->arg ? fa->arg : json_array_get(fa->args, i);
}

/* Is j the `__expr` escape (removed in Cedar 3), in a position where the
 * official deserializer would try it first? */
static bool is_expr_escape(const json_t *j)
{
    if (json_is_object(j)) return json_is_string(json_object_get(j, "__expr"));
    return json_is_array(j) && json_array_size(j) == 1 && json_is_string(json_array_get(j, 0));
}

/* {"__extn": {"fn": "unknown", "arg": "name"}}: a partial-evaluation unknown. */
static bool is_unknown_escape(const json_t *j)
{
    const json_t *e = NULL;
    if (is_expr_escape(j)) return false;
    if (json_is_object(j)) e = json_object_get(j, "__extn");
    fn_args fa;
    return e && as_fn_args(e, &fa) && fa.arg && jstr_is(fa.fn, "unknown") && json_is_string(fa.arg);
}

/* ---- entity uids ------------------------------------------------------- */

static bool make_uid(cd_jreader *r, const cd_jstep *p, const json_t *type, const json_t *id,
                     cd_uid *out)
{
    const char *t = json_string_value(type);
    size_t tl = json_string_length(type);
    const cd_name *last = r->last_type ? *r->last_type : NULL;
    if (last && last->len == tl && memcmp(last->text, t, tl) == 0) {
        out->type = last; /* valid, and held by r->arena already */
    } else {
        if (!cd_valid_name(t, tl)) return fail_json(r, p, "invalid entity type name ", type);
        out->type = cd_name_intern(r->arena, t, tl);
        if (r->last_type) *r->last_type = out->type;
    }
    out->id = jstr(r, id);
    out->hash = 0;
    out->hash = cd_uid_hash(out); /* cached: the store and closures order by it */
    return true;
}

/* Not [{"type": T, "id": I}]: the official escape {"__entity": ...} is a
 * struct variant of an untagged enum, which takes no array (cedar-wasm 4.13
 * rejects it); ["T", "I"] is the implicit escape, a newtype, and is taken. */
bool cd_json_uid_parts(const json_t *j, const json_t **type, const json_t **id, bool *expr)
{
    *expr = is_expr_escape(j);
    if (*expr) return false;
    const json_t *e = json_is_object(j) ? json_object_get(j, "__entity") : NULL;
    return (e && type_and_id(e, type, id)) || type_and_id(j, type, id);
}

bool cd_jread_uid(cd_jreader *r, const json_t *j, const cd_jstep *p, cd_uid *out)
{
    const json_t *type, *id;
    bool expr;
    if (cd_json_uid_parts(j, &type, &id, &expr)) return make_uid(r, p, type, id, out);
    if (expr) return cd_jfail(r, p, "the `__expr` escape is no longer supported");
    return fail_json(r, p, "expected an entity reference {\"type\": ..., \"id\": ...}, found ", j);
}

/* ---- extension calls --------------------------------------------------- */

/* The type of argument i of f: -1 for string, else the extension kind. */
static int ext_arg_kind(cd_extfn f, size_t i)
{
    switch (f) {
    case CD_FN_DECIMAL:
    case CD_FN_IP:
    case CD_FN_DATETIME:
    case CD_FN_DURATION: return -1;
    case CD_FN_LESS_THAN:
    case CD_FN_LESS_THAN_OR_EQUAL:
    case CD_FN_GREATER_THAN:
    case CD_FN_GREATER_THAN_OR_EQUAL: return CD_EXT_DECIMAL;
    case CD_FN_IS_IPV4:
    case CD_FN_IS_IPV6:
    case CD_FN_IS_LOOPBACK:
    case CD_FN_IS_MULTICAST:
    case CD_FN_IS_IN_RANGE: return CD_EXT_IPADDR;
    case CD_FN_OFFSET: return i == 0 ? CD_EXT_DATETIME : CD_EXT_DURATION;
    case CD_FN_DURATION_SINCE:
    case CD_FN_TO_DATE:
    case CD_FN_TO_TIME: return CD_EXT_DATETIME;
    default: return CD_EXT_DURATION; /* toDays ... toMilliseconds */
    }
}

static cd_extfn ext_ctor(cd_extkind k)
{
    switch (k) {
    case CD_EXT_DECIMAL: return CD_FN_DECIMAL;
    case CD_EXT_IPADDR: return CD_FN_IP;
    case CD_EXT_DATETIME: return CD_FN_DATETIME;
    default: return CD_FN_DURATION;
    }
}

/* Resolve an extension function name; fails with a message. */
static bool lookup_fn(cd_jreader *r, const cd_jstep *p, const json_t *fn, cd_extfn *f)
{
    cd_str name = {json_string_value(fn), json_string_length(fn)};
    if (!cd_valid_name(name.ptr, name.len))
        return fail_json(r, p, "invalid extension function name ", fn);
    if (!cd_extfn_lookup(name, false, f) && !cd_extfn_lookup(name, true, f))
        return fail_json(r, p, "unknown extension function ", fn);
    return true;
}

static bool check_arity(cd_jreader *r, const cd_jstep *p, cd_extfn f, size_t n)
{
    const cd_extfn_info *info = cd_extfn_get(f);
    if ((size_t)info->arity == n) return true;
    return cd_jfail(r, p, "extension function `%s` takes %d argument%s, but %zu %s given",
                    info->name, info->arity, info->arity == 1 ? "" : "s", n,
                    n == 1 ? "was" : "were");
}

static bool apply(cd_jreader *r, const cd_jstep *p, cd_extfn f, const cd_value *args, size_t n,
                  cd_value *out)
{
    const char *msg = NULL;
    if (cd_ext_call(f, args, n, out, r->arena, &msg) == CD_EXT_OK) return true;
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_printf(&b, "%s(", cd_extfn_get(f)->name);
    for (size_t i = 0; i < n; i++) {
        if (i) cd_buf_puts(&b, ", ");
        cd_value_print(&b, &args[i]);
    }
    cd_buf_putc(&b, ')');
    cd_jfail(r, p, "cannot evaluate `%s`: %s", cd_buf_cstr(&b), msg ? msg : "error");
    cd_buf_free(&b);
    return false;
}

/* ---- reading values without a type ------------------------------------- */

static bool read_plain(cd_jreader *r, const json_t *j, const cd_jstep *p, int depth, cd_value *out);

/* The untyped escape {"__extn": {"fn": f, "arg"|"args": ...}}. */
static bool call_plain(cd_jreader *r, const cd_jstep *p, const fn_args *fa, int depth,
                       cd_value *out)
{
    if (!cd_valid_name(json_string_value(fa->fn), json_string_length(fa->fn)))
        return fail_json(r, p, "invalid extension function name ", fa->fn);
    size_t n = fa_count(fa);
    cd_value *args = CD_NEW_ARRAY(r->arena, cd_value, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        if (!read_plain(r, fa_get(fa, i), p, depth + 1, &args[i])) return false;
    cd_extfn f;
    return lookup_fn(r, p, fa->fn, &f) && check_arity(r, p, f, n) && apply(r, p, f, args, n, out);
}

static bool read_plain(cd_jreader *r, const json_t *j, const cd_jstep *p, int depth, cd_value *out)
{
    if (depth > READ_MAX_DEPTH || cd_stack_low()) return cd_jfail(r, p, "value nested too deeply");
    if (!j) return cd_jfail(r, p, "missing value");
    switch (json_typeof(j)) {
    case JSON_TRUE: *out = cd_bool(true); return true;
    case JSON_FALSE: *out = cd_bool(false); return true;
    case JSON_INTEGER: *out = cd_long((int64_t)json_integer_value(j)); return true;
    case JSON_STRING: *out = cd_string(jstr(r, j)); return true;
    case JSON_NULL: return cd_jfail(r, p, "found `null`, which is not a Cedar value");
    case JSON_REAL:
        return fail_json(r, p, "numbers must be integers between -2^63 and 2^63-1, found ", j);
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        cd_value *items = CD_NEW_ARRAY(r->arena, cd_value, n ? n : 1);
        for (size_t i = 0; i < n; i++) {
            cd_jstep sub = {p, NULL, 0, i};
            if (!read_plain(r, json_array_get(j, i), &sub, depth + 1, &items[i])) return false;
        }
        *out = cd_set_make(items, n);
        return true;
    }
    case JSON_OBJECT: break;
    }
    size_t n = json_object_size(j);
    if (n == 1) {
        /* a single-key object may be an escape; otherwise it is a record */
        json_t *v = json_object_get(j, "__extn");
        if (json_is_object(v) && json_object_size(v) >= 2) {
            fn_args fa = {json_object_get(v, "fn"), json_object_get(v, "arg"), NULL};
            if (json_is_string(fa.fn)) {
                if (fa.arg) return call_plain(r, p, &fa, depth, out);
                fa.args = json_object_get(v, "args");
                if (json_is_array(fa.args)) return call_plain(r, p, &fa, depth, out);
            }
        }
        if (json_is_string(json_object_get(j, "__expr")))
            return cd_jfail(r, p, "the `__expr` escape is no longer supported");
        v = json_object_get(j, "__entity");
        if (json_is_object(v) && json_object_size(v) >= 2) {
            const json_t *type = json_object_get(v, "type"), *id = json_object_get(v, "id");
            if (json_is_string(type) && json_is_string(id)) {
                cd_uid u = {0};
                if (!make_uid(r, p, type, id, &u)) return false;
                *out = cd_entityv(u);
                return true;
            }
        }
    }
    cd_str *keys = CD_NEW_ARRAY(r->arena, cd_str, n ? n : 1);
    cd_value *vals = CD_NEW_ARRAY(r->arena, cd_value, n ? n : 1);
    size_t i = 0, kl;
    const char *k;
    json_t *v;
    json_object_keylen_foreach((json_t *)j, k, kl, v)
    {
        cd_jstep sub = {p, k, kl, 0};
        keys[i] = cd_arena_str(r->arena, k, kl);
        if (!read_plain(r, v, &sub, depth + 1, &vals[i])) return false;
        i++;
    }
    cd_str dup;
    if (!cd_record_make(keys, vals, n, out, &dup))
        return cd_jfail(r, p, "duplicate key `%.*s`", (int)dup.len, dup.ptr);
    return true;
}

/* The whole value must be valid Cedar JSON before any of it is read. */
static bool read_plain_entry(cd_jreader *r, const json_t *j, const cd_jstep *p, int depth,
                             cd_value *out)
{
    const json_t *real = find_real(j, 0);
    if (real)
        return fail_json(r, p, "numbers must be integers between -2^63 and 2^63-1, found ", real);
    return read_plain(r, j, p, depth, out);
}

/* ---- reading values by their declared type ----------------------------- */

static bool read_typed(cd_jreader *r, const json_t *j, const cd_type *t, const cd_jstep *p,
                       int depth, cd_value *out);

static bool read_ext_typed(cd_jreader *r, const json_t *j, cd_extkind kind, const cd_jstep *p,
                           int depth, cd_value *out);

/* An extension call written with or without the `__extn` escape where an
 * extension type is expected: its arguments are read by their types. */
static bool call_typed(cd_jreader *r, const cd_jstep *p, const fn_args *fa, int depth,
                       cd_value *out)
{
    cd_extfn f;
    if (!lookup_fn(r, p, fa->fn, &f)) return false;
    size_t n = fa_count(fa);
    if (!check_arity(r, p, f, n)) return false;
    cd_value *args = CD_NEW_ARRAY(r->arena, cd_value, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const json_t *a = fa_get(fa, i);
        int kind = ext_arg_kind(f, i);
        if (is_unknown_escape(a))
            return cd_jfail(r, p, "unknown values (partial evaluation) are not supported");
        bool ok = kind < 0 ? read_plain_entry(r, a, p, depth + 1, &args[i])
                           : read_ext_typed(r, a, (cd_extkind)kind, p, depth + 1, &args[i]);
        if (!ok) return false;
    }
    return apply(r, p, f, args, n, out);
}

static bool read_ext_typed(cd_jreader *r, const json_t *j, cd_extkind kind, const cd_jstep *p,
                           int depth, cd_value *out)
{
    if (depth > READ_MAX_DEPTH || cd_stack_low()) return cd_jfail(r, p, "value nested too deeply");
    if (is_expr_escape(j)) return cd_jfail(r, p, "the `__expr` escape is no longer supported");
    const json_t *e = json_is_object(j) ? json_object_get(j, "__extn") : NULL;
    fn_args fa;
    if ((e && as_fn_args(e, &fa)) || as_fn_args(j, &fa)) return call_typed(r, p, &fa, depth, out);
    /* anything else is the argument of the type's constructor */
    cd_value arg;
    if (!read_plain_entry(r, j, p, depth + 1, &arg)) return false;
    return apply(r, p, ext_ctor(kind), &arg, 1, out);
}

static bool mismatch(cd_jreader *r, const json_t *j, const cd_type *t, const cd_jstep *p, int depth)
{
    cd_value v;
    if (!read_plain_entry(r, j, p, depth, &v)) return false;
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_puts(&b, "expected ");
    cd_type_print(&b, t);
    cd_buf_puts(&b, ", found ");
    cd_describe_value(&b, &v);
    cd_jfail(r, p, "%s", cd_buf_cstr(&b));
    cd_buf_free(&b);
    return false;
}

static bool read_record_typed(cd_jreader *r, const json_t *j, const cd_record_type *rt,
                              const cd_jstep *p, int depth, cd_value *out)
{
    cd_str *keys = CD_NEW_ARRAY(r->arena, cd_str, rt->n ? rt->n : 1);
    cd_value *vals = CD_NEW_ARRAY(r->arena, cd_value, rt->n ? rt->n : 1);
    size_t m = 0;
    for (size_t i = 0; i < rt->n; i++) {
        const cd_attr_type *a = &rt->attrs[i];
        const json_t *v = json_object_getn(j, a->name.ptr, a->name.len);
        if (!v) {
            if (a->required)
                return cd_jfail(r, p, "missing required attribute `%.*s`", (int)a->name.len,
                                a->name.ptr);
            continue;
        }
        cd_jstep sub = {p, a->name.ptr, a->name.len, 0};
        if (!read_typed(r, v, a->type, &sub, depth + 1, &vals[m])) return false;
        keys[m++] = cd_arena_str(r->arena, a->name.ptr, a->name.len);
    }
    /* An open record type drops undeclared attributes, as the official reader does. */
    if (!rt->open) {
        const char *k;
        size_t kl;
        json_t *v;
        json_object_keylen_foreach((json_t *)j, k, kl, v)
        {
            if (!cd_record_type_get(rt, (cd_str){k, kl}))
                return cd_jfail(r, p, "unexpected attribute `%.*s` (not declared in the schema)",
                                (int)kl, k);
        }
    }
    if (!cd_record_make(keys, vals, m, out, NULL))
        return cd_jfail(r, p, "duplicate attribute in record");
    return true;
}

static bool read_typed(cd_jreader *r, const json_t *j, const cd_type *t, const cd_jstep *p,
                       int depth, cd_value *out)
{
    if (depth > READ_MAX_DEPTH || cd_stack_low()) return cd_jfail(r, p, "value nested too deeply");
    if (!j) return cd_jfail(r, p, "missing value");
    if (is_unknown_escape(j))
        return cd_jfail(r, p, "unknown values (partial evaluation) are not supported");
    if (!t) return read_plain_entry(r, j, p, depth, out);
    switch (t->kind) {
    case CD_T_BOOL:
    case CD_T_LONG:
    case CD_T_STRING: return read_plain_entry(r, j, p, depth, out);
    case CD_T_ENTITY: {
        cd_uid u = {0};
        if (!cd_jread_uid(r, j, p, &u)) return false;
        *out = cd_entityv(u);
        return true;
    }
    case CD_T_EXT: return read_ext_typed(r, j, t->u.ext, p, depth, out);
    case CD_T_SET: {
        if (!json_is_array(j)) return mismatch(r, j, t, p, depth);
        size_t n = json_array_size(j);
        cd_value *items = CD_NEW_ARRAY(r->arena, cd_value, n ? n : 1);
        for (size_t i = 0; i < n; i++) {
            cd_jstep sub = {p, NULL, 0, i};
            if (!read_typed(r, json_array_get(j, i), t->u.elem, &sub, depth + 1, &items[i]))
                return false;
        }
        *out = cd_set_make(items, n);
        return true;
    }
    case CD_T_RECORD:
        if (!json_is_object(j)) return mismatch(r, j, t, p, depth);
        return read_record_typed(r, j, &t->u.rec, p, depth, out);
    }
    return cd_jfail(r, p, "unknown type");
}

bool cd_jread_value(cd_jreader *r, const json_t *j, const cd_type *t, const cd_jstep *p,
                    cd_value *out)
{
    return read_typed(r, j, t, p, 0, out);
}

/* ---- public entry points ----------------------------------------------- */

bool cd_json_to_value(const json_t *j, const cd_type *t, const cd_schema *schema, cd_arena *arena,
                      const char *path, cd_value *out, cd_err *err)
{
    cd_jreader r = {.schema = schema, .arena = arena, .err = err, .what = path};
    if (!read_typed(&r, j, t, NULL, 0, out)) return false;
    char *msg = NULL;
    bool ok = (!t || cd_value_conforms(schema, out, t, &msg)) &&
              (!schema || cd_check_uids_in_value(schema, out, &msg));
    if (!ok) cd_jfail(&r, NULL, "%s", msg ? msg : "does not conform to the schema");
    free(msg);
    return ok;
}

bool cd_json_to_uid(const json_t *j, cd_arena *arena, const char *path, cd_uid *out, cd_err *err)
{
    cd_jreader r = {.arena = arena, .err = err, .what = path};
    return cd_jread_uid(&r, j, NULL, out);
}

/* ---- values to JSON ---------------------------------------------------- */

static json_t *uid_to_json(const cd_uid *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_stringn_nocheck(u->type->text, u->type->len));
    json_object_set_new(o, "id", json_stringn_nocheck(u->id.ptr, u->id.len));
    return o;
}

static bool is_reserved_key(cd_str k)
{
    return cd_str_eq_c(k, "__entity") || cd_str_eq_c(k, "__extn") || cd_str_eq_c(k, "__expr");
}

/* {"__extn": {"fn": f, "arg": arg}} */
static json_t *extn_json(const char *fn, const char *arg)
{
    json_t *call = json_object();
    json_object_set_new(call, "fn", json_string(fn));
    json_object_set_new(call, "arg", json_string(arg));
    json_t *o = json_object();
    json_object_set_new(o, "__extn", call);
    return o;
}

/* offset(datetime("1970-01-01"), duration("<ms>ms")) as a JSON escape. */
static json_t *datetime_offset_json(int64_t ms)
{
    char d[32];
    snprintf(d, sizeof d, "%" PRId64 "ms", ms);
    json_t *args = json_array();
    json_array_append_new(args, extn_json("datetime", "1970-01-01"));
    json_array_append_new(args, extn_json("duration", d));
    json_t *call = json_object();
    json_object_set_new(call, "fn", json_string("offset"));
    json_object_set_new(call, "args", args);
    json_t *o = json_object();
    json_object_set_new(o, "__extn", call);
    return o;
}

json_t *cd_value_to_json(const cd_value *v)
{
    switch (v->kind) {
    case CD_V_BOOL: return json_boolean(v->u.b);
    case CD_V_LONG: return json_integer((json_int_t)v->u.l);
    case CD_V_STRING: return json_stringn_nocheck(v->u.s.ptr, v->u.s.len);
    case CD_V_ENTITY: {
        json_t *o = json_object();
        json_object_set_new(o, "__entity", uid_to_json(&v->u.uid));
        return o;
    }
    case CD_V_SET: {
        json_t *a = json_array();
        for (size_t i = 0; i < v->u.set.n; i++) {
            json_t *e = cd_value_to_json(&v->u.set.items[i]);
            if (!e) {
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, e);
        }
        return a;
    }
    case CD_V_RECORD: {
        json_t *o = json_object();
        for (size_t i = 0; i < v->u.rec.n; i++) {
            cd_str k = v->u.rec.keys[i];
            json_t *e = is_reserved_key(k) ? NULL : cd_value_to_json(&v->u.rec.vals[i]);
            if (!e || json_object_setn_new_nocheck(o, k.ptr, k.len, e) != 0) {
                json_decref(o);
                return NULL;
            }
        }
        return o;
    }
    case CD_V_EXT: {
        cd_buf b;
        cd_buf_init(&b);
        if (v->u.ext.kind == CD_EXT_DATETIME && !cd_datetime_format(&b, v->u.ext.u.datetime_ms)) {
            /* No datetime string denotes an instant outside the years
             * 0000..9999 (offset() reaches them): write it as the official
             * implementation's canonical form does, an offset from the epoch. */
            cd_buf_free(&b);
            return datetime_offset_json(v->u.ext.u.datetime_ms);
        }
        if (!b.len) cd_ext_print_arg(&b, &v->u.ext);
        json_t *call = json_object();
        json_object_set_new(call, "fn", json_string(cd_extkind_ctor(v->u.ext.kind)));
        json_object_set_new(call, "arg", json_stringn_nocheck(b.data ? b.data : "", b.len));
        cd_buf_free(&b);
        json_t *o = json_object();
        json_object_set_new(o, "__extn", call);
        return o;
    }
    }
    return NULL;
}
