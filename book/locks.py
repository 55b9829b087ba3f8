"""One command at a time on a folder: an exclusive lock on a lock file.

Two builds at once would share the execution cache's database and both
replace `_build/html`; two workshop runs into one folder would both say ok.
The lock is the kernel's (flock), so it goes away when its holder dies,
however it dies. The lock file holds the holder's process id, for the
message the next command prints, and is removed when the lock is released.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class Busy(Exception):
    """Another process holds the lock (and wait was False)."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


def _holder(fd: int) -> str:
    """'process 1234', or 'another process' before the holder wrote its id."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"process {text}" if text.isdigit() else "another process"


@contextmanager
def exclusive(path: Path, wait: bool, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock on `path` for the `with` block. If another process holds
    it: with wait, call waiting(holder) once and wait; else raise Busy."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                if not wait:
                    raise Busy(holder) from None
                if waiting is not None:
                    waiting(holder)
                    waiting = None
                fcntl.flock(fd, fcntl.LOCK_EX)
            # The holder we waited for removed the file when it finished: a
            # lock on that old file would not keep out a newcomer; start again.
            try:
                same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # still locked: a waiter finds it gone and starts again
        os.close(fd)
