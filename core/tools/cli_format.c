/* cli_format.c: `cedar format`: lay policies out as the official formatter
 * does. Prints the result (or writes it back with --write); with --check,
 * exits 1 when the text is not formatted already. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* An integer option's value; false after reporting clap's usage error. */
static bool int_opt(const cli_args *a, cli_opt o, const char *name, const char *metavar, long def,
                    long min, long *out)
{
    const char *v = a->val[o];
    *out = def;
    if (!v) return true;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < min || n > 1000000) {
        fprintf(stderr,
                "error: invalid value '%s' for '--%s <%s>': invalid digit found in string\n\nFor "
                "more information, try '--help'.\n",
                v, name, metavar);
        return false;
    }
    *out = n;
    return true;
}

int cli_format(const cli_args *a)
{
    long width, indent;
    if (!int_opt(a, O_LINE_WIDTH, "line-width", "UINT", 80, 0, &width) ||
        !int_opt(a, O_INDENT_WIDTH, "indent-width", "INT", 2, -1000000, &indent))
        return CLI_USAGE;
    const char *path = a->val[O_POLICIES];
    if (a->val[O_WRITE] && a->val[O_CHECK]) {
        fputs("error: the argument '--write' cannot be used with '--check'\n\nFor more "
              "information, try '--help'.\n",
              stderr);
        return CLI_USAGE;
    }
    if (a->val[O_WRITE] && (!path || strcmp(path, "-") == 0)) {
        fputs("error: the following required arguments were not provided:\n  --policies "
              "<FILE>\n\nFor more information, try '--help'.\n",
              stderr);
        return CLI_USAGE;
    }
    size_t len;
    char *text = cli_read(path, "policy set", &len);
    if (!text) return CLI_FAIL;
    cedar_error err = CEDAR_ERROR_INIT;
    char *out =
        cedar_format_policies(text, len, cli_name(path), (unsigned)width, (int)indent, &err);
    int rc = CLI_OK;
    if (!out) {
        cli_fail("cannot format the policies", &err);
        rc = CLI_FAIL;
    } else {
        size_t n = strlen(out);
        bool same = n == len && memcmp(out, text, n) == 0;
        if (a->val[O_WRITE]) {
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(out, 1, n, f) != n) {
                cli_failf("failed to write formatted policies to %s", path);
                rc = CLI_FAIL;
            }
            if (f && fclose(f) != 0 && rc == CLI_OK) {
                cli_failf("failed to write formatted policies to %s", path);
                rc = CLI_FAIL;
            }
        } else {
            fwrite(out, 1, n, stdout);
        }
        if (a->val[O_CHECK] && !same) rc = CLI_FAIL;
    }
    free(out);
    free(text);
    return rc;
}
