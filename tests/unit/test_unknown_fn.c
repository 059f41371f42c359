/* test_unknown_fn.c: a call of an extension function that does not exist,
 * written in policy JSON's `__extn` escape, as the official engine (Cedar
 * 4.13, cedar-wasm) takes it: the policy reads (the name need only be a
 * valid Cedar name), prints as a function call in Cedar text and back as the
 * escape in policy JSON; evaluating it is an error ("extension function `f`
 * does not exist", after its arguments), and the validator rejects it
 * ("undefined extension function: f"). An unknown function as an expression
 * key, and the text forms `f(x)` and `x.f()`, are rejected when read.
 * Regression: core rejected the `__extn` form when reading the policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t_api.h"

/* A policy set of one policy `permit(principal, action, resource) when { BODY };`
 * with BODY in policy JSON, or NULL with the error in *err. */
static cedar_policy_set *with_body(const char *body, cedar_error *err)
{
    char json[2048];
    snprintf(json, sizeof json,
             "{\"effect\":\"permit\",\"principal\":{\"op\":\"All\"},\"action\":{\"op\":\"All\"},"
             "\"resource\":{\"op\":\"All\"},\"conditions\":[{\"kind\":\"when\",\"body\":%s}]}",
             body);
    return cedar_policy_set_from_json(json, strlen(json), "p.json", err);
}

#define EXTN(fn, rest) "{\"Value\":{\"__extn\":{\"fn\":\"" fn "\"," rest "}}}"

/* The policy reads, prints as `when { TEXT }` and goes back to the same text
 * through its policy JSON, which holds json_part. */
static void reads_as(const char *body, const char *text, const char *json_part)
{
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_policy_set *ps = with_body(body, &err);
    T_CHECK(ps != NULL);
    if (!ps) {
        fprintf(stderr, "  %s: %s\n", body, err.message);
        cedar_error_clear(&err);
        return;
    }
    char *got = cedar_policy_set_policy_text(ps, 0);
    T_CHECK(got && strstr(got, text));
    if (!got || !strstr(got, text)) fprintf(stderr, "  %s: text %s\n", body, got ? got : "-");
    char *json = cedar_policy_set_policy_json(ps, 0, &err);
    T_CHECK(json && strstr(json, json_part));
    if (!json || !strstr(json, json_part))
        fprintf(stderr, "  %s: json %s\n", body, json ? json : "-");
    cedar_policy_set *back =
        json ? cedar_policy_set_from_json(json, strlen(json), "b.json", &err) : NULL;
    char *again = back ? cedar_policy_set_policy_text(back, 0) : NULL;
    T_CHECK_STR(again, got);
    free(again);
    cedar_policy_set_free(back);
    free(json);
    free(got);
    cedar_policy_set_free(ps);
    cedar_error_clear(&err);
}

static void rejected(const char *body, const char *want)
{
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_policy_set *ps = with_body(body, &err);
    char *m = t_message(&err);
    T_CHECK(ps == NULL && t_has(m, want));
    free(m);
    cedar_policy_set_free(ps);
    cedar_error_clear(&err);
}

static void test_reading_and_printing(void)
{
    reads_as(EXTN("nosuch", "\"arg\":\"x\""), "nosuch(\"x\")",
             "{\"Value\":{\"__extn\":{\"fn\":\"nosuch\",\"arg\":\"x\"}}}");
    reads_as(EXTN("nosuch", "\"args\":[\"x\",1]"), "nosuch(\"x\", 1)",
             "{\"__extn\":{\"fn\":\"nosuch\",\"args\":[\"x\",1]}}");
    reads_as(EXTN("nosuch", "\"args\":[]"), "nosuch()",
             "{\"__extn\":{\"fn\":\"nosuch\",\"args\":[]}}");
    /* `arg` wins over `args`, other keys are ignored */
    reads_as(EXTN("nosuch", "\"arg\":\"x\",\"args\":[\"y\"],\"z\":1"), "nosuch(\"x\")",
             "{\"__extn\":{\"fn\":\"nosuch\",\"arg\":\"x\"}}");
    /* any valid name: namespaced, a variable's name */
    reads_as(EXTN("a::b", "\"arg\":\"x\""), "a::b(\"x\")", "\"fn\":\"a::b\"");
    reads_as(EXTN("principal", "\"arg\":\"x\""), "principal(\"x\")", "\"fn\":\"principal\"");
    /* nested in a record and a set, around and inside known calls */
    reads_as("{\"Value\":{\"r\":{\"__extn\":{\"fn\":\"nosuch\",\"arg\":\"x\"}}}}",
             "{\"r\": nosuch(\"x\")}", "\"fn\":\"nosuch\"");
    reads_as("{\"Value\":[{\"__extn\":{\"fn\":\"nosuch\",\"arg\":\"x\"}}]}", "[nosuch(\"x\")]",
             "\"fn\":\"nosuch\"");
    reads_as(EXTN("nosuch", "\"arg\":{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"1.5\"}}"),
             "nosuch(decimal(\"1.5\"))",
             "{\"__extn\":{\"fn\":\"nosuch\",\"arg\":{\"__extn\":{\"fn\":\"decimal\",\"arg\":"
             "\"1.5\"}}}}");
    reads_as(EXTN("decimal", "\"arg\":{\"__extn\":{\"fn\":\"nosuch\",\"arg\":\"z\"}}"),
             "decimal(nosuch(\"z\"))", "\"fn\":\"nosuch\"");
    reads_as(EXTN("nosuch", "\"args\":[{\"a\":[1,true]},{\"__entity\":{\"type\":\"U\",\"id\":"
                            "\"u\"}}]"),
             "nosuch({\"a\": [1, true]}, U::\"u\")", "\"args\":[{\"a\":[1,true]},{\"__entity\"");
}

static void test_rejected_when_read(void)
{
    /* names that are not Cedar names */
    rejected(EXTN("a b", "\"arg\":\"x\""), "invalid extension function name `a b`");
    rejected(EXTN("", "\"arg\":\"x\""), "invalid extension function name ``");
    rejected(EXTN("if", "\"arg\":\"x\""), "invalid extension function name `if`");
    rejected(EXTN("__cedar::f", "\"arg\":\"x\""), "invalid extension function name");
    rejected(EXTN(" nosuch ", "\"arg\":\"x\""), "invalid extension function name");
    /* an unknown function as an expression key */
    rejected("{\"nosuch\":[{\"Value\":\"x\"}]}", "unknown operator or extension function `nosuch`");
    rejected("{\"nosuch\":[]}", "unknown operator or extension function `nosuch`");
    /* and in Cedar text, as a function and as a method */
    static const struct {
        const char *text, *want;
    } texts[] = {
        {"permit(principal, action, resource) when { nosuch(\"x\") };",
         "`nosuch` is not a valid function"},
        {"permit(principal, action, resource) when { \"x\".nosuch() };",
         "`nosuch` is not a valid method"},
        {"permit(principal, action, resource) when { a::b(\"x\") };",
         "`a::b` is not a valid function"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cedar_error err = CEDAR_ERROR_INIT;
        cedar_policy_set *ps =
            cedar_policy_set_parse(texts[i].text, strlen(texts[i].text), "p.cedar", &err);
        T_CHECK(ps == NULL && t_has(err.message, texts[i].want));
        cedar_policy_set_free(ps);
        cedar_error_clear(&err);
    }
}

/* The policy's error when authorized, or "" for none (static or the response's). */
static const char *evaluation_error(const char *body, cedar_response *resp)
{
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_policy_set *ps = with_body(body, &err);
    cedar_request *rq =
        cedar_request_new("U::\"u\"", "Action::\"a\"", "U::\"r\"", NULL, NULL, false, &err);
    T_CHECK(ps && rq);
    const char *m = "(not authorized)";
    if (ps && rq && cedar_authorize(ps, NULL, rq, resp, &err) == 0) {
        T_CHECK(cedar_response_decision(resp) == CEDAR_DENY);
        m = cedar_response_error_count(resp) == 1   ? cedar_response_error_message(resp, 0)
            : cedar_response_error_count(resp) == 0 ? ""
                                                    : "(several errors)";
    }
    cedar_request_free(rq);
    cedar_policy_set_free(ps);
    cedar_error_clear(&err);
    return m;
}

static void test_evaluation(void)
{
    cedar_response *resp = cedar_response_new();
    const char *m = evaluation_error(EXTN("nosuch", "\"arg\":\"x\""), resp);
    T_CHECK(t_has(m, "extension function `nosuch` does not exist"));
    m = evaluation_error(EXTN("a::b", "\"args\":[]"), resp);
    T_CHECK(t_has(m, "extension function `a::b` does not exist"));
    /* nested in a record: still evaluated */
    m = evaluation_error("{\"Value\":{\"r\":{\"__extn\":{\"fn\":\"nosuch\",\"arg\":\"x\"}}}}",
                         resp);
    T_CHECK(t_has(m, "extension function `nosuch` does not exist"));
    /* not evaluated: no error */
    m = evaluation_error(
        "{\"&&\":{\"left\":{\"Value\":false},\"right\":" EXTN("nosuch", "\"arg\":\"x\"") "}}",
        resp);
    T_CHECK_STR(m, "");
    /* the arguments first: the decimal's error */
    m = evaluation_error(EXTN("nosuch", "\"arg\":{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"zz\"}}"),
                         resp);
    T_CHECK(t_has(m, "decimal") && !strstr(m, "does not exist"));
    /* an unknown argument of a known function */
    m = evaluation_error(EXTN("decimal", "\"arg\":{\"__extn\":{\"fn\":\"nosuch\",\"arg\":\"z\"}}"),
                         resp);
    T_CHECK(t_has(m, "extension function `nosuch` does not exist"));
    cedar_response_free(resp);
}

/* The validator's messages for the policy, joined by "|", are want. */
static void validates_as(const char *body, const char *want)
{
    static const char *schema = "entity U; action a appliesTo { principal: U, resource: U };";
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_schema *s = t_schema_text(schema);
    cedar_policy_set *ps = with_body(body, &err);
    T_CHECK(ps != NULL);
    cedar_validation *v = s && ps ? cedar_validate(s, ps, CEDAR_VALIDATION_STRICT, &err) : NULL;
    size_t cap = 1;
    for (size_t i = 0; v && i < cedar_validation_error_count(v); i++)
        cap += strlen(cedar_validation_error_message(v, i)) + 1;
    char *out = calloc(cap, 1);
    for (size_t i = 0; out && v && i < cedar_validation_error_count(v); i++) {
        if (i) strcat(out, "|");
        strcat(out, cedar_validation_error_message(v, i));
    }
    T_CHECK_STR(out, want);
    free(out);
    cedar_validation_free(v);
    cedar_policy_set_free(ps);
    cedar_schema_free(s);
    cedar_error_clear(&err);
}

static void test_validation(void)
{
    validates_as(EXTN("nosuch", "\"arg\":\"x\""), "undefined extension function: nosuch");
    validates_as(EXTN("a::b", "\"args\":[]"), "undefined extension function: a::b");
    /* the call has no type: nothing more is said of what holds it */
    validates_as("{\"==\":{\"left\":" EXTN("nosuch", "\"arg\":\"x\"") ",\"right\":{\"Value\":1}}}",
                 "undefined extension function: nosuch");
    validates_as("{\"&&\":{\"left\":" EXTN("f", "\"arg\":\"x\"") ",\"right\":" EXTN(
                     "g", "\"arg\":\"x\"") "}}",
                 "undefined extension function: f|undefined extension function: g");
    /* its arguments are still checked */
    validates_as(EXTN("nosuch", "\"arg\":{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"zz\"}}"),
                 "undefined extension function: nosuch|error during extension function argument "
                 "validation: failed to parse as a decimal value: `\"zz\"`");
    /* the right of `false && ...` is not typechecked, officially too (the
     * policy is only impossible, a warning) */
    validates_as(
        "{\"&&\":{\"left\":{\"Value\":false},\"right\":" EXTN("nosuch", "\"arg\":\"x\"") "}}", "");
}

int main(void)
{
    T_RUN(test_reading_and_printing);
    T_RUN(test_rejected_when_read);
    T_RUN(test_evaluation);
    T_RUN(test_validation);
    T_DONE();
}
