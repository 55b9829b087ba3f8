"""Every interface string, from one gettext catalogue per language.

The catalogue is a standard .po file (read with Babel, already a Sphinx
dependency), so adding Khmer means adding `locale/km/LC_MESSAGES/book.po`
and setting `language: km` in `_config.yml`; no code changes.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from book.data.config import settings
from book.data.paths import project

LANG_ENV = "KAMPOT_BOOK_LANG"  # a build or a command in another language sets it


def language() -> str:
    return os.environ.get(LANG_ENV) or settings().language


@lru_cache(maxsize=8)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> text; English fills any gap in another language."""
    def read(code: str) -> dict[str, str]:
        path = project().locale / code / "LC_MESSAGES" / "book.po"
        if not path.exists():
            return {}
        with path.open("rb") as fh:
            cat = read_po(fh)
        # Fuzzy messages are our drafts: the draft edition shows them (RULES: "This session").
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


# --------------------------------------------------------------------- languages, plurals, dates, numbers
# Through Babel (CLDR) in the page's language. Digits stay Latin: CLDR's
# default for Khmer, and what phone numbers and fact dates use.

def available() -> list[str]:
    """English and every language with an interface catalogue."""
    found = sorted(p.parent.parent.name for p in project().locale.glob("*/LC_MESSAGES/book.po"))
    return ["en", *(code for code in found if code != "en")]


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Run a command (a workshop pack) in `lang`; the process's language afterwards is as before."""
    before = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = lang
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = before


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
    'd MMM y'), so each language sets its own order."""
    return str(format_date(day, _(f"format.date_{style}"), locale=_locale(language())))


def template_globals() -> dict[str, object]:
    """What every Jinja template gets: _, plural, number, date and the language code."""
    return {"_": _, "plural": plural, "number": number, "date": date, "language": language}


def book_title() -> str:
    """The book's title: _config.yml's in English, the catalogue's (book.title) in another language."""
    return settings().title if language() == "en" else _("book.title")
