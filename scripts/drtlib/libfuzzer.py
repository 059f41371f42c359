"""Running libFuzzer binaries and reading their logs: fuzz, merge, statistics."""
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading

from .common import DICT_DIR, ROOT, _die_with_parent, die, findings_dir, fuzz_path, list_files, log, rel

# "#934794: cov: 21 ft: 84 corp: 36 exec/s 293118 oom/timeout/crash: 0/0/1 time: 2s" (-fork)
_FORK = re.compile(r"^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec/s:? (\d+) "
                   r"oom/timeout/crash: (\d+)/(\d+)/(\d+) time: (\d+)s")
# "#65536\tpulse  cov: 1234 ft: 5678 corp: 100/10Kb ..." (one process)
_PLAIN = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/")
_DONE = re.compile(r"^Done (\d+) runs in (\d+) second")
_STAT = re.compile(r"^stat::(\w+):\s+(\d+)")
# "MERGE-OUTER: 3 new files with 10 new features added; 4 new coverage edges"
_MERGE = re.compile(r"MERGE-OUTER: (\d+) new files with (\d+) new features added; (\d+) new cov")


def fuzz_binary(target):
    p = fuzz_path(target)
    if not os.access(p, os.X_OK):
        die(f"{p} is missing: run `scripts/drt build --fuzz` (needs clang)")
    return p


def parse_log(text):
    """Executions, seconds, coverage (cov/ft), corpus size and crash count from a libFuzzer log."""
    st = {"execs": 0, "seconds": 0, "cov": 0, "ft": 0, "corpus": 0, "crashes": 0,
          "timeouts": 0, "ooms": 0}
    for line in text.splitlines():
        m = _FORK.match(line)
        if m:
            n, cov, ft, corp, _eps, oom, to, cr, t = map(int, m.groups())
            st.update(execs=n, cov=cov, ft=ft, corpus=corp, ooms=oom, timeouts=to,
                      crashes=cr, seconds=t)
            continue
        m = _PLAIN.match(line)
        if m:
            n, cov, ft, corp = map(int, m.groups())
            st.update(execs=n, cov=cov, ft=ft, corpus=corp)
            continue
        m = _DONE.match(line)
        if m:
            st["execs"], st["seconds"] = int(m.group(1)), int(m.group(2))
            continue
        m = _STAT.match(line)
        if m and m.group(1) == "number_of_executed_units":
            st["execs"] = max(st["execs"], int(m.group(2)))
    return st


def _tee(src, log_file):
    """Copy the fuzzer's output to the log and to the terminal (drt run)."""
    for chunk in iter(lambda: src.read1(65536), b""):
        log_file.write(chunk)
        log_file.flush()
        sys.stderr.buffer.write(chunk)
        sys.stderr.flush()


def fuzz(target, work, seeds, seconds, jobs, log_path, extra=(), keep_going=True, on_start=None,
         heartbeat=None, echo=False):
    """Fuzz `target` for `seconds` (None: until interrupted): new inputs go to
    `work` (libFuzzer's writable corpus), `seeds` dirs are read only, findings go
    straight to corpus/findings/. The fuzzer runs in its own process group;
    on_start(pgid) lets the caller record it, heartbeat() is called every few
    seconds while it runs. echo: show its output too (it always goes to the log)."""
    os.makedirs(work, exist_ok=True)
    os.makedirs(findings_dir(target), exist_ok=True)
    cmd = [fuzz_binary(target), f"-artifact_prefix={findings_dir(target)}/",
           "-print_final_stats=1", "-timeout=20", "-rss_limit_mb=4096", "-max_len=4096",
           "-len_control=0"]
    if seconds is not None:
        cmd.append(f"-max_total_time={max(1, int(seconds))}")
    d = dict_file(target, os.path.join(os.path.dirname(work), "dict"))
    if d:
        cmd.append(f"-dict={d}")
    # -len_control=0: the generators need a few hundred bytes for a case with
    # real policies; libFuzzer's default keeps inputs at a few bytes for long
    # (whose cases are the generator's minimal one: no condition to evaluate)
    if jobs > 1:
        cmd.append(f"-fork={jobs}")
    if keep_going:
        # keep every finding and go on (fork mode); one process stops at the first
        cmd += ["-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1"]
    cmd += list(extra) + [work] + [s for s in seeds if os.path.isdir(s)]
    how = f"{int(seconds)} s" if seconds is not None else "until interrupted"
    log(f"fuzz {target}: {how}, {jobs} job(s), log {rel(log_path)}")
    if echo:
        log("$ " + " ".join(cmd))
    with open(log_path, "ab") as lf:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE if echo else lf,
                             stderr=subprocess.STDOUT, cwd=os.path.dirname(work),
                             preexec_fn=_die_with_parent, start_new_session=True)
        tee = None
        if echo:
            tee = threading.Thread(target=_tee, args=(p.stdout, lf), daemon=True)
            tee.start()
        if on_start:
            on_start(p.pid)
        try:
            while True:
                try:
                    p.wait(timeout=1)
                    break
                except subprocess.TimeoutExpired:
                    if heartbeat:
                        heartbeat()
        except KeyboardInterrupt:
            kill_group(p.pid)
            raise
        finally:
            kill_group(p.pid)  # fork-mode jobs left behind, if any
            if tee:
                tee.join(5)
    with open(log_path, errors="replace") as lf:
        return p.returncode, parse_log(lf.read())


def kill_group(pgid):
    """SIGKILL what is left of a fuzzer's process group (only processes running a
    fuzz-* binary: a reused group id never hits a stranger)."""
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read()
            pgrp = int(stat[stat.rindex(b")") + 2:].split()[2])
            if pgrp != pgid:
                continue
            with open(f"/proc/{d}/cmdline", "rb") as f:
                if b"fuzz-" in f.read():
                    os.kill(int(d), signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            continue


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:  # another file system: a copy does as well
        shutil.copyfile(src, dst)


def _control_totals(path):
    """Features (FT) and edges (COV) of all inputs of a merge, from libFuzzer's
    control file ("FT <i> <f>..." and "COV <i> <e>..." lines): the coverage of
    the merged corpus as a whole."""
    ft, cov = set(), set()
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if line.startswith("FT "):
                    ft.update(line.split()[2:])
                elif line.startswith("COV "):
                    cov.update(line.split()[2:])
    except OSError:
        return None, None
    return len(ft), len(cov)


def merge_into(target, dest, sources, tmp, log_path, edges_only=True, known=()):
    """Add to `dest` only the inputs of `sources` that bring coverage `dest` lacks,
    atomically. `tmp` starts as hard links to `dest`'s files, so that libFuzzer
    (-merge=1 tmp sources...) counts `dest`'s features as known and writes into
    `tmp` only inputs with new ones (with an empty first folder it would re-pick
    the whole corpus, smaller new inputs displacing old ones: a short run then
    "added" about as many files as the corpus holds). Each file `dest` lacks is
    then renamed into it (same file system: a rename is atomic). Nothing is ever
    removed from `dest`, and the merge can be repeated after a kill.

    edges_only: coverage is edges (-use_counters=0), as for the tracked corpus/;
    otherwise libFuzzer's features, which also count a known edge taken more
    often (hit-count buckets 1, 2, 3, 4-7, ...) as new: a 60 s `drt quick` kept
    330 and 322 inputs of abac and abac-typed so, against 1 and 44 by edges, for
    the same edges (nightly keeps such a full-feature corpus outside the tree).
    known: folders whose coverage counts as had (linked into `tmp` too) but
    whose files are not copied into `dest`.

    Returns {added, new_ft, new_cov, ft, cov}: the inputs added, the features
    and edges they add, and those of the merged corpus as a whole (from the
    control file); or None when the merge failed (the inputs then stay where
    they are)."""
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    os.makedirs(dest, exist_ok=True)
    srcs = [s for s in sources if os.path.isdir(s) and list_files(s)]
    if not srcs:
        return {"added": 0, "new_ft": 0, "new_cov": 0, "ft": None, "cov": None}
    have = set(list_files(dest))
    for f in have:
        _link_or_copy(os.path.join(dest, f), os.path.join(tmp, f))
    skip = set(have)
    for k in known:
        for f in list_files(k) if os.path.isdir(k) else []:
            if f not in skip:
                _link_or_copy(os.path.join(k, f), os.path.join(tmp, f))
                skip.add(f)
    control = tmp.rstrip(os.sep) + ".control"
    cmd = [fuzz_binary(target), "-merge=1", "-timeout=20", "-rss_limit_mb=4096",
           f"-merge_control_file={control}", f"-artifact_prefix={findings_dir(target)}/"]
    if edges_only:
        cmd.append("-use_counters=0")
    cmd += [tmp, *srcs]
    start = os.path.getsize(log_path) if os.path.exists(log_path) else 0
    with open(log_path, "ab") as lf:
        r = subprocess.run(cmd, stdout=lf, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
    if r.returncode != 0:
        log(f"merge of {target} failed ({r.returncode}); see {log_path}")
        return None
    with open(log_path, errors="replace") as lf:
        lf.seek(start)
        m = _MERGE.search(lf.read())
    ft, cov = _control_totals(control)
    added = 0
    for f in list_files(tmp):
        if f not in skip:
            os.rename(os.path.join(tmp, f), os.path.join(dest, f))
            added += 1
    shutil.rmtree(tmp, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.remove(control)
    return {"added": added, "new_ft": int(m.group(2)) if m else None,
            "new_cov": int(m.group(3)) if m else None, "ft": ft, "cov": cov}


def dict_families(target):
    """The dictionary families (drt/dict/<family>.dict) of a target, from drt/dict/targets:
    only targets that read text get one (see drt/dict/README.md)."""
    try:
        with open(os.path.join(DICT_DIR, "targets")) as f:
            for line in f:
                words = line.split("#")[0].split()
                if words and words[0].rstrip(":") == target:
                    return words[1:]
    except OSError:
        pass
    return []


def dict_file(target, out_dir):
    """The libFuzzer dictionary of a target (its families concatenated, since
    libFuzzer takes one -dict), written into out_dir; None for a target without one."""
    fams = dict_families(target)
    if not fams:
        return None
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{target}.dict")
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as out:
        for fam in fams:
            with open(os.path.join(DICT_DIR, f"{fam}.dict")) as f:
                out.write(f.read())
    os.replace(tmp, path)
    return path


def reproduce(target, files, extra=()):
    """Run the sanitized libFuzzer binary on each file, as `cargo fuzz run T ARTIFACT`
    does: libFuzzer prints the report of a crash and exits nonzero. Returns its status."""
    cmd = [fuzz_binary(target), *extra, *files]
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, preexec_fn=_die_with_parent).returncode
