"""The data files in the page language: translated copies of a bank, of the
fact registry and of the role paths, for rendering (validation reads the
English files).

Texts come from locale/<lang>/LC_MESSAGES/quizzes/<bank>.po, facts.po and
roles.po, keyed as book/translate/data_messages.py keys them; a text with
no translation (or whose English has changed since) stays English. Only
texts change: ids, the correct flags, phone numbers, statuses and dates are
the registry's and the bank's own. A translated bank shows its options in
the order worked out from the English bank (book/data/ordering.py), so a
Khmer quiz gives the same verdicts and score as the English one for the
same choices.
"""
from __future__ import annotations

import copy
from typing import Any

from book.data import banks, facts, ordering
from book.data.schema import Bank, Fact, RolePaths
from book.render.i18n import language
from book.translate import catalogues

FACT_FIELDS = ("name", "text", "hours", "note")


def _lang(lang: str | None) -> str:
    return lang or language()


def _text(table: dict[catalogues.Key, str], context: str, english: str | None) -> str | None:
    if not english:
        return english
    return table.get((context, english), english)


def authored_bank(bank: Bank, lang: str | None = None) -> Bank:
    """A bank in file order (banks.load_authored), its texts translated."""
    table = catalogues.read(_lang(lang), f"quizzes/{bank.id}").translated
    if not table:
        return bank
    questions = []
    for q in bank.questions:
        fields: dict[str, Any] = {f: _text(table, f"{q.id}.{f}", getattr(q, f))
                                  for f in ("situation", "prompt", "explanation")}
        fields["options"] = [o.model_copy(update={"text": _text(table, f"{q.id}.option-{n}.text", o.text),
                                                  "feedback": _text(table, f"{q.id}.option-{n}.feedback",
                                                                    o.feedback)})
                             for n, o in enumerate(q.options, 1)]
        questions.append(q.model_copy(update=fields))
    return bank.model_copy(update={"title": _text(table, f"{bank.id}.title", bank.title), "questions": questions})


def bank(quiz_id: str, lang: str | None = None) -> Bank:
    """The bank a page shows (as banks.load_id: validated, options in the
    order learners see) with its texts in the page language."""
    path = banks.bank_path(quiz_id)
    if not path.exists() or not catalogues.read(_lang(lang), f"quizzes/{quiz_id}").translated:
        return banks.load_id(quiz_id)             # English (or the one-line error naming a missing bank)
    authored = banks.load_authored(path)
    return ordering.arranged(authored_bank(authored, lang), ordering.option_orders(authored))


def fact(f: Fact, lang: str | None = None) -> Fact:
    """One fact with its name, text, hours, note and source in the page language
    (a fact already translated comes back as it is: its texts are no msgid)."""
    table = catalogues.read(_lang(lang), "facts").translated
    if not table:
        return f
    update = {field: _text(table, f"fact.{f.id}.{field}", getattr(f, field)) for field in FACT_FIELDS}
    update["source"] = _text(table, "fact.source", f.source)
    return f.model_copy(update=update)


# lang -> (the English registry, the catalogue, the translation made from them)
_registries: dict[str, tuple[facts.Facts, catalogues.Catalogue, facts.Facts]] = {}


def registry(lang: str | None = None) -> facts.Facts:
    """The fact registry (facts.load) with its texts in the page language,
    made again only when the registry or the catalogue changes."""
    lang = _lang(lang)
    english = facts.load()
    catalogue = catalogues.read(lang, "facts")
    if not catalogue.translated:
        return english
    held = _registries.get(lang)
    if held is not None and held[0] is english and held[1] is catalogue:
        return held[2]
    out = copy.copy(english)
    out.by_id = {fid: fact(f, lang) for fid, f in english.by_id.items()}
    _registries[lang] = (english, catalogue, out)
    return out


def roles(paths: RolePaths, lang: str | None = None) -> RolePaths:
    """Role paths (journey.load_roles) with titles and reasons translated."""
    table = catalogues.read(_lang(lang), "roles").translated
    if not table:
        return paths
    return paths.model_copy(update={"roles": [
        r.model_copy(update={"title": _text(table, f"role.{r.id}.title", r.title),
                             "why": _text(table, f"role.{r.id}.why", r.why)}) for r in paths.roles]})

