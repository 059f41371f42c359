/* cd_api_policy_meta.c: public API for what a policy says about itself
 * (effect, annotations) and for naming policies by an annotation, as the
 * official CLI names them by `@id` (cedar.h). */
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"

static const cd_policy *policy_at(const cedar_policy_set *ps, size_t i)
{
    return ps && i < ps->all.len ? CD_VEC_AT(&ps->all, cd_policy *, i) : NULL;
}

cedar_effect cedar_policy_set_effect(const cedar_policy_set *ps, size_t i)
{
    const cd_policy *p = policy_at(ps, i);
    return p && p->body->effect == CD_FORBID ? CEDAR_FORBID : CEDAR_PERMIT;
}

bool cedar_policy_set_is_link(const cedar_policy_set *ps, size_t i)
{
    const cd_policy *p = policy_at(ps, i);
    return p && p->template_of;
}

const char *cedar_policy_set_template_of(const cedar_policy_set *ps, size_t i)
{
    const cd_policy *p = policy_at(ps, i);
    return p && p->template_of ? p->template_of->id.ptr : NULL;
}

size_t cedar_policy_set_annotation_count(const cedar_policy_set *ps, size_t i)
{
    const cd_policy *p = policy_at(ps, i);
    return p ? p->body->n_annotations : 0;
}

const char *cedar_policy_set_annotation_key(const cedar_policy_set *ps, size_t i, size_t j)
{
    const cd_policy *p = policy_at(ps, i);
    return p && j < p->body->n_annotations ? p->body->annotations[j].key.ptr : NULL;
}

const char *cedar_policy_set_annotation_value(const cedar_policy_set *ps, size_t i, size_t j)
{
    const cd_policy *p = policy_at(ps, i);
    return p && j < p->body->n_annotations ? p->body->annotations[j].value.ptr : NULL;
}

const char *cedar_policy_set_annotation(const cedar_policy_set *ps, size_t i, const char *key)
{
    const cd_policy *p = policy_at(ps, i);
    if (!p || !key) return NULL;
    for (size_t j = 0; j < p->body->n_annotations; j++)
        if (cd_str_eq_c(p->body->annotations[j].key, key)) return p->body->annotations[j].value.ptr;
    return NULL;
}

/* The id policy i gets: its annotation's value, else its current id. */
static cd_str new_id(const cd_policy *p, const char *key)
{
    for (size_t j = 0; j < p->body->n_annotations; j++)
        if (cd_str_eq_c(p->body->annotations[j].key, key)) return p->body->annotations[j].value;
    return p->id;
}

typedef struct named {
    cd_str id;
    size_t order; /* templates first, then static policies, each in set order */
    const cd_policy *p;
} named;

static int named_cmp(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = cd_str_cmp(x->id, y->id);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* As the official CLI: templates are added to a new set first, then static
 * policies, each under its new id; the first id already taken is an error.
 * The ids are sorted (not compared pairwise): a set may hold many policies. */
int cedar_policy_set_rename_by_annotation(cedar_policy_set *ps, const char *key, cedar_error *err)
{
    if (!ps || !key) {
        cd_api_set_error_msg(err, "cedar_policy_set_rename_by_annotation: missing argument");
        return 1;
    }
    size_t n = ps->all.len, order = 0;
    named *ids = n ? calloc(n, sizeof *ids) : NULL;
    if (n && !ids) abort();
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const cd_policy *p = CD_VEC_AT(&ps->all, cd_policy *, i);
            if (p->template_of) {
                free(ids);
                cd_api_set_error_msg(err, "policies are renamed before templates are linked");
                return 1;
            }
            if (p->is_template != (pass == 0)) continue;
            ids[order] = (named){new_id(p, key), order, p};
            order++;
        }
    }
    if (n) qsort(ids, n, sizeof *ids, named_cmp);
    const named *clash = NULL; /* the second of equal ids that comes first */
    for (size_t i = 1; i < n; i++)
        if (cd_str_eq(ids[i].id, ids[i - 1].id) && (!clash || ids[i].order < clash->order))
            clash = &ids[i];
    if (clash) {
        cd_api_set_error_msg(err,
                             "failed to add %s to policy set: duplicate template or policy id "
                             "`%.*s`",
                             clash->p->is_template ? "template" : "policy", (int)clash->id.len,
                             clash->id.ptr);
        free(ids);
        return 1;
    }
    free(ids);
    for (size_t i = 0; i < n; i++) {
        cd_policy *p = CD_VEC_AT(&ps->all, cd_policy *, i);
        p->id = new_id(p, key);
    }
    cd_api_policy_ids_rebuild(ps);
    return 0;
}

char *cedar_policy_set_policy_text(const cedar_policy_set *ps, size_t i)
{
    const cd_policy *p = policy_at(ps, i);
    if (!p) return NULL;
    cd_buf b;
    cd_buf_init(&b);
    if (!cd_policy_print(&b, p)) { /* too deep for this thread's stack */
        cd_buf_free(&b);
        return NULL;
    }
    char *s = strdup(cd_buf_cstr(&b));
    cd_buf_free(&b);
    if (!s) abort();
    return s;
}
