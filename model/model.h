/* model.h: the reference model of Cedar.
 *
 * Cedar's semantics written down plainly, the way the Lean specification
 * (cedar-spec/cedar-lean/Cedar/Spec) writes it, and following the Rust
 * implementation where the two differ. It is written for reading, not for
 * speed: tagged unions, plain arrays, linear scans. It shares no code with
 * core/: the bridge (drt/bridge.h) converts what core parsed into these types.
 *
 * Everything the model builds lives in an m_arena and is freed with it.
 */
#ifndef CEDAR_MODEL_H
#define CEDAR_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- memory and strings ------------------------------------------------ */

typedef struct m_arena m_arena;
m_arena *m_arena_new(void);
void m_arena_free(m_arena *a);
void *m_alloc(m_arena *a, size_t n); /* zeroed; never NULL (aborts if out of memory) */

typedef struct m_str {
    const char *ptr;
    size_t len;
} m_str; /* bytes, UTF-8 by convention */

m_str m_str_c(const char *s);
bool m_str_eq(m_str a, m_str b);

/* ---- values (Value.lean) ----------------------------------------------- */

/* EntityUID: a type name such as "NS::User" and an id. */
typedef struct m_uid {
    m_str type, id;
} m_uid;

/* Lean's Value is prim (bool, int, string, entityUID) | set | record | ext
 * (decimal, ipaddr, datetime, duration); here the cases are flattened. */
typedef enum m_vkind {
    M_V_BOOL,
    M_V_INT,
    M_V_STRING,
    M_V_ENTITY,
    M_V_SET,
    M_V_RECORD,
    M_V_DECIMAL,
    M_V_IPADDR,
    M_V_DATETIME,
    M_V_DURATION,
} m_vkind;

/* An IP address or range: 4 (addr[0..3], rest zero) or 16 bytes, and the prefix length. */
typedef struct m_ipaddr {
    bool v6;
    uint8_t prefix;
    uint8_t addr[16];
} m_ipaddr;

typedef struct m_value m_value;
typedef struct m_field m_field;

struct m_value {
    m_vkind kind;
    union {
        bool b;
        int64_t i; /* int; decimal (times 10^4); datetime (ms since epoch); duration (ms) */
        m_str s;
        m_uid uid;
        struct {
            size_t n;
            m_value *elems; /* a set is compared by membership, so repeats do no harm */
        } set;
        struct {
            size_t n;
            m_field *fields; /* keys are unique */
        } rec;
        m_ipaddr ip;
    } u;
};

struct m_field {
    m_str key;
    m_value val;
};

static inline m_value m_bool(bool b)
{
    return (m_value){.kind = M_V_BOOL, .u.b = b};
}
static inline m_value m_int(int64_t i)
{
    return (m_value){.kind = M_V_INT, .u.i = i};
}
static inline m_value m_string(m_str s)
{
    return (m_value){.kind = M_V_STRING, .u.s = s};
}
static inline m_value m_entityv(m_uid uid)
{
    return (m_value){.kind = M_V_ENTITY, .u.uid = uid};
}
m_value m_set_of(m_arena *a, size_t n, const m_value *elems);                      /* copies */
m_value m_record_of(m_arena *a, size_t n, const m_str *keys, const m_value *vals); /* copies */

bool m_uid_eq(m_uid a, m_uid b);
bool m_value_eq(m_value a, m_value b);
bool m_set_contains(m_value set, m_value v);
bool m_set_subset(m_value sub, m_value super);
bool m_set_intersects(m_value a, m_value b);
const m_value *m_record_find(m_value rec, m_str key); /* NULL when absent */

/* ---- results: errors are values ---------------------------------------- */

typedef enum m_error {
    M_OK,
    M_ENTITY_DOES_NOT_EXIST,
    M_ATTR_DOES_NOT_EXIST,
    M_TAG_DOES_NOT_EXIST,
    M_TYPE_ERROR,
    M_ARITH_BOUNDS_ERROR,
    M_EXTENSION_ERROR,
} m_error;

/* Result Value: v is meaningful only when err == M_OK. */
typedef struct m_result {
    m_error err;
    m_value v;
} m_result;

static inline m_result m_ok(m_value v)
{
    return (m_result){M_OK, v};
}
static inline m_result m_err(m_error e)
{
    return (m_result){e, m_bool(false)};
}
const char *m_error_name(m_error e); /* "typeError", ... as in the Lean spec */

/* ---- expressions (Expr.lean) ------------------------------------------- */

typedef enum m_var { M_PRINCIPAL, M_ACTION, M_RESOURCE, M_CONTEXT } m_var;
/* The operators and extension functions (Expr.lean, ExtFun.lean), one
 * line each in m_ops.def: name, syntax, argument and result types. */
typedef enum m_op1 {
#define M_OP1(kind, name, syntax, arg, result) M_##kind,
#include "m_ops.def"
} m_op1; /* M_NOT, ...: m_ops.def's M_OP1 lines */
typedef enum m_op2 {
#define M_OP2(kind, name, syntax, arg_a, arg_b, result) M_##kind,
#include "m_ops.def"
} m_op2; /* M_EQ, ..., M_MEM (`in`), ...: its M_OP2 lines */
typedef enum m_extfn {
#define M_FN(kind, name, syntax, arity, arg_a, arg_b, result) M_FN_##kind,
#include "m_ops.def"
} m_extfn; /* M_FN_DECIMAL, ...: its M_FN lines */

/* A `like` pattern (Wildcard.lean): each element is a byte, or M_STAR. */
#define M_STAR (-1)
typedef struct m_pattern {
    size_t n;
    const int16_t *elems;
} m_pattern;

typedef enum m_xkind {
    M_X_LIT,
    M_X_VAR,
    M_X_ITE,
    M_X_AND,
    M_X_OR,
    M_X_UNARY,
    M_X_BINARY,
    M_X_GET_ATTR,
    M_X_HAS_ATTR,
    M_X_SET,
    M_X_RECORD,
    M_X_CALL,
} m_xkind;

typedef struct m_expr m_expr;
struct m_expr {
    m_xkind kind;
    union {
        m_value lit;
        m_var var;
        struct {
            const m_expr *a, *b, *c; /* ite: if a then b else c; and, or: a, b */
        } op;
        struct {
            m_op1 op;
            const m_expr *arg;
            m_str ety;     /* M_IS */
            m_pattern pat; /* M_LIKE */
        } un;
        struct {
            m_op2 op;
            const m_expr *a, *b;
        } bin;
        struct {
            const m_expr *arg;
            m_str attr;
        } attr;
        struct {
            size_t n;
            const m_expr *const *xs;
            const m_str *keys; /* M_X_RECORD */
            m_extfn fn;        /* M_X_CALL */
        } list;
    } u;
};

/* Builders (the arena owns the result; arrays are copied). */
m_expr *m_x_lit(m_arena *a, m_value v);
m_expr *m_x_var(m_arena *a, m_var v);
m_expr *m_x_ite(m_arena *a, const m_expr *c, const m_expr *t, const m_expr *e);
m_expr *m_x_and(m_arena *a, const m_expr *x, const m_expr *y);
m_expr *m_x_or(m_arena *a, const m_expr *x, const m_expr *y);
m_expr *m_x_unary(m_arena *a, m_op1 op, const m_expr *arg);
m_expr *m_x_is(m_arena *a, const m_expr *arg, m_str ety);
m_expr *m_x_like(m_arena *a, const m_expr *arg, m_pattern pat);
m_expr *m_x_binary(m_arena *a, m_op2 op, const m_expr *x, const m_expr *y);
m_expr *m_x_get_attr(m_arena *a, const m_expr *arg, m_str attr);
m_expr *m_x_has_attr(m_arena *a, const m_expr *arg, m_str attr);
m_expr *m_x_set(m_arena *a, size_t n, const m_expr *const *xs);
m_expr *m_x_record(m_arena *a, size_t n, const m_str *keys, const m_expr *const *xs);
m_expr *m_x_call(m_arena *a, m_extfn fn, size_t n, const m_expr *const *xs);
/* A pattern from text where `*` is a wildcard and `\*` a literal star. */
m_pattern m_pattern_of(m_arena *a, const char *text);

/* ---- entities, requests, policies, responses --------------------------- */

/* Entities.lean, with direct parents: `in` walks them (no precomputed closure). */
typedef struct m_entity {
    m_uid uid;
    m_value attrs, tags; /* records */
    size_t n_parents;
    const m_uid *parents;
} m_entity;

typedef struct m_entities {
    size_t n;
    const m_entity *items;
} m_entities;

typedef struct m_request {
    m_uid principal, action, resource;
    m_value context; /* a record */
} m_request;

typedef enum m_effect { M_PERMIT, M_FORBID } m_effect;

/* A policy is its single condition: Rust's Policy::condition, i.e.
 * principalScope && (actionScope && (resourceScope && (c1 && (c2 && ...)))),
 * built from its parts (m_policy_def) by m_policy_of (m_policy.c). */
typedef struct m_policy {
    m_str id;
    m_effect effect;
    const m_expr *condition;
} m_policy;

/* Policy.lean's Scope; M_SCOPE_IN_SET is ActionScope.actionInAny. Slots are
 * not here: a template's link gives its scope the slot's value. */
typedef enum m_scope_op {
    M_SCOPE_ANY,
    M_SCOPE_EQ,
    M_SCOPE_IN,
    M_SCOPE_IS,
    M_SCOPE_IS_IN,
    M_SCOPE_IN_SET,
} m_scope_op;

typedef struct m_scope {
    m_scope_op op;
    m_uid uid;         /* EQ, IN, IS_IN */
    m_str ety;         /* IS, IS_IN */
    size_t n_uids;     /* IN_SET */
    const m_uid *uids; /* IN_SET */
} m_scope;

typedef struct m_condition {
    bool is_when; /* `unless { c }` is `!c` */
    const m_expr *body;
} m_condition;

/* Policy.lean's Policy: a policy as written, before Policy.toExpr. */
typedef struct m_policy_def {
    m_str id;
    m_effect effect;
    m_scope principal, action, resource;
    size_t n_conditions;
    const m_condition *conditions;
} m_policy_def;

/* Scope.toExpr: the constraint a scope puts on the variable v. */
const m_expr *m_scope_to_expr(m_arena *a, const m_scope *s, m_var v);
/* Policy.toExpr, as the policy's {id, effect, condition}. */
m_policy m_policy_of(m_arena *a, const m_policy_def *p);

typedef struct m_response {
    bool allow;
    size_t n_determining, n_erroring;
    m_str *determining; /* in policy order */
    m_str *erroring;    /* in policy order */
    m_error *errors;    /* errors[i] is why erroring[i] failed */
} m_response;

/* A policy's verdict: its effect and how its evaluation came out. */
typedef enum m_outcome { M_NOT_SATISFIED, M_SATISFIED, M_ERRORED } m_outcome;
typedef struct m_verdict {
    m_outcome outcome;
    m_effect effect;
} m_verdict;

/* The decision from the verdicts v[0..n-1] (m_decide.c): Allow or Deny; the
 * indices of the determining policies in det[0..*n_det-1] and of the erroring
 * ones in err[0..*n_err-1], in policy order (det and err hold n each). */
bool m_decide(size_t n, const m_verdict *v, size_t *det, size_t *n_det, size_t *err, size_t *n_err);

/* evaluate (Evaluator.lean). The arena receives the values built on the way. */
m_result m_evaluate(const m_expr *x, const m_request *req, const m_entities *es, m_arena *a);
/* call (ExtFun.lean): an extension function applied to evaluated arguments. */
m_result m_call(m_extfn fn, size_t n, const m_value *args);
/* isAuthorized (Authorizer.lean). */
m_response m_is_authorized(const m_request *req, const m_entities *es, size_t n, const m_policy *ps,
                           m_arena *a);

#endif
