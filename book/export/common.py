"""What every export shares: the book version and date stamp, the choice of
banks, the one option order, fact-aware HTML, Moodle's fractions, and
writing into a temporary folder that is moved into place only when complete.
"""
from __future__ import annotations

import html
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from book import __version__, folders
from book.data import banks, facts, modules
from book.data.errors import BookError, Problem
from book.data.paths import project
from book.data.schema import Bank, Option, Question
from book.data.yamlfile import display_path
from book.render import markup
from book.render.i18n import _, book_title, catalogue, language
from book.translate import apply, catalogues

EXPORT_STATIC = Path(__file__).resolve().parent / "static"
LANGUAGES = ("en", "km")


# --------------------------------------------------------------------- the stamp

@dataclass(frozen=True)
class Stamp:
    """Which book an export came from: title, version and build date, and
    for a translation not yet reviewed, that it is a draft."""

    title: str
    version: str
    date: str  # ISO date, the build date (SOURCE_DATE_EPOCH when set)
    text: str  # the line every file carries, in the edition's language (made by stamp())


def book_version() -> str:
    """`git describe --always --dirty` of the project, else the package version."""
    try:
        proc = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=project().root,
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return __version__
    described = proc.stdout.strip()
    return described if proc.returncode == 0 and described else __version__


def stamp(domains: tuple[str, ...] = ()) -> Stamp:
    """The stamp in the page language (book/render/i18n.in_language); in a
    translated edition, a draft note while any message of `domains` (and the
    interface catalogue) is a draft or untranslated, as the book's banner."""
    lang = language()
    note = ""
    if lang != "en" and is_draft(lang, ("book", *domains)):
        english = catalogue("en").get("lang.draft", "")
        note = " ".join(dict.fromkeys(t for t in (_("lang.draft"), english) if t))
    title, version, date = book_title(), book_version(), facts.today().isoformat()
    made = _("export.stamp").format(title=title, version=version, date=date)
    return Stamp(title, version, date, f"{made} {note}" if note else made)


def is_draft(lang: str, domains: tuple[str, ...]) -> bool:
    """Whether any message of these catalogues waits for review (fuzzy or empty)."""
    for domain in domains:
        entries = catalogues.read(lang, domain).entries
        if not entries or not all(catalogues.reviewed(e) for e in entries.values()):
            return True
    return False


def data_domains(bank_ids: list[str]) -> tuple[str, ...]:
    """The catalogues an export of these banks shows: each bank's and the facts'."""
    return (*(f"quizzes/{b}" for b in bank_ids), "facts")


# --------------------------------------------------------------------- the request

@dataclass(frozen=True)
class Job:
    """One export request, checked: the banks to write and the stamp."""

    banks: list[Bank]
    stamp: Stamp
    lang: str = "en"
    asked: tuple[str, ...] = field(default=())  # quiz ids named with --quiz (empty: all)


def check_lang(lang: str | None) -> str:
    lang = lang or "en"
    if lang not in LANGUAGES:
        raise BookError(Problem("--lang", "", f"no language '{lang}'", f"use one of: {', '.join(LANGUAGES)}"))
    return lang


def _bank_order(bank_id: str, order: dict[str, int]) -> tuple[int, str]:
    return order.get(bank_id, len(order)), bank_id


def choose_banks(quiz_ids: tuple[str, ...], lang: str = "en") -> list[Bank]:
    """The banks asked for (all when none), module banks in module order first;
    in another language through book/translate/apply.py (same ids, option
    order and right answers as the English bank, texts translated)."""
    known = [p.stem for p in banks.all_paths()]
    for qid in quiz_ids:
        if qid not in known:
            raise BookError(Problem("--quiz", "", f"no quiz '{qid}'", f"use one of: {', '.join(known)}"))
    order = {m.id: m.number for m in modules.all_modules()}
    wanted = list(dict.fromkeys(quiz_ids)) or sorted(known, key=lambda b: _bank_order(b, order))
    if lang == "en":
        return [banks.load_id(qid) for qid in wanted]
    return [apply.bank(qid, lang) for qid in wanted]


# --------------------------------------------------------------------- bank content

def presented_options(bank: Bank, question: Question) -> list[tuple[int, Option]]:
    """The options in the order learners see them, each with its place.

    Every export takes option order from here and nowhere else. Banks come
    from `banks.load`, which already applies the book's one per-question
    order (book/data/ordering.py), so this is the order of the book, the widget,
    printed sheets and the answer key.
    """
    return list(enumerate(question.options))


def html_inline(text: str | None) -> str:
    """Bank text as inline HTML; cited facts carry their status, date checked
    and, where due, "confirm before use" (book/render/markup.py)."""
    return markup.inline(text or "")


def html_block(text: str | None) -> str:
    return markup.block(text or "")


def situation_html(question: Question) -> str:
    """A scenario's situation as a paragraph (empty for other questions)."""
    if not question.situation:
        return ""
    return f"<p><strong>{html.escape(_('quiz.situation'))}:</strong> {html_inline(question.situation)}</p>"


def question_html(question: Question) -> str:
    """The question as one HTML block: the situation of a scenario, then the prompt."""
    return situation_html(question) + f"<p>{html_inline(question.prompt)}</p>"


def general_feedback_html(question: Question) -> str:
    """The explanation, then every fact the question rests on that its text
    does not already cite, each with its status and date checked."""
    out = html_block(question.explanation) if question.explanation else ""
    cited = {fid for t in question.texts() for fid in facts.cited_ids(t)}
    rest = [fid for fid in question.facts if fid not in cited]
    if rest:
        registry = facts.load()
        listed = "".join(f"<li>{markup.render_fact(registry[fid])}</li>" for fid in rest)
        out += f"<p>{html.escape(_('export.based_on'))}:</p><ul>{listed}</ul>"
    return out


def true_false_words(bank: Bank, question: Question) -> list[str]:
    """'true' or 'false' for each option of a true-false question, in presented
    order: platforms know only these two words, so other option texts in the
    bank are refused. A translated bank's options are named by the English
    bank's (the same question, the same order: book/translate/apply.py)."""
    english = banks.load_id(bank.id) if language() != "en" else bank
    source = next((q for q in english.questions if q.id == question.id), question)
    words = [o.text.strip().lower() for o in source.options]
    if sorted(words) != ["false", "true"]:
        raise BookError(Problem(display_path(banks.bank_path(bank.id)), question.id,
                                "a true-false question's options must be the words True and False",
                                "name the options True and False, or make it a single-answer question"))
    return [words[n] for n, _o in presented_options(bank, question)]


def true_is_right(bank: Bank, question: Question) -> bool:
    """Whether "True" is the right answer of a true-false question."""
    return dict(zip(true_false_words(bank, question), (o.correct for o in question.options)))["true"]


# --------------------------------------------------------------------- Moodle fractions

# Moodle's list of grades an answer may carry (question_bank::fraction_options_full),
# written as Moodle writes them; the importer rejects any other value.
MOODLE_FRACTIONS = ("100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
                    "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0")


def moodle_fraction(percent: float) -> str:
    """The listed fraction equal to `percent` (within 1e-5), as Moodle writes it."""
    sign = "-" if percent < 0 else ""
    best = min(MOODLE_FRACTIONS, key=lambda f: abs(float(f) - abs(percent)))
    if abs(float(best) - abs(percent)) > 1e-5:
        raise ValueError(f"{percent} is not one of Moodle's grades")
    return sign + best if best != "0" else "0"


@dataclass(frozen=True)
class Answer:
    """A presented option as Moodle's formats (Moodle XML, GIFT) write it."""

    option: Option
    grade: str          # Moodle's fraction, from fractions()
    text_html: str
    feedback_html: str


def graded_answers(bank: Bank, question: Question) -> list[Answer]:
    """The question's options in presented order, each with its Moodle grade
    and its text and feedback as inline HTML."""
    options = presented_options(bank, question)
    return [Answer(o, grade, html_inline(o.text), html_inline(o.feedback))
            for (_i, o), grade in zip(options, fractions(question, options))]


def fractions(question: Question, options: list[tuple[int, Option]]) -> list[str]:
    """Moodle grades per presented option: single answer 100 / 0; multiple answer
    100 split over the right options and -100 split over the wrong ones (so
    ticking everything scores nothing)."""
    if question.type != "multiple":
        return ["100" if o.correct else "0" for _i, o in options]
    right = sum(o.correct for _i, o in options)
    wrong = len(options) - right
    return [moodle_fraction(100 / right) if o.correct else moodle_fraction(-100 / wrong)
            for _i, o in options]


# --------------------------------------------------------------------- files

def check_target(out: Path) -> None:
    """An existing --out must be an empty folder, in a folder that exists."""
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise BookError(Problem(str(out), "", "exists and is not a folder", "choose another --out"))
    if out.is_dir() and any(out.iterdir()):
        raise BookError(Problem(str(out), "", "the folder exists and is not empty",
                                "choose a new or empty folder with --out"))
    if not out.parent.is_dir():
        what = "not a folder" if out.parent.exists() else "no such folder"
        raise BookError(Problem(str(out.parent), "", f"{what}, so the export cannot be written in it",
                                "create the folder first or choose another --out"))


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A temporary folder beside `out`, put at `out` only when the block ends
    without an error, else removed (book/folders.py). `out` must be missing or
    an empty folder, and stay so: nothing written there meanwhile is replaced.
    The folder and files open like any new ones (the user's umask)."""
    target = out.absolute()
    check_target(target)
    started = False
    try:
        with folders.staged(target, "export", only_empty=True, shared=False) as tmp:
            started = True
            yield tmp
    except OSError as exc:
        if not started:
            raise BookError(Problem(str(out.parent), "", f"cannot write here ({exc.strerror or exc})",
                                    "choose a folder you can write to with --out"))
        raise BookError(Problem(str(out), "", f"cannot write the export ({exc.strerror or exc})",
                                "check the folder's permissions and free space"))


def zip_folder(folder: Path, dest: Path) -> Path:
    """Zip a folder's files at the zip's root, in name order, with a fixed
    time stamp so that the same input gives the same bytes."""
    import zipfile
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), (2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return dest


def font_files(lang: str, text: str, folder: Path) -> list[str]:
    """The font a standalone Khmer page (SCORM, Kolibri) carries inside its
    package: `khmer.css`, with Noto Sans Khmer subset to the page's own Khmer
    (book/fonts.py) inside it as data: URLs, then the Khmer line height of
    templates/workshop/khmer.css; and the font's licence. Inside the CSS, not
    beside it: a font file is fetched with CORS, which a sandboxed iframe
    without allow-same-origin (Kolibri's stand-in in the tests) refuses.
    Written into `folder`; returns the names (the stylesheet first). Other
    languages need nothing."""
    if lang != "km":
        return []
    from book import fonts
    from book.workshop.fonts import KHMER_RULES
    fonts.check(("index.html", str(n), line) for n, line in enumerate(text.splitlines(), 1))
    (folder / fonts.LICENCE_NAME).write_bytes(fonts.LICENCE.read_bytes())
    (folder / "khmer.css").write_text(fonts.embedded_faces(text) + KHMER_RULES.read_text(encoding="utf-8"),
                                      encoding="utf-8")
    return ["khmer.css", fonts.LICENCE_NAME]


def page(title: str, body: str, stamp_: Stamp, lang: str, styles: list[str], scripts: list[str],
         body_attrs: dict[str, str] | None = None) -> str:
    """A complete standalone HTML page (SCORM, Kolibri): relative links only."""
    links = "".join(f'<link rel="stylesheet" href="{s}">' for s in styles)
    tags = "".join(f'<script src="{s}"></script>' for s in scripts)
    attrs = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in (body_attrs or {}).items())
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="{html.escape(stamp_.text, quote=True)}">'
            f'<title>{html.escape(title)}</title>{links}</head>\n'
            f'<body{attrs}><main class="kq-app">{body}'
            f'<footer class="kq-stamp"><p>{html.escape(stamp_.text)}</p></footer></main>{tags}</body>\n</html>\n')
