"""Plain-text renderings: an outcome as a referral-ready summary, and a rule set as readable text."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .model import Consequence, RuleSet
from .outcome import Outcome
from .timescale import timescale_words
from .words import gettext


def outcome_text(outcome: Outcome) -> str:
    """The outcome in words a practitioner can paste into a referral."""
    return "\n".join(_outcome_lines(outcome))


def _outcome_lines(o: Outcome) -> Iterator[str]:
    yield f"Recommended route: {o.route_label} ({o.route})"
    yield f"Risk level: {o.risk_level_label}"
    cp = "This IS a child protection referral." if o.child_protection else "This is not a child protection referral."
    yield cp
    yield f"What to expect back: {o.referrer_expects}"
    if o.hard_triggers:
        yield f"Hard triggers (cannot be lowered without your safeguarding lead): {', '.join(o.hard_triggers)}"
    yield from _voice_lines(o)
    yield "Why (rules that fired):"
    for f in o.findings:
        answers = "; ".join(f"{a.question}: {a.answer}" for a in f.answers)
        yield f"  - [{f.rule}] {f.description}" + (f" {f.explanation}" if f.explanation else "")
        yield f"      answers: {answers or '-'} | source: {f.source}, {f.reference}"
    if not o.findings:
        yield "  - none: no rule found a CSE concern beyond the ordinary"
    yield ""
    yield "What to do next" + (f" ({o.agency_name}):" if o.agency_name else ":")
    for a in o.actions:
        yield f"  - within {a.within}: {a.who}: {a.what}"
    yield from _meeting_lines(o)
    if o.information_gaps:
        yield ""
        yield "Information gaps (find out; they could raise the recommendation):"
        for g in o.information_gaps:
            yield f"  - {g.question} [{g.fact}] could raise it to {g.could_raise_to}"
    if o.nearest:
        yield ""
        yield f"What would change the recommendation: [{o.nearest.rule}] {o.nearest.description}"
        for c in o.nearest.changes:
            yield f"  - {c.requirement} (currently {c.currently})"
    yield ""
    yield "If you disagree with the response you get:"
    for step in o.escalation:
        yield f"  {step.stage}. {step.who}: {step.what}" + (f" (within {step.within})" if step.within else "")
    yield ""
    yield f"Rule set: {o.ruleset.id} version {o.ruleset.version}, hash {o.ruleset.hash[:12]}"


def _voice_lines(o: Outcome) -> Iterator[str]:
    yield ""
    yield "The child's own words and views:"
    for v in o.child_voice:
        yield f'  {v.question}: "{v.answer}"' if v.quote else f"  {v.question} {v.answer}"
    if not o.child_voice:
        yield "  none recorded: find out what the child says, seen on their own if it is safe"
    yield ""


def _meeting_lines(o: Outcome) -> Iterator[str]:
    sm = o.strategy_meeting
    if not sm.required:
        return
    yield ""
    yield f"Strategy meeting required within {sm.within}, chaired by {sm.chair}."
    yield "  Invite: " + "; ".join(f"{i.role} ({i.why})" for i in sm.invitees)
    yield "  Gather the views of: " + "; ".join(sm.views_to_gather)
    yield "  The record must contain: " + "; ".join(sm.record)
    yield "  Each action records: " + ", ".join(sm.action_fields)


def ruleset_text(rs: RuleSet) -> str:
    """The whole rule set as readable text, for leads and for review."""
    return "\n".join(_ruleset_lines(rs))


def _ruleset_lines(rs: RuleSet) -> Iterator[str]:
    m = rs.meta
    yield f"{m.title} ({m.id}) version {m.version}, effective {m.effective}, owner {m.owner}"
    yield f"hash {rs.hash}"
    yield m.description
    yield ""
    yield "ROUTES (lowest first)"
    for r in rs.routes:
        cp = ", child protection" if r.child_protection else ""
        yield f"  {r.id}: {r.label}{cp}. {r.description} Timescale: {r.timescale}."
    yield "LEVELS"
    for lv in rs.levels:
        yield f"  {lv.id}: {lv.label}"
    for theme in rs.themes:
        yield ""
        yield f"INDICATORS: {theme.title}"
        for i in (i for i in rs.indicators if i.theme == theme.id):
            yield f"  [{i.level}] {i.id}: {i.text}"
    yield ""
    yield "RULES"
    for rule in rs.rules:
        yield f"  {rule.id}: {rule.description}"
        yield f"      if {rule.when.describe()}"
        yield f"      then {consequence_text(rs, rule.then)}"
        yield f"      source: {rule.source}, {rule.reference}"


def consequence_text(rs: RuleSet, then: Consequence, step: Callable[[str], str] | None = None) -> str:
    """'at least Section 47, risk at least Red, a strategy discussion within 24 hours' and so on; its actions as ids,
    or with `step`, each action's text as `step` shortens it (a lead reads no ids)."""
    parts = []
    if then.route:
        parts.append(gettext("at least %(route)s", route=rs.route_by_id[then.route].label))
    if then.level:
        parts.append(gettext("risk at least %(level)s", level=rs.level_by_id[then.level].label))
    if then.strategy_meeting:
        route = rs.route_by_id.get(then.route or "")
        within = then.strategy_within or (route.strategy_within if route else None)
        parts.append(gettext("a strategy discussion within %(within)s", within=timescale_words(str(within)))
                     if within else gettext("a strategy discussion"))
    if then.actions and step is None:
        parts.append(gettext("actions: %(ids)s", ids=", ".join(then.actions)))
    elif then.actions and step is not None:
        parts.append(gettext("these steps: %(steps)s", steps=" ".join(step(rs.actions[a].what) for a in then.actions
                                                                       if a in rs.actions)))
    if then.hard_trigger:
        parts.append(gettext("(a hard trigger)"))
    return "; ".join(parts)
