"""A small, safe Markdown subset for bank and registry text.

markdown-it-py (already used by MyST) with raw HTML off: emphasis, links,
lists and code spans render; a tag typed into a bank comes out as inert text.
A cited fact, {fact}`id`, is a token of the parser (like a code span), so no
text a contributor types can be mistaken for it; `render_fact` is its HTML
(the words, status and date checked) on pages, in quizzes, packs and exports.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from book.data import facts
from book.data.schema import Fact
from book.render.fact_label import status_label
from book.translate import apply


def _fact_rule(state: StateInline, silent: bool) -> bool:
    """Read {fact}`id` at the current position into a 'fact' token."""
    if state.src[state.pos] != "{":
        return False
    m = facts.CITE.match(state.src, state.pos, state.posMax)
    if m is None:
        return False
    if not silent:
        state.push("fact", "", 0).content = m.group(1)
    state.pos = m.end()
    return True


def _render_fact(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    from book.translate import apply  # here: book.translate reads banks, which use this module's checks
    fid = tokens[idx].content
    registry = apply.registry()         # in the page language
    if fid in registry:
        return render_fact(registry[fid])
    return f'<span class="fact fact-missing">[missing fact {html.escape(fid)}]</span>'


def _safe_link(url: str) -> bool:
    return re.match(r"^(https?:|mailto:|#|[a-z0-9._/-]+$)", url, re.I) is not None


@lru_cache(maxsize=2)
def _md(cite: bool) -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "list", "backticks", "escape", "newline"])
    md.validateLink = _safe_link  # type: ignore[method-assign]
    if cite:
        md.inline.ruler.before("backticks", "fact", _fact_rule)
        md.add_render_rule("fact", _render_fact)
    return md


def block(text: str, cite: bool = True) -> str:
    """Paragraph-level HTML (may contain <p>, <ul>)."""
    out: str = _md(cite).render(text or "")
    return out.strip()


def inline(text: str, cite: bool = True) -> str:
    """Inline HTML: a single paragraph loses its <p> wrapper."""
    out = block(text, cite)
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def render_fact(fact: Fact, on: dt.date | None = None) -> str:
    """HTML for a cited fact in the page language; the same markup on pages,
    in quizzes and in packs."""
    fact = apply.fact(fact)
    due = facts.needs_confirmation(fact, on)
    cls = f"fact fact-{fact.status}" + (" fact-confirm" if due else "")
    return (f'<span class="{cls}" data-fact="{fact.id}">{inline(facts.headline(fact), cite=False)}'
            f' <span class="fact-status">({html.escape(status_label(fact, on))})</span></span>')
