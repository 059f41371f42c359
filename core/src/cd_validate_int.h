/* cd_validate_int.h: the validator's internal structures, shared by the
 * cd_validate_*.c files. Not part of any public interface.
 *
 * Types (cd_vtype) are the official typechecker's `Type` (types.rs):
 *
 *   Never                      the bottom type (element type of `[]`)
 *   Bool | True | False        booleans; True/False are the singleton types
 *                              that make short-circuiting and impossible
 *                              policies visible
 *   Long | String
 *   Entity{E1, ..., En}        an entity of one of these types (an entity
 *                              "least upper bound"; n > 1 only in permissive
 *                              mode); attributes are looked up in the schema
 *   AnyEntity                  any entity (unlinked template slots)
 *   Set<T>                     T == NULL only in expected types: any set
 *   Record{a: T, b?: T, ...}   attributes sorted by name; `open` when values
 *                              may have attributes that are not listed
 *   decimal | ipaddr | datetime | duration
 *
 * A typechecking answer (cd_ans) is the official TypecheckAnswer: `ok` is
 * TypecheckSuccess vs TypecheckFail, `ty` the (recovery) type or NULL for
 * none, and `caps` the capability set: the (expression, attribute) and
 * (expression, tag) pairs known to exist when the expression evaluates to
 * true (meaningful only when ok). Capabilities compare expressions by shape
 * (structure, ignoring source locations), as the official ExprShapeOnly does.
 */
#ifndef CD_VALIDATE_INT_H
#define CD_VALIDATE_INT_H

#include "cd_validate.h"

/* ---- types ---------------------------------------------------------------- */

typedef enum cd_vtkind {
    CD_VT_NEVER,
    CD_VT_BOOL,
    CD_VT_TRUE,
    CD_VT_FALSE,
    CD_VT_LONG,
    CD_VT_STRING,
    CD_VT_ENTITY,     /* u.lub */
    CD_VT_ANY_ENTITY, /* */
    CD_VT_SET,        /* u.elem (NULL: any set) */
    CD_VT_RECORD,     /* u.rec */
    CD_VT_EXT,        /* u.ext */
} cd_vtkind;

typedef struct cd_vtype cd_vtype;

typedef struct cd_vattr {
    cd_str name;
    const cd_vtype *type;
    bool required;
} cd_vattr;

/* A set of entity types: sorted by name text (as the official BTreeSet), unique, n >= 1. */
typedef struct cd_vlub {
    size_t n;
    const cd_name *const *names;
} cd_vlub;

typedef struct cd_vrec {
    size_t n;
    const cd_vattr *attrs; /* sorted by name (cd_str_cmp), unique */
    bool open;
} cd_vrec;

struct cd_vtype {
    cd_vtkind kind;
    union {
        cd_vlub lub;
        const cd_vtype *elem;
        cd_vrec rec;
        cd_extkind ext;
    } u;
};

extern const cd_vtype cd_vt_never, cd_vt_bool, cd_vt_true, cd_vt_false, cd_vt_long, cd_vt_string,
    cd_vt_any_entity, cd_vt_any_set, cd_vt_any_record;

const cd_vtype *cd_vt_ext(cd_extkind k);
const cd_vtype *cd_vt_entity(cd_arena *a, const cd_name *n);
const cd_vtype *cd_vt_set(cd_arena *a, const cd_vtype *elem);
/* A record type from attributes in any order with unique names (copied and sorted). */
const cd_vtype *cd_vt_record(cd_arena *a, cd_vattr *attrs, size_t n, bool open);
static inline const cd_vtype *cd_vt_singleton(bool b)
{
    return b ? &cd_vt_true : &cd_vt_false;
}
static inline bool cd_vt_is_bool(const cd_vtype *t, cd_vtkind k)
{
    return t && t->kind == k;
}

/* Why a least upper bound does not exist (the official LubHelp). */
typedef enum cd_lub_why {
    CD_LUB_NONE,           /* types must be exactly equal */
    CD_LUB_ATTR_QUALIFIER, /* required vs optional attribute (strict) */
    CD_LUB_RECORD_WIDTH,   /* different attribute names (strict) */
    CD_LUB_ENTITY_TYPE,    /* different entity types (strict) */
    CD_LUB_ENTITY_RECORD,  /* an entity and a record */
} cd_lub_why;

const char *cd_lub_why_text(cd_lub_why w);

bool cd_vt_subtype(const cd_vtype *a, const cd_vtype *b, bool strict);
/* The least upper bound, or NULL with *why set. */
const cd_vtype *cd_vt_lub(cd_arena *ar, const cd_vtype *a, const cd_vtype *b, bool strict,
                          cd_lub_why *why);
/* Attribute-map lub keeping only the attributes both have whose types have a
 * (permissive) lub; used for the attributes of an entity union. */
cd_vrec cd_vrec_permissive_lub(cd_arena *ar, cd_vrec a, cd_vrec b);
/* Structural equality. */
bool cd_vt_eq(const cd_vtype *a, const cd_vtype *b);
bool cd_vlub_eq(const cd_vlub *a, const cd_vlub *b);
bool cd_vlub_has(const cd_vlub *l, const cd_name *n);
/* Two entity unions without a common type: `==` between them is false. */
bool cd_vt_disjoint(const cd_vtype *a, const cd_vtype *b);
const cd_vattr *cd_vrec_get(const cd_vrec *r, cd_str name);
/* Schema-like text: Bool, Set<Long>, {a: Long, b?: String}, User, ... */
void cd_vt_print(cd_buf *b, const cd_vtype *t);

/* ---- the schema, prepared for typechecking ---------------------------------- */

typedef struct cd_vent {
    const cd_entity_decl *decl;
    cd_vrec attrs;        /* open when the JSON schema says additionalAttributes */
    const cd_vtype *tags; /* NULL: no tags */
    size_t n_desc;        /* entity types that can be `in` an entity of this type */
    const cd_name **desc; /* (transitively), sorted by pointer */
} cd_vent;

typedef struct cd_vact {
    const cd_action_decl *decl;
    const cd_vtype *context; /* a record type */
    size_t n_desc;           /* actions that are (transitively) in this one */
    const cd_action_decl **desc;
} cd_vact;

typedef struct cd_vschema {
    const cd_schema *s;
    cd_arena *arena;
    cd_vent *ents; /* parallel to s->entities */
    cd_vact *acts; /* parallel to s->actions */
} cd_vschema;

void cd_vschema_init(cd_vschema *vs, const cd_schema *s, cd_arena *arena);
const cd_vent *cd_vschema_ent(const cd_vschema *vs, const cd_name *type);
const cd_vact *cd_vschema_act(const cd_vschema *vs, const cd_uid *uid);
bool cd_vent_has_desc(const cd_vent *e, const cd_name *n);
bool cd_vact_has_desc(const cd_vact *a, const cd_action_decl *d);
/* The official EntityType::is_action: the last name component is `Action`. */
bool cd_v_is_action_type(const cd_name *n);
/* Is `type` an entity type the validator knows (declared, or an action type)? */
bool cd_vschema_knows_type(const cd_vschema *vs, const cd_name *type);
/* Can some entity of type lhs be `in` some entity of type rhs (entity or action hierarchy)? */
bool cd_vschema_may_be_in(const cd_vschema *vs, const cd_name *lhs, const cd_name *rhs);

/* ---- request environments ---------------------------------------------------- */

typedef struct cd_venv {
    const cd_name *principal, *resource;
    const cd_vact *action;
    const cd_name *principal_slot, *resource_slot; /* NULL: no slot (AnyEntity) */
} cd_venv;

/* ---- capabilities -------------------------------------------------------------- */

typedef struct cd_cap {
    const cd_expr *on;
    bool is_tag;
    cd_str attr;        /* attribute capability */
    const cd_expr *tag; /* tag capability */
    uint64_t key;       /* a hash of the above by expression shape (cd_validate_cap.c) */
} cd_cap;

/* A set of capabilities: layers of caps sorted by key, each layer at least
 * as big as the sum of those above it (so at most log2(n) layers; adding to a
 * set merges the small top layers, as a binary counter carries). Sets are
 * never changed, only shared: membership is a binary search per layer, and
 * `e has a.b.c...` (n capabilities keyed by ever longer access paths, added
 * one at a time) costs O(n log n) copies instead of n^2, and lookups by hash
 * instead of comparing expressions (n^4 before). */
typedef struct cd_capl {
    size_t n;
    const cd_cap *v; /* sorted by key */
    const struct cd_capl *next;
} cd_capl;

typedef struct cd_caps {
    size_t n; /* in all layers */
    const cd_capl *top;
} cd_caps;

typedef struct cd_tc cd_tc;

/* The official AST builder folds `&&` and `||` of two boolean literals into
 * a literal (so `true && false` is the literal `false` wherever literals
 * matter: `==` between literals, constructor arguments, shapes). True when e
 * is such a literal, with its value in *b. */
bool cd_v_bool_lit(const cd_expr *e, bool *b);
/* Same expression shape: equal ignoring source locations (after folding). */
bool cd_expr_same(const cd_expr *a, const cd_expr *b);
cd_caps cd_caps_union(cd_tc *tc, cd_caps a, cd_caps b);
cd_caps cd_caps_intersect(cd_tc *tc, cd_caps a, cd_caps b);
cd_caps cd_caps_attr(cd_tc *tc, const cd_expr *on, cd_str attr);
cd_caps cd_caps_tag(cd_tc *tc, const cd_expr *on, const cd_expr *tag);
bool cd_caps_has_attr(cd_tc *tc, cd_caps c, const cd_expr *on, cd_str attr);
bool cd_caps_has_tag(cd_tc *tc, cd_caps c, const cd_expr *on, const cd_expr *tag);
/* Frees the typechecker's memo of expression hashes. */
void cd_caps_done(cd_tc *tc);

/* ---- the typechecker --------------------------------------------------------- */

typedef struct cd_ans {
    bool ok;
    const cd_vtype *ty;
    cd_caps caps;
} cd_ans;

/* The attribute path (a chain `x.a.b...`, cd_ast.h) being typechecked, for
 * the messages of cd_tc_attr_error: its nodes innermost first, the index of
 * the node being checked, and the types of the path's positions once a
 * message needed them (types[0] the first term's, types[j] nodes[j-1]'s),
 * computed once per path: a message per step must not walk the whole path. */
typedef struct cd_tc_path {
    const cd_expr *const *nodes;
    size_t n, at;
    const cd_vtype **types;
} cd_tc_path;

struct cd_tc {
    const cd_vschema *vs;
    bool strict;
    const cd_venv *env;
    cd_arena *arena;              /* types, capabilities, messages: one environment */
    cd_vec errors;                /* cd_verror found in this environment */
    int mute;                     /* > 0: typechecking again only for a message, report nothing */
    cd_tc_path path;              /* nodes == NULL: none */
    struct cd_shape_memo *shapes; /* expression hashes (cd_validate_cap.c), heap */
};

/* Which hint an unexpected type gets (the official UnexpectedTypeHelp
 * chosen per operator from the actual type). */
typedef enum cd_vhelp {
    CD_H_NONE,
    CD_H_HAS,      /* operand of `has` */
    CD_H_LIKE,     /* operand of `like` */
    CD_H_IS,       /* operand of `is` */
    CD_H_IN_LHS,   /* left of `in` */
    CD_H_IN_RHS,   /* right of `in` */
    CD_H_CONTAINS, /* receiver of contains/containsAll/containsAny */
    CD_H_SET_ARG,  /* argument of containsAll/containsAny */
    CD_H_IS_EMPTY, /* receiver of isEmpty */
    CD_H_ADD,      /* operands of + */
    CD_H_ARITH,    /* operands of - and * */
} cd_vhelp;

cd_ans cd_tc_expr(cd_tc *tc, cd_caps prior, const cd_expr *e);
/* Typecheck e and require a subtype (width subtyping allowed) of one of the
 * n expected types; otherwise report an unexpected type and answer a
 * failure without type. */
cd_ans cd_tc_expect(cd_tc *tc, cd_caps prior, const cd_expr *e, const cd_vtype *const *expected,
                    size_t n, cd_vhelp help);
cd_ans cd_tc_expect1(cd_tc *tc, cd_caps prior, const cd_expr *e, const cd_vtype *expected,
                     cd_vhelp help);
/* The rules of cd_validate_ops.c: binary operators, `in`, tags and
 * extension functions. */
cd_ans cd_tc_binary(cd_tc *tc, cd_caps prior, const cd_expr *e);
/* A chain of `+`, `-`, `*` (cd_ast.h), its nodes innermost first. */
cd_ans cd_tc_arith_chain(cd_tc *tc, cd_caps prior, const cd_expr *const *nodes, size_t n);
cd_ans cd_tc_call(cd_tc *tc, cd_caps prior, const cd_expr *e);
/* The least upper bound of n types (NULL entries: no lub, no error); on
 * failure reports incompatible types at loc and returns NULL. */
const cd_vtype *cd_tc_lub_or_error(cd_tc *tc, cd_loc loc, const cd_vtype *const *tys, size_t n,
                                   const char *context);
/* The attributes of an entity (union) or record type; false for other types. */
bool cd_tc_attrs_of(cd_tc *tc, const cd_vtype *t, cd_vrec *out);
/* Attribute of an entity or record type (NULL: not known to exist). */
const cd_vattr *cd_tc_attr(cd_tc *tc, const cd_vtype *t, cd_str name);
bool cd_tc_may_have_attr(cd_tc *tc, const cd_vtype *t, cd_str name);

/* Tag types an entity of this type may have (entity types without tags
 * are ignored). Returns the count; *out is in the environment's arena. */
size_t cd_tc_tag_types(cd_tc *tc, const cd_vtype *t, const cd_vtype ***out);

/* ---- messages (cd_validate_msg.c) ------------------------------------------- */

void cd_tc_error(cd_tc *tc, cd_verr_kind kind, cd_loc loc, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A type as text in the environment's arena. */
const char *cd_tc_type_str(cd_tc *tc, const cd_vtype *t);
/* The hint for an unexpected type, or NULL. */
const char *cd_tc_help_text(cd_vhelp h, const cd_vtype *actual);
void cd_tc_incompatible(cd_tc *tc, cd_loc loc, const cd_vtype *const *tys, size_t n, cd_lub_why why,
                        const char *context);
/* Report the attribute access e (a CD_X_GET_ATTR on a value of type objty)
 * as unsafe (an optional attribute without `has`) or as not found. */
void cd_tc_attr_error(cd_tc *tc, const cd_expr *e, const cd_vtype *objty, bool optional);
/* The index of the closest of n candidate names to key (by edit distance),
 * or SIZE_MAX when none is close. */
size_t cd_v_suggest(cd_str key, const cd_str *cands, size_t n);

#endif
