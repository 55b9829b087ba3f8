"""The book's _config.yml as plain settings, for code outside Sphinx (the
interface language, the title on workshop packs). Validation with line
numbers is book/validate.py's job; here a missing or broken file means
defaults, because the build checks it first."""
from __future__ import annotations

import yaml

from .paths import CONFIG


def settings() -> dict:
    try:
        conf = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return conf if isinstance(conf, dict) else {}
