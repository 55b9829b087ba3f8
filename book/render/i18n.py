"""Every interface string, from one gettext catalogue per language.

The catalogue is a standard .po file (read with Babel, already a Sphinx
dependency), so adding Khmer means adding `locale/km/LC_MESSAGES/book.po`
and setting `language: km` in `_config.yml`; no code changes.
"""
from __future__ import annotations

from functools import lru_cache

from babel.messages.pofile import read_po

from book.data.config import settings
from book.data.paths import project


def language() -> str:
    return settings().language


@lru_cache(maxsize=8)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> text; English fills any gap in another language."""
    def read(code: str) -> dict[str, str]:
        path = project().locale / code / "LC_MESSAGES" / "book.po"
        if not path.exists():
            return {}
        with path.open("rb") as fh:
            cat = read_po(fh)
        return {m.id: m.string for m in cat
                if isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy}
    table = read("en")
    if lang != "en":
        table.update(read(lang))
    return table


def _(msgid: str) -> str:
    return catalogue(language()).get(msgid, msgid)


def strings(prefix: str) -> dict[str, str]:
    """All strings under a prefix, e.g. the ones the quiz script needs."""
    return {k: v for k, v in catalogue(language()).items() if k.startswith(prefix)}
