/* cd_err.c: error values with locations. */
#include <stdio.h>
#include <stdlib.h>

#include "cd_base.h"

void cd_err_vset(cd_err *e, cd_loc loc, const char *fmt, va_list ap)
{
    if (!e) return;
    free(e->message);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    e->message = malloc((size_t)n + 1);
    if (!e->message) abort();
    vsnprintf(e->message, (size_t)n + 1, fmt, ap);
    e->loc = loc;
}

void cd_err_set(cd_err *e, cd_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cd_err_vset(e, loc, fmt, ap);
    va_end(ap);
}

void cd_err_clear(cd_err *e)
{
    if (!e) return;
    free(e->message);
    e->message = NULL;
    e->loc = (cd_loc){0, 0, 0};
}

cd_loc cd_loc_of_offset(const char *text, size_t len, size_t offset)
{
    cd_loc l = {1, 1, (uint32_t)offset};
    if (offset > len) offset = len;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            l.line++;
            l.column = 1;
        } else {
            l.column++;
        }
    }
    return l;
}
