/* Tests of the printer (cd_print_ast.c): the text it prints, record keys as
 * the official policy-to-text prints them, and parse-print-parse round trips
 * that must give the same AST.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cd_ast.h"
#include "t_parse.h"

/* ---- AST equality -------------------------------------------------------- */

static bool lit_eq(const cd_value *a, const cd_value *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case CD_V_BOOL: return a->u.b == b->u.b;
    case CD_V_LONG: return a->u.l == b->u.l;
    case CD_V_STRING: return cd_str_eq(a->u.s, b->u.s);
    case CD_V_ENTITY: return a->u.uid.type == b->u.uid.type && cd_str_eq(a->u.uid.id, b->u.uid.id);
    default: return false; /* the parser makes no other literals */
    }
}

/* Structural equality of expressions, ignoring locations. */
static bool ast_eq(const cd_expr *a, const cd_expr *b)
{
    if (!a || !b) return a == b;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case CD_X_LIT: return lit_eq(&a->u.lit, &b->u.lit);
    case CD_X_VAR: return a->u.var == b->u.var;
    case CD_X_SLOT: return a->u.slot == b->u.slot;
    case CD_X_HAS:
    case CD_X_GET_ATTR:
        return cd_str_eq(a->u.attr.name, b->u.attr.name) && ast_eq(a->u.attr.obj, b->u.attr.obj);
    case CD_X_LIKE:
        if (a->u.like.pat.n != b->u.like.pat.n) return false;
        for (size_t i = 0; i < a->u.like.pat.n; i++) {
            const cd_pat_elem *x = &a->u.like.pat.elems[i], *y = &b->u.like.pat.elems[i];
            if (x->star != y->star || !cd_str_eq(x->lit, y->lit)) return false;
        }
        return ast_eq(a->u.like.obj, b->u.like.obj);
    case CD_X_IS:
        return a->u.is.type == b->u.is.type && ast_eq(a->u.is.obj, b->u.is.obj) &&
               ast_eq(a->u.is.in, b->u.is.in);
    case CD_X_SET:
        if (a->u.list.n != b->u.list.n) return false;
        for (size_t i = 0; i < a->u.list.n; i++)
            if (!ast_eq(a->u.list.items[i], b->u.list.items[i])) return false;
        return true;
    case CD_X_RECORD:
        if (a->u.rec.n != b->u.rec.n) return false;
        for (size_t i = 0; i < a->u.rec.n; i++)
            if (!cd_str_eq(a->u.rec.keys[i], b->u.rec.keys[i]) ||
                !ast_eq(a->u.rec.vals[i], b->u.rec.vals[i]))
                return false;
        return true;
    case CD_X_CALL:
        if (a->u.call.fn != b->u.call.fn || a->u.call.n != b->u.call.n) return false;
        for (size_t i = 0; i < a->u.call.n; i++)
            if (!ast_eq(a->u.call.args[i], b->u.call.args[i])) return false;
        return true;
    default:
        return ast_eq(a->u.op.a, b->u.op.a) && ast_eq(a->u.op.b, b->u.op.b) &&
               ast_eq(a->u.op.c, b->u.op.c);
    }
}

static bool scope_eq(const cd_scope *a, const cd_scope *b)
{
    if (a->op != b->op || a->is_type != b->is_type || a->slot != b->slot) return false;
    if (!a->slot && (a->op == CD_SCOPE_EQ || a->op == CD_SCOPE_IN || a->op == CD_SCOPE_IS_IN) &&
        !cd_uid_eq(&a->uid, &b->uid))
        return false;
    if (a->n_uids != b->n_uids) return false;
    for (size_t i = 0; i < a->n_uids; i++)
        if (!cd_uid_eq(&a->uids[i], &b->uids[i])) return false;
    return true;
}

static bool policy_eq(const cd_policy *a, const cd_policy *b)
{
    if (a->body->effect != b->body->effect || a->body->n_annotations != b->body->n_annotations ||
        a->body->n_conditions != b->body->n_conditions || a->is_template != b->is_template)
        return false;
    for (size_t i = 0; i < a->body->n_annotations; i++)
        if (!cd_str_eq(a->body->annotations[i].key, b->body->annotations[i].key) ||
            !cd_str_eq(a->body->annotations[i].value, b->body->annotations[i].value) ||
            a->body->annotations[i].has_value != b->body->annotations[i].has_value)
            return false;
    for (size_t i = 0; i < a->body->n_conditions; i++)
        if (a->body->conditions[i].is_when != b->body->conditions[i].is_when ||
            !ast_eq(a->body->conditions[i].body, b->body->conditions[i].body))
            return false;
    return scope_eq(&a->body->principal, &b->body->principal) &&
           scope_eq(&a->body->action, &b->body->action) &&
           scope_eq(&a->body->resource, &b->body->resource);
}

/* parse, print, parse again: the two ASTs must be equal */
static int expr_roundtrip(const char *text)
{
    cd_expr *x = px(text);
    if (!x) return 0;
    cd_buf b;
    cd_buf_init(&b);
    cd_expr_print(&b, x);
    cd_err e = {0};
    cd_expr *y = cd_parse_expr(b.data, b.len, "printed", A, &e);
    int ok = y && ast_eq(x, y);
    if (!ok)
        fprintf(stderr, "round trip of `%s` via `%s` failed: %s\n", text, cd_buf_cstr(&b),
                e.message ? e.message : "different AST");
    cd_err_clear(&e);
    cd_buf_free(&b);
    return ok;
}

static int policy_roundtrip(const char *text)
{
    cd_policies ps = pols(text);
    if (!ps.n) return 0;
    cd_buf b;
    cd_buf_init(&b);
    for (size_t i = 0; i < ps.n; i++)
        cd_policy_print(&b, ps.items[i]);
    cd_err e = {0};
    cd_policies qs;
    int ok = cd_parse_policies(b.data, b.len, "printed", A, &qs, &e) && qs.n == ps.n;
    for (size_t i = 0; ok && i < ps.n; i++)
        ok = policy_eq(ps.items[i], qs.items[i]);
    if (!ok)
        fprintf(stderr, "round trip of `%s` via `%s` failed: %s\n", text, cd_buf_cstr(&b),
                e.message ? e.message : "different AST");
    cd_err_clear(&e);
    cd_buf_free(&b);
    return ok;
}

/* ---- printing ---------------------------------------------------------- */

static void test_print(void)
{
    T_CHECK_STR(show(px("1 + 2 * 3")), "1 + (2 * 3)");
    T_CHECK_STR(show(px("(1 + 2) * 3")), "(1 + 2) * 3");
    T_CHECK_STR(show(px("1 - -2")), "1 - (-2)");
    T_CHECK_STR(show(px("-(2)")), "-(2)");
    T_CHECK_STR(show(px("1 != 2")), "1 != 2"); /* kept as written (policy JSON has `!=`) */
    T_CHECK_STR(show(px("!(1 == 2)")), "!(1 == 2)");
    T_CHECK_STR(show(px("principal.a[\"b c\"][\"if\"]")), "principal.a[\"b c\"][\"if\"]");
    T_CHECK_STR(show(px("\"a\\\"b\\\\c\\n\\r\\t\\0\\u{7f}\xC3\xA9\"")),
                "\"a\\\"b\\\\c\\n\\r\\t\\0\\u{7f}\xC3\xA9\"");
    T_CHECK_STR(show(px("context like \"a*b\\*\\\\\"")), "context like \"a*b\\*\\\\\"");
    T_CHECK_STR(show(px("{a: 1, \"b c\": [User::\"x\"]}")), "{a: 1, \"b c\": [User::\"x\"]}");
    T_CHECK_STR(show(px("ip(\"1.2.3.4\").isInRange(ip(\"1.0.0.0/8\"))")),
                "ip(\"1.2.3.4\").isInRange(ip(\"1.0.0.0/8\"))");
    T_CHECK_STR(show(px("principal is A::B in ?principal")), "principal is A::B in ?principal");
    T_CHECK_STR(show(px("if true then 1 else 2")), "if true then 1 else 2");
    T_CHECK_STR(show(px("-9223372036854775808")), "-9223372036854775808");
    T_CHECK_STR(show(px("(-1).foo")), "(-1).foo");
    cd_policies ps = pols("@id(\"x\\ny\")@a permit(principal in ?principal, action in "
                          "[Action::\"a\"], resource is R) when { true } unless { false };");
    cd_buf b;
    cd_buf_init(&b);
    if (ps.n == 1) cd_policy_print(&b, ps.items[0]);
    T_CHECK_STR(cd_buf_cstr(&b), "@id(\"x\\ny\")\n@a\npermit (\n  principal in ?principal,\n  "
                                 "action in [Action::\"a\"],\n  resource is R\n)\nwhen {\n  "
                                 "true\n}\nunless {\n  false\n};\n");
    /* a linked policy prints the values of its slots */
    if (ps.n == 1) {
        cd_policy linked = *ps.items[0];
        linked.is_template = false;
        linked.template_of = ps.items[0];
        linked.has_principal_slot = true;
        linked.principal_slot = (cd_uid){nm("User"), CD_STR_LIT("bob"), 0};
        cd_buf_free(&b);
        cd_buf_init(&b);
        cd_policy_print(&b, &linked);
        T_CHECK(strstr(cd_buf_cstr(&b), "principal in User::\"bob\",") != NULL);
    }
    cd_buf_free(&b);
}

/* A record literal's key prints bare when it is an identifier that is not
 * reserved, quoted otherwise: the official policy-to-text's rule
 * (is_normalized_ident), each pair below checked with cedar-wasm 4.13's
 * policyToText on a policy JSON `Record` of that one key. */
static void test_print_record_keys(void)
{
    static const char *const keys[][2] = {
        {"a", "a"},
        {"_a1", "_a1"},
        {"A", "A"},
        {"_", "_"},
        {"Z9", "Z9"},
        {"__cedarx", "__cedarx"},
        {"__ced", "__ced"},
        {"principal", "principal"},
        {"context", "context"},
        {"permit", "permit"},
        {"when", "when"},
        {"unless", "unless"},
        {"null", "null"},
        {"TRUE", "TRUE"},
        {"In", "In"},
        {"if1", "if1"},
        {"decimal", "decimal"},
        {"a x", "\"a x\""},
        {"", "\"\""},
        {"if", "\"if\""},
        {"then", "\"then\""},
        {"else", "\"else\""},
        {"true", "\"true\""},
        {"false", "\"false\""},
        {"in", "\"in\""},
        {"is", "\"is\""},
        {"like", "\"like\""},
        {"has", "\"has\""},
        {"__cedar", "\"__cedar\""},
        {"__cedar::x", "\"__cedar::x\""},
        {"a::b", "\"a::b\""},
        {"a-b", "\"a-b\""},
        {"a.b", "\"a.b\""},
        {"1a", "\"1a\""},
        {"\xC3\xA9", "\"\xC3\xA9\""},
        {"x\xC3\xA9", "\"x\xC3\xA9\""},
        {"a\"b", "\"a\\\"b\""},
        {"a\\b", "\"a\\\\b\""},
        {"a\nb", "\"a\\nb\""},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        /* the key written as a string in the source, whatever it is */
        cd_buf src, want;
        cd_buf_init(&src);
        cd_buf_init(&want);
        cd_buf_puts(&src, "{\"");
        for (const char *c = keys[i][0]; *c; c++) {
            if (*c == '"' || *c == '\\') cd_buf_putc(&src, '\\');
            if (*c == '\n')
                cd_buf_puts(&src, "\\n");
            else
                cd_buf_putc(&src, *c);
        }
        cd_buf_puts(&src, "\": 1}");
        cd_buf_printf(&want, "{%s: 1}", keys[i][1]);
        T_CHECK_STR(show(px(cd_buf_cstr(&src))), cd_buf_cstr(&want));
        /* and the printed text reads back to the same key */
        T_CHECK_STR(show(px(cd_buf_cstr(&want))), cd_buf_cstr(&want));
        /* the attribute after `has` prints by the same rule (the official's
         * is_normalized_ident for both; cedar-wasm 4.13 checked on `b`,
         * `principal`, `_x1`, "a x", "if", "true", "__cedar"): the source's
         * `{"key": 1}` becomes `principal has "key"` */
        cd_buf src_has, want_has;
        cd_buf_init(&src_has);
        cd_buf_init(&want_has);
        cd_buf_puts(&src_has, "principal has ");
        cd_buf_put(&src_has, src.data + 1, src.len - 5); /* the quoted key */
        cd_buf_printf(&want_has, "principal has %s", keys[i][1]);
        T_CHECK_STR(show(px(cd_buf_cstr(&src_has))), cd_buf_cstr(&want_has));
        T_CHECK_STR(show(px(cd_buf_cstr(&want_has))), cd_buf_cstr(&want_has));
        cd_buf_free(&src_has);
        cd_buf_free(&want_has);
        cd_buf_free(&src);
        cd_buf_free(&want);
    }
    /* nested records follow the same rule; keys print in the AST's (source)
     * order, where the official prints them sorted */
    T_CHECK_STR(show(px("{b: {z: 1, \"a b\": 2}, \"if\": [{\"k k\": 1, j: 2}]}")),
                "{b: {z: 1, \"a b\": 2}, \"if\": [{\"k k\": 1, j: 2}]}");
}

static void test_roundtrip(void)
{
    static const char *const exprs[] = {
        "1 + 2 * 3 - 4",
        "(1 + 2) * (3 - 4)",
        "1 - (2 - 3)",
        "-1 - -2",
        "--1",
        "-(-(1))",
        "----context.x",
        "!!!!true",
        "!(!(!(!(!(true)))))",
        "-9223372036854775808",
        "--9223372036854775808",
        "9223372036854775807",
        "a || b && c || !d",
        "true || (false || true)",
        "true && (false && true)",
        "principal == User::\"a\" && action in [Action::\"b\"] || resource in ?resource",
        "1 < 2 && 2 <= 3 && 4 > 3 && 4 >= 4 && 1 != 2",
        "(1 < 2) == true",
        "context has a.b.c",
        "context has \"if\" && context[\"if\"] == 1",
        "principal has principal",
        "context.s like \"*a\\*b*\\\\c**\"",
        "context.s like \"\"",
        "context.s like \"*\"",
        "principal is User in Group::\"g\" && resource is NS::Doc",
        "(principal is User) == true",
        "if context.a then [1, 2] else {\"k\": if true then 1 else 2}",
        "if if true then false else true then 1 else 2",
        "[].isEmpty() && [1].contains(1) && [1].containsAll([]) && [2].containsAny([2])",
        "principal.getTag(\"t\") == 1 && resource.hasTag(\"u\")",
        "ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\")) && ip(\"::1\").isLoopback()",
        "decimal(\"1.23\").lessThanOrEqual(decimal(\"2.0\"))",
        ("datetime(\"2024-10-15T11:35:00Z\").offset(duration(\"-1d2h\")).toTime() > "
         "duration(\"1ms\")"),
        "ip(\"1.2.3.4\", 5)",
        "context.isIpv6(1, 2)",
        "{\"a b\": 1, c: {d: [context.e, \"\\u{0}\\u{1F600}\"]}}",
        "User::\"a\\\"b\\\\c\".attr[\"with space\"]",
        "\"str\".foo.bar",
        "(1).foo",
        "5.foo",
        "-(5.foo)",
        "-5.foo",
        "true.x",
        "(if true then principal else resource).name",
        "(context.a + 1) * 2 == context.b",
        "(context in [Group::\"a\"]) in context",
        "context.x like \"a\" && !(context.y like \"b*\")",
    };
    /* some of these refer to bare names, which only parse in a record key */
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        const char *t = exprs[i];
        if (strstr(t, "a || b")) t = "context.a || context.b && context.c || !context.d";
        T_CHECK(expr_roundtrip(t));
    }
    static const char *const policies[] = {
        "permit(principal, action, resource);",
        "@id(\"p\") @advice(\"line\\nbreak \\\"q\\\"\") @empty\nforbid(principal == User::\"a\", "
        "action == Action::\"b\", resource == Doc::\"c\") when { true } unless { false };",
        "permit(principal in Group::\"g\", action in [Action::\"a\", NS::Action::\"b\"], resource "
        "in Folder::\"f\");",
        "permit(principal is User, action in [], resource is NS::Doc in Folder::\"x\");",
        "permit(principal == ?principal, action, resource in ?resource);",
        "permit(principal is User in ?principal, action == Action::\"a\", resource is R in "
        "?resource) when { context.x has y.z };",
        "permit(principal, action, resource) when { 1 } when { 2 } unless { 3 };",
    };
    for (size_t i = 0; i < sizeof policies / sizeof policies[0]; i++)
        T_CHECK(policy_roundtrip(policies[i]));
}

int main(void)
{
    A = cd_arena_new();
    T_RUN(test_print);
    T_RUN(test_print_record_keys);
    T_RUN(test_roundtrip);
    cd_arena_free(A);
    T_DONE();
}
