"""A module notebook in real Jupyter clients, driven in Chromium: Voila at phone
width, JupyterLab before and after running, and `jupyter nbconvert --to html`.

One module, in a copy of the project whose notebook is saved as
`python -m book notebooks` saves it; each server is started once, on
127.0.0.1 on a free port without a token, with its settings and runtime
files in a temporary folder.
"""
from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_project
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from book.data import banks, facts, notebookfile
from book.render.fact_label import status_label
from book.render.markup import inline

MODULE = "modules/01-law.ipynb"
QUIZ = "law"
# What a reader must never see: MyST roles, directives, notes' fences, targets, escaped HTML.
RAW = re.compile(r"\{(fact|ref)\}|\{module-sources\}|^:::|:class:|^\([a-z-]+\)=|&quot;|&amp;|&lt;|<span|</", re.M)
SERVER_START = 120   # seconds: the bound of the readiness loop, not a wait


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def jupyter_home(tmp_path_factory):
    """A project copy with the module saved as `python -m book notebooks` saves
    it, and an environment that keeps Jupyter's files in the temporary folder."""
    base = tmp_path_factory.mktemp("jupyter")
    work = copy_project(base / "book")
    settings = base / "lab-settings"
    # Render every cell (Lab 4 otherwise renders only the cells in view); no news prompt.
    for name, value in {"notebook-extension/tracker": {"windowingMode": "none"},
                        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False}}.items():
        path = settings / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(base),
           "PYTHONPATH": str(work), "JUPYTER_CONFIG_DIR": str(base / "config"),
           "JUPYTER_DATA_DIR": str(base / "data"), "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces")}
    proc = subprocess.run([sys.executable, "-m", "book", "notebooks", MODULE], cwd=work, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return work, env


def _serve(cmd: list[str], work: Path, env: dict, log: Path):
    port = _free_port()
    out = log.open("w")
    proc = subprocess.Popen([a.replace("{port}", str(port)) for a in cmd], cwd=work, env=env,
                            stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVER_START
    while True:   # ready when the port accepts a connection
        assert proc.poll() is None, f"the server stopped:\n{log.read_text()[-3000:]}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, f"the server did not listen:\n{log.read_text()[-3000:]}"
            try:
                proc.wait(timeout=0.25)   # returns at once if the server dies
            except subprocess.TimeoutExpired:
                pass
    return proc, f"http://127.0.0.1:{port}", out


def _stop(proc, out) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    out.close()


@pytest.fixture(scope="session")
def voila(jupyter_home):
    work, env = jupyter_home
    proc, url, out = _serve([sys.executable, "-m", "voila", "--no-browser", "--port={port}",
                             "--Voila.ip=127.0.0.1", MODULE], work, env, work.parent / "voila.log")
    yield url
    _stop(proc, out)


@pytest.fixture(scope="session")
def lab(jupyter_home):
    work, env = jupyter_home
    proc, url, out = _serve([sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
                             "--ServerApp.ip=127.0.0.1", "--ServerApp.port={port}",
                             "--ServerApp.port_retries=0", "--IdentityProvider.token=",
                             "--ServerApp.password=", f"--ServerApp.root_dir={work}",
                             "--LabApp.news_url=None",
                             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                            work, env, work.parent / "lab.log")
    yield url
    _stop(proc, out)


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's Chromium (tests/conftest.py): a second Playwright in the
    same thread would block for ever."""
    return browser


def _expected_facts(work: Path) -> list[str]:
    """Each fact the module cites, as the reader must see it: text or number, and status with date."""
    nb = notebookfile.read(work / MODULE)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    registry = facts.load()
    return [f"{_plain(inline(facts.headline(registry[f]), cite=False))} ({status_label(registry[f])})"
            for f in dict.fromkeys(facts.cited_ids(text))]


def _assert_reads_completely(text: str, work: Path, where: str) -> None:
    raw = RAW.search(text)
    assert not raw, f"{where}: raw markup shown: {text[max(0, raw.start() - 80):raw.end() + 80]!r}"
    flat = " ".join(text.split())
    for shown in _expected_facts(work):
        assert " ".join(shown.split()) in flat, f"{where}: fact not shown: {shown}"
    assert "Facilitator notes" in text and "Source: " in text


def _feedback_texts() -> list[str]:
    bank = banks.load_id(QUIZ)
    return [_plain(inline(o.feedback)) for q in bank.questions for o in q.options]


def _answer_by_keyboard(page, question, q, right: bool) -> str:
    """Choose the right (or a wrong) answer with the keyboard, press Check, and
    return the text of what holds the focus afterwards (what is announced)."""
    want = [i for i, o in enumerate(q.options) if o.correct == right]
    if not right:
        want = want[:1]
    inputs = question.locator("input")
    if q.type == "multiple":
        for i in want:
            inputs.nth(i).focus()
            page.keyboard.press("Space")
    else:
        inputs.nth(0).focus()
        page.keyboard.press("Space")           # choose the first ...
        for _ in range(want[0]):
            page.keyboard.press("ArrowDown")   # ... then move within the named group
    for i in range(len(q.options)):
        assert inputs.nth(i).is_checked() == (i in want)
    page.keyboard.press("Tab")                 # the group is one tab stop; Check comes next
    assert page.evaluate("document.activeElement.classList.contains('kq-check')")
    page.keyboard.press("Enter")
    page.wait_for_function("() => { const e = document.activeElement;"
                           " return e && e.classList.contains('kq-result') && e.textContent.trim() !== ''; }")
    return page.evaluate("document.activeElement.textContent").strip()


def _check_two_questions(page, root) -> None:
    bank = banks.load_id(QUIZ)
    questions = root.locator(".kq-q")
    said = _answer_by_keyboard(page, questions.nth(0), bank.questions[0], right=True)
    assert said == "Correct."
    said = _answer_by_keyboard(page, questions.nth(1), bank.questions[1], right=False)
    assert said.startswith("Not quite")
    # Announced once: by the focus; the result is not also a live region.
    assert questions.nth(1).locator(".kq-result").get_attribute("aria-live") is None
    fb = questions.nth(1).locator(".kq-fb").first.inner_text()
    assert not re.search(r"[.!?]\s*[.:]|\(You chose", fb), fb


LAYOUT_HOLDS = """() => {
    const opts = [...document.querySelectorAll('.kq-opt')];
    if (!opts.length) return false;
    return opts.every((e, i) => {
        const l = e.querySelector('label'), r = e.getBoundingClientRect(), lr = l.getBoundingClientRect();
        const next = opts[i + 1] && opts[i + 1].getBoundingClientRect();
        const cut = l.scrollWidth > l.clientWidth + 1 || getComputedStyle(l).textOverflow === 'ellipsis';
        return !cut && lr.right <= 412 && lr.bottom <= r.bottom + 1 && (!next || next.top <= r.top || next.top >= r.bottom - 1);
    });
}"""


def test_voila_at_phone_width(voila, jupyter_home, chromium):
    work, _env = jupyter_home
    bank = banks.load_id(QUIZ)
    page = chromium.new_page(viewport={"width": 412, "height": 915})
    page.goto(voila + "/")
    page.wait_for_function(f"document.querySelectorAll('.kq-q').length === {len(bank.questions)}",
                           timeout=SERVER_START * 1000)
    _assert_reads_completely(page.inner_text("body"), work, "Voila")
    for n, q in enumerate(bank.questions):
        root = page.locator(".kq-q").nth(n)
        assert root.locator("fieldset legend").inner_text().strip() == _plain(inline(q.prompt))
        hint = "Choose all answers that apply." if q.type == "multiple" else "Choose one answer."
        assert root.locator(".kq-hint").inner_text().strip() == hint
        names = root.locator("input").evaluate_all("els => new Set(els.map(e => e.name)).size")
        assert names == 1
    # Every option wraps inside its box and clears the next one; nothing is cut off.
    # The widget's stylesheet may apply a moment after its markup: wait until the
    # layout holds (bounded), then measure it again for the messages below.
    try:
        page.wait_for_function(LAYOUT_HOLDS, timeout=SERVER_START * 1000)
    except PlaywrightTimeout:
        pass   # the assertions below say which option is wrong
    boxes = page.locator(".kq-opt").evaluate_all("""els => els.map(e => {
        const l = e.querySelector('label'), r = e.getBoundingClientRect(), lr = l.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, right: r.right, lbottom: lr.bottom, lright: lr.right,
                cut: l.scrollWidth > l.clientWidth + 1 || getComputedStyle(l).textOverflow === 'ellipsis',
                text: l.textContent}; })""")
    assert len(boxes) == sum(len(q.options) for q in bank.questions)
    for a, b in zip(boxes, boxes[1:]):
        assert not a["cut"] and a["lright"] <= 412 and a["lbottom"] <= a["bottom"] + 1, a["text"]
        if b["top"] > a["top"]:   # the next option of the same question, or a later one
            assert b["top"] >= a["bottom"] - 1, f"overlap: {a['text']!r} / {b['text']!r}"
    page.wait_for_function("document.scrollingElement.scrollWidth <= 413")
    _check_two_questions(page, page.locator("body"))
    # axe-core on the quiz (Voila's own page around it is not the book's), feedback showing.
    from axe_playwright_python.sync_playwright import Axe
    result = Axe().run(page, context={"include": [[".kqw"]]}, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]}})
    assert not result.response["violations"], [(v["id"], v["nodes"][0]["target"]) for v in result.response["violations"]]
    page.close()


def test_lab_before_and_after_running(lab, jupyter_home, chromium):
    work, _env = jupyter_home
    bank = banks.load_id(QUIZ)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    offhost = []
    page.on("request", lambda r: offhost.append(r.url) if not r.url.startswith((lab, "data:", "blob:")) else None)
    page.goto(f"{lab}/lab/tree/{MODULE}")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    # Before running: the saved output says how to start, and no answer is in view.
    start = notebook.locator(".jp-OutputArea-output", has_text="Run this cell to start the quiz")
    start.wait_for(timeout=SERVER_START * 1000)
    page.wait_for_function("document.querySelectorAll('.jp-MarkdownOutput').length > 10 &&"
                           " [...document.querySelectorAll('.jp-MarkdownCell')].every(c => c.querySelector('.jp-RenderedMarkdown'))")
    before = notebook.inner_text()
    _assert_reads_completely(before, work, "JupyterLab before running")
    flat = " ".join(before.split())
    shown = [fb for fb in _feedback_texts() if fb in flat]
    assert not shown, f"answers visible before running: {shown[:3]}"
    assert notebook.locator(".kq-q").count() == 0
    # Run All from the command palette, by keyboard.
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    notebook.locator(".jp-Cell").first.click()
    page.keyboard.press("Control+Shift+C")
    page.locator(".lm-CommandPalette input").fill("Run All Cells")
    page.keyboard.press("Enter")
    notebook.locator(".kq-q").nth(len(bank.questions) - 1).wait_for(timeout=SERVER_START * 1000)
    after = notebook.inner_text()
    _assert_reads_completely(after, work, "JupyterLab after running")
    assert not [fb for fb in _feedback_texts() if fb in " ".join(after.split())], "answers shown before Check"
    _check_two_questions(page, notebook)
    assert not offhost, f"requests to other hosts: {offhost[:5]}"
    page.close()


def test_nbconvert_html_says_where_the_quiz_works(jupyter_home, tmp_path):
    """`jupyter nbconvert --to html` has no kernel: the page reads completely and
    says to run the notebook or use the book (README: the book is the HTML)."""
    work, env = jupyter_home
    proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--output-dir",
                           str(tmp_path), str(work / MODULE)], cwd=work, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    page_html = (tmp_path / "01-law.html").read_text(encoding="utf-8")
    body = page_html.split("<body", 1)[1]
    text = _plain(re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S))
    assert "Run this cell to start the quiz" in text and "In the HTML book, the quiz works without Jupyter" in text
    assert not [fb for fb in _feedback_texts() if fb in text], "answers in the converted page"
    for shown in _expected_facts(work):
        assert " ".join(shown.split()) in text, shown
    assert not re.search(r"\{(fact|ref)\}`|\{module-sources\}|:class: facilitator", text.replace(
        "<!--", "")), "raw MyST in the converted page"
