"""The live-Jupyter quiz (ipywidgets): same bank, same rule, same strings.

Used when a kernel is running (JupyterLab, Notebook, Voila). Judging comes
from book.data.scoring, so verdicts and score match the static quiz.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w

from book.data.schema import Bank, Question
from book.data.scoring import Verdict, judge
from book.render.i18n import _
from book.render.markup import block, inline


class QuestionWidget:
    def __init__(self, q: Question, n: int, total: int, on_change: Callable[[], None]):
        self.q = q
        self._on_change = on_change
        self.verdict: Verdict | None = None
        labels = [inline(o.text) for o in q.options]
        header = f"<p><b>{_('quiz.question').format(n=n, total=total)}</b></p>"
        if q.situation:
            header += f"<p><b>{_('quiz.situation')}:</b> {inline(q.situation)}</p>"
        header += f"<p>{inline(q.prompt)}</p>"
        self.header = w.HTML(header)
        self.choices: list[Any] | None = None
        if q.type == "multiple":
            self.choices = [w.Checkbox(value=False, description=label, indent=False,
                                       layout=w.Layout(width="auto")) for label in labels]
            self.input = w.VBox(self.choices)
        else:
            self.input = w.RadioButtons(options=[(label, i) for i, label in enumerate(labels)],
                                        value=None, layout=w.Layout(width="auto"))
        self.button = w.Button(description=_("quiz.check"))
        self.button.on_click(lambda _b: self.check())
        self.feedback = w.HTML("")
        self.box = w.VBox([self.header, self.input, self.button, self.feedback])

    def chosen(self) -> set[int]:
        if self.choices is not None:
            return {i for i, c in enumerate(self.choices) if c.value}
        return set() if self.input.value is None else {self.input.value}

    def select(self, indices: Iterable[int]) -> None:
        """Set the answer as a learner would (used by tests and demos)."""
        indices = set(indices)
        if self.choices is not None:
            for i, c in enumerate(self.choices):
                c.value = i in indices
        else:
            self.input.value = next(iter(indices)) if indices else None

    def check(self) -> None:
        chosen = self.chosen()
        if not chosen:
            self.feedback.value = f"<p>{_('quiz.choose_first')}</p>"
            return
        self.verdict = judge(self.q, chosen)
        head = _("quiz.correct") if self.verdict.correct else (
            _("quiz.partial") if self.verdict.partial else _("quiz.incorrect"))
        items = []
        for i, o in enumerate(self.q.options):
            if i in chosen or o.correct:
                mark = _("quiz.correct_mark") if o.correct else _("quiz.wrong_mark")
                you = f" ({_('quiz.you_chose')})" if i in chosen else ""
                items.append(f"<li><b>{inline(o.text)}</b>: {mark}{you}. {inline(o.feedback)}</li>")
        explain = f"<p><b>{_('quiz.why')}:</b></p>{block(self.q.explanation)}" if self.q.explanation else ""
        self.feedback.value = f"<p><b>{head}</b></p><ul>{''.join(items)}</ul>{explain}"
        self._on_change()


class QuizWidget:
    """All questions in a column, with a running score."""

    def __init__(self, bank: Bank):
        self.bank = bank
        total = len(bank.questions)
        self.score_label = w.HTML("")
        self.questions = {q.id: QuestionWidget(q, n, total, self._update)
                          for n, q in enumerate(bank.questions, 1)}
        self.box = w.VBox([self.score_label] + [qw.box for qw in self.questions.values()])
        self._update()

    @property
    def score(self) -> int:
        return sum(bool(qw.verdict and qw.verdict.correct) for qw in self.questions.values())

    @property
    def answered(self) -> int:
        return sum(qw.verdict is not None for qw in self.questions.values())

    def _update(self) -> None:
        self.score_label.value = "<p>" + _("quiz.score").format(
            score=self.score, total=len(self.questions), answered=self.answered) + "</p>"


class ProjectorWidget:
    """Facilitator view in live Jupyter: one question at a time in large type,
    answers hidden until Reveal, then every option's feedback as talking points."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self.index = 0
        self.revealed = False
        self.body = w.HTML(layout=w.Layout(width="100%"))
        self.reveal_button = w.Button(description=_("quiz.reveal"))
        self.prev_button = w.Button(description=_("quiz.previous"))
        self.next_button = w.Button(description=_("quiz.next"))
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.prev_button.on_click(lambda _b: self.go(-1))
        self.next_button.on_click(lambda _b: self.go(1))
        self.box = w.VBox([self.body, w.HBox([self.prev_button, self.reveal_button, self.next_button])])
        self._render()

    def go(self, step: int) -> None:
        self.index = max(0, min(len(self.bank.questions) - 1, self.index + step))
        self.revealed = False
        self._render()

    def reveal(self) -> None:
        self.revealed = True
        self._render()

    def _render(self) -> None:
        q = self.bank.questions[self.index]
        total = len(self.bank.questions)
        parts = ["<div style='font-size:1.6em;line-height:1.4'>",
                 f"<p><b>{_('quiz.question').format(n=self.index + 1, total=total)}</b></p>"]
        if q.situation:
            parts.append(f"<p><b>{_('quiz.situation')}:</b> {inline(q.situation)}</p>")
        parts.append(f"<p>{inline(q.prompt)}</p><ol type='A'>")
        for o in q.options:
            if self.revealed:
                mark = _("quiz.correct_mark") if o.correct else _("quiz.wrong_mark")
                parts.append(f"<li><b>{inline(o.text)}</b> ({mark}). {inline(o.feedback)}</li>")
            else:
                parts.append(f"<li>{inline(o.text)}</li>")
        parts.append("</ol>")
        if self.revealed and q.explanation:
            parts.append(f"<p><b>{_('quiz.why')}:</b></p>{block(q.explanation)}")
        parts.append("</div>")
        self.body.value = "".join(parts)
        self.reveal_button.disabled = self.revealed
        self.prev_button.disabled = self.index == 0
        self.next_button.disabled = self.index == total - 1
