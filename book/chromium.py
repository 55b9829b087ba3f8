"""Headless Chromium as the book launches it (workshop PDFs, the tests, the
benchmarks): one list of flags, one way to find the browser."""
from __future__ import annotations

import os
import shutil

# No sandbox (containers run as root), no GPU, and nothing that calls home:
# no QUIC, first-run pages, background networking, component updates or sync.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def executable() -> str:
    """$CHROMIUM, else Chromium's headless build on the PATH (Debian's
    `chromium-headless-shell`, the build Playwright itself uses headless: the
    same Blink and V8 without the desktop browser's windowing, about a
    fifth less work a page), else `chromium`, else Debian's /usr/bin/chromium."""
    return (os.environ.get("CHROMIUM") or shutil.which("chromium-headless-shell") or shutil.which("chromium")
            or "/usr/bin/chromium")
