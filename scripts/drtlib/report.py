"""Nightly reports: Markdown and JSON per run, a history file, a PNG plot."""
import json
import os
import subprocess
import time

from .common import ROOT, corpus_dir, finding_files, findings_dir, have, list_files, log, rel


def _target_report(ts, t):
    segs = [s for s in ts["segments"] if s.get("stats")]
    execs = sum(s["stats"]["execs"] for s in segs)
    secs = sum(s["stats"]["seconds"] or round(s.get("end", s["start"]) - s["start"]) for s in segs)
    last = segs[-1]["stats"] if segs else {}
    new_findings = sorted(set(finding_files(t)) - set(ts.get("findings_before", [])))
    return {
        "status": ts["status"],
        "seconds": secs,
        "execs": execs,
        "execs_per_s": round(execs / secs) if secs else 0,
        # edges of corpus/<t> after the merge (the fuzzing log's when no merge
        # measured them); features as the fuzzer last counted them (seeds and
        # new inputs: the merge into corpus/<t> counts edges only)
        "cov": ts.get("corpus_cov") or last.get("cov", 0),
        "ft": last.get("ft", 0),
        "corpus_before": ts.get("corpus_before", 0),
        "corpus_after": len(list_files(corpus_dir(t))),
        "new_inputs": ts.get("new_inputs", 0),
        "findings_new": len(new_findings),
        "findings_total": len(finding_files(t)),
        "new_findings": [rel(os.path.join(findings_dir(t), f)) for f in new_findings],
        "interruptions": ts.get("interruptions", 0),
        "crashes_seen": sum(s["stats"].get("crashes", 0) for s in segs),
    }


def write_run(run_dir, st):
    rep = {"run": st["stamp"], "kind": st["kind"], "budget": st["budget"], "jobs": st["jobs"],
           "started": st["started"], "ended": st.get("ended", time.time()),
           "elapsed": st["elapsed"], "targets": {}}
    for t in st["targets"]:
        rep["targets"][t] = _target_report(st["per_target"][t], t)
    with open(os.path.join(run_dir, "report.json"), "w") as f:
        json.dump(rep, f, indent=1, sort_keys=True)
    lines = [f"# DRT {st['kind']} run {st['stamp']}", "",
             f"Budget {st['budget']} s on {st['jobs']} job(s); {st['elapsed']:.0f} s used"
             f" (wall clock {rep['ended'] - st['started']:.0f} s).", "",
             "| target | status | seconds | executions | execs/s | cov | ft | corpus before → after"
             " | new inputs | new findings | findings kept |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for t, r in rep["targets"].items():
        st_txt = r["status"] + (f" ({r['interruptions']} interruption)" if r["interruptions"] else "")
        lines.append(f"| {t} | {st_txt} | {r['seconds']} | {r['execs']} | {r['execs_per_s']} | "
                     f"{r['cov']} | {r['ft']} | {r['corpus_before']} → {r['corpus_after']} | "
                     f"{r['new_inputs']} | {r['findings_new']} | {r['findings_total']} |")
    found = [(t, f) for t, r in rep["targets"].items() for f in r["new_findings"]]
    lines += ["", "cov: code edges covered by corpus/<target> after the merge (which keeps inputs"
              " with new edges only), ft: libFuzzer features (edges with hit-count buckets) as"
              " the fuzzer last counted them.", ""]
    if found:
        lines.append("## New findings")
        lines.append("")
        lines.append("Reproduce one with `scripts/drt repro TARGET FILE`; once understood and fixed,"
                     " `scripts/drt export TARGET FILE NAME` makes it a regression test.")
        lines.append("")
        for t, f in found[:200]:
            lines.append(f"- {t}: `{f}`")
        if len(found) > 200:
            lines.append(f"- ... and {len(found) - 200} more (report.json lists them all)")
    else:
        lines.append("No new findings.")
    lines.append("")
    with open(os.path.join(run_dir, "report.md"), "w") as f:
        f.write("\n".join(lines))
    log(f"report: {rel(os.path.join(run_dir, 'report.md'))} and report.json")
    return rep


def append_history(root, rep):
    """One JSON line per finished run: the plot's data."""
    with open(os.path.join(root, "history.jsonl"), "a") as f:
        f.write(json.dumps({"run": rep["run"], "ended": rep["ended"], "targets": {
            t: {k: r[k] for k in ("execs", "execs_per_s", "cov", "ft", "corpus_after",
                                  "new_inputs", "findings_new", "findings_total")}
            for t, r in rep["targets"].items()}}, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def plot(root):
    """history.png: coverage (libFuzzer's cov) and findings kept, per target, per run."""
    hist = os.path.join(root, "history.jsonl")
    if not have("gnuplot"):
        log("gnuplot is missing (bash scripts/setup.sh installs it): no plot")
        return None
    runs = []
    with open(hist) as f:
        for ln in f:
            try:
                runs.append(json.loads(ln))
            except ValueError:
                pass  # a line cut by a kill
    names = sorted({t for r in runs for t in r["targets"]})
    data_dir = os.path.join(root, "plot-data")
    os.makedirs(data_dir, exist_ok=True)
    for t in names:
        with open(os.path.join(data_dir, f"{t}.dat"), "w") as f:
            for r in runs:
                if t in r["targets"]:
                    x = r["targets"][t]
                    f.write(f"{int(r['ended'])} {x['cov']} {x['ft']} {x['findings_total']}\n")
    png = os.path.join(root, "history.png")
    ends = [int(r["ended"]) for r in runs]
    # one run alone would get an absurd automatic range
    xr = f"set xrange [{min(ends) - 3600}:{max(ends) + 3600}]" if len(set(ends)) == 1 else ""
    cov = ", ".join(f"'{data_dir}/{t}.dat' using 1:2 with linespoints title '{t}'" for t in names)
    fnd = ", ".join(f"'{data_dir}/{t}.dat' using 1:4 with linespoints title '{t}'" for t in names)
    script = f"""
set terminal pngcairo size 1100,800 noenhanced
set output '{png}'
set xdata time
set timefmt '%s'
set format x "%m-%d\\n%H:%M"
{xr}
set key outside right
set grid
set multiplot layout 2,1 title 'cedar-c DRT nightly runs'
set title 'coverage (libFuzzer cov: edges)'
plot {cov}
set title 'findings kept (corpus/findings/<target>)'
set yrange [0:*]
plot {fnd}
unset multiplot
"""
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if r.returncode != 0:
        log(f"gnuplot failed: {r.stderr.strip()}")
        return None
    log(f"plot: {rel(png)}")
    return png
