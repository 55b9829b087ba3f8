"""The validator: every broken bank gets one line naming file, place and fix; exit 2."""
from __future__ import annotations

import gc
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, book_command, copy_project

from book.data import banks
from book.data.errors import BookError

GOOD = textwrap.dedent("""\
    id: {id}
    title: A test bank
    questions:
      - id: q-one
        type: single
        prompt: Which one?
        options:
          - text: This one
            correct: true
            feedback: Yes, because it is.
          - text: That one
            correct: false
            feedback: No, because it is not.
        facts: [law-2008]
        tags: {{module: law, roles: [receptionist], difficulty: easy, objective: 1}}
    """)

BROKEN = {
    "bad-yaml": (GOOD.replace("prompt: Which one?", "prompt: [Which one?"), ":", "YAML syntax error"),
    "missing-feedback": (GOOD.replace("        feedback: No, because it is not.\n", ""),
                         ":", "'feedback' is missing"),
    "no-correct": (GOOD.replace("correct: true", "correct: false"), ":", "no option is marked 'correct: true'"),
    "two-correct": (GOOD.replace("correct: false", "correct: true"), ":", "a single question has one correct option but 2"),
    "duplicate-ids": (GOOD + GOOD.split("questions:\n", 1)[1], ":", "question id 'q-one' is used twice"),
    "unknown-fact": (GOOD.replace("[law-2008]", "[no-such-fact]"), ":", "unknown fact id 'no-such-fact'"),
    "unknown-field": (GOOD.replace("    prompt:", "    promt: x\n    prompt:"), ":", "unknown field 'promt'"),
    "html-in-text": (GOOD.replace("Which one?", "Which <script>alert(1)</script> one?"), ":", "raw HTML or script is not allowed"),
    "onerror-in-text": (GOOD.replace("This one", "This <img src=x onerror=alert(1)>"), ":", "raw HTML or script is not allowed"),
    "yes-as-text": (GOOD.replace("feedback: Yes, because it is.", "feedback: yes"), ":", "put it in quotes"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_bank_message(tmp_path: Path, name: str):
    text, _sep, expected = BROKEN[name]
    path = tmp_path / f"{name}.yml"
    path.write_text(text.format(id=name), encoding="utf-8")
    with pytest.raises(BookError) as info:
        banks.load(path)
    lines = str(info.value).splitlines()
    assert lines and any(expected in line for line in lines), lines
    for line in lines:
        assert line.startswith(f"{path}:"), f"the line does not start with the file: {line}"
        assert "; " in line, f"no fix given: {line}"
        if name != "bad-yaml":
            assert "Traceback" not in line


def test_good_bank_passes(tmp_path: Path):
    path = tmp_path / "good.yml"
    path.write_text(GOOD.format(id="good"))
    bank = banks.load(path)
    assert bank.questions[0].id == "q-one"


def test_error_names_the_line_and_question(tmp_path: Path):
    path = tmp_path / "lines.yml"
    path.write_text(GOOD.format(id="lines").replace("        feedback: No, because it is not.\n", ""))
    with pytest.raises(BookError) as info:
        banks.load(path)
    (line,) = str(info.value).splitlines()
    assert ":11:" in line and "question 'q-one'" in line and "option 2" in line, line


def test_duplicate_and_unknown_fact_name_the_question_line(tmp_path: Path):
    path = tmp_path / "dups.yml"
    second = GOOD.split("questions:\n", 1)[1].replace("[law-2008]", "[no-such-fact]")
    path.write_text(GOOD.format(id="dups") + second.format(id="dups"))
    with pytest.raises(BookError) as info:
        banks.load(path)
    lines = str(info.value).splitlines()
    assert any(":16:" in line and "used twice" in line for line in lines), lines
    assert any(":16:" in line and "unknown fact id 'no-such-fact'" in line for line in lines), lines


TF = textwrap.dedent("""\
    id: {id}
    title: A test bank
    questions:
      - id: q-tf
        type: true-false
        prompt: Kampot has its own law.
        options:
          - text: 'False'
            correct: true
            feedback: Right, it does not.
          - text: 'True'
            correct: false
            feedback: No, the national law applies.
        tags: {{module: law, roles: [receptionist], difficulty: easy, objective: 1}}
    """)


def _exam(points: list[str | None]) -> str:
    """An exam bank with one single-answer question per entry of `points`."""
    out = ["id: {id}", "title: An exam", "exam: true", "questions:"]
    for n, point in enumerate(points, 1):
        tag = f", point: {point}" if point else ""
        out += [f"  - id: q-{n}", "    type: single", f"    prompt: Question {n}?", "    options:",
                "      - {{text: Call the line, correct: true, feedback: Right.}}",
                "      - {{text: Wait and see, correct: false, feedback: Not so.}}",
                f"    tags: {{{{module: law, roles: [driver], difficulty: easy{tag}}}}}"]
    return "\n".join(out) + "\n"


def test_true_false_options_are_true_and_false(tmp_path: Path):
    path = tmp_path / "tf.yml"
    path.write_text(TF.format(id="tf").replace("text: 'True'", "text: 'Yes'"))
    with pytest.raises(BookError) as info:
        banks.load(path)
    (line,) = str(info.value).splitlines()
    assert ":4:" in line and "question 'q-tf'" in line and "'True' and 'False'" in line, line


def test_exam_bank_with_variants_loads(tmp_path: Path):
    path = tmp_path / "exam.yml"
    path.write_text(_exam(["law-a", "law-a", "law-b", "law-b", "law-b"]).format(id="exam"))
    bank = banks.load(path)
    assert bank.exam and [q.tags.point for q in bank.questions][:2] == ["law-a", "law-a"]
    assert bank.draw_weights() == {"q-1": 0.5, "q-2": 0.5, "q-3": 1 / 3, "q-4": 1 / 3, "q-5": 1 / 3}
    assert bank.attempt_size() == 2


def test_point_is_allowed_outside_an_exam(tmp_path: Path):
    path = tmp_path / "plain.yml"
    path.write_text(GOOD.format(id="plain").replace("objective: 1}", "objective: 1, point: main-law}"))
    bank = banks.load(path)
    assert not bank.exam and bank.questions[0].tags.point == "main-law"
    assert bank.draw_weights() == {"q-one": 1.0}
    assert bank.attempt_size() == 1


@pytest.mark.parametrize("points, place, expected", [
    (["law-a", None, "law-a"], ":18:", "question 'q-2' has no learning point, but the bank is an exam"),
    (["law-a", "law-a", "law-b"], ":25:", "question 'q-3': point 'law-b' has only one question"),
])
def test_exam_bank_needs_points_and_variants(tmp_path: Path, points, place, expected):
    path = tmp_path / "exam.yml"
    path.write_text(_exam(points).format(id="exam"))
    with pytest.raises(BookError) as info:
        banks.load(path)
    (line,) = str(info.value).splitlines()
    assert line.startswith(f"{path}:"), line
    assert place in line and expected in line and "; " in line, line


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_restores_the_cycle_collector(tmp_path: Path, enabled: bool):
    """Loading pauses the collector for speed; it must give it back as it was,
    after a good bank and after a broken one."""
    good, bad = tmp_path / "good.yml", tmp_path / "bad.yml"
    good.write_text(GOOD.format(id="good"))
    bad.write_text(BROKEN["no-correct"][0].format(id="bad"))
    (gc.enable if enabled else gc.disable)()
    try:
        banks.load(good)
        assert gc.isenabled() is enabled
        with pytest.raises(BookError):
            banks.load(bad)
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_cli_validate_exit_code_and_lines(tmp_path: Path):
    """The command line: one line per problem, exit 2, no traceback."""
    project = copy_project(tmp_path / "p")
    (project / "quizzes" / "zz-broken.yml").write_text(
        GOOD.format(id="zz-broken").replace("correct: true", "correct: false").replace("[law-2008]", "[nope]"))
    proc = book_command(["validate"], project)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: quizzes/zz-broken.yml:"), lines


def test_cli_validate_ok_on_the_real_book():
    """The real entry point, `python -m book validate`, in a new interpreter."""
    proc = subprocess.run([sys.executable, "-m", "book", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# ------------------------------------------------------------------ book/data/yamlfile.py

YAML_REFUSED = {
    # name: (file text or bytes, the exact message after "<file>:")
    "key-twice": ("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n", "5: the key 'c' appears twice (first at line 3); keep one"),
    "key-twice-spelt-two-ways": ("yes: 1\ntrue: 2\n", "2: the key 'true' appears twice (first at line 1); keep one"),
    "key-twice-in-a-list-item": ("- {a: 1, a: 2}\n", "1: the key 'a' appears twice (first at line 1); keep one"),
    "alias": ("a: &x [1, 2]\nb:\n  - 3\n  - *x\n",
              "4: the alias '*x' repeats the value anchored at line 1; write the value out in full "
              "(the book's YAML files use no anchors or aliases)"),
    "scalar-alias": ("a: &name Sok\nb: *name\n", "2: the alias '*name' repeats the value anchored at line 1"),
    "not-utf8": (b"a: 1\nb: caf\xe9\n", "2: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    "nul": ("a: 1\n\nb: x\x00\n", "3: a NUL character (a zero byte) in the text; delete it"),
    "control-char-after-khmer": ("a: \u1780\u17d2\u1798\u17c2\u179a\nb: \x1b\n",
                                 "2: a control character (code 0x1b); delete it"),
    "merge-conflict": ("a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> theirs\n",
                       "2: an unresolved merge conflict ('<<<<<<<'); keep the right version"),
}


@pytest.mark.parametrize("name", sorted(YAML_REFUSED))
def test_yamlfile_refuses_with_the_line(tmp_path: Path, name: str):
    from book.data import yamlfile
    content, expected = YAML_REFUSED[name]
    path = tmp_path / "x.yml"
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    with pytest.raises(BookError) as info:
        yamlfile.load(path, tmp_path)
    (line,) = str(info.value).splitlines()
    assert line.startswith(f"x.yml:{expected}"), line


def test_yamlfile_keeps_dates_as_text(tmp_path: Path):
    """YAML would raise a bare ValueError for 2026-02-30; as text, the schema
    reports it with its line."""
    from book.data import yamlfile
    path = tmp_path / "d.yml"
    path.write_text("good: 2026-11-28\nbad: 2026-02-30\n")
    data, _lines = yamlfile.load(path)
    assert data == {"good": "2026-11-28", "bad": "2026-02-30"}


def test_yamlfile_reads_every_project_file_as_yaml_does():
    """The checks change nothing in a valid file (dates aside, kept as text)."""
    import yaml

    from book.data import yamlfile
    files = [ROOT / "facts.yml", ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "pages" / "roles.yml",
             *sorted((ROOT / "quizzes").glob("*.yml"))]
    for path in files:
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "facts.yml":
            for fact in expected["facts"]:
                fact["checked"] = fact["checked"].isoformat()
        assert yamlfile.load(path)[0] == expected, path


def test_yamlfile_lines_of_a_999_level_file(tmp_path: Path):
    """libyaml allows 999 levels; finding a line must not recurse that deep."""
    from book.data import yamlfile
    path = tmp_path / "deep.yml"
    path.write_text("".join(" " * i + f"k{i}:\n" for i in range(998)) + " " * 998 + "leaf\n")
    _data, lines = yamlfile.load(path)
    deepest = tuple(f"k{i}" for i in range(998))
    assert yamlfile.line_of(lines, deepest + ("no-such-key",)) == 998


def test_every_yaml_reader_goes_through_yamlfile():
    """One reader, so every file gets the duplicate-key and alias checks."""
    sources = sorted((ROOT / "book").rglob("*.py"))
    assert ROOT / "book" / "data" / "yamlfile.py" in sources
    for path in sources:
        if path != ROOT / "book" / "data" / "yamlfile.py":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(import|from) yaml\b", text, re.M), f"{path.name} reads YAML itself"


def test_a_module_time_line_out_of_line_with_its_bank_is_named(tmp_path):
    """The "**Time:**" sentence's quiz minutes follow the bank (one minute a
    question): the real book agrees, and a copy whose sentence still says 10
    minutes for the 15-question law quiz is refused with the numbers to write."""
    from book import validate
    from book.data import paths
    assert validate.check_time_lines({p: banks.load(p) for p in banks.all_paths()}) == []
    project = copy_project(tmp_path / "p")
    notebook = project / "modules" / "01-law.ipynb"
    text = notebook.read_text(encoding="utf-8")
    assert "minutes to read and 15 minutes for the quiz." in text
    notebook.write_text(text.replace("and 15 minutes for the quiz.", "and 10 minutes for the quiz."), encoding="utf-8")
    with paths.using(project):
        problems = validate.check_time_lines({p: banks.load(p) for p in banks.all_paths()})
    assert [(Path(p.file).parts[-2:], p.place) for p in problems] == [(("modules", "01-law.ipynb"), "**Time:**")]
    assert "15 minutes for the quiz" in problems[0].fix
