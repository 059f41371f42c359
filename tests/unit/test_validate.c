/* Tests of the validator (core/src/cd_validate.h): small schemas and
 * policies, each checked in strict and permissive mode against the verdict
 * and the errors the official validator gives (cedar-policy-core
 * src/validator: rbac.rs, typecheck.rs, types.rs), including locations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_validate.h"
#include "cedar/cedar.h"
#include "t.h"

static const char SCHEMA[] =
    "entity Group;\n"
    "entity Admin in [Group] { name: String, level: Long };\n"
    "entity User in [Group] { name: String, age: Long, nick?: String, flag: Bool,\n"
    "  manager?: User, addr: { city: String, zip?: Long } } tags String;\n"
    "entity Doc { owner: User, labels: Set<String>, meta: { level: Long } };\n"
    "entity Color enum [\"red\", \"green\"];\n"
    "action read, write appliesTo { principal: [User], resource: [Doc],\n"
    "  context: { s: String, n?: Long, d: decimal, when: datetime, ip: ipaddr } };\n"
    "action all;\n"
    "action view in [all] appliesTo { principal: [User, Admin], resource: [Doc, Group] };\n"
    "action paint appliesTo { principal: [User], resource: [Color] };\n"
    "action nothing;\n";

/* ---- helpers ---------------------------------------------------------------- */

typedef struct run {
    cd_arena *arena;
    cd_schema *schema;
    cd_policies ps;
    cd_vresult res;
} run;

static bool validate(run *r, const char *schema, const char *policies, cd_vmode mode)
{
    cd_err err = {0};
    memset(r, 0, sizeof *r);
    r->arena = cd_arena_new();
    r->schema = cd_schema_parse_text(schema, strlen(schema), "schema", &err);
    if (!r->schema) {
        fprintf(stderr, "schema error %u:%u: %s\n", err.loc.line, err.loc.column, err.message);
        cd_err_clear(&err);
        return false;
    }
    if (!cd_parse_policies(policies, strlen(policies), "policies", r->arena, &r->ps, &err)) {
        fprintf(stderr, "policy error %u:%u: %s\n  in: %s\n", err.loc.line, err.loc.column,
                err.message, policies);
        cd_err_clear(&err);
        return false;
    }
    cd_validate(r->schema, &r->ps, mode, r->arena, &r->res);
    return true;
}

static void done(run *r)
{
    cd_schema_free(r->schema);
    cd_arena_free(r->arena);
}

static void print_result(const char *text, const char *mode, const cd_vpolicy *p)
{
    fprintf(stderr, "%s (%s): %s%s\n", text, mode, p->valid ? "valid" : "invalid",
            p->impossible ? " (impossible)" : "");
    for (size_t i = 0; i < p->n_errors; i++)
        fprintf(stderr, "    %u:%u %s: %s\n", p->errors[i].loc.line, p->errors[i].loc.column,
                cd_verr_kind_name(p->errors[i].kind), p->errors[i].message);
}

/* The error kinds (a bit each) of the only policy in mode: 0 when valid. */
static unsigned verdict(const char *schema, const char *text, cd_vmode mode, bool *impossible)
{
    run r;
    unsigned k = 1u << 31; /* could not run */
    if (validate(&r, schema, text, mode) && r.res.n == 1) {
        const cd_vpolicy *p = &r.res.policies[0];
        k = 0;
        for (size_t i = 0; i < p->n_errors; i++)
            k |= 1u << p->errors[i].kind;
        if (impossible) *impossible = p->impossible;
        if (getenv("VERBOSE")) print_result(text, mode ? "permissive" : "strict", p);
    }
    done(&r);
    return k;
}

#define OK (-1)

static bool as_expected(unsigned got, int want)
{
    return want == OK ? got == 0 : (got & (1u << want)) != 0;
}

/* Expect a verdict in strict and in permissive mode: OK, or an error of the
 * given kind among the policy's errors. */
static void expect_in(const char *schema, const char *text, int strict, int permissive)
{
    unsigned s = verdict(schema, text, CD_VMODE_STRICT, NULL);
    unsigned p = verdict(schema, text, CD_VMODE_PERMISSIVE, NULL);
    if (!as_expected(s, strict) || !as_expected(p, permissive)) {
        fprintf(stderr, "%s\n  strict kinds %#x (want %d), permissive kinds %#x (want %d)\n", text,
                s, strict, p, permissive);
        t_failed_checks++;
    }
}

static void expect(const char *text, int strict, int permissive)
{
    expect_in(SCHEMA, text, strict, permissive);
}

static bool impossible(const char *text, cd_vmode mode)
{
    bool imp = false;
    T_CHECK(verdict(SCHEMA, text, mode, &imp) == 0);
    return imp;
}

#define P(cond)  "permit(principal, action == Action::\"read\", resource) when { " cond " };"
#define PV(cond) "permit(principal, action == Action::\"view\", resource) when { " cond " };"

enum {
    E_TYPE = CD_VE_UNRECOGNIZED_ENTITY_TYPE,
    E_ACTION = CD_VE_UNRECOGNIZED_ACTION,
    E_ENUM = CD_VE_INVALID_ENUM_ENTITY,
    E_APPLY = CD_VE_INVALID_ACTION_APPLICATION,
    E_UNEXPECTED = CD_VE_UNEXPECTED_TYPE,
    E_INCOMPAT = CD_VE_INCOMPATIBLE_TYPES,
    E_NOATTR = CD_VE_ATTRIBUTE_NOT_FOUND,
    E_OPTATTR = CD_VE_UNSAFE_OPTIONAL_ATTRIBUTE,
    E_TAG = CD_VE_UNSAFE_TAG_ACCESS,
    E_ARGS = CD_VE_WRONG_NUMBER_OF_ARGUMENTS,
    E_EXTARG = CD_VE_EXTENSION_ARGUMENT,
    E_EMPTY = CD_VE_EMPTY_SET_FORBIDDEN,
    E_NONLIT = CD_VE_NON_LITERAL_CONSTRUCTOR,
};

/* ---- names against the schema --------------------------------------------- */

static void test_names(void)
{
    expect("permit(principal, action, resource);", OK, OK);
    expect("permit(principal == Usr::\"a\", action, resource);", E_TYPE, E_TYPE);
    expect(P("resource is Dok"), E_TYPE, E_TYPE);
    expect(P("principal in Grp::\"g\""), E_TYPE, E_TYPE);
    expect("permit(principal, action == Action::\"raed\", resource);", E_ACTION, E_ACTION);
    expect("permit(principal, action in [Action::\"read\", Action::\"x\"], resource);", E_ACTION,
           E_ACTION);
    expect(P("Action::\"nope\" in [Action::\"all\"]"), E_ACTION, E_ACTION);
    /* any `...::Action` type is an action type: its ids must be declared */
    expect(P("principal == NS::Action::\"read\""), E_ACTION, E_ACTION);
    /* enumerated entity types only have their ids */
    expect("permit(principal, action == Action::\"paint\", resource == Color::\"red\");", OK, OK);
    expect("permit(principal, action == Action::\"paint\", resource == Color::\"blue\");", E_ENUM,
           E_ENUM);
    expect(P("Color::\"pink\" == Color::\"red\""), E_ENUM, E_ENUM);
}

static void test_action_application(void)
{
    /* no action applies to a Group principal */
    expect("permit(principal is Group, action, resource);", E_APPLY, E_APPLY);
    expect("permit(principal == Admin::\"a\", action == Action::\"read\", resource);", E_APPLY,
           E_APPLY);
    expect("permit(principal == Admin::\"a\", action == Action::\"view\", resource);", OK, OK);
    /* an action without appliesTo applies to nothing */
    expect("permit(principal, action == Action::\"nothing\", resource);", E_APPLY, E_APPLY);
    /* a group: its members apply */
    expect("permit(principal, action in Action::\"all\", resource is Group);", OK, OK);
    expect("permit(principal, action in Action::\"all\", resource is Color);", E_APPLY, E_APPLY);
    /* `in` reaches descendants: User is in Group */
    expect("permit(principal in Group::\"g\", action == Action::\"read\", resource);", OK, OK);

    /* the hint: `==` on a group type whose members would apply */
    run r;
    T_CHECK(validate(&r, SCHEMA,
                     "permit(principal == Group::\"g\", action == Action::\"read\", resource);",
                     CD_VMODE_STRICT));
    const cd_vpolicy *p = &r.res.policies[0];
    T_CHECK(p->n_errors == 1 && (int)p->errors[0].kind == E_APPLY);
    T_CHECK(p->n_errors == 1 && p->errors[0].help && strstr(p->errors[0].help, "principal clause"));
    T_CHECK(p->n_errors == 1 && p->errors[0].loc.line == 1 && p->errors[0].loc.column == 1);
    done(&r);
}

/* ---- attributes and capabilities ------------------------------------------- */

static void test_attributes(void)
{
    expect(P("principal.age > 3"), OK, OK);
    expect(P("principal.nick == \"x\""), E_OPTATTR, E_OPTATTR);
    expect(P("principal has nick && principal.nick == \"x\""), OK, OK);
    expect(P("principal.missing"), E_NOATTR, E_NOATTR);
    expect(P("resource.owner.age < resource.meta.level"), OK, OK);
    expect(P("principal.addr.zip > 3"), E_OPTATTR, E_OPTATTR);
    expect(P("principal.addr has zip && principal.addr.zip > 3"), OK, OK);
    expect(P("principal has addr.zip && principal.addr.zip > 3"), OK, OK);
    expect(P("context has n && context.n > 0"), OK, OK);
    expect(P("context.n > 0"), E_OPTATTR, E_OPTATTR);
    expect(P("context.s like \"a*\""), OK, OK);
    /* a `has` on an attribute no value can have is false: the right of &&
     * is not typechecked at all */
    expect(P("principal has missing && principal.missing"), OK, OK);
    /* the attribute of an optional entity attribute */
    expect(P("principal.manager.age > 1"), E_OPTATTR, E_OPTATTR);
    expect(P("principal has manager && principal.manager.age > 1"), OK, OK);
    expect(P("principal has manager && principal.manager.nick == \"\""), E_OPTATTR, E_OPTATTR);
    /* an attribute of something that is not an entity or record */
    expect(P("principal.age.x"), E_UNEXPECTED, E_UNEXPECTED);
    /* action entities have no attributes */
    expect(P("action.name == \"\""), E_NOATTR, E_NOATTR);
}

static void test_capabilities(void)
{
    /* || keeps only what both sides guarantee */
    expect(P("(principal has nick || principal.flag) && principal.nick == \"\""), E_OPTATTR,
           E_OPTATTR);
    expect(P("(principal has nick || principal has nick) && principal.nick == \"\""), OK, OK);
    /* the right of || cannot use the left's */
    expect(P("principal has nick || principal.nick == \"\""), E_OPTATTR, E_OPTATTR);
    /* if: the then-branch knows the guard, the else-branch does not */
    expect(P("if principal has nick then principal.nick == \"\" else false"), OK, OK);
    expect(P("if principal has nick then true else principal.nick == \"\""), E_OPTATTR, E_OPTATTR);
    /* after an if, what both branches guarantee */
    expect(P("(if principal.flag then principal has nick else principal has nick) && "
             "principal.nick == \"\""),
           OK, OK);
    expect(P("(if principal.flag then principal has nick else true) && principal.nick == \"\""),
           E_OPTATTR, E_OPTATTR);
    /* `!` learns nothing */
    expect(P("!(principal has nick) || principal.nick == \"\""), E_OPTATTR, E_OPTATTR);
    /* capabilities are per expression: another entity's `has` does not help */
    expect(P("resource.owner has nick && principal.nick == \"\""), E_OPTATTR, E_OPTATTR);
    expect(P("resource.owner has nick && resource.owner.nick == \"\""), OK, OK);
    /* a left that is always true (a required attribute of a record) passes
     * the right's capabilities on */
    expect(P("(context has s && principal has nick) && principal.nick == \"\""), OK, OK);
    /* capabilities compare expressions by shape, as the official AST holds
     * them: record literals as maps, `a > b` as `!(a <= b)`, folded literals */
    expect(P("{a: principal, b: 1}.a has nick && {b: 1, a: principal}.a.nick == \"\""), OK, OK);
    expect(P("{a: principal, b: 1}.a has nick && {b: 2, a: principal}.a.nick == \"\""), E_OPTATTR,
           E_OPTATTR);
    expect(P("(if 1 > 2 then principal else principal) has nick && "
             "(if !(1 <= 2) then principal else principal).nick == \"\""),
           OK, OK);
    expect(P("(if context.s == \"\" || (true && true) then principal else principal) has nick && "
             "(if context.s == \"\" || true then principal else principal).nick == \"\""),
           OK, OK);
    /* a `has` already known is always true */
    T_CHECK(impossible(P("principal has nick && !(principal has nick)"), CD_VMODE_STRICT));
}

/* `e has a.b.c` is `e has a && e.a has b && e.a.b has c`: each step's
 * capability, keyed by the access path (issue 9: these sets are hashed and
 * layered now; the answers must not change). */
static const char HAS_SCHEMA[] =
    "entity U { m?: U, name: String, n?: Long };\n"
    "action a appliesTo { principal: U, resource: U,\n"
    "  context: { a?: { b?: { c?: Long, d: Long } }, x?: { b?: { c?: Long } } } };\n";

#define PH(cond) "permit(principal, action, resource) when { " cond " };"

static void test_has_paths(void)
{
    const char *S = HAS_SCHEMA;
    expect_in(S, PH("context has a.b.c && context.a.b.c == 1"), OK, OK);
    expect_in(S, PH("context has a.b && context.a.b.c == 1"), E_OPTATTR, E_OPTATTR);
    expect_in(S, PH("context has a.b && context.a.b.d == 1"), OK, OK);
    expect_in(S, PH("context has a && context.a.b.d == 1"), E_OPTATTR, E_OPTATTR);
    /* the same names under another root are other capabilities */
    expect_in(S, PH("context has x.b.c && context.a.b.c == 1"), E_OPTATTR, E_OPTATTR);
    expect_in(S, PH("context has a.b.c && context has x.b.c && context.x.b.c == context.a.b.c"), OK,
              OK);
    expect_in(S, PH("principal has m.m.n && principal.m.m.n == 1"), OK, OK);
    expect_in(S, PH("principal has m.m.n && resource.m.m.n == 1"), E_OPTATTR, E_OPTATTR);
    expect_in(S, PH("principal has m.m && principal.m.m.n == 1"), E_OPTATTR, E_OPTATTR);
    /* || keeps what both sides have: the common prefix of two paths */
    expect_in(S, PH("(principal has m.m.n || principal has m.m.m) && principal.m.m.name == \"\""),
              OK, OK);
    expect_in(S, PH("(principal has m.m.n || principal has m.m.m) && principal.m.m.n == 1"),
              E_OPTATTR, E_OPTATTR);
    /* many capabilities at once: a 300-link path, then an access one link
     * longer than it guards, then exactly as long */
    cd_buf b;
    cd_buf_init(&b);
    for (int longer = 0; longer < 2; longer++) {
        b.len = 0;
        cd_buf_puts(&b, "permit(principal, action, resource) when { principal has m");
        for (int i = 1; i < 300; i++)
            cd_buf_puts(&b, ".m");
        cd_buf_puts(&b, " && principal");
        for (int i = 0; i < 300 + longer; i++)
            cd_buf_puts(&b, ".m");
        cd_buf_puts(&b, ".name == \"\" };");
        expect_in(S, cd_buf_cstr(&b), longer ? E_OPTATTR : OK, longer ? E_OPTATTR : OK);
    }
    cd_buf_free(&b);
}

static void test_impossible(void)
{
    T_CHECK(!impossible(P("principal.age > 3"), CD_VMODE_STRICT));
    T_CHECK(impossible(P("false"), CD_VMODE_STRICT));
    /* a required attribute of a record is always there */
    T_CHECK(impossible(P("!(context has s)"), CD_VMODE_STRICT));
    /* ... but an entity may not exist: `has` of a required attribute is not known */
    T_CHECK(!impossible(P("!(principal has age)"), CD_VMODE_STRICT));
    /* no User is a Doc */
    T_CHECK(impossible(P("principal is Doc"), CD_VMODE_STRICT));
    T_CHECK(impossible(P("principal == resource"), CD_VMODE_PERMISSIVE));
    T_CHECK(impossible(P("principal in resource"), CD_VMODE_STRICT));
    /* an impossible policy is still valid, in both modes */
    expect(P("principal is Doc"), OK, OK);
    /* false in every environment of every action */
    T_CHECK(impossible("permit(principal, action, resource) when { principal is Color };",
                       CD_VMODE_STRICT));
}

/* ---- least upper bounds ------------------------------------------------------ */

static void test_lub(void)
{
    expect(P("[1, 2].contains(3)"), OK, OK);
    expect(P("[1, \"a\"].contains(3)"), E_INCOMPAT, E_INCOMPAT);
    /* different entity types: a union in permissive mode only */
    expect(P("[principal, resource].contains(principal)"), E_INCOMPAT, OK);
    expect(P("(if principal.flag then principal else resource.owner).age > 1"), OK, OK);
    expect(PV("(if context == {} then principal else resource) == principal"), E_INCOMPAT, OK);
    /* records: same attributes and optionality in strict mode */
    expect(P("(if principal.flag then {a: 1} else {a: 2, b: 3}).a > 1"), E_INCOMPAT, OK);
    expect(P("(if principal.flag then {a: 1} else {a: 2, b: 3}).b > 1"), E_INCOMPAT, E_NOATTR);
    /* permissive mode drops an attribute whose types have no lub */
    expect(P("(if principal.flag then {a: 1} else {a: true}).a"), E_INCOMPAT, E_NOATTR);
    expect(P("(if principal.flag then principal.addr else {city: \"x\"}).city == \"\""), E_INCOMPAT,
           OK);
    /* true and false: Bool */
    expect(P("if principal.flag then true else false"), OK, OK);
    /* the attributes of an entity union are those all its types have */
    expect(PV("(if context == {} then principal else resource).name == \"\""), E_INCOMPAT,
           E_NOATTR);
    run r;
    T_CHECK(validate(&r, SCHEMA,
                     "permit(principal, action == Action::\"view\", resource is Group)\n"
                     "when { (if context == {} then principal else resource) is User };",
                     CD_VMODE_PERMISSIVE));
    T_CHECK(r.res.policies[0].valid && !r.res.policies[0].impossible);
    done(&r);
}

static void test_equality(void)
{
    expect(P("principal.age == 3"), OK, OK);
    expect(P("principal.age == \"3\""), E_INCOMPAT, OK);
    /* disjoint entity types: always false, which strict mode accepts */
    expect(P("principal == resource"), OK, OK);
    /* literals are compared statically: always false, so strict mode accepts it */
    expect(P("1 == \"a\""), OK, OK);
    T_CHECK(impossible(P("1 == \"a\""), CD_VMODE_STRICT));
    expect(P("context.s == 1"), E_INCOMPAT, OK);
    expect(P("User::\"a\" == Doc::\"b\""), OK, OK);
    expect(P("action == Action::\"read\""), OK, OK);
    expect(P("principal.labels == resource.labels"), E_NOATTR, E_NOATTR);
    expect(P("resource.labels.contains(1)"), E_INCOMPAT, OK);
    expect(P("resource.labels.containsAll([1])"), E_INCOMPAT, OK);
    expect(P("resource.labels.containsAny([\"a\"])"), OK, OK);
    /* the official AST folds `&&` and `||` of boolean literals into a
     * literal: `true && false` is the literal `false`, so these are compared
     * statically and strict mode needs no common type */
    expect(P("Doc::\"a\" == (true && false)"), OK, OK);
    expect(P("\"bob\" == (false || (true && true))"), OK, OK);
    T_CHECK(impossible(P("Doc::\"a\" == (true && false)"), CD_VMODE_STRICT));
    expect(P("resource == (true && false)"), E_INCOMPAT, OK);
    expect(P("Doc::\"a\" == (1 < 2)"), E_INCOMPAT, OK);
    /* ... and `(false && false) == false` is always true: the else branch is
     * never typechecked */
    expect(P("if (false && (false && false)) == false then true else [].isEmpty()"), OK, OK);
}

static void test_sets_and_records(void)
{
    expect(P("[].isEmpty()"), E_EMPTY, OK);
    expect(P("resource.labels.isEmpty()"), OK, OK);
    expect(P("principal.isEmpty()"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("{a: 1, b: \"x\"}.b == \"x\""), OK, OK);
    expect(P("{a: 1}.b == 1"), E_NOATTR, E_NOATTR);
    expect(P("{a: 1} has b"), OK, OK);
    T_CHECK(impossible(P("{a: 1} has b"), CD_VMODE_STRICT));
    T_CHECK(impossible(P("!({a: 1} has a)"), CD_VMODE_STRICT));
    /* `action in []` applies to no action; in strict mode the empty set
     * literal is an error too */
    expect("permit(principal, action in [], resource);", E_APPLY, E_APPLY);
    run r;
    T_CHECK(validate(&r, SCHEMA, "permit(principal, action in [], resource);", CD_VMODE_STRICT));
    T_CHECK(r.res.policies[0].n_errors == 2);
    done(&r);
}

static void test_operators(void)
{
    expect(P("principal.age + 1 > 2"), OK, OK);
    expect(P("principal.name + \"x\" == \"\""), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("-principal.age < 0"), OK, OK);
    expect(P("-principal.name < 0"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("!principal.age"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("principal.age && true"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("principal.name < \"b\""), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("principal like \"a\""), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("principal.age is User"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("principal in principal.name"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("principal in [resource.owner]"), OK, OK);
    expect(P("principal in resource.labels"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("if principal.age then 1 else 2"), E_UNEXPECTED, E_UNEXPECTED);
    /* the condition of a policy must be a boolean */
    expect(P("principal.age"), E_UNEXPECTED, E_UNEXPECTED);
    /* the else branch of `if true` is not typechecked, nor the right of `false &&` */
    expect(P("if true then true else 1 + \"a\""), OK, OK);
    expect(P("false && 1 + \"a\""), OK, OK);
    expect(P("true || 1 + \"a\""), OK, OK);
    expect(P("if false then 1 + \"a\" else true"), OK, OK);
    /* both operands are typechecked, so both errors are reported */
    run r;
    T_CHECK(validate(&r, SCHEMA, P("\"a\" + (1 + \"b\") > 1"), CD_VMODE_STRICT));
    T_CHECK(r.res.policies[0].n_errors == 2);
    done(&r);
}

static void test_hierarchy(void)
{
    /* action literals `in` action literals: decided by the schema */
    T_CHECK(!impossible(PV("action in Action::\"all\""), CD_VMODE_STRICT));
    T_CHECK(impossible(P("action in Action::\"all\""), CD_VMODE_STRICT));
    T_CHECK(impossible(P("action in [Action::\"view\", Action::\"all\"]"), CD_VMODE_STRICT));
    T_CHECK(!impossible(P("action in [Action::\"view\", Action::\"read\"]"), CD_VMODE_STRICT));
    T_CHECK(impossible(PV("action in Group::\"g\""), CD_VMODE_STRICT));
    /* entity types: User and Admin can be in a Group, a Doc cannot */
    T_CHECK(!impossible(P("principal in Group::\"g\""), CD_VMODE_STRICT));
    T_CHECK(impossible(P("resource in Group::\"g\""), CD_VMODE_STRICT));
    T_CHECK(!impossible(P("principal in resource.owner"), CD_VMODE_STRICT));
}

/* ---- entity tags ---------------------------------------------------------------- */

static void test_tags(void)
{
    expect(P("principal.getTag(\"a\") == \"x\""), E_TAG, E_TAG);
    expect(P("principal.hasTag(\"a\") && principal.getTag(\"a\") == \"x\""), OK, OK);
    expect(P("principal.hasTag(context.s) && principal.getTag(context.s) == \"x\""), OK, OK);
    expect(P("principal.hasTag(\"a\") && principal.getTag(\"b\") == \"x\""), E_TAG, E_TAG);
    /* `x is T in y` is `x is T && x in y` in the official AST: one expression
     * for capabilities, however it is written (found by the validation target) */
    expect(
        P("(if principal is User in Group::\"g\" then principal else principal).hasTag(\"a\") && "
          "(if principal is User && principal in Group::\"g\" then principal else principal)"
          ".getTag(\"a\") == \"x\""),
        OK, OK);
    expect(P("(if principal is User && principal in Group::\"g\" then principal else principal)"
             ".hasTag(\"a\") && "
             "(if principal is User in Group::\"g\" then principal else principal).getTag(\"a\") "
             "== \"x\""),
           OK, OK);
    expect(
        P("(if principal is User in Group::\"g\" then principal else principal).hasTag(\"a\") && "
          "(if principal is User && principal in Group::\"h\" then principal else principal)"
          ".getTag(\"a\") == \"x\""),
        E_TAG, E_TAG);
    expect(P("principal.hasTag(\"a\") && principal.getTag(\"a\") == 1"), E_INCOMPAT, OK);
    /* Doc has no tags: hasTag is always false */
    T_CHECK(impossible(P("resource.hasTag(\"a\")"), CD_VMODE_STRICT));
    expect(P("resource.hasTag(\"a\") && resource.getTag(\"a\") == 1"), OK, OK);
    expect(P("principal.hasTag(1)"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("context.hasTag(\"a\")"), E_UNEXPECTED, E_UNEXPECTED);
}

/* ---- extension functions ------------------------------------------------------------ */

static void test_extensions(void)
{
    expect(P("context.d.lessThan(decimal(\"1.5\"))"), OK, OK);
    expect(P("context.d.lessThan(decimal(\"1.55555\"))"), E_EXTARG, E_EXTARG);
    expect(P("decimal(context.s).lessThan(context.d)"), E_NONLIT, OK);
    expect(P("decimal(1).lessThan(context.d)"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("context.d < decimal(\"1.0\")"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("context.ip.isInRange(ip(\"10.0.0.0/8\"))"), OK, OK);
    expect(P("context.ip.isInRange(ip(\"10.0.0.0/88\"))"), E_EXTARG, E_EXTARG);
    expect(P("ip(\"1.2.3.4\", \"x\").isIpv4()"), E_ARGS, E_ARGS);
    expect(P("context.ip.isIpv4(1)"), E_ARGS, E_ARGS);
    expect(P("context.when < datetime(\"2024-01-01\")"), OK, OK);
    expect(P("context.when < datetime(\"2024-13-01\")"), E_EXTARG, E_EXTARG);
    expect(P("context.when.offset(duration(\"1h\")) > context.when"), OK, OK);
    expect(P("context.when.offset(duration(\"1x\")) > context.when"), E_EXTARG, E_EXTARG);
    expect(P("context.when < duration(\"1h\")"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("context.when.durationSince(context.when).toHours() > 1"), OK, OK);
    expect(P("context.when.toTime() < context.when"), E_UNEXPECTED, E_UNEXPECTED);
    expect(P("principal.age < context.when"), E_UNEXPECTED, E_UNEXPECTED);
    /* methods of one extension type on another */
    expect(P("context.ip.lessThan(context.d)"), E_UNEXPECTED, E_UNEXPECTED);
}

/* ---- templates and links -------------------------------------------------------------- */

static void test_templates(void)
{
    expect("permit(principal == ?principal, action == Action::\"read\", resource);", OK, OK);
    expect("permit(principal in ?principal, action == Action::\"read\", resource) when { "
           "principal.age > 1 };",
           OK, OK);
    expect("permit(principal, action == Action::\"read\", resource in ?resource) when { "
           "resource.owner == principal };",
           OK, OK);
    expect("permit(principal is Group in ?principal, action, resource);", E_APPLY, E_APPLY);

    /* links: the slot values' types must be known */
    cedar_error err = {0};
    cedar_schema *s = cedar_schema_parse(SCHEMA, strlen(SCHEMA), CEDAR_SCHEMA_TEXT, "schema", &err);
    const char *src = "permit(principal == ?principal, action == Action::\"read\", resource);";
    cedar_policy_set *ps = cedar_policy_set_parse(src, strlen(src), "p", &err);
    T_CHECK(s && ps);
    T_CHECK(cedar_policy_set_link(ps, "policy0", "ok", "User::\"a\"", NULL, &err) == 0);
    T_CHECK(cedar_policy_set_link(ps, "policy0", "unknown", "Usr::\"a\"", NULL, &err) == 0);
    T_CHECK(cedar_policy_set_link(ps, "policy0", "notapplicable", "Doc::\"a\"", NULL, &err) == 0);
    cedar_validation *v = cedar_validate(s, ps, CEDAR_VALIDATION_STRICT, &err);
    T_CHECK(v && cedar_validation_policy_count(v) == 4);
    T_CHECK(cedar_validation_policy_valid(v, 0));
    T_CHECK(cedar_validation_policy_valid(v, 1));
    T_CHECK(!cedar_validation_policy_valid(v, 2));
    T_CHECK(!cedar_validation_policy_valid(v, 3));
    T_CHECK(!cedar_validation_passed(v));
    size_t kinds = 0;
    for (size_t i = 0; i < cedar_validation_error_count(v); i++) {
        size_t p = cedar_validation_error_policy(v, i);
        if (p == 2)
            kinds |= strcmp(cedar_validation_error_kind(v, i), "unrecognized entity type") == 0;
        if (p == 3)
            kinds |= (strcmp(cedar_validation_error_kind(v, i), "invalid action application") == 0)
                     << 1;
    }
    T_CHECK(kinds == 3);
    cedar_validation_free(v);
    cedar_policy_set_free(ps);
    cedar_schema_free(s);
    cedar_error_clear(&err);
}

/* ---- locations and messages -------------------------------------------------------------- */

static void test_locations(void)
{
    run r;
    const char *src = "permit(principal, action == Action::\"read\", resource)\n"
                      "when {\n"
                      "  principal.nick == \"a\" &&\n"
                      "  context.missing\n"
                      "};\n"
                      "forbid(principal, action, resource) when { resource is Dok };\n";
    T_CHECK(validate(&r, SCHEMA, src, CD_VMODE_STRICT));
    T_CHECK(r.res.n == 2 && !r.res.valid);
    const cd_vpolicy *p = &r.res.policies[0];
    T_CHECK(p->n_errors == 2);
    if (p->n_errors == 2) {
        T_CHECK((int)p->errors[0].kind == E_OPTATTR);
        T_CHECK(p->errors[0].loc.line == 3 && p->errors[0].loc.column == 3);
        T_CHECK_STR(p->errors[0].message, "unable to guarantee safety of access to optional "
                                          "attribute `nick` on entity type `User`");
        T_CHECK_STR(p->errors[0].help,
                    "try testing for the attribute's presence with `e has nick && ..`");
        T_CHECK((int)p->errors[1].kind == E_NOATTR);
        T_CHECK(p->errors[1].loc.line == 4 && p->errors[1].loc.column == 3);
        T_CHECK_STR(p->errors[1].message,
                    "attribute `missing` in context for Action::\"read\" not found");
    }
    const cd_vpolicy *q = &r.res.policies[1];
    T_CHECK(q->n_errors == 1);
    if (q->n_errors == 1) {
        T_CHECK(q->errors[0].loc.line == 6 && q->errors[0].loc.column == 44);
        T_CHECK_STR(q->errors[0].message, "unrecognized entity type `Dok`");
        T_CHECK_STR(q->errors[0].help, "did you mean `Doc`?");
    }
    done(&r);

    T_CHECK(validate(&r, SCHEMA, P("principal.addr.zip > 1"), CD_VMODE_STRICT));
    p = &r.res.policies[0];
    T_CHECK(p->n_errors == 1);
    if (p->n_errors == 1) {
        T_CHECK_STR(p->errors[0].message, "unable to guarantee safety of access to optional "
                                          "attribute `addr.zip` on entity type `User`");
        T_CHECK_STR(p->errors[0].help,
                    "try testing for the attribute's presence with `e.addr has zip && ..`");
    }
    done(&r);

    T_CHECK(validate(&r, SCHEMA, P("principal.agee > 1"), CD_VMODE_STRICT));
    p = &r.res.policies[0];
    T_CHECK(p->n_errors == 1 && p->errors[0].help &&
            strcmp(p->errors[0].help, "did you mean `age`?") == 0);
    done(&r);

    T_CHECK(validate(&r, SCHEMA, P("[1, \"a\"].isEmpty()"), CD_VMODE_STRICT));
    p = &r.res.policies[0];
    T_CHECK(p->n_errors == 1);
    if (p->n_errors == 1) {
        T_CHECK_STR(p->errors[0].message, "the types Long and String are not compatible");
        T_CHECK(p->errors[0].loc.line == 1 && p->errors[0].loc.column == 62);
    }
    done(&r);
}

/* ---- schemas: JSON format, namespaces ------------------------------------------------ */

static void test_json_schema(void)
{
    const char *js =
        "{\"NS\": {\"entityTypes\": {\"U\": {\"shape\": {\"type\": \"Record\", "
        "\"attributes\": {\"a\": {\"type\": \"Long\"}, \"b\": {\"type\": \"String\", "
        "\"required\": false}}}}},"
        "\"actions\": {\"act\": {\"appliesTo\": {\"principalTypes\": [\"U\"], "
        "\"resourceTypes\": [\"U\"], \"context\": {\"type\": \"Record\", "
        "\"attributes\": {\"ip\": {\"type\": \"Extension\", \"name\": \"ipaddr\"}}}}}}}}";
    cedar_error err = {0};
    cedar_schema *s = cedar_schema_parse(js, strlen(js), CEDAR_SCHEMA_JSON, "s.json", &err);
    T_CHECK(s != NULL);
    const char *cases[] = {
        "permit(principal, action == NS::Action::\"act\", resource) when { principal.a > 1 };",
        "permit(principal, action == NS::Action::\"act\", resource) when { principal.b == \"\" };",
        "permit(principal, action == NS::Action::\"act\", resource) when { principal has b };",
        "permit(principal, action == NS::Action::\"act\", resource) when { context.ip.isIpv4() };",
        "permit(principal, action == Action::\"act\", resource);",
        "permit(principal is NS::U, action, resource is U);",
    };
    const bool valid[] = {true, false, true, true, false, false};
    for (size_t i = 0; s && i < sizeof valid; i++) {
        cedar_policy_set *ps = cedar_policy_set_parse(cases[i], strlen(cases[i]), "p", &err);
        cedar_validation *v = cedar_validate(s, ps, CEDAR_VALIDATION_STRICT, &err);
        T_CHECK(v && cedar_validation_passed(v) == valid[i]);
        cedar_validation_free(v);
        cedar_policy_set_free(ps);
    }
    cedar_schema_free(s);
    cedar_error_clear(&err);
}

static void test_api(void)
{
    cedar_error err = {0};
    T_CHECK(cedar_validate(NULL, NULL, CEDAR_VALIDATION_STRICT, &err) == NULL);
    T_CHECK(err.message != NULL);
    cedar_error_clear(&err);
    T_CHECK(cedar_validation_error_count(NULL) == 0);
    T_CHECK(cedar_validation_policy_id(NULL, 0) == NULL);
    cedar_validation_free(NULL);
    /* an empty policy set is valid */
    cedar_schema *s = cedar_schema_parse(SCHEMA, strlen(SCHEMA), CEDAR_SCHEMA_TEXT, "s", &err);
    cedar_policy_set *ps = cedar_policy_set_parse("", 0, "p", &err);
    cedar_validation *v = cedar_validate(s, ps, CEDAR_VALIDATION_PERMISSIVE, &err);
    T_CHECK(v && cedar_validation_passed(v) && cedar_validation_policy_count(v) == 0);
    cedar_validation_free(v);
    cedar_policy_set_free(ps);
    cedar_schema_free(s);
}

/* Deeply nested input stays within the stack and gives the right verdict. */
static void test_deep(void)
{
    size_t depth = 900;
    size_t cap = depth * 24 + 200;
    char *src = malloc(cap);
    strcpy(src, "permit(principal, action == Action::\"read\", resource) when { ");
    for (size_t i = 0; i < depth; i++)
        strcat(src, "(principal.age > 1 && ");
    strcat(src, "true");
    for (size_t i = 0; i < depth; i++)
        strcat(src, ")");
    strcat(src, " };");
    expect(src, OK, OK);
    free(src);
}

/* ---- the operators' hints (cd_ops.def's hint columns) ----------------------- */

/* Does the condition's first error (strict mode) carry a hint containing want? */
static bool hint_is(const char *cond, const char *want)
{
    char text[512];
    snprintf(text, sizeof text,
             "permit(principal, action == Action::\"read\", resource) when { %s };", cond);
    run r;
    bool ok = validate(&r, SCHEMA, text, CD_VMODE_STRICT) && r.res.n == 1 &&
              r.res.policies[0].n_errors > 0 && r.res.policies[0].errors[0].help &&
              strstr(r.res.policies[0].errors[0].help, want);
    if (!ok && r.res.n == 1) print_result(text, "strict", &r.res.policies[0]);
    done(&r);
    return ok;
}

static void test_operator_hints(void)
{
    T_CHECK(hint_is("principal.name + 1 == 2", "string concatenation")); /* + left */
    T_CHECK(hint_is("1 + principal.name == 2", "string concatenation")); /* + right */
    T_CHECK(hint_is("resource.labels - 1 == 2", "union, intersection"));
    T_CHECK(hint_is("2 == 1 * resource.labels", "union, intersection"));
    T_CHECK(hint_is("resource.labels in principal", "try using `contains`")); /* in left */
    T_CHECK(hint_is("principal in \"g\"", "try using `like`"));               /* in right */
    T_CHECK(hint_is("principal.contains(1)", "entity hierarchy membership"));
    T_CHECK(hint_is("resource.labels.containsAll(\"a\")", "single element is in a set"));
    T_CHECK(hint_is("resource.labels.containsAny(\"a\")", "single element is in a set"));
    T_CHECK(hint_is("principal.name.isEmpty()", "test if a string is empty"));
}

int main(void)
{
    T_RUN(test_names);
    T_RUN(test_action_application);
    T_RUN(test_attributes);
    T_RUN(test_capabilities);
    T_RUN(test_has_paths);
    T_RUN(test_impossible);
    T_RUN(test_lub);
    T_RUN(test_equality);
    T_RUN(test_sets_and_records);
    T_RUN(test_operators);
    T_RUN(test_hierarchy);
    T_RUN(test_tags);
    T_RUN(test_extensions);
    T_RUN(test_templates);
    T_RUN(test_locations);
    T_RUN(test_json_schema);
    T_RUN(test_api);
    T_RUN(test_deep);
    T_RUN(test_operator_hints);
    T_DONE();
}
