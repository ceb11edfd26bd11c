"""Shared fixtures: the tiny fixture rule set and the default rule set, loaded once per session."""

from pathlib import Path

import pytest
from argon2 import PasswordHasher

import screening
from screening.store import users

# Tests only: argon2id with the least work it allows, so that each fresh database's demo accounts and every sign-in
# cost microseconds, not a quarter of a second. Production keeps the library's recommended parameters.
users.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
DEFAULT = ROOT / "rules" / "default"


@pytest.fixture(scope="session")
def tiny():
    return screening.load_ruleset(TINY)


@pytest.fixture(scope="session")
def default_rules():
    return screening.load_ruleset(DEFAULT)
