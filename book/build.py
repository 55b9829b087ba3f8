"""Build the HTML book: validate, build into a staging folder, then swap.

`_build/html` is replaced only by a build with no warnings, so a failed build
never leaves a half-built book. Sphinx runs with -n -W --keep-going (every
warning fails the build, and all of them are reported at once).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import BookError, Problem
from .paths import BUILD, HTML, ROOT
from .sphinx_assets import replaced_by_bundle
from .validate import check_or_raise

STAGING = BUILD / "staging"
# Sphinx's own lines ("file:line: WARNING: ..."); a kernel's log lines such as
# "ERROR:tornado.general:..." are not build problems.
_WARNING = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL|SEVERE): |Configuration error|Extension error|Exception occurred")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _problem_lines(output: str) -> list[str]:
    lines = []
    for line in _ANSI.sub("", output).splitlines():
        if _WARNING.search(line) and line.strip() not in lines:
            lines.append(line.strip().replace(str(ROOT) + "/", ""))
    return lines


def build_book(quiet: bool = False) -> Path:
    check_or_raise()
    # Pages are always written afresh (a page removed from the sources must
    # not survive in the output); doctrees and the execution cache are kept.
    shutil.rmtree(STAGING / "_build" / "html", ignore_errors=True)
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--builder", "html",
           "--path-output", str(STAGING), "-n", "-W", "--keep-going"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run(cmd, cwd=ROOT, env=env, text=True, capture_output=True)
    output = proc.stdout + proc.stderr
    if not quiet:
        sys.stdout.write(output)
    built = STAGING / "_build" / "html"
    problems = _problem_lines(output)
    if proc.returncode != 0 or problems or not (built / "index.html").exists():
        for line in problems[:40]:
            print(f"build: {line}", file=sys.stderr)
        summary = f"{len(problems)} warning(s) or error(s), listed above" if problems else (
            f"jupyter-book exited with code {proc.returncode}: " + (output.strip().splitlines() or ["no output"])[-1])
        raise BookError(Problem("_build", "", f"the book did not build ({summary})",
                                "fix each file named above and run `make book` again; _build/html was left as it was"))
    staged = BUILD / "html.new"
    if staged.exists():
        shutil.rmtree(staged)
    shutil.copytree(built, staged)
    prune(staged)
    offline_zip(staged)
    if HTML.exists():
        shutil.rmtree(HTML)
    staged.rename(HTML)
    return HTML


# Files the theme ships that no page of this book loads (the icon font and
# script are replaced by book/static/icons.css; source maps serve developers;
# the stylesheets in _static/kq/theme.css are removed by prune() too). The
# staging copy keeps them: tests compare the trimmed stylesheet with them.
UNUSED = ["_static/scripts/fontawesome.js", "_static/vendor", "reports", ".doctrees"]
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
    import zipfile
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(html.rglob("*")):
            if path.is_file() and path.name != OFFLINE_NAME:
                info = zipfile.ZipInfo(f"kampot-book/{path.relative_to(html).as_posix()}", (2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())


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
