"""A pseudo-translation, and the check that finds English it did not reach.

`write()` makes a complete set of catalogues for one language from the
English: every message transformed (`Kampot` -> `⟦Ķáɱþóţ⟧`: each ASCII letter
accented, brackets around the message), keeping what a translation keeps
(placeholders, roles, link targets, inline code, web addresses, HTML tags;
book/translate/protected.py) and every digit and Markdown marker. A book
built from it shows no ASCII letter in any text a reader sees, except text
that no catalogue reaches: that is what `english_text()` returns.

Use it as `km` in a temporary copy of the project: Sphinx accepts any code
(unknown ones fall back to English dates and search), but Babel refuses to
format dates for a made-up code such as `qps`, and the Khmer build's own
choices (fonts, search, `lang`) are what the test must exercise.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog, Message
from lxml import html as lxml_html

from book.translate import catalogue, protected
from book.translate.merge import merge, merge_interface

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçďéƒĝĥíĵķĺɱñóþʠŕšţúṽŵẋýžÁƁÇĎÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ"
LETTERS = str.maketrans(_PLAIN, _ACCENTED)
OPEN, CLOSE = "⟦", "⟧"

# Visible text that is English in every edition on purpose: names of
# organisations as they write them, the language switcher's name for the
# English book, and PEP (the medicine's name in Khmer too). Text in an
# element marked lang="en" is English on purpose too (the key terms'
# English column, the sources cited).
ALLOWED = ("ChildSafe", "APLE", "English", "PEP")
# The letters of quiz options ("B", "A, D, F", "C. <option text>"): labels in
# every edition, as the quizzes and answer keys print them.
_OPTION_LABELS = re.compile(r"^[A-H](?:(?:, [A-H])*$|\.\s)")
# File names (a pack's index names the files to print).
_FILE_NAME = re.compile(r"(?<![\w.-])[\w-]+\.(?:html|pdf|zip)(?![\w.-])")


def transform(message: str) -> str:
    """The pseudo-translation of one English message."""
    if not message.strip():
        return message
    body = "".join(p.text if p.kept else p.text.translate(LETTERS) for p in protected.split(message))
    return f"{OPEN}{body}{CLOSE}"


def _translated(message: Message, english: str | tuple[str, ...] | list[str]) -> Message:
    if isinstance(english, str):
        message.string = transform(english)
    else:
        message.string = tuple(transform(english[-1]) for _form in catalogue.strings(message))
    message.flags.discard("fuzzy")
    return message


def write(locale: Path, lang: str, made: dict[str, Catalog], english: Catalog, fuzzy: bool = False) -> list[Path]:
    """Write `locale/<lang>/LC_MESSAGES/*.po`: every catalogue `made` from the
    English (book/translate/update.py: templates()), book.po from `english`,
    and the hand-made theme lists of every language under the project's
    locale/. `fuzzy` writes them as drafts (the Khmer book then shows its draft banner)."""
    folder = locale / lang / "LC_MESSAGES"
    written = []
    catalogues = {name: merge(None, template, lang) for name, template in made.items()}
    catalogues[catalogue.INTERFACE] = merge_interface(None, english, lang)
    texts = {m.id: m.string for m in english if m.id}
    for name in catalogue.HAND_MADE:
        theme = Catalog(locale=lang)
        for other in catalogue.languages():
            path = catalogue.folder(other) / f"{name}.po"
            for message in (catalogue.read(path) if path.exists() else []):
                if message.id and theme.get(message.id, message.context) is None:
                    theme.add(message.id, "", context=message.context)
        if len(theme):
            catalogues[name] = theme
    for name, catalog in catalogues.items():
        for message in catalog:
            if message.id:
                _translated(message, texts.get(message.id) or "" if name == catalogue.INTERFACE else message.id)
                if fuzzy:
                    message.flags.add("fuzzy")
        path = folder / f"{name}.po"
        catalogue.write(path, catalog)
        written.append(path)
    return written


# --------------------------------------------------------------------- the check

SKIPPED = {"script", "style", "code", "pre", "kbd", "samp", "svg", "math"}
ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "aria-description")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_ASCII = re.compile(r"[A-Za-z]")


class EnglishText(NamedTuple):
    file: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.text!r}"


def is_english(text: str, allowed: Iterable[str] = ALLOWED) -> bool:
    """Whether visible text holds a letter no translation made: an ASCII
    letter outside web addresses, placeholders, e-mail addresses, file names,
    option letters and the allowed words."""
    words = _EMAIL.sub(" ", protected.text_only(_OPTION_LABELS.sub(" ", text.strip())))
    words = _FILE_NAME.sub(" ", words)
    for word in sorted(allowed, key=len, reverse=True):
        words = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", " ", words)
    return bool(_ASCII.search(words))


def _label(element: lxml_html.HtmlElement) -> str:
    classes = ".".join(element.get("class", "").split())
    return f"{element.tag}.{classes}" if classes else str(element.tag)


def _texts(element: lxml_html.HtmlElement, english_on_purpose: bool) -> Iterator[tuple[str, str]]:
    """(where, text) for the element's own text, attributes and children, in order."""
    if not isinstance(element.tag, str) or element.tag in SKIPPED:
        return
    lang = element.get("lang")
    if lang is not None:
        english_on_purpose = lang.lower().split("-")[0] == "en"
    if not english_on_purpose:
        label = _label(element)
        if element.text:
            yield label, element.text
        for name in ATTRIBUTES:
            if element.get(name):
                yield f"{label}[{name}]", element.get(name)
        if element.tag == "input" and element.get("type") in ("button", "submit", "reset") and element.get("value"):
            yield f"{label}[value]", element.get("value")
        if element.get("data-kq-strings"):
            try:
                strings = json.loads(element.get("data-kq-strings"))
            except ValueError:
                strings = {}
            for key, value in (strings.items() if isinstance(strings, dict) else []):
                if isinstance(value, str):
                    yield f"{label}[data-kq-strings:{key}]", value
    for child in element:
        yield from _texts(child, english_on_purpose)
        if child.tail and not english_on_purpose:
            yield _label(element), child.tail


def english_text(page: str | bytes, file: str = "", allowed: Iterable[str] = ALLOWED) -> list[EnglishText]:
    """Every visible text of a page (text, tails, labels a reader or screen
    reader meets, the quiz's interface strings) that holds English."""
    root = lxml_html.document_fromstring(page)
    return [EnglishText(file, where, " ".join(text.split())) for where, text in _texts(root, False)
            if text.strip() and is_english(text, allowed)]


def english_in_folder(folder: Path, allowed: Iterable[str] = ALLOWED) -> list[EnglishText]:
    """english_text() of every page of a built book or a workshop pack (not the theme's own files)."""
    found = []
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        found += english_text(path.read_bytes(), rel.as_posix(), allowed)
    return found
