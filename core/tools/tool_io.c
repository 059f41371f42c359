/* tool_io.c: file helpers shared by the command-line tools. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_io.h"

char *tool_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "error: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "error: out of memory reading %s\n", path);
            if (f != stdin) fclose(f);
            return NULL;
        }
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb) free(buf);
        buf = nb;
    }
    int failed = ferror(f);
    if (f != stdin) fclose(f);
    if (failed) {
        fprintf(stderr, "error: cannot read %s\n", path);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

void tool_print_error(const char *what, cedar_error *err)
{
    char *s = cedar_error_format(err);
    fprintf(stderr, "error: %s%s%s\n", what ? what : "", what ? ": " : "", s);
    free(s);
    cedar_error_clear(err);
}
