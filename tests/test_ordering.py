"""The order learners see options in (book/data/ordering.py): decided once, the
same in the static quiz, the live widget, the printed quiz sheet, the answer
key and the session plan, identical between runs, and spread so that a place
says nothing about the answer."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from book import workshop
from book.data import banks, modules, ordering
from book.render import sessions
from book.render.markup import inline
from book.render.quiz_html import render
from book.render.quiz_widget import ProjectorWidget, QuizWidget
from book.translate import apply

WORDS = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor"]


def option(text: str, correct: bool) -> dict:
    return {"text": text, "correct": correct, "feedback": f"Feedback on this choice ({'right' if correct else 'wrong'})."}


def question(qid: str, kind: str, right: list[int], n: int = 4, point: str | None = None) -> dict:
    """Options named '<qid> amber', '<qid> birch' ...: unique in the whole bank."""
    if kind == "true-false":
        opts = [option("True", 0 in right), option("False", 1 in right)]
    else:
        opts = [option(f"{qid} {WORDS[i]}", i in right) for i in range(n)]
    q = {"id": qid, "type": kind, "prompt": f"Prompt of {qid}?", "options": opts,
         "tags": {"module": "law", "roles": ["guide"], "difficulty": "easy", "objective": 1}}
    if kind == "scenario":
        q["situation"] = f"The situation of {qid}."
    if point:
        q["tags"]["point"] = point
    return q


def write_bank(tmp_path: Path, bank_id: str, questions: list[dict], exam: bool = False) -> Path:
    data = {"id": bank_id, "title": f"Bank {bank_id}", "questions": questions}
    if exam:
        data["exam"] = True
    path = tmp_path / f"{bank_id}.yml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(data)), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def mixed(prefix: str = "m") -> list[dict]:
    """Every type; right answers written first, as the old banks did."""
    return [question(f"{prefix}-s{i}", "single", [0]) for i in range(6)] + [
        question(f"{prefix}-sc", "scenario", [0], n=3),
        question(f"{prefix}-tf1", "true-false", [1]),
        question(f"{prefix}-tf2", "true-false", [0]),
        question(f"{prefix}-m1", "multiple", [0, 1, 2], n=5),
        question(f"{prefix}-m2", "multiple", [0, 1], n=4),
    ]


def order_in(text: str, q) -> list[str]:
    """The question's option texts in the order they first appear in `text`."""
    found = {o.text: text.find(o.text) for o in q.options}
    assert all(i >= 0 for i in found.values()), (q.id, found)
    return sorted(found, key=found.get)


def static_orders(html: str, bank) -> dict[str, list[str]]:
    """question id -> its option labels (HTML) in page order; checks value and data-kq-correct."""
    out = {}
    for q in bank.questions:
        m = re.search(rf'<li class="kq-q" id="kq-{bank.id}-{q.id}".*?</li>', html, re.S)
        labels = re.findall(r"<label for=\"[^\"]+-o(\d+)\">(.*?)</label>", m.group(0))
        assert [int(i) for i, _ in labels] == list(range(len(q.options)))  # value = place shown
        out[q.id] = [text for _, text in labels]
        right = re.findall(r'data-kq-correct="(true|false)"', m.group(0))
        assert right == ["true" if o.correct else "false" for o in q.options]
    return out


def test_true_false_shows_true_then_false(tmp_path):
    bank = banks.load(write_bank(tmp_path, "tf", [question("a", "true-false", [1]), question("b", "true-false", [0])]))
    for q in bank.questions:
        assert [o.text for o in q.options] == ["True", "False"]
    raw = yaml.safe_load((tmp_path / "tf.yml").read_text())
    raw["questions"][0]["options"].reverse()  # written False first: still shown True first
    (tmp_path / "tf.yml").write_text(yaml.safe_dump(json.loads(json.dumps(raw)), sort_keys=False))
    q = banks.load(tmp_path / "tf.yml").questions[0]
    assert [o.text for o in q.options] == ["True", "False"] and q.options[1].correct


def test_right_answer_written_first_is_spread_evenly(tmp_path):
    bank = banks.load(write_bank(tmp_path, "spread", [question(f"q{i}", "single", [0]) for i in range(12)]))
    places = Counter(next(i for i, o in enumerate(q.options) if o.correct) for q in bank.questions)
    assert places == {0: 3, 1: 3, 2: 3, 3: 3}
    ticks = banks.load(write_bank(tmp_path, "ticks", [question(f"t{i}", "multiple", [0, 1], n=5) for i in range(6)]))
    first = [q.id for q in ticks.questions if q.options[0].correct and q.options[1].correct]
    assert len(first) < 6


def test_variants_of_a_point_get_different_places(tmp_path):
    qs = [question(f"p{p}-v{v}", "single", [0], point=f"point-{p}") for p in range(4) for v in range(2)]
    bank = banks.load(write_bank(tmp_path, "exam", qs, exam=True))
    place = {q.id: next(i for i, o in enumerate(q.options) if o.correct) for q in bank.questions}
    for p in range(4):
        assert place[f"p{p}-v0"] != place[f"p{p}-v1"]
    assert Counter(place.values()) == {0: 2, 1: 2, 2: 2, 3: 2}


def test_order_is_the_same_every_time_and_ignores_wording(tmp_path):
    path = write_bank(tmp_path, "same", mixed())
    first, second = banks.load(path), banks.load(path)
    assert first == second
    assert render(first) == render(second)
    text = path.read_text().replace("m-s0 birch", "m-s0 birch, said in other words")
    path.write_text(text)
    edited = banks.load(path)
    before = [o.text.split(",")[0] for o in first.questions[0].options]
    after = [o.text.split(",")[0] for o in edited.questions[0].options]
    assert before == after


def test_presented_order_is_a_permutation_keeping_feedback(tmp_path):
    path = write_bank(tmp_path, "perm", mixed())
    raw = yaml.safe_load(path.read_text())
    bank = banks.load(path)
    for q, written in zip(bank.questions, raw["questions"]):
        pairs = {(o.text, o.correct, o.feedback) for o in q.options}
        assert pairs == {(o["text"], o["correct"], o["feedback"]) for o in written["options"]}


def test_every_renderer_shows_the_same_order(tmp_path, monkeypatch):
    bank = banks.load(write_bank(tmp_path, "law", mixed("law")))
    shown = {q.id: [o.text for o in q.options] for q in bank.questions}
    # Not the file's order: the right answer was written first everywhere.
    assert any(not q.options[0].correct for q in bank.questions if q.type == "single")

    # The static quiz.
    html = render(bank)
    assert static_orders(html, bank) == {qid: [inline(t) for t in texts] for qid, texts in shown.items()}

    # The live widget and its projector view.
    quiz = QuizWidget(bank)
    for q in bank.questions:
        qw = quiz.questions[q.id]
        labels = re.findall(r'<label for="__UID__-o\d+">(.*?)</label>', qw.view.markup)
        assert labels == [inline(t) for t in shown[q.id]], q.id
        right = [i for i, o in enumerate(q.options) if o.correct]
        qw.select(right)
        qw.check()
        assert qw.verdict.correct, q.id
    projector = ProjectorWidget(bank)
    for n, q in enumerate(bank.questions):
        projector.index = n
        projector.reveal()
        assert order_in(projector.body.value, q) == shown[q.id]

    # The workshop pack (quiz sheet, answer key) and the session plan, for module 1 with this bank.
    monkeypatch.setattr(banks, "load_id", lambda quiz_id: bank)
    monkeypatch.setattr(apply, "bank", lambda quiz_id, lang=None: bank)   # plans and packs load it in the page language
    pack = workshop.make_pack("1")
    docs = workshop.render(pack)
    plan = sessions.render_plan(sessions.plan(modules.find("1")), "quiz.html", "module.html")
    for name, text in (("quiz sheet", docs["quiz-sheets.html"]), ("answer key", docs["answer-key.html"]),
                       ("session plan", plan)):
        for q in bank.questions:
            assert order_in(text, q) == shown[q.id], (name, q.id)
    for k in pack.sessions[0].key:
        assert k.right == [k.letters[i] for i, o in enumerate(k.question.options) if o.correct]
        assert [o.text for o in k.question.options] == shown[k.question.id]
    # Identical between runs.
    assert workshop.render(workshop.make_pack("1")) == docs


@pytest.mark.parametrize("quiz_id", [p.stem for p in banks.all_paths()])
def test_real_banks_show_the_presented_order(quiz_id):
    """The real banks: loading applies ordering.option_orders to the file's
    order, and the quiz markup (value, data-kq-correct) follows it."""
    bank = banks.load_id(quiz_id)
    raw = yaml.safe_load(banks.bank_path(quiz_id).read_text(encoding="utf-8"))
    written = {q["id"]: [o["text"] for o in q["options"]] for q in raw["questions"]}
    unordered = bank.model_copy(update={"questions": [
        q.model_copy(update={"options": sorted(q.options, key=lambda o: written[q.id].index(o.text))})
        for q in bank.questions]})
    orders = ordering.option_orders(unordered)
    assert {q.id: [written[q.id][i] for i in orders[q.id]] for q in bank.questions} == \
        {q.id: [o.text for o in q.options] for q in bank.questions}
    assert static_orders(render(bank), bank) == {q.id: [inline(o.text) for o in q.options] for q in bank.questions}
    for q in bank.questions:
        if q.type == "true-false":
            assert [o.text for o in q.options] == ["True", "False"]
