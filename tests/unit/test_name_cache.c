/* test_name_cache.c: the per-thread cache of interned names behind requests
 * (cd_name.c). Requests made in one thread and freed in another, threads
 * interning more names than the cache keeps, and the cache's references
 * given back when its thread exits: afterwards no name is left over. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_base.h"
#include "cedar/cedar.h"
#include "t_api.h"

enum { THREADS = 4, ROUNDS = 3000, TYPES = 12 };

typedef struct {
    int id;
    cedar_request *keep; /* one request for the main thread to use and free */
    int failures;
} worker;

static char *show(const cedar_request *rq)
{
    return t_evaluate(rq, "{a: principal, b: action, c: resource}");
}

/* Requests over TYPES type names (more than the cache keeps, some shared by
 * every thread, some the thread's own), each freed one round later, so
 * several are alive at once; every request must print its own uids. */
static void *work(void *arg)
{
    worker *w = arg;
    cedar_request *prev = NULL;
    char pt[32], rt[32], id[32], want[200];
    for (int i = 0; i < ROUNDS; i++) {
        snprintf(pt, sizeof pt, "Shared%d", i % TYPES);
        snprintf(rt, sizeof rt, "T%d::Own%d", w->id, (i * 7) % TYPES);
        snprintf(id, sizeof id, "n%d", i);
        cedar_error err = {0};
        cedar_request *rq;
        if (i % 2)
            rq = cedar_request_new_parts(pt, id, "Action", "view", rt, id, NULL, NULL, false, &err);
        else {
            char p[80], r[80];
            snprintf(p, sizeof p, "%s::\"%s\"", pt, id);
            snprintf(r, sizeof r, "%s::\"%s\"", rt, id);
            rq = cedar_request_new(p, "Action::\"view\"", r, NULL, NULL, false, &err);
        }
        if (!rq) {
            w->failures++;
            cedar_error_clear(&err);
            continue;
        }
        if (i % 500 == 0) {
            snprintf(want, sizeof want,
                     "{\"a\": %s::\"%s\", \"b\": Action::\"view\", \"c\": %s::\"%s\"}", pt, id, rt,
                     id);
            char *v = show(rq);
            if (!v || strcmp(v, want) != 0) w->failures++;
            free(v);
        }
        cedar_request_free(prev);
        prev = rq;
    }
    w->keep = prev; /* outlives this thread and its cache */
    return NULL;
}

static void test_threads_give_names_back(void)
{
    size_t base = cd_name_count();
    pthread_t t[THREADS];
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){.id = i};
        T_CHECK(pthread_create(&t[i], NULL, work, &w[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++) {
        T_CHECK(w[i].failures == 0);
        /* the last request still holds its names after its thread is gone */
        char want[200];
        int n = ROUNDS - 1;
        snprintf(want, sizeof want,
                 "{\"a\": Shared%d::\"n%d\", \"b\": Action::\"view\", \"c\": T%d::Own%d::\"n%d\"}",
                 n % TYPES, n, i, (n * 7) % TYPES, n);
        char *v = w[i].keep ? show(w[i].keep) : NULL;
        T_CHECK_STR(v, want);
        free(v);
        cedar_request_free(w[i].keep);
    }
    /* every thread's cache gave its references back when the thread ended */
    T_CHECK(cd_name_count() == base);
    if (cd_name_count() != base) fprintf(stderr, "  %zu names left over\n", cd_name_count() - base);
}

/* A name the cache holds and an arena also holds: freeing either leaves
 * the other's use intact. */
static void test_cache_and_arena(void)
{
    cedar_error err = {0};
    const char *ents = "[{\"uid\": {\"type\": \"Cached\", \"id\": \"a\"}, \"attrs\": {}, "
                       "\"parents\": []}]";
    cedar_entities *es = cedar_entities_parse(ents, strlen(ents), NULL, "e", &err);
    T_CHECK(es != NULL);
    cedar_request *rq = cedar_request_new_parts("Cached", "a", "Action", "view", "Cached", "b",
                                                NULL, NULL, false, &err);
    T_CHECK(rq != NULL);
    cedar_entities_free(es);
    char *v = rq ? show(rq) : NULL;
    T_CHECK_STR(v, "{\"a\": Cached::\"a\", \"b\": Action::\"view\", \"c\": Cached::\"b\"}");
    free(v);
    cedar_request_free(rq);
}

int main(void)
{
    T_RUN(test_threads_give_names_back);
    T_RUN(test_cache_and_arena);
    T_DONE();
}
