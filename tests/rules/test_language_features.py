"""Rule-language features that published tools need, each on a fixture: the SERAF example (recency 'both' and
its weight, score bands, indicator classes apart from outcome levels, a named timescale) and, on the tiny set, a
fact compared with another fact plus a constant. Each refused misuse is located."""

from __future__ import annotations

import pytest

import screening
from screening.errors import RuleSetInvalid
from screening.timescale import parse_timescale
from tests.conftest import ROOT, TINY

SERAF = screening.load_ruleset(ROOT / "rules" / "examples" / "seraf")
MODERATE = ["staying_out_late", "unknown_adult_callers", "worrying_phone_use", "expressions_of_despair",
            "out_of_education", "drug_or_alcohol_misuse"]
VULNERABLE = ["family_breakdown", "domestic_abuse_at_home", "low_self_esteem", "no_protective_adult"]


def seraf(*yes: str, **significant: str):
    """Every indicator answered: those named yes (significant ones with when), the rest no. (A band with an
    upper bound stays undecided while unanswered signs could still take the total past it.)"""
    answers = {i.id: "no" for i in SERAF.indicators}
    answers.update({**{i: "yes" for i in yes}, **{i: {"answer": "yes", "when": w} for i, w in significant.items()}})
    return screening.evaluate(SERAF, answers)


def test_a_band_is_undecided_while_unanswered_signs_could_take_the_total_past_it():
    outcome = screening.evaluate(SERAF, {i: "yes" for i in VULNERABLE + MODERATE[:2]})  # 6, the rest not known
    assert outcome.risk_level == "cat1" and "category_2" not in [f.rule for f in outcome.findings]
    assert seraf(*VULNERABLE, *MODERATE[:2]).risk_level == "cat2"  # once the rest are known to be absent


@pytest.mark.parametrize(("answers", "significant", "level"), [
    ([], {}, "cat1"),
    (VULNERABLE, {}, "cat1"),                                            # 4
    (VULNERABLE + MODERATE[:1], {}, "cat1"),                             # 5: the top of category 1
    (VULNERABLE + MODERATE[:2], {}, "cat2"),                             # 6
    ([], {"older_controlling_partner": "recent"}, "cat1"),               # 5
    ([], {"older_controlling_partner": "both"}, "cat2"),                 # 6: recent and earlier
    ([], {"older_controlling_partner": "earlier"}, "cat1"),              # 1
    (MODERATE, {"older_controlling_partner": "recent"}, "cat3"),         # 11
    (VULNERABLE + MODERATE, {"gifts_for_sex": "recent"}, "cat3"),        # 15: the top of category 3
    (VULNERABLE + MODERATE, {"gifts_for_sex": "both"}, "cat4"),          # 16
    ([], {"gifts_for_sex": "recent", "older_controlling_partner": "recent",
          "missing_overnight_with_adults": "both"}, "cat4"),             # 16
])
def test_the_seraf_example_reproduces_the_documented_bands(answers, significant, level):
    assert seraf(*answers, **significant).risk_level == level


def test_the_seraf_example_keeps_indicator_classes_apart_from_its_categories():
    assert {lv.id for lv in SERAF.indicator_levels} == {"vulnerability", "moderate_indicator", "significant_indicator"}
    assert {lv.id for lv in SERAF.levels} == {"cat1", "cat2", "cat3", "cat4"}
    outcome = seraf(*VULNERABLE, **{"older_controlling_partner": "both"})
    assert outcome.level_of("significant_indicator").label == "Significant indicator"  # stored for display


def test_the_seraf_example_says_its_bands_are_not_monotone_and_a_named_timescale_orders_its_steps():
    assert len(SERAF.warnings) == 2 and all("at most" in w.message for w in SERAF.warnings)
    rescreen = SERAF.actions["rescreen"]
    assert str(rescreen.within) == "At the next SERAF review (at least every 3 months)"
    assert parse_timescale("10 working days") < rescreen.within < parse_timescale("100 days")


def tiny_texts(extra_rule: str = "", extra_question: str = "", top: str = "") -> dict[str, str]:
    text = (TINY / "ruleset.yaml").read_text()
    text = text.replace("rules:\n", "rules:\n" + extra_rule, 1)
    text = text.replace("questions:\n", "questions:\n" + extra_question, 1)
    return {"ruleset.yaml": text + top}


OTHER_AGE = ("  - {id: other_age, section: about_child, type: count, label: Age of the other person, min: 0, "
             "max: 120}\n")


def test_a_fact_compared_with_another_plus_a_constant():
    gap = ("  - id: age_gap\n    description: The other person is at least 5 years older.\n"
           "    when: {fact: other_age, at_least: {fact: age, plus: 5}}\n    then: {route: early_help}\n"
           "    source: local\n    reference: test\n")
    rs = screening.load_ruleset_texts(tiny_texts(gap, OTHER_AGE))
    base = {"disclosure": "no", "danger_now": "no"}
    fired = lambda answers: [f.rule for f in screening.evaluate(rs, {**base, **answers}).findings]  # noqa: E731
    assert "age_gap" in fired({"age": 15, "other_age": 20})
    assert "age_gap" not in fired({"age": 15, "other_age": 19})
    outcome = screening.evaluate(rs, {**base, "age": 15})  # the other age not known: a gap, never a no
    assert "other_age" in {g.fact for g in outcome.information_gaps}


@pytest.mark.parametrize(("rule_when", "message"), [
    ("{fact: other_age, at_least: {fact: nobody, plus: 5}}", "unknown fact 'nobody'"),
    ("{fact: other_age, at_least: {fact: runs_away}}", "cannot compare tristate fact 'runs_away'"),
    ("{score: total, at_least: 6, at_most: 3}", "can never be at least 6 and at most 3"),
    ("{fact: missing_90d, at_least: 1}\n    then: {route: early_help, strategy_meeting: {within: next_panel}}",
     "'next_panel' is not a timescale"),
])
def test_misused_features_are_refused_where_they_are(rule_when, message):
    then = "" if "then:" in rule_when else "\n    then: {route: early_help}"
    rule = (f"  - id: probe\n    description: probe\n    when: {rule_when}{then}\n    source: local\n"
            "    reference: test\n")
    with pytest.raises(RuleSetInvalid) as caught:
        screening.load_ruleset_texts(tiny_texts(rule, OTHER_AGE))
    found = [e for e in caught.value.errors if message in e.message]
    assert found, [str(e) for e in caught.value.errors]
    assert str(found[0].location).startswith("ruleset.yaml:")


def test_indicator_classes_must_not_reuse_an_outcome_level_id():
    clash = "\nindicator_levels:\n  - {id: red, label: Red sign, description: A red sign}\n"
    with pytest.raises(RuleSetInvalid, match="also an outcome level id"):
        screening.load_ruleset_texts(tiny_texts(top=clash))
