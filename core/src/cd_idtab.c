/* cd_idtab.c: policy ids -> positions (see cd_idtab.h). */
#include "cd_idtab.h"

#include <stdlib.h>
#include <string.h>

static size_t home(const cd_idtab *t, const char *id, size_t len)
{
    return (size_t)cd_hash_bytes(id, len, 0) & (t->cap - 1);
}

size_t cd_idtab_find(const cd_idtab *t, cd_policy *const *items, const char *id, size_t len)
{
    if (!t->cap) return SIZE_MAX;
    for (size_t i = home(t, id, len);; i = (i + 1) & (t->cap - 1)) {
        uint32_t s = t->slots[i];
        if (!s) return SIZE_MAX;
        cd_str k = items[s - 1]->id;
        if (k.len == len && memcmp(k.ptr, id, len) == 0) return s - 1;
    }
}

static void put(cd_idtab *t, cd_policy *const *items, size_t pos)
{
    cd_str k = items[pos]->id;
    size_t i = home(t, k.ptr, k.len);
    while (t->slots[i])
        i = (i + 1) & (t->cap - 1);
    t->slots[i] = (uint32_t)(pos + 1);
}

void cd_idtab_add(cd_idtab *t, cd_policy *const *items, size_t pos)
{
    if (pos >= UINT32_MAX) abort();    /* 4 billion policies: out of memory long before */
    if ((t->n + 1) * 4 > t->cap * 3) { /* keep the load under 3/4 */
        size_t cap = t->cap ? t->cap * 2 : 16;
        uint32_t *old = t->slots;
        size_t old_cap = t->cap;
        t->slots = calloc(cap, sizeof *t->slots);
        if (!t->slots) abort();
        t->cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i]) put(t, items, old[i] - 1);
        free(old);
    }
    put(t, items, pos);
    t->n++;
}

void cd_idtab_remove(cd_idtab *t, cd_policy *const *items, size_t pos)
{
    if (!t->cap) return;
    size_t mask = t->cap - 1, i = home(t, items[pos]->id.ptr, items[pos]->id.len);
    while (t->slots[i] && t->slots[i] != pos + 1)
        i = (i + 1) & mask;
    if (!t->slots[i]) return;
    t->slots[i] = 0;
    t->n--;
    /* Move back every later entry of the run that may sit in the hole. */
    for (size_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
        cd_str k = items[t->slots[j] - 1]->id;
        size_t h = home(t, k.ptr, k.len);
        /* j's entry can move to i when its home is not in (i, j] (cyclically). */
        if (((j - h) & mask) >= ((j - i) & mask)) {
            t->slots[i] = t->slots[j];
            t->slots[j] = 0;
            i = j;
        }
    }
}

void cd_idtab_free(cd_idtab *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}
