"""Build the HTML book: validate, build each language into its staging
folder, then publish them together.

The main language's book goes to `_build/html`, each translation listed in
`_config.yml` (book/translate/editions.py) to `_build/html/<lang>/`, built
by its own jupyter-book process (own staging folder, doctrees and execution
cache; the two run at the same time) from a generated copy of `_config.yml`
that sets Sphinx's `language` (Jupyter Book does not pass its top-level
`language` on) and points `locale_dirs` at the catalogues compiled for it.

`_build/html` is replaced only when every book built with no warnings, and
only by an atomic exchange (book/folders.py): at every instant it is the
complete old site or the complete new one. Sphinx runs with -n -W
--keep-going (every warning fails the build, and all of them are reported
at once). One build at a time: a second one waits for the lock on
`_build/.lock`.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, NamedTuple

from book import build_inputs, buildlog, folders, hashnames, locks, offline
from book.data import yamlfile
from book.data.config import settings
from book.data.errors import BookError, Problem
from book.data.paths import ROOT_VARIABLE, project
from book.render.i18n import LANG_VARIABLE, _, in_language, number
from book.startup import JUPYTER_BOOK
from book.theme import replaced_by_bundle
from book.translate import catalogues, editions
from book.translate.compile import compile_language
from book.validate import check_or_raise


def staging(lang: str | None = None) -> Path:
    """Where jupyter-book builds a language's book (its doctrees and execution
    cache are kept); the main language's by default."""
    lang = lang or editions.main()
    return project().build / ("staging" if lang == editions.main() else f"staging-{lang}")


def lock_file() -> Path:
    return project().build / ".lock"


NEW_PREFIX = ".html."     # _build/.html.XXXX: a book being published, or the one it replaced
KILL_AT = "BOOK_TEST_KILL_AT"


def _checkpoint(step: str) -> None:
    """BOOK_TEST_KILL_AT=<step> kills the build right there (SIGKILL): the
    tests use it to show that _build/html is a whole book at every step."""
    if os.environ.get(KILL_AT) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _cannot_write(exc: OSError) -> BookError:
    where = Path(exc.filename) if exc.filename else project().build
    try:
        shown = str(where.relative_to(project().root))
    except ValueError:
        shown = str(where)
    return BookError(Problem(shown, "", f"cannot write the book ({folders.reason(exc)})",
                             f"{folders.fix_for(exc)}; _build/html was left as it was"))


def build_book(quiet: bool = False) -> Path:
    with in_language(editions.main()):
        check_or_raise()

    def waiting(holder: str) -> None:
        print(f"waiting: {holder} is building this book; this build starts when it ends", file=sys.stderr)
    try:
        project().build.mkdir(exist_ok=True)
        with locks.exclusive(lock_file(), wait=True, waiting=waiting):
            inputs = build_inputs.digest()      # before reading them: an edit during the build counts as new
            html = _build(quiet)
            build_inputs.record(inputs)
            return html
    except OSError as exc:
        raise _cannot_write(exc) from None


def book_is_current() -> bool:
    """The published book was built from the project as it is now (under the
    build lock, so a build under way is waited for)."""
    try:
        with locks.exclusive(lock_file(), wait=True):
            return build_inputs.current()
    except OSError:
        return False            # the build that follows says what is wrong with _build


class _Job(NamedTuple):
    lang: str
    proc: subprocess.Popen[bytes]
    log: IO[bytes]


def edition_config(lang: str) -> Path:
    """A copy of _config.yml for a translation's build: Sphinx's language,
    drafts allowed, its compiled catalogues, and the title, the authors and
    the search box's words translated through its theme catalogue (sphinx.po)."""
    data, _lines = yamlfile.load(project().config, project().root)
    theme = catalogues.read(lang, "sphinx").translated

    def tr(text: str) -> str:
        return theme.get((None, text), text)
    data["title"] = tr(str(data.get("title", "")))
    if data.get("author"):
        data["author"] = tr(str(data["author"]))
    data["language"] = lang
    conf = data.setdefault("sphinx", {}).setdefault("config", {})
    conf.update(language=lang, gettext_allow_fuzzy_translations=True,
                locale_dirs=[str(staging(lang) / "locale")])
    options = conf.setdefault("html_theme_options", {})
    if "search_bar_text" in options:
        options["search_bar_text"] = tr(options["search_bar_text"])
    path = staging(lang) / "_config.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Written by book/build.py from _config.yml for the '" + lang + "' book; do not edit.\n"
                    + yamlfile.dump(data), encoding="utf-8")
    return path


def edition_toc(lang: str) -> Path:
    """A copy of _toc.yml for a translation's build, its part captions
    translated through the theme catalogue (sphinx.po), as the title is."""
    theme = catalogues.read(lang, "sphinx").translated
    toc, _lines = yamlfile.load(project().toc, project().root)

    def translated(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: theme.get((None, v), v) if k == "caption" else translated(v) for k, v in node.items()}
        return [translated(item) for item in node] if isinstance(node, list) else node
    path = staging(lang) / "_toc.yml"
    path.write_text("# Written by book/build.py from _toc.yml for the '" + lang + "' book; do not edit.\n"
                    + yamlfile.dump(translated(toc)), encoding="utf-8")
    return path


def _start(lang: str, log: IO[bytes]) -> _Job:
    """Start jupyter-book on one language's book, its output into `log` (not waiting for it)."""
    root, stage = project().root, staging(lang)
    stage.mkdir(parents=True, exist_ok=True)
    # Pages are always written afresh (a page removed from the sources must
    # not survive in the output); doctrees and the execution cache are kept.
    shutil.rmtree(stage / "_build" / "html", ignore_errors=True)
    cmd = [sys.executable, "-c", JUPYTER_BOOK, "build", str(root), "--builder", "html",
           "--path-output", str(stage), "-n", "-W", "--keep-going"]
    if lang != editions.main():
        compile_language(lang, stage / "locale")
        cmd += ["--config", str(edition_config(lang)), "--toc", str(edition_toc(lang))]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    env[ROOT_VARIABLE] = str(root)      # the Sphinx extensions read the same project
    env[LANG_VARIABLE] = lang           # ... in this language, and so do the kernels they start
    return _Job(lang, subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT), log)


def _output(job: _Job) -> str:
    job.log.seek(0)
    return job.log.read().decode("utf-8", errors="replace")


def _tag(lang: str) -> str:
    """What starts a translation's lines in the log and in problems ("[km] ")."""
    return "" if lang == editions.main() else f"[{lang}] "


def _build(quiet: bool) -> Path:
    html = project().html
    for leftover in project().build.glob(NEW_PREFIX + "*"):  # from a build that was killed
        if leftover.name.endswith(folders.OLD_SUFFIX) and not os.path.lexists(html):
            leftover.rename(html)  # killed between the two renames (no exchange): the old book comes back
        else:
            folders.remove(leftover)
    jobs: list[_Job] = []
    with contextlib.ExitStack() as stack:
        try:
            for lang in editions.languages():
                jobs.append(_start(lang, stack.enter_context(tempfile.TemporaryFile())))
            codes = [job.proc.wait() for job in jobs]
        finally:
            for job in jobs:
                if job.proc.poll() is None:     # interrupted: stop every build this one started
                    job.proc.kill()
                    job.proc.wait()
        outputs = [_output(job) for job in jobs]
    problems: list[str] = []
    seen: set[str] = set()          # a problem both books meet is listed once, untagged
    failed = []
    for job, code, output in zip(jobs, codes, outputs):
        tag = _tag(job.lang)
        if not quiet:
            sys.stdout.write("".join(tag + line for line in output.splitlines(keepends=True)))
        found = buildlog.problem_lines(output)
        built = staging(job.lang) / "_build" / "html"
        if code != 0 or found or not (built / "index.html").exists():
            problems += [tag + p for p in found if p not in seen]
            seen.update(found)
            raw = buildlog.lines(output)
            last = buildlog.first_exception(raw) or next((x for x in reversed(raw) if x.strip("= \t")), "no output")
            failed.append(f"jupyter-book exited with code {code}: {tag}{buildlog.shorten(last)}")
    if failed:
        for line in problems[:40]:
            print(f"build: {line}", file=sys.stderr)
        summary = f"{len(problems)} warning(s) or error(s), listed above" if problems else failed[0]
        raise BookError(Problem("_build", "", f"the book did not build ({summary})",
                                "fix each file named above and run `make book` again; _build/html was left as it was"))
    publish({lang: staging(lang) / "_build" / "html" for lang in editions.languages()})
    return html


def publish(built: dict[str, Path]) -> None:
    """Copy, prune and zip the staged books (language -> its staging output)
    in a new folder, each in its place, then exchange it with _build/html in
    one step; then remove the old site (best effort)."""
    new = Path(tempfile.mkdtemp(prefix=NEW_PREFIX, dir=project().build))
    main = editions.main()
    others = [lang for lang in built if lang != main]
    try:
        folders.copy_tree(built[main], new)
        for lang in others:
            folders.copy_tree(built[lang], new / editions.folder(lang))
        for lang in built:
            book = new / editions.folder(lang)
            prune(book)
            hashnames.apply(book, skip=[editions.folder(other) for other in others if other != lang])
        offline.write_app_files(new, settings().title, main)
        for lang in others:
            offline.write_app_files(new / editions.folder(lang), _title(lang), lang, worker=False)
        offline_zip(new)
        offline.write_lists(new, OFFLINE_NAME)
        folders.make_readable(new)
        _checkpoint("before-swap")
        build_inputs.forget()       # the book about to be swapped in is not the one the stamp describes
        old = folders.replace(new, project().html)
    except BaseException:
        folders.remove(new)
        raise
    _checkpoint("after-swap")
    if old is not None:
        failed = folders.remove(old)
        if failed is not None:
            print(f"warning: {old.relative_to(project().root)}: the previous book could not be removed "
                  f"({folders.reason(failed)}); the next build tries again, or remove it by hand", file=sys.stderr)


def _title(lang: str) -> str:
    return catalogues.read(lang, "sphinx").translated.get((None, settings().title), settings().title)


# Files the theme ships that no page of this book loads (the icon font and
# script are replaced by book/static/icons.css; source maps serve developers;
# the stylesheets in _static/kq/theme.css are removed by prune() too). The
# staging copy keeps them: tests compare the trimmed stylesheet with them.
# The theme's translations (500 KB; Sphinx reads them while building) and its
# launch-button logos are not loaded by any page either, and a learner who
# saves the book on a phone would pay for them.
UNUSED = ["_static/scripts/fontawesome.js", "_static/vendor", "reports", ".doctrees",
          "_static/locales", "_static/images"]
UNUSED_SUFFIXES = (".map",)
OFFLINE_NAME = "kampot-book-offline.zip"
SIZE_MARK = "KQ-OFFLINE-SIZE"


def prune(html: Path) -> None:
    bundled = [f"_static/{rel}" for rel in replaced_by_bundle(html / "_static")]
    for rel in UNUSED + bundled:
        target = html / rel
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for path in html.rglob("*"):
        if path.suffix in UNUSED_SUFFIXES and path.is_file():
            path.unlink()


def _zip(html: Path, dest: Path) -> None:
    """Files 0644 and folders 0755 when unpacked (a web server, a colleague can read them)."""
    import zipfile

    def entry(path: Path, is_dir: bool) -> zipfile.ZipInfo:
        rel = path.relative_to(html).as_posix()
        name = "kampot-book/" + ("" if rel == "." else rel + "/" if is_dir else rel)
        info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
        info.external_attr = folders.zip_attrs(is_dir)
        info.compress_type = zipfile.ZIP_STORED if is_dir else zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(entry(html, True), b"")
        for path in sorted(html.rglob("*")):
            if path.is_dir():
                zf.writestr(entry(path, True), b"")
            elif path.is_file() and path.name != OFFLINE_NAME:
                zf.writestr(entry(path, False), path.read_bytes())


def offline_zip(html: Path) -> Path:
    """One zip of the whole book, linked from the introduction; its pages and
    quizzes work opened from disk. The link shows the zip's size."""
    dest = html / OFFLINE_NAME
    _zip(html, dest)
    sizes = {}
    for lang in editions.languages():   # each book says the size in its own words
        with in_language(lang):
            sizes[lang] = _("save.mb").format(n=number(dest.stat().st_size / 1_048_576, 1))
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if SIZE_MARK in text:
            first = page.relative_to(html).parts[0]
            lang = first if first in sizes and first != editions.main() else editions.main()
            page.write_text(text.replace(SIZE_MARK, sizes[lang]), encoding="utf-8")
    _zip(html, dest)
    return dest
