"""What each built page loads (a Sphinx extension).

A learner on slow mobile data sees nothing until a page's stylesheets and
blocking scripts have arrived, so:

- the book's own stylesheets and scripts are copied into `_static/kq/`; the
  quiz, session and journey files are linked only on pages that use them;
- the theme's seven stylesheets become one, trimmed by book/sphinx/css_trim.py
  (`_static/kq/theme.css`, written when the build ends);
- the theme's and Sphinx's scripts load after the first paint (the book's own
  quiz and journey scripts stay `defer`; documentation_options.js stays as it
  is because the theme's inline page scripts read it);
- Sphinx's search scripts and the 70 KB search index load on the search page
  only (book/templates/layout.html); the theme's search box sends readers there.
"""
from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from book.data.errors import BookError
from book.data.paths import STATIC
from book.sphinx import css_trim
from book.theme import BUNDLE, BUNDLED, IMPORT_ONLY, bundle_sources

# Scripts that must run before the page's inline scripts.
KEEP_IN_HEAD = {"documentation_options.js"}

# Page-specific assets: a page links a file only if its body has the marker.
# record.js (what a quiz keeps, read back safely) comes before the quiz and
# journey scripts that use it; a page with both links it once.
PAGE_ASSETS = {
    'class="kq-quiz"': ["kq/quiz.css", "kq/record.js", "kq/quiz.js"],
    'class="kq-session"': ["kq/session.css"],
    "data-kq-journey=": ["kq/record.js", "kq/journey.js"],
}


def _static_name(asset: Any) -> str:
    return str(getattr(asset, "filename", asset)).split("?")[0].removeprefix("_static/")


def _is_bundled(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in BUNDLED + IMPORT_ONLY)


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body", "")
    for marker, files in PAGE_ASSETS.items():
        if marker in body:
            for name in files:
                if name.endswith(".css"):
                    app.add_css_file(name)
                else:
                    app.add_js_file(name, loading_method="defer")


def _one_stylesheet_and_late_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                                     doctree: Any) -> None:
    """Runs after every other page handler, so it sees the final lists."""
    context["css_files"] = [css for css in context.get("css_files", []) if not _is_bundled(_static_name(css))]
    if pagename == "search":          # searchtools.js needs doctools.js before it
        context["kq_after_paint"] = []
        return
    keep, later = [], []
    for js in context.get("script_files", []):
        name = _static_name(js)
        if not getattr(js, "filename", None) or name.startswith("kq/") or name in KEEP_IN_HEAD:
            keep.append(js)
        else:
            later.append(context["pathto"](js.filename, resource=True))
    context["script_files"] = keep
    context["kq_after_paint"] = later


def _copy_assets(app: Sphinx, exc: Exception | None) -> None:
    if exc is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / "kq"
        target.mkdir(parents=True, exist_ok=True)
        for path in STATIC.iterdir():
            if path.is_file():
                shutil.copy2(path, target / path.name)


def _write_bundle(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    html_root = Path(app.outdir)
    static = html_root / "_static"
    try:
        sources = bundle_sources(static)
    except BookError as exc:
        raise ExtensionError(str(exc)) from None
    others = {p.relative_to(static).as_posix(): p for p in static.rglob("*.css")}
    other_css = "".join(p.read_text(encoding="utf-8", errors="ignore")
                        for rel, p in others.items() if rel not in sources and rel != BUNDLE)
    text = css_trim.bundle(static, sources, BUNDLE, css_trim.book_text(html_root), other_css)
    (static / BUNDLE).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _page_assets)
    app.connect("html-page-context", _one_stylesheet_and_late_scripts, priority=900)
    app.connect("build-finished", _copy_assets)
    app.connect("build-finished", _write_bundle, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
