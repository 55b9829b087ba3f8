"""ZIM: the whole built book as one file for Kiwix readers (phones, laptops,
Raspberry Pi hotspots), written by Debian's `zimwriterfs` (zim-tools).

The ZIM holds the built pages as they are, so quizzes, facts with their
status and the offline zip work as in the book. Its metadata says which
book version and date it came from. The built site holds both books (the
Khmer one under km/, with the language switcher between them), so one ZIM
holds both: `--lang` chooses the welcome page, the title and description,
and which language its metadata names first (`khm,eng`: ZIM's Language is a
comma-separated list of ISO 639-3 codes).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from book.data.config import settings
from book.data.errors import BookError, Problem
from book.data.paths import project
from book.export.common import EXPORT_STATIC, Job
from book.render.i18n import _

TAKES_QUIZ = False
NEEDS_BOOK = True
ZIMWRITERFS = "zimwriterfs"
TITLE_MAX = 30                           # ZIM titles: the message export.zim_title
DESCRIPTION_MAX = 80
ILLUSTRATION = "illustration-48.png"     # favicon.svg drawn at 48 x 48 (ZIM's required illustration)
# Theme template fragments that Sphinx copies into _static (not pages;
# zimcheck fails on them) and Sphinx's build record.
LEAVE_OUT = ["**/_static/*macros.html", "**/.buildinfo"]   # both books
ISO639_3 = {"en": "eng", "km": "khm"}


def file_name(lang: str) -> str:
    return f"kampot-book_{lang}.zim"


def description(job: Job) -> str:
    return _("export.zim_description").format(version=job.stamp.version, date=job.stamp.date)[:DESCRIPTION_MAX]


def languages(job: Job, source: Path) -> str:
    """The languages of the built site, the chosen edition's first (ISO 639-3)."""
    held = [code for code in ISO639_3 if code == "en" or (source / code / "index.html").is_file()]
    return ",".join(ISO639_3[code] for code in sorted(held, key=lambda c: c != job.lang))


def welcome(job: Job) -> str:
    return "index.html" if job.lang == "en" else f"{job.lang}/index.html"


def command(job: Job, source: Path, dest: Path) -> list[str]:
    author = settings().author or "The Kampot curriculum authors"
    return [ZIMWRITERFS, f"--welcome={welcome(job)}", f"--illustration={ILLUSTRATION}",
            f"--language={languages(job, source)}", f"--title={_('export.zim_title')[:TITLE_MAX]}",
            f"--description={description(job)}",
            f"--creator={author}", f"--publisher={author}", f"--name=kampot-training_{job.lang}_all",
            "--tags=_category:other;training;Cambodia",
            f"--scraper=python -m book export, book {job.stamp.version} built {job.stamp.date}",
            str(source), str(dest)]


def check(job: Job | None = None) -> None:
    """Before the book is built: the writer must be there."""
    if shutil.which(ZIMWRITERFS) is None:
        raise BookError(Problem(ZIMWRITERFS, "", "zimwriterfs is not installed",
                                "install Debian's zim-tools (apt-get install zim-tools)"))


def zim(job: Job, built: Path, dest: Path) -> Path:
    """Copy the built book (without LEAVE_OUT), add the illustration, write the ZIM."""
    check()
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        source = Path(tmp) / "html"
        shutil.copytree(built, source)
        for pattern in LEAVE_OUT:
            for path in source.glob(pattern):
                path.unlink()
        shutil.copyfile(EXPORT_STATIC / ILLUSTRATION, source / ILLUSTRATION)
        proc = subprocess.run(command(job, source, dest), capture_output=True, text=True)
        if proc.returncode != 0 or not dest.exists():
            last = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()[-1]
            raise BookError(Problem(ZIMWRITERFS, "", f"writing the ZIM failed: {last}",
                                    "check that zim-tools works (zimwriterfs --version)"))
    return dest


def write(job: Job, folder: Path) -> list[Path]:
    built = project().html
    if not (built / welcome(job)).is_file():
        raise BookError(Problem(str(built / welcome(job)), "", "the built book has no such page",
                                "build the book with `python -m book build`"))
    return [zim(job, built, folder / file_name(job.lang))]
