"""Harm between children, shared images, 16- and 17-year-olds near 18, grooming with nothing sexual yet, and
guidance that becomes an action: the cases in scenarios/harm_images_transition.yaml rest on no single answer, a
peer image alone never forces section 47 while an adult, extortion or a sexual act does, and each sign whose
guidance says what to do now puts that in the next steps with a timescale."""

from __future__ import annotations

import pytest

import screening
from screening.tools.impact import cases_from_dir
from screening.tools.robustness import check_robustness
from tests.rules.conftest import DEFAULT, default_ruleset

RS = default_ruleset()
SCENARIOS = DEFAULT.parents[1] / "tests" / "rules" / "scenarios" / "harm_images_transition.yaml"


def outcome(age: int, **answers: object) -> screening.Outcome:
    return screening.evaluate(RS, {"age": age, **answers}, agency="school")


def action_ids(result: screening.Outcome) -> set[str]:
    return {a.id for a in result.actions}


def test_no_case_in_the_new_classes_leaves_child_protection_on_one_answer_read_differently():
    report = check_robustness(RS, cases_from_dir(SCENARIOS))
    assert report.cannot_evaluate == ()
    assert report.child_protection >= 12  # the file's cases on the line are all checked
    assert report.flips == (), report.summary()


PEER_IMAGE_AT_12 = {"nude_image_shared_among_peers": "yes", "images_coerced_or_shared": "no",
                    "image_threats_blackmail": "no", "image_shows_sexual_act": "no"}


def test_an_image_shared_among_peers_of_12_with_nothing_else_is_referred_but_not_section_47():
    result = outcome(12, **PEER_IMAGE_AT_12)
    assert result.route == "child_in_need"
    assert "shared_image_dsl_review" in action_ids(result)


@pytest.mark.parametrize("factor", ["images_coerced_or_shared", "image_threats_blackmail", "image_shows_sexual_act"])
def test_an_adult_extortion_or_a_sexual_act_each_makes_the_same_image_section_47(factor):
    assert outcome(12, **{**PEER_IMAGE_AT_12, factor: "yes"}).route == "section_47"


def test_at_14_the_designated_safeguarding_lead_may_manage_it_unless_a_reason_to_refer_is_there():
    managed = outcome(14, **PEER_IMAGE_AT_12)
    assert managed.route == "early_help"
    for reason in ["disability_or_communication_needs", "learning_disability", "self_harm", "image_shows_sexual_act"]:
        referred = outcome(14, **{**PEER_IMAGE_AT_12, reason: "yes"})
        assert referred.route in {"child_in_need", "section_47"}, reason
        assert "shared_image_refer_now" in action_ids(referred), reason


@pytest.mark.parametrize("disability", ["learning_disability", "disability_or_communication_needs"])
def test_autism_and_other_disabilities_get_the_floors_a_learning_disability_gets(disability):
    assert outcome(15, online_contact_unknown_adults="yes").route == "early_help"
    assert outcome(15, online_contact_unknown_adults="yes", **{disability: "yes"}).route == "child_in_need"
    assert outcome(15, cars_unknown_adults="yes").route == "child_in_need"
    assert outcome(15, cars_unknown_adults="yes", **{disability: "yes"}).route == "section_47"


def test_harm_between_children_has_a_rule_of_its_own_for_each_child():
    harmed = outcome(14, sexually_harmed_by_another_child={"answer": "yes", "when": "recent"})
    assert harmed.route == "section_47" and harmed.strategy_meeting.required
    assert {"report_sexual_violence_to_police", "safeguard_both_children",
            "urgent_medical_care_sarc"} <= action_ids(harmed)
    earlier = outcome(14, sexually_harmed_by_another_child={"answer": "yes", "when": "earlier"})
    assert "urgent_medical_care_sarc" not in action_ids(earlier)
    harmer = outcome(15, sexually_harmed_another_child="yes")
    assert harmer.route == "child_in_need"
    assert {"safeguard_both_children", "harmful_sexual_behaviour_assessment"} <= action_ids(harmer)


@pytest.mark.parametrize(("answers", "action"), [
    ({"image_threats_blackmail": "yes"}, "sextortion_do_not_pay"),
    ({"overdose_or_suicide_attempt": "yes"}, "urgent_mental_health_check"),
    ({"controlled_through_housing": "yes"}, "safe_place_to_live"),
    ({"passed_on_image_of_another_child": "yes"}, "respond_to_child_who_shared_image"),
])
def test_what_the_guidance_says_to_do_is_an_action_with_a_timescale(answers, action):
    found = [a for a in outcome(15, **answers).actions if a.id == action]
    assert found and found[0].within


def test_a_17_year_old_with_signs_gets_a_plan_with_adult_services_and_a_16_year_old_not_yet():
    assert "plan_with_adult_services" in action_ids(outcome(17, substance_use_concern="yes"))
    assert "plan_with_adult_services" in action_ids(outcome(17, care_leaver="yes"))
    assert "plan_with_adult_services" not in action_ids(outcome(16, substance_use_concern="yes"))
    assert "plan_with_adult_services" not in action_ids(outcome(17))


def test_a_red_sign_without_a_safe_home_is_section_47_at_17():
    assert outcome(17, cars_unknown_adults="yes").route == "child_in_need"
    for home in ["care_leaver", "unsuitable_accommodation"]:
        assert outcome(17, cars_unknown_adults="yes", **{home: "yes"}).route == "section_47", home


def test_secrecy_demanded_by_an_adult_is_asked_with_the_adults_in_person_or_online():
    # a practitioner who answers "no" to the online group for a child groomed in person must still be asked it
    theme = {i.id: i.theme for i in RS.indicators}
    assert theme["asked_to_keep_contact_secret"] == theme["alone_with_unrelated_adult"] == "associates"
