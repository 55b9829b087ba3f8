"""The parts of a message that a translation keeps exactly as they are.

A message is English text with a few pieces of syntax in it: placeholders
the code fills in (`{count}`), MyST roles (`{fact}`law-2008``; only the title
of `{ref}`danger right now <danger-right-now>`` is text), Markdown link
targets (`[Who to contact](contacts.md)`), inline code, web addresses and raw
HTML tags. `split()` cuts a message into text and kept pieces once, so that
the checks (book/translate/check.py), the pseudo-translation
(book/translate/pseudo.py) and the glossary test all agree on what is text.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

# One alternative per kind of kept piece, tried left to right at each place.
_PIECE = re.compile(
    r"(?P<role>\{(?P<name>[A-Za-z][\w:.+-]*)\}(?P<tick>`+)(?P<body>.+?)(?P=tick))"
    r"|(?P<code>(?P<fence>`+).+?(?P=fence))"
    r"|(?P<placeholder>\{[A-Za-z_]\w*\})"
    r"|(?P<link>\]\((?P<target><[^>\n]*>|[^)\s]*)(?:\s+\"[^\"\n]*\")?\))"
    r"|(?P<url>\b(?:https?|mailto):[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]*[A-Za-z0-9\-_~/#@$&*+=%])"
    r"|(?P<tag></?[A-Za-z][^<>\n]*>)"
    r"|(?P<entity>&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);)"
    r"|(?P<percent>%(?:\(\w+\))?[sd%])",
    re.DOTALL)
# A role's body "title <target>": the title is text a reader sees.
_TITLED = re.compile(r"(?P<title>.*?\S)(?P<space>\s*)<(?P<target>[^<>]+)>", re.DOTALL)
_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_NUMBER = re.compile(r"\d+")


class Piece(NamedTuple):
    text: str
    kept: bool   # True: syntax kept as is; False: words to translate


def split(message: str) -> list[Piece]:
    """The message as text and kept pieces, in order; joined, they give it back."""
    out: list[Piece] = []
    at = 0
    for found in _PIECE.finditer(message):
        if found.start() > at:
            out.append(Piece(message[at:found.start()], False))
        if found.group("role"):
            out.extend(_role_pieces(found))
        else:
            out.append(Piece(found.group(), True))
        at = found.end()
    if at < len(message):
        out.append(Piece(message[at:], False))
    return out


def _role_pieces(found: re.Match[str]) -> list[Piece]:
    opening = "{" + found.group("name") + "}" + found.group("tick")
    body, closing = found.group("body"), found.group("tick")
    titled = _TITLED.fullmatch(body)
    if titled is None:
        return [Piece(opening + body + closing, True)]
    return [Piece(opening, True), Piece(titled.group("title"), False),
            Piece(titled.group("space") + "<" + titled.group("target") + ">" + closing, True)]


def text_only(message: str) -> str:
    """The words of a message, each kept piece replaced by a space."""
    return "".join(p.text if not p.kept else " " for p in split(message))


def roles(message: str) -> Counter[str]:
    """Each role with its target, e.g. "{fact}`law-2008`", "{ref}`<danger-right-now>`"."""
    out: Counter[str] = Counter()
    for found in _PIECE.finditer(message):
        if found.group("role"):
            body = found.group("body")
            titled = _TITLED.fullmatch(body)
            target = f"<{titled.group('target')}>" if titled else body
            out["{" + found.group("name") + "}`" + target + "`"] += 1
    return out


def placeholders(message: str) -> Counter[str]:
    return Counter(f.group("placeholder") for f in _PIECE.finditer(message) if f.group("placeholder"))


def link_targets(message: str) -> Counter[str]:
    """Markdown link targets and bare web addresses."""
    out: Counter[str] = Counter()
    for found in _PIECE.finditer(message):
        if found.group("link") is not None:
            out[found.group("target")] += 1
        elif found.group("url"):
            out[found.group("url")] += 1
    return out


def numbers(message: str) -> Counter[str]:
    """The numbers in the words (Khmer digits read as the same number), not
    those inside roles, links or placeholders."""
    return Counter(_NUMBER.findall(text_only(message).translate(_KHMER_DIGITS)))
