/* Tests of policies and the authorizer (cd_eval.c, cd_authz.c): scopes,
 * conditions, templates, decisions with their determining and erroring
 * policies, and the same semantics from Cedar text through the parser.
 * Expected results follow the Lean specification's `isAuthorized`.
 */
#include "t_eval.h"

/* ---- tests: policies ---------------------------------------------------- */

static cd_policy *pol(cd_effect effect, const char *id)
{
    cd_policy *p = CD_NEW(A, cd_policy);
    p->body = CD_NEW(A, cd_policy_body);
    p->id = str(id);
    p->body->effect = effect;
    return p; /* all three scopes CD_SCOPE_ANY, no conditions */
}

static void scope(cd_scope *s, cd_scope_op o, const char *type, const char *id)
{
    *s = (cd_scope){0};
    s->op = o;
    s->loc.line = next_line++;
    if (o == CD_SCOPE_IS || o == CD_SCOPE_IS_IN) {
        s->is_type = cd_name_intern(NULL, type, strlen(type));
        type = o == CD_SCOPE_IS_IN ? "Group" : NULL;
    }
    if (id) s->uid = uid(type, id);
}

static void scope_slot(cd_scope *s, cd_scope_op o, const char *type)
{
    *s = (cd_scope){0};
    s->op = o;
    s->slot = true;
    s->loc.line = next_line++;
    if (type) s->is_type = cd_name_intern(NULL, type, strlen(type));
}

/* Append a when (is_when) or unless condition. */
static void cond(cd_policy *p, bool is_when, cd_expr *body)
{
    cd_condition *c = CD_NEW_ARRAY(A, cd_condition, p->body->n_conditions + 1);
    if (p->body->n_conditions) memcpy(c, p->body->conditions, p->body->n_conditions * sizeof *c);
    c[p->body->n_conditions].is_when = is_when;
    c[p->body->n_conditions].body = body;
    p->body->conditions = c;
    p->body->n_conditions++;
}

static cd_policy_result peval(const cd_policy *p)
{
    CTX.err = (cd_eval_error){0};
    return cd_policy_eval(&CTX, p);
}

static void test_policy_scopes(void)
{
    cd_policy *p = pol(CD_PERMIT, "p");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_EQ, "User", "alice");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_EQ, "User", "bob");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_IN, "Group", "all");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_IN, "Group", "nope");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_IS, "User", NULL);
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_IS, "Admin", NULL);
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_IS_IN, "User", "staff");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_IS_IN, "User", "other");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    scope(&p->body->principal, CD_SCOPE_IS_IN, "Admin", "staff");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    p->body->principal = (cd_scope){0};

    /* action == / in / in [...] */
    scope(&p->body->action, CD_SCOPE_EQ, "Action", "view");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->body->action, CD_SCOPE_IN, "Action", "read");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    cd_uid acts[2] = {uid("Action", "edit"), uid("Action", "read")};
    p->body->action = (cd_scope){.op = CD_SCOPE_IN_SET, .n_uids = 2, .uids = acts};
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    p->body->action.n_uids = 1;
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    p->body->action.n_uids = 0;
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
    p->body->action = (cd_scope){0};

    scope(&p->body->resource, CD_SCOPE_IN, "Album", "a1");
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    scope(&p->body->resource, CD_SCOPE_EQ, "Photo", "p2");
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED);
}

static void test_policy_conditions(void)
{
    cd_policy *p = pol(CD_PERMIT, "p");
    cond(p, true, op(CD_X_EQ, attr(CD_X_GET_ATTR, V(CD_VAR_PRINCIPAL), "age"), L(30)));
    T_CHECK(peval(p) == CD_POLICY_SATISFIED);
    cond(p, false, attr(CD_X_HAS, V(CD_VAR_PRINCIPAL), "x"));
    T_CHECK(peval(p) == CD_POLICY_SATISFIED); /* unless false */
    cond(p, false, B(true));
    T_CHECK(peval(p) == CD_POLICY_NOT_SATISFIED); /* unless true */

    /* A non-bool condition is a type error, for when and unless alike. */
    cd_policy *q = pol(CD_PERMIT, "q");
    cd_expr *one = L(1);
    cond(q, true, one);
    T_CHECK(peval(q) == CD_POLICY_ERROR && CTX.err.kind == CD_E_TYPE);
    T_CHECK(CTX.err.loc.line == one->loc.line);
    q = pol(CD_PERMIT, "q");
    cond(q, false, S("x"));
    T_CHECK(peval(q) == CD_POLICY_ERROR && CTX.err.kind == CD_E_TYPE);

    /* conditions run in order and stop at the first false one */
    q = pol(CD_PERMIT, "q");
    cond(q, true, B(false));
    cond(q, true, op(CD_X_ADD, L(1), S("a")));
    T_CHECK(peval(q) == CD_POLICY_NOT_SATISFIED);
    q = pol(CD_PERMIT, "q");
    cond(q, true, B(true));
    cond(q, true, op(CD_X_ADD, L(INT64_MAX), L(1)));
    T_CHECK(peval(q) == CD_POLICY_ERROR && CTX.err.kind == CD_E_OVERFLOW);
    q = pol(CD_PERMIT, "q");
    cond(q, true, attr(CD_X_GET_ATTR, V(CD_VAR_PRINCIPAL), "nope"));
    cond(q, true, B(false));
    T_CHECK(peval(q) == CD_POLICY_ERROR && CTX.err.kind == CD_E_ATTR_DOES_NOT_EXIST);

    /* a scope that does not match skips the conditions entirely */
    q = pol(CD_PERMIT, "q");
    scope(&q->body->resource, CD_SCOPE_EQ, "Photo", "other");
    cond(q, true, op(CD_X_ADD, L(1), S("a")));
    T_CHECK(peval(q) == CD_POLICY_NOT_SATISFIED);
}

static void test_policy_templates(void)
{
    /* permit(principal in ?principal, action, resource == ?resource) */
    cd_policy *t = pol(CD_PERMIT, "t");
    scope_slot(&t->body->principal, CD_SCOPE_IN, NULL);
    scope_slot(&t->body->resource, CD_SCOPE_EQ, NULL);
    t->is_template = true;
    T_CHECK(peval(t) == CD_POLICY_ERROR && CTX.err.kind == CD_E_UNLINKED_SLOT);
    T_CHECK(CTX.err.loc.line == t->body->principal.loc.line);

    cd_policy *l = CD_NEW(A, cd_policy);
    *l = *t;
    l->id = str("link1");
    l->is_template = false;
    l->template_of = t;
    l->has_principal_slot = l->has_resource_slot = true;
    l->principal_slot = uid("Group", "staff");
    l->resource_slot = uid("Photo", "p1");
    T_CHECK(peval(l) == CD_POLICY_SATISFIED);
    T_CHECK(CTX.principal_slot == NULL && CTX.resource_slot == NULL); /* restored */
    l->resource_slot = uid("Photo", "p2");
    T_CHECK(peval(l) == CD_POLICY_NOT_SATISFIED);
    l->principal_slot = uid("Group", "other");
    T_CHECK(peval(l) == CD_POLICY_NOT_SATISFIED);

    /* principal is Admin in ?principal: the slot is only needed when the type matches */
    cd_policy *t2 = pol(CD_PERMIT, "t2");
    scope_slot(&t2->body->principal, CD_SCOPE_IS_IN, "Admin");
    t2->is_template = true;
    T_CHECK(peval(t2) == CD_POLICY_NOT_SATISFIED);
    scope_slot(&t2->body->principal, CD_SCOPE_IS_IN, "User");
    T_CHECK(peval(t2) == CD_POLICY_ERROR && CTX.err.kind == CD_E_UNLINKED_SLOT);
    /* a resource slot is not reached when the principal scope fails */
    scope(&t->body->principal, CD_SCOPE_EQ, "User", "bob");
    T_CHECK(peval(t) == CD_POLICY_NOT_SATISFIED);
}

static cd_policies pset(size_t n, ...)
{
    cd_policies ps = {n, CD_NEW_ARRAY(A, cd_policy *, n ? n : 1)};
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        ps.items[i] = va_arg(ap, cd_policy *);
    va_end(ap);
    return ps;
}

static bool reasons_are(const cd_response *r, size_t n, ...)
{
    if (r->n_reasons != n) return false;
    va_list ap;
    va_start(ap, n);
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok = ok && cd_str_eq_c(r->reasons[i]->id, va_arg(ap, const char *));
    va_end(ap);
    return ok;
}

static bool errors_are(const cd_response *r, size_t n, ...)
{
    if (r->n_errors != n) return false;
    va_list ap;
    va_start(ap, n);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        ok = ok && cd_str_eq_c(r->errors[i].policy->id, va_arg(ap, const char *));
        ok = ok && r->errors[i].error.message != NULL;
    }
    va_end(ap);
    return ok;
}

static void test_authorize(void)
{
    cd_response r;
    cd_policies ps = pset(0);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 0));

    cd_policy *permit_all = pol(CD_PERMIT, "permit_all");
    cd_policy *permit_bob = pol(CD_PERMIT, "permit_bob");
    scope(&permit_bob->body->principal, CD_SCOPE_EQ, "User", "bob");
    cd_policy *permit_staff = pol(CD_PERMIT, "permit_staff");
    scope(&permit_staff->body->principal, CD_SCOPE_IN, "Group", "staff");
    cd_policy *forbid_all = pol(CD_FORBID, "forbid_all");
    cd_policy *forbid_bob = pol(CD_FORBID, "forbid_bob");
    scope(&forbid_bob->body->principal, CD_SCOPE_EQ, "User", "bob");
    cd_policy *forbid_err = pol(CD_FORBID, "forbid_err");
    cond(forbid_err, true, attr(CD_X_GET_ATTR, V(CD_VAR_PRINCIPAL), "nope"));
    cd_policy *permit_err = pol(CD_PERMIT, "permit_err");
    cond(permit_err, true, op(CD_X_ADD, L(INT64_MAX), L(1)));
    cd_policy *permit_nonbool = pol(CD_PERMIT, "permit_nonbool");
    cond(permit_nonbool, true, L(1));

    ps = pset(1, permit_all);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "permit_all") && errors_are(&r, 0));

    ps = pset(1, permit_bob);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0));

    ps = pset(3, permit_all, permit_bob, permit_staff);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 2, "permit_all", "permit_staff"));

    /* forbid overrides permit; the reasons are then the forbids */
    ps = pset(3, permit_all, forbid_all, permit_staff);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 1, "forbid_all"));

    /* a forbid alone denies with itself as the reason */
    ps = pset(1, forbid_all);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 1, "forbid_all"));

    /* a forbid that does not apply changes nothing */
    ps = pset(2, forbid_bob, permit_all);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "permit_all"));

    /* an erroring forbid does not deny */
    ps = pset(2, forbid_err, permit_all);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "permit_all") && errors_are(&r, 1, "forbid_err"));
    T_CHECK(r.n_errors == 1 && r.errors[0].error.kind == CD_E_ATTR_DOES_NOT_EXIST);

    /* an erroring permit does not allow */
    ps = pset(2, permit_err, permit_nonbool);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 2, "permit_err", "permit_nonbool"));
    T_CHECK(r.n_errors == 2 && r.errors[0].error.kind == CD_E_OVERFLOW &&
            r.errors[1].error.kind == CD_E_TYPE);

    /* errors are reported alongside a forbid decision too */
    ps = pset(4, permit_err, forbid_all, permit_all, forbid_err);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 1, "forbid_all") &&
            errors_are(&r, 2, "permit_err", "forbid_err"));

    /* templates are skipped; their links are evaluated */
    cd_policy *t = pol(CD_PERMIT, "t");
    scope_slot(&t->body->principal, CD_SCOPE_EQ, NULL);
    t->is_template = true;
    ps = pset(1, t);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 0));
    cd_policy *l1 = CD_NEW(A, cd_policy), *l2 = CD_NEW(A, cd_policy);
    *l1 = *t;
    l1->id = str("link_alice");
    l1->is_template = false;
    l1->template_of = t;
    l1->has_principal_slot = true;
    l1->principal_slot = uid("User", "alice");
    *l2 = *l1;
    l2->id = str("link_bob");
    l2->principal_slot = uid("User", "bob");
    ps = pset(3, t, l2, l1);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "link_alice") && errors_are(&r, 0));
    /* a link does not leak its slot into the next policy */
    cd_policy *bad = pol(CD_PERMIT, "unlinked");
    scope_slot(&bad->body->principal, CD_SCOPE_EQ, NULL);
    ps = pset(2, l1, bad);
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "link_alice") && errors_are(&r, 1, "unlinked"));
    T_CHECK(r.n_errors == 1 && r.errors[0].error.kind == CD_E_UNLINKED_SLOT);
}

/* ---- tests: Cedar text (parser + evaluator) ----------------------------- */

/* Parse an expression and evaluate it; a parse failure fails the check. */
static bool eval_str(const char *text, cd_value *out)
{
    cd_err err = {0};
    cd_expr *e = cd_parse_expr(text, strlen(text), "test", A, &err);
    if (!e) {
        fprintf(stderr, "  parse error in `%s`: %s\n", text, err.message);
        cd_err_clear(&err);
        CTX.err = (cd_eval_error){.kind = CD_E_NONE, .message = "parse error"};
        return false;
    }
    return run(e, out);
}

static bool str_bool(const char *text, bool want)
{
    cd_value v;
    if (!eval_str(text, &v)) {
        fprintf(stderr, "  `%s`: unexpected error: %s\n", text, CTX.err.message);
        return false;
    }
    return v.kind == CD_V_BOOL && v.u.b == want;
}

static bool str_long(const char *text, int64_t want)
{
    cd_value v;
    if (!eval_str(text, &v)) {
        fprintf(stderr, "  `%s`: unexpected error: %s\n", text, CTX.err.message);
        return false;
    }
    return v.kind == CD_V_LONG && v.u.l == want;
}

static bool str_err(const char *text, cd_errkind kind)
{
    cd_value v;
    if (eval_str(text, &v)) {
        fprintf(stderr, "  `%s`: expected %s, got a value\n", text, cd_errkind_name(kind));
        return false;
    }
    if (CTX.err.kind != kind)
        fprintf(stderr, "  `%s`: expected %s, got %s: %s\n", text, cd_errkind_name(kind),
                cd_errkind_name(CTX.err.kind), CTX.err.message);
    return CTX.err.kind == kind;
}

static void test_text_exprs(void)
{
    T_CHECK(str_long("1 + 2 * 3", 7));
    T_CHECK(str_long("-9223372036854775808 + 0", INT64_MIN));
    T_CHECK(str_err("-9223372036854775808 - 1", CD_E_OVERFLOW));
    T_CHECK(str_err("9223372036854775807 + 1", CD_E_OVERFLOW));
    T_CHECK(str_err("-9223372036854775808 * -1", CD_E_OVERFLOW));
    T_CHECK(str_err("-(-9223372036854775808)", CD_E_OVERFLOW));
    T_CHECK(str_bool("false && (1 + \"a\")", false));
    T_CHECK(str_bool("true || principal.nope", true));
    T_CHECK(str_err("true && 1", CD_E_TYPE));
    T_CHECK(str_err("if 1 then 2 else 3", CD_E_TYPE));
    T_CHECK(str_long("if principal.age > 18 then 1 else 2", 1));
    T_CHECK(str_bool("1 != \"1\"", true));
    T_CHECK(str_bool("3 > 2 && 2 >= 2 && !(2 > 2) && 1 <= 1", true));
    T_CHECK(str_err("\"a\" < \"b\"", CD_E_TYPE));
    T_CHECK(str_bool("principal in Group::\"all\"", true));
    T_CHECK(str_bool("principal in [Group::\"x\", Group::\"staff\"]", true));
    T_CHECK(str_err("principal in [Group::\"staff\", 1]", CD_E_TYPE));
    T_CHECK(str_bool("User::\"ghost\" in User::\"ghost\"", true));
    T_CHECK(str_bool("User::\"ghost\" in Group::\"all\"", false));
    T_CHECK(str_bool("resource.owner == principal", true));
    T_CHECK(str_bool("principal has age && principal.age == 30", true));
    T_CHECK(str_bool("User::\"ghost\" has age", false));
    T_CHECK(str_err("User::\"ghost\".age", CD_E_ENTITY_DOES_NOT_EXIST));
    T_CHECK(str_err("principal.nope", CD_E_ATTR_DOES_NOT_EXIST));
    /* `e has a.b` is `e has a && e.a has b`; bob is not in the store */
    T_CHECK(str_bool("principal has manager.name", false));
    T_CHECK(str_bool("{a: {b: 1}} has a.b", true));
    T_CHECK(str_bool("{a: {b: 1}} has a.c", false));
    T_CHECK(
        str_bool("principal.hasTag(\"level\") && principal.getTag(\"level\") == \"high\"", true));
    T_CHECK(str_err("principal.getTag(\"age\")", CD_E_TAG_DOES_NOT_EXIST));
    T_CHECK(str_err("User::\"ghost\".getTag(\"level\")", CD_E_ENTITY_DOES_NOT_EXIST));
    T_CHECK(str_bool("User::\"ghost\".hasTag(\"level\")", false));
    T_CHECK(str_bool("\"a*b\" like \"a\\*b\" && !(\"axb\" like \"a\\*b\") && \"axb\" like \"a*b\"",
                     true));
    T_CHECK(str_bool("principal is User in Group::\"staff\"", true));
    T_CHECK(str_bool("principal is Group in (1 + \"a\")", false));
    T_CHECK(str_err("principal is User in (1 + \"a\")", CD_E_TYPE));
    T_CHECK(
        str_bool("[1, 2, 3].containsAll([1, 3]) && [1].containsAny([3, 1]) && [].isEmpty()", true));
    T_CHECK(str_bool("[1, [2]].contains([2]) && {a: 1, b: [true]} == {b: [true], a: 1}", true));
    T_CHECK(str_long("context.n * 2", 14));
    T_CHECK(str_bool("decimal(\"1.1\").lessThan(decimal(\"1.2\"))", true));
    T_CHECK(str_err("decimal(\"1.23456\")", CD_E_EXTENSION));
    T_CHECK(str_bool("ip(context.ip).isInRange(ip(\"10.0.0.0/8\"))", true));
    T_CHECK(str_err("ip(\"10.0.0.300\")", CD_E_EXTENSION));
    T_CHECK(str_bool("datetime(\"2024-01-01\") < datetime(\"2024-01-01T00:00:01Z\")", true));
    T_CHECK(str_bool("duration(\"1h\") > duration(\"59m\")", true));
    T_CHECK(str_err("datetime(\"2024-01-01\") < duration(\"1h\")", CD_E_TYPE));
    T_CHECK(str_err("decimal(\"1.0\") < decimal(\"2.0\")", CD_E_TYPE));
    /* (were cd_ext_order's checks: the evaluator orders these itself) */
    T_CHECK(str_bool("datetime(\"2024-10-28T17:12:13.456Z\") < "
                     "datetime(\"2024-10-28T17:12:13.456-0800\")",
                     true));
    T_CHECK(
        str_bool("duration(\"-3d\") <= duration(\"-72h\") && "
                 "duration(\"-3d\") >= duration(\"-72h\") && duration(\"-2h\") < duration(\"1h\")",
                 true));
    T_CHECK(str_long("datetime(\"1970-01-01\").offset(duration(\"1d2h\")).toTime().toHours()", 2));
}

/* Parse a policy file into out; a parse failure fails the check. */
static bool parse_ps(const char *text, cd_policies *out)
{
    cd_err err = {0};
    if (!cd_parse_policies(text, strlen(text), "test", A, out, &err)) {
        fprintf(stderr, "  parse error: %s\n", err.message);
        cd_err_clear(&err);
        return false;
    }
    return true;
}

static bool authz_text(const char *text, cd_response *r)
{
    cd_policies ps;
    if (!parse_ps(text, &ps)) return false;
    cd_authorize(&ps, &REQ, ES, A, r);
    return true;
}

static void test_text_policies(void)
{
    cd_response r;
    T_CHECK(authz_text("", &r) && !r.allow && reasons_are(&r, 0) && errors_are(&r, 0));
    T_CHECK(authz_text("permit(principal in Group::\"staff\", action == Action::\"view\", "
                       "resource) when { resource.owner == principal };",
                       &r) &&
            r.allow && reasons_are(&r, 1, "policy0"));
    T_CHECK(authz_text("permit(principal, action in [Action::\"read\"], resource is Photo);\n"
                       "forbid(principal, action, resource) unless { context.n == 7 };",
                       &r) &&
            r.allow && reasons_are(&r, 1, "policy0"));
    T_CHECK(authz_text("permit(principal, action, resource);\n"
                       "forbid(principal, action, resource) when { context.n == 7 };\n"
                       "forbid(principal == User::\"bob\", action, resource);",
                       &r) &&
            !r.allow && reasons_are(&r, 1, "policy1"));
    /* erroring policies: a forbid that errors does not deny, a permit that errors does not allow */
    T_CHECK(authz_text("forbid(principal, action, resource) when { principal.nope };\n"
                       "permit(principal, action, resource) when { context.n + \"x\" };\n"
                       "permit(principal, action, resource) when { principal.age == 30 } "
                       "unless { principal has nope };",
                       &r) &&
            r.allow && reasons_are(&r, 1, "policy2") && errors_are(&r, 2, "policy0", "policy1"));
    T_CHECK(r.n_errors == 2 && r.errors[0].error.kind == CD_E_ATTR_DOES_NOT_EXIST &&
            r.errors[1].error.kind == CD_E_TYPE);
    T_CHECK(authz_text("permit(principal, action, resource) when { 1 };", &r) && !r.allow &&
            errors_are(&r, 1, "policy0"));
    /* conditions stop at the first false one */
    T_CHECK(
        authz_text("permit(principal, action, resource) when { false } when { 1 + \"a\" };", &r) &&
        !r.allow && errors_are(&r, 0));

    /* a template is skipped; a link of it is evaluated with its slot values */
    cd_policies ps;
    T_CHECK(parse_ps("permit(principal in ?principal, action, resource);", &ps));
    T_CHECK(ps.n == 1 && ps.items[0]->is_template);
    if (ps.n != 1) return;
    cd_authorize(&ps, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 0));
    T_CHECK(peval(ps.items[0]) == CD_POLICY_ERROR && CTX.err.kind == CD_E_UNLINKED_SLOT);
    cd_policy *link = CD_NEW(A, cd_policy);
    *link = *ps.items[0];
    link->id = str("staff_link");
    link->is_template = false;
    link->template_of = ps.items[0];
    link->has_principal_slot = true;
    link->principal_slot = uid("Group", "staff");
    cd_policies both = pset(2, ps.items[0], link);
    cd_authorize(&both, &REQ, ES, A, &r);
    T_CHECK(r.allow && reasons_are(&r, 1, "staff_link") && errors_are(&r, 0));
    link->principal_slot = uid("Group", "elsewhere");
    cd_authorize(&both, &REQ, ES, A, &r);
    T_CHECK(!r.allow && reasons_are(&r, 0) && errors_are(&r, 0));
}

int main(void)
{
    setup();
    T_RUN(test_policy_scopes);
    T_RUN(test_policy_conditions);
    T_RUN(test_policy_templates);
    T_RUN(test_authorize);
    T_RUN(test_text_exprs);
    T_RUN(test_text_policies);
    teardown();
    T_DONE();
}
