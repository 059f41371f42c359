/* cd_entities_cmp.c: the two readers of entity loading's step 1 compared on
 * one text: the direct reader (cd_entities_read.c, tried first) and the
 * general way through jansson (cd_entities_read_direct off), whose stores,
 * messages and locations must be the same. For the unit tests and DRT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_json_impl.h"

static bool records_eq(const cd_record *a, const cd_record *b)
{
    cd_value va = {.kind = CD_V_RECORD}, vb = {.kind = CD_V_RECORD};
    va.u.rec = *a;
    vb.u.rec = *b;
    return cd_value_eq(&va, &vb);
}

static bool uids_eq(const cd_uid *a, size_t na, const cd_uid *b, size_t nb)
{
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++)
        if (!cd_uid_eq(&a[i], &b[i]) || a[i].hash != b[i].hash) return false;
    return true;
}

/* The first entity of x and y that differs, or -1. */
static long first_difference(const cd_entities *x, const cd_entities *y)
{
    size_t n = cd_entities_count(x);
    if (n != cd_entities_count(y)) return 0;
    cd_vec ax, ay;
    cd_vec_init(&ax, sizeof(cd_uid));
    cd_vec_init(&ay, sizeof(cd_uid));
    long diff = -1;
    for (size_t i = 0; i < n && diff < 0; i++) {
        const cd_entity *a = cd_entities_at(x, i), *b = cd_entities_at(y, i);
        bool eq = cd_uid_eq(&a->uid, &b->uid) && a->uid.hash == b->uid.hash &&
                  records_eq(&a->attrs, &b->attrs) && records_eq(&a->tags, &b->tags) &&
                  uids_eq(a->parents, a->n_parents, b->parents, b->n_parents) &&
                  cd_entity_ancestors(a, &ax) == cd_entity_ancestors(b, &ay) &&
                  uids_eq(ax.items, ax.len, ay.items, ay.len);
        if (!eq) diff = (long)i;
    }
    cd_vec_free(&ax);
    cd_vec_free(&ay);
    return diff;
}

static char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)(n < 0 ? 0 : n) + 1);
    if (!s) abort();
    va_start(ap, fmt);
    vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    va_end(ap);
    return s;
}

static const char *msg(const cd_err *e)
{
    return e->message ? e->message : "(no message)";
}

bool cd_entities_read_directly(const char *text, size_t len, const cd_schema *schema)
{
    cd_arena *a = cd_arena_new();
    cd_vec ents, offs;
    cd_vec_init(&ents, sizeof(cd_entity));
    cd_vec_init(&offs, sizeof(size_t));
    const cd_name *last = NULL;
    bool ok = cd_entities_read(text, len, schema, a, &last, &ents, &offs);
    cd_vec_free(&ents);
    cd_vec_free(&offs);
    cd_arena_free(a);
    return ok;
}

char *cd_entities_readers_differ(const char *text, size_t len, const cd_schema *schema)
{
    cd_err e1 = {0}, e2 = {0};
    bool was = cd_entities_read_direct;
    cd_entities_read_direct = true;
    cd_entities *x = cd_entities_load_json(text, len, "entities.json", schema, &e1);
    cd_entities_read_direct = false;
    cd_entities *y = cd_entities_load_json(text, len, "entities.json", schema, &e2);
    cd_entities_read_direct = was;
    char *d = NULL;
    long i;
    if (x && y) {
        if ((i = first_difference(x, y)) >= 0)
            d = strf("the stores differ (%zu and %zu entities; at entity %ld)",
                     cd_entities_count(x), cd_entities_count(y), i);
    } else if (x || y) {
        d = strf("the %s reader loads, the other fails: %s", x ? "direct" : "jansson",
                 msg(x ? &e2 : &e1));
    } else if (strcmp(msg(&e1), msg(&e2)) != 0 || e1.loc.line != e2.loc.line ||
               e1.loc.column != e2.loc.column || e1.loc.offset != e2.loc.offset ||
               !e1.file != !e2.file || (e1.file && strcmp(e1.file, e2.file) != 0)) {
        d = strf("the errors differ: %u:%u (offset %u) %s / %u:%u (offset %u) %s", e1.loc.line,
                 e1.loc.column, e1.loc.offset, msg(&e1), e2.loc.line, e2.loc.column, e2.loc.offset,
                 msg(&e2));
    }
    cd_entities_free(x);
    cd_entities_free(y);
    cd_err_clear(&e1);
    cd_err_clear(&e2);
    return d;
}
