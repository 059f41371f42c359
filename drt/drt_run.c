/* drt-run: the standalone driver of the differential-testing targets (no
 * libFuzzer needed, builds with gcc or clang; CI replays the corpora with it).
 *
 *   drt-run [--keep-going] [--allow-missing] TARGET PATH...
 *                                           run TARGET on every file (folders
 *                                           recursively); prints
 *                                           `drt-run: TARGET: N inputs, M failures`;
 *                                           a PATH that does not exist is a failure
 *                                           unless --allow-missing (findings folders)
 *   drt-run --random N [--seed S] TARGET    run TARGET on N random inputs (with
 *                                           --keep-going, a failing one is saved
 *                                           as random-failure-TARGET-I)
 *   drt-run --print TARGET FILE             decode FILE, print the case and answers
 *   drt-run --export DIR TARGET FILE        write FILE's case as an integration test
 *   drt-run --random N [--seed S] --policy-texts DIR TARGET
 *                                           write the policy text of each of N
 *                                           random inputs' cases as DIR/NNNNNN.cedar
 *                                           (for the oracle's formatter and
 *                                           policy JSON comparisons)
 *   --safe-longs (before the others)        longs in entity and context data
 *                                           within +-2^53, for the oracle (the
 *                                           official Wasm engine reads doubles)
 *   drt-run --list                          list the targets
 *
 * A target aborts on a finding (after printing its report), so without
 * --keep-going the first failure ends the run; with it, every input runs in a
 * child process and the exit status is 1 when any failed.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bridge.h"
#include "drt_targets.h"
#include "m_types.h"

/* The same ASan defaults as the libFuzzer binaries (see fuzz_main.c); used
 * only when drt-run is built with ASan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "max_malloc_fill_size=0:quarantine_size_mb=4:malloc_context_size=10";
}

static const drt_target *find_target(const char *name)
{
    for (size_t i = 0; i < drt_target_count; i++)
        if (strcmp(drt_target_table[i].name, name) == 0) return &drt_target_table[i];
    fprintf(stderr, "drt-run: unknown target `%s` (drt-run --list shows them)\n", name);
    return NULL;
}

/* ---- files ----------------------------------------------------------------- */

typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

static void add_path(paths *p, const char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        if (!p->v) abort();
    }
    p->v[p->n++] = strdup(s);
}

/* Add path's files to out; false when path does not exist. */
static bool collect(const char *path, paths *out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "drt-run: cannot read %s: %s\n", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        add_path(out, path);
        return true;
    }
    DIR *d = opendir(path);
    if (!d) return false;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char child[PATH_MAX];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        collect(child, out);
    }
    closedir(d);
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) abort();
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "drt-run: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* ---- running --------------------------------------------------------------- */

/* The input being run in-process, named when a target aborts on it. */
static const char *current_input;
static const char *current_target;

static void on_fatal(int sig)
{
    if (current_input) {
        const char *parts[] = {"drt-run: ", current_target, ": FAILED on ", current_input, "\n"};
        for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
            if (write(2, parts[i], strlen(parts[i])) < 0) break;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Run one input; in a child process when isolated (then false when it failed). */
static bool run_one(const drt_target *t, const uint8_t *data, size_t len, bool isolated)
{
    if (!isolated) {
        t->run(data, len);
        return true;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("drt-run: fork");
        exit(2);
    }
    if (pid == 0) {
        t->run(data, len);
        _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int run_files(const drt_target *t, int argc, char **argv, bool keep_going,
                     bool allow_missing)
{
    paths ps = {0};
    current_target = t->name;
    if (!keep_going) {
        signal(SIGABRT, on_fatal);
        signal(SIGSEGV, on_fatal);
    }
    size_t failures = 0, inputs = 0;
    for (int i = 0; i < argc; i++)
        if (!collect(argv[i], &ps) && !allow_missing) failures++;
    if (ps.n > 1) qsort(ps.v, ps.n, sizeof *ps.v, cmp_str);
    for (size_t i = 0; i < ps.n; i++) {
        size_t len;
        uint8_t *data = read_file(ps.v[i], &len);
        if (!data) {
            fprintf(stderr, "drt-run: cannot read %s\n", ps.v[i]);
            failures++;
        } else {
            inputs++;
            current_input = ps.v[i];
            if (!run_one(t, data, len, keep_going)) {
                failures++;
                fprintf(stderr, "drt-run: %s: FAILED on %s\n", t->name, ps.v[i]);
            }
        }
        free(data);
        free(ps.v[i]);
    }
    free(ps.v);
    printf("drt-run: %s: %zu inputs, %zu failures\n", t->name, inputs, failures);
    return failures ? 1 : 0;
}

/* The i-th random input of a run (buf holds 4096 bytes); its length. */
static size_t random_input(long i, uint64_t *s, uint8_t *buf)
{
    size_t len = 16 + (size_t)(i * 37 % 1500);
    for (size_t k = 0; k < len; k++) {
        *s = *s * 6364136223846793005ull + 1442695040888963407ull;
        buf[k] = (uint8_t)(*s >> 56);
    }
    return len;
}

static int write_policy_texts(const drt_target *t, long n, uint64_t seed, const char *dir)
{
    if (!t->build_case) {
        fprintf(stderr, "drt-run: target %s has no cases\n", t->name);
        return 1;
    }
    mkdir(dir, 0777);
    uint64_t s = seed;
    uint8_t buf[4096];
    for (long i = 0; i < n; i++) {
        size_t len = random_input(i, &s, buf);
        m_arena *a = m_arena_new();
        gen_case c;
        t->build_case(buf, len, a, &c);
        gen_texts texts;
        gen_emit_case(&texts, &c);
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%06ld.cedar", dir, i);
        bool ok =
            write_file(path, texts.policies.data ? texts.policies.data : "", texts.policies.len);
        gen_texts_free(&texts);
        m_arena_free(a);
        if (!ok) {
            fprintf(stderr, "drt-run: cannot write %s\n", path);
            return 1;
        }
    }
    printf("drt-run: %s: %ld policy texts in %s\n", t->name, n, dir);
    return 0;
}

static int run_random(const drt_target *t, long n, uint64_t seed, bool keep_going)
{
    uint64_t s = seed;
    size_t failures = 0;
    uint8_t buf[4096];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
        size_t len = random_input(i, &s, buf);
        if (!run_one(t, buf, len, keep_going)) {
            /* keep the input that failed, to reproduce and save it */
            char name[128];
            snprintf(name, sizeof name, "random-failure-%s-%ld", t->name, i);
            if (write_file(name, (const char *)buf, len))
                fprintf(stderr, "drt-run: %s: FAILED on random input %ld, saved as %s\n", t->name,
                        i, name);
            failures++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("drt-run: %s: %ld inputs, %zu failures (%.0f execs/s)\n", t->name, n, failures,
           secs > 0 ? (double)n / secs : 0.0);
    return failures ? 1 : 0;
}

/* ---- export ------------------------------------------------------------------ */

/* The repository root: the nearest folder above dir with a .git; else NULL. */
static char *repo_root(const char *dir)
{
    char *p = realpath(dir, NULL);
    while (p && *p) {
        char probe[PATH_MAX];
        snprintf(probe, sizeof probe, "%s/.git", p);
        if (access(probe, F_OK) == 0) return p;
        char *slash = strrchr(p, '/');
        if (!slash || slash == p) break;
        *slash = '\0';
    }
    free(p);
    return NULL;
}

/* shouldValidate: every policy passes the model's typechecker in strict mode
 * (the schema read by core and converted by the bridge, as cedar-conformance
 * does). */
static bool model_validates(const gen_case *c, const gen_texts *t, m_arena *a)
{
    cedar_schema *s = cedar_schema_parse(t->schema.data, t->schema.len,
                                         t->schema_is_json ? CEDAR_SCHEMA_JSON : CEDAR_SCHEMA_TEXT,
                                         "schema", NULL);
    if (!s) return false;
    m_schema ms;
    drt_schema(a, s->s, &ms);
    m_policy *ps;
    size_t n = gen_model_policies(a, c, &ps);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++)
        ok = m_validate_policy(&ms, &ps[i], M_STRICT, a).err == M_TC_OK;
    cedar_schema_free(s);
    return ok;
}

static int export_case(const char *dir, const drt_target *t, const char *file)
{
    if (!t->build_case) {
        fprintf(stderr, "drt-run: target %s has no cases to export\n", t->name);
        return 1;
    }
    size_t len;
    uint8_t *data = read_file(file, &len);
    if (!data) {
        fprintf(stderr, "drt-run: cannot read %s\n", file);
        return 1;
    }
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ data[i]) * 0x100000001b3ull;
    m_arena *a = m_arena_new();
    gen_case with_links, c;
    t->build_case(data, len, a, &with_links);
    free(data);
    if (with_links.invalid) {
        /* the integration-test format cannot say "must be rejected" */
        fprintf(stderr,
                "drt-run: this input's case is invalid on purpose (%s): nothing to export\n",
                with_links.invalid);
        m_arena_free(a);
        return 1;
    }
    c = gen_case_without_links(a, &with_links);
    gen_texts texts;
    gen_emit_case(&texts, &c);
    gen_emit_other_schema(&texts, &c);
    m_response *answers = m_alloc(a, (c.n_requests + 1) * sizeof *answers);
    for (size_t i = 0; i < c.n_requests; i++)
        answers[i] = gen_model_answer(a, &c, i);

    mkdir(dir, 0777);
    char name[128], *root = repo_root(dir), *abs = realpath(dir, NULL), rel[PATH_MAX];
    snprintf(name, sizeof name, "%s-%016" PRIx64, t->name, h);
    if (root && abs && strncmp(abs, root, strlen(root)) == 0) {
        const char *r = abs + strlen(root);
        snprintf(rel, sizeof rel, "%s%s", *r == '/' ? r + 1 : r, *r ? "/" : "");
    } else {
        snprintf(rel, sizeof rel, "%s/", abs ? abs : dir);
    }
    char path[2 * PATH_MAX], pp[2 * PATH_MAX], ep[2 * PATH_MAX], sp[2 * PATH_MAX];
    snprintf(pp, sizeof pp, "%s%s.cedar", rel, name);
    snprintf(ep, sizeof ep, "%s%s.entities.json", rel, name);
    snprintf(sp, sizeof sp, "%s%s.cedarschema", rel, name);
    const gen_buf *text_schema = texts.schema_is_json ? &texts.schema_other : &texts.schema;
    const gen_buf *json_schema = texts.schema_is_json ? &texts.schema : &texts.schema_other;
    gen_buf test;
    gen_buf_init(&test);
    char desc[256];
    snprintf(desc, sizeof desc, "drt %s input %s", t->name, name);
    gen_emit_test(&test, &c, answers, pp, ep, sp, desc);
    if (model_validates(&c, &texts, a)) {
        /* the emitter writes false; the model's typechecker accepts every policy */
        char *f = strstr(test.data, "\"shouldValidate\": false");
        if (f) {
            memcpy(f, "\"shouldValidate\": true ", 23);
        }
    }
    bool ok = true;
    struct {
        const char *ext;
        const gen_buf *b;
    } files[] = {{".cedar", &texts.policies},
                 {".entities.json", &texts.entities},
                 {".cedarschema", text_schema},
                 {".cedarschema.json", json_schema},
                 {".json", &test}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s%s", dir, name, files[i].ext);
        ok = write_file(path, files[i].b->data ? files[i].b->data : "", files[i].b->len) && ok;
    }
    if (ok) printf("%s/%s.json\n", dir, name);
    gen_buf_free(&test);
    gen_texts_free(&texts);
    m_arena_free(a);
    free(root);
    free(abs);
    return ok ? 0 : 1;
}

/* ---- main ---------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fputs("usage: drt-run [--keep-going] [--allow-missing] TARGET PATH...\n"
          "       drt-run --random N [--seed S] [--keep-going] TARGET\n"
          "       drt-run --print TARGET FILE\n"
          "       drt-run --export DIR TARGET FILE\n"
          "       drt-run --random N [--seed S] --policy-texts DIR TARGET\n"
          "       --safe-longs: data longs within +-2^53 (before the other options)\n"
          "       drt-run --list\n",
          f);
}

int main(int argc, char **argv)
{
    drt_jansson_pool();
    drt_malloc_settings();
    bool keep_going = false, allow_missing = false;
    long random_n = -1;
    uint64_t seed = 1;
    const char *texts_dir = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--list") == 0) {
            for (size_t k = 0; k < drt_target_count; k++)
                printf("%s\n", drt_target_table[k].name);
            return 0;
        } else if (strcmp(argv[i], "--keep-going") == 0) {
            keep_going = true;
        } else if (strcmp(argv[i], "--safe-longs") == 0) {
            drt_safe_data_longs = true;
        } else if (strcmp(argv[i], "--allow-missing") == 0) {
            allow_missing = true;
        } else if (strcmp(argv[i], "--random") == 0 && i + 1 < argc) {
            random_n = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--policy-texts") == 0 && i + 1 < argc) {
            texts_dir = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--print") == 0 && i + 2 < argc) {
            const drt_target *t = find_target(argv[i + 1]);
            size_t len;
            uint8_t *data = t ? read_file(argv[i + 2], &len) : NULL;
            if (!data) return 1;
            if (t->print) {
                t->print(data, len, stdout);
            } else {
                t->run(data, len);
                printf("%s: no finding\n", t->name);
            }
            free(data);
            return 0;
        } else if (strcmp(argv[i], "--export") == 0 && i + 3 < argc) {
            const drt_target *t = find_target(argv[i + 2]);
            return t ? export_case(argv[i + 1], t, argv[i + 3]) : 1;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    const drt_target *t = find_target(argv[i]);
    if (!t) return 2;
    if (random_n >= 0 && texts_dir) return write_policy_texts(t, random_n, seed, texts_dir);
    if (random_n >= 0) return run_random(t, random_n, seed, keep_going);
    if (i + 1 >= argc) {
        usage(stderr);
        return 2;
    }
    return run_files(t, argc - i - 1, argv + i + 1, keep_going, allow_missing);
}
