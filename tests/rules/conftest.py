"""Collect scenario files (tests/rules/scenarios/*.yaml): each case is one test over the default rule set."""

from __future__ import annotations

from pathlib import Path

import pytest

import screening
from screening.ruleset.yamlsource import parse_yaml
from screening.tools.casefile import case_from_data
from screening.tools.vignettes import compare

DEFAULT = Path(__file__).resolve().parents[2] / "rules" / "default"
EXPECT_KEYS = {"route", "level", "strategy_meeting", "fired", "not_fired", "gaps_include", "hard_triggers"}
_RULESET: list[screening.RuleSet] = []


def default_ruleset() -> screening.RuleSet:
    if not _RULESET:
        _RULESET.append(screening.load_ruleset(DEFAULT))
    return _RULESET[0]


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "scenarios":
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        doc, errors = parse_yaml(self.path.read_text(encoding="utf-8"), str(self.path))
        if errors or not isinstance(doc.data, list):
            raise ValueError(f"{self.path}: a scenario file is a list of cases; {'; '.join(map(str, errors))}")
        for index, case in enumerate(doc.data):
            name = case.get("name", f"case {index}")
            yield ScenarioItem.from_parent(self, name=name, case=case, where=doc.where((index,)))


class ScenarioItem(pytest.Item):
    def __init__(self, *, case: dict, where, **kwargs):
        super().__init__(**kwargs)
        self.case, self.where = case, where

    def runtest(self) -> None:
        expect = self.case.get("expect") or {}
        unknown = set(expect) - EXPECT_KEYS
        if unknown or "route" not in expect:
            raise ScenarioMismatch([f"expect needs 'route' and only {sorted(EXPECT_KEYS)}; got {sorted(expect)}"])
        agency, answers = case_from_data(self.case)
        outcome = screening.evaluate(default_ruleset(), answers, agency=agency)
        problems = compare(expect, outcome)
        if problems:
            raise ScenarioMismatch(problems)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioMismatch):
            return f"{self.where}: scenario '{self.name}':\n  " + "\n  ".join(excinfo.value.problems)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.where.line - 1, f"scenario: {self.name}"


class ScenarioMismatch(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems
