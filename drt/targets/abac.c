/* abac.c: the `abac` target: a generated case (loose expressions),
 * judged by the model from the generated structures and by core from the
 * emitted texts; any difference in decision, determining policies,
 * erroring policies or error kinds is a finding, and so is core rejecting
 * a text the generator meant to be valid. Now and then the data is made
 * invalid on purpose (gen_case_invalidate), and then core must reject it. */
#include "drt_targets.h"

bool drt_case_abac(const uint8_t *data, size_t size, m_arena *a, gen_case *out)
{
    gen_src src, isrc;
    gen_src_init(&src, data, size);
    /* the choices of invalidation come first, from bytes of their own: a
     * rich case uses up the bytes, after which no choice would be made */
    uint8_t inv[8];
    size_t k = 0;
    while (k < sizeof inv && src.n)
        inv[k++] = (uint8_t)gen_range(&src, 0, 255);
    gen_src_init(&isrc, inv, k);
    gen_opts o = drt_case_opts(GEN_LOOSE);
    gen_case_build(out, a, &src, &o, NULL);
    /* now and then deliberately invalid data, which core must reject, or
     * valid data that core reads without the schema (untyped JSON) */
    if (gen_chance(&isrc, 6))
        gen_case_invalidate(out, a, &isrc);
    else
        out->schemaless = gen_chance(&isrc, 25);
    return true;
}

static void run(const uint8_t *data, size_t size, FILE *print_to)
{
    drt_run_built("abac", drt_case_abac, data, size, print_to);
}

DRT_TARGET_FROM_RUN(abac, run)
