"""Read a notebook, or raise one BookError line naming the file, the line and
the fix.

The one reader of `.ipynb` files (validate, readability, workshop packs,
refreshing outputs), so that a merge conflict, broken JSON or absurd nesting is
reported the same way everywhere instead of as a traceback from nbformat.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from book.data import textfile
from book.data.errors import BookError, Problem
from book.data.paths import project
from book.data.yamlfile import display_path

# A notebook nests about 7 levels; nbformat's validator recurses and fails
# near 500, Python's JSON parser near 1,000.
MAX_DEPTH = 100
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
# What a notebook saved for plain Jupyter wraps around a MyST role or block:
# the MyST text in a comment, then its rendering (book/render/jupyter_text.py
# writes them), up to a closing comment.
INLINE = re.compile(r"<!-- myst (\{[a-z-]+\}`[^`\n]*`) -->.*?<!-- /myst -->", re.S)
BLOCK = re.compile(r"^<!-- myst\n(.*?)\n-->\n(?:.*?\n)??<!-- /myst -->$", re.S | re.M)


def to_myst(source: str) -> str:
    """The MyST text of a Markdown cell: every rendering for plain Jupyter dropped."""
    source = BLOCK.sub(lambda m: m.group(1), source)
    return INLINE.sub(lambda m: m.group(1), source)


def _too_deep(text: str) -> int | None:
    """The offset where brackets nest deeper than MAX_DEPTH, if they do."""
    depth = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif token in "]}":
            depth -= 1
    return None


def read(path: Path, as_saved: bool = False) -> nbformat.NotebookNode:
    """The notebook (format 4) or BookError. Markdown cells come back as MyST
    (the renderings kept for plain Jupyter dropped, book/render/jupyter_text.py)
    unless `as_saved`."""
    shown = display_path(path, project().root)
    text = textfile.read(path, shown)
    deep = _too_deep(text)
    if deep is not None:
        raise BookError(Problem(shown, str(textfile.line_at(text, deep)),
                                f"brackets nest more than {MAX_DEPTH} levels deep",
                                "restore the notebook from git or remove the nested value"))
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise textfile.conflict(text, shown) or BookError(Problem(
            shown, str(exc.lineno), f"not valid JSON ({exc.msg})",
            "fix the JSON on that line, or restore the notebook from git and redo the change in Jupyter"))
    try:
        nb: nbformat.NotebookNode = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several types for JSON that is not a notebook
        why = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]   # one line, whatever nbformat says
        raise BookError(Problem(shown, "", f"not a Jupyter notebook ({why})",
                                "restore it from git, or open it in Jupyter and save it again"))
    if not as_saved:
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = to_myst(cell.source)
    return nb
