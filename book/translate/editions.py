"""The book's editions: the main language at the root of the site
(`_build/html/`), each translation listed in `_config.yml` in a folder of
its own (`_build/html/km/`). Every link between them is relative, so it
works over http and from disk."""
from __future__ import annotations

import posixpath

from book.data.config import settings


def main() -> str:
    """The language of the book at the site's root (`_config.yml`'s `language`)."""
    return settings().language


def languages() -> list[str]:
    """Every language the book is built in, the main one first."""
    return [main(), *settings().translations]


def folder(lang: str) -> str:
    """Where a language's book lives under the site's root ("" for the main one)."""
    return "" if lang == main() else lang


def site_root(lang: str) -> str:
    """The site's root, relative to the root of a language's book ("" or "../")."""
    return "../" * len([part for part in folder(lang).split("/") if part])


def twin(pagename: str, here: str, there: str, suffix: str = ".html") -> str:
    """The relative link from page `pagename` of the `here` book to the same
    page of the `there` book."""
    source = posixpath.join(folder(here), pagename)
    target = posixpath.join(folder(there), pagename + suffix)
    return posixpath.relpath(target, posixpath.dirname(source) or ".")
