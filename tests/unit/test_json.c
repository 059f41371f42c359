/* Tests of the byte offsets the arena tree reader gives every value and key
 * (cd_json_tree.c), written out by hand, and of the messages the JSON readers
 * share between entities, requests and schemas. */
#include <stdlib.h>

#include "cd_json.h"
#include "cd_json_tree.h"
#include "t.h"

/* Offset of the n-th (0-based) occurrence of needle in text. */
static size_t off(const char *text, const char *needle, int n)
{
    const char *p = strstr(text, needle);
    while (p && n-- > 0)
        p = strstr(p + 1, needle);
    return p ? (size_t)(p - text) : (size_t)-1;
}

static const cd_jt *parse_tree(const char *text, cd_arena *a)
{
    cd_err e = {0};
    const cd_jt *t = cd_jt_parse(text, strlen(text), "t.json", &e, a);
    if (!t) fprintf(stderr, "unexpected error: %s\n", e.message);
    cd_err_clear(&e);
    return t;
}

static void test_offsets_everywhere(void)
{
    const char *text =
        "\n  {\"a\": [1, \"x\",\n  {\"b\\u0000\": null}],\n \"c\" :  true, \"d\": {}}";
    cd_arena *ar = cd_arena_new();
    const cd_jt *t = parse_tree(text, ar);
    T_CHECK(t && t->kind == CD_JT_OBJECT && t->off == off(text, "{", 0));
    /* members in document order: a, c, d */
    T_CHECK(t && t->n == 3);
    if (t && t->n == 3) {
        const cd_jt_member *m = t->u.members;
        T_CHECK(m[0].off == off(text, "\"a\"", 0) && m[0].val.off == off(text, "[", 0));
        T_CHECK(m[1].off == off(text, "\"c\"", 0) && m[1].val.off == off(text, "true", 0));
        T_CHECK(m[2].off == off(text, "\"d\"", 0) && m[2].val.off == off(text, "{}", 0));
        const cd_jt *arr = &m[0].val;
        T_CHECK(arr->kind == CD_JT_ARRAY && arr->n == 3);
        if (arr->kind == CD_JT_ARRAY && arr->n == 3) {
            T_CHECK(arr->u.items[0].off == off(text, "1", 0));
            T_CHECK(arr->u.items[1].off == off(text, "\"x\"", 0));
            T_CHECK(arr->u.items[2].off == off(text, "{", 1));
            /* a key with NUL */
            const cd_jt *in = &arr->u.items[2];
            T_CHECK(in->kind == CD_JT_OBJECT && in->n == 1 &&
                    in->u.members[0].off == off(text, "\"b", 0) && in->u.members[0].key.len == 2 &&
                    in->u.members[0].key.ptr[1] == 0 &&
                    in->u.members[0].val.off == off(text, "null", 0));
        }
        T_CHECK(m[2].val.kind == CD_JT_OBJECT && m[2].val.n == 0);
    }
    cd_arena_free(ar);
}

/* Many containers: every key and every inner value at its place. */
static void test_offsets_many(void)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_putc(&b, '[');
    for (int i = 0; i < 1000; i++)
        cd_buf_printf(&b, "%s{\"k%d\": [%d]}", i ? ", " : "", i, i);
    cd_buf_putc(&b, ']');
    cd_arena *ar = cd_arena_new();
    const char *text = cd_buf_cstr(&b);
    const cd_jt *t = parse_tree(text, ar);
    bool all = t && t->kind == CD_JT_ARRAY && t->n == 1000;
    for (size_t i = 0; all && i < 1000; i++) {
        char quoted[32];
        snprintf(quoted, sizeof quoted, "{\"k%zu\"", i);
        const cd_jt *o = &t->u.items[i];
        all = o->kind == CD_JT_OBJECT && o->n == 1 && o->off == off(text, quoted, 0) &&
              o->u.members[0].off == o->off + 1 && o->u.members[0].val.kind == CD_JT_ARRAY &&
              o->u.members[0].val.n == 1 &&
              o->u.members[0].val.u.items[0].off == o->u.members[0].val.off + 1;
    }
    T_CHECK(all);
    cd_arena_free(ar);
    cd_buf_free(&b);
}

static void test_last_key_wins(void)
{
    /* a repeated key keeps its first place, with the last value */
    const char *text = "{\"a\": 1, \"b\": 2, \"a\": [3]}";
    cd_err e = {0};
    json_t *j = cd_json_parse(text, strlen(text), CD_JSON_LAST_KEY_WINS, "t.json", &e);
    T_CHECK(j && json_object_size(j) == 2 && json_is_array(json_object_get(j, "a")));
    const char *first = j ? json_object_iter_key(json_object_iter(j)) : NULL;
    T_CHECK(first && strcmp(first, "a") == 0);
    json_decref(j);
    /* without the flag it is an error at the repeated key */
    T_CHECK(!cd_json_parse(text, strlen(text), 0, "t.json", &e));
    T_CHECK(e.message && strstr(e.message, "duplicate key") &&
            e.loc.column == off(text, "\"a\"", 1) + 1);
    cd_err_clear(&e);
}

/* Parsing fails with a message containing want at line:col. */
static bool bad(const char *text, const char *want, unsigned line, unsigned col)
{
    cd_err e = {0};
    json_t *j = cd_json_parse(text, strlen(text), 0, "t.json", &e);
    bool ok =
        !j && e.message && strstr(e.message, want) && e.loc.line == line && e.loc.column == col;
    if (!ok)
        fprintf(stderr, "for %s: got \"%s\" at %u:%u\n", text, e.message, e.loc.line, e.loc.column);
    json_decref(j);
    cd_err_clear(&e);
    return ok;
}

static void test_messages(void)
{
    T_CHECK(bad("", "invalid JSON: unexpected end of input, expected a value", 1, 1));
    T_CHECK(bad("[1,\n 2", "unexpected end of input, expected `,` or `]`", 2, 3));
    T_CHECK(bad("{\"a\": 1", "unexpected end of input, expected `,` or `}`", 1, 8));
    T_CHECK(bad("{\"a\": 1,", "unexpected end of input, expected a string key", 1, 9));
    T_CHECK(bad("{\"a\": 1 2}", "expected `,` or `}`", 1, 9));
    T_CHECK(bad("{} {}", "trailing characters after the JSON value", 1, 4));
    T_CHECK(bad("\"\\ud800\"", "lone surrogate", 1, 2));
    T_CHECK(bad("\"\\udc00\"", "lone surrogate", 1, 2));
    T_CHECK(bad("[01]", "invalid number", 1, 3));
    T_CHECK(bad("{\"a\": 1e999}", "number out of range", 1, 7));
    char deep[260];
    memset(deep, '[', 128);
    memset(deep + 128, ']', 128);
    deep[256] = 0;
    T_CHECK(bad(deep, "arrays and objects nested too deeply (more than 127 levels)", 1, 128));
}

int main(void)
{
    T_RUN(test_offsets_everywhere);
    T_RUN(test_offsets_many);
    T_RUN(test_last_key_wins);
    T_RUN(test_messages);
    T_DONE();
}
