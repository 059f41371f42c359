/* drt_jalloc.c: free lists for jansson's small allocations in drt-run, and its
 * malloc settings.
 *
 * Every case parses its schema, entities and requests through jansson, which
 * mallocs each value, key and hash bucket separately (about 300 blocks per
 * abac case) and frees them all again: with glibc's malloc that was a tenth
 * of drt-run's instructions. drt-run is one thread, so freed blocks go to
 * free lists by size class (16-byte steps up to 512 bytes) and are reused.
 * The blocks are plain malloc blocks, classed by malloc_usable_size, so a
 * caller may still free() what jansson returns (json_dumps' text, as core
 * does); such a block simply leaves the pool. Memory kept in the lists is
 * bounded by the largest case. Sanitized builds keep malloc, so ASan still
 * sees jansson's blocks one by one. */
#include <jansson.h>
#include <malloc.h>
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
enum { STEP = 16, CLASSES = 32 }; /* classes 1..32: blocks up to 512 bytes */

typedef struct free_block {
    struct free_block *next;
} free_block;

/* lists[k]: blocks of at least k * STEP usable bytes */
static free_block *lists[CLASSES + 1];

static void *pool_malloc(size_t n)
{
    size_t k = n ? (n + STEP - 1) / STEP : 1;
    if (k > CLASSES) return malloc(n);
    if (lists[k]) {
        free_block *b = lists[k];
        lists[k] = b->next;
        return b;
    }
    return malloc(k * STEP);
}

static void pool_free(void *p)
{
    if (!p) return;
    size_t k = malloc_usable_size(p) / STEP;
    if (k == 0 || k > CLASSES) {
        free(p);
        return;
    }
    free_block *b = p;
    b->next = lists[k];
    lists[k] = b;
}

void drt_jansson_pool(void)
{
    json_set_alloc_funcs(pool_malloc, pool_free);
}

/* glibc gives the top of the heap back to the system once 128 KB of it are
 * free, and a case's blocks are all freed at its end: with few jansson
 * blocks left in the lists (requests and most entities are read without
 * jansson), drt-run shrank and regrew its heap more often (minor page
 * faults in 20,000 abac cases, by the heap's layout from run to run: 6,400
 * to 12,200 before the direct readers, 10,000 to 28,500 after, 500 with
 * these settings). A fixed mmap threshold keeps big blocks (over 4 MB) out
 * of the heap. */
void drt_malloc_settings(void)
{
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
}
#else
void drt_jansson_pool(void) {}
void drt_malloc_settings(void) {}
#endif
