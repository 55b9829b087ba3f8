"""`show(quiz_id)`: the one call a notebook makes to display a quiz.

It returns an object whose display bundle holds both the static HTML quiz
(text/html) and the ipywidgets quiz. A live Jupyter front end (Lab,
Notebook, Voila) renders the widget; the built book renders the HTML
(_config.yml sets myst-nb's MIME priority for the html builder).
"""
from __future__ import annotations

from typing import Any

from book.data import banks
from book.render.quiz_html import render


class QuizDisplay:
    def __init__(self, quiz_id: str, projector: bool = False):
        self.bank = banks.load_id(quiz_id)
        self.projector = projector
        self.html = render(self.bank)

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = {"text/html": self.html, "text/plain": f"Quiz: {self.bank.title}"}
        try:
            from book.render.quiz_widget import ProjectorWidget, QuizWidget
            widget = (ProjectorWidget if self.projector else QuizWidget)(self.bank)
        except ImportError:  # ipywidgets missing: the static quiz still shows
            return bundle
        view = widget.box._repr_mimebundle_() or {}
        bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        self.widget = widget
        return bundle


def show(quiz_id: str, projector: bool = False) -> QuizDisplay:
    """Display the quiz `quizzes/<quiz_id>.yml`; projector=True gives the
    facilitator view in live Jupyter (the static quiz has a Projector button)."""
    return QuizDisplay(quiz_id, projector)
