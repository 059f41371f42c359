/* cd_validate_ops.c: the typechecker's rules for binary operators, `in`,
 * entity tags and extension functions (the official typecheck_binary,
 * typecheck_in and typecheck_extension in typecheck.rs).
 */
#include <stdio.h>
#include <string.h>

#include "cd_ext.h"
#include "cd_validate_int.h"

static const cd_caps no_caps = {0, NULL};

static cd_ans ans(bool ok, const cd_vtype *t, cd_caps c)
{
    return (cd_ans){ok, t, ok ? c : no_caps};
}

/* ---- == ------------------------------------------------------------------------- */

/* A literal (folded `&&`/`||` of boolean literals included); the action
 * variable stands for the environment's action uid. */
static const cd_value *literal_of(cd_tc *tc, const cd_expr *e, cd_value *tmp)
{
    bool b;
    if (e->kind == CD_X_LIT) return &e->u.lit;
    if (cd_caps_bool_lit(e, &b)) {
        *tmp = cd_bool(b);
        return tmp;
    }
    if (e->kind == CD_X_VAR && e->u.var == CD_VAR_ACTION) {
        *tmp = cd_entityv(tc->env->action->decl->uid);
        return tmp;
    }
    return NULL;
}

/* Strict mode: the operand types must have a least upper bound, unless the
 * result is already known to be always true or always false. */
static bool strict_compatible(cd_tc *tc, const cd_expr *e, const cd_vtype *result,
                              const cd_vtype *a, const cd_vtype *b, const char *context)
{
    if (!tc->strict || result->kind == CD_VT_TRUE || result->kind == CD_VT_FALSE || !a || !b)
        return true;
    cd_lub_why why = CD_LUB_NONE;
    if (cd_vt_lub(tc->arena, a, b, true, &why)) return true;
    const cd_vtype *tys[2] = {a, b};
    cd_tc_incompatible(tc, e->loc, tys, 2, why, context);
    return false;
}

static cd_ans tc_eq(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_ans l = cd_tc_expr(tc, prior, e->u.op.a);
    cd_ans r = cd_tc_expr(tc, prior, e->u.op.b);
    const cd_vtype *t = &cd_vt_bool;
    cd_value t1, t2;
    const cd_value *v1, *v2;
    if (l.ty && r.ty && cd_vt_disjoint(l.ty, r.ty))
        t = &cd_vt_false;
    else if ((v1 = literal_of(tc, e->u.op.a, &t1)) && (v2 = literal_of(tc, e->u.op.b, &t2)))
        t = cd_vt_singleton(cd_value_eq(v1, v2)); /* two literals: decided statically */
    bool ok = strict_compatible(tc, e, t, l.ty, r.ty, "both operands to a `==` expression");
    return ans(l.ok && r.ok && ok, t, no_caps);
}

/* ---- < <= > >= ------------------------------------------------------------------ */

/* Long, and the extension types with ordering operators. */
static bool comparable(const cd_vtype *t)
{
    return t->kind == CD_VT_LONG ||
           (t->kind == CD_VT_EXT && (t->u.ext == CD_EXT_DATETIME || t->u.ext == CD_EXT_DURATION));
}

static void cmp_error(cd_tc *tc, const cd_expr *arg, const char *expected, const cd_vtype *actual)
{
    cd_tc_error(tc, CD_VE_UNEXPECTED_TYPE, arg->loc, NULL,
                "unexpected type: expected %s but saw %s", expected, cd_tc_type_str(tc, actual));
}

static cd_ans tc_compare(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    static const char any_cmp[] = "datetime, or duration, or Long";
    const cd_expr *x = e->u.op.a, *y = e->u.op.b;
    cd_ans l = cd_tc_expr(tc, prior, x);
    cd_ans r = cd_tc_expr(tc, prior, y);
    const cd_vtype *a = l.ty, *b = r.ty;
    bool ok = false;
    if (!a || !b) {
        ok = false;
    } else if (a->kind == CD_VT_NEVER && b->kind == CD_VT_NEVER) {
        ok = false;
    } else if (a->kind == CD_VT_NEVER || b->kind == CD_VT_NEVER) {
        const cd_vtype *other = a->kind == CD_VT_NEVER ? b : a;
        ok = comparable(other);
        if (!ok) cmp_error(tc, a->kind == CD_VT_NEVER ? y : x, any_cmp, other);
    } else if (cd_vt_eq(a, b) && comparable(a)) {
        ok = true;
    } else if (a->kind == CD_VT_LONG) {
        cmp_error(tc, y, "Long", b);
    } else if (b->kind == CD_VT_LONG) {
        cmp_error(tc, x, "Long", a);
    } else if (comparable(a)) {
        cmp_error(tc, y, cd_tc_type_str(tc, a), b);
    } else if (comparable(b)) {
        cmp_error(tc, x, cd_tc_type_str(tc, b), a);
    } else {
        cmp_error(tc, x, any_cmp, a);
        cmp_error(tc, y, any_cmp, b);
    }
    return ans(l.ok && r.ok && ok, &cd_vt_bool, no_caps);
}

/* ---- + - * ---------------------------------------------------------------------- */

static cd_ans tc_arith(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_ans l = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_long, cd_tc_op_hint(e->kind, 0));
    cd_ans r = cd_tc_expect1(tc, prior, e->u.op.b, &cd_vt_long, cd_tc_op_hint(e->kind, 1));
    return ans(l.ok && r.ok, &cd_vt_long, no_caps);
}

/* A chain of + - * (nodes innermost first): a node's answer is Long, which
 * its parent's check passes, so only the first term and the right operands
 * are checked, in the order the recursion would check them. */
cd_ans cd_tc_arith_chain(cd_tc *tc, cd_caps prior, const cd_expr *const *nodes, size_t n)
{
    bool ok =
        cd_tc_expect1(tc, prior, nodes[0]->u.op.a, &cd_vt_long, cd_tc_op_hint(nodes[0]->kind, 0))
            .ok;
    for (size_t i = 0; i < n; i++) {
        bool r = cd_tc_expect1(tc, prior, nodes[i]->u.op.b, &cd_vt_long,
                               cd_tc_op_hint(nodes[i]->kind, 1))
                     .ok;
        ok = ok && r;
    }
    return ans(ok, &cd_vt_long, no_caps);
}

/* ---- in --------------------------------------------------------------------------- */

/* The uids of an entity literal, the action variable, or a set literal of
 * only those (n = 0 and false otherwise). */
static bool literal_uids(cd_tc *tc, const cd_expr *e, cd_uid **out, size_t *n)
{
    cd_value tmp;
    const cd_value *v = literal_of(tc, e, &tmp);
    if (v) {
        if (v->kind != CD_V_ENTITY) return false;
        *out = CD_NEW(tc->arena, cd_uid);
        **out = v->u.uid;
        *n = 1;
        return true;
    }
    if (e->kind != CD_X_SET) return false;
    *n = e->u.list.n;
    *out = CD_NEW_ARRAY(tc->arena, cd_uid, *n ? *n : 1);
    for (size_t i = 0; i < *n; i++) {
        v = literal_of(tc, e->u.list.items[i], &tmp);
        if (!v || v->kind != CD_V_ENTITY) return false;
        (*out)[i] = v->u.uid;
    }
    return true;
}

/* An action literal `in` literals: decided by the schema's action hierarchy
 * (an action is never in a non-action entity). */
static cd_ans action_in_literals(cd_tc *tc, const cd_uid *lhs, const cd_uid *rhs, size_t n)
{
    const cd_vact *la = cd_vschema_act(tc->vs, lhs);
    bool any_action = false, in = false;
    for (size_t i = 0; i < n; i++) {
        if (!cd_vschema_is_action_type(rhs[i].type)) continue;
        any_action = true;
        const cd_vact *ra = cd_vschema_act(tc->vs, &rhs[i]);
        if (!ra) return ans(false, &cd_vt_bool, no_caps);
        if (la && (la == ra || cd_vschema_act_has_desc(ra, la->decl))) in = true;
    }
    return ans(true, any_action && in ? &cd_vt_true : &cd_vt_false, no_caps);
}

static const cd_vlub *entity_lub_of(const cd_vtype *t)
{
    if (t && t->kind == CD_VT_SET) t = t->u.elem;
    return t && t->kind == CD_VT_ENTITY ? &t->u.lub : NULL;
}

static cd_ans tc_in(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    static const cd_vtype set_of_entities = {.kind = CD_VT_SET, .u.elem = &cd_vt_any_entity};
    static const cd_vtype *const rhs_types[] = {&set_of_entities, &cd_vt_any_entity};
    cd_ans l = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_any_entity, cd_tc_op_hint(e->kind, 0));
    cd_ans r = cd_tc_expect(tc, prior, e->u.op.b, rhs_types, 2, cd_tc_op_hint(e->kind, 1));
    if (!l.ok || !r.ok) return ans(false, &cd_vt_bool, no_caps);
    cd_uid *lu, *ru;
    size_t ln, rn;
    if (literal_uids(tc, e->u.op.a, &lu, &ln) && ln == 1 && cd_vschema_is_action_type(lu->type) &&
        literal_uids(tc, e->u.op.b, &ru, &rn))
        return action_in_literals(tc, lu, ru, rn);
    const cd_vlub *ll = l.ty->kind == CD_VT_ENTITY ? &l.ty->u.lub : NULL;
    const cd_vlub *rl = entity_lub_of(r.ty);
    if (ll && rl) {
        bool may = false;
        for (size_t i = 0; i < ll->n && !may; i++)
            for (size_t j = 0; j < rl->n && !may; j++)
                may = cd_vschema_may_be_in(tc->vs, ll->names[i], rl->names[j]);
        if (!may) return ans(true, &cd_vt_false, no_caps);
    }
    return ans(true, &cd_vt_bool, no_caps);
}

/* ---- contains, containsAll, containsAny ---------------------------------------------- */

static cd_ans tc_contains(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_ans s = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_any_set, cd_tc_op_hint(e->kind, 0));
    if (e->kind == CD_X_CONTAINS) {
        cd_ans x = cd_tc_expr(tc, prior, e->u.op.b);
        const cd_vtype *elem = s.ty ? s.ty->u.elem : NULL;
        bool ok = strict_compatible(tc, e, &cd_vt_bool, elem, x.ty,
                                    "elements of the first operand and the second operand to a "
                                    "`contains` expression");
        return ans(s.ok && x.ok && ok, &cd_vt_bool, no_caps);
    }
    cd_ans t = cd_tc_expect1(tc, prior, e->u.op.b, &cd_vt_any_set, cd_tc_op_hint(e->kind, 1));
    bool ok = strict_compatible(tc, e, &cd_vt_bool, s.ty, t.ty,
                                "elements of both set operands to a `containsAll` or "
                                "`containsAny` expression");
    return ans(s.ok && t.ok && ok, &cd_vt_bool, no_caps);
}

/* ---- tags ----------------------------------------------------------------------------- */

static cd_ans tc_has_tag(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_ans a = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_any_entity, CD_H_NONE);
    cd_ans k = cd_tc_expect1(tc, prior, e->u.op.b, &cd_vt_string, CD_H_NONE);
    if (!a.ty) return ans(false, NULL, no_caps);
    const cd_vtype **tags;
    const cd_vtype *t = &cd_vt_bool;
    if (cd_tc_tag_types(tc, a.ty, &tags) == 0)
        t = &cd_vt_false; /* no entity of the type can have tags */
    else if (cd_caps_has_tag(tc, prior, e->u.op.a, e->u.op.b))
        t = &cd_vt_true;
    return ans(a.ok && k.ok, t, cd_caps_tag(tc, e->u.op.a, e->u.op.b));
}

static const char *single_type_name(const cd_vtype *t)
{
    return t->kind == CD_VT_ENTITY && t->u.lub.n == 1 ? t->u.lub.names[0]->text : NULL;
}

static cd_ans tc_get_tag(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    cd_ans a = cd_tc_expect1(tc, prior, e->u.op.a, &cd_vt_any_entity, CD_H_NONE);
    cd_ans k = cd_tc_expect1(tc, prior, e->u.op.b, &cd_vt_string, CD_H_NONE);
    if (!a.ty) return ans(false, NULL, no_caps);
    const char *single = single_type_name(a.ty);
    cd_buf tag;
    cd_buf_init(&tag);
    cd_expr_print(&tag, e->u.op.b);
    if (!cd_caps_has_tag(tc, prior, e->u.op.a, e->u.op.b)) {
        char *help = cd_arena_printf(tc->arena,
                                     "try testing for the tag's presence with `.hasTag(%s) && ..`",
                                     cd_buf_cstr(&tag));
        cd_tc_error(tc, CD_VE_UNSAFE_TAG_ACCESS, e->loc, help,
                    "unable to guarantee safety of access to tag `%s`%s%s%s", cd_buf_cstr(&tag),
                    single ? " on entity type `" : "", single ? single : "", single ? "`" : "");
        cd_buf_free(&tag);
        return ans(false, NULL, no_caps);
    }
    cd_buf_free(&tag);
    const cd_vtype **tags;
    size_t n = cd_tc_tag_types(tc, a.ty, &tags);
    if (n == 0) {
        cd_tc_error(tc, CD_VE_NO_TAGS_ALLOWED, e->loc, NULL,
                    "`.getTag()` is not allowed on entities of %s%s%s because no `tags` were "
                    "declared on the entity type in the schema",
                    single ? "type `" : "this type", single ? single : "", single ? "`" : "");
        return ans(false, NULL, no_caps);
    }
    const cd_vtype *t =
        cd_tc_lub_or_error(tc, e->loc, tags, n, "tag types for a `.getTag()` operation");
    return ans(a.ok && k.ok && t, t, no_caps);
}

cd_ans cd_tc_binary(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    switch (e->kind) {
    case CD_X_EQ: return tc_eq(tc, prior, e);
    case CD_X_LT:
    case CD_X_LE:
    case CD_X_GT: /* `a > b` is `!(a <= b)` officially: the same type and checks */
    case CD_X_GE: return tc_compare(tc, prior, e);
    case CD_X_ADD:
    case CD_X_SUB:
    case CD_X_MUL: return tc_arith(tc, prior, e);
    case CD_X_IN: return tc_in(tc, prior, e);
    case CD_X_CONTAINS:
    case CD_X_CONTAINS_ALL:
    case CD_X_CONTAINS_ANY: return tc_contains(tc, prior, e);
    case CD_X_HAS_TAG: return tc_has_tag(tc, prior, e);
    case CD_X_GET_TAG: return tc_get_tag(tc, prior, e);
    default: return ans(false, NULL, no_caps); /* not an operator of the parser's AST */
    }
}

/* ---- extension functions ---------------------------------------------------------------- */

/* Argument and return types of each function (cd_extfn order). */
typedef struct fn_sig {
    int nargs;
    const cd_vtype *args[2];
    const cd_vtype *ret;
    bool ctor; /* a constructor: its string literal is checked */
} fn_sig;

static fn_sig signature(cd_extfn fn)
{
    const cd_vtype *dec = cd_vt_ext(CD_EXT_DECIMAL), *ip = cd_vt_ext(CD_EXT_IPADDR),
                   *dt = cd_vt_ext(CD_EXT_DATETIME), *du = cd_vt_ext(CD_EXT_DURATION);
    switch (fn) {
    case CD_FN_DECIMAL: return (fn_sig){1, {&cd_vt_string}, dec, true};
    case CD_FN_IP: return (fn_sig){1, {&cd_vt_string}, ip, true};
    case CD_FN_DATETIME: return (fn_sig){1, {&cd_vt_string}, dt, true};
    case CD_FN_DURATION: return (fn_sig){1, {&cd_vt_string}, du, true};
    case CD_FN_LESS_THAN:
    case CD_FN_LESS_THAN_OR_EQUAL:
    case CD_FN_GREATER_THAN:
    case CD_FN_GREATER_THAN_OR_EQUAL: return (fn_sig){2, {dec, dec}, &cd_vt_bool, false};
    case CD_FN_IS_IPV4:
    case CD_FN_IS_IPV6:
    case CD_FN_IS_LOOPBACK:
    case CD_FN_IS_MULTICAST: return (fn_sig){1, {ip}, &cd_vt_bool, false};
    case CD_FN_IS_IN_RANGE: return (fn_sig){2, {ip, ip}, &cd_vt_bool, false};
    case CD_FN_OFFSET: return (fn_sig){2, {dt, du}, dt, false};
    case CD_FN_DURATION_SINCE: return (fn_sig){2, {dt, dt}, du, false};
    case CD_FN_TO_DATE: return (fn_sig){1, {dt}, dt, false};
    case CD_FN_TO_TIME: return (fn_sig){1, {dt}, du, false};
    default: return (fn_sig){1, {du}, &cd_vt_long, false}; /* toDays ... toMilliseconds */
    }
}

/* A constructor applied to exactly one string literal must parse. */
static bool check_ctor_literal(cd_tc *tc, const cd_expr *e)
{
    if (e->u.call.n != 1 || e->u.call.args[0]->kind != CD_X_LIT ||
        e->u.call.args[0]->u.lit.kind != CD_V_STRING)
        return true;
    cd_str s = e->u.call.args[0]->u.lit.u.s;
    const char *msg = NULL, *what = "";
    bool ok = true;
    int64_t n;
    cd_ipaddr ipa;
    switch (e->u.call.fn) {
    case CD_FN_DECIMAL:
        ok = cd_decimal_parse(s, &n, &msg);
        what = "a decimal value";
        break;
    case CD_FN_IP:
        ok = cd_ip_parse(s, &ipa, &msg);
        what = "an IP address";
        break;
    case CD_FN_DATETIME:
        ok = cd_datetime_parse(s, &n, &msg);
        what = "a datetime value";
        break;
    default:
        ok = cd_duration_parse(s, &n, &msg);
        what = "a duration value";
        break;
    }
    if (ok) return true;
    cd_buf lit;
    cd_buf_init(&lit);
    cd_print_quoted(&lit, s);
    cd_tc_error(tc, CD_VE_EXTENSION_ARGUMENT, e->loc, msg,
                "error during extension function argument validation: failed to parse as %s: `%s`",
                what, cd_buf_cstr(&lit));
    cd_buf_free(&lit);
    return false;
}

cd_ans cd_tc_call(cd_tc *tc, cd_caps prior, const cd_expr *e)
{
    size_t n = e->u.call.n;
    if (e->u.call.fn == CD_FN_UNKNOWN) {
        /* no type: what holds it says nothing more; its arguments are checked */
        cd_tc_error(tc, CD_VE_UNDEFINED_FUNCTION, e->loc, NULL, "undefined extension function: %s",
                    e->u.call.name);
        for (size_t i = 0; i < n; i++)
            cd_tc_expr(tc, prior, e->u.call.args[i]);
        return ans(false, NULL, no_caps);
    }
    fn_sig sig = signature(e->u.call.fn);
    bool failed = false;
    if (n != (size_t)sig.nargs) {
        cd_tc_error(tc, CD_VE_WRONG_NUMBER_OF_ARGUMENTS, e->loc, NULL,
                    "wrong number of arguments in extension function application: `%s` expects "
                    "%d, got %zu",
                    cd_extfn_get(e->u.call.fn)->name, sig.nargs, n);
        failed = true;
    }
    if (sig.ctor && !check_ctor_literal(tc, e)) failed = true;
    if (sig.ctor && tc->strict) {
        bool all_lit = true;
        bool b;
        for (size_t i = 0; i < n; i++)
            all_lit = all_lit && (e->u.call.args[i]->kind == CD_X_LIT ||
                                  cd_caps_bool_lit(e->u.call.args[i], &b));
        if (!all_lit) {
            cd_tc_error(tc, CD_VE_NON_LITERAL_CONSTRUCTOR, e->loc,
                        "write the argument as a string literal",
                        "extension constructors may not be called with non-literal expressions");
            failed = true;
        }
    }
    if (failed) {
        /* still typecheck the arguments, for their own errors */
        for (size_t i = 0; i < n; i++)
            cd_tc_expr(tc, prior, e->u.call.args[i]);
        return ans(false, sig.ret, no_caps);
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        cd_ans a = cd_tc_expect1(tc, prior, e->u.call.args[i], sig.args[i], CD_H_NONE);
        ok = ok && a.ok;
    }
    return ans(ok, sig.ret, no_caps);
}
