"""The fonts a workshop pack carries for its language.

Pack documents load nothing (their content security policy allows only
inline styles, and data: fonts when a pack has fonts), and Chromium prints
boxes for a script that no installed font covers: Khmer on these machines.
So a pack in such a language inlines its font as @font-face CSS with a
data: URL. base.html puts this CSS after print.css (so it may also set the
font-family), and pdf.py puts it into each page's footer.

Hook: the Khmer font (Noto Sans Khmer, OFL, subset, woff2; its licence
shipped) is returned here for "km". Until then every language gets "" (the
system fonts of print.css).
"""
from __future__ import annotations


def font_css(lang: str) -> str:
    """@font-face (and font-family) CSS for a pack in `lang`; "" when the system fonts serve."""
    return ""
