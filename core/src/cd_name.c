/* cd_name.c: the process-wide table of interned names. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_base.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static cd_name **slots;
static size_t nslots, count;

static void grow(void)
{
    size_t n = nslots ? nslots * 2 : 256;
    cd_name **s = calloc(n, sizeof *s);
    if (!s) {
        fputs("libcedar: out of memory\n", stderr);
        abort();
    }
    for (size_t i = 0; i < nslots; i++) {
        if (!slots[i]) continue;
        size_t j = slots[i]->hash & (n - 1);
        while (s[j])
            j = (j + 1) & (n - 1);
        s[j] = slots[i];
    }
    free(slots);
    slots = s;
    nslots = n;
}

const cd_name *cd_name_intern(const char *text, size_t len)
{
    uint64_t h = cd_hash_bytes(text, len, 0);
    pthread_mutex_lock(&lock);
    if ((count + 1) * 2 > nslots) grow();
    size_t j = h & (nslots - 1);
    while (slots[j]) {
        cd_name *n = slots[j];
        if (n->hash == h && n->len == len && memcmp(n->text, text, len) == 0) {
            pthread_mutex_unlock(&lock);
            return n;
        }
        j = (j + 1) & (nslots - 1);
    }
    cd_name *n = malloc(sizeof *n + len + 1);
    if (!n) {
        fputs("libcedar: out of memory\n", stderr);
        abort();
    }
    n->hash = h;
    n->len = len;
    memcpy(n->text, text, len);
    n->text[len] = 0;
    slots[j] = n;
    count++;
    pthread_mutex_unlock(&lock);
    return n;
}
