"""The day's agenda: opening, each module's activities, breaks, lunch in a
long day, spare time and closing, each slot with its start."""
from __future__ import annotations

from dataclasses import dataclass

from book.data import modules
from book.data.errors import BookError, Problem
from book.render import sessions
from book.render.i18n import _

OPENING = 5          # welcome to the day, ground rules
CLOSING = 5          # questions, pocket cards, certificates
BREAK = 15           # a break after about BREAK_AFTER minutes of session:
BREAK_AFTER = 90     # between two modules if one ends within BREAK_WINDOW of it,
BREAK_WINDOW = 15    # else between two activities, never more than BREAK_AFTER + BREAK_WINDOW
NO_BREAK_NEAR_END = 20
LUNCH = 45           # the break nearest the middle of a day with more than LUNCH_FROM minutes of session
LUNCH_FROM = 240

@dataclass
class Slot:
    start: int               # minutes from the start of the day
    minutes: int
    title: str
    kind: str                # opening | welcome | teach | scenario | quiz | wrap-up | break | lunch | spare | closing
    module: modules.Module | None = None


def schedule(plans: list[sessions.Session], minutes: int | None = None) -> list[Slot]:
    """The day: opening, each module's activities, closing, with a break after
    about BREAK_AFTER minutes of session (preferably between two modules), a
    lunch break in a long day, and any spare time before the closing.
    BookError when the modules need more than `minutes`."""
    items: list[tuple[int, str, str, modules.Module | None]] = [
        (OPENING, _("agenda.opening"), "opening", None)]
    for s in plans:
        items += [(a.minutes, a.title, a.kind, s.module) for a in s.activities]
    items.append((CLOSING, _("agenda.closing"), "closing", None))
    total = sum(m for m, *_ in items)

    slots: list[Slot] = []
    run = done = 0
    for m, title, kind, mod in items:
        between = kind in ("welcome", "closing") and run >= BREAK_AFTER - BREAK_WINDOW
        due = between or run + m > BREAK_AFTER + BREAK_WINDOW
        if run and due and total - done > NO_BREAK_NEAR_END:
            slots.append(Slot(0, BREAK, _("agenda.break"), "break", None))
            run = 0
        slots.append(Slot(0, m, title, kind, mod))
        run += m
        done += m
    breaks = [i for i, s in enumerate(slots) if s.kind == "break"]
    if total > LUNCH_FROM and breaks:
        def before(i: int) -> int:
            return sum(s.minutes for s in slots[:i] if s.kind != "break")
        lunch = min(breaks, key=lambda i: abs(before(i) - total / 2))
        slots[lunch] = Slot(0, LUNCH, _("agenda.lunch"), "lunch", None)

    need = sum(s.minutes for s in slots)
    if minutes is not None and need > minutes:
        names = ", ".join(str(s.module.number) for s in plans)
        pauses = need - total
        raise BookError(Problem("--minutes", "", f"module{'s' if len(plans) > 1 else ''} {names} need {need} minutes "
                                f"({total} of sessions and {pauses} of breaks), but --minutes is {minutes}",
                                f"give --minutes {need} or more, or choose fewer modules"))
    if minutes is not None and minutes > need:
        slots.insert(len(slots) - 1, Slot(0, minutes - need, _("agenda.spare"), "spare"))
    t = 0
    for slot in slots:
        slot.start = t
        t += slot.minutes
    return slots
