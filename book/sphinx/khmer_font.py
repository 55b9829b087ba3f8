"""The Khmer font of the Khmer book (a Sphinx extension; does nothing unless
the build's `language` is `km`, so English pages do not change by a byte).

- Before any page is read, every Khmer character of the Khmer catalogues
  (locale/km/LC_MESSAGES/**/*.po), then of each page's source as it is read,
  is checked against the font: one line names the file and line of a
  character it lacks.
- Every page links `_static/kq/khmer.css`: @font-face rules (font-display:
  swap; book/fonts.py), then static/fonts/khmer.css (the theme's font
  stacks with the Khmer face first, the Khmer line height).
- Every page asks for both faces at the top of its head (a preload, over
  http and https), so they download beside the stylesheets and are there
  for the first paint: found only once the text is laid out, they came
  after it, and the text moved when they did (layout shift 0.29 in
  Lighthouse on a module page; 0.1 is "good").
- When the pages are written, the font is subset to the Khmer characters of
  the catalogues and of everything the book shows (its pages and scripts),
  checked again, and written into `_static/kq/` with a content hash in its
  name, beside its licence; the preload links get the hashed names.
"""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from book import fonts
from book.data.errors import BookError
from book.hashnames import digest

LANGUAGE = "km"
STYLESHEET = "kq/khmer.css"
# How the pages use the font (after the @font-face rules in khmer.css).
RULES = fonts.FOLDER / "khmer.css"


def _is_khmer(app: Sphinx) -> bool:
    return (app.config.language or "").split("_")[0] == LANGUAGE and app.builder.format == "html"


def _catalogues(app: Sphinx) -> list[Path]:
    found: list[Path] = []
    for folder in app.config.locale_dirs:
        messages = Path(app.srcdir, folder, app.config.language, "LC_MESSAGES")
        found += sorted(messages.rglob("*.po"))
    return found


def _check(texts: Iterable[tuple[str, str, str]]) -> None:
    try:
        fonts.check(texts)
    except BookError as exc:
        raise ExtensionError(str(exc)) from None


def _check_catalogues(app: Sphinx) -> None:
    """Fail before reading any page, naming the catalogue line."""
    if _is_khmer(app):
        _check(fonts.file_texts(_catalogues(app), Path(app.srcdir)))
        app.add_css_file(STYLESHEET)


def _check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """A page with Khmer typed into its source: its file and line."""
    if _is_khmer(app):
        path = Path(app.env.doc2path(docname))
        shown = path.relative_to(app.srcdir) if path.is_relative_to(app.srcdir) else path
        _check((str(shown), str(number), line) for number, line in enumerate(source[0].splitlines(), 1))


def _face(weight: int, hashed: str = "") -> str:
    return f"noto-sans-khmer-{weight}.{hashed + '.' if hashed else ''}woff2"


# Preload both faces, over http(s) only: from disk (file://) Chromium refuses a
# font preload (a CORS error a page) and loads the faces without it anyway.
_PRELOAD = """<script>
if (location.protocol !== "file:") {{
  {urls}.forEach(function (href) {{
    var link = document.createElement("link");
    link.rel = "preload"; link.as = "font"; link.type = "font/woff2"; link.crossOrigin = ""; link.href = href;
    document.head.appendChild(link);
  }});
}}
</script>
"""


def _preload(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The preload script, with the faces' names before hashing (`_write_font` puts the hashes in)."""
    if _is_khmer(app):
        urls = [context["pathto"]("_static/kq/" + _face(weight), 1) for weight in fonts.FACES]
        context["metatags"] = _PRELOAD.format(urls=json.dumps(urls)) + context.get("metatags", "")


def _hash_preloads(outdir: Path, names: dict[int, str]) -> None:
    plain = re.compile(r"_static/kq/noto-sans-khmer-(\d+)(?:\.[0-9a-f]+)?\.woff2\"")
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = plain.sub(lambda m: f'_static/kq/{names[int(m.group(1))]}"', text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _shown(outdir: Path) -> list[Path]:
    """Everything a reader can see: the pages and the scripts (interface strings)."""
    return sorted(p for pattern in ("*.html", "*.js") for p in outdir.rglob(pattern) if p.is_file())


def _write_font(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or not _is_khmer(app):
        return
    outdir = Path(app.outdir)
    lines = [*fonts.file_texts(_catalogues(app), Path(app.srcdir)), *fonts.file_texts(_shown(outdir), outdir)]
    _check(lines)
    chars: set[str] = set()
    for _file, _line, text in lines:
        chars |= fonts.khmer_in(text)
    folder = outdir / "_static" / "kq"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("noto-sans-khmer-*.woff2"):    # an earlier build's subsets
        old.unlink()
    urls = {}
    for weight in fonts.FACES:
        try:
            data = fonts.subset(chars, weight)
        except BookError as exc:
            raise ExtensionError(str(exc)) from None
        name = _face(weight, digest(data))
        (folder / name).write_bytes(data)
        urls[weight] = name
    _hash_preloads(outdir, urls)
    shutil.copyfile(fonts.LICENCE, folder / fonts.LICENCE_NAME)
    head = (f"/* {fonts.FAMILY}, SIL Open Font License 1.1 ({fonts.LICENCE_NAME}), "
            f"subset to the Khmer characters of this book (book/fonts.py) */\n")
    text = head + fonts.face_rules(urls) + RULES.read_text(encoding="utf-8")
    (folder / Path(STYLESHEET).name).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _check_catalogues)
    app.connect("source-read", _check_source)
    app.connect("html-page-context", _preload)
    # After book/sphinx/assets.py copies _static/kq (500) and save.js gets its
    # strings (600); before the theme bundle reads every stylesheet (900).
    app.connect("build-finished", _write_font, priority=700)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
