/* Tests of the schema text format, name resolution, the schema checks and
 * the agreement of both formats (the JSON format itself: test_schema_json.c).
 * Expectations follow the official implementation's rules (cedar-policy-core
 * validator/cedar_schema, json_schema.rs, schema.rs). */
#include "t_schema.h"

static void test_text_basic(void)
{
    cd_schema *s =
        TEXT("// a photo sharing app\n"
             "entity User in [Group] {\n"
             "  name: String,\n"
             "  age?: Long,\n"
             "  \"job title\": String,\n"
             "  active: Bool,\n"
             "};\n"
             "entity Group;\n"
             "entity Photo = { owner: User, tags: Set<String>, meta: { w: Long, h: Long } };\n"
             "action view, \"edit photo\" appliesTo {\n"
             "  principal: User,\n"
             "  resource: [Photo],\n"
             "  context: { ip: ipaddr, authenticated: Bool }\n"
             "};\n");
    T_CHECK(s);
    if (!s) return;
    T_CHECK(s->n_entities == 3 && s->n_actions == 2);
    /* declaration order */
    T_CHECK(s->entities[0].name == N("User") && s->entities[1].name == N("Group") &&
            s->entities[2].name == N("Photo"));
    T_CHECK(s->actions[0].uid.type == N("Action") && cd_str_eq_c(s->actions[0].uid.id, "view"));
    T_CHECK(cd_str_eq_c(s->actions[1].uid.id, "edit photo"));
    const cd_entity_decl *u = ent(s, "User");
    T_CHECK(u == &s->entities[0]);
    /* attributes sorted by name, optional ones marked */
    T_CHECK_STR(shape(u), "{active: Bool, age?: Long, \"job title\": String, name: String}");
    T_CHECK(u && u->n_member_of == 1 && u->member_of[0] == N("Group"));
    T_CHECK(u && !u->tags && !u->is_enum);
    T_CHECK(u && u->loc.line == 2 && u->loc.column == 8);
    T_CHECK_STR(shape(ent(s, "Group")), "{}");
    T_CHECK_STR(shape(ent(s, "Photo")),
                "{meta: {h: Long, w: Long}, owner: User, tags: Set<String>}");
    T_CHECK(attr_type(ent(s, "Photo"), "owner")->kind == CD_T_ENTITY);
    const cd_action_decl *v = act(s, "Action", "view");
    T_CHECK(v && v->has_applies_to && v->n_principals == 1 && v->principals[0] == N("User"));
    T_CHECK(v && v->n_resources == 1 && v->resources[0] == N("Photo"));
    T_CHECK(v && v->context->kind == CD_T_RECORD);
    T_CHECK_STR(ty(v->context), "{authenticated: Bool, ip: ipaddr}");
    T_CHECK(v && v->loc.line == 10 && v->loc.column == 8);
    const cd_action_decl *e = act(s, "Action", "edit photo");
    T_CHECK(e && !strcmp(ty(e->context), ty(v->context)));
    T_CHECK(!act(s, "Action", "nope") && !ent(s, "Nope"));
    T_CHECK(cd_schema_is_action_type(s, N("Action")));
    T_CHECK(!cd_schema_is_action_type(s, N("User")));
    cd_schema_free(s);
}

static void test_text_no_applies_to(void)
{
    cd_schema *s = TEXT("action a; action b attributes {};");
    T_CHECK(s && s->n_actions == 2);
    const cd_action_decl *a = act(s, "Action", "a");
    T_CHECK(a && !a->has_applies_to && a->n_principals == 0 && a->n_resources == 0);
    /* the context is always a record, empty when absent */
    T_CHECK(a && a->context && a->context->kind == CD_T_RECORD && a->context->u.rec.n == 0);
    cd_schema_free(s);
    /* appliesTo with only a context is incomplete */
    TEXT_FAILS("entity E; action a appliesTo { context: {} };", "missing `principal`", 1, 18);
}

static void test_text_enums_and_tags(void)
{
    cd_schema *s = TEXT("entity Color enum [\"red\", \"green\", \"\\u{1F600}\"];\n"
                        "entity Car in [Color] { color: Color } tags Set<String>;\n"
                        "entity Doc tags { a: Long };\n");
    T_CHECK(s);
    const cd_entity_decl *c = ent(s, "Color");
    T_CHECK(c && c->is_enum && c->n_enum == 3);
    T_CHECK(c && cd_str_eq_c(c->enum_ids[0], "red") && cd_str_eq_c(c->enum_ids[1], "green") &&
            cd_str_eq_c(c->enum_ids[2], "\xF0\x9F\x98\x80"));
    T_CHECK(c && !c->tags && c->shape.n == 0);
    const cd_entity_decl *car = ent(s, "Car");
    T_CHECK(car && car->tags && !strcmp(ty(car->tags), "Set<String>"));
    T_CHECK(car && !car->is_enum && car->n_member_of == 1);
    T_CHECK_STR(ty(ent(s, "Doc")->tags), "{a: Long}");
    cd_schema_free(s);
    TEXT_FAILS("entity E enum [];", "expected a string", 1, 16);
    TEXT_FAILS("entity E in [F] enum [\"a\"]; entity F;", "expected `;`", 1, 17);
}

static void test_text_common_types(void)
{
    cd_schema *s = TEXT("type Name = String;\n"
                        "type Addr = { street: Name, zip?: Long };\n"
                        "type Ctx = { addr: Addr, names: Set<Name> };\n"
                        "entity User { home: Addr, work: Addr };\n"
                        "action a appliesTo { principal: User, resource: User, context: Ctx };\n");
    T_CHECK(s);
    T_CHECK_STR(shape(ent(s, "User")),
                "{home: {street: String, zip?: Long}, work: {street: String, zip?: Long}}");
    T_CHECK_STR(ty(act(s, "Action", "a")->context),
                "{addr: {street: String, zip?: Long}, names: Set<String>}");
    /* common types are not entity types */
    T_CHECK(!ent(s, "Addr"));
    cd_schema_free(s);
}

static void test_text_annotations_and_comments(void)
{
    cd_schema *s =
        TEXT("@doc(\"the namespace\")\n"
             "namespace App { // comment\n"
             "  @doc(\"user\") @internal\n"
             "  entity User {\n"
             "    @doc(\"x\") @in(\"kw\") name: String, // trailing\n"
             "  };\n"
             "  @doc(\"t\") type T = Long;\n"
             "  @doc(\"a\") action \"read\" appliesTo { principal: User, resource: User };\n"
             "}\n"
             "@x entity Top;\n");
    T_CHECK(s && s->n_entities == 2 && s->n_actions == 1);
    T_CHECK_STR(shape(ent(s, "App::User")), "{name: String}");
    cd_schema_free(s);
}

static void test_text_keywords_as_names(void)
{
    /* keywords of the schema syntax may name things, Cedar's reserved words may not */
    cd_schema *s = TEXT("entity namespace, entity, type, appliesTo, principal, action, resource,\n"
                        "  context, attributes, tags, enum;\n"
                        "entity Set;\n"
                        "entity Foo in [namespace, Set, enum] {\n"
                        "  type: Long, Set: Set, in_: Bool, \"in\": String, if_: entity\n"
                        "};\n");
    T_CHECK(s && s->n_entities == 13);
    const cd_entity_decl *f = ent(s, "Foo");
    T_CHECK(f && f->n_member_of == 3 && has_name(f->member_of, 3, "Set"));
    T_CHECK(attr_type(f, "Set") && attr_type(f, "Set")->kind == CD_T_ENTITY);
    T_CHECK(attr_type(f, "in") && attr_type(f, "in")->kind == CD_T_STRING);
    T_CHECK_STR(ty(attr_type(f, "if_")), "entity");
    cd_schema_free(s);
    TEXT_FAILS("entity in;", "`in` is a reserved identifier", 1, 8);
    TEXT_FAILS("entity A { true: Long };", "`true` is a reserved identifier", 1, 12);
    TEXT_FAILS("namespace if { }", "`if` is a reserved identifier", 1, 11);
    TEXT_FAILS("action has;", "`has` is a reserved identifier", 1, 8);
}

static void test_text_strings(void)
{
    cd_schema *s = TEXT("action \"a\\n\\t\\\\\\\"\\'\\0\\x41\\u{e9}\\u{1_F600}\", \"\";");
    T_CHECK(s && s->n_actions == 2);
    T_CHECK(s && s->actions[0].uid.id.len == 14 &&
            memcmp(s->actions[0].uid.id.ptr, "a\n\t\\\"'\0A\xC3\xA9\xF0\x9F\x98\x80", 14) == 0);
    T_CHECK(s && s->actions[1].uid.id.len == 0);
    cd_schema_free(s);
    TEXT_FAILS("action \"\\q\";", "unknown character escape", 1, 9);
    TEXT_FAILS("action \"\\x80\";", "out of range hex escape", 1, 9);
    TEXT_FAILS("action \"\\u{D800}\";", "surrogate", 1, 9);
    TEXT_FAILS("action \"\\u{110000}\";", "at most 10FFFF", 1, 9);
    TEXT_FAILS("action \"\\u{1234567}\";", "overlong", 1, 9);
    TEXT_FAILS("action \"\\u{}\";", "empty unicode escape", 1, 9);
    TEXT_FAILS("action \"\\u{_1}\";", "invalid start", 1, 9);
    TEXT_FAILS("action \"\\u12\";", "incorrect unicode escape", 1, 9);
    TEXT_FAILS("action \"a\rb\";", "bare carriage return", 1, 10);
    TEXT_FAILS("action \"abc", "unterminated string", 1, 8);
}

static void test_text_multiple_names(void)
{
    cd_schema *s = TEXT("entity A, B in [C] { x: Long };\nentity C;\n"
                        "action r, w in [all] appliesTo { principal: A, resource: [B, C] };\n"
                        "action all;");
    T_CHECK(s && s->n_entities == 3 && s->n_actions == 3);
    T_CHECK_STR(shape(ent(s, "A")), "{x: Long}");
    T_CHECK_STR(shape(ent(s, "B")), "{x: Long}");
    T_CHECK(ent(s, "B") && ent(s, "B")->loc.column == 11);
    const cd_action_decl *w = act(s, "Action", "w");
    T_CHECK(w && has_parent(w, "Action", "all") && w->n_resources == 2);
    cd_schema_free(s);
}

static void test_text_syntax_errors(void)
{
    TEXT_FAILS("entity A", "unexpected end of input", 1, 9);
    TEXT_FAILS("entity A { x: Long", "unexpected end of input", 1, 19);
    TEXT_FAILS("entity A;\nentity B {\n  x: Long\n  y: Long };", "expected `,` or `}`", 4, 3);
    TEXT_FAILS("entity A { x: Set<Long };", "expected `>`", 1, 24);
    TEXT_FAILS("entity A = ;", "expected `{`", 1, 12);
    TEXT_FAILS("entity A in [B,];", "expected an entity type", 1, 16);
    TEXT_FAILS("entity A 1;", "unexpected token `1`", 1, 10);
    TEXT_FAILS("namespace N { entity A; };", "unexpected token `;`", 1, 26);
    TEXT_FAILS("namespace N { namespace M {} }", "expected `entity`, `action` or `type`", 1, 15);
    TEXT_FAILS("entity A { x: Long } $", "invalid token `$`", 1, 22);
    TEXT_FAILS("action a in [A::B];", "expected `::` followed by a string", 1, 18);
    TEXT_FAILS("action a in [];", "unexpected token `]`", 1, 14);
    TEXT_FAILS("entity A; action a appliesTo {};", "expected `principal`, `resource` or `context`",
               1, 31);
    TEXT_FAILS("entity A { @doc };", "unexpected token `}`", 1, 17);
    TEXT_FAILS("entity A { x: \"Long\" };", "expected a type", 1, 15);
    TEXT_FAILS("type T = Set;", "failed to resolve type `Set`", 1, 10);
    TEXT_FAILS("entity A { a: Long, , };", "expected an identifier", 1, 21);
    TEXT_FAILS("@doc(x) entity A;", "expected a string", 1, 6);
    /* truncated input and invalid UTF-8 */
    TEXT_FAILS("namespace N {", "unexpected end of input", 1, 14);
    T_CHECK(fails(false, "entity A { x: Long }; // \xff\n", 26, "invalid UTF-8", 1, 26));
    T_CHECK(fails(false, "entity \xc3", 8, "invalid UTF-8", 1, 8));
    /* Unicode whitespace separates tokens, other characters do not */
    cd_schema *s = TEXT("entity\xc2\xa0"
                        "A;\xe2\x80\xa8"
                        "entity\xe3\x80\x80"
                        "B;");
    T_CHECK(s && s->n_entities == 2);
    cd_schema_free(s);
    T_CHECK(fails(false,
                  "entity\xc2\xa1"
                  "A;",
                  9, "invalid character U+00A1", 1, 7));
    T_CHECK(fails(false, "entity A;\0", 10, "invalid character U+0000", 1, 10));
    /* an empty schema is fine */
    s = TEXT("  // nothing\n");
    T_CHECK(s && s->n_entities == 0 && s->n_actions == 0);
    cd_schema_free(s);
}

static void test_text_applies_to_errors(void)
{
    TEXT_FAILS("entity A; action a appliesTo { principal: [], resource: A };",
               "`principal` is `[]`", 1, 32);
    TEXT_FAILS("entity A; action a appliesTo { principal: A, resource: [] };", "`resource` is `[]`",
               1, 46);
    TEXT_FAILS("entity A; action a appliesTo { resource: A };", "missing `principal`", 1, 18);
    TEXT_FAILS("entity A; action \"b\", a appliesTo { principal: A };", "missing `resource`", 1,
               18);
    TEXT_FAILS("entity A; action a appliesTo { principal: A, resource: A, principal: A };",
               "duplicate `principal`", 1, 59);
    TEXT_FAILS("entity A; action a appliesTo { resource: A, principal: A, resource: A };",
               "duplicate `resource`", 1, 59);
    TEXT_FAILS("entity A; action a appliesTo { principal: A, resource: A, context: {}, "
               "context: {} };",
               "duplicate context", 1, 72);
    /* a context given by name must be a common type, and a record */
    TEXT_FAILS("entity A; action a appliesTo { principal: A, resource: A, context: A };",
               "not been declared as a common type", 1, 68);
    TEXT_FAILS("entity A; type C = Set<Long>;\n"
               "action a appliesTo { principal: A, resource: A, context: C };",
               "context of action `Action::\"a\"` is declared with a type other than a record", 2,
               58);
    /* a trailing comma is allowed */
    cd_schema *s = TEXT("entity A; type C = {x: Long};\n"
                        "action a appliesTo { context: C, principal: [A], resource: A, };");
    T_CHECK(s && !strcmp(ty(act(s, "Action", "a")->context), "{x: Long}"));
    cd_schema_free(s);
}

/* ---- name resolution ------------------------------------------------------- */

static void test_resolution_namespace_first(void)
{
    /* inside NS, X means NS::X when declared, otherwise X of the empty
     * namespace (both cannot be declared: RFC 70, tested below) */
    cd_schema *s = TEXT("entity Y; type U = Long;\n"
                        "namespace NS {\n"
                        "  entity X;\n"
                        "  entity E in [X, Y] { x: X, y: Y, t: T, u: U, q: NS::X, r: NS::T };\n"
                        "  type T = String;\n"
                        "}\n"
                        "namespace Other { entity Z in [NS::X] { e: NS::E, t: NS::T }; }\n");
    T_CHECK(s);
    const cd_entity_decl *e = ent(s, "NS::E");
    T_CHECK(e && has_name(e->member_of, e->n_member_of, "NS::X") &&
            has_name(e->member_of, e->n_member_of, "Y"));
    T_CHECK_STR(ty(attr_type(e, "x")), "NS::X");
    T_CHECK_STR(ty(attr_type(e, "y")), "Y");
    T_CHECK_STR(ty(attr_type(e, "t")), "String");
    T_CHECK_STR(ty(attr_type(e, "u")), "Long");
    T_CHECK_STR(ty(attr_type(e, "q")), "NS::X");
    T_CHECK_STR(ty(attr_type(e, "r")), "String");
    const cd_entity_decl *z = ent(s, "Other::Z");
    T_CHECK(z && z->n_member_of == 1 && z->member_of[0] == N("NS::X"));
    T_CHECK_STR(ty(attr_type(z, "e")), "NS::E");
    T_CHECK_STR(ty(attr_type(z, "t")), "String");
    cd_schema_free(s);
    /* a name of another namespace needs its qualification */
    TEXT_FAILS("namespace A { entity X; } namespace B { entity E { x: X }; }",
               "neither `B::X` nor `X` has been declared", 1, 55);
    /* a name qualified with a namespace is never looked up elsewhere */
    TEXT_FAILS("entity X; namespace NS { entity E { x: NS::X }; }",
               "failed to resolve type `NS::X`", 1, 40);
    /* the empty namespace does not see into named ones */
    TEXT_FAILS("namespace N { entity A; } entity B { a: N::A, b: A };",
               "failed to resolve type `A`", 1, 50);
}

static void test_resolution_common_before_entity(void)
{
    /* at the same candidate a common type wins over an entity type (RFC 24),
     * but memberOfTypes and appliesTo only consider entity types */
    cd_schema *s = TEXT("namespace A {\n"
                        "  type X = Long;\n"
                        "  entity X;\n"
                        "  entity Y in [X] { a: X };\n"
                        "  action a appliesTo { principal: X, resource: X };\n"
                        "}\n");
    T_CHECK(s);
    const cd_entity_decl *y = ent(s, "A::Y");
    T_CHECK(y && y->n_member_of == 1 && y->member_of[0] == N("A::X"));
    T_CHECK(attr_type(y, "a") && attr_type(y, "a")->kind == CD_T_LONG);
    T_CHECK(act(s, "A::Action", "a") && act(s, "A::Action", "a")->principals[0] == N("A::X"));
    cd_schema_free(s);
    /* an entity type NS::X and a common type X could not both exist (RFC 70) */
    TEXT_FAILS("type X = Long; namespace NS { entity X; entity E { a: X }; }", "illegally shadowed",
               1, 6);
}

static void test_resolution_builtins(void)
{
    cd_schema *s = TEXT("entity E {\n"
                        "  b: Bool, l: Long, s: String,\n"
                        "  i: ipaddr, d: decimal, t: datetime, u: duration,\n"
                        "  cb: __cedar::Bool, cl: __cedar::Long, cs: __cedar::String,\n"
                        "  ci: __cedar::ipaddr, cd: __cedar::decimal, ct: __cedar::datetime,\n"
                        "  cu: __cedar::duration\n"
                        "};");
    T_CHECK(s);
    const cd_entity_decl *e = ent(s, "E");
    T_CHECK(attr_type(e, "b")->kind == CD_T_BOOL && attr_type(e, "cb")->kind == CD_T_BOOL);
    T_CHECK(attr_type(e, "l")->kind == CD_T_LONG && attr_type(e, "cl")->kind == CD_T_LONG);
    T_CHECK(attr_type(e, "s")->kind == CD_T_STRING && attr_type(e, "cs")->kind == CD_T_STRING);
    T_CHECK(attr_type(e, "i")->kind == CD_T_EXT && attr_type(e, "i")->u.ext == CD_EXT_IPADDR);
    T_CHECK(attr_type(e, "d")->u.ext == CD_EXT_DECIMAL &&
            attr_type(e, "cd")->u.ext == CD_EXT_DECIMAL);
    T_CHECK(attr_type(e, "t")->u.ext == CD_EXT_DATETIME &&
            attr_type(e, "ct")->u.ext == CD_EXT_DATETIME);
    T_CHECK(attr_type(e, "u")->u.ext == CD_EXT_DURATION &&
            attr_type(e, "cu")->u.ext == CD_EXT_DURATION);
    T_CHECK(attr_type(e, "ci")->u.ext == CD_EXT_IPADDR);
    cd_schema_free(s);

    /* a declaration in the empty namespace shadows the builtin of that name
     * everywhere; `__cedar::` still reaches the builtin */
    s = TEXT("entity String { raw: __cedar::String };\n"
             "type decimal = { whole: Long };\n"
             "entity E { s: String, d: decimal, cd: __cedar::decimal };\n"
             "namespace N { entity F { s: String }; }\n");
    T_CHECK(s);
    e = ent(s, "E");
    T_CHECK(attr_type(e, "s") && attr_type(e, "s")->kind == CD_T_ENTITY &&
            attr_type(e, "s")->u.entity == N("String"));
    T_CHECK(attr_type(ent(s, "String"), "raw")->kind == CD_T_STRING);
    T_CHECK_STR(ty(attr_type(e, "d")), "{whole: Long}");
    T_CHECK(attr_type(e, "cd")->kind == CD_T_EXT);
    T_CHECK(attr_type(ent(s, "N::F"), "s")->kind == CD_T_ENTITY);
    cd_schema_free(s);

    /* inside a namespace, its own declaration comes first; outside it does not */
    s = TEXT("namespace N { entity Bool; entity E { a: Bool, b: __cedar::Bool }; }\n"
             "entity F { a: Bool };");
    T_CHECK(s);
    T_CHECK(attr_type(ent(s, "N::E"), "a")->kind == CD_T_ENTITY);
    T_CHECK(attr_type(ent(s, "N::E"), "b")->kind == CD_T_BOOL);
    T_CHECK(attr_type(ent(s, "F"), "a")->kind == CD_T_BOOL);
    cd_schema_free(s);

    /* `Boolean` is not a type name of the text format */
    TEXT_FAILS("entity E { a: Boolean };", "failed to resolve type `Boolean`", 1, 15);
    TEXT_FAILS("entity E { a: __cedar::Foo };", "failed to resolve type `__cedar::Foo`", 1, 15);
}

static void test_resolution_action_types(void)
{
    /* a namespace's Action type can be used as an attribute type */
    cd_schema *s = TEXT("action A;\n"
                        "namespace N {\n"
                        "  action B;\n"
                        "  entity Admin { a0: Action, a1: M::Action, a2: Set<Action> };\n"
                        "}\n"
                        "namespace M { action C; }\n"
                        "entity User { a0: Action, a1: N::Action };\n");
    T_CHECK(s);
    T_CHECK_STR(ty(attr_type(ent(s, "N::Admin"), "a0")), "N::Action");
    T_CHECK_STR(ty(attr_type(ent(s, "N::Admin"), "a1")), "M::Action");
    T_CHECK_STR(ty(attr_type(ent(s, "User"), "a0")), "Action");
    T_CHECK(cd_schema_is_action_type(s, N("Action")) &&
            cd_schema_is_action_type(s, N("N::Action")) &&
            cd_schema_is_action_type(s, N("M::Action")));
    T_CHECK(!cd_schema_is_action_type(s, N("X::Action")));
    T_CHECK(!ent(s, "N::Action")); /* not an entity declaration */
    cd_schema_free(s);
    /* ... but not as a parent type or in appliesTo, nor when no action is declared */
    TEXT_FAILS("namespace N { action a; entity E in [Action]; }",
               "undeclared entity type `N::Action` in memberOfTypes", 1, 38);
    TEXT_FAILS("namespace N { action a; entity E; action b appliesTo { principal: Action, "
               "resource: E }; }",
               "undeclared entity type `N::Action`", 1, 67);
    TEXT_FAILS("namespace N { entity E { a: Action }; }", "failed to resolve type `Action`", 1, 29);
    TEXT_FAILS("entity Action;", "entity type `Action` cannot be declared", 1, 8);
}

static void test_action_groups(void)
{
    /* an unqualified parent is an action of the same namespace if declared,
     * otherwise of the empty namespace; Action::"x" is the same as "x" */
    cd_schema *s =
        TEXT("action all;\n"
             "action read in all;\n"
             "action \"list\" in [read, \"all\", Action::\"all\"];\n"
             "namespace N {\n"
             "  action every;\n"
             "  action nread in every;\n"
             "  action write in [Action::\"other\", M::Action::\"x\", Action::\"all\"];\n"
             "  action \"other\" in N::Action::\"every\";\n"
             "}\n"
             "namespace M { action x; action y in read; }\n");
    T_CHECK(s && s->n_actions == 9);
    T_CHECK(has_parent(act(s, "Action", "read"), "Action", "all"));
    const cd_action_decl *l = act(s, "Action", "list");
    T_CHECK(l && l->n_member_of == 2 && has_parent(l, "Action", "read") &&
            has_parent(l, "Action", "all"));
    T_CHECK(has_parent(act(s, "N::Action", "nread"), "N::Action", "every"));
    const cd_action_decl *w = act(s, "N::Action", "write");
    T_CHECK(w && w->n_member_of == 3 && has_parent(w, "N::Action", "other") &&
            has_parent(w, "M::Action", "x") && has_parent(w, "Action", "all"));
    T_CHECK(has_parent(act(s, "M::Action", "y"), "Action", "read"));
    cd_schema_free(s);

    TEXT_FAILS("action a in b;", "undeclared action `Action::\"b\"`", 1, 13);
    TEXT_FAILS("namespace N { action a in b; }", "neither `N::Action::\"b\"` nor `Action::\"b\"`",
               1, 27);
    TEXT_FAILS("action b; namespace N { action a in N::Action::\"b\"; }",
               "undeclared action `N::Action::\"b\"`", 1, 37);
    TEXT_FAILS("action a in Foo::\"a\"; action b;", "undeclared action `Foo::\"a\"`", 1, 13);
    TEXT_FAILS("action a in a;", "cycle in action hierarchy containing `Action::\"a\"`", 1, 8);
    TEXT_FAILS("action a in b;\naction b in c;\naction c in a;", "cycle in action hierarchy", 0, 0);
    TEXT_FAILS("action x; action a in [x, b]; action b in [c]; action c in [b];",
               "cycle in action hierarchy", 0, 0);
    /* a long chain is fine (no recursion) */
    size_t n = 20000;
    char *big = malloc(n * 40);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(big + len, "action a%zu in a%zu;\n", i, i + 1);
    len += (size_t)sprintf(big + len, "action a%zu;", n);
    cd_err err = {0};
    s = cd_schema_parse_text(big, len, "big", &err);
    T_CHECK(s && s->n_actions == n + 1);
    cd_schema_free(s);
    /* and a cycle at the end of it is found */
    len -= 1;
    len += (size_t)sprintf(big + len, " in a0;");
    T_CHECK(fails(false, big, len, "cycle in action hierarchy", 0, 0));
    free(big);
    cd_err_clear(&err);
}

/* ---- declaration-level errors ---------------------------------------------- */

static void test_duplicates_and_reserved(void)
{
    TEXT_FAILS("entity A;\nentity B, A;", "duplicate entity type `A`", 2, 11);
    TEXT_FAILS("namespace N { entity A; entity A {}; }", "duplicate entity type `N::A`", 1, 32);
    TEXT_FAILS("action a; action \"a\";", "duplicate action `Action::\"a\"`", 1, 18);
    TEXT_FAILS("type T = Long; type T = String;", "duplicate common type `T`", 1, 21);
    TEXT_FAILS("namespace N {}\nnamespace N {}", "duplicate namespace `N`", 2, 11);
    /* the same name as entity and common type is allowed */
    cd_schema *s = TEXT("type A = Long; entity A;");
    T_CHECK(s && s->n_entities == 1);
    cd_schema_free(s);
    /* declarations outside namespaces form one namespace, wherever they are */
    TEXT_FAILS("entity A; namespace N {} entity A;", "duplicate entity type `A`", 1, 33);
    TEXT_FAILS("namespace __cedar { entity A; }", "`__cedar` is not a valid namespace name", 1, 11);
    TEXT_FAILS("namespace A::__cedar { }", "`A::__cedar` is not a valid namespace name", 1, 11);
    TEXT_FAILS("entity __cedar;", "`__cedar` is reserved", 1, 8);
    TEXT_FAILS("type __cedar = Long;", "`__cedar` is reserved", 1, 6);
    static const char *const reserved[] = {"Bool", "Boolean", "Entity", "Extension",
                                           "Long", "Record",  "Set",    "String"};
    for (size_t i = 0; i < 8; i++) {
        char src[64];
        snprintf(src, sizeof src, "namespace N { type %s = Long; }", reserved[i]);
        TEXT_FAILS(src, "reserved schema keyword", 1, 20);
    }
    TEXT_FAILS("@a @b @a entity A;", "duplicate annotation `@a`", 1, 8);
    TEXT_FAILS("entity A { @doc(\"1\") @doc(\"2\") x: Long };", "duplicate annotation `@doc`", 1,
               23);
}

static void test_rfc70_shadowing(void)
{
    TEXT_FAILS("entity User; namespace A { entity User; }", "illegally shadowed", 1, 8);
    TEXT_FAILS("type User = Long; namespace A { entity User; }", "illegally shadowed", 1, 6);
    TEXT_FAILS("entity User; namespace A { type User = Long; }", "illegally shadowed", 1, 8);
    TEXT_FAILS("action \"v\"; namespace A { action \"v\"; }", "illegally shadowed", 1, 8);
    /* shadowing between two named namespaces is fine, and so are builtins */
    cd_schema *s =
        TEXT("namespace A { entity User; action v; } namespace B { entity User; action v; }\n"
             "namespace C { type ipaddr = Long; entity E { s: ipaddr }; }");
    T_CHECK(s && s->n_entities == 3 && s->n_actions == 2);
    T_CHECK(s && attr_type(ent(s, "C::E"), "s")->kind == CD_T_LONG);
    cd_schema_free(s);
}

static void test_common_type_errors(void)
{
    TEXT_FAILS("type T = T;", "cycle in common type references containing `T`", 1, 6);
    TEXT_FAILS("type A = B; type B = { x: A };", "cycle in common type references", 0, 0);
    TEXT_FAILS("namespace A { type a = { a: b }; type b = c; type c = B::a; }\n"
               "namespace B { type a = A::b; }",
               "cycle in common type references", 0, 0);
    TEXT_FAILS("type A = Set<A>;", "cycle", 1, 6);
    /* unused common types are checked too */
    TEXT_FAILS("type T = { x: Nope };", "failed to resolve type `Nope`", 1, 15);
    /* a long chain resolves (no recursion over common types) */
    size_t n = 20000, len = 0;
    char *big = malloc(n * 32 + 64);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(big + len, "type T%zu = T%zu;\n", i, i + 1);
    len += (size_t)sprintf(big + len, "type T%zu = {a: Long};\nentity E { x: T0 };", n);
    cd_err err = {0};
    cd_schema *s = cd_schema_parse_text(big, len, "big", &err);
    T_CHECK(s && !strcmp(ty(attr_type(ent(s, "E"), "x")), "{a: Long}"));
    cd_schema_free(s);
    free(big);
    /* duplicate attribute names: the last one wins, as in the official parser */
    s = TEXT("entity A { x: Long, x: String };");
    T_CHECK(s && ent(s, "A")->shape.n == 1 && attr_type(ent(s, "A"), "x")->kind == CD_T_STRING);
    cd_schema_free(s);
}

static void test_undeclared_types(void)
{
    TEXT_FAILS("entity A in [B];",
               "failed to resolve type `B`: it has not been declared as an "
               "entity type",
               1, 14);
    TEXT_FAILS("entity A;\n\n  entity B { x: Set<{ y: C }> };", "failed to resolve type `C`", 3,
               26);
    TEXT_FAILS("entity A tags Foo::Bar;", "failed to resolve type `Foo::Bar`", 1, 15);
    TEXT_FAILS("entity A; action a appliesTo { principal: A, resource: B };",
               "failed to resolve type `B`", 1, 56);
    TEXT_FAILS("type T = Long; action a appliesTo { principal: T, resource: T };",
               "has not been declared as an entity type", 1, 48);
}

static void test_deep_nesting(void)
{
    size_t n = 100000;
    char *src = malloc(n * 5 + 64);
    size_t len = (size_t)sprintf(src, "entity A { x: ");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(src + len, "Set<");
    len += (size_t)sprintf(src + len, "Long");
    for (size_t i = 0; i < n; i++)
        src[len++] = '>';
    len += (size_t)sprintf(src + len, " };");
    T_CHECK(fails(false, src, len, "nested too deeply", 0, 0));
    len = (size_t)sprintf(src, "entity A { x: ");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(src + len, "{a:");
    T_CHECK(fails(false, src, len, "nested too deeply", 0, 0));
    /* up to the limit is fine, one more is an error at the innermost type
     * (the resolver's limit: CD_SCHEMA_MAX_TYPE_DEPTH) */
    for (int json = 0; json < 2; json++) {
        for (size_t m = CD_SCHEMA_MAX_TYPE_DEPTH; m <= CD_SCHEMA_MAX_TYPE_DEPTH + 1; m++) {
            len = (size_t)sprintf(src, json ? "{\"\": {\"entityTypes\": {\"A\": {\"tags\": "
                                            : "entity A tags ");
            size_t at = 0;
            for (size_t i = 0; i < m; i++) {
                at = len + 1;
                len += (size_t)sprintf(src + len, json ? "{\"type\":\"Set\",\"element\":" : "Set<");
            }
            len += (size_t)sprintf(src + len, json ? "{\"type\":\"Long\"}" : "Long");
            for (size_t i = 0; i < m; i++)
                src[len++] = json ? '}' : '>';
            len += (size_t)sprintf(src + len, json ? "}}, \"actions\": {}}}" : ";");
            if (m == CD_SCHEMA_MAX_TYPE_DEPTH) {
                cd_err err = {0};
                cd_schema *s = json ? cd_schema_parse_json(src, len, "deep", &err)
                                    : cd_schema_parse_text(src, len, "deep", &err);
                T_CHECK(s != NULL);
                cd_schema_free(s);
                cd_err_clear(&err);
            } else {
                T_CHECK(fails(json, src, len, "nested too deeply", 1, (unsigned)at));
            }
        }
    }

    /* JSON: serde_json's limit of 128 nested containers */
    len = (size_t)sprintf(src, "{\"\": {\"entityTypes\": {\"A\": {\"tags\": ");
    for (size_t i = 0; i < 124; i++)
        len += (size_t)sprintf(src + len, "{\"type\":\"Set\",\"element\":");
    len += (size_t)sprintf(src + len, "{\"type\":\"Long\"}");
    for (size_t i = 0; i < 124; i++)
        src[len++] = '}';
    len += (size_t)sprintf(src + len, "}}, \"actions\": {}}}");
    T_CHECK(fails(true, src, len, "invalid JSON: arrays and objects nested too deeply", 0, 0));
    len = 0;
    for (size_t i = 0; i < n; i++)
        src[len++] = '[';
    T_CHECK(fails(true, src, len, "nested too deeply", 1, 128));
    free(src);
}

/* A chain of n common types, T0 = {x: T1}, ..., T(n-1) = {x: Long}, one per
 * line, followed by `use`: declarations (e.g. "entity U tags T0;"), or for
 * JSON the namespace's other members ("entityTypes": ..., "actions": ...). */
static char *chain(bool json, size_t n, const char *use, size_t *len)
{
    char *src = malloc(n * 80 + 512);
    size_t k = 0;
    if (json) {
        k += (size_t)sprintf(src + k, "{\"\": {\"commonTypes\": {\n");
        for (size_t i = 0; i < n; i++) {
            k += (size_t)sprintf(src + k,
                                 "\"T%zu\": {\"type\": \"Record\", \"attributes\": {\"x\": ", i);
            if (i + 1 < n)
                k += (size_t)sprintf(src + k, "{\"type\": \"T%zu\"}}},\n", i + 1);
            else
                k += (size_t)sprintf(src + k, "{\"type\": \"Long\"}}}\n");
        }
        k += (size_t)sprintf(src + k, "}, %s}}", use);
    } else {
        for (size_t i = 0; i + 1 < n; i++)
            k += (size_t)sprintf(src + k, "type T%zu = {x: T%zu};\n", i, i + 1);
        k += (size_t)sprintf(src + k, "type T%zu = {x: Long};\n%s\n", n - 1, use);
    }
    *len = k;
    return src;
}

/* Issue 9: common types nest without bound in the written text; the nesting
 * limit is checked on the expanded types, in both formats, at the reference
 * where it is passed. */
static void test_common_type_chain_limit(void)
{
    size_t n = 100000, len = 0, L = CD_SCHEMA_MAX_TYPE_DEPTH;
    char want[160];
    /* T(n-1-L) is the first with more than L levels: its reference to T(n-L) */
    snprintf(want, sizeof want,
             "nested too deeply (more than %zu levels of records and sets) in common type `T%zu`",
             L, n - 1 - L);
    char *src = chain(false, n, "entity U tags T0;", &len);
    unsigned col = (unsigned)snprintf(NULL, 0, "type T%zu = {x: ", n - 1 - L) + 1;
    T_CHECK(fails(false, src, len, want, (unsigned)(n - L), col));
    free(src);
    src = chain(true, n,
                "\"entityTypes\": {\"U\": {\"tags\": {\"type\": \"T0\"}}}, \"actions\": {}", &len);
    col = (unsigned)snprintf(
              NULL, 0, "\"T%zu\": {\"type\": \"Record\", \"attributes\": {\"x\": ", n - 1 - L) +
          1;
    T_CHECK(fails(true, src, len, want, (unsigned)(n - L + 1), col));
    free(src);

    /* exactly L levels are fine as tags (level 0), not in a shape or a context */
    static const char *const ok[2] = {
        "entity U tags T0;",
        "\"entityTypes\": {\"U\": {\"tags\": {\"type\": \"T0\"}}}, \"actions\": {}"};
    static const char *const shape[2] = {
        "entity U { a: T0 };",
        "\"entityTypes\": {\"U\": {\"shape\": {\"type\": \"Record\", \"attributes\": "
        "{\"a\": {\"type\": \"T0\"}}}}}, \"actions\": {}"};
    static const char *const context[2] = {
        "entity E; action a appliesTo { principal: E, resource: E, context: { c: T0 } };",
        "\"entityTypes\": {}, \"actions\": {\"a\": {\"appliesTo\": {\"principalTypes\": [], "
        "\"resourceTypes\": [], \"context\": "
        "{\"type\": \"Record\", \"attributes\": {\"c\": {\"type\": \"T0\"}}}}}}"};
    for (int json = 0; json < 2; json++) {
        src = chain(json, L, ok[json], &len);
        cd_err err = {0};
        cd_schema *s = json ? cd_schema_parse_json(src, len, "ok", &err)
                            : cd_schema_parse_text(src, len, "ok", &err);
        T_CHECK(s != NULL);
        const cd_entity_decl *u = ent(s, "U");
        size_t depth = 0;
        for (const cd_type *t = u ? u->tags : NULL; t && t->kind == CD_T_RECORD;
             t = t->u.rec.attrs[0].type)
            depth++;
        T_CHECK(depth == L);
        cd_schema_free(s);
        cd_err_clear(&err);
        free(src);
        src = chain(json, L, shape[json], &len);
        T_CHECK(fails(json, src, len, "in entity type `U`", 0, 0));
        free(src);
        src = chain(json, L, context[json], &len);
        T_CHECK(fails(json, src, len, "in the context of action `Action::\"a\"`", 0, 0));
        free(src);
    }
}

/* T0 = {a: T1, b: T1}, ..., T(n-1) = {a: Long}: T(n-1-j) expands to
 * 3 * 2^j - 1 nodes */
static char *dag(bool json, int n, size_t *len)
{
    cd_buf b;
    cd_buf_init(&b);
    if (json) cd_buf_puts(&b, "{\"\": {\"commonTypes\": {\n");
    for (int i = 0; i < n; i++) {
        if (json && i + 1 < n)
            cd_buf_printf(&b,
                          "\"T%d\": {\"type\": \"Record\", \"attributes\": {\"a\": {\"type\": "
                          "\"T%d\"}, \"b\": {\"type\": \"T%d\"}}},\n",
                          i, i + 1, i + 1);
        else if (json)
            cd_buf_printf(&b,
                          "\"T%d\": {\"type\": \"Record\", \"attributes\": {\"a\": {\"type\": "
                          "\"Long\"}}}},\n",
                          i);
        else if (i + 1 < n)
            cd_buf_printf(&b, "type T%d = {a: T%d, b: T%d};\n", i, i + 1, i + 1);
        else
            cd_buf_printf(&b, "type T%d = {a: Long};\n", i);
    }
    cd_buf_puts(&b, json ? "\"entityTypes\": {\"U\": {\"tags\": {\"type\": \"T0\"}}}, "
                           "\"actions\": {}}}"
                         : "entity U tags T0;\n");
    *len = b.len;
    char *src = strdup(cd_buf_cstr(&b));
    cd_buf_free(&b);
    return src;
}

/* Shared common types make a type a DAG whose expanded tree, the official
 * form, can be exponential: its size is limited too (CD_SCHEMA_MAX_TYPE_SIZE)
 * and printing it stops after CD_TYPE_PRINT_MAX bytes. */
static void test_type_size_limit(void)
{
    for (int json = 0; json < 2; json++) {
        size_t len;
        /* 98,303 nodes: fine, printed with an ellipsis */
        char *src = dag(json, 16, &len);
        cd_err err = {0};
        cd_schema *s = json ? cd_schema_parse_json(src, len, "dag", &err)
                            : cd_schema_parse_text(src, len, "dag", &err);
        T_CHECK(s != NULL);
        const cd_entity_decl *u = ent(s, "U");
        if (u) {
            cd_buf b;
            cd_buf_init(&b);
            cd_type_print(&b, u->tags);
            T_CHECK(b.len > CD_TYPE_PRINT_MAX && b.len < 2 * CD_TYPE_PRINT_MAX);
            T_CHECK(strncmp(b.data, "{a: {a: {a: ", 12) == 0 && strstr(b.data, "..."));
            cd_buf_free(&b);
        }
        cd_schema_free(s);
        cd_err_clear(&err);
        free(src);
        /* T43 (196,607 nodes) is the first too large */
        src = dag(json, 60, &len);
        T_CHECK(fails(json, src, len, "type too large: it expands to more than 100000", 0, 0));
        T_CHECK(fails(json, src, len, "in common type `T43`", 0, 0));
        free(src);
    }
}

/* Enumerated ids are looked up by binary search (issue 9: a scan made
 * validating against the last of 100,000 ids 14 times slower than the first).
 * Declared order, duplicates and ids that sort apart from their numbers. */
static void test_enum_lookup(void)
{
    size_t n = 100000;
    cd_buf b;
    for (int json = 0; json < 2; json++) {
        cd_buf_init(&b);
        cd_buf_puts(&b, json ? "{\"\": {\"entityTypes\": {\"E\": {\"enum\": [" : "entity E enum [");
        for (size_t i = 0; i < n; i++)
            cd_buf_printf(&b, "%s\"v%zu\"", i ? ", " : "", n - 1 - i); /* descending */
        cd_buf_puts(&b, json ? ", \"v7\", \"\"]}, \"F\": {}}, \"actions\": {}}}"
                             : ", \"v7\", \"\"];"
                               " entity F;");
        cd_err err = {0};
        cd_schema *s = json ? cd_schema_parse_json(b.data, b.len, "enum", &err)
                            : cd_schema_parse_text(b.data, b.len, "enum", &err);
        T_CHECK(s != NULL);
        const cd_entity_decl *e = ent(s, "E"), *f = ent(s, "F");
        T_CHECK(e && e->is_enum && e->n_enum == n + 2);
        T_CHECK(e && cd_str_eq_c(e->enum_ids[0], "v99999")); /* declared order kept */
        if (e) {
            static const char *const in[] = {"v0", "v99999", "v50000", "v7", "v10", "v9", ""};
            static const char *const out[] = {"v100000", "v", "V0", "v00", "w", "v-1", "v99999 "};
            for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
                if (!cd_schema_enum_has(e, cd_str_from_c(in[i]))) {
                    fprintf(stderr, "enum: \"%s\" not found\n", in[i]);
                    T_CHECK(false);
                }
            }
            for (size_t i = 0; i < sizeof out / sizeof out[0]; i++) {
                if (cd_schema_enum_has(e, cd_str_from_c(out[i]))) {
                    fprintf(stderr, "enum: \"%s\" found\n", out[i]);
                    T_CHECK(false);
                }
            }
            /* every declared id is found */
            size_t found = 0;
            for (size_t i = 0; i < e->n_enum; i++)
                found += cd_schema_enum_has(e, e->enum_ids[i]);
            T_CHECK(found == e->n_enum);
        }
        T_CHECK(f && !cd_schema_enum_has(f, CD_STR_LIT("v0")));
        cd_schema_free(s);
        cd_err_clear(&err);
        cd_buf_free(&b);
    }
}

/* ---- both formats agree ------------------------------------------------------ */

static bool type_eq(const cd_type *a, const cd_type *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case CD_T_ENTITY: return a->u.entity == b->u.entity;
    case CD_T_SET: return type_eq(a->u.elem, b->u.elem);
    case CD_T_EXT: return a->u.ext == b->u.ext;
    case CD_T_RECORD:
        if (a->u.rec.n != b->u.rec.n || a->u.rec.open != b->u.rec.open) return false;
        for (size_t i = 0; i < a->u.rec.n; i++) {
            const cd_attr_type *x = &a->u.rec.attrs[i], *y = &b->u.rec.attrs[i];
            if (!cd_str_eq(x->name, y->name) || x->required != y->required ||
                !type_eq(x->type, y->type))
                return false;
        }
        return true;
    default: return true;
    }
}

static bool same_names(const cd_name *const *a, size_t na, const cd_name *const *b, size_t nb)
{
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++)
        if (!has_name(b, nb, a[i]->text)) return false;
    return true;
}

/* The same schema, regardless of declaration order (the JSON sorts keys). */
static const char *schema_diff(const cd_schema *t, const cd_schema *j)
{
    if (t->n_entities != j->n_entities) return "number of entity types";
    if (t->n_actions != j->n_actions) return "number of actions";
    for (size_t i = 0; i < t->n_entities; i++) {
        const cd_entity_decl *a = &t->entities[i], *b = cd_schema_entity(j, a->name);
        if (!b) return "missing entity type";
        if (!same_names(a->member_of, a->n_member_of, b->member_of, b->n_member_of))
            return "memberOfTypes";
        cd_type ta = {.kind = CD_T_RECORD}, tb = {.kind = CD_T_RECORD};
        ta.u.rec = a->shape;
        tb.u.rec = b->shape;
        if (!type_eq(&ta, &tb)) return "shape";
        if (!a->tags != !b->tags || (a->tags && !type_eq(a->tags, b->tags))) return "tags";
        if (a->is_enum != b->is_enum || a->n_enum != b->n_enum) return "enum";
        for (size_t k = 0; k < a->n_enum; k++)
            if (!cd_str_eq(a->enum_ids[k], b->enum_ids[k])) return "enum ids";
    }
    for (size_t i = 0; i < t->n_actions; i++) {
        const cd_action_decl *a = &t->actions[i], *b = cd_schema_action(j, &a->uid);
        if (!b) return "missing action";
        if (a->n_member_of != b->n_member_of) return "action memberOf";
        for (size_t k = 0; k < a->n_member_of; k++)
            if (!has_parent(b, a->member_of[k].type->text, a->member_of[k].id.ptr))
                return "action memberOf";
        /* no appliesTo and empty lists both apply to no request */
        if ((a->has_applies_to && a->n_principals && a->n_resources) !=
            (b->has_applies_to && b->n_principals && b->n_resources))
            return "appliesTo";
        if (!same_names(a->principals, a->n_principals, b->principals, b->n_principals))
            return "principal types";
        if (!same_names(a->resources, a->n_resources, b->resources, b->n_resources))
            return "resource types";
        if (!type_eq(a->context, b->context)) return "context";
    }
    return NULL;
}

static void test_formats_agree(void)
{
    static const char *const pairs[][2] = {
        {"namespace NS { type T = {a: Long}; entity U in [G] { t: T, s?: Set<G> } tags String;"
         " entity G enum [\"x\"]; action r in [w] appliesTo { principal: U, resource: [U, G],"
         " context: T }; action w; }",
         "{\"NS\": {\"commonTypes\": {\"T\": {\"type\": \"Record\", \"attributes\": {\"a\": "
         "{\"type\": \"Long\"}}}}, \"entityTypes\": {\"G\": {\"enum\": [\"x\"]}, \"U\": "
         "{\"memberOfTypes\": [\"G\"], \"tags\": {\"type\": \"String\"}, \"shape\": {\"type\": "
         "\"Record\", \"attributes\": {\"s\": {\"type\": \"Set\", \"element\": {\"type\": "
         "\"Entity\", \"name\": \"G\"}, \"required\": false}, \"t\": {\"type\": "
         "\"EntityOrCommon\", \"name\": \"T\"}}}}}, \"actions\": {\"w\": {}, \"r\": "
         "{\"memberOf\": [{\"id\": \"w\"}], \"appliesTo\": {\"principalTypes\": [\"U\"], "
         "\"resourceTypes\": [\"U\", \"G\"], \"context\": {\"type\": \"T\"}}}}}}"},
        {"action a;", "{\"\": {\"entityTypes\": {}, \"actions\": {\"a\": {\"appliesTo\": "
                      "{\"principalTypes\": [], \"resourceTypes\": []}}}}}"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        cd_schema *t = TEXT(pairs[i][0]), *j = JSON(pairs[i][1]);
        T_CHECK(t && j);
        if (t && j) {
            const char *d1 = schema_diff(t, j), *d2 = schema_diff(j, t);
            if (d1 || d2) fprintf(stderr, "pair %zu differs: %s / %s\n", i, d1, d2);
            T_CHECK(!d1 && !d2);
        }
        cd_schema_free(t);
        cd_schema_free(j);
    }
}

/* Every schema of the conformance corpus, in both formats, from the shared
 * tarballs (streamed through gzip); skipped when they are not there. */
typedef struct tar_file {
    char name[256];
    char *data;
    size_t len;
} tar_file;

static size_t read_tar(const char *path, const char *suffix, tar_file **out)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s' 2>/dev/null", path);
    FILE *f = popen(cmd, "r");
    if (!f) return 0;
    size_t n = 0, cap = 0;
    tar_file *v = NULL;
    unsigned char h[512];
    while (fread(h, 1, 512, f) == 512 && h[0]) {
        size_t size = strtoul((const char *)h + 124, NULL, 8);
        char *data = malloc(size + 1);
        size_t padded = (size + 511) / 512 * 512;
        if (fread(data, 1, size, f) != size) {
            free(data);
            break;
        }
        for (size_t k = size; k < padded; k++)
            fgetc(f);
        const char *base = strrchr((const char *)h, '/');
        base = base ? base + 1 : (const char *)h;
        size_t bl = strnlen(base, 100), sl = strlen(suffix);
        if (h[156] != '0' && h[156] != 0) bl = 0; /* not a regular file */
        if (bl <= sl || bl >= 256 || memcmp(base + bl - sl, suffix, sl) != 0) {
            free(data);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            v = realloc(v, cap * sizeof *v);
        }
        memcpy(v[n].name, base, bl - sl);
        v[n].name[bl - sl] = 0;
        v[n].data = data;
        v[n].len = size;
        n++;
    }
    pclose(f);
    *out = v;
    return n;
}

static int tar_cmp(const void *a, const void *b)
{
    return strcmp(((const tar_file *)a)->name, ((const tar_file *)b)->name);
}

static void test_corpus(void)
{
    const char *dir = getenv("CEDAR_INTEGRATION_TESTS");
    if (!dir) dir = "/work/shared/cedar-integration-tests";
    char tp[1024], jp[1024];
    snprintf(tp, sizeof tp, "%s/corpus-tests.tar.gz", dir);
    snprintf(jp, sizeof jp, "%s/corpus-tests-json-schemas.tar.gz", dir);
    FILE *probe1 = fopen(tp, "rb"), *probe2 = fopen(jp, "rb");
    if (probe1) fclose(probe1);
    if (probe2) fclose(probe2);
    if (!probe1 || !probe2) {
        printf("test_corpus: skipped (no corpus tarballs under %s)\n", dir);
        return;
    }
    tar_file *texts = NULL, *jsons = NULL;
    size_t nt = read_tar(tp, ".cedarschema", &texts);
    size_t nj = read_tar(jp, ".cedarschema.json", &jsons);
    if (nt == 0 || nj == 0) {
        printf("test_corpus: skipped (could not read the corpus tarballs)\n");
    } else {
        qsort(jsons, nj, sizeof *jsons, tar_cmp);
        size_t compared = 0, bad = 0;
        for (size_t i = 0; i < nt; i++) {
            cd_err err = {0};
            cd_schema *t = cd_schema_parse_text(texts[i].data, texts[i].len, texts[i].name, &err);
            if (!t) {
                fprintf(stderr, "%s.cedarschema:%u:%u: %s\n", texts[i].name, err.loc.line,
                        err.loc.column, err.message);
                cd_err_clear(&err);
                bad++;
                continue;
            }
            tar_file *j = bsearch(&texts[i], jsons, nj, sizeof *jsons, tar_cmp);
            if (j) {
                cd_schema *s = cd_schema_parse_json(j->data, j->len, j->name, &err);
                const char *d = !s ? err.message : schema_diff(t, s);
                if (!d && s) d = schema_diff(s, t);
                if (d) {
                    fprintf(stderr, "%s: text and JSON differ: %s\n", texts[i].name, d);
                    bad++;
                }
                cd_err_clear(&err);
                cd_schema_free(s);
                compared++;
            }
            cd_schema_free(t);
        }
        printf("test_corpus: %zu text schemas parsed, %zu compared with their JSON form\n", nt,
               compared);
        T_CHECK(bad == 0);
        T_CHECK(compared > nj / 2);
    }
    for (size_t i = 0; i < nt; i++)
        free(texts[i].data);
    for (size_t i = 0; i < nj; i++)
        free(jsons[i].data);
    free(texts);
    free(jsons);
}

/* ---- misc API ------------------------------------------------------------------ */

static void test_api(void)
{
    cd_schema *s = TEXT("entity A { b: Long, a: String, c: { z: Bool, \"y z\"?: Set<A> } };");
    const cd_entity_decl *a = ent(s, "A");
    T_CHECK(a && a->shape.n == 3);
    T_CHECK(cd_record_type_get(&a->shape, CD_STR_LIT("a")) == &a->shape.attrs[0]);
    T_CHECK(cd_record_type_get(&a->shape, CD_STR_LIT("c")) == &a->shape.attrs[2]);
    T_CHECK(cd_record_type_get(&a->shape, CD_STR_LIT("d")) == NULL);
    T_CHECK(cd_record_type_get(&a->shape, CD_STR_LIT("")) == NULL);
    T_CHECK_STR(ty(attr_type(a, "c")), "{\"y z\"?: Set<A>, z: Bool}");
    cd_record_type empty = {0};
    T_CHECK(cd_record_type_get(&empty, CD_STR_LIT("a")) == NULL);
    T_CHECK(cd_schema_entity(s, NULL) == NULL && cd_schema_action(s, NULL) == NULL);
    T_CHECK(cd_schema_entity(NULL, N("A")) == NULL && !cd_schema_is_action_type(NULL, N("A")));
    cd_schema_free(s);
    cd_schema_free(NULL);
    /* NULL text is an empty schema */
    cd_err err = {0};
    s = cd_schema_parse_text(NULL, 0, "x", &err);
    T_CHECK(s && s->n_entities == 0);
    cd_schema_free(s);
    /* a large schema: lookups work for every declaration */
    size_t n = 5000, len = 0;
    char *big = malloc(n * 64);
    for (size_t i = 0; i < n; i++)
        len +=
            (size_t)sprintf(big + len, "entity E%zu in [E%zu]; action a%zu;\n", i, (i + 7) % n, i);
    s = cd_schema_parse_text(big, len, "big", &err);
    T_CHECK(s && s->n_entities == n && s->n_actions == n);
    bool all = s != NULL;
    for (size_t i = 0; s && i < n; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "E%zu", i);
        all = all && ent(s, nm) == &s->entities[i];
        snprintf(nm, sizeof nm, "a%zu", i);
        all = all && act(s, "Action", nm) == &s->actions[i];
    }
    T_CHECK(all);
    cd_schema_free(s);
    free(big);
}

int main(void)
{
    T_RUN(test_text_basic);
    T_RUN(test_text_no_applies_to);
    T_RUN(test_text_enums_and_tags);
    T_RUN(test_text_common_types);
    T_RUN(test_text_annotations_and_comments);
    T_RUN(test_text_keywords_as_names);
    T_RUN(test_text_strings);
    T_RUN(test_text_multiple_names);
    T_RUN(test_text_syntax_errors);
    T_RUN(test_text_applies_to_errors);
    T_RUN(test_resolution_namespace_first);
    T_RUN(test_resolution_common_before_entity);
    T_RUN(test_resolution_builtins);
    T_RUN(test_resolution_action_types);
    T_RUN(test_action_groups);
    T_RUN(test_duplicates_and_reserved);
    T_RUN(test_rfc70_shadowing);
    T_RUN(test_common_type_errors);
    T_RUN(test_undeclared_types);
    T_RUN(test_deep_nesting);
    T_RUN(test_common_type_chain_limit);
    T_RUN(test_type_size_limit);
    T_RUN(test_enum_lookup);
    T_RUN(test_formats_agree);
    T_RUN(test_api);
    T_RUN(test_corpus);
    T_DONE();
}
