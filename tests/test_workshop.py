"""Workshop packs and session plans: `python -m book workshop` run for real
(Chromium prints the PDFs, pypdf reads them back), its bad requests, and the
session-plan pages of the built book. Each pack is made once per module set."""
from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT, book_command
from pypdf import PdfReader

from book import workshop
from book.data import banks, facts, journey, modules
from book.data.errors import BookError
from book.render import i18n, markup, sessions
from book.render.fact_label import status_label

DOCS = [d.name for d in workshop.DOCS]
# (--modules, --minutes, module numbers); packs are printed once per case.
CASES = [("1,4,5", 180, [1, 4, 5]), ("all", 480, [1, 2, 3, 4, 5, 6, 7]), ("signs", 60, [4])]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, CHROMIUM=CHROMIUM)
    return subprocess.run([sys.executable, "-m", "book", "workshop", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), flat(" ".join(p.extract_text() or "" for p in reader.pages))


def leftovers(parent: Path, name: str) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(f".{name}.")]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0]}-in-{c[1]}")
def pack(request, tmp_path_factory):
    spec, minutes, numbers = request.param
    out = tmp_path_factory.mktemp("packs") / "pack"
    proc = run("--modules", spec, "--minutes", str(minutes), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    pdfs = {name: pdf_text(out / f"{name}.pdf") for name in DOCS}
    mods = [m for m in modules.all_modules() if m.number in numbers]
    return {"out": out, "minutes": minutes, "modules": mods, "stdout": proc.stdout, "pdfs": pdfs}


# ----------------------------------------------------------------------- the pack

@pytest.mark.pdf
def test_every_file_written_with_one_progress_line_each(pack):
    out = pack["out"]
    files = sorted(p.name for p in out.iterdir() if p.name != workshop.MARKER)
    expected = sorted([f"{d}.html" for d in DOCS] + [f"{d}.pdf" for d in DOCS] + ["index.html"])
    assert files == expected
    marker = (out / workshop.MARKER).read_text(encoding="utf-8").splitlines()
    assert marker == [workshop.MARKER_HEAD, *expected], "the marker must list exactly the files written"
    for path in [out, *out.iterdir()]:  # a web server or a colleague can read the pack
        mode = path.stat().st_mode & 0o777
        assert mode == (0o755 if path.is_dir() else 0o644), f"{path.name}: {oct(mode)}"
    lines = pack["stdout"].strip().splitlines()
    assert sorted(Path(line.split()[-1]).name for line in lines if line.startswith("wrote ")) == expected
    assert lines[-1].startswith("ok: workshop pack")
    assert leftovers(out.parent, out.name) == []


@pytest.mark.pdf
def test_agenda_adds_up_and_fits(pack):
    page = (pack["out"] / "agenda.html").read_text(encoding="utf-8")
    rows = [int(m) for m in re.findall(r'<tr class="slot-[a-z-]+" data-minutes="(\d+)"', page)]
    assert sum(rows) == pack["minutes"]
    assert f'<td class="agenda-total">{pack["minutes"]}</td>' in page
    mods = pack["modules"]
    plans = [sessions.plan(m) for m in mods]
    slots = workshop.schedule(plans, pack["minutes"])
    assert sum(s.minutes for s in slots) == pack["minutes"]
    sessions_only = [s for s in slots if s.kind not in ("break", "lunch", "spare", "opening", "closing")]
    assert sum(s.minutes for s in sessions_only) == sum(int(m.minutes["workshop"]) for m in mods)
    run_ = 0
    for slot in slots:  # never too long without a break
        run_ = 0 if slot.kind in ("break", "lunch") else run_ + slot.minutes
        assert run_ <= workshop.BREAK_AFTER + workshop.BREAK_WINDOW + workshop.NO_BREAK_NEAR_END
    starts = [s.start for s in slots]
    assert starts == sorted(starts) and starts[0] == 0
    _pages, text = pack["pdfs"]["agenda"]
    assert "Starts at 09:00" in text and f"{pack['minutes']} minutes in all" in text


PAGES = {  # document: (least, most) pages for n modules
    "agenda": lambda n: (1, 3), "session-plans": lambda n: (n, 6 * n), "handouts": lambda n: (n + 1, n + 3),
    "quiz-sheets": lambda n: (n, 5 * n), "answer-key": lambda n: (2 * n, 8 * n), "pocket-card": lambda n: (1, 1),
    "attendance": lambda n: (1, 1), "certificate": lambda n: (1, 1),
}
WITH_TITLES = ["agenda", "session-plans", "handouts", "quiz-sheets", "answer-key", "certificate"]


@pytest.mark.pdf
def test_pdfs_have_expected_pages_and_titles(pack):
    n = len(pack["modules"])
    chosen = {m.number for m in pack["modules"]}
    for name in DOCS:
        pages, text = pack["pdfs"][name]
        least, most = PAGES[name](n)
        assert least <= pages <= most, f"{name}.pdf has {pages} pages, expected {least} to {most}"
        for mod in modules.all_modules():
            label = flat(f"Module {mod.number}: {mod.title}")
            if name in WITH_TITLES and mod.number in chosen:
                assert label in text, f"{name}.pdf lacks '{label}'"
            elif name in WITH_TITLES:
                assert f"Module {mod.number}:" not in text, f"{name}.pdf shows module {mod.number}, not chosen"


@pytest.mark.pdf
def test_pocket_card_has_every_child_and_trafficking_contact(pack):
    pages, text = pack["pdfs"]["pocket-card"]
    assert pages == 1
    registry = facts.load()
    wanted = {f.id: f for f in registry.contacts("trafficking") + registry.contacts("child")
              + registry.contacts("violence")}  # violence: the numbers for danger right now
    assert wanted, "the registry has no contact for trafficking or children"
    for fact in wanted.values():
        assert flat(f"{fact.name}: {fact.phone}") in text, fact.id
        assert flat(status_label(fact)) in text, f"{fact.id}: no status and date checked"
    assert "Do not confront" in text
    card = (pack["out"] / "pocket-card.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'data-fact="([^"]+)"', card)) == sorted(wanted)


def _plain(text: str) -> str:
    """Bank text as it prints: citations and Markdown marks removed."""
    return flat(re.sub(r"[*_`]", "", facts.CITE.sub(" ", text)))


@pytest.mark.pdf
def test_quiz_sheets_have_no_answers_or_feedback(pack):
    _pages, text = pack["pdfs"]["quiz-sheets"]
    page = (pack["out"] / "quiz-sheets.html").read_text(encoding="utf-8")
    for marker in ("✓", "✗", "Right answer", "(correct)", "Why:"):
        assert marker not in text and marker not in page, f"quiz sheets show '{marker}'"
    body = page.split("<body", 1)[1]  # the stylesheet names every class
    for marker in ("kq-right", "kq-wrong", "kq-key", "data-kq-correct", "kq-fb"):  # answer markup
        assert marker not in body, f"quiz sheets carry '{marker}'"
    options = 0
    for mod in pack["modules"]:
        for q in banks.load_id(mod.id).questions:
            options += len(q.options)
            for o in q.options:
                feedback = _plain(o.feedback)[:60]
                if len(feedback) >= 25:  # "Yes." plus a cited fact is too short to tell
                    assert feedback not in text, f"{q.id}: option feedback on the quiz sheet: {feedback}"
            why = _plain(q.explanation or "")[:60]
            if len(why) >= 25:
                assert why not in text, f"{q.id}: explanation on the quiz sheet"
    assert page.count('class="box"') == options


@pytest.mark.pdf
def test_answer_key_has_every_right_answer_and_feedback(pack):
    page = (pack["out"] / "answer-key.html").read_text(encoding="utf-8")
    for mod in pack["modules"]:
        for k in sessions.answer_key(banks.load_id(mod.id)):
            item = page.split(f'id="key-{mod.id}-{k.question.id}"', 1)[1].split('class="kq-key-q"', 1)[0]
            assert f"<strong>{', '.join(k.right)}</strong>" in item, k.question.id
            for o in k.question.options:
                assert markup.inline(o.feedback) in item, f"{k.question.id}: feedback missing"


@pytest.mark.pdf
def test_pack_loads_nothing(pack):
    for name in DOCS + ["index"]:
        page = (pack["out"] / f"{name}.html").read_text(encoding="utf-8")
        assert "default-src 'none'" in page
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), f"{name}.html refers to another host"


# ----------------------------------------------------------------------- bad requests

def _bad(tmp_path: Path, *args: str, out: Path | None = None) -> str:
    out = out or tmp_path / "pack"
    before = sorted(p.name for p in out.parent.iterdir()) if out.parent.is_dir() else None
    proc = book_command(["workshop", *args, "--out", str(out)], ROOT, dict(os.environ, CHROMIUM=CHROMIUM))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr and "wrote" not in proc.stdout
    if before is not None:
        assert sorted(p.name for p in out.parent.iterdir()) == before, "a failed request left files behind"
    return lines[0]


def test_unknown_module(tmp_path):
    line = _bad(tmp_path, "--modules", "1,99")
    assert "no module '99'" in line and "law" in line


def test_unknown_language(tmp_path):
    line = _bad(tmp_path, "--modules", "signs", "--lang", "xx")
    assert "--lang" in line and "no language 'xx'" in line and "en, km" in line


@pytest.mark.pdf
def test_khmer_pack(tmp_path):
    """`--lang km`: every document and its PDF, in Khmer (the catalogue's
    words; module, bank and fact texts as far as they are translated)."""
    out = tmp_path / "pack"
    proc = run("--modules", "signs", "--lang", "km", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    with i18n.in_language("km"):
        titles = {d.name: d.title for d in workshop.DOCS}
        card = i18n._("card.title")
    assert all(re.search(r"[\u1780-\u17ff]", title) for title in titles.values()), titles
    for name in DOCS:
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert '<html lang="km">' in page, name
        assert (out / f"{name}.pdf").stat().st_size > 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(title in index for title in titles.values())
    assert card in (out / "pocket-card.html").read_text(encoding="utf-8")
    english = (ROOT / "locale" / "en" / "LC_MESSAGES" / "book.po").read_text(encoding="utf-8")
    assert "msgstr \"If you are worried that someone is trafficked or exploited\"" in english
    assert "If you are worried" not in (out / "pocket-card.html").read_text(encoding="utf-8")
    # The Khmer card shows exactly the registry's numbers: every one it should, and no other.
    card_html = (out / "pocket-card.html").read_text(encoding="utf-8")
    phones = {f.phone for f in facts.load() if f.phone}
    shown = set(re.findall(r"(?<![\d.])\d{2,4}(?: \d{3}){0,2}(?![\d.])", re.sub(r"<[^>]+>", " ", card_html)))
    with i18n.in_language("km"):
        pack = workshop.make_pack("signs")
        wanted = {f.phone for f in pack.emergency_contacts + pack.card_contacts if f.phone}
    assert wanted and wanted <= shown, (wanted - shown)
    assert {n for n in shown if " " in n} <= phones, {n for n in shown if " " in n} - phones


def test_too_little_time_says_what_is_needed(tmp_path):
    plans = [sessions.plan(modules.find(k)) for k in ("1", "4", "5")]
    need = sum(s.minutes for s in workshop.schedule(plans))
    line = _bad(tmp_path, "--modules", "1,4,5", "--minutes", str(need - 1))
    assert f"need {need} minutes" in line and f"--minutes {need} or more" in line


@pytest.mark.parametrize("minutes", ["abc", "0", "-5"])
def test_minutes_not_a_number(tmp_path, minutes):
    assert "--minutes" in _bad(tmp_path, "--modules", "signs", f"--minutes={minutes}")


def test_output_folder_not_empty(tmp_path):
    out = tmp_path / "pack"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert "not empty" in _bad(tmp_path, "--modules", "signs", out=out)
    assert (out / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("where", ["missing-parent", "parent-is-a-file"])
def test_output_folder_cannot_be_written(tmp_path, where):
    if where == "missing-parent":
        out = tmp_path / "no-such-folder" / "pack"
    else:
        (tmp_path / "file").write_text("")
        out = tmp_path / "file" / "pack"
    _bad(tmp_path, "--modules", "signs", out=out)
    assert not out.exists()


@pytest.mark.pdf
def test_force_replaces_a_pack_and_an_empty_folder_is_used(tmp_path):
    """--force replaces a pack an earlier run wrote (refusals: tests/test_hostile.py)."""
    out = tmp_path / "pack"
    out.mkdir()
    assert run("--modules", "signs", "--out", str(out)).returncode == 0  # empty: fine
    assert "Module 4:" in (out / "handouts.html").read_text(encoding="utf-8")
    proc = run("--modules", "law", "--force", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    handouts = (out / "handouts.html").read_text(encoding="utf-8")
    assert "Module 1: The law" in handouts and "Module 4:" not in handouts
    assert (out / "pocket-card.pdf").exists()
    assert leftovers(tmp_path, "pack") == []


# ----------------------------------------------------------------------- plans

@pytest.mark.parametrize("mod", modules.all_modules(), ids=lambda m: m.id)
def test_plan_adds_up_to_the_module_minutes(mod):
    plan = sessions.plan(mod)
    assert plan.minutes == int(mod.minutes["workshop"])
    kinds = [a.kind for a in plan.activities]
    assert kinds == ["welcome", "teach"] + ["scenario"] * len(mod.scenarios) + ["quiz", "wrap-up"]
    for activity, scenario in zip(plan.activities[2:], mod.scenarios):
        assert activity.notes.ask and activity.notes.draw_out, f"{mod.id} scenario {scenario.number}: notes not split"


@pytest.mark.parametrize("mod", modules.all_modules(), ids=lambda m: m.id)
def test_quiz_time_follows_the_question_count(mod):
    """A quiz of 22 questions is not a 10-minute quiz: the start page's role
    paths and a session with room for the whole quiz give it the time its
    questions take, from one rate."""
    bank = banks.load_id(mod.id)
    need = math.ceil(len(bank.questions) * banks.MINUTES_PER_QUESTION)
    assert banks.quiz_minutes(bank) == need
    assert journey.module_minutes(mod) == int(mod.minutes["reading"]) + need
    roomy = modules.Module(mod.path, mod.id, mod.number, mod.title, dict(mod.minutes, workshop=300),
                           scenarios=mod.scenarios)
    quiz = next(a for a in sessions.plan(roomy).activities if a.kind == "quiz")
    assert quiz.minutes == need


def test_a_typed_quiz_time_is_refused(tmp_path: Path):
    """minutes.quiz in a notebook would be a second, stale copy of the quiz time."""
    nb = json.loads(modules.find("health").path.read_text(encoding="utf-8"))
    nb["metadata"]["kampot"]["minutes"]["quiz"] = 10
    path = tmp_path / "02-health.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(BookError, match=r"kampot.minutes has 'quiz'.*remove it") as caught:
        modules.parse(path)
    assert caught.value.problems[0].place == "metadata"


def test_allocate_always_adds_up():
    spans = [sessions.WELCOME, sessions.TEACH, sessions.ROLE_PLAY, sessions.ROLE_PLAY, (5, 10), sessions.WRAP_UP]
    least = sum(lo for lo, _ in spans)
    for total in range(least, 200):
        minutes = sessions.allocate(spans, [False, True, True, True, False, False], total)
        assert sum(minutes) == total
        assert all(m >= lo for m, (lo, _) in zip(minutes, spans))


def test_too_short_a_workshop_is_a_clear_error():
    mod = modules.find("law")
    short = modules.Module(mod.path, mod.id, mod.number, mod.title, dict(mod.minutes, workshop=20),
                           scenarios=mod.scenarios)
    with pytest.raises(BookError, match=r"minutes.workshop is 20.*needs at least \d+ minutes"):
        sessions.plan(short)


@pytest.mark.parametrize("mod", modules.all_modules(), ids=lambda m: m.id)
def test_session_plan_page(built_book, mod):
    page = (built_book / "pages" / f"session-{mod.number:02d}-{mod.id}.html").read_text(encoding="utf-8")
    rows = [int(m) for m in re.findall(r'<tr data-minutes="(\d+)">', page)]
    assert sum(rows) == int(mod.minutes["workshop"])
    assert f'<td class="kq-total">{mod.minutes["workshop"]}</td>' in page
    assert f'href="../modules/{mod.path.stem}.html#projector-{mod.id}"' in page
    for scenario in mod.scenarios:
        notes = sessions.parse_notes(scenario.facilitator)
        for piece in [notes.role_play, *notes.ask, *notes.draw_out]:
            assert markup.inline(piece) in page, f"{mod.id}: facilitator note missing: {piece[:60]}"
    for q in banks.load_id(mod.id).questions:
        assert f'id="key-{mod.id}-{q.id}"' in page
        for o in q.options:
            assert markup.inline(o.feedback) in page, f"{q.id}: feedback missing from the answer key"


def test_facilitator_notes_live_only_in_the_notebooks():
    """Plan pages are a heading and a directive; no page copies a note."""
    pages = {p.name: flat(p.read_text(encoding="utf-8")) for p in (ROOT / "pages").glob("*.md")}
    for mod in modules.all_modules():
        source = (ROOT / "pages" / f"session-{mod.number:02d}-{mod.id}.md").read_text(encoding="utf-8")
        body = [line for line in source.splitlines() if line.strip()]
        assert body[0].startswith("# ") and body[1:] == [f"```{{session-plan}} {mod.id}", "```"], source
        for scenario in mod.scenarios:
            for point in sessions.parse_notes(scenario.facilitator).draw_out:
                copies = [name for name, text in pages.items() if flat(point) in text]
                assert not copies or len(point) < 30, f"{copies} copy a facilitator note: {point}"
