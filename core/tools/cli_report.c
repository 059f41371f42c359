/* cli_report.c: errors as the official CLI shows them (miette): `human`
 * draws the source line with a caret under the location, `plain` is one
 * line per diagnostic (file:line:column: error: message), `json` one JSON
 * object per diagnostic. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static cli_errfmt errfmt = CLI_ERR_HUMAN;

void cli_set_errfmt(cli_errfmt f)
{
    errfmt = f;
}

cli_errfmt cli_get_errfmt(void)
{
    return errfmt;
}

typedef struct source {
    char *name, *text;
    size_t len;
} source;

static source *sources;
static size_t n_sources;

void cli_source_add(const char *name, const char *text, size_t len)
{
    source *s = realloc(sources, (n_sources + 1) * sizeof *s);
    if (!s) return; /* reports lose their snippet, nothing else */
    sources = s;
    s = &sources[n_sources];
    s->name = strdup(name);
    s->text = malloc(len + 1);
    if (!s->name || !s->text) {
        free(s->name);
        free(s->text);
        return;
    }
    memcpy(s->text, text, len);
    s->text[len] = 0;
    s->len = len;
    n_sources++;
}

void cli_sources_free(void)
{
    for (size_t i = 0; i < n_sources; i++) {
        free(sources[i].name);
        free(sources[i].text);
    }
    free(sources);
    sources = NULL;
    n_sources = 0;
}

static const source *find_source(const char *name)
{
    for (size_t i = n_sources; name && i-- > 0;)
        if (strcmp(sources[i].name, name) == 0) return &sources[i];
    return NULL;
}

/* The start of line `line` (1-based) and its length without the newline;
 * false when the text has fewer lines. */
static bool line_span(const source *s, unsigned line, size_t *start, size_t *len)
{
    size_t p = 0;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(s->text + p, '\n', s->len - p);
        if (!nl) return false;
        p = (size_t)(nl - s->text) + 1;
    }
    if (line > 1 && p == s->len) return false; /* nothing after the last newline */
    const char *nl = memchr(s->text + p, '\n', s->len - p);
    size_t e = nl ? (size_t)(nl - s->text) : s->len;
    if (e > p && s->text[e - 1] == '\r') e--;
    *start = p;
    *len = e - p;
    return true;
}

/* Display width of bytes (one column per UTF-8 character; a tab as 4). */
static size_t width(const char *p, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80) w += p[i] == '\t' ? 4 : 1;
    return w;
}

static void put_line(FILE *out, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputs(p[i] == '\t' ? "    " : (char[]){p[i], 0}, out);
}

static unsigned digits(unsigned n)
{
    unsigned d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* miette's graphical snippet: the line before, the line, the line after,
 * and a caret under the column. */
static void snippet(FILE *out, const source *s, const cli_diag *d)
{
    size_t st, len;
    if (!line_span(s, d->line, &st, &len)) return;
    unsigned first = d->line > 1 ? d->line - 1 : 1, last = d->line + 1;
    size_t tmp_s, tmp_l;
    if (!line_span(s, last, &tmp_s, &tmp_l)) last = d->line;
    unsigned w = digits(last);
    fprintf(out, "%*s╭─[%s:%u:%u]\n", (int)w + 2, "", s->name, d->line, d->column);
    for (unsigned l = first; l <= last; l++) {
        size_t ls, ll;
        if (!line_span(s, l, &ls, &ll)) break;
        fprintf(out, " %*u │ ", (int)w, l);
        put_line(out, s->text + ls, ll);
        fputc('\n', out);
        if (l == d->line) {
            size_t col = d->column ? d->column - 1 : 0;
            if (col > len) col = len;
            fprintf(out, "%*s· %*s▲\n", (int)w + 2, "", (int)width(s->text + st, col), "");
        }
    }
    fprintf(out, "%*s╰────\n", (int)w + 2, "");
}

static void human(FILE *out, const cli_diag *d)
{
    const source *s = d->line ? find_source(d->file) : NULL;
    const char *mark = d->warning ? "⚠" : "×";
    char loc[512] = "";
    if (!s && d->file && d->line)
        snprintf(loc, sizeof loc, "%s:%u:%u: ", d->file, d->line, d->column);
    else if (!s && d->file && !(d->context && strstr(d->context, d->file)))
        snprintf(loc, sizeof loc, "%s: ", d->file);
    if (d->context) {
        fprintf(out, "  %s %s\n  ╰─▶ %s%s\n", mark, d->context, loc, d->message);
    } else {
        fprintf(out, "  %s %s%s\n", mark, loc, d->message);
    }
    if (s) snippet(out, s, d);
    if (d->help) fprintf(out, "  help: %s\n", d->help);
}

/* One line per diagnostic, as compilers write them (screen readers, grep):
 * `error: context: file:line:column: message`, or without a context
 * `file:line:column: error: message`; then `  help: ...`. */
static void plain(FILE *out, const cli_diag *d)
{
    const char *sev = d->warning ? "warning" : "error";
    if (d->context) fprintf(out, "%s: %s: ", sev, d->context);
    if (d->file && d->line)
        fprintf(out, "%s:%u:%u: ", d->file, d->line, d->column);
    else if (d->file && !(d->context && strstr(d->context, d->file)))
        fprintf(out, "%s: ", d->file);
    if (!d->context) fprintf(out, "%s: ", sev);
    fprintf(out, "%s\n", d->message);
    if (d->help) fprintf(out, "  help: %s\n", d->help);
}

/* The byte offset of line:column in s, for json's label spans. */
static size_t offset_of(const source *s, unsigned line, unsigned column)
{
    size_t st, len;
    if (!line_span(s, line, &st, &len)) return 0;
    size_t c = column ? column - 1 : 0;
    return st + (c < len ? c : len);
}

static void json(FILE *out, const cli_diag *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "message", json_string(d->context ? d->context : d->message));
    json_object_set_new(o, "severity", json_string(d->warning ? "warning" : "error"));
    json_t *causes = json_array();
    if (d->context) json_array_append_new(causes, json_string(d->message));
    json_object_set_new(o, "causes", causes);
    if (d->help) json_object_set_new(o, "help", json_string(d->help));
    json_t *labels = json_array();
    if (d->file) {
        json_object_set_new(o, "filename", json_string(d->file));
        const source *s = d->line ? find_source(d->file) : NULL;
        if (d->line) {
            json_t *span = json_object();
            if (s)
                json_object_set_new(span, "offset",
                                    json_integer((json_int_t)offset_of(s, d->line, d->column)));
            json_object_set_new(span, "length", json_integer(0));
            json_object_set_new(span, "line", json_integer(d->line));
            json_object_set_new(span, "column", json_integer(d->column));
            json_t *label = json_object();
            json_object_set_new(label, "span", span);
            json_array_append_new(labels, label);
        }
    }
    json_object_set_new(o, "labels", labels);
    json_object_set_new(o, "related", json_array());
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) fprintf(out, "%s\n", s);
    free(s);
    json_decref(o);
}

void cli_report(void *stream, const cli_diag *d)
{
    FILE *out = stream;
    switch (errfmt) {
    case CLI_ERR_HUMAN: human(out, d); break;
    case CLI_ERR_PLAIN: plain(out, d); break;
    case CLI_ERR_JSON: json(out, d); break;
    }
}

void cli_fail(const char *context, cedar_error *err)
{
    cli_diag d = {.context = context,
                  .message = err->message ? err->message : "unknown error",
                  .file = err->file,
                  .line = err->line,
                  .column = err->column};
    cli_report(stderr, &d);
    cedar_error_clear(err);
}

void cli_failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cli_diag d = {.message = buf};
    cli_report(stderr, &d);
}
