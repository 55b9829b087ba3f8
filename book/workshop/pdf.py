"""Print a pack's HTML documents to A4 PDFs with Chromium (Playwright),
blocking every request that is not a local file."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from book import chromium
from book.data.errors import BookError, Problem

if TYPE_CHECKING:
    from book.workshop.pack import Doc

PDF_MARGIN: Any = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
FOOTER = ('<div style="font-size:8pt;width:100%;text-align:center;color:#444;font-family:sans-serif;">'
          'DOC · {title} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')


def print_pdfs(folder: Path, docs: list[Doc], footer: str, echo: Callable[[str], None], shown: Path) -> None:
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
                    page.pdf(path=str(folder / f"{doc.name}.pdf"), format="A4", print_background=True,
                             landscape=doc.landscape, margin=None if not doc.footer else PDF_MARGIN,
                             display_header_footer=doc.footer, header_template="<span></span>",
                             footer_template=footer.replace("DOC", doc.title))
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
