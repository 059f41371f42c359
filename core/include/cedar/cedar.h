/* clang-format off */
/* cedar.h: the public C API of libcedar, an implementation of the Cedar
 * authorization-policy language (language version 4.5).
 *
 * Example (a whole program; tests/docs/examples.sh compiles and runs it):
 *
 * EXAMPLE BEGIN
 *   #include <cedar/cedar.h>
 *   #include <stdio.h>
 *   #include <stdlib.h>
 *   #include <string.h>
 *
 *   int main(void)
 *   {
 *       const char *schema_text = "entity User; entity Photo;"
 *                                 "action view appliesTo { principal: User, resource: Photo };";
 *       const char *policies = "permit(principal == User::\"alice\", action, resource);";
 *       cedar_error err = CEDAR_ERROR_INIT;
 *       cedar_schema *schema = cedar_schema_parse(schema_text, strlen(schema_text),
 *                                                 CEDAR_SCHEMA_TEXT, "app.cedarschema", &err);
 *       cedar_policy_set *ps =
 *           schema ? cedar_policy_set_parse(policies, strlen(policies), "app.cedar", &err) : NULL;
 *       cedar_entities *es = ps ? cedar_entities_parse("[]", 2, schema, "entities.json", &err) : NULL;
 *       cedar_request *rq = es ? cedar_request_new("User::\"alice\"", "Action::\"view\"",
 *                                                  "Photo::\"a.jpg\"", NULL, schema, true, &err)
 *                              : NULL;
 *       cedar_response *resp = cedar_response_new();
 *       int rc = 1;
 *       if (rq && cedar_authorize(ps, es, rq, resp, &err) == 0) {
 *           printf("%s\n", cedar_response_decision(resp) == CEDAR_ALLOW ? "ALLOW" : "DENY");
 *           rc = 0;
 *       } else {
 *           char *msg = cedar_error_format(&err);
 *           fprintf(stderr, "error: %s\n", msg);
 *           free(msg);
 *       }
 *       cedar_response_free(resp);
 *       cedar_request_free(rq);
 *       cedar_entities_free(es);
 *       cedar_policy_set_free(ps);
 *       cedar_schema_free(schema);
 *       cedar_error_clear(&err);
 *       return rc;
 *   }
 * EXAMPLE END
 *
 * Conventions:
 *  - Every function that can fail takes a cedar_error *err (may be NULL) and
 *    returns NULL or a nonzero int on failure, with err filled in: a message
 *    and, for errors in text, the file name given and a 1-based line and
 *    column. Release it with cedar_error_clear. Bad input never aborts (only
 *    running out of memory does).
 *  - Entity uids are written in Cedar syntax: `Type::"id"` or `NS::Type::"id"`.
 *  - The header is also C++ (extern "C"). Only the cedar_* symbols are
 *    exported from the shared library.
 *
 * Ownership and lifetimes:
 *  - Input strings are only read during the call: the library keeps copies of
 *    what it needs (text, file names, ids), so the caller may free them on
 *    return.
 *  - `char *` results are heap-owned by the caller: free them with free().
 *  - `const char *` results are borrowed from the object passed in; each
 *    getter below says how long its string stays valid. Strings of a policy
 *    set (ids, template ids, annotations) live until cedar_policy_set_free,
 *    even after an unlink or a rename (the old strings stay in the set's
 *    memory); strings of a response until it is reused by cedar_authorize or
 *    freed (and, for policy ids, while the policy set lives); strings of a
 *    validation result until cedar_validation_free (it holds copies: the
 *    policy set and schema may be freed before it).
 *  - Objects built from a schema do not keep it: entities, requests and
 *    validation results stay valid after cedar_schema_free (entity type
 *    names are reference-counted and held by every object that uses them).
 *    A response refers to its policy set (see above); nothing else refers to
 *    another object.
 *  - Every object is freed by its own *_free function, which accepts NULL.
 *
 * Threads:
 *  - Objects may be shared between threads for reading. cedar_authorize,
 *    cedar_evaluate, cedar_validate, the getters and the printers read their
 *    arguments only: any number of threads may run them at once on the same
 *    schema, policy set, entities and request, as long as each thread uses
 *    its own cedar_response (a response is written by cedar_authorize).
 *  - cedar_policy_set_link, _link_json, _unlink and _rename_by_annotation
 *    modify the set (its list of policies, id table and index): while one
 *    runs, no other call may use that set, not even cedar_authorize or a
 *    getter; the caller serializes them (e.g. a read-write lock, writers
 *    being these four calls). Authorizing while linking is a data race.
 *  - Parsing (schemas, policies, entities, requests) may run in any number of
 *    threads at once. Entity type names are interned in one process-wide
 *    table guarded by a mutex: every parse and every *_free that adds or
 *    drops names takes it briefly, so heavy parallel loading contends there.
 *    Authorization and evaluation never take it.
 */
/* clang-format on */
#ifndef CEDAR_H
#define CEDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "cedar_version.h" /* CEDAR_VERSION_MAJOR/MINOR/PATCH, CEDAR_VERSION_STRING */

#ifdef __cplusplus
extern "C" {
#endif

#define CEDAR_LANG_VERSION "4.5"

/* The library's version at run time (CEDAR_VERSION_STRING is the header's),
 * "MAJOR.MINOR.PATCH"; static storage (never freed). */
const char *cedar_version(void);

/* Owned by the caller's struct: the strings stay until cedar_error_clear (a
 * failing call on a struct that already holds an error replaces it). */
typedef struct cedar_error {
    char *message; /* NULL when there is no error; heap-owned */
    char *file;    /* copy of the file name passed in, or NULL */
    unsigned line; /* 1-based, 0 when not about text */
    unsigned column;
} cedar_error;

/* An empty cedar_error, in C and C++ alike: `cedar_error err = CEDAR_ERROR_INIT;`
 * (C++ compilers warn about `= {0}`, -Wmissing-field-initializers). */
#define CEDAR_ERROR_INIT                                                                           \
    {                                                                                              \
        NULL, NULL, 0, 0                                                                           \
    }

/* Free the message and file name, and zero the struct. */
void cedar_error_clear(cedar_error *err);
/* "file:line:column: message" (parts that are unknown are left out);
 * heap-owned, free it with free(). */
char *cedar_error_format(const cedar_error *err);

/* ---- schemas ---------------------------------------------------------- */

typedef struct cedar_schema cedar_schema;

typedef enum cedar_schema_format {
    CEDAR_SCHEMA_AUTO, /* JSON if the text starts with '{', else the Cedar schema syntax */
    CEDAR_SCHEMA_TEXT, /* .cedarschema */
    CEDAR_SCHEMA_JSON, /* .cedarschema.json */
} cedar_schema_format;

/* A schema; free it with cedar_schema_free. It keeps a copy of the text (for
 * cedar_schema_to_text / _to_json). */
cedar_schema *cedar_schema_parse(const char *text, size_t len, cedar_schema_format format,
                                 const char *file, cedar_error *err);
void cedar_schema_free(cedar_schema *schema);

/* The schema printed back as the official implementation prints it: in the
 * Cedar schema syntax (its `to_cedarschema`, byte for byte) or as compact
 * JSON (its JSON schema format). The source form is printed (names as
 * written, common types by name, annotations kept), sorted as the official
 * implementation sorts: namespaces, then in each one common types, entity
 * types and actions, attributes and annotations by name. Heap-owned, free
 * with free(). cedar_schema_to_text returns NULL with err set when the
 * syntax cannot express the schema: an entity type and a common type of one
 * name in a namespace, or a JSON entity shape that is not a record. */
char *cedar_schema_to_text(const cedar_schema *schema, cedar_error *err);
char *cedar_schema_to_json(const cedar_schema *schema, cedar_error *err);
/* Schema text in format `from` (CEDAR_SCHEMA_AUTO guesses) printed in
 * format `to` (TEXT or JSON) without resolving it, as the official CLI's
 * `translate-schema` does: a fragment may name types it does not declare.
 * Syntax errors, a namespace or declaration given twice, and what the
 * target syntax cannot express are errors (NULL, err set). */
char *cedar_schema_translate(const char *text, size_t len, cedar_schema_format from,
                             cedar_schema_format to, const char *file, cedar_error *err);

/* ---- policies --------------------------------------------------------- */

typedef struct cedar_policy_set cedar_policy_set;

/* Parse a policy file. Policies and templates are named policy0, policy1, ...
 * in the order they appear. Free it with cedar_policy_set_free. The set is
 * read-only except for link, link_json, unlink and rename_by_annotation,
 * which must not run concurrently with any other use of the set. */
cedar_policy_set *cedar_policy_set_parse(const char *text, size_t len, const char *file,
                                         cedar_error *err);
/* Link template `template_id` into a new policy `link_id`, binding ?principal
 * and/or ?resource to the given uids (NULL for a slot the template lacks).
 * Returns 0 on success. */
int cedar_policy_set_link(cedar_policy_set *ps, const char *template_id, const char *link_id,
                          const char *principal_uid, const char *resource_uid, cedar_error *err);
/* Read template links from the official CLI's JSON format: an array of
 * {"template_id", "link_id", "args": {"?principal": "T::\"x\"", ...}}; `args`
 * may name only ?principal and ?resource. All links are made or none: on an
 * error the set is left as it was. Returns 0 on success. */
int cedar_policy_set_link_json(cedar_policy_set *ps, const char *json, size_t len, const char *file,
                               cedar_error *err);
/* Remove the template link `link_id` (static policies and templates cannot
 * be removed); the policies after it move up one place. Returns 0 on
 * success. */
int cedar_policy_set_unlink(cedar_policy_set *ps, const char *link_id, cedar_error *err);
/* Number of policies (static, templates and links) and their ids, in order.
 * An id lives until cedar_policy_set_free; i out of range gives NULL. */
size_t cedar_policy_set_count(const cedar_policy_set *ps);
const char *cedar_policy_set_id(const cedar_policy_set *ps, size_t i);
bool cedar_policy_set_is_template(const cedar_policy_set *ps, size_t i);
void cedar_policy_set_free(cedar_policy_set *ps);

typedef enum cedar_effect { CEDAR_PERMIT = 0, CEDAR_FORBID = 1 } cedar_effect;

/* Policy i's effect (a link has its template's). */
cedar_effect cedar_policy_set_effect(const cedar_policy_set *ps, size_t i);
/* Policy i is a template-linked policy; the id of its template (NULL when
 * it is not a link; lives until cedar_policy_set_free). */
bool cedar_policy_set_is_link(const cedar_policy_set *ps, size_t i);
const char *cedar_policy_set_template_of(const cedar_policy_set *ps, size_t i);
/* Policy i's annotations in source order (a link has its template's): key j
 * and its value ("" for `@key` written without a value). The value of
 * annotation `key`, or NULL when policy i has none. The strings live as long
 * as the policy set; a value may hold NUL bytes (written `\0`), which cut it. */
size_t cedar_policy_set_annotation_count(const cedar_policy_set *ps, size_t i);
const char *cedar_policy_set_annotation_key(const cedar_policy_set *ps, size_t i, size_t j);
const char *cedar_policy_set_annotation_value(const cedar_policy_set *ps, size_t i, size_t j);
const char *cedar_policy_set_annotation(const cedar_policy_set *ps, size_t i, const char *key);
/* Name every policy and template that has annotation `key` by its value, as
 * the official CLI does with `@id`: call it before linking. Two equal ids are
 * an error ("duplicate template or policy id `x`") and leave the set as it
 * was. Returns 0 on success. Not thread-safe with readers of the set. */
int cedar_policy_set_rename_by_annotation(cedar_policy_set *ps, const char *key, cedar_error *err);
/* Policy i printed as Cedar text (a link with its slots filled in), without
 * comments; heap-owned, free it with free(). NULL when i is out of range, or when the
 * policy nests too deeply for the calling thread's stack. */
char *cedar_policy_set_policy_text(const cedar_policy_set *ps, size_t i);

/* Policy text laid out as the official formatter (`cedar format`) lays it
 * out, byte for byte: lines of at most line_width columns where possible,
 * nesting by indent_width spaces (the official defaults: 80 and 2), comments
 * kept. Heap-owned, free it with free(); NULL with err set when the text
 * does not parse, or has a form the official formatter refuses (such as five
 * `!` in a row). Thread-safe. */
char *cedar_format_policies(const char *text, size_t len, const char *file, unsigned line_width,
                            int indent_width, cedar_error *err);

/* ---- policy JSON (the official "EST" format) ---- */

/* The set as {"staticPolicies": {id: policy}, "templates": {id: policy},
 * "templateLinks": [{"templateId", "newId", "values": {"?principal": uid}}]}
 * (compact JSON; a uid is {"type": "T", "id": "x"}). Policy i alone (a link:
 * its template). Heap-owned, free with free(); NULL with err set when an
 * expression nests more than 4096 levels. */
char *cedar_policy_set_to_json(const cedar_policy_set *ps, cedar_error *err);
char *cedar_policy_set_policy_json(const cedar_policy_set *ps, size_t i, cedar_error *err);
/* A policy set from policy JSON: the set form above, or one policy or
 * template alone (named policy0), told apart by their keys as the official
 * CLI does. Errors name the JSON path of the bad value. */
cedar_policy_set *cedar_policy_set_from_json(const char *json, size_t len, const char *file,
                                             cedar_error *err);

/* ---- entities --------------------------------------------------------- */

typedef struct cedar_entities cedar_entities;

/* Load entities JSON. With a schema (may be NULL) values are read according
 * to declared types, every entity must conform, and the schema's actions are
 * added as entities. The result does not refer to the schema. Free it with
 * cedar_entities_free. */
cedar_entities *cedar_entities_parse(const char *json, size_t len, const cedar_schema *schema,
                                     const char *file, cedar_error *err);
size_t cedar_entities_count(const cedar_entities *es);
void cedar_entities_free(cedar_entities *es);

/* ---- requests --------------------------------------------------------- */

typedef struct cedar_request cedar_request;

/* principal, action, resource in Cedar uid syntax; context_json a JSON object
 * (NULL for {}). With a schema, the context is read according to the action's
 * declared context type, and when validate is true the request must conform
 * to the schema (action declared, principal/resource types allowed, context
 * of the right type). A syntax error in context_json has file "context" (a
 * caller that read it from a file may put the file's name there); any other
 * error in it has no file and a message that starts with "context". */
cedar_request *cedar_request_new(const char *principal, const char *action, const char *resource,
                                 const char *context_json, const cedar_schema *schema,
                                 bool validate, cedar_error *err);
/* The same request from its parts, without Cedar syntax: each uid as an
 * entity type name (`User`, `App::User`: identifiers separated by `::`) and
 * an id taken as is (any UTF-8 text up to the NUL: no quotes, no escapes).
 * A bad type name or an id that is not UTF-8 is an error naming the variable. The strings are
 * copied (the caller keeps them); context_json, schema and validate are as for cedar_request_new.
 * No lexer, and without a context to read (context_json NULL, and no required context attribute)
 * no arena either; cedar_request_new takes the same path for uids such as `User::"alice"` (ids of
 * printable ASCII without quotes or backslashes) and parses the others. */
cedar_request *cedar_request_new_parts(const char *principal_type, const char *principal_id,
                                       const char *action_type, const char *action_id,
                                       const char *resource_type, const char *resource_id,
                                       const char *context_json, const cedar_schema *schema,
                                       bool validate, cedar_error *err);
/* Requests do not refer to the schema they were checked against; free them
 * with cedar_request_free. A request in the CLI's --request-json format:
 * {"principal": "T::\"p\"", "action": "...", "resource": "...", "context": {...}}. */
cedar_request *cedar_request_parse_json(const char *json, size_t len, const cedar_schema *schema,
                                        bool validate, const char *file, cedar_error *err);
void cedar_request_free(cedar_request *rq);

/* ---- authorization ---------------------------------------------------- */

typedef enum cedar_decision { CEDAR_DENY = 0, CEDAR_ALLOW = 1 } cedar_decision;

typedef struct cedar_response cedar_response;

/* A reusable response (one per thread); free it with cedar_response_free. */
cedar_response *cedar_response_new(void);
void cedar_response_free(cedar_response *resp);

/* Authorize rq against ps and es (es may be NULL: no entities). Fills resp
 * (its previous contents are discarded). Returns 0; nonzero only on misuse
 * (a NULL argument). Reads ps, es and rq only: safe to run concurrently
 * with other readers, with a response per thread. */
int cedar_authorize(const cedar_policy_set *ps, const cedar_entities *es, const cedar_request *rq,
                    cedar_response *resp, cedar_error *err);

cedar_decision cedar_response_decision(const cedar_response *resp);
/* Determining policies: the satisfied forbids on a Deny caused by one, else the
 * satisfied permits; in policy-set order. The strings below are valid until
 * resp is reused or freed; policy ids also need the policy set alive (they
 * are its strings). NULL for i out of range. */
size_t cedar_response_reason_count(const cedar_response *resp);
const char *cedar_response_reason(const cedar_response *resp, size_t i);
/* Policies whose evaluation raised an error, with the error message. */
size_t cedar_response_error_count(const cedar_response *resp);
const char *cedar_response_error_policy(const cedar_response *resp, size_t i);
const char *cedar_response_error_message(const cedar_response *resp, size_t i);

/* ---- validation ------------------------------------------------------- */

/* Cedar's validator: typechecks every policy and template against a schema,
 * so that policies that validate cannot hit a type error, a missing
 * attribute or an unknown entity type when evaluated on data that conforms
 * to the schema. Strict mode (the official default) also rejects what
 * permissive mode accepts: empty set literals, extension constructors
 * applied to non-literals, and mixing different entity types or record
 * shapes where one type is needed. */

typedef enum cedar_validation_mode {
    CEDAR_VALIDATION_STRICT = 0,
    CEDAR_VALIDATION_PERMISSIVE = 1,
} cedar_validation_mode;

typedef struct cedar_validation cedar_validation;

/* Validate ps against schema. Returns the result (free it with
 * cedar_validation_free), or NULL only on misuse (a NULL argument). The
 * result holds copies of everything it returns: its strings are valid until
 * cedar_validation_free, whether or not ps and schema are still alive. */
cedar_validation *cedar_validate(const cedar_schema *schema, const cedar_policy_set *ps,
                                 cedar_validation_mode mode, cedar_error *err);
void cedar_validation_free(cedar_validation *v);
/* True when no policy has an error (warnings do not count). */
bool cedar_validation_passed(const cedar_validation *v);

/* Per policy, in policy-set order (the ids of cedar_policy_set_id). */
size_t cedar_validation_policy_count(const cedar_validation *v);
const char *cedar_validation_policy_id(const cedar_validation *v, size_t i);
bool cedar_validation_policy_valid(const cedar_validation *v, size_t i);
/* Warning: the policy is false for every request the schema allows. */
bool cedar_validation_policy_impossible(const cedar_validation *v, size_t i);

/* All errors, by policy (policy-set order), then by location in the text. */
size_t cedar_validation_error_count(const cedar_validation *v);
/* The index (for cedar_validation_policy_id) of the policy with error i. */
size_t cedar_validation_error_policy(const cedar_validation *v, size_t i);
const char *cedar_validation_error_message(const cedar_validation *v, size_t i);
/* A hint on how to fix it, or NULL. */
const char *cedar_validation_error_help(const cedar_validation *v, size_t i);
/* The kind of error: "unexpected type", "attribute not found", ... */
const char *cedar_validation_error_kind(const cedar_validation *v, size_t i);
/* 1-based position in the policy text (0 when unknown). */
unsigned cedar_validation_error_line(const cedar_validation *v, size_t i);
unsigned cedar_validation_error_column(const cedar_validation *v, size_t i);

/* ---- expressions ------------------------------------------------------ */

/* Evaluate a Cedar expression against a request (may be NULL: then the
 * expression must not use principal/action/resource/context) and entities
 * (may be NULL). Returns the value printed in Cedar syntax (heap-owned, free
 * with free()), or NULL with err filled on a parse or evaluation error. */
char *cedar_evaluate(const char *expr, size_t len, const cedar_entities *es,
                     const cedar_request *rq, cedar_error *err);

/* Check that expr parses; returns 0, or nonzero with err filled. */
int cedar_expression_check(const char *expr, size_t len, cedar_error *err);

#ifdef __cplusplus
}
#endif

#endif
