/* cd_arith.h: Cedar's checked arithmetic on longs (`+`, `-`, `*`, unary `-`).
 *
 * Each function stores the mathematical result in *out and returns true when
 * it fits in 64 bits, and returns false (leaving *out alone) when it does
 * not: the evaluator then reports an overflow error. The checks are plain
 * comparisons rather than __builtin_*_overflow so that Frama-C/WP proves
 * them: the ACSL contracts below say true and the mathematical result when
 * it lies in [INT64_MIN, INT64_MAX], false and nothing written otherwise
 * (ACSL arithmetic is on unbounded integers). scripts/prove proves this
 * header; docs/verification.md. Inline: evaluation calls them per operator.
 */
#ifndef CD_ARITH_H
#define CD_ARITH_H

#include <stdbool.h>
#include <stdint.h>

/*@ predicate fits(integer v) = INT64_MIN <= v <= INT64_MAX; */

/*@ requires \valid(out);
    behavior in_range:
      assumes fits(x + y);
      assigns *out;
      ensures exact: \result && *out == x + y;
    behavior overflow:
      assumes !fits(x + y);
      assigns \nothing;
      ensures overflow_reported: !\result;
    complete behaviors;
    disjoint behaviors; */
static inline bool cd_arith_add(int64_t x, int64_t y, int64_t *out)
{
    if (y > 0 ? x > INT64_MAX - y : x < INT64_MIN - y) return false;
    *out = x + y;
    return true;
}

/*@ requires \valid(out);
    behavior in_range:
      assumes fits(x - y);
      assigns *out;
      ensures exact: \result && *out == x - y;
    behavior overflow:
      assumes !fits(x - y);
      assigns \nothing;
      ensures overflow_reported: !\result;
    complete behaviors;
    disjoint behaviors; */
static inline bool cd_arith_sub(int64_t x, int64_t y, int64_t *out)
{
    if (y > 0 ? x < INT64_MIN + y : x > INT64_MAX + y) return false;
    *out = x - y;
    return true;
}

/* For `*`, by the signs: with y > 0, x * y > INT64_MAX exactly when
 * x > INT64_MAX / y (C division truncates toward zero), and likewise for
 * the other three sign cases; a zero operand never overflows. */
/*@ requires \valid(out);
    behavior in_range:
      assumes fits(x * y);
      assigns *out;
      ensures exact: \result && *out == x * y;
    behavior overflow:
      assumes !fits(x * y);
      assigns \nothing;
      ensures overflow_reported: !\result;
    complete behaviors;
    disjoint behaviors; */
static inline bool cd_arith_mul(int64_t x, int64_t y, int64_t *out)
{
    //@ assert hint_max_y: y > 0 ==> INT64_MAX / y * y <= INT64_MAX < (INT64_MAX / y + 1) * y;
    //@ assert hint_min_y: y > 0 ==> (INT64_MIN / y - 1) * y < INT64_MIN <= INT64_MIN / y * y;
    //@ assert hint_min_x: x > 0 ==> (INT64_MIN / x - 1) * x < INT64_MIN <= INT64_MIN / x * x;
    //@ assert hint_max_x: x < 0 ==> INT64_MAX / x * x <= INT64_MAX < (INT64_MAX / x - 1) * x;
    //@ assert hint_mono: y > 0 && x < INT64_MIN / y ==> x * y <= (INT64_MIN / y - 1) * y;
    bool overflow;
    if (x > 0)
        overflow = y > 0 ? x > INT64_MAX / y : y < INT64_MIN / x;
    else if (x < 0)
        overflow = y > 0 ? x < INT64_MIN / y : y < INT64_MAX / x;
    else
        overflow = false;
    if (overflow) return false;
    *out = x * y;
    return true;
}

/*@ requires \valid(out);
    behavior in_range:
      assumes fits(-x);
      assigns *out;
      ensures exact: \result && *out == -x;
    behavior overflow:
      assumes !fits(-x);
      assigns \nothing;
      ensures overflow_reported: !\result;
    complete behaviors;
    disjoint behaviors; */
static inline bool cd_arith_neg(int64_t x, int64_t *out)
{
    if (x == INT64_MIN) return false;
    *out = -x;
    return true;
}

#endif
