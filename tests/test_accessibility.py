"""Every page of the built book, at 360 px and 1280 px: axe-core (WCAG 2.2 A
and AA rules, and its best-practice rules) finds no violation, headings are
in order, images have alt text, there is no horizontal scrolling and no
visible text under 12 px, and the keyboard reaches a skip link and shows
where focus is.

One walk opens each page once per width in light mode, one after another in
one tab, and runs every check meant for that visit; each test then asserts its own check's findings, so
each check still fails on its own, naming the page. Dark mode changes colours,
not markup: axe checks it at 1280 px on the pages that together hold every
kind of element of each book (tests/page_shapes.py)."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import VIOLATIONS_ONLY, open_page
from page_shapes import covering_pages
from test_offline_crawl import built_pages

WIDTHS = [360, 1280]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_VISITS = [(360, "light"), (1280, "light"), (1280, "dark")]

# Visible text set smaller than 12 CSS px (read without zooming on a phone).
SMALL_TEXT = """() => {
  const small = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.checkVisibility() || !el.getBoundingClientRect().width) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 12) small.push(el.tagName.toLowerCase() + ' "' + n.textContent.trim().slice(0, 30) + '" ' + size + 'px');
  }
  return small.slice(0, 5);
}"""

FIRST_TAB_STOP = """() => { const e = document.activeElement;
    const s = getComputedStyle(e);
    return {text: e.textContent.trim(), href: e.getAttribute('href') || '',
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
            shadow: s.boxShadow !== 'none', visible: e.getBoundingClientRect().height > 0}; }"""


def check_axe(axe, page, rel, width, mode) -> list[str]:
    if page.evaluate("document.documentElement.dataset.theme") != mode:
        return [f"{rel} @{width}px {mode}: the page is not in {mode} mode"]
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, **VIOLATIONS_ONLY})
    found = []
    for v in result.response["violations"]:
        nodes = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                          for n in v["nodes"][:3])
        found.append(f"{rel} @{width}px {mode}: {v['id']} ({v['impact']}): {nodes}")
    return found


def check_width_and_text(page, rel, width) -> list[str]:
    found = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        found.append(f"{rel}: {overflow}px too wide at {width}px")
    return found + [f"{rel}: text under 12px at {width}px: {t}" for t in page.evaluate(SMALL_TEXT)]


def check_headings_and_alt(page, rel) -> list[str]:
    found = []
    levels = page.eval_on_selector_all(
        "main h1, main h2, main h3, main h4, main h5, main h6",
        "els => els.filter(e => e.offsetParent !== null || e.closest('.kq-quiz')).map(e => +e.tagName[1])")
    if levels and levels[0] != 1:
        found.append(f"{rel}: first heading is h{levels[0]}")
    for a, b in zip(levels, levels[1:]):
        if b > a + 1:
            found.append(f"{rel}: heading jumps from h{a} to h{b}")
    missing = page.eval_on_selector_all("img:not([alt])", "els => els.map(e => e.src)")
    return found + [f"{rel}: image without alt: {m}" for m in missing]


def check_keyboard(page, rel) -> list[str]:
    """Presses keys, so it runs last on its visit."""
    page.keyboard.press("Tab")
    first = page.evaluate(FIRST_TAB_STOP)
    if not first["href"].startswith("#"):
        return [f"{rel}: first Tab stop is not a skip link: {first}"]
    if not (first["visible"] and (first["outline"] or first["shadow"])):
        return [f"{rel}: focus not visible {first}"]
    page.keyboard.press("Enter")
    if not page.evaluate("id => document.getElementById(id) !== null", first["href"][1:]):
        return [f"{rel}: skip target {first['href']} missing"]
    return []


@pytest.fixture(scope="module")
def findings(browser, server, built_book) -> dict[str, list[str]]:
    """Every check's findings over one walk: each page once per (width, mode)."""
    axe = Axe()
    found: dict[str, list[str]] = {}
    pages = built_pages()
    assert len(pages) >= 3, f"too few pages built: {pages}"
    for width, mode in AXE_VISITS:
        ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=mode)
        # The theme reads the reader's choice of light or dark from local storage.
        ctx.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}')")
        try:
            page = ctx.new_page()     # one tab for the visit: a new tab per page cost 0.25 s each
            for rel in (covering_pages(pages) if mode == "dark" else pages):
                open_page(page, server + rel)
                found.setdefault(f"axe-{width}-{mode}", []).extend(check_axe(axe, page, rel, width, mode))
                if mode == "light":
                    found.setdefault(f"layout-{width}", []).extend(check_width_and_text(page, rel, width))
                if (width, mode) == (1280, "light"):
                    found.setdefault("headings", []).extend(check_headings_and_alt(page, rel))
                if (width, mode) == (360, "light"):
                    found.setdefault("keyboard", []).extend(check_keyboard(page, rel))
        finally:
            ctx.close()
    return found


def _assert_checked(findings, key: str) -> None:
    assert key in findings, f"the walk never ran the {key} check"
    assert not findings[key], "\n".join(findings[key])


@pytest.mark.parametrize("width,mode", AXE_VISITS)
def test_axe_finds_no_violation_on_any_page(findings, width, mode):
    _assert_checked(findings, f"axe-{width}-{mode}")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scroll_and_no_small_text(findings, width):
    _assert_checked(findings, f"layout-{width}")


def test_headings_in_order_and_images_have_alt(findings):
    _assert_checked(findings, "headings")


def test_keyboard_skip_link_and_visible_focus(findings):
    _assert_checked(findings, "keyboard")
