"""drt build: the standalone driver (gcc or clang), the fuzz targets, the coverage build."""
import contextlib
import fcntl
import os

from .common import BUILD, COV_BUILD, FUZZ_BUILD, ROOT, die, have, nproc, run, targets


@contextlib.contextmanager
def _build_lock(bdir):
    """One configure+build per build folder at a time: two `drt run`s started
    together would otherwise configure the same folder at once, and CMake then
    fails on a half-written cache."""
    os.makedirs(bdir, exist_ok=True)
    with open(os.path.join(bdir, ".drt-build.lock"), "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def _configure(preset, bdir, default_dir, extra=()):
    cmd = ["cmake", "-S", ROOT, "--preset", preset]
    if os.path.abspath(bdir) != os.path.abspath(default_dir):
        cmd += ["-B", bdir]
    run(cmd + list(extra), stdout=open(os.devnull, "w"))


def build_plain():
    with _build_lock(BUILD):
        _build_plain()


def _build_plain():
    run(["cmake", "-S", ROOT, "-B", BUILD, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
         "-DCEDAR_DEVELOPER=ON"],
        stdout=open(os.devnull, "w"))
    run(["cmake", "--build", BUILD, "-j", str(nproc()), "--target", "drt-run", "cedar-conformance"])


def build_fuzz(extra=()):
    if not have("clang"):
        die("the fuzz build needs clang (bash scripts/setup.sh installs it)")
    with _build_lock(FUZZ_BUILD):
        _build_fuzz(extra)


def _build_fuzz(extra):
    _configure("fuzz", FUZZ_BUILD, os.path.join(ROOT, "build-fuzz"), extra)
    # drt-run first: it lists the targets (one per drt/targets/*.c)
    run(["cmake", "--build", FUZZ_BUILD, "-j", str(nproc()), "--target", "drt-run"])
    names = [f"fuzz-{t}" for t in targets()]
    run(["cmake", "--build", FUZZ_BUILD, "-j", str(nproc()), "--target", *names])


def build_cov():
    with _build_lock(COV_BUILD):
        _configure("coverage", COV_BUILD, os.path.join(ROOT, "build-cov"))
        run(["cmake", "--build", COV_BUILD, "-j", str(nproc()), "--target", "drt-run"])


def cmd_build(args):
    if args.fuzz:
        build_fuzz()
    elif args.cov:
        build_cov()
    else:
        build_plain()
