/* Tests of cd_hash: SipHash known answers and the per-process key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cd_base.h"
#include "t.h"

/* The reference test setting: key 00 01 .. 0f, message 00 01 .. (len-1);
 * a hash is the little-endian reading of the 8 output bytes. */
static const uint64_t K0 = 0x0706050403020100ULL, K1 = 0x0f0e0d0c0b0a0908ULL;

static uint64_t ref(uint64_t (*f)(uint64_t, uint64_t, const void *, size_t), size_t len)
{
    unsigned char m[64] = {0};
    for (size_t i = 0; i < len; i++)
        m[i] = (unsigned char)i;
    return f(K0, K1, m, len);
}

/* SipHash-2-4: the reference vectors.h (the paper's example is length 15);
 * every tail length 0..7, one and two blocks, and the longest. */
static const uint64_t SIP24[16] = {
    0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL, 0x85676696d7fb7e2dULL,
    0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL, 0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL,
    0x93f5f5799a932462ULL, 0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
    0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL, 0xa129ca6149be45e5ULL,
};

/* SipHash-1-3: the reference implementation built with cROUNDS 1, dROUNDS 3
 * (the vectors of Rust's core::hash::sip tests). */
static const uint64_t SIP13[16] = {
    0xabac0158050fc4dcULL, 0xc9f49bf37d57ca93ULL, 0x82cb9b024dc7d44dULL, 0x8bf80ab8e7ddf7fbULL,
    0xcf75576088d38328ULL, 0xdef9d52f49533b67ULL, 0xc50d2b50c59f22a7ULL, 0xd3927d989bb11140ULL,
    0x369095118d299a8eULL, 0x25a48eb36c063de4ULL, 0x79de85ee92ff097fULL, 0x70c118c1f94dc352ULL,
    0x78a384b157b4d9a2ULL, 0x306f760c1229ffa7ULL, 0x605aa111c0f95d34ULL, 0xd320d86d2a519956ULL,
};

static void test_siphash24_vectors(void)
{
    for (size_t len = 0; len < 16; len++)
        if (ref(cd_siphash24, len) != SIP24[len]) {
            fprintf(stderr, "SipHash-2-4, length %zu\n", len);
            T_CHECK(ref(cd_siphash24, len) == SIP24[len]);
        }
    T_CHECK(ref(cd_siphash24, 63) == 0x958a324ceb064572ULL);
}

static void test_siphash13_vectors(void)
{
    for (size_t len = 0; len < 16; len++)
        if (ref(cd_siphash13, len) != SIP13[len]) {
            fprintf(stderr, "SipHash-1-3, length %zu\n", len);
            T_CHECK(ref(cd_siphash13, len) == SIP13[len]);
        }
    T_CHECK(cd_siphash13(0, 0, "", 0) == 0xd1fba762150c532cULL); /* zero key */
}

/* Another key, another hash; the table hash is SipHash-1-3 under the
 * process key, the seed folded into the key. */
static void test_keyed(void)
{
    T_CHECK(cd_siphash13(K0, K1, "User", 4) != cd_siphash13(K0 ^ 1, K1, "User", 4));
    T_CHECK(cd_siphash13(K0, K1, "User", 4) != cd_siphash13(K0, K1 ^ 1, "User", 4));
    uint64_t k0, k1;
    cd_hash_key(&k0, &k1);
    T_CHECK(k0 != 0 || k1 != 0);
    T_CHECK(cd_hash_bytes("User", 4, 0) == cd_siphash13(k0, k1, "User", 4));
    T_CHECK(cd_hash_bytes("User", 4, 42) == cd_siphash13(k0 ^ 42, k1, "User", 4));
}

/* Two processes draw different keys: run this program twice in "print the
 * hash" mode. */
static unsigned long long child_hash(void)
{
    char self[4096], cmd[4200];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 0;
    self[n] = 0;
    snprintf(cmd, sizeof cmd, "'%s' --print-hash", self);
    FILE *f = popen(cmd, "r");
    unsigned long long h = 0;
    if (!f) return 0;
    if (fscanf(f, "%llx", &h) != 1) h = 0;
    pclose(f);
    return h;
}

static void test_key_per_process(void)
{
    unsigned long long a = child_hash(), b = child_hash();
    T_CHECK(a != 0 && b != 0);
    T_CHECK(a != b);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--print-hash") == 0) {
        printf("%llx\n", (unsigned long long)cd_hash_bytes("User", 4, 0));
        return 0;
    }
    T_RUN(test_siphash24_vectors);
    T_RUN(test_siphash13_vectors);
    T_RUN(test_keyed);
    T_RUN(test_key_per_process);
    T_DONE();
}
