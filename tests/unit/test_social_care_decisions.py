"""The rule set's `social_care_decisions`: what children's social care may decide on a referral, each naming the
route it corresponds to. Optional (a rule set without it keeps working); a bad entry is an error where it is
written."""

from __future__ import annotations

import pytest

import screening
from screening.model import SocialCareDecision
from tests.conftest import DEFAULT, TINY

TEXTS = {f"default/{p.name}": p.read_text() for p in sorted(DEFAULT.glob("*.yaml"))}
FILE = "default/ruleset.yaml"


def loaded_with(old: str, new: str) -> screening.RuleSet:
    assert TEXTS[FILE].count(old) == 1, old
    return screening.load_ruleset_texts({**TEXTS, FILE: TEXTS[FILE].replace(old, new)})


def errors_with(old: str, new: str) -> list:
    with pytest.raises(screening.RuleSetInvalid) as caught:
        loaded_with(old, new)
    return caught.value.errors


def line_of(text: str) -> int:
    return TEXTS[FILE].splitlines().index(text) + 1


def test_the_default_rule_set_lists_childrens_social_cares_decisions_each_with_its_route(default_rules):
    assert [(d.id, d.route) for d in default_rules.social_care_decisions] == [
        ("no_further_action", "universal"), ("early_help", "early_help"), ("section_17_assessment", "child_in_need"),
        ("section_47_strategy", "section_47"), ("police_protection", "immediate_protection"), ("already_open", "")]
    assert default_rules.social_care_decisions[3] == SocialCareDecision(
        "section_47_strategy", "Strategy discussion under section 47", "section_47")


def test_a_rule_set_without_them_still_loads(tiny):
    assert "social_care_decisions" not in (TINY / "ruleset.yaml").read_text()
    assert tiny.social_care_decisions == ()


def test_an_unknown_route_is_located_with_a_suggestion():
    [error] = errors_with("    route: child_in_need\n  - id: section_47_strategy",
                          "    route: child_in_needs\n  - id: section_47_strategy")
    assert (error.location.file, error.location.line, error.location.col) == (
        FILE, line_of("    route: child_in_need"), 5)
    assert error.message == "unknown route 'child_in_needs'" and error.item_id == "section_17_assessment"
    assert error.yaml_path == "social_care_decisions.2.route" and error.hint == "did you mean 'child_in_need'?"


def test_a_duplicate_id_an_unknown_key_a_long_id_and_a_missing_label_are_located():
    [twice] = errors_with("  - id: police_protection", "  - id: early_help")
    assert twice.message == "duplicate id 'early_help'" and twice.location.line == line_of("  - id: police_protection")
    [unknown] = errors_with("    label: No further action\n", "    label: No further action\n    colour: red\n")
    assert "unknown key 'colour'" in unknown.message and "allowed keys are id, label, route" in unknown.message
    assert unknown.location.line == line_of("    label: No further action") + 1
    [long] = errors_with("  - id: already_open", "  - id: already_open_to_childrens_social_care_team")
    assert long.location.line == line_of("  - id: already_open") and "is too long" in long.message  # stored in 32
    [missing] = errors_with("    label: Early help\n", "")
    assert missing.message == "'label' is required but missing" and missing.item_id == "early_help"
