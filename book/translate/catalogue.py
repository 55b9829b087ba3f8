"""Read, write and count the .po catalogues under locale/<lang>/LC_MESSAGES/.

Reading is strict: Babel's parser quietly cuts a string whose closing quote
is missing and keeps one of two entries with the same message, and merging
from such a file would lose part of a translation. So a file is first read
line by line (every line a comment, a keyword with a quoted string, or a
quoted string), then by Babel with `abort_invalid`, and an entry given twice
is refused. Each problem is one line naming the file and the line.

Writing goes through a temporary file and a rename, so a catalogue is never
half written; a file whose text would not change is not touched.

A message's state, as translators' tools show it:
- translated: it has a translation that is not outdated;
- reviewed: translated, and not fuzzy (a Khmer-speaking reviewer cleared the
  flag; until then a translation is a draft);
- outdated: the English changed after it was translated. It is fuzzy and
  keeps the English it was translated from: a previous msgid (`#| msgid`),
  or in book.po a translator comment `English was: ...`.
"""
from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, normalize, unescape

from book.data import textfile
from book.data.errors import BookError, Problem
from book.data.paths import project
from book.data.yamlfile import display_path

SOURCE = "en"                        # the language the book is written in
INTERFACE = "book"                   # book.po: interface strings keyed by message key
HAND_MADE = ("sphinx", "booktheme")  # theme strings: a list kept by hand, not merged
ENGLISH_WAS = "English was: "        # book.po: the English an outdated translation was made from

_KEYWORD = re.compile(r'(?:#[~|]\s*)?(?P<word>msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(?P<string>".*?)\s*')
_CONTINUED = re.compile(r'(?:#[~|]\s*)?(?P<string>".*?)\s*')
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
FIX_SYNTAX = "write each text in double quotes, a quote inside it as \\\" (a .po editor such as Poedit does this)"


def folder(lang: str) -> Path:
    return project().locale / lang / "LC_MESSAGES"


def interface(lang: str) -> Path:
    """book.po of `lang`; the English one holds the English of every key."""
    return folder(lang) / f"{INTERFACE}.po"


def english_texts() -> dict[str, str]:
    """Message key -> the English text (locale/en/LC_MESSAGES/book.po); empty if there is none."""
    if not interface(SOURCE).exists():
        return {}
    return {m.id: m.string for m in read(interface(SOURCE)) if isinstance(m.id, str) and isinstance(m.string, str)}


def languages() -> list[str]:
    """Every translation under locale/ (each folder but the English one)."""
    root = project().locale
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != SOURCE and not p.name.startswith("."))


def files(lang: str) -> list[Path]:
    return sorted(folder(lang).rglob("*.po")) if folder(lang).is_dir() else []


def name_of(path: Path, lang: str) -> str:
    """'modules/01-law' for locale/<lang>/LC_MESSAGES/modules/01-law.po."""
    return path.relative_to(folder(lang)).with_suffix("").as_posix()


def shown(path: Path) -> str:
    return display_path(path, project().root)


class _Parser(PoFileParser):
    """Babel's parser (pinned: it relies on its message hooks), refusing a
    message given twice (Babel keeps one) and reading the previous msgid
    (`#| msgid`), which Babel takes for a translator comment."""

    def __init__(self, catalog: Catalog) -> None:
        self.seen: dict[object, int] = {}
        self.twice: list[tuple[int, int]] = []
        super().__init__(catalog, abort_invalid=True)

    def _reset_message_state(self) -> None:
        super()._reset_message_state()
        self.previous: list[list[str]] = []
        self.in_previous = False

    def _process_comment(self, line: str) -> None:
        if not line.startswith("#|"):
            super()._process_comment(line)
            return
        self._finish_current_message()
        rest = line[2:].strip()
        keyword, _space, arg = rest.partition(" ")
        if keyword in ("msgid", "msgid_plural"):
            self.previous.append([arg.strip()])
            self.in_previous = True
        elif keyword == "msgctxt":
            self.in_previous = False
        elif rest.startswith('"') and self.in_previous:
            self.previous[-1].append(rest)

    def _add_message(self) -> None:
        msgid = tuple(m.denormalize() for m in self.messages) if len(self.messages) > 1 else \
            self.messages[0].denormalize()
        ctxt = self.context.denormalize() if self.context else None
        key = self.catalog._key_for(msgid, ctxt)
        seen = ("obsolete" if self.obsolete else "", key)
        if seen in self.seen:
            self.twice.append((self.offset + 1, self.seen[seen]))
        else:
            self.seen[seen] = self.offset + 1
        previous = ["".join(unescape(part) for part in parts) for parts in self.previous]
        obsolete = self.obsolete
        super()._add_message()
        message = (self.catalog.obsolete if obsolete else self.catalog._messages).get(key)
        if message is not None and previous:
            message.previous_id = previous


def _syntax(text: str, where: str) -> None:
    for n, line in enumerate(text.splitlines(), 1):
        bare = line.strip()
        if not bare or (bare.startswith("#") and not bare.startswith(("#~", "#|"))):
            continue
        if bare in ("#~", "#|"):
            continue
        found = _KEYWORD.fullmatch(bare) or _CONTINUED.fullmatch(bare)
        if found is None:
            raise BookError(Problem(where, str(n), "this line is not a msgid, msgstr or msgctxt line, a quoted "
                                                   "text or a comment", FIX_SYNTAX))
        if not _QUOTED.fullmatch(found.group("string")):
            raise BookError(Problem(where, str(n), "a text is not closed by a double quote, or holds a quote "
                                                   "not written as \\\"", FIX_SYNTAX))


def read(path: Path) -> Catalog:
    """The catalogue in `path`, or one BookError line naming the line at fault."""
    where = shown(path)
    text = textfile.read(path, where)
    conflict = textfile.conflict(text, where)
    if conflict is not None:
        raise conflict
    _syntax(text, where)
    catalog = Catalog()
    parser = _Parser(catalog)
    try:
        parser.parse(io.StringIO(text))
    except PoFileError as exc:
        raise BookError(Problem(where, str(exc.lineno + 1), f"not a valid .po entry ({str(exc).rsplit(' on ', 1)[0]})",
                                FIX_SYNTAX))
    if parser.twice:
        line, first = parser.twice[0]
        raise BookError(Problem(where, str(line), f"this message is given twice (first on line {first})",
                                "keep one of the two entries"))
    return catalog


def render(catalog: Catalog) -> bytes:
    """The file's bytes, as Babel writes them with long lines kept whole (as
    Sphinx writes them), except that no comment is wrapped: Babel wraps a
    previous msgid (`#| msgid`) as if it were prose, which no tool can read back."""
    out: list[str] = []
    for message in catalog:
        out += _entry(message, catalog.header_comment if not message.id else None)
    for message in catalog.obsolete.values():
        out += [f"# {line}".rstrip() + "\n" for c in message.user_comments for line in c.splitlines() or [""]]
        if message.flags:   # a draft that comes back is still a draft
            out.append(f"#, {', '.join(sorted(message.flags))}\n")
        out += _strings(message, "#~ ")
    return "".join(out).encode(catalog.charset or "utf-8")


def _quoted(keyword: str, value: str, prefix: str = "") -> str:
    return f"{prefix}{keyword} {normalize(value, prefix=prefix, width=0)}\n"


def _strings(message: Message, prefix: str = "") -> list[str]:
    out = [_quoted("msgctxt", message.context, prefix)] if message.context is not None else []
    if isinstance(message.id, (list, tuple)):
        out += [_quoted("msgid", message.id[0], prefix), _quoted("msgid_plural", message.id[1], prefix)]
        forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]
        out += [_quoted(f"msgstr[{i}]", form or "", prefix) for i, form in enumerate(forms)]
    else:
        out += [_quoted("msgid", message.id, prefix), _quoted("msgstr", str(message.string or ""), prefix)]
    return out + ["\n"]


def _entry(message: Message, header_comment: str | None) -> list[str]:
    out = [f"{header_comment}\n"] if header_comment is not None else []
    out += [f"# {line}".rstrip() + "\n" for c in message.user_comments for line in c.splitlines() or [""]]
    out += [f"#. {line}".rstrip() + "\n" for c in message.auto_comments for line in c.splitlines() or [""]]
    if message.locations:
        out.append("#: " + " ".join(f"{f}:{n}" if n else f for f, n in message.locations) + "\n")
    if message.flags:
        out.append(f"#, {', '.join(sorted(message.flags))}\n")
    if message.previous_id:
        out.append(_quoted("msgid", message.previous_id[0], "#| "))
        if len(message.previous_id) > 1:
            out.append(_quoted("msgid_plural", message.previous_id[1], "#| "))
    return out + _strings(message)


def write(path: Path, catalog: Catalog) -> bool:
    """Write atomically (temporary file, then rename); False if nothing changed."""
    data = render(catalog)
    try:
        if path.read_bytes() == data:
            return False
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]


def english_was(message: Message) -> str | None:
    """book.po: the English an outdated translation was made from."""
    for comment in message.user_comments:
        if comment.startswith(ENGLISH_WAS):
            return comment[len(ENGLISH_WAS):]
    return None


def is_outdated(message: Message) -> bool:
    return message.fuzzy and bool(message.previous_id or english_was(message) is not None)


def usable(message: Message, english: str | None = None) -> bool:
    """Whether a build may show this translation: it has one, it is not
    outdated, and in book.po (`english`: the key's English today) the English
    the file recorded at its last update is still the key's English (else
    `python -m book translations` has not run since the English changed)."""
    if not all(strings(message)) or is_outdated(message):
        return False
    if english is not None and message.auto_comments:
        return " ".join(" ".join(message.auto_comments).split()) == " ".join(english.split())
    return True


def is_translated(message: Message) -> bool:
    return all(strings(message)) and not is_outdated(message)


def is_reviewed(message: Message) -> bool:
    return is_translated(message) and not message.fuzzy


class Counts(NamedTuple):
    messages: int = 0
    translated: int = 0
    reviewed: int = 0
    outdated: int = 0


def total(many: list[Counts]) -> Counts:
    return Counts(*(sum(column) for column in zip(*many))) if many else Counts()


def counts(catalog: Catalog) -> Counts:
    found = [m for m in catalog if m.id]
    return Counts(len(found), sum(map(is_translated, found)), sum(map(is_reviewed, found)),
                  sum(1 for m in found if all(strings(m)) and is_outdated(m)))
