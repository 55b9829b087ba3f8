"""Khmer search on the real Khmer book (_build/html/km): for each module, a
Khmer word of one of its headings, taken from the module's catalogue and cut
into clusters as the book's search pattern cuts it, typed into the Khmer
search page in Chromium, finds that module's page, and no module page that
lacks one of its clusters; over http and from file://.

The word is the first heading word (in the notebook's order) that some other
module's page lacks a cluster of, so a search that found every page would fail."""
from __future__ import annotations

import json
import re
from functools import cache

import pytest
from conftest import HTML, ROOT
from lxml import html as lxml_html
from test_khmer_search import search

from book.sphinx.khmer_search import SearchKhmer
from book.translate import catalogue

MODULES = sorted(p.stem for p in (ROOT / "modules").glob("[0-9][0-9]-*.ipynb"))
# A run of Khmer letters, signs and digits: a word as far as spaces and
# Khmer punctuation (។ ៖ ...) tell, cut into clusters by the search pattern.
KHMER_RUN = re.compile(r"[\u1780-\u17D3\u17DD\u17E0-\u17E9\u200C\u200D]+")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)


def clusters(text: str) -> set[str]:
    return set(SearchKhmer({}).split(text))


def headings(module: str) -> list[str]:
    """The English headings of a module's notebook, in order."""
    notebook = json.loads((ROOT / "modules" / f"{module}.ipynb").read_text(encoding="utf-8"))
    return [h for cell in notebook["cells"] if cell["cell_type"] == "markdown"
            for h in HEADING.findall("".join(cell["source"]))]


@cache
def page_clusters(module: str) -> frozenset[str]:
    """The clusters of the text of the built Khmer module page."""
    tree = lxml_html.fromstring((HTML / "km" / "modules" / f"{module}.html").read_bytes())
    return frozenset(clusters(" ".join(tree.xpath("//main//text()"))))


def word_of(module: str) -> tuple[str, list[str]]:
    """A Khmer word of the module's headings (from its catalogue) that the
    module's page holds whole, and the other modules whose pages lack one of its clusters."""
    po = catalogue.read(ROOT / "locale" / "km" / "LC_MESSAGES" / "modules" / f"{module}.po")
    for english in headings(module):
        message = po.get(english)
        if message is None or not isinstance(message.string, str):
            continue
        for word in KHMER_RUN.findall(message.string):
            cut = clusters(word)
            if len(cut) < 2 or not cut <= page_clusters(module):
                continue
            lacking = [m for m in MODULES if m != module and not cut <= page_clusters(m)]
            if lacking:
                return word, lacking
    raise AssertionError(f"{module}: no heading word of its Khmer catalogue tells its page from the other modules")


@pytest.mark.parametrize("where", ["http", "file"])
@pytest.mark.parametrize("module", MODULES)
def test_a_khmer_word_of_each_module_finds_its_page(browser, built_book, server, where, module):
    assert len(MODULES) == 7, MODULES
    word, lacking = word_of(module)
    start = (server if where == "http" else built_book.as_uri() + "/") + "km/"
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        found = search(page, start, word)
    finally:
        ctx.close()
    assert f"modules/{module}.html" in found, f"{word!r} (a heading word of {module}) did not find it: {found}"
    wrong = [m for m in lacking if f"modules/{m}.html" in found]
    assert not wrong, f"{word!r} found {wrong}, whose pages lack one of its clusters"
