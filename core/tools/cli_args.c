/* cli_args.c: the options of each `cedar` command, as the official CLI
 * (cedar-policy-cli) names them; an option that does not belong to the
 * command is a usage error (exit 2, as clap), `--help` for each command. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct optdef {
    const char *name;
    char short_name;     /* 0 when none */
    const char *metavar; /* NULL for a flag */
    const char *help;
} optdef;

static const optdef opts[O_COUNT] = {
    [O_POLICIES] = {"policies", 'p', "FILE",
                    "policies and templates (default: standard input; `-` too)"},
    [O_POLICY_FORMAT] = {"policy-format", 0, "FORMAT", "cedar (default) or json"},
    [O_LINKS] = {"template-linked", 'k', "FILE", "template-linked policies (JSON)"},
    [O_SCHEMA] = {"schema", 's', "FILE", "schema"},
    [O_SCHEMA_FORMAT] = {"schema-format", 0, "FORMAT", "cedar (default) or json"},
    [O_ENTITIES] = {"entities", 0, "FILE", "entities (JSON)"},
    [O_PRINCIPAL] = {"principal", 'l', "UID", "principal, e.g. User::\"alice\""},
    [O_ACTION] = {"action", 'a', "UID", "action, e.g. Action::\"view\""},
    [O_RESOURCE] = {"resource", 'r', "UID", "resource, e.g. File::\"a.txt\""},
    [O_CONTEXT] = {"context", 'c', "FILE", "context: a JSON object"},
    [O_REQUEST_JSON] = {"request-json", 0, "FILE",
                        "the whole request: {\"principal\", \"action\", \"resource\", "
                        "\"context\"} (replaces --principal, --action, --resource, --context)"},
    [O_REQUEST_VALIDATION] = {"request-validation", 0, "BOOL",
                              "validate the request against the schema (default true)"},
    [O_VERBOSE] = {"verbose", 'v', NULL, "list the policies that determined the decision"},
    [O_TIMING] = {"timing", 't', NULL, "print the authorization time"},
    [O_EXPRESSION] = {"expression", 0, "EXPR", "an expression to parse"},
    [O_DENY_WARNINGS] = {"deny-warnings", 0, NULL, "fail on warnings too"},
    [O_VALIDATION_MODE] = {"validation-mode", 0, "MODE", "strict (default) or permissive"},
    [O_MODE] = {"mode", 0, "MODE", "same as --validation-mode"},
    [O_LEVEL] = {"level", 0, "N", "validate at this level of entity dereferencing"},
    [O_TEMPLATE_ID] = {"template-id", 0, "ID", "the template to link"},
    [O_NEW_ID] = {"new-id", 'n', "ID", "id of the new template-linked policy"},
    [O_ARGUMENTS] = {"arguments", 'a', "JSON",
                     "slot values, e.g. {\"?principal\": \"User::\\\"alice\\\"\"}"},
    [O_LINE_WIDTH] = {"line-width", 'l', "UINT", "line width (default 80)"},
    [O_INDENT_WIDTH] = {"indent-width", 'i', "INT", "indentation width (default 2)"},
    [O_WRITE] = {"write", 'w', NULL, "write the result back to the --policies file"},
    [O_CHECK] = {"check", 'c', NULL, "fail when formatting would change the text"},
    [O_DIRECTION] = {"direction", 0, "DIRECTION", NULL},
    [O_ERROR_FORMAT] = {"error-format", 'f', "FORMAT",
                        "human (default), plain or json (env CEDAR_ERROR_FORMAT)"},
    [O_HELP] = {"help", 'h', NULL, "print help"},
};

#define END O_COUNT
typedef struct command {
    const char *name;
    cli_cmd_fn fn;
    const char *about;
    cli_opt opts[24]; /* END-terminated */
    const char *positional;
    const char *direction_help;
} command;

static const command commands[] = {
    {"authorize",
     cli_authorize,
     "Evaluate an authorization request: ALLOW (exit 0) or DENY (exit 2)",
     {O_PRINCIPAL, O_ACTION, O_RESOURCE, O_CONTEXT, O_REQUEST_JSON, O_REQUEST_VALIDATION,
      O_POLICIES, O_POLICY_FORMAT, O_LINKS, O_SCHEMA, O_SCHEMA_FORMAT, O_ENTITIES, O_VERBOSE,
      O_TIMING, END},
     NULL,
     NULL},
    {"evaluate",
     cli_evaluate,
     "Evaluate a Cedar expression",
     {O_PRINCIPAL, O_ACTION, O_RESOURCE, O_CONTEXT, O_REQUEST_JSON, O_REQUEST_VALIDATION, O_SCHEMA,
      O_SCHEMA_FORMAT, O_ENTITIES, END},
     "EXPRESSION",
     NULL},
    {"validate",
     cli_validate,
     "Validate a policy set against a schema: exit 0 when valid, 3 when not",
     {O_SCHEMA, O_SCHEMA_FORMAT, O_POLICIES, O_POLICY_FORMAT, O_LINKS, O_DENY_WARNINGS,
      O_VALIDATION_MODE, O_MODE, O_LEVEL, END},
     NULL,
     NULL},
    {"check-parse",
     cli_check_parse,
     "Check that policies, an expression, a schema and/or entities parse (with none of "
     "them: policies from standard input)",
     {O_POLICIES, O_POLICY_FORMAT, O_LINKS, O_EXPRESSION, O_SCHEMA, O_SCHEMA_FORMAT, O_ENTITIES,
      END},
     NULL,
     NULL},
    {"link",
     cli_link,
     "Link a template; with --template-linked, add the link to that file",
     {O_POLICIES, O_POLICY_FORMAT, O_LINKS, O_TEMPLATE_ID, O_NEW_ID, O_ARGUMENTS, END},
     NULL,
     NULL},
    {"translate-policy",
     cli_translate_policy,
     "Translate Cedar policy syntax to JSON policy syntax and back (comments are dropped)",
     {O_DIRECTION, O_POLICIES, END},
     NULL,
     "cedar-to-json or json-to-cedar"},
    {"format",
     cli_format,
     "Format a policy set as the official formatter does (comments kept)",
     {O_POLICIES, O_LINE_WIDTH, O_INDENT_WIDTH, O_WRITE, O_CHECK, END},
     NULL,
     NULL},
    {"translate-schema",
     cli_translate_schema,
     "Translate a schema between the Cedar schema syntax and JSON (a fragment: the types it "
     "names need not be declared)",
     {O_DIRECTION, O_SCHEMA, END},
     NULL,
     "cedar-to-json or json-to-cedar"},
    {"language-version",
     cli_language_version,
     "Print the Cedar language version",
     {END},
     NULL,
     NULL},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* Official commands this CLI does not have. */
static const char *const missing[] = {
    "visualize", "new", "partially-authorize", "tpe", "run-tests", "symcc", "license", NULL};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static bool required(const command *c, cli_opt o)
{
    return (strcmp(c->name, "validate") == 0 && o == O_SCHEMA) ||
           (strcmp(c->name, "authorize") == 0 && o == O_ENTITIES) ||
           (strcmp(c->name, "link") == 0 &&
            (o == O_TEMPLATE_ID || o == O_NEW_ID || o == O_ARGUMENTS)) ||
           (c->direction_help && o == O_DIRECTION);
}

static void print_usage_line(FILE *out, const command *c)
{
    fprintf(out, "Usage: cedar %s [OPTIONS]", c->name);
    for (const cli_opt *o = c->opts; *o != END; o++)
        if (required(c, *o)) fprintf(out, " --%s <%s>", opts[*o].name, opts[*o].metavar);
    if (c->positional) fprintf(out, " <%s>", c->positional);
    fputc('\n', out);
}

static void print_opt(FILE *out, cli_opt o, const char *help)
{
    const optdef *d = &opts[o];
    char left[64];
    snprintf(left, sizeof left, "%c%c%s --%s%s%s%s", d->short_name ? '-' : ' ',
             d->short_name ? d->short_name : ' ', d->short_name ? "," : " ", d->name,
             d->metavar ? " <" : "", d->metavar ? d->metavar : "", d->metavar ? ">" : "");
    fprintf(out, "  %-34s %s\n", left, help ? help : d->help);
}

static void command_help(FILE *out, const command *c)
{
    fprintf(out, "%s\n\n", c->about);
    print_usage_line(out, c);
    if (c->positional) fprintf(out, "\nArguments:\n  <%s>\n", c->positional);
    fputs("\nOptions:\n", out);
    for (const cli_opt *o = c->opts; *o != END; o++)
        if (*o != O_MODE) print_opt(out, *o, *o == O_DIRECTION ? c->direction_help : NULL);
    print_opt(out, O_ERROR_FORMAT, NULL);
    print_opt(out, O_HELP, NULL);
}

static void main_help(FILE *out)
{
    fputs("Cedar command-line interface (libcedar " CEDAR_VERSION_STRING
          ", Cedar language " CEDAR_LANG_VERSION ")\n\n"
          "Usage: cedar [OPTIONS] <COMMAND>\n\nCommands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-18s %s\n", commands[i].name, commands[i].about);
    fprintf(out, "  %-18s %s\n", "help", "Print this message or the help of the given command");
    fputs("\nOptions:\n", out);
    print_opt(out, O_ERROR_FORMAT, NULL);
    print_opt(out, O_HELP, NULL);
    fprintf(out, "  %-34s %s\n", "-V, --version", "print version");
    fputs("\nExit codes: 0 success or ALLOW, 1 failure, 2 DENY or a usage error, 3 validation "
          "failed.\n",
          out);
}

/* clap's form of a usage error. */
static int usage_error(const command *c, const char *fmt, const char *arg)
{
    fputs("error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n\n", stderr);
    if (c)
        print_usage_line(stderr, c);
    else
        fputs("Usage: cedar [OPTIONS] <COMMAND>\n", stderr);
    fprintf(stderr, "\nFor more information, try '%s--help'.\n", c ? "" : "");
    return CLI_USAGE;
}

static int set_errfmt(const char *v)
{
    static const char *const names[] = {"human", "plain", "json"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(v, names[i]) == 0) {
            cli_set_errfmt((cli_errfmt)i);
            return 0;
        }
    }
    return usage_error(NULL,
                       "invalid value '%s' for '--error-format <FORMAT>' (possible "
                       "values: human, plain, json)",
                       v);
}

/* Options of command c in getopt_long's form. */
static void build_getopt(const command *c, struct option *lo, char *so)
{
    size_t nl = 0, ns = 0;
    so[ns++] = ':'; /* report missing arguments as ':' */
    cli_opt all[O_COUNT + 2];
    size_t n = 0;
    for (const cli_opt *o = c->opts; *o != END; o++)
        all[n++] = *o;
    all[n++] = O_ERROR_FORMAT;
    all[n++] = O_HELP;
    for (size_t i = 0; i < n; i++) {
        const optdef *d = &opts[all[i]];
        lo[nl++] = (struct option){d->name, d->metavar ? required_argument : no_argument, NULL,
                                   256 + (int)all[i]};
        if (d->short_name) {
            so[ns++] = d->short_name;
            if (d->metavar) so[ns++] = ':';
        }
    }
    lo[nl] = (struct option){NULL, 0, NULL, 0};
    so[ns] = 0;
}

static cli_opt by_short(const command *c, int ch)
{
    if (ch == 'f') return O_ERROR_FORMAT;
    if (ch == 'h') return O_HELP;
    for (const cli_opt *o = c->opts; *o != END; o++)
        if (opts[*o].short_name == ch) return *o;
    return O_COUNT;
}

static int parse_command(const command *c, int argc, char **argv, cli_args *a)
{
    struct option lo[O_COUNT + 3];
    char so[2 * O_COUNT + 4];
    build_getopt(c, lo, so);
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        cli_opt o;
        if (ch == '?' || ch == ':') {
            const char *bad = argv[optind - 1];
            if (ch == ':')
                return usage_error(c, "a value is required for '%s' but none was supplied", bad);
            if (optopt && strncmp(bad, "--", 2) != 0) {
                static char s[3] = "-?";
                s[1] = (char)optopt;
                bad = s;
            }
            return usage_error(c, "unexpected argument '%s' found", bad);
        }
        o = ch >= 256 ? (cli_opt)(ch - 256) : by_short(c, ch);
        if (o == O_HELP) {
            command_help(stdout, c);
            return CLI_OK;
        }
        if (a->val[o] && o != O_ERROR_FORMAT)
            return usage_error(c, "the argument '--%s' cannot be used multiple times",
                               opts[o].name);
        a->val[o] = opts[o].metavar ? optarg : "true";
        if (o == O_ERROR_FORMAT && set_errfmt(optarg) != 0) return CLI_USAGE;
    }
    if (optind < argc && c->positional) a->positional = argv[optind++];
    if (optind < argc) return usage_error(c, "unexpected argument '%s' found", argv[optind]);
    if (c->positional && !a->positional) {
        char what[64];
        snprintf(what, sizeof what, "<%s>", c->positional);
        return usage_error(c, "the following required arguments were not provided: %s", what);
    }
    for (const cli_opt *o = c->opts; *o != END; o++) {
        if (required(c, *o) && !a->val[*o]) {
            char what[64];
            snprintf(what, sizeof what, "--%s <%s>", opts[*o].name, opts[*o].metavar);
            return usage_error(c, "the following required arguments were not provided: %s", what);
        }
    }
    if (a->val[O_REQUEST_JSON]) {
        static const cli_opt req[] = {O_PRINCIPAL, O_ACTION, O_RESOURCE, O_CONTEXT};
        for (size_t i = 0; i < 4; i++)
            if (a->val[req[i]])
                return usage_error(c,
                                   "the argument '--request-json <FILE>' cannot be used with "
                                   "'--%s'",
                                   opts[req[i]].name);
    }
    if (a->val[O_MODE] && a->val[O_VALIDATION_MODE])
        return usage_error(c, "%s", "--mode and --validation-mode are the same option");
    return -1;
}

int cli_choice(const cli_args *a, cli_opt o, const char *const *choices, int def)
{
    const char *v = a->val[o];
    if (!v) return def;
    for (int i = 0; choices[i]; i++)
        if (strcmp(v, choices[i]) == 0) return i;
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; choices[i] && used < sizeof list; i++)
        used +=
            (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", choices[i]);
    fprintf(stderr,
            "error: invalid value '%s' for '--%s <%s>'\n  [possible values: %s]\n\nFor more "
            "information, try '--help'.\n",
            v, opts[o].name, opts[o].metavar, list);
    return -1;
}

int cli_parse(int argc, char **argv, cli_args *a, cli_cmd_fn *fn)
{
    memset(a, 0, sizeof *a);
    const char *env = getenv("CEDAR_ERROR_FORMAT");
    if (env && *env && set_errfmt(env) != 0) return CLI_USAGE;
    int i = 0;
    /* global options before the command */
    while (i < argc && argv[i][0] == '-') {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            main_help(stdout);
            return CLI_OK;
        }
        if (strcmp(s, "-V") == 0 || strcmp(s, "--version") == 0) {
            printf("cedar %s (libcedar %s, Cedar language %s)\n", cedar_version(), cedar_version(),
                   CEDAR_LANG_VERSION);
            return CLI_OK;
        }
        const char *v = NULL;
        if (strcmp(s, "-f") == 0 || strcmp(s, "--error-format") == 0) {
            if (i + 1 >= argc)
                return usage_error(NULL, "a value is required for '%s' but none was supplied", s);
            v = argv[++i];
        } else if (strncmp(s, "--error-format=", 15) == 0) {
            v = s + 15;
        } else if (strncmp(s, "-f", 2) == 0) {
            v = s + 2;
        } else {
            return usage_error(NULL, "unexpected argument '%s' found", s);
        }
        if (set_errfmt(v) != 0) return CLI_USAGE;
        i++;
    }
    if (i >= argc) {
        main_help(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[i];
    if (strcmp(name, "help") == 0) {
        if (i + 1 < argc) {
            const command *c = find_command(argv[i + 1]);
            if (!c) return usage_error(NULL, "unrecognized subcommand '%s'", argv[i + 1]);
            command_help(stdout, c);
        } else {
            main_help(stdout);
        }
        return CLI_OK;
    }
    const command *c = find_command(name);
    if (!c) {
        for (int k = 0; missing[k]; k++) {
            if (strcmp(missing[k], name) == 0) {
                fprintf(stderr, "error: the official CLI's command '%s' is not implemented here\n",
                        name);
                return CLI_FAIL;
            }
        }
        return usage_error(NULL, "unrecognized subcommand '%s'", name);
    }
    a->cmd = c->name;
    *fn = c->fn;
    return parse_command(c, argc - i, argv + i, a);
}
