"""`python -m book export`: the question banks and the book in the formats
that training platforms read (Moodle, GIFT, QTI 2.1, SCORM 1.2, Kolibri, ZIM).

One module per format, each with `write(job, folder) -> [files]`,
`TAKES_QUIZ` (whether --quiz chooses what it writes) and `NEEDS_BOOK` (made
from the built HTML book: built first, as `python -m book build` does,
unless the book in _build/html was built from the project as it is now);
`common.py` holds what they share. Everything is written into a temporary folder beside --out and
moved into place only when every file is written.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from book.data.errors import BookError, Problem
from book.export.common import Job, check_lang, check_target, choose_banks, data_domains, staged, stamp
from book.render.i18n import in_language

FORMATS = {"moodle-xml": "moodle", "gift": "gift", "qti": "qti", "scorm": "scorm",
           "kolibri": "kolibri", "zim": "zim"}


def exporter(fmt: str | None) -> ModuleType:
    """The module that writes a format; BookError naming the formats otherwise."""
    if not fmt or fmt not in FORMATS:
        given = f"no export format '{fmt}'" if fmt else "no export format given"
        raise BookError(Problem("--format", "", given, f"use one of: {', '.join(FORMATS)}"))
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}")


def export(fmt: str | None, quiz_ids: tuple[str, ...], lang: str | None, out: Path | None,
           echo: Callable[[str], None] = print) -> list[Path]:
    """Check the whole request first, then write into `out` (new or empty)."""
    module = exporter(fmt)
    lang = check_lang(lang)
    if out is None:
        raise BookError(Problem("--out", "", "no output folder given", "add --out DIR (a new or empty folder)"))
    if quiz_ids and not module.TAKES_QUIZ:
        raise BookError(Problem("--quiz", "", f"the {fmt} export is the whole book",
                                "leave out --quiz"))
    with in_language(lang):  # interface strings, banks and facts in the edition's language
        chosen = choose_banks(quiz_ids, lang)
        job = Job(chosen, stamp(data_domains([b.id for b in chosen])), lang, tuple(quiz_ids))
        if hasattr(module, "check"):
            module.check(job)
    check_target(out)  # before a build: a bad request fails at once
    if module.NEEDS_BOOK:
        from book.build import book_is_current, build_book
        if book_is_current():
            echo("using the built book in _build/html (built from the project as it is now)")
        else:
            echo("building the book first (python -m book build)")
            build_book(quiet=True)
    with in_language(lang), staged(out) as folder:
        names = [p.relative_to(folder) for p in module.write(job, folder)]
    for name in names:
        echo(f"wrote {out / name}")
    return [out / n for n in names]
