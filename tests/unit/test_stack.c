/* test_stack.c: the stack guard (cd_stack.h). The bounds it finds for the
 * main thread and for a thread of our own, and the library called from a
 * thread with a 128 KB stack (musl's default) on deep input: each call gives
 * the right answer or a clean "nested too deeply" error, never a crash
 * (tests/hostile/stack.sh does the same through the CLI with `ulimit -s`). */
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "cd_stack.h"
#include "cedar/cedar.h"
#include "t_eval.h"

#ifdef CD_STACK_SANITIZED
/* Locals on ASan's fake stacks, as CI's fuzzers run: frames on the real
 * stack are then small, so deeper input reaches the walks after the parser
 * (the validator's name check overflowed that way before it was guarded). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_stack_use_after_return=1";
}
#endif

/* Run fn on a new thread with kb KB of stack. */
static void on_thread(size_t kb, void *(*fn)(void *))
{
    pthread_attr_t attr;
    pthread_t t;
    T_CHECK(pthread_attr_init(&attr) == 0);
    T_CHECK(pthread_attr_setstacksize(&attr, kb * 1024) == 0);
    T_CHECK(pthread_create(&t, &attr, fn, NULL) == 0);
    T_CHECK(pthread_join(t, NULL) == 0);
    pthread_attr_destroy(&attr);
}

/* The bounds hold the current frame, and the size is what was asked for. */
static void check_bounds(size_t at_least, size_t at_most)
{
    uintptr_t low, frame = (uintptr_t)__builtin_frame_address(0);
    size_t size;
    T_CHECK(cd_stack_bounds(&low, &size));
    T_CHECK(low < frame && frame < low + size);
    T_CHECK(size >= at_least && size <= at_most);
    if (size < at_least || size > at_most)
        fprintf(stderr, "  stack size %zu, want %zu to %zu\n", size, at_least, at_most);
    T_CHECK(!cd_stack_low()); /* plenty left here */
    /* a frame within the margin is low; one below the stack is on another
     * (sigaltstack, a coroutine's) and not checked */
    T_CHECK(cd_stack_low_slow(low + 64));
    T_CHECK(!cd_stack_low_slow(low - 4096));
    T_CHECK(!cd_stack_low_slow(low + size - 64));
}

static void *thread_bounds(void *arg)
{
    (void)arg;
    /* glibc keeps the guard page and the thread's TLS inside the size asked for */
    check_bounds(96 * 1024, 128 * 1024);
    return NULL;
}

static void test_bounds(void)
{
    /* main thread: glibc reports RLIMIT_STACK less the pages above the
     * program's first frame (arguments and environment, a few KB here) */
    struct rlimit rl;
    T_CHECK(getrlimit(RLIMIT_STACK, &rl) == 0);
    if (rl.rlim_cur != RLIM_INFINITY)
        check_bounds((size_t)rl.rlim_cur * 3 / 4, (size_t)rl.rlim_cur);
    else
        check_bounds(1024 * 1024, SIZE_MAX);
    on_thread(128, thread_bounds);
}

/* ---- the public API on deep text, on a 128 KB thread -------------------- */

static char *deep_text(const char *open, const char *mid, const char *close, int n,
                       const char *tail)
{
    size_t cap = 100 + strlen(mid) + strlen(tail) + (size_t)n * (strlen(open) + strlen(close));
    char *s = malloc(cap), *p = s;
    p += sprintf(p, "permit(principal, action, resource) when { ");
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s", open);
    p += sprintf(p, "%s", mid);
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s", close);
    sprintf(p, "%s };", tail);
    return s;
}

/* A failed call's error: about the text, at a place, saying why. */
static void check_deep_error(cedar_error *err)
{
    T_CHECK(err->message && strstr(err->message, "nested too deeply"));
    T_CHECK(err->line == 1 && err->column >= 1);
    if (!err->message || !strstr(err->message, "nested too deeply"))
        fprintf(stderr, "  error: %s\n", err->message ? err->message : "(none)");
    cedar_error_clear(err);
}

static int n_deep_errors, n_deep_answers;

static void deep_api(const char *text)
{
    cedar_error err = CEDAR_ERROR_INIT;
    /* the condition alone, evaluated without a request */
    const char *cond = strstr(text, "when { ") + 7;
    char *r = cedar_evaluate(cond, strlen(cond) - 3, NULL, NULL, &err);
    if (r)
        free(r);
    else
        T_CHECK(err.message && strstr(err.message, "nested too deeply"));
    cedar_error_clear(&err);
    cedar_policy_set *ps = cedar_policy_set_parse(text, strlen(text), "p.cedar", &err);
    if (!ps) {
        n_deep_errors++;
        check_deep_error(&err);
        return;
    }
    n_deep_answers++;
    /* printed back: the text, or NULL when too deep for this stack */
    free(cedar_policy_set_policy_text(ps, 0));
    /* evaluation: ALLOW, or the policy's evaluation error */
    cedar_entities *es = cedar_entities_parse("[]", 2, NULL, "e.json", &err);
    cedar_request *rq =
        cedar_request_new("User::\"a\"", "Action::\"a\"", "R::\"r\"", NULL, NULL, false, &err);
    cedar_response *resp = cedar_response_new();
    T_CHECK(es && rq && resp && cedar_authorize(ps, es, rq, resp, &err) == 0);
    if (cedar_response_decision(resp) != CEDAR_ALLOW) {
        T_CHECK(cedar_response_error_count(resp) == 1);
        const char *m = cedar_response_error_message(resp, 0);
        T_CHECK(m && strstr(m, "nested too deeply"));
    }
    cedar_response_free(resp);
    cedar_request_free(rq);
    cedar_entities_free(es);
    /* validation: passes, or an error that says why */
    const char *st = "entity User, R; action a appliesTo { principal: User, resource: R };";
    cedar_schema *s = cedar_schema_parse(st, strlen(st), CEDAR_SCHEMA_TEXT, "s", &err);
    T_CHECK(s != NULL);
    cedar_validation *v = cedar_validate(s, ps, CEDAR_VALIDATION_STRICT, &err);
    if (v && !cedar_validation_passed(v)) {
        T_CHECK(cedar_validation_error_count(v) >= 1);
        const char *m = cedar_validation_error_message(v, 0);
        T_CHECK(m && strstr(m, "nested too deeply"));
    } else if (!v) {
        check_deep_error(&err);
    }
    cedar_validation_free(v);
    cedar_schema_free(s);
    /* printing: to JSON and back, and as text */
    char *j = cedar_policy_set_to_json(ps, &err);
    if (j) {
        cedar_policy_set *back = cedar_policy_set_from_json(j, strlen(j), "p.json", &err);
        if (back)
            cedar_policy_set_free(back);
        else
            T_CHECK(err.message && strstr(err.message, "nested too deeply"));
        cedar_error_clear(&err);
        free(j);
    } else {
        T_CHECK(err.message && strstr(err.message, "nested too deeply"));
        cedar_error_clear(&err);
    }
    char *f = cedar_format_policies(text, strlen(text), "p.cedar", 80, 2, &err);
    if (f)
        free(f);
    else
        check_deep_error(&err);
    cedar_policy_set_free(ps);
}

static void *thread_deep(void *arg)
{
    (void)arg;
    struct {
        const char *open, *mid, *close, *tail;
    } cases[] = {
        {"(", "true", ")", ""},           {"[", "1", "]", ".isEmpty() == false"},
        {"{a: ", "1", "}", " has a"},     {"if true then ", "true", " else false", ""},
        {"!(", "false", ")", " || true"}, {"[true].contains(", "true", ")", ""},
    };
    static const int depths[] = {50, 200, 400, 999};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
            char *t =
                deep_text(cases[i].open, cases[i].mid, cases[i].close, depths[d], cases[i].tail);
            deep_api(t);
            free(t);
        }
    return NULL;
}

static void test_api_small_thread(void)
{
    n_deep_errors = n_deep_answers = 0;
    on_thread(128, thread_deep);
    fprintf(stderr, "  128 KB thread: %d deep texts parsed, %d refused\n", n_deep_answers,
            n_deep_errors);
#ifdef CD_STACK_SANITIZED
    /* ASan's frames are several times larger: no crash on 128 KB, and the
     * shallow texts go through on 1 MB */
    n_deep_errors = n_deep_answers = 0;
    on_thread(1024, thread_deep);
    fprintf(stderr, "  1 MB thread: %d deep texts parsed, %d refused\n", n_deep_answers,
            n_deep_errors);
#endif
    /* 50 levels fit, 999 do not: the guard fired on those */
    T_CHECK(n_deep_answers >= 6 && n_deep_errors > 0);
}

/* ---- the evaluator on an AST deeper than any parsed one ----------------- */

static void *thread_eval(void *arg)
{
    (void)arg;
    /* 100,000 nested `!`: only the library's internals build this */
    cd_expr *e = B(true);
    for (int i = 0; i < 100000; i++)
        e = op(CD_X_NOT, e, NULL);
    T_CHECK(is_err(e, CD_E_RECURSION_LIMIT));
    T_CHECK(msg_has("nested too deeply"));
    /* a shallow one still evaluates */
    cd_expr *s = B(true);
    for (int i = 0; i < 10; i++)
        s = op(CD_X_NOT, s, NULL);
    T_CHECK(is_bool(s, true));
    return NULL;
}

static void test_eval_deep(void)
{
    setup();
    on_thread(128, thread_eval);
    thread_eval(NULL); /* the main thread's 8 MB: 100,000 levels do not fit either */
    teardown();
}

int main(void)
{
    T_RUN(test_bounds);
    T_RUN(test_api_small_thread);
    T_RUN(test_eval_deep);
    T_DONE();
}
