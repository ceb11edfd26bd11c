"""Robustness: the cases whose child protection route rests on how a practitioner happens to read one fact.

For every case on a child protection route (routes[].child_protection), each fact the case answers yes, no or not
known (a sign, or a yes / no question) is moved one step along yes - not known - no (yes to not known, not known to
no or to yes, no to not known) and the case is evaluated again. A case is fragile when one such change takes it off
child protection (section 47 to child in need, say). A fact the case does not answer is not known already: it is
not moved. A case on a route below child protection cannot cross the line downwards, so its facts are not moved
either. Pure Python over the compiled engine (`engine.decide`): no web or database import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..answers import NOT_KNOWN, NOT_KNOWN_WORDS, facts_from_answers
from ..engine import decide
from ..errors import AnswersInvalid
from ..model import Indicator, RuleSet
from .impact import Case

YES, NO = "yes", "no"
STEPS: Mapping[str, tuple[str, ...]] = {YES: (NOT_KNOWN,), NOT_KNOWN: (NO, YES), NO: (NOT_KNOWN,)}  # one step each way


@dataclass(frozen=True, slots=True)
class Flip:
    """One answer moved one step that takes a case off child protection: the case, the fact (a sign or a yes / no
    question: its id and words), the answer it had and the one it was given, and the route before and after."""

    case_id: str
    case_label: str
    where: str
    fact: str
    words: str
    is_sign: bool
    from_answer: str  # yes | no | not_known
    to_answer: str
    route_before: str
    route_after: str
    before_label: str
    after_label: str

    @property
    def from_words(self) -> str:
        return answer_words(self.from_answer)

    @property
    def to_words(self) -> str:
        return answer_words(self.to_answer)

    def text(self) -> str:
        """One line in plain words."""
        kind = "sign" if self.is_sign else "question"
        return (f"{self.case_id}: the {kind} '{self.words}' ({self.fact}) answered {self.to_words} "
                f"instead of {self.from_words} gives {self.after_label} ({self.route_after}), not "
                f"{self.before_label} ({self.route_before})  [{self.case_label}]")

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "case_label": self.case_label, "where": self.where, "fact": self.fact,
                "words": self.words, "is_sign": self.is_sign, "from": self.from_answer, "to": self.to_answer,
                "route_before": self.route_before, "route_after": self.route_after,
                "before_label": self.before_label, "after_label": self.after_label}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Flip:
        return cls(d["case_id"], d["case_label"], d["where"], d["fact"], d["words"], d["is_sign"], d["from"], d["to"],
                   d["route_before"], d["route_after"], d["before_label"], d["after_label"])


@dataclass(frozen=True)
class Robustness:
    """What one rule set says over a set of cases: every fragile flip, in case order, and the cases it could not
    evaluate (case id, where, why)."""

    ruleset: Mapping[str, str]  # id, version, hash
    cases: int  # the cases evaluated
    child_protection: int  # of which on a child protection route
    tried: int  # answers moved and evaluated again
    flips: tuple[Flip, ...]
    cannot_evaluate: tuple[tuple[str, str, str], ...] = ()

    @property
    def fragile(self) -> tuple[str, ...]:
        """The ids of the cases that rest on a single answer, each once, in order."""
        return tuple(dict.fromkeys(f.case_id for f in self.flips))

    @property
    def labels(self) -> dict[str, str]:
        """Each fragile case's label, by id."""
        return {f.case_id: f.case_label for f in self.flips}

    def flips_of(self, case_id: str) -> tuple[Flip, ...]:
        return tuple(f for f in self.flips if f.case_id == case_id)

    def summary(self, cases: str = "cases") -> str:
        """'N of M cases rest on a single answer' (`cases`: what the cases are, e.g. 'vignette stages')."""
        return f"{len(self.fragile)} of {self.cases} {cases} rest on a single answer"

    def to_dict(self) -> dict[str, Any]:
        return {"ruleset": dict(self.ruleset), "cases": self.cases, "child_protection": self.child_protection,
                "tried": self.tried, "flips": [f.to_dict() for f in self.flips],
                "cannot_evaluate": [list(c) for c in self.cannot_evaluate]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Robustness:
        return cls(d["ruleset"], d["cases"], d["child_protection"], d["tried"],
                   tuple(Flip.from_dict(f) for f in d["flips"]),
                   tuple((c[0], c[1], c[2]) for c in d["cannot_evaluate"]))


def answer_words(answer: str) -> str:
    """yes, no or not known, as a practitioner reads them."""
    return NOT_KNOWN_WORDS.lower() if answer == NOT_KNOWN else answer


def check_robustness(ruleset: RuleSet, cases: Iterable[Case]) -> Robustness:
    """Every case evaluated once and, when it is on a child protection route, again with each answered yes / no /
    not known fact moved one step; the moves that take it off child protection, and the cases `ruleset` cannot
    evaluate (their answers are not its questions' answers, or their agency is not one of its agencies)."""
    routes = ruleset.route_by_id
    counted = protected = tried = 0
    flips: list[Flip] = []
    cannot: list[tuple[str, str, str]] = []
    for case in cases:
        try:
            before = decide(ruleset, case.answers, agency=case.agency, record=case.record).route
        except AnswersInvalid as exc:
            cannot.append((case.id, case.where, str(exc)))
            continue
        counted += 1
        if not routes[before].child_protection:
            continue
        protected += 1
        for fact, answer, moved in _moves(ruleset, case):
            tried += 1
            after = decide(ruleset, moved, agency=case.agency, record=case.record).route
            if not routes[after].child_protection:
                flips.append(_flip(ruleset, case, fact, answer, moved[fact], before, after))
    return Robustness({"id": ruleset.meta.id, "version": ruleset.meta.version, "hash": ruleset.hash}, counted,
                      protected, tried, tuple(flips), tuple(cannot))


def _moves(ruleset: RuleSet, case: Case) -> Iterator[tuple[str, str, dict[str, object]]]:
    """(fact, its answer, the case's answers with that fact moved one step) for every answered yes / no / not known
    fact, in the order the case answers them. A sign's recency ('when') goes with its yes."""
    values = facts_from_answers(ruleset, case.answers).values
    for fact in case.answers:
        if fact not in ruleset.tristate_ids:
            continue
        answer = NOT_KNOWN if values.get(fact) is None else str(values[fact])
        for step in STEPS.get(answer, ()):
            if step == NOT_KNOWN and fact not in ruleset.not_known_allowed:
                continue  # a question that needs an answer cannot be left not known
            yield fact, answer, {**case.answers, fact: step}


def _flip(ruleset: RuleSet, case: Case, fact: str, answer: str, step: object, before: str, after: str) -> Flip:
    found = ruleset.facts[fact]
    return Flip(case.id, case.label, case.where, fact, found.label, isinstance(found, Indicator), answer, str(step),
                before, after, ruleset.route_by_id[before].label, ruleset.route_by_id[after].label)


def report_lines(report: Robustness) -> Iterator[str]:
    """A heading, one line per fragile answer, then the summary."""
    rs = report.ruleset
    yield (f"Robustness of {rs['id']} {rs['version']} ({rs['hash'][:12]}): each answered yes / no / not known moved "
           f"one step, over {report.cases} cases ({report.child_protection} on a child protection route, "
           f"{report.tried} answers moved)")
    if report.flips:
        yield ""
        yield "Cases that leave child protection when one answer is read differently:"
        yield from (f"  {flip.text()}" for flip in report.flips)
    yield ""
    yield report.summary()
