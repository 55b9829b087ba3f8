"""Where the project's data lives; one place so no module guesses paths."""
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
FACTS = ROOT / "facts.yml"
QUIZZES = ROOT / "quizzes"
MODULES = ROOT / "modules"
PAGES = ROOT / "pages"
CONFIG = ROOT / "_config.yml"
TOC = ROOT / "_toc.yml"
STATIC = PACKAGE / "static"
LOCALE = PACKAGE / "locale"
TEMPLATES = PACKAGE / "templates"
BUILD = ROOT / "_build"
HTML = BUILD / "html"
