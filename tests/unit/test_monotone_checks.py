"""Static checks that more evidence never lowers an outcome, for any rule set (not only the default one): each
kind of rule that could fire on less evidence is refused with file:line:col, or is a warning where the rule set's
meta says so; a trigger counted among its own "other signs" is a warning."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import screening
from screening.cli import main
from screening.errors import RuleSetInvalid
from tests.conftest import TINY


def texts_with_rule(rule: str, meta_extra: str = "") -> dict[str, str]:
    texts = {p.name: p.read_text() for p in TINY.glob("*.yaml")}
    name = next(n for n, t in texts.items() if "\nrules:" in "\n" + t)
    texts[name] = texts[name].replace("rules:\n", "rules:\n" + rule, 1)
    if meta_extra:
        meta = next(n for n, t in texts.items() if "meta:" in t)
        texts[meta] = texts[meta].replace("meta:\n", "meta:\n" + meta_extra, 1)
    return texts


def rule(when: str, then: str = "route: child_in_need") -> str:
    return (f"  - id: probe\n    description: probe\n    when: {when}\n    then: {{{then}}}\n"
            "    source: local\n    reference: test\n")


LOWERING = [
    ('{fact: runs_away, is: "no"}', "fires on 'runs_away' being \"no\""),
    ("{fact: missing_90d, below: 3}", "count 'missing_90d' being below"),
    ("{fact: missing_90d, at_most: 2}", "count 'missing_90d' being at most"),
    ('{not: {fact: runs_away, is: "yes"}}', "uses 'not'"),
    ('{all: [{fact: cars, is: "yes"}, {any: [{fact: runs_away, is: "no"}]}]}', "being \"no\""),
]


@pytest.mark.hazard("H-06")
@pytest.mark.parametrize(("when", "message"), LOWERING)
def test_a_raising_rule_that_fires_on_less_evidence_is_refused_where_it_is(when, message):
    texts = texts_with_rule(rule(when))
    with pytest.raises(RuleSetInvalid) as caught:
        screening.load_ruleset_texts(texts)
    found = [e for e in caught.value.errors if message in e.message]
    assert found, [str(e) for e in caught.value.errors]
    assert re.match(r"^\w+\.yaml:\d+:\d+$", str(found[0].location)), str(found[0].location)
    assert found[0].item_id == "probe"


@pytest.mark.parametrize(("when", "message"), LOWERING[:2])
def test_the_same_rule_is_allowed_when_it_only_adds_actions(when, message):
    rs = screening.load_ruleset_texts(texts_with_rule(rule(when, "actions: [record]")))
    assert "probe" in {r.id for r in rs.rules}


def test_a_rule_set_may_choose_warnings_in_its_meta():
    rs = screening.load_ruleset_texts(texts_with_rule(rule('{fact: runs_away, is: "no"}'), "  non_monotone: warn\n"))
    assert any("fires on 'runs_away' being \"no\"" in w.message for w in rs.warnings)


def test_a_trigger_counted_among_its_own_other_signs_is_a_warning_and_except_clears_it():
    doubled = rule('{all: [{fact: cars, is: "yes"}, {count: present, level: [amber, red], at_least: 2}]}',
                   "route: section_47")
    rs = screening.load_ruleset_texts(texts_with_rule(doubled))
    assert any("also counts the rule's own trigger (cars)" in w.message for w in rs.warnings)
    fixed = rule('{all: [{fact: cars, is: "yes"}, {count: present, level: [amber, red], at_least: 1, '
                 'except: [cars]}]}', "route: section_47")
    assert not screening.load_ruleset_texts(texts_with_rule(fixed)).warnings


def test_validate_prints_warnings_with_their_location(tmp_path):
    doubled = rule('{all: [{fact: cars, is: "yes"}, {count: present, level: [amber, red], at_least: 2}]}',
                   "route: section_47")
    for name, text in texts_with_rule(doubled).items():
        (tmp_path / name).write_text(text)
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 0
    assert re.search(r"^warning: \S+\.yaml:\d+:\d+: \[probe\] this count of other signs", result.output, re.M)
    assert "1 warning(s)" in result.output


def test_the_default_rule_set_has_no_warnings_but_its_placeholder_contacts():
    warnings = screening.load_ruleset("rules/default").warnings
    assert warnings and all(w.yaml_path.startswith("contacts.") for w in warnings)  # test_placeholder_contacts.py
