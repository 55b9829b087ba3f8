"""Build time: cold build, rebuild after one edit, rebuild with no change.

Copies the project (without _build, .venv, .git, node_modules and Python
caches) to a temp dir and times, there, with the project's venv Python:

1. a cold `python -m book build --quiet` (no _build: empty execution cache);
2. a rebuild after appending a sentence to one Markdown cell of
   modules/01-law.ipynb (with nbformat);
3. a rebuild with no change.

Targets: cold < 180 s, rebuild after an edit < 30 s.
Prints figures; asserts nothing. Run with the project's venv Python.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from weight import figure, verdict

ROOT = Path(__file__).resolve().parent.parent
EDITED = Path("modules") / "01-law.ipynb"
SENTENCE = " This sentence was added by the build-time benchmark."


def build(where: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "book", "build", "--quiet"], cwd=where,
                          capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0 or not (where / "_build" / "html" / "index.html").exists():
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-6000:])
        raise SystemExit(f"the book did not build in {where}")
    return took


def edit(notebook: Path) -> str:
    """Append a sentence to the first Markdown cell after the title; return its heading."""
    import nbformat
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown"]
    cell = next((c for c in cells if c.source.startswith("## ")), cells[0])
    cell.source = cell.source.rstrip() + SENTENCE
    nbformat.write(nb, notebook)
    return cell.source.splitlines()[0]


def main() -> None:
    ignore = shutil.ignore_patterns("_build", ".venv", ".git", "node_modules", "__pycache__",
                                    ".pytest_cache", ".ipynb_checkpoints")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        where = Path(tmp) / "book"
        shutil.copytree(ROOT, where, ignore=ignore, symlinks=True)
        cold = build(where)
        figure("cold build", f"{cold:.1f}", "s", f"empty cache; target < 180 s: {verdict(cold, 180)}")
        heading = edit(where / EDITED)
        rebuild = build(where)
        figure("rebuild after one edit", f"{rebuild:.1f}", "s",
               f"a sentence appended to '{heading}' in {EDITED.as_posix()}; "
               f"target < 30 s: {verdict(rebuild, 30)}")
        html = (where / "_build" / "html" / "modules" / "01-law.html").read_text(encoding="utf-8")
        if SENTENCE.strip() not in html:
            figure("rebuild after one edit shows the edit", "NO", "", "the added sentence is not on the page")
        same = build(where)
        figure("rebuild with no change", f"{same:.1f}", "s")


if __name__ == "__main__":
    main()
