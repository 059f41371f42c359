/* Tests of the JSON reader's byte offsets (cd_json_parse_ex, cd_json_locs.c)
 * and of the messages it shares between entities, requests and schemas. */
#include <stdlib.h>

#include "cd_json.h"
#include "t.h"

/* Offset of the n-th (0-based) occurrence of needle in text. */
static size_t off(const char *text, const char *needle, int n)
{
    const char *p = strstr(text, needle);
    while (p && n-- > 0)
        p = strstr(p + 1, needle);
    return p ? (size_t)(p - text) : (size_t)-1;
}

static json_t *parse_locs(const char *text, unsigned flags, cd_json_locs *locs)
{
    cd_err e = {0};
    json_t *j = cd_json_parse_ex(text, strlen(text), flags, "t.json", &e, locs);
    if (!j) fprintf(stderr, "unexpected error: %s\n", e.message);
    cd_err_clear(&e);
    return j;
}

static void test_offsets_everywhere(void)
{
    const char *text =
        "\n  {\"a\": [1, \"x\",\n  {\"b\\u0000\": null}],\n \"c\" :  true, \"d\": {}}";
    cd_json_locs *locs = cd_json_locs_new(0);
    json_t *j = parse_locs(text, 0, locs);
    T_CHECK(j && cd_json_locs_root(locs) == off(text, "{", 0));
    size_t n;
    const cd_json_pos *top = cd_json_locs_items(locs, j, &n);
    /* members in document order: a, c, d */
    T_CHECK(top && n == 3);
    if (top && n == 3) {
        T_CHECK(top[0].key == off(text, "\"a\"", 0) && top[0].value == off(text, "[", 0));
        T_CHECK(top[1].key == off(text, "\"c\"", 0) && top[1].value == off(text, "true", 0));
        T_CHECK(top[2].key == off(text, "\"d\"", 0) && top[2].value == off(text, "{}", 0));
    }
    const cd_json_pos *arr = cd_json_locs_items(locs, json_object_get(j, "a"), &n);
    T_CHECK(arr && n == 3);
    if (arr && n == 3) {
        T_CHECK(arr[0].value == off(text, "1", 0) && arr[0].key == arr[0].value);
        T_CHECK(arr[1].value == off(text, "\"x\"", 0));
        T_CHECK(arr[2].value == off(text, "{", 1));
    }
    /* a key with NUL, and a value that is a jansson singleton */
    const json_t *inner = json_array_get(json_object_get(j, "a"), 2);
    const cd_json_pos *in = cd_json_locs_items(locs, inner, &n);
    T_CHECK(in && n == 1 && in[0].key == off(text, "\"b", 0) &&
            in[0].value == off(text, "null", 0));
    /* empty containers and values that are not containers have no items */
    T_CHECK(!cd_json_locs_items(locs, json_object_get(j, "d"), &n) && n == 0);
    T_CHECK(!cd_json_locs_items(locs, json_object_get(j, "c"), &n) && n == 0);
    json_decref(j);
    cd_json_locs_free(locs);
}

static void test_offsets_depth_limit(void)
{
    const char *text = "[{\"a\": [1]}, [2, 3], 4]";
    cd_json_locs *locs = cd_json_locs_new(1);
    json_t *j = parse_locs(text, 0, locs);
    size_t n;
    const cd_json_pos *top = cd_json_locs_items(locs, j, &n);
    T_CHECK(top && n == 3 && top[1].value == off(text, "[2", 0) &&
            top[2].value == off(text, "4", 0));
    T_CHECK(!cd_json_locs_items(locs, json_array_get(j, 0), &n) && n == 0);
    T_CHECK(!cd_json_locs_items(locs, json_array_get(j, 1), &n) && n == 0);
    json_decref(j);
    cd_json_locs_free(locs);
    /* many containers (the table grows) */
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_putc(&b, '[');
    for (int i = 0; i < 1000; i++)
        cd_buf_printf(&b, "%s{\"k%d\": [%d]}", i ? ", " : "", i, i);
    cd_buf_putc(&b, ']');
    locs = cd_json_locs_new(0);
    j = parse_locs(cd_buf_cstr(&b), 0, locs);
    bool all = j != NULL;
    for (size_t i = 0; j && i < 1000; i++) {
        char key[24], quoted[32];
        snprintf(key, sizeof key, "k%zu", i);
        snprintf(quoted, sizeof quoted, "\"%s\"", key);
        const json_t *o = json_array_get(j, i);
        size_t nm, na;
        const cd_json_pos *m = cd_json_locs_items(locs, o, &nm);
        const cd_json_pos *a = cd_json_locs_items(locs, json_object_get(o, key), &na);
        all = all && m && nm == 1 && m[0].key == off(cd_buf_cstr(&b), quoted, 0) && a && na == 1 &&
              a[0].value == m[0].value + 1;
    }
    T_CHECK(all);
    json_decref(j);
    cd_json_locs_free(locs);
    cd_buf_free(&b);
}

static void test_offsets_last_key_wins(void)
{
    /* a repeated key keeps its first place, with the position of the last */
    const char *text = "{\"a\": 1, \"b\": 2, \"a\": [3]}";
    cd_json_locs *locs = cd_json_locs_new(0);
    json_t *j = parse_locs(text, CD_JSON_LAST_KEY_WINS, locs);
    size_t n;
    const cd_json_pos *m = cd_json_locs_items(locs, j, &n);
    T_CHECK(j && json_object_size(j) == 2 && json_is_array(json_object_get(j, "a")));
    T_CHECK(m && n == 2);
    if (m && n == 2) {
        T_CHECK(m[0].key == off(text, "\"a\"", 1) && m[0].value == off(text, "[3]", 0));
        T_CHECK(m[1].key == off(text, "\"b\"", 0));
    }
    const char *first = json_object_iter_key(json_object_iter(j));
    T_CHECK(first && strcmp(first, "a") == 0);
    T_CHECK(cd_json_locs_items(locs, json_object_get(j, "a"), &n) && n == 1);
    json_decref(j);
    cd_json_locs_free(locs);
    /* without the flag it is an error at the repeated key */
    cd_err e = {0};
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
    T_RUN(test_offsets_depth_limit);
    T_RUN(test_offsets_last_key_wins);
    T_RUN(test_messages);
    T_DONE();
}
