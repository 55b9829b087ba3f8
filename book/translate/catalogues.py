"""Read the translation catalogues (gettext .po, with Babel) of one language.

A catalogue is named by its domain, its path under LC_MESSAGES without
`.po`: `quizzes/law`, `facts`, `roles`, `modules/01-law`. A message is
looked up by its context and its English text (msgid), as gettext does, so
a translation of English that has since changed is never shown.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from babel.messages.pofile import read_po

from book.data.paths import project


class Entry(NamedTuple):
    text: str        # the translation; "" when there is none yet
    draft: bool      # gettext's fuzzy flag: not yet reviewed by a Khmer-speaking reviewer


Key = tuple[str | None, str]     # (context, English)


def path(lang: str, domain: str) -> Path:
    return project().locale / lang / "LC_MESSAGES" / f"{domain}.po"


class Catalogue(NamedTuple):
    entries: dict[Key, Entry]     # every message
    translated: dict[Key, str]    # those with a translation, drafts included


EMPTY = Catalogue({}, {})


@lru_cache(maxsize=64)
def _read(file: Path, stamp: tuple[int, int]) -> Catalogue:
    with file.open("rb") as fh:
        cat = read_po(fh)
    out: dict[Key, Entry] = {}
    for m in cat:
        if isinstance(m.id, str) and m.id and isinstance(m.string, str):
            out[(m.context, m.id)] = Entry(m.string, m.fuzzy)
    return Catalogue(out, {key: e.text for key, e in out.items() if e.text})


def read(lang: str, domain: str) -> Catalogue:
    """A catalogue, read again only when its file changes; an absent one is empty.
    Drafts count as translated: the draft edition uses them (English stands
    in for the rest), and says so (book/sphinx/languages.py)."""
    file = path(lang, domain)
    try:
        info = file.stat()
    except OSError:
        return EMPTY
    return _read(file, (info.st_mtime_ns, info.st_size))


def reviewed(entry: Entry | None) -> bool:
    """A translation a reviewer has cleared: present, not empty, not a draft."""
    return entry is not None and bool(entry.text) and not entry.draft
