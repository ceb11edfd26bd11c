"""`screening worker`: runs the background work the web instances queue (ADR 0027)."""

from __future__ import annotations

import click

from .admin import app_setting, database_option, prepared_db

ACTOR = "scheduled purge"


@click.command()
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then stop (no scheduled work).")
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=None,
              help="Stored screenings in each batch of an impact preview this worker plans; bounds a worker's "
                   "memory.  [default: 5000]")
@database_option
def worker(burst: bool, batch_size: int | None, database_url: str) -> None:
    """Run queued background work: impact previews, the nightly retention purge (02:30) and the retrying of jobs
    whose worker stopped. Run any number, on any machine, with the same settings as the web instances."""
    from ..jobs import worker as runner
    from ..store import retention
    from ..web import logs
    from .admin import purged_words, retention_periods
    from .children import keys_for_cli

    database, keys = prepared_db(database_url), keys_for_cli()
    periods = retention_periods(None, False)  # settings below their floors are refused now, not at 2.30 tonight

    def purge() -> str:
        return purged_words(retention.purge(database, keys, periods, ACTOR))

    logs.configure(app_setting("LOG_LEVEL"), app_setting("LOG_FORMAT"), also=("procrastinate",))  # job ids, no details
    click.echo("Worker: running the jobs queued now." if burst else
               "Worker started: impact previews, the nightly purge; stop with Ctrl+C.", err=True)
    runner.run(database_url, app_setting("VIGNETTES_PATH"), purge, burst=burst, batch_size=batch_size)
