"""The package's parts stay parts (docs/architecture.md): every import of
every module, read from its source (imports inside functions included), is
checked against what its part may use. A new import across a line fails here
with the file, the line and the import."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "book"
# A part, and the package modules it must not import (by prefix).
FORBIDDEN = {
    "data": ["book."],                       # only book.data itself (allowed below)
    "render": ["book.sphinx", "book.workshop", "book.export", "book.cli", "book.build", "book.validate",
               "book.itemcheck"],
    "translate": ["book.sphinx", "book.workshop", "book.export", "book.cli", "book.build"],
}
ALLOWED = {"data": ["book.data"]}


def imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = ".".join(path.relative_to(root).with_suffix("").parts)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here.split(".")[:-node.level] + ([base] if base else []))
            found += [(node.lineno, f"{base}.{alias.name}" if base == "book" else base) for alias in node.names]
    return found


def crossings(part: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / part).rglob("*.py")):
        for line, name in imports(path):
            if any(name == a or name.startswith(a + ".") for a in ALLOWED.get(part, [])):
                continue
            if any(name == f or name.startswith(f if f.endswith(".") else f + ".") or name == f.rstrip(".")
                   for f in FORBIDDEN[part]):
                bad.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    return list(dict.fromkeys(bad))


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_a_part_imports_only_what_it_may(part):
    assert (PACKAGE / part).is_dir()
    bad = crossings(part)
    assert not bad, "\n".join(bad)


def test_the_check_sees_a_crossing(tmp_path):
    """The reader catches both import forms, inside a function too."""
    source = tmp_path / "book" / "data" / "x.py"
    source.parent.mkdir(parents=True)
    source.write_text("def f():\n    from book.render import markup\n    import book.sphinx.ext\n"
                      "from . import paths\n", encoding="utf-8")
    assert imports(source, tmp_path) == [(4, "book.data"), (2, "book.render"), (3, "book.sphinx.ext")]
