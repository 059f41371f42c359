"""drt nightly / drt quick: every target within a time budget, on all cores.

Crash safety (a kill -9 at any moment loses nothing):
- findings are written by libFuzzer itself straight into corpus/findings/<t>/
  (-artifact_prefix), never moved afterwards;
- libFuzzer's writable corpus is a per-run folder RUN/work/<t>/ (corpus/<t>/ is
  only read while fuzzing); after fuzzing it is merged into corpus/<t>/ by
  libfuzzer.merge_into (merge into a temporary folder, then one atomic rename
  per new file; corpus/<t>/ never loses a file);
- RUN/state.json (replaced atomically) records each target's phase; every run
  first merges the work folders that an interrupted run left unmerged, and
  `--resume` continues an interrupted run with the rest of its budget.
"""
import json
import os
import shutil
import time

from . import libfuzzer, report
from .common import (OUT, ROOT, corpus_dir, fuzz_path, finding_files, findings_dir, list_files, log, nproc, rel,
                     targets, utc_stamp, write_json_atomic)

# abac and abac-typed are where the disagreements are: they get more of the budget.
WEIGHTS = {"abac": 3, "abac-typed": 3}


def runs_root(kind):
    return os.path.join(OUT, kind)


def _load(run_dir):
    try:
        with open(os.path.join(run_dir, "state.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _save(run_dir, st):
    write_json_atomic(os.path.join(run_dir, "state.json"), st)


def _merge_target(run_dir, st, t):
    """Merge RUN/work/<t> into corpus/<t>; idempotent (safe to repeat after a kill)."""
    ts = st["per_target"][t]
    work = os.path.join(run_dir, "work", t)
    t0 = time.time()
    m = libfuzzer.merge_into(t, corpus_dir(t), [work], os.path.join(run_dir, "merge", t),
                             os.path.join(run_dir, "logs", f"{t}.merge.log"))
    if m is None:
        ts["status"] = "merge-failed"
        _save(run_dir, st)
        return
    added = m["added"]
    ts["new_inputs"] = ts.get("new_inputs", 0) + added
    if m["cov"] is not None:
        ts["corpus_cov"], ts["corpus_ft"] = m["cov"], m["ft"]
    ts["merge_seconds"] = ts.get("merge_seconds", 0) + round(time.time() - t0, 1)
    ts["status"] = "merged" if ts["status"] == "fuzzed" else "interrupted-merged"
    _save(run_dir, st)
    if not os.environ.get("DRT_KEEP_WORK"):
        # all it held that adds coverage is in corpus/<t> now
        shutil.rmtree(work, ignore_errors=True)
    log(f"merge {t}: {added} new input(s) into {rel(corpus_dir(t))}")


def _seg_stats(run_dir, t, seg):
    path = os.path.join(run_dir, "logs", f"{t}.{seg}.log")
    try:
        with open(path, errors="replace") as f:
            return libfuzzer.parse_log(f.read())
    except OSError:
        return None


def recover(kind):
    """Merge what interrupted runs left in their work folders; stop their fuzzers."""
    root = runs_root(kind)
    if not os.path.isdir(root):
        return
    for name in sorted(os.listdir(root)):
        run_dir = os.path.join(root, name)
        st = _load(run_dir)
        if not st or st.get("finished"):
            continue
        for t, ts in st["per_target"].items():
            if ts.get("pgid"):
                libfuzzer.kill_group(ts["pgid"])
                ts["pgid"] = None
            if ts["status"] in ("fuzzing", "fuzzed", "interrupted", "merge-failed"):
                if ts["status"] == "fuzzing":
                    # the segment the kill cut short: its log says how far it got
                    seg = len(ts["segments"]) - 1
                    stats = _seg_stats(run_dir, t, seg)
                    if stats:
                        ts["segments"][seg]["stats"] = stats
                    ts["status"] = "interrupted"
                    ts["interruptions"] = ts.get("interruptions", 0) + 1
                log(f"recover {name}/{t}: merging its work folder")
                _merge_target(run_dir, st, t)


def _new_run(kind, budget, jobs, names):
    stamp = utc_stamp()
    run_dir = os.path.join(runs_root(kind), stamp)
    os.makedirs(os.path.join(run_dir, "logs"), exist_ok=True)
    st = {"stamp": stamp, "kind": kind, "budget": budget, "jobs": jobs, "targets": names,
          "started": time.time(), "elapsed": 0.0, "finished": False, "per_target": {}}
    for t in names:
        st["per_target"][t] = {
            "status": "pending", "segments": [], "new_inputs": 0,
            "corpus_before": len(list_files(corpus_dir(t))),
            "findings_before": finding_files(t)}
    _save(run_dir, st)
    return run_dir, st


def _latest_unfinished(kind):
    root = runs_root(kind)
    for name in sorted(os.listdir(root), reverse=True) if os.path.isdir(root) else []:
        st = _load(os.path.join(root, name))
        if st and not st.get("finished"):
            return os.path.join(root, name), st
    return None, None


def nightly(budget, jobs, names, kind="nightly", resume=False, plot=True):
    recover(kind)
    run_dir = st = None
    if resume:
        run_dir, st = _latest_unfinished(kind)
        if run_dir:
            log(f"resuming {rel(run_dir)}: {st['elapsed']:.0f} of {st['budget']} s used")
        else:
            log("nothing to resume: starting a new run")
    if not run_dir:
        run_dir, st = _new_run(kind, budget, jobs, names)
        log(f"{kind} run {rel(run_dir)}: {budget} s over {', '.join(names)}, {jobs} job(s)")
    session_t0, elapsed0 = time.time(), st["elapsed"]

    def tick():
        st["elapsed"] = round(elapsed0 + time.time() - session_t0, 1)
        _save(run_dir, st)

    for i, t in enumerate(st["targets"]):
        ts = st["per_target"][t]
        if ts["status"] not in ("pending", "interrupted-merged"):
            continue
        if not os.access(fuzz_path(t), os.X_OK):
            log(f"{t}: {rel(fuzz_path(t))} is missing (scripts/drt build --fuzz): skipped")
            ts["status"] = "skipped (no binary)"
            tick()
            continue
        left = [u for u in st["targets"][i:]
                if st["per_target"][u]["status"] in ("pending", "interrupted-merged")]
        remaining = st["budget"] - st["elapsed"]
        share = remaining * WEIGHTS.get(t, 1) / sum(WEIGHTS.get(u, 1) for u in left)
        # leave time for the merge that follows
        fuzz_s = int(share - max(3, 0.05 * share))
        if fuzz_s < 2:
            log(f"{t}: no budget left")
            ts["status"] = "skipped"
            tick()
            continue
        seg = len(ts["segments"])
        ts["segments"].append({"start": time.time(), "planned": fuzz_s})
        ts["status"] = "fuzzing"
        tick()

        def started(pgid, ts=ts):
            ts["pgid"] = pgid
            tick()

        last = [0.0]

        def beat():
            if time.time() - last[0] >= 10:
                last[0] = time.time()
                tick()

        rc, stats = libfuzzer.fuzz(t, os.path.join(run_dir, "work", t), [corpus_dir(t)], fuzz_s,
                                   st["jobs"], os.path.join(run_dir, "logs", f"{t}.{seg}.log"),
                                   on_start=started, heartbeat=beat)
        ts["segments"][seg].update(end=time.time(), rc=rc, stats=stats)
        ts["pgid"] = None
        ts["status"] = "fuzzed"
        tick()
        _merge_target(run_dir, st, t)
        tick()
    st["finished"] = True
    st["ended"] = time.time()
    tick()
    rep = report.write_run(run_dir, st)
    if kind == "nightly":
        report.append_history(runs_root(kind), rep)
        if plot:
            report.plot(runs_root(kind))
    return run_dir, rep


def cmd_nightly(args):
    from .build import build_fuzz
    names = args.targets.split(",") if args.targets else targets()
    if not args.no_build:
        build_fuzz()
    run_dir, rep = nightly(args.budget, args.jobs or nproc(), names, resume=args.resume,
                           plot=not args.no_plot)
    print(open(os.path.join(run_dir, "report.md")).read())


def cmd_quick(args):
    """A short DRT run for a fresh machine: abac and abac-typed, 60 s in all."""
    from .build import build_fuzz
    from .common import have
    names = ["abac", "abac-typed"]
    if not have("clang") and not os.environ.get("DRT_FUZZ_BUILD_DIR"):
        from .replay import quick_without_libfuzzer
        return quick_without_libfuzzer(names, args.seconds)
    if not args.no_build:
        build_fuzz()
    run_dir, rep = nightly(args.seconds, args.jobs or nproc(), names, kind="quick", plot=False)
    print(open(os.path.join(run_dir, "report.md")).read())
    bad = sum(r["findings_new"] for r in rep["targets"].values())
    total = sum(r["execs"] for r in rep["targets"].values())
    print(f"drt quick: {len(names)} targets, {args.seconds} s, {total} executions, "
          f"{bad} new finding(s)" + (" (see corpus/findings/)" if bad else ""))
    return 1 if bad else 0
