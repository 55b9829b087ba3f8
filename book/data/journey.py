"""A learner's journey: role paths (data in pages/roles.yml), the progress
and certificate pages. Everything about a learner stays in their browser:
these pages are static, and book/static/journey.js reads local storage."""
from __future__ import annotations

from pathlib import Path

from book.data import banks, modules
from book.data.errors import BookError, Problem
from book.data.loading import load_model
from book.data.paths import project
from book.data.schema import RolePaths


def roles_file() -> Path:
    return project().pages / "roles.yml"


def load_roles() -> RolePaths:
    """Role paths, checked against the modules and their scenarios."""
    paths, _data, lines = load_model(roles_file(), RolePaths)
    known = {m.id: m for m in modules.all_modules()}
    problems = []
    for i, role in enumerate(paths.roles):
        line = str(lines.get(("roles", i), ""))
        for mid in role.modules:
            if mid not in known:
                problems.append(Problem("pages/roles.yml", line, f"role '{role.id}': unknown module '{mid}'",
                                        f"use one of: {', '.join(known)}"))
        for ref in role.scenarios:
            mod = known.get(ref.module)
            if mod is None or ref.scenario > len(mod.scenarios):
                problems.append(Problem("pages/roles.yml", line,
                                        f"role '{role.id}': no scenario {ref.scenario} in module '{ref.module}'",
                                        "point to an existing '### Scenario N' of that module"))
    if problems:
        raise BookError(problems)
    return paths


def module_minutes(mod: modules.Module) -> int:
    """Reading time from the notebook, quiz time from the bank's question count."""
    return int(mod.minutes.get("reading", 0)) + banks.quiz_minutes(banks.load_id(mod.id))


def quizzes() -> list[tuple[str, str, int, str]]:
    """(quiz id, title, questions per attempt, page) for every module quiz and the final check."""
    out = [(m.id, m.title, banks.load_id(m.id).attempt_size(), m.page) for m in modules.all_modules()]
    final = banks.load_id("final")
    out.append(("final", final.title, final.attempt_size(), "pages/final-check.html"))
    return out
