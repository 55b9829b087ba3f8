"""The static quiz: accessible HTML that works with no kernel and no network.

The markup is complete without JavaScript (questions, options, hidden
feedback); book/static/quiz.js adds checking, scoring, saving and projector
mode. Element ids derive from quiz and question ids, so output is identical
between runs (nbval compares it). An exam bank renders its whole pool;
quiz.js shows one question per learning point (data-kq-point) per attempt.
"""
from __future__ import annotations

import html
import json
from typing import Any

from book.data.schema import Bank, Question
from book.render.i18n import _, strings
from book.render.markup import block, inline


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def point(q: Question) -> str:
    """The learning point a question tests in an exam; without one, it is its own."""
    return q.tags.point or q.id


def points(bank: Bank) -> list[str]:
    """An exam's learning points, in the order they first appear."""
    return list(dict.fromkeys(point(q) for q in bank.questions))


def answer_key(bank: Bank) -> dict[str, Any]:
    """What the progress and certificate pages need to judge stored answers:
    [id, type, option count, right options, point] per question, options in
    the order _question renders them (their numbers are what quiz.js stores)."""
    return {"exam": bank.exam,
            "questions": [[q.id, q.type, len(q.options), [i for i, o in enumerate(q.options) if o.correct],
                           point(q)] for q in bank.questions]}


def _question(bank: Bank, q: Question, n: int, total: int) -> str:
    qid = f"kq-{bank.id}-{q.id}"
    multiple = q.type == "multiple"
    kind = "checkbox" if multiple else "radio"
    hint = _("quiz.choose_many") if multiple else _("quiz.choose_one")
    exam = f' data-kq-point="{_attr(point(q))}"' if bank.exam else ""
    parts = [f'<li class="kq-q" id="{qid}" data-kq-q="{_attr(q.id)}" data-kq-type="{q.type}"{exam}>']
    parts.append(f'<p class="kq-num">{html.escape(_("quiz.question").format(n=n, total=total))}</p>')
    described = f"{qid}-hint"
    if q.situation:
        label = html.escape(_("quiz.situation"))
        parts.append(f'<div class="kq-situation" id="{qid}-sit"><p><strong>{label}:</strong> '
                     f'{inline(q.situation)}</p></div>')
        described = f"{qid}-sit {described}"
    parts.append(f'<fieldset aria-describedby="{described}"><legend class="kq-prompt">{inline(q.prompt)}</legend>')
    parts.append(f'<p class="kq-hint" id="{qid}-hint">{html.escape(hint)}</p>')
    for i, opt in enumerate(q.options):
        oid = f"{qid}-o{i}"
        correct = "true" if opt.correct else "false"
        parts.append(
            f'<div class="kq-opt" data-kq-correct="{correct}">'
            f'<input type="{kind}" id="{oid}" name="{qid}" value="{i}">'
            f'<label for="{oid}">{inline(opt.text)}</label>'
            f'<div class="kq-fb" id="{oid}-fb" hidden>'
            f'<span class="kq-mark"></span> {inline(opt.feedback)}</div></div>')
    parts.append("</fieldset>")
    if not bank.exam:  # an exam is submitted as a whole (render)
        # Named with their question; the visible word starts the name (WCAG 2.5.3).
        check, again = _("quiz.check_n").format(n=n), _("quiz.try_again_n").format(n=n)
        parts.append(f'<div class="kq-actions"><button type="button" class="kq-check" aria-label="{_attr(check)}">'
                     f'{html.escape(_("quiz.check"))}</button><button type="button" class="kq-retry" '
                     f'aria-label="{_attr(again)}" hidden>{html.escape(_("quiz.try_again"))}</button></div>')
    # Not a live region: quiz.js moves the focus here when it writes, so the verdict is read once.
    parts.append(f'<div class="kq-result" id="{qid}-result"></div>')
    if q.explanation:
        parts.append(f'<div class="kq-explain" id="{qid}-explain" hidden>'
                     f'<p><strong>{html.escape(_("quiz.why"))}:</strong></p>{block(q.explanation)}</div>')
    parts.append("</li>")
    return "".join(parts)


def render(bank: Bank) -> str:
    """The whole quiz as one HTML fragment."""
    total = len(bank.questions)
    ui = json.dumps(strings("quiz."), sort_keys=True, ensure_ascii=False)
    root = f"kq-{bank.id}"
    exam = ' data-kq-exam="true"' if bank.exam else ""
    # Named unlike the page's heading, which often repeats the bank's title.
    out = [f'<section class="kq-quiz" id="{root}" data-kq-quiz="{_attr(bank.id)}"{exam} '
           f'data-kq-strings="{_attr(ui)}" aria-label="{_attr(_("quiz.region").format(title=bank.title))}">']
    intro = _("quiz.exam_intro").format(count=bank.attempt_size()) if bank.exam else _("quiz.intro").format(count=total)
    out.append(f'<p class="kq-intro">{html.escape(intro)}</p>')
    out.append(f'<div class="kq-toolbar"><button type="button" class="kq-projector-open">'
               f'{html.escape(_("quiz.projector"))}</button>'
               f'<button type="button" class="kq-clear">{html.escape(_("quiz.clear"))}</button></div>')
    out.append(f'<p class="kq-score" id="{root}-score"></p>')  # not live: each check is announced once
    out.append('<ol class="kq-list">')
    out.extend(_question(bank, q, n, total) for n, q in enumerate(bank.questions, 1))
    out.append("</ol>")
    if bank.exam:  # quiz.js moves the focus to the summary on submitting: not a live region
        out.append(f'<div class="kq-summary" id="{root}-summary" hidden></div>')
        out.append(f'<div class="kq-actions kq-exam-actions"><button type="button" class="kq-submit">'
                   f'{html.escape(_("quiz.submit"))}</button><button type="button" class="kq-retake" hidden>'
                   f'{html.escape(_("quiz.retake"))}</button></div>')
    else:
        out.append(f'<div class="kq-summary" id="{root}-summary" role="status" aria-live="polite" hidden></div>')
    out.append("</section>")
    return "".join(out)
