/* cli.h: the pieces of the `cedar` command-line interface (core/tools/cli_*.c):
 * options per command (cli_args.c), error reports with source snippets
 * (cli_report.c), loading inputs (cli_load.c) and the commands. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "cedar/cedar.h"

/* The official CLI's exit codes (clap's usage errors are 2, like DENY). */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_DENY = 2, CLI_USAGE = 2, CLI_INVALID = 3 };

/* Every option of every command; each command accepts a subset. */
typedef enum cli_opt {
    O_POLICIES,
    O_POLICY_FORMAT,
    O_LINKS,
    O_SCHEMA,
    O_SCHEMA_FORMAT,
    O_ENTITIES,
    O_PRINCIPAL,
    O_ACTION,
    O_RESOURCE,
    O_CONTEXT,
    O_REQUEST_JSON,
    O_REQUEST_VALIDATION,
    O_VERBOSE,
    O_TIMING,
    O_EXPRESSION,
    O_DENY_WARNINGS,
    O_VALIDATION_MODE,
    O_MODE, /* our older name of --validation-mode */
    O_LEVEL,
    O_TEMPLATE_ID,
    O_NEW_ID,
    O_ARGUMENTS,
    O_LINE_WIDTH,
    O_INDENT_WIDTH,
    O_WRITE,
    O_CHECK,
    O_DIRECTION,
    O_ERROR_FORMAT,
    O_HELP,
    O_COUNT
} cli_opt;

typedef struct cli_args {
    const char *cmd;
    const char *val[O_COUNT]; /* NULL when not given; "true" for a flag */
    const char *positional;   /* evaluate's EXPRESSION */
} cli_args;

typedef int (*cli_cmd_fn)(const cli_args *a);

/* ---- cli_args.c ---- */
/* Parse argv (after the program name): global options, the command, its
 * options. Returns -1 when the command should run, else the exit status
 * (help, version, usage errors). */
int cli_parse(int argc, char **argv, cli_args *a, cli_cmd_fn *fn);
/* The option's value as a choice among `choices` (NULL-terminated); index, or
 * -1 after reporting a usage error. def when not given. */
int cli_choice(const cli_args *a, cli_opt o, const char *const *choices, int def);

/* ---- cli_report.c ---- */
typedef enum cli_errfmt { CLI_ERR_HUMAN, CLI_ERR_PLAIN, CLI_ERR_JSON } cli_errfmt;
void cli_set_errfmt(cli_errfmt f);
cli_errfmt cli_get_errfmt(void);
/* Remember a document's text under the name its errors will carry, so that
 * reports can show the line and a caret. The text is copied. */
void cli_source_add(const char *name, const char *text, size_t len);
void cli_sources_free(void);
/* Report an error: `context` (may be NULL) caused by err (cleared). */
void cli_fail(const char *context, cedar_error *err);
/* Report an error without a location. */
void cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One diagnostic to a stream: the general form behind cli_fail, also used by
 * validate for each error and warning. */
typedef struct cli_diag {
    bool warning;
    const char *context; /* may be NULL */
    const char *message;
    const char *file; /* may be NULL */
    unsigned line, column;
    const char *help; /* may be NULL */
} cli_diag;
void cli_report(void *stream, const cli_diag *d);

/* ---- cli_load.c ---- */
/* "<stdin>" for NULL or "-", else path. */
const char *cli_name(const char *path);
/* Read a file (NULL or "-": standard input), remembered as a source; NULL
 * after reporting "failed to open WHAT file PATH". */
char *cli_read(const char *path, const char *what, size_t *len);
cedar_schema *cli_load_schema(const cli_args *a, bool *failed);
/* --policies (standard input when absent) in --policy-format, ids from @id,
 * then --template-linked. */
cedar_policy_set *cli_load_policies(const cli_args *a);
cedar_entities *cli_load_entities(const char *path, const cedar_schema *schema);
cedar_request *cli_load_request(const cli_args *a, const cedar_schema *schema);

/* ---- the commands ---- */
int cli_authorize(const cli_args *a);
int cli_evaluate(const cli_args *a);
int cli_check_parse(const cli_args *a);
int cli_validate(const cli_args *a);
int cli_link(const cli_args *a);
int cli_language_version(const cli_args *a);
int cli_translate_policy(const cli_args *a);
int cli_format(const cli_args *a);
int cli_translate_schema(const cli_args *a);

#endif
