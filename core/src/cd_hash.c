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

/* Little-endian loads (memcpy compiles to one move). */
static inline uint64_t load64(const unsigned char *s)
{
    uint64_t m;
    memcpy(&m, s, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    m = __builtin_bswap64(m);
#endif
    return m;
}

static inline uint64_t load32(const unsigned char *s)
{
    uint32_t m;
    memcpy(&m, s, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    m = __builtin_bswap32(m);
#endif
    return m;
}

/* The r < 8 bytes at t as a little-endian word, without a byte loop: two
 * overlapping 4-byte loads, or for r < 4 the first, middle and last bytes
 * (overlaps put the same byte at the same place). */
static inline uint64_t load_tail(const unsigned char *t, size_t r)
{
    if (r >= 4) return load32(t) | load32(t + r - 4) << (8 * (r - 4));
    if (r == 0) return 0;
    return (uint64_t)t[0] | (uint64_t)t[r / 2] << (8 * (r / 2)) |
           (uint64_t)t[r - 1] << (8 * (r - 1));
}

static inline __attribute__((always_inline)) uint64_t sip(uint64_t k0, uint64_t k1, const void *p,
                                                          size_t n, int c, int d)
{
    const unsigned char *s = p;
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    size_t full = n & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m = load64(s + i);
        v3 ^= m;
        for (int r = 0; r < c; r++)
            SIPROUND;
        v0 ^= m;
    }
    uint64_t m = (uint64_t)n << 56 | load_tail(s + full, n & 7);
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
static bool key_ready; /* set (release) once key is drawn: skips the call */

static void draw_key(void)
{
    arc4random_buf(key, sizeof key);
    __atomic_store_n(&key_ready, true, __ATOMIC_RELEASE);
}

static inline void need_key(void)
{
    if (!__atomic_load_n(&key_ready, __ATOMIC_ACQUIRE)) pthread_once(&once, draw_key);
}

void cd_hash_key(uint64_t *k0, uint64_t *k1)
{
    need_key();
    *k0 = key[0];
    *k1 = key[1];
}

uint64_t cd_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    need_key();
    return sip(key[0] ^ seed, key[1], p, n, 1, 3);
}
