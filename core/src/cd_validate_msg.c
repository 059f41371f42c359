/* cd_validate_msg.c: the validator's error messages: what went wrong in the
 * terms of the policy (attribute paths, entity types, the action whose
 * context is read) and a hint where the official validator gives one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>

#include "cd_validate_int.h"

void cd_tc_error(cd_tc *tc, cd_verr_kind kind, cd_loc loc, const char *help, const char *fmt, ...)
{
    if (tc->mute) return;
    va_list ap;
    va_start(ap, fmt);
    cd_verror *e = cd_vec_push(&tc->errors);
    e->kind = kind;
    e->loc = loc;
    e->message = cd_arena_vprintf(tc->arena, fmt, ap);
    e->help = help;
    va_end(ap);
}

const char *cd_tc_type_str(cd_tc *tc, const cd_vtype *t)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_vt_print(&b, t);
    const char *s = cd_arena_str(tc->arena, b.data ? b.data : "", b.len).ptr;
    cd_buf_free(&b);
    return s;
}

const char *cd_tc_help_text(cd_vhelp h, const cd_vtype *actual)
{
    static const char like[] = "try using `like` to examine the contents of a string";
    static const char contains[] =
        "try using `contains`, `containsAny`, or `containsAll` to examine the contents of a set";
    bool set = actual->kind == CD_VT_SET, str = actual->kind == CD_VT_STRING;
    bool entity = actual->kind == CD_VT_ENTITY || actual->kind == CD_VT_ANY_ENTITY;
    switch (h) {
    case CD_H_HAS:
    case CD_H_IN_RHS: return set ? contains : str ? like : NULL;
    case CD_H_LIKE: return entity ? "try using `is` to test for an entity type" : NULL;
    case CD_H_IS: return "Cedar only supports run time type tests for entities";
    case CD_H_IN_LHS: return contains;
    case CD_H_CONTAINS:
        if (entity) return "try using `in` for entity hierarchy membership";
        if (actual->kind == CD_VT_RECORD) return "try using `has` to test for an attribute";
        return str ? like : NULL;
    case CD_H_SET_ARG: return "try using `contains` to test if a single element is in a set";
    case CD_H_IS_EMPTY: return str ? "try using `== \"\"` to test if a string is empty" : NULL;
    case CD_H_ADD:
        if (str) return "Cedar does not support string concatenation";
        /* fall through */
    case CD_H_ARITH:
        return set ? "Cedar does not support computing the union, intersection, or difference of "
                     "sets"
                   : NULL;
    case CD_H_NONE: break;
    }
    return NULL;
}

void cd_tc_incompatible(cd_tc *tc, cd_loc loc, const cd_vtype *const *tys, size_t n, cd_lub_why why,
                        const char *context)
{
    if (tc->mute) return;
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_puts(&b, "the types ");
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = false; /* the official message lists a set of types */
        for (size_t k = 0; k < i && !dup; k++)
            dup = cd_vt_eq(tys[k], tys[i]);
        if (dup) continue;
        if (shown++) cd_buf_puts(&b, i + 1 == n ? " and " : ", ");
        cd_vt_print(&b, tys[i]);
    }
    cd_buf_puts(&b, " are not compatible");
    char *help = cd_arena_printf(tc->arena, "%s must have compatible types: %s", context,
                                 cd_vt_lub_why_text(why));
    cd_tc_error(tc, CD_VE_INCOMPATIBLE_TYPES, loc, help, "%s", cd_buf_cstr(&b));
    cd_buf_free(&b);
}

/* ---- attribute accesses ------------------------------------------------------------ */

/* attrs[n-1] ... attrs[0] as `a.b["c d"]` (with a leading dot when dot). */
static void print_chain(cd_buf *b, const cd_str *attrs, size_t n, bool dot)
{
    for (size_t i = n; i-- > 0;) {
        if (cd_str_is_ident(attrs[i])) {
            if (dot || i + 1 != n) cd_buf_putc(b, '.');
            cd_buf_put(b, attrs[i].ptr, attrs[i].len);
        } else {
            cd_buf_puts(b, "[");
            cd_print_quoted(b, attrs[i]);
            cd_buf_puts(b, "]");
        }
    }
}

/* The type of the k-th node below tc->path's current node (k >= 1). The
 * types of the path's positions are computed once per path: the first term
 * typechecked again (muted), then one attribute lookup per step. */
static const cd_vtype *type_below(cd_tc *tc, size_t k)
{
    cd_tc_path *p = &tc->path;
    if (!p->types) {
        const cd_vtype **types = CD_NEW_ARRAY(tc->arena, const cd_vtype *, p->n + 1);
        tc->mute++;
        types[0] = cd_tc_expr(tc, (cd_caps){0, NULL}, cd_chain_left(p->nodes[0])).ty;
        tc->mute--;
        for (size_t j = 1; j <= p->n; j++) {
            const cd_vattr *a =
                types[j - 1] ? cd_tc_attr(tc, types[j - 1], p->nodes[j - 1]->u.attr.name) : NULL;
            types[j] = a ? a->type : NULL;
        }
        p->types = types;
    }
    return p->types[p->at - k];
}

void cd_tc_attr_error(cd_tc *tc, const cd_expr *e, const cd_vtype *objty, bool optional)
{
    if (tc->mute) return;
    /* Walk down `x.a.b.c` to the entity or `context` the path starts from,
     * as the official AttributeAccess does. Only the outer type is at hand:
     * the inner ones come from type_below (e.obj being a GET_ATTR, e is a
     * chain's node, cd_ast.h). */
    bool in_path = tc->path.nodes && tc->path.nodes[tc->path.at] == e;
    cd_vec path;
    cd_vec_init(&path, sizeof(cd_str));
    *(cd_str *)cd_vec_push(&path) = e->u.attr.name;
    const char *base = NULL; /* "on entity type ..." or "in context for ..." */
    bool in_context = false;
    cd_buf b;
    cd_buf_init(&b);
    const cd_expr *x = e->u.attr.obj;
    for (size_t k = 0;; k++, x = x->u.attr.obj) {
        const cd_vtype *t = k == 0 ? objty : in_path ? type_below(tc, k) : NULL;
        if (t && t->kind == CD_VT_ENTITY) {
            cd_buf_puts(&b, t->u.lub.n == 1 ? " on entity type " : " on entity types ");
            for (size_t i = 0; i < t->u.lub.n; i++)
                cd_buf_printf(&b, "%s`%s`", i ? ", " : "", t->u.lub.names[i]->text);
            break;
        }
        if (x->kind == CD_X_VAR && x->u.var == CD_VAR_CONTEXT) {
            in_context = true;
            cd_buf_puts(&b, " in context for ");
            cd_uid_print(&b, &tc->env->action->decl->uid);
            break;
        }
        if (x->kind != CD_X_GET_ATTR) break;
        *(cd_str *)cd_vec_push(&path) = x->u.attr.name;
    }
    base = cd_arena_str(tc->arena, b.data ? b.data : "", b.len).ptr;
    const cd_str *attrs = path.items;
    size_t n = path.len;
    cd_buf_free(&b);
    cd_buf_init(&b);
    print_chain(&b, attrs, n, false);
    const char *chain = cd_arena_str(tc->arena, b.data, b.len).ptr;
    cd_buf_free(&b);
    if (optional) {
        /* suggest `e.a.b has c && ..` */
        cd_buf_init(&b);
        cd_buf_puts(&b, "try testing for the attribute's presence with `");
        cd_buf_puts(&b, in_context ? "context" : "e");
        print_chain(&b, attrs + 1, n - 1, true);
        cd_buf_puts(&b, " has ");
        if (cd_str_is_ident(attrs[0]))
            cd_buf_put(&b, attrs[0].ptr, attrs[0].len);
        else
            cd_print_quoted(&b, attrs[0]);
        cd_buf_puts(&b, " && ..`");
        const char *help = cd_arena_str(tc->arena, b.data, b.len).ptr;
        cd_buf_free(&b);
        cd_tc_error(tc, CD_VE_UNSAFE_OPTIONAL_ATTRIBUTE, e->loc, help,
                    "unable to guarantee safety of access to optional attribute `%s`%s", chain,
                    base);
    } else {
        cd_vrec r = {0, NULL, false};
        const char *sugg = NULL;
        if (cd_tc_attrs_of(tc, objty, &r) && r.n) {
            cd_str *names = CD_NEW_ARRAY(tc->arena, cd_str, r.n);
            for (size_t i = 0; i < r.n; i++)
                names[i] = r.attrs[i].name;
            size_t k = cd_tc_suggest(e->u.attr.name, names, r.n);
            if (k != SIZE_MAX) sugg = cd_arena_str(tc->arena, names[k].ptr, names[k].len).ptr;
        }
        bool may = cd_tc_may_have_attr(tc, objty, e->u.attr.name);
        const char *help = NULL;
        if (sugg && may)
            help = cd_arena_printf(tc->arena,
                                   "did you mean `%s`? (there may also be additional attributes "
                                   "that the validator is not able to reason about)",
                                   sugg);
        else if (sugg)
            help = cd_arena_printf(tc->arena, "did you mean `%s`?", sugg);
        else if (may)
            help = "there may be additional attributes that the validator is not able to reason "
                   "about";
        cd_tc_error(tc, CD_VE_ATTRIBUTE_NOT_FOUND, e->loc, help, "attribute `%s`%s not found",
                    chain, base);
    }
    cd_vec_free(&path);
}

/* ---- suggestions ------------------------------------------------------------------- */

static size_t edit_distance(cd_str a, cd_str b)
{
    size_t *row = reallocarray(NULL, b.len + 1, sizeof *row);
    if (!row) abort();
    for (size_t j = 0; j <= b.len; j++)
        row[j] = j;
    for (size_t i = 1; i <= a.len; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.len; j++) {
            size_t up = row[j];
            size_t best = diag + (a.ptr[i - 1] != b.ptr[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[b.len];
    free(row);
    return d;
}

size_t cd_tc_suggest(cd_str key, const cd_str *cands, size_t n)
{
    if (key.len == 0) return SIZE_MAX;
    size_t best = SIZE_MAX, at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(key, cands[i]);
        if (d < best) {
            best = d;
            at = i;
        }
    }
    /* only close names: a third of the name may differ */
    size_t limit = key.len / 3 > 1 ? key.len / 3 : 1;
    return best > limit || best == 0 ? SIZE_MAX : at;
}

cd_vhelp cd_tc_op_hint(cd_xkind k, int operand)
{
    static const cd_vhelp hints[][2] = {
#define CD_OP(kind, surface, json, arity, class, precedence, token, hint_a, hint_b)                \
    [CD_X_##kind] = {CD_H_##hint_a, CD_H_##hint_b},
#include "cd_ops.def"
#undef CD_OP
    };
    return (size_t)k < sizeof hints / sizeof hints[0] ? hints[k][operand != 0] : CD_H_NONE;
}
