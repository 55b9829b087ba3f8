"""The live-Jupyter quiz (ipywidgets): same bank, same rule, same strings.

Used when a kernel is running (JupyterLab, Notebook, Voila). Each question is
an anywidget view (static/quiz_widget.js) with real HTML: a named group of
native inputs, labels that wrap, the hint, and the verdict announced once as
in the static quiz (whose stylesheet it shares). Judging comes from
book.data.scoring, so verdicts and score match the static quiz; the page gets no
answer before Check.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets as t

from book.data.paths import STATIC
from book.data.schema import Bank, Question
from book.data.scoring import Verdict, judge
from book.render.i18n import _
from book.render.markup import block, inline


class QuestionView(anywidget.AnyWidget):
    """One question on screen: markup and feedback from Python, choices back from the page."""

    _esm = STATIC / "quiz_widget.js"
    _css = STATIC / "quiz.css"
    markup = t.Unicode("").tag(sync=True)
    chosen = t.List(t.Int()).tag(sync=True)
    marks = t.List(t.Unicode()).tag(sync=True)       # per option: "right", "wrong" or ""
    feedback = t.List(t.Unicode()).tag(sync=True)    # per option: HTML, or "" before Check
    result = t.Unicode("").tag(sync=True)
    verdict = t.Unicode("").tag(sync=True)
    explanation = t.Unicode("").tag(sync=True)
    seq = t.Int(0).tag(sync=True)                    # bumped on each Check: the page moves the focus


def question_markup(q: Question, n: int, total: int) -> str:
    """The question as the static quiz shows it (quiz_html.py): a fieldset named
    by the prompt, described by the situation and the hint; no answers in it.
    __UID__ is replaced in the page by an id unique to the view."""
    multiple = q.type == "multiple"
    kind = "checkbox" if multiple else "radio"
    hint = _("quiz.choose_many") if multiple else _("quiz.choose_one")
    qid = "__UID__"
    parts = [f'<div class="kq-q"><p class="kq-num">{html.escape(_("quiz.question").format(n=n, total=total))}</p>']
    described = f"{qid}-hint"
    if q.situation:
        parts.append(f'<div class="kq-situation" id="{qid}-sit">'
                     f'<p><strong>{html.escape(_("quiz.situation"))}:</strong> '
                     f'{inline(q.situation)}</p></div>')
        described = f"{qid}-sit {described}"
    parts.append(f'<fieldset aria-describedby="{described}"><legend class="kq-prompt">{inline(q.prompt)}</legend>')
    parts.append(f'<p class="kq-hint" id="{qid}-hint">{html.escape(hint)}</p>')
    for i, opt in enumerate(q.options):
        oid = f"{qid}-o{i}"
        parts.append(f'<div class="kq-opt"><input type="{kind}" id="{oid}" name="{qid}" value="{i}">'
                     f'<label for="{oid}">{inline(opt.text)}</label><div class="kq-fb" hidden></div></div>')
    parts.append("</fieldset>")
    check = _("quiz.check_n").format(n=n)
    parts.append(f'<div class="kq-actions"><button type="button" class="kq-check" aria-label="{html.escape(check)}">'
                 f'{html.escape(_("quiz.check"))}</button></div>')
    # Not a live region: the page moves the focus here when it changes, so the verdict is read once.
    parts.append('<div class="kq-result" tabindex="-1"></div><div class="kq-explain" hidden></div></div>')
    return "".join(parts)


def _sentence(words: str) -> str:
    """'correct answer' as the start of a sentence."""
    return words[:1].upper() + words[1:]


class QuestionWidget:
    def __init__(self, q: Question, n: int, total: int, on_change: Callable[[], None]):
        self.q = q
        self._on_change = on_change
        self.verdict: Verdict | None = None
        self.view = QuestionView(markup=question_markup(q, n, total), marks=[""] * len(q.options),
                                 feedback=[""] * len(q.options))
        self.view.on_msg(self._message)
        self.box = self.view

    def _message(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        """Check carries the picks itself: the front end may hold back a state
        update while the kernel is busy, but sends a message at once, so the
        picks in the state could be older than the click."""
        if content.get("event") != "check":
            return
        picks = content.get("chosen")
        if isinstance(picks, list) and all(isinstance(i, int) for i in picks):
            self.select(picks)
        self.check()

    def chosen(self) -> set[int]:
        return {i for i in self.view.chosen if 0 <= i < len(self.q.options)}

    def select(self, indices: Iterable[int]) -> None:
        """Set the answer as a learner would (used by tests and demos)."""
        self.view.chosen = sorted(set(indices))

    def check(self) -> None:
        chosen = self.chosen()
        if not chosen:
            with self.view.hold_sync():
                self.view.result = html.escape(_("quiz.choose_first"))
                self.view.seq += 1
            return
        self.verdict = judge(self.q, chosen)
        head = _("quiz.correct") if self.verdict.correct else (
            _("quiz.partial") if self.verdict.partial else _("quiz.incorrect"))
        marks, feedback = [], []
        for i, o in enumerate(self.q.options):
            mark = _sentence(_("quiz.correct_mark") if o.correct else _("quiz.wrong_mark"))
            you = f' <span class="kq-you">{html.escape(_("quiz.you_chose"))}</span>' if i in chosen else ""
            marks.append("right" if o.correct else "wrong")
            feedback.append(f'<span class="kq-mark"><span class="kq-tag">{html.escape(mark)}</span>{you}</span> '
                            f'{inline(o.feedback)}')
        explain = f"<p><strong>{html.escape(_('quiz.why'))}:</strong></p>{block(self.q.explanation)}" \
            if self.q.explanation else ""
        with self.view.hold_sync():
            self.view.marks, self.view.feedback = marks, feedback
            self.view.result = html.escape(head)
            self.view.verdict = ("correct" if self.verdict.correct
                                 else "partial" if self.verdict.partial else "incorrect")
            self.view.explanation = explain
            self.view.seq += 1
        self._on_change()


class QuizWidget:
    """All questions in a column, with a running score. An exam bank (the final
    check) is shown as practice: its whole pool, each question checked on its
    own; the scored attempt (one question per learning point) is the book's."""

    def __init__(self, bank: Bank):
        self.bank = bank
        total = len(bank.questions)
        intro = (_("quiz.practice_intro") if bank.exam else _("quiz.widget_intro")).format(count=total)
        self.intro = w.HTML(f"<p>{html.escape(intro)}</p>")
        self.score_label = w.HTML("")
        self.questions = {q.id: QuestionWidget(q, n, total, self._update)
                          for n, q in enumerate(bank.questions, 1)}
        self.box = w.VBox([self.intro, self.score_label] + [qw.box for qw in self.questions.values()],
                          layout=w.Layout(width="100%", max_width="48rem"))
        self._update()

    @property
    def score(self) -> int:
        return sum(bool(qw.verdict and qw.verdict.correct) for qw in self.questions.values())

    @property
    def answered(self) -> int:
        return sum(qw.verdict is not None for qw in self.questions.values())

    def _update(self) -> None:
        self.score_label.value = "<p><strong>" + html.escape(_("quiz.score").format(
            score=self.score, total=len(self.questions), answered=self.answered)) + "</strong></p>"


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
                mark = _sentence(_("quiz.correct_mark") if o.correct else _("quiz.wrong_mark"))
                parts.append(f"<li>{inline(o.text)}<br><strong>{html.escape(mark)}.</strong> {inline(o.feedback)}</li>")
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
