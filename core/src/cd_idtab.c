/* cd_idtab.c: policy ids -> numbers -> positions (see cd_idtab.h). */
#include "cd_idtab.h"

#include <stdlib.h>
#include <string.h>

static uint64_t id_hash(const char *id, size_t len)
{
    return cd_hash_bytes(id, len, 0);
}

size_t cd_idtab_find(const cd_idtab *t, cd_policy *const *items, const cd_index *ix, const char *id,
                     size_t len)
{
    if (!t->cap) return SIZE_MAX;
    uint64_t h = id_hash(id, len);
    for (size_t i = (uint32_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        cd_idtab_slot s = t->slots[i];
        if (!s.seq) return SIZE_MAX;
        if (s.hash != (uint32_t)h) continue;
        size_t pos = cd_index_position(ix, s.seq - 1);
        cd_str k = items[pos]->id;
        if (k.len == len && memcmp(k.ptr, id, len) == 0) return pos;
    }
}

static void put(cd_idtab *t, cd_idtab_slot s)
{
    size_t i = s.hash & (t->cap - 1); /* cap <= 2^32: the low bits are kept */
    while (t->slots[i].seq)
        i = (i + 1) & (t->cap - 1);
    t->slots[i] = s;
}

void cd_idtab_add(cd_idtab *t, cd_policy *const *items, const cd_index *ix, size_t pos)
{
    if ((t->n + 1) * 4 > t->cap * 3) { /* keep the load under 3/4 */
        size_t cap = t->cap ? t->cap * 2 : 16;
        cd_idtab_slot *old = t->slots;
        size_t old_cap = t->cap;
        t->slots = calloc(cap, sizeof *t->slots);
        if (!t->slots) abort();
        t->cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].seq) put(t, old[i]);
        free(old);
    }
    cd_str k = items[pos]->id;
    put(t, (cd_idtab_slot){cd_index_seq(ix, pos) + 1, (uint32_t)id_hash(k.ptr, k.len)});
    t->n++;
}

void cd_idtab_remove(cd_idtab *t, cd_policy *const *items, const cd_index *ix, size_t pos)
{
    if (!t->cap) return;
    cd_str k = items[pos]->id;
    uint32_t seq = cd_index_seq(ix, pos) + 1;
    size_t mask = t->cap - 1, i = (uint32_t)id_hash(k.ptr, k.len) & mask;
    while (t->slots[i].seq && t->slots[i].seq != seq)
        i = (i + 1) & mask;
    if (!t->slots[i].seq) return;
    t->slots[i].seq = 0;
    t->n--;
    /* Move back every later entry of the run that may sit in the hole. */
    for (size_t j = (i + 1) & mask; t->slots[j].seq; j = (j + 1) & mask) {
        size_t h = t->slots[j].hash & mask;
        /* j's entry can move to i when its home is not in (i, j] (cyclically). */
        if (((j - h) & mask) >= ((j - i) & mask)) {
            t->slots[i] = t->slots[j];
            t->slots[j].seq = 0;
            i = j;
        }
    }
}

void cd_idtab_free(cd_idtab *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}
