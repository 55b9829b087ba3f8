"""Module-notebook text in another language, for everything that reuses it
outside the module page: session plans, workshop packs, role paths.

It is the SAME translation the translated module page shows: the module's
catalogue `locale/<lang>/LC_MESSAGES/modules/<notebook>.po` (written by
Sphinx's gettext builder, one message per paragraph, list item or heading,
the English MyST text as msgid), looked up by the English text. Anything
without a translation stays English. Draft (fuzzy) translations count, as
they do in the draft edition of the book.

Facilitator notes keep their English labels ('Role-play:', 'Ask:', 'Draw
out:') in front of the translated text, because the session plan splits the
notes at those labels (book/render/sessions.py); the translated label up to
its first colon is dropped, so a translator writes a labelled paragraph as
'<label>: <text>' (':' or the Khmer '៖').
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from book.data.modules import Module, Scenario
from book.data.paths import project

_LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
_HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
_FENCE = re.compile(r"^\s*(:::|```|:[a-z-]+:)")
_NUMBER = re.compile(r"^[0-9០-៩]+\.\s*")
_LABEL = re.compile(r"^(Role-play|Ask|Draw out):\s*")
_COLON = re.compile(r"^[^:៖]{1,60}[:៖]\s*")


@lru_cache(maxsize=32)
def _read(path: Path, stamp: tuple[int, int]) -> dict[str, str]:
    with path.open("rb") as fh:
        cat = read_po(fh)
    return {m.id: m.string for m in cat if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string}


def catalogue_path(stem: str, lang: str) -> Path:
    """The module's catalogue for `lang` (it may not exist)."""
    return project().locale / lang / "LC_MESSAGES" / "modules" / f"{stem}.po"


def messages(stem: str, lang: str) -> Mapping[str, str]:
    """English text -> translation for one module notebook (empty for English
    or a module nobody has translated)."""
    if lang == "en":
        return {}
    path = catalogue_path(stem, lang)
    try:
        info = path.stat()
    except OSError:
        return {}
    return _read(path, (info.st_mtime_ns, info.st_size))


@dataclass(frozen=True)
class ModuleText:
    """One module's translations, and how to apply them to its parts."""

    table: Mapping[str, str]

    def text(self, english: str) -> str:
        """One paragraph, list item or heading."""
        key = english.strip()
        return self.table.get(key) or self.table.get(" ".join(key.split())) or english

    def block(self, markdown: str) -> str:
        """Markdown of several paragraphs and lists, segmented as Sphinx segments it."""
        out: list[str] = []
        para: list[str] = []

        def flush() -> None:
            if para:
                out.append(self.text("\n".join(para)))
                para.clear()

        for line in (markdown or "").splitlines():
            item = _LIST_ITEM.match(line) or _HEADING.match(line)
            if not line.strip() or item or _FENCE.match(line):
                flush()
                out.append(item.group(1) + self.text(item.group(2)) if item else line)
            else:
                para.append(line)
        flush()
        return "\n".join(out)

    def notes(self, english: str) -> str:
        """Facilitator notes, paragraph by paragraph, English labels kept (see above)."""
        out = []
        for para in re.split(r"\n\s*\n", english or ""):
            label = _LABEL.match(para.strip())
            if label and self.text(para) is not para:
                out.append(label.group(0) + _COLON.sub("", self.text(para), count=1))
            else:
                out.append(self.block(para))
        return "\n\n".join(out)

    def title(self, mod: Module) -> str:
        """The module's title, from its page heading ('1. The law') without the number."""
        heading = f"{mod.number}. {mod.title}"
        found = self.text(heading)
        return mod.title if found is heading else _NUMBER.sub("", found).strip()

    def scenario(self, sc: Scenario) -> Scenario:
        """Its title comes from the heading 'Scenario 2: Night rides', translated
        as a whole: the part after the label."""
        heading = f"Scenario {sc.number}: {sc.title}"
        found = self.text(heading)
        title = sc.title if found is heading else _COLON.sub("", found, count=1).strip()
        return Scenario(sc.number, title, self.block(sc.text), self.notes(sc.facilitator))

    def module(self, mod: Module) -> Module:
        """The module with its texts translated; ids, numbers, minutes and the
        English section names (the plan's structure) stay as they are."""
        return dataclasses.replace(
            mod, title=self.title(mod), questions=[self.text(q) for q in mod.questions],
            objectives=[self.text(o) for o in mod.objectives], key_points=[self.text(k) for k in mod.key_points],
            scenarios=[self.scenario(sc) for sc in mod.scenarios],
            sections={name: self.block(body) for name, body in mod.sections.items()})


def for_module(mod: Module, lang: str) -> ModuleText:
    return ModuleText(messages(mod.path.stem, lang))
