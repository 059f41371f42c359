/* cd_api.c: public API for errors, schemas and entities (cedar.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"

void cedar_error_clear(cedar_error *err)
{
    if (!err) return;
    free(err->message);
    free(err->file);
    memset(err, 0, sizeof *err);
}

char *cedar_error_format(const cedar_error *err)
{
    cd_buf b;
    cd_buf_init(&b);
    if (err->file) cd_buf_printf(&b, "%s:", err->file);
    if (err->line) cd_buf_printf(&b, "%u:%u:", err->line, err->column);
    if (b.len) cd_buf_putc(&b, ' ');
    cd_buf_puts(&b, err->message ? err->message : "no error");
    return b.data;
}

void cd_api_set_error(cedar_error *out, cd_err *e, const char *file)
{
    if (!out) {
        cd_err_clear(e);
        return;
    }
    cedar_error_clear(out);
    out->message = e->message ? e->message : strdup("unknown error");
    e->message = NULL;
    const char *f = e->file ? e->file : file;
    out->file = f ? strdup(f) : NULL;
    out->line = e->loc.line;
    out->column = e->loc.column;
    cd_err_clear(e);
}

void cd_api_set_error_msg(cedar_error *out, const char *fmt, ...)
{
    cd_err e = {0};
    va_list ap;
    va_start(ap, fmt);
    cd_err_vset(&e, (cd_loc){0, 0, 0}, fmt, ap);
    va_end(ap);
    cd_api_set_error(out, &e, NULL);
}

cedar_schema_format cd_api_schema_guess(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", text[i]))
        i++;
    return (i < len && text[i] == '{') ? CEDAR_SCHEMA_JSON : CEDAR_SCHEMA_TEXT;
}

cedar_schema *cedar_schema_parse(const char *text, size_t len, cedar_schema_format format,
                                 const char *file, cedar_error *err)
{
    if (!text) {
        cd_api_set_error_msg(err, "no schema text");
        return NULL;
    }
    if (format == CEDAR_SCHEMA_AUTO) format = cd_api_schema_guess(text, len);
    cd_err e = {0};
    cd_schema *s = format == CEDAR_SCHEMA_JSON ? cd_schema_parse_json(text, len, file, &e)
                                               : cd_schema_parse_text(text, len, file, &e);
    if (!s) {
        cd_api_set_error(err, &e, file);
        return NULL;
    }
    cedar_schema *out = calloc(1, sizeof *out);
    if (!out) abort();
    out->s = s;
    out->src = malloc(len + 1);
    if (!out->src) abort();
    if (len) memcpy(out->src, text, len);
    out->src[len] = 0;
    out->src_len = len;
    out->src_json = format == CEDAR_SCHEMA_JSON;
    return out;
}

void cedar_schema_free(cedar_schema *schema)
{
    if (!schema) return;
    cd_schema_free(schema->s);
    free(schema->src);
    free(schema);
}

cedar_entities *cedar_entities_parse(const char *json, size_t len, const cedar_schema *schema,
                                     const char *file, cedar_error *err)
{
    if (!json) {
        cd_api_set_error_msg(err, "no entities JSON");
        return NULL;
    }
    cd_err e = {0};
    cd_entities *es = cd_entities_load_json(json, len, file, schema ? schema->s : NULL, &e);
    if (!es) {
        cd_api_set_error(err, &e, file);
        return NULL;
    }
    cedar_entities *out = calloc(1, sizeof *out);
    if (!out) abort();
    out->es = es;
    return out;
}

size_t cedar_entities_count(const cedar_entities *es)
{
    return es ? cd_entities_count(es->es) : 0;
}

void cedar_entities_free(cedar_entities *es)
{
    if (!es) return;
    cd_entities_free(es->es);
    free(es);
}
