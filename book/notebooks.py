"""Re-execute the book's notebooks in place, saving outputs for nbval.

Outputs in git are what `pytest --nbval` compares a fresh run against, so
run `make notebooks` after changing a bank, a fact or book/ code. Saving
also rewrites what plain Jupyter shows for facts, notes and fact lists
(book/jupyter_text.py).
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from . import jupyter_text, notebookfile
from .paths import MODULES, PAGES, ROOT


def book_notebooks() -> list[Path]:
    return sorted([*MODULES.glob("*.ipynb"), *PAGES.rglob("*.ipynb")])


def refresh(paths=(), text_only: bool = False) -> list[Path]:
    """Re-execute and save; with `text_only`, only rewrite the Jupyter renderings
    of MyST in Markdown cells (book/jupyter_text.py), outputs untouched."""
    targets = [Path(p).resolve() for p in paths] or book_notebooks()
    done = []
    for path in targets:
        nb = notebookfile.read(path, as_saved=True)
        jupyter_text.render_notebook(nb, path)
        if text_only:
            nbformat.write(nb, path)
            done.append(path.relative_to(ROOT))
            continue
        NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=False, record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:  # widget model ids are random; nbval skips them anyway
            for out in cell.get("outputs", []):
                out.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
        nbformat.write(nb, path)
        done.append(path.relative_to(ROOT))
    return done
