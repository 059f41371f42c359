/* test_gen.c: the generators (generators/gen.h): the entropy source, the
 * extension-value formats (checked with the model's constructors), the Cedar
 * and JSON emitters on hand-built structures, and properties of generated
 * cases (conforming entities, acyclic hierarchies, requests from appliesTo). */
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"
#include "t.h"

/* ---- entropy ------------------------------------------------------------------ */

static void test_src_exhausted_takes_smallest(void)
{
    gen_src s;
    gen_src_init(&s, NULL, 0);
    T_CHECK(gen_range(&s, 3, 9) == 3);
    T_CHECK(gen_irange(&s, -5, 5) == -5);
    T_CHECK(gen_pick(&s, 7) == 0);
    T_CHECK(!gen_chance(&s, 99));
    static const uint8_t w[] = {0, 2, 5};
    T_CHECK(gen_weighted(&s, w, 3) == 1); /* the first with a nonzero weight */
}

static void test_src_ranges_and_determinism(void)
{
    uint8_t bytes[64];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    gen_src a, b;
    gen_src_init(&a, bytes, sizeof bytes);
    gen_src_init(&b, bytes, sizeof bytes);
    for (int i = 0; i < 20; i++) {
        uint64_t x = gen_range(&a, 10, 20);
        T_CHECK(x >= 10 && x <= 20);
        T_CHECK(x == gen_range(&b, 10, 20));
    }
    /* a range of up to 256 values costs one byte */
    gen_src c;
    gen_src_init(&c, bytes, 3);
    gen_range(&c, 0, 255);
    T_CHECK(c.n == 2);
    gen_range(&c, 0, 256);
    T_CHECK(c.n == 0);
    T_CHECK(gen_irange(&a, INT64_MIN, INT64_MAX) >= INT64_MIN);
}

/* GEN_ONE_OF: the alternative gen_weighted picks over the same weights and
 * bytes, one draw, and nothing when every weight is 0. */
static int one_of(gen_src *s, unsigned w0, unsigned w1, unsigned w2)
{
    int r = -1;
    GEN_ONE_OF (s) {
        GEN_OR (w0) r = 0;
        GEN_OR (w1) {
            r = 1;
            break;
        }
        GEN_OR (w2) return 2;
    }
    return r;
}

static void test_one_of(void)
{
    static const uint8_t w[] = {3, 0, 5};
    int counts[3] = {0};
    for (unsigned byte = 0; byte < 256; byte++) {
        uint8_t bytes[2] = {(uint8_t)byte, 7};
        gen_src a, b;
        gen_src_init(&a, bytes, 2);
        gen_src_init(&b, bytes, 2);
        int got = one_of(&a, w[0], w[1], w[2]);
        T_CHECK(got == (int)gen_weighted(&b, w, 3) && a.n == b.n && a.n == 1);
        counts[got]++;
    }
    T_CHECK(counts[1] == 0 && counts[0] == 96 && counts[2] == 160);
    gen_src e;
    gen_src_init(&e, NULL, 0);
    T_CHECK(one_of(&e, 0, 2, 5) == 1); /* bytes used up: the first with a weight */
    T_CHECK(one_of(&e, 0, 0, 0) == -1);
}

/* ---- extension values as strings ------------------------------------------------ */

static m_result ctor(m_extfn fn, const char *text)
{
    m_value v = m_string(m_str_c(text));
    return m_call(fn, 1, &v);
}

static void test_formats_parse_back(void)
{
    static const int64_t decimals[] = {0, 1, -1, 12345, -5000, INT64_MAX, INT64_MIN, 10000};
    static const int64_t instants[] = {
        0, -1, 86400000, 1709164800123LL, -62167219200000LL, 253402300799999LL, -86399999};
    static const int64_t durations[] = {0, 1, -1, 90061001, INT64_MAX, INT64_MIN, -5400000};
    for (uint64_t seed = 0; seed < 40; seed++) {
        gen_style st;
        gen_style_init(&st, seed * 0x9e3779b97f4a7c15ull + 1);
        gen_buf b;
        gen_buf_init(&b);
        for (size_t i = 0; i < sizeof decimals / sizeof *decimals; i++) {
            gen_buf_reset(&b);
            gen_fmt_decimal(&b, decimals[i], &st);
            m_result r = ctor(M_FN_DECIMAL, gen_buf_cstr(&b));
            T_CHECK(r.err == M_OK && r.v.kind == M_V_DECIMAL && r.v.u.i == decimals[i]);
        }
        for (size_t i = 0; i < sizeof instants / sizeof *instants; i++) {
            gen_buf_reset(&b);
            T_CHECK(gen_fmt_datetime(&b, instants[i], &st));
            m_result r = ctor(M_FN_DATETIME, gen_buf_cstr(&b));
            T_CHECK(r.err == M_OK && r.v.u.i == instants[i]);
            if (r.err || r.v.u.i != instants[i]) fprintf(stderr, "  %s\n", gen_buf_cstr(&b));
        }
        for (size_t i = 0; i < sizeof durations / sizeof *durations; i++) {
            gen_buf_reset(&b);
            gen_fmt_duration(&b, durations[i], &st);
            m_result r = ctor(M_FN_DURATION, gen_buf_cstr(&b));
            T_CHECK(r.err == M_OK && r.v.u.i == durations[i]);
        }
        m_ipaddr ips[] = {{false, 32, {127, 0, 0, 1}},
                          {false, 8, {10, 1, 2, 3}},
                          {true, 128, {[15] = 1}},
                          {true, 0, {0}},
                          {true, 64, {0xfe, 0x80, [14] = 0xab, [15] = 0xcd}},
                          {true, 48, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9}}};
        for (size_t i = 0; i < sizeof ips / sizeof *ips; i++) {
            gen_buf_reset(&b);
            gen_fmt_ip(&b, &ips[i], &st);
            m_result r = ctor(M_FN_IP, gen_buf_cstr(&b));
            T_CHECK(r.err == M_OK && memcmp(&r.v.u.ip, &ips[i], sizeof ips[i]) == 0);
        }
        gen_buf_free(&b);
    }
    /* no datetime string reaches the year 10000 */
    gen_style plain = {0, 0};
    gen_buf b;
    gen_buf_init(&b);
    T_CHECK(!gen_fmt_datetime(&b, 253402300800000LL, &plain));
    T_CHECK(b.len == 0);
    gen_fmt_decimal(&b, -5000, &plain);
    T_CHECK_STR(gen_buf_cstr(&b), "-0.5000");
    gen_buf_free(&b);
}

/* ---- the Cedar emitter ---------------------------------------------------------- */

static char *print_plain(const m_expr *x)
{
    gen_style plain = {0, 0};
    gen_buf b;
    gen_buf_init(&b);
    gen_print_expr(&b, x, &plain);
    char *s = strdup(gen_buf_cstr(&b));
    gen_buf_free(&b);
    return s;
}

static void check_print(const m_expr *x, const char *want)
{
    char *got = print_plain(x);
    T_CHECK_STR(got, want);
    free(got);
}

static void test_print_expressions(void)
{
    m_arena *a = m_arena_new();
    const m_expr *five = m_x_lit(a, m_int(5)), *minus5 = m_x_lit(a, m_int(-5));
    const m_expr *p = m_x_var(a, M_PRINCIPAL), *ctx = m_x_var(a, M_CONTEXT);
    /* a negated number keeps its parentheses; a negative literal has none */
    check_print(m_x_unary(a, M_NEG, five), "-(5)");
    check_print(minus5, "-5");
    check_print(m_x_unary(a, M_NEG, minus5), "-(-5)");
    check_print(m_x_lit(a, m_int(INT64_MIN)), "-9223372036854775808");
    /* precedence: left-associative operators, relations not associative */
    const m_expr *sum = m_x_binary(a, M_ADD, five, five);
    check_print(m_x_binary(a, M_SUB, sum, sum), "5 + 5 - (5 + 5)");
    check_print(m_x_binary(a, M_MUL, sum, minus5), "(5 + 5) * -5");
    check_print(m_x_binary(a, M_EQ, m_x_binary(a, M_EQ, five, five), five), "(5 == 5) == 5");
    check_print(m_x_and(a, m_x_and(a, p, p), m_x_or(a, p, p)),
                "principal && principal && (principal || principal)");
    /* member access on numbers and booleans is parenthesised */
    check_print(m_x_get_attr(a, five, m_str_c("a")), "(5).a");
    check_print(m_x_get_attr(a, ctx, m_str_c("a b")), "context[\"a b\"]");
    check_print(m_x_has_attr(a, ctx, m_str_c("if")), "context has \"if\"");
    check_print(m_x_has_attr(a, ctx, m_str_c("x")), "context has x");
    /* strings, patterns and uids */
    check_print(m_x_lit(a, m_string((m_str){"a\"\\\n\0*", 6})), "\"a\\\"\\\\\\n\\0*\"");
    check_print(m_x_like(a, ctx, m_pattern_of(a, "a*\\*")), "context like \"a*\\*\"");
    check_print(m_x_lit(a, m_entityv((m_uid){m_str_c("NS::User"), m_str_c("x\"y")})),
                "NS::User::\"x\\\"y\"");
    /* methods and constructors */
    const m_expr *s = m_x_lit(a, m_string(m_str_c("1.5")));
    const m_expr *dec = m_x_call(a, M_FN_DECIMAL, 1, &s);
    const m_expr *args[2] = {dec, dec};
    check_print(m_x_call(a, M_FN_LESS_THAN, 2, args),
                "decimal(\"1.5\").lessThan(decimal(\"1.5\"))");
    check_print(m_x_binary(a, M_CONTAINS, m_x_set(a, 2, args), five),
                "[decimal(\"1.5\"), decimal(\"1.5\")].contains(5)");
    check_print(m_x_is(a, p, m_str_c("NS::User")), "principal is NS::User");
    check_print(m_x_ite(a, p, five, minus5), "if principal then 5 else -5");
    m_arena_free(a);
}

static void test_print_policy_and_normalized_uid(void)
{
    m_arena *a = m_arena_new();
    gen_cond cond = {false, m_x_lit(a, m_bool(true))};
    gen_annot ann = {m_str_c("id"), m_str_c("x"), true};
    gen_policy p = {.id = m_str_c("policy0"),
                    .effect = M_FORBID,
                    .n_annots = 1,
                    .annots = &ann,
                    .scope = {{.op = GEN_SC_IS_IN, .is_type = m_str_c("User"), .slot = true},
                              {.op = GEN_SC_ANY},
                              {.op = GEN_SC_EQ, .uid = {m_str_c("Doc"), m_str_c("d")}}},
                    .n_conds = 1,
                    .conds = &cond,
                    .link_of = -1};
    gen_style plain = {0, 0};
    gen_buf b;
    gen_buf_init(&b);
    gen_print_policy(&b, &p, &plain);
    T_CHECK_STR(gen_buf_cstr(&b), "@id(\"x\")\nforbid(principal is User in ?principal, action, "
                                  "resource == Doc::\"d\") unless{true};\n");
    gen_buf_reset(&b);
    T_CHECK(gen_print_uid_normalized(&b, (m_uid){m_str_c("A::B"), m_str_c("it's \"q\"")}));
    T_CHECK_STR(gen_buf_cstr(&b), "A::B::\"it\\'s \\\"q\\\"\"");
    gen_buf_reset(&b);
    T_CHECK(!gen_print_uid_normalized(&b, (m_uid){m_str_c("A"), m_str_c("\xc3\xa9")}));
    gen_buf_free(&b);
    m_arena_free(a);
}

/* The model evaluates the expression of a value to that value. */
static void test_value_expr(void)
{
    m_arena *a = m_arena_new();
    m_value dt = {.kind = M_V_DATETIME, .u.i = INT64_MAX};
    m_value dec = {.kind = M_V_DECIMAL, .u.i = -12345};
    m_str keys[] = {m_str_c("z"), m_str_c("a")};
    m_value vals[] = {dt, m_set_of(a, 1, &dec)};
    m_value rec = m_record_of(a, 2, keys, vals);
    m_request rq = {.context = m_record_of(a, 0, NULL, NULL)};
    m_entities none = {0};
    m_result r = m_evaluate(gen_value_expr(a, rec), &rq, &none, a);
    T_CHECK(r.err == M_OK && m_value_eq(r.v, rec));
    m_arena_free(a);
}

static void test_json_strings(void)
{
    gen_style plain = {0, 0};
    gen_buf b;
    gen_buf_init(&b);
    gen_json_string(&b, (m_str){"a\"\\/\n\0\x01\xc3\xa9", 9}, &plain);
    T_CHECK_STR(gen_buf_cstr(&b), "\"a\\\"\\\\/\\n\\u0000\\u0001\xc3\xa9\"");
    gen_buf_free(&b);
}

/* ---- generated cases -------------------------------------------------------------- */

static void test_empty_input_makes_a_minimal_case(void)
{
    m_arena *a = m_arena_new();
    gen_src s;
    gen_src_init(&s, NULL, 0);
    gen_opts o = {.mode = GEN_TYPED, .max_policies = 5, .max_requests = 3, .templates = true};
    gen_case c;
    gen_case_build(&c, a, &s, &o, NULL);
    T_CHECK(c.schema.n_etypes == 1 && c.schema.n_actions == 1);
    T_CHECK(c.schema.actions[0].applies);
    T_CHECK(c.n_requests == 1 && c.n_policies == 1);
    T_CHECK(c.n_data == 0 && c.entities.n == 1); /* the action */
    m_response r = gen_model_answer(a, &c, 0);
    T_CHECK(r.allow); /* permit(principal, action, resource); */
    m_arena_free(a);
}

static bool conforms(const gen_schema *s, m_value v, const gen_type *t)
{
    switch (t->kind) {
    case GEN_T_BOOL: return v.kind == M_V_BOOL;
    case GEN_T_LONG: return v.kind == M_V_INT;
    case GEN_T_STRING: return v.kind == M_V_STRING;
    case GEN_T_ENTITY:
        return v.kind == M_V_ENTITY && m_str_eq(v.u.uid.type, s->etypes[t->ety].name);
    case GEN_T_SET:
        if (v.kind != M_V_SET) return false;
        for (size_t i = 0; i < v.u.set.n; i++)
            if (!conforms(s, v.u.set.elems[i], t->elem)) return false;
        return true;
    case GEN_T_RECORD:
        if (v.kind != M_V_RECORD) return false;
        for (size_t i = 0; i < t->n; i++) {
            const m_value *f = m_record_find(v, t->attrs[i].name);
            if ((!f && t->attrs[i].required) || (f && !conforms(s, *f, t->attrs[i].type)))
                return false;
        }
        return true;
    case GEN_T_DECIMAL: return v.kind == M_V_DECIMAL;
    case GEN_T_IPADDR: return v.kind == M_V_IPADDR;
    case GEN_T_DATETIME: return v.kind == M_V_DATETIME;
    default: return v.kind == M_V_DURATION;
    }
}

/* Fuzzer-like input bytes from a seed (xorshift64). */
static void xorshift_fill(uint8_t *bytes, size_t n, uint64_t x)
{
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        bytes[i] = (uint8_t)x;
    }
}

static void test_cases_are_consistent(void)
{
    uint8_t bytes[700];
    int typed_allow = 0;
    for (unsigned seed = 1; seed <= 300; seed++) {
        xorshift_fill(bytes, sizeof bytes, seed * 0x9e3779b97f4a7c15ull);
        m_arena *a = m_arena_new();
        gen_src s;
        gen_src_init(&s, bytes, sizeof bytes);
        gen_opts o = {.mode = seed % 2 ? GEN_TYPED : GEN_LOOSE,
                      .max_policies = 5,
                      .max_requests = 3,
                      .templates = true};
        gen_case c;
        gen_case_build(&c, a, &s, &o, NULL);
        const gen_schema *sc = &c.schema;
        for (size_t i = 0; i < c.n_data; i++) {
            const m_entity *e = &c.entities.items[i];
            int t = gen_schema_etype(sc, e->uid.type);
            T_CHECK(t >= 0 && !sc->etypes[t].n_enum);
            T_CHECK(conforms(sc, e->attrs, sc->etypes[t].shape));
            /* parents come later in the list (or do not exist): no cycles */
            for (size_t k = 0; k < e->n_parents; k++)
                for (size_t j = 0; j <= i; j++)
                    T_CHECK(!m_uid_eq(c.entities.items[j].uid, e->parents[k]));
        }
        for (size_t i = 0; i < c.n_requests; i++) {
            const gen_request *rq = &c.requests[i];
            int a_idx = gen_schema_action(sc, rq->r.action);
            T_CHECK(a_idx >= 0 && sc->actions[a_idx].applies);
            T_CHECK(conforms(sc, rq->r.context, sc->actions[a_idx].context));
            if (rq->validate) {
                bool p_ok = false;
                for (size_t k = 0; k < sc->actions[a_idx].n_principals; k++)
                    p_ok = p_ok || m_str_eq(sc->etypes[sc->actions[a_idx].principals[k]].name,
                                            rq->r.principal.type);
                T_CHECK(p_ok);
            }
            m_response r = gen_model_answer(a, &c, i);
            typed_allow += o.mode == GEN_TYPED && r.allow;
        }
        /* links point at templates; templates are not authorized */
        m_policy *ps;
        size_t n = gen_model_policies(a, &c, &ps), templates = 0;
        for (size_t i = 0; i < c.n_policies; i++) {
            templates += c.policies[i].is_template;
            if (c.policies[i].link_of >= 0) T_CHECK(c.policies[c.policies[i].link_of].is_template);
        }
        T_CHECK(n + templates == c.n_policies);
        /* the same bytes, the same case */
        gen_src_init(&s, bytes, sizeof bytes);
        gen_case again;
        gen_case_build(&again, a, &s, &o, NULL);
        T_CHECK(again.n_policies == c.n_policies && again.n_requests == c.n_requests);
        for (size_t i = 0; i < c.n_policies && i < again.n_policies; i++)
            T_CHECK(gen_expr_eq(gen_model_policy(a, &c, i).condition,
                                gen_model_policy(a, &again, i).condition));
        m_arena_free(a);
    }
    T_CHECK(typed_allow > 20); /* typed cases do reach Allow */
}

/* The largest magnitude of a long anywhere in v. */
static uint64_t max_long(m_value v)
{
    uint64_t m = 0, x;
    switch (v.kind) {
    case M_V_INT: return v.u.i < 0 ? 0 - (uint64_t)v.u.i : (uint64_t)v.u.i;
    case M_V_SET:
        for (size_t i = 0; i < v.u.set.n; i++)
            if ((x = max_long(v.u.set.elems[i])) > m) m = x;
        return m;
    case M_V_RECORD:
        for (size_t i = 0; i < v.u.rec.n; i++)
            if ((x = max_long(v.u.rec.fields[i].val)) > m) m = x;
        return m;
    default: return 0;
    }
}

/* The largest long in a case's entity attributes, tags and contexts. */
static uint64_t max_data_long(const gen_case *c)
{
    uint64_t m = 0, x;
    for (size_t i = 0; i < c->entities.n; i++) {
        const m_entity *e = &c->entities.items[i];
        if ((x = max_long(e->attrs)) > m) m = x;
        if ((x = max_long(e->tags)) > m) m = x;
    }
    for (size_t i = 0; i < c->n_requests; i++)
        if ((x = max_long(c->requests[i].r.context)) > m) m = x;
    return m;
}

/* safe_data_longs keeps data longs within +-2^53 (for the oracle); without
 * it the same bytes do make larger ones. */
static void test_safe_data_longs(void)
{
    const uint64_t lim = UINT64_C(1) << 53;
    uint8_t bytes[900];
    int big_without = 0, big_with = 0;
    for (unsigned seed = 1; seed <= 300; seed++) {
        xorshift_fill(bytes, sizeof bytes, seed * 0x2545f4914f6cdd1dull);
        for (int safe = 0; safe <= 1; safe++) {
            m_arena *a = m_arena_new();
            gen_src s;
            gen_src_init(&s, bytes, sizeof bytes);
            gen_opts o = {.mode = seed % 2 ? GEN_TYPED : GEN_LOOSE,
                          .max_policies = 5,
                          .max_requests = 3,
                          .templates = true,
                          .safe_data_longs = safe};
            gen_case c;
            gen_case_build(&c, a, &s, &o, NULL);
            if (max_data_long(&c) > lim) *(safe ? &big_with : &big_without) += 1;
            m_arena_free(a);
        }
    }
    T_CHECK(big_with == 0);
    T_CHECK(big_without > 10);
}

int main(void)
{
    T_RUN(test_src_exhausted_takes_smallest);
    T_RUN(test_src_ranges_and_determinism);
    T_RUN(test_one_of);
    T_RUN(test_formats_parse_back);
    T_RUN(test_print_expressions);
    T_RUN(test_print_policy_and_normalized_uid);
    T_RUN(test_value_expr);
    T_RUN(test_json_strings);
    T_RUN(test_empty_input_makes_a_minimal_case);
    T_RUN(test_cases_are_consistent);
    T_RUN(test_safe_data_longs);
    T_DONE();
}
