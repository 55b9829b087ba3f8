"""The Khmer glossary (locale/km/glossary.yml): a valid file, every key term
translated the same way in every catalogue, and the terms shown in the book."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lxml import html as lxml_html

from book.data import paths
from book.data.errors import BookError
from book.sphinx import html
from book.translate import glossary
from book.translate.check import check_catalogues

HEADER = 'msgid ""\nmsgstr ""\n"Language: km\\n"\n\n'
GLOSSARY = textwrap.dedent("""\
    terms:
      - en: [sex worker, sex workers]
        km: អ្នកលក់សេវាផ្លូវភេទ
      - en: [sign, signs]
        km: សញ្ញា
      - en: [report, reporting]
        km: រាយការណ៍
        also: [របាយការណ៍]
      - en: [hotline]
        km: ខ្សែទូរស័ព្ទជំនួយ
      - en: [child, children]
        km: កុមារ
    """)


def test_the_real_glossary_is_valid_and_holds_the_key_terms():
    terms = {word for term in glossary.load("km").terms for word in term.en}
    for key in ("sex worker", "trafficking", "exploitation", "consent", "sign", "report", "hotline", "PEP"):
        assert key in terms, key


def test_every_translation_uses_the_glossary_terms():
    """Each message whose English holds a key term, and that is translated,
    holds the Khmer term (or an `also` form) in every locale/km catalogue."""
    found = glossary.inconsistencies("km")
    assert not found, f"{len(found)} translation(s) do not use the glossary's term " \
                      "(fix the translation, or add a form to `also` in locale/km/glossary.yml, or, where the " \
                      "English word means something else, add the comment `# glossary-skip: <term>`):\n" + \
                      "\n".join(str(f) for f in found)


# --------------------------------------------------------------------- the check itself, on fixtures

def _entry(msgid: str, msgstr: str, context: str | None = None, before: str = "") -> str:
    ctxt = f'msgctxt "{context}"\n' if context else ""
    return f'{before}{ctxt}msgid "{msgid}"\nmsgstr "{msgstr}"\n\n'


def _project(root: Path, files: dict[str, str], terms: str = GLOSSARY) -> Path:
    (root / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    (root / "locale" / "en" / "LC_MESSAGES" / "book.po").write_text(
        HEADER + _entry("journey.report", "Report what you saw") + _entry("quiz.check", "Check"), encoding="utf-8")
    (root / "locale" / "km").mkdir()
    (root / "locale" / "km" / "glossary.yml").write_text(terms, encoding="utf-8")
    for name, text in files.items():
        path = root / "locale" / "km" / "LC_MESSAGES" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HEADER + text, encoding="utf-8")
    return root


def _found(root: Path) -> list[str]:
    with paths.using(root):
        return [str(f) for f in glossary.inconsistencies("km")]


def test_a_translation_without_the_term_is_listed_with_file_line_context_and_term(tmp_path):
    root = _project(tmp_path, {
        "quizzes/law.po": _entry("Support sex workers.", "គាំទ្រស្ត្រីរកស៊ី។", "q-one.prompt")
        + _entry("A sign of trafficking.", "សញ្ញានៃការជួញដូរ។", "q-one.option-1.text"),
        "pages/intro.po": _entry("Call the HOTLINE at once.", "ហៅខ្សែជំនួយភ្លាម។"),
        "book.po": _entry("journey.report", "ប្រាប់អ្វីដែលអ្នកបានឃើញ") + _entry("quiz.check", "ពិនិត្យ"),
    })
    assert _found(root) == [
        "locale/km/LC_MESSAGES/book.po:5: msgid 'journey.report': 'report' is not translated as 'រាយការណ៍' or 'របាយការណ៍'",
        "locale/km/LC_MESSAGES/pages/intro.po:5: msgid 'Call the HOTLINE at once.': 'hotline' is not translated as 'ខ្សែទូរស័ព្ទជំនួយ'",
        "locale/km/LC_MESSAGES/quizzes/law.po:6: msgctxt 'q-one.prompt': 'sex worker' is not translated as 'អ្នកលក់សេវាផ្លូវភេទ'",
    ]


def test_what_counts_as_using_the_term(tmp_path):
    root = _project(tmp_path, {
        "pages/intro.po":
            # an `also` form counts
            _entry("Reporting is safe.", "ការធ្វើរបាយការណ៍មានសុវត្ថិភាព។")
            # whole words only: "signed" and "reporter" are other words
            + _entry("She signed the form for the reporter.", "នាងបានចុះហត្ថលេខា។")
            # a term in a role's target or a link target is not text
            + _entry("Call {fact}`hotline-child` or see [the list](hotline.md).", "ហៅ {fact}`hotline-child` ឬមើល [បញ្ជី](hotline.md)។")
            # not translated yet: nothing to check
            + _entry("Signs of trafficking.", "")
            # outdated (the English changed): the translator redoes it anyway
            + _entry("Signs of exploitation.", "ការកេងប្រវ័ញ្ច។", before='#, fuzzy\n#| msgid "Exploitation."\n')
            # the English word means something else here: a translator's comment says so
            + _entry("Sign here.", "ចុះហត្ថលេខានៅទីនេះ។", before="# glossary-skip: sign\n")
            # a name kept as in English
            + _entry("Legal Support for Children and Women (LSCW)", "Legal Support for Children and Women (LSCW)"),
    })
    assert _found(root) == []


def test_glossary_with_a_term_twice_is_refused_with_its_line(tmp_path):
    root = _project(tmp_path, {}, GLOSSARY + "  - en: [Sex  Workers]\n    km: ផ្សេង\n")
    with paths.using(root):
        with pytest.raises(BookError) as info:
            glossary.load("km")
        assert [str(p) for p in check_catalogues()] == [str(info.value)]
    assert str(info.value) == ("locale/km/glossary.yml:13: the English term 'Sex  Workers' is given twice (also in "
                               "entry 1); keep it in one entry; put other Khmer forms under `also`")


def test_glossary_schema_errors_are_one_line_each(tmp_path):
    root = _project(tmp_path, {}, "terms:\n  - en: [consent]\n    kh: ការយល់ព្រម\n")
    with paths.using(root):
        lines = [str(p) for p in check_catalogues()]
    assert lines == ["locale/km/glossary.yml:2: terms item 1: 'km' is missing; add 'km'",
                     "locale/km/glossary.yml:3: terms item 1: unknown field 'kh'; remove 'kh' or correct its spelling"], lines


# --------------------------------------------------------------------- the key terms in the book

def test_key_terms_table_lists_each_english_term_beside_its_khmer_term():
    terms = glossary.load("km").terms
    table = lxml_html.fragment_fromstring(html.render("key-terms", lang="km", terms=terms, english="English",
                                                      language="Khmer"))
    assert [th.text for th in table.iter("th")] == ["English", "Khmer"]
    rows = [[(td.get("lang"), td.text) for td in tr.iter("td")] for tr in table.iter("tr")][1:]
    assert rows == [[("en", t.en[0]), ("km", t.km)] for t in terms]


def test_glossary_page_shows_the_key_terms():
    assert "```{key-terms} km\n```" in (paths.project().pages / "glossary.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_built_glossary_page_has_the_key_terms(built_book):
    page = lxml_html.fromstring((built_book / "pages" / "glossary.html").read_bytes())
    (table,) = page.xpath("//table[@class='kq-key-terms']")
    cells = [td.text_content() for td in table.xpath(".//td[@lang='km']")]
    assert cells == [t.km for t in glossary.load("km").terms]
    assert [th.text_content() for th in table.xpath(".//th")] == ["English", "Khmer"]
