"""`screening demo simulate`: a synthetic partnership in a demo or bench database (store/simulate.py)."""

from __future__ import annotations

import random
import time

import click

from .admin import app_setting, database_option, prepared_db
from .children import keys_for_cli
from .common import CliError


@click.group()
def demo() -> None:
    """Practice data for a demo or bench database."""


@demo.command("simulate")
@click.option("--screenings", type=click.IntRange(1, 1_000_000), required=True, help="How many screenings to make.")
@click.option("--years", type=click.FloatRange(0.1, 10), default=2.0, show_default=True,
              help="Spread them over this many years back from today.")
@click.option("--seed", type=int, default=2026, show_default=True, help="The same seed makes the same partnership.")
@click.option("--trim-outcomes", is_flag=True,
              help="Store each outcome with only what the list and dashboard read (no ladder, actions, trace, signs "
                   "or child's words; about a tenth of the size, made several times faster; for benches).")
@database_option
def simulate(screenings: int, years: float, seed: int, trim_outcomes: bool, database_url: str) -> None:
    """Fill the database with a simulated partnership: children with histories across agencies, screenings whose
    outcomes the active rules produce, decisions, referral responses (some late), challenges and meeting records.
    Refused in production mode: practice data only."""
    from ..store import rulesets
    from ..store.simulate import simulate as fill

    if app_setting("MODE") == "production":
        raise CliError("refusing to add simulated children to a production database (SCREENING_MODE=production)")
    database, keys = prepared_db(database_url), keys_for_cli()
    with database.reading() as tx:
        rs = rulesets.active_ruleset(tx)
    started = time.perf_counter()
    rng = random.Random(seed)  # nosec B311: simulated practice data, the same from the same seed; nothing secret
    try:
        made = fill(database, rs, keys, screenings, rng, years, trim_outcomes)
    except ValueError as exc:  # more simulated children than NHS numbers set aside for them
        raise CliError(str(exc)) from exc
    click.echo(f"simulated {made.screenings:,} screenings of {made.children:,} children in "
               f"{time.perf_counter() - started:.0f} s: {made.responses:,} referral responses ({made.overdue:,} "
               f"still waiting past their due time), {made.meetings:,} strategy-meeting records (SIMULATED, practice "
               "data only)")
