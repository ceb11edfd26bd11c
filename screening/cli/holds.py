"""`screening holds …`: legal holds on a child's records, which the retention purge never passes. Each placing
and lifting needs a reason and is audited (the web page for a lead does the same, on the child's record)."""

from __future__ import annotations

import click

from .admin import ACTOR, database_option, prepared_db
from .common import CliError

reason_option = click.option("--reason", required=True, help="Why (kept with the hold and in the audit trail).")


@click.group()
def holds() -> None:
    """Legal holds: keep a child's records past their retention period."""


@holds.command("place")
@click.argument("child_id")
@reason_option
@database_option
def place(child_id: str, reason: str, database_url: str) -> None:
    """Place a hold on the child record CHILD_ID (and those merged into it)."""
    from ..store import audit, retention
    from ..store.models import Child

    with prepared_db(database_url).transaction() as tx:
        if not reason.strip() or tx.get(Child, child_id[:32]) is None:
            raise CliError(f"no child record '{child_id}'" if reason.strip() else "give a reason for the hold")
        hold = retention.place(tx, child_id, reason.strip(), ACTOR)
        audit.record(tx, ACTOR, "legal_hold_placed", "child", hold.child_id, hold=hold.id)
    click.echo(f"held: the records of child {hold.child_id} are kept until the hold is lifted")


@holds.command("lift")
@click.argument("child_id")
@reason_option
@database_option
def lift(child_id: str, reason: str, database_url: str) -> None:
    """Lift the hold on the child record CHILD_ID; the retention rules apply again from the next purge."""
    from ..store import audit, retention
    from ..store.models import Child

    with prepared_db(database_url).transaction() as tx:
        if not reason.strip() or tx.get(Child, child_id[:32]) is None:
            raise CliError(f"no child record '{child_id}'" if reason.strip() else "give a reason for lifting it")
        try:
            lifted = retention.lift(tx, child_id, reason.strip(), ACTOR)
        except retention.NoHold:
            raise CliError(f"child {child_id} has no hold to lift") from None
        for hold in lifted:
            audit.record(tx, ACTOR, "legal_hold_lifted", "child", hold.child_id, hold=hold.id)
    click.echo(f"lifted: the retention rules apply to child {child_id} again")


@holds.command("list")
@database_option
def list_holds(database_url: str) -> None:
    """Standing holds: child record, since, by whom, why."""
    from ..store import retention

    with prepared_db(database_url).reading() as tx:
        for hold in retention.standing_holds(tx):
            click.echo("\t".join([hold.child_id, f"{hold.placed_at:%Y-%m-%d}", hold.placed_by, hold.reason]))
