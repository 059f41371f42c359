"""repro, export, cmin, tmin: working with saved inputs."""
import json
import os
import shutil
import subprocess
import tempfile
import time

from . import libfuzzer
from .common import (OUT, BUILD, FUZZ_BUILD, ROOT, corpus_dir, die, drt_run_path, findings_dir, list_files, log,
                     rel, run, sha1_file)


def drt_run():
    p = drt_run_path()
    if not p:
        from .build import build_plain
        build_plain()
        p = drt_run_path()
    if not p:
        die("drt-run is missing even after `scripts/drt build`")
    return p


def conformance_path():
    for b in (BUILD, os.path.join(ROOT, "build-fuzz"), os.path.join(ROOT, "build-cov")):
        p = os.path.join(b, "core", "cedar-conformance")
        if os.access(p, os.X_OK):
            return p
    from .build import build_plain
    build_plain()
    return os.path.join(BUILD, "core", "cedar-conformance")


def cmd_repro(args):
    if not args.sanitized:
        return subprocess.run([drt_run(), "--print", args.target, args.file]).returncode
    # the crash report of the sanitized binary, then the case from the fuzz
    # build's drt-run (built with the same sanitizers)
    rc = libfuzzer.reproduce(args.target, [args.file])
    d = os.path.join(FUZZ_BUILD, "drt", "drt-run")
    if not os.access(d, os.X_OK):
        d = drt_run()
    subprocess.run([d, "--print", args.target, args.file])
    log(f"{rel(libfuzzer.fuzz_binary(args.target))}: "
        + ("no crash" if rc == 0 else f"crashed (status {rc}; the report is above the case)"))
    return rc


def export_case(target, file, dest_dir, name=None, options=()):
    """drt-run --export into a scratch folder, then move the files to dest_dir as
    <name>.* with the JSON's paths (relative to the repository root) rewritten.
    Returns the path of the test's JSON, or None when the input makes no case.
    options: drt-run options put before --export (e.g. --safe-longs)."""
    scratch = tempfile.mkdtemp(prefix="export-", dir=OUT)
    try:
        r = subprocess.run([drt_run(), *options, "--export", scratch, target, file], capture_output=True,
                           text=True, cwd=ROOT)
        tests = [f for f in list_files(scratch) if f.endswith(".json")
                 and not f.endswith(".entities.json") and not f.endswith(".cedarschema.json")]
        if r.returncode != 0 or len(tests) != 1:
            log(f"drt-run --export {target} {rel(file)} failed ({r.returncode}): "
                f"{(r.stderr or r.stdout).strip()[:500]}")
            return None
        old = tests[0][:-len(".json")]
        name = name or old
        os.makedirs(dest_dir, exist_ok=True)
        for f in list_files(scratch):
            if f.startswith(old + "."):
                shutil.move(os.path.join(scratch, f), os.path.join(dest_dir, name + f[len(old):]))
        path = os.path.join(dest_dir, name + ".json")
        with open(path) as f:
            test = json.load(f)
        for k in ("policies", "entities", "schema"):
            if k in test:
                test[k] = rel(os.path.join(dest_dir, name + os.path.basename(test[k])[len(old):]))
        with open(path, "w") as f:
            json.dump(test, f, indent=1)
            f.write("\n")
        return path
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def cmd_export(args):
    os.makedirs(OUT, exist_ok=True)
    dest = os.path.join(ROOT, "tests", "regressions")
    name = args.name or f"{args.target}-{sha1_file(args.file)[:12]}"
    path = export_case(args.target, args.file, dest, name)
    if not path:
        return 1
    # the input itself is kept too: corpus/findings/ is replayed by CTest forever
    keep = os.path.join(findings_dir(args.target), "crash-" + sha1_file(args.file))
    if not os.path.exists(keep) and os.path.dirname(os.path.abspath(args.file)) != findings_dir(args.target):
        os.makedirs(findings_dir(args.target), exist_ok=True)
        shutil.copyfile(args.file, keep)
        log(f"kept the input as {rel(keep)}")
    log(f"exported {rel(path)} (expected answers from the model); checking core and model on it:")
    r = subprocess.run([conformance_path(), "--engine", "both", "--root", ROOT, path])
    print(f"git add {rel(dest)}/{name}.* && commit it with the fix")
    return r.returncode


def cmd_cmin(args):
    """Minimise corpus/<t>: keep a subset with the same coverage (libFuzzer -merge)."""
    t = args.target
    d = corpus_dir(t)
    before = list_files(d)
    tmp = os.path.join(OUT, "cmin", t)
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    run([libfuzzer.fuzz_binary(t), "-merge=1", "-timeout=20", "-rss_limit_mb=4096", tmp, d])
    keep = set(list_files(tmp))
    if not keep and before:
        die("the merge kept nothing: leaving the corpus as it is")
    # every kept input is already in d (same content, same sha1 name): drop the rest
    for f in before:
        if f not in keep:
            os.remove(os.path.join(d, f))
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"drt cmin: {t}: {len(before)} -> {len(list_files(d))} inputs")


def cmd_tmin(args):
    """Shrink a failing input while it still fails (libFuzzer -minimize_crash)."""
    t = args.target
    out = os.path.join(OUT, "tmin", t)
    os.makedirs(out, exist_ok=True)
    dest = os.path.join(out, "minimized-" + sha1_file(args.file))
    r = run([libfuzzer.fuzz_binary(t), "-minimize_crash=1", f"-max_total_time={args.seconds}",
             f"-exact_artifact_path={dest}", args.file], check=False)
    if not os.path.exists(dest):
        die(f"no minimized input (does {rel(args.file)} fail? `scripts/drt repro {t} FILE`)")
    print(f"drt tmin: {os.path.getsize(args.file)} -> {os.path.getsize(dest)} bytes: {rel(dest)}")
    print(f"reproduce: scripts/drt repro {t} {rel(dest)}")
    return 0 if r.returncode in (0, 1) else r.returncode


def quick_without_libfuzzer(names, seconds):
    """Without clang: replay the saved corpus, then random inputs, through drt-run."""
    d = drt_run()
    bad = 0
    for t in names:
        dirs = [p for p in (corpus_dir(t), findings_dir(t)) if os.path.isdir(p)]
        if dirs:
            bad += subprocess.run([d, "--keep-going", t, *dirs]).returncode != 0
    tmp = tempfile.mkdtemp(prefix="drt-quick-")
    n, end = 0, time.time() + seconds
    while time.time() < end:
        batch = os.path.join(tmp, str(n))
        os.makedirs(batch)
        for i in range(200):
            with open(os.path.join(batch, str(i)), "wb") as f:
                f.write(os.urandom(64 + (i * 37) % 2000))
        for t in names:
            if subprocess.run([d, "--keep-going", t, batch], capture_output=True).returncode:
                bad += 1
                # keep the batch: `drt-run t DIR` finds the failing input again
                keep = os.path.join(OUT, "quick-findings", t, f"batch{n}")
                shutil.copytree(batch, keep, dirs_exist_ok=True)
                log(f"{t}: a failing input in {rel(keep)} (drt-run {t} {rel(keep)})")
        n += 1
        shutil.rmtree(batch)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"drt quick (no clang: standalone driver): {n * 200} random inputs per target, "
          f"{bad} failing batch(es)")
    return 1 if bad else 0
