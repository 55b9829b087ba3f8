"""How an answer is judged; the one rule both quiz front ends follow.

The static script (book/static/quiz.js) implements the same rule in the
browser; tests check the two agree on every question of every bank.
"""
from __future__ import annotations

from dataclasses import dataclass

from book.data.schema import Question


@dataclass(frozen=True)
class Verdict:
    correct: bool
    partial: bool  # a multiple-select answer with some right choices


def judge(question: Question, chosen: set[int]) -> Verdict:
    right = {i for i, o in enumerate(question.options) if o.correct}
    if question.type == "multiple":
        return Verdict(chosen == right, bool(chosen & right) and chosen != right)
    return Verdict(len(chosen) == 1 and chosen <= right, False)

