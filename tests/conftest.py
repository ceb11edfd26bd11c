"""Shared fixtures: the tiny fixture rule set and the default rule set, loaded once per session."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher

import screening
from screening.store import Database, schema, users

# Tests keep demo mode's secret key (and anything else the app writes to its data folder) out of the checkout.
os.environ.setdefault("SCREENING_DATA_DIR", tempfile.mkdtemp(prefix="screening-data-"))

# Tests only: argon2id with the least work it allows, so that each fresh database's demo accounts and every sign-in
# cost microseconds, not a quarter of a second. Production keeps the library's recommended parameters.
users.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
DEFAULT = ROOT / "rules" / "default"


_TEMPLATE: list[Path] = []


def prepared_database(directory: Path, name: str = "test.db") -> str:
    """The URL of a new SQLite database in `directory`, prepared as the release step would (the newest schema, the
    default rule set active, the demo accounts): a copy of one made once per test process."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="screening-template-")) / "template.db"
        database = Database(f"sqlite:///{template}")
        schema.prepare(database, DEFAULT, demo=True)
        database.engine.dispose()
        _TEMPLATE.append(template)
    target = directory / name
    shutil.copyfile(_TEMPLATE[0], target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def tiny():
    return screening.load_ruleset(TINY)


@pytest.fixture(scope="session")
def default_rules():
    return screening.load_ruleset(DEFAULT)
