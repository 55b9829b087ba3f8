"""The ipywidgets quiz and projector view, in-process (the comparison with
the static quiz in Chromium is in test_quiz_parity.py; the quiz in real
JupyterLab and Voila is in test_jupyter_clients.py)."""
from __future__ import annotations

import re

from book.data import banks
from book.quiz import BOOK_HTML, show
from book.render.markup import inline
from book.render.quiz_widget import ProjectorWidget, QuizWidget


def test_show_offers_a_widget_and_no_answers_outside_the_book(monkeypatch):
    monkeypatch.delenv(BOOK_HTML, raising=False)
    bundle = show("law")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "text/html" not in bundle          # Jupyter shows a saved fallback before the notebook runs
    assert "Run this cell" in bundle["text/markdown"] and "Run this cell" in bundle["text/plain"]
    bank = banks.load_id("law")
    fallback = bundle["text/markdown"] + bundle["text/plain"]
    assert not any(inline(o.feedback) in fallback for q in bank.questions for o in q.options)


def test_the_book_build_gets_the_static_quiz(monkeypatch):
    monkeypatch.setenv(BOOK_HTML, "1")
    bundle = show("final")._repr_mimebundle_()
    assert 'class="kq-quiz"' in bundle["text/html"]
    assert show("final").html == show("final").html


def test_widget_markup_has_no_answers_and_names_its_groups():
    bank = banks.load_id("law")
    quiz = QuizWidget(bank)
    for q in bank.questions:
        markup = quiz.questions[q.id].view.markup
        assert "correct" not in markup and not any(inline(o.feedback) in markup for o in q.options)
        assert markup.count("<fieldset") == 1 and "<legend" in markup
        hint = "Choose all answers that apply." if q.type == "multiple" else "Choose one answer."
        assert hint in markup and 'aria-describedby="' in markup
        kind = "checkbox" if q.type == "multiple" else "radio"
        assert len(re.findall(rf'<input type="{kind}" id="__UID__-o\d+" name="__UID__"', markup)) == len(q.options)
        assert all(f'<label for="__UID__-o{i}">{inline(o.text)}</label>' in markup for i, o in enumerate(q.options))


def test_widget_feedback_and_score():
    bank = banks.load_id("final")
    quiz = QuizWidget(bank)
    q = bank.questions[0]
    right = [i for i, o in enumerate(q.options) if o.correct]
    qw = quiz.questions[q.id]
    qw.check()
    assert "Choose an answer first" in qw.view.result and quiz.answered == 0 and qw.view.seq == 1
    qw.select(right)
    qw.check()
    assert qw.verdict.correct and quiz.score == 1 and qw.view.seq == 2
    assert qw.view.result == "Correct."
    assert inline(q.options[right[0]].feedback) in qw.view.feedback[right[0]]
    assert "Score: 1 of" in quiz.score_label.value
    assert "Practice" in quiz.intro.value    # the exam bank: all questions, said to be practice


def test_feedback_punctuation():
    bank = banks.load_id("law")
    quiz = QuizWidget(bank)
    for q in bank.questions:
        qw = quiz.questions[q.id]
        qw.select([0])
        qw.check()
        for text in qw.view.feedback:
            plain = re.sub(r"<[^>]+>", " ", text)
            assert not re.search(r"[.!?]\s*[.:]", plain), plain
            assert not re.search(r"\(\s*You chose", plain), plain
            assert re.match(r"\s*(Correct answer|Not the answer)\s", plain), plain


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
