"""Accounts (argon2, lockout, demo refusal), the append-only audit trail, retention purge, and their CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from screening.cli.admin import audit as audit_cli
from screening.cli.admin import purge as purge_cli
from screening.cli.admin import users as users_cli
from screening.store import Database, Screening, audit, schema
from screening.store import users as accounts
from screening.store.screenings import purge_older_than
from tests.conftest import prepared_database

PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'accounts.db'}")
    schema.upgrade(database)
    return database


def add(db, username="alex", role="practitioner", demo=False, password=PASSWORD):
    with db.transaction() as tx:
        accounts.add_user(tx, username, "Alex", role, "school", password, demo=demo)


def sign_in(db, username="alex", password=PASSWORD, allow_demo=False, now=None):
    with db.transaction() as tx:
        user, reason = accounts.authenticate(tx, username, password, allow_demo, now=now)
        return (user.username if user else None), reason


def test_passwords_are_argon2_hashes(db):
    add(db)
    with db.reading() as tx:
        stored = accounts.find(tx, "alex").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_succeeds_with_the_right_password_only(db):
    add(db)
    assert sign_in(db) == ("alex", "")
    assert sign_in(db, password="wrong password!") == ("alex", "bad_password")
    assert sign_in(db, username="nobody") == (None, "unknown_user")


def test_account_locks_after_repeated_failures_then_unlocks(db):
    add(db)
    reasons = [sign_in(db, password="nope")[1] for _ in range(accounts.MAX_FAILURES)]
    assert reasons[-1] == "locked_now"
    assert sign_in(db)[1] == "locked"  # even the right password is refused while locked
    later = datetime.now(UTC) + accounts.LOCKOUT + timedelta(seconds=1)
    assert sign_in(db, now=later) == ("alex", "")


def test_demo_accounts_are_refused_outside_demo_mode(db):
    add(db, "demo-x", demo=True, password="demo")
    assert sign_in(db, "demo-x", "demo", allow_demo=False)[1] == "demo_refused"
    assert sign_in(db, "demo-x", "demo", allow_demo=True)[1] == ""


def test_disabled_accounts_cannot_sign_in(db):
    add(db)
    with db.transaction() as tx:
        accounts.find(tx, "alex").active = False
    assert sign_in(db)[1] == "disabled"


def test_weak_passwords_and_bad_roles_are_refused(db):
    with pytest.raises(accounts.AccountError, match="at least 12"):
        add(db, password="short")
    with pytest.raises(accounts.AccountError, match="role must be"):
        add(db, role="superuser")
    add(db)
    with pytest.raises(accounts.AccountError, match="already taken"):
        add(db)


def test_audit_trail_is_append_only(db):
    with db.transaction() as tx:
        audit.record(tx, "alex", "screening_viewed", "screening", "abc")
    for statement in ("UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"), db.transaction() as tx:
            tx.execute(text(statement))
    with db.reading() as tx:
        assert [e.actor for e in audit.events(tx)] == ["alex"]


def test_unknown_audit_actions_are_refused(db):
    with pytest.raises(ValueError), db.transaction() as tx:
        audit.record(tx, "alex", "made_tea")


def test_purge_deletes_only_screenings_older_than_the_cutoff(db):
    now = datetime.now(UTC)
    with db.transaction() as tx:
        for days in (10, 800, 900):
            tx.add(Screening(owner="alex", answers={}, pages_done=[], ruleset_id="r", ruleset_version="1",
                             ruleset_hash="h", updated_at=now - timedelta(days=days)))
    with db.transaction() as tx:
        assert purge_older_than(tx, now - timedelta(days=730)) == 2
    with db.reading() as tx:
        assert tx.query(Screening).count() == 1


def test_users_cli_add_list_disable_reset(tmp_path):
    url = prepared_database(tmp_path, "cli.db")
    runner = CliRunner()
    added = runner.invoke(users_cli, ["add", "sam", "--name", "Sam", "--role", "safeguarding_lead",
                                      "--agency", "gp", "--password-stdin", "--database", url], input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    listed = runner.invoke(users_cli, ["list", "--database", url])
    assert "sam\tsafeguarding_lead\tgp\tactive" in listed.output
    weak = runner.invoke(users_cli, ["reset-password", "sam", "--password-stdin", "--database", url], input="x\n")
    assert weak.exit_code != 0 and "at least 12" in weak.output
    assert runner.invoke(users_cli, ["disable", "sam", "--database", url]).exit_code == 0
    assert "disabled" in runner.invoke(users_cli, ["list", "--database", url]).output
    exported = runner.invoke(audit_cli, ["export", "--format", "json", "--database", url])
    actions = [e["action"] for e in json.loads(exported.output)]
    assert actions == ["user_disabled", "user_added"]


def test_purge_cli_records_the_purge(tmp_path):
    url = prepared_database(tmp_path, "purge.db")
    result = CliRunner().invoke(purge_cli, ["--older-than-days", "30", "--database", url])
    assert result.exit_code == 0 and "purged 0 screening(s)" in result.output
    exported = CliRunner().invoke(audit_cli, ["export", "--database", url])
    assert "screenings_purged" in exported.output and "cli" in exported.output


def stored_screenings(url: str, *ages_in_days: int) -> None:
    database = Database(url)
    schema.upgrade(database)
    with database.transaction() as tx:
        for days in ages_in_days:
            tx.add(Screening(owner="alex", answers={}, pages_done=[], ruleset_id="r", ruleset_version="1",
                             ruleset_hash="h", updated_at=datetime.now(UTC) - timedelta(days=days)))


def remaining(url: str) -> int:
    with Database(url).reading() as tx:
        return tx.query(Screening).count()


def test_purge_says_how_many_it_will_delete_and_asks_first(tmp_path):
    url = prepared_database(tmp_path, "purge.db")
    stored_screenings(url, 10, 800, 900)
    declined = CliRunner().invoke(purge_cli, ["--older-than-days", "730", "--database", url], input="n\n")
    assert "2 screening(s) will be deleted: 2 draft(s)" in declined.output and declined.exit_code == 1
    assert remaining(url) == 3
    agreed = CliRunner().invoke(purge_cli, ["--older-than-days", "730", "--database", url], input="y\n")
    assert agreed.exit_code == 0 and "purged 2 screening(s)" in agreed.output and remaining(url) == 1


@pytest.mark.hazard("H-10")
def test_purge_refuses_a_period_below_the_floor_without_force(tmp_path, monkeypatch):
    url = prepared_database(tmp_path, "purge.db")
    stored_screenings(url, 1, 10)
    refused = CliRunner().invoke(purge_cli, ["--older-than-days", "0", "--yes", "--database", url])
    assert refused.exit_code == 1 and "without --force" in refused.output and remaining(url) == 2
    monkeypatch.setenv("RETENTION_FLOOR_DAYS", "5")
    forced = CliRunner().invoke(purge_cli, ["--older-than-days", "0", "--yes", "--force", "--database", url])
    assert forced.exit_code == 0 and remaining(url) == 0


def test_a_bad_retention_setting_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "two years")
    result = CliRunner().invoke(purge_cli, ["--database", f"sqlite:///{tmp_path / 'p.db'}"])
    assert result.exit_code == 1 and "RETENTION_DAYS must be a whole number of days" in result.output
    assert not isinstance(result.exception, ValueError)
