"""Every interface string, from one gettext catalogue per language.

The catalogue is a standard .po file (read with Babel, already a Sphinx
dependency), so adding Khmer means adding `locale/km/LC_MESSAGES/book.po`;
no code changes. The page language of a process is `KAMPOT_BOOK_LANG` when
set (book/build.py sets it for the Khmer build, and the notebook kernels
that build starts inherit it), else `_config.yml`'s `language`.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from babel.messages.pofile import read_po

from book.data.config import settings
from book.data.paths import project

LANG_VARIABLE = "KAMPOT_BOOK_LANG"
_held: list[str] = []      # in_language() blocks, innermost last


def language() -> str:
    """The language this process writes pages in."""
    return (_held[-1] if _held else None) or os.environ.get(LANG_VARIABLE) or settings().language


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Work in `lang` inside the block: the checks judge the sources as the
    main language shows them (the item check measures rendered text, and the
    text saved for plain Jupyter is English), in every build's process."""
    _held.append(lang)
    try:
        yield
    finally:
        _held.pop()


@lru_cache(maxsize=8)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> text; English fills any gap in another language. Draft
    (fuzzy) translations are used: they are the draft edition, which shows
    a banner saying so (book/sphinx/languages.py); an empty one is a gap."""
    def read(code: str) -> dict[str, str]:
        path = project().locale / code / "LC_MESSAGES" / "book.po"
        if not path.exists():
            return {}
        with path.open("rb") as fh:
            cat = read_po(fh)
        return {m.id: m.string for m in cat
                if isinstance(m.id, str) and isinstance(m.string, str) and m.string}
    table = read("en")
    if lang != "en":
        table.update(read(lang))
    return table


def _(msgid: str) -> str:
    return catalogue(language()).get(msgid, msgid)


def strings(prefix: str) -> dict[str, str]:
    """All strings under a prefix, e.g. the ones the quiz script needs."""
    return {k: v for k, v in catalogue(language()).items() if k.startswith(prefix)}
