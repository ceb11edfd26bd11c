"""The loaded rule set: frozen, typed, and never a raw dict."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from .compiled import Program, RuleShape, compile_conditions
from .conditions import Condition
from .language import LanguageEntry, Phrase
from .question_types import QUESTION_TYPES, QuestionType, numeric_range
from .timescale import Timescale
from .words import N_

LEAD_ACTION = "consult_safeguarding_lead"  # the fail-safe action for anything the engine cannot decide
CHILD_VOICE = "child_voice"  # a section's purpose: the child's own words and views, shown first on every outcome
CHILD_REFERENCE = "child_reference"  # a question's purpose: the practitioner's own label for the child
REFERRER_CONCERN = "referrer_concern"  # a question's purpose: what the practitioner is worried about, in their words
SOURCE_KINDS = {"statute": N_("statute"), "guidance": N_("guidance"), "local": N_("local"), "review": N_("review")}
# a rule's `source`: where it comes from, as shown beside it (gettext the words where shown)
TIPPING_OFF_RISK = "tipping_off_risk"  # a yes/no question's purpose: telling the family could increase the risk
NONE_OPTION = "none"  # the exclusive "none of these" option a choices question may offer (`none_option`)
IMMEDIATE_DANGER = "immediate_danger"  # a theme's purpose: any sign present means call 999 now


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
    """A traffic-light level. `short_label` names it in a tag ("Red"); `tag` is its place on the scale
    (low, medium or high), for the tag's style: colour is never the only signal."""

    id: str
    label: str
    short_label: str
    description: str
    rank: int
    tag: str


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
    referral_asks: str = ""  # what a referral on this route asks the receiving agency for
    response_within: Timescale | None = None  # when children's social care should have decided on a referral


@dataclass(frozen=True)
class Section:
    """A section of the form (one page) or an indicator theme. A section may show whole themes (`themes`) as
    "which of these have you seen?" groups; a theme's `purpose` may be IMMEDIATE_DANGER."""

    id: str
    title: str
    description: str
    purpose: str = ""  # CHILD_VOICE for a section, IMMEDIATE_DANGER for a theme, or ""
    themes: tuple[str, ...] = ()
    question: str = ""  # a theme's opening question ("Has the child gone missing…?"): its signs open under yes

    @property
    def asks(self) -> str:
        """A theme's opening question, in the rule set's words or made from its title."""
        return self.question or f"Have you seen or been told of anything under '{self.title}'?"


PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")  # a bracketed part, "[MASH phone number]": to be filled in locally


@dataclass(frozen=True)
class Contact:
    """Someone to call, from the rule set's contacts: shown when the child is in danger and on every outcome."""

    name: str
    phone: str
    when: str

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The parts not configured yet: "phone" and/or "name" where that part holds text in square brackets,
        wholly ("[MASH phone number]") or partly ("0300 [number]"). The one test, used by the compiler's warning,
        the production seed and every page that shows a contact (stored ones too)."""
        return tuple(part for part in ("phone", "name") if PLACEHOLDER.search(getattr(self, part)))

    @property
    def placeholder(self) -> bool:
        """Whether any part is still a placeholder: never shown to a practitioner as it is written."""
        return bool(self.placeholders)


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
class History:
    """A fact the system fills from the child's stored screenings made within `window_days` (see history.py).

    earlier_screenings, agencies (this screening's included) and screenings_with (any of `facts` answered yes)
    are counts the practitioner can add to (`added_label` asks for what the record does not show);
    highest_recorded is the highest count recorded for this same fact, or the practitioner's if higher;
    highest_route is the highest route recommended or decided, from the record alone."""

    of: str  # a kind of history.HISTORY_KINDS
    window_days: int
    facts: tuple[str, ...] = ()
    added_label: str = ""


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
    purpose: str = ""  # CHILD_REFERENCE, REFERRER_CONCERN, TIPPING_OFF_RISK, or "" for an ordinary question
    theme: str = ""  # shown inside this theme's group, on the page of the section that shows the theme
    short_label: str = ""  # a few words naming the answer where space is short (the referral)
    history: History | None = None  # filled from the child's record when the screening is linked to one
    quotes_child: bool = False  # a text answer that is the child's own words, quoted as theirs; any other is not

    @property
    def kind(self) -> QuestionType:
        """What its type means (question_types.py)."""
        return QUESTION_TYPES[self.type]


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    level: str
    text: str
    guidance: str
    examples: tuple[str, ...]
    recency: bool
    weight: tuple[float, float, float]  # recent, earlier, both
    reference: str
    phrases: tuple[Phrase, ...] = ()  # words a practitioner might write that suggest it (never answer it)
    ages: tuple[int, int] | None = None  # the ages it can apply at (from, to); None: any age

    type = "tristate"
    kind: ClassVar[QuestionType] = QUESTION_TYPES[type]
    options: ClassVar[tuple[Option, ...]] = ()  # an indicator is answered yes, no or not known
    max_length: ClassVar[int] = 0

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
class SocialCareDecision:
    """What children's social care may decide on a referral (the rule set's `social_care_decisions`), in its words,
    with the route of the ladder it corresponds to: a decision whose route is below the route that counts is flagged
    for challenge. `route` is "" for a decision that is not compared (a child already open to children's social
    care, passed to the allocated worker)."""

    id: str
    label: str
    route: str = ""


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
    contacts: tuple[Contact, ...] = ()
    warnings: tuple[Any, ...] = ()  # located RuleErrors that did not stop it loading (shown by validate and upload)
    indicator_levels: tuple[Level, ...] = ()  # classes for indicators when they differ from the outcome's levels
    social_care_decisions: tuple[SocialCareDecision, ...] = ()  # what the MASH records; () offers the ladder's routes
    text_language: str = "en"  # the language of its texts (see in_language)
    languages: Mapping[str, RuleSet] = field(default_factory=dict, compare=False, repr=False)

    def in_language(self, code: str) -> RuleSet:
        """The same rules with their texts in language `code` ("cy") where a translation is given and up to date,
        English elsewhere; the English set for "en" or a language it has no texts in. Built when loaded."""
        return self.languages.get(code) or self.languages.get("en") or self

    @cached_property
    def indicator_level_by_id(self) -> dict[str, Level]:
        """The levels indicators are classed by: `indicator_levels` when given, else the outcome levels."""
        return {lv.id: lv for lv in self.indicator_levels} or self.level_by_id

    @cached_property
    def child_age_ids(self) -> tuple[str, ...]:
        """The questions that give the child's age."""
        return tuple(q.id for q in self.questions if q.kind.child_age)

    def outside_ages(self, fact_id: str, values: Mapping[str, object]) -> bool:
        """Is `fact_id` a sign limited to ages (`ages`) that the child's known age is outside? Such a sign is not
        asked, not a gap, and not what would change the route for this child."""
        fact = self.facts.get(fact_id)
        ages = fact.ages if isinstance(fact, Indicator) else None
        age = next((v for q in self.child_age_ids if isinstance(v := values.get(q), int)), None)
        return ages is not None and age is not None and not ages[0] <= age <= ages[1]

    @cached_property
    def same_for_every_child(self) -> frozenset[str]:
        """Rules that read nothing but immediate-danger signs (and age): they would raise any child's route, so they
        are never "what would change it" for one child (the outcome says so plainly instead)."""
        ignored = set(self.child_age_ids)
        return frozenset(r.id for r in self.rules if (read := r.when.fact_ids() - ignored)
                         and read <= self.danger_indicators)

    @cached_property
    def danger_indicators(self) -> frozenset[str]:
        """Indicators of an IMMEDIATE_DANGER theme: any one answered yes means call 999 now."""
        themes = {t.id for t in self.themes if t.purpose == IMMEDIATE_DANGER}
        return frozenset(i.id for i in self.indicators if i.theme in themes)

    @cached_property
    def facts(self) -> dict[str, Question | Indicator]:
        return {**{q.id: q for q in self.questions}, **{i.id: i for i in self.indicators}}

    @cached_property
    def program(self) -> Program:
        """The rules' and invitees' conditions compiled into Python (compiled.py), once per rule set."""
        routes, levels = self.route_by_id, self.level_by_id
        shapes = tuple(RuleShape(r.when, routes[r.then.route].rank if r.then.route else 0,
                                 levels[r.then.level].rank if r.then.level else 0, r.on_unknown == "fire")
                       for r in self.rules)
        return compile_conditions(shapes, tuple(i.when for i in self.strategy_meeting.invitees), self.tristate_ids,
                                  frozenset(self.facts))

    @cached_property
    def indicator_ids(self) -> frozenset[str]:
        return frozenset(i.id for i in self.indicators)

    @cached_property
    def indicator_order(self) -> dict[str, int]:
        """An indicator's place in theme order, the highest level first within a theme."""
        return {i.id: n for n, i in enumerate(self.indicators_by_theme_and_level)}

    @cached_property
    def voice_questions(self) -> tuple[Question, ...]:
        """The child's own words and views: the questions of CHILD_VOICE sections, less the practitioner's notes
        there (free words that do not quote the child)."""
        sections = {s.id for s in self.sections if s.purpose == CHILD_VOICE}
        return tuple(q for q in self.questions if q.section in sections and (q.quotes_child or not q.kind.quoted))

    @cached_property
    def questions_asked(self) -> tuple[tuple[object, ...], ...]:
        """What decides which answers are accepted and what they mean: two rule sets with the same check any
        answers alike."""
        return tuple((f.id, f.type, getattr(f, "min", None), getattr(f, "max", None),
                      getattr(f, "allow_not_known", True), getattr(f, "max_length", 0),
                      tuple(o.id for o in f.options), getattr(f, "recency", False)) for f in self.facts.values())

    @cached_property
    def plain_answers(self) -> dict[str, frozenset[str]]:
        """The words each fact takes as they are: yes and no for a sign, an option's id for a choice."""
        found = {f.id: f.kind.plain(f) for f in self.facts.values()}
        return {fact_id: words for fact_id, words in found.items() if words}

    @cached_property
    def number_ranges(self) -> dict[str, tuple[int, int]]:
        """The allowed answers of each count and age question."""
        return {q.id: numeric_range(q) for q in self.questions if q.kind.numeric}

    @cached_property
    def not_known_allowed(self) -> frozenset[str]:
        return frozenset(f.id for f in self.facts.values() if getattr(f, "allow_not_known", True))

    @cached_property
    def tristate_ids(self) -> frozenset[str]:
        """The facts answered yes, no or not known."""
        return frozenset(f.id for f in self.facts.values() if f.kind.yes_no)

    @cached_property
    def history_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.history is not None)

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
        ranks = self.indicator_level_by_id
        return tuple(sorted(self.indicators, key=lambda i: (theme_order[i.theme], -ranks[i.level].rank)))

    @cached_property
    def agency_by_id(self) -> dict[str, Agency]:
        return {a.id: a for a in self.agencies}

    @property
    def short_hash(self) -> str:
        return self.hash[:12]
