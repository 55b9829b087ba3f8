"""A small, safe Markdown subset for bank and registry text.

markdown-it-py (already used by MyST) with raw HTML off: emphasis, links,
lists and code spans render; a tag typed into a bank comes out as inert text.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "list", "backticks", "escape", "newline"])
    md.validateLink = lambda url: re.match(r"^(https?:|mailto:|#|[a-z0-9._/-]+$)", url, re.I) is not None
    return md


def block(text: str, cite: bool = True) -> str:
    """Paragraph-level HTML (may contain <p>, <ul>)."""
    return _expand(text or "", cite, lambda t: _md().render(t).strip())


def inline(text: str, cite: bool = True) -> str:
    """Inline HTML: a single paragraph loses its <p> wrapper."""
    out = block(text, cite)
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def _expand(text: str, cite: bool, render) -> str:
    """Swap {fact}`id` for placeholders, render Markdown, then put the facts in."""
    if not cite:
        return render(text)
    from . import facts as _facts
    ids = _facts.cited_ids(text)
    if not ids:
        return render(text)
    registry = _facts.load()
    marks = {}
    for n, fid in enumerate(ids):
        mark = f"FACTMARK{n}X"
        text = text.replace(f"{{fact}}`{fid}`", mark, 1)
        marks[mark] = _facts.render_inline(registry[fid]) if fid in registry else (
            f'<span class="fact fact-missing">[missing fact {fid}]</span>')
    out = render(text)
    for mark, html_ in marks.items():
        out = out.replace(mark, html_)
    return out
