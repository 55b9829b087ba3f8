"""What a hosted copy needs to be saved on a device and added to a home screen.

Written into the finished book by book/build.py, after the file names are
hashed and the zip is made:

- `offline.json`: every file of the book with its size and content hash,
  and the version id (a hash of that list). The worker saves exactly these
  files, checks each one against its hash, and switches to a version only
  when all of it is stored (book/worker/sw.js).
- `offline-version.json`: the version id and the total size, a few bytes
  that the save button reads to state the size before anything is stored.
- `sw.js`: the worker, at the book's root so that it can serve every page.
  It is registered only when the learner presses the button.
- `manifest.webmanifest`: name, start page and icons, for the home screen.
- `index.html`, the start page: Jupyter Book writes a bare redirect there;
  it becomes a small document with the book's language, title and icon
  (without an icon the browser asks for /favicon.ico, which no book has,
  and logs an error) and a link for a browser that does not follow it.

Not listed: the zip (the offline route from disk, a second copy of the
book), the two JSON files (always read from the network) and the worker
itself (the browser keeps it).
"""
from __future__ import annotations

import hashlib
import html as markup
import json
import re
import shutil
from pathlib import Path
from typing import Any

from book.hashnames import digest

LIST = "offline.json"
VERSION = "offline-version.json"
WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
WORKER_SOURCE = Path(__file__).resolve().parent / "worker" / WORKER
ICONS = [("_static/kq/icon-192.png", "192x192", "image/png"),
         ("_static/kq/icon-512.png", "512x512", "image/png"),
         ("_static/kq/favicon.svg", "any", "image/svg+xml")]
THEME_COLOUR = "#1d4f73"  # the favicon's blue
NOT_SAVED = {LIST, VERSION, WORKER}


def files(html: Path, zip_name: str) -> list[list[str | int]]:
    """[path, size, hash] of every file to save, sorted by path."""
    out: list[list[str | int]] = []
    for path in sorted(html.rglob("*")):
        rel = path.relative_to(html).as_posix()
        if path.is_file() and rel not in NOT_SAVED and rel != zip_name and not rel.startswith("."):
            data = path.read_bytes()
            out.append([rel, len(data), digest(data)])
    return out


def version_of(listing: list[list[str | int]]) -> str:
    """The version id: a hash of the file list (names, sizes, content hashes)."""
    return hashlib.sha256(json.dumps(listing, separators=(",", ":")).encode()).hexdigest()[:16]


def web_manifest(title: str, lang: str) -> dict[str, Any]:
    return {
        "name": title,
        "short_name": "Kampot book",
        "lang": lang,
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [{"src": src, "sizes": sizes, "type": kind, "purpose": "any"} for src, sizes, kind in ICONS],
    }


# Jupyter Book's redirect: `<meta http-equiv="Refresh" content="0; url=pages/intro.html" />`.
_REFRESH = re.compile(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"\s*/?>')
FAVICON = "_static/favicon.svg"


def start_page(target: str, title: str, lang: str) -> str:
    """The start page: the redirect to `target`, in the book's language, with its title and icon."""
    target, title = markup.escape(target), markup.escape(title)
    return (f'<!DOCTYPE html>\n<html lang="{markup.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Refresh" content="0; url={target}">\n<title>{title}</title>\n'
            f'<link rel="icon" href="{FAVICON}">\n</head>\n<body>\n<p><a href="{target}">{title}</a></p>\n'
            f'</body>\n</html>\n')


def write_app_files(html: Path, title: str, lang: str, worker: bool = True) -> None:
    """The web manifest, the start page and the worker (before the zip: they
    belong to the book). A translation's book (in a folder of the site) gets
    a manifest of its own, in its language; the site's one worker serves it too."""
    (html / MANIFEST).write_text(json.dumps(web_manifest(title, lang), ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
    index = html / "index.html"
    found = _REFRESH.search(index.read_text(encoding="utf-8")) if index.is_file() else None
    if found:
        index.write_text(start_page(markup.unescape(found.group(1)), title, lang), encoding="utf-8")
    if worker:
        shutil.copyfile(WORKER_SOURCE, html / WORKER)


def write_lists(html: Path, zip_name: str) -> str:
    """offline.json and offline-version.json, once every other file is final;
    returns the version id. Run again after changing a file of a built book,
    it gives that book's new version (the tests do this)."""
    listing = files(html, zip_name)
    version = version_of(listing)
    total = sum(int(size) for _rel, size, _hash in listing)
    (html / LIST).write_text(json.dumps({"version": version, "total": total, "files": listing},
                                        separators=(",", ":")) + "\n", encoding="utf-8")
    (html / VERSION).write_text(json.dumps({"version": version, "total": total, "count": len(listing)}) + "\n",
                                encoding="utf-8")
    return version
