/* cd_validate_type.c: the validator's types: subtyping, least upper bounds,
 * disjointness and printing, as the official types.rs defines them.
 *
 * `strict` selects the strict-mode rules: entity unions are never formed,
 * records are compared by depth only (no width subtyping) and attributes
 * must agree on optionality.
 */
#include <stdlib.h>
#include <string.h>

#include "cd_ext.h"
#include "cd_schema.h"
#include "cd_vtype.h"

const cd_vtype cd_vt_never = {.kind = CD_VT_NEVER};
const cd_vtype cd_vt_bool = {.kind = CD_VT_BOOL};
const cd_vtype cd_vt_true = {.kind = CD_VT_TRUE};
const cd_vtype cd_vt_false = {.kind = CD_VT_FALSE};
const cd_vtype cd_vt_long = {.kind = CD_VT_LONG};
const cd_vtype cd_vt_string = {.kind = CD_VT_STRING};
const cd_vtype cd_vt_any_entity = {.kind = CD_VT_ANY_ENTITY};
const cd_vtype cd_vt_any_set = {.kind = CD_VT_SET, .u.elem = NULL};
/* Open and without attributes: a supertype of every record (with width subtyping). */
const cd_vtype cd_vt_any_record = {.kind = CD_VT_RECORD, .u.rec = {0, NULL, true}};

static const cd_vtype ext_types[] = {
    {.kind = CD_VT_EXT, .u.ext = CD_EXT_DECIMAL},
    {.kind = CD_VT_EXT, .u.ext = CD_EXT_IPADDR},
    {.kind = CD_VT_EXT, .u.ext = CD_EXT_DATETIME},
    {.kind = CD_VT_EXT, .u.ext = CD_EXT_DURATION},
};

const cd_vtype *cd_vt_ext(cd_extkind k)
{
    return &ext_types[k];
}

const cd_vtype *cd_vt_entity(cd_arena *a, const cd_name *n)
{
    cd_vtype *t = CD_NEW(a, cd_vtype);
    const cd_name **names = CD_NEW_ARRAY(a, const cd_name *, 1);
    names[0] = n;
    t->kind = CD_VT_ENTITY;
    t->u.lub.n = 1;
    t->u.lub.names = names;
    return t;
}

const cd_vtype *cd_vt_set(cd_arena *a, const cd_vtype *elem)
{
    cd_vtype *t = CD_NEW(a, cd_vtype);
    t->kind = CD_VT_SET;
    t->u.elem = elem;
    return t;
}

static int cmp_attr(const void *x, const void *y)
{
    return cd_str_cmp(((const cd_vattr *)x)->name, ((const cd_vattr *)y)->name);
}

const cd_vtype *cd_vt_record(cd_arena *a, cd_vattr *attrs, size_t n, bool open)
{
    cd_vtype *t = CD_NEW(a, cd_vtype);
    cd_vattr *copy = CD_NEW_ARRAY(a, cd_vattr, n ? n : 1);
    if (n) memcpy(copy, attrs, n * sizeof *attrs);
    qsort(copy, n, sizeof *copy, cmp_attr);
    t->kind = CD_VT_RECORD;
    t->u.rec = (cd_vrec){n, copy, open};
    return t;
}

const cd_vattr *cd_vt_rec_get(const cd_vrec *r, cd_str name)
{
    return cd_str_search(r->attrs, r->n, sizeof *r->attrs, name);
}

/* ---- entity unions ------------------------------------------------------ */

static int name_cmp(const cd_name *a, const cd_name *b)
{
    return a == b ? 0 : cd_str_cmp(cd_name_str(a), cd_name_str(b));
}

bool cd_vt_lub_eq(const cd_vlub *a, const cd_vlub *b)
{
    if (a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->names[i] != b->names[i]) return false;
    return true;
}

bool cd_vt_lub_has(const cd_vlub *l, const cd_name *n)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->names[i] == n) return true;
    return false;
}

static bool lub_subset(const cd_vlub *a, const cd_vlub *b)
{
    for (size_t i = 0; i < a->n; i++)
        if (!cd_vt_lub_has(b, a->names[i])) return false;
    return true;
}

static const cd_vtype *lub_union(cd_arena *ar, const cd_vlub *a, const cd_vlub *b)
{
    const cd_name **names = CD_NEW_ARRAY(ar, const cd_name *, a->n + b->n);
    size_t i = 0, j = 0, n = 0;
    while (i < a->n || j < b->n) {
        int c = i == a->n ? 1 : j == b->n ? -1 : name_cmp(a->names[i], b->names[j]);
        if (c <= 0) {
            names[n++] = a->names[i++];
            if (c == 0) j++;
        } else {
            names[n++] = b->names[j++];
        }
    }
    cd_vtype *t = CD_NEW(ar, cd_vtype);
    t->kind = CD_VT_ENTITY;
    t->u.lub = (cd_vlub){n, names};
    return t;
}

/* ---- subtyping ------------------------------------------------------------- */

static bool attr_subtype(const cd_vattr *a, const cd_vattr *b, bool strict)
{
    bool qual = strict ? a->required == b->required : a->required || !b->required;
    return qual && cd_vt_subtype(a->type, b->type, strict);
}

/* Every attribute of b is in a with a subtype. */
static bool attrs_subtype(const cd_vrec *a, const cd_vrec *b, bool strict)
{
    for (size_t i = 0; i < b->n; i++) {
        const cd_vattr *x = cd_vt_rec_get(a, b->attrs[i].name);
        if (!x || !attr_subtype(x, &b->attrs[i], strict)) return false;
    }
    return true;
}

static bool same_keys(const cd_vrec *a, const cd_vrec *b)
{
    if (a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++)
        if (!cd_str_eq(a->attrs[i].name, b->attrs[i].name)) return false;
    return true;
}

static bool is_bool(cd_vtkind k)
{
    return k == CD_VT_BOOL || k == CD_VT_TRUE || k == CD_VT_FALSE;
}

bool cd_vt_subtype(const cd_vtype *a, const cd_vtype *b, bool strict)
{
    /* reflexive; schema types share common types, so this also keeps
     * comparing a DAG with itself from walking every path through it */
    if (a == b || a->kind == CD_VT_NEVER) return true;
    if (is_bool(a->kind) && is_bool(b->kind)) return a->kind == b->kind || b->kind == CD_VT_BOOL;
    switch (a->kind) {
    case CD_VT_LONG:
    case CD_VT_STRING: return b->kind == a->kind;
    case CD_VT_SET:
        if (b->kind != CD_VT_SET) return false;
        if (!b->u.elem) return true;
        if (!a->u.elem) return false;
        return cd_vt_subtype(a->u.elem, b->u.elem, strict);
    case CD_VT_RECORD: {
        if (b->kind != CD_VT_RECORD) return false;
        const cd_vrec *x = &a->u.rec, *y = &b->u.rec;
        /* an open record type is never a subtype of a closed one */
        if (x->open && !y->open) return false;
        /* width subtyping only towards an open record, and not in strict mode */
        if (y->open && !strict && attrs_subtype(x, y, strict)) return true;
        return same_keys(x, y) && attrs_subtype(x, y, strict);
    }
    case CD_VT_ENTITY:
        if (b->kind == CD_VT_ANY_ENTITY) return !strict;
        if (b->kind != CD_VT_ENTITY) return false;
        return strict ? cd_vt_lub_eq(&a->u.lub, &b->u.lub) : lub_subset(&a->u.lub, &b->u.lub);
    case CD_VT_ANY_ENTITY: return b->kind == CD_VT_ANY_ENTITY;
    case CD_VT_EXT: return b->kind == CD_VT_EXT && a->u.ext == b->u.ext;
    default: return false;
    }
}

/* ---- least upper bounds ------------------------------------------------------ */

static bool attr_lub(cd_arena *ar, const cd_vattr *a, const cd_vattr *b, bool strict, cd_vattr *out,
                     cd_lub_why *why)
{
    const cd_vtype *t = cd_vt_lub(ar, a->type, b->type, strict, why);
    if (!t) return false;
    if (strict && a->required != b->required) {
        *why = CD_LUB_ATTR_QUALIFIER;
        return false;
    }
    *out = (cd_vattr){a->name, t, a->required && b->required};
    return true;
}

cd_vrec cd_vt_rec_permissive_lub(cd_arena *ar, cd_vrec a, cd_vrec b)
{
    cd_vattr *v = CD_NEW_ARRAY(ar, cd_vattr, a.n ? a.n : 1);
    size_t n = 0;
    for (size_t i = 0; i < a.n; i++) {
        const cd_vattr *y = cd_vt_rec_get(&b, a.attrs[i].name);
        cd_lub_why why;
        if (y && attr_lub(ar, &a.attrs[i], y, false, &v[n], &why)) n++;
    }
    return (cd_vrec){n, v, false};
}

static const cd_vtype *record_lub(cd_arena *ar, const cd_vrec *a, const cd_vrec *b, bool strict,
                                  cd_lub_why *why)
{
    cd_vrec r;
    if (strict) {
        if (!same_keys(a, b)) {
            *why = CD_LUB_RECORD_WIDTH;
            return NULL;
        }
        cd_vattr *v = CD_NEW_ARRAY(ar, cd_vattr, a->n ? a->n : 1);
        for (size_t i = 0; i < a->n; i++)
            if (!attr_lub(ar, &a->attrs[i], &b->attrs[i], true, &v[i], why)) return NULL;
        r = (cd_vrec){a->n, v, false};
    } else {
        r = cd_vt_rec_permissive_lub(ar, *a, *b);
    }
    /* open when either is, or when attributes were dropped (then a value may
     * have attributes the lub does not list) */
    size_t all = a->n;
    for (size_t i = 0; i < b->n; i++)
        if (!cd_vt_rec_get(a, b->attrs[i].name)) all++;
    r.open = a->open || b->open || r.n != all;
    cd_vtype *t = CD_NEW(ar, cd_vtype);
    t->kind = CD_VT_RECORD;
    t->u.rec = r;
    return t;
}

const cd_vtype *cd_vt_lub(cd_arena *ar, const cd_vtype *a, const cd_vtype *b, bool strict,
                          cd_lub_why *why)
{
    if (cd_vt_subtype(a, b, strict)) return b;
    if (cd_vt_subtype(b, a, strict)) return a;
    *why = CD_LUB_NONE;
    if (is_bool(a->kind) && is_bool(b->kind)) return &cd_vt_bool;
    if (a->kind == CD_VT_SET && b->kind == CD_VT_SET) {
        if (!a->u.elem || !b->u.elem) return &cd_vt_any_set;
        const cd_vtype *e = cd_vt_lub(ar, a->u.elem, b->u.elem, strict, why);
        return e ? cd_vt_set(ar, e) : NULL;
    }
    if (a->kind == CD_VT_RECORD && b->kind == CD_VT_RECORD)
        return record_lub(ar, &a->u.rec, &b->u.rec, strict, why);
    bool ea = a->kind == CD_VT_ENTITY || a->kind == CD_VT_ANY_ENTITY;
    bool eb = b->kind == CD_VT_ENTITY || b->kind == CD_VT_ANY_ENTITY;
    if (ea && eb) {
        if (strict) {
            *why = CD_LUB_ENTITY_TYPE;
            return NULL;
        }
        if (a->kind == CD_VT_ENTITY && b->kind == CD_VT_ENTITY)
            return lub_union(ar, &a->u.lub, &b->u.lub);
        return &cd_vt_any_entity;
    }
    if ((ea && b->kind == CD_VT_RECORD) || (eb && a->kind == CD_VT_RECORD))
        *why = CD_LUB_ENTITY_RECORD;
    return NULL;
}

const char *cd_vt_lub_why_text(cd_lub_why w)
{
    switch (w) {
    case CD_LUB_ATTR_QUALIFIER:
        return "corresponding attributes of compatible record types must have the same "
               "optionality, either both being required or both being optional";
    case CD_LUB_RECORD_WIDTH:
        return "compatible record types must have exactly the same attributes";
    case CD_LUB_ENTITY_TYPE:
        return "different entity types are never compatible even when their attributes would be "
               "compatible";
    case CD_LUB_ENTITY_RECORD:
        return "entity and record types are never compatible even when their attributes would be "
               "compatible";
    case CD_LUB_NONE: break;
    }
    return "types must be exactly equal to be compatible";
}

/* ---- equality, disjointness ------------------------------------------------------ */

bool cd_vt_eq(const cd_vtype *a, const cd_vtype *b)
{
    if (a == b) return true;
    if (!a || !b || a->kind != b->kind) return false;
    switch (a->kind) {
    case CD_VT_ENTITY: return cd_vt_lub_eq(&a->u.lub, &b->u.lub);
    case CD_VT_SET: return cd_vt_eq(a->u.elem, b->u.elem);
    case CD_VT_RECORD:
        if (a->u.rec.open != b->u.rec.open || !same_keys(&a->u.rec, &b->u.rec)) return false;
        for (size_t i = 0; i < a->u.rec.n; i++)
            if (a->u.rec.attrs[i].required != b->u.rec.attrs[i].required ||
                !cd_vt_eq(a->u.rec.attrs[i].type, b->u.rec.attrs[i].type))
                return false;
        return true;
    case CD_VT_EXT: return a->u.ext == b->u.ext;
    default: return true;
    }
}

bool cd_vt_disjoint(const cd_vtype *a, const cd_vtype *b)
{
    /* only entity unions are known to be disjoint: sets of any two types
     * share the empty set, and so on */
    if (a->kind != CD_VT_ENTITY || b->kind != CD_VT_ENTITY) return false;
    for (size_t i = 0; i < a->u.lub.n; i++)
        if (cd_vt_lub_has(&b->u.lub, a->u.lub.names[i])) return false;
    return true;
}

/* ---- printing ------------------------------------------------------------------ */

/* As cd_type_print: at most about CD_TYPE_PRINT_MAX bytes, then `...`. */
static void vt_print(cd_buf *b, const cd_vtype *t, size_t stop)
{
    if (!t) {
        cd_buf_puts(b, "(unknown)");
        return;
    }
    if (b->len >= stop) {
        cd_buf_puts(b, "...");
        return;
    }
    switch (t->kind) {
    case CD_VT_NEVER: cd_buf_puts(b, "Never"); break;
    case CD_VT_BOOL: cd_buf_puts(b, "Bool"); break;
    case CD_VT_TRUE: cd_buf_puts(b, "Bool (always true)"); break;
    case CD_VT_FALSE: cd_buf_puts(b, "Bool (always false)"); break;
    case CD_VT_LONG: cd_buf_puts(b, "Long"); break;
    case CD_VT_STRING: cd_buf_puts(b, "String"); break;
    case CD_VT_ANY_ENTITY: cd_buf_puts(b, "an entity"); break;
    case CD_VT_ENTITY:
        for (size_t i = 0; i < t->u.lub.n; i++) {
            if (i) cd_buf_puts(b, " | ");
            cd_buf_put(b, t->u.lub.names[i]->text, t->u.lub.names[i]->len);
        }
        break;
    case CD_VT_SET:
        cd_buf_puts(b, "Set<");
        if (t->u.elem)
            vt_print(b, t->u.elem, stop);
        else
            cd_buf_puts(b, "_");
        cd_buf_putc(b, '>');
        break;
    case CD_VT_RECORD:
        if (t == &cd_vt_any_record) {
            cd_buf_puts(b, "a record");
            break;
        }
        cd_buf_putc(b, '{');
        for (size_t i = 0; i < t->u.rec.n; i++) {
            const cd_vattr *a = &t->u.rec.attrs[i];
            if (i) cd_buf_puts(b, ", ");
            if (cd_str_is_ident(a->name))
                cd_buf_put(b, a->name.ptr, a->name.len);
            else
                cd_print_quoted(b, a->name);
            cd_buf_puts(b, a->required ? ": " : "?: ");
            vt_print(b, a->type, stop);
        }
        if (t->u.rec.open) cd_buf_puts(b, t->u.rec.n ? ", .." : "..");
        cd_buf_putc(b, '}');
        break;
    case CD_VT_EXT: cd_buf_puts(b, cd_extkind_name(t->u.ext)); break;
    }
}

void cd_vt_print(cd_buf *b, const cd_vtype *t)
{
    vt_print(b, t, b->len + CD_TYPE_PRINT_MAX);
}
