"""An impact report in the words a safeguarding lead reads: route and level labels and rule descriptions, never
ids; one sentence per changed case, the cases that would go down first. Pure Python: no web or database import."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Consequence, RuleSet
from ..report import consequence_text
from ..words import gettext as _
from .impact import ChangedCase, Failing, Transition

DIRECTION = {"up": "up", "down": "DOWN", "same": "no change"}  # in English; `direction` says them in the language


def direction(way: str) -> str:
    """A route's change as the report's table says it, in the language spoken now."""
    return {"up": _("up"), "down": _("DOWN"), "same": _("no change")}[way]


@dataclass(frozen=True)
class CaseInWords:
    label: str
    down: bool
    sentence: str
    now_apply: tuple[str, ...]  # descriptions of the rules that would now apply
    no_longer_apply: tuple[str, ...]


@dataclass(frozen=True)
class Words:
    """Labels from the candidate (`new`), or from the rules in use for what the candidate no longer has."""

    old: RuleSet
    new: RuleSet

    def route(self, route_id: str) -> str:
        found = self.new.route_by_id.get(route_id) or self.old.route_by_id.get(route_id)
        return found.label.split(":")[0] if found else _("a route neither version has")

    def level(self, level_id: str) -> str:
        found = self.new.level_by_id.get(level_id) or self.old.level_by_id.get(level_id)
        return found.short_label if found else _("a level neither version has")

    def rule(self, rule_id: str) -> str:
        found = next((r for r in (*self.new.rules, *self.old.rules) if r.id == rule_id), None)
        return first_sentence(found.description) if found else _("a rule neither version has")

    def outcome(self, route: str, level: str) -> str:
        return f"{self.route(route)} ({self.level(level)})"


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def changed_cases(changed: Iterable[ChangedCase], old: RuleSet, new: RuleSet) -> list[CaseInWords]:
    """Changed cases in words: those that would go down first."""
    words = Words(old, new)
    ordered = sorted(changed, key=lambda c: not c.down)
    return [CaseInWords(c.case.label, c.down, _sentence(words, c), tuple(words.rule(r) for r in c.now_fire),
                        tuple(words.rule(r) for r in c.no_longer_fire)) for c in ordered]


def _sentence(words: Words, c: ChangedCase) -> str:
    before, after = words.outcome(c.old.route, c.old.level), words.outcome(c.new.route, c.new.level)
    if c.old.route != c.new.route or c.old.level != c.new.level:
        if c.down:
            return _("Would go DOWN from %(before)s to %(after)s.", before=before, after=after)
        return _("Would go up from %(before)s to %(after)s.", before=before, after=after)
    if c.old.strategy_meeting != c.new.strategy_meeting:
        if c.old.strategy_meeting:
            return _("Stays %(after)s, but a strategy discussion would no longer be recommended.", after=after)
        return _("Stays %(after)s, but a strategy discussion would now be recommended.", after=after)
    return _("Stays %(after)s; the rules that apply change.", after=after)


def transitions(rows: Iterable[Transition], old: RuleSet, new: RuleSet) -> list[tuple[str, str, int, str]]:
    """(from, to, cases, direction) in words, up the ladder."""
    words = Words(old, new)
    return [(words.route(t.from_route), words.route(t.to_route), t.count, direction(t.direction)) for t in rows]


def failing_vignettes(failing: Iterable[Failing], changed_stages: Iterable[ChangedCase], old: RuleSet,
                      new: RuleSet) -> list[tuple[str, str]]:
    """(stage, what is wrong) for each vignette stage the candidate would not match, in words; `changed_stages`
    are the vignette stages whose outcome changes (what the candidate gives them)."""
    words, changed = Words(old, new), {c.case.id: c for c in changed_stages}
    found = []
    for f in (f for f in failing if f.case.kind == "vignette"):
        expect = f.expected.get("route", "")
        c = changed.get(f.case.id)
        gives = (_("this version gives %(outcome)s", outcome=words.outcome(c.new.route, c.new.level)) if c
                 else _("this version gives the same as the rules in use"))
        expected = words.route(expect) + (f" ({words.level(f.expected['level'])})" if "level" in f.expected else "")
        wanted = _("Its authors expect %(outcome)s", outcome=expected) if expect else \
            _("Its authors expect other rules to apply")
        before = " " + _("It does not match the rules in use either.") if f.failed_before else ""
        found.append((f.case.label, f"{wanted}; {gives}.{before}"))
    return found


def consequence_words(rs: RuleSet, then: Consequence) -> str:
    """What a rule sets, in words: its minimum route and level, a strategy discussion and its steps (no ids)."""
    return consequence_text(rs, then, first_sentence)
