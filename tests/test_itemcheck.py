"""The item check (book/itemcheck.py): small banks that break one rule each,
and one that keeps them all. Every problem is one line: file, line, the
question, the fix."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, book_command, copy_project

from book import itemcheck
from book.data import banks
from book.data.loading import load_model
from book.data.schema import Bank

TAGS = {"module": "law", "roles": ["driver"], "difficulty": "medium", "objective": 1}

# Wrong options a learner might pick, of different lengths; none has an absolute word.
SHORT = ["Wait and see", "Ask her directly", "Tell the manager", "Give her money"]
LONG = ["Call the police at once and tell them her name and where she works tonight",
        "Take her aside, ask her whether she is trafficked, and offer to drive her away",
        "Post about it in a local group so that other drivers can keep an eye on her"]


def opt(text: str, correct: bool = False) -> dict:
    return {"text": text, "correct": correct, "feedback": "Why this is right." if correct else "Why this is wrong."}


def single(qid: str, longest: bool = False, wrong: list[str] | None = None, right: str | None = None,
           objective: int = 1, point: str | None = None) -> dict:
    """Right answer first in the file; it is the longest option only if `longest`."""
    right = right or "Call the child line in private and say what you saw"
    wrong = wrong or ([SHORT[0], SHORT[1], SHORT[2]] if longest else [SHORT[0], LONG[0], SHORT[2]])
    tags = dict(TAGS, objective=objective, **({"point": point} if point else {}))
    return {"id": qid, "type": "single", "prompt": f"What should you do ({qid})?",
            "options": [opt(right, True)] + [opt(w) for w in wrong], "tags": tags}


def true_false(qid: str, true: bool, statement: str | None = None, point: str | None = None) -> dict:
    tags = dict(TAGS, **({"point": point} if point else {}))
    return {"id": qid, "type": "true-false", "prompt": statement or f"A statement to judge ({qid}).",
            "options": [opt("True", true), opt("False", not true)], "tags": tags}


def tick_all(qid: str, right: int, n: int = 5) -> dict:
    texts = ["Her age", "Who holds her papers", "Whether she can leave", "Her debts", "Her clothes", "Her phone"]
    return {"id": qid, "type": "multiple", "prompt": f"Which are signs to note ({qid})?",
            "options": [opt(texts[i], i < right) for i in range(n)], "tags": dict(TAGS)}


def good_questions() -> list[dict]:
    qs = [single(f"s{i}", longest=i < 3) for i in range(10)]
    qs += [true_false("t1", True), true_false("t2", False), true_false("t3", True), true_false("t4", False)]
    qs += [tick_all("m1", 2), tick_all("m2", 3), tick_all("m3", 2, n=4)]
    return qs


def write(tmp_path: Path, bank_id: str, questions: list[dict], exam: bool = False) -> Path:
    data = {"id": bank_id, "title": "A fixture bank", **({"exam": True} if exam else {}), "questions": questions}
    path = tmp_path / f"{bank_id}.yml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(data)), sort_keys=False), encoding="utf-8")
    return path


def problems(tmp_path: Path, questions: list[dict], exam: bool = False, presented: bool = True) -> list[str]:
    path = write(tmp_path, "fixture", questions, exam)
    bank = banks.load(path) if presented else load_model(path, Bank)[0]   # as learners see it, or as written
    return [str(p) for p in itemcheck.bank_problems(path, bank)]


def assert_one_line(lines: list[str], *words: str) -> str:
    """Exactly one problem; it names the file and a line, says each of `words`, and gives a fix."""
    assert len(lines) == 1, lines
    line = lines[0]
    assert re.match(r"^\S+fixture\.yml:\d+: ", line), line
    assert "; " in line and "\n" not in line, line
    for w in words:
        assert w in line, (w, line)
    return line


def test_a_good_bank_passes_every_rule(tmp_path):
    assert problems(tmp_path, good_questions()) == []


def test_right_answer_in_one_place(tmp_path):
    """As written (right answer always first) the order gives the answer away;
    as shown, book/data/ordering.py spreads it and the rule is met."""
    qs = [q for q in good_questions() if q["type"] != "multiple"]
    line = assert_one_line(problems(tmp_path, qs, presented=False), "option A in 10 of 10", "at most 40%", "s0")
    assert "three or more options" in line
    assert problems(tmp_path, qs) == []


def test_two_option_questions_cannot_spread(tmp_path):
    qs = [single(f"s{i}", wrong=[LONG[0]]) for i in range(10)]
    lines = problems(tmp_path, qs)
    assert len(lines) == 2 and all("in 5 of 10 one-answer questions (50%" in x for x in lines), lines


def test_right_answer_longest(tmp_path):
    qs = [single(f"s{i}", longest=i < 4) for i in range(10)]   # 40%
    assert_one_line(problems(tmp_path, qs), "the longest option in 4 of 10", "at most 35%", "s0, s1, s2, s3",
                    "say the right one more briefly")
    qs = [single(f"s{i}", longest=i < 3) for i in range(10)]   # 30%
    assert problems(tmp_path, qs) == []


def test_longest_counts_what_learners_read(tmp_path):
    """A cited fact is expanded, Markdown is not counted: lengths as shown."""
    short_with_fact = "Call {fact}`childsafe-hotline`"
    assert len(itemcheck.visible(short_with_fact)) > len(LONG[0])
    assert itemcheck.visible("*Never* go alone") == "Never go alone"
    qs = [single(f"s{i}", right=short_with_fact) for i in range(10)]
    assert_one_line(problems(tmp_path, qs), "the longest option in 10 of 10")


def test_proportions_wait_for_enough_questions(tmp_path):
    qs = [single(f"s{i}", longest=True) for i in range(itemcheck.MIN_PROPORTION_QUESTIONS - 1)]
    assert problems(tmp_path, qs) == []
    qs.append(single("one-more", longest=True))
    assert_one_line(problems(tmp_path, qs), "longest option in 8 of 8")


@pytest.mark.parametrize("trues, falses, fails", [
    (0, 4, True), (1, 4, True), (4, 1, True), (2, 3, False), (1, 2, False), (0, 1, False), (4, 6, False),
    (3, 7, True),
])
def test_true_false_balance(tmp_path, trues, falses, fails):
    qs = [true_false(f"t{i}", True) for i in range(trues)] + [true_false(f"f{i}", False) for i in range(falses)]
    lines = problems(tmp_path, qs)
    if fails:
        more = "False" if falses > trues else "True"
        assert_one_line(lines, f"'{more}' is the answer to {max(trues, falses)} of {trues + falses}",
                        "between 40% and 60%", "turn some of these statements around")
    else:
        assert lines == []


def test_tick_all_same_number_right(tmp_path):
    qs = [tick_all("m1", 3), tick_all("m2", 3), tick_all("m3", 3, n=4)]
    assert_one_line(problems(tmp_path, qs), "all 3 tick-all questions have 3 right options",
                    "give some of them 2 or 4 right options")
    qs = [tick_all("n1", 1), tick_all("n2", 1)]
    assert_one_line(problems(tmp_path, qs), "all 2 tick-all questions have 1 right option:",
                    "give some of them 2 right options")


def test_tick_all_right_options_first(tmp_path):
    qs = [tick_all("m1", 2), tick_all("m2", 3)]
    assert_one_line(problems(tmp_path, qs, presented=False), "right options are shown first: m1, m2")
    assert problems(tmp_path, qs) == []


def test_absolute_words_in_wrong_options(tmp_path):
    wrong = ["Never get involved", "Always call the police first and tell them her name and where she works",
             "Only the manager can act"]
    qs = [single(f"s{i}", wrong=wrong if i < 4 else None) for i in range(10)]
    line = assert_one_line(problems(tmp_path, qs), "absolute words", "in 40% of wrong options", "0% of right",
                           "s0, s1, s2, s3")
    assert "use them where they are true" in line


def test_absolute_words_in_false_statements(tmp_path):
    qs = [single(f"s{i}") for i in range(8)]
    qs += [true_false(f"f{i}", False, "A sex worker is always trafficked.") for i in range(5)]
    qs += [true_false(f"t{i}", True, "A sign is a reason to refer.") for i in range(5)]
    assert_one_line(problems(tmp_path, qs), "absolute words", "f0, f1")


def test_absolute_words_used_fairly_pass(tmp_path):
    qs = [single(f"s{i}", wrong=["Never get involved", SHORT[1], LONG[1]] if i < 2 else None,
                 right="Always call the child line for a child" if i < 2 else None) for i in range(10)]
    assert problems(tmp_path, qs) == []
    assert itemcheck.has_absolute("No one else can help") and itemcheck.has_absolute("ALL of them")
    assert not itemcheck.has_absolute("Call the line") and not itemcheck.has_absolute("Tell them it is usually fine")


def test_exam_banks_count_an_average_attempt(tmp_path):
    """In an exam, a point with two variants counts once: weights 1/2 each."""
    qs = [true_false("a1", False, point="pa"), true_false("a2", False, point="pa"),
          true_false("b1", True, point="pb"), true_false("b2", True, point="pb"),
          true_false("c1", False, point="pc"), true_false("c2", True, point="pc")]
    f = itemcheck.figures(banks.load(write(tmp_path, "exam", qs, exam=True)))
    assert (f.true, f.false) == (1.5, 1.5)
    qs = [single(f"p{p}-v{v}", longest=True, point=f"p{p}") for p in range(8) for v in range(2)]
    line = assert_one_line(problems(tmp_path, qs, exam=True), "longest option in 8 of 8",
                           "(in an average attempt)")
    assert "p0-v0" in line


def test_final_check_repeating_a_module_question(tmp_path):
    module = write(tmp_path, "law", [
        single("law-main", right="The Law on Suppression of Human Trafficking and Sexual Exploitation"),
        true_false("law-kampot", False, "Kampot has its own local law on sex work, different from the rest of Cambodia."),
    ])
    final = write(tmp_path, "final", [
        true_false("final-kampot", False, "Kampot has its own local law on sex work and trafficking."),
        {**single("final-new", right="Say no, and call the child line from a private place"),
         "type": "scenario", "situation": "A guest asks a driver at night to find him a young girl."},
    ])
    found = itemcheck.repeat_problems({module: banks.load(module)}, {final: banks.load(final)})
    assert len(found) == 1, found
    line = str(found[0])
    assert line.startswith(f"{itemcheck.display_path(final)}:") and "'final-kampot' repeats question 'law-kampot'" in line
    assert "new situation" in line
    assert itemcheck.similarity(banks.load(final).questions[1], banks.load(module).questions[0]) < 0.3


def test_objectives_need_two_questions_each(tmp_path):
    path = write(tmp_path, "law", [single("a", objective=1), single("b", objective=1), single("c", objective=2),
                                   single("d", objective=4), {**single("e"), "tags": {**TAGS, "objective": None}}])
    objectives = ["Name the main law.", "Say what is and is not a crime.", "Explain what the law says about children."]
    lines = [str(p) for p in itemcheck.objective_problems(path, banks.load(path), 1, objectives)]
    assert any("'d': module 1 has no objective 4 (it has 3)" in x for x in lines), lines
    assert any("'e' does not say which objective of module 1 it tests" in x for x in lines), lines
    assert any('objective 2 of module 1 ("Say what is and is not a crime.") is tested by 1 question (c)' in x
               and "tags.objective: 2" in x for x in lines), lines
    assert any("objective 3 of module 1" in x and "tested by 0 questions" in x for x in lines), lines
    assert not any("objective 1 of" in x for x in lines), lines
    assert len(lines) == 4 and all(re.match(r"^\S+law\.yml:\d*: .+; .+", x) for x in lines), lines


def test_exam_draws_enough_from_every_module(tmp_path):
    qs = [single(f"p{p}-v{v}", point=f"p{p}") for p in range(3) for v in range(2)]
    path = write(tmp_path, "final", qs, exam=True)
    lines = [str(p) for p in itemcheck.exam_problems(path, banks.load(path), ["law", "health"])]
    assert any("an attempt draws 3 questions" in x and f"fewer than {itemcheck.EXAM_MIN_POINTS}" in x for x in lines)
    assert any("no question tests module health" in x for x in lines)
    qs = [single(f"p{p}-v{v}", point=f"p{p}") for p in range(itemcheck.EXAM_MIN_POINTS) for v in range(2)]
    path = write(tmp_path, "final", qs, exam=True)
    assert itemcheck.exam_problems(path, banks.load(path), ["law"]) == []


def test_validate_reports_item_problems(tmp_path):
    """`python -m book validate` runs the item check: a copy of the book with a
    bank that gives its answers away fails with that bank's lines."""
    project = copy_project(tmp_path / "p")
    qs = [single(f"zz-s{i}", longest=True) for i in range(10)]
    write(project / "quizzes", "zz-leaky", qs)
    proc = book_command(["validate"], project)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    leaky = [x for x in proc.stderr.splitlines() if "zz-leaky.yml" in x]
    assert len(leaky) == 1 and leaky[0].startswith("error: quizzes/zz-leaky.yml:") and "longest" in leaky[0], leaky


def test_items_command_prints_every_bank():
    proc = subprocess.run([sys.executable, "-m", "book", "items"], cwd=ROOT, capture_output=True, text=True)
    assert "Traceback" not in proc.stderr
    loaded = {p: banks.load(p) for p in banks.all_paths()}
    for bank in loaded.values():
        assert re.search(rf"^{re.escape(bank.id)}\s", proc.stdout, re.M), (bank.id, proc.stdout)
    found = itemcheck.check(loaded)
    assert proc.returncode == (2 if found else 0)
    assert len([x for x in proc.stderr.splitlines() if x.startswith("error: ")]) == len(found)
