/* cd_format.c: format policy text as the official formatter does.
 *
 * The text must parse (the real parser's error is reported otherwise). Each
 * policy is laid out on its own, its blank lines outside strings and
 * comments dropped; policies are separated by one blank line, and the
 * comments after the last policy's line end the text. Like the official
 * formatter, the result is parsed again and must give the same policies.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_ast.h"
#include "cd_format.h"
#include "cd_lex.h"

static bool blank(const char *p, size_t n)
{
    return cd_format_trim((cd_str){p, n}).len == 0;
}

/* Lines of [p, p+n) without the blank ones (a leading line break is kept). */
static void drop_blank_lines(cd_buf *out, const char *p, size_t n)
{
    if (n && p[0] == '\n') cd_buf_putc(out, '\n');
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - p) + 1 : n;
        if (!(nl && blank(p + i, end - i))) cd_buf_put(out, p + i, end - i);
        i = end;
    }
}

/* The official formatter's clean-up of a laid-out policy: blank lines go,
 * except inside strings and comments; white space at both ends goes. */
static void clean(cd_buf *out, const char *s, size_t n)
{
    cd_buf b;
    cd_buf_init(&b);
    size_t i = 0, from = 0;
    while (i < n) {
        size_t k = 0;
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
            k = 2;
            while (i + k < n && s[i + k] != '\n' && s[i + k] != '\r')
                k++;
        } else if (s[i] == '"') {
            k = cd_format_string_len(s + i, n - i);
        }
        if (!k) {
            i++;
            continue;
        }
        drop_blank_lines(&b, s + from, i - from);
        cd_buf_put(&b, s + i, k);
        i += k;
        from = i;
    }
    drop_blank_lines(&b, s + from, n - from);
    cd_str t = cd_format_trim((cd_str){cd_buf_cstr(&b), b.len});
    cd_buf_put(out, t.ptr, t.len);
    cd_buf_free(&b);
}

/* Every policy printed (annotations, scope, conditions), one per line. */
static bool policies_text(const char *text, size_t len, cd_buf *out, cd_err *err)
{
    cd_arena *a = cd_arena_new();
    cd_policies ps;
    bool ok = cd_parse_policies(text, len, NULL, a, &ps, err);
    for (size_t i = 0; ok && i < ps.n; i++) {
        if (!cd_policy_print(out, ps.items[i])) {
            cd_err_set(err, ps.items[i]->body->loc,
                       "expression is nested too deeply (the thread's stack is nearly exhausted)");
            ok = false;
        }
        cd_buf_putc(out, '\n');
    }
    cd_arena_free(a);
    return ok;
}

/* The stack ran low (cd_stack.h) at token tok: the parser's error for it. */
static void too_deep(const char *text, size_t len, const char *file, const cd_ftoks *toks,
                     uint32_t tok, cd_err *err)
{
    size_t off = tok < toks->n ? (size_t)(toks->t[tok].text.ptr - text) : len;
    cd_err_set(err, cd_loc_of_offset(text, len, off),
               "expression is nested too deeply (the thread's stack is nearly exhausted)");
    err->file = file;
}

char *cd_format_policies(const char *text, size_t len, const char *file, size_t width, long indent,
                         cd_err *err)
{
    cd_buf before, result;
    cd_buf_init(&before);
    cd_buf_init(&result);
    char *out = NULL;
    cd_arena *a = cd_arena_new();
    cd_ftoks toks;
    cd_fpolicies ps;
    if (!policies_text(text, len, &before, err)) {
        if (err->message) err->file = file;
        goto done;
    }
    if (!cd_format_lex(text, len, a, &toks)) {
        cd_err_set(err, (cd_loc){0}, "the formatter cannot read this policy text");
        goto done;
    }
    if (!cd_format_cst(&toks, a, &ps)) {
        if (ps.too_deep)
            too_deep(text, len, file, &toks, ps.deep_tok, err);
        else
            cd_err_set(err, (cd_loc){0}, "the formatter cannot read this policy text");
        goto done;
    }
    for (size_t i = 0; i < ps.n; i++) {
        uint32_t deep_tok;
        cd_fdoc *d = cd_format_policy_doc(ps.p[i], &toks, indent, a, &deep_tok);
        if (!d && deep_tok != UINT32_MAX) {
            too_deep(text, len, file, &toks, deep_tok, err);
            goto done;
        }
        if (!d) {
            cd_err_set(err,
                       cd_loc_of_offset(text, len, (size_t)(toks.t[ps.p[i]->lo].text.ptr - text)),
                       "the formatter cannot lay out this policy");
            goto done;
        }
        cd_buf laid;
        cd_buf_init(&laid);
        cd_fdoc_render(d, width, &laid);
        if (i) cd_buf_puts(&result, "\n\n");
        clean(&result, cd_buf_cstr(&laid), laid.len);
        cd_buf_free(&laid);
    }
    cd_buf_putc(&result, '\n');
    for (size_t i = 0; i < toks.neof; i++) {
        cd_buf_put(&result, toks.eof_com[i].ptr, toks.eof_com[i].len);
        cd_buf_putc(&result, '\n');
    }
    /* the same policies again */
    cd_buf after;
    cd_buf_init(&after);
    cd_err e2 = {0};
    bool same = policies_text(cd_buf_cstr(&result), result.len, &after, &e2) &&
                after.len == before.len &&
                memcmp(cd_buf_cstr(&after), cd_buf_cstr(&before), after.len) == 0;
    cd_err_clear(&e2);
    cd_buf_free(&after);
    if (!same) {
        cd_err_set(err, (cd_loc){0}, "internal error: the formatted text is not the same policies");
        goto done;
    }
    out = malloc(result.len + 1);
    if (!out) abort();
    memcpy(out, cd_buf_cstr(&result), result.len);
    out[result.len] = '\0';
done:
    cd_arena_free(a);
    cd_buf_free(&before);
    cd_buf_free(&result);
    return out;
}
