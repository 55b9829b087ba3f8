"""Khmer font figures: what the Khmer font costs a reader (`make bench`).

1. The subsets the Khmer book ships (_build/html/km/_static/kq/noto-sans-khmer-*.woff2,
   book/sphinx/khmer_font.py), each as bytes and gzip -9 (woff2 is already
   compressed; a host may gzip it anyway), if the Khmer book is built.
   Otherwise the same subsets made now from the Khmer catalogues
   (locale/km/LC_MESSAGES), which the build starts from (the build adds the
   characters of interface strings and dates it shows).
2. For comparison: every Khmer character the font has (the most a subset can
   be), and the bundled files (book/static/fonts/, with basic Latin too).

Prints figures; asserts nothing. Run with the project's venv Python.
"""
from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
from weight import KIB, figure  # noqa: E402

from book import fonts  # noqa: E402

KHMER_STATIC = ROOT / "_build" / "html" / "km" / "_static" / "kq"
CATALOGUES = ROOT / "locale" / "km" / "LC_MESSAGES"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def show(label: str, sizes: dict[int, bytes], note: str) -> None:
    for weight, data in sorted(sizes.items()):
        figure(f"{label} {weight}", str(len(data)), "bytes", f"gzip -9 {gz(data)} bytes")
    total, total_gz = sum(len(d) for d in sizes.values()), sum(gz(d) for d in sizes.values())
    figure(f"{label} 400 + 700", f"{total / KIB:.1f}", "KiB", f"gzip -9 {total_gz / KIB:.1f} KiB; {note}")


def built() -> dict[int, bytes]:
    found = {}
    for path in KHMER_STATIC.glob("noto-sans-khmer-*.woff2") if KHMER_STATIC.is_dir() else []:
        weight = re.search(r"-(\d{3})\.", path.name)
        if weight:
            found[int(weight.group(1))] = path.read_bytes()
    return found


def from_catalogues() -> tuple[dict[int, bytes], int]:
    chars: set[str] = set()
    for path in sorted(CATALOGUES.rglob("*.po")):
        chars |= fonts.khmer_in(path.read_text(encoding="utf-8", errors="replace"))
    return {weight: fonts.subset(chars, weight) for weight in fonts.FACES}, len(chars)


def main() -> None:
    shipped = built()
    if shipped:
        show("Khmer font subset as built", shipped, f"what a Khmer page loads, from {KHMER_STATIC.relative_to(ROOT)}")
    else:
        subsets, count = from_catalogues()
        show("Khmer font subset of the catalogues", subsets,
             f"{count} characters of locale/km (the Khmer book is not built: `python -m book build` builds it)")
    every = {c for c in fonts.font_characters() if fonts.KHMER.match(c)}
    show("Khmer font subset of every Khmer character", {w: fonts.subset(every, w) for w in fonts.FACES},
         f"{len(every)} characters: the most a subset can be")
    show("Khmer font as bundled", {w: p.read_bytes() for w, p in fonts.FACES.items()},
         "book/static/fonts, with basic Latin, before subsetting")


if __name__ == "__main__":
    main()
