"""Three-valued conditions over answers: true, false or None (unknown).

Unknown is never false: an unanswered or "not known" fact makes a comparison unknown, and unknown propagates
through all/any/not by Kleene's rules. Each condition can also say which answers it used (evidence), what would
have to change for it to hold (needed), and what it means in plain English (describe).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .words import gettext as _

Truth = bool | None


@dataclass(frozen=True)
class Facts:
    """Validated answers: fact id -> value (None when not known), and indicator recency.

    `yes` and `known` index the answers for fast counting; `sums` (per tally) and `memo` (per engine use) cache
    results within one evaluation.
    """

    values: Mapping[str, object]
    when: Mapping[str, str]
    yes: Set[str] = frozenset()
    known: Set[str] = frozenset()
    sums: dict[int, tuple[float, float]] = field(default_factory=dict, compare=False)
    memo: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, values: Mapping[str, object], when: Mapping[str, str]) -> Facts:
        return cls(values, when, frozenset(k for k, v in values.items() if v == "yes"),
                   frozenset(k for k, v in values.items() if v is not None))

    def get(self, fact_id: str) -> object:
        return self.values.get(fact_id)


@dataclass(slots=True)
class Change:
    """One change to the answers that would move a condition towards holding (part of an outcome's `nearest`)."""

    fact: str
    requirement: str
    currently: str


def show(value: object) -> str:
    """An answer as practitioners read it."""
    if value is None:
        return _("not known")
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) or _("none")
    return {"yes": _("yes"), "no": _("no")}.get(str(value), str(value))


class Condition:
    """Base of all conditions."""

    def truth(self, facts: Facts) -> Truth:
        raise NotImplementedError

    def evidence(self, facts: Facts) -> list[str]:
        """Fact ids whose answers made this condition true (call only when it is)."""
        raise NotImplementedError

    def unknowns(self, facts: Facts) -> list[str]:
        """Fact ids whose 'not known' answers leave this condition undecided."""
        raise NotImplementedError

    def needed(self, facts: Facts, want: bool = True) -> list[Change]:
        """A smallest list of changes after which the condition has truth `want`."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def fact_ids(self) -> set[str]:
        raise NotImplementedError


@dataclass(frozen=True)
class Leaf(Condition):
    """A test of one fact: `test` returns True/False for a known value. `op` and `operand` say what the test is
    (`{fact: age, below: 13}`: op 'below', operand 13; op 'not_known' for `is: not_known`), for the compiler."""

    fact: str
    text: str
    test: Callable[[object], bool]
    negated_text: str
    on_unknown: Truth = None
    op: str = ""
    operand: object = None

    def truth(self, facts: Facts) -> Truth:
        value = facts.values.get(self.fact)
        return self.on_unknown if value is None else self.test(value)

    def evidence(self, facts: Facts) -> list[str]:
        return [self.fact]

    def unknowns(self, facts: Facts) -> list[str]:
        return [self.fact] if facts.values.get(self.fact) is None and self.on_unknown is None else []

    def needed(self, facts: Facts, want: bool = True) -> list[Change]:
        if self.truth(facts) is want:
            return []
        return [Change(self.fact, self.text if want else self.negated_text, show(facts.values.get(self.fact)))]

    def describe(self) -> str:
        return self.text

    def fact_ids(self) -> set[str]:
        return {self.fact}


@dataclass(frozen=True)
class Compared(Condition):
    """One number fact tested against another plus a constant (an age gap: the other person's age is at least the
    child's plus 5). Unknown while either is not known."""

    fact: str
    other: str
    text: str
    test: Callable[[int, int], bool]
    negated_text: str
    op: str = ""  # at_least, at_most, below or above: `fact` op `other` + `plus` (for the compiler)
    plus: int = 0

    def truth(self, facts: Facts) -> Truth:
        left, right = facts.values.get(self.fact), facts.values.get(self.other)
        if not isinstance(left, int) or not isinstance(right, int):
            return None
        return self.test(left, right)

    def evidence(self, facts: Facts) -> list[str]:
        return [self.fact, self.other]

    def unknowns(self, facts: Facts) -> list[str]:
        return [f for f in (self.fact, self.other) if facts.values.get(f) is None]

    def needed(self, facts: Facts, want: bool = True) -> list[Change]:
        if self.truth(facts) is want:
            return []
        values = facts.values
        now = _("%(one)s and %(other)s", one=show(values.get(self.fact)), other=show(values.get(self.other)))
        return [Change(self.fact, self.text if want else self.negated_text, now)]

    def describe(self) -> str:
        return self.text

    def fact_ids(self) -> set[str]:
        return {self.fact, self.other}


@dataclass(frozen=True)
class Tally(Condition):
    """The present indicators of `weights` (id -> (recent, earlier, both) weight), added up by weight, are at
    least `at_least` (and, for a score band, at most `at_most`).

    Counting indicators is a tally with weight 1; a score is a tally with the indicators' own weights.
    """

    weights: Mapping[str, tuple[float, float, float]]
    at_least: float
    text: str
    names: Mapping[str, str] = field(default_factory=dict, compare=False)  # indicator id -> its words
    at_most: float | None = None
    _ids: frozenset[str] | None = field(init=False, repr=False, compare=False, default=None)  # when all weights are 1
    _order: Mapping[str, int] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        unit = all(w == (1.0, 1.0, 1.0) for w in self.weights.values())
        object.__setattr__(self, "_ids", frozenset(self.weights) if unit else None)
        object.__setattr__(self, "_order", {f: n for n, f in enumerate(self.weights)})

    @property
    def unit_ids(self) -> frozenset[str] | None:
        """The indicators counted, when each counts 1 whatever its recency (else None: they are weighed)."""
        return self._ids

    @property
    def order_of(self) -> Callable[[str], int]:
        """An indicator's place in the tally, for listing them in order."""
        return self._order.__getitem__

    def _sums(self, facts: Facts) -> tuple[float, float]:
        key = id(self)
        found = facts.sums.get(key)
        if found is None:
            found = facts.sums[key] = _count(self._ids, facts) if self._ids is not None else self._weigh(facts)
        return found

    def _weigh(self, facts: Facts) -> tuple[float, float]:
        return self.weigh(facts.values, facts.when)

    def weigh(self, values: Mapping[str, object], when: Mapping[str, str]) -> tuple[float, float]:
        """The weight of the indicators present, and the most the ones not known could add."""
        known = unknown = 0.0
        for fact, (recent, earlier, both) in self.weights.items():
            value = values.get(fact)
            if value == "yes":
                at = when.get(fact)
                known += earlier if at == "earlier" else both if at == "both" else recent
            elif value is None:
                unknown += max(recent, earlier, both)
        return known, unknown

    def truth(self, facts: Facts) -> Truth:
        return self.classify(*self._sums(facts))

    def classify(self, known: float, unknown: float) -> Truth:
        """The truth of the tally when `known` is present and up to `unknown` more may be."""
        if self.at_most is not None:  # a band: the total lies between known and known + unknown
            if known > self.at_most or known + unknown < self.at_least:
                return False
            return True if known >= self.at_least and known + unknown <= self.at_most else None
        if known >= self.at_least:
            return True
        return None if known + unknown >= self.at_least else False

    def evidence(self, facts: Facts) -> list[str]:
        return sorted(facts.yes & self._order.keys(), key=self._order.__getitem__)

    def unknowns(self, facts: Facts) -> list[str]:
        if self.truth(facts) is not None:
            return []
        return sorted(set(self._order).difference(facts.known), key=self._order.__getitem__)

    def needed(self, facts: Facts, want: bool = True) -> list[Change]:
        if self.truth(facts) is want:
            return []
        known = self._sums(facts)[0]
        if not want:
            return [Change("", _("not (%(condition)s)", condition=self.text), _("%(n)s now", n=f"{known:g}"))]
        unknown = (f for f in self.weights if f not in facts.known)
        absent = list(islice(unknown, 2)) or list(islice((f for f in self.weights if f not in facts.yes), 2))
        examples = "; ".join(f"'{self.names.get(f, f)}'" for f in absent)
        return [Change("", _("%(condition)s, such as %(examples)s", condition=self.text, examples=examples),
                       _("%(n)s now", n=f"{known:g}"))]

    def describe(self) -> str:
        return self.text

    def fact_ids(self) -> set[str]:
        return set(self.weights)


@dataclass(frozen=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def truth(self, facts: Facts) -> Truth:
        result: Truth = True
        for part in self.parts:
            value = part.truth(facts)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    def evidence(self, facts: Facts) -> list[str]:
        return [f for part in self.parts for f in part.evidence(facts)]

    def unknowns(self, facts: Facts) -> list[str]:
        return [f for part in self.parts if part.truth(facts) is None for f in part.unknowns(facts)]

    def needed(self, facts: Facts, want: bool = True) -> list[Change]:
        if want:
            return [need for part in self.parts for need in part.needed(facts, True)]
        return _fewest(self, facts, False)

    def describe(self) -> str:
        return _("all of: %(parts)s", parts="; ".join(_bracket(p) for p in self.parts))

    def fact_ids(self) -> set[str]:
        return set().union(*(p.fact_ids() for p in self.parts))


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def truth(self, facts: Facts) -> Truth:
        result: Truth = False
        for part in self.parts:
            value = part.truth(facts)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    def evidence(self, facts: Facts) -> list[str]:
        return [f for part in self.parts if part.truth(facts) is True for f in part.evidence(facts)]

    def unknowns(self, facts: Facts) -> list[str]:
        return [f for part in self.parts if part.truth(facts) is None for f in part.unknowns(facts)]

    def needed(self, facts: Facts, want: bool = True) -> list[Change]:
        if want:
            return _fewest(self, facts, True)
        return [need for part in self.parts for need in part.needed(facts, False)]

    def describe(self) -> str:
        return _("any of: %(parts)s", parts="; ".join(_bracket(p) for p in self.parts))

    def fact_ids(self) -> set[str]:
        return set().union(*(p.fact_ids() for p in self.parts))


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def truth(self, facts: Facts) -> Truth:
        value = self.part.truth(facts)
        return None if value is None else not value

    def evidence(self, facts: Facts) -> list[str]:
        return sorted(self.part.fact_ids())

    def unknowns(self, facts: Facts) -> list[str]:
        return self.part.unknowns(facts)

    def needed(self, facts: Facts, want: bool = True) -> list[Change]:
        return self.part.needed(facts, not want)

    def describe(self) -> str:
        return _("not (%(condition)s)", condition=self.part.describe())

    def fact_ids(self) -> set[str]:
        return self.part.fact_ids()


def _fewest(condition: All | AnyOf, facts: Facts, want: bool) -> list[Change]:
    """The first of the parts' smallest lists of changes to truth `want` (an 'any' to true, an 'all' to false).
    A part needs no change only if it already has that truth, and then so has the whole; otherwise every part
    needs at least one, so the first part needing just one is the answer and the rest are not worked out."""
    if condition.truth(facts) is want:
        return []
    best: list[Change] | None = None
    for part in condition.parts:
        found = part.needed(facts, want)
        if best is None or len(found) < len(best):
            best = found
            if len(best) <= 1:
                break
    return best or []


def _count(ids: frozenset[str], facts: Facts) -> tuple[float, float]:
    """Plain counts (every weight 1, either recency): set arithmetic."""
    return float(len(ids & facts.yes)), float(len(ids - facts.known))


def _bracket(condition: Condition) -> str:
    text = condition.describe()
    return f"({text})" if isinstance(condition, All | AnyOf) else text
