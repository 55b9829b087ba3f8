"""Turn a YAML file into validated models, or into one-line Problems.

Shared by the fact registry and the question banks so both report errors the
same way: file, line, question id where there is one, and the fix.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from book.data import yamlfile
from book.data.errors import BookError, Problem
from book.data.paths import project

M = TypeVar("M", bound=BaseModel)

_FIXES = {
    "missing": "add '{field}'",
    "extra_forbidden": "remove '{field}' or correct its spelling",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use lower-case letters, digits and hyphens",
    "too_short": "add more items",
    "too_long": "remove some items",
    "bool_type": "write true or false",
    "string_type": "write text; put it in quotes if it reads as yes, no, true, false or a number",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
}


def _where(data: Any, loc: tuple[Any, ...]) -> str:
    """'question q-id, option 2' for locations inside a bank or registry."""
    parts: list[str] = []
    node = data
    for i, key in enumerate(loc):
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            item = node[key]
            parent = loc[i - 1] if i else ""
            if parent == "options":
                parts.append(f"option {key + 1}")
            elif isinstance(item, dict) and item.get("id"):
                label = {"questions": "question", "facts": "fact"}.get(str(parent), "item")
                parts.append(f"{label} '{item['id']}'")
            else:
                parts.append(f"{parent} item {key + 1}")
            node = item
        elif isinstance(node, dict):
            node = node.get(key)
    return ", ".join(parts)


def problems_from(exc: ValidationError, data: Any, lines: dict[Any, int], shown: str) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = next((str(k) for k in reversed(loc) if isinstance(k, str)), "")
        line = yamlfile.line_of(lines, loc)
        where = _where(data, loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = f"'{field}' is missing"
        elif err["type"] == "extra_forbidden":
            msg = f"unknown field '{field}'"
        elif err["type"] == "literal_error":
            msg = f"'{field}' {msg[0].lower()}{msg[1:]}"
        fix = _FIXES.get(err["type"], "")
        if "; " in msg and not fix:
            msg, fix = msg.split("; ", 1)
        problem = f"{where}: {msg}" if where else msg
        out.append(Problem(shown, str(line or ""), problem, fix.format(field=field) or "correct this value"))
    return out


def load_model(path: Path, model: type[M]) -> tuple[M, Any, dict[Any, int]]:
    """Load and validate; raise BookError with one Problem per schema error."""
    with yamlfile.collector_paused():     # one pause over parsing and validating
        return _load_model(path, model)


def _load_model(path: Path, model: type[M]) -> tuple[M, Any, dict[Any, int]]:
    data, lines = yamlfile.load(path, project().root)
    shown = yamlfile.display_path(path, project().root)
    if not isinstance(data, dict):
        raise BookError(Problem(shown, "1", "the file is not a YAML mapping",
                                f"start it with the top-level fields of a {model.__name__.lower()}"))
    try:
        return model.model_validate(data), data, lines
    except ValidationError as exc:
        raise BookError(problems_from(exc, data, lines, shown))
