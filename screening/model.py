"""The loaded rule set: frozen, typed, and never a raw dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from .conditions import Condition
from .language import LanguageEntry
from .timescale import Timescale

SOURCES = ("statute", "guidance", "local", "review")
QUESTION_TYPES = ("tristate", "count", "age", "choice", "choices", "text")
TRISTATE = ("yes", "no", "not_known")


@dataclass(frozen=True)
class Meta:
    id: str
    title: str
    version: str
    effective: str
    owner: str
    description: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    description: str
    rank: int


@dataclass(frozen=True)
class Route:
    id: str
    label: str
    description: str
    referrer_expects: str
    timescale: str
    child_protection: bool
    strategy_within: Timescale | None
    actions: tuple[str, ...]
    rank: int


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    contact: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: str
    label: str
    hint: str
    required: bool
    allow_not_known: bool
    min: int | None
    max: int | None
    window_days: int | None
    options: tuple[Option, ...]
    max_length: int
    ask_if: Condition | None
    reference: str


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    level: str
    text: str
    guidance: str
    examples: tuple[str, ...]
    min_age: int | None
    max_age: int | None
    recency: bool
    weight: tuple[float, float]
    reference: str

    type = "tristate"

    @property
    def label(self) -> str:
        return self.text


@dataclass(frozen=True)
class Score:
    id: str
    label: str
    description: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    id: str
    who: str
    what: str
    within: Timescale
    agencies: frozenset[str]
    min_route: str | None
    reference: str


@dataclass(frozen=True)
class Consequence:
    route: str | None
    level: str | None
    strategy_meeting: bool
    strategy_within: Timescale | None
    actions: tuple[str, ...]
    hard_trigger: bool


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    explanation: str
    when: Condition
    on_unknown: str
    then: Consequence
    source: str
    reference: str


@dataclass(frozen=True)
class Invitee:
    role: str
    why: str
    when: Condition | None


@dataclass(frozen=True)
class StrategyMeetingSpec:
    chair: str
    invitees: tuple[Invitee, ...]
    views_to_gather: tuple[str, ...]
    record: tuple[str, ...]
    action_fields: tuple[str, ...]


@dataclass(frozen=True)
class EscalationStep:
    stage: str
    who: str
    what: str
    within: str


@dataclass(frozen=True)
class RuleSet:
    """A validated rule set. `hash` is the SHA-256 of its source files; `sources` keeps their text."""

    meta: Meta
    levels: tuple[Level, ...]
    routes: tuple[Route, ...]
    sections: tuple[Section, ...]
    themes: tuple[Section, ...]
    agencies: tuple[Agency, ...]
    questions: tuple[Question, ...]
    indicators: tuple[Indicator, ...]
    scores: tuple[Score, ...]
    actions: Mapping[str, Action]
    rules: tuple[Rule, ...]
    strategy_meeting: StrategyMeetingSpec
    escalation: tuple[EscalationStep, ...]
    hash: str
    sources: tuple[tuple[str, str], ...]
    language: tuple[LanguageEntry, ...] = ()  # the victim-blaming language list, checked against free text

    @cached_property
    def facts(self) -> dict[str, Question | Indicator]:
        return {**{q.id: q for q in self.questions}, **{i.id: i for i in self.indicators}}

    @cached_property
    def fact_labels(self) -> dict[str, str]:
        return {fact_id: fact.label for fact_id, fact in self.facts.items()}

    @cached_property
    def route_by_id(self) -> dict[str, Route]:
        return {r.id: r for r in self.routes}

    @cached_property
    def level_by_id(self) -> dict[str, Level]:
        return {lv.id: lv for lv in self.levels}

    @cached_property
    def theme_titles(self) -> dict[str, str]:
        return {t.id: t.title for t in self.themes}

    @cached_property
    def indicators_by_theme_and_level(self) -> tuple[Indicator, ...]:
        """Indicators in theme order, the highest level first within a theme."""
        theme_order = {t.id: n for n, t in enumerate(self.themes)}
        return tuple(sorted(self.indicators, key=lambda i: (theme_order[i.theme], -self.level_by_id[i.level].rank)))

    @cached_property
    def agency_by_id(self) -> dict[str, Agency]:
        return {a.id: a for a in self.agencies}

    @property
    def short_hash(self) -> str:
        return self.hash[:12]
