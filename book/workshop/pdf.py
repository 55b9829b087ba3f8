"""Print a pack's HTML documents to A4 PDFs with Chromium (Playwright),
blocking every request that is not a local file. Each page is printed once
its fonts have loaded (document.fonts.ready), so an inlined font (Khmer,
book/workshop/fonts.py) is in the PDF, not boxes."""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from book import chromium
from book.data.errors import BookError, Problem
from book.render.i18n import _

if TYPE_CHECKING:
    from book.workshop.pack import Doc

PDF_MARGIN: Any = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
FOOTER_STYLE = "font-size:8pt;width:100%;text-align:center;color:#444;font-family:sans-serif;"


def footer_template(doc_title: str, pack_title: str, fonts: str = "") -> str:
    """Chromium's footer for one document: the message pack.footer, with the
    page number and count where it says {page} and {pages}."""
    text = html.escape(_("pack.footer"))
    values = {"doc": html.escape(doc_title), "title": html.escape(pack_title),
              "page": '<span class="pageNumber"></span>', "pages": '<span class="totalPages"></span>'}
    style = f"<style>{fonts}</style>" if fonts else ""
    return f'{style}<div style="{FOOTER_STYLE}">{text.format(**values)}</div>'


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
                    page.evaluate("document.fonts.ready.then(() => true)")
                    page.pdf(path=str(folder / f"{doc.name}.pdf"), format="A4", print_background=True,
                             landscape=doc.landscape, margin=None if not doc.footer else PDF_MARGIN,
                             display_header_footer=doc.footer, header_template="<span></span>",
                             footer_template=footers.get(doc.name, ""))
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
