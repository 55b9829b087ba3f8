"""Exports (`python -m book export`), each read back by something the project
did not write: Moodle's importer rules and lxml (Moodle XML), gift-pegjs
(GIFT), the IMS XSDs (QTI 2.1), scorm-again in Chromium and the SCORM 1.2
XSDs (SCORM), a sandboxed iframe in Chromium with storage blocked (Kolibri),
zimcheck and kiwix-serve (ZIM).

Each format's export of the real banks is made once per edition (English,
and the Khmer draft with `--lang km`), with the command a user runs, and
read back by the same readers; a Khmer export is compared with the banks as
book/translate/apply.py gives them, inside in_language("km"). The fixture bank tests/fixtures/special.yml (every character that
means something to GIFT, XML, HTML or Markdown, and Khmer) goes through
every format, dated 2030 so that every fact it cites is due "confirm before
use". Which options are right is always read from the banks.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse
from urllib.request import urlopen

import pytest
from axe_playwright_python.sync_playwright import Axe
from click.testing import CliRunner
from conftest import ROOT, VIOLATIONS_ONLY, serving
from lxml import etree
from lxml import html as lxml_html

from book.cli import cli
from book.data import banks, facts, modules
from book.data.paths import HTML
from book.export import common, exporter, gift, kolibri, moodle, qti, zim
from book.export.common import Job, stamp
from book.render import markup, quiz_html
from book.render.i18n import _, in_language
from book.translate import apply

NODE = ROOT / "tests" / "node"
SCHEMAS = ROOT / "tests" / "schemas"
FIXTURE = ROOT / "tests" / "fixtures" / "special.yml"
FUTURE = "1893456000"  # 2030-01-01: every fact is more than a year old
CONFIRM = "confirm before use"
KHMER = "ខ្មែរ"
# Moodle's question_bank::fraction_options_full(), in percent: the only grades its importer accepts.
MOODLE_GRADES = [100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
                 14.28571, 12.5, 11.11111, 10, 5, 0]
QTI_NS = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


# ---------------------------------------------------------------- helpers

def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


BLOCKS = {"p", "li", "ul", "ol", "div", "br", "blockquote"}


def text_of(html: str) -> str:
    """What a reader sees of an HTML fragment (blocks apart)."""
    if not (html or "").strip():
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for el in root.iter():
        if el.tag in BLOCKS:
            el.tail = " " + (el.tail or "")
    return flat(root.text_content())


def shown(text: str | None, block: bool = False) -> str:
    """What the book shows of a bank text."""
    return text_of(markup.block(text) if block else markup.inline(text or ""))


def question_shown(q) -> str:
    situation = f"{_('quiz.situation')}: {shown(q.situation)} " if q.situation else ""
    return flat(situation + shown(q.prompt))


def all_banks(lang: str = "en"):
    """Every bank in export order; in Khmer as the book shows it (book/translate/apply.py)."""
    order = {m.id: m.number for m in modules.all_modules()}
    found = [banks.load(p) for p in banks.all_paths()]
    ordered = sorted(found, key=lambda b: (order.get(b.id, len(order)), b.id))
    return ordered if lang == "en" else [apply.bank(b.id, lang) for b in ordered]


def edition_stamp(lang: str = "en"):
    """The stamp an export of every bank in `lang` carries (call inside in_language(lang))."""
    return stamp(common.data_domains([b.id for b in all_banks()]))


@functools.cache
def _english() -> dict:
    return {(x.tags.module, x.id): x for b in all_banks() for x in b.questions}


def english_of(q):
    """The English question of a bank question (the same id and option order);
    a question of no real bank (the fixture's) is its own."""
    return _english().get((q.tags.module, q.id), q)


def words(q) -> list[str]:
    """'true'/'false' for each option of a true-false question, from the English bank."""
    return [o.text.strip().lower() for o in english_of(q).options]


def run_export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "book", "export", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)


def grade_ok(percent: float) -> bool:
    return any(abs(abs(percent) - g) < 1e-5 for g in MOODLE_GRADES)


def watch(page, host: str | None) -> list[str]:
    """Problems a page shows: JavaScript errors and requests to another host."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)

    def request(req):
        url = urlparse(req.url)
        if url.scheme in ("data", "about", "blob") or (host is None and url.scheme == "file"):
            return
        if host is None or url.netloc != host:
            problems.append(f"request: {req.url}")
    page.on("request", request)
    page.on("response", lambda resp: problems.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None)
    return problems


def answer(scope, q, right: bool = True) -> None:
    """Choose the right options of bank question q (or one wrong one) and press Check."""
    li = scope.locator(f'li.kq-q[data-kq-q="{q.id}"]')
    picks = [o for o in q.options if o.correct] if right else [next(o for o in q.options if not o.correct)]
    for option in picks:
        li.get_by_label(shown(option.text), exact=True).check()
    li.locator(".kq-check").click()


def unzip(path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(path) as zf:
        zf.extractall(dest)
    return dest


def validate(schema: etree.XMLSchema, doc: etree._ElementTree, where: str) -> None:
    assert schema.validate(doc), f"{where}: {schema.error_log.last_error}"


@functools.lru_cache(maxsize=1)
def qti_schemas() -> tuple[etree.XMLSchema, etree.XMLSchema]:
    item = etree.XMLSchema(etree.parse(str(SCHEMAS / "qti21" / "qtiv2p1" / "imsqti_v2p1.xsd")))
    package = etree.XMLSchema(etree.parse(str(SCHEMAS / "qti21" / "imscp_v1p1.xsd")))
    return item, package


@functools.lru_cache(maxsize=1)
def scorm_schema() -> etree.XMLSchema:
    """SCORM 1.2's packaging and ADL schemas, with W3C's xml.xsd imported first
    (the bundled ims_xml.xsd is not valid XML)."""
    imports = [("http://www.w3.org/XML/1998/namespace", SCHEMAS / "qti21" / "w3" / "xml.xsd"),
               ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", SCHEMAS / "scorm12" / "imscp_rootv1p1p2.xsd"),
               ("http://www.adlnet.org/xsd/adlcp_rootv1p2", SCHEMAS / "scorm12" / "adlcp_rootv1p2.xsd")]
    lines = "".join(f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>' for ns, path in imports)
    return etree.XMLSchema(etree.fromstring(f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{lines}'
                                            '</xs:schema>'))


def gift_parse(path: Path) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is needed to run gift-pegjs"
    assert (NODE / "node_modules" / "gift-pegjs").is_dir(), "run `npm ci` in tests/node (make test does)"
    proc = subprocess.run([node, str(NODE / "parse-gift.js"), str(path)], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, f"gift-pegjs could not parse {path.name}: {proc.stderr[-2000:]}"
    return json.loads(proc.stdout)


# ---------------------------------------------------------------- the exports, made once

@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(fmt, lang) -> (out folder, stdout) of `python -m book export --format fmt --lang lang --out DIR`."""
    made: dict[str, tuple[Path, str]] = {}

    def get(fmt: str, lang: str = "en") -> tuple[Path, str]:
        if (fmt, lang) not in made:
            out = tmp_path_factory.mktemp(f"{fmt}-{lang}") / "out"
            proc = run_export("--format", fmt, "--lang", lang, "--out", str(out))
            assert proc.returncode == 0, f"export --format {fmt} failed:\n{proc.stderr[-3000:]}"
            assert [p.name for p in out.parent.iterdir()] == ["out"], "a temporary folder was left behind"
            mask = os.umask(0)
            os.umask(mask)
            assert out.stat().st_mode & 0o777 == 0o777 & ~mask, "the folder should open like any new folder"
            made[(fmt, lang)] = (out, proc.stdout)
        return made[(fmt, lang)]
    return get


@pytest.fixture(scope="module")
def special(tmp_path_factory):
    """The fixture bank through every format, on 1 January 2030."""
    root = tmp_path_factory.mktemp("special")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FUTURE)
        bank = banks.load(FIXTURE)
        job = Job([bank], stamp(), "en", ())
        files = {}
        for fmt in ("moodle-xml", "gift", "qti", "scorm"):
            (root / fmt).mkdir()
            files[fmt] = exporter(fmt).write(job, root / fmt)[0]
        # Kolibri and ZIM take built pages: a page like the book's, holding the fixture quiz.
        built = root / "built"
        (built / "modules").mkdir(parents=True)
        page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Special</title></head>'
                f'<body><article class="bd-article"><h1>Special</h1>{quiz_html.render(bank)}</article></body></html>')
        (built / "modules" / "99-special.html").write_text(page, encoding="utf-8")
        (built / "index.html").write_text(page, encoding="utf-8")
        mod = modules.Module(built / "modules" / "99-special.ipynb", "special", 99, "Special", {})
        (root / "kolibri").mkdir()
        files["kolibri"] = kolibri.app(mod, job, root / "kolibri" / "special.zip", built=built)
        (root / "zim").mkdir()
        files["zim"] = zim.zim(job, built, root / "zim" / "special.zim")
    return SimpleNamespace(bank=bank, job=job, files=files, root=root)


# ---------------------------------------------------------------- Moodle XML

def moodle_questions(path: Path):
    """(category text, [question elements]) in file order, parsed by lxml."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    groups: list[tuple[str, list]] = []
    for q in tree.getroot().iter("question"):
        if q.get("type") == "category":
            groups.append((q.findtext("category/text"), []))
        else:
            groups[-1][1].append(q)
    return tree, groups


def check_moodle_question(el, q) -> None:
    where = f"{q.id}"
    answers = el.findall("answer")
    assert len(answers) == len(q.options), where
    grades = [float(a.get("fraction")) for a in answers]
    assert all(grade_ok(g) for g in grades), f"{where}: a grade not in Moodle's list: {grades}"
    assert el.find("questiontext").get("format") == "html"
    assert question_shown(q) == text_of(el.findtext("questiontext/text")), where
    general = text_of(el.findtext("generalfeedback/text"))
    assert shown(q.explanation, block=True) in general, where
    if q.type == "true-false":
        assert el.get("type") == "truefalse", where
        texts = [a.findtext("text") for a in answers]
        assert sorted(texts) == ["false", "true"], f"{where}: true/false answers must be 'true' and 'false'"
        named = words(q)
        right = next(w for w, o in zip(named, q.options) if o.correct)
        assert {a.findtext("text"): float(a.get("fraction")) for a in answers} == {
            right: 100, ("false" if right == "true" else "true"): 0}, where
        by_text = {a.findtext("text"): text_of(a.findtext("feedback/text")) for a in answers}
        for w, o in zip(named, q.options):
            assert by_text[w] == shown(o.feedback), where
        return
    assert el.get("type") == "multichoice", where
    assert el.findtext("shuffleanswers") == "false", f"{where}: the platform must keep the book's order"
    by_text = {text_of(a.findtext("text")): (float(a.get("fraction")), text_of(a.findtext("feedback/text")))
               for a in answers}
    for o in q.options:
        grade, feedback = by_text[shown(o.text)]
        assert feedback == shown(o.feedback), where
        if q.type == "multiple":
            assert (grade > 0) == o.correct and grade != 0, f"{where}: right options gain, wrong ones lose"
        else:
            assert grade == (100 if o.correct else 0), where
    if q.type == "multiple":
        assert el.findtext("single") == "false"
        assert round(sum(g for g in grades if g > 0) / 100, 2) == 1, f"{where}: positive grades must add up to 100"
    else:
        assert el.findtext("single") == "true"
        assert grades.count(100) == 1, f"{where}: a single-answer question has one 100% answer"


@pytest.mark.parametrize("lang", ["en", "km"])
def test_moodle_xml_follows_the_importer_rules(exported, lang):
    out, stdout = exported("moodle-xml", lang)
    assert stdout.strip().splitlines()[-1] == f"ok: 1 file(s) in {out}"
    tree, groups = moodle_questions(out / moodle.FILE)
    first = tree.getroot()[0]
    with in_language(lang):
        stamped = edition_stamp(lang)
        assert isinstance(first, etree._Comment) and first.text.strip() == stamped.text
        expected = all_banks(lang)
        assert [c for c, _qs in groups] == [f"$course$/top/{stamped.title}/{b.title}" for b in expected]
        for (_c, questions), bank in zip(groups, expected):
            assert [q.findtext("name/text") for q in questions] == [f"{bank.id}: {q.id}" for q in bank.questions]
            for el, q in zip(questions, bank.questions):
                check_moodle_question(el, q)
    assert tree.getroot().xpath("//info/text")[0].text == f"<p>{stamped.text}</p>"


# ---------------------------------------------------------------- GIFT

def check_gift_question(item: dict, bank, q) -> None:
    where = q.id
    assert item["title"] == f"{bank.id}: {q.id}", where
    assert item["stem"]["format"] == "html"
    assert text_of(item["stem"]["text"]) == question_shown(q), where
    general = text_of((item.get("globalFeedback") or {}).get("text", ""))
    assert shown(q.explanation, block=True) in general, where
    if q.type == "true-false":
        assert item["type"] == "TF", where
        right = next(o for o in q.options if o.correct)
        wrong = next(o for o in q.options if not o.correct)
        assert item["isTrue"] == (words(q)[q.options.index(right)] == "true"), where
        # {TRUE#feedback when answered wrongly#feedback when answered rightly}
        assert text_of(item["trueFeedback"]["text"]) == shown(wrong.feedback), where
        assert text_of(item["falseFeedback"]["text"]) == shown(right.feedback), where
        return
    assert item["type"] == "MC", where
    choices = {text_of(c["text"]["text"]): c for c in item["choices"]}
    assert len(choices) == len(q.options), where
    right_n = sum(o.correct for o in q.options)
    for o in q.options:
        choice = choices[shown(o.text)]
        assert text_of(choice["feedback"]["text"]) == shown(o.feedback), where
        if q.type == "multiple":
            want = 100 / right_n if o.correct else -100 / (len(q.options) - right_n)
            assert abs(choice["weight"] - want) < 1e-4 and grade_ok(choice["weight"]), where
        else:
            assert choice["isCorrect"] == o.correct and choice["weight"] is None, where


@pytest.mark.parametrize("lang", ["en", "km"])
def test_gift_parsed_back_by_gift_pegjs(exported, lang):
    out, _stdout = exported("gift", lang)
    text = (out / gift.FILE).read_text(encoding="utf-8")
    items = gift_parse(out / gift.FILE)
    with in_language(lang):
        stamped = edition_stamp(lang)
        assert text.startswith(f"// {stamped.text}\n")
        expected = all_banks(lang)
        cats = [i for i in items if i["type"] == "Category"]
        assert [c["title"] for c in cats] == [f"$course$/top/{stamped.title}/{b.title}" for b in expected]
        questions = [i for i in items if i["type"] != "Category"]
        pairs = [(b, q) for b in expected for q in b.questions]
        assert len(questions) == len(pairs)
        for item, (bank, q) in zip(questions, pairs):
            check_gift_question(item, bank, q)


def test_gift_parser_rejects_an_unescaped_brace(tmp_path):
    """The reader is strict enough to catch a missed escape."""
    bad = tmp_path / "bad.txt"
    bad.write_text("::q::[html]A { brace{\n=right\n~wrong\n}\n", encoding="utf-8")
    proc = subprocess.run([shutil.which("node") or "node", str(NODE / "parse-gift.js"), str(bad)],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode != 0


# ---------------------------------------------------------------- QTI 2.1

def check_qti_package(path: Path, expected_banks, tmp: Path) -> dict:
    item_schema, package_schema = qti_schemas()
    folder = unzip(path, tmp)
    manifest = etree.parse(str(folder / "imsmanifest.xml"))
    validate(package_schema, manifest, "imsmanifest.xml")
    ns = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
    hrefs = manifest.xpath("//cp:resource/cp:file/@href", namespaces=ns)
    assert sorted(hrefs) == sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.xml")
                                   if p.name != "imsmanifest.xml")
    items = {}
    for href in hrefs:
        doc = etree.parse(str(folder / href))
        validate(item_schema, doc, href)
        items[href] = doc
    for bank in expected_banks:
        test = items[f"tests/{bank.id}.xml"]
        refs = test.xpath("//q:assessmentItemRef/@href", namespaces=QTI_NS)
        assert refs == [f"../items/{bank.id}/{q.id}.xml" for q in bank.questions]
        for q in bank.questions:
            doc = items[f"items/{bank.id}/{q.id}.xml"]
            choices = doc.xpath("//q:simpleChoice", namespaces=QTI_NS)
            by_id = {c.get("identifier"): flat(c.xpath("string()")) for c in choices}
            right = doc.xpath("//q:correctResponse/q:value/text()", namespaces=QTI_NS)
            assert sorted(by_id[r] for r in right) == sorted(shown(o.text) for o in q.options if o.correct), q.id
            assert sorted(by_id.values()) == sorted(shown(o.text) for o in q.options), q.id
            feedback = {f.get("identifier"): flat(f.xpath("string()"))
                        for f in doc.xpath("//q:modalFeedback", namespaces=QTI_NS)}
            for cid, text in by_id.items():
                option = next(o for o in q.options if shown(o.text) == text)
                assert feedback[cid] == shown(option.feedback), q.id
            body = flat(doc.xpath("string(//q:itemBody)", namespaces=QTI_NS))
            assert body.startswith(question_shown(q)), q.id
            interaction = doc.xpath("//q:choiceInteraction", namespaces=QTI_NS)[0]
            assert interaction.get("shuffle") == "false"
            assert interaction.get("maxChoices") == ("0" if q.type == "multiple" else "1")
            if q.explanation:
                assert shown(q.explanation, block=True) in feedback["EXPLANATION"], q.id
    return items


@pytest.mark.parametrize("lang", ["en", "km"])
def test_qti_package_valid_against_ims_schemas(exported, tmp_path, lang):
    out, _stdout = exported("qti", lang)
    with in_language(lang):
        items = check_qti_package(out / qti.FILE, all_banks(lang), tmp_path / "qti")
        stamped = edition_stamp(lang)
    one = next(iter(items.values())).getroot()
    assert one.get("toolVersion") == f"{stamped.version} ({stamped.date})"
    assert any(isinstance(n, etree._Comment) and n.text.strip() == stamped.text for n in one)


def test_qti_schema_catches_what_qti_does_not_allow(exported, tmp_path):
    """The validator is strict: an attribute from the book's HTML (data-fact) fails."""
    item_schema, _package = qti_schemas()
    out, _stdout = exported("qti")
    folder = unzip(out / qti.FILE, tmp_path / "qti")
    doc = etree.parse(str(next((folder / "items").rglob("*.xml"))))
    doc.xpath("//q:simpleChoice", namespaces=QTI_NS)[0].set("data-fact", "x")
    assert not item_schema.validate(doc)


# ---------------------------------------------------------------- SCORM 1.2

def check_scorm_package(path: Path, tmp: Path) -> Path:
    folder = unzip(path, tmp)
    manifest = etree.parse(str(folder / "imsmanifest.xml"))
    validate(scorm_schema(), manifest, f"{path.name}: imsmanifest.xml")
    ns = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
    listed = manifest.xpath("//cp:resource/cp:file/@href", namespaces=ns)
    assert sorted(listed) == sorted(p.name for p in folder.iterdir() if p.name != "imsmanifest.xml")
    assert manifest.xpath("//cp:resource/@adlcp:scormtype", namespaces=ns) == ["sco"]
    assert manifest.xpath("//adlcp:masteryscore/text()", namespaces=ns) == ["80"]
    return folder


@pytest.mark.parametrize("lang", ["en", "km"])
def test_scorm_packages_have_valid_manifests(exported, tmp_path, lang):
    with in_language(lang):
        out, _stdout = exported("scorm", lang)
        expected = all_banks(lang)
        assert sorted(p.name for p in out.iterdir()) == sorted(f"{b.id}-scorm12.zip" for b in expected)
        for bank in expected:
            folder = check_scorm_package(out / f"{bank.id}-scorm12.zip", tmp_path / bank.id)
            page = (folder / "index.html").read_text(encoding="utf-8")
            assert edition_stamp(lang).text in text_of(page)
            assert edition_stamp(lang).text in (folder / "imsmanifest.xml").read_text(encoding="utf-8")
            assert lxml_html.fromstring(page).get("lang") == lang
            if lang == "km":  # the font inside the package, linked relatively, with its licence
                assert 'href="khmer.css"' in page and (folder / "noto-sans-khmer-OFL.txt").is_file()
                faces = re.findall(r'url\("([^"]+)"\)', (folder / "khmer.css").read_text(encoding="utf-8"))
                assert len(faces) == 2 and all(f.startswith("data:font/woff2;base64,") for f in faces)


LMS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Stand-in LMS</title>
<link rel="icon" href="data:,">
<script src="scorm12.min.js"></script>
<script>
  window.API = new Scorm12API({ logLevel: 5 });
  window.lmsLog = [];
  window.API.on("LMSSetValue.cmi.*", function (element, value) { window.lmsLog.push([element, value]); });
  window.API.on("LMSInitialize", function () { window.lmsLog.push(["LMSInitialize", ""]); });
</script></head>
<body><iframe id="sco" title="course" src="sco/index.html" style="width:100%;height:90vh"></iframe></body></html>"""


@pytest.mark.parametrize("lang", ["en", "km"])
def test_scorm_reports_score_and_status_to_scorm_again(exported, browser, tmp_path, lang):
    """The law quiz inside scorm-again: failed below 80%, then passed at 100%."""
    with in_language(lang):
        out, _stdout = exported("scorm", lang)
        bank = apply.bank("law", lang)
        site = tmp_path / "lms"
        unzip(out / "law-scorm12.zip", site / "sco")
        shutil.copyfile(NODE / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js", site / "scorm12.min.js")
        (site / "lms.html").write_text(LMS_PAGE, encoding="utf-8")
        with serving(site) as base:
            context = browser.new_context()
            page = context.new_page()
            problems = watch(page, urlparse(base).netloc)
            page.goto(f"{base}lms.html")
            frame = page.frame_locator("#sco")
            page.wait_for_function("() => window.API.cmi.core.lesson_status === 'incomplete'")
            assert frame.locator(".kq-lms-note").is_visible()
            if lang == "km":
                assert KHMER_FONT_LOADED and page.frame(url=re.compile(r"/sco/index\.html$")).wait_for_function(
                    KHMER_FONT_LOADED)  # the learner is told what the LMS gets
            total = len(bank.questions)
            missed = bank.questions[:-(-total // 4)]  # a quarter wrong: at most 75%, below the mastery score
            for q in bank.questions:
                answer(frame, q, right=q not in missed)
            page.wait_for_function("() => window.API.cmi.core.lesson_status === 'failed'")
            assert page.evaluate("() => window.API.cmi.core.score.raw") == str(round(100 * (total - len(missed)) / total))
            for q in missed:
                frame.locator(f'li.kq-q[data-kq-q="{q.id}"] .kq-retry').click()
                answer(frame, q)
            page.wait_for_function("() => window.API.cmi.core.lesson_status === 'passed'")
            assert page.evaluate("() => [window.API.cmi.core.score.raw, window.API.cmi.core.score.min, "
                                 "window.API.cmi.core.score.max]") == ["100", "0", "100"]
            log = page.evaluate("() => window.lmsLog")
            statuses = [v for k, v in log if k == "cmi.core.lesson_status"]
            assert statuses[0] == "incomplete" and statuses[-1] == "passed" and "failed" in statuses
            context.close()
        assert not problems, problems


def test_scorm_final_check_reports_the_submitted_attempt(exported, browser, tmp_path):
    """The final check in scorm-again: one question per learning point is drawn,
    and the LMS gets the score of the submitted attempt out of those points
    (not out of the whole pool): failed below the mastery score, then passed."""
    out, _stdout = exported("scorm")
    bank = banks.load_id("final")
    by_id = {q.id: q for q in bank.questions}
    points = bank.attempt_size()
    site = tmp_path / "lms"
    unzip(out / "final-scorm12.zip", site / "sco")
    shutil.copyfile(NODE / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js", site / "scorm12.min.js")
    (site / "lms.html").write_text(LMS_PAGE, encoding="utf-8")

    def attempt(frame, wrong: int) -> None:
        visible = frame.locator("li.kq-q:not([hidden])")
        visible.nth(points - 1).wait_for()
        ids = [li.get_attribute("data-kq-q") for li in visible.all()]
        assert len(ids) == points and len({by_id[i].tags.point for i in ids}) == points
        for n, qid in enumerate(ids):
            q, li = by_id[qid], frame.locator(f'li.kq-q[data-kq-q="{qid}"]')
            picks = [next(o for o in q.options if not o.correct)] if n < wrong else [o for o in q.options if o.correct]
            for option in picks:
                li.get_by_label(shown(option.text), exact=True).check()
        frame.get_by_role("button", name=_("quiz.submit")).click()

    with serving(site) as base:
        context = browser.new_context()
        page = context.new_page()
        problems = watch(page, urlparse(base).netloc)
        page.goto(f"{base}lms.html")
        frame = page.frame_locator("#sco")
        page.wait_for_function("() => window.API.cmi.core.lesson_status === 'incomplete'")
        wrong = points // 4  # at most 75%: below the mastery score
        attempt(frame, wrong)
        page.wait_for_function("() => window.API.cmi.core.lesson_status === 'failed'")
        assert page.evaluate("() => window.API.cmi.core.score.raw") == str(round(100 * (points - wrong) / points))
        frame.get_by_role("button", name=_("quiz.retake")).click()
        attempt(frame, 0)
        page.wait_for_function("() => window.API.cmi.core.lesson_status === 'passed'")
        assert page.evaluate("() => window.API.cmi.core.score.raw") == "100"
        context.close()
    assert not problems, problems


def test_scorm_package_works_with_no_lms(special, browser, tmp_path):
    folder = unzip(special.files["scorm"], tmp_path / "sco")
    context = browser.new_context()
    page = context.new_page()
    problems = watch(page, None)
    page.goto((folder / "index.html").as_uri())
    q = special.bank.questions[0]
    assert flat(page.locator(f'li.kq-q[data-kq-q="{q.id}"] .kq-prompt').inner_text()) == flat(q.prompt)
    answer(page, q)
    page.locator(f'li.kq-q[data-kq-q="{q.id}"] .kq-result.kq-ok').wait_for()
    assert page.locator(".kq-lms-note").is_hidden()
    context.close()
    assert not problems, problems


@pytest.mark.parametrize("fmt", ["scorm", "kolibri"])
@pytest.mark.parametrize("lang", ["en", "km"])
def test_standalone_pages_pass_axe_at_phone_width(fmt, exported, browser, tmp_path, lang):
    with in_language(lang):
        out, _stdout = exported(fmt, lang)
        package = sorted(out.iterdir())[0]
        folder = unzip(package, tmp_path / fmt)
        context = browser.new_context(viewport={"width": 360, "height": 800})
        page = context.new_page()
        page.goto((folder / "index.html").as_uri())
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, **VIOLATIONS_ONLY})
        violations = [f"{v['id']}: {v['nodes'][0]['target']}" for v in result.response["violations"]]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
        context.close()
        assert not violations, f"{package.name}: {violations}"


# ---------------------------------------------------------------- Kolibri

HOST_PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Kolibri stand-in</title>'
             '<link rel="icon" href="data:,"></head>'
             '<body><iframe id="app" title="app" sandbox="allow-scripts" src="app/index.html" '
             'style="width:100%;height:90vh"></iframe></body></html>')
# True once the page's Khmer text is drawn with the Noto Sans Khmer the package carries.
KHMER_FONT_LOADED = ("() => document.fonts.status === 'loaded' && [...document.fonts].some("
                     "f => f.family.replace(/\"/g, '') === 'Noto Sans Khmer' && f.status === 'loaded')")
STORAGE_PROBE = "() => { try { window.localStorage.getItem('x'); return 'open'; } catch (e) { return 'blocked'; } }"


def relative_refs(index: Path) -> list[str]:
    doc = lxml_html.parse(str(index))
    return [v for v in doc.xpath("//@href | //@src")]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_kolibri_apps_work_in_a_sandboxed_iframe(exported, browser, tmp_path, lang):
    with in_language(lang):
        out, _stdout = exported("kolibri", lang)
        mods = modules.all_modules()
        assert sorted(p.name for p in out.iterdir()) == sorted(f"{m.path.stem}-kolibri.zip" for m in mods)
        context = browser.new_context()
        for mod in mods:
            site = tmp_path / mod.id
            folder = unzip(out / f"{mod.path.stem}-kolibri.zip", site / "app")
            assert (folder / "index.html").is_file()
            for ref in relative_refs(folder / "index.html"):
                if ref.startswith("#"):
                    continue
                assert not re.match(r"^([a-z]+:|/)", ref), f"{mod.id}: not a relative link: {ref}"
                assert (folder / ref).is_file(), f"{mod.id}: {ref} is not in the zip"
            assert edition_stamp(lang).text in text_of((folder / "index.html").read_text(encoding="utf-8"))
            (site / "host.html").write_text(HOST_PAGE, encoding="utf-8")
            bank = apply.bank(mod.id, lang)
            with serving(site) as base:
                page = context.new_page()
                problems = watch(page, urlparse(base).netloc)
                page.goto(f"{base}host.html")
                frame = page.frame(url=re.compile(r"/app/index\.html$"))
                assert frame is not None
                frame.wait_for_load_state()
                assert frame.evaluate(STORAGE_PROBE) == "blocked"
                assert frame.evaluate("document.documentElement.lang") == lang
                if lang == "km":
                    frame.wait_for_function(KHMER_FONT_LOADED)
                app = page.frame_locator("#app")
                assert app.locator("h1").inner_text().startswith(f"{mod.number}.")
                answer(app, bank.questions[0])
                app.locator(f'li.kq-q[data-kq-q="{bank.questions[0].id}"] .kq-result.kq-ok').wait_for()
                requested = [r for r in problems if r.startswith("request:")]
                page.close()
            assert not problems, f"{mod.id}: {problems}{requested}"
        context.close()


# ---------------------------------------------------------------- ZIM

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def kiwix(zim_file: Path):
    """kiwix-serve on 127.0.0.1 only; yields its base URL (with its slash, as serving does) once it answers."""
    exe = shutil.which("kiwix-serve")
    assert exe, "kiwix-serve is missing: install Debian's kiwix-tools (make test does)"
    port = free_port()
    proc = subprocess.Popen([exe, "--address", "127.0.0.1", "--port", str(port), str(zim_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        while True:  # until it accepts a connection, or has exited
            assert proc.poll() is None, f"kiwix-serve exited: {proc.stdout.read()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                try:
                    proc.wait(timeout=0.1)
                except subprocess.TimeoutExpired:
                    pass
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=300)


@pytest.mark.parametrize("lang", ["en", "km"])
def test_zim_passes_zimcheck_and_kiwix_serves_it(exported, browser, lang):
    """One ZIM holds both books (the built site); --lang picks its welcome page,
    title and description, and which language its metadata names first."""
    out, _stdout = exported("zim", lang)
    zim_file = out / zim.file_name(lang)
    check = subprocess.run(["zimcheck", "-A", str(zim_file)], capture_output=True, text=True, timeout=900)
    assert check.returncode == 0 and "Overall Test Status: Pass" in check.stdout, check.stdout[-3000:]
    name = zim_file.stem
    with kiwix(zim_file) as base:
        with urlopen(f"{base}catalog/v2/entries", timeout=300) as resp:
            catalog = etree.fromstring(resp.read())
        atom = {"a": "http://www.w3.org/2005/Atom"}
        assert catalog.xpath("//a:entry/a:language/text()", namespaces=atom) == [
            "eng,khm" if lang == "en" else "khm,eng"]
        summary = catalog.xpath("//a:entry/a:summary/text()", namespaces=atom)[0]
        assert stamp().version in summary and stamp().date in summary
        title = catalog.xpath("//a:entry/a:title/text()", namespaces=atom)[0]
        with in_language(lang):
            assert len(title) <= 30 and title == _("export.zim_title")[:30]
            bank = apply.bank("law", lang)
        edition = "" if lang == "en" else f"{lang}/"
        context = browser.new_context()
        page = context.new_page()
        problems = watch(page, urlparse(base).netloc)
        url = f"{base}{name}/{edition}modules/01-law.html"
        built = (HTML / edition / "modules" / "01-law.html").read_text(encoding="utf-8")  # the book the export was made from
        article = built[built.index("<article"):built.index("</article>")]
        with urlopen(url, timeout=300) as resp:
            assert article in resp.read().decode("utf-8"), "kiwix-serve did not serve the page as built"
        with urlopen(f"{base}{name}/km/pages/intro.html", timeout=300) as resp:  # both books, either --lang
            assert b'<html lang="km"' in resp.read()
        page.goto(url)
        with in_language(lang):
            answer(page, bank.questions[0])
        page.locator(f'li.kq-q[data-kq-q="{bank.questions[0].id}"] .kq-result.kq-ok').wait_for()
        context.close()
    assert not problems, problems


# ---------------------------------------------------------------- every character, every format

def test_special_characters_and_khmer_round_trip(special, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FUTURE)  # the fixture's date: facts show as it showed them
    bank = special.bank
    q = bank.questions[0]
    assert all(ch in q.prompt for ch in "~=#{}:\\<>&\"'%$]") and KHMER in q.prompt  # the fixture's point
    want = {x.id: question_shown(x) for x in bank.questions}
    # Moodle XML (lxml)
    _tree, groups = moodle_questions(special.files["moodle-xml"])
    for el, x in zip(groups[0][1], bank.questions):
        check_moodle_question(el, x)
        assert text_of(el.findtext("questiontext/text")) == want[x.id]
    assert flat(q.prompt) in want[q.id]
    # GIFT (gift-pegjs)
    items = [i for i in gift_parse(special.files["gift"]) if i["type"] != "Category"]
    for item, x in zip(items, bank.questions):
        check_gift_question(item, bank, x)
    # QTI (IMS schemas)
    check_qti_package(special.files["qti"], [bank], tmp_path / "qti")
    # SCORM (its page) and Kolibri (its page)
    for fmt in ("scorm", "kolibri"):
        folder = unzip(special.files[fmt], tmp_path / fmt)
        doc = lxml_html.parse(str(folder / "index.html"))
        for x in bank.questions:
            prompt = doc.xpath(f'//li[@data-kq-q="{x.id}"]//legend[contains(@class, "kq-prompt")]')[0]
            assert flat(prompt.text_content()) == shown(x.prompt), f"{fmt}: {x.id}"
            labels = [flat(e.text_content()) for e in doc.xpath(f'//li[@data-kq-q="{x.id}"]//label')]
            assert sorted(labels) == sorted(shown(o.text) for o in x.options), f"{fmt}: {x.id}"
    # ZIM (zimdump reads the page back)
    dumped = subprocess.run(["zimdump", "show", "--url=modules/99-special.html", str(special.files["zim"])],
                            capture_output=True, timeout=900)
    assert dumped.returncode == 0, dumped.stderr
    assert dumped.stdout == (special.root / "built" / "modules" / "99-special.html").read_bytes()


def test_unconfirmed_facts_keep_their_mark_in_every_format(special, tmp_path):
    """Dated 2030, the cited fact is over a year old: each format says "confirm before use",
    the fact the question rests on without citing it is listed with its status, and the
    stamp gives the date."""
    raw = {fmt: special.files[fmt].read_text(encoding="utf-8") for fmt in ("moodle-xml", "gift")}
    read = {"moodle-xml": raw["moodle-xml"],
            "gift": json.dumps(gift_parse(special.files["gift"]), ensure_ascii=False)}
    for fmt in ("qti", "scorm", "kolibri"):
        folder = unzip(special.files[fmt], tmp_path / fmt)
        raw[fmt] = read[fmt] = " ".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.*ml")))
    listed = facts.headline(facts.load()["law-2008"])
    for fmt in read:
        assert CONFIRM in read[fmt], f"{fmt}: a due fact lost its '{CONFIRM}' mark"
        assert "2030-01-01" in raw[fmt], f"{fmt}: the stamp's date is missing"
    for fmt in ("moodle-xml", "gift", "qti"):
        assert listed in read[fmt], f"{fmt}: the fact the question rests on is not listed"


# ---------------------------------------------------------------- the Khmer edition

def test_khmer_edition_has_the_english_questions_and_right_answers():
    """Same banks, question ids, option order and right answers; the texts Khmer."""
    english, khmer = all_banks(), all_banks("km")
    assert [b.id for b in khmer] == [b.id for b in english]
    for en, km in zip(english, khmer):
        assert [q.id for q in km.questions] == [q.id for q in en.questions]
        for a, b in zip(en.questions, km.questions):
            assert [o.correct for o in b.options] == [o.correct for o in a.options], a.id
    law = khmer[0].questions[0]
    assert re.search("[\u1780-\u17ff]", law.prompt) and law.prompt != english[0].questions[0].prompt


def test_khmer_export_keeps_confirm_before_use_in_khmer(tmp_path, monkeypatch):
    """Dated 2030, every fact is due: GIFT (read by gift-pegjs) says "confirm before use"
    in Khmer with the status and date, and the stamp gives the date and the draft note."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FUTURE)
    out = tmp_path / "out"
    proc = run_export("--format", "gift", "--lang", "km", "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    read = json.dumps(gift_parse(out / gift.FILE), ensure_ascii=False)
    first = (out / gift.FILE).read_text(encoding="utf-8").splitlines()[0]  # the stamp, a GIFT comment
    with in_language("km"):
        assert _("fact.confirm") in read and _("fact.confirm") != CONFIRM
        assert _("fact.status.confirmed") in read
        assert _("lang.draft") in first
    assert "This translation is a draft awaiting review." in first  # said in English too
    assert "2030-01-01" in first


# ---------------------------------------------------------------- one option order

def test_every_question_export_takes_its_option_order_from_one_function(monkeypatch, tmp_path):
    """Reversing presented_options reverses every exported question's options."""
    bank = banks.load_id("law")
    job = Job([bank], stamp(), "en", ())

    def backwards(b, question):
        return list(reversed(list(enumerate(question.options))))
    for module in (common, qti):  # Moodle XML and GIFT take it through common.graded_answers
        monkeypatch.setattr(module, "presented_options", backwards)
    q = next(x for x in bank.questions if x.type == "single")
    want = [shown(o.text) for o in reversed(q.options)]
    tree = etree.fromstring(moodle.document(job))
    el = tree.xpath(f'//question[idnumber="{bank.id}-{q.id}"]')[0]
    assert [text_of(a.findtext("text")) for a in el.findall("answer")] == want
    (tmp_path / "g.txt").write_text(gift.document(job), encoding="utf-8")
    item = next(i for i in gift_parse(tmp_path / "g.txt") if i.get("title") == f"{bank.id}: {q.id}")
    assert [text_of(c["text"]["text"]) for c in item["choices"]] == want
    doc = qti.item(bank, q, job)
    assert [flat(c.xpath("string()")) for c in doc.iter(f"{{{qti.QTI}}}simpleChoice")] == want


def test_moodle_and_gift_write_the_answers_of_one_function(monkeypatch, tmp_path):
    """Moodle XML and GIFT grade and word each option as common.graded_answers
    gives it (one copy of that logic): a change there shows in both files."""
    bank = banks.load_id("law")
    job = Job([bank], stamp(), "en", ())
    q = next(x for x in bank.questions if x.type == "single" and not x.options[-1].correct)
    real = common.graded_answers

    def last_is_right(b, question):
        answers = real(b, question)
        if question.id != q.id:
            return answers
        return [dataclasses.replace(a, grade="100" if n == len(answers) - 1 else "0") for n, a in enumerate(answers)]
    for module in (moodle, gift):
        monkeypatch.setattr(module, "graded_answers", last_is_right)
    want = [100.0 if n == len(q.options) - 1 else 0.0 for n in range(len(q.options))]
    el = etree.fromstring(moodle.document(job)).xpath(f'//question[idnumber="{bank.id}-{q.id}"]')[0]
    assert [float(a.get("fraction")) for a in el.findall("answer")] == want
    (tmp_path / "g.txt").write_text(gift.document(job), encoding="utf-8")
    item = next(i for i in gift_parse(tmp_path / "g.txt") if i.get("title") == f"{bank.id}: {q.id}")
    assert [bool(c["isCorrect"]) for c in item["choices"]] == [w == 100.0 for w in want]


# ---------------------------------------------------------------- bad requests

@pytest.mark.parametrize("args, says", [
    (["--format", "pdf", "--out", "OUT"], "no export format 'pdf'"),
    (["--format", "gift", "--quiz", "nope", "--out", "OUT"], "no quiz 'nope'"),
    (["--format", "gift", "--lang", "fr", "--out", "OUT"], "no language 'fr'"),
    (["--format", "zim", "--lang", "km-KH", "--out", "OUT"], "no language 'km-KH'"),
    (["--format", "kolibri", "--quiz", "final", "--out", "OUT"], "'final' is not the quiz of a module"),
    (["--format", "zim", "--quiz", "law", "--out", "OUT"], "the zim export is the whole book"),
    (["--format", "gift"], "no output folder given"),
])
def test_bad_requests_give_one_line_and_write_nothing(args, says, tmp_path):
    out = str(tmp_path / "out")
    result = CliRunner().invoke(cli, ["export"] + [out if a == "OUT" else a for a in args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], result.stderr
    assert list(tmp_path.iterdir()) == []


def test_zim_without_zimwriterfs_says_what_to_install_before_building(monkeypatch, tmp_path):
    monkeypatch.setattr(zim, "ZIMWRITERFS", "no-such-zimwriterfs")
    result = CliRunner().invoke(cli, ["export", "--format", "zim", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "building" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "zim-tools" in lines[0], result.stderr
    assert list(tmp_path.iterdir()) == []


def test_out_folder_not_empty_is_left_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--format", "gift", "--out", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not empty" in lines[0]
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and [p.name for p in out.iterdir()] == ["mine.txt"]


def test_out_folder_that_cannot_be_written(tmp_path):
    """A folder nobody may write in (chmod for a user; /sys, which refuses even root)."""
    if os.geteuid() == 0:
        parent = Path("/sys")
    else:
        parent = tmp_path / "locked"
        parent.mkdir()
        parent.chmod(0o500)
    result = CliRunner().invoke(cli, ["export", "--format", "gift", "--out", str(parent / "kq-export")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write here" in lines[0], result.stderr
    assert not (parent / "kq-export").exists()
    assert not [p for p in parent.iterdir() if p.name.startswith(".kq-export.")]


def test_a_failure_while_writing_leaves_nothing(monkeypatch, tmp_path):
    out = tmp_path / "out"

    def broken(job, folder):
        (folder / "half.xml").write_text("<quiz>", encoding="utf-8")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(moodle, "write", broken)
    result = CliRunner().invoke(cli, ["export", "--format", "moodle-xml", "--out", str(out)])
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []
