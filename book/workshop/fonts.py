"""The fonts a workshop pack document needs for its language.

A pack document loads nothing (its content security policy allows no
request), and most machines have no Khmer font: Chromium would print boxes.
So a document whose `<html lang>` is Khmer gets Noto Sans Khmer inside it,
subset to the document's own Khmer characters (book/fonts.py; a few KB,
as data: URLs, which the policy's `font-src data:` allows), and the Khmer
rules of templates/workshop/khmer.css. A document in another language is
returned unchanged.
"""
from __future__ import annotations

import re

from book import fonts
from book.data.paths import TEMPLATES

KHMER_RULES = TEMPLATES / "workshop" / "khmer.css"
_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']?([A-Za-z-]+)", re.IGNORECASE)


def language(document: str) -> str:
    """The primary language of an HTML document (`km` for `km-KH`); '' if none is given."""
    found = _LANG.search(document)
    return found.group(1).split("-")[0].lower() if found else ""


def with_fonts(name: str, document: str) -> str:
    """`document` (the HTML of pack file `name`) with the fonts its language needs."""
    if language(document) != "km":
        return document
    fonts.check((name, str(number), line) for number, line in enumerate(document.splitlines(), 1))
    style = fonts.embedded_faces(document) + KHMER_RULES.read_text(encoding="utf-8")
    return document.replace("</head>", f"<style>\n{style}</style>\n</head>", 1)
