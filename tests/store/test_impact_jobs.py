"""Impact-preview jobs in the database: one claim per pair of hashes, a failed or silent job can be claimed again,
and a stored report reads back as the report it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import screening
from screening.store import Database, schema
from screening.store import impact_jobs as jobs
from screening.tools.impact import cases_from_vignettes, compare, report_from_dict
from screening.tools.vignettes import load_vignettes
from tests.conftest import DEFAULT, ROOT

RS = screening.load_ruleset(DEFAULT)


def fresh(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'jobs.db'}")
    schema.upgrade(database)
    return database


def test_only_the_first_claim_runs_a_job_until_it_fails_or_goes_quiet(tmp_path):
    database = fresh(tmp_path)
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert jobs.claim(database, "a", "b", now) is True
    assert jobs.claim(database, "a", "b", now + timedelta(minutes=1)) is False  # running: another instance waits
    assert jobs.claim(database, "a", "c", now) is True  # another pair is another job
    assert jobs.claim(database, "a", "b", now + jobs.STALE + timedelta(minutes=1)) is True  # its runner went quiet
    jobs.finish(database, "a", "b", None, "RuntimeError: boom")
    assert jobs.claim(database, "a", "b", now + jobs.STALE * 3) is True  # a failed job may be run again
    jobs.finish(database, "a", "b", {"done": True})
    assert jobs.claim(database, "a", "b", now + jobs.STALE * 9) is False  # a finished report is kept


def test_a_stored_report_reads_back_as_it_was(tmp_path):
    stricter = screening.load_ruleset_texts({name.rsplit("/", 1)[-1]: text.replace(
        "{fact: missing_episodes_90d, at_least: 3}", "{fact: missing_episodes_90d, at_least: 30}")
        for name, text in RS.sources})
    vignettes = load_vignettes(ROOT / "rules" / "vignettes", RS)
    report = compare(RS, stricter, cases_from_vignettes(vignettes))
    assert report.changed and report.failing
    again = report_from_dict(report.to_dict())
    assert again.to_dict() == report.to_dict()
    assert again.needs_attention == report.needs_attention and again.totals == report.totals
