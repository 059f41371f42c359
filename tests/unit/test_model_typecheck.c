/* Tests of the model's typechecker (model/m_types.h): schemas and policies
 * read by core's parsers and converted by the bridge, each policy checked in
 * strict and permissive mode against the verdict of Cedar's validator. */
#include <string.h>

#include "bridge.h"
#include "cd_ast.h"
#include "cd_schema.h"
#include "t.h"

static const char SCHEMA[] =
    "entity Group;\n"
    "entity User in [Group] { age: Long, nick?: String, flag: Bool } tags String;\n"
    "entity Doc { owner: User, tags: Set<String>, meta: { level: Long } };\n"
    "entity Color enum [\"red\", \"green\"];\n"
    "action read, write appliesTo { principal: [User], resource: [Doc],\n"
    "  context: { s: String, n?: Long, d: decimal } };\n"
    "action all;\n"
    "action view in [all] appliesTo { principal: User, resource: [Doc, Group] };\n";

/* The model's verdict on the only policy of `text` in `mode`. */
static m_tc_result check(const char *text, m_mode mode)
{
    cd_err err = {0};
    cd_schema *s = cd_schema_parse_text(SCHEMA, strlen(SCHEMA), "schema", &err);
    T_CHECK(s != NULL);
    cd_arena *ca = cd_arena_new();
    cd_policies ps;
    bool parsed = cd_parse_policies(text, strlen(text), "policy", ca, &ps, &err);
    T_CHECK(parsed && ps.n == 1);
    m_tc_result r = {M_TC_UNEXPECTED_TYPE, false};
    m_arena *a = m_arena_new();
    m_policy p;
    const char *why;
    if (s && parsed && ps.n == 1 && drt_policy(a, ps.items[0], &p, &why)) {
        m_schema ms;
        drt_schema(a, s, &ms);
        r = m_validate_policy(&ms, &p, mode, a);
    }
    m_arena_free(a);
    cd_arena_free(ca);
    cd_schema_free(s);
    cd_err_clear(&err);
    return r;
}

/* Expect error kinds (M_TC_OK: valid) in strict and permissive mode. */
static void expect(const char *text, m_tc_error strict, m_tc_error permissive)
{
    m_tc_result s = check(text, M_STRICT), p = check(text, M_PERMISSIVE);
    if (s.err != strict || p.err != permissive) {
        fprintf(stderr, "%s\n  strict %s (want %s), permissive %s (want %s)\n", text,
                m_tc_error_name(s.err), m_tc_error_name(strict), m_tc_error_name(p.err),
                m_tc_error_name(permissive));
        t_failed_checks++;
    }
}

#define P(cond) "permit(principal, action == Action::\"read\", resource) when { " cond " };"

static void test_attributes(void)
{
    expect(P("principal.age > 3"), M_TC_OK, M_TC_OK);
    expect(P("principal.nick == \"x\""), M_TC_ATTR_NOT_FOUND, M_TC_ATTR_NOT_FOUND);
    expect(P("principal has nick && principal.nick == \"x\""), M_TC_OK, M_TC_OK);
    expect(P("principal.missing"), M_TC_ATTR_NOT_FOUND, M_TC_ATTR_NOT_FOUND);
    expect(P("resource.owner.age < resource.meta.level"), M_TC_OK, M_TC_OK);
    expect(P("context has n && context.n > 0"), M_TC_OK, M_TC_OK);
    expect(P("context.n > 0"), M_TC_ATTR_NOT_FOUND, M_TC_ATTR_NOT_FOUND);
    /* a `has` on an undeclared attribute of a closed record is false: the
     * right of && is not typechecked */
    expect(P("principal has missing && principal.missing"), M_TC_OK, M_TC_OK);
}

static void test_capabilities(void)
{
    /* || keeps only what both sides know */
    expect(P("(principal has nick || principal.flag) && principal.nick == \"\""),
           M_TC_ATTR_NOT_FOUND, M_TC_ATTR_NOT_FOUND);
    expect(P("(principal has nick || principal has nick) && principal.nick == \"\""), M_TC_OK,
           M_TC_OK);
    /* if: the guard's capability in the then-branch only */
    expect(P("if principal has nick then principal.nick == \"\" else true"), M_TC_OK, M_TC_OK);
    expect(P("if principal has nick then true else principal.nick == \"\""), M_TC_ATTR_NOT_FOUND,
           M_TC_ATTR_NOT_FOUND);
    /* a capability is for the same expression only */
    expect(P("resource.owner has nick && principal.nick == \"\""), M_TC_ATTR_NOT_FOUND,
           M_TC_ATTR_NOT_FOUND);
    expect(P("resource.owner has nick && resource.owner.nick == \"\""), M_TC_OK, M_TC_OK);
}

static void test_tags(void)
{
    expect(P("principal.hasTag(\"t\") && principal.getTag(\"t\") == \"v\""), M_TC_OK, M_TC_OK);
    expect(P("principal.getTag(\"t\") == \"v\""), M_TC_TAG_NOT_FOUND, M_TC_TAG_NOT_FOUND);
    /* Doc has no tags: hasTag is false, the right is not typechecked */
    expect(P("resource.hasTag(\"t\") && resource.getTag(\"t\") == 1"), M_TC_OK, M_TC_OK);
    expect(P("principal.hasTag(\"a\") && principal.getTag(\"b\") == \"v\""), M_TC_TAG_NOT_FOUND,
           M_TC_TAG_NOT_FOUND);
}

static void test_strict_only(void)
{
    /* different entity types have no bound in strict mode */
    expect(P("(if principal.flag then principal else resource) == principal"), M_TC_LUB, M_TC_OK);
    expect(P("[principal, resource].contains(principal)"), M_TC_LUB, M_TC_OK);
    expect(P("principal.age == \"a\""), M_TC_LUB, M_TC_OK);
    expect(P("resource.tags.contains(1)"), M_TC_LUB, M_TC_OK);
    expect(P("[].isEmpty()"), M_TC_EMPTY_SET, M_TC_OK);
    expect(P("(if principal.flag then {a: 1} else {a: 1, b: 2}) has a"), M_TC_LUB, M_TC_OK);
    expect(P("decimal(context.s).lessThan(context.d)"), M_TC_EXTENSION, M_TC_OK);
    /* literals of different types are simply unequal; distinct entity types too */
    expect(P("1 == \"a\""), M_TC_OK, M_TC_OK);
    expect(P("principal == resource"), M_TC_OK, M_TC_OK);
}

/* Rust's AST folds `&&`/`||` of two boolean literals: `(true && false) ==
 * false` compares two literals and is always true (found by the validation
 * target: the model had it as a plain boolean, so `unless` of it was not an
 * impossible policy). */
static void test_folding(void)
{
    m_tc_result r =
        check("permit(principal, action, resource) unless { (true && false) == false };", M_STRICT);
    T_CHECK(r.err == M_TC_OK && r.impossible);
    r = check("permit(principal, action, resource) when { (true || false) == (false || true) };",
              M_STRICT);
    T_CHECK(r.err == M_TC_OK && !r.impossible);
    r = check("permit(principal, action, resource) unless { (true || false) == (false || true) };",
              M_STRICT);
    T_CHECK(r.err == M_TC_OK && r.impossible);
}

static void test_errors(void)
{
    expect(P("principal.age + \"a\" > 0"), M_TC_UNEXPECTED_TYPE, M_TC_UNEXPECTED_TYPE);
    expect(P("principal.age"), M_TC_UNEXPECTED_TYPE, M_TC_UNEXPECTED_TYPE);
    expect(P("decimal(\"1.2.3\") == decimal(\"1.0\")"), M_TC_EXTENSION, M_TC_EXTENSION);
    expect(P("ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))"), M_TC_OK, M_TC_OK);
    expect(P("context.d < context.d"), M_TC_UNEXPECTED_TYPE, M_TC_UNEXPECTED_TYPE);
    expect(P("datetime(\"2024-01-01\") < datetime(\"2024-01-02\")"), M_TC_OK, M_TC_OK);
    /* unknown names are errors even where never evaluated */
    expect(P("false && Nope::\"x\" == principal"), M_TC_UNKNOWN_ENTITY, M_TC_UNKNOWN_ENTITY);
    expect(P("principal is Nope"), M_TC_UNKNOWN_ENTITY, M_TC_UNKNOWN_ENTITY);
    expect(P("Color::\"blue\" == Color::\"red\""), M_TC_UNKNOWN_ENTITY, M_TC_UNKNOWN_ENTITY);
    expect(P("Color::\"green\" == Color::\"red\""), M_TC_OK, M_TC_OK);
    expect("permit(principal, action == Action::\"nope\", resource);", M_TC_UNKNOWN_ENTITY,
           M_TC_UNKNOWN_ENTITY);
}

static void test_scopes(void)
{
    /* the scope must match some request environment */
    expect("permit(principal is Group, action, resource);", M_TC_IMPOSSIBLE_SCOPE,
           M_TC_IMPOSSIBLE_SCOPE);
    expect("permit(principal, action == Action::\"read\", resource is Group);",
           M_TC_IMPOSSIBLE_SCOPE, M_TC_IMPOSSIBLE_SCOPE);
    expect("permit(principal, action in Action::\"all\", resource is Group);", M_TC_OK, M_TC_OK);
    expect("permit(principal in Group::\"g\", action, resource);", M_TC_OK, M_TC_OK);
    expect("permit(principal, action == Action::\"all\", resource);", M_TC_IMPOSSIBLE_SCOPE,
           M_TC_IMPOSSIBLE_SCOPE);
    /* a condition that is always false only warns */
    m_tc_result r = check(P("false"), M_STRICT);
    T_CHECK(r.err == M_TC_OK && r.impossible);
    r = check(P("principal in resource"), M_STRICT); /* a User is never in a Doc */
    T_CHECK(r.err == M_TC_OK && r.impossible);
    r = check(P("principal in Group::\"g\""), M_STRICT);
    T_CHECK(r.err == M_TC_OK && !r.impossible);
    r = check("permit(principal, action, resource) when { action in Action::\"all\" };", M_STRICT);
    T_CHECK(r.err == M_TC_OK && !r.impossible);
}

int main(void)
{
    T_RUN(test_attributes);
    T_RUN(test_capabilities);
    T_RUN(test_tags);
    T_RUN(test_strict_only);
    T_RUN(test_folding);
    T_RUN(test_errors);
    T_RUN(test_scopes);
    T_DONE();
}
