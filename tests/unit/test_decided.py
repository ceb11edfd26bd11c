"""The route that counts (screening.decided), timescales in true order of urgency, and the ladder every outcome
stores so that a decided route can be shown in full."""

from __future__ import annotations

import pytest

import screening
from screening.decided import also_noted, below_minimum, counted, settled
from screening.timescale import parse_timescale
from tests.conftest import DEFAULT

RS = screening.load_ruleset(DEFAULT)
S47 = {"age": 14, "older_associate_controlling": {"answer": "yes", "when": "recent"},
       "collected_from_school_by_adults": {"answer": "yes", "when": "recent"}, "missing_episodes_90d": 3}


@pytest.mark.parametrize(("sooner", "later"), [("now", "1 hour"), ("24 hours", "1 working day"),
                                               ("1 day", "1 working day"), ("2 working days", "3 days"),
                                               ("5 working days", "8 days"), ("10 working days", "90 days")])
def test_a_working_day_is_never_sooner_than_a_calendar_day(sooner, later):
    assert parse_timescale(sooner) < parse_timescale(later)


def test_actions_follow_urgency_and_999_comes_first_among_things_to_do_now():
    outcome = screening.evaluate(RS, {**S47, "with_abuser_now": "yes"}, agency="school")
    hours = [parse_timescale(a.within).hours for a in outcome.actions]
    assert hours == sorted(hours)
    assert outcome.actions[0].id == "call_999"


def test_every_step_of_the_stored_ladder_carries_its_own_words_and_next_steps():
    outcome = screening.evaluate(RS, {"age": 14}, agency="school")
    for step, route in zip(outcome.routes, RS.routes, strict=True):
        assert (step.label, step.child_protection, step.referrer_expects) == (
            route.label, route.child_protection, route.referrer_expects)
        assert {a.id for a in step.actions} >= {a for a in route.actions if RS.actions[a].min_route is None
                                               and not RS.actions[a].agencies}
    assert outcome.step_of("section_47").strategy_within == "24 hours"


def test_without_a_decision_the_recommendation_counts():
    outcome = screening.evaluate(RS, S47, agency="school")
    now = counted(outcome)
    assert (now.route, now.changed, now.child_protection) == ("section_47", False, True)
    assert now.actions == outcome.actions and now.meeting_required


def test_a_lowered_route_counts_with_its_own_steps_and_says_the_meeting_was_dropped():
    outcome = screening.evaluate(RS, S47, agency="school")
    now = counted(outcome, "lower", "child_in_need", "Already held", "A. Lead")
    assert (now.route, now.changed, now.child_protection, now.recommended_label) == (
        "child_in_need", True, False, outcome.route_label)
    assert now.actions == outcome.step_of("child_in_need").actions
    assert not now.meeting_required and now.meeting_dropped == "24 hours"
    assert below_minimum(outcome, "child_in_need")  # a rule set section 47 as a minimum


def test_a_raised_route_keeps_what_the_rules_asked_for_and_adds_its_own():
    outcome = screening.evaluate(RS, {"age": 15}, agency="gp")
    now = counted(outcome, "raise", "section_47", "She told me")
    assert now.child_protection and now.meeting_required and now.meeting_within == "24 hours"
    ids = [a.id for a in now.actions]
    assert set(ids) >= {a.id for a in outcome.actions} | {a.id for a in outcome.step_of("section_47").actions}
    hours = [parse_timescale(a.within).hours for a in now.actions]
    assert hours == sorted(hours)


def test_rules_that_point_below_the_route_are_only_noted():
    outcome = screening.evaluate(RS, S47, agency="school")
    noted = also_noted(outcome)
    assert noted and all(outcome.rank_of(f.route) < outcome.rank_of(outcome.route) for f in noted)


def test_a_route_set_only_on_the_safe_side_of_an_unknown_is_not_settled():
    outcome = screening.evaluate(RS, {}, agency="school")  # age not known: the under-13 floor fires on unknown
    assert outcome.route != "universal" and settled(outcome) == "universal"
    assert settled(screening.evaluate(RS, S47, agency="school")) == "section_47"


@pytest.mark.hazard("H-07")
def test_too_little_known_is_never_a_green_no_concern():
    assert screening.evaluate(RS, {"age": 14}, agency="school").too_little_known
    all_checked = {i.id: "no" for i in RS.indicators}
    assert not screening.evaluate(RS, {"age": 14, **all_checked}, agency="school").too_little_known
