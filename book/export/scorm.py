"""SCORM 1.2: one package (zip) per quiz for any LMS that plays SCORM.

The package is the book's own static quiz (book/render/quiz_html.py, record.js, quiz.js,
quiz.css) on one page, plus static/scorm.js, which reports the score and
passed/failed to the LMS (mastery score: the book's pass mark) and then tells
the learner so. With no LMS around it the page is the quiz as in the book.

The final check is written as one package of its whole pool; as in the book,
each attempt draws one question per learning point, and the LMS gets the score
of the submitted attempt out of those points (quiz.js's tally).
"""
from __future__ import annotations

import html
import shutil
import tempfile
from pathlib import Path

from lxml import etree

from book.data.config import settings
from book.data.paths import STATIC
from book.data.schema import Bank
from book.export.common import EXPORT_STATIC, Job, font_files, page, zip_folder
from book.render import quiz_html
from book.render.i18n import _

TAKES_QUIZ = True
NEEDS_BOOK = False
CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
FILES = [(STATIC, "quiz.css"), (STATIC, "book.css"), (EXPORT_STATIC, "app.css"), (STATIC, "record.js"),
         (STATIC, "quiz.js"), (EXPORT_STATIC, "scorm.js")]



def file_name(bank: Bank) -> str:
    return f"{bank.id}-scorm12.zip"


def manifest(bank: Bank, job: Job, files: list[str]) -> bytes:
    def c(tag: str) -> str:
        return f"{{{CP}}}{tag}"

    root = etree.Element(c("manifest"), nsmap={None: CP, "adlcp": ADLCP}, identifier=f"kq-{bank.id}",
                         version="1.0")
    root.append(etree.Comment(f" {job.stamp.text.replace('--', '- -')} "))
    meta = etree.SubElement(root, c("metadata"))
    etree.SubElement(meta, c("schema")).text = "ADL SCORM"
    etree.SubElement(meta, c("schemaversion")).text = "1.2"
    orgs = etree.SubElement(root, c("organizations"), default="kq-org")
    org = etree.SubElement(orgs, c("organization"), identifier="kq-org")
    etree.SubElement(org, c("title")).text = bank.title
    item = etree.SubElement(org, c("item"), identifier="kq-item", identifierref="kq-sco", isvisible="true")
    etree.SubElement(item, c("title")).text = bank.title
    etree.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(round(settings().pass_mark * 100))
    resources = etree.SubElement(root, c("resources"))
    res = etree.SubElement(resources, c("resource"), identifier="kq-sco", type="webcontent", href="index.html")
    res.set(f"{{{ADLCP}}}scormtype", "sco")
    for name in files:
        etree.SubElement(res, c("file"), href=name)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def index(bank: Bank, job: Job, fonts: list[str] | None = None) -> str:
    """The quiz page; `fonts`: what common.font_files wrote (its stylesheet first)."""
    note = f'<p class="kq-lms-note" hidden>{html.escape(_("export.lms_note"))}</p>'  # shown by scorm.js
    body = f'<h1>{html.escape(bank.title)}</h1>{note}{quiz_html.render(bank)}'
    return page(bank.title, body, job.stamp, job.lang, ["quiz.css", "book.css", "app.css", *(fonts or [])[:1]],
                ["record.js", "quiz.js", "scorm.js"], {"data-kq-mastery": str(round(settings().pass_mark * 100))})


def package(bank: Bank, job: Job, dest: Path) -> Path:
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        pkg = Path(tmp)
        for folder, name in FILES:
            shutil.copyfile(folder / name, pkg / name)
        fonts = font_files(job.lang, index(bank, job), pkg)
        (pkg / "index.html").write_text(index(bank, job, fonts), encoding="utf-8")
        names = ["index.html"] + [name for _f, name in FILES] + fonts
        (pkg / "imsmanifest.xml").write_bytes(manifest(bank, job, names))
        return zip_folder(pkg, dest)


def write(job: Job, folder: Path) -> list[Path]:
    return [package(bank, job, folder / file_name(bank)) for bank in job.banks]
