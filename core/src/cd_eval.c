/* cd_eval.c: evaluation of Cedar expressions.
 *
 * This is the Lean specification's `evaluate` (Cedar/Spec/Evaluator.lean)
 * with the Rust evaluator's choices where the spec leaves freedom: which of
 * several errors is reported (operands left to right, record fields in key
 * order) and what the messages say. Every failure sets ctx->err and returns
 * false; nothing here allocates except result values (set and record
 * literals, extension results) and error messages, all in ctx->arena.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cd_arith.h"
#include "cd_eval_impl.h"
#include "cd_stack.h"

/* Evaluation recurses once per level of the expression tree (up to the
 * parser's height cap), so the functions on that path keep small frames:
 * everything with sizeable locals, and every operator's application, is a
 * separate function that is not inlined into them. */
#define NOINLINE __attribute__((noinline))

const char *cd_errkind_name(cd_errkind k)
{
    switch (k) {
    case CD_E_NONE: return "none";
    case CD_E_ENTITY_DOES_NOT_EXIST: return "entityDoesNotExist";
    case CD_E_ATTR_DOES_NOT_EXIST: return "attrDoesNotExist";
    case CD_E_TAG_DOES_NOT_EXIST: return "tagDoesNotExist";
    case CD_E_TYPE: return "typeError";
    case CD_E_OVERFLOW: return "arithBoundsError";
    case CD_E_EXTENSION: return "extensionError";
    case CD_E_UNLINKED_SLOT: return "unlinkedSlot";
    case CD_E_RECURSION_LIMIT: return "recursionLimit";
    }
    return "unknownError";
}

/* ---- errors ------------------------------------------------------------ */

bool cd_eval_fail(cd_eval_ctx *ctx, cd_errkind kind, cd_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctx->err.message = cd_arena_vprintf(ctx->arena, fmt, ap);
    va_end(ap);
    ctx->err.kind = kind;
    ctx->err.loc = loc;
    return false;
}

bool cd_eval_type_error(cd_eval_ctx *ctx, cd_loc loc, const char *expected, const cd_value *got)
{
    return cd_eval_fail(ctx, CD_E_TYPE, loc, "type error: expected %s, got %s", expected,
                        cd_value_type_name(got));
}

/* Move a message buffer's text into the arena. */
static const char *buf_to_arena(cd_eval_ctx *ctx, cd_buf *b)
{
    const char *s = cd_buf_cstr(b);
    cd_str r = cd_arena_str(ctx->arena, s, b->len);
    cd_buf_free(b);
    return r.ptr;
}

static const char *uid_text(cd_eval_ctx *ctx, const cd_uid *u)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_uid_print(&b, u);
    return buf_to_arena(ctx, &b);
}

/* An attribute or tag name for a message: as is when it prints cleanly,
 * otherwise as an escaped string literal. */
static const char *key_text(cd_eval_ctx *ctx, cd_str s)
{
    cd_buf b;
    cd_buf_init(&b);
    bool plain = true;
    for (size_t i = 0; i < s.len && plain; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        plain = c >= 0x20 && c != 0x7f && c != '`';
    }
    if (plain) {
        cd_buf_put(&b, s.ptr, s.len);
    } else {
        cd_print_quoted(&b, s);
    }
    return buf_to_arena(ctx, &b);
}

/* ---- hierarchy ----------------------------------------------------------- */

bool cd_eval_has_ancestor(const cd_entity *ea, const cd_uid *b)
{
    return cd_entity_has_ancestor(ea, b); /* NULL: not in the store, only in itself */
}

NOINLINE bool cd_eval_in(cd_eval_ctx *ctx, const cd_value *lhs, cd_loc lloc, const cd_value *rhs,
                         cd_loc rloc, cd_value *out)
{
    if (lhs->kind != CD_V_ENTITY) {
        if (rhs->kind == CD_V_SET)
            return cd_eval_fail(ctx, CD_E_TYPE, lloc,
                                "type error: expected entity, got %s (`in` checks the entity "
                                "hierarchy; use `.contains()` to test set membership)",
                                cd_value_type_name(lhs));
        if (rhs->kind == CD_V_RECORD)
            return cd_eval_fail(ctx, CD_E_TYPE, lloc,
                                "type error: expected entity, got %s (`in` checks the entity "
                                "hierarchy; use `has` to test whether a record has a key)",
                                cd_value_type_name(lhs));
        return cd_eval_type_error(ctx, lloc, "entity", lhs);
    }
    const cd_uid *a = &lhs->u.uid;
    if (rhs->kind == CD_V_ENTITY) {
        const cd_uid *b = &rhs->u.uid;
        *out = cd_bool(cd_uid_eq(a, b) || cd_eval_has_ancestor(cd_entities_find(ctx->es, a), b));
        return true;
    }
    if (rhs->kind != CD_V_SET) return cd_eval_type_error(ctx, rloc, "entity or set", rhs);
    /* Every element must be an entity, even after a match is found. */
    const cd_set *s = &rhs->u.set;
    const cd_entity *ea = NULL;
    bool looked_up = false, found = false;
    for (size_t i = 0; i < s->n; i++) {
        const cd_value *it = &s->items[i];
        if (it->kind != CD_V_ENTITY)
            return cd_eval_fail(ctx, CD_E_TYPE, rloc,
                                "type error: expected a set of entities, but it contains a %s",
                                cd_value_type_name(it));
        if (found) continue;
        if (cd_uid_eq(a, &it->u.uid)) {
            found = true;
            continue;
        }
        if (!looked_up) {
            ea = cd_entities_find(ctx->es, a);
            looked_up = true;
        }
        found = cd_eval_has_ancestor(ea, &it->u.uid);
    }
    *out = cd_bool(found);
    return true;
}

/* ---- operators ----------------------------------------------------------- */

static bool eval(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out);

static const char *op_text(cd_xkind k)
{
    switch (k) {
    case CD_X_ADD: return "+";
    case CD_X_SUB: return "-";
    case CD_X_MUL: return "*";
    case CD_X_LT: return "<";
    case CD_X_LE: return "<=";
    case CD_X_GT: return ">";
    case CD_X_GE: return ">=";
    default: return "?";
    }
}

NOINLINE static bool arith(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *a, const cd_value *b,
                           cd_value *out)
{
    if (a->kind != CD_V_LONG) return cd_eval_type_error(ctx, e->u.op.a->loc, "long", a);
    if (b->kind != CD_V_LONG) return cd_eval_type_error(ctx, e->u.op.b->loc, "long", b);
    int64_t x = a->u.l, y = b->u.l, r;
    bool overflow;
    switch (e->kind) {
    case CD_X_ADD: overflow = !cd_arith_add(x, y, &r); break;
    case CD_X_SUB: overflow = !cd_arith_sub(x, y, &r); break;
    default: overflow = !cd_arith_mul(x, y, &r); break;
    }
    if (overflow)
        return cd_eval_fail(ctx, CD_E_OVERFLOW, e->loc,
                            "integer overflow while evaluating `%" PRId64 " %s %" PRId64 "`", x,
                            op_text(e->kind), y);
    *out = cd_long(r);
    return true;
}

/* Extension values that `<` and friends accept (the Rust ones with operator
 * overloading): datetime and duration, each only with its own kind. */
static bool ordered_ext(const cd_value *v)
{
    return v->kind == CD_V_EXT &&
           (v->u.ext.kind == CD_EXT_DATETIME || v->u.ext.kind == CD_EXT_DURATION);
}

static int64_t ordered_ext_key(const cd_value *v)
{
    return v->u.ext.kind == CD_EXT_DATETIME ? v->u.ext.u.datetime_ms : v->u.ext.u.duration_ms;
}

NOINLINE static bool compare(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *a,
                             const cd_value *b, cd_value *out)
{
    int64_t x, y;
    cd_loc la = e->u.op.a->loc, lb = e->u.op.b->loc;
    if (a->kind == CD_V_LONG && b->kind == CD_V_LONG) {
        x = a->u.l;
        y = b->u.l;
    } else if (ordered_ext(a) && ordered_ext(b) && a->u.ext.kind == b->u.ext.kind) {
        x = ordered_ext_key(a);
        y = ordered_ext_key(b);
    } else if (a->kind == CD_V_LONG) {
        return cd_eval_type_error(ctx, lb, "long", b);
    } else if (b->kind == CD_V_LONG) {
        return cd_eval_type_error(ctx, la, "long", a);
    } else if (ordered_ext(a)) {
        return cd_eval_type_error(ctx, lb, cd_extkind_name(a->u.ext.kind), b);
    } else if (ordered_ext(b)) {
        return cd_eval_type_error(ctx, la, cd_extkind_name(b->u.ext.kind), a);
    } else {
        return cd_eval_fail(ctx, CD_E_TYPE, la,
                            "type error: `%s` compares only long, datetime or duration values, "
                            "got %s",
                            op_text(e->kind), cd_value_type_name(a));
    }
    bool r;
    switch (e->kind) {
    case CD_X_LT: r = x < y; break;
    case CD_X_LE: r = x <= y; break;
    case CD_X_GT: r = x > y; break;
    default: r = x >= y; break;
    }
    *out = cd_bool(r);
    return true;
}

NOINLINE static bool get_attr(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *obj,
                              cd_value *out)
{
    cd_str name = e->u.attr.name;
    const cd_value *v;
    if (obj->kind == CD_V_RECORD) {
        v = cd_record_get(&obj->u.rec, name);
        if (!v)
            return cd_eval_fail(ctx, CD_E_ATTR_DOES_NOT_EXIST, e->loc,
                                "attribute `%s` not found in record", key_text(ctx, name));
    } else if (obj->kind == CD_V_ENTITY) {
        const cd_entity *ent = cd_entities_find(ctx->es, &obj->u.uid);
        if (!ent)
            return cd_eval_fail(ctx, CD_E_ENTITY_DOES_NOT_EXIST, e->u.attr.obj->loc,
                                "entity `%s` does not exist", uid_text(ctx, &obj->u.uid));
        v = cd_record_get(&ent->attrs, name);
        if (!v) {
            bool is_tag = cd_record_get(&ent->tags, name) != NULL;
            return cd_eval_fail(ctx, CD_E_ATTR_DOES_NOT_EXIST, e->loc,
                                "attribute `%s` not found on entity `%s`%s", key_text(ctx, name),
                                uid_text(ctx, &obj->u.uid),
                                is_tag ? " (it has a tag of that name; use `.getTag()`)" : "");
        }
    } else {
        return cd_eval_type_error(ctx, e->u.attr.obj->loc, "entity or record", obj);
    }
    *out = *v;
    return true;
}

NOINLINE static bool has_attr(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *obj,
                              cd_value *out)
{
    cd_str name = e->u.attr.name;
    bool r;
    if (obj->kind == CD_V_RECORD) {
        r = cd_record_get(&obj->u.rec, name) != NULL;
    } else if (obj->kind == CD_V_ENTITY) {
        /* A missing entity has no attributes. */
        const cd_entity *ent = cd_entities_find(ctx->es, &obj->u.uid);
        r = ent && cd_record_get(&ent->attrs, name) != NULL;
    } else {
        return cd_eval_type_error(ctx, e->u.attr.obj->loc, "entity or record", obj);
    }
    *out = cd_bool(r);
    return true;
}

NOINLINE static bool tag_op(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *a,
                            const cd_value *b, cd_value *out)
{
    if (a->kind != CD_V_ENTITY) return cd_eval_type_error(ctx, e->u.op.a->loc, "entity", a);
    if (b->kind != CD_V_STRING) return cd_eval_type_error(ctx, e->u.op.b->loc, "string", b);
    const cd_entity *ent = cd_entities_find(ctx->es, &a->u.uid);
    if (e->kind == CD_X_HAS_TAG) {
        /* A missing entity has no tags. */
        *out = cd_bool(ent && cd_record_get(&ent->tags, b->u.s) != NULL);
        return true;
    }
    if (!ent)
        return cd_eval_fail(ctx, CD_E_ENTITY_DOES_NOT_EXIST, e->u.op.a->loc,
                            "entity `%s` does not exist", uid_text(ctx, &a->u.uid));
    const cd_value *v = cd_record_get(&ent->tags, b->u.s);
    if (!v) {
        bool is_attr = cd_record_get(&ent->attrs, b->u.s) != NULL;
        return cd_eval_fail(ctx, CD_E_TAG_DOES_NOT_EXIST, e->loc,
                            "tag `%s` not found on entity `%s`%s", key_text(ctx, b->u.s),
                            uid_text(ctx, &a->u.uid),
                            is_attr ? " (it has an attribute of that name)" : "");
    }
    *out = *v;
    return true;
}

NOINLINE static bool set_op(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *a,
                            const cd_value *b, cd_value *out)
{
    if (a->kind != CD_V_SET) return cd_eval_type_error(ctx, e->u.op.a->loc, "set", a);
    if (e->kind == CD_X_CONTAINS) {
        *out = cd_bool(cd_set_contains(&a->u.set, b));
        return true;
    }
    if (b->kind != CD_V_SET) return cd_eval_type_error(ctx, e->u.op.b->loc, "set", b);
    if (e->kind == CD_X_CONTAINS_ALL) {
        *out = cd_bool(cd_set_subset(&b->u.set, &a->u.set));
    } else {
        *out = cd_bool(cd_set_intersects(&a->u.set, &b->u.set));
    }
    return true;
}

NOINLINE static bool apply_binary(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *a,
                                  const cd_value *b, cd_value *out)
{
    switch (e->kind) {
    case CD_X_EQ: *out = cd_bool(cd_value_eq(a, b)); return true;
    case CD_X_LT:
    case CD_X_LE:
    case CD_X_GT:
    case CD_X_GE: return compare(ctx, e, a, b, out);
    case CD_X_ADD:
    case CD_X_SUB:
    case CD_X_MUL: return arith(ctx, e, a, b, out);
    case CD_X_IN: return cd_eval_in(ctx, a, e->u.op.a->loc, b, e->u.op.b->loc, out);
    case CD_X_CONTAINS:
    case CD_X_CONTAINS_ALL:
    case CD_X_CONTAINS_ANY: return set_op(ctx, e, a, b, out);
    case CD_X_GET_TAG:
    case CD_X_HAS_TAG: return tag_op(ctx, e, a, b, out);
    default: break;
    }
    return cd_eval_fail(ctx, CD_E_TYPE, e->loc, "internal error: not a binary operator (%d)",
                        (int)e->kind);
}

/* Both operands are evaluated, left first, then the operator is applied. */
NOINLINE static bool binary(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    cd_value a, b;
    if (!eval(ctx, e->u.op.a, &a) || !eval(ctx, e->u.op.b, &b)) return false;
    return apply_binary(ctx, e, &a, &b, out);
}

/* `if`, `&&` and `||` use *out for their operands' values: no locals, so
 * long chains of them cost little stack. */
NOINLINE static bool eval_if(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    if (!eval(ctx, e->u.op.a, out)) return false;
    if (out->kind != CD_V_BOOL) return cd_eval_type_error(ctx, e->u.op.a->loc, "bool", out);
    return eval(ctx, out->u.b ? e->u.op.b : e->u.op.c, out);
}

/* `&&` or `||` once its left operand's value is in *out: the right operand
 * is evaluated only when the left does not decide. */
NOINLINE static bool and_or_rest(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    if (out->kind != CD_V_BOOL) return cd_eval_type_error(ctx, e->u.op.a->loc, "bool", out);
    if (out->u.b != (e->kind == CD_X_AND)) return true; /* false && _, true || _ */
    if (!eval(ctx, e->u.op.b, out)) return false;
    if (out->kind != CD_V_BOOL) return cd_eval_type_error(ctx, e->u.op.b->loc, "bool", out);
    return true;
}

NOINLINE static bool eval_and_or(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    return eval(ctx, e->u.op.a, out) && and_or_rest(ctx, e, out);
}

/* One node of a chain once its left operand's value is in *out. */
NOINLINE static bool chain_step(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    cd_value v = *out;
    switch (e->kind) {
    case CD_X_AND:
    case CD_X_OR: return and_or_rest(ctx, e, out);
    case CD_X_GET_ATTR: return get_attr(ctx, e, &v, out);
    default: {
        cd_value b;
        return eval(ctx, e->u.op.b, &b) && arith(ctx, e, &v, &b, out);
    }
    }
}

/* A chain (cd_ast.h) left to right, as the binary tree would be evaluated:
 * the first term, then each node's rule. A decided `&&`/`||` passes its
 * value up unchanged; an error stops at the term where it happens. */
NOINLINE static bool eval_chain(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    size_t n;
    const cd_expr **nodes = cd_chain_nodes(e, &n);
    bool ok = eval(ctx, cd_chain_left(nodes[0]), out);
    for (size_t i = 0; ok && i < n; i++)
        ok = chain_step(ctx, nodes[i], out);
    free(nodes);
    return ok;
}

/* `x is T` once x is known (v), or the `in` half of `x is T in y` once y is
 * known (in). */
NOINLINE static bool apply_is(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *v,
                              const cd_value *in, cd_value *out)
{
    if (in) {
        cd_value rhs = *in; /* in may be out */
        return cd_eval_in(ctx, v, e->u.is.obj->loc, &rhs, e->u.is.in->loc, out);
    }
    if (v->kind != CD_V_ENTITY) return cd_eval_type_error(ctx, e->u.is.obj->loc, "entity", v);
    *out = cd_bool(v->u.uid.type == e->u.is.type);
    return true;
}

NOINLINE static bool eval_is(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    cd_value v;
    if (!eval(ctx, e->u.is.obj, &v)) return false;
    if (v.kind != CD_V_ENTITY || v.u.uid.type != e->u.is.type || !e->u.is.in)
        return apply_is(ctx, e, &v, NULL, out);
    /* `x is T in y` is `x is T && x in y`: y is evaluated only when the type matches. */
    if (!eval(ctx, e->u.is.in, out)) return false;
    return apply_is(ctx, e, &v, out, out);
}

NOINLINE static bool eval_set(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    size_t n = e->u.list.n;
    cd_value *items = n ? CD_NEW_ARRAY(ctx->arena, cd_value, n) : NULL;
    for (size_t i = 0; i < n; i++)
        if (!eval(ctx, e->u.list.items[i], &items[i])) return false;
    *out = cd_set_make(items, n);
    return true;
}

NOINLINE static bool eval_record(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    size_t n = e->u.rec.n;
    cd_str *keys = n ? CD_NEW_ARRAY(ctx->arena, cd_str, n) : NULL;
    cd_value *vals = n ? CD_NEW_ARRAY(ctx->arena, cd_value, n) : NULL;
    if (n) memcpy(keys, e->u.rec.keys, n * sizeof *keys);
    /* The reference evaluates fields in key order; to report the same error
     * without sorting on the happy path, evaluate in source order and, once
     * something fails, only the fields whose keys sort before the failed one. */
    size_t bad = SIZE_MAX;
    cd_eval_error err = {0};
    for (size_t i = 0; i < n; i++) {
        if (bad != SIZE_MAX && cd_str_cmp(keys[i], keys[bad]) > 0) continue;
        if (!eval(ctx, e->u.rec.vals[i], &vals[i])) {
            bad = i;
            err = ctx->err;
        }
    }
    if (bad != SIZE_MAX) {
        ctx->err = err;
        return false;
    }
    cd_str dup;
    if (!cd_record_make(keys, vals, n, out, &dup))
        return cd_eval_fail(ctx, CD_E_TYPE, e->loc, "duplicate key `%s` in record literal",
                            key_text(ctx, dup));
    return true;
}

NOINLINE static bool apply_call(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *args,
                                cd_value *out)
{
    size_t n = e->u.call.n;
    if (e->u.call.fn == CD_FN_UNKNOWN) /* after its arguments, as officially */
        return cd_eval_fail(ctx, CD_E_EXTENSION, e->loc, "extension function `%s` does not exist",
                            e->u.call.name);
    const cd_extfn_info *info = cd_extfn_get(e->u.call.fn);
    const char *fname = info ? info->name : "?";
    if (!info || (size_t)info->arity != n)
        return cd_eval_fail(ctx, CD_E_TYPE, e->loc, "type error: `%s` takes %d argument%s, got %zu",
                            fname, info ? info->arity : 0, info && info->arity == 1 ? "" : "s", n);
    const char *msg = NULL;
    switch (cd_ext_call(e->u.call.fn, args, n, out, ctx->arena, &msg)) {
    case CD_EXT_OK: return true;
    case CD_EXT_TYPE_ERROR:
        return cd_eval_fail(ctx, CD_E_TYPE, e->loc, "type error in call to `%s`: %s", fname,
                            msg ? msg : "wrong argument type");
    case CD_EXT_ERROR: break;
    }
    return cd_eval_fail(ctx, CD_E_EXTENSION, e->loc, "error in extension function `%s`: %s", fname,
                        msg ? msg : "failed");
}

NOINLINE static bool eval_call(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    /* Extension functions take at most two arguments. */
    size_t n = e->u.call.n;
    cd_value small[2];
    cd_value *args = n <= 2 ? small : CD_NEW_ARRAY(ctx->arena, cd_value, n);
    for (size_t i = 0; i < n; i++)
        if (!eval(ctx, e->u.call.args[i], &args[i])) return false;
    return apply_call(ctx, e, args, out);
}

/* Unary operators and `like`: the operand, then the operator. */
NOINLINE static bool apply_unary(cd_eval_ctx *ctx, const cd_expr *e, const cd_value *v,
                                 cd_value *out)
{
    cd_loc l = e->kind == CD_X_LIKE ? e->u.like.obj->loc : e->u.op.a->loc;
    switch (e->kind) {
    case CD_X_NOT:
        if (v->kind != CD_V_BOOL) return cd_eval_type_error(ctx, l, "bool", v);
        *out = cd_bool(!v->u.b);
        return true;
    case CD_X_NEG:
        if (v->kind != CD_V_LONG) return cd_eval_type_error(ctx, l, "long", v);
        int64_t r;
        if (!cd_arith_neg(v->u.l, &r))
            return cd_eval_fail(ctx, CD_E_OVERFLOW, e->loc,
                                "integer overflow while evaluating `-(%" PRId64 ")`", v->u.l);
        *out = cd_long(r);
        return true;
    case CD_X_IS_EMPTY:
        if (v->kind != CD_V_SET) return cd_eval_type_error(ctx, l, "set", v);
        *out = cd_bool(v->u.set.n == 0);
        return true;
    case CD_X_LIKE:
        if (v->kind != CD_V_STRING) return cd_eval_type_error(ctx, l, "string", v);
        *out = cd_bool(cd_pattern_match(&e->u.like.pat, v->u.s));
        return true;
    default: break;
    }
    return cd_eval_fail(ctx, CD_E_TYPE, e->loc, "internal error: not a unary operator (%d)",
                        (int)e->kind);
}

NOINLINE static bool eval_unary(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    cd_value v;
    if (!eval(ctx, e->kind == CD_X_LIKE ? e->u.like.obj : e->u.op.a, &v)) return false;
    return apply_unary(ctx, e, &v, out);
}

NOINLINE static bool eval_attr(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    cd_value obj;
    if (!eval(ctx, e->u.attr.obj, &obj)) return false;
    return e->kind == CD_X_HAS ? has_attr(ctx, e, &obj, out) : get_attr(ctx, e, &obj, out);
}

NOINLINE static bool unlinked_slot(cd_eval_ctx *ctx, const cd_expr *e)
{
    return cd_eval_fail(ctx, CD_E_UNLINKED_SLOT, e->loc,
                        "template slot `%s` is not linked to an entity",
                        e->u.slot == CD_SLOT_PRINCIPAL ? "?principal" : "?resource");
}

NOINLINE static bool stack_low(cd_eval_ctx *ctx, const cd_expr *e)
{
    return cd_eval_fail(ctx, CD_E_RECURSION_LIMIT, e->loc,
                        "expression is nested too deeply (the thread's stack is nearly exhausted)");
}

static bool eval(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    if (cd_stack_low()) return stack_low(ctx, e);
    if (cd_chain_continues(e)) return eval_chain(ctx, e, out);
    switch (e->kind) {
    case CD_X_LIT: *out = e->u.lit; return true;
    case CD_X_VAR:
        switch (e->u.var) {
        case CD_VAR_PRINCIPAL: *out = ctx->req->principal; return true;
        case CD_VAR_ACTION: *out = ctx->req->action; return true;
        case CD_VAR_RESOURCE: *out = ctx->req->resource; return true;
        case CD_VAR_CONTEXT: *out = ctx->req->context; return true;
        }
        break;
    case CD_X_SLOT: {
        const cd_uid *u = e->u.slot == CD_SLOT_PRINCIPAL ? ctx->principal_slot : ctx->resource_slot;
        if (!u) return unlinked_slot(ctx, e);
        *out = cd_entityv(*u);
        return true;
    }
    case CD_X_IF: return eval_if(ctx, e, out);
    case CD_X_AND:
    case CD_X_OR: return eval_and_or(ctx, e, out);
    case CD_X_NOT:
    case CD_X_NEG:
    case CD_X_IS_EMPTY:
    case CD_X_LIKE: return eval_unary(ctx, e, out);
    case CD_X_EQ:
    case CD_X_LT:
    case CD_X_LE:
    case CD_X_GT:
    case CD_X_GE:
    case CD_X_ADD:
    case CD_X_SUB:
    case CD_X_MUL:
    case CD_X_IN:
    case CD_X_CONTAINS:
    case CD_X_CONTAINS_ALL:
    case CD_X_CONTAINS_ANY:
    case CD_X_GET_TAG:
    case CD_X_HAS_TAG: return binary(ctx, e, out);
    case CD_X_HAS:
    case CD_X_GET_ATTR: return eval_attr(ctx, e, out);
    case CD_X_IS: return eval_is(ctx, e, out);
    case CD_X_SET: return eval_set(ctx, e, out);
    case CD_X_RECORD: return eval_record(ctx, e, out);
    case CD_X_CALL: return eval_call(ctx, e, out);
    }
    return cd_eval_fail(ctx, CD_E_TYPE, e->loc, "internal error: unknown expression kind %d",
                        (int)e->kind);
}

bool cd_eval(cd_eval_ctx *ctx, const cd_expr *e, cd_value *out)
{
    return eval(ctx, e, out);
}
