/* cd_api_schema_print.c: schemas printed back in either format (cedar.h):
 * the source text is read again into the raw schema (cd_schema_int.h) and
 * printed by cd_schema_print_text.c or cd_schema_print_json.c. */
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"
#include "cd_schema_print.h"

static char *print(const char *text, size_t len, bool from_json, bool to_json, const char *file,
                   cedar_error *err)
{
    cd_rschema rs;
    cd_rschema_init(&rs, text, len, file);
    cd_err e = {0};
    cd_buf out;
    cd_buf_init(&out);
    bool ok = from_json ? cd_rschema_parse_json(&rs, &e) : cd_rschema_parse_text(&rs, &e);
    if (ok)
        ok = to_json ? cd_schema_print_json(&rs, !from_json, &out, &e)
                     : cd_schema_print_text(&rs, &out, &e);
    cd_rschema_free(&rs);
    if (!ok) {
        cd_buf_free(&out);
        cd_api_set_error(err, &e, file);
        return NULL;
    }
    char *r = strdup(cd_buf_cstr(&out));
    if (!r) abort();
    cd_buf_free(&out);
    return r;
}

char *cedar_schema_to_text(const cedar_schema *schema, cedar_error *err)
{
    if (!schema) {
        cd_api_set_error_msg(err, "no schema");
        return NULL;
    }
    return print(schema->src, schema->src_len, schema->src_json, false, NULL, err);
}

char *cedar_schema_to_json(const cedar_schema *schema, cedar_error *err)
{
    if (!schema) {
        cd_api_set_error_msg(err, "no schema");
        return NULL;
    }
    return print(schema->src, schema->src_len, schema->src_json, true, NULL, err);
}

char *cedar_schema_translate(const char *text, size_t len, cedar_schema_format from,
                             cedar_schema_format to, const char *file, cedar_error *err)
{
    if (!text) {
        cd_api_set_error_msg(err, "no schema text");
        return NULL;
    }
    if (to == CEDAR_SCHEMA_AUTO) {
        cd_api_set_error_msg(err, "no output format");
        return NULL;
    }
    if (from == CEDAR_SCHEMA_AUTO) from = cd_api_schema_guess(text, len);
    return print(text, len, from == CEDAR_SCHEMA_JSON, to == CEDAR_SCHEMA_JSON, file, err);
}
