/* cedar_scale: authorization latency, load and link cost as the number of
 * policies grows (issue 10). Figures only, no assertions.
 *
 *   cedar_scale --workload static|template|action --n N [--requests R]
 *
 * Workloads (N policies each):
 *   static    permit(principal == User::"u<i>", action == Action::"view",
 *                    resource in Folder::"f<i>") when { principal.active };
 *   template  permit(principal == ?principal, action == Action::"view",
 *                    resource in ?resource); linked N times to (u<i>, f<i>)
 *   action    permit(principal in Group::"staff", action == Action::"a<i>",
 *                    resource in Folder::"shared");
 * A matching request is allowed by exactly one policy; a non-matching one
 * names entities of the same shapes that no policy allows (its principal's
 * scope matches in static/template, its action's in action). Resources are
 * documents whose parent is the folder, so `in` goes through the ancestors.
 *
 * It prints one line: median and p99 per authorization (matching, then
 * non-matching), load time per policy (parsing the text; for template, the
 * template alone), link time per link, bytes per policy (heap growth while
 * parsing/linking, divided by N), for template the CPU time per unlink (of up
 * to 1,000 links spread over the set, after the timings) and the process's
 * peak RSS. Run one
 * workload and N per process (bench/scale.sh) so the peak RSS is its own.
 */
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cedar/cedar.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* CPU time of the process: the machine may be shared, so wall-clock figures
 * for the one-off phases (loading, linking) come with their CPU time. */
static double cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static size_t heap_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static uint64_t rng_state = 42;
static int pick(int n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (int)((rng_state * 0x2545F4914F6CDD1DULL >> 11) % (uint64_t)n);
}

static void die(const char *what, cedar_error *err)
{
    char *m = cedar_error_format(err);
    fprintf(stderr, "cedar_scale: %s: %s\n", what, m);
    free(m);
    exit(1);
}

/* A growable string. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (!b->p) {
        b->cap = 256;
        b->p = malloc(b->cap);
        if (!b->p) abort();
    }
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (size_t)n + 256;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
}

enum { STATIC, TEMPLATE, ACTION };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Time rq-by-rq over rounds of the request array until `budget_ns` is
 * spent (at least one round); median and p99 in ns. `want` is the expected
 * decision (checked: a wrong answer is a broken benchmark). */
static void time_requests(const cedar_policy_set *ps, const cedar_entities *es, cedar_request **rqs,
                          int r, cedar_decision want, double budget_ns, double *median, double *p99)
{
    cedar_response *resp = cedar_response_new();
    size_t cap = (size_t)r, n = 0;
    double *t = malloc(cap * sizeof *t), spent = 0;
    do {
        for (int i = 0; i < r; i++) {
            double s = now_ns();
            cedar_authorize(ps, es, rqs[i], resp, NULL);
            double d = now_ns() - s;
            if (cedar_response_decision(resp) != want) {
                fprintf(stderr, "cedar_scale: unexpected decision\n");
                exit(1);
            }
            if (n == cap) {
                cap *= 2;
                t = realloc(t, cap * sizeof *t);
                if (!t) abort();
            }
            t[n++] = d;
            spent += d;
        }
    } while (spent < budget_ns && n < 200000);
    qsort(t, n, sizeof *t, cmp_double);
    *median = t[n / 2];
    *p99 = t[(size_t)((double)n * 0.99)];
    free(t);
    cedar_response_free(resp);
}

int main(int argc, char **argv)
{
    int w = -1, n = 0, r = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--workload") == 0)
            w = strcmp(argv[i + 1], "static") == 0     ? STATIC
                : strcmp(argv[i + 1], "template") == 0 ? TEMPLATE
                : strcmp(argv[i + 1], "action") == 0   ? ACTION
                                                       : -1;
        else if (strcmp(argv[i], "--n") == 0)
            n = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--requests") == 0)
            r = atoi(argv[i + 1]);
    }
    if (w < 0 || n < 1 || r < 1) {
        fprintf(stderr, "usage: cedar_scale --workload static|template|action --n N "
                        "[--requests R]\n");
        return 1;
    }
    static const char *names[] = {"static", "template", "action"};
    cedar_error err = {0};

    /* Policies. */
    sbuf text = {0};
    if (w == STATIC) {
        for (int i = 0; i < n; i++)
            sb_printf(&text,
                      "permit(principal == User::\"u%d\", action == Action::\"view\", "
                      "resource in Folder::\"f%d\") when { principal.active };\n",
                      i, i);
    } else if (w == TEMPLATE) {
        sb_printf(&text, "permit(principal == ?principal, action == Action::\"view\", "
                         "resource in ?resource);\n");
    } else {
        for (int i = 0; i < n; i++)
            sb_printf(&text,
                      "permit(principal in Group::\"staff\", action == Action::\"a%d\", "
                      "resource in Folder::\"shared\");\n",
                      i);
    }
    size_t h0 = heap_bytes();
    double t0 = now_ns(), c0 = cpu_ns();
    cedar_policy_set *ps = cedar_policy_set_parse(text.p, text.len, "scale.cedar", &err);
    double load_ns = now_ns() - t0, load_cpu = cpu_ns() - c0;
    if (!ps) die("policies", &err);
    size_t h1 = heap_bytes();
    double link_ns = 0, link_cpu = 0;
    if (w == TEMPLATE) {
        t0 = now_ns();
        c0 = cpu_ns();
        for (int i = 0; i < n; i++) {
            char id[32], pu[48], ru[48];
            snprintf(id, sizeof id, "link%d", i);
            snprintf(pu, sizeof pu, "User::\"u%d\"", i);
            snprintf(ru, sizeof ru, "Folder::\"f%d\"", i);
            if (cedar_policy_set_link(ps, "policy0", id, pu, ru, &err)) die("link", &err);
        }
        link_ns = now_ns() - t0;
        link_cpu = cpu_ns() - c0;
    }
    size_t h2 = heap_bytes();
    free(text.p);

    /* Entities and requests: r matching and r non-matching. A request k
     * (static/template) is u<k> on d<k> (in f<k>) and u<k> on d<k+1>; for
     * action, member on a<k> and outsider on a<k>. */
    sbuf ej = {0};
    sb_printf(&ej, "[{\"uid\":{\"type\":\"Group\",\"id\":\"staff\"},\"attrs\":{},\"parents\":[]},"
                   "{\"uid\":{\"type\":\"User\",\"id\":\"member\"},\"attrs\":{\"active\":true},"
                   "\"parents\":[{\"type\":\"Group\",\"id\":\"staff\"}]},"
                   "{\"uid\":{\"type\":\"User\",\"id\":\"outsider\"},\"attrs\":{\"active\":true},"
                   "\"parents\":[]},"
                   "{\"uid\":{\"type\":\"Doc\",\"id\":\"shared\"},\"attrs\":{},"
                   "\"parents\":[{\"type\":\"Folder\",\"id\":\"shared\"}]}");
    int *ks = malloc((size_t)r * sizeof *ks);
    char *have_u = calloc((size_t)n + 2, 1), *have_d = calloc((size_t)n + 2, 1);
    for (int i = 0; i < r; i++) {
        int k = ks[i] = pick(n);
        if (!have_u[k])
            sb_printf(&ej,
                      ",{\"uid\":{\"type\":\"User\",\"id\":\"u%d\"},\"attrs\":{\"active\":true},"
                      "\"parents\":[]}",
                      k);
        have_u[k] = 1;
        for (int d = k; d <= k + 1; d++) {
            if (!have_d[d])
                sb_printf(&ej,
                          ",{\"uid\":{\"type\":\"Doc\",\"id\":\"d%d\"},\"attrs\":{},"
                          "\"parents\":[{\"type\":\"Folder\",\"id\":\"f%d\"}]}",
                          d, d);
            have_d[d] = 1;
        }
    }
    free(have_u);
    free(have_d);
    sb_printf(&ej, "]");
    cedar_entities *es = cedar_entities_parse(ej.p, ej.len, NULL, "scale-entities", &err);
    if (!es) die("entities", &err);
    free(ej.p);
    cedar_request **yes = malloc((size_t)r * sizeof *yes), **no = malloc((size_t)r * sizeof *no);
    for (int i = 0; i < r; i++) {
        char p[48], a[48], res[48], p2[48], res2[48];
        int k = ks[i];
        if (w == ACTION) {
            snprintf(p, sizeof p, "User::\"member\"");
            snprintf(p2, sizeof p2, "User::\"outsider\"");
            snprintf(a, sizeof a, "Action::\"a%d\"", k);
            snprintf(res, sizeof res, "Doc::\"shared\"");
            snprintf(res2, sizeof res2, "Doc::\"shared\"");
        } else {
            snprintf(p, sizeof p, "User::\"u%d\"", k);
            snprintf(p2, sizeof p2, "User::\"u%d\"", k);
            snprintf(a, sizeof a, "Action::\"view\"");
            snprintf(res, sizeof res, "Doc::\"d%d\"", k);
            snprintf(res2, sizeof res2, "Doc::\"d%d\"", k + 1);
        }
        yes[i] = cedar_request_new(p, a, res, NULL, NULL, false, &err);
        no[i] = cedar_request_new(p2, a, res2, NULL, NULL, false, &err);
        if (!yes[i] || !no[i]) die("request", &err);
    }
    free(ks);

    /* About 1 s of timing per kind of request at most, at least one round. */
    double ym, yp, nm, np;
    time_requests(ps, es, yes, r, CEDAR_ALLOW, 1e9, &ym, &yp);
    time_requests(ps, es, no, r, CEDAR_DENY, 1e9, &nm, &np);

    /* Unlinking (template): up to 1,000 links spread over the set, after the
     * timings (CPU time per unlink). */
    double unlink_cpu = 0;
    int n_unlink = n < 1000 ? n : 1000;
    if (w == TEMPLATE) {
        double c1 = cpu_ns();
        for (int i = 0; i < n_unlink; i++) {
            char id[32];
            snprintf(id, sizeof id, "link%d", (int)((long)i * n / n_unlink));
            if (cedar_policy_set_unlink(ps, id, &err)) die("unlink", &err);
        }
        unlink_cpu = (cpu_ns() - c1) / n_unlink;
    }

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%-8s N=%-7d match median %9.0f ns p99 %9.0f ns | no-match median %9.0f ns p99 %9.0f "
           "ns | load %7.0f ns/policy (cpu %7.0f)",
           names[w], n, ym, yp, nm, np, w == TEMPLATE ? load_ns : load_ns / n,
           w == TEMPLATE ? load_cpu : load_cpu / n);
    if (w == TEMPLATE)
        printf(" | link %7.0f ns/link (cpu %7.0f, total %.2f s) | %5zu B/link | unlink cpu %.0f "
               "ns",
               link_ns / n, link_cpu / n, link_ns / 1e9, (h2 - h1) / (size_t)n, unlink_cpu);
    else
        printf(" | %5zu B/policy", (h1 - h0) / (size_t)n);
    printf(" | peak RSS %ld KB\n", ru.ru_maxrss);

    for (int i = 0; i < r; i++) {
        cedar_request_free(yes[i]);
        cedar_request_free(no[i]);
    }
    free(yes);
    free(no);
    cedar_entities_free(es);
    cedar_policy_set_free(ps);
    return 0;
}
