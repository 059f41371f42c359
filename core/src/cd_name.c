/* cd_name.c: the process-wide table of interned names, reference-counted by
 * the arenas that hold them (see cd_base.h). Linear probing; a name whose
 * last reference goes is removed by backward-shift deletion, and the slot
 * array shrinks when it becomes mostly empty, so a process that has read
 * many names and freed everything gets the memory back. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_base.h"

#define PINNED  SIZE_MAX
#define MIN_CAP 256

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static cd_name **slots;
static size_t nslots, count;

static _Noreturn void oom(void)
{
    fputs("libcedar: out of memory\n", stderr);
    abort();
}

static void resize(size_t n)
{
    cd_name **s = calloc(n, sizeof *s);
    if (!s) oom();
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

/* Take one reference for owner (none if it already holds n); lock held. */
static void take(cd_arena *owner, cd_name *n)
{
    if (n->refs == PINNED) return;
    if (!owner)
        n->refs = PINNED;
    else if (cd_arena_add_name(owner, n))
        n->refs++;
}

/* The entry for text, added with no reference when new; lock held. */
static cd_name *find_or_add(const char *text, size_t len, uint64_t h)
{
    if ((count + 1) * 2 > nslots) resize(nslots ? nslots * 2 : MIN_CAP);
    size_t j = h & (nslots - 1);
    for (; slots[j]; j = (j + 1) & (nslots - 1)) {
        cd_name *n = slots[j];
        if (n->hash == h && n->len == len && memcmp(n->text, text, len) == 0) return n;
    }
    cd_name *n = malloc(sizeof *n + len + 1);
    if (!n) oom();
    n->hash = h;
    n->len = len;
    n->refs = 0;
    memcpy(n->text, text, len);
    n->text[len] = 0;
    slots[j] = n;
    count++;
    return n;
}

const cd_name *cd_name_intern(cd_arena *owner, const char *text, size_t len)
{
    uint64_t h = cd_hash_bytes(text, len, 0);
    pthread_mutex_lock(&lock);
    cd_name *n = find_or_add(text, len, h);
    take(owner, n);
    pthread_mutex_unlock(&lock);
    return n;
}

void cd_name_intern_refs(size_t n, const char *const *texts, const size_t *lens,
                         const cd_name **out)
{
    uint64_t h[8];
    for (size_t i = 0; i < n && i < 8; i++)
        h[i] = cd_hash_bytes(texts[i], lens[i], 0);
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n; i++) {
        uint64_t hi = i < 8 ? h[i] : cd_hash_bytes(texts[i], lens[i], 0);
        cd_name *nm = find_or_add(texts[i], lens[i], hi);
        if (nm->refs != PINNED) nm->refs++;
        out[i] = nm;
    }
    pthread_mutex_unlock(&lock);
}

const cd_name *cd_name_hold(cd_arena *owner, const cd_name *n)
{
    /* n is alive: whoever handed it to us holds it */
    pthread_mutex_lock(&lock);
    take(owner, (cd_name *)n);
    pthread_mutex_unlock(&lock);
    return n;
}

size_t cd_name_count(void)
{
    pthread_mutex_lock(&lock);
    size_t c = count;
    pthread_mutex_unlock(&lock);
    return c;
}

/* Remove n from the table: empty its slot, then shift back every later
 * entry of the run that its home slot no longer lets it skip over. */
static void remove_name(cd_name *n)
{
    size_t mask = nslots - 1, i = n->hash & mask;
    while (slots[i] != n)
        i = (i + 1) & mask;
    for (size_t j = (i + 1) & mask; slots[j]; j = (j + 1) & mask) {
        size_t home = slots[j]->hash & mask;
        /* slots[j] stays if its home lies cyclically in (i, j] */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays) continue;
        slots[i] = slots[j];
        i = j;
    }
    slots[i] = NULL;
    count--;
    free(n);
}

void cd_name_release(const cd_name *const *names, size_t n)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n; i++) {
        cd_name *nm = (cd_name *)names[i];
        if (!nm || nm->refs == PINNED) continue;
        if (--nm->refs == 0) remove_name(nm);
    }
    if (nslots > MIN_CAP && count * 8 < nslots) {
        size_t want = MIN_CAP;
        while (want < count * 4)
            want *= 2;
        resize(want);
    }
    pthread_mutex_unlock(&lock);
}
