"""Where the project's data lives; one place so no module guesses paths.

The package's own files (static, locale, templates) sit beside the code.
The project (facts, banks, notebooks, config, build output) is the folder
above the package unless `KAMPOT_BOOK_ROOT` names another, and code reads it
through `project()` at call time, so a test can point everything at a tiny
project in a temporary folder with `using(folder)`.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
STATIC = PACKAGE / "static"
TEMPLATES = PACKAGE / "templates"
ROOT_VARIABLE = "KAMPOT_BOOK_ROOT"


@dataclass(frozen=True)
class Project:
    """A book project's folder and the places in it."""

    root: Path

    @property
    def facts(self) -> Path:
        return self.root / "facts.yml"

    @property
    def quizzes(self) -> Path:
        return self.root / "quizzes"

    @property
    def modules(self) -> Path:
        return self.root / "modules"

    @property
    def pages(self) -> Path:
        return self.root / "pages"

    @property
    def config(self) -> Path:
        return self.root / "_config.yml"

    @property
    def toc(self) -> Path:
        return self.root / "_toc.yml"

    @property
    def locale(self) -> Path:
        """Translation catalogues: locale/<lang>/LC_MESSAGES/*.po (book/translate/)."""
        return self.root / "locale"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def html(self) -> Path:
        return self.build / "html"

    def notebooks(self) -> list[Path]:
        """Every notebook of the book: the modules and the pages that are notebooks."""
        return sorted([*self.modules.glob("*.ipynb"), *self.pages.rglob("*.ipynb")])


def _default() -> Project:
    given = os.environ.get(ROOT_VARIABLE)
    return Project(Path(given).resolve() if given else PACKAGE.parent)


_current = _default()


def project() -> Project:
    """The project every reader and command works on now."""
    return _current


@contextmanager
def using(root: Path) -> Iterator[Project]:
    """Work on the project in `root` inside the block (tests, tools), then
    go back to the one before."""
    global _current
    before, _current = _current, Project(Path(root).resolve())
    try:
        yield _current
    finally:
        _current = before


_NAMES = {"ROOT": "root", "FACTS": "facts", "QUIZZES": "quizzes", "MODULES": "modules", "PAGES": "pages",
          "CONFIG": "config", "TOC": "toc", "BUILD": "build", "HTML": "html"}


def __getattr__(name: str) -> Path:
    """ROOT, FACTS, ... of the current project, for scripts and tests that
    read them once; the package itself calls project() each time."""
    if name in _NAMES:
        path: Path = getattr(_current, _NAMES[name])
        return path
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
