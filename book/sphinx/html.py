"""The HTML of the book's directives, from Jinja templates in
templates/directives/ (autoescaped, like the workshop pack's templates), so
no markup is built by joining strings in Python."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from book.data.facts import headline
from book.data.paths import TEMPLATES
from book.data.schema import Fact
from book.render.fact_label import status_label
from book.render.i18n import template_globals
from book.render.markup import inline, render_fact

FOLDER = TEMPLATES / "directives"


def _json(value: Any) -> str:
    """Compact JSON for a data- attribute (autoescaping quotes it)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _fact(fact: Fact) -> Markup:
    return Markup(render_fact(fact))


def _md(text: str) -> Markup:
    return Markup(inline(text, cite=False))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(FOLDER)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(fact=_fact, md=_md, json_attr=_json)
    env.globals.update(status_label=status_label, headline=headline, **template_globals())
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(f"{name}.html").render(**context)


def template_files() -> list[str]:
    return sorted(str(p) for p in FOLDER.glob("*.html"))
