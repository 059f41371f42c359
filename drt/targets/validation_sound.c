/* validation-sound: the validator's soundness, as cedar-lean's
 * validation_is_sound_response states it (Thm/Validation.lean): when a policy
 * is valid and the request and entities conform to the schema, evaluating the
 * policy gives a boolean or one of entityDoesNotExist, extensionError and
 * arithBoundsError; never a typeError, attrDoesNotExist or tagDoesNotExist.
 * A policy counts as valid when core's validator or the model's typechecker
 * accepts it, in either mode; it is evaluated in the model on every request
 * the generator marks as conforming, and only when core accepts the
 * generated entities against the schema. */
#include "cd_entities.h"
#include "drt_targets.h"
#include "validation_common.h"

bool drt_case_validation_sound(const uint8_t *data, size_t size, m_arena *a, gen_case *out)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_opts o = {.mode = gen_chance(&src, 20) ? GEN_LOOSE : GEN_TYPED,
                  .max_policies = 4,
                  .max_requests = 4,
                  .templates = false};
    gen_case_build(out, a, &src, &o, NULL);
    return true;
}

static bool excluded(m_error e)
{
    return e == M_TYPE_ERROR || e == M_ATTR_DOES_NOT_EXIST || e == M_TAG_DOES_NOT_EXIST;
}

/* Who accepts policy p: NULL when neither core nor the model, in no mode. */
static const char *accepted_by(const val_core *vc, const m_schema *ms, const m_policy *p,
                               m_arena *a)
{
    for (m_mode m = M_STRICT; m <= M_PERMISSIVE; m++) {
        const cd_vpolicy *v = val_core_policy(vc, m, p->id);
        if (v && v->valid) return m == M_STRICT ? "core, strict" : "core, permissive";
        if (!m_validate_policy(ms, p, m, a).err)
            return m == M_STRICT ? "model, strict" : "model, permissive";
    }
    return NULL;
}

/* Evaluate every accepted policy on every conforming request; print each
 * result (all) or only the first counterexample. True when sound. */
static bool judge(const gen_case *c, const gen_texts *t, m_arena *a, FILE *out, bool all)
{
    if (all) {
        fprintf(out, "--- entities ---\n%.*s\n", (int)t->entities.len, t->entities.data);
        for (size_t k = 0; k < t->n_requests; k++)
            fprintf(out, "--- request %zu%s ---\n%.*s\n", k,
                    c->requests[k].validate ? "" : " (does not conform)", (int)t->requests[k].len,
                    t->requests[k].data);
    }
    val_core vc;
    val_core_read(&vc, t);
    cd_err err = {0};
    cd_entities *ces = vc.failed ? NULL
                                 : cd_entities_load_json(t->entities.data, t->entities.len,
                                                         "entities", vc.schema, &err);
    if (all && !ces) fprintf(out, "not checked: core rejects the case (%s)\n", err.message);
    cd_err_clear(&err);
    m_schema ms = val_model_schema(a, &c->schema);
    bool sound = true;
    for (size_t i = 0; sound && ces && i < c->n_policies; i++) {
        m_policy p = gen_model_policy(a, c, i);
        const char *who = accepted_by(&vc, &ms, &p, a);
        if (all) fprintf(out, "%.*s: %s\n", (int)p.id.len, p.id.ptr, who ? who : "invalid");
        for (size_t k = 0; sound && who && k < c->n_requests; k++) {
            if (!c->requests[k].validate) continue;
            m_result r = m_evaluate(p.condition, &c->requests[k].r, &c->entities, a);
            if (!r.err && r.v.kind != M_V_BOOL) r.err = M_TYPE_ERROR;
            sound = !excluded(r.err);
            if (all)
                fprintf(out, "  request %zu: %s\n", k, r.err ? m_error_name(r.err) : "a boolean");
            if (sound) continue;
            fprintf(out, "\n=== validation-sound: %.*s is valid (%s) but evaluates to %s ===\n",
                    (int)p.id.len, p.id.ptr, who, m_error_name(r.err));
            val_print_case(out, t);
            fprintf(out, "--- entities ---\n%.*s\n", (int)t->entities.len, t->entities.data);
            fprintf(out, "--- request %zu ---\n%.*s\n", k, (int)t->requests[k].len,
                    t->requests[k].data);
        }
    }
    cd_entities_free(ces);
    val_core_free(&vc);
    return sound;
}

static void run(const uint8_t *data, size_t size, FILE *print_to)
{
    val_run(data, size, print_to, drt_case_validation_sound, judge);
}

DRT_TARGET_FROM_RUN(validation_sound, run)
