/* cli_translate.c: `cedar translate-policy`: Cedar text <-> the official
 * JSON policy format; `cedar translate-schema`: the Cedar schema syntax <->
 * the JSON schema format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_translate_policy(const cli_args *a)
{
    static const char *const dirs[] = {"cedar-to-json", "json-to-cedar", NULL};
    int dir = cli_choice(a, O_DIRECTION, dirs, -1);
    if (dir < 0) return CLI_USAGE;
    cli_args b = *a;
    b.val[O_POLICY_FORMAT] = dir == 0 ? "cedar" : "json";
    cedar_policy_set *ps = cli_load_policies(&b);
    if (!ps) return CLI_FAIL;
    cedar_error err = CEDAR_ERROR_INIT;
    int rc = CLI_FAIL;
    if (dir == 0) {
        char *json = cedar_policy_set_to_json(ps, &err);
        if (json) {
            puts(json);
            free(json);
            rc = CLI_OK;
        } else {
            cli_fail("failed to translate the policy set to JSON", &err);
        }
    } else {
        rc = CLI_OK;
        for (size_t i = 0; i < cedar_policy_set_count(ps); i++) {
            if (cedar_policy_set_is_link(ps, i)) {
                cli_failf("Unable to translate policy set containing template linked policies.");
                rc = CLI_FAIL;
                break;
            }
        }
        for (size_t i = 0; rc == CLI_OK && i < cedar_policy_set_count(ps); i++) {
            char *t = cedar_policy_set_policy_text(ps, i);
            size_t n = strlen(t);
            printf("%s%s%s", i ? "\n" : "", t, n && t[n - 1] == '\n' ? "" : "\n");
            free(t);
        }
    }
    cedar_policy_set_free(ps);
    return rc;
}

/* As the official CLI: the schema from -s/--schema or standard input, read
 * as a fragment (not resolved), printed with a newline after it. */
int cli_translate_schema(const cli_args *a)
{
    static const char *const dirs[] = {"cedar-to-json", "json-to-cedar", NULL};
    int dir = cli_choice(a, O_DIRECTION, dirs, -1);
    if (dir < 0) return CLI_USAGE;
    size_t len;
    char *text = cli_read(a->val[O_SCHEMA], "schema", &len);
    if (!text) return CLI_FAIL;
    cedar_error err = CEDAR_ERROR_INIT;
    char *out = cedar_schema_translate(text, len, dir == 0 ? CEDAR_SCHEMA_TEXT : CEDAR_SCHEMA_JSON,
                                       dir == 0 ? CEDAR_SCHEMA_JSON : CEDAR_SCHEMA_TEXT,
                                       cli_name(a->val[O_SCHEMA]), &err);
    free(text);
    if (!out) {
        cli_fail(dir == 0 ? "failed to translate the schema to JSON"
                          : "failed to translate the schema to the Cedar schema syntax",
                 &err);
        return CLI_FAIL;
    }
    puts(out);
    free(out);
    return CLI_OK;
}
