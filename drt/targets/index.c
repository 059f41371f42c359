/* index.c: the `index` target: large policy sets (up to 200 policies and
 * templates, their links, whose scopes share the case's entities, types and
 * action groups) checked three ways:
 *   - core (cedar_authorize, through the policy index: drt_core_load turns
 *     it on at any size) against the model, as the abac target does;
 *   - the index against core's full scan (cd_authorize): same decision, the
 *     same determining and erroring policies in the same order, the same
 *     error messages;
 *   - the same after a batch of links that fails and is undone (its links
 *     must leave nothing behind in the index or the id table), and after
 *     unlinking every other link (the policies after each move up).
 */
#include <stdlib.h>
#include <string.h>

#include "cd_index.h"
#include "drt_targets.h"

/* ---- amplification ------------------------------------------------------ */

/* The generator spends many bytes per policy (conditions), so a case has a
 * few dozen at most; the index wants hundreds whose scopes share entities,
 * types and action groups. So the case's text policies are copied, each copy
 * with new scopes drawn cheaply (a PRNG seeded from the bytes) from the
 * case's own entities, their parents, the requests' uids, the schema's types
 * and actions, and its conditions kept; template copies get links. Copies
 * are interleaved with the originals, so policy-set order mixes buckets. */
typedef struct amp {
    m_arena *a;
    const gen_case *c;
    uint64_t rng;
    size_t n_uids;
    m_uid *uids; /* data entities, their parents, request principals/resources */
} amp;

static uint64_t amp_next(amp *m)
{
    m->rng ^= m->rng >> 12;
    m->rng ^= m->rng << 25;
    m->rng ^= m->rng >> 27;
    return m->rng * 0x2545F4914F6CDD1DULL;
}

static size_t amp_pick(amp *m, size_t n)
{
    return n ? (size_t)(amp_next(m) >> 11) % n : 0;
}

static m_str amp_strf(m_arena *a, const char *prefix, size_t i)
{
    char *s = m_alloc(a, 32);
    int n = snprintf(s, 32, "%s%zu", prefix, i);
    return (m_str){s, (size_t)n};
}

static bool printable(m_uid u)
{
    for (size_t i = 0; i < u.id.len; i++)
        if ((unsigned char)u.id.ptr[i] < 0x20 || (unsigned char)u.id.ptr[i] > 0x7e) return false;
    return true;
}

/* An entity uid for a slot value: printable (links are written as text). */
static m_uid amp_slot_uid(amp *m)
{
    m_uid u = m->uids[amp_pick(m, m->n_uids)];
    if (!printable(u)) u.id = m_str_c("alice");
    return u;
}

static gen_scope amp_var_scope(amp *m, const gen_scope *orig)
{
    const gen_schema *s = &m->c->schema;
    gen_scope sc = {.op = (gen_scope_op)amp_pick(m, 5)};
    sc.slot = orig->slot; /* a template copy keeps its slots */
    if (sc.slot && (sc.op == GEN_SC_ANY || sc.op == GEN_SC_IS)) sc.op = GEN_SC_EQ;
    if (sc.op == GEN_SC_IS || sc.op == GEN_SC_IS_IN)
        sc.is_type = s->etypes[amp_pick(m, s->n_etypes)].name;
    if (sc.op == GEN_SC_EQ || sc.op == GEN_SC_IN || sc.op == GEN_SC_IS_IN) {
        if (!sc.slot) sc.uid = m->uids[amp_pick(m, m->n_uids)];
    }
    return sc;
}

static gen_scope amp_action_scope(amp *m)
{
    const gen_schema *s = &m->c->schema;
    static const gen_scope_op ops[] = {GEN_SC_ANY, GEN_SC_EQ, GEN_SC_EQ, GEN_SC_IN, GEN_SC_IN_SET};
    gen_scope sc = {.op = ops[amp_pick(m, 5)]};
    if (sc.op == GEN_SC_EQ || sc.op == GEN_SC_IN)
        sc.uid = s->actions[amp_pick(m, s->n_actions)].uid;
    if (sc.op == GEN_SC_IN_SET) {
        size_t n = 1 + amp_pick(m, 3);
        m_uid *us = m_alloc(m->a, (n + 1) * sizeof *us);
        for (size_t i = 0; i < n; i++)
            us[i] = s->actions[amp_pick(m, s->n_actions)].uid;
        sc.uids = us;
        sc.n_uids = n;
    }
    return sc;
}

static void amplify(gen_case *c, m_arena *a, gen_src *src)
{
    size_t n_text = 0, n_links = 0;
    for (size_t i = 0; i < c->n_policies; i++)
        if (c->policies[i].link_of < 0) n_text++;
    n_links = c->n_policies - n_text;
    if (!n_text || !c->schema.n_actions || !c->schema.n_etypes) return;
    amp m = {.a = a, .c = c, .rng = gen_range(src, 1, UINT32_MAX)};
    size_t extra = gen_chance(src, 10) ? 0 : (size_t)gen_range(src, 20, 300);
    /* the uids scopes may name */
    size_t cap = 2 * c->n_requests + 1;
    for (size_t i = 0; i < c->n_data; i++)
        cap += 1 + c->entities.items[i].n_parents;
    m.uids = m_alloc(a, cap * sizeof *m.uids);
    for (size_t i = 0; i < c->n_data; i++) {
        const m_entity *e = &c->entities.items[i];
        m.uids[m.n_uids++] = e->uid;
        for (size_t j = 0; j < e->n_parents; j++)
            m.uids[m.n_uids++] = e->parents[j];
    }
    for (size_t i = 0; i < c->n_requests; i++) {
        m.uids[m.n_uids++] = c->requests[i].r.principal;
        m.uids[m.n_uids++] = c->requests[i].r.resource;
    }
    if (!m.n_uids) return;
    /* text policies: originals and copies interleaved, renumbered */
    size_t total_text = n_text + extra;
    gen_policy *ps = m_alloc(a, (total_text * 3 + n_links + 1) * sizeof *ps);
    int *newpos = m_alloc(a, (c->n_policies + 1) * sizeof *newpos); /* old text index -> new */
    size_t orig_left = n_text, copies_left = extra, k = 0, next_orig = 0;
    while (orig_left || copies_left) {
        bool take_orig =
            orig_left && (!copies_left || amp_pick(&m, orig_left + copies_left) < orig_left);
        gen_policy *p = &ps[k];
        if (take_orig) {
            while (c->policies[next_orig].link_of >= 0)
                next_orig++;
            *p = c->policies[next_orig];
            newpos[next_orig++] = (int)k;
            orig_left--;
        } else {
            /* a copy of a random original text policy, with new scopes */
            size_t j = amp_pick(&m, c->n_policies);
            while (c->policies[j].link_of >= 0)
                j = (j + 1) % c->n_policies;
            *p = c->policies[j];
            p->scope[0] = amp_var_scope(&m, &c->policies[j].scope[0]);
            p->scope[1] = amp_action_scope(&m);
            p->scope[2] = amp_var_scope(&m, &c->policies[j].scope[2]);
            if (amp_pick(&m, 3) == 0) p->effect = p->effect == M_PERMIT ? M_FORBID : M_PERMIT;
            copies_left--;
        }
        p->id = amp_strf(a, "policy", k);
        k++;
    }
    /* links: the originals (templates renumbered), then 1-2 per template copy */
    size_t n = k, nl = 0;
    for (size_t i = 0; i < c->n_policies; i++) {
        if (c->policies[i].link_of < 0) continue;
        ps[n] = c->policies[i];
        ps[n].link_of = newpos[c->policies[i].link_of];
        ps[n].id = amp_strf(a, "link", nl++);
        n++;
    }
    for (size_t i = 0; i < k; i++) {
        if (!ps[i].is_template) continue;
        bool copy = true;
        for (size_t j = 0; j < c->n_policies; j++)
            if (c->policies[j].link_of < 0 && newpos[j] == (int)i) copy = false;
        if (!copy) continue;
        for (size_t l = 1 + amp_pick(&m, 2); l > 0; l--) {
            gen_policy *p = &ps[n++];
            *p = ps[i];
            p->is_template = false;
            p->link_of = (int)i;
            p->id = amp_strf(a, "link", nl++);
            if (p->scope[0].slot) p->slot_principal = amp_slot_uid(&m);
            if (p->scope[2].slot) p->slot_resource = amp_slot_uid(&m);
        }
    }
    c->policies = ps;
    c->n_policies = n;
}

static bool build(const uint8_t *data, size_t size, m_arena *a, gen_case *out)
{
    gen_src src;
    gen_src_init(&src, data, size);
    gen_opts o = drt_case_opts(gen_chance(&src, 50) ? GEN_TYPED : GEN_LOOSE);
    o.max_policies = 20;
    o.max_requests = 8;
    gen_case_build(out, a, &src, &o, NULL);
    amplify(out, a, &src);
    return true;
}

bool drt_case_index(const uint8_t *data, size_t size, m_arena *a, gen_case *out)
{
    return build(data, size, a, out);
}

/* Policy ids of reasons or errors, joined (heap). */
static char *join(size_t n, const cd_policy *const *ps, const cd_policy_error *errs)
{
    gen_buf b;
    gen_buf_init(&b);
    gen_buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (i) gen_buf_putc(&b, ',');
        gen_buf_puts(&b, ps ? ps[i]->id.ptr : errs[i].policy->id.ptr);
    }
    return b.data;
}

/* The first difference between the index's and the scan's responses (heap),
 * or NULL. Order matters here: both must list policies in set order. */
static char *index_vs_scan(const cd_response *ix, const cd_response *sc)
{
    if (ix->allow != sc->allow)
        return drt_strf("decision: index %s, scan %s", ix->allow ? "Allow" : "Deny",
                        sc->allow ? "Allow" : "Deny");
    char *a = join(ix->n_reasons, ix->reasons, NULL), *b = join(sc->n_reasons, sc->reasons, NULL);
    char *d = strcmp(a, b) ? drt_strf("reasons: index [%s], scan [%s]", a, b) : NULL;
    free(a);
    free(b);
    if (d) return d;
    a = join(ix->n_errors, NULL, ix->errors);
    b = join(sc->n_errors, NULL, sc->errors);
    d = strcmp(a, b) ? drt_strf("errors: index [%s], scan [%s]", a, b) : NULL;
    free(a);
    free(b);
    for (size_t i = 0; !d && i < ix->n_errors; i++)
        if (strcmp(ix->errors[i].error.message, sc->errors[i].error.message))
            d = drt_strf("error message of %s: index \"%s\", scan \"%s\"",
                         ix->errors[i].policy->id.ptr, ix->errors[i].error.message,
                         sc->errors[i].error.message);
    return d;
}

/* Relink every link of the case under a new id, then fail on a template that
 * does not exist: the whole batch is undone. */
static void undone_batch(const gen_texts *t, cedar_policy_set *ps)
{
    gen_buf b;
    gen_buf_init(&b);
    gen_buf_puts(&b, "[");
    for (size_t i = 0; i < t->n_links; i++) {
        const gen_link_text *l = &t->links[i];
        gen_buf_printf(&b, "{\"template_id\": \"%.*s\", \"link_id\": \"undone%zu\", \"args\": {",
                       (int)l->template_id.len, l->template_id.ptr, i);
        const char *sep = "";
        /* uid texts are normalized Cedar: quotes and backslashes need escapes */
        for (int k = 0; k < 2; k++) {
            const char *u = k ? l->resource : l->principal;
            if (!u) continue;
            gen_buf_printf(&b, "%s\"%s\": \"", sep, k ? "?resource" : "?principal");
            for (const char *c = u; *c; c++) {
                if (*c == '"' || *c == '\\') gen_buf_putc(&b, '\\');
                gen_buf_putc(&b, *c);
            }
            gen_buf_putc(&b, '"');
            sep = ", ";
        }
        gen_buf_puts(&b, "}},");
    }
    gen_buf_puts(&b, "{\"template_id\": \"no such template\", \"link_id\": \"x\", \"args\": {}}]");
    cedar_error err = {0};
    (void)cedar_policy_set_link_json(ps, b.data, b.len, "undone.json", &err);
    cedar_error_clear(&err);
    gen_buf_free(&b);
}

static void compare(const gen_case *c, const gen_texts *t, const drt_core *k, FILE *print_to,
                    const char *when)
{
    cedar_response *resp = cedar_response_new();
    cd_arena *arena = cd_arena_new();
    for (size_t i = 0; i < k->n_requests; i++) {
        cedar_authorize(k->ps, k->es, k->requests[i], resp, NULL);
        cd_arena_reset(arena);
        cd_response scan;
        cd_authorize(&k->ps->view, &k->requests[i]->rq, k->es->es, arena, &scan);
        char *diff = index_vs_scan(&resp->r, &scan);
        if (print_to) {
            if (diff) fprintf(print_to, "=== request %zu %s: INDEX DIFFERS: %s\n", i, when, diff);
        } else if (diff) {
            char *what = drt_strf("request %zu %s: %s", i, when, diff);
            drt_fail("index", c, t, what, NULL);
        }
        free(diff);
    }
    cd_arena_free(arena);
    cedar_response_free(resp);
}

static void run(const uint8_t *data, size_t size, FILE *print_to)
{
    drt_setup s;
    drt_setup_case(&s, drt_case_index, data, size);
    drt_run_case("index", &s.c, s.a, print_to); /* core (indexed) vs the model */
    if (s.loaded) {                             /* (a rejection was reported above) */
        compare(&s.c, &s.t, &s.k, print_to, "");
        size_t before = cedar_policy_set_count(s.k.ps);
        undone_batch(&s.t, s.k.ps);
        if (cedar_policy_set_count(s.k.ps) != before && !print_to)
            drt_fail("index", &s.c, &s.t, "a failed link batch was not undone", NULL);
        compare(&s.c, &s.t, &s.k, print_to, "after an undone link batch");
        /* unlink every other link of the case: later policies move up */
        for (size_t i = 0; i < s.t.n_links; i += 2) {
            cedar_error err = {0};
            if (cedar_policy_set_unlink(s.k.ps, s.t.links[i].link_id.ptr, &err) && !print_to)
                drt_fail("index", &s.c, &s.t, "a link could not be unlinked", NULL);
            cedar_error_clear(&err);
        }
        compare(&s.c, &s.t, &s.k, print_to, "after unlinking every other link");
    }
    drt_setup_free(&s);
}

DRT_TARGET_FROM_RUN(index, run)
