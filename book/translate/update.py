"""`python -m book translations`: every catalogue of every language brought up
to date with the English, then a report of how much is translated and reviewed.

The English comes from three places:
- pages and modules: Sphinx's gettext builder, run through jupyter-book into
  `_build/gettext` (one .pot per page; notebooks are not executed, and their
  outputs are left out: the book shows quizzes and facts from the data
  catalogues, not from saved outputs);
- banks, facts and role paths: book/translate/data_messages.py, written as
  .pot files beside them;
- interface strings: locale/en/LC_MESSAGES/book.po (keyed by message key).
Theme strings (sphinx.po, booktheme.po) are a list kept by hand: they are
counted in the report, not merged. Sphinx's own sphinx.pot (the `_()` calls
of the book's templates, which read book.po) is not used.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog

from book import buildlog, locks
from book.data import yamlfile
from book.data.errors import BookError, Problem
from book.data.paths import ROOT_VARIABLE, project
from book.translate import catalogue
from book.translate.merge import merge, merge_interface

# Folders and files under LC_MESSAGES that this command owns (made from the English).
MADE_FROM_ENGLISH = ("modules/", "pages/", "quizzes/", "facts", "roles")
SPHINX_OWN = "sphinx"   # the gettext builder's catalogue of template strings: not ours to merge


def gettext_folder() -> Path:
    return project().build / "gettext"


def templates_folder() -> Path:
    """Where the .pot files are: jupyter-book puts a custom builder's output in <path-output>/_build/<builder>."""
    return gettext_folder() / "_build" / "gettext"


def _gettext_config() -> Path:
    """_config.yml for the gettext run: no execution, no outputs, one catalogue per page."""
    config, _lines = yamlfile.load(project().config, project().root)
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx.update(nb_remove_code_outputs=True, gettext_compact=False, gettext_location=False,
                  gettext_uuid=False, gettext_auto_build=False)
    path = gettext_folder() / "_config.yml"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")   # JSON is YAML
    return path


def run_gettext() -> Path:
    """Extract the pages' messages with Sphinx's gettext builder; the folder of .pot files."""
    gettext_folder().mkdir(parents=True, exist_ok=True)
    shutil.rmtree(templates_folder(), ignore_errors=True)   # a page removed from the book leaves no .pot
    root = project().root
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), "--builder", "custom",
           "--custom-builder", "gettext", "--path-output", str(gettext_folder()), "--config", str(_gettext_config())]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    env[ROOT_VARIABLE] = str(root)
    proc = subprocess.run(cmd, cwd=root, env=env, text=True, capture_output=True)
    if proc.returncode != 0 or not templates_folder().is_dir():
        output = proc.stdout + proc.stderr
        cause = next(iter(buildlog.problem_lines(output)), "") or buildlog.first_exception(output.splitlines()) or \
            f"jupyter-book exited with code {proc.returncode}"
        why = buildlog.shorten(cause)
        raise BookError(Problem("_build/gettext", "", f"the pages' messages could not be extracted ({why})",
                                "run `python -m book validate` and `python -m book build`, fix what they name, "
                                "then run this again; no catalogue was changed"))
    return templates_folder()


def data_templates() -> dict[str, Catalog]:
    """The banks', facts' and role paths' messages, by catalogue name."""
    from book.translate.data_messages import domains
    out = {}
    for name, messages in domains().items():
        template = Catalog(project="Kampot curriculum", fuzzy=False)
        for message in messages:
            template.add(message.text, context=message.context)
        out[name] = template
    return out


def templates() -> dict[str, Catalog]:
    """Every catalogue made from the English, by name ('modules/01-law', 'facts'),
    each also written as a .pot file under _build/gettext."""
    folder = run_gettext()
    out: dict[str, Catalog] = {}
    for path in sorted(folder.rglob("*.pot")):
        name = path.relative_to(folder).with_suffix("").as_posix()
        if name != SPHINX_OWN:
            out[name] = catalogue.read(path)
    for name, template in data_templates().items():
        catalogue.write(folder / f"{name}.pot", template)
        out[name] = template
    return out


def english_interface() -> Catalog:
    return catalogue.read(catalogue.interface(catalogue.SOURCE))


def _made_from_english(name: str) -> bool:
    return name.startswith(MADE_FROM_ENGLISH) and name not in catalogue.HAND_MADE


def update_language(lang: str, made: dict[str, Catalog], english: Catalog) -> list[Path]:
    """Write every catalogue of `lang`; the files that changed."""
    folder = catalogue.folder(lang)
    existing = {catalogue.name_of(p, lang): p for p in catalogue.files(lang)}
    # Read all first: a file that does not parse stops the update before anything is written.
    old = {name: catalogue.read(path) for name, path in existing.items()
           if _made_from_english(name) or name == catalogue.INTERFACE}
    changed = []
    for name, template in made.items():
        path = folder / f"{name}.po"
        if catalogue.write(path, merge(old.get(name), template, lang)):
            changed.append(path)
    path = catalogue.interface(lang)
    if catalogue.write(path, merge_interface(old.get(catalogue.INTERFACE), english, lang)):
        changed.append(path)
    for name, catalog in old.items():   # a page or bank that left the book
        if name in made or name == catalogue.INTERFACE:
            continue
        path = existing[name]
        gone = merge(catalog, Catalog(), lang)   # every translation kept as obsolete (#~)
        if gone.obsolete:
            if catalogue.write(path, gone):
                changed.append(path)
        else:
            path.unlink()
            changed.append(path)
    return changed


def update(langs: list[str], echo: Callable[[str], None]) -> list[Path]:
    """Bring every catalogue of `langs` (default: every language) up to date."""
    from book.validate import check_or_raise
    chosen = _chosen(langs)
    check_or_raise()
    project().build.mkdir(exist_ok=True)

    def waiting(holder: str) -> None:
        echo(f"waiting: {holder} is updating the catalogues; this update starts when it ends")
    with locks.exclusive(project().build / ".translations.lock", wait=True, waiting=waiting):
        made = templates()
        english = english_interface()
        changed = []
        for lang in chosen:
            changed += update_language(lang, made, english)
    return changed


def _chosen(langs: list[str]) -> list[str]:
    known = catalogue.languages()
    unknown = [lang for lang in langs if lang not in known]
    if unknown:
        have = ", ".join(known) or "none yet"
        raise BookError(Problem("locale", "", f"no translation '{unknown[0]}' (languages: {have})",
                                f"create the folder locale/{unknown[0]}/LC_MESSAGES to start one, "
                                "or give one of the languages"))
    return list(langs) or known


def report(langs: list[str]) -> list[str]:
    """Per catalogue: messages, % translated, % reviewed, outdated; a total per language."""
    lines = []
    for lang in _chosen(langs):
        rows = [(catalogue.name_of(p, lang) + ".po", catalogue.counts(catalogue.read(p)))
                for p in catalogue.files(lang)]
        width = max([len(name) for name, _c in rows] + [len("total")])
        lines.append(f"{lang}: {'file':<{width}}  messages  translated  reviewed  outdated")
        for name, counts in [*rows, ("total", catalogue.total([c for _n, c in rows]))]:
            lines.append(f"{lang}: {name:<{width}}  {counts.messages:>8}  "
                         f"{_percent(counts.translated, counts.messages)}  "
                         f"{_percent(counts.reviewed, counts.messages, 8)}  {counts.outdated:>8}")
    return lines


def _percent(part: int, whole: int, width: int = 10) -> str:
    value = 100.0 * part / whole if whole else 100.0
    shown = f"{value:.1f}%"
    if part < whole and shown == "100.0%":
        shown = "99.9%"    # never say complete while one message is missing
    return f"{shown:>{width}}"
