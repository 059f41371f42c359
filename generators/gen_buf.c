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

static void reserve(gen_buf *b, size_t extra)
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

void gen_buf_put(gen_buf *b, const void *p, size_t n)
{
    reserve(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void gen_buf_putc(gen_buf *b, char c)
{
    reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void gen_buf_puts(gen_buf *b, const char *s)
{
    gen_buf_put(b, s, strlen(s));
}

void gen_buf_str(gen_buf *b, m_str s)
{
    gen_buf_put(b, s.ptr, s.len);
}

/* Formats straight into the buffer's free space; a second pass only when
 * that was too small (the emitters call this a lot). */
void gen_buf_printf(gen_buf *b, const char *fmt, ...)
{
    va_list ap;
    reserve(b, 64);
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n <= 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

const char *gen_buf_cstr(gen_buf *b)
{
    if (!b->data) reserve(b, 0), b->data[0] = '\0';
    return b->data;
}
