"""Publishing and keeping the book on a device (book/publish.py,
book/offline.py, book/hashnames.py, book/sphinx/offline.py, save.js, sw.js).

- The GitHub Pages workflow parses and runs the README's build command.
- `python -m book publish` copies the book, replaces an earlier publish, and
  refuses any other non-empty folder with one line and exit 2.
- Every page references the book's own files by hashed names that exist.
- In Chromium over http://127.0.0.1: without the press nothing is stored;
  the size is stated first; saving, then with the network off, every page
  opens and a quiz works; a new build is offered with its size, declining
  keeps the old book whole, a failed update changes nothing, accepting
  switches to the new one.
- From file:// the save area links the zip.
"""
from __future__ import annotations

import contextlib
import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT, VIOLATIONS_ONLY, PageWatch, book_command, open_page, serving
from playwright.sync_api import expect
from test_offline_crawl import built_pages

from book import hashnames, offline
from book.build import OFFLINE_NAME
from book.data import banks
from book.render.i18n import strings

S = strings("save.")
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
INTRO = "pages/intro.html"
QUIZ_PAGE = "modules/01-law.html"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def assert_accessible(page, where: str) -> None:
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, **VIOLATIONS_ONLY})
    found = [f"{v['id']}: {v['nodes'][0]['target']}" for v in result.response["violations"]]
    assert not found, f"{where}: {found}"


# ------------------------------------------------------------------ files

def test_workflow_builds_with_the_readme_command_and_deploys_to_pages():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"Build the book.*?\n\n```sh\n([^\n]+)\n```", readme, re.S).group(1)
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    runs = [s.get("run") for s in steps if "run" in s]
    uses = [s.get("uses") for s in steps if "uses" in s]
    assert command in runs, (command, runs)
    assert "actions/upload-pages-artifact@v4" in uses and "actions/deploy-pages@v4" in uses, uses
    python = next(s["with"]["python-version"] for s in steps if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert str(python) == "3.11"
    upload = next(s for s in steps if s.get("uses") == "actions/upload-pages-artifact@v4")
    assert upload["with"]["path"] == "_build/html"
    assert all(job["runs-on"].startswith("ubuntu") for job in flow["jobs"].values())


def _publish(out: Path):
    return book_command(["publish", "--out", str(out)], ROOT)


def test_publish_copies_replaces_its_own_copy_and_refuses_other_folders(built_book, tmp_path):
    site = tmp_path / "site"
    first = subprocess.run([sys.executable, "-m", "book", "publish", "--out", str(site)], cwd=ROOT,
                           capture_output=True, text=True)                 # the real entry point
    assert first.returncode == 0, first.stderr
    assert (site / "index.html").read_bytes() == (built_book / "index.html").read_bytes()
    assert (site / offline.LIST).read_bytes() == (built_book / offline.LIST).read_bytes()
    again = _publish(site)                                     # an earlier publish: replaced
    assert again.returncode == 0, again.stderr
    (site / "notes.txt").write_text("mine")
    mixed = _publish(site)
    assert mixed.returncode == 2 and len(mixed.stderr.strip().splitlines()) == 1, mixed.stderr
    assert "notes.txt" in mixed.stderr and (site / "notes.txt").read_text() == "mine"
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.html").write_text("mine")
    refused = _publish(other)
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert sorted(p.name for p in other.iterdir()) == ["keep.html"]
    for bad in (ROOT, ROOT / "_build" / "site", tmp_path / "missing" / "site"):
        refused = _publish(bad)
        assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "Traceback" not in mixed.stderr + refused.stderr


def test_own_scripts_and_stylesheets_have_hashed_names_on_every_page(built_book):
    kq = built_book / hashnames.KQ
    for path in kq.iterdir():
        if path.suffix in hashnames.HASHED_SUFFIXES:
            found = hashnames.HASHED.match(path.name)
            assert found, f"{path.name}: no content hash in the name"
            assert found["hash"] == hashnames.digest(path.read_bytes()), f"{path.name}: the hash is not of its content"
    problems, seen = [], set()
    for rel in built_pages():
        page = built_book / rel
        text = page.read_text(encoding="utf-8")
        for ref in re.findall(r"""(?:\.\./)*_static/kq/[^"'?#\s)]+""", text):
            name = ref.rsplit("/", 1)[1]
            seen.add(name)
            if not (page.parent / ref).resolve().is_file():
                problems.append(f"{rel}: {ref} does not exist")
            if name.endswith(hashnames.HASHED_SUFFIXES) and not hashnames.HASHED.match(name):
                problems.append(f"{rel}: {ref} is not hashed")
    assert not problems, "\n".join(problems)
    assert {hashnames.unhashed(n) for n in seen} >= {"theme.css", "quiz.css", "quiz.js", "record.js", "save.js"}


def test_offline_list_is_every_file_of_the_book(built_book):
    data = json.loads((built_book / offline.LIST).read_text())
    listed = {rel: (size, digest) for rel, size, digest in data["files"]}
    on_disk = {p.relative_to(built_book).as_posix() for p in built_book.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - offline.NOT_SAVED - {OFFLINE_NAME} - {n for n in on_disk if n.startswith(".")}
    for rel, (size, digest) in listed.items():
        body = (built_book / rel).read_bytes()
        assert (len(body), hashnames.digest(body)) == (size, digest), rel
    assert data["total"] == sum(size for size, _d in listed.values())
    assert data["version"] == offline.version_of(data["files"])
    short = json.loads((built_book / offline.VERSION).read_text())
    assert (short["version"], short["total"]) == (data["version"], data["total"])
    manifest = json.loads((built_book / offline.MANIFEST).read_text())
    assert manifest["start_url"] == "./index.html" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert icon["src"] in listed, icon
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}


# ------------------------------------------------------------------ browser helpers

def size_text(total: int) -> str:
    """As save.js shows a size."""
    if total >= 1048576:
        return S["save.mb"].format(n=f"{total / 1048576:.1f}")
    return S["save.kb"].format(n=max(1, -(-total // 1024)))


def stored(page) -> dict:
    return page.evaluate("""async () => ({
        caches: await caches.keys(),
        workers: (await navigator.serviceWorker.getRegistrations()).length})""")


def save(page, base: str) -> None:
    page.goto(base + INTRO)
    box = page.locator("[data-kq-save]")
    expect(box).to_have_attribute("data-kq-save", "ready")
    box.locator(".kq-save-button").click()
    expect(box).to_have_attribute("data-kq-save", "saved")
    expect(box.locator(".kq-save-status")).to_have_text(S["save.saved"])
    expect(box.locator(".kq-save-status")).to_be_focused()    # not lost with the hidden button


class Site:
    """A copy of the built book served on its own port: a test changes it
    into a newer build without touching _build/html."""

    def __init__(self, built: Path, where: Path):
        self.root = where
        shutil.copytree(built, where)
        self._serving = contextlib.ExitStack()
        self.url = self._serving.enter_context(serving(where))

    def change(self, rel: str, old: str, new: str) -> int:
        """Change a page, then write the lists as the build does; its new size."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        offline.write_lists(self.root, OFFLINE_NAME)
        return path.stat().st_size

    def close(self):
        self._serving.close()


@pytest.fixture
def site(built_book, tmp_path):
    s = Site(built_book, tmp_path / "site")
    yield s
    s.close()


# ------------------------------------------------------------------ browser

def test_nothing_is_stored_before_the_press_and_the_size_is_stated(page, server, built_book):
    total = json.loads((built_book / offline.VERSION).read_text())["total"]
    for rel in (INTRO, "pages/progress.html"):
        page.goto(server + rel)
        box = page.locator("[data-kq-save]")
        expect(box).to_have_attribute("data-kq-save", "ready")
        expect(box.locator(".kq-save-button")).to_have_text(S["save.button"].format(size=size_text(total)))
        expect(page.locator(f'a[href$="{OFFLINE_NAME}"]')).to_be_visible()   # the zip stays offered too
        assert_accessible(page, rel)
    page.goto(server + QUIZ_PAGE)
    page.wait_for_load_state("networkidle")
    assert stored(page) == {"caches": [], "workers": 0}
    page.watch.assert_clean("before saving")


def test_save_loads_after_the_first_paint_and_adds_little(page, server, built_book):
    page.goto(server + INTRO)
    expect(page.locator("[data-kq-save]")).to_have_attribute("data-kq-save", "ready")
    timing = page.evaluate("""() => {
        const paint = performance.getEntriesByName('first-paint')[0];
        const res = performance.getEntriesByType('resource').filter(r => /save\\.[0-9a-f]+\\.js|offline-version/.test(r.name));
        return {paint: paint ? paint.startTime : null, starts: res.map(r => [r.name, r.startTime])};
    }""")
    assert timing["paint"] is not None and len(timing["starts"]) == 2, timing
    assert all(start >= timing["paint"] for _name, start in timing["starts"]), timing
    # What a first visit gains: save.js and the version file (gzip -9), and
    # the loader and manifest link in the page.
    added = 0
    for name, _start in timing["starts"]:
        body = (built_book / urlparse(name).path.lstrip("/")).read_bytes()
        added += len(gzip.compress(body, 9))
    # The page's own growth, measured in place (gzip of the page with and
    # without the loader, the manifest link and the button's markup).
    text = (built_book / INTRO).read_text(encoding="utf-8")
    without = re.sub(r'<script>\(function\(u,a\).*?</script>|<link rel="manifest"[^>]*>|'
                     r'<meta name="theme-color"[^>]*>|<div class="kq-save".*?</div>', "", text, flags=re.S)
    assert without != text
    added += len(gzip.compress(text.encode(), 9)) - len(gzip.compress(without.encode(), 9))
    assert added <= 3 * 1024, f"a first visit grows by {added} bytes gzip"


def test_saved_book_works_offline_every_page_and_a_quiz(context, server):
    page = context.new_page()
    save(page, server)
    assert stored(page)["workers"] == 1
    context.set_offline(True)
    watch = PageWatch(page, urlparse(server).netloc)
    for rel in built_pages():
        watch.clear()
        open_page(page, server + rel)      # ready: its scripts came from the saved copy too
        expect(page.locator("main")).to_be_attached()
        watch.assert_clean(f"offline: {rel}")
    b = banks.load_id("law")
    q = next(q for q in b.questions if q.type != "multiple")
    right = next(i for i, o in enumerate(q.options) if o.correct)
    page.goto(server + QUIZ_PAGE)
    root = page.locator(f"#kq-law-{q.id}")
    root.locator(f"#kq-law-{q.id}-o{right}").check()
    root.locator(".kq-check").click()
    expect(root.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(strings("quiz.")["quiz.correct"])))


def test_a_new_version_is_offered_declined_failed_and_accepted(browser, site, built_book):
    context = browser.new_context()
    try:
        page = context.new_page()
        save(page, site.url)
        before = stored(page)["caches"]
        size = site.change("pages/glossary.html", "</main>", "<p id='kq-test-b'>Version B</p></main>")
        offer = page.locator(".kq-update")

        page.reload()
        expect(offer).to_contain_text(S["save.update"])
        expect(offer.locator(".kq-update-yes")).to_have_text(S["save.update_button"].format(size=size_text(size)))
        assert_accessible(page, "the offer of a new version")
        offer.locator(".kq-update-no").click()                     # declined: the saved book stays whole
        expect(offer).to_have_count(0)
        page.goto(site.url + "pages/glossary.html")
        expect(page.locator("main")).to_be_attached()
        assert page.content().count("kq-test-b") == 0
        assert stored(page)["caches"] == before

        # A file that changes after the list was written (a mixed server):
        # the update fails and the saved book stays as it was.
        page2 = context.new_page()                                 # a new tab: declining was for that tab
        glossary = site.root / "pages/glossary.html"
        glossary.write_text(glossary.read_text(encoding="utf-8") + "<!-- changed -->", encoding="utf-8")
        page2.goto(site.url + INTRO)
        page2.locator(".kq-update-yes").click()
        expect(page2.locator(".kq-update [role=status]")).to_contain_text("pages/glossary.html")
        assert stored(page2)["caches"] == before
        page2.goto(site.url + "pages/glossary.html")
        expect(page2.locator("main")).to_be_attached()
        assert page2.content().count("kq-test-b") == 0

        offline.write_lists(site.root, OFFLINE_NAME)               # the server's book is whole again
        page2.goto(site.url + INTRO)
        with page2.expect_navigation():
            page2.locator(".kq-update-yes").click()                # accepted: the page reloads on the new book
        # The pointer names the new version; the old one is removed after the switch.
        new_name = "kampot-book-" + json.loads((site.root / offline.VERSION).read_text())["version"]
        page2.wait_for_function("async (name) => { const k = await caches.keys(); "
                                "return k.length === 2 && k.includes(name) && k.includes('kampot-book-current'); }",
                                arg=new_name)
        assert new_name not in before
        expect(page2.locator(".kq-update")).to_have_count(0)
        context.set_offline(True)
        page2.goto(site.url + "pages/glossary.html")
        expect(page2.locator("#kq-test-b")).to_have_text("Version B")
    finally:
        context.close()


def test_from_disk_the_save_area_links_the_zip(browser, built_book):
    context = browser.new_context()
    try:
        page = context.new_page()
        for rel in (INTRO, "pages/progress.html"):
            page.goto((built_book / rel).as_uri())
            expect(page.locator("[data-kq-save]")).to_have_attribute("data-kq-save", "zip")
            expect(page.locator(".kq-save-button")).to_be_hidden()
            link = page.locator(f'a[href$="{OFFLINE_NAME}"]')
            expect(link).to_be_visible()
            assert (built_book / rel).parent.joinpath(link.get_attribute("href")).resolve().is_file()
    finally:
        context.close()
