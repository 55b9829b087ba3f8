"""`python -m book`: validate, build, refresh notebooks, workshop packs.

Every known failure is a BookError, printed one problem per line, exit 2.
"""
from __future__ import annotations

import sys

import click

from .errors import BookError


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BookError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(2)


@click.group(cls=_Group)
def cli() -> None:
    """Tools for the Kampot curriculum book."""


@cli.command()
def validate() -> None:
    """Check every question bank, fact, page citation, _config.yml and _toc.yml."""
    from .validate import check_or_raise
    check_or_raise()
    click.echo("ok: banks, facts, pages and config are valid")


@cli.command()
@click.option("--quiet", is_flag=True, help="Print only problems and the final line.")
def build(quiet: bool) -> None:
    """Validate, then build the HTML book into _build/html (only if all is well)."""
    from .build import build_book
    out = build_book(quiet=quiet)
    click.echo(f"ok: book built; open {out / 'index.html'}")


@cli.command()
@click.argument("paths", nargs=-1)
def notebooks(paths: tuple[str, ...]) -> None:
    """Re-execute notebooks and save their outputs (what nbval compares against)."""
    from .notebooks import refresh
    for path in refresh(paths):
        click.echo(f"refreshed {path}")


@cli.command()
def readability() -> None:
    """Print the Flesch-Kincaid grade of each module's prose (target: 9 or lower)."""
    from .readability import MAX_GRADE, grades
    for name, value in grades().items():
        mark = "ok" if value <= MAX_GRADE else "too hard"
        click.echo(f"{name}\tgrade {value:.1f}\t{mark}")


def main() -> None:
    cli(prog_name="python -m book")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
