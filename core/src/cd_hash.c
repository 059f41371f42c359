/* cd_hash.c: keyed hashing for every table whose keys come from input.
 *
 * SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012),
 * written from the paper's description: the 128-bit key k0, k1 initialises
 * four 64-bit words; each 8-byte little-endian block m is xored into v3, c
 * SipRounds, xored into v0; the last block holds the remaining bytes and the
 * length mod 256 in its top byte; then 0xff is xored into v2 and d rounds
 * give v0 ^ v1 ^ v2 ^ v3. We use c = 1, d = 3 (SipHash-1-3, what Rust's
 * HashMap uses): a fixed hash such as FNV-1a lets whoever picks the keys
 * (entity ids, type and attribute names) make them collide and every
 * insertion walk one long probe run; a keyed PRF with a secret per-process
 * key does not. The key is drawn once, with libbsd's arc4random_buf.
 */
#include <bsd/stdlib.h>
#include <pthread.h>
#include <string.h>

#include "cd_base.h"

static uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);                                  \
        v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;                                                     \
        v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;                                                     \
        v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);                                  \
    } while (0)

static inline __attribute__((always_inline)) uint64_t sip(uint64_t k0, uint64_t k1, const void *p,
                                                          size_t n, int c, int d)
{
    const unsigned char *s = p;
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    size_t full = n & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m = 0;
        for (int b = 0; b < 8; b++)
            m |= (uint64_t)s[i + b] << (8 * b);
        v3 ^= m;
        for (int r = 0; r < c; r++)
            SIPROUND;
        v0 ^= m;
    }
    uint64_t m = (uint64_t)n << 56;
    for (size_t b = 0; b < (n & 7); b++)
        m |= (uint64_t)s[full + b] << (8 * b);
    v3 ^= m;
    for (int r = 0; r < c; r++)
        SIPROUND;
    v0 ^= m;
    v2 ^= 0xff;
    for (int r = 0; r < d; r++)
        SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t cd_siphash13(uint64_t k0, uint64_t k1, const void *p, size_t n)
{
    return sip(k0, k1, p, n, 1, 3);
}

uint64_t cd_siphash24(uint64_t k0, uint64_t k1, const void *p, size_t n)
{
    return sip(k0, k1, p, n, 2, 4);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static uint64_t key[2];

static void draw_key(void)
{
    arc4random_buf(key, sizeof key);
}

void cd_hash_key(uint64_t *k0, uint64_t *k1)
{
    pthread_once(&once, draw_key);
    *k0 = key[0];
    *k1 = key[1];
}

uint64_t cd_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    pthread_once(&once, draw_key);
    return sip(key[0] ^ seed, key[1], p, n, 1, 3);
}
