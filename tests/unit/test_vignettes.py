"""Vignette files: strict reading with located errors, answers that accumulate, readable mismatches, the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from screening.cli import main
from screening.tools.vignettes import (
    VignettesInvalid,
    compare,
    load_vignette_texts,
    load_vignettes,
    report_lines,
    run_stage,
    run_vignettes,
)
from tests.conftest import TINY

VIGNETTE = """\
id: tiny_case
title: A tiny case
summary: For tests.
facilitator_notes: Notes.
agency: school
stages:
  - title: First
    narrative: Something.
    answers: {age: 12, disclosure: "no", danger_now: "no", missing_90d: 4}
    expect: {route: child_in_need, fired: [missing_often]}
  - title: Second
    narrative: More.
    agency: gp
    answers: {cars: "yes"}
    expect: {route: section_47, level: red, fired: [missing_often, young_and_red]}
learning_points:
  - {text: A point, reference: A source}
discussion_questions: ["Why?"]
"""


def load(text: str, tiny, name: str = "case.yaml"):
    return load_vignette_texts({name: text}, tiny)


def errors_for(text: str, tiny) -> list:
    with pytest.raises(VignettesInvalid) as caught:
        load(text, tiny)
    return caught.value.errors


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_valid_vignette_loads_with_answers_and_agency_carried_forward(tiny):
    (vignette,) = load(VIGNETTE, tiny)
    first, second = vignette.stages
    assert (first.number, second.number) == (1, 2)
    assert dict(second.changes) == {"cars": "yes"}
    assert dict(second.answers) == {"age": 12, "disclosure": "no", "danger_now": "no", "missing_90d": 4, "cars": "yes"}
    assert (first.agency, second.agency) == ("school", "gp")
    assert second.expect.level == "red" and first.expect.level is None
    assert vignette.learning_points[0].reference == "A source"
    assert first.location.line == line_of(VIGNETTE, "title: First")


def test_a_later_stage_can_change_an_earlier_answer(tiny):
    text = VIGNETTE.replace('answers: {cars: "yes"}', "answers: {cars: \"yes\", missing_90d: 0}")
    text = text.replace("fired: [missing_often, young_and_red]", "fired: [young_and_red]")
    (vignette,) = load(text, tiny)
    assert vignette.stages[1].answers["missing_90d"] == 0
    assert all(r.ok for r in run_vignettes(tiny, [vignette]))


@pytest.mark.parametrize(("old", "new", "message", "hint"), [
    ("summary: For tests.", "sumary: For tests.", "unknown key 'sumary'", "did you mean 'summary'?"),
    ("    narrative: More.", "    narative: More.", "unknown key 'narative'", "did you mean 'narrative'?"),
    ("{route: child_in_need, fired:", "{route: child_in_need, fird:", "unknown key 'fird'", "did you mean 'fired'?"),
    ("age: 12,", "agee: 12,", "unknown question or indicator 'agee'", "did you mean 'age'?"),
    ("[missing_often]}", "[missing_oftn]}", "unknown rule 'missing_oftn'", "did you mean 'missing_often'?"),
    ("{route: child_in_need,", "{route: child_in_neeed,", "unknown route 'child_in_neeed'",
     "did you mean 'child_in_need'?"),
    ("level: red", "level: rde", "unknown level 'rde'", ""),
    ("agency: gp", "agency: gpp", "unknown agency 'gpp'", "did you mean 'gp'?"),
    ("missing_90d: 4", "missing_90d: lots", "answer for 'missing_90d': enter a whole number", ""),
    ('cars: "yes"', 'cars: "maybe"', "answer for 'cars': answer yes, no or not_known", ""),
    ("id: tiny_case", "id: Tiny Case", "'Tiny Case' is not a valid id", "lower_snake_case"),
])
def test_each_error_is_located_at_its_line_with_a_hint(tiny, old, new, message, hint):
    text = VIGNETTE.replace(old, new, 1)
    (error,) = [e for e in errors_for(text, tiny) if message in e.message]
    assert hint in error.hint
    assert error.location.file == "case.yaml"
    assert error.location.line == line_of(text, new)
    assert str(error).startswith(f"case.yaml:{error.location.line}:{error.location.col}:")


@pytest.mark.parametrize(("key", "old", "new"), [
    ("title", "  - title: Second\n    narrative: More.", "  - narrative: More."),
    ("narrative", "    narrative: More.\n", ""),
    ("answers", '    answers: {cars: "yes"}\n', ""),
    ("expect", "    expect: {route: section_47, level: red, fired: [missing_often, young_and_red]}\n", ""),
])
def test_a_stage_missing_a_required_key_is_an_error(tiny, key, old, new):
    text = VIGNETTE.replace(old, new)
    (error,) = errors_for(text, tiny)
    assert error.message == f"'{key}' is required but missing"
    assert error.yaml_path == "stages.1"
    assert error.location.line == line_of(text, "narrative: More." if key == "title" else "title: Second")


def test_an_unknown_key_reports_the_allowed_keys(tiny):
    errors = errors_for(VIGNETTE.replace("summary: For tests.", "sumary: For tests."), tiny)
    assert [e.message for e in errors] == [
        "'summary' is required but missing",
        "unknown key 'sumary'; allowed keys are agency, cy, discussion_questions, facilitator_notes, id, "
        "learning_points, stages, summary, title",
    ]
    assert errors[1].hint == "did you mean 'summary'?"


def test_every_error_in_every_file_is_reported_together(tiny):
    bad = VIGNETTE.replace("agency: gp", "agency: gpp").replace("age: 12,", "agee: 12,")
    with pytest.raises(VignettesInvalid) as caught:
        load_vignette_texts({"a.yaml": bad, "b.yaml": "id: [unclosed"}, tiny)
    assert [(e.location.file, e.message.split("'")[0].split(":")[0]) for e in caught.value.errors] == [
        ("a.yaml", "unknown question or indicator "), ("a.yaml", "unknown agency "), ("b.yaml", "YAML syntax error"),
    ]


def test_two_files_with_the_same_id_are_an_error(tiny):
    with pytest.raises(VignettesInvalid) as caught:
        load_vignette_texts({"a.yaml": VIGNETTE, "b.yaml": VIGNETTE}, tiny)
    (error,) = caught.value.errors
    assert (error.location.file, error.location.line) == ("b.yaml", 1)
    assert "vignette id 'tiny_case' is already used at a.yaml:1:1" in error.message


def test_a_file_that_is_not_a_mapping_and_an_empty_directory_are_errors(tiny, tmp_path):
    (error,) = errors_for("- just a list\n", tiny)
    assert error.message == "a vignette file must be a mapping"
    with pytest.raises(VignettesInvalid, match="no \\*.yaml files found"):
        load_vignettes(tmp_path, tiny)


def test_a_wrong_expectation_fails_with_a_readable_difference(tiny):
    text = VIGNETTE.replace("{route: section_47, level: red, fired: [missing_often, young_and_red]}",
                            "{route: child_in_need, level: amber, fired: [any_amber, young_and_red]}")
    (vignette,) = load(text, tiny)
    result = run_stage(tiny, vignette, vignette.stages[1])
    assert not result.ok
    assert result.problems == (
        "route: expected child_in_need, got section_47 (fired: ['missing_often', 'young_and_red'])",
        "level: expected amber, got red",
        "rules expected to fire but did not: ['any_amber']",
        "rules that fired but were not expected: ['missing_often']",
    )
    lines = list(report_lines(run_vignettes(tiny, [vignette])))
    assert lines[0] == "ok       tiny_case stage 1/2: expected child_in_need, got child_in_need"
    assert lines[1] == "MISMATCH tiny_case stage 2/2: expected child_in_need, got section_47"
    assert lines[2] == f"    at case.yaml:{line_of(text, 'title: Second')}:5 (Second)"
    assert lines[-1] == "1 vignettes, 2 stages: 1 ok, 1 mismatched"


def test_compare_treats_fired_as_a_minimum_unless_exact(tiny):
    (vignette,) = load(VIGNETTE, tiny)
    outcome = run_stage(tiny, vignette, vignette.stages[1]).outcome
    assert compare({"route": "section_47", "fired": ["young_and_red"]}, outcome) == []
    assert compare({"route": "section_47", "fired": ["young_and_red"]}, outcome, exact=True) == [
        "rules that fired but were not expected: ['missing_often']"]


# --- The command line -----------------------------------------------------------------------------------------


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_prints_a_line_per_stage_and_exits_0_when_all_match(tmp_path):
    (tmp_path / "tiny_case.yaml").write_text(VIGNETTE)
    result = run_cli("vignettes", tmp_path, "--rules", TINY)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ok       tiny_case stage 1/2: expected child_in_need, got child_in_need",
        "ok       tiny_case stage 2/2: expected section_47, got section_47",
        "1 vignettes, 2 stages: 2 ok, 0 mismatched",
    ]


def test_cli_exits_1_on_a_mismatch_with_expected_actual_and_rules(tmp_path):
    (tmp_path / "tiny_case.yaml").write_text(VIGNETTE.replace("{route: child_in_need, fired: [missing_often]}",
                                                              "{route: early_help, fired: [any_amber]}"))
    result = run_cli("vignettes", tmp_path, "--rules", TINY)
    assert result.exit_code == 1
    assert "MISMATCH tiny_case stage 1/2: expected early_help, got child_in_need" in result.output
    assert "    route: expected early_help, got child_in_need (fired: ['missing_often'])" in result.output
    assert "    rules expected to fire but did not: ['any_amber']" in result.output
    assert "    rules that fired but were not expected: ['missing_often']" in result.output


def test_cli_exits_1_on_an_invalid_file_with_located_errors(tmp_path):
    (tmp_path / "tiny_case.yaml").write_text(VIGNETTE.replace("age: 12,", "agee: 12,"))
    result = run_cli("vignettes", tmp_path, "--rules", TINY)
    assert result.exit_code == 1
    assert f"{tmp_path / 'tiny_case.yaml'}:9:" in result.output
    assert "did you mean 'age'?" in result.output
    assert "1 error(s) in" in result.output
