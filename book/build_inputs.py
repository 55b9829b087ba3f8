"""What a build of the book reads, as one digest, so that a command that
needs the built book (`export --format kolibri|zim`) can use the one in
_build/html when it was built from exactly these inputs, instead of
building it again (8 s and two processes for nothing).

Conservative on purpose: every file of the project counts (a README edit
makes the next export build again), and so do the installed packages'
versions and the build date (facts go stale by it). `python -m book build`
always builds; only "build first" steps ask whether the book is current.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
from collections.abc import Iterator
from pathlib import Path

from book.data.facts import today
from book.data.paths import project

STAMP = "inputs.sha256"     # in _build/: the digest of the inputs of the book in _build/html
# Never read by a build: build output, version control, the virtualenv, the
# caches of tools, and at the top the repository's tests, benchmarks and docs.
SKIP = {"_build", ".git", ".venv", "__pycache__", "node_modules", ".pytest_cache", ".mypy_cache",
        ".ruff_cache", ".jupyter_cache", ".ipynb_checkpoints"}
SKIP_AT_TOP = {"tests", "bench", "docs"}


def read_by_builds(name: str, at_top: bool) -> bool:
    """Whether a file or folder of this name can be an input of a build."""
    return name not in SKIP and not name.endswith(".egg-info") and not (at_top and name in SKIP_AT_TOP)


def _files(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if read_by_builds(d, here == root))
        for name in sorted(files):
            yield here / name


def digest() -> str:
    root = project().root
    h = hashlib.sha256()
    for path in _files(root):
        h.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"(not a file)")
        h.update(b"\0")
    for name, version in sorted((d.metadata["Name"] or "", d.version) for d in importlib.metadata.distributions()):
        h.update(f"{name}=={version}\n".encode())
    h.update(f"date {today().isoformat()}\n".encode())
    return h.hexdigest()


def stamp_path() -> Path:
    return project().build / STAMP


def record(value: str) -> None:
    """After a build is published: what it was built from (best effort: a
    missing stamp only means the next export builds again)."""
    with contextlib.suppress(OSError):
        stamp_path().write_text(value + "\n", encoding="utf-8")


def forget() -> None:
    """Before a build publishes: until it records its own, no stamp. A stamp
    that cannot be removed stops the build (an OSError, reported as any
    other file the build cannot write): it would describe the wrong book."""
    with contextlib.suppress(FileNotFoundError):
        stamp_path().unlink()


def current() -> bool:
    """The book in _build/html was built from the project as it is now."""
    try:
        recorded = stamp_path().read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return (project().html / "index.html").is_file() and recorded == digest()
