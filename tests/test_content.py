"""Content rules: facts only from the registry, no stigmatising words, every
module complete, plain English, and none of the source guide's known errors."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from book import banks, facts
from book.readability import MAX_GRADE, grade

from conftest import ROOT

MODULES = sorted((ROOT / "modules").glob("*.ipynb"))
PHONE = re.compile(r"(?<![\d.,%-])(?:\d{3} \d{3} \d{3,4}|0\d{2}[ -]?\d{3}[ -]?\d{3,4}|\b1\d{2,3}\b(?= |\)|$|\.|,))")
AVOID = ["prostitute", "prostitution", "hooker", "whore", "working girl", "john", "punter",
         "child prostitut", "child sex worker", "trafficked girls", "hiv-infected", "aids victim", "rescue", "raid"]
REQUIRED = ["## Questions", "## Objectives", "## Scenarios", "## Key points", "## Check yourself", "## Sources"]


def markdown_of(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def bank_texts(bank) -> list[str]:
    out = [bank.title]
    for q in bank.questions:
        out += [q.situation or "", q.prompt, q.explanation or ""]
        out += [t for o in q.options for t in (o.text, o.feedback)]
    return out


def all_sources() -> dict[str, str]:
    """Every text a learner can read, by file, with fact citations removed."""
    texts = {str(p.relative_to(ROOT)): markdown_of(p) for p in MODULES}
    texts.update({str(p.relative_to(ROOT)): markdown_of(p) for p in (ROOT / "pages").glob("*.ipynb")})
    texts.update({str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in (ROOT / "pages").glob("*.md")})
    for path in banks.all_paths():
        texts[str(path.relative_to(ROOT))] = "\n".join(bank_texts(banks.load(path)))
    return {k: facts.CITE.sub(" ", v) for k, v in texts.items()}


def test_there_are_seven_modules():
    assert [p.name[:2] for p in MODULES] == ["01", "02", "03", "04", "05", "06", "07"]


def test_no_phone_number_typed_by_hand():
    found = {f: PHONE.findall(t) for f, t in all_sources().items()}
    found = {f: v for f, v in found.items() if v}
    assert not found, f"phone numbers must come from facts.yml via {{fact}}`id`: {found}"


def test_every_phone_in_the_built_book_is_in_the_registry(built_book):
    known = {f.phone for f in facts.load() if f.phone}
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        for number in re.findall(r"\b0\d{2} \d{3} \d{3,4}\b", text):
            assert number in known, f"{page.name}: {number} is not in the registry"


@pytest.mark.parametrize("term", AVOID)
def test_stigmatising_terms_only_where_marked(term):
    pattern = re.compile(rf"\b{re.escape(term)}", re.I)
    for name, text in all_sources().items():
        marked = re.sub(r"\[[^\]]*\]\{\.term-avoid\}", " ", text)  # the language module's list
        hits = [m.group(0) for m in pattern.finditer(marked)]
        assert not hits, f"{name}: '{term}' appears outside the marked words-to-avoid list"


def test_terms_to_avoid_are_named_in_the_language_module():
    ethics = markdown_of(ROOT / "modules" / "07-ethics.ipynb")
    marked = re.findall(r"\[([^\]]*)\]\{\.term-avoid\}", ethics)
    assert len(marked) >= 5, marked


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_module_has_every_section_and_enough_scenarios(path):
    text = markdown_of(path)
    for heading in REQUIRED:
        assert re.search(rf"^{re.escape(heading)}\b", text, re.M), f"{path.name}: missing '{heading}'"
    assert len(re.findall(r"^### Scenario \d+", text, re.M)) >= 2
    assert text.count("**Discussion.**") >= 2
    assert "{module-sources}" in text


def objectives(path: Path) -> int:
    section = markdown_of(path).split("## Objectives", 1)[1].split("\n## ", 1)[0]
    return len(re.findall(r"^\d+\.\s", section, re.M))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_module_quiz_size_and_objectives(path):
    meta = nbformat.read(path, as_version=4).metadata["kampot"]
    bank = banks.load_id(meta["module"])
    assert len(bank.questions) >= 8
    assert all(q.tags.module == meta["module"] for q in bank.questions)
    tested = {q.tags.objective for q in bank.questions}
    count = objectives(path)
    assert count >= 3
    assert set(range(1, count + 1)) <= tested, f"objectives not tested: {set(range(1, count + 1)) - tested}"
    assert len([q for q in bank.questions if q.type == "scenario"]) >= 2


def test_total_module_questions():
    total = sum(len(banks.load_id(nbformat.read(p, as_version=4).metadata["kampot"]["module"]).questions)
                for p in MODULES)
    assert total >= 70, total


def test_final_check_covers_every_module():
    final = banks.load_id("final")
    assert len(final.questions) >= 20
    modules = {nbformat.read(p, as_version=4).metadata["kampot"]["module"] for p in MODULES}
    assert {q.tags.module for q in final.questions} >= modules


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_readability(path):
    assert grade(path) <= MAX_GRADE, f"{path.name}: grade {grade(path):.1f}"


def test_guide_errors_not_repeated(built_book):
    registry = facts.load()
    assert registry["childsafe-hotline"].phone == "012 311 112"
    assert "police" not in registry["childsafe-hotline"].name.lower()
    assert registry["org-afesip"].status == "unverified"
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        text = re.sub(r"\s+", " ", text)
        assert "1288" not in text, page.name
        for m in re.finditer(r"012 311 112", text):
            sentence = re.split(r"[.!?]\s", text[max(0, m.start() - 200): m.start()])[-1]
            assert "police" not in sentence.lower(), f"{page.name}: 012 311 112 labelled as police: {sentence}"
        for m in re.finditer(r"AFESIP", text):
            window = text[m.start(): m.start() + 400]
            assert "unverified" in window, f"{page.name}: AFESIP without its unverified status"
        for m in re.finditer(r"\bMSF\b|Médecins Sans Frontières|Doctors Without Borders", text):
            window = text[max(0, m.start() - 200): m.start() + 200]
            assert re.search(r"2021|left|handed over|no longer|not a current", window), \
                f"{page.name}: MSF mentioned as if it were a current service"


def test_stale_or_unverified_facts_are_marked(built_book):
    """A fact due for confirmation carries the mark wherever it is shown."""
    html = (built_book / "pages" / "contacts.html").read_text(encoding="utf-8")
    for fact in facts.load():
        if fact.kind == "contact":
            assert fact.phone in html
            chunk = html.split(f'data-fact="{fact.id}"', 1)[1].split("</li>", 1)[0]
            assert ("confirm before use" in chunk) == facts.needs_confirmation(fact)
