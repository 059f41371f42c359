/* gen_corner.c: expressions aimed at the corners where engines break:
 * `isInRange` with an address at the very edge of its range, and (loose mode)
 * evaluation orders and operand mixes where an error must or must not
 * appear: `x is T in E` where E errors, `x in [..]` whose set holds a
 * non-entity beside the match, `<` between values of different kinds. */
#include <string.h>

#include "gen_int.h"

static const m_expr *ctor(gen_ctx *g, m_extfn fn, gen_buf *b)
{
    const m_expr *arg = m_x_lit(g->a, m_string(gen_buf_to_str(g->a, b)));
    return m_x_call(g->a, fn, 1, &arg);
}

static const m_expr *ip_expr(gen_ctx *g, const m_ipaddr *ip)
{
    gen_buf b;
    gen_style st;
    gen_buf_init(&b);
    gen_style_init(&st, gen_range(g->src, 0, 0xffff) | 1);
    gen_fmt_ip(&b, ip, &st);
    return ctor(g, M_FN_IP, &b);
}

/* ip with the host bits (those after the prefix) all cleared or all set. */
static m_ipaddr range_end(m_ipaddr ip, bool last)
{
    unsigned width = ip.v6 ? 128 : 32;
    for (unsigned bit = ip.prefix; bit < width; bit++) {
        uint8_t m = (uint8_t)(0x80 >> (bit % 8));
        if (last)
            ip.addr[bit / 8] |= m;
        else
            ip.addr[bit / 8] &= (uint8_t)~m;
    }
    return ip;
}

/* One step up or down from ip's address (wrapping), the prefix kept. */
static m_ipaddr step(m_ipaddr ip, bool up)
{
    for (int i = ip.v6 ? 15 : 3; i >= 0; i--) {
        ip.addr[i] = (uint8_t)(ip.addr[i] + (up ? 1 : -1));
        if (ip.addr[i] != (up ? 0 : 0xff)) break;
    }
    return ip;
}

/* ip(a).isInRange(ip(r)) with a at the first or last address of r, just
 * outside it, or r itself with a prefix one longer or shorter. */
const m_expr *gen_corner_in_range(gen_ctx *g)
{
    m_ipaddr r = gen_ip_value(g->src);
    unsigned width = r.v6 ? 128 : 32;
    m_ipaddr a = range_end(r, gen_chance(g->src, 50));
    switch (gen_pick(g->src, 4)) {
    case 0: a.prefix = (uint8_t)width; break;
    case 1: break; /* the whole range */
    case 2:
        a.prefix = (uint8_t)width;
        a = step(a, a.addr[r.v6 ? 15 : 3] & 1);
        break;
    default: /* one bit more or less of prefix */
        if (gen_chance(g->src, 50) && a.prefix < width)
            a.prefix++;
        else if (a.prefix > 0)
            a.prefix--;
        a = range_end(a, gen_chance(g->src, 50));
    }
    if (gen_chance(g->src, 20)) r = range_end(r, gen_chance(g->src, 50));
    const m_expr *xs[2];
    xs[0] = ip_expr(g, &a);
    xs[1] = ip_expr(g, &r);
    return m_x_call(g->a, M_FN_IS_IN_RANGE, 2, xs);
}

/* ip(edge).isLoopback() or .isMulticast() on a range at the predicate's edge. */
const m_expr *gen_corner_ip_pred(gen_ctx *g)
{
    m_ipaddr ip = gen_ip_edge(g->src);
    m_extfn fn = gen_chance(g->src, 50) ? M_FN_IS_LOOPBACK : M_FN_IS_MULTICAST;
    const m_expr *x = ip_expr(g, &ip);
    return m_x_call(g->a, fn, 1, &x);
}

/* Identities that hold for every instant x: a day's start is not after x
 * (toDate rounds down, also before 1970), the time of day is in [0, 1d) and
 * is the time since the day's start, and the date offset by the time is x
 * again. The last two see a wrong toTime before 1970, so x is now and then
 * such an instant (not at midnight or noon, where -t and 1d - t agree). */
const m_expr *gen_corner_date_identity(gen_ctx *g, const m_expr *x)
{
    gen_buf b;
    gen_buf_init(&b);
    if (gen_chance(g->src, 40)) {
        int64_t ms = -gen_irange(g->src, 1, INT64_C(62167219200000));
        if (ms % 43200000 == 0) ms -= 1;
        gen_style st;
        gen_style_init(&st, gen_range(g->src, 0, 0xffff) | 1);
        if (gen_fmt_datetime(&b, ms, &st))
            x = ctor(g, M_FN_DATETIME, &b); /* frees b */
        else
            gen_buf_free(&b);
    }
    const m_expr *date = m_x_call(g->a, M_FN_TO_DATE, 1, &x);
    const m_expr *time = m_x_call(g->a, M_FN_TO_TIME, 1, &x);
    switch (gen_pick(g->src, 6)) {
    case 0: return m_x_binary(g->a, M_LESS_EQ, date, x);
    case 1:
        gen_buf_puts(&b, "1d");
        return m_x_binary(g->a, M_LESS, time, ctor(g, M_FN_DURATION, &b));
    case 2:
        gen_buf_puts(&b, "0ms");
        return m_x_binary(g->a, M_LESS_EQ, ctor(g, M_FN_DURATION, &b), time);
    case 3: {
        const m_expr *xs[2] = {x, date};
        return m_x_binary(g->a, M_EQ, time, m_x_call(g->a, M_FN_DURATION_SINCE, 2, xs));
    }
    default: {
        const m_expr *xs[2] = {date, time};
        return m_x_binary(g->a, M_EQ, m_x_call(g->a, M_FN_OFFSET, 2, xs), x);
    }
    }
}

/* ---- loose corners ---------------------------------------------------------- */

static const m_expr *uid_lit(gen_ctx *g, int ety)
{
    return m_x_lit(g->a, m_entityv(gen_uid_of(g, ety, true)));
}

/* datetime("1970-01-01").offset(duration("<ms>ms")): an instant far out */
static const m_expr *instant(gen_ctx *g, const char *ms)
{
    gen_buf b;
    gen_buf_init(&b);
    gen_buf_puts(&b, "1970-01-01");
    const m_expr *xs[2] = {ctor(g, M_FN_DATETIME, &b), NULL};
    gen_buf_init(&b);
    gen_buf_puts(&b, ms);
    xs[1] = ctor(g, M_FN_DURATION, &b);
    return m_x_call(g->a, M_FN_OFFSET, 2, xs);
}

/* An expression that errors when evaluated: an attribute of an entity that
 * does not exist or of an empty record, an overflow (of longs, of
 * `durationSince` between the farthest instants, of `toDate` of the
 * earliest), a type error. */
static const m_expr *erroring(gen_ctx *g)
{
    switch (gen_pick(g->src, 6)) {
    case 4: {
        const m_expr *xs[2] = {instant(g, "9223372036854775807ms"),
                               instant(g, "-9223372036854775807ms")};
        return m_x_call(g->a, M_FN_DURATION_SINCE, 2, xs);
    }
    case 5: {
        const m_expr *x = instant(g, "-9223372036854775807ms");
        return m_x_call(g->a, M_FN_TO_DATE, 1, &x);
    }
    case 0: {
        const m_expr *ghost =
            m_x_lit(g->a, m_entityv((m_uid){g->s->etypes[0].name, m_str_c("no such entity")}));
        return m_x_get_attr(g->a, ghost, gen_attr_name(g->src));
    }
    case 1: return m_x_get_attr(g->a, m_x_record(g->a, 0, NULL, NULL), gen_attr_name(g->src));
    case 2:
        return m_x_binary(g->a, M_ADD, m_x_lit(g->a, m_int(INT64_MAX)), m_x_lit(g->a, m_int(1)));
    default:
        return m_x_binary(g->a, M_ADD, m_x_lit(g->a, m_int(1)),
                          m_x_lit(g->a, m_string(m_str_c("one"))));
    }
}

/* A value of another kind than an entity, as an expression. */
static const m_expr *non_entity(gen_ctx *g)
{
    gen_buf b;
    gen_buf_init(&b);
    switch (gen_pick(g->src, 6)) {
    case 0: return m_x_lit(g->a, m_int(gen_long(g->src)));
    case 1: return m_x_lit(g->a, m_bool(gen_chance(g->src, 50)));
    case 2: return m_x_lit(g->a, m_string(gen_id(g->src)));
    case 3: return m_x_set(g->a, 0, NULL);
    case 4: return m_x_record(g->a, 0, NULL, NULL);
    default: gen_buf_puts(&b, "1.5"); return ctor(g, M_FN_DECIMAL, &b);
    }
}

/* A literal of an extension type or a long, for mixed comparisons. */
static const m_expr *orderable(gen_ctx *g)
{
    gen_tkind k = GEN_PICK_OF(g->src, gen_ext_kinds);
    if (gen_chance(g->src, 20)) return m_x_lit(g->a, m_int(gen_long(g->src)));
    m_str s = gen_ext_string(g, k, true);
    const m_expr *arg = m_x_lit(g->a, m_string(s));
    m_extfn fn = k == GEN_T_DECIMAL    ? M_FN_DECIMAL
                 : k == GEN_T_IPADDR   ? M_FN_IP
                 : k == GEN_T_DATETIME ? M_FN_DATETIME
                                       : M_FN_DURATION;
    return m_x_call(g->a, fn, 1, &arg);
}

const m_expr *gen_corner_loose(gen_ctx *g)
{
    int ety = (int)gen_pick(g->src, g->s->n_etypes);
    switch (gen_pick(g->src, 4)) {
    case 0: { /* x is T in E, where E errors: only evaluated when x is a T */
        const m_expr *x = gen_chance(g->src, 70)
                              ? uid_lit(g, ety)
                              : m_x_var(g->a, gen_chance(g->src, 50) ? M_PRINCIPAL : M_RESOURCE);
        if (gen_chance(g->src, 10)) x = non_entity(g);
        m_str t =
            g->s->etypes[gen_chance(g->src, 50) ? ety : (int)gen_pick(g->src, g->s->n_etypes)].name;
        const m_expr *e = erroring(g);
        return m_x_and(g->a, m_x_is(g->a, x, t), m_x_binary(g->a, M_MEM, x, e));
    }
    case 1: { /* x in [.., x, ..] with a non-entity before or after the match */
        const m_expr *x = uid_lit(g, ety);
        size_t n = gen_range(g->src, 2, 4);
        const m_expr **xs = m_alloc(g->a, (n + 1) * sizeof *xs);
        size_t at = gen_pick(g->src, n);
        for (size_t i = 0; i < n; i++)
            xs[i] = i == at ? x : gen_chance(g->src, 60) ? non_entity(g) : uid_lit(g, ety);
        return m_x_binary(g->a, M_MEM, x, m_x_set(g->a, n, xs));
    }
    case 2: { /* < and <= between values of any orderable-looking kinds */
        const m_expr *x = orderable(g);
        const m_expr *y = orderable(g);
        m_op2 op = gen_chance(g->src, 50) ? M_LESS : M_LESS_EQ;
        const m_expr *c = m_x_binary(g->a, op, x, y);
        return gen_chance(g->src, 30) ? m_x_unary(g->a, M_NOT, c) : c;
    }
    default: { /* an error on the right of && / || that the left may short-circuit */
        const m_expr *l = m_x_lit(g->a, m_bool(gen_chance(g->src, 50)));
        const m_expr *e = erroring(g);
        return gen_chance(g->src, 50) ? m_x_and(g->a, l, e) : m_x_or(g->a, l, e);
    }
    }
}
