/* cd_json_direct.h: the direct JSON reader's machinery, shared by its two
 * users: entities (cd_entities_read.c) and requests (cd_request_read.c).
 * Internal to those files and cd_json_direct.c (uids and values).
 *
 * The direct reader reads the common forms of entity and request JSON
 * straight from the text into an arena, without a jansson tree. Each
 * function returns false to give up (on another form or an error of any
 * kind); the caller then reads the whole text through jansson, whose
 * messages and locations are the reference. So the reader only has to build
 * what that path builds for the texts it accepts, and to accept nothing that
 * path rejects.
 *
 * The scanning helpers are inline here: they are on every character's path
 * and were inlined when the reader was one file. The functions declared
 * extern are hidden (not exported from the shared library), which also lets
 * the compiler treat them within cd_json_direct.c as it treated them static.
 */
#ifndef CD_JSON_DIRECT_H
#define CD_JSON_DIRECT_H

#include <string.h>

#include "cd_json_impl.h"
#include "cd_stack.h"

#define CD_JD_INTERNAL __attribute__((visibility("hidden")))

/* Reader state over text s[0..n). */
typedef struct cd_jd {
    const char *s;
    size_t n, i;
    unsigned depth; /* of the container being read (the top array: 1) */
    const cd_schema *schema;
    cd_arena *arena;
    const cd_name **last_type;
    cd_str cur; /* the last string read: in the text, or in str when decoded */
    cd_buf str;
    cd_vec vals; /* cd_value: a stack of the items of open sets and records */
    cd_vec keys; /* cd_str: the keys of open records */
    cd_vec uids; /* cd_uid: the parents being read */
    /* Record keys read so far (a bounded table, see key_copy): the same
     * attribute names share one copy, and a record whose sorted keys are
     * the previous record's shares that array (last_keys). */
    cd_str ktab[256];
    const cd_str *last_keys;
    size_t last_n;
} cd_jd;

/* The reader's scratch: decoded strings, open containers, parents. */
static inline void cd_jd_scratch_init(cd_jd *r)
{
    cd_buf_init(&r->str);
    cd_vec_init(&r->vals, sizeof(cd_value));
    cd_vec_init(&r->keys, sizeof(cd_str));
    cd_vec_init(&r->uids, sizeof(cd_uid));
}

static inline void cd_jd_scratch_free(cd_jd *r)
{
    cd_buf_free(&r->str);
    cd_vec_free(&r->vals);
    cd_vec_free(&r->keys);
    cd_vec_free(&r->uids);
}

/* ---- strings, uids and values (cd_json_direct.c) ------------------------ */

/* A string into r->cur: plain ASCII without escapes is not copied. */
CD_JD_INTERNAL bool cd_jd_string(cd_jd *r);
/* {"type": T, "id": I} exactly, or (escape) {"__entity": {"type": T, "id": I}}. */
CD_JD_INTERNAL bool cd_jd_uid(cd_jd *r, bool escape, cd_uid *out);
/* A value; with t, read by its declared type as cd_jread_value does. */
CD_JD_INTERNAL bool cd_jd_value(cd_jd *r, const cd_type *t, cd_value *out);
/* An entity's `attrs` or `tags` (read_map in cd_entities.c), typed by d when
 * not NULL. */
CD_JD_INTERNAL bool cd_jd_entity_record(cd_jd *r, const cd_entity_decl *d, bool tags,
                                        cd_record *out);

/* ---- scanning ----------------------------------------------------------- */

static inline void ws(cd_jd *r)
{
    while (r->i < r->n) {
        char c = r->s[r->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
        r->i++;
    }
}

/* The next significant character is c: consume it. */
static inline bool eat(cd_jd *r, char c)
{
    ws(r);
    if (r->i < r->n && r->s[r->i] == c) {
        r->i++;
        return true;
    }
    return false;
}

static inline char peek(cd_jd *r)
{
    ws(r);
    return r->i < r->n ? r->s[r->i] : 0;
}

/* Open a container (deeper than CD_ENTITIES_DIRECT_MAX_NESTING, or when the
 * stack runs low (cd_stack.h): give up, the jansson path reads it, or says
 * where it is too deep); close it. */
static inline bool enter(cd_jd *r, char c)
{
    if (peek(r) != c || r->depth >= CD_ENTITIES_DIRECT_MAX_NESTING || cd_stack_low()) return false;
    r->i++;
    r->depth++;
    return true;
}

static inline void leave(cd_jd *r)
{
    r->depth--;
}

/* After an item: `,` (more follow, *more) or the closing character. */
static inline bool next(cd_jd *r, char close, bool *more)
{
    if (eat(r, ',')) return *more = true;
    *more = false;
    return eat(r, close);
}

/* A slot on one of the stacks; not zeroed (the caller writes it whole). */
static inline void *push(cd_vec *v)
{
    if (v->len == v->cap) { /* cd_vec_push grows the vec (and zeroes a slot) */
        cd_vec_push(v);
        v->len--;
    }
    return (char *)v->items + v->elem * v->len++;
}

/* An object key and its colon. */
static inline bool key(cd_jd *r)
{
    return cd_jd_string(r) && eat(r, ':');
}

static inline bool str_is(const cd_jd *r, const char *lit)
{
    size_t n = strlen(lit);
    return r->cur.len == n && memcmp(r->cur.ptr, lit, n) == 0;
}

static inline bool literal(cd_jd *r, const char *w)
{
    size_t n = strlen(w);
    if (r->n - r->i < n || memcmp(r->s + r->i, w, n) != 0) return false;
    r->i += n;
    return true;
}

/* ---- objects ------------------------------------------------------------- */

/* The members of an object whose `{` was read: for each, member() reads the
 * value of the key in r->cur (false: give up); then the object is left.
 * Every object of the format is read this way, each kind by its member(). */
typedef bool member_fn(cd_jd *r, void *ctx);

static inline bool members(cd_jd *r, member_fn *member, void *ctx)
{
    bool more;
    if (eat(r, '}')) {
        leave(r);
        return true;
    }
    do {
        if (!key(r) || !member(r, ctx) || !next(r, '}', &more)) return false;
    } while (more);
    leave(r);
    return true;
}

#endif
