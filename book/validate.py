"""Check every input the build reads, before anything is written.

`python -m book validate` and the build both call `check_all()`; it returns
every problem found (one line each) rather than stopping at the first.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from book.data import banks, facts, modules, notebookfile, textfile
from book.data.config import Settings
from book.data.errors import BookError, Problem
from book.data.loading import problems_from
from book.data.paths import project
from book.data.schema import Bank
from book.data.yamlfile import display_path
from book.data.yamlfile import load as load_yaml
from book.render import jupyter_text

SOURCE_SUFFIXES = (".ipynb", ".md")


def check_config() -> list[Problem]:
    try:
        conf, lines = load_yaml(project().config, project().root)
    except BookError as exc:
        return exc.problems
    if not isinstance(conf, dict) or "title" not in conf:
        return [Problem("_config.yml", "1", "the book config has no 'title'", "add title: <the book's title>")]
    try:
        Settings.model_validate(conf)
    except ValidationError as exc:
        return problems_from(exc, conf, lines, "_config.yml")
    return []


def _toc_entries(toc: Any) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """(entry, path) for every root and file, in order; without recursion,
    as YAML may nest 999 levels deep."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(toc, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    yield node[key], path + (key,)
            children = [(v, path + (k,)) for k, v in node.items() if isinstance(v, (list, dict))]
        elif isinstance(node, list):
            children = [(item, path + (i,)) for i, item in enumerate(node)]
        else:
            children = []
        stack.extend(reversed(children))


def check_toc() -> list[Problem]:
    try:
        toc, lines = load_yaml(project().toc, project().root)
    except BookError as exc:
        return exc.problems
    if not isinstance(toc, dict) or "root" not in toc:
        return [Problem("_toc.yml", "1", "the table of contents has no 'root'", "add root: pages/intro")]
    problems = []
    for entry, path in _toc_entries(toc):
        stem = project().root / str(entry)
        if not any(stem.with_suffix(s).exists() for s in SOURCE_SUFFIXES) and not stem.exists():
            problems.append(Problem("_toc.yml", str(lines.get(path, "")),
                                    f"entry '{entry}' has no file {entry}.ipynb or {entry}.md",
                                    "create the file or remove the entry"))
    return problems


def page_sources() -> list[Path]:
    """Every page the book is made from (modules and front/back matter)."""
    return sorted(p for d in ("modules", "pages") for p in (project().root / d).rglob("*")
                  if p.suffix in SOURCE_SUFFIXES and ".ipynb_checkpoints" not in p.parts)


def page_text(path: Path) -> list[tuple[str, str]]:
    """(place, text) pairs: a cell number for notebooks, a line for Markdown."""
    if path.suffix == ".ipynb":
        nb = notebookfile.read(path)
        return [(f"cell {i + 1}", c.source) for i, c in enumerate(nb.cells)]
    text = textfile.read(path, display_path(path, project().root))
    return [(f"{i + 1}", line) for i, line in enumerate(text.splitlines())]


def check_pages(registry: facts.Facts) -> list[Problem]:
    problems = []
    for path in page_sources():
        try:
            parts = page_text(path)
        except BookError as exc:
            problems += exc.problems
            continue
        for place, text in parts:
            for fid in facts.cited_ids(text):
                if fid not in registry:
                    problems.append(Problem(display_path(path), place, f"unknown fact id '{fid}'",
                                            "use an id from facts.yml or add the fact there"))
    return problems


def check_jupyter_text() -> list[Problem]:
    """Plain Jupyter shows facts, notes and fact lists from renderings saved in
    the notebook (book/render/jupyter_text.py); they must match the registry today.
    One line for all notebooks: a changed fact touches many, and one command fixes all."""
    import copy
    stale = []
    for path in page_sources():
        if path.suffix != ".ipynb":
            continue
        try:
            saved = notebookfile.read(path, as_saved=True)
            fresh = jupyter_text.render_notebook(copy.deepcopy(saved), path)
        except BookError:   # reported by the other checks
            continue
        cell = next((i for i, (old, new) in enumerate(zip(saved.cells, fresh.cells)) if old.source != new.source), None)
        if cell is not None:
            stale.append((display_path(path, project().root), f"cell {cell + 1}"))
    if not stale:
        return []
    others = f" (also {', '.join(p for p, _c in stale[1:])})" if len(stale) > 1 else ""
    return [Problem(stale[0][0], stale[0][1],
                    f"the text plain Jupyter shows for facts, notes or fact lists is missing or out of date{others}",
                    "run `python -m book notebooks --text-only`")]


def check_roles() -> list[Problem]:
    from book.data.journey import load_roles
    try:
        load_roles()
    except BookError as exc:
        return exc.problems
    return []


def check_build_date() -> list[Problem]:
    """SOURCE_DATE_EPOCH, if set, must be a time: facts go stale by the build date."""
    try:
        facts.today()
    except BookError as exc:
        return exc.problems
    return []


def check_bank_names() -> list[Problem]:
    """Banks are quizzes/*.yml; one saved as .yaml or .YML would be silently left out."""
    return [Problem(display_path(path), "", "a question bank must end in .yml, so this file is ignored",
                    f"rename it to {path.stem}.yml")
            for path in sorted(project().quizzes.glob("*"))
            if path.suffix.lower() in (".yaml", ".yml") and path.suffix != ".yml"]


def check_translations() -> list[Problem]:
    """Each catalogue under locale/ parses, and each translation keeps the
    English's placeholders, roles, link targets and numbers (book/translate/check.py)."""
    from book.translate.check import check_catalogues
    return check_catalogues()


TIME_LINE = re.compile(r"\*\*Time:\*\* about (\d+) minutes to read and (\d+) minutes for the quiz\.")


def check_time_lines(loaded: dict[Path, Bank]) -> list[Problem]:
    """A module's "**Time:**" sentence says what its metadata (reading) and its
    bank (banks.quiz_minutes: the question count) say, so it cannot drift."""
    by_id = {bank.id: bank for bank in loaded.values()}
    problems = []
    for mod in modules.all_modules():
        found = TIME_LINE.search(mod.path.read_text(encoding="utf-8"))
        bank = by_id.get(mod.id)
        if not found or bank is None:
            continue
        reading, quiz = int(found.group(1)), int(found.group(2))
        want = (int(mod.minutes.get("reading", reading)), banks.quiz_minutes(bank))
        if (reading, quiz) != want:
            problems.append(Problem(display_path(mod.path), "**Time:**",
                                    f"says {reading} minutes to read and {quiz} for the quiz; the metadata and "
                                    f"the bank's {len(bank.questions)} questions make it {want[0]} and {want[1]}",
                                    f"write \"about {want[0]} minutes to read and {want[1]} minutes for the quiz\" "
                                    "(and the same numbers in its translations)"))
    return problems


def check_all() -> list[Problem]:
    problems = check_build_date() + check_config() + check_toc() + check_bank_names()
    try:
        registry = facts.load()
    except BookError as exc:   # the build date is met here too: say it once
        return list(dict.fromkeys(problems + exc.problems))
    problems += check_pages(registry)
    problems += check_roles()
    problems += check_jupyter_text()
    problems += check_translations()
    loaded = {}
    for path in banks.all_paths():
        try:
            loaded[path] = banks.load(path, registry)
        except BookError as exc:
            problems += exc.problems
    problems += check_items(loaded)
    problems += check_time_lines(loaded)
    return list(dict.fromkeys(problems))   # a broken notebook is met by two checks: say it once


def check_items(loaded: dict[Path, Bank]) -> list[Problem]:
    """The item check (book/itemcheck.py) over the banks that loaded."""
    from book.data.modules import all_modules
    from book.itemcheck import check
    try:
        module_list = all_modules()
    except BookError as exc:  # a broken notebook (also reported by check_pages; said once)
        return exc.problems
    return check(loaded, module_list)


def check_or_raise() -> None:
    problems = check_all()
    if problems:
        raise BookError(problems)
