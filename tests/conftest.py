"""Shared fixtures: the tiny fixture rule set and the default rule set, loaded once per session."""

from pathlib import Path

import pytest

import screening

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
DEFAULT = ROOT / "rules" / "default"


@pytest.fixture(scope="session")
def tiny():
    return screening.load_ruleset(TINY)


@pytest.fixture(scope="session")
def default_rules():
    return screening.load_ruleset(DEFAULT)
