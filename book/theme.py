"""Which of the theme's stylesheets the book merges into its one trimmed
stylesheet, and so which files a built book no longer links. Read by the
Sphinx extension (book/sphinx/assets.py) and by the build (book/build.py),
which prunes those files; no Sphinx import, so the build needs none."""
from __future__ import annotations

from pathlib import Path

from book.data.errors import BookError, Problem

BUNDLE = "kq/theme.css"
# The stylesheets the theme links on every page, in its order, then the
# book's own two.
BUNDLED = ["basic.css", "styles/pydata-sphinx-theme.css", "pygments.css",
           "styles/sphinx-book-theme.css", "mystnb.*.css", "kq/icons.css", "kq/book.css"]
# Also linked by the theme, but only an @import of basic.css: dropped.
IMPORT_ONLY = ["styles/theme.css"]


def bundle_sources(static: Path) -> list[str]:
    """The files under `static` that go into the bundle, in order."""
    found = []
    for pattern in BUNDLED:
        matches = sorted(p.relative_to(static).as_posix() for p in static.glob(pattern))
        if len(matches) != 1:
            raise BookError(Problem(f"_static/{pattern}", "", f"expected one stylesheet, found {len(matches)}",
                                    "update BUNDLED in book/theme.py to the theme's stylesheets"))
        found.append(matches[0])
    return found


def replaced_by_bundle(static: Path) -> list[str]:
    """The files under `static` no page links any more: the build prunes them."""
    return bundle_sources(static) + IMPORT_ONLY
