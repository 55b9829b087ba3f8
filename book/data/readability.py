"""Flesch-Kincaid grade of each module's prose (what a learner reads).

textstat 0.7.4 is pinned: newer versions download a dictionary at run time,
which fails offline. Run `python -m book readability` to print the grades.
"""
from __future__ import annotations

import re
from pathlib import Path

from book.data import facts as facts_mod
from book.data import notebookfile
from book.data.paths import project

MAX_GRADE = 9.0


def prose(path: Path) -> str:
    """The learner-facing sentences of a notebook's Markdown cells.

    Wrapped lines of a paragraph are joined first, so hard-wrapped text is
    not counted as many short sentences; list items and table cells count
    as sentences of their own.
    """
    registry = facts_mod.load()
    nb = notebookfile.read(path)
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            s = line.strip()
            if s.startswith(("```", ":::")):
                flush()
                fenced = not fenced if s in ("```", ":::") else True
                continue
            if (not s or s.startswith((":class:", ":name:", "#")) or set(s) <= set("|-: ")
                    or re.fullmatch(r"\([\w-]+\)=", s)):               # a MyST label line
                flush()
                continue
            s = facts_mod.CITE.sub(lambda m: facts_mod.headline(registry[m.group(1)])
                                   if m.group(1) in registry else "", s)
            s = re.sub(r"\{ref\}`([^`<]*?)\s*<[^>`]*>`", r"\1", s)  # {ref}`text <label>` -> text
            s = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", s)    # [term]{.class} -> term
            s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)    # links -> their text
            if s.startswith("|"):                              # a table row: each cell
                flush()
                for c in (c.strip() for c in s.split("|")):
                    if c:
                        current.append(c)
                        flush()
                continue
            if re.match(r"^([-*+]|\d+\.)\s+", s):             # a list item starts
                flush()
                s = re.sub(r"^([-*+]|\d+\.)\s+", "", s)
            current.append(s)
        flush()
    out = []
    for b in blocks:
        b = re.sub(r"[*_`>|]", "", b).strip()
        if b and not re.search(r"[.!?:]$", b):
            b += "."
        out.append(b)
    return "\n".join(out)


def grade(path: Path) -> float:
    import textstat
    return float(textstat.flesch_kincaid_grade(prose(path)))


def grades() -> dict[str, float]:
    return {p.name: grade(p) for p in sorted(project().modules.glob("*.ipynb"))}
