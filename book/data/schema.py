"""The shapes of the fact registry and of a question bank (pydantic models).

The models are the documented schema: field descriptions here are what
`python -m book schema` prints and what CONTRIBUTING.md points to.
"""
from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]

# Raw HTML is never allowed in data: a tag, a comment or an entity-encoded tag.
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&lt;\s*/?\s*[a-zA-Z]|\bon[a-z]+\s*=|javascript:", re.I)


def _no_html(value: str) -> str:
    if _HTML.search(value):
        raise ValueError("raw HTML or script is not allowed in text; write plain text with "
                         "Markdown *emphasis*, [links](https://…) or lists")
    return value


SafeText = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

ROLES = ("receptionist", "driver", "guide", "bar", "volunteer")
Role = Literal["receptionist", "driver", "guide", "bar", "volunteer"]
NEEDS = ("child", "trafficking", "health", "legal", "peer", "exit", "violence")
Need = Literal["child", "trafficking", "health", "legal", "peer", "exit", "violence"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- facts

class Fact(Strict):
    """One checked claim: a law article, an organisation's service, a phone number, a figure."""

    id: Slug = Field(description="stable id cited as {fact}`id` in pages and banks")
    kind: Literal["law", "contact", "organisation", "figure", "history"]
    text: SafeText = Field(description="the claim in plain words, as a learner should read it")
    name: str | None = Field(None, description="contacts and organisations: the name shown")
    phone: str | None = Field(None, description="contacts: the number, digits and spaces only")
    serves: list[Need] = Field(default_factory=list,
                               description="contacts and organisations: the needs it serves (contacts page groups)")
    hours: str | None = None
    source: SafeText = Field(description="where it was checked: publication or web address")
    checked: dt.date = Field(description="the day it was last checked against the source")
    status: Literal["confirmed", "reported", "unverified"] = Field(
        description="confirmed: several or primary sources; reported: one secondary source; "
                    "unverified: could not be confirmed (shown with 'confirm before use')")
    note: str | None = Field(None, description="a caveat shown with the fact")

    _text = field_validator("text", "source", "name", "note", "hours")(
        lambda cls, v: v if v is None else _no_html(v))

    @field_validator("phone")
    @classmethod
    def _phone_shape(cls, v: str | None) -> str | None:
        if v is not None and not (re.fullmatch(r"\d+(?: \d+)*", v) and 3 <= len(v) <= 17):
            raise ValueError("a phone is 3 to 17 digits with single spaces between groups; "
                             "write it like '012 311 112'")
        return v

    @field_validator("checked", mode="before")
    @classmethod
    def _checked_day(cls, v: Any) -> Any:
        """A day written YYYY-MM-DD (YAML hands it over as text); a real one."""
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return v
        if not isinstance(v, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            raise ValueError("'checked' is not a day like 2026-11-28; write the day you checked it as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"'checked' {v} is not a real day; write the day you checked it as YYYY-MM-DD")

    @model_validator(mode="after")
    def _contact_fields(self) -> Fact:
        if self.kind == "contact" and (not self.phone or not self.serves or not self.name):
            raise ValueError("a contact needs 'name', 'phone' and 'serves' (who it is for)")
        return self


class Registry(Strict):
    facts: list[Fact] = Field(min_length=1)


# --------------------------------------------------------------------------- banks

class Option(Strict):
    text: SafeText
    correct: bool
    feedback: SafeText = Field(description="why this option is right or wrong; required on every option")

    _text = field_validator("text", "feedback")(lambda cls, v: _no_html(v))


class Tags(Strict):
    module: Slug = Field(description="the module this question belongs to, e.g. 'law'")
    roles: list[Role] = Field(min_length=1, description=f"who it matters most to: {', '.join(ROLES)}")
    difficulty: Literal["easy", "medium", "hard"]
    objective: int | None = Field(None, ge=1, description="the module's learning objective (1-based) it tests")
    point: Slug | None = Field(None, description="the learning point it tests; questions sharing a point are "
                                                 "variants of one another. Required in an exam bank, where "
                                                 "each attempt draws one question per point")


class Question(Strict):
    id: Slug
    type: Literal["single", "multiple", "true-false", "scenario"]
    situation: SafeText | None = Field(None, description="scenario questions: the short situation")
    prompt: SafeText
    options: list[Option] = Field(min_length=2, max_length=8)
    explanation: SafeText | None = Field(None, description="shown after answering")
    facts: list[Slug] = Field(default_factory=list, description="ids of the facts it rests on")
    tags: Tags

    _text = field_validator("situation", "prompt", "explanation")(
        lambda cls, v: v if v is None else _no_html(v))

    @model_validator(mode="after")
    def _answers(self) -> Question:
        right = sum(o.correct for o in self.options)
        if right == 0:
            raise ValueError("no option is marked 'correct: true'; mark the right answer(s)")
        if self.type != "multiple" and right > 1:
            raise ValueError(f"a {self.type} question has one correct option but {right} are marked; "
                             "use type 'multiple' or mark only one")
        if self.type == "true-false" and sorted(o.text for o in self.options) != ["False", "True"]:
            raise ValueError("a true-false question has exactly two options, 'True' and 'False'; "
                             "write them as text: 'True' and text: 'False' (quoted)")
        if self.type == "scenario" and not self.situation:
            raise ValueError("a scenario question needs a 'situation'")
        if self.type != "scenario" and self.situation:
            raise ValueError("only scenario questions have a 'situation'; use type 'scenario'")
        return self

    def texts(self) -> list[str]:
        """Every text of the question a learner may read: situation, prompt and
        explanation, then each option and its feedback (facts are listed in
        order of first citation in this order)."""
        texts = [self.situation or "", self.prompt, self.explanation or ""]
        texts += [t for o in self.options for t in (o.text, o.feedback)]
        return [t for t in texts if t]


class Bank(Strict):
    id: Slug
    title: SafeText
    exam: bool = Field(False, description="answered as a whole, feedback only after submitting; each attempt "
                                          "draws one question per learning point (tags.point), so every "
                                          "question needs a point and every point at least two variants")
    questions: list[Question] = Field(min_length=1)

    def attempt_size(self) -> int:
        """How many questions one attempt asks: all of them, or in an exam one per point."""
        return len({q.tags.point for q in self.questions}) if self.exam else len(self.questions)

    def draw_weights(self) -> dict[str, float]:
        """question id -> how many times it is asked in one attempt: 1, or in an
        exam bank 1 / (the number of variants of its point)."""
        if not self.exam:
            return {q.id: 1.0 for q in self.questions}
        variants: dict[str | None, int] = {}
        for q in self.questions:
            variants[q.tags.point] = variants.get(q.tags.point, 0) + 1
        return {q.id: 1 / variants[q.tags.point] for q in self.questions}


# --------------------------------------------------------------------------- role paths

class ScenarioRef(Strict):
    module: Slug
    scenario: int = Field(ge=1)


class RolePath(Strict):
    """A suggested route through the book for one kind of work."""

    id: Role
    title: SafeText
    why: SafeText = Field(description="one or two sentences: why this matters in this job")
    modules: list[Slug] = Field(min_length=1, description="module ids, most important first")
    scenarios: list[ScenarioRef] = Field(default_factory=list, description="the scenarios to practise first")


class RolePaths(Strict):
    roles: list[RolePath] = Field(min_length=1)


# --------------------------------------------------------------------------- the Khmer glossary

class GlossaryTerm(Strict):
    """A key term and the one Khmer term every catalogue uses for it (locale/km/glossary.yml)."""

    en: list[SafeText] = Field(min_length=1, description="the English term and its other forms (plural, verb), "
                                                         "matched as whole words, capitals aside")
    km: SafeText = Field(description="the Khmer term to write")
    also: list[SafeText] = Field(default_factory=list, description="other Khmer forms that count as the term")
    reviewed: bool = Field(False, description="true once a Khmer-speaking reviewer has approved the term")


class Glossary(Strict):
    terms: list[GlossaryTerm] = Field(min_length=1)


# --------------------------------------------------------------------------- the schema, printed

def _type_name(annotation: Any) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is Literal:
        return " | ".join(repr(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if annotation is type(None):
        return "None"
    return str(getattr(annotation, "__name__", annotation))


def outline() -> str:
    """The schema of a bank, the fact registry and the role paths, one line
    per field (`python -m book schema`), from the models themselves."""
    lines: list[str] = []
    for model in (Bank, Question, Option, Tags, Registry, Fact, RolePaths, RolePath, ScenarioRef, Glossary,
                  GlossaryTerm):
        lines.append(f"{model.__name__}: {(model.__doc__ or '').strip().splitlines()[0]}"
                     if model.__doc__ and model.__doc__ != Strict.__doc__ else f"{model.__name__}:")
        for name, info in model.model_fields.items():
            need = "required" if info.is_required() else "optional"
            about = f"  {info.description}" if info.description else ""
            lines.append(f"  {name}: {_type_name(info.annotation)} ({need}){about}")
    return "\n".join(lines)
