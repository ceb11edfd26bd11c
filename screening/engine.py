"""Evaluate a rule set against answers, with the rule set's conditions compiled to Python (compiled.py).

Every rule only sets minimums, so the route is the highest minimum among fired rules and can never be lowered by
a rule. A rule left undecided by 'not known' answers either fires (on_unknown: fire) or becomes an information
gap that sends the practitioner to their safeguarding lead, never a silent 'no'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from string import Formatter
from typing import TypeVar

from . import words
from .answers import answer_words, facts_from_answers
from .compiled import FALSE, NOT_KNOWN, TRUE
from .conditions import All, AnyOf, Condition, Facts, Tally, show
from .errors import AnswerProblem, AnswersInvalid
from .history import ChildRecord, from_record
from .model import LEAD_ACTION, Action, Indicator, Route, RuleSet
from .outcome import (
    ActionItem,
    Answered,
    AnswerUsed,
    ContactShown,
    Finding,
    FromRecord,
    Gap,
    Invite,
    LevelShown,
    Nearest,
    Outcome,
    PresentIndicator,
    RuleSetRef,
    Step,
    StrategyMeeting,
    Voice,
)
from .timescale import Timescale


def evaluate(ruleset: RuleSet, answers: Mapping[str, object], agency: str | None = None,
             referrer_is_lead: bool = False, record: ChildRecord | None = None) -> Outcome:
    """Recommend a route for `answers` (question id -> answer) given by a practitioner from `agency`; a referrer
    who is their agency's safeguarding lead is not told to consult their safeguarding lead. With the child's
    `record`, history questions take the system's figures too (history.py). The outcome's words are all in the
    rule set's language: its own texts, and the core's (words.py) in the same language."""
    with words.speaking(ruleset.text_language):
        return _run(ruleset, answers, agency, referrer_is_lead, record).outcome()


def evaluate_in_each_language(ruleset: RuleSet, answers: Mapping[str, object], agency: str | None = None,
                              referrer_is_lead: bool = False, record: ChildRecord | None = None
                              ) -> dict[str, Outcome]:
    """One recommendation said in English and in each language the rule set carries texts in (`in_language`),
    by language code: the same rules on the same answers, so the same decision in each one's words."""
    english = ruleset.in_language("en")
    checked = facts_from_answers(english, answers)  # once: the languages ask the same questions
    said = {}
    for code in ["en", *sorted(code for code in ruleset.languages if code != "en")]:
        shown_in = english.in_language(code)
        with words.speaking(code):  # the record's figures and agencies said in each language too
            said[code] = _run(shown_in, answers, agency, referrer_is_lead, record and record.named_in(shown_in),
                              checked).outcome()
    return said


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The recommendation alone: route, level, the rules that fired and whether a strategy meeting is needed."""

    route: str
    level: str
    fired: tuple[str, ...]
    strategy_meeting: bool


def decide(ruleset: RuleSet, answers: Mapping[str, object], agency: str | None = None,
           record: ChildRecord | None = None, checked: Facts | None = None) -> Recommendation:
    """What `evaluate` recommends, without the rationale: several times faster, for impact comparisons.
    `checked`: the same answers already checked against a rule set that asks the same questions
    (RuleSet.questions_asked), so that two rule sets compared need check them only once."""
    run = _run(ruleset, answers, agency, record=record, checked=checked)
    return Recommendation(run.route.id, run.level.id, run.fired_ids(), bool(run.meeting_reasons))


def _run(ruleset: RuleSet, answers: Mapping[str, object], agency: str | None,
         referrer_is_lead: bool = False, record: ChildRecord | None = None, checked: Facts | None = None
         ) -> _Evaluation:
    facts = facts_from_answers(ruleset, answers) if checked is None else checked
    if agency is not None and agency not in ruleset.agency_by_id:
        raise AnswersInvalid([AnswerProblem("agency", f"unknown agency '{agency}'")])
    shown: tuple[FromRecord, ...] = ()
    if record is not None:
        filled, shown = from_record(ruleset, record, facts.values, agency)
        facts = Facts.of({**facts.values, **filled}, facts.when)
    return _Evaluation(ruleset, facts, agency, referrer_is_lead, shown, record is not None)


_Ladder = tuple[tuple[Step, ...], tuple[LevelShown, ...], tuple[ContactShown, ...]]
_LADDERS: dict[tuple[str, str, str | None, bool], _Ladder] = {}  # by rule set, its language, referrer


def ladder(ruleset: RuleSet, agency: str | None, referrer_is_lead: bool = False) -> _Ladder:
    """The producing rule set's routes (each with its own next steps for this referrer), levels and contacts,
    stored with every outcome so that it renders as produced and a decided route can be shown in full."""
    key = (ruleset.hash, ruleset.text_language, agency, referrer_is_lead)
    if key not in _LADDERS:
        steps = tuple(Step(r.id, r.label, r.child_protection, r.referrer_expects, r.timescale,
                           str(r.strategy_within or ""), r.referral_asks,
                           _action_items(ruleset, r, _route_wants(ruleset, r, agency), agency, referrer_is_lead),
                           str(r.response_within or ""))
                      for r in ruleset.routes)
        levels = tuple(LevelShown(lv.id, lv.label, lv.short_label, lv.tag)
                       for lv in (*ruleset.levels, *ruleset.indicator_levels))
        contacts = tuple(ContactShown(c.name, c.phone, c.when) for c in ruleset.contacts)
        _LADDERS[key] = (steps, levels, contacts)
    return _LADDERS[key]


def _route_wants(ruleset: RuleSet, route: Route, agency: str | None) -> dict[str, list[str]]:
    """The actions a route and the referrer's agency ask for, each with why."""
    wanted: dict[str, list[str]] = {}
    for action_id in route.actions:
        wanted.setdefault(action_id, []).append(f"route:{route.id}")
    found = ruleset.agency_by_id.get(agency or "")
    for action_id in found.actions if found else ():
        wanted.setdefault(action_id, []).append(f"agency:{found.id}")  # type: ignore[union-attr]
    return wanted


def _action_items(ruleset: RuleSet, route: Route, wanted: dict[str, list[str]], agency: str | None,
                  referrer_is_lead: bool) -> tuple[ActionItem, ...]:
    """The wanted actions that apply on `route` for this referrer, most urgent first; within the same timescale,
    the route's own order (so 'call 999' stays first among things to do now), then the order they were wanted."""
    def applies(action: Action) -> bool:
        if referrer_is_lead and action.id == LEAD_ACTION:
            return False
        if action.agencies and agency not in action.agencies:
            return False
        minimum = ruleset.route_by_id.get(action.min_route or "")
        return minimum is None or route.rank >= minimum.rank
    order = {a: n for n, a in enumerate(route.actions)}
    chosen = [ruleset.actions[a] for a in wanted if applies(ruleset.actions[a])]
    chosen.sort(key=lambda a: (a.within.hours, order.get(a.id, len(order))))
    return tuple(ActionItem(a.id, a.who, a.what, str(a.within), tuple(wanted[a.id])) for a in chosen)


@dataclass(frozen=True)
class _Plan:
    """What the engine needs of each rule, by the rule's place in the rule set, worked out once per rule set."""

    route_rank: tuple[int, ...]  # of the route it asks for (0 when it asks for none: the lowest)
    level_rank: tuple[int, ...]
    asks_route: tuple[bool, ...]
    meeting: tuple[bool, ...]
    fires_on_unknown: tuple[bool, ...]
    fact_ids: tuple[frozenset[str], ...]
    counts_read: tuple[tuple[str, ...], ...]  # the count questions a rule reads
    above: tuple[tuple[int, ...], ...]  # by route rank: the rules asking for a higher route
    ref: RuleSetRef
    explanations: tuple[tuple[tuple[str, str | None], ...] | None, ...]  # (text, then a fact's answer) parts
    read_directly: tuple[frozenset[str], ...]  # the facts a rule reads other than through a count or score
    tallies: tuple[tuple[Tally, ...], ...]  # the counts and scores a rule reads
    memo: dict[object, object]  # parts of outcomes already built, shared between outcomes (never mutated)


_PLANS: dict[tuple[str, str], _Plan] = {}  # by rule set and the language of its words
_MEMO_LIMIT = 50_000  # parts kept per rule set before the memo starts again


def _plan(ruleset: RuleSet) -> _Plan:
    key = (ruleset.hash, ruleset.text_language)
    found = _PLANS.get(key)
    if found is None:
        routes, levels, rules = ruleset.route_by_id, ruleset.level_by_id, ruleset.rules
        found = _PLANS[key] = _Plan(
            tuple(routes[r.then.route].rank if r.then.route else 0 for r in rules),
            tuple(levels[r.then.level].rank if r.then.level else 0 for r in rules),
            tuple(bool(r.then.route) for r in rules), tuple(r.then.strategy_meeting for r in rules),
            tuple(r.on_unknown == "fire" for r in rules), tuple(frozenset(r.when.fact_ids()) for r in rules),
            tuple(tuple(f for f in sorted(r.when.fact_ids()) if ruleset.facts[f].kind.grows) for r in rules),
            tuple(tuple(n for n, r in enumerate(rules) if r.then.route and routes[r.then.route].rank > rank)
                  for rank in range(len(ruleset.routes))),
            RuleSetRef(ruleset.meta.id, ruleset.meta.version, ruleset.hash),
            tuple(_explanation_parts(r.explanation) for r in rules),
            tuple(frozenset(_direct_reads(r.when)) for r in rules), tuple(tuple(_tallies(r.when)) for r in rules), {})
    if len(found.memo) > _MEMO_LIMIT:
        found.memo.clear()
    return found


def _tallies(condition: Condition) -> Iterator[Tally]:
    if isinstance(condition, Tally):
        yield condition
    elif isinstance(condition, All | AnyOf):
        for part in condition.parts:
            yield from _tallies(part)


def _direct_reads(condition: Condition) -> set[str]:
    """The facts `condition` reads other than through a count or score (all of them, under a `not`)."""
    if isinstance(condition, Tally):
        return set()
    if isinstance(condition, All | AnyOf):
        return set().union(*(_direct_reads(p) for p in condition.parts))
    return condition.fact_ids()


def _explanation_parts(explanation: str) -> tuple[tuple[str, str | None], ...] | None:
    """An explanation as (text, fact id or None) parts, or None when it uses more of str.format than {fact}."""
    parts = tuple(Formatter().parse(explanation))
    if any(spec or conversion or (field is not None and not field.isidentifier())
           for _, field, spec, conversion in parts):
        return None
    return tuple((text, field) for text, field, _, _ in parts)


class _Evaluation:
    """One evaluation over the compiled rule set (compiled.py): which rules fired, and the outcome with its trace."""

    def __init__(self, ruleset: RuleSet, facts: Facts, agency: str | None, referrer_is_lead: bool,
                 from_record: tuple[FromRecord, ...] = (), linked: bool = False):
        self.rs, self.facts, self.agency, self.referrer_is_lead = ruleset, facts, agency, referrer_is_lead
        self.from_record, self.linked = from_record, linked
        self.program, self.plan = ruleset.program, _plan(ruleset)
        self.state = (facts.values, facts.yes, facts.known, facts.when)
        # fired: (rule's place, fired only because of unknowns)
        self.fired, self.undecided, route, level = self.program.classify(*self.state)
        self.route, self.level = ruleset.routes[route], ruleset.levels[level]
        self.meeting_reasons = self._meeting_reasons()

    def fired_ids(self) -> tuple[str, ...]:
        rules = self.rs.rules
        return tuple(rules[n].id for n, _ in self.fired)

    def outcome(self) -> Outcome:
        rs, route, level, fired = self.rs, self.route, self.level, self.fired
        gaps, nearby = self._gaps(), self._nearby()
        routes, levels, contacts = ladder(rs, self.agency, self.referrer_is_lead)
        agency = rs.agency_by_id.get(self.agency or "")
        rules = rs.rules
        return Outcome(  # in field order: positional arguments cost less than 29 keywords
            route.id, route.label, level.id, level.label, route.child_protection, route.referrer_expects,
            route.timescale, tuple([rules[n].id for n, _ in fired if rules[n].then.hard_trigger]),
            self._strategy_meeting(), self._actions(bool(gaps)),
            tuple([self._finding(n, on_unknown) for n, on_unknown in fired]), self._indicators(), gaps,
            nearby[0] if nearby else None, rs.escalation, self.agency, agency.name if agency else "",
            self._child_voice(), routes, levels, self.plan.ref, contacts, len(rs.indicator_ids & self.facts.known),
            len(rs.indicators), self.referrer_is_lead, self._answered(), nearby, self.from_record, self.linked,
            rs.text_language)

    def _memo(self, key: object, make: Callable[[], _T]) -> _T:
        """A part of the outcome built from `key` alone: built once, then shared."""
        memo = self.plan.memo
        found = memo.get(key)
        if found is None:
            found = memo[key] = make()
        return found  # type: ignore[return-value]

    def _answered(self) -> tuple[Answered, ...]:
        """The questions answered, in words; each (question, answer) built once and shared, except free text: the
        child's or the practitioner's own words are never kept."""
        values, memo = self.facts.values, self.plan.memo
        found = []
        for q in self.rs.questions:
            if q.id in values:
                key = (Answered, q.id, values[q.id])
                item = memo.get(key) if not q.kind.quoted else None
                if item is None:
                    value = values[q.id]
                    item = Answered(q.id, q.short_label or q.label, answer_words(q, value), q.type, q.purpose,
                                    q.quotes_child, value is not None, value == "yes")
                    if not q.kind.quoted:
                        memo[key] = item
                found.append(item)
        return tuple(found)  # type: ignore[arg-type]

    def _child_voice(self) -> tuple[Voice, ...]:
        values = self.facts.values
        return tuple(Voice(q.label, answer_words(q, values[q.id]), q.quotes_child, q.id)
                     for q in self.rs.voice_questions if q.id in values)

    def _raises(self, n: int) -> bool:
        """Would rule `n`, if it fired, raise the route or level, or add a strategy meeting?"""
        plan = self.plan
        return (plan.asks_route[n] and plan.route_rank[n] > self.route.rank) or plan.level_rank[n] > self.level.rank \
            or (plan.meeting[n] and not self.meeting_reasons)

    def _answers(self, used: tuple[str, ...]) -> tuple[AnswerUsed, ...]:
        """The answers behind a finding, each built once for each (fact, answer, when) and then shared."""
        memo, values, when = self.plan.memo, self.facts.values, self.facts.when
        found = []
        for fact_id in used:
            key = (fact_id, values.get(fact_id), when.get(fact_id))
            answer = memo.get(key)
            if answer is None:
                text = show(key[1])
                answer = memo[key] = AnswerUsed(fact_id, self.rs.fact_labels[fact_id],
                                                f"{text} ({key[2]})" if key[2] else text)
            found.append(answer)
        return tuple(found)  # type: ignore[arg-type]

    def _finding(self, n: int, on_unknown: bool) -> Finding:
        program = self.program
        if on_unknown:
            used = tuple(dict.fromkeys(program.unknowns[n](*self.state)))
        else:
            evidence = program.evidence[n]
            used = evidence if isinstance(evidence, tuple) else tuple(dict.fromkeys(evidence(*self.state)))
        rule = self.rs.rules[n]
        then = rule.then
        return Finding(rule.id, rule.description, self._explanation(n, rule.explanation) if rule.explanation else "",
                       then.route, then.level, then.hard_trigger, then.strategy_meeting, self._answers(used),
                       rule.source, rule.reference, on_unknown)

    def _explanation(self, n: int, explanation: str) -> str:
        """The rule's explanation with each {fact} as the answer reads."""
        parts, values = self.plan.explanations[n], self.facts.values
        if parts is None:
            return explanation.format_map(_AnswerText(self.facts))
        return "".join([text + show(values.get(field)) if field is not None else text for text, field in parts])

    def _meeting_reasons(self) -> list[tuple[str, Timescale | None]]:
        rules = self.rs.rules
        reasons: list[tuple[str, Timescale | None]] = [
            (rules[n].id, rules[n].then.strategy_within) for n, _ in self.fired if self.plan.meeting[n]]
        if self.route.strategy_within:
            reasons.append((f"route:{self.route.id}", self.route.strategy_within))
        return reasons

    def _strategy_meeting(self) -> StrategyMeeting:
        spec, reasons, program = self.rs.strategy_meeting, self.meeting_reasons, self.program
        timescales = [t for _, t in reasons if t is not None]
        within = min(timescales, key=_urgency) if timescales else None
        invited = tuple(n for n, check in enumerate(program.invitees)
                        if check is None or check(*self.state) != FALSE)

        def make() -> StrategyMeeting:
            return StrategyMeeting(bool(reasons), str(within) if within else ("24 hours" if reasons else ""),
                                   spec.chair, tuple(Invite(spec.invitees[n].role, spec.invitees[n].why)
                                                     for n in invited),
                                   spec.views_to_gather, spec.record, spec.action_fields, tuple(r for r, _ in reasons))
        return self._memo((StrategyMeeting, str(within), invited, tuple(r for r, _ in reasons)), make)

    def _actions(self, has_gaps: bool) -> tuple[ActionItem, ...]:
        rules = self.rs.rules
        wanted: dict[str, list[str]] = {}
        for n, _ in self.fired:
            for action_id in rules[n].then.actions:
                wanted.setdefault(action_id, []).append(rules[n].id)
        for action_id, why in _route_wants(self.rs, self.route, self.agency).items():
            wanted.setdefault(action_id, []).extend(why)
        if has_gaps:
            wanted.setdefault(LEAD_ACTION, []).append("information_gaps")
        key = (ActionItem, self.route.id, self.agency, self.referrer_is_lead,
               tuple((a, tuple(why)) for a, why in wanted.items()))
        return self._memo(key, lambda: _action_items(self.rs, self.route, wanted, self.agency, self.referrer_is_lead))

    def _gaps(self) -> tuple[Gap, ...]:
        """Not-known answers that matter: each is listed only if answering it (all else unchanged) would raise the
        route or level or add a strategy meeting, with the highest route it could reach; highest first."""
        candidates: dict[str, list[str]] = {}
        rules, unknowns = self.rs.rules, self.program.unknowns
        for n in self.undecided:
            if self._raises(n):
                for fact_id in dict.fromkeys(unknowns[n](*self.state)):
                    candidates.setdefault(fact_id, []).append(rules[n].id)
        found = []
        for order, (fact_id, rule_ids) in enumerate(candidates.items()):
            if self.rs.outside_ages(fact_id, self.facts.values):
                continue  # a sign that cannot apply at this child's age is not a gap
            reach = self._reach_if_answered(fact_id)
            if reach is not None:
                found.append((-reach[0], -reach[1], order, Gap(fact_id, self.rs.facts[fact_id].label,
                                                               tuple(rule_ids), self.rs.routes[reach[0]].id)))
        return tuple(gap for *_, gap in sorted(found, key=lambda g: g[:3]))

    def _reach_if_answered(self, fact_id: str) -> tuple[int, int] | None:
        """The (route rank, level rank) the most worrying answer to `fact_id` would give, if it raises anything.
        Only the undecided rules that read the fact and would raise something if they fired are looked at again: a
        rule found false stays false, and a worrying answer never un-fires a rule that asks for a route or level
        (the static checks hold every rule set to that), so what fired already stands. A rule that reads the fact
        only through counts and scores comes out the same for every sign of the same weights there, so it is worked
        out once per evaluation for each such weight, not once per not-known sign."""
        plan, truth_of, by_weight = self.plan, self.program.truth_of, self._by_weight
        raising = [n for n in self.program.readers.get(fact_id, ()) if n in self._raisers]
        if not raising:
            return None
        now = (self.route.rank, self.level.rank, bool(self.meeting_reasons))
        values, yes, known, when = self.state
        best: tuple[int, int] | None = None
        fact = self.rs.facts[fact_id]
        for value in fact.kind.worrying(fact):
            state = None
            fired = []
            for n in raising:
                key = None if fact_id in plan.read_directly[n] else (
                    n, value, tuple([t.weights.get(fact_id) for t in plan.tallies[n]]))
                truth = by_weight.get(key) if key else None
                if truth is None:
                    state = state or ({**values, fact_id: value}, yes | {fact_id} if value == "yes" else yes,
                                      known | {fact_id}, when)
                    truth = truth_of[n](*state)
                    if key:
                        by_weight[key] = truth
                if truth == TRUE or (truth == NOT_KNOWN and plan.fires_on_unknown[n]):
                    fired.append(n)
            route = max([now[0], *(plan.route_rank[n] for n in fired)])
            level = max([now[1], *(plan.level_rank[n] for n in fired)])
            meeting = any(plan.meeting[n] for n in fired) or bool(self.rs.routes[route].strategy_within)
            if route > now[0] or level > now[1] or (meeting and not now[2]):
                best = max(best or (route, level), (route, level))
        return best

    @cached_property
    def _by_weight(self) -> dict[tuple[object, ...], int]:
        """Truths of rules read through counts and scores, by (rule, answer, the sign's weights there)."""
        return {}

    @cached_property
    def _raisers(self) -> frozenset[int]:
        """The rules still undecided (a rule found false stays false whatever a not-known answer turns out to be)
        that would raise the route or level, or add a strategy meeting, if they fired."""
        return frozenset(n for n in self.undecided if self._raises(n))

    def _nearby(self) -> tuple[Nearest, ...]:
        """Up to three rules that did not fire and would raise the route, closest first: those with some of their
        evidence already present before those with none (a rule unrelated to anything answered is offered only
        when nothing else is near), then the fewest changes, then the smallest step up the ladder. A rule that
        needs an answer already given to be different, or a sign outside the child's ages, is left out, as are
        rules that would raise any child's route (immediate danger: the outcome says so plainly)."""
        fired = {n for n, _ in self.fired}
        plan, rules = self.plan, self.rs.rules
        candidates = []
        for n in plan.above[self.route.rank]:
            rule = rules[n]
            if n in fired or rule.id in self.rs.same_for_every_child:
                continue
            changes = rule.when.needed(self.facts)
            if any(self._cannot_change(c.fact) for c in changes):
                continue
            present = self._support(n)
            candidates.append(((present == 0, len(changes), -present, plan.route_rank[n], n), rule, changes))
        candidates.sort(key=lambda c: c[0])
        if any(key[0] is False for key, _, _ in candidates):
            candidates = [c for c in candidates if c[0][0] is False]
        return tuple(Nearest(rule.id, rule.description, rule.then.route, rule.then.level, tuple(changes))
                     for _, rule, changes in candidates[:MAX_NEARBY])

    def _support(self, n: int) -> int:
        """How much of a rule's evidence is already there: its signs answered yes and its counts above 0."""
        values = self.facts.values
        return len(self.plan.fact_ids[n] & self.facts.yes) + sum(
            1 for f in self.plan.counts_read[n] if isinstance(values.get(f), int) and values[f] > 0)  # type: ignore

    def _cannot_change(self, fact_id: str) -> bool:
        """An answer already given (other than a count, which can grow) is not what would change the route: a
        rule that needs a known age to be different, or a "no" to be "yes", is no help."""
        fact = self.rs.facts.get(fact_id)
        return fact is not None and (not fact.kind.grows and fact_id in self.facts.known
                                     or self.rs.outside_ages(fact_id, self.facts.values))

    def _indicators(self) -> tuple[PresentIndicator, ...]:
        rs, when = self.rs, self.facts.when
        present = sorted(rs.indicator_ids & self.facts.yes, key=rs.indicator_order.__getitem__)

        def shown(i: Indicator) -> PresentIndicator:
            at = when.get(i.id, "recent" if i.recency else "")
            return self._memo((PresentIndicator, i.id, at), lambda: PresentIndicator(
                i.id, i.text, i.theme, rs.theme_titles[i.theme], i.level, at))
        return tuple(shown(rs.facts[f]) for f in present)  # type: ignore[arg-type]


MAX_NEARBY = 3  # rules offered as "what would change it"
_T = TypeVar("_T")


def _urgency(timescale: Timescale) -> tuple[float, str]:
    """How a Timescale orders itself, without its generated comparison methods (a tenth of the time)."""
    return timescale.hours, timescale.text


class _AnswerText(dict[str, str]):
    """format_map helper: {fact} placeholders render the answer as practitioners read it."""

    def __init__(self, facts: Facts):
        super().__init__()
        self.facts = facts

    def __missing__(self, key: str) -> str:
        return show(self.facts.get(key))
