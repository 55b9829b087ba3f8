"""Read a YAML file and remember the line of every mapping key and list item.

Pydantic reports errors by path (`questions.3.options.1.feedback`); this map
turns such a path into the line a contributor should open.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import yaml

from .errors import BookError, Problem

Path_ = tuple[Any, ...]
# libyaml's C parser when PyYAML was built with it (about 10x faster).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[path + (key.value,)] = key.start_mark.line + 1
            _walk(value, path + (key.value,), lines)
            lines[path + (key.value,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a file is parsed or validated.

    A large bank makes hundreds of thousands of objects, none of them in a
    cycle; the collector would rescan them again and again as they pile up. With
    it paused, a 5,000-question bank parses about six times faster.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load(path: Path, root: Path | None = None) -> tuple[Any, dict[Path_, int]]:
    """Return (data, lines) or raise BookError naming the file and line."""
    shown = display_path(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BookError(Problem(shown, "", "file not found", "create it or fix the path"))
    except UnicodeDecodeError as exc:
        raise BookError(Problem(shown, "", f"not UTF-8 text ({exc.reason})", "save the file as UTF-8"))
    loader = _Loader(text)
    try:
        with collector_paused():
            node = loader.get_single_node()      # parse once: nodes carry line marks
            data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"{mark.line + 1}" if mark else ""
        what = (exc.problem or exc.context or "invalid YAML").strip()
        raise BookError(Problem(shown, line, f"YAML syntax error: {what}",
                                "check indentation, colons and quotes on that line"))
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures
        raise BookError(Problem(shown, "", f"YAML error: {exc}", "fix the YAML syntax"))
    finally:
        loader.dispose()
    return data, Lines(node)


class Lines(dict):
    """path -> line, worked out from the parsed nodes only when first asked
    (error messages need it; a valid file never does)."""

    def __init__(self, node: yaml.Node | None):
        super().__init__()
        self._node = node

    def _fill(self) -> None:
        if self._node is not None:
            node, self._node = self._node, None
            _walk(node, (), self)

    def __contains__(self, key) -> bool:
        self._fill()
        return super().__contains__(key)

    def __getitem__(self, key):
        self._fill()
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._fill()
        return super().get(key, default)


def line_of(lines: dict[Path_, int], loc: Path_) -> int | None:
    """The line of the deepest known prefix of `loc`."""
    for cut in range(len(loc), -1, -1):
        if tuple(loc[:cut]) in lines:
            return lines[tuple(loc[:cut])]
    return None


def display_path(path: Path, root: Path | None = None) -> str:
    """A path relative to the project root when possible, for messages."""
    try:
        return str(path.resolve().relative_to((root or Path.cwd()).resolve()))
    except ValueError:
        return str(path)
