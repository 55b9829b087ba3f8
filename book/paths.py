"""Where the project's data lives; one place so no module guesses paths."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts.yml"
QUIZZES = ROOT / "quizzes"
MODULES = ROOT / "modules"
PAGES = ROOT / "pages"
CONFIG = ROOT / "_config.yml"
TOC = ROOT / "_toc.yml"
STATIC = Path(__file__).resolve().parent / "static"
LOCALE = Path(__file__).resolve().parent / "locale"
BUILD = ROOT / "_build"
HTML = BUILD / "html"
