/* cd_ast_chain.c: chains, the left-deep runs of one operator the parser
 * builds for `a || b || c`, `a && b`, `a + b - c`, `a * b * c` and `a.b.c`
 * (cd_ast.h). A chain may have millions of terms, so every walker over the
 * AST iterates over it instead of recursing once per term.
 */
#include <stdlib.h>

#include "cd_ast.h"

int cd_chain_class(cd_xkind k)
{
    switch (k) {
    case CD_X_AND: return 1;
    case CD_X_OR: return 2;
    case CD_X_ADD:
    case CD_X_SUB: return 3; /* `+` and `-` mix in one chain */
    case CD_X_MUL: return 4;
    case CD_X_GET_ATTR: return 5;
    default: return 0;
    }
}

const cd_expr *cd_chain_left(const cd_expr *e)
{
    return e->kind == CD_X_GET_ATTR ? e->u.attr.obj : e->u.op.a;
}

bool cd_chain_continues(const cd_expr *e)
{
    int c = cd_chain_class(e->kind);
    return c && cd_chain_class(cd_chain_left(e)->kind) == c;
}

const cd_expr **cd_chain_nodes(const cd_expr *e, size_t *n)
{
    int c = cd_chain_class(e->kind);
    size_t len = 1;
    for (const cd_expr *x = cd_chain_left(e); cd_chain_class(x->kind) == c; x = cd_chain_left(x))
        len++;
    const cd_expr **nodes = malloc(len * sizeof *nodes);
    if (!nodes) abort();
    size_t i = len;
    for (const cd_expr *x = e; i > 0; x = cd_chain_left(x))
        nodes[--i] = x;
    *n = len;
    return nodes;
}
