/* cd_json.h: the JSON reader's parts beyond cd_json_parse (cd_entities.h):
 * reading a top-level array one element at a time, and the string and number
 * readers that the arena tree reader (cd_json_tree.c) shares. Not part of any
 * public interface.
 */
#ifndef CD_JSON_H
#define CD_JSON_H

#include <string.h>

#include "cd_entities.h"

/* serde_json refuses the 128th level of nested arrays and objects. */
#define CD_JSON_MAX_NESTING 127

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

#endif
