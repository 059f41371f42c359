/* validation: core's validator against the model's typechecker on generated
 * schemas and policies. Each policy must get the same verdict (valid or not)
 * in strict and in permissive mode, and valid policies the same "impossible"
 * warning. The model reads the generated structures; core reads the emitted
 * text (so its parsers are on the path too). */
#include "drt_targets.h"
#include "validation_common.h"

bool drt_case_validation(const uint8_t *data, size_t size, m_arena *a, gen_case *out)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_opts o = {.mode = gen_chance(&src, 30) ? GEN_LOOSE : GEN_TYPED,
                  .max_policies = 4,
                  .max_requests = 1,
                  .templates = false};
    gen_case_build(out, a, &src, &o, NULL);
    return true;
}

/* Compare every policy's verdicts; print them all (all) or only the first
 * disagreement. True when core and model agree. */
static bool judge(const gen_case *c, const gen_texts *t, m_arena *a, FILE *out, bool all)
{
    val_core vc;
    val_core_read(&vc, t);
    if (vc.failed && all) fprintf(out, "core cannot read %s\n", vc.failed);
    /* text core cannot read is the concern of the roundtrip and abac targets */
    m_schema ms = val_model_schema(a, &c->schema);
    bool agree = true;
    for (size_t i = 0; agree && !vc.failed && i < c->n_policies; i++) {
        m_policy p = gen_model_policy(a, c, i);
        for (m_mode m = M_STRICT; agree && m <= M_PERMISSIVE; m++) {
            m_tc_result r = m_validate_policy(&ms, &p, m, a);
            const cd_vpolicy *v = val_core_policy(&vc, m, p.id);
            agree = v && v->valid == !r.err && (r.err || v->impossible == r.impossible);
            if (agree && !all) continue;
            if (!agree) {
                fprintf(out, "\n=== validation: core and model disagree on %.*s (%s mode) ===\n",
                        (int)p.id.len, p.id.ptr, val_mode_name(m));
                val_print_case(out, t);
            }
            fprintf(out, "%.*s %s\n  core:  ", (int)p.id.len, p.id.ptr, val_mode_name(m));
            val_print_core_verdict(out, v);
            fprintf(out, "  model: %s%s%s\n", r.err ? "invalid: " : "valid",
                    r.err ? m_tc_error_name(r.err) : "", r.impossible ? " (impossible)" : "");
        }
    }
    val_core_free(&vc);
    return agree;
}

static void run(const uint8_t *data, size_t size, FILE *print_to)
{
    val_run(data, size, print_to, drt_case_validation, judge);
}

DRT_TARGET_FROM_RUN(validation, run)
