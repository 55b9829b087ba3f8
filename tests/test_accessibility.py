"""Every page of the built book, at 360 px and 1280 px: axe-core (WCAG 2.2 A
and AA rules) finds no violation, headings are in order, images have alt
text, there is no horizontal scrolling and no visible text under 12 px, and
the keyboard reaches a skip link and shows where focus is."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_offline_crawl import built_pages

WIDTHS = [360, 1280]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _open(browser, server, rel, width, mode="light"):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=mode)
    # The theme reads the reader's choice of light or dark from local storage.
    ctx.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}')")
    page = ctx.new_page()
    page.goto(server + rel, wait_until="load")
    page.wait_for_load_state("networkidle")
    return ctx, page


@pytest.mark.parametrize("width,mode", [(360, "light"), (1280, "light"), (1280, "dark")])
def test_axe_finds_no_violation_on_any_page(browser, server, built_book, axe, width, mode):
    failures = []
    for rel in built_pages():
        ctx, page = _open(browser, server, rel, width, mode)
        try:
            assert page.evaluate("document.documentElement.dataset.theme") == mode, rel
            result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            for v in result.response["violations"]:
                nodes = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                                  for n in v["nodes"][:3])
                failures.append(f"{rel} @{width}px {mode}: {v['id']} ({v['impact']}): {nodes}")
        finally:
            ctx.close()
    assert not failures, "\n".join(failures)


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


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scroll_and_no_small_text(browser, server, built_book, width):
    problems = []
    for rel in built_pages():
        ctx, page = _open(browser, server, rel, width)
        try:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{rel}: {overflow}px too wide at {width}px")
            problems += [f"{rel}: text under 12px at {width}px: {t}" for t in page.evaluate(SMALL_TEXT)]
        finally:
            ctx.close()
    assert not problems, "\n".join(problems)


def test_headings_in_order_and_images_have_alt(browser, server, built_book):
    problems = []
    for rel in built_pages():
        ctx, page = _open(browser, server, rel, 1280)
        try:
            levels = page.eval_on_selector_all(
                "main h1, main h2, main h3, main h4, main h5, main h6",
                "els => els.filter(e => e.offsetParent !== null || e.closest('.kq-quiz')).map(e => +e.tagName[1])")
            if levels and levels[0] != 1:
                problems.append(f"{rel}: first heading is h{levels[0]}")
            for a, b in zip(levels, levels[1:]):
                if b > a + 1:
                    problems.append(f"{rel}: heading jumps from h{a} to h{b}")
            missing = page.eval_on_selector_all("img:not([alt])", "els => els.map(e => e.src)")
            problems += [f"{rel}: image without alt: {m}" for m in missing]
        finally:
            ctx.close()
    assert not problems, "\n".join(problems)


def test_keyboard_skip_link_and_visible_focus(browser, server, built_book):
    for rel in built_pages():
        ctx, page = _open(browser, server, rel, 360)
        try:
            page.keyboard.press("Tab")
            first = page.evaluate("""() => { const e = document.activeElement;
                const s = getComputedStyle(e);
                return {text: e.textContent.trim(), href: e.getAttribute('href') || '',
                        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                        shadow: s.boxShadow !== 'none', visible: e.getBoundingClientRect().height > 0}; }""")
            assert first["href"].startswith("#"), f"{rel}: first Tab stop is not a skip link: {first}"
            assert first["visible"] and (first["outline"] or first["shadow"]), f"{rel}: focus not visible {first}"
            page.keyboard.press("Enter")
            target = first["href"][1:]
            assert page.evaluate(f"document.getElementById({target!r}) !== null"), f"{rel}: skip target missing"
        finally:
            ctx.close()
