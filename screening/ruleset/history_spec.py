"""The `history:` block of a question: a fact the system fills from the child's stored screenings.

Checked here so that a rule author hears, at the question, what the block needs: the kind's question type, a
window, the facts a `screenings_with` count looks for, and route ids as a `highest_route` question's options."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from ..history import HISTORY_KINDS
from ..model import NONE_OPTION, History, Indicator, Option, Question
from .yamlsource import YamlPath

Report = Callable[[YamlPath, str, str], None]  # (path inside the question, message, hint)


def read_history(raw: Mapping[str, Any], options: tuple[Option, ...], routes: Collection[str],
                 report: Report) -> History | None:
    """The question's History, or None when it has none; problems are reported at their place."""
    spec = raw.get("history")
    if spec is None:
        return None
    of = spec["of"]
    kind = HISTORY_KINDS[of]
    if raw["type"] != kind.question_type:
        report(("type",), f"a history question of '{of}' must have type {kind.question_type}",
               f"use 'type: {kind.question_type}'")
    window = spec.get("window_days", raw.get("window_days"))
    if window is None:
        report(("history",), "a history question needs a window", "add 'window_days' (e.g. 365 for 12 months)")
    if kind.needs_facts and not spec.get("facts"):
        report(("history",), "a screenings_with count needs the facts it looks for",
               "add 'facts: [...]': a screening counts when any of them was answered yes")
    if spec.get("added_label") and not kind.adds:
        report(("history", "added_label"), f"a history question of '{of}' takes nothing added to it",
               "drop 'added_label'")
    if kind.of_routes:
        for n, option in enumerate(options):
            if option.id not in routes and option.id != NONE_OPTION:
                report(("options", n), f"'{option.id}' is not a route",
                       "a highest_route question's options are the routes (and 'none' for none before)")
    return History(of, int(window or 1), tuple(spec.get("facts", ())), spec.get("added_label", ""))


def check_history_facts(question: Question, facts: Mapping[str, Question | Indicator], report: Report) -> None:
    """A screenings_with count looks for yes answers: each fact must exist and be answered yes, no or not known."""
    if question.history is None:
        return
    for n, fact_id in enumerate(question.history.facts):
        fact = facts.get(fact_id)
        if fact is None:
            report(("history", "facts", n), f"unknown fact '{fact_id}'", "name an indicator or a yes/no question")
        elif not fact.kind.yes_no:
            report(("history", "facts", n), f"'{fact_id}' is not answered yes or no",
                   "name an indicator or a yes/no question")
