"""drt nightly / drt quick: every target within a time budget, on all cores;
drt run TARGET: one target (single), with the same work folder, merge and recovery.

Crash safety (a kill -9 at any moment loses nothing):
- findings are written by libFuzzer itself straight into corpus/findings/<t>/
  (-artifact_prefix), never moved afterwards;
- libFuzzer's writable corpus is a per-run folder RUN/work/<t>/ (corpus/<t>/ is
  only read while fuzzing); after fuzzing it is merged into corpus/<t>/ by
  libfuzzer.merge_into (merge into a temporary folder of hard links to
  corpus/<t>/, so only inputs with new edges are kept, then one atomic
  rename per new file; corpus/<t>/ never loses a file);
- nightly runs also merge it, by libFuzzer's features (hit counts too), into
  out/nightly/full/<t>/ (what corpus/<t>/ does not already cover), outside the
  tree, which later nightly runs read as
  seeds beside corpus/<t>/: the inputs that only add hit counts help the
  fuzzer but would bloat the tracked corpus;
- RUN/state.json (replaced atomically) records each target's phase, RUN/lock
  is held while the run is alive; every run first merges the work folders that
  an interrupted (dead) run of its kind left unmerged, and
  `--resume` continues an interrupted run with the rest of its budget.
"""
import fcntl
import json
import os
import shutil
import signal
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


def full_corpus_dir(t):
    """Nightly's full-feature corpus of t (untracked, under out/)."""
    return os.path.join(runs_root("nightly"), "full", t)


def _seeds(st, t):
    return [corpus_dir(t)] + ([full_corpus_dir(t)] if st["kind"] == "nightly" else [])


def _merge_target(run_dir, st, t):
    """Merge RUN/work/<t> into corpus/<t> (new edges), and for nightly into its
    full-feature corpus; idempotent (safe to repeat after a kill)."""
    ts = st["per_target"][t]
    work = os.path.join(run_dir, "work", t)
    t0 = time.time()
    log_path = os.path.join(run_dir, "logs", f"{t}.merge.log")
    m = libfuzzer.merge_into(t, corpus_dir(t), [work], os.path.join(run_dir, "merge", t), log_path)
    full = None
    if m is not None and st["kind"] == "nightly":
        full = libfuzzer.merge_into(t, full_corpus_dir(t), [work],
                                    os.path.join(run_dir, "merge-full", t), log_path,
                                    edges_only=False, known=[corpus_dir(t)])
    if m is None or (st["kind"] == "nightly" and full is None):
        ts["status"] = "merge-failed"
        _save(run_dir, st)
        return
    added = m["added"]
    ts["new_inputs"] = ts.get("new_inputs", 0) + added
    if m["cov"]:
        # (the edges-only merge counts no hit-count features: ft is the fuzzer's)
        ts["corpus_cov"] = m["cov"]
    ts["merge_seconds"] = ts.get("merge_seconds", 0) + round(time.time() - t0, 1)
    ts["status"] = "merged" if ts["status"] == "fuzzed" else "interrupted-merged"
    _save(run_dir, st)
    if not os.environ.get("DRT_KEEP_WORK"):
        # all it held that adds edges is in corpus/<t> now (and, nightly, what adds
        # features in out/nightly/full/<t>)
        shutil.rmtree(work, ignore_errors=True)
    gain = f" ({m['new_cov']} new edge(s))" if added else ""
    log(f"merge {t}: {added} input(s) with new coverage merged into {rel(corpus_dir(t))}{gain}"
        + (f"; {full['added']} into {rel(full_corpus_dir(t))} (features)" if full else ""))


def _seg_stats(run_dir, t, seg):
    path = os.path.join(run_dir, "logs", f"{t}.{seg}.log")
    try:
        with open(path, errors="replace") as f:
            return libfuzzer.parse_log(f.read())
    except OSError:
        return None


def _lock(run_dir):
    """Held while a run is alive (the kernel drops it when the process dies, even
    by kill -9): recover() leaves a run alone while someone holds it."""
    f = open(os.path.join(run_dir, "lock"), "a")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return None
    _held.append(f)
    return f


_held = []  # the locks of this process's runs (kept open on purpose)


def recover(kind):
    """Merge what interrupted runs left in their work folders; stop their fuzzers.
    Runs still alive (another `drt run` in another terminal) are left alone."""
    root = runs_root(kind)
    if not os.path.isdir(root):
        return
    for name in sorted(os.listdir(root)):
        run_dir = os.path.join(root, name)
        st = _load(run_dir)
        if not st or st.get("finished"):
            continue
        if not _lock(run_dir):
            continue
        if st.get("merge") is False:  # --no-merge: its inputs stay in its work folder
            st["finished"] = True
            _save(run_dir, st)
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
        merged = all(ts["status"] != "merge-failed" for ts in st["per_target"].values())
        if kind != "nightly" and merged:  # only nightly runs can be resumed
            st["finished"] = True
            _save(run_dir, st)


def _new_run(kind, budget, jobs, names, merge=True):
    stamp = utc_stamp()
    run_dir = os.path.join(runs_root(kind), stamp)
    n = 1
    while os.path.exists(run_dir):  # two runs started within the same second
        run_dir = os.path.join(runs_root(kind), f"{stamp}-{n}")
        n += 1
    os.makedirs(os.path.join(run_dir, "logs"), exist_ok=True)
    st = {"stamp": os.path.basename(run_dir), "kind": kind, "budget": budget, "jobs": jobs,
          "targets": names, "started": time.time(), "elapsed": 0.0, "finished": False,
          "merge": merge, "per_target": {}}
    for t in names:
        st["per_target"][t] = {
            "status": "pending", "segments": [], "new_inputs": 0,
            "corpus_before": len(list_files(corpus_dir(t))),
            "findings_before": finding_files(t)}
    _lock(run_dir)
    _save(run_dir, st)
    return run_dir, st


def _latest_unfinished(kind):
    root = runs_root(kind)
    for name in sorted(os.listdir(root), reverse=True) if os.path.isdir(root) else []:
        st = _load(os.path.join(root, name))
        if st and not st.get("finished") and _lock(os.path.join(root, name)):
            return os.path.join(root, name), st
    return None, None


def _leave_unmerged(run_dir, st, t):
    st["per_target"][t]["status"] = "not merged"
    _save(run_dir, st)
    work = os.path.join(run_dir, "work", t)
    log(f"--no-merge: {rel(corpus_dir(t))} untouched; the run's {len(list_files(work))} "
        f"input(s) stay in {rel(work)}")


def nightly(budget, jobs, names, kind="nightly", resume=False, plot=True, merge=True):
    recover(kind)
    run_dir = st = None
    if resume:
        run_dir, st = _latest_unfinished(kind)
        if run_dir:
            log(f"resuming {rel(run_dir)}: {st['elapsed']:.0f} of {st['budget']} s used")
        else:
            log("nothing to resume: starting a new run")
    if not run_dir:
        run_dir, st = _new_run(kind, budget, jobs, names, merge)
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
        fuzz_segment(run_dir, st, t, fuzz_s, tick)
        if st.get("merge", True):
            _merge_target(run_dir, st, t)
        else:
            _leave_unmerged(run_dir, st, t)
        tick()
    return finish(run_dir, st, tick, plot)


def fuzz_segment(run_dir, st, t, seconds, tick, extra=(), keep_going=True, echo=False):
    """Fuzz t for `seconds` (None: until interrupted) into RUN/work/<t>, corpus/<t>
    read only, recording the segment in the state; returns the fuzzer's status."""
    ts = st["per_target"][t]
    seg = len(ts["segments"])
    ts["segments"].append({"start": time.time(), "planned": seconds})
    ts["status"] = "fuzzing"
    tick()

    def started(pgid):
        ts["pgid"] = pgid
        tick()

    last = [0.0]

    def beat():
        if time.time() - last[0] >= 10:
            last[0] = time.time()
            tick()

    # a Ctrl-C propagates with the state at "fuzzing": the caller or the next
    # run's recover() merges the work folder
    rc, stats = libfuzzer.fuzz(t, os.path.join(run_dir, "work", t), _seeds(st, t), seconds,
                               st["jobs"], os.path.join(run_dir, "logs", f"{t}.{seg}.log"),
                               extra=extra, keep_going=keep_going, on_start=started,
                               heartbeat=beat, echo=echo)
    ts["segments"][seg].update(end=time.time(), rc=rc, stats=stats)
    ts["pgid"] = None
    ts["status"] = "fuzzed"
    tick()
    return rc


def finish(run_dir, st, tick, plot=False):
    st["finished"] = True
    st["ended"] = time.time()
    tick()
    rep = report.write_run(run_dir, st)
    kind = st["kind"]
    if kind == "nightly":
        report.append_history(runs_root(kind), rep)
        if plot:
            report.plot(runs_root(kind))
    return run_dir, rep


def single(t, seconds, jobs, extra=(), merge=True):
    """drt run TARGET: fuzz one target (its output on the terminal) into
    out/run/<time>/work/<t> until `seconds` pass, a crash stops it or Ctrl-C;
    then merge the inputs with new coverage into corpus/<t> (unless merge is
    False). Returns (fuzzer status, report)."""
    recover("run")

    def stop(signum, frame):  # `kill PID` stops the run as Ctrl-C does: it merges first
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    run_dir, st = _new_run("run", seconds or 0, jobs, [t], merge)
    log(f"run {rel(run_dir)}: {t}, seeds {rel(corpus_dir(t))} (read only), new inputs into "
        f"{rel(os.path.join(run_dir, 'work', t))}")
    t0 = time.time()

    def tick():
        st["elapsed"] = round(time.time() - t0, 1)
        _save(run_dir, st)

    ts = st["per_target"][t]
    try:
        rc = fuzz_segment(run_dir, st, t, seconds, tick, extra=extra, keep_going=False, echo=True)
    except KeyboardInterrupt:
        rc = 130
        seg = len(ts["segments"]) - 1
        ts["segments"][seg].update(end=time.time(), rc=rc, stats=_seg_stats(run_dir, t, seg))
        ts.update(pgid=None, status="interrupted")
        tick()
        log("interrupted: merging what the run found (interrupt again to leave that to the next run)")
    if merge:
        _merge_target(run_dir, st, t)
    else:
        _leave_unmerged(run_dir, st, t)
    return rc, finish(run_dir, st, tick)[1]


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
    run_dir, rep = nightly(args.seconds, args.jobs or nproc(), names, kind="quick", plot=False,
                           merge=not args.no_merge)
    print(open(os.path.join(run_dir, "report.md")).read())
    bad = sum(r["findings_new"] for r in rep["targets"].values())
    total = sum(r["execs"] for r in rep["targets"].values())
    merged = sum(r["new_inputs"] for r in rep["targets"].values())
    print(f"drt quick: {len(names)} targets, {args.seconds} s, {total} executions, "
          f"{bad} new finding(s)" + (" (see corpus/findings/)" if bad else "") +
          (f", {merged} input(s) with new coverage merged into corpus/" if not args.no_merge
           else ", corpus/ untouched (--no-merge)"))
    return 1 if bad else 0
