"""The learner's journey in Chromium: role paths, progress that persists across
reloads and pages, clearing it, failing and passing the final check, the
certificate printed to PDF, and the offline zip opened from disk."""
from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader

from book import banks, journey
from book.build import OFFLINE_NAME
from book.i18n import strings

UI = strings("journey.")


def answer(page, bank, right_ids: set[str]) -> None:
    """Answer every question of a bank on the current page: right for the ids given."""
    for q in bank.questions:
        correct = [i for i, o in enumerate(q.options) if o.correct]
        wrong = [i for i, o in enumerate(q.options) if not o.correct]
        picks = correct if q.id in right_ids else wrong[:1]
        root = page.locator(f"#kq-{bank.id}-{q.id}")
        for i in picks:
            root.locator(f"#kq-{bank.id}-{q.id}-o{i}").check()
        root.locator(".kq-check").click()


def fresh(page, url):
    page.goto(url)
    page.evaluate("localStorage.clear()")
    page.reload()


def test_role_paths_lead_to_modules(page, server):
    page.goto(server + "pages/start.html")
    roles = journey.load_roles().roles
    for role in roles:
        section = page.locator(f"#role-{role.id}")
        assert section.locator("ol li").count() == len(role.modules)
        assert "minutes" in section.inner_text()
    page.locator(f"#role-{roles[0].id} ol li a").first.click()
    assert page.url.endswith(".html") and "/modules/" in page.url
    page.watch.assert_clean("start page")


def test_progress_persists_and_clears(page, server):
    bank = banks.load_id("law")
    fresh(page, server + "modules/01-law.html")
    wrong = bank.questions[-1].id
    answer(page, bank, {q.id for q in bank.questions} - {wrong})
    total = len(bank.questions)
    page.goto(server + "pages/progress.html")
    row = page.locator('tr[data-kq-row="law"]')
    expected = UI["journey.done"].format(best=total - 1, total=total)
    assert row.locator(".kq-status").inner_text() == expected
    review = row.locator(".kq-review a")
    assert review.count() == 1 and review.get_attribute("href").endswith(f"#kq-law-{wrong}")
    page.reload()
    assert row.locator(".kq-status").inner_text() == expected
    other = page.locator('tr[data-kq-row="health"] .kq-status').inner_text()
    assert other == UI["journey.not_started"]
    page.get_by_role("button", name=UI["journey.clear_all"]).click()
    assert row.locator(".kq-status").inner_text() == UI["journey.not_started"]
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kq:')).length") == 0
    page.goto(server + "modules/01-law.html")
    assert page.locator(f"#kq-law-{bank.questions[0].id} .kq-result").inner_text().strip() == ""
    page.watch.assert_clean("progress")


def test_final_check_fail_then_pass_and_certificate(page, server, tmp_path):
    final = banks.load_id("final")
    ids = [q.id for q in final.questions]
    need = -(-int(journey.PASS_MARK * 100) * len(ids) // 100)
    fresh(page, server + "pages/final-check.html")
    answer(page, final, set(ids[: need - 1]))
    result = page.locator(".kq-final-result").inner_text()
    assert result.startswith(UI["journey.final_result_fail"].split("{")[0].strip()), result
    page.goto(server + "pages/certificate.html")
    assert UI["journey.locked"].split("{")[0] in page.locator(".kq-cert-state").inner_text()
    assert page.locator(".kq-cert-form").is_hidden()

    page.goto(server + "pages/final-check.html")
    page.get_by_role("button", name=strings("quiz.")["quiz.clear"]).first.click()
    answer(page, final, set(ids[:need]))
    passed = UI["journey.final_result_pass"].split("). ", 1)[1]
    assert passed in page.locator(".kq-final-result").inner_text()
    page.locator(".kq-final-cert a").click()
    page.get_by_label(UI["journey.name_label"]).fill("Sokha Test-Learner")
    page.get_by_role("button", name=UI["journey.make"]).click()
    assert page.locator(".kq-cert-name").inner_text() == "Sokha Test-Learner"
    assert page.locator(".kq-cert-modules li").count() == 0, "modules never started were listed as completed"
    storage = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert "Sokha" not in storage, "the learner's name was stored"
    date = page.locator(".kq-cert-date").inner_text()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sokha Test-Learner" in text and date.split(": ", 1)[1] in text
    assert "self-assessment" in text
    page.watch.assert_clean("certificate")


def test_offline_zip_quiz_works_from_disk(browser, built_book, tmp_path):
    archive = built_book / OFFLINE_NAME
    assert archive.exists()
    intro = (built_book / "pages" / "intro.html").read_text(encoding="utf-8")
    assert OFFLINE_NAME in intro and "MB)" in intro
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path)
    root = tmp_path / "kampot-book"
    bank = banks.load_id("law")
    ctx = browser.new_context()
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: errors.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto((root / "modules" / "01-law.html").as_uri())
    q = bank.questions[0]
    right = next(i for i, o in enumerate(q.options) if o.correct)
    page.locator(f"#kq-law-{q.id}-o{right}").check()
    page.locator(f"#kq-law-{q.id} .kq-check").click()
    said = page.locator(f"#kq-law-{q.id} .kq-result").inner_text()
    assert said.startswith(strings("quiz.")["quiz.correct"])
    page.reload()
    assert page.locator(f"#kq-law-{q.id}-o{right}").is_checked()
    assert not errors, errors
    ctx.close()
