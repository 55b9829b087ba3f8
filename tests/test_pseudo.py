"""The pseudo-translation: every English message transformed, keeping what a
translation must keep; and the check that finds visible English no
catalogue reached (the proof that every word of the book is translatable)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from conftest import ROOT, copy_project

from book.data import paths
from book.translate import catalogue, protected, pseudo
from book.translate.check import check_catalogues
from book.translate.update import data_templates, english_interface, templates

MESSAGES = [
    "Call {fact}`hotline-child` at once if there is {ref}`danger right now <danger-right-now>`.",
    "See [Who to contact](contacts.md) or https://example.org/help.",
    "**Time:** about 20 minutes, then *10* for the `quiz`.",
    "Questions: {count}. Result: {score} of {total} ({percent}%).",
    "A person under 18 is a child; call 012 311 112 only through the registry.",
]


@pytest.mark.parametrize("message", MESSAGES)
def test_transform_changes_every_letter_and_keeps_the_rest(message):
    out = pseudo.transform(message)
    assert out.startswith(pseudo.OPEN) and out.endswith(pseudo.CLOSE)
    assert not re.search(r"[A-Za-z]", protected.text_only(out)), out
    for count in (protected.roles, protected.placeholders, protected.link_targets, protected.numbers):
        assert count(out) == count(message), (count.__name__, out)
    assert re.sub(r"[^*`\[\]()]", "", out.replace(pseudo.OPEN, "").replace(pseudo.CLOSE, "")) == \
        re.sub(r"[^*`\[\]()]", "", message)   # Markdown markers in place
    assert pseudo.transform("") == ""


def test_transform_gives_the_title_of_a_reference_but_not_its_target():
    assert pseudo.transform("See {ref}`danger right now <danger-right-now>`.") == \
        "⟦Šéé {ref}`ďáñĝéŕ ŕíĝĥţ ñóŵ <danger-right-now>`.⟧"


def test_every_real_data_and_interface_message_passes_the_po_checks(tmp_path):
    """The pseudo catalogues of the banks, facts, role paths and interface
    strings are complete and break none of the validate checks."""
    made, english = data_templates(), english_interface()
    root = tmp_path / "project"
    shutil.copytree(ROOT / "locale" / "en", root / "locale" / "en", dirs_exist_ok=True)
    written = pseudo.write(root / "locale", "km", made, english)
    folder = root / "locale" / "km" / "LC_MESSAGES"
    assert {p.relative_to(folder).with_suffix("").as_posix() for p in written} >= {*made, "book"}
    with paths.using(root):
        assert check_catalogues() == []
        for path in written:
            counts = catalogue.counts(catalogue.read(path))
            assert counts.messages and counts.reviewed == counts.messages, path
    book = catalogue.read(root / "locale" / "km" / "LC_MESSAGES" / "book.po")
    assert book.get("quiz.intro").string == pseudo.transform(english.get("quiz.intro").string)


def test_drafts_can_be_written_as_fuzzy(tmp_path):
    template = Catalog()
    template.add("Hello.", context="x.text")
    with paths.using(tmp_path):
        (path, *_rest) = pseudo.write(tmp_path / "locale", "km", {"facts": template}, Catalog(), fuzzy=True)
    message = catalogue.read(path).get("Hello.", "x.text")
    assert message.string == "⟦Ĥéĺĺó.⟧" and message.fuzzy


# --------------------------------------------------------------------- the English-text check

PAGE = """<!DOCTYPE html><html lang="km"><head><title>⟦Ţĥé ĺáŵ⟧ — Kampot book</title>
<style>body{font-family:serif}</style><script>var label = "Check";</script></head><body>
<nav><a href="../index.html" lang="en" hreflang="en">English</a> <button aria-label="Toggle navigation">☰</button></nav>
<main><h1>⟦Ţĥé ĺáŵ⟧</h1><p>⟦Ćáĺĺ⟧ <strong>012 311 112</strong> ⟦óŕ⟧ ChildSafe, APLE; https://example.org/x {count}</p>
<p>⟦Ţíɱé⟧ <em>about 20 minutes</em> ⟦ţó ŕéáď⟧.</p><p>Search this book</p>
<img src="a.png" alt="A map of Kampot"><img src="b.png" alt="⟦Á ɱáþ⟧"><input type="submit" value="Send">
<pre>print("code stays")</pre><code>quiz.js</code>
<table><tr><td lang="en">sex worker</td><td>អ្នកលក់សេវាផ្លូវភេទ</td></tr></table>
<div data-kq-strings='{"check": "Check", "done": "⟦Ďóñé⟧"}'></div><!-- a comment in English --> ⟦ţáíĺ⟧
</main></body></html>"""


def test_english_text_finds_each_visible_english_text_and_nothing_else():
    found = [(f.where, f.text) for f in pseudo.english_text(PAGE, "modules/01-law.html")]
    assert found == [
        ("title", "⟦Ţĥé ĺáŵ⟧ — Kampot book"),
        ("button[aria-label]", "Toggle navigation"),
        ("em", "about 20 minutes"),
        ("p", "Search this book"),
        ("img[alt]", "A map of Kampot"),
        ("input[value]", "Send"),
        ("div[data-kq-strings:check]", "Check"),
    ]
    assert str(pseudo.english_text(PAGE, "modules/01-law.html")[0]) == \
        "modules/01-law.html: title: '⟦Ţĥé ĺáŵ⟧ — Kampot book'"


@pytest.mark.parametrize("text, english", [
    ("B", False), ("A, D, F", False), ("C. ⟦Ţĥé ĺáŵ⟧", False), ("agenda.pdf", False), ("PEP", False),
    ("A person", True), ("B. The law", True), ("see agenda.html", True), ("AB", True), ("I. ⟦Ţĥé⟧", True)])
def test_option_letters_file_names_and_allowed_names_are_not_english(text, english):
    assert pseudo.is_english(text) is english


def test_english_in_folder_reads_every_page_but_the_themes_files(tmp_path):
    (tmp_path / "modules").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "modules" / "01-law.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "index.html").write_text("<html lang='km'><body><p>⟦Ĥí⟧</p></body></html>", encoding="utf-8")
    (tmp_path / "_static" / "webpack-macros.html").write_text("<p>English macro</p>", encoding="utf-8")
    found = pseudo.english_in_folder(tmp_path)
    assert {f.file for f in found} == {"modules/01-law.html"} and len(found) == 7


# --------------------------------------------------------------------- the whole book in the pseudo-locale

def build_khmer_book(root: Path) -> Path:
    """The Khmer book of the project at `root`, built as `make book` builds
    it (`python -m book build`: both books, the Khmer one in _build/html/km)."""
    env = dict(os.environ, KAMPOT_BOOK_ROOT=str(root), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "book", "build", "--quiet"], cwd=root, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"the pseudo-translated book did not build:\n{proc.stderr[-4000:]}"
    khmer = root / "_build" / "html" / "km"
    assert (khmer / "index.html").exists(), "no Khmer book in _build/html/km (the two-language build)"
    return khmer


def write_khmer_pack(root: Path, out: Path) -> Path:
    env = dict(os.environ, KAMPOT_BOOK_ROOT=str(root), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "book", "workshop", "--lang", "km", "--modules", "1,5",
                           "--out", str(out)], cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out


@pytest.mark.slow
@pytest.mark.pdf
def test_the_whole_book_and_a_workshop_pack_in_the_pseudo_locale_show_no_english(tmp_path):
    """Every word a reader sees in the Khmer book and pack comes from a catalogue:
    built from pseudo-catalogues, no visible English is left but the allowed names."""
    made, english = templates(), english_interface()
    root = copy_project(tmp_path / "book", with_cache=True)
    shutil.rmtree(root / "locale" / "km" / "LC_MESSAGES")
    # The theme lists (sphinx.po, booktheme.po) are read from the project's
    # own catalogues, which the copy has just lost.
    pseudo.write(root / "locale", "km", made, english)
    found = pseudo.english_in_folder(build_khmer_book(root))
    found += pseudo.english_in_folder(write_khmer_pack(root, tmp_path / "pack"))
    assert not found, f"{len(found)} visible English text(s) no catalogue reaches:\n" + \
        "\n".join(str(f) for f in found[:200])
