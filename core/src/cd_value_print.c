/* cd_value_print.c: values as Cedar text, and type names for messages. */
#include <inttypes.h>

#include "cd_escape_tables.h"
#include "cd_ext.h"
#include "cd_value.h"

/* One character the way Rust's char::escape_debug writes it, which is what
 * Cedar uses to display strings; `first` is true for a string's first char. */
static void put_escaped_char(cd_buf *b, uint32_t cp, bool first)
{
    switch (cp) {
    case 0: cd_buf_puts(b, "\\0"); return;
    case '\t': cd_buf_puts(b, "\\t"); return;
    case '\r': cd_buf_puts(b, "\\r"); return;
    case '\n': cd_buf_puts(b, "\\n"); return;
    case '\\': cd_buf_puts(b, "\\\\"); return;
    case '"': cd_buf_puts(b, "\\\""); return;
    case '\'': cd_buf_puts(b, "\\'"); return;
    default: break;
    }
    if ((first && cd_unicode_is_grapheme_extend(cp)) || !cd_unicode_is_printable(cp)) {
        cd_buf_printf(b, "\\u{%" PRIx32 "}", cp);
        return;
    }
    char out[4];
    int n = cd_utf8_encode(cp, out);
    cd_buf_put(b, out, (size_t)n);
}

void cd_print_quoted(cd_buf *b, cd_str s)
{
    cd_buf_putc(b, '"');
    size_t i = 0;
    while (i < s.len) {
        uint32_t cp;
        int n = cd_utf8_decode(s.ptr + i, s.len - i, &cp);
        if (n <= 0) {
            /* Not valid UTF-8 (cannot come from Cedar text or JSON): show the
             * replacement character rather than a raw byte. */
            cd_buf_puts(b, "\\u{fffd}");
            i++;
            continue;
        }
        put_escaped_char(b, cp, i == 0);
        i += (size_t)n;
    }
    cd_buf_putc(b, '"');
}

void cd_uid_print(cd_buf *b, const cd_uid *u)
{
    cd_buf_put(b, u->type->text, u->type->len);
    cd_buf_puts(b, "::");
    cd_print_quoted(b, u->id);
}

static void print_ext(cd_buf *b, const cd_ext *e)
{
    cd_buf arg;
    cd_buf_init(&arg);
    if (e->kind != CD_EXT_DATETIME) {
        cd_ext_print_arg(&arg, e);
    } else if (!cd_datetime_format(&arg, e->u.datetime_ms)) {
        /* No datetime string reaches this instant (its year is outside
         * 0000..9999); an offset from the epoch still denotes it. */
        cd_buf_printf(b, "datetime(\"1970-01-01\").offset(duration(\"%" PRId64 "ms\"))",
                      e->u.datetime_ms);
        cd_buf_free(&arg);
        return;
    }
    cd_buf_puts(b, cd_extkind_ctor(e->kind));
    cd_buf_putc(b, '(');
    cd_print_quoted(b, (cd_str){arg.data, arg.len});
    cd_buf_putc(b, ')');
    cd_buf_free(&arg);
}

void cd_value_print(cd_buf *b, const cd_value *v)
{
    switch (v->kind) {
    case CD_V_BOOL: cd_buf_puts(b, v->u.b ? "true" : "false"); return;
    case CD_V_LONG: cd_buf_printf(b, "%" PRId64, v->u.l); return;
    case CD_V_STRING: cd_print_quoted(b, v->u.s); return;
    case CD_V_ENTITY: cd_uid_print(b, &v->u.uid); return;
    case CD_V_SET:
        cd_buf_putc(b, '[');
        for (size_t i = 0; i < v->u.set.n; i++) {
            if (i) cd_buf_puts(b, ", ");
            cd_value_print(b, &v->u.set.items[i]);
        }
        cd_buf_putc(b, ']');
        return;
    case CD_V_RECORD:
        cd_buf_putc(b, '{');
        for (size_t i = 0; i < v->u.rec.n; i++) {
            if (i) cd_buf_puts(b, ", ");
            cd_print_quoted(b, v->u.rec.keys[i]);
            cd_buf_puts(b, ": ");
            cd_value_print(b, &v->u.rec.vals[i]);
        }
        cd_buf_putc(b, '}');
        return;
    case CD_V_EXT: print_ext(b, &v->u.ext); return;
    }
}

const char *cd_vkind_name(cd_vkind k)
{
    switch (k) {
    case CD_V_BOOL: return "bool";
    case CD_V_LONG: return "long";
    case CD_V_STRING: return "string";
    case CD_V_ENTITY: return "entity";
    case CD_V_SET: return "set";
    case CD_V_RECORD: return "record";
    case CD_V_EXT: return "extension";
    }
    return "unknown";
}

const char *cd_value_type_name(const cd_value *v)
{
    return v->kind == CD_V_EXT ? cd_extkind_name(v->u.ext.kind) : cd_vkind_name(v->kind);
}
