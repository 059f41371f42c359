/* cli_link.c: `cedar link`: link a template and, with --template-linked,
 * append the link to that file (created when missing), as the official CLI. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* --arguments: a JSON object naming ?principal and/or ?resource. */
static json_t *parse_arguments(const char *text, const char **pv, const char **rv)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
    if (!j || !json_is_object(j)) {
        fprintf(stderr,
                "error: invalid value '%s' for '--arguments <JSON>': %s\n\nFor more "
                "information, try '--help'.\n",
                text, j ? "expected a JSON object" : je.text);
        json_decref(j);
        return NULL;
    }
    *pv = *rv = NULL;
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v)
    {
        const char **slot = strcmp(k, "?principal") == 0  ? pv
                            : strcmp(k, "?resource") == 0 ? rv
                                                          : NULL;
        if (!slot || !json_is_string(v)) {
            fprintf(stderr,
                    "error: invalid value '%s' for '--arguments <JSON>': %s\n\nFor more "
                    "information, try '--help'.\n",
                    text,
                    slot ? "slot values must be strings"
                         : "Invalid SlotId! Expected ?principal|?resource");
            json_decref(j);
            return NULL;
        }
        *slot = json_string_value(v);
    }
    return j;
}

/* Append {template_id, link_id, args} to the links file (an empty or missing
 * file is no links). */
static int append_link(const char *path, const cli_args *a, json_t *args)
{
    json_t *links = NULL;
    if (access(path, F_OK) == 0) {
        size_t len;
        char *text = cli_read(path, "links", &len);
        if (!text) return CLI_FAIL;
        json_error_t je;
        links = len ? json_loadb(text, len, 0, &je) : json_array();
        free(text);
        if (!json_is_array(links)) {
            cli_failf("failed to read links file %s: not a JSON array", path);
            json_decref(links);
            return CLI_FAIL;
        }
    } else {
        links = json_array();
    }
    json_t *l = json_object();
    json_object_set_new(l, "template_id", json_string(a->val[O_TEMPLATE_ID]));
    json_object_set_new(l, "link_id", json_string(a->val[O_NEW_ID]));
    json_object_set(l, "args", args);
    json_array_append_new(links, l);
    int rc = json_dump_file(links, path, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(links);
    if (rc != 0) {
        cli_failf("failed while writing to template link file %s: %s", path, strerror(errno));
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cli_link(const cli_args *a)
{
    const char *pv, *rv;
    json_t *args = parse_arguments(a->val[O_ARGUMENTS], &pv, &rv);
    if (!args) return CLI_USAGE;
    /* the links file may not exist yet: it is made by this command */
    cli_args b = *a;
    const char *links = a->val[O_LINKS];
    if (links && access(links, F_OK) != 0) b.val[O_LINKS] = NULL;
    cedar_policy_set *ps = cli_load_policies(&b);
    int rc = CLI_FAIL;
    if (!ps) goto done;
    cedar_error err = CEDAR_ERROR_INIT;
    if (cedar_policy_set_link(ps, a->val[O_TEMPLATE_ID], a->val[O_NEW_ID], pv, rv, &err) != 0) {
        cli_fail("unable to link template", &err);
        goto done;
    }
    size_t n = cedar_policy_set_count(ps);
    char *text = cedar_policy_set_policy_text(ps, n - 1);
    printf("Template-linked policy added: %s\n", text ? text : "");
    free(text);
    rc = links ? append_link(links, a, args) : CLI_OK;
done:
    cedar_policy_set_free(ps);
    json_decref(args);
    return rc;
}
