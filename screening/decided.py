"""The route that counts: the rules' recommendation, or the practitioner's decision once they raise or lower it.

Everything is read from the stored outcome (its ladder carries each route's words and next steps), so a decided
route is shown exactly as the producing rule set described it, with the recommendation and the reason beside it."""

from __future__ import annotations

from dataclasses import dataclass

from .outcome import ActionItem, Finding, Outcome, Step
from .timescale import parse_timescale


@dataclass(frozen=True)
class RouteThatCounts:
    """What the outcome page, the referral and every export lead with."""

    route: str
    label: str
    decision: str  # "" (none recorded), agree, raise or lower
    changed: bool  # the decision differs from the recommendation
    recommended_label: str
    reason: str
    lead_consulted: str
    child_protection: bool
    referrer_expects: str
    timescale: str
    referral_asks: str
    actions: tuple[ActionItem, ...]
    meeting_required: bool
    meeting_within: str
    meeting_dropped: str  # when lowering drops a meeting the rules asked for: the timescale it had

    @property
    def urgent(self) -> tuple[ActionItem, ...]:
        """The three most urgent next steps."""
        return self.actions[:3]


def counted(outcome: Outcome, decision: str | None = None, route: str | None = None, reason: str = "",
            lead: str = "") -> RouteThatCounts:
    """The route that counts for `outcome` given the latest decision on it (if any)."""
    sm = outcome.strategy_meeting
    rules_meeting = sm.within if sm.required else ""
    if decision not in ("raise", "lower") or route in (None, outcome.route):
        own = outcome.step_of(outcome.route)
        return RouteThatCounts(outcome.route, outcome.route_label, decision or "", False, outcome.route_label,
                               reason, lead, outcome.child_protection, outcome.referrer_expects,
                               outcome.route_timescale, own.referral_asks, outcome.actions, sm.required,
                               rules_meeting, "")
    step = outcome.step_of(route)
    if decision == "raise":
        actions = _merged(outcome.actions, step.actions)
        within = _sooner(rules_meeting, step.strategy_within)
        return _decided(outcome, step, decision, reason, lead, actions, bool(within), within, "")
    dropped = rules_meeting if rules_meeting and not step.strategy_within else ""
    return _decided(outcome, step, decision, reason, lead, step.actions, bool(step.strategy_within),
                    step.strategy_within, dropped)


def _decided(outcome: Outcome, step: Step, decision: str, reason: str, lead: str, actions: tuple[ActionItem, ...],
             meeting: bool, within: str, dropped: str) -> RouteThatCounts:
    return RouteThatCounts(step.id, step.label, decision, True, outcome.route_label, reason, lead,
                           step.child_protection, step.referrer_expects, step.timescale, step.referral_asks, actions,
                           meeting, within, dropped)


def _hours(within: str) -> float:
    try:
        return parse_timescale(within).hours
    except ValueError:
        return float("inf")


def _merged(first: tuple[ActionItem, ...], second: tuple[ActionItem, ...]) -> tuple[ActionItem, ...]:
    seen = {a.id for a in first}
    both = [*first, *(a for a in second if a.id not in seen)]
    return tuple(sorted(both, key=lambda a: _hours(a.within)))


def _sooner(a: str, b: str) -> str:
    given = [t for t in (a, b) if t]
    return min(given, key=_hours) if given else ""


def minimums(outcome: Outcome) -> tuple[Finding, ...]:
    """The fired rules that set a minimum route (hard triggers), highest route first."""
    hard = [f for f in outcome.findings if f.hard_trigger and f.route]
    return tuple(sorted(hard, key=lambda f: -outcome.rank_of(f.route)))


def below_minimum(outcome: Outcome, route: str) -> tuple[Finding, ...]:
    """The minimums a decision for `route` would go below."""
    rank = outcome.rank_of(route)
    return tuple(f for f in minimums(outcome) if outcome.rank_of(f.route) > rank)


def also_noted(outcome: Outcome) -> tuple[Finding, ...]:
    """Fired rules whose route is below the outcome's: what they noted still matters, but it is not advice."""
    rank = outcome.rank_of(outcome.route)
    return tuple(f for f in outcome.findings if f.route and outcome.rank_of(f.route) < rank)


def driving(outcome: Outcome) -> tuple[Finding, ...]:
    """Fired rules that set the outcome's route or level, or add something (a meeting, actions) at its route."""
    low = {id(f) for f in also_noted(outcome)}
    return tuple(f for f in outcome.findings if id(f) not in low)


def settled(outcome: Outcome) -> str:
    """The route the answers given so far settle: the highest set by a rule that fired on what is known (not on
    the safe side of an unknown). Answering more can only keep it or raise it, since a rule true on some answers
    stays true whatever the others turn out to be."""
    known = [f.route for f in outcome.findings if f.route and not f.fired_on_unknown]
    return max(known, key=outcome.rank_of, default=outcome.routes[0].id if outcome.routes else outcome.route)


def on_the_safe_side(outcome: Outcome) -> tuple[Finding, ...]:
    """Rules that fired only because an answer is not known, and raise the route above what is settled."""
    floor = outcome.rank_of(settled(outcome))
    return tuple(f for f in outcome.findings if f.fired_on_unknown and f.route and outcome.rank_of(f.route) > floor)
