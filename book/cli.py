"""`python -m book`: validate, build, item figures, refresh notebooks, workshop packs, exports, translations.

Every known failure is a BookError, printed one problem per line, exit 2.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from book.data.errors import BookError, Problem
from book.startup import skip_slow_iri_checks


def _os_problem(exc: OSError) -> Problem:
    """A file-system failure no command foresaw (a full disk, a read-only
    folder): one line naming the file, not a traceback."""
    from book.data.yamlfile import display_path
    from book.folders import fix_for, reason
    where = display_path(Path(os.fsdecode(exc.filename))) if exc.filename else "the disk"
    return Problem(where, "", f"cannot read or write ({reason(exc)})", fix_for(exc))


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BookError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(2)
        except OSError as exc:
            click.echo(f"error: {_os_problem(exc)}", err=True)
            ctx.exit(2)


@click.group(cls=_Group)
def cli() -> None:
    """Tools for the Kampot curriculum book."""


@cli.command()
def validate() -> None:
    """Check every question bank, fact, page citation, translation catalogue, _config.yml and _toc.yml."""
    from book.validate import check_or_raise
    check_or_raise()
    click.echo("ok: banks, facts, pages, translations and config are valid")


@cli.command()
def schema() -> None:
    """Print the fields of a question bank, a fact and the role paths (from book/data/schema.py)."""
    from book.data.schema import outline
    click.echo(outline())


@cli.command()
def items() -> None:
    """Print each bank's item figures (where the right answer is shown, how
    often it is the longest, True against False, right options in tick-all
    questions, absolute words), then every problem of the item check."""
    from book.data import banks
    from book.itemcheck import table
    from book.validate import check_items, check_or_raise
    loaded = {}
    for path in banks.all_paths():
        try:
            loaded[path] = banks.load(path)
        except BookError:
            continue  # reported below by the full validation
    for line in table(loaded):
        click.echo(line)
    problems = check_items(loaded)
    if len(loaded) < len(banks.all_paths()):
        check_or_raise()
    if problems:
        raise BookError(problems)
    click.echo("ok: every bank meets the item rules (book/itemcheck.py)")


@cli.command()
@click.option("--quiet", is_flag=True, help="Print only problems and the final line.")
def build(quiet: bool) -> None:
    """Validate, then build the HTML book into _build/html (only if all is well)."""
    from book.build import build_book
    out = build_book(quiet=quiet)
    click.echo(f"ok: book built; open {out / 'index.html'}")


@cli.command()
@click.option("--out", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="Folder for a static host. It must be new, empty, or an earlier publish holding nothing else.")
def publish(out: Path) -> None:
    """Copy the built book (_build/html) to DIR for any static host."""
    from book.publish import publish as copy_book
    click.echo(f"ok: book published in {copy_book(out)}")


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--text-only", is_flag=True,
              help="Only rewrite the fact texts, notes and lists shown in plain Jupyter; keep outputs.")
def notebooks(paths: tuple[str, ...], text_only: bool) -> None:
    """Re-execute notebooks and save their outputs (what nbval compares against),
    and the fact texts plain Jupyter shows."""
    from book.notebooks import refresh
    for path in refresh(paths, text_only=text_only):
        click.echo(f"refreshed {path}")


@cli.command()
def readability() -> None:
    """Print the Flesch-Kincaid grade of each module's prose (target: 9 or lower)."""
    from book.data.readability import MAX_GRADE, grades
    for name, value in grades().items():
        mark = "ok" if value <= MAX_GRADE else "too hard"
        click.echo(f"{name}\tgrade {value:.1f}\t{mark}")


@cli.command()
@click.option("--modules", "spec", default="all", show_default=True, metavar="LIST",
              help="Modules to teach, by number or name, comma-separated, taught in the order given "
                   "(e.g. 1,4,5 or law,signs).")
@click.option("--minutes", default=None, metavar="N",
              help="Minutes available for the whole workshop. Default: just what the modules need. "
                   "Too few is an error that says how many they need; extra minutes become spare time "
                   "before the closing.")
@click.option("--out", default="workshop-pack", show_default=True, type=click.Path(path_type=Path),
              metavar="DIR", help="Folder to write. It must not exist or be empty (see --force); never the "
                                  "book's own folder, a folder holding it, or a .git folder.")
@click.option("--start", default="09:00", show_default=True, metavar="HH:MM",
              help="Clock time the workshop starts, for the agenda.")
@click.option("--force", is_flag=True, help="Replace DIR if it holds a pack an earlier run wrote, and nothing "
                                           "else (its .workshop-pack file lists the files).")
@click.option("--lang", default="en", show_default=True, metavar="CODE",
              help="Language of the pack: en, or any language with locale/CODE/LC_MESSAGES/book.po (km).")
def workshop(spec: str, minutes: str | None, out: Path, start: str, force: bool, lang: str) -> None:
    """Write a printable workshop pack: agenda, session plans, handouts, quiz
    sheets, answer key, pocket card, attendance sheet and certificate, each as
    HTML and as an A4 PDF (printed with Chromium; set CHROMIUM to its path if
    it is not /usr/bin/chromium).

    Each module takes the minutes its notebook gives for a workshop (50 for
    most). The day adds a 5-minute opening and a 5-minute closing, a 15-minute
    break after about 90 minutes of session (between two modules when one ends
    75 to 105 minutes after the last break, else between two activities, at
    most 105 minutes after it), and, with more than 4 hours of sessions, a
    45-minute lunch instead of the break nearest the middle.

    The pack is written into a temporary folder next to DIR and swapped into
    place in one step only when every file is written. A second run into the
    same DIR while one is writing stops with an error.
    """
    from book.workshop import parse_clock, parse_minutes, write_pack
    pack = write_pack(spec, parse_minutes(minutes), out, parse_clock(start), force, echo=click.echo, lang=lang)
    spare = f", {pack.spare} spare" if pack.spare else ""
    click.echo(f"ok: workshop pack for modules {', '.join(str(s.module.number) for s in pack.sessions)} "
               f"({pack.minutes} minutes: {pack.session_minutes} of sessions, {pack.break_minutes} of breaks"
               f"{spare}) in {out}")


@cli.command()
@click.option("--format", "fmt", metavar="FORMAT",
              help="moodle-xml, gift, qti, scorm, kolibri or zim (README: Exports).")
@click.option("--quiz", "quizzes", multiple=True, metavar="ID",
              help="A quiz to export (repeat for more). Default: every quiz.")
@click.option("--lang", metavar="en|km", help="Edition language. Default: en.")
@click.option("--out", type=click.Path(path_type=Path), metavar="DIR",
              help="Folder to write; it must be new or empty.")
def export(fmt: str | None, quizzes: tuple[str, ...], lang: str | None, out: Path | None) -> None:
    """Write the question banks (or the whole book) for Moodle, other LMSs,
    Kolibri or Kiwix, stamped with the book's version and date. Written into
    a temporary folder next to DIR and moved into place when complete."""
    from book.export import export as run_export
    written = run_export(fmt, quizzes, lang, out, echo=click.echo)
    click.echo(f"ok: {len(written)} file(s) in {out}")


@cli.command()
@click.option("--lang", "langs", multiple=True, metavar="CODE",
              help="A language under locale/ (repeat for more). Default: every language but English.")
@click.option("--report", "only_report", is_flag=True, help="Only print the report; change no catalogue.")
def translations(langs: tuple[str, ...], only_report: bool) -> None:
    """Update every translation catalogue (locale/<lang>/LC_MESSAGES/*.po) after
    the English changed, then print per file: messages, % translated, %
    reviewed (translated and not fuzzy) and outdated (the English changed
    since). Translations are never lost: a changed message keeps its old
    translation, marked fuzzy with the English it was made from; one that left
    the English is kept as an obsolete entry (#~). Each file is written in one
    step (a temporary file, then a rename)."""
    from book.translate.catalogue import shown
    from book.translate.update import report, update
    if not only_report:
        for path in update(list(langs), echo=click.echo):
            click.echo(f"updated {shown(path)}" if path.exists() else f"removed {shown(path)} (nothing translated)")
    for line in report(list(langs)):
        click.echo(line)


def main() -> None:
    skip_slow_iri_checks()
    cli(prog_name="python -m book")


if __name__ == "__main__":  # pragma: no cover
    main()
