/* cedar_bench: nanoseconds per authorization on the OOPSLA 2024 Cedar
 * benchmark scenarios (gdrive, github, tinytodo).
 *
 *   cedar_bench [--data DIR] [--n N] [--graphs G] [--requests R] [--seed S]
 *
 * For each scenario it generates G entity graphs with N entities of each main
 * type and edge probability p = 0.05, following the shapes described in the
 * benchmark README, loads each graph once (with the scenario's JSON schema),
 * then times R random requests one by one (policies, entities and requests
 * are built before timing). It prints the median and p99 of the per-request
 * times and the share of Allow decisions. No assertions: figures only.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cedar/cedar.h"

static const double P = 0.05;

/* ---- deterministic randomness (xorshift64*) ----------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}
static bool coin(double p)
{
    return (double)(rnd() >> 11) / 9007199254740992.0 < p;
}
static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

/* ---- JSON helpers -------------------------------------------------------- */

static json_t *uid(const char *type, const char *fmt, int i)
{
    char id[64];
    snprintf(id, sizeof id, fmt, i);
    return json_pack("{s:s, s:s}", "type", type, "id", id);
}

static json_t *entity(json_t *u, json_t *attrs, json_t *parents)
{
    return json_pack("{s:o, s:o, s:o}", "uid", u, "attrs", attrs ? attrs : json_object(), "parents",
                     parents ? parents : json_array());
}

/* A request drawn by the generator: uids in Cedar syntax. */
typedef struct req {
    char principal[64], action[64], resource[64];
} req;

typedef struct scenario {
    const char *name, *schema, *policies;
    json_t *(*gen_entities)(int n);
    void (*gen_request)(int n, req *r);
} scenario;

/* ---- gdrive ----------------------------------------------------------------- */

static json_t *gdrive_entities(int n)
{
    json_t *es = json_array();
    bool *member = calloc((size_t)n * n, 1); /* member[u*n+g] */
    for (int u = 0; u < n; u++) {
        json_t *parents = json_array(), *docs = json_array(), *folders = json_array();
        for (int g = 0; g < n; g++)
            if ((member[u * n + g] = coin(P)))
                json_array_append_new(parents, uid("Group", "g%d", g));
        for (int d = 0; d < n; d++)
            if (coin(P)) json_array_append_new(docs, uid("Document", "d%d", d));
        for (int f = 0; f < n; f++)
            if (coin(P)) json_array_append_new(folders, uid("Folder", "f%d", f));
        json_t *attrs =
            json_pack("{s:o, s:o, s:o}", "documentsAndFoldersWithViewAccess",
                      uid("View", "uv%d", u), "ownedDocuments", docs, "ownedFolders", folders);
        json_array_append_new(es, entity(uid("User", "u%d", u), attrs, parents));
        json_array_append_new(es, entity(uid("View", "uv%d", u), NULL, NULL));
    }
    for (int g = 0; g < n; g++) {
        json_array_append_new(es, entity(uid("Group", "g%d", g), NULL, NULL));
        json_t *parents = json_array();
        for (int u = 0; u < n; u++)
            if (member[u * n + g]) json_array_append_new(parents, uid("View", "uv%d", u));
        json_array_append_new(es, entity(uid("View", "gv%d", g), NULL, parents));
    }
    for (int f = 0; f < n; f++) {
        json_t *parents = json_array();
        for (int k = 0; k < f; k++)
            if (coin(P)) json_array_append_new(parents, uid("Folder", "f%d", k));
        for (int k = 0; k < n; k++) {
            if (coin(P)) json_array_append_new(parents, uid("View", "uv%d", k));
            if (coin(P)) json_array_append_new(parents, uid("View", "gv%d", k));
        }
        json_array_append_new(es, entity(uid("Folder", "f%d", f), NULL, parents));
    }
    for (int d = 0; d < n; d++) {
        json_t *parents = json_array();
        for (int k = 0; k < n; k++) {
            if (coin(P)) json_array_append_new(parents, uid("Folder", "f%d", k));
            if (coin(P)) json_array_append_new(parents, uid("View", "uv%d", k));
            if (coin(P)) json_array_append_new(parents, uid("View", "gv%d", k));
        }
        json_t *attrs = json_pack("{s:b}", "isPublic", coin(0.5));
        json_array_append_new(es, entity(uid("Document", "d%d", d), attrs, parents));
    }
    free(member);
    return es;
}

static void gdrive_request(int n, req *r)
{
    static const char *const actions[] = {"read", "write", "share", "changeOwner",
                                          "createDocument"};
    int a = pick(5);
    snprintf(r->principal, sizeof r->principal, "User::\"u%d\"", pick(n));
    snprintf(r->action, sizeof r->action, "Action::\"%s\"", actions[a]);
    if (a == 4)
        snprintf(r->resource, sizeof r->resource, "Folder::\"f%d\"", pick(n));
    else
        snprintf(r->resource, sizeof r->resource, "Document::\"d%d\"", pick(n));
}

/* ---- github ----------------------------------------------------------------- */

static const char *const repo_roles[] = {"readers", "triagers", "writers", "maintainers", "admins"};
static const char *const org_roles[] = {"readers", "writers", "admins"};

static json_t *github_entities(int n)
{
    json_t *es = json_array();
    for (int o = 0; o < n; o++) {
        json_t *attrs = json_object(), *parents = json_array();
        for (int k = 0; k < 3; k++) {
            char id[64];
            snprintf(id, sizeof id, "o%d-%s", o, org_roles[k]);
            json_object_set_new(attrs, org_roles[k],
                                json_pack("{s:s, s:s}", "type", "OrgPermission", "id", id));
            json_array_append_new(
                es, entity(json_pack("{s:s, s:s}", "type", "OrgPermission", "id", id), NULL, NULL));
        }
        for (int k = 0; k < n; k++) {
            if (k != o && coin(P)) {
                char id[64];
                snprintf(id, sizeof id, "o%d-%s", k, org_roles[pick(3)]);
                json_array_append_new(parents,
                                      json_pack("{s:s, s:s}", "type", "OrgPermission", "id", id));
            }
        }
        json_array_append_new(es, entity(uid("Organization", "o%d", o), attrs, parents));
    }
    for (int r = 0; r < n; r++) {
        json_t *attrs = json_object();
        for (int k = 0; k < 5; k++) {
            char id[64];
            snprintf(id, sizeof id, "r%d-%s", r, repo_roles[k]);
            json_object_set_new(attrs, repo_roles[k],
                                json_pack("{s:s, s:s}", "type", "RepoPermission", "id", id));
            json_array_append_new(
                es,
                entity(json_pack("{s:s, s:s}", "type", "RepoPermission", "id", id), NULL, NULL));
        }
        json_object_set_new(attrs, "owner", uid("Organization", "o%d", pick(n)));
        json_array_append_new(es, entity(uid("Repository", "r%d", r), attrs, NULL));
    }
    for (int t = 0; t < n; t++) {
        json_t *parents = json_array();
        for (int k = 0; k < t; k++)
            if (coin(P)) json_array_append_new(parents, uid("Team", "t%d", k));
        for (int r = 0; r < n; r++) {
            if (!coin(P)) continue;
            char id[64];
            snprintf(id, sizeof id, "r%d-%s", r, repo_roles[pick(5)]);
            json_array_append_new(parents,
                                  json_pack("{s:s, s:s}", "type", "RepoPermission", "id", id));
        }
        json_array_append_new(es, entity(uid("Team", "t%d", t), NULL, parents));
    }
    for (int u = 0; u < n; u++) {
        json_t *parents = json_array();
        char id[64];
        for (int r = 0; r < n; r++) {
            if (!coin(P)) continue;
            snprintf(id, sizeof id, "r%d-%s", r, repo_roles[pick(5)]);
            json_array_append_new(parents,
                                  json_pack("{s:s, s:s}", "type", "RepoPermission", "id", id));
        }
        for (int t = 0; t < n; t++)
            if (coin(P)) json_array_append_new(parents, uid("Team", "t%d", t));
        for (int o = 0; o < n; o++) {
            if (!coin(P)) continue;
            snprintf(id, sizeof id, "o%d-%s", o, org_roles[pick(3)]);
            json_array_append_new(parents,
                                  json_pack("{s:s, s:s}", "type", "OrgPermission", "id", id));
        }
        json_array_append_new(es, entity(uid("User", "u%d", u), NULL, parents));
    }
    return es;
}

static void github_request(int n, req *r)
{
    static const char *const actions[] = {"read", "triage", "write", "maintain", "admin"};
    snprintf(r->principal, sizeof r->principal, "User::\"u%d\"", pick(n));
    snprintf(r->action, sizeof r->action, "Action::\"%s\"", actions[pick(5)]);
    snprintf(r->resource, sizeof r->resource, "Repository::\"r%d\"", pick(n));
}

/* ---- tinytodo --------------------------------------------------------------- */

static json_t *tinytodo_entities(int n)
{
    json_t *es = json_array();
    json_array_append_new(es, entity(uid("Application", "TinyTodo", 0), NULL, NULL));
    for (int u = 0; u < n; u++) {
        json_t *parents = json_array();
        for (int t = 0; t < n; t++)
            if (coin(P)) json_array_append_new(parents, uid("Team", "t%d", t));
        json_array_append_new(parents, uid("Application", "TinyTodo", 0));
        json_array_append_new(es, entity(uid("User", "u%d", u), NULL, parents));
    }
    for (int t = 0; t < n; t++) {
        json_t *parents = json_array();
        for (int k = 0; k < t; k++)
            if (coin(P)) json_array_append_new(parents, uid("Team", "t%d", k));
        json_array_append_new(parents, uid("Application", "TinyTodo", 0));
        json_array_append_new(es, entity(uid("Team", "t%d", t), NULL, parents));
    }
    static const char *const states[] = {"checked", "unchecked"};
    for (int l = 0; l < n; l++) {
        json_t *tasks = json_array();
        int nt = pick(51);
        for (int k = 0; k < nt; k++) {
            char name[32];
            snprintf(name, sizeof name, "task%d", k);
            json_array_append_new(tasks, json_pack("{s:s, s:i, s:s}", "name", name, "id", k,
                                                   "state", states[pick(2)]));
        }
        char name[32];
        snprintf(name, sizeof name, "list%d", l);
        json_t *attrs =
            json_pack("{s:s, s:o, s:o, s:o, s:o}", "name", name, "owner",
                      uid("User", "u%d", pick(n)), "readers", uid("Team", "t%d", pick(n)),
                      "editors", uid("Team", "t%d", pick(n)), "tasks", tasks);
        json_t *parents = json_array();
        json_array_append_new(parents, uid("Application", "TinyTodo", 0));
        json_array_append_new(es, entity(uid("List", "l%d", l), attrs, parents));
    }
    return es;
}

static void tinytodo_request(int n, req *r)
{
    static const char *const list_actions[] = {"GetList",    "UpdateList", "DeleteList",
                                               "CreateTask", "UpdateTask", "DeleteTask",
                                               "EditShares"};
    snprintf(r->principal, sizeof r->principal, "User::\"u%d\"", pick(n));
    int a = pick(9);
    if (a >= 7) {
        snprintf(r->action, sizeof r->action, "Action::\"%s\"", a == 7 ? "CreateList" : "GetLists");
        snprintf(r->resource, sizeof r->resource, "Application::\"TinyTodo\"");
    } else {
        snprintf(r->action, sizeof r->action, "Action::\"%s\"", list_actions[a]);
        snprintf(r->resource, sizeof r->resource, "List::\"l%d\"", pick(n));
    }
}

/* ---- driver ------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run(const scenario *sc, const char *data, int n, int graphs, int requests)
{
    char path[1024];
    size_t len;
    cedar_error err = {0};
    snprintf(path, sizeof path, "%s/%s", data, sc->schema);
    char *text = slurp(path, &len);
    if (!text) {
        fprintf(stderr, "%s: cannot read %s\n", sc->name, path);
        return 1;
    }
    cedar_schema *schema = cedar_schema_parse(text, len, CEDAR_SCHEMA_JSON, path, &err);
    free(text);
    snprintf(path, sizeof path, "%s/%s", data, sc->policies);
    text = slurp(path, &len);
    cedar_policy_set *ps = text && schema ? cedar_policy_set_parse(text, len, path, &err) : NULL;
    free(text);
    if (!schema || !ps) {
        char *m = cedar_error_format(&err);
        fprintf(stderr, "%s: %s\n", sc->name, m);
        free(m);
        return 1;
    }
    size_t total = (size_t)graphs * (size_t)requests;
    double *times = malloc(total * sizeof *times);
    cedar_request **rqs = malloc((size_t)requests * sizeof *rqs);
    cedar_response *resp = cedar_response_new();
    size_t k = 0, allows = 0, entities = 0;
    double load_ns = 0;
    for (int g = 0; g < graphs; g++) {
        json_t *ej = sc->gen_entities(n);
        char *ejson = json_dumps(ej, JSON_COMPACT);
        json_decref(ej);
        double t0 = now_ns();
        cedar_entities *es = cedar_entities_parse(ejson, strlen(ejson), schema, "generated", &err);
        load_ns += now_ns() - t0;
        free(ejson);
        if (!es) {
            char *m = cedar_error_format(&err);
            fprintf(stderr, "%s: generated entities rejected: %s\n", sc->name, m);
            free(m);
            return 1;
        }
        entities += cedar_entities_count(es);
        for (int i = 0; i < requests; i++) {
            req r;
            sc->gen_request(n, &r);
            rqs[i] = cedar_request_new(r.principal, r.action, r.resource, NULL, schema, true, &err);
            if (!rqs[i]) {
                char *m = cedar_error_format(&err);
                fprintf(stderr, "%s: generated request rejected: %s\n", sc->name, m);
                free(m);
                return 1;
            }
        }
        for (int i = 0; i < requests; i++) {
            double start = now_ns();
            cedar_authorize(ps, es, rqs[i], resp, NULL);
            times[k++] = now_ns() - start;
            allows += cedar_response_decision(resp) == CEDAR_ALLOW;
        }
        for (int i = 0; i < requests; i++)
            cedar_request_free(rqs[i]);
        cedar_entities_free(es);
    }
    qsort(times, total, sizeof *times, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < total; i++)
        sum += times[i];
    printf("%-9s n=%d graphs=%d entities/graph=%zu requests=%zu  median %.0f ns  p99 %.0f ns  "
           "mean %.0f ns  allow %.1f%%  entity load %.2f ms/graph\n",
           sc->name, n, graphs, entities / (size_t)graphs, total, times[total / 2],
           times[(size_t)((double)total * 0.99)], sum / (double)total,
           100.0 * (double)allows / (double)total, load_ns / graphs / 1e6);
    free(times);
    free(rqs);
    cedar_response_free(resp);
    cedar_policy_set_free(ps);
    cedar_schema_free(schema);
    return 0;
}

int main(int argc, char **argv)
{
    const char *data = "../shared/oopsla-benchmarks";
    int n = 50, graphs = 20, requests = 500;
    uint64_t seed = 42;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--data") == 0)
            data = argv[i + 1];
        else if (strcmp(argv[i], "--n") == 0)
            n = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--graphs") == 0)
            graphs = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--requests") == 0)
            requests = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else {
            fprintf(stderr, "usage: cedar_bench [--data DIR] [--n N] [--graphs G] "
                            "[--requests R] [--seed S]\n");
            return 1;
        }
    }
    if (n < 1 || graphs < 1 || requests < 1) return 1;
    rng_state = seed ? seed : 1;
    static const scenario scenarios[] = {
        {"gdrive", "gdrive/gdrive.cedarschema.json", "gdrive/policies.cedar", gdrive_entities,
         gdrive_request},
        {"github", "github/github.cedarschema.json", "github/policies.cedar", github_entities,
         github_request},
        {"tinytodo", "tinytodo/tinytodo.cedarschema.json", "tinytodo/tinytodo.cedar",
         tinytodo_entities, tinytodo_request},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++)
        rc |= run(&scenarios[i], data, n, graphs, requests);
    return rc;
}
