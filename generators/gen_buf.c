/* gen_buf.c: a growable text buffer for the emitters. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

void gen_buf_init(gen_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void gen_buf_free(gen_buf *b)
{
    free(b->data);
    gen_buf_init(b);
}

void gen_buf_reset(gen_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void gen_buf_grow(gen_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) abort();
    b->data = p;
    b->cap = cap;
}

void gen_buf_i64(gen_buf *b, int64_t v)
{
    char d[24];
    size_t i = sizeof d;
    /* the magnitude as unsigned: -INT64_MIN does not fit an int64_t */
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        d[--i] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0) d[--i] = '-';
    gen_buf_put(b, d + i, sizeof d - i);
}

void gen_buf_spaces(gen_buf *b, int n)
{
    if (n <= 0) return;
    gen_buf_grow(b, (size_t)n);
    memset(b->data + b->len, ' ', (size_t)n);
    b->len += (size_t)n;
    b->data[b->len] = '\0';
}

/* Formats straight into the buffer's free space; a second pass only when
 * that was too small (the emitters call this a lot). */
void gen_buf_printf(gen_buf *b, const char *fmt, ...)
{
    va_list ap;
    gen_buf_grow(b, 64);
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n <= 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        gen_buf_grow(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

const char *gen_buf_cstr(gen_buf *b)
{
    if (!b->data) gen_buf_grow(b, 0), b->data[0] = '\0';
    return b->data;
}
