"""The command line: validate, evaluate (text and JSON), explain."""

import json

from click.testing import CliRunner

from screening.cli import main
from tests.conftest import TINY

CASE = """agency: school
answers:
  age: 12
  cars: "yes"
  disclosure: "no"
  danger_now: "no"
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_validate_valid_rule_set_exits_0():
    result = run("validate", TINY)
    assert result.exit_code == 0
    assert "valid: tiny version 0.1" in result.output


def test_validate_lists_every_located_error_and_exits_1(tmp_path):
    broken = (TINY / "ruleset.yaml").read_text().replace("actions: [call_999]", "actions: [call_998]")
    broken = broken.replace("{fact: missing_90d, at_least: 3}", "{fact: missing_9d, at_least: 3}")
    (tmp_path / "ruleset.yaml").write_text(broken)
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "ruleset.yaml:" in line]
    assert len(lines) == 2
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in lines)
    assert "did you mean 'call_999'?" in result.output


def test_evaluate_json_has_the_documented_keys(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(CASE)
    result = run("evaluate", "--rules", TINY, "--format", "json", case)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("route", "risk_level", "strategy_meeting", "findings", "actions", "information_gaps", "ruleset"):
        assert key in data
    assert data["route"] == "section_47"
    assert set(data["ruleset"]) == {"id", "version", "hash"}


def test_evaluate_text_is_a_referral_ready_summary(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(CASE)
    result = run("evaluate", "--rules", TINY, case)
    assert result.exit_code == 0
    assert "Recommended route: Section 47 (section_47)" in result.output
    assert "This IS a child protection referral." in result.output
    assert "[young_and_red]" in result.output


def test_evaluate_bad_answers_exit_1_with_message(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("answers:\n  agee: 12\n")
    result = run("evaluate", "--rules", TINY, case)
    assert result.exit_code == 1
    assert "did you mean 'age'?" in result.output


def test_explain_prints_rules_in_plain_words():
    result = run("explain", "--rules", TINY)
    assert result.exit_code == 0
    assert "young_and_red: A child under 13 with any red indicator" in result.output
    assert "if all of: 'Age' is under 13; at least 1 red indicators present" in result.output
    assert "then at least Section 47; risk at least Red: high" in result.output


def test_validate_locates_bytes_that_are_not_utf8(tmp_path):
    (tmp_path / "ruleset.yaml").write_bytes((TINY / "ruleset.yaml").read_bytes().replace(b"meta:", b"meta: \xff", 1))
    result = run("validate", tmp_path)
    assert result.exit_code == 1 and not isinstance(result.exception, UnicodeDecodeError)
    assert "ruleset.yaml:" in result.output and "bytes that are not UTF-8" in result.output


def test_evaluate_checks_the_wording_of_free_text_in_text_and_json(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("agency: school\nanswers:\n  age: 14\n  child_words: He is my boyfriend.\n"
                    "  history_notes: She consented and keeps putting herself at risk.\n")
    data = json.loads(run("evaluate", "--format", "json", case).output)
    assert {f["id"] for f in data["language"]["history_notes"]} == {"consent", "putting_self_at_risk"}
    assert "child_words" not in data["language"]
    text = run("evaluate", case).output
    assert "Wording to check" in text and '"She consented"' in text and '"putting herself at risk"' in text
    clean = tmp_path / "clean.yaml"
    clean.write_text("agency: school\nanswers:\n  age: 14\n  history_notes: Adults contact her online.\n")
    assert json.loads(run("evaluate", "--format", "json", clean).output)["language"] == {}
    assert "Wording to check" not in run("evaluate", clean).output


def test_an_error_goes_where_click_sends_it():
    import io

    from screening.cli.common import CliError
    given = io.StringIO()
    CliError("it failed", ["file.yaml:3:5: bad"]).show(given)
    assert given.getvalue() == "file.yaml:3:5: bad\nerror: it failed\n"
