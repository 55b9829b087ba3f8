"""Markdown cells read completely in plain Jupyter, and the book reads the same MyST.

book/render/jupyter_text.py keeps each MyST role or directive in an HTML comment
followed by its rendering; the Sphinx extension and every book reader drop the
renderings again.
"""
from __future__ import annotations

import json
import re

from conftest import ROOT, book_command, copy_project

from book.data import facts, notebookfile
from book.data.paths import project
from book.render import jupyter_text
from book.render.fact_label import status_label

RAW_MYST = re.compile(r"\{(fact|ref)\}`|```\{|^:::|^:class:|^\([a-z0-9-]+\)=", re.M)


def _shown(source: str) -> str:
    """What Jupyter shows of a cell: the text outside HTML comments."""
    return re.sub(r"<!--.*?-->", "", source, flags=re.S)


def test_jupyter_shows_no_myst_and_every_fact():
    registry = facts.load()
    for path in project().notebooks():
        saved = notebookfile.read(path, as_saved=True)
        for i, cell in enumerate(saved.cells):
            if cell.cell_type != "markdown":
                continue
            shown = _shown(cell.source)
            assert not RAW_MYST.search(shown), f"{path.name} cell {i + 1} shows MyST: {RAW_MYST.search(shown)}"
            for fid in facts.cited_ids(notebookfile.to_myst(cell.source)):
                fact = registry[fid]
                label = status_label(fact)
                assert label in shown, f"{path.name} cell {i + 1}: {fid} without its status and date"
                if fact.phone:
                    assert fact.phone in shown, f"{path.name} cell {i + 1}: {fid} without its number"
                if facts.needs_confirmation(fact):
                    assert "confirm before use" in shown


def test_module_sources_list_in_jupyter():
    nb = notebookfile.read(ROOT / "modules" / "01-law.ipynb", as_saved=True)
    cell = next(c for c in nb.cells if "{module-sources}" in c.source)
    shown = _shown(cell.source)
    assert shown.count("Source: ") >= 5 and "checked" in shown


def test_book_reads_the_myst_it_read_before():
    """The saved notebook turned back into MyST is exactly what was written in
    MyST: renderings never leak into the book or its tools."""
    cell = ("Call {fact}`child-helpline` or see {ref}`danger right now <danger-right-now>`.\n\n"
            ":::{admonition} Facilitator notes\n:class: facilitator\nAsk: what next?\n:::\n\n"
            "(danger-right-now)=\n### Danger\n\n```{module-sources}\n```")
    page = jupyter_text.Page(ROOT / "modules" / "01-law.ipynb", cell)
    saved = jupyter_text.to_jupyter(cell, page)
    assert notebookfile.to_myst(saved) == cell
    assert jupyter_text.to_jupyter(saved, page) == saved           # rewriting is stable
    assert not RAW_MYST.search(_shown(saved))
    assert "**Facilitator notes**" in _shown(saved)


def test_sphinx_hook_gives_myst_nb_the_myst_text():
    from book.sphinx.ext import _myst_source

    class Env:
        @staticmethod
        def doc2path(name):
            return ROOT / "modules" / "01-law.ipynb"

    class App:
        env = Env()

    path = ROOT / "modules" / "01-law.ipynb"
    source = [path.read_text(encoding="utf-8")]
    _myst_source(App, "modules/01-law", source)
    cells = [c for c in json.loads(source[0])["cells"] if c["cell_type"] == "markdown"]
    texts = [c["source"] for c in cells]
    assert any("{fact}`law-2008`" in t for t in texts)
    assert not any("<!-- myst" in t for t in texts)
    assert texts == [c.source for c in notebookfile.read(path).cells if c.cell_type == "markdown"]


def test_validate_names_a_stale_rendering_and_the_fix(tmp_path):
    work = copy_project(tmp_path / "book")
    nb_path = work / "modules" / "01-law.ipynb"
    data = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        cell["source"] = [s.replace("(confirmed, checked 28 Nov 2026)", "(confirmed, checked 1 Jan 2020)")
                          for s in cell["source"]]
    nb_path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = book_command(["validate"], work)
    assert proc.returncode == 2
    lines = proc.stdout.strip().splitlines() + proc.stderr.strip().splitlines()
    assert any("modules/01-law.ipynb:cell" in line and "python -m book notebooks --text-only" in line
               for line in lines), lines
    fix = book_command(["notebooks", "--text-only", str(nb_path)], work)
    assert fix.returncode == 0, fix.stderr
    again = book_command(["validate"], work)
    assert again.returncode == 0, again.stdout + again.stderr
