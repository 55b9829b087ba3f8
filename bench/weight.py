"""Page weight: what a first visit to each built page downloads, gzipped.

Builds the real book with `python -m book build --quiet` (always: with a warm
execution cache that takes seconds, and it guarantees the figures describe the
current sources), serves _build/html on 127.0.0.1 with a threaded
http.server, and opens every built page (every *.html except under _static
and reports) in a fresh Chromium context (first visit, empty cache),
recording every response. A page's weight is the sum, over the files it
fetched, of the gzip -9 size of each file on disk: the local server sends
files uncompressed, so the compressed size is computed, as a server with
gzip would send it.

The Khmer book (_build/html/km/) is weighed the same way, and its heaviest
module page is reported against its own target.

Then "each further page in the same visit": one context opens the
introduction, then every other page; each page's extra weight is the gzip
size of the files that context had not fetched before.

Last, the same measure on a default Jupyter Book 1.x book (only `title` in
_config.yml) whose one notebook shows a 10-question jupyterquiz quiz.
Requests that default page makes to other hosts fail offline here; they are
counted and listed apart, and only what the local server sent is weighed.

Prints figures; asserts nothing. Run with the project's venv Python.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import pprint
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from book import chromium  # noqa: E402

HTML = ROOT / "_build" / "html"
CHROMIUM = chromium.executable()
CHROMIUM_ARGS = chromium.ARGS
# A phone-sized window, like Lighthouse's default mobile profile: learners read on phones.
VIEWPORT = {"width": 412, "height": 823}
KIB = 1024
MODULE_TARGET_KIB = 200
KHMER_MODULE_TARGET_KIB = 110      # issue 16: a Khmer module page's first visit, with its font
FURTHER_TARGET_KIB = 40


def figure(name: str, value: str, unit: str = "", note: str = "") -> None:
    line = f"{name}: {value}" + (f" {unit}" if unit else "") + (f" ({note})" if note else "")
    print(line, flush=True)


def kib(n: int) -> str:
    return f"{n / KIB:.1f}"


def verdict(value: float, target: float, below: bool = True) -> str:
    ok = value < target if below else value >= target
    return "met" if ok else "MISSED"


# --------------------------------------------------------------------------- serving

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


_TEXT = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".ttf", ".eot")


class _GzipHandler(_QuietHandler):
    """Like a host with gzip on: text files are sent gzip -9 when the client accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in _TEXT or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(directory: Path, compress: bool = False):
    """Serve `directory` on http://127.0.0.1:<free port>/; no compression unless `compress`."""
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def built_pages(html: Path) -> list[str]:
    """Every built page, relative to the book root: *.html except _static/ and reports/.
    Pages under a hidden folder (such as a stray .pytest_cache/README.html that Sphinx
    picks up when that folder exists) are not pages of the book: they are named and skipped."""
    pages = []
    for path in sorted(html.rglob("*.html")):
        rel = path.relative_to(html).as_posix()
        if {"_static", "reports"} & set(rel.split("/")[:-1]):    # also a translation's km/_static
            continue
        if any(part.startswith(".") for part in rel.split("/")[:-1]):
            print(f"    skipped (under a hidden folder, not a page of the book): {rel}")
            continue
        pages.append(rel)
    return pages


@functools.cache
def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def local_file(url: str, root: Path) -> Path | None:
    """The file on disk that the local server sent for `url`."""
    rel = unquote(urlparse(url).path).lstrip("/")
    target = root / rel
    if rel == "" or rel.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


# --------------------------------------------------------------------------- browsing

class Visit:
    """What one page load fetched: local files (by URL), off-host requests, failures."""

    def __init__(self, page, base: str):
        self.host = urlparse(base).netloc
        self.local: list[str] = []
        self.offhost: list[str] = []
        self.failed: list[str] = []
        self.page = page
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def detach(self) -> None:
        self.page.remove_listener("request", self._request)
        self.page.remove_listener("response", self._response)
        self.page.remove_listener("requestfailed", self._failed)

    def _failed(self, request):
        if urlparse(request.url).netloc == self.host:
            self.failed.append(request.url)

    def _request(self, request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != self.host:
            self.offhost.append(request.url)

    def _response(self, response):
        url = urlparse(response.url)
        if url.scheme in ("http", "https") and url.netloc == self.host:
            clean = response.url.split("#")[0]
            if clean not in self.local:
                self.local.append(clean)


def load(page, url: str) -> None:
    page.goto(url, wait_until="load", timeout=60_000)
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=10_000)


def first_visit(browser, base: str, rel: str) -> Visit:
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        visit = Visit(page, base)
        load(page, base + rel)
        page.close()
        return visit
    finally:
        ctx.close()


def weigh(urls, root: Path) -> tuple[int, list[str]]:
    total, missing = 0, []
    for url in urls:
        path = local_file(url, root)
        if path is None:
            missing.append(url)
        else:
            total += gzip_size(path)
    return total, missing


def launch(pw):
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make browser)")
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# --------------------------------------------------------------------------- the book

def build_book() -> None:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "book", "build", "--quiet"], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-6000:])
        raise SystemExit("the book did not build; page weight needs a built book")
    figure("book build before measuring", f"{time.perf_counter() - start:.1f}", "s",
           "python -m book build --quiet, warm cache")


def measure_book(browser) -> tuple[int, str]:
    """Print per-page and further-page weights; return the heaviest module page's bytes and name."""
    print("# first visit, empty cache (gzip -9 of every file fetched)")
    pages = built_pages(HTML)
    weights: dict[str, int] = {}
    not_found: dict[str, int] = {}
    with serve(HTML) as base:
        for rel in pages:
            visit = first_visit(browser, base, rel)
            total, missing = weigh(visit.local, HTML)
            weights[rel] = total
            extra = []
            if visit.offhost:
                extra.append(f"{len(visit.offhost)} request(s) to other hosts")
            broken = set(missing) | set(visit.failed)
            for url in broken:
                path = urlparse(url).path
                not_found[path] = not_found.get(path, 0) + 1
            if broken:
                extra.append(f"{len(broken)} failed or not found, not counted")
            figure(f"page weight {rel}", kib(total), "KiB gzip",
                   ", ".join([f"{len(visit.local)} files"] + extra))
            for url in visit.offhost:
                print(f"    off-host: {url}")
        for path, n in sorted(not_found.items()):
            print(f"    not found or failed on {n} page(s): {path}")
        modules = {rel: w for rel, w in weights.items() if rel.startswith("modules/")}  # English
        heaviest = max(modules, key=modules.get) if modules else max(weights, key=weights.get)
        w = weights[heaviest]
        figure(f"heaviest module page ({heaviest})", kib(w), "KiB gzip",
               f"target < {MODULE_TARGET_KIB} KiB: {verdict(w / KIB, MODULE_TARGET_KIB)}")
        khmer = {rel: w for rel, w in weights.items() if rel.startswith("km/modules/")}
        if khmer:
            km_heaviest = max(khmer, key=khmer.get)
            figure(f"heaviest Khmer module page ({km_heaviest})", kib(khmer[km_heaviest]), "KiB gzip",
                   f"first visit, with whatever font it loads; target < {KHMER_MODULE_TARGET_KIB} KiB: "
                   f"{verdict(khmer[km_heaviest] / KIB, KHMER_MODULE_TARGET_KIB)}")

        print("# each further page in the same visit (intro first, then every other page of its book;"
              " then the Khmer book's intro and its other pages)")
        order = []
        for folder in ("", "km/"):
            book = [p for p in pages if (p.startswith(folder) if folder else not p.startswith("km/"))]
            intro = f"{folder}pages/intro.html" if f"{folder}pages/intro.html" in book else f"{folder}index.html"
            order += [intro] + [p for p in book if p != intro] if book else []
        ctx = browser.new_context(viewport=VIEWPORT)
        seen: set[str] = set()
        further: dict[str, int] = {}
        try:
            page = ctx.new_page()
            for i, rel in enumerate(order):
                visit = Visit(page, base)
                load(page, base + rel)
                visit.detach()
                new = [u for u in visit.local if u not in seen]
                seen.update(visit.local)
                total, _ = weigh(new, HTML)
                if i == 0:
                    figure(f"first page of the visit {rel}", kib(total), "KiB gzip")
                elif rel == "km/pages/intro.html":   # the other book: its own copy of the theme's files
                    figure(f"first Khmer page after the English ones {rel}", kib(total), "KiB gzip",
                           f"{len(new)} new files")
                else:
                    further[rel] = total
                    figure(f"further page {rel}", kib(total), "KiB gzip", f"{len(new)} new files")
        finally:
            ctx.close()
        worst = max(further, key=further.get)
        figure(f"heaviest further page ({worst})", kib(further[worst]), "KiB gzip",
               f"target < {FURTHER_TARGET_KIB} KiB: {verdict(further[worst] / KIB, FURTHER_TARGET_KIB)}")
        mods = {k: v for k, v in further.items() if k.startswith("modules/")}
        if mods:
            worst_mod = max(mods, key=mods.get)
            figure(f"heaviest further module page ({worst_mod})", kib(mods[worst_mod]), "KiB gzip",
                   f"target < {FURTHER_TARGET_KIB} KiB: {verdict(mods[worst_mod] / KIB, FURTHER_TARGET_KIB)}")
    return w, heaviest


# --------------------------------------------------------------------------- default Jupyter Book

_CITE = re.compile(r"\{fact\}`([a-z0-9-]+)`")


def ten_questions() -> list[dict]:
    """The first 10 questions of the law bank, in jupyterquiz's format (same words,
    fact citations replaced by the fact's text), so both quizzes carry the same content."""
    import yaml
    facts = {f["id"]: f["text"] for f in yaml.safe_load((ROOT / "facts.yml").read_text())["facts"]}
    plain = lambda t: _CITE.sub(lambda m: facts.get(m.group(1), m.group(1)), (t or "").strip())
    bank = yaml.safe_load((ROOT / "quizzes" / "law.yml").read_text())
    source = bank["questions"]
    out = []
    for i in range(10):
        q = source[i % len(source)]
        prompt = plain(q["prompt"])
        if q.get("situation"):
            prompt = plain(q["situation"]) + " " + prompt
        out.append({
            "question": prompt,
            "type": "many_choice" if q["type"] == "multiple" else "multiple_choice",
            "answers": [{"answer": plain(o["text"]), "correct": bool(o["correct"]),
                         "feedback": plain(o["feedback"])} for o in q["options"]],
        })
    return out


def default_book(where: Path) -> Path:
    """A default Jupyter Book 1.x book: only the title is configured."""
    import nbformat
    where.mkdir(parents=True, exist_ok=True)
    (where / "_config.yml").write_text('title: "Default Jupyter Book with a jupyterquiz quiz"\n')
    (where / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n- file: quiz\n")
    (where / "intro.md").write_text("# Introduction\n\nA default Jupyter Book 1.x book with one quiz.\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Quiz\n\nTen questions with jupyterquiz."),
        nbformat.v4.new_code_cell("from jupyterquiz import display_quiz\n\nquestions = "
                                  + pprint.pformat(ten_questions(), width=100, sort_dicts=False)
                                  + "\ndisplay_quiz(questions)"),
    ]
    nbformat.write(nb, where / "quiz.ipynb")
    jb = Path(sys.executable).parent / "jupyter-book"
    start = time.perf_counter()
    proc = subprocess.run([str(jb), "build", str(where)], cwd=where, capture_output=True, text=True)
    html = where / "_build" / "html"
    if proc.returncode != 0 or not (html / "quiz.html").exists():
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit("the default Jupyter Book did not build")
    text = (html / "quiz.html").read_text(encoding="utf-8")
    if "var questions" not in text:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit("the default book's quiz page has no jupyterquiz output (the notebook did not execute)")
    figure("default jupyter-book build", f"{time.perf_counter() - start:.1f}", "s")
    return html


def measure_default(browser, ours: int, ours_page: str) -> None:
    print("# a default Jupyter Book 1.x page with a 10-question jupyterquiz quiz")
    try:
        import jupyterquiz
    except ImportError:
        raise SystemExit("jupyterquiz is not installed: pip install -r bench/requirements.txt")
    with tempfile.TemporaryDirectory(prefix="bench-default-jb-") as tmp:
        html = default_book(Path(tmp) / "book")
        with serve(html) as base:
            visit = first_visit(browser, base, "quiz.html")
        total, missing = weigh(visit.local, html)
        figure("default jupyter-book quiz page (quiz.html)", kib(total), "KiB gzip",
               f"jupyterquiz {jupyterquiz.__version__}; {len(visit.local)} files served locally, "
               "only those counted")
        offhost = sorted(set(visit.offhost))
        figure("default jupyter-book requests to other hosts", str(len(visit.offhost)), "requests",
               "not counted: they fail offline here")
        for url in offhost:
            print(f"    off-host: {url}")
        broken = sorted(set(missing) | set(visit.failed))
        if broken:
            figure("default jupyter-book local requests not found or failed", str(len(broken)), "requests",
                   "not counted")
            for url in broken:
                print(f"    not found or failed: {urlparse(url).path}")
        figure(f"ratio default/ours (default quiz page / {ours_page})", f"{total / ours:.2f}", "x")


def main() -> None:
    from playwright.sync_api import sync_playwright
    build_book()
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            ours, ours_page = measure_book(browser)
            measure_default(browser, ours, ours_page)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
