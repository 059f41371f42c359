/* cedar: the command-line interface of libcedar. Subcommands, flags and exit
 * codes follow the official Cedar CLI:
 *   cedar authorize --policies F --entities F [--schema F] [--schema-format cedar|json]
 *                   [--template-linked F] (--request-json F | --principal P --action A
 *                   --resource R [--context F]) [--request-validation true|false] [-v]
 *   cedar evaluate  [--entities F] [--schema F] [request args] EXPRESSION
 *   cedar check-parse [--policies F] [--schema F] [--entities F] [--expression E]
 *   cedar validate  --schema F --policies F [--mode strict|permissive] [--schema-format cedar|json]
 *                   [--template-linked F] [--deny-warnings]
 * Exit codes: 0 success (ALLOW, valid), 1 failure, 2 DENY, 3 validation failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cedar/cedar.h"
#include "tool_io.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_DENY = 2, EXIT_INVALID = 3 };

typedef struct opts {
    const char *policies, *entities, *schema, *schema_format, *links;
    const char *principal, *action, *resource, *context, *request_json, *expression;
    const char *mode; /* validate: strict or permissive */
    bool request_validation, verbose, deny_warnings;
    const char *positional;
} opts;

enum {
    OPT_ENTITIES = 256,
    OPT_SCHEMA_FORMAT,
    OPT_REQUEST_JSON,
    OPT_REQUEST_VALIDATION,
    OPT_EXPRESSION,
    OPT_MODE,
    OPT_DENY_WARNINGS,
};

static const struct option long_opts[] = {
    {"policies", required_argument, NULL, 'p'},
    {"entities", required_argument, NULL, OPT_ENTITIES},
    {"schema", required_argument, NULL, 's'},
    {"schema-format", required_argument, NULL, OPT_SCHEMA_FORMAT},
    {"template-linked", required_argument, NULL, 'k'},
    {"principal", required_argument, NULL, 'l'},
    {"action", required_argument, NULL, 'a'},
    {"resource", required_argument, NULL, 'r'},
    {"context", required_argument, NULL, 'c'},
    {"request-json", required_argument, NULL, OPT_REQUEST_JSON},
    {"request-validation", required_argument, NULL, OPT_REQUEST_VALIDATION},
    {"expression", required_argument, NULL, OPT_EXPRESSION},
    {"mode", required_argument, NULL, OPT_MODE},
    {"validation-mode", required_argument, NULL, OPT_MODE},
    {"deny-warnings", no_argument, NULL, OPT_DENY_WARNINGS},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
    fputs("usage: cedar <command> [options]\n"
          "\n"
          "commands:\n"
          "  authorize    decide a request: prints ALLOW (exit 0) or DENY (exit 2)\n"
          "  evaluate     evaluate an expression and print its value\n"
          "  check-parse  check that policies, a schema or entities parse\n"
          "  validate     validate policies against a schema: exit 0 when valid, 3 when not\n"
          "\n"
          "options:\n"
          "  -p, --policies FILE          Cedar policies\n"
          "      --entities FILE          entities JSON\n"
          "  -s, --schema FILE            schema (.cedarschema or JSON)\n"
          "      --schema-format FMT      cedar or json (default: by content)\n"
          "  -k, --template-linked FILE   template links JSON\n"
          "  -l, --principal UID          e.g. 'User::\"alice\"'\n"
          "  -a, --action UID             e.g. 'Action::\"view\"'\n"
          "  -r, --resource UID           e.g. 'Photo::\"a.jpg\"'\n"
          "  -c, --context FILE           context JSON object\n"
          "      --request-json FILE      {\"principal\",\"action\",\"resource\",\"context\"}\n"
          "      --request-validation B   validate the request against the schema (default true)\n"
          "      --expression EXPR        (check-parse) an expression to parse\n"
          "      --mode MODE              (validate) strict (default) or permissive\n"
          "      --deny-warnings          (validate) fail on warnings too\n"
          "  -v, --verbose                (authorize) list the determining policies\n",
          out);
}

static int parse_opts(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->request_validation = true;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "p:s:k:l:a:r:c:vh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'p': o->policies = optarg; break;
        case OPT_ENTITIES: o->entities = optarg; break;
        case 's': o->schema = optarg; break;
        case OPT_SCHEMA_FORMAT: o->schema_format = optarg; break;
        case 'k': o->links = optarg; break;
        case 'l': o->principal = optarg; break;
        case 'a': o->action = optarg; break;
        case 'r': o->resource = optarg; break;
        case 'c': o->context = optarg; break;
        case OPT_REQUEST_JSON: o->request_json = optarg; break;
        case OPT_EXPRESSION: o->expression = optarg; break;
        case OPT_MODE: o->mode = optarg; break;
        case OPT_DENY_WARNINGS: o->deny_warnings = true; break;
        case OPT_REQUEST_VALIDATION:
            if (strcmp(optarg, "true") == 0) {
                o->request_validation = true;
            } else if (strcmp(optarg, "false") == 0) {
                o->request_validation = false;
            } else {
                fprintf(stderr, "error: --request-validation takes true or false\n");
                return -1;
            }
            break;
        case 'v': o->verbose = true; break;
        case 'h': usage(stdout); exit(EXIT_OK);
        default: usage(stderr); return -1;
        }
    }
    if (optind < argc) o->positional = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "error: unexpected argument `%s`\n", argv[optind]);
        return -1;
    }
    if (o->mode && strcmp(o->mode, "strict") != 0 && strcmp(o->mode, "permissive") != 0) {
        fprintf(stderr, "error: --mode takes strict or permissive\n");
        return -1;
    }
    if (o->schema_format && strcmp(o->schema_format, "cedar") != 0 &&
        strcmp(o->schema_format, "json") != 0) {
        fprintf(stderr, "error: --schema-format takes cedar or json\n");
        return -1;
    }
    return 0;
}

static cedar_schema *load_schema(const opts *o, bool *failed)
{
    *failed = false;
    if (!o->schema) return NULL;
    size_t len;
    char *text = tool_read_file(o->schema, &len);
    if (!text) {
        *failed = true;
        return NULL;
    }
    cedar_schema_format fmt = !o->schema_format                       ? CEDAR_SCHEMA_AUTO
                              : strcmp(o->schema_format, "json") == 0 ? CEDAR_SCHEMA_JSON
                                                                      : CEDAR_SCHEMA_TEXT;
    cedar_error err = {0};
    cedar_schema *s = cedar_schema_parse(text, len, fmt, o->schema, &err);
    free(text);
    if (!s) {
        tool_print_error("failed to parse schema", &err);
        *failed = true;
    }
    return s;
}

static cedar_policy_set *load_policies(const opts *o)
{
    size_t len;
    char *text = tool_read_file(o->policies, &len);
    if (!text) return NULL;
    cedar_error err = {0};
    cedar_policy_set *ps = cedar_policy_set_parse(text, len, o->policies, &err);
    free(text);
    if (!ps) {
        tool_print_error("failed to parse policies", &err);
        return NULL;
    }
    if (o->links) {
        text = tool_read_file(o->links, &len);
        if (!text || cedar_policy_set_link_json(ps, text, len, o->links, &err) != 0) {
            if (text) tool_print_error("failed to link templates", &err);
            free(text);
            cedar_policy_set_free(ps);
            return NULL;
        }
        free(text);
    }
    return ps;
}

static cedar_entities *load_entities(const char *path, const cedar_schema *schema)
{
    size_t len;
    char *text = tool_read_file(path, &len);
    if (!text) return NULL;
    cedar_error err = {0};
    cedar_entities *es = cedar_entities_parse(text, len, schema, path, &err);
    free(text);
    if (!es) tool_print_error("failed to load entities", &err);
    return es;
}

static cedar_request *load_request(const opts *o, const cedar_schema *schema)
{
    cedar_error err = {0};
    cedar_request *rq = NULL;
    size_t len;
    if (o->request_json) {
        if (o->principal || o->action || o->resource || o->context) {
            fprintf(stderr, "error: --request-json replaces --principal, --action, --resource "
                            "and --context\n");
            return NULL;
        }
        char *text = tool_read_file(o->request_json, &len);
        if (!text) return NULL;
        rq = cedar_request_parse_json(text, len, schema, o->request_validation, o->request_json,
                                      &err);
        free(text);
    } else {
        if (!o->principal || !o->action || !o->resource) {
            fprintf(stderr, "error: all three (`principal`, `action`, `resource`) variables must "
                            "be specified\n");
            return NULL;
        }
        char *ctx = NULL;
        if (o->context && !(ctx = tool_read_file(o->context, &len))) return NULL;
        rq = cedar_request_new(o->principal, o->action, o->resource, ctx, schema,
                               o->request_validation, &err);
        free(ctx);
        if (!rq && o->context && err.file && strcmp(err.file, "context") == 0) {
            free(err.file); /* the context came from this file: say so */
            err.file = strdup(o->context);
        }
    }
    if (!rq) tool_print_error("failed to build the request", &err);
    return rq;
}

static int cmd_authorize(const opts *o)
{
    if (!o->policies || !o->entities) {
        fprintf(stderr, "error: authorize needs --policies and --entities\n");
        return EXIT_FAIL;
    }
    int rc = EXIT_FAIL;
    bool schema_failed;
    cedar_schema *schema = load_schema(o, &schema_failed);
    cedar_policy_set *ps = NULL;
    cedar_entities *es = NULL;
    cedar_request *rq = NULL;
    cedar_response *resp = NULL;
    if (schema_failed || !(ps = load_policies(o)) || !(es = load_entities(o->entities, schema)) ||
        !(rq = load_request(o, schema)))
        goto done;
    resp = cedar_response_new();
    cedar_error err = {0};
    if (cedar_authorize(ps, es, rq, resp, &err) != 0) {
        tool_print_error("authorization failed", &err);
        goto done;
    }
    bool allow = cedar_response_decision(resp) == CEDAR_ALLOW;
    puts(allow ? "ALLOW" : "DENY");
    size_t ne = cedar_response_error_count(resp);
    if (ne) putchar('\n');
    for (size_t i = 0; i < ne; i++)
        printf("error while evaluating policy `%s`: %s\n", cedar_response_error_policy(resp, i),
               cedar_response_error_message(resp, i));
    if (o->verbose) {
        putchar('\n');
        size_t nr = cedar_response_reason_count(resp);
        if (nr == 0) {
            puts("note: no policies applied to this request");
        } else {
            puts("note: this decision was due to the following policies:");
            for (size_t i = 0; i < nr; i++)
                printf("  %s\n", cedar_response_reason(resp, i));
        }
    }
    rc = allow ? EXIT_OK : EXIT_DENY;
done:
    cedar_response_free(resp);
    cedar_request_free(rq);
    cedar_entities_free(es);
    cedar_policy_set_free(ps);
    cedar_schema_free(schema);
    return rc;
}

static int cmd_evaluate(const opts *o)
{
    if (!o->positional) {
        fprintf(stderr, "error: evaluate needs an EXPRESSION argument\n");
        return EXIT_FAIL;
    }
    int rc = EXIT_FAIL;
    bool schema_failed;
    cedar_schema *schema = load_schema(o, &schema_failed);
    cedar_entities *es = NULL;
    cedar_request *rq = NULL;
    if (schema_failed) goto done;
    if (o->entities && !(es = load_entities(o->entities, schema))) goto done;
    if ((o->request_json || o->principal || o->action || o->resource) &&
        !(rq = load_request(o, schema)))
        goto done;
    cedar_error err = {0};
    char *v = cedar_evaluate(o->positional, strlen(o->positional), es, rq, &err);
    if (!v) {
        tool_print_error(NULL, &err);
        goto done;
    }
    puts(v);
    free(v);
    rc = EXIT_OK;
done:
    cedar_request_free(rq);
    cedar_entities_free(es);
    cedar_schema_free(schema);
    return rc;
}

static int cmd_check_parse(const opts *o)
{
    int rc = EXIT_OK;
    bool schema_failed;
    cedar_schema *schema = load_schema(o, &schema_failed);
    if (schema_failed) rc = EXIT_FAIL;
    if (o->policies) {
        cedar_policy_set *ps = load_policies(o);
        if (!ps) rc = EXIT_FAIL;
        cedar_policy_set_free(ps);
    }
    if (o->entities && !schema_failed) {
        cedar_entities *es = load_entities(o->entities, schema);
        if (!es) rc = EXIT_FAIL;
        cedar_entities_free(es);
    }
    if (o->expression) {
        cedar_error err = {0};
        if (cedar_expression_check(o->expression, strlen(o->expression), &err) != 0) {
            tool_print_error("failed to parse expression", &err);
            rc = EXIT_FAIL;
        }
    }
    if (!o->policies && !o->schema && !o->entities && !o->expression) {
        fprintf(stderr, "error: check-parse needs --policies, --schema, --entities or "
                        "--expression\n");
        rc = EXIT_FAIL;
    }
    cedar_schema_free(schema);
    return rc;
}

/* Print each error as `file:line:column: error: policy `id`: message` (and
 * its hint), each warning likewise; exit 3 when some policy is invalid. */
static int cmd_validate(const opts *o)
{
    if (!o->policies || !o->schema) {
        fprintf(stderr, "error: validate needs --schema and --policies\n");
        return EXIT_FAIL;
    }
    bool schema_failed;
    cedar_schema *schema = load_schema(o, &schema_failed);
    cedar_policy_set *ps = schema ? load_policies(o) : NULL;
    if (!schema || !ps) {
        cedar_schema_free(schema);
        return EXIT_FAIL;
    }
    bool permissive = o->mode && strcmp(o->mode, "permissive") == 0;
    cedar_error err = {0};
    cedar_validation *v = cedar_validate(
        schema, ps, permissive ? CEDAR_VALIDATION_PERMISSIVE : CEDAR_VALIDATION_STRICT, &err);
    int rc = EXIT_FAIL;
    if (!v) {
        tool_print_error("validation failed", &err);
        goto done;
    }
    for (size_t i = 0; i < cedar_validation_error_count(v); i++) {
        size_t p = cedar_validation_error_policy(v, i);
        unsigned line = cedar_validation_error_line(v, i),
                 col = cedar_validation_error_column(v, i);
        if (line)
            printf("%s:%u:%u: ", o->policies, line, col);
        else
            printf("%s: ", o->policies);
        printf("error: policy `%s`: %s\n", cedar_validation_policy_id(v, p),
               cedar_validation_error_message(v, i));
        const char *help = cedar_validation_error_help(v, i);
        if (help) printf("  help: %s\n", help);
    }
    size_t warnings = 0;
    for (size_t i = 0; i < cedar_validation_policy_count(v); i++) {
        if (!cedar_validation_policy_impossible(v, i)) continue;
        warnings++;
        printf("%s: warning: policy `%s`: policy is impossible: the policy expression evaluates "
               "to false for all valid requests\n",
               o->policies, cedar_validation_policy_id(v, i));
    }
    bool ok = cedar_validation_passed(v) && !(o->deny_warnings && warnings);
    printf("policy set validation %s (%s mode)\n", ok ? "passed" : "failed",
           permissive ? "permissive" : "strict");
    rc = ok ? EXIT_OK : EXIT_INVALID;
done:
    cedar_validation_free(v);
    cedar_policy_set_free(ps);
    cedar_schema_free(schema);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_FAIL;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    opts o;
    if (parse_opts(argc - 1, argv + 1, &o) != 0) return EXIT_FAIL;
    if (strcmp(cmd, "authorize") == 0) return cmd_authorize(&o);
    if (strcmp(cmd, "evaluate") == 0) return cmd_evaluate(&o);
    if (strcmp(cmd, "check-parse") == 0) return cmd_check_parse(&o);
    if (strcmp(cmd, "validate") == 0) return cmd_validate(&o);
    fprintf(stderr, "error: unknown command `%s`\n", cmd);
    usage(stderr);
    return EXIT_FAIL;
}
