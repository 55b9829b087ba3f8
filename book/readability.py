"""Flesch-Kincaid grade of each module's prose (what a learner reads).

textstat 0.7.4 is pinned: newer versions download a dictionary at run time,
which fails offline. Run `python -m book readability` to print the grades.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from . import facts as facts_mod
from .paths import MODULES

MAX_GRADE = 9.0


def prose(path: Path) -> str:
    """The learner-facing sentences of a notebook's Markdown cells."""
    registry = facts_mod.load()
    nb = nbformat.read(path, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            s = line.strip()
            if s.startswith(("```", ":::")):
                fenced = not fenced if s in ("```", ":::") else True
                continue
            if not s or s.startswith((":class:", ":name:", "#")):
                continue
            s = facts_mod.CITE.sub(lambda m: facts_mod.headline(registry[m.group(1)])
                                   if m.group(1) in registry else "", s)
            s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)      # links -> their text
            s = re.sub(r"^([-*+]|\d+\.)\s+", "", s)              # list markers
            s = re.sub(r"[*_`>|]", "", s)
            if not re.search(r"[.!?:]$", s):
                s += "."
            lines.append(s)
    return "\n".join(lines)


def grade(path: Path) -> float:
    import textstat
    return float(textstat.flesch_kincaid_grade(prose(path)))


def grades() -> dict[str, float]:
    return {p.name: grade(p) for p in sorted(MODULES.glob("*.ipynb"))}
