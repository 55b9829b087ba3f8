"""The order learners see a question's options in: decided once, here.

Authors write the right answer wherever they like; position, in the file,
means nothing. `banks.load` hands every bank on in the presented order, so
the static quiz, the live widget, printed quiz sheets, the answer key, the
item check and the benchmark all show and judge the same order, and a build
is the same from one run to the next.

- True/false: "True", then "False", always.
- One answer (single, scenario): the right answer's place is spread evenly
  over the bank. Questions are taken in a fixed order (by learning point,
  then by a hash of bank id and question id), and each puts its right answer
  in the place used least so far (ties broken by the same hash); the wrong
  options fill the other places in hashed order. A hash alone would leave
  clumps (in a bank of 12 four-option questions, one place would hold 5 or
  more right answers about half the time). In an exam bank a question
  counts as much as it is drawn (`Bank.draw_weights`), and the variants of
  one point get different places, so each attempt is spread too.
- Tick-all (multiple): every option in hashed order.

The hash is SHA-256 of bank id, question id and the option's place in the
file, so editing an option's words never moves it. Adding or removing a
one-answer question may move the right answer of others in the same bank:
that is the price of keeping the places even.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from book.data.schema import Bank, Question

ONE_ANSWER = ("single", "scenario")
TRUE_FALSE = ("True", "False")


def _hash(*parts: object) -> bytes:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()


def _keys(bank_id: str, q: Question, tag: str, n: int) -> list[bytes]:
    """_hash(bank_id, q.id, tag, i) for i in range(n), hashing the shared start once."""
    base = hashlib.sha256(f"{bank_id}\x1f{q.id}\x1f{tag}".encode())
    out = []
    for i in range(n):
        h = base.copy()
        h.update(f"\x1f{i}".encode())
        out.append(h.digest())
    return out


def _hashed(bank_id: str, q: Question, indices: Iterable[int]) -> list[int]:
    keys = _keys(bank_id, q, "option", len(q.options))
    return sorted(indices, key=keys.__getitem__)


def option_orders(bank: Bank) -> dict[str, list[int]]:
    """question id -> the file's option indices in the order learners see them."""
    orders: dict[str, list[int]] = {}
    used: dict[int, float] = defaultdict(float)  # place -> right answers put there (weighted)
    weights = bank.draw_weights()
    one_answer = [q for q in bank.questions if q.type in ONE_ANSWER]
    one_answer.sort(key=lambda q: (q.tags.point or "", _hash(bank.id, q.id)))
    for q in one_answer:
        right = next(i for i, o in enumerate(q.options) if o.correct)
        ties = _keys(bank.id, q, "place", len(q.options))
        place = min(range(len(q.options)), key=lambda p: (used[p], ties[p]))
        used[place] += weights[q.id]
        order = _hashed(bank.id, q, (i for i in range(len(q.options)) if i != right))
        order.insert(place, right)
        orders[q.id] = order
    for q in bank.questions:
        if q.type == "true-false":
            texts = [o.text for o in q.options]
            orders[q.id] = [texts.index(t) for t in TRUE_FALSE]
        elif q.type not in ONE_ANSWER:
            orders[q.id] = _hashed(bank.id, q, range(len(q.options)))
    return orders


def presented(bank: Bank) -> Bank:
    """The bank with every question's options in the order learners see.

    Apply once, to a bank as written in its file (banks.load does)."""
    return arranged(bank, option_orders(bank))


def arranged(bank: Bank, orders: dict[str, list[int]]) -> Bank:
    """The bank with each question's options (in file order) put in `orders`:
    a translated bank takes the orders worked out from its English one
    (book/translate/apply.py), so both show and judge the same order."""
    questions = [q.model_copy(update={"options": [q.options[i] for i in orders[q.id]]})
                 for q in bank.questions]
    return bank.model_copy(update={"questions": questions})
