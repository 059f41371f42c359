/* cd_parse.c: parsing policy files, policy scopes and entity uids, and the
 * parser's error and string helpers (expressions are in cd_parse_expr.c).
 *
 * Accepts and rejects what the official Cedar parser does: the scope is
 * exactly `principal`, `action`, `resource` in that order (a trailing comma is
 * allowed), each with the operators the official conversion permits;
 * annotations are unique; template slots appear only in the scope, each in
 * its own position; action uids have type `Action` (in any namespace).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>

#include "cd_parse_int.h"

/* ---- errors ------------------------------------------------------------ */

bool cd_p_fail(cd_parser *p, cd_loc loc, const char *fmt, ...)
{
    if (p->err && !cd_err_is_set(p->err)) {
        va_list ap;
        va_start(ap, fmt);
        cd_err_vset(p->err, loc, fmt, ap);
        va_end(ap);
        p->err->file = p->file;
    }
    return false;
}

bool cd_p_unexpected(cd_parser *p, const char *what)
{
    const cd_tok *t = cd_p_tok(p);
    cd_loc loc = cd_p_tok_loc(t);
    const char *s = p->src + t->offset;
    switch (t->kind) {
    case CD_T_EOF: return cd_p_fail(p, loc, "unexpected end of input, expected %s", what);
    case CD_T_ERROR:
        if (*s == '"') return cd_p_fail(p, loc, "%s", p->toks.error);
        {
            uint32_t cp;
            int k = cd_utf8_decode(s, p->len - t->offset, &cp);
            if (k <= 0) k = 1;
            if ((unsigned char)*s < 0x20 || *s == 0x7F)
                return cd_p_fail(p, loc, "invalid character (code %u)",
                                 (unsigned)(unsigned char)*s);
            return cd_p_fail(p, loc, "invalid character `%.*s`", k, s);
        }
    case CD_T_IDENT:
    case CD_T_NUMBER:
    case CD_T_SLOT_OTHER:
        return cd_p_fail(p, loc, "unexpected %s `%.*s`, expected %s",
                         t->kind == CD_T_IDENT    ? "identifier"
                         : t->kind == CD_T_NUMBER ? "number"
                                                  : "slot",
                         (int)t->len, s, what);
    default: return cd_p_fail(p, loc, "unexpected %s, expected %s", cd_tok_describe(t->kind), what);
    }
}

bool cd_p_expect(cd_parser *p, cd_tok_kind k, const char *what)
{
    if (cd_p_peek(p) != k) return cd_p_unexpected(p, what);
    cd_p_next(p);
    return true;
}

/* ---- strings ----------------------------------------------------------- */

/* Location of byte rel within token t (the token may span lines). */
static cd_loc loc_in_tok(const cd_parser *p, const cd_tok *t, size_t rel)
{
    cd_loc l = cd_p_tok_loc(t);
    for (size_t i = 0; i < rel && i < t->len; i++) {
        if (p->src[t->offset + i] == '\n') {
            l.line++;
            l.column = 1;
        } else {
            l.column++;
        }
    }
    l.offset = t->offset + (uint32_t)rel;
    return l;
}

/* Report an unescaping error at raw offset off of string token t, quoting
 * the start of the escape when it is printable. */
static bool escape_error(cd_parser *p, const cd_tok *t, size_t off, const char *what,
                         const char *msg)
{
    const char *at = p->src + t->offset + 1 + off;
    size_t left = t->len - 2 - off;
    cd_loc loc = loc_in_tok(p, t, off + 1);
    if (*at == '\\' && left >= 2 && at[1] > ' ' && at[1] < 0x7F)
        return cd_p_fail(p, loc, "invalid %s: %s (at `\\%c`)", what, msg, at[1]);
    return cd_p_fail(p, loc, "invalid %s: %s", what, msg);
}

bool cd_p_string(cd_parser *p, size_t tok, cd_str *out)
{
    const cd_tok *t = &p->toks.items[tok];
    size_t off;
    const char *msg;
    if (cd_unescape_str(p->src + t->offset + 1, t->len - 2, p->arena, out, &off, &msg)) return true;
    return escape_error(p, t, off, "string literal", msg);
}

bool cd_p_pattern(cd_parser *p, size_t tok, cd_pattern *out)
{
    const cd_tok *t = &p->toks.items[tok];
    size_t off;
    const char *msg;
    if (cd_unescape_pattern(p->src + t->offset + 1, t->len - 2, p->arena, out, &off, &msg))
        return true;
    return escape_error(p, t, off, "pattern", msg);
}

/* ---- setup ------------------------------------------------------------- */

bool cd_p_init(cd_parser *p, const char *text, size_t len, const char *file, cd_arena *arena,
               cd_err *err)
{
    memset(p, 0, sizeof *p);
    p->src = text ? text : "";
    p->len = text ? len : 0;
    p->file = file;
    p->arena = arena;
    p->err = err;
    size_t bad = cd_utf8_check(p->src, p->len);
    if (bad < p->len) {
        cd_p_fail(p, cd_loc_of_offset(p->src, p->len, bad), "invalid UTF-8 in the input");
        return false;
    }
    if (!cd_lex(p->src, p->len, &p->toks)) {
        cd_p_fail(p, (cd_loc){1, 1, 0}, "the input is too large (4 GiB or more)");
        return false;
    }
    return true;
}

void cd_p_done(cd_parser *p)
{
    cd_toks_free(&p->toks);
}

/* ---- policy scope ------------------------------------------------------ */

static const char *const var_names[] = {"principal", "action", "resource"};

static bool is_action_type(const cd_name *type)
{
    cd_str s = cd_name_str(type);
    if (cd_str_eq_c(s, "Action")) return true;
    return s.len > 8 && memcmp(s.ptr + s.len - 8, "::Action", 8) == 0;
}

static bool is_entity_lit(const cd_expr *e)
{
    return e->kind == CD_X_LIT && e->u.lit.kind == CD_V_ENTITY;
}

/* What a scope's right-hand side may be. */
typedef enum { REF_OR_SLOT, REF_ONLY, REF_OR_SET } ref_want;

static bool scope_ref_error(cd_parser *p, const cd_xs *x, ref_want want)
{
    const char *expected = want == REF_OR_SLOT ? "an entity uid or matching template slot"
                           : want == REF_ONLY  ? "an entity uid"
                                               : "an entity uid or set of entity uids";
    switch (x->kind) {
    case CD_XS_NAME:
        return cd_p_fail(p, x->loc, "expected %s, found name `%.*s` (%s)", expected,
                         (int)x->name.len, x->name.ptr,
                         want == REF_OR_SET || want == REF_ONLY
                             ? "try including an identifier string if you intended this name "
                               "to be an entity uid"
                             : "try using `is` to test for an entity type, or include an "
                               "identifier string if you intended this name to be an entity "
                               "uid");
    case CD_XS_VAR: return cd_p_fail(p, x->loc, "expected %s, found a variable", expected);
    case CD_XS_STR:
        return cd_p_fail(p, x->loc,
                         "expected %s, found a string literal (try including the entity type "
                         "if you intended this string to be an entity uid)",
                         expected);
    case CD_XS_BOOL:
    case CD_XS_NUM: return cd_p_fail(p, x->loc, "expected %s, found a literal", expected);
    case CD_XS_EXPR: break;
    }
    const cd_expr *e = x->e;
    const char *found;
    switch (e->kind) {
    case CD_X_SLOT: found = "a template slot"; break;
    case CD_X_SET: found = "a set"; break;
    case CD_X_RECORD: found = "a record"; break;
    case CD_X_IF: found = "an `if` expression"; break;
    case CD_X_LIT: found = "a literal"; break;
    default: found = "an expression that is not an entity uid"; break;
    }
    return cd_p_fail(p, x->loc, "expected %s, found %s", expected, found);
}

/* The entity uid (or slot, or list of uids) on the right of a scope
 * operator. var is 0, 1 or 2 for principal, action, resource. */
static bool scope_refs(cd_parser *p, int var, cd_xs *x, ref_want want, cd_scope *sc)
{
    if (x->kind != CD_XS_EXPR) return scope_ref_error(p, x, want);
    const cd_expr *e = x->e;
    if (is_entity_lit(e)) {
        sc->uid = e->u.lit.u.uid;
        return true;
    }
    if (e->kind == CD_X_SLOT && want == REF_OR_SLOT) {
        cd_slot want_slot = var == 0 ? CD_SLOT_PRINCIPAL : CD_SLOT_RESOURCE;
        if (e->u.slot != want_slot)
            return cd_p_fail(p, x->loc,
                             "expected an entity uid or matching template slot, found %s "
                             "instead of ?%s",
                             e->u.slot == CD_SLOT_PRINCIPAL ? "?principal" : "?resource",
                             var_names[var]);
        sc->slot = true;
        return true;
    }
    if (e->kind == CD_X_SET && want == REF_OR_SET) {
        cd_uid *uids = CD_NEW_ARRAY(p->arena, cd_uid, e->u.list.n ? e->u.list.n : 1);
        for (size_t i = 0; i < e->u.list.n; i++) {
            const cd_expr *it = e->u.list.items[i];
            if (!is_entity_lit(it))
                return cd_p_fail(p, it->loc, "expected an entity uid, found %s",
                                 it->kind == CD_X_SLOT ? "a template slot"
                                                       : "an expression that is not an entity "
                                                         "uid");
            uids[i] = it->u.lit.u.uid;
        }
        sc->op = CD_SCOPE_IN_SET;
        sc->n_uids = e->u.list.n;
        sc->uids = uids;
        return true;
    }
    return scope_ref_error(p, x, want);
}

static bool check_action_uid(cd_parser *p, cd_loc loc, const cd_uid *u)
{
    if (is_action_type(u->type)) return true;
    return cd_p_fail(p, loc,
                     "expected an entity uid with type `Action` in the action scope, but got "
                     "an entity of type `%s`",
                     u->type->text);
}

/* VariableDef := Ident [':' Name] ['is' Add] [RelOp Expr] for position var. */
static bool scope_var(cd_parser *p, int var, cd_scope *sc)
{
    const cd_tok *vt = cd_p_tok(p);
    cd_loc vloc = cd_p_tok_loc(vt);
    memset(sc, 0, sizeof *sc);
    sc->loc = vloc;
    if (!cd_tok_is_any_ident(vt->kind))
        return cd_p_unexpected(p, var == 0 ? "`principal`" : var == 1 ? "`action`" : "`resource`");
    cd_p_next(p);
    int got = vt->kind == CD_T_PRINCIPAL  ? 0
              : vt->kind == CD_T_ACTION   ? 1
              : vt->kind == CD_T_RESOURCE ? 2
                                          : -1;
    if (got < 0)
        return cd_p_fail(p, vloc,
                         "found an invalid variable in the policy scope: `%.*s` (the scope is "
                         "`principal`, `action`, `resource`)",
                         (int)vt->len, p->src + vt->offset);
    if (got != var)
        return cd_p_fail(p, vloc, "found the variable `%s` where the variable `%s` must be used",
                         var_names[got], var_names[var]);
    if (cd_p_peek(p) == CD_T_COLON)
        return cd_p_fail(p, cd_p_loc(p),
                         "type constraints using `:` are not supported: try using `is` instead");
    const cd_name *is_type = NULL;
    if (cd_p_peek(p) == CD_T_IS) {
        cd_loc isloc = cd_p_loc(p);
        cd_p_next(p);
        cd_xs ty;
        if (!cd_p_add(p, &ty)) return false;
        if (var == 1)
            return cd_p_fail(p, isloc,
                             "`is` cannot appear in the action scope: try moving `action is ..` "
                             "into a `when` condition");
        if (!cd_p_is_type(p, &ty, &is_type)) return false;
    }
    sc->is_type = is_type;
    if (!cd_p_is_relop(cd_p_peek(p))) {
        sc->op = is_type ? CD_SCOPE_IS : CD_SCOPE_ANY;
        return true;
    }
    cd_tok_kind op = cd_p_peek(p);
    cd_loc oploc = cd_p_loc(p);
    cd_p_next(p);
    cd_xs rhs;
    if (!cd_p_expr(p, &rhs)) return false;
    bool rhs_is = rhs.kind == CD_XS_EXPR && rhs.e->kind == CD_X_IS;
    if (var == 1) {
        if (op == CD_T_IN) {
            if (rhs_is)
                return cd_p_fail(p, rhs.loc,
                                 "`is` cannot appear in the action scope: try moving `action is "
                                 "..` into a `when` condition");
            sc->op = CD_SCOPE_IN;
            if (!scope_refs(p, var, &rhs, REF_OR_SET, sc)) return false;
        } else if (op == CD_T_EQEQ) {
            sc->op = CD_SCOPE_EQ;
            if (!scope_refs(p, var, &rhs, REF_ONLY, sc)) return false;
        } else if (op == CD_T_EQ) {
            return cd_p_fail(p, oploc, "`=` is not a valid operator in Cedar: use `==`");
        } else {
            return cd_p_fail(p, oploc,
                             "invalid operator in the action scope: only `==` and `in` are "
                             "allowed");
        }
        if (sc->op == CD_SCOPE_IN_SET) {
            for (size_t i = 0; i < sc->n_uids; i++)
                if (!check_action_uid(p, rhs.e->u.list.items[i]->loc, &sc->uids[i])) return false;
        } else if (!check_action_uid(p, rhs.loc, &sc->uid)) {
            return false;
        }
        return true;
    }
    if (op == CD_T_IN && rhs_is)
        return cd_p_fail(p, rhs.loc,
                         "when `is` and `in` are used together, `is` must come first: try `%s "
                         "is T in E`",
                         var_names[var]);
    if (!scope_refs(p, var, &rhs, REF_OR_SLOT, sc)) return false;
    if (op == CD_T_EQEQ) {
        if (is_type)
            return cd_p_fail(p, oploc,
                             "`is` cannot be used together with `==`: try using `_ is _ in _`");
        sc->op = CD_SCOPE_EQ;
    } else if (op == CD_T_IN) {
        sc->op = is_type ? CD_SCOPE_IS_IN : CD_SCOPE_IN;
    } else if (op == CD_T_EQ) {
        return cd_p_fail(p, oploc, "`=` is not a valid operator in Cedar: use `==`");
    } else {
        return cd_p_fail(p, oploc,
                         "invalid operator in the policy scope: only `==`, `in`, `is` and `is "
                         ".. in` are allowed");
    }
    return true;
}

/* '(' principal, action, resource [','] ')' */
static bool scope(cd_parser *p, cd_policy *pol, cd_loc effect_loc)
{
    if (!cd_p_expect(p, CD_T_LPAREN, "`(`")) return false;
    cd_scope *sc[3] = {&pol->body->principal, &pol->body->action, &pol->body->resource};
    int n = 0;
    while (cd_p_peek(p) != CD_T_RPAREN) {
        if (n == 3)
            return cd_p_fail(p, cd_p_loc(p),
                             "this policy has an extra element in the scope (the scope is "
                             "`principal`, `action`, `resource`)");
        if (!scope_var(p, n, sc[n])) return false;
        n++;
        if (cd_p_peek(p) != CD_T_COMMA) break;
        cd_p_next(p);
    }
    if (n < 3) {
        if (cd_p_peek(p) != CD_T_RPAREN) return cd_p_unexpected(p, "`,` or `)`");
        return cd_p_fail(p, effect_loc, "this policy is missing the `%s` variable in the scope",
                         var_names[n]);
    }
    return cd_p_expect(p, CD_T_RPAREN, "`,` or `)`");
}

/* ---- policies ---------------------------------------------------------- */

static bool annotations(cd_parser *p, cd_policy *pol)
{
    cd_vec anns, locs;
    cd_vec_init(&anns, sizeof(cd_annotation));
    cd_vec_init(&locs, sizeof(cd_loc));
    bool ok = true;
    while (ok && cd_p_peek(p) == CD_T_AT) {
        cd_loc loc = cd_p_loc(p);
        cd_p_next(p);
        const cd_tok *k = cd_p_tok(p);
        if (!cd_tok_is_any_ident(k->kind)) {
            ok = cd_p_unexpected(p, "an annotation name");
            break;
        }
        cd_p_next(p);
        cd_annotation a = {.key = cd_arena_str(p->arena, p->src + k->offset, k->len),
                           .value = cd_arena_str(p->arena, "", 0)};
        if (cd_p_peek(p) == CD_T_LPAREN) {
            cd_p_next(p);
            size_t stok = p->pos;
            ok = cd_p_expect(p, CD_T_STRING, "a string literal") &&
                 cd_p_expect(p, CD_T_RPAREN, "`)`") && cd_p_string(p, stok, &a.value);
            a.has_value = true;
        }
        *(cd_annotation *)cd_vec_push(&anns) = a;
        *(cd_loc *)cd_vec_push(&locs) = loc;
    }
    if (ok && anns.len > 1) {
        /* duplicate keys: report the first repeat in source order */
        cd_str *keys = reallocarray(NULL, anns.len, sizeof *keys);
        if (!keys) abort();
        for (size_t i = 0; i < anns.len; i++)
            keys[i] = CD_VEC_AT(&anns, cd_annotation, i).key;
        size_t d = cd_p_first_duplicate(keys, anns.len);
        free(keys);
        if (d < anns.len) {
            cd_str key = CD_VEC_AT(&anns, cd_annotation, d).key;
            ok = cd_p_fail(p, CD_VEC_AT(&locs, cd_loc, d), "duplicate annotation `@%.*s`",
                           (int)key.len, key.ptr);
        }
    }
    cd_vec_free(&locs);
    if (!ok) {
        cd_vec_free(&anns);
        return false;
    }
    pol->body->n_annotations = anns.len;
    pol->body->annotations = cd_vec_finish(&anns, p->arena);
    return true;
}

/* Cond := ('when' | 'unless') '{' Expr '}' */
static bool condition(cd_parser *p, cd_condition *c)
{
    const cd_tok *t = cd_p_tok(p);
    cd_loc loc = cd_p_tok_loc(t);
    cd_p_next(p);
    if (t->kind != CD_T_WHEN && t->kind != CD_T_UNLESS)
        return cd_p_fail(p, loc, "invalid policy condition `%.*s`: it must be `when` or `unless`",
                         (int)t->len, p->src + t->offset);
    c->is_when = t->kind == CD_T_WHEN;
    const char *kw = c->is_when ? "when" : "unless";
    if (!cd_p_expect(p, CD_T_LBRACE, "`{`")) return false;
    if (cd_p_peek(p) == CD_T_RBRACE)
        return cd_p_fail(p, loc, "`%s` condition clause cannot be empty", kw);
    p->slot_seen = false;
    cd_xs x;
    if (!cd_p_expr(p, &x) || !cd_p_into_expr(p, &x, &c->body)) return false;
    if (p->slot_seen)
        return cd_p_fail(p, p->slot_loc,
                         "found template slot %s in a `%s` clause: slots are only allowed in the "
                         "policy scope",
                         p->slot_kind == CD_SLOT_PRINCIPAL ? "?principal" : "?resource", kw);
    return cd_p_expect(p, CD_T_RBRACE, "`}`");
}

/* "policy" and the index in decimal: the id of a policy without @id (no
 * printf: every policy gets one). */
static cd_str default_id(cd_arena *a, size_t index)
{
    char d[32];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + index % 10);
        index /= 10;
    } while (index);
    i -= 6;
    memcpy(d + i, "policy", 6);
    return cd_arena_str(a, d + i, sizeof d - i);
}

static bool policy(cd_parser *p, size_t index, cd_policy **out)
{
    cd_policy *pol = CD_NEW(p->arena, cd_policy);
    pol->body = CD_NEW(p->arena, cd_policy_body);
    const cd_tok *first = cd_p_tok(p);
    pol->body->loc = cd_p_tok_loc(first);
    if (!annotations(p, pol)) return false;
    const cd_tok *eff = cd_p_tok(p);
    cd_loc effect_loc = cd_p_tok_loc(eff);
    if (!cd_tok_is_any_ident(eff->kind))
        return cd_p_unexpected(p, pol->body->n_annotations ? "`permit` or `forbid`"
                                                           : "`permit`, `forbid` or an annotation");
    cd_p_next(p);
    if (eff->kind != CD_T_PERMIT && eff->kind != CD_T_FORBID)
        return cd_p_fail(p, effect_loc,
                         "invalid policy effect `%.*s`: the effect must be `permit` or `forbid`",
                         (int)eff->len, p->src + eff->offset);
    pol->body->effect = eff->kind == CD_T_PERMIT ? CD_PERMIT : CD_FORBID;
    p->slot_seen = false;
    if (!scope(p, pol, effect_loc)) return false;
    cd_vec conds;
    cd_vec_init(&conds, sizeof(cd_condition));
    /* Cond := Ident '{' Expr '}': an identifier other than when/unless is only
     * taken for a (misspelt) condition keyword when a `{` follows */
    for (;;) {
        cd_tok_kind k = cd_p_peek(p);
        if (k != CD_T_WHEN && k != CD_T_UNLESS &&
            !(cd_tok_is_any_ident(k) && cd_p_peek_at(p, 1) == CD_T_LBRACE))
            break;
        if (!condition(p, cd_vec_push(&conds))) {
            cd_vec_free(&conds);
            return false;
        }
    }
    pol->body->n_conditions = conds.len;
    pol->body->conditions = cd_vec_finish(&conds, p->arena);
    const cd_tok *semi = cd_p_tok(p);
    if (semi->kind != CD_T_SEMI) return cd_p_unexpected(p, "`when`, `unless` or `;`");
    cd_p_next(p);
    pol->id = default_id(p->arena, index);
    pol->body->text =
        cd_arena_str(p->arena, p->src + first->offset, semi->offset + 1 - first->offset);
    pol->is_template = pol->body->principal.slot || pol->body->resource.slot;
    *out = pol;
    return true;
}

bool cd_parse_policies(const char *text, size_t len, const char *file, cd_arena *arena,
                       cd_policies *out, cd_err *err)
{
    out->n = 0;
    out->items = NULL;
    cd_parser p;
    if (!cd_p_init(&p, text, len, file, arena, err)) return false;
    cd_vec pols;
    cd_vec_init(&pols, sizeof(cd_policy *));
    bool ok = true;
    while (ok && cd_p_peek(&p) != CD_T_EOF) {
        cd_policy *pol = NULL;
        ok = policy(&p, pols.len, &pol);
        if (ok) *(cd_policy **)cd_vec_push(&pols) = pol;
    }
    cd_p_done(&p);
    if (!ok) {
        cd_vec_free(&pols);
        return false;
    }
    out->n = pols.len;
    out->items = cd_vec_finish(&pols, arena);
    return true;
}

cd_expr *cd_parse_expr(const char *text, size_t len, const char *file, cd_arena *arena, cd_err *err)
{
    cd_parser p;
    if (!cd_p_init(&p, text, len, file, arena, err)) return NULL;
    cd_xs x;
    cd_expr *e = NULL;
    bool ok = cd_p_expr(&p, &x) && cd_p_into_expr(&p, &x, &e) &&
              cd_p_expect(&p, CD_T_EOF, "end of input");
    cd_p_done(&p);
    return ok ? e : NULL;
}

/* Ref := Name '::' String, where Name := Ident {'::' Ident}, in normalized form */
bool cd_parse_uid(const char *text, size_t len, cd_arena *arena, cd_uid *out, cd_err *err)
{
    cd_parser p;
    if (!cd_p_init(&p, text, len, NULL, arena, err)) return false;
    bool ok = false;
    cd_loc loc = cd_p_loc(&p);
    if (!cd_tok_is_any_ident(cd_p_peek(&p))) {
        cd_p_unexpected(&p, "an entity uid like `User::\"alice\"`");
        goto done;
    }
    /* only identifiers and `::` up to the string, so the expression parser
     * sees nothing but a name or an entity literal */
    size_t i = p.pos;
    while (cd_tok_is_any_ident(p.toks.items[i].kind) && p.toks.items[i + 1].kind == CD_T_COLONCOLON)
        i += 2;
    if (p.toks.items[i].kind != CD_T_STRING) {
        p.pos = i;
        cd_p_unexpected(&p, i == 0 ? "an entity uid" : "`::` followed by a string literal");
        goto done;
    }
    cd_xs x;
    if (!cd_p_expr(&p, &x)) goto done;
    if (x.kind != CD_XS_EXPR || !is_entity_lit(x.e)) {
        cd_p_fail(&p, loc, "expected an entity uid like `User::\"alice\"`");
        goto done;
    }
    if (!cd_p_expect(&p, CD_T_EOF, "end of input after the entity uid")) goto done;
    *out = x.e->u.lit.u.uid;
    /* As the official EntityUid::from_str, accept only the normalized form:
     * the text must be exactly how the uid prints (no spaces or comments,
     * escapes as Cedar writes them). */
    cd_buf b;
    cd_buf_init(&b);
    cd_uid_print(&b, out);
    size_t k = 0;
    while (k < b.len && k < p.len && b.data[k] == p.src[k])
        k++;
    if (k < b.len || k < p.len)
        cd_p_fail(&p, cd_loc_of_offset(p.src, p.len, k),
                  "entity uid is not in normalized form (the normalized form is `%s`)",
                  cd_buf_cstr(&b));
    else
        ok = true;
    cd_buf_free(&b);
done:
    cd_p_done(&p);
    return ok;
}
