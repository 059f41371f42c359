/* cd_schema_json.c: the JSON schema format.
 *
 * The document is read into an arena tree (cd_json_tree.h: the grammar and
 * messages of core's JSON reader, RFC 8259 as serde_json reads it, object
 * keys may contain any character including NUL, at most 127 levels of
 * nesting), which rejects duplicate keys, as every object of the schema
 * format does, and keeps where every value and key starts, so every error
 * has a line and column.
 *
 * The values are then checked field by field, in document order, the way the
 * official implementation's serde definitions (validator/json_schema.rs)
 * accept them: unknown fields, `null` where a value is required and malformed
 * names are errors; `entityTypes` and `actions` are required in every
 * namespace; a type is {"type": T, ...} where T is one of String, Long,
 * Boolean, Set (with "element"), Record (with "attributes"), Entity,
 * EntityOrCommon, Extension (with "name"), or else the name of a common type.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_json_tree.h"
#include "cd_schema_int.h"
#include "cd_stack.h"

/* ---- the parsed document, with offsets --------------------------------------- */

typedef struct jparser {
    cd_rschema *rs;
    cd_err *err;
} jparser;

/* A value and where it starts (v->off), NULL when absent. Strings and keys
 * live in the raw schema's arena, with the raw schema. */
typedef const cd_jt *jv;

/* A member of an object: its key, where the key starts (m->off), its value. */
typedef cd_jt_member jmem;

/* The members of object v in document order:
 * for (const jmem *m = v->u.members, *end = m + v->n; m < end; m++) ... */
#define FOR_MEMBERS(m, v)                                                                          \
    for (const jmem *m = (v)->u.members, *m##_end = m + (v)->n; m < m##_end; m++)

static cd_str jstr(jv v)
{
    return (cd_str){v->u.str, v->n};
}

/* The value of member m, NULL when m is absent. */
static jv val(const jmem *m)
{
    return m ? &m->val : NULL;
}

/* ---- reading the schema from the values ------------------------------------- */

static bool jerr(jparser *J, jv v, const cd_jpath *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool jerr(jparser *J, jv v, const cd_jpath *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cd_arena_vprintf(J->rs->arena, fmt, ap);
    va_end(ap);
    return cd_schema_err(J->rs, J->err, (cd_src){v->off, at}, "%s", msg);
}

static const cd_jpath *jkey(jparser *J, const cd_jpath *up, cd_str key)
{
    cd_jpath *p = CD_NEW(J->rs->arena, cd_jpath);
    p->up = up;
    p->key = key;
    return p;
}

static const cd_jpath *jidx(jparser *J, const cd_jpath *up, size_t i)
{
    cd_jpath *p = CD_NEW(J->rs->arena, cd_jpath);
    p->up = up;
    p->is_index = true;
    p->index = i;
    return p;
}

static cd_src src_of(jv v, const cd_jpath *at)
{
    return (cd_src){v->off, at};
}

/* v must be of type k (CD_JT_TRUE: a boolean). */
static bool want(jparser *J, jv v, cd_jt_kind k, const cd_jpath *at, const char *what)
{
    if (k == CD_JT_TRUE ? v->kind == CD_JT_TRUE || v->kind == CD_JT_FALSE : v->kind == k)
        return true;
    return jerr(J, v, at, "expected %s, found %s", what, cd_jt_kind_name(v));
}

/* A name or key for a message (names are checked before they are shown). */
static const char *show(jparser *J, cd_str s)
{
    cd_buf b;
    cd_buf_init(&b);
    for (size_t i = 0; i < s.len && i < 60; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x20 || c == 0x7f)
            cd_buf_printf(&b, "\\u{%x}", c);
        else
            cd_buf_putc(&b, (char)c);
    }
    const char *r = cd_arena_str(J->rs->arena, b.data ? b.data : "", b.len).ptr;
    cd_buf_free(&b);
    return r;
}

static int anno_cmp(const void *a, const void *b)
{
    return cd_str_cmp(((const cd_ranno *)a)->key, ((const cd_ranno *)b)->key);
}

/* annotations: {AnyId: string | null}, kept sorted by key in *out (the
 * reader rejects duplicate keys) */
static bool annotations(jparser *J, jv v, const cd_jpath *at, cd_rannos *out)
{
    if (!want(J, v, CD_JT_OBJECT, at, "an object of annotations")) return false;
    size_t n = v->n, i = 0;
    cd_ranno *r = n ? CD_NEW_ARRAY(J->rs->arena, cd_ranno, n) : NULL;
    FOR_MEMBERS(m, v)
    {
        const cd_jpath *p = jkey(J, at, m->key);
        if (!cd_str_is_ident(m->key))
            return cd_schema_err(J->rs, J->err, (cd_src){m->off, p}, "invalid annotation name `%s`",
                                 show(J, m->key));
        if (m->val.kind != CD_JT_NULL &&
            !want(J, &m->val, CD_JT_STRING, p, "a string annotation value"))
            return false;
        r[i].key = m->key;
        r[i].has_value = m->val.kind != CD_JT_NULL;
        if (r[i].has_value) r[i].value = jstr(&m->val);
        i++;
    }
    if (n > 1) qsort(r, n, sizeof *r, anno_cmp);
    *out = (cd_rannos){n, r};
    return true;
}

/* A reference to a type, e.g. in memberOfTypes: `A::B`, `__cedar` allowed. */
static bool type_name(jparser *J, jv v, const cd_jpath *at, const char *what, cd_str *out)
{
    if (!want(J, v, CD_JT_STRING, at, "a string")) return false;
    if (!cd_schema_is_name(jstr(v), true))
        return jerr(J, v, at, "invalid %s `%s`", what, show(J, jstr(v)));
    *out = jstr(v);
    return true;
}

static bool name_list(jparser *J, jv v, const cd_jpath *at, const cd_rname **out, size_t *n)
{
    if (!want(J, v, CD_JT_ARRAY, at, "an array of entity type names")) return false;
    size_t len = v->n;
    cd_rname *r = CD_NEW_ARRAY(J->rs->arena, cd_rname, len);
    for (size_t i = 0; i < len; i++) {
        const cd_jpath *p = jidx(J, at, i);
        jv e = &v->u.items[i];
        r[i].src = src_of(e, p);
        if (!type_name(J, e, p, "entity type name", &r[i].name)) return false;
    }
    *out = r;
    *n = len;
    return true;
}

static bool unknown_field(jparser *J, const jmem *m, const cd_jpath *at, const char *in)
{
    return cd_schema_err(J->rs, J->err, (cd_src){m->off, jkey(J, at, m->key)},
                         "unknown field `%s` in %s", show(J, m->key), in);
}

/* Never matches a key (a list's place for a field not allowed there). */
static const char no_field[] = "";

/* Check that obj only has fields from the NULL-terminated list and find
 * them, in one pass: got[k] is the member named fields[k], NULL when
 * absent (keys are unique: the reader rejects duplicates). The first member
 * not in the list, in document order, is the error. */
static bool fields_of(jparser *J, jv obj, const cd_jpath *at, const char *in,
                      const char *const *fields, const jmem **got)
{
    size_t k;
    for (k = 0; fields[k]; k++)
        got[k] = NULL;
    FOR_MEMBERS(m, obj)
    {
        for (k = 0; fields[k]; k++)
            if (fields[k] != no_field && cd_str_eq_c(m->key, fields[k])) break;
        if (!fields[k]) return unknown_field(J, m, at, in);
        got[k] = m;
    }
    return true;
}

enum { IN_PLAIN, IN_ATTRIBUTE, IN_COMMON_TYPE };

/* A type's fields that may hold a nested type or a name, NULL when absent. */
typedef struct tfields {
    jv element, attrs, additional, name;
} tfields;

/* The checks of a type object before any nested type is read: its fields
 * (into *f), "required", "annotations", its kind (into the new type). Apart
 * from jtype, which recurses once per nesting level, so that its frame stays
 * small: types nested to the JSON reader's limit must be read on a 256 KB
 * stack, also in a sanitized build. NULL on an error. */
__attribute__((noinline)) static cd_rtype *type_head(jparser *J, jv v, const cd_jpath *at,
                                                     int where, bool *required, cd_rannos *annos,
                                                     tfields *tf)
{
    /* the same places in every list: required is 5, annotations 6 */
    enum { K_TYPE, K_ELEMENT, K_ATTRIBUTES, K_ADDITIONAL, K_NAME, K_REQUIRED, K_ANNOTATIONS };
    static const char *const plain[] = {"type", "element", "attributes", "additionalAttributes",
                                        "name", NULL};
    static const char *const attr[] = {"type", "element",  "attributes",  "additionalAttributes",
                                       "name", "required", "annotations", NULL};
    static const char *const common[] = {"type", "element", "attributes",  "additionalAttributes",
                                         "name", no_field,  "annotations", NULL};
    if (v->kind != CD_JT_OBJECT)
        return jerr(J, v, at, "expected a type (an object with a `type` field), found %s",
                    cd_jt_kind_name(v)),
               NULL;
    const jmem *got[7];
    got[K_REQUIRED] = got[K_ANNOTATIONS] = NULL;
    if (!fields_of(J, v, at, "a type",
                   where == IN_ATTRIBUTE     ? attr
                   : where == IN_COMMON_TYPE ? common
                                             : plain,
                   got))
        return NULL;
    jv f;
    if ((f = val(got[K_REQUIRED]))) {
        if (!want(J, f, CD_JT_TRUE, jkey(J, at, got[K_REQUIRED]->key), "a boolean")) return NULL;
        *required = f->kind == CD_JT_TRUE;
    }
    if ((f = val(got[K_ANNOTATIONS])) &&
        !annotations(J, f, jkey(J, at, got[K_ANNOTATIONS]->key), annos))
        return NULL;
    jv ty = val(got[K_TYPE]);
    *tf = (tfields){val(got[K_ELEMENT]), val(got[K_ATTRIBUTES]), val(got[K_ADDITIONAL]),
                    val(got[K_NAME])};
    if (!ty) return jerr(J, v, at, "missing field `type`"), NULL;
    const cd_jpath *tp = jkey(J, at, CD_STR_LIT("type"));
    if (!want(J, ty, CD_JT_STRING, tp, "a string")) return NULL;
    cd_str tn = jstr(ty);
    cd_rtype *t = CD_NEW(J->rs->arena, cd_rtype);
    t->src = src_of(v, at);
    /* which of element / attributes+additionalAttributes / name the type allows */
    enum { F_ELEM = 1, F_ATTRS = 2, F_NAME = 4 } allowed = 0;
    if (cd_str_eq_c(tn, "String")) {
        t->kind = CD_RT_STRING;
    } else if (cd_str_eq_c(tn, "Long")) {
        t->kind = CD_RT_LONG;
    } else if (cd_str_eq_c(tn, "Boolean")) {
        t->kind = CD_RT_BOOL;
    } else if (cd_str_eq_c(tn, "Set")) {
        t->kind = CD_RT_SET;
        allowed = F_ELEM;
    } else if (cd_str_eq_c(tn, "Record")) {
        t->kind = CD_RT_RECORD;
        allowed = F_ATTRS;
    } else if (cd_str_eq_c(tn, "Entity")) {
        t->kind = CD_RT_ENTITY;
        allowed = F_NAME;
    } else if (cd_str_eq_c(tn, "EntityOrCommon")) {
        t->kind = CD_RT_EOC;
        allowed = F_NAME;
    } else if (cd_str_eq_c(tn, "Extension")) {
        t->kind = CD_RT_EXT;
        allowed = F_NAME;
    } else {
        t->kind = CD_RT_COMMON;
        if (!cd_schema_is_name(tn, true))
            return jerr(J, ty, tp, "invalid common type `%s`", show(J, tn)), NULL;
        t->name = tn;
    }
    int bad = tf->element && !(allowed & F_ELEM)       ? K_ELEMENT
              : tf->attrs && !(allowed & F_ATTRS)      ? K_ATTRIBUTES
              : tf->additional && !(allowed & F_ATTRS) ? K_ADDITIONAL
              : tf->name && !(allowed & F_NAME)        ? K_NAME
                                                       : -1;
    if (bad >= 0) {
        const jmem *m = got[bad];
        return cd_schema_err(J->rs, J->err, (cd_src){m->off, jkey(J, at, m->key)},
                             "unknown field `%s` for type `%s`", plain[bad], show(J, tn)),
               NULL;
    }
    return t;
}

/* The name of an entity, entity-or-common or extension type (nm). */
__attribute__((noinline)) static bool type_name_field(jparser *J, jv v, const cd_jpath *at,
                                                      cd_rtype *t, jv nm)
{
    if (!nm) return jerr(J, v, at, "missing field `name`");
    const cd_jpath *np = jkey(J, at, CD_STR_LIT("name"));
    if (t->kind != CD_RT_EXT)
        return type_name(J, nm, np, t->kind == CD_RT_EOC ? "entity or common type" : "entity type",
                         &t->name);
    if (!want(J, nm, CD_JT_STRING, np, "a string")) return false;
    t->name = jstr(nm);
    if (!cd_str_is_ident(t->name) || cd_schema_is_reserved_word(t->name) ||
        cd_schema_is_cedar_ns(t->name))
        return jerr(J, nm, np, "invalid extension type `%s`", show(J, t->name));
    return true;
}

/* A type object. In an attribute it may also carry "required" and
 * "annotations"; a common type definition may carry "annotations". */
static bool jtype(jparser *J, jv v, const cd_jpath *at, int where, const cd_rtype **out,
                  bool *required, cd_rannos *annos)
{
    if (cd_stack_low())
        return jerr(J, v, at,
                    "types are nested too deeply (the thread's stack is nearly exhausted)");
    tfields tf;
    cd_rtype *t = type_head(J, v, at, where, required, annos, &tf);
    if (!t) return false;
    switch (t->kind) {
    case CD_RT_SET:
        if (!tf.element) return jerr(J, v, at, "missing field `element`");
        if (!jtype(J, tf.element, jkey(J, at, CD_STR_LIT("element")), IN_PLAIN, &t->elem, NULL,
                   NULL))
            return false;
        break;
    case CD_RT_RECORD: {
        if (!tf.attrs) return jerr(J, v, at, "missing field `attributes`");
        const cd_jpath *ap = jkey(J, at, CD_STR_LIT("attributes"));
        if (!want(J, tf.attrs, CD_JT_OBJECT, ap, "an object of attributes")) return false;
        if (tf.additional) {
            if (!want(J, tf.additional, CD_JT_TRUE, jkey(J, at, CD_STR_LIT("additionalAttributes")),
                      "a boolean"))
                return false;
            t->open = tf.additional->kind == CD_JT_TRUE;
        }
        size_t i = 0;
        cd_rattr *a = CD_NEW_ARRAY(J->rs->arena, cd_rattr, tf.attrs->n);
        FOR_MEMBERS(m, tf.attrs)
        {
            a[i].name = m->key;
            a[i].required = true;
            if (!jtype(J, &m->val, jkey(J, ap, m->key), IN_ATTRIBUTE, &a[i].type, &a[i].required,
                       &a[i].annos))
                return false;
            i++;
        }
        t->n_attrs = i;
        t->attrs = a;
        break;
    }
    case CD_RT_ENTITY:
    case CD_RT_EOC:
    case CD_RT_EXT:
        if (!type_name_field(J, v, at, t, tf.name)) return false;
        break;
    default: break;
    }
    *out = t;
    return true;
}

/* An unqualified declared name (entity or common type). */
static bool decl_name(jparser *J, const jmem *m, const cd_jpath *p, const char *what)
{
    if (!cd_str_is_ident(m->key) || cd_schema_is_reserved_word(m->key))
        return cd_schema_err(J->rs, J->err, (cd_src){m->off, p}, "invalid %s name `%s`", what,
                             show(J, m->key));
    return true;
}

static bool entity_type(jparser *J, size_t ns, const jmem *m, const cd_jpath *at)
{
    static const char *const fields[] = {"memberOfTypes", "shape",       "tags",
                                         "enum",          "annotations", NULL};
    jv v = &m->val;
    if (!decl_name(J, m, at, "entity type")) return false;
    const jmem *got[5];
    if (!want(J, v, CD_JT_OBJECT, at, "an entity type definition object") ||
        !fields_of(J, v, at, "an entity type", fields, got))
        return false;
    cd_rentity e = {.ns = ns, .name = m->key, .src = {m->off, at}};
    jv member_of = val(got[0]), shape = val(got[1]), tags = val(got[2]), en = val(got[3]), f;
    if ((f = val(got[4])) && !annotations(J, f, jkey(J, at, got[4]->key), &e.annos)) return false;
    if (member_of && !name_list(J, member_of, jkey(J, at, CD_STR_LIT("memberOfTypes")),
                                &e.member_of, &e.n_member_of))
        return false;
    if (shape && !jtype(J, shape, jkey(J, at, CD_STR_LIT("shape")), IN_PLAIN, &e.shape, NULL, NULL))
        return false;
    if (tags && !jtype(J, tags, jkey(J, at, CD_STR_LIT("tags")), IN_PLAIN, &e.tags, NULL, NULL))
        return false;
    if (en) {
        const cd_jpath *p = jkey(J, at, CD_STR_LIT("enum"));
        if (member_of || shape || tags)
            return jerr(J, v, at, "unexpected field in an enumerated entity type: %s%s%s",
                        member_of ? "memberOfTypes " : "", shape ? "shape " : "",
                        tags ? "tags" : "");
        if (!want(J, en, CD_JT_ARRAY, p, "an array of entity ids")) return false;
        size_t n = en->n;
        if (n == 0) return jerr(J, en, p, "an enumerated entity type needs at least one id");
        cd_str *ids = CD_NEW_ARRAY(J->rs->arena, cd_str, n);
        for (size_t i = 0; i < n; i++) {
            jv id = &en->u.items[i];
            if (!want(J, id, CD_JT_STRING, jidx(J, p, i), "a string")) return false;
            ids[i] = jstr(id);
        }
        e.is_enum = true;
        e.n_enum = n;
        e.enum_ids = ids;
    }
    *(cd_rentity *)cd_vec_push(&J->rs->entities) = e;
    return true;
}

static bool applies_to(jparser *J, jv v, const cd_jpath *at, cd_raction *a)
{
    static const char *const fields[] = {"principalTypes", "resourceTypes", "context", NULL};
    const jmem *got[3];
    if (!want(J, v, CD_JT_OBJECT, at, "an object") ||
        !fields_of(J, v, at, "appliesTo", fields, got))
        return false;
    jv pt = val(got[0]), rt = val(got[1]), ctx = val(got[2]);
    if (!rt) return jerr(J, v, at, "missing field `resourceTypes`");
    if (!pt) return jerr(J, v, at, "missing field `principalTypes`");
    a->has_applies_to = true;
    return name_list(J, pt, jkey(J, at, CD_STR_LIT("principalTypes")), &a->principals,
                     &a->n_principals) &&
           name_list(J, rt, jkey(J, at, CD_STR_LIT("resourceTypes")), &a->resources,
                     &a->n_resources) &&
           (!ctx ||
            jtype(J, ctx, jkey(J, at, CD_STR_LIT("context")), IN_PLAIN, &a->context, NULL, NULL));
}

static bool member_of(jparser *J, jv v, const cd_jpath *at, cd_raction *a)
{
    static const char *const fields[] = {"id", "type", NULL};
    if (!want(J, v, CD_JT_ARRAY, at, "an array of action references")) return false;
    size_t n = v->n;
    cd_rparent *ps = CD_NEW_ARRAY(J->rs->arena, cd_rparent, n);
    for (size_t i = 0; i < n; i++) {
        jv e = &v->u.items[i];
        const cd_jpath *p = jidx(J, at, i);
        ps[i].src = src_of(e, p);
        const jmem *got[2];
        if (!want(J, e, CD_JT_OBJECT, p, "an object with `id` and optionally `type`") ||
            !fields_of(J, e, p, "an action reference", fields, got))
            return false;
        jv id = val(got[0]), ty = val(got[1]);
        if (!id) return jerr(J, e, p, "missing field `id`");
        if (!want(J, id, CD_JT_STRING, jkey(J, p, CD_STR_LIT("id")), "a string")) return false;
        ps[i].id = jstr(id);
        if (ty && ty->kind != CD_JT_NULL) {
            if (!type_name(J, ty, jkey(J, p, CD_STR_LIT("type")), "action type", &ps[i].type))
                return false;
            ps[i].has_type = true;
        }
    }
    a->has_member_of = true;
    a->member_of = ps;
    a->n_member_of = n;
    return true;
}

static bool action(jparser *J, size_t ns, const jmem *m, const cd_jpath *at)
{
    static const char *const fields[] = {"attributes", "appliesTo", "memberOf", "annotations",
                                         NULL};
    jv v = &m->val;
    const jmem *got[4];
    if (!want(J, v, CD_JT_OBJECT, at, "an action definition object") ||
        !fields_of(J, v, at, "an action", fields, got))
        return false;
    cd_raction a = {.ns = ns, .name = m->key, .src = {m->off, at}};
    jv f;
    if ((f = val(got[0])) && f->kind != CD_JT_NULL)
        return jerr(J, f, jkey(J, at, got[0]->key), "action attributes are not supported");
    if ((f = val(got[3])) && !annotations(J, f, jkey(J, at, got[3]->key), &a.annos)) return false;
    if ((f = val(got[2])) && f->kind != CD_JT_NULL &&
        !member_of(J, f, jkey(J, at, got[2]->key), &a))
        return false;
    if ((f = val(got[1])) && f->kind != CD_JT_NULL &&
        !applies_to(J, f, jkey(J, at, got[1]->key), &a))
        return false;
    *(cd_raction *)cd_vec_push(&J->rs->actions) = a;
    return true;
}

static bool common_type(jparser *J, size_t ns, const jmem *m, const cd_jpath *at)
{
    if (!decl_name(J, m, at, "common type")) return false;
    cd_rcommon c = {.ns = ns, .name = m->key, .src = {m->off, at}};
    if (!jtype(J, &m->val, at, IN_COMMON_TYPE, &c.type, NULL, &c.annos)) return false;
    *(cd_rcommon *)cd_vec_push(&J->rs->commons) = c;
    return true;
}

typedef bool (*decl_fn)(jparser *, size_t, const jmem *, const cd_jpath *);

static bool decls(jparser *J, size_t ns, jv v, const cd_jpath *at, decl_fn fn)
{
    if (!want(J, v, CD_JT_OBJECT, at, "an object")) return false;
    FOR_MEMBERS(m, v)
    if (!fn(J, ns, m, jkey(J, at, m->key))) return false;
    return true;
}

static bool namespace_def(jparser *J, const jmem *m)
{
    static const char *const fields[] = {"commonTypes", "entityTypes", "actions", "annotations",
                                         NULL};
    const cd_jpath *at = jkey(J, NULL, m->key);
    jv v = &m->val;
    cd_rns *n = cd_vec_push(&J->rs->nss);
    size_t ns = J->rs->nss.len - 1;
    n->has_name = m->key.len > 0;
    n->name = m->key;
    n->src = (cd_src){m->off, at};
    if (n->has_name && !cd_schema_is_name(m->key, false))
        return cd_schema_err(J->rs, J->err, n->src, "invalid namespace `%s`", show(J, m->key));
    const jmem *got[4];
    if (!want(J, v, CD_JT_OBJECT, at, "a namespace definition object") ||
        !fields_of(J, v, at, "a namespace", fields, got))
        return false;
    jv f;
    if ((f = val(got[3]))) {
        const cd_jpath *p = jkey(J, at, got[3]->key);
        if (!annotations(J, f, p, &CD_VEC_AT(&J->rs->nss, cd_rns, ns).annos)) return false;
        if (!m->key.len && f->n)
            return jerr(J, f, p, "annotations are not allowed on the empty namespace");
    }
    jv ct = val(got[0]), et = val(got[1]), ac = val(got[2]);
    if (!et) return jerr(J, v, at, "missing field `entityTypes`");
    if (!ac) return jerr(J, v, at, "missing field `actions`");
    return (!ct || decls(J, ns, ct, jkey(J, at, CD_STR_LIT("commonTypes")), common_type)) &&
           decls(J, ns, et, jkey(J, at, CD_STR_LIT("entityTypes")), entity_type) &&
           decls(J, ns, ac, jkey(J, at, CD_STR_LIT("actions")), action);
}

bool cd_rschema_parse_json(cd_rschema *rs, cd_err *err)
{
    size_t bad = cd_utf8_check(rs->text, rs->len);
    if (rs->len > UINT32_MAX - 1)
        return cd_schema_err(rs, err, (cd_src){0, NULL}, "schema text is too large");
    if (bad != rs->len)
        return cd_schema_err(rs, err, (cd_src){(uint32_t)bad, NULL},
                             "invalid UTF-8 in JSON schema");
    /* Duplicate keys are an error. The raw schema points into the tree's
     * strings, in the raw schema's arena. */
    const cd_jt *root = cd_jt_parse(rs->text, rs->len, rs->file, err, rs->arena);
    if (!root) return false;
    jparser J = {.rs = rs, .err = err};
    if (root->kind != CD_JT_OBJECT)
        return jerr(&J, root, NULL,
                    "a JSON schema must be an object mapping namespace names to "
                    "namespace definitions");
    FOR_MEMBERS(m, root)
    if (!namespace_def(&J, m)) return false;
    return true;
}

cd_schema *cd_schema_parse_json(const char *text, size_t len, const char *file, cd_err *err)
{
    cd_rschema rs;
    if (!text) len = 0;
    cd_rschema_init(&rs, text ? text : "", len, file);
    cd_schema *s = cd_rschema_parse_json(&rs, err) ? cd_schema_resolve(&rs, err) : NULL;
    cd_rschema_free(&rs);
    return s;
}

static void put_jstep(cd_buf *b, const cd_jpath *jp)
{
    if (jp->up && !jp->is_index) cd_buf_putc(b, '.');
    if (jp->is_index) {
        cd_buf_printf(b, "[%zu]", jp->index);
    } else if (jp->key.len == 0) {
        cd_buf_puts(b, "\"\"");
    } else {
        for (size_t i = 0; i < jp->key.len && i < 60; i++) {
            unsigned char c = (unsigned char)jp->key.ptr[i];
            if (c < 0x20 || c == 0x7f)
                cd_buf_printf(b, "\\u{%x}", c);
            else
                cd_buf_putc(b, (char)c);
        }
    }
}

/* The steps from the top down. A loop, not a recursion: a message about a
 * type where the stack ran low (cd_stack.h) is printed there. */
void cd_schema_json_path_print(cd_buf *b, const cd_jpath *jp)
{
    size_t n = 0;
    for (const cd_jpath *q = jp; q; q = q->up)
        n++;
    if (!n) return;
    const cd_jpath **steps = malloc(n * sizeof *steps);
    if (!steps) abort();
    size_t i = n;
    for (const cd_jpath *q = jp; q; q = q->up)
        steps[--i] = q;
    for (i = 0; i < n; i++)
        put_jstep(b, steps[i]);
    free(steps);
}
