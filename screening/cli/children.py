"""`screening children …`: the keys that protect children's identities. Make new keys, re-seal every identity under
the newest key (after adding one), and rebuild the blind indexes (after changing the index key)."""

from __future__ import annotations

import click

from .admin import app_setting, database_option, prepared_db
from .common import CliError


@click.group()
def children() -> None:
    """Keys for children's identities (see docs/deploying.md, 'Keys')."""


@children.command("new-keys")
def new_keys() -> None:
    """Print a new identity key and index key, as environment lines."""
    from ..store import sealing

    made = sealing.new_keys()
    click.echo(f"SCREENING_IDENTITY_KEYS={made['identity']}")
    click.echo(f"SCREENING_INDEX_KEY={made['index']}")


def keys_for_cli():
    """The keys that seal children's identities, as the app itself would read them."""
    from ..store import sealing

    given = app_setting("IDENTITY_KEYS"), app_setting("INDEX_KEY")
    try:
        if app_setting("MODE") == "demo" and not any(given):
            return sealing.demo_keys(app_setting("DATA_DIR"))
        return sealing.keys_from(*given)
    except sealing.KeysMissing as exc:
        raise CliError(str(exc)) from exc


@children.command("rotate-keys")
@database_option
def rotate_keys(database_url: str) -> None:
    """Re-seal every child's identity under the first key in SCREENING_IDENTITY_KEYS (the others still read)."""
    from ..store import children as records

    keys, database = keys_for_cli(), prepared_db(database_url)
    with database.transaction() as tx:
        count = records.reseal_all(tx, keys)
    click.echo(f"re-sealed {count} child record(s) under the newest key; older keys can now be removed")


@children.command("reindex")
@database_option
def reindex(database_url: str) -> None:
    """Rebuild every blind index under SCREENING_INDEX_KEY (after changing it)."""
    from ..store import children as records

    keys, database = keys_for_cli(), prepared_db(database_url)
    with database.transaction() as tx:
        count = records.reindex_all(tx, keys)
    click.echo(f"rebuilt the blind indexes of {count} child record(s)")
