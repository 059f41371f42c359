/* cd_index.h: the policy index of a policy set (issue 10).
 *
 * For each of principal, action and resource, the positions (in the policy
 * set) of the policies whose scope can hold, filed under a key:
 *   == E, in E, is T in E, action in [.., E, ..]   under the entity E
 *                                                  (== in its `eq` list, the
 *                                                  others in its `in` list)
 *   is T                                           under the type T
 *   any                                            in the unconstrained list
 * A linked policy is filed under its slot values; unlinked templates are not
 * filed (the authorizer skips them). For a request, a dimension's candidates
 * are the `eq` and `in` lists of the variable's entity, the `in` lists of its
 * ancestors, the list of its type and the unconstrained list: a superset of
 * the policies whose scope holds for that variable. A policy whose scope does
 * not hold is not satisfied and, its slots being bound and the variables
 * entities, cannot error, so evaluating the candidates of one dimension in
 * policy-set order gives exactly the full scan's decision, determining
 * policies and errors. */
#ifndef CD_INDEX_H
#define CD_INDEX_H

#include <stdint.h>

#include "cd_ast.h"
#include "cd_entities.h"

typedef struct cd_index cd_index;

cd_index *cd_index_new(void);
void cd_index_free(cd_index *ix);
/* File policy p, appended to its set at position pos (every policy of the
 * set is added in order, templates too, though they are not filed). */
void cd_index_add(cd_index *ix, const cd_policy *p, uint32_t pos);
/* Policy p leaves its set from position pos: every later position moves down
 * one. Costs p's buckets plus moving 4 bytes per later policy. */
void cd_index_remove(cd_index *ix, const cd_policy *p, uint32_t pos);

/* The number of the policy at pos, given when it was added and kept while
 * it is in the set (later policies have larger numbers). */
uint32_t cd_index_seq(const cd_index *ix, size_t pos);
/* The position of the policy numbered seq, which is in the set: O(log n)
 * once a policy left from the middle, O(1) before. */
size_t cd_index_position(const cd_index *ix, uint32_t seq);

/* Below this many policies a request scans them all (looking up buckets
 * would cost more). Tests and DRT set it to 0 to exercise the index on
 * small sets. */
extern size_t cd_index_scan_below;

/* The candidates for req among a set of n policies: positions in increasing
 * order, without repeats, in arena. Returns false when the set should be
 * scanned whole instead: n below cd_index_scan_below, a request variable
 * that is not an entity, or candidates nearly as many as n. Its contract on
 * success (every policy not a candidate is neither satisfied nor erroring)
 * is what the proof of the index's path assumes: the predicate
 * index_candidates in cd_authz.c, docs/verification.md (assumption 1). */
bool cd_index_candidates(const cd_index *ix, size_t n, const cd_request *req, const cd_entities *es,
                         cd_arena *arena, const uint32_t **out, size_t *n_out);

#endif
