/* Tests of the bounded hierarchy (cd_hier.c): `in` and the ancestor lists on
 * graphs whose closures are partly materialized and partly searched (long
 * chains, layered graphs, random DAGs with parents that are not entities),
 * checked against reachability computed here by brute force; schema action
 * hierarchies too big to close; cycles. */
#include <stdlib.h>

#include "cd_entities.h"
#include "t.h"

static char id_text[4096][16];

static cd_uid uid_n(int i)
{
    snprintf(id_text[i], sizeof id_text[i], "%d", i & 0xfff);
    return (cd_uid){cd_name_intern(NULL, "N", 1), cd_str_from_c(id_text[i]), 0};
}

/* A graph of n entities N::"0".."n-1" (and parents N::"n".. that are not
 * entities); adj[i*m+j]: j is a parent of i. */
typedef struct graph {
    int n, m; /* entities, uids */
    unsigned char *adj;
} graph;

static char *graph_json(const graph *g)
{
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_putc(&b, '[');
    for (int i = 0; i < g->n; i++) {
        cd_buf_printf(&b, "%s{\"uid\":{\"type\":\"N\",\"id\":\"%d\"},\"attrs\":{},\"parents\":[",
                      i ? "," : "", i);
        bool first = true;
        for (int j = 0; j < g->m; j++)
            if (g->adj[(size_t)i * g->m + j]) {
                cd_buf_printf(&b, "%s{\"type\":\"N\",\"id\":\"%d\"}", first ? "" : ",", j);
                first = false;
            }
        cd_buf_puts(&b, "]}");
    }
    cd_buf_putc(&b, ']');
    char *s = strdup(cd_buf_cstr(&b));
    cd_buf_free(&b);
    return s;
}

/* reach[i*m+j]: j is a (transitive) ancestor of entity i. */
static unsigned char *closure(const graph *g)
{
    size_t m = (size_t)g->m;
    unsigned char *r = calloc((size_t)g->n * m, 1);
    int *stack = malloc(m * sizeof *stack);
    for (int i = 0; i < g->n; i++) {
        int sp = 0;
        stack[sp++] = i;
        while (sp) {
            int v = stack[--sp];
            if (v >= g->n) continue;
            for (size_t j = 0; j < m; j++)
                if (g->adj[(size_t)v * m + j] && !r[(size_t)i * m + j]) {
                    r[(size_t)i * m + j] = 1;
                    stack[sp++] = (int)j;
                }
        }
    }
    free(stack);
    return r;
}

/* Load g and compare every `in` and every ancestor list with brute force;
 * returns how many entities were closed (materialized). */
static size_t check_graph(const graph *g)
{
    char *json = graph_json(g);
    cd_err e = {0};
    cd_entities *es = cd_entities_load_json(json, strlen(json), "g.json", NULL, &e);
    free(json);
    T_CHECK(es != NULL);
    if (!es) {
        fprintf(stderr, "load error: %s\n", e.message);
        cd_err_clear(&e);
        return 0;
    }
    unsigned char *r = closure(g);
    size_t closed = 0, bad = 0;
    cd_vec anc;
    cd_vec_init(&anc, sizeof(cd_uid));
    cd_uid *uids = malloc((size_t)g->m * sizeof *uids);
    for (int j = 0; j < g->m; j++)
        uids[j] = uid_n(j);
    for (int i = 0; i < g->n; i++) {
        const cd_entity *ent = cd_entities_find(es, &uids[i]);
        closed += ent && ent->closed;
        size_t want = 0;
        for (int j = 0; j < g->m; j++) {
            bool in = cd_entities_in(es, &uids[i], &uids[j]);
            bool expect = i == j || r[(size_t)i * g->m + j];
            want += r[(size_t)i * g->m + j];
            if (in != expect && bad++ < 5)
                fprintf(stderr, "N::\"%d\" in N::\"%d\": got %d\n", i, j, in);
        }
        if (cd_entity_ancestors(ent, &anc) != want && bad++ < 5)
            fprintf(stderr, "ancestors of N::\"%d\": %zu, want %zu\n", i, anc.len, want);
        for (size_t k = 0; k < anc.len; k++) {
            const cd_uid *u = &CD_VEC_AT(&anc, cd_uid, k);
            char id[8] = {0};
            memcpy(id, u->id.ptr, u->id.len < 7 ? u->id.len : 7);
            int j = atoi(id);
            if (!r[(size_t)i * g->m + j] && bad++ < 5)
                fprintf(stderr, "N::\"%d\" listed as an ancestor of N::\"%d\"\n", j, i);
        }
    }
    T_CHECK(bad == 0);
    cd_vec_free(&anc);
    free(uids);
    free(r);
    cd_entities_free(es);
    return closed;
}

static graph graph_new(int n, int m)
{
    return (graph){n, m, calloc((size_t)n * (size_t)m, 1)};
}

static void test_chain(void)
{
    /* 600 > the closure limit: the top of the chain is closed, the rest searched */
    graph g = graph_new(600, 601);
    for (int i = 0; i < 600; i++)
        g.adj[(size_t)i * 601 + i + 1] = 1; /* N::"600" is not an entity */
    size_t closed = check_graph(&g);
    T_CHECK(closed > 0 && closed < 600);
    free(g.adj);
}

static void test_layered(void)
{
    /* 12 layers of 12: every node of a layer a parent of every node below */
    enum { W = 12, L = 12, N = W * L };
    graph g = graph_new(N, N);
    for (int l = 1; l < L; l++)
        for (int k = 0; k < W; k++)
            for (int p = 0; p < W; p++)
                g.adj[(size_t)(l * W + k) * N + (l - 1) * W + p] = 1;
    size_t closed = check_graph(&g);
    T_CHECK(closed > 0 && closed < N);
    free(g.adj);
}

static void test_random_dags(void)
{
    uint64_t s = 7;
    for (int round = 0; round < 6; round++) {
        int n = 150 + 60 * round, m = n + 10;
        graph g = graph_new(n, m);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                unsigned r = (unsigned)(s >> 33) % 1000;
                /* edges only to higher numbers (a DAG), dense for some rounds;
                 * a few parents that are not entities */
                if (j > i && r < (unsigned)(round % 2 ? 60 : 8)) g.adj[(size_t)i * m + j] = 1;
            }
        check_graph(&g);
        free(g.adj);
    }
}

static void test_cycle_in_long_chain(void)
{
    /* 2000 entities, the last a parent of the first: the cycle is reported
     * on the first entity, as before */
    cd_buf b;
    cd_buf_init(&b);
    cd_buf_putc(&b, '[');
    for (int i = 0; i < 2000; i++)
        cd_buf_printf(&b,
                      "%s\n{\"uid\":{\"type\":\"N\",\"id\":\"%d\"},\"attrs\":{},\"parents\":[{"
                      "\"type\":\"N\",\"id\":\"%d\"}]}",
                      i ? "," : "", i, (i + 1) % 2000);
    cd_buf_putc(&b, ']');
    cd_err e = {0};
    cd_entities *es = cd_entities_load_json(b.data, b.len, "c.json", NULL, &e);
    T_CHECK(!es);
    T_CHECK_STR(e.message, "the entity hierarchy has a cycle: `N::\"0\"` is its own ancestor");
    T_CHECK(e.loc.line == 2 && e.loc.column == 1);
    cd_err_clear(&e);
    cd_entities_free(es);
    cd_buf_free(&b);
}

static void test_big_action_hierarchy(void)
{
    /* 400 actions in a chain (more than the closure limit): the JSON may
     * give them with the schema's parents; other parents are an error */
    enum { N = 400 };
    cd_buf sb, jb;
    cd_buf_init(&sb);
    cd_buf_init(&jb);
    cd_buf_puts(&sb, "entity U; action \"a0\" appliesTo { principal: U, resource: U };\n");
    for (int i = 1; i < N; i++)
        cd_buf_printf(&sb, "action \"a%d\" in [\"a%d\"] appliesTo { principal: U, resource: U };\n",
                      i, i - 1);
    cd_err e = {0};
    cd_schema *s = cd_schema_parse_text(sb.data, sb.len, "s.cedarschema", &e);
    T_CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "schema: %s\n", e.message);
        cd_err_clear(&e);
        cd_buf_free(&sb);
        cd_buf_free(&jb);
        return;
    }
    /* every action, with its schema parent */
    cd_buf_putc(&jb, '[');
    for (int i = 0; i < N; i++) {
        cd_buf_printf(&jb,
                      "%s{\"uid\":{\"type\":\"Action\",\"id\":\"a%d\"},\"attrs\":{},\"parents\":[",
                      i ? "," : "", i);
        if (i) cd_buf_printf(&jb, "{\"type\":\"Action\",\"id\":\"a%d\"}", i - 1);
        cd_buf_puts(&jb, "]}");
    }
    cd_buf_putc(&jb, ']');
    const char *ok = cd_buf_cstr(&jb);
    cd_entities *es = cd_entities_load_json(ok, strlen(ok), "e.json", s, &e);
    T_CHECK(es != NULL);
    cd_uid top = {cd_name_intern(NULL, "Action", 6), cd_str_from_c("a0"), 0};
    cd_uid bottom = {top.type, cd_str_from_c("a399"), 0},
           mid = {top.type, cd_str_from_c("a200"), 0};
    T_CHECK(es && cd_entities_in(es, &bottom, &top) && cd_entities_in(es, &bottom, &mid));
    T_CHECK(es && !cd_entities_in(es, &mid, &bottom));
    const cd_entity *eb = es ? cd_entities_find(es, &bottom) : NULL;
    cd_vec anc;
    cd_vec_init(&anc, sizeof(cd_uid));
    T_CHECK(eb && !eb->closed && cd_entity_ancestors(eb, &anc) == N - 1);
    cd_vec_free(&anc);
    cd_entities_free(es);
    /* the same with a399 in a397 instead of a398: a different closure */
    char *bad = strdup(ok);
    char *at = strstr(bad, "\"a398\"}]}]");
    T_CHECK(at != NULL);
    if (at) memcpy(at, "\"a397\"", 6);
    es = cd_entities_load_json(bad, strlen(bad), "e.json", s, &e);
    free(bad);
    T_CHECK(!es && e.message && strstr(e.message, "does not match its declaration"));
    cd_err_clear(&e);
    cd_entities_free(es);
    cd_schema_free(s);
    cd_buf_free(&sb);
    cd_buf_free(&jb);
}

int main(void)
{
    T_RUN(test_chain);
    T_RUN(test_layered);
    T_RUN(test_random_dags);
    T_RUN(test_cycle_in_long_chain);
    T_RUN(test_big_action_hierarchy);
    T_DONE();
}
