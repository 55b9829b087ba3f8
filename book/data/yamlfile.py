"""Read a YAML file and remember the line of every mapping key and list item.

Pydantic reports errors by path (`questions.3.options.1.feedback`); this map
turns such a path into the line a contributor should open.

Every YAML file the project reads (banks, facts, `_config.yml`, `_toc.yml`,
`pages/roles.yml`) goes through `load`, which refuses what YAML allows but
would silently change or blow up the data: a key given twice (the last one
would win), aliases (`*name`: a 1 KB file of nested aliases expands to
billions of items), and dates YAML cannot make (they stay text, for the
schema to check and report with a line).
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from book.data import textfile
from book.data.errors import BookError, Problem

Path_ = tuple[Any, ...]
# libyaml's C parser when PyYAML was built with it (about 10x faster).
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    """Raised while building the data; `load` turns it into a one-line Problem."""

    def __init__(self, line: int, problem: str, fix: str, node: yaml.Node | None = None):
        super().__init__(problem)
        self.line, self.problem, self.fix, self.node = line, problem, fix, node


class _Loader(_Base):
    """The safe loader, refusing duplicate keys and aliases.

    Both checks cost almost nothing on a valid file: a mapping with a key given
    twice builds a dict shorter than its list of keys, and only an alias makes
    the constructor meet a node it has already built.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:   # called for every node: kept lean
        if node in self.constructed_objects:
            raise _Refused(node.start_mark.line + 1, "", "", node)   # line and words: see _alias
        return _construct_object(self, node, deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        if len(mapping) < len(node.value):
            first: dict[Any, int] = {}
            for key_node, _value in node.value:
                key = self.constructed_objects[key_node]
                line = key_node.start_mark.line + 1
                if key in first:
                    raise _Refused(line, f"the key '{key_node.value}' appears twice (first at line {first[key]})",
                                   "keep one")
                first[key] = line
        return mapping


_construct_object = _Base.construct_object   # without super(): a 5,000-question bank has 265,000 nodes

# A date YAML cannot make (2026-02-30) would be a ValueError with no line; as
# text, the schema checks it like any other value.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _alias(text: str, anchored_line: int) -> tuple[int, str, str]:
    """Line, problem and fix for the first alias in the file (error path only)."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return (event.start_mark.line + 1,
                        f"the alias '*{event.anchor}' repeats the value anchored at line {anchored_line}",
                        "write the value out in full (the book's YAML files use no anchors or aliases)")
    finally:
        loader.dispose()
    return anchored_line, "a YAML alias (*)", "write the value out in full"  # pragma: no cover


def _walk(root: yaml.Node, lines: dict[Path_, int]) -> None:
    """Fill `lines` without recursion (a file may nest 999 levels deep)."""
    lines[()] = root.start_mark.line + 1
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[path + (key.value,)] = key.start_mark.line + 1
                stack.append((value, path + (key.value,)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[path + (i,)] = item.start_mark.line + 1
                stack.append((item, path + (i,)))


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
    text = textfile.read(path, shown)
    loader = _Loader(text)
    try:
        with collector_paused():
            node = loader.get_single_node()      # parse once: nodes carry line marks
            data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        line, problem, fix = _alias(text, exc.line) if exc.node is not None else (exc.line, exc.problem, exc.fix)
        raise BookError(Problem(shown, str(line), problem, fix))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}" if mark else ""
        what = (exc.problem or exc.context or "invalid YAML").strip()
        raise textfile.conflict(text, shown) or BookError(Problem(
            shown, where, f"YAML syntax error: {what}", "check indentation, colons and quotes on that line"))
    except yaml.reader.ReaderError as exc:   # a control character; its position counts UTF-8 bytes
        line = text.encode("utf-8")[:exc.position].count(b"\n") + 1
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise BookError(Problem(shown, str(line), f"a control character (code {code:#04x})",
                                "delete it (only printable text and line breaks belong in a YAML file)"))
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures
        raise BookError(Problem(shown, "", f"YAML error: {exc}", "fix the YAML syntax"))
    finally:
        loader.dispose()
    return data, Lines(node)


class Lines(dict[Path_, int]):
    """path -> line, worked out from the parsed nodes only when first asked
    (error messages need it; a valid file never does)."""

    def __init__(self, node: yaml.Node | None):
        super().__init__()
        self._node = node

    def _fill(self) -> None:
        if self._node is not None:
            node, self._node = self._node, None
            _walk(node, self)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return super().__contains__(key)

    def __getitem__(self, key: Path_) -> int:
        self._fill()
        return super().__getitem__(key)

    def get(self, key: Path_, default: Any = None) -> Any:
        self._fill()
        return super().get(key, default)


def dump(data: Any) -> str:
    """YAML text of plain data (a generated config), Unicode kept as it is."""
    text: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return text


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

