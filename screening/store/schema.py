"""The database schema, by Alembic migrations, and the release step that prepares a database before any app
instance starts: `screening db upgrade`, then `screening db seed`. App instances never change the schema or seed;
they refuse to start on a database that is not at the newest revision, so any number can start at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ..errors import ScreeningError
from . import rulesets, second_factor, users
from .db import Database

MIGRATIONS = Path(__file__).with_name("migrations")


class NotPrepared(ScreeningError, RuntimeError):
    """The database is missing tables or migrations: the release step has not run."""


def _config(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(database: Database, to: str = "head") -> None:
    """Bring the schema to revision `to`, by default the newest (a no-op when it is there)."""
    with database.engine.begin() as connection:
        command.upgrade(_config(connection), to)


def revision_of(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def newest() -> str:
    return str(ScriptDirectory.from_config(_config(None)).get_current_head())


def require_ready(database: Database) -> None:
    """Refuse to run on a database the release step has not prepared: schema at the newest revision, and seeded."""
    found = revision_of(database)
    if found != newest():
        raise NotPrepared(f"the database is at revision {found or 'none'}, not {newest()}: run `screening db upgrade`"
                          " and `screening db seed` once, before starting the app")
    with database.reading() as tx:
        if rulesets.active_version(tx) is None:
            raise NotPrepared("the database has no active rule set: run `screening db seed` once, before starting "
                              "the app")


def seed(database: Database, rules_path: str | Path, demo: bool,
         allow_placeholder_contacts: bool = False) -> tuple[users.DemoAccount, ...]:
    """The first rule-set version (when none is active) and, in demo mode, the demo accounts. For real use (not
    demo), a first rule set whose contacts are still placeholders is refused (rulesets.PlaceholderContacts) unless
    `allow_placeholder_contacts`."""
    with database.transaction() as tx:
        rulesets.seed(tx, rules_path, allow_placeholder_contacts=demo or allow_placeholder_contacts)
        if not demo:
            return ()
        second_factor.seed_demo_policy(tx)
        return users.ensure_demo_accounts(tx)


def prepare(database: Database, rules_path: str | Path, demo: bool) -> tuple[users.DemoAccount, ...]:
    """The whole release step: upgrade, then seed."""
    upgrade(database)
    return seed(database, rules_path, demo)


APP_ROLE_GRANTS = (
    'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
    'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
    'REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, alembic_version FROM "{role}"',
    'REVOKE INSERT ON alembic_version FROM "{role}"',
)


def grant_app_role(database: Database, role: str) -> None:
    """On PostgreSQL, let `role` (an existing login role the app instances connect as) read and write the records
    but only add to the audit trail and never change the schema; run by the owner after each upgrade."""
    if database.engine.dialect.name != "postgresql":
        raise NotPrepared("database roles apply to PostgreSQL only")
    if not role.replace("_", "").isalnum():
        raise NotPrepared(f"'{role}' is not a plain role name")
    from sqlalchemy import text
    with database.engine.begin() as connection:
        for statement in APP_ROLE_GRANTS:
            connection.execute(text(statement.format(role=role)))
