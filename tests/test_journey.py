"""The learner's journey in Chromium: role paths, progress that persists across
reloads and pages, clearing it, failing and passing the final check (an
exam), the certificate printed to PDF and what it says was completed, stored
data that is corrupt or forged (a table of stored values and what must be
shown), storage that is blocked, and the offline zip opened from disk."""
from __future__ import annotations

import io
import json
import math
import re
import zipfile

import pytest
from conftest import RECORD_FORMAT, PageWatch, open_page, wait_ready
from playwright.sync_api import expect
from pypdf import PdfReader
from storage_faults import BLOCK, THEME_READY, assert_colour_switch_works

from book.build import OFFLINE_NAME
from book.data import banks, journey
from book.data.config import settings
from book.render.i18n import strings
from book.render.quiz_html import points

UI = strings("journey.")
QUI = strings("quiz.")
FINAL = banks.load_id("final")
LAW = banks.load_id("law")
HEALTH = banks.load_id("health")
POINTS = len(points(FINAL))
NEED = math.ceil(settings().pass_mark * POINTS - 1e-9)


def right_of(q) -> list[int]:
    return [i for i, o in enumerate(q.options) if o.correct]


def wrong_of(q) -> list[int]:
    return [i for i, o in enumerate(q.options) if not o.correct] or right_of(q)[:1]


def answer(page, bank, right_ids: set[str]) -> None:
    """Answer every question of a practice bank on the current page: right for the ids given."""
    for q in bank.questions:
        picks = right_of(q) if q.id in right_ids else wrong_of(q)[:1]
        root = page.locator(f"#kq-{bank.id}-{q.id}")
        for i in picks:
            root.locator(f"#kq-{bank.id}-{q.id}-o{i}").check()
        root.locator(".kq-check").click()


def drawn(page) -> list[str]:
    return page.eval_on_selector_all("#kq-final .kq-q:not([hidden])", "els => els.map(e => e.dataset.kqQ)")


def sit_exam(page, right_count: int) -> list[str]:
    """Answer the drawn final check, the first right_count right, and submit it."""
    by_id = {q.id: q for q in FINAL.questions}
    ids = drawn(page)
    assert len(ids) == POINTS
    for n, qid in enumerate(ids):
        picks = right_of(by_id[qid]) if n < right_count else wrong_of(by_id[qid])[:1]
        for i in picks:
            page.locator(f"#kq-final-{qid}-o{i}").check()
    page.locator("#kq-final .kq-submit").click()
    expect(page.locator("#kq-final-summary")).to_contain_text(
        QUI["quiz.exam_done"].format(score=right_count, total=POINTS))
    return ids


def fresh(page, url):
    open_page(page, url)
    page.evaluate("localStorage.clear()")
    page.reload()
    wait_ready(page)


def practice_record(bank, right: bool = True) -> dict:
    """A module quiz with every question checked, as quiz.js stores it."""
    return {"v": RECORD_FORMAT,
            "answers": {q.id: (right_of(q) if right else wrong_of(q)[:1]) for q in bank.questions},
            "checked": {q.id: True for q in bank.questions}}


def exam_set() -> list[str]:
    """One question per point: the first variant of each."""
    first = {}
    for q in FINAL.questions:
        first.setdefault(q.tags.point or q.id, q.id)
    return list(first.values())


def exam_record(right_count: int, submitted: bool = True) -> dict:
    by_id = {q.id: q for q in FINAL.questions}
    ids = exam_set()
    answers = {qid: (right_of(by_id[qid]) if n < right_count else wrong_of(by_id[qid])[:1])
               for n, qid in enumerate(ids)}
    out = {"v": RECORD_FORMAT, "attempt": {"set": ids, "answers": answers, "submitted": submitted}}
    if submitted:
        out["best"] = {"set": ids, "answers": answers}
    return out


def store(page, server, values: dict[str, str]) -> None:
    """Put raw text into local storage (on a page of the book's origin)."""
    open_page(page, server + "pages/intro.html")
    page.evaluate("v => { localStorage.clear(); for (const [k, s] of Object.entries(v)) localStorage.setItem(k, s); }",
                  values)


def row_status(page, quiz_id: str) -> str:
    return page.locator(f'tr[data-kq-row="{quiz_id}"] .kq-status').inner_text().strip()


# ------------------------------------------------------------------ role paths and progress

def test_role_paths_lead_to_modules(page, server):
    open_page(page, server + "pages/start.html")
    roles = journey.load_roles().roles
    for role in roles:
        section = page.locator(f"#role-{role.id}")
        assert section.locator("ol li").count() == len(role.modules)
        assert "minutes" in section.inner_text()
    page.locator(f"#role-{roles[0].id} ol li a").first.click()
    assert page.url.endswith(".html") and "/modules/" in page.url
    page.watch.assert_clean("start page")


def test_progress_persists_and_clears(page, server):
    bank = LAW
    fresh(page, server + "modules/01-law.html")
    wrong = bank.questions[-1].id
    answer(page, bank, {q.id for q in bank.questions} - {wrong})
    total = len(bank.questions)
    open_page(page, server + "pages/progress.html")
    row = page.locator('tr[data-kq-row="law"]')
    expected = UI["journey.done"].format(score=total - 1, total=total)
    expect(row.locator(".kq-status")).to_have_text(expected)
    review = row.locator(".kq-review a")
    assert review.count() == 1 and review.get_attribute("href").endswith(f"#kq-law-{wrong}")
    assert review.inner_text() == UI["journey.question"].format(n=total)
    page.reload()
    wait_ready(page)
    expect(row.locator(".kq-status")).to_have_text(expected)
    expect(page.locator('tr[data-kq-row="health"] .kq-status')).to_have_text(UI["journey.not_started"])
    expect(page.locator('tr[data-kq-row="final"] td').first).to_have_text(str(POINTS))  # an exam: one per point
    page.get_by_role("button", name=UI["journey.clear_all"]).click()
    expect(row.locator(".kq-status")).to_have_text(UI["journey.not_started"])
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kq:')).length") == 0
    open_page(page, server + "modules/01-law.html")
    assert page.locator(f"#kq-law-{bank.questions[0].id} .kq-result").inner_text().strip() == ""
    page.watch.assert_clean("progress")


def test_answer_keys_on_journey_pages_match_the_quiz_pages(page, server):
    """journey.js judges stored answers with the key the build puts on the
    progress page; it must describe the quizzes exactly as their pages do
    (question order, option order, right options, learning points)."""
    open_page(page, server + "pages/progress.html")
    rows = page.eval_on_selector_all("tr[data-kq-row]", """rows => rows.map(r =>
        [JSON.parse(r.dataset.kqQuiz), r.dataset.kqHref])""")
    assert {key["id"] for key, _href in rows} == {q for q, *_ in journey.quizzes()}
    base = page.url
    for key, href in rows:
        open_page(page, base.rsplit("/", 1)[0] + "/" + href)
        markup = page.eval_on_selector_all(f"#kq-{key['id']} .kq-q", """qs => qs.map(q => [q.dataset.kqQ,
            q.dataset.kqType, q.querySelectorAll('.kq-opt').length,
            [...q.querySelectorAll('.kq-opt')].flatMap((o, i) => o.dataset.kqCorrect === 'true' ? [i] : []),
            q.dataset.kqPoint || q.dataset.kqQ])""")
        assert key["questions"] == markup, key["id"]
        exam = page.locator(f"#kq-{key['id']}").get_attribute("data-kq-exam") == "true"
        assert key["exam"] == exam
    page.watch.assert_clean("answer keys")


# ------------------------------------------------------------------ the final check and the certificate

def test_final_check_fail_then_pass_and_certificate(page, server):
    page.add_init_script("window.kqSeed = 3;")
    fresh(page, server + "pages/final-check.html")
    result, link = page.locator(".kq-final-result"), page.locator(".kq-final-cert")
    expect(result).to_be_empty()
    expect(link).to_be_hidden()
    first = sit_exam(page, NEED - 1)
    fail = UI["journey.final_result_fail"].format(score=NEED - 1, total=POINTS, need=NEED,
                                                  percent=round(100 * (NEED - 1) / POINTS))
    expect(result).to_have_text(fail)
    expect(link).to_be_hidden()
    open_page(page, server + "pages/certificate.html")
    locked = UI["journey.locked"].format(percent=round(100 * settings().pass_mark), best=NEED - 1, total=POINTS)
    expect(page.locator(".kq-cert-state")).to_have_text(locked)
    expect(page.locator(".kq-cert-form")).to_be_hidden()

    # A new attempt: another set, passed.
    open_page(page, server + "pages/final-check.html")
    expect(result).to_have_text(fail)
    page.locator("#kq-final .kq-retake").click()
    expect(result).to_be_empty()
    second = sit_exam(page, NEED)
    assert second != first
    expect(result).to_have_text(UI["journey.final_result_pass"].format(
        score=NEED, total=POINTS, percent=round(100 * NEED / POINTS)))
    expect(link).to_be_visible()

    # A worse attempt afterwards: its result shows, the best attempt still counts.
    page.locator("#kq-final .kq-retake").click()
    sit_exam(page, 0)
    expect(result).to_have_text(UI["journey.final_result_fail"].format(score=0, total=POINTS, need=NEED, percent=0))
    expect(link).to_be_visible()
    open_page(page, server + "pages/progress.html")
    expect(page.locator('tr[data-kq-row="final"] .kq-status')).to_have_text(
        UI["journey.exam_done"].format(score=0, total=POINTS, best=NEED))

    # Only the final check was done: the certificate says so, and lists no module.
    open_page(page, server + "pages/final-check.html")
    link.locator("a").click()
    expect(page.locator(".kq-cert-state")).to_have_text(UI["journey.unlocked"].format(best=NEED, total=POINTS))
    page.get_by_label(UI["journey.name_label"]).fill("Sokha Test-Learner")
    page.get_by_role("button", name=UI["journey.make"]).click()
    expect(page.locator(".kq-cert-name")).to_have_text("Sokha Test-Learner")
    expect(page.locator(".kq-cert-body")).to_have_text(UI["journey.cert_body"].format(best=NEED, total=POINTS))
    expect(page.locator(".kq-cert-modules li")).to_have_count(0)
    expect(page.locator(".kq-cert-modules-h")).to_be_hidden()
    storage = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert "Sokha" not in storage, "the learner's name was stored"
    date = page.locator(".kq-cert-date").inner_text()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Sokha Test-Learner" in text and date.split(": ", 1)[1] in text
    assert "self-assessment" in text
    assert UI["journey.cert_modules"] not in text
    assert f"{NEED} of {POINTS}" in text
    page.watch.assert_clean("certificate")


@pytest.mark.parametrize("done", ["one module", "every module"])
def test_certificate_lists_the_modules_completed(page, server, done):
    quizzes = [(q, title) for q, title, *_ in journey.quizzes() if q != "final"]
    finished = quizzes[:1] if done == "one module" else quizzes
    values = {f"kq:{q}": json.dumps(practice_record(banks.load_id(q))) for q, _t in finished}
    if done == "one module":  # started but not finished: not listed
        values[f"kq:{quizzes[1][0]}"] = json.dumps({"v": RECORD_FORMAT, "answers": {}, "checked": {}})
    values["kq:final"] = json.dumps(exam_record(POINTS))
    store(page, server, values)
    open_page(page, server + "pages/certificate.html")
    page.get_by_label(UI["journey.name_label"]).fill("Dara")
    page.get_by_role("button", name=UI["journey.make"]).click()
    body = UI["journey.cert_body_all" if done == "every module" else "journey.cert_body"]
    expect(page.locator(".kq-cert-body")).to_have_text(body.format(best=POINTS, total=POINTS))
    expect(page.locator(".kq-cert-modules-h")).to_be_visible()
    expect(page.locator(".kq-cert-modules li")).to_have_text([title for _q, title in finished])
    page.watch.assert_clean(f"certificate, {done}")


# ------------------------------------------------------------------ corrupt and forged storage

def _ids(bank) -> list[str]:
    return [q.id for q in bank.questions]


L0, L1 = LAW.questions[0], LAW.questions[1]
N_LAW = len(LAW.questions)
NOT_STARTED = UI["journey.not_started"]
HEALTH_DONE = UI["journey.done"].format(score=len(HEALTH.questions), total=len(HEALTH.questions))
POINT_OF = {q.id: q.tags.point or q.id for q in FINAL.questions}
TWIN = next(q.id for q in FINAL.questions if q.id not in exam_set())  # a second variant of some point
TWIN_SET = [qid for qid in exam_set() if POINT_OF[qid] != POINT_OF[TWIN]] + [TWIN, next(
    qid for qid in exam_set() if POINT_OF[qid] == POINT_OF[TWIN])]


V = {"v": RECORD_FORMAT}  # today's record format: each forgery below is read, and tested for what it names


def old_format(record: dict) -> dict:
    """A record as quiz.js kept it before options were ordered (book/data/ordering.py): no "v"."""
    return {k: v for k, v in record.items() if k != "v"}


def _locked(best: int) -> str:
    return UI["journey.locked"].format(percent=round(100 * settings().pass_mark), best=best, total=POINTS)


# id, what local storage holds (raw text), what the progress page must show (row -> status), certificate state
CASES = [
    ("review-not-a-list",
     {"kq:law": '{"v": %d, "answers": {"%s": %s}, "checked": {"%s": true}, "review": 5, "total": 0.5,'
                ' "score": -5, "best": 1e999}' % (RECORD_FORMAT, L0.id, right_of(L0), L0.id)},
     {"law": UI["journey.in_progress"].format(answered=1, total=N_LAW, score=1), "health": HEALTH_DONE},
     _locked(0)),
    ("totals-and-scores-without-answers",
     {"kq:law": json.dumps({**V, "checked": {q: True for q in _ids(LAW)}, "total": 1, "score": 99, "best": 99,
                            "review": ["x", None, {}]})},
     {"law": NOT_STARTED, "health": HEALTH_DONE}, _locked(0)),
    ("answers-out-of-range-or-of-the-wrong-type",
     {"kq:law": json.dumps({**V, "answers": {L0.id: [99, -1, "0", 0.5, None, True], L1.id: right_of(L1) * 2},
                            "checked": {L0.id: True, L1.id: True}})},
     {"law": UI["journey.in_progress"].format(answered=1, total=N_LAW, score=1), "health": HEALTH_DONE},
     _locked(0)),
    ("checked-is-not-true",
     {"kq:law": json.dumps({**V, "answers": {L0.id: right_of(L0), L1.id: right_of(L1)},
                            "checked": {L0.id: "yes", L1.id: 1}})},
     {"law": NOT_STARTED, "health": HEALTH_DONE}, _locked(0)),
    ("unknown-ids-and-prototype-keys",
     {"kq:law": '{"v": %d, "answers": {"__proto__": [0], "constructor": [0], "nope": [0]},'
                ' "checked": {"__proto__": true, "constructor": true, "nope": true}}' % RECORD_FORMAT},
     {"law": NOT_STARTED, "health": HEALTH_DONE}, _locked(0)),
    ("not-json", {"kq:law": "{not json", "kq:final": "][", "kq:health": json.dumps(practice_record(HEALTH))},
     {"law": NOT_STARTED, "final": NOT_STARTED, "health": HEALTH_DONE}, _locked(0)),
    ("json-of-the-wrong-type", {"kq:law": "[1, 2]", "kq:final": "42", "kq:signs": '"text"', "kq:ethics": "null"},
     {"law": NOT_STARTED, "final": NOT_STARTED, "signs": NOT_STARTED, "ethics": NOT_STARTED}, _locked(0)),
    ("forged-final-old-shape",  # "passed with 1 of 1"
     {"kq:final": json.dumps({**V, "answers": {FINAL.questions[0].id: right_of(FINAL.questions[0])},
                              "checked": {FINAL.questions[0].id: True}, "score": 1, "total": 1, "best": 1})},
     {"final": NOT_STARTED}, _locked(0)),
    ("exam-attempt-with-two-variants-of-one-point",
     {"kq:final": json.dumps({**V, "attempt": {"set": TWIN_SET, "answers": {}, "submitted": True},
                              "best": {"set": TWIN_SET, "answers": {}}})},
     {"final": NOT_STARTED}, _locked(0)),
    ("exam-attempt-of-one-question",
     {"kq:final": json.dumps({**V, "attempt": {"set": exam_set()[:1],
                                               "answers": exam_record(1)["attempt"]["answers"], "submitted": True},
                              "best": {"set": exam_set()[:1], "answers": exam_record(1)["attempt"]["answers"]}})},
     {"final": NOT_STARTED}, _locked(0)),
    ("exam-fields-of-the-wrong-type",
     {"kq:final": json.dumps({**V, "attempt": "x", "best": [1], "score": 1, "total": 1})},
     {"final": NOT_STARTED}, _locked(0)),
    ("exam-answers-not-submitted-count-for-nothing",
     {"kq:final": json.dumps(exam_record(POINTS, submitted=False))},
     {"final": UI["journey.exam_in_progress"].format(answered=POINTS, total=POINTS)}, _locked(0)),
    ("records-of-the-old-option-order",  # their option numbers mean other options now: never judged
     {"kq:law": json.dumps(old_format(practice_record(LAW))), "kq:final": json.dumps(old_format(exam_record(POINTS)))},
     {"law": NOT_STARTED, "final": NOT_STARTED, "health": HEALTH_DONE}, _locked(0)),
    ("exam-score-worked-out-from-the-answers",
     {"kq:final": json.dumps({**exam_record(NEED), "score": 1, "total": 1, "best": 0})},
     {"final": UI["journey.exam_done"].format(score=NEED, total=POINTS, best=NEED)},
     UI["journey.unlocked"].format(best=NEED, total=POINTS)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_corrupt_or_forged_storage(page, server, case):
    _name, values, rows, cert = case
    if "health" in rows and "kq:health" not in values:
        values = {**values, "kq:health": json.dumps(practice_record(HEALTH))}  # a good row after the bad one
    store(page, server, values)
    open_page(page, server + "pages/progress.html")
    for quiz_id, status in rows.items():
        expect(page.locator(f'tr[data-kq-row="{quiz_id}"] .kq-status')).to_have_text(status)
    text = page.locator(".kq-progress").inner_text()
    for bad in (r"NaN", r"Infinity", r"undefined", r"null", r"-\d", r"\d\.\d"):
        assert not re.search(bad, text), f"the progress page shows {bad!r}: {text}"
    open_page(page, server + "pages/certificate.html")
    expect(page.locator(".kq-cert-state")).to_have_text(cert)
    open_page(page, server + "pages/final-check.html")
    expect(page.locator("#kq-final-score")).not_to_be_empty()
    assert len(drawn(page)) == POINTS
    page.watch.assert_clean("corrupt storage")


# ------------------------------------------------------------------ storage blocked

def test_journey_pages_with_storage_blocked(browser, server):
    ctx = browser.new_context()
    ctx.add_init_script(BLOCK)
    ctx.add_init_script(THEME_READY)
    try:
        page = ctx.new_page()
        page.watch = PageWatch(page, server.split("/")[2])
        open_page(page, server + "pages/progress.html")
        expect(page.locator(".kq-journey-status")).to_have_text(UI["journey.storage_lost"])
        for quiz_id, *_ in journey.quizzes():
            expect(page.locator(f'tr[data-kq-row="{quiz_id}"] .kq-status')).to_have_text(NOT_STARTED)
        page.get_by_role("button", name=UI["journey.clear_all"]).click()
        expect(page.locator(".kq-journey-status")).to_have_text(UI["journey.cleared"])
        assert_colour_switch_works(page)
        open_page(page, server + "pages/certificate.html")
        expect(page.locator(".kq-cert-state")).to_have_text(_locked(0))
        assert_colour_switch_works(page)
        open_page(page, server + "pages/final-check.html")
        sit_exam(page, POINTS)
        expect(page.locator(".kq-final-result")).to_have_text(UI["journey.final_result_pass"].format(
            score=POINTS, total=POINTS, percent=100))
        page.watch.assert_clean("journey, storage blocked")
    finally:
        ctx.close()


# ------------------------------------------------------------------ offline

def test_offline_zip_quiz_works_from_disk(browser, built_book, tmp_path):
    archive = built_book / OFFLINE_NAME
    assert archive.exists()
    intro = (built_book / "pages" / "intro.html").read_text(encoding="utf-8")
    assert OFFLINE_NAME in intro and "MB)" in intro
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path)
    root = tmp_path / "kampot-book"
    bank = LAW
    ctx = browser.new_context()
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: errors.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    open_page(page, (root / "modules" / "01-law.html").as_uri())
    q = bank.questions[0]
    right = next(i for i, o in enumerate(q.options) if o.correct)
    page.locator(f"#kq-law-{q.id}-o{right}").check()
    page.locator(f"#kq-law-{q.id} .kq-check").click()
    said = page.locator(f"#kq-law-{q.id} .kq-result").inner_text()
    assert said.startswith(QUI["quiz.correct"])
    page.reload()
    wait_ready(page)
    assert page.locator(f"#kq-law-{q.id}-o{right}").is_checked()
    assert not errors, errors
    ctx.close()
