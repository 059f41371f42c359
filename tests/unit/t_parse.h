/* t_parse.h: helpers for the tests of the policy parser and printer
 * (test_parse.c, test_print.c): parse an expression or policies into the
 * test's arena, print an expression, intern a name. */
#ifndef T_PARSE_H
#define T_PARSE_H

#include <stdio.h>
#include <string.h>

#include "cd_ast.h"
#include "t.h"

/* The test's arena (one per test program). */
static cd_arena *A;

static inline cd_expr *px(const char *text)
{
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(text, strlen(text), "test", A, &e);
    if (!x)
        fprintf(stderr, "unexpected error for `%s`: %d:%d %s\n", text, e.loc.line, e.loc.column,
                e.message);
    cd_err_clear(&e);
    return x;
}

/* Print an expression into a static buffer (for compact shape checks). */
static inline const char *show(const cd_expr *x)
{
    static char out[4096];
    cd_buf b;
    cd_buf_init(&b);
    if (x) cd_expr_print(&b, x);
    snprintf(out, sizeof out, "%s", x ? cd_buf_cstr(&b) : "(null)");
    cd_buf_free(&b);
    return out;
}

static inline cd_policies pols(const char *text)
{
    cd_err e = {0};
    cd_policies ps = {0};
    if (!cd_parse_policies(text, strlen(text), "p.cedar", A, &ps, &e)) {
        fprintf(stderr, "unexpected error for `%s`: %d:%d %s\n", text, e.loc.line, e.loc.column,
                e.message);
        ps.n = 0;
    }
    cd_err_clear(&e);
    return ps;
}

static inline const cd_name *nm(const char *s)
{
    return cd_name_intern(NULL, s, strlen(s));
}

#endif
