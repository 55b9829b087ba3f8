"""Content rules: facts only from the registry, no stigmatising words, every
module complete, plain English, and none of the source guide's known errors."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from book.data import banks, facts, notebookfile
from book.data.readability import MAX_GRADE, grade

MODULES = sorted((ROOT / "modules").glob("*.ipynb"))
PHONE = re.compile(r"(?<![\d.,%-])(?:\d{3} \d{3} \d{3,4}|0\d{2}[ -]?\d{3}[ -]?\d{3,4}|\b1\d{2,3}\b(?= |\)|$|\.|,))")
AVOID = ["prostitute", "prostitution", "hooker", "whore", "working girl", "john", "punter",
         "child prostitut", "child sex worker", "trafficked girls", "hiv-infected", "aids victim", "rescue", "raid"]
REQUIRED = ["## Questions", "## Objectives", "## Scenarios", "## Key points", "## Check yourself", "## Sources"]


def markdown_of(path: Path) -> str:
    """The Markdown as written (MyST), without the renderings saved for plain Jupyter."""
    nb = notebookfile.read(path)
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
    from book.render.i18n import _, in_language
    unverified = {}
    for lang in ("en", "km"):
        with in_language(lang):
            unverified[lang] = _("fact.status.unverified")
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts:
            continue
        word = unverified["km" if page.relative_to(built_book).parts[0] == "km" else "en"]
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        text = re.sub(r"\s+", " ", text)
        assert "1288" not in text, page.name
        for m in re.finditer(r"012 311 112", text):
            sentence = re.split(r"[.!?]\s", text[max(0, m.start() - 200): m.start()])[-1]
            assert "police" not in sentence.lower(), f"{page.name}: 012 311 112 labelled as police: {sentence}"
        for m in re.finditer(r"AFESIP", text):
            window = text[m.start(): m.start() + 400]
            assert word in window, f"{page.name}: AFESIP without its unverified status ({word})"
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


# --------------------------------------------------------------------- issue 15: content the review found missing

import yaml  # noqa: E402  (PyYAML, pinned in requirements.txt)

from book import workshop  # noqa: E402

SIGNS = yaml.safe_load((ROOT / "pages" / "signs.yml").read_text(encoding="utf-8"))["signs"]
AT_RISK = {"woman", "man", "girl", "boy", "child", "transgender"}
REPORT = re.compile(r"call (?:a|the) child line|call (?:the )?police|pass (?:it|them|your worry) on"
                    r"|(?:^|[,;] )report (?:it|what|this)\b|tell (?:your|the) (?:manager|staff member)", re.I)


def built_text(page: Path) -> str:
    """A built page's visible words, on one line."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def scenario_cells() -> list[tuple[str, str, dict]]:
    """(where, source, kampot metadata) of every scenario cell of every module."""
    out = []
    for path in MODULES:
        for cell in notebookfile.read(path).cells:
            if cell.cell_type == "markdown" and cell.source.startswith("### Scenario"):
                title = cell.source.splitlines()[0][4:]
                out.append((f"{path.name}: {title}", cell.source, dict(cell.metadata.get("kampot", {}))))
    return out


def situation_of(source: str) -> str:
    return source.split("**Discussion.**", 1)[0].split("\n", 1)[1].lower()


def helpful_of(source: str) -> list[str]:
    part = source.split("Helpful responses:", 1)[1].split("Unhelpful responses:", 1)[0]
    return [m.group(1) for m in re.finditer(r"^- (.+)$", part, re.M)]


def test_care_after_rape_and_emergency_numbers_on_health_page_contacts_and_card(built_book):
    for page in ("modules/02-health.html", "pages/contacts.html"):
        html = (built_book / page).read_text(encoding="utf-8")
        for fid in ("health-pep", "health-emergency-contraception", "ambulance-119", "police-hotline-117"):
            assert f'data-fact="{fid}"' in html, f"{page}: {fid} is not shown"
        assert "72 hours" in built_text(built_book / page), f"{page}: PEP without its 72-hour limit"
    card = built_text_of_html(workshop.render(workshop.make_pack("all"))["pocket-card.html"])
    registry = facts.load()
    for fid in ("ambulance-119", "police-hotline-117"):
        assert f"{registry[fid].name}: {registry[fid].phone}" in card, f"pocket card: no {fid}"
    assert "PEP" in card and "72 hours" in card and "emergency contraception" in card


def built_text_of_html(html: str) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r" ([:;,.])", r"\1", text)


def test_glossary_explains_pep_and_drops_prep_no_module_uses():
    glossary = (ROOT / "pages" / "glossary.md").read_text(encoding="utf-8")
    assert re.search(r"^PEP$", glossary, re.M)
    modules_text = "\n".join(markdown_of(p) for p in MODULES)
    assert bool(re.search(r"\bPrEP\b", glossary)) == bool(re.search(r"\bPrEP\b", modules_text))


def test_every_scenario_says_who_is_at_risk_and_boys_men_transgender_people_are_shown():
    seen = set()
    for where, source, meta in scenario_cells():
        assert "at_risk" in meta and "signs" in meta, f"{where}: add kampot.at_risk and kampot.signs to the cell metadata"
        assert set(meta["at_risk"]) <= AT_RISK, f"{where}: at_risk must use {sorted(AT_RISK)}"
        story = situation_of(source)
        words = {"boy": r"\bboy\b", "man": r"\b(?:young )?man\b", "transgender": r"\btransgender\b",
                 "girl": r"\b(?:she|her|girl)\b", "woman": r"\b(?:woman|women|she|her)\b", "child": r"."}
        for group in meta["at_risk"]:
            assert re.search(words[group], story), f"{where}: says a {group} is at risk, but the situation does not show one"
        seen |= set(meta["at_risk"])
    assert {"boy", "man", "transgender"} <= seen, f"no scenario shows at risk: {sorted({'boy', 'man', 'transgender'} - seen)}"


def test_the_list_of_signs_is_the_one_in_module_4():
    text = markdown_of(ROOT / "modules" / "04-signs.ipynb")
    assert len({s["id"] for s in SIGNS}) == len(SIGNS)
    for sign in SIGNS:
        assert sign["label"] in text, f"pages/signs.yml: '{sign['label']}' is not written in module 4"
        assert sign["cues"] and all(c == c.lower() for c in sign["cues"]), sign["id"]


def test_no_scenario_keys_a_report_without_a_sign_on_the_list():
    signs = {s["id"]: s for s in SIGNS}
    for where, source, meta in scenario_cells():
        story = situation_of(source)
        for sid in meta.get("signs", []):
            assert sid in signs, f"{where}: '{sid}' is not a sign in pages/signs.yml"
            assert any(c in story for c in signs[sid]["cues"]), f"{where}: the situation does not show the sign '{sid}'"
        for item in helpful_of(source):
            for sentence in re.split(r"(?<=[.!?])\s+", item):
                conditional = re.search(r"\b(?:if|unless|when)\b", sentence, re.I) or re.match(r"(?:do not|don't)\b", sentence, re.I)
                if REPORT.search(sentence) and not conditional:
                    assert meta.get("signs"), (f"{where}: a helpful response reports ('{sentence}') "
                                               "but the situation shows no sign from the book's list")


def danger_definition() -> list[str]:
    text = markdown_of(ROOT / "modules" / "05-responding.ipynb")
    block = text.split("(danger-right-now)=", 1)[1].split("Then call at once", 1)[0]
    return [m.group(1) for m in re.finditer(r"^- (.+)$", block, re.M)]


def test_danger_right_now_is_defined_once():
    sources = {str(p.relative_to(ROOT)): markdown_of(p) for p in MODULES}
    sources.update({str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in (ROOT / "pages").glob("*.md")})
    labels = [name for name, text in sources.items() for _ in re.finditer(r"^\(danger-right-now\)=$", text, re.M)]
    assert labels == ["modules/05-responding.ipynb"], labels
    assert len(danger_definition()) == 4


OTHER_THRESHOLDS = re.compile(r"immediate danger|life is in danger|danger to life|in danger now|emergency help", re.I)


def test_pages_that_say_when_to_call_use_and_link_the_one_rule(built_book):
    pages = [p for d in ("modules", "pages") for p in sorted((built_book / d).glob("*.html"))]
    linking = []
    for page in pages:
        text = built_text(page)
        assert not OTHER_THRESHOLDS.search(text), \
            f"{page.name}: '{OTHER_THRESHOLDS.search(text).group(0)}'; say 'danger right now' and link its definition"
        if "danger right now" not in text.lower() or page.name.startswith("session-") or page.name == "05-responding.html":
            continue  # session plans print the scenarios as they are; module 5 holds the definition
        html = page.read_text(encoding="utf-8")
        assert re.search(r'href="(?:\.\./modules/)?05-responding\.html#danger-right-now"', html), \
            f"{page.name} says when to call without linking the definition of danger right now"
        linking.append(page.name)
    assert {"02-health.html", "contacts.html"} <= set(linking), linking
    module5 = (built_book / "modules" / "05-responding.html").read_text(encoding="utf-8")
    assert 'id="danger-right-now"' in module5


def test_pocket_card_prints_the_same_definition():
    card = built_text_of_html(workshop.render(workshop.make_pack("all"))["pocket-card.html"])
    for line in danger_definition():
        assert line in card, f"pocket card lacks: {line}"


def test_facts_are_shown_beside_sentences_not_inside_them():
    registry = facts.load()
    texts = {str(p.relative_to(ROOT)): markdown_of(p) for p in MODULES}
    texts.update({str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in (ROOT / "pages").glob("*.md")})
    for name, text in texts.items():
        for line in text.splitlines():
            for m in facts.CITE.finditer(line):
                fact = registry[m.group(1)]
                if fact.kind == "contact":
                    continue  # a contact shows as "Name: number", which reads well inside a sentence
                before = re.sub(r"^\s*(?:[-*]|\d+\.)\s*", "", line[:m.start()]).rstrip().rstrip("*_")
                after = line[m.end():].lstrip()
                assert not before or before.endswith((".", "!", "?")), f"{name}: {m.group(1)} is spliced into: {line.strip()}"
                assert not after or after[0].isupper(), f"{name}: {m.group(1)} runs on into: {line.strip()}"


def test_every_fact_is_one_plain_sentence():
    for fact in facts.load():
        assert len(fact.text.split()) <= 28, f"{fact.id}: shorten the text to one plain sentence"
        assert not re.search(r"[.!?] [A-Z]", fact.text), f"{fact.id}: one sentence only"


JARGON = ["arbitrary detention", "case-management circular", "95-95-95", "minimum standards for residential care"]


@pytest.mark.parametrize("term", JARGON)
def test_no_unexplained_jargon_reaches_learners(term):
    texts = dict(all_sources())
    texts["facts.yml"] = "\n".join(f.text for f in facts.load())
    for name, text in texts.items():
        assert term.lower() not in text.lower(), f"{name}: '{term}'; say it in plain words"


def test_no_exchange_is_legal_wording_without_the_offences_and_arrests():
    registry = facts.load()
    short = re.compile(r"not (?:itself )?a crime|a crime in itself|is not a crime", re.I)
    texts = {str(p.relative_to(ROOT)): [c.source for c in notebookfile.read(p).cells
                                         if c.cell_type == "markdown"] for p in MODULES}
    for name, cells in texts.items():
        for cell in cells:
            plain = facts.CITE.sub(lambda m: registry[m.group(1)].text, cell)
            if short.search(plain):
                assert re.search(r"arrest", plain, re.I), \
                    f"{name}: '{cell.splitlines()[0]}' says the exchange is not a crime without saying people are arrested"


def test_unconfirmed_chab_dai_number_is_never_the_only_route_offered():
    for path in MODULES:
        for cell in notebookfile.read(path).cells:
            if cell.cell_type == "markdown" and "{fact}`chab-dai-line`" in cell.source:
                assert "confirm" in cell.source.lower(), f"{path.name}: the Chab Dai number without 'could not be confirmed'"
                others = set(facts.cited_ids(cell.source)) - {"chab-dai-line", "org-chab-dai"}
                assert others, f"{path.name}: the unconfirmed number is the only route in '{cell.source.splitlines()[0]}'"


def _sources_list(html: str) -> tuple[set[str], set[str]]:
    """(facts in the page's sources list, facts shown anywhere else on the page)."""
    m = re.search(r'<ul class="fact-list">(.*?)</ul>', html, re.S)
    assert m, "the page has no sources list"
    listed = set(re.findall(r'data-fact="([^"]+)"', m.group(1)))
    shown = set(re.findall(r'data-fact="([^"]+)"', html.replace(m.group(0), "")))
    return listed, shown


@pytest.mark.parametrize("path", MODULES + [ROOT / "pages" / "final-check.ipynb"], ids=lambda p: p.stem)
def test_sources_list_every_fact_the_page_and_its_quiz_cite(built_book, path):
    page = built_book / path.parent.name / f"{path.stem}.html"
    listed, shown = _sources_list(page.read_text(encoding="utf-8"))
    assert shown <= listed, f"{page.name}: cited but not in its sources: {sorted(shown - listed)}"
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    quiz_ids = re.findall(r"""show\(\s*["']([a-z0-9-]+)["']""", code)
    assert quiz_ids, f"{path.name} shows no quiz"
    for quiz_id in quiz_ids:
        bank_facts = {fid for q in banks.load_id(quiz_id).questions for fid in q.facts}
        assert bank_facts <= listed, f"{page.name}: its quiz rests on {sorted(bank_facts - listed)}, not in its sources"
        for q in banks.load_id(quiz_id).questions:
            for t in [q.situation, q.prompt, q.explanation] + [x for o in q.options for x in (o.text, o.feedback)]:
                missing = set(facts.cited_ids(t or "")) - listed
                assert not missing, f"{page.name}: question {q.id} cites {sorted(missing)}, not in the sources"
