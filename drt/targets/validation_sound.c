/* validation-sound: the validator's soundness, as cedar-lean's
 * validation_is_sound_response states it (Thm/Validation.lean): when a policy
 * is valid and the request and entities conform to the schema, evaluating the
 * policy gives a boolean or one of entityDoesNotExist, extensionError and
 * arithBoundsError; never a typeError, attrDoesNotExist or tagDoesNotExist.
 * A policy counts as valid when core's validator or the model's typechecker
 * accepts it, in either mode; it is evaluated in the model on every request
 * the generator marks as conforming, and only when core accepts the
 * generated entities against the schema. */
#include <stdlib.h>

#include "cd_entities.h"
#include "validation_common.h"

static bool excluded(m_error e)
{
    return e == M_TYPE_ERROR || e == M_ATTR_DOES_NOT_EXIST || e == M_TAG_DOES_NOT_EXIST;
}

static void print_value(gen_buf *b, m_value v)
{
    gen_style st;
    gen_style_init(&st, 0);
    gen_print_value(b, v, &st);
}

int drt_target_validation_sound(const uint8_t *data, size_t size)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_opts o = {.mode = gen_chance(&src, 20) ? GEN_LOOSE : GEN_TYPED,
                  .max_policies = 4,
                  .max_requests = 4,
                  .templates = false};
    m_arena *a = m_arena_new();
    gen_case c;
    gen_case_build(&c, a, &src, &o, NULL);
    gen_texts t;
    gen_emit_case(&t, &c);
    val_core vc;
    val_core_read(&vc, &t);
    cd_err err = {0};
    cd_entities *ces = vc.failed ? NULL
                                 : cd_entities_load_json(t.entities.data, t.entities.len,
                                                         "entities", vc.schema, &err);
    cd_err_clear(&err);
    m_schema ms = val_model_schema(a, &c.schema);
    for (size_t i = 0; ces && i < c.n_policies; i++) {
        m_policy p = gen_model_policy(a, &c, i);
        const char *who = NULL;
        for (m_mode m = M_STRICT; !who && m <= M_PERMISSIVE; m++) {
            const cd_vpolicy *v = val_core_policy(&vc, m, p.id);
            if (v && v->valid)
                who = m == M_STRICT ? "core (strict)" : "core (permissive)";
            else if (!m_validate_policy(&ms, &p, m, a).err)
                who = m == M_STRICT ? "model (strict)" : "model (permissive)";
        }
        for (size_t k = 0; who && k < c.n_requests; k++) {
            if (!c.requests[k].validate) continue;
            m_result r = m_evaluate(p.condition, &c.requests[k].r, &c.entities, a);
            if (!r.err && r.v.kind != M_V_BOOL) r.err = M_TYPE_ERROR;
            if (!excluded(r.err)) continue;
            fprintf(stderr, "\n=== validation-sound: %.*s is valid (%s) but evaluates to %s ===\n",
                    (int)p.id.len, p.id.ptr, who, m_error_name(r.err));
            val_print_case(stderr, &t);
            fprintf(stderr, "--- entities ---\n%.*s\n", (int)t.entities.len, t.entities.data);
            fprintf(stderr, "--- request %zu ---\n%.*s\n", k, (int)t.requests[k].len,
                    t.requests[k].data);
            gen_buf b;
            gen_buf_init(&b);
            print_value(&b, c.requests[k].r.context);
            fprintf(stderr, "context as a value: %s\n", gen_buf_cstr(&b));
            gen_buf_free(&b);
            abort();
        }
    }
    cd_entities_free(ces);
    val_core_free(&vc);
    gen_texts_free(&t);
    m_arena_free(a);
    return 0;
}
