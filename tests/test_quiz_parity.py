"""The ipywidgets quiz, driven in-process, and the static quiz, driven in
Chromium (by clicks in the page), give the same verdict for every question of every bank, and the
same score (an exam bank: every question over submitted attempts, each
attempt scoring its own questions)."""
from __future__ import annotations

import re

import nbformat
import pytest
from conftest import RECORD_FORMAT, ROOT, open_page, wait_ready

from book.data import banks
from book.render.i18n import strings

SHOW = re.compile(r"""show\(\s*["']([a-z0-9-]+)["']""")


def quiz_pages() -> dict[str, str]:
    """bank id -> built page (relative URL) that shows it."""
    pages = {}
    for nb_path in sorted([*(ROOT / "modules").glob("*.ipynb"), *(ROOT / "pages").glob("*.ipynb")]):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for quiz_id in SHOW.findall(cell.source if cell.cell_type == "code" else ""):
                pages[quiz_id] = str(nb_path.relative_to(ROOT).with_suffix(".html"))
    return pages


def choice(question, right: bool) -> list[int]:
    """The options a learner picks: the right ones, or a wrong (or partly wrong) pick."""
    correct = [i for i, o in enumerate(question.options) if o.correct]
    wrong = [i for i, o in enumerate(question.options) if not o.correct]
    if right:
        return correct
    if question.type == "multiple" and len(correct) > 1:
        return correct[:1]          # partly right: some missing
    return wrong[:1]


def plan(bank, flip: bool) -> dict[str, list[int]]:
    return {q.id: choice(q, (n % 2 == 0) != flip) for n, q in enumerate(bank.questions)}


def widget_results(plans: dict[str, dict[str, list[int]]]) -> dict:
    """What the ipywidgets quiz says for each plan, driven in-process (the
    widget's code is the same in a kernel; the notebooks' nbval checks run
    it in one)."""
    from book.render.quiz_widget import QuizWidget
    out = {}
    for quiz_id, picks in plans.items():
        widget = QuizWidget(banks.load_id(quiz_id))
        verdicts = {}
        for qid, chosen in picks.items():
            qw = widget.questions[qid]
            qw.select(chosen)
            qw.check()
            v = qw.verdict
            verdicts[qid] = "correct" if v.correct else ("partial" if v.partial else "incorrect")
        out[quiz_id] = {"verdicts": verdicts, "score": widget.score, "label": widget.score_label.value}
    return out


# Answers every question of a bank in the page, as clicks do (each chosen
# option ticked, then Check), and returns what each question then says: one
# round trip a bank instead of three a question (the page's own click events;
# test_quiz_browser.py drives the quiz with Playwright's mouse and keyboard).
ANSWER_ALL = """([bank, plan]) => plan.map(([qid, chosen]) => {
  const root = document.getElementById(`kq-${bank}-${qid}`);
  for (const i of chosen) {
    const box = document.getElementById(`kq-${bank}-${qid}-o${i}`);
    if (!box.checked) box.click();
  }
  root.querySelector('.kq-check').click();
  return [qid, root.querySelector('.kq-result').innerText.trim()];
})"""


def static_verdicts(page, server, rel: str, bank, picks: dict[str, list[int]]):
    ui = strings("quiz.")
    names = {ui["quiz.correct"]: "correct", ui["quiz.partial"]: "partial", ui["quiz.incorrect"]: "incorrect"}
    open_page(page, server + rel)
    page.evaluate("localStorage.clear()")
    page.reload()
    wait_ready(page)
    said = page.evaluate(ANSWER_ALL, [bank.id, [[q.id, picks[q.id]] for q in bank.questions]])
    verdicts = {qid: next((v for k, v in names.items() if text.startswith(k)), text) for qid, text in said}
    score_text = page.locator(f"#kq-{bank.id}-score").inner_text()
    return verdicts, score_text


def static_exam_verdicts(page, server, rel: str, bank, picks: dict[str, list[int]]):
    """An exam is judged only when an attempt is submitted, and an attempt shows
    one question per learning point: submit as many attempts as the largest
    point has variants (written into storage, as quiz.js keeps them), so that
    every question of the pool is judged once. Returns the verdicts and, per
    attempt, (the score line, the questions of the attempt)."""
    ui = strings("quiz.")
    names = {ui["quiz.correct"]: "correct", ui["quiz.partial"]: "partial", ui["quiz.incorrect"]: "incorrect"}
    variants: dict[str, list[str]] = {}
    for q in bank.questions:
        variants.setdefault(q.tags.point or q.id, []).append(q.id)
    order = [q.id for q in bank.questions]
    open_page(page, server + rel)
    verdicts, attempts = {}, []
    for k in range(max(len(v) for v in variants.values())):
        chosen = sorted((v[k % len(v)] for v in variants.values()), key=order.index)
        record = {"v": RECORD_FORMAT, "attempt": {"set": chosen, "answers": {qid: picks[qid] for qid in chosen}, "submitted": True}}
        page.evaluate("([key, r]) => localStorage.setItem(key, JSON.stringify(r))", [f"kq:{bank.id}", record])
        page.reload()
        wait_ready(page)
        for qid in chosen:
            said = page.locator(f"#kq-{bank.id}-{qid} .kq-result").inner_text().strip()
            verdicts[qid] = next((v for key, v in names.items() if said.startswith(key)), said)
        attempts.append((page.locator(f"#kq-{bank.id}-score").inner_text().strip(), chosen))
    return verdicts, attempts


@pytest.mark.parametrize("flip", [False, True], ids=["even-right", "odd-right"])
def test_widget_and_static_quiz_agree(page, server, built_book, flip):
    pages = quiz_pages()
    assert pages, "no notebook shows a quiz"
    plans = {quiz_id: plan(banks.load_id(quiz_id), flip) for quiz_id in pages}
    live = widget_results(plans)
    ui = strings("quiz.")
    for quiz_id, rel in pages.items():
        bank = banks.load_id(quiz_id)
        if bank.exam:
            verdicts, attempts = static_exam_verdicts(page, server, rel, bank, plans[quiz_id])
            assert verdicts == live[quiz_id]["verdicts"], quiz_id
            assert live[quiz_id]["score"] == sum(v == "correct" for v in verdicts.values())
            for said, chosen in attempts:  # each attempt scores its own questions
                right_ = sum(verdicts[qid] == "correct" for qid in chosen)
                assert said == ui["quiz.score"].format(score=right_, total=len(chosen), answered=len(chosen))
            continue
        verdicts, score_text = static_verdicts(page, server, rel, bank, plans[quiz_id])
        assert verdicts == live[quiz_id]["verdicts"], quiz_id
        expected_right = sum(v == "correct" for v in verdicts.values())
        assert live[quiz_id]["score"] == expected_right
        expected = ui["quiz.score"].format(score=expected_right, total=len(bank.questions),
                                           answered=len(bank.questions))
        assert score_text.strip() == expected
        assert expected in live[quiz_id]["label"]
    page.watch.assert_clean("parity")
