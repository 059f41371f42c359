/* Tests of cd_base: arena, names, strings, UTF-8. */
#include "cd_base.h"
#include "t.h"

static void test_arena(void)
{
    cd_arena *a = cd_arena_new();
    char *p = cd_arena_alloc(a, 100000); /* larger than a block */
    p[99999] = 1;
    T_CHECK(((uintptr_t)p & 15) == 0);
    cd_str s = cd_arena_str(a, "abc", 3);
    T_CHECK(cd_str_eq_c(s, "abc") && s.ptr[3] == 0);
    T_CHECK_STR(cd_arena_printf(a, "%d-%s", 7, "x"), "7-x");
    cd_arena_reset(a);
    T_CHECK(cd_arena_used(a) == 0);
    cd_arena_free(a);
}

/* An arena past 8 MB takes big (huge-page) blocks: allocations of every size
 * keep their bytes (no two overlap), are aligned, and reset and free give
 * the blocks back (the sanitizer builds see a bad free or unmap). */
static void test_arena_big(void)
{
    cd_arena *a = cd_arena_new();
    enum { N = 300 };
    unsigned char *ps[N];
    size_t sizes[N];
    for (size_t i = 0; i < N; i++) {
        sizes[i] = i % 50 == 49 ? (size_t)9 << 20 : 1000 + (i * 7919) % 120000; /* some > a block */
        ps[i] = cd_arena_alloc(a, sizes[i]);
        T_CHECK(((uintptr_t)ps[i] & 15) == 0);
        memset(ps[i], (int)(i & 0xff), sizes[i]);
    }
    bool kept = true;
    for (size_t i = 0; i < N; i++)
        kept &= ps[i][0] == (i & 0xff) && ps[i][sizes[i] - 1] == (i & 0xff);
    T_CHECK(kept);
    T_CHECK(cd_arena_used(a) > ((size_t)60 << 20));
    cd_arena_reset(a);
    T_CHECK(cd_arena_used(a) == 0);
    for (size_t i = 0; i < 200; i++)
        memset(cd_arena_alloc(a, 100000), 1, 100000); /* 20 MB again after the reset */
    cd_arena_free(a);
}

/* The zeroing allocations are zero even over reused memory (after a reset,
 * the arena hands out bytes written before); the raw ones need not be. */
static void test_arena_zeroing(void)
{
    cd_arena *a = cd_arena_new();
    unsigned char *p = cd_arena_alloc(a, 4096);
    memset(p, 0xAB, 4096);
    cd_arena_reset(a);
    unsigned char *z = cd_arena_zalloc(a, 1024);
    int *arr = CD_NEW_ARRAY(a, int, 256);
    bool zero = true;
    for (size_t i = 0; i < 1024; i++)
        zero &= z[i] == 0;
    for (size_t i = 0; i < 256; i++)
        zero &= arr[i] == 0;
    T_CHECK(zero);
    T_CHECK((unsigned char *)z == p); /* the same memory again */
    int *raw = CD_NEW_ARRAY_RAW(a, int, 4);
    T_CHECK(((uintptr_t)raw & 15) == 0);
    cd_arena_free(a);
}

static void test_names(void)
{
    const cd_name *a = cd_name_intern(NULL, "A::B", 4);
    const cd_name *b = cd_name_intern(NULL, "A::Bx", 4);
    const cd_name *c = cd_name_intern(NULL, "A::C", 4);
    T_CHECK(a == b);
    T_CHECK(a != c);
    T_CHECK_STR(a->text, "A::B");
    for (int i = 0; i < 2000; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "T%d", i);
        T_CHECK(cd_name_intern(NULL, buf, (size_t)n) == cd_name_intern(NULL, buf, (size_t)n));
    }
    T_CHECK(cd_name_intern(NULL, "A::B", 4) == a);
}

/* Names held by arenas: alive while one holds them, gone with the last. */
static void test_name_refs(void)
{
    size_t base = cd_name_count();
    cd_arena *a = cd_arena_new(), *b = cd_arena_new();
    const cd_name *x = cd_name_intern(a, "RefX", 4);
    T_CHECK(cd_name_intern(a, "RefX", 4) == x); /* one reference per arena */
    T_CHECK(cd_name_hold(b, x) == x);
    T_CHECK(cd_name_count() == base + 1);
    cd_arena_free(a);
    T_CHECK(cd_name_count() == base + 1); /* b still holds it */
    T_CHECK(cd_name_intern(b, "RefX", 4) == x);
    cd_arena_reset(b);
    T_CHECK(cd_name_count() == base);
    cd_arena_free(b);
}

/* Many names in two interleaved arenas: freeing one removes its names from
 * the middle of probe runs (backward shift) and the other's stay findable;
 * freeing both empties the table again (which shrinks). */
static void test_name_table_delete(void)
{
    enum { N = 20000 };
    static const cd_name *held[N];
    size_t base = cd_name_count();
    cd_arena *ar[2] = {cd_arena_new(), cd_arena_new()};
    for (int i = 0; i < N; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "Del%d", i);
        held[i] = cd_name_intern(ar[i % 2], buf, (size_t)n);
    }
    T_CHECK(cd_name_count() == base + N);
    cd_arena_free(ar[0]);
    T_CHECK(cd_name_count() == base + N / 2);
    cd_arena *probe = cd_arena_new();
    int found = 0;
    for (int i = 1; i < N; i += 2) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "Del%d", i);
        found += cd_name_intern(probe, buf, (size_t)n) == held[i];
    }
    T_CHECK(found == N / 2);
    T_CHECK(cd_name_count() == base + N / 2); /* nothing was added */
    cd_arena_free(probe);
    cd_arena_free(ar[1]);
    T_CHECK(cd_name_count() == base);
}

static void test_utf8(void)
{
    T_CHECK(cd_utf8_check("h\xc3\xa9llo", 6) == 6);
    T_CHECK(cd_utf8_check("a\xc0\x80", 3) == 1);          /* overlong */
    T_CHECK(cd_utf8_check("a\xed\xa0\x80", 4) == 1);      /* surrogate */
    T_CHECK(cd_utf8_check("ab\xf4\x90\x80\x80", 6) == 2); /* > U+10FFFF */
    T_CHECK(cd_utf8_check("\xe2\x82", 2) == 0);           /* truncated */
    char out[4];
    T_CHECK(cd_utf8_encode(0x1F600, out) == 4);
    uint32_t cp;
    T_CHECK(cd_utf8_decode(out, 4, &cp) == 4 && cp == 0x1F600);
    T_CHECK(cd_utf8_encode(0xD800, out) == 0);
}

static void test_str_cmp(void)
{
    T_CHECK(cd_str_cmp(CD_STR_LIT("a"), CD_STR_LIT("ab")) < 0);
    T_CHECK(cd_str_cmp(CD_STR_LIT("b"), CD_STR_LIT("ab")) > 0);
    T_CHECK(cd_str_cmp(CD_STR_LIT(""), CD_STR_LIT("")) == 0);
    cd_loc l = cd_loc_of_offset("ab\ncd", 5, 4);
    T_CHECK(l.line == 2 && l.column == 2);
}

int main(void)
{
    T_RUN(test_arena);
    T_RUN(test_arena_zeroing);
    T_RUN(test_arena_big);
    T_RUN(test_names);
    T_RUN(test_name_refs);
    T_RUN(test_name_table_delete);
    T_RUN(test_utf8);
    T_RUN(test_str_cmp);
    T_DONE();
}
