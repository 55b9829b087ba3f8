"""The static quiz: accessible HTML that works with no kernel and no network.

The markup is complete without JavaScript (questions, options, hidden
feedback); book/static/quiz.js adds checking, scoring, saving and projector
mode. Element ids derive from quiz and question ids, so output is identical
between runs (nbval compares it).
"""
from __future__ import annotations

import html
import json

from .i18n import _, strings
from .markup import block, inline
from .schema import Bank, Question


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _question(bank: Bank, q: Question, n: int, total: int) -> str:
    qid = f"kq-{bank.id}-{q.id}"
    multiple = q.type == "multiple"
    kind = "checkbox" if multiple else "radio"
    hint = _("quiz.choose_many") if multiple else _("quiz.choose_one")
    parts = [f'<li class="kq-q" id="{qid}" data-kq-q="{_attr(q.id)}" data-kq-type="{q.type}">']
    parts.append(f'<p class="kq-num">{html.escape(_("quiz.question").format(n=n, total=total))}</p>')
    described = f"{qid}-hint"
    if q.situation:
        parts.append(f'<div class="kq-situation" id="{qid}-sit"><p><strong>{html.escape(_("quiz.situation"))}:</strong> '
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
    parts.append(f'<div class="kq-actions"><button type="button" class="kq-check">{html.escape(_("quiz.check"))}</button>'
                 f'<button type="button" class="kq-retry" hidden>{html.escape(_("quiz.try_again"))}</button></div>')
    parts.append(f'<div class="kq-result" id="{qid}-result" role="status" aria-live="polite"></div>')
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
    out = [f'<section class="kq-quiz" id="{root}" data-kq-quiz="{_attr(bank.id)}" '
           f'data-kq-strings="{_attr(ui)}" aria-label="{_attr(bank.title)}">']
    out.append(f'<p class="kq-intro">{html.escape(_("quiz.intro").format(count=total))}</p>')
    out.append(f'<div class="kq-toolbar"><button type="button" class="kq-projector-open">'
               f'{html.escape(_("quiz.projector"))}</button>'
               f'<button type="button" class="kq-clear">{html.escape(_("quiz.clear"))}</button></div>')
    out.append(f'<p class="kq-score" id="{root}-score" aria-live="polite"></p>')
    out.append('<ol class="kq-list">')
    out.extend(_question(bank, q, n, total) for n, q in enumerate(bank.questions, 1))
    out.append("</ol>")
    out.append(f'<div class="kq-summary" id="{root}-summary" role="status" aria-live="polite" hidden></div>')
    out.append("</section>")
    return "".join(out)
