"""book/sphinx/css_trim.py on small stylesheets: what is kept, what goes, and why."""
from __future__ import annotations

from pathlib import Path

from book.sphinx import css_trim

BOOK = '<div class="card used-class" id="main"><p>text</p></div><script src="x.js"></script>'


def _bundle(tmp_path: Path, css: str, book: str = BOOK, other_css: str = "", rel: str = "styles/a.css") -> str:
    static = tmp_path / "_static"
    (static / rel).parent.mkdir(parents=True, exist_ok=True)
    (static / rel).write_text(css, encoding="utf-8")
    return css_trim.bundle(static, [rel], "kq/theme.css", book, other_css)


def test_keeps_selectors_whose_names_the_book_uses(tmp_path):
    out = _bundle(tmp_path, ".card{color:red}.modal{color:blue}#main{margin:0}#nowhere{margin:1px}p{line-height:2}")
    assert ".card{color:red}" in out and "#main{margin:0}" in out and "p{line-height:2}" in out
    assert ".modal" not in out and "#nowhere" not in out


def test_prunes_a_selector_list_to_the_usable_alternatives(tmp_path):
    out = _bundle(tmp_path, ".card .title,.card p,.carousel p{padding:0}")
    assert ".card p{padding:0}" in out
    assert ".title" not in out and ".carousel" not in out


def test_names_inside_not_and_attribute_selectors_do_not_count(tmp_path):
    out = _bundle(tmp_path, ".card:not(.gone){color:red}[data-theme=dark] .card{color:white}a:hover{color:green}")
    assert ".card:not(.gone){color:red}" in out
    assert "[data-theme=dark] .card{color:white}" in out and "a:hover{color:green}" in out


def test_names_a_script_builds_in_a_template_literal_are_kept(tmp_path):
    book = BOOK + "<script>tip.classList.add(`bs-${this.constructor.NAME}-auto`); el.style.width = `${w}px`</script>"
    out = _bundle(tmp_path, ".bs-tooltip-auto .card{top:0}.bs-popover-top{top:1px}.tooltip-px{left:0}", book)
    assert ".bs-tooltip-auto .card{top:0}" in out
    assert ".bs-popover-top" not in out and ".tooltip-px" not in out


def test_media_blocks_are_trimmed_inside_and_dropped_when_empty(tmp_path):
    out = _bundle(tmp_path, "@media (max-width:600px){.card{padding:0}.modal{padding:1px}}"
                            "@media print{.modal{display:none}}")
    assert "@media (max-width:600px){.card{padding:0}}" in out
    assert "@media print" not in out


def test_unused_custom_properties_go_used_ones_stay(tmp_path):
    css = (":root{--used:red;--only-for-unused:blue;--unused:var(--only-for-unused);--from-other:1px;--from-js:2px}"
           ".card{color:var(--used)}")
    out = _bundle(tmp_path, css, book=BOOK + "<script>el.style.getPropertyValue('--from-js')</script>",
                  other_css=".quiz{margin:var(--from-other)}")
    assert "--used:red" in out and "--from-other:1px" in out and "--from-js:2px" in out
    assert "--unused" not in out and "--only-for-unused" not in out


def test_font_faces_for_fonts_not_in_the_book_are_dropped(tmp_path):
    static = tmp_path / "_static"
    (static / "fonts").mkdir(parents=True)
    (static / "fonts" / "here.woff2").write_bytes(b"")
    css = ('@font-face{font-family:Here;src:url(../fonts/here.woff2) format("woff2")}'
           '@font-face{font-family:Gone;src:url(../vendor/gone.woff2) format("woff2")}')
    out = _bundle(tmp_path, css)
    assert "Here" in out and "Gone" not in out


def test_relative_urls_point_to_the_same_files_from_the_bundle(tmp_path):
    out = _bundle(tmp_path, ".card{background:url(file.png)}#main{background:url('../img/x.svg')}"
                            ".used-class{background:url(data:image/png;base64,AAAA)}", rel="basic.css")
    assert 'url("../file.png")' in out
    assert 'url("../../img/x.svg")' in out
    assert "url(data:image/png;base64,AAAA)" in out


def test_book_text_reads_pages_and_only_the_scripts_they_load(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text('<script src="../loaded.js?v=1"></script>'
                                                '<script>load(["../late.js"])</script>')
    (tmp_path / "loaded.js").write_text("el.classList.add('added-by-script')")
    (tmp_path / "late.js").write_text("el.classList.add('added-later')")
    (tmp_path / "never.js").write_text("el.classList.add('never-loaded')")
    text = css_trim.book_text(tmp_path)
    assert "added-by-script" in text and "added-later" in text
    assert "never-loaded" not in text
