"""The book's _config.yml as plain settings, for code outside Sphinx (the
interface language, the title on workshop packs). Validation with line
numbers is book/data/validate.py's job; here a missing or broken file means
defaults, because the build checks it first. Read through book/data/yamlfile.py
like every YAML file, so a key given twice is never silently dropped."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from book.data.errors import BookError
from book.data.paths import CONFIG, ROOT
from book.data.yamlfile import load


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple | None) -> dict:
    try:
        conf, _lines = load(path, ROOT)
    except BookError:
        return {}
    return conf if isinstance(conf, dict) else {}


def settings() -> dict:
    """The settings, read again only when the file changes: every interface
    string asks for the language, and parsing the file each time made
    rendering a bank of 130 questions take seconds."""
    try:
        info = CONFIG.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
    return dict(_read(CONFIG, stamp))
