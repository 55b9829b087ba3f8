"""Directives for the learner's journey pages: role paths, progress and the
certificate. They render static markup only; book/static/journey.js fills
in what local storage holds, on the learner's device."""
from __future__ import annotations

import html
import json

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

from book.data import banks, journey, modules
from book.data.errors import BookError
from book.render.i18n import _, strings
from book.data.config import settings
from book.data.paths import project
from book.render.quiz_html import answer_key


from book.sphinx.ext import input_files, page_link as _rel


def _raw(markup: str) -> list[nodes.Node]:
    return [nodes.raw("", markup, format="html")]


def _strings_attr() -> str:
    return html.escape(json.dumps(strings("journey."), sort_keys=True, ensure_ascii=False), quote=True)


def _json_attr(value) -> str:
    return html.escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")), quote=True)


def _key(quiz_id: str) -> dict:
    """A quiz's answer key for journey.js, which judges what storage holds
    itself and takes no count or score from it."""
    return {"id": quiz_id, **answer_key(banks.load_id(quiz_id))}


class _JourneyDirective(Directive):
    def note_dependencies(self):
        """Re-read this page when the role paths, a module, a bank (its answer
        key) or the book's code and strings change."""
        env = self.state.document.settings.env
        env.note_dependency(str(journey.roles_file()))
        for path in [*project().modules.glob("*.ipynb"), *input_files()]:
            env.note_dependency(str(path))
        return env


class RolePathsDirective(_JourneyDirective):
    def run(self):
        env = self.note_dependencies()
        try:
            paths = journey.load_roles()
        except BookError as exc:
            raise self.error(str(exc))
        by_id = {m.id: m for m in modules.all_modules()}
        out = []
        for role in paths.roles:
            steps = [by_id[m] for m in role.modules]
            total = sum(journey.module_minutes(m) for m in steps)
            out.append(f'<section class="kq-role" id="role-{role.id}" aria-labelledby="role-{role.id}-h">'
                       f'<h2 id="role-{role.id}-h">{html.escape(role.title)}</h2>'
                       f'<p>{html.escape(role.why)}</p><p><strong>{html.escape(_("journey.modules"))}</strong></p><ol>')
            for m in steps:
                out.append(f'<li><a href="{_rel(env, m.page)}">{m.number}. {html.escape(m.title)}</a> '
                           f'({html.escape(_("journey.minutes").format(minutes=journey.module_minutes(m)))})</li>')
            out.append("</ol>")
            if role.scenarios:
                out.append(f'<p><strong>{html.escape(_("journey.scenarios"))}</strong></p><ul>')
                for ref in role.scenarios:
                    mod = by_id[ref.module]
                    sc = mod.scenarios[ref.scenario - 1]
                    anchor = nodes.make_id(f"Scenario {sc.number}: {sc.title}")
                    out.append(f'<li><a href="{_rel(env, mod.page)}#{anchor}">{html.escape(sc.title)}</a> '
                               f'({html.escape(mod.title)})</li>')
                out.append("</ul>")
            out.append(f'<p>{html.escape(_("journey.total").format(minutes=total))}</p></section>')
        return _raw("".join(out))


class ProgressDirective(_JourneyDirective):
    def run(self):
        env = self.note_dependencies()
        rows = []
        for quiz_id, title, count, page in journey.quizzes():
            rows.append(f'<tr data-kq-row="{quiz_id}" data-kq-quiz="{_json_attr(_key(quiz_id))}" '
                        f'data-kq-href="{_rel(env, page)}">'
                        f'<th scope="row"><a href="{_rel(env, page)}">{html.escape(title)}</a></th>'
                        f'<td>{count}</td><td class="kq-status">{html.escape(_("journey.not_started"))}</td>'
                        f'<td class="kq-review"></td></tr>')
        markup = (f'<div class="kq-journey kq-progress" data-kq-journey="progress" data-kq-strings="{_strings_attr()}">'
                  f'<div class="table-wrapper"><table><thead><tr><th scope="col">{html.escape(_("journey.col_quiz"))}</th>'
                  f'<th scope="col">{html.escape(_("journey.col_questions"))}</th>'
                  f'<th scope="col">{html.escape(_("journey.col_status"))}</th>'
                  f'<th scope="col">{html.escape(_("journey.col_review"))}</th></tr></thead><tbody>'
                  + "".join(rows) + "</tbody></table></div>"
                  f'<p><button type="button" class="kq-clear-all">{html.escape(_("journey.clear_all"))}</button></p>'
                  f'<p class="kq-journey-status" role="status" aria-live="polite"></p></div>')
        return _raw(markup)


class CertificateDirective(_JourneyDirective):
    def run(self):
        self.note_dependencies()
        quizzes = [{**_key(q), "title": title} for q, title, _c, _p in journey.quizzes()]
        markup = (
            f'<div class="kq-journey kq-certificate-tool" data-kq-journey="certificate" data-kq-pass="{settings().pass_mark}" '
            f'data-kq-quizzes="{_json_attr(quizzes)}" data-kq-strings="{_strings_attr()}">'
            f'<p class="kq-cert-state" role="status" aria-live="polite"></p>'
            f'<form class="kq-cert-form" hidden action="#" autocomplete="off">'
            f'<label for="kq-cert-name">{html.escape(_("journey.name_label"))}</label> '
            f'<input id="kq-cert-name" name="kq-cert-name" type="text" maxlength="80" autocomplete="off" spellcheck="false"> '
            f'<button type="submit">{html.escape(_("journey.make"))}</button></form>'
            f'<div class="kq-cert" hidden><p class="kq-cert-title">{html.escape(_("journey.cert_title"))}</p>'
            f'<p class="kq-cert-name"></p><p class="kq-cert-body"></p>'
            f'<p class="kq-cert-modules-h">{html.escape(_("journey.cert_modules"))}</p><ul class="kq-cert-modules"></ul>'
            f'<p class="kq-cert-date"></p><p class="kq-cert-self">{html.escape(_("journey.cert_self"))}</p>'
            f'<p class="kq-cert-actions"><button type="button" class="kq-cert-print">{html.escape(_("journey.print"))}</button></p>'
            f'</div></div>')
        return _raw(markup)


class FinalResultDirective(_JourneyDirective):
    """The final check's result line, filled in by journey.js."""

    def run(self):
        env = self.note_dependencies()
        cert = _rel(env, "pages/certificate.html")
        # Not a live region: submitting the final check already moves the focus to the quiz's summary.
        return _raw(f'<div class="kq-journey" data-kq-journey="final" data-kq-pass="{settings().pass_mark}" '
                    f'data-kq-quiz="{_json_attr(_key("final"))}" data-kq-strings="{_strings_attr()}">'
                    f'<p class="kq-final-result"></p>'
                    f'<p class="kq-final-cert" hidden><a href="{cert}">{html.escape(_("journey.cert_title"))}</a></p></div>')


class OfflineCopyDirective(Directive):
    """A link to the zip of the whole book that the build writes (book/build.py)."""

    def run(self):
        from book.build import OFFLINE_NAME, SIZE_MARK
        env = self.state.document.settings.env
        return _raw(f'<p class="kq-offline"><a href="{_rel(env, OFFLINE_NAME)}" download>'
                    f'{html.escape(_("journey.offline"))}</a> ({SIZE_MARK})</p>')


def setup(app: Sphinx) -> dict:
    app.add_directive("role-paths", RolePathsDirective)
    app.add_directive("progress", ProgressDirective)
    app.add_directive("certificate", CertificateDirective)
    app.add_directive("final-result", FinalResultDirective)
    app.add_directive("offline-copy", OfflineCopyDirective)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
