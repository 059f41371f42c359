/* cd_name.c: the process-wide table of interned names, reference-counted by
 * the arenas that hold them (see cd_base.h). Linear probing; a name whose
 * last reference goes is removed by backward-shift deletion, and the slot
 * array shrinks when it becomes mostly empty, so a process that has read
 * many names and freed everything gets the memory back.
 *
 * Counts change atomically, so that two paths need no lock: a reference
 * taken on a name the thread's cache holds (cd_name_intern_refs: the cache
 * keeps the last few names each thread interned that way, one reference
 * each), and a reference given back that is not the last. Every change to or
 * from 0 still happens under the lock (a name at 0 is being removed): the
 * lock-free increment needs the cache's reference (so the count is >= 1), the
 * lock-free decrement a count >= 2. */
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

static size_t refs_of(const cd_name *n)
{
    return __atomic_load_n(&n->refs, __ATOMIC_ACQUIRE);
}

/* refs + 1 unless pinned, without the lock: only for a name the caller
 * already holds a reference to. */
static void ref_fast(cd_name *n)
{
    size_t r = refs_of(n);
    while (r != PINNED && !__atomic_compare_exchange_n(&n->refs, &r, r + 1, true, __ATOMIC_ACQ_REL,
                                                       __ATOMIC_ACQUIRE)) {
    }
}

/* refs - 1 without the lock, unless pinned (true, nothing to do) or that
 * would be the last reference (false: the caller takes the lock). */
static bool unref_fast(cd_name *n)
{
    size_t r = refs_of(n);
    for (;;) {
        if (r == PINNED) return true;
        if (r < 2) return false;
        if (__atomic_compare_exchange_n(&n->refs, &r, r - 1, true, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return true;
    }
}

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
    if (refs_of(n) == PINNED) return;
    if (!owner)
        __atomic_store_n(&n->refs, PINNED, __ATOMIC_RELEASE);
    else if (cd_arena_add_name(owner, n))
        __atomic_fetch_add(&n->refs, 1, __ATOMIC_ACQ_REL);
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

/* ---- the thread's cache (cd_name_intern_refs) ---------------------------- */

/* A request names the same few types again and again: each thread keeps the
 * last CACHE names it interned for requests, holding one reference each, so
 * that the next request finds them by comparing texts, with no hash and no
 * lock. The references go back when the thread exits (a key's destructor). */
#define CACHE 8

typedef struct {
    cd_name *n[CACHE];
    unsigned next; /* the entry replaced next (round robin) */
    bool registered;
} name_cache;

static _Thread_local name_cache cache;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static bool cache_key_ok;

static void release_locked(cd_name *n);

static void cache_drop(void *p)
{
    name_cache *c = p;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CACHE; i++)
        if (c->n[i]) release_locked(c->n[i]);
    pthread_mutex_unlock(&lock);
    memset(c, 0, sizeof *c);
}

static void cache_key_init(void)
{
    cache_key_ok = pthread_key_create(&cache_key, cache_drop) == 0;
}

/* A library unloaded while threads still run must not leave them a
 * destructor in unmapped code. */
__attribute__((destructor)) static void cache_key_fini(void)
{
    if (cache_key_ok) pthread_key_delete(cache_key);
    cache_key_ok = false;
}

static cd_name *cache_find(const char *text, size_t len)
{
    for (int i = 0; i < CACHE; i++) {
        cd_name *n = cache.n[i];
        if (n && n->len == len && memcmp(n->text, text, len) == 0) return n;
    }
    return NULL;
}

bool cd_name_cached(const char *text, size_t len)
{
    return cache_find(text, len) != NULL;
}

/* Keep n (whose reference the caller has just taken) in the cache, with a
 * reference of its own; lock held. Without a key (thread exit could not give
 * the references back) nothing is cached. */
static void cache_put(cd_name *n)
{
    if (!cache.registered) {
        pthread_once(&cache_once, cache_key_init);
        if (!cache_key_ok || pthread_setspecific(cache_key, &cache) != 0) return;
        cache.registered = true;
    }
    if (cache_find(n->text, n->len)) return; /* named twice in one batch */
    unsigned i = cache.next++ % CACHE;
    if (cache.n[i]) release_locked(cache.n[i]);
    if (refs_of(n) != PINNED) __atomic_fetch_add(&n->refs, 1, __ATOMIC_ACQ_REL);
    cache.n[i] = n;
}

void cd_name_intern_refs(size_t n, const char *const *texts, const size_t *lens,
                         const cd_name **out)
{
    size_t missed = 0;
    for (size_t i = 0; i < n; i++) {
        cd_name *nm = cache_find(texts[i], lens[i]);
        if (nm)
            ref_fast(nm); /* the cache's reference keeps the count >= 1 */
        else
            missed++;
        out[i] = nm;
    }
    if (!missed) return;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n; i++) {
        if (out[i]) continue;
        cd_name *nm = find_or_add(texts[i], lens[i], cd_hash_bytes(texts[i], lens[i], 0));
        if (refs_of(nm) != PINNED) __atomic_fetch_add(&nm->refs, 1, __ATOMIC_ACQ_REL);
        cache_put(nm);
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

/* Give one reference back; lock held. */
static void release_locked(cd_name *n)
{
    if (refs_of(n) == PINNED) return;
    if (__atomic_sub_fetch(&n->refs, 1, __ATOMIC_ACQ_REL) == 0) remove_name(n);
}

void cd_name_release(const cd_name *const *names, size_t n)
{
    /* the lock only when some reference may be a name's last */
    size_t i = 0;
    while (i < n && (!names[i] || unref_fast((cd_name *)names[i])))
        i++;
    if (i == n) return;
    pthread_mutex_lock(&lock);
    for (; i < n; i++)
        if (names[i]) release_locked((cd_name *)names[i]);
    if (nslots > MIN_CAP && count * 8 < nslots) {
        size_t want = MIN_CAP;
        while (want < count * 4)
            want *= 2;
        resize(want);
    }
    pthread_mutex_unlock(&lock);
}
