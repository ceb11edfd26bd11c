"""History the system counts, as the engine reads it: each kind over its window, what the practitioner adds, where
each figure came from, and a record that only ever raises the route as it grows."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import screening
from screening.history import ChildRecord, Earlier, headline, source_words
from screening.outcome import outcome_from_dict
from tests.conftest import ROOT

RS = screening.load_ruleset(ROOT / "rules" / "default")
TODAY = date(2026, 6, 1)  # any date: every figure is counted back from the record's own date
BASE = {"age": 14, "current_social_care_status": "none", "seen_alone": "yes", "other_children_household": 0}
AMBER = {"older_associate_controlling": {"answer": "yes", "when": "recent"}}


def earlier(days_ago: int, agency: str = "school", route: str = "early_help", decided: str = "", **answers):
    return Earlier(TODAY - timedelta(days=days_ago), agency, agency.title(), route, decided, answers)


def shown(outcome) -> dict:
    return {f.fact: f for f in outcome.from_record}


def test_an_unlinked_screening_is_the_practitioners_answers_alone():
    outcome = screening.evaluate(RS, {**BASE, "previous_concerns_12m": 2, "concern_agencies_12m": 2, **AMBER},
                                 agency="gp")
    assert outcome.from_record == () and outcome.linked is False
    assert "repeat_concerns_never_stepped_up" in [f.rule for f in outcome.findings]


def test_earlier_screenings_and_agencies_are_counted_within_the_window_this_agency_included():
    record = ChildRecord(TODAY, (earlier(10, "police"), earlier(200, "school"), earlier(364, "school"),
                                 earlier(365, "gp"), earlier(-1, "camhs")))
    got = shown(screening.evaluate(RS, {**BASE, **AMBER}, agency="health_hospital", record=record))
    assert got["previous_concerns_12m"].value == 3  # 365 days ago and tomorrow are outside the 12 months
    assert got["concern_agencies_12m"].value == 3  # police, school and this hospital
    assert set(got["concern_agencies_12m"].agencies) == {"Police", "School", RS.agency_by_id["health_hospital"].name}
    assert [s.on for s in got["previous_concerns_12m"].screenings] == sorted(s.on for s in
                                                                               got["previous_concerns_12m"].screenings)


def test_what_the_practitioner_adds_is_added_and_kept_apart():
    record = ChildRecord(TODAY, (earlier(30),))
    got = shown(screening.evaluate(RS, {**BASE, "previous_concerns_12m": 2}, agency="gp", record=record))
    found = got["previous_concerns_12m"]
    assert (found.recorded, found.added, found.value) == (1, 2, 3)
    assert source_words(found).startswith("Earlier concerns, last 12 months: 3 (1 from the child's record (School,")
    assert source_words(found).endswith("and 2 added by the practitioner).")


def test_the_highest_recorded_count_stands_unless_the_practitioner_knows_more():
    record = ChildRecord(TODAY, (earlier(20, missing_episodes_90d=6), earlier(40, missing_episodes_90d=2),
                                 earlier(120, missing_episodes_90d=30)))  # 120 days: outside the 90
    for yours, value in ((1, 6), (9, 9), ("not_known", 6)):
        got = shown(screening.evaluate(RS, {**BASE, "missing_episodes_90d": yours}, agency="gp", record=record))
        assert got["missing_episodes_90d"].value == value
        assert got["missing_episodes_90d"].recorded == 6


def test_earlier_disclosures_count_screenings_where_the_child_told():
    record = ChildRecord(TODAY, (earlier(50, disclosure_withdrawn={"answer": "yes", "when": "recent"}),
                                 earlier(60, disclosure_sexual_abuse="no")))
    outcome = screening.evaluate(RS, BASE, agency="school", record=record)
    assert shown(outcome)["earlier_disclosures_12m"].value == 1
    assert outcome.route == "section_47" and "earlier_disclosure_still_counts" in outcome.hard_triggers


def test_the_highest_route_before_is_read_from_recommendations_and_decisions():
    none = shown(screening.evaluate(RS, BASE, agency="school", record=ChildRecord(TODAY)))
    assert none["highest_route_12m"].value == "none"
    record = ChildRecord(TODAY, (earlier(10, route="early_help", decided="section_47"),
                                 earlier(20, route="child_in_need")))
    outcome = screening.evaluate(RS, BASE, agency="school", record=record)
    assert shown(outcome)["highest_route_12m"].value == "section_47"
    assert "tell_mash_about_earlier_referral" in [a.id for a in outcome.actions]


def test_the_headline_says_which_concern_this_is_where_each_came_from_and_how_many_agencies():
    record = ChildRecord(TODAY, (earlier(10, "police"), earlier(20, "school")))
    outcome = screening.evaluate(RS, {**BASE, "previous_concerns_12m": 1}, agency="gp", record=record)
    said = headline(outcome.from_record)
    assert said.startswith("Concern 4 about this child in 12 months: 2 in the child's record (")
    assert said.endswith(" and 1 reported by the practitioner. Agencies concerned: 3.")
    assert outcome_from_dict(outcome.to_dict()).from_record == outcome.from_record


def test_concerns_the_practitioner_reports_are_never_called_screenings():
    outcome = screening.evaluate(RS, {**BASE, "previous_concerns_12m": 1, "concern_agencies_12m": 2}, agency="gp",
                                 record=ChildRecord(TODAY))
    said = headline(outcome.from_record)
    assert said == "Concern 2 about this child in 12 months: 1 reported by the practitioner. Agencies concerned: 3."
    assert "screening" not in said.lower()
    first = headline(screening.evaluate(RS, BASE, agency="gp", record=ChildRecord(TODAY)).from_record)
    assert first == "Concern 1 about this child in 12 months: none before this one. Agencies concerned: 1."


AGENCIES = st.sampled_from(["school", "police", "gp", "health_hospital", "sexual_health"])
ANSWERS = st.fixed_dictionaries({}, optional={
    "missing_episodes_90d": st.integers(0, 20), "ae_attendances_12m": st.integers(0, 20),
    "disclosure_sexual_abuse": st.sampled_from(["yes", "no"])})
EARLIER = st.builds(lambda days, agency, answers: earlier(days, agency, **answers), st.integers(0, 400), AGENCIES,
                    ANSWERS)
ROUTES = {r.id: r.rank for r in RS.routes}


@settings(max_examples=60, deadline=None)
@given(st.lists(EARLIER, max_size=4), EARLIER, st.sampled_from([{}, AMBER]))
def test_one_more_earlier_screening_never_lowers_the_route(before, more, signs):
    """The record is a known minimum: adding to it can only keep or raise the route."""
    answers = {**BASE, **signs}
    fewer = screening.evaluate(RS, answers, agency="gp", record=ChildRecord(TODAY, tuple(before)))
    extra = screening.evaluate(RS, answers, agency="gp", record=ChildRecord(TODAY, (*before, more)))
    assert ROUTES[extra.route] >= ROUTES[fewer.route]
