"""`screening tokens …`: tokens for other systems calling the JSON API. A token is shown once, when made; only its
SHA-256 is kept."""

from __future__ import annotations

import click

from .admin import ACTOR, database_option, prepared_db
from .common import CliError


@click.group()
def tokens() -> None:
    """API tokens for other systems (each call is audited under the token's name)."""


@tokens.command("add")
@click.argument("name")
@click.option("--role", required=True, help="The role the token acts with, as an account would.")
@click.option("--agency", required=True, help="The agency the token's system belongs to.")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=None, help="Expire after this many days.")
@database_option
def add(name: str, role: str, agency: str, expires_days: int | None, database_url: str) -> None:
    """Make a token NAME and print it (once)."""
    from ..store import audit
    from ..store import tokens as store

    with prepared_db(database_url).transaction() as tx:
        try:
            token = store.add(tx, name, role, agency, expires_days)
        except store.TokenError as exc:
            raise CliError(str(exc)) from exc
        audit.record(tx, ACTOR, "api_token_added", "token", name, role=role)
    click.echo(token)
    click.echo(f"(the token for {name}: shown once, keep it in the calling system's secret store)", err=True)


@tokens.command("list")
@database_option
def list_tokens(database_url: str) -> None:
    """Every token: name, role, agency, and whether it is live."""
    from datetime import UTC, datetime

    from ..store import tokens as store
    from ..store.db import as_utc

    with prepared_db(database_url).reading() as tx:
        for t in store.listed(tx):
            expired = t.expires_at is not None and as_utc(t.expires_at) <= datetime.now(UTC)
            state = "revoked" if t.revoked_at else "expired" if expired else "live"
            click.echo(f"{t.name}\t{t.role}\t{t.agency}\t{state}")


@tokens.command("revoke")
@click.argument("name")
@database_option
def revoke(name: str, database_url: str) -> None:
    """Stop token NAME working, at once, on every instance."""
    from ..store import audit
    from ..store import tokens as store

    with prepared_db(database_url).transaction() as tx:
        try:
            store.revoke(tx, name)
        except store.TokenError as exc:
            raise CliError(str(exc)) from exc
        audit.record(tx, ACTOR, "api_token_revoked", "token", name)
    click.echo(f"revoked {name}")
