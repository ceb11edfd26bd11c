"""The result of a screening: a recommendation with its trace, as plain data.

Plain slotted dataclasses (not frozen): an outcome is built once per evaluation and frozen dataclasses cost
four times as much to construct. Nothing mutates an outcome after `evaluate` returns it, and the engine shares
parts (an answer used, a finding) between outcomes that have them in common, so nothing may. Stored outcomes are
JSON (see docs/adr/0002-outcome-records.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answers import NOT_KNOWN_WORDS
from .conditions import Change
from .model import EscalationStep
from .question_types import YES_WORDS


@dataclass(slots=True)
class AnswerUsed:
    fact: str
    question: str
    answer: str

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "question": self.question,
                "answer": self.answer}


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

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "description": self.description,
                "explanation": self.explanation, "route": self.route, "level": self.level,
                "hard_trigger": self.hard_trigger, "strategy_meeting": self.strategy_meeting,
                "answers": tuple([x.to_dict() for x in self.answers]), "source": self.source,
                "reference": self.reference, "fired_on_unknown": self.fired_on_unknown}


@dataclass(slots=True)
class ActionItem:
    id: str
    who: str
    what: str
    within: str
    because: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "who": self.who, "what": self.what,
                "within": self.within, "because": self.because}


@dataclass(slots=True)
class Invite:
    role: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "why": self.why}


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

    def to_dict(self) -> dict[str, Any]:
        return {"required": self.required, "within": self.within,
                "chair": self.chair, "invitees": tuple([x.to_dict() for x in self.invitees]),
                "views_to_gather": self.views_to_gather, "record": self.record, "action_fields": self.action_fields,
                "because": self.because}


@dataclass(slots=True)
class Gap:
    """A question answered 'not known' (or not answered) whose answer could raise the recommendation."""

    fact: str
    question: str
    rules: tuple[str, ...]
    could_raise_to: str

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "question": self.question,
                "rules": self.rules, "could_raise_to": self.could_raise_to}


@dataclass(slots=True)
class Nearest:
    """The rule that did not fire which is closest to raising the route, and what would fire it."""

    rule: str
    description: str
    route: str | None
    level: str | None
    changes: tuple[Change, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "description": self.description,
                "route": self.route, "level": self.level, "changes": tuple([_change(x) for x in self.changes])}


@dataclass(slots=True)
class PresentIndicator:
    id: str
    text: str
    theme: str
    theme_title: str
    level: str
    when: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "theme": self.theme,
                "theme_title": self.theme_title, "level": self.level, "when": self.when}


@dataclass(slots=True)
class Voice:
    """One of the child's own words or views, as recorded (`quote`: their words, shown as a quotation)."""

    question: str
    answer: str
    quote: bool
    fact: str = ""  # the question's id ("" in outcomes stored before it was kept)

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.answer, "quote": self.quote, "fact": self.fact}


@dataclass(slots=True)
class Answered:
    """A question (not a sign) the practitioner answered, in words, for the referral."""

    fact: str
    question: str
    answer: str
    type: str
    purpose: str
    quotes_child: bool | None = None  # free words: the child's own (True) or the practitioner's; None: stored before
    known: bool | None = None  # answered other than "not known"; None: stored before (English words, read as such)
    said_yes: bool | None = None  # answered yes; None: stored before

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "question": self.question, "answer": self.answer, "type": self.type,
                "purpose": self.purpose, "quotes_child": self.quotes_child, "known": self.known,
                "said_yes": self.said_yes}

    @property
    def is_yes(self) -> bool:
        """Answered yes: from the answer itself, never its words (which differ by language); before these were
        stored, from the words, which were English."""
        return self.said_yes if self.said_yes is not None else self.answer == YES_WORDS

    @property
    def is_known(self) -> bool:
        """Answered other than "not known" (as `is_yes`, never read from the words of a translated outcome)."""
        return self.known if self.known is not None else self.answer != NOT_KNOWN_WORDS


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

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label,
                "child_protection": self.child_protection, "referrer_expects": self.referrer_expects,
                "timescale": self.timescale, "strategy_within": self.strategy_within,
                "referral_asks": self.referral_asks, "actions": tuple([x.to_dict() for x in self.actions]),
                "response_within": self.response_within}


@dataclass(slots=True)
class ContactShown:
    name: str
    phone: str
    when: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "phone": self.phone, "when": self.when}


@dataclass(slots=True)
class LevelShown:
    """A risk level of the rule set that produced the outcome: its words and its tag."""

    id: str
    label: str
    short_label: str
    tag: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label,
                "short_label": self.short_label, "tag": self.tag}


@dataclass(slots=True)
class Seen:
    """An earlier screening behind a figure from the child's record: when it was completed, by which agency."""

    on: str  # ISO date
    agency: str

    def to_dict(self) -> dict[str, Any]:
        return {"on": self.on, "agency": self.agency}


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

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "label": self.label, "kind": self.kind,
                "recorded": self.recorded, "added": self.added, "value": self.value,
                "screenings": tuple([x.to_dict() for x in self.screenings]), "agencies": self.agencies,
                "window_days": self.window_days}


@dataclass(slots=True)
class RuleSetRef:
    id: str
    version: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "hash": self.hash}


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
    language: str = "en"  # the language of its words (the rule set's texts and the core's); stored before: English

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (what `dataclasses.asdict` gives, written out: it is a twentieth of the time)."""
        return {
            "route": self.route, "route_label": self.route_label, "risk_level": self.risk_level,
            "risk_level_label": self.risk_level_label, "child_protection": self.child_protection,
            "referrer_expects": self.referrer_expects, "route_timescale": self.route_timescale,
            "hard_triggers": self.hard_triggers, "strategy_meeting": self.strategy_meeting.to_dict(),
            "actions": tuple([a.to_dict() for a in self.actions]),
            "findings": tuple([f.to_dict() for f in self.findings]),
            "indicators": tuple([i.to_dict() for i in self.indicators]),
            "information_gaps": tuple([g.to_dict() for g in self.information_gaps]),
            "nearest": self.nearest.to_dict() if self.nearest else None,
            "escalation": tuple([_escalation(e) for e in self.escalation]), "agency": self.agency,
            "agency_name": self.agency_name, "child_voice": tuple([v.to_dict() for v in self.child_voice]),
            "routes": tuple([r.to_dict() for r in self.routes]), "levels": tuple([lv.to_dict() for lv in self.levels]),
            "ruleset": self.ruleset.to_dict(), "contacts": tuple([c.to_dict() for c in self.contacts]),
            "signs_answered": self.signs_answered, "signs_total": self.signs_total,
            "referrer_is_lead": self.referrer_is_lead, "answered": tuple([a.to_dict() for a in self.answered]),
            "nearby": tuple([n.to_dict() for n in self.nearby]),
            "from_record": tuple([f.to_dict() for f in self.from_record]), "linked": self.linked,
            "language": self.language,
        }

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


def _change(change: Change) -> dict[str, Any]:
    return {"fact": change.fact, "requirement": change.requirement, "currently": change.currently}


def _escalation(step: EscalationStep) -> dict[str, Any]:
    return {"stage": step.stage, "who": step.who, "what": step.what, "within": step.within}


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
