/* cd_ast.h: the parsed form of Cedar policies and expressions.
 *
 * The parser (cd_parse.c) produces it; the evaluator (cd_eval.c), the
 * validator and the printer read it. Everything is allocated in the arena of
 * the policy set that owns it. Syntactic sugar is kept only where the
 * evaluation rule differs: `a != b` is NOT(EQ), `a > b` is GT (evaluated
 * left then right), `e has a.b` becomes `e has a && e.a has b`.
 */
#ifndef CD_AST_H
#define CD_AST_H

#include "cd_base.h"
#include "cd_ext.h"
#include "cd_value.h"

typedef enum cd_var {
    CD_VAR_PRINCIPAL,
    CD_VAR_ACTION,
    CD_VAR_RESOURCE,
    CD_VAR_CONTEXT,
} cd_var;

typedef enum cd_slot {
    CD_SLOT_PRINCIPAL, /* ?principal */
    CD_SLOT_RESOURCE,  /* ?resource */
} cd_slot;

typedef enum cd_xkind {
    CD_X_LIT,  /* u.lit */
    CD_X_VAR,  /* u.var */
    CD_X_SLOT, /* u.slot */
    CD_X_IF,   /* u.op.a ? u.op.b : u.op.c */
/* the operators (cd_ops.def): u.op.a, and u.op.b for two operands, but
 * CD_X_HAS (u.attr.obj has u.attr.name), CD_X_LIKE (u.like.obj like
 * u.like.pat) and CD_X_IS (u.is.obj is u.is.type [in u.is.in], in may be
 * NULL) */
#define CD_OP(kind, surface, json, arity, class, precedence, token, hint_a, hint_b) CD_X_##kind,
#include "cd_ops.def"
#undef CD_OP
    CD_X_GET_ATTR, /* u.attr.obj.name or obj["name"] */
    CD_X_SET,      /* [u.list.items...] */
    CD_X_RECORD,   /* {u.rec.keys[i]: u.rec.vals[i]} in source order, keys unique */
    CD_X_CALL,     /* extension function or method: u.call.fn(u.call.args...) */
} cd_xkind;

/* The syntax class of an operator of cd_ops.def. */
typedef enum cd_opclass {
    CD_OPC_NONE,
    CD_OPC_PREFIX,
    CD_OPC_INFIX,
    CD_OPC_METHOD,
    CD_OPC_KEYWORD
} cd_opclass;

/* The grammar's levels, loosest first (cd_ops.def's precedence column). */
typedef enum cd_prec {
    CD_PREC_NONE,
    CD_PREC_OR,
    CD_PREC_AND,
    CD_PREC_REL,
    CD_PREC_ADD,
    CD_PREC_MUL,
    CD_PREC_UNARY,
    CD_PREC_MEMBER
} cd_prec;

/* An operator's line of cd_ops.def (cd_ops.c). */
typedef struct cd_opinfo {
    const char *surface, *json;
    unsigned arity;
    cd_opclass class;
    cd_prec prec;
} cd_opinfo;

/* The line of kind k, or NULL when k is not an operator of cd_ops.def. */
const cd_opinfo *cd_op_info(cd_xkind k);
/* The operator whose policy-JSON key is name (NULL if none), its kind in *k. */
const cd_opinfo *cd_op_by_json(const char *name, cd_xkind *k);

/* A `like` pattern: a sequence of literal byte runs and wildcards. */
typedef struct cd_pat_elem {
    bool star;  /* `*` wildcard; otherwise a literal run */
    cd_str lit; /* the literal run (UTF-8 bytes, escapes already resolved) */
} cd_pat_elem;

typedef struct cd_pattern {
    size_t n;
    const cd_pat_elem *elems; /* each star as written; runs are non-empty */
} cd_pattern;

/* Byte-wise glob match of s against p (`*` matches any sequence of bytes;
 * on valid UTF-8 this equals Cedar's match over characters). */
bool cd_pattern_match(const cd_pattern *p, cd_str s);

typedef struct cd_expr cd_expr;

struct cd_expr {
    cd_xkind kind;
    bool ne; /* a CD_X_NOT of CD_X_EQ written `a != b` (printing and policy JSON keep it) */
    /* a CD_X_RECORD read from a policy JSON "Value": printed with every key
     * quoted, as the official prints a value, and written back as a Value */
    bool value_form;
    cd_loc loc;
    union {
        cd_value lit;
        cd_var var;
        cd_slot slot;
        struct {
            cd_expr *a, *b, *c;
        } op;
        struct {
            cd_expr *obj;
            cd_str name;
        } attr;
        struct {
            cd_expr *obj;
            cd_pattern pat;
        } like;
        struct {
            cd_expr *obj;
            const cd_name *type;
            cd_expr *in; /* NULL for plain `is` */
        } is;
        struct {
            size_t n;
            cd_expr **items;
        } list;
        struct {
            size_t n;
            cd_str *keys;
            cd_expr **vals;
        } rec;
        struct {
            cd_extfn fn;
            size_t n;
            cd_expr **args;   /* receiver first for methods */
            const char *name; /* fn == CD_FN_UNKNOWN: the name as written, else NULL */
        } call;
    } u;
};

/* ---- policies ---------------------------------------------------------- */

typedef enum cd_effect { CD_PERMIT, CD_FORBID } cd_effect;

typedef enum cd_scope_op {
    CD_SCOPE_ANY,   /* principal */
    CD_SCOPE_EQ,    /* principal == E */
    CD_SCOPE_IN,    /* principal in E */
    CD_SCOPE_IS,    /* principal is T */
    CD_SCOPE_IS_IN, /* principal is T in E */
    CD_SCOPE_IN_SET /* action in [E1, E2, ...] (action only) */
} cd_scope_op;

typedef struct cd_scope {
    cd_scope_op op;
    const cd_name *is_type; /* CD_SCOPE_IS, CD_SCOPE_IS_IN */
    bool slot;              /* E is ?principal / ?resource (templates) */
    cd_uid uid;             /* E when !slot (EQ, IN, IS_IN) */
    size_t n_uids;          /* CD_SCOPE_IN_SET */
    const cd_uid *uids;
    cd_loc loc;
} cd_scope;

typedef struct cd_annotation {
    cd_str key;
    cd_str value; /* "" when written without a value (@key) */
    bool has_value;
} cd_annotation;

typedef struct cd_condition {
    bool is_when; /* when { } vs unless { } */
    cd_expr *body;
} cd_condition;

/* What a template shares with its links: everything but the id and the slot
 * values (a link points at its template's body instead of copying it). */
typedef struct cd_policy_body {
    cd_effect effect;
    size_t n_annotations;
    const cd_annotation *annotations;
    cd_scope principal, action, resource;
    size_t n_conditions;
    const cd_condition *conditions;
    cd_loc loc;  /* of the first token (annotation or effect) */
    cd_str text; /* the policy's source text */
} cd_policy_body;

typedef struct cd_policy {
    cd_str id;            /* "policy0", ... or the link id */
    cd_policy_body *body; /* shared by a template and its links: not to be
                             changed once the policy is in a set */
    bool is_template;     /* has slots and is not linked */
    /* For a linked policy: the template it instantiates and the slot values. */
    bool has_principal_slot, has_resource_slot;
    const struct cd_policy *template_of;
    cd_uid principal_slot, resource_slot;
} cd_policy;

/* The policies of a text, in order. */
typedef struct cd_policies {
    size_t n;
    cd_policy **items;
} cd_policies;

/* (added) The parser rejects expressions whose tree is higher than this (and
 * text nested deeper), so recursive walks over a parsed AST stay well inside
 * the C stack. A chain counts as one level: walkers iterate over chains. */
#define CD_AST_MAX_HEIGHT 1000

/* Chains (cd_ast_chain.c): `a || b || c` is OR(OR(a, b), c), left-deep, and
 * so are `&&`, `+`/`-` (mixed), `*` and attribute access `a.b.c`. A chain can
 * have any number of terms (the official parser takes millions), so every
 * walker over the AST loops over a chain instead of recursing per term, and
 * the parser's height limit counts a whole chain as one level. */

/* The chain class of a kind: equal nonzero classes chain; 0 for other kinds. */
int cd_chain_class(cd_xkind k);
/* The left operand: u.op.a, or u.attr.obj for CD_X_GET_ATTR. */
const cd_expr *cd_chain_left(const cd_expr *e);
/* e's left operand belongs to the same chain as e. */
bool cd_chain_continues(const cd_expr *e);
/* The nodes of the chain topped by e, innermost first: nodes[0]'s left
 * operand is the chain's first term, nodes[n-1] is e. A malloc'd array the
 * caller frees. */
const cd_expr **cd_chain_nodes(const cd_expr *e, size_t *n);

/* Parse a whole policy file. Policies get ids policy0, policy1, ... in order
 * (templates included in the count, as the official parser numbers them).
 * On error returns false with err set (file, line, column, message). */
bool cd_parse_policies(const char *text, size_t len, const char *file, cd_arena *arena,
                       cd_policies *out, cd_err *err);

/* Parse a single expression (for `cedar evaluate` and tests). */
cd_expr *cd_parse_expr(const char *text, size_t len, const char *file, cd_arena *arena,
                       cd_err *err);

/* Parse an entity uid in Cedar syntax, e.g. `NS::User::"alice"`. Like the
 * official EntityUid::from_str, only the normalized form is accepted: exactly
 * the text cd_uid_print writes (no spaces or comments; `'` written `\'`). */
bool cd_parse_uid(const char *text, size_t len, cd_arena *arena, cd_uid *out, cd_err *err);

/* Print back as Cedar text. False when the thread's stack ran low (an
 * expression nested too deeply for it, cd_stack.h): the text is incomplete. */
bool cd_expr_print(cd_buf *b, const cd_expr *e);
bool cd_policy_print(cd_buf *b, const cd_policy *p);

#endif
