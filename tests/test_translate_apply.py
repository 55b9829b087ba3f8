"""Data in the page language (book/translate/apply.py), in a tiny project with
fixture catalogues: a translated bank keeps its ids, option order and
correct flags, so the same choices get the same verdicts and score; drafts
are used, an empty or out-of-date translation falls back to English; facts
keep their numbers, statuses and dates; role paths are translated."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from conftest import ROOT
from test_project import tiny_project

from book.data import banks, facts, journey, paths
from book.data.scoring import judge
from book.render.i18n import LANG_VARIABLE, catalogue, language
from book.translate import apply, data_messages

KM = "\u1781"   # a Khmer letter: marks a fixture translation


def write_catalogue(project: Path, domain: str, messages, translate, fuzzy=lambda m: True) -> None:
    """locale/km/LC_MESSAGES/<domain>.po with msgstr = translate(message) ("" for none)."""
    cat = Catalog(locale="km")
    for m in messages:
        cat.add(m.text, translate(m), context=m.context, flags=["fuzzy"] if fuzzy(m) else [])
    path = project / "locale" / "km" / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, cat)


def km(text: str) -> str:
    return f"{KM} {text}"


def with_catalogues(folder: Path):
    """A tiny project with fixture Khmer catalogues for the law bank (feedback
    as drafts, one message empty, one translated from English that has since
    changed), the facts and the role paths (all drafts)."""
    tiny_project(folder)
    with paths.using(folder):
        bank = banks.load_authored(banks.bank_path("law"))
        messages = list(data_messages.bank_messages(bank))
        empty = messages[3].context           # left untranslated
        stale = messages[4].context           # translated from English that has since changed
        def translate(m):
            return "" if m.context == empty else km(m.text)
        write_catalogue(folder, "quizzes/law", [m._replace(text=m.text + " (old)") if m.context == stale else m
                                                for m in messages], translate,
                        fuzzy=lambda m: m.context.endswith(".feedback"))
        write_catalogue(folder, "facts", data_messages.fact_messages(), lambda m: km(m.text))
        write_catalogue(folder, "roles", data_messages.role_messages(), lambda m: km(m.text))
    return folder, messages, empty, stale


@pytest.fixture
def project(tmp_path):
    return with_catalogues(tmp_path / "tiny")


def _texts(bank):
    return [(q.id, t) for q in bank.questions for t in [q.situation, q.prompt, q.explanation,
                                                        *[x for o in q.options for x in (o.text, o.feedback)]] if t]


def test_a_khmer_bank_keeps_ids_order_flags_and_verdicts(project):
    folder, messages, empty, stale = project
    with paths.using(folder):
        english = banks.load_id("law")
        khmer = apply.bank("law", "km")
        assert [q.id for q in khmer.questions] == [q.id for q in english.questions]
        assert khmer.title == km(english.title)
        for en_q, km_q in zip(english.questions, khmer.questions):
            assert [o.correct for o in km_q.options] == [o.correct for o in en_q.options], en_q.id
            # Option by option, the Khmer one is the translation of the English one at the same place.
            for en_o, km_o in zip(en_q.options, km_q.options):
                assert km_o.text in (km(en_o.text), en_o.text), (en_q.id, km_o.text)
            for choice in [{i} for i in range(len(en_q.options))] + [{0, 1}, set()]:
                assert judge(km_q, choice) == judge(en_q, choice), (en_q.id, choice)
        translated = [t for _q, t in _texts(khmer) if t.startswith(KM)]
        english_left = [t for _q, t in _texts(khmer) if not t.startswith(KM)]
        by_context = {m.context: m.text for m in messages}
        # Drafts (the fuzzy feedback) are used; the empty and the out-of-date message fall back.
        assert len(english_left) == 2, english_left
        assert set(english_left) == {by_context[empty], by_context[stale]}
        assert any(t == km(by_context[c]) for c in by_context if c.endswith(".feedback") for t in translated)


def test_true_false_options_keep_true_then_false(project):
    folder, *_ = project
    with paths.using(folder):
        english, khmer = banks.load_id("law"), apply.bank("law", "km")
        tf = [(e, k) for e, k in zip(english.questions, khmer.questions) if e.type == "true-false"]
        assert tf, "the law bank has no true/false question"
        for e, k in tf:
            assert [o.text for o in e.options] == ["True", "False"]
            assert [o.text for o in k.options] == [km("True"), km("False")]
            assert [o.correct for o in k.options] == [o.correct for o in e.options]


def test_english_is_unchanged_and_the_language_comes_from_the_environment(project, monkeypatch):
    folder, *_ = project
    with paths.using(folder):
        monkeypatch.delenv(LANG_VARIABLE, raising=False)
        assert language() == "en"
        assert apply.bank("law") == banks.load_id("law")
        assert apply.registry() is facts.load()
        monkeypatch.setenv(LANG_VARIABLE, "km")
        assert language() == "km"
        assert apply.bank("law").title.startswith(KM)


def test_facts_keep_numbers_statuses_and_dates(project):
    folder, *_ = project
    with paths.using(folder):
        english = facts.load()
        khmer = apply.registry("km")
        assert [f.id for f in khmer] == [f.id for f in english]
        for en_f in english:
            km_f = khmer[en_f.id]
            assert (km_f.phone, km_f.status, km_f.checked, km_f.serves, km_f.kind) == \
                   (en_f.phone, en_f.status, en_f.checked, en_f.serves, en_f.kind)
            assert km_f.source == km(en_f.source)           # a source's words are translated too
            assert km_f.text == km(en_f.text)
            assert km_f.name == (km(en_f.name) if en_f.name else None)
            assert apply.fact(km_f, "km") == km_f      # translating twice changes nothing
        assert apply.registry("km") is khmer           # made once while nothing changes


def test_role_paths_are_translated(project):
    folder, *_ = project
    with paths.using(folder):
        english = journey.load_roles()
        khmer = apply.roles(english, "km")
        assert [(r.id, r.modules, r.scenarios) for r in khmer.roles] == \
               [(r.id, r.modules, r.scenarios) for r in english.roles]
        assert all(r.title.startswith(KM) and r.why.startswith(KM) for r in khmer.roles)


def test_interface_strings_use_drafts_and_fall_back_to_english(tmp_path):
    """book.po: a draft translation is used; an empty one, or none, is English."""
    folder = tiny_project(tmp_path / "tiny")
    shutil.copytree(ROOT / "locale" / "en", folder / "locale" / "en", dirs_exist_ok=True)
    english = {m.id: m.string for m in read_po((folder / "locale/en/LC_MESSAGES/book.po").open("rb")) if m.id}
    keys = ["quiz.check", "quiz.correct", "quiz.why"]
    write_catalogue(folder, "book", [data_messages.Message(None, k) for k in keys],
                    lambda m: "" if m.text == "quiz.why" else km(english[m.text]),
                    fuzzy=lambda m: m.text == "quiz.check")
    with paths.using(folder):     # the catalogue is read per project and file version: no cache to clear
        table = catalogue("km")
        assert table["quiz.check"] == km(english["quiz.check"])        # a draft: used
        assert table["quiz.correct"] == km(english["quiz.correct"])    # reviewed
        assert table["quiz.why"] == english["quiz.why"]                # empty: English
        assert table["quiz.clear"] == english["quiz.clear"]            # absent: English
