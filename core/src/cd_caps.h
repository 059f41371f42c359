/* cd_caps.h: capability sets (cd_validate_cap.c): the (expression,
 * attribute) and (expression, tag) pairs known to exist when an expression
 * is true. Capabilities compare expressions by shape (structure, ignoring
 * source locations), as the official ExprShapeOnly does. */
#ifndef CD_CAPS_H
#define CD_CAPS_H

#include "cd_ast.h"

typedef struct cd_cap {
    const cd_expr *on;
    bool is_tag;
    cd_str attr;        /* attribute capability */
    const cd_expr *tag; /* tag capability */
    uint64_t key;       /* a hash of the above by expression shape (cd_validate_cap.c) */
} cd_cap;

/* A set of capabilities: layers of caps sorted by key, each layer at least
 * as big as the sum of those above it (so at most log2(n) layers; adding to a
 * set merges the small top layers, as a binary counter carries). Sets are
 * never changed, only shared: membership is a binary search per layer, and
 * `e has a.b.c...` (n capabilities keyed by ever longer access paths, added
 * one at a time) costs O(n log n) copies instead of n^2, and lookups by hash
 * instead of comparing expressions (n^4 before). */
typedef struct cd_capl {
    size_t n;
    const cd_cap *v; /* sorted by key */
    const struct cd_capl *next;
} cd_capl;

typedef struct cd_caps {
    size_t n; /* in all layers */
    const cd_capl *top;
} cd_caps;

typedef struct cd_tc cd_tc;

/* The official AST builder folds `&&` and `||` of two boolean literals into
 * a literal (so `true && false` is the literal `false` wherever literals
 * matter: `==` between literals, constructor arguments, shapes). True when e
 * is such a literal, with its value in *b. */
bool cd_caps_bool_lit(const cd_expr *e, bool *b);
/* Same expression shape: equal ignoring source locations (after folding). */
bool cd_caps_expr_same(const cd_expr *a, const cd_expr *b);
cd_caps cd_caps_union(cd_tc *tc, cd_caps a, cd_caps b);
cd_caps cd_caps_intersect(cd_tc *tc, cd_caps a, cd_caps b);
cd_caps cd_caps_attr(cd_tc *tc, const cd_expr *on, cd_str attr);
cd_caps cd_caps_tag(cd_tc *tc, const cd_expr *on, const cd_expr *tag);
bool cd_caps_has_attr(cd_tc *tc, cd_caps c, const cd_expr *on, cd_str attr);
bool cd_caps_has_tag(cd_tc *tc, cd_caps c, const cd_expr *on, const cd_expr *tag);
/* Frees the typechecker's memo of expression hashes. */
void cd_caps_done(cd_tc *tc);

#endif
