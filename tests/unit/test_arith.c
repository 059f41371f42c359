/* Tests of the checked arithmetic on longs, core's cd_arith (proved:
 * docs/verification.md) and the model's `+ - *` and unary `-`, against the
 * compiler's __builtin_*_overflow as the reference: on every pair of edge
 * values (around zero, the bounds, and the square root of 2^63, where `*`
 * starts to overflow) and on random pairs of random widths. */
#include <stdbool.h>
#include <stdint.h>

#include "cd_arith.h"
#include "model.h"
#include "t.h"

enum { ADD, SUB, MUL, NEG };

static m_arena *A;
static int64_t checked; /* how many (op, x, y) were compared */

/* The reference: true and *r when x op y fits in 64 bits. */
static bool ref(int op, int64_t x, int64_t y, int64_t *r)
{
    switch (op) {
    case ADD: return !__builtin_add_overflow(x, y, r);
    case SUB: return !__builtin_sub_overflow(x, y, r);
    case MUL: return !__builtin_mul_overflow(x, y, r);
    default: return !__builtin_sub_overflow((int64_t)0, x, r);
    }
}

static bool core(int op, int64_t x, int64_t y, int64_t *r)
{
    switch (op) {
    case ADD: return cd_arith_add(x, y, r);
    case SUB: return cd_arith_sub(x, y, r);
    case MUL: return cd_arith_mul(x, y, r);
    default: return cd_arith_neg(x, r);
    }
}

/* The model's evaluation of x op y: true and *r, or false on arithBoundsError
 * (any other error fails the check). */
static bool model(int op, int64_t x, int64_t y, int64_t *r)
{
    static const m_op2 ops[] = {M_ADD, M_SUB, M_MUL};
    const m_expr *a = m_x_lit(A, m_int(x));
    const m_expr *e =
        op == NEG ? m_x_unary(A, M_NEG, a) : m_x_binary(A, ops[op], a, m_x_lit(A, m_int(y)));
    m_request req = {{m_str_c("U"), m_str_c("u")},
                     {m_str_c("A"), m_str_c("a")},
                     {m_str_c("R"), m_str_c("r")},
                     m_record_of(A, 0, NULL, NULL)};
    m_entities es = {0, NULL};
    m_result res = m_evaluate(e, &req, &es, A);
    T_CHECK(res.err == M_OK ? res.v.kind == M_V_INT : res.err == M_ARITH_BOUNDS_ERROR);
    if (res.err == M_OK) *r = res.v.u.i;
    return res.err == M_OK;
}

/* Both engines agree with the reference on x op y: the same value when it
 * fits, an overflow (core: false, *r untouched; model: arithBoundsError)
 * otherwise. */
static void check(int op, int64_t x, int64_t y)
{
    int64_t want = 0, got = 7, mgot = 0;
    bool fits = ref(op, x, y, &want);
    bool ok = core(op, x, y, &got);
    T_CHECK(ok == fits);
    T_CHECK(fits ? got == want : got == 7);
    bool mok = model(op, x, y, &mgot);
    T_CHECK(mok == fits);
    T_CHECK(!fits || mgot == want);
    if (ok != fits || mok != fits)
        fprintf(stderr, "  op %d on %lld, %lld\n", op, (long long)x, (long long)y);
    checked++;
}

static const int64_t edges[] = {0,
                                1,
                                -1,
                                2,
                                -2,
                                3,
                                -3,
                                INT64_MAX,
                                INT64_MAX - 1,
                                INT64_MIN,
                                INT64_MIN + 1,
                                INT64_MAX / 2,
                                INT64_MAX / 2 + 1,
                                INT64_MIN / 2,
                                INT64_MIN / 2 - 1,
                                INT64_MAX / 3,
                                INT64_MIN / 3,
                                3037000499,
                                3037000500,
                                -3037000499,
                                -3037000500,
                                4294967296,
                                -4294967296,
                                4294967295,
                                -4294967297};

static void test_edges(void)
{
    size_t n = sizeof edges / sizeof *edges;
    for (int op = ADD; op <= NEG; op++)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < (op == NEG ? 1 : n); j++)
                check(op, edges[i], edges[j]);
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
/* A random long of a random width (so that products both fit and overflow). */
static int64_t random_long(void)
{
    unsigned bits = (unsigned)(next() % 64);
    int64_t v = (int64_t)(next() >> (63 - bits) >> 1);
    return next() & 1 ? -v - (int64_t)(next() & 1) : v;
}

static void test_random(void)
{
    for (int k = 0; k < 20000; k++)
        check((int)(next() % 4), random_long(), random_long());
}

int main(void)
{
    A = m_arena_new();
    T_RUN(test_edges);
    T_RUN(test_random);
    fprintf(stderr, "%lld operations compared\n", (long long)checked);
    m_arena_free(A);
    T_DONE();
}
