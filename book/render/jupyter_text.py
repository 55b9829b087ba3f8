"""Markdown cells that read completely in plain Jupyter (Lab, Notebook, Voila).

Jupyter does not know the book's MyST roles and directives ({fact}, {ref},
{module-sources}, facilitator-note fences, targets), so a notebook saved for
Jupyter keeps each one inside an HTML comment, followed by its rendering
from the registry, up to a closing comment:

    inline:  <!-- myst {fact}`law-2008` -->The 2008 law ... (confirmed, checked ...)<!-- /myst -->
    block:   <!-- myst
             ```{module-sources}
             ```
             -->
             - ... the list ...
             <!-- /myst -->

Jupyter hides the comments and shows the rendering. `to_myst`, in
book/data/notebookfile.py, drops every rendering and restores the MyST text;
the Sphinx extension does that before myst-nb reads a notebook, and the
notebook reader does it for every other reader, so the book and its tools see the MyST source as before. The
renderings are derived text: `python -m book notebooks` rewrites them,
and validate fails when one no longer matches the registry.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat

from book.data import banks, facts
from book.data.notebookfile import to_myst
from book.data.paths import project
from book.render.fact_label import status_label

ROLE = re.compile(r"\{(fact|ref)\}`([^`\n]*)`")
# A fenced directive (``` or :::) with its options, a closing colon fence, a target.
FENCED = re.compile(r"^```\{([a-z-]+)\}[^\n]*\n(?:.*?\n)??```[ \t]*$", re.S | re.M)
COLON_OPEN = re.compile(r"^:::\{admonition\}[ \t]*([^\n]*)\n((?::[a-z-]+:[^\n]*\n)*)", re.M)
COLON_CLOSE = re.compile(r"^:::[ \t]*$", re.M)
TARGET = re.compile(r"^\(([a-z0-9-]+)\)=[ \t]*$", re.M)


def has_myst(source: str) -> bool:
    text = to_myst(source)
    return bool(ROLE.search(text) or FENCED.search(text) or COLON_OPEN.search(text)
                or COLON_CLOSE.search(text) or TARGET.search(text))


def _block(myst: str, shown: str) -> str:
    return f"<!-- myst\n{myst}\n-->\n" + (f"{shown}\n" if shown else "") + "<!-- /myst -->"


def to_jupyter(source: str, page: Page) -> str:
    """The cell as saved for Jupyter: MyST text kept in comments, renderings shown."""
    text = to_myst(source)
    text = FENCED.sub(lambda m: _block(m.group(0), page.directive(m.group(1))), text)
    text = COLON_OPEN.sub(lambda m: _block(m.group(0).rstrip("\n"), f"**{m.group(1).strip()}**") + "\n", text)
    text = COLON_CLOSE.sub(lambda m: _block(m.group(0), ""), text)
    text = TARGET.sub(lambda m: _block(m.group(0), ""), text)
    # Roles last, and never inside a comment made above.
    parts = re.split(r"(<!-- myst\n.*?\n-->)", text, flags=re.S)
    for i in range(0, len(parts), 2):
        parts[i] = ROLE.sub(lambda m: f"<!-- myst {m.group(0)} -->{page.role(m.group(1), m.group(2))}<!-- /myst -->",
                            parts[i])
    return "".join(parts)


class Page:
    """What a notebook's renderings need: the registry, and the facts the page cites."""

    def __init__(self, path: Path, all_text: str):
        self.path = path
        self.text = all_text
        self.registry = facts.load()

    def fact(self, fact_id: str) -> str:
        if fact_id not in self.registry:
            return f"{fact_id} (unknown fact)"
        f = self.registry[fact_id]
        words = " ".join(facts.headline(f).split())
        if f.kind == "contact":
            words = f"**{words}**"
        return f"{words} ({status_label(f)})"

    def role(self, name: str, content: str) -> str:
        if name == "fact":
            return self.fact(content)
        m = re.fullmatch(r"(.*?)\s*<([a-z0-9-]+)>", content, re.S)
        label, target = (m.group(1), m.group(2)) if m else (content, content)
        found = _target(target)
        if found is None:
            return label
        where, heading = found
        page = "" if where == self.path else _relpath(where, self.path.parent)
        return f"[{label}]({page}#{heading})"

    def directive(self, name: str) -> str:
        if name == "module-sources":
            lines = []
            for fid in page_fact_ids(self.text)[0]:
                f = self.registry[fid]
                note = f" {f.note}" if f.note else ""
                lines.append(f"- {self.fact(fid)}. Source: {f.source}.{note}")
            return "\n".join(lines)
        if name == "final-result":
            return "*Your result shows here in the book (the HTML version).*"
        return ""


def _relpath(target: Path, start: Path) -> str:
    return os.path.relpath(target, start).replace(os.sep, "/")


def _target(label: str) -> tuple[Path, str] | None:
    """The notebook or page that defines `(label)=`, and the anchor Jupyter
    gives the heading after it (its words joined by hyphens), for a link
    Jupyter can follow."""
    where = project()
    for path in sorted([*where.modules.glob("*.ipynb"), *where.pages.rglob("*.ipynb"), *where.pages.rglob("*.md")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if f"({label})=" not in text:
            continue
        if path.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        m = re.search(rf"^\({re.escape(label)}\)=[ \t]*\n#+\s+(.+)$", to_myst(text), re.M)
        return path, ("-".join(m.group(1).split()) if m else label)
    return None


def page_fact_ids(text: str) -> tuple[list[str], list[str]]:
    """Facts cited on a page and in the quizzes it shows, in order; and those quiz ids.

    The list `{module-sources}` shows, in the book and in Jupyter. Raises
    BookError for a bank that does not load."""
    cited = facts.cited_ids(text)
    quiz_ids = banks.shown_in(text)
    for quiz_id in quiz_ids:
        cited += banks.cited(banks.load_id(quiz_id))
    registry = facts.load()
    return list(dict.fromkeys(c for c in cited if c in registry)), quiz_ids


def render_notebook(nb: nbformat.NotebookNode, path: Path) -> nbformat.NotebookNode:
    """Rewrite the Markdown cells of `nb` (MyST or Jupyter form) for Jupyter, in place."""
    all_text = "\n".join(to_myst(c.source) if c.cell_type == "markdown" else c.source for c in nb.cells)
    page = Page(path, all_text)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and has_myst(cell.source):
            cell.source = to_jupyter(cell.source, page)
    return nb
