/* flood: hash flooding of the entity table (issue 9, point 6).
 *
 *   flood [--n N] [--runs R]
 *
 * Loads N entities of type User (default 100,000) twice: with ids that
 * collided under the entity table's old fixed hash, and with random ids of
 * the same length, and prints the best of R load times of each.
 *
 * The old hash was FNV-1a with fixed seeds: the table index of User::"id"
 * was mix64(fnv1a("User", 0) ^ fnv1a(id, 0x5bd1e995)) & mask, mask + 1 a
 * power of two at least twice the entity count. The colliding ids are those
 * whose old index is below 256 in a table of 2^18 slots, hence also in any
 * smaller table: all N pile up in one probe run, so each insertion and
 * lookup walked the whole run (quadratic loading). Found by brute force
 * over 7-character ids, about 2^10 candidates per id (under a second).
 * With a keyed hash they spread like any other ids.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cedar/cedar.h"

static uint64_t fnv1a(const char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

#define ID_LEN 7
static const char ALNUM[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/* n ids (ID_LEN chars each, consecutive in out) whose old index agrees with
 * 0 in bits 8..17. Prefix of 3 chars, then 4 varying ones, FNV state carried
 * along the loops. */
static void colliding_ids(size_t n, char *out)
{
    const uint64_t basis = 0xcbf29ce484222325ULL;
    const uint64_t type_hash = fnv1a("User", 4, basis);
    size_t found = 0;
    char id[ID_LEN];
    for (int a = 0; a < 62 && found < n; a++)
        for (int b = 0; b < 62 && found < n; b++)
            for (int c = 0; c < 62 && found < n; c++) {
                id[0] = ALNUM[a], id[1] = ALNUM[b], id[2] = ALNUM[c];
                uint64_t h3 = fnv1a(id, 3, basis ^ 0x5bd1e995);
                for (int d = 0; d < 62 && found < n; d++) {
                    uint64_t h4 = (h3 ^ (unsigned char)ALNUM[d]) * 0x100000001b3ULL;
                    for (int e = 0; e < 62 && found < n; e++) {
                        uint64_t h5 = (h4 ^ (unsigned char)ALNUM[e]) * 0x100000001b3ULL;
                        for (int f = 0; f < 62 && found < n; f++) {
                            uint64_t h6 = (h5 ^ (unsigned char)ALNUM[f]) * 0x100000001b3ULL;
                            for (int g = 0; g < 62; g++) {
                                uint64_t h7 = (h6 ^ (unsigned char)ALNUM[g]) * 0x100000001b3ULL;
                                if (mix64(type_hash ^ h7) & 0x3ff00) continue;
                                id[3] = ALNUM[d], id[4] = ALNUM[e], id[5] = ALNUM[f];
                                id[6] = ALNUM[g];
                                memcpy(out + found * ID_LEN, id, ID_LEN);
                                if (++found == n) break;
                            }
                        }
                    }
                }
            }
}

static void random_ids(size_t n, char *out)
{
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n * ID_LEN; i++) {
        s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
        out[i] = ALNUM[(s * 0x2545F4914F6CDD1DULL >> 32) % 62];
    }
    /* make them distinct: the first 3 characters count i in base 62 */
    for (size_t i = 0; i < n; i++) {
        out[i * ID_LEN] = ALNUM[i % 62];
        out[i * ID_LEN + 1] = ALNUM[i / 62 % 62];
        out[i * ID_LEN + 2] = ALNUM[i / 3844 % 62];
    }
}

static char *entities_json(const char *ids, size_t n, size_t *len)
{
    size_t cap = 16 + n * 64, w = 0;
    char *j = malloc(cap);
    j[w++] = '[';
    for (size_t i = 0; i < n; i++)
        w += (size_t)snprintf(j + w, cap - w,
                              "%s{\"uid\":{\"type\":\"User\",\"id\":\"%.*s\"},\"attrs\":{},"
                              "\"parents\":[]}",
                              i ? "," : "", ID_LEN, ids + i * ID_LEN);
    j[w++] = ']';
    *len = w;
    return j;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Best of runs load times of the entities JSON. */
static double load_time(const char *json, size_t len, size_t n, int runs)
{
    double best = 1e30;
    for (int r = 0; r < runs; r++) {
        cedar_error err = {0};
        double t0 = now_s();
        cedar_entities *es = cedar_entities_parse(json, len, NULL, "flood.json", &err);
        double t = now_s() - t0;
        if (!es || cedar_entities_count(es) != n) {
            fprintf(stderr, "flood: load failed\n");
            exit(1);
        }
        cedar_entities_free(es);
        if (t < best) best = t;
    }
    return best;
}

int main(int argc, char **argv)
{
    size_t n = 100000;
    int runs = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--n")) n = strtoul(argv[i + 1], NULL, 10);
        if (!strcmp(argv[i], "--runs")) runs = atoi(argv[i + 1]);
    }
    char *ids = malloc(n * ID_LEN);
    double t0 = now_s();
    colliding_ids(n, ids);
    double gen = now_s() - t0;
    size_t len;
    char *json = entities_json(ids, n, &len);
    double coll = load_time(json, len, n, runs);
    free(json);
    random_ids(n, ids);
    json = entities_json(ids, n, &len);
    double rand = load_time(json, len, n, runs);
    free(json);
    free(ids);
    printf("flood n=%zu  colliding ids %.1f ms  random ids %.1f ms  ratio %.2f  (ids found in "
           "%.2f s)\n",
           n, coll * 1e3, rand * 1e3, coll / rand, gen);
    return 0;
}
