"""Noto Sans Khmer, cut down to the characters a Khmer text uses.

No Khmer font is installed on most machines, and Chromium draws boxes
without one, so Khmer pages and Khmer workshop documents carry their own:
the woff2 files in static/fonts/ (OFL 1.1, see SOURCE.md there), subset with
fontTools to the Khmer characters of the text. Every OpenType layout feature
is kept (coeng subscripts, pre-base vowels and the above and below forms are
glyph substitutions the shaper needs), and `unicode-range` limits the face
to Khmer, so Latin text keeps the page's own font and a page without Khmer
never downloads it.

A Khmer character the font lacks (an unassigned code point, a typing slip)
would show as a box: `check` reports it as one line naming where it is.
Subsets are byte-for-byte the same for the same characters (no timestamp),
so a rebuild does not change the book's offline version.
"""
from __future__ import annotations

import base64
import html
import io
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from book.data.errors import BookError, Problem
from book.data.paths import STATIC

FOLDER = STATIC / "fonts"
FAMILY = "Noto Sans Khmer"
FACES = {400: FOLDER / "noto-sans-khmer-khmer-400-normal.woff2",
         700: FOLDER / "noto-sans-khmer-khmer-700-normal.woff2"}
LICENCE = FOLDER / "OFL.txt"
LICENCE_NAME = "noto-sans-khmer-OFL.txt"     # the licence's name beside the subsets
# Khmer and Khmer Symbols: every such character of the text must be in the font.
KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
# What the face is used for: Khmer, the joiners and zero-width space Khmer
# text uses, and the dotted circle a shaper shows for a stray vowel sign.
ALWAYS = "\u25cc"
SHAPING = re.compile("[\u1780-\u17ff\u19e0-\u19ff\u200b-\u200d\u25cc]")
UNICODE_RANGE = "U+1780-17FF,U+19E0-19FF,U+200B-200D,U+25CC"
# A Khmer character written as an escape in a script or a JSON attribute
# (not an escaped backslash followed by "u", as in a regular expression's text).
_ESCAPED = re.compile(r"(?<!\\)\\u(17[0-9a-fA-F]{2}|19[e-fE-F][0-9a-fA-F]|200[b-dB-D]|25[cC][cC])")


def decoded(text: str) -> str:
    """`text` with HTML character references and JavaScript \\u escapes of
    Khmer characters turned into the characters themselves."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), html.unescape(text))


def khmer_in(text: str) -> set[str]:
    """The characters of `text` the Khmer face draws."""
    return set(SHAPING.findall(decoded(text)))


@lru_cache(maxsize=2)
def font_characters(weight: int = 400) -> frozenset[str]:
    """The characters the bundled font has a glyph for."""
    from fontTools.ttLib import TTFont
    with TTFont(str(FACES[weight]), lazy=True) as font:
        return frozenset(chr(code) for code in font.getBestCmap())


def _missing_in(text: str) -> str | None:
    have = font_characters(400) & font_characters(700)
    return next((c for c in KHMER.findall(decoded(text)) if c not in have), None)


def check(texts: Iterable[tuple[str, str, str]]) -> None:
    """Raise a BookError for the first Khmer character the font lacks.
    `texts` are (file, place, text); the place may be empty."""
    for file, place, text in texts:
        char = _missing_in(text)
        if char is not None:
            raise BookError(Problem(file, place, f"U+{ord(char):04X} ({_name(char)}) is a Khmer character that "
                                    f"{FAMILY} has no glyph for, so it would show as a box",
                                    "retype the word (a typing slip or an unassigned code point)"))


def _name(char: str) -> str:
    import unicodedata
    return unicodedata.name(char, "unassigned")


def file_texts(paths: Iterable[Path], shown_from: Path) -> Iterable[tuple[str, str, str]]:
    """(file, line number, line) of every line that has Khmer in it, for check()."""
    for path in paths:
        try:
            shown = str(path.relative_to(shown_from))
        except ValueError:
            shown = str(path)
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if SHAPING.search(line) or "\\u" in line or "&#" in line:
                yield shown, str(number), line


def subset(chars: Iterable[str], weight: int) -> bytes:
    """The woff2 font with only `chars` (and the glyphs their shaping needs)."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont
    logging.getLogger("fontTools").setLevel(logging.WARNING)   # not a line per table on every build
    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]        # coeng, pre-base and every other shaping feature
    options.layout_scripts = ["*"]
    options.name_IDs = ["*"]               # keep the copyright and licence records
    options.notdef_outline = True
    options.recalc_timestamp = False
    wanted = {ord(c) for c in chars if SHAPING.match(c)} | {ord(ALWAYS)}
    with TTFont(str(FACES[weight]), recalcTimestamp=False) as font:
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(wanted))
        subsetter.subset(font)
        kept = set(font.getBestCmap())
        lost = sorted(code for code in wanted if code not in kept and chr(code) in font_characters(weight))
        if lost:
            raise BookError(Problem(FACES[weight].name, "", f"the subset lost U+{lost[0]:04X}, which the text uses",
                                    "check the fontTools version against requirements.txt"))
        out = io.BytesIO()
        ft_subset.save_font(font, out, options)
    return out.getvalue()


def face_rules(sources: dict[int, str], family: str = FAMILY) -> str:
    """@font-face rules, one per weight; `sources` maps a weight to its url()."""
    return "".join(
        f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};font-display:swap;'
        f'src:url("{url}") format("woff2");unicode-range:{UNICODE_RANGE}}}\n'
        for weight, url in sorted(sources.items()))


def data_url(data: bytes) -> str:
    return "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")


def embedded_faces(text: str, weights: Iterable[int] = tuple(FACES), family: str = FAMILY) -> str:
    """@font-face rules with the subsets for `text` inside them (data: URLs),
    for a document that must load nothing (a workshop pack's HTML and PDF);
    check() the text first."""
    chars = khmer_in(text)
    return face_rules({weight: data_url(subset(chars, weight)) for weight in weights}, family)
