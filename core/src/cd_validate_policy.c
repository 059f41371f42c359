/* cd_validate_policy.c: validating whole policies (the official
 * Validator::validate with rbac.rs and Typechecker::typecheck_policy): the
 * checks of names against the schema, the action-application check, and
 * typechecking in every request environment.
 */
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>

#include "cd_json_impl.h"
#include "cd_stack.h"
#include "cd_validate_int.h"

typedef struct vctx {
    cd_vschema vs;
    bool strict;
    cd_arena *out;     /* results */
    cd_arena *scratch; /* one request environment, then one policy's expression */
    cd_vec errs;       /* cd_verror of the current policy, in out */
    /* a hash set over errs (indexes + 1; 0 empty), so that the errors of
     * thousands of environments are deduplicated in linear time */
    size_t *seen, seen_cap;
} vctx;

const char *cd_verr_kind_name(cd_verr_kind k)
{
    static const char *const names[] = {
        [CD_VE_UNRECOGNIZED_ENTITY_TYPE] = "unrecognized entity type",
        [CD_VE_UNRECOGNIZED_ACTION] = "unrecognized action",
        [CD_VE_INVALID_ENUM_ENTITY] = "invalid enumerated entity",
        [CD_VE_INVALID_ACTION_APPLICATION] = "invalid action application",
        [CD_VE_UNEXPECTED_TYPE] = "unexpected type",
        [CD_VE_INCOMPATIBLE_TYPES] = "incompatible types",
        [CD_VE_ATTRIBUTE_NOT_FOUND] = "attribute not found",
        [CD_VE_UNSAFE_OPTIONAL_ATTRIBUTE] = "unsafe optional attribute access",
        [CD_VE_UNSAFE_TAG_ACCESS] = "unsafe tag access",
        [CD_VE_NO_TAGS_ALLOWED] = "no tags allowed",
        [CD_VE_WRONG_NUMBER_OF_ARGUMENTS] = "wrong number of arguments",
        [CD_VE_EXTENSION_ARGUMENT] = "invalid extension constructor argument",
        [CD_VE_EMPTY_SET_FORBIDDEN] = "empty set literal",
        [CD_VE_NON_LITERAL_CONSTRUCTOR] = "non-literal extension constructor argument",
        [CD_VE_UNDEFINED_FUNCTION] = "undefined function",
        [CD_VE_RECURSION_LIMIT] = "recursion limit",
    };
    return (size_t)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "validation error";
}

/* ---- collecting errors ------------------------------------------------------------ */

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static uint64_t error_hash(const cd_verror *e)
{
    uint64_t h =
        cd_hash_bytes(e->message, strlen(e->message), (uint64_t)e->kind * 31 + e->loc.offset);
    return e->help ? cd_hash_bytes(e->help, strlen(e->help), h) : h;
}

static bool same_error(const cd_verror *x, const cd_verror *e)
{
    return x->kind == e->kind && x->loc.offset == e->loc.offset && x->loc.line == e->loc.line &&
           same_str(x->message, e->message) && same_str(x->help, e->help);
}

static void seen_grow(vctx *c)
{
    size_t cap = c->seen_cap ? c->seen_cap * 2 : 64;
    size_t *t = calloc(cap, sizeof *t);
    if (!t) abort();
    for (size_t i = 0; i < c->errs.len; i++) {
        size_t j = error_hash(&CD_VEC_AT(&c->errs, cd_verror, i)) & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = i + 1;
    }
    free(c->seen);
    c->seen = t;
    c->seen_cap = cap;
}

/* Add e (its strings copied into the results) unless already reported. */
static void add_error(vctx *c, const cd_verror *e)
{
    if (2 * (c->errs.len + 1) > c->seen_cap) seen_grow(c);
    size_t j = error_hash(e) & (c->seen_cap - 1);
    for (; c->seen[j]; j = (j + 1) & (c->seen_cap - 1))
        if (same_error(&CD_VEC_AT(&c->errs, cd_verror, c->seen[j] - 1), e)) return;
    cd_verror *n = cd_vec_push(&c->errs);
    *n = *e;
    n->message = cd_arena_str(c->out, e->message, strlen(e->message)).ptr;
    if (e->help) n->help = cd_arena_str(c->out, e->help, strlen(e->help)).ptr;
    c->seen[j] = c->errs.len;
}

static void report(vctx *c, cd_verr_kind kind, cd_loc loc, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(vctx *c, cd_verr_kind kind, cd_loc loc, const char *help, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cd_verror e = {kind, loc, cd_arena_vprintf(c->scratch, fmt, ap), help};
    va_end(ap);
    add_error(c, &e);
}

/* ---- names against the schema ----------------------------------------------------- */

static const char *uid_text(vctx *c, const cd_uid *u)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_uid_print(&b, u);
    const char *s = cd_arena_str(c->scratch, b.data, b.len).ptr;
    cd_buf_free(&b);
    return s;
}

static void check_type(vctx *c, const cd_name *t, cd_loc loc)
{
    if (cd_vschema_knows_type(&c->vs, t)) return;
    const cd_schema *s = c->vs.s;
    cd_str *names = CD_NEW_ARRAY(c->scratch, cd_str, s->n_entities ? s->n_entities : 1);
    for (size_t i = 0; i < s->n_entities; i++)
        names[i] = cd_name_str(s->entities[i].name);
    size_t k = cd_tc_suggest(cd_name_str(t), names, s->n_entities);
    const char *help =
        k == SIZE_MAX ? NULL : cd_arena_printf(c->scratch, "did you mean `%s`?", names[k].ptr);
    report(c, CD_VE_UNRECOGNIZED_ENTITY_TYPE, loc, help, "unrecognized entity type `%s`", t->text);
}

static void check_uid(vctx *c, const cd_uid *u, cd_loc loc)
{
    const cd_schema *s = c->vs.s;
    if (cd_vschema_is_action_type(u->type)) {
        if (cd_schema_action(s, u)) return;
        cd_str *ids = CD_NEW_ARRAY(c->scratch, cd_str, s->n_actions ? s->n_actions : 1);
        for (size_t i = 0; i < s->n_actions; i++)
            ids[i] = s->actions[i].uid.id;
        size_t k = cd_tc_suggest(u->id, ids, s->n_actions);
        const char *help = k == SIZE_MAX ? NULL
                                         : cd_arena_printf(c->scratch, "did you mean `%s`?",
                                                           uid_text(c, &s->actions[k].uid));
        report(c, CD_VE_UNRECOGNIZED_ACTION, loc, help, "unrecognized action `%s`", uid_text(c, u));
        return;
    }
    const cd_entity_decl *d = cd_schema_entity(s, u->type);
    if (d && d->is_enum && !cd_enum_allows(d, u->id))
        report(c, CD_VE_INVALID_ENUM_ENTITY, loc, NULL,
               "entity `%s` is of an enumerated entity type, but `%.*s` is not one of its ids",
               uid_text(c, u), (int)u->id.len, u->id.ptr);
}

/* Every entity type and uid written in an expression. */
static void check_expr_names(vctx *c, const cd_expr *e, bool types)
{
    if (cd_stack_low()) {
        report(c, CD_VE_RECURSION_LIMIT, e->loc, NULL,
               "expression is nested too deeply (the thread's stack is nearly exhausted)");
        return;
    }
    if (cd_chain_continues(e)) { /* a loop, in the recursion's order (cd_ast.h) */
        size_t n;
        const cd_expr **nodes = cd_chain_nodes(e, &n);
        check_expr_names(c, cd_chain_left(nodes[0]), types);
        for (size_t i = 0; i < n; i++)
            if (nodes[i]->kind != CD_X_GET_ATTR) check_expr_names(c, nodes[i]->u.op.b, types);
        free(nodes);
        return;
    }
    switch (e->kind) {
    case CD_X_LIT:
        if (e->u.lit.kind != CD_V_ENTITY) return;
        if (types)
            check_type(c, e->u.lit.u.uid.type, e->loc);
        else
            check_uid(c, &e->u.lit.u.uid, e->loc);
        return;
    case CD_X_VAR:
    case CD_X_SLOT: return;
    case CD_X_HAS:
    case CD_X_GET_ATTR: check_expr_names(c, e->u.attr.obj, types); return;
    case CD_X_LIKE: check_expr_names(c, e->u.like.obj, types); return;
    case CD_X_IS:
        check_expr_names(c, e->u.is.obj, types);
        if (types) check_type(c, e->u.is.type, e->loc);
        if (e->u.is.in) check_expr_names(c, e->u.is.in, types);
        return;
    case CD_X_SET:
        for (size_t i = 0; i < e->u.list.n; i++)
            check_expr_names(c, e->u.list.items[i], types);
        return;
    case CD_X_RECORD:
        for (size_t i = 0; i < e->u.rec.n; i++)
            check_expr_names(c, e->u.rec.vals[i], types);
        return;
    case CD_X_CALL:
        for (size_t i = 0; i < e->u.call.n; i++)
            check_expr_names(c, e->u.call.args[i], types);
        return;
    default:
        if (e->u.op.a) check_expr_names(c, e->u.op.a, types);
        if (e->u.op.b) check_expr_names(c, e->u.op.b, types);
        if (e->u.op.c) check_expr_names(c, e->u.op.c, types);
        return;
    }
}

static void check_scope_names(vctx *c, const cd_scope *sc, bool types)
{
    if (sc->op == CD_SCOPE_IN_SET) {
        for (size_t i = 0; i < sc->n_uids; i++)
            types ? check_type(c, sc->uids[i].type, sc->loc) : check_uid(c, &sc->uids[i], sc->loc);
        return;
    }
    bool has_uid =
        !sc->slot && (sc->op == CD_SCOPE_EQ || sc->op == CD_SCOPE_IN || sc->op == CD_SCOPE_IS_IN);
    if (has_uid) types ? check_type(c, sc->uid.type, sc->loc) : check_uid(c, &sc->uid, sc->loc);
    if (types && (sc->op == CD_SCOPE_IS || sc->op == CD_SCOPE_IS_IN))
        check_type(c, sc->is_type, sc->loc);
}

/* Undeclared entity types first, then uids (enumerated ids, actions), as officially. */
static void check_names(vctx *c, const cd_policy *p)
{
    for (int pass = 0; pass < 2; pass++) {
        bool types = pass == 0;
        check_scope_names(c, &p->body->principal, types);
        check_scope_names(c, &p->body->action, types);
        check_scope_names(c, &p->body->resource, types);
        for (size_t i = 0; i < p->body->n_conditions; i++)
            check_expr_names(c, p->body->conditions[i].body, types);
    }
}

/* ---- the action application check --------------------------------------------------- */

/* Can the scope variable have entity type t (one of the action's appliesTo
 * types) under the constraint sc? slot: the linked slot value, if any. */
static bool scope_allows(vctx *c, const cd_scope *sc, const cd_uid *slot, const cd_name *t)
{
    const cd_uid *u = sc->slot ? slot : &sc->uid;
    const cd_vent *in;
    switch (sc->op) {
    case CD_SCOPE_ANY: return cd_schema_entity(c->vs.s, t) != NULL;
    case CD_SCOPE_IS: return t == sc->is_type && cd_vschema_knows_type(&c->vs, t);
    case CD_SCOPE_EQ:
        if (!u) return cd_schema_entity(c->vs.s, t) != NULL;
        return t == u->type;
    case CD_SCOPE_IS_IN:
        if (t != sc->is_type) return false;
        if (!u) return cd_vschema_knows_type(&c->vs, t);
        /* fall through */
    case CD_SCOPE_IN:
        if (!u) return cd_schema_entity(c->vs.s, t) != NULL;
        in = cd_vschema_ent(&c->vs, u->type);
        return t == u->type || (in && cd_vschema_ent_has_desc(in, t));
    default: return false;
    }
}

static bool action_in_scope(vctx *c, const cd_scope *sc, const cd_vact *a)
{
    switch (sc->op) {
    case CD_SCOPE_ANY: return true;
    case CD_SCOPE_EQ: return cd_uid_eq(&sc->uid, &a->decl->uid);
    default: break;
    }
    size_t n = sc->op == CD_SCOPE_IN_SET ? sc->n_uids : 1;
    const cd_uid *uids = sc->op == CD_SCOPE_IN_SET ? sc->uids : &sc->uid;
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        const cd_vact *g = cd_vschema_act(&c->vs, &uids[i]);
        if (!g) return false; /* an undeclared group: no action is known to be in the set */
        found = found || g == a || cd_vschema_act_has_desc(g, a->decl);
    }
    return found;
}

static bool any_allowed(vctx *c, const cd_scope *sc, const cd_uid *slot, const cd_name *const *ts,
                        size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (scope_allows(c, sc, slot, ts[i])) return true;
    return false;
}

/* Would `in` instead of `==` make the scope apply (for the hint)? */
static bool in_would_fix(vctx *c, const cd_scope *sc, const cd_scope *act, bool principal)
{
    if (sc->op != CD_SCOPE_EQ || sc->slot) return false;
    const cd_vent *e = cd_vschema_ent(&c->vs, sc->uid.type);
    bool equal = false, below = false;
    for (size_t i = 0; i < c->vs.s->n_actions; i++) {
        const cd_vact *a = &c->vs.acts[i];
        if (!action_in_scope(c, act, a)) continue;
        size_t n = principal ? a->decl->n_principals : a->decl->n_resources;
        const cd_name *const *ts = principal ? a->decl->principals : a->decl->resources;
        for (size_t k = 0; k < n; k++) {
            equal = equal || ts[k] == sc->uid.type;
            below = below || (e && cd_vschema_ent_has_desc(e, ts[k]));
        }
    }
    return !equal && below;
}

static void check_action_application(vctx *c, const cd_policy *p)
{
    const cd_uid *ps = p->has_principal_slot ? &p->principal_slot : NULL;
    const cd_uid *rs = p->has_resource_slot ? &p->resource_slot : NULL;
    for (size_t i = 0; i < c->vs.s->n_actions; i++) {
        const cd_vact *a = &c->vs.acts[i];
        if (action_in_scope(c, &p->body->action, a) &&
            any_allowed(c, &p->body->principal, ps, a->decl->principals, a->decl->n_principals) &&
            any_allowed(c, &p->body->resource, rs, a->decl->resources, a->decl->n_resources))
            return;
    }
    bool fp = in_would_fix(c, &p->body->principal, &p->body->action, true);
    bool fr = in_would_fix(c, &p->body->resource, &p->body->action, false);
    const char *help = fp && fr ? "try replacing `==` with `in` in the principal clause and the "
                                  "resource clause"
                       : fp     ? "try replacing `==` with `in` in the principal clause"
                       : fr     ? "try replacing `==` with `in` in the resource clause"
                                : NULL;
    report(c, CD_VE_INVALID_ACTION_APPLICATION, p->body->loc, help,
           "unable to find an applicable action given the policy scope constraints");
}

/* ---- the policy as one expression ------------------------------------------------------- */

static cd_expr *mk(cd_arena *a, cd_xkind k, cd_loc loc)
{
    cd_expr *e = CD_NEW(a, cd_expr);
    e->kind = k;
    e->loc = loc;
    return e;
}

static cd_expr *mk2(cd_arena *a, cd_xkind k, cd_loc loc, cd_expr *x, cd_expr *y)
{
    cd_expr *e = mk(a, k, loc);
    e->u.op.a = x;
    e->u.op.b = y;
    return e;
}

static cd_expr *mk_true(cd_arena *a, cd_loc loc)
{
    cd_expr *e = mk(a, CD_X_LIT, loc);
    e->u.lit = cd_bool(true);
    return e;
}

static cd_expr *mk_uid(cd_arena *a, cd_loc loc, const cd_uid *u)
{
    cd_expr *e = mk(a, CD_X_LIT, loc);
    e->u.lit = cd_entityv(*u);
    return e;
}

/* The official PrincipalOrResourceConstraint::as_expr / ActionConstraint::as_expr. */
static cd_expr *scope_expr(cd_arena *a, const cd_scope *sc, cd_var var)
{
    cd_loc loc = sc->loc;
    if (sc->op == CD_SCOPE_ANY) return mk_true(a, loc);
    cd_expr *v = mk(a, CD_X_VAR, loc);
    v->u.var = var;
    cd_expr *ref = NULL;
    if (sc->slot) {
        ref = mk(a, CD_X_SLOT, loc);
        ref->u.slot = var == CD_VAR_PRINCIPAL ? CD_SLOT_PRINCIPAL : CD_SLOT_RESOURCE;
    } else if (var == CD_VAR_ACTION && sc->op != CD_SCOPE_EQ) {
        /* `action in A` and `action in [A, ...]` both test membership in a set literal */
        size_t n = sc->op == CD_SCOPE_IN_SET ? sc->n_uids : 1;
        const cd_uid *uids = sc->op == CD_SCOPE_IN_SET ? sc->uids : &sc->uid;
        ref = mk(a, CD_X_SET, loc);
        ref->u.list.n = n;
        ref->u.list.items = CD_NEW_ARRAY(a, cd_expr *, n ? n : 1);
        for (size_t i = 0; i < n; i++)
            ref->u.list.items[i] = mk_uid(a, loc, &uids[i]);
    } else if (sc->op != CD_SCOPE_IS) {
        ref = mk_uid(a, loc, &sc->uid);
    }
    cd_expr *is = NULL;
    if (sc->op == CD_SCOPE_IS || sc->op == CD_SCOPE_IS_IN) {
        is = mk(a, CD_X_IS, loc);
        is->u.is.obj = v;
        is->u.is.type = sc->is_type;
    }
    switch (sc->op) {
    case CD_SCOPE_EQ: return mk2(a, CD_X_EQ, loc, v, ref);
    case CD_SCOPE_IS: return is;
    case CD_SCOPE_IS_IN: return mk2(a, CD_X_AND, loc, is, mk2(a, CD_X_IN, loc, v, ref));
    default: return mk2(a, CD_X_IN, loc, v, ref);
    }
}

/* principal && (action && (resource && (c1 && (c2 && ...)))), `unless c` as `!c`. */
static cd_expr *policy_expr(cd_arena *a, const cd_policy *p)
{
    cd_expr *conds = NULL;
    for (size_t i = p->body->n_conditions; i-- > 0;) {
        cd_expr *c = p->body->conditions[i].body;
        if (!p->body->conditions[i].is_when) {
            cd_expr *n = mk(a, CD_X_NOT, c->loc);
            n->u.op.a = c;
            c = n;
        }
        conds = conds ? mk2(a, CD_X_AND, p->body->loc, c, conds) : c;
    }
    if (!conds) conds = mk_true(a, p->body->loc);
    cd_expr *r =
        mk2(a, CD_X_AND, p->body->loc, scope_expr(a, &p->body->resource, CD_VAR_RESOURCE), conds);
    cd_expr *ar = mk2(a, CD_X_AND, p->body->loc, scope_expr(a, &p->body->action, CD_VAR_ACTION), r);
    return mk2(a, CD_X_AND, p->body->loc, scope_expr(a, &p->body->principal, CD_VAR_PRINCIPAL), ar);
}

/* ---- typechecking in every request environment -------------------------------------------- */

/* The entity types a template slot may have, given the scope variable's type
 * var (the official possible_slot_links); one NULL when there is no slot. */
static size_t slot_links(vctx *c, const cd_scope *sc, const cd_name *var, const cd_name ***out)
{
    const cd_schema *s = c->vs.s;
    const cd_name **v = CD_NEW_ARRAY(c->scratch, const cd_name *, s->n_entities + 1);
    size_t n = 0;
    if (!sc->slot) {
        v[n++] = NULL;
    } else if (sc->op == CD_SCOPE_EQ) {
        v[n++] = var;
    } else if (sc->op == CD_SCOPE_IN || sc->op == CD_SCOPE_IS_IN) {
        for (size_t i = 0; i < s->n_entities; i++)
            if (cd_vschema_ent_has_desc(&c->vs.ents[i], var)) v[n++] = s->entities[i].name;
        v[n++] = var;
    } else {
        for (size_t i = 0; i < s->n_entities; i++)
            v[n++] = s->entities[i].name;
    }
    *out = v;
    return n;
}

/* Typecheck in one environment; returns whether the policy is false there. */
static bool typecheck_env(vctx *c, const cd_expr *cond, const cd_venv *env, bool *success)
{
    cd_tc tc = {.vs = &c->vs, .strict = c->strict, .env = env, .arena = c->scratch};
    cd_vec_init(&tc.errors, sizeof(cd_verror));
    cd_ans a = cd_tc_expect1(&tc, (cd_caps){0, NULL}, cond, &cd_vt_bool, CD_H_NONE);
    bool is_false = a.ty && a.ty->kind == CD_VT_FALSE;
    *success = a.ok && !is_false;
    /* a success drops its errors, as officially (there are none then) */
    if (!*success)
        for (size_t i = 0; i < tc.errors.len; i++)
            add_error(c, &CD_VEC_AT(&tc.errors, cd_verror, i));
    cd_vec_free(&tc.errors);
    cd_caps_done(&tc);
    return is_false;
}

/* Returns whether the policy is impossible (false in every environment). */
static bool typecheck_policy(vctx *c, const cd_policy *p, cd_arena *pa)
{
    const cd_expr *cond = policy_expr(pa, p);
    bool all_false = true;
    const cd_schema *s = c->vs.s;
    for (size_t i = 0; i < s->n_actions; i++) {
        const cd_action_decl *d = &s->actions[i];
        for (size_t pi = 0; pi < d->n_principals; pi++)
            for (size_t ri = 0; ri < d->n_resources; ri++) {
                const cd_name **pl, **rl;
                size_t np = slot_links(c, &p->body->principal, d->principals[pi], &pl);
                size_t nr = slot_links(c, &p->body->resource, d->resources[ri], &rl);
                /* the slot lists live in scratch, which each environment resets */
                const cd_name **pv = reallocarray(NULL, np + nr, sizeof *pv);
                if (!pv) abort();
                memcpy(pv, pl, np * sizeof *pv);
                memcpy(pv + np, rl, nr * sizeof *pv);
                for (size_t x = 0; x < np; x++)
                    for (size_t y = 0; y < nr; y++) {
                        cd_venv env = {d->principals[pi], d->resources[ri], &c->vs.acts[i], pv[x],
                                       pv[np + y]};
                        bool ok;
                        cd_arena_reset(c->scratch);
                        if (!typecheck_env(c, cond, &env, &ok)) all_false = false;
                    }
                free(pv);
            }
    }
    cd_arena_reset(c->scratch);
    return all_false;
}

/* ---- results ---------------------------------------------------------------------------- */

/* By location, then in the order found (a stable sort over an index). */
typedef struct err_at {
    uint32_t offset;
    size_t index;
} err_at;

static int cmp_err_at(const void *x, const void *y)
{
    const err_at *a = x, *b = y;
    if (a->offset != b->offset) return a->offset < b->offset ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static void validate_one(vctx *c, const cd_policy *p, cd_vpolicy *r, cd_arena *pa)
{
    cd_vec_init(&c->errs, sizeof(cd_verror));
    if (c->seen) memset(c->seen, 0, c->seen_cap * sizeof *c->seen);
    r->policy = p;
    if (p->template_of) {
        /* a link: its slot values name known types, and the linked scope applies */
        if (p->has_principal_slot) check_type(c, p->principal_slot.type, p->body->loc);
        if (p->has_resource_slot) check_type(c, p->resource_slot.type, p->body->loc);
        check_action_application(c, p);
    } else {
        check_names(c, p);
        check_action_application(c, p);
        r->impossible = typecheck_policy(c, p, pa);
    }
    cd_arena_reset(c->scratch);
    cd_verror *v = c->errs.items;
    size_t n = c->errs.len;
    err_at *order = reallocarray(NULL, n ? n : 1, sizeof *order);
    if (!order) abort();
    for (size_t i = 0; i < n; i++)
        order[i] = (err_at){v[i].loc.offset, i};
    qsort(order, n, sizeof *order, cmp_err_at);
    cd_verror *sorted = CD_NEW_ARRAY(c->out, cd_verror, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        sorted[i] = v[order[i].index];
    free(order);
    r->n_errors = n;
    r->errors = sorted;
    r->valid = n == 0;
    cd_vec_free(&c->errs);
}

void cd_validate(const cd_schema *s, const cd_policies *ps, cd_vmode mode, cd_arena *arena,
                 cd_vresult *out)
{
    vctx c = {.strict = mode == CD_VMODE_STRICT, .out = arena, .scratch = cd_arena_new()};
    cd_arena *work = cd_arena_new();
    cd_vschema_init(&c.vs, s, work);
    cd_vpolicy *rs = CD_NEW_ARRAY(arena, cd_vpolicy, ps->n ? ps->n : 1);
    out->valid = true;
    cd_arena *pa = cd_arena_new(); /* the expression of one policy */
    for (size_t i = 0; i < ps->n; i++) {
        validate_one(&c, ps->items[i], &rs[i], pa);
        out->valid = out->valid && rs[i].valid;
        cd_arena_reset(pa);
    }
    out->n = ps->n;
    out->policies = rs;
    cd_arena_free(pa);
    cd_arena_free(work);
    cd_arena_free(c.scratch);
    free(c.seen);
}
