/* test_format.c: the policy formatter (cedar_format_policies) against
 * outputs of the official formatter (cedar-wasm 4.10 formatPolicies), and
 * its properties: formatting is idempotent, errors have locations. */
#include <stdlib.h>

#include "cedar/cedar.h"
#include "t.h"

typedef struct fcase {
    const char *name, *text;
    unsigned width;
    int indent;
    const char *want; /* NULL: the official formatter refuses the text */
} fcase;

/* Expected texts produced by the official formatter. */
static const fcase cases[] = {
    {"empty", "", 80, 2,
     "\n"
     ""},
    {"comments_only",
     "// only a comment\n"
     "\n"
     "  // two  \n"
     "",
     80, 2,
     "\n"
     "// only a comment\n"
     "// two\n"
     ""},
    {"plain", "permit(principal,action,resource);", 80, 2,
     "permit (principal, action, resource);\n"
     ""},
    {"five_bangs", "permit(principal,action,resource) when { !!!!!true };", 80, 2, NULL},
    {"four_bangs", "permit(principal,action,resource) when { !!!!true };", 80, 2,
     "permit (principal, action, resource)\n"
     "when { !!!!true };\n"
     ""},
    {"comments_everywhere",
     "@id(\"a\") // after id\n"
     "@advice  (\"b\")\n"
     "// before effect\n"
     "forbid (principal == User::\"alice\", action in [Action::\"a\", Action::\"b\"], resource is "
     "Photo in Album::\"x\") // trail\n"
     "unless { context.x.y has z && [1, 2, 3].contains(-4) || {a: 1, \"b\": [true, false]} like "
     "\"*\" } ;\n"
     "\n"
     "\n"
     "// end comment\n"
     "permit(principal,action,resource);\n"
     "// eof 1\n"
     "   // eof 2",
     80, 2,
     "@id(\"a\") // after id\n"
     "@advice(\"b\")\n"
     "// before effect\n"
     "forbid (\n"
     "  principal == User::\"alice\",\n"
     "  action in [Action::\"a\", Action::\"b\"],\n"
     "  resource is Photo in Album::\"x\"\n"
     ") // trail\n"
     "unless\n"
     "{\n"
     "  context.x.y has z &&\n"
     "  [1, 2, 3].contains(-4) ||\n"
     "  { a: 1, \"b\": [true, false] } like \"*\"\n"
     "};\n"
     "\n"
     "// end comment\n"
     "permit (principal, action, resource);\n"
     "// eof 1\n"
     "// eof 2\n"
     ""},
    {"narrow_indent4",
     "permit(principal in ?principal, action, resource == ?resource) when { principal.name == \"a "
     "very long string that goes on and on\" && resource.owner == principal && context.time > "
     "12345678 };",
     40, 4,
     "permit (\n"
     "    principal in ?principal,\n"
     "    action,\n"
     "    resource == ?resource\n"
     ")\n"
     "when\n"
     "{\n"
     "    principal.name == \"a very long string that goes on and on\" &&\n"
     "    resource.owner == principal &&\n"
     "    context.time > 12345678\n"
     "};\n"
     ""},
    {"width30_indent0",
     "permit(principal, action, resource) when { if context.a then "
     "ip(\"1.2.3.4\").isInRange(ip(\"1.2.3.0/24\")) else "
     "decimal(\"1.23\").lessThan(decimal(\"2.0\")) };",
     30, 0,
     "permit\n"
     "(principal, action, resource)\n"
     "when\n"
     "{\n"
     "if\n"
     "context.a\n"
     "then\n"
     "ip(\n"
     "\"1.2.3.4\"\n"
     ")\n"
     ".isInRange\n"
     "(\n"
     "ip(\"1.2.3.0/24\")\n"
     ")\n"
     "else\n"
     "decimal(\n"
     "\"1.23\"\n"
     ")\n"
     ".lessThan\n"
     "(\n"
     "decimal(\"2.0\")\n"
     ")\n"
     "};\n"
     ""},
    {"modulo",
     "permit(principal, action, resource) when { 007 + 1 * -2 - (3 % 4) == context[\"k\"] };", 80,
     2, NULL},
    {"bad_variable", "permit(principal, action, resource) when { x };", 80, 2, NULL},
    {"wide_chars",
     "permit(principal, action, resource) when { "
     "\"日本語の文字列はとても長いのでこの行は八十桁を超えるかもしれませんがどうでしょうか\" == "
     "\"x\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when\n"
     "{\n"
     "  \"日本語の文字列はとても長いのでこの行は八十桁を超えるかもしれませんがどうでしょうか\" == "
     "\"x\"\n"
     "};\n"
     ""},
    /* display widths at the edge of the line: U+FFFF counts 1, the soft
     * hyphen 0, a CJK character 2, U+0600 (a prepended mark) 1 */
    {"width_uffff_fits",
     "permit(principal,action,resource) when { "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xef\xbf\xbf"
     "\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when { \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xef\xbf\xbf"
     "\" };\n"
     ""},
    {"width_uffff_breaks",
     "permit(principal,action,resource) when { "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xef\xbf\xbf"
     "\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when\n"
     "{ \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xef\xbf\xbf"
     "\" };\n"
     ""},
    {"width_soft_hyphen_fits",
     "permit(principal,action,resource) when { "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc2\xad"
     "\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when { \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc2\xad"
     "\" };\n"
     ""},
    {"width_soft_hyphen_breaks",
     "permit(principal,action,resource) when { "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc2\xad"
     "\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when\n"
     "{ \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc2\xad"
     "\" };\n"
     ""},
    {"width_cjk_fits",
     "permit(principal,action,resource) when { "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe4\xb8\xad"
     "\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when { \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe4\xb8\xad"
     "\" };\n"
     ""},
    {"width_cjk_breaks",
     "permit(principal,action,resource) when { "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe4\xb8\xad"
     "\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when\n"
     "{ \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe4\xb8\xad"
     "\" };\n"
     ""},
    {"width_u0600_fits",
     "permit(principal,action,resource) when { "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xd8\x80"
     "\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when { \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xd8\x80"
     "\" };\n"
     ""},
    {"width_u0600_breaks",
     "permit(principal,action,resource) when { "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xd8\x80"
     "\" };",
     80, 2,
     "permit (principal, action, resource)\n"
     "when\n"
     "{ \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xd8\x80"
     "\" };\n"
     ""},
};

static void test_official_outputs(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const fcase *c = &cases[i];
        cedar_error err = CEDAR_ERROR_INIT;
        char *got =
            cedar_format_policies(c->text, strlen(c->text), "t.cedar", c->width, c->indent, &err);
        if (c->want) {
            if (!got || strcmp(got, c->want) != 0)
                fprintf(stderr, "case %s: got\n%s\nwant\n%s\n", c->name, got ? got : err.message,
                        c->want);
            T_CHECK(got && strcmp(got, c->want) == 0);
            /* formatting the result again changes nothing */
            char *again =
                got ? cedar_format_policies(got, strlen(got), "t.cedar", c->width, c->indent, &err)
                    : NULL;
            T_CHECK_STR(again, got ? got : "");
            free(again);
        } else {
            if (got)
                fprintf(stderr, "case %s: formatted, the official formatter refuses\n", c->name);
            T_CHECK(!got && err.message && err.line == 1 && err.column > 0);
        }
        free(got);
        cedar_error_clear(&err);
    }
}

static void test_errors(void)
{
    cedar_error err = CEDAR_ERROR_INIT;
    const char *text = "permit(principal, action, resource)\nwhen { 1 + };";
    T_CHECK(!cedar_format_policies(text, strlen(text), "p.cedar", 80, 2, &err));
    T_CHECK(err.line == 2 && err.file && strcmp(err.file, "p.cedar") == 0);
    cedar_error_clear(&err);
    T_CHECK(!cedar_format_policies(NULL, 0, "p.cedar", 80, 2, &err));
    T_CHECK(err.message != NULL);
    cedar_error_clear(&err);
}

int main(void)
{
    T_RUN(test_official_outputs);
    T_RUN(test_errors);
    T_DONE();
}
