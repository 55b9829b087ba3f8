"""Every built page, opened in Chromium over http://127.0.0.1 and from disk
(file://): no request to another host, no JavaScript error, no failed
request, no broken internal link."""
from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import yaml
from conftest import HTML, ROOT, PageWatch, open_page

from book.translate import editions

SKIP_DIRS = {"_static", "_sources", "reports", "_images"}


def built_pages() -> list[str]:
    if not HTML.exists():
        return []
    return sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
                  if not SKIP_DIRS & set(p.relative_to(HTML).parts))


@functools.cache
def _targets(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The ids and the quiz ids of a built page (read once: every page links
    to the same few dozen pages)."""
    text = path.read_text(encoding="utf-8")
    return (frozenset(re.findall(r'\bid="([^"]+)"', text)),
            frozenset(re.findall(r'\bdata-kq-quiz="([^"]+)"', text)))


def _is_target(fragment: str, path: Path) -> bool:
    """An id on the page, or `projector-<quiz id>`: quiz.js opens that quiz in
    projector mode (session plans link to it)."""
    ids, quizzes = _targets(path)
    quiz = fragment.removeprefix("projector-")
    return fragment in ids or (quiz != fragment and quiz in quizzes)


def _crawl(browser, base: str, allowed_host: str | None, built_book: Path):
    pages = built_pages()
    assert len(pages) >= 3, f"too few pages built: {pages}"
    ctx = browser.new_context()
    broken: list[str] = []
    try:
        page = ctx.new_page()       # one tab, page after page (a new tab cost 0.25 s each)
        watch = PageWatch(page, allowed_host)
        for rel in pages:
            watch.clear()
            url = urljoin(base, rel)
            open_page(page, url)
            watch.assert_clean(rel)
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            for href in hrefs:
                target, fragment = urldefrag(href)
                parsed = urlparse(target)
                if not target.startswith(base):
                    if parsed.scheme in ("http", "https", "mailto"):
                        continue  # an external link is not a request; it is never followed
                    broken.append(f"{rel}: link outside the book: {href}")
                    continue
                file = built_book / unquote(target[len(base):] or "index.html")
                if file.is_dir():
                    file = file / "index.html"
                if not file.exists():
                    broken.append(f"{rel}: broken link {href}")
                elif fragment and file.suffix == ".html" and not _is_target(unquote(fragment), file):
                    broken.append(f"{rel}: link to a missing anchor {href}")
    finally:
        ctx.close()
    assert not broken, "\n".join(broken)


def test_crawl_over_http(browser, server, built_book):
    _crawl(browser, server, urlparse(server).netloc, built_book)


def test_crawl_from_disk(browser, built_book):
    _crawl(browser, built_book.as_uri() + "/", None, built_book)


def test_crawl_covers_every_page(built_book):
    """The crawl's page list (the built output itself) holds every page of
    the table of contents in every language's book (the main one at the
    root, each translation in its folder), and nothing else but Sphinx's
    own pages."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    book = {f"{toc['root']}.html"} | {f"{c['file']}.html" for part in toc["parts"] for c in part["chapters"]}
    book |= {"index.html", "search.html", "genindex.html"}
    folders = [editions.folder(lang) for lang in editions.languages()]
    assert len(folders) >= 2, "no translation is built"
    expected = {posixpath.join(folder, rel) for folder in folders for rel in book}
    crawled = set(built_pages())
    assert len(book) > 10, book
    assert crawled == expected, (sorted(expected - crawled), sorted(crawled - expected))


def test_each_start_page_has_its_language_title_and_icon(built_book):
    """index.html of each book: the redirect Jupyter Book writes, made a whole
    page (book/offline.py). Without an icon link, Chromium asked for
    /favicon.ico, which is not there, and logged an error on the crawl's
    first page whenever the 404 came back before the redirect."""
    for lang in editions.languages():
        folder = built_book / editions.folder(lang)
        text = (folder / "index.html").read_text(encoding="utf-8")
        target = re.search(r'<meta http-equiv="Refresh" content="0; url=([^"]+)">', text)
        assert target and (folder / target.group(1)).is_file(), text
        assert f'<html lang="{lang}">' in text and re.search(r"<title>\S[^<]*</title>", text), text
        icon = re.search(r'<link rel="icon" href="([^"]+)">', text)
        assert icon and (folder / icon.group(1)).is_file(), text
        assert f'<a href="{target.group(1)}">' in text
