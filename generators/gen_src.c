/* gen_src.c: the entropy source over the fuzzer's bytes, and the style seed. */
#include "gen.h"

void gen_src_init(gen_src *s, const void *data, size_t size)
{
    s->p = data;
    s->n = data ? size : 0;
}

/* As many bytes as the range needs, big-endian, reduced modulo its size: a
 * small range costs one byte, so mutations of one byte change one choice. */
uint64_t gen_range(gen_src *s, uint64_t lo, uint64_t hi)
{
    if (hi <= lo) return lo;
    uint64_t span = hi - lo, x = 0;
    for (unsigned k = 0; k < 8 && s->n > 0 && (k == 0 || (span >> (8 * k)) != 0); k++) {
        x = x << 8 | *s->p++;
        s->n--;
    }
    return span == UINT64_MAX ? lo + x : lo + x % (span + 1);
}

int64_t gen_irange(gen_src *s, int64_t lo, int64_t hi)
{
    if (hi <= lo) return lo;
    uint64_t off = gen_range(s, 0, (uint64_t)hi - (uint64_t)lo);
    return (int64_t)((uint64_t)lo + off);
}

size_t gen_pick(gen_src *s, size_t n)
{
    return n == 0 ? 0 : (size_t)gen_range(s, 0, n - 1);
}

size_t gen_weighted(gen_src *s, const uint8_t *weights, size_t n)
{
    unsigned total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    if (total == 0) return 0;
    unsigned x = (unsigned)gen_range(s, 0, total - 1);
    for (size_t i = 0; i < n; i++) {
        if (x < weights[i]) return i;
        x -= weights[i];
    }
    return 0;
}

bool gen_choice_next(gen_choice *c)
{
    switch (c->pass) {
    case 0: c->pass = 1; return true;
    case 1:
        if (c->total == 0) return false;
        c->x = (unsigned)gen_range(c->src, 0, c->total - 1);
        c->pass = 2;
        return true;
    default: return false;
    }
}

bool gen_choice_arm(gen_choice *c, unsigned weight)
{
    if (c->pass == 1) {
        c->total += weight;
        return false;
    }
    if (c->pass != 2) return false;
    if (c->x < weight) {
        c->pass = 3;
        return true;
    }
    c->x -= weight;
    return false;
}

/* splitmix64: a seed's whole stream of surface choices. */
void gen_style_init(gen_style *st, uint64_t seed)
{
    st->state = seed;
    st->level = (unsigned)(seed % 4); /* a quarter of the cases are printed plainly */
}
