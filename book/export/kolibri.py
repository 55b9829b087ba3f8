"""Kolibri: one HTML5 app zip per module (Kolibri Studio uploads it as an
"HTML5 app"): the module's text and quiz from the built book, `index.html`
at the zip's root, relative links only.

Kolibri shows an app in a sandboxed iframe where storage may be blocked; the
quiz script keeps working then (it only loses saving). Links to other pages
of the book cannot work inside one app, so they become plain text.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from lxml import html as lxml_html

from book.data import modules
from book.data.errors import BookError, Problem
from book.data.paths import STATIC, project
from book.export.common import EXPORT_STATIC, Job, font_files, page, zip_folder

TAKES_QUIZ = True  # --quiz <module's quiz id> chooses modules
NEEDS_BOOK = True
FILES = [(STATIC, "quiz.css"), (STATIC, "book.css"), (EXPORT_STATIC, "app.css"), (STATIC, "record.js"),
         (STATIC, "quiz.js")]


def chosen(job: Job) -> list[modules.Module]:
    """The modules whose quizzes --quiz names (all when it names none)."""
    mods = modules.all_modules()
    if not job.asked:
        return mods
    by_id = {m.id: m for m in mods}
    missing = [q for q in job.asked if q not in by_id]
    if missing:
        raise BookError(Problem("--quiz", "", f"'{missing[0]}' is not the quiz of a module; the kolibri "
                                "export writes one app per module", f"use one of: {', '.join(by_id)}"))
    return [by_id[q] for q in dict.fromkeys(job.asked)]


check = chosen  # called before the book is built


def file_name(mod: modules.Module) -> str:
    return f"{mod.path.stem}-kolibri.zip"


def article(built_page: Path, media: Path, built: Path | None = None) -> str:
    """The page's article as self-contained HTML: no heading-link anchors, links
    to other pages as text, local images copied into `media`."""
    built = built or project().html
    if not built_page.exists():
        raise BookError(Problem(str(built_page), "", "the built page is missing",
                                "build the book with `python -m book build`"))
    tree = lxml_html.parse(str(built_page))
    found = tree.xpath("//article")
    if not found:
        raise BookError(Problem(str(built_page), "", "the page has no <article>", "rebuild the book"))
    art = found[0]
    for anchor in art.xpath(".//a[contains(concat(' ', @class, ' '), ' headerlink ')]"):
        anchor.drop_tree()
    for anchor in art.xpath(".//a[@href]"):
        if not anchor.get("href").startswith("#"):
            anchor.drop_tag()
    for img in art.xpath(".//img[@src]"):
        source = (built_page.parent / img.get("src")).resolve()
        if not source.is_file() or built.resolve() not in source.parents:
            raise BookError(Problem(str(built_page), "", f"image '{img.get('src')}' is not a file of the book",
                                    "use images kept in the book"))
        media.mkdir(exist_ok=True)
        shutil.copyfile(source, media / source.name)
        img.set("src", f"{media.name}/{source.name}")
    inner = (art.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in art)
    return inner.strip()


def heading(body: str, mod: modules.Module) -> str:
    """The page's title in its language: the text of the article's first heading."""
    found = lxml_html.fragment_fromstring(body, create_parent="div").xpath("(.//h1)[1]")
    return " ".join(found[0].text_content().split()) if found else f"{mod.number}. {mod.title}"


def app(mod: modules.Module, job: Job, dest: Path, built: Path | None = None) -> Path:
    built = built or project().html
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        pkg = Path(tmp)
        edition = built if job.lang == "en" else built / job.lang   # the Khmer book: _build/html/km
        body = article(edition / mod.page, pkg / "media", built)
        for folder, name in FILES:
            shutil.copyfile(folder / name, pkg / name)
        title = f"{mod.number}. {mod.title}" if job.lang == "en" else heading(body, mod)

        def text(fonts: list[str]) -> str:
            return page(title, body, job.stamp, job.lang, ["quiz.css", "book.css", "app.css", *fonts[:1]],
                        ["record.js", "quiz.js"])
        (pkg / "index.html").write_text(text(font_files(job.lang, text([]), pkg)), encoding="utf-8")
        return zip_folder(pkg, dest)


def write(job: Job, folder: Path) -> list[Path]:
    return [app(mod, job, folder / file_name(mod)) for mod in chosen(job)]
