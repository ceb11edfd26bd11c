"""Every kind of rule-file error is reported with file:line:col, the item id and a hint."""

import pytest

import screening
from tests.conftest import TINY

TEXT = (TINY / "ruleset.yaml").read_text()
NAME = "rules/tiny/ruleset.yaml"


def errors_after(old: str, new: str, *, extra: dict | None = None) -> list[screening.RuleError]:
    assert old in TEXT, f"fixture no longer contains {old!r}"
    texts = {NAME: TEXT.replace(old, new, 1), **(extra or {})}
    with pytest.raises(screening.RuleSetInvalid) as caught:
        screening.load_ruleset_texts(texts)
    return caught.value.errors


def line_of(marker: str) -> int:
    return next(n for n, line in enumerate(TEXT.splitlines(), 1) if marker in line)


MISSING = ("  - {id: missing_90d, section: history, type: count, label: Missing episodes in 90 days, window_days: 90, "
           "max: 200}")
OPTIONS = "    options: [{id: none, label: None}, {id: looked_after, label: Looked after}]"

CASES = [
    ('unknown key', '    source: statute',
     '    sauce: statute\n    source: statute',
     "unknown key 'sauce'; allowed keys are", 'young_and_red'),
    ('unknown fact', '{fact: missing_90d, at_least: 3}',
     '{fact: missing_9d, at_least: 3}',
     "unknown fact 'missing_9d'", 'missing_often'),
    ('unknown route', 'then: {route: child_in_need, level: amber,',
     'then: {route: child_need, level: amber,',
     "unknown route 'child_need'", 'missing_often'),
    ('unknown level', 'then: {route: early_help, level: amber}',
     'then: {route: early_help, level: amberr}',
     "unknown level 'amberr'", 'any_amber'),
    ('unknown action', 'actions: [call_999]',
     'actions: [call_998]',
     "unknown action 'call_998'", 'danger'),
    ('operator does not fit type', '{fact: danger_now, is: "yes"}',
     '{fact: danger_now, at_least: 1}',
     "'at_least' does not fit tristate fact 'danger_now'", 'danger'),
    ('never fires: impossible age', '{fact: age, below: 13}',
     '{fact: age, below: 0}',
     'age can never be below 0', 'young_and_red'),
    ('never fires: count too high', '{count: present, level: red, at_least: 1}',
     '{count: present, level: red, at_least: 9}',
     'only 3 indicators match', 'young_and_red'),
    ('bad enum', '    source: statute',
     '    source: statue',
     "'statue' is not allowed here", 'young_and_red'),
    ('bad id', '  - id: any_amber',
     '  - id: Any-Amber',
     "'Any-Amber' is not a valid id", 'Any-Amber'),
    ('bad timescale', 'what: Record the concern, within: 1 day}',
     'what: Record the concern, within: soon}',
     "'soon' is not a timescale", 'record'),
    ('wrong type', 'guidance: Look for patterns',
     'guidance: 42',
     'expected text here', 'runs_away'),
    ('missing required key',
     '  - {id: online_contact, theme: online, level: amber, text: Contacted online by unknown adults, '
     'guidance: Grooming, reference: Test}',
     '  - {id: online_contact, theme: online, level: amber, text: Contacted online by unknown adults, reference: Test}',
     "'guidance' is required but missing", 'online_contact'),
    ('unknown option', '{fact: status, in: [looked_after]}',
     '{fact: status, in: [looked_afterr]}',
     "'looked_afterr' is not an option of 'status'", 'looked_after_online'),
    ('history kind needs its type', MISSING,
     MISSING[:-1] + ", history: {of: highest_route}}",
     "a history question of 'highest_route' must have type choice", 'missing_90d'),
    ('history count needs a window', '  - {id: seen_alone, section: about_child, type: tristate',
     '  - {id: prior, section: history, type: count, label: Earlier, history: {of: earlier_screenings}}\n'
     '  - {id: seen_alone, section: about_child, type: tristate',
     'a history question needs a window', 'prior'),
    ('history looks for facts that exist', '  - {id: seen_alone, section: about_child, type: tristate',
     '  - {id: told, section: history, type: count, label: Told, window_days: 365, '
     'history: {of: screenings_with, facts: [runs_awy]}}\n  - {id: seen_alone, section: about_child, type: tristate',
     "unknown fact 'runs_awy'", 'told'),
    ('history highest route offers routes', OPTIONS,
     OPTIONS + '\n'
     '    window_days: 365\n    history: {of: highest_route}',
     "'looked_after' is not a route", 'status'),
    ('duplicate id', '  - id: high_score',
     '  - id: any_amber',
     "duplicate id 'any_amber'", 'any_amber'),
]


@pytest.mark.parametrize(("old", "new", "words", "item_id"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error_is_located_and_explained(old, new, words, item_id):
    errors = errors_after(old, new)
    matching = [e for e in errors if words in e.message]
    assert matching, f"no error saying {words!r} in {[str(e) for e in errors]}"
    error = matching[0]
    assert error.location.file == NAME
    assert error.location.line == line_of(old.splitlines()[0].strip())
    assert str(error).startswith(f"{NAME}:{error.location.line}:{error.location.col}:")
    assert error.item_id == item_id


def test_did_you_mean_for_unknown_ids():
    errors = errors_after("{fact: missing_90d, at_least: 3}", "{fact: missing_9d, at_least: 3}")
    assert errors[0].hint == "did you mean 'missing_90d'?"


def test_unknown_key_suggests_the_near_key():
    errors = errors_after("    source: statute", "    sorce: statute")
    unknown = next(e for e in errors if "unknown key 'sorce'" in e.message)
    assert unknown.hint == "did you mean 'source'?"
    assert any("'source' is required but missing" in e.message for e in errors)


def test_duplicate_yaml_key_is_an_error_at_the_second_key():
    errors = errors_after("    source: statute", "    source: statute\n    source: local")
    assert any("duplicate key 'source'" in e.message for e in errors)
    assert errors[0].location.line == line_of("source: statute") + 1
    assert errors[0].hint == f"'source' is already set at line {line_of('source: statute')}"


def test_yaml_syntax_error_is_located():
    errors = errors_after("  - {id: gp, name: GP practice}", "  - {id: gp, name: GP practice")
    assert "YAML syntax error" in errors[0].message
    assert errors[0].location.file == NAME


def test_contradictory_all_can_never_fire():
    errors = errors_after("        - {fact: age, below: 13}", "        - {fact: age, below: 13}\n"
                          "        - {fact: age, at_least: 15}")
    assert any("contradict each other" in e.message for e in errors)


def test_all_errors_are_collected_not_just_the_first():
    texts_errors = errors_after("then: {route: early_help, level: amber}", "then: {route: early, level: amberr}")
    assert {e.message for e in texts_errors} == {"unknown route 'early'", "unknown level 'amberr'"}


def test_a_section_may_live_in_only_one_file():
    extra = {"rules/tiny/more.yaml": "escalation:\n  - {stage: '2', who: Me, what: Something}\n"}
    errors = errors_after("meta:", "meta:", extra=extra)
    assert any("section 'escalation' is already defined in" in e.message for e in errors)
    clash = next(e for e in errors if "already defined" in e.message)
    assert "rules/tiny/more.yaml:1:1" in clash.message
    assert clash.location.line == line_of("escalation:")


def test_a_misspelt_section_is_an_unknown_key():
    errors = errors_after("escalation:\n", "escalation_steps:\n")
    assert any("unknown key 'escalation_steps'" in e.message for e in errors)


def test_a_missing_section_is_reported_with_where_to_add_it():
    section = TEXT[TEXT.index("escalation:\n"):]
    assert section.count("\n") == 2, "the tiny fixture's escalation section is expected to end the file"
    errors = errors_after(section, "")
    assert [(e.message, e.hint) for e in errors] == [
        ("the rule set has no 'escalation' section", "add it to one of the rule-set files")]


def test_explanation_placeholders_must_name_facts():
    errors = errors_after("explanation: The child is {age}.", "explanation: The child is {agee}.")
    assert errors[0].message == "unknown fact 'agee'"
    assert errors[0].hint == "did you mean 'age'?"
