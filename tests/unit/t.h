/* t.h: a minimal unit-test harness. Each test file defines test functions,
 * registers them in main with T_RUN, and ends with T_DONE(), which prints
 * "N passed, M failed" and returns nonzero when anything failed. */
#ifndef T_H
#define T_H

#include <stdio.h>
#include <string.h>

static int t_failed_checks, t_pass, t_fail;

#define T_CHECK(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            t_failed_checks++;                                                                     \
        }                                                                                          \
    } while (0)

#define T_CHECK_STR(got, want)                                                                     \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (!g_ || strcmp(g_, w_) != 0) {                                                          \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,                \
                    g_ ? g_ : "(null)", w_);                                                       \
            t_failed_checks++;                                                                     \
        }                                                                                          \
    } while (0)

#define T_RUN(fn)                                                                                  \
    do {                                                                                           \
        int before_ = t_failed_checks;                                                             \
        fn();                                                                                      \
        if (t_failed_checks == before_) {                                                          \
            t_pass++;                                                                              \
        } else {                                                                                   \
            t_fail++;                                                                              \
            fprintf(stderr, "FAIL %s\n", #fn);                                                     \
        }                                                                                          \
    } while (0)

#define T_DONE()                                                                                   \
    do {                                                                                           \
        printf("%d passed, %d failed\n", t_pass, t_fail);                                          \
        return t_fail ? 1 : 0;                                                                     \
    } while (0)

#endif
