"""Hostile and careless input: one row of CASES per case, one runner for all.

Each row damages one file in a fresh copy of the project, runs the command
(`python -m book ...`, in a process of its own: conftest.book_command) and
expects: the exit code, exactly one line on stderr matching the row's pattern
(file, place, problem; fix), no traceback, and every file of the project
exactly as it was before the command ran (nothing lost, nothing
half-written). Every command runs under a memory and CPU-time limit
(resource.setrlimit in the child), so an input that makes the tool expand or
loop fails the test instead of the machine. Adding a case is adding one row.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import resource
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import book_command, copy_project

# Bytes of address space the command may add to what the child has mapped
# when it starts (the test process's): validate needs under 100 MB, an alias
# bomb used to take GBs. The limit passes to child processes: a row whose
# command gets as far as starting Chromium (a workshop pack) would need a higher one.
MEMORY = 256 << 20
CPU_SECONDS = 30     # CPU time, not wall-clock: a busy machine does not make a case fail
FOLDER = object()    # a row's content: replace the file with a folder


def _limits() -> None:
    mapped = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + MEMORY, mapped + MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


@dataclass(frozen=True)
class Case:
    name: str
    file: str                         # relative to the project
    content: str | bytes | Callable[[str], str] | object   # new text, raw bytes, a change of the old text, FOLDER
    message: str                      # regex for the one stderr line ("ok" rows: for stdout)
    args: tuple[str, ...] = ("validate",)
    code: int = 2
    env: dict = field(default_factory=dict)


# ------------------------------------------------------------------ hostile content

def after(pattern: str, line: str) -> Callable[[str], str]:
    """Insert `line` after the first line matching `pattern`."""
    def change(text: str) -> str:
        m = re.search(f"^.*{pattern}.*$", text, re.M)
        assert m, f"no line matches {pattern!r}"
        return text[:m.end()] + "\n" + line + text[m.end():]
    return change


def sub(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, f"{old!r} not in the file"
        return text.replace(old, new, 1)
    return change


def append(extra: str) -> Callable[[str], str]:
    return lambda text: text.rstrip("\n") + "\n" + extra


def raw(old: str, new: bytes) -> Callable[[str], bytes]:
    """Replace text by bytes that are not (or not only) UTF-8 text."""
    def change(text: str) -> bytes:
        assert old in text
        before, rest = text.split(old, 1)
        return before.encode() + new + rest.encode()
    return change


# Billion laughs: ten levels of ten aliases, 10^10 strings from about 1 KB.
BOMB = "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]\n" for i in range(1, 10))


def conflict(text: str) -> str:
    """A notebook as git leaves it after a conflicting merge of one cell line."""
    lines = text.splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if '"source"' in line) + 1
    return "".join(lines[:i] + ["<<<<<<< HEAD\n", lines[i], "=======\n", lines[i], ">>>>>>> other\n"] + lines[i + 1:])


def deep_json(levels: int) -> Callable[[str], str]:
    def change(text: str) -> str:
        nb = json.loads(text)
        nb["metadata"]["deep"] = "@"
        return json.dumps(nb, indent=1, ensure_ascii=False).replace('"@"', "[" * levels + "]" * levels)
    return change


def deep_yaml(levels: int) -> str:
    return "[" * levels + "law-2008" + "]" * levels


DAY = str(int(dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()))   # the build's "today"
FIX_DUP = r"; keep one$"
ALIAS = r"the alias '\*lol0' repeats the value anchored at line \d+; write the value out in full"

CASES = [
    # 2. a key given twice: the last one would silently win
    Case("dup-key-facts", "facts.yml", after(r'phone: "012 311 112"', '    phone: "012 000 000"'),
         r"facts\.yml:\d+: the key 'phone' appears twice \(first at line \d+\)" + FIX_DUP),
    Case("dup-key-bank", "quizzes/law.yml", append("questions:\n  - id: only-one\n"),
         r"quizzes/law\.yml:\d+: the key 'questions' appears twice \(first at line 7\)" + FIX_DUP),
    Case("dup-key-config", "_config.yml", append('title: "Another title"\n'),
         r"_config\.yml:\d+: the key 'title' appears twice \(first at line \d+\)" + FIX_DUP),
    Case("dup-key-toc", "_toc.yml", append("root: pages/start\n"),
         r"_toc\.yml:\d+: the key 'root' appears twice \(first at line \d+\)" + FIX_DUP),
    Case("dup-key-roles", "pages/roles.yml", after(r"^    why: You see who", "    why: Twice."),
         r"pages/roles\.yml:\d+: the key 'why' appears twice \(first at line \d+\)" + FIX_DUP),
    Case("dup-key-config-build", "_config.yml", append('title: "Another title"\n'),
         r"_config\.yml:\d+: the key 'title' appears twice" + r".*" + FIX_DUP, args=("build", "--quiet")),
    # 3. the day a fact was checked: not after the build's today, and a real day
    Case("checked-future", "facts.yml", sub("checked: 2026-11-28", "checked: 2026-12-02"),
         r"facts\.yml:\d+: fact 'law-2008': 'checked' is 2026-12-02, after today \(2026-12-01\); "
         r"write the day you checked it, not later than today$", env={"SOURCE_DATE_EPOCH": DAY}),
    # A fact checked today is accepted; what plain Jupyter shows of it is then out of date.
    Case("checked-today-ok", "facts.yml", sub("checked: 2026-11-28", "checked: 2026-12-01"),
         r"modules/01-law\.ipynb:cell \d+: the text plain Jupyter shows .* out of date \(also .*pages/final-check\.ipynb\); "
         r"run `python -m book notebooks --text-only`$", env={"SOURCE_DATE_EPOCH": DAY}),
    Case("checked-impossible", "facts.yml", sub("checked: 2026-11-28", "checked: 2026-02-30"),
         r"facts\.yml:\d+: fact 'law-2008': 'checked' 2026-02-30 is not a real day; "
         r"write the day you checked it as YYYY-MM-DD$"),
    Case("checked-not-a-day", "facts.yml", sub("checked: 2026-11-28", "checked: last week"),
         r"facts\.yml:\d+: fact 'law-2008': 'checked' is not a day like 2026-11-28; "
         r"write the day you checked it as YYYY-MM-DD$"),
    # 4. billion laughs in every kind of YAML file the project reads
    Case("alias-bomb-bank", "quizzes/law.yml", append(BOMB), r"quizzes/law\.yml:\d+: " + ALIAS),
    Case("alias-bomb-facts", "facts.yml", append(BOMB), r"facts\.yml:\d+: " + ALIAS),
    Case("alias-bomb-config", "_config.yml", append(BOMB), r"_config\.yml:\d+: " + ALIAS),
    Case("alias-bomb-toc", "_toc.yml", append(BOMB), r"_toc\.yml:\d+: " + ALIAS),
    Case("alias-bomb-roles", "pages/roles.yml", append(BOMB), r"pages/roles\.yml:\d+: " + ALIAS),
    # 6. what used to be a traceback
    Case("conflict-notebook-validate", "modules/01-law.ipynb", conflict,
         r"modules/01-law\.ipynb:\d+: an unresolved merge conflict \('<<<<<<<'\); keep the right version"),
    Case("conflict-notebook-readability", "modules/01-law.ipynb", conflict,
         r"modules/01-law\.ipynb:\d+: an unresolved merge conflict", args=("readability",)),
    Case("conflict-notebook-workshop", "modules/01-law.ipynb", conflict,
         r"modules/01-law\.ipynb:\d+: an unresolved merge conflict", args=("workshop", "--out", "pack")),
    Case("broken-json-notebook", "pages/final-check.ipynb", sub('"cells": [', '"cells": [,'),
         r"pages/final-check\.ipynb:\d+: not valid JSON \(Expecting value\); fix the JSON on that line"),
    Case("bank-is-a-folder", "quizzes/law.yml", FOLDER,
         r"quizzes/law\.yml: this is a folder, not a file; rename the folder, then restore the file"),
    Case("facts-is-a-folder", "facts.yml", FOLDER,
         r"facts\.yml: this is a folder, not a file; rename the folder, then restore the file"),
    Case("deep-yaml-bank", "quizzes/law.yml", sub("\ntitle: 1. The law\n", f"\ntitle: {deep_yaml(990)}\n"),
         r"quizzes/law\.yml:6: Input should be a valid string"),
    Case("deep-yaml-toc", "_toc.yml", append(f"deep: {deep_yaml(990).replace('law-2008', '{file: nope}')}\n"),
         r"_toc\.yml:\d+: entry 'nope' has no file nope\.ipynb or nope\.md; create the file or remove the entry"),
    Case("deeper-yaml-toc", "_toc.yml", append(f"deep: {deep_yaml(5000)}\n"),
         r"_toc\.yml:\d+: YAML syntax error: exceeded maximum nesting depth"),
    Case("deep-json-notebook", "modules/02-health.ipynb", deep_json(975),
         r"modules/02-health\.ipynb:\d+: brackets nest more than 100 levels deep"),
    # 10. bytes that are not text, and phone numbers with runs of spaces
    Case("bank-not-utf8", "quizzes/law.yml", raw("Question bank for", b"Question b\xe9nk for"),
         r"quizzes/law\.yml:1: not UTF-8 text \(byte 0xe9\); save the file as UTF-8"),
    Case("bank-nul", "quizzes/law.yml", raw("Question bank for", b"Question bank\x00 for"),
         r"quizzes/law\.yml:1: a NUL character \(a zero byte\) in the text; delete it"),
    Case("bank-control-char", "quizzes/law.yml", raw("Question bank for", b"Question bank\x07 for"),
         r"quizzes/law\.yml:1: a control character \(code 0x07\); delete it"),
    Case("facts-not-utf8", "facts.yml", raw("ChildSafe hotline of", b"ChildSafe hotline \xff of"),
         r"facts\.yml:\d+: not UTF-8 text \(byte 0xff\)"),
    Case("notebook-not-utf8", "modules/03-trafficking.ipynb", raw('"cells"', b'"c\xe9lls"'),
         r"modules/03-trafficking\.ipynb:2: not UTF-8 text \(byte 0xe9\)"),
    Case("page-nul", "pages/intro.md", raw("\n", b"\n\x00"),
         r"pages/intro\.md:2: a NUL character"),
    Case("phone-double-space", "facts.yml", sub('"012 311 112"', '"012  311 112"'),
         r"facts\.yml:\d+: fact 'childsafe-hotline': a phone is 3 to 17 digits with single spaces "
         r"between groups; write it like '012 311 112'$"),
    Case("phone-trailing-space", "facts.yml", sub('"012 311 112"', '"012 311 112 "'),
         r"facts\.yml:\d+: fact 'childsafe-hotline': a phone is 3 to 17 digits"),
]


def _tree(root: Path) -> dict[str, str]:
    """Every file under root (and every folder, as ''), with a hash of its bytes."""
    out = {}
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        rel = str(path.relative_to(root))
        out[rel] = "" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _damage(project: Path, case: Case) -> None:
    path = project / case.file
    content = case.content
    if content is FOLDER:
        path.unlink()
        path.mkdir()
        return
    if callable(content):
        content = content(path.read_text(encoding="utf-8"))
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(tmp_path: Path, case: Case):
    project = copy_project(tmp_path / "project")
    old_book = project / "_build" / "html" / "index.html"      # the book a failed build must leave alone
    old_book.parent.mkdir(parents=True)
    old_book.write_text("<p>the previous book</p>\n")
    _damage(project, case)
    before = _tree(project)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | case.env
    proc = book_command(case.args, project, env, prepare=_limits)
    assert proc.returncode == case.code, (
        f"exit {proc.returncode} (expected {case.code}; a negative code is a resource limit's signal)\n"
        f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-3000:]
    if case.code == 0:
        assert re.search(case.message, proc.stdout, re.M), proc.stdout
    else:
        lines = proc.stderr.splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{proc.stderr[-3000:]}"
        assert re.match(r"error: .+?: .+; .+$", lines[0]), f"not 'error: file:place: problem; fix': {lines[0]}"
        assert re.search(case.message, lines[0]), f"{lines[0]!r} does not match {case.message!r}"
    assert _tree(project) == before, "the command changed, added or removed files"


# ------------------------------------------------------------------ hostile text that is valid

# Text a bank may hold that looks like the book's own machinery; the page must
# show it as typed. (bank text, what a reader sees, how many facts are cited)
TEXT = [
    ("FACTMARK0X comes before {fact}`law-2008`", "FACTMARK0X comes before Cambodia's main law", 1),
    ("{fact}`law-2008` then FACTMARK1X and FACTMARK0X", "made in 2008. (confirmed, checked 28 Nov 2026) then "
                                                        "FACTMARK1X and FACTMARK0X", 1),
    ("Write \\{fact}`law-2008` to cite a fact", "Write {fact}law-2008 to cite a fact", 0),
]


@pytest.mark.parametrize("text, seen, cited", TEXT, ids=["marker-before", "markers-after", "escaped-role"])
def test_hostile_text_is_shown_as_typed(tmp_path: Path, text: str, seen: str, cited: int):
    """Rendered as the quiz page renders it (book.quiz_html)."""
    import html as html_mod

    from book.data import banks
    from book.render import quiz_html
    bank = tmp_path / "t.yml"
    bank.write_text(f"""id: t
title: T
questions:
  - id: q
    type: true-false
    prompt: '{text.replace("'", "''")}'
    options:
      - {{text: 'True', correct: true, feedback: Yes.}}
      - {{text: 'False', correct: false, feedback: No.}}
    tags: {{module: law, roles: [guide], difficulty: easy}}
""", encoding="utf-8")
    page = quiz_html.render(banks.load(bank))
    prompt = re.search(r'<legend class="kq-prompt">(.*?)</legend>', page, re.S).group(1)
    visible = " ".join(html_mod.unescape(re.sub(r"<[^>]+>", "", prompt)).split())
    assert seen in visible, visible
    assert prompt.count('data-fact="law-2008"') == cited, prompt
