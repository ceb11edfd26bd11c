"""Impact of a rule-set change: transitions, changed cases, cases going down, failing vignettes, the diff CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import screening
from screening.cli import diff as impact_cli
from screening.cli import main
from screening.tools.impact import CHUNK, PARALLEL_FROM, Case, cases_from_dir, cases_from_vignettes, compare
from screening.tools.vignettes import load_vignettes
from tests.conftest import TINY

TEXT = (TINY / "ruleset.yaml").read_text(encoding="utf-8")
MISSING_RULE = "{fact: missing_90d, at_least: 3}"
SAFE = {"disclosure": "no", "danger_now": "no"}  # an unanswered disclosure fires the s47 rule (on_unknown: fire)

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
    answers: {cars: "yes"}
    expect: {route: section_47, level: red, fired: [missing_often, young_and_red]}
learning_points:
  - {text: A point, reference: A source}
discussion_questions: ["Why?"]
"""


def candidate(tmp_path, old: str, new: str, name: str = "new"):
    """A copy of the tiny rule set with one edit, as a directory (for the CLI) and loaded."""
    assert old in TEXT
    folder = tmp_path / name
    folder.mkdir()
    (folder / "ruleset.yaml").write_text(TEXT.replace(old, new), encoding="utf-8")
    return folder, screening.load_ruleset(folder)


def case(case_id: str, agency: str | None = "school", **answers) -> Case:
    return Case(case_id, "case", f"case {case_id}", agency, {**SAFE, **answers})


CASES = [
    case("missing4", age=14, missing_90d=4),   # child_in_need via missing_often
    case("missing2", age=14, missing_90d=2),   # universal
    case("danger", age=15, danger_now="yes"),  # immediate_protection
]


def test_the_impact_engine_imports_no_web_or_database_library():
    check = ("import sys, screening.tools.impact; print(','.join(sorted(m for m in sys.modules "
             "if m.split('.')[0] in {'flask', 'wtforms', 'sqlalchemy', 'werkzeug', 'psycopg'})))")
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_identical_rule_sets_change_nothing(tiny):
    report = compare(tiny, tiny, CASES)
    assert report.transitions == {("child_in_need", "child_in_need"): 1, ("universal", "universal"): 1,
                                  ("immediate_protection", "immediate_protection"): 1}
    assert report.changed == () and report.down == () and report.cannot_evaluate == ()
    assert not report.needs_attention
    assert report.totals["unchanged"] == 3 and report.totals["evaluated"] == 3


def test_raising_a_threshold_sends_a_case_down(tiny, tmp_path):
    _, new = candidate(tmp_path, MISSING_RULE, "{fact: missing_90d, at_least: 5}")
    report = compare(tiny, new, CASES)
    assert report.transitions[("child_in_need", "universal")] == 1
    (changed,) = report.changed
    assert changed.case.id == "missing4"
    assert changed.no_longer_fire == ("missing_often",) and changed.now_fire == ()
    assert changed.down_reasons == ("route child_in_need -> universal", "level amber -> green")
    assert report.down == (changed,) and report.needs_attention
    down_row = next(line for line in report.table_text().splitlines() if "universal" in line and "child_in" in line)
    assert "DOWN" in down_row and down_row.split()[3] == "1"
    assert all("DOWN" not in line for line in report.table_text().splitlines() if line != down_row)


def test_lowering_a_threshold_sends_a_case_up_and_needs_no_attention(tiny, tmp_path):
    _, new = candidate(tmp_path, MISSING_RULE, "{fact: missing_90d, at_least: 2}")
    report = compare(tiny, new, CASES)
    (changed,) = report.changed
    assert (changed.case.id, changed.old.route, changed.new.route) == ("missing2", "universal", "child_in_need")
    assert changed.now_fire == ("missing_often",) and not changed.down
    assert [r.direction for r in report.rows if r.from_route == "universal"] == ["up"]
    assert report.totals["route_up"] == 1 and not report.needs_attention


def test_losing_a_strategy_meeting_or_level_counts_as_down_even_on_the_same_route(tiny, tmp_path):
    _, new = candidate(tmp_path, "{score: total, at_least: 10}", "{score: total, at_least: 11}")
    scored = case("scored", age=14, runs_away="yes", cars="yes")  # weights 5 + 5: high_score fires under old
    report = compare(tiny, new, [scored])
    (changed,) = report.changed
    assert changed.old.route == changed.new.route
    assert changed.down_reasons == ("level red -> amber", "strategy meeting no longer recommended")
    assert report.rows[0].direction == "same" and report.needs_attention


def test_a_route_missing_from_the_new_ladder_counts_as_down(tiny, tmp_path):
    _, new = candidate(tmp_path, "child_in_need", "s17_assessment")
    report = compare(tiny, new, CASES)
    (changed,) = report.changed
    assert changed.down_reasons[0] == "route child_in_need -> s17_assessment"
    assert [r.direction for r in report.rows if r.from_route == "child_in_need"] == ["down"]


def test_answers_the_new_rules_reject_are_reported_not_crashed_on(tiny, tmp_path):
    words = "  - {id: words, section: about_child, type: text, label: The child's words, max_length: 50}\n"
    _, new = candidate(tmp_path, words, "")
    cases = [*CASES, case("with_words", words="He said so"), case("odd_agency", agency="nowhere")]
    report = compare(tiny, new, cases)
    by_id = {c.case.id: c for c in report.cannot_evaluate}
    assert set(by_id) == {"with_words", "odd_agency"}
    assert by_id["with_words"].old_reason == "" and "words: there is no such question" in by_id["with_words"].new_reason
    assert by_id["with_words"].reason.startswith("cannot evaluate under the new rules: words")
    assert "unknown agency 'nowhere'" in by_id["odd_agency"].old_reason
    assert report.totals["evaluated"] == 3 and report.totals["cannot_evaluate"] == 2 and report.needs_attention


def tiny_vignettes(tiny, tmp_path):
    folder = tmp_path / "vignettes"
    folder.mkdir()
    (folder / "tiny_case.yaml").write_text(VIGNETTE, encoding="utf-8")
    return folder, cases_from_vignettes(load_vignettes(folder, tiny))


def test_vignette_stages_become_cases_with_accumulated_answers(tiny, tmp_path):
    _, cases = tiny_vignettes(tiny, tmp_path)
    assert [c.id for c in cases] == ["tiny_case/1", "tiny_case/2"]
    assert cases[1].answers["missing_90d"] == 4 and cases[1].answers["cars"] == "yes"
    assert cases[1].kind == "vignette" and cases[1].exact and cases[1].where.endswith(":11:5")
    assert compare(tiny, tiny, cases).failing == ()


def test_vignette_stages_that_would_fail_are_listed(tiny, tmp_path):
    _, cases = tiny_vignettes(tiny, tmp_path)
    _, new = candidate(tmp_path, MISSING_RULE, "{fact: missing_90d, at_least: 5}")
    report = compare(tiny, new, cases)
    assert [f.case.id for f in report.failing_vignettes] == ["tiny_case/1", "tiny_case/2"]
    first, second = report.failing
    assert any("expected child_in_need, got universal" in p for p in first.problems)
    assert second.problems == ("rules expected to fire but did not: ['missing_often']",)
    assert not first.failed_before
    assert [c.case.id for c in report.down] == ["tiny_case/1"]


def test_a_vignette_stage_the_new_rules_cannot_evaluate_fails(tiny, tmp_path):
    _, cases = tiny_vignettes(tiny, tmp_path)
    _, new = candidate(tmp_path, "{id: cars, theme", "{id: cars_now, theme")
    report = compare(tiny, new, cases)
    (failing,) = report.failing
    assert failing.case.id == "tiny_case/2" and failing.problems[0].startswith("cannot evaluate under the new rules")


def test_progress_is_reported_every_n_cases_and_at_the_end(tiny):
    calls = []
    compare(tiny, tiny, CASES * 2, lambda done, total: calls.append((done, total)), every=4)
    assert calls == [(4, 6), (6, 6)]
    calls.clear()
    compare(tiny, tiny, CASES, lambda done, total: calls.append((done, total)))
    assert calls == [(3, 3)]


def test_the_report_is_json_ready_and_keeps_answers_out(tiny, tmp_path):
    _, new = candidate(tmp_path, MISSING_RULE, "{fact: missing_90d, at_least: 5}")
    data = json.loads(json.dumps(compare(tiny, new, CASES).to_dict()))
    assert data["old"]["id"] == "tiny" and data["new"]["hash"] != data["old"]["hash"]
    assert {"from": "child_in_need", "to": "universal", "count": 1, "direction": "down"} in data["transitions"]
    assert data["down"][0]["id"] == "missing4" and data["down"][0]["no_longer_fire"] == ["missing_often"]
    assert data["needs_attention"] is True and data["totals"]["down"] == 1
    assert "answers" not in data["changed"][0] and "answers" not in repr(CASES[0])


def test_cases_from_dir_reads_single_cases_and_scenario_lists(tiny, tmp_path):
    (tmp_path / "one.yaml").write_text("agency: school\nanswers: {age: 14, missing_90d: 4}\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text(
        "- name: Missing often\n  answers: {age: 14, missing_90d: 4, disclosure: 'no', danger_now: 'no'}\n"
        "  expect: {route: child_in_need, fired: [missing_often]}\n", encoding="utf-8")
    cases = cases_from_dir(tmp_path)
    assert [(c.id, c.label) for c in cases] == [("list.yaml#1", "Missing often"), ("one.yaml", "one.yaml")]
    assert cases[1].agency == "school" and cases[0].expect["route"] == "child_in_need"
    assert cases[0].where.endswith("list.yaml:1:3")
    assert compare(tiny, tiny, cases).failing == ()


def test_a_bad_case_file_is_a_located_error(tmp_path):
    (tmp_path / "bad.yaml").write_text("agency: school\nanswer: {age: 14}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown key"):
        cases_from_dir(tmp_path)


# --- The command line ---------------------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, ["diff", *[str(a) for a in args]])


@pytest.fixture
def case_dir(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    for c in CASES:
        (folder / f"{c.id}.yaml").write_text(json.dumps({"agency": c.agency, "answers": dict(c.answers)}))
    return folder


def test_cli_exits_1_and_warns_when_a_case_goes_down(tiny, tmp_path, case_dir):
    vignettes, _ = tiny_vignettes(tiny, tmp_path)
    new_dir, _ = candidate(tmp_path, MISSING_RULE, "{fact: missing_90d, at_least: 5}")
    result = run(TINY, new_dir, "--cases", case_dir, "--vignettes", vignettes)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "child_in_need -> universal" in out and "<<< DOWN" in out
    assert "!!! WARNING: 2 case(s) would go DOWN" in out
    assert "!!!   missing4.yaml: route child_in_need -> universal; level amber -> green" in out
    assert "no longer fire: missing_often" in out
    assert "tiny_case/1 at " in out and "rules expected to fire but did not: ['missing_often']" in out


def test_cli_exits_0_when_nothing_goes_down(tiny, tmp_path, case_dir):
    vignettes, _ = tiny_vignettes(tiny, tmp_path)
    new_dir, _ = candidate(tmp_path, MISSING_RULE, "{fact: missing_90d, at_least: 2}")
    result = run(TINY, new_dir, "--cases", case_dir, "--vignettes", vignettes)
    assert result.exit_code == 0, result.output
    assert ["universal", "->", "child_in_need", "1", "up"] in [line.split() for line in result.stdout.splitlines()]
    assert "WARNING" not in result.stdout
    assert "now fire: missing_often" in result.stdout


def test_cli_json_and_cases_that_cannot_be_evaluated(tmp_path, case_dir):
    (case_dir / "words.yaml").write_text("agency: gp\nanswers: {words: hello}\n", encoding="utf-8")
    words = "  - {id: words, section: about_child, type: text, label: The child's words, max_length: 50}\n"
    new_dir, _ = candidate(tmp_path, words, "")
    result = run(TINY, new_dir, "--cases", case_dir, "--no-vignettes", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["cannot_evaluate"]] == ["words.yaml"] and data["down"] == []


def test_cli_shows_progress_on_stderr_for_long_runs(tmp_path, case_dir, monkeypatch):
    monkeypatch.setattr(impact_cli, "PROGRESS_EVERY", 2)
    result = run(TINY, TINY, "--cases", case_dir, "--no-vignettes")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == ["evaluated 2 of 3 cases", "evaluated 3 of 3 cases"]


def test_cli_refuses_vignettes_that_do_not_fit_the_old_rules_and_invalid_rule_sets(tmp_path, case_dir):
    vignettes = tmp_path / "v"
    vignettes.mkdir()
    (vignettes / "x.yaml").write_text(VIGNETTE.replace("missing_90d: 4", "missing_9d: 4"), encoding="utf-8")
    result = run(TINY, TINY, "--vignettes", vignettes)
    assert result.exit_code == 1 and "do not fit the old rule set" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(TEXT.replace("actions: [call_999]", "actions: [call_998]"), encoding="utf-8")
    result = run(TINY, broken, "--no-vignettes")
    assert result.exit_code == 1 and "error(s) in" in result.output and "call_998" in result.output


def test_many_cases_are_shared_out_among_worker_processes_and_give_the_same_report(tiny, tmp_path):
    _, new = candidate(tmp_path, MISSING_RULE, "{fact: missing_90d, at_least: 5}")
    cases = [Case(f"s{n}", "screening", f"screening {n}", "school",
                  {**SAFE, "age": 9 + n % 8, "missing_90d": n % 7, "cars": ("yes", "no", "not_known")[n % 3]})
             for n in range(PARALLEL_FROM + 1)]
    cases.append(Case("bad", "screening", "a removed question", "school", {"no_such": "yes"}))
    calls: list[int] = []
    shared = compare(tiny, new, cases, lambda done, total: calls.append(done), workers=2)
    alone = compare(tiny, new, cases, workers=1)
    assert len(calls) == -(-len(cases) // CHUNK) and calls[-1] == len(cases)  # a report per slice: workers ran
    assert shared.to_dict() == alone.to_dict()
    assert [c.case.id for c in shared.changed] == [c.case.id for c in alone.changed] and len(shared.changed) > 100
    assert [c.case.id for c in shared.cannot_evaluate] == ["bad"]
