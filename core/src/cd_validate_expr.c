/* cd_validate_expr.c: the typechecker's rules for variables, literals,
 * `if`, `&&`, `||`, `!`, `-`, `isEmpty`, attributes (`.a`, `has`), `like`,
 * `is` and set and record literals (the official SingleEnvTypechecker::
 * typecheck in typecheck.rs; operators are in cd_validate_ops.c).
 *
 * Every rule follows the official TypecheckAnswer plumbing exactly, since
 * the verdict depends on it: a failed operand still hands its (recovery)
 * type to the rule but no capabilities, and the rule's answer then fails;
 * operands that short-circuiting makes unreachable (the right of `false &&`,
 * the else branch of `if true`) are not typechecked at all.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_stack.h"
#include "cd_validate_int.h"

static const cd_caps no_caps = {0, NULL};

static cd_ans ans(bool ok, const cd_vtype *t, cd_caps c)
{
    return (cd_ans){ok, t, ok ? c : no_caps};
}

/* What a successful-or-failed operand passes on (then_typecheck). */
static cd_caps caps_of(cd_ans a)
{
    return a.ok ? a.caps : no_caps;
}

/* ---- expected types ------------------------------------------------------------ */

/* The check of cd_tc_expect on e's answer a. Not inlined, nor are the
 * functions below that are on the recursion path: their frames add up on
 * every level of nesting. */
__attribute__((noinline)) static cd_ans check_expected(cd_tc *tc, cd_ans a, const cd_expr *e,
                                                       const cd_vtype *const *expected, size_t n,
                                                       cd_vhelp help)
{
    if (!a.ty) return ans(false, NULL, no_caps);
    /* permissive subtyping even in strict mode: expecting "a record" or "an
     * entity" must accept any record or entity */
    for (size_t i = 0; i < n; i++)
        if (cd_vt_subtype(a.ty, expected[i], false)) return a;
    cd_buf b;
    cd_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i) cd_buf_puts(&b, ", or ");
        cd_vt_print(&b, expected[i]);
    }
    cd_tc_error(tc, CD_VE_UNEXPECTED_TYPE, e->loc, cd_tc_help_text(help, a.ty),
                "unexpected type: expected %s but saw %s", cd_buf_cstr(&b),
                cd_tc_type_str(tc, a.ty));
    cd_buf_free(&b);
    return ans(false, NULL, no_caps);
}

__attribute__((noinline)) cd_ans cd_tc_expect(cd_tc *tc, cd_caps prior, const cd_expr *e,
                                              const cd_vtype *const *expected, size_t n,
                                              cd_vhelp help)
{
    return check_expected(tc, cd_tc_expr(tc, prior, e), e, expected, n, help);
}

cd_ans cd_tc_expect1(cd_tc *tc, cd_caps prior, const cd_expr *e, const cd_vtype *expected,
                     cd_vhelp help)
{
    return cd_tc_expect(tc, prior, e, &expected, 1, help);
}

const cd_vtype *cd_tc_lub_or_error(cd_tc *tc, cd_loc loc, const cd_vtype *const *tys, size_t n,
                                   const char *context)
{
    for (size_t i = 0; i < n; i++)
        if (!tys[i]) return NULL; /* an operand without a type already failed */
    const cd_vtype *lub = &cd_vt_never;
    cd_lub_why why = CD_LUB_NONE;
    for (size_t i = 0; i < n && lub; i++)
        lub = cd_vt_lub(tc->arena, lub, tys[i], tc->strict, &why);
    if (lub) return lub;
    cd_tc_incompatible(tc, loc, tys, n, why, context);
    return NULL;
}

/* ---- leaves ---------------------------------------------------------------------- */

static cd_ans tc_var(cd_tc *tc, const cd_expr *e)
{
    const cd_venv *env = tc->env;
    switch (e->u.var) {
    case CD_VAR_PRINCIPAL: return ans(true, cd_vt_entity(tc->arena, env->principal), no_caps);
    case CD_VAR_RESOURCE: return ans(true, cd_vt_entity(tc->arena, env->resource), no_caps);
    case CD_VAR_ACTION:
        return ans(true, cd_vt_entity(tc->arena, env->action->decl->uid.type), no_caps);
    case CD_VAR_CONTEXT: break;
    }
    return ans(true, env->action->context, no_caps);
}

static cd_ans tc_slot(cd_tc *tc, const cd_expr *e)
{
    const cd_name *t =
        e->u.slot == CD_SLOT_PRINCIPAL ? tc->env->principal_slot : tc->env->resource_slot;
    return ans(true, t ? cd_vt_entity(tc->arena, t) : &cd_vt_any_entity, no_caps);
}

static cd_ans tc_lit(cd_tc *tc, const cd_expr *e)
{
    const cd_value *v = &e->u.lit;
    switch (v->kind) {
    case CD_V_BOOL: return ans(true, cd_vt_singleton(v->u.b), no_caps);
    case CD_V_LONG: return ans(true, &cd_vt_long, no_caps);
    case CD_V_STRING: return ans(true, &cd_vt_string, no_caps);
    case CD_V_ENTITY: {
        /* an undeclared type or action fails without an error here: the
         * policy-level checks report it once */
        const cd_uid *u = &v->u.uid;
        bool known = cd_vschema_is_action_type(u->type)
                         ? cd_schema_action(tc->vs->s, u) != NULL
                         : cd_schema_entity(tc->vs->s, u->type) != NULL;
        return known ? ans(true, cd_vt_entity(tc->arena, u->type), no_caps)
                     : ans(false, NULL, no_caps);
    }
    default: return ans(false, NULL, no_caps); /* the parser makes no other literals */
    }
}

/* ---- control flow ------------------------------------------------------------------ */

static cd_ans tc_if(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_ans t = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_bool, CD_H_NONE);
    cd_caps tcaps = caps_of(t);
    if (cd_vt_is_bool(t.ty, CD_VT_TRUE)) {
        /* the else branch can never run: it is not typechecked */
        cd_ans th = cd_tc_expr(tc, cd_caps_union(tc, prior, tcaps), e->u.op.b);
        return ans(t.ok && th.ok, th.ty, cd_caps_union(tc, caps_of(th), tcaps));
    }
    if (cd_vt_is_bool(t.ty, CD_VT_FALSE)) {
        cd_ans el = cd_tc_expr(tc, prior, e->u.op.c);
        return ans(t.ok && el.ok, el.ty, caps_of(el));
    }
    cd_ans th = cd_tc_expr(tc, cd_caps_union(tc, prior, tcaps), e->u.op.b);
    cd_caps thcaps = th.ok ? cd_caps_union(tc, th.caps, tcaps) : no_caps;
    cd_ans el = cd_tc_expr(tc, prior, e->u.op.c);
    const cd_vtype *tys[2] = {th.ty, el.ty};
    const cd_vtype *lub = cd_tc_lub_or_error(tc, e->loc, tys, 2, "both branches of a conditional");
    /* true after either branch: only what both branches guarantee */
    return ans(t.ok && th.ok && el.ok && lub, lub, cd_caps_intersect(tc, caps_of(el), thcaps));
}

/* `left && right` once the left's answer l is known (always a boolean type:
 * the answers of `&&` and `||` pass their own cd_tc_expect1 unchanged, which
 * is why a chain can feed one node's answer to the next). */
static cd_ans and_rest(cd_tc *tc, cd_caps prior, cd_ans l, const cd_expr *right)
{
    cd_caps lc = caps_of(l);
    if (cd_vt_is_bool(l.ty, CD_VT_FALSE)) return ans(l.ok, l.ty, no_caps);
    cd_ans r = cd_tc_expect1(tc, cd_caps_union(tc, prior, lc), right, &cd_vt_bool, CD_H_NONE);
    cd_caps rc = caps_of(r);
    bool ok = l.ok && r.ok;
    if (!l.ty || !r.ty) return ans(false, &cd_vt_bool, no_caps);
    if (r.ty->kind == CD_VT_FALSE) return ans(ok, &cd_vt_false, no_caps);
    if (r.ty->kind == CD_VT_TRUE) return ans(ok, l.ty, cd_caps_union(tc, lc, rc));
    /* the official rule keeps only the right's capabilities when the left
     * is always true */
    if (l.ty->kind == CD_VT_TRUE) return ans(ok, r.ty, rc);
    return ans(ok, &cd_vt_bool, cd_caps_union(tc, lc, rc));
}

/* `left && right`; also used for `e is T in E` (`e is T && e in E`). */
static cd_ans tc_and(cd_tc *tc, cd_caps prior, const cd_expr *left, const cd_expr *right)
{
    return and_rest(tc, prior, cd_tc_expect1(tc, prior, left, &cd_vt_bool, CD_H_NONE), right);
}

/* `left || right` once the left's answer l is known (as and_rest). */
static cd_ans or_rest(cd_tc *tc, cd_caps prior, cd_ans l, const cd_expr *right)
{
    cd_caps lc = caps_of(l);
    if (cd_vt_is_bool(l.ty, CD_VT_TRUE)) return ans(l.ok, l.ty, lc);
    /* the right runs when the left was false: nothing learnt from the left */
    cd_ans r = cd_tc_expect1(tc, prior, right, &cd_vt_bool, CD_H_NONE);
    cd_caps rc = caps_of(r);
    bool ok = l.ok && r.ok;
    if (!l.ty || !r.ty) return ans(false, &cd_vt_bool, no_caps);
    if (r.ty->kind == CD_VT_TRUE) return ans(ok, &cd_vt_true, rc);
    if (r.ty->kind == CD_VT_FALSE) return ans(ok, l.ty, lc);
    if (l.ty->kind == CD_VT_FALSE) return ans(ok, r.ty, rc);
    return ans(ok, &cd_vt_bool, cd_caps_intersect(tc, rc, lc));
}

__attribute__((noinline)) static cd_ans tc_or(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    return or_rest(tc, prior, cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_bool, CD_H_NONE),
                   e->u.op.b);
}

static cd_ans tc_not(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_ans a = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_bool, CD_H_NONE);
    const cd_vtype *t = &cd_vt_bool;
    if (cd_vt_is_bool(a.ty, CD_VT_TRUE)) t = &cd_vt_false;
    if (cd_vt_is_bool(a.ty, CD_VT_FALSE)) t = &cd_vt_true;
    return ans(a.ok && a.ty, t, no_caps);
}

/* ---- attributes ------------------------------------------------------------------- */

static const cd_vtype *const entity_or_record[] = {&cd_vt_any_entity, &cd_vt_any_record};

/* `obj.name` once the answer a of cd_tc_expect on obj is known. */
static cd_ans get_attr_rest(cd_tc *tc, cd_caps prior, const cd_expr *e, cd_ans a)
{
    const cd_expr *obj = e->u.attr.obj;
    cd_str name = e->u.attr.name;
    if (!a.ty) return ans(false, NULL, no_caps);
    const cd_vattr *at = cd_tc_attr(tc, a.ty, name);
    if (at) {
        /* safe when always present, or guarded by a `has` that is known true */
        if (at->required || cd_caps_has_attr(tc, prior, obj, name))
            return ans(a.ok, at->type, no_caps);
        cd_tc_attr_error(tc, e, a.ty, true);
        return ans(false, at->type, no_caps);
    }
    cd_tc_attr_error(tc, e, a.ty, false);
    return ans(false, NULL, no_caps);
}

__attribute__((noinline)) static cd_ans tc_get_attr(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    return get_attr_rest(tc, prior, e,
                         cd_tc_expect(tc, prior, e->u.attr.obj, entity_or_record, 2, CD_H_NONE));
}

static cd_ans tc_has(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    const cd_expr *obj = e->u.attr.obj;
    cd_str name = e->u.attr.name;
    cd_ans a = cd_tc_expect(tc, prior, obj, entity_or_record, 2, cd_tc_op_hint(CD_X_HAS, 0));
    if (!a.ty) return ans(false, &cd_vt_bool, no_caps);
    const cd_vattr *at = cd_tc_attr(tc, a.ty, name);
    if (!at) {
        /* not declared: false unless some value of the type may have it */
        const cd_vtype *t = cd_tc_may_have_attr(tc, a.ty, name) ? &cd_vt_bool : &cd_vt_false;
        return ans(a.ok, t, no_caps);
    }
    bool known = cd_caps_has_attr(tc, prior, obj, name);
    /* a required attribute of a record is always there; an entity's only if
     * the entity exists, which a prior `has` on it proves */
    bool always = known || (at->required && a.ty->kind == CD_VT_RECORD);
    return ans(a.ok, always ? &cd_vt_true : &cd_vt_bool, cd_caps_attr(tc, obj, name));
}

/* ---- like, is ---------------------------------------------------------------------- */

static cd_ans tc_is(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_ans a = cd_tc_expect1(tc, prior, e->u.is.obj, &cd_vt_any_entity, cd_tc_op_hint(CD_X_IS, 0));
    if (!a.ty) return ans(false, &cd_vt_bool, no_caps);
    const cd_vtype *t = &cd_vt_bool;
    if (a.ty->kind == CD_VT_ENTITY) {
        const cd_vlub *l = &a.ty->u.lub;
        if (!cd_vt_lub_has(l, e->u.is.type))
            t = &cd_vt_false;
        else if (l->n == 1)
            t = &cd_vt_true;
    } else if (a.ty->kind != CD_VT_ANY_ENTITY) {
        return ans(false, &cd_vt_bool, no_caps);
    }
    return ans(a.ok, t, no_caps);
}

/* `e is T in E` is `e is T && e in E` in the official AST. */
static cd_ans tc_is_in(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_expr *is = CD_NEW(tc->arena, cd_expr);
    cd_expr *in = CD_NEW(tc->arena, cd_expr);
    *is = *e;
    is->u.is.in = NULL;
    in->kind = CD_X_IN;
    in->loc = e->loc;
    in->u.op.a = e->u.is.obj;
    in->u.op.b = e->u.is.in;
    return tc_and(tc, prior, is, in);
}

/* ---- literals of sets and records ---------------------------------------------------- */

static cd_ans tc_set(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    size_t n = e->u.list.n;
    const cd_vtype **tys = CD_NEW_ARRAY(tc->arena, const cd_vtype *, n ? n : 1);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        cd_ans a = cd_tc_expr(tc, prior, e->u.list.items[i]);
        ok = ok && a.ok;
        tys[i] = a.ty;
    }
    const cd_vtype *lub = cd_tc_lub_or_error(tc, e->loc, tys, n, "elements of a set");
    if (tc->strict && n == 0) {
        cd_tc_error(tc, CD_VE_EMPTY_SET_FORBIDDEN, e->loc,
                    "the validator cannot give `[]` an element type: compare with a typed "
                    "attribute or use `.isEmpty()`",
                    "empty set literals are forbidden in policies");
        return ans(false, NULL, no_caps);
    }
    if (!lub) return ans(false, NULL, no_caps);
    return ans(ok, cd_vt_set(tc->arena, lub), no_caps);
}

static cd_ans tc_record(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    size_t n = e->u.rec.n;
    cd_vattr *attrs = CD_NEW_ARRAY(tc->arena, cd_vattr, n ? n : 1);
    bool ok = true, typed = true;
    for (size_t i = 0; i < n; i++) {
        cd_ans a = cd_tc_expr(tc, prior, e->u.rec.vals[i]);
        ok = ok && a.ok;
        typed = typed && a.ty;
        attrs[i] = (cd_vattr){e->u.rec.keys[i], a.ty, true};
    }
    if (!typed) return ans(false, NULL, no_caps);
    return ans(ok, cd_vt_record(tc->arena, attrs, n, false), no_caps);
}

/* ---- chains ------------------------------------------------------------------------- */

/* A chain (cd_ast.h) node by node, innermost first, each node's rule given
 * the answer for its left operand, exactly as the recursion over the binary
 * tree would: every operand is checked with the same prior capabilities,
 * and `&&`'s capabilities flow left to right through the answers. These
 * functions are not inlined: they are on the recursion path, cd_tc_expr is
 * on every level of it and must keep a small frame. */
__attribute__((noinline)) static cd_ans tc_bool_chain(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    size_t n;
    const cd_expr **nodes = cd_chain_nodes(e, &n);
    cd_ans a = cd_tc_expect1(tc, prior, cd_chain_left(nodes[0]), &cd_vt_bool, CD_H_NONE);
    for (size_t i = 0; i < n; i++)
        a = e->kind == CD_X_AND ? and_rest(tc, prior, a, nodes[i]->u.op.b)
                                : or_rest(tc, prior, a, nodes[i]->u.op.b);
    free(nodes);
    return a;
}

__attribute__((noinline)) static cd_ans tc_attr_chain(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    size_t n;
    const cd_expr **nodes = cd_chain_nodes(e, &n);
    cd_ans a = cd_tc_expect(tc, prior, cd_chain_left(nodes[0]), entity_or_record, 2, CD_H_NONE);
    cd_tc_path outer = tc->path;
    tc->path = (cd_tc_path){nodes, n, 0, NULL};
    for (size_t i = 0; i < n; i++) {
        if (i) a = check_expected(tc, a, nodes[i - 1], entity_or_record, 2, CD_H_NONE);
        tc->path.at = i;
        a = get_attr_rest(tc, prior, nodes[i], a);
    }
    tc->path = outer;
    free(nodes);
    return a;
}

__attribute__((noinline)) static cd_ans tc_arith_chain(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    size_t n;
    const cd_expr **nodes = cd_chain_nodes(e, &n);
    cd_ans a = cd_tc_arith_chain(tc, prior, nodes, n); /* a node's answer is always Long */
    free(nodes);
    return a;
}

__attribute__((noinline)) static cd_ans tc_chain(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    if (e->kind == CD_X_AND || e->kind == CD_X_OR) return tc_bool_chain(tc, prior, e);
    if (e->kind == CD_X_GET_ATTR) return tc_attr_chain(tc, prior, e);
    return tc_arith_chain(tc, prior, e);
}

/* ---- dispatch ------------------------------------------------------------------------- */

static __attribute__((noinline)) cd_ans stack_low(cd_tc *tc, const cd_expr *e)
{
    cd_tc_error(tc, CD_VE_RECURSION_LIMIT, e->loc, NULL,
                "expression is nested too deeply (the thread's stack is nearly exhausted)");
    return ans(false, NULL, no_caps);
}

cd_ans cd_tc_expr(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    if (cd_stack_low()) return stack_low(tc, e);
    if (cd_chain_continues(e)) return tc_chain(tc, prior, e);
    switch (e->kind) {
    case CD_X_LIT: return tc_lit(tc, e);
    case CD_X_VAR: return tc_var(tc, e);
    case CD_X_SLOT: return tc_slot(tc, e);
    case CD_X_IF: return tc_if(tc, prior, e);
    case CD_X_AND: return tc_and(tc, prior, e->u.op.a, e->u.op.b);
    case CD_X_OR: return tc_or(tc, prior, e);
    case CD_X_NOT: return tc_not(tc, prior, e);
    case CD_X_NEG: {
        cd_ans a = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_long, CD_H_NONE);
        return ans(a.ok, &cd_vt_long, no_caps);
    }
    case CD_X_IS_EMPTY: {
        cd_ans a = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_any_set, cd_tc_op_hint(e->kind, 0));
        return ans(a.ok, &cd_vt_bool, no_caps);
    }
    case CD_X_LIKE: {
        cd_ans a =
            cd_tc_expect1(tc, prior, e->u.like.obj, &cd_vt_string, cd_tc_op_hint(CD_X_LIKE, 0));
        return ans(a.ok, &cd_vt_bool, no_caps);
    }
    case CD_X_HAS: return tc_has(tc, prior, e);
    case CD_X_GET_ATTR: return tc_get_attr(tc, prior, e);
    case CD_X_IS: return e->u.is.in ? tc_is_in(tc, prior, e) : tc_is(tc, prior, e);
    case CD_X_SET: return tc_set(tc, prior, e);
    case CD_X_RECORD: return tc_record(tc, prior, e);
    case CD_X_CALL: return cd_tc_call(tc, prior, e);
    default: return cd_tc_binary(tc, prior, e);
    }
}
