/* cd_policy_json_read.c: policies from the official JSON policy format
 * (EST) into the AST the parser makes, so that everything downstream
 * (evaluation, validation, printing, JSON output) treats them alike. Errors
 * name the JSON path of the bad value. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_ext.h"
#include "cd_json_impl.h"
#include "cd_policy_json.h"
#include "cd_stack.h"

typedef struct reader {
    cd_arena *arena;
    cd_err *err;
    char path[512]; /* where we are, for messages */
    bool in_scope_only_slots;
} reader;

static bool fail(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(reader *r, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!cd_err_is_set(r->err))
        cd_err_set(r->err, (cd_loc){0, 0, 0}, "%s%s%s", r->path, r->path[0] ? ": " : "", msg);
    return false;
}

/* Append a path step for the duration of a call: returns the old length. */
static size_t push(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t push(reader *r, const char *fmt, ...)
{
    size_t n = strlen(r->path);
    va_list ap;
    va_start(ap, fmt);
    if (n < sizeof r->path) vsnprintf(r->path + n, sizeof r->path - n, fmt, ap);
    va_end(ap);
    return n;
}

static void pop(reader *r, size_t n)
{
    r->path[n] = 0;
}

static const char *kind_of(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static cd_str jstr(reader *r, const json_t *j)
{
    return cd_arena_str(r->arena, json_string_value(j), json_string_length(j));
}

/* An entity type name: identifiers joined by `::`. */
static bool type_name(reader *r, const json_t *j, const cd_name **out)
{
    if (!json_is_string(j)) return fail(r, "an entity type must be a string, not %s", kind_of(j));
    const char *s = json_string_value(j);
    size_t n = json_string_length(j), start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !(s[i] == ':' && i + 1 < n && s[i + 1] == ':')) continue;
        if (!cd_str_is_ident((cd_str){s + start, i - start}))
            return fail(r, "invalid entity type `%s`", s);
        start = i + 2;
        i++;
    }
    *out = cd_name_intern(r->arena, s, n);
    return true;
}

/* An entity uid in the forms of the official EntityUidJson (other keys
 * ignored, ["T", "x"] too): cd_json_uid_parts. */
static bool uid(reader *r, const json_t *j, cd_uid *out)
{
    const json_t *t, *id;
    bool expr;
    if (!cd_json_uid_parts(j, &t, &id, &expr))
        return fail(r, expr ? "the `__expr` escape is no longer supported"
                            : "expected an entity uid {\"type\": ..., \"id\": ...}");
    if (!type_name(r, t, &out->type)) return false;
    out->id = jstr(r, id);
    return true;
}

static cd_expr *node(reader *r, cd_xkind k)
{
    cd_expr *e = CD_NEW(r->arena, cd_expr);
    e->kind = k;
    return e;
}

static cd_expr *expr(reader *r, const json_t *j);

static cd_expr *sub(reader *r, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    size_t n = push(r, ".%s", key);
    cd_expr *e = v ? expr(r, v) : NULL;
    if (!v) fail(r, "missing");
    pop(r, n);
    return e;
}

/* Exactly these keys (a NULL-terminated list; optional ones marked '?'). */
static bool keys(reader *r, const json_t *obj, const char *const *want)
{
    if (!json_is_object(obj)) return fail(r, "expected an object, not %s", kind_of(obj));
    size_t need = 0;
    for (const char *const *w = want; *w; w++) {
        bool opt = (*w)[0] == '?';
        bool has = json_object_get(obj, *w + opt) != NULL;
        if (!opt && !has) return fail(r, "missing field `%s`", *w);
        need += has;
    }
    if (json_object_size(obj) != need) {
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)obj, k, v)
        {
            bool known = false;
            for (const char *const *w = want; *w; w++)
                known |= strcmp(*w + ((*w)[0] == '?'), k) == 0;
            if (!known) return fail(r, "unknown field `%s`", k);
        }
    }
    return true;
}

typedef cd_expr *read_fn(reader *r, const json_t *j);

/* The elements of the JSON array a, each read by each under the path step
 * `[i]`, into *items (arena) and *n. */
static bool elements(reader *r, const json_t *a, read_fn *each, cd_expr ***items, size_t *n)
{
    *n = json_array_size(a);
    *items = CD_NEW_ARRAY(r->arena, cd_expr *, *n ? *n : 1);
    for (size_t i = 0; i < *n; i++) {
        size_t m = push(r, "[%zu]", i);
        (*items)[i] = each(r, json_array_get(a, i));
        pop(r, m);
        if (!(*items)[i]) return false;
    }
    return true;
}

/* A record of the fields of the JSON object obj, each value read by each
 * (under the path step `.key` when step). */
static cd_expr *fields(reader *r, const json_t *obj, read_fn *each, bool step)
{
    cd_expr *e = node(r, CD_X_RECORD);
    size_t n = json_object_size(obj), i = 0;
    e->u.rec.n = n;
    e->u.rec.keys = CD_NEW_ARRAY(r->arena, cd_str, n ? n : 1);
    e->u.rec.vals = CD_NEW_ARRAY(r->arena, cd_expr *, n ? n : 1);
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        e->u.rec.keys[i] = cd_arena_str(r->arena, k, strlen(k));
        size_t m = step ? push(r, ".%s", k) : 0;
        e->u.rec.vals[i] = each(r, v);
        if (step) pop(r, m);
        if (!e->u.rec.vals[i++]) return NULL;
    }
    return e;
}

/* The function of an `__extn` escape: any extension function (as a function
 * or a method) by name, or, as the official reader takes it, any other valid
 * name, a call that fails when evaluated (CD_FN_UNKNOWN). */
static bool extfn(reader *r, const json_t *fn, cd_expr *e)
{
    cd_str name = {json_string_value(fn), json_string_length(fn)};
    if (cd_extfn_lookup(name, false, &e->u.call.fn) || cd_extfn_lookup(name, true, &e->u.call.fn))
        return true;
    if (!cd_valid_name(name.ptr, name.len))
        return fail(r, "invalid extension function name `%s`", name.ptr);
    e->u.call.fn = CD_FN_UNKNOWN;
    e->u.call.name = jstr(r, fn).ptr;
    return true;
}

/* A literal in the entity-data JSON form ("Value"), read as the official
 * CedarValueJson (Cedar 4.5 on): an object is an escape only when it has
 * exactly one key: `__extn` over an object of two keys or more with a string
 * `fn` and either `arg` or an array `args` (other keys ignored), `__entity`
 * over one with string `type` and `id`, `__expr` over a string (an error);
 * any other object is a record, whatever its keys. An array is a set. */
static cd_expr *value(reader *r, const json_t *j)
{
    cd_expr *e = node(r, CD_X_LIT);
    switch (json_typeof(j)) {
    case JSON_TRUE:
    case JSON_FALSE: e->u.lit = cd_bool(json_is_true(j)); return e;
    case JSON_INTEGER: e->u.lit = cd_long((int64_t)json_integer_value(j)); return e;
    case JSON_STRING: e->u.lit = cd_string(jstr(r, j)); return e;
    case JSON_ARRAY:
        e->kind = CD_X_SET;
        return elements(r, j, value, &e->u.list.items, &e->u.list.n) ? e : NULL;
    case JSON_OBJECT: break;
    default: fail(r, "a value cannot be %s", kind_of(j)); return NULL;
    }
    const json_t *x =
        json_object_size(j) == 1 ? json_object_iter_value(json_object_iter((json_t *)j)) : NULL;
    const char *k = x ? json_object_iter_key(json_object_iter((json_t *)j)) : "";
    if (strcmp(k, "__expr") == 0 && json_is_string(x))
        return fail(r, "the `__expr` escape is no longer supported"), NULL;
    bool inner = json_is_object(x) && json_object_size(x) >= 2;
    if (strcmp(k, "__entity") == 0 && inner && json_is_string(json_object_get(x, "type")) &&
        json_is_string(json_object_get(x, "id"))) {
        if (!uid(r, x, &e->u.lit.u.uid)) return NULL;
        e->u.lit = cd_entityv(e->u.lit.u.uid);
        return e;
    }
    const json_t *fn = inner ? json_object_get(x, "fn") : NULL;
    const json_t *arg = json_object_get(x, "arg"), *args = json_object_get(x, "args");
    if (strcmp(k, "__extn") == 0 && json_is_string(fn) && (arg || json_is_array(args))) {
        e->kind = CD_X_CALL;
        if (!extfn(r, fn, e)) return NULL;
        if (!arg) return elements(r, args, value, &e->u.call.args, &e->u.call.n) ? e : NULL;
        e->u.call.n = 1;
        e->u.call.args = CD_NEW_ARRAY(r->arena, cd_expr *, 1);
        return (e->u.call.args[0] = value(r, arg)) ? e : NULL;
    }
    cd_expr *rec = fields(r, j, value, false);
    if (rec) rec->value_form = true;
    return rec;
}

static cd_expr *binary(reader *r, cd_xkind k, const json_t *arg)
{
    static const char *const lr[] = {"left", "right", NULL};
    if (!keys(r, arg, lr)) return NULL;
    cd_expr *e = node(r, k);
    if (!(e->u.op.a = sub(r, arg, "left")) || !(e->u.op.b = sub(r, arg, "right"))) return NULL;
    return e;
}

static cd_expr *unary(reader *r, cd_xkind k, const json_t *arg)
{
    static const char *const a1[] = {"arg", NULL};
    if (!keys(r, arg, a1)) return NULL;
    cd_expr *e = node(r, k);
    return (e->u.op.a = sub(r, arg, "arg")) ? e : NULL;
}

/* `a != b`: the NOT of `a == b`, printed back as written. */
static cd_expr *not_equal(reader *r, const json_t *arg)
{
    cd_expr *eq = binary(r, CD_X_EQ, arg);
    if (!eq) return NULL;
    cd_expr *n = node(r, CD_X_NOT);
    n->u.op.a = eq;
    n->ne = true;
    return n;
}

static cd_expr *attr_node(reader *r, cd_xkind k, cd_expr *obj, cd_str name)
{
    cd_expr *e = node(r, k);
    e->u.attr.obj = obj;
    e->u.attr.name = name;
    return e;
}

/* `e has a.b.c`: the `&&` of `e has a`, `e.a has b`, `e.a.b has c`, folded
 * to the left as the official builder does. */
static cd_expr *has(reader *r, const json_t *arg)
{
    static const char *const la[] = {"left", "attr", NULL};
    if (!keys(r, arg, la)) return NULL;
    cd_expr *obj = sub(r, arg, "left");
    if (!obj) return NULL;
    const json_t *a = json_object_get(arg, "attr");
    if (json_is_string(a)) return attr_node(r, CD_X_HAS, obj, jstr(r, a));
    if (!json_is_array(a) || json_array_size(a) == 0)
        return fail(r, "`attr` must be a string or a non-empty array of strings"), NULL;
    cd_expr *acc = NULL, *path = obj;
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *s = json_array_get(a, i);
        if (!json_is_string(s)) return fail(r, "`attr` must hold strings"), NULL;
        cd_expr *h = attr_node(r, CD_X_HAS, path, jstr(r, s));
        if (acc) {
            cd_expr *and = node(r, CD_X_AND);
            and->u.op.a = acc;
            and->u.op.b = h;
            acc = and;
        } else {
            acc = h;
        }
        path = attr_node(r, CD_X_GET_ATTR, path, jstr(r, s));
    }
    return acc;
}

/* "Wildcard" or {"Literal": "..."}; adjacent literals joined into one run. */
static cd_expr *like(reader *r, const json_t *arg)
{
    static const char *const lp[] = {"left", "pattern", NULL};
    if (!keys(r, arg, lp)) return NULL;
    cd_expr *e = node(r, CD_X_LIKE);
    if (!(e->u.like.obj = sub(r, arg, "left"))) return NULL;
    const json_t *pat = json_object_get(arg, "pattern");
    if (!json_is_array(pat)) return fail(r, "`pattern` must be an array"), NULL;
    size_t n = json_array_size(pat), ne = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *el = json_array_get(pat, i), *lit = json_object_get(el, "Literal");
        if (json_is_string(el) && strcmp(json_string_value(el), "Wildcard") == 0) continue;
        if (!json_is_string(lit) || json_object_size(el) != 1)
            return fail(r, "a pattern element is \"Wildcard\" or {\"Literal\": STRING}"), NULL;
        total += json_string_length(lit);
    }
    char *buf = cd_arena_alloc(r->arena, total + 1);
    cd_pat_elem *elems = CD_NEW_ARRAY(r->arena, cd_pat_elem, n ? n : 1);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *el = json_array_get(pat, i);
        if (json_is_string(el)) {
            elems[ne++] = (cd_pat_elem){true, {NULL, 0}};
            continue;
        }
        const json_t *lit = json_object_get(el, "Literal");
        size_t len = json_string_length(lit);
        if (!len) continue;
        memcpy(buf + w, json_string_value(lit), len);
        if (ne && !elems[ne - 1].star)
            elems[ne - 1].lit.len += len;
        else
            elems[ne++] = (cd_pat_elem){false, {buf + w, len}};
        w += len;
    }
    e->u.like.pat = (cd_pattern){ne, elems};
    return e;
}

static cd_expr *is(reader *r, const json_t *arg)
{
    static const char *const lt[] = {"left", "entity_type", "?in", NULL};
    if (!keys(r, arg, lt)) return NULL;
    cd_expr *e = node(r, CD_X_IS);
    if (!(e->u.is.obj = sub(r, arg, "left")) ||
        !type_name(r, json_object_get(arg, "entity_type"), &e->u.is.type))
        return NULL;
    if (json_object_get(arg, "in") && !(e->u.is.in = sub(r, arg, "in"))) return NULL;
    return e;
}

static cd_expr *call(reader *r, const char *op, const json_t *args)
{
    cd_str name = {op, strlen(op)};
    cd_extfn f;
    if (!cd_extfn_lookup(name, false, &f) && !cd_extfn_lookup(name, true, &f))
        return fail(r, "unknown operator or extension function `%s`", op), NULL;
    if (!json_is_array(args)) return fail(r, "the arguments of `%s` must be an array", op), NULL;
    /* a wrong number of arguments is an evaluation error, as in Cedar text */
    cd_expr *e = node(r, CD_X_CALL);
    e->u.call.fn = f;
    return elements(r, args, expr, &e->u.call.args, &e->u.call.n) ? e : NULL;
}

/* An operator of cd_ops.def, by its JSON name. */
static cd_expr *operator(reader *r, cd_xkind k, const cd_opinfo *o, const json_t *arg)
{
    switch (k) {
    case CD_X_HAS: return has(r, arg);
    case CD_X_LIKE: return like(r, arg);
    case CD_X_IS: return is(r, arg);
    default: return o->arity == 2 ? binary(r, k, arg) : unary(r, k, arg);
    }
}

static cd_expr *var(reader *r, const json_t *arg)
{
    static const char *const vars[] = {"principal", "action", "resource", "context"};
    for (int i = 0; i < 4; i++) {
        if (json_is_string(arg) && strcmp(json_string_value(arg), vars[i]) == 0) {
            cd_expr *e = node(r, CD_X_VAR);
            e->u.var = (cd_var)i;
            return e;
        }
    }
    return fail(r, "`Var` must be principal, action, resource or context"), NULL;
}

static cd_expr *slot(reader *r, const json_t *arg)
{
    (void)arg;
    return fail(r, "a template slot may appear only in the policy scope"), NULL;
}

static cd_expr *get_attr(reader *r, const json_t *arg)
{
    static const char *const la[] = {"left", "attr", NULL};
    if (!keys(r, arg, la)) return NULL;
    const json_t *a = json_object_get(arg, "attr");
    if (!json_is_string(a)) return fail(r, "`attr` must be a string"), NULL;
    cd_expr *obj = sub(r, arg, "left");
    return obj ? attr_node(r, CD_X_GET_ATTR, obj, jstr(r, a)) : NULL;
}

static cd_expr *if_then_else(reader *r, const json_t *arg)
{
    static const char *const ite[] = {"if", "then", "else", NULL};
    if (!keys(r, arg, ite)) return NULL;
    cd_expr *e = node(r, CD_X_IF);
    if (!(e->u.op.a = sub(r, arg, "if")) || !(e->u.op.b = sub(r, arg, "then")) ||
        !(e->u.op.c = sub(r, arg, "else")))
        return NULL;
    return e;
}

static cd_expr *set(reader *r, const json_t *arg)
{
    if (!json_is_array(arg)) return fail(r, "`Set` must be an array"), NULL;
    cd_expr *e = node(r, CD_X_SET);
    return elements(r, arg, expr, &e->u.list.items, &e->u.list.n) ? e : NULL;
}

static cd_expr *record(reader *r, const json_t *arg)
{
    if (!json_is_object(arg)) return fail(r, "`Record` must be an object"), NULL;
    return fields(r, arg, expr, true);
}

/* The keys that are not operators of cd_ops.def nor extension functions. */
static const struct {
    const char *key;
    read_fn *read;
} forms[] = {
    {"!=", not_equal}, {"Value", value},   {"Var", var},
    {"Slot", slot},    {".", get_attr},    {"if-then-else", if_then_else},
    {"Set", set},      {"Record", record},
};

static cd_expr *expr1(reader *r, const char *op, const json_t *arg)
{
    cd_xkind kind;
    const cd_opinfo *o = cd_op_by_json(op, &kind);
    if (o) return operator(r, kind, o, arg);
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strcmp(op, forms[i].key) == 0) return forms[i].read(r, arg);
    return call(r, op, arg);
}

static cd_expr *expr(reader *r, const json_t *j)
{
    if (cd_stack_low())
        return fail(r, "expression is nested too deeply (the thread's stack is nearly exhausted)"),
               NULL;
    if (!json_is_object(j) || json_object_size(j) != 1)
        return fail(r, "an expression is an object with one operator key"), NULL;
    const char *op = json_object_iter_key(json_object_iter((json_t *)j));
    size_t n = push(r, ".%s", op);
    cd_expr *e = expr1(r, op, json_object_iter_value(json_object_iter((json_t *)j)));
    pop(r, n);
    return e;
}

static bool is_action_type(const cd_name *t)
{
    size_t n = strlen(t->text);
    return strcmp(t->text, "Action") == 0 || (n > 8 && strcmp(t->text + n - 8, "::Action") == 0);
}

/* The entity of a scope clause: {"entity": uid} or {"slot": "?principal"}. */
static bool scope_entity(reader *r, const json_t *j, cd_scope *sc, bool principal, bool *slots)
{
    const json_t *slot = json_object_get(j, "slot");
    if (slot) {
        const char *want = principal ? "?principal" : "?resource";
        if (!json_is_string(slot) || strcmp(json_string_value(slot), want) != 0)
            return fail(r, "the slot here must be `%s`", want);
        sc->slot = true;
        *slots = true;
        return true;
    }
    const json_t *e = json_object_get(j, "entity");
    if (!e) return fail(r, "expected `entity` or `slot`");
    return uid(r, e, &sc->uid);
}

/* An action uid: of type `Action` or `NS::Action`. */
static bool action_uid(reader *r, const json_t *j, cd_uid *out)
{
    if (!uid(r, j, out)) return false;
    if (is_action_type(out->type)) return true;
    return fail(r, "action uids must have type `Action`, not `%s`", out->type->text);
}

/* The action scope after `op` o: == uid, in uid, in [uids]. */
static bool action_scope(reader *r, const json_t *j, const char *o, cd_scope *sc)
{
    static const char *const k1[] = {"op", "entity", NULL};
    static const char *const k2[] = {"op", "entities", NULL};
    const json_t *es = json_object_get(j, "entities");
    if (strcmp(o, "in") == 0 && es) {
        if (!keys(r, j, k2)) return false;
        if (!json_is_array(es)) return fail(r, "`entities` must be an array");
        sc->op = CD_SCOPE_IN_SET;
        sc->n_uids = json_array_size(es);
        cd_uid *u = CD_NEW_ARRAY(r->arena, cd_uid, sc->n_uids ? sc->n_uids : 1);
        sc->uids = u;
        for (size_t i = 0; i < sc->n_uids; i++)
            if (!action_uid(r, json_array_get(es, i), &u[i])) return false;
        return true;
    }
    if (strcmp(o, "==") != 0 && strcmp(o, "in") != 0)
        return fail(r, "unknown action scope operator `%s`", o);
    sc->op = o[0] == '=' ? CD_SCOPE_EQ : CD_SCOPE_IN;
    return keys(r, j, k1) && action_uid(r, json_object_get(j, "entity"), &sc->uid);
}

/* The principal or resource scope after `op` o: == E, in E, is T [in E]. */
static bool entity_scope(reader *r, const json_t *j, const char *o, cd_scope *sc, bool principal,
                         bool *slots)
{
    if (strcmp(o, "==") == 0 || strcmp(o, "in") == 0) {
        static const char *const k[] = {"op", "?entity", "?slot", NULL};
        sc->op = o[0] == '=' ? CD_SCOPE_EQ : CD_SCOPE_IN;
        return keys(r, j, k) && scope_entity(r, j, sc, principal, slots);
    }
    if (strcmp(o, "is") != 0) return fail(r, "unknown scope operator `%s`", o);
    static const char *const k[] = {"op", "entity_type", "?in", NULL};
    sc->op = CD_SCOPE_IS;
    if (!keys(r, j, k) || !type_name(r, json_object_get(j, "entity_type"), &sc->is_type))
        return false;
    const json_t *in = json_object_get(j, "in");
    if (!in) return true;
    sc->op = CD_SCOPE_IS_IN;
    return scope_entity(r, in, sc, principal, slots);
}

static bool scope(reader *r, const json_t *j, cd_scope *sc, int var, bool *slots)
{
    static const char *const names[] = {"principal", "action", "resource"};
    static const char *const all[] = {"op", NULL};
    size_t n = push(r, ".%s", names[var]);
    const char *o = json_string_value(json_object_get(j, "op"));
    memset(sc, 0, sizeof *sc);
    bool ok;
    if (!json_is_object(j) || !o)
        ok = fail(r, "a scope clause is an object with an `op`");
    else if (strcmp(o, "All") == 0 || strcmp(o, "all") == 0)
        ok = keys(r, j, all);
    else if (var == 1)
        ok = action_scope(r, j, o, sc);
    else
        ok = entity_scope(r, j, o, sc, var == 0, slots);
    pop(r, n);
    return ok;
}

static bool annotations(reader *r, const json_t *j, cd_policy *p)
{
    if (!j) return true;
    if (!json_is_object(j)) return fail(r, "`annotations` must be an object");
    size_t n = json_object_size(j), i = 0;
    cd_annotation *a = CD_NEW_ARRAY(r->arena, cd_annotation, n ? n : 1);
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)j, k, v)
    {
        a[i].key = cd_arena_str(r->arena, k, strlen(k));
        if (!cd_str_is_ident(a[i].key)) return fail(r, "invalid annotation name `%s`", k);
        if (json_is_null(v)) {
            a[i].value = cd_arena_str(r->arena, "", 0);
        } else if (json_is_string(v)) {
            a[i].value = jstr(r, v);
            a[i].has_value = true;
        } else {
            return fail(r, "annotation `%s` must be a string or null", k);
        }
        i++;
    }
    p->body->n_annotations = n;
    p->body->annotations = a;
    return true;
}

/* {"kind": "when"|"unless", "body": EXPR} */
static bool condition(reader *r, const json_t *j, cd_condition *c)
{
    static const char *const ck[] = {"kind", "body", NULL};
    const char *kind = json_string_value(json_object_get(j, "kind"));
    if (!keys(r, j, ck) || !kind || (strcmp(kind, "when") && strcmp(kind, "unless")))
        return fail(r, "a condition is {\"kind\": \"when\"|\"unless\", \"body\": EXPR}");
    c->is_when = kind[0] == 'w';
    return (c->body = sub(r, j, "body")) != NULL;
}

cd_policy *cd_policy_from_json(const json_t *j, cd_str id, cd_arena *arena, const char *where,
                               cd_err *err)
{
    reader r = {.arena = arena, .err = err};
    snprintf(r.path, sizeof r.path, "%s", where ? where : "");
    static const char *const k[] = {"effect",     "principal",    "action", "resource",
                                    "conditions", "?annotations", NULL};
    if (!keys(&r, j, k)) return NULL;
    cd_policy *p = CD_NEW(arena, cd_policy);
    p->body = CD_NEW(arena, cd_policy_body);
    p->id = id;
    p->body->text = cd_arena_str(arena, "", 0);
    const char *eff = json_string_value(json_object_get(j, "effect"));
    if (!eff || (strcmp(eff, "permit") != 0 && strcmp(eff, "forbid") != 0))
        return fail(&r, "`effect` must be \"permit\" or \"forbid\""), NULL;
    p->body->effect = eff[0] == 'p' ? CD_PERMIT : CD_FORBID;
    bool slots = false;
    if (!scope(&r, json_object_get(j, "principal"), &p->body->principal, 0, &slots) ||
        !scope(&r, json_object_get(j, "action"), &p->body->action, 1, &slots) ||
        !scope(&r, json_object_get(j, "resource"), &p->body->resource, 2, &slots) ||
        !annotations(&r, json_object_get(j, "annotations"), p))
        return NULL;
    const json_t *conds = json_object_get(j, "conditions");
    if (!json_is_array(conds)) return fail(&r, "`conditions` must be an array"), NULL;
    size_t n = json_array_size(conds);
    cd_condition *c = CD_NEW_ARRAY(arena, cd_condition, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        size_t m = push(&r, ".conditions[%zu]", i);
        if (!condition(&r, json_array_get(conds, i), &c[i])) return NULL;
        pop(&r, m);
    }
    p->body->n_conditions = n;
    p->body->conditions = c;
    p->is_template = slots;
    return p;
}
