"""The project root is injectable: a tiny project (one module, its bank, the
fact registry) in a temporary folder is validated and its quiz rendered in
this process, with nothing read from the real project."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT

from book.data import paths
from book.data.config import settings
from book.quiz import show
from book.validate import check_all

TINY_TITLE = "A tiny test book"
TINY_BANK_TITLE = "The law, in a tiny project"


def tiny_project(dest: Path) -> Path:
    (dest / "modules").mkdir(parents=True)
    (dest / "quizzes").mkdir()
    (dest / "pages").mkdir()
    shutil.copy(ROOT / "facts.yml", dest / "facts.yml")
    shutil.copytree(ROOT / "locale" / "en", dest / "locale" / "en")  # the interface strings
    shutil.copy(ROOT / "modules" / "01-law.ipynb", dest / "modules" / "01-law.ipynb")
    bank = (ROOT / "quizzes" / "law.yml").read_text(encoding="utf-8")
    assert "\ntitle: 1. The law\n" in bank
    (dest / "quizzes" / "law.yml").write_text(bank.replace("\ntitle: 1. The law\n", f"\ntitle: {TINY_BANK_TITLE}\n"),
                                              encoding="utf-8")
    (dest / "_config.yml").write_text(f"title: {TINY_TITLE}\nlanguage: en\npass_mark: 0.5\n", encoding="utf-8")
    (dest / "_toc.yml").write_text("format: jb-book\nroot: modules/01-law\n", encoding="utf-8")
    (dest / "pages" / "roles.yml").write_text(
        "roles:\n  - id: driver\n    title: Drivers\n    why: You take people places.\n"
        "    modules: [law]\n    scenarios:\n      - {module: law, scenario: 1}\n", encoding="utf-8")
    return dest


def test_a_tiny_project_is_validated_and_its_quiz_rendered_in_process(tmp_path):
    project = tiny_project(tmp_path / "tiny")
    with paths.using(project) as current:
        assert current.root == project.resolve()
        assert paths.project().quizzes == project.resolve() / "quizzes"
        assert settings().title == TINY_TITLE and settings().pass_mark == 0.5
        assert check_all() == []
        html = show("law").html
        assert TINY_BANK_TITLE in html
        assert 'class="kq-quiz"' in html
    # Back on the real project afterwards.
    assert paths.project().root == ROOT
    assert settings().title != TINY_TITLE
    assert TINY_BANK_TITLE not in show("law").html


def test_a_problem_in_the_tiny_project_names_its_file(tmp_path):
    project = tiny_project(tmp_path / "tiny")
    (project / "_toc.yml").write_text("format: jb-book\nroot: modules/02-missing\n", encoding="utf-8")
    with paths.using(project):
        problems = check_all()
    assert [str(p) for p in problems] == [
        "_toc.yml:2: entry 'modules/02-missing' has no file modules/02-missing.ipynb or modules/02-missing.md; "
        "create the file or remove the entry"], problems


def test_schema_command_prints_the_models_fields():
    """`python -m book schema` (docs/architecture.md) prints each model's fields."""
    from click.testing import CliRunner

    from book.cli import cli
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    for line in ("Bank:", "  feedback: str (required)", "  checked: date (required)",
                 "  type: 'single' | 'multiple' | 'true-false' | 'scenario' (required)"):
        assert any(shown.startswith(line) for shown in result.output.splitlines()), line
