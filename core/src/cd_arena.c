/* cd_arena.c: bump allocation in chained blocks, and the set of interned
 * names the arena holds (given back when it is freed or reset). */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* mmap's MAP_ANONYMOUS, madvise */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_base.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

typedef struct block {
    struct block *next;
    size_t size, used;
    bool mapped; /* a big block (big_block_new) */
    _Alignas(16) unsigned char data[];
} block;

struct cd_arena {
    block *head;
    size_t total;
    /* held names: open addressing on the pointer, power-of-two capacity */
    const cd_name **names;
    size_t n_names, names_cap;
};

enum { FIRST_BLOCK = 8192 };

/* Once an arena holds BIG_AFTER bytes, its next blocks are BIG_BLOCK bytes
 * mapped at a huge-page boundary and advised as huge pages: loading a million
 * entities fills hundreds of MB, and with 4 KB pages the page faults were
 * over a third of the load's CPU time. */
enum { HUGE_PAGE = 2u << 20, BIG_BLOCK = 4 * HUGE_PAGE, BIG_AFTER = 8u << 20 };

static block *big_block_new(void)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* map one huge page more, then unmap around the aligned part */
    size_t len = BIG_BLOCK + HUGE_PAGE;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    size_t head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
    if (head) munmap(p, head);
    if (HUGE_PAGE - head) munmap(p + head + BIG_BLOCK, HUGE_PAGE - head);
    block *b = (block *)(p + head);
    madvise(b, BIG_BLOCK, MADV_HUGEPAGE); /* advice only: fine if refused */
    b->mapped = true;
    return b;
#else
    return NULL;
#endif
}

void cd_advise_huge(void *p, size_t len)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + len) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* advice only */
#else
    (void)p, (void)len;
#endif
}

static void block_free(block *b)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (b->mapped) {
        munmap(b, BIG_BLOCK);
        return;
    }
#endif
    free(b);
}

static block *block_new(size_t size)
{
    block *b = NULL;
    if (sizeof(block) + size == BIG_BLOCK) b = big_block_new();
    if (!b) {
        b = malloc(sizeof(block) + size);
        if (b) b->mapped = false;
    }
    if (!b) {
        fputs("libcedar: out of memory\n", stderr);
        abort();
    }
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

/* One allocation per arena: the arena, then its first block (the last in
 * the chain, freed with the arena). The arena comes first, so that a
 * pointer to it is a pointer to the allocation (leak checkers). */
enum { HEADER = (sizeof(cd_arena) + _Alignof(block) - 1) & ~(_Alignof(block) - 1) };

static block *first_block(cd_arena *a)
{
    return (block *)((char *)a + HEADER);
}

cd_arena *cd_arena_new(void)
{
    cd_arena *a = malloc(HEADER + sizeof(block) + FIRST_BLOCK);
    if (!a) {
        fputs("libcedar: out of memory\n", stderr);
        abort();
    }
    memset(a, 0, sizeof *a);
    block *b = first_block(a);
    b->next = NULL;
    b->size = FIRST_BLOCK;
    b->used = 0;
    b->mapped = false;
    a->head = b;
    return a;
}

static void release_names(cd_arena *a)
{
    if (!a->names) return;
    cd_name_release(a->names, a->names_cap);
    free(a->names);
    a->names = NULL;
    a->n_names = a->names_cap = 0;
}

static size_t ptr_slot(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x >> 32) & (cap - 1);
}

bool cd_arena_add_name(cd_arena *a, const cd_name *n)
{
    if (a->names) {
        for (size_t j = ptr_slot(n, a->names_cap); a->names[j]; j = (j + 1) & (a->names_cap - 1))
            if (a->names[j] == n) return false;
    }
    if ((a->n_names + 1) * 2 > a->names_cap) {
        size_t cap = a->names_cap ? a->names_cap * 2 : 16;
        const cd_name **s = calloc(cap, sizeof *s);
        if (!s) {
            fputs("libcedar: out of memory\n", stderr);
            abort();
        }
        for (size_t i = 0; i < a->names_cap; i++) {
            if (!a->names[i]) continue;
            size_t j = ptr_slot(a->names[i], cap);
            while (s[j])
                j = (j + 1) & (cap - 1);
            s[j] = a->names[i];
        }
        free(a->names);
        a->names = s;
        a->names_cap = cap;
    }
    size_t j = ptr_slot(n, a->names_cap);
    while (a->names[j])
        j = (j + 1) & (a->names_cap - 1);
    a->names[j] = n;
    a->n_names++;
    return true;
}

void cd_arena_free(cd_arena *a)
{
    if (!a) return;
    release_names(a);
    for (block *b = a->head, *n; b != first_block(a); b = n) {
        n = b->next;
        block_free(b);
    }
    free(a); /* and its first block */
}

void cd_arena_reset(cd_arena *a)
{
    release_names(a);
    /* keep the oldest block (the last in the chain), free the rest */
    block *b = a->head;
    while (b->next) {
        block *n = b->next;
        block_free(b);
        b = n;
    }
    b->used = 0;
    a->head = b;
    a->total = 0;
}

static _Noreturn void oom(void)
{
    fputs("libcedar: out of memory\n", stderr);
    abort();
}

void *cd_arena_alloc_array(cd_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) oom(); /* the product would wrap */
    return cd_arena_alloc(a, n * size);
}

void *cd_arena_zalloc_array(cd_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) oom();
    return cd_arena_zalloc(a, n * size);
}

/* n bytes, not zeroed, at a multiple of align (16, or 1 for text) from the
 * block's start. */
static void *alloc_raw(cd_arena *a, size_t n, size_t align)
{
    if (n > SIZE_MAX / 2) oom(); /* rounding up or the block header would wrap */
    n = (n + align - 1) & ~(align - 1);
    if (n == 0) n = align;
    block *b = a->head;
    size_t at = (b->used + align - 1) & ~(align - 1);
    if (at > b->size || b->size - at < n) {
        size_t size = b->size * 2;
        if (size < n) size = n;
        if (size > (1u << 20) && n <= (1u << 20)) size = 1u << 20;
        if (a->total >= BIG_AFTER && n <= BIG_BLOCK - sizeof(block))
            size = BIG_BLOCK - sizeof(block);
        block *nb = block_new(size < n ? n : size);
        nb->next = b;
        a->head = nb;
        b = nb;
        at = 0;
    }
    void *p = b->data + at;
    a->total += n + (at - b->used);
    b->used = at + n;
    return p;
}

void *cd_arena_alloc(cd_arena *a, size_t n)
{
    return alloc_raw(a, n, 16);
}

void *cd_arena_zalloc(cd_arena *a, size_t n)
{
    void *p = alloc_raw(a, n, 16);
    memset(p, 0, n);
    return p;
}

void *cd_arena_dup(cd_arena *a, const void *p, size_t n)
{
    void *q = alloc_raw(a, n, 16); /* written whole: no zeroing first */
    if (n) memcpy(q, p, n);
    return q;
}

cd_str cd_arena_str(cd_arena *a, const char *p, size_t n)
{
    char *q = alloc_raw(a, n + 1, 1); /* text needs no alignment: packed */
    if (n) memcpy(q, p, n);
    q[n] = 0;
    return (cd_str){q, n};
}

char *cd_arena_vprintf(cd_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *s = cd_arena_alloc(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *cd_arena_printf(cd_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = cd_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

size_t cd_arena_used(const cd_arena *a)
{
    return a->total;
}
