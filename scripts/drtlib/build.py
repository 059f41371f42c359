"""drt build: the standalone driver (gcc or clang), the fuzz targets, the coverage build."""
import os

from .common import BUILD, COV_BUILD, FUZZ_BUILD, ROOT, die, have, nproc, run, targets


def _configure(preset, bdir, default_dir, extra=()):
    cmd = ["cmake", "-S", ROOT, "--preset", preset]
    if os.path.abspath(bdir) != os.path.abspath(default_dir):
        cmd += ["-B", bdir]
    run(cmd + list(extra), stdout=open(os.devnull, "w"))


def build_plain():
    run(["cmake", "-S", ROOT, "-B", BUILD, "-DCMAKE_BUILD_TYPE=RelWithDebInfo"],
        stdout=open(os.devnull, "w"))
    run(["cmake", "--build", BUILD, "-j", str(nproc()), "--target", "drt-run", "cedar-conformance"])


def build_fuzz(extra=()):
    if not have("clang"):
        die("the fuzz build needs clang (bash scripts/setup.sh installs it)")
    _configure("fuzz", FUZZ_BUILD, os.path.join(ROOT, "build-fuzz"), extra)
    # drt-run first: it lists the targets (one per drt/targets/*.c)
    run(["cmake", "--build", FUZZ_BUILD, "-j", str(nproc()), "--target", "drt-run"])
    names = [f"fuzz-{t}" for t in targets()]
    run(["cmake", "--build", FUZZ_BUILD, "-j", str(nproc()), "--target", *names])


def build_cov():
    _configure("coverage", COV_BUILD, os.path.join(ROOT, "build-cov"))
    run(["cmake", "--build", COV_BUILD, "-j", str(nproc()), "--target", "drt-run"])


def cmd_build(args):
    if args.fuzz:
        build_fuzz()
    elif args.cov:
        build_cov()
    else:
        build_plain()
