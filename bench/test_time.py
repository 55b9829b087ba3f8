"""Test time: `make test-fast` and the whole pytest run, as `make test` runs them.

1. `python -m pytest -q -m "not browser and not pdf and not slow"` (what
   `make test-fast` runs: no browser, no PDF, no built book), target < 60 s;
2. `python -m pytest -q` (every test, as the last step of `make test`, which
   builds the book first if it is not built), target <= 300 s.

Both targets are for an idle 2-core machine, so each figure says the cores and
the load average (os.getloadavg, 1 minute) before and after the run: on a
busy machine the wall time is longer and the CPU time (this process's
children: pytest and every command it waits for; Chromium's own processes may
be left out) is the steadier figure. A run with failing tests still prints its
time, with its summary line. Prints figures; asserts nothing. Run with the
project's venv Python; `bench/test_time.py fast` runs only the first.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from weight import figure, verdict

ROOT = Path(__file__).resolve().parent.parent
RUNS = [
    # key, name, pytest arguments, target in seconds (a wall time, below or equal)
    ("fast", "make test-fast", ["-m", "not browser and not pdf and not slow"], 60),
    ("suite", "whole suite", [], 300),
]


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(name: str, args: list[str], target: float) -> None:
    before, cpu = load(), children_cpu()
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, text=True)
        took = time.perf_counter() - start
        log.seek(0)
        lines = [line.strip() for line in log.read().splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else "no output"
    figure(f"{name} wall time", f"{took:.0f}", "s",
           f"{os.cpu_count()} cores, load {before} before and {load()} after; target <= {target:.0f} s on an "
           f"idle 2-core machine: {verdict(took, target + 1e-9)}")
    figure(f"{name} CPU time", f"{children_cpu() - cpu:.0f}", "s", "pytest and the commands it waits for")
    figure(f"{name} result", summary, "", f"exit code {proc.returncode}")


def main(argv: list[str]) -> None:
    for key, name, args, target in RUNS:
        if not argv or key in argv:
            run(name, args, target)


if __name__ == "__main__":
    main(sys.argv[1:])
