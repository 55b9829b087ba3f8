"""Compile a language's catalogues for its Sphinx build, into the build's own
folder (never into locale/, which stays sources only).

Each `locale/<lang>/LC_MESSAGES/**/*.po` becomes a `.mo` with its drafts
(fuzzy messages) included: the draft edition shows them, with a banner
saying so (book/sphinx/languages.py). `sphinx.po` also becomes `sphinx.js`,
the strings Sphinx's search scripts show (search results, "Searching").
A file is written only when its content changes, so Sphinx, which compares
times, reads again only the pages whose catalogue changed.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from book.data.paths import project


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def _search_strings(lang: str, catalogue: object) -> bytes:
    messages = {m.id: m.string for m in catalogue            # type: ignore[attr-defined]
                if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string}
    body = json.dumps({"locale": lang, "messages": messages, "plural_expr": "0"}, indent=1, sort_keys=True)
    return f"Documentation.addTranslations({body});\n".encode()


# A page's translation is parsed as MyST, like the page: a translated title
# "4. ..." would become a numbered list there, and Sphinx then keeps the
# English (it needs a heading or a paragraph). The dot is escaped in the
# compiled copy only; a reader sees "4. ...".
_LIST_START = re.compile(r"^(\d+)([.)])(\s)")
PARSED_AS_PAGES = ("modules", "pages")


def _as_page_text(catalogue: object) -> None:
    for m in catalogue:                                        # type: ignore[attr-defined]
        if m.id and isinstance(m.string, str):
            m.string = _LIST_START.sub(r"\1\\\2\3", m.string)


def compile_language(lang: str, dest: Path) -> list[Path]:
    """Write dest/<lang>/LC_MESSAGES/<domain>.mo for every catalogue of
    `lang`, and remove compiled files whose catalogue is gone; returns the
    files written."""
    source = project().locale / lang / "LC_MESSAGES"
    target = dest / lang / "LC_MESSAGES"
    written, wanted = [], set()
    for po in sorted(source.rglob("*.po")) if source.is_dir() else []:
        rel = po.relative_to(source).with_suffix(".mo")
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale=None)
        if rel.parts[0] in PARSED_AS_PAGES:
            _as_page_text(catalogue)
        buffer = io.BytesIO()
        write_mo(buffer, catalogue, use_fuzzy=True)
        outputs = {rel: buffer.getvalue()}
        if rel.as_posix() == "sphinx.mo":
            outputs[Path("sphinx.js")] = _search_strings(lang, catalogue)
        for name, data in outputs.items():
            wanted.add(target / name)
            if _write_if_changed(target / name, data):
                written.append(target / name)
    for old in [*target.rglob("*.mo"), *target.rglob("sphinx.js")] if target.is_dir() else []:
        if old not in wanted:
            old.unlink()
    return written
