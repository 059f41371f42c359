/* Tests of the JSON schema format: its forms, its errors and their
 * locations, duplicate and NUL keys, the nesting limit. Expectations follow
 * the official implementation's serde definitions (validator/json_schema.rs). */
#include "t_schema.h"

/* ---- JSON format ------------------------------------------------------------ */

static void test_json_basic(void)
{
    cd_schema *s =
        JSON("{\"\": {\n"
             "  \"commonTypes\": {\"Name\": {\"type\": \"String\", \"annotations\": {\"doc\": "
             "\"n\"}}},\n"
             "  \"entityTypes\": {\n"
             "    \"User\": {\"memberOfTypes\": [\"Group\"], \"shape\": {\"type\": \"Record\", "
             "\"attributes\": {\n"
             "      \"name\": {\"type\": \"Name\"},\n"
             "      \"age\": {\"type\": \"Long\", \"required\": false, \"annotations\": {\"a\": "
             "null}},\n"
             "      \"ok\": {\"type\": \"Boolean\"},\n"
             "      \"friends\": {\"type\": \"Set\", \"element\": {\"type\": \"Entity\", \"name\": "
             "\"User\"}},\n"
             "      \"boss\": {\"type\": \"EntityOrCommon\", \"name\": \"User\"},\n"
             "      \"ip\": {\"type\": \"Extension\", \"name\": \"ipaddr\"},\n"
             "      \"b\": {\"type\": \"Bool\"}\n"
             "    }}},\n"
             "    \"Group\": {\"annotations\": {}},\n"
             "    \"Color\": {\"enum\": [\"red\", \"blue\"]},\n"
             "    \"Doc\": {\"tags\": {\"type\": \"Set\", \"element\": {\"type\": \"String\"}}}\n"
             "  },\n"
             "  \"actions\": {\n"
             "    \"all\": {},\n"
             "    \"view\": {\"memberOf\": [{\"id\": \"all\"}, {\"id\": \"all\", \"type\": "
             "\"Action\"}],\n"
             "      \"appliesTo\": {\"principalTypes\": [\"User\"], \"resourceTypes\": [\"Doc\", "
             "\"Group\"],\n"
             "        \"context\": {\"type\": \"Record\", \"attributes\": {\"x\": {\"type\": "
             "\"Long\"}}}}},\n"
             "    \"none\": {\"appliesTo\": {\"principalTypes\": [], \"resourceTypes\": []}}\n"
             "  }\n"
             "}}");
    T_CHECK(s);
    if (!s) return;
    T_CHECK(s->n_entities == 4 && s->n_actions == 3);
    T_CHECK(s->entities[0].name == N("User") && s->entities[3].name == N("Doc"));
    T_CHECK_STR(shape(ent(s, "User")), "{age?: Long, b: Bool, boss: User, friends: Set<User>, "
                                       "ip: ipaddr, name: String, ok: Bool}");
    T_CHECK(ent(s, "User")->loc.line == 4 && ent(s, "User")->loc.column == 5);
    T_CHECK(ent(s, "User")->member_of[0] == N("Group"));
    T_CHECK(ent(s, "Color")->is_enum && ent(s, "Color")->n_enum == 2);
    T_CHECK_STR(ty(ent(s, "Doc")->tags), "Set<String>");
    const cd_action_decl *v = act(s, "Action", "view");
    T_CHECK(v && v->n_member_of == 1 && has_parent(v, "Action", "all"));
    T_CHECK(v && v->has_applies_to && v->n_resources == 2);
    T_CHECK_STR(ty(v->context), "{x: Long}");
    T_CHECK(v && v->loc.line == 19);
    const cd_action_decl *a = act(s, "Action", "all");
    T_CHECK(a && !a->has_applies_to && a->context->kind == CD_T_RECORD);
    const cd_action_decl *none = act(s, "Action", "none");
    T_CHECK(none && none->has_applies_to && !none->n_principals && !none->n_resources);
    cd_schema_free(s);
}

static void test_json_namespaces(void)
{
    cd_schema *s =
        JSON("{\"A::B\": {\"entityTypes\": {\"X\": {\"memberOfTypes\": [\"Y\", \"C::Z\"]}, "
             "\"Y\": {}}, \"actions\": {\"a\": {\"memberOf\": [{\"id\": \"b\", \"type\": "
             "\"C::Action\"}, {\"id\": \"c\"}]}, \"c\": {}}},\n"
             " \"C\": {\"entityTypes\": {\"Z\": {}}, \"actions\": {\"b\": {}},"
             " \"annotations\": {\"doc\": \"c\"}},\n"
             " \"\": {\"entityTypes\": {}, \"actions\": {\"top\": {\"memberOf\": [{\"id\": "
             "\"b\", \"type\": \"C::Action\"}]}}}}");
    T_CHECK(s);
    const cd_entity_decl *x = ent(s, "A::B::X");
    T_CHECK(x && has_name(x->member_of, x->n_member_of, "A::B::Y") &&
            has_name(x->member_of, x->n_member_of, "C::Z"));
    const cd_action_decl *a = act(s, "A::B::Action", "a");
    T_CHECK(a && has_parent(a, "C::Action", "b") && has_parent(a, "A::B::Action", "c"));
    T_CHECK(has_parent(act(s, "Action", "top"), "C::Action", "b"));
    cd_schema_free(s);
    /* NUL and other odd characters in action names and attribute names */
    s = JSON("{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Record\", \"attributes\": "
             "{\"\\u0000\": {\"type\": \"Long\"}, \"a b\": {\"type\": \"Long\"}}}}}, \"actions\": "
             "{\"\\u0000\": {}, \"\\ud83d\\ude00\": {\"memberOf\": [{\"id\": \"\\u0000\"}]}}}}");
    T_CHECK(s && s->n_actions == 2 && s->actions[0].uid.id.len == 1 &&
            s->actions[0].uid.id.ptr[0] == 0);
    T_CHECK(s && ent(s, "E")->shape.n == 2 && ent(s, "E")->shape.attrs[0].name.len == 1);
    T_CHECK(s && s->actions[1].uid.id.len == 4 && s->actions[1].n_member_of == 1);
    cd_schema_free(s);
}

static void test_json_type_forms(void)
{
    /* {"type": X} names a common type only; EntityOrCommon either; Entity an entity */
    JSON_FAILS("{\"\": {\"entityTypes\": {\"T\": {}, \"E\": {\"shape\": {\"type\": \"Record\", "
               "\"attributes\": {\"a\": {\"type\": \"T\"}}}}}, \"actions\": {}}}",
               "failed to resolve type `T`: it has not been declared as a common type", 1, 86);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"E\": {\"tags\": {\"type\": \"Entity\", \"name\": "
               "\"String\"}}}, \"actions\": {}}}",
               "has not been declared as an entity type", 1, 37);
    cd_schema *s = JSON("{\"\": {\"commonTypes\": {\"T\": {\"type\": \"Record\", \"attributes\": "
                        "{}}}, \"entityTypes\": {\"E\": {\"shape\": {\"type\": \"T\"}, \"tags\": "
                        "{\"type\": \"EntityOrCommon\", \"name\": \"__cedar::Long\"}}}, "
                        "\"actions\": {}}}");
    T_CHECK(s && ent(s, "E")->shape.n == 0 && ent(s, "E")->tags->kind == CD_T_LONG);
    cd_schema_free(s);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"E\": {\"tags\": {\"type\": \"Extension\", \"name\": "
               "\"money\"}}}, \"actions\": {}}}",
               "unknown extension type `money`", 1, 37);
    JSON_FAILS(
        "{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Long\"}}}, \"actions\": {}}}",
        "shape of entity type `E` is declared with a type other than a record", 1, 38);
    JSON_FAILS(
        "{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Record\", \"attributes\": "
        "{}, \"additionalAttributes\": true}}}, \"actions\": {}}}",
        "additionalAttributes", 1, 38);
    s = JSON("{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Record\", \"attributes\": "
             "{}, \"additionalAttributes\": false}}}, \"actions\": {}}}");
    T_CHECK(s && !ent(s, "E")->shape.open);
    cd_schema_free(s);
}

static void test_json_errors(void)
{
    JSON_FAILS("{\"\": {\"entityTypes\": {}}}", "missing field `actions`", 1, 6);
    JSON_FAILS("{\"\": {\"actions\": {}}}", "missing field `entityTypes`", 1, 6);
    JSON_FAILS("{\"\": {\"entityTypes\": {}, \"actions\": {}, \"foo\": 1}}",
               "unknown field `foo` in a namespace (at `\"\".foo`)", 1, 41);
    JSON_FAILS(
        "{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": "
        "{\"a\": {\"type\": \"Long\", \"foo\": 1}}}}}, \"actions\": {}}}",
        "unknown field `foo` in a type (at `\"\".entityTypes.A.shape.attributes.a.foo`)", 1, 94);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"A\": {}, \"A\": {}}, \"actions\": {}}}",
               "duplicate key", 1, 32);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"A\": {\"enum\": []}}, \"actions\": {}}}",
               "at least one id", 1, 37);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"A\": {\"enum\": [\"x\"], \"memberOfTypes\": []}}, "
               "\"actions\": {}}}",
               "unexpected field in an enumerated entity type: memberOfTypes", 1, 28);
    JSON_FAILS("{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"attributes\": {}}}}}",
               "action attributes are not supported", 1, 58);
    JSON_FAILS("{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"appliesTo\": "
               "{\"principalTypes\": []}}}}}",
               "missing field `resourceTypes`", 1, 57);
    JSON_FAILS(
        "{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"memberOf\": [{\"id\": \"b\"}]}}}}",
        "undeclared action `Action::\"b\"` in memberOf (at `\"\".actions.a.memberOf[0]`)", 1, 57);
    JSON_FAILS("{\"N\": {\"entityTypes\": {}, \"actions\": {}}, \"\": {\"annotations\": {\"a\": "
               "\"b\"}, \"entityTypes\": {}, \"actions\": {}}}",
               "annotations are not allowed on the empty namespace", 1, 63);
    JSON_FAILS("{\"N::in\": {\"entityTypes\": {}, \"actions\": {}}}", "invalid namespace `N::in`",
               1, 2);
    JSON_FAILS("{\"__cedar\": {\"entityTypes\": {}, \"actions\": {}}}", "invalid namespace", 1, 2);
    JSON_FAILS("{\"\": {\"commonTypes\": {\"Record\": {\"type\": \"Long\"}}, \"entityTypes\": {}, "
               "\"actions\": {}}}",
               "reserved schema keyword", 1, 23);
    JSON_FAILS("{\"\": {\"commonTypes\": {\"T\": {\"type\": \"Long\", \"required\": true}}, "
               "\"entityTypes\": {}, \"actions\": {}}}",
               "unknown field `required`", 1, 45);
    /* fields are found in one pass: the first unknown one in document order
     * is the error, and the empty key is no field of a common type */
    JSON_FAILS("{\"\": {\"commonTypes\": {\"T\": {\"zz\": 1, \"type\": \"Long\", \"aa\": 2}}, "
               "\"entityTypes\": {}, \"actions\": {}}}",
               "unknown field `zz` in a type", 1, 29);
    JSON_FAILS("{\"\": {\"commonTypes\": {\"T\": {\"type\": \"Long\", \"\": true}}, "
               "\"entityTypes\": {}, \"actions\": {}}}",
               "unknown field `` in a type", 1, 45);
    JSON_FAILS("{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"memberOf\": [{\"id\": \"b\", "
               "\"type\": \"Action\", \"x\": 1}], \"y\": 2}}}}",
               "unknown field `y` in an action", 1, 97);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"a b\": {}}, \"actions\": {}}}",
               "invalid entity type name `a b`", 1, 23);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"A\": {\"memberOfTypes\": [\"B \"]}}, \"actions\": {}}}",
               "invalid entity type name `B `", 1, 47);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"A\": {\"shape\": null}}, \"actions\": {}}}",
               "found null", 1, 38);
    JSON_FAILS(
        "{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Set\"}}}, \"actions\": {}}}",
        "missing field `element`", 1, 38);
    JSON_FAILS(
        "{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Long\", \"name\": \"x\"}}}, "
        "\"actions\": {}}}",
        "unknown field `name` for type `Long`", 1, 55);
    JSON_FAILS(
        "{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"attributes\": {}}}}, \"actions\": {}}}",
        "missing field `type`", 1, 38);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"A\": {\"annotations\": {\"x\": 1}}}, \"actions\": {}}}",
               "expected a string annotation value, found a number", 1, 50);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"Action\": {}}, \"actions\": {}}}",
               "entity type `Action` cannot be declared", 1, 23);
    /* name checks are the same as in the text format */
    JSON_FAILS(
        "{\"\": {\"entityTypes\": {\"User\": {}}, \"actions\": {}}, \"A\": {\"entityTypes\": "
        "{\"User\": {}}, \"actions\": {}}}",
        "illegally shadowed", 1, 23);
    JSON_FAILS("{\"\": {\"commonTypes\": {\"T\": {\"type\": \"T\"}}, \"entityTypes\": {}, "
               "\"actions\": {}}}",
               "cycle in common type references", 1, 23);
    /* malformed JSON */
    JSON_FAILS("[1, 2]", "must be an object", 1, 1);
    JSON_FAILS("{\"\": {\"entityTypes\": {}, \"actions\": {}}} x", "trailing characters", 1, 42);
    JSON_FAILS("{\"\": {\"entityTypes\": {}, \"actions\": {}", "expected `,` or `}`", 1, 39);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"a\\ud800\": {}}, \"actions\": {}}}", "lone surrogate",
               1, 25);
    JSON_FAILS("{\"\": {\"entityTypes\": {\"a\nb\": {}}, \"actions\": {}}}", "control character", 1,
               25);
    /* a leading zero followed by digits: serde_json's "invalid number" at the digit */
    JSON_FAILS("{\"\": {\"entityTypes\": {}, \"actions\": {}, \"annotations\": {\"a\": 01}}}",
               "invalid number", 1, 63);
    JSON_FAILS("", "unexpected end of input", 1, 1);
    T_CHECK(fails(true, "{\"\xff\": 1}", 8, "invalid UTF-8", 1, 3));
}

/* ---- JSON format: locations, keys and nesting from the JSON reader --------------- */

/* Line and column of the n-th (0-based) occurrence of needle in src. */
static void where(const char *src, const char *needle, int n, unsigned *line, unsigned *col)
{
    const char *p = strstr(src, needle);
    while (p && n-- > 0)
        p = strstr(p + 1, needle);
    *line = 1;
    *col = 1;
    for (const char *q = src; p && q < p; q++) {
        if (*q == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
    if (!p) *line = *col = 0; /* the test itself is wrong */
}

/* Expect an error containing msg at the n-th occurrence of needle. */
static bool fails_at(const char *src, const char *msg, const char *needle, int n)
{
    unsigned line, col;
    where(src, needle, n, &line, &col);
    if (!line) {
        fprintf(stderr, "`%s` not found in the test's own source\n", needle);
        return false;
    }
    return fails(true, src, strlen(src), msg, line, col);
}

static void test_json_duplicate_keys(void)
{
    /* in every object of the format, reported at the repeated key */
    const char *attrs = "{\"\": {\n"
                        "  \"entityTypes\": {\n"
                        "    \"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {\n"
                        "      \"x\": {\"type\": \"Long\"},\n"
                        "      \"x\": {\"type\": \"String\"}}}}},\n"
                        "  \"actions\": {}}}";
    T_CHECK(fails_at(attrs, "invalid JSON: duplicate key", "\"x\"", 1));
    const char *ns = "{\"N\": {\"entityTypes\": {}, \"actions\": {}},\n"
                     " \"N\": {\"entityTypes\": {}, \"actions\": {}}}";
    T_CHECK(fails_at(ns, "duplicate key", "\"N\"", 1));
    const char *fields = "{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"appliesTo\": {\n"
                         "  \"principalTypes\": [], \"resourceTypes\": [], \"principalTypes\": "
                         "[]}}}}}";
    T_CHECK(fails_at(fields, "duplicate key", "\"principalTypes\"", 1));
    const char *annot = "{\"\": {\"entityTypes\": {\"A\": {\"annotations\": {\"d\": \"1\", \"d\": "
                        "\"2\"}}}, \"actions\": {}}}";
    T_CHECK(fails_at(annot, "duplicate key", "\"d\"", 1));
    /* keys are compared after decoding: "\u0041" repeats "A" */
    const char *escaped =
        "{\"\": {\"entityTypes\": {\"A\": {}, \"\\u0041\": {}}, \"actions\": {}}}";
    T_CHECK(fails_at(escaped, "duplicate key", "\"\\u0041\"", 0));
    /* keys with NUL: equal only when every byte is */
    const char *nul = "{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Record\", "
                      "\"attributes\": {\"a\\u0000b\": {\"type\": \"Long\"}, \"a\\u0000c\": "
                      "{\"type\": \"Long\"}, \"a\\u0000b\": {\"type\": \"Long\"}}}}}, "
                      "\"actions\": {}}}";
    T_CHECK(fails_at(nul, "duplicate key", "\"a\\u0000b\"", 1));
    cd_schema *s = JSON("{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Record\", "
                        "\"attributes\": {\"a\\u0000b\": {\"type\": \"Long\"}, \"a\\u0000c\": "
                        "{\"type\": \"Long\"}}}}}, \"actions\": {}}}");
    T_CHECK(s && ent(s, "E")->shape.n == 2);
    cd_schema_free(s);
    /* the same key in different objects is no duplicate */
    s = JSON("{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": "
             "{\"A\": {\"type\": \"Long\"}}}}}, \"actions\": {\"A\": {}}}}");
    T_CHECK(s != NULL);
    cd_schema_free(s);
}

static void test_json_locations(void)
{
    /* errors at values, keys and array elements on later lines; escapes
     * before the error do not shift the column (offsets are in the text) */
    const char *src = "{\"\": {\n"
                      "  \"entityTypes\": {\n"
                      "    \"\\u0041\": {\"memberOfTypes\": [\"\\u0042\",   \"B C\"]},\n"
                      "    \"B\": {}},\n"
                      "  \"actions\": {}}}";
    T_CHECK(fails_at(src,
                     "invalid entity type name `B C` (at `\"\".entityTypes.A.memberOfTypes[1]`)",
                     "\"B C\"", 0));
    src = "{\"\": {\n"
          "  \"entityTypes\": {\n"
          "    \"A\": {\"shape\":\n"
          "\n"
          "        null}},\n"
          "  \"actions\": {}}}";
    T_CHECK(fails_at(src, "found null (at `\"\".entityTypes.A.shape`)", "null", 0));
    src = "{\"\": {\n"
          "  \"entityTypes\": {},\n"
          "  \"actions\": {\"view\": {\"appliesTo\": {\"principalTypes\": [],\n"
          "                                     \"resourceTypes\": [], \"ctx\": {}}}}}}";
    T_CHECK(fails_at(src, "unknown field `ctx` in appliesTo", "\"ctx\"", 0));
    /* an error of the resolver, at the type object of the attribute */
    src = "{\"\": {\n"
          "  \"entityTypes\": {\n"
          "    \"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {\n"
          "      \"friend\":    {\"type\": \"Entity\", \"name\": \"Nope\"}}}}},\n"
          "  \"actions\": {}}}";
    T_CHECK(fails_at(src, "failed to resolve type `Nope`", "{\"type\": \"Entity\"", 0));
    /* the top-level value after white space */
    T_CHECK(fails_at(" \n\n   [{}]", "must be an object", "[", 0));
    /* declarations keep their document order and locations */
    src = "{\"\": {\"entityTypes\": {\n"
          "  \"Z\": {},\n"
          "  \"A\": {},\n"
          "  \"M\": {}},\n"
          " \"actions\": {\"b\": {}, \"a\": {}}}}";
    cd_schema *s = JSON(src);
    T_CHECK(s && s->n_entities == 3 && s->n_actions == 2);
    if (s && s->n_entities == 3 && s->n_actions == 2) {
        T_CHECK_STR(s->entities[0].name->text, "Z");
        T_CHECK_STR(s->entities[1].name->text, "A");
        T_CHECK_STR(s->entities[2].name->text, "M");
        T_CHECK(s->entities[1].loc.line == 3 && s->entities[1].loc.column == 3);
        T_CHECK(s->entities[2].loc.line == 4 && s->entities[2].loc.column == 3);
        T_CHECK(cd_str_eq_c(s->actions[0].uid.id, "b") && cd_str_eq_c(s->actions[1].uid.id, "a"));
        unsigned line, col;
        where(src, "\"a\"", 0, &line, &col);
        T_CHECK(s->actions[1].loc.line == line && s->actions[1].loc.column == col && line == 5);
    }
    cd_schema_free(s);
}

static void test_json_nul_keys(void)
{
    /* \u0000 is a valid JSON key; what the schema then says about it */
    JSON_FAILS("{\"\": {\"entityTypes\": {\"\\u0000\": {}}, \"actions\": {}}}",
               "invalid entity type name `\\u{0}` (at `\"\".entityTypes.\\u{0}`)", 1, 23);
    JSON_FAILS("{\"N\\u0000\": {\"entityTypes\": {}, \"actions\": {}}}",
               "invalid namespace `N\\u{0}`", 1, 2);
    T_CHECK(fails_at("{\"\": {\"entityTypes\": {\"A\": {\"annotations\": {\"\\u0000\": \"x\"}}}, "
                     "\"actions\": {}}}",
                     "invalid annotation name `\\u{0}`", "\"\\u0000\"", 0));
    JSON_FAILS("{\"\": {\"entityTypes\": {}, \"actions\": {}, \"\\u0000\": {}}}",
               "unknown field `\\u{0}` in a namespace", 1, 41);
    /* as an attribute name and an action id it is fine */
    cd_schema *s = JSON("{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Record\", "
                        "\"attributes\": {\"\\u0000\": {\"type\": \"Long\", \"required\": "
                        "false}}}}}, \"actions\": {\"\\u0000x\": {\"appliesTo\": "
                        "{\"principalTypes\": [\"E\"], \"resourceTypes\": [\"E\"]}}}}}");
    T_CHECK(s && ent(s, "E")->shape.n == 1 && ent(s, "E")->shape.attrs[0].name.len == 1 &&
            ent(s, "E")->shape.attrs[0].name.ptr[0] == 0 && !ent(s, "E")->shape.attrs[0].required);
    T_CHECK(s && s->n_actions == 1 && s->actions[0].uid.id.len == 2 &&
            memcmp(s->actions[0].uid.id.ptr, "\0x", 2) == 0 && s->actions[0].n_principals == 1);
    cd_schema_free(s);
    /* an error inside an attribute named \u0000 names it in the path */
    JSON_FAILS("{\"\": {\"entityTypes\": {\"E\": {\"shape\": {\"type\": \"Record\", "
               "\"attributes\": {\"\\u0000\": {\"type\": \"Lng\"}}}}}, \"actions\": {}}}",
               "`Lng`: it has not been declared as a common type (at "
               "`\"\".entityTypes.E.shape.attributes.\\u{0}`)",
               0, 0);
}

/* {"": {"entityTypes": {"A": {"tags": <sets> {"type": "Long"} }}, "actions": {}}}:
 * four levels of objects, then one per Set, then the Long: 5 + sets. */
static char *nested_schema(size_t sets, size_t *len, unsigned *col_of_last)
{
    static const char head[] = "{\"\": {\"entityTypes\": {\"A\": {\"tags\": ";
    static const char set[] = "{\"type\": \"Set\", \"element\": ";
    static const char leaf[] = "{\"type\": \"Long\"}";
    static const char tail[] = "}}, \"actions\": {}}}";
    char *src = malloc(sizeof head + sets * (sizeof set + 1) + sizeof leaf + sizeof tail);
    size_t n = (size_t)sprintf(src, "%s", head);
    for (size_t i = 0; i < sets; i++)
        n += (size_t)sprintf(src + n, "%s", set);
    *col_of_last = (unsigned)n + 1;
    n += (size_t)sprintf(src + n, "%s", leaf);
    for (size_t i = 0; i < sets; i++)
        src[n++] = '}';
    n += (size_t)sprintf(src + n, "%s", tail);
    *len = n;
    return src;
}

static void test_json_nesting_limit(void)
{
    /* the types' nesting limit (CD_SCHEMA_MAX_TYPE_DEPTH) comes first: up to
     * it the sets are read, one more is refused at its place */
    size_t len;
    unsigned col;
    char *src = nested_schema(CD_SCHEMA_MAX_TYPE_DEPTH, &len, &col);
    cd_err err = {0};
    cd_schema *s = cd_schema_parse_json(src, len, "deep", &err);
    T_CHECK(s != NULL);
    const cd_type *t = s ? ent(s, "A")->tags : NULL;
    size_t depth = 0;
    while (t && t->kind == CD_T_SET) {
        t = t->u.elem;
        depth++;
    }
    T_CHECK(depth == CD_SCHEMA_MAX_TYPE_DEPTH && t && t->kind == CD_T_LONG);
    cd_schema_free(s);
    free(src);
    src = nested_schema(CD_SCHEMA_MAX_TYPE_DEPTH + 1, &len, &col);
    col -= (unsigned)strlen("{\"type\": \"Set\", \"element\": ");
    T_CHECK(fails(true, src, len, "types are nested too deeply (more than", 1, col));
    free(src);
    /* 127 levels of objects are read (and then the types are too deep); the
     * 128th is refused where it opens */
    src = nested_schema(122, &len, &col);
    T_CHECK(fails(true, src, len, "types are nested too deeply (more than", 0, 0));
    free(src);
    src = nested_schema(123, &len, &col);
    T_CHECK(fails(true, src, len, "invalid JSON: arrays and objects nested too deeply", 1, col));
    T_CHECK(fails(true, src, len, "127", 1, col));
    free(src);
    /* the limit holds wherever the nesting is, even where the schema never looks */
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_puts(&b, "{\"\": {\"entityTypes\": {}, \"actions\": {}, \"annotations\": {\"a\": ");
    unsigned at = (unsigned)b.len + 1 + 124;
    for (int i = 0; i < 200; i++)
        cd_buf_putc(&b, '[');
    T_CHECK(fails(true, b.data, b.len, "nested too deeply", 1, at));
    cd_buf_free(&b);
}

int main(void)
{
    T_RUN(test_json_basic);
    T_RUN(test_json_namespaces);
    T_RUN(test_json_type_forms);
    T_RUN(test_json_errors);
    T_RUN(test_json_duplicate_keys);
    T_RUN(test_json_locations);
    T_RUN(test_json_nul_keys);
    T_RUN(test_json_nesting_limit);
    T_DONE();
}
