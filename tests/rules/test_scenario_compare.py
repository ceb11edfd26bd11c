"""A scenario with a wrong expectation fails with a readable difference."""

import screening
from tests.rules.conftest import compare


def test_wrong_expectation_reports_expected_actual_and_rules(tiny):
    outcome = screening.evaluate(tiny, {"disclosure": "no", "danger_now": "no", "missing_90d": 4})
    problems = compare({"route": "section_47", "fired": ["young_and_red"], "not_fired": ["missing_often"],
                        "gaps_include": ["status"]}, outcome)
    assert problems[0] == "route: expected section_47, got child_in_need (fired: ['missing_often'])"
    assert "rules expected to fire but did not: ['young_and_red']" in problems
    assert "rules expected not to fire but did: ['missing_often']" in problems
    assert any(p.startswith("gaps expected but not listed: ['status']") for p in problems)


def test_matching_expectation_has_no_problems(tiny):
    outcome = screening.evaluate(tiny, {"disclosure": "no", "danger_now": "no", "missing_90d": 4})
    assert compare({"route": "child_in_need", "level": "amber", "fired": ["missing_often"]}, outcome) == []
