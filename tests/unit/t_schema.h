/* t_schema.h: helpers shared by the schema tests (test_schema.c,
 * test_schema_json.c): parse a schema, expect an error with its location,
 * look up declarations, print types. */
#ifndef T_SCHEMA_H
#define T_SCHEMA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_schema.h"
#include "t.h"

/* ---- helpers -------------------------------------------------------------- */

static inline cd_schema *parse(bool json, const char *src)
{
    cd_err err = {0};
    cd_schema *s = json ? cd_schema_parse_json(src, strlen(src), "test", &err)
                        : cd_schema_parse_text(src, strlen(src), "test", &err);
    if (!s) {
        fprintf(stderr, "unexpected error at %u:%u: %s\n  in: %s\n", err.loc.line, err.loc.column,
                err.message, src);
        cd_err_clear(&err);
    }
    return s;
}

#define TEXT(src) parse(false, src)
#define JSON(src) parse(true, src)

/* Expect an error whose message contains `needle`, at line:col (0: don't care). */
static inline bool fails(bool json, const char *src, size_t len, const char *needle, unsigned line,
                         unsigned col)
{
    cd_err err = {0};
    cd_schema *s = json ? cd_schema_parse_json(src, len, "f.cedarschema", &err)
                        : cd_schema_parse_text(src, len, "f.cedarschema", &err);
    bool ok = true;
    if (s) {
        fprintf(stderr, "expected an error containing \"%s\" for: %s\n", needle, src);
        cd_schema_free(s);
        return false;
    }
    if (!err.message || !strstr(err.message, needle)) {
        fprintf(stderr, "error \"%s\" does not contain \"%s\"\n", err.message, needle);
        ok = false;
    }
    if (line && (err.loc.line != line || err.loc.column != col)) {
        fprintf(stderr, "error \"%s\" at %u:%u, expected %u:%u\n", err.message, err.loc.line,
                err.loc.column, line, col);
        ok = false;
    }
    if (!err.file || strcmp(err.file, "f.cedarschema") != 0) {
        fprintf(stderr, "error without file name\n");
        ok = false;
    }
    cd_err_clear(&err);
    return ok;
}

#define TEXT_FAILS(src, needle, line, col)                                                         \
    T_CHECK(fails(false, src, strlen(src), needle, line, col))
#define JSON_FAILS(src, needle, line, col) T_CHECK(fails(true, src, strlen(src), needle, line, col))

static inline const cd_name *N(const char *s)
{
    return cd_name_intern(NULL, s, strlen(s));
}

static inline const cd_entity_decl *ent(const cd_schema *s, const char *name)
{
    return s ? cd_schema_entity(s, N(name)) : NULL;
}

static inline const cd_action_decl *act(const cd_schema *s, const char *type, const char *id)
{
    cd_uid u = {N(type), cd_str_from_c(id), 0};
    return s ? cd_schema_action(s, &u) : NULL;
}

/* The printed form of a type, in a small rotating set of buffers. */
static inline const char *ty(const cd_type *t)
{
    static char bufs[4][512];
    static int k;
    char *out = bufs[k++ % 4];
    cd_buf b;
    cd_buf_init(&b);
    cd_type_print(&b, t);
    snprintf(out, 512, "%s", cd_buf_cstr(&b));
    cd_buf_free(&b);
    return out;
}

static inline const char *shape(const cd_entity_decl *e)
{
    if (!e) return "(no entity)";
    cd_type t = {.kind = CD_T_RECORD};
    t.u.rec = e->shape;
    return ty(&t);
}

static inline const cd_type *attr_type(const cd_entity_decl *e, const char *name)
{
    if (!e) return NULL;
    const cd_attr_type *a = cd_record_type_get(&e->shape, cd_str_from_c(name));
    return a ? a->type : NULL;
}

static inline bool has_name(const cd_name *const *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == N(name)) return true;
    return false;
}

static inline bool has_parent(const cd_action_decl *a, const char *type, const char *id)
{
    for (size_t i = 0; a && i < a->n_member_of; i++)
        if (a->member_of[i].type == N(type) && cd_str_eq_c(a->member_of[i].id, id)) return true;
    return false;
}

/* ---- text format: constructs ---------------------------------------------- */

#endif
