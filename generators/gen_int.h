/* gen_int.h: what the generator's files share (not part of the interface). */
#ifndef CEDAR_GEN_INT_H
#define CEDAR_GEN_INT_H

#include "gen.h"

#define GEN_N(a) (sizeof(a) / sizeof *(a))
/* One element of a constant array, each alike (no choice rests on enum order). */
#define GEN_PICK_OF(src, arr) ((arr)[gen_pick((src), GEN_N(arr))])
/* The extension types, each alike (gen_lit.c). */
extern const gen_tkind gen_ext_kinds[4];

m_str gen_dup(m_arena *a, const char *p, size_t n);
m_str gen_strf(m_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* prefix followed by n in decimal, as gen_strf(a, "%s%zu", prefix, n) but
 * without printf (every policy and link gets an id) */
m_str gen_str_num(m_arena *a, const char *prefix, size_t n);
m_str gen_buf_to_str(m_arena *a, gen_buf *b); /* copies, then frees b */

/* ---- literals near the edges (gen_lit.c) ---- */
int64_t gen_long(gen_src *s);
m_str gen_string(gen_ctx *g);                              /* any string (valid UTF-8) */
m_str gen_id(gen_src *s);                                  /* an entity id from the shared pool */
m_str gen_enum_id(gen_src *s);                             /* a non-empty id for enumerated types */
m_str gen_attr_name(gen_src *s);                           /* an attribute / key / tag name */
m_str gen_ident(gen_src *s);                               /* an identifier (annotation keys) */
m_str gen_ext_string(gen_ctx *g, gen_tkind k, bool valid); /* constructor argument */
m_pattern gen_pattern(gen_ctx *g, m_str *matching);        /* and a string it often matches */

/* ---- extension values as text (gen_fmt.c) ---- */
void gen_fmt_decimal(gen_buf *b, int64_t v, gen_style *st);
void gen_fmt_ip(gen_buf *b, const m_ipaddr *ip, gen_style *st);
bool gen_fmt_datetime(gen_buf *b, int64_t ms, gen_style *st); /* false: no string denotes it */
void gen_fmt_duration(gen_buf *b, int64_t ms, gen_style *st);
int64_t gen_days_from_civil(int64_t y, unsigned m, unsigned d);
int64_t gen_datetime_value(gen_src *s); /* an instant near the edges */
int64_t gen_duration_value(gen_src *s);
int64_t gen_decimal_value(gen_src *s);
m_ipaddr gen_ip_value(gen_src *s);
m_ipaddr gen_ip_edge(gen_src *s); /* a range at the edge of isLoopback / isMulticast */

/* ---- corner cases (gen_corner.c) ---- */
const m_expr *gen_corner_in_range(gen_ctx *g); /* an address at the edge of a range */
const m_expr *gen_corner_loose(gen_ctx *g);    /* evaluation orders, operand mixes */
const m_expr *gen_corner_ip_pred(gen_ctx *g);  /* isLoopback / isMulticast at an edge */
/* An identity of x's date and time (x.toDate() <= x, x.toDate().offset(x.toTime()) == x, ...). */
const m_expr *gen_corner_date_identity(gen_ctx *g, const m_expr *x);

/* ---- long chains of one operator (gen_chain.c) ---- */
const m_expr *gen_chain_bool(gen_ctx *g); /* `a || b || ...` or `a && b && ...` */
const m_expr *gen_chain_long(gen_ctx *g); /* `a + b - ...` or `a * b * ...` */
const m_expr *gen_chain_attr(gen_ctx *g); /* `x.a.b... has c`; NULL: no start */

/* ---- UTF-8 ---- */
int gen_utf8_decode(const char *p, size_t n, uint32_t *cp); /* length, 0 when invalid */
int gen_utf8_encode(uint32_t cp, char out[4]);

/* ---- building a case (gen_schema.c, gen_data.c, gen_expr.c, gen_policy.c) ---- */
void gen_schema_build(gen_ctx *g, gen_schema *s);
void gen_entities_build(gen_ctx *g, gen_case *c);
void gen_requests_build(gen_ctx *g, gen_case *c, size_t max);
void gen_policies_build(gen_ctx *g, gen_case *c, const gen_opts *o);
m_uid gen_uid_of(gen_ctx *g, int ety, bool invalid_ok);
m_uid gen_uid_related(gen_ctx *g, int ety);
int gen_applied_action(gen_ctx *g);
const m_expr *gen_bool_expr(gen_ctx *g, unsigned depth); /* a policy condition */

/* ---- names ---- */
bool gen_is_ident(m_str s);    /* [_a-zA-Z][_a-zA-Z0-9]* */
bool gen_is_reserved(m_str s); /* true false if then else in is like has __cedar */

#endif
