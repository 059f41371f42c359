/* drt_jalloc.c: free lists for jansson's small allocations in drt-run.
 *
 * Every case parses its schema, entities and requests through jansson, which
 * mallocs each value, key and hash bucket separately (about 300 blocks per
 * abac case) and frees them all again: with glibc's malloc that was a tenth
 * of drt-run's instructions. drt-run is one thread, so the blocks go to free
 * lists by size class (16-byte steps up to 512 bytes) and are reused; larger
 * ones go to malloc. Memory is never returned, which is bounded by the
 * largest case. Sanitized builds keep malloc, so ASan still sees jansson's
 * blocks one by one. */
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>

#include "drt_targets.h"

#if defined(__SANITIZE_ADDRESS__)
#define DRT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DRT_SANITIZED 1
#endif
#endif

#ifndef DRT_SANITIZED
enum { STEP = 16, CLASSES = 32, HEADER = 16 }; /* classes 1..32: up to 512 bytes */

typedef union free_block {
    union free_block *next;
    max_align_t align;
} free_block;

static free_block *lists[CLASSES + 1];

/* Each block starts with a 16-byte header holding its class (0: malloc'd as
 * is), so that the data stays 16-byte aligned as malloc's would. */
static void *pool_malloc(size_t n)
{
    size_t k = (n + STEP - 1) / STEP;
    if (k == 0) k = 1;
    unsigned char *p;
    if (k <= CLASSES && lists[k]) {
        p = (unsigned char *)lists[k];
        lists[k] = lists[k]->next;
    } else {
        p = malloc(HEADER + (k <= CLASSES ? k * STEP : n));
        if (!p) return NULL;
    }
    *(size_t *)p = k <= CLASSES ? k : 0;
    return p + HEADER;
}

static void pool_free(void *q)
{
    if (!q) return;
    unsigned char *p = (unsigned char *)q - HEADER;
    size_t k = *(size_t *)p;
    if (k == 0) {
        free(p);
        return;
    }
    free_block *b = (free_block *)p;
    b->next = lists[k];
    lists[k] = b;
}

void drt_jansson_pool(void)
{
    json_set_alloc_funcs(pool_malloc, pool_free);
}
#else
void drt_jansson_pool(void) {}
#endif
