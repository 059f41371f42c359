/* cd_ops.c: the operators of cd_ops.def as a table, by kind (the kinds
 * before the first operator have class CD_OPC_NONE). */
#include <string.h>

#include "cd_ast.h"

static const cd_opinfo ops[] = {
#define CD_OP(kind, surface, json, arity, class, precedence, token, hint_a, hint_b)                \
    [CD_X_##kind] = {surface, json, arity, CD_OPC_##class, CD_PREC_##precedence},
#include "cd_ops.def"
#undef CD_OP
};

#define N_OPS (sizeof ops / sizeof ops[0])

const cd_opinfo *cd_op_info(cd_xkind k)
{
    return (size_t)k < N_OPS && ops[k].class != CD_OPC_NONE ? &ops[k] : NULL;
}

const cd_opinfo *cd_op_by_json(const char *name, cd_xkind *k)
{
    for (size_t i = 0; i < N_OPS; i++)
        if (ops[i].json && strcmp(ops[i].json, name) == 0) {
            *k = (cd_xkind)i;
            return &ops[i];
        }
    return NULL;
}
