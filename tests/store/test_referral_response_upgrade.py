"""Migration 0010 (what the MASH records) keeps every referral response already stored, as it was: the new columns
start empty, so an old decision goes on being read as the producing ladder's route it named. On SQLite, and on
PostgreSQL in the PostgreSQL leg (SCREENING_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from screening.store import Database, schema
from screening.store.models import ReferralResponse
from tests.conftest import POSTGRES


@pytest.fixture
def empty_database(tmp_path) -> Iterator[Database]:
    """A database with no tables at all: a file for SQLite, a new database on the PostgreSQL server."""
    if not POSTGRES:
        yield Database(f"sqlite:///{tmp_path / 'responses.db'}")
        return
    name = f"screening_responses_{os.getpid()}"
    server = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(make_url(POSTGRES).set(database=name).render_as_string(hide_password=False))
    yield database
    database.engine.dispose()
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    server.dispose()


def test_responses_recorded_before_the_mash_form_are_kept_as_they_were(empty_database):
    schema.upgrade(empty_database, to="0009")
    with empty_database.transaction() as tx:
        tx.execute(text("INSERT INTO referral_responses (screening_id, sent_at, sent_how, sent_to, due_at, decision, "
                        "decided_by, decided_at, updated_by, updated_at) VALUES ('s1', '2025-12-24 15:30:00+00', "
                        "'phone', 'MASH duty team', '2025-12-29 23:59:00+00', 'child_in_need', 'Duty manager', "
                        "'2025-12-29 10:00:00+00', 'demo-mash', '2025-12-29 10:00:00+00')"))
    schema.upgrade(empty_database)
    with empty_database.reading() as tx:
        kept = tx.get(ReferralResponse, "s1")
    assert (kept.sent_how, kept.sent_to, kept.decision, kept.decided_by) == (
        "phone", "MASH duty team", "child_in_need", "Duty manager")
    assert (kept.decision_label, kept.decision_route, kept.decision_reasons, kept.received_at) == ("", "", "", None)
