/* cd_buf.c: growable byte buffers and vectors. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>

#include "cd_base.h"

static _Noreturn void oom(void)
{
    fputs("libcedar: out of memory\n", stderr);
    abort();
}

/* n items of size bytes; an overflowing product is out of memory too */
static void *xreallocarray(void *p, size_t n, size_t size)
{
    void *q = reallocarray(p, n ? n : 1, size ? size : 1);
    if (!q) oom();
    return q;
}

void cd_buf_init(cd_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void cd_buf_free(cd_buf *b)
{
    free(b->data);
    cd_buf_init(b);
}

static void reserve(cd_buf *b, size_t extra)
{
    if (extra < b->cap - b->len) return;       /* room for extra bytes and the NUL */
    if (extra >= SIZE_MAX / 2 - b->len) oom(); /* the doubling below would wrap */
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xreallocarray(b->data, cap, 1);
    b->cap = cap;
}

void cd_buf_put(cd_buf *b, const void *p, size_t n)
{
    reserve(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void cd_buf_putc(cd_buf *b, char c)
{
    cd_buf_put(b, &c, 1);
}

void cd_buf_puts(cd_buf *b, const char *s)
{
    cd_buf_put(b, s, strlen(s));
}

void cd_buf_printf(cd_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

const char *cd_buf_cstr(cd_buf *b)
{
    reserve(b, 0);
    b->data[b->len] = 0;
    return b->data;
}

void cd_vec_init(cd_vec *v, size_t elem)
{
    v->items = NULL;
    v->len = v->cap = 0;
    v->elem = elem;
}

void *cd_vec_push(cd_vec *v)
{
    if (v->len == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->items = xreallocarray(v->items, v->cap, v->elem);
        if (v->cap * v->elem >= (8u << 20)) cd_advise_huge(v->items, v->cap * v->elem);
    }
    void *slot = (char *)v->items + v->len * v->elem;
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}

void cd_vec_reserve(cd_vec *v, size_t n)
{
    if (n <= v->cap) return;
    v->cap = n;
    v->items = xreallocarray(v->items, v->cap, v->elem);
}

void *cd_vec_finish(cd_vec *v, cd_arena *a)
{
    void *p = cd_arena_dup(a, v->items, v->len * v->elem);
    free(v->items);
    v->items = NULL;
    v->cap = 0;
    return p;
}

void cd_vec_free(cd_vec *v)
{
    free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

void cd_sort(void *items, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    unsigned char tmp[64], *a = items;
    if (n > 8 || size > sizeof tmp) {
        qsort(items, n, size, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        if (cmp(a + (i - 1) * size, a + i * size) <= 0) continue;
        size_t j = i;
        memcpy(tmp, a + i * size, size);
        for (; j > 0 && cmp(a + (j - 1) * size, tmp) > 0; j--)
            memcpy(a + j * size, a + (j - 1) * size, size);
        memcpy(a + j * size, tmp, size);
    }
}
