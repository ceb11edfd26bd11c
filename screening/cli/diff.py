"""`screening diff OLD NEW`: the impact of a rule-set change, as a gate for a partnership's own CI.

Cases come from the vignettes (rules/vignettes by default), case files (--cases) and, with --database, every
stored screening's answers. Exit 1 when any case would go down or cannot be evaluated under the new rules."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ..tools.impact import Case, ImpactReport, cases_from_screenings, compare
from .common import CliError, file_cases, load_rules, vignette_cases

PROGRESS_EVERY = 1000


@click.command()
@click.argument("old_path", metavar="OLD", type=click.Path(exists=True, path_type=Path))
@click.argument("new_path", metavar="NEW", type=click.Path(exists=True, path_type=Path))
@click.option("--cases", "cases_path", type=click.Path(exists=True, path_type=Path),
              help="Case files (*.yaml: one case, or a list of scenarios with optional expectations).")
@click.option("--vignettes", "vignettes_path", type=click.Path(exists=True, path_type=Path),
              help="Vignettes, valid for OLD. [default: rules/vignettes, when present]")
@click.option("--no-vignettes", is_flag=True, help="Leave the vignettes out.")
@click.option("--database", "database_url", help="SQLAlchemy URL: also every stored screening's answers.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(old_path: Path, new_path: Path, cases_path: Path | None, vignettes_path: Path | None, no_vignettes: bool,
         database_url: str | None, fmt: str) -> None:
    """Compare rule sets OLD and NEW (directories or files) case by case; exit 1 if any case goes down or
    cannot be evaluated under NEW, else 0."""
    old, new = load_rules(old_path), load_rules(new_path)
    cases = vignette_cases(old, vignettes_path, no_vignettes, "the old rule set")
    if cases_path is not None:
        cases += file_cases(cases_path)
    if database_url:
        cases += screenings_from_database(database_url)
    report = compare(old, new, cases, _progress if len(cases) > PROGRESS_EVERY else None, every=PROGRESS_EVERY)
    click.echo(json.dumps(report.to_dict(), indent=2) if fmt == "json" else "\n".join(report_lines(report)))
    sys.exit(1 if report.needs_attention else 0)


def screenings_from_database(url: str) -> list[Case]:
    """Every stored screening (drafts included) as a case: its id, status, agency and answers."""
    from ..store import Database
    from ..store.screenings import StoreError, stored_answers

    if url.startswith("sqlite:///") and ":memory:" not in url and not Path(url.removeprefix("sqlite:///")).exists():
        raise CliError(f"no database file at {url.removeprefix('sqlite:///')}")
    database = Database(url)
    try:
        return cases_from_screenings(stored_answers(database))
    except StoreError as exc:
        raise CliError(f"cannot read stored screenings: {exc}") from exc
    finally:
        database.engine.dispose()


def _progress(done: int, total: int) -> None:
    click.echo(f"evaluated {done:,} of {total:,} cases", err=True)


# --- Text report ----------------------------------------------------------------------------------------------


def report_lines(report: ImpactReport) -> Iterator[str]:
    """The transition table, warnings for cases going down or not evaluable, changed cases, failing stages."""
    old, new, totals = report.old, report.new, report.totals
    yield (f"Impact of {old['id']} {old['version']} ({old['hash'][:12]}) -> {new['id']} {new['version']} "
           f"({new['hash'][:12]}) over {report.total:,} cases")
    yield ""
    yield "Route transitions (old -> new):"
    yield from (f"  {line}" for line in report.table_text().splitlines())
    yield from _warnings(report)
    yield from _changed_lines(report)
    yield from _failing_lines(report)
    yield ""
    yield (f"{totals['changed']:,} changed, {totals['down']:,} going down, {totals['cannot_evaluate']:,} "
           f"cannot be evaluated, {totals['failing']:,} failing vignette stages or case expectations")


def _warnings(report: ImpactReport) -> Iterator[str]:
    down = report.down
    if down:
        yield ""
        yield f"!!! WARNING: {len(down):,} case(s) would go DOWN under the new rules:"
        for c in down:
            yield f"!!!   {c.case.id}: {'; '.join(c.down_reasons)}  [{c.case.label}]"
    if report.cannot_evaluate:
        yield ""
        yield f"!!! WARNING: {len(report.cannot_evaluate):,} case(s) cannot be evaluated:"
        for unusable in report.cannot_evaluate:
            yield f"!!!   {unusable.case.id}: {unusable.reason}  [{unusable.case.label}]"


def _changed_lines(report: ImpactReport) -> Iterator[str]:
    if not report.changed:
        return
    yield ""
    yield f"Changed cases ({len(report.changed):,}):"
    for c in report.changed:
        before, after = c.old, c.new
        mark = "  DOWN" if c.down else ""
        yield (f"  {c.case.id}: {before.route}/{before.level} -> {after.route}/{after.level}"
               f"{mark}  [{c.case.label}]")
        if c.now_fire:
            yield f"      now fire: {', '.join(c.now_fire)}"
        if c.no_longer_fire:
            yield f"      no longer fire: {', '.join(c.no_longer_fire)}"
        if before.strategy_meeting != after.strategy_meeting:
            yield f"      strategy meeting: {'yes' if before.strategy_meeting else 'no'} -> " \
                  f"{'yes' if after.strategy_meeting else 'no'}"


def _failing_lines(report: ImpactReport) -> Iterator[str]:
    if not report.failing:
        return
    yield ""
    yield f"Vignette stages and case expectations that would fail ({len(report.failing):,}):"
    for f in report.failing:
        before = "  (already failing under the old rules)" if f.failed_before else ""
        yield f"  {f.case.id} at {f.case.where}{before}  [{f.case.label}]"
        yield from (f"      {problem}" for problem in f.problems)
