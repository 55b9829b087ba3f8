"""The item check: a quiz must not be passable without reading the book.

Part of `python -m book validate` (and so of every build); `python -m book
items` prints the figures behind it. Every rule looks at banks as learners
see them (options in the order of book/data/ordering.py). In an exam bank each
question counts as often as an attempt asks it (`Bank.draw_weights`), so the
figures are those of an average attempt.

Terms:
- one-answer question: type `single` or `scenario` (true/false is counted on
  its own, tick-all is type `multiple`);
- a text "has an absolute word" when it contains one of ABSOLUTE_WORDS as a
  whole word (any case). The frequency of absolute words among wrong options
  is the share of wrong options that have one; among right options likewise.
  A true/false statement counts as a right text when it is true, a wrong one
  when it is false (a false statement with "always" gives the answer away
  just as a wrong option does). Texts are compared as learners read them:
  Markdown rendered, cited facts expanded, tags removed.

Rules, per bank:
1. no place (A, B, C ...) holds the right answer in more than MAX_PLACE_SHARE
   of one-answer questions;
2. the right answer is the longest option in at most MAX_LONGEST_SHARE of
   one-answer questions (ties count as longest);
3. "True" is the answer in TRUE_SHARE of true/false questions, or the
   counts of True and False differ by at most one (3 questions can only be
   2 to 1);
4. tick-all questions do not all have the same number of right options, and
   their right options are not the first ones in all of them;
5. wrong texts have absolute words no more often than right ones, with
   ABSOLUTE_MARGIN of slack;
6. a bank that is not a module's (the final check) repeats no module
   question: see REPEAT_SIMILARITY;
7. every learning objective of a module (its notebook's "Objectives" list,
   book/data/modules.py) is tested by at least MIN_PER_OBJECTIVE questions of the
   module's bank, and every question there names the objective it tests;
8. an exam bank draws at least EXAM_MIN_POINTS questions, from every module.
Rules 1, 2 and 5 are proportions; they apply to banks with at least
MIN_PROPORTION_QUESTIONS one-answer questions (in an exam bank, in an
average attempt).
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from book.data.errors import Problem
from book.data.modules import Module
from book.data.schema import Bank, Question
from book.data.yamlfile import display_path
from book.data.yamlfile import load as load_yaml
from book.render.markup import inline

ONE_ANSWER = ("single", "scenario")

# Rule 1: four places share evenly at 25%; 40% is what a clump of chance
# looks like to a learner who notices "it's usually B".
MAX_PLACE_SHARE = 0.40
# Rule 2: with three or four options an unbiased bank has the longest right
# in 25-33% of questions; above 35% "pick the longest" starts to pay.
MAX_LONGEST_SHARE = 0.35
# Rule 3: "always False" must not pay; 40-60% leaves room for odd counts.
TRUE_SHARE = (0.40, 0.60)
# Rule 5: one or two options either way in a bank of about 12 right and 36
# wrong texts is noise, not a pattern a learner can use.
ABSOLUTE_MARGIN = 0.10
ABSOLUTE_WORDS = ("always", "never", "nobody", "no one", "none", "nothing", "only", "all",
                  "every", "everyone", "everybody", "everything")
# Rule 6: word-level difflib ratio of situation + prompt + right option(s).
# On the banks of commit 30adc12 the six near-copies in the final check
# scored 0.66-1.00, the closest rephrased question 0.55, and questions with
# a new situation 0.51 at most; 0.60 catches the copies and spares new ones.
REPEAT_SIMILARITY = 0.60
# Rule 7: one question per objective is a coin toss, not a check.
MIN_PER_OBJECTIVE = 2
# Rule 8: the final check must measure (issue 14: at least 36 questions).
EXAM_MIN_POINTS = 36
# Rules 1, 2 and 5: below 8 questions one question moves a share by 12 points
# or more, so a proportion says little.
MIN_PROPORTION_QUESTIONS = 8

_ABSOLUTE = re.compile(r"\b(?:" + "|".join(w.replace(" ", r"\s+") for w in ABSOLUTE_WORDS) + r")\b", re.I)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[a-z0-9]+")
PLACES = "ABCDEFGH"


@lru_cache(maxsize=4096)
def visible(text: str) -> str:
    """The text as a learner reads it: Markdown rendered, facts expanded, no tags."""
    return " ".join(html.unescape(_TAG.sub("", inline(text))).split())


def has_absolute(text: str) -> bool:
    return bool(_ABSOLUTE.search(visible(text)))


def right_places(q: Question) -> list[int]:
    return [i for i, o in enumerate(q.options) if o.correct]


def right_is_longest(q: Question) -> bool:
    lengths = [len(visible(o.text)) for o in q.options]
    return lengths[right_places(q)[0]] >= max(lengths)


def statement_is_true(q: Question) -> bool:
    """A true/false question: is the right option 'True'?"""
    return q.options[right_places(q)[0]].text == "True"


def judged_texts(q: Question) -> list[tuple[str, bool]]:
    """(text, is right) pairs that rule 5 compares: the options, or a true/false statement."""
    if q.type == "true-false":
        return [(q.prompt, statement_is_true(q))]
    return [(o.text, o.correct) for o in q.options]


# --------------------------------------------------------------------------- figures

@dataclass
class Figures:
    """One bank's figures, weighted by how often an attempt asks each question."""

    bank: Bank
    one_answer: float = 0.0
    places: dict[int, float] = field(default_factory=dict)
    places_ids: dict[int, list[str]] = field(default_factory=dict)
    longest: float = 0.0
    longest_ids: list[str] = field(default_factory=list)
    true: float = 0.0
    false: float = 0.0
    tick_counts: dict[str, int] = field(default_factory=dict)    # question id -> right options
    tick_first: list[str] = field(default_factory=list)          # right options are the first ones
    abs_right: float = 0.0
    abs_wrong: float = 0.0
    texts_right: float = 0.0
    texts_wrong: float = 0.0
    abs_wrong_ids: list[str] = field(default_factory=list)

    @property
    def true_false(self) -> float:
        return self.true + self.false

    def share(self, part: float, whole: float) -> float:
        return part / whole if whole else 0.0


def figures(bank: Bank) -> Figures:
    f = Figures(bank)
    weights = bank.draw_weights()
    for q in bank.questions:
        w = weights[q.id]
        right = right_places(q)
        if q.type in ONE_ANSWER:
            f.one_answer += w
            f.places[right[0]] = f.places.get(right[0], 0.0) + w
            f.places_ids.setdefault(right[0], []).append(q.id)
            if right_is_longest(q):
                f.longest += w
                f.longest_ids.append(q.id)
        elif q.type == "true-false":
            if statement_is_true(q):
                f.true += w
            else:
                f.false += w
        elif q.type == "multiple":
            f.tick_counts[q.id] = len(right)
            if right == list(range(len(right))):
                f.tick_first.append(q.id)
        for text, correct in judged_texts(q):
            absolute = has_absolute(text)
            if correct:
                f.texts_right += w
                f.abs_right += w * absolute
            else:
                f.texts_wrong += w
                f.abs_wrong += w * absolute
                if absolute and q.id not in f.abs_wrong_ids:
                    f.abs_wrong_ids.append(q.id)
    return f


# --------------------------------------------------------------------------- problems

def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _n(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.1f}"


def _ids(ids: list[str], most: int = 8) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


class _Where:
    """File and line of a bank's questions, read only when a problem needs them."""

    def __init__(self, path: Path, bank: Bank):
        self.path, self.bank, self.shown = path, bank, display_path(path)
        self._lines: dict[Any, int] | None = None

    def line(self, qid: str | None = None) -> str:
        if self._lines is None:
            try:
                self._lines = load_yaml(self.path)[1]
            except Exception:  # the bank loaded a moment ago; no line is better than a traceback
                self._lines = {}
        index = next((i for i, q in enumerate(self.bank.questions) if q.id == qid), None)
        key = ("questions", index) if index is not None else ("questions",)
        return str(self._lines.get(key, ""))

    def problem(self, qid: str | None, problem: str, fix: str) -> Problem:
        return Problem(self.shown, self.line(qid), problem, fix)


def bank_problems(path: Path, bank: Bank) -> list[Problem]:
    """Rules 1 to 5 on one bank."""
    f = figures(bank)
    at = _Where(path, bank)
    out = []
    attempt = " (in an average attempt)" if bank.exam else ""
    if f.one_answer >= MIN_PROPORTION_QUESTIONS:
        for place, count in sorted(f.places.items()):
            if f.share(count, f.one_answer) > MAX_PLACE_SHARE:
                ids = f.places_ids[place]
                out.append(at.problem(ids[0], f"the right answer is shown as option {PLACES[place]} in "
                                      f"{_n(count)} of {_n(f.one_answer)} one-answer questions{attempt} "
                                      f"({_pct(f.share(count, f.one_answer))}, at most "
                                      f"{_pct(MAX_PLACE_SHARE)}): {_ids(ids)}",
                                      "give these questions three or more options (book/data/ordering.py "
                                      "spreads the right answer over the places each question has)"))
        if f.share(f.longest, f.one_answer) > MAX_LONGEST_SHARE:
            out.append(at.problem(f.longest_ids[0], f"the right answer is the longest option in "
                                  f"{_n(f.longest)} of {_n(f.one_answer)} one-answer questions{attempt} "
                                  f"({_pct(f.share(f.longest, f.one_answer))}, at most "
                                  f"{_pct(MAX_LONGEST_SHARE)}): {_ids(f.longest_ids)}",
                                  "in some of them write a wrong option as full as the right one (a real "
                                  "mistake, its reason included) or say the right one more briefly"))
    if f.true_false:
        share = f.share(f.true, f.true_false)
        low, high = TRUE_SHARE
        if not (low <= share <= high or abs(f.true - f.false) <= 1 + 1e-9):
            more, fewer = ("True", "False") if share > high else ("False", "True")
            tf = [q.id for q in bank.questions if q.type == "true-false"
                  and statement_is_true(q) == (more == "True")]
            out.append(at.problem(tf[0], f"'{more}' is the answer to {_n(max(f.true, f.false))} of "
                                  f"{_n(f.true_false)} true/false questions{attempt} "
                                  f"({_pct(max(share, 1 - share))}; between {_pct(low)} and {_pct(high)}): "
                                  f"{_ids(tf)}", f"turn some of these statements around so that "
                                  f"'{fewer}' is right"))
    ticks = f.tick_counts
    if len(ticks) >= 2 and len(set(ticks.values())) == 1:
        (count,) = set(ticks.values())
        other = " or ".join(str(c) for c in (count - 1, count + 1) if c >= 1)
        out.append(at.problem(next(iter(ticks)), f"all {len(ticks)} tick-all questions have {count} right "
                              f"option{'' if count == 1 else 's'}: {_ids(list(ticks))}",
                              f"give some of them {other} right options, "
                              "so the number is not a clue"))
    if len(ticks) >= 2 and len(f.tick_first) == len(ticks):
        out.append(at.problem(f.tick_first[0], f"in every tick-all question the right options are shown "
                              f"first: {_ids(f.tick_first)}", "move a right option to another place in the "
                              "file in one of them (the order shown follows from the file's order)"))
    if f.one_answer >= MIN_PROPORTION_QUESTIONS:
        wrong, right = f.share(f.abs_wrong, f.texts_wrong), f.share(f.abs_right, f.texts_right)
        if wrong > right + ABSOLUTE_MARGIN:
            out.append(at.problem(f.abs_wrong_ids[0], f"absolute words ({', '.join(ABSOLUTE_WORDS[:4])} ...) "
                                  f"are in {_pct(wrong)} of wrong options and false statements but "
                                  f"{_pct(right)} of right ones (at most {_pct(ABSOLUTE_MARGIN)} more): "
                                  f"{_ids(f.abs_wrong_ids)}", "say some wrong options without them (the "
                                  "mistake itself, not an overstatement), or use them where they are true "
                                  "in a right answer"))
    return out


def _words(q: Question) -> list[str]:
    parts = [q.situation or "", q.prompt] + [o.text for o in q.options if o.correct]
    return _WORD.findall(visible(" ".join(parts)).lower())


def similarity(a: Question, b: Question) -> float:
    """Word-level difflib ratio of situation + prompt + right option(s), 0 to 1."""
    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def repeat_problems(module_banks: dict[Path, Bank], other_banks: dict[Path, Bank]) -> list[Problem]:
    """Rule 6: a question of a non-module bank is not a copy of a module question."""
    modules_q = [(path, q, _words(q)) for path, bank in module_banks.items() for q in bank.questions]
    out = []
    for path, bank in other_banks.items():
        at = _Where(path, bank)
        for q in bank.questions:
            words = _words(q)
            matcher = difflib.SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(words)
            best: tuple[float, Path | None, Question | None] = (0.0, None, None)
            for mpath, mq, mwords in modules_q:
                matcher.set_seq1(mwords)
                if matcher.real_quick_ratio() < REPEAT_SIMILARITY or matcher.quick_ratio() < REPEAT_SIMILARITY:
                    continue
                ratio = matcher.ratio()
                if ratio > best[0]:
                    best = (ratio, mpath, mq)
            if best[0] >= REPEAT_SIMILARITY and best[1] is not None and best[2] is not None:
                out.append(at.problem(q.id, f"question '{q.id}' repeats question '{best[2].id}' of "
                                      f"{display_path(best[1])} (similarity {best[0]:.2f}; "
                                      f"{REPEAT_SIMILARITY:.2f} or more is a repeat)", "ask about the same point in a "
                                      "new situation, with new wording, or test another point"))
    return out


def objective_problems(path: Path, bank: Bank, number: int, objectives: list[str]) -> list[Problem]:
    """Rule 7 for one module's bank."""
    at = _Where(path, bank)
    out = []
    tested: dict[int, list[str]] = {}
    for q in bank.questions:
        k = q.tags.objective
        if k is None:
            out.append(at.problem(q.id, f"question '{q.id}' does not say which objective of module "
                                  f"{number} it tests", f"add tags.objective: 1 to {len(objectives)}"))
        elif k > len(objectives):
            out.append(at.problem(q.id, f"question '{q.id}': module {number} has no objective {k} "
                                  f"(it has {len(objectives)})", f"use tags.objective: 1 to {len(objectives)}"))
        else:
            tested.setdefault(k, []).append(q.id)
    for k, text in enumerate(objectives, 1):
        ids = tested.get(k, [])
        if len(ids) < MIN_PER_OBJECTIVE:
            which = f" ({', '.join(ids)})" if ids else ""
            short = text if len(text) <= 70 else text[:67].rstrip() + "..."
            out.append(at.problem(None, f"objective {k} of module {number} (\"{short}\") is tested by "
                                  f"{len(ids)} question{'' if len(ids) == 1 else 's'}{which}, fewer than "
                                  f"{MIN_PER_OBJECTIVE}", f"add a question with tags.objective: {k}"))
    return out


def exam_problems(path: Path, bank: Bank, module_ids: list[str]) -> list[Problem]:
    """Rule 8: an exam draws enough questions, from every module."""
    at = _Where(path, bank)
    points = {q.tags.point for q in bank.questions}
    out = []
    if len(points) < EXAM_MIN_POINTS:
        out.append(at.problem(None, f"an attempt draws {len(points)} questions (one per learning point), "
                              f"fewer than {EXAM_MIN_POINTS}", f"add {EXAM_MIN_POINTS - len(points)} more "
                              "points, each with at least two variants"))
    covered = {q.tags.module for q in bank.questions}
    missing = [m for m in module_ids if m not in covered]
    if missing:
        out.append(at.problem(None, f"no question tests module{'s' if len(missing) > 1 else ''} "
                              f"{', '.join(missing)}", "add points with tags.module set to "
                              + " and ".join(missing)))
    return out


def table(loaded: dict[Path, Bank]) -> list[str]:
    """The figures behind rules 1 to 5, one line per bank (`python -m book items`):
    questions asked per attempt, one-answer questions and the share with the
    right answer shown at A to E, the share where it is the longest option,
    the share of true/false answers that are True, the number of right options
    of each tick-all question, and the share of wrong / right texts with an
    absolute word."""
    out = [f"{'bank':<12} {'asked':>5} {'1-ans':>5} " + " ".join(f"{p:>4}" for p in PLACES[:5])
           + f" {'longest':>7} {'True':>5}  {'tick-all':<10} {'absolute wrong/right':>20}"]
    for bank in loaded.values():
        f = figures(bank)
        asked = sum(bank.draw_weights().values())
        places = " ".join((_pct(f.share(f.places.get(p, 0.0), f.one_answer)) if f.one_answer else "-").rjust(4)
                          for p in range(5))
        longest = _pct(f.share(f.longest, f.one_answer)) if f.one_answer else "-"
        true = _pct(f.share(f.true, f.true_false)) if f.true_false else "-"
        ticks = ",".join(str(c) for c in f.tick_counts.values()) or "-"
        absolute = f"{_pct(f.share(f.abs_wrong, f.texts_wrong))} / {_pct(f.share(f.abs_right, f.texts_right))}"
        out.append(f"{bank.id:<12} {_n(asked):>5} {_n(f.one_answer):>5} {places} {longest:>7} {true:>5}  "
                   f"{ticks:<10} {absolute:>20}")
    return out


def check(loaded: dict[Path, Bank], module_list: list[Module] | None = None) -> list[Problem]:
    """Every rule over the loaded banks (options in presented order); the
    modules (book/data/modules.py) are read from modules/ unless given."""
    if module_list is None:
        from book.data import modules
        module_list = modules.all_modules()
    mods = {m.id: m for m in module_list}
    module_banks = {p: b for p, b in loaded.items() if b.id in mods}
    others = {p: b for p, b in loaded.items() if b.id not in mods}
    out: list[Problem] = []
    for path, bank in loaded.items():
        out += bank_problems(path, bank)
        if bank.id in mods:
            mod = mods[bank.id]
            out += objective_problems(path, bank, mod.number, mod.objectives)
        if bank.exam:
            out += exam_problems(path, bank, [m for m in mods if any(b.id == m for b in module_banks.values())])
    out += repeat_problems(module_banks, others)
    return out
