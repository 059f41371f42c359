/* Tests of the policy parser (cd_parse*.c, cd_lex.c, cd_unescape.c) and the
 * `like` matcher (cd_pattern.c); the printer's are in test_print.c.
 *
 * Expected shapes and errors follow the official Cedar parser: its grammar
 * (grammar.lalrpop) and its CST-to-AST conversion (cst_to_ast.rs).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cd_ast.h"
#include "cd_lex.h"
#include "t_parse.h"

/* ---- helpers ----------------------------------------------------------- */

/* Parse text expecting an error at line:col whose message contains want. */
static int expr_err(const char *text, unsigned line, unsigned col, const char *want)
{
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(text, strlen(text), "f.cedar", A, &e);
    int ok = !x && e.message && e.loc.line == line && e.loc.column == col &&
             strstr(e.message, want) != NULL && e.file && strcmp(e.file, "f.cedar") == 0;
    if (!ok)
        fprintf(stderr, "for `%s`: got %s %u:%u \"%s\", want %u:%u \"%s\"\n", text,
                x ? "success" : "error", e.loc.line, e.loc.column, e.message ? e.message : "", line,
                col, want);
    cd_err_clear(&e);
    return ok;
}

static int pol_err(const char *text, unsigned line, unsigned col, const char *want)
{
    cd_err e = {0};
    cd_policies ps;
    bool r = cd_parse_policies(text, strlen(text), "p.cedar", A, &ps, &e);
    int ok = !r && e.message && e.loc.line == line && e.loc.column == col &&
             strstr(e.message, want) != NULL && e.file && strcmp(e.file, "p.cedar") == 0;
    if (!ok)
        fprintf(stderr, "for `%s`: got %s %u:%u \"%s\", want %u:%u \"%s\"\n", text,
                r ? "success" : "error", e.loc.line, e.loc.column, e.message ? e.message : "", line,
                col, want);
    cd_err_clear(&e);
    return ok;
}

/* ---- literals ---------------------------------------------------------- */

static void test_literals(void)
{
    cd_expr *x = px("true");
    T_CHECK(x && x->kind == CD_X_LIT && x->u.lit.kind == CD_V_BOOL && x->u.lit.u.b);
    x = px("false");
    T_CHECK(x && x->kind == CD_X_LIT && !x->u.lit.u.b);
    x = px("42");
    T_CHECK(x && x->kind == CD_X_LIT && x->u.lit.kind == CD_V_LONG && x->u.lit.u.l == 42);
    x = px("007");
    T_CHECK(x && x->u.lit.u.l == 7);
    x = px("-42");
    T_CHECK(x && x->kind == CD_X_LIT && x->u.lit.u.l == -42);
    x = px("9223372036854775807");
    T_CHECK(x && x->kind == CD_X_LIT && x->u.lit.u.l == INT64_MAX);
    x = px("-9223372036854775808");
    T_CHECK(x && x->kind == CD_X_LIT && x->u.lit.u.l == INT64_MIN);
    /* a second `-` is an operator applied to the folded literal */
    x = px("--9223372036854775808");
    T_CHECK(x && x->kind == CD_X_NEG && x->u.op.a->kind == CD_X_LIT &&
            x->u.op.a->u.lit.u.l == INT64_MIN);
    /* `-` before a parenthesized number or member access is negation */
    x = px("-(5)");
    T_CHECK(x && x->kind == CD_X_NEG && x->u.op.a->u.lit.u.l == 5);
    x = px("-5.foo");
    T_CHECK(x && x->kind == CD_X_NEG && x->u.op.a->kind == CD_X_GET_ATTR);
    x = px("- -1");
    T_CHECK(x && x->kind == CD_X_NEG && x->u.op.a->kind == CD_X_LIT && x->u.op.a->u.lit.u.l == -1);
    T_CHECK(expr_err("9223372036854775808", 1, 1, "too large"));
    T_CHECK(expr_err("-9223372036854775809", 1, 1, "too small"));
    T_CHECK(expr_err("-(9223372036854775808)", 1, 3, "too large"));
    T_CHECK(expr_err("1 + 18446744073709551616", 1, 5, "too large"));
    T_CHECK(expr_err("99999999999999999999999999", 1, 1, "too large"));
    T_CHECK(expr_err("9223372036854775808.foo", 1, 1, "too large"));
    x = px("\"hello\"");
    T_CHECK(x && x->kind == CD_X_LIT && x->u.lit.kind == CD_V_STRING &&
            cd_str_eq_c(x->u.lit.u.s, "hello"));
    x = px("User::\"alice\"");
    T_CHECK(x && x->kind == CD_X_LIT && x->u.lit.kind == CD_V_ENTITY &&
            x->u.lit.u.uid.type == nm("User") && cd_str_eq_c(x->u.lit.u.uid.id, "alice"));
    x = px("A::B::C::\"\"");
    T_CHECK(x && x->u.lit.u.uid.type == nm("A::B::C") && x->u.lit.u.uid.id.len == 0);
    x = px("A :: B :: \"x\"");
    T_CHECK(x && x->u.lit.u.uid.type == nm("A::B"));
    /* identifiers that are keywords but not reserved may be type names */
    x = px("permit::principal::\"x\"");
    T_CHECK(x && x->u.lit.u.uid.type == nm("permit::principal"));
    T_CHECK(expr_err("if::\"x\"", 1, 1, "reserved"));
    T_CHECK(expr_err("A::in::\"x\"", 1, 4, "reserved"));
    T_CHECK(expr_err("true::\"x\"", 1, 1, "reserved"));
    T_CHECK(expr_err("A::__cedar::\"x\"", 1, 4, "__cedar"));
    T_CHECK(expr_err("User::{a: 1}", 1, 1, "invalid entity literal"));
    T_CHECK(expr_err("User::", 1, 7, "expected an identifier or a string literal"));
}

static void test_escapes(void)
{
    cd_expr *x = px("\"a\\n\\r\\t\\\\\\0\\'\\\"z\"");
    T_CHECK(x && x->u.lit.u.s.len == 9 && memcmp(x->u.lit.u.s.ptr, "a\n\r\t\\\0'\"z", 9) == 0);
    x = px("\"\\x41\\x7F\\x7f\\u{48}\\u{e9}\\u{20AC}\\u{1F600}\\u{1_F6_00}\\u{000041}\"");
    T_CHECK(x && cd_str_eq_c(x->u.lit.u.s, "A\x7F\x7FH\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
                                           "\xF0\x9F\x98\x80"
                                           "A"));
    x = px("\"\\u{10FFFF}\"");
    T_CHECK(x && cd_str_eq_c(x->u.lit.u.s, "\xF4\x8F\xBF\xBF"));
    /* raw newlines, tabs and non-ASCII characters are allowed in strings */
    x = px("\"a\nb\t\xC3\xA9\"");
    T_CHECK(x && cd_str_eq_c(x->u.lit.u.s, "a\nb\t\xC3\xA9"));
    T_CHECK(expr_err("\"ab\\q\"", 1, 4, "invalid escape"));
    T_CHECK(expr_err("\"\\x80\"", 1, 2, "7F"));
    T_CHECK(expr_err("\"\\xG0\"", 1, 2, "invalid character"));
    T_CHECK(expr_err("\"\\x4\"", 1, 2, "two hex digits"));
    T_CHECK(expr_err("\"\\u{D800}\"", 1, 2, "surrogate"));
    T_CHECK(expr_err("\"\\u{110000}\"", 1, 2, "out of range"));
    T_CHECK(expr_err("\"\\u{}\"", 1, 2, "empty"));
    T_CHECK(expr_err("\"\\u{_1}\"", 1, 2, "`_`"));
    T_CHECK(expr_err("\"\\u{1234567}\"", 1, 2, "more than 6"));
    T_CHECK(expr_err("\"\\u{12\"", 1, 2, "unterminated"));
    T_CHECK(expr_err("\"\\u41\"", 1, 2, "`{`"));
    T_CHECK(expr_err("\"\\u{4G}\"", 1, 2, "invalid character"));
    T_CHECK(expr_err("\"a\rb\"", 1, 3, "carriage return"));
    T_CHECK(expr_err("\"\\*\"", 1, 2, "only allowed in `like` patterns"));
    /* errors inside multi-line strings are located on their own line */
    T_CHECK(expr_err("\"line1\nx\\qy\"", 2, 2, "invalid escape"));
    /* `\` before a line break does not form a string token */
    T_CHECK(expr_err("\"a\\\nb\"", 1, 1, "unterminated string"));
    T_CHECK(expr_err("\"abc", 1, 1, "unterminated string"));
    /* escapes in entity ids, annotations and record keys are resolved too */
    x = px("User::\"a\\u{62}\"");
    T_CHECK(x && cd_str_eq_c(x->u.lit.u.uid.id, "ab"));
    x = px("{\"k\\x41\": 1}");
    T_CHECK(x && x->kind == CD_X_RECORD && cd_str_eq_c(x->u.rec.keys[0], "kA"));
    T_CHECK(expr_err("User::\"\\q\"", 1, 8, "invalid escape"));
}

/* ---- expressions ------------------------------------------------------- */

static void test_operators(void)
{
    cd_expr *x = px("principal || action && resource");
    T_CHECK(x && x->kind == CD_X_OR && x->u.op.a->kind == CD_X_VAR && x->u.op.b->kind == CD_X_AND);
    x = px("true || false || true");
    T_CHECK(x && x->kind == CD_X_OR && x->u.op.a->kind == CD_X_OR &&
            x->u.op.b->kind == CD_X_LIT); /* left-associative */
    x = px("true && false && true");
    T_CHECK(x && x->kind == CD_X_AND && x->u.op.a->kind == CD_X_AND);
    x = px("1 + 2 * 3");
    T_CHECK(x && x->kind == CD_X_ADD && x->u.op.b->kind == CD_X_MUL);
    x = px("1 - 2 - 3");
    T_CHECK(x && x->kind == CD_X_SUB && x->u.op.a->kind == CD_X_SUB && x->u.op.b->u.lit.u.l == 3);
    x = px("2 * 3 * 4");
    T_CHECK(x && x->kind == CD_X_MUL && x->u.op.a->kind == CD_X_MUL);
    x = px("1 + 2 < 4");
    T_CHECK(x && x->kind == CD_X_LT && x->u.op.a->kind == CD_X_ADD);
    static const struct {
        const char *text;
        cd_xkind kind;
    } rel[] = {{"1 < 2", CD_X_LT},  {"1 <= 2", CD_X_LE}, {"1 > 2", CD_X_GT},
               {"1 >= 2", CD_X_GE}, {"1 == 2", CD_X_EQ}, {"principal in resource", CD_X_IN}};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        x = px(rel[i].text);
        T_CHECK(x && x->kind == rel[i].kind && x->u.op.a && x->u.op.b);
    }
    /* `a > b` keeps its operands in order */
    x = px("1 > 2");
    T_CHECK(x && x->u.op.a->u.lit.u.l == 1 && x->u.op.b->u.lit.u.l == 2);
    x = px("1 != 2");
    T_CHECK(x && x->kind == CD_X_NOT && x->u.op.a->kind == CD_X_EQ);
    x = px("!true");
    T_CHECK(x && x->kind == CD_X_NOT && x->u.op.a->kind == CD_X_LIT);
    x = px("!!!!true");
    T_CHECK(x && x->kind == CD_X_NOT && x->u.op.a->u.op.a->u.op.a->kind == CD_X_NOT &&
            x->u.op.a->u.op.a->u.op.a->u.op.a->kind == CD_X_LIT);
    T_CHECK(expr_err("----x.y", 1, 5, "invalid member access `x.y`"));
    x = px("----context.y");
    T_CHECK(x && x->kind == CD_X_NEG && x->u.op.a->u.op.a->u.op.a->kind == CD_X_NEG);
    x = px("----1");
    T_CHECK(x && x->kind == CD_X_NEG && x->u.op.a->u.op.a->u.op.a->kind == CD_X_LIT &&
            x->u.op.a->u.op.a->u.op.a->u.lit.u.l == -1);
    x = px("!context.a == 1");
    T_CHECK(x && x->kind == CD_X_EQ && x->u.op.a->kind == CD_X_NOT);
    x = px("-context.a * 2");
    T_CHECK(x && x->kind == CD_X_MUL && x->u.op.a->kind == CD_X_NEG);
    x = px("if principal then 1 else 2");
    T_CHECK(x && x->kind == CD_X_IF && x->u.op.a->kind == CD_X_VAR && x->u.op.c->u.lit.u.l == 2);
    x = px("if true then 1 else if false then 2 else 3");
    T_CHECK(x && x->kind == CD_X_IF && x->u.op.c->kind == CD_X_IF);
    x = px("if true then 1 else 2 || 3");
    T_CHECK(x && x->kind == CD_X_IF && x->u.op.c->kind == CD_X_OR);
    x = px("(if true then 1 else 2) + 1");
    T_CHECK(x && x->kind == CD_X_ADD && x->u.op.a->kind == CD_X_IF);
    x = px("[if true then 1 else 2]");
    T_CHECK(x && x->kind == CD_X_SET && x->u.list.items[0]->kind == CD_X_IF);
}

static void test_has_like_is(void)
{
    cd_expr *x = px("principal has name");
    T_CHECK(x && x->kind == CD_X_HAS && cd_str_eq_c(x->u.attr.name, "name") &&
            x->u.attr.obj->kind == CD_X_VAR);
    x = px("principal has \"a b\"");
    T_CHECK(x && x->kind == CD_X_HAS && cd_str_eq_c(x->u.attr.name, "a b"));
    x = px("principal has principal");
    T_CHECK(x && x->kind == CD_X_HAS && cd_str_eq_c(x->u.attr.name, "principal"));
    /* e has a.b.c  ==  (e has a && e.a has b) && e.a.b has c */
    x = px("context has a.b.c");
    T_CHECK_STR(show(x), /* a chain prints flat; the tree is left-deep (below) */
                "(context has a) && (context.a has b) && (context.a.b has c)");
    T_CHECK(x && x->kind == CD_X_AND && x->u.op.a->kind == CD_X_AND &&
            x->u.op.b->kind == CD_X_HAS && cd_str_eq_c(x->u.op.b->u.attr.name, "c") &&
            x->u.op.b->u.attr.obj->kind == CD_X_GET_ATTR &&
            cd_str_eq_c(x->u.op.b->u.attr.obj->u.attr.name, "b"));
    x = px("context has a.b && true");
    T_CHECK(x && x->kind == CD_X_AND && x->u.op.a->kind == CD_X_AND);
    T_CHECK(expr_err("context has if", 1, 13, "reserved"));
    T_CHECK(expr_err("context has true", 1, 13, "reserved"));
    T_CHECK(expr_err("context has a.in", 1, 15, "reserved"));
    T_CHECK(expr_err("context has a::b", 1, 13, "namespace"));
    T_CHECK(expr_err("context has 1", 1, 13, "invalid right-hand side of `has`"));
    T_CHECK(expr_err("context has (a)", 1, 13, "invalid right-hand side of `has`"));
    T_CHECK(expr_err("context has a.b(1)", 1, 13, "invalid right-hand side of `has`"));
    T_CHECK(expr_err("context has a + 1", 1, 13, "invalid right-hand side of `has`"));
    T_CHECK(expr_err("context has \"a\".b", 1, 13, "invalid right-hand side of `has`"));
    T_CHECK(expr_err("context has User::\"a\"", 1, 13, "invalid right-hand side of `has`"));
    T_CHECK(expr_err("context has a == true", 1, 15, "unexpected `==`"));

    x = px("context.s like \"a*b\\*c**\"");
    T_CHECK(x && x->kind == CD_X_LIKE && x->u.like.pat.n == 5);
    if (x && x->u.like.pat.n == 5) {
        const cd_pat_elem *el = x->u.like.pat.elems;
        T_CHECK(!el[0].star && cd_str_eq_c(el[0].lit, "a"));
        T_CHECK(el[1].star);
        T_CHECK(!el[2].star && cd_str_eq_c(el[2].lit, "b*c"));
        T_CHECK(el[3].star && el[4].star); /* each star kept, as policy JSON has them */
    }
    T_CHECK(cd_pattern_match(&x->u.like.pat, CD_STR_LIT("ab*c")));
    T_CHECK(cd_pattern_match(&x->u.like.pat, CD_STR_LIT("axxb*cyy")));
    T_CHECK(!cd_pattern_match(&x->u.like.pat, CD_STR_LIT("ab*")));
    x = px("context.s like \"\"");
    T_CHECK(x && x->kind == CD_X_LIKE && x->u.like.pat.n == 0);
    x = px("context.s like \"\\u{2a}\"");
    /* as officially, a `*` written as an escape is still a wildcard */
    T_CHECK(x && x->u.like.pat.n == 1 && x->u.like.pat.elems[0].star);
    x = px("context.s like \"\\x2a\\*\"");
    T_CHECK(x && x->u.like.pat.n == 2 && x->u.like.pat.elems[0].star &&
            cd_str_eq_c(x->u.like.pat.elems[1].lit, "*"));
    T_CHECK(expr_err("context like context", 1, 14, "string literal pattern"));
    T_CHECK(expr_err("context like (\"a\")", 1, 15, "string literal pattern"));
    T_CHECK(expr_err("context like \"a\\q\"", 1, 16, "invalid escape"));

    x = px("principal is User");
    T_CHECK(x && x->kind == CD_X_IS && x->u.is.type == nm("User") && !x->u.is.in);
    x = px("principal is NS::User in Group::\"g\"");
    T_CHECK(x && x->kind == CD_X_IS && x->u.is.type == nm("NS::User") && x->u.is.in &&
            x->u.is.in->kind == CD_X_LIT);
    x = px("principal is principal");
    T_CHECK(x && x->u.is.type == nm("principal"));
    x = px("principal is User && true");
    T_CHECK(x && x->kind == CD_X_AND && x->u.op.a->kind == CD_X_IS);
    T_CHECK(expr_err("principal is User::\"a\"", 1, 14, "entity type name"));
    T_CHECK(expr_err("principal is \"User\"", 1, 14, "entity type name"));
    T_CHECK(expr_err("principal is (User)", 1, 15, "invalid variable"));
    T_CHECK(expr_err("principal is if", 1, 14, "unexpected `if`"));
    T_CHECK(expr_err("principal is in", 1, 14, "reserved"));
    T_CHECK(expr_err("principal is User == true", 1, 19, "unexpected `==`"));
    T_CHECK(expr_err("principal in resource is User", 1, 23, "unexpected `is`"));
}

static void test_access_and_calls(void)
{
    cd_expr *x = px("principal.name");
    T_CHECK(x && x->kind == CD_X_GET_ATTR && cd_str_eq_c(x->u.attr.name, "name"));
    x = px("context[\"a b\"].c");
    T_CHECK(x && x->kind == CD_X_GET_ATTR && cd_str_eq_c(x->u.attr.name, "c") &&
            cd_str_eq_c(x->u.attr.obj->u.attr.name, "a b"));
    x = px("principal.permit.context");
    T_CHECK(x && x->kind == CD_X_GET_ATTR && cd_str_eq_c(x->u.attr.name, "context"));
    x = px("\"abc\".x");
    T_CHECK(x && x->kind == CD_X_GET_ATTR && x->u.attr.obj->kind == CD_X_LIT);
    x = px("User::\"a\".x");
    T_CHECK(x && x->kind == CD_X_GET_ATTR && x->u.attr.obj->u.lit.kind == CD_V_ENTITY);
    x = px("[1].contains(1)");
    T_CHECK(x && x->kind == CD_X_CONTAINS && x->u.op.a->kind == CD_X_SET &&
            x->u.op.b->u.lit.u.l == 1);
    x = px("context.a.containsAll([1])");
    T_CHECK(x && x->kind == CD_X_CONTAINS_ALL);
    x = px("context.containsAny([1])");
    T_CHECK(x && x->kind == CD_X_CONTAINS_ANY && x->u.op.a->kind == CD_X_VAR);
    x = px("[].isEmpty()");
    T_CHECK(x && x->kind == CD_X_IS_EMPTY && x->u.op.b == NULL);
    x = px("principal.getTag(\"t\")");
    T_CHECK(x && x->kind == CD_X_GET_TAG);
    x = px("principal.hasTag(\"t\")");
    T_CHECK(x && x->kind == CD_X_HAS_TAG);
    x = px("ip(\"10.0.0.1\")");
    T_CHECK(x && x->kind == CD_X_CALL && x->u.call.fn == CD_FN_IP && x->u.call.n == 1);
    x = px("decimal(\"1.5\").lessThan(decimal(\"2.0\"))");
    T_CHECK(x && x->kind == CD_X_CALL && x->u.call.fn == CD_FN_LESS_THAN && x->u.call.n == 2 &&
            x->u.call.args[0]->kind == CD_X_CALL && x->u.call.args[0]->u.call.fn == CD_FN_DECIMAL);
    x = px("context.t.offset(duration(\"1h\")).toDate()");
    T_CHECK(x && x->kind == CD_X_CALL && x->u.call.fn == CD_FN_TO_DATE && x->u.call.n == 1 &&
            x->u.call.args[0]->u.call.fn == CD_FN_OFFSET);
    x = px("datetime(\"2024-01-01\").durationSince(datetime(\"2023-01-01\")).toDays()");
    T_CHECK(x && x->kind == CD_X_CALL && x->u.call.fn == CD_FN_TO_DAYS);
    x = px("ip(\"1.2.3.4\").isInRange(ip(\"1.0.0.0/8\"))");
    T_CHECK(x && x->u.call.fn == CD_FN_IS_IN_RANGE && x->u.call.n == 2);
    /* extension arity is checked at evaluation, as the official parser does */
    x = px("ip(\"1.2.3.4\", 1)");
    T_CHECK(x && x->kind == CD_X_CALL && x->u.call.n == 2);
    x = px("context.isIpv4(1)");
    T_CHECK(x && x->kind == CD_X_CALL && x->u.call.fn == CD_FN_IS_IPV4 && x->u.call.n == 2);
    T_CHECK(expr_err("foo(1)", 1, 1, "`foo` is not a valid function"));
    T_CHECK(expr_err("A::ip(\"x\")", 1, 1, "`A::ip` is not a valid function"));
    T_CHECK(expr_err("lessThan(1, 2)", 1, 1, "is a method, not a function"));
    T_CHECK(expr_err("contains([1], 2)", 1, 1, "is a method, not a function"));
    T_CHECK(expr_err("context.ip()", 1, 9, "is a function, not a method"));
    T_CHECK(expr_err("context.foo()", 1, 9, "`foo` is not a valid method"));
    T_CHECK(expr_err("[].contains()", 1, 4, "requires exactly 1 argument, but got 0"));
    T_CHECK(expr_err("[].contains(1, 2)", 1, 4, "requires exactly 1 argument, but got 2"));
    T_CHECK(expr_err("[].isEmpty(1)", 1, 4, "requires exactly 0 arguments, but got 1"));
    T_CHECK(expr_err("principal(1)", 1, 10, "variables cannot be called"));
    T_CHECK(expr_err("(context)(1)", 1, 10, "function calls must be of the form"));
    T_CHECK(expr_err("ip(\"a\")(1)", 1, 8, "function calls must be of the form"));
    T_CHECK(expr_err("User.name", 1, 1, "invalid member access `User.name`"));
    T_CHECK(expr_err("User.foo()", 1, 1, "does not have any methods"));
    T_CHECK(expr_err("User[\"a\"]", 1, 1, "invalid indexing expression"));
    T_CHECK(expr_err("context[a]", 1, 9, "must be a string literal"));
    T_CHECK(expr_err("context[(\"a\")]", 1, 10, "must be a string literal"));
    T_CHECK(expr_err("context.if", 1, 9, "reserved"));
    T_CHECK(expr_err("context.__cedar", 1, 9, "__cedar"));
    T_CHECK(expr_err("context.1", 1, 9, "expected an attribute or method name"));
}

static void test_sets_records(void)
{
    cd_expr *x = px("[]");
    T_CHECK(x && x->kind == CD_X_SET && x->u.list.n == 0);
    x = px("[1, \"a\", [true],]");
    T_CHECK(x && x->kind == CD_X_SET && x->u.list.n == 3 && x->u.list.items[2]->kind == CD_X_SET);
    x = px("[1, 1]");
    T_CHECK(x && x->u.list.n == 2); /* duplicates are removed when evaluated */
    x = px("{}");
    T_CHECK(x && x->kind == CD_X_RECORD && x->u.rec.n == 0);
    x = px("{b: 1, \"a\": 2, principal: 3, permit: 4,}");
    T_CHECK(x && x->kind == CD_X_RECORD && x->u.rec.n == 4 && cd_str_eq_c(x->u.rec.keys[0], "b") &&
            cd_str_eq_c(x->u.rec.keys[1], "a") && cd_str_eq_c(x->u.rec.keys[2], "principal") &&
            cd_str_eq_c(x->u.rec.keys[3], "permit") && x->u.rec.vals[1]->u.lit.u.l == 2);
    T_CHECK(expr_err("{a: 1, b: 2, \"a\": 3}", 1, 14, "duplicate key `a`"));
    T_CHECK(expr_err("{if: 1}", 1, 2, "reserved"));
    T_CHECK(expr_err("{true: 1}", 1, 2, "reserved"));
    T_CHECK(expr_err("{in: 1}", 1, 2, "reserved"));
    T_CHECK(expr_err("{a::b: 1}", 1, 2, "namespace"));
    T_CHECK(expr_err("{1: 1}", 1, 2, "invalid attribute name"));
    T_CHECK(expr_err("{(\"a\"): 1}", 1, 3, "invalid attribute name"));
    T_CHECK(expr_err("{a 1}", 1, 4, "expected `:`"));
    T_CHECK(expr_err("{a: 1 b: 2}", 1, 7, "expected `,` or `}`"));
    T_CHECK(expr_err("[1 2]", 1, 4, "expected `,` or `]`"));
    T_CHECK(expr_err("[,]", 1, 2, "expected an expression"));
    T_CHECK(expr_err("{,}", 1, 2, "expected an expression"));
}

/* ---- errors ------------------------------------------------------------ */

static void test_expr_errors(void)
{
    T_CHECK(expr_err("", 1, 1, "unexpected end of input, expected an expression"));
    T_CHECK(expr_err("(1", 1, 3, "unexpected end of input, expected `)`"));
    T_CHECK(expr_err("1)", 1, 2, "unexpected `)`, expected end of input"));
    T_CHECK(expr_err("1 +", 1, 4, "expected an expression"));
    T_CHECK(expr_err("foo", 1, 1, "invalid variable `foo`"));
    T_CHECK(expr_err("A::B", 1, 1, "invalid variable `A::B`"));
    T_CHECK(expr_err("1 < 2 < 3", 1, 7, "multiple relational operators"));
    T_CHECK(expr_err("1 == 2 in 3", 1, 8, "multiple relational operators"));
    T_CHECK(expr_err("1 = 2", 1, 3, "use `==`"));
    T_CHECK(expr_err("4 / 2", 1, 3, "division is not supported"));
    T_CHECK(expr_err("4 % 2", 1, 3, "remainder/modulo is not supported"));
    T_CHECK(expr_err("!!!!!true", 1, 1, "too many occurrences of `!`"));
    T_CHECK(expr_err("-----1", 1, 1, "too many occurrences of `-`"));
    T_CHECK(expr_err("!-1", 1, 2, "unexpected `-`"));
    T_CHECK(expr_err("-!1", 1, 2, "unexpected `!`"));
    T_CHECK(expr_err("1 + if true then 1 else 2", 1, 5, "unexpected `if`"));
    T_CHECK(expr_err("true && if true then 1 else 2", 1, 9, "unexpected `if`"));
    T_CHECK(expr_err("if true then 1", 1, 15, "expected `else`"));
    T_CHECK(expr_err("if true 1 else 2", 1, 9, "expected `then`"));
    T_CHECK(expr_err("?principal == ?foo", 1, 15, "not a valid template slot"));
    T_CHECK(expr_err("1 | 2", 1, 3, "invalid character `|`"));
    T_CHECK(expr_err("1 & 2", 1, 3, "invalid character `&`"));
    T_CHECK(expr_err("1 $ 2", 1, 3, "invalid character `$`"));
    T_CHECK(expr_err("? 1", 1, 1, "invalid character `?`"));
    T_CHECK(expr_err("1.5", 1, 3, "unexpected number `5`"));
    T_CHECK(expr_err("1 + \xC3\xA9", 1, 5, "invalid character `\xC3\xA9`"));
    T_CHECK(expr_err("1\n +\n   )", 3, 4, "unexpected `)`"));
    T_CHECK(expr_err("principal ==\n  // comment\n  foo", 3, 3, "invalid variable `foo`"));
    /* an error before a lexical error is the one reported */
    T_CHECK(expr_err("1 + + $", 1, 5, "unexpected `+`"));
    /* invalid UTF-8 is reported where it occurs */
    T_CHECK(expr_err("\"ok\" == \n \"\xC3(\"", 2, 3, "invalid UTF-8"));
    T_CHECK(expr_err("\xFF", 1, 1, "invalid UTF-8"));
    T_CHECK(expr_err("\"\xED\xA0\x80\"", 1, 2, "invalid UTF-8")); /* surrogate */
    T_CHECK(expr_err("a\0b", 1, 1, "invalid variable"));          /* stops at the C string end */
    cd_err e = {0};
    T_CHECK(!cd_parse_expr("1 \0 2", 5, "f", A, &e) && e.loc.column == 3 &&
            strstr(e.message, "invalid character"));
    cd_err_clear(&e);
}

static void test_lexing(void)
{
    /* comments, Unicode white space (NBSP, line separator, ideographic space) */
    cd_expr *x = px("// c\n1 +// c2\r\n 2 // end");
    T_CHECK(x && x->kind == CD_X_ADD);
    x = px("1\xC2\xA0+\xE2\x80\xA8 2\xE3\x80\x80");
    T_CHECK(x && x->kind == CD_X_ADD);
    x = px("principal.trueish");
    T_CHECK(x && x->kind == CD_X_GET_ATTR && cd_str_eq_c(x->u.attr.name, "trueish"));
    x = px("context.if_");
    T_CHECK(x && cd_str_eq_c(x->u.attr.name, "if_"));
    x = px("1==2");
    T_CHECK(x && x->kind == CD_X_EQ);
    x = px("1!=2");
    T_CHECK(x && x->kind == CD_X_NOT);
    x = px("1<=2");
    T_CHECK(x && x->kind == CD_X_LE);
    x = px("context.s like \"/*\"");
    T_CHECK(x && x->kind == CD_X_LIKE); /* `//` inside a string is no comment */
    x = px("1 // only a comment +\n");
    T_CHECK(x && x->kind == CD_X_LIT);
    T_CHECK(expr_err("1 // c\n)", 2, 1, "unexpected `)`"));
    /* lines and columns after a string spanning lines, a CRLF, a comment,
     * Unicode white space (columns count bytes) */
    T_CHECK(expr_err("\"a\nb\" )", 2, 4, "unexpected `)`"));
    T_CHECK(expr_err("\"a\\\"\n\nb\"\r\n  )", 4, 3, "unexpected `)`"));
    T_CHECK(expr_err("1 +\xC2\x85\xE2\x80\xA8 )", 1, 10, "unexpected `)`"));
    T_CHECK(expr_err("1 // c \"\n\n + )", 3, 4, "unexpected `)`"));
}

/* Every keyword and words one letter off lex as they should. */
static void test_keywords(void)
{
    static const struct {
        const char *text;
        cd_tok_kind kind;
    } words[] = {
        {"true", CD_T_TRUE},
        {"false", CD_T_FALSE},
        {"if", CD_T_IF},
        {"permit", CD_T_PERMIT},
        {"forbid", CD_T_FORBID},
        {"when", CD_T_WHEN},
        {"unless", CD_T_UNLESS},
        {"in", CD_T_IN},
        {"has", CD_T_HAS},
        {"like", CD_T_LIKE},
        {"is", CD_T_IS},
        {"then", CD_T_THEN},
        {"else", CD_T_ELSE},
        {"principal", CD_T_PRINCIPAL},
        {"action", CD_T_ACTION},
        {"resource", CD_T_RESOURCE},
        {"context", CD_T_CONTEXT},
        {"i", CD_T_IDENT},
        {"ix", CD_T_IDENT},
        {"tru", CD_T_IDENT},
        {"truE", CD_T_IDENT},
        {"thens", CD_T_IDENT},
        {"principals", CD_T_IDENT},
        {"Permit", CD_T_IDENT},
        {"__cedar", CD_T_IDENT},
        {"resourcE", CD_T_IDENT},
        {"forbiD", CD_T_IDENT},
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        cd_toks t;
        T_CHECK(cd_lex(words[i].text, strlen(words[i].text), &t) && t.n == 2 &&
                t.items[0].kind == words[i].kind && t.items[0].len == strlen(words[i].text));
        cd_toks_free(&t);
    }
    const char *reserved[] = {"if", "then", "else", "true", "false",
                              "in", "is",   "has",  "like", "__cedar"};
    const char *free_[] = {"permit", "when",     "principal", "context", "i",
                           "__ceda", "__cedar_", "has_",      "iss",     "x"};
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++) {
        T_CHECK(cd_ident_is_reserved(cd_str_from_c(reserved[i])));
        T_CHECK(!cd_ident_is_reserved(cd_str_from_c(free_[i])));
    }
}

/* ---- policies ---------------------------------------------------------- */

static void test_policy_basics(void)
{
    const char *text = "// header\n"
                       "permit(principal, action, resource);\n"
                       "@id(\"second\") @flag\n"
                       "forbid (principal == User::\"a\", action == Action::\"view\", resource)\n"
                       "  when { context.x } unless { false };\n"
                       "permit(principal in ?principal, action, resource is Doc in ?resource);\n"
                       "permit(principal, action, resource,);";
    cd_policies ps = pols(text);
    T_CHECK(ps.n == 4);
    if (ps.n != 4) return;
    cd_policy *p0 = ps.items[0], *p1 = ps.items[1], *p2 = ps.items[2], *p3 = ps.items[3];
    T_CHECK(cd_str_eq_c(p0->id, "policy0") && cd_str_eq_c(p1->id, "policy1") &&
            cd_str_eq_c(p2->id, "policy2") && cd_str_eq_c(p3->id, "policy3"));
    T_CHECK(p0->body->effect == CD_PERMIT && p1->body->effect == CD_FORBID);
    T_CHECK(p0->body->principal.op == CD_SCOPE_ANY && p0->body->action.op == CD_SCOPE_ANY &&
            p0->body->resource.op == CD_SCOPE_ANY && p0->body->n_conditions == 0 &&
            p0->body->n_annotations == 0);
    T_CHECK(p0->body->loc.line == 2 && p0->body->loc.column == 1);
    T_CHECK(cd_str_eq_c(p0->body->text, "permit(principal, action, resource);"));
    T_CHECK(p1->body->loc.line == 3 && p1->body->loc.column == 1);
    T_CHECK(cd_str_eq_c(p1->body->text,
                        "@id(\"second\") @flag\nforbid (principal == User::\"a\", action "
                        "== Action::\"view\", resource)\n  when { context.x } unless "
                        "{ false };"));
    T_CHECK(p1->body->n_annotations == 2 && cd_str_eq_c(p1->body->annotations[0].key, "id") &&
            cd_str_eq_c(p1->body->annotations[0].value, "second") &&
            p1->body->annotations[0].has_value &&
            cd_str_eq_c(p1->body->annotations[1].key, "flag") &&
            !p1->body->annotations[1].has_value && p1->body->annotations[1].value.len == 0);
    T_CHECK(p1->body->principal.op == CD_SCOPE_EQ && p1->body->principal.uid.type == nm("User") &&
            cd_str_eq_c(p1->body->principal.uid.id, "a") && !p1->body->principal.slot);
    T_CHECK(p1->body->action.op == CD_SCOPE_EQ && p1->body->action.uid.type == nm("Action"));
    T_CHECK(p1->body->n_conditions == 2 && p1->body->conditions[0].is_when &&
            p1->body->conditions[0].body->kind == CD_X_GET_ATTR &&
            !p1->body->conditions[1].is_when && p1->body->conditions[1].body->kind == CD_X_LIT);
    T_CHECK(!p0->is_template && !p1->is_template);
    T_CHECK(p2->is_template && p2->body->principal.op == CD_SCOPE_IN && p2->body->principal.slot &&
            p2->body->resource.op == CD_SCOPE_IS_IN && p2->body->resource.slot &&
            p2->body->resource.is_type == nm("Doc"));
    T_CHECK(!p3->is_template && p3->body->resource.op == CD_SCOPE_ANY);
    T_CHECK(p1->body->principal.loc.line == 4 && p1->body->principal.loc.column == 9);

    /* empty input: no policies */
    ps = pols("  // nothing\n");
    T_CHECK(ps.n == 0);
    cd_err e = {0};
    T_CHECK(cd_parse_policies("", 0, "x", A, &ps, &e) && ps.n == 0);
}

static void test_scopes(void)
{
    cd_policies ps =
        pols("permit(principal is User, action in Action::\"a\", resource is NS::Doc);"
             "permit(principal is User in Group::\"g\", action in [Action::\"a\", "
             "NS::Action::\"b\"], resource in Folder::\"f\");"
             "permit(principal == ?principal, action in [], resource == ?resource);"
             "permit(principal == (User::\"a\"), action in ([Action::\"x\"]), resource);"
             "permit(principal is principal, action, resource);");
    T_CHECK(ps.n == 5);
    if (ps.n != 5) return;
    cd_policy *p = ps.items[0];
    T_CHECK(p->body->principal.op == CD_SCOPE_IS && p->body->principal.is_type == nm("User"));
    T_CHECK(p->body->action.op == CD_SCOPE_IN && p->body->action.uid.type == nm("Action") &&
            cd_str_eq_c(p->body->action.uid.id, "a"));
    T_CHECK(p->body->resource.op == CD_SCOPE_IS && p->body->resource.is_type == nm("NS::Doc"));
    p = ps.items[1];
    T_CHECK(p->body->principal.op == CD_SCOPE_IS_IN && p->body->principal.is_type == nm("User") &&
            p->body->principal.uid.type == nm("Group"));
    T_CHECK(p->body->action.op == CD_SCOPE_IN_SET && p->body->action.n_uids == 2 &&
            p->body->action.uids[1].type == nm("NS::Action") &&
            cd_str_eq_c(p->body->action.uids[1].id, "b"));
    T_CHECK(p->body->resource.op == CD_SCOPE_IN && p->body->resource.uid.type == nm("Folder"));
    p = ps.items[2];
    T_CHECK(p->is_template && p->body->principal.op == CD_SCOPE_EQ && p->body->principal.slot &&
            p->body->resource.op == CD_SCOPE_EQ && p->body->resource.slot);
    T_CHECK(p->body->action.op == CD_SCOPE_IN_SET && p->body->action.n_uids == 0);
    p = ps.items[3];
    T_CHECK(p->body->principal.op == CD_SCOPE_EQ && cd_str_eq_c(p->body->principal.uid.id, "a") &&
            p->body->action.op == CD_SCOPE_IN_SET && p->body->action.n_uids == 1);
    T_CHECK(ps.items[4]->body->principal.is_type == nm("principal"));
}

static void test_policy_errors(void)
{
    T_CHECK(pol_err("permit(principal, action);", 1, 1, "missing the `resource` variable"));
    T_CHECK(pol_err("permit();", 1, 1, "missing the `principal` variable"));
    T_CHECK(pol_err("permit(principal);", 1, 1, "missing the `action` variable"));
    T_CHECK(pol_err("permit(principal, action, resource, context);", 1, 37, "extra element"));
    T_CHECK(pol_err("permit(action, principal, resource);", 1, 8,
                    "found the variable `action` where the variable `principal` must be used"));
    T_CHECK(pol_err("permit(principal, action, context);", 1, 27, "invalid variable"));
    T_CHECK(pol_err("allow(principal, action, resource);", 1, 1, "invalid policy effect `allow`"));
    T_CHECK(pol_err("permit(principal, action, resource)", 1, 36, "unexpected end of input"));
    T_CHECK(pol_err("permit(principal, action, resource) when { true }\npermit", 2, 1,
                    "expected `when`, `unless` or `;`"));
    T_CHECK(pol_err("permit(principal, action, resource) when {};", 1, 37, "cannot be empty"));
    T_CHECK(pol_err("permit(principal, action, resource) when true;", 1, 42, "expected `{`"));
    T_CHECK(pol_err("permit(principal, action, resource) where true;", 1, 37,
                    "expected `when`, `unless` or `;`"));
    T_CHECK(pol_err("permit(principal, action, resource) unless {};", 1, 37,
                    "`unless` condition clause cannot be empty"));
    T_CHECK(pol_err("permit(principal, action, resource) if { true };", 1, 37,
                    "invalid policy condition `if`"));
    T_CHECK(pol_err("permit(principal, action, resource) when { true ;", 1, 49, "expected `}`"));
    T_CHECK(pol_err("@id(\"a\")\n@x\n@id(\"b\") permit(principal, action, resource);", 3, 1,
                    "duplicate annotation `@id`"));
    T_CHECK(pol_err("@id(1) permit(principal, action, resource);", 1, 5, "string literal"));
    T_CHECK(pol_err("@id(\"\\q\") permit(principal, action, resource);", 1, 6, "invalid escape"));
    /* `@permit(` starts an annotation named permit, whose value must be a string */
    T_CHECK(pol_err("@ permit(principal, action, resource);", 1, 10, "string literal"));
    T_CHECK(pol_err("@ (principal, action, resource);", 1, 3, "annotation name"));
    T_CHECK(pol_err("@a(\"x\" permit(principal, action, resource);", 1, 8, "expected `)`"));
    T_CHECK(pol_err("permit(principal: User, action, resource);", 1, 17, "type constraints"));
    T_CHECK(pol_err("permit(principal == User, action, resource);", 1, 21, "found name `User`"));
    T_CHECK(pol_err("permit(principal == \"a\", action, resource);", 1, 21, "string literal"));
    T_CHECK(pol_err("permit(principal in [User::\"a\"], action, resource);", 1, 21, "found a set"));
    T_CHECK(pol_err("permit(principal == User::\"a\" || true, action, resource);", 1, 21,
                    "expected an entity uid"));
    T_CHECK(pol_err("permit(principal < User::\"a\", action, resource);", 1, 18,
                    "invalid operator in the policy scope"));
    T_CHECK(pol_err("permit(principal = User::\"a\", action, resource);", 1, 18, "use `==`"));
    T_CHECK(pol_err("permit(principal is User == User::\"a\", action, resource);", 1, 26,
                    "`is` cannot be used together with `==`"));
    T_CHECK(pol_err("permit(principal in Group::\"g\" is User, action, resource);", 1, 21,
                    "`is` must come first"));
    T_CHECK(
        pol_err("permit(principal is User::\"a\", action, resource);", 1, 21, "entity type name"));
    T_CHECK(pol_err("permit(principal == ?resource, action, resource);", 1, 21,
                    "?resource instead of ?principal"));
    T_CHECK(pol_err("permit(principal, action, resource in ?principal);", 1, 39,
                    "?principal instead of ?resource"));
    T_CHECK(pol_err("permit(principal == ?other, action, resource);", 1, 21,
                    "not a valid template slot"));
    T_CHECK(pol_err("permit(principal, action is Action, resource);", 1, 26,
                    "`is` cannot appear in the action scope"));
    T_CHECK(pol_err("permit(principal, action in Action::\"a\" is Action, resource);", 1, 29,
                    "`is` cannot appear in the action scope"));
    T_CHECK(pol_err("permit(principal, action == ?principal, resource);", 1, 29,
                    "found a template slot"));
    T_CHECK(pol_err("permit(principal, action in ?resource, resource);", 1, 29,
                    "found a template slot"));
    T_CHECK(
        pol_err("permit(principal, action == [Action::\"a\"], resource);", 1, 29, "found a set"));
    T_CHECK(pol_err("permit(principal, action in [Action::\"a\", 1], resource);", 1, 43,
                    "expected an entity uid"));
    T_CHECK(pol_err("permit(principal, action == User::\"a\", resource);", 1, 29, "type `Action`"));
    T_CHECK(pol_err("permit(principal, action in [Action::\"a\", NS::User::\"b\"], resource);", 1,
                    43, "type `Action`"));
    T_CHECK(
        pol_err("permit(principal, action in Actions::\"a\", resource);", 1, 29, "type `Action`"));
    T_CHECK(pol_err("permit(principal, action != Action::\"a\", resource);", 1, 26,
                    "invalid operator in the action scope"));
    T_CHECK(pol_err("permit(principal, action, resource) when { principal == ?principal };", 1, 57,
                    "found template slot ?principal in a `when` clause"));
    T_CHECK(pol_err("permit(principal, action, resource) unless { [?resource] };", 1, 47,
                    "`unless` clause"));
    /* the first error in source order wins */
    T_CHECK(pol_err("permit(principal, action, resource);\nforbid(principal, action, resource) "
                    "when { 1 + };\npermit(;",
                    2, 48, "expected an expression"));
}

/* Everything in the AST is copied: the text may be freed after parsing. */
static void test_independent_of_source(void)
{
    const char *src = "@key(\"val\") permit(principal == User::\"u\", action in [Action::\"a\"], "
                      "resource is NS::Doc) when { context.attr has sub.leaf && {k: \"s\"}.k == "
                      "\"s\" && context[\"i\"] like \"p*\" && principal is T };";
    size_t n = strlen(src);
    char *text = malloc(n);
    memcpy(text, src, n);
    cd_err e = {0};
    cd_policies ps;
    bool ok = cd_parse_policies(text, n, "heap", A, &ps, &e);
    memset(text, 'X', n);
    free(text);
    T_CHECK(ok && ps.n == 1);
    if (!ok || ps.n != 1) return;
    const cd_policy *p = ps.items[0];
    T_CHECK(cd_str_eq_c(p->body->text, src));
    T_CHECK(cd_str_eq_c(p->body->annotations[0].key, "key") &&
            cd_str_eq_c(p->body->annotations[0].value, "val"));
    T_CHECK(cd_str_eq_c(p->body->principal.uid.id, "u") &&
            cd_str_eq_c(p->body->action.uids[0].id, "a"));
    T_CHECK_STR(show(p->body->conditions[0].body),
                "(context.attr has sub) && (context.attr.sub has leaf) && "
                "({k: \"s\"}.k == \"s\") && (context.i like \"p*\") && (principal is T)");
}

static void test_parse_uid(void)
{
    cd_uid u;
    cd_err e = {0};
    T_CHECK(cd_parse_uid("User::\"alice\"", 13, A, &u, &e) && u.type == nm("User") &&
            cd_str_eq_c(u.id, "alice"));
    const char *t = "NS::Sub::User::\"a\\\"b\\\\c\\'d\\n\"";
    T_CHECK(cd_parse_uid(t, strlen(t), A, &u, &e) && u.type == nm("NS::Sub::User") &&
            cd_str_eq_c(u.id, "a\"b\\c'd\n"));
    t = "User::\"\xC3\xA9\\u{200b}\"";
    T_CHECK(cd_parse_uid(t, strlen(t), A, &u, &e) && cd_str_eq_c(u.id, "\xC3\xA9\xE2\x80\x8B"));
    /* only the normalized form is accepted, as with the official EntityUid::from_str */
    t = " User::\"a\"";
    T_CHECK(!cd_parse_uid(t, strlen(t), A, &u, &e) && strstr(e.message, "normalized form") &&
            strstr(e.message, "`User::\"a\"`") && e.loc.column == 1);
    cd_err_clear(&e);
    static const char *const unnormalized[] = {
        "User :: \"a\"",   "User::\"a\" // c",       "User::\"it's\"", "User::\"\\u{61}\"",
        "User::\"\\x41\"", "User::\"\xE2\x80\x8B\"", "User::\"\t\""};
    for (size_t i = 0; i < sizeof unnormalized / sizeof unnormalized[0]; i++) {
        T_CHECK(!cd_parse_uid(unnormalized[i], strlen(unnormalized[i]), A, &u, &e) &&
                strstr(e.message, "normalized form"));
        cd_err_clear(&e);
    }
    static const char *const bad[] = {"User",           "\"alice\"",        "User::alice",
                                      "User::\"a\" x",  "User::\"a\".b",    "if::\"a\"",
                                      "A::true::\"a\"", "User::\"\\q\"",    "",
                                      "(User::\"a\")",  "User::\"a\" == 1", "__cedar::\"a\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bool r = cd_parse_uid(bad[i], strlen(bad[i]), A, &u, &e);
        T_CHECK(!r && e.message);
        if (r) fprintf(stderr, "cd_parse_uid accepted `%s`\n", bad[i]);
        cd_err_clear(&e);
    }
}

/* ---- limits ------------------------------------------------------------ */

static char *repeat(const char *pre, size_t n, const char *mid, const char *post, size_t m)
{
    size_t lp = strlen(pre), lm = strlen(mid), lq = strlen(post);
    char *s = malloc(lp * n + lm + lq * m + 1);
    char *w = s;
    for (size_t i = 0; i < n; i++, w += lp)
        memcpy(w, pre, lp);
    memcpy(w, mid, lm);
    w += lm;
    for (size_t i = 0; i < m; i++, w += lq)
        memcpy(w, post, lq);
    *w = 0;
    return s;
}

/* A deeply nested input must fail cleanly (no stack overflow). Speed is not
 * asserted here (bench/hostile.sh measures it). */
static void deep(const char *pre, const char *mid, const char *post, size_t n, bool ok_expected)
{
    char *s = repeat(pre, n, mid, post, n);
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(s, strlen(s), "deep", A, &e);
    if (ok_expected) {
        T_CHECK(x != NULL);
        if (!x) fprintf(stderr, "depth %zu of `%s`: %s\n", n, pre, e.message);
    } else {
        T_CHECK(!x && e.message &&
                (strstr(e.message, "nested too deeply") ||
                 strstr(e.message, "too many occurrences") ||
                 strstr(e.message, "a `has` path may have at most")));
        if (x) fprintf(stderr, "depth %zu of `%s` was accepted\n", n, pre);
    }
    cd_err_clear(&e);
    free(s);
}

static void test_deep_nesting(void)
{
    const size_t N = 100000;
    deep("(", "1", ")", N, false);
    deep("!", "true", "", N, false);
    deep("-", "1", "", N, false);
    deep("!(", "true", ")", N, false);
    deep("-(", "1", ")", N, false);
    deep("[", "", "]", N, false);
    deep("{a: ", "1", "}", N, false);
    deep("if true then 1 else ", "1", "", N, false);
    deep("if ", "true", " then 1 else 2", N, false);
    deep("ip(", "\"x\"", ")", N, false);
    deep("context.contains(", "1", ")", N, false);
    deep("context[", "\"a\"", "]", N, false);
    deep("(", "", "", N, false); /* unbalanced */
    /* long chains of one operator are one level (test_chains.c) */
    deep("1 + ", "1", "", N, true);
    deep("true || ", "true", "", N, true);
    deep("", "context", ".a", N, true);
    /* `has` paths expand to `&&` of `has` on ever longer paths: capped at 1,000 parts */
    deep("", "context has a", ".a", N, false);
    deep("", "context has a", ".a", 999, true);
    deep("", "context has a", ".a", 1000, false);
    /* within the limits */
    deep("(", "1", ")", 900, true);
    deep("[", "", "]", 900, true);
    deep("1 + ", "1", "", 900, true);
    /* long but flat inputs are fine */
    char *s = repeat("[", 1, "1", ", 1", 200000);
    size_t n = strlen(s);
    s = realloc(s, n + 2);
    memcpy(s + n, "]", 2);
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(s, strlen(s), "flat", A, &e);
    T_CHECK(x && x->kind == CD_X_SET && x->u.list.n == 200001);
    free(s);
    cd_err_clear(&e);
    /* many policies and a record with many keys */
    s = repeat("permit(principal, action, resource);\n", 20000, "", "", 0);
    cd_policies ps;
    T_CHECK(cd_parse_policies(s, strlen(s), "many", A, &ps, &e) && ps.n == 20000 &&
            cd_str_eq_c(ps.items[19999]->id, "policy19999") &&
            ps.items[19999]->body->loc.line == 20000);
    free(s);
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_puts(&b, "{");
    for (int i = 0; i < 50000; i++)
        cd_buf_printf(&b, "k%d: %d, ", i, i);
    cd_buf_puts(&b, "k7: 0}");
    T_CHECK(!cd_parse_expr(b.data, b.len, "rec", A, &e) && strstr(e.message, "duplicate key `k7`"));
    cd_err_clear(&e);
    cd_buf_free(&b);
}

/* ---- pattern matching -------------------------------------------------- */

static bool match(const char *pat, const char *s)
{
    char buf[512];
    snprintf(buf, sizeof buf, "context like \"%s\"", pat);
    cd_expr *x = px(buf);
    if (!x || x->kind != CD_X_LIKE) return false;
    return cd_pattern_match(&x->u.like.pat, cd_str_from_c(s));
}

static void test_pattern_match(void)
{
    T_CHECK(match("", ""));
    T_CHECK(!match("", "a"));
    T_CHECK(match("abc", "abc"));
    T_CHECK(!match("abc", "abcd"));
    T_CHECK(!match("abc", "ab"));
    T_CHECK(match("*", ""));
    T_CHECK(match("*", "anything"));
    T_CHECK(match("a*", "a"));
    T_CHECK(match("a*", "abc"));
    T_CHECK(!match("a*", "ba"));
    T_CHECK(match("*c", "abc"));
    T_CHECK(!match("*c", "cb"));
    T_CHECK(match("a*c", "ac"));
    T_CHECK(match("a*c", "abbbc"));
    T_CHECK(!match("a*c", "abcb"));
    T_CHECK(match("*b*", "abc"));
    T_CHECK(!match("*b*", "ac"));
    T_CHECK(match("a*b*c", "aXbYc"));
    T_CHECK(match("a*b*c", "abc"));
    T_CHECK(!match("a*b*c", "acb"));
    T_CHECK(match("*aa", "aaa"));
    T_CHECK(!match("aa*aa", "aaa"));
    T_CHECK(match("aa*aa", "aaaa"));
    T_CHECK(match("a*a*a", "aaa"));
    T_CHECK(!match("a*a*a", "aa"));
    T_CHECK(match("*ab*ab*", "xabyab"));
    T_CHECK(match("\\*", "*"));
    T_CHECK(!match("\\*", "a"));
    T_CHECK(match("a\\**", "a*bc"));
    T_CHECK(!match("a\\**", "abc"));
    T_CHECK(match("\xC3\xA9*", "\xC3\xA9t\xC3\xA9"));
    T_CHECK(match("*\xF0\x9F\x98\x80", "x\xF0\x9F\x98\x80"));
    /* patterns made by hand may hold adjacent literal runs */
    cd_pat_elem el[] = {
        {true, {NULL, 0}}, {false, CD_STR_LIT("ab")}, {false, CD_STR_LIT("cd")}, {true, {NULL, 0}}};
    cd_pattern p = {4, el};
    T_CHECK(cd_pattern_match(&p, CD_STR_LIT("xabcdx")));
    T_CHECK(!cd_pattern_match(&p, CD_STR_LIT("xabxcdx")));
    /* the classic exponential case (its time: a backtracking matcher would
     * not finish; speed itself is not asserted) */
    char *s = repeat("a", 100000, "", "", 0);
    char pat[256] = "";
    for (int i = 0; i < 40; i++)
        strcat(pat, "a*");
    strcat(pat, "b");
    T_CHECK(!match(pat, s));
    strcpy(pat + strlen(pat) - 1, "a");
    T_CHECK(match(pat, s));
    free(s);
}

int main(void)
{
    A = cd_arena_new();
    T_RUN(test_literals);
    T_RUN(test_escapes);
    T_RUN(test_operators);
    T_RUN(test_has_like_is);
    T_RUN(test_access_and_calls);
    T_RUN(test_sets_records);
    T_RUN(test_expr_errors);
    T_RUN(test_lexing);
    T_RUN(test_keywords);
    T_RUN(test_policy_basics);
    T_RUN(test_scopes);
    T_RUN(test_policy_errors);
    T_RUN(test_independent_of_source);
    T_RUN(test_parse_uid);
    T_RUN(test_deep_nesting);
    T_RUN(test_pattern_match);
    cd_arena_free(A);
    T_DONE();
}
