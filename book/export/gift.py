"""GIFT: Moodle's plain-text question format, one file for every bank.

Every text is HTML (`[html]`), with GIFT's special characters `\\ ~ = # { } :`
escaped and line breaks written as `\\n`, so nothing a bank says can end a
question or start an answer (an answer's leading `%` is written `&#37;`).
Grades are Moodle's (common.graded_answers).
"""
from __future__ import annotations

from pathlib import Path

from book.data.schema import Bank, Question
from book.export.common import (
    Job,
    general_feedback_html,
    graded_answers,
    question_html,
    true_false_words,
    true_is_right,
)
from book.export.moodle import category_path

FILE = "kampot-quizzes-gift.txt"
TAKES_QUIZ = True
NEEDS_BOOK = False
SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """GIFT text: backslash first, then each special character; newlines as \\n."""
    out = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def answer(html: str) -> str:
    """An answer's HTML, escaped; a leading % becomes the entity &#37; so that
    it is not read as a grade (GIFT cannot escape it)."""
    return escape("&#37;" + html[1:] if html.startswith("%") else html)


def comment(text: str) -> str:
    return "\n".join(f"// {line}" for line in text.splitlines())


def _answers(bank: Bank, question: Question) -> list[str]:
    answers = graded_answers(bank, question)
    general = general_feedback_html(question)
    tail = [f"####{escape(general)}"] if general else []
    if question.type == "true-false":
        right = true_is_right(bank, question)
        by_word = {word == "true": a for word, a in zip(true_false_words(bank, question), answers)}
        # {TRUE#feedback when answered wrongly#feedback when answered rightly}
        wrong_fb, right_fb = by_word[not right].feedback_html, by_word[right].feedback_html
        return [f"{'TRUE' if right else 'FALSE'}#{escape(wrong_fb)}#{escape(right_fb)}"] + tail
    lines = []
    for a in answers:
        if question.type == "multiple":
            mark = f"~%{a.grade}%"
        else:
            mark = "=" if a.grade == "100" else "~"
        lines.append(f"{mark}{answer(a.text_html)}#{escape(a.feedback_html)}")
    return lines + tail


def question_text(bank: Bank, question: Question) -> str:
    title = escape(f"{bank.id}: {question.id}")
    body = "\n".join(_answers(bank, question))
    return f"::{title}::[html]{escape(question_html(question))}{{\n{body}\n}}"


def document(job: Job) -> str:
    parts = [comment(job.stamp.text)]
    for bank in job.banks:
        parts.append(f"$CATEGORY: {category_path(job.stamp.title, bank.title)}")
        parts.extend(question_text(bank, q) for q in bank.questions)
    return "\n\n".join(parts) + "\n"


def write(job: Job, folder: Path) -> list[Path]:
    path = folder / FILE
    path.write_text(document(job), encoding="utf-8")
    return [path]
