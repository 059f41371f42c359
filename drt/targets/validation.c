/* validation: core's validator against the model's typechecker on generated
 * schemas and policies. Each policy must get the same verdict (valid or not)
 * in strict and in permissive mode, and valid policies the same "impossible"
 * warning. The model reads the generated structures; core reads the emitted
 * text (so its parsers are on the path too). */
#include <stdlib.h>

#include "validation_common.h"

int drt_target_validation(const uint8_t *data, size_t size)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_opts o = {.mode = gen_chance(&src, 30) ? GEN_LOOSE : GEN_TYPED,
                  .max_policies = 4,
                  .max_requests = 1,
                  .templates = false};
    m_arena *a = m_arena_new();
    gen_case c;
    gen_case_build(&c, a, &src, &o, NULL);
    gen_texts t;
    gen_emit_case(&t, &c);
    val_core vc;
    val_core_read(&vc, &t);
    /* text core cannot read is the concern of the roundtrip and abac targets */
    m_schema ms = val_model_schema(a, &c.schema);
    for (size_t i = 0; !vc.failed && i < c.n_policies; i++) {
        m_policy p = gen_model_policy(a, &c, i);
        for (m_mode m = M_STRICT; m <= M_PERMISSIVE; m++) {
            m_tc_result r = m_validate_policy(&ms, &p, m, a);
            const cd_vpolicy *v = val_core_policy(&vc, m, p.id);
            bool same = v && v->valid == !r.err && (r.err || v->impossible == r.impossible);
            if (same) continue;
            fprintf(stderr, "\n=== validation: core and model disagree on %.*s (%s mode) ===\n",
                    (int)p.id.len, p.id.ptr, val_mode_name(m));
            val_print_case(stderr, &t);
            fprintf(stderr, "core:  ");
            val_print_core_verdict(stderr, v);
            fprintf(stderr, "model: %s%s%s\n", r.err ? "invalid: " : "valid",
                    r.err ? m_tc_error_name(r.err) : "", r.impossible ? " (impossible)" : "");
            abort();
        }
    }
    val_core_free(&vc);
    gen_texts_free(&t);
    m_arena_free(a);
    return 0;
}
