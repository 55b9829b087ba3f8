"""The real book builds cleanly, and bad input stops the build with a clear line."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
from conftest import ROOT, book_command, copy_project


def test_book_builds_with_zero_warnings(built_book: Path):
    """built_book fails on any warning (-W); here: every module notebook ran
    and its page shows the quiz its code cell made, with no error output."""
    assert (built_book / "index.html").exists()
    notebooks = sorted((ROOT / "modules").glob("*.ipynb"))
    assert notebooks
    for notebook in notebooks:
        page = (built_book / "modules" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert 'class="kq-quiz"' in page, f"{notebook.name}: no quiz output (was the notebook executed?)"
        assert "Traceback" not in page and "output stderr" not in page, f"{notebook.name}: error output"


def test_every_toc_page_is_built(built_book: Path):
    import yaml
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    entries = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    for entry in entries:
        assert (built_book / f"{entry}.html").exists(), f"{entry} was not built"


def test_learner_pages_show_no_code(built_book: Path):
    pages = sorted((built_book / "modules").glob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "cell_input" not in text and "from book" not in text, f"{page.name} shows code"


def _build(project: Path) -> subprocess.CompletedProcess:
    return book_command(["build", "--quiet"], project)


def _assert_clean_failure(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: "), last
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


def test_missing_toc_file_fails_clearly(tmp_path: Path):
    project = copy_project(tmp_path / "proj")
    toc = project / "_toc.yml"
    toc.write_text(toc.read_text() + "      - file: modules/99-missing\n")
    proc = _build(project)
    _assert_clean_failure(proc, "_toc.yml:", "modules/99-missing", "create the file or remove the entry")
    assert not (project / "_build" / "html").exists(), "a failed build left a book behind"


def test_raising_notebook_cell_fails_clearly(tmp_path: Path, built_book: Path):
    project = copy_project(tmp_path / "proj", with_cache=True, english_only=True, modules=["01-law"])
    first = sorted((project / "modules").glob("*.ipynb"))[0]
    nb = nbformat.read(first, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('broken on purpose')"))
    nbformat.write(nb, first)
    proc = _build(project)
    _assert_clean_failure(proc, f"modules/{first.name}", "Executing notebook failed")
    assert not (project / "_build" / "html").exists(), "a failed build left a book behind"


def test_broken_bank_stops_build_before_writing(tmp_path: Path):
    project = copy_project(tmp_path / "proj")
    bank = sorted((project / "quizzes").glob("*.yml"))[0]
    bank.write_text(bank.read_text().replace("feedback:", "feedbak:", 1))
    proc = _build(project)
    _assert_clean_failure(proc, f"quizzes/{bank.name}:", "unknown field 'feedbak'")
    assert not (project / "_build").exists(), "the build wrote something before validating"


def test_changed_bank_re_executes_its_notebook(tmp_path: Path, built_book: Path):
    """The execution cache never serves a quiz made from an old bank: jupyter-cache
    alone would, since the notebook's own code did not change. Only the
    notebook that shows the bank runs again, in each language's build (the
    Khmer build's log lines start with "[km] "); the other comes from the
    cache, copied from the real book's build. A small book of two modules:
    the other one, 05-responding, holds the label the modules link to."""
    project = copy_project(tmp_path / "proj", with_cache=True, modules=["01-law", "05-responding"])
    bank = project / "quizzes" / "law.yml"
    import yaml
    text = bank.read_text(encoding="utf-8")
    first = yaml.safe_load(text)["questions"][0]["prompt"]
    start = first[:40]          # a folded prompt's first line holds its start
    assert text.count(start) == 1, start
    marker = "Which law is the main one here (edited)?"
    bank.write_text(text.replace(start, marker + " " + start[:1].lower() + start[1:], 1), encoding="utf-8")
    assert marker not in (ROOT / "_build" / "html" / "modules" / "01-law.html").read_text(encoding="utf-8")
    # Not --quiet: the log names each notebook executed.
    proc = subprocess.run([sys.executable, "-m", "book", "build"], cwd=project,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    executed = re.findall(r"^(\[km\] )?.*?([\w-]+\.ipynb): Executing notebook", proc.stdout, re.M)
    assert sorted(executed) == [("", "01-law.ipynb"), ("[km] ", "01-law.ipynb")], proc.stdout[-3000:]
    page = (project / "_build" / "html" / "modules" / "01-law.html").read_text(encoding="utf-8")
    assert marker in page

