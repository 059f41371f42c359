/* cd_entities_read.c: step 1 of entity loading (cd_entities.c) straight from
 * the JSON text into the store's arena, without a jansson tree.
 *
 * It reads the common forms only: each entity an object with the keys `uid`,
 * `attrs`, `parents` and optionally `tags` (`uid` first when there is a
 * schema), uids written {"type": T, "id": I} or {"__entity": {...}}, values
 * that are strings, integers, booleans, arrays, records, uid escapes and
 * constructor calls {"__extn": {"fn": F, "arg": A}} (where an extension type
 * is declared, also {"fn": F, "arg": A}); with a schema, the
 * declared types of entity, extension, set and record attributes. On anything
 * else (another form, an error of any kind) it gives up, and the loader reads
 * the whole document again through jansson (cd_json_parse_elements and
 * cd_json_value.c), whose messages and locations are the reference. So this
 * reader only has to build what that path builds for the documents it
 * accepts, and to accept nothing that path rejects: every rule below that
 * gives up where jansson's path would not is on the safe side.
 *
 * Requests (cd_request_read_uids, cd_request_read_context) are read the same
 * way, for cedar_request_parse_json and DRT, their contexts by the value
 * reader below.
 */
#include <string.h>

#include "cd_ext.h"
#include "cd_json_impl.h"
#include "cd_stack.h"

/* Reader state over text s[0..n). */
typedef struct rd {
    const char *s;
    size_t n, i;
    unsigned depth; /* of the container being read (the top array: 1) */
    const cd_schema *schema;
    cd_arena *arena;
    const cd_name **last_type;
    cd_str cur; /* the last string read: in the text, or in str when decoded */
    cd_buf str;
    cd_vec vals; /* cd_value: a stack of the items of open sets and records */
    cd_vec keys; /* cd_str: the keys of open records */
    cd_vec uids; /* cd_uid: the parents being read */
    /* Record keys read so far (a bounded table, see key_copy): the same
     * attribute names share one copy, and a record whose sorted keys are
     * the previous record's shares that array (last_keys). */
    cd_str ktab[256];
    const cd_str *last_keys;
    size_t last_n;
} rd;

/* The reader's scratch: decoded strings, open containers, parents. */
static void scratch_init(rd *r)
{
    cd_buf_init(&r->str);
    cd_vec_init(&r->vals, sizeof(cd_value));
    cd_vec_init(&r->keys, sizeof(cd_str));
    cd_vec_init(&r->uids, sizeof(cd_uid));
}

static void scratch_free(rd *r)
{
    cd_buf_free(&r->str);
    cd_vec_free(&r->vals);
    cd_vec_free(&r->keys);
    cd_vec_free(&r->uids);
}

bool cd_entities_read_direct = true;

static void ws(rd *r)
{
    while (r->i < r->n) {
        char c = r->s[r->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
        r->i++;
    }
}

/* The next significant character is c: consume it. */
static bool eat(rd *r, char c)
{
    ws(r);
    if (r->i < r->n && r->s[r->i] == c) {
        r->i++;
        return true;
    }
    return false;
}

static char peek(rd *r)
{
    ws(r);
    return r->i < r->n ? r->s[r->i] : 0;
}

/* Open a container (deeper than CD_ENTITIES_DIRECT_MAX_NESTING, or when the
 * stack runs low (cd_stack.h): give up, the jansson path reads it, or says
 * where it is too deep); close it. */
static bool enter(rd *r, char c)
{
    if (peek(r) != c || r->depth >= CD_ENTITIES_DIRECT_MAX_NESTING || cd_stack_low()) return false;
    r->i++;
    r->depth++;
    return true;
}

static void leave(rd *r)
{
    r->depth--;
}

/* After an item: `,` (more follow, *more) or the closing character. */
static bool next(rd *r, char close, bool *more)
{
    if (eat(r, ',')) return *more = true;
    *more = false;
    return eat(r, close);
}

/* A slot on one of the stacks; not zeroed (the caller writes it whole). */
static inline void *push(cd_vec *v)
{
    if (v->len == v->cap) { /* cd_vec_push grows the vec (and zeroes a slot) */
        cd_vec_push(v);
        v->len--;
    }
    return (char *)v->items + v->elem * v->len++;
}

/* A string into r->cur: plain ASCII without escapes is not copied. */
static bool string(rd *r)
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

/* An object key and its colon. */
static bool key(rd *r)
{
    return string(r) && eat(r, ':');
}

static bool str_is(const rd *r, const char *lit)
{
    size_t n = strlen(lit);
    return r->cur.len == n && memcmp(r->cur.ptr, lit, n) == 0;
}

static cd_str str_copy(rd *r)
{
    return cd_arena_str(r->arena, r->cur.ptr, r->cur.len);
}

/* An integer in the 64-bit signed range; reals, -0 and larger numbers (not
 * Cedar longs) give up. */
static bool integer(rd *r, int64_t *out)
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

static bool literal(rd *r, const char *w)
{
    size_t n = strlen(w);
    if (r->n - r->i < n || memcmp(r->s + r->i, w, n) != 0) return false;
    r->i += n;
    return true;
}

/* ---- objects ------------------------------------------------------------- */

/* The members of an object whose `{` was read: for each, member() reads the
 * value of the key in r->cur (false: give up); then the object is left.
 * Every object of the format is read this way, each kind by its member(). */
typedef bool member_fn(rd *r, void *ctx);

static inline bool members(rd *r, member_fn *member, void *ctx)
{
    bool more;
    if (eat(r, '}')) {
        leave(r);
        return true;
    }
    do {
        if (!key(r) || !member(r, ctx) || !next(r, '}', &more)) return false;
    } while (more);
    leave(r);
    return true;
}

/* ---- uids -------------------------------------------------------------- */

/* The type name in r->cur, interned as cd_jread_uid interns it. */
static bool uid_type(rd *r, const cd_name **out)
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

static bool uid(rd *r, bool escape, cd_uid *out);

static bool uid_member(rd *r, void *ctx)
{
    uid_ctx *u = ctx;
    if (u->escape && !u->have_type && !u->have_id && str_is(r, "__entity")) {
        u->have_type = u->have_id = true;
        return uid(r, false, u->out) && peek(r) == '}'; /* the escape's only key */
    }
    if (!u->have_type && str_is(r, "type")) {
        u->have_type = true;
        return string(r) && uid_type(r, &u->out->type);
    }
    if (!u->have_id && str_is(r, "id")) {
        u->have_id = true;
        if (!string(r)) return false;
        u->out->id = str_copy(r);
        return true;
    }
    return false;
}

/* {"type": T, "id": I} exactly, or (escape) {"__entity": {"type": T, "id": I}}. */
static bool uid(rd *r, bool escape, cd_uid *out)
{
    uid_ctx u = {out, escape, false, false};
    if (!enter(r, '{') || !members(r, uid_member, &u) || !u.have_type || !u.have_id) return false;
    out->hash = 0;
    out->hash = cd_uid_hash(out); /* cached, as cd_jread_uid does */
    return true;
}

/* ---- values ------------------------------------------------------------ */

static bool value(rd *r, const cd_type *t, cd_value *out);

/* The top n items of the value stack, moved into the arena. */
static cd_value *pop_vals(rd *r, size_t n)
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
static cd_str key_copy(rd *r)
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
static bool make_record(rd *r, size_t n, cd_record *out)
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
static bool call_args(rd *r, call_ctx *c)
{
    static const cd_type kinds[2] = {{.kind = CD_T_EXT, .u.ext = CD_EXT_DATETIME},
                                     {.kind = CD_T_EXT, .u.ext = CD_EXT_DURATION}};
    /* typed, the function must be known first */
    if (c->typed && (!c->fn.ptr || c->f != CD_FN_OFFSET)) return false;
    if (!enter(r, '[')) return false;
    bool more = !eat(r, ']');
    while (more) {
        if (c->n == 2 || !value(r, c->typed ? &kinds[c->n] : NULL, &c->args[c->n]) ||
            !next(r, ']', &more))
            return false;
        c->n++;
    }
    leave(r);
    return true;
}

static bool call_member(rd *r, void *ctx)
{
    call_ctx *c = ctx;
    if (!c->fn.ptr && str_is(r, "fn")) {
        if (!string(r)) return false;
        c->fn = str_copy(r);
        /* a function or a method, as lookup_fn in cd_json_value.c */
        return cd_extfn_lookup(c->fn, false, &c->f) || cd_extfn_lookup(c->fn, true, &c->f);
    }
    /* one of arg and args (jansson's path ignores args next to arg) */
    if (!c->have_arg && !c->have_args && str_is(r, "arg")) {
        c->have_arg = true;
        c->n = 1;
        return value(r, NULL, &c->args[0]);
    }
    if (!c->have_arg && !c->have_args && str_is(r, "args")) {
        c->have_args = true;
        return call_args(r, c);
    }
    return false;
}

/* {"fn": F, "arg": A} with F a constructor, or {"fn": "offset", "args": [D,
 * E]}: its value. typed: where an extension type is declared. */
static bool ext_call(rd *r, bool typed, cd_value *out)
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
static bool first_key_is(rd *r, bool implicit)
{
    size_t at = r->i;
    unsigned depth = r->depth;
    bool is = enter(r, '{') && key(r) &&
              (implicit ? str_is(r, "fn") || str_is(r, "arg") : str_is(r, "__extn"));
    r->i = at;
    r->depth = depth;
    return is;
}

static bool implicit_call(rd *r)
{
    return first_key_is(r, true);
}

static bool escaped_call(rd *r)
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
static bool escape_key(const rd *r)
{
    return str_is(r, "__entity") || str_is(r, "__extn") || str_is(r, "__expr");
}

/* The escape {"__entity": ...} or {"__extn": ...}, when untyped: the
 * object's only key. */
static bool escape(rd *r, rec_ctx *c)
{
    if (c->n || c->rt || peek(r) != '{') return false;
    c->escaped = true;
    if (str_is(r, "__entity")) {
        cd_uid u;
        if (!uid(r, false, &u)) return false;
        c->escape = cd_entityv(u);
    } else if (!str_is(r, "__extn") || !ext_call(r, false, &c->escape)) {
        return false;
    }
    return peek(r) == '}';
}

static bool record_member(rd *r, void *ctx)
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
    if (!value(r, t, &v)) return false;
    *(cd_value *)push(&r->vals) = v;
    c->n++;
    return true;
}

/* An object as a record; typed by rt when not NULL (every key declared, the
 * required ones present). */
static bool record(rd *r, const cd_record_type *rt, cd_value *out)
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

static bool set(rd *r, const cd_type *elem, cd_value *out)
{
    if (!enter(r, '[')) return false;
    size_t n = 0;
    if (eat(r, ']')) {
        leave(r);
    } else {
        bool more;
        do {
            cd_value v;
            if (!value(r, elem, &v)) return false;
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
static bool value(rd *r, const cd_type *t, cd_value *out)
{
    char c = peek(r);
    if (t && t->kind == CD_T_ENTITY) {
        cd_uid u;
        if (!uid(r, true, &u)) return false;
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
        if (c != '"') return value(r, NULL, out) && out->kind == CD_V_EXT;
        static const cd_extfn ctor[] = {[CD_EXT_DECIMAL] = CD_FN_DECIMAL,
                                        [CD_EXT_IPADDR] = CD_FN_IP,
                                        [CD_EXT_DATETIME] = CD_FN_DATETIME,
                                        [CD_EXT_DURATION] = CD_FN_DURATION};
        const char *msg;
        cd_value arg;
        return value(r, NULL, &arg) &&
               cd_ext_call(ctor[t->u.ext], &arg, 1, out, r->arena, &msg) == CD_EXT_OK;
    }
    if (t && t->kind == CD_T_SET) return set(r, t->u.elem, out);
    if (t && t->kind == CD_T_RECORD) return record(r, &t->u.rec, out);
    switch (c) {
    case '"':
        if (!string(r)) return false;
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

/* ---- entities ---------------------------------------------------------- */

/* `attrs` or `tags` (read_map in cd_entities.c). */
static bool map(rd *r, const cd_entity_decl *d, bool tags, cd_record *out)
{
    if (d && tags && !d->tags) return false;
    rec_ctx c = {.decl = d, .entity = true, .tags = tags};
    return enter(r, '{') && members(r, record_member, &c) && make_record(r, c.n, out);
}

static bool parents(rd *r, cd_entity *e)
{
    if (!enter(r, '[')) return false;
    r->uids.len = 0;
    bool more = false;
    if (!eat(r, ']')) do {
            cd_uid *u = push(&r->uids);
            if (!uid(r, true, u) || !next(r, ']', &more)) return false;
        } while (more);
    leave(r);
    size_t n = r->uids.len;
    static const cd_uid none[1];
    e->parents = none; /* no allocation for no parents (a million roots: 32 MB) */
    e->n_parents = 0;
    if (n) {
        cd_uid *items = CD_NEW_ARRAY_RAW(r->arena, cd_uid, n);
        memcpy(items, r->uids.items, n * sizeof *items);
        e->parents = items;
        e->n_parents = cd_uids_sort_unique(items, n);
    }
    return true;
}

typedef struct ent_ctx {
    cd_entity *e;
    const cd_entity_decl *d;
    unsigned seen;
} ent_ctx;

/* One field of an entity. */
static bool entity_member(rd *r, void *ctx)
{
    enum { UID = 1, ATTRS = 2, PARENTS = 4, TAGS = 8 };
    ent_ctx *c = ctx;
    unsigned field = str_is(r, "uid")       ? UID
                     : str_is(r, "attrs")   ? ATTRS
                     : str_is(r, "parents") ? PARENTS
                     : str_is(r, "tags")    ? TAGS
                                            : 0;
    if (!field || (c->seen & field)) return false;
    /* with a schema, attributes are read by the uid's type */
    if ((field & (ATTRS | TAGS)) && r->schema && !(c->seen & UID)) return false;
    c->seen |= field;
    switch (field) {
    case UID:
        if (!uid(r, true, &c->e->uid)) return false;
        if (r->schema && !cd_is_action_type(c->e->uid.type)) {
            c->d = cd_schema_entity(r->schema, c->e->uid.type);
            return c->d != NULL;
        }
        return true;
    case ATTRS: return map(r, c->d, false, &c->e->attrs);
    case TAGS: return map(r, c->d, true, &c->e->tags);
    default: return parents(r, c->e);
    }
}

/* One element: {"uid": ..., "attrs": ..., "parents": ...[, "tags": ...]}. */
static bool entity(rd *r, cd_entity *e)
{
    ent_ctx c = {e, NULL, 0};
    if (!enter(r, '{') || !members(r, entity_member, &c)) return false;
    if ((c.seen & 7) != 7) return false; /* uid, attrs and parents */
    /* an action's parents must be actions */
    for (size_t k = 0; k < e->n_parents && cd_is_action_type(e->uid.type); k++)
        if (!cd_is_action_type(e->parents[k].type)) return false;
    return true;
}

bool cd_entities_read(const char *text, size_t len, const cd_schema *schema, cd_arena *arena,
                      const cd_name **last_type, cd_vec *entities, cd_vec *offsets)
{
    if (!text || !cd_entities_read_direct) return false;
    rd r = {.s = text, .n = len, .schema = schema, .arena = arena, .last_type = last_type};
    scratch_init(&r);
    bool ok = enter(&r, '['), more = false;
    if (ok && !eat(&r, ']')) do {
            ws(&r);
            *(size_t *)cd_vec_push(offsets) = r.i;
            ok = entity(&r, cd_vec_push(entities)) && next(&r, ']', &more);
        } while (ok && more);
    ws(&r);
    ok = ok && r.i == r.n;
    scratch_free(&r);
    return ok;
}

/* ---- requests ---------------------------------------------------------- */

enum { RQ_PRINCIPAL = 1, RQ_ACTION = 2, RQ_RESOURCE = 4, RQ_CONTEXT = 8, RQ_VALIDATE = 16 };

/* The string in r->cur kept in q->buf; its offset there. */
static size_t keep(cd_request_text *q, const rd *r)
{
    size_t at = q->buf.len;
    cd_buf_put(&q->buf, r->cur.ptr, r->cur.len);
    return at;
}

/* The uid (principal, action or resource: i) as a string holding it, kept
 * whole in type_at and type_len (the caller splits it). */
static bool cli_uid(rd *r, cd_request_text *q, int i)
{
    if (!string(r)) return false;
    q->type_at[i] = keep(q, r);
    q->type_len[i] = r->cur.len;
    return true;
}

/* A member of the type-and-id object of a uid (uid_member's forms). */
typedef struct rq_uid_ctx {
    cd_request_text *q;
    int i;
    bool escape, have_type, have_id;
} rq_uid_ctx;

static bool test_uid(rd *r, cd_request_text *q, int i, bool escape);

static bool rq_uid_member(rd *r, void *ctx)
{
    rq_uid_ctx *u = ctx;
    cd_request_text *q = u->q;
    if (u->escape && !u->have_type && !u->have_id && str_is(r, "__entity")) {
        u->have_type = u->have_id = true;
        return test_uid(r, q, u->i, false) && peek(r) == '}'; /* the escape's only key */
    }
    if (!u->have_type && str_is(r, "type")) {
        u->have_type = true;
        if (!string(r)) return false;
        /* a name this thread has interned for a request was checked then */
        if (!cd_name_cached(r->cur.ptr, r->cur.len) && !cd_valid_name(r->cur.ptr, r->cur.len))
            return false;
        q->type_at[u->i] = keep(q, r);
        q->type_len[u->i] = r->cur.len;
        return true;
    }
    if (!u->have_id && str_is(r, "id")) {
        u->have_id = true;
        if (!string(r)) return false;
        q->id_at[u->i] = keep(q, r);
        q->id_len[u->i] = r->cur.len;
        return true;
    }
    return false;
}

/* The uid i as {"type": T, "id": I}, or (escape) {"__entity": {...}}. */
static bool test_uid(rd *r, cd_request_text *q, int i, bool escape)
{
    rq_uid_ctx u = {q, i, escape, false, false};
    return enter(r, '{') && members(r, rq_uid_member, &u) && u.have_type && u.have_id;
}

/* One member of the request object; at `context`, stop before its value
 * (false, with q->seen recording it). */
static bool request_member(rd *r, void *ctx)
{
    cd_request_text *q = ctx;
    unsigned field = str_is(r, "principal")                    ? RQ_PRINCIPAL
                     : str_is(r, "action")                     ? RQ_ACTION
                     : str_is(r, "resource")                   ? RQ_RESOURCE
                     : str_is(r, "context")                    ? RQ_CONTEXT
                     : !q->cli && str_is(r, "validateRequest") ? RQ_VALIDATE
                                                               : 0;
    /* a repeated key gives up: jansson's path keeps the last */
    if (!field || (q->seen & field)) return false;
    q->seen |= field;
    if (field == RQ_CONTEXT) return false;
    if (field == RQ_VALIDATE) {
        char c = peek(r);
        q->validate = c == 't';
        return literal(r, c == 't' ? "true" : "false");
    }
    int i = field == RQ_PRINCIPAL ? 0 : field == RQ_ACTION ? 1 : 2;
    return q->cli ? cli_uid(r, q, i) : test_uid(r, q, i, true);
}

/* The members from r->i on, up to the context's value or the end. */
static bool request_members(rd *r, cd_request_text *q)
{
    bool more = !eat(r, '}');
    while (more) {
        if (!key(r) || !request_member(r, q)) {
            if (!(q->seen & RQ_CONTEXT) || q->context_at) return false;
            ws(r);
            q->context_at = r->i; /* the context's value is next */
            return true;
        }
        if (!next(r, '}', &more)) return false;
    }
    ws(r);
    return r->i == r->n; /* nothing after the object */
}

bool cd_request_read_uids(cd_request_text *q)
{
    rd r = {.s = q->text, .n = q->len};
    cd_buf_init(&r.str);
    q->seen = 0;
    q->context_at = 0;
    q->validate = false;
    bool ok = q->text && enter(&r, '{') && request_members(&r, q) &&
              (q->seen & (RQ_PRINCIPAL | RQ_ACTION | RQ_RESOURCE)) ==
                  (RQ_PRINCIPAL | RQ_ACTION | RQ_RESOURCE);
    cd_buf_free(&r.str);
    return ok;
}

bool cd_request_read_context(cd_request_text *q, const cd_type *t, cd_arena *arena, cd_value *out)
{
    const cd_name *last_type = NULL;
    rd r = {.s = q->text,
            .n = q->len,
            .i = q->context_at,
            .depth = 1,
            .arena = arena,
            .last_type = &last_type};
    scratch_init(&r);
    /* the context is a record (not an escape), then the members after it */
    bool more;
    bool ok = value(&r, t, out) && out->kind == CD_V_RECORD && next(&r, '}', &more);
    while (ok && more)
        ok = key(&r) && request_member(&r, q) && next(&r, '}', &more);
    ws(&r);
    ok = ok && r.i == r.n;
    scratch_free(&r);
    return ok;
}
