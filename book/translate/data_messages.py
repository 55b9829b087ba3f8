"""The reader-visible texts of the data files (banks, facts, role paths) as
gettext messages.

Each message's context (msgctxt) names where the text lives by id and field,
never by list position, so reordering questions or facts keeps translations:
`law-main-law.prompt`, `law-main-law.option-2.feedback` (options by their
place in the bank file, before the book shuffles them), `fact.law-2008.text`,
`role.driver.why`. The msgid is the English text, so an edited English text
makes its translation fuzzy (a draft) on the next update.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from book.data import banks, facts, journey
from book.data.schema import Bank


class Message(NamedTuple):
    context: str
    text: str


def bank_messages(bank: Bank) -> Iterator[Message]:
    yield Message(f"{bank.id}.title", bank.title)
    for q in bank.questions:
        for field in ("situation", "prompt", "explanation"):
            value = getattr(q, field)
            if value:
                yield Message(f"{q.id}.{field}", value)
        for n, option in enumerate(q.options, 1):
            yield Message(f"{q.id}.option-{n}.text", option.text)
            yield Message(f"{q.id}.option-{n}.feedback", option.feedback)


def fact_messages() -> Iterator[Message]:
    sources: dict[str, None] = {}
    for fact in facts.load():
        for field in ("name", "text", "hours", "note"):
            value = getattr(fact, field)
            if value:
                yield Message(f"fact.{fact.id}.{field}", value)
        sources.setdefault(fact.source)
    for source in sources:     # many facts share a source: one message each (titles of works stay as they are)
        yield Message("fact.source", source)


def role_messages() -> Iterator[Message]:
    for role in journey.load_roles().roles:
        yield Message(f"role.{role.id}.title", role.title)
        yield Message(f"role.{role.id}.why", role.why)


def domains() -> dict[str, list[Message]]:
    """Catalogue name (a path under LC_MESSAGES, without .po) -> its messages."""
    out: dict[str, list[Message]] = {}
    for path in banks.all_paths():
        bank = banks.load_authored(path)
        out[f"quizzes/{bank.id}"] = list(bank_messages(bank))
    out["facts"] = list(fact_messages())
    out["roles"] = list(role_messages())
    return out
