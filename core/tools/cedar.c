/* cedar: the command-line interface of libcedar, with the official Cedar
 * CLI's commands, options and exit codes (0 success or ALLOW, 1 failure,
 * 2 DENY or a usage error, 3 validation failed). `cedar --help` and
 * `cedar COMMAND --help` list them; cli_args.c defines them. */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
    cli_args a;
    cli_cmd_fn fn = NULL;
    int rc = cli_parse(argc - 1, argv + 1, &a, &fn);
    if (rc < 0) rc = fn(&a);
    cli_sources_free();
    fflush(stdout);
    return rc;
}
