/* cedar_entbench: entity loading, hierarchies and request building.
 *
 *   cedar_entbench [--timeout S] [--sizes N,N,...] [--depths D,D,...]
 *                  [--chains N,N,...] [--layered WxL,...] [--requests R]
 *
 * Each load runs in a child process (so its peak RSS is its own, and a load
 * that passes the timeout is killed and reported as such). It prints, per
 * case: the JSON size, the load time (total and per entity), the child's peak
 * RSS (the generated JSON text included; times are CPU time), and for hierarchies the latency of
 * `in` between the deepest entity and the top (true) and a non-ancestor
 * (false). Request building is timed from uid strings (cedar_request_new)
 * and from parts (cedar_request_new_parts). Figures only, never assertions.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cd_api.h" /* the store behind a cedar_entities, for `in` */
#include "cedar/cedar.h"

/* ---- helpers -------------------------------------------------------------- */

static uint64_t rng_state = 42;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* CPU time: the machine is shared, so wall time would measure the others. */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap ? 2 * b->cap + (size_t)n : 4096;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
}

/* One entity: User::"<kind><i>" with a few attributes of common types. */
static void put_entity(sbuf *b, const char *kind, size_t i)
{
    sb_printf(b,
              "%s{\"uid\":{\"type\":\"User\",\"id\":\"%s%zu\"},\"attrs\":{\"name\":\"user %zu\","
              "\"age\":%zu,\"active\":%s,\"roles\":[\"r%zu\",\"r%zu\"]},\"parents\":[",
              b->len > 1 ? "," : "", kind, i, i, i % 90, i % 2 ? "true" : "false", i % 7, i % 11);
}

static void put_parent(sbuf *b, bool first, const char *kind, size_t i)
{
    sb_printf(b, "%s{\"type\":\"User\",\"id\":\"%s%zu\"}", first ? "" : ",", kind, i);
}

/* ---- workloads -------------------------------------------------------------- */

typedef struct work {
    const char *name;
    sbuf json;
    size_t n;                       /* entities */
    const char *deep, *top, *other; /* ids for the `in` queries (NULL: none) */
    char ids[3][32];
} work;

/* n entities in `depth` levels; each entity below the first level has two
 * random parents in the level above. */
static void gen_levels(work *w, size_t n, size_t depth)
{
    size_t per = (n + depth - 1) / depth;
    sb_printf(&w->json, "[");
    for (size_t i = 0; i < n; i++) {
        put_entity(&w->json, "u", i);
        size_t level = i / per;
        if (level > 0) {
            size_t base = (level - 1) * per;
            put_parent(&w->json, true, "u", base + rnd() % per);
            put_parent(&w->json, false, "u", base + rnd() % per);
        }
        sb_printf(&w->json, "]}");
    }
    sb_printf(&w->json, "]");
    w->n = n;
    if (depth > 1) {
        snprintf(w->ids[0], sizeof w->ids[0], "u%zu", n - 1);
        snprintf(w->ids[1], sizeof w->ids[1], "u%zu", (size_t)0);
        snprintf(w->ids[2], sizeof w->ids[2], "u%zu", n - 2);
        w->deep = w->ids[0], w->top = w->ids[1], w->other = w->ids[2];
    }
}

/* c0 <- c1 <- ... <- c(n-1): each the parent of the next. */
static void gen_chain(work *w, size_t n)
{
    sb_printf(&w->json, "[");
    for (size_t i = 0; i < n; i++) {
        put_entity(&w->json, "c", i);
        if (i) put_parent(&w->json, true, "c", i - 1);
        sb_printf(&w->json, "]}");
    }
    sb_printf(&w->json, "]");
    w->n = n;
    snprintf(w->ids[0], sizeof w->ids[0], "c%zu", n - 1);
    snprintf(w->ids[1], sizeof w->ids[1], "c0");
    snprintf(w->ids[2], sizeof w->ids[2], "c%zu", n - 1);
    w->deep = w->ids[0], w->top = w->ids[1], w->other = NULL;
}

/* `layers` layers of `width` entities; every entity of a layer is a parent of
 * every entity of the next. */
static void gen_layered(work *w, size_t width, size_t layers)
{
    sb_printf(&w->json, "[");
    for (size_t l = 0; l < layers; l++)
        for (size_t k = 0; k < width; k++) {
            put_entity(&w->json, "g", l * width + k);
            for (size_t p = 0; l > 0 && p < width; p++)
                put_parent(&w->json, p == 0, "g", (l - 1) * width + p);
            sb_printf(&w->json, "]}");
        }
    sb_printf(&w->json, "]");
    w->n = width * layers;
    snprintf(w->ids[0], sizeof w->ids[0], "g%zu", w->n - 1);
    snprintf(w->ids[1], sizeof w->ids[1], "g0");
    snprintf(w->ids[2], sizeof w->ids[2], "g%zu", w->n - 2);
    w->deep = w->ids[0], w->top = w->ids[1], w->other = w->ids[2];
}

/* ---- measuring -------------------------------------------------------------- */

/* ns per `in` query (median of rounds of many queries). */
static double time_in(const cedar_entities *es, const char *a, const char *b)
{
    cd_uid ua = {cd_name_intern(NULL, "User", 4), {a, strlen(a)}, 0};
    cd_uid ub = {cd_name_intern(NULL, "User", 4), {b, strlen(b)}, 0};
    const cd_entities *s = es->es;
    double best = 1e30;
    int iters = 1;
    volatile bool sink = false;
    for (;;) { /* calibrate to >= 20 ms */
        double t0 = now_ns();
        for (int i = 0; i < iters; i++)
            sink = sink ^ cd_entities_in(s, &ua, &ub);
        double dt = now_ns() - t0;
        if (dt > 2e7) break;
        iters *= 4;
    }
    for (int r = 0; r < 5; r++) {
        double t0 = now_ns();
        for (int i = 0; i < iters; i++)
            sink = sink ^ cd_entities_in(s, &ua, &ub);
        double dt = (now_ns() - t0) / iters;
        if (dt < best) best = dt;
    }
    (void)sink;
    return best;
}

/* In the child: load (repeated, for at most about a second, so that small
 * cases total 100,000 entities), then time `in`. */
static int child(const work *w)
{
    size_t reps = w->n >= 100000 ? 1 : (100000 + w->n - 1) / w->n;
    cedar_error err = {0};
    double t0 = now_ns();
    cedar_entities *es = NULL;
    size_t r = 0;
    for (; r < reps && (r == 0 || now_ns() - t0 < 1e9); r++) {
        cedar_entities_free(es);
        es = cedar_entities_parse(w->json.p, w->json.len, NULL, "generated", &err);
        if (!es) {
            char *m = cedar_error_format(&err);
            fprintf(stderr, "%s: %s\n", w->name, m);
            free(m);
            return 1;
        }
    }
    double dt = (now_ns() - t0) / (double)r;
    printf("%-24s %9zu entities  %8.1f MB JSON  load %9.3f ms  %7.2f us/entity", w->name, w->n,
           (double)w->json.len / 1e6, dt / 1e6, dt / 1e3 / (double)w->n);
    if (w->deep) printf("  in(true) %.0f ns", time_in(es, w->deep, w->top));
    if (w->other) printf("  in(false) %.0f ns", time_in(es, w->deep, w->other));
    fflush(stdout);
    cedar_entities_free(es);
    return 0;
}

static void measure(work *w, int timeout)
{
    fflush(stdout);
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    pid_t pid = fork();
    if (pid < 0) abort();
    if (pid == 0) {
        /* CPU seconds: a loaded machine does not cut a case short */
        setrlimit(RLIMIT_CPU, &(struct rlimit){(rlim_t)timeout, (rlim_t)timeout + 5});
        _exit(child(w));
    }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        printf("%-24s %9zu entities  %8.1f MB JSON  KILLED after %d CPU s", w->name, w->n,
               (double)w->json.len / 1e6, timeout);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        printf("%-24s failed", w->name);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    printf("  peak RSS %.0f MB  (wall %.1f s)\n", (double)ru.ru_maxrss / 1024.0,
           (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9);
    free(w->json.p);
    w->json = (sbuf){0};
}

/* ---- requests --------------------------------------------------------------- */

static void bench_requests(int n)
{
    cedar_error err = {0};
    char p[64], a[64], r[64];
    double t0 = now_ns();
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "User::\"u%d\"", i);
        snprintf(a, sizeof a, "Action::\"view\"");
        snprintf(r, sizeof r, "Photo::\"p%d\"", i);
        cedar_request *rq = cedar_request_new(p, a, r, NULL, NULL, false, &err);
        if (!rq) abort();
        cedar_request_free(rq);
    }
    double str_ns = (now_ns() - t0) / n;
    t0 = now_ns();
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "u%d", i);
        snprintf(r, sizeof r, "p%d", i);
        snprintf(a, sizeof a, "view");
    }
    double fmt_ns = (now_ns() - t0) / n;
    printf("request from strings (cedar_request_new, no context, no schema): %.0f ns "
           "(formatting the ids: %.0f ns of it)\n",
           str_ns, fmt_ns);
    t0 = now_ns();
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "u%d", i);
        snprintf(a, sizeof a, "view");
        snprintf(r, sizeof r, "p%d", i);
        cedar_request *rq =
            cedar_request_new_parts("User", p, "Action", a, "Photo", r, NULL, NULL, false, &err);
        if (!rq) abort();
        cedar_request_free(rq);
    }
    double parts_ns = (now_ns() - t0) / n;
    printf("request from parts (cedar_request_new_parts, no context, no schema): %.0f ns "
           "(%.0f ns without formatting the ids)\n",
           parts_ns, parts_ns - fmt_ns);
}

/* ---- main ------------------------------------------------------------------- */

static size_t parse_list(const char *s, size_t *out, size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        char *end;
        out[n++] = strtoull(s, &end, 10);
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') break;
    }
    return n;
}

int main(int argc, char **argv)
{
    size_t sizes[16] = {10, 100, 1000, 10000, 100000, 1000000}, n_sizes = 6;
    size_t depths[8] = {1, 5, 20}, n_depths = 3;
    size_t chains[8] = {20000, 100000}, n_chains = 2;
    size_t layered[8][2] = {{60, 60}}, n_layered = 1;
    int timeout = 60, requests = 200000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *v = argv[i + 1];
        if (strcmp(argv[i], "--timeout") == 0) {
            timeout = atoi(v);
        } else if (strcmp(argv[i], "--sizes") == 0) {
            n_sizes = parse_list(v, sizes, 16);
        } else if (strcmp(argv[i], "--depths") == 0) {
            n_depths = parse_list(v, depths, 8);
        } else if (strcmp(argv[i], "--chains") == 0) {
            n_chains = parse_list(v, chains, 8);
        } else if (strcmp(argv[i], "--layered") == 0) {
            n_layered = 0;
            for (const char *s = v; *s && n_layered < 8;) {
                char *end;
                layered[n_layered][0] = strtoull(s, &end, 10);
                layered[n_layered][1] = *end == 'x' ? strtoull(end + 1, &end, 10) : 0;
                if (layered[n_layered][1]) n_layered++;
                s = *end == ',' ? end + 1 : end;
                if (*end && *end != ',') break;
            }
        } else if (strcmp(argv[i], "--requests") == 0) {
            requests = atoi(v);
        } else {
            fprintf(stderr, "usage: cedar_entbench [--timeout S] [--sizes N,...] [--depths D,...] "
                            "[--chains N,...] [--layered WxL,...] [--requests R]\n");
            return 1;
        }
    }
    if (requests > 0) bench_requests(requests);
    for (size_t d = 0; d < n_depths; d++)
        for (size_t s = 0; s < n_sizes; s++) {
            if (depths[d] == 0 || sizes[s] < depths[d]) continue;
            char name[64];
            snprintf(name, sizeof name, "depth %zu", depths[d]);
            work w = {.name = name};
            gen_levels(&w, sizes[s], depths[d]);
            measure(&w, timeout);
        }
    for (size_t c = 0; c < n_chains; c++) {
        if (chains[c] == 0) continue;
        work w = {.name = "chain"};
        gen_chain(&w, chains[c]);
        measure(&w, timeout);
    }
    for (size_t l = 0; l < n_layered; l++) {
        char name[64];
        snprintf(name, sizeof name, "layered %zux%zu", layered[l][0], layered[l][1]);
        work w = {.name = name};
        gen_layered(&w, layered[l][0], layered[l][1]);
        measure(&w, timeout);
    }
    return 0;
}
