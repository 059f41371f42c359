/* cd_eval_impl.h: helpers shared by the expression evaluator (cd_eval.c) and
 * the policy evaluator / authorizer (cd_authz.c). Private to those two files.
 */
#ifndef CD_EVAL_IMPL_H
#define CD_EVAL_IMPL_H

#include "cd_eval.h"

/* Set ctx->err to an error of the given kind and return false. */
bool cd_eval_fail(cd_eval_ctx *ctx, cd_errkind kind, cd_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Type error "expected <expected>, got <type of got>"; returns false. */
bool cd_eval_type_error(cd_eval_ctx *ctx, cd_loc loc, const char *expected, const cd_value *got);

/* b is a (transitive) ancestor of the entity ea, found by cd_entities_find
 * (NULL when not in the store: such an entity has no ancestors). With a
 * uid equality check this is Cedar's `in` for two uids. */
bool cd_eval_has_ancestor(const cd_entity *ea, const cd_uid *b);

/* `lhs in rhs` on values (entity in entity, entity in set of entities);
 * locations are those of the two operands. */
bool cd_eval_in(cd_eval_ctx *ctx, const cd_value *lhs, cd_loc lloc, const cd_value *rhs,
                cd_loc rloc, cd_value *out);

#endif
