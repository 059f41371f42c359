/* Tests of the direct entity reader (cd_entities_read.c): on every document
 * the store (or the error: message, line, column, offset) must be the one the
 * jansson path builds (cd_entities_read_direct = false), and the forms it is
 * meant to read must really be read directly (else the comparison would test
 * nothing). */
#include <stdint.h>
#include <stdlib.h>

#include "cd_json_impl.h"
#include "t.h"

/* ---- helpers ----------------------------------------------------------- */

static cd_schema *schema(const char *text)
{
    cd_err e = {0};
    cd_schema *s = cd_schema_parse_text(text, strlen(text), "test.cedarschema", &e);
    if (!s) fprintf(stderr, "schema error: %s\n", e.message ? e.message : "?");
    cd_err_clear(&e);
    return s;
}

/* Load len bytes both ways: the same store or the same error
 * (cd_entities_readers_differ). Returns 1 when loaded, 0 on an error (then
 * *msg, if not NULL, gets a copy of it). */
static int both(const char *json, size_t len, const cd_schema *s, char **msg)
{
    char *d = cd_entities_readers_differ(json, len, s);
    if (d) fprintf(stderr, "%s: %.*s\n", d, (int)len, json);
    T_CHECK(d == NULL);
    free(d);
    cd_err e = {0};
    cd_entities *x = cd_entities_load_json(json, len, "e.json", s, &e);
    int r = x != NULL;
    if (!x) {
        T_CHECK(e.message && e.loc.line >= 1 && e.loc.column >= 1); /* always a location */
        T_CHECK(e.file && strcmp(e.file, "e.json") == 0);
        if (msg) *msg = e.message ? strdup(e.message) : NULL;
    }
    cd_entities_free(x);
    cd_err_clear(&e);
    return r;
}

/* A document the direct reader reads, loading as the jansson path does. */
static void reads(const char *json, const cd_schema *s)
{
    size_t len = strlen(json);
    if (!cd_entities_read_directly(json, len, s)) fprintf(stderr, "not read directly: %s\n", json);
    T_CHECK(cd_entities_read_directly(json, len, s));
    T_CHECK(both(json, len, s, NULL) == 1);
}

/* A document that fails (as the jansson path fails) with a message containing want. */
static void fails(const char *json, size_t len, const cd_schema *s, const char *want)
{
    char *msg = NULL;
    T_CHECK(both(json, len, s, &msg) == 0);
    if (!msg || !strstr(msg, want))
        fprintf(stderr, "got %s, want %s\n", msg ? msg : "(none)", want);
    T_CHECK(msg && strstr(msg, want));
    free(msg);
}

#define E(attrs) "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":" attrs ",\"parents\":[]}]"

/* ---- tests ------------------------------------------------------------- */

static void test_common_forms(void)
{
    reads("[]", NULL);
    reads(" \n[ ]\t", NULL);
    reads(E("{}"), NULL);
    reads("[{\"parents\": [], \"attrs\": {\"x\": 1}, \"uid\": {\"id\": \"a\", \"type\": \"U\"}}]",
          NULL);
    reads("[{\"uid\":{\"__entity\":{\"type\":\"A::B\",\"id\":\"\"}},\"attrs\":{},\"parents\":["
          "{\"__entity\":{\"id\":\"p\",\"type\":\"G\"}},{\"type\":\"G\",\"id\":\"q\"},"
          "{\"type\":\"G\",\"id\":\"p\"}],\"tags\":{\"t\":[1,2,2]}},\n"
          " {\"uid\":{\"type\":\"G\",\"id\":\"p\"},\"attrs\":{},\"parents\":[{\"type\":\"G\","
          "\"id\":\"q\"}]}]",
          NULL);
    reads(E("{\"s\":\"x\",\"n\":-42,\"b\":true,\"f\":false,\"set\":[3,1,3],\"r\":{\"k\":{\"j\":["
            "]}},\"e\":{\"__entity\":{\"type\":\"U\",\"id\":\"b\"}},\"rec\":{\"type\":\"U\","
            "\"id\":\"b\"}}"),
          NULL);
    /* constructor escapes */
    reads(E("{\"ip\":{\"__extn\":{\"fn\":\"ip\",\"arg\":\"10.0.0.0/8\"}},\"d\":{\"__extn\":{"
            "\"arg\":\"1.5\",\"fn\":\"decimal\"}},\"t\":{\"__extn\":{\"fn\":\"datetime\",\"arg\":"
            "\"2024-01-01\"}},\"du\":[{\"__extn\":{\"fn\":\"duration\",\"arg\":\"1h\"}}]}"),
          NULL);
    reads(E("{\"x\":[{\"fn\":\"f\",\"arg\":1}],\"y\":[{\"fn\":\"unknown\"},1]}"), NULL);
    /* identical duplicates are one entity; an action's parents are actions */
    reads("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]},"
          "{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]},"
          "{\"uid\":{\"type\":\"NS::Action\",\"id\":\"v\"},\"attrs\":{},\"parents\":[{\"type\":"
          "\"Action\",\"id\":\"all\"}]}]",
          NULL);
}

/* Records share their sorted key arrays with the record before when the keys
 * are the same (cd_json_direct.c make_record): keys that differ in one
 * name, in number, in order only, or are too long to be kept once, each
 * give their own record. */
static void test_shared_keys(void)
{
    char long_key[100];
    memset(long_key, 'k', 80);
    long_key[80] = 0;
    char doc[2048];
    snprintf(doc, sizeof doc,
             "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"a\":1,\"b\":2,\"r\":{\"a\":3,"
             "\"b\":4}},\"parents\":[]},"
             "{\"uid\":{\"type\":\"U\",\"id\":\"b\"},\"attrs\":{\"a\":1,\"c\":2,\"r\":{\"b\":3,"
             "\"a\":4}},\"parents\":[]},"
             "{\"uid\":{\"type\":\"U\",\"id\":\"c\"},\"attrs\":{\"r\":{\"a\":1},\"b\":2,\"a\":3},"
             "\"parents\":[],\"tags\":{\"a\":1,\"b\":2}},"
             "{\"uid\":{\"type\":\"U\",\"id\":\"d\"},\"attrs\":{\"%s\":1,\"a\":[{\"%s\":2}]},"
             "\"parents\":[]}]",
             long_key, long_key);
    reads(doc, NULL);
    cd_err e = {0};
    cd_entities *es = cd_entities_load_json(doc, strlen(doc), "e.json", NULL, &e);
    T_CHECK(es != NULL);
    const cd_entity *b = es ? cd_entities_at(es, 1) : NULL;
    T_CHECK(b && b->attrs.n == 3 && cd_str_eq_c(b->attrs.keys[1], "c"));
    T_CHECK(b && cd_str_eq_c(b->attrs.vals[2].u.rec.keys[0], "a") &&
            b->attrs.vals[2].u.rec.vals[0].u.l == 4);
    cd_entities_free(es);
    cd_err_clear(&e);
}

static void test_strings(void)
{
    /* escapes, \u incl. a surrogate pair, and NUL, in values and keys */
    reads(E("{\"a\\u0000b\":\"x\\u0000y\",\"q\\\"\":\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\ud83d\\ude00\":"
            "\"\\uD83D\\uDE00\\u00e9\\u20AC\"}"),
          NULL);
    reads(E("{\"\xc3\xa9\":\"\xe2\x82\xac\xf0\x9f\x98\x80\"}"), NULL); /* raw UTF-8 */
    reads("[{\"uid\":{\"type\":\"U\",\"id\":\"\\u0000\\ud800\\udc00\"},\"attrs\":{},\"parents\":"
          "[]}]",
          NULL);
    fails(E("{\"a\":\"\\ud800\"}"), strlen(E("{\"a\":\"\\ud800\"}")), NULL, "lone surrogate");
    fails(E("{\"a\":\"\\udc00x\"}"), strlen(E("{\"a\":\"\\udc00x\"}")), NULL, "lone surrogate");
    fails(E("{\"\\ud800\\u0041\":1}"), strlen(E("{\"\\ud800\\u0041\":1}")), NULL, "lone surrogate");
    fails(E("{\"a\":\"\\u12g4\"}"), strlen(E("{\"a\":\"\\u12g4\"}")), NULL, "invalid \\u escape");
    fails(E("{\"a\":\"\\x\"}"), strlen(E("{\"a\":\"\\x\"}")), NULL, "invalid escape");
    /* invalid UTF-8 in a value, a key, a uid, and a truncated sequence */
    static const char *const bad[] = {E("{\"a\":\"\xff\"}"), E("{\"\xc0\x80\":1}"),
                                      E("{\"a\":\"\xed\xa0\x80\"}"), E("{\"a\":\"\xe2\x82\"}")};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        fails(bad[i], strlen(bad[i]), NULL, "invalid UTF-8 in a string");
    /* a raw NUL (a control character) inside a string */
    char nul[] = E("{\"a\":\"x?y\"}");
    *strchr(nul, '?') = '\0';
    fails(nul, sizeof nul - 1, NULL, "control character in a string");
    char nulkey[] = E("{\"a?\":1}");
    *strchr(nulkey, '?') = '\0';
    fails(nulkey, sizeof nulkey - 1, NULL, "control character in a string");
}

static void test_numbers(void)
{
    reads(E("{\"max\":9223372036854775807,\"min\":-9223372036854775808,\"z\":0,\"m\":-1}"), NULL);
    static const char *const reals[] = {
        "9223372036854775808",           "-9223372036854775809", "-0", "1.0", "1e5", "0E0",
        "123456789012345678901234567890"};
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        char doc[256];
        snprintf(doc, sizeof doc, E("{\"n\":%s}"), reals[i]);
        fails(doc, strlen(doc), NULL, "numbers must be integers");
    }
    fails(E("{\"n\":1e400}"), strlen(E("{\"n\":1e400}")), NULL, "number out of range");
    fails(E("{\"n\":01}"), strlen(E("{\"n\":01}")), NULL, "invalid number");
    fails(E("{\"n\":-}"), strlen(E("{\"n\":-}")), NULL, "invalid number");
    fails(E("{\"n\":null}"), strlen(E("{\"n\":null}")), NULL, "not a Cedar value");
}

static void test_duplicate_keys(void)
{
    static const char *const docs[] = {
        ("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"uid\":{\"type\":\"U\",\"id\":\"a\"},"
         "\"attrs\":{},\"parents\":[]}]"),
        E("{\"a\":1,\"a\":1}"),
        E("{\"r\":{\"k\":1,\"k\":2}}"),
        "[{\"uid\":{\"type\":\"U\",\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}]",
        E("{\"x\":{\"__extn\":{\"fn\":\"ip\",\"fn\":\"ip\",\"arg\":\"1.2.3.4\"}}}"),
        E("{\"\\u0061\":1,\"a\":2}"),
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        fails(docs[i], strlen(docs[i]), NULL, "duplicate key");
    /* duplicate entities: the same error from the same entities either way */
    fails("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]},\n"
          "{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"x\":1},\"parents\":[]}]",
          strlen("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]},\n"
                 "{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"x\":1},\"parents\":[]}]"),
          NULL, "duplicate entity");
}

/* Nesting: the direct reader reads up to CD_ENTITIES_DIRECT_MAX_NESTING
 * levels and leaves deeper data to the jansson path (its recursion costs more
 * stack per level); both agree up to the parser's limit (127 levels) and
 * report it beyond, without recursion. */
static void test_nesting(void)
{
    for (size_t depth = 20; depth <= 130; depth++) {
        char doc[1024];
        size_t n = (size_t)snprintf(doc, sizeof doc,
                                    "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},"
                                    "\"parents\":[],\"attrs\":{\"a\":");
        for (size_t k = 0; k < depth; k++)
            doc[n++] = '[';
        for (size_t k = 0; k < depth; k++)
            doc[n++] = ']';
        n += (size_t)snprintf(doc + n, sizeof doc - n, "}}]");
        /* top array, entity, attrs: 3 levels before the value */
        T_CHECK(cd_entities_read_directly(doc, n, NULL) ==
                (depth + 3 <= CD_ENTITIES_DIRECT_MAX_NESTING));
        if (depth + 3 <= CD_JSON_MAX_NESTING) {
            T_CHECK(both(doc, n, NULL, NULL) == 1);
        } else {
            char *msg = NULL;
            T_CHECK(both(doc, n, NULL, &msg) == 0);
            T_CHECK(msg && strstr(msg, "nested too deeply"));
            free(msg);
        }
    }
    /* far deeper: no stack overflow */
    size_t big = 1000000;
    const char *head = "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"parents\":[],\"attrs\":{\"a\":";
    size_t hl = strlen(head);
    char *doc = malloc(hl + big);
    memcpy(doc, head, hl);
    memset(doc + hl, '[', big);
    char *msg = NULL;
    T_CHECK(!cd_entities_read_directly(doc, hl + big, NULL));
    T_CHECK(both(doc, hl + big, NULL, &msg) == 0);
    T_CHECK(msg && strstr(msg, "nested too deeply"));
    free(msg);
    free(doc);
}

/* Forms the direct reader leaves to jansson's path: the same store. */
static void test_other_forms(void)
{
    static const char *const docs[] = {
        "[[{\"type\":\"U\",\"id\":\"a\"},{},[]]]", /* positional entity */
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\",\"x\":1},\"attrs\":{},\"parents\":[],\"y\":2}]",
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[[\"U\",\"b\"]]}]",
        E("{\"x\":{\"__entity\":{\"type\":\"U\",\"id\":\"b\",\"z\":0}}}"),
        E("{\"x\":{\"__extn\":{\"fn\":\"ip\",\"args\":[\"1.2.3.4\"]}}}"),
        E("{\"x\":{\"__extn\":\"y\",\"z\":1}}"),
        E("{\"x\":[{\"fn\":\"unknown\",\"arg\":1}]}"),
        E("{\"x\":{\"__entity\":1}}"),
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        if (cd_entities_read_directly(docs[i], strlen(docs[i]), NULL))
            fprintf(stderr, "read: %s\n", docs[i]);
        T_CHECK(!cd_entities_read_directly(docs[i], strlen(docs[i]), NULL));
        both(docs[i], strlen(docs[i]), NULL, NULL);
    }
    /* what jansson's path rejects, the direct reader must not accept */
    /* an array is a set, even of one {"fn": "unknown", ...} (cedar-wasm 4.13) */
    static const char *const set_of_record = E("{\"x\":[{\"fn\":\"unknown\",\"arg\":\"u\"}]}");
    T_CHECK(both(set_of_record, strlen(set_of_record), NULL, NULL) == 1);
    static const char *const bad[] = {
        E("{\"x\":{\"__extn\":{\"fn\":\"unknown\",\"arg\":\"u\"}}}"),
        E("{\"x\":{\"__expr\":\"1\"}}"),
        E("{\"x\":{\"__extn\":{\"fn\":\"ip\",\"arg\":\"nope\"}}}"),
        E("{\"x\":{\"__extn\":{\"fn\":\"isIpv4\",\"arg\":\"1.2.3.4\"}}}"),
        "[{\"uid\":{\"type\":\"if\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}]",
        ("[{\"uid\":{\"type\":\"Action\",\"id\":\"a\"},\"attrs\":{},\"parents\":[{\"type\":\"U\","
         "\"id\":\"b\"}]}]"),
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[],\"tags\":null}]",
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{}}]",
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]},]",
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}] x",
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"a\":tru},\"parents\":[]}]",
        "{}",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        T_CHECK(!cd_entities_read_directly(bad[i], strlen(bad[i]), NULL));
        T_CHECK(both(bad[i], strlen(bad[i]), NULL, NULL) == 0);
    }
}

static void test_schema_typed(void)
{
    cd_schema *s = schema("entity G; entity U in [G] { boss?: U, ip?: ipaddr, d?: decimal, "
                          "gs?: Set<G>, r?: { a: Long, b?: String }, n?: Long } tags Long;"
                          "action view appliesTo { principal: U, resource: G };");
    T_CHECK(s != NULL);
    if (!s) return;
    reads("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"boss\":{\"type\":\"U\",\"id\":"
          "\"b\"},\"ip\":\"1.2.3.4\",\"d\":{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"1.25\"}},"
          "\"gs\":[{\"__entity\":{\"type\":\"G\",\"id\":\"g\"}}],\"r\":{\"a\":1},\"n\":3},"
          "\"parents\":[{\"type\":\"G\",\"id\":\"g\"}],\"tags\":{\"t\":7}},"
          "{\"uid\":{\"type\":\"G\",\"id\":\"g\"},\"attrs\":{},\"parents\":[]},"
          "{\"uid\":{\"type\":\"Action\",\"id\":\"view\"},\"attrs\":{},\"parents\":[]}]",
          s);
    /* errors after reading (conformance, steps 2-5): the same either way */
    static const char *const bad[] = {
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"n\":\"x\"},\"parents\":[]}]",
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"r\":{\"b\":\"x\"}},\"parents\":[]}]",
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"zz\":1},\"parents\":[]}]",
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"ip\":\"1.2.3\"},\"parents\":[]}]",
        ("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"d\":{\"__extn\":{\"fn\":\"ip\","
         "\"arg\":\"1.2.3.4\"}}},\"parents\":[]}]"),
        ("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[{\"type\":\"U\",\"id\":"
         "\"b\"}]}]"),
        ("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{},\"parents\":[],\"tags\":{\"t\":"
         "\"s\"}}]"),
        "[{\"uid\":{\"type\":\"G\",\"id\":\"a\"},\"attrs\":{},\"parents\":[],\"tags\":{\"t\":1}}]",
        "[{\"uid\":{\"type\":\"X\",\"id\":\"a\"},\"attrs\":{},\"parents\":[]}]",
        ("[{\"attrs\":{},\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"parents\":[]},\n"
         "{\"uid\":{\"type\":\"Action\",\"id\":\"edit\"},\"attrs\":{},\"parents\":[]}]"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        T_CHECK(both(bad[i], strlen(bad[i]), s, NULL) == 0);
    cd_schema_free(s);
}

/* Every prefix of a small document: an error with a location, as jansson's
 * path gives it (and no crash: the ASan build runs this too). */
/* Where an extension type is declared, a call without the `__extn` escape,
 * {"fn": F, "arg": A} in either order: read directly as jansson's path
 * reads it; its other forms are left to that path, or fail as it fails. */
static void test_implicit_calls(void)
{
    cd_schema *s = schema("entity U { ip?: ipaddr, d?: decimal, ds?: Set<decimal>, "
                          "t?: datetime, r?: { du: duration } };");
    T_CHECK(s != NULL);
    if (!s) return;
    reads("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"ip\":{\"fn\":\"ip\",\"arg\":"
          "\"10.0.0.0/8\"},\"d\":{\"arg\":\"1.5\",\"fn\":\"decimal\"},\"ds\":[{\"fn\":"
          "\"decimal\",\"arg\":\"2.0\"},\"3.0\"],\"t\":{ \"f\\u006e\" : \"datetime\", \"arg\":"
          "\"2024-01-01\"},\"r\":{\"du\":{\"fn\":\"duration\",\"arg\":\"1h\"}}},"
          "\"parents\":[]}]",
          s);
    const char *pre = "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"ip\":";
    static const char *const other[] = {
        "{\"fn\":\"ip\",\"arg\":\"1.2.3.4\",\"x\":1}",       /* another key (ignored there) */
        "{\"fn\":\"ip\",\"args\":[\"1.2.3.4\"]}",            /* args */
        "{\"fn\":\"ip\",\"fn\":\"ip\",\"arg\":\"1.2.3.4\"}", /* a repeated key */
        "{\"arg\":\"1.2.3.4\"}",                             /* no fn */
        "{\"fn\":\"isIpv4\",\"arg\":\"1.2.3.4\"}",           /* not a constructor */
        "{\"fn\":\"ip\",\"arg\":{\"__extn\":{\"fn\":\"unknown\",\"arg\":\"u\"}}}",
        "{\"fn\":\"ip\",\"arg\":\"nope\"}",     /* the constructor fails */
        "{\"fn\":\"ip\",\"arg\":1.5}",          /* a real */
        "{\"fn\":\"decimal\",\"arg\":\"1.0\"}", /* another extension type */
        "{\"fn\":1,\"arg\":\"1.2.3.4\"}",
        "{\"fn\":\"ip\",\"arg\":\"1.2.3.4\"",
        "{\"fn\"",
    };
    char doc[512];
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        int n = snprintf(doc, sizeof doc, "%s%s},\"parents\":[]}]", pre, other[i]);
        both(doc, (size_t)n, s, NULL);
    }
    cd_schema_free(s);
}

/* offset(datetime, duration) with the `__extn` escape, or without it where
 * an extension type is declared; typed, its arguments may be the
 * constructors' strings. */
static void test_offset_calls(void)
{
    cd_schema *s = schema("entity U { t?: datetime, ts?: Set<datetime>, d?: duration };");
    T_CHECK(s != NULL);
    if (!s) return;
    const char *dt = "{\"__extn\":{\"fn\":\"datetime\",\"arg\":\"1970-01-01\"}}";
    const char *du = "{\"__extn\":{\"fn\":\"duration\",\"arg\":\"-5ms\"}}";
    char doc[1024];
    /* typed: escaped or not, the arguments as calls or strings */
    snprintf(doc, sizeof doc,
             "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"t\":{\"__extn\":{\"fn\":"
             "\"offset\",\"args\":[%s,%s]}},\"ts\":[{\"fn\":\"offset\",\"args\":[\"1970-01-01\","
             "\"7d\"]},{\"__extn\":{\"fn\":\"offset\",\"args\":[\"2024-02-29T10:00:00Z\",%s]}}]}"
             ",\"parents\":[]}]",
             dt, du, du);
    reads(doc, s);
    /* untyped (no schema): escaped, the arguments escaped too */
    snprintf(doc, sizeof doc,
             "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"t\":{\"__extn\":{\"fn\":"
             "\"offset\",\"args\":[%s,%s]}}},\"parents\":[]}]",
             dt, du);
    reads(doc, NULL);
    /* the same either way: untyped strings, one argument or three, the
     * arguments swapped, args before fn, arg and args, another method, an
     * out-of-range result, a duration attribute given an offset */
    static const char *const other[] = {
        "{\"__extn\":{\"fn\":\"offset\",\"args\":[\"1970-01-01\",\"1ms\"]}}",
        "{\"__extn\":{\"fn\":\"offset\",\"args\":[\"1970-01-01\"]}}",
        "{\"__extn\":{\"fn\":\"offset\",\"args\":[\"1970-01-01\",\"1ms\",\"1ms\"]}}",
        "{\"__extn\":{\"fn\":\"offset\",\"args\":[\"1ms\",\"1970-01-01\"]}}",
        "{\"__extn\":{\"args\":[\"1970-01-01\",\"1ms\"],\"fn\":\"offset\"}}",
        "{\"__extn\":{\"fn\":\"offset\",\"arg\":\"1ms\",\"args\":[\"1970-01-01\",\"1ms\"]}}",
        "{\"__extn\":{\"fn\":\"durationSince\",\"args\":[\"1970-01-01\",\"1970-01-02\"]}}",
        "{\"__extn\":{\"fn\":\"offset\",\"args\":[\"+262142-12-31\",\"9999999999999d\"]}}",
        ("{\"__extn\":{\"fn\":\"offset\",\"args\":[{\"__extn\":{\"fn\":\"unknown\",\"arg\":"
         "\"u\"}},\"1ms\"]}}"),
        "{\"fn\":\"offset\",\"args\":[]}",
        "{\"__extn\":{\"fn\":\"offset\",\"args\":[\"1970-01-01\",\"1ms\"]},\"x\":1}",
    };
    const char *attrs[] = {"t", "d"};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        for (int k = 0; k < 2; k++)
            for (int typed = 0; typed < 2; typed++) {
                int n = snprintf(doc, sizeof doc,
                                 "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"%s\":%s},"
                                 "\"parents\":[]}]",
                                 attrs[k], other[i]);
                both(doc, (size_t)n, typed ? s : NULL, NULL);
            }
    cd_schema_free(s);
}

static void test_truncated(void)
{
    const char *doc =
        "[{\"uid\":{\"type\":\"U\",\"id\":\"a\\u00e9\"},\"attrs\":{\"n\":-12,\"s\":"
        "\"x\\ud83d\\ude00\","
        "\"e\":{\"__entity\":{\"type\":\"U\",\"id\":\"b\"}},\"ip\":{\"__extn\":{\"fn\":\"ip\","
        "\"arg\":\"1.2.3.4\"}},\"b\":[true,false]},\n\"parents\":[{\"type\":\"G\",\"id\":"
        "\"g\"}],\"tags\":{}}]";
    size_t n = strlen(doc);
    T_CHECK(cd_entities_read_directly(doc, n, NULL));
    T_CHECK(both(doc, n, NULL, NULL) == 1);
    for (size_t k = 0; k < n; k++) {
        char *p = malloc(k ? k : 1); /* exactly k bytes: ASan sees any read past them */
        memcpy(p, doc, k);
        T_CHECK(!cd_entities_read_directly(p, k, NULL));
        T_CHECK(both(p, k, NULL, NULL) == 0);
        free(p);
    }
}

/* Random edits of valid documents: whatever either path says, both say it. */
static void test_random_edits(void)
{
    static const char *const docs[] = {
        ("[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"n\":1,\"s\":\"x\",\"l\":[1,[2]],"
         "\"r\":{\"k\":true}},\"parents\":[{\"type\":\"G\",\"id\":\"g\"}]},{\"uid\":{\"type\":"
         "\"G\",\"id\":\"g\"},\"attrs\":{},\"parents\":[],\"tags\":{\"t\":\"v\"}}]"),
        ("[{\"uid\":{\"__entity\":{\"type\":\"U\",\"id\":\"a\"}},\"attrs\":{\"i\":{\"__extn\":{"
         "\"fn\":\"ip\",\"arg\":\"::1\"}},\"e\":{\"__entity\":{\"type\":\"U\",\"id\":\"b\"}}},"
         "\"parents\":[]}]"),
    };
    static const char ins[] = "[]{}\",:\\ 0-1eE.tfnu\x80\xff";
    uint64_t seed = 12345;
    size_t read = 0;
    for (int it = 0; it < 4000; it++) {
        const char *d = docs[it % 2];
        size_t n = strlen(d);
        char buf[512];
        memcpy(buf, d, n);
        for (int e = 0; e < 1 + it % 3; e++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = (size_t)(seed >> 33) % n;
            char c = ins[(seed >> 20) % (sizeof ins - 1)];
            switch ((seed >> 10) % 3) {
            case 0: buf[at] = c; break;                                      /* replace */
            case 1: memmove(buf + at, buf + at + 1, n - at - 1), n--; break; /* delete */
            default:
                if (n + 1 < sizeof buf) memmove(buf + at + 1, buf + at, n - at), buf[at] = c, n++;
            }
        }
        read += cd_entities_read_directly(buf, n, NULL);
        both(buf, n, NULL, NULL);
    }
    T_CHECK(read > 100); /* some edits keep a document the direct reader reads */
}

int main(void)
{
    T_RUN(test_common_forms);
    T_RUN(test_shared_keys);
    T_RUN(test_strings);
    T_RUN(test_numbers);
    T_RUN(test_duplicate_keys);
    T_RUN(test_nesting);
    T_RUN(test_other_forms);
    T_RUN(test_schema_typed);
    T_RUN(test_implicit_calls);
    T_RUN(test_offset_calls);
    T_RUN(test_truncated);
    T_RUN(test_random_edits);
    T_DONE();
}
