"""What it would take for Khmer module pages to reach Lighthouse 95 served
uncompressed ([plain], issue 16): Lighthouse on edited copies of the built
Khmer module pages.

Not run by `make bench` (about 15 minutes); it needs a built book
(`make book`) and Lighthouse in bench/node_modules (`bench/run.py lighthouse`
installs it). Each variant is a copy of _build/html in a temporary folder,
served as is by the same http.server as bench/lighthouse.py [plain]:

- `as built`: the book unchanged;
- `quiz lighter`: every option's feedback and the quiz's interface strings
  taken out of the page (they are hidden until a learner checks an answer,
  so a script could bring them after the first paint), element ids without
  the quiz id they repeat, and no quiz script before the first paint;
- `quiz lighter, CSS Chromium uses`: the same, and the theme stylesheet cut
  to the rules Chromium uses on the Khmer introduction and module pages as
  loaded (CSS rule usage at 360 and 1280 px, light and dark);
- `quiz lighter, CSS matched in Python`: the same, with the rules a build
  could choose without a browser: those whose selectors, without hover,
  focus and pseudo-element parts, match an element of any built Khmer page,
  light or dark, at any width (soupsieve).

The edits are crude (regular expressions on the built pages; styles of
states that no page is in when loaded are gone) and the copies are for
Lighthouse only, never for readers. Prints each page's performance score,
FCP and LCP, then each variant's lowest and highest score.

    .venv/bin/python bench/khmer_plain.py [runs]    # runs per page, default 1
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import soupsieve
import tinycss2
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lighthouse import VERSION, installed_version, run_one
from weight import CHROMIUM, CHROMIUM_ARGS, HTML, figure, serve

FEEDBACK = re.compile(r'(<div class="kq-fb" id="[^"]*" hidden>)<span class="kq-mark"></span>.*?</div>', re.S)
STRINGS = re.compile(r"""\sdata-kq-strings=(?:'[^']*'|"[^"]*")""")
REPEATED_ID = re.compile(r"kq-([a-z0-9]+)-\1-")
QUIZ_SCRIPTS = re.compile(r'<script defer="defer" src="[^"]*_static/kq/(?:record|quiz)\.[0-9a-f]+\.js"></script>')


# Which rules of the theme stylesheet a copy keeps: (rule, its offset in the file) -> keep it.
Keep = Callable[[Any, int], bool]


def fail(line: str) -> None:
    """One line on stderr, exit 2."""
    print(f"khmer_plain.py: {line}", file=sys.stderr)
    raise SystemExit(2)


def _sub(pattern: re.Pattern[str], new: str, text: str, page: Path, required: bool = True) -> str:
    text, count = pattern.subn(new, text)
    if required and not count:
        fail(f"{page}: nothing matched {pattern.pattern[:40]}...: the quiz markup changed; "
             "update bench/khmer_plain.py")
    return text


def lighter_quiz(html: Path) -> None:
    for page in sorted((html / "km" / "modules").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for pattern, new in ((FEEDBACK, r"\1</div>"), (STRINGS, ""), (QUIZ_SCRIPTS, "")):
            text = _sub(pattern, new, text, page)
        text = _sub(REPEATED_ID, "kq-", text, page, required=False)    # where question ids repeat the quiz id
        page.write_text(text, encoding="utf-8")


def _cut(text: str, keep: Keep) -> str:
    """The stylesheet with only the style rules `keep(rule, offset)` accepts;
    @media and @supports keep their place around what is left of them, other
    at-rules (@font-face, @keyframes) stay."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def offset(node: Any) -> int:
        return starts[node.source_line - 1] + node.source_column - 1

    def walk(rules: list[Any]) -> str:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                if keep(rule, offset(rule)):
                    out.append(rule.serialize())
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
                inner = walk(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True))
                if inner:
                    out.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}{{{inner}}}")
            elif rule.type == "at-rule":
                out.append(rule.serialize())
        return "".join(out)

    return walk(tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True))


def used_css(html: Path) -> Keep:
    """The rules Chromium uses on the Khmer introduction and module pages as
    loaded, at 360 and 1280 px, light and dark."""
    name = next((html / "km" / "_static" / "kq").glob("theme.*.css")).name
    pages = ["km/pages/intro.html", *(f"km/modules/{p.name}" for p in sorted((html / "km" / "modules").glob("*.html")))]
    used: set[int] = set()
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
                        if rule["used"] and sheets.get(rule["styleSheetId"], "").endswith("/" + name):
                            used.add(rule["startOffset"])
                    page.close()
        browser.close()
    return lambda _rule, start: start in used


# Parts of a selector that depend on what the reader does, or that are not
# elements: taken off before matching the pages as loaded.
_STATE = re.compile(r"::?(?:hover|focus-visible|focus-within|focus|active|visited|target|before|after|"
                    r"placeholder|marker|selection|backdrop|first-letter|first-line|-webkit-[a-z-]+|-moz-[a-z-]+)"
                    r"(?:\([^)]*\))?")


def matched_css(html: Path) -> Keep:
    """The rules whose selectors, without their state and pseudo-element
    parts, match an element of any built Khmer page, light or dark, at any
    width (soupsieve; a selector it cannot read is kept): what a build could
    choose without a browser."""
    trees = []
    for page in sorted((html / "km").rglob("*.html")):
        if "_static" in page.relative_to(html).parts:
            continue
        for theme in ("light", "dark"):
            tree = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
            if tree.html is not None:
                tree.html["data-theme"] = tree.html["data-mode"] = theme
            trees.append(tree)

    def matches(selector: str) -> bool:
        bare = _STATE.sub("", selector).strip() or "*"
        try:
            compiled = soupsieve.compile(bare)
        except Exception:     # soupsieve cannot read it: keep the rule
            return True
        return any(compiled.select_one(tree) is not None for tree in trees)

    return lambda rule, _start: any(matches(s) for s in tinycss2.serialize(rule.prelude).split(","))


def cut_sheet(html: Path, keep: Keep) -> tuple[int, int]:
    """Cut km/_static/kq/theme.*.css to the rules `keep` accepts; its size before and after."""
    sheet = next((html / "km" / "_static" / "kq").glob("theme.*.css"))
    text = sheet.read_text(encoding="utf-8")
    cut = _cut(text, keep)
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


def _runs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of runs: give a whole number from 1")
    return int(value)


def main() -> None:
    parser = argparse.ArgumentParser(prog="khmer_plain.py", usage=argparse.SUPPRESS)
    parser.add_argument("runs", nargs="?", type=_runs, default=1, help="Lighthouse runs a page (default 1)")
    runs = parser.parse_args().runs
    if installed_version() != VERSION:
        fail(f"lighthouse {VERSION} is not in bench/node_modules: run `bench/run.py lighthouse` once")
    if not (HTML / "km" / "modules").is_dir():
        fail("no built Khmer book in _build/html/km: run `make book` first")
    with tempfile.TemporaryDirectory(prefix="bench-khmer-plain-") as name:
        tmp = Path(name)
        audit("as built", HTML, runs, tmp)
        lighter = tmp / "lighter"
        shutil.copytree(HTML, lighter)
        lighter_quiz(lighter)
        audit("quiz lighter", lighter, runs, tmp)
        for way, cut in (("CSS Chromium uses", used_css), ("CSS matched in Python", matched_css)):
            copy = tmp / way.replace(" ", "-")
            shutil.copytree(lighter, copy)
            before, after = cut_sheet(copy, cut(copy))
            figure(f"theme stylesheet, {way}", f"{before / 1000:.0f} -> {after / 1000:.0f}", "KB")
            audit(f"quiz lighter, {way}", copy, runs, tmp)


if __name__ == "__main__":
    main()
