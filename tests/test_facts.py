"""The fact registry: status and date shown, 'confirm before use' when due,
and a fact without a source or a citation of an unknown id is refused."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from conftest import book_command, copy_project

from book.data import facts
from book.data.schema import Fact
from book.render.markup import render_fact


def make(status="confirmed", checked=dt.date(2026, 11, 28)) -> Fact:
    return Fact(id="x", kind="figure", text="A figure.", source="somewhere", checked=checked, status=status)


def test_fresh_confirmed_fact_needs_no_confirmation():
    assert not facts.needs_confirmation(make(), on=dt.date(2027, 6, 1))


def test_fact_older_than_a_year_is_marked():
    html = render_fact(make(), on=dt.date(2027, 11, 29))
    assert "confirm before use" in html and "fact-confirm" in html


def test_unverified_fact_is_always_marked():
    html = render_fact(make(status="unverified"), on=dt.date(2026, 11, 28))
    assert "unverified" in html and "confirm before use" in html


def test_status_and_date_are_visible():
    html = render_fact(make(status="reported"), on=dt.date(2026, 12, 1))
    assert "reported, checked 28 Nov 2026" in html


def test_source_date_epoch_sets_the_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830297600")  # 2028-01-01
    assert facts.today() == dt.date(2028, 1, 1)


def _project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def _validate(project: Path) -> subprocess.CompletedProcess:
    return book_command(["validate"], project)


def test_fact_without_source_fails_validation(tmp_path):
    project = _project(tmp_path)
    reg = project / "facts.yml"
    reg.write_text(reg.read_text().replace("    source: en.wikipedia.org/wiki/Prostitution_in_Cambodia\n", "", 1))
    proc = _validate(project)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "facts.yml:" in proc.stderr and "fact 'law-2008'" in proc.stderr and "'source' is missing" in proc.stderr


def test_unknown_fact_cited_in_a_page_fails_validation(tmp_path):
    project = _project(tmp_path)
    page = project / "pages" / "intro.md"
    page.write_text(page.read_text() + "\nSee {fact}`no-such-fact`.\n")
    proc = _validate(project)
    assert proc.returncode == 2
    assert "pages/intro.md:" in proc.stderr and "unknown fact id 'no-such-fact'" in proc.stderr


def test_malformed_config_fails_validation(tmp_path):
    project = _project(tmp_path)
    (project / "_config.yml").write_text("title: [unclosed\n")
    proc = _validate(project)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: _config.yml:")


def test_duplicate_fact_id_is_refused(tmp_path):
    project = _project(tmp_path)
    reg = project / "facts.yml"
    text = reg.read_text()
    reg.write_text(text.replace("  - id: law-exchange-not-crime", "  - id: law-2008", 1))
    proc = _validate(project)
    assert proc.returncode == 2 and "fact id 'law-2008' is used twice" in proc.stderr
