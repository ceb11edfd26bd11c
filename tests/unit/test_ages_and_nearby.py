"""A sign limited to some ages is never a gap, nor "what would change it", for a child outside them; "what would
change it" never offers the immediate-danger rule (it would raise any child's route): a child protection outcome
then has nothing near, and says so plainly on the page."""

from __future__ import annotations

import screening
from tests.conftest import ROOT

RS = screening.load_ruleset(ROOT / "rules" / "default")
ONE_AMBER = {"phone_new_or_multiple": "yes", "concern_summary": "New phone."}
DISCLOSED = {"disclosure_sexual_abuse": {"answer": "yes", "when": "recent"}}


def gap_ids(age: int) -> set[str]:
    """Not known with one vulnerability: any amber sign answered yes would raise the route."""
    answers = {"age": age, "concern_summary": "Bereaved.", "bereavement_or_loss": "yes"}
    return {g.fact for g in screening.evaluate(RS, answers, agency="school").information_gaps}


def test_a_sign_for_16_and_17_year_olds_is_a_gap_only_at_those_ages():
    assert RS.facts["age_gap_relationship"].ages == (16, 17)
    assert "age_gap_relationship" in gap_ids(16) and "age_gap_relationship" in gap_ids(17)
    assert "age_gap_relationship" not in gap_ids(14)
    assert "phone_new_or_multiple" in gap_ids(14)  # the other signs still are


def test_an_unknown_age_keeps_every_sign_askable():
    assert not RS.outside_ages("age_gap_relationship", {})
    assert RS.outside_ages("age_gap_relationship", {"age": 13})
    assert not RS.outside_ages("phone_new_or_multiple", {"age": 13})


def test_what_would_change_it_never_offers_a_sign_outside_the_childs_ages():
    for age in (12, 13, 14, 15):
        outcome = screening.evaluate(RS, {"age": age, **ONE_AMBER}, agency="school")
        offered = {c.fact for n in outcome.nearby for c in n.changes}
        assert "age_gap_relationship" not in offered, age


def test_a_child_protection_outcome_is_not_told_that_immediate_danger_would_raise_it():
    outcome = screening.evaluate(RS, {"age": 14, **DISCLOSED}, agency="school")
    assert outcome.route == "section_47"
    assert "immediate_danger" in RS.same_for_every_child
    assert outcome.nearby == () and outcome.nearest is None
    lower = screening.evaluate(RS, {"age": 14, **ONE_AMBER}, agency="school")
    assert lower.nearby and all(n.rule not in RS.same_for_every_child for n in lower.nearby)
