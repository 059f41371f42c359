/* test_request_plain.c: cedar_request_new reads uids in plain normalized form
 * (`Type::"id"`, the id printable ASCII but `"`, `'` and `\`) without the
 * lexer (cd_uid_split_plain). That reader must accept nothing cd_parse_uid
 * rejects and read what it accepts the same way; the requests, their printed
 * uids and their error messages must be the ones of the general path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"
#include "cd_ast.h"
#include "cedar/cedar.h"
#include "t_api.h"

static const char *const types[] = {
    "User",    "App::User",  "_x1",   "A1::b_2",   "if",       "A::if",    "then",
    "else",    "true",       "false", "in",        "is",       "like",     "has",
    "__cedar", "A::__cedar", "Truex", "principal", "action",   "resource", "context",
    "Action",  "",           "1A",    "A::",       "::A",      "A:::B",    "A :: B",
    "A B",     " A",         "A ",    "A::\"",     "\xc3\xa9", "A-B"};

/* Ids: every ASCII byte on its own and inside a word, and a few longer ones. */
static void ids_for(int c, char out[4][16])
{
    snprintf(out[0], 16, "%c", c);
    snprintf(out[1], 16, "a%cb", c);
    snprintf(out[2], 16, "%c%c", c, c);
    snprintf(out[3], 16, "x%c", c);
}

static int n_plain, n_checked;

/* text as the fast reader and cd_parse_uid see it. */
static void agree(const char *text)
{
    size_t len = strlen(text), tl = 0;
    bool plain = cd_uid_split_plain(text, len, &tl);
    cd_arena *a = cd_arena_new();
    cd_uid u;
    cd_err e = {0};
    bool parsed = cd_parse_uid(text, len, a, &u, &e);
    n_checked++;
    if (plain) {
        n_plain++;
        bool same = parsed && u.type->len == tl && memcmp(u.type->text, text, tl) == 0 &&
                    u.id.len == len - tl - 4 && memcmp(u.id.ptr, text + tl + 3, u.id.len) == 0;
        T_CHECK(same);
        if (!same)
            fprintf(stderr, "  fast reader accepted `%s`; cd_parse_uid %s\n", text,
                    parsed ? "read it differently" : e.message);
    }
    cd_err_clear(&e);
    cd_arena_free(a);
}

static void test_agrees_with_parser(void)
{
    char text[128], ids[4][16];
    for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
        for (int c = 1; c < 128; c++) {
            ids_for(c, ids);
            for (int k = 0; k < 4; k++) {
                snprintf(text, sizeof text, "%s::\"%s\"", types[t], ids[k]);
                agree(text);
            }
        }
        static const char *const odd[] = {"",         "\"",      "\"\"",   "a\"",
                                          "\xc3\xa9", "a\" \"b", "a\\\"b", "\\u{61}"};
        for (size_t k = 0; k < sizeof odd / sizeof *odd; k++) {
            snprintf(text, sizeof text, "%s::\"%s\"", types[t], odd[k]);
            agree(text);
        }
        /* not a uid's shape */
        static const char *const shapes[] = {
            "%s::\"a",     "%s::a\"", "%s::\"a\" ", " %s::\"a\"", "%s:: \"a\"",
            "%s::\"a\"\"", "%s\"a\"", "%s::",       "%s::\"",     "%s::\"a\"::\"b\""};
        for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
            snprintf(text, sizeof text, shapes[k], types[t]);
            agree(text);
        }
    }
    /* the usual uids do take the fast path */
    size_t tl;
    T_CHECK(cd_uid_split_plain("User::\"alice\"", 13, &tl) && tl == 4);
    T_CHECK(cd_uid_split_plain("App::User::\"a b-c.d@e\"", 22, &tl) && tl == 9);
    T_CHECK(cd_uid_split_plain("User::\"\"", 8, &tl) && tl == 4);
    T_CHECK(n_plain > 1000 && n_checked > n_plain);
}

/* principal, action, resource and context printed by the evaluator. */
static char *show(const cedar_request *rq)
{
    return t_evaluate(rq, "{a: principal, b: action, c: resource, d: context}");
}

/* A request read the fast way prints its uids as they were written (the
 * uid text is made only when asked for, after the request was built). */
static void test_printed_after_build(void)
{
    cedar_error err = {0};
    char p[] = "App::User::\"alice smith\"", r[] = "Photo::\"p-1.jpg\"";
    cedar_request *rq =
        cedar_request_new(p, "Action::\"view\"", r, "{\"k\": 1}", NULL, false, &err);
    T_CHECK(rq != NULL);
    memset(p, 'x', sizeof p - 1); /* the ids were copied */
    memset(r, 'x', sizeof r - 1);
    char *v = rq ? show(rq) : NULL;
    T_CHECK_STR(v, "{\"a\": App::User::\"alice smith\", \"b\": Action::\"view\", \"c\": "
                   "Photo::\"p-1.jpg\", \"d\": {\"k\": 1}}");
    free(v);
    cedar_request_free(rq);
    /* a uid with an escape still goes through the parser, mixed with plain ones */
    rq = cedar_request_new("User::\"a\\\"b\"", "Action::\"view\"", "Photo::\"q\"", NULL, NULL,
                           false, &err);
    v = rq ? show(rq) : NULL;
    T_CHECK_STR(
        v, "{\"a\": User::\"a\\\"b\", \"b\": Action::\"view\", \"c\": Photo::\"q\", \"d\": {}}");
    free(v);
    cedar_request_free(rq);
}

static const char *schema_text =
    "entity User; entity Photo; entity Color enum [\"red\", \"green\"];\n"
    "action view appliesTo { principal: User, resource: [Photo, Color] };\n";

static void expect_error(const char *p, const char *a, const char *r, const cedar_schema *s,
                         bool validate, const char *want)
{
    cedar_error err = {0};
    cedar_request *rq = cedar_request_new(p, a, r, NULL, s, validate, &err);
    char *m = t_message(&err);
    T_CHECK(rq == NULL && t_has(m, want));
    free(m);
    cedar_error_clear(&err);
    cedar_request_free(rq);
}

/* Messages that print a request's uid, for requests read the fast way. */
static void test_errors_name_the_uid(void)
{
    cedar_error err = {0};
    cedar_schema *s = t_schema_text(schema_text);
    if (!s) return;
    expect_error("Robot::\"r2 d2\"", "Action::\"view\"", "Photo::\"p\"", s, true,
                 "principal `Robot::\"r2 d2\"` has type `Robot`, which is not declared");
    expect_error("User::\"u\"", "Action::\"view\"", "Color::\"blue\"", s, true,
                 "resource `Color::\"blue\"` is not one of the ids declared for the enumerated "
                 "entity type `Color`");
    expect_error("User::\"u\"", "Action::\"edit it\"", "Photo::\"p\"", s, true,
                 "action `Action::\"edit it\"` is not declared in the schema");
    expect_error("User::\"u\"", "Action::\"edit it\"", "Photo::\"p\"", s, false,
                 "cannot read the context: action `Action::\"edit it\"` is not declared");
    /* and the general path's syntax errors are unchanged */
    expect_error("User::\"u\" ", "Action::\"view\"", "Photo::\"p\"", s, true,
                 "invalid principal `User::\"u\" `");
    expect_error("User::\"u\"", "if::\"view\"", "Photo::\"p\"", s, true,
                 "invalid action `if::\"view\"`");
    expect_error("User::\"u\"", "Action::\"view\"", NULL, s, true, "the request has no resource");
    cedar_request *rq =
        cedar_request_new("User::\"u\"", "Action::\"view\"", "Color::\"red\"", NULL, s, true, &err);
    T_CHECK(rq != NULL);
    cedar_request_free(rq);
    cedar_schema_free(s);
}

int main(void)
{
    T_RUN(test_agrees_with_parser);
    T_RUN(test_printed_after_build);
    T_RUN(test_errors_name_the_uid);
    T_DONE();
}
