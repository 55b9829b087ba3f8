"""`python -m book publish --out DIR` (`make publish DIR=...`): a copy of the
built book for any static host.

DIR must be new, empty, or a copy an earlier publish wrote that holds
nothing else (its `.kampot-book-publish` file lists every file), the same
rule as the workshop packs' marker. The copy is made in a temporary folder
beside DIR, under the build lock (so a build cannot swap `_build/html`
halfway through the copy), and exchanged with DIR in one step
(book/folders.py).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from book import folders, locks
from book.build import lock_file
from book.data.errors import BookError, Problem
from book.data.paths import project

MARKER = ".kampot-book-publish"
MARKER_HEAD = "Written by `python -m book publish`; it may replace this folder while it holds only these files:"
FIX = "choose a new or empty folder, e.g. `make publish DIR=site`"


def _listed(folder: Path) -> set[str] | None:
    try:
        lines = (folder / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return {*lines[1:], MARKER} if lines and lines[0] == MARKER_HEAD else None


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def check_target(target: Path, shown: str) -> None:
    """One line and exit 2 for a folder this command must not write."""
    root, build = project().root, project().build
    if target == root or root.is_relative_to(target) or target.is_relative_to(build) or ".git" in target.parts:
        raise BookError(Problem(shown, "", "is the book's own folder, holds it, or is inside _build or .git", FIX))
    if target.exists() and not target.is_dir():
        raise BookError(Problem(shown, "", "exists and is not a folder", FIX))
    if not target.parent.is_dir():
        raise BookError(Problem(shown, "", "its parent folder does not exist", "create it first, or " + FIX))
    if not target.is_dir() or not any(target.iterdir()):
        return
    listed = _listed(target)
    if listed is None:
        raise BookError(Problem(shown, "", f"is not empty and holds no earlier publish (no {MARKER} file)", FIX))
    extra = [name for name in _files(target) if name not in listed]
    if extra:
        raise BookError(Problem(shown, "", f"holds {extra[0]}, which an earlier publish did not write",
                                f"move it out of the folder, or {FIX}"))


def publish(out: Path) -> Path:
    target = out.expanduser().absolute()
    check_target(target, str(out))
    html = project().html
    if not (html / "index.html").is_file():
        raise BookError(Problem("_build/html", "", "there is no built book to publish", "run `make book` first"))
    def waiting(holder: str) -> None:
        print(f"waiting: {holder} is building this book; the copy starts when it ends", file=sys.stderr)
    with locks.exclusive(lock_file(), wait=True, waiting=waiting):
        check_target(target, str(out))   # again: another publish may have written there meanwhile
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            folders.copy_tree(html, tmp)
            (tmp / MARKER).write_text("\n".join([MARKER_HEAD, *_files(tmp)]) + "\n", encoding="utf-8")
            folders.make_readable(tmp)
            old = folders.replace(tmp, target)
        except BaseException:
            folders.remove(tmp)
            raise
    if old is not None:
        failed = folders.remove(old)
        if failed is not None:
            print(f"warning: {old}: the previous copy could not be removed ({folders.reason(failed)}); "
                  "remove it by hand", file=sys.stderr)
    return target
