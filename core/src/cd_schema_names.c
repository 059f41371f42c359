/* cd_schema_names.c: schema text, as both formats share it: which names are
 * valid (reserved words, the `__cedar` namespace, reserved type names) and
 * how a resolved type is shown in messages. */
#include "cd_schema_int.h"

/* ---- names ----------------------------------------------------------------- */

bool cd_schema_is_reserved_word(cd_str s)
{
    static const char *const words[] = {"true", "false", "if",   "then", "else",
                                        "in",   "is",    "like", "has"};
    if (s.len < 2 || s.len > 5) return false; /* most names: no comparison */
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (words[i][0] == s.ptr[0] && cd_str_eq_c(s, words[i])) return true;
    return false;
}

bool cd_schema_is_cedar_ns(cd_str s)
{
    return cd_str_eq_c(s, "__cedar");
}

bool cd_schema_is_name(cd_str s, bool allow_cedar)
{
    size_t start = 0;
    for (size_t i = 0; i <= s.len; i++) {
        if (i < s.len && !(s.ptr[i] == ':' && i + 1 < s.len && s.ptr[i + 1] == ':')) continue;
        cd_str part = {s.ptr + start, i - start};
        if (!cd_str_is_ident(part) || cd_schema_is_reserved_word(part)) return false;
        if (!allow_cedar && cd_schema_is_cedar_ns(part)) return false;
        start = i + 2;
        i++;
    }
    return true;
}

bool cd_schema_is_reserved_type_name(cd_str s)
{
    static const char *const names[] = {"Bool", "Boolean", "Entity", "Extension",
                                        "Long", "Record",  "Set",    "String"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (cd_str_eq_c(s, names[i])) return true;
    return false;
}

/* ---- printing ------------------------------------------------------------- */

static void print_attr_name(cd_buf *b, cd_str s)
{
    if (cd_str_is_ident(s) && !cd_schema_is_reserved_word(s))
        cd_buf_put(b, s.ptr, s.len);
    else
        cd_print_quoted(b, s);
}

/* Common types are shared, so a type is a DAG whose printed form can be
 * exponentially long (T0 = {a: T1, b: T1}, ...): messages stop at `stop`. */
static void type_print(cd_buf *b, const cd_type *t, size_t stop)
{
    static const char *const ext_names[] = {"decimal", "ipaddr", "datetime", "duration"};
    if (!t) {
        cd_buf_puts(b, "?");
        return;
    }
    if (b->len >= stop) {
        cd_buf_puts(b, "...");
        return;
    }
    switch (t->kind) {
    case CD_T_BOOL: cd_buf_puts(b, "Bool"); break;
    case CD_T_LONG: cd_buf_puts(b, "Long"); break;
    case CD_T_STRING: cd_buf_puts(b, "String"); break;
    case CD_T_ENTITY: cd_buf_put(b, t->u.entity->text, t->u.entity->len); break;
    case CD_T_SET:
        cd_buf_puts(b, "Set<");
        type_print(b, t->u.elem, stop);
        cd_buf_putc(b, '>');
        break;
    case CD_T_RECORD:
        cd_buf_putc(b, '{');
        for (size_t i = 0; i < t->u.rec.n; i++) {
            const cd_attr_type *a = &t->u.rec.attrs[i];
            if (i) cd_buf_puts(b, ", ");
            print_attr_name(b, a->name);
            cd_buf_puts(b, a->required ? ": " : "?: ");
            type_print(b, a->type, stop);
        }
        cd_buf_putc(b, '}');
        break;
    case CD_T_EXT: cd_buf_puts(b, (unsigned)t->u.ext < 4 ? ext_names[t->u.ext] : "?"); break;
    }
}

void cd_type_print(cd_buf *b, const cd_type *t)
{
    type_print(b, t, b->len + CD_TYPE_PRINT_MAX);
}
