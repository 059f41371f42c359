/* cd_schema_print.c: the sorted view of a raw schema shared by the two
 * printers (cd_schema_print.h). */
#include <stdlib.h>
#include <string.h>

#include "cd_schema_print.h"

/* The components of a namespace name compare as the official Name does: the
 * last component first, then the ones before it in order. */
static cd_str last_part(cd_str s, cd_str *prefix)
{
    for (size_t i = s.len; i >= 2; i--) {
        if (s.ptr[i - 1] == ':' && s.ptr[i - 2] == ':') {
            *prefix = (cd_str){s.ptr, i - 2};
            return (cd_str){s.ptr + i, s.len - i};
        }
    }
    *prefix = (cd_str){s.ptr, 0};
    return s;
}

static cd_str next_part(cd_str *rest)
{
    for (size_t i = 0; i + 1 < rest->len; i++) {
        if (rest->ptr[i] == ':' && rest->ptr[i + 1] == ':') {
            cd_str p = {rest->ptr, i};
            *rest = (cd_str){rest->ptr + i + 2, rest->len - i - 2};
            return p;
        }
    }
    cd_str p = *rest;
    *rest = (cd_str){rest->ptr + rest->len, 0};
    return p;
}

static int ns_cmp(const void *a, const void *b)
{
    const cd_pns *x = a, *y = b;
    if (x->ns->has_name != y->ns->has_name) return x->ns->has_name ? 1 : -1;
    if (!x->ns->has_name) return 0;
    cd_str px, py;
    int c = cd_str_cmp(last_part(x->ns->name, &px), last_part(y->ns->name, &py));
    if (c) return c;
    while (px.len && py.len) {
        c = cd_str_cmp(next_part(&px), next_part(&py));
        if (c) return c;
    }
    return px.len ? 1 : py.len ? -1 : 0;
}

static int common_cmp(const void *a, const void *b)
{
    return cd_str_cmp((*(const cd_rcommon *const *)a)->name, (*(const cd_rcommon *const *)b)->name);
}

static int entity_cmp(const void *a, const void *b)
{
    return cd_str_cmp((*(const cd_rentity *const *)a)->name, (*(const cd_rentity *const *)b)->name);
}

static int action_cmp(const void *a, const void *b)
{
    return cd_str_cmp((*(const cd_raction *const *)a)->name, (*(const cd_raction *const *)b)->name);
}

/* Stable on equal names: the later attribute sorts after the earlier. */
static int attr_cmp(const void *a, const void *b)
{
    const cd_rattr *x = *(const cd_rattr *const *)a, *y = *(const cd_rattr *const *)b;
    int c = cd_str_cmp(x->name, y->name);
    return c ? c : x < y ? -1 : x > y;
}

static bool twice(const cd_rschema *rs, cd_err *err, cd_src src, cd_str name)
{
    return cd_schema_err(rs, err, src, "`%.*s` is declared twice", (int)name.len, name.ptr);
}

/* Sort a group and reject equal neighbours. */
#define SORT_UNIQUE(items, n, cmp)                                                                 \
    do {                                                                                           \
        if ((n) > 1) qsort((void *)(items), (n), sizeof *(items), cmp);                            \
        for (size_t k_ = 1; k_ < (n); k_++)                                                        \
            if (cd_str_eq((items)[k_]->name, (items)[k_ - 1]->name))                               \
                return twice(rs, err, (items)[k_]->src, (items)[k_]->name);                        \
    } while (0)

bool cd_pview_build(const cd_rschema *rs, cd_pview *v, cd_err *err)
{
    size_t n = rs->nss.len;
    cd_pns *nss = CD_NEW_ARRAY(rs->arena, cd_pns, n ? n : 1);
    /* each raw namespace's position in the view */
    size_t *pos = CD_NEW_ARRAY(rs->arena, size_t, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        nss[i].ns = &CD_VEC_AT(&rs->nss, cd_rns, i);
    if (n > 1) qsort(nss, n, sizeof *nss, ns_cmp);
    for (size_t i = 0; i < n; i++) {
        pos[nss[i].ns - &CD_VEC_AT(&rs->nss, cd_rns, 0)] = i;
        if (i && !ns_cmp(&nss[i], &nss[i - 1])) {
            const cd_rns *d = nss[i - 1].ns > nss[i].ns ? nss[i - 1].ns : nss[i].ns;
            return cd_schema_err(rs, err, d->src, "duplicate namespace id: `%.*s`",
                                 (int)d->name.len, d->name.ptr);
        }
    }
    for (size_t i = 0; i < rs->commons.len; i++)
        nss[pos[CD_VEC_AT(&rs->commons, cd_rcommon, i).ns]].n_commons++;
    for (size_t i = 0; i < rs->entities.len; i++)
        nss[pos[CD_VEC_AT(&rs->entities, cd_rentity, i).ns]].n_entities++;
    for (size_t i = 0; i < rs->actions.len; i++)
        nss[pos[CD_VEC_AT(&rs->actions, cd_raction, i).ns]].n_actions++;
    for (size_t i = 0; i < n; i++) {
        cd_pns *p = &nss[i];
        p->commons = CD_NEW_ARRAY(rs->arena, const cd_rcommon *, p->n_commons + 1);
        p->entities = CD_NEW_ARRAY(rs->arena, const cd_rentity *, p->n_entities + 1);
        p->actions = CD_NEW_ARRAY(rs->arena, const cd_raction *, p->n_actions + 1);
        p->n_commons = p->n_entities = p->n_actions = 0;
    }
    for (size_t i = 0; i < rs->commons.len; i++) {
        const cd_rcommon *c = &CD_VEC_AT(&rs->commons, cd_rcommon, i);
        cd_pns *p = &nss[pos[c->ns]];
        p->commons[p->n_commons++] = c;
    }
    for (size_t i = 0; i < rs->entities.len; i++) {
        const cd_rentity *e = &CD_VEC_AT(&rs->entities, cd_rentity, i);
        cd_pns *p = &nss[pos[e->ns]];
        p->entities[p->n_entities++] = e;
    }
    for (size_t i = 0; i < rs->actions.len; i++) {
        const cd_raction *a = &CD_VEC_AT(&rs->actions, cd_raction, i);
        cd_pns *p = &nss[pos[a->ns]];
        p->actions[p->n_actions++] = a;
    }
    for (size_t i = 0; i < n; i++) {
        cd_pns *p = &nss[i];
        SORT_UNIQUE(p->commons, p->n_commons, common_cmp);
        SORT_UNIQUE(p->entities, p->n_entities, entity_cmp);
        SORT_UNIQUE(p->actions, p->n_actions, action_cmp);
    }
    v->n = n;
    v->nss = nss;
    return true;
}

size_t cd_pview_attrs(const cd_rschema *rs, const cd_rtype *rec, const cd_rattr ***out)
{
    size_t n = rec ? rec->n_attrs : 0, k = 0;
    const cd_rattr **v = CD_NEW_ARRAY(rs->arena, const cd_rattr *, n + 1);
    for (size_t i = 0; i < n; i++)
        v[i] = &rec->attrs[i];
    if (n > 1) qsort(v, n, sizeof *v, attr_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && cd_str_eq(v[i]->name, v[i + 1]->name)) continue; /* the last wins */
        v[k++] = v[i];
    }
    *out = v;
    return k;
}

bool cd_pview_empty_record(const cd_rtype *t)
{
    return !t || (t->kind == CD_RT_RECORD && t->n_attrs == 0 && !t->open);
}
