"""Print a pack's HTML documents to A4 PDFs with Chromium (Playwright),
blocking every request that is not a local file, once the document's fonts
have loaded (a Khmer document's font: book/workshop/fonts.py)."""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from book import chromium, fonts
from book.data.errors import BookError, Problem
from book.render.i18n import _
from book.workshop.fonts import language

if TYPE_CHECKING:
    from book.workshop.pack import Doc

PDF_MARGIN: Any = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
# Lay the page out (which starts loading the fonts it uses), add the
# footer's font faces if any and load them, wait until every font has
# loaded or failed, and name those that failed: printing before would draw
# the text with another font, or as boxes.
FONTS_LOADED = """async ([footerFaces, footerFamily, footerText]) => {
  document.body.getBoundingClientRect();
  if (footerFaces) {
    document.head.appendChild(document.createElement("style")).textContent = footerFaces;
    await document.fonts.load(`8pt '${footerFamily}'`, footerText).catch(() => null);
  }
  await document.fonts.ready;
  return [...document.fonts].filter(f => f.status === "error").map(f => `${f.family} ${f.weight}`);
}"""
FOOTER_FAMILY = "font-family:sans-serif;"
FOOTER_STYLE = "font-size:8pt;width:100%;text-align:center;color:#444;" + FOOTER_FAMILY
# The family name of the footer's own copy of the Khmer font.
FOOTER_FONT = "Noto Sans Khmer (footer)"


def footer_for(document: str, footer: str) -> tuple[str, str]:
    """(footer template, @font-face rules to load into the page first).
    Chromium draws the footer apart from the page and does not wait for a
    font the footer loads: a Khmer document's footer gets its own copy of
    the Khmer font, which print_pdfs loads into the page before printing,
    so the footer finds it ready."""
    if language(document) != "km":
        return footer, ""
    fonts.check([("the PDF footer", "", footer)])
    faces = fonts.embedded_faces(footer, weights=[400], family=FOOTER_FONT)
    return f"<style>{faces}</style>" + footer.replace(FOOTER_FAMILY, f"font-family:'{FOOTER_FONT}',sans-serif;"), faces


def footer_template(doc_title: str, pack_title: str) -> str:
    """Chromium's footer for one document: the message pack.footer, with the
    page number and count where it says {page} and {pages}."""
    text = html.escape(_("pack.footer"))
    values = {"doc": html.escape(doc_title), "title": html.escape(pack_title),
              "page": '<span class="pageNumber"></span>', "pages": '<span class="totalPages"></span>'}
    return f'<div style="{FOOTER_STYLE}">{text.format(**values)}</div>'


def print_pdfs(folder: Path, docs: list[Doc], footers: dict[str, str], echo: Callable[[str], None],
               shown: Path) -> None:
    """Print each document's HTML to an A4 PDF with Chromium; every request
    that is not a local file is blocked, and any such request is an error."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
    exe = chromium.executable()
    if not Path(exe).exists():
        raise BookError(Problem(exe, "", "Chromium was not found",
                                "install Debian's chromium (`make browser`) or set CHROMIUM to its path"))
    blocked: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, headless=True, args=chromium.ARGS)
            try:
                page = browser.new_page()
                page.route("**/*", guard)
                for doc in docs:
                    page.goto((folder / f"{doc.name}.html").as_uri(), wait_until="load")
                    document = (folder / f"{doc.name}.html").read_text(encoding="utf-8")
                    footer_html, footer_faces = footer_for(document, footers.get(doc.name, "")) \
                        if doc.footer else ("<span></span>", "")
                    failed = page.evaluate(FONTS_LOADED, [footer_faces, FOOTER_FONT, footer_html])
                    if failed:
                        raise BookError(Problem(f"{doc.name}.html", "", f"the font {failed[0]} did not load",
                                                "a pack document's fonts must be data: URLs that its "
                                                "content security policy allows (book/workshop/fonts.py)"))
                    page.pdf(path=str(folder / f"{doc.name}.pdf"), format="A4", print_background=True,
                             landscape=doc.landscape, margin=None if not doc.footer else PDF_MARGIN,
                             display_header_footer=doc.footer, header_template="<span></span>",
                             footer_template=footer_html)
                    echo(f"wrote {shown / (doc.name + '.pdf')}")
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = (str(exc).strip().splitlines() or ["unknown error"])[0]
        raise BookError(Problem("chromium", "", f"printing the PDFs failed: {first}",
                                "check that Chromium runs (`chromium --headless --version`) or set CHROMIUM"))
    if blocked:
        raise BookError(Problem("book/templates/workshop", "", f"a document asked for {blocked[0]}",
                                "packs load nothing: inline the resource or remove it"))
