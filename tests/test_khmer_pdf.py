"""Khmer workshop pack documents (book/workshop/fonts.py, book/workshop/pdf.py):
a pack document whose <html lang> is Khmer carries Noto Sans Khmer inside it,
Chromium prints it once the font has loaded, the PDF embeds the font, and
poppler's pdftotext reads the Khmer back exactly, the title in the page
footer too (pypdf garbles Khmer: it is not used here). The first tests print
the real English pocket card with its language and text changed (a small,
known Khmer text); the last prints a real pack with `python -m book workshop
--lang km` and reads every heading, paragraph, item and cell of every
document back from its PDF."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import khmer_project as kp
import pytest
from conftest import CHROMIUM, ROOT
from lxml import html as lxml_html

from book import workshop
from book.data.errors import BookError
from book.render import i18n
from book.workshop.fonts import with_fonts

TITLE = "កាតហោប៉ៅ"        # pocket card
HEADING = kp.ONE_TITLE
PARAGRAPHS = [*kp.ONE_TEXT[:1], kp.TWO_TEXT[0], kp.TALL]
BOLD = "កុំប្រឈមមុខ"


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: run `make pdftools` (Debian's poppler-utils)"
    return found


@pytest.fixture(scope="module")
def english_card() -> str:
    return workshop.render(workshop.make_pack("1"))["pocket-card.html"]


def khmer(document: str) -> str:
    """The document as a Khmer translation would make it: lang, title, heading and text."""
    document = document.replace('<html lang="en">', '<html lang="km">', 1)
    document = re.sub(r"<title>.*?</title>", f"<title>{TITLE}</title>", document, count=1, flags=re.S)
    document = re.sub(r"<h1>.*?</h1>", f"<h1>{HEADING}</h1>", document, count=1, flags=re.S)
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + f"<p><strong>{BOLD}</strong></p>"
    return document.replace("<main>", f"<main>{body}", 1)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


PRINT = """
import sys
from pathlib import Path
from book.data.errors import BookError
from book.workshop.pack import Doc
from book.workshop.pdf import footer_template, print_pdfs
folder, name, title = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
try:
    print_pdfs(folder, [Doc(name, footer=True)], {name: footer_template(title, title)}, lambda line: None, folder)
except BookError as exc:
    sys.exit(f"{exc}")
"""


def print_one(folder, name: str, document: str, title: str) -> subprocess.CompletedProcess:
    """Print with the book's own printer in a process of its own (this one may
    already drive Chromium through Playwright's sync API, which allows one
    per thread); exit 1 and the one line of a BookError when it refuses."""
    (folder / f"{name}.html").write_text(document, encoding="utf-8")
    return subprocess.run([sys.executable, "-c", PRINT, str(folder), name, title], cwd=ROOT,
                          capture_output=True, text=True)


def test_english_pack_documents_get_no_font(english_card):
    pack = workshop.render(workshop.make_pack("1"))
    for name, document in pack.items():
        assert "@font-face" not in document, name
        assert with_fonts(name, document) is document
    assert '<html lang="en">' in english_card


@pytest.mark.pdf
def test_khmer_document_embeds_its_font_and_reads_back(tmp_path, english_card):
    document = with_fonts("pocket-card.html", khmer(english_card))
    faces = re.findall(r"@font-face\{[^}]*\}", document)
    assert len(faces) == 2 and all("data:font/woff2;base64," in f for f in faces)
    assert len(document) - len(english_card) < 40_000, "the fonts should be subset to the document's Khmer"
    proc = print_one(tmp_path, "pocket-card", document, TITLE)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pdf = tmp_path / "pocket-card.pdf"
    listed = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    embedded = {line.split()[0].split("+")[-1] for line in listed.splitlines()[2:]
                if "NotoSansKhmer" in line and re.search(r"\byes\b", line)}
    assert embedded == {"NotoSansKhmer-Regular", "NotoSansKhmer-Bold"}, listed
    text = squeeze(subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
                                  capture_output=True, text=True, check=True).stdout)
    for khmer_text in [HEADING, *PARAGRAPHS, BOLD]:
        assert squeeze(khmer_text) in text, f"{khmer_text!r} was not read back from the PDF: {text[:400]}"
    pages = re.findall(rf"{TITLE}·{TITLE}·page(\d+)of\d+", text)
    assert "1" in pages, f"the footer's Khmer title was not read back: {text[-300:]}"


@pytest.mark.pdf
def test_a_font_the_document_cannot_load_stops_the_print(tmp_path, english_card):
    """A Khmer document whose policy forbids its font would print boxes: one line, no PDF."""
    document = with_fonts("pocket-card.html", khmer(english_card)).replace("; font-src data:", "", 1)
    proc = print_one(tmp_path, "pocket-card", document, TITLE)
    assert proc.returncode == 1 and proc.stderr.startswith("pocket-card.html: the font Noto Sans Khmer "), proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert not (tmp_path / "pocket-card.pdf").exists()


def test_a_character_the_font_lacks_is_one_line(english_card):
    document = khmer(english_card).replace(HEADING, HEADING + "\u17de", 1)
    with pytest.raises(BookError) as caught:
        with_fonts("pocket-card.html", document)
    assert re.match(r"^pocket-card\.html:\d+: U\+17DE \(unassigned\) is a Khmer character", str(caught.value))
    assert "\n" not in str(caught.value)


# The blocks of a pack document whose text is read back from its PDF.
BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "td", "th", "dt", "dd", "caption")


def footer_pattern(title: str) -> re.Pattern[str]:
    """A page footer of the document whose <title> is `title` ("doc · pack"),
    squeezed, as the Khmer message pack.footer writes it."""
    doc, pack = (part.strip() for part in title.split(" · ", 1))
    with i18n.in_language("km"):
        parts = re.split(r"\{(\w+)\}", squeeze(i18n._("pack.footer")))
    values = {"doc": re.escape(squeeze(doc)), "title": re.escape(squeeze(pack)), "page": r"\d+", "pages": r"\d+"}
    return re.compile("".join(re.escape(p) if i % 2 == 0 else values[p] for i, p in enumerate(parts)))


@pytest.mark.pdf
def test_a_khmer_pack_reads_back_from_its_pdfs(tmp_path):
    """Every PDF of a real `--lang km` pack: pdftotext (in drawing order,
    -raw, which keeps the pocket card's two columns apart) reads back each
    block's text exactly (whitespace aside, as PDF text carries none between
    Khmer clusters), and the Khmer title in the page footer of the documents
    that have one."""
    out = tmp_path / "pack"
    proc = subprocess.run([sys.executable, "-m", "book", "workshop", "--modules", "1", "--minutes", "60",
                           "--lang", "km", "--out", str(out)], cwd=ROOT, env=dict(os.environ, CHROMIUM=CHROMIUM),
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    docs = {d.name: d for d in workshop.DOCS}
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(docs)
    for name, doc in docs.items():
        tree = lxml_html.fromstring((out / f"{name}.html").read_bytes())
        title = tree.findtext(".//title")
        assert re.search("[\u1780-\u17ff]", title), f"{name}: the title is not Khmer: {title!r}"
        raw = subprocess.run([tool("pdftotext"), "-raw", "-enc", "UTF-8", str(out / f"{name}.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
        lines = [squeeze(line) for line in raw.splitlines()]
        footers = [line for line in lines if footer_pattern(title).fullmatch(line)]
        assert bool(footers) == doc.footer, f"{name}.pdf: {len(footers)} Khmer footer(s) with {title!r}"
        text = "".join(line for line in lines if not footer_pattern(title).fullmatch(line))
        blocks = [squeeze(e.text_content()) for e in tree.body.iter(*BLOCKS)]
        khmer = [b for b in blocks if re.search("[\u1780-\u17ff]", b)]
        heading = squeeze(tree.body.findtext(".//h1") or "")
        assert len(khmer) >= 5 and heading in khmer, f"{name}: too little Khmer, or an English heading: {blocks}"
        missing = [b for b in blocks if b not in text]
        assert not missing, f"{name}.pdf does not read back {len(missing)} block(s), first: {missing[:3]}\n{raw[:1500]}"
