/* test_lifetimes.c: the ownership and thread claims of cedar.h, checked (run
 * under ASan in the sanitizer build, where a string or object used after
 * its owner is freed is a failure):
 *  - input buffers may be freed right after the call that read them;
 *  - entities, requests and validation results outlive their schema, and a
 *    validation result its policy set;
 *  - policy set strings outlive unlink and rename;
 *  - threads may authorize on one set at once, each with its own response. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cedar/cedar.h"
#include "t.h"

static const char schema_src[] =
    "entity User in [Group] { level: Long }; entity Group; entity Photo;"
    "action view appliesTo { principal: User, resource: Photo, "
    "context: { ip: ipaddr } };";
static const char policy_src[] =
    "@id(\"levels\") permit(principal, action, resource) when { "
    "principal.level > 2 && context.ip.isLoopback() };\n"
    "@id(\"share\") @doc(\"a template\") permit(principal == ?principal, "
    "action, resource in ?resource);";
static const char entities_src[] = "[{\"uid\": {\"type\": \"User\", \"id\": \"alice\"}, \"attrs\": "
                                   "{\"level\": 3}, \"parents\": [{\"type\": \"Group\", \"id\": "
                                   "\"g\"}]}]";

/* A heap copy of s, so that freeing it right after use is seen by ASan. */
static char *dup_buf(const char *s, size_t *len)
{
    *len = strlen(s);
    char *p = malloc(*len + 1);
    memcpy(p, s, *len + 1);
    return p;
}

static void test_inputs_and_schema_freed_early(void)
{
    cedar_error err = CEDAR_ERROR_INIT;
    size_t n;
    char *b = dup_buf(schema_src, &n);
    char *file = strdup("s.cedarschema");
    cedar_schema *schema = cedar_schema_parse(b, n, CEDAR_SCHEMA_TEXT, file, &err);
    free(b);
    free(file);
    T_CHECK(schema != NULL);
    b = dup_buf(policy_src, &n);
    cedar_policy_set *ps = cedar_policy_set_parse(b, n, "p.cedar", &err);
    memset(b, 'x', n); /* overwritten, then freed: the set must not read it */
    free(b);
    T_CHECK(ps && cedar_policy_set_rename_by_annotation(ps, "id", &err) == 0);
    b = dup_buf(entities_src, &n);
    cedar_entities *es = cedar_entities_parse(b, n, schema, "e.json", &err);
    free(b);
    T_CHECK(es != NULL);
    char *ctx = strdup("{\"ip\": \"127.0.0.1\"}");
    char *p = strdup("User::\"alice\"");
    cedar_request *rq =
        cedar_request_new(p, "Action::\"view\"", "Photo::\"x\"", ctx, schema, true, &err);
    free(ctx);
    free(p);
    T_CHECK(rq != NULL);
    cedar_validation *v = ps ? cedar_validate(schema, ps, CEDAR_VALIDATION_STRICT, &err) : NULL;
    T_CHECK(v && cedar_validation_passed(v));
    /* the schema goes first: entities, request and validation result stay */
    cedar_schema_free(schema);
    cedar_response *resp = cedar_response_new();
    T_CHECK(rq && es && cedar_authorize(ps, es, rq, resp, &err) == 0);
    T_CHECK(cedar_response_decision(resp) == CEDAR_ALLOW);
    T_CHECK_STR(cedar_response_reason(resp, 0), "levels");
    T_CHECK_STR(cedar_policy_set_annotation(ps, 1, "doc"), "a template");
    char *text = cedar_policy_set_policy_text(ps, 0);
    T_CHECK(text && strstr(text, "isLoopback"));
    free(text);
    /* then the policy set: the validation result holds copies */
    cedar_policy_set_free(ps);
    T_CHECK_STR(cedar_validation_policy_id(v, 1), "share");
    cedar_validation_free(v);
    cedar_response_free(resp);
    cedar_request_free(rq);
    cedar_entities_free(es);
    cedar_error_clear(&err);
}

/* Ids of a set stay readable after unlink and rename (until the set is freed). */
static void test_set_strings_outlive_unlink(void)
{
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_policy_set *ps = cedar_policy_set_parse(policy_src, strlen(policy_src), "p.cedar", &err);
    T_CHECK(ps &&
            cedar_policy_set_link(ps, "policy1", "l1", "User::\"a\"", "Photo::\"b\"", &err) == 0);
    const char *lid = cedar_policy_set_id(ps, 2), *tid = cedar_policy_set_template_of(ps, 2);
    const char *old = cedar_policy_set_id(ps, 0);
    T_CHECK(ps && cedar_policy_set_unlink(ps, "l1", &err) == 0);
    T_CHECK(ps && cedar_policy_set_rename_by_annotation(ps, "id", &err) == 0);
    T_CHECK_STR(lid, "l1");
    T_CHECK_STR(tid, "policy1");
    T_CHECK_STR(old, "policy0");
    T_CHECK_STR(cedar_policy_set_id(ps, 0), "levels");
    cedar_policy_set_free(ps);
    cedar_error_clear(&err);
}

typedef struct shared {
    const cedar_policy_set *ps;
    const cedar_entities *es;
    const cedar_request *rq;
    int allows;
} shared;

static void *authorize_many(void *arg)
{
    shared *sh = arg;
    cedar_response *resp = cedar_response_new();
    for (int i = 0; i < 2000; i++) {
        if (cedar_authorize(sh->ps, sh->es, sh->rq, resp, NULL) == 0 &&
            cedar_response_decision(resp) == CEDAR_ALLOW &&
            strcmp(cedar_response_reason(resp, 0), "levels") == 0)
            sh->allows++;
    }
    cedar_response_free(resp);
    return NULL;
}

/* Four threads authorize on one set, entities and request at once. */
static void test_concurrent_authorize(void)
{
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_schema *schema =
        cedar_schema_parse(schema_src, strlen(schema_src), CEDAR_SCHEMA_TEXT, "s", &err);
    cedar_policy_set *ps = cedar_policy_set_parse(policy_src, strlen(policy_src), "p", &err);
    cedar_policy_set_rename_by_annotation(ps, "id", &err);
    cedar_entities *es =
        cedar_entities_parse(entities_src, strlen(entities_src), schema, "e", &err);
    cedar_request *rq = cedar_request_new("User::\"alice\"", "Action::\"view\"", "Photo::\"x\"",
                                          "{\"ip\": \"127.0.0.1\"}", schema, true, &err);
    T_CHECK(schema && ps && es && rq);
    if (schema && ps && es && rq) {
        shared sh[4];
        pthread_t th[4];
        for (int i = 0; i < 4; i++) {
            sh[i] = (shared){ps, es, rq, 0};
            pthread_create(&th[i], NULL, authorize_many, &sh[i]);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(th[i], NULL);
            T_CHECK(sh[i].allows == 2000);
        }
    }
    cedar_request_free(rq);
    cedar_entities_free(es);
    cedar_policy_set_free(ps);
    cedar_schema_free(schema);
    cedar_error_clear(&err);
}

/* A second failing call replaces the error (no leak, the new message). */
static void test_error_replaced(void)
{
    cedar_error err = CEDAR_ERROR_INIT;
    T_CHECK(cedar_policy_set_parse("permit(", 7, "a.cedar", &err) == NULL);
    T_CHECK(cedar_entities_parse("[", 1, NULL, "b.json", &err) == NULL);
    T_CHECK(err.file && strcmp(err.file, "b.json") == 0);
    cedar_error_clear(&err);
    T_CHECK(err.message == NULL && err.file == NULL);
}

int main(void)
{
    T_RUN(test_inputs_and_schema_freed_early);
    T_RUN(test_set_strings_outlive_unlink);
    T_RUN(test_concurrent_authorize);
    T_RUN(test_error_replaced);
    T_DONE();
}
