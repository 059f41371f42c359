/* cd_validate_int.h: the typechecker (cd_tc_*), shared by the
 * cd_validate_*.c files. Not part of any public interface. Its parts have
 * headers of their own: types (cd_vtype.h), the prepared schema and request
 * environments (cd_vschema.h), capabilities (cd_caps.h).
 *
 * A typechecking answer (cd_ans) is the official TypecheckAnswer: `ok` is
 * TypecheckSuccess vs TypecheckFail, `ty` the (recovery) type or NULL for
 * none, and `caps` the capability set: the (expression, attribute) and
 * (expression, tag) pairs known to exist when the expression evaluates to
 * true (meaningful only when ok).
 */
#ifndef CD_VALIDATE_INT_H
#define CD_VALIDATE_INT_H

#include "cd_caps.h"
#include "cd_validate.h"
#include "cd_vschema.h"
#include "cd_vtype.h"

/* ---- the typechecker --------------------------------------------------------- */

typedef struct cd_ans {
    bool ok;
    const cd_vtype *ty;
    cd_caps caps;
} cd_ans;

/* The attribute path (a chain `x.a.b...`, cd_ast.h) being typechecked, for
 * the messages of cd_tc_attr_error: its nodes innermost first, the index of
 * the node being checked, and the types of the path's positions once a
 * message needed them (types[0] the first term's, types[j] nodes[j-1]'s),
 * computed once per path: a message per step must not walk the whole path. */
typedef struct cd_tc_path {
    const cd_expr *const *nodes;
    size_t n, at;
    const cd_vtype **types;
} cd_tc_path;

struct cd_tc {
    const cd_vschema *vs;
    bool strict;
    const cd_venv *env;
    cd_arena *arena;              /* types, capabilities, messages: one environment */
    cd_vec errors;                /* cd_verror found in this environment */
    int mute;                     /* > 0: typechecking again only for a message, report nothing */
    cd_tc_path path;              /* nodes == NULL: none */
    struct cd_shape_memo *shapes; /* expression hashes (cd_validate_cap.c), heap */
};

/* Which hint an unexpected type gets (the official UnexpectedTypeHelp
 * chosen per operator from the actual type). */
typedef enum cd_vhelp {
    CD_H_NONE,
    CD_H_HAS,      /* operand of `has` */
    CD_H_LIKE,     /* operand of `like` */
    CD_H_IS,       /* operand of `is` */
    CD_H_IN_LHS,   /* left of `in` */
    CD_H_IN_RHS,   /* right of `in` */
    CD_H_CONTAINS, /* receiver of contains/containsAll/containsAny */
    CD_H_SET_ARG,  /* argument of containsAll/containsAny */
    CD_H_IS_EMPTY, /* receiver of isEmpty */
    CD_H_ADD,      /* operands of + */
    CD_H_ARITH,    /* operands of - and * */
} cd_vhelp;

/* The hint for operand 0 or 1 of an operator of cd_ops.def (CD_H_NONE for
 * other kinds). */
cd_vhelp cd_tc_op_hint(cd_xkind k, int operand);

cd_ans cd_tc_expr(cd_tc *tc, cd_caps prior, const cd_expr *e);
/* Typecheck e and require a subtype (width subtyping allowed) of one of the
 * n expected types; otherwise report an unexpected type and answer a
 * failure without type. */
cd_ans cd_tc_expect(cd_tc *tc, cd_caps prior, const cd_expr *e, const cd_vtype *const *expected,
                    size_t n, cd_vhelp help);
cd_ans cd_tc_expect1(cd_tc *tc, cd_caps prior, const cd_expr *e, const cd_vtype *expected,
                     cd_vhelp help);
/* The rules of cd_validate_ops.c: binary operators, `in`, tags and
 * extension functions. */
cd_ans cd_tc_binary(cd_tc *tc, cd_caps prior, const cd_expr *e);
/* A chain of `+`, `-`, `*` (cd_ast.h), its nodes innermost first. */
cd_ans cd_tc_arith_chain(cd_tc *tc, cd_caps prior, const cd_expr *const *nodes, size_t n);
cd_ans cd_tc_call(cd_tc *tc, cd_caps prior, const cd_expr *e);
/* The least upper bound of n types (NULL entries: no lub, no error); on
 * failure reports incompatible types at loc and returns NULL. */
const cd_vtype *cd_tc_lub_or_error(cd_tc *tc, cd_loc loc, const cd_vtype *const *tys, size_t n,
                                   const char *context);
/* The attributes of an entity (union) or record type; false for other types. */
bool cd_tc_attrs_of(cd_tc *tc, const cd_vtype *t, cd_vrec *out);
/* Attribute of an entity or record type (NULL: not known to exist). */
const cd_vattr *cd_tc_attr(cd_tc *tc, const cd_vtype *t, cd_str name);
bool cd_tc_may_have_attr(cd_tc *tc, const cd_vtype *t, cd_str name);

/* Tag types an entity of this type may have (entity types without tags
 * are ignored). Returns the count; *out is in the environment's arena. */
size_t cd_tc_tag_types(cd_tc *tc, const cd_vtype *t, const cd_vtype ***out);

/* ---- messages (cd_validate_msg.c) ------------------------------------------- */

void cd_tc_error(cd_tc *tc, cd_verr_kind kind, cd_loc loc, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A type as text in the environment's arena. */
const char *cd_tc_type_str(cd_tc *tc, const cd_vtype *t);
/* The hint for an unexpected type, or NULL. */
const char *cd_tc_help_text(cd_vhelp h, const cd_vtype *actual);
void cd_tc_incompatible(cd_tc *tc, cd_loc loc, const cd_vtype *const *tys, size_t n, cd_lub_why why,
                        const char *context);
/* Report the attribute access e (a CD_X_GET_ATTR on a value of type objty)
 * as unsafe (an optional attribute without `has`) or as not found. */
void cd_tc_attr_error(cd_tc *tc, const cd_expr *e, const cd_vtype *objty, bool optional);
/* The index of the closest of n candidate names to key (by edit distance),
 * or SIZE_MAX when none is close. */
size_t cd_tc_suggest(cd_str key, const cd_str *cands, size_t n);

#endif
