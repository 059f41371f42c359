/* cd_api_validate.c: the public validation API of cedar.h over cd_validate. */
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"
#include "cd_validate.h"

typedef struct api_error {
    size_t policy;
    const cd_verror *e;
} api_error;

struct cedar_validation {
    cd_arena *arena;
    cd_vresult r;
    const char **ids; /* NUL-terminated copies of the policy ids */
    size_t n_errors;
    api_error *errors;
};

cedar_validation *cedar_validate(const cedar_schema *schema, const cedar_policy_set *ps,
                                 cedar_validation_mode mode, cedar_error *err)
{
    if (!schema || !ps) {
        cd_api_set_error_msg(err, "cedar_validate: a schema and a policy set are needed");
        return NULL;
    }
    cedar_validation *v = calloc(1, sizeof *v);
    if (!v) abort();
    v->arena = cd_arena_new();
    cd_validate(schema->s, &ps->view,
                mode == CEDAR_VALIDATION_PERMISSIVE ? CD_VMODE_PERMISSIVE : CD_VMODE_STRICT,
                v->arena, &v->r);
    v->ids = CD_NEW_ARRAY(v->arena, const char *, v->r.n ? v->r.n : 1);
    for (size_t i = 0; i < v->r.n; i++) {
        cd_str id = v->r.policies[i].policy->id;
        v->ids[i] = cd_arena_str(v->arena, id.ptr, id.len).ptr;
        v->n_errors += v->r.policies[i].n_errors;
    }
    v->errors = CD_NEW_ARRAY(v->arena, api_error, v->n_errors ? v->n_errors : 1);
    size_t k = 0;
    for (size_t i = 0; i < v->r.n; i++)
        for (size_t j = 0; j < v->r.policies[i].n_errors; j++)
            v->errors[k++] = (api_error){i, &v->r.policies[i].errors[j]};
    return v;
}

void cedar_validation_free(cedar_validation *v)
{
    if (!v) return;
    cd_arena_free(v->arena);
    free(v);
}

bool cedar_validation_passed(const cedar_validation *v)
{
    return v && v->r.valid;
}

size_t cedar_validation_policy_count(const cedar_validation *v)
{
    return v ? v->r.n : 0;
}

const char *cedar_validation_policy_id(const cedar_validation *v, size_t i)
{
    return v && i < v->r.n ? v->ids[i] : NULL;
}

bool cedar_validation_policy_valid(const cedar_validation *v, size_t i)
{
    return v && i < v->r.n && v->r.policies[i].valid;
}

bool cedar_validation_policy_impossible(const cedar_validation *v, size_t i)
{
    return v && i < v->r.n && v->r.policies[i].impossible;
}

size_t cedar_validation_error_count(const cedar_validation *v)
{
    return v ? v->n_errors : 0;
}

static const cd_verror *error_at(const cedar_validation *v, size_t i)
{
    return v && i < v->n_errors ? v->errors[i].e : NULL;
}

size_t cedar_validation_error_policy(const cedar_validation *v, size_t i)
{
    return v && i < v->n_errors ? v->errors[i].policy : 0;
}

const char *cedar_validation_error_message(const cedar_validation *v, size_t i)
{
    const cd_verror *e = error_at(v, i);
    return e ? e->message : NULL;
}

const char *cedar_validation_error_help(const cedar_validation *v, size_t i)
{
    const cd_verror *e = error_at(v, i);
    return e ? e->help : NULL;
}

const char *cedar_validation_error_kind(const cedar_validation *v, size_t i)
{
    const cd_verror *e = error_at(v, i);
    return e ? cd_verr_kind_name(e->kind) : NULL;
}

unsigned cedar_validation_error_line(const cedar_validation *v, size_t i)
{
    const cd_verror *e = error_at(v, i);
    return e ? e->loc.line : 0;
}

unsigned cedar_validation_error_column(const cedar_validation *v, size_t i)
{
    const cd_verror *e = error_at(v, i);
    return e ? e->loc.column : 0;
}
