"""Khmer search (book/sphinx/khmer_search.py) on a small Khmer Sphinx project
(tests/khmer_project.py: two pages, the book's theme), built with sphinx-build:
the index holds whole Khmer clusters, the browser cuts a query with the same
pattern, and a Khmer word typed into the search page finds the page that has
it and no other, over http and from file://; a word of no page finds nothing."""
from __future__ import annotations

import json
import re

import khmer_project as kp
import pytest
from conftest import serving

from book.sphinx.khmer_search import TOKEN, SearchKhmer, index_form

# A dependent vowel or sign at the start of a token: what English splitting
# (`\w+`, which stops at every vowel sign) leaves in a Khmer index.
FRAGMENT = re.compile(r"^\[?[\u17B4-\u17D3]")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return kp.built(tmp_path_factory.mktemp("km-search"))


@pytest.fixture(scope="module")
def http_root(site):
    with serving(site) as url:
        yield url


def index_of(site) -> dict:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def clusters(text: str) -> list[str]:
    return SearchKhmer({}).split(text)


def test_index_holds_whole_clusters_of_each_page(site):
    index = index_of(site)
    docs = index["docnames"]
    khmer = [t for t in index["terms"] if re.search("[\u1780-\u17ff]", t)]
    assert khmer, "no Khmer term in the index"
    fragments = [t for t in khmer if FRAGMENT.match(t)]
    assert not fragments, f"the index holds pieces of clusters: {fragments[:10]}"
    for term in khmer:
        token = term[1:-1] if term.startswith("[") else term
        assert TOKEN.fullmatch(token) and index_form(token) == term, term
    for word, doc in ((kp.ONE_WORD, "one"), (kp.TWO_WORD, "two")):
        for cluster in clusters(word):
            found = index["terms"][index_form(cluster)]
            found = found if isinstance(found, list) else [found]
            assert docs.index(doc) in found, f"{cluster} of {word} is not indexed for {doc}"


def test_fixture_words_tell_the_pages_apart():
    """Each page lacks a cluster of the other page's word, so finding both pages would be a false hit."""
    one = set(clusters(kp.ONE_TITLE + " ".join(kp.ONE_TEXT) + kp.BUTTON + kp.TALL))
    two = set(clusters(kp.TWO_TITLE + " ".join(kp.TWO_TEXT)))
    assert set(clusters(kp.ONE_WORD)) <= one and not set(clusters(kp.ONE_WORD)) <= two
    assert set(clusters(kp.TWO_WORD)) <= two and not set(clusters(kp.TWO_WORD)) <= one
    assert not set(clusters(kp.NO_WORD)) & (one | two)
    # Some cluster of a page's word also stands on the other page: Sphinx's
    # rule for short words alone would have let that page through.
    assert set(clusters(kp.TWO_WORD)) & one


def test_browser_cuts_a_query_as_the_index_was_cut(browser, http_root):
    glossary = (kp.ROOT / "locale" / "km" / "glossary.yml").read_text(encoding="utf-8")
    text = " ".join([kp.ONE_TITLE, *kp.ONE_TEXT, kp.TWO_TITLE, *kp.TWO_TEXT, kp.TALL, glossary,
                     "Police 012 ១២៣ café"])
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(http_root + "search.html", wait_until="load")
    in_browser = page.evaluate("t => splitQuery(t).map(w => new Stemmer().stemWord(w.toLowerCase()))", text)
    ctx.close()
    in_python = [index_form(t).lower() for t in SearchKhmer({}).split(text)]
    assert len(in_python) > 500
    assert in_browser == in_python


def search(page, start: str, word: str) -> list[str]:
    """Type `word` into the search page's field, press Enter, and return the
    pages found once the search says it has finished."""
    page.goto(start + "search.html", wait_until="load")
    field = page.locator(".bd-search-container form.bd-search input[name=q]")
    field.press_sequentially(word)
    with page.expect_navigation():
        field.press("Enter")
    page.wait_for_function("""() => { const s = document.querySelector("#search-results .search-summary");
                                      return s !== null && s.textContent.trim() !== ""; }""")
    hrefs = page.eval_on_selector_all("#search-results ul.search > li > a", "as => as.map(a => a.getAttribute('href'))")
    return sorted(h.split("#")[0] for h in hrefs)


@pytest.mark.parametrize("where", ["http", "file"])
@pytest.mark.parametrize("word, found", [(kp.ONE_WORD, ["one.html"]), (kp.TWO_WORD, ["two.html"]), (kp.NO_WORD, [])],
                         ids=["word-of-page-one", "word-of-page-two", "word-of-no-page"])
def test_a_typed_khmer_word_finds_its_page(browser, site, http_root, where, word, found):
    start = http_root if where == "http" else site.as_uri() + "/"
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        assert search(page, start, word) == found
        assert page.evaluate("new URLSearchParams(location.search).get('q')") == word
    finally:
        ctx.close()
