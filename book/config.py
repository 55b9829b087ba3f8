"""The book's _config.yml as plain settings, for code outside Sphinx (the
interface language, the title on workshop packs). Validation with line
numbers is book/validate.py's job; here a missing or broken file means
defaults, because the build checks it first. Read through book/yamlfile.py
like every YAML file, so a key given twice is never silently dropped."""
from __future__ import annotations

from .errors import BookError
from .paths import CONFIG, ROOT
from .yamlfile import load


def settings() -> dict:
    try:
        conf, _lines = load(CONFIG, ROOT)
    except BookError:
        return {}
    return conf if isinstance(conf, dict) else {}
