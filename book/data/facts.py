"""The fact registry: every phone number, service and legal point, with its evidence.

Pages cite a fact as {fact}`id`; banks do the same in their text and list the
ids a question rests on. A fact needs confirming when unverified or checked
over a year ago; book/render/fact_html.py shows that with status and date.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from book.data.errors import BookError, Problem
from book.data.loading import load_model
from book.data.paths import project
from book.data.schema import Fact, Registry
from book.data.yamlfile import display_path

CITE = re.compile(r"\{fact\}`([^`]*)`")
STALE_AFTER = dt.timedelta(days=365)


def today() -> dt.date:
    """The build date; SOURCE_DATE_EPOCH makes builds reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise BookError(Problem("SOURCE_DATE_EPOCH", "", f"'{epoch}' is not a time (whole seconds since 1970)",
                                    "set it to a number such as the output of `date +%s`, or unset it")) from None
    return dt.date.today()


class Facts:
    """The loaded registry, indexed by id."""

    def __init__(self, registry: Registry, path: Path, lines: dict[Any, int], on: dt.date):
        self.path = path
        self.by_id: dict[str, Fact] = {}
        problems = []
        for i, fact in enumerate(registry.facts):
            if fact.id in self.by_id:
                problems.append(Problem(_shown(path), str(lines.get(("facts", i), "")),
                                        f"fact id '{fact.id}' is used twice", "give each fact its own id"))
            if fact.checked > on:   # would never reach "confirm before use"
                problems.append(Problem(_shown(path), str(lines.get(("facts", i, "checked"), "")),
                                        f"fact '{fact.id}': 'checked' is {fact.checked}, after today ({on})",
                                        "write the day you checked it, not later than today"))
            self.by_id[fact.id] = fact
        if problems:
            raise BookError(problems)

    def __getitem__(self, fact_id: str) -> Fact:
        return self.by_id[fact_id]

    def __contains__(self, fact_id: str) -> bool:
        return fact_id in self.by_id

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.by_id.values())

    def contacts(self, need: str | None = None) -> list[Fact]:
        return [f for f in self if f.kind == "contact" and (need is None or need in f.serves)]


def _shown(path: Path) -> str:
    return display_path(path)


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float, on: dt.date) -> Facts:
    registry, _data, lines = load_model(path, Registry)
    return Facts(registry, path, lines, on)


def load(path: Path | None = None) -> Facts:
    """Load (cached until the file changes) or raise BookError."""
    path = path or project().facts
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise BookError(Problem(_shown(path), "", "the fact registry is missing",
                                "restore facts.yml from git"))
    return _load(path, mtime, today())


def needs_confirmation(fact: Fact, on: dt.date | None = None) -> bool:
    on = on or today()
    return fact.status == "unverified" or on - fact.checked > STALE_AFTER


def headline(fact: Fact) -> str:
    """The words a page shows for a fact: name and number for contacts, else the text."""
    if fact.kind == "contact":
        return f"{fact.name}: {fact.phone}"
    return fact.text


def cited_ids(text: str) -> list[str]:
    return CITE.findall(text or "")
