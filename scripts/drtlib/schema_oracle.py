"""drt schema-oracle: schema translation compared with the official engine.

N random inputs are decoded by a DRT target and exported (drt-run --export
writes each case's schema in both formats); scripts/oracle/schema.mjs then
translates every schema both ways with `cedar translate-schema` and compares
with cedar-wasm's schemaToText / schemaToJson (text byte for byte, JSON as
JSON, and the text read back). With --corpus the official conformance data's
schemas are compared too.
"""
import concurrent.futures
import os
import subprocess
import tarfile
import time

from .common import BUILD, OUT, ROOT, die, log, nproc, rel
from .oracle import MODULES, TARGET_OF, ensure_wasm, random_inputs
from .replay import drt_run, export_case


def _corpus_dirs():
    """The conformance data's schema folders (tarballs extracted into out/)."""
    src = os.environ.get("CEDAR_INTEGRATION_TESTS",
                         os.path.join(os.path.dirname(ROOT), "shared", "cedar-integration-tests"))
    if not os.path.isdir(src):
        src = "/work/shared/cedar-integration-tests"
    if not os.path.isdir(src):
        die("no conformance data (set CEDAR_INTEGRATION_TESTS)")
    dest = os.path.join(MODULES, "corpus")
    dirs = [os.path.join(src, "tests"), os.path.join(src, "sample-data")]
    for t in ("corpus-tests", "corpus-tests-json-schemas"):
        d = os.path.join(dest, t)
        if not os.path.isdir(d):
            os.makedirs(dest, exist_ok=True)
            with tarfile.open(os.path.join(src, t + ".tar.gz")) as tf:
                tf.extractall(dest, filter="data")
        dirs.append(d)
    return [d for d in dirs if os.path.isdir(d)]


def cmd_schema_oracle(args):
    ensure_wasm()
    drt_run()
    cedar = os.path.join(BUILD, "core", "cedar")
    if not os.access(cedar, os.X_OK):
        die(f"{rel(cedar)} is missing: build first")
    seed, out, inputs, cases = random_inputs(args, "schema")
    target = TARGET_OF[args.mode]
    t0 = time.time()

    def one(i):
        return export_case(target, os.path.join(inputs, f"{i:06d}"), cases, f"case{i:06d}")

    with concurrent.futures.ThreadPoolExecutor(args.jobs or nproc()) as ex:
        made = sum(1 for p in ex.map(one, range(args.cases)) if p)
    log(f"schema-oracle: {made} of {args.cases} generated cases ({target}, seed {seed}) "
        f"in {time.time() - t0:.0f} s, each schema in both formats")
    dirs = [cases] + (_corpus_dirs() if args.corpus else [])
    r = subprocess.run(["node", "--no-opt", os.path.join(ROOT, "scripts", "oracle", "schema.mjs"),
                        "--modules", os.path.join(MODULES, "node_modules"), "--cedar", cedar, *dirs],
                       capture_output=True, text=True)
    with open(os.path.join(out, "report.txt"), "w") as f:
        f.write(r.stdout + r.stderr)
    lines = (r.stdout + r.stderr).splitlines()
    for ln in lines[:50]:
        print(ln)
    if len(lines) > 50:
        print(f"... ({len(lines) - 50} more lines in {rel(os.path.join(out, 'report.txt'))})")
        print("\n".join(lines[-2:]))
    log(f"schema-oracle: {time.time() - t0:.0f} s in all; report in {rel(out)}")
    return r.returncode
