/* abac_typed.c: the `abac-typed` target: a generated case (type-directed expressions),
 * judged by the model from the generated structures and by core from the
 * emitted texts; any difference in decision, determining policies,
 * erroring policies or error kinds is a finding, and so is core rejecting
 * a text the generator meant to be valid. */
#include "drt_targets.h"

bool drt_case_abac_typed(const uint8_t *data, size_t size, m_arena *a, gen_case *out)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_opts o = drt_case_opts(GEN_TYPED);
    gen_case_build(out, a, &src, &o, NULL);
    return true;
}

static void run(const uint8_t *data, size_t size, FILE *print_to)
{
    drt_run_built("abac-typed", drt_case_abac_typed, data, size, print_to);
}

DRT_TARGET_FROM_RUN(abac_typed, run)
