/* Tests that core's operator table (cd_ops.def, read through cd_op_info)
 * and what is made from it agree: the parser's levels and associativity,
 * the printer, and the policy-JSON names both ways. Every operator of the
 * table is covered, so a new line is tested without a new test. The
 * grammar's concrete shapes are pinned by test_parse.c's test_operators. */
#include <stdlib.h>
#include <string.h>

#include "cd_ast.h"
#include "cd_policy_json.h"
#include "t.h"

static cd_arena *A;

/* Parse text; NULL on an error (printed when want_ok). */
static cd_expr *parse(const char *text, bool want_ok)
{
    cd_err e = {0};
    cd_expr *x = cd_parse_expr(text, strlen(text), "test", A, &e);
    if (!x && want_ok) fprintf(stderr, "`%s`: %s\n", text, e.message);
    cd_err_clear(&e);
    return x;
}

/* The operand before a keyword operator, or u.op.a. */
static const cd_expr *left_of(const cd_expr *e)
{
    switch (e->kind) {
    case CD_X_HAS: return e->u.attr.obj;
    case CD_X_LIKE: return e->u.like.obj;
    case CD_X_IS: return e->u.is.obj;
    default: return e->u.op.a;
    }
}

/* `principal` with operator k applied: `principal OP principal`,
 * `OP principal`, `principal.OP(principal)`, `principal has a`... */
static void use(char *buf, size_t n, cd_xkind k)
{
    const cd_opinfo *o = cd_op_info(k);
    switch (o->class) {
    case CD_OPC_INFIX: snprintf(buf, n, "principal %s principal", o->surface); break;
    case CD_OPC_PREFIX: snprintf(buf, n, "%sprincipal", o->surface); break;
    case CD_OPC_METHOD:
        snprintf(buf, n, "principal.%s(%s)", o->surface, o->arity == 2 ? "principal" : "");
        break;
    default:
        snprintf(buf, n, "principal %s %s", o->surface,
                 k == CD_X_HAS    ? "a"
                 : k == CD_X_LIKE ? "\"p*\""
                                  : "T in principal");
    }
}

static const cd_opinfo *op_of_class(int k, cd_opclass c)
{
    const cd_opinfo *o = cd_op_info((cd_xkind)k);
    return o && o->class == c ? o : NULL;
}

#define FOR_KINDS(k) for (int k = 0; k <= CD_X_CALL; k++)

/* The lines of cd_ops.def. */
static const int table_lines = 0
#define CD_OP(kind, surface, json, arity, class, precedence, token, hint_a, hint_b) +1
#include "cd_ops.def"
#undef CD_OP
    ;

/* `a x b y c` for every two infix operators: `(a x b) y c` when x binds at
 * least as tightly as y (left associative), `a x (b y c)` when it binds
 * less tightly, and an error for two relational operators. */
static void test_infix_levels(void)
{
    int pairs = 0;
    FOR_KINDS(x)
    {
        const cd_opinfo *ox = op_of_class(x, CD_OPC_INFIX);
        FOR_KINDS(y)
        {
            const cd_opinfo *oy = op_of_class(y, CD_OPC_INFIX);
            if (!ox || !oy) continue;
            char text[128];
            snprintf(text, sizeof text, "principal %s principal %s principal", ox->surface,
                     oy->surface);
            bool both_rel = ox->prec == CD_PREC_REL && oy->prec == CD_PREC_REL;
            cd_expr *e = parse(text, !both_rel);
            pairs++;
            if (both_rel) {
                T_CHECK(e == NULL);
                continue;
            }
            bool left = ox->prec >= oy->prec;
            bool ok = e && (left ? e->kind == (cd_xkind)y && e->u.op.a->kind == (cd_xkind)x
                                 : e->kind == (cd_xkind)x && e->u.op.b->kind == (cd_xkind)y);
            if (!ok) fprintf(stderr, "`%s`: not %s\n", text, left ? "(a x b) y c" : "a x (b y c)");
            T_CHECK(ok);
        }
    }
    T_CHECK(pairs >= 100); /* the table has 12 infix operators */
}

/* A prefix operator binds more tightly than any infix one and less tightly
 * than a method call; keyword operators sit at the relational level. */
static void test_prefix_method_keyword_levels(void)
{
    char text[160], a[64];
    FOR_KINDS(p)
    {
        const cd_opinfo *op = op_of_class(p, CD_OPC_PREFIX);
        if (!op) continue;
        T_CHECK(op->prec > CD_PREC_MUL && op->prec < CD_PREC_MEMBER);
        FOR_KINDS(y)
        {
            const cd_opinfo *oy = cd_op_info((cd_xkind)y);
            if (!oy || oy->class == CD_OPC_PREFIX) continue;
            use(a, sizeof a, (cd_xkind)y);
            snprintf(text, sizeof text, "%s%s", op->surface, a);
            cd_expr *e = parse(text, true);
            if (oy->class == CD_OPC_METHOD) /* -principal.m(..) is -(principal.m(..)) */
                T_CHECK(e && e->kind == (cd_xkind)p && e->u.op.a->kind == (cd_xkind)y);
            else /* -principal op .. is (-principal) op .. */
                T_CHECK(e && e->kind == (cd_xkind)y && left_of(e)->kind == (cd_xkind)p);
        }
    }
    FOR_KINDS(k)
    {
        const cd_opinfo *ok = op_of_class(k, CD_OPC_KEYWORD);
        if (!ok) continue;
        T_CHECK(ok->prec == CD_PREC_REL);
        use(a, sizeof a, (cd_xkind)k);
        FOR_KINDS(y)
        {
            const cd_opinfo *oy = op_of_class(y, CD_OPC_INFIX);
            if (!oy || oy->prec == CD_PREC_REL) continue;
            /* `principal y principal KW ..`: y's level decides */
            snprintf(text, sizeof text, "principal %s %s", oy->surface, a);
            cd_expr *e = parse(text, true);
            if (oy->prec < CD_PREC_REL)
                T_CHECK(e && e->kind == (cd_xkind)y && e->u.op.b->kind == (cd_xkind)k);
            else
                T_CHECK(e && e->kind == (cd_xkind)k && left_of(e)->kind == (cd_xkind)y);
            if (oy->prec > CD_PREC_REL) continue;
            /* `principal KW .. y principal`, y looser */
            snprintf(text, sizeof text, "%s %s principal", a, oy->surface);
            e = parse(text, true);
            T_CHECK(e && e->kind == (cd_xkind)y && e->u.op.a->kind == (cd_xkind)k);
        }
    }
}

/* Each operator parses to its kind, prints back to its use, and goes to
 * policy JSON under its table name and back to the same policy. */
static void test_json_names(void)
{
    int n = 0;
    FOR_KINDS(k)
    {
        const cd_opinfo *o = cd_op_info((cd_xkind)k);
        if (!o) continue;
        n++;
        cd_xkind back;
        T_CHECK(cd_op_by_json(o->json, &back) == o && back == (cd_xkind)k);
        char text[200], cond[64];
        use(cond, sizeof cond, (cd_xkind)k);
        snprintf(text, sizeof text, "permit(principal, action, resource) when { %s };", cond);
        cd_err err = {0};
        cd_policies ps;
        T_CHECK(cd_parse_policies(text, strlen(text), "t", A, &ps, &err) && ps.n == 1);
        if (cd_err_is_set(&err)) {
            fprintf(stderr, "`%s`: %s\n", text, err.message);
            cd_err_clear(&err);
            continue;
        }
        const cd_expr *body = ps.items[0]->body->conditions[0].body;
        T_CHECK(body->kind == (cd_xkind)k);
        json_t *j = cd_policy_to_json(ps.items[0], &err);
        json_t *cj = json_object_get(json_array_get(json_object_get(j, "conditions"), 0), "body");
        T_CHECK(json_object_get(cj, o->json) != NULL && json_object_size(cj) == 1);
        cd_policy *p = cd_policy_from_json(j, cd_str_from_c("x"), A, "j", &err);
        T_CHECK(p != NULL);
        cd_buf b1, b2;
        cd_buf_init(&b1);
        cd_buf_init(&b2);
        cd_policy_print(&b1, ps.items[0]);
        if (p) cd_policy_print(&b2, p);
        T_CHECK_STR(cd_buf_cstr(&b2), cd_buf_cstr(&b1));
        cd_buf_free(&b1);
        cd_buf_free(&b2);
        json_decref(j);
        cd_err_clear(&err);
    }
    T_CHECK(n == table_lines && n > 0);
    cd_xkind k;
    T_CHECK(cd_op_by_json("!=", &k) == NULL && cd_op_by_json(".", &k) == NULL &&
            cd_op_by_json("Value", &k) == NULL);
}

int main(void)
{
    A = cd_arena_new();
    T_RUN(test_infix_levels);
    T_RUN(test_prefix_method_keyword_levels);
    T_RUN(test_json_names);
    cd_arena_free(A);
    T_DONE();
}
