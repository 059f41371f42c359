/* cd_api.h: the structs behind the public handles of cedar.h, shared by the
 * cd_api_*.c files that implement the API. */
#ifndef CD_API_H
#define CD_API_H

#include "cedar/cedar.h"
#include "cd_ast.h"
#include "cd_entities.h"
#include "cd_eval.h"
#include "cd_idtab.h"
#include "cd_index.h"
#include "cd_schema.h"

struct cedar_schema {
    cd_schema *s;
    /* a copy of the text it was read from, for printing it back (the
     * resolved form has lost common types, annotations and names as written) */
    char *src;
    size_t src_len;
    bool src_json;
};

/* The format of schema text: JSON when it starts with '{' (after spaces). */
cedar_schema_format cd_api_schema_guess(const char *text, size_t len);

struct cedar_policy_set {
    cd_arena *arena;
    cd_vec all;        /* cd_policy *: parsed policies and templates, then links */
    cd_policies view;  /* the same, as handed to cd_authorize (rebuilt on link) */
    cd_idtab ids;      /* id -> position in all */
    cd_index *index;   /* scopes -> positions in all (cd_index.h) */
    cd_arena *scratch; /* parsing link slot values; reset after each */
};

/* A new, empty set (cd_api_policy.c). */
cedar_policy_set *cd_api_policy_set_new(void);
/* Append p to the set, its id table and its index: every way of adding a
 * policy goes through it, or links and the index miss the policy. */
void cd_api_policy_push(cedar_policy_set *ps, cd_policy *p);
/* Link template_id into link_id with slot values given as uids (NULL for a
 * slot the template lacks; the set must hold the uids' type names); 0 on
 * success, else err set (cd_api_policy.c). */
int cd_api_policy_link(cedar_policy_set *ps, const char *template_id, const char *link_id,
                       const cd_uid *pv, const cd_uid *rv, cedar_error *err);
/* The id table again from scratch, after policies were renamed. */
void cd_api_policy_ids_rebuild(cedar_policy_set *ps);

struct cedar_entities {
    cd_entities *es;
};

struct cedar_request {
    cd_arena *arena; /* NULL for a request from parts with an empty context */
    cd_request rq;
    /* a request from parts: the names of its uids held without an arena (one
     * reference each) and its ids' bytes */
    size_t n_held;
    const cd_name *held[3];
    char ids[];
};

/* True when text is `Name::"id"` with a plain id (printable ASCII but `"`,
 * `'`, `\`): a uid that cd_parse_uid accepts as it stands, read here without
 * the lexer; *type_len is the length of Name (the id is the bytes between the
 * quotes after it). False: anything else (cd_parse_uid decides). */
bool cd_uid_split_plain(const char *text, size_t len, size_t *type_len);

/* A request in JSON read by the direct reader (cd_request_text in
 * cd_json_impl.h): the CLI's format (cli: uids as strings) or the
 * integration tests' ({"type": T, "id": I} uids, validateRequest into
 * *validate), not validated against the schema; NULL when that reader gives
 * up, errors included (then read the text through jansson). */
cedar_request *cd_request_read_direct(const char *json, size_t len, const cedar_schema *schema,
                                      bool cli, bool *validate);
/* Whether cedar_request_parse_json tries that reader (tests compare both). */
extern bool cd_requests_read_direct;

struct cedar_response {
    cd_arena *arena;
    cd_response r;
};

/* Move a cd_err into a cedar_error (clears e). */
void cd_api_set_error(cedar_error *out, cd_err *e, const char *file);
void cd_api_set_error_msg(cedar_error *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
