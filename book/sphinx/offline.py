"""The "Save this book on this device" button, the home-screen manifest link,
and the late loading of book/static/save.js (a Sphinx extension).

Nothing of this is in the way of the first paint: every page gets a few
bytes of inline script that, after the first paint, loads save.js on the
pages with the button, and on other pages only if the book is saved on this
device (a worker controls the page), to offer a new version. The worker,
the file lists and the manifest are written by book/offline.py.
"""
from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

from book import offline
from book.render.i18n import _, language, strings
from book.translate import editions

MARKER = "data-kq-save="
SAVE_JS = "_static/kq/save.js"
STRINGS_SLOT = "/*KQ-SAVE-STRINGS*/{}"
# After the load event and the first paint (the browser's paint timing
# entry; a frame later where there is none): always on a page with the
# button, else only when a worker controls the page (the book is saved here).
LOADER = ("(function(u,a){function go(){var w=navigator.serviceWorker;if(a||(w&&w.controller)){"
          "var s=document.createElement('script');s.src=u;document.body.appendChild(s)}}"
          "function later(){var P=window.PerformanceObserver;if(P&&(P.supportedEntryTypes||[]).indexOf('paint')>=0){"
          "new P(function(l,o){o.disconnect();setTimeout(go,0)}).observe({type:'paint',buffered:true})}"
          "else{requestAnimationFrame(function(){setTimeout(go,0)})}}"
          "if(document.readyState==='complete'){later()}else{addEventListener('load',later)}})(%s,%d);")


def save_html() -> str:
    """The button's markup; save.js fills in the size and the state."""
    return (f'<div class="kq-save" data-kq-save="off" hidden>'
            f'<p>{html.escape(_("save.intro"))}</p>'
            f'<p><button type="button" class="kq-save-button">{html.escape(_("save.button_plain"))}</button></p>'
            f'<p class="kq-save-status" role="status" aria-live="polite"></p></div>')


def save_strings() -> str:
    """The save and update strings, as save.js gets them (JSON in place of its slot)."""
    return json.dumps(strings("save."), ensure_ascii=False, sort_keys=True)


class SaveBookDirective(Directive):
    """The button; hidden until save.js knows the book is hosted and its size.
    The zip link ({offline-copy}) beside it is what file:// readers use."""

    def run(self) -> list[nodes.Node]:
        return [nodes.raw("", save_html(), format="html")]


def _page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
          doctree: nodes.document | None) -> None:
    pathto = context["pathto"]
    with_button = MARKER in context.get("body", "")
    app.add_js_file(None, body=LOADER % (json.dumps(pathto(SAVE_JS, 1)), with_button))
    # The site's root, where the worker and its lists are: a translation's
    # book is a folder of the site (book/translate/editions.py).
    site_root = posixpath.relpath(editions.site_root(language()) or ".", posixpath.dirname(pagename) or ".")
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="manifest" href="{pathto(offline.MANIFEST, 1)}">'
        f'\n<meta name="theme-color" content="{offline.THEME_COLOUR}">'
        f'\n<meta name="kq-site-root" content="{site_root}/">')


def _fill_strings(app: Sphinx, exc: Exception | None) -> None:
    """The save and update strings go into save.js itself: the update offer
    shows on any page, and no page carries them."""
    if exc is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / SAVE_JS
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(STRINGS_SLOT, save_strings()), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("save-book", SaveBookDirective)
    app.connect("html-page-context", _page)
    app.connect("build-finished", _fill_strings, priority=600)  # after book/sphinx/assets.py copies save.js
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
