/* Tests of cd_value: building sets and records, equality, order, hashing,
 * set operations, record lookup and printing. */
#include <inttypes.h>
#include <stdlib.h>

#include "cd_ext.h"
#include "cd_value.h"
#include "t.h"

static cd_arena *A;

static cd_value str(const char *s)
{
    return cd_string(cd_str_from_c(s));
}

static cd_value ent(const char *type, const char *id)
{
    cd_uid u = {cd_name_intern(NULL, type, strlen(type)), cd_str_from_c(id), 0};
    return cd_entityv(u);
}

static cd_value ext(cd_extfn ctor, const char *s)
{
    cd_value arg = str(s), out = cd_bool(false);
    const char *msg;
    T_CHECK(cd_ext_call(ctor, &arg, 1, &out, A, &msg) == CD_EXT_OK);
    return out;
}

/* A set built from copies of items (cd_set_make works in place). */
static cd_value set_of(const cd_value *items, size_t n)
{
    cd_value *copy = CD_NEW_ARRAY(A, cd_value, n ? n : 1);
    if (n) memcpy(copy, items, n * sizeof *items);
    return cd_set_make(copy, n);
}

static cd_value rec_of(const char *const *keys, const cd_value *vals, size_t n)
{
    cd_str *k = CD_NEW_ARRAY(A, cd_str, n ? n : 1);
    cd_value *v = CD_NEW_ARRAY(A, cd_value, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        k[i] = cd_str_from_c(keys[i]), v[i] = vals[i];
    cd_value out = cd_bool(false);
    T_CHECK(cd_record_make(k, v, n, &out, NULL));
    return out;
}

static const char *printed(const cd_value *v)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_value_print(&b, v);
    const char *s = cd_arena_str(A, b.data ? b.data : "", b.len).ptr;
    cd_buf_free(&b);
    return s;
}

static const char *quoted(const char *p, size_t n)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_print_quoted(&b, (cd_str){p, n});
    const char *s = cd_arena_str(A, b.data, b.len).ptr;
    cd_buf_free(&b);
    return s;
}

static void test_set_make(void)
{
    cd_value items[] = {
        cd_long(3),
        str("a"),
        cd_bool(true),
        cd_long(1),
        cd_long(3),
        str("a"),
        ent("User", "x"),
        ext(CD_FN_DECIMAL, "1.0"),
        cd_long(-7),
        cd_bool(true),
        ext(CD_FN_DECIMAL, "1.0000"),
        cd_bool(false),
        str(""),
        ent("User", "x"),
    };
    cd_value s = set_of(items, sizeof items / sizeof items[0]);
    T_CHECK(s.kind == CD_V_SET);
    /* false, true, -7, 1, 3, "", "a", User::"x", decimal 1.0 */
    T_CHECK(s.u.set.n == 9);
    for (size_t i = 1; i < s.u.set.n; i++)
        T_CHECK(cd_value_cmp(&s.u.set.items[i - 1], &s.u.set.items[i]) < 0);
    T_CHECK_STR(printed(&s), "[false, true, -7, 1, 3, \"\", \"a\", User::\"x\", "
                             "decimal(\"1.0000\")]");
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        T_CHECK(cd_set_contains(&s.u.set, &items[i]));
    cd_value absent[] = {cd_long(2),
                         str("b"),
                         ent("User", "y"),
                         ent("Group", "x"),
                         ext(CD_FN_DECIMAL, "1.0001"),
                         ext(CD_FN_IP, "1.0.0.0")};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        T_CHECK(!cd_set_contains(&s.u.set, &absent[i]));

    /* the empty set, and a set that is already canonical */
    cd_value e = set_of(NULL, 0);
    T_CHECK(e.kind == CD_V_SET && e.u.set.n == 0);
    T_CHECK(!cd_set_contains(&e.u.set, &items[0]));
    T_CHECK_STR(printed(&e), "[]");
    cd_value sorted[] = {cd_long(1), cd_long(2)};
    cd_value s2 = cd_set_make(sorted, 2);
    T_CHECK(s2.u.set.n == 2 && s2.u.set.items == sorted);

    /* large sets: every permutation-ish insertion order gives one canonical set */
    enum { N = 1000 };
    cd_value *big = CD_NEW_ARRAY(A, cd_value, 3 * N);
    for (int i = 0; i < 3 * N; i++)
        big[i] = cd_long((int64_t)((i * 7919) % N));
    cd_value bs = cd_set_make(big, 3 * N);
    T_CHECK(bs.u.set.n == N);
    for (size_t i = 0; i < bs.u.set.n; i++)
        T_CHECK(bs.u.set.items[i].u.l == (int64_t)i);
}

static void test_nested(void)
{
    cd_value a12[] = {cd_long(1), cd_long(2)}, a21[] = {cd_long(2), cd_long(1), cd_long(2)};
    cd_value s12 = set_of(a12, 2), s21 = set_of(a21, 3);
    T_CHECK(cd_value_eq(&s12, &s21));
    T_CHECK(cd_value_hash(&s12) == cd_value_hash(&s21));
    cd_value outer_items[] = {s12, s21, set_of(a12, 1), set_of(NULL, 0)};
    cd_value outer = set_of(outer_items, 4);
    T_CHECK(outer.u.set.n == 3); /* [[], [1], [1, 2]] */
    T_CHECK_STR(printed(&outer), "[[], [1], [1, 2]]");

    const char *k1[] = {"b", "a"}, *k2[] = {"a", "b"};
    cd_value v1[] = {s12, cd_long(1)}, v2[] = {cd_long(1), s21};
    cd_value r1 = rec_of(k1, v1, 2), r2 = rec_of(k2, v2, 2);
    T_CHECK(cd_value_eq(&r1, &r2));
    T_CHECK(cd_value_cmp(&r1, &r2) == 0);
    T_CHECK(cd_value_hash(&r1) == cd_value_hash(&r2));
    T_CHECK_STR(printed(&r1), "{\"a\": 1, \"b\": [1, 2]}");
    cd_value recs[] = {r1, r2, rec_of(k2, v2, 1)};
    cd_value rs = set_of(recs, 3);
    T_CHECK(rs.u.set.n == 2);
    cd_value in_set[] = {r1};
    cd_value s_r = set_of(in_set, 1);
    T_CHECK(cd_set_contains(&s_r.u.set, &r2));
}

static void test_records(void)
{
    const char *keys[] = {"zeta", "alpha", "", "mid", "Alpha", "a b"};
    cd_value vals[] = {cd_long(1), cd_long(2), cd_long(3), cd_long(4), cd_long(5), cd_long(6)};
    cd_value r = rec_of(keys, vals, 6);
    T_CHECK(r.kind == CD_V_RECORD && r.u.rec.n == 6);
    for (size_t i = 1; i < r.u.rec.n; i++)
        T_CHECK(cd_str_cmp(r.u.rec.keys[i - 1], r.u.rec.keys[i]) < 0);
    for (int i = 0; i < 6; i++) {
        const cd_value *v = cd_record_get(&r.u.rec, cd_str_from_c(keys[i]));
        T_CHECK(v && v->kind == CD_V_LONG && v->u.l == i + 1);
    }
    T_CHECK(cd_record_get(&r.u.rec, CD_STR_LIT("nope")) == NULL);
    T_CHECK(cd_record_get(&r.u.rec, CD_STR_LIT("alph")) == NULL);
    T_CHECK(cd_record_get(&r.u.rec, CD_STR_LIT("alphaa")) == NULL);

    /* duplicate keys are reported, whatever their position */
    cd_str dk[] = {CD_STR_LIT("x"), CD_STR_LIT("y"), CD_STR_LIT("x")};
    cd_value dv[] = {cd_long(1), cd_long(2), cd_long(3)};
    cd_value out;
    cd_str dup = {0};
    T_CHECK(!cd_record_make(dk, dv, 3, &out, &dup));
    T_CHECK(cd_str_eq_c(dup, "x"));
    cd_str dk2[] = {CD_STR_LIT("a"), CD_STR_LIT("a")};
    T_CHECK(!cd_record_make(dk2, dv, 2, &out, NULL));

    /* the empty record */
    cd_value e;
    T_CHECK(cd_record_make(NULL, NULL, 0, &e, NULL));
    T_CHECK(e.kind == CD_V_RECORD && e.u.rec.n == 0);
    T_CHECK(cd_record_get(&e.u.rec, CD_STR_LIT("a")) == NULL);
    T_CHECK_STR(printed(&e), "{}");

    /* a large record (heap sort path), values must follow their keys */
    enum { N = 500 };
    cd_str *bk = CD_NEW_ARRAY(A, cd_str, N);
    cd_value *bv = CD_NEW_ARRAY(A, cd_value, N);
    for (int i = 0; i < N; i++) {
        int k = (i * 211) % N;
        bk[i] = cd_str_from_c(cd_arena_printf(A, "key%05d", k));
        bv[i] = cd_long(k);
    }
    cd_value big;
    T_CHECK(cd_record_make(bk, bv, N, &big, NULL));
    for (int i = 0; i < N; i++) {
        const cd_value *v =
            cd_record_get(&big.u.rec, cd_str_from_c(cd_arena_printf(A, "key%05d", i)));
        T_CHECK(v && v->u.l == i);
    }
    bk[N - 1] = bk[0];
    T_CHECK(!cd_record_make(bk, bv, N, &big, &dup));

    /* records differ by keys, by values, by size */
    const char *ka[] = {"a"}, *kb[] = {"b"};
    cd_value one[] = {cd_long(1)}, two[] = {cd_long(2)};
    cd_value ra = rec_of(ka, one, 1), rb = rec_of(kb, one, 1), ra2 = rec_of(ka, two, 1);
    T_CHECK(!cd_value_eq(&ra, &rb) && !cd_value_eq(&ra, &ra2) && !cd_value_eq(&ra, &e));
    T_CHECK(cd_value_cmp(&ra, &rb) < 0 && cd_value_cmp(&ra, &ra2) < 0 && cd_value_cmp(&e, &ra) < 0);
}

/* Values of every kind, with some equal pairs, to check that eq, cmp and
 * hash agree. */
static void test_eq_cmp_hash(void)
{
    cd_value a12[] = {cd_long(1), cd_long(2)}, a21[] = {cd_long(2), cd_long(1)};
    const char *k[] = {"a"};
    cd_value kv[] = {str("x")};
    cd_value vals[] = {
        cd_bool(false),
        cd_bool(true),
        cd_long(0),
        cd_long(1),
        cd_long(-1),
        cd_long(INT64_MIN),
        cd_long(INT64_MAX),
        str(""),
        str("1"),
        str("a"),
        str("ab"),
        cd_string((cd_str){"a\0b", 3}),
        ent("User", "alice"),
        ent("User", "bob"),
        ent("Group", "alice"),
        ent("NS::User", "alice"),
        ent("User", ""),
        set_of(NULL, 0),
        set_of(a12, 2),
        set_of(a21, 2),
        set_of(a12, 1),
        rec_of(NULL, NULL, 0),
        rec_of(k, kv, 1),
        rec_of(k, kv, 1),
        ext(CD_FN_DECIMAL, "1.0"),
        ext(CD_FN_DECIMAL, "1.0000"),
        ext(CD_FN_DECIMAL, "-1.0"),
        ext(CD_FN_IP, "10.0.0.1"),
        ext(CD_FN_IP, "10.0.0.1/32"),
        ext(CD_FN_IP, "10.0.0.1/24"),
        ext(CD_FN_IP, "10.0.0.0/24"),
        ext(CD_FN_IP, "::a00:1"),
        ext(CD_FN_IP, "::1"),
        ext(CD_FN_DATETIME, "1970-01-01"),
        ext(CD_FN_DATETIME, "1970-01-01T00:00:00.001Z"),
        ext(CD_FN_DURATION, "0ms"),
        ext(CD_FN_DURATION, "1ms"),
        ext(CD_FN_DURATION, "-0ms"),
    };
    size_t n = sizeof vals / sizeof vals[0];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            bool eq = cd_value_eq(&vals[i], &vals[j]);
            int c = cd_value_cmp(&vals[i], &vals[j]), d = cd_value_cmp(&vals[j], &vals[i]);
            if ((c == 0) != eq || (c < 0) != (d > 0) || (c > 0) != (d < 0)) {
                fprintf(stderr, "eq/cmp disagree on %s and %s\n", printed(&vals[i]),
                        printed(&vals[j]));
                t_failed_checks++;
            }
            if (eq && cd_value_hash(&vals[i]) != cd_value_hash(&vals[j])) {
                fprintf(stderr, "hash differs on equal %s and %s\n", printed(&vals[i]),
                        printed(&vals[j]));
                t_failed_checks++;
            }
            /* transitivity of the order */
            for (size_t m = 0; m < n; m++)
                if (c < 0 && cd_value_cmp(&vals[j], &vals[m]) < 0)
                    T_CHECK(cd_value_cmp(&vals[i], &vals[m]) < 0);
        }
    }
    /* the equal pairs in the list above */
    T_CHECK(cd_value_eq(&vals[18], &vals[19])); /* [1, 2] == [2, 1] */
    T_CHECK(cd_value_eq(&vals[22], &vals[23])); /* records */
    T_CHECK(cd_value_eq(&vals[24], &vals[25])); /* decimal 1.0 == 1.0000 */
    T_CHECK(cd_value_eq(&vals[27], &vals[28])); /* ip /32 is the address */
    T_CHECK(cd_value_eq(&vals[35], &vals[37])); /* 0ms == -0ms */
    /* different kinds are never equal */
    T_CHECK(!cd_value_eq(&vals[3], &vals[8]));   /* 1 vs "1" */
    T_CHECK(!cd_value_eq(&vals[1], &vals[3]));   /* true vs 1 */
    T_CHECK(!cd_value_eq(&vals[24], &vals[3]));  /* decimal 1.0 vs 1 */
    T_CHECK(!cd_value_eq(&vals[27], &vals[31])); /* 10.0.0.1 vs ::a00:1 */
    T_CHECK(!cd_value_eq(&vals[33], &vals[35])); /* datetime vs duration, both 0 */
    T_CHECK(!cd_value_eq(&vals[29], &vals[30])); /* host bits are kept */
    T_CHECK(!cd_value_eq(&vals[12], &vals[14])); /* same id, other type */
    T_CHECK(!cd_value_eq(&vals[9], &vals[11]));  /* "a" vs "a\0b" */

    cd_uid u1 = {cd_name_intern(NULL, "User", 4), CD_STR_LIT("x"), 0};
    cd_uid u2 = {cd_name_intern(NULL, "User", 4), {"xy", 1}, 0};
    T_CHECK(cd_uid_eq(&u1, &u2) && cd_uid_cmp(&u1, &u2) == 0 &&
            cd_uid_hash(&u1) == cd_uid_hash(&u2));
}

static void test_set_ops(void)
{
    cd_value a[] = {cd_long(1), cd_long(2), cd_long(3)};
    cd_value b[] = {cd_long(3), cd_long(4)};
    cd_value c[] = {cd_long(2), cd_long(1)};
    cd_value d[] = {cd_long(5)};
    cd_value sa = set_of(a, 3), sb = set_of(b, 2), sc = set_of(c, 2), sd = set_of(d, 1),
             se = set_of(NULL, 0);
    T_CHECK(cd_set_subset(&sc.u.set, &sa.u.set));
    T_CHECK(!cd_set_subset(&sa.u.set, &sc.u.set));
    T_CHECK(cd_set_subset(&sa.u.set, &sa.u.set));
    T_CHECK(cd_set_subset(&se.u.set, &sa.u.set));
    T_CHECK(cd_set_subset(&se.u.set, &se.u.set));
    T_CHECK(!cd_set_subset(&sb.u.set, &sa.u.set));
    T_CHECK(!cd_set_subset(&sd.u.set, &se.u.set));
    T_CHECK(cd_set_intersects(&sa.u.set, &sb.u.set));
    T_CHECK(cd_set_intersects(&sb.u.set, &sa.u.set));
    T_CHECK(!cd_set_intersects(&sc.u.set, &sb.u.set));
    T_CHECK(!cd_set_intersects(&sa.u.set, &sd.u.set));
    T_CHECK(!cd_set_intersects(&se.u.set, &sa.u.set));
    T_CHECK(!cd_set_intersects(&se.u.set, &se.u.set));

    /* a small set against a large one (binary search path) and large
     * against large (merge path) */
    enum { N = 400 };
    cd_value *even = CD_NEW_ARRAY(A, cd_value, N), *odd = CD_NEW_ARRAY(A, cd_value, N);
    for (int i = 0; i < N; i++)
        even[i] = cd_long(2 * i), odd[i] = cd_long(2 * i + 1);
    cd_value se2 = cd_set_make(even, N), so2 = cd_set_make(odd, N);
    cd_value small_in[] = {cd_long(0), cd_long(398), cd_long(798)};
    cd_value small_out[] = {cd_long(0), cd_long(399)};
    cd_value small_past[] = {cd_long(800)};
    cd_value si = set_of(small_in, 3), sout = set_of(small_out, 2), sp = set_of(small_past, 1);
    T_CHECK(cd_set_subset(&si.u.set, &se2.u.set));
    T_CHECK(!cd_set_subset(&sout.u.set, &se2.u.set));
    T_CHECK(!cd_set_subset(&sp.u.set, &se2.u.set));
    T_CHECK(cd_set_intersects(&sout.u.set, &se2.u.set));
    T_CHECK(cd_set_intersects(&sout.u.set, &so2.u.set));
    T_CHECK(!cd_set_intersects(&sp.u.set, &so2.u.set));
    T_CHECK(!cd_set_intersects(&se2.u.set, &so2.u.set));
    T_CHECK(!cd_set_subset(&se2.u.set, &so2.u.set));
    T_CHECK(cd_set_subset(&se2.u.set, &se2.u.set));
    cd_value half[N / 2];
    for (int i = 0; i < N / 2; i++)
        half[i] = cd_long(4 * i);
    cd_value sh = set_of(half, N / 2);
    T_CHECK(cd_set_subset(&sh.u.set, &se2.u.set));
    T_CHECK(cd_set_intersects(&sh.u.set, &se2.u.set));
    T_CHECK(!cd_set_intersects(&sh.u.set, &so2.u.set));
    for (int i = 0; i < 2 * N; i++) {
        cd_value v = cd_long(i);
        T_CHECK(cd_set_contains(&se2.u.set, &v) == (i % 2 == 0));
    }
    /* sets of sets of mixed kinds */
    cd_value mixed[] = {str("a"), cd_long(1), sa};
    cd_value sm = set_of(mixed, 3);
    cd_value probe = set_of(c, 2);
    T_CHECK(!cd_set_contains(&sm.u.set, &probe));
    cd_value probe2 = set_of(a, 3);
    T_CHECK(cd_set_contains(&sm.u.set, &probe2));
}

static void test_print(void)
{
    cd_value v = cd_long(-42);
    T_CHECK_STR(printed(&v), "-42");
    v = cd_long(INT64_MIN);
    T_CHECK_STR(printed(&v), "-9223372036854775808");
    v = cd_bool(true);
    T_CHECK_STR(printed(&v), "true");

    /* Rust's escape_debug, as Cedar displays strings */
    T_CHECK_STR(quoted("", 0), "\"\"");
    T_CHECK_STR(quoted("a\"b", 3), "\"a\\\"b\"");
    T_CHECK_STR(quoted("back\\slash", 10), "\"back\\\\slash\"");
    T_CHECK_STR(quoted("it's", 4), "\"it\\'s\"");
    T_CHECK_STR(quoted("\n\r\t", 3), "\"\\n\\r\\t\"");
    T_CHECK_STR(quoted("a\0b", 3), "\"a\\0b\"");
    T_CHECK_STR(quoted("\x01\x1f\x7f", 3), "\"\\u{1}\\u{1f}\\u{7f}\"");
    T_CHECK_STR(quoted("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14),
                "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");  /* printable, kept */
    T_CHECK_STR(quoted("\xc2\x85", 2), "\"\\u{85}\"");             /* C1 control */
    T_CHECK_STR(quoted("\xc2\xa0", 2), "\"\\u{a0}\"");             /* no-break space */
    T_CHECK_STR(quoted("a\xe2\x80\x8b", 4), "\"a\\u{200b}\"");     /* zero width space */
    T_CHECK_STR(quoted("\xe2\x80\xa8", 3), "\"\\u{2028}\"");       /* line separator */
    T_CHECK_STR(quoted("\xef\xbb\xbf", 3), "\"\\u{feff}\"");       /* BOM */
    T_CHECK_STR(quoted("\xee\x80\x80", 3), "\"\\u{e000}\"");       /* private use */
    T_CHECK_STR(quoted("\xf4\x8f\xbf\xbf", 4), "\"\\u{10ffff}\""); /* noncharacter */
    /* a combining mark is escaped only at the start of the string */
    T_CHECK_STR(quoted("\xcc\x81x", 3), "\"\\u{301}x\"");
    T_CHECK_STR(quoted("x\xcc\x81", 3), "\"x\xcc\x81\"");
    T_CHECK_STR(quoted("\xff", 1), "\"\\u{fffd}\""); /* not UTF-8 */

    v = ent("User", "alice");
    T_CHECK_STR(printed(&v), "User::\"alice\"");
    v = ent("NS::Photo", "a\"b\n");
    T_CHECK_STR(printed(&v), "NS::Photo::\"a\\\"b\\n\"");
    cd_uid u = {cd_name_intern(NULL, "A", 1), CD_STR_LIT(""), 0};
    cd_buf b;
    cd_buf_init(&b);
    cd_uid_print(&b, &u);
    T_CHECK_STR(cd_buf_cstr(&b), "A::\"\"");
    cd_buf_free(&b);

    const char *keys[] = {"b", "a\"", "if"};
    cd_value vals[] = {str("x"), cd_long(1), cd_bool(false)};
    v = rec_of(keys, vals, 3);
    T_CHECK_STR(printed(&v), "{\"a\\\"\": 1, \"b\": \"x\", \"if\": false}");
    cd_value set_items[] = {str("b"), ent("User", "a"), cd_long(2)};
    v = set_of(set_items, 3);
    T_CHECK_STR(printed(&v), "[2, \"b\", User::\"a\"]");

    v = ext(CD_FN_DECIMAL, "-1.5");
    T_CHECK_STR(printed(&v), "decimal(\"-1.5000\")");
    v = ext(CD_FN_IP, "10.0.0.0/8");
    T_CHECK_STR(printed(&v), "ip(\"10.0.0.0/8\")");
    v = ext(CD_FN_IP, "::1");
    T_CHECK_STR(printed(&v), "ip(\"::1\")");
    v = ext(CD_FN_DATETIME, "2024-10-28T01:22:33.456Z");
    T_CHECK_STR(printed(&v), "datetime(\"2024-10-28T01:22:33.456Z\")");
    v = ext(CD_FN_DATETIME, "2024-10-28T00:00:00+0100");
    T_CHECK_STR(printed(&v), "datetime(\"2024-10-27T23:00:00Z\")");
    v = ext(CD_FN_DURATION, "1d2h3m4s50ms");
    T_CHECK_STR(printed(&v), "duration(\"93784050ms\")");
}

static void test_names(void)
{
    T_CHECK_STR(cd_vkind_name(CD_V_BOOL), "bool");
    T_CHECK_STR(cd_vkind_name(CD_V_LONG), "long");
    T_CHECK_STR(cd_vkind_name(CD_V_STRING), "string");
    T_CHECK_STR(cd_vkind_name(CD_V_ENTITY), "entity");
    T_CHECK_STR(cd_vkind_name(CD_V_SET), "set");
    T_CHECK_STR(cd_vkind_name(CD_V_RECORD), "record");
    T_CHECK_STR(cd_vkind_name(CD_V_EXT), "extension");
    cd_value v = ext(CD_FN_IP, "1.2.3.4");
    T_CHECK_STR(cd_value_type_name(&v), "ipaddr");
    v = ext(CD_FN_DURATION, "1h");
    T_CHECK_STR(cd_value_type_name(&v), "duration");
    v = ext(CD_FN_DATETIME, "2020-01-01");
    T_CHECK_STR(cd_value_type_name(&v), "datetime");
    v = ext(CD_FN_DECIMAL, "1.1");
    T_CHECK_STR(cd_value_type_name(&v), "decimal");
    v = str("x");
    T_CHECK_STR(cd_value_type_name(&v), "string");
}

int main(void)
{
    A = cd_arena_new();
    T_RUN(test_set_make);
    T_RUN(test_nested);
    T_RUN(test_records);
    T_RUN(test_eq_cmp_hash);
    T_RUN(test_set_ops);
    T_RUN(test_print);
    T_RUN(test_names);
    cd_arena_free(A);
    T_DONE();
}
