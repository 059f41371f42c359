/* Tests of the authorizers' decision functions, core's cd_decide and the
 * model's m_decide (both proved: docs/verification.md), on the same cases:
 * each case lists the policies as effect and outcome, and the expected
 * decision, determining and erroring policies (indices, in order). */
#include <stdbool.h>
#include <stddef.h>

#include "cd_decide.h"
#include "model.h"
#include "t.h"

enum { MAXN = 6 };

/* A policy: 'P'/'F' for permit/forbid, outcome 's' satisfied, '-' not
 * satisfied, 'e' errored; written as two characters, e.g. "Ps Fe P-". */
typedef struct dcase {
    const char *policies;
    bool allow;
    const char *det, *err; /* indices as digits, in order */
} dcase;

static const dcase cases[] = {
    {"", false, "", ""},                      /* no policies: default deny */
    {"P-", false, "", ""},                    /* no satisfied permit */
    {"Ps", true, "0", ""},                    /* explicit permit */
    {"Ps Fs", false, "1", ""},                /* forbid overrides permit */
    {"Fs Ps Ps Fs", false, "03", ""},         /* determining: the forbids, in order */
    {"Ps P- Ps", true, "02", ""},             /* determining: the permits, in order */
    {"Ps Fe", true, "0", "1"},                /* an erroring forbid does not deny */
    {"Pe", false, "", "0"},                   /* an erroring permit does not allow */
    {"Pe Fs Pe F-", false, "1", "02"},        /* erroring: all, in order, never determining */
    {"Fe Ps Fe P- Pe Ps", true, "15", "024"}, /* both lists */
    {"F- Fe", false, "", "1"},                /* Deny with no determining policy */
};

/* Parse c into n verdicts for both functions. */
static size_t parse(const char *s, cd_verdict *cv, m_verdict *mv)
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ') continue;
        bool forbid = *s++ == 'F';
        uint8_t o = *s == 's'   ? CD_OUTCOME_SATISFIED
                    : *s == 'e' ? CD_OUTCOME_ERROR
                                : CD_OUTCOME_NONE;
        cv[n] = (cd_verdict){.outcome = o, .effect = forbid};
        mv[n] = (m_verdict){.outcome = *s == 's'   ? M_SATISFIED
                                       : *s == 'e' ? M_ERRORED
                                                   : M_NOT_SATISFIED,
                            .effect = forbid ? M_FORBID : M_PERMIT};
        n++;
    }
    return n;
}

static bool same(const size_t *got, size_t n, const char *want)
{
    if (n != strlen(want)) return false;
    for (size_t k = 0; k < n; k++)
        if (got[k] != (size_t)(want[k] - '0')) return false;
    return true;
}

static void test_cases(void)
{
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        cd_verdict cv[MAXN];
        m_verdict mv[MAXN];
        size_t n = parse(cases[c].policies, cv, mv);
        size_t det[MAXN], err[MAXN], n_det = 99, n_err = 99;
        bool allow = cd_decide(n, cv, det, &n_det, err, &n_err);
        T_CHECK(allow == cases[c].allow);
        T_CHECK(same(det, n_det, cases[c].det));
        T_CHECK(same(err, n_err, cases[c].err));
        n_det = n_err = 99;
        allow = m_decide(n, mv, det, &n_det, err, &n_err);
        T_CHECK(allow == cases[c].allow);
        T_CHECK(same(det, n_det, cases[c].det));
        T_CHECK(same(err, n_err, cases[c].err));
        if (t_failed_checks) fprintf(stderr, "  in case \"%s\"\n", cases[c].policies);
    }
}

int main(void)
{
    T_RUN(test_cases);
    T_DONE();
}
