"""Read a module notebook into its parts (the layout of docs/module-template.md).

One parser for everything that reuses module content outside its page:
session plans, workshop packs, role paths. The notebook stays the only copy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from book.data import notebookfile
from book.data.errors import BookError, Problem
from book.data.paths import project
from book.data.yamlfile import display_path

_FACILITATOR = re.compile(r"^:::\{admonition\} Facilitator notes\n(?::class: facilitator\n)?(.*?)^:::\s*$", re.S | re.M)


@dataclass
class Scenario:
    number: int
    title: str
    text: str                 # the situation and discussion, Markdown
    facilitator: str = ""     # the facilitator notes, Markdown


@dataclass
class Module:
    path: Path
    id: str
    number: int
    title: str
    minutes: dict[str, int]
    questions: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def page(self) -> str:
        """The built page, relative to the book root."""
        return f"modules/{self.path.stem}.html"


def _items(text: str) -> list[str]:
    return [m.group(2).strip() for m in re.finditer(r"^\s*([-*]|\d+\.)\s+(.*)$", text, re.M)]


def parse(path: Path) -> Module:
    nb = notebookfile.read(path)
    meta = nb.metadata.get("kampot")
    if not meta:
        raise BookError(Problem(display_path(path), "metadata", "the notebook has no 'kampot' metadata",
                                "add {\"module\": id, \"number\": N, \"minutes\": {...}} (docs/module-template.md)"))
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    title = next((re.sub(r"^#\s+(\d+\.\s*)?", "", s.splitlines()[0]) for s in md if s.startswith("# ")), path.stem)
    mod = Module(path, meta["module"], int(meta["number"]), title.strip(), dict(meta.get("minutes", {})))
    if "quiz" in mod.minutes:
        raise BookError(Problem(display_path(path), "metadata", "kampot.minutes has 'quiz', a time typed by hand",
                                "remove it: the quiz time is worked out from the bank's question count "
                                "(book/data/banks.py, MINUTES_PER_QUESTION)"))
    for source in md:
        head = source.splitlines()[0] if source else ""
        body = source.split("\n", 1)[1] if "\n" in source else ""
        if head.startswith("### Scenario"):
            m = re.match(r"### Scenario (\d+):\s*(.*)", head)
            notes = _FACILITATOR.search(body)
            text = _FACILITATOR.sub("", body).strip()
            mod.scenarios.append(Scenario(int(m.group(1)) if m else len(mod.scenarios) + 1,
                                          (m.group(2) if m else head[4:]).strip(), text,
                                          notes.group(1).strip() if notes else ""))
        elif head.startswith("## "):
            name = head[3:].strip()
            mod.sections[name] = body.strip()
            if name == "Questions":
                mod.questions = _items(body)
            elif name == "Objectives":
                mod.objectives = [m.group(1).strip() for m in re.finditer(r"^\d+\.\s+(.*)$", body, re.M)]
            elif name == "Key points":
                mod.key_points = _items(body)
    return mod


@lru_cache(maxsize=1)
def _all(stamp: tuple[tuple[str, float], ...]) -> tuple[Module, ...]:
    return tuple(parse(Path(p)) for p, _mtime in stamp)


def all_modules() -> list[Module]:
    paths = sorted(project().modules.glob("*.ipynb"))
    return list(_all(tuple((str(p), p.stat().st_mtime) for p in paths)))


def find(key: str) -> Module | None:
    """A module by number ('4') or id ('signs'); None when there is none
    (the caller says what to type: a command option or a directive)."""
    for mod in all_modules():
        if key.strip().lower() in (str(mod.number), mod.id, f"{mod.number:02d}"):
            return mod
    return None


def known() -> str:
    """Every module as '1 (law), 2 (health), ...', for a message naming the choices."""
    return ", ".join(f"{m.number} ({m.id})" for m in all_modules())
