"""Safety properties of the default rule set, tested over generated answers (hypothesis).

Routes and levels only go up as evidence is added; 'not known' is never read as 'no'; an unknown that could
raise the route is always listed as an information gap.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import screening
from screening.question_types import numeric_range
from tests.rules.conftest import default_ruleset

RS = default_ruleset()
FACTS = [f for f in RS.facts.values() if f.type != "text"]
TRISTATE = [f.id for f in FACTS if f.type == "tristate"]
INDICATORS = [i.id for i in RS.indicators]
DISCLOSURES = [i.id for i in RS.indicators if i.theme == "disclosures"]
COUNTS = [f.id for f in FACTS if f.type == "count"]
ROUTE_RANK = {r.id: r.rank for r in RS.routes}
LEVEL_RANK = {lv.id: lv.rank for lv in RS.levels}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(fact):
    not_known = st.just("not_known")
    if fact.type == "tristate":
        return st.sampled_from(["yes", "no", "not_known"])
    if fact.type in ("count", "age"):
        lo, hi = numeric_range(fact)
        return st.integers(lo, min(hi, 40)) | not_known
    options = [o.id for o in fact.options]
    if fact.type == "choice":
        return st.sampled_from(options) | not_known
    return st.lists(st.sampled_from(options), unique=True).map(list)


answers_st = st.fixed_dictionaries({}, optional={f.id: _value(f) for f in FACTS})
agency_st = st.sampled_from([None, *[a.id for a in RS.agencies]])


def rank(outcome):
    return ROUTE_RANK[outcome.route], LEVEL_RANK[outcome.risk_level]


def not_lower(before, after):
    (r1, l1), (r2, l2) = rank(before), rank(after)
    assert r2 >= r1, f"route went down: {before.route} -> {after.route}"
    assert l2 >= l1, f"level went down: {before.risk_level} -> {after.risk_level}"


def test_default_rule_set_has_what_the_properties_need():
    assert len(INDICATORS) >= 40 and DISCLOSURES and COUNTS and "age" in RS.facts


@pytest.mark.hazard("H-06")
@SETTINGS
@given(answers_st, agency_st, st.data())
def test_adding_a_present_indicator_never_lowers_route_or_level(answers, agency, data):
    indicator = data.draw(st.sampled_from(INDICATORS))
    before = screening.evaluate(RS, answers, agency=agency)
    after = screening.evaluate(RS, {**answers, indicator: "yes"}, agency=agency)
    not_lower(before, after)


@SETTINGS
@given(answers_st, st.data())
def test_a_disclosure_never_lowers_and_always_reaches_child_protection(answers, data):
    disclosure = data.draw(st.sampled_from(DISCLOSURES))
    before = screening.evaluate(RS, answers)
    after = screening.evaluate(RS, {**answers, disclosure: "yes"})
    not_lower(before, after)
    assert ROUTE_RANK[after.route] >= ROUTE_RANK["section_47"], f"{disclosure}: {after.route}"
    assert after.child_protection and after.strategy_meeting.required


@SETTINGS
@given(answers_st, st.data(), st.integers(1, 30))
def test_more_episodes_or_attendances_never_lower(answers, data, extra):
    count = data.draw(st.sampled_from(COUNTS))
    current = answers.get(count)
    base = current if isinstance(current, int) else 0
    lo, hi = numeric_range(RS.facts[count])
    before = screening.evaluate(RS, {**answers, count: base})
    after = screening.evaluate(RS, {**answers, count: min(base + extra, hi)})
    not_lower(before, after)


@SETTINGS
@given(answers_st, st.integers(0, 17), st.integers(1, 17))
def test_a_younger_age_never_lowers(answers, age, younger_by):
    before = screening.evaluate(RS, {**answers, "age": age})
    after = screening.evaluate(RS, {**answers, "age": max(0, age - younger_by)})
    not_lower(before, after)


@pytest.mark.hazard("H-07")
@SETTINGS
@given(answers_st, st.data())
def test_not_known_is_never_treated_as_no(answers, data):
    """'Not known' is at least as cautious as 'no'; if 'yes' would raise the route, the unknown is a gap."""
    fact = data.draw(st.sampled_from(TRISTATE))
    answered_no = screening.evaluate(RS, {**answers, fact: "no"})
    not_known = screening.evaluate(RS, {**answers, fact: "not_known"})
    answered_yes = screening.evaluate(RS, {**answers, fact: "yes"})
    not_lower(answered_no, not_known)
    if rank(answered_yes)[0] > rank(not_known)[0]:
        surfaced = {g.fact for g in not_known.information_gaps}
        surfaced |= {a.fact for f in not_known.findings if f.fired_on_unknown for a in f.answers}
        assert fact in surfaced, f"{fact} unknown could raise the route but is not listed as a gap"
        assert "consult_safeguarding_lead" in [a.id for a in not_known.actions]


@pytest.mark.hazard("H-03")
@SETTINGS
@given(answers_st)
def test_every_outcome_is_traceable(answers):
    outcome = screening.evaluate(RS, answers)
    assert (outcome.ruleset.id, outcome.ruleset.version, outcome.ruleset.hash) == (RS.meta.id, RS.meta.version,
                                                                                    RS.hash)
    if outcome.route != RS.routes[0].id:
        assert any(f.route == outcome.route for f in outcome.findings), "a raised route names the rule behind it"
    if ROUTE_RANK[outcome.route] >= ROUTE_RANK["section_47"]:
        assert outcome.strategy_meeting.required and outcome.child_protection


@pytest.mark.hazard("H-06")
@SETTINGS
@given(answers_st, answers_st, agency_st)
def test_answering_more_never_lowers_the_settled_route(given_so_far, more, agency):
    """What a provisional outcome promises: the route the answers so far settle (rules that fired on what is
    known) is kept or raised by answering questions not yet answered, whatever the answers."""
    from screening.decided import settled
    before = screening.evaluate(RS, given_so_far, agency=agency)
    after = screening.evaluate(RS, {**more, **given_so_far}, agency=agency)
    assert ROUTE_RANK[settled(after)] >= ROUTE_RANK[settled(before)], (settled(before), settled(after))
    assert ROUTE_RANK[after.route] >= ROUTE_RANK[settled(before)]


def test_no_rule_reads_gender():
    """Gender describes the child; it never raises or lowers a route (boys are exploited too)."""
    assert all("gender" not in rule.when.fact_ids() for rule in RS.rules)


@SETTINGS
@given(answers_st, agency_st)
def test_the_same_facts_reach_the_same_route_for_a_boy_and_a_girl(answers, agency):
    boy = screening.evaluate(RS, {**answers, "gender": "boy"}, agency=agency)
    girl = screening.evaluate(RS, {**answers, "gender": "girl"}, agency=agency)
    assert (boy.route, boy.risk_level) == (girl.route, girl.risk_level)


def _worrying(fact_id: str) -> list[object]:
    fact = RS.facts[fact_id]
    if fact.type == "tristate":
        return ["yes"]
    if fact.type in ("count", "age"):
        lo, hi = numeric_range(fact)
        return [lo if fact.type == "age" else hi]
    options = [o.id for o in fact.options]
    return [options] if fact.type == "choices" else options


@SETTINGS
@given(answers_st, agency_st)
def test_every_listed_gap_would_raise_something_if_answered(answers, agency):
    """A gap is true: answering it (the other answers unchanged) raises the route or level or adds a strategy
    meeting, and can reach the route the gap names; gaps come highest route first."""
    before = screening.evaluate(RS, answers, agency=agency)
    reached = []
    for gap in before.information_gaps:
        assert gap.fact not in answers or answers[gap.fact] == "not_known"
        outcomes = [screening.evaluate(RS, {**answers, gap.fact: v}, agency=agency) for v in _worrying(gap.fact)]
        assert any(rank(o) > rank(before) or (o.strategy_meeting.required and not before.strategy_meeting.required)
                   for o in outcomes), f"{gap.fact} listed as a gap but answering it raises nothing"
        assert max(ROUTE_RANK[o.route] for o in outcomes) >= ROUTE_RANK[gap.could_raise_to], gap.fact
        reached.append(ROUTE_RANK[gap.could_raise_to])
    assert reached == sorted(reached, reverse=True)
