/* cd_schema.c: what both schema formats share once they are read: name
 * resolution, the well-formedness checks, common-type inlining and the
 * finished schema's lookup tables. Which names are valid, and how a type is
 * printed, are in cd_schema_names.c.
 *
 * The rules follow the official implementation (validator/schema.rs,
 * schema/namespace_def.rs, schema/raw_name.rs):
 *  - a type name written with `::` means exactly that name; an unqualified
 *    name X inside namespace NS means NS::X if that is declared, otherwise X
 *    in the empty namespace; at each candidate a common type is preferred to
 *    an entity type;
 *  - Bool, Long, String and the extension types are common types in the
 *    reserved `__cedar` namespace, aliased into the empty namespace unless the
 *    user declares that name there;
 *  - each namespace's `Action` type counts as a declared entity type for type
 *    references, but not for memberOfTypes or appliesTo;
 *  - a declaration in the empty namespace may not share its basename with one
 *    in a named namespace (RFC 70), likewise for action ids;
 *  - common types may not form cycles, shapes and contexts must be records,
 *    the action hierarchy must be acyclic.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_schema_int.h"

/* A qualified name (with `::`). */
static bool has_colons(cd_str s)
{
    for (size_t i = 0; i + 1 < s.len; i++)
        if (s.ptr[i] == ':' && s.ptr[i + 1] == ':') return true;
    return false;
}

/* ---- raw schema and errors ------------------------------------------------ */

void cd_rschema_init(cd_rschema *rs, const char *text, size_t len, const char *file)
{
    memset(rs, 0, sizeof *rs);
    rs->arena = cd_arena_new();
    rs->text = text;
    rs->len = len;
    rs->file = file;
    cd_vec_init(&rs->nss, sizeof(cd_rns));
    cd_vec_init(&rs->entities, sizeof(cd_rentity));
    cd_vec_init(&rs->actions, sizeof(cd_raction));
    cd_vec_init(&rs->commons, sizeof(cd_rcommon));
}

void cd_rschema_free(cd_rschema *rs)
{
    cd_vec_free(&rs->nss);
    cd_vec_free(&rs->entities);
    cd_vec_free(&rs->actions);
    cd_vec_free(&rs->commons);
    cd_arena_free(rs->arena);
    rs->arena = NULL;
}

bool cd_schema_err(const cd_rschema *rs, cd_err *err, cd_src src, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cd_arena_vprintf(rs->arena, fmt, ap);
    va_end(ap);
    cd_loc loc = cd_loc_of_offset(rs->text, rs->len, src.off);
    if (src.jp) {
        cd_buf b;
        cd_buf_init(&b);
        cd_schema_json_path_print(&b, src.jp);
        cd_err_set(err, loc, "%s (at `%s`)", msg, cd_buf_cstr(&b));
        cd_buf_free(&b);
    } else {
        cd_err_set(err, loc, "%s", msg);
    }
    if (err) err->file = rs->file;
    return false;
}

/* ---- hash tables (scratch, heap) ------------------------------------------ */

enum { DEF_ENTITY = 1, DEF_ACTION_TYPE = 2, DEF_COMMON = 4 };

/* Everything declared under one fully qualified name. */
typedef struct def {
    const cd_name *name; /* NULL: empty slot */
    unsigned flags;
    long common;            /* index of the user common type, or -1 */
    const cd_type *builtin; /* a primitive / extension common type */
    const cd_type *etype;   /* the entity type, built on first use */
    size_t entity;          /* index of the entity declaration */
    uint32_t mark;          /* for de-duplicating lists */
} def;

typedef struct deftab {
    cd_arena *a; /* the resolver's scratch arena */
    def *slots;
    size_t cap, n;
} deftab;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) abort(); /* as cd_arena does: out of memory is fatal */
    return p;
}

/* h is cd_hash_bytes(p, n, 0): an interned name carries it. */
static def *def_find_hashed(const deftab *t, const char *p, size_t n, uint64_t h)
{
    if (!t->cap) return NULL;
    for (size_t j = h & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
        def *d = &t->slots[j];
        if (!d->name) return NULL;
        if (d->name->hash == h && d->name->len == n && memcmp(d->name->text, p, n) == 0) return d;
    }
}

static def *def_find(const deftab *t, const char *p, size_t n)
{
    return t->cap ? def_find_hashed(t, p, n, cd_hash_bytes(p, n, 0)) : NULL;
}

/* The slot for name, created empty when absent. Invalidates earlier pointers. */
static def *def_add(deftab *t, const cd_name *name)
{
    def *d = def_find_hashed(t, name->text, name->len, name->hash);
    if (d) return d;
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        def *s = CD_NEW_ARRAY(t->a, def, cap);
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i].name) continue;
            size_t j = t->slots[i].name->hash & (cap - 1);
            while (s[j].name)
                j = (j + 1) & (cap - 1);
            s[j] = t->slots[i];
        }
        t->slots = s; /* the old slots stay in the scratch arena */
        t->cap = cap;
    }
    size_t j = name->hash & (t->cap - 1);
    while (t->slots[j].name)
        j = (j + 1) & (t->cap - 1);
    d = &t->slots[j];
    memset(d, 0, sizeof *d);
    d->name = name;
    d->common = -1;
    t->n++;
    return d;
}

/* A set of byte strings (for the shadowing checks), in a scratch arena. */
typedef struct strset {
    cd_arena *a;
    cd_str *slots;
    size_t cap, n;
} strset;

static bool strset_has(const strset *t, cd_str s)
{
    if (!t->cap) return false;
    for (size_t j = cd_hash_bytes(s.ptr, s.len, 1) & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
        if (!t->slots[j].ptr) return false;
        if (cd_str_eq(t->slots[j], s)) return true;
    }
}

static void strset_add(strset *t, cd_str s)
{
    if (strset_has(t, s)) return;
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        cd_str *n = CD_NEW_ARRAY(t->a, cd_str, cap);
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i].ptr) continue;
            size_t j = cd_hash_bytes(t->slots[i].ptr, t->slots[i].len, 1) & (cap - 1);
            while (n[j].ptr)
                j = (j + 1) & (cap - 1);
            n[j] = t->slots[i];
        }
        t->slots = n;
        t->cap = cap;
    }
    size_t j = cd_hash_bytes(s.ptr, s.len, 1) & (t->cap - 1);
    while (t->slots[j].ptr)
        j = (j + 1) & (t->cap - 1);
    t->slots[j] = s.ptr ? s : (cd_str){"", 0};
    t->n++;
}

/* Index tables over an array of uids or names: slots hold index + 1. */
static uint64_t uid_hash(const cd_name *type, cd_str id)
{
    return cd_hash_bytes(id.ptr, id.len, type->hash);
}

static size_t table_cap(size_t n)
{
    size_t cap = 16;
    while (cap < n * 2 + 1)
        cap *= 2;
    return cap;
}

/* ---- the finished schema's index ------------------------------------------ */

typedef struct schema_index {
    size_t ecap;
    uint32_t *eslots; /* entity declarations by name */
    size_t acap;
    uint32_t *aslots; /* actions by uid */
    size_t tcap;
    const cd_name **tslots; /* action entity types */
} schema_index;

static size_t action_find(const cd_action_decl *acts, const uint32_t *slots, size_t cap,
                          const cd_name *type, cd_str id)
{
    for (size_t j = uid_hash(type, id) & (cap - 1);; j = (j + 1) & (cap - 1)) {
        uint32_t k = slots[j];
        if (!k) return SIZE_MAX;
        const cd_uid *u = &acts[k - 1].uid;
        if (u->type == type && cd_str_eq(u->id, id)) return k - 1;
    }
}

const cd_entity_decl *cd_schema_entity(const cd_schema *s, const cd_name *type)
{
    const schema_index *ix = s ? s->index : NULL;
    if (!ix || !type) return NULL;
    for (size_t j = type->hash & (ix->ecap - 1);; j = (j + 1) & (ix->ecap - 1)) {
        uint32_t k = ix->eslots[j];
        if (!k) return NULL;
        if (s->entities[k - 1].name == type) return &s->entities[k - 1];
    }
}

const cd_action_decl *cd_schema_action(const cd_schema *s, const cd_uid *uid)
{
    const schema_index *ix = s ? s->index : NULL;
    if (!ix || !uid || !uid->type) return NULL;
    size_t i = action_find(s->actions, ix->aslots, ix->acap, uid->type, uid->id);
    return i == SIZE_MAX ? NULL : &s->actions[i];
}

bool cd_schema_is_action_type(const cd_schema *s, const cd_name *type)
{
    const schema_index *ix = s ? s->index : NULL;
    if (!ix || !type) return false;
    for (size_t j = type->hash & (ix->tcap - 1);; j = (j + 1) & (ix->tcap - 1)) {
        if (!ix->tslots[j]) return false;
        if (ix->tslots[j] == type) return true;
    }
}

void cd_schema_free(cd_schema *s)
{
    if (s) cd_arena_free(s->arena); /* s itself lives in its arena */
}

const cd_attr_type *cd_record_type_get(const cd_record_type *r, cd_str name)
{
    return cd_str_search(r->attrs, r->n, sizeof *r->attrs, name);
}

bool cd_schema_enum_has(const cd_entity_decl *d, cd_str id)
{
    return d->is_enum &&
           cd_str_search(d->enum_sorted, d->n_enum_sorted, sizeof *d->enum_sorted, id) != NULL;
}

/* ---- resolution ----------------------------------------------------------- */

static const cd_type T_BOOL = {.kind = CD_T_BOOL};
static const cd_type T_LONG = {.kind = CD_T_LONG};
static const cd_type T_STRING = {.kind = CD_T_STRING};
static const cd_type T_DECIMAL = {.kind = CD_T_EXT, .u.ext = CD_EXT_DECIMAL};
static const cd_type T_IPADDR = {.kind = CD_T_EXT, .u.ext = CD_EXT_IPADDR};
static const cd_type T_DATETIME = {.kind = CD_T_EXT, .u.ext = CD_EXT_DATETIME};
static const cd_type T_DURATION = {.kind = CD_T_EXT, .u.ext = CD_EXT_DURATION};
static const cd_type T_EMPTY_RECORD = {.kind = CD_T_RECORD};

static const struct {
    const char *name, *qualified; /* X and __cedar::X */
    const cd_type *type;
} builtins[] = {
#define BUILTIN(x, t)                                                                              \
    {                                                                                              \
        x, "__cedar::" x, t                                                                        \
    }
    BUILTIN("Bool", &T_BOOL),         BUILTIN("Long", &T_LONG),
    BUILTIN("String", &T_STRING),     BUILTIN("ipaddr", &T_IPADDR),
    BUILTIN("decimal", &T_DECIMAL),   BUILTIN("datetime", &T_DATETIME),
    BUILTIN("duration", &T_DURATION),
#undef BUILTIN
};

static const cd_type *extension_type(cd_str name)
{
    for (size_t i = 3; i < sizeof builtins / sizeof builtins[0]; i++)
        if (cd_str_eq_c(name, builtins[i].name)) return builtins[i].type;
    return NULL;
}

/* What conv measures of a type: its nesting (records and sets on the deepest
 * path) and its size (nodes, common types expanded; saturating). */
typedef struct tsize {
    int depth;
    uint64_t nodes;
} tsize;

typedef struct rctx {
    const cd_rschema *rs;
    cd_err *err;
    cd_arena *out;     /* the schema's arena */
    cd_arena *scratch; /* what only resolving needs, freed at its end */
    deftab defs;
    const cd_rns *nss;
    const cd_rentity *rents;
    const cd_raction *racts;
    const cd_rcommon *rcoms;
    size_t n_nss, n_ents, n_acts, n_coms;
    const cd_name **ns_action_type; /* per namespace: NS::Action */
    cd_uid *uids;                   /* per action */
    uint32_t *aslots;               /* actions by uid (index + 1) */
    size_t acap;
    const cd_type **ctypes; /* per user common type, once converted */
    tsize *cdepth;          /* per user common type: its nesting and size (see conv) */
    enum { IN_COMMON, IN_ENTITY, IN_ACTION } in; /* the declaration being converted */
    size_t in_index;                             /* (for messages) */
    cd_buf tmp;
    uint32_t stamp;
} rctx;

static const cd_name *qualify(rctx *c, size_t ns, cd_str name)
{
    const cd_rns *n = &c->nss[ns];
    if (!n->has_name) return cd_name_intern(c->out, name.ptr, name.len);
    c->tmp.len = 0;
    cd_buf_put(&c->tmp, n->name.ptr, n->name.len);
    cd_buf_puts(&c->tmp, "::");
    cd_buf_put(&c->tmp, name.ptr, name.len);
    return cd_name_intern(c->out, c->tmp.data, c->tmp.len);
}

static bool fail(rctx *c, cd_src src, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(rctx *c, cd_src src, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cd_arena_vprintf(c->rs->arena, fmt, ap);
    va_end(ap);
    return cd_schema_err(c->rs, c->err, src, "%s", msg);
}

/* A quoted string (an action id) for a message. */
static const char *show(rctx *c, cd_str s)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_print_quoted(&b, s);
    const char *r = cd_arena_str(c->rs->arena, b.data, b.len).ptr;
    cd_buf_free(&b);
    return r;
}

static const char *show_raw(rctx *c, cd_str s)
{
    return cd_arena_str(c->rs->arena, s.ptr, s.len).ptr;
}

enum { WANT_COMMON = 1, WANT_ENTITY = 2 };

/* Resolve a type reference written as `raw` inside namespace ns. On success
 * *out is its definition and *as_common tells which kind it resolved to. */
static bool resolve(rctx *c, size_t ns, cd_str raw, int want, cd_src src, def **out,
                    bool *as_common)
{
    const char *cand[2];
    size_t candlen[2];
    int n = 0;
    const cd_rns *N = &c->nss[ns];
    c->tmp.len = 0;
    if (!has_colons(raw) && N->has_name) {
        cd_buf_put(&c->tmp, N->name.ptr, N->name.len);
        cd_buf_puts(&c->tmp, "::");
        cd_buf_put(&c->tmp, raw.ptr, raw.len);
        cand[n] = NULL; /* c->tmp.data, which may move while growing */
        candlen[n++] = c->tmp.len;
    }
    cand[n] = raw.ptr;
    candlen[n++] = raw.len;
    if (n == 2) cand[0] = c->tmp.data;
    for (int i = 0; i < n; i++) {
        def *d = def_find(&c->defs, cand[i], candlen[i]);
        if (!d) continue;
        if ((want & WANT_COMMON) && (d->flags & DEF_COMMON)) {
            *out = d;
            *as_common = true;
            return true;
        }
        if ((want & WANT_ENTITY) && (d->flags & (DEF_ENTITY | DEF_ACTION_TYPE))) {
            *out = d;
            *as_common = false;
            return true;
        }
    }
    const char *what = want == WANT_COMMON   ? "as a common type"
                       : want == WANT_ENTITY ? "as an entity type"
                                             : "as a common or entity type";
    if (n == 1)
        return fail(c, src, "failed to resolve type `%s`: it has not been declared %s",
                    show_raw(c, raw), what);
    return fail(c, src, "failed to resolve type `%s`: neither `%.*s` nor `%s` has been declared %s",
                show_raw(c, raw), (int)candlen[0], cand[0], show_raw(c, raw), what);
}

/* Resolve the name of a reference rt (CD_RT_ENTITY, CD_RT_COMMON, or
 * CD_RT_EOC: either, a common type first) as resolve does. */
static bool resolve_ref(rctx *c, size_t ns, const cd_rtype *rt, def **out, bool *as_common)
{
    int want = rt->kind == CD_RT_ENTITY   ? WANT_ENTITY
               : rt->kind == CD_RT_COMMON ? WANT_COMMON
                                          : WANT_COMMON | WANT_ENTITY;
    return resolve(c, ns, rt->name, want, rt->src, out, as_common);
}

static const cd_type *entity_type_of(rctx *c, def *d)
{
    if (!d->etype) {
        cd_type *t = CD_NEW(c->out, cd_type);
        t->kind = CD_T_ENTITY;
        t->u.entity = d->name;
        d->etype = t;
    }
    return d->etype;
}

typedef struct attr_sort {
    cd_attr_type a;
    size_t pos;
} attr_sort;

static int attr_sort_cmp(const void *x, const void *y)
{
    const attr_sort *a = x, *b = y;
    int r = cd_str_cmp(a->a.name, b->a.name);
    if (r) return r;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* The nesting limit is passed at src, inside the declaration c->in. */
static void too_deep(rctx *c, cd_src src, bool size)
{
    const char *fmt =
        size ? "type too large: it expands to more than %d records, sets and values with common "
               "types inlined, in %s"
             : "types are nested too deeply (more than %d levels of records and sets) in %s";
    char *what;
    if (c->in == IN_COMMON) {
        const cd_rcommon *r = &c->rcoms[c->in_index];
        what = cd_arena_printf(c->rs->arena, "common type `%s`", qualify(c, r->ns, r->name)->text);
    } else if (c->in == IN_ENTITY) {
        const cd_rentity *r = &c->rents[c->in_index];
        what = cd_arena_printf(c->rs->arena, "entity type `%s`", qualify(c, r->ns, r->name)->text);
    } else {
        const cd_uid *u = &c->uids[c->in_index];
        what = cd_arena_printf(c->rs->arena, "the context of action `%s::%s`", u->type->text,
                               show(c, u->id));
    }
    fail(c, src, fmt, size ? CD_SCHEMA_MAX_TYPE_SIZE : CD_SCHEMA_MAX_TYPE_DEPTH, what);
}

/* Convert a raw type into a finished one: resolve names, inline common
 * types (already converted, see resolve_commons), sort record attributes.
 *
 * Limits: `level` is the number of records and sets around rt, and *size
 * gets rt's own nesting (records and sets on its deepest path) and size
 * (nodes), common types expanded. Common types are converted in dependency
 * order and both memoized (c->cdepth), so this recursion only follows the
 * written structure (itself bounded by the parsers): a chain of a million
 * common types costs one frame per link nowhere. Anything nesting deeper
 * than CD_SCHEMA_MAX_TYPE_DEPTH or larger than CD_SCHEMA_MAX_TYPE_SIZE is an
 * error at the place the limit is passed, so every later walk over types
 * (printing, the validator, conformance, the model's bridge) is bounded. */
static const cd_type *conv(rctx *c, size_t ns, const cd_rtype *rt, int level, tsize *size);

/* conv of a record with `additionalAttributes`: an error. */
__attribute__((noinline)) static const cd_type *open_record(rctx *c, const cd_rtype *rt)
{
    fail(c, rt->src,
         "records and entities with `additionalAttributes` are not supported "
         "(an experimental feature of Cedar)");
    return NULL;
}

/* The rest of conv of a record: v holds its attributes' converted types in
 * declaration order (freed here), all their nesting and size. */
__attribute__((noinline)) static const cd_type *record_of(rctx *c, const cd_rtype *rt, attr_sort *v,
                                                          tsize all, tsize *size)
{
    for (size_t i = 0; i < rt->n_attrs; i++) {
        v[i].a.name = cd_arena_str(c->out, rt->attrs[i].name.ptr, rt->attrs[i].name.len);
        v[i].a.required = rt->attrs[i].required;
        v[i].pos = i;
    }
    qsort(v, rt->n_attrs, sizeof *v, attr_sort_cmp);
    /* duplicate names (text format only): the last declaration wins */
    cd_attr_type *attrs = CD_NEW_ARRAY(c->out, cd_attr_type, rt->n_attrs);
    size_t n = 0;
    for (size_t i = 0; i < rt->n_attrs; i++) {
        if (i + 1 < rt->n_attrs && cd_str_eq(v[i].a.name, v[i + 1].a.name)) continue;
        attrs[n++] = v[i].a;
    }
    free(v);
    cd_type *t = CD_NEW(c->out, cd_type);
    t->kind = CD_T_RECORD;
    t->u.rec.n = n;
    t->u.rec.attrs = attrs;
    *size = (tsize){all.depth + 1, all.nodes};
    return t;
}

/* conv of a type that is neither a set nor a record. */
__attribute__((noinline)) static const cd_type *conv_leaf(rctx *c, size_t ns, const cd_rtype *rt,
                                                          int level, tsize *size)
{
    switch (rt->kind) {
    case CD_RT_BOOL: return &T_BOOL;
    case CD_RT_LONG: return &T_LONG;
    case CD_RT_STRING: return &T_STRING;
    case CD_RT_EXT: {
        const cd_type *t = extension_type(rt->name);
        if (!t) fail(c, rt->src, "unknown extension type `%s`", show_raw(c, rt->name));
        return t;
    }
    case CD_RT_ENTITY:
    case CD_RT_COMMON:
    case CD_RT_EOC: {
        def *d = NULL;
        bool as_common = false;
        if (!resolve_ref(c, ns, rt, &d, &as_common)) return NULL;
        if (!as_common) return entity_type_of(c, d);
        if (d->common < 0) return d->builtin;
        *size = c->cdepth[d->common];
        if (level + size->depth > CD_SCHEMA_MAX_TYPE_DEPTH) {
            too_deep(c, rt->src, false);
            return NULL;
        }
        return c->ctypes[d->common];
    }
    default: return NULL;
    }
}

static const cd_type *conv(rctx *c, size_t ns, const cd_rtype *rt, int level, tsize *size)
{
    *size = (tsize){0, 1};
    if ((rt->kind == CD_RT_SET || rt->kind == CD_RT_RECORD) && level >= CD_SCHEMA_MAX_TYPE_DEPTH) {
        too_deep(c, rt->src, false);
        return NULL;
    }
    /* all but the recursion over sets and records apart (noinline), so that
     * this frame, one per level, stays small: nesting up to the limit fits a
     * 256 KB stack in a sanitized build too */
    if (rt->kind == CD_RT_RECORD) {
        if (rt->open) return open_record(c, rt);
        attr_sort *v = xcalloc(rt->n_attrs, sizeof *v);
        tsize all = {0, 1};
        for (size_t i = 0; i < rt->n_attrs; i++) {
            tsize d;
            const cd_type *at = conv(c, ns, rt->attrs[i].type, level + 1, &d);
            if (at && (all.nodes += d.nodes) > CD_SCHEMA_MAX_TYPE_SIZE) {
                too_deep(c, rt->attrs[i].type->src, true);
                at = NULL;
            }
            if (!at) {
                free(v);
                return NULL;
            }
            if (d.depth > all.depth) all.depth = d.depth;
            v[i].a.type = at;
        }
        return record_of(c, rt, v, all, size);
    }
    if (rt->kind != CD_RT_SET) return conv_leaf(c, ns, rt, level, size);
    tsize d;
    const cd_type *e = conv(c, ns, rt->elem, level + 1, &d);
    if (!e) return NULL;
    if (d.nodes + 1 > CD_SCHEMA_MAX_TYPE_SIZE) {
        too_deep(c, rt->src, true);
        return NULL;
    }
    cd_type *t = CD_NEW(c->out, cd_type);
    t->kind = CD_T_SET;
    t->u.elem = e;
    *size = (tsize){d.depth + 1, d.nodes + 1};
    return t;
}

/* Collect the user common types a raw type refers to (resolving every name,
 * so unresolvable references are reported here). */
static bool common_deps(rctx *c, size_t ns, const cd_rtype *rt, cd_vec *deps)
{
    switch (rt->kind) {
    case CD_RT_SET: return common_deps(c, ns, rt->elem, deps);
    case CD_RT_RECORD:
        for (size_t i = 0; i < rt->n_attrs; i++)
            if (!common_deps(c, ns, rt->attrs[i].type, deps)) return false;
        return true;
    case CD_RT_ENTITY:
    case CD_RT_COMMON:
    case CD_RT_EOC: {
        def *d = NULL;
        bool as_common = false;
        if (!resolve_ref(c, ns, rt, &d, &as_common)) return false;
        if (as_common && d->common >= 0) *(size_t *)cd_vec_push(deps) = (size_t)d->common;
        return true;
    }
    default: return true;
    }
}

/* Order the nodes 0..n-1 so that each comes after everything it depends on
 * (edges from[i] -> to[i]). Returns false when there is a cycle, with
 * *on_cycle set to a node on one. Iterative (Kahn), so long chains are fine. */
static bool topo_order(size_t n, const size_t *from, const size_t *to, size_t ne, size_t *order,
                       size_t *on_cycle)
{
    /* one zeroed block for the seven arrays (n and ne are bounded by the
     * schema's size, far from overflowing 5n + 2ne + 2) */
    size_t *all = xcalloc(5 * n + 2 * ne + 2, sizeof *all);
    size_t *ndeps = all;
    size_t *rstart = ndeps + n; /* reverse edges, CSR */
    size_t *rev = rstart + n + 1;
    size_t *fstart = rev + ne; /* forward edges, CSR */
    size_t *fwd = fstart + n + 1;
    size_t *rfill = fwd + ne, *ffill = rfill + n;
    for (size_t i = 0; i < ne; i++) {
        ndeps[from[i]]++;
        rstart[to[i] + 1]++;
        fstart[from[i] + 1]++;
    }
    for (size_t i = 0; i < n; i++) {
        rstart[i + 1] += rstart[i];
        fstart[i + 1] += fstart[i];
    }
    for (size_t i = 0; i < ne; i++) {
        rev[rstart[to[i]] + rfill[to[i]]++] = from[i];
        fwd[fstart[from[i]] + ffill[from[i]]++] = to[i];
    }
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < n; i++)
        if (!ndeps[i]) order[tail++] = i;
    while (head < tail) {
        size_t v = order[head++];
        for (size_t k = rstart[v]; k < rstart[v + 1]; k++)
            if (--ndeps[rev[k]] == 0) order[tail++] = rev[k];
    }
    bool ok = tail == n;
    if (!ok) {
        /* every remaining node has a remaining dependency: walking those n
         * times surely ends on a cycle */
        size_t u = 0;
        while (!ndeps[u])
            u++;
        for (size_t step = 0; step < n; step++) {
            for (size_t k = fstart[u]; k < fstart[u + 1]; k++) {
                if (ndeps[fwd[k]]) {
                    u = fwd[k];
                    break;
                }
            }
        }
        *on_cycle = u;
    }
    free(all);
    return ok;
}

/* Resolve all user common types, in dependency order, detecting cycles. */
static bool resolve_commons(rctx *c)
{
    cd_vec from, to, deps;
    cd_vec_init(&from, sizeof(size_t));
    cd_vec_init(&to, sizeof(size_t));
    cd_vec_init(&deps, sizeof(size_t));
    bool ok = true;
    for (size_t i = 0; ok && i < c->n_coms; i++) {
        deps.len = 0;
        ok = common_deps(c, c->rcoms[i].ns, c->rcoms[i].type, &deps);
        for (size_t k = 0; ok && k < deps.len; k++) {
            *(size_t *)cd_vec_push(&from) = i;
            *(size_t *)cd_vec_push(&to) = CD_VEC_AT(&deps, size_t, k);
        }
    }
    size_t *order = xcalloc(c->n_coms, sizeof *order);
    size_t cyc = 0;
    if (ok && !topo_order(c->n_coms, from.items, to.items, from.len, order, &cyc)) {
        const cd_rcommon *rc = &c->rcoms[cyc];
        const cd_name *nm = qualify(c, rc->ns, rc->name);
        ok = fail(c, rc->src, "cycle in common type references containing `%s`", nm->text);
    }
    for (size_t k = 0; ok && k < c->n_coms; k++) {
        size_t i = order[k];
        const cd_rcommon *rc = &c->rcoms[i];
        c->in = IN_COMMON;
        c->in_index = i;
        c->ctypes[i] = conv(c, rc->ns, rc->type, 0, &c->cdepth[i]);
        ok = c->ctypes[i] != NULL;
    }
    free(order);
    cd_vec_free(&from);
    cd_vec_free(&to);
    cd_vec_free(&deps);
    return ok;
}

/* Namespaces: valid names, at most one of each; each one's Action type. */
static bool collect_namespaces(rctx *c)
{
    strset seen = {c->scratch, NULL, 0, 0};
    for (size_t i = 0; i < c->n_nss; i++) {
        const cd_rns *n = &c->nss[i];
        cd_str key = n->has_name ? n->name : CD_STR_LIT("");
        if (n->has_name && !cd_schema_is_name(n->name, false))
            return fail(c, n->src, "`%s` is not a valid namespace name (`__cedar` is reserved)",
                        show_raw(c, n->name));
        if (strset_has(&seen, key))
            return fail(c, n->src, "duplicate namespace `%s`", show_raw(c, key));
        strset_add(&seen, key);
        c->ns_action_type[i] = qualify(c, i, CD_STR_LIT("Action"));
    }
    return true;
}

static bool collect_entities(rctx *c)
{
    for (size_t i = 0; i < c->n_ents; i++) {
        const cd_rentity *e = &c->rents[i];
        if (cd_schema_is_cedar_ns(e->name))
            return fail(c, e->src, "`__cedar` is reserved and cannot be an entity type name");
        if (cd_str_eq_c(e->name, "Action"))
            return fail(c, e->src,
                        "entity type `Action` cannot be declared: it is the type "
                        "of the namespace's actions");
        def *d = def_add(&c->defs, qualify(c, e->ns, e->name));
        if (d->flags & DEF_ENTITY)
            return fail(c, e->src, "duplicate entity type `%s`", d->name->text);
        d->flags |= DEF_ENTITY;
        d->entity = i;
    }
    return true;
}

static bool collect_commons(rctx *c)
{
    for (size_t i = 0; i < c->n_coms; i++) {
        const cd_rcommon *r = &c->rcoms[i];
        if (cd_schema_is_cedar_ns(r->name))
            return fail(c, r->src, "`__cedar` is reserved and cannot be a common type name");
        if (cd_schema_is_reserved_type_name(r->name))
            return fail(c, r->src,
                        "`%s` is a reserved schema keyword and cannot be a common "
                        "type name",
                        show_raw(c, r->name));
        def *d = def_add(&c->defs, qualify(c, r->ns, r->name));
        if (d->flags & DEF_COMMON)
            return fail(c, r->src, "duplicate common type `%s`", d->name->text);
        d->flags |= DEF_COMMON;
        d->common = (long)i;
    }
    return true;
}

/* Actions: unique uids, indexed for the parent lookups. */
static bool collect_actions(rctx *c)
{
    c->acap = table_cap(c->n_acts);
    c->aslots = CD_NEW_ARRAY(c->scratch, uint32_t, c->acap);
    c->uids = CD_NEW_ARRAY(c->out, cd_uid, c->n_acts);
    for (size_t i = 0; i < c->n_acts; i++) {
        const cd_raction *a = &c->racts[i];
        cd_uid u = {c->ns_action_type[a->ns], cd_arena_str(c->out, a->name.ptr, a->name.len), 0};
        size_t j = uid_hash(u.type, u.id) & (c->acap - 1);
        for (; c->aslots[j]; j = (j + 1) & (c->acap - 1)) {
            const cd_uid *o = &c->uids[c->aslots[j] - 1];
            if (o->type == u.type && cd_str_eq(o->id, u.id))
                return fail(c, a->src, "duplicate action `%s::%s`", u.type->text, show(c, u.id));
        }
        c->uids[i] = u;
        c->aslots[j] = (uint32_t)(i + 1);
    }
    return true;
}

/* RFC 70: nothing in the empty namespace may share its basename with a
 * definition in a named namespace; action ids likewise. */
static bool check_shadowing(rctx *c)
{
    static const char shadowed[] = "the definition of `%s` in the empty namespace is illegally "
                                   "shadowed by a definition of the same name in another "
                                   "namespace";
    strset qual = {c->scratch, NULL, 0, 0}, qual_ids = {c->scratch, NULL, 0, 0};
    for (size_t i = 0; i < c->n_ents; i++)
        if (c->nss[c->rents[i].ns].has_name) strset_add(&qual, c->rents[i].name);
    for (size_t i = 0; i < c->n_coms; i++)
        if (c->nss[c->rcoms[i].ns].has_name) strset_add(&qual, c->rcoms[i].name);
    for (size_t i = 0; i < c->n_acts; i++)
        if (c->nss[c->racts[i].ns].has_name) strset_add(&qual_ids, c->racts[i].name);
    for (size_t i = 0; i < c->n_ents; i++) {
        const cd_rentity *e = &c->rents[i];
        if (!c->nss[e->ns].has_name && strset_has(&qual, e->name))
            return fail(c, e->src, shadowed, show_raw(c, e->name));
    }
    for (size_t i = 0; i < c->n_coms; i++) {
        const cd_rcommon *r = &c->rcoms[i];
        if (!c->nss[r->ns].has_name && strset_has(&qual, r->name))
            return fail(c, r->src, shadowed, show_raw(c, r->name));
    }
    for (size_t i = 0; i < c->n_acts; i++) {
        const cd_raction *a = &c->racts[i];
        if (!c->nss[a->ns].has_name && strset_has(&qual_ids, a->name))
            return fail(c, a->src,
                        "the definition of `Action::%s` is illegally shadowed by an action with "
                        "the same id in another namespace",
                        show(c, a->name));
    }
    return true;
}

/* The builtins' names, `__cedar::X` then `X`: interned once and pinned (a
 * few short names for the life of the process), so that a schema takes them
 * without hashing or locking. */
#define N_BUILTINS (sizeof builtins / sizeof builtins[0])
static const cd_name *builtin_names[2][N_BUILTINS];
static pthread_once_t builtin_names_once = PTHREAD_ONCE_INIT;

static void intern_builtin_names(void)
{
    for (size_t i = 0; i < N_BUILTINS; i++) {
        const char *q = builtins[i].qualified, *p = builtins[i].name;
        builtin_names[0][i] = cd_name_intern(NULL, q, strlen(q));
        builtin_names[1][i] = cd_name_intern(NULL, p, strlen(p));
    }
}

/* Builtins: `__cedar::X`, and `X` in the empty namespace unless declared;
 * each namespace with actions has its Action entity type. */
static void add_builtins(rctx *c)
{
    pthread_once(&builtin_names_once, intern_builtin_names);
    for (size_t i = 0; i < N_BUILTINS; i++) {
        def *d = def_add(&c->defs, builtin_names[0][i]);
        d->flags |= DEF_COMMON;
        d->builtin = builtins[i].type;
        const cd_name *plain = builtin_names[1][i];
        d = def_find_hashed(&c->defs, plain->text, plain->len, plain->hash);
        if (d && (d->flags & (DEF_COMMON | DEF_ENTITY))) continue;
        d = def_add(&c->defs, plain);
        d->flags |= DEF_COMMON;
        d->builtin = builtins[i].type;
    }
    for (size_t i = 0; i < c->n_acts; i++)
        def_add(&c->defs, c->ns_action_type[c->racts[i].ns])->flags |= DEF_ACTION_TYPE;
}

/* Gather every declaration into the definition table, with the duplicate,
 * reserved-name and shadowing checks; the first failing check reports. */
static bool collect(rctx *c)
{
    if (!collect_namespaces(c) || !collect_entities(c) || !collect_commons(c) ||
        !collect_actions(c) || !check_shadowing(c))
        return false;
    add_builtins(c);
    return true;
}

/* Resolve a list of entity types (memberOfTypes, principal, resource): each
 * must be a declared entity type. Duplicates are dropped. */
static bool entity_list(rctx *c, size_t ns, const cd_rname *names, size_t n, const char *what,
                        const cd_name *const **out, size_t *nout)
{
    const cd_name **v = CD_NEW_ARRAY(c->out, const cd_name *, n);
    size_t k = 0;
    uint32_t stamp = ++c->stamp;
    for (size_t i = 0; i < n; i++) {
        def *d = NULL;
        bool as_common = false;
        if (!resolve(c, ns, names[i].name, WANT_ENTITY, names[i].src, &d, &as_common)) return false;
        if (!(d->flags & DEF_ENTITY))
            return fail(c, names[i].src,
                        "undeclared entity type `%s` in %s (action entity types cannot be "
                        "used here)",
                        d->name->text, what);
        if (d->mark == stamp) continue;
        d->mark = stamp;
        v[k++] = d->name;
    }
    *out = v;
    *nout = k;
    return true;
}

/* Source positions of declarations: offsets grow along each list, so the
 * line/column are computed incrementally. */
typedef struct locwalk {
    size_t off;
    cd_loc loc;
} locwalk;

static cd_loc loc_at(const cd_rschema *rs, locwalk *w, cd_src src)
{
    size_t off = src.off > rs->len ? rs->len : src.off;
    if (off < w->off) *w = (locwalk){0, {1, 1, 0}};
    /* the column counts bytes: only the line breaks need finding */
    const char *p = rs->text + w->off, *end = rs->text + off, *nl;
    size_t col = w->loc.column + (off - w->off);
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
        w->loc.line++;
        p = nl + 1;
        col = 1 + (size_t)(end - p);
    }
    w->loc.column = (uint32_t)col;
    w->off = off;
    w->loc.offset = (uint32_t)off;
    return w->loc;
}

static int str_sort_cmp(const void *x, const void *y)
{
    return cd_str_cmp(*(const cd_str *)x, *(const cd_str *)y);
}

static bool build_entities(rctx *c, cd_schema *s)
{
    cd_entity_decl *ents = CD_NEW_ARRAY(c->out, cd_entity_decl, c->n_ents);
    locwalk w = {0, {1, 1, 0}};
    for (size_t i = 0; i < c->n_ents; i++) {
        const cd_rentity *r = &c->rents[i];
        cd_entity_decl *e = &ents[i];
        e->name = qualify(c, r->ns, r->name);
        e->loc = loc_at(c->rs, &w, r->src);
        if (!entity_list(c, r->ns, r->member_of, r->n_member_of, "memberOfTypes", &e->member_of,
                         &e->n_member_of))
            return false;
        c->in = IN_ENTITY;
        c->in_index = i;
        tsize d;
        if (r->shape) {
            const cd_type *t = conv(c, r->ns, r->shape, 0, &d);
            if (!t) return false;
            if (t->kind != CD_T_RECORD)
                return fail(c, r->shape->src,
                            "the shape of entity type `%s` is declared with a type other than "
                            "a record",
                            e->name->text);
            e->shape = t->u.rec;
        }
        if (r->tags && !(e->tags = conv(c, r->ns, r->tags, 0, &d))) return false;
        e->is_enum = r->is_enum;
        if (r->is_enum) {
            cd_str *ids = CD_NEW_ARRAY(c->out, cd_str, r->n_enum);
            for (size_t k = 0; k < r->n_enum; k++)
                ids[k] = cd_arena_str(c->out, r->enum_ids[k].ptr, r->enum_ids[k].len);
            e->n_enum = r->n_enum;
            e->enum_ids = ids;
            /* a sorted copy without duplicates for cd_schema_enum_has */
            cd_str *sorted = CD_NEW_ARRAY(c->out, cd_str, r->n_enum);
            memcpy(sorted, ids, r->n_enum * sizeof *ids);
            qsort(sorted, r->n_enum, sizeof *sorted, str_sort_cmp);
            size_t n = 0;
            for (size_t k = 0; k < r->n_enum; k++)
                if (n == 0 || !cd_str_eq(sorted[n - 1], sorted[k])) sorted[n++] = sorted[k];
            e->n_enum_sorted = n;
            e->enum_sorted = sorted;
        }
    }
    s->n_entities = c->n_ents;
    s->entities = ents;
    return true;
}

/* Find the action a parent reference designates: `type` defaults to Action,
 * and an unqualified type is looked up in the current namespace first, then
 * in the empty namespace. */
static bool resolve_parent(rctx *c, size_t ns, const cd_rparent *p, size_t *out)
{
    cd_str tname = p->has_type ? p->type : CD_STR_LIT("Action");
    const cd_name *cand[2];
    int n = 0;
    if (!has_colons(tname) && c->nss[ns].has_name) cand[n++] = qualify(c, ns, tname);
    cand[n++] = cd_name_intern(c->out, tname.ptr, tname.len);
    for (int i = 0; i < n; i++) {
        size_t j = uid_hash(cand[i], p->id) & (c->acap - 1);
        for (; c->aslots[j]; j = (j + 1) & (c->acap - 1)) {
            const cd_uid *o = &c->uids[c->aslots[j] - 1];
            if (o->type == cand[i] && cd_str_eq(o->id, p->id)) {
                *out = c->aslots[j] - 1;
                return true;
            }
        }
    }
    if (n == 1)
        return fail(c, p->src, "undeclared action `%s::%s` in memberOf", cand[0]->text,
                    show(c, p->id));
    return fail(c, p->src,
                "undeclared action in memberOf: neither `%s::%s` nor `%s::%s` is declared",
                cand[0]->text, show(c, p->id), cand[1]->text, show(c, p->id));
}

static bool build_actions(rctx *c, cd_schema *s)
{
    cd_action_decl *acts = CD_NEW_ARRAY(c->out, cd_action_decl, c->n_acts);
    uint32_t *marks = xcalloc(c->n_acts, sizeof *marks);
    cd_vec from, to;
    cd_vec_init(&from, sizeof(size_t));
    cd_vec_init(&to, sizeof(size_t));
    locwalk w = {0, {1, 1, 0}};
    bool ok = true;
    for (size_t i = 0; ok && i < c->n_acts; i++) {
        const cd_raction *r = &c->racts[i];
        cd_action_decl *a = &acts[i];
        a->uid = c->uids[i];
        a->loc = loc_at(c->rs, &w, r->src);
        cd_uid *parents = CD_NEW_ARRAY(c->out, cd_uid, r->n_member_of);
        for (size_t k = 0; ok && k < r->n_member_of; k++) {
            size_t p = 0;
            ok = resolve_parent(c, r->ns, &r->member_of[k], &p);
            if (!ok || marks[p] == i + 1) continue;
            marks[p] = (uint32_t)(i + 1);
            parents[a->n_member_of++] = c->uids[p];
            *(size_t *)cd_vec_push(&from) = i;
            *(size_t *)cd_vec_push(&to) = p;
        }
        a->member_of = parents;
        a->has_applies_to = r->has_applies_to;
        ok = ok &&
             entity_list(c, r->ns, r->principals, r->n_principals, "appliesTo principal types",
                         &a->principals, &a->n_principals) &&
             entity_list(c, r->ns, r->resources, r->n_resources, "appliesTo resource types",
                         &a->resources, &a->n_resources);
        if (!ok) break;
        a->context = &T_EMPTY_RECORD;
        if (r->context) {
            c->in = IN_ACTION;
            c->in_index = i;
            tsize d;
            const cd_type *t = conv(c, r->ns, r->context, 0, &d);
            ok = t != NULL;
            if (ok && t->kind != CD_T_RECORD)
                ok = fail(c, r->context->src,
                          "the context of action `%s::%s` is declared with a type other than "
                          "a record",
                          a->uid.type->text, show(c, a->uid.id));
            if (ok) a->context = t;
        }
    }
    if (ok) {
        size_t *order = xcalloc(c->n_acts, sizeof *order);
        size_t cyc = 0;
        if (!topo_order(c->n_acts, from.items, to.items, from.len, order, &cyc))
            ok = fail(c, c->racts[cyc].src, "cycle in action hierarchy containing `%s::%s`",
                      c->uids[cyc].type->text, show(c, c->uids[cyc].id));
        free(order);
    }
    free(marks);
    cd_vec_free(&from);
    cd_vec_free(&to);
    s->n_actions = c->n_acts;
    s->actions = acts;
    return ok;
}

static void build_index(rctx *c, cd_schema *s)
{
    schema_index *ix = CD_NEW(c->out, schema_index);
    ix->ecap = table_cap(s->n_entities);
    ix->eslots = CD_NEW_ARRAY(c->out, uint32_t, ix->ecap);
    for (size_t i = 0; i < s->n_entities; i++) {
        size_t j = s->entities[i].name->hash & (ix->ecap - 1);
        while (ix->eslots[j])
            j = (j + 1) & (ix->ecap - 1);
        ix->eslots[j] = (uint32_t)(i + 1);
    }
    ix->acap = c->acap;
    ix->aslots = CD_NEW_ARRAY(c->out, uint32_t, c->acap);
    memcpy(ix->aslots, c->aslots, c->acap * sizeof *c->aslots);
    ix->tcap = table_cap(c->n_nss);
    ix->tslots = CD_NEW_ARRAY(c->out, const cd_name *, ix->tcap);
    for (size_t i = 0; i < s->n_actions; i++) {
        const cd_name *t = s->actions[i].uid.type;
        size_t j = t->hash & (ix->tcap - 1);
        while (ix->tslots[j] && ix->tslots[j] != t)
            j = (j + 1) & (ix->tcap - 1);
        ix->tslots[j] = t;
    }
    s->index = ix;
}

cd_schema *cd_schema_resolve(const cd_rschema *rs, cd_err *err)
{
    rctx c = {0};
    c.rs = rs;
    c.err = err;
    c.nss = rs->nss.items;
    c.n_nss = rs->nss.len;
    c.rents = rs->entities.items;
    c.n_ents = rs->entities.len;
    c.racts = rs->actions.items;
    c.n_acts = rs->actions.len;
    c.rcoms = rs->commons.items;
    c.n_coms = rs->commons.len;
    if (c.n_ents >= UINT32_MAX / 4 || c.n_acts >= UINT32_MAX / 4) {
        cd_schema_err(rs, err, (cd_src){0, NULL}, "schema too large");
        return NULL;
    }
    cd_arena *out = cd_arena_new();
    c.out = out;
    c.scratch = cd_arena_new();
    c.defs.a = c.scratch;
    cd_buf_init(&c.tmp);
    c.ns_action_type = CD_NEW_ARRAY(c.scratch, const cd_name *, c.n_nss);
    c.ctypes = CD_NEW_ARRAY(c.scratch, const cd_type *, c.n_coms);
    c.cdepth = CD_NEW_ARRAY(c.scratch, tsize, c.n_coms);
    cd_schema *s = CD_NEW(out, cd_schema);
    s->arena = out;
    bool ok = collect(&c) && resolve_commons(&c) && build_entities(&c, s) && build_actions(&c, s);
    if (ok) build_index(&c, s);
    cd_arena_free(c.scratch);
    cd_buf_free(&c.tmp);
    if (!ok) {
        cd_arena_free(out);
        return NULL;
    }
    return s;
}
