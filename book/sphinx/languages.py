"""Two books, one site (a Sphinx extension, in every language's build).

- Every page says its language (`<html lang>`, from Sphinx's `language`),
  links its twin in every other language (`<link rel="alternate"
  hreflang>`), and shows a language switcher at the top of its main area:
  a link, in the other language's own words (and the page's), to the same
  page in that language (book/templates/kq-language.html). Links are relative, so they
  work over http and from disk.
- A translated page says while it is a draft: while any message it shows
  is a draft (gettext's fuzzy flag) or untranslated, a banner at its top
  says so, in the page's language and in English, with a link to the
  English page. The messages counted are the page's own catalogue's (the
  messages Sphinx looks up for it, marked on their nodes just before Sphinx
  translates them, and counted on the page as written: a notebook output's
  Markdown twin of the HTML the page shows is not on the page) and those
  of the catalogues behind the data it shows: each quiz's bank, each fact
  and the role paths. Which messages keep each page a draft is
  written to `kq-drafts.json` beside the build's output
  (`_build/staging-km/_build/kq-drafts.json`), for reviewers.
- sphinx-book-theme's strings ("Contents", "Print to PDF") come from its
  own gettext domain, `booktheme`: the build's catalogues are added to it.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from book.data import banks
from book.render.i18n import catalogue
from book.translate import catalogues, data_messages, editions

THEME_DOMAIN = "booktheme"          # sphinx-book-theme's gettext domain
MARK = "kq_msgids"                  # node attribute: the messages Sphinx looks up on that node
# A quiz, or a session plan's answer key, shows a bank; a fact shows as
# book.render.markup.render_fact's span or a fact list's entry.
QUIZ = re.compile(r'data-kq-(?:quiz|session)="([a-z0-9-]+)"')
FACT = re.compile(r'''data-fact="([a-z0-9-]+)"|\bid=["']fact-([a-z0-9-]+)["']''')
ROLES = 'class="kq-role"'
REPORT = "kq-drafts.json"           # page -> [catalogue, context, English] not yet reviewed
_drafts_of: dict[str, list[tuple[str, str | None, str]]] = {}    # the pages written by this build


# --------------------------------------------------------------------- languages

@lru_cache(maxsize=16)
def own_name(lang: str) -> str:
    """A language's name in itself ("ភាសាខ្មែរ", "English"): `lang.name` of
    its own catalogue, else the CLDR name Babel knows."""
    own = catalogues.read(lang, "book").translated.get((None, "lang.name"))
    return own or Locale.parse(lang).get_display_name(lang) or lang


@lru_cache(maxsize=16)
def name_in(lang: str, reader: str) -> str:
    """A language's name in the reader's language ("Khmer" on an English
    page): shown beside its own name, which a reader's device may lack the
    font for."""
    return Locale.parse(lang).get_display_name(reader) or lang


def _theme_catalogue(app: Sphinx, config: Config) -> None:
    """sphinx-book-theme's strings in the build's language, from the
    compiled catalogues (book/translate/compile.py) beside Sphinx's own."""
    if config.language and config.language != "en":
        for folder in config.locale_dirs:
            app.add_message_catalog(THEME_DOMAIN, str(Path(app.confdir) / folder))


# --------------------------------------------------------------------- drafts

class MarkMessages(SphinxTransform):
    """Mark each node with the messages Sphinx's Locale transform (priority
    20) is about to look up on it; a translated build only."""

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        if self.config.language == editions.main():
            return
        for node, msg in extract_messages(self.document):
            node.setdefault(MARK, []).append(msg)


def shown_messages(doctree: nodes.document) -> list[str]:
    """The marked messages still in a page's doctree as it is written."""
    found = {msg for node in doctree.findall(nodes.Element) for msg in node.get(MARK, [])}
    return sorted(found)


def _note_catalogue(app: Sphinx, docname: str, source: list[str]) -> None:
    """Read a page again when its compiled catalogue changes (the build
    writes a .mo only when its content changes), or this file: the marks
    MarkMessages leaves are kept with the page's cached doctree."""
    if app.config.language == editions.main():
        return
    app.env.note_dependency(__file__)
    domain = docname_to_domain(docname, app.config.gettext_compact)
    for folder in app.config.locale_dirs:
        mo = Path(app.confdir) / folder / app.config.language / "LC_MESSAGES" / f"{domain}.mo"
        if mo.exists():
            app.env.note_dependency(str(mo))


def drafts(lang: str, domain: str, messages: list[str], body: str) -> list[tuple[str, str | None, str]]:
    """(catalogue, context, English) of every message a page shows that is
    not yet reviewed: its own catalogue's (`messages`, looked up without
    context) and those of the banks, facts and role paths its HTML shows."""
    out: list[tuple[str, str | None, str]] = []

    def check(dom: str, keys: list[tuple[str | None, str]]) -> None:
        entries = catalogues.read(lang, dom).entries
        out.extend((dom, ctx, text) for ctx, text in keys if not catalogues.reviewed(entries.get((ctx, text))))
    check(domain, [(None, msg) for msg in messages])
    for quiz_id in dict.fromkeys(QUIZ.findall(body)):
        bank = banks.load_authored(banks.bank_path(quiz_id))
        check(f"quizzes/{quiz_id}", [(m.context, m.text) for m in data_messages.bank_messages(bank)])
    shown = {fid for pair in FACT.findall(body) for fid in pair if fid}
    if shown:
        check("facts", [(m.context, m.text) for m in data_messages.fact_messages()
                        if m.context.split(".")[1] in shown])
    if ROLES in body:
        check("roles", [(m.context, m.text) for m in data_messages.role_messages()])
    return out


# --------------------------------------------------------------------- pages

def _page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
          doctree: nodes.document | None) -> None:
    here = app.config.language or "en"
    others = [lang for lang in editions.languages() if lang != here]
    links = [f'<link rel="alternate" hreflang="{lang}" href="{editions.twin(pagename, here, lang)}">'
             for lang in editions.languages()]
    links.append(f'<link rel="alternate" hreflang="x-default" '
                 f'href="{editions.twin(pagename, here, editions.main())}">')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(links)
    context["kq_languages"] = [{"lang": lang, "name": own_name(lang), "here_name": name_in(lang, here),
                                "href": editions.twin(pagename, here, lang)} for lang in others]
    context["kq_draft"] = None
    if here == editions.main():
        return
    messages = shown_messages(doctree) if doctree is not None else []
    found = drafts(here, docname_to_domain(pagename, app.config.gettext_compact), messages,
                   context.get("body", ""))
    _drafts_of[pagename] = found
    if found:
        words, english = catalogue(here), catalogue("en")
        context["kq_draft"] = {
            "count": len(found), "href": editions.twin(pagename, here, editions.main()),
            "text": words.get("lang.draft", ""), "link": words.get("lang.read_english", ""),
            "text_en": english.get("lang.draft", ""), "link_en": english.get("lang.read_english", "")}


def _write_report(app: Sphinx, exc: Exception | None) -> None:
    """kq-drafts.json: the pages written now, over what an earlier build found."""
    if exc is not None or app.config.language == editions.main() or app.builder.format != "html":
        return
    path = Path(app.outdir).parent / REPORT
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = {}
    report.update({page: [list(d) for d in found] for page, found in _drafts_of.items()})
    path.write_text(json.dumps(report, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _theme_catalogue)
    app.connect("source-read", _note_catalogue)
    app.add_transform(MarkMessages)
    app.connect("html-page-context", _page)
    app.connect("build-finished", _write_report)
    # env_version: doctrees cached before MarkMessages marked them are read again.
    return {"version": "0.1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
