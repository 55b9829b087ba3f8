"""A fact's status line as learners read it: its status, the date it was
checked and "confirm before use" where due (plain text, translated)."""
from __future__ import annotations

import datetime as dt

from book.data.facts import needs_confirmation
from book.data.schema import Fact
from book.render.i18n import _, date


def status_label(fact: Fact, on: dt.date | None = None) -> str:
    """'confirmed, checked 28 Nov 2026' plus 'confirm before use' where due, in the
    page's language (the date through Babel: book.render.i18n.date)."""
    label = _(f"fact.status.{fact.status}")
    text = _("fact.checked").format(status=label, date=date(fact.checked))
    if needs_confirmation(fact, on):
        text += " · " + _("fact.confirm")
    return text
