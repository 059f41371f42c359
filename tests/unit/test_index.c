/* test_index.c: the policy index (cd_index.c) and the id table (cd_idtab.c).
 * Every request is answered twice, through the index (cedar_authorize) and
 * by the full scan (cd_authorize); decision, determining policies and
 * erroring policies (ids and messages, in order) must be identical, and the
 * expected reasons are checked too. cd_index_candidates is checked directly
 * so that a test fails if the index stops pruning. */
#include <stdarg.h>
#include <stdlib.h>

#include "cd_api.h"
#include "t.h"

/* Entities shared by the tests: User::"a" in Group::"g" in Group::"top",
 * User::"b" (no parents), Doc::"d" in Folder::"f", actions read/write in
 * Action::"readers" (read only). */
static const char *entities_json =
    "["
    "{\"uid\":{\"type\":\"User\",\"id\":\"a\"},\"attrs\":{},"
    "\"parents\":[{\"type\":\"Group\",\"id\":\"g\"}]},"
    "{\"uid\":{\"type\":\"Group\",\"id\":\"g\"},\"attrs\":{},"
    "\"parents\":[{\"type\":\"Group\",\"id\":\"top\"}]},"
    "{\"uid\":{\"type\":\"User\",\"id\":\"b\"},\"attrs\":{},\"parents\":[]},"
    "{\"uid\":{\"type\":\"Doc\",\"id\":\"d\"},\"attrs\":{},"
    "\"parents\":[{\"type\":\"Folder\",\"id\":\"f\"}]},"
    "{\"uid\":{\"type\":\"Action\",\"id\":\"read\"},\"attrs\":{},"
    "\"parents\":[{\"type\":\"Action\",\"id\":\"readers\"}]},"
    "{\"uid\":{\"type\":\"Action\",\"id\":\"write\"},\"attrs\":{},\"parents\":[]}"
    "]";

static cedar_entities *ES;

static cedar_policy_set *parse(const char *text)
{
    cedar_error err = {0};
    cedar_policy_set *ps = cedar_policy_set_parse(text, strlen(text), "t.cedar", &err);
    if (!ps) {
        char *m = cedar_error_format(&err);
        fprintf(stderr, "parse: %s\n", m);
        free(m);
        cedar_error_clear(&err);
    }
    return ps;
}

static cedar_request *req(const char *p, const char *a, const char *r)
{
    cedar_error err = {0};
    cedar_request *rq = cedar_request_new(p, a, r, "{\"deny\": false}", NULL, false, &err);
    if (!rq) cedar_error_clear(&err);
    return rq;
}

/* Joined ids of reasons ("p0,p3") or errors. */
static void ids(char *out, size_t cap, size_t n, const cd_policy *const *ps,
                const cd_policy_error *errs)
{
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const cd_policy *p = ps ? ps[i] : errs[i].policy;
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", i ? "," : "", p->id.ptr);
    }
}

/* Authorize through the index and by the scan; check they agree and that the
 * indexed answer has the expected decision, reasons and erroring policies.
 * Returns the number of candidates the index gave (SIZE_MAX: it scanned). */
static size_t check(const cedar_policy_set *ps, const char *p, const char *a, const char *r,
                    bool allow, const char *reasons, const char *errors)
{
    cedar_request *rq = req(p, a, r);
    T_CHECK(rq != NULL);
    if (!rq) return 0;
    cedar_response *resp = cedar_response_new();
    cedar_authorize(ps, ES, rq, resp, NULL);
    cd_arena *arena = cd_arena_new();
    cd_response scan;
    cd_authorize(&ps->view, &rq->rq, ES->es, arena, &scan);
    const cd_response *ix = &resp->r;
    char got[512], want[512];
    T_CHECK(ix->allow == allow);
    T_CHECK(scan.allow == ix->allow);
    ids(got, sizeof got, ix->n_reasons, ix->reasons, NULL);
    ids(want, sizeof want, scan.n_reasons, scan.reasons, NULL);
    T_CHECK_STR(got, reasons);
    T_CHECK_STR(want, got);
    ids(got, sizeof got, ix->n_errors, NULL, ix->errors);
    ids(want, sizeof want, scan.n_errors, NULL, scan.errors);
    T_CHECK_STR(got, errors);
    T_CHECK_STR(want, got);
    for (size_t i = 0; i < ix->n_errors && i < scan.n_errors; i++)
        T_CHECK_STR(ix->errors[i].error.message, scan.errors[i].error.message);
    const uint32_t *cand;
    size_t n = SIZE_MAX;
    if (!cd_index_candidates(ps->index, ps->view.n, &rq->rq, ES->es, arena, &cand, &n))
        n = SIZE_MAX;
    for (size_t i = 1; n != SIZE_MAX && i < n; i++)
        T_CHECK(cand[i - 1] < cand[i]); /* policy-set order, no repeats */
    cd_arena_free(arena);
    cedar_response_free(resp);
    cedar_request_free(rq);
    return n;
}

/* Each scope kind, in each dimension, and the unconstrained list. */
static void test_scope_kinds(void)
{
    cedar_policy_set *ps = parse(
        "permit(principal == User::\"a\", action, resource);\n"                           /* p0 */
        "permit(principal in Group::\"g\", action, resource);\n"                          /* p1 */
        "permit(principal is User, action, resource);\n"                                  /* p2 */
        "permit(principal is User in Group::\"g\", action, resource);\n"                  /* p3 */
        "permit(principal, action in [Action::\"read\", Action::\"write\"], resource);\n" /* p4 */
        "permit(principal, action == Action::\"write\", resource in Folder::\"f\");\n"    /* p5 */
        "permit(principal, action, resource is Doc);\n"                                   /* p6 */
        "permit(principal, action, resource == Doc::\"e\");\n"                            /* p7 */
        "forbid(principal, action, resource) when { context.deny };\n");                  /* p8 */
    T_CHECK(ps != NULL);
    if (!ps) return;
    check(ps, "User::\"a\"", "Action::\"none\"", "Photo::\"x\"", true,
          "policy0,policy1,policy2,policy3", "");
    check(ps, "User::\"b\"", "Action::\"none\"", "Photo::\"x\"", true, "policy2", "");
    check(ps, "Admin::\"z\"", "Action::\"read\"", "Photo::\"x\"", true, "policy4", "");
    check(ps, "Admin::\"z\"", "Action::\"write\"", "Doc::\"d\"", true, "policy4,policy5,policy6",
          "");
    check(ps, "Admin::\"z\"", "Action::\"none\"", "Doc::\"e\"", true, "policy6,policy7", "");
    check(ps, "Admin::\"z\"", "Action::\"none\"", "Photo::\"x\"", false, "", "");
    cedar_policy_set_free(ps);
}

/* Scopes matched through ancestors: principal in a grandparent group, action
 * in an action group, resource in a folder. */
static void test_ancestors(void)
{
    cedar_policy_set *ps =
        parse("permit(principal in Group::\"top\", action == Action::\"write\", resource);\n"
              "permit(principal, action in Action::\"readers\", resource);\n"
              "permit(principal, action in [Action::\"x\", Action::\"readers\"], resource);\n"
              "permit(principal, action, resource in Folder::\"f\");\n"
              "permit(principal, action, resource is Doc in Folder::\"f\");\n"
              "permit(principal, action, resource is Photo in Folder::\"f\");\n");
    T_CHECK(ps != NULL);
    if (!ps) return;
    check(ps, "User::\"a\"", "Action::\"write\"", "Photo::\"x\"", true, "policy0", "");
    check(ps, "User::\"b\"", "Action::\"write\"", "Photo::\"x\"", false, "", "");
    check(ps, "User::\"b\"", "Action::\"read\"", "Photo::\"x\"", true, "policy1,policy2", "");
    check(ps, "User::\"b\"", "Action::\"write\"", "Doc::\"d\"", true, "policy3,policy4", "");
    check(ps, "User::\"b\"", "Action::\"write\"", "Folder::\"f\"", true, "policy3", "");
    cedar_policy_set_free(ps);
}

/* The same through entities whose closures are not kept (a store with more
 * than cd_hier_max_closure ancestors per entity): the index must find the
 * ancestors by the walk up the parent links, as `in` does. Before the fix it
 * read the (empty) closure and missed policy0..policy4. */
static void test_ancestors_not_closed(void)
{
    cedar_entities *closed = ES;
    cedar_error err = {0};
    cd_hier_max_closure = 0;
    ES = cedar_entities_parse(entities_json, strlen(entities_json), NULL, "e.json", &err);
    cd_hier_max_closure = 256;
    T_CHECK(ES != NULL);
    if (ES) {
        cd_uid a = {cd_name_intern(NULL, "User", 4), CD_STR_LIT("a"), 0};
        const cd_entity *e = cd_entities_find(ES->es, &a);
        T_CHECK(e && !e->closed);
        test_ancestors();
    }
    cedar_entities_free(ES);
    ES = closed;
}

/* Determining policies and errors come in policy-set order although they are
 * found in different buckets (entity, ancestor, type, unconstrained). */
static void test_order(void)
{
    cedar_policy_set *ps = parse(
        "forbid(principal, action, resource) when { principal.nope };\n"             /* error */
        "permit(principal is User, action, resource);\n"                             /* type */
        "forbid(principal in Group::\"top\", action, resource) when { 1 + \"\" };\n" /* error */
        "permit(principal == User::\"a\", action, resource);\n"                      /* entity */
        "permit(principal, action, resource);\n"                                     /* any */
        "permit(principal in Group::\"g\", action, resource);\n"                     /* ancestor */
        "permit(principal in Group::\"top\", action, resource) when { principal.nope };\n");
    T_CHECK(ps != NULL);
    if (!ps) return;
    check(ps, "User::\"a\"", "Action::\"read\"", "Doc::\"d\"", true,
          "policy1,policy3,policy4,policy5", "policy0,policy2,policy6");
    check(ps, "User::\"b\"", "Action::\"read\"", "Doc::\"d\"", true, "policy1,policy4", "policy0");
    cedar_policy_set_free(ps);
}

/* The index prunes: with many policies on distinct principals, a request
 * gets one candidate plus those unconstrained on the principal (policy100). */
static void test_prunes(void)
{
    char *text = malloc(100 * 128);
    size_t len = 0;
    for (int i = 0; i < 100; i++)
        len += (size_t)snprintf(text + len, 128,
                                "permit(principal == User::\"u%d\", action, resource);\n", i);
    len +=
        (size_t)snprintf(text + len, 128, "permit(principal, action, resource == Doc::\"d\");\n");
    cedar_policy_set *ps = parse(text);
    free(text);
    T_CHECK(ps != NULL);
    if (!ps) return;
    T_CHECK(check(ps, "User::\"u7\"", "Action::\"read\"", "Doc::\"x\"", true, "policy7", "") == 2);
    T_CHECK(check(ps, "User::\"u7\"", "Action::\"read\"", "Doc::\"d\"", true, "policy7,policy100",
                  "") == 2);
    T_CHECK(check(ps, "User::\"zz\"", "Action::\"read\"", "Doc::\"x\"", false, "", "") == 1);
    cedar_policy_set_free(ps);
}

static int link_json(cedar_policy_set *ps, const char *json)
{
    cedar_error err = {0};
    int rc = cedar_policy_set_link_json(ps, json, strlen(json), "links.json", &err);
    cedar_error_clear(&err);
    return rc;
}

/* Links are filed under their slot values; links taken out again (a batch
 * that fails is undone) leave nothing behind in the index or the id table. */
static void test_links_and_unlink(void)
{
    cedar_policy_set *ps =
        parse("permit(principal == ?principal, action, resource in ?resource);\n"
              "permit(principal in ?principal, action == Action::\"write\", resource);\n");
    T_CHECK(ps != NULL);
    if (!ps) return;
    T_CHECK(link_json(
                ps,
                "[{\"template_id\":\"policy0\",\"link_id\":\"L1\",\"args\":"
                "{\"?principal\":\"User::\\\"a\\\"\",\"?resource\":\"Folder::\\\"f\\\"\"}}]") == 0);
    check(ps, "User::\"a\"", "Action::\"read\"", "Doc::\"d\"", true, "L1", "");
    check(ps, "User::\"b\"", "Action::\"read\"", "Doc::\"d\"", false, "", "");
    /* The second link is made, then undone when the third names no template. */
    T_CHECK(link_json(ps,
                      "[{\"template_id\":\"policy0\",\"link_id\":\"L2\",\"args\":"
                      "{\"?principal\":\"User::\\\"b\\\"\",\"?resource\":\"Folder::\\\"f\\\"\"}},"
                      "{\"template_id\":\"policy1\",\"link_id\":\"L3\",\"args\":"
                      "{\"?principal\":\"Group::\\\"top\\\"\"}},"
                      "{\"template_id\":\"nope\",\"link_id\":\"L4\",\"args\":{}}]") != 0);
    T_CHECK(cedar_policy_set_count(ps) == 3);
    check(ps, "User::\"b\"", "Action::\"read\"", "Doc::\"d\"", false, "", "");
    check(ps, "User::\"a\"", "Action::\"write\"", "Photo::\"p\"", false, "", "");
    /* The undone ids are free again; the new links take the old positions. */
    T_CHECK(link_json(ps, "[{\"template_id\":\"policy1\",\"link_id\":\"L2\",\"args\":"
                          "{\"?principal\":\"Group::\\\"g\\\"\"}}]") == 0);
    check(ps, "User::\"a\"", "Action::\"write\"", "Doc::\"d\"", true, "L1,L2", "");
    check(ps, "User::\"b\"", "Action::\"read\"", "Doc::\"d\"", false, "", "");
    cedar_error err = {0};
    T_CHECK(cedar_policy_set_link(ps, "policy0", "L1", "User::\"b\"", "Folder::\"f\"", &err) != 0);
    cedar_error_clear(&err);
    T_CHECK(cedar_policy_set_link(ps, "L1", "L9", "User::\"b\"", "Folder::\"f\"", &err) != 0);
    cedar_error_clear(&err);
    cedar_policy_set_free(ps);
}

/* Many links: every id found, every duplicate rejected, the id table and the
 * index still right after undoing a large batch (backward-shift deletion). */
static void test_many_links(void)
{
    cedar_policy_set *ps = parse("permit(principal == ?principal, action, resource);\n");
    T_CHECK(ps != NULL);
    if (!ps) return;
    cedar_error err = {0};
    char id[32], uid[48];
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "link%d", i);
        snprintf(uid, sizeof uid, "User::\"u%d\"", i);
        T_CHECK(cedar_policy_set_link(ps, "policy0", id, uid, NULL, &err) == 0);
    }
    /* A batch of 2,000 new links ending in a duplicate id: all undone. */
    size_t cap = 2001 * 100, len = 0;
    char *json = malloc(cap);
    len += (size_t)snprintf(json + len, cap - len, "[");
    for (int i = 0; i < 2000; i++)
        len += (size_t)snprintf(json + len, cap - len,
                                "{\"template_id\":\"policy0\",\"link_id\":\"new%d\",\"args\":"
                                "{\"?principal\":\"User::\\\"n%d\\\"\"}},",
                                i, i);
    snprintf(json + len, cap - len,
             "{\"template_id\":\"policy0\",\"link_id\":\"link5\",\"args\":"
             "{\"?principal\":\"User::\\\"x\\\"\"}}]");
    T_CHECK(link_json(ps, json) != 0);
    free(json);
    T_CHECK(cedar_policy_set_count(ps) == 3001);
    for (int i = 0; i < 3000; i += 7) {
        snprintf(id, sizeof id, "link%d", i);
        snprintf(uid, sizeof uid, "User::\"u%d\"", i);
        T_CHECK(cedar_policy_set_link(ps, "policy0", id, uid, NULL, &err) != 0);
        cedar_error_clear(&err);
    }
    for (int i = 0; i < 2000; i += 7) {
        snprintf(id, sizeof id, "new%d", i);
        snprintf(uid, sizeof uid, "User::\"n%d\"", i);
        check(ps, uid, "Action::\"read\"", "Doc::\"d\"", false, "", "");
        T_CHECK(cedar_policy_set_link(ps, "policy0", id, uid, NULL, &err) == 0);
        check(ps, uid, "Action::\"read\"", "Doc::\"d\"", true, id, "");
    }
    snprintf(uid, sizeof uid, "User::\"u%d\"", 2999);
    check(ps, uid, "Action::\"read\"", "Doc::\"d\"", true, "link2999", "");
    cedar_policy_set_free(ps);
}

/* cedar_policy_set_unlink: the link leaves the index and the id table, the
 * policies after it move up (positions in the index follow), static policies
 * and templates cannot be unlinked, and the id can be linked again. */
static void test_unlink(void)
{
    cedar_policy_set *ps = parse("permit(principal == ?principal, action, resource);\n"
                                 "permit(principal, action, resource == Doc::\"d\");\n");
    T_CHECK(ps != NULL);
    if (!ps) return;
    cedar_error err = {0};
    char id[32], uid[48];
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof id, "L%d", i);
        snprintf(uid, sizeof uid, "User::\"u%d\"", i % 20); /* two links per user */
        T_CHECK(cedar_policy_set_link(ps, "policy0", id, uid, NULL, &err) == 0);
    }
    check(ps, "User::\"u3\"", "Action::\"r\"", "Doc::\"d\"", true, "policy1,L3,L23", "");
    T_CHECK(cedar_policy_set_unlink(ps, "L3", &err) == 0);
    T_CHECK(cedar_policy_set_count(ps) == 41);
    T_CHECK_STR(cedar_policy_set_id(ps, 5), "L4");
    check(ps, "User::\"u3\"", "Action::\"r\"", "Doc::\"d\"", true, "policy1,L23", "");
    check(ps, "User::\"u4\"", "Action::\"r\"", "Doc::\"x\"", true, "L4,L24", "");
    check(ps, "User::\"u19\"", "Action::\"r\"", "Doc::\"x\"", true, "L19,L39", "");
    T_CHECK(cedar_policy_set_unlink(ps, "L3", &err) != 0); /* gone */
    cedar_error_clear(&err);
    T_CHECK(cedar_policy_set_unlink(ps, "policy0", &err) != 0); /* a template */
    cedar_error_clear(&err);
    T_CHECK(cedar_policy_set_unlink(ps, "policy1", &err) != 0); /* a static policy */
    cedar_error_clear(&err);
    for (int i = 0; i < 40; i += 2) {
        snprintf(id, sizeof id, "L%d", i);
        T_CHECK(cedar_policy_set_unlink(ps, id, &err) == 0);
    }
    T_CHECK(cedar_policy_set_count(ps) == 21);
    check(ps, "User::\"u4\"", "Action::\"r\"", "Doc::\"x\"", false, "", "");
    check(ps, "User::\"u5\"", "Action::\"r\"", "Doc::\"x\"", true, "L5,L25", "");
    T_CHECK(cedar_policy_set_link(ps, "policy0", "L3", "User::\"u4\"", NULL, &err) == 0);
    check(ps, "User::\"u4\"", "Action::\"r\"", "Doc::\"x\"", true, "L3", "");
    T_CHECK(cedar_policy_set_link(ps, "policy0", "L5", "User::\"u4\"", NULL, &err) != 0);
    cedar_error_clear(&err);
    cedar_policy_set_free(ps);
}

int main(void)
{
    cd_index_scan_below = 0; /* the index on every set, however small */
    cedar_error err = {0};
    ES = cedar_entities_parse(entities_json, strlen(entities_json), NULL, "e.json", &err);
    if (!ES) {
        fprintf(stderr, "entities rejected\n");
        return 1;
    }
    T_RUN(test_scope_kinds);
    T_RUN(test_ancestors);
    T_RUN(test_ancestors_not_closed);
    T_RUN(test_order);
    T_RUN(test_prunes);
    T_RUN(test_links_and_unlink);
    T_RUN(test_many_links);
    T_RUN(test_unlink);
    cedar_entities_free(ES);
    T_DONE();
}
