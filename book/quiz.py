"""`show(quiz_id)`: the one call a notebook makes to display a quiz.

Its display bundle depends on who runs the notebook:

- the book build (the Sphinx extension sets KAMPOT_BOOK_HTML=1 for the
  kernels myst-nb starts): the static HTML quiz (text/html), which
  `_config.yml` makes the HTML builder prefer, and the widget;
- anyone else (JupyterLab, Notebook, Voila, `python -m book notebooks`,
  nbval): the ipywidgets quiz, and as its fallback only a line saying how to
  start the quiz. The static quiz carries every answer in its markup, and
  Jupyter shows a saved output before the notebook is run (its sanitizer
  drops `hidden` and scripts), so it is never saved for Jupyter.
"""
from __future__ import annotations

import html
import os
from typing import Any

from book.render.i18n import _
from book.render.quiz_html import render
from book.translate import apply

BOOK_HTML = "KAMPOT_BOOK_HTML"


def for_the_book() -> bool:
    return os.environ.get(BOOK_HTML) == "1"


class QuizDisplay:
    def __init__(self, quiz_id: str, projector: bool = False):
        self.bank = apply.bank(quiz_id)          # in the page language (KAMPOT_BOOK_LANG)
        self.projector = projector
        self.html = render(self.bank)

    def start_text(self) -> str:
        return _("quiz.start").format(title=self.bank.title)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        start = self.start_text()
        bundle = {"text/plain": start, "text/markdown": f"**{html.escape(start)}**"}
        if for_the_book():
            bundle["text/html"] = self.html
        try:
            from book.render.quiz_widget import ProjectorWidget, QuizWidget
            widget = (ProjectorWidget if self.projector else QuizWidget)(self.bank)
        except ImportError:  # ipywidgets missing: the fallback still shows
            return bundle
        view = widget.box._repr_mimebundle_() or {}
        bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        self.widget = widget
        return bundle


def show(quiz_id: str, projector: bool = False) -> QuizDisplay:
    """Display the quiz `quizzes/<quiz_id>.yml`; projector=True gives the
    facilitator view in live Jupyter (the static quiz has a Projector button)."""
    return QuizDisplay(quiz_id, projector)
