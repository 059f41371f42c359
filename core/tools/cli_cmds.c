/* cli_cmds.c: the `cedar` commands authorize, evaluate, check-parse,
 * validate, link and language-version, with the official CLI's output and
 * exit codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int cli_authorize(const cli_args *a)
{
    int rc = CLI_FAIL;
    bool schema_failed;
    cedar_response *resp = NULL;
    cedar_entities *es = NULL;
    cedar_request *rq = NULL;
    /* as the official CLI: every input is read and each failure reported */
    cedar_policy_set *ps = cli_load_policies(a);
    cedar_schema *schema = cli_load_schema(a, &schema_failed);
    if (!schema_failed) es = cli_load_entities(a->val[O_ENTITIES], schema);
    if (!schema_failed) rq = cli_load_request(a, schema);
    if (!ps || schema_failed || !es || !rq) goto done;
    resp = cedar_response_new();
    cedar_error err = CEDAR_ERROR_INIT;
    double t0 = now_us();
    if (cedar_authorize(ps, es, rq, resp, &err) != 0) {
        cli_fail("authorization failed", &err);
        goto done;
    }
    double t1 = now_us();
    putchar('\n');
    if (a->val[O_TIMING]) printf("Authorization Time (micro seconds) : %.0f\n", t1 - t0);
    bool allow = cedar_response_decision(resp) == CEDAR_ALLOW;
    puts(allow ? "ALLOW" : "DENY");
    size_t ne = cedar_response_error_count(resp);
    if (ne) putchar('\n');
    for (size_t i = 0; i < ne; i++)
        printf("error while evaluating policy `%s`: %s\n", cedar_response_error_policy(resp, i),
               cedar_response_error_message(resp, i));
    if (a->val[O_VERBOSE]) {
        putchar('\n');
        size_t nr = cedar_response_reason_count(resp);
        if (nr == 0) {
            puts("note: no policies applied to this request");
        } else {
            puts("note: this decision was due to the following policies:");
            for (size_t i = 0; i < nr; i++)
                printf("  %s\n", cedar_response_reason(resp, i));
            putchar('\n');
        }
    }
    rc = allow ? CLI_OK : CLI_DENY;
done:
    cedar_response_free(resp);
    cedar_request_free(rq);
    cedar_entities_free(es);
    cedar_policy_set_free(ps);
    cedar_schema_free(schema);
    return rc;
}

static bool has_request(const cli_args *a)
{
    return a->val[O_REQUEST_JSON] || a->val[O_PRINCIPAL] || a->val[O_ACTION] ||
           a->val[O_RESOURCE] || a->val[O_CONTEXT];
}

int cli_evaluate(const cli_args *a)
{
    int rc = CLI_FAIL;
    bool schema_failed;
    cedar_schema *schema = cli_load_schema(a, &schema_failed);
    cedar_entities *es = NULL;
    cedar_request *rq = NULL;
    if (schema_failed) goto done;
    if (has_request(a) && !(rq = cli_load_request(a, schema))) goto done;
    if (a->val[O_ENTITIES] && !(es = cli_load_entities(a->val[O_ENTITIES], schema))) goto done;
    cedar_error err = CEDAR_ERROR_INIT;
    const char *x = a->positional;
    char *v = cedar_evaluate(x, strlen(x), es, rq, &err);
    if (!v) {
        /* the expression is its own document: show it under a caret */
        cli_source_add(err.file ? err.file : "<expression>", x, strlen(x));
        cli_fail(err.line ? "failed to parse the expression" : "failed to evaluate the expression",
                 &err);
        goto done;
    }
    printf("\n%s\n", v);
    free(v);
    rc = CLI_OK;
done:
    cedar_request_free(rq);
    cedar_entities_free(es);
    cedar_schema_free(schema);
    return rc;
}

int cli_check_parse(const cli_args *a)
{
    int rc = CLI_OK;
    /* with nothing to check, the official CLI checks policies on stdin */
    bool none =
        !a->val[O_POLICIES] && !a->val[O_SCHEMA] && !a->val[O_ENTITIES] && !a->val[O_EXPRESSION];
    if (a->val[O_POLICIES] || none) {
        cedar_policy_set *ps = cli_load_policies(a);
        if (!ps) rc = CLI_FAIL;
        cedar_policy_set_free(ps);
    }
    if (a->val[O_EXPRESSION]) {
        cedar_error err = CEDAR_ERROR_INIT;
        const char *x = a->val[O_EXPRESSION];
        if (cedar_expression_check(x, strlen(x), &err) != 0) {
            cli_source_add(err.file ? err.file : "<expression>", x, strlen(x));
            cli_fail("failed to parse the expression", &err);
            rc = CLI_FAIL;
        }
    }
    bool schema_failed;
    cedar_schema *schema = cli_load_schema(a, &schema_failed);
    if (schema_failed) rc = CLI_FAIL;
    if (a->val[O_ENTITIES]) {
        cedar_entities *es = cli_load_entities(a->val[O_ENTITIES], schema);
        if (!es) rc = CLI_FAIL;
        cedar_entities_free(es);
    }
    cedar_schema_free(schema);
    return rc;
}

static void validation_json(const cedar_validation *v, bool ok, size_t warnings, bool permissive)
{
    (void)warnings;
    json_t *o = json_object();
    json_object_set_new(
        o, "message",
        json_string(ok ? "policy set validation passed" : "policy set validation failed"));
    json_object_set_new(o, "severity", json_string(ok ? "advice" : "error"));
    json_object_set_new(o, "mode", json_string(permissive ? "permissive" : "strict"));
    json_t *rel = json_array();
    for (size_t i = 0; i < cedar_validation_error_count(v); i++) {
        json_t *e = json_object();
        size_t p = cedar_validation_error_policy(v, i);
        json_object_set_new(e, "message", json_string(cedar_validation_error_message(v, i)));
        json_object_set_new(e, "severity", json_string("error"));
        json_object_set_new(e, "policy", json_string(cedar_validation_policy_id(v, p)));
        json_object_set_new(e, "kind", json_string(cedar_validation_error_kind(v, i)));
        const char *help = cedar_validation_error_help(v, i);
        if (help) json_object_set_new(e, "help", json_string(help));
        json_object_set_new(e, "line", json_integer(cedar_validation_error_line(v, i)));
        json_object_set_new(e, "column", json_integer(cedar_validation_error_column(v, i)));
        json_array_append_new(rel, e);
    }
    for (size_t i = 0; i < cedar_validation_policy_count(v); i++) {
        if (!cedar_validation_policy_impossible(v, i)) continue;
        json_t *e = json_object();
        json_object_set_new(e, "message",
                            json_string("policy is impossible: the policy "
                                        "expression evaluates to false for all "
                                        "valid requests"));
        json_object_set_new(e, "severity", json_string("warning"));
        json_object_set_new(e, "policy", json_string(cedar_validation_policy_id(v, i)));
        json_array_append_new(rel, e);
    }
    json_object_set_new(o, "related", rel);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) puts(s);
    free(s);
    json_decref(o);
}

/* Each error and warning as a diagnostic (with the policy's line and a caret
 * in `human`), then the verdict; exit 3 when some policy is invalid. */
int cli_validate(const cli_args *a)
{
    static const char *const modes[] = {"strict", "permissive", "partial", NULL};
    const char *mv = a->val[O_MODE] ? a->val[O_MODE] : a->val[O_VALIDATION_MODE];
    cli_args m = *a;
    m.val[O_VALIDATION_MODE] = mv;
    int mode = cli_choice(&m, O_VALIDATION_MODE, modes, 0);
    if (mode < 0) return CLI_USAGE;
    if (mode == 2) {
        cli_failf("arguments include the experimental option `--validation-mode partial`, which "
                  "this implementation does not have");
        return CLI_FAIL;
    }
    if (a->val[O_LEVEL]) {
        cli_failf("`--level` (level-based validation) is not implemented here");
        return CLI_FAIL;
    }
    cedar_policy_set *ps = cli_load_policies(a);
    if (!ps) return CLI_FAIL;
    bool schema_failed;
    cedar_schema *schema = cli_load_schema(a, &schema_failed);
    if (!schema) {
        cedar_policy_set_free(ps);
        return CLI_FAIL;
    }
    bool permissive = mode == 1;
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_validation *v = cedar_validate(
        schema, ps, permissive ? CEDAR_VALIDATION_PERMISSIVE : CEDAR_VALIDATION_STRICT, &err);
    int rc = CLI_FAIL;
    if (!v) {
        cli_fail("validation failed", &err);
        goto done;
    }
    const char *file = cli_name(a->val[O_POLICIES]);
    size_t warnings = 0;
    for (size_t i = 0; i < cedar_validation_policy_count(v); i++)
        warnings += cedar_validation_policy_impossible(v, i);
    bool ok = cedar_validation_passed(v) && !(a->val[O_DENY_WARNINGS] && warnings);
    if (cli_get_errfmt() == CLI_ERR_JSON) {
        validation_json(v, ok, warnings, permissive);
    } else {
        for (size_t i = 0; i < cedar_validation_error_count(v); i++) {
            size_t p = cedar_validation_error_policy(v, i);
            char msg[4096];
            snprintf(msg, sizeof msg, "policy `%s`: %s", cedar_validation_policy_id(v, p),
                     cedar_validation_error_message(v, i));
            cli_diag d = {.message = msg,
                          .file = file,
                          .line = cedar_validation_error_line(v, i),
                          .column = cedar_validation_error_column(v, i),
                          .help = cedar_validation_error_help(v, i)};
            cli_report(stdout, &d);
        }
        for (size_t i = 0; i < cedar_validation_policy_count(v); i++) {
            if (!cedar_validation_policy_impossible(v, i)) continue;
            char msg[1024];
            snprintf(msg, sizeof msg,
                     "policy `%s`: policy is impossible: the policy expression evaluates to "
                     "false for all valid requests",
                     cedar_validation_policy_id(v, i));
            cli_diag d = {.warning = true, .message = msg, .file = file};
            cli_report(stdout, &d);
        }
        printf("policy set validation %s (%s mode)\n", ok ? "passed" : "failed",
               permissive ? "permissive" : "strict");
    }
    rc = ok ? CLI_OK : CLI_INVALID;
done:
    cedar_validation_free(v);
    cedar_policy_set_free(ps);
    cedar_schema_free(schema);
    return rc;
}

int cli_language_version(const cli_args *a)
{
    (void)a;
    printf("Cedar language version: %s\n", CEDAR_LANG_VERSION);
    return CLI_OK;
}
