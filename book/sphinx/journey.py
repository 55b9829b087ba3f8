"""Directives for the learner's journey pages: role paths, progress and the
certificate. They render static markup only; book/static/journey.js fills
in what local storage holds, on the learner's device.

Each directive's HTML is a function of a `link` (a page from the book's
root -> a link from the page being written), so tests render it in-process.
Module and scenario titles are in the page's language (module_text)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from book.data import banks, journey, modules
from book.data.config import settings
from book.data.errors import BookError
from book.data.paths import project
from book.render.i18n import language, strings
from book.render.quiz_html import answer_key
from book.sphinx import html
from book.sphinx.ext import input_files
from book.sphinx.ext import page_link as _rel
from book.translate import apply, editions, module_text

Link = Callable[[str], str]


def _raw(template: str, **context: Any) -> list[nodes.Node]:
    return [nodes.raw("", html.render(template, **context), format="html")]


def _strings() -> dict[str, str]:
    """The interface strings journey.js needs, in a stable order."""
    return dict(sorted(strings("journey.").items()))


def _key(quiz_id: str) -> dict[str, Any]:
    """A quiz's answer key for journey.js, which judges what storage holds
    itself and takes no count or score from it."""
    return {"id": quiz_id, **answer_key(banks.load_id(quiz_id))}


def _shown(mod: modules.Module) -> modules.Module:
    """The module with its titles in the page's language."""
    return module_text.for_module(mod, language()).module(mod)


def _quizzes() -> list[tuple[str, str, int, str]]:
    """journey.quizzes(), module and bank titles in the page's language."""
    titles = {m.id: _shown(m).title for m in modules.all_modules()}
    return [(q, titles[q] if q in titles else apply.bank(q).title, count, page)
            for q, _title, count, page in journey.quizzes()]


def role_paths_html(link: Link) -> str:
    paths = apply.roles(journey.load_roles())
    by_id = {m.id: m for m in modules.all_modules()}
    shown = {m.id: _shown(m) for m in by_id.values()}
    roles = []
    for role in paths.roles:
        steps = [by_id[m] for m in role.modules]
        scenarios = []
        for ref in role.scenarios:
            mod = by_id[ref.module]
            sc = mod.scenarios[ref.scenario - 1]
            anchor = nodes.make_id(f"Scenario {sc.number}: {sc.title}")  # the English heading's id
            scenarios.append({"href": f"{link(mod.page)}#{anchor}",
                              "title": shown[mod.id].scenarios[ref.scenario - 1].title,
                              "module_title": shown[mod.id].title})
        roles.append({"id": role.id, "title": role.title, "why": role.why, "scenarios": scenarios,
                      "total": sum(journey.module_minutes(m) for m in steps),
                      "steps": [{"href": link(m.page), "number": m.number, "title": shown[m.id].title,
                                 "minutes": journey.module_minutes(m)} for m in steps]})
    return html.render("role-paths", roles=roles)


def progress_html(link: Link) -> str:
    quizzes = [{"id": quiz_id, "title": title, "count": count, "href": link(page), "key": _key(quiz_id)}
               for quiz_id, title, count, page in _quizzes()]
    return html.render("progress", quizzes=quizzes, strings=_strings())


def certificate_html() -> str:
    quizzes = [{**_key(q), "title": title} for q, title, _c, _p in _quizzes()]
    return html.render("certificate", pass_mark=settings().pass_mark, quizzes=quizzes, strings=_strings())


def final_result_html(link: Link) -> str:
    return html.render("final-result", pass_mark=settings().pass_mark, key=_key("final"), strings=_strings(),
                       certificate=link("pages/certificate.html"))


class _JourneyDirective(Directive):
    def note_dependencies(self) -> BuildEnvironment:
        """Re-read this page when the role paths, a module, a bank (its answer
        key) or the book's code and strings change."""
        env: BuildEnvironment = self.state.document.settings.env
        env.note_dependency(str(journey.roles_file()))
        translations = [module_text.catalogue_path(p.stem, language()) for p in project().modules.glob("*.ipynb")]
        for path in [*project().modules.glob("*.ipynb"), *input_files(), *(p for p in translations if p.exists())]:
            env.note_dependency(str(path))
        return env


def _raw_html(markup: str) -> list[nodes.Node]:
    return [nodes.raw("", markup, format="html")]


class RolePathsDirective(_JourneyDirective):
    def run(self) -> list[nodes.Node]:
        env = self.note_dependencies()
        try:
            return _raw_html(role_paths_html(lambda page: _rel(env, page)))
        except BookError as exc:
            raise self.error(str(exc))


class ProgressDirective(_JourneyDirective):
    def run(self) -> list[nodes.Node]:
        env = self.note_dependencies()
        return _raw_html(progress_html(lambda page: _rel(env, page)))


class CertificateDirective(_JourneyDirective):
    def run(self) -> list[nodes.Node]:
        self.note_dependencies()
        return _raw_html(certificate_html())


class FinalResultDirective(_JourneyDirective):
    """The final check's result line, filled in by journey.js."""

    def run(self) -> list[nodes.Node]:
        env = self.note_dependencies()
        return _raw_html(final_result_html(lambda page: _rel(env, page)))


class OfflineCopyDirective(Directive):
    """A link to the zip of the whole book that the build writes (book/build.py)."""

    def run(self) -> list[nodes.Node]:
        from book.build import OFFLINE_NAME, SIZE_MARK
        env = self.state.document.settings.env
        zipped = editions.site_root(language()) + OFFLINE_NAME   # one zip of the whole site, at its root
        return _raw("offline-copy", href=_rel(env, zipped), size_mark=SIZE_MARK)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("role-paths", RolePathsDirective)
    app.add_directive("progress", ProgressDirective)
    app.add_directive("certificate", CertificateDirective)
    app.add_directive("final-result", FinalResultDirective)
    app.add_directive("offline-copy", OfflineCopyDirective)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
