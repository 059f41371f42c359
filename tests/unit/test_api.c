/* test_api.c: the public API's behaviour on bad input that the module tests
 * do not reach: template links given as JSON, requests given as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cedar/cedar.h"
#include "t.h"

static const char *templates = "@id(\"t\") permit(principal == ?principal, action, resource);\n"
                               "permit(principal, action, resource in ?resource);";

static cedar_policy_set *parse_templates(void)
{
    cedar_error err = {0};
    cedar_policy_set *ps = cedar_policy_set_parse(templates, strlen(templates), "t.cedar", &err);
    T_CHECK(ps != NULL);
    cedar_error_clear(&err);
    return ps;
}

static int link_json(cedar_policy_set *ps, const char *json, char **message)
{
    cedar_error err = {0};
    int rc = cedar_policy_set_link_json(ps, json, strlen(json), "links.json", &err);
    *message = rc ? cedar_error_format(&err) : NULL;
    cedar_error_clear(&err);
    return rc;
}

static bool message_has(const char *message, const char *part)
{
    bool ok = message && strstr(message, part);
    if (!ok) fprintf(stderr, "  message `%s` lacks `%s`\n", message ? message : "(none)", part);
    return ok;
}

/* The official engine rejects a slot other than ?principal and ?resource. */
static void test_link_unknown_slot(void)
{
    cedar_policy_set *ps = parse_templates();
    char *m;
    T_CHECK(link_json(ps,
                      "[{\"template_id\": \"policy0\", \"link_id\": \"l\", \"args\": "
                      "{\"?principal\": \"User::\\\"a\\\"\", \"?zzz\": \"User::\\\"b\\\"\"}}]",
                      &m) != 0);
    T_CHECK(message_has(m, "unknown slot `?zzz`"));
    free(m);
    T_CHECK(link_json(ps,
                      "[{\"template_id\": \"policy0\", \"link_id\": \"l\", \"args\": "
                      "{\"?principal\": 5}}]",
                      &m) != 0);
    T_CHECK(message_has(m, "`?principal` must be a string"));
    free(m);
    T_CHECK(cedar_policy_set_count(ps) == 2);
    cedar_policy_set_free(ps);
}

/* A failing link leaves the set as it was, links before it included. */
static void test_link_json_atomic(void)
{
    cedar_policy_set *ps = parse_templates();
    char *m;
    T_CHECK(link_json(ps,
                      "[{\"template_id\": \"policy0\", \"link_id\": \"a\", \"args\": "
                      "{\"?principal\": \"User::\\\"a\\\"\"}},"
                      " {\"template_id\": \"policy1\", \"link_id\": \"b\", \"args\": "
                      "{\"?resource\": \"Folder::\\\"f\\\"\"}},"
                      " {\"template_id\": \"policy0\", \"link_id\": \"a\", \"args\": "
                      "{\"?principal\": \"User::\\\"c\\\"\"}}]",
                      &m) != 0);
    T_CHECK(message_has(m, "already exists"));
    free(m);
    T_CHECK(cedar_policy_set_count(ps) == 2);
    /* the ids of the undone links are free again */
    T_CHECK(link_json(ps,
                      "[{\"template_id\": \"policy0\", \"link_id\": \"a\", \"args\": "
                      "{\"?principal\": \"User::\\\"a\\\"\"}},"
                      " {\"template_id\": \"policy1\", \"link_id\": \"b\", \"args\": "
                      "{\"?resource\": \"Folder::\\\"f\\\"\"}}]",
                      &m) == 0);
    T_CHECK(cedar_policy_set_count(ps) == 4);
    T_CHECK_STR(cedar_policy_set_id(ps, 2), "a");
    T_CHECK_STR(cedar_policy_set_id(ps, 3), "b");
    cedar_policy_set_free(ps);
}

static char *request_error(const char *json)
{
    cedar_error err = {0};
    cedar_request *rq = cedar_request_parse_json(json, strlen(json), NULL, false, "r.json", &err);
    T_CHECK(rq == NULL);
    cedar_request_free(rq);
    char *m = cedar_error_format(&err);
    cedar_error_clear(&err);
    return m;
}

/* A principal that is there but is not a string is not "missing". */
static void test_request_uid_kinds(void)
{
    char *m = request_error("{\"principal\": 5, \"action\": \"Action::\\\"a\\\"\", "
                            "\"resource\": \"R::\\\"r\\\"\"}");
    T_CHECK(message_has(m, "r.json: `principal` must be a string"));
    T_CHECK(message_has(m, "not a number"));
    free(m);
    m = request_error("{\"principal\": \"User::\\\"u\\\"\", \"action\": {\"type\": \"Action\"}, "
                      "\"resource\": \"R::\\\"r\\\"\"}");
    T_CHECK(message_has(m, "`action` must be a string"));
    T_CHECK(message_has(m, "not an object"));
    free(m);
    m = request_error("{\"action\": \"Action::\\\"a\\\"\", \"resource\": \"R::\\\"r\\\"\"}");
    T_CHECK(message_has(m, "the request has no principal"));
    free(m);
}

/* Errors in the context name it (file "context"), once. */
static void test_context_error_names_context(void)
{
    cedar_error err = {0};
    cedar_request *rq =
        cedar_request_new("User::\"u\"", "Action::\"a\"", "R::\"r\"", "[1]", NULL, false, &err);
    T_CHECK(rq == NULL);
    T_CHECK_STR(err.file, "context");
    char *m = cedar_error_format(&err);
    T_CHECK(m && strncmp(m, "context: context:", 17) != 0);
    free(m);
    cedar_error_clear(&err);
}

int main(void)
{
    T_RUN(test_link_unknown_slot);
    T_RUN(test_link_json_atomic);
    T_RUN(test_request_uid_kinds);
    T_RUN(test_context_error_names_context);
    T_DONE();
}
