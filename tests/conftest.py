"""Shared fixtures: the tiny fixture rule set and the default rule set, loaded once per session."""

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import settings

import screening
from screening.store import Database, schema, users
from screening.web import ScreeningApp
from tests.page_checks import CheckedClient

# Tests keep demo mode's secret key (and anything else the app writes to its data folder) out of the checkout.
os.environ.setdefault("SCREENING_DATA_DIR", tempfile.mkdtemp(prefix="screening-data-"))

# Tests only: argon2id with the least work it allows, so that each fresh database's demo accounts and every sign-in
# cost microseconds, not a quarter of a second. Production keeps the library's recommended parameters.
users.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

# Generated tests (hypothesis, schemathesis) replay the same examples in every `make test`, so a failure is found on
# every run or on none; `make fuzz` (which sets SCREENING_FUZZ_EXAMPLES) explores at random.
settings.register_profile("replayed", derandomize=True)
settings.load_profile("default" if "SCREENING_FUZZ_EXAMPLES" in os.environ else "replayed")

ScreeningApp.test_client_class = CheckedClient  # every page a test visits is parsed (tests/page_checks.py)

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
DEFAULT = ROOT / "rules" / "default"


_TEMPLATE: list[Path] = []
# The PostgreSQL leg: with SCREENING_TEST_DATABASE_URL set (to a server's maintenance database, e.g.
# postgresql+psycopg://postgres@127.0.0.1:55432/postgres), every prepared database is a PostgreSQL database copied
# from a template prepared once per process; otherwise a copied SQLite file.
POSTGRES = os.environ.get("SCREENING_TEST_DATABASE_URL", "")
_PG_TEMPLATE = f"screening_template_{os.getpid()}"
_PG_DATABASES = itertools.count(1)


_ENGINES: list = []
_database_init = Database.__init__


def _tracked_init(self: Database, url: str) -> None:
    _database_init(self, url)
    _ENGINES.append(self.engine)


Database.__init__ = _tracked_init  # type: ignore[method-assign]  # so that each test closes what it opened


@pytest.fixture(autouse=True)
def _close_databases():
    """Every database connection a test opened is closed when it ends (PostgreSQL would warn of each one left)."""
    yield
    while _ENGINES:
        _ENGINES.pop().dispose()


def prepared_database(directory: Path, name: str = "test.db") -> str:
    """The URL of a new database, prepared as the release step would (the newest schema, the default rule set
    active, the demo accounts): a copy of one made once per test process (SQLite in `directory`, or PostgreSQL)."""
    if POSTGRES:
        return _prepared_postgres()
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="screening-template-")) / "template.db"
        database = Database(f"sqlite:///{template}")
        schema.prepare(database, DEFAULT, demo=True)
        database.engine.dispose()
        _TEMPLATE.append(template)
    target = directory / name
    shutil.copyfile(_TEMPLATE[0], target)
    return f"sqlite:///{target}"


def _prepared_postgres() -> str:
    """A new PostgreSQL database copied from this process's prepared template (copying takes milliseconds)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if not _TEMPLATE:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{_PG_TEMPLATE}"'))
            connection.execute(text(f'CREATE DATABASE "{_PG_TEMPLATE}"'))
            template = Database(make_url(POSTGRES).set(database=_PG_TEMPLATE).render_as_string(hide_password=False))
            schema.prepare(template, DEFAULT, demo=True)
            template.engine.dispose()
            _TEMPLATE.append(Path(_PG_TEMPLATE))
        name = f"screening_test_{os.getpid()}_{next(_PG_DATABASES)}"
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_PG_TEMPLATE}"'))
    server.dispose()
    return make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def tiny():
    return screening.load_ruleset(TINY)


@pytest.fixture(scope="session")
def default_rules():
    return screening.load_ruleset(DEFAULT)


def in_own_thread(work, *args, **kwargs):
    """`work(*args, **kwargs)` on a thread of its own, its result or its exception: a worker's event loop must not
    meet the one a browser test's Playwright keeps running on the main thread for the whole session."""
    import threading

    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="burst-worker")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def run_burst_worker(url: str, vignettes: str | Path = ROOT / "rules" / "vignettes", **options) -> None:
    """Run every queued job in a real procrastinate worker until the queue is empty: no waiting, no timing."""
    from screening.jobs import worker

    in_own_thread(worker.run, url, str(vignettes), burst=True, **options)
