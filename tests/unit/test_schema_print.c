/* test_schema_print.c: schemas printed back in the Cedar schema syntax and
 * as JSON (cedar_schema_to_text, cedar_schema_to_json,
 * cedar_schema_translate). The expected texts are the official engine's
 * output (cedar-wasm 4.10 schemaToText and schemaToJson) for each source. */
#include <stdlib.h>
#include <string.h>

#include "cedar/cedar.h"
#include "t.h"

typedef struct pcase {
    const char *name;
    const char *src;
    const char *text;     /* NULL: text output is an error ... */
    const char *text_err; /* ... whose message contains this */
    const char *json;     /* NULL: the schema is not valid (duplicates) */
} pcase;

static const pcase cases[] = {
    {"text",
     "@doc(\"hi\")\n"
     "namespace A::B {\n"
     "  type T = { a: Long, \"b c\"?: Set<String>, d: __cedar::ipaddr, e: Foo };\n"
     "  @x entity Foo in [Bar, Top] = { x: T, y?: Bool } tags String;\n"
     "  entity Bar, Baz;\n"
     "  entity E enum [\"a\", \"b\\n\"];\n"
     "  action \"view\", edit in [\"read\", Action::\"x\"] appliesTo { principal: [Foo], resource: "
     "Bar, context: T };\n"
     "  action read;\n"
     "}\n"
     "entity Top { z: A::B::Foo, \"if\": {@q a: Long}, } tags {x: Long};\n"
     "action \"x\";\n",
     "entity Top = {\n"
     "  \"if\": {\n"
     "    @q(\"\")\n"
     "    a: Long\n"
     "  },\n"
     "  z: A::B::Foo\n"
     "} tags {\n"
     "  x: Long\n"
     "};\n"
     "\n"
     "action \"x\";\n"
     "\n"
     "@doc(\"hi\")\n"
     "namespace A::B {\n"
     "  type T = {\n"
     "    a: Long,\n"
     "    \"b c\"?: Set<String>,\n"
     "    d: __cedar::ipaddr,\n"
     "    e: Foo\n"
     "  };\n"
     "\n"
     "  entity Bar;\n"
     "\n"
     "  entity Baz;\n"
     "\n"
     "  entity E enum [\"a\", \"b\\n\"];\n"
     "\n"
     "  @x(\"\")\n"
     "  entity Foo in [Bar, Top] = {\n"
     "    x: T,\n"
     "    y?: Bool\n"
     "  } tags String;\n"
     "\n"
     "  action \"edit\" in [Action::\"read\", Action::\"x\"] appliesTo {\n"
     "    principal: [Foo],\n"
     "    resource: [Bar],\n"
     "    context: T\n"
     "  };\n"
     "\n"
     "  action \"read\";\n"
     "\n"
     "  action \"view\" in [Action::\"read\", Action::\"x\"] appliesTo {\n"
     "    principal: [Foo],\n"
     "    resource: [Bar],\n"
     "    context: T\n"
     "  };\n"
     "}\n",
     NULL,
     "{\"\":{\"entityTypes\":{\"Top\":{\"shape\":{\"type\":\"Record\",\"attributes\":{\"if\":{"
     "\"type\":\"Record\",\"attributes\":{\"a\":{\"type\":\"EntityOrCommon\",\"name\":\"Long\","
     "\"annotations\":{\"q\":\"\"}}}},\"z\":{\"type\":\"EntityOrCommon\",\"name\":\"A::B::Foo\"}}},"
     "\"tags\":{\"type\":\"Record\",\"attributes\":{\"x\":{\"type\":\"EntityOrCommon\",\"name\":"
     "\"Long\"}}}}},\"actions\":{\"x\":{\"appliesTo\":{\"resourceTypes\":[],\"principalTypes\":[]}}"
     "}},\"A::B\":{\"commonTypes\":{\"T\":{\"type\":\"Record\",\"attributes\":{\"a\":{\"type\":"
     "\"EntityOrCommon\",\"name\":\"Long\"},\"b "
     "c\":{\"type\":\"Set\",\"element\":{\"type\":\"EntityOrCommon\",\"name\":\"String\"},"
     "\"required\":false},\"d\":{\"type\":\"EntityOrCommon\",\"name\":\"__cedar::ipaddr\"},\"e\":{"
     "\"type\":\"EntityOrCommon\",\"name\":\"Foo\"}}}},\"entityTypes\":{\"Bar\":{},\"Baz\":{},"
     "\"E\":{\"enum\":[\"a\",\"b\\n\"]},\"Foo\":{\"memberOfTypes\":[\"Bar\",\"Top\"],\"shape\":{"
     "\"type\":\"Record\",\"attributes\":{\"x\":{\"type\":\"EntityOrCommon\",\"name\":\"T\"},\"y\":"
     "{\"type\":\"EntityOrCommon\",\"name\":\"Bool\",\"required\":false}}},\"tags\":{\"type\":"
     "\"EntityOrCommon\",\"name\":\"String\"},\"annotations\":{\"x\":\"\"}}},\"actions\":{\"edit\":"
     "{\"appliesTo\":{\"resourceTypes\":[\"Bar\"],\"principalTypes\":[\"Foo\"],\"context\":{"
     "\"type\":\"T\"}},\"memberOf\":[{\"id\":\"read\"},{\"id\":\"x\",\"type\":\"Action\"}]},"
     "\"read\":{\"appliesTo\":{\"resourceTypes\":[],\"principalTypes\":[]}},\"view\":{"
     "\"appliesTo\":{\"resourceTypes\":[\"Bar\"],\"principalTypes\":[\"Foo\"],\"context\":{"
     "\"type\":\"T\"}},\"memberOf\":[{\"id\":\"read\"},{\"id\":\"x\",\"type\":\"Action\"}]}},"
     "\"annotations\":{\"doc\":\"hi\"}}}"},
    {"json_nulls",
     "{\"\": {\"entityTypes\": {\"X\": {\"annotations\": {\"a\": null, \"b\": \"v\"}, \"tags\": "
     "{\"type\": \"Extension\", \"name\": \"decimal\"}}}, \"actions\": {}}}",
     "@a\n"
     "@b(\"v\")\n"
     "entity X tags __cedar::decimal;\n",
     NULL,
     "{\"\":{\"entityTypes\":{\"X\":{\"tags\":{\"type\":\"Extension\",\"name\":\"decimal\"},"
     "\"annotations\":{\"a\":null,\"b\":\"v\"}}},\"actions\":{}}}"},
    {"escapes",
     "action \"a\\u{0}\\u{301}b\\u{301}\\u{7f}é\", \"\\u{301}x\" appliesTo {principal: X, "
     "resource: X, context: {}}; entity X {\"\\n\": Long, \"if\": Long, _a: Long, \"a b\": Long, "
     "__cedar: Long};",
     "entity X = {\n"
     "  \"\\n\": Long,\n"
     "  \"__cedar\": Long,\n"
     "  _a: Long,\n"
     "  \"a b\": Long,\n"
     "  \"if\": Long\n"
     "};\n"
     "\n"
     "action \"a\\0́b́\\u{7f}é\" appliesTo {\n"
     "  principal: [X],\n"
     "  resource: [X],\n"
     "  context: {}\n"
     "};\n"
     "\n"
     "action \"\\u{301}x\" appliesTo {\n"
     "  principal: [X],\n"
     "  resource: [X],\n"
     "  context: {}\n"
     "};\n",
     NULL,
     "{\"\":{\"entityTypes\":{\"X\":{\"shape\":{\"type\":\"Record\",\"attributes\":{\"\\n\":{"
     "\"type\":\"EntityOrCommon\",\"name\":\"Long\"},\"__cedar\":{\"type\":\"EntityOrCommon\","
     "\"name\":\"Long\"},\"_a\":{\"type\":\"EntityOrCommon\",\"name\":\"Long\"},\"a "
     "b\":{\"type\":\"EntityOrCommon\",\"name\":\"Long\"},\"if\":{\"type\":\"EntityOrCommon\","
     "\"name\":\"Long\"}}}}},\"actions\":{\"a\\u0000́b́\x7f"
     "é\":{\"appliesTo\":{\"resourceTypes\":[\"X\"],\"principalTypes\":[\"X\"]}},\"́x\":{"
     "\"appliesTo\":{\"resourceTypes\":[\"X\"],\"principalTypes\":[\"X\"]}}}}}"},
    {"order",
     "namespace A::B {entity X;} namespace C {entity X;} namespace B::A {entity X;} namespace A "
     "{entity X;} entity Q;",
     "entity Q;\n"
     "\n"
     "namespace A {\n"
     "  entity X;\n"
     "}\n"
     "\n"
     "namespace B::A {\n"
     "  entity X;\n"
     "}\n"
     "\n"
     "namespace A::B {\n"
     "  entity X;\n"
     "}\n"
     "\n"
     "namespace C {\n"
     "  entity X;\n"
     "}\n",
     NULL,
     "{\"\":{\"entityTypes\":{\"Q\":{}},\"actions\":{}},\"A\":{\"entityTypes\":{\"X\":{}},"
     "\"actions\":{}},\"B::A\":{\"entityTypes\":{\"X\":{}},\"actions\":{}},\"A::B\":{"
     "\"entityTypes\":{\"X\":{}},\"actions\":{}},\"C\":{\"entityTypes\":{\"X\":{}},\"actions\":{}}"
     "}"},
    {"empty_ns",
     "{\"\": {\"entityTypes\": {}, \"actions\": {}}, \"B\": {\"entityTypes\": {\"X\": {}}, "
     "\"actions\": {\"a\": {\"memberOf\": [], \"appliesTo\": {\"principalTypes\": [], "
     "\"resourceTypes\": [\"X\"]}}}}}",
     "\n"
     "namespace B {\n"
     "  entity X;\n"
     "\n"
     "  action \"a\";\n"
     "}\n",
     NULL,
     "{\"\":{\"entityTypes\":{},\"actions\":{}},\"B\":{\"entityTypes\":{\"X\":{}},\"actions\":{"
     "\"a\":{\"appliesTo\":{\"resourceTypes\":[\"X\"],\"principalTypes\":[]},\"memberOf\":[]}}}}"},
    {"json_types",
     "{\"N\": {\"commonTypes\": {\"C\": {\"type\": \"Record\", \"attributes\": {\"l\": {\"type\": "
     "\"Long\"}, \"s\": {\"type\": \"String\", \"required\": false}, \"b\": {\"type\": "
     "\"Boolean\"}, \"e\": {\"type\": \"Entity\", \"name\": \"N::X\"}, \"i\": {\"type\": "
     "\"Extension\", \"name\": \"ipaddr\"}, \"r\": {\"type\": \"C2\"}}}, \"C2\": {\"type\": "
     "\"Set\", \"element\": {\"type\": \"EntityOrCommon\", \"name\": \"X\"}, \"annotations\": "
     "{\"doc\": \"two\"}}}, \"entityTypes\": {\"X\": {\"memberOfTypes\": [\"X\"], \"shape\": "
     "{\"type\": \"Record\", \"attributes\": {\"c\": {\"type\": \"C\"}}}}}, \"actions\": "
     "{\"view\": {\"appliesTo\": {\"principalTypes\": [\"X\"], \"resourceTypes\": [\"X\"], "
     "\"context\": {\"type\": \"C\"}}, \"memberOf\": [{\"id\": \"g\", \"type\": \"N::Action\"}]}, "
     "\"g\": {}}}}",
     "namespace N {\n"
     "  type C = {\n"
     "    b: __cedar::Bool,\n"
     "    e: N::X,\n"
     "    i: __cedar::ipaddr,\n"
     "    l: __cedar::Long,\n"
     "    r: C2,\n"
     "    s?: __cedar::String\n"
     "  };\n"
     "\n"
     "  @doc(\"two\")\n"
     "  type C2 = Set<X>;\n"
     "\n"
     "  entity X in [X] = {\n"
     "    c: C\n"
     "  };\n"
     "\n"
     "  action \"g\";\n"
     "\n"
     "  action \"view\" in [N::Action::\"g\"] appliesTo {\n"
     "    principal: [X],\n"
     "    resource: [X],\n"
     "    context: C\n"
     "  };\n"
     "}\n",
     NULL,
     "{\"N\":{\"commonTypes\":{\"C\":{\"type\":\"Record\",\"attributes\":{\"b\":{\"type\":"
     "\"Boolean\"},\"e\":{\"type\":\"Entity\",\"name\":\"N::X\"},\"i\":{\"type\":\"Extension\","
     "\"name\":\"ipaddr\"},\"l\":{\"type\":\"Long\"},\"r\":{\"type\":\"C2\"},\"s\":{\"type\":"
     "\"String\",\"required\":false}}},\"C2\":{\"type\":\"Set\",\"element\":{\"type\":"
     "\"EntityOrCommon\",\"name\":\"X\"},\"annotations\":{\"doc\":\"two\"}}},\"entityTypes\":{"
     "\"X\":{\"memberOfTypes\":[\"X\"],\"shape\":{\"type\":\"Record\",\"attributes\":{\"c\":{"
     "\"type\":\"C\"}}}}},\"actions\":{\"g\":{},\"view\":{\"appliesTo\":{\"resourceTypes\":[\"X\"],"
     "\"principalTypes\":[\"X\"],\"context\":{\"type\":\"C\"}},\"memberOf\":[{\"id\":\"g\","
     "\"type\":\"N::Action\"}]}}}}"},
    {"collision", "namespace N { entity T; type T = Long; }", NULL,
     "There are name collisions: [N::T]",
     "{\"N\":{\"commonTypes\":{\"T\":{\"type\":\"EntityOrCommon\",\"name\":\"Long\"}},"
     "\"entityTypes\":{\"T\":{}},\"actions\":{}}}"},
    {"shape",
     "{\"\": {\"commonTypes\": {\"C\": {\"type\": \"Record\", \"attributes\": {}}}, "
     "\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"C\"}}}, \"actions\": {}}}",
     NULL,
     "The following entities have shapes that cannot be converted to Cedar schema syntax: [E]",
     "{\"\":{\"commonTypes\":{\"C\":{\"type\":\"Record\",\"attributes\":{}}},\"entityTypes\":{"
     "\"E\":{\"shape\":{\"type\":\"C\"}}},\"actions\":{}}}"},
    {"dup_ns", "namespace A { entity X; } namespace A { entity Y; }", NULL,
     "duplicate namespace id: `A`", NULL},
    {"dup_entity", "entity A; entity A;", NULL, "`A` is declared twice", NULL},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static bool has(const cedar_error *e, const char *part)
{
    return e->message && strstr(e->message, part);
}

/* A valid schema: parsed, printed both ways; the text output reads back to
 * itself and to the same JSON. */
static void check_case(const pcase *c)
{
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_schema *s = cedar_schema_parse(c->src, strlen(c->src), CEDAR_SCHEMA_AUTO, "s", &err);
    if (!c->json) {
        /* duplicates: rejected by the parser and by the translation */
        T_CHECK(s == NULL);
        cedar_error_clear(&err);
        char *t = cedar_schema_translate(c->src, strlen(c->src), CEDAR_SCHEMA_AUTO,
                                         CEDAR_SCHEMA_JSON, "s", &err);
        T_CHECK(t == NULL && has(&err, c->text_err));
        cedar_error_clear(&err);
        return;
    }
    if (!s) {
        fprintf(stderr, "%s: %s\n", c->name, err.message);
        T_CHECK(s != NULL);
        cedar_error_clear(&err);
        return;
    }
    char *json = cedar_schema_to_json(s, &err);
    T_CHECK_STR(json, c->json);
    char *text = cedar_schema_to_text(s, &err);
    if (c->text) {
        T_CHECK_STR(text, c->text);
    } else {
        T_CHECK(text == NULL && has(&err, c->text_err));
        cedar_error_clear(&err);
    }
    /* the fragment translation gives the same */
    char *tj = cedar_schema_translate(c->src, strlen(c->src), CEDAR_SCHEMA_AUTO, CEDAR_SCHEMA_JSON,
                                      "s", &err);
    T_CHECK_STR(tj, c->json);
    if (text && c->src[0] != '{') {
        /* text -> schema -> text again (from JSON it need not: a null
         * annotation reads back as "", an empty namespace disappears) */
        cedar_schema *s2 = cedar_schema_parse(text, strlen(text), CEDAR_SCHEMA_TEXT, "t", &err);
        T_CHECK(s2 != NULL);
        char *text2 = s2 ? cedar_schema_to_text(s2, &err) : NULL;
        T_CHECK_STR(text2, c->text);
        free(text2);
        cedar_schema_free(s2);
        /* JSON -> text */
        char *jt = cedar_schema_translate(json, strlen(json), CEDAR_SCHEMA_JSON, CEDAR_SCHEMA_TEXT,
                                          "j", &err);
        T_CHECK(jt != NULL);
        free(jt);
    }
    free(tj);
    free(text);
    free(json);
    cedar_schema_free(s);
    cedar_error_clear(&err);
}

static void test_official_outputs(void)
{
    for (size_t i = 0; i < N_CASES; i++)
        check_case(&cases[i]);
}

/* A fragment may name types it does not declare (the official CLI translates
 * it); a parsed schema may not. */
static void test_translate_fragment(void)
{
    const char *src = "entity A in [Group] { owner: User };";
    cedar_error err = CEDAR_ERROR_INIT;
    T_CHECK(cedar_schema_parse(src, strlen(src), CEDAR_SCHEMA_TEXT, "f", &err) == NULL);
    cedar_error_clear(&err);
    char *j =
        cedar_schema_translate(src, strlen(src), CEDAR_SCHEMA_TEXT, CEDAR_SCHEMA_JSON, "f", &err);
    T_CHECK_STR(j,
                "{\"\":{\"entityTypes\":{\"A\":{\"memberOfTypes\":[\"Group\"],\"shape\":{\"type\":"
                "\"Record\",\"attributes\":{\"owner\":{\"type\":\"EntityOrCommon\",\"name\":"
                "\"User\"}}}}},\"actions\":{}}}");
    char *t =
        j ? cedar_schema_translate(j, strlen(j), CEDAR_SCHEMA_JSON, CEDAR_SCHEMA_TEXT, "j", &err)
          : NULL;
    T_CHECK_STR(t, "entity A in [Group] = {\n  owner: User\n};\n");
    free(t);
    free(j);
}

/* Errors keep their location; NULL arguments are errors, not crashes. */
static void test_errors(void)
{
    cedar_error err = CEDAR_ERROR_INIT;
    const char *bad = "entity A {\n  a: Long,, };";
    T_CHECK(cedar_schema_translate(bad, strlen(bad), CEDAR_SCHEMA_TEXT, CEDAR_SCHEMA_JSON,
                                   "b.cedarschema", &err) == NULL);
    T_CHECK(err.line == 2 && err.file && strcmp(err.file, "b.cedarschema") == 0);
    cedar_error_clear(&err);
    const char *badj = "{\"\": {\"entityTypes\": {}, \"actions\": {}, \"x\": 1}}";
    T_CHECK(cedar_schema_translate(badj, strlen(badj), CEDAR_SCHEMA_JSON, CEDAR_SCHEMA_TEXT, "b",
                                   &err) == NULL);
    T_CHECK(has(&err, "unknown field"));
    cedar_error_clear(&err);
    T_CHECK(cedar_schema_translate(NULL, 0, CEDAR_SCHEMA_TEXT, CEDAR_SCHEMA_JSON, NULL, &err) ==
            NULL);
    cedar_error_clear(&err);
    T_CHECK(cedar_schema_translate("", 0, CEDAR_SCHEMA_TEXT, CEDAR_SCHEMA_AUTO, NULL, &err) ==
            NULL);
    cedar_error_clear(&err);
    T_CHECK(cedar_schema_to_text(NULL, &err) == NULL);
    cedar_error_clear(&err);
    T_CHECK(cedar_schema_to_json(NULL, &err) == NULL);
    cedar_error_clear(&err);
    /* the empty schema */
    char *e = cedar_schema_translate("", 0, CEDAR_SCHEMA_TEXT, CEDAR_SCHEMA_JSON, NULL, &err);
    T_CHECK_STR(e, "{}");
    free(e);
}

int main(void)
{
    T_RUN(test_official_outputs);
    T_RUN(test_translate_fragment);
    T_RUN(test_errors);
    T_DONE();
}
