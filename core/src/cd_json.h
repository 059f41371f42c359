/* cd_json.h: the JSON reader's byte offsets. cd_json_parse_ex is cd_json_parse
 * (cd_entities.h) that can also record where every array element, object
 * member and object key starts in the text, so that readers of the parsed
 * values (entities, the JSON schema format) can give line and column in
 * their messages. The offsets live in a side table keyed by the container
 * (array or object) they belong to. Not part of any public interface.
 */
#ifndef CD_JSON_H
#define CD_JSON_H

#include <string.h>

#include "cd_entities.h"

/* serde_json refuses the 128th level of nested arrays and objects. */
#define CD_JSON_MAX_NESTING 127

/* Where an item of an array or a member of an object starts. */
typedef struct cd_json_pos {
    size_t key;   /* objects: the key's opening quote; arrays: the same as value */
    size_t value; /* the value's first character */
} cd_json_pos;

typedef struct cd_json_locs cd_json_locs;

/* An empty table for cd_json_parse_ex: it records the items of every array
 * and object nested at most max_depth levels deep (1: those of the top-level
 * value only; 0: all). */
cd_json_locs *cd_json_locs_new(unsigned max_depth);
void cd_json_locs_free(cd_json_locs *l);

/* Parse like cd_json_parse; when locs is not NULL it receives the offsets of
 * the parsed document (meaningful only when the result is not NULL). */
json_t *cd_json_parse_ex(const char *text, size_t len, unsigned flags, const char *file,
                         cd_err *err, cd_json_locs *locs);

/* A top-level array read one element at a time, without building the whole
 * tree: fn gets each element (which it must not keep: it is freed after the
 * call), its index and the offset where it starts; it returns false on an
 * error of its own. The rest of the text is still read then, so that a
 * syntax error anywhere is reported as cd_json_parse would (it replaces fn's
 * error in err). Returns 1 when all was read, 2 when fn failed, 0 on a
 * syntax error (err set), -1 without reading anything when the text does not
 * start with `[` (then use cd_json_parse). */
typedef bool (*cd_json_elem_fn)(void *ctx, json_t *elem, size_t index, size_t offset);
int cd_json_parse_elements(const char *text, size_t len, unsigned flags, const char *file,
                           cd_err *err, cd_json_elem_fn fn, void *ctx);

/* The JSON string whose opening quote is at s[*pos], decoded as the parser
 * decodes strings and keys, into out (emptied first); *pos moves past the
 * closing quote. Returns NULL, or the parser's message with *at the offset
 * it is about (then *pos is unchanged). */
const char *cd_json_string(const char *s, size_t n, size_t *pos, cd_buf *out, size_t *at);

/* The end of the plain run of string text from s[j] (j < n): the first `"`,
 * backslash, control character or non-ASCII byte at or after j, or n. A
 * string without escapes is its text. Eight bytes at a time with the
 * zero-byte tests of "Bit Twiddling Hacks" (a borrow only runs on above a
 * byte that is itself a hit, so the lowest hit is exact). */
static inline size_t cd_json_plain_end(const char *s, size_t n, size_t j)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    while (j + 8 <= n) {
        uint64_t w, q, b, m;
        memcpy(&w, s + j, 8);
        q = w ^ (ones * '"');
        b = w ^ (ones * '\\');
        m = (((q - ones) & ~q) | ((b - ones) & ~b) | (w - ones * 0x20) | w) & high;
        if (m) return j + (size_t)__builtin_ctzll(m) / 8;
        j += 8;
    }
#endif
    for (; j < n; j++) {
        unsigned char c = (unsigned char)s[j];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
    }
    return j;
}

/* The JSON number starting at s[*pos] (a `-` or a digit), checked as the
 * parser checks numbers; *pos moves past it. Returns NULL, with the jansson
 * value in *out when out is not NULL (an integer, or a real for -0 and
 * integers beyond 64 bits), or the parser's message with *at the offset it
 * is about. */
const char *cd_json_number(const char *s, size_t n, size_t *pos, json_t **out, size_t *at);

/* Where the top-level value starts. */
size_t cd_json_locs_root(const cd_json_locs *l);
/* The positions of the items of array or object c, in order (an object's
 * members in the order of jansson's iteration, which is document order;
 * with CD_JSON_LAST_KEY_WINS a repeated key keeps its first place and gets
 * the last position). Sets *n; NULL with *n = 0 when c is empty or was not
 * recorded. */
const cd_json_pos *cd_json_locs_items(const cd_json_locs *l, const json_t *c, size_t *n);

/* ---- filled by the parser (cd_json_parse.c) -------------------------------- */

/* Does the table want the items of containers at this depth (1: top level)? */
bool cd_json_locs_wants(const cd_json_locs *l, unsigned depth);
void cd_json_locs_set_root(cd_json_locs *l, size_t off);
/* A container at depth starts (1 <= depth <= CD_JSON_MAX_NESTING). */
void cd_json_locs_open(cd_json_locs *l, unsigned depth);
/* The next item of the open container at depth. */
void cd_json_locs_add(cd_json_locs *l, unsigned depth, cd_json_pos pos);
/* Item i of the open container at depth gets a new position (a repeated key). */
void cd_json_locs_replace(cd_json_locs *l, unsigned depth, size_t i, cd_json_pos pos);
/* The open container at depth is complete and is c. */
void cd_json_locs_close(cd_json_locs *l, unsigned depth, const json_t *c);

#endif
