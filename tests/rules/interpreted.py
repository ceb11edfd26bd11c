"""The reference: the interpreted engine as it was before rule sets were compiled (screening/engine.py at 42e44b4),
kept only to check the compiled engine against (test_compiled_golden.py). Do not change it to make a test pass.

Evaluate a rule set against answers.

Every rule only sets minimums, so the route is the highest minimum among fired rules and can never be lowered by
a rule. A rule left undecided by 'not known' answers either fires (on_unknown: fire) or becomes an information
gap that sends the practitioner to their safeguarding lead, never a silent 'no'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from screening.answers import answer_words, facts_from_answers
from screening.conditions import Facts, show
from screening.errors import AnswerProblem, AnswersInvalid
from screening.history import ChildRecord, from_record
from screening.model import CHILD_VOICE, LEAD_ACTION, Action, Indicator, Question, Route, Rule, RuleSet
from screening.outcome import (
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
from screening.question_types import numeric_range
from screening.timescale import Timescale


def evaluate(ruleset: RuleSet, answers: Mapping[str, object], agency: str | None = None,
             referrer_is_lead: bool = False, record: ChildRecord | None = None) -> Outcome:
    """Recommend a route for `answers` (question id -> answer) given by a practitioner from `agency`; a referrer
    who is their agency's safeguarding lead is not told to consult their safeguarding lead. With the child's
    `record`, history questions take the system's figures too (history.py)."""
    return _run(ruleset, answers, agency, referrer_is_lead, record).outcome()


@dataclass(frozen=True, slots=True)
class Decision:
    """The recommendation alone: route, level, the rules that fired and whether a strategy meeting is needed."""

    route: str
    level: str
    fired: tuple[str, ...]
    strategy_meeting: bool


def decide(ruleset: RuleSet, answers: Mapping[str, object], agency: str | None = None,
           record: ChildRecord | None = None) -> Decision:
    """What `evaluate` recommends, without the rationale: about three times faster, for impact comparisons."""
    run = _run(ruleset, answers, agency, record=record)
    return Decision(run.route.id, run.level.id, tuple(rule.id for rule, _ in run.fired), bool(run.meeting_reasons))


def _run(ruleset: RuleSet, answers: Mapping[str, object], agency: str | None,
         referrer_is_lead: bool = False, record: ChildRecord | None = None) -> _Evaluation:
    facts = facts_from_answers(ruleset, answers)
    if agency is not None and agency not in ruleset.agency_by_id:
        raise AnswersInvalid([AnswerProblem("agency", f"unknown agency '{agency}'")])
    shown: tuple[FromRecord, ...] = ()
    if record is not None:
        filled, shown = from_record(ruleset, record, facts.values, agency)
        facts = Facts.of({**facts.values, **filled}, facts.when)
    return _Evaluation(ruleset, facts, agency, referrer_is_lead, shown, record is not None)


_Ladder = tuple[tuple[Step, ...], tuple[LevelShown, ...], tuple[ContactShown, ...]]
_LADDERS: dict[tuple[str, str | None, bool], _Ladder] = {}


def ladder(ruleset: RuleSet, agency: str | None, referrer_is_lead: bool = False) -> _Ladder:
    """The producing rule set's routes (each with its own next steps for this referrer), levels and contacts,
    stored with every outcome so that it renders as produced and a decided route can be shown in full."""
    key = (ruleset.hash, agency, referrer_is_lead)
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


class _Evaluation:
    def __init__(self, ruleset: RuleSet, facts: Facts, agency: str | None, referrer_is_lead: bool,
                 from_record: tuple[FromRecord, ...] = (), linked: bool = False):
        self.rs, self.facts, self.agency, self.referrer_is_lead = ruleset, facts, agency, referrer_is_lead
        self.from_record, self.linked = from_record, linked
        self.fact_labels = ruleset.fact_labels
        self.fired: list[tuple[Rule, bool]] = []  # (rule, fired only because of unknowns)
        self.undecided: list[Rule] = []
        for rule in ruleset.rules:
            truth = rule.when.truth(facts)
            if truth is True or (truth is None and rule.on_unknown == "fire"):
                self.fired.append((rule, truth is None))
            elif truth is None:
                self.undecided.append(rule)
        routes, levels = ruleset.route_by_id, ruleset.level_by_id
        self.route = max((routes[r.then.route] for r, _ in self.fired if r.then.route),
                         key=lambda r: r.rank, default=ruleset.routes[0])
        self.level = max((levels[r.then.level] for r, _ in self.fired if r.then.level),
                         key=lambda lv: lv.rank, default=ruleset.levels[0])
        self.meeting_reasons = self._meeting_reasons()

    def outcome(self) -> Outcome:
        rs, gaps, nearby = self.rs, self._gaps(), self._nearby()
        routes, levels, contacts = ladder(rs, self.agency, self.referrer_is_lead)
        values = self.facts.values
        agency = rs.agency_by_id.get(self.agency or "")
        return Outcome(
            route=self.route.id, route_label=self.route.label, risk_level=self.level.id,
            risk_level_label=self.level.label, child_protection=self.route.child_protection,
            referrer_expects=self.route.referrer_expects, route_timescale=self.route.timescale,
            hard_triggers=tuple(r.id for r, _ in self.fired if r.then.hard_trigger),
            strategy_meeting=self._strategy_meeting(), actions=self._actions(bool(gaps)),
            findings=tuple(self._finding(r, on_unknown) for r, on_unknown in self.fired),
            indicators=self._indicators(), information_gaps=gaps, nearest=(nearby[0] if nearby else None),
            escalation=rs.escalation, agency=self.agency, agency_name=agency.name if agency else "",
            child_voice=self._child_voice(), routes=routes, levels=levels,
            ruleset=RuleSetRef(rs.meta.id, rs.meta.version, rs.hash), contacts=contacts,
            signs_answered=sum(values.get(i.id) in ("yes", "no") for i in rs.indicators),
            signs_total=len(rs.indicators), referrer_is_lead=self.referrer_is_lead, answered=self._answered(),
            nearby=nearby, from_record=self.from_record, linked=self.linked, language=rs.text_language,
        )

    def _answered(self) -> tuple[Answered, ...]:
        values = self.facts.values
        return tuple(Answered(q.id, q.short_label or q.label, answer_words(q, values[q.id]), q.type, q.purpose,
                              q.quotes_child, values[q.id] is not None, values[q.id] == "yes")
                     for q in self.rs.questions if q.id in values)

    def _child_voice(self) -> tuple[Voice, ...]:
        voice_sections = {s.id for s in self.rs.sections if s.purpose == CHILD_VOICE}
        values = self.facts.values
        return tuple(Voice(q.label, answer_words(q, values[q.id]), q.quotes_child, q.id) for q in self.rs.questions
                     if q.section in voice_sections and q.id in values and (q.quotes_child or q.type != "text"))

    def _raises(self, rule: Rule) -> bool:
        """Would this rule, if it fired, raise the route or level, or add a strategy meeting?"""
        route = self.rs.route_by_id.get(rule.then.route or "")
        level = self.rs.level_by_id.get(rule.then.level or "")
        return bool((route and route.rank > self.route.rank) or (level and level.rank > self.level.rank)
                    or (rule.then.strategy_meeting and not self.meeting_reasons))

    def _answer(self, fact_id: str) -> AnswerUsed:
        memo = self.facts.memo
        found: AnswerUsed | None = memo.get(fact_id)
        if found is None:
            when = self.facts.when.get(fact_id)
            text = show(self.facts.values.get(fact_id))
            found = memo[fact_id] = AnswerUsed(fact_id, self.fact_labels[fact_id], f"{text} ({when})" if when else text)
        return found

    def _finding(self, rule: Rule, on_unknown: bool) -> Finding:
        used = rule.when.unknowns(self.facts) if on_unknown else rule.when.evidence(self.facts)
        explanation = rule.explanation.format_map(_AnswerText(self.facts)) if rule.explanation else ""
        then = rule.then
        return Finding(rule.id, rule.description, explanation, then.route, then.level, then.hard_trigger,
                       then.strategy_meeting, tuple([self._answer(f) for f in dict.fromkeys(used)]), rule.source,
                       rule.reference, on_unknown)

    def _meeting_reasons(self) -> list[tuple[str, Timescale | None]]:
        reasons: list[tuple[str, Timescale | None]] = [
            (r.id, r.then.strategy_within) for r, _ in self.fired if r.then.strategy_meeting]
        if self.route.strategy_within:
            reasons.append((f"route:{self.route.id}", self.route.strategy_within))
        return reasons

    def _strategy_meeting(self) -> StrategyMeeting:
        spec, reasons = self.rs.strategy_meeting, self.meeting_reasons
        timescales = [t for _, t in reasons if t is not None]
        within = min(timescales) if timescales else None
        invitees = tuple(Invite(i.role, i.why) for i in spec.invitees
                         if i.when is None or i.when.truth(self.facts) is not False)
        return StrategyMeeting(bool(reasons), str(within) if within else ("24 hours" if reasons else ""),
                               spec.chair, invitees, spec.views_to_gather, spec.record, spec.action_fields,
                               tuple(r for r, _ in reasons))

    def _actions(self, has_gaps: bool) -> tuple[ActionItem, ...]:
        wanted: dict[str, list[str]] = {}
        for rule, _ in self.fired:
            for action_id in rule.then.actions:
                wanted.setdefault(action_id, []).append(rule.id)
        for action_id, why in _route_wants(self.rs, self.route, self.agency).items():
            wanted.setdefault(action_id, []).extend(why)
        if has_gaps:
            wanted.setdefault(LEAD_ACTION, []).append("information_gaps")
        return _action_items(self.rs, self.route, wanted, self.agency, self.referrer_is_lead)

    def _gaps(self) -> tuple[Gap, ...]:
        """Not-known answers that matter: each is listed only if answering it (all else unchanged) would raise the
        route or level or add a strategy meeting, with the highest route it could reach; highest first."""
        candidates: dict[str, list[str]] = {}
        for rule in self.undecided:
            if self._raises(rule):
                for fact_id in dict.fromkeys(f for f in rule.when.unknowns(self.facts)
                                             if not self.rs.outside_ages(f, self.facts.values)):
                    candidates.setdefault(fact_id, []).append(rule.id)
        found = []
        for order, (fact_id, rules) in enumerate(candidates.items()):
            reach = self._reach_if_answered(fact_id)
            if reach is not None:
                found.append((-reach[0], -reach[1], order, Gap(fact_id, self.rs.facts[fact_id].label, tuple(rules),
                                                               self.rs.routes[reach[0]].id)))
        return tuple(gap for *_, gap in sorted(found, key=lambda g: g[:3]))

    def _reach_if_answered(self, fact_id: str) -> tuple[int, int] | None:
        """The (route rank, level rank) the most worrying answer to `fact_id` would give, if it raises anything.
        Only the rules that read the fact can change, so only they are looked at again."""
        reading = _rules_reading(self.rs).get(fact_id, ())
        reading_ids = {id(r) for r in reading}
        others = [rule for rule, _ in self.fired if id(rule) not in reading_ids]
        now = (self.route.rank, self.level.rank, bool(self.meeting_reasons))
        best: tuple[int, int] | None = None
        for value in _worrying_answers(self.rs.facts[fact_id]):
            facts = Facts.of({**self.facts.values, fact_id: value}, self.facts.when)
            fired = others + [r for r in reading if (t := r.when.truth(facts)) is True
                              or (t is None and r.on_unknown == "fire")]
            route = max((self.rs.route_by_id[r.then.route].rank for r in fired if r.then.route), default=0)
            level = max((self.rs.level_by_id[r.then.level].rank for r in fired if r.then.level), default=0)
            meeting = any(r.then.strategy_meeting for r in fired) or bool(self.rs.routes[route].strategy_within)
            if route > now[0] or level > now[1] or (meeting and not now[2]):
                best = max(best or (route, level), (route, level))
        return best

    def _nearby(self) -> tuple[Nearest, ...]:
        """Up to three rules that did not fire and would raise the route, closest first: those with some of their
        evidence already present before those with none (a rule unrelated to anything answered is offered only
        when nothing else is near), then the fewest changes, then the smallest step up the ladder. A rule that
        needs an answer already given to be different is left out."""
        fired = {id(rule) for rule, _ in self.fired}
        candidates = []
        for order, rule in enumerate(self.rs.rules):
            target = self.rs.route_by_id.get(rule.then.route or "")
            if target is None or target.rank <= self.route.rank or id(rule) in fired \
                    or rule.id in self.rs.same_for_every_child:
                continue
            changes = rule.when.needed(self.facts)
            if any(self._cannot_change(c.fact) for c in changes):
                continue
            present = self._support(rule)
            candidates.append(((present == 0, len(changes), -present, target.rank, order), rule, changes))
        candidates.sort(key=lambda c: c[0])
        if any(key[0] is False for key, _, _ in candidates):
            candidates = [c for c in candidates if c[0][0] is False]
        return tuple(Nearest(rule.id, rule.description, rule.then.route, rule.then.level, tuple(changes))
                     for _, rule, changes in candidates[:MAX_NEARBY])

    def _support(self, rule: Rule) -> int:
        """How much of a rule's evidence is already there: its signs answered yes and its counts above 0."""
        def supports(value: object, kind: str) -> bool:
            return value == "yes" or (kind == "count" and isinstance(value, int) and value > 0)
        values, facts = self.facts.values, self.rs.facts
        return sum(1 for f in rule.when.fact_ids() if f in facts and supports(values.get(f), facts[f].type))

    def _cannot_change(self, fact_id: str) -> bool:
        """An answer already given (other than a count, which can grow) is not what would change the route: a
        rule that needs a known age to be different, or a "no" to be "yes", is no help."""
        fact = self.rs.facts.get(fact_id)
        return fact is not None and (fact.type != "count" and fact_id in self.facts.known
                                     or self.rs.outside_ages(fact_id, self.facts.values))

    def _indicators(self) -> tuple[PresentIndicator, ...]:
        yes, titles = self.facts.yes, self.rs.theme_titles
        return tuple(PresentIndicator(i.id, i.text, i.theme, titles[i.theme], i.level,
                                      self.facts.when.get(i.id, "recent" if i.recency else ""))
                     for i in self.rs.indicators_by_theme_and_level if i.id in yes)


MAX_NEARBY = 3  # rules offered as "what would change it"
_READERS: dict[str, dict[str, tuple[Rule, ...]]] = {}


def _rules_reading(ruleset: RuleSet) -> dict[str, tuple[Rule, ...]]:
    """Fact id -> the rules whose condition reads it (built once per rule set)."""
    if ruleset.hash not in _READERS:
        readers: dict[str, list[Rule]] = {}
        for rule in ruleset.rules:
            for fact_id in rule.when.fact_ids():
                readers.setdefault(fact_id, []).append(rule)
        _READERS[ruleset.hash] = {k: tuple(v) for k, v in readers.items()}
    return _READERS[ruleset.hash]


def _worrying_answers(fact: Question | Indicator) -> tuple[object, ...]:
    """The answers that could raise a recommendation: yes, the most (or, for an age, the youngest), any option."""
    if fact.type == "tristate":
        return ("yes",)
    if fact.type in ("count", "age"):
        lo, hi = numeric_range(fact)
        return (lo,) if fact.type == "age" else (hi,)
    if fact.type == "choices":
        return (frozenset(o.id for o in fact.options),)
    return tuple(o.id for o in fact.options)


class _AnswerText(dict[str, str]):
    """format_map helper: {fact} placeholders render the answer as practitioners read it."""

    def __init__(self, facts: Facts):
        super().__init__()
        self.facts = facts

    def __missing__(self, key: str) -> str:
        return show(self.facts.get(key))
