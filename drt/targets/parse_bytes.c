/* parse_bytes.c: the `parse-bytes` target: raw bytes into each of core's
 * parsers (policies, expressions, entities with and without a schema,
 * schemas in both formats, requests, contexts, template links, uids). Only
 * crashes and sanitizer findings count; whatever parses is also printed
 * back, evaluated or authorized against, to walk what the parsers built. The
 * first byte chooses the parser. */
#include <stdlib.h>
#include <string.h>

#include "drt_targets.h"

static const char schema_text[] =
    "namespace NS { entity User in [Group] = { name: String, age?: Long, ip: ipaddr, "
    "t: Set<datetime> } tags decimal; entity Group; entity Color enum [\"red\", \"green\"];\n"
    "action view appliesTo { principal: [User, Color], resource: Group, context: { d?: duration, "
    "u: User } }; }\n";

static const char templates[] =
    "permit(principal == ?principal, action, resource in ?resource);\n"
    "forbid(principal in ?principal, action, resource) when { principal has age };\n";

static cedar_schema *fixed_schema(void)
{
    return cedar_schema_parse(schema_text, sizeof schema_text - 1, CEDAR_SCHEMA_TEXT, "fixed",
                              NULL);
}

/* Walk parsed policies: print each back and parse that, and authorize a fixed request. */
static void exercise_policies(cedar_policy_set *ps)
{
    for (size_t i = 0; i < ps->view.n; i++) {
        cd_buf b;
        cd_buf_init(&b);
        cd_policy_print(&b, ps->view.items[i]);
        cd_arena *arena = cd_arena_new();
        cd_policies again;
        cd_err e = {0};
        (void)cd_parse_policies(b.data ? b.data : "", b.len, "printed", arena, &again, &e);
        cd_err_clear(&e);
        cd_arena_free(arena);
        cd_buf_free(&b);
    }
    cedar_request *rq =
        cedar_request_new("NS::User::\"a\"", "NS::Action::\"view\"", "NS::Group::\"g\"",
                          "{\"n\": 1, \"s\": [1, \"x\"]}", NULL, false, NULL);
    cedar_response *resp = cedar_response_new();
    if (rq) cedar_authorize(ps, NULL, rq, resp, NULL);
    cedar_response_free(resp);
    cedar_request_free(rq);
}

static void exercise_expr(const char *text, size_t len)
{
    cd_arena *arena = cd_arena_new();
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(text, len, "expression", arena, &e);
    if (x) {
        cd_buf b;
        cd_buf_init(&b);
        cd_expr_print(&b, x);
        cd_buf_free(&b);
        cd_request rq = {
            .principal = cd_entityv((cd_uid){cd_name_intern(NULL, "User", 4), {"a", 1}, 0}),
            .action = cd_entityv((cd_uid){cd_name_intern(NULL, "Action", 6), {"v", 1}, 0}),
            .resource = cd_entityv((cd_uid){cd_name_intern(NULL, "User", 4), {"b", 1}, 0})};
        rq.context.kind = CD_V_RECORD;
        cd_entities *es = cd_entities_new_empty();
        cd_eval_ctx ctx = {.req = &rq, .es = es, .arena = arena};
        cd_value v;
        if (cd_eval(&ctx, x, &v)) {
            cd_buf_init(&b);
            cd_value_print(&b, &v);
            cd_buf_free(&b);
        }
        cd_entities_free(es);
    }
    cd_err_clear(&e);
    cd_arena_free(arena);
}

int drt_target_parse_bytes(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    unsigned which = data[0] % 10;
    /* the text: a NUL-terminated copy, for the APIs that want C strings */
    size_t len = size - 1;
    char *text = malloc(len + 1);
    if (!text) abort();
    memcpy(text, data + 1, len);
    text[len] = '\0';
    cedar_error err = {0};
    cedar_schema *schema = NULL;
    switch (which) {
    case 0: {
        cedar_policy_set *ps = cedar_policy_set_parse(text, len, "bytes", &err);
        if (ps) exercise_policies(ps);
        cedar_policy_set_free(ps);
        break;
    }
    case 1: exercise_expr(text, len); break;
    case 2: cedar_entities_free(cedar_entities_parse(text, len, NULL, "bytes", &err)); break;
    case 3:
        schema = fixed_schema();
        cedar_entities_free(cedar_entities_parse(text, len, schema, "bytes", &err));
        break;
    case 4:
    case 5: {
        cedar_schema *s = cedar_schema_parse(
            text, len, which == 4 ? CEDAR_SCHEMA_TEXT : CEDAR_SCHEMA_JSON, "bytes", &err);
        if (s) { /* entities against it: its actions at least */
            cedar_error e2 = {0};
            cedar_entities_free(cedar_entities_parse("[]", 2, s, "empty", &e2));
            cedar_error_clear(&e2);
        }
        cedar_schema_free(s);
        break;
    }
    case 6:
        schema = fixed_schema();
        cedar_request_free(cedar_request_parse_json(text, len, schema, len % 2, "bytes", &err));
        break;
    case 7:
        schema = fixed_schema();
        cedar_request_free(cedar_request_new("NS::User::\"a\"", "NS::Action::\"view\"",
                                             "NS::Group::\"g\"", text, schema, true, &err));
        break;
    case 8: {
        cedar_policy_set *ps = cedar_policy_set_parse(templates, sizeof templates - 1, "t", NULL);
        if (ps && cedar_policy_set_link_json(ps, text, len, "bytes", &err) == 0)
            exercise_policies(ps);
        cedar_policy_set_free(ps);
        break;
    }
    default: {
        cd_arena *arena = cd_arena_new();
        cd_uid u;
        cd_err e = {0};
        if (cd_parse_uid(text, len, arena, &u, &e)) {
            cd_buf b;
            cd_buf_init(&b);
            cd_uid_print(&b, &u);
            cd_buf_free(&b);
        }
        cd_err_clear(&e);
        cd_arena_free(arena);
        break;
    }
    }
    if (err.message) {
        char *m = cedar_error_format(&err);
        free(m);
    }
    cedar_error_clear(&err);
    cedar_schema_free(schema);
    free(text);
    return 0;
}

void drt_print_parse_bytes(const uint8_t *data, size_t size, FILE *out)
{
    static const char *const parsers[] = {
        "policies",       "expression",    "entities (no schema)", "entities (schema)",
        "schema (text)",  "schema (JSON)", "request JSON",         "context JSON",
        "template links", "entity uid"};
    if (size == 0) {
        fprintf(out, "empty input\n");
        return;
    }
    fprintf(out, "parser: %s\ninput (%zu bytes):\n%.*s\n", parsers[data[0] % 10], size - 1,
            (int)(size - 1), (const char *)data + 1);
    drt_target_parse_bytes(data, size);
    fprintf(out, "no crash\n");
}
