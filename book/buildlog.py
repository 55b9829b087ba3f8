"""What a failed jupyter-book run printed, cut down to the lines that say why.

Sphinx writes a warning as "file:line: WARNING: ..." and an extension's
failure as a header line whose cause comes lines later, often after a
traceback; the build (book/build.py) and the catalogue update
(book/translate/update.py) both report that cause as one line.
"""
from __future__ import annotations

import re

from book.data.paths import project

# Sphinx's own lines ("file:line: WARNING: ..."); a kernel's log lines such as
# "ERROR:tornado.general:..." are not build problems.
_WARNING = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL|SEVERE): |Configuration error|Extension error|Exception occurred")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# "Extension error (book.x):" says nothing by itself; its cause is on a later line.
_HEADER = re.compile(r"^(Extension error|Configuration error|Exception occurred)\b[^:]*:$")
_HANDLER = re.compile(r"threw an exception \(exception: (.+)\)$")
_EXCEPTION = re.compile(r"^(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit)(?::|$)")
MAX_CAUSE = 300


def lines(output: str) -> list[str]:
    """The output's lines without terminal colour codes."""
    return _ANSI.sub("", output).splitlines()


def shorten(line: str) -> str:
    """One line for a message: the project's path dropped, at most MAX_CAUSE characters."""
    line = line.strip().replace(str(project().root) + "/", "")
    return line if len(line) <= MAX_CAUSE else line[:MAX_CAUSE - 1] + "…"


def first_exception(lines: list[str]) -> str:
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
            return first_exception(lines[i:])
        return line
    return ""


def problem_lines(output: str) -> list[str]:
    """Each warning or error of the output once, with its cause on the same line."""
    found: list[str] = []
    raw = lines(output)
    for i, line in enumerate(raw):
        if not _WARNING.search(line):
            continue
        if _HEADER.match(line.strip()):
            line = f"{line.strip()} {_cause(raw[i + 1:])}"
        line = shorten(line)
        if line not in found:
            found.append(line)
    return found
