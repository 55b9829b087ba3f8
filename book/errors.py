"""One-line, fixable errors for bad input (a bank, a fact, a config, a page).

Every problem a contributor can cause is reported as `file:place: problem; fix`
so that the command line never shows a traceback for it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Where a piece of input is wrong and what to do about it."""

    file: str
    place: str
    problem: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.place}" if self.place else self.file
        return f"{where}: {self.problem}; {self.fix}"


class BookError(Exception):
    """Raised with one or more Problems; the CLI prints one line each and exits 2."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
