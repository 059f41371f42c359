/* gen_print_policy_json.c: a case's policies in the official policy JSON
 * format (the EST), printed from the model's expressions, never from core's.
 *
 * The forms vary the way the format allows: the set form or one policy
 * alone, fields and sections in any order, white space between tokens,
 * string escapes, uids with or without `__entity`, literals as "Value"
 * (sets and records of literals too, extension values as `__extn`) or as
 * expressions, `like` patterns with their literals split or padded with
 * empty ones, and the sugar the format has (`!=`, `>`, `>=`, `is` with
 * `in`, `has` with a path). With a defect, one place gets a form that
 * Cedar rejects (an unknown operator, a missing field, a bad uid, ...), so
 * the whole text must be rejected with an error.
 */
#include <string.h>

#include "gen_int.h"

typedef struct pj {
    gen_buf *b;
    gen_style *st;
    unsigned depth, max_depth; /* JSON nesting */
    int defect;                /* 0: none; else which one (below) */
    long defect_at;            /* the expression node that gets it */
    bool planted;
} pj;

static bool coin(pj *p, unsigned pct)
{
    return gen_style_coin(p->st, pct);
}

static void ws(pj *p)
{
    static const char *const spaces[] = {" ", "\n", "\t", "\r\n", "  ", "\n    "};
    if (coin(p, 15)) gen_buf_puts(p->b, spaces[gen_style_next(p->st) % 6]);
}

static void jopen(pj *p, char c)
{
    gen_buf_putc(p->b, c);
    if (++p->depth > p->max_depth) p->max_depth = p->depth;
    ws(p);
}

static void jclose(pj *p, char c)
{
    ws(p);
    gen_buf_putc(p->b, c);
    p->depth--;
}

static void comma(pj *p)
{
    ws(p);
    gen_buf_putc(p->b, ',');
    ws(p);
}

static void str(pj *p, m_str s)
{
    gen_json_string(p->b, s, p->st);
}

static void cstr(pj *p, const char *s)
{
    str(p, (m_str){s, strlen(s)});
}

static void key(pj *p, const char *k)
{
    cstr(p, k);
    ws(p);
    gen_buf_putc(p->b, ':');
    ws(p);
}

static void uid(pj *p, m_uid u)
{
    bool wrap = coin(p, 20);
    if (wrap) {
        jopen(p, '{');
        key(p, "__entity");
    }
    jopen(p, '{');
    bool swap = coin(p, 30);
    key(p, swap ? "id" : "type");
    str(p, swap ? u.id : u.type);
    comma(p);
    key(p, swap ? "type" : "id");
    str(p, swap ? u.type : u.id);
    jclose(p, '}');
    if (wrap) jclose(p, '}');
}

/* ---- values ("Value") ------------------------------------------------------------ */

static bool is_ctor(m_extfn fn)
{
    return fn == M_FN_DECIMAL || fn == M_FN_IP || fn == M_FN_DATETIME || fn == M_FN_DURATION;
}

static bool is_escape_key(m_str k)
{
    return m_str_eq(k, (m_str){"__entity", 8}) || m_str_eq(k, (m_str){"__extn", 6});
}

/* Can x be written as a "Value": literals, sets and records of them, and
 * extension constructors on a string literal? (A record with a key
 * `__entity` or `__extn` would read as an escape.) */
static bool valuable(const m_expr *x, unsigned depth)
{
    if (depth > 8) return false;
    switch (x->kind) {
    case M_X_LIT:
        return x->u.lit.kind == M_V_BOOL || x->u.lit.kind == M_V_INT ||
               x->u.lit.kind == M_V_STRING || x->u.lit.kind == M_V_ENTITY;
    case M_X_CALL:
        return is_ctor(x->u.list.fn) && x->u.list.n == 1 && x->u.list.xs[0]->kind == M_X_LIT &&
               x->u.list.xs[0]->u.lit.kind == M_V_STRING;
    case M_X_SET:
    case M_X_RECORD:
        for (size_t i = 0; i < x->u.list.n; i++)
            if ((x->kind == M_X_RECORD && is_escape_key(x->u.list.keys[i])) ||
                !valuable(x->u.list.xs[i], depth + 1))
                return false;
        return true;
    default: return false;
    }
}

static void value(pj *p, const m_expr *x)
{
    switch (x->kind) {
    case M_X_LIT: {
        m_value v = x->u.lit;
        if (v.kind == M_V_BOOL) gen_buf_puts(p->b, v.u.b ? "true" : "false");
        if (v.kind == M_V_INT) gen_buf_i64(p->b, v.u.i);
        if (v.kind == M_V_STRING) str(p, v.u.s);
        if (v.kind > M_V_ENTITY) gen_buf_puts(p->b, "null"); /* never generated as literals */
        if (v.kind != M_V_ENTITY) return;
        jopen(p, '{');
        key(p, "__entity");
        jopen(p, '{');
        key(p, "type");
        str(p, v.u.uid.type);
        comma(p);
        key(p, "id");
        str(p, v.u.uid.id);
        jclose(p, '}');
        jclose(p, '}');
        return;
    }
    case M_X_CALL: {
        jopen(p, '{');
        key(p, "__extn");
        jopen(p, '{');
        bool swap = coin(p, 30);
        key(p, swap ? "arg" : "fn");
        if (swap)
            str(p, x->u.list.xs[0]->u.lit.u.s);
        else
            cstr(p, gen_extfn_name(x->u.list.fn));
        comma(p);
        key(p, swap ? "fn" : "arg");
        if (swap)
            cstr(p, gen_extfn_name(x->u.list.fn));
        else
            str(p, x->u.list.xs[0]->u.lit.u.s);
        jclose(p, '}');
        jclose(p, '}');
        return;
    }
    default: break;
    }
    bool rec = x->kind == M_X_RECORD;
    jopen(p, rec ? '{' : '[');
    for (size_t i = 0; i < x->u.list.n; i++) {
        if (i) comma(p);
        if (rec) {
            str(p, x->u.list.keys[i]);
            ws(p);
            gen_buf_putc(p->b, ':');
            ws(p);
        }
        value(p, x->u.list.xs[i]);
    }
    jclose(p, rec ? '}' : ']');
}

/* ---- expressions ------------------------------------------------------------------ */

static void expr(pj *p, const m_expr *x);

/* {"op": {k1: a, k2: b}} with the fields in either order. */
static void two(pj *p, const char *k1, const m_expr *a, const char *k2, const m_expr *b)
{
    jopen(p, '{');
    if (coin(p, 30)) {
        key(p, k2);
        expr(p, b);
        comma(p);
        key(p, k1);
        expr(p, a);
    } else {
        key(p, k1);
        expr(p, a);
        comma(p);
        key(p, k2);
        expr(p, b);
    }
    jclose(p, '}');
}

/* {"left": x, name: <s>} in either order; s printed by the caller's callback. */
static void left_and(pj *p, const m_expr *x, const char *name, void (*put)(pj *, const void *),
                     const void *arg)
{
    jopen(p, '{');
    bool swap = coin(p, 30);
    if (swap) {
        key(p, name);
        put(p, arg);
        comma(p);
    }
    key(p, "left");
    expr(p, x);
    if (!swap) {
        comma(p);
        key(p, name);
        put(p, arg);
    }
    jclose(p, '}');
}

static void put_str(pj *p, const void *s)
{
    str(p, *(const m_str *)s);
}

/* a single attribute name, sometimes as a one-element path */
static void put_attr(pj *p, const void *s)
{
    if (!coin(p, 20)) {
        put_str(p, s);
        return;
    }
    jopen(p, '[');
    put_str(p, s);
    jclose(p, ']');
}

static void put_path2(pj *p, const void *names)
{
    const m_str *n = names;
    jopen(p, '[');
    str(p, n[0]);
    comma(p);
    str(p, n[1]);
    jclose(p, ']');
}

/* A literal run of the pattern, split now and then at a character boundary. */
static void pattern_run(pj *p, const int16_t *el, size_t n)
{
    gen_buf run;
    gen_buf_init(&run);
    for (size_t i = 0; i <= n; i++) {
        bool cut = i == n || (run.len && (el[i] & 0xC0) != 0x80 && coin(p, 10));
        if (cut) {
            jopen(p, '{');
            key(p, "Literal");
            str(p, (m_str){run.data, run.len});
            jclose(p, '}');
            if (i < n) comma(p);
            gen_buf_reset(&run);
        }
        if (i < n) gen_buf_putc(&run, (char)el[i]);
    }
    gen_buf_free(&run);
}

static void put_pattern(pj *p, const void *pat)
{
    const m_pattern *pt = pat;
    jopen(p, '[');
    bool first = true;
    for (size_t i = 0; i < pt->n;) {
        if (!first) comma(p);
        first = false;
        if (pt->elems[i] == M_STAR) {
            cstr(p, "Wildcard");
            i++;
            continue;
        }
        size_t j = i;
        while (j < pt->n && pt->elems[j] != M_STAR)
            j++;
        pattern_run(p, pt->elems + i, j - i);
        i = j;
    }
    if (coin(p, 5)) { /* an empty literal changes nothing */
        if (!first) comma(p);
        jopen(p, '{');
        key(p, "Literal");
        cstr(p, "");
        jclose(p, '}');
    }
    jclose(p, ']');
}

static bool is_binop(const m_expr *x, m_op2 op)
{
    return x->kind == M_X_BINARY && x->u.bin.op == op;
}

static bool is_not_of(const m_expr *x, m_op2 op)
{
    return x->kind == M_X_UNARY && x->u.un.op == M_NOT && is_binop(x->u.un.arg, op);
}

static const char *const op2_names[] = {
    [M_EQ] = "==",
    [M_LESS] = "<",
    [M_LESS_EQ] = "<=",
    [M_ADD] = "+",
    [M_SUB] = "-",
    [M_MUL] = "*",
    [M_CONTAINS] = "contains",
    [M_CONTAINS_ALL] = "containsAll",
    [M_CONTAINS_ANY] = "containsAny",
    [M_MEM] = "in",
    [M_HAS_TAG] = "hasTag",
    [M_GET_TAG] = "getTag",
};

/* The sugared forms: true when x was printed as one. */
static bool sugar(pj *p, const m_expr *x)
{
    static const struct {
        m_op2 op;
        const char *name;
    } nots[] = {{M_EQ, "!="}, {M_LESS_EQ, ">"}, {M_LESS, ">="}};
    for (size_t i = 0; i < 3; i++) {
        if (is_not_of(x, nots[i].op) && coin(p, 60)) {
            key(p, nots[i].name);
            two(p, "left", x->u.un.arg->u.bin.a, "right", x->u.un.arg->u.bin.b);
            return true;
        }
    }
    if (x->kind != M_X_AND) return false;
    const m_expr *l = x->u.op.a, *r = x->u.op.b;
    /* x is T in y: (x is T) && (x in y) */
    if (l->kind == M_X_UNARY && l->u.un.op == M_IS && is_binop(r, M_MEM) &&
        gen_expr_eq(l->u.un.arg, r->u.bin.a) && coin(p, 60)) {
        key(p, "is");
        jopen(p, '{');
        key(p, "left");
        expr(p, l->u.un.arg);
        comma(p);
        key(p, "entity_type");
        str(p, l->u.un.ety);
        comma(p);
        key(p, "in");
        expr(p, r->u.bin.b);
        jclose(p, '}');
        return true;
    }
    /* x has a.b: (x has a) && (x.a has b) */
    if (l->kind == M_X_HAS_ATTR && r->kind == M_X_HAS_ATTR && r->u.attr.arg->kind == M_X_GET_ATTR &&
        m_str_eq(r->u.attr.arg->u.attr.attr, l->u.attr.attr) &&
        gen_expr_eq(r->u.attr.arg->u.attr.arg, l->u.attr.arg) && coin(p, 60)) {
        m_str names[2] = {l->u.attr.attr, r->u.attr.attr};
        key(p, "has");
        left_and(p, l->u.attr.arg, "attr", put_path2, names);
        return true;
    }
    return false;
}

static void plant(pj *p, const m_expr *x);

static void node(pj *p, const m_expr *x)
{
    if (x->kind == M_X_LIT || (valuable(x, 0) && coin(p, 30))) {
        key(p, "Value");
        value(p, x);
        return;
    }
    if (sugar(p, x)) return;
    switch (x->kind) {
    case M_X_VAR: {
        static const char *const vars[] = {"principal", "action", "resource", "context"};
        key(p, "Var");
        cstr(p, vars[x->u.var]);
        return;
    }
    case M_X_ITE:
        key(p, "if-then-else");
        jopen(p, '{');
        key(p, "if");
        expr(p, x->u.op.a);
        comma(p);
        key(p, "then");
        expr(p, x->u.op.b);
        comma(p);
        key(p, "else");
        expr(p, x->u.op.c);
        jclose(p, '}');
        return;
    case M_X_AND:
    case M_X_OR:
        key(p, x->kind == M_X_AND ? "&&" : "||");
        two(p, "left", x->u.op.a, "right", x->u.op.b);
        return;
    case M_X_UNARY:
        switch (x->u.un.op) {
        case M_LIKE:
            key(p, "like");
            left_and(p, x->u.un.arg, "pattern", put_pattern, &x->u.un.pat);
            return;
        case M_IS:
            key(p, "is");
            left_and(p, x->u.un.arg, "entity_type", put_str, &x->u.un.ety);
            return;
        default:
            key(p, x->u.un.op == M_NOT ? "!" : x->u.un.op == M_NEG ? "neg" : "isEmpty");
            jopen(p, '{');
            key(p, "arg");
            expr(p, x->u.un.arg);
            jclose(p, '}');
            return;
        }
    case M_X_BINARY:
        key(p, op2_names[x->u.bin.op]);
        two(p, "left", x->u.bin.a, "right", x->u.bin.b);
        return;
    case M_X_GET_ATTR:
        key(p, ".");
        left_and(p, x->u.attr.arg, "attr", put_str, &x->u.attr.attr);
        return;
    case M_X_HAS_ATTR:
        key(p, "has");
        left_and(p, x->u.attr.arg, "attr", put_attr, &x->u.attr.attr);
        return;
    case M_X_RECORD:
        key(p, "Record");
        jopen(p, '{');
        for (size_t i = 0; i < x->u.list.n; i++) {
            if (i) comma(p);
            str(p, x->u.list.keys[i]);
            ws(p);
            gen_buf_putc(p->b, ':');
            ws(p);
            expr(p, x->u.list.xs[i]);
        }
        jclose(p, '}');
        return;
    default: /* M_X_SET, M_X_CALL */
        key(p, x->kind == M_X_SET ? "Set" : gen_extfn_name(x->u.list.fn));
        jopen(p, '[');
        for (size_t i = 0; i < x->u.list.n; i++) {
            if (i) comma(p);
            expr(p, x->u.list.xs[i]);
        }
        jclose(p, ']');
        return;
    }
}

static void expr(pj *p, const m_expr *x)
{
    if (p->defect && !p->planted && p->defect_at-- == 0) {
        plant(p, x);
        return;
    }
    jopen(p, '{');
    node(p, x);
    jclose(p, '}');
}

/* ---- defects: forms Cedar rejects ---------------------------------------------- */

/* In place of an expression. Each is invalid wherever an expression may be. */
static const char *const bad_exprs[] = {
    "{\"Var\": \"principal\", \"Var \": \"action\"}", /* two operator keys */
    "{\"frobnicate\": [{\"Value\": 1}]}",             /* unknown operator */
    "{\"Var\": \"user\"}",                            /* unknown variable */
    "{\"Slot\": \"?principal\"}",                     /* a slot outside the scope */
    "{\"==\": {\"left\": {\"Value\": 1}}}",           /* a missing operand */
    "{\"+\": {\"left\": {\"Value\": 1}, \"right\": {\"Value\": 2}, \"up\": 3}}", /* unknown key */
    "{\".\": {\"left\": {\"Var\": \"context\"}, \"attr\": 5}}",    /* attr not a string */
    "{\"has\": {\"left\": {\"Var\": \"context\"}, \"attr\": []}}", /* empty path */
    "{\"has\": {\"left\": {\"Var\": \"context\"}, \"attr\": [\"a\", 1]}}",
    "{\"like\": {\"left\": {\"Value\": \"a\"}, \"pattern\": [{\"Literal\": 5}]}}",
    "{\"like\": {\"left\": {\"Value\": \"a\"}, \"pattern\": [\"Star\"]}}",
    "{\"like\": {\"left\": {\"Value\": \"a\"}, \"pattern\": \"a*\"}}",
    "{\"is\": {\"left\": {\"Var\": \"principal\"}, \"entity_type\": \"A::\"}}",
    "{\"is\": {\"left\": {\"Var\": \"principal\"}, \"entity_type\": 7}}",
    "{\"Value\": null}",
    "{\"Value\": 1.5}",
    /* a reserved word is no function name (an unknown but valid one reads) */
    "{\"Value\": {\"__extn\": {\"fn\": \"if\", \"arg\": \"x\"}}}",
    /* a one-key object over the right fields is an escape (others are records) */
    "{\"Value\": {\"__expr\": \"1\"}}",
    "{\"Value\": {\"__extn\": {\"fn\": \"1x\", \"args\": []}}}",
    "{\"Value\": {\"__entity\": {\"type\": \"T::\", \"id\": \"x\", \"x\": 1}}}",
    "{\"Value\": {\"__entity\": {\"type\": \"1T\", \"id\": \"x\"}}}",
    "{\"Set\": {}}",
    "{\"Record\": []}",
    "{\"decimal\": {\"Value\": \"1.0\"}}",
    "{\"if-then-else\": {\"if\": {\"Value\": true}, \"then\": {\"Value\": 1}}}",
    "{\"!\": {\"arg\": {\"Value\": true}, \"not\": 1}}",
    "{\"neg\": {}}",
    "{\"isEmpty\": 5}",
    "5",
    "[]",
    "{}",
};
#define N_BAD_EXPRS (sizeof bad_exprs / sizeof bad_exprs[0])

static void plant(pj *p, const m_expr *x)
{
    (void)x;
    gen_buf_puts(p->b, bad_exprs[(size_t)(p->defect - 1) % N_BAD_EXPRS]);
    p->planted = true;
}

/* In place of a whole policy's field (by name), or NULL to print it right. */
static const char *bad_field(pj *p, const char *field)
{
    static const struct {
        const char *field, *text;
    } bad[] = {
        {"effect", "\"allow\""},
        {"effect", "null"},
        {"principal", "{\"op\": \"like\", \"entity\": {\"type\": \"T\", \"id\": \"a\"}}"},
        {"principal", "{\"entity\": {\"type\": \"T\", \"id\": \"a\"}}"},
        {"principal", "{\"op\": \"==\", \"slot\": \"?resource\"}"},
        {"principal", "{\"op\": \"==\"}"},
        {"principal", "{\"op\": \"All\", \"entity\": {\"type\": \"T\", \"id\": \"a\"}}"},
        {"resource",
         "{\"op\": \"is\", \"entity_type\": \"T\", \"in\": {\"slot\": \"?principal\"}}"},
        {"resource", "{\"op\": \"in\", \"entity\": {\"type\": \"T\"}}"},
        {"action", "{\"op\": \"==\", \"entity\": {\"type\": \"NotAnAction\", \"id\": \"a\"}}"},
        {"action", "{\"op\": \"in\", \"entities\": [{\"type\": \"User\", \"id\": \"a\"}]}"},
        {"action", "{\"op\": \"in\", \"entities\": {\"type\": \"Action\", \"id\": \"a\"}}"},
        {"action", "{\"op\": \"is\", \"entity_type\": \"Action\"}"},
        {"conditions", "{}"},
        {"conditions", "[{\"kind\": \"if\", \"body\": {\"Value\": true}}]"},
        {"conditions", "[{\"kind\": \"when\"}]"},
        {"conditions", "[{\"kind\": \"when\", \"body\": {\"Value\": true}, \"x\": 1}]"},
        {"annotations", "{\"a\": 5}"},
        {"annotations", "{\"not an ident\": \"x\"}"},
        {"annotations", "[]"},
    };
    size_t n = sizeof bad / sizeof bad[0];
    if (!p->defect || p->planted || p->defect_at >= 0) return NULL;
    const char *t = bad[(size_t)(p->defect - 1) % n].text;
    if (strcmp(bad[(size_t)(p->defect - 1) % n].field, field) != 0) return NULL;
    p->planted = true;
    return t;
}

/* ---- policies ----------------------------------------------------------------------- */

static void scope_target(pj *p, const gen_scope *sc, const char *slot)
{
    if (sc->slot) {
        key(p, "slot");
        cstr(p, slot);
    } else {
        key(p, "entity");
        uid(p, sc->uid);
    }
}

static void scope(pj *p, const gen_scope *sc, const char *slot)
{
    jopen(p, '{');
    key(p, "op");
    switch (sc->op) {
    case GEN_SC_ANY: cstr(p, "All"); break;
    case GEN_SC_EQ:
    case GEN_SC_IN:
        cstr(p, sc->op == GEN_SC_EQ ? "==" : "in");
        comma(p);
        scope_target(p, sc, slot);
        break;
    case GEN_SC_IS:
    case GEN_SC_IS_IN:
        cstr(p, "is");
        comma(p);
        key(p, "entity_type");
        str(p, sc->is_type);
        if (sc->op == GEN_SC_IS) break;
        comma(p);
        key(p, "in");
        jopen(p, '{');
        scope_target(p, sc, slot);
        jclose(p, '}');
        break;
    case GEN_SC_IN_SET:
        cstr(p, "in");
        comma(p);
        key(p, "entities");
        jopen(p, '[');
        for (size_t i = 0; i < sc->n_uids; i++) {
            if (i) comma(p);
            uid(p, sc->uids[i]);
        }
        jclose(p, ']');
        break;
    }
    jclose(p, '}');
}

static void policy(pj *p, const gen_policy *pol)
{
    static const char *const fields[] = {"effect",   "principal",  "action",
                                         "resource", "conditions", "annotations"};
    int order[6] = {0, 1, 2, 3, 4, 5};
    for (int i = 5; i > 0 && coin(p, 50); i--) { /* a partial shuffle */
        int j = (int)(gen_style_next(p->st) % (unsigned)(i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    bool annots = pol->n_annots || coin(p, 20);
    jopen(p, '{');
    bool first = true;
    for (int k = 0; k < 6; k++) {
        int f = order[k];
        if (f == 5 && !annots) continue;
        if (!first) comma(p);
        first = false;
        key(p, fields[f]);
        const char *bad = bad_field(p, fields[f]);
        if (bad) {
            gen_buf_puts(p->b, bad);
            continue;
        }
        switch (f) {
        case 0: cstr(p, pol->effect == M_PERMIT ? "permit" : "forbid"); break;
        case 1: scope(p, &pol->scope[0], "?principal"); break;
        case 2: scope(p, &pol->scope[1], "?action"); break;
        case 3: scope(p, &pol->scope[2], "?resource"); break;
        case 4:
            jopen(p, '[');
            for (size_t i = 0; i < pol->n_conds; i++) {
                if (i) comma(p);
                jopen(p, '{');
                key(p, "kind");
                cstr(p, pol->conds[i].is_when ? "when" : "unless");
                comma(p);
                key(p, "body");
                expr(p, pol->conds[i].body);
                jclose(p, '}');
            }
            jclose(p, ']');
            break;
        default:
            jopen(p, '{');
            for (size_t i = 0; i < pol->n_annots; i++) {
                if (i) comma(p);
                str(p, pol->annots[i].key);
                ws(p);
                gen_buf_putc(p->b, ':');
                ws(p);
                if (pol->annots[i].has_value)
                    str(p, pol->annots[i].value);
                else
                    gen_buf_puts(p->b, "null");
            }
            jclose(p, '}');
            break;
        }
    }
    jclose(p, '}');
}

static void print_link(pj *p, const gen_case *c, const gen_policy *l)
{
    const gen_policy *t = &c->policies[l->link_of];
    jopen(p, '{');
    key(p, "templateId");
    str(p, t->id);
    comma(p);
    key(p, "newId");
    str(p, l->id);
    comma(p);
    key(p, "values");
    jopen(p, '{');
    bool first = true;
    for (int s = 0; s < 3; s += 2) {
        if (!t->scope[s].slot) continue;
        if (!first) comma(p);
        first = false;
        key(p, s ? "?resource" : "?principal");
        uid(p, s ? l->slot_resource : l->slot_principal);
    }
    jclose(p, '}');
    jclose(p, '}');
}

static void section(pj *p, const gen_case *c, bool templates)
{
    jopen(p, '{');
    bool first = true;
    for (size_t i = 0; i < c->n_policies; i++) {
        const gen_policy *pol = &c->policies[i];
        if (pol->link_of >= 0 || pol->is_template != templates) continue;
        if (!first) comma(p);
        first = false;
        str(p, pol->id);
        ws(p);
        gen_buf_putc(p->b, ':');
        ws(p);
        policy(p, pol);
    }
    jclose(p, '}');
}

size_t gen_print_policies_json(gen_buf *b, const gen_case *c, gen_style *st, unsigned defect,
                               bool *alone)
{
    pj p = {b, st, 0, 0, (int)defect, 0, false};
    /* most defects go into an expression (the n-th node); the others into a
     * policy's fields */
    if (defect) p.defect_at = defect % 3 ? (long)(gen_style_next(st) % 12) : -1;
    ws(&p);
    *alone = c->n_policies == 1 && !c->policies[0].is_template && gen_style_coin(st, 50);
    if (*alone) {
        policy(&p, &c->policies[0]);
    } else {
        bool links = false, templates = false, statics = false;
        for (size_t i = 0; i < c->n_policies; i++) {
            links |= c->policies[i].link_of >= 0;
            templates |= c->policies[i].link_of < 0 && c->policies[i].is_template;
            statics |= c->policies[i].link_of < 0 && !c->policies[i].is_template;
        }
        int order[3] = {0, 1, 2};
        if (coin(&p, 30)) order[0] = 2, order[2] = 0;
        jopen(&p, '{');
        bool first = true;
        for (int k = 0; k < 3; k++) {
            int s = order[k];
            bool have = s == 0 ? statics : s == 1 ? templates : links;
            if (!have && !coin(&p, 20)) continue;
            if (!first) comma(&p);
            first = false;
            key(&p, s == 0 ? "staticPolicies" : s == 1 ? "templates" : "templateLinks");
            if (s < 2) {
                section(&p, c, s == 1);
                continue;
            }
            jopen(&p, '[');
            bool f2 = true;
            for (size_t i = 0; i < c->n_policies; i++) {
                if (c->policies[i].link_of < 0) continue;
                if (!f2) comma(&p);
                f2 = false;
                print_link(&p, c, &c->policies[i]);
            }
            jclose(&p, ']');
        }
        if (defect && !p.planted) { /* fewer nodes than defect_at: an unknown section */
            if (!first) comma(&p);
            key(&p, "policies");
            gen_buf_puts(b, "{}");
            p.planted = true;
        }
        jclose(&p, '}');
    }
    if (defect && !p.planted) { /* one policy alone: an unknown field */
        b->len--;
        gen_buf_puts(b, ", \"extra\": 1}");
    }
    ws(&p);
    return p.max_depth;
}
