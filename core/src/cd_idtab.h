/* cd_idtab.h: policy ids -> positions in a policy set, a hash table (keyed
 * SipHash, open addressing with linear probing), so that linking finds the
 * template and checks the new id in O(1) instead of scanning the set. */
#ifndef CD_IDTAB_H
#define CD_IDTAB_H

#include <stdint.h>

#include "cd_ast.h"

typedef struct cd_idtab_slot {
    uint32_t pos;  /* position + 1; 0 = empty */
    uint32_t hash; /* low bits of the id's hash: most misses need no id */
} cd_idtab_slot;

typedef struct cd_idtab {
    cd_idtab_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
} cd_idtab;

/* The position of the policy with this id among items, or SIZE_MAX. */
size_t cd_idtab_find(const cd_idtab *t, cd_policy *const *items, const char *id, size_t len);
/* Record items[pos] (its id must not be in the table yet). */
void cd_idtab_add(cd_idtab *t, cd_policy *const *items, size_t pos);
/* Forget items[pos] (backward-shift deletion). */
void cd_idtab_remove(cd_idtab *t, cd_policy *const *items, size_t pos);
/* The policy at pos has left the set (after cd_idtab_remove): every later
 * position moves down one. */
void cd_idtab_close_gap(cd_idtab *t, size_t pos);
void cd_idtab_free(cd_idtab *t);

#endif
