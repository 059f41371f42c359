/* cd_api_policy.c: public API for policy sets and template links (cedar.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"

static void rebuild_view(cedar_policy_set *ps)
{
    ps->view.n = ps->all.len;
    ps->view.items = (cd_policy **)ps->all.items;
}

/* Append p to the set, its id table and its index. */
void cd_api_policy_push(cedar_policy_set *ps, cd_policy *p)
{
    size_t pos = ps->all.len;
    *(cd_policy **)cd_vec_push(&ps->all) = p;
    rebuild_view(ps);
    cd_index_add(ps->index, p, (uint32_t)pos);
    cd_idtab_add(&ps->ids, ps->view.items, ps->index, pos);
}

cedar_policy_set *cd_api_policy_set_new(void)
{
    cedar_policy_set *ps = calloc(1, sizeof *ps);
    if (!ps) abort();
    ps->arena = cd_arena_new();
    ps->index = cd_index_new();
    cd_vec_init(&ps->all, sizeof(cd_policy *));
    return ps;
}

void cd_api_policy_ids_rebuild(cedar_policy_set *ps)
{
    cd_idtab_free(&ps->ids);
    ps->ids = (cd_idtab){0};
    for (size_t i = 0; i < ps->all.len; i++)
        cd_idtab_add(&ps->ids, ps->view.items, ps->index, i);
}

/* Take the policies from position `len` on out again (in reverse order). */
static void truncate_set(cedar_policy_set *ps, size_t len)
{
    while (ps->all.len > len) {
        size_t pos = ps->all.len - 1;
        cd_idtab_remove(&ps->ids, ps->view.items, ps->index, pos);
        cd_index_remove(ps->index, ps->view.items[pos], (uint32_t)pos);
        ps->all.len--;
    }
    rebuild_view(ps);
}

cedar_policy_set *cedar_policy_set_parse(const char *text, size_t len, const char *file,
                                         cedar_error *err)
{
    if (!text) {
        cd_api_set_error_msg(err, "no policy text");
        return NULL;
    }
    cedar_policy_set *ps = cd_api_policy_set_new();
    cd_policies parsed;
    cd_err e = {0};
    /* The AST may point into the source (names, policy text): keep a copy. */
    cd_str src = cd_arena_str(ps->arena, text, len);
    if (!cd_parse_policies(src.ptr, len, file, ps->arena, &parsed, &e)) {
        cd_api_set_error(err, &e, file);
        cedar_policy_set_free(ps);
        return NULL;
    }
    for (size_t i = 0; i < parsed.n; i++)
        cd_api_policy_push(ps, parsed.items[i]);
    rebuild_view(ps);
    return ps;
}

static const cd_policy *find_policy(const cedar_policy_set *ps, const char *id)
{
    size_t i = cd_idtab_find(&ps->ids, ps->view.items, ps->index, id, strlen(id));
    return i == SIZE_MAX ? NULL : ps->view.items[i];
}

/* A slot value, parsed in the set's scratch arena (the parser's tokens and
 * expression node are not kept); its type is held by the set. */
static bool parse_slot_uid(cedar_policy_set *ps, const char *text, const char *what, cd_uid *out,
                           cedar_error *err)
{
    cd_err e = {0};
    if (cd_parse_uid(text, strlen(text), ps->scratch, out, &e)) {
        out->type = cd_name_hold(ps->arena, out->type); /* before the scratch lets it go */
        return true;
    }
    cd_api_set_error_msg(err, "invalid entity uid for %s `%s`: %s", what, text,
                         e.message ? e.message : "");
    cd_err_clear(&e);
    return false;
}

/* Copy n bytes and a NUL to *at, and move *at past them. */
static cd_str put_str(char **at, const char *p, size_t n)
{
    cd_str s = {*at, n};
    if (n) memcpy(*at, p, n);
    (*at)[n] = 0;
    *at += n + 1;
    return s;
}

/* A link in one allocation: the policy header, then its id and the ids of
 * its slot values (a link costs about 128 bytes of arena, issue 10). */
static cd_policy *new_link(cedar_policy_set *ps, const cd_policy *t, const char *link_id,
                           const cd_uid *pv, const cd_uid *rv)
{
    size_t id_len = strlen(link_id);
    size_t size =
        sizeof(cd_policy) + id_len + 1 + (pv ? pv->id.len + 1 : 0) + (rv ? rv->id.len + 1 : 0);
    cd_policy *p = cd_arena_alloc(ps->arena, size);
    *p = *t;
    char *at = (char *)(p + 1);
    p->id = put_str(&at, link_id, id_len);
    p->is_template = false;
    p->template_of = t;
    if (pv) {
        p->principal_slot = (cd_uid){pv->type, put_str(&at, pv->id.ptr, pv->id.len), pv->hash};
        p->has_principal_slot = true;
    }
    if (rv) {
        p->resource_slot = (cd_uid){rv->type, put_str(&at, rv->id.ptr, rv->id.len), rv->hash};
        p->has_resource_slot = true;
    }
    return p;
}

static bool template_has_slot(const cd_policy *t, bool principal)
{
    return principal ? t->body->principal.slot : t->body->resource.slot;
}

/* The template a new link `link_id` may be made of, given which slot values
 * it has; NULL with err set when there is none. */
static const cd_policy *link_template(cedar_policy_set *ps, const char *template_id,
                                      const char *link_id, bool has_pv, bool has_rv,
                                      cedar_error *err)
{
    const cd_policy *t = find_policy(ps, template_id);
    if (!t || !t->is_template) {
        cd_api_set_error_msg(err, "no template with id `%s`", template_id);
        return NULL;
    }
    if (find_policy(ps, link_id)) {
        cd_api_set_error_msg(err, "a policy with id `%s` already exists", link_id);
        return NULL;
    }
    if (template_has_slot(t, true) != has_pv) {
        cd_api_set_error_msg(err, "template `%s` %s a value for ?principal", template_id,
                             has_pv ? "does not take" : "needs");
        return NULL;
    }
    if (template_has_slot(t, false) != has_rv) {
        cd_api_set_error_msg(err, "template `%s` %s a value for ?resource", template_id,
                             has_rv ? "does not take" : "needs");
        return NULL;
    }
    return t;
}

int cd_api_policy_link(cedar_policy_set *ps, const char *template_id, const char *link_id,
                       const cd_uid *pv, const cd_uid *rv, cedar_error *err)
{
    const cd_policy *t = link_template(ps, template_id, link_id, pv != NULL, rv != NULL, err);
    if (!t) return 1;
    cd_api_policy_push(ps, new_link(ps, t, link_id, pv, rv));
    return 0;
}

int cedar_policy_set_link(cedar_policy_set *ps, const char *template_id, const char *link_id,
                          const char *principal_uid, const char *resource_uid, cedar_error *err)
{
    if (!ps || !template_id || !link_id) {
        cd_api_set_error_msg(err, "cedar_policy_set_link: missing argument");
        return 1;
    }
    const cd_policy *t =
        link_template(ps, template_id, link_id, principal_uid != NULL, resource_uid != NULL, err);
    if (!t) return 1;
    if (!ps->scratch) ps->scratch = cd_arena_new();
    cd_uid pv, rv;
    bool ok = (!principal_uid || parse_slot_uid(ps, principal_uid, "?principal", &pv, err)) &&
              (!resource_uid || parse_slot_uid(ps, resource_uid, "?resource", &rv, err));
    cd_policy *p =
        ok ? new_link(ps, t, link_id, principal_uid ? &pv : NULL, resource_uid ? &rv : NULL) : NULL;
    cd_arena_reset(ps->scratch);
    if (!p) return 1;
    cd_api_policy_push(ps, p);
    return 0;
}

/* The slot values of one link: `args` may name only ?principal and ?resource,
 * each an entity uid in Cedar syntax. */
static bool link_args(const json_t *args, const char **pv, const char **rv, const char *file,
                      size_t i, cedar_error *err)
{
    *pv = *rv = NULL;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)args, key, v)
    {
        const char **slot = strcmp(key, "?principal") == 0  ? pv
                            : strcmp(key, "?resource") == 0 ? rv
                                                            : NULL;
        if (!slot) {
            cd_api_set_error_msg(err,
                                 "%s: link %zu: unknown slot `%s` (a template has only "
                                 "?principal and ?resource)",
                                 file, i, key);
            return false;
        }
        if (!json_is_string(v)) {
            cd_api_set_error_msg(err,
                                 "%s: link %zu: the value of `%s` must be a string holding "
                                 "an entity uid",
                                 file, i, key);
            return false;
        }
        *slot = json_string_value(v);
    }
    return true;
}

/* All links or none: on an error, the links already made by this call are
 * taken out again. */
int cedar_policy_set_link_json(cedar_policy_set *ps, const char *json, size_t len, const char *file,
                               cedar_error *err)
{
    if (!ps || !json) {
        cd_api_set_error_msg(err, "cedar_policy_set_link_json: missing argument");
        return 1;
    }
    cd_err e = {0};
    json_t *root = cd_json_parse(json, len, 0, file, &e);
    if (!root) {
        cd_api_set_error(err, &e, file);
        return 1;
    }
    const char *where = file ? file : "links";
    size_t before = ps->all.len;
    int rc = 0;
    if (!json_is_array(root)) {
        cd_api_set_error_msg(err, "%s: template links must be a JSON array", where);
        rc = 1;
    }
    size_t i;
    json_t *link;
    json_array_foreach(root, i, link)
    {
        if (rc) break;
        const char *tid = json_string_value(json_object_get(link, "template_id"));
        const char *lid = json_string_value(json_object_get(link, "link_id"));
        json_t *args = json_object_get(link, "args");
        if (!tid || !lid || (args && !json_is_object(args))) {
            cd_api_set_error_msg(err,
                                 "%s: link %zu needs string `template_id`, `link_id` and an "
                                 "object `args`",
                                 where, i);
            rc = 1;
            break;
        }
        const char *pv, *rv;
        if (!link_args(args, &pv, &rv, where, i, err)) {
            rc = 1;
            break;
        }
        rc = cedar_policy_set_link(ps, tid, lid, pv, rv, err);
    }
    json_decref(root);
    if (rc) truncate_set(ps, before);
    return rc;
}

int cedar_policy_set_unlink(cedar_policy_set *ps, const char *link_id, cedar_error *err)
{
    if (!ps || !link_id) {
        cd_api_set_error_msg(err, "cedar_policy_set_unlink: missing argument");
        return 1;
    }
    size_t pos = cd_idtab_find(&ps->ids, ps->view.items, ps->index, link_id, strlen(link_id));
    if (pos == SIZE_MAX || !ps->view.items[pos]->template_of) {
        cd_api_set_error_msg(err, "no template link with id `%s`", link_id);
        return 1;
    }
    /* The policy itself stays in the arena (nothing is freed piecemeal). */
    cd_idtab_remove(&ps->ids, ps->view.items, ps->index, pos);
    cd_index_remove(ps->index, ps->view.items[pos], (uint32_t)pos);
    cd_policy **items = ps->view.items;
    memmove(items + pos, items + pos + 1, (ps->all.len - pos - 1) * sizeof *items);
    ps->all.len--;
    rebuild_view(ps);
    return 0;
}

size_t cedar_policy_set_count(const cedar_policy_set *ps)
{
    return ps ? ps->all.len : 0;
}

const char *cedar_policy_set_id(const cedar_policy_set *ps, size_t i)
{
    return i < ps->all.len ? CD_VEC_AT(&ps->all, cd_policy *, i)->id.ptr : NULL;
}

bool cedar_policy_set_is_template(const cedar_policy_set *ps, size_t i)
{
    return i < ps->all.len && CD_VEC_AT(&ps->all, cd_policy *, i)->is_template;
}

void cedar_policy_set_free(cedar_policy_set *ps)
{
    if (!ps) return;
    cd_vec_free(&ps->all);
    cd_idtab_free(&ps->ids);
    if (ps->scratch) cd_arena_free(ps->scratch);
    cd_index_free(ps->index);
    cd_arena_free(ps->arena);
    free(ps);
}
