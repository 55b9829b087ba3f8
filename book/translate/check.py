"""The translation checks `python -m book validate` (and so every build) runs.

Each catalogue under locale/ must parse (book/translate/catalogue.py names
the line), and every translation must keep what the book fills in or links
to, as the English has it (book/translate/protected.py):
- each `{name}` placeholder (book.po: compared with the English of its key);
- each role with its target, `{fact}`law-2008``, `{ref}`... <target>``;
- each Markdown link target and web address;
- the numbers: phone numbers are never typed into a translation (they come
  from facts.yml through {fact}), and a changed digit is the likeliest slip.
Each translation is compared with the English it was made from (an outdated
one with its previous msgid; in book.po, the English recorded in the file),
so an edit of the English never fails validate, nor the command that then
updates the catalogues (book/translate/update.py).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from book.data.errors import BookError, Problem
from book.translate import catalogue, protected

CHECKS: list[tuple[Callable[[str], Counter[str]], str, str]] = [
    (protected.placeholders, "placeholder",
     "keep every {name} of the English exactly as it is: the book fills it in"),
    (protected.roles, "role",
     "copy each {role}`target` of the English unchanged (only a title before <target> is translated)"),
    (protected.link_targets, "link target",
     "keep each link's target (the part in round brackets) and web address as in the English"),
    (protected.numbers, "number",
     "write the numbers of the English; never type a phone number (it comes from facts.yml through {fact})"),
]


# Only a string with one of these can hold a placeholder, role, link target,
# web address or number: two strings without any agree on all four checks.
_MAY_HOLD = re.compile(r"[{\]\d]|https?:|mailto:")


def _difference(source: str, translation: str, count: Callable[[str], Counter[str]], kind: str) -> str | None:
    want, got = count(source), count(translation)
    missing, extra = list((want - got).elements()), list((got - want).elements())
    if not missing and not extra:
        return None
    said = []
    if missing:
        said.append(f"drops the {kind}{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if extra:
        said.append(f"adds the {kind}{'s' if len(extra) > 1 else ''} {', '.join(extra)}")
    return f"the translation {' and '.join(said)}"


def _sources(message: Message, english: str | None) -> list[str]:
    """The English the translation was made from: the previous msgid of an
    outdated message; in book.po, the English the file recorded at its last
    update (`#.`), so that each file is checked against its own English and an
    English edit never fails the command that updates the files."""
    was = catalogue.english_was(message)
    if message.fuzzy and was is not None:
        return [was]
    if english is not None:
        return ["\n".join(message.auto_comments) if message.auto_comments else english]
    if message.fuzzy and message.previous_id:
        return list(message.previous_id)
    return [message.id] if isinstance(message.id, str) else list(message.id)


def message_problems(where: str, message: Message, english: str | None = None) -> list[Problem]:
    """Problems of one translated message; `english` for a message keyed by key (book.po)."""
    sources = _sources(message, english)
    problems = []
    for translation in [s for s in catalogue.strings(message) if s]:
        if not _MAY_HOLD.search(translation) and not any(_MAY_HOLD.search(s) for s in sources):
            continue
        for count, kind, fix in CHECKS:
            # A plural form may keep the singular's or the plural's English.
            found = [_difference(source, translation, count, kind) for source in sources]
            if all(found):
                problems.append(Problem(where, str(message.lineno or ""), f"{found[-1]}", fix))
    return problems


def catalogue_problems(path: Path, catalog: Catalog, english: dict[str, str] | None = None) -> list[Problem]:
    where = catalogue.shown(path)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        source = english.get(message.id) if english is not None and isinstance(message.id, str) else None
        if english is not None and source is None:
            continue   # a key the English no longer has: `python -m book translations` drops it
        problems += message_problems(where, message, source)
    return problems


def check_catalogues() -> list[Problem]:
    """Every catalogue of every language, and each language's glossary."""
    from book.translate.glossary import glossary_problems
    problems: list[Problem] = []
    english: dict[str, str] | None = None
    try:
        english = catalogue.english_texts()
    except BookError as exc:
        problems += exc.problems
    for lang in catalogue.languages():
        for path in catalogue.files(lang):
            try:
                catalog = catalogue.read(path)
            except BookError as exc:
                problems += exc.problems
                continue
            keyed = english if catalogue.name_of(path, lang) == catalogue.INTERFACE else None
            if keyed is None and catalogue.name_of(path, lang) == catalogue.INTERFACE:
                continue   # the English book.po is broken: said above
            problems += catalogue_problems(path, catalog, keyed)
        problems += glossary_problems(lang)
    return problems
