"""Bring one language's catalogue up to date with the English, losing no translation.

`merge()` is for catalogues whose msgid is the English (pages, modules,
banks, facts, roles): Babel's update keeps every translation whose English is
unchanged, gives a changed message the translation of the closest old one,
marked fuzzy with the old English as its previous msgid (`#| msgid`), and
adds new messages empty. Before it, a message with a context (a bank's
`q-id.prompt`) is matched by that context, so an edited question keeps its
own translation rather than the one of a look-alike. A message that left the
English keeps its translation as an obsolete entry (`#~`), which translators'
tools hide and which comes back if the English does; untranslated ones go.

`merge_interface()` is for book.po, keyed by message key: every key of the
English book.po, in its order, the English shown to translators as an
extracted comment (`#.`); a key whose English changed becomes fuzzy and keeps
the English it was translated from in a translator comment.
"""
from __future__ import annotations

from babel.messages.catalog import Catalog, Message

from book.translate.catalogue import ENGLISH_WAS, english_was, strings


def new_catalogue(lang: str, template: Catalog | None = None) -> Catalog:
    catalog = Catalog(locale=lang, project="Kampot curriculum", copyright_holder="The Kampot curriculum authors",
                      msgid_bugs_address="", fuzzy=False)
    if template is not None:
        catalog.creation_date = template.creation_date
    return catalog


def _translated(message: Message) -> bool:
    return any(strings(message))


def _by_context(old: Catalog, template: Catalog) -> dict[object, list[str]]:
    """Give an old message the new English of its context (it becomes fuzzy);
    returns the new keys with the English they were translated from."""
    old_by_context = {m.context: m for m in old if m.id and m.context}
    previous: dict[object, list[str]] = {}
    for message in template:
        before = old_by_context.get(message.context) if message.id and message.context else None
        if before is None or before.id == message.id or old.get(message.id, message.context) is not None \
                or not _translated(before):
            continue
        old.delete(before.id, before.context)
        renamed = before.clone()
        renamed.id = message.id
        renamed.flags.add("fuzzy")
        old[message.id] = renamed
        made_from = [before.id] if isinstance(before.id, str) else list(before.id)
        previous[old._key_for(message.id, message.context)] = before.previous_id or made_from
    return previous


def merge(old: Catalog | None, template: Catalog, lang: str) -> Catalog:
    """`old` (changed in place, or a new catalogue) updated to `template`."""
    if old is None:
        old = new_catalogue(lang, template)
    kept_previous = {key: m.previous_id for key, m in old._messages.items() if m.fuzzy and m.previous_id}
    # A message that left the English earlier and is back: its old translation returns.
    for key, message in list(old.obsolete.items()):
        if key not in old._messages and template.get(message.id, message.context) is not None \
                and _translated(message):
            old[message.id] = message
            del old.obsolete[key]
    renamed = _by_context(old, template)
    old.update(template, no_fuzzy_matching=False, update_header_comment=False, keep_user_comments=True,
               update_creation_date=False)
    for key, message in old._messages.items():
        same = message.previous_id == ([message.id] if isinstance(message.id, str) else list(message.id))
        if not message.fuzzy or same:   # reviewed, or the same English under a new context: not outdated
            message.previous_id = []
        elif key in renamed:
            message.previous_id = renamed[key]
        elif not message.previous_id and key in kept_previous:
            message.previous_id = kept_previous[key]   # Babel's update forgets it for an unchanged key
    for key in [k for k, m in old.obsolete.items() if not _translated(m) or k in old._messages]:
        del old.obsolete[key]
    return old


def merge_interface(old: Catalog | None, english: Catalog, lang: str) -> Catalog:
    """The book.po of `lang` for the keys and English texts of `english`."""
    new = new_catalogue(lang)
    if old is not None:   # its header as it was
        new.header_comment, new.mime_headers, new.fuzzy = old.header_comment, old.mime_headers, old.fuzzy
    for source in english:
        if not source.id:
            continue
        text = source.string if isinstance(source.string, str) else ""
        before = old.get(source.id) if old is not None else None
        message = Message(source.id, "", auto_comments=text.splitlines() or [""])
        if before is not None:
            message.string = before.string
            message.flags = set(before.flags)
            message.user_comments = list(before.user_comments)
            was = english_was(before) if before.fuzzy else None   # cleared by a reviewer: a stale note
            made_from = was if was is not None else "\n".join(before.auto_comments) or None
            if _translated(before) and made_from is not None and _same(made_from, text) is False:
                message.flags.add("fuzzy")
                if was is None:
                    message.user_comments.append(ENGLISH_WAS + " ".join(made_from.split()))
        if not message.fuzzy or not _translated(message):
            message.user_comments = [c for c in message.user_comments if not c.startswith(ENGLISH_WAS)]
        new[source.id] = message
    if old is not None:
        for message in [*old, *old.obsolete.values()]:
            if message.id and message.id not in new and _translated(message):
                new.obsolete[message.id] = message
    return new


def _same(a: str, b: str) -> bool:
    """English texts compared as a comment keeps them (spacing aside)."""
    return " ".join(a.split()) == " ".join(b.split())
