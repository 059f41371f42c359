"""drt coverage: llvm-cov HTML of core under the saved corpus (coverage preset)."""
import glob
import os
import re
import shutil
import subprocess

from .common import (OUT, COV_BUILD, ROOT, corpus_dir, die, findings_dir, list_files, log, nproc, rel,
                     run, targets)

KEY_FILES = ["core/src/cd_eval.c", "core/src/cd_authz.c"]
# The groups issue 14 holds to 90% line coverage from the corpora.
GROUPS = [
    ("lexer", ["cd_lex.c", "cd_unescape.c", "cd_escape_tables.c"]),
    ("parser", ["cd_parse.c", "cd_parse_expr.c", "cd_ast_chain.c", "cd_schema_text.c"]),
    ("JSON readers", ["cd_json_parse.c", "cd_json_value.c", "cd_json_tree.c",
                      "cd_schema_json.c", "cd_request.c", "cd_policy_json_read.c",
                      "cd_json_direct.c", "cd_entities_read.c", "cd_request_read.c"]),
    ("entity store", ["cd_entities.c", "cd_hier.c", "cd_conform.c"]),
    ("extensions", ["cd_ext.c", "cd_ext_decimal.c", "cd_ext_ip.c", "cd_ext_datetime.c"]),
]


def group_lines(report):
    """Per group and per file: (covered, total) lines from `llvm-cov report` text."""
    per_file = {}
    for ln in report.splitlines():
        cells = ln.split()
        if len(cells) >= 10 and cells[0].endswith(".c") and cells[7].isdigit():
            per_file[os.path.basename(cells[0])] = (int(cells[7]) - int(cells[8]), int(cells[7]))
    out = []
    for name, files in GROUPS:
        got = [(f, per_file[f]) for f in files if f in per_file]
        cov = sum(c for _, (c, _) in got)
        tot = sum(t for _, (_, t) in got)
        out.append((name, cov, tot, got))
    return out


def _tool(name):
    for cand in (name, *sorted(glob.glob(f"/usr/bin/{name}-*"), reverse=True)):
        if shutil.which(cand):
            return cand
    die(f"{name} is missing (Debian package llvm)")


def cmd_coverage(args):
    from .build import build_cov
    if args.seconds:
        # grow the corpus first: abac and abac-typed, the time split between them
        from .build import build_fuzz
        from .nightly import nightly
        if not args.no_build:
            build_fuzz()
        nightly(args.seconds, args.jobs or nproc(), ["abac", "abac-typed"], kind="coverage-runs",
                plot=False)
    if not args.no_build:
        build_cov()
    drt = os.path.join(COV_BUILD, "drt", "drt-run")
    out = os.path.join(OUT, "coverage")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "prof"))
    env = dict(os.environ, LLVM_PROFILE_FILE=os.path.join(out, "prof", "%p-%m.profraw"))
    # In process (no --keep-going: that forks a child per input, which exits
    # without writing its profile); a folder with a failing input (an open
    # finding aborts) is redone one file at a time, so only that input is lost.
    for t in targets():
        for d in (corpus_dir(t), findings_dir(t)):
            if not os.path.isdir(d) or not list_files(d):
                continue
            r = subprocess.run([drt, t, d], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            if r.returncode != 0:
                log(f"coverage: an input of {rel(d)} fails; replaying its files one by one")
                for f in list_files(d):
                    subprocess.run([drt, t, os.path.join(d, f)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    profs = glob.glob(os.path.join(out, "prof", "*.profraw"))
    if not profs:
        die("no profile written (is drt-run built with -fprofile-instr-generate?)")
    data = os.path.join(out, "drt.profdata")
    run([_tool("llvm-profdata"), "merge", "-sparse", "-o", data, *profs], quiet=True)
    cov = _tool("llvm-cov")
    srcs = sorted(glob.glob(os.path.join(ROOT, "core", "src", "*.c")))
    run([cov, "show", drt, f"-instr-profile={data}", "-format=html",
         f"-output-dir={os.path.join(out, 'html')}", "-show-line-counts-or-regions", *srcs],
        quiet=True)
    r = run([cov, "report", drt, f"-instr-profile={data}", *srcs], quiet=True,
            capture_output=True, text=True)
    with open(os.path.join(out, "report.txt"), "w") as f:
        f.write(r.stdout)
    print(f"drt coverage: HTML at {rel(os.path.join(out, 'html', 'index.html'))}")
    # columns: Filename Regions Missed Cover Functions Missed Executed Lines Missed Cover ...
    for ln in r.stdout.splitlines():
        cells = ln.split()
        if not cells:
            continue
        name = cells[0]
        if any(os.path.basename(name) == os.path.basename(k) for k in KEY_FILES) or name == "TOTAL":
            lines, missed, pct = cells[7], cells[8], cells[9]
            label = "core/src (all)" if name == "TOTAL" else rel(os.path.join(ROOT, "core", "src",
                                                                              os.path.basename(name)))
            print(f"  line coverage {label}: {pct} ({int(lines) - int(missed)}/{lines} lines)")
    for name, cov, tot, files in group_lines(r.stdout):
        pct = 100.0 * cov / tot if tot else 0.0
        detail = ", ".join(f"{f} {100.0 * c / t:.1f}%" for f, (c, t) in files if t)
        print(f"  line coverage {name}: {pct:.1f}% ({cov}/{tot} lines: {detail})")
