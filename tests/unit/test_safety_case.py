"""`screening safety-case`: the hazard log as a document with each named test's result, from a pytest run of its
own or a JUnit report already made; it exits 1 when a test did not pass."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from screening.cli.safety import run_tests, safety_case
from screening.tools.hazard_log import load
from tests.conftest import ROOT

LOG = ROOT / "docs" / "safety" / "hazard-log.yaml"
FAILING = "tests/web/test_journey.py::test_completed_screening_cannot_be_edited"


def junit(path: Path, failing: str) -> Path:
    """A JUnit report as pytest writes one: every test the log names passed (one in two cases), but `failing`."""
    cases = []
    for test in sorted({t for h in load(LOG) for c in h.controls for t in c.tests}):
        module, name = test.split("::", 1)
        classname = module.removesuffix(".py").replace("/", ".")
        failure = '<failure message="assert False">assert False</failure>' if test == failing else ""
        cases += [f'<testcase classname="{classname}" name="{name}[a]" time="0.1" />',
                  f'<testcase classname="{classname}" name="{name}[b]" time="0.1">{failure}</testcase>']
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">{"".join(cases)}'
                    "</testsuite></testsuites>", encoding="utf-8")
    return path


def test_the_document_shows_each_hazard_with_its_risk_controls_and_results(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    passing = CliRunner().invoke(safety_case, ["--junit", str(junit(tmp_path / "ok.xml", failing=""))])
    assert passing.exit_code == 0, passing.output
    assert "H-06  A route silently lowered" in passing.output and "Risk 3: severity catastrophic" in passing.output
    assert f"[passed] {FAILING}" in passing.output and "0 failed" not in passing.output
    failed = CliRunner().invoke(safety_case, ["--junit", str(junit(tmp_path / "one.xml", failing=FAILING))])
    assert failed.exit_code == 1 and f"[failed] {FAILING}" in failed.output and ", 1 failed" in failed.output


def test_the_named_tests_are_run_in_a_pytest_process_of_their_own():
    test = "tests/unit/test_decided.py::test_too_little_known_is_never_a_green_no_concern"
    assert run_tests(ROOT, [test]) == {test: "passed"}


def test_without_the_log_it_says_where_to_run_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(safety_case, [])
    assert result.exit_code == 1 and "run this from the checkout" in result.output
