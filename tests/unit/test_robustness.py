"""Robustness: the cases whose child protection route rests on a single answer (tools/robustness.py and
`screening robustness`), over tests/fixtures/single_answer, where one case of three rests on its disclosure."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import screening
from screening.cli import main
from screening.tools.impact import Case, cases_from_dir
from screening.tools.robustness import Flip, Robustness, check_robustness, report_lines
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "single_answer"
CASES = FIXTURE / "cases"


@pytest.fixture(scope="module")
def rs() -> screening.RuleSet:
    return screening.load_ruleset(FIXTURE)


def case(answers: dict[str, object], name: str = "inline") -> Case:
    return Case(name, "case", name, "school", {"age": 14, **answers})


@pytest.mark.hazard("H-01")
def test_finds_exactly_the_case_that_rests_on_one_answer(rs):
    report = check_robustness(rs, cases_from_dir(CASES))
    assert report.flips == (Flip("cases.yaml#1", "Rests on the disclosure alone", report.flips[0].where, "disclosure",
                                 "Has told someone they were sexually abused", True, "yes", "not_known",
                                 "section_47", "universal", "Section 47", "Universal"),)
    assert report.flips[0].where.endswith("cases.yaml:3:3")
    assert report.fragile == ("cases.yaml#1",)
    assert (report.cases, report.child_protection, report.cannot_evaluate) == (3, 2, ())
    assert report.summary() == "1 of 3 cases rest on a single answer"


def test_only_answered_facts_move_and_a_required_question_is_never_made_not_known(rs):
    # disclosure and cars move (yes and no to not known); seen_alone needs an answer; hotels and controlled were
    # not answered, so they are not known already
    report = check_robustness(rs, [case({"disclosure": "yes", "cars": "no", "seen_alone": "yes"})])
    assert report.tried == 2


def test_a_case_below_child_protection_is_evaluated_but_nothing_is_moved(rs):
    report = check_robustness(rs, [case({"cars": "yes"})])
    assert (report.cases, report.child_protection, report.tried, report.flips) == (1, 0, 0, ())


def test_not_known_moves_to_no_and_to_yes(rs):
    # hotels with control not ruled out holds it on section 47: reading 'controlled' as no takes it off, as yes
    # keeps it on (two red signs); hotels read as not known leaves nothing
    report = check_robustness(rs, [case({"hotels": "yes", "controlled": "not_known"})])
    moves = {(f.fact, f.from_answer, f.to_answer, f.route_after) for f in report.flips}
    assert moves == {("controlled", "not_known", "no", "child_in_need"), ("hotels", "yes", "not_known", "universal")}
    assert report.tried == 3
    assert report.fragile == ("inline",)


def test_recency_goes_with_the_yes(rs):
    report = check_robustness(rs, [case({"disclosure": {"answer": "yes", "when": "recent"}})])
    assert [(f.from_answer, f.to_answer) for f in report.flips] == [("yes", "not_known")]


def test_a_case_the_rules_cannot_evaluate_is_set_aside(rs):
    report = check_robustness(rs, [case({"no_such_sign": "yes"}, "bad"), case({"disclosure": "yes"})])
    assert report.cases == 1
    assert [(c[0], "no_such_sign" in c[2]) for c in report.cannot_evaluate] == [("bad", True)]


def test_a_report_survives_being_stored(rs):
    report = check_robustness(rs, cases_from_dir(CASES))
    assert Robustness.from_dict(report.to_dict()) == report
    assert report.ruleset == {"id": "single_answer", "version": "0.1", "hash": rs.hash}


def test_the_lines_say_which_answer_and_end_with_the_summary(rs):
    lines = list(report_lines(check_robustness(rs, cases_from_dir(CASES))))
    assert lines[-1] == "1 of 3 cases rest on a single answer"
    assert [line.strip() for line in lines if "cases.yaml#" in line] == [
        "cases.yaml#1: the sign 'Has told someone they were sexually abused' (disclosure) answered not known "
        "instead of yes gives Universal (universal), not Section 47 (section_47)  [Rests on the disclosure alone]"]


# --- The command ---------------------------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, ["robustness", *(str(a) for a in args)])


def test_the_command_prints_one_line_per_fragile_answer_and_the_summary():
    result = run(FIXTURE, "--no-vignettes", "--cases", CASES)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("  cases.yaml#1: the sign 'Has told someone they were sexually abused' (disclosure) answered not known "
            "instead of yes gives Universal (universal), not Section 47 (section_47)  "
            "[Rests on the disclosure alone]") in lines
    assert sum("cases.yaml#" in line for line in lines) == 1
    assert lines[-1] == "1 of 3 cases rest on a single answer"


def test_a_bad_case_file_is_a_located_error(tmp_path):
    (tmp_path / "case.yaml").write_text("agency: school\nanswers: [1, 2]\n")
    result = run(FIXTURE, "--no-vignettes", "--cases", tmp_path)
    assert result.exit_code == 1
    assert "case.yaml:1:1" in result.output and "error:" in result.output


def test_a_case_the_rules_cannot_evaluate_is_a_located_error(tmp_path):
    (tmp_path / "case.yaml").write_text("agency: school\nanswers:\n  disclosure: perhaps\n")
    result = run(FIXTURE, "--no-vignettes", "--cases", tmp_path)
    assert result.exit_code == 1
    assert "case.yaml:1:1: case.yaml:" in result.output and "disclosure" in result.output
    assert "error: 1 case(s) cannot be evaluated" in result.output


def test_a_bad_rule_set_is_a_located_error(tmp_path):
    text = (FIXTURE / "ruleset.yaml").read_text().replace("level: red, text: Gets", "level: crimson, text: Gets")
    (tmp_path / "ruleset.yaml").write_text(text)
    result = run(tmp_path, "--no-vignettes")
    assert result.exit_code == 1
    assert "ruleset.yaml:" in result.output and "crimson" in result.output
