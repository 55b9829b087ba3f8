"""The ipywidgets quiz and projector view, in-process (the
comparison with the static quiz in Chromium is in test_quiz_parity.py)."""
from __future__ import annotations

from book import banks
from book.markup import inline
from book.quiz import show
from book.quiz_widget import ProjectorWidget, QuizWidget


def test_show_offers_static_html_and_a_widget():
    bundle = show("final")._repr_mimebundle_()
    assert 'class="kq-quiz"' in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_static_html_is_identical_between_runs():
    assert show("final")._repr_html_() == show("final")._repr_html_()


def test_widget_feedback_and_score():
    bank = banks.load_id("final")
    quiz = QuizWidget(bank)
    q = bank.questions[0]
    right = [i for i, o in enumerate(q.options) if o.correct]
    qw = quiz.questions[q.id]
    qw.check()
    assert "Choose an answer first" in qw.feedback.value and quiz.answered == 0
    qw.select(right)
    qw.button.click()
    assert qw.verdict.correct and quiz.score == 1
    assert inline(q.options[right[0]].feedback) in qw.feedback.value
    assert "Score: 1 of" in quiz.score_label.value


def test_projector_hides_answers_until_reveal():
    bank = banks.load_id("final")
    view = ProjectorWidget(bank)
    q = bank.questions[0]
    feedback = inline(q.options[0].feedback)
    assert feedback not in view.body.value and view.prev_button.disabled
    view.reveal_button.click()
    assert feedback in view.body.value
    view.next_button.click()
    assert view.index == 1 and not view.revealed
    assert inline(bank.questions[1].prompt) in view.body.value
