"""Content-blind strategies: what a learner scores without reading the book.

Every bank is loaded as learners see it (book.data.banks.load puts the options in
the order of book/data/ordering.py, the order the built pages show; the last line
checks the built book against it when _build/html exists). For each question
the script works out the chance that a strategy gets it right:

- one-answer questions (single, scenario): always the option at place A, B,
  C, D or E (the last option when there are fewer); the longest option
  (ties shared); any option without an absolute word (book/itemcheck.py's
  list; all options when every one has one);
- true/false: always True; always False; False when the statement has an
  absolute word, else True;
- tick-all: tick the first k options (k = 1 to 4); tick all; tick every
  option without an absolute word;
- chance: a random pick (1/n; for tick-all 1 / (2^n - 1), any non-empty set).

A whole-quiz strategy takes one rule per question type. Per bank, "best
blind" is the best rule of each type in that bank. "All questions" takes the
rules that do best over the whole book, one per type, and scores every bank
with them. In an exam bank (the final check) each question counts as often
as an attempt draws it (Bank.draw_weights), so its figures are the expected
score of one attempt over the pool's draws.

Targets (issue 14): best blind at most chance + 15 points over all
questions, and below 50% on the final check. Prints figures; asserts nothing.
"""
from __future__ import annotations

import html.parser
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
from weight import figure  # noqa: E402

from book.data import banks  # noqa: E402
from book.data.paths import HTML  # noqa: E402
from book.data.schema import Bank, Question  # noqa: E402
from book.itemcheck import ONE_ANSWER, PLACES, has_absolute, statement_is_true, visible  # noqa: E402

OVER_CHANCE = 15        # points: the most a blind strategy may beat chance by, over all questions
FINAL_BELOW = 50        # %: a blind strategy must score below this on the final check
FINAL = "final"

ONE, TF, TICK = "one-answer", "true/false", "tick-all"
STRATEGIES = {
    ONE: [*(f"always {p}" for p in PLACES[:5]), "longest", "no absolute word"],
    TF: ["always True", "always False", "False if absolute"],
    TICK: ["first 1", "first 2", "first 3", "first 4", "all", "all without absolute"],
}


def kind(q: Question) -> str:
    return ONE if q.type in ONE_ANSWER else TF if q.type == "true-false" else TICK


def chance(q: Question) -> float:
    n = len(q.options)
    return 1 / (2 ** n - 1) if q.type == "multiple" else 1 / n


def _pick(q: Question, candidates: list[int]) -> float:
    """A uniform pick among candidates: the chance it is the right option."""
    return sum(q.options[i].correct for i in candidates) / len(candidates)


def score(q: Question, strategy: str) -> float:
    """The chance that `strategy` answers `q` right (0 to 1)."""
    n = len(q.options)
    right = {i for i, o in enumerate(q.options) if o.correct}
    if kind(q) == ONE:
        if strategy.startswith("always "):
            return float(min(PLACES.index(strategy[-1]), n - 1) in right)
        if strategy == "longest":
            lengths = [len(visible(o.text)) for o in q.options]
            return _pick(q, [i for i in range(n) if lengths[i] == max(lengths)])
        plain = [i for i in range(n) if not has_absolute(q.options[i].text)]
        return _pick(q, plain or list(range(n)))
    if kind(q) == TF:
        true = statement_is_true(q)
        if strategy == "False if absolute":
            return float(true != has_absolute(q.prompt))
        return float(true == (strategy == "always True"))
    if strategy.startswith("first "):
        ticked = set(range(min(int(strategy[-1]), n)))
    elif strategy == "all":
        ticked = set(range(n))
    else:
        ticked = {i for i in range(n) if not has_absolute(q.options[i].text)} or set(range(n))
    return float(ticked == right)


class Tally:
    """Weighted totals of one bank (or of all): per type, chance and each strategy."""

    def __init__(self) -> None:
        self.asked = defaultdict(float)             # type -> questions asked
        self.chance = defaultdict(float)            # type -> expected right by chance
        self.right = defaultdict(float)             # (type, strategy) -> expected right

    def add(self, bank: Bank) -> Tally:
        weights = bank.draw_weights()
        for q in bank.questions:
            w, k = weights[q.id], kind(q)
            self.asked[k] += w
            self.chance[k] += w * chance(q)
            for s in STRATEGIES[k]:
                self.right[k, s] += w * score(q, s)
        return self

    @property
    def total(self) -> float:
        return sum(self.asked.values())

    def best(self, k: str) -> str:
        return max(STRATEGIES[k], key=lambda s: self.right[k, s])

    def blind(self, rules: dict[str, str] | None = None) -> float:
        """Share right with one rule per type (the bank's best ones unless given)."""
        rules = rules or {k: self.best(k) for k in STRATEGIES}
        return sum(self.right[k, rules[k]] for k in STRATEGIES if self.asked[k]) / self.total

    def chance_share(self) -> float:
        return sum(self.chance.values()) / self.total


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def n(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.1f}"


def print_tables(tallies: dict[str, Tally], total: Tally) -> None:
    rows = list(tallies.items()) + [("all", total)]
    for k, names in STRATEGIES.items():
        print(f"\n{k} questions: % right by chance and by each content-blind strategy")
        print(f"{'bank':<12} {'asked':>5} {'chance':>7} " + " ".join(f"{s:>{max(6, len(s))}}" for s in names))
        for name, t in rows:
            if not t.asked[k]:
                continue
            cells = " ".join(f"{pct(t.right[k, s], t.asked[k]):>{max(6, len(s))}}" for s in names)
            print(f"{name:<12} {n(t.asked[k]):>5} {pct(t.chance[k], t.asked[k]):>7} {cells}")
    print("\nall questions: % right by chance and by the best rule of each type in that bank")
    print(f"{'bank':<12} {'asked':>5} {'chance':>7} {'best blind':>10}  rules")
    for name, t in rows:
        rules = ", ".join(f"{t.best(k)}" for k in STRATEGIES if t.asked[k])
        print(f"{name:<12} {n(t.total):>5} {100 * t.chance_share():>7.1f} {100 * t.blind():>10.1f}  {rules}")
    print()


class _Options(html.parser.HTMLParser):
    """(quiz id, question id) -> [(label text, correct)] as a built page shows them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[tuple[str, str], list[tuple[str, bool]]] = {}
        self.quiz = self.question = None
        self.correct: bool | None = None
        self.label: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-kq-quiz" in a:
            self.quiz = a["data-kq-quiz"]
        elif "data-kq-q" in a and self.quiz:
            self.question = a["data-kq-q"]
            self.found[self.quiz, self.question] = []
        elif "data-kq-correct" in a:
            self.correct = a["data-kq-correct"] == "true"
        elif tag == "label" and self.correct is not None:
            self.label = []

    def handle_data(self, data):
        if self.label is not None:
            self.label.append(data)

    def handle_endtag(self, tag):
        if tag == "label" and self.label is not None:
            text = " ".join("".join(self.label).split())
            self.found[self.quiz, self.question].append((text, self.correct))
            self.label, self.correct = None, None


def built_order(loaded: dict[str, Bank]) -> None:
    """Compare the order of options in the built pages with the order measured here."""
    pages = sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts) if HTML.exists() else []
    if not pages:
        figure("items order in the built book", "not checked", "", "no _build/html: run `make book` first")
        return
    parser = _Options()
    shown_on = 0
    for page in pages:
        before = len(parser.found)
        parser.feed(page.read_text(encoding="utf-8"))
        shown_on += len(parser.found) > before
    expected = {(b.id, q.id): [(visible(o.text), o.correct) for o in q.options]
                for b in loaded.values() for q in b.questions}
    differ = sorted(f"{quiz}/{qid}" for (quiz, qid), opts in expected.items()
                    if parser.found.get((quiz, qid)) not in (None, opts))
    missing = sorted(f"{quiz}/{qid}" for key in expected if key not in parser.found for quiz, qid in [key])
    if differ:
        figure("items order in the built book", "DIFFERS", "", f"{len(differ)} questions, for example {differ[0]}; "
               "rebuild the book (`make book`)")
    else:
        note = f"{len(expected) - len(missing)} questions on {shown_on} pages"
        if missing:
            note += f"; {len(missing)} not in the built book, for example {missing[0]}"
        figure("items order in the built book", "same as measured", "", note)


def main() -> None:
    loaded = {p.stem: banks.load(p) for p in banks.all_paths()}
    tallies = {name: Tally().add(bank) for name, bank in loaded.items()}
    total = Tally()
    for bank in loaded.values():
        total.add(bank)
    print_tables(tallies, total)

    rules = {k: total.best(k) for k in STRATEGIES}
    used = ", ".join(rules[k] for k in STRATEGIES if total.asked[k])
    best, base = 100 * total.blind(rules), 100 * total.chance_share()
    ok = "met" if best <= base + OVER_CHANCE else "MISSED"
    figure("items best blind strategy, all questions", f"{best:.1f}", "%",
           f"rules: {used}; chance {base:.1f} %; target at most chance + {OVER_CHANCE} = "
           f"{base + OVER_CHANCE:.1f} %: {ok}")
    if FINAL in tallies:
        t = tallies[FINAL]
        best = 100 * t.blind()
        used = ", ".join(t.best(k) for k in STRATEGIES if t.asked[k])
        exam = "expected over the pool's draws" if loaded[FINAL].exam else "not an exam bank: every question"
        figure("items best blind strategy, final check", f"{best:.1f}", "%",
               f"{exam}; rules: {used}; chance {100 * t.chance_share():.1f} %; target below {FINAL_BELOW} %: "
               f"{'met' if best < FINAL_BELOW else 'MISSED'}")
    built_order(loaded)


if __name__ == "__main__":
    main()
