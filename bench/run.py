"""Run every benchmark in order and print its figures (`make bench`).

    .venv/bin/python bench/run.py             # all: weight, lighthouse, build_time, quiz, font, items, test_time
    .venv/bin/python bench/run.py quiz weight # only some (still in the order above)

Before running, it installs what only the benchmarks need: the pinned packages
of bench/requirements.txt into this Python's environment (the project's venv)
when they are missing, and bench/package.json's exact lockfile with `npm ci`
into bench/node_modules when Lighthouse is missing there. Each benchmark runs
in its own process; one that fails is reported and the others still run.

Every figure is printed on its own line as `name: value unit (note)`. These
are measurements, not tests: nothing here asserts a timing; a missed target
is printed as MISSED.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
STEPS = [
    ("weight", "Page weight (first visit, further pages, default Jupyter Book quiz)"),
    ("lighthouse", "Lighthouse 12.2.3 on every module page"),
    ("build_time", "Build time"),
    ("quiz", "Quiz script size and bank validation time"),
    ("font", "Khmer font subset size"),
    ("items", "Content-blind strategies on every quiz, in the order learners see"),
    ("test_time", "Test time: make test-fast and the whole suite"),
]


def pinned_python() -> dict[str, str]:
    pins = {}
    for line in (BENCH / "requirements.txt").read_text().splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)==([^\s#]+)", line)
        if m:
            pins[m.group(1)] = m.group(2)
    return pins


def ensure_python() -> None:
    from importlib import metadata
    missing = []
    for name, version in pinned_python().items():
        try:
            if metadata.version(name) != version:
                missing.append(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        print(f"installing bench/requirements.txt into {sys.prefix} ({', '.join(missing)})", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(BENCH / "requirements.txt")], check=True)


def ensure_node() -> str | None:
    """Install bench/node_modules from the lockfile when needed; return a problem or None."""
    want = json.loads((BENCH / "package.json").read_text())["dependencies"]["lighthouse"]
    pkg = BENCH / "node_modules" / "lighthouse" / "package.json"
    if pkg.exists() and json.loads(pkg.read_text()).get("version") == want:
        return None
    npm = shutil.which("npm")
    if not npm:
        return "npm is not installed (Lighthouse needs Node.js and npm)"
    print(f"installing lighthouse {want} into bench/node_modules (npm ci)", flush=True)
    proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=BENCH, capture_output=True, text=True)
    if proc.returncode != 0:
        return "npm ci failed: " + (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return None


def machine() -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        version = "not found"
    print(f"date: {dt.date.today().isoformat()}")
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {version or 'chromium ?'}")


def main(argv: list[str]) -> int:
    chosen = [name for name, _ in STEPS if not argv or name in argv]
    unknown = [a for a in argv if a not in dict(STEPS)]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(n for n, _ in STEPS)}")
        return 2
    print("## Benchmarks")
    machine()
    ensure_python()
    node_problem = ensure_node() if "lighthouse" in chosen else None
    failed = []
    for name, title in STEPS:
        if name not in chosen:
            continue
        print(f"\n## {title}", flush=True)
        if name == "lighthouse" and node_problem:
            print(f"lighthouse: NOT RUN ({node_problem})", flush=True)
            failed.append(name)
            continue
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(BENCH / f"{name}.py")], cwd=ROOT)
        print(f"({name} took {time.perf_counter() - start:.0f} s)", flush=True)
        if proc.returncode != 0:
            print(f"{name}: FAILED (exit code {proc.returncode})", flush=True)
            failed.append(name)
    print()
    if failed:
        print(f"benchmarks that did not finish: {', '.join(failed)}")
        return 1
    print("all benchmarks finished")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
