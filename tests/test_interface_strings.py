"""Every word a reader sees that the code writes comes from a catalogue.

In this process, with a throwaway "pseudo" language: every message of the
English interface catalogue (locale/en/LC_MESSAGES/book.po) becomes a marker
⟦key⟧ followed by its placeholders, and every text the code takes from the
data (module notebooks through their translation, banks, facts, role paths)
becomes a marker ⟪…⟫. Then the workshop pack, each session plan, the
progress, certificate, final result and role-path HTML, the contacts and
sources HTML, the save button and the quiz HTML are rendered, and no text a
reader sees (text nodes, titles and labels, and the strings handed to the
scripts) may keep an English word outside a marker: only numbers, phone
numbers, file names and the short list of proper nouns below. The book's
scripts may not hold English phrases of their own either.

The full-book pseudo-locale build is a separate test (the coordinator's).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT
from lxml import html as lxml_html

from book import workshop
from book.data import banks, facts, journey, modules
from book.data.config import settings
from book.render import i18n, quiz_html, sessions
from book.sphinx import ext, html, offline
from book.sphinx import journey as journey_html
from book.translate import apply, module_text
from book.workshop import pdf

PROPER_NOUNS = {"Kampot", "Cambodia", "PEP", "HIV", "NGO", "A4", "PDF"}
# Formats, not words: the pseudo language writes dates with digits only.
FORMATS = {"format.date_short": "d.M.y", "format.date_long": "d.M.y"}
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "book.po"
SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
MARKERS = re.compile(r"⟦[^⟧]*⟧|⟪[^⟫]*⟫")
FILE_NAME = re.compile(r"[\w.-]+\.(?:html|pdf|zip|js)\b")
WORD = re.compile(r"[A-Za-z]{2,}")
CODE_SPAN = re.compile(r"`[^`]*`")
PLACEHOLDER = re.compile(r"\{\w+\}")  # in a script's string table: the script fills it in


def english() -> dict[str, str]:
    with CATALOGUE.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if isinstance(m.id, str) and m.id}


def pseudo(key: str, text: str) -> str:
    """⟦key⟧, the message's code spans (`#{hash}`) and its other placeholders,
    so the values still show (and are checked too)."""
    if key in FORMATS:
        return FORMATS[key]
    codes = CODE_SPAN.findall(text)
    names = [name for _lit, name, _spec, _conv in string.Formatter().parse(CODE_SPAN.sub("", text)) if name]
    return f"⟦{key}⟧" + "".join(f" {code}" for code in codes) + "".join(f" {{{name}}}" for name in dict.fromkeys(names))


def data_marker(text: str) -> str:
    """A data text in the pseudo language: a marker, with the facts it cites kept."""
    return "⟪" + "".join(f" {{fact}}`{fid}`" for fid in facts.cited_ids(text)) + "⟫" if text else text


class EveryText(dict[str, str]):
    """A module catalogue that translates every English text (module_text.messages)."""

    def get(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        return data_marker(key)


def pseudo_bank(bank):
    questions = [q.model_copy(update={
        "situation": data_marker(q.situation or "") or None, "prompt": data_marker(q.prompt),
        "explanation": data_marker(q.explanation or "") or None,
        "options": [o.model_copy(update={"text": data_marker(o.text), "feedback": data_marker(o.feedback)})
                    for o in q.options]}) for q in bank.questions]
    return bank.model_copy(update={"title": data_marker(bank.title), "questions": questions})


@pytest.fixture
def in_pseudo(monkeypatch):
    """The process speaks the pseudo language: interface, module texts, banks, facts and roles."""
    table = {key: pseudo(key, text) for key, text in english().items()}
    assert len(table) > 250, "the English catalogue looks incomplete"
    loaded = {p.stem: pseudo_bank(banks.load_id(p.stem)) for p in banks.all_paths()}
    registry = facts.load()
    marked = type(registry).__new__(type(registry))
    marked.__dict__.update(registry.__dict__)
    marked.by_id = {fid: f.model_copy(update={field: data_marker(getattr(f, field)) or getattr(f, field)
                                              for field in ("name", "text", "hours", "note", "source")})
                    for fid, f in registry.by_id.items()}
    roles = journey.load_roles()
    roles = roles.model_copy(update={"roles": [r.model_copy(update={"title": data_marker(r.title),
                                                                    "why": data_marker(r.why)})
                                               for r in roles.roles]})
    monkeypatch.setenv(i18n.LANG_VARIABLE, "xx")
    monkeypatch.setattr(i18n, "catalogue", lambda lang: table)
    monkeypatch.setattr(module_text, "messages", lambda stem, lang: EveryText())
    monkeypatch.setattr(banks, "load_id", lambda quiz_id: loaded[quiz_id])
    monkeypatch.setattr(facts, "load", lambda path=None: marked)
    monkeypatch.setattr(apply, "bank", lambda quiz_id, lang=None: loaded[quiz_id])   # the page-language loaders
    monkeypatch.setattr(apply, "registry", lambda lang=None: marked)
    monkeypatch.setattr(journey, "load_roles", lambda: roles)
    return table


def leftovers(text: str) -> list[str]:
    """English words left once markers, file names and proper nouns are taken out."""
    rest = FILE_NAME.sub(" ", MARKERS.sub(" ", text))
    return [w for w in WORD.findall(rest) if w not in PROPER_NOUNS]


def shown_texts(markup: str) -> list[str]:
    """What a reader sees or hears of an HTML page or fragment: text (not
    styles, scripts or code), titles and labels, and every string of the
    data-kq-strings tables the scripts show."""
    root = lxml_html.fromstring(f"<div>{markup}</div>") if not markup.lstrip().startswith("<!") else \
        lxml_html.document_fromstring(markup)
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        if el.tag not in ("style", "script", "code") and el.text:
            out.append(el.text)
        if el.tail and (el.getparent() is None or el.getparent().tag not in ("style", "script")):
            out.append(el.tail)
        out += [el.get(name) for name in SHOWN_ATTRIBUTES if el.get(name)]
        if el.get("data-kq-strings"):
            out += [PLACEHOLDER.sub(" ", text) for text in json.loads(el.get("data-kq-strings")).values()]
    return out


def english_in(markup: str) -> list[str]:
    found = [f"{words} in {text.strip()[:80]!r}" for text in shown_texts(markup) if (words := leftovers(text))]
    return found


def pages() -> dict[str, str]:
    """Every piece of HTML the code writes around the data, as the book and the packs have it."""
    link = str  # pages from the book's root, as they are
    out = {}
    for name, text in workshop.render(workshop.make_pack("all")).items():
        out[f"pack/{name}"] = text
    pack = workshop.make_pack("1,4,5", 180)
    for name, text in workshop.render(pack).items():
        out[f"pack-145/{name}"] = text
    for doc in pack.docs:
        out[f"pack-145/footer-{doc.name}"] = pdf.footer_template(doc.title, pack.title)
    for mod in modules.all_modules():
        session = sessions.plan(mod)
        out[f"session/{mod.id}"] = sessions.render_plan(session, quiz_link=f"{mod.page}#{session.projector_hash}",
                                                        module_link=mod.page)
    out["role-paths"] = journey_html.role_paths_html(link)
    out["progress"] = journey_html.progress_html(link)
    out["certificate"] = journey_html.certificate_html()
    out["final-result"] = journey_html.final_result_html(link)
    out["contacts"] = html.render("contacts", **ext.contacts_context())
    out["sources"] = html.render("fact-sources", facts=list(facts.load()))
    out["module-sources"] = html.render("module-sources", facts=list(facts.load()))
    out["offline-copy"] = html.render("offline-copy", href="book.zip", size_mark="4.2")
    out["save"] = offline.save_html()
    for quiz_id in ("law", "final"):
        out[f"quiz/{quiz_id}"] = quiz_html.render(banks.load_id(quiz_id))
    return out


def test_the_check_finds_english_words():
    """The check itself: an English word outside a marker is found, in text,
    in a label and in a script's string table; markers, numbers, phone
    numbers, file names and proper nouns are not."""
    table = json.dumps({"quiz.check": "⟦quiz.check⟧", "quiz.next": "Next"})
    page = (f'<p>⟦a⟧ 012 311 112 Kampot agenda.pdf</p><p title="Close">⟪⟫</p>'
            f'<div data-kq-strings=\'{table}\'><style>p {{ color: red }}</style>ok</div>')
    assert [hit.split(" in ")[0] for hit in english_in(page)] == ["['Close']", "['Next']", "['ok']"]


def test_every_word_the_code_writes_comes_from_a_catalogue(in_pseudo):
    found = {name: hits for name, markup in pages().items() if (hits := english_in(markup))}
    assert not found, "English outside the catalogues:\n" + "\n".join(
        f"{name}: {hit}" for name, hits in found.items() for hit in hits[:5])


def test_the_pseudo_language_reaches_every_page(in_pseudo):
    """The check is not passed by empty pages: each page shows interface and data markers."""
    for name, markup in pages().items():
        text = " ".join(shown_texts(markup))
        assert "⟦" in text, f"{name}: no interface string"
    assert "⟪" in " ".join(shown_texts(pages()["pack/session-plans.html"]))


def test_save_script_strings_come_from_the_catalogue(in_pseudo):
    table = json.loads(offline.save_strings())
    assert table and all(not leftovers(PLACEHOLDER.sub(" ", text)) for text in table.values()), table


SCRIPTS = [*sorted((ROOT / "book" / "static").glob("*.js")), ROOT / "book" / "worker" / "sw.js",
           *sorted((ROOT / "book" / "export" / "static").glob("*.js"))]
LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
TECHNICAL = {"use strict", "input, button"}


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_scripts_hold_no_english_phrases(path: Path):
    """A script shows only strings it gets from its page (data-kq-strings, or
    save.js's table filled at build time): no literal holds two English words."""
    source = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    source = re.sub(r"(?m)(^|[^:\\])//.*$", r"\1", source)
    phrases = [m.group(0) for m in LITERAL.finditer(source)
               if m.group(0)[1:-1] not in TECHNICAL and re.search(r"[A-Za-z]{2,} +[A-Za-z]{2,}", m.group(0))]
    assert not phrases, f"{path.name}: {phrases}"


def test_the_english_title_is_the_config_title():
    """book.title translates _config.yml's title: the English message is the same."""
    assert english()["book.title"] == settings().title


def test_plural_forms_follow_the_language(monkeypatch):
    """English has one and other; Khmer (CLDR) only other; the number is written by Babel."""
    monkeypatch.setenv(i18n.LANG_VARIABLE, "en")
    assert i18n.plural("plan.minutes", 1) == "1 minute"
    assert i18n.plural("plan.minutes", 2) == "2 minutes"
    assert i18n.plural("plan.minutes", 1234) == "1,234 minutes"
    monkeypatch.setenv(i18n.LANG_VARIABLE, "km")
    one, many = i18n.plural("plan.minutes", 1), i18n.plural("plan.minutes", 5)
    assert one.replace("1", "5") == many and "minute" not in many
    assert re.search(r"[\u1780-\u17ff]", many) and "5" in many, many   # Khmer words, Latin digits


def test_dates_are_written_in_the_language(monkeypatch):
    import datetime as dt
    day = dt.date(2026, 11, 28)
    monkeypatch.setenv(i18n.LANG_VARIABLE, "en")
    assert i18n.date(day) == "28 Nov 2026"       # as the stored notebook outputs have it
    monkeypatch.setenv(i18n.LANG_VARIABLE, "km")
    shown = i18n.date(day)
    assert "Nov" not in shown and "28" in shown and "2026" in shown and re.search(r"[\u1780-\u17ff]", shown)
    assert not re.search(r"[\u17e0-\u17e9]", shown), "Khmer digits: the book writes Latin digits"


def test_a_khmer_pack_shows_no_english_interface_sentence():
    """In Khmer, no sentence of the English catalogue is left in a pack or a
    session plan (the module, bank and fact texts are the translators' part)."""
    sentences = {key: re.sub(r"\{\w+\}|[*`]", "", text).strip() for key, text in english().items()}
    sentences = {key: text for key, text in sentences.items() if len(text.split()) >= 5}  # shorter ones also occur in the data
    with i18n.in_language("km"):
        docs = workshop.render(workshop.make_pack("all"))
        docs["plan"] = sessions.render_plan(sessions.plan(modules.find("1")), "q.html", "m.html")
    assert all('<html lang="km">' in text for name, text in docs.items() if name != "plan")
    shown = {name: " ".join(" ".join(shown_texts(text)).split()) for name, text in docs.items()}
    found = [f"{name}: {key}" for name, text in shown.items() for key, sentence in sentences.items()
             if sentence in text]
    assert not found, found
    assert i18n.catalogue("km")["card.title"] in shown["pocket-card.html"]


def test_a_missing_or_broken_date_pattern_falls_back_to_the_language_default(monkeypatch):
    """A catalogue without format.date_short, or with a pattern asking for a
    time of day, still writes the date (CLDR's medium date), never a traceback."""
    day = dt.date(2026, 11, 28)
    monkeypatch.setenv(i18n.LANG_VARIABLE, "en")
    for table in ({}, {"format.date_short": "HH:mm d MMM"}, {"format.date_short": "d MMMM y 'unclosed"}):
        monkeypatch.setattr(i18n, "catalogue", lambda lang, table=table: table)
        assert i18n.date(day) == "Nov 28, 2026", table
