"""The result of a screening: a recommendation with its trace, as plain data.

Plain slotted dataclasses (not frozen): an outcome is built once per evaluation and frozen dataclasses cost
four times as much to construct; nothing mutates an outcome after `evaluate` returns it, and stored outcomes
are JSON (see docs/adr/0002-outcome-records.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .conditions import Change
from .model import EscalationStep


@dataclass(slots=True)
class AnswerUsed:
    fact: str
    question: str
    answer: str


@dataclass(slots=True)
class Finding:
    """A rule that fired, the answers behind it and where it comes from."""

    rule: str
    description: str
    explanation: str
    route: str | None
    level: str | None
    hard_trigger: bool
    strategy_meeting: bool
    answers: tuple[AnswerUsed, ...]
    source: str
    reference: str
    fired_on_unknown: bool


@dataclass(slots=True)
class ActionItem:
    id: str
    who: str
    what: str
    within: str
    because: tuple[str, ...]


@dataclass(slots=True)
class Invite:
    role: str
    why: str


@dataclass(slots=True)
class StrategyMeeting:
    required: bool
    within: str
    chair: str
    invitees: tuple[Invite, ...]
    views_to_gather: tuple[str, ...]
    record: tuple[str, ...]
    action_fields: tuple[str, ...]
    because: tuple[str, ...]


@dataclass(slots=True)
class Gap:
    """A question answered 'not known' (or not answered) whose answer could raise the recommendation."""

    fact: str
    question: str
    rules: tuple[str, ...]
    could_raise_to: str


@dataclass(slots=True)
class Nearest:
    """The rule that did not fire which is closest to raising the route, and what would fire it."""

    rule: str
    description: str
    route: str | None
    level: str | None
    changes: tuple[Change, ...]


@dataclass(slots=True)
class PresentIndicator:
    id: str
    text: str
    theme: str
    theme_title: str
    level: str
    when: str


@dataclass(slots=True)
class Voice:
    """One of the child's own words or views, as recorded (`quote`: their words, shown as a quotation)."""

    question: str
    answer: str
    quote: bool


@dataclass(slots=True)
class Answered:
    """A question (not a sign) the practitioner answered, in words, for the referral."""

    fact: str
    question: str
    answer: str
    type: str
    purpose: str


@dataclass(slots=True)
class Step:
    """A route on the ladder of the rule set that produced the outcome, lowest first, with everything needed to
    show it as the decided route: what it means, what the referrer should expect, and its own next steps."""

    id: str
    label: str
    child_protection: bool = False
    referrer_expects: str = ""
    timescale: str = ""
    strategy_within: str = ""  # "" when the route itself needs no strategy meeting
    referral_asks: str = ""
    actions: tuple[ActionItem, ...] = ()
    response_within: str = ""  # when a decision on the referral is due ("" when the route expects no referral)


@dataclass(slots=True)
class ContactShown:
    name: str
    phone: str
    when: str


@dataclass(slots=True)
class LevelShown:
    """A risk level of the rule set that produced the outcome: its words and its tag."""

    id: str
    label: str
    short_label: str
    tag: str


@dataclass(slots=True)
class Seen:
    """An earlier screening behind a figure from the child's record: when it was completed, by which agency."""

    on: str  # ISO date
    agency: str


@dataclass(slots=True)
class FromRecord:
    """A history fact as the rules read it, and where it came from: the child's record, the practitioner, or both."""

    fact: str
    label: str
    kind: str  # Question.history.of
    recorded: object  # the record's figure (a count, or a route id; None or "" when it holds none)
    added: int | None  # the practitioner's figure: added to the record's, or beside it (highest_recorded)
    value: object  # what the rules read
    screenings: tuple[Seen, ...] = ()  # the earlier screenings behind the record's figure, oldest first
    agencies: tuple[str, ...] = ()  # for a count of agencies: their names, this screening's included
    window_days: int = 0


@dataclass(slots=True)
class RuleSetRef:
    id: str
    version: str
    hash: str


@dataclass(slots=True)
class Outcome:
    route: str
    route_label: str
    risk_level: str
    risk_level_label: str
    child_protection: bool
    referrer_expects: str
    route_timescale: str
    hard_triggers: tuple[str, ...]
    strategy_meeting: StrategyMeeting
    actions: tuple[ActionItem, ...]
    findings: tuple[Finding, ...]
    indicators: tuple[PresentIndicator, ...]
    information_gaps: tuple[Gap, ...]
    nearest: Nearest | None
    escalation: tuple[EscalationStep, ...]
    agency: str | None
    agency_name: str
    child_voice: tuple[Voice, ...]
    routes: tuple[Step, ...]
    levels: tuple[LevelShown, ...]
    ruleset: RuleSetRef
    contacts: tuple[ContactShown, ...] = ()
    signs_answered: int = 0  # indicators answered yes or no
    signs_total: int = 0
    referrer_is_lead: bool = False
    answered: tuple[Answered, ...] = ()
    nearby: tuple[Nearest, ...] = ()  # up to three rules that would raise the route, closest first (`nearest`)
    from_record: tuple[FromRecord, ...] = ()  # history facts filled from the child's record (a linked screening)
    linked: bool = False  # evaluated with a child record (history from the system), or the practitioner's alone

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)

    def route_label_of(self, route_id: str | None) -> str:
        """The label the producing rule set gave a route (findings, gaps and decisions name routes by id)."""
        return next((r.label for r in self.routes if r.id == route_id), route_id or "")

    def step_of(self, route_id: str | None) -> Step:
        """The producing ladder's step for a route."""
        return next((r for r in self.routes if r.id == route_id), Step(route_id or "", route_id or ""))

    def rank_of(self, route_id: str | None) -> int:
        """A route's place on the producing ladder (-1 for none)."""
        return next((n for n, r in enumerate(self.routes) if r.id == route_id), -1)

    @property
    def too_little_known(self) -> bool:
        """Nothing raised the route above the lowest and most signs are not known: no recommendation yet."""
        lowest = bool(self.routes) and self.route == self.routes[0].id
        return lowest and self.signs_answered * 2 < self.signs_total

    def level_of(self, level_id: str | None) -> LevelShown:
        """The producing rule set's words and tag for a level."""
        found = next((lv for lv in self.levels if lv.id == level_id), None)
        return found or LevelShown(level_id or "", level_id or "", level_id or "", "not-known")


def outcome_from_dict(data: dict[str, Any]) -> Outcome:
    """Rebuild a stored outcome (from `Outcome.to_dict()`) exactly as it was produced."""
    sm = data["strategy_meeting"]
    nearest = data.get("nearest")
    return Outcome(**{
        **data,
        "hard_triggers": tuple(data["hard_triggers"]),
        "strategy_meeting": StrategyMeeting(**{**sm, "invitees": tuple(Invite(**i) for i in sm["invitees"]),
                                               **{k: tuple(sm[k]) for k in ("views_to_gather", "record",
                                                                            "action_fields", "because")}}),
        "actions": tuple(ActionItem(**{**a, "because": tuple(a["because"])}) for a in data["actions"]),
        "findings": tuple(Finding(**{**f, "answers": tuple(AnswerUsed(**a) for a in f["answers"])})
                          for f in data["findings"]),
        "indicators": tuple(PresentIndicator(**i) for i in data["indicators"]),
        "information_gaps": tuple(Gap(**{**g, "rules": tuple(g["rules"])}) for g in data["information_gaps"]),
        "nearest": Nearest(**{**nearest, "changes": tuple(Change(**c) for c in nearest["changes"])})
        if nearest else None,
        "escalation": tuple(EscalationStep(**e) for e in data["escalation"]),
        "child_voice": tuple(Voice(**v) for v in data["child_voice"]),
        "routes": tuple(Step(**{**r, "actions": tuple(ActionItem(**{**a, "because": tuple(a["because"])})
                                                      for a in r.get("actions", ()))}) for r in data["routes"]),
        "contacts": tuple(ContactShown(**c) for c in data.get("contacts", ())),
        "answered": tuple(Answered(**a) for a in data.get("answered", ())),
        "nearby": tuple(Nearest(**{**n, "changes": tuple(Change(**c) for c in n["changes"])})
                        for n in data.get("nearby", ())),
        "levels": tuple(LevelShown(**lv) for lv in data["levels"]),
        "from_record": tuple(FromRecord(**{**f, "screenings": tuple(Seen(**x) for x in f["screenings"]),
                                           "agencies": tuple(f["agencies"])}) for f in data.get("from_record", ())),
        "ruleset": RuleSetRef(**data["ruleset"]),
    })
