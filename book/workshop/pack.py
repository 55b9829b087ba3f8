"""Workshop packs: everything a facilitator prints for a day of chosen modules.

`python -m book workshop` writes each document as HTML (Jinja templates in
templates/workshop/, one print stylesheet) and as an A4 PDF printed by
Chromium. Session timings and answer keys come from book/render/sessions.py, the
same code as the book's session-plan pages, so pack and book agree. The
pack is written into a temporary folder next to the output and moved into
place only when every file is written: a failure never leaves half a pack.
A pack carries a marker file listing what it holds; --force replaces only an
empty folder or such a pack, never anything else.

A pack is in one language (--lang): every word from the interface catalogue
(book.render.i18n), the module texts from the modules' translations
(book/translate/module_text.py, through sessions.plan); a Khmer document
carries its font (book/workshop/fonts.py, by the document's <html lang>).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from book import folders, locks
from book.data import facts, modules
from book.data.errors import BookError, Problem
from book.data.paths import project
from book.data.schema import Fact
from book.render import i18n, sessions
from book.render.i18n import _, plural
from book.render.sessions import Session
from book.translate import apply
from book.workshop.agenda import Slot, schedule
from book.workshop.fonts import with_fonts
from book.workshop.pdf import footer_template, print_pdfs

ATTENDANCE_ROWS = 20
NEEDS = ["child", "trafficking", "violence", "health", "peer", "legal", "exit"]  # words: pack.need.<need>
MARKER = ".workshop-pack"    # in every pack: this first line, then the name of each file written
# Not translated: it marks a pack written in any language.
MARKER_HEAD = "Written by `python -m book workshop`; --force may replace this folder while it holds only these files:"

@dataclass(frozen=True)
class Doc:
    """A document of the pack; its words are the messages pack.doc.<name>.title, .purpose and .copies."""

    name: str
    footer: bool = True      # page numbers (multi-page documents)
    landscape: bool = False

    @property
    def title(self) -> str:
        return _(f"pack.doc.{self.name}.title")

    @property
    def purpose(self) -> str:
        return _(f"pack.doc.{self.name}.purpose")

    @property
    def copies(self) -> str:
        return _(f"pack.doc.{self.name}.copies")

DOCS = [
    Doc("agenda"), Doc("session-plans"), Doc("handouts"), Doc("quiz-sheets"), Doc("answer-key"),
    Doc("pocket-card", footer=False), Doc("attendance", footer=False),
    Doc("certificate", footer=False, landscape=True),
]

@dataclass
class Pack:
    """Everything the templates show; built once, rendered into every document."""

    sessions: list[Session]
    slots: list[Slot]
    minutes: int
    start: int               # minutes after midnight
    book_title: str
    made: str
    docs: list[Doc] = field(default_factory=lambda: list(DOCS))
    rows: int = ATTENDANCE_ROWS

    @property
    def session_minutes(self) -> int:
        return sum(s.minutes for s in self.slots if s.kind not in ("break", "lunch", "spare"))

    @property
    def break_minutes(self) -> int:
        return sum(s.minutes for s in self.slots if s.kind in ("break", "lunch"))

    @property
    def spare(self) -> int:
        return sum(s.minutes for s in self.slots if s.kind == "spare")

    @property
    def module_list(self) -> str:
        return _("pack.list_separator").join(f"{s.module.number}. {s.module.title}" for s in self.sessions)

    @property
    def title(self) -> str:
        numbers = _("pack.list_separator").join(str(s.module.number) for s in self.sessions)
        return plural("pack.title", len(self.sessions), numbers=numbers)

    @property
    def summary(self) -> str:
        return _("pack.summary").format(modules=self.module_list, minutes=plural("plan.minutes", self.minutes),
                                        date=self.made)

    @property
    def hours(self) -> str:
        """Session time (without breaks) in words, for the certificate."""
        h, m = divmod(self.session_minutes, 60)
        if h and m:
            return _("pack.hours_minutes").format(hours=plural("pack.hours", h), minutes=plural("plan.minutes", m))
        return plural("pack.hours", h) if h else plural("plan.minutes", m)

    def clock(self, offset: int) -> str:
        h, m = divmod(self.start + offset, 60)
        return f"{h:02d}:{m:02d}"

    def session(self, mod: modules.Module) -> Session:
        return next(s for s in self.sessions if s.module.id == mod.id)

    def contacts_of(self, session: Session) -> list[Fact]:
        return sessions.cited_contacts(session.module, session.bank)

    @property
    def emergency_contacts(self) -> list[Fact]:
        """The numbers for danger right now: contacts for violence that are not child lines."""
        return [f for f in apply.registry().contacts("violence") if "child" not in f.serves]

    @property
    def card_contacts(self) -> list[Fact]:
        """Every other contact for a child or for trafficking: children first (always reported)."""
        registry = apply.registry()
        found = registry.contacts("child") + registry.contacts("trafficking")
        urgent = {f.id for f in self.emergency_contacts}
        return [f for f in {f.id: f for f in found}.values() if f.id not in urgent]

    @property
    def directory(self) -> list[tuple[Fact, str]]:
        """(fact, what it is for) for every contact and organisation that serves
        a need, each once: phone numbers first, then sure before unsure."""
        registry = apply.registry()
        entries = [f for f in registry if f.serves and f.kind in ("contact", "organisation")]
        entries.sort(key=lambda f: (f.kind != "contact", facts.needs_confirmation(f),
                                    min(NEEDS.index(n) for n in f.serves), f.id))
        return [(f, _("pack.list_separator").join(_(f"pack.need.{n}") for n in NEEDS if n in f.serves))
                for f in entries]

# --------------------------------------------------------------------- requests

def choose(spec: str) -> list[modules.Module]:
    """Modules by number or name, comma-separated, in the order given; 'all' for every module."""
    if spec.strip().lower() == "all":
        return modules.all_modules()
    keys = [k.strip() for k in spec.split(",") if k.strip()]
    if not keys:
        raise BookError(Problem("--modules", "", "no module chosen", "give numbers or names, e.g. --modules 1,4,5"))
    chosen = []
    for key in keys:
        mod = modules.find(key)
        if mod is None:
            raise BookError(Problem("--modules", "", f"no module '{key}'", f"use a number or name: {modules.known()}"))
        chosen.append(mod)
    return list({m.id: m for m in chosen}.values())

def parse_minutes(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise BookError(Problem("--minutes", "", f"'{text}' is not a number of minutes",
                                "give a whole number, e.g. --minutes 180"))
    return value

def parse_clock(text: str) -> int:
    try:
        h, m = (int(x) for x in text.split(":"))
        if 0 <= h < 24 and 0 <= m < 60:
            return h * 60 + m
    except ValueError:
        pass
    raise BookError(Problem("--start", "", f"'{text}' is not a time of day", "give HH:MM, e.g. --start 09:00"))

def choose_language(lang: str | None) -> str:
    """--lang: English (the default) or a language with an interface catalogue."""
    lang = lang or "en"
    known = i18n.available()
    if lang not in known:
        raise BookError(Problem("--lang", "", f"no language '{lang}'", f"use one of: {', '.join(known)}"))
    return lang

def make_pack(spec: str = "all", minutes: int | None = None, start: int = 9 * 60) -> Pack:
    """The pack in the current language (i18n.language(); write_pack sets it from --lang)."""
    plans = [sessions.plan(m) for m in choose(spec)]
    slots = schedule(plans, minutes)
    total = sum(s.minutes for s in slots)
    if start + total > 24 * 60:
        raise BookError(Problem("--start", "", f"a workshop of {total} minutes from {start // 60:02d}:{start % 60:02d} "
                                "would end after midnight", "start earlier or give fewer minutes"))
    return Pack(plans, slots, total, start, i18n.book_title(), i18n.date(facts.today()))

def render(pack: Pack) -> dict[str, str]:
    """File name -> HTML for every document, plus index.html (contents and what to print)."""
    env = sessions.environment()
    out = {f"{d.name}.html": env.get_template(f"{d.name}.html").render(pack=pack, doc=d) for d in pack.docs}
    contents = Doc("index")
    out["index.html"] = env.get_template("index.html").render(pack=pack, doc=contents)
    return {name: with_fonts(name, html) for name, html in out.items()}     # by each document's <html lang>

# --------------------------------------------------------------------- writing

def _check_place(target: Path, shown: Path) -> None:
    """Never the book's own folder, a folder holding it, or a .git folder,
    whatever the options; and the parent must be a folder."""
    root = project().root
    if target == root or root.is_relative_to(target):
        raise BookError(Problem(str(shown), "", "is the book's own folder or holds it, so no pack is written there",
                                "choose a new folder for --out, e.g. --out workshop-pack"))
    if ".git" in target.parts:
        raise BookError(Problem(str(shown), "", "is inside a .git folder, so no pack is written there",
                                "choose a new folder outside .git for --out"))
    if not target.parent.is_dir():
        what = "not a folder" if target.parent.exists() else "no such folder"
        raise BookError(Problem(str(shown.parent), "", f"{what}, so the pack cannot be written in it",
                                "create the folder first or choose another --out"))


def _written_by_us(folder: Path) -> set[str] | None:
    """The files an earlier run wrote in `folder`, from its marker; None if it has none."""
    try:
        lines = (folder / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != MARKER_HEAD:
        return None
    return {*lines[1:], MARKER}


def _check_target(target: Path, shown: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise BookError(Problem(str(shown), "", "exists and is not a folder", "choose another --out"))
    if not target.is_dir() or not any(target.iterdir()):
        return
    if not force:
        raise BookError(Problem(str(shown), "", "the folder exists and is not empty",
                                "choose a new --out, or add --force to replace a pack written there before"))
    written = _written_by_us(target)
    if written is None:
        raise BookError(Problem(str(shown), "", f"was not written by `python -m book workshop` (it has no {MARKER} "
                                "file), so --force does not replace it", "choose a new or empty folder for --out"))
    extra = sorted(p.name for p in target.iterdir() if p.name not in written)
    if extra:
        raise BookError(Problem(str(shown), "", f"holds {extra[0]}, which `python -m book workshop` did not write, "
                                "so --force does not replace the folder",
                                f"move {extra[0]} out of it, or choose another --out"))


def _mark(folder: Path) -> None:
    """The marker, written last: the files of a finished pack (what --force may replace)."""
    names = sorted(p.name for p in folder.iterdir())
    (folder / MARKER).write_text("\n".join([MARKER_HEAD, *names]) + "\n", encoding="utf-8")

def write_pack(spec: str, minutes: int | None, out: Path, start: int = 9 * 60, force: bool = False,
               echo: Callable[[str], None] = print, lang: str | None = None) -> Pack:
    """Check the request, render every document in `lang` into a temporary
    folder next to `out`, print the PDFs, then move the folder into place.
    One run at a time per folder: a second one stops with a BookError."""
    with i18n.in_language(choose_language(lang)):
        pack = make_pack(spec, minutes, start)
        target = out.resolve()
        _check_place(target, out)
        return _locked_write(pack, target, out, force, echo)

def _locked_write(pack: Pack, target: Path, out: Path, force: bool, echo: Callable[[str], None]) -> Pack:
    try:
        with locks.exclusive(target.parent / f".{target.name}.lock", wait=False):
            _check_target(target, out, force)
            _write(pack, target, out, echo)
    except locks.Busy as busy:
        raise BookError(Problem(str(out), "", f"another `python -m book workshop` ({busy.holder}) is writing "
                                "this pack now", "wait until it has finished, or choose another --out")) from None
    except OSError as exc:
        raise BookError(Problem(str(out), "", f"cannot write the pack ({folders.reason(exc)})",
                                folders.fix_for(exc))) from None
    return pack

def _write(pack: Pack, target: Path, shown: Path, echo: Callable[[str], None]) -> None:
    """Every file into a temporary folder, readable by others and exchanged
    with the old pack in one step when complete (book/folders.py)."""
    with folders.staged(target, "pack") as tmp:
        for name, text in render(pack).items():
            (tmp / name).write_text(text, encoding="utf-8")
            echo(f"wrote {shown / name}")
        footers = {d.name: footer_template(d.title, pack.title) for d in pack.docs}
        print_pdfs(tmp, pack.docs, footers, echo, shown)
        _mark(tmp)
