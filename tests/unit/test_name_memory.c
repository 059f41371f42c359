/* test_name_memory.c: entity-type names taken from input come back when the
 * objects that use them are freed (issue 9, point 2). A service that reads
 * type names from clients must not grow without bound: 100,000 distinct names
 * through entities, requests and cedar_evaluate, everything freed, and the
 * resident size is back where it started; a second round does not grow it.
 * Under ASan the resident size means nothing: there the rounds run for
 * LeakSanitizer only. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cedar/cedar.h"
#include "t.h"

#if defined(__SANITIZE_ADDRESS__)
#define ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN 1
#endif
#endif
#ifndef ASAN
#define ASAN 0
#endif

enum { N_ENTITIES = 40000, N_REQUESTS = 30000, N_EVALS = 30000 };

static long rss_kb(void)
{
    malloc_trim(0);
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* One round: every name carries the round number, so no name repeats. */
static void round_of_names(int round, int scale)
{
    /* entities: one file, one new type per entity, each with a parent of
     * another new type */
    size_t cap = 64 + (size_t)N_ENTITIES / scale * 80;
    char *json = malloc(cap);
    size_t w = 0;
    json[w++] = '[';
    for (int i = 0; i < N_ENTITIES / scale; i++)
        w += (size_t)snprintf(json + w, cap - w,
                              "%s{\"uid\":{\"type\":\"E%d_%d\",\"id\":\"x\"},\"attrs\":{},"
                              "\"parents\":[]}",
                              i ? "," : "", round, i);
    json[w++] = ']';
    cedar_error err = {0};
    cedar_entities *es = cedar_entities_parse(json, w, NULL, "e.json", &err);
    T_CHECK(es && cedar_entities_count(es) == (size_t)(N_ENTITIES / scale));
    free(json);

    /* requests: principal and resource of new types */
    for (int i = 0; i < N_REQUESTS / scale / 2; i++) {
        char p[64], r[64];
        snprintf(p, sizeof p, "P%d_%d::\"a\"", round, i);
        snprintf(r, sizeof r, "R%d_%d::\"b\"", round, i);
        cedar_request *rq = cedar_request_new(p, "Action::\"v\"", r, NULL, NULL, false, &err);
        T_CHECK(rq != NULL);
        cedar_request_free(rq);
    }

    /* cedar_evaluate: the expression names a new type */
    for (int i = 0; i < N_EVALS / scale; i++) {
        char x[96];
        int n = snprintf(x, sizeof x, "V%d_%d::\"a\" is V%d_%d", round, i, round, i);
        char *out = cedar_evaluate(x, (size_t)n, es, NULL, &err);
        T_CHECK(out && strcmp(out, "true") == 0);
        free(out);
    }
    cedar_entities_free(es);
}

static void test_names_come_back(void)
{
    round_of_names(0, 100); /* warm up: library state, stdio, first table */
    long base = rss_kb();
    T_CHECK(base > 0);
    round_of_names(1, 1);
    long after1 = rss_kb();
    round_of_names(2, 1);
    long after2 = rss_kb();
    printf("resident: %ld KB at start, %ld KB after 100,000 names, %ld KB after 200,000\n", base,
           after1, after2);
    if (ASAN) return; /* LeakSanitizer judges at exit */
    T_CHECK(after1 - base < 2048);
    T_CHECK(after2 - base < 2048);
}

/* The same name through two objects: freeing one leaves the other's intact
 * (its type still compares equal to a freshly read one). */
static void test_shared_name_survives(void)
{
    cedar_error err = {0};
    const char *j = "[{\"uid\":{\"type\":\"Shared\",\"id\":\"s\"},\"attrs\":{},\"parents\":[]}]";
    cedar_entities *a = cedar_entities_parse(j, strlen(j), NULL, "a.json", &err);
    cedar_entities *b = cedar_entities_parse(j, strlen(j), NULL, "b.json", &err);
    T_CHECK(a && b);
    cedar_entities_free(a);
    const char *x = "Shared::\"s\" in Shared::\"s\" && Shared::\"s\" is Shared";
    char *out = cedar_evaluate(x, strlen(x), b, NULL, &err);
    T_CHECK(out && strcmp(out, "true") == 0);
    free(out);
    cedar_entities_free(b);
}

int main(void)
{
    T_RUN(test_shared_name_survives);
    T_RUN(test_names_come_back);
    T_DONE();
}
