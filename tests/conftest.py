"""Shared fixtures: the real built book, a localhost server, real Chromium.

The book is built once per test session with the same command as `make book`
(`python -m book build`). Chromium is Debian's (/usr/bin/chromium), driven by
Playwright; `make test` installs it when missing.

Tests wait on state, never on time: `open_page` waits until the page says it
is ready (`<html data-kq-ready>`, set when the theme's after-paint scripts
have run, and the same attribute on every quiz and journey root once its
script has set it up). Timeouts are only a backstop for a page that never
gets there, so they are generous: a busy machine waits longer, it does not fail.

Markers (registered in pyproject.toml) split the suite for `make test-fast`:
`browser` (added here to every test that uses Chromium), `slow` (added to
every test that needs the whole book built, and the notebooks' nbval
checks) and `pdf` (set by the tests that print PDFs).
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import gc
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from urllib.parse import urlparse

import pytest

from book import build_inputs, chromium

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
CHROMIUM = chromium.executable()
CHROMIUM_ARGS = [*chromium.ARGS, "--allow-file-access-from-files"]
# The backstop for every Playwright wait (ms): long, since every wait is on a state.
PLAYWRIGHT_TIMEOUT = 120_000
# The format of the records quiz.js keeps (FORMAT in record.js): a record a
# test writes into storage carries it, or the quiz ignores it as too old.
RECORD_FORMAT = int(re.search(r"var FORMAT = (\d+);", (ROOT / "book" / "static" / "record.js")
                              .read_text(encoding="utf-8")).group(1))
# axe-core options: it still runs every rule and reports every violating
# node, and leaves out the nodes that pass (780 kB of results for a module
# page, a third of the run's time).
VIOLATIONS_ONLY = {"resultTypes": ["violations"]}


def _not_project(folder: str, names: list[str]) -> set[str]:
    """What copy_project leaves out: what no build reads (book/build_inputs.py
    says what that is, for the book's own record of its inputs)."""
    at_top = Path(folder) == ROOT
    return {n for n in names if not build_inputs.read_by_builds(n, at_top)}


SMALL_FACT = "indicators-not-proof"     # a confirmed fact, cited by a small copy's introduction
SMALL_INTRO = ("# A small book\n\nThe introduction and some modules of the book, for the tests of building. "
               f"{{fact}}`{SMALL_FACT}`\n")


def copy_project(dest: Path, with_cache: bool = False, english_only: bool = False,
                 modules: Sequence[str] = ()) -> Path:
    """A working copy of the project's sources at `dest` (only what the book
    is made of), for tests that damage files or run commands
    that must not touch the real project. with_cache also copies the
    execution cache of every language's build (_build/staging,
    _build/staging-km), so a rebuild does not re-run every notebook (the
    copy's inputs are identical). english_only lists no translation in the
    copy's _config.yml, so its build makes the English book alone (half
    the work, for tests of what every build does whatever its languages).
    modules (e.g. ["01-law"]) makes a small book: the copy's _toc.yml lists
    only a short introduction (SMALL_INTRO) and these modules; every other
    file stays, unbuilt. A build of one module takes a quarter of the time
    of the whole book, for tests of what every build does whatever its pages
    (locking, writing and publishing the book, faults in them, the cache)."""
    shutil.copytree(ROOT, dest, ignore=_not_project)
    if modules:
        chapters = "".join(f"  - file: modules/{name}\n" for name in modules)
        (dest / "_toc.yml").write_text(f"format: jb-book\nroot: pages/intro\nchapters:\n{chapters}", encoding="utf-8")
        (dest / "pages" / "intro.md").write_text(SMALL_INTRO, encoding="utf-8")
    if english_only:
        config = dest / "_config.yml"
        text = config.read_text(encoding="utf-8")
        one = re.sub(r"(?m)^translations: \[[^\]]*\]$", "translations: []", text)
        assert one != text, "_config.yml: no `translations: [...]` line to empty"
        config.write_text(one, encoding="utf-8")
    for staging in sorted((ROOT / "_build").glob("staging*")) if with_cache else []:
        if not (english_only and staging.name != "staging"):
            shutil.copytree(staging, dest / "_build" / staging.name, ignore=shutil.ignore_patterns("html"))
    return dest


def book_command(args: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None,
                 prepare: Callable[[], None] | None = None) -> subprocess.CompletedProcess:
    """`python -m book ARGS` run in `cwd`, in a child forked from this process.

    The child is a process of its own, as `python -m book` would be: its own
    working folder and project (`cwd`, the folder whose book package `python
    -m book` would import there), environment (`env`; default this one's),
    stdout, stderr, limits and exit code (negative: the signal that ended it),
    and it runs the command's own entry point, `book.cli.main`. It only
    skips starting an interpreter and importing the package, about 0.4 s of
    CPU for every command, which was most of `make test-fast`. `prepare` runs
    in the child first (resource limits, injected faults). The real `python
    -m book` is still started by one test of each command."""
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        gc.freeze()          # the child's collector leaves the test process's objects alone
        pid = os.fork()
        if pid == 0:
            _child(args, cwd, env, prepare, out.fileno(), err.fileno())   # never returns
        gc.unfreeze()
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        stdout, stderr = (f.read().decode("utf-8", errors="replace") for f in (out, err))
    return subprocess.CompletedProcess(["python", "-m", "book", *args], os.waitstatus_to_exitcode(status),
                                       stdout, stderr)


def _child(args: Sequence[str], cwd: Path, env: Mapping[str, str] | None,
           prepare: Callable[[], None] | None, out: int, err: int) -> None:
    """The forked child of book_command: run the command, exit as Python would."""
    code = 1
    try:
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 (closed by _exit)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        sys.argv = ["python -m book", *args]
        from book.cli import main
        from book.data import paths
        with paths.using(Path(os.environ.get(paths.ROOT_VARIABLE) or cwd)):
            if prepare:
                prepare()
            main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()                     # what Python prints for an uncaught exception
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """Build the book exactly as `make book` does, once per run, and return
    _build/html. The suite runs in two pytest-xdist workers: the first to get
    here builds, the other waits on the lock and finds the book built (a
    second build would swap _build/html under the first one's pages)."""
    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent                  # the folder the workers share, one per run
    with open(run / "built-book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = run / "built-book.done"
        if not done.exists():
            proc = subprocess.run([sys.executable, "-m", "book", "build", "--quiet"], cwd=ROOT,
                                  capture_output=True, text=True)
            assert proc.returncode == 0, f"the book did not build:\n{proc.stderr[-4000:]}"
            done.touch()
    return HTML


@pytest.fixture(scope="session")
def built_project(tmp_path_factory, built_book) -> Path:
    """A small copy of the project (English only: an introduction and the
    first module) with its execution cache, built once per session and kept aside
    as `golden`; `built_copy` puts a copy of it back at the path it was built
    in, so Sphinx sees an unchanged project and rebuilds in seconds
    (test_hostile.py). Small: these tests break locking, writing and
    publishing, which are the same for any book, and each of their builds
    costs a quarter of a whole English book's."""
    where = tmp_path_factory.mktemp("built")
    project = copy_project(where / "proj", with_cache=True, english_only=True, modules=["01-law"])
    proc = book_command(["build", "--quiet"], project)
    assert proc.returncode == 0, proc.stderr[-2000:]
    project.rename(where / "golden")
    return where / "golden"


@pytest.fixture
def built_copy(built_project):
    """A fresh copy of the built project (one test at a time uses the path);
    afterwards files a test made immutable (chattr +i) are released."""
    dest = built_project.with_name("proj")
    shutil.copytree(built_project, dest, symlinks=True)
    yield dest
    subprocess.run(["chattr", "-R", "-i", str(dest)], capture_output=True, check=False)
    shutil.rmtree(dest)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that leaves a page mid-file closes the connection (a
        # broken pipe): not a fault of the book or the test, so no traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` on http://127.0.0.1:<free port>/ (the URL, with its
    slash) for the `with` block: the one way the tests serve a site."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(built_book):
    """Serve _build/html on http://127.0.0.1:<free port>/."""
    with serving(built_book) as url:
        yield url


def pytest_configure(config):
    """One build date for the whole run: the date pytest started on, passed
    to every build and command as SOURCE_DATE_EPOCH (the workers inherit it
    from the first process). The date is an input of every notebook's
    output, so a run that crossed midnight built the book on one day and
    its copies on the next, and a copy then executed every notebook again
    (test_changed_bank_re_executes_its_notebook failed). A date given from
    outside is kept."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))


def pytest_collection_modifyitems(config, items):
    """Mark what needs Chromium or the whole built book, so that no such test
    can slip into `make test-fast` by a forgotten marker."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & {"browser", "context", "page"}:
            item.add_marker(pytest.mark.browser)
        elif "built_book" in names or item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run `make test` (it installs it)"
    expect.set_options(timeout=PLAYWRIGHT_TIMEOUT)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        new_context = b.new_context

        def patient_context(**kwargs):
            ctx = new_context(**kwargs)
            ctx.set_default_timeout(PLAYWRIGHT_TIMEOUT)
            ctx.set_default_navigation_timeout(PLAYWRIGHT_TIMEOUT)
            return ctx

        b.new_context = patient_context  # every context, including the tests' own
        yield b
        b.close()


# True once the page is set up: the theme's after-paint scripts have run
# (webpack-macros.html) and quiz.js and journey.js have set up their roots.
READY = """() => document.documentElement.dataset.kqReady === "1"
  && Array.from(document.querySelectorAll("section.kq-quiz, [data-kq-journey]"))
          .every(e => e.dataset.kqReady === "1")
  && Array.from(document.querySelectorAll("[data-kq-save]")).every(e => e.dataset.kqSave !== "off")"""

NOT_READY = """() => [document.documentElement.dataset.kqReady === "1" ? "" : "theme scripts (html[data-kq-ready])"]
  .concat(Array.from(document.querySelectorAll("section.kq-quiz, [data-kq-journey]"))
          .filter(e => e.dataset.kqReady !== "1")
          .map(e => (e.getAttribute("data-kq-quiz") || e.getAttribute("data-kq-journey")) + " (not set up)"))
  .concat(Array.from(document.querySelectorAll("[data-kq-save]")).some(e => e.dataset.kqSave === "off")
          ? ["the save button (save.js, loaded after the first paint)"] : [])
  .filter(Boolean)"""


def wait_ready(page) -> None:
    """Wait until the open page is set up (see READY); name what is missing if it never is."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    try:
        page.wait_for_function(READY)
    except PlaywrightTimeout:
        raise AssertionError(f"{page.url}: never ready: {page.evaluate(NOT_READY)}") from None


def open_page(page, url: str) -> None:
    """Go to a page of the book and wait until it is set up: a state, not a time."""
    page.goto(url, wait_until="load")
    wait_ready(page)


class PageWatch:
    """Records what a page does that the book forbids: off-host requests,
    JavaScript errors and failed requests."""

    def __init__(self, page, allowed_host: str | None):
        self.page = page
        self.allowed_host = allowed_host
        self.offhost: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        page.on("request", self._request)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("requestfailed", self._failed)
        page.on("response", lambda resp: self.failed.append(f"{resp.url} (HTTP {resp.status})")
                if resp.status >= 400 else None)

    def _failed(self, request):
        # A request cut short by the next navigation (net::ERR_ABORTED) is not
        # a missing asset; a missing file fails with 404 or ERR_FILE_NOT_FOUND.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} ({request.failure})")

    def _request(self, request):
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.scheme == "file" and self.allowed_host is None:
            return
        if url.scheme in ("http", "https") and url.netloc == self.allowed_host:
            return
        self.offhost.append(request.url)

    def clear(self) -> None:
        """Forget what was recorded (the tab goes on to another page)."""
        self.offhost.clear()
        self.errors.clear()
        self.failed.clear()

    def assert_clean(self, where: str) -> None:
        assert not self.offhost, f"{where}: requests to other hosts: {self.offhost}"
        assert not self.errors, f"{where}: JavaScript errors: {self.errors}"
        assert not self.failed, f"{where}: failed requests: {self.failed}"


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, server):
    """A fresh page that watches for off-host requests and errors."""
    p = context.new_page()
    p.watch = PageWatch(p, urlparse(server).netloc)
    yield p
    p.close()
