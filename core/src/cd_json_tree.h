/* cd_json_tree.h: a JSON document as a tree in an arena, for readers that
 * walk a document once and want every value's place (the JSON schema
 * format). It accepts exactly the documents cd_json_parse accepts with
 * duplicate keys an error (flags 0), with the same messages and locations,
 * but builds no jansson values: each container's items are one array in the
 * arena, an object's members in document order. Not part of any public
 * interface.
 */
#ifndef CD_JSON_TREE_H
#define CD_JSON_TREE_H

#include "cd_base.h"

typedef enum cd_jt_kind {
    CD_JT_NULL,
    CD_JT_FALSE,
    CD_JT_TRUE,
    CD_JT_NUMBER, /* checked, not converted */
    CD_JT_STRING,
    CD_JT_ARRAY,
    CD_JT_OBJECT
} cd_jt_kind;

typedef struct cd_jt_member cd_jt_member;

typedef struct cd_jt {
    uint32_t kind; /* cd_jt_kind */
    uint32_t off;  /* where the value starts in the text */
    uint32_t n;    /* string: bytes; array: items; object: members */
    union {
        const char *str; /* NUL-terminated (strings may contain NUL too) */
        const struct cd_jt *items;
        const cd_jt_member *members;
    } u;
} cd_jt;

struct cd_jt_member {
    cd_str key;   /* decoded, NUL-terminated */
    uint32_t off; /* the key's opening quote */
    cd_jt val;
};

/* The document text[0..len) in arena, or NULL with err set (file recorded)
 * as cd_json_parse sets it. len must be below UINT32_MAX. */
const cd_jt *cd_jt_parse(const char *text, size_t len, const char *file, cd_err *err,
                         cd_arena *arena);

/* "null", "a boolean", "a number", "a string", "an array", "an object":
 * cd_json_kind's words. */
const char *cd_jt_kind_name(const cd_jt *v);

#endif
