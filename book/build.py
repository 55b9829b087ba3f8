"""Build the HTML book: validate, build into a staging folder, then publish.

`_build/html` is replaced only by a build with no warnings, and only by an
atomic exchange (book/folders.py): at every instant it is the complete old
book or the complete new one. Sphinx runs with -n -W --keep-going (every
warning fails the build, and all of them are reported at once). One build
at a time: a second one waits for the lock on `_build/.lock`.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from book import folders, hashnames, locks, offline
from book.data.config import settings
from book.data.errors import BookError, Problem
from book.data.paths import ROOT_VARIABLE, project
from book.data.validate import check_or_raise
from book.render.i18n import language
from book.startup import JUPYTER_BOOK
from book.theme import replaced_by_bundle


def staging() -> Path:
    """Where jupyter-book builds (its doctrees and execution cache are kept)."""
    return project().build / "staging"


def lock_file() -> Path:
    return project().build / ".lock"


NEW_PREFIX = ".html."     # _build/.html.XXXX: a book being published, or the one it replaced
KILL_AT = "BOOK_TEST_KILL_AT"
# Sphinx's own lines ("file:line: WARNING: ..."); a kernel's log lines such as
# "ERROR:tornado.general:..." are not build problems.
_WARNING = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL|SEVERE): |Configuration error|Extension error|Exception occurred")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# "Extension error (book.x):" says nothing by itself; its cause is on a later line.
_HEADER = re.compile(r"^(Extension error|Configuration error|Exception occurred)\b[^:]*:$")
_HANDLER = re.compile(r"threw an exception \(exception: (.+)\)$")
_EXCEPTION = re.compile(r"^(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit)(?::|$)")
MAX_CAUSE = 300


def _shorten(line: str) -> str:
    line = line.strip().replace(str(project().root) + "/", "")
    return line if len(line) <= MAX_CAUSE else line[:MAX_CAUSE - 1] + "…"


def _first_exception(lines: list[str]) -> str:
    """The first 'SomeError: reason' line after a traceback (the root cause)."""
    seen_traceback = False
    for line in lines:
        if line.startswith("Traceback"):
            seen_traceback = True
        elif seen_traceback and _EXCEPTION.match(line):
            return line
    return ""


def _cause(lines: list[str]) -> str:
    """The reason after a header line such as 'Extension error (book.x):'."""
    for i, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        found = _HANDLER.search(line)
        if found:
            return found.group(1)
        if line.startswith("Traceback"):
            return _first_exception(lines[i:])
        return line
    return ""


def _problem_lines(output: str) -> list[str]:
    lines = []
    raw = _ANSI.sub("", output).splitlines()
    for i, line in enumerate(raw):
        if not _WARNING.search(line):
            continue
        if _HEADER.match(line.strip()):
            line = f"{line.strip()} {_cause(raw[i + 1:])}"
        line = _shorten(line)
        if line not in lines:
            lines.append(line)
    return lines


def _checkpoint(step: str) -> None:
    """BOOK_TEST_KILL_AT=<step> kills the build right there (SIGKILL): the
    tests use it to show that _build/html is a whole book at every step."""
    if os.environ.get(KILL_AT) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _cannot_write(exc: OSError) -> BookError:
    where = Path(exc.filename) if exc.filename else project().build
    try:
        shown = str(where.relative_to(project().root))
    except ValueError:
        shown = str(where)
    return BookError(Problem(shown, "", f"cannot write the book ({folders.reason(exc)})",
                             f"{folders.fix_for(exc)}; _build/html was left as it was"))


def build_book(quiet: bool = False) -> Path:
    check_or_raise()

    def waiting(holder: str) -> None:
        print(f"waiting: {holder} is building this book; this build starts when it ends", file=sys.stderr)
    try:
        project().build.mkdir(exist_ok=True)
        with locks.exclusive(lock_file(), wait=True, waiting=waiting):
            return _build(quiet)
    except OSError as exc:
        raise _cannot_write(exc) from None


def _build(quiet: bool) -> Path:
    root, html = project().root, project().html
    for leftover in project().build.glob(NEW_PREFIX + "*"):  # from a build that was killed
        if leftover.name.endswith(folders.OLD_SUFFIX) and not os.path.lexists(html):
            leftover.rename(html)  # killed between the two renames (no exchange): the old book comes back
        else:
            folders.remove(leftover)
    # Pages are always written afresh (a page removed from the sources must
    # not survive in the output); doctrees and the execution cache are kept.
    shutil.rmtree(staging() / "_build" / "html", ignore_errors=True)
    cmd = [sys.executable, "-c", JUPYTER_BOOK, "build", str(root), "--builder", "html",
           "--path-output", str(staging()), "-n", "-W", "--keep-going"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    env[ROOT_VARIABLE] = str(root)      # the Sphinx extensions read the same project
    proc = subprocess.run(cmd, cwd=root, env=env, text=True, capture_output=True)
    output = proc.stdout + proc.stderr
    if not quiet:
        sys.stdout.write(output)
    built = staging() / "_build" / "html"
    problems = _problem_lines(output)
    if proc.returncode != 0 or problems or not (built / "index.html").exists():
        for line in problems[:40]:
            print(f"build: {line}", file=sys.stderr)
        raw = _ANSI.sub("", output).splitlines()
        last = _first_exception(raw) or next((x for x in reversed(raw) if x.strip("= \t")), "no output")
        summary = f"{len(problems)} warning(s) or error(s), listed above" if problems else (
            f"jupyter-book exited with code {proc.returncode}: {_shorten(last)}")
        raise BookError(Problem("_build", "", f"the book did not build ({summary})",
                                "fix each file named above and run `make book` again; _build/html was left as it was"))
    publish(built)
    return html


def publish(built: Path) -> None:
    """Copy, prune and zip the staged book in a new folder, then exchange it
    with _build/html in one step; then remove the old book (best effort)."""
    new = Path(tempfile.mkdtemp(prefix=NEW_PREFIX, dir=project().build))
    try:
        folders.copy_tree(built, new)
        prune(new)
        hashnames.apply(new)
        offline.write_app_files(new, settings().title, language())
        offline_zip(new)
        offline.write_lists(new, OFFLINE_NAME)
        folders.make_readable(new)
        _checkpoint("before-swap")
        old = folders.replace(new, project().html)
    except BaseException:
        folders.remove(new)
        raise
    _checkpoint("after-swap")
    if old is not None:
        failed = folders.remove(old)
        if failed is not None:
            print(f"warning: {old.relative_to(project().root)}: the previous book could not be removed "
                  f"({folders.reason(failed)}); the next build tries again, or remove it by hand", file=sys.stderr)


# Files the theme ships that no page of this book loads (the icon font and
# script are replaced by book/static/icons.css; source maps serve developers;
# the stylesheets in _static/kq/theme.css are removed by prune() too). The
# staging copy keeps them: tests compare the trimmed stylesheet with them.
# The theme's translations (500 KB; Sphinx reads them while building) and its
# launch-button logos are not loaded by any page either, and a learner who
# saves the book on a phone would pay for them.
UNUSED = ["_static/scripts/fontawesome.js", "_static/vendor", "reports", ".doctrees",
          "_static/locales", "_static/images"]
UNUSED_SUFFIXES = (".map",)
OFFLINE_NAME = "kampot-book-offline.zip"
SIZE_MARK = "KQ-OFFLINE-SIZE"


def prune(html: Path) -> None:
    bundled = [f"_static/{rel}" for rel in replaced_by_bundle(html / "_static")]
    for rel in UNUSED + bundled:
        target = html / rel
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for path in html.rglob("*"):
        if path.suffix in UNUSED_SUFFIXES and path.is_file():
            path.unlink()


def _zip(html: Path, dest: Path) -> None:
    """Files 0644 and folders 0755 when unpacked (a web server, a colleague can read them)."""
    import zipfile

    def entry(path: Path, is_dir: bool) -> zipfile.ZipInfo:
        rel = path.relative_to(html).as_posix()
        name = "kampot-book/" + ("" if rel == "." else rel + "/" if is_dir else rel)
        info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
        info.external_attr = folders.zip_attrs(is_dir)
        info.compress_type = zipfile.ZIP_STORED if is_dir else zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(entry(html, True), b"")
        for path in sorted(html.rglob("*")):
            if path.is_dir():
                zf.writestr(entry(path, True), b"")
            elif path.is_file() and path.name != OFFLINE_NAME:
                zf.writestr(entry(path, False), path.read_bytes())


def offline_zip(html: Path) -> Path:
    """One zip of the whole book, linked from the introduction; its pages and
    quizzes work opened from disk. The link shows the zip's size."""
    dest = html / OFFLINE_NAME
    _zip(html, dest)
    size = f"{dest.stat().st_size / 1_048_576:.1f} MB"
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if SIZE_MARK in text:
            page.write_text(text.replace(SIZE_MARK, size), encoding="utf-8")
    _zip(html, dest)
    return dest
