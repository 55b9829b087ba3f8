"""Content hashes in the names of the book's own scripts and stylesheets.

A browser that keeps `_static/kq/quiz.js` in its cache could run an old
script with a new page. After the build, each `_static/kq/*.js|css` is
renamed `name.<hash>.ext` (the hash of its content) and every page's
reference is rewritten, so a changed file always has a new name.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

KQ = "_static/kq"
HASHED_SUFFIXES = (".js", ".css")
DIGITS = 10
# A hashed name: quiz.3f2a1b0c9d.js
HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{DIGITS}}})(?P<ext>\.[a-z]+)$")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:DIGITS]


def hashed_name(path: Path) -> str:
    return f"{path.stem}.{digest(path.read_bytes())}{path.suffix}"


def unhashed(name: str) -> str:
    """quiz.3f2a1b0c9d.js -> quiz.js (a name without a hash is returned as it is)."""
    found = HASHED.match(name)
    return f"{found['stem']}{found['ext']}" if found else name


def apply(html: Path, skip: Iterable[str] = ()) -> dict[str, str]:
    """Rename the files and rewrite every page; returns old -> new names.
    `skip` names folders of `html` that hold another book (a translation,
    with files of its own): their pages are left to that book's call."""
    others = {name for name in skip if name}
    folder = html / KQ
    renamed = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in HASHED_SUFFIXES and path.is_file() and not HASHED.match(path.name):
            new = hashed_name(path)
            path.rename(folder / new)
            renamed[path.name] = new
    if not renamed:
        return renamed
    # "_static/kq/quiz.js" followed by a quote, "?" or "#" (never quiz.json)
    names = "|".join(re.escape(n) for n in renamed)
    ref = re.compile(rf"(_static/kq/)({names})(?=[\"'?#])")
    for page in html.rglob("*.html"):
        if page.relative_to(html).parts[0] in others:
            continue
        text = page.read_text(encoding="utf-8")
        new_text = ref.sub(lambda m: m.group(1) + renamed[m.group(2)], text)
        if new_text != text:
            page.write_text(new_text, encoding="utf-8")
    return renamed
