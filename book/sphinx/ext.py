"""The book's Sphinx extension.

- checks every input before Sphinx reads a page (a bad bank stops the build);
- the {fact} role and the fact-listing directives (module sources, contacts,
  the sources page), all rendered by book.facts;
- re-executes notebooks when what they read changes (banks, facts, book/
  code): jupyter-cache only watches a notebook's own code cells;
- {session-plan} <module>: a module's timed workshop plan with its
  facilitator notes and answer key, rendered from the notebook and the bank
  by book/render/sessions.py (the same code as the printed workshop packs).
"""
from __future__ import annotations

import hashlib
import html
import posixpath
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

from book.data import banks, facts, modules
from book.render import sessions
from book.data.errors import BookError
from book.render.fact_label import status_label
from book.render.markup import inline, render_fact
from book.data.paths import PACKAGE, TEMPLATES, project
from book.data.validate import check_all, page_text

logger = logging.getLogger(__name__)
SHOW = re.compile(r"""show\(\s*["']([a-z0-9-]+)["']""")
NEED_TITLES = {
    "child": "A child may be at risk",
    "trafficking": "Suspected trafficking or exploitation",
    "violence": "Violence",
    "health": "Health",
    "peer": "Peer support from sex workers",
    "legal": "Legal help",
    "exit": "Leaving sex work or recovering from exploitation",
}


def input_files() -> list[Path]:
    """Everything a notebook's output can depend on besides its own cells."""
    files = [project().facts, *sorted(project().quizzes.glob("*.yml"))]
    files += sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def inputs_digest() -> str:
    h = hashlib.sha256(str(facts.today()).encode())
    for path in input_files():
        h.update(str(path.relative_to(project().root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


# --------------------------------------------------------------------- events

def _validate(app: Sphinx, config) -> None:
    # Our templates first: they trim what the theme loads on every page.
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    problems = check_all()
    if problems:
        raise ConfigError("\n".join(str(p) for p in problems))


def _refresh_cache(app: Sphinx) -> None:
    """Drop the execution cache when a bank, a fact or book/ code changed."""
    cache = Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    stamp = cache.parent / ".kq-inputs-digest"
    digest = inputs_digest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if cache.exists():
        logger.info("[book] inputs changed: clearing the notebook execution cache")
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def _note_dependencies(app: Sphinx, docname: str, source: list[str]) -> None:
    """Make Sphinx re-read a page when the data it shows changes."""
    app.env.note_dependency(str(project().facts))
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        for path in input_files():
            app.env.note_dependency(str(path))


def _drop_widget_state(app: Sphinx, doctree) -> None:
    """The book shows the static quiz, so the saved widget models are dead weight."""
    data = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {})
    data.get("js_files", {}).pop("ipywidgets_state", None)


def page_link(env, target: str) -> str:
    """A relative link from the page being read to a built page (both from the root)."""
    return posixpath.relpath(target, posixpath.dirname(env.docname) or ".")


# --------------------------------------------------------------------- role & directives

def fact_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    registry = facts.load()
    if text not in registry:
        msg = inliner.reporter.warning(f"unknown fact id '{text}'; use an id from facts.yml", line=lineno)
        return [nodes.problematic(rawtext, rawtext)], [msg]
    return [nodes.raw("", render_fact(registry[text]), format="html")], []


def _fact_item(fact) -> str:
    note = f" {html.escape(fact.note)}" if fact.note else ""
    return (f'<li class="fact-entry" id="fact-{fact.id}">{render_fact(fact)}'
            f'<br><span class="fact-source">Source: {html.escape(fact.source)}.{note}</span></li>')


class ModuleSources(Directive):
    """Every fact cited on this page and in the quizzes it shows."""

    def run(self):
        env = self.state.document.settings.env
        path = Path(env.doc2path(env.docname))
        # Cell by cell, decoded: in a notebook's JSON the show("id") call has escaped quotes.
        text = "\n".join(source for _place, source in page_text(path))
        cited = facts.cited_ids(text)
        for quiz_id in SHOW.findall(text):
            try:
                bank = banks.load_id(quiz_id)
            except BookError as exc:
                raise self.error(str(exc))
            env.note_dependency(str(banks.bank_path(quiz_id)))
            cited += banks.cited(bank)
        registry = facts.load()
        seen = list(dict.fromkeys(c for c in cited if c in registry))
        items = "".join(_fact_item(registry[f]) for f in seen)
        return [nodes.raw("", f'<ul class="fact-list">{items}</ul>', format="html")]


class Contacts(Directive):
    """The contacts page: who to call or contact, grouped by need."""

    def run(self):
        registry = facts.load()
        out = []
        for need, title in NEED_TITLES.items():
            entries = [f for f in registry if need in f.serves]
            if not entries:
                continue
            entries.sort(key=lambda f: (f.kind != "contact", facts.needs_confirmation(f), f.id))
            out.append(f'<h2 id="need-{need}">{html.escape(title)}</h2><ul class="fact-list">')
            for f in entries:
                extra = "" if f.kind == "contact" else f" {inline(f.text, cite=False)}"
                out.append(f'<li class="fact-entry">{render_fact(f) if f.kind == "contact" else "<strong>" + html.escape(f.name or f.id) + "</strong>"}{extra}'
                           + (f' <span class="fact-status">({html.escape(status_label(f))})</span>' if f.kind != "contact" else "")
                           + "</li>")
            out.append("</ul>")
        return [nodes.raw("", "".join(out), format="html")]


class FactSources(Directive):
    """The sources page: every fact with its source, date checked and status."""

    def run(self):
        registry = facts.load()
        rows = []
        for f in registry:
            rows.append(f"<tr id='fact-{f.id}'><td><code>{f.id}</code></td><td>{inline(facts.headline(f), cite=False)}"
                        f"{'<br>' + html.escape(f.note) if f.note else ''}</td><td>{html.escape(f.source)}</td>"
                        f"<td>{f.checked.isoformat()}</td><td>{html.escape(status_label(f))}</td></tr>")
        table = ("<div class='table-wrapper'><table class='fact-table'><thead><tr><th scope='col'>Id</th>"
                 "<th scope='col'>Fact</th><th scope='col'>Source</th><th scope='col'>Checked</th>"
                 "<th scope='col'>Status</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")
        return [nodes.raw("", table, format="html")]


class SessionPlan(Directive):
    """A module's session plan. The notes and questions stay in the notebook
    and the bank; the page re-reads when they (or the templates) change."""

    required_arguments = 1

    def run(self):
        env = self.state.document.settings.env
        try:
            mod = modules.find(self.arguments[0])
            if mod is None:
                raise self.error(f"no module '{self.arguments[0]}'; use a number or name: {modules.known()}")
            session = sessions.plan(mod)
        except BookError as exc:
            raise self.error(str(exc))
        for path in (mod.path, banks.bank_path(mod.id), *sessions.template_files()):
            env.note_dependency(str(path))
        page = page_link(env, mod.page)
        markup = sessions.render_plan(session, quiz_link=f"{page}#{session.projector_hash}", module_link=page)
        return [nodes.raw("", markup, format="html")]


def setup(app: Sphinx) -> dict:
    # jupyter-book passes these even when their extensions are not loaded.
    for name in ("comments_config", "use_jupyterbook_latex", "use_multitoc_numbering"):
        if name not in app.config.values:
            app.add_config_value(name, None, "env")
    app.connect("config-inited", _validate, priority=100)
    app.connect("builder-inited", _refresh_cache)
    app.connect("source-read", _note_dependencies)
    app.connect("doctree-read", _drop_widget_state)
    app.add_role("fact", fact_role)
    app.add_directive("module-sources", ModuleSources)
    app.add_directive("contacts", Contacts)
    app.add_directive("fact-sources", FactSources)
    app.add_directive("session-plan", SessionPlan)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
