"""Quiz figures: the static quiz's script and stylesheet gzipped, and the time to
validate a large question bank.

1. book/static/record.js, quiz.js and quiz.css (what a quiz page loads), each
   gzip -9 (as a host would send them separately), and their sum against a
   12 KiB target.
2. A generated bank of 5,000 valid questions (single, multiple, true-false and
   scenario in turn; feedback on every option; fact ids from facts.yml, both
   under `facts:` and cited as {fact}`id` in feedback) written to a temp file,
   then book.data.banks.load on it, best of 3, against a 2 s target.

Prints figures; asserts nothing. Run with the project's venv Python.
"""
from __future__ import annotations

import gzip
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
from weight import KIB, figure, verdict  # noqa: E402

STATIC = ROOT / "book" / "static"
QUESTIONS = 5000
ROLES = ["receptionist", "driver", "guide", "bar", "volunteer"]
LEVELS = ["easy", "medium", "hard"]
TYPES = ["single", "multiple", "true-false", "scenario"]


def asset_sizes() -> None:
    total = 0
    for name in ("record.js", "quiz.js", "quiz.css"):
        path = STATIC / name
        raw = path.read_bytes() if path.exists() else b""
        size = len(gzip.compress(raw, compresslevel=9, mtime=0))
        total += size
        figure(f"{name} gzip -9", str(size), "bytes",
               f"{len(raw)} bytes raw" + ("" if path.exists() else "; FILE MISSING"))
    figure("record.js + quiz.js + quiz.css gzip -9", f"{total / KIB:.2f}", "KiB",
           f"target < 12 KiB: {verdict(total / KIB, 12)}")


def _q(s: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate_bank(bank_id: str, fact_ids: list[str], n: int = QUESTIONS) -> str:
    """YAML text of a valid bank of `n` questions of mixed types."""
    out = [f"id: {bank_id}", f"title: {_q('Generated bank of %d questions' % n)}", "questions:"]
    for i in range(n):
        kind = TYPES[i % len(TYPES)]
        f1, f2 = fact_ids[i % len(fact_ids)], fact_ids[(i * 7 + 3) % len(fact_ids)]
        out.append(f"  - id: gen-{i + 1}")
        out.append(f"    type: {kind}")
        if kind == "scenario":
            out.append(f"    situation: {_q(f'Situation {i + 1}: a guest asks a driver to take a young woman to a guesthouse late at night, and she looks afraid.')}")
        out.append(f"    prompt: {_q(f'Question {i + 1}: what is the best thing to do, and why?')}")
        if kind == "true-false":
            options = [("True", i % 2 == 0), ("False", i % 2 == 1)]
        elif kind == "multiple":
            options = [(f"Option {k + 1} of question {i + 1}", k in (0, 2)) for k in range(4)]
        else:
            options = [(f"Option {k + 1} of question {i + 1}", k == i % 4) for k in range(4)]
        out.append("    options:")
        for k, (text, correct) in enumerate(options):
            out.append(f"      - text: {_q(text)}")
            out.append(f"        correct: {'true' if correct else 'false'}")
            why = "Right." if correct else "Not quite."
            out.append(f"        feedback: {_q(f'{why} Feedback on option {k + 1}, with *emphasis*. {{fact}}`{f1}`')}")
        out.append(f"    explanation: {_q('The explanation shown after answering, with a [link](https://example.org/).')}")
        out.append(f"    facts: [{f1}, {f2}]")
        out.append("    tags:")
        out.append("      module: law")
        out.append(f"      roles: [{', '.join(ROLES[: 1 + i % len(ROLES)])}]")
        out.append(f"      difficulty: {LEVELS[i % len(LEVELS)]}")
        out.append(f"      objective: {1 + i % 4}")
    return "\n".join(out) + "\n"


def bank_time() -> None:
    from book.data import banks, facts
    fact_ids = [f.id for f in facts.load()]
    with tempfile.TemporaryDirectory(prefix="bench-bank-") as tmp:
        path = Path(tmp) / "generated-bank.yml"
        path.write_text(generate_bank(path.stem, fact_ids), encoding="utf-8")
        times = []
        for _ in range(3):
            start = time.perf_counter()
            bank = banks.load(path)
            times.append(time.perf_counter() - start)
        kinds = {t: sum(q.type == t for q in bank.questions) for t in TYPES}
        figure("generated bank", f"{path.stat().st_size / KIB:.0f}", "KiB YAML",
               f"{len(bank.questions)} questions: " + ", ".join(f"{n} {t}" for t, n in kinds.items()))
        best = min(times)
        figure(f"validate {len(bank.questions)} questions (book.data.banks.load, best of 3)", f"{best:.2f}", "s",
               f"runs {', '.join(f'{t:.2f}' for t in times)} s; target < 2 s: {verdict(best, 2)}")


def main() -> None:
    asset_sizes()
    bank_time()


if __name__ == "__main__":
    main()
