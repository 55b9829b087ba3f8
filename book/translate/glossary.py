"""A language's glossary of key terms (locale/<lang>/glossary.yml) and where
a translation does not use it.

Every message whose English holds a key term as a whole word (capitals
aside), and that has a translation, must hold the glossary's term or one of
its `also` forms. Where the English word means something else (to *sign* a
paper is not a *sign* of trafficking), a translator comment on the message
says so and the term is not asked for there: `# glossary-skip: sign`. A
translation identical to its English (an organisation's name) is left alone.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Message

from book.data.errors import BookError, Problem
from book.data.loading import load_model
from book.data.paths import project
from book.data.schema import Glossary, GlossaryTerm
from book.data.yamlfile import display_path
from book.translate import catalogue, protected

SKIP = "glossary-skip:"


def path(lang: str) -> Path:
    return project().locale / lang / "glossary.yml"


def load(lang: str) -> Glossary:
    """The glossary, checked: the schema, and no English term in two entries."""
    where = path(lang)
    glossary, _data, lines = load_model(where, Glossary)
    seen: dict[str, int] = {}
    for i, term in enumerate(glossary.terms):
        for j, word in enumerate(term.en):
            key = " ".join(word.lower().split())
            if key in seen:
                line = lines.get(("terms", i, "en", j)) or lines.get(("terms", i))
                raise BookError(Problem(display_path(where, project().root), str(line or ""),
                                        f"the English term '{word}' is given twice (also in entry {seen[key] + 1})",
                                        "keep it in one entry; put other Khmer forms under `also`"))
            seen[key] = i
    return glossary


def glossary_problems(lang: str) -> list[Problem]:
    if not path(lang).exists():
        return []
    try:
        load(lang)
    except BookError as exc:
        return exc.problems
    return []


@lru_cache(maxsize=256)
def _pattern(word: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in word.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)


def uses(english: str, term: GlossaryTerm) -> bool:
    """Whether the words of `english` (not its roles, links or placeholders) hold the term."""
    words = protected.text_only(english)
    return any(_pattern(word).search(words) for word in term.en)


def keeps(translation: str, term: GlossaryTerm) -> bool:
    return any(form in translation for form in (term.km, *term.also))


def _skipped(message: Message, term: GlossaryTerm) -> bool:
    named = {c[len(SKIP):].strip().lower() for c in message.user_comments if c.startswith(SKIP)}
    return any(" ".join(word.lower().split()) in named for word in term.en)


class Inconsistency(NamedTuple):
    file: str
    line: int
    context: str | None
    msgid: str
    term: str
    expected: str

    def __str__(self) -> str:
        where = f"msgctxt {self.context!r}" if self.context else f"msgid {self.msgid[:60]!r}"
        return f"{self.file}:{self.line}: {where}: '{self.term}' is not translated as {self.expected}"


def inconsistencies(lang: str) -> list[Inconsistency]:
    """Every translated message of `lang` that leaves out a glossary term its English uses."""
    glossary = load(lang)
    english = catalogue.english_texts()
    found = []
    for file in catalogue.files(lang):
        is_interface = catalogue.name_of(file, lang) == catalogue.INTERFACE
        for message in catalogue.read(file):
            translation = " ".join(catalogue.strings(message))
            if not message.id or not translation.strip() or catalogue.is_outdated(message):
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            source = english.get(ids[0], "") if is_interface else " ".join(ids)
            if translation.strip() == source.strip():
                continue   # kept as in English on purpose: a name such as an organisation's
            for term in glossary.terms:
                if uses(source, term) and not keeps(translation, term) and not _skipped(message, term):
                    expected = " or ".join(repr(f) for f in (term.km, *term.also))
                    found.append(Inconsistency(catalogue.shown(file), message.lineno or 0, message.context,
                                               ids[0], term.en[0], expected))
    return found

