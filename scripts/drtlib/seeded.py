"""drt seeded-bugs: does DRT catch deliberate one-line bugs in core, and how fast?

Each bug is one line of core replaced by a wrong one, applied in a scratch
copy of the tree (never the working tree). The copy is built once with the
fuzz preset; per bug the line is changed, the fuzz targets are rebuilt
(incrementally), and the chosen targets fuzz in parallel, one process each,
until one of them reports a failure or each has used the timeout in CPU
seconds (user+sys, read from /proc and wait4: on a shared machine wall time
measures the load; a wall cap bounds the hunt). A baseline run without any bug comes first: a failure
there would make every detection meaningless.
"""
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time

from .common import (OUT, ROOT, _die_with_parent, corpus_dir, die, have, list_files, log, nproc,
                     rel, utc_stamp)

# (name, file, the exact line text in core, its wrong replacement, what it breaks)
BUGS = [
    ("allow-without-permit", "core/src/cd_decide.c",
     "bool allow = n_forbid == 0 && n_permit > 0;", "bool allow = n_forbid == 0;",
     "Allow when no forbid is satisfied, even without a satisfied permit"),
    ("in-not-transitive", "core/src/cd_hier.c",
     "m = merge_union(cur, m, p->ancestors, p->n_ancestors, out);",
     "m = merge_union(cur, m, p->ancestors, 0 * p->n_ancestors, out);",
     "`in` sees only direct parents (no transitive closure)"),
    ("like-escaped-star-wildcard", "core/src/cd_unescape.c",
     "if (k == 1 && tmp[0] == '*' && elems) {", "if (((k == 1 && tmp[0] == '*') || k == -1) && elems) {",
     "`like` treats `\\*` as a wildcard"),
    ("containsAny-empty", "core/src/cd_value.c",
     "    if (a->n > b->n) {\n        const cd_set *t = a;",
     "    if (a->n == 0 || b->n == 0) return true; if (a->n > b->n) {\n        const cd_set *t = a;",
     "`containsAny` true when either set is empty"),
    ("decimal-negative-compare", "core/src/cd_ext.c",
     "int64_t x = a->u.ext.u.decimal, y = b->u.ext.u.decimal;",
     "uint64_t x = (uint64_t)a->u.ext.u.decimal, y = (uint64_t)b->u.ext.u.decimal;",
     "decimal comparisons wrong for negative values (compared as unsigned)"),
    ("mul-overflow-undetected", "core/src/cd_eval.c",
     "default: overflow = !cd_arith_mul(x, y, &r); break;",
     "default: overflow = false; r = (int64_t)((uint64_t)x * (uint64_t)y); break;",
     "overflow not detected on `*` (wraps around)"),
    ("has-missing-attribute", "core/src/cd_eval.c",
     "r = ent && cd_record_get(&ent->attrs, name) != NULL;", "r = ent != NULL;",
     "`has` true for a missing (optional) entity attribute"),
    ("erroring-forbid-denies", "core/src/cd_authz.c",
     "outcome = CD_OUTCOME_ERROR;",
     "outcome = p->body->effect == CD_FORBID ? CD_OUTCOME_SATISFIED : CD_OUTCOME_ERROR;",
     "an erroring forbid still denies"),
    ("le-as-lt", "core/src/cd_eval.c",
     "case CD_X_LE: r = x <= y; break;", "case CD_X_LE: r = x < y; break;",
     "`<=` on longs/datetimes/durations answers `<`"),
    ("containsAll-reversed", "core/src/cd_eval.c",
     "*out = cd_bool(cd_set_subset(&b->u.set, &a->u.set));",
     "*out = cd_bool(cd_set_subset(&a->u.set, &b->u.set));",
     "`a.containsAll(b)` tests b ⊇ a instead of a ⊇ b"),
    ("is-ignores-type", "core/src/cd_eval.c",
     "*out = cd_bool(v->u.uid.type == e->u.is.type);", "*out = cd_bool(true);",
     "`x is T` true for an entity of any type"),
    ("like-suffix-unanchored", "core/src/cd_pattern.c",
     "if (!group_at(el, t, n, s, hi - tlen)) return false;", "(void)group_at;",
     "`like`: the text after the last `*` need not end the string"),
    ("neg-overflow-undetected", "core/src/cd_eval.c",
     "if (!cd_arith_neg(v->u.l, &r))", "r = (int64_t)(0 - (uint64_t)v->u.l); if (0)",
     "`-x` does not report overflow for the smallest long"),
    # ---- issue 14: the five families the generators reached rarely (surface
    # syntax, `like` corners, evaluation order, extension bounds, entity data
    # against the schema); keep this block contiguous
    ("policy-comment-lone-cr", "core/src/cd_lex.c",
     "while (i < rest && p[i] != '\\n' && p[i] != '\\r')", "while (i < rest && p[i] != '\\n')",
     "policy text: a `//` comment is ended by `\\n` only (a lone `\\r` does not end it)"),
    ("policy-space-vt-ff", "core/src/cd_lex.c",
     "if (c == ' ' || (c >= '\\t' && c <= '\\r')) return 1;",
     "if (c == ' ' || c == '\\t' || c == '\\n' || c == '\\r') return 1;",
     "policy text: vertical tab and form feed are not white space"),
    ("unicode-escape-underscore", "core/src/cd_unescape.c",
     "if (d == '_') continue;",
     "if (d == '_') { *msg = \"invalid character in unicode escape\"; return 0; }",
     "policy strings: `\\u{...}` rejects the `_` separators Rust allows after the first digit"),
    ("unary-four-rejected", "core/src/cd_parse_expr.c",
     "if (n > 4)", "if (n > 3)",
     "policy text: four `!` or `-` in a row rejected (Cedar allows up to four)"),
    ("schema-comment-lone-cr", "core/src/cd_schema_text.c",
     "while (i < P->len && P->p[i] != '\\n' && P->p[i] != '\\r')",
     "while (i < P->len && P->p[i] != '\\n')",
     "schema text: a `//` comment is ended by `\\n` only"),
    ("schema-unicode-escape-underscore", "core/src/cd_schema_text.c",
     "if (s[j] == '_') continue;",
     "if (s[j] == '_') return err_at(P, at, \"invalid character in unicode escape\");",
     "schema text strings: `\\u{...}` rejects `_` separators"),
    ("like-star-escape-spelling", "core/src/cd_unescape.c",
     "if (k == 1 && tmp[0] == '*' && elems) {", "if (c == '*' && elems) {",
     "`like`: a star written `\\x2a` or `\\u{2a}` is a literal star (it is a wildcard)"),
    ("like-prefix-suffix-overlap", "core/src/cd_pattern.c",
     "if (tlen > hi - lo) return false;", "if (tlen > hi) return false;",
     "`like`: the text before the first `*` and after the last may overlap (`a*a` matches `a`)"),
    ("like-group-at-end", "core/src/cd_pattern.c",
     "const char *p = memchr(s.ptr + pos, first, hi - glen - pos + 1);",
     "const char *p = memchr(s.ptr + pos, first, hi - glen - pos);",
     "`like`: a middle group is not found when it ends exactly where the suffix starts"),
    ("in-set-stops-at-match", "core/src/cd_eval.c",
     "if (it->kind != CD_V_ENTITY)", "if (!found && it->kind != CD_V_ENTITY)",
     "`e in [..]`: a non-entity after the matching element is not a type error"),
    ("is-in-evaluates-rhs", "core/src/cd_eval.c",
     "if (v.kind != CD_V_ENTITY || v.u.uid.type != e->u.is.type || !e->u.is.in)",
     "if (v.kind != CD_V_ENTITY || !e->u.is.in || (v.u.uid.type != e->u.is.type && "
     "eval(ctx, e->u.is.in, out)))",
     "`x is T in E` evaluates E (and reports its error) when x is not a T"),
    ("compare-mixed-extensions", "core/src/cd_eval.c",
     "} else if (ordered_ext(a) && ordered_ext(b) && a->u.ext.kind == b->u.ext.kind) {",
     "} else if (ordered_ext(a) && ordered_ext(b)) {",
     "`<` between a datetime and a duration compares milliseconds (a type error)"),
    ("ip-loopback-v4-prefix-edge", "core/src/cd_ext_ip.c",
     "if (!ip->v6) return ip->addr[0] == 127 && ip->prefix >= 8;",
     "if (!ip->v6) return ip->addr[0] == 127 && ip->prefix > 8;",
     "`isLoopback` false for 127.x.x.x/8 (the whole loopback range)"),
    ("ip-multicast-v6-prefix-edge", "core/src/cd_ext_ip.c",
     "return ip->addr[0] == 0xFF && ip->prefix >= 8;",
     "return ip->addr[0] == 0xFF && ip->prefix > 8;",
     "`isMulticast` false for ff00::/8 (the whole multicast range)"),
    ("ip-inrange-last-address", "core/src/cd_ext_ip.c",
     "return u128_cmp(rf, af) <= 0 && u128_cmp(al, rl) <= 0;",
     "return u128_cmp(rf, af) <= 0 && u128_cmp(al, rl) < 0;",
     "`isInRange` false when the range's last address is the argument's last"),
    ("datetime-century-leap", "core/src/cd_ext_datetime.c",
     "return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);", "return y % 4 == 0;",
     "datetime: Feb 29 accepted in 1900 and 2100 (not leap years)"),
    ("toDate-pre-1970", "core/src/cd_ext_datetime.c",
     "if (rem < 0) rem += MS_PER_DAY; /* Euclidean remainder */", "/* truncating remainder */",
     "`toDate` rounds instants before 1970 up (towards 1970) instead of down"),
    ("toTime-pre-1970", "core/src/cd_ext_datetime.c",
     "return rem < 0 ? rem + MS_PER_DAY : rem;", "return rem < 0 ? -rem : rem;",
     "`toTime` of an instant before 1970 is the time to the next midnight"),
    ("decimal-min-rejected", "core/src/cd_ext_decimal.c",
     "if (neg ? __builtin_sub_overflow(l, r, &v) : __builtin_add_overflow(l, r, &v)) goto overflow;",
     "if (__builtin_add_overflow(neg ? -l : l, r, &v)) goto overflow; if (neg) v = -v;",
     "decimal(\"-922337203685477.5808\") (the smallest) reported as an overflow"),
    ("memberOf-not-transitive", "core/src/cd_entities.c",
     "for (size_t i = 0; pd && i < pd->n_member_of; i++)",
     "for (size_t i = 0; pd && i < 0 * pd->n_member_of; i++)",
     "entities: a parent allowed only through the schema's memberOf closure is rejected"),
    ("entity-attr-wrong-entity-type", "core/src/cd_conform.c",
     "if (v->kind != CD_V_ENTITY || v->u.uid.type != t->u.entity) return mismatch(v, t, p, msg);",
     "if (v->kind != CD_V_ENTITY) return mismatch(v, t, p, msg);",
     "entities: an attribute holding an entity of another type than declared is accepted"),
    ("entity-escape-extra-keys", "core/src/cd_json_value.c",
     "    if (n == 1) {", "    if (n >= 1) {",
     "JSON: `{\"__entity\": {..}, \"k\": ..}` read as an entity (it is a record)"),
    ("action-parents-not-closed", "core/src/cd_entities.c",
     "return uids_equal(a->ancestors, a->n_ancestors, b->ancestors, b->n_ancestors);",
     "return uids_equal(a->parents, a->n_parents, b->parents, b->n_parents);",
     "entities: an action given with its ancestors listed as parents rejected (compared "
     "before the closure)"),
    # ---- end of the issue-14 block
]


# Validator bugs (core/src/cd_validate*.c), hunted by the `validation` and
# `validation-sound` targets: `drt seeded-bugs --validator`.
VALIDATOR_BUGS = [
    ("or-keeps-capability", "core/src/cd_validate_expr.c",
     "return ans(ok, &cd_vt_bool, cd_caps_intersect(tc, rc, lc));",
     "return ans(ok, &cd_vt_bool, cd_caps_union(tc, rc, lc));",
     "a `has` capability kept after `||` (union instead of intersection)"),
    ("optional-attr-without-has", "core/src/cd_validate_expr.c",
     "if (at->required || cd_caps_has_attr(tc, prior, obj, name))",
     "if (true)",
     "an optional attribute readable without `has`"),
    ("strict-entity-lub", "core/src/cd_validate_type.c",
     "        if (strict) {\n            *why = CD_LUB_ENTITY_TYPE;",
     "        if (0) {\n            *why = CD_LUB_ENTITY_TYPE;",
     "the lub of different entity types accepted in strict mode"),
    ("strict-empty-set", "core/src/cd_validate_expr.c",
     "if (tc->strict && n == 0) {", "if (0 && tc->strict && n == 0) {",
     "an empty set literal accepted in strict mode"),
    ("getTag-without-hasTag", "core/src/cd_validate_ops.c",
     "if (!cd_caps_has_tag(tc, prior, e->u.op.a, e->u.op.b)) {", "if (0) {",
     "`getTag` accepted without a `hasTag` guard"),
    ("strict-nonliteral-constructor", "core/src/cd_validate_ops.c",
     "if (sig.ctor && tc->strict) {", "if (0) {",
     "a non-literal extension constructor argument accepted in strict mode"),
    ("else-sees-guard-capability", "core/src/cd_validate_expr.c",
     "    cd_ans el = cd_tc_expr(tc, prior, e->u.op.c);\n    const cd_vtype *tys[2]",
     "    cd_ans el = cd_tc_expr(tc, cd_caps_union(tc->arena, prior, tcaps), e->u.op.c);\n"
     "    const cd_vtype *tys[2]",
     "the else branch of `if` typechecked with the guard's capabilities"),
    ("entity-has-required-true", "core/src/cd_validate_expr.c",
     "bool always = known || (at->required && a.ty->kind == CD_VT_RECORD);",
     "bool always = known || at->required;",
     "`e has a` typed `true` for a required entity attribute (the entity may not exist)"),
]

# Policy-index bugs (core/src/cd_index.c, cd_api_policy.c), hunted by the
# `index` target (which compares the index with the full scan and the model):
# `drt seeded-bugs --index`.
INDEX_BUGS = [
    ("index-ancestors-skipped", "core/src/cd_index.c",
     "for (size_t i = 0; ent && i < ent->n_ancestors && !c->overflow; i++)",
     "for (size_t i = 0; ent && i < 0 * ent->n_ancestors && !c->overflow; i++)",
     "the buckets of the request's ancestors not consulted (`in` scopes via groups missed)"),
    ("index-unconstrained-skipped", "core/src/cd_index.c",
     "take(c, &d->any);", "(void)d->any;",
     "the unconstrained list not consulted"),
    ("index-stale-after-unlink", "core/src/cd_api_policy.c",
     "        cd_index_remove(ps->index, ps->view.items[pos], (uint32_t)pos);\n        ps->all.len--;",
     "        ps->all.len--;",
     "undone links stay in the index"),
    ("index-candidates-unordered", "core/src/cd_index.c",
     "if (b->n_lists > 1) {", "if (b->n_lists > 99) {",
     "candidates from several buckets not merged into policy-set order"),
    ("index-unlink-positions-kept", "core/src/cd_index.c",
     "if (ix->next_seq == ix->n_live) return seq; /* dense */",
     "if (ix->next_seq >= ix->n_live) return seq; /* dense */",
     "after an unlink, sequence numbers taken for positions: the policies that moved up keep their old positions"),
    ("index-type-bucket-skipped", "core/src/cd_index.c",
     "if ((b = table_find(&d->type, u->type))) take(c, &b->list);", "(void)b;",
     "`is T` scopes' bucket not consulted"),
]


def _copy_tree(dst):
    skip = {".git", "out"}

    def ignore(d, names):
        if os.path.abspath(d) == ROOT:
            return [n for n in names if n in skip or n.startswith("build")]
        return []
    shutil.copytree(ROOT, dst, ignore=ignore, symlinks=True)


def _build(tree, bdir, names, logf):
    r = subprocess.run(["cmake", "--build", bdir, "-j", str(nproc()), "--target", *names],
                       stdout=logf, stderr=subprocess.STDOUT)
    return r.returncode == 0


def _cpu_seconds(pid):
    """user+sys CPU seconds of a live process (from /proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    fields = s[s.rindex(")") + 2:].split()  # fields 3.. of proc(5): utime is 14, stime 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _hunt(tree, bdir, targets, timeout, work, logs_dir, tag, seeds, wall_cap):
    """Fuzz each target in its own process (seeded with corpus/<t> unless
    seeds is False); the first failure ends the hunt. The timeout is in CPU
    seconds (user+sys) of each fuzzer, so that a loaded machine does not turn
    into misses; wall_cap bounds the wall time. Returns ({target: (cpu s,
    wall s) or None}, first line)."""
    procs = {}
    t0 = time.time()
    for t in targets:
        wd = os.path.join(work, tag, t)
        os.makedirs(wd)
        lp = os.path.join(logs_dir, f"{tag}.{t}.log")
        # -len_control=0: long inputs (rich cases) from the start
        cmd = [os.path.join(bdir, "drt", f"fuzz-{t}"), f"-max_total_time={wall_cap}",
               f"-artifact_prefix={wd}/", "-timeout=20", "-rss_limit_mb=4096", "-max_len=4096",
               "-len_control=0", os.path.join(wd, "corpus")]
        os.makedirs(os.path.join(wd, "corpus"))
        if seeds and os.path.isdir(corpus_dir(t)):
            cmd.append(corpus_dir(t))  # read only: new inputs go to wd/corpus
        if seeds:
            cmd.append(random_seeds(work))
        procs[t] = (subprocess.Popen(cmd, stdout=open(lp, "wb"), stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent), lp, wd)
    found = {t: None for t in targets}
    cpu = {t: 0.0 for t in targets}
    live = set(targets)

    def crashed(t):
        return any(f.startswith("crash-") for f in os.listdir(procs[t][2]))

    def reap(t, block):
        # wait4 (not Popen.poll) to get the child's own CPU time at its exit
        p = procs[t][0]
        pid, status, ru = os.wait4(p.pid, 0 if block else os.WNOHANG)
        if not pid:
            return False
        p.returncode = os.waitstatus_to_exitcode(status)
        cpu[t] = ru.ru_utime + ru.ru_stime
        live.discard(t)
        return True

    while live and not any(v is not None for v in found.values()):
        time.sleep(0.1)
        for t in list(live):
            if reap(t, False):
                if procs[t][0].returncode not in (0, -9) and crashed(t):
                    found[t] = (round(cpu[t], 1), round(time.time() - t0, 1))
                continue
            c = _cpu_seconds(procs[t][0].pid)
            if c is not None:
                cpu[t] = c
            if cpu[t] > timeout or time.time() - t0 > wall_cap:
                procs[t][0].kill()
                reap(t, True)
    for t in list(live):
        procs[t][0].kill()
        reap(t, True)
    for t in targets:
        if found[t] is None and procs[t][0].returncode not in (0, -9) and crashed(t):
            found[t] = (round(cpu[t], 1), round(time.time() - t0, 1))
    first = ""
    for t in targets:
        if found[t] is not None and not first:
            with open(procs[t][1], errors="replace") as f:
                text = f.read()
            # the line after the target's banner says what differed; else a sanitizer's
            m = re.search(r"^==== DRT FINDING.*\n(.*)$", text, re.M) or \
                re.search(r"^(?:==\d+==)?\s*(ERROR: .*|.*runtime error: .*)$", text, re.M)
            first = m.group(1).strip()[:160] if m else ""
    return found, first


def random_seeds(work, n=64):
    """n random inputs of 256..4096 bytes (the same every time): each decodes to
    a rich case, so the hunt does not start from the generator's minimal ones."""
    d = os.path.join(work, "random-seeds")
    if not os.path.isdir(d):
        os.makedirs(d)
        rng = random.Random(4)
        for i in range(n):
            with open(os.path.join(d, f"seed{i:03d}"), "wb") as f:
                f.write(rng.randbytes(rng.randint(256, 4096)))
    return d


def missing_anchors():
    """Bugs whose line is not exactly once in its file: a refactor of core
    would otherwise turn such a bug into a silently skipped row."""
    bad = []
    for name, path, old, _new, _what in BUGS + VALIDATOR_BUGS + INDEX_BUGS:
        try:
            with open(os.path.join(ROOT, path)) as f:
                n = f.read().count(old)
        except OSError:
            n = 0
        if n != 1:
            bad.append((name, path, n))
    return bad


def cmd_seeded(args):
    if args.check_anchors:
        bad = missing_anchors()
        for name, path, n in bad:
            print(f"{name}: its line occurs {n} times in {path} (must be exactly once)")
        print(f"{len(BUGS) + len(VALIDATOR_BUGS) + len(INDEX_BUGS) - len(bad)} of "
              f"{len(BUGS) + len(VALIDATOR_BUGS) + len(INDEX_BUGS)} seeded-bug lines found exactly once in core")
        return 1 if bad else 0
    if not have("clang"):
        die("seeded-bugs needs clang (the fuzz build)")
    index = getattr(args, "index", False)
    pool = VALIDATOR_BUGS if args.validator else INDEX_BUGS if index else BUGS
    if args.validator and args.targets == "abac-typed,abac":
        args.targets = "validation,validation-sound"
    if index and args.targets == "abac-typed,abac":
        args.targets = "index"
    targets = args.targets.split(",")
    bugs = [b for b in pool if not args.only or b[0] in args.only.split(",")]
    out = os.path.join(OUT, "seeded-bugs", utc_stamp())
    logs_dir = os.path.join(out, "logs")
    os.makedirs(logs_dir)
    scratch = tempfile.mkdtemp(prefix="drt-seeded-")
    tree, bdir, work = os.path.join(scratch, "src"), os.path.join(scratch, "build"), \
        os.path.join(scratch, "work")
    log(f"seeded bugs: copying the tree to {tree}")
    _copy_tree(tree)
    names = [f"fuzz-{t}" for t in targets]
    with open(os.path.join(logs_dir, "build.log"), "wb") as lf:
        subprocess.run(["cmake", "-S", tree, "--preset", "fuzz", "-B", bdir, "-DCEDAR_WERROR=OFF",
                        "-DBUILD_TESTING=OFF"], stdout=lf, stderr=subprocess.STDOUT, check=True)
        log("seeded bugs: building the fuzz targets (once; each bug rebuilds one file)")
        if not _build(tree, bdir, names, lf):
            die(f"the fuzz build failed: see {rel(os.path.join(logs_dir, 'build.log'))}")
    rows = []
    if not args.no_baseline:
        log(f"baseline (no bug): {args.baseline} s")
        found, first = _hunt(tree, bdir, targets, args.baseline, work, logs_dir, "baseline",
                             not getattr(args, "empty", False), args.wall_cap)
        rows.append(("baseline (no bug)", "", found, first, "must not fail"))
    for name, path, old, new, what in bugs:
        src = os.path.join(tree, path)
        with open(src) as f:
            text = f.read()
        if text.count(old) != 1:
            log(f"{name}: the line is not (exactly once) in {path}; skipped")
            rows.append((name, path, None, "line not found: core changed?", what))
            continue
        with open(src, "w") as f:
            f.write(text.replace(old, new))
        try:
            with open(os.path.join(logs_dir, f"{name}.build.log"), "wb") as lf:
                ok = _build(tree, bdir, names, lf)
            if not ok:
                rows.append((name, path, None, "build failed", what))
                continue
            log(f"{name}: hunting ({', '.join(targets)}, up to {args.timeout} CPU s each)")
            found, first = _hunt(tree, bdir, targets, args.timeout, work, logs_dir, name,
                                 not getattr(args, "empty", False), args.wall_cap)
            rows.append((name, path, found, first, what))
            best = _best(found)
            log(f"{name}: " + (f"caught in {best[0]} s CPU ({best[1]} s wall)" if best
                               else "NOT caught"))
        finally:
            with open(src, "w") as f:
                f.write(text)
    shutil.rmtree(scratch, ignore_errors=True)
    _report(out, rows, targets, args)


def _best(found):
    """(cpu, wall) of the target that caught the bug with the least CPU, or None."""
    return min((v for v in found.values() if v is not None), default=None)


def _report(out, rows, targets, args):
    start = "an empty corpus" if getattr(args, "empty", False) else (
        "corpus/<target> (" + ", ".join(f"{t}: {len(list_files(corpus_dir(t)))} inputs"
                                        for t in targets) + ") and 64 random inputs as seeds")
    load = os.getloadavg()
    lines = [f"# Seeded bugs ({utc_stamp()})", "",
             f"Targets {', '.join(targets)}, one process each, from {start}, timeout "
             f"{args.timeout} CPU seconds per process (wall cap {args.wall_cap} s). Each cell: "
             "CPU seconds (user+sys of that fuzzer process) to the first failure, and wall "
             "seconds in brackets (— = not caught; stopped = stopped when another target "
             f"caught it). Load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
             f"on {nproc()} cores.", "",
             "| bug | what | " + " | ".join(targets) + " | caught in CPU s (wall s) | first report line |",
             "| --- | --- | " + " | ".join("---:" for _ in targets) + " | ---: | --- |"]
    caught = []
    per_target = {t: [] for t in targets}
    for name, path, found, first, what in rows:
        if found is None:
            lines.append(f"| {name} | {what} | " + " | ".join("" for _ in targets) +
                         f" | n/a | {first} |")
            continue
        best = _best(found)
        # a target still running when another caught the bug was stopped then
        cells = [(f"{found[t][0]} ({found[t][1]})" if found[t] is not None else "stopped"
                  if best is not None else "—") for t in targets]
        if not name.startswith("baseline"):
            caught.append((name, best))
            for t in targets:
                per_target[t].append(found[t])
        first = first.replace("|", "\\|")
        lines.append(f"| {name} | {what} | " + " | ".join(cells) +
                     f" | {'—' if best is None else f'{best[0]} ({best[1]})'} | {first} |")
    n = len(caught)
    got = [b for _, b in caught if b is not None]
    missed = [name for name, b in caught if b is None]
    lines.append("")
    lines.append(f"Caught {len(got)} of {n} bugs; median time to detection "
                 f"{_median([b and b[0] for _, b in caught], args.timeout)} CPU s (a miss counts "
                 f"as the timeout), {_median([b and b[1] for _, b in caught], args.wall_cap)} "
                 "wall s (a miss counts as the wall cap).")
    if missed:
        lines.append(f"Missed: {', '.join(missed)}.")
    for t in targets:
        lines.append(f"- caught by {t}: {sum(v is not None for v in per_target[t])} of {n}")
    lines.append("")
    lines.append("Each target runs in one process; a bug's time is that of the target that "
                 "reported it with the least CPU (the others are then stopped). CPU time does "
                 "not depend on the machine's load the way wall time does.")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(text)
    print(text)
    log(f"report: {rel(os.path.join(out, 'report.md'))}")


def _median(xs, timeout):
    vals = [timeout if x is None else x for x in xs]
    return round(statistics.median(vals), 1) if vals else "n/a"
