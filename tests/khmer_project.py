"""A small Sphinx project in Khmer (or English) for the Khmer font and search
tests: two pages, the book's theme and the book's Khmer extensions, built
with sphinx-build in a subprocess, as jupyter-book runs Sphinx for the book.

The Khmer is plain draft text on the book's subjects (glossary terms of
locale/km/glossary.yml); what matters here is that it has stacked
subscripts (coeng), pre-base and above/below vowels, a bold word and words
that only one of the two pages holds.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

EXTENSIONS = ["book.sphinx.khmer_font", "book.sphinx.khmer_search"]

# Page one: trafficking and reporting. Page two: health services.
ONE_TITLE = "ការជួញដូរមនុស្ស"
ONE_TEXT = ("ការជួញដូរមនុស្សគឺជាឧក្រិដ្ឋកម្មធ្ងន់ធ្ងរ។",
            "សូមរាយការណ៍ទៅអ្នកជំនាញដោយស្ងាត់ៗ **កុំប្រឈមមុខ** ជាមួយជនសង្ស័យ។")
TWO_TITLE = "សុខភាព"
TWO_TEXT = ("គ្លីនិកផ្តល់សេវាសុខភាពដោយឥតគិតថ្លៃ និងរក្សាការសម្ងាត់។",
            "អ្នកលក់សេវាផ្លូវភេទអាចសួរព័ត៌មានពីស្ត្រីដែលធ្លាប់ប្រើសេវានេះ។")
# A word of each page's body (not of any title), and a word of no page.
ONE_WORD = "ឧក្រិដ្ឋកម្ម"
TWO_WORD = "គ្លីនិក"
NO_WORD = "ឆ្កែ"
# A Khmer letter that only a catalogue holds (an interface string no page shows).
CATALOGUE_ONLY = "ឈ"
CATALOGUE = f'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Close"
msgstr "{CATALOGUE_ONLY}ប់"
'''
BUTTON = "រាយការណ៍ឥឡូវនេះ"
# Words with signs stacked high (beer) and subscripts with a vowel below
# (refer, road, I), and two subscripts (woman): the tallest lines.
TALL = "ប៊ីយែរ បញ្ជូន ផ្លូវ ខ្ញុំ ស្ត្រី ព្រៀង"


def page(title: str, paragraphs: tuple[str, ...], extra: str = "") -> str:
    return f"{title}\n{'=' * 20}\n\n" + "\n\n".join(paragraphs) + "\n" + extra


def write(folder: Path, language: str = "km", extensions: list[str] | None = None,
          pages: dict[str, str] | None = None) -> Path:
    """The project's sources in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    exts = EXTENSIONS if extensions is None else extensions
    (folder / "conf.py").write_text(
        f'project = "Kampot test"\nlanguage = {language!r}\nextensions = {exts!r}\n'
        'html_theme = "sphinx_book_theme"\nlocale_dirs = ["locale"]\n', encoding="utf-8")
    if pages is None:
        button = f'\n.. raw:: html\n\n   <p><button type="button">{BUTTON}</button></p>\n   <p>{TALL}</p>\n'
        pages = {"index": "Kampot\n======\n\n.. toctree::\n\n   one\n   two\n",
                 "one": page(ONE_TITLE, ONE_TEXT, button),
                 "two": page(TWO_TITLE, TWO_TEXT)}
    for name, text in pages.items():
        (folder / f"{name}.rst").write_text(text, encoding="utf-8")
    if language == "km":
        messages = folder / "locale" / "km" / "LC_MESSAGES"
        messages.mkdir(parents=True, exist_ok=True)
        (messages / "interface.po").write_text(CATALOGUE, encoding="utf-8")
    return folder


def build(folder: Path) -> subprocess.CompletedProcess:
    """sphinx-build the project in `folder` into folder/_build/html (warnings are errors)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(folder),
                           str(folder / "_build" / "html")], cwd=folder, env=env, capture_output=True, text=True)


def built(folder: Path, **kwargs) -> Path:
    """Write and build the project; fail with Sphinx's output if it does not build."""
    write(folder, **kwargs)
    proc = build(folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder / "_build" / "html"
