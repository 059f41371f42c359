/* cd_json_locs.c: the side table of byte offsets filled by cd_json_parse_ex.
 *
 * While a container is being parsed its items' positions collect in a
 * scratch vector for its depth (a container at depth d only holds containers
 * at depth d + 1, so one vector per depth suffices and is reused); when it is
 * complete they are copied into the table's arena and the container's
 * address is entered in an open-addressing hash table. A container freed
 * during the parse (a value replaced by a repeated key) may leave a stale
 * entry; an entry for the same address entered later replaces it, so every
 * live container finds its own positions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cd_json.h"

typedef struct slot {
    const json_t *c; /* NULL: empty */
    size_t n;
    const cd_json_pos *items;
} slot;

struct cd_json_locs {
    unsigned max_depth;
    size_t root;
    cd_arena *arena; /* item arrays */
    slot *tab;
    size_t cap, used; /* cap: a power of two */
    cd_vec open[CD_JSON_MAX_NESTING];
};

cd_json_locs *cd_json_locs_new(unsigned max_depth)
{
    cd_json_locs *l = calloc(1, sizeof *l);
    if (!l) abort();
    l->max_depth = max_depth;
    l->arena = cd_arena_new();
    for (size_t d = 0; d < CD_JSON_MAX_NESTING; d++)
        cd_vec_init(&l->open[d], sizeof(cd_json_pos));
    return l;
}

void cd_json_locs_free(cd_json_locs *l)
{
    if (!l) return;
    for (size_t d = 0; d < CD_JSON_MAX_NESTING; d++)
        cd_vec_free(&l->open[d]);
    cd_arena_free(l->arena);
    free(l->tab);
    free(l);
}

static size_t hash_ptr(const json_t *c, size_t mask)
{
    uint64_t h = (uint64_t)(uintptr_t)c * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & mask;
}

static slot *find(const cd_json_locs *l, const json_t *c)
{
    size_t mask = l->cap - 1;
    for (size_t i = hash_ptr(c, mask);; i = (i + 1) & mask)
        if (l->tab[i].c == c || !l->tab[i].c) return &l->tab[i];
}

static void grow(cd_json_locs *l)
{
    slot *old = l->tab;
    size_t old_cap = l->cap;
    l->cap = old_cap ? old_cap * 2 : 64;
    l->tab = calloc(l->cap, sizeof *l->tab);
    if (!l->tab) abort();
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].c) *find(l, old[i].c) = old[i];
    free(old);
}

bool cd_json_locs_wants(const cd_json_locs *l, unsigned depth)
{
    return l && depth >= 1 && depth <= CD_JSON_MAX_NESTING &&
           (l->max_depth == 0 || depth <= l->max_depth);
}

void cd_json_locs_set_root(cd_json_locs *l, size_t off)
{
    l->root = off;
}

void cd_json_locs_open(cd_json_locs *l, unsigned depth)
{
    l->open[depth - 1].len = 0;
}

void cd_json_locs_add(cd_json_locs *l, unsigned depth, cd_json_pos pos)
{
    *(cd_json_pos *)cd_vec_push(&l->open[depth - 1]) = pos;
}

void cd_json_locs_replace(cd_json_locs *l, unsigned depth, size_t i, cd_json_pos pos)
{
    cd_vec *v = &l->open[depth - 1];
    if (i < v->len) CD_VEC_AT(v, cd_json_pos, i) = pos;
}

void cd_json_locs_close(cd_json_locs *l, unsigned depth, const json_t *c)
{
    const cd_vec *v = &l->open[depth - 1];
    if (!v->len) return;
    if (2 * (l->used + 1) > l->cap) grow(l);
    slot *s = find(l, c);
    if (!s->c) l->used++;
    s->c = c;
    s->n = v->len;
    s->items = cd_arena_dup(l->arena, v->items, v->len * sizeof(cd_json_pos));
}

size_t cd_json_locs_root(const cd_json_locs *l)
{
    return l->root;
}

const cd_json_pos *cd_json_locs_items(const cd_json_locs *l, const json_t *c, size_t *n)
{
    *n = 0;
    if (!l || !c || !l->cap) return NULL;
    const slot *s = find(l, c);
    if (!s->c) return NULL;
    *n = s->n;
    return s->items;
}
