"""Read a project text file (YAML, notebook, Markdown page) as UTF-8, or raise
one BookError line naming the file, the line at fault and the fix.

Shared by every reader so that a folder where a file should be, a byte that is
not UTF-8, a NUL character or an unresolved merge conflict is reported the same
way, with its line, whichever file it is in.
"""
from __future__ import annotations

import re
from pathlib import Path

from book.data.errors import BookError, Problem

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.M)


def read(path: Path, shown: str) -> str:
    """The file's text; `shown` is the name to print (relative to the project)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BookError(Problem(shown, "", "file not found", "create it or fix the path"))
    except IsADirectoryError:
        raise BookError(Problem(shown, "", "this is a folder, not a file",
                                f"rename the folder, then restore the file (git checkout -- {shown})"))
    except PermissionError:
        raise BookError(Problem(shown, "", "the file cannot be read (permission denied)",
                                f"make it readable (chmod u+r {shown})"))
    except OSError as exc:
        raise BookError(Problem(shown, "", f"the file cannot be read ({exc.strerror or exc})",
                                "check the disk, then restore the file from git"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BookError(Problem(shown, str(raw.count(b"\n", 0, exc.start) + 1),
                                f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                                "save the file as UTF-8 and retype the character on that line"))
    nul = text.find("\0")
    if nul >= 0:
        raise BookError(Problem(shown, str(line_at(text, nul)), "a NUL character (a zero byte) in the text",
                                "delete it (if there are many, restore the file from git)"))
    return text


def line_at(text: str, offset: int) -> int:
    """The 1-based line of a character offset."""
    return text.count("\n", 0, offset) + 1


def conflict(text: str, shown: str) -> BookError | None:
    """An error for an unresolved merge conflict, if the text holds one.

    Called only once a parser has failed: a conflict explains the failure
    better than the parser's own message does.
    """
    m = _CONFLICT.search(text)
    if not m:
        return None
    return BookError(Problem(shown, str(line_at(text, m.start())),
                             f"an unresolved merge conflict ('{m.group(1)}')",
                             "keep the right version and delete the <<<<<<<, ======= and >>>>>>> lines"))
