"""IMS QTI 2.1: one assessment item per question and one assessment test per
bank, in an IMS content package (a zip with `imsmanifest.xml`).

Each item has a choice interaction in the presented option order (never
shuffled by the platform), the right answer(s), a score of 1 for an exactly
right answer, modal feedback for every choice and the explanation shown after
answering. Bank HTML becomes QTI's XHTML subset: only its elements and the
`class` and `href` attributes are kept.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from book.data.schema import Bank, Question
from book.export.common import Job, general_feedback_html, html_inline, presented_options, situation_html, zip_folder

FILE = "kampot-quizzes-qti21.zip"
TAKES_QUIZ = True
NEEDS_BOOK = False
QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
# Elements the bank's Markdown subset produces, all of them in QTI 2.1's XHTML.
ELEMENTS = {"p", "ul", "ol", "li", "em", "strong", "a", "code", "br", "span", "div", "blockquote"}
BLOCKS = {"p", "ul", "ol", "div", "blockquote"}
EXPLANATION = "EXPLANATION"


def q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def identifier(*parts: str) -> str:
    """A QTI identifier (an NCName): never starts with a digit."""
    return "kq-" + "-".join(parts)


def _convert(src: Any, parent: etree._Element) -> None:
    """Copy one parsed HTML node (and its tail) into `parent` in QTI's namespace."""
    if not isinstance(src.tag, str):  # a comment: keep only its tail text
        _append_text(parent, src.tail)
        return
    tag = src.tag if src.tag in ELEMENTS else "span"
    if tag == "a" and not src.get("href"):
        tag = "span"
    el = etree.SubElement(parent, q(tag))
    if src.get("class"):
        el.set("class", src.get("class"))
    if tag == "a":
        el.set("href", src.get("href"))
    el.text = src.text
    for child in src:
        _convert(child, el)
    el.tail = src.tail


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def fill(parent: etree._Element, html: str) -> etree._Element:
    """Put an HTML fragment's content into a QTI element."""
    wrapper = lxml_html.fragment_fromstring(html or "", create_parent="div")
    _append_text(parent, wrapper.text)
    for child in wrapper:
        _convert(child, parent)
    return parent


def has_blocks(html: str) -> bool:
    wrapper = lxml_html.fragment_fromstring(html or "", create_parent="div")
    return any(isinstance(e.tag, str) and e.tag in BLOCKS for e in wrapper.iter() if e is not wrapper)


def item(bank: Bank, question: Question, job: Job) -> etree._Element:
    options = presented_options(bank, question)
    ids = {i: f"C{i + 1}" for i, _o in options}  # from the authored index: stable under reordering
    multiple = question.type == "multiple"
    root = etree.Element(q("assessmentItem"), nsmap={None: QTI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
    root.set("identifier", identifier(bank.id, question.id))
    root.set("title", f"{bank.title}: {question.id}")
    root.set("adaptive", "false")
    root.set("timeDependent", "false")
    root.set("toolName", job.stamp.title[:256])
    root.set("toolVersion", f"{job.stamp.version} ({job.stamp.date})")
    root.set(XML_LANG, job.lang)
    root.append(etree.Comment(f" {job.stamp.text.replace('--', '- -')} "))

    response = etree.SubElement(root, q("responseDeclaration"), identifier="RESPONSE",
                                cardinality="multiple" if multiple else "single", baseType="identifier")
    correct = etree.SubElement(response, q("correctResponse"))
    for i, option in options:
        if option.correct:
            etree.SubElement(correct, q("value")).text = ids[i]
    score = etree.SubElement(root, q("outcomeDeclaration"), identifier="SCORE", cardinality="single",
                             baseType="float")
    etree.SubElement(etree.SubElement(score, q("defaultValue")), q("value")).text = "0"
    etree.SubElement(root, q("outcomeDeclaration"), identifier="MAXSCORE", cardinality="single",
                     baseType="float").append(_default("1"))
    etree.SubElement(root, q("outcomeDeclaration"), identifier="FEEDBACK", cardinality="multiple",
                     baseType="identifier")

    body = etree.SubElement(root, q("itemBody"))
    if question.situation:
        fill(etree.SubElement(body, q("div"), {"class": "kq-situation"}), situation_html(question))
    prompt = html_inline(question.prompt)
    if has_blocks(prompt):  # a <prompt> holds inline content only
        fill(etree.SubElement(body, q("div"), {"class": "kq-prompt"}), prompt)
    interaction = etree.SubElement(body, q("choiceInteraction"), responseIdentifier="RESPONSE", shuffle="false",
                                   maxChoices="0" if multiple else "1")
    if not has_blocks(prompt):
        fill(etree.SubElement(interaction, q("prompt")), prompt)
    for i, option in options:
        fill(etree.SubElement(interaction, q("simpleChoice"), identifier=ids[i]), html_inline(option.text))

    processing = etree.SubElement(root, q("responseProcessing"))
    condition = etree.SubElement(processing, q("responseCondition"))
    when = etree.SubElement(condition, q("responseIf"))
    match = etree.SubElement(when, q("match"))
    etree.SubElement(match, q("variable"), identifier="RESPONSE")
    etree.SubElement(match, q("correct"), identifier="RESPONSE")
    _set(when, "SCORE", "float", "1")
    _set(etree.SubElement(condition, q("responseElse")), "SCORE", "float", "0")
    feedback = etree.SubElement(etree.SubElement(processing, q("setOutcomeValue"), identifier="FEEDBACK"),
                                q("multiple"))
    etree.SubElement(feedback, q("variable"), identifier="RESPONSE")
    etree.SubElement(feedback, q("baseValue"), baseType="identifier").text = EXPLANATION

    for i, option in options:
        fill(etree.SubElement(root, q("modalFeedback"), outcomeIdentifier="FEEDBACK", identifier=ids[i],
                              showHide="show"), f"<p>{html_inline(option.feedback)}</p>")
    general = general_feedback_html(question)
    if general:
        fill(etree.SubElement(root, q("modalFeedback"), outcomeIdentifier="FEEDBACK", identifier=EXPLANATION,
                              showHide="show"), general)
    return root


def _default(value: str) -> etree._Element:
    d = etree.Element(q("defaultValue"))
    etree.SubElement(d, q("value")).text = value
    return d


def _set(parent: etree._Element, name: str, base: str, value: str) -> None:
    s = etree.SubElement(parent, q("setOutcomeValue"), identifier=name)
    etree.SubElement(s, q("baseValue"), baseType=base).text = value


def test(bank: Bank, hrefs: list[tuple[str, str]], job: Job) -> etree._Element:
    """An assessment test of the bank's items, in the bank's order; SCORE sums them."""
    root = etree.Element(q("assessmentTest"), nsmap={None: QTI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
    root.set("identifier", identifier(bank.id))
    root.set("title", bank.title)
    root.set("toolName", job.stamp.title[:256])
    root.set("toolVersion", f"{job.stamp.version} ({job.stamp.date})")
    root.append(etree.Comment(f" {job.stamp.text.replace('--', '- -')} "))
    etree.SubElement(root, q("outcomeDeclaration"), identifier="SCORE", cardinality="single", baseType="float")
    part = etree.SubElement(root, q("testPart"), identifier="part", navigationMode="nonlinear",
                            submissionMode="individual")
    section = etree.SubElement(part, q("assessmentSection"), identifier="section", title=bank.title,
                               visible="true")
    for ident, href in hrefs:
        etree.SubElement(section, q("assessmentItemRef"), identifier=ident, href=href)
    outcome = etree.SubElement(root, q("outcomeProcessing"))
    total = etree.SubElement(etree.SubElement(outcome, q("setOutcomeValue"), identifier="SCORE"), q("sum"))
    etree.SubElement(total, q("testVariables"), variableIdentifier="SCORE")
    return root


def manifest(job: Job, resources: list[tuple[str, str, str, list[str]]]) -> etree._Element:
    """(identifier, type, href, dependencies) per resource."""

    def c(tag: str) -> str:
        return f"{{{CP}}}{tag}"

    root = etree.Element(c("manifest"), nsmap={None: CP, "xsi": XSI}, identifier=identifier("qti-package"))
    root.set(f"{{{XSI}}}schemaLocation", f"{CP} {CP_XSD}")
    root.append(etree.Comment(f" {job.stamp.text.replace('--', '- -')} "))
    meta = etree.SubElement(root, c("metadata"))
    etree.SubElement(meta, c("schema")).text = "QTIv2.1 Package"
    etree.SubElement(meta, c("schemaversion")).text = "1.0.0"
    etree.SubElement(root, c("organizations"))
    res = etree.SubElement(root, c("resources"))
    for ident, kind, href, deps in resources:
        r = etree.SubElement(res, c("resource"), identifier=ident, type=kind, href=href)
        etree.SubElement(r, c("file"), href=href)
        for dep in deps:
            etree.SubElement(r, c("dependency"), identifierref=dep)
    return root


def _save(tree: etree._Element, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write(job: Job, folder: Path) -> list[Path]:
    resources: list[tuple[str, str, str, list[str]]] = []
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        pkg = Path(tmp)
        for bank in job.banks:
            refs = []
            for question in bank.questions:
                ident, href = identifier(bank.id, question.id), f"items/{bank.id}/{question.id}.xml"
                _save(item(bank, question, job), pkg / href)
                resources.append((ident, "imsqti_item_xmlv2p1", href, []))
                refs.append((ident, f"../{href}"))
            href = f"tests/{bank.id}.xml"
            _save(test(bank, refs, job), pkg / href)
            resources.append((identifier("test", bank.id), "imsqti_test_xmlv2p1", href, [r for r, _h in refs]))
        _save(manifest(job, resources), pkg / "imsmanifest.xml")
        return [zip_folder(pkg, folder / FILE)]
