/* test_request_parts.c: cedar_request_new_parts. Its requests must be the
 * ones cedar_request_new builds from the same uids in Cedar syntax (ids with
 * quotes, escapes, unicode, empty), with the same context and schema
 * behaviour; bad type names and ids are clear errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cedar/cedar.h"
#include "t_api.h"

/* principal, action, resource and context printed by the evaluator. */
static char *show(const cedar_request *rq)
{
    return t_evaluate(rq, "[principal, action, resource, context]");
}

/* Same request from parts and from the uid strings (given in Cedar syntax). */
static void same(const char *pt, const char *pid, const char *puid, const char *ctx,
                 const cedar_schema *s)
{
    cedar_error e1 = {0}, e2 = {0};
    cedar_request *a =
        cedar_request_new_parts(pt, pid, "Action", "view", "Photo", "", ctx, s, s != NULL, &e1);
    cedar_request *b =
        cedar_request_new(puid, "Action::\"view\"", "Photo::\"\"", ctx, s, s != NULL, &e2);
    T_CHECK(a && b);
    if (a && b) {
        char *va = show(a), *vb = show(b);
        T_CHECK(va && vb && strcmp(va, vb) == 0);
        if (va && vb && strcmp(va, vb) != 0) fprintf(stderr, "  parts %s\n  text  %s\n", va, vb);
        free(va);
        free(vb);
    } else {
        fprintf(stderr, "  %s / %s\n", e1.message ? e1.message : "-",
                e2.message ? e2.message : "-");
    }
    cedar_request_free(a);
    cedar_request_free(b);
    cedar_error_clear(&e1);
    cedar_error_clear(&e2);
}

static void test_odd_ids(void)
{
    same("User", "alice", "User::\"alice\"", NULL, NULL);
    same("User", "", "User::\"\"", NULL, NULL);
    same("User", "say \"hi\"", "User::\"say \\\"hi\\\"\"", NULL, NULL);
    same("User", "back\\slash", "User::\"back\\\\slash\"", NULL, NULL);
    same("User", "tab\tnew\nline", "User::\"tab\\tnew\\nline\"", NULL, NULL);
    same("User", "caf\xc3\xa9 \xf0\x9f\x98\x80", "User::\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", NULL,
         NULL);
    same("App::Sub::User", "x", "App::Sub::User::\"x\"", NULL, NULL);
    same("User", "u", "User::\"u\"", "{\"n\": 1, \"s\": [\"a\"]}", NULL);
}

static void test_bad_parts(void)
{
    static const char *const bad_types[] = {"",   "User::", "::User", "1User",      "Us er",
                                            "if", "A::in",  "User\"", "User::\"x\""};
    for (size_t i = 0; i < sizeof bad_types / sizeof *bad_types; i++) {
        cedar_error err = {0};
        cedar_request *rq = cedar_request_new_parts("User", "u", "Action", "a", bad_types[i], "r",
                                                    NULL, NULL, false, &err);
        T_CHECK(rq == NULL);
        char *m = t_message(&err);
        T_CHECK(t_has(m, "invalid resource type `"));
        free(m);
        cedar_error_clear(&err);
        cedar_request_free(rq);
    }
    cedar_error err = {0};
    cedar_request *rq =
        cedar_request_new_parts(NULL, "u", "Action", "a", "R", "r", NULL, NULL, false, &err);
    char *m = t_message(&err);
    T_CHECK(!rq && t_has(m, "the request has no principal type"));
    free(m);
    cedar_error_clear(&err);
    rq = cedar_request_new_parts("U", "u", "Action", NULL, "R", "r", NULL, NULL, false, &err);
    m = t_message(&err);
    T_CHECK(!rq && t_has(m, "the request has no action id"));
    free(m);
    cedar_error_clear(&err);
    rq = cedar_request_new_parts("U", "\xff", "Action", "a", "R", "r", NULL, NULL, false, &err);
    m = t_message(&err);
    T_CHECK(!rq && t_has(m, "invalid principal id: not UTF-8"));
    free(m);
    cedar_error_clear(&err);
    /* context errors as cedar_request_new reports them */
    rq = cedar_request_new_parts("U", "u", "Action", "a", "R", "r", "[1]", NULL, false, &err);
    T_CHECK(rq == NULL);
    m = t_message(&err);
    cedar_error err2 = CEDAR_ERROR_INIT;
    cedar_request *rq2 =
        cedar_request_new("U::\"u\"", "Action::\"a\"", "R::\"r\"", "[1]", NULL, false, &err2);
    char *m2 = t_message(&err2);
    T_CHECK(rq2 == NULL && m && m2);
    T_CHECK_STR(m, m2);
    T_CHECK((err.file == NULL) == (err2.file == NULL));
    T_CHECK(m && strstr(m, "context: context") == NULL);
    free(m);
    free(m2);
    cedar_error_clear(&err);
    cedar_error_clear(&err2);
}

static const char *schema_text =
    "entity User; entity Photo;\n"
    "action view appliesTo { principal: User, resource: Photo };\n"
    "action edit appliesTo { principal: User, resource: Photo, context: { why: String } };\n";

static void test_with_schema(void)
{
    cedar_error err = {0};
    cedar_schema *s = t_schema_text(schema_text);
    if (!s) return;
    same("User", "a", "User::\"a\"", NULL, s);
    same("User", "a", "User::\"a\"", "{}", s);
    /* validation: a principal type the action does not apply to */
    cedar_request *rq =
        cedar_request_new_parts("Photo", "p", "Action", "view", "Photo", "q", NULL, s, true, &err);
    char *m = t_message(&err);
    T_CHECK(!rq && t_has(m, "principal type `Photo` is not valid for action"));
    free(m);
    cedar_error_clear(&err);
    /* undeclared action: an error even without validation, as from strings */
    rq = cedar_request_new_parts("User", "u", "Action", "nope", "Photo", "q", NULL, s, false, &err);
    cedar_error e2 = {0};
    cedar_request *rq2 =
        cedar_request_new("User::\"u\"", "Action::\"nope\"", "Photo::\"q\"", NULL, s, false, &e2);
    T_CHECK(!rq && !rq2 && err.message && e2.message && strcmp(err.message, e2.message) == 0);
    cedar_error_clear(&err);
    cedar_error_clear(&e2);
    /* a required context attribute missing: the same error as from strings */
    rq = cedar_request_new_parts("User", "u", "Action", "edit", "Photo", "q", NULL, s, true, &err);
    rq2 = cedar_request_new("User::\"u\"", "Action::\"edit\"", "Photo::\"q\"", NULL, s, true, &e2);
    T_CHECK(!rq && !rq2 && err.message && e2.message && strcmp(err.message, e2.message) == 0);
    cedar_error_clear(&err);
    cedar_error_clear(&e2);
    rq = cedar_request_new_parts("User", "u", "Action", "edit", "Photo", "q", "{\"why\": \"x\"}", s,
                                 true, &err);
    T_CHECK(rq != NULL);
    cedar_request_free(rq);
    cedar_schema_free(s);
}

int main(void)
{
    T_RUN(test_odd_ids);
    T_RUN(test_bad_parts);
    T_RUN(test_with_schema);
    T_DONE();
}
