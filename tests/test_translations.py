"""`python -m book translations`: every catalogue brought up to date with the
English without losing a translation, each file written in one step, and the
report of what is translated and reviewed."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from click.testing import CliRunner
from conftest import ROOT
from test_project import tiny_project

from book.cli import cli
from book.data import paths
from book.translate import catalogue
from book.translate.merge import merge, merge_interface


def _catalog(*entries: tuple, lang: str | None = "km") -> Catalog:
    """entries: (msgid, msgstr, context, flags)."""
    cat = Catalog(locale=lang)
    for msgid, string, context, flags in entries:
        cat.add(msgid, string, context=context, flags=flags)
    return cat


def _template(*entries: tuple) -> Catalog:
    return _catalog(*[(msgid, "", context, ()) for msgid, context in entries], lang=None)


def _round_trip(cat: Catalog, tmp_path: Path) -> Catalog:
    """Written and read back, as the next run sees it."""
    path = tmp_path / f"round-{len(list(tmp_path.iterdir()))}.po"
    catalogue.write(path, cat)
    return catalogue.read(path)


# --------------------------------------------------------------------- merge (pages, banks, facts)

def test_unchanged_english_keeps_its_translation_and_its_state(tmp_path):
    old = _catalog(("The law is clear.", "ច្បាប់ច្បាស់។", None, ("fuzzy",)),
                   ("Call a line.", "ហៅខ្សែ។", "q.prompt", ()))
    new = merge(_round_trip(old, tmp_path), _template(("The law is clear.", None), ("Call a line.", "q.prompt")), "km")
    draft, reviewed = new.get("The law is clear."), new.get("Call a line.", "q.prompt")
    assert (draft.string, draft.fuzzy, draft.previous_id) == ("ច្បាប់ច្បាស់។", True, [])
    assert (reviewed.string, reviewed.fuzzy) == ("ហៅខ្សែ។", False)
    assert catalogue.counts(new) == catalogue.Counts(messages=2, translated=2, reviewed=1, outdated=0)


def test_changed_english_keeps_the_old_translation_fuzzy_with_the_english_it_was_made_from(tmp_path):
    old = _catalog(("Call the police at once if a child is in danger.", "ហៅនគរបាលភ្លាម។", None, ()))
    new = merge(_round_trip(old, tmp_path), _template(("Call the child line at once if a child is in danger.", None)), "km")
    message = new.get("Call the child line at once if a child is in danger.")
    assert message.string == "ហៅនគរបាលភ្លាម។" and message.fuzzy
    assert message.previous_id == ["Call the police at once if a child is in danger."]
    assert catalogue.is_outdated(message) and not catalogue.is_translated(message)
    text = catalogue.render(new).decode()
    assert '#, fuzzy\n#| msgid "Call the police at once if a child is in danger."\nmsgid "Call the child line' in text
    # The next run (nothing changed) keeps the English it was made from, until a reviewer clears the flag.
    again = merge(_round_trip(new, tmp_path), _template(("Call the child line at once if a child is in danger.", None)), "km")
    assert again.get("Call the child line at once if a child is in danger.").previous_id == message.previous_id
    assert catalogue.render(again) == catalogue.render(new)
    reviewed = _round_trip(again, tmp_path)
    reviewed.get("Call the child line at once if a child is in danger.").flags.discard("fuzzy")
    cleared = merge(_round_trip(reviewed, tmp_path), _template(("Call the child line at once if a child is in danger.", None)), "km")
    assert cleared.get("Call the child line at once if a child is in danger.").previous_id == []
    assert catalogue.counts(cleared).reviewed == 1


def test_a_bank_message_is_matched_by_its_context_not_by_a_look_alike(tmp_path):
    old = _catalog(("Report it to the child line.", "រាយការណ៍ទៅខ្សែកុមារ។", "q-one.option-1.text", ()),
                   ("Report it to the hotline.", "រាយការណ៍ទៅខ្សែទូរស័ព្ទជំនួយ។", "q-two.option-1.text", ()))
    template = _template(("Report it to the hotline now.", "q-one.option-1.text"),
                         ("Report it to the hotline.", "q-two.option-1.text"))
    new = merge(_round_trip(old, tmp_path), template, "km")
    edited = new.get("Report it to the hotline now.", "q-one.option-1.text")
    assert edited.string == "រាយការណ៍ទៅខ្សែកុមារ។" and edited.fuzzy
    assert edited.previous_id == ["Report it to the child line."]
    assert new.get("Report it to the hotline.", "q-two.option-1.text").string == "រាយការណ៍ទៅខ្សែទូរស័ព្ទជំនួយ។"


def test_a_question_given_a_new_id_keeps_its_translation_as_a_draft(tmp_path):
    old = _catalog(("Call the child line.", "ហៅខ្សែកុមារ។", "q-old.prompt", ()))
    new = merge(_round_trip(old, tmp_path), _template(("Call the child line.", "q-new.prompt")), "km")
    message = new.get("Call the child line.", "q-new.prompt")
    assert message.string == "ហៅខ្សែកុមារ។" and message.fuzzy and not catalogue.is_outdated(message)


def test_removed_messages_keep_their_translation_as_obsolete_and_come_back(tmp_path):
    old = _catalog(("A paragraph that was cut.", "កថាខណ្ឌដែលបានកាត់ចេញ។", None, ("fuzzy",)),
                   ("An untranslated paragraph that was cut.", "", None, ()),
                   ("Stays.", "នៅ។", None, ()))
    new = merge(_round_trip(old, tmp_path), _template(("Stays.", None), ("A brand new paragraph about health.", None)), "km")
    assert [m.id for m in new if m.id] == ["Stays.", "A brand new paragraph about health."]
    assert new.get("A brand new paragraph about health.").string == ""
    assert list(new.obsolete) == ["A paragraph that was cut."]
    assert '#, fuzzy\n#~ msgid "A paragraph that was cut."\n#~ msgstr "កថាខណ្ឌដែលបានកាត់ចេញ។"' in catalogue.render(new).decode()
    assert catalogue.counts(new).messages == 2   # obsolete entries are not counted
    back = merge(_round_trip(new, tmp_path), _template(("Stays.", None), ("A paragraph that was cut.", None)), "km")
    assert back.get("A paragraph that was cut.").string == "កថាខណ្ឌដែលបានកាត់ចេញ។"
    assert back.get("A paragraph that was cut.").fuzzy   # still a draft
    assert not back.obsolete


def test_a_new_catalogue_is_made_for_a_missing_file():
    new = merge(None, _template(("One.", None), ("Two.", "ctx")), "km")
    assert [(m.id, m.string, m.context) for m in new if m.id] == [("One.", "", None), ("Two.", "", "ctx")]
    assert "Language: km" in catalogue.render(new).decode()


# --------------------------------------------------------------------- merge_interface (book.po)

ENGLISH = _catalog(("quiz.check", "Check", None, ()), ("quiz.intro", "Questions: {count}.", None, ()),
                   ("quiz.new", "A new string", None, ()), lang="en")


def test_book_po_has_every_english_key_with_its_english_for_translators(tmp_path):
    old = _catalog(("quiz.check", "ពិនិត្យ", None, ()), ("quiz.removed", "លុប", None, ()),
                   ("quiz.removed-empty", "", None, ()))
    new = merge_interface(_round_trip(old, tmp_path), ENGLISH, "km")
    assert [(m.id, m.string, m.auto_comments) for m in new if m.id] == [
        ("quiz.check", "ពិនិត្យ", ["Check"]), ("quiz.intro", "", ["Questions: {count}."]),
        ("quiz.new", "", ["A new string"])]
    assert list(new.obsolete) == ["quiz.removed"]   # a translation is never lost


def test_book_po_key_whose_english_changed_becomes_fuzzy_keeping_the_english_it_was_made_from(tmp_path):
    first = _round_trip(merge_interface(_catalog(("quiz.check", "ពិនិត្យ", None, ())), ENGLISH, "km"), tmp_path)
    assert not first.get("quiz.check").fuzzy   # no change: a reviewed translation stays reviewed
    changed = _catalog(("quiz.check", "Check my answer", None, ()), lang="en")
    second = merge_interface(first, changed, "km")
    message = second.get("quiz.check")
    assert message.fuzzy and message.string == "ពិនិត្យ" and message.auto_comments == ["Check my answer"]
    assert message.user_comments == ["English was: Check"] and catalogue.is_outdated(message)
    # A second change keeps the English it was first made from.
    third = merge_interface(_round_trip(second, tmp_path), _catalog(("quiz.check", "Check it", None, ()), lang="en"), "km")
    assert third.get("quiz.check").user_comments == ["English was: Check"]
    # The reviewer updates the translation and clears the flag: the note goes.
    reviewed = _round_trip(third, tmp_path)
    reviewed.get("quiz.check").flags.discard("fuzzy")
    fourth = merge_interface(_round_trip(reviewed, tmp_path), _catalog(("quiz.check", "Check it", None, ()), lang="en"), "km")
    assert fourth.get("quiz.check").user_comments == [] and catalogue.counts(fourth).reviewed == 1


# --------------------------------------------------------------------- files written in one step

def test_write_is_atomic_and_skips_an_unchanged_file(tmp_path, monkeypatch):
    path = tmp_path / "x.po"
    cat = _catalog(("One.", "មួយ។", None, ()))
    assert catalogue.write(path, cat) is True
    before = path.read_bytes()
    os.utime(path, (1, 1))
    assert catalogue.write(path, cat) is False and path.stat().st_mtime == 1   # not touched
    cat.get("One.").string = "មួយ (ថ្មី)។"

    def fail(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        catalogue.write(path, cat)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["x.po"]


# --------------------------------------------------------------------- the command on a tiny project

def _project(dest: Path) -> Path:
    """The tiny project (one module, its bank, the registry) with the real config, the English
    interface strings and a Khmer translation in progress."""
    root = tiny_project(dest)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    shutil.copytree(ROOT / "locale" / "en", root / "locale" / "en", dirs_exist_ok=True)
    km = root / "locale" / "km" / "LC_MESSAGES"
    (km / "modules").mkdir(parents=True)
    first = _first_paragraph(root)
    with (km / "modules" / "01-law.po").open("wb") as fh:   # one reviewed paragraph, one that left the page
        from babel.messages.pofile import write_po
        write_po(fh, _catalog((first, "កថាខណ្ឌទីមួយ។", None, ()), ("Gone from the page.", "បាត់។", None, ())), width=0)
    (km / "sphinx.po").write_text('msgid ""\nmsgstr ""\n"Language: km\\n"\n\nmsgid "Search"\nmsgstr "ស្វែងរក"\n',
                                  encoding="utf-8")
    return root


def _notebook(root: Path) -> tuple[Path, dict]:
    path = root / "modules" / "01-law.ipynb"
    return path, json.loads(path.read_text(encoding="utf-8"))


def _first_paragraph(root: Path) -> str:
    _path, nb = _notebook(root)
    text = next(t for t in ("".join(c["source"]) for c in nb["cells"]) if "\n\nThis module explains" in t)
    return text.split("\n\n")[1]


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _run(root: Path, *args: str):
    with paths.using(root):
        return CliRunner().invoke(cli, ["translations", *args])


@pytest.mark.slow
def test_the_command_updates_every_catalogue_and_reports(tmp_path):
    root = _project(tmp_path / "tiny")
    km = root / "locale" / "km" / "LC_MESSAGES"
    result = _run(root)
    assert result.exit_code == 0, result.output
    made = sorted(p.relative_to(km).as_posix() for p in km.rglob("*.po"))
    assert made == ["book.po", "facts.po", "modules/01-law.po", "quizzes/law.po", "roles.po", "sphinx.po"]
    assert (root / "_build" / "gettext" / "_build" / "gettext" / "quizzes" / "law.pot").exists()
    law = catalogue.read(km / "modules" / "01-law.po")
    first = _first_paragraph(root)
    assert law.get(first).string == "កថាខណ្ឌទីមួយ។" and not law.get(first).fuzzy
    assert law.obsolete["Gone from the page."].string == "បាត់។"
    assert not any("Run this cell" in m.id for m in law)   # saved outputs are left out
    bank = catalogue.read(km / "quizzes" / "law.po")
    assert bank.get("A tiny test book") is None and any(m.context == "law.title" for m in bank)
    assert catalogue.read(km / "book.po").get("quiz.intro").auto_comments   # the English, for translators
    assert (km / "sphinx.po").read_text(encoding="utf-8").endswith('msgstr "ស្វែងរក"\n')   # hand-made: untouched
    lines = result.output.splitlines()
    assert "updated locale/km/LC_MESSAGES/quizzes/law.po" in lines
    assert lines[-8].split() == ["km:", "file", "messages", "translated", "reviewed", "outdated"]
    row = {line.split()[1]: line.split()[2:] for line in lines[-7:]}
    assert row["modules/01-law.po"][1:] == [f"{100 / int(row['modules/01-law.po'][0]):.1f}%"] * 2 + ["0"]
    assert row["sphinx.po"] == ["1", "100.0%", "100.0%", "0"]
    assert int(row["total"][0]) == sum(int(r[0]) for name, r in row.items() if name != "total")

    # The English changes: the paragraph's translation is kept, fuzzy, with the English it was made from.
    path, nb = _notebook(root)
    for cell in nb["cells"]:
        cell["source"] = "".join(cell["source"]).replace("This module explains", "This module tells you", 1)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in km.rglob("*.po")}
    result = _run(root, "--lang", "km")
    assert result.exit_code == 0, result.output
    changed = catalogue.read(km / "modules" / "01-law.po").get(first.replace("This module explains", "This module tells you"))
    assert changed.string == "កថាខណ្ឌទីមួយ។" and changed.fuzzy and changed.previous_id == [first]
    assert [line for line in result.output.splitlines() if line.startswith("updated")] == [
        "updated locale/km/LC_MESSAGES/modules/01-law.po"]
    assert {p: p.read_bytes() for p in km.rglob("*.po") if p.name != "01-law.po"} == \
        {p: b for p, b in before.items() if p.name != "01-law.po"}
    assert "km: modules/01-law.po" in result.output and result.output.splitlines()[-1].split()[-1] == "1"  # outdated


def test_report_only_changes_nothing(tmp_path):
    root = _project(tmp_path / "tiny")
    km = root / "locale" / "km" / "LC_MESSAGES"
    before = _files(km)
    result = _run(root, "--report")
    assert result.exit_code == 0, result.output
    assert _files(km) == before
    assert not (root / "_build").exists()
    assert [line.split()[1] for line in result.output.splitlines()] == ["file", "modules/01-law.po", "sphinx.po", "total"]


def test_a_catalogue_that_does_not_parse_stops_the_update_before_anything_is_written(tmp_path):
    root = _project(tmp_path / "tiny")
    km = root / "locale" / "km" / "LC_MESSAGES"
    (km / "facts.po").write_text('msgid "Hello"\nmsgstr "សួស្តី\n', encoding="utf-8")
    before = _files(km)
    result = _run(root)
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith(
        "error: locale/km/LC_MESSAGES/facts.po:2: a text is not closed by a double quote"), result.output
    assert _files(km) == before


def test_an_unknown_language_is_one_line(tmp_path):
    root = _project(tmp_path / "tiny")
    result = _run(root, "--lang", "th", "--report")
    assert result.exit_code == 2
    assert result.output == ("error: locale: no translation 'th' (languages: km); create the folder "
                             "locale/th/LC_MESSAGES to start one, or give one of the languages\n")



@pytest.mark.slow
def test_every_khmer_catalogue_is_complete_and_current(tmp_path):
    """Issue 17: every message a reader sees has a Khmer translation. The
    catalogues are first brought up to date with today's English (in a copy
    of the project), so a message added in English and never translated, or
    one whose English changed since, is found too."""
    from conftest import book_command, copy_project

    from book.translate import catalogue
    project = copy_project(tmp_path / "p")
    proc = book_command(["translations", "--lang", "km"], project)
    assert proc.returncode == 0, proc.stderr[-2000:]
    km = project / "locale" / "km" / "LC_MESSAGES"
    found = {str(path.relative_to(km)): catalogue.counts(catalogue.read(path)) for path in sorted(km.rglob("*.po"))}
    assert len(found) >= 30, found
    gaps = {name: c for name, c in found.items() if c.translated != c.messages or c.outdated}
    assert not gaps, f"Khmer messages not translated or outdated: {gaps}"
