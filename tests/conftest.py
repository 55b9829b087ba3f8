"""Shared fixtures: the real built book, a localhost server, real Chromium.

The book is built once per test session with the same command as `make book`
(`python -m book build`). Chromium is Debian's (/usr/bin/chromium), driven by
Playwright; `make test` installs it when missing.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from book import chromium

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
CHROMIUM = chromium.executable()
CHROMIUM_ARGS = [*chromium.ARGS, "--allow-file-access-from-files"]


def copy_project(dest: Path, with_cache: bool = False) -> Path:
    """A working copy of the project's sources at `dest` (no build output,
    virtualenv or git history), for tests that damage files or run commands
    that must not touch the real project. with_cache also copies the
    execution cache, so a rebuild does not re-run every notebook (the copy's
    inputs are identical)."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        "_build", ".venv", ".git", "__pycache__", ".pytest_cache", "node_modules", ".jupyter_cache", "*.egg-info"))
    staging = ROOT / "_build" / "staging"
    if with_cache and staging.exists():
        shutil.copytree(staging, dest / "_build" / "staging", ignore=shutil.ignore_patterns("html"))
    return dest


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book exactly as `make book` does and return _build/html."""
    proc = subprocess.run([sys.executable, "-m", "book", "build", "--quiet"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"the book did not build:\n{proc.stderr[-4000:]}"
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def server(built_book):
    """Serve _build/html on http://127.0.0.1:<free port>/."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run `make test` (it installs it)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
