/* cd_json_direct.c: the direct JSON reader's uids and values (typed by a
 * schema where one is given), shared by entities (cd_entities_read.c) and
 * requests' contexts (cd_request_read.c); cd_json_direct.h has the reader's
 * state, its scanning helpers and the rule it keeps (give up on anything
 * jansson's path might read otherwise).
 *
 * It reads uids written {"type": T, "id": I} or {"__entity": {...}}, values
 * that are strings, integers, booleans, arrays, records, uid escapes and
 * constructor calls {"__extn": {"fn": F, "arg": A}} (where an extension type
 * is declared, also {"fn": F, "arg": A}); with a schema, the declared types
 * of entity, extension, set and record attributes.
 */
#include <string.h>

#include "cd_ext.h"
#include "cd_json_direct.h"

/* ---- strings and integers ----------------------------------------------- */

bool cd_jd_string(cd_jd *r)
{
    if (peek(r) != '"') return false;
    size_t j = cd_json_plain_end(r->s, r->n, r->i + 1);
    if (j < r->n && r->s[j] == '"') {
        r->cur = (cd_str){r->s + r->i + 1, j - r->i - 1};
        r->i = j + 1;
        return true;
    }
    size_t at;
    if (cd_json_string(r->s, r->n, &r->i, &r->str, &at)) return false;
    r->cur = (cd_str){r->str.data ? r->str.data : "", r->str.len};
    return true;
}

static cd_str str_copy(cd_jd *r)
{
    return cd_arena_str(r->arena, r->cur.ptr, r->cur.len);
}

/* An integer in the 64-bit signed range; reals, -0 and larger numbers (not
 * Cedar longs) give up. */
static bool integer(cd_jd *r, int64_t *out)
{
    if (r->i >= r->n) return false; /* the text ends where a value should be */
    bool neg = r->s[r->i] == '-';
    size_t i = r->i + neg, start = i;
    uint64_t v = 0, max = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < r->n && r->s[i] >= '0' && r->s[i] <= '9'; i++) {
        unsigned d = (unsigned)(r->s[i] - '0');
        if (v > (max - d) / 10) return false;
        v = v * 10 + d;
    }
    if (i == start || (r->s[start] == '0' && i - start > 1) || (neg && v == 0)) return false;
    if (i < r->n && (r->s[i] == '.' || r->s[i] == 'e' || r->s[i] == 'E')) return false;
    r->i = i;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* ---- uids -------------------------------------------------------------- */

/* The type name in r->cur, interned as cd_jread_uid interns it. */
static bool uid_type(cd_jd *r, const cd_name **out)
{
    const cd_name *last = *r->last_type;
    cd_str t = r->cur;
    if (last && last->len == t.len && memcmp(last->text, t.ptr, t.len) == 0) {
        *out = last;
        return true;
    }
    if (!cd_valid_name(t.ptr, t.len)) return false;
    *out = *r->last_type = cd_name_intern(r->arena, t.ptr, t.len);
    return true;
}

typedef struct uid_ctx {
    cd_uid *out;
    bool escape, have_type, have_id;
} uid_ctx;

static bool uid_member(cd_jd *r, void *ctx)
{
    uid_ctx *u = ctx;
    if (u->escape && !u->have_type && !u->have_id && str_is(r, "__entity")) {
        u->have_type = u->have_id = true;
        return cd_jd_uid(r, false, u->out) && peek(r) == '}'; /* the escape's only key */
    }
    if (!u->have_type && str_is(r, "type")) {
        u->have_type = true;
        return cd_jd_string(r) && uid_type(r, &u->out->type);
    }
    if (!u->have_id && str_is(r, "id")) {
        u->have_id = true;
        if (!cd_jd_string(r)) return false;
        u->out->id = str_copy(r);
        return true;
    }
    return false;
}

/* {"type": T, "id": I} exactly, or (escape) {"__entity": {"type": T, "id": I}}. */
bool cd_jd_uid(cd_jd *r, bool escape, cd_uid *out)
{
    uid_ctx u = {out, escape, false, false};
    if (!enter(r, '{') || !members(r, uid_member, &u) || !u.have_type || !u.have_id) return false;
    out->hash = 0;
    out->hash = cd_uid_hash(out); /* cached, as cd_jread_uid does */
    return true;
}

/* ---- values ------------------------------------------------------------ */

/* The top n items of the value stack, moved into the arena. */
static cd_value *pop_vals(cd_jd *r, size_t n)
{
    if (!n) return NULL; /* an empty set or record keeps no items */
    cd_value *items = CD_NEW_ARRAY_RAW(r->arena, cd_value, n);
    r->vals.len -= n;
    memcpy(items, (cd_value *)r->vals.items + r->vals.len, n * sizeof *items);
    return items;
}

/* The key in r->cur in the arena: one copy per distinct key, while the table
 * has room within four probes of the key's slot (so colliding keys cost at
 * most four comparisons each, and are then simply copied). */
static cd_str key_copy(cd_jd *r)
{
    cd_str k = r->cur;
    if (k.len > 64) return str_copy(r);
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < k.len; i++)
        h = (h ^ (unsigned char)k.ptr[i]) * 16777619u;
    size_t mask = sizeof r->ktab / sizeof *r->ktab - 1;
    for (size_t p = 0, j = h & mask; p < 4; p++, j = (j + 1) & mask) {
        cd_str *s = &r->ktab[j];
        if (!s->ptr) return *s = str_copy(r);
        if (s->len == k.len && memcmp(s->ptr, k.ptr, k.len) == 0) return *s;
    }
    return str_copy(r);
}

/* The record of the top n keys and values of the stacks (false on a
 * duplicate key). Its sorted keys share the previous record's array when
 * they are the same copies (key_copy). */
static bool make_record(cd_jd *r, size_t n, cd_record *out)
{
    if (!n) {
        *out = (cd_record){0, NULL, NULL}; /* as cd_record_make makes it */
        return true;
    }
    cd_value rec, *vals = pop_vals(r, n);
    r->keys.len -= n;
    cd_str *keys = (cd_str *)r->keys.items + r->keys.len; /* sorted where they are */
    if (!cd_record_make(keys, vals, n, &rec, NULL)) return false;
    bool same = n == r->last_n;
    for (size_t k = 0; k < n && same; k++)
        same = keys[k].ptr == r->last_keys[k].ptr && keys[k].len == r->last_keys[k].len;
    if (!same) {
        r->last_keys = cd_arena_dup(r->arena, keys, n * sizeof *keys);
        r->last_n = n;
    }
    *out = rec.u.rec;
    out->keys = r->last_keys;
    return true;
}

/* An extension call {"fn": F, "arg": A} or {"fn": F, "args": [A, B]}. */
typedef struct call_ctx {
    bool typed; /* where an extension type is declared: args read by type */
    cd_str fn;
    cd_extfn f;
    bool have_arg, have_args;
    size_t n;
    cd_value args[2];
} call_ctx;

/* The arguments of offset(datetime, duration), read by their types where
 * the call is typed (call_typed in cd_json_value.c), else untyped. */
static bool call_args(cd_jd *r, call_ctx *c)
{
    static const cd_type kinds[2] = {{.kind = CD_T_EXT, .u.ext = CD_EXT_DATETIME},
                                     {.kind = CD_T_EXT, .u.ext = CD_EXT_DURATION}};
    /* typed, the function must be known first */
    if (c->typed && (!c->fn.ptr || c->f != CD_FN_OFFSET)) return false;
    if (!enter(r, '[')) return false;
    bool more = !eat(r, ']');
    while (more) {
        if (c->n == 2 || !cd_jd_value(r, c->typed ? &kinds[c->n] : NULL, &c->args[c->n]) ||
            !next(r, ']', &more))
            return false;
        c->n++;
    }
    leave(r);
    return true;
}

static bool call_member(cd_jd *r, void *ctx)
{
    call_ctx *c = ctx;
    if (!c->fn.ptr && str_is(r, "fn")) {
        if (!cd_jd_string(r)) return false;
        c->fn = str_copy(r);
        /* a function or a method, as lookup_fn in cd_json_value.c */
        return cd_extfn_lookup(c->fn, false, &c->f) || cd_extfn_lookup(c->fn, true, &c->f);
    }
    /* one of arg and args (jansson's path ignores args next to arg) */
    if (!c->have_arg && !c->have_args && str_is(r, "arg")) {
        c->have_arg = true;
        c->n = 1;
        return cd_jd_value(r, NULL, &c->args[0]);
    }
    if (!c->have_arg && !c->have_args && str_is(r, "args")) {
        c->have_args = true;
        return call_args(r, c);
    }
    return false;
}

/* {"fn": F, "arg": A} with F a constructor, or {"fn": "offset", "args": [D,
 * E]}: its value. typed: where an extension type is declared. */
static bool ext_call(cd_jd *r, bool typed, cd_value *out)
{
    call_ctx c = {.typed = typed};
    if (!enter(r, '{') || !members(r, call_member, &c) || !c.fn.ptr) return false;
    bool ctor =
        c.f == CD_FN_DECIMAL || c.f == CD_FN_IP || c.f == CD_FN_DATETIME || c.f == CD_FN_DURATION;
    if (!(c.have_arg && ctor) && !(c.have_args && c.f == CD_FN_OFFSET && c.n == 2)) return false;
    const char *msg;
    return cd_ext_call(c.f, c.args, c.n, out, r->arena, &msg) == CD_EXT_OK;
}

/* Does the object at r->i start with the key "fn" or "arg" (implicit), or
 * "__extn"? Where an extension type is declared, jansson's path reads either
 * as a call, with or without the `__extn` escape (read_ext_typed). Nothing is
 * consumed. */
static bool first_key_is(cd_jd *r, bool implicit)
{
    size_t at = r->i;
    unsigned depth = r->depth;
    bool is = enter(r, '{') && key(r) &&
              (implicit ? str_is(r, "fn") || str_is(r, "arg") : str_is(r, "__extn"));
    r->i = at;
    r->depth = depth;
    return is;
}

static bool implicit_call(cd_jd *r)
{
    return first_key_is(r, true);
}

static bool escaped_call(cd_jd *r)
{
    return first_key_is(r, false);
}

/* What a record's members are: a value's record (typed by rt when not
 * NULL), or an entity's attributes or tags (typed by decl when not NULL). */
typedef struct rec_ctx {
    const cd_record_type *rt;
    const cd_entity_decl *decl;
    bool entity, tags, escaped;
    size_t n, required;
    cd_value escape; /* the value of an escape, when escaped */
} rec_ctx;

/* The keys that make an object an escape somewhere in jansson's path. */
static bool escape_key(const cd_jd *r)
{
    return str_is(r, "__entity") || str_is(r, "__extn") || str_is(r, "__expr");
}

/* The escape {"__entity": ...} or {"__extn": ...}, when untyped: the
 * object's only key. */
static bool escape(cd_jd *r, rec_ctx *c)
{
    if (c->n || c->rt || peek(r) != '{') return false;
    c->escaped = true;
    if (str_is(r, "__entity")) {
        cd_uid u;
        if (!cd_jd_uid(r, false, &u)) return false;
        c->escape = cd_entityv(u);
    } else if (!str_is(r, "__extn") || !ext_call(r, false, &c->escape)) {
        return false;
    }
    return peek(r) == '}';
}

static bool record_member(cd_jd *r, void *ctx)
{
    rec_ctx *c = ctx;
    const cd_type *t = NULL;
    if (c->entity && c->tags) { /* read_map in cd_entities.c */
        t = c->decl ? c->decl->tags : NULL;
    } else if (c->entity && c->decl) {
        const cd_attr_type *a = cd_record_type_get(&c->decl->shape, r->cur);
        if (!a && !c->decl->shape.open) return false;
        t = a ? a->type : NULL;
    } else if (!c->entity && escape_key(r)) {
        return escape(r, c);
    } else if (c->rt) {
        const cd_attr_type *a = cd_record_type_get(c->rt, r->cur);
        if (!a) return false;
        t = a->type;
        c->required += a->required;
    }
    *(cd_str *)push(&r->keys) = key_copy(r);
    cd_value v;
    if (!cd_jd_value(r, t, &v)) return false;
    *(cd_value *)push(&r->vals) = v;
    c->n++;
    return true;
}

/* An object as a record; typed by rt when not NULL (every key declared, the
 * required ones present). */
static bool record(cd_jd *r, const cd_record_type *rt, cd_value *out)
{
    rec_ctx c = {.rt = rt};
    if (!enter(r, '{') || !members(r, record_member, &c)) return false;
    if (c.escaped) {
        *out = c.escape;
        return true;
    }
    if (rt) {
        size_t want = 0;
        for (size_t k = 0; k < rt->n; k++)
            want += rt->attrs[k].required;
        if (c.required != want) return false; /* (keys are unique when it succeeds) */
    }
    cd_value v = {.kind = CD_V_RECORD};
    if (!make_record(r, c.n, &v.u.rec)) return false;
    *out = v;
    return true;
}

/* Is v a record whose `fn` is "unknown"? jansson's path reads [that] as the
 * partial-evaluation escape (an error) where a value is read by type. */
static bool fn_unknown(const cd_value *v)
{
    if (v->kind != CD_V_RECORD) return false;
    for (size_t k = 0; k < v->u.rec.n; k++)
        if (cd_str_eq_c(v->u.rec.keys[k], "fn"))
            return v->u.rec.vals[k].kind == CD_V_STRING &&
                   cd_str_eq_c(v->u.rec.vals[k].u.s, "unknown");
    return false;
}

static bool set(cd_jd *r, const cd_type *elem, cd_value *out)
{
    if (!enter(r, '[')) return false;
    size_t n = 0;
    if (eat(r, ']')) {
        leave(r);
    } else {
        bool more;
        do {
            cd_value v;
            if (!cd_jd_value(r, elem, &v)) return false;
            *(cd_value *)push(&r->vals) = v;
            n++;
            if (!next(r, ']', &more)) return false;
        } while (more);
        leave(r);
    }
    if (n == 1 && fn_unknown(&CD_VEC_AT(&r->vals, cd_value, r->vals.len - 1))) return false;
    *out = cd_set_make(pop_vals(r, n), n);
    return true;
}

/* A value; with t, read by its declared type as cd_jread_value does. */
bool cd_jd_value(cd_jd *r, const cd_type *t, cd_value *out)
{
    char c = peek(r);
    if (t && t->kind == CD_T_ENTITY) {
        cd_uid u;
        if (!cd_jd_uid(r, true, &u)) return false;
        *out = cd_entityv(u);
        return true;
    }
    if (t && t->kind == CD_T_EXT) {
        if (c == '{' && implicit_call(r)) return ext_call(r, true, out);
        if (c == '{' && escaped_call(r)) {
            /* {"__extn": CALL}: read as typed too (read_ext_typed) */
            enter(r, '{');
            bool ok = key(r) && ext_call(r, true, out) && eat(r, '}');
            leave(r);
            return ok;
        }
        if (c != '"') return cd_jd_value(r, NULL, out) && out->kind == CD_V_EXT;
        static const cd_extfn ctor[] = {[CD_EXT_DECIMAL] = CD_FN_DECIMAL,
                                        [CD_EXT_IPADDR] = CD_FN_IP,
                                        [CD_EXT_DATETIME] = CD_FN_DATETIME,
                                        [CD_EXT_DURATION] = CD_FN_DURATION};
        const char *msg;
        cd_value arg;
        return cd_jd_value(r, NULL, &arg) &&
               cd_ext_call(ctor[t->u.ext], &arg, 1, out, r->arena, &msg) == CD_EXT_OK;
    }
    if (t && t->kind == CD_T_SET) return set(r, t->u.elem, out);
    if (t && t->kind == CD_T_RECORD) return record(r, &t->u.rec, out);
    switch (c) {
    case '"':
        if (!cd_jd_string(r)) return false;
        *out = cd_string(str_copy(r));
        return true;
    case 't':
    case 'f': *out = cd_bool(c == 't'); return literal(r, c == 't' ? "true" : "false");
    case '[': return set(r, NULL, out);
    case '{': return record(r, NULL, out);
    default: {
        int64_t l;
        if (!integer(r, &l)) return false; /* null, reals, bad syntax */
        *out = cd_long(l);
        return true;
    }
    }
}

/* ---- entities' attributes and tags --------------------------------------- */

bool cd_jd_entity_record(cd_jd *r, const cd_entity_decl *d, bool tags, cd_record *out)
{
    if (d && tags && !d->tags) return false;
    rec_ctx c = {.decl = d, .entity = true, .tags = tags};
    return enter(r, '{') && members(r, record_member, &c) && make_record(r, c.n, out);
}
