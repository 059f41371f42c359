/* cd_base.h: the small pieces every module of libcedar uses.
 *
 *  - cd_str:   a length-delimited byte string (UTF-8 by convention; may hold NULs).
 *  - cd_arena: a bump allocator; everything parsed or evaluated lives in one and
 *              is freed with it, so no module frees individual objects.
 *  - cd_name:  an interned name ("A::B"), compared by pointer.
 *  - cd_buf:   a growable byte buffer for building messages and text.
 *  - cd_loc:   a source location for error messages.
 *  - cd_err:   an error with message and location, filled by every parser.
 */
#ifndef CD_BASE_H
#define CD_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- strings ---------------------------------------------------------- */

typedef struct cd_str {
    const char *ptr;
    size_t len;
} cd_str;

#define CD_STR_LIT(s) ((cd_str){(s), sizeof(s) - 1})
cd_str cd_str_from_c(const char *s);
bool cd_str_eq(cd_str a, cd_str b);
/* a equals the C string c. Inline and without strlen: the lexers' keyword
 * tables call it for every identifier, and most comparisons end at the first
 * byte. */
static inline bool cd_str_eq_c(cd_str a, const char *c)
{
    for (size_t i = 0; i < a.len; i++)
        if (c[i] == '\0' || c[i] != a.ptr[i]) return false;
    return c[a.len] == '\0';
}
/* Byte-wise total order (memcmp, then length). */
int cd_str_cmp(cd_str a, cd_str b);
/* Binary search of key in n items sorted by cd_str_cmp on a cd_str that is
 * the first member of each item (stride bytes apart): record attributes,
 * schema attribute types, enumerated ids. The item, or NULL. One search for
 * every such table; inline because attribute access is on the hot path. */
static inline const void *cd_str_search(const void *items, size_t n, size_t stride, cd_str key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const void *item = (const char *)items + mid * stride;
        int c = cd_str_cmp(*(const cd_str *)item, key);
        if (c == 0) return item;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
/* Cedar's identifier shape, [_a-zA-Z][_a-zA-Z0-9]* (reserved words not excluded). */
bool cd_str_is_ident(cd_str s);

/* ---- hashing (cd_hash.c) ----------------------------------------------- */

/* The hash of every table keyed by input (names, entity ids, attribute and
 * schema names): SipHash-1-3 under a key drawn once per process
 * (arc4random_buf), with seed folded into the key, so that nobody can choose
 * keys that collide (hash flooding). Never let an output depend on it. */
uint64_t cd_hash_bytes(const void *p, size_t n, uint64_t seed);
/* SipHash with an explicit key (little-endian 128-bit key k0, k1), for tests. */
uint64_t cd_siphash13(uint64_t k0, uint64_t k1, const void *p, size_t n);
uint64_t cd_siphash24(uint64_t k0, uint64_t k1, const void *p, size_t n);
/* The process key (for tests). */
void cd_hash_key(uint64_t *k0, uint64_t *k1);

/* ---- arena ------------------------------------------------------------ */

typedef struct cd_arena cd_arena;

cd_arena *cd_arena_new(void);
void cd_arena_free(cd_arena *a);
/* Forget everything allocated, keep the first block for reuse. */
void cd_arena_reset(cd_arena *a);
/* 16-byte aligned memory, not zeroed (callers write it whole); aborts only if
 * malloc fails. */
void *cd_arena_alloc(cd_arena *a, size_t n);
/* The same, zeroed. */
void *cd_arena_zalloc(cd_arena *a, size_t n);
void *cd_arena_dup(cd_arena *a, const void *p, size_t n);
cd_str cd_arena_str(cd_arena *a, const char *p, size_t n); /* copy, NUL-terminated */
char *cd_arena_printf(cd_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *cd_arena_vprintf(cd_arena *a, const char *fmt, va_list ap);
size_t cd_arena_used(const cd_arena *a);

/* Zeroed. */
#define CD_NEW(arena, T) ((T *)cd_arena_zalloc((arena), sizeof(T)))
/* n items of size bytes, zeroed (or not: raw); aborts, as on out of memory, if
 * n * size overflows. */
void *cd_arena_zalloc_array(cd_arena *a, size_t n, size_t size);
void *cd_arena_alloc_array(cd_arena *a, size_t n, size_t size);
#define CD_NEW_ARRAY(arena, T, n) ((T *)cd_arena_zalloc_array((arena), (size_t)(n), sizeof(T)))
/* Not zeroed: for arrays the caller writes before reading any item. */
#define CD_NEW_ARRAY_RAW(arena, T, n) ((T *)cd_arena_alloc_array((arena), (size_t)(n), sizeof(T)))

/* ---- growable vector of pointers/items (heap, for builders) ------------ */

/* A heap-allocated growable array; call cd_vec_finish to move it into an arena. */
typedef struct cd_vec {
    void *items;
    size_t len, cap, elem;
} cd_vec;

/* Advise the whole huge pages inside p[0..len) as such (cd_arena.c): for
 * big heap arrays that are then written whole (the loader's entities). */
void cd_advise_huge(void *p, size_t len);
void cd_vec_init(cd_vec *v, size_t elem_size);
void *cd_vec_push(cd_vec *v);                /* returns a zeroed slot */
void cd_vec_reserve(cd_vec *v, size_t n);    /* room for n items in all */
void *cd_vec_finish(cd_vec *v, cd_arena *a); /* copies into arena, frees heap, returns items */
void cd_vec_free(cd_vec *v);
#define CD_VEC_AT(v, T, i) (((T *)(v)->items)[i])
/* qsort, but for at most 8 items (of at most 64 bytes) an insertion sort:
 * most sets, parent lists and closures are that small, and qsort's set-up
 * and calls cost more than the sort there. Not stable either. */
void cd_sort(void *items, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* ---- interned names --------------------------------------------------- */

/* A name such as `User` or `NS::Sub::User`, interned process-wide: two names
 * are equal exactly when their pointers are. A name lives as long as some
 * arena holds it: cd_name_intern and cd_name_hold record a reference in the
 * arena of the object that stores the pointer (once per name and arena), and
 * freeing or resetting that arena gives its references back; the last one
 * out removes the name from the table. So an object may keep a name pointer
 * only if its own arena holds the name (or it cannot outlive an object whose
 * arena does). owner NULL pins the name for the life of the process (tests,
 * tools). Thread-safe (one global lock). */
typedef struct cd_name {
    uint64_t hash; /* cd_hash_bytes(text, len, 0) */
    size_t len;
    size_t refs; /* holders (changed atomically; to or from 0 only under the
                    table lock); SIZE_MAX: pinned */
    char text[]; /* NUL-terminated */
} cd_name;

const cd_name *cd_name_intern(cd_arena *owner, const char *text, size_t len);
/* Record that owner also holds n (a name read from another object); returns n. */
const cd_name *cd_name_hold(cd_arena *owner, const cd_name *n);
/* Names in the table now (for tests). */
size_t cd_name_count(void);
/* Intern n names, taking one reference for each entry of out (not recorded
 * in an arena: give them back with cd_name_release). The thread keeps the
 * last few names interned this way, one reference each until it exits, and
 * finds them again without the lock (cd_name.c). Only for valid entity type
 * names (cd_valid_name), so that a name in that cache is one. */
void cd_name_intern_refs(size_t n, const char *const *texts, const size_t *lens,
                         const cd_name **out);
/* True when text is in this thread's cache of cd_name_intern_refs (and so a
 * valid entity type name). */
bool cd_name_cached(const char *text, size_t len);
static inline cd_str cd_name_str(const cd_name *n)
{
    return (cd_str){n->text, n->len};
}

/* Internal to cd_arena.c and cd_name.c: the arena's set of held names. */
bool cd_arena_add_name(cd_arena *a, const cd_name *n); /* true when newly added */
/* Drop one reference to each non-NULL names[i] (the slots of an arena's set). */
void cd_name_release(const cd_name *const *names, size_t n);

/* ---- byte buffer ------------------------------------------------------ */

typedef struct cd_buf {
    char *data;
    size_t len, cap;
} cd_buf;

void cd_buf_init(cd_buf *b);
void cd_buf_free(cd_buf *b);
void cd_buf_put(cd_buf *b, const void *p, size_t n);
void cd_buf_putc(cd_buf *b, char c);
void cd_buf_puts(cd_buf *b, const char *s);
void cd_buf_printf(cd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminated view of the contents (the buffer keeps ownership). */
const char *cd_buf_cstr(cd_buf *b);

/* ---- locations and errors --------------------------------------------- */

typedef struct cd_loc {
    uint32_t line;   /* 1-based; 0 when unknown */
    uint32_t column; /* 1-based, in bytes */
    uint32_t offset; /* byte offset into the source */
} cd_loc;

/* The error every parser and loader fills. message is heap-owned (free with
 * cd_err_clear); file is not owned. A cd_err is zero-initialised when empty. */
typedef struct cd_err {
    char *message;
    const char *file;
    cd_loc loc;
} cd_err;

void cd_err_set(cd_err *e, cd_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cd_err_vset(cd_err *e, cd_loc loc, const char *fmt, va_list ap);
void cd_err_clear(cd_err *e);
static inline bool cd_err_is_set(const cd_err *e)
{
    return e->message != NULL;
}

/* Compute line/column of a byte offset in text. */
cd_loc cd_loc_of_offset(const char *text, size_t len, size_t offset);

/* ---- UTF-8 ------------------------------------------------------------ */

/* Validate UTF-8 (no overlongs, no surrogates, <= U+10FFFF). Returns the byte
 * offset of the first invalid sequence, or n when all is valid. */
size_t cd_utf8_check(const char *p, size_t n);
/* Encode a code point; returns bytes written (1-4), 0 if not a scalar value. */
int cd_utf8_encode(uint32_t cp, char out[4]);
/* Decode one code point at p (n bytes available); returns its length, or 0 if invalid. */
int cd_utf8_decode(const char *p, size_t n, uint32_t *cp);

#endif
