"""`python -m book validate` checks every translation catalogue: one line
naming the .po file, its line and the fix for a file that does not parse, a
placeholder, role or link target lost or changed, or a number changed."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_project import tiny_project

from book.cli import cli
from book.data import paths
from book.translate.check import check_catalogues

HEADER = 'msgid ""\nmsgstr ""\n"Language: km\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
ENGLISH = HEADER + textwrap.dedent('''\
    msgid "quiz.intro"
    msgstr "Questions: {count}. Choose your answer."

    msgid "fact.checked"
    msgstr "{status}, checked {date}"
    ''')


def _project(root: Path, files: dict[str, str]) -> Path:
    """A project holding only catalogues: locale/en/LC_MESSAGES/book.po and `files` under locale/km/LC_MESSAGES."""
    (root / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    (root / "locale" / "en" / "LC_MESSAGES" / "book.po").write_text(ENGLISH, encoding="utf-8")
    for name, text in files.items():
        path = root / "locale" / "km" / "LC_MESSAGES" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _lines(root: Path) -> list[str]:
    with paths.using(root):
        return [str(p) for p in check_catalogues()]


def _entry(msgid: str, msgstr: str, context: str | None = None, flags: str = "") -> str:
    ctxt = f'msgctxt "{context}"\n' if context else ""
    flag = f"#, {flags}\n" if flags else ""
    return f'{flag}{ctxt}msgid "{msgid}"\nmsgstr "{msgstr}"\n\n'


# (file, text, expected line): the line names the file, the line and the fix.
BROKEN = {
    "unclosed quote": ("pages/intro.po", HEADER + 'msgid "Hello"\nmsgstr "សួស្តី\n\nmsgid "Two"\nmsgstr ""\n',
                       "locale/km/LC_MESSAGES/pages/intro.po:7: a text is not closed by a double quote, or holds a "
                       "quote not written as \\\"; write each text in double quotes"),
    "unknown keyword": ("pages/intro.po", HEADER + 'msgid "Hello"\nmsgstrr "សួស្តី"\n',
                        "locale/km/LC_MESSAGES/pages/intro.po:7: this line is not a msgid, msgstr or msgctxt line"),
    "stray text": ("facts.po", HEADER + 'msgid "Hello"\nmsgstr "សួស្តី"\nសួស្តី\n',
                   "locale/km/LC_MESSAGES/facts.po:8: this line is not a msgid, msgstr or msgctxt line"),
    "given twice": ("facts.po", HEADER + _entry("Hello", "សួស្តី", "fact.a.text") + _entry("Hello", "ជម្រាបសួរ", "fact.a.text"),
                    "locale/km/LC_MESSAGES/facts.po:11: this message is given twice (first on line 7); keep one of the two entries"),
    "merge conflict": ("facts.po", HEADER + "<<<<<<< HEAD\n" + _entry("Hello", "សួស្តី") + "=======\n>>>>>>> other\n",
                       "locale/km/LC_MESSAGES/facts.po:6: an unresolved merge conflict ('<<<<<<<')"),
    "placeholder dropped": ("book.po", HEADER + _entry("quiz.intro", "សំណួរ។ ជ្រើសចម្លើយ។"),
                            "locale/km/LC_MESSAGES/book.po:6: the translation drops the placeholder {count}; "
                            "keep every {name} of the English exactly as it is"),
    "placeholder renamed": ("book.po", HEADER + _entry("fact.checked", "{status}, ពិនិត្យ {day}"),
                            "locale/km/LC_MESSAGES/book.po:6: the translation drops the placeholder {date} and adds "
                            "the placeholder {day}"),
    "role dropped": ("quizzes/law.po", HEADER + _entry("Right. {fact}`law-2008`", "ត្រូវ។", "q.option-1.feedback"),
                     "locale/km/LC_MESSAGES/quizzes/law.po:7: the translation drops the role {fact}`law-2008`; "
                     "copy each {role}`target` of the English unchanged"),
    "role target changed": ("quizzes/law.po", HEADER + _entry("Right. {fact}`law-2008`", "ត្រូវ។ {fact}`law-2009`", "q.x"),
                            "quizzes/law.po:7: the translation drops the role {fact}`law-2008` and adds the role "
                            "{fact}`law-2009`"),
    "ref target changed": ("pages/intro.po", HEADER + _entry("See {ref}`danger right now <danger-right-now>`.",
                                                            "មើល {ref}`គ្រោះថ្នាក់ <danger-now>`។"),
                           "pages/intro.po:6: the translation drops the role {ref}`<danger-right-now>` and adds the "
                           "role {ref}`<danger-now>`"),
    "link target changed": ("pages/intro.po", HEADER + _entry("See [Who to contact](contacts.md).",
                                                             "មើល [អ្នកទំនាក់ទំនង](contact.md)។"),
                            "pages/intro.po:6: the translation drops the link target contacts.md and adds the link "
                            "target contact.md; keep each link's target"),
    "phone number typed": ("facts.po", HEADER + _entry("Call the child line {fact}`hotline-child`.",
                                                      "ហៅ 012 311 112 {fact}`hotline-child`។", "fact.x.text"),
                           "facts.po:7: the translation adds the numbers 012, 311, 112; write the numbers of the "
                           "English; never type a phone number (it comes from facts.yml through {fact})"),
    "digit changed": ("modules/01-law.po", HEADER + _entry("A person under 18 is a child.", "មនុស្សអាយុក្រោម 16 ជាកុមារ។"),
                      "modules/01-law.po:6: the translation drops the number 18 and adds the number 16"),
    "fuzzy draft checked too": ("modules/01-law.po", HEADER + _entry("Made in 2008.", "ធ្វើឡើងនៅ 2009។", flags="fuzzy"),
                                "modules/01-law.po:7: the translation drops the number 2008 and adds the number 2009"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_catalogue_is_one_line_naming_file_line_and_fix(tmp_path, case):
    name, text, expected = BROKEN[case]
    lines = _lines(_project(tmp_path, {name: text}))
    assert len(lines) == 1, lines
    assert expected in lines[0], lines
    assert lines[0].startswith(f"locale/km/LC_MESSAGES/{name}:") and "; " in lines[0], lines


def test_not_utf8_names_the_line(tmp_path):
    root = _project(tmp_path, {})
    path = root / "locale" / "km" / "LC_MESSAGES" / "roles.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(HEADER.encode() + b'msgid "Drivers"\nmsgstr "\xff"\n')
    assert _lines(root) == ["locale/km/LC_MESSAGES/roles.po:7: not UTF-8 text (byte 0xff); save the file as UTF-8 "
                            "and retype the character on that line"]


GOOD = {
    "book.po": HEADER + _entry("quiz.intro", "សំណួរ៖ {count}។ ជ្រើសចម្លើយ។", flags="fuzzy")
    + _entry("fact.checked", "{status} ពិនិត្យនៅ {date}") + _entry("no.longer.in.english", "{gone}"),
    "quizzes/law.po": HEADER + _entry("Right. {fact}`law-2008`", "ត្រូវ។ {fact}`law-2008`", "q.option-1.feedback")
    + _entry("Not yet translated {fact}`law-2008`", "", "q.option-2.feedback"),
    # A translated title before <target> is the point of {ref}; Khmer digits are the same number.
    "pages/intro.po": HEADER + _entry("See {ref}`danger right now <danger-right-now>` and [Who to contact](contacts.md).",
                                      "មើល {ref}`គ្រោះថ្នាក់ភ្លាមៗ <danger-right-now>` និង [អ្នកត្រូវទាក់ទង](contacts.md)។")
    + _entry("A person under 18 is a child.", "មនុស្សអាយុក្រោម ១៨ ឆ្នាំ ជាកុមារ។"),
    # Outdated: compared with the English it was made from (#| msgid), so an English edit never breaks the build.
    "modules/01-law.po": HEADER + '#, fuzzy\n#| msgid "Made in 2008."\nmsgid "Made in 2008, changed in 2011."\n'
    'msgstr "ធ្វើឡើងនៅ 2008។"\n\n' + '#~ msgid "Obsolete 1999"\n#~ msgstr "ចាស់ 2000"\n',
}


def test_good_catalogues_pass(tmp_path):
    assert _lines(_project(tmp_path, GOOD)) == []


def test_book_po_outdated_translation_is_compared_with_the_english_it_was_made_from(tmp_path):
    text = HEADER + "# English was: Questions: {count}.\n" + _entry("quiz.intro", "សំណួរ៖ {count}។", flags="fuzzy")
    assert _lines(_project(tmp_path, {"book.po": text})) == []
    reviewed = HEADER + "# English was: Questions: {count}.\n" + _entry("quiz.intro", "សំណួរ៖ {n}។")
    assert _lines(_project(tmp_path / "2", {"book.po": reviewed})) == [
        "locale/km/LC_MESSAGES/book.po:7: the translation drops the placeholder {count} and adds the placeholder {n}; "
        "keep every {name} of the English exactly as it is: the book fills it in"]


def test_book_po_is_checked_against_the_english_it_recorded_so_an_english_edit_never_fails(tmp_path):
    """The English of quiz.intro changed ({count} became {total}) and the catalogues were not updated yet:
    validate (which the update command needs) passes, and no build may use the translation."""
    from book.translate import catalogue
    text = HEADER + "#. Questions: {count}. Choose your answer.\n" + _entry("quiz.intro", "សំណួរ៖ {count}។")
    root = _project(tmp_path, {"book.po": text})
    (root / "locale" / "en" / "LC_MESSAGES" / "book.po").write_text(
        ENGLISH.replace("Questions: {count}.", "Questions: {total}."), encoding="utf-8")
    assert _lines(root) == []
    with paths.using(root):
        message = catalogue.read(root / "locale" / "km" / "LC_MESSAGES" / "book.po").get("quiz.intro")
        english = catalogue.english_texts()["quiz.intro"]
    assert not catalogue.usable(message, english)
    assert catalogue.usable(message, "Questions: {count}.  Choose your answer.")
    broken = HEADER + "#. Questions: {count}. Choose your answer.\n" + _entry("quiz.intro", "សំណួរ៖ {n}។")
    assert _lines(_project(tmp_path / "2", {"book.po": broken})) == [
        "locale/km/LC_MESSAGES/book.po:7: the translation drops the placeholder {count} and adds the placeholder {n}; "
        "keep every {name} of the English exactly as it is: the book fills it in"]


def test_validate_command_fails_with_one_line_and_exit_2(tmp_path):
    root = tiny_project(tmp_path / "tiny")
    _project(root, {"pages/intro.po": BROKEN["role dropped"][1].replace("quizzes/law.po", "pages/intro.po")})
    with paths.using(root):
        result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2, result.output
    # (The tiny project's notebook may be reported too: its saved Jupyter text lists the real project's facts.)
    assert [line for line in result.output.splitlines() if "locale/" in line] == [
        "error: locale/km/LC_MESSAGES/pages/intro.po:7: the translation drops the role {fact}`law-2008`; copy each "
        "{role}`target` of the English unchanged (only a title before <target> is translated)"], result.output
    assert all(line.startswith("error: ") for line in result.output.splitlines()), result.output


def test_validate_passes_with_good_catalogues(tmp_path):
    root = tiny_project(tmp_path / "tiny")
    _project(root, GOOD)
    with paths.using(root):
        result = CliRunner().invoke(cli, ["validate"])
    assert "locale/" not in result.output, result.output
