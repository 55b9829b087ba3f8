"""Moodle XML: every bank as a question category, ready for Moodle's
question bank import ("Moodle XML format").

Moodle has no schema for this format; its importer's rules are what count:
grades from its fixed list, true/false answers named `true` and `false`, one
100% answer for a single-answer question, positive grades adding up to 100%
for a multiple-answer one. Text is HTML in CDATA.
"""
from __future__ import annotations

import html
from pathlib import Path

from lxml import etree

from book.data.schema import Bank, Question
from book.export.common import (
    Job,
    general_feedback_html,
    graded_answers,
    question_html,
    true_false_words,
    true_is_right,
)

FILE = "kampot-quizzes-moodle.xml"
TAKES_QUIZ = True
NEEDS_BOOK = False


def _text(parent: etree._Element, tag: str, content: str) -> etree._Element:
    """An HTML text element, in CDATA as Moodle writes it (escaped if it cannot be)."""
    el = etree.SubElement(parent, tag, format="html")
    etree.SubElement(el, "text").text = etree.CDATA(content) if "]]>" not in content else content
    return el


def category_path(*names: str) -> str:
    """Moodle's category path; a slash inside a name is written twice."""
    return "/".join(["$course$", "top"] + [n.replace("/", "//") for n in names])


def _category(quiz: etree._Element, book_title: str, bank: Bank, info: str) -> None:
    q = etree.SubElement(quiz, "question", type="category")
    cat = etree.SubElement(q, "category")
    etree.SubElement(cat, "text").text = category_path(book_title, bank.title)
    _text(q, "info", f"<p>{html.escape(info)}</p>")


def _question(quiz: etree._Element, bank: Bank, question: Question) -> None:
    qtype = "truefalse" if question.type == "true-false" else "multichoice"
    q = etree.SubElement(quiz, "question", type=qtype)
    name = etree.SubElement(q, "name")
    etree.SubElement(name, "text").text = f"{bank.id}: {question.id}"
    _text(q, "questiontext", question_html(question))
    _text(q, "generalfeedback", general_feedback_html(question))
    etree.SubElement(q, "defaultgrade").text = "1"
    etree.SubElement(q, "penalty").text = "0" if qtype == "truefalse" else "0.3333333"
    etree.SubElement(q, "hidden").text = "0"
    etree.SubElement(q, "idnumber").text = f"{bank.id}-{question.id}"
    if qtype == "multichoice":
        etree.SubElement(q, "single").text = "false" if question.type == "multiple" else "true"
        etree.SubElement(q, "shuffleanswers").text = "false"  # the order is presented_options'
        etree.SubElement(q, "answernumbering").text = "abc"
        etree.SubElement(q, "showstandardinstruction").text = "1"
    words = true_false_words(bank, question) if qtype == "truefalse" else []
    for n, a in enumerate(graded_answers(bank, question)):
        answer = etree.SubElement(q, "answer", fraction=a.grade)
        if qtype == "truefalse":
            # Moodle matches the literal words; the option says which one it is.
            answer.set("format", "moodle_auto_format")
            etree.SubElement(answer, "text").text = words[n]
        else:
            answer.set("format", "html")
            etree.SubElement(answer, "text").text = etree.CDATA(a.text_html)
        _text(answer, "feedback", a.feedback_html)
    tags = etree.SubElement(q, "tags")
    names = [f"module:{question.tags.module}", f"difficulty:{question.tags.difficulty}"] + [
        f"role:{r}" for r in question.tags.roles]
    if question.tags.objective:
        names.append(f"objective:{question.tags.objective}")
    for tag in names:
        etree.SubElement(etree.SubElement(tags, "tag"), "text").text = tag


def document(job: Job) -> bytes:
    quiz = etree.Element("quiz")
    quiz.append(etree.Comment(f" {job.stamp.text.replace('--', '- -')} "))
    for bank in job.banks:
        _category(quiz, job.stamp.title, bank, job.stamp.text)
        for question in bank.questions:
            if question.type == "true-false":
                true_is_right(bank, question)  # refuses options that are not True and False
            _question(quiz, bank, question)
    return bytes(etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write(job: Job, folder: Path) -> list[Path]:
    path = folder / FILE
    path.write_bytes(document(job))
    return [path]
