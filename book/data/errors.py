"""One-line, fixable errors for bad input (a bank, a fact, a config, a page).

Every problem a contributor can cause is reported as `file:place: problem; fix`
so that the command line never shows a traceback for it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Control characters and Unicode line breaks (a file name may hold a newline):
# shown escaped, so that every problem stays on one line.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with control characters escaped (a newline shows as \\n)."""
    return _BREAKS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """Where a piece of input is wrong and what to do about it."""

    file: str
    place: str
    problem: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.place}" if self.place else self.file
        return one_line(f"{where}: {self.problem}; {self.fix}")


class BookError(Exception):
    """Raised with one or more Problems; the CLI prints one line each and exits 2."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
