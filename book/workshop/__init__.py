"""Workshop packs (`python -m book workshop`): everything a facilitator
prints for a day of chosen modules.

- agenda.py: the day's timed slots, breaks and lunch;
- pack.py: the request (modules, minutes, start), the pack's documents from
  Jinja templates, and writing them safely into the output folder;
- pdf.py: A4 PDFs printed by Chromium.
"""
from book.workshop.agenda import BREAK_AFTER, BREAK_WINDOW, NO_BREAK_NEAR_END, Slot, schedule
from book.workshop.pack import (
                                DOCS,
                                MARKER,
                                MARKER_HEAD,
                                Doc,
                                Pack,
                                choose,
                                make_pack,
                                parse_clock,
                                parse_minutes,
                                render,
                                write_pack,
)

__all__ = ["BREAK_AFTER", "BREAK_WINDOW", "DOCS", "MARKER", "MARKER_HEAD", "NO_BREAK_NEAR_END", "Doc", "Pack", "Slot",
           "choose", "make_pack", "parse_clock", "parse_minutes", "render", "schedule", "write_pack"]
