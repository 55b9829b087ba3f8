"""Local storage that fails, as learners' browsers have it, for the browser tests.

- blocked: Chromium throws a SecurityError from the `localStorage` and
  `sessionStorage` getters when a reader blocks cookies and site data; an init
  script does the same before any page script runs.
- full: every write throws QuotaExceededError; `fill` really fills the origin's
  storage until not even a one-character item fits.
"""
from __future__ import annotations

from playwright.sync_api import expect

BLOCK = """(() => {
  for (const name of ["localStorage", "sessionStorage"]) {
    Object.defineProperty(window, name, {configurable: true,
      get() { throw new DOMException("Access is denied for this document.", "SecurityError"); }});
  }
})();"""

# Marks the moment the theme's own script (loaded after the first paint) has
# run, so that a test can use the colour switch without waiting on time.
THEME_READY = """document.addEventListener("load", (e) => {
  if ((e.target.src || "").endsWith("/pydata-sphinx-theme.js")) window.__kqThemeReady = true;
}, true);"""

FILL = """() => {
  let size = 1 << 24, k = 0;
  while (size >= 1) {
    try { localStorage.setItem(String.fromCharCode(0x4e00 + k), "x".repeat(size)); k++; }
    catch (e) { size = size >> 1; }
  }
  try { localStorage.setItem("?", ""); return "room left"; } catch (e) { return e.name; }
}"""


def fill(page) -> None:
    """Fill the storage of the page's origin (the page must use the real storage)."""
    assert page.evaluate(FILL) == "QuotaExceededError"


def assert_colour_switch_works(page) -> None:
    page.wait_for_function("() => window.__kqThemeReady")
    html = page.locator("html")
    before = html.get_attribute("data-theme")
    switch = page.locator(".theme-switch-button").first
    for _ in range(3):  # auto, dark, light: the theme must change at least once
        switch.click()
        if html.get_attribute("data-theme") != before:
            break
    expect(html).not_to_have_attribute("data-theme", before)
