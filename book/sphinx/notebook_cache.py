"""Which notebooks to execute again.

jupyter-cache keys a notebook on its own code cells, but what a notebook
shows also depends on the banks it shows, the fact registry, the build date,
the configuration and the code and strings that render quizzes, in the
page language of the build (book/render/i18n.py): the English interface
catalogue, and for a translation its interface, fact and bank catalogues.
Each notebook gets a digest of exactly those; when a notebook's digest
changes, only its cache record is dropped, so myst-nb executes that notebook
again and serves the others from the cache. A bank edit (or its catalogue's)
re-runs the notebook that shows the bank; the registry or the rendering code
re-run them all. Each language's build has its own cache and digests, and
reads only its own catalogues: a Khmer catalogue never re-runs an English
notebook (a change to the English interface catalogue re-runs both, since
English stands in for any untranslated string).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import nbformat

from book.data import banks, facts
from book.data.paths import PACKAGE, STATIC, project
from book.render.i18n import language

# The code and strings behind `book.quiz.show()` and the Markdown renderings
# (book/render/, including jupyter_text.py), the data in the page language
# (book/translate/), and the widget's page script; Sphinx glue, the
# workshop, exports and the CLI are not among them.
RENDERING = [PACKAGE / "quiz.py", PACKAGE / "data", PACKAGE / "render", PACKAGE / "translate",
             STATIC / "quiz_widget.js", STATIC / "quiz.css"]


def _files(places: list[Path]) -> list[Path]:
    found: list[Path] = []
    for place in places:
        if place.is_file():
            found.append(place)
        elif place.is_dir():
            found += sorted(p for p in place.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return found


def _messages(lang: str) -> Path:
    return project().locale / lang / "LC_MESSAGES"


def shared_inputs(lang: str | None = None) -> list[Path]:
    """What every notebook's output depends on besides its own cells."""
    lang = lang or language()
    # The English catalogues' sources only: the English Sphinx run compiles
    # them into .mo files beside them, which must not count as a change.
    english = [p for p in _files([project().locale / "en"]) if p.suffix == ".po"]
    inputs = [project().facts, project().config, *_files(RENDERING), *english]
    if lang != "en":
        inputs += [_messages(lang) / "book.po", _messages(lang) / "facts.po"]
    return inputs


def bank_inputs(notebook: Path, lang: str | None = None) -> list[Path]:
    """The banks a notebook shows, and their catalogues in a translation."""
    lang = lang or language()
    shown = shown_banks(notebook)
    if lang == "en":
        return shown
    return [*shown, *(_messages(lang) / "quizzes" / f"{path.stem}.po" for path in shown)]


def shown_banks(notebook: Path) -> list[Path]:
    """The banks a notebook's code cells show."""
    nb = nbformat.read(notebook, as_version=4)
    ids = [quiz_id for cell in nb.cells if cell.cell_type == "code" for quiz_id in banks.shown_in(cell.source)]
    return [banks.bank_path(quiz_id) for quiz_id in dict.fromkeys(ids)]


def _hash(paths: list[Path], start: bytes) -> str:
    h = hashlib.sha256(start)
    for path in paths:
        h.update(str(path.relative_to(project().root) if path.is_relative_to(project().root) else path).encode())
        h.update(path.read_bytes() if path.exists() else b"(missing)")
    return h.hexdigest()


def digests(notebooks: list[Path], lang: str | None = None) -> dict[str, str]:
    """Notebook (relative to the project) -> the digest of its inputs in `lang`
    (the page language by default)."""
    lang = lang or language()
    shared = _hash(shared_inputs(lang), f"{lang}\x1f{facts.today()}".encode())
    return {str(nb.relative_to(project().root)): _hash(bank_inputs(nb, lang), shared.encode()) for nb in notebooks}


def refresh(cache_path: Path, notebooks: list[Path], stamp: Path, log: Callable[[str], None]) -> list[str]:
    """Drop the cache records of the notebooks whose inputs changed since the
    last build; return those notebooks (relative to the project)."""
    now = digests(notebooks)
    try:
        before = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    if not isinstance(before, dict):
        before = {}
    changed = [name for name, digest in now.items() if before.get(name) != digest]
    if changed and cache_path.exists():
        from jupyter_cache import get_cache
        cache = get_cache(str(cache_path))
        for name in changed:
            try:
                record = cache.match_cache_notebook(nbformat.read(project().root / name, as_version=4))
            except KeyError:
                continue   # never cached, or its code cells changed (jupyter-cache sees that itself)
            log(f"[book] inputs of {name} changed: it will be executed again")
            cache.remove_cache(record.pk)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return changed
