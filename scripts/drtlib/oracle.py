"""drt oracle: generated cases replayed through the official engine (cedar-wasm).

Model and core are written by one team and can share a misreading of Cedar.
N random inputs are decoded by a DRT target and exported in the integration-test
format (expected answers from the model), checked by cedar-conformance
--engine both (core and model against those answers), then replayed through
@cedar-policy/cedar-wasm by scripts/oracle/oracle.mjs.
"""
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import time

from .common import OUT, ROOT, die, have, log, nproc, rel, run, utc_stamp
from .replay import conformance_path, drt_run, export_case

MODULES = os.path.join(OUT, "oracle")
TARGET_OF = {"typed": "abac-typed", "loose": "abac"}


def ensure_wasm():
    if os.path.isdir(os.path.join(MODULES, "node_modules", "@cedar-policy", "cedar-wasm")):
        return
    if not have("npm"):
        die("npm is missing (bash scripts/setup.sh installs node and npm)")
    os.makedirs(MODULES, exist_ok=True)
    shutil.copyfile(os.path.join(ROOT, "scripts", "oracle", "package.json"),
                    os.path.join(MODULES, "package.json"))
    run(["npm", "install", "--no-audit", "--no-fund", "--prefix", MODULES])


def random_inputs(args, name):
    """A fresh run folder out/oracle/runs/NAME-STAMP with args.cases random
    inputs (args.min_len..args.max_len bytes, from args.seed or the clock) in
    its inputs/; returns (seed, run folder, inputs folder, cases folder)."""
    seed = args.seed if args.seed is not None else int(time.time())
    out = os.path.join(MODULES, "runs", f"{name}-{utc_stamp()}")
    inputs, cases = os.path.join(out, "inputs"), os.path.join(out, "cases")
    os.makedirs(inputs)
    rng = random.Random(seed)
    for i in range(args.cases):
        with open(os.path.join(inputs, f"{i:06d}"), "wb") as f:
            f.write(rng.randbytes(rng.randint(args.min_len, args.max_len)))
    return seed, out, inputs, cases


def cmd_oracle(args):
    ensure_wasm()
    drt_run()  # build it when missing
    target = TARGET_OF[args.mode]
    seed, out, inputs, cases = random_inputs(args, args.mode)
    log(f"oracle: {args.cases} random inputs (seed {seed}, {args.min_len}..{args.max_len} bytes) "
        f"-> {target} cases in {rel(cases)}")
    t0 = time.time()

    def one(i):
        return export_case(target, os.path.join(inputs, f"{i:06d}"), cases, f"case{i:06d}",
                           options=["--safe-longs"] if args.safe_longs else [])

    with concurrent.futures.ThreadPoolExecutor(args.jobs or nproc()) as ex:
        made = sum(1 for p in ex.map(one, range(args.cases)) if p)
    log(f"oracle: exported {made} of {args.cases} cases in {time.time() - t0:.0f} s")
    if not made:
        die("no case exported")
    # ours: core and model against the exported (model's) answers
    r = subprocess.run([conformance_path(), "-q", "--engine", "both", "--root", ROOT, cases],
                       capture_output=True, text=True)
    summary = [ln for ln in (r.stdout + r.stderr).splitlines() if ln.startswith("conformance:")]
    ours_line = summary[-1] if summary else f"cedar-conformance exited {r.returncode}"
    log(f"core vs model on the exported cases: {ours_line}")
    # official (V8's optimising compiler crashed, "unreachable code" in the
    # deoptimiser, on long runs of the Wasm module: --no-opt avoids it)
    t1 = time.time()
    res_path = os.path.join(out, "oracle.json")
    node = subprocess.run(["node", "--no-opt", os.path.join(ROOT, "scripts", "oracle", "oracle.mjs"), "--root",
                           ROOT, "--modules", os.path.join(MODULES, "node_modules"), "--out",
                           res_path, "--validate", cases], capture_output=True, text=True)
    if not os.path.exists(res_path):
        die(f"oracle.mjs failed: {node.stderr.strip()[:2000]}")
    with open(res_path) as f:
        res = json.load(f)
    res.update(mode=args.mode, target=target, seed=seed, inputs=args.cases, exported=made,
               safe_longs=args.safe_longs,
               core_vs_model=ours_line, seconds=round(time.time() - t0),
               oracle_seconds=round(time.time() - t1))
    with open(res_path, "w") as f:
        json.dump(res, f, indent=1)
    _write_md(out, res)
    print(open(os.path.join(out, "report.md")).read())
    if not args.keep:
        shutil.rmtree(inputs, ignore_errors=True)
    return 1 if res["disagreements"] or res["validation"] else 0


def _write_md(out, res):
    by_kind = {}
    for d in res["disagreements"]:
        by_kind[d["kind"]] = by_kind.get(d["kind"], 0) + 1
    lines = [f"# Oracle run ({res['mode']}: target {res['target']}, seed {res['seed']})", "",
             f"- inputs: {res['inputs']}, cases exported: {res['exported']} "
             f"({res['requests']} requests)",
             f"- core and model against the model's answers: {res['core_vs_model']}",
             f"- official engine (@cedar-policy/cedar-wasm 4.10.0): "
             f"{res['tests'] - len(res['skipped'])} cases, {res['compared']} requests "
             f"compared, {res['agree']} agree, **{len(res['disagreements'])} disagree**",
             f"- longs in entity and context data: "
             f"{'within ±2^53 (drt-run --safe-longs)' if res.get('safe_longs') else 'as generated'}",
             f"- not compared: {len(res.get('stack_overflow', []))} cases overflowed the official "
             f"engine's stack (deep generated expressions)",
             f"- skipped (integers beyond 2^53 in entity or context data): "
             f"{len(res['skipped'])} cases, {res['skipped_big_integer']} requests",
             f"- strict validation of each case's policy set (ours: the model's typechecker, "
             f"which core matches by cedar-conformance): {res['validation_valid']} valid and "
             f"{res['validation_invalid']} invalid for both, "
             f"**{len(res['validation'])} disagree**",
             f"- time: {res['seconds']} s ({res['oracle_seconds']} s in the official engine)", ""]
    if by_kind:
        lines.append("| kind | count |")
        lines.append("| --- | ---: |")
        lines += [f"| {k} | {n} |" for k, n in sorted(by_kind.items())]
        lines.append("")
        for d in res["disagreements"][:50]:
            lines.append(f"- `{rel(d['test'])}` request {d['request']} ({d['kind']}): ours "
                         f"`{json.dumps(d['ours'])}`, official `{json.dumps(d['official'])}`")
    if res["validation"]:
        lines.append("")
        lines.append("Strict validation disagreements:")
        for d in res["validation"][:50]:
            lines.append(f"- `{rel(d['test'])}`: ours {'valid' if d['ours'] else 'invalid'}, "
                         f"official {'valid' if d['official'] else 'invalid'}"
                         + (f" ({'; '.join(d['errors'])[:300]})" if d['errors'] else ""))
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
