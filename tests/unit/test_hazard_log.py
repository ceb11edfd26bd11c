"""The hazard log is evidence only while every control names tests that exist and carry the hazard's marker: this
check runs in `make test` and fails otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.tools.hazard_log import RISK, HazardLogInvalid, load, marked_tests, problems
from tests.conftest import ROOT

LOG = ROOT / "docs" / "safety" / "hazard-log.yaml"


def test_every_control_in_the_hazard_log_names_tests_that_exist_and_carry_its_marker():
    hazards = load(LOG)
    assert problems(hazards, marked_tests(ROOT)) == []
    assert len(hazards) >= 10 and all(h.controls for h in hazards)


def a_log(tmp_path: Path, controls: str) -> Path:
    log = tmp_path / "log.yaml"
    log.write_text("hazards:\n  - id: H-99\n    title: A test hazard\n    cause: c\n    effect: e\n"
                   "    severity: major\n    likelihood: low\n    controls:\n" + controls, encoding="utf-8")
    return log


def test_the_check_fails_on_a_test_that_does_not_exist_and_on_a_control_without_a_test(tmp_path):
    log = a_log(tmp_path, "      - control: Checked by a test that was deleted\n"
                          "        tests: [tests/unit/test_gone.py::test_gone]\n"
                          "      - control: Never tested\n        tests: []\n")
    found = problems(load(log), marked_tests(ROOT))
    assert "H-99 control 1 (Checked by a test that was deleted): there is no test tests/unit/test_gone.py::" \
           "test_gone" in found
    assert "H-99 control 2 (Never tested): no test shows it works" in found


def test_the_check_fails_on_a_test_without_the_hazards_marker_and_a_marker_the_log_does_not_name(tmp_path):
    unmarked = "tests/unit/test_hazard_log.py::test_the_risk_matrix_grows_with_severity_and_likelihood"
    log = a_log(tmp_path, f"      - control: Shown by a test without its marker\n        tests: [{unmarked}]\n")
    tests = marked_tests(ROOT)
    found = problems(load(log), tests)
    assert f"H-99 control 1 (Shown by a test without its marker): {unmarked} does not carry " \
           "@pytest.mark.hazard('H-99')" in found
    assert any(p.endswith("is marked for H-01, which the log does not name it under") for p in found)


def test_a_log_with_a_severity_off_the_scale_is_refused(tmp_path):
    log = a_log(tmp_path, "      - control: x\n        tests: []\n")
    log.write_text(log.read_text(encoding="utf-8").replace("severity: major", "severity: huge"), encoding="utf-8")
    with pytest.raises(HazardLogInvalid, match="severity is one of minor"):
        load(log)


def test_the_risk_matrix_grows_with_severity_and_likelihood():
    assert all(list(row) == sorted(row) for row in RISK)
    assert all(list(column) == sorted(column) for column in zip(*RISK, strict=True))
    assert RISK[0][0] == 1 and RISK[-1][-1] == 5
