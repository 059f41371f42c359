/* cli_load.c: reading the `cedar` CLI's inputs (schema, policies, entities,
 * request) with the official CLI's defaults: policies from standard input
 * when --policies is absent, policy ids from `@id` annotations. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tool_io.h"

const char *cli_name(const char *path)
{
    return !path || strcmp(path, "-") == 0 ? "<stdin>" : path;
}

char *cli_read(const char *path, const char *what, size_t *len)
{
    bool in = !path || strcmp(path, "-") == 0;
    FILE *f = in ? stdin : fopen(path, "rb");
    if (!f) {
        cli_failf("failed to open %s file %s: %s", what, path, strerror(errno));
        return NULL;
    }
    if (!in) fclose(f);
    char *text = tool_read_file(in ? "-" : path, len);
    if (text) cli_source_add(cli_name(path), text, *len);
    return text;
}

cedar_schema *cli_load_schema(const cli_args *a, bool *failed)
{
    *failed = false;
    const char *path = a->val[O_SCHEMA];
    if (!path) return NULL;
    static const char *const formats[] = {"cedar", "json", NULL};
    /* the official default: the Cedar schema syntax */
    int f = cli_choice(a, O_SCHEMA_FORMAT, formats, 0);
    size_t len;
    char *text = f == -1 ? NULL : cli_read(path, "schema", &len);
    if (!text) {
        *failed = true;
        return NULL;
    }
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_schema *s = cedar_schema_parse(text, len, f == 1 ? CEDAR_SCHEMA_JSON : CEDAR_SCHEMA_TEXT,
                                         cli_name(path), &err);
    /* JSON read as the Cedar syntax: say how to read it */
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", text[i]))
        i++;
    bool looks_json = f == 0 && i < len && text[i] == '{';
    free(text);
    if (!s) {
        char ctx[1024];
        snprintf(ctx, sizeof ctx, "failed to parse schema from file %s%s", cli_name(path),
                 looks_json ? " (it looks like JSON: add --schema-format json)" : "");
        cli_fail(ctx, &err);
        *failed = true;
    }
    return s;
}

static cedar_policy_set *parse_policies(const cli_args *a)
{
    static const char *const formats[] = {"cedar", "json", NULL};
    int f = cli_choice(a, O_POLICY_FORMAT, formats, 0);
    if (f < 0) return NULL;
    const char *path = a->val[O_POLICIES];
    size_t len;
    char *text = cli_read(path, f == 1 ? "JSON policy" : "policy set", &len);
    if (!text) return NULL;
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_policy_set *ps = f == 1 ? cedar_policy_set_from_json(text, len, cli_name(path), &err)
                                  : cedar_policy_set_parse(text, len, cli_name(path), &err);
    free(text);
    if (!ps) {
        cli_fail(f == 1 ? "failed to parse JSON policy" : "failed to parse policy set", &err);
        return NULL;
    }
    if (f == 1) return ps; /* the official CLI names JSON policies by their keys only */
    if (cedar_policy_set_rename_by_annotation(ps, "id", &err) != 0) {
        cli_fail("failed to name policies by their @id annotations", &err);
        cedar_policy_set_free(ps);
        return NULL;
    }
    return ps;
}

cedar_policy_set *cli_load_policies(const cli_args *a)
{
    cedar_policy_set *ps = parse_policies(a);
    const char *links = a->val[O_LINKS];
    if (!ps || !links) return ps;
    size_t len;
    char *text = cli_read(links, "links", &len);
    cedar_error err = CEDAR_ERROR_INIT;
    /* an empty file is no links, as in the official CLI */
    if (!text || (len && cedar_policy_set_link_json(ps, text, len, links, &err) != 0)) {
        if (text) cli_fail("failed to add template links", &err);
        free(text);
        cedar_policy_set_free(ps);
        return NULL;
    }
    free(text);
    return ps;
}

cedar_entities *cli_load_entities(const char *path, const cedar_schema *schema)
{
    size_t len;
    char *text = cli_read(path, "entities", &len);
    if (!text) return NULL;
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_entities *es = cedar_entities_parse(text, len, schema, cli_name(path), &err);
    free(text);
    if (!es) {
        char ctx[1024];
        snprintf(ctx, sizeof ctx, "failed to parse entities from file %s", cli_name(path));
        cli_fail(ctx, &err);
    }
    return es;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!v) return true;
    if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
        *out = v[0] == 't';
        return true;
    }
    fprintf(stderr,
            "error: invalid value '%s' for '--request-validation <BOOL>'\n  [possible values: "
            "true, false]\n",
            v);
    return false;
}

cedar_request *cli_load_request(const cli_args *a, const cedar_schema *schema)
{
    bool validate = true;
    if (!parse_bool(a->val[O_REQUEST_VALIDATION], &validate)) return NULL;
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_request *rq = NULL;
    size_t len;
    const char *rj = a->val[O_REQUEST_JSON];
    if (rj) {
        char *text = cli_read(rj, "request-json", &len);
        if (!text) return NULL;
        rq = cedar_request_parse_json(text, len, schema, validate, cli_name(rj), &err);
        free(text);
        if (!rq) cli_fail("failed to parse request", &err);
        return rq;
    }
    const char *p = a->val[O_PRINCIPAL], *ac = a->val[O_ACTION], *r = a->val[O_RESOURCE];
    const char *cf = a->val[O_CONTEXT];
    char *ctx = NULL;
    if (cf && !(ctx = cli_read(cf, "context", &len))) return NULL;
    if (!p || !ac || !r) {
        free(ctx);
        cli_failf("All three (`principal`, `action`, `resource`) variables must be specified");
        return NULL;
    }
    rq = cedar_request_new(p, ac, r, ctx, schema, validate, &err);
    free(ctx);
    if (!rq) {
        if (cf && err.file && strcmp(err.file, "context") == 0) {
            free(err.file); /* the context came from this file: say so */
            err.file = strdup(cli_name(cf));
        }
        char what[1024] = "failed to parse request";
        if (cf && !err.file && err.message &&
            (strncmp(err.message, "context", 7) == 0 ||
             strncmp(err.message, "the context", 11) == 0))
            snprintf(what, sizeof what, "failed to create a context from %s", cli_name(cf));
        cli_fail(what, &err);
    }
    return rq;
}
