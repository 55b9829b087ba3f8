"""Re-execute the book's notebooks in place, saving outputs for nbval.

Outputs in git are what `pytest --nbval` compares a fresh run against, so
run `make notebooks` after changing a bank, a fact or book/ code. Saving
also rewrites what plain Jupyter shows for facts, notes and fact lists
(book/render/jupyter_text.py).
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from book.data import notebookfile
from book.data.errors import BookError, Problem
from book.data.paths import project
from book.folders import fix_for, reason
from book.render import jupyter_text


def _targets(paths: Iterable[str]) -> list[Path]:
    """The notebooks asked for, all checked before any runs."""
    if not paths:
        return project().notebooks()
    problems, found = [], []
    fix = "give notebooks of the book, e.g. modules/01-law.ipynb, or no path for all of them"
    for given in paths:
        path = Path(given).resolve()
        if not path.is_file():
            what = "is a folder" if path.is_dir() else "does not exist"
            problems.append(Problem(given, "", f"{what}, so there is no notebook to refresh", fix))
        elif path.suffix != ".ipynb":
            problems.append(Problem(given, "", "is not a notebook (.ipynb)", fix))
        elif not path.is_relative_to(project().root):
            problems.append(Problem(given, "", "is not in this book's folder", fix))
        else:
            found.append(path)
    if problems:
        raise BookError(problems)
    return found


def refresh(paths: Iterable[str] = (), text_only: bool = False) -> list[Path]:
    """Re-execute and save; with `text_only`, only rewrite the Jupyter renderings
    of MyST in Markdown cells (book/render/jupyter_text.py), outputs untouched."""
    done = []
    for path in _targets(paths):
        nb = notebookfile.read(path, as_saved=True)
        jupyter_text.render_notebook(nb, path)
        if text_only:
            _save(nb, path)
            done.append(path.relative_to(project().root))
            continue
        NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=False, record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:  # widget model ids are random; nbval skips them anyway
            for out in cell.get("outputs", []):
                out.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
        _save(nb, path)
        done.append(path.relative_to(project().root))
    return done


def _save(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write beside the notebook, then rename over it: a full disk or a kill
    never leaves half a notebook (the module's text is in it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        nbformat.write(nb, str(tmp))
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BookError(Problem(str(path.relative_to(project().root)), "",
                                    f"cannot save the notebook ({reason(exc)}); "
                                    "it was left as it was", fix_for(exc))) from None
        raise
