/* cedar-batch: format or translate many policy files in one process, for the
 * oracle scripts (scripts/oracle/format.mjs, policy_json.mjs), where a
 * process per file is slow on a loaded machine.
 *
 *   cedar-batch format WIDTH INDENT OUTDIR FILE...
 *   cedar-batch json OUTDIR FILE...
 *
 * For the i-th FILE (0-based) writes OUTDIR/<i>.out, or OUTDIR/<i>.err with
 * the error message: `format` the formatted text; `json` the policy set's
 * policy JSON (ids from @id, as `cedar translate-policy`), and OUTDIR/<i>.back
 * with the error when that JSON does not read back to the same JSON. Exit
 * status 0 unless a file cannot be read or written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cedar/cedar.h"
#include "tool_io.h"

static bool write_text(const char *dir, int i, const char *ext, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%d.%s", dir, i, ext);
    FILE *f = fopen(path, "wb");
    size_t n = strlen(text);
    bool ok = f && fwrite(text, 1, n, f) == n;
    if (f && fclose(f) != 0) ok = false;
    if (!ok) fprintf(stderr, "cedar-batch: cannot write %s\n", path);
    return ok;
}

/* The policy JSON of the text; NULL with err set. When it does not read
 * back to the same JSON, *back is the error (heap-owned). */
static char *to_json(const char *text, size_t len, const char *file, cedar_error *err,
                     char **back_err)
{
    cedar_policy_set *ps = cedar_policy_set_parse(text, len, file, err);
    if (!ps || cedar_policy_set_rename_by_annotation(ps, "id", err) != 0) {
        cedar_policy_set_free(ps);
        return NULL;
    }
    char *json = cedar_policy_set_to_json(ps, err);
    cedar_policy_set_free(ps);
    if (!json) return NULL;
    cedar_error e2 = CEDAR_ERROR_INIT;
    cedar_policy_set *back = cedar_policy_set_from_json(json, strlen(json), "json", &e2);
    char *again = back ? cedar_policy_set_to_json(back, &e2) : NULL;
    cedar_policy_set_free(back);
    if (!again || strcmp(json, again) != 0)
        *back_err = strdup(e2.message ? e2.message : "our policy JSON reads back differently");
    cedar_error_clear(&e2);
    free(again);
    return json;
}

int main(int argc, char **argv)
{
    bool format = argc >= 5 && strcmp(argv[1], "format") == 0;
    bool json = argc >= 3 && strcmp(argv[1], "json") == 0;
    if (!format && !json) {
        fputs("usage: cedar-batch format WIDTH INDENT OUTDIR FILE...\n"
              "       cedar-batch json OUTDIR FILE...\n",
              stderr);
        return 2;
    }
    unsigned width = format ? (unsigned)strtoul(argv[2], NULL, 10) : 0;
    int indent = format ? (int)strtol(argv[3], NULL, 10) : 0;
    const char *dir = argv[format ? 4 : 2];
    int first = format ? 5 : 3, rc = 0;
    for (int i = first; i < argc; i++) {
        size_t len;
        char *text = tool_read_file(argv[i], &len);
        if (!text) {
            rc = 1;
            continue;
        }
        cedar_error err = CEDAR_ERROR_INIT;
        char *back = NULL;
        char *out = format ? cedar_format_policies(text, len, argv[i], width, indent, &err)
                           : to_json(text, len, argv[i], &err, &back);
        if (back && !write_text(dir, i - first, "back", back)) rc = 1;
        free(back);
        bool ok = out ? write_text(dir, i - first, "out", out)
                      : write_text(dir, i - first, "err", err.message ? err.message : "error");
        if (!ok) rc = 1;
        free(out);
        free(text);
        cedar_error_clear(&err);
    }
    return rc;
}
