/* cd_policy_json.c: policies to the official JSON policy format (EST), in
 * the shape the Rust implementation's est module serializes: the operators
 * as written (`!=`, `>` and the rest), negative literals as values, `has
 * a.b` as the `&&` of its steps, `like` patterns one element per character. */
#include <stdlib.h>
#include <string.h>

#include "cd_ext.h"
#include "cd_policy_json.h"
#include "cd_stack.h"

typedef struct writer {
    cd_err *err;
    bool failed;
    uintptr_t base; /* the frame the tree is dumped from (about) */
} writer;

static json_t *str(cd_str s)
{
    return json_stringn(s.ptr, s.len);
}

static json_t *uid_json(const cd_uid *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(u->type->text));
    json_object_set_new(o, "id", str(u->id));
    return o;
}

static json_t *wrap(const char *key, json_t *v)
{
    json_t *o = json_object();
    json_object_set_new(o, key, v);
    return o;
}

static json_t *lit_json(const cd_value *v)
{
    switch (v->kind) {
    case CD_V_BOOL: return json_boolean(v->u.b);
    case CD_V_LONG: return json_integer(v->u.l);
    case CD_V_STRING: return str(v->u.s);
    case CD_V_ENTITY: return wrap("__entity", uid_json(&v->u.uid));
    default: return json_null(); /* the parser makes no other literals */
    }
}

static json_t *expr(writer *w, const cd_expr *e, unsigned depth);
/* Insertion sort of indices by key (records and annotations are small;
 * keys are unique). */
static void sort_keys(const cd_str *keys, size_t *order, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t v = order[i], j = i;
        for (; j > 0 && cd_str_cmp(keys[order[j - 1]], keys[v]) > 0; j--)
            order[j] = order[j - 1];
        order[j] = v;
    }
}

/* A record's fields, keys sorted as the Rust BTreeMap writes them, each value
 * written by field. */
static json_t *record_json(writer *w, const cd_expr *e,
                           json_t *(*field)(writer *, const cd_expr *, unsigned), unsigned depth)
{
    size_t n = e->u.rec.n;
    size_t *order = n ? malloc(n * sizeof *order) : NULL;
    if (n && !order) abort();
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_keys(e->u.rec.keys, order, n);
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++) {
        cd_str k = e->u.rec.keys[order[i]];
        json_object_setn_new(o, k.ptr, k.len, field(w, e->u.rec.vals[order[i]], depth + 1));
    }
    free(order);
    return o;
}

static json_t *value_json(writer *w, const cd_expr *e, unsigned depth);

/* An extension call as the escape {"__extn": {"fn": f, "arg": x}} ("args"
 * unless there is one argument), its arguments in the Value form. */
static json_t *extn_json(writer *w, const cd_expr *e, const char *fn, unsigned depth)
{
    json_t *o = json_object();
    json_object_set_new(o, "fn", json_string(fn));
    if (e->u.call.n == 1) {
        json_object_set_new(o, "arg", value_json(w, e->u.call.args[0], depth + 1));
    } else {
        json_t *a = json_array();
        for (size_t i = 0; i < e->u.call.n; i++)
            json_array_append_new(a, value_json(w, e->u.call.args[i], depth + 1));
        json_object_set_new(o, "args", a);
    }
    return wrap("__extn", o);
}

/* An expression read from a "Value" (a literal, a set, a record or an
 * `__extn` call of them) in that form again: the arguments of a call of an
 * unknown function, which has no form of its own in policy JSON. */
static json_t *value_json(writer *w, const cd_expr *e, unsigned depth)
{
    if (depth > CD_POLICY_JSON_MAX_DEPTH) return expr(w, e, depth); /* fails */
    switch (e->kind) {
    case CD_X_LIT: return lit_json(&e->u.lit);
    case CD_X_SET: {
        json_t *a = json_array();
        for (size_t i = 0; i < e->u.list.n; i++)
            json_array_append_new(a, value_json(w, e->u.list.items[i], depth + 1));
        return a;
    }
    case CD_X_RECORD: return record_json(w, e, value_json, depth);
    case CD_X_CALL: {
        const cd_extfn_info *info = cd_extfn_get(e->u.call.fn);
        return extn_json(w, e, info ? info->name : e->u.call.name, depth);
    }
    default: return json_null(); /* the reader makes no other */
    }
}

static json_t *unary_op(writer *w, const char *op, const cd_expr *a, unsigned depth)
{
    return wrap(op, wrap("arg", expr(w, a, depth + 1)));
}

static json_t *binary_op(writer *w, const char *op, const cd_expr *a, const cd_expr *b,
                         unsigned depth)
{
    json_t *o = json_object();
    json_object_set_new(o, "left", expr(w, a, depth + 1));
    json_object_set_new(o, "right", expr(w, b, depth + 1));
    return wrap(op, o);
}

/* One element per character: the Rust pattern keeps characters. */
static json_t *pattern_json(const cd_pattern *pat)
{
    json_t *a = json_array();
    for (size_t i = 0; i < pat->n; i++) {
        const cd_pat_elem *el = &pat->elems[i];
        if (el->star) {
            json_array_append_new(a, json_string("Wildcard"));
            continue;
        }
        for (size_t k = 0; k < el->lit.len;) {
            size_t n = 1;
            while (k + n < el->lit.len && ((unsigned char)el->lit.ptr[k + n] & 0xC0) == 0x80)
                n++;
            json_array_append_new(a, wrap("Literal", json_stringn(el->lit.ptr + k, n)));
            k += n;
        }
    }
    return a;
}

static json_t *expr(writer *w, const cd_expr *e, unsigned depth)
{
    if (w->failed) return json_null();
    if (depth > CD_POLICY_JSON_MAX_DEPTH) {
        cd_err_set(w->err, e->loc,
                   "the expression nests too deeply for policy JSON (more than %d levels)",
                   CD_POLICY_JSON_MAX_DEPTH);
        w->failed = true;
        return json_null();
    }
    /* this recursion, and json_dumps' over the tree (two JSON levels per
     * expression level, and a few for the policy around it) later */
    if (cd_stack_low() ||
        !cd_stack_fits(w->base, (2 * (size_t)depth + 8) * CD_STACK_JANSSON_DUMP_LEVEL)) {
        cd_err_set(w->err, e->loc,
                   "expression is nested too deeply (the thread's stack is nearly exhausted)");
        w->failed = true;
        return json_null();
    }
    if (e->kind == CD_X_NOT && e->ne && e->u.op.a->kind == CD_X_EQ)
        return binary_op(w, "!=", e->u.op.a->u.op.a, e->u.op.a->u.op.b, depth);
    /* the operators of cd_ops.def under their JSON names; has, like, is below */
    const cd_opinfo *op = cd_op_info(e->kind);
    if (op && op->class != CD_OPC_KEYWORD && op->arity == 2)
        return binary_op(w, op->json, e->u.op.a, e->u.op.b, depth);
    if (op && op->class != CD_OPC_KEYWORD) return unary_op(w, op->json, e->u.op.a, depth);
    switch (e->kind) {
    case CD_X_LIT: return wrap("Value", lit_json(&e->u.lit));
    case CD_X_VAR: {
        static const char *const vars[] = {"principal", "action", "resource", "context"};
        return wrap("Var", json_string(vars[e->u.var]));
    }
    case CD_X_SLOT:
        return wrap("Slot",
                    json_string(e->u.slot == CD_SLOT_PRINCIPAL ? "?principal" : "?resource"));
    case CD_X_IF: {
        json_t *o = json_object();
        json_object_set_new(o, "if", expr(w, e->u.op.a, depth + 1));
        json_object_set_new(o, "then", expr(w, e->u.op.b, depth + 1));
        json_object_set_new(o, "else", expr(w, e->u.op.c, depth + 1));
        return wrap("if-then-else", o);
    }
    case CD_X_HAS:
    case CD_X_GET_ATTR: {
        json_t *o = json_object();
        json_object_set_new(o, "left", expr(w, e->u.attr.obj, depth + 1));
        json_object_set_new(o, "attr", str(e->u.attr.name));
        return wrap(op ? op->json : ".", o);
    }
    case CD_X_LIKE: {
        json_t *o = json_object();
        json_object_set_new(o, "left", expr(w, e->u.like.obj, depth + 1));
        json_object_set_new(o, "pattern", pattern_json(&e->u.like.pat));
        return wrap(op->json, o);
    }
    case CD_X_IS: {
        json_t *o = json_object();
        json_object_set_new(o, "left", expr(w, e->u.is.obj, depth + 1));
        json_object_set_new(o, "entity_type", json_string(e->u.is.type->text));
        if (e->u.is.in) json_object_set_new(o, "in", expr(w, e->u.is.in, depth + 1));
        return wrap(op->json, o);
    }
    case CD_X_SET: {
        json_t *a = json_array();
        for (size_t i = 0; i < e->u.list.n; i++)
            json_array_append_new(a, expr(w, e->u.list.items[i], depth + 1));
        return wrap("Set", a);
    }
    case CD_X_RECORD:
        if (e->value_form) return wrap("Value", record_json(w, e, value_json, depth));
        return wrap("Record", record_json(w, e, expr, depth));
    case CD_X_CALL: {
        if (e->u.call.fn == CD_FN_UNKNOWN)
            return wrap("Value", extn_json(w, e, e->u.call.name, depth));
        json_t *a = json_array();
        for (size_t i = 0; i < e->u.call.n; i++)
            json_array_append_new(a, expr(w, e->u.call.args[i], depth + 1));
        return wrap(cd_extfn_get(e->u.call.fn)->name, a);
    }
    default: return json_null();
    }
}

static json_t *entity_ref(const cd_scope *sc, bool principal)
{
    if (sc->slot) return wrap("slot", json_string(principal ? "?principal" : "?resource"));
    return wrap("entity", uid_json(&sc->uid));
}

static json_t *scope_json(const cd_scope *sc, bool principal, bool action)
{
    json_t *o;
    switch (sc->op) {
    case CD_SCOPE_ANY: return wrap("op", json_string("All"));
    case CD_SCOPE_EQ:
    case CD_SCOPE_IN:
        o = wrap("op", json_string(sc->op == CD_SCOPE_EQ ? "==" : "in"));
        json_object_update_new(o, entity_ref(sc, principal));
        return o;
    case CD_SCOPE_IS:
    case CD_SCOPE_IS_IN:
        o = json_object();
        json_object_set_new(o, "op", json_string("is"));
        json_object_set_new(o, "entity_type", json_string(sc->is_type->text));
        if (sc->op == CD_SCOPE_IS_IN) json_object_set_new(o, "in", entity_ref(sc, principal));
        return o;
    case CD_SCOPE_IN_SET: {
        if (sc->n_uids == 1) { /* `action in [A]` is written as `action in A` */
            o = wrap("op", json_string("in"));
            json_object_set_new(o, "entity", uid_json(&sc->uids[0]));
            return o;
        }
        json_t *a = json_array();
        for (size_t i = 0; i < sc->n_uids; i++)
            json_array_append_new(a, uid_json(&sc->uids[i]));
        o = wrap("op", json_string("in"));
        json_object_set_new(o, "entities", a);
        return o;
    }
    }
    (void)action;
    return json_null();
}

json_t *cd_policy_to_json(const cd_policy *p, cd_err *err)
{
    if (p->template_of) p = p->template_of;
    writer w = {.err = err, .base = cd_stack_here()};
    json_t *o = json_object();
    json_object_set_new(o, "effect",
                        json_string(p->body->effect == CD_PERMIT ? "permit" : "forbid"));
    json_object_set_new(o, "principal", scope_json(&p->body->principal, true, false));
    json_object_set_new(o, "action", scope_json(&p->body->action, false, true));
    json_object_set_new(o, "resource", scope_json(&p->body->resource, false, false));
    json_t *conds = json_array();
    for (size_t i = 0; i < p->body->n_conditions; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "kind",
                            json_string(p->body->conditions[i].is_when ? "when" : "unless"));
        json_object_set_new(c, "body", expr(&w, p->body->conditions[i].body, 1));
        json_array_append_new(conds, c);
    }
    json_object_set_new(o, "conditions", conds);
    if (p->body->n_annotations) {
        size_t n = p->body->n_annotations;
        cd_str *keys = malloc(n * sizeof *keys);
        size_t *order = malloc(n * sizeof *order);
        if (!keys || !order) abort();
        for (size_t i = 0; i < n; i++) {
            keys[i] = p->body->annotations[i].key;
            order[i] = i;
        }
        sort_keys(keys, order, n);
        json_t *a = json_object();
        for (size_t i = 0; i < n; i++)
            json_object_setn_new(a, keys[order[i]].ptr, keys[order[i]].len,
                                 p->body->annotations[order[i]].has_value
                                     ? str(p->body->annotations[order[i]].value)
                                     : json_null());
        free(keys);
        free(order);
        json_object_set_new(o, "annotations", a);
    }
    if (w.failed) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *cd_policies_to_json(const cd_policy *const *ps, size_t n, cd_err *err)
{
    json_t *stat = json_object(), *tmpl = json_object(), *links = json_array();
    json_t *root = json_object();
    json_object_set_new(root, "staticPolicies", stat);
    json_object_set_new(root, "templates", tmpl);
    json_object_set_new(root, "templateLinks", links);
    for (size_t i = 0; i < n; i++) {
        const cd_policy *p = ps[i];
        if (p->template_of) {
            json_t *l = json_object();
            json_object_set_new(l, "templateId", str(p->template_of->id));
            json_object_set_new(l, "newId", str(p->id));
            json_t *vals = json_object();
            if (p->has_principal_slot)
                json_object_set_new(vals, "?principal", uid_json(&p->principal_slot));
            if (p->has_resource_slot)
                json_object_set_new(vals, "?resource", uid_json(&p->resource_slot));
            json_object_set_new(l, "values", vals);
            json_array_append_new(links, l);
            continue;
        }
        json_t *pj = cd_policy_to_json(p, err);
        if (!pj) {
            json_decref(root);
            return NULL;
        }
        json_object_setn_new(p->is_template ? tmpl : stat, p->id.ptr, p->id.len, pj);
    }
    return root;
}
