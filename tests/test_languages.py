"""Two books, one site (book/translate/editions.py, book/build.py,
book/sphinx/languages.py): the English book at the root, the Khmer one in
km/, built by one command.

- In process: links between the books, the catalogues compiled for a
  build, the generated config, the draft rule, and the notebook cache kept
  per language.
- The real built book: every page of each book has its twin, the right
  `<html lang>`, hreflang links to both and a switcher linking its twin;
  in Chromium (over http and from disk) the switcher round-trips from a
  page at each depth of the site, with the keyboard; the offline zip and the save lists
  hold both books; every Khmer page is a draft today (the catalogues are
  drafts) and no English page is.
- A small copy of the project (one module, the start page and the sources
  page) built with fixture catalogues in which every message its pages show
  is reviewed: the banner is gone, the quiz and its interface strings are
  Khmer and give the same verdicts and score as the English quiz; one
  message made a draft again brings the banner back.
"""
from __future__ import annotations

import html as html_module
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from babel.messages.mofile import read_mo
from conftest import HTML, ROOT, PageWatch, copy_project, open_page, serving, wait_ready
from test_offline_crawl import built_pages
from test_quiz_parity import plan
from test_translate_apply import KM, km, with_catalogues, write_catalogue

from book import offline
from book.build import OFFLINE_NAME, edition_config, staging
from book.data import banks, paths
from book.render.i18n import catalogue
from book.sphinx import notebook_cache
from book.sphinx.languages import REPORT, drafts
from book.translate import data_messages, editions
from book.translate.compile import compile_language

MAIN, OTHER = "en", "km"
SWITCHER = ".kq-languages a"
BANNER = ".kq-draft"
MODULE = "modules/01-law.html"


@pytest.fixture
def tiny(tmp_path):
    return with_catalogues(tmp_path / "tiny")


# --------------------------------------------------------------------- in process

def test_links_between_the_books_are_relative_and_land_on_the_twin():
    assert editions.languages() == [MAIN, OTHER]
    assert editions.folder(MAIN) == "" and editions.folder(OTHER) == "km"
    assert editions.site_root(MAIN) == "" and editions.site_root(OTHER) == "../"
    assert editions.twin("modules/01-law", MAIN, OTHER) == "../km/modules/01-law.html"
    assert editions.twin("modules/01-law", OTHER, MAIN) == "../../modules/01-law.html"
    assert editions.twin("search", MAIN, OTHER) == "km/search.html"
    assert editions.twin("search", OTHER, MAIN) == "../search.html"
    assert editions.twin("pages/intro", OTHER, OTHER) == "intro.html"


def test_compiled_catalogues_keep_drafts_and_change_only_when_their_source_does(tmp_path):
    dest = tmp_path / "locale"
    written = compile_language(OTHER, dest)
    messages = ROOT / "locale" / OTHER / "LC_MESSAGES"
    sources = sorted(messages.rglob("*.po"))
    assert {p.relative_to(dest / OTHER / "LC_MESSAGES").with_suffix(".po") for p in written if p.suffix == ".mo"} \
        == {p.relative_to(messages) for p in sources}
    with (dest / OTHER / "LC_MESSAGES" / "sphinx.mo").open("rb") as fh:
        compiled = read_mo(fh)
    title = compiled.get("Sex work, trafficking and support in Kampot")
    assert title is not None and title.string and title.string != title.id   # a draft, compiled in
    js = (dest / OTHER / "LC_MESSAGES" / "sphinx.js").read_text(encoding="utf-8")
    assert js.startswith("Documentation.addTranslations(") and '"Search Results"' in js
    before = {p: p.stat().st_mtime_ns for p in written}
    assert compile_language(OTHER, dest) == []                               # nothing changed
    assert {p: p.stat().st_mtime_ns for p in written} == before
    stale = dest / OTHER / "LC_MESSAGES" / "pages" / "gone.mo"
    stale.write_bytes(b"")
    compile_language(OTHER, dest)
    assert not stale.exists(), "a catalogue that is gone left its compiled file"


def test_the_khmer_build_config_sets_sphinx_language_drafts_and_translated_words(tmp_path):
    import yaml
    folder = tmp_path / "proj"
    (folder / "locale" / OTHER / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", folder / "_config.yml")
    shutil.copy(ROOT / "locale" / OTHER / "LC_MESSAGES" / "sphinx.po", folder / "locale" / OTHER / "LC_MESSAGES")
    with paths.using(folder):
        path = edition_config(OTHER)
        assert path.parent == staging(OTHER) and path.is_relative_to(folder)
        locale_dir = str(staging(OTHER) / "locale")
    conf = yaml.safe_load(path.read_text(encoding="utf-8"))
    sphinx = conf["sphinx"]["config"]
    assert sphinx["language"] == OTHER and sphinx["gettext_allow_fuzzy_translations"] is True
    assert sphinx["locale_dirs"] == [locale_dir]
    assert conf["title"] != "Sex work, trafficking and support in Kampot" and re.search("[\u1780-\u17ff]", conf["title"])
    assert re.search("[\u1780-\u17ff]", sphinx["html_theme_options"]["search_bar_text"])
    english = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert sphinx["extensions"] == english["sphinx"]["config"]["extensions"]


def test_draft_rule_counts_the_page_and_the_data_it_shows(tiny):
    """drafts(): the page's own messages, each shown quiz's bank, each shown
    fact and the role paths; reviewed ones do not count."""
    folder, messages, empty, stale = tiny
    with paths.using(folder):
        law = list(data_messages.bank_messages(banks.load_authored(banks.bank_path("law"))))
        # The fixture's bank catalogue: feedback as drafts, one empty, one out of date.
        found = drafts(OTHER, "modules/01-law", [], '<section class="kq-quiz" data-kq-quiz="law">')
        feedback = [m for m in law if m.context.endswith(".feedback")]
        assert {(c, t) for _d, c, t in found} == {(m.context, m.text) for m in feedback} | \
               {(m.context, m.text) for m in law if m.context in (empty, stale)}
        # Facts and roles in the fixture are all drafts: only the shown fact counts.
        found = drafts(OTHER, "pages/x", [], '<span class="fact" data-fact="law-2008">')
        assert {d for d, _c, _t in found} == {"facts"} and all(c.startswith("fact.law-2008.") for _d, c, _t in found)
        assert [d for d, _c, _t in drafts(OTHER, "pages/x", [], '<li id="fact-law-2008">')] == ["facts"]
        assert {d for d, _c, _t in drafts(OTHER, "pages/x", [], '<section class="kq-role">')} == {"roles"}
        # The page's own catalogue: a message with no catalogue at all is untranslated.
        assert drafts(OTHER, "pages/x", ["Hello"], "<p>Hello</p>") == [("pages/x", None, "Hello")]
        write_catalogue(folder, "pages/x", [data_messages.Message(None, "Hello")], lambda m: km(m.text),
                        fuzzy=lambda m: False)
        assert drafts(OTHER, "pages/x", ["Hello"], "<p>Hello</p>") == []


def test_the_notebook_cache_is_kept_per_language(tiny):
    """A Khmer catalogue never re-runs an English notebook; a Khmer bank
    catalogue re-runs only the Khmer notebook that shows the bank; the
    English interface catalogue (English stands in for gaps) re-runs both."""
    folder, *_ = tiny
    with paths.using(folder):
        notebooks = paths.project().notebooks()
        assert notebooks
        before = {lang: notebook_cache.digests(notebooks, lang) for lang in (MAIN, OTHER)}
        assert before[MAIN] != before[OTHER]
        law = folder / "locale" / OTHER / "LC_MESSAGES" / "quizzes" / "law.po"
        law.write_text(law.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        page = folder / "locale" / OTHER / "LC_MESSAGES" / "modules" / "01-law.po"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text('msgid "x"\nmsgstr "y"\n', encoding="utf-8")
        after = {lang: notebook_cache.digests(notebooks, lang) for lang in (MAIN, OTHER)}
        assert after[MAIN] == before[MAIN]
        assert after[OTHER]["modules/01-law.ipynb"] != before[OTHER]["modules/01-law.ipynb"]
        shutil.copytree(ROOT / "locale" / "en", folder / "locale" / "en", dirs_exist_ok=True)
        book = folder / "locale" / "en" / "LC_MESSAGES" / "book.po"
        again = {lang: notebook_cache.digests(notebooks, lang) for lang in (MAIN, OTHER)}
        book.write_text(book.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        last = {lang: notebook_cache.digests(notebooks, lang) for lang in (MAIN, OTHER)}
        assert last[MAIN] != again[MAIN] and last[OTHER] != again[OTHER]


# --------------------------------------------------------------------- the real built book

def _pages(lang: str) -> list[str]:
    """The pages of one language's book, relative to its own root."""
    folder = editions.folder(lang)
    others = {editions.folder(x) for x in editions.languages() if x != lang}
    out = []
    for rel in built_pages():
        parts = rel.split("/")
        if folder:
            if parts[0] == folder:
                out.append("/".join(parts[1:]))
        elif parts[0] not in others:
            out.append(rel)
    return out


def _content(rel_in_site: str) -> bool:
    """Not the start page, index.html: a redirect (book/offline.py)."""
    return 'http-equiv="Refresh"' not in (HTML / rel_in_site).read_text(encoding="utf-8")[:300]


def test_every_page_has_its_twin_lang_and_hreflang_links(built_book):
    english, khmer = _pages(MAIN), _pages(OTHER)
    assert len(english) > 20 and sorted(english) == sorted(khmer)
    problems = []
    for lang in (MAIN, OTHER):
        for rel in _pages(lang):
            site_rel = f"{editions.folder(lang)}/{rel}".lstrip("/")
            if not _content(site_rel):
                continue
            path = HTML / site_rel
            text = path.read_text(encoding="utf-8")
            if not re.search(rf'<html lang="{lang}"', text):
                problems.append(f"{site_rel}: not <html lang=\"{lang}\">")
            links = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', text))
            if set(links) != {MAIN, OTHER, "x-default"}:
                problems.append(f"{site_rel}: hreflang links {sorted(links)}")
            for hreflang, href in links.items():
                twin_lang = MAIN if hreflang == "x-default" else hreflang
                target = (path.parent / href).resolve()
                expected = (HTML / editions.folder(twin_lang) / rel).resolve()
                if target != expected or not target.is_file():
                    problems.append(f"{site_rel}: hreflang {hreflang} points to {href}")
            switch = re.findall(r'<p class="kq-languages[^"]*">(.*?)</p>', text, re.S)
            other = OTHER if lang == MAIN else MAIN
            link = re.search(f'<a href="([^"]+)" hreflang="{other}"><span lang="{other}">', switch[0]) \
                if len(switch) == 1 else None
            if not link:
                problems.append(f"{site_rel}: no switcher to {other}")
            elif (path.parent / link.group(1)).resolve() != (HTML / editions.folder(other) / rel).resolve():
                problems.append(f"{site_rel}: the switcher goes to {link.group(1)}, not to the twin")
    assert not problems, "\n".join(problems)


def test_khmer_pages_are_drafts_and_english_pages_never_are(built_book):
    """Today every Khmer catalogue is a draft or empty, so every Khmer page
    with a message shows the banner; an English page never does."""
    report = json.loads((staging(OTHER) / "_build" / REPORT).read_text(encoding="utf-8"))
    missing = []
    for rel in _pages(OTHER):
        text = (HTML / "km" / rel).read_text(encoding="utf-8")
        page = rel.removesuffix(".html")
        assert (BANNER[1:] in text) == bool(report.get(page)), rel
        if page.startswith(("modules/", "pages/")) and BANNER[1:] not in text:
            missing.append(rel)
        if BANNER[1:] in text:
            banner = text.split('<div class="kq-draft"', 1)[1].split("</div>", 1)[0]
            assert f'href="{editions.twin(page, OTHER, MAIN)}"' in banner, rel
            assert catalogue("en")["lang.draft"] in banner and catalogue(OTHER)["lang.draft"] in banner, rel
    assert not missing, f"Khmer pages without the draft banner: {missing}"
    for rel in _pages(MAIN):
        assert BANNER[1:] not in (HTML / rel).read_text(encoding="utf-8"), rel


def test_the_offline_zip_and_the_save_lists_hold_both_books(built_book):
    with zipfile.ZipFile(HTML / OFFLINE_NAME) as zf:
        names = set(zf.namelist())
    listed = {f[0] for f in json.loads((HTML / offline.LIST).read_text(encoding="utf-8"))["files"]}
    for rel in _pages(OTHER):
        assert f"kampot-book/km/{rel}" in names, rel
        assert f"km/{rel}" in listed, rel
    assert (HTML / offline.WORKER).is_file() and not (HTML / "km" / offline.WORKER).exists()
    manifest = json.loads((HTML / "km" / offline.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["lang"] == OTHER and manifest["start_url"] == "./index.html"
    intro = (HTML / "km" / "pages" / "intro.html").read_text(encoding="utf-8")
    assert f'href="../../{OFFLINE_NAME}"' in intro, "the Khmer introduction does not link the site's zip"


# --------------------------------------------------------------------- in Chromium

# Pages at each depth of the site, a quiz among them: where a relative link
# could go wrong. (Every page's switcher is checked to link its twin above.)
ROUND_TRIPS = ["search.html", "pages/intro.html", MODULE, "pages/final-check.html"]


def _round_trip(browser, base: str, allowed_host: str | None) -> None:
    ctx = browser.new_context()
    problems = []
    try:
        page = ctx.new_page()
        watch = PageWatch(page, allowed_host)
        for rel in ROUND_TRIPS:
            start = base + rel
            open_page(page, start)
            twin = base + f"km/{rel}"
            link = page.locator(SWITCHER)
            if link.count() != 1 or not link.is_visible():
                problems.append(f"{rel}: no visible switcher")
                continue
            link.focus()                    # a plain link: keyboard-activated, as a reader would
            page.keyboard.press("Enter")
            page.wait_for_url(twin)
            wait_ready(page)
            if page.evaluate("document.documentElement.lang") != OTHER:
                problems.append(f"{rel}: the twin is not in Khmer")
            page.locator(SWITCHER).focus()
            page.keyboard.press("Enter")
            page.wait_for_url(start)
            wait_ready(page)
            if page.evaluate("document.documentElement.lang") != MAIN:
                problems.append(f"{rel}: back is not English")
        watch.assert_clean("switcher round trips")
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)


def test_switcher_round_trips_over_http(browser, server, built_book):
    _round_trip(browser, server, urlparse(server).netloc)


def test_switcher_round_trips_from_disk(browser, built_book):
    _round_trip(browser, built_book.as_uri() + "/", None)


@pytest.mark.parametrize("lang", [MAIN, OTHER])
def test_switcher_is_reached_with_the_tab_key_at_phone_width(browser, server, built_book, lang):
    ctx = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = ctx.new_page()
        open_page(page, server + f"{editions.folder(lang)}/{MODULE}".lstrip("/"))
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.kq-languages a')"):
                break
        assert page.evaluate("document.activeElement.matches('.kq-languages a')"), "Tab never reached the switcher"
        other = OTHER if lang == MAIN else MAIN
        assert page.evaluate("document.activeElement.getAttribute('hreflang')") == other
        assert page.evaluate("document.activeElement.firstElementChild.lang") == other
    finally:
        ctx.close()


def test_save_area_on_a_khmer_page_reads_the_sites_lists(page, server, built_book):
    """save.js on a Khmer page states the size of the whole site, read from
    the site's root (no request fails: PageWatch), as on an English page."""
    sizes = []
    for rel in ("pages/intro.html", "km/pages/intro.html"):
        open_page(page, server + rel)
        status = page.locator(".kq-save")
        assert status.get_attribute("data-kq-save") != "off"
        sizes.append(page.locator(".kq-save").inner_text())
    page.watch.assert_clean("save area")
    numbers = [re.findall(r"\d+(?:\.\d+)?", s) for s in sizes]
    assert numbers[0] and numbers[0] == numbers[1], sizes


# --------------------------------------------------------------------- a small site, every message reviewed

TINY_TOC = ("format: jb-book\nroot: modules/01-law\nparts:\n  - caption: Start\n    chapters:\n"
            "      - file: pages/start\n      - file: pages/sources\n")
TINY_PAGES = ["modules/01-law", "pages/start", "pages/sources"]


def _build(project: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "book", "build", "--quiet"], cwd=project,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-4000:]


def _reviewed_catalogues(project: Path, report: dict) -> None:
    """Every message the report names, translated and reviewed (not fuzzy),
    and every interface string translated (drafts: they are not part of the
    draft rule), in fixture catalogues that replace the real ones."""
    by_domain: dict[str, set[tuple[str | None, str]]] = {}
    for page in TINY_PAGES:
        for domain, context, text in report[page]:
            by_domain.setdefault(domain, set()).add((context, text))
    assert {"modules/01-law", "quizzes/law", "facts", "roles", "pages/start", "pages/sources"} <= set(by_domain)
    for domain, keys in by_domain.items():
        write_catalogue(project, domain, [data_messages.Message(c, t) for c, t in sorted(keys, key=str)],
                        lambda m: km(m.text), fuzzy=lambda m: False)
    interface = [data_messages.Message(None, key) for key in catalogue("en")]
    english = catalogue("en")
    write_catalogue(project, "book", interface, lambda m: km(english[m.text]))


@pytest.fixture(scope="module")
def reviewed_site(tmp_path_factory, built_book):
    """A small copy of the project built twice: first with the real
    catalogues (its draft report says what each page shows), then with
    fixture catalogues where all of it is reviewed. Returns the project and
    a copy of the second build's site."""
    project = copy_project(tmp_path_factory.mktemp("languages") / "proj", with_cache=True)
    (project / "_toc.yml").write_text(TINY_TOC, encoding="utf-8")
    _build(project)
    report = json.loads((project / "_build" / "staging-km" / "_build" / REPORT).read_text(encoding="utf-8"))
    assert all(report[page] for page in TINY_PAGES), "with the real catalogues every Khmer page is a draft"
    _reviewed_catalogues(project, report)
    _build(project)
    site = tmp_path_factory.mktemp("site") / "html"
    shutil.copytree(project / "_build" / "html", site)
    return project, site, report


@pytest.fixture(scope="module")
def reviewed_server(reviewed_site):
    _project, site, _report = reviewed_site
    with serving(site) as url:
        yield url


def test_no_banner_once_every_message_is_reviewed(reviewed_site):
    _project, site, _report = reviewed_site
    for page in TINY_PAGES:
        text = (site / "km" / f"{page}.html").read_text(encoding="utf-8")
        assert BANNER[1:] not in text, f"km/{page}: a banner though every message is reviewed"
        h1 = re.search(r"<h1>(.*?)<", text.split('<article', 1)[1], re.S).group(1)
        assert h1.startswith(KM), f"km/{page}: the fixture catalogue was not used ({h1})"
    start = (site / "km" / "pages" / "start.html").read_text(encoding="utf-8")
    assert re.search(rf'<h2 id="role-driver-h">{KM} ', start), "role paths not from the fixture catalogue"


def test_a_khmer_quiz_is_khmer_and_judges_as_the_english_one(browser, reviewed_site, reviewed_server):
    """Same choices, same verdicts and score; the Khmer quiz shows Khmer
    question texts and interface strings."""
    project, _site, _report = reviewed_site
    with paths.using(project):
        bank = banks.load_id("law")
    picks = plan(bank, flip=False)
    results = {}
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        watch = PageWatch(page, urlparse(reviewed_server).netloc)
        for lang in (MAIN, OTHER):
            ui = {k: v for k, v in catalogue("en").items()} if lang == MAIN else \
                 {k: km(v) for k, v in catalogue("en").items()}
            names = {ui["quiz.correct"]: "correct", ui["quiz.partial"]: "partial", ui["quiz.incorrect"]: "incorrect"}
            open_page(page, reviewed_server + f"{editions.folder(lang)}/{MODULE}".lstrip("/"))
            page.evaluate("localStorage.clear()")
            page.reload()
            wait_ready(page)
            verdicts = {}
            for q in bank.questions:
                root = page.locator(f"#kq-law-{q.id}")
                prompt = root.locator(".kq-prompt").inner_text()
                assert prompt.startswith(KM) == (lang == OTHER), (lang, prompt)
                assert root.locator(".kq-check").inner_text() == ui["quiz.check"]
                for i in picks[q.id]:
                    root.locator(f"#kq-law-{q.id}-o{i}").check()
                root.locator(".kq-check").click()
                said = root.locator(".kq-result").inner_text().strip()
                verdicts[q.id] = next((v for k, v in sorted(names.items(), key=lambda kv: -len(kv[0]))
                                       if said.startswith(k)), said)
            right = sum(v == "correct" for v in verdicts.values())
            score = page.locator("#kq-law-score").inner_text().strip()
            assert score == ui["quiz.score"].format(score=right, total=len(bank.questions),
                                                    answered=len(bank.questions)), (lang, score)
            results[lang] = (verdicts, right)
        watch.assert_clean("quiz in both languages")
    finally:
        ctx.close()
    assert results[MAIN] == results[OTHER]
    assert set(results[MAIN][0].values()) >= {"correct", "incorrect"}


def _make_draft(catalogue: Path, context: str | None, english: str) -> None:
    """Put the fuzzy flag back on one message of a catalogue written by write_catalogue."""
    from babel.messages.pofile import read_po, write_po
    with catalogue.open("rb") as fh:
        cat = read_po(fh)
    message = cat.get(english, context=context)
    assert message is not None and message.string and not message.fuzzy, (catalogue.name, context, english)
    message.flags.add("fuzzy")
    with catalogue.open("wb") as fh:
        write_po(fh, cat)


def test_drafts_show_and_bring_the_banner_back(reviewed_site):
    """Runs last on the small site: it rebuilds it with two messages of the
    module page made drafts again, its title (the page's own catalogue) and
    a fact the start page does not show. Both drafts are still shown (the
    draft edition), and the module page's banner counts two; the start page
    stays reviewed."""
    project, _site, report = reviewed_site
    messages = project / "locale" / OTHER / "LC_MESSAGES"
    title = "1. The law"
    assert ["modules/01-law", None, title] in report["modules/01-law"]
    _make_draft(messages / "modules" / "01-law.po", None, title)
    on_start = {c for d, c, _t in report["pages/start"] if d == "facts"}
    context, english = next((c, t) for d, c, t in report["modules/01-law"] if d == "facts" and c not in on_start)
    _make_draft(messages / "facts.po", context, english)
    _build(project)
    html = project / "_build" / "html"
    module = (html / "km" / MODULE).read_text(encoding="utf-8")
    assert 'data-kq-drafts="2"' in module, "two draft messages: the banner counts two"
    article = module.split("<article", 1)[1]
    assert re.search(rf"<h1>{KM} {re.escape(title)}<", article), "the draft title is not shown"
    text = html_module.unescape(re.sub(r"<[^>]+>", "", module))
    assert km(english)[:40] in text, f"the draft fact is not shown: {km(english)[:40]}"
    assert BANNER[1:] not in (html / "km" / "pages" / "start.html").read_text(encoding="utf-8")


def test_a_khmer_build_problem_publishes_nothing(tmp_path, built_book):
    """A problem in the Khmer book alone (a translation citing a fact that
    does not exist) stops the build with one line naming the catalogue and
    its line (validate checks every catalogue before either book is built),
    and publishes neither book. (A problem Sphinx meets in both books is
    listed once: tests/test_hostile.py, build-with-a-failing-extension.)"""
    project = copy_project(tmp_path / "proj", with_cache=True)
    write_catalogue(project, "pages/sources", [data_messages.Message(None, "Sources and fact checks")],
                    lambda m: "ប្រភព {fact}`no-such-fact`", fuzzy=lambda m: False)
    proc = subprocess.run([sys.executable, "-m", "book", "build", "--quiet"], cwd=project,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert re.search(r"^error: locale/km/LC_MESSAGES/pages/sources\.po:\d+: the translation adds the role "
                     r"\{fact\}`no-such-fact`", proc.stderr, re.M), proc.stderr[-3000:]
    assert all(line.startswith("error: ") for line in proc.stderr.strip().splitlines()), proc.stderr[-3000:]
    assert not (project / "_build" / "html").exists(), "a failed build published a book"


def test_every_khmer_module_title_is_translated(built_book):
    """A title such as "4. Recognising the signs" is translated too: Sphinx
    parses its translation as MyST, where "4. ..." alone would be a numbered
    list and the English title would stay (book/translate/compile.py)."""
    from babel.messages.pofile import read_po
    for notebook in sorted((ROOT / "modules").glob("*.ipynb")):
        with (ROOT / "locale" / "km" / "LC_MESSAGES" / "modules" / f"{notebook.stem}.po").open("rb") as fh:
            titles = [m for m in read_po(fh) if m.id and re.match(r"^\d+\. ", str(m.id))]
        assert titles, notebook.name
        page = (built_book / "km" / "modules" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1>(.*?)<", page, re.S)
        assert heading and heading.group(1).strip() == titles[0].string, (notebook.name, heading and heading.group(1))


def test_khmer_contacts_page_shows_exactly_the_registry_numbers(built_book):
    """Issue 17: phone numbers come from the registry, never from a
    translation: every contact's number is on the Khmer contacts page, and
    every number there is one of the registry's."""
    from book.data import facts
    registry = facts.load()
    text = re.sub(r"<[^>]+>", " ", (built_book / "km" / "pages" / "contacts.html").read_text(encoding="utf-8"))
    article = text.split("អ្នកដែលត្រូវទាក់ទង", 1)[-1]
    phones = {f.phone for f in registry if f.phone}
    contacts = {f.phone for f in registry.contacts() if f.phone}
    assert contacts and all(p in article for p in contacts), [p for p in contacts if p not in article]
    shown = set(re.findall(r"(?<![\d.])\d{2,4}(?: \d{3}){1,2}(?![\d.])", article))
    assert shown <= phones, shown - phones
