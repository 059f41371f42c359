/* gen.h: type-aware generators of Cedar test cases for differential testing.
 *
 * A case is built from a fuzzer's bytes in dependency order, so that its
 * parts agree: a schema, entities that conform to it, policies that use the
 * types, attributes, uids and actions that exist, and requests drawn from the
 * actions' appliesTo. Policies and expressions are the reference model's
 * structures (model/model.h), plus the surface information needed to print
 * them (scope forms, when/unless, annotations, templates and links), so the
 * model can judge a case without any parser; the emitters then write the
 * same case as Cedar text and JSON for the production engine to read.
 *
 * This library depends on the model, the C library and nothing of core/: a
 * misreading in core cannot leak into the generated cases.
 *
 * Everything a case holds lives in the m_arena it was built in. Emitters
 * write into a gen_buf (heap), which the caller frees.
 */
#ifndef CEDAR_GEN_H
#define CEDAR_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model.h"

/* ---- entropy (gen_src.c) ------------------------------------------------ */

/* The fuzzer's bytes, consumed from the front as bounded choices (in the
 * manner of Rust's arbitrary::Unstructured). The same bytes always give the
 * same choices; once they run out every choice takes its smallest option
 * (the low end of a range, false, the first alternative), so generation
 * always ends quickly. */
typedef struct gen_src {
    const uint8_t *p;
    size_t n;
} gen_src;

void gen_src_init(gen_src *s, const void *data, size_t size);
/* A number in [lo, hi] (lo when the bytes have run out). */
uint64_t gen_range(gen_src *s, uint64_t lo, uint64_t hi);
int64_t gen_irange(gen_src *s, int64_t lo, int64_t hi);
/* An index in [0, n) (0 when n is 0). */
size_t gen_pick(gen_src *s, size_t n);
/* True with about pct percent probability (false when the bytes have run out). */
static inline bool gen_chance(gen_src *s, unsigned pct)
{
    if (s->n == 0) return false;
    s->n--;
    return (unsigned)*s->p++ * 100u < pct * 256u;
}
/* An index i in [0, n) with probability weights[i] / sum (the first index
 * with a nonzero weight when the bytes have run out). */
size_t gen_weighted(gen_src *s, const uint8_t *weights, size_t n);

/* Weighted alternatives written beside their code, in the manner of
 * cedar-policy-generators' `gen!(u, 2 => a, 1 => b)`:
 *
 *     GEN_ONE_OF(g->src) {
 *         GEN_OR(2) return a(g);
 *         GEN_OR(1) { x = b(g); break; }
 *     }
 *
 * The block runs twice: on the first pass each GEN_OR adds its weight and
 * skips its statement; then one draw (the one gen_weighted makes over the
 * same weights in the same order) picks the alternative whose statement alone
 * runs on the second pass. `break` leaves the block. Weights are expressions
 * without side effects (0 turns an alternative off); with no weight at all
 * nothing runs. The block holds GEN_OR statements only, and does not nest
 * (-Wshadow catches that). */
typedef struct gen_choice {
    gen_src *src;
    unsigned total, x;
    int pass; /* 0: not started, 1: adding weights, 2: choosing, 3: done */
} gen_choice;
bool gen_choice_next(gen_choice *c);
bool gen_choice_arm(gen_choice *c, unsigned weight);
#define GEN_ONE_OF(src) for (gen_choice gen_ch_ = {(src), 0, 0, 0}; gen_choice_next(&gen_ch_);)
#define GEN_OR(weight)  if (gen_choice_arm(&gen_ch_, (weight)))

/* Surface choices of the emitters (spacing, escapes, optional forms) come
 * from a seed drawn from the bytes, so they never shift the case itself. */
typedef struct gen_style {
    uint64_t state;
    unsigned level; /* 0: plain output; higher: more surface variety */
} gen_style;

void gen_style_init(gen_style *st, uint64_t seed);
/* Inline: the emitters make a few hundred of these per case. */
static inline uint32_t gen_style_next(gen_style *st)
{
    uint64_t z = (st->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}
/* never true at level 0 */
static inline bool gen_style_coin(gen_style *st, unsigned pct)
{
    if (st->level == 0) return false;
    return gen_style_next(st) % 100u < pct;
}

/* ---- text buffers (gen_buf.c) ------------------------------------------- */

typedef struct gen_buf {
    char *data;
    size_t len, cap;
} gen_buf;

void gen_buf_init(gen_buf *b);
void gen_buf_free(gen_buf *b);
void gen_buf_reset(gen_buf *b);
void gen_buf_grow(gen_buf *b, size_t extra); /* room for extra bytes and the NUL */
void gen_buf_i64(gen_buf *b, int64_t v);     /* as "%" PRId64, without printf */
void gen_buf_spaces(gen_buf *b, int n);      /* as "%*s" with "" */

/* The emitters append a few bytes at a time, millions of times per second of
 * fuzzing: the common case (room left) is inline. */
static inline void gen_buf_put(gen_buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) gen_buf_grow(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void gen_buf_putc(gen_buf *b, char c)
{
    if (b->len + 2 > b->cap) gen_buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

static inline void gen_buf_puts(gen_buf *b, const char *s)
{
    gen_buf_put(b, s, strlen(s));
}

static inline void gen_buf_str(gen_buf *b, m_str s)
{
    gen_buf_put(b, s.ptr, s.len);
}

void gen_buf_printf(gen_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *gen_buf_cstr(gen_buf *b); /* NUL-terminated view */

/* ---- schemas ------------------------------------------------------------ */

typedef enum gen_tkind {
    GEN_T_BOOL,
    GEN_T_LONG,
    GEN_T_STRING,
    GEN_T_ENTITY,
    GEN_T_SET,
    GEN_T_RECORD,
    GEN_T_DECIMAL,
    GEN_T_IPADDR,
    GEN_T_DATETIME,
    GEN_T_DURATION,
    GEN_T__COUNT
} gen_tkind;

typedef struct gen_type gen_type;

typedef struct gen_attr {
    m_str name;
    const gen_type *type;
    bool required;
} gen_attr;

struct gen_type {
    gen_tkind kind;
    int ety;               /* GEN_T_ENTITY: index of the entity type */
    const gen_type *elem;  /* GEN_T_SET */
    size_t n;              /* GEN_T_RECORD */
    const gen_attr *attrs; /* GEN_T_RECORD: unique names, in byte order */
    int common;            /* >= 0: written as a reference to that common type */
};

typedef struct gen_etype {
    m_str name; /* fully qualified: "NS::User" */
    m_str base; /* as declared: "User" */
    int ns;     /* its namespace: an index into gen_schema.nss */
    size_t n_member_of;
    const int *member_of;  /* entity type indexes */
    const gen_type *shape; /* a record type */
    const gen_type *tags;  /* NULL: no tags */
    size_t n_enum;         /* > 0: an enumerated type with these ids */
    const m_str *enum_ids;
} gen_etype;

typedef struct gen_action {
    m_str id;
    m_uid uid; /* (NS::)Action::"id" */
    int ns;    /* its namespace */
    size_t n_member_of;
    const int *member_of; /* action indexes, all larger than this one's, same namespace */
    bool applies;         /* has appliesTo (else: an action group for `in`) */
    size_t n_principals, n_resources;
    const int *principals, *resources;
    const gen_type *context; /* a record type */
} gen_action;

typedef struct gen_common {
    m_str name; /* as declared, used only in its own namespace */
    const gen_type *type;
    int ns;
} gen_common;

/* Types and actions are declared in one namespace ("" or e.g. "NS",
 * "App::Sub") or, sometimes, spread over two; base names are distinct
 * across namespaces, so no declaration shadows another. */
typedef struct gen_schema {
    m_str ns;          /* the first namespace */
    m_str action_type; /* its action type: "Action" or "NS::Action" */
    size_t n_ns;
    const m_str *nss; /* the namespaces, "" possibly among them */
    size_t n_etypes, n_actions, n_common;
    const gen_etype *etypes;
    const gen_action *actions;
    const gen_common *common;
} gen_schema;

bool gen_type_eq(const gen_type *a, const gen_type *b);
int gen_schema_etype(const gen_schema *s, m_str name); /* index, -1 when absent */
int gen_schema_action(const gen_schema *s, m_uid uid); /* index, -1 when absent */

/* ---- policies, requests, cases ------------------------------------------ */

typedef enum gen_scope_op {
    GEN_SC_ANY,
    GEN_SC_EQ,
    GEN_SC_IN,
    GEN_SC_IS,
    GEN_SC_IS_IN,
    GEN_SC_IN_SET /* action only */
} gen_scope_op;

typedef struct gen_scope {
    gen_scope_op op;
    m_str is_type; /* GEN_SC_IS, GEN_SC_IS_IN */
    bool slot;     /* EQ, IN, IS_IN: ?principal / ?resource instead of uid */
    m_uid uid;
    size_t n_uids; /* GEN_SC_IN_SET */
    const m_uid *uids;
} gen_scope;

typedef m_condition gen_cond; /* as written; `unless { c }` means !c */

typedef struct gen_annot {
    m_str key, value;
    bool has_value;
} gen_annot;

typedef struct gen_policy {
    m_str id; /* "policyN" as the parser numbers them, or a link's id */
    m_effect effect;
    size_t n_annots;
    const gen_annot *annots;
    gen_scope scope[3]; /* principal, action, resource */
    size_t n_conds;
    const gen_cond *conds;
    bool is_template;                    /* has a slot; only its links apply */
    int link_of;                         /* >= 0: a link of the template with this index */
    m_uid slot_principal, slot_resource; /* a link's values */
} gen_policy;

typedef struct gen_request {
    m_request r;
    bool validate; /* validateRequest: the request conforms to the schema */
} gen_request;

typedef enum gen_mode {
    GEN_TYPED, /* expressions built for a target type, mostly well-typed */
    GEN_LOOSE  /* anything goes, to reach the error paths */
} gen_mode;

typedef struct gen_case {
    gen_mode mode;
    gen_schema schema;
    m_entities entities; /* the data entities, then the schema's action entities */
    size_t n_data;
    size_t n_policies; /* text policies and templates in order, then links */
    const gen_policy *policies;
    size_t n_requests;
    const gen_request *requests;
    uint64_t style; /* seed for the emitters' surface choices */
    /* Set by gen_case_invalidate: the case's data deliberately breaks the
     * schema, so the entities (invalid_request < 0) or request
     * invalid_request must be rejected. NULL for a valid case. */
    const char *invalid;
    int invalid_request;
    /* Core reads this case's entities and requests without the schema (the
     * official engine's untyped JSON): the emitters write every value in the
     * untyped forms and list the schema's actions. Loose mode, valid data. */
    bool schemaless;
} gen_case;

typedef struct gen_opts {
    gen_mode mode;
    size_t max_policies; /* 0: none */
    size_t max_requests; /* at least 1 request is always made */
    bool templates;      /* may make templates and links */
    /* longs in entity and context data within +-2^53, for engines that read
     * JSON numbers as doubles (the official engine's Wasm build: the oracle);
     * policies keep their edge values */
    bool safe_data_longs;
} gen_opts;

/* The generator's state: where its choices come from and the request
 * environment that expressions are written for. */
typedef struct gen_ctx {
    gen_src *src;
    m_arena *a;
    gen_mode mode;
    const gen_schema *s;
    const m_entities *es; /* for uids that exist */
    size_t n_data;
    int penv, renv, aenv; /* principal/resource entity type, action: -1 when unknown */
    unsigned max_depth;
    bool safe_data_longs; /* gen_opts.safe_data_longs */
    /* another way to write an entity or record of the environment (an entity
     * literal, a conditional, a record field), used beside principal,
     * resource and context as the base of attribute and tag accesses, so
     * that `has` capabilities are matched on compound expressions; NULL:
     * none (gen_ctx_alias chooses one per policy) */
    const m_expr *alias;
    const struct gen_type *alias_t;
} gen_ctx;

/* Build a case from the bytes. c and everything in it live in a. g, if not
 * NULL, receives the generator state (for generating more expressions). */
void gen_case_build(gen_case *c, m_arena *a, gen_src *src, const gen_opts *o, gen_ctx *g);

/* Point g's environment at a request's principal, action and resource types. */
void gen_ctx_env(gen_ctx *g, const gen_request *rq);

/* Choose g's alias for the environment (sometimes none). */
void gen_ctx_alias(gen_ctx *g);

/* An expression of type t (typed mode; loose mode may stray from t). */
const m_expr *gen_expr(gen_ctx *g, const gen_type *t, unsigned depth);
/* Any expression, of any type (loose). */
const m_expr *gen_expr_any(gen_ctx *g, unsigned depth);
/* A type for an expression (no common types). */
const gen_type *gen_some_type(gen_ctx *g, unsigned depth);
/* A value of type t, conforming to the schema (entity data, contexts). */
m_value gen_value(gen_ctx *g, const gen_type *t, unsigned depth);

/* Rust's Policy::condition of a static policy or link (see model/README.md);
 * a link's slots are replaced by its values, taken with the template's body. */
m_policy gen_model_policy(m_arena *a, const gen_case *c, size_t i);
/* The policies the model authorizes with: every one but the templates, in order. */
size_t gen_model_policies(m_arena *a, const gen_case *c, m_policy **out);
/* The model's answer to request i. */
m_response gen_model_answer(m_arena *a, const gen_case *c, size_t i);

/* The same case with every link written as a static policy (for the
 * integration-test format, which has no links): templates dropped, ids
 * renumbered policy0, policy1, ... */
gen_case gen_case_without_links(m_arena *a, const gen_case *c);

/* Break the case's data in one way the official parsers reject (a missing
 * required attribute, an undeclared one, a value of another type, a value
 * broken inside at any depth, a wrong tag or undeclared tags, a parent of a
 * type not in memberOf or an undeclared action, an action entity unlike the
 * schema's, an undeclared entity type, a non-identical duplicate entity, an
 * id outside an enumeration, a request outside the action's appliesTo or
 * with a context missing a required attribute or broken inside), and
 * say so in c->invalid. False, with the case unchanged, when the case offers
 * nothing to break of the kind chosen. */
bool gen_case_invalidate(gen_case *c, m_arena *a, gen_src *src);

/* A value as an expression that evaluates to it: literals, set and record
 * literals, extension constructors (an instant that no datetime string
 * denotes as datetime("1970-01-01").offset(duration("<ms>ms"))). */
const m_expr *gen_value_expr(m_arena *a, m_value v);

/* Structural equality of model expressions and values (values of sets by
 * membership, of records by key). */
bool gen_expr_eq(const m_expr *a, const m_expr *b);
bool gen_value_same(m_value a, m_value b);

/* ---- emitters (gen_print_*.c, gen_json.c, gen_emit.c) ------------------- */

/* Cedar text. */
void gen_print_expr(gen_buf *b, const m_expr *x, gen_style *st);
void gen_print_policy(gen_buf *b, const gen_policy *p, gen_style *st);
void gen_print_string(gen_buf *b, m_str s, gen_style *st); /* a quoted literal */
/* A quoted literal with every character written `\u{...}`. */
void gen_print_string_escaped(gen_buf *b, m_str s, gen_style *st);
void gen_print_value(gen_buf *b, m_value v, gen_style *st); /* a value as an expression */
/* A uid in the normalized form that EntityUid::from_str accepts, for ids of
 * printable ASCII; false (nothing written) for other ids. */
bool gen_print_uid_normalized(gen_buf *b, m_uid u);
/* A `//` comment ended by one of the line terminators (style's choice). */
void gen_print_comment(gen_buf *b, gen_style *st);
const char *gen_extfn_name(m_extfn fn); /* "decimal", "lessThan", ... */
/* The case's policies, templates and links in the official policy JSON
 * (gen_print_policy_json.c): the set form, or (*alone) the one static
 * policy alone, in forms varied by st. defect 0: valid JSON that reads back
 * to the same policies; otherwise one planted defect that Cedar rejects.
 * Returns the JSON nesting depth. */
size_t gen_print_policies_json(gen_buf *b, const gen_case *c, gen_style *st, unsigned defect,
                               bool *alone);

/* Schemas. */
void gen_print_schema_text(gen_buf *b, const gen_schema *s, gen_style *st);
void gen_print_schema_json(gen_buf *b, const gen_schema *s, gen_style *st);

/* JSON: a value written for declared type t (NULL: no type known, only the
 * explicit escapes), a uid, the entities, a request's variables and context. */
void gen_json_string(gen_buf *b, m_str s, gen_style *st);
void gen_json_value(gen_buf *b, m_value v, const gen_type *t, const gen_schema *s, gen_style *st);
void gen_json_uid(gen_buf *b, m_uid u, gen_style *st);
void gen_json_entities(gen_buf *b, const gen_case *c, gen_style *st);
/* {"principal": ..., "action": ..., "resource": ..., "context": ...,
 * "validateRequest": ...} (the integration-test format, without answers). */
void gen_json_request(gen_buf *b, const gen_case *c, size_t i, gen_style *st);
/* The same request in the CLI's --request-json format (uids as normalized
 * strings); false when an id cannot be written that way. */
bool gen_json_request_cli(gen_buf *b, const gen_case *c, size_t i, gen_style *st);

/* The text forms of a whole case, as the production engine reads them. */
typedef struct gen_link_text {
    m_str template_id, link_id;
    char *principal, *resource; /* normalized uid text, or NULL for no slot */
} gen_link_text;

typedef struct gen_texts {
    bool schema_is_json;
    gen_buf schema, schema_other; /* the format chosen; the other one (on demand) */
    gen_buf policies;             /* static policies and templates */
    size_t n_links;
    gen_link_text *links; /* heap */
    gen_buf entities;
    size_t n_requests;
    gen_buf *requests;     /* test format, heap array */
    gen_buf *requests_cli; /* CLI format when possible, else empty */
} gen_texts;

void gen_emit_case(gen_texts *t, const gen_case *c);
/* The schema in the format not chosen, into t->schema_other (if still empty). */
void gen_emit_other_schema(gen_texts *t, const gen_case *c);
void gen_texts_free(gen_texts *t);

/* The case as a Cedar integration test: expected answers from the model
 * (one per request), file paths as given. */
void gen_emit_test(gen_buf *b, const gen_case *c, const m_response *answers,
                   const char *policies_path, const char *entities_path, const char *schema_path,
                   const char *description);

/* Readable printing of model structures (reports). */
void gen_print_response(gen_buf *b, const m_response *r);
const char *gen_tkind_name(gen_tkind k);

#endif
