/* drt_targets.h: the differential-testing targets and what they share.
 *
 * A target takes a fuzzer's input, runs it through the production engine
 * (core) and checks the outcome against the reference model or against
 * properties; it returns 0 when all is well and, on a disagreement, prints a
 * readable report to stderr and calls abort(). The same targets run under
 * libFuzzer (fuzz-<target>) and the standalone driver (drt-run).
 */
#ifndef DRT_TARGETS_H
#define DRT_TARGETS_H

#include <stdint.h>
#include <stdio.h>

#include "cd_api.h"
#include "gen.h"

/* Each drt/targets/<name>.c defines drt_target_<name> (the contract) and
 * may define two hooks for drt-run: drt_print_<name>, which decodes an input
 * and prints the case and both engines' answers, and drt_case_<name>, which
 * rebuilds an input's case as an integration test can hold it (for
 * --export). The build generates drt-run's table of them (drt_table.c) and
 * their declarations (drt_target_decls.h) from the files, so a new file is a
 * new target everywhere (`drt-run --list` names them). */
#include "drt_target_decls.h"

typedef struct drt_target {
    const char *name; /* as on the command line: "abac-typed" */
    int (*run)(const uint8_t *data, size_t size);
    void (*print)(const uint8_t *data, size_t size, FILE *out);                      /* or NULL */
    bool (*build_case)(const uint8_t *data, size_t size, m_arena *a, gen_case *out); /* or NULL */
} drt_target;

extern const drt_target drt_target_table[];
extern const size_t drt_target_count;

/* drt-run only (drt_jalloc.c): jansson's blocks from free lists; call it
 * before any JSON is parsed. A no-op in sanitized builds. */
void drt_jansson_pool(void);
/* drt-run only (drt_jalloc.c): malloc keeps the heap it has grown (no
 * trimming between cases). A no-op in sanitized builds. */
void drt_malloc_settings(void);

/* ---- the case in core (drt_core.c) --------------------------------------- */

/* What core made of a case's texts. */
typedef struct drt_core {
    cedar_schema *schema;
    cedar_policy_set *ps;
    cedar_entities *es;
    size_t n_requests;
    cedar_request **requests;
} drt_core;

/* Load every text of the case into core. False when core rejects one, with
 * *why (heap) saying which text and why. */
bool drt_core_load(const gen_case *c, const gen_texts *t, drt_core *out, char **why);
void drt_core_free(drt_core *k);
/* A request in the integration-test format (uids as JSON objects). */
cedar_request *drt_request_from_test_json(const char *json, size_t len, const cedar_schema *schema,
                                          char **why);
/* Whether drt_request_from_test_json tries core's direct reader first. */
extern bool drt_requests_direct;
/* A request text (cli: the CLI's format) read by core's direct reader and by
 * the way through jansson: NULL when both give the same request (uids with
 * their hashes, context) or the same error; else what differs (heap). */
char *drt_request_readers_differ(const char *json, size_t len, bool cli, bool validate,
                                 const cedar_schema *schema);

/* ---- answers and reports (drt_report.c) --------------------------------- */

typedef struct drt_answer {
    bool allow;
    size_t n_reasons, n_errors;
    const char **reasons; /* policy ids */
    const char **errors;  /* policy ids */
    const char **kinds;   /* the error kind of errors[i], as the Lean spec names it */
} drt_answer;

void drt_answer_from_core(drt_answer *a, const cedar_response *r);
void drt_answer_from_model(drt_answer *a, const m_response *r);
void drt_answer_free(drt_answer *a);
/* The first difference between two answers (heap), or NULL when they agree
 * (reasons and errors compared as sets, errors with their kinds). */
char *drt_answer_diff(const drt_answer *core, const drt_answer *model);
void drt_answer_print(FILE *f, const char *who, const drt_answer *a);
char *drt_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* heap */

/* Print a case's texts, then (when answers are given) each request with both answers. */
void drt_print_texts(FILE *f, const gen_case *c, const gen_texts *t);
/* The report for a disagreement: the case, the answers, the difference; then abort(). */
_Noreturn void drt_fail(const char *target, const gen_case *c, const gen_texts *t, const char *what,
                        const char *details);

/* Common options of the case-based targets. */
gen_opts drt_case_opts(gen_mode mode);
/* drt-run --safe-longs: longs in entity and context data within +-2^53 (see
 * gen_opts.safe_data_longs); off in fuzzing. */
extern bool drt_safe_data_longs;

/* The abac targets' work on one case: core reads its texts (a deliberately
 * invalid case must be rejected for the planted reason), then the model and
 * core answer each request (the model's answers are built in a) and so does
 * core's evaluation of each policy on its own. Without print_to, a
 * disagreement is reported and aborts (drt_fail); with it, the case, the
 * answers and any difference are printed. True when the engines agree. */
bool drt_run_case(const char *target, const gen_case *c, m_arena *a, FILE *print_to);

/* A target's case from its input (the drt_case_<id> hooks have this type). */
typedef bool drt_build_fn(const uint8_t *data, size_t size, m_arena *a, gen_case *out);
/* drt_run_case on the case build makes of the input, in an arena of its own. */
bool drt_run_built(const char *target, drt_build_fn *build, const uint8_t *data, size_t size,
                   FILE *print_to);

/* The set-up of a target that works on core's objects: the case build makes
 * of the input (in an arena of its own), its texts, and core's objects
 * loaded from them (drt_core_load). */
typedef struct drt_setup {
    m_arena *a;
    gen_case c;
    gen_texts t;
    drt_core k;
    bool loaded; /* false: core rejected the texts, for the reason why */
    char *why;
} drt_setup;
void drt_setup_case(drt_setup *s, drt_build_fn *build, const uint8_t *data, size_t size);
void drt_setup_free(drt_setup *s);

/* Defines a target's two entry points, drt_target_<id> (check: a finding
 * aborts) and drt_print_<id> (drt-run --print), from one function
 * run(data, size, print_to) that checks when print_to is NULL and prints
 * to it otherwise. */
#define DRT_TARGET_FROM_RUN(id, run)                                                               \
    int drt_target_##id(const uint8_t *data, size_t size)                                          \
    {                                                                                              \
        run(data, size, NULL);                                                                     \
        return 0;                                                                                  \
    }                                                                                              \
    void drt_print_##id(const uint8_t *data, size_t size, FILE *out)                               \
    {                                                                                              \
        run(data, size, out);                                                                      \
    }

#endif
