"""The Khmer font of the Khmer book (book/fonts.py, book/sphinx/khmer_font.py)
on a small Khmer Sphinx project (tests/khmer_project.py), built with
sphinx-build: the subset holds every Khmer character of the pages and the
catalogues and every layout feature, Chromium draws every Khmer line with it
(shaped exactly as with the whole font) in lines tall enough for stacked
signs; the licence ships; a character the font lacks stops the build with
one line; an English build does not change by a byte."""
from __future__ import annotations

import filecmp
import io
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import khmer_project as kp
import pytest
from conftest import serving
from fontTools.ttLib import TTFont

from book import fonts
from book.data.errors import BookError
from book.sphinx.khmer_font import STYLESHEET

UNASSIGNED = "\u17de"     # in the Khmer block, but no character (and so in no font)
KHMER_TEXT = "".join([kp.ONE_TITLE, *kp.ONE_TEXT, kp.TWO_TITLE, *kp.TWO_TEXT, kp.BUTTON, kp.TALL, kp.CATALOGUE])


def khmer_chars(text: str) -> set[str]:
    return {c for c in text if "\u1780" <= c <= "\u17ff"}


def khmer_features(font: TTFont) -> set[str]:
    """The substitution and positioning features the font has for Khmer text."""
    found = set()
    for table in ("GSUB", "GPOS"):
        layout = font[table].table
        script = next(s.Script for s in layout.ScriptList.ScriptRecord if s.ScriptTag == "khmr")
        found |= {f"{table}:{layout.FeatureList.FeatureRecord[i].FeatureTag}" for i in script.DefaultLangSys.FeatureIndex}
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return kp.built(tmp_path_factory.mktemp("km-font"))


@pytest.fixture(scope="module")
def http_root(site):
    with serving(site) as url:
        yield url


def subsets(site: Path) -> dict[int, Path]:
    found = {int(re.search(r"-(\d+)\.", p.name).group(1)): p
             for p in (site / "_static" / "kq").glob("noto-sans-khmer-*.woff2")}
    assert sorted(found) == [400, 700], found
    return found


# ----------------------------------------------------------------- the files

def test_subset_has_every_khmer_character_of_pages_and_catalogues_and_no_other(site):
    wanted = khmer_chars(KHMER_TEXT) | {fonts.ALWAYS}
    assert kp.CATALOGUE_ONLY in wanted
    for weight, path in subsets(site).items():
        with TTFont(str(path)) as font, TTFont(str(fonts.FACES[weight])) as whole:
            assert {chr(c) for c in font.getBestCmap()} == wanted, weight
            assert khmer_features(font) == khmer_features(whole), f"{weight}: layout features were dropped"
            assert {"GSUB:blwf", "GSUB:pref", "GSUB:pres", "GPOS:mark"} <= khmer_features(font)
            names = font["name"]
            assert names.getDebugName(0).startswith("Copyright") and "OFL" in names.getDebugName(14), \
                "the copyright and licence records were dropped"
        assert path.stat().st_size < fonts.FACES[weight].stat().st_size / 2


def test_subsets_are_reproducible():
    chars = khmer_chars(KHMER_TEXT)
    assert fonts.subset(chars, 400) == fonts.subset(sorted(chars), 400)


def test_stylesheet_and_licence_ship_with_the_book(site):
    kq = site / "_static" / "kq"
    css = (kq / Path(STYLESHEET).name).read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\{[^}]*\}", css)
    assert len(faces) == 2
    for face in faces:
        assert "font-display:swap" in face and f"unicode-range:{fonts.UNICODE_RANGE}" in face
        src = re.search(r'url\("([^"]+)"\)', face).group(1)
        assert (kq / src).is_file(), src
    assert fonts.LICENCE_NAME in css
    assert (kq / fonts.LICENCE_NAME).read_bytes() == fonts.LICENCE.read_bytes()
    sources = sorted(re.findall(r'url\("([^"]+)"\)', css))
    for name in ("index", "one", "two", "search", "genindex"):
        text = (site / f"{name}.html").read_text(encoding="utf-8")
        assert f'href="_static/{STYLESHEET}"' in text, name
        # both faces asked for before any stylesheet, by the names the stylesheet uses
        script = re.search(r'<script>\nif \(location.protocol !== "file:"\) \{\n  (\[[^\]]*\])', text)
        assert script, name
        assert sorted(json.loads(script.group(1))) == [f"_static/kq/{s}" for s in sources], name
        assert script.start() < text.index('rel="stylesheet"'), name


def test_english_build_does_not_change_by_a_byte(tmp_path):
    """The same English project with and without the Khmer extensions: the same files, byte for byte."""
    pages = {"index": "Kampot\n======\n\n.. toctree::\n\n   one\n", "one": "Health\n======\n\nA clinic gives **free** care.\n"}
    without = kp.built(tmp_path / "without", language="en", extensions=[], pages=pages)
    with_khmer = kp.built(tmp_path / "with", language="en", pages=pages)
    files = lambda root: sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                                if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo")
    assert files(with_khmer) == files(without)
    differ = [rel for rel in files(without) if not filecmp.cmp(without / rel, with_khmer / rel, shallow=False)]
    assert not differ, differ
    assert not list(with_khmer.rglob("noto-sans-khmer*"))


def test_the_english_book_has_no_khmer_font(built_book):
    """The real book as `make book` builds it: no English page links the Khmer
    font and no file of it is in the English book (a Khmer book under km/ has its own)."""
    english = [p for p in built_book.rglob("*") if p.relative_to(built_book).parts[0] != "km"]
    assert not [p for p in english if "noto-sans-khmer" in p.name or p.name.startswith("khmer.")]
    pages = [p for p in english if p.suffix == ".html"]
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "kq/khmer." not in text and "Noto Sans Khmer" not in text, page


@pytest.mark.parametrize("where, line", [("one.rst", r"one\.rst:\d+"),
                                         ("interface.po", r"locale/km/LC_MESSAGES/interface\.po:\d+")])
def test_a_character_the_font_lacks_stops_the_build_with_one_line(tmp_path, where, line):
    kp.write(tmp_path)
    path = tmp_path / where if where.endswith(".rst") else tmp_path / "locale" / "km" / "LC_MESSAGES" / where
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(kp.ONE_WORD if where == "one.rst" else kp.CATALOGUE_ONLY, "ក" + UNASSIGNED), encoding="utf-8")
    proc = kp.build(tmp_path)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    said = [x for x in output.splitlines() if "U+17DE" in x]
    assert len(said) == 1, output
    assert re.match(rf"^{line}: U\+17DE \(unassigned\) is a Khmer character that Noto Sans Khmer has no glyph for",
                    said[0]), said[0]
    assert "Traceback" not in output


# ----------------------------------------------------------------- in Chromium

# Every visible element with Khmer in its own text, marked for the DevTools
# protocol with the number of its other characters (spaces, "#"), which the
# page's Latin font may draw: no Khmer character may be left to that font.
MARK_KHMER = """() => {
  const khmer = /[\u1780-\u17ff]/;
  let n = 0;
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].filter(t => t.nodeType === 3).map(t => t.textContent).join("");
    if (khmer.test(own) && el.checkVisibility()) {
      const all = el.textContent.replace(/\\s+/g, " ").trim();
      el.dataset.kqKhmer = String([...all].filter(c => !khmer.test(c)).length);
      n++;
    }
  }
  return n;
}"""

# For every visible element with Khmer in its own text: how far its Khmer ink
# reaches above and below the baseline (canvas measureText, shaped with the
# element's font) against its line height.
INK = """async () => {
  const out = [];
  const ctx = document.createElement("canvas").getContext("2d");
  for (const el of document.body.querySelectorAll("*")) {
    const text = [...el.childNodes].filter(t => t.nodeType === 3).map(t => t.textContent).join("").trim();
    if (!/[\\u1780-\\u17ff]/.test(text) || !el.checkVisibility()) continue;
    const cs = getComputedStyle(el);
    const font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    await document.fonts.load(font, text);
    ctx.font = font;
    const m = ctx.measureText(text);
    out.push({tag: el.tagName, text, ink: m.actualBoundingBoxAscent + m.actualBoundingBoxDescent,
              lineHeight: parseFloat(cs.lineHeight), fontSize: parseFloat(cs.fontSize)});
  }
  return out;
}"""

# The same Khmer drawn with the whole font and with the subset: how many
# pixels differ by more than anti-aliasing does (a glyph substituted, moved
# or missing differs by up to 255), and how many are inked.
COMPARE = """async ([whole, part, weight, words]) => {
  const faces = [new FontFace("KQ whole", `url(${whole})`, {weight}), new FontFace("KQ part", `url(${part})`, {weight})];
  for (const f of faces) { document.fonts.add(await f.load()); }
  const draw = (family, word) => {
    const c = document.createElement("canvas"); c.width = 1400; c.height = 200;
    const x = c.getContext("2d"); x.font = `${weight} 64px "${family}"`; x.fillText(word, 10, 120);
    return x.getImageData(0, 0, c.width, c.height).data;
  };
  return words.map(w => {
    const a = draw("KQ whole", w), b = draw("KQ part", w);
    let inked = 0, differ = 0;
    for (let i = 3; i < a.length; i += 4) { if (a[i]) inked++; if (Math.abs(a[i] - b[i]) > 64) differ++; }
    return {w, inked, differ};
  });
}"""


def open_khmer_page(browser, url: str, allowed_host: str | None):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    offhost = [u for u in requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != allowed_host]
    assert not offhost, offhost
    return ctx, page, requests


@pytest.mark.parametrize("where", ["http", "file"])
def test_every_khmer_line_is_drawn_with_the_subset(browser, site, http_root, where):
    start = http_root if where == "http" else site.as_uri() + "/"
    ctx, page, requests = open_khmer_page(browser, start + "one.html", urlparse(http_root).netloc)
    try:
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded' && f.family.includes('Khmer'))"
                               ".map(f => f.weight).sort()")
        assert loaded == ["400", "700"]
        fetched = sorted(re.sub(r"\.[0-9a-f]{10}\.", ".", u.rsplit("/", 1)[1]) for u in requests if "khmer" in u)
        assert fetched == ["khmer.css", "noto-sans-khmer-400.woff2", "noto-sans-khmer-700.woff2"]
        assert page.evaluate(MARK_KHMER) >= 5
        cdp = ctx.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        seen = {}
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-kq-khmer]"})["nodeIds"]:
            html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"][:120]
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            attributes = cdp.send("DOM.getAttributes", {"nodeId": node})["attributes"]
            others = int(attributes[attributes.index("data-kq-khmer") + 1])
            khmer = [f for f in used if f["familyName"] == fonts.FAMILY and f["isCustomFont"]]
            assert khmer, (html, used)
            assert sum(f["glyphCount"] for f in used if f not in khmer) <= others, (html, used)
            seen[html.split(">")[0]] = {f["postScriptName"] for f in khmer}
        tags = {re.match(r"<(\w+)", h).group(1) for h in seen}
        assert {"h1", "p", "strong", "button", "a"} <= tags, tags
        assert {"NotoSansKhmer-Bold"} in [v for h, v in seen.items() if h.startswith("<strong")]
    finally:
        ctx.close()


def test_khmer_lines_are_tall_enough_for_stacked_signs(browser, site):
    ctx, page, _ = open_khmer_page(browser, site.as_uri() + "/one.html", None)
    try:
        measured = page.evaluate(INK)
    finally:
        ctx.close()
    assert any(kp.TALL in m["text"] for m in measured)
    assert {m["tag"] for m in measured} >= {"H1", "P", "BUTTON", "A"}
    crowded = [m for m in measured if m["ink"] > m["lineHeight"]]
    assert not crowded, crowded
    tallest = max(m["ink"] / m["fontSize"] for m in measured)
    assert tallest > 1.5, f"the page's tallest Khmer is {tallest:.2f} em: the test text lost its stacked signs"


def without_layout_features(chars: set[str], weight: int) -> bytes:
    """A subset that has lost its shaping: the comparison must see it."""
    from fontTools import subset as ft_subset
    options = ft_subset.Options()
    options.flavor, options.layout_features = "woff2", []
    with TTFont(str(fonts.FACES[weight])) as font:
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in chars])
        subsetter.subset(font)
        out = io.BytesIO()
        ft_subset.save_font(font, out, options)
    return out.getvalue()


def test_subset_draws_khmer_as_the_whole_font_does(browser, site):
    words = [kp.ONE_TITLE, *kp.ONE_TEXT[0].split(), kp.TWO_WORD, *kp.TALL.split(), kp.BUTTON]
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        for weight, path in subsets(site).items():
            whole = fonts.data_url(fonts.FACES[weight].read_bytes())
            page.goto(site.as_uri() + "/one.html", wait_until="load")
            for r in page.evaluate(COMPARE, [whole, fonts.data_url(path.read_bytes()), str(weight), words]):
                assert r["inked"] > 300 and r["differ"] == 0, (weight, r)
            page.goto(site.as_uri() + "/one.html", wait_until="load")
            broken = fonts.data_url(without_layout_features(khmer_chars(KHMER_TEXT), weight))
            differ = [r["differ"] for r in page.evaluate(COMPARE, [whole, broken, str(weight), words])]
            assert sum(differ) > 1000, f"{weight}: a subset without shaping drew the same: {differ}"
    finally:
        ctx.close()


def test_a_subset_that_lost_a_character_is_one_line(monkeypatch):
    """The subset is checked against what it was asked for (here fontTools is made to drop one)."""
    from fontTools import subset as ft_subset
    populate = ft_subset.Subsetter.populate
    monkeypatch.setattr(ft_subset.Subsetter, "populate",
                        lambda self, unicodes: populate(self, unicodes=[u for u in unicodes if u != ord("ត")]))
    with pytest.raises(BookError) as caught:
        fonts.subset(set("ស្ត្រី"), 400)
    assert str(caught.value) == ("noto-sans-khmer-khmer-400-normal.woff2: the subset lost U+178F, which the text uses; "
                                 "check the fontTools version against requirements.txt")


def test_subset_of_text_in_memory_matches_font_cmap():
    """fonts.subset keeps what it is given and nothing of what it is not."""
    data = fonts.subset(set("ស្ត្រី"), 400)
    with TTFont(io.BytesIO(data)) as font:
        assert {chr(c) for c in font.getBestCmap()} == {"ស", "្", "ត", "រ", "ី", fonts.ALWAYS}
