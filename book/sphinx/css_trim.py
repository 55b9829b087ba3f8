"""Trim the theme's stylesheets to what the built book can use, as one file.

The theme links seven stylesheets (about 500 KB before compression) on every
page, and a phone on slow mobile data draws nothing until all of them have
arrived. Most of it styles Bootstrap components and theme features this book
never shows. The rule used here is deliberately conservative (the idea of
PurgeCSS, kept in Python so the build needs no Node.js):

- a selector is kept when every class and id in it occurs as a word somewhere
  in the built pages or in any script they load (so classes that scripts add
  later are kept too), or fits a name a script builds in a template literal
  (Bootstrap's `bs-${name}-auto`); element, attribute and pseudo selectors
  are kept;
- a custom property (``--name: ...``) is kept when any stylesheet or script
  uses it;
- an ``@font-face`` is kept when a font file it names is in the book.

tinycss2 does the parsing; nothing here is a hand-written CSS parser.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tinycss2
from tinycss2 import ast

_WORD = re.compile(r"[A-Za-z0-9_-]+")
_VAR_USE = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
_PROPERTY = re.compile(r"--[A-Za-z0-9_-]+")
# A script address in a page: <script src="..."> or a quoted URL in an inline loader.
_SCRIPT = re.compile(r"""["']([^"'?#:]+\.js)(?:[?#][^"']*)?["']""")
_GROUPS = {"media", "supports", "layer", "container"}
# A name a script builds: `bs-${this.constructor.NAME}-auto`.
_TEMPLATE = re.compile(r"([A-Za-z0-9_-]*)\$\{[^}]*\}([A-Za-z0-9_-]*)")


class _Vocabulary:
    """The names the book can use: words in its pages and scripts, and names
    scripts build from template literals joined with a hyphen (`bs-${x}-auto`;
    not event names such as `click${key}`)."""

    def __init__(self, book: str):
        self.words = set(_WORD.findall(book))
        shapes = sorted({(a, b) for a, b in _TEMPLATE.findall(book)
                         if len(a) + len(b) >= 3 and a[-1:] in ("-", "") and b[:1] in ("-", "")})
        self.built = re.compile("|".join(f"{re.escape(a)}[A-Za-z0-9_-]+{re.escape(b)}" for a, b in shapes)) \
            if shapes else None

    def __contains__(self, name: str) -> bool:
        return name in self.words or (self.built is not None and self.built.fullmatch(name) is not None)


def book_text(html_root: Path) -> str:
    """The built pages and the scripts they load, as one text: any class, id or
    custom property a stylesheet rule may need is named somewhere in it. (A
    script no page loads, such as the theme's icon-font script, would keep
    rules for nothing.)"""
    texts: list[str] = []
    scripts: set[Path] = set()
    for page in sorted(html_root.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="ignore")
        texts.append(text)
        for src in _SCRIPT.findall(text):
            path = (page.parent / src).resolve()
            if path.is_file():
                scripts.add(path)
    texts += [path.read_text(encoding="utf-8", errors="ignore") for path in sorted(scripts)]
    return "\n".join(texts)


def _alternatives(prelude: list[Any]) -> list[list[Any]]:
    """A selector list split at its top-level commas (commas inside :is() stay)."""
    out: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            out.append([])
        else:
            out[-1].append(token)
    return out


def _names(selector: list[Any]) -> Iterator[str]:
    """Class and id names in one selector (not those inside :not() and friends)."""
    previous = None
    for token in selector:
        after_dot = previous is not None and previous.type == "literal" and previous.value == "."
        if (token.type == "ident" and after_dot) or token.type == "hash":
            yield token.value
        if token.type != "whitespace":
            previous = token


def _urls(tokens: list[Any]) -> Iterator[Any]:
    for token in tokens:
        if token.type in ("at-rule", "qualified-rule"):
            yield from _urls(token.prelude)
            yield from _urls(token.content or [])
        elif token.type == "url" or (token.type == "function" and token.lower_name == "url"):
            yield token
        if getattr(token, "arguments", None):
            yield from _urls(token.arguments)
        elif getattr(token, "content", None) and token.type in ("() block", "[] block", "{} block"):
            yield from _urls(token.content)


def _url_value(token: Any) -> str:
    if token.type == "url":
        return str(token.value)
    strings = [t for t in token.arguments if t.type == "string"]
    return strings[0].value if strings else ""


def _is_relative(url: str) -> bool:
    return bool(url) and not re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", url, re.I)


class _Sheet:
    """One source stylesheet, parsed once, trimmed and re-based into the bundle."""

    def __init__(self, rel: str, text: str, static: Path, bundle_rel: str):
        self.rel, self.static = rel, static
        self.base = posixpath.dirname(rel)
        self.bundle_dir = posixpath.dirname(bundle_rel)
        self.rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)

    def _rebase(self, tokens: list[Any]) -> list[Any]:
        """Point relative url()s at the same files from the bundle's folder."""
        for token in _urls(tokens):
            url = _url_value(token)
            if not _is_relative(url):
                continue
            new = posixpath.relpath(posixpath.normpath(posixpath.join(self.base, url)), self.bundle_dir or ".")
            quoted = '"' + new.replace("\\", "\\\\").replace('"', '\\"') + '"'
            if token.type == "url":
                token.value, token.representation = new, f"url({quoted})"
            else:
                token.arguments = [ast.StringToken(0, 0, new, quoted)]
        return tokens

    def _font_shipped(self, rule: Any) -> bool:
        urls = [_url_value(t) for t in _urls(rule.content or [])]
        local = [u.split("?")[0].split("#")[0] for u in urls if _is_relative(u)]
        if not local:
            return True
        return any((self.static / posixpath.normpath(posixpath.join(self.base, u))).is_file() for u in local)

    def trimmed(self, words: _Vocabulary) -> list[tuple[str | None, Any]]:
        """(prelude text, body) pairs: body is a token list or a nested list."""
        return self._walk(self.rules, words)

    def _walk(self, rules: list[Any], words: _Vocabulary) -> list[tuple[str | None, Any]]:
        out: list[tuple[str | None, Any]] = []
        for rule in rules:
            if rule.type == "qualified-rule":
                keep = [alt for alt in _alternatives(rule.prelude) if all(name in words for name in _names(alt))]
                if keep:
                    prelude = ",".join(tinycss2.serialize(alt).strip() for alt in keep)
                    out.append((prelude, self._rebase(rule.content)))
            elif rule.type == "at-rule":
                if rule.lower_at_keyword in ("charset", "import"):
                    continue       # the bundle is UTF-8; the theme's only @import is basic.css, bundled itself
                if rule.lower_at_keyword in _GROUPS and rule.content is not None:
                    inner = self._walk(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                                skip_whitespace=True), words)
                    if inner:
                        out.append((f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}", inner))
                elif rule.lower_at_keyword == "font-face" and not self._font_shipped(rule):
                    continue
                else:
                    out.append((None, tinycss2.serialize(self._rebase([rule]))))
        return out


def _declarations(body: list[Any], used: set[str] | None) -> str:
    parts = []
    for decl in tinycss2.parse_blocks_contents(body, skip_comments=True, skip_whitespace=True):
        if decl.type != "declaration":
            continue
        if used is not None and decl.name.startswith("--") and decl.name not in used:
            continue
        value = tinycss2.serialize(decl.value).strip()
        parts.append(f"{decl.name}:{value}{'!important' if decl.important else ''}")
    return ";".join(parts)


def _serialize(rules: list[Any], used: set[str] | None) -> str:
    out = []
    for prelude, body in rules:
        if prelude is None:
            out.append(body)
        elif body and isinstance(body[0], tuple):
            inner = _serialize(body, used)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        else:
            declarations = _declarations(body, used)
            if declarations:
                out.append(f"{prelude}{{{declarations}}}")
    return "\n".join(out)


def bundle(static: Path, sources: list[str], bundle_rel: str, book: str, other_css: str = "") -> str:
    """The sources (paths under `static`), in order, trimmed into one stylesheet
    that will live at `bundle_rel`. `book` is book_text(); `other_css` the
    stylesheets left out of the bundle (they may use its custom properties)."""
    words = _Vocabulary(book)
    sheets = [_Sheet(rel, (static / rel).read_text(encoding="utf-8"), static, bundle_rel) for rel in sources]
    trimmed = [sheet.trimmed(words) for sheet in sheets]
    outside = set(_VAR_USE.findall(other_css)) | set(_PROPERTY.findall(book))
    used: set[str] | None = None
    text = ""
    for _ in range(5):       # a property kept only for another unused one goes on the next pass
        text = "\n".join(_serialize(rules, used) for rules in trimmed) + "\n"
        now = set(_VAR_USE.findall(text)) | outside
        if now == used:
            break
        used = now
    return text
