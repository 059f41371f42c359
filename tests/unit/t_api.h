/* t_api.h: helpers for the tests that go through the public API
 * (cedar/cedar.h): evaluate an expression against a request, read an error's
 * formatted message, check that a message says something, parse a schema. */
#ifndef T_API_H
#define T_API_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cedar/cedar.h"
#include "t.h"

/* The printed value of `expr` evaluated for rq (no entities), or NULL. */
static inline char *t_evaluate(const cedar_request *rq, const char *expr)
{
    cedar_error err = {0};
    char *v = cedar_evaluate(expr, strlen(expr), NULL, rq, &err);
    if (!v) fprintf(stderr, "  evaluate: %s\n", err.message ? err.message : "?");
    cedar_error_clear(&err);
    return v;
}

/* The error's formatted message (to free), or NULL when there is none. */
static inline char *t_message(const cedar_error *err)
{
    return err->message ? cedar_error_format(err) : NULL;
}

/* The message contains part; says what it lacks when not. */
static inline bool t_has(const char *message, const char *part)
{
    bool ok = message && strstr(message, part);
    if (!ok) fprintf(stderr, "  message `%s` lacks `%s`\n", message ? message : "(none)", part);
    return ok;
}

/* A schema in the text format, or NULL (a failed check) when it does not parse. */
static inline cedar_schema *t_schema_text(const char *text)
{
    cedar_error err = {0};
    cedar_schema *s = cedar_schema_parse(text, strlen(text), CEDAR_SCHEMA_TEXT, "s", &err);
    T_CHECK(s != NULL);
    if (!s) fprintf(stderr, "  schema: %s\n", err.message ? err.message : "?");
    cedar_error_clear(&err);
    return s;
}

#endif
