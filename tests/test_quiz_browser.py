"""The static quiz (book/static/quiz.js and quiz.css) in Chromium.

Against the real built book: answering with the mouse and with the keyboard
alone, a checked answer kept until Try again, what is announced (once), the
running score, answers kept over a reload and cleared, the end-of-quiz
summary, the final check as an exam (nothing shown before submitting,
feedback on every option after, a retake draws another set), storage that is
blocked or full, projector mode, axe-core inside the quiz, a 360 px screen
and print. Against a page made here and opened from disk: hostile text stays
text, two quizzes share one script, and the script judges every possible
answer exactly as book/data/scoring.py does.

Which options are right is read from the bank (quizzes/<id>.yml, in the
order learners see, as book.banks.load gives it), never written into a test.
"""
from __future__ import annotations

import io
import itertools
import json
import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import RECORD_FORMAT, ROOT, VIOLATIONS_ONLY, PageWatch, open_page, wait_ready
from playwright.sync_api import expect
from pypdf import PdfReader
from storage_faults import BLOCK, THEME_READY, assert_colour_switch_works, fill

from book.data import banks
from book.data.schema import Bank, Option, Question, Tags
from book.data.scoring import judge
from book.render.i18n import strings
from book.render.quiz_html import render

UI = strings("quiz.")
QUIZ = "law"
PAGE = "modules/01-law.html"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The theme logs a console error on a browser's very first visit, when its
# colour mode is not yet in local storage (pydata-sphinx-theme with no
# default_mode). That is the theme's, not the quiz's, and the offline crawl
# sees it; here the mode is set before any script runs so that only the
# quiz is judged, even after a test empties local storage.
THEME_MODE = "try { localStorage.getItem('mode') || localStorage.setItem('mode', 'auto'); } catch (e) {}"


# ------------------------------------------------------------------ the bank

def bank(quiz_id: str = QUIZ) -> dict:
    """The bank as plain data, options in the order the page shows them."""
    return banks.load_id(quiz_id).model_dump(mode="json")


def right(q: dict) -> list[int]:
    return [i for i, o in enumerate(q["options"]) if o["correct"]]


def wrong(q: dict) -> list[int]:
    return [i for i, o in enumerate(q["options"]) if not o["correct"]]


def miss(q: dict) -> list[int]:
    """A wrong pick: one wrong option, or (when every option is right) some of the right ones."""
    return wrong(q)[:1] or right(q)[:1]


def first(b: dict, test) -> dict:
    found = [q for q in b["questions"] if test(q)]
    assert found, "the bank has no question of the kind this test needs"
    return found[0]


def single(b: dict) -> dict:
    return first(b, lambda q: q["type"] != "multiple")


def multiple(b: dict) -> dict:
    return first(b, lambda q: q["type"] == "multiple" and wrong(q))


def qsel(q: dict, quiz: str = QUIZ) -> str:
    return f"#kq-{quiz}-{q['id']}"


def score_text(score: int, total: int, answered: int) -> str:
    return UI["quiz.score"].format(score=score, total=total, answered=answered)


# ------------------------------------------------------------------ page helpers

@pytest.fixture
def quiz(page, server):
    """The law module page in a fresh browser context: nothing saved yet."""
    page.add_init_script(THEME_MODE)
    open_page(page, server + PAGE)
    assert saved(page) is None
    expect(page.locator(f"#kq-{QUIZ}-score")).not_to_be_empty()  # the script has run
    return page


def reload(page) -> None:
    """Reload once the page is set up, and wait until it is set up again."""
    wait_ready(page)
    page.reload(wait_until="load")
    wait_ready(page)


def pick(page, q: dict, indices, quiz: str = QUIZ) -> None:
    """Choose options with the mouse, on their labels, as a learner taps them."""
    for i in indices:
        page.locator(f"label[for='kq-{quiz}-{q['id']}-o{i}']").click()


def check(page, q: dict, quiz: str = QUIZ) -> None:
    page.locator(f"{qsel(q, quiz)} .kq-check").click()


def answer(page, q: dict, indices, quiz: str = QUIZ) -> None:
    pick(page, q, indices, quiz)
    check(page, q, quiz)


def saved(page, quiz: str = QUIZ):
    return page.evaluate(f"JSON.parse(localStorage.getItem('kq:{quiz}'))")


def active_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def assert_focus_visible(page) -> None:
    """The focused element shows an outline (or a focus shadow)."""
    look = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                shadow: s.boxShadow !== 'none', tag: document.activeElement.outerHTML.slice(0, 80)}; }""")
    assert look["outline"] or look["shadow"], f"focus is not visible on {look['tag']}"


LIVE = "[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]"


def assert_announced_once(page, result) -> None:
    """A verdict is read once: the focus is on it, and no live region holds it
    (the result and the running score are not live regions)."""
    expect(result).to_be_focused()
    verdict = result.inner_text().strip()
    assert verdict
    quiz_root = result.locator("xpath=ancestor::section[contains(@class, 'kq-quiz')]")
    live = quiz_root.evaluate(f"""(root, verdict) => [...root.querySelectorAll({LIVE!r})]
        .filter(e => e.textContent.includes(verdict)).map(e => e.className)""", verdict)
    assert not live, f"live regions also announce the verdict: {live}"
    assert quiz_root.locator(".kq-score").evaluate(f"e => !e.matches({LIVE!r}) && !e.closest({LIVE!r})")


def tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching selector has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


# ------------------------------------------------------------------ answering

def test_mouse_right_wrong_partial_and_try_again(quiz):
    page, b = quiz, bank()
    total = len(b["questions"])
    s, m = single(b), multiple(b)
    root = page.locator(qsel(s))

    # Nothing chosen: the live region asks for an answer, nothing is judged.
    check(page, s)
    expect(root.locator(".kq-result")).to_have_text(UI["quiz.choose_first"])
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 0))

    # Right.
    answer(page, s, right(s))
    result = root.locator(".kq-result")
    expect(result).to_have_text(re.compile("^" + re.escape(UI["quiz.correct"])))
    assert_announced_once(page, result)
    chosen = root.locator(".kq-opt").nth(right(s)[0])
    expect(chosen).to_have_class(re.compile(r"\bkq-right\b"))
    expect(chosen.locator(".kq-fb")).to_be_visible()
    expect(chosen.locator(".kq-mark")).to_contain_text(UI["quiz.correct_mark"])
    expect(chosen.locator(".kq-mark")).to_contain_text(UI["quiz.you_chose"])
    for i in wrong(s):  # options neither chosen nor right keep their feedback hidden
        expect(root.locator(".kq-opt").nth(i).locator(".kq-fb")).to_be_hidden()
    if s.get("explanation"):
        expect(root.locator(".kq-explain")).to_be_visible()
    expect(root.locator(".kq-retry")).to_be_visible()
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 1))

    # Try again: the question starts over and the focus goes to its first option.
    root.locator(".kq-retry").click()
    expect(page.locator(f"#kq-{QUIZ}-{s['id']}-o0")).to_be_focused()
    expect(result).to_be_empty()
    expect(root.locator(".kq-fb:visible")).to_have_count(0)
    expect(root.locator("input:checked")).to_have_count(0)
    expect(root.locator(".kq-check")).to_be_visible()
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 0))

    # Wrong: the chosen option says so, the right one is shown.
    bad = wrong(s)[0]
    answer(page, s, [bad])
    expect(result).to_have_text(re.compile("^" + re.escape(UI["quiz.incorrect"])))
    opt = root.locator(".kq-opt").nth(bad)
    expect(opt).to_have_class(re.compile(r"\bkq-wrong\b"))
    expect(opt.locator(".kq-mark")).to_contain_text(UI["quiz.wrong_mark"])
    expect(opt.locator(".kq-mark")).to_contain_text(UI["quiz.you_chose"])
    good = root.locator(".kq-opt").nth(right(s)[0])
    expect(good.locator(".kq-fb")).to_be_visible()
    expect(good.locator(".kq-mark")).to_contain_text(UI["quiz.correct_mark"])
    expect(good.locator(".kq-mark")).not_to_contain_text(UI["quiz.you_chose"])
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 1))

    # Multiple: some right and some wrong is partial; exactly the right set is correct.
    mroot = page.locator(qsel(m))
    answer(page, m, [right(m)[0], wrong(m)[0]])
    expect(mroot.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(UI["quiz.partial"])))
    for i in right(m):
        expect(mroot.locator(".kq-opt").nth(i)).to_have_class(re.compile(r"\bkq-right\b"))
    mroot.locator(".kq-retry").click()
    answer(page, m, right(m))
    expect(mroot.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(UI["quiz.correct"])))
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 2))
    page.watch.assert_clean("quiz with the mouse")


def test_keyboard_alone(quiz):
    page, b = quiz, bank()
    total = len(b["questions"])
    q0 = b["questions"][0]
    root = page.locator(qsel(q0))
    page.locator(f"#kq-{QUIZ} .kq-clear").focus()  # a starting point just before the questions

    # Into the first question; choose its right answer with Space and the arrow keys.
    tab_to(page, f"#kq-{QUIZ}-{q0['id']}-o0")
    if q0["type"] == "multiple":
        for i in range(len(q0["options"])):
            if i in right(q0):
                page.keyboard.press("Space")
            if i < len(q0["options"]) - 1:
                page.keyboard.press("Tab")
    else:
        page.keyboard.press("Space")
        for _ in range(right(q0)[0]):
            page.keyboard.press("ArrowDown")
    for i in range(len(q0["options"])):
        expect(page.locator(f"#kq-{QUIZ}-{q0['id']}-o{i}")).to_be_checked(checked=i in right(q0))
    assert_focus_visible(page)
    tab_to(page, f"{qsel(q0)} .kq-check")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(root.locator(".kq-result")).to_be_focused()
    expect(root.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(UI["quiz.correct"])))
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 1))

    # Back to Try again with Shift+Tab, press it with Space: the first option has the focus.
    page.keyboard.press("Shift+Tab")
    expect(root.locator(".kq-retry")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Space")
    expect(page.locator(f"#kq-{QUIZ}-{q0['id']}-o0")).to_be_focused()
    expect(root.locator(".kq-result")).to_be_empty()

    # A multiple-answer question: Tab between boxes, Space on a wrong one.
    m = multiple(b)
    tab_to(page, f"#kq-{QUIZ}-{m['id']}-o0")
    for i in range(len(m["options"])):
        if i == wrong(m)[0]:
            page.keyboard.press("Space")
        if i < len(m["options"]) - 1:
            page.keyboard.press("Tab")
    tab_to(page, f"{qsel(m)} .kq-check")
    page.keyboard.press("Enter")
    mresult = page.locator(f"{qsel(m)} .kq-result")
    expect(mresult).to_be_focused()
    expect(mresult).to_have_text(re.compile("^" + re.escape(UI["quiz.incorrect"])))
    expect(page.locator(f"{qsel(m)} .kq-opt").nth(wrong(m)[0])).to_have_class(re.compile(r"\bkq-wrong\b"))
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 1))
    page.watch.assert_clean("quiz with the keyboard")


def test_a_checked_answer_is_kept_until_try_again(quiz):
    """Arrow keys, Space and clicks after Check change nothing; Try again frees the question."""
    page, b = quiz, bank()
    total = len(b["questions"])
    s = first(b, lambda q: q["type"] != "multiple" and len(q["options"]) >= 3)
    m = multiple(b)
    root = page.locator(qsel(s))
    chosen = right(s)[0]
    answer(page, s, [chosen])
    radio = page.locator(f"#kq-{QUIZ}-{s['id']}-o{chosen}")
    expect(radio).to_have_attribute("aria-disabled", "true")
    radio.focus()
    for key in ("ArrowDown", "ArrowUp", "ArrowRight", "ArrowLeft", "Space", "ArrowDown"):
        page.keyboard.press(key)
        expect(radio).to_be_checked()
        expect(radio).to_be_focused()  # still reachable: focusable, not disabled
    other = next(i for i in range(len(s["options"])) if i != chosen)
    page.locator(f"label[for='kq-{QUIZ}-{s['id']}-o{other}']").click(force=True)  # aria-disabled: Playwright would wait
    expect(radio).to_be_checked()
    expect(root.locator("input:checked")).to_have_count(1)
    expect(root.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(UI["quiz.correct"])))
    expect(root.locator(".kq-opt").nth(chosen).locator(".kq-fb")).to_be_visible()
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 1))
    assert saved(page)["answers"][s["id"]] == [chosen] and saved(page)["checked"] == {s["id"]: True}

    # A tick box: Space and clicks leave it as checked.
    answer(page, m, right(m))
    box = page.locator(f"#kq-{QUIZ}-{m['id']}-o{wrong(m)[0]}")
    box.focus()
    page.keyboard.press("Space")
    expect(box).not_to_be_checked()
    box.click(force=True)
    expect(box).not_to_be_checked()
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(2, total, 2))

    # Try again: the question is free again, and the arrow keys choose.
    root.locator(".kq-retry").click()
    first_radio = page.locator(f"#kq-{QUIZ}-{s['id']}-o0")
    expect(first_radio).to_be_focused()
    expect(first_radio).not_to_have_attribute("aria-disabled", "true")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#kq-{QUIZ}-{s['id']}-o1")).to_be_checked()
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 1))
    page.watch.assert_clean("checked answer kept")


def test_feedback_describes_its_input_once_shown(quiz):
    page, b = quiz, bank()
    s = first(b, lambda q: q["type"] != "multiple" and len(q["options"]) >= 3)
    root = page.locator(qsel(s))
    for i in range(len(s["options"])):  # nothing shown yet: nothing linked
        expect(page.locator(f"#kq-{QUIZ}-{s['id']}-o{i}")).not_to_have_attribute("aria-describedby", re.compile("."))
    bad = wrong(s)[0]
    answer(page, s, [bad])
    for i in range(len(s["options"])):
        box = page.locator(f"#kq-{QUIZ}-{s['id']}-o{i}")
        fb = root.locator(".kq-opt").nth(i).locator(".kq-fb")
        if i == bad or i in right(s):
            expect(fb).to_be_visible()
            expect(box).to_have_attribute("aria-describedby", f"kq-{QUIZ}-{s['id']}-o{i}-fb")
            expect(box).to_have_accessible_description(re.compile(re.escape(fb.inner_text().strip()[-30:])))
        else:
            expect(fb).to_be_hidden()
            expect(box).not_to_have_attribute("aria-describedby", re.compile("."))
    root.locator(".kq-retry").click()
    for i in range(len(s["options"])):
        expect(page.locator(f"#kq-{QUIZ}-{s['id']}-o{i}")).not_to_have_attribute("aria-describedby", re.compile("."))
    page.watch.assert_clean("feedback descriptions")


def test_buttons_and_region_have_their_own_names(quiz):
    page, b = quiz, bank()
    qs = b["questions"]
    checks = page.locator(f"#kq-{QUIZ} .kq-check")
    expect(checks).to_have_count(len(qs))
    for n, q in enumerate(qs, 1):
        name = UI["quiz.check_n"].format(n=n)
        assert name.startswith(UI["quiz.check"])  # the visible word starts the name (WCAG 2.5.3)
        button = page.get_by_role("button", name=name, exact=True)
        expect(button).to_have_count(1)
        assert button.evaluate("e => e.closest('.kq-q').id") == f"kq-{QUIZ}-{q['id']}"
    answer(page, qs[2], right(qs[2]))
    again = page.get_by_role("button", name=UI["quiz.try_again_n"].format(n=3), exact=True)
    expect(again).to_be_visible()
    assert again.inner_text().strip() == UI["quiz.try_again"]
    heading = page.locator("article h1").first.evaluate("e => e.firstChild.textContent").strip()
    assert heading == b["title"]  # the page heading repeats the bank title: the region must not
    region = page.get_by_role("region", name=UI["quiz.region"].format(title=b["title"]), exact=True)
    expect(region).to_have_count(1)
    assert region.get_attribute("aria-label") != heading and region.get_attribute("id") == f"kq-{QUIZ}"
    page.watch.assert_clean("names")


# ------------------------------------------------------------------ saving

def test_answers_kept_over_reload_then_cleared(quiz):
    page, b = quiz, bank()
    total = len(b["questions"])
    q0, q1 = b["questions"][0], b["questions"][1]
    answer(page, q0, right(q0))
    pick(page, q1, wrong(q1)[:1])  # chosen but not checked
    data = saved(page)
    assert data["answers"] == {q0["id"]: right(q0), q1["id"]: wrong(q1)[:1]}
    assert data["checked"] == {q0["id"]: True}

    reload(page)
    root0 = page.locator(qsel(q0))
    for i in right(q0):
        expect(page.locator(f"#kq-{QUIZ}-{q0['id']}-o{i}")).to_be_checked()
    expect(root0.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(UI["quiz.correct"])))
    expect(root0.locator(".kq-opt").nth(right(q0)[0]).locator(".kq-fb")).to_be_visible()
    expect(page.locator(f"#kq-{QUIZ}-{q1['id']}-o{wrong(q1)[0]}")).to_be_checked()
    expect(page.locator(f"{qsel(q1)} .kq-result")).to_be_empty()
    expect(page.locator(f"{qsel(q1)} .kq-fb:visible")).to_have_count(0)
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 1))

    page.locator(f"#kq-{QUIZ} .kq-clear").click()
    expect(page.locator(f"#kq-{QUIZ} .kq-note")).to_have_text(UI["quiz.cleared"])
    expect(page.locator(f"#kq-{QUIZ} input:checked")).to_have_count(0)
    expect(page.locator(f"#kq-{QUIZ} .kq-fb:visible")).to_have_count(0)
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 0))
    assert saved(page) is None
    reload(page)
    expect(page.locator(f"#kq-{QUIZ} input:checked")).to_have_count(0)
    expect(root0.locator(".kq-result")).to_be_empty()
    page.watch.assert_clean("saving and clearing")


def test_a_record_of_the_old_option_order_is_ignored(quiz):
    """Answers saved before options were ordered (book/data/ordering.py)
    numbered them as the bank lists them, and the record says no format
    ("v"): today that number is another option. Such a record is ignored,
    never judged, and the next save replaces it; the same record with
    today's format is read, so the format is what decides."""
    page, b = quiz, bank()
    total = len(b["questions"])
    authored = banks.load_authored(banks.bank_path(QUIZ)).model_dump(mode="json")
    old = {"answers": {q["id"]: right(q) for q in authored["questions"]},
           "checked": {q["id"]: True for q in authored["questions"]}}
    moved = [q["id"] for q, a in zip(b["questions"], authored["questions"]) if right(q) != right(a)]
    assert moved, "no right answer moved between the bank's order and the page's: nothing to test"
    section = page.locator(f"#kq-{QUIZ}")

    page.evaluate("([key, r]) => localStorage.setItem(key, JSON.stringify(r))", [f"kq:{QUIZ}", old])
    reload(page)
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 0))
    expect(section.locator("input:checked")).to_have_count(0)
    expect(section.locator(".kq-fb:visible")).to_have_count(0)
    expect(section.locator(".kq-result:not(:empty)")).to_have_count(0)
    expect(section.locator("input[aria-disabled]")).to_have_count(0)
    q0 = b["questions"][0]
    answer(page, q0, right(q0))
    assert saved(page) == {"v": RECORD_FORMAT, "answers": {q0["id"]: right(q0)}, "checked": {q0["id"]: True}}

    today = {"v": RECORD_FORMAT, "answers": {q["id"]: right(q) for q in b["questions"]},
             "checked": {q["id"]: True for q in b["questions"]}}
    page.evaluate("([key, r]) => localStorage.setItem(key, JSON.stringify(r))", [f"kq:{QUIZ}", today])
    reload(page)
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(total, total, total))
    page.watch.assert_clean("a record of the old option order")


def test_summary_names_the_questions_to_review(quiz):
    page, b = quiz, bank()
    qs = b["questions"]
    total = len(qs)
    missed = {qs[1]["id"], qs[-1]["id"]}
    summary = page.locator(f"#kq-{QUIZ}-summary")
    for n, q in enumerate(qs):
        answer(page, q, miss(q) if q["id"] in missed else right(q))
        if n < total - 1:
            expect(summary).to_be_hidden()
    expect(summary).to_be_visible()
    assert summary.get_attribute("role") == "status"
    expect(summary).to_contain_text(UI["quiz.summary_done"].format(score=total - 2, total=total))
    expect(summary).to_contain_text(UI["quiz.summary_review"])
    links = summary.locator("a")
    expect(links).to_have_count(2)
    expected = [(n, q) for n, q in enumerate(qs, 1) if q["id"] in missed]
    for link, (n, q) in zip(links.all(), expected):
        assert link.get_attribute("href") == f"#kq-{QUIZ}-{q['id']}"
        assert link.inner_text() == UI["quiz.question"].format(n=n, total=total)
    links.first.click()
    assert page.url.endswith(f"#kq-{QUIZ}-{qs[1]['id']}")
    expect(page.locator(qsel(qs[1]))).to_be_in_viewport()
    data = saved(page)  # only answers (and the record's format) are kept: every count is worked out from them
    assert set(data) == {"v", "answers", "checked"} and data["checked"] == {q["id"]: True for q in qs}

    # Put the two right: nothing left to review.
    for q in (qs[1], qs[-1]):
        page.locator(f"{qsel(q)} .kq-retry").click()
        answer(page, q, right(q))
    expect(summary).to_contain_text(UI["quiz.summary_done"].format(score=total, total=total))
    expect(summary).to_contain_text(UI["quiz.summary_perfect"])
    expect(summary.locator("a")).to_have_count(0)
    page.watch.assert_clean("summary")


# ------------------------------------------------------------------ the final check as an exam

EXAM = "final"
EXAM_PAGE = "pages/final-check.html"
SEED = "window.kqSeed = {seed};"  # quiz.js draws with a seeded generator when a test sets one


def pool(b: dict) -> dict[str, list[str]]:
    """Learning point -> its variants (question ids), in bank order."""
    out: dict[str, list[str]] = {}
    for q in b["questions"]:
        out.setdefault(q["tags"].get("point") or q["id"], []).append(q["id"])
    return out


def drawn(page) -> list[str]:
    """The ids of the exam questions the page shows, in page order."""
    return page.eval_on_selector_all(f"#kq-{EXAM} .kq-q:not([hidden])", "els => els.map(e => e.dataset.kqQ)")


def open_exam(page, server, seed: int | None = 11):
    page.add_init_script(THEME_MODE)
    if seed is not None:
        page.add_init_script(SEED.format(seed=seed))
    open_page(page, server + EXAM_PAGE)
    expect(page.locator(f"#kq-{EXAM}-score")).not_to_be_empty()  # the script has run
    return page


def assert_one_per_point(b: dict, ids: list[str]) -> None:
    points = pool(b)
    order = [q["id"] for q in b["questions"]]
    assert len(ids) == len(points), f"{len(ids)} questions shown for {len(points)} learning points"
    for point, variants in points.items():
        assert sum(qid in variants for qid in ids) == 1, f"point {point}: {ids}"
    assert ids == sorted(ids, key=order.index), "the drawn questions are not in page order"


def assert_nothing_revealed(page) -> None:
    section = page.locator(f"#kq-{EXAM}")
    expect(section.locator(".kq-fb:visible")).to_have_count(0)
    expect(section.locator(".kq-explain:visible")).to_have_count(0)
    expect(section.locator(".kq-right, .kq-wrong")).to_have_count(0)
    expect(section.locator(".kq-mark:not(:empty)")).to_have_count(0)
    for result in section.locator(".kq-result").all():
        expect(result).to_be_empty()
    expect(section.locator(".kq-summary")).to_be_hidden()
    expect(section.locator("input[aria-describedby]")).to_have_count(0)


def test_exam_says_nothing_until_submitted_then_everything(page, server):
    b = bank(EXAM)
    assert b.get("exam") is True, "quizzes/final.yml is not an exam bank"
    by_id = {q["id"]: q for q in b["questions"]}
    open_exam(page, server)
    section = page.locator(f"#kq-{EXAM}")
    ids = drawn(page)
    total = len(pool(b))
    assert_one_per_point(b, ids)
    expect(section.locator(".kq-intro")).to_have_text(UI["quiz.exam_intro"].format(count=total))
    expect(section.locator(".kq-check, .kq-retry")).to_have_count(0)
    nums = section.locator(".kq-q:not([hidden]) .kq-num")
    expect(nums).to_have_text([UI["quiz.question"].format(n=n, total=total) for n in range(1, total + 1)])
    expect(page.locator(f"#kq-{EXAM}-score")).to_have_text(UI["quiz.exam_progress"].format(answered=0, total=total))
    assert saved(page, EXAM)["attempt"] == {"set": ids, "answers": {}, "submitted": False}

    # Answer all but the last, right and wrong by turns: nothing is judged.
    plan = {qid: (right(by_id[qid]) if n % 2 == 0 else miss(by_id[qid])) for n, qid in enumerate(ids)}
    for n, qid in enumerate(ids[:-1]):
        pick(page, by_id[qid], plan[qid], EXAM)
        expect(page.locator(f"#kq-{EXAM}-score")).to_have_text(
            UI["quiz.exam_progress"].format(answered=n + 1, total=total))
    assert_nothing_revealed(page)

    # A reload shows the same attempt.
    reload(page)
    expect(page.locator(f"#kq-{EXAM}-score")).not_to_be_empty()
    assert drawn(page) == ids
    for qid in ids[:-1]:
        for i in plan[qid]:
            expect(page.locator(f"#kq-{EXAM}-{qid}-o{i}")).to_be_checked()
    assert_nothing_revealed(page)
    _axe(page, "exam, answered, not submitted")

    # Submitting with a question left: it is named, and nothing is judged.
    submit = section.get_by_role("button", name=UI["quiz.submit"])
    submit.click()
    summary = page.locator(f"#kq-{EXAM}-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(UI["quiz.exam_missing"])
    expect(summary.locator("a")).to_have_text([UI["quiz.question"].format(n=total, total=total)])
    assert summary.locator("a").get_attribute("href") == f"#kq-{EXAM}-{ids[-1]}"
    expect(section.locator(".kq-fb:visible")).to_have_count(0)
    pick(page, by_id[ids[-1]], plan[ids[-1]], EXAM)
    expect(summary).to_be_hidden()

    # Submitted: feedback on every option of every question shown.
    submit.click()
    expected = sum(judge_dict(by_id[qid], plan[qid]) for qid in ids)
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(UI["quiz.exam_done"].format(score=expected, total=total))
    assert not summary.evaluate(f"e => e.matches({LIVE!r})"), "the summary is read by the focus; not live too"
    expect(page.locator(f"#kq-{EXAM}-score")).to_have_text(score_text(expected, total, total))
    for qid in ids:
        q, root = by_id[qid], page.locator(qsel(by_id[qid], EXAM))
        for i in range(len(q["options"])):
            opt = root.locator(".kq-opt").nth(i)
            expect(opt.locator(".kq-fb")).to_be_visible()
            mark = UI["quiz.correct_mark"] if i in right(q) else UI["quiz.wrong_mark"]
            expect(opt.locator(".kq-tag")).to_have_text(mark)
            expect(opt.locator(".kq-you")).to_have_count(1 if i in plan[qid] else 0)
            inp = page.locator(f"#kq-{EXAM}-{qid}-o{i}")
            expect(inp).to_have_attribute("aria-describedby", f"kq-{EXAM}-{qid}-o{i}-fb")
            expect(inp).to_have_attribute("aria-disabled", "true")
        verdict = UI["quiz.correct"] if judge_dict(q, plan[qid]) else UI["quiz.incorrect"].split(":")[0]
        expect(root.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(verdict)))
    assert drawn(page) == ids  # the other variants stay out of sight
    expect(submit).to_be_hidden()
    expect(section.get_by_role("button", name=UI["quiz.retake"])).to_be_visible()
    data = saved(page, EXAM)
    assert data["attempt"]["submitted"] is True and data["attempt"]["set"] == ids
    assert data["best"] == {"set": ids, "answers": plan}

    _axe(page, "exam, submitted")

    # The submitted answers stay as they were.
    q0 = by_id[ids[0]]
    other = next(i for i in range(len(q0["options"])) if i not in plan[ids[0]])
    page.locator(f"label[for='kq-{EXAM}-{ids[0]}-o{other}']").click(force=True)
    expect(page.locator(f"#kq-{EXAM}-{ids[0]}-o{other}")).not_to_be_checked()
    page.watch.assert_clean("exam")


def judge_dict(q: dict, chosen: list[int]) -> bool:
    return judge(Question.model_validate(q), set(chosen)).correct


def test_exam_retake_draws_another_set(page, server):
    b = bank(EXAM)
    by_id = {q["id"]: q for q in b["questions"]}
    points = pool(b)
    total = len(points)
    open_exam(page, server, seed=5)
    section = page.locator(f"#kq-{EXAM}")
    first_set = drawn(page)
    for qid in first_set:
        pick(page, by_id[qid], right(by_id[qid]), EXAM)
    section.get_by_role("button", name=UI["quiz.submit"]).click()
    expect(page.locator(f"#kq-{EXAM}-score")).to_have_text(score_text(total, total, total))

    section.get_by_role("button", name=UI["quiz.retake"]).click()
    second = drawn(page)
    assert_one_per_point(b, second)
    for point, variants in points.items():
        before = next(q for q in first_set if q in variants)
        after = next(q for q in second if q in variants)
        if len(variants) > 1:
            assert after != before, f"point {point} has {len(variants)} variants but showed {before} again"
        else:
            assert after == before
    assert any(len(v) > 1 for v in points.values()), "no point has two variants: nothing to draw from"
    expect(page.locator(qsel(by_id[second[0]], EXAM))).to_be_focused()
    expect(section.locator("input:checked")).to_have_count(0)
    assert_nothing_revealed(page)
    expect(section.locator("input[aria-disabled]")).to_have_count(0)
    expect(page.locator(f"#kq-{EXAM}-score")).to_have_text(UI["quiz.exam_progress"].format(answered=0, total=total))
    expect(section.get_by_role("button", name=UI["quiz.submit"])).to_be_visible()
    expect(section.get_by_role("button", name=UI["quiz.retake"])).to_be_hidden()
    data = saved(page, EXAM)
    assert data["attempt"] == {"set": second, "answers": {}, "submitted": False}
    assert data["best"]["set"] == first_set  # the submitted attempt still counts
    reload(page)
    expect(page.locator(f"#kq-{EXAM}-score")).not_to_be_empty()
    assert drawn(page) == second
    page.watch.assert_clean("retake")


def test_exam_draw_is_random_and_repeatable_with_a_seed(browser, server):
    b = bank(EXAM)

    def draw(seed):
        ctx = browser.new_context()
        try:
            page = ctx.new_page()
            page.watch = PageWatch(page, server.split("/")[2])
            open_exam(page, server, seed)
            ids = drawn(page)
            page.watch.assert_clean(f"draw with seed {seed}")
            return ids
        finally:
            ctx.close()

    sets = {seed: draw(seed) for seed in (1, 2, 3, 4)}
    for ids in sets.values():
        assert_one_per_point(b, ids)
    assert draw(1) == sets[1], "the same seed drew another set"
    assert len({tuple(ids) for ids in sets.values()}) > 1, "four seeds drew the same set: the draw is not random"
    assert_one_per_point(b, draw(None))  # the browser's own randomness


def test_exam_projector_and_print(page, server):
    b = bank(EXAM)
    by_id = {q["id"]: q for q in b["questions"]}
    open_exam(page, server)
    section = page.locator(f"#kq-{EXAM}")
    ids = drawn(page)
    pick(page, by_id[ids[0]], miss(by_id[ids[0]]), EXAM)

    # Projector mode steps through the drawn questions only, each blank. The
    # attempt is not submitted, so there is no Reveal: a note says why.
    bar = section.locator(".kq-pbar")
    section.locator(".kq-projector-open").click()
    expect(section).to_have_class(re.compile(r"\bkq-projector\b"))
    expect(section.locator(".kq-exam-actions")).to_be_hidden()
    seen = []
    for n in range(len(ids)):
        current = section.locator(".kq-q.kq-current")
        expect(current).to_be_focused()
        seen.append(current.get_attribute("data-kq-q"))
        expect(section.locator(".kq-q:visible")).to_have_count(1)
        expect(current.locator("input:checked")).to_have_count(0)
        expect(bar.get_by_role("button", name=UI["quiz.reveal"])).to_have_count(0)
        expect(bar.get_by_text(UI["quiz.reveal_after_submit"])).to_be_visible()
        if n < len(ids) - 1:
            page.keyboard.press("ArrowRight")
    assert seen == ids
    expect(section.get_by_role("button", name=UI["quiz.next"])).to_be_disabled()
    section.locator(".kq-reveal").evaluate("b => b.click()")  # even a scripted press shows nothing
    assert_nothing_revealed(page)
    page.keyboard.press("Escape")
    expect(page.locator(f"#kq-{EXAM}-{ids[0]}-o{miss(by_id[ids[0]])[0]}")).to_be_checked()
    assert_nothing_revealed(page)

    # Submitted: projector mode reveals the attempt's answers, for the group to go through.
    for qid in ids[1:]:
        pick(page, by_id[qid], right(by_id[qid]), EXAM)
    section.get_by_role("button", name=UI["quiz.submit"]).click()
    expect(section.locator(".kq-fb:visible").first).to_be_visible()
    section.locator(".kq-projector-open").click()
    current = section.locator(".kq-q.kq-current")
    expect(current).to_have_attribute("data-kq-q", ids[0])
    expect(current.locator(".kq-fb:visible")).to_have_count(0)
    expect(bar.get_by_text(UI["quiz.reveal_after_submit"])).to_be_hidden()
    bar.get_by_role("button", name=UI["quiz.reveal"]).click()
    expect(current.locator(".kq-fb:visible")).to_have_count(len(by_id[ids[0]]["options"]))
    page.keyboard.press("Escape")
    expect(section).not_to_have_class(re.compile(r"\bkq-projector\b"))

    # On paper: the drawn questions as a blank sheet, also after submitting.
    page.emulate_media(media="print")
    expect(section.locator(".kq-q:visible")).to_have_count(len(ids))
    for hidden in (".kq-fb", ".kq-explain", ".kq-result", ".kq-score", ".kq-summary", "button"):
        expect(section.locator(f"{hidden}:visible")).to_have_count(0)
    page.watch.assert_clean("exam projector and print")


# ------------------------------------------------------------------ storage blocked or full

@pytest.fixture
def faulty(browser, server):
    """A page in a fresh context whose local and session storage are blocked."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script(BLOCK)
    ctx.add_init_script(THEME_READY)
    page = ctx.new_page()
    page.watch = PageWatch(page, server.split("/")[2])
    yield page
    ctx.close()


def assert_said_once(page) -> None:
    """The quiz says, once and visibly, that answers will not be kept."""
    lost = page.get_by_text(UI["quiz.storage_lost"], exact=True)
    expect(lost).to_have_count(1)
    expect(lost).to_be_visible()
    expect(page.get_by_text(UI["quiz.storage_note"], exact=True)).to_have_count(0)


def test_storage_blocked_the_quiz_works_and_says_so(faulty, server):
    page, b = faulty, bank()
    total = len(b["questions"])
    open_page(page, server + PAGE)
    expect(page.locator(f"#kq-{QUIZ}-score")).not_to_be_empty()
    assert_said_once(page)
    q0, q1 = b["questions"][0], b["questions"][1]
    answer(page, q0, right(q0))
    answer(page, q1, miss(q1))
    expect(page.locator(f"{qsel(q0)} .kq-result")).to_have_text(re.compile("^" + re.escape(UI["quiz.correct"])))
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 2))
    assert_said_once(page)  # saving failed again and again: still said once
    page.locator(f"#kq-{QUIZ} .kq-clear").click()
    expect(page.locator(f"#kq-{QUIZ} input:checked")).to_have_count(0)
    assert_said_once(page)
    assert_colour_switch_works(page)
    page.reload()
    wait_ready(page)
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 0))

    # The exam works too, and says the same once.
    e = bank(EXAM)
    by_id = {q["id"]: q for q in e["questions"]}
    open_page(page, server + EXAM_PAGE)
    expect(page.locator(f"#kq-{EXAM}-score")).not_to_be_empty()
    assert_said_once(page)
    ids = drawn(page)
    assert_one_per_point(e, ids)
    for qid in ids:
        pick(page, by_id[qid], right(by_id[qid]), EXAM)
    page.locator(f"#kq-{EXAM} .kq-submit").click()
    points = len(pool(e))
    expect(page.locator(f"#kq-{EXAM}-summary")).to_contain_text(UI["quiz.exam_done"].format(score=points, total=points))
    page.locator(f"#kq-{EXAM} .kq-retake").click()
    assert_one_per_point(e, drawn(page))
    assert_colour_switch_works(page)
    page.watch.assert_clean("storage blocked")


def test_storage_full_the_quiz_works_says_so_and_still_clears(page, server):
    b = bank()
    total = len(b["questions"])
    q0, q1 = b["questions"][0], b["questions"][1]
    page.add_init_script(THEME_MODE)
    page.add_init_script(THEME_READY)
    open_page(page, server + PAGE)
    answer(page, q0, right(q0))  # kept before the storage filled up
    assert saved(page)["checked"] == {q0["id"]: True}
    fill(page)

    page.reload()
    wait_ready(page)
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 1))  # what was kept still shows
    assert_said_once(page)
    answer(page, q1, miss(q1))
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 2))
    assert_said_once(page)
    assert_colour_switch_works(page)
    reload(page)
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(1, total, 1))  # as the quiz said

    # "Clear my answers" still removes what the device holds.
    page.locator(f"#kq-{QUIZ} .kq-clear").click()
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 0))
    reload(page)
    expect(page.locator(f"#kq-{QUIZ}-score")).to_have_text(score_text(0, total, 0))
    assert page.evaluate(f"localStorage.getItem('kq:{QUIZ}')") is None
    page.watch.assert_clean("storage full")


# ------------------------------------------------------------------ projector mode

def test_projector_mode(quiz):
    page, b = quiz, bank()
    qs = b["questions"]
    section = page.locator(f"#kq-{QUIZ}")
    answer(page, qs[0], miss(qs[0]))  # a learner's checked answer must not show on the screen
    opener = section.locator(".kq-projector-open")
    opener.click()
    expect(section).to_have_class(re.compile(r"\bkq-projector\b"))
    assert section.get_attribute("role") == "dialog" and section.get_attribute("aria-modal") == "true"
    expect(section.locator(".kq-q:visible")).to_have_count(1)
    current = page.locator(qsel(qs[0]))
    expect(current).to_be_visible()
    expect(current).to_be_focused()
    expect(section.locator(".kq-fb:visible")).to_have_count(0)
    expect(section.locator(".kq-explain:visible")).to_have_count(0)
    expect(section.locator("input:checked")).to_have_count(0)
    expect(section.locator(".kq-right, .kq-wrong")).to_have_count(0)
    assert page.locator("#pst-skip-link").evaluate("e => !!e.closest('[inert]')"), "the page behind is not inert"
    box = section.bounding_box()
    viewport = page.viewport_size
    assert box["width"] >= viewport["width"] - 1 and box["height"] >= viewport["height"] - 1

    bar = section.locator(".kq-pbar")
    expect(bar.get_by_role("button", name=UI["quiz.previous"])).to_be_disabled()
    bar.get_by_role("button", name=UI["quiz.reveal"]).click()
    opts = current.locator(".kq-opt")
    expect(current.locator(".kq-fb:visible")).to_have_count(len(qs[0]["options"]))
    for i in range(len(qs[0]["options"])):
        mark = UI["quiz.correct_mark"] if i in right(qs[0]) else UI["quiz.wrong_mark"]
        expect(opts.nth(i).locator(".kq-mark")).to_have_text(mark)
        expect(opts.nth(i)).to_have_class(re.compile(r"\bkq-right\b" if i in right(qs[0]) else r"\bkq-wrong\b"))
    if qs[0].get("explanation"):
        expect(current.locator(".kq-explain")).to_be_visible()

    bar.get_by_role("button", name=UI["quiz.next"]).click()
    second = page.locator(qsel(qs[1]))
    expect(second).to_be_visible()
    expect(second).to_be_focused()
    expect(current).to_be_hidden()
    expect(second.locator(".kq-fb:visible")).to_have_count(0)
    page.keyboard.press("ArrowRight")
    expect(page.locator(qsel(qs[2]))).to_be_visible()
    expect(second).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(second).to_be_visible()
    expect(second).to_be_focused()

    page.keyboard.press("Escape")
    expect(section).not_to_have_class(re.compile(r"\bkq-projector\b"))
    expect(opener).to_be_focused()
    assert section.get_attribute("role") is None
    assert not page.locator("#pst-skip-link").evaluate("e => !!e.closest('[inert]')")
    # The learner's own answer is back, with its feedback, and was never changed.
    expect(page.locator(f"#kq-{QUIZ}-{qs[0]['id']}-o{miss(qs[0])[0]}")).to_be_checked()
    expect(current.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(UI["quiz.incorrect"])))
    assert saved(page)["answers"] == {qs[0]["id"]: miss(qs[0])}

    # The Leave button, and the address a facilitator's plan links to.
    opener.click()
    section.locator(".kq-pbar").get_by_role("button", name=UI["quiz.projector_exit"]).click()
    expect(section).not_to_have_class(re.compile(r"\bkq-projector\b"))
    expect(opener).to_be_focused()
    page.evaluate(f"location.hash = '#projector-{QUIZ}'")
    expect(section).to_have_class(re.compile(r"\bkq-projector\b"))
    expect(page.locator(qsel(qs[0]))).to_be_focused()
    page.keyboard.press("Escape")
    expect(section).not_to_have_class(re.compile(r"\bkq-projector\b"))
    page.watch.assert_clean("projector mode")

    fresh = page.context.new_page()  # opened straight at that address
    fresh.watch = PageWatch(fresh, page.watch.allowed_host)
    open_page(fresh, page.url.split("#")[0] + f"#projector-{QUIZ}")
    expect(fresh.locator(f"#kq-{QUIZ}")).to_have_class(re.compile(r"\bkq-projector\b"))
    expect(fresh.locator(qsel(qs[0]))).to_be_focused()
    fresh.watch.assert_clean("projector mode from the address")
    fresh.close()


# ------------------------------------------------------------------ accessibility, small screens, paper

def _axe(page, where: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the theme's floating "back to top" button is not the quiz's
    # preload: false, or axe re-fetches stylesheets and resolves the theme's
    # @import "../basic.css" against the page, a 404 that is axe's, not the book's.
    result = Axe().run(page, context={"include": [[".kq-quiz"]]},
                       options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "preload": False, **VIOLATIONS_ONLY})
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result.response["violations"]]
    assert not problems, f"{where}: " + "; ".join(problems)


def _answer_some(page, b: dict) -> None:
    """Right, wrong and (if possible) partial answers, so every kind of feedback shows."""
    for n, q in enumerate(b["questions"]):
        if q["type"] == "multiple" and n % 3 == 2:
            answer(page, q, [right(q)[0], *wrong(q)[:1]])
        else:
            answer(page, q, right(q) if n % 2 == 0 else miss(q))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_quiz(quiz, theme):
    page, b = quiz, bank()
    # as the theme's colour switch stores a reader's choice: the mode and the
    # theme (once the theme's script, loaded after the first paint, has run:
    # it stores its own choice when it starts)
    wait_ready(page)
    page.evaluate(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}')")
    reload(page)
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    _axe(page, f"{theme}, unanswered")
    page.locator(f"{qsel(b['questions'][0])} .kq-check").click()  # "choose first" message
    _answer_some(page, b)
    expect(page.locator(f"#kq-{QUIZ}-summary")).to_be_visible()
    _axe(page, f"{theme}, answered")
    page.locator(f"#kq-{QUIZ} .kq-projector-open").click()
    _axe(page, f"{theme}, projector")
    page.locator(f"#kq-{QUIZ} .kq-reveal").click()
    _axe(page, f"{theme}, projector revealed")
    page.watch.assert_clean(f"axe {theme}")


def test_fits_a_360px_screen(quiz):
    page, b = quiz, bank()
    page.set_viewport_size({"width": 360, "height": 740})
    _answer_some(page, b)
    section = page.locator(f"#kq-{QUIZ}")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert section.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    box = section.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    small = page.eval_on_selector_all(
        f"#kq-{QUIZ} input, #kq-{QUIZ} button",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect())"
        ".filter(r => r.width < 24 || r.height < 24).length")
    assert small == 0, "a control is smaller than 24 x 24 px"
    section.locator(".kq-projector-open").click()
    section.locator(".kq-reveal").click()
    assert section.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    for control in section.locator(".kq-pbar button").all():
        cbox = control.bounding_box()
        assert cbox["x"] >= 0 and cbox["x"] + cbox["width"] <= 360
    page.watch.assert_clean("360 px")


def _paper(page) -> str:
    pdf = page.pdf(format="A4")
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)).strip()


def test_print_shows_questions_without_answers(quiz):
    page, b = quiz, bank()
    page.emulate_media(media="print")
    blank = _paper(page)
    page.emulate_media(media="screen")
    _answer_some(page, b)
    expect(page.locator(f"#kq-{QUIZ}-summary")).to_be_visible()
    page.emulate_media(media="print")
    section = page.locator(f"#kq-{QUIZ}")
    expect(section.locator(".kq-q:visible")).to_have_count(len(b["questions"]))
    for hidden in (".kq-fb", ".kq-explain", ".kq-result", ".kq-score", ".kq-summary", ".kq-toolbar",
                   ".kq-note", ".kq-intro", "button"):
        expect(section.locator(f"{hidden}:visible")).to_have_count(0)
    looks = page.eval_on_selector_all(
        f"#kq-{QUIZ} input",
        "els => els.map(e => [e.offsetParent !== null, getComputedStyle(e).appearance])")
    assert looks and all(visible and appearance == "none" for visible, appearance in looks), \
        "every option needs an empty box on paper"
    answered = _paper(page)
    prompt = re.sub(r"\s+", " ", page.locator(f"{qsel(b['questions'][-1])} .kq-prompt").inner_text()).strip()
    assert prompt[:40] in answered
    assert UI["quiz.you_chose"] not in answered
    assert answered == blank, "answering the quiz changed what prints"
    page.watch.assert_clean("print")


# ------------------------------------------------------------------ a page made here, opened from disk

EVIL_SCRIPT = "<script>window.__pwned=1</script>"
EVIL_IMG = '<img src=x onerror="window.__pwned=1">'
LONG_WORD = "https://example.org/" + "unbreakable" * 8  # must wrap, not widen the page


def _tags() -> Tags:
    return Tags.model_construct(module="law", roles=["volunteer"], difficulty="easy", objective=None)


def _option(text: str, correct: bool, feedback: str) -> Option:
    return Option.model_construct(text=text, correct=correct, feedback=feedback)


def _question(qid: str, qtype: str, prompt: str, options: list[Option], situation=None, explanation=None):
    return Question.model_construct(id=qid, type=qtype, situation=situation, prompt=prompt, options=options,
                                    explanation=explanation, facts=[], tags=_tags())


def _evil_bank() -> Bank:
    """Every text field holds markup; model_construct skips the validators that forbid it."""
    return Bank.model_construct(id="evil", title=f"Evil {EVIL_IMG}", questions=[
        _question("evil-one", "scenario", f"Prompt {EVIL_SCRIPT}", situation=f"Situation {EVIL_IMG}",
                  explanation=f"Explanation {EVIL_SCRIPT}", options=[
                      _option(f"Right {EVIL_IMG}", True, f"Feedback {EVIL_SCRIPT}"),
                      _option(f"Wrong {EVIL_SCRIPT}", False, f"Feedback {EVIL_IMG}"),
                  ]),
        _question("evil-many", "multiple", f"Many {EVIL_IMG}", options=[
            _option(f"A {EVIL_SCRIPT}", True, f"fa {EVIL_IMG}"),
            _option(f"B {EVIL_IMG}", False, f"fb {EVIL_SCRIPT}"),
            _option(LONG_WORD, False, LONG_WORD),
        ]),
    ])


def _judge_bank() -> Bank:
    """Every question type, for the exhaustive comparison with book/data/scoring.py."""
    def opts(flags):
        return [_option(f"Option {i}", c, f"Because {i}") for i, c in enumerate(flags)]
    return Bank.model_construct(id="rules", title="Rules", questions=[
        _question("one", "single", "Single", opts([False, True, False, False])),
        _question("tf", "true-false", "True or false", opts([True, False])),
        _question("sc", "scenario", "Scenario", opts([False, False, True]), situation="A situation"),
        _question("many", "multiple", "Multiple", opts([True, False, True, False])),
        _question("all", "multiple", "All of them", opts([True, True, True])),
    ])


@pytest.fixture
def disk_page(context, tmp_path):
    """Two quizzes on one page in tmp_path, next to copies of record.js, quiz.js and quiz.css, opened via file://."""
    for name in ("record.js", "quiz.js", "quiz.css"):
        shutil.copy(ROOT / "book" / "static" / name, tmp_path / name)
    body = render(_evil_bank()) + render(_judge_bank())
    (tmp_path / "quiz.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quiz</title>'
        '<link rel="stylesheet" href="quiz.css"></head><body><main>'
        f'{body}</main><script src="record.js"></script><script src="quiz.js"></script></body></html>', encoding="utf-8")
    page = context.new_page()
    page.watch = PageWatch(page, None)
    page.goto((tmp_path / "quiz.html").as_uri())
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kq:')).length") == 0
    yield page
    page.close()


def test_hostile_text_stays_text(disk_page):
    page = disk_page
    page.locator("label[for='kq-evil-evil-one-o0']").click()
    page.locator("#kq-evil-evil-one .kq-check").click()
    page.locator("label[for='kq-evil-evil-many-o1']").click()
    page.locator("#kq-evil-evil-many .kq-check").click()
    page.locator("#kq-evil .kq-projector-open").click()
    page.locator("#kq-evil .kq-reveal").click()
    page.keyboard.press("Escape")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('main img, main script').length") == 0
    one = page.locator("#kq-evil-evil-one")
    expect(one.locator(".kq-prompt")).to_contain_text(EVIL_SCRIPT)
    expect(one.locator(".kq-situation")).to_contain_text(EVIL_IMG)
    expect(one.locator("label").first).to_contain_text(EVIL_IMG)
    expect(one.locator(".kq-fb").first).to_contain_text(EVIL_SCRIPT)
    expect(one.locator(".kq-explain")).to_contain_text(EVIL_SCRIPT)
    expect(one.locator(".kq-result")).to_have_text(re.compile("^" + re.escape(UI["quiz.correct"])))
    many = page.locator("#kq-evil-evil-many .kq-result")
    expect(many).to_contain_text(UI["quiz.incorrect"])
    expect(many).to_contain_text(EVIL_SCRIPT)  # the right answer, named in the live region, as text
    summary = page.locator("#kq-evil-summary")
    expect(summary).to_contain_text(EVIL_IMG)  # the question to review, named by its prompt
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.locator("#kq-evil-evil-many .kq-retry").click()
    page.locator("label[for='kq-evil-evil-many-o2']").click()  # a long word, in an option and its feedback
    page.locator("#kq-evil-evil-many .kq-check").click()
    page.set_viewport_size({"width": 360, "height": 740})
    expect(page.locator("#kq-evil-evil-many-o2-fb")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.watch.assert_clean("hostile text")


def test_two_quizzes_share_one_script_and_judge_like_scoring(disk_page):
    page = disk_page
    bank_ = _judge_bank()
    total = len(bank_.questions)
    names = {UI["quiz.correct"]: "correct", UI["quiz.partial"]: "partial", UI["quiz.incorrect"]: "incorrect"}
    for q in bank_.questions:
        root = page.locator(f"#kq-rules-{q.id}")
        n = len(q.options)
        if q.type == "multiple":
            subsets = [set(c) for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]
        else:
            subsets = [{i} for i in range(n)]
        for chosen in subsets:
            for i in sorted(chosen):
                page.locator(f"#kq-rules-{q.id}-o{i}").check()
            root.locator(".kq-check").click()
            said = root.locator(".kq-result").inner_text().strip()
            got = next((v for k, v in names.items() if said.startswith(k)), said)
            v = judge(q, chosen)
            want = "correct" if v.correct else ("partial" if v.partial else "incorrect")
            assert got == want, f"{q.id} {sorted(chosen)}: quiz.js says {got}, book.scoring says {want}"
            root.locator(".kq-retry").click()
    # Answering one quiz leaves the other alone, in the page and in storage.
    q = bank_.questions[0]
    page.locator(f"#kq-rules-{q.id}-o1").check()
    page.locator(f"#kq-rules-{q.id} .kq-check").click()
    expect(page.locator("#kq-rules-score")).to_have_text(score_text(1, total, 1))
    expect(page.locator("#kq-evil-score")).to_have_text(score_text(0, 2, 0))
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kq:')).sort()")
    assert stored == ["kq:rules"]
    assert json.loads(page.evaluate("localStorage.getItem('kq:rules')"))["checked"] == {q.id: True}
    # Projector mode on the second quiz shows that quiz only.
    page.locator("#kq-rules .kq-projector-open").click()
    expect(page.locator("#kq-rules")).to_have_class(re.compile(r"\bkq-projector\b"))
    expect(page.locator("#kq-evil")).not_to_have_class(re.compile(r"\bkq-projector\b"))
    assert page.locator("#kq-evil").evaluate("e => !!e.closest('[inert]')")
    page.keyboard.press("Escape")
    expect(page.locator("#kq-rules .kq-projector-open")).to_be_focused()
    page.watch.assert_clean("two quizzes from disk")
