/* cd_request_read.c: a request object read straight from its text by the
 * direct reader (cd_json_direct.h), for cedar_request_parse_json and DRT
 * (cd_request_read_direct in cd_api_request.c): its uids first
 * (cd_request_read_uids), then its context by the value reader
 * (cd_request_read_context, cd_json_direct.c) once its type is known. On any
 * other form or error it gives up and the caller reads the text through
 * jansson, whose messages and locations are the reference.
 */
#include "cd_json_direct.h"

enum { RQ_PRINCIPAL = 1, RQ_ACTION = 2, RQ_RESOURCE = 4, RQ_CONTEXT = 8, RQ_VALIDATE = 16 };

/* The string in r->cur kept in q->buf; its offset there. */
static size_t keep(cd_request_text *q, const cd_jd *r)
{
    size_t at = q->buf.len;
    cd_buf_put(&q->buf, r->cur.ptr, r->cur.len);
    return at;
}

/* The uid (principal, action or resource: i) as a string holding it, kept
 * whole in type_at and type_len (the caller splits it). */
static bool cli_uid(cd_jd *r, cd_request_text *q, int i)
{
    if (!cd_jd_string(r)) return false;
    q->type_at[i] = keep(q, r);
    q->type_len[i] = r->cur.len;
    return true;
}

/* A member of the type-and-id object of a uid (uid_member's forms). */
typedef struct rq_uid_ctx {
    cd_request_text *q;
    int i;
    bool escape, have_type, have_id;
} rq_uid_ctx;

static bool test_uid(cd_jd *r, cd_request_text *q, int i, bool escape);

static bool rq_uid_member(cd_jd *r, void *ctx)
{
    rq_uid_ctx *u = ctx;
    cd_request_text *q = u->q;
    if (u->escape && !u->have_type && !u->have_id && str_is(r, "__entity")) {
        u->have_type = u->have_id = true;
        return test_uid(r, q, u->i, false) && peek(r) == '}'; /* the escape's only key */
    }
    if (!u->have_type && str_is(r, "type")) {
        u->have_type = true;
        if (!cd_jd_string(r)) return false;
        /* a name this thread has interned for a request was checked then */
        if (!cd_name_cached(r->cur.ptr, r->cur.len) && !cd_valid_name(r->cur.ptr, r->cur.len))
            return false;
        q->type_at[u->i] = keep(q, r);
        q->type_len[u->i] = r->cur.len;
        return true;
    }
    if (!u->have_id && str_is(r, "id")) {
        u->have_id = true;
        if (!cd_jd_string(r)) return false;
        q->id_at[u->i] = keep(q, r);
        q->id_len[u->i] = r->cur.len;
        return true;
    }
    return false;
}

/* The uid i as {"type": T, "id": I}, or (escape) {"__entity": {...}}. */
static bool test_uid(cd_jd *r, cd_request_text *q, int i, bool escape)
{
    rq_uid_ctx u = {q, i, escape, false, false};
    return enter(r, '{') && members(r, rq_uid_member, &u) && u.have_type && u.have_id;
}

/* One member of the request object; at `context`, stop before its value
 * (false, with q->seen recording it). */
static bool request_member(cd_jd *r, void *ctx)
{
    cd_request_text *q = ctx;
    unsigned field = str_is(r, "principal")                    ? RQ_PRINCIPAL
                     : str_is(r, "action")                     ? RQ_ACTION
                     : str_is(r, "resource")                   ? RQ_RESOURCE
                     : str_is(r, "context")                    ? RQ_CONTEXT
                     : !q->cli && str_is(r, "validateRequest") ? RQ_VALIDATE
                                                               : 0;
    /* a repeated key gives up: jansson's path keeps the last */
    if (!field || (q->seen & field)) return false;
    q->seen |= field;
    if (field == RQ_CONTEXT) return false;
    if (field == RQ_VALIDATE) {
        char c = peek(r);
        q->validate = c == 't';
        return literal(r, c == 't' ? "true" : "false");
    }
    int i = field == RQ_PRINCIPAL ? 0 : field == RQ_ACTION ? 1 : 2;
    return q->cli ? cli_uid(r, q, i) : test_uid(r, q, i, true);
}

/* The members from r->i on, up to the context's value or the end. */
static bool request_members(cd_jd *r, cd_request_text *q)
{
    bool more = !eat(r, '}');
    while (more) {
        if (!key(r) || !request_member(r, q)) {
            if (!(q->seen & RQ_CONTEXT) || q->context_at) return false;
            ws(r);
            q->context_at = r->i; /* the context's value is next */
            return true;
        }
        if (!next(r, '}', &more)) return false;
    }
    ws(r);
    return r->i == r->n; /* nothing after the object */
}

bool cd_request_read_uids(cd_request_text *q)
{
    cd_jd r = {.s = q->text, .n = q->len};
    cd_buf_init(&r.str);
    q->seen = 0;
    q->context_at = 0;
    q->validate = false;
    bool ok = q->text && enter(&r, '{') && request_members(&r, q) &&
              (q->seen & (RQ_PRINCIPAL | RQ_ACTION | RQ_RESOURCE)) ==
                  (RQ_PRINCIPAL | RQ_ACTION | RQ_RESOURCE);
    cd_buf_free(&r.str);
    return ok;
}

bool cd_request_read_context(cd_request_text *q, const cd_type *t, cd_arena *arena, cd_value *out)
{
    const cd_name *last_type = NULL;
    cd_jd r = {.s = q->text,
               .n = q->len,
               .i = q->context_at,
               .depth = 1,
               .arena = arena,
               .last_type = &last_type};
    cd_jd_scratch_init(&r);
    /* the context is a record (not an escape), then the members after it */
    bool more;
    bool ok = cd_jd_value(&r, t, out) && out->kind == CD_V_RECORD && next(&r, '}', &more);
    while (ok && more)
        ok = key(&r) && request_member(&r, q) && next(&r, '}', &more);
    ws(&r);
    ok = ok && r.i == r.n;
    cd_jd_scratch_free(&r);
    return ok;
}
