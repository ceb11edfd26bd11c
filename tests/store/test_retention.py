"""Retention by the child: each kind of record by its own rule, and legal holds the purge never passes (SQLite,
and PostgreSQL in the PostgreSQL leg). Dates are set relative to today, so no test depends on the date it runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from screening.cli.admin import audit as audit_cli
from screening.cli.admin import purge as purge_cli
from screening.cli.holds import holds as holds_cli
from screening.identifiers import Identity
from screening.store import Database, Screening, children, retention, sealing
from screening.store.models import Child
from tests.conftest import prepared_database

KEYS = sealing.new_keys()
SEAL = sealing.keys_from(KEYS["identity"], KEYS["index"])
TODAY = datetime.now(UTC)


def years_ago(years: int) -> date:
    return (TODAY - timedelta(days=365 * years + years // 4 + 2)).date()


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("SCREENING_IDENTITY_KEYS", KEYS["identity"])  # the purge reads dates of birth
    monkeypatch.setenv("SCREENING_INDEX_KEY", KEYS["index"])
    return Database(prepared_database(tmp_path, "retention.db"))


def url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def a_child(db: Database, born: date | None, nhs: str, days_ago: int = 900) -> str:
    """A child with one completed screening `days_ago`."""
    with db.transaction() as tx:
        child = children.add(tx, SEAL, Identity(nhs=nhs, born=born))
        done = TODAY - timedelta(days=days_ago)
        tx.add(Screening(owner="alex", answers={}, pages_done=[], ruleset_id="r", ruleset_version="1",
                         ruleset_hash="h", status="complete", child_id=child.id, completed_at=done, updated_at=done))
        return child.id


def a_screening(db: Database, days_ago: int, status: str = "draft") -> str:
    with db.transaction() as tx:
        done = TODAY - timedelta(days=days_ago)
        found = Screening(owner="alex", answers={}, pages_done=[], ruleset_id="r", ruleset_version="1",
                          ruleset_hash="h", status=status, updated_at=done,
                          completed_at=done if status == "complete" else None)
        tx.add(found)
        tx.flush()
        return found.id


def screenings_of(db: Database, child_id: str) -> int:
    with db.reading() as tx:
        return len(tx.scalars(select(Screening.id).where(Screening.child_id == child_id)).all())


def purge(db: Database):
    result = CliRunner().invoke(purge_cli, ["--yes", "--database", url(db)])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.hazard("H-10")
def test_purge_keeps_a_child_inside_their_retention_period_and_deletes_one_past_it(db):
    young = a_child(db, years_ago(14), "9434765919")  # screened 900 days ago; kept until they are 25
    grown = a_child(db, years_ago(26), "4010232137")  # 25 years from birth have passed
    unknown = a_child(db, None, "4857773456")  # no date of birth: 25 years from the screening
    result = purge(db)
    assert "1 of 1 child(ren) more than 25 years after their birth" in result.output
    assert screenings_of(db, young) == 1 and screenings_of(db, unknown) == 1 and screenings_of(db, grown) == 0
    with db.reading() as tx:
        assert tx.get(Child, grown) is None and tx.get(Child, young) is not None  # the empty record goes too


def test_each_kind_of_record_has_its_own_period(db):
    old_draft, new_draft = a_screening(db, 100), a_screening(db, 60)
    old_unlinked, new_unlinked = a_screening(db, 800, "complete"), a_screening(db, 100, "complete")
    purge(db)
    with db.reading() as tx:
        left = set(tx.scalars(select(Screening.id)))
    assert left == {new_draft, new_unlinked} and not {old_draft, old_unlinked} & left


@pytest.mark.hazard("H-10")
def test_purge_never_passes_a_legal_hold_until_it_is_lifted(db):
    grown = a_child(db, years_ago(30), "4010232137")
    runner = CliRunner()
    assert runner.invoke(holds_cli, ["place", grown, "--reason", " ", "--database", url(db)]).exit_code == 1
    placed = runner.invoke(holds_cli, ["place", grown, "--reason", "Civil claim", "--database", url(db)])
    assert placed.exit_code == 0, placed.output
    assert grown in runner.invoke(holds_cli, ["list", "--database", url(db)]).output
    with db.transaction() as tx:  # a draft of the same child, long untouched, is held too
        tx.add(Screening(owner="alex", answers={}, pages_done=[], ruleset_id="r", ruleset_version="1",
                         ruleset_hash="h", child_id=grown, updated_at=TODAY - timedelta(days=400)))
    result = purge(db)
    assert "2 kept by a legal hold" in result.output and screenings_of(db, grown) == 2
    lifted = runner.invoke(holds_cli, ["lift", grown, "--reason", "Claim settled", "--database", url(db)])
    assert lifted.exit_code == 0, lifted.output
    assert "has no hold to lift" in runner.invoke(holds_cli, ["lift", grown, "--reason", "again", "--database",
                                                              url(db)]).output
    purge(db)
    assert screenings_of(db, grown) == 0
    exported = runner.invoke(audit_cli, ["export", "--database", url(db)]).output
    assert "legal_hold_placed" in exported and "legal_hold_lifted" in exported and "Civil claim" not in exported


def test_a_hold_on_a_merged_record_holds_the_whole_child(db):
    keep = a_child(db, years_ago(30), "4010232137")
    other = a_child(db, years_ago(30), "9434765919")
    with db.transaction() as tx:
        children.merge(tx, keep, other)
        retention.place(tx, other, "Inquiry", "lead")
    with db.reading() as tx:
        due = retention.plan(tx, SEAL, retention.Periods(90, 730, 25))
    assert due.identified == [] and due.held == 2


def test_a_birthday_on_29_february_and_a_short_years_setting(db, monkeypatch):
    assert retention.keep_until(date(2008, 2, 29), date(2020, 1, 1), 25) == date(2033, 3, 1)
    assert retention.keep_until(None, date(2020, 1, 1), 25) == date(2045, 1, 1)
    monkeypatch.setenv("RETENTION_YEARS_FROM_BIRTH", "10")
    refused = CliRunner().invoke(purge_cli, ["--yes", "--database", url(db)])
    assert refused.exit_code == 1 and "before they are 18 without --force" in refused.output


def test_the_nightly_purge_task_run_by_a_worker_purges_as_the_command_does(db):
    """What each worker schedules for 02:30, queued by hand here (a date-free test) and run by a real worker."""
    import os
    import subprocess
    import sys

    from screening.jobs import JobQueue

    old_draft, new_draft = a_screening(db, 100), a_screening(db, 60)
    JobQueue(url(db)).defer("retention.purge", timestamp=0)
    ran = subprocess.run([sys.executable, "-m", "screening.cli", "worker", "--burst", "--database", url(db)],
                         env=os.environ, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    with db.reading() as tx:
        left = set(tx.scalars(select(Screening.id)))
    assert new_draft in left and old_draft not in left
    exported = CliRunner().invoke(audit_cli, ["export", "--format", "csv", "--database", url(db)]).output
    assert "scheduled purge,screenings_purged" in exported
