"""Administration commands: `screening users …`, `screening audit export`, `screening purge` (screenings past
retention, then child records left without one).

They work on the database named by --database, else DATABASE_URL, else the demo SQLite file under instance/."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from ..errors import Location, RuleSetInvalid
from ..question_types import whole_number
from .common import CliError, located

ACTOR = "cli"


def app_setting(name: str) -> str:
    """A setting as the app itself would read it (web/settings.py)."""
    from ..web import settings

    return str(settings.load(os.environ, {})[name])


def _default_database() -> str:
    """The database the app itself would use: DATABASE_URL, else SQLite in SCREENING_DATA_DIR."""
    return app_setting("DATABASE_URL")


database_option = click.option("--database", "database_url", default=_default_database,
                               show_default="the app's: DATABASE_URL, else SQLite in SCREENING_DATA_DIR",
                               help="SQLAlchemy URL.")


def prepared_db(url: str):
    """The database at `url`, prepared by `screening db upgrade` (a clear error otherwise)."""
    from ..store import Database, schema

    database = Database(url)
    try:
        schema.require_ready(database)
    except schema.NotPrepared as exc:
        raise CliError(str(exc)) from exc
    return database


@click.group()
def db() -> None:
    """The release step: prepare the database once, before any app instance starts."""


@db.command("upgrade")
@database_option
def db_upgrade(database_url: str) -> None:
    """Bring the schema to the newest revision (safe to run again; keeps every record)."""
    from ..store import Database, schema

    database = Database(database_url)
    before = schema.revision_of(database)
    schema.upgrade(database)
    click.echo(f"database at revision {schema.revision_of(database)} (was {before or 'empty'})")


@db.command("seed")
@click.option("--rules", "rules_path", type=click.Path(exists=True, path_type=Path),
              default=lambda: app_setting("RULES_PATH"), show_default="RULES_PATH, else rules/default",
              help="The rule set to activate when none is active yet.")
@click.option("--demo/--no-demo", default=lambda: os.environ.get("SCREENING_MODE", "demo") == "demo",
              show_default="demo unless SCREENING_MODE=production", help="Create the demo accounts.")
@click.option("--allow-placeholder-contacts", is_flag=True,
              help="Without demo accounts, seed even a rule set whose contacts are still placeholders such as "
                   "\"[MASH phone number]\" (practitioners see \"number not set up yet\" in their place).")
@database_option
def db_seed(rules_path: Path, demo: bool, allow_placeholder_contacts: bool, database_url: str) -> None:
    """Activate the first rule-set version (if none is active) and, in demo mode, create the demo accounts.
    Without demo accounts, a rule set whose contacts are placeholders is refused unless --allow-placeholder-contacts."""
    from ..store import Database, rulesets, schema

    database = Database(database_url)
    if schema.revision_of(database) != schema.newest():
        raise CliError("the schema is not at the newest revision: run `screening db upgrade` first")
    try:
        accounts = schema.seed(database, rules_path, demo, allow_placeholder_contacts)
    except RuleSetInvalid as exc:
        raise located(rules_path, exc.errors) from exc
    except rulesets.PlaceholderContacts as exc:
        raise CliError(f"{len(exc.found)} contact(s) in {rules_path} are placeholders, not your area's numbers: "
                       "fill them in, or seed anyway with --allow-placeholder-contacts",
                       [f"{_under(rules_path, w.location)}: {w.message}" for w in exc.found]) from exc
    click.echo("seeded: a rule set is active" + (f"; {len(accounts)} demo accounts (DEMO ONLY)" if accounts else ""))


@db.command("resummarise")
@click.option("--check", is_flag=True, help="Only compare the tallies with a recount; exit 1 if they differ.")
@database_option
def db_resummarise(check: bool, database_url: str) -> None:
    """Count the dashboard's tallies again from the stored screenings (after rows were written by hand, or to
    check them)."""
    from ..store import summaries

    database = prepared_db(database_url)
    if check:
        with database.reading() as tx:
            differ = summaries.stored(tx) != summaries.recount(tx)
        click.echo("the dashboard's tallies differ from a recount" if differ else "the dashboard's tallies agree")
        if differ:
            raise SystemExit(1)
        return
    with database.transaction() as tx:
        counted = summaries.rebuild(tx)
    click.echo(f"the dashboard's tallies counted again: {counted} completed screening(s)")


def _under(rules_path: Path, location: Location) -> Location:
    """A location in a seeded file (named alone), under the rule-set directory it came from."""
    return Location(str(rules_path / location.file), location.line, location.col) if rules_path.is_dir() \
        else location


@db.command("grant-app-role")
@click.argument("role")
@database_option
def db_grant_app_role(role: str, database_url: str) -> None:
    """PostgreSQL: give ROLE (the login the app instances use) the rights it needs and no more: read and write the
    records, only add to the audit trail, never change the schema. Run as the owner after `db upgrade`."""
    from ..store import Database, schema

    try:
        schema.grant_app_role(Database(database_url), role)
    except schema.NotPrepared as exc:
        raise CliError(str(exc)) from exc
    click.echo(f"granted: {role} may read and write the records and only add to the audit trail")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group()
def users() -> None:
    """Manage local accounts."""


@users.command("add")
@click.argument("username")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["practitioner", "safeguarding_lead", "trainer", "admin"]))
@click.option("--agency", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@database_option
def add(username: str, name: str, role: str, agency: str, password_stdin: bool, database_url: str) -> None:
    """Add an account."""
    from ..store import audit
    from ..store import users as accounts

    try:
        with prepared_db(database_url).transaction() as tx:
            accounts.add_user(tx, username, name, role, agency, _password(password_stdin))
            audit.record(tx, ACTOR, "user_added", "user", username, role=role)
    except accounts.AccountError as exc:
        raise CliError(str(exc)) from exc
    click.echo(f"added {username} ({role}, {agency})")


@users.command("disable")
@click.argument("username")
@database_option
def disable(username: str, database_url: str) -> None:
    """Disable an account (it is kept, for the audit trail)."""
    from ..store import audit
    from ..store import users as accounts

    with prepared_db(database_url).transaction() as tx:
        user = accounts.find(tx, username)
        if user is None:
            raise CliError(f"no user '{username}'")
        accounts.disable(tx, user)
        audit.record(tx, ACTOR, "user_disabled", "user", username)
    click.echo(f"disabled {username}")


@users.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True)
@database_option
def reset_password(username: str, password_stdin: bool, database_url: str) -> None:
    """Set a new password and clear any lockout."""
    from ..store import audit
    from ..store import users as accounts

    try:
        with prepared_db(database_url).transaction() as tx:
            user = accounts.find(tx, username)
            if user is None:
                raise CliError(f"no user '{username}'")
            accounts.set_password(tx, user, _password(password_stdin))
            audit.record(tx, ACTOR, "user_password_reset", "user", username)
    except accounts.AccountError as exc:
        raise CliError(str(exc)) from exc
    click.echo(f"password reset for {username}")


@users.command("remove-second-factor")
@click.argument("username")
@database_option
def remove_second_factor(username: str, database_url: str) -> None:
    """Take away a lost authenticator app and its recovery codes; the person sets up a new one when required."""
    from ..store import audit, second_factor
    from ..store import users as accounts

    with prepared_db(database_url).transaction() as tx:
        user = accounts.find(tx, username)
        if user is None or user.totp_secret is None:
            raise CliError(f"'{username}' has no second factor")
        second_factor.remove(tx, user)
        audit.record(tx, ACTOR, "second_factor_removed", "user", username)
    click.echo(f"second factor removed for {username}")


@users.command("list")
@database_option
def list_users(database_url: str) -> None:
    """List accounts."""
    from ..store import users as accounts

    with prepared_db(database_url).reading() as tx:
        for u in accounts.all_users(tx):
            fields = [u.username, u.role, u.agency, "active" if u.active else "disabled",
                      f"@{u.provider}" if u.provider else "totp" if u.totp_secret else "password"]
            fields += ["demo"] if u.demo else []
            click.echo("\t".join(fields))


@click.group()
def audit() -> None:
    """The audit trail."""


@audit.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--actor", default="")
@click.option("--action", default="")
@click.option("--days", type=int, default=None, help="Only the last N days.")
@database_option
def export(fmt: str, actor: str, action: str, days: int | None, database_url: str) -> None:
    """Print audit events, newest first."""
    from ..store import audit as trail

    since = datetime.now(UTC) - timedelta(days=days) if days else None
    with prepared_db(database_url).reading() as tx:
        rows = trail.events(tx, actor=actor, action=action, since=since, limit=10_000_000)
        if fmt == "csv":
            click.echo(trail.to_csv(rows), nl=False)
        else:
            click.echo(json.dumps([{"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                                    "record_type": e.record_type, "record_id": e.record_id, "detail": e.detail}
                                   for e in rows], indent=2))


def _days_setting(name: str, default: int) -> int:
    """A number of days from the environment, or a clear error (never a traceback)."""
    raw = os.environ.get(name, str(default))
    days = whole_number(raw)
    if days is None:
        raise CliError(f"{name} must be a whole number of days, not {raw[:40]!r}")
    return days


@click.command()
@click.option("--older-than-days", type=click.IntRange(0, 36_500), default=None,
              help="Delete drafts, and completed screenings not linked to a child, last changed before this many "
                   "days ago.  [default: RETENTION_DRAFT_DAYS (90) and RETENTION_DAYS (730)]")
@click.option("--force", is_flag=True, help="Allow a period shorter than RETENTION_FLOOR_DAYS (default 30), or "
                                            "RETENTION_YEARS_FROM_BIRTH under 18.")
@click.option("--yes", is_flag=True, help="Do not ask before deleting (for scheduled runs).")
@database_option
def purge(older_than_days: int | None, force: bool, yes: bool, database_url: str) -> None:
    """Delete what is past its retention period, each kind of record by its own rule (docs/configuration.md), never
    a child's records under a legal hold, and record the purge in the audit trail. Says how many it will delete,
    and asks, before it deletes."""
    from ..store import retention
    from .children import keys_for_cli

    periods = retention_periods(older_than_days, force)
    database, keys = prepared_db(database_url), keys_for_cli()
    with database.reading() as tx:
        due = retention.plan(tx, keys, periods)
    click.echo(f"{len(due.ids)} screening(s) will be deleted: {len(due.drafts)} draft(s) last changed more than "
               f"{periods.draft_days} days ago, {len(due.unlinked)} not linked to a child and last changed more than "
               f"{periods.unlinked_days} days ago, {len(due.identified)} of {due.children} child(ren) more than "
               f"{periods.years_from_birth} years after their birth; {due.held} kept by a legal hold")
    if due.ids and not yes:
        click.confirm("Delete them?", abort=True)
    click.echo(purged_words(retention.purge(database, keys, periods, ACTOR)))


def purged_words(done) -> str:
    return (f"purged {done.deleted} screening(s), and {done.emptied} child record(s) left without a screening; "
            f"{done.due.held} screening(s) kept by a legal hold")


def retention_periods(older_than_days: int | None, force: bool):
    """The retention periods from the settings (or --older-than-days), refused below their floors without --force."""
    from ..store.retention import Periods

    periods = Periods(older_than_days if older_than_days is not None else _days_setting("RETENTION_DRAFT_DAYS", 90),
                      older_than_days if older_than_days is not None else _days_setting("RETENTION_DAYS", 730),
                      _days_setting("RETENTION_YEARS_FROM_BIRTH", 25))
    floor = _days_setting("RETENTION_FLOOR_DAYS", 30)
    shortest = min(periods.draft_days, periods.unlinked_days)
    if shortest < floor and not force:
        raise CliError(f"refusing to delete screenings newer than {floor} days (RETENTION_FLOOR_DAYS) without "
                       f"--force: a period of {shortest} days would")
    if periods.years_from_birth < ADULT and not force:
        raise CliError(f"refusing to delete an identified child's screenings before they are {ADULT} without "
                       f"--force: RETENTION_YEARS_FROM_BIRTH is {periods.years_from_birth}")
    return periods


ADULT = 18
