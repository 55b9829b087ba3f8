"""Lighthouse 12.2.3 on every module page, with Debian's Chromium.

Both books: every modules/*.html and km/modules/*.html (`lighthouse.py km`
audits only the Khmer pages, `lighthouse.py en` only the English ones).
Serves the built book (_build/html; bench/weight.py builds it first when run
by bench/run.py) on 127.0.0.1 with the same threaded http.server, and runs
bench/node_modules/.bin/lighthouse against each modules/*.html: default
mobile profile (simulated slow 4G and 4x CPU slowdown), categories
performance and accessibility, JSON report in a temp dir. Prints the
performance and accessibility scores (0-100), the LCP in seconds and the
total byte weight Lighthouse saw (transfer size).

Each page is audited twice: [plain], served by http.server as is (it does not
compress, so Lighthouse's simulated slow 4G moves the uncompressed bytes),
and [gzip], the same files sent gzip -9 as a host with compression on would
send them. The targets apply to both; both are printed.

Targets: performance >= 95, LCP < 2.5 s, accessibility 100.
Prints figures; asserts nothing. Run with the project's venv Python.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from weight import CHROMIUM, HTML, KIB, chromium, figure, serve, verdict

BENCH = Path(__file__).resolve().parent
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.2.3"
CHROME_FLAGS = ["--headless=new", *chromium.ARGS]


def installed_version() -> str | None:
    pkg = BENCH / "node_modules" / "lighthouse" / "package.json"
    if not pkg.exists():
        return None
    return json.loads(pkg.read_text()).get("version")


def run_one(url: str, out: Path) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--only-categories=performance,accessibility",
           "--output=json", f"--output-path={out}", "--quiet",
           "--chrome-flags=" + " ".join(CHROME_FLAGS)]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse exited with {proc.returncode}: "
                           + (proc.stderr.strip().splitlines() or ["no output"])[-1])
    return json.loads(out.read_text())


def audit(pages: list[str], compress: bool, tmp: Path) -> int:
    """Run Lighthouse on each page, print its figures; return the number of failed runs."""
    tag = "gzip" if compress else "plain"
    results: list[tuple[str, int | None, int | None, float | None]] = []
    failed = 0
    with serve(HTML, compress=compress) as base:
        for rel in pages:
            try:
                report = run_one(base + rel, tmp / f"{tag}-{rel.replace('/', '_')}.json")
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                failed += 1
                figure(f"lighthouse [{tag}] {rel}", "FAILED", "", str(exc))
                continue
            cats, audits = report["categories"], report["audits"]
            perf, a11y = (None if cats[c]["score"] is None else round(cats[c]["score"] * 100)
                          for c in ("performance", "accessibility"))
            lcp = audits["largest-contentful-paint"].get("numericValue")
            lcp_s = None if lcp is None else lcp / 1000
            weight = audits["total-byte-weight"].get("numericValue")
            figure(f"performance [{tag}] {rel}", str(perf), "/100")
            figure(f"accessibility [{tag}] {rel}", str(a11y), "/100")
            figure(f"LCP [{tag}] {rel}", "n/a" if lcp_s is None else f"{lcp_s:.2f}", "s")
            figure(f"total byte weight [{tag}] {rel}", "n/a" if weight is None else f"{weight / KIB:.1f}",
                   "KiB", "transfer size, " + ("gzip" if compress else "uncompressed"))
            results.append((rel, perf, a11y, lcp_s))
            scored = {r["id"] for r in cats["accessibility"]["auditRefs"] if r.get("weight")}
            for audit_id in sorted(scored):
                a = audits.get(audit_id, {})
                if a.get("score") is not None and a["score"] < 1:
                    print(f"    accessibility audit not passed: {a.get('title', audit_id)}")
            for warning in report.get("runWarnings", []):
                print(f"    lighthouse warning: {warning.splitlines()[0][:200]}")

    def pick(index: int, fn):
        scored = [(r[index], r[0]) for r in results if r[index] is not None]
        return fn(scored) if scored else None

    if (low := pick(1, min)):
        figure(f"lowest performance [{tag}] ({low[1]})", str(low[0]), "/100",
               f"target >= 95: {verdict(low[0], 95, below=False)}")
    if (slow := pick(3, max)):
        figure(f"slowest LCP [{tag}] ({slow[1]})", f"{slow[0]:.2f}", "s",
               f"target < 2.5 s: {verdict(slow[0], 2.5)}")
    if (low := pick(2, min)):
        figure(f"lowest accessibility [{tag}] ({low[1]})", str(low[0]), "/100",
               f"target 100: {verdict(low[0], 100, below=False)}")
    return failed


def main() -> None:
    version = installed_version()
    if version != VERSION:
        raise SystemExit(f"lighthouse {VERSION} is not installed in bench/node_modules (found {version}): "
                         "run `npm ci` in bench/ (bench/run.py does)")
    if not (HTML / "index.html").exists():
        raise SystemExit("no built book in _build/html: run `make book` first")
    books = [a for a in sys.argv[1:] if a in ("en", "km")] or ["en", "km"]
    folders = {"en": HTML / "modules", "km": HTML / "km" / "modules"}
    pages = sorted(p.relative_to(HTML).as_posix() for b in books for p in folders[b].glob("*.html"))
    figure("lighthouse version", VERSION, "", "default mobile profile: simulated slow 4G, 4x CPU slowdown")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        print("# [plain] served by http.server as is (no compression)")
        failed += audit(pages, False, Path(tmp))
        print("# [gzip] the same files sent gzip -9, as a host with compression on would")
        failed += audit(pages, True, Path(tmp))
    if failed:
        raise SystemExit(f"lighthouse failed on {failed} run(s)")


if __name__ == "__main__":
    main()
