/* cd_idtab.h: policy ids -> positions in a policy set, a hash table (keyed
 * SipHash, open addressing with linear probing), so that linking finds the
 * template and checks the new id in O(1) instead of scanning the set. */
#ifndef CD_IDTAB_H
#define CD_IDTAB_H

#include <stdint.h>

#include "cd_ast.h"
#include "cd_index.h"

typedef struct cd_idtab_slot {
    uint32_t seq;  /* the policy's number in the index (cd_index_seq) + 1; 0 = empty */
    uint32_t hash; /* low bits of the id's hash: most misses need no id */
} cd_idtab_slot;

typedef struct cd_idtab {
    cd_idtab_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
} cd_idtab;

/* The table keeps the policies' numbers in the set's index, which do not
 * change when a policy leaves from before them, so that taking a policy out
 * touches only its own entry. Each call takes the set's policies (items) and
 * index (ix), which must know items[pos] already (cd_index_add before
 * cd_idtab_add, cd_idtab_remove before cd_index_remove). */

/* The position of the policy with this id among items, or SIZE_MAX. */
size_t cd_idtab_find(const cd_idtab *t, cd_policy *const *items, const cd_index *ix, const char *id,
                     size_t len);
/* Record items[pos] (its id must not be in the table yet). */
void cd_idtab_add(cd_idtab *t, cd_policy *const *items, const cd_index *ix, size_t pos);
/* Forget items[pos] (backward-shift deletion). */
void cd_idtab_remove(cd_idtab *t, cd_policy *const *items, const cd_index *ix, size_t pos);
void cd_idtab_free(cd_idtab *t);

#endif
