"""What each built page loads (book/sphinx/assets.py, book/sphinx/css_trim.py).

- Every page links one stylesheet for the theme, no blocking theme scripts,
  and the search index on the search page only.
- The trimmed stylesheet changes nothing a reader can see: in real Chromium,
  every element (and its ::before and ::after) of a set of pages gets the same
  computed style with the trimmed stylesheet as with the theme's own files, in
  light and dark mode, at 360 and 1280 px, with the sidebar, the search dialog
  and an answered quiz open, and in print. The pages at 360 and 1280 px are
  those that together hold every kind of element of each book
  (`covering_pages`).
- The theme's scripts, loaded after the first paint, still work: colour mode
  switch, search dialog, search results, and the menu button opens the table
  of contents on a phone and hides it on a desktop (the theme's own top bar,
  removed in book/templates/layout.html, broke that: pydata-sphinx-theme
  issue 2451).
"""
from __future__ import annotations

import re

import pytest
from conftest import HTML, open_page
from page_shapes import covering_pages, shapes
from test_offline_crawl import built_pages

from book.build import staging
from book.hashnames import unhashed
from book.theme import BUNDLE, bundle_sources

STAGED_STATIC = staging() / "_build" / "html" / "_static"

# In the page: the computed style of every element (and its ::before and
# ::after) with the theme's own files, then again after swapping the trimmed
# stylesheet back in; returns the differences. Custom properties are left out
# (unused ones are removed on purpose; they style nothing). The properties
# read are those some rule of the page's stylesheets declares (either
# version; shorthands count as their longhands): a property no rule sets
# has the browser's default or inherited value in both, so it can only differ
# through one that is declared, and that one is read. About half of
# Chromium's list, and half the time. They are read by name from one list:
# Chromium lists the same properties for every element and pseudo-element
# (checked for each), and reading by name is about six times faster than
# walking each element's own list. Done in the page, so the same DOM in the
# same state is compared and no megabytes of styles cross to Python.
COMPARE = """async (fullUrl) => {
  const all = Array.from(getComputedStyle(document.documentElement)).filter(n => !n.startsWith('--'));
  const last = all.length - 1;
  const declared = new Set();
  const walk = (rules) => {
    for (const rule of rules) {
      if (rule.style) for (let i = 0; i < rule.style.length; i++) declared.add(rule.style[i]);
      if (rule.styleSheet) walk(rule.styleSheet.cssRules);     // @import
      if (rule.cssRules) walk(rule.cssRules);                  // @media, @supports, @layer, nesting
    }
  };
  const declare = () => { for (const sheet of document.styleSheets) walk(sheet.cssRules); };
  let names = all;
  const sign = () => {
    const out = [];
    for (const el of document.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const cs = getComputedStyle(el, pseudo);
        if (pseudo && cs.content === 'none') { out.push(null); continue; }   // not rendered
        // Chromium lists the standard properties first, then the custom ones
        // (if any): this element has exactly the root's standard properties.
        if (cs[last] !== all[last] || (cs.length > all.length && !cs[all.length].startsWith('--'))) {
          throw new Error(`${el.tagName}${pseudo || ''} lists other properties than the root`);
        }
        out.push(names.map(n => cs.getPropertyValue(n)));
      }
    }
    return out;
  };
  const label = (i) => {
    const el = document.querySelectorAll('*')[Math.floor(i / 3)];
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ['', '::before', '::after'][i % 3];
  };
  // Both signatures are taken just after a stylesheet swap: Chromium reports
  // some used values (an auto margin beside a shown tooltip) differently
  // before the first restyle and after it.
  const swap = (url) => new Promise((resolve, reject) => {
    const link = document.querySelector('link[rel=stylesheet][href*="kq/theme"]');
    const next = link.cloneNode();
    next.onload = () => { link.remove(); document.fonts.ready.then(resolve); };   // and every face it asks for
    next.onerror = () => reject(new Error(url + ' did not load'));
    next.href = url;
    link.after(next);
  });
  const trimmedUrl = document.querySelector('link[rel=stylesheet][href*="kq/theme."]').href;
  declare();
  await swap(fullUrl);
  declare();
  names = all.filter(n => declared.has(n));
  if (names.length < 100 || !['color', 'display', 'font-size', 'margin-top'].every(n => names.includes(n))) {
    throw new Error(`only ${names.length} declared properties found: the stylesheets were not read`);
  }
  const theme = sign();
  await swap(trimmedUrl + '?again');
  const trimmed = sign();
  if (trimmed.length !== theme.length) return ['the element count changed'];
  const out = [];
  for (let i = 0; i < trimmed.length && out.length < 20; i++) {
    const a = trimmed[i], b = theme[i];
    if (a === null || b === null) {
      if (a !== b) out.push(label(i) + ': ' + (a === null ? 'content:none with the trimmed stylesheet only' : 'content:none with the theme only'));
      continue;
    }
    const diff = names.map((n, k) => k).filter(k => a[k] !== b[k]);
    if (diff.length) {
      out.push(label(i) + ': trimmed ' + diff.map(k => names[k] + ':' + a[k]).join('; ') + ' | theme ' + diff.map(k => names[k] + ':' + b[k]).join('; '));
    }
  }
  return out;
}"""
# Transitions would catch an element halfway through an animation.
NO_MOTION = "*,*::before,*::after{transition:none!important;animation:none!important}"


def content_pages() -> list[str]:
    """Built pages, less the start pages (index.html: a redirect, book/offline.py)."""
    return [rel for rel in built_pages()
            if 'http-equiv="Refresh"' not in (HTML / rel).read_text(encoding="utf-8")[:200]]


def test_covering_pages_keep_every_shape_of_each_book(built_book):
    pages = content_pages()
    chosen = covering_pages(pages)
    assert {r.startswith("km/") for r in chosen} == {True, False}
    assert len(chosen) < len(pages)
    for km in (True, False):
        every, walked = ([shapes(rel) for rel in rels if rel.startswith("km/") == km] for rels in (pages, chosen))
        assert set().union(*every) == set().union(*walked)


def test_every_page_links_one_theme_stylesheet_and_no_blocking_theme_script(built_book):
    problems = []
    for rel in content_pages():
        text = (built_book / rel).read_text(encoding="utf-8")
        head = text.split("</head>", 1)[0]
        sheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*>', head)
        theme = [s for s in sheets if re.search(r"_static/kq/theme\.[0-9a-f]+\.css", s)]
        if len(theme) != 1:
            problems.append(f"{rel}: {len(theme)} links to {BUNDLE}")
        for sheet in sheets:
            if not re.search(r'_static/kq/(theme|quiz|session|khmer)\.[0-9a-f]+\.css', sheet):   # khmer: Khmer pages only
                problems.append(f"{rel}: also links {sheet}")
        if rel.split("/")[-1] != "search.html":    # each book's search page (search.html, km/search.html)
            if "searchindex.js" in text or "searchtools.js" in text:
                problems.append(f"{rel}: loads the search scripts")
            for tag in re.findall(r"<script[^>]*\ssrc=[^>]*>", head):
                if "documentation_options.js" not in tag and "defer" not in tag:
                    problems.append(f"{rel}: blocking script {tag}")
    assert not problems, "\n".join(problems)
    published = {unhashed(p.relative_to(built_book / "_static").as_posix())
                 for p in (built_book / "_static").rglob("*.css")}
    assert published == {BUNDLE, "kq/quiz.css", "kq/session.css"}, published


FULL = "kq/theme-full.css"


def _serve_theme_files(context, sources: list[str], extra: str = "") -> None:
    """Serve, as _static/kq/theme-full.css, the theme's own stylesheets (kept
    in the staging build): @import keeps each file's order and base URL.
    `extra`: rules after them (the comparison's own test)."""
    imports = "".join(f'@import url("../{rel}");\n' for rel in sources) + extra

    def handle(route):
        path = route.request.url.split("?")[0].split("/_static/", 1)[1]
        if path == FULL:
            route.fulfill(body=imports, content_type="text/css")
        elif path in sources:
            route.fulfill(body=(STAGED_STATIC / path).read_bytes(), content_type="text/css")
        else:
            route.continue_()
    context.route("**/_static/**", handle)


STATES = {
    # name: (pages, width, mode, what to do once the page has loaded)
    "light": (None, 1280, "light", "focus"),        # None: covering_pages() of both books
    "narrow": (None, 360, "light", None),
    "dark": (["pages/intro.html", "modules/01-law.html", "pages/progress.html"], 1280, "dark", None),
    "sidebar": (["modules/01-law.html"], 360, "light", "sidebar"),
    "search-dialog": (["modules/01-law.html"], 1280, "light", "search"),
    "quiz": (["modules/01-law.html"], 1280, "light", "quiz"),
    "print": (["modules/01-law.html", "pages/certificate.html"], 1280, "light", "print"),
    "results": (["search.html?q=police"], 1280, "light", "results"),
}


def _act(page, action: str | None) -> None:
    if action == "focus":
        page.keyboard.press("Tab")
    elif action == "sidebar":
        page.locator("button.primary-toggle:visible").first.click()
        page.wait_for_selector("#pst-primary-sidebar-modal[open]")
    elif action == "search":
        page.keyboard.press("Control+k")
        page.wait_for_selector("#pst-search-dialog[open]")
    elif action == "quiz":
        question = page.locator(".kq-q").first
        question.locator("label").nth(1).click()
        question.get_by_role("button", name="Check").click()
        page.wait_for_selector(".kq-q .kq-fb:not([hidden])")
    elif action == "print":
        page.emulate_media(media="print")
    elif action == "results":   # Sphinx adds results one by one, writes the summary, and
        # fetches each result's page for its snippet (p.context) in the background
        page.wait_for_function("(document.querySelector('#search-results p.search-summary') || {}).innerText"
                               " && Array.from(document.querySelectorAll('#search-results ul.search > li'))"
                               ".every(li => li.querySelector('p.context'))")


def _differences(page, server, rel, action) -> list[str]:
    open_page(page, server + rel)
    page.add_style_tag(content=NO_MOTION)
    _act(page, action)
    return page.evaluate(COMPARE, f"{server}_static/{FULL}")


@pytest.mark.parametrize("state", sorted(STATES))
def test_trimmed_stylesheet_styles_every_element_as_the_theme_does(browser, server, built_book, state):
    """One browser context per state, one tab going from page to page (only
    the quiz state stores anything, answers, and it has one page)."""
    pages, width, mode, action = STATES[state]
    ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=mode)
    ctx.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}')")
    _serve_theme_files(ctx, bundle_sources(STAGED_STATIC))
    differences = []
    try:
        page = ctx.new_page()
        for rel in pages or covering_pages(content_pages()):
            differences += [f"{rel} [{state}] {d}" for d in _differences(page, server, rel, action)]
    finally:
        ctx.close()
    assert not differences, f"{len(differences)} difference(s):\n" + "\n".join(differences[:20])


def test_theme_scripts_loaded_after_paint_still_work(browser, server, built_book):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = ctx.new_page()
        open_page(page, server + "modules/01-law.html")
        assert page.evaluate("() => !!document.querySelector('.theme-switch-button')")
        before = page.evaluate("document.documentElement.dataset.mode")
        page.locator(".theme-switch-button").first.click()
        assert page.evaluate("document.documentElement.dataset.mode") != before
        page.keyboard.press("Control+k")
        dialog = page.locator("#pst-search-dialog[open]")
        dialog.wait_for()
        dialog.locator("input[name=q]").fill("trafficking")
        dialog.locator("input[name=q]").press("Enter")
        page.wait_for_url("**/search.html?q=trafficking*")
        page.wait_for_selector("#search-results ul.search li a")
        assert page.locator("#search-results ul.search li").count() > 3
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_menu_button_shows_and_hides_the_table_of_contents(browser, server, built_book, width):
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = ctx.new_page()
        open_page(page, server + "modules/01-law.html")
        toc = page.get_by_role("link", name="4. Recognising the signs")
        button = page.locator("button.primary-toggle:visible")
        assert button.count() == 1
        assert toc.is_visible() == (width > 960)
        button.focus()
        page.keyboard.press("Enter")
        if width < 960:
            page.locator("#pst-primary-sidebar-modal[open]").wait_for()
            toc.wait_for(state="visible")
            page.keyboard.press("Escape")
            page.locator("#pst-primary-sidebar-modal").wait_for(state="hidden")
        else:
            toc.wait_for(state="hidden")
            button.focus()          # the theme blurs the button after each press
            page.keyboard.press("Enter")
            toc.wait_for(state="visible")
    finally:
        ctx.close()


def test_the_comparison_sees_a_rule_only_one_stylesheet_has(browser, server, built_book):
    """The comparison above is not blind: one rule more in the theme's
    version, setting a property on the quiz's questions, shows as a
    difference naming the element and the property."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    _serve_theme_files(ctx, bundle_sources(STAGED_STATIC), extra=".kq-q .kq-prompt { word-spacing: 3px }\n")
    try:
        found = _differences(ctx.new_page(), server, "modules/01-law.html", None)
    finally:
        ctx.close()
    assert found and all("legend.kq-prompt" in d and "word-spacing" in d for d in found), found
