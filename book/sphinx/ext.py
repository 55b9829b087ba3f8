"""The book's Sphinx extension.

- checks every input before Sphinx reads a page (a bad bank stops the build);
- hands myst-nb each notebook's MyST text (plain Jupyter's renderings dropped);
- the {fact} role and the fact-listing directives (module sources, contacts,
  the sources page), each fact rendered by book.render.markup.render_fact;
- re-executes a notebook when what it reads changes (its banks, facts, the
  rendering code, the build date; book/sphinx/notebook_cache.py): jupyter-cache
  only watches a notebook's own code cells, and Sphinx reads that page again;
- reads every page again on a new build date (the config value
  kq_build_date): a fact checked over a year ago must now say "confirm
  before use", though no source changed;
- {session-plan} <module>: a module's timed workshop plan with its
  facilitator notes and answer key, rendered from the notebook and the bank
  by book/render/sessions.py (the same code as the printed workshop packs);
- {key-terms} <lang>: the key terms of a translation's glossary.
"""
from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging

from book.data import banks, facts, modules, notebookfile
from book.data.config import settings
from book.data.errors import BookError
from book.data.paths import PACKAGE, TEMPLATES, project
from book.quiz import BOOK_HTML
from book.render import jupyter_text, sessions
from book.render.i18n import _, in_language, language
from book.render.markup import render_fact
from book.sphinx import html, notebook_cache
from book.translate import apply, module_text
from book.validate import check_all, page_text

logger = logging.getLogger(__name__)
# The contacts page's groups, in this order; each heading is the message contacts.need.<need>.
NEEDS = ["child", "trafficking", "violence", "health", "peer", "legal", "exit"]


def input_files() -> list[Path]:
    """Everything a page made from a notebook can show besides its own cells:
    Sphinx reads such a page again when one changes (cheap: execution is
    cached, and only book/sphinx/notebook_cache.py decides what re-runs)."""
    files = [project().facts, *sorted(project().quizzes.glob("*.yml"))]
    files += sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files + catalogue_files()


def catalogue_files() -> list[Path]:
    """The interface catalogues a page's words come from (English fills gaps)."""
    found = [project().locale / lang / "LC_MESSAGES" / "book.po" for lang in dict.fromkeys(["en", language()])]
    return [path for path in found if path.exists()]


# --------------------------------------------------------------------- events

def _validate(app: Sphinx, config: Config) -> None:
    # Our templates first: they trim what the theme loads on every page.
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    config.kq_build_date = facts.today().isoformat()   # a new date: every page is read again
    with in_language(settings().language):     # also in a translation's build (book/build.py)
        problems = check_all()
    if problems:
        raise ConfigError("\n".join(str(p) for p in problems))


def _refresh_cache(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """Execute again the notebooks whose banks, facts, rendering code or build
    date changed (book/sphinx/notebook_cache.py); the others keep their cached
    outputs. Their pages are read again (so executed) even when Sphinx sees
    no changed file, or their dropped records would never be filled."""
    cache = Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    dropped = notebook_cache.refresh(cache, project().notebooks(), cache.parent / ".kq-notebook-inputs.json",
                                     logger.info)
    again = (str(Path(name).with_suffix("")) for name in dropped)
    return [name for name in again if name in env.all_docs and name not in changed]


def _note_dependencies(app: Sphinx, docname: str, source: list[str]) -> None:
    """Make Sphinx re-read a page when the data it shows changes."""
    app.env.note_dependency(str(project().facts))
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        for path in input_files():
            app.env.note_dependency(str(path))


def _myst_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Give myst-nb the MyST text of each Markdown cell, without the renderings
    kept there for plain Jupyter (book/render/jupyter_text.py): the book shows what it did."""
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    nb = json.loads(source[0])
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = notebookfile.to_myst(text)
    source[0] = json.dumps(nb, ensure_ascii=False)


def _drop_widget_state(app: Sphinx, doctree: nodes.document) -> None:
    """The book shows the static quiz, so the saved widget models are dead weight."""
    data = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {})
    data.get("js_files", {}).pop("ipywidgets_state", None)


def page_link(env: BuildEnvironment, target: str) -> str:
    """A relative link from the page being read to a built page (both from the root)."""
    return posixpath.relpath(target, posixpath.dirname(env.docname) or ".")


# --------------------------------------------------------------------- role & directives

def _raw(env: Any, template: str, **context: Any) -> list[nodes.Node]:
    """A directive's HTML from its template; the page is read again when a template changes."""
    for path in [*html.template_files(), *catalogue_files()]:
        env.note_dependency(str(path))
    return [nodes.raw("", html.render(template, **context), format="html")]


def fact_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None,
              content: Any = None) -> tuple[list[nodes.Node], list[Any]]:
    registry = apply.registry()
    if text not in registry:
        msg = inliner.reporter.warning(f"unknown fact id '{text}'; use an id from facts.yml", line=lineno)
        return [nodes.problematic(rawtext, rawtext)], [msg]
    return [nodes.raw("", render_fact(registry[text]), format="html")], []


class ModuleSources(Directive):
    """Every fact cited on this page and in the quizzes it shows."""

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        path = Path(env.doc2path(env.docname))
        # Cell by cell, decoded: in a notebook's JSON the show("id") call has escaped quotes.
        text = "\n".join(source for _place, source in page_text(path))
        try:
            seen, quiz_ids = jupyter_text.page_fact_ids(text)
        except BookError as exc:
            raise self.error(str(exc))
        for quiz_id in quiz_ids:
            env.note_dependency(str(banks.bank_path(quiz_id)))
        registry = apply.registry()
        return _raw(env, "module-sources", facts=[registry[f] for f in seen])


def contacts_context() -> dict[str, Any]:
    """Who to call or contact, grouped by need (headings: contacts.need.<need>), in the page language."""
    registry = apply.registry()
    groups = []
    for need in NEEDS:
        entries = sorted((f for f in registry if need in f.serves),
                         key=lambda f: (f.kind != "contact", facts.needs_confirmation(f), f.id))
        if entries:
            groups.append((need, _(f"contacts.need.{need}"), entries))
    return {"groups": groups}


class Contacts(Directive):
    """The contacts page: who to call or contact, grouped by need."""

    def run(self) -> list[nodes.Node]:
        return _raw(self.state.document.settings.env, "contacts", **contacts_context())


class FactSources(Directive):
    """The sources page: every fact with its source, date checked and status."""

    def run(self) -> list[nodes.Node]:
        return _raw(self.state.document.settings.env, "fact-sources", facts=list(apply.registry()))


class SessionPlan(Directive):
    """A module's session plan. The notes and questions stay in the notebook
    and the bank; the page re-reads when they (or the templates) change."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        try:
            mod = modules.find(self.arguments[0])
            if mod is None:
                raise self.error(f"no module '{self.arguments[0]}'; use a number or name: {modules.known()}")
            session = sessions.plan(mod)
        except BookError as exc:
            raise self.error(str(exc))
        translation = module_text.catalogue_path(mod.path.stem, language())
        for path in (mod.path, banks.bank_path(mod.id), *sessions.template_files(), translation, *catalogue_files()):
            if path.exists():
                env.note_dependency(str(path))
        page = page_link(env, mod.page)
        markup = sessions.render_plan(session, quiz_link=f"{page}#{session.projector_hash}", module_link=page)
        return [nodes.raw("", markup, format="html")]


class KeyTerms(Directive):
    """{key-terms} <lang>: the glossary's key terms, each English term beside
    the one word the translation uses (locale/<lang>/glossary.yml), with the
    languages named in the page's own language."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from babel import Locale

        from book.render.i18n import language
        from book.translate import glossary
        env, lang = self.state.document.settings.env, self.arguments[0]
        env.note_dependency(str(glossary.path(lang)))
        try:
            terms = glossary.load(lang).terms
        except BookError as exc:
            raise self.error(str(exc))
        here = Locale.parse(language())
        return _raw(env, "key-terms", lang=lang, terms=terms, english=Locale("en").get_display_name(here),
                    language=Locale.parse(lang).get_display_name(here))


def setup(app: Sphinx) -> dict[str, Any]:
    # Kernels myst-nb starts inherit this: show() then includes the static quiz (book/quiz.py).
    os.environ[BOOK_HTML] = "1"
    # jupyter-book passes these even when their extensions are not loaded.
    for name in ("comments_config", "use_jupyterbook_latex", "use_multitoc_numbering"):
        if name not in app.config.values:
            app.add_config_value(name, None, "env")
    app.add_config_value("kq_build_date", "", "env")    # set by _validate
    app.connect("config-inited", _validate, priority=100)
    app.connect("env-get-outdated", _refresh_cache)
    app.connect("source-read", _note_dependencies)
    app.connect("source-read", _myst_source)
    app.connect("doctree-read", _drop_widget_state)
    app.add_role("fact", fact_role)
    app.add_directive("module-sources", ModuleSources)
    app.add_directive("contacts", Contacts)
    app.add_directive("fact-sources", FactSources)
    app.add_directive("session-plan", SessionPlan)
    app.add_directive("key-terms", KeyTerms)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
