/* gen_emit.c: a whole case as the texts the production engine reads (schema
 * in one format and the other, policies, links, entities, requests), and as
 * a Cedar integration test. */
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

static char *dup_buf(gen_buf *b)
{
    char *s = malloc(b->len + 1);
    if (!s) abort();
    memcpy(s, b->data ? b->data : "", b->len);
    s[b->len] = '\0';
    return s;
}

void gen_emit_case(gen_texts *t, const gen_case *c)
{
    gen_style st;
    gen_style_init(&st, c->style);
    memset(t, 0, sizeof *t);
    t->schema_is_json = (c->style >> 40) & 1;
    gen_buf_init(&t->schema);
    gen_buf_init(&t->schema_other);
    if (t->schema_is_json) {
        gen_print_schema_json(&t->schema, &c->schema, &st);
    } else {
        gen_print_schema_text(&t->schema, &c->schema, &st);
    }

    gen_buf_init(&t->policies);
    if (gen_style_coin(&st, 20)) gen_buf_puts(&t->policies, "// generated policies\n");
    for (size_t i = 0; i < c->n_policies; i++) {
        const gen_policy *p = &c->policies[i];
        if (p->link_of >= 0) {
            t->n_links++;
            continue;
        }
        if (i && gen_style_coin(&st, 30)) gen_buf_putc(&t->policies, '\n');
        gen_print_policy(&t->policies, p, &st);
    }
    /* a comment that the end of the input ends */
    if (gen_style_coin(&st, 10)) gen_buf_puts(&t->policies, "// the end, without a newline");
    t->links = calloc(t->n_links + 1, sizeof *t->links);
    if (!t->links) abort();
    size_t k = 0;
    for (size_t i = 0; i < c->n_policies; i++) {
        const gen_policy *p = &c->policies[i];
        if (p->link_of < 0) continue;
        gen_link_text *l = &t->links[k++];
        l->template_id = c->policies[p->link_of].id;
        l->link_id = p->id;
        gen_buf u;
        if (p->scope[0].slot) {
            gen_buf_init(&u);
            gen_print_uid_normalized(&u, p->slot_principal);
            l->principal = dup_buf(&u);
            gen_buf_free(&u);
        }
        if (p->scope[2].slot) {
            gen_buf_init(&u);
            gen_print_uid_normalized(&u, p->slot_resource);
            l->resource = dup_buf(&u);
            gen_buf_free(&u);
        }
    }

    gen_buf_init(&t->entities);
    gen_json_entities(&t->entities, c, &st);

    t->n_requests = c->n_requests;
    t->requests = calloc(c->n_requests + 1, sizeof *t->requests);
    t->requests_cli = calloc(c->n_requests + 1, sizeof *t->requests_cli);
    if (!t->requests || !t->requests_cli) abort();
    for (size_t i = 0; i < c->n_requests; i++) {
        gen_buf_init(&t->requests[i]);
        gen_buf_init(&t->requests_cli[i]);
        gen_json_request(&t->requests[i], c, i, &st);
        if (c->requests[i].validate && gen_style_coin(&st, 40) &&
            !gen_json_request_cli(&t->requests_cli[i], c, i, &st))
            gen_buf_reset(&t->requests_cli[i]);
    }
}

void gen_emit_other_schema(gen_texts *t, const gen_case *c)
{
    if (t->schema_other.len) return;
    gen_style st;
    gen_style_init(&st, c->style ^ 0x2545f4914f6cdd1dull);
    if (t->schema_is_json) {
        gen_print_schema_text(&t->schema_other, &c->schema, &st);
    } else {
        gen_print_schema_json(&t->schema_other, &c->schema, &st);
    }
}

void gen_texts_free(gen_texts *t)
{
    gen_buf_free(&t->schema);
    gen_buf_free(&t->schema_other);
    gen_buf_free(&t->policies);
    gen_buf_free(&t->entities);
    for (size_t i = 0; i < t->n_links; i++) {
        free(t->links[i].principal);
        free(t->links[i].resource);
    }
    free(t->links);
    for (size_t i = 0; i < t->n_requests; i++) {
        gen_buf_free(&t->requests[i]);
        gen_buf_free(&t->requests_cli[i]);
    }
    free(t->requests);
    free(t->requests_cli);
    memset(t, 0, sizeof *t);
}

static void id_list(gen_buf *b, size_t n, const m_str *ids)
{
    gen_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        gen_buf_puts(b, i ? ", " : "");
        gen_json_string(b, ids[i], &(gen_style){0, 0});
    }
    gen_buf_putc(b, ']');
}

void gen_emit_test(gen_buf *b, const gen_case *c, const m_response *answers,
                   const char *policies_path, const char *entities_path, const char *schema_path,
                   const char *description)
{
    gen_style plain = {0, 0};
    gen_buf_puts(b, "{\n  \"policies\": ");
    gen_json_string(b, m_str_c(policies_path), &plain);
    gen_buf_puts(b, ",\n  \"entities\": ");
    gen_json_string(b, m_str_c(entities_path), &plain);
    gen_buf_puts(b, ",\n  \"schema\": ");
    gen_json_string(b, m_str_c(schema_path), &plain);
    gen_buf_puts(b, ",\n  \"shouldValidate\": false,\n  \"requests\": [");
    for (size_t i = 0; i < c->n_requests; i++) {
        const gen_request *rq = &c->requests[i];
        const gen_action *a = &c->schema.actions[gen_schema_action(&c->schema, rq->r.action)];
        const m_response *r = &answers[i];
        gen_buf_puts(b, i ? ",\n    {\n" : "\n    {\n");
        gen_buf_puts(b, "      \"description\": ");
        gen_json_string(b, m_str_c(description), &plain);
        gen_buf_printf(b, ",\n      \"principal\": ");
        gen_json_uid(b, rq->r.principal, &plain);
        gen_buf_printf(b, ",\n      \"action\": ");
        gen_json_uid(b, rq->r.action, &plain);
        gen_buf_printf(b, ",\n      \"resource\": ");
        gen_json_uid(b, rq->r.resource, &plain);
        gen_buf_printf(b, ",\n      \"context\": ");
        gen_json_value(b, rq->r.context, a->context, &c->schema, &plain);
        gen_buf_printf(b, ",\n      \"validateRequest\": %s", rq->validate ? "true" : "false");
        gen_buf_printf(b, ",\n      \"decision\": \"%s\"", r->allow ? "allow" : "deny");
        gen_buf_puts(b, ",\n      \"reason\": ");
        id_list(b, r->n_determining, r->determining);
        gen_buf_puts(b, ",\n      \"errors\": ");
        id_list(b, r->n_erroring, r->erroring);
        gen_buf_puts(b, "\n    }");
    }
    gen_buf_puts(b, "\n  ]\n}\n");
}

void gen_print_response(gen_buf *b, const m_response *r)
{
    gen_buf_printf(b, "%s, determining [", r->allow ? "ALLOW" : "DENY");
    for (size_t i = 0; i < r->n_determining; i++) {
        gen_buf_puts(b, i ? ", " : "");
        gen_buf_str(b, r->determining[i]);
    }
    gen_buf_puts(b, "], erroring [");
    for (size_t i = 0; i < r->n_erroring; i++) {
        gen_buf_puts(b, i ? ", " : "");
        gen_buf_str(b, r->erroring[i]);
        gen_buf_printf(b, ": %s", m_error_name(r->errors[i]));
    }
    gen_buf_putc(b, ']');
}

const char *gen_tkind_name(gen_tkind k)
{
    static const char *const names[] = {"Bool",   "Long",    "String", "Entity",   "Set",
                                        "Record", "decimal", "ipaddr", "datetime", "duration"};
    return (unsigned)k < GEN_N(names) ? names[k] : "?";
}
