"""Turn condition YAML into Condition objects, checking ids, types and whether the condition can ever hold.

One registry maps each fact comparison to the test it builds; which comparisons fit which question types is the
question type's to say (question_types.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..conditions import All, AnyOf, Compared, Condition, Leaf, Not, Tally
from ..model import Indicator, Question
from ..question_types import NUMERIC_COMPARISONS, numeric_range
from ..words import N_
from ..words import gettext as _

Fact = Question | Indicator
YamlPath = tuple[str | int, ...]
Raw = dict[str, Any]  # a condition as written, already checked against the schema
Report = Callable[[YamlPath, str, str], None]  # (path, message, hint)
Test = Callable[[Any], bool]
Built = tuple[Test, str, str]  # the test, what it means, what its negation means


def _label(fact: Fact) -> str:
    return f"'{fact.label}'"


def _name(fact: Fact) -> str:
    """A fact as a practitioner reads it in a condition: its short label, else its label (never its id)."""
    return f"'{getattr(fact, 'short_label', '') or fact.label}'"


def _options(fact: Fact, options: frozenset[str]) -> str:
    labels = {o.id: o.label for o in getattr(fact, "options", ())}
    return _(" or ").join(sorted(labels.get(o, o) for o in options))


def _answer(value: object) -> str:
    """yes / no in the words of the language being built, anything else as written."""
    return {"yes": _("yes"), "no": _("no")}.get(str(value), str(value))


def _is(fact: Fact, value: object) -> Built:
    said = {"fact": _label(fact), "value": _answer(value)}
    return (lambda v: v == value), _("%(fact)s is %(value)s", **said), _("%(fact)s is not %(value)s", **said)


def _numeric(symbol: str, test: Callable[[int, int], bool], words: str, negated: str) -> Callable[[Fact, int], Built]:
    def build(fact: Fact, limit: int) -> Built:
        return (lambda v: test(v, limit)), _(words, fact=_name(fact), limit=limit), \
            _(negated, fact=_name(fact), limit=limit)
    return build


def _in(fact: Fact, options: list[str]) -> Built:
    chosen = frozenset(options)
    said = {"fact": _name(fact), "options": _options(fact, chosen)}
    return (lambda v: v in chosen), _("%(fact)s is %(options)s", **said), _("%(fact)s is not %(options)s", **said)


def _includes_any(fact: Fact, options: list[str]) -> Built:
    chosen = frozenset(options)
    listed = _options(fact, chosen)
    return (lambda v: bool(v & chosen)), _("%(fact)s includes %(options)s", fact=_name(fact), options=listed), \
        _("%(fact)s includes none of %(options)s", fact=_name(fact), options=listed)


COMPARISONS: dict[str, Callable[[Fact, Any], Built]] = {  # `{fact: ID, <op>: value}`: op -> the test it builds
    "is": _is,
    "at_least": _numeric(">=", lambda v, n: v >= n, N_("%(fact)s is at least %(limit)s"),
                         N_("%(fact)s is below %(limit)s")),
    "at_most": _numeric("<=", lambda v, n: v <= n, N_("%(fact)s is at most %(limit)s"),
                        N_("%(fact)s is above %(limit)s")),
    "below": _numeric("<", lambda v, n: v < n, N_("%(fact)s is under %(limit)s"), N_("%(fact)s is at least %(limit)s")),
    "above": _numeric(">", lambda v, n: v > n, N_("%(fact)s is over %(limit)s"), N_("%(fact)s is at most %(limit)s")),
    "in": _in,
    "includes_any": _includes_any,
}


COMPARE_TESTS: dict[str, Callable[[int, int], bool]] = {
    "at_least": lambda a, b: a >= b, "at_most": lambda a, b: a <= b, "below": lambda a, b: a < b,
    "above": lambda a, b: a > b}
COMPARE_WORDS = {"at_least": (N_("%(fact)s is at least %(limit)s"), N_("%(fact)s is below %(limit)s")),
                 "at_most": (N_("%(fact)s is at most %(limit)s"), N_("%(fact)s is above %(limit)s")),
                 "below": (N_("%(fact)s is under %(limit)s"), N_("%(fact)s is at least %(limit)s")),
                 "above": (N_("%(fact)s is over %(limit)s"), N_("%(fact)s is at most %(limit)s"))}


class ConditionParser:
    """Parses conditions against the facts, indicators and scores of one rule set."""

    def __init__(self, facts: Mapping[str, Fact], indicators: tuple[Indicator, ...],
                 scores: Mapping[str, tuple[str, ...]], report: Report, fact_hint: Callable[[str], str]):
        self.facts, self.indicators, self.scores = facts, indicators, scores
        self.report, self.fact_hint = report, fact_hint
        self.weights = {i.id: i.weight for i in indicators}
        self.names = {i.id: i.text for i in indicators}

    def parse(self, raw: Raw, path: YamlPath) -> Condition | None:
        if "all" in raw or "any" in raw:
            key = "all" if "all" in raw else "any"
            parts = [self.parse(p, (*path, key, i)) for i, p in enumerate(raw[key])]
            known = tuple(p for p in parts if p is not None)
            if len(known) < len(parts) or (key == "all" and not self._conjunction_possible(raw[key], path)):
                return None
            return All(known) if key == "all" else AnyOf(known)
        if "not" in raw:
            part = self.parse(raw["not"], (*path, "not"))
            return Not(part) if part else None
        if "count" in raw:
            return self._count(raw, path)
        if "score" in raw:
            return self._score(raw, path)
        return self._fact(raw, path)

    def _fact(self, raw: Raw, path: YamlPath) -> Condition | None:
        fact_id = raw["fact"]
        fact = self.facts.get(fact_id)
        if fact is None:
            self.report((*path, "fact"), f"unknown fact '{fact_id}'", self.fact_hint(fact_id))
            return None
        (op, value), = ((k, v) for k, v in raw.items() if k != "fact")
        if isinstance(value, dict):
            return self._compared(fact, op, value, (*path, op))
        if op == "is" and value == "not_known":
            return Leaf(fact_id, _("%(fact)s is not known", fact=_label(fact)), lambda v: False,
                        _("%(fact)s is answered", fact=_label(fact)), on_unknown=True, op="not_known")
        if op not in fact.kind.comparisons:
            self.report((*path, op), f"'{op}' does not fit {fact.type} fact '{fact_id}'",
                        f"use {', '.join(fact.kind.comparisons) or 'no comparison'} "
                        "(free text is never used in conditions)")
            return None
        if not self._options_exist(fact, value, (*path, op)) or not self._satisfiable(fact, op, value, path):
            return None
        test, text, negated = COMPARISONS[op](fact, value)
        return Leaf(fact_id, text, test, negated, op=op, operand=frozenset(value) if isinstance(value, list) else value)

    def _compared(self, fact: Fact, op: str, value: Raw, path: YamlPath) -> Condition | None:
        """`{fact: A, at_least: {fact: B, plus: N}}`: A compared with B + N (both counts or ages)."""
        other = self.facts.get(value["fact"])
        if other is None:
            self.report((*path, "fact"), f"unknown fact '{value['fact']}'", self.fact_hint(value["fact"]))
            return None
        for name, checked in ((fact.id, fact), (other.id, other)):
            if not checked.kind.numeric or op not in NUMERIC_COMPARISONS:
                self.report(path, f"'{op}' cannot compare {checked.type} fact '{name}' with another fact",
                            "only counts and ages are compared, with at_least, at_most, below or above")
                return None
        plus = int(value.get("plus", 0))
        test = COMPARE_TESTS[op]
        words, negated = COMPARE_WORDS[op]
        right = _("%(fact)s plus %(n)s", fact=_name(other), n=plus) if plus > 0 else \
            _("%(fact)s minus %(n)s", fact=_name(other), n=-plus) if plus < 0 else _name(other)
        return Compared(fact.id, other.id, _(words, fact=_name(fact), limit=right), lambda a, b: test(a, b + plus),
                        _(negated, fact=_name(fact), limit=right), op, plus)

    def _options_exist(self, fact: Fact, value: object, path: YamlPath) -> bool:
        if not isinstance(value, list):
            return True
        known = {o.id for o in getattr(fact, "options", ())}
        missing = [v for v in value if v not in known]
        for v in missing:
            self.report(path, f"'{v}' is not an option of '{fact.id}'", f"options are {', '.join(sorted(known))}")
        return not missing

    def _satisfiable(self, fact: Fact, op: str, value: Any, path: YamlPath) -> bool:
        if op not in ("at_least", "at_most", "below", "above"):
            return True
        lo, hi = numeric_range(fact)
        n = int(value)
        possible = {"at_least": n <= hi, "at_most": n >= lo, "below": n > lo, "above": n < hi}[op]
        if not possible:
            self.report((*path, op), f"{fact.id} can never be {op.replace('_', ' ')} {n} (allowed {lo}..{hi})",
                        "this rule can never fire; fix the number or the question's min/max")
        return possible

    def _conjunction_possible(self, parts: list[Raw], path: YamlPath) -> bool:
        """Direct tests of one fact inside `all` must not contradict each other."""
        bounds: dict[str, tuple[int, int]] = {}
        states: dict[str, set[object]] = {}
        for part in parts:
            fact_id = part.get("fact")
            if fact_id is None:
                continue
            (op, value), = ((k, v) for k, v in part.items() if k != "fact")
            if op == "is":
                states.setdefault(fact_id, set()).add(value)
            elif op in ("at_least", "at_most", "below", "above") and isinstance(value, int):
                lo, hi = bounds.get(fact_id) or numeric_range(self.facts[fact_id])
                lo = max(lo, {"at_least": value, "above": value + 1}.get(op, lo))
                hi = min(hi, {"at_most": value, "below": value - 1}.get(op, hi))
                bounds[fact_id] = (lo, hi)
        clash = [f for f, (lo, hi) in bounds.items() if lo > hi] + [f for f, s in states.items() if len(s) > 1]
        for fact_id in clash:
            self.report(path, f"the tests of '{fact_id}' under 'all' contradict each other",
                        "this rule can never fire; check the numbers or use 'any'")
        return not clash

    def _count(self, raw: Raw, path: YamlPath) -> Condition | None:
        levels, themes = _as_set(raw.get("level")), _as_set(raw.get("theme"))
        only, other_than = self._indicator_ids(raw, "of", path), self._indicator_ids(raw, "except", path)
        if only is None or other_than is None:
            return None
        chosen = [i for i in self.indicators
                  if (not levels or i.level in levels) and (not themes or i.theme in themes)
                  and (not only or i.id in only) and i.id not in other_than]
        at_least = raw["at_least"]
        if len(chosen) < at_least:
            self.report((*path, "at_least"), f"only {len(chosen)} indicators match, so at least {at_least} "
                        "can never be present", "this rule can never fire; lower the number or widen the filter")
            return None
        recency = raw.get("recency")
        weights = {i.id: _recency_weights(recency) for i in chosen}
        which = _filter_text(levels, themes, recency)
        text = _("at least %(n)s %(which)s indicators present", n=at_least, which=which) if which else \
            _("at least %(n)s indicators present", n=at_least)
        if other_than:
            text = _("%(count)s besides %(signs)s", count=text,
                     signs="; ".join(f"'{self.names[i]}'" for i in sorted(other_than)))
        return Tally(weights, at_least, text, self.names)

    def _indicator_ids(self, raw: Raw, key: str, path: YamlPath) -> frozenset[str] | None:
        """The indicator ids listed under `key` (`of`: only these; `except`: not these), each checked."""
        ids = frozenset(raw.get(key, ()))
        known = {i.id for i in self.indicators}
        for n, fact_id in enumerate(raw.get(key, ())):
            if fact_id not in known:
                self.report((*path, key, n), f"'{fact_id}' is not an indicator", self.fact_hint(fact_id))
        return ids if ids <= known else None

    def _score(self, raw: Raw, path: YamlPath) -> Condition | None:
        members = self.scores.get(raw["score"])
        if members is None:
            self.report((*path, "score"), f"unknown score '{raw['score']}'", "")
            return None
        weights = {i: self.weights[i] for i in members}
        low, high = raw.get("at_least", 0), raw.get("at_most")
        if sum(max(w) for w in weights.values()) < low:
            self.report((*path, "at_least"), f"score '{raw['score']}' can never reach {low}",
                        "this rule can never fire; lower the threshold or add weights")
            return None
        if high is not None and high < low:
            self.report((*path, "at_most"), f"score '{raw['score']}' can never be at least {low} and at most {high}",
                        "this rule can never fire; at_most must not be below at_least")
            return None
        said = {"score": raw["score"], "low": f"{low:g}", "high": f"{high:g}" if high is not None else ""}
        text = (_("score %(score)s is between %(low)s and %(high)s", **said) if high is not None and low
                else _("score %(score)s is at most %(high)s", **said) if high is not None
                else _("score %(score)s is at least %(low)s", **said))
        return Tally(weights, low, text, self.names, high)


def _as_set(value: str | list[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset([value] if isinstance(value, str) else value)


def _recency_weights(recency: object) -> tuple[float, float, float]:
    """(recent, earlier, both) weights of a plain count: a sign seen at both times counts for either filter."""
    return {"recent": (1.0, 0.0, 1.0), "earlier": (0.0, 1.0, 1.0)}.get(str(recency), (1.0, 1.0, 1.0))


def _filter_text(levels: frozenset[str], themes: frozenset[str], recency: object) -> str:
    words = [_(" or ").join(sorted(levels))] if levels else []
    if themes:
        words.append(f"({_(' or ').join(sorted(themes))})")
    if recency:
        words.append({"recent": _("recent"), "earlier": _("earlier")}.get(str(recency), str(recency)))
    return " ".join(words)
