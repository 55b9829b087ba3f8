"""Every interface string, from one gettext catalogue per language.

The catalogue is a standard .po file (read with Babel, already a Sphinx
dependency), so adding Khmer means adding `locale/km/LC_MESSAGES/book.po`;
no code changes. The page language of a process is `KAMPOT_BOOK_LANG` when
set (book/build.py sets it for the Khmer build, and the notebook kernels
that build starts inherit it), else `_config.yml`'s `language`.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

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


def catalogue(lang: str) -> dict[str, str]:
    """msgid -> text; English fills any gap in another language. Draft
    (fuzzy) translations are used: they are the draft edition, which shows
    a banner saying so (book/sphinx/languages.py); an empty one is a gap.
    Read again when the project or a catalogue file changes."""
    files = [project().locale / code / "LC_MESSAGES" / "book.po" for code in dict.fromkeys(["en", lang])]
    stamp = tuple((str(f), f.stat().st_mtime_ns if f.exists() else 0) for f in files)
    return _read_catalogues(stamp)


@lru_cache(maxsize=16)
def _read_catalogues(stamp: tuple[tuple[str, int], ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, _mtime in stamp:      # English first, the language over it
        path = Path(name)
        if not path.exists():
            continue
        with path.open("rb") as fh:
            cat = read_po(fh)
        table.update({m.id: m.string for m in cat
                      if isinstance(m.id, str) and isinstance(m.string, str) and m.string})
    return table


def _(msgid: str) -> str:
    return catalogue(language()).get(msgid, msgid)


def strings(prefix: str) -> dict[str, str]:
    """All strings under a prefix, e.g. the ones the quiz script needs."""
    return {k: v for k, v in catalogue(language()).items() if k.startswith(prefix)}


# --------------------------------------------------------------------- languages, plurals, dates, numbers
# Through Babel (CLDR) in the page's language. Digits stay Latin: CLDR's
# default for Khmer, and what phone numbers and fact dates use.

def available() -> list[str]:
    """English and every language with an interface catalogue."""
    found = sorted(p.parent.parent.name for p in project().locale.glob("*/LC_MESSAGES/book.po"))
    return ["en", *(code for code in found if code != "en")]


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def plural(key: str, n: int, **values: object) -> str:
    """The message `key.<form>` for n, the form chosen by the language's CLDR
    plural rule ('one' or 'other' in English; always 'other' in Khmer),
    filled with n and `values`: plural("plan.minutes", 5) -> '5 minutes'."""
    table = catalogue(language())
    form = _locale(language()).plural_form(n)
    text = table.get(f"{key}.{form}") or table.get(f"{key}.other") or f"{key}.other"
    return text.format(n=number(n), **values)


def number(value: float, decimals: int = 0) -> str:
    """A number as the language writes it (separators), with `decimals` places."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(value, format=pattern, locale=_locale(language())))


def date(day: dt.date, style: str = "short") -> str:
    """A date in the page's language, month names from CLDR. The pattern is
    the message `format.date_<style>` (a CLDR date pattern such as
    'd MMM y'), so each language sets its own order. A catalogue without
    it, or with a pattern that asks for a time of day, gets CLDR's own
    medium date for the language, never an error."""
    key = f"format.date_{style}"
    pattern, locale = _(key), _locale(language())
    if pattern != key and not set(pattern) & set("HhKkmsSaAbBzZOvVxX"):
        try:
            return str(format_date(day, pattern, locale=locale))
        except (ValueError, AttributeError, KeyError):
            pass
    return str(format_date(day, "medium", locale=locale))


def template_globals() -> dict[str, object]:
    """What every Jinja template gets: _, plural, number, date and the language code."""
    return {"_": _, "plural": plural, "number": number, "date": date, "language": language}


def book_title() -> str:
    """The book's title: _config.yml's in English, the catalogue's (book.title) in another language."""
    return settings().title if language() == "en" else _("book.title")
