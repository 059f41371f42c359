#!/usr/bin/env python3
"""tests/drt/seeded_hunt.py SOURCE_ROOT: `drt seeded-bugs` times each hunt in
CPU seconds of the fuzzer processes. Fake fuzz binaries (shell scripts in a
scratch build folder) check it:
 - one that burns a little CPU, then writes a crash and exits 1: found, with
   its CPU and wall seconds;
 - one that sleeps 2 s (no CPU), then crashes, under a 1 CPU-second timeout:
   found (a wall-clock timeout would have stopped it first);
 - one that burns CPU forever: stopped once it has used the timeout in CPU
   seconds, not found;
 - one that sleeps forever: stopped by the wall cap, not found.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(sys.argv[1], "scripts"))
from drtlib import seeded  # noqa: E402

HEAD = """#!/bin/bash
for a in "$@"; do case $a in -artifact_prefix=*) p=${a#-artifact_prefix=};; esac; done
"""
FAKES = {
    "crash": "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo x > \"${p}crash-1\"; exit 1\n",
    "slow-crash": "sleep 2; echo x > \"${p}crash-1\"; exit 1\n",
    "burn": "while :; do :; done\n",
    "sleep": "exec sleep 1000\n",
}

fail = 0


def check(ok, what):
    global fail
    if not ok:
        print(f"FAIL: {what}")
        fail += 1


tmp = tempfile.mkdtemp(prefix="drt-hunt-")
try:
    os.makedirs(os.path.join(tmp, "build", "drt"))
    for name, body in FAKES.items():
        path = os.path.join(tmp, "build", "drt", f"fuzz-fake-{name}")
        with open(path, "w") as f:
            f.write(HEAD + body)
        os.chmod(path, 0o755)
    logs = os.path.join(tmp, "logs")
    os.makedirs(logs)

    def hunt(name, timeout, wall_cap):
        found, _ = seeded._hunt(tmp, os.path.join(tmp, "build"), [f"fake-{name}"], timeout,
                                os.path.join(tmp, "work"), logs, name, False, wall_cap)
        return found[f"fake-{name}"]

    got = hunt("crash", 60, 60)
    check(got is not None and len(got) == 2 and got[0] >= 0 and got[1] >= 0,
          f"a crashing fuzzer is found with its CPU and wall seconds (got {got})")
    check(hunt("slow-crash", 1, 60) is not None,
          "a fuzzer that sleeps before it crashes is found under a 1 CPU-second timeout")
    check(hunt("burn", 1, 120) is None, "a fuzzer that never crashes is not found")
    check(hunt("sleep", 1, 2) is None, "a fuzzer that sleeps forever is stopped by the wall cap")
    check(seeded._cpu_seconds(os.getpid()) is not None, "this process's CPU time is readable")
    check(seeded._cpu_seconds(2 ** 22 + 12345) is None, "no CPU time for a process that is gone")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("seeded hunt: " + ("ok" if not fail else f"{fail} failed"))
sys.exit(1 if fail else 0)
