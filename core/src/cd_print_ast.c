/* cd_print_ast.c: printing expressions and policies back as Cedar text.
 *
 * The output re-parses to the same AST: every operand that is not a primary
 * or member access is parenthesized, negative literals included (`-5` next
 * to an operator or before `.x` would mean something else), so no
 * precedence or associativity question arises. Strings are escaped so that
 * they survive the official unescaping; `like` patterns print `*` for a
 * wildcard and `\*` for a literal star. A record key or the attribute after
 * `has` prints bare when it is an identifier that is not reserved, quoted
 * otherwise, as the official policy-to-text prints it (but for a record read
 * from a policy JSON "Value").
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cd_ast.h"
#include "cd_lex.h"
#include "cd_stack.h"

static void put_escaped(cd_buf *b, cd_str s, bool star)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        switch (c) {
        case '"': cd_buf_puts(b, "\\\""); break;
        case '\\': cd_buf_puts(b, "\\\\"); break;
        case '\n': cd_buf_puts(b, "\\n"); break;
        case '\r': cd_buf_puts(b, "\\r"); break;
        case '\t': cd_buf_puts(b, "\\t"); break;
        case '\0': cd_buf_puts(b, "\\0"); break;
        case '*':
            if (star) cd_buf_putc(b, '\\');
            cd_buf_putc(b, '*');
            break;
        default:
            if (c < 0x20 || c == 0x7F)
                cd_buf_printf(b, "\\u{%x}", c);
            else
                cd_buf_putc(b, (char)c);
        }
    }
}

static void put_quoted(cd_buf *b, cd_str s)
{
    cd_buf_putc(b, '"');
    put_escaped(b, s, false);
    cd_buf_putc(b, '"');
}

static void put_pattern(cd_buf *b, const cd_pattern *p)
{
    cd_buf_putc(b, '"');
    for (size_t i = 0; i < p->n; i++) {
        if (p->elems[i].star)
            cd_buf_putc(b, '*');
        else
            put_escaped(b, p->elems[i].lit, true);
    }
    cd_buf_putc(b, '"');
}

static void put_str(cd_buf *b, cd_str s)
{
    cd_buf_put(b, s.ptr, s.len);
}

static void put_uid(cd_buf *b, const cd_uid *u)
{
    cd_buf_puts(b, u->type ? u->type->text : "?");
    cd_buf_puts(b, "::");
    put_quoted(b, u->id);
}

/* An attribute name usable after `.` or bare as a record key: an identifier
 * that is not reserved (the official printer's is_normalized_ident). */
static bool plain_ident(cd_str s)
{
    return cd_str_is_ident(s) && !cd_ident_is_reserved(s);
}

/* A record key, or the attribute after `has`, as the official policy-to-text
 * prints it: bare when it can be, quoted otherwise; always quoted in a record
 * read from a policy JSON "Value" (value_form), which the official prints as
 * a value. */
static void put_key(cd_buf *b, cd_str k, bool value_form)
{
    if (!value_form && plain_ident(k))
        put_str(b, k);
    else
        put_quoted(b, k);
}

/* The stack ran low (cd_stack.h) while printing: the text is incomplete.
 * Thread-local, reset by each entry point, so that the printers keep their
 * plain signatures. */
static _Thread_local bool print_deep;

static void put_value(cd_buf *b, const cd_value *v)
{
    if (cd_stack_low()) {
        print_deep = true;
        return;
    }
    switch (v->kind) {
    case CD_V_BOOL: cd_buf_puts(b, v->u.b ? "true" : "false"); break;
    case CD_V_LONG: cd_buf_printf(b, "%" PRId64, v->u.l); break;
    case CD_V_STRING: put_quoted(b, v->u.s); break;
    case CD_V_ENTITY: put_uid(b, &v->u.uid); break;
    case CD_V_SET:
        cd_buf_putc(b, '[');
        for (size_t i = 0; i < v->u.set.n; i++) {
            if (i) cd_buf_puts(b, ", ");
            put_value(b, &v->u.set.items[i]);
        }
        cd_buf_putc(b, ']');
        break;
    case CD_V_RECORD:
        cd_buf_putc(b, '{');
        for (size_t i = 0; i < v->u.rec.n; i++) {
            if (i) cd_buf_puts(b, ", ");
            put_key(b, v->u.rec.keys[i], false);
            cd_buf_puts(b, ": ");
            put_value(b, &v->u.rec.vals[i]);
        }
        cd_buf_putc(b, '}');
        break;
    case CD_V_EXT:
        cd_buf_puts(b, cd_extkind_ctor(v->u.ext.kind));
        cd_buf_puts(b, "(\"");
        {
            cd_buf arg;
            cd_buf_init(&arg);
            cd_ext_print_arg(&arg, &v->u.ext);
            put_escaped(b, (cd_str){arg.data ? arg.data : "", arg.len}, false);
            cd_buf_free(&arg);
        }
        cd_buf_puts(b, "\")");
        break;
    }
}

static void put_expr(cd_buf *b, const cd_expr *e);

static cd_opclass op_class(cd_xkind k)
{
    const cd_opinfo *o = cd_op_info(k);
    return o ? o->class : CD_OPC_NONE;
}

/* Can e stand as an operand or a method receiver without parentheses? */
static bool atomic(const cd_expr *e)
{
    switch (e->kind) {
    case CD_X_LIT: return !(e->u.lit.kind == CD_V_LONG && e->u.lit.u.l < 0);
    case CD_X_VAR:
    case CD_X_SLOT:
    case CD_X_SET:
    case CD_X_RECORD:
    case CD_X_GET_ATTR:
    case CD_X_CALL: return true;
    default: return op_class(e->kind) == CD_OPC_METHOD;
    }
}

static void put_operand(cd_buf *b, const cd_expr *e)
{
    if (atomic(e)) {
        put_expr(b, e);
    } else {
        cd_buf_putc(b, '(');
        put_expr(b, e);
        cd_buf_putc(b, ')');
    }
}

static void put_binary(cd_buf *b, const cd_expr *e, const char *op)
{
    put_operand(b, e->u.op.a);
    cd_buf_putc(b, ' ');
    cd_buf_puts(b, op);
    cd_buf_putc(b, ' ');
    put_operand(b, e->u.op.b);
}

static void put_method(cd_buf *b, const cd_expr *recv, const char *name, cd_expr *const *args,
                       size_t n)
{
    put_operand(b, recv);
    cd_buf_putc(b, '.');
    cd_buf_puts(b, name);
    cd_buf_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i) cd_buf_puts(b, ", ");
        put_expr(b, args[i]);
    }
    cd_buf_putc(b, ')');
}

/* `.name` or `["name"]` */
static void put_access(cd_buf *b, cd_str name)
{
    if (plain_ident(name)) {
        cd_buf_putc(b, '.');
        put_str(b, name);
    } else {
        cd_buf_putc(b, '[');
        put_quoted(b, name);
        cd_buf_putc(b, ']');
    }
}

/* A chain (cd_ast.h) term by term, without parentheses between its nodes
 * (they associate to the left when read back), and without recursion. */
/* not inlined: put_expr's frame is on every level of the recursion */
__attribute__((noinline)) static void put_chain(cd_buf *b, const cd_expr *e)
{
    size_t n;
    const cd_expr **nodes = cd_chain_nodes(e, &n);
    put_operand(b, cd_chain_left(nodes[0]));
    for (size_t i = 0; i < n; i++) {
        const cd_expr *x = nodes[i];
        if (x->kind == CD_X_GET_ATTR) {
            put_access(b, x->u.attr.name);
            continue;
        }
        cd_buf_putc(b, ' ');
        cd_buf_puts(b, cd_op_info(x->kind)->surface);
        cd_buf_putc(b, ' ');
        put_operand(b, x->u.op.b);
    }
    free(nodes);
}

static void put_expr(cd_buf *b, const cd_expr *e)
{
    if (cd_stack_low()) {
        print_deep = true;
        return;
    }
    if (cd_chain_continues(e)) {
        put_chain(b, e);
        return;
    }
    const cd_opinfo *op = cd_op_info(e->kind);
    if (op && op->class == CD_OPC_INFIX) {
        put_binary(b, e, op->surface);
        return;
    }
    if (op && op->class == CD_OPC_METHOD) {
        put_method(b, e->u.op.a, op->surface, &e->u.op.b, op->arity - 1);
        return;
    }
    switch (e->kind) {
    case CD_X_LIT: put_value(b, &e->u.lit); return;
    case CD_X_VAR: {
        static const char *const vars[] = {"principal", "action", "resource", "context"};
        cd_buf_puts(b, vars[e->u.var]);
        return;
    }
    case CD_X_SLOT:
        cd_buf_puts(b, e->u.slot == CD_SLOT_PRINCIPAL ? "?principal" : "?resource");
        return;
    case CD_X_IF:
        cd_buf_puts(b, "if ");
        put_operand(b, e->u.op.a);
        cd_buf_puts(b, " then ");
        put_operand(b, e->u.op.b);
        cd_buf_puts(b, " else ");
        put_operand(b, e->u.op.c);
        return;
    case CD_X_NOT:
        if (e->ne && e->u.op.a->kind == CD_X_EQ) {
            put_binary(b, e->u.op.a, "!=");
            return;
        }
        cd_buf_putc(b, '!');
        put_operand(b, e->u.op.a);
        return;
    case CD_X_NEG:
        /* always parenthesized: `-5` would be a negative literal */
        cd_buf_puts(b, "-(");
        put_expr(b, e->u.op.a);
        cd_buf_putc(b, ')');
        return;
    case CD_X_HAS:
        put_operand(b, e->u.attr.obj);
        cd_buf_printf(b, " %s ", op->surface);
        put_key(b, e->u.attr.name, false); /* bare or quoted, as a record key */
        return;
    case CD_X_GET_ATTR:
        put_operand(b, e->u.attr.obj);
        put_access(b, e->u.attr.name);
        return;
    case CD_X_LIKE:
        put_operand(b, e->u.like.obj);
        cd_buf_printf(b, " %s ", op->surface);
        put_pattern(b, &e->u.like.pat);
        return;
    case CD_X_IS:
        put_operand(b, e->u.is.obj);
        cd_buf_printf(b, " %s ", op->surface);
        cd_buf_puts(b, e->u.is.type->text);
        if (e->u.is.in) {
            cd_buf_puts(b, " in ");
            put_operand(b, e->u.is.in);
        }
        return;
    case CD_X_SET:
        cd_buf_putc(b, '[');
        for (size_t i = 0; i < e->u.list.n; i++) {
            if (i) cd_buf_puts(b, ", ");
            put_expr(b, e->u.list.items[i]);
        }
        cd_buf_putc(b, ']');
        return;
    case CD_X_RECORD:
        cd_buf_putc(b, '{');
        for (size_t i = 0; i < e->u.rec.n; i++) {
            if (i) cd_buf_puts(b, ", ");
            put_key(b, e->u.rec.keys[i], e->value_form);
            cd_buf_puts(b, ": ");
            put_expr(b, e->u.rec.vals[i]);
        }
        cd_buf_putc(b, '}');
        return;
    case CD_X_CALL: {
        const cd_extfn_info *info = cd_extfn_get(e->u.call.fn);
        const char *name = info ? info->name : e->u.call.name ? e->u.call.name : "unknown";
        if (info && info->is_method && e->u.call.n > 0) {
            put_method(b, e->u.call.args[0], name, e->u.call.args + 1, e->u.call.n - 1);
            return;
        }
        cd_buf_puts(b, name);
        cd_buf_putc(b, '(');
        for (size_t i = 0; i < e->u.call.n; i++) {
            if (i) cd_buf_puts(b, ", ");
            put_expr(b, e->u.call.args[i]);
        }
        cd_buf_putc(b, ')');
        return;
    }
    default: break; /* the infix operators and methods, above */
    }
    cd_buf_puts(b, "<unknown expression>");
}

/* The entity of a scope: the uid, the slot, or for a linked policy the uid
 * the slot was filled with. */
static void put_scope_entity(cd_buf *b, const cd_policy *p, const cd_scope *sc, bool principal)
{
    if (!sc->slot) {
        put_uid(b, &sc->uid);
    } else if (principal && p->has_principal_slot) {
        put_uid(b, &p->principal_slot);
    } else if (!principal && p->has_resource_slot) {
        put_uid(b, &p->resource_slot);
    } else {
        cd_buf_puts(b, principal ? "?principal" : "?resource");
    }
}

static void put_scope(cd_buf *b, const cd_policy *p, const cd_scope *sc, const char *var)
{
    bool principal = var[0] == 'p';
    cd_buf_puts(b, var);
    switch (sc->op) {
    case CD_SCOPE_ANY: return;
    case CD_SCOPE_EQ: cd_buf_puts(b, " == "); break;
    case CD_SCOPE_IN: cd_buf_puts(b, " in "); break;
    case CD_SCOPE_IS:
    case CD_SCOPE_IS_IN:
        cd_buf_puts(b, " is ");
        cd_buf_puts(b, sc->is_type ? sc->is_type->text : "?");
        if (sc->op == CD_SCOPE_IS) return;
        cd_buf_puts(b, " in ");
        break;
    case CD_SCOPE_IN_SET:
        cd_buf_puts(b, " in [");
        for (size_t i = 0; i < sc->n_uids; i++) {
            if (i) cd_buf_puts(b, ", ");
            put_uid(b, &sc->uids[i]);
        }
        cd_buf_putc(b, ']');
        return;
    }
    put_scope_entity(b, p, sc, principal);
}

bool cd_expr_print(cd_buf *b, const cd_expr *e)
{
    print_deep = false;
    put_expr(b, e);
    return !print_deep;
}

bool cd_policy_print(cd_buf *b, const cd_policy *p)
{
    print_deep = false;
    for (size_t i = 0; i < p->body->n_annotations; i++) {
        const cd_annotation *a = &p->body->annotations[i];
        cd_buf_putc(b, '@');
        put_str(b, a->key);
        if (a->has_value) {
            cd_buf_putc(b, '(');
            put_quoted(b, a->value);
            cd_buf_putc(b, ')');
        }
        cd_buf_putc(b, '\n');
    }
    cd_buf_puts(b, p->body->effect == CD_PERMIT ? "permit (\n  " : "forbid (\n  ");
    put_scope(b, p, &p->body->principal, "principal");
    cd_buf_puts(b, ",\n  ");
    put_scope(b, p, &p->body->action, "action");
    cd_buf_puts(b, ",\n  ");
    put_scope(b, p, &p->body->resource, "resource");
    cd_buf_puts(b, "\n)");
    for (size_t i = 0; i < p->body->n_conditions; i++) {
        const cd_condition *c = &p->body->conditions[i];
        cd_buf_puts(b, c->is_when ? "\nwhen {\n  " : "\nunless {\n  ");
        put_expr(b, c->body);
        cd_buf_puts(b, "\n}");
    }
    cd_buf_puts(b, ";\n");
    return !print_deep;
}
