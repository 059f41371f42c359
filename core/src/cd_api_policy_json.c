/* cd_api_policy_json.c: public API for the official JSON policy format
 * (cedar.h): policy sets and single policies to JSON. */
#include <stdlib.h>
#include <string.h>

#include "cd_api.h"
#include "cd_entities.h"
#include "cd_policy_json.h"

static char *dump(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(j);
    if (!s) abort();
    return s;
}

char *cedar_policy_set_to_json(const cedar_policy_set *ps, cedar_error *err)
{
    if (!ps) {
        cd_api_set_error_msg(err, "cedar_policy_set_to_json: missing argument");
        return NULL;
    }
    cd_err e = {0};
    json_t *j = cd_policies_to_json((const cd_policy *const *)ps->all.items, ps->all.len, &e);
    if (!j) {
        cd_api_set_error(err, &e, NULL);
        return NULL;
    }
    return dump(j);
}

char *cedar_policy_set_policy_json(const cedar_policy_set *ps, size_t i, cedar_error *err)
{
    if (!ps || i >= ps->all.len) {
        cd_api_set_error_msg(err, "cedar_policy_set_policy_json: no policy %zu", i);
        return NULL;
    }
    cd_err e = {0};
    json_t *j = cd_policy_to_json(CD_VEC_AT(&ps->all, cd_policy *, i), &e);
    if (!j) {
        cd_api_set_error(err, &e, NULL);
        return NULL;
    }
    return dump(j);
}

/* {"staticPolicies": {id: p}, "templates": {id: t}, "templateLinks": [...]} */
static bool read_set(cedar_policy_set *ps, const json_t *root, const char *file, cedar_error *err)
{
    static const char *const sections[] = {"staticPolicies", "templates", "templateLinks"};
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)root, k, v)
    {
        bool known = false;
        for (int i = 0; i < 3; i++)
            known |= strcmp(k, sections[i]) == 0;
        if (!known) {
            cd_api_set_error_msg(err, "%s: unknown field `%s` in a policy set", file, k);
            return false;
        }
    }
    for (int s = 0; s < 2; s++) {
        const json_t *sec = json_object_get(root, sections[s]);
        if (!sec) continue;
        if (!json_is_object(sec)) {
            cd_api_set_error_msg(err, "%s: `%s` must be an object", file, sections[s]);
            return false;
        }
        size_t kl;
        /* with the key's length: an id may hold a NUL (from @id) */
        json_object_keylen_foreach((json_t *)sec, k, kl, v)
        {
            char where[512];
            snprintf(where, sizeof where, "%s.%s", sections[s], k);
            cd_err e = {0};
            cd_str id = cd_arena_str(ps->arena, k, kl);
            if (cd_idtab_find(&ps->ids, ps->view.items, ps->index, id.ptr, id.len) != SIZE_MAX) {
                cd_api_set_error_msg(err, "%s: duplicate template or policy id `%s`", file, k);
                return false;
            }
            cd_policy *p = cd_policy_from_json(v, id, ps->arena, where, &e);
            if (!p) {
                cd_api_set_error(err, &e, file);
                return false;
            }
            if (s == 0 && p->is_template) {
                cd_api_set_error_msg(err, "%s: %s: a static policy cannot have slots", file, where);
                return false;
            }
            p->is_template = s == 1;
            cd_api_policy_push(ps, p);
        }
    }
    const json_t *links = json_object_get(root, "templateLinks");
    if (!links) return true;
    if (!json_is_array(links)) {
        cd_api_set_error_msg(err, "%s: `templateLinks` must be an array", file);
        return false;
    }
    /* the same JSON as cedar_policy_set_link_json, in the EST's names */
    size_t i;
    const json_t *l;
    json_array_foreach(links, i, l)
    {
        const char *tid = json_string_value(json_object_get(l, "templateId"));
        const char *nid = json_string_value(json_object_get(l, "newId"));
        const json_t *vals = json_object_get(l, "values");
        if (!tid || !nid || !json_is_object(vals)) {
            cd_api_set_error_msg(err,
                                 "%s: templateLinks[%zu] needs string `templateId`, `newId` and "
                                 "an object `values`",
                                 file, i);
            return false;
        }
        /* the values are uids in JSON, read as such (not through Cedar text,
         * whose normalized form would refuse ids it escapes) */
        cd_uid u[2];
        bool has[2] = {false, false}, ok = true;
        json_object_foreach((json_t *)vals, k, v)
        {
            int w = strcmp(k, "?principal") == 0 ? 0 : strcmp(k, "?resource") == 0 ? 1 : -1;
            cd_err e = {0};
            if (w < 0 || has[w] || !cd_json_to_uid(v, ps->arena, k, &u[w], &e)) {
                cd_api_set_error_msg(err,
                                     "%s: templateLinks[%zu].values: expected `?principal` or "
                                     "`?resource` mapped to {\"type\", \"id\"}%s%s",
                                     file, i, e.message ? ": " : "", e.message ? e.message : "");
                cd_err_clear(&e);
                ok = false;
                break;
            }
            has[w] = true;
        }
        if (!ok || cd_api_policy_link(ps, tid, nid, has[0] ? &u[0] : NULL, has[1] ? &u[1] : NULL,
                                      err) != 0)
            return false;
    }
    return true;
}

cedar_policy_set *cedar_policy_set_from_json(const char *json, size_t len, const char *file,
                                             cedar_error *err)
{
    if (!json) {
        cd_api_set_error_msg(err, "no policy JSON");
        return NULL;
    }
    cd_err e = {0};
    json_t *root = cd_json_parse(json, len, 0, file, &e);
    if (!root) {
        cd_api_set_error(err, &e, file);
        return NULL;
    }
    const char *where = file ? file : "policy JSON";
    static const char *const set_keys[] = {"staticPolicies", "templates", "templateLinks"};
    static const char *const pol_keys[] = {"action", "effect", "principal", "resource",
                                           "conditions"};
    bool is_set = false, is_pol = false;
    for (int i = 0; i < 3; i++)
        is_set |= json_object_get(root, set_keys[i]) != NULL;
    for (int i = 0; i < 5; i++)
        is_pol |= json_object_get(root, pol_keys[i]) != NULL;
    cedar_policy_set *ps = NULL;
    if (is_set == is_pol) {
        cd_api_set_error_msg(err,
                             "%s: cannot determine if json policy is a single policy or a "
                             "policy set. Found %s",
                             where,
                             is_set ? "matching properties from both formats"
                                    : "no matching properties from either format");
        goto done;
    }
    ps = cd_api_policy_set_new();
    bool ok;
    if (is_set) {
        ok = read_set(ps, root, where, err);
    } else {
        cd_policy *p =
            cd_policy_from_json(root, cd_arena_str(ps->arena, "policy0", 7), ps->arena, NULL, &e);
        ok = p != NULL;
        if (ok)
            cd_api_policy_push(ps, p);
        else
            cd_api_set_error(err, &e, file);
    }
    if (!ok) {
        cedar_policy_set_free(ps);
        ps = NULL;
    }
done:
    json_decref(root);
    return ps;
}
