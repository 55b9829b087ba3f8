"""A module's workshop session: the timed plan and the quiz answer key.

The session-plan pages of the book ({session-plan} in book/sphinx/ext.py) and
the printed workshop packs (book/workshop/) both render from here, so the
timings are computed once and the facilitator notes are read from the module
notebook, their only copy. The Jinja templates in templates/workshop/ are
shared too: one fragment renders a plan for the book and for the pack.

Every word is in the page's language: the plan's own words from the
interface catalogue (book.render.i18n), the module's text from the module's
translation (book/translate/module_text.py), the quiz from `bank()`.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2

from book.data import banks, facts, modules
from book.data.errors import BookError, Problem
from book.data.paths import TEMPLATES as PACKAGE_TEMPLATES
from book.data.schema import Bank, Fact, Question
from book.data.yamlfile import display_path
from book.render import fact_label, markup
from book.render.i18n import _, language, plural, template_globals
from book.translate import apply, module_text

TEMPLATES = PACKAGE_TEMPLATES / "workshop"
# Sections of a module that are not teaching content (docs/module-template.md).
NOT_CONTENT = {"Questions", "Objectives", "Scenarios", "Key points", "Check yourself", "Sources"}
# (least, ideal) minutes of each kind of activity. When a module's
# minutes.workshop is short, every activity gives up the same share of the
# time between its ideal and its least; when it is long, teaching and
# role-play grow. The quiz's ideal is the time its questions take
# (banks.quiz_minutes).
WELCOME = (3, 5)
TEACH = (8, 15)
ROLE_PLAY = (7, 10)
QUIZ_LEAST = 5
WRAP_UP = (3, 5)


@dataclass
class Step:
    """One instruction to the facilitator (Markdown), with optional sub-items."""

    text: str
    items: list[str] = field(default_factory=list)


@dataclass
class Notes:
    """A scenario's facilitator notes, split at their 'Role-play:', 'Ask:' and 'Draw out:' labels."""

    role_play: str = ""
    ask: list[str] = field(default_factory=list)
    draw_out: list[str] = field(default_factory=list)
    other: str = ""            # anything before the first label (or notes without labels)
    role_play_minutes: int = 0  # the '(N minutes)' the notes ask for, 0 if none


@dataclass
class Activity:
    kind: str                  # welcome | teach | scenario | quiz | wrap-up
    title: str
    minutes: int
    steps: list[Step] = field(default_factory=list)
    scenario: modules.Scenario | None = None
    situation: str = ""        # the scenario's situation (Markdown), read aloud
    notes: Notes | None = None


@dataclass
class KeyQuestion:
    number: int
    question: Question
    letters: list[str]         # A, B, C ... one per option
    right: list[str]           # the letters of the right options


@dataclass
class Session:
    module: modules.Module     # in the page's language
    bank: Bank
    activities: list[Activity]
    materials: list[str]
    english: modules.Module    # as parsed: its structure, and the facts it cites

    @property
    def minutes(self) -> int:
        return sum(a.minutes for a in self.activities)

    @property
    def projector_hash(self) -> str:
        """The module page opens its quiz in projector mode at this URL hash."""
        return f"projector-{self.bank.id}"

    @property
    def key(self) -> list[KeyQuestion]:
        return answer_key(self.bank)


# --------------------------------------------------------------------- parsing the notes

_LABEL = re.compile(r"^(Role-play|Ask|Draw out):\s*", re.M)
# After . ! ? before a capital; after the Khmer full stops ។ and ៕.
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'(])|(?<=[។៕])\s*(?=\S)")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def parse_notes(text: str) -> Notes:
    """Split the notes so a plan can list prompts and points; nothing is lost:
    text outside the labels is kept in `other`."""
    parts = _LABEL.split(text or "")
    found = {label: body.strip() for label, body in zip(parts[1::2], parts[2::2])}
    ask = found.get("Ask", "")
    questions = re.findall(r"[^?？]+[?？]", ask)
    rest = ask[sum(map(len, questions)):].strip()
    prompts = [q.strip() for q in questions] + ([rest] if rest else [])
    role_play = found.get("Role-play", "")
    minutes = re.search(r"\((\d+) minutes?\)", role_play)
    return Notes(role_play, prompts, sentences(found.get("Draw out", "")), parts[0].strip(),
                 int(minutes.group(1)) if minutes else 0)


def situation(scenario: modules.Scenario) -> str:
    """The story part of a scenario (the discussion after it stays on the module page)."""
    return scenario.text.split("**Discussion.**", 1)[0].strip()


# --------------------------------------------------------------------- timing

def allocate(spans: list[tuple[int, int]], grow: list[bool], total: int) -> list[int]:
    """Whole minutes for each (least, ideal) span that add up to `total` exactly.

    Short of the ideal, each span keeps the same share of its (ideal - least)
    slack; beyond it, the spans marked `grow` share the extra in proportion to
    their ideal. Largest remainders settle the rounding.
    """
    least = sum(lo for lo, _ in spans)
    ideal = sum(hi for _, hi in spans)
    if total <= ideal:
        k = (total - least) / (ideal - least) if ideal > least else 0
        raw = [lo + (hi - lo) * k for lo, hi in spans]
    else:
        base = sum(hi for (_, hi), g in zip(spans, grow) if g)
        raw = [hi + ((total - ideal) * hi / base if g else 0) for (_, hi), g in zip(spans, grow)]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def least_minutes(mod: modules.Module) -> int:
    return WELCOME[0] + TEACH[0] + ROLE_PLAY[0] * len(mod.scenarios) + QUIZ_LEAST + WRAP_UP[0]


def _workshop_minutes(mod: modules.Module) -> int:
    where = display_path(mod.path)
    try:
        total = int(mod.minutes["workshop"])
    except (KeyError, TypeError, ValueError):
        raise BookError(Problem(where, "metadata", "kampot.minutes has no whole number 'workshop'",
                                "add \"workshop\": <minutes of the session> (docs/module-template.md)"))
    need = least_minutes(mod)
    if total < need:
        raise BookError(Problem(where, "metadata",
                                f"minutes.workshop is {total}, but a session with {len(mod.scenarios)} "
                                f"scenarios needs at least {need} minutes",
                                f"set minutes.workshop to {need} or more, or use fewer scenarios"))
    return total


# --------------------------------------------------------------------- the plan

def bank(quiz_id: str) -> Bank:
    """A module's quiz for plans and packs, in the page's language."""
    return apply.bank(quiz_id)


def plan(english: modules.Module) -> Session:
    """The module's session, timed to add up to its minutes.workshop, in the page's language."""
    text = module_text.for_module(english, language())
    mod = text.module(english)
    bank_ = bank(english.id)
    total = _workshop_minutes(english)
    quiz_ideal = max(QUIZ_LEAST, banks.quiz_minutes(bank_))
    spans = [WELCOME, TEACH] + [ROLE_PLAY] * len(mod.scenarios) + [(QUIZ_LEAST, quiz_ideal), WRAP_UP]
    grow = [False, True] + [True] * len(mod.scenarios) + [False, False]
    welcome, teach, *plays, quiz, wrap = allocate(spans, grow, total)

    content = [text.text(name) for name in english.sections if name not in NOT_CONTENT]
    acts = [
        Activity("welcome", _("plan.welcome"), welcome, [
            Step(_("plan.say_about").format(title=mod.title)),
            Step(_("plan.read_objectives")),
            Step(_("plan.guiding_questions"), list(mod.questions)),
        ]),
        Activity("teach", _("plan.teach"), teach, [
            Step(_("plan.go_through").format(number=mod.number), content),
            Step(_("plan.check_understanding")),
            Step(_("plan.real_names")),
        ]),
    ]
    for en, sc, minutes in zip(english.scenarios, mod.scenarios, plays):
        notes = parse_notes(sc.facilitator)
        # The minutes the notes ask for, read from the English "(5 minutes)".
        notes.role_play_minutes = parse_notes(en.facilitator).role_play_minutes
        play = notes.role_play_minutes if 0 < notes.role_play_minutes < minutes else 0
        run = plural("plan.run_role_play_split", play, rest=minutes - play) if play else _("plan.run_role_play")
        acts.append(Activity("scenario", _("plan.role_play").format(title=sc.title), minutes, [
            Step(_("plan.read_situation")),
            Step(run),
            Step(_("plan.nobody_has_to")),
        ], scenario=sc, situation=text.block(situation(en)), notes=notes))
    count = len(bank_.questions)
    quiz_steps = [Step(_("plan.projector_step")), Step(_("plan.no_projector"))]
    if count > quiz:
        quiz_steps.append(Step(_("plan.choose_questions").format(count=count, minutes=quiz)))
    acts.append(Activity("quiz", _("plan.quiz"), quiz, quiz_steps))
    acts.append(Activity("wrap-up", _("plan.wrap_up"), wrap, [
        Step(_("plan.key_points_step"), list(mod.key_points)),
        Step(_("plan.contacts_step")),
        Step(_("plan.one_thing")),
    ]))
    materials = [
        _("plan.material_projector").format(number=mod.number),
        _("plan.material_plan"),
        plural("plan.material_scenarios", len(mod.scenarios)),
        _("plan.material_cards"),
    ]
    return Session(mod, bank_, acts, materials, english)


def answer_key(bank: Bank) -> list[KeyQuestion]:
    out = []
    for n, q in enumerate(bank.questions, 1):
        letters = list(string.ascii_uppercase[: len(q.options)])
        out.append(KeyQuestion(n, q, letters, [x for x, o in zip(letters, q.options) if o.correct]))
    return out


def cited_contacts(mod: modules.Module, bank: Bank) -> list[Fact]:
    """The contacts (with phone numbers) a module's page or quiz cites, in order of first citation."""
    texts = list(mod.sections.values()) + [s.text for s in mod.scenarios]
    for q in bank.questions:
        texts += q.texts()
    registry = apply.registry()     # names and texts in the page language
    ids = [fid for t in texts for fid in facts.cited_ids(t)] + [fid for q in bank.questions for fid in q.facts]
    seen = dict.fromkeys(fid for fid in ids if fid in registry and registry[fid].kind == "contact")
    return [registry[fid] for fid in seen]


# --------------------------------------------------------------------- rendering

_SPAN = re.compile(r"\[([^\]]*)\]\{\.term-avoid\}")


def _prep(text: str) -> str:
    """MyST's `[word]{.term-avoid}` (the ethics module's list) has no meaning in
    the safe Markdown subset; keep the word and say it is one to avoid."""
    return _SPAN.sub(lambda m: f"*{m.group(1)}* {_('plan.term_avoid')}", text or "")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja environment of templates/workshop/ (autoescaped HTML)."""
    from markupsafe import Markup
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = lambda text: Markup(markup.inline(_prep(text)))
    env.filters["mdblock"] = lambda text: Markup(markup.block(_prep(text)))
    env.filters["fact"] = lambda fact: Markup(markup.render_fact(fact))
    env.globals.update(status_label=fact_label.status_label, needs_confirmation=facts.needs_confirmation,
                       **template_globals())
    return env


def template_files() -> list[Path]:
    return sorted(TEMPLATES.glob("*"))


def render_plan(session: Session, quiz_link: str, module_link: str, level: int = 2,
                with_key: bool = True) -> str:
    """One session plan as an HTML fragment; `level` is the level of its top headings."""
    return str(environment().get_template("_plan.html").render(
        s=session, quiz_link=quiz_link, module_link=module_link, h=level, with_key=with_key))
