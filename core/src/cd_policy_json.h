/* cd_policy_json.h: policies in the official JSON policy format (the "EST"
 * of the Rust implementation): cd_policy_json.c writes it,
 * cd_policy_json_read.c reads it. */
#ifndef CD_POLICY_JSON_H
#define CD_POLICY_JSON_H

#include <jansson.h>

#include "cd_ast.h"

/* Policy JSON nests one level per operator; deeper expressions are refused
 * (the official reader, serde_json, stops at 128 levels anyway). */
#define CD_POLICY_JSON_MAX_DEPTH 4096

/* The JSON of one policy or template (a linked policy: its template's).
 * NULL with err set when an expression nests too deeply. */
json_t *cd_policy_to_json(const cd_policy *p, cd_err *err);

/* {"staticPolicies": {...}, "templates": {...}, "templateLinks": [...]}. */
json_t *cd_policies_to_json(const cd_policy *const *ps, size_t n, cd_err *err);

/* One policy or template from its JSON (slots make it a template), named id;
 * `where` prefixes error messages (a JSON path). */
cd_policy *cd_policy_from_json(const json_t *j, cd_str id, cd_arena *arena, const char *where,
                               cd_err *err);

#endif
