"""Question banks: one YAML file per quiz in quizzes/, checked against the schema
and against the fact registry."""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from book.data import facts as facts_mod
from book.data.errors import BookError, Problem
from book.data.loading import load_model
from book.data.ordering import presented
from book.data.paths import project
from book.data.schema import Bank, Question
from book.data.yamlfile import display_path

# A page shows a quiz with `show("law")` in a code cell (book/quiz.py).
SHOW = re.compile(r"""show\(\s*["']([a-z0-9-]+)["']""")


def shown_in(text: str) -> list[str]:
    """The quiz ids a page's code shows, in order."""
    return SHOW.findall(text)


def bank_path(quiz_id: str) -> Path:
    return project().quizzes / f"{quiz_id}.yml"


def all_paths() -> list[Path]:
    return sorted(project().quizzes.glob("*.yml"))


def load(path: Path, registry: facts_mod.Facts | None = None) -> Bank:
    """A validated bank, with options in the order learners see them
    (book/data/ordering.py), or BookError listing every problem with its line."""
    return presented(load_authored(path, registry))


def load_authored(path: Path, registry: facts_mod.Facts | None = None) -> Bank:
    """A validated bank with options in the order of the file (translation
    catalogues key options by that place, which the shuffle never changes)."""
    bank, _data, lines = load_model(path, Bank)
    shown = display_path(path)
    problems: list[Problem] = []
    if bank.id != path.stem:
        problems.append(Problem(shown, str(lines.get(("id",), "")),
                                f"quiz id '{bank.id}' does not match the file name",
                                f"rename the file to {bank.id}.yml or set id: {path.stem}"))
    registry = registry or facts_mod.load()
    seen: set[str] = set()
    for i, q in enumerate(bank.questions):
        def line(i: int = i) -> str:  # looked up only for a problem: a valid bank never needs it
            return str(lines.get(("questions", i), ""))
        if q.id in seen:
            problems.append(Problem(shown, line(), f"question id '{q.id}' is used twice",
                                    "give each question its own id"))
        seen.add(q.id)
        cited = question_facts(q)
        for fid in cited:
            if fid not in registry:
                problems.append(Problem(shown, line(), f"question '{q.id}': unknown fact id '{fid}'",
                                        "use an id from facts.yml or add the fact there"))
    if bank.exam:
        problems += exam_problems(bank, lines, shown)
    if problems:
        raise BookError(problems)
    return bank


def exam_problems(bank: Bank, lines: dict[Any, int], shown: str) -> list[Problem]:
    """An exam draws one question per learning point: every question needs
    `tags.point`, and every point at least two variants so a retake differs."""
    problems = []
    variants: dict[str, list[int]] = {}
    for i, q in enumerate(bank.questions):
        if q.tags.point is None:
            problems.append(Problem(shown, str(lines.get(("questions", i, "tags"), "")),
                                    f"question '{q.id}' has no learning point, but the bank is an exam",
                                    "add tags.point: <slug>, the same slug as its variants"))
        else:
            variants.setdefault(q.tags.point, []).append(i)
    for point, found in variants.items():
        if len(found) < 2:
            q = bank.questions[found[0]]
            problems.append(Problem(shown, str(lines.get(("questions", found[0], "tags"), "")),
                                    f"question '{q.id}': point '{point}' has only one question, so a retake "
                                    "would ask it again", "write a second variant with the same tags.point "
                                    "(another situation testing the same point)"))
    return problems


def question_facts(q: Question) -> list[str]:
    """The facts a question rests on: its `facts:` list and every {fact} in its text."""
    return list(q.facts) + [fid for t in q.texts() for fid in facts_mod.cited_ids(t)]


def cited(bank: Bank) -> list[str]:
    """Every fact a bank cites, each once, in order of first use."""
    return list(dict.fromkeys(fid for q in bank.questions for fid in question_facts(q)))


# Minutes a learner needs for one question. A question with its options is
# about 80 words and the feedback shown after Check about 80 more (every
# module bank, measured 2026-11-29); readers of English as a second language
# read about 150 words a minute, so about one minute a question. The book's
# quiz times (the journey page, session plans) are worked out from it, never
# typed, so a bank that grows cannot keep an old time.
MINUTES_PER_QUESTION = 1.0


def quiz_minutes(bank: Bank) -> int:
    """About how many minutes one attempt at the bank takes, in whole minutes."""
    return math.ceil(bank.attempt_size() * MINUTES_PER_QUESTION)


def load_id(quiz_id: str) -> Bank:
    path = bank_path(quiz_id)
    if not path.exists():
        raise BookError(Problem(display_path(path), "", f"no question bank '{quiz_id}'",
                                f"create quizzes/{quiz_id}.yml or fix the id passed to show()"))
    return load(path)
