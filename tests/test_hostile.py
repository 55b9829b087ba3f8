"""Hostile input and faults (issue 12): the file system, the options, the
environment. Each row of CASES drives the `python -m book` command (in a
process of its own: conftest.book_command) in a copy of the project and checks the exit code, the one line it prints (file,
place, fix), that there is no traceback, and that nothing on disk or in the
book changed that the case does not allow. Adding a case is one line.

Faults are real where the machine allows: `chattr +i` (root only; CI runs as
root) makes a folder that cannot be written or removed. A full disk is
injected into the command's own writes, and a watcher records what the
command does to _build/html (INJECT). BOOK_TEST_KILL_AT is the
build's test hook: it kills the build (SIGKILL) at a named step of
publishing, so a row can show what _build/html holds at that instant.

At the end, the other tests that start from a built copy (`built_copy`): a
failed build keeps the book, and an export uses the built book only while
it is current. They live here so that the copy is built once in a run.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from conftest import CHROMIUM, SMALL_FACT, book_command, copy_project

from book import locks, workshop
from book.build import OFFLINE_NAME
from book.data import facts

MARK = "A sentence only the new book has (hostile-case marker)."
# the build's own working files (staging, staging-km) and its record of what the book was built from
NOT_MINE = ("_build/staging", "_build/.lock", "_build/inputs.sha256")


@dataclass(frozen=True)
class Case:
    """One hostile input or fault and what the command must do about it."""

    name: str
    args: tuple[str, ...]                                   # after `python -m book`
    setup: Callable[[Path], Callable[[], None] | None] | None = None  # in the copy; may return an undo
    code: int = 2                                           # exit code (-9: killed by the test hook)
    stderr: str = r"^error: "                               # regex searched in stderr (multi-line mode)
    lines: int = 1                                          # lines of stderr
    env: dict[str, str] = field(default_factory=dict)
    inject: str = ""                                        # a key of INJECT: run inside the command
    built: bool = False                                     # start from a copy whose book is built
    changes: tuple[str, ...] = ()                           # path prefixes that may change; nothing else may
    then: Callable[[Path, dict, subprocess.CompletedProcess], None] | None = None  # further checks


# ----------------------------------------------------------------------- making hostile input

def freeze(*rel: str) -> Callable[[Path], Callable[[], None]]:
    """chattr +i: not even root may write, rename or remove these files or
    anything directly in these folders."""
    def setup(project: Path) -> Callable[[], None]:
        assert os.geteuid() == 0, "chattr +i needs root (CI runs as root)"
        paths = [str(project / r) for r in rel]
        subprocess.run(["chattr", "+i", *paths], check=True)
        first = project / rel[0]
        with pytest.raises(PermissionError):  # the fault is real, or the row proves nothing
            (first / "probe" if first.is_dir() else first).open("a").close()
        # the whole copy: a frozen folder may have moved (the old book does)
        return lambda: subprocess.run(["chattr", "-R", "-i", str(project)], check=False)
    return setup


def add_marker(project: Path) -> None:
    page = project / "pages" / "intro.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{MARK}\n", encoding="utf-8")


def fake_pack(*extra: str, head: str = workshop.MARKER_HEAD) -> Callable[[Path], None]:
    """A folder `pack` as an earlier run leaves it (marker and files), plus `extra` files."""
    def setup(project: Path) -> None:
        pack = project / "pack"
        pack.mkdir()
        (pack / "agenda.html").write_text("<p>an earlier pack</p>")
        (pack / workshop.MARKER).write_text(f"{head}\nagenda.html\n")
        for name in extra:
            (pack / name).write_text("the facilitator's own notes")
    return setup


def hold_workshop_lock(project: Path) -> Callable[[], None]:
    """Another workshop run is writing `pack` (it holds the folder's lock)."""
    held = locks.exclusive(project / ".pack.lock", wait=False)
    held.__enter__()
    return lambda: held.__exit__(None, None, None)


def bad_extension(project: Path) -> None:
    (project / "book" / "bad_ext.py").write_text(
        "def _boom(app, exc):\n    raise RuntimeError('the extension broke on purpose')\n\n\n"
        "def setup(app):\n    app.connect('build-finished', _boom)\n    return {'parallel_read_safe': True}\n")
    config = project / "_config.yml"
    text = config.read_text(encoding="utf-8")
    assert "book.sphinx.ext," in text
    config.write_text(text.replace("book.sphinx.ext,", "book.sphinx.ext, book.bad_ext,"), encoding="utf-8")


def git_folder(project: Path) -> None:
    (project / ".git" / "objects").mkdir(parents=True)
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")


def copy_bank(name: str) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        shutil.copy(project / "quizzes" / "law.yml", project / "quizzes" / name)
    return setup


# ----------------------------------------------------------------------- checks after the command

def html_manifest(project: Path) -> dict[str, str]:
    html = project / "_build" / "html"
    return {p.relative_to(html).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(html.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "_build").iterdir() if p.name.startswith(".html"))


def rebuild(project: Path) -> dict[str, str]:
    """A normal build after the case: it succeeds, clears what a killed build
    left, and returns the book it made."""
    proc = run_book(project, ("build", "--quiet"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert leftovers(project) == [], "a build left temporary folders in _build"
    return html_manifest(project)


def old_book_kept_then_rebuilt(project: Path, before: dict, proc) -> None:
    assert MARK not in (project / "_build" / "html" / "pages" / "intro.html").read_text(encoding="utf-8")
    rebuild(project)
    assert MARK in (project / "_build" / "html" / "pages" / "intro.html").read_text(encoding="utf-8")


def whole_new_book(project: Path, before: dict, proc) -> None:
    """Killed just after the swap: _build/html is already the whole new book,
    the very files a normal build of the same sources makes."""
    killed = html_manifest(project)
    assert MARK in (project / "_build" / "html" / "pages" / "intro.html").read_text(encoding="utf-8")
    # No record of inputs survives for a book whose build did not finish, so
    # no export takes this book for current (book/build_inputs.py).
    assert not (project / "_build" / "inputs.sha256").exists()
    assert killed == rebuild(project)
    assert (project / "_build" / "inputs.sha256").is_file()


def whole_book_then_cleared(project: Path, before: dict, proc) -> None:
    """The new book is whole (what a normal build makes), and the next build
    removes the old one that could not be removed (the folder is writable again)."""
    assert leftovers(project), "the undeletable old book is gone: the case proved nothing"
    assert html_manifest(project) == rebuild(project)


def one_exchange(project: Path, before: dict, proc) -> None:
    """The build never writes, renames or removes anything in _build/html: its
    one change is one system call that exchanges the whole folder with the new
    book (book.folders raises an audit event for it), so no instant shows a
    partial book."""
    events = (project.parent / "events.txt").read_text().splitlines()
    assert len(events) == 1 and events[0].startswith("exchange ["), events
    assert f"'{project / '_build' / 'html'}'" in events[0] and f"'{project / '_build' / '.html.'}" in events[0]
    assert MARK in (project / "_build" / "html" / "pages" / "intro.html").read_text(encoding="utf-8")


def one_rename_into_out(project: Path, before: dict, proc) -> None:
    """An export never removes or writes into the empty folder it was given:
    one rename puts the finished folder in its place (book/folders.py,
    only_empty), so `out` is never missing and never half written."""
    events = (project.parent / "events.txt").read_text().splitlines()
    assert len(events) == 1 and events[0].startswith("os.rename ("), events
    assert f"'{project / 'out'}'" in events[0] and f"'{project / '.out.tmp-'}" in events[0]
    assert [p.name for p in (project / "out").iterdir()] == ["kampot-quizzes-gift.txt"]


def one_exchange_of_the_pack(project: Path, before: dict, proc) -> None:
    """--force over an earlier pack changes it only by one exchange, as the build does."""
    events = (project.parent / "events.txt").read_text().splitlines()
    assert len(events) == 1 and events[0].startswith("exchange ["), events
    assert f"'{project / 'pack'}'" in events[0] and f"'{project / '.pack.tmp-'}" in events[0]
    assert "Module 4:" in (project / "pack" / "handouts.html").read_text(encoding="utf-8")


def no_temporary_folders(project: Path, before: dict, proc) -> None:
    assert leftovers(project) == []


def no_pack_written(project: Path, before: dict, proc) -> None:
    assert [p.name for p in project.iterdir() if p.name.startswith(".pack")] == []


# ----------------------------------------------------------------------- faults inside the command

INJECT = {
    # Every file opened for writing under $KQ_FULL_DISK fails as on a full disk.
    "full-disk": """
import builtins, errno, io, os
_open = io.open
def _full(file, mode="r", *args, **kwargs):
    if isinstance(file, (str, os.PathLike)) and set(mode) & set("wax+") \\
            and os.path.abspath(file).startswith(os.environ["KQ_FULL_DISK"]):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(file))
    return _open(file, mode, *args, **kwargs)
builtins.open = io.open = _full
""",
    # Python's audit events: every change the command makes to $KQ_WATCH or
    # anything in it, one line each, into $KQ_EVENTS.
    "watch-book": """
import os, sys
_watch = os.path.abspath(os.environ["KQ_WATCH"])
_log = open(os.environ["KQ_EVENTS"], "w", buffering=1)
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGES = {"os.remove", "os.rmdir", "os.rename", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.symlink",
            "os.link", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copytree", "shutil.copyfile",
            "shutil.copymode", "shutil.copystat"}
def _inside(path):
    if not isinstance(path, (str, bytes, os.PathLike)):
        return False
    path = os.path.abspath(os.fsdecode(path))
    return path == _watch or path.startswith(_watch + os.sep)
def _hook(event, args):
    if event == "open" and args[2] & _WRITE and _inside(args[0]):
        _log.write(f"open {args[0]}\\n")
    elif event in _CHANGES and any(_inside(a) for a in args):
        _log.write(f"{event} {args}\\n")
    elif event == "book.folders.exchange" and any(_inside(a) for a in args):
        _log.write(f"exchange {[str(a) for a in args]}\\n")
sys.addaudithook(_hook)
""",
}

def run_book(project: Path, args: tuple[str, ...], env: dict | None = None,
             inject: str = "") -> subprocess.CompletedProcess:
    """The command in a process of its own (conftest.book_command), with INJECT[inject] run in it first."""
    env = dict(os.environ, CHROMIUM=CHROMIUM, **(env or {}))
    env = {k: v.replace("{project}", str(project)) for k, v in env.items()}
    if args and args[0] == "notebooks":
        # Kernels talk over ZeroMQ, whose state a forked child inherits from this
        # process (nbval and the widget tests use it here): a real interpreter.
        code = (INJECT[inject] if inject else "") + (
            "\nimport sys\nsys.argv = ['python -m book', *" + repr(list(args)) + "]\n"
            "from book.cli import main\nmain()\n")
        return subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True)
    return book_command(args, project, env, prepare=(lambda: exec(INJECT[inject], {})) if inject else None)


# ----------------------------------------------------------------------- the table

WS = ("workshop", "--modules", "signs")
CASES = [
    # 1. --force replaces only an empty folder or a pack a run wrote; never the project, its parents, .git
    Case("workshop-force-into-the-project", (*WS, "--out", ".", "--force"),
         stderr=r"^error: \.: is the book's own folder or holds it, so no pack is written there; choose a new folder"),
    Case("workshop-force-into-a-parent-of-it", (*WS, "--out", "..", "--force"),
         stderr=r"^error: \.\.: is the book's own folder or holds it"),
    Case("workshop-force-over-the-modules", (*WS, "--out", "modules", "--force"),
         stderr=r"^error: modules: was not written by `python -m book workshop` \(it has no \.workshop-pack file\), "
                r"so --force does not replace it; choose a new or empty folder for --out$"),
    Case("workshop-into-git", (*WS, "--out", ".git", "--force"), setup=git_folder,
         stderr=r"^error: \.git: is inside a \.git folder, so no pack is written there; choose a new folder outside"),
    Case("workshop-new-folder-inside-git", (*WS, "--out", ".git/pack"), setup=git_folder,
         stderr=r"^error: \.git/pack: is inside a \.git folder"),
    Case("workshop-force-over-a-pack-with-own-notes", (*WS, "--out", "pack", "--force"), setup=fake_pack("notes.txt"),
         stderr=r"^error: pack: holds notes\.txt, which `python -m book workshop` did not write, so --force does "
                r"not replace the folder; move notes\.txt out of it, or choose another --out$"),
    Case("workshop-force-with-a-forged-marker", (*WS, "--out", "pack", "--force"),
         setup=fake_pack(head="not a pack"), stderr=r"^error: pack: was not written by `python -m book workshop`"),
    # 7. a second run into a folder another run is writing
    Case("workshop-while-another-run-writes-the-folder", (*WS, "--out", "pack"), setup=hold_workshop_lock,
         stderr=r"^error: pack: another `python -m book workshop` \(process \d+\) is writing this pack now; "
                r"wait until it has finished, or choose another --out$", then=no_pack_written),
    # 5. at every instant _build/html is a whole old book or a whole new one
    Case("build-killed-before-the-swap", ("build", "--quiet"), setup=add_marker, built=True,
         env={"BOOK_TEST_KILL_AT": "before-swap"}, code=-signal.SIGKILL, stderr=r"\A\Z", lines=0,
         changes=("_build/.html.",), then=old_book_kept_then_rebuilt),
    Case("build-killed-after-the-swap", ("build", "--quiet"), setup=add_marker, built=True,
         env={"BOOK_TEST_KILL_AT": "after-swap"}, code=-signal.SIGKILL, stderr=r"\A\Z", lines=0,
         changes=("_build/.html.", "_build/html/"), then=whole_new_book),
    Case("build-changes-the-book-only-by-one-exchange", ("build", "--quiet"), setup=add_marker, built=True, code=0,
         inject="watch-book", env={"KQ_WATCH": "{project}/_build/html", "KQ_EVENTS": "{project}/../events.txt"},
         stderr=r"\A\Z", lines=0, changes=("_build/html/",), then=one_exchange),
    Case("build-over-an-undeletable-old-book", ("build", "--quiet"), setup=freeze("_build/html/_static"),
         built=True, code=0, changes=("_build/.html.", "_build/html/"), then=whole_book_then_cleared,
         stderr=r"^warning: _build/\.html\.\w+: the previous book could not be removed \(Operation not permitted\); "
                r"the next build tries again, or remove it by hand$"),
    # 6. one line, not a traceback
    Case("build-into-a-read-only-book", ("build", "--quiet"), setup=freeze("_build/html"), built=True,
         stderr=r"^error: _build/html: cannot write the book \(Operation not permitted\); make the folder writable "
                r".*; _build/html was left as it was$", then=no_temporary_folders),
    Case("build-into-a-read-only-build-folder", ("build", "--quiet"), setup=freeze("_build"), built=True,
         stderr=r"^error: _build/\.lock: cannot write the book \(Operation not permitted\); make the folder writable"),
    Case("build-on-a-full-disk", ("build", "--quiet"), built=True, inject="full-disk",
         env={"KQ_FULL_DISK": "{project}/_build/"},
         stderr=r"^error: _build/\S+: cannot write the book \(No space left on device\); free some disk "
                r"space and run the command again; _build/html was left as it was$", then=no_temporary_folders),
    Case("workshop-on-a-full-disk", (*WS, "--out", "pack"), inject="full-disk", env={"KQ_FULL_DISK": "{project}/.pack"},
         stderr=r"^error: pack: cannot write the pack \(No space left on device\); free some disk space",
         then=no_pack_written),
    Case("build-with-a-failing-extension", ("build", "--quiet"), setup=bad_extension, built=True, lines=2,
         stderr=r"\A^build: Extension error \(book\.bad_ext\): the extension broke on purpose$\n"
                r"^error: _build: the book did not build .*_build/html was left as it was$"),
    Case("build-with-a-bad-source-date-epoch", ("build", "--quiet"), env={"SOURCE_DATE_EPOCH": "abc"}, built=True,
         stderr=r"^error: SOURCE_DATE_EPOCH: 'abc' is not a time \(whole seconds since 1970\); set it to a number"),
    Case("export-into-an-empty-folder-by-one-rename", ("export", "--format", "gift", "--out", "out"),
         setup=lambda project: (project / "out").mkdir(), code=0, stderr=r"\A\Z", lines=0, changes=("out/",),
         inject="watch-book", env={"KQ_WATCH": "{project}/out", "KQ_EVENTS": "{project}/../events.txt"},
         then=one_rename_into_out),
    Case("workshop-force-over-a-pack-by-one-exchange", (*WS, "--out", "pack", "--force"), setup=fake_pack(),
         code=0, stderr=r"\A\Z", lines=0, changes=("pack/",), inject="watch-book",
         env={"KQ_WATCH": "{project}/pack", "KQ_EVENTS": "{project}/../events.txt"},
         then=one_exchange_of_the_pack),
    Case("workshop-with-a-bad-source-date-epoch", (*WS, "--out", "pack"), env={"SOURCE_DATE_EPOCH": "1e9"},
         stderr=r"^error: SOURCE_DATE_EPOCH: '1e9' is not a time"),
    Case("notebooks-into-a-read-only-notebook", ("notebooks", "modules/04-signs.ipynb"),
         setup=freeze("modules/04-signs.ipynb"), lines=2,  # and ipykernel's warning about TCP
         stderr=r"^error: modules/04-signs\.ipynb: cannot save the notebook \(Operation not permitted\); it was left "
                r"as it was; make the folder writable[^\n]*\n\Z"),
    Case("notebooks-on-a-full-disk", ("notebooks", "modules/04-signs.ipynb"), lines=2,  # and ipykernel's warning
         inject="full-disk", env={"KQ_FULL_DISK": "{project}/modules/"},
         stderr=r"^error: modules/04-signs\.ipynb: cannot save the notebook \(No space left on device\); it was left "
                r"as it was; free some disk space and run the command again\n\Z"),
    Case("notebooks-given-a-missing-path", ("notebooks", "modules/99-nothing.ipynb"),
         stderr=r"^error: modules/99-nothing\.ipynb: does not exist, so there is no notebook to refresh; give "
                r"notebooks of the book, e\.g\. modules/01-law\.ipynb"),
    Case("notebooks-given-a-bank", ("notebooks", "quizzes/law.yml"),
         stderr=r"^error: quizzes/law\.yml: is not a notebook \(\.ipynb\)"),
    Case("notebooks-given-a-folder", ("notebooks", "modules"), stderr=r"^error: modules: is a folder"),
    # 10. smaller
    Case("bank-saved-as-yaml", ("validate",), setup=copy_bank("extra.yaml"),
         stderr=r"^error: quizzes/extra\.yaml: a question bank must end in \.yml, so this file is ignored; "
                r"rename it to extra\.yml$"),
    Case("file-name-with-a-newline", ("validate",), setup=copy_bank("law\nx.yml"),
         stderr=r"^error: quizzes/law\\nx\.yml:\d+: quiz id 'law' does not match the file name; rename the file to "
                r"law\.yml or set id: law\\nx$"),
]


def _snapshot(project: Path) -> dict[str, str]:
    """Every file of the project copy (and its book) by content."""
    out = {}
    for path in sorted(project.rglob("*")):
        rel = path.relative_to(project).as_posix()
        if path.is_file() and "__pycache__" not in rel and not rel.startswith(NOT_MINE):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def project(request, tmp_path) -> Path:
    case: Case = request.param
    if case.built:
        return request.getfixturevalue("built_copy")
    return copy_project(tmp_path / "proj")


@pytest.mark.parametrize("project, case", [pytest.param(c, c, marks=[pytest.mark.slow] if c.built else [])
                                           for c in CASES], ids=[c.name for c in CASES], indirect=["project"])
def test_hostile(project: Path, case: Case):
    undo = case.setup(project) if case.setup else None
    try:
        before = _snapshot(project)
        proc = run_book(project, case.args, case.env, case.inject)
        after = _snapshot(project)
    finally:
        if undo:
            undo()
    said = f"exit {proc.returncode}\nstderr:\n{proc.stderr[-3000:]}"
    assert proc.returncode == case.code, said
    assert "Traceback" not in proc.stderr + proc.stdout, said
    assert len(proc.stderr.splitlines()) == case.lines, said
    assert re.search(case.stderr, proc.stderr, re.M), said
    allowed = lambda rel: rel.startswith(case.changes) if case.changes else False
    lost = sorted(rel for rel, digest in before.items() if after.get(rel) != digest and not allowed(rel))
    added = sorted(rel for rel in after.keys() - before.keys() if not allowed(rel))
    assert not lost, f"changed or deleted: {lost[:10]} ({len(lost)} in all)"
    assert not added, f"written though the case allows nothing there: {added[:10]}"
    if case.then:
        case.then(project, before, proc)


# ----------------------------------------------------------------------- two commands at once

def test_a_second_build_waits_for_the_first(built_copy: Path):
    """While another build holds _build/.lock, a build says once that it waits,
    touches nothing, and builds when the lock is free."""
    project = built_copy
    add_marker(project)
    book_before = html_manifest(project)
    with locks.exclusive(project / "_build" / ".lock", wait=False):
        proc = subprocess.Popen([sys.executable, "-m", "book", "build", "--quiet"], cwd=project,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = proc.stderr.readline()  # waits for the line, not for a time
        assert re.fullmatch(rf"waiting: process {os.getpid()} is building this book; this build starts when "
                            r"it ends\n", first), first
        assert proc.poll() is None and html_manifest(project) == book_before
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0 and err == "", err
    assert MARK in (project / "_build" / "html" / "pages" / "intro.html").read_text(encoding="utf-8")


def test_two_builds_at_once_both_succeed(built_copy: Path):
    """Started together, two builds share nothing at the same time (the
    execution cache's database broke one of them in 3 of 4 tries)."""
    project = built_copy
    add_marker(project)
    procs = [subprocess.Popen([sys.executable, "-m", "book", "build", "--quiet"], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.communicate(timeout=900), p.returncode) for p in procs]
    for (out, err), code in results:
        assert code == 0, err[-2000:]
        assert err == "" or re.fullmatch(r"waiting: process \d+ is building this book; [^\n]*\n", err), err
    assert leftovers(project) == []
    assert MARK in (project / "_build" / "html" / "pages" / "intro.html").read_text(encoding="utf-8")


# ----------------------------------------------------------------------- readable by others

def test_built_book_and_offline_zip_are_readable_by_others(built_book: Path):
    """Files 0644 and folders 0755, on disk and when the zip is unpacked."""
    for path in [built_book, *built_book.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), f"{path}: {oct(mode)}"
    with zipfile.ZipFile(built_book / OFFLINE_NAME) as zf:
        infos = zf.infolist()
    folders = {i.filename for i in infos if i.is_dir()}
    assert "kampot-book/" in folders and "kampot-book/modules/" in folders
    for info in infos:
        mode = info.external_attr >> 16
        want = (stat.S_IFDIR | 0o755) if info.is_dir() else (stat.S_IFREG | 0o644)
        assert mode == want, f"{info.filename}: {oct(mode)}"
        parent = info.filename.rstrip("/").rsplit("/", 1)[0] + "/"
        assert parent in folders, f"{info.filename}: its folder has no entry (it would unpack with default modes)"


# ----------------------------------------------------------------------- after a build
# Tests that start from a built copy (built_copy): here, so that the copy is
# built once in the run, on the worker that runs this file.

def test_failed_build_keeps_previous_book(built_copy: Path):
    project = built_copy
    index = project / "_build" / "html" / "index.html"
    before = index.read_bytes()
    toc = project / "_toc.yml"
    toc.write_text(toc.read_text() + "      - file: modules/99-missing\n")
    assert book_command(["build", "--quiet"], project).returncode == 2
    assert index.read_bytes() == before


def test_an_export_uses_the_built_book_only_while_it_is_current(built_copy: Path):
    """Kolibri and ZIM exports are made from the built book. Built from the
    project as it is, the book is used as it is (not built again: the same
    folder); after any edit to the project, the export builds it first."""
    project = built_copy
    html = project / "_build" / "html"
    before = html.stat().st_ino
    proc = book_command(["export", "--format", "kolibri", "--quiz", "law", "--out", "k1"], project)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("using the built book in _build/html"), proc.stdout
    assert html.stat().st_ino == before, "the book was built again"
    marker = "A sentence only the edited book has (export marker)."
    page = project / "modules" / "01-law.ipynb"
    nb = nbformat.read(page, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(marker))
    nbformat.write(nb, page)
    proc = book_command(["export", "--format", "kolibri", "--quiz", "law", "--out", "k2"], project)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("building the book first"), proc.stdout
    assert html.stat().st_ino != before
    assert marker in (html / "modules" / "01-law.html").read_text(encoding="utf-8")


def test_a_new_build_date_reads_and_executes_again(built_copy: Path):
    """What a page shows can change with the date alone: a fact checked over a
    year ago must say "confirm before use". So a build on a new date executes
    the notebooks again and keeps their new output in the execution cache
    (a build the day before dropped the cache records and never refilled
    them), and reads every page again, though no source changed."""
    project = built_copy
    registry = facts.load(project / "facts.yml")

    def on(day) -> dict[str, str]:
        """The environment of a command run on `day` (noon, UTC)."""
        return dict(os.environ, SOURCE_DATE_EPOCH=str(int(dt.datetime.combine(day, dt.time(12), dt.UTC).timestamp())))

    def build_on(day):
        proc = subprocess.run([sys.executable, "-m", "book", "build"], cwd=project, capture_output=True, text=True,
                              env=on(day), timeout=900)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        return re.findall(r"([\w-]+\.ipynb): Executing notebook", proc.stdout)

    tomorrow = facts.today() + dt.timedelta(days=1)
    assert all(facts.needs_confirmation(f) == facts.needs_confirmation(f, tomorrow) for f in registry), \
        "a fact falls due tomorrow: this test needs a day on which no status changes"
    assert build_on(tomorrow) == ["01-law.ipynb"]
    assert build_on(tomorrow) == [], "the execution cache was not refilled"

    later = facts.today() + dt.timedelta(days=2 * 365)
    intro = project / "_build" / "html" / "pages" / "intro.html"
    cited = re.compile(rf'<span class="(fact [^"]*)" data-fact="{SMALL_FACT}"')

    def classes() -> list[str]:
        found = cited.search(intro.read_text(encoding="utf-8"))
        assert found, f"pages/intro.html does not show the fact {SMALL_FACT}"
        return found.group(1).split()

    assert "fact-confirm" not in classes()
    # The text plain Jupyter shows for facts changes with their status.
    proc = subprocess.run([sys.executable, "-m", "book", "notebooks", "--text-only"], cwd=project,
                          capture_output=True, text=True, env=on(later), timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    build_on(later)
    assert "fact-confirm" in classes(), \
        "the introduction, whose source did not change, was not read again on the new date"
