"""What it would take for Khmer module pages to reach Lighthouse 95 served
uncompressed ([plain], issue 16): Lighthouse on edited copies of the built
Khmer module pages.

Not run by `make bench` (about 10 minutes); it needs a built book
(`make book`) and Lighthouse in bench/node_modules (`bench/run.py lighthouse`
installs it). Each variant is a copy of _build/html in a temporary folder,
served as is by the same http.server as bench/lighthouse.py [plain]:

- `as built`: the book unchanged;
- `quiz lighter`: every option's feedback and the quiz's interface strings
  taken out of the page (they are hidden until a learner checks an answer,
  so a script could bring them after the first paint), element ids without
  the quiz id they repeat, and no quiz script before the first paint;
- `quiz lighter, first-paint CSS`: the same, and the theme stylesheet cut to
  the rules Chromium uses on the Khmer pages (CSS rule usage at 360 and
  1280 px, light and dark), with its @font-face rules.

The edits are crude (regular expressions on the built pages; styles of
states that no page is in when loaded are gone) and the copies are for
Lighthouse only, never for readers. Prints each page's performance score,
FCP and LCP, then each variant's lowest and highest score.

    .venv/bin/python bench/khmer_plain.py [runs]    # runs per page, default 1
"""
from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lighthouse import VERSION, installed_version, run_one
from weight import CHROMIUM, CHROMIUM_ARGS, HTML, figure, serve

FEEDBACK = re.compile(r'(<div class="kq-fb" id="[^"]*" hidden>)<span class="kq-mark"></span>.*?</div>', re.S)
STRINGS = re.compile(r"""\sdata-kq-strings=(?:'[^']*'|"[^"]*")""")
REPEATED_ID = re.compile(r"kq-([a-z0-9]+)-\1-")
QUIZ_SCRIPTS = re.compile(r'<script defer="defer" src="[^"]*_static/kq/(?:record|quiz)\.[0-9a-f]+\.js"></script>')


def _sub(pattern: re.Pattern[str], new: str, text: str, page: Path, required: bool = True) -> str:
    text, count = pattern.subn(new, text)
    if required and not count:
        raise SystemExit(f"{page}: nothing matched {pattern.pattern[:40]}...: the quiz markup changed; "
                         "update bench/khmer_plain.py")
    return text


def lighter_quiz(html: Path) -> None:
    for page in sorted((html / "km" / "modules").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for pattern, new in ((FEEDBACK, r"\1</div>"), (STRINGS, ""), (QUIZ_SCRIPTS, "")):
            text = _sub(pattern, new, text, page)
        text = _sub(REPEATED_ID, "kq-", text, page, required=False)    # where question ids repeat the quiz id
        page.write_text(text, encoding="utf-8")


def first_paint_css(html: Path) -> tuple[int, int]:
    """Cut km/_static/kq/theme.*.css to the rules Chromium uses on the Khmer
    pages as loaded; return its size before and after."""
    from playwright.sync_api import sync_playwright
    (sheet,) = (html / "km" / "_static" / "kq").glob("theme.*.css")
    text = sheet.read_text(encoding="utf-8")
    pages = ["km/pages/intro.html", *(f"km/modules/{p.name}" for p in sorted((html / "km" / "modules").glob("*.html")))]
    used: set[tuple[int, int]] = set()
    sheets: dict[str, str] = {}       # a stylesheet's id in a page -> its address
    with serve(html) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for rel in pages:
            for width in (360, 1280):
                for theme in ("light", "dark"):
                    page = browser.new_page(viewport={"width": width, "height": 800})
                    cdp = page.context.new_cdp_session(page)
                    cdp.on("CSS.styleSheetAdded",
                           lambda e: sheets.__setitem__(e["header"]["styleSheetId"], e["header"]["sourceURL"]))
                    cdp.send("DOM.enable")
                    cdp.send("CSS.enable")
                    cdp.send("CSS.startRuleUsageTracking")
                    page.goto(base + rel, wait_until="load")
                    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    for rule in cdp.send("CSS.stopRuleUsageTracking")["ruleUsage"]:
                        if rule["used"] and sheets.get(rule["styleSheetId"], "").endswith("/" + sheet.name):
                            used.add((rule["startOffset"], rule["endOffset"]))
                    page.close()
        browser.close()
    faces = re.findall(r"@font-face\{[^}]*\}", text)
    cut = "".join(faces) + "".join(text[start:end] for start, end in sorted(used))
    sheet.write_text(cut, encoding="utf-8")
    return len(text.encode()), len(cut.encode())


def audit(name: str, html: Path, runs: int, tmp: Path) -> None:
    scores = []
    with serve(html) as base:
        for page in sorted((html / "km" / "modules").glob("*.html")):
            rel = f"km/modules/{page.name}"
            for run in range(runs):
                report = run_one(base + rel, tmp / f"{name}-{page.stem}-{run}.json")
                score = round(report["categories"]["performance"]["score"] * 100)
                fcp = report["audits"]["first-contentful-paint"]["numericValue"] / 1000
                lcp = report["audits"]["largest-contentful-paint"]["numericValue"] / 1000
                scores.append(score)
                figure(f"performance [plain, {name}] {rel}", str(score), "/100",
                       f"FCP {fcp:.2f} s, LCP {lcp:.2f} s, page {page.stat().st_size / 1000:.0f} KB")
    figure(f"performance [plain, {name}], lowest to highest", f"{min(scores)} to {max(scores)}", "/100",
           f"{len(scores)} runs; target >= 95")


def main() -> None:
    if installed_version() != VERSION:
        raise SystemExit(f"lighthouse {VERSION} is not in bench/node_modules: run `bench/run.py lighthouse` once")
    if not (HTML / "km" / "modules").is_dir():
        raise SystemExit("no built Khmer book in _build/html/km: run `make book` first")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    with tempfile.TemporaryDirectory(prefix="bench-khmer-plain-") as name:
        tmp = Path(name)
        audit("as built", HTML, runs, tmp)
        lighter = tmp / "lighter"
        shutil.copytree(HTML, lighter)
        lighter_quiz(lighter)
        audit("quiz lighter", lighter, runs, tmp)
        before, after = first_paint_css(lighter)
        figure("theme stylesheet cut to first-paint rules", f"{before / 1000:.0f} -> {after / 1000:.0f}", "KB")
        audit("quiz lighter, first-paint CSS", lighter, runs, tmp)


if __name__ == "__main__":
    main()
