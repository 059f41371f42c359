"""Shared helpers of scripts/drt: paths, targets, binaries, running commands."""
import ctypes
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The DRT targets (drt/targets/<name>.c); `drt-run --list` is asked first.

# Build folders (the CMake presets' binaryDir); overridable for experiments.
BUILD = os.environ.get("DRT_BUILD_DIR", os.path.join(ROOT, "build"))
FUZZ_BUILD = os.environ.get("DRT_FUZZ_BUILD_DIR", os.path.join(ROOT, "build-fuzz"))
COV_BUILD = os.environ.get("DRT_COV_BUILD_DIR", os.path.join(ROOT, "build-cov"))

# Saved inputs and run outputs; overridable to try the workflow on scratch data.
CORPUS = os.environ.get("DRT_CORPUS_DIR", os.path.join(ROOT, "corpus"))
OUT = os.environ.get("DRT_OUT_DIR", os.path.join(ROOT, "out"))

# libFuzzer dictionaries: drt/dict/<family>.dict, and which targets use which (drt/dict/targets).
DICT_DIR = os.path.join(ROOT, "drt", "dict")

# libFuzzer artifact names: everything it writes through -artifact_prefix.
ARTIFACT_PREFIXES = ("crash-", "timeout-", "oom-", "leak-", "slow-unit-", "mismatch-")


def log(msg):
    print(f"drt: {msg}", file=sys.stderr, flush=True)


def die(msg, code=1):
    log(msg)
    sys.exit(code)


def nproc():
    return os.cpu_count() or 1


def rel(path):
    """A path relative to the repository root when inside it (for reports)."""
    p = os.path.abspath(path)
    return os.path.relpath(p, ROOT) if p.startswith(ROOT + os.sep) else p


def corpus_dir(target):
    return os.path.join(CORPUS, target)


def findings_dir(target):
    return os.path.join(CORPUS, "findings", target)


def sha1_file(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def list_files(d):
    """Regular files directly in d (libFuzzer corpora are flat), sorted."""
    try:
        return sorted(e.name for e in os.scandir(d) if e.is_file() and not e.name.startswith("."))
    except FileNotFoundError:
        return []


def finding_files(target):
    return [f for f in list_files(findings_dir(target)) if f.startswith(ARTIFACT_PREFIXES)]


def write_json_atomic(path, obj):
    """Write JSON so that a reader (or a kill -9) sees the old or the new file, never half."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def utc_stamp(t=None):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))


def _die_with_parent():
    # The child gets SIGKILL when this script dies (even by kill -9), so a killed
    # run leaves no fuzzer behind; the work it saved stays on disk.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def run(cmd, check=True, quiet=False, **kw):
    if not quiet:
        log("$ " + " ".join(cmd))
    r = subprocess.run(cmd, preexec_fn=_die_with_parent, **kw)
    if check and r.returncode != 0:
        die(f"command failed ({r.returncode}): {' '.join(cmd)}")
    return r


def drt_run_path():
    """The standalone driver: $DRT_RUN, or the first build that has it."""
    env = os.environ.get("DRT_RUN")
    if env:
        return env
    for b in (BUILD, FUZZ_BUILD, COV_BUILD):
        p = os.path.join(b, "drt", "drt-run")
        if os.access(p, os.X_OK):
            return p
    return None


def fuzz_path(target):
    return os.path.join(FUZZ_BUILD, "drt", f"fuzz-{target}")


def targets():
    """Target names, as drt-run lists them; before it is built, one per
    drt/targets/*.c (abac_typed.c is abac-typed), in the same order."""
    d = drt_run_path()
    if d:
        r = subprocess.run([d, "--list"], capture_output=True, text=True)
        names = [ln.split()[0] for ln in r.stdout.splitlines() if ln.strip()]
        if r.returncode == 0 and names:
            return names
    src = os.path.join(ROOT, "drt", "targets")
    return sorted(f[:-2].replace("_", "-") for f in os.listdir(src) if f.endswith(".c"))


def check_target(name):
    if name not in targets():
        die(f"unknown target '{name}' (targets: {', '.join(targets())})", 2)
    return name


def have(cmd):
    return shutil.which(cmd) is not None
