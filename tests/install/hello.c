/* An outside program of libcedar: authorizes one request, prints the decision. */
#include <cedar/cedar.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    static const char policies[] = "permit(principal == User::\"alice\", action, resource);";
    cedar_error err = CEDAR_ERROR_INIT;
    cedar_policy_set *ps = cedar_policy_set_parse(policies, strlen(policies), "p.cedar", &err);
    cedar_entities *es = ps ? cedar_entities_parse("[]", 2, NULL, "e.json", &err) : NULL;
    cedar_request *rq = es ? cedar_request_new("User::\"alice\"", "Action::\"view\"",
                                               "Photo::\"a.jpg\"", "{}", NULL, false, &err)
                           : NULL;
    cedar_response *resp = cedar_response_new();
    int rc = 1;
    if (rq && resp && cedar_authorize(ps, es, rq, resp, &err) == 0) {
        printf("%s %s\n", cedar_response_decision(resp) == CEDAR_ALLOW ? "ALLOW" : "DENY",
               cedar_version());
        rc = strcmp(cedar_version(), CEDAR_VERSION_STRING) != 0;
    } else {
        char *msg = cedar_error_format(&err);
        fprintf(stderr, "error: %s\n", msg ? msg : "?");
        free(msg);
    }
    cedar_response_free(resp);
    cedar_request_free(rq);
    cedar_entities_free(es);
    cedar_policy_set_free(ps);
    cedar_error_clear(&err);
    return rc;
}
