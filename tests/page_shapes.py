"""Which built pages hold every kind of element: a walk that needs every
kind, not every page, opens those (tests/test_page_assets.py,
tests/test_accessibility.py)."""
from __future__ import annotations

from functools import cache
from html.parser import HTMLParser

from conftest import HTML

# Attributes that carry content, not a shape a selector of the theme picks out.
_CONTENT_ATTRIBUTES = {"class", "id", "href", "src", "title", "alt", "content", "for", "name", "value"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Shapes(HTMLParser):
    """Each element's shape (tag, classes, names of its other attributes) with its parent's shape."""

    def __init__(self) -> None:
        super().__init__()
        self.stack, self.found = ["#root"], set()

    def handle_starttag(self, tag, attrs):
        given = dict(attrs)
        shape = tag + "".join(f".{c}" for c in sorted((given.get("class") or "").split())) \
            + "".join(f"[{n}]" for n in sorted(given) if n not in _CONTENT_ATTRIBUTES)
        self.found.add((self.stack[-1], shape))
        if tag not in _VOID:
            self.stack.append(shape)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].split(".")[0].split("[")[0] == tag:
                del self.stack[i:]
                break


def covering_pages(pages: list[str]) -> list[str]:
    """The pages of each book that hold every element shape (with its parent's)
    of that book's pages: the biggest first, then any page with a shape not yet
    seen. The seven modules share one layout, as do the seven session plans, so
    these are about two thirds of the pages and a walk of them still meets
    every kind of element each book has."""
    chosen = []
    for book in sorted({rel.startswith("km/") for rel in pages}):
        found: dict[str, frozenset[tuple[str, str]]] = {}
        for rel in (r for r in pages if r.startswith("km/") == book):
            found[rel] = shapes(rel)
        seen: set[tuple[str, str]] = set()
        for rel in sorted(found, key=lambda r: (-len(found[r]), r)):
            if found[rel] - seen:
                chosen.append(rel)
                seen |= found[rel]
    return chosen


@cache
def shapes(rel: str) -> frozenset[tuple[str, str]]:
    """Every (parent's shape, element's shape) pair of a built page."""
    parser = _Shapes()
    parser.feed((HTML / rel).read_text(encoding="utf-8"))
    return frozenset(parser.found)
