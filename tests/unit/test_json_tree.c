/* Tests of the arena tree reader (cd_json_tree.c) against the jansson reader
 * (cd_json_parse with duplicate keys an error): the same documents accepted,
 * the same messages at the same places, the same values; and offsets that
 * agree with the text (test_json.c checks some written out by hand). */
#include <stdlib.h>

#include "cd_json.h"
#include "cd_json_tree.h"
#include "t.h"

static bool same_value(const cd_jt *t, const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_NULL: return t->kind == CD_JT_NULL;
    case JSON_TRUE: return t->kind == CD_JT_TRUE;
    case JSON_FALSE: return t->kind == CD_JT_FALSE;
    case JSON_INTEGER:
    case JSON_REAL: return t->kind == CD_JT_NUMBER;
    case JSON_STRING:
        return t->kind == CD_JT_STRING && t->n == json_string_length(j) &&
               memcmp(t->u.str, json_string_value(j), t->n) == 0 && t->u.str[t->n] == 0;
    case JSON_ARRAY: {
        if (t->kind != CD_JT_ARRAY || t->n != json_array_size(j)) return false;
        for (size_t i = 0; i < t->n; i++)
            if (!same_value(&t->u.items[i], json_array_get(j, i))) return false;
        return true;
    }
    default: {
        size_t i = 0;
        if (t->kind != CD_JT_OBJECT || t->n != json_object_size(j)) return false;
        for (void *it = json_object_iter((json_t *)j); it;
             it = json_object_iter_next((json_t *)j, it), i++) {
            const cd_jt_member *m = &t->u.members[i];
            if (m->key.len != json_object_iter_key_len(it) ||
                memcmp(m->key.ptr, json_object_iter_key(it), m->key.len) != 0 ||
                m->key.ptr[m->key.len] != 0 || !same_value(&m->val, json_object_iter_value(it)))
                return false;
        }
        return true;
    }
    }
}

/* The string at text[*pos] is s[0..n) (read again with the parser's own
 * string reader); *pos moves past it. */
static bool string_at(const char *text, size_t len, size_t *pos, const char *s, size_t n)
{
    cd_buf b;
    cd_buf_init(&b);
    size_t at;
    bool ok = *pos < len && text[*pos] == '"' && !cd_json_string(text, len, pos, &b, &at) &&
              b.len == n && (n == 0 || memcmp(b.data, s, n) == 0);
    cd_buf_free(&b);
    return ok;
}

static size_t skip_ws(const char *text, size_t len, size_t i)
{
    while (i < len && strchr(" \t\n\r", text[i]) && text[i])
        i++;
    return i;
}

/* The tree's offsets, checked against the text without the other reader:
 * offsets increase strictly in document order (a key before its value, a
 * container before its items); each value starts with what its kind
 * starts with, and a string or number read again at its offset is the one
 * in the tree; a member's value follows its key, `:` and white space. */
static bool offsets_ok(const cd_jt *t, const char *text, size_t len, long long *prev)
{
    if ((long long)t->off <= *prev || t->off >= len) return false;
    *prev = t->off;
    size_t pos = t->off, at;
    switch (t->kind) {
    case CD_JT_NULL: return len - pos >= 4 && memcmp(text + pos, "null", 4) == 0;
    case CD_JT_TRUE: return len - pos >= 4 && memcmp(text + pos, "true", 4) == 0;
    case CD_JT_FALSE: return len - pos >= 5 && memcmp(text + pos, "false", 5) == 0;
    case CD_JT_NUMBER:
        return (text[pos] == '-' || (text[pos] >= '0' && text[pos] <= '9')) &&
               !cd_json_number(text, len, &pos, NULL, &at);
    case CD_JT_STRING: return string_at(text, len, &pos, t->u.str, t->n);
    case CD_JT_ARRAY:
        if (text[pos] != '[') return false;
        for (size_t i = 0; i < t->n; i++)
            if (!offsets_ok(&t->u.items[i], text, len, prev)) return false;
        return true;
    default:
        if (text[pos] != '{') return false;
        for (size_t i = 0; i < t->n; i++) {
            const cd_jt_member *m = &t->u.members[i];
            size_t k = m->off;
            if ((long long)k <= *prev || !string_at(text, len, &k, m->key.ptr, m->key.len))
                return false;
            *prev = m->off;
            k = skip_ws(text, len, k);
            if (k >= len || text[k] != ':' || skip_ws(text, len, k + 1) != m->val.off) return false;
            if (!offsets_ok(&m->val, text, len, prev)) return false;
        }
        return true;
    }
}

/* Both readers on text: the same outcome. Returns whether the text was read. */
static bool same(const char *text, size_t len)
{
    cd_err ej = {0}, et = {0};
    json_t *j = cd_json_parse(text, len, 0, "f.json", &ej);
    cd_arena *a = cd_arena_new();
    const cd_jt *t = cd_jt_parse(text, len, "f.json", &et, a);
    bool ok = !j == !t;
    long long prev = -1;
    if (ok && j)
        ok = same_value(t, j) && t->off == skip_ws(text, len, 0) && offsets_ok(t, text, len, &prev);
    if (ok && !j)
        ok = ej.message && et.message && strcmp(ej.message, et.message) == 0 &&
             ej.file == et.file && ej.loc.line == et.loc.line && ej.loc.column == et.loc.column &&
             ej.loc.offset == et.loc.offset;
    if (!ok)
        fprintf(stderr, "readers differ on %.80s: %s / %s\n", text, ej.message ? ej.message : "ok",
                et.message ? et.message : "ok");
    bool read = j != NULL;
    json_decref(j);
    cd_arena_free(a);
    cd_err_clear(&ej);
    cd_err_clear(&et);
    T_CHECK(ok);
    return read;
}

static bool same_c(const char *text)
{
    return same(text, strlen(text));
}

static void test_values_and_offsets(void)
{
    T_CHECK(same_c(
        " {\"a\": [1, -0, 2.5e3, \"x\", true, false, null, {}, []],\n \"b\\u0000c\" : "
        "{\"\": \"\\u00e9\\ud83d\\ude00 \\\"q\\\" \\n\"}, \"\xc3\xa9\": \"\xc3\xa9t\xc3\xa9\"} "));
    T_CHECK(same_c("\"plain\""));
    T_CHECK(same_c("[99999999999999999999, -9223372036854775808, 123456789012345678]"));
    T_CHECK(same_c("  7  "));
}

static void test_errors(void)
{
    static const char *const bad[] = {
        "",
        "   ",
        "{",
        "{\"a\"",
        "{\"a\" 1}",
        "{\"a\": }",
        "{\"a\": 1,}",
        "{\"a\": 1 \"b\": 2}",
        "{1: 2}",
        "[1, 2",
        "[1 2]",
        "[1,]",
        "tru",
        "nul",
        "[01]",
        "[-]",
        "[1.]",
        "[1e]",
        "[1e999]",
        "{\"a\": 1e999}",
        "\"abc",
        "\"a\\x\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"a\x01\"",
        "\"\xff\"",
        "{} {}",
        "{\"a\": 1, \"a\": 2}",
        /* the value's own error comes first: the duplicate is found after it */
        "{\"a\": 1, \"a\": [1,}",
        "{\"a\": {\"b\": 1}, \"c\": {\"b\": 2, \"b\": 3}}",
        "{\"a\\u0000\": 1, \"a\": 2, \"a\\u0000\": 3}",
        "{\"\\u0041\": 1, \"A\": 2}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        T_CHECK(!same_c(bad[i]));
    /* a number longer than the reader's buffer */
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_putc(&b, '[');
    for (int i = 0; i < 400; i++)
        cd_buf_putc(&b, '9');
    cd_buf_puts(&b, ", 1");
    for (int i = 0; i < 400; i++)
        cd_buf_putc(&b, '0');
    cd_buf_puts(&b, ".5]");
    T_CHECK(!same(b.data, b.len)); /* 10^400 is out of range */
    b.len = 0;
    cd_buf_puts(&b, "[-");
    for (int i = 0; i < 300; i++)
        cd_buf_putc(&b, '9');
    cd_buf_putc(&b, ']');
    T_CHECK(same(b.data, b.len));
    cd_buf_free(&b);
}

/* Strings read 8 bytes at a time (cd_json_plain_end): an escape, a
 * non-ASCII character or a raw control character at every place of strings
 * of up to 24 bytes, as a value and as a key. */
static void test_string_runs(void)
{
    static const char *const odd[] = {"\\\"", "\\n", "\\u00e9", "\xc3\xa9", "\x01", "/"};
    cd_buf b;
    cd_buf_init(&b);
    bool all = true;
    for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++)
        for (int len = 0; len <= 24; len++)
            for (int at = 0; at <= len; at++) {
                b.len = 0;
                cd_buf_puts(&b, "{\"");
                for (int i = 0; i < len; i++)
                    cd_buf_puts(&b, i == at ? odd[k] : "a");
                cd_buf_puts(&b, "\": \"");
                for (int i = 0; i < len; i++)
                    cd_buf_puts(&b, i == at ? odd[k] : "b");
                cd_buf_puts(&b, "\"}");
                /* a raw control character is an error, the rest is read */
                all = all && same(b.data, b.len) == (k != 4 || at == len);
            }
    T_CHECK(all);
    cd_buf_free(&b);
}

/* Objects past the scan's size find duplicates by their hash table. */
static void test_many_keys(void)
{
    cd_buf b;
    cd_buf_init(&b);
    for (int n = 1; n <= 300; n += n < 20 ? 1 : 37) {
        for (int dup = -1; dup < n; dup += n < 20 ? 1 : 29) {
            b.len = 0;
            cd_buf_putc(&b, '{');
            for (int i = 0; i < n; i++)
                cd_buf_printf(&b, "%s\"k%d\": [%d]", i ? ", " : "", i, i);
            /* a repeat of key dup, or a new key */
            cd_buf_printf(&b, ", \"k%d\": {\"x\": 1}}", dup >= 0 ? dup : n);
            T_CHECK(same(b.data, b.len) == (dup < 0));
        }
    }
    cd_buf_free(&b);
}

static void test_nesting(void)
{
    for (int depth = 126; depth <= 128; depth++) {
        cd_buf b;
        cd_buf_init(&b);
        for (int i = 0; i < depth; i++)
            cd_buf_puts(&b, i % 2 ? "[" : "{\"k\": ");
        cd_buf_puts(&b, "1");
        for (int i = depth - 1; i >= 0; i--)
            cd_buf_puts(&b, i % 2 ? "]" : "}");
        T_CHECK(same(b.data, b.len) == (depth <= CD_JSON_MAX_NESTING));
        cd_buf_free(&b);
    }
}

int main(void)
{
    T_RUN(test_values_and_offsets);
    T_RUN(test_errors);
    T_RUN(test_string_runs);
    T_RUN(test_many_keys);
    T_RUN(test_nesting);
    T_DONE();
}
