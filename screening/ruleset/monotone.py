"""Static checks that more worrying evidence can never lower a recommendation, for any rule set.

A rule that sets a route or a level must only ever fire on more evidence, never on less: it must not fire on a
"no", on a count being below or at most a number, on an upper bound of a score, or on anything under `not`
(answering "yes", or one more episode, could then un-fire it and lower the outcome). A "plus other signs" count
that includes the rule's own trigger lets one fact count twice. Each finding names where it is and why."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Indicator, Question

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    path: YamlPath  # within the rule
    message: str
    hint: str


def lowering_parts(when: Any, facts: Mapping[str, Question | Indicator], path: YamlPath = ("when",)
                   ) -> Iterator[Finding]:
    """Parts of a raising rule's condition that fire on less evidence."""
    if not isinstance(when, dict):
        return
    if "not" in when:
        yield Finding((*path, "not"), "a rule that raises the route or level uses 'not'",
                      "more evidence could then un-fire it and lower the outcome; say what is present instead")
        return
    for key in ("all", "any"):
        for n, part in enumerate(when.get(key, ())):
            yield from lowering_parts(part, facts, (*path, key, n))
    fact = facts.get(when.get("fact", ""))
    if when.get("is") == "no":
        yield Finding((*path, "is"), f"a rule that raises the route or level fires on '{when['fact']}' being \"no\"",
                      "answering yes would un-fire it and lower the outcome; use it only in a rule that adds actions")
    if fact is not None and fact.kind.grows and ("below" in when or "at_most" in when):
        op = "below" if "below" in when else "at_most"
        yield Finding((*path, op), f"a rule that raises the route or level fires on the count '{fact.id}' being "
                      f"{op.replace('_', ' ')} a number", "one more episode would un-fire it and lower the outcome; "
                      "use at_least")
    if "score" in when and "at_most" in when:
        yield Finding((*path, "at_most"), f"a rule that raises the route or level fires on score '{when['score']}' "
                      "being at most a number", "a higher score would un-fire it; a band's upper bound belongs "
                      "to the next band's rule, which raises further")


def counted_twice(when: Any, indicator_ids: Mapping[str, Indicator], path: YamlPath = ("when",)
                  ) -> Iterator[Finding]:
    """'A trigger plus other signs', where the count of other signs includes the trigger itself."""
    if not isinstance(when, dict):
        return
    parts = when.get("all", ())
    triggers = {p["fact"] for p in _trigger_leaves(parts)} & set(indicator_ids)
    for n, part in enumerate(parts):
        if isinstance(part, dict) and "count" in part and triggers:
            counted = _counted(part, indicator_ids)
            doubled = sorted(triggers & counted)
            if doubled:
                yield Finding((*path, "all", n), "this count of other signs also counts the rule's own trigger ("
                              + ", ".join(doubled) + "), so one fact can count twice",
                              "add `except:` with the trigger signs, and lower `at_least` by one")
    for key in ("all", "any"):
        for n, part in enumerate(when.get(key, ())):
            yield from counted_twice(part, indicator_ids, (*path, key, n))


def _trigger_leaves(parts: Any) -> Iterator[dict[str, Any]]:
    for part in parts:
        if isinstance(part, dict) and part.get("is") == "yes":
            yield part
        elif isinstance(part, dict) and "any" in part:
            yield from (p for p in part["any"] if isinstance(p, dict) and p.get("is") == "yes")


def _counted(count: dict[str, Any], indicators: Mapping[str, Indicator]) -> set[str]:
    def as_set(value: Any) -> set[str]:
        return set() if value is None else {value} if isinstance(value, str) else set(value)
    levels, themes, only = as_set(count.get("level")), as_set(count.get("theme")), as_set(count.get("of"))
    return {i.id for i in indicators.values()
            if (not levels or i.level in levels) and (not themes or i.theme in themes) and (not only or i.id in only)
            and i.id not in as_set(count.get("except"))}
