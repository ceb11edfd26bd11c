"""The tasks workers run. Each reads what it needs from the database by id: a job's arguments are ids and numbers,
never a child's details.

An impact preview is planned (its batches recorded: the vignette stages, then stored screenings in ranges of ids,
read through a server-side cursor) and its batches queued; any worker takes any batch, so two worker machines take
about half the time. A batch reads only its own screenings (and their children's records), compares them under
both rule sets and saves its tallies and listed cases in one transaction: memory is bounded by the batch, not by
the database, and a batch run twice counts once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import procrastinate
from procrastinate import JobContext
from sqlalchemy import select

from ..model import RuleSet
from ..store import Database
from ..store import impact_previews as previews
from ..store.models import ImpactPreview, RuleSetVersion
from ..store.rulesets import of_version
from ..store.screenings import stored_answers_between
from ..tools.impact import Case, ImpactReport, cases_from_screenings, cases_from_vignettes, compare
from ..tools.robustness import check_robustness
from ..tools.vignettes import load_vignettes

STALLED_AFTER = 60  # seconds without a heartbeat from its worker before a job is given to another worker
HEARTBEAT_EVERY = 10  # seconds between a worker's heartbeats


@dataclass
class WorkerContext:
    """What every task in a worker process shares: the database, where the vignettes are, and the purge as
    configured (None where no purge is scheduled)."""

    database: Database
    vignettes_path: str
    purge: Any = None  # () -> str: runs the retention purge, says what it did
    batch_size: int = previews.SCREENINGS_PER_BATCH  # stored screenings in a batch of an impact preview
    _stages: dict[str, list[Case]] = field(default_factory=dict)

    def stages(self, rs: RuleSet) -> list[Case]:
        """The vignette stages as cases, read against `rs` (the rules in use when the preview was asked for)."""
        if rs.hash not in self._stages:
            self._stages[rs.hash] = cases_from_vignettes(load_vignettes(self.vignettes_path, rs))
        return self._stages[rs.hash]

    def ruleset(self, ruleset_hash: str) -> RuleSet:
        with self.database.reading() as tx:
            version = tx.scalar(select(RuleSetVersion).where(RuleSetVersion.hash == ruleset_hash).limit(1))
        if version is None:
            raise LookupError(f"no stored rule-set version with hash {ruleset_hash[:12]}")
        return of_version(version)  # parsed once per process (store/rulesets keeps them)


def register(app: procrastinate.App, *, scheduled: bool) -> None:
    """Add the tasks to `app`; `scheduled` also schedules the periodic ones (a long-running worker's)."""
    app.task(name="impact.plan", queue="impact", pass_context=True)(plan_impact)
    app.task(name="impact.batch", queue="impact", pass_context=True)(compare_batch)
    purge = app.task(name="retention.purge", queue="scheduled", pass_context=True)(purge_nightly)
    retry = app.task(name="jobs.retry_stalled", queue="scheduled", pass_context=True)(retry_stalled)
    if scheduled:
        app.periodic(cron="30 2 * * *", periodic_id="nightly")(purge)
        app.periodic(cron="* * * * *", periodic_id="every-minute")(retry)


def _worker(context: JobContext) -> WorkerContext:
    return context.additional_context["screening"]


def _rulesets(worker: WorkerContext, preview_id: int) -> tuple[RuleSet, RuleSet]:
    with worker.database.reading() as tx:
        preview = tx.get(ImpactPreview, preview_id)
        if preview is None:
            raise LookupError(f"no impact preview {preview_id}")
        hashes = preview.old_hash, preview.new_hash
    return worker.ruleset(hashes[0]), worker.ruleset(hashes[1])


def plan_impact(context: JobContext, preview: int) -> None:
    """Record the preview's batches and queue one job per batch."""
    worker = _worker(context)
    try:
        old, _ = _rulesets(worker, preview)
        count = previews.plan(worker.database, preview, len(worker.stages(old)),
                              previews.screening_ranges(worker.database, worker.batch_size))
        batches: list[dict[str, Any]] = [{"preview": preview, "number": n} for n in range(count)]
        if batches:  # none when the preview finished meanwhile
            context.app.configure_task("impact.batch").batch_defer(*batches)
    except Exception as exc:
        previews.fail(worker.database, preview, _why(exc))
        raise


def compare_batch(context: JobContext, preview: int, number: int) -> None:
    """Compare one batch's cases under both rule sets and save its results."""
    worker = _worker(context)
    try:
        old, new = _rulesets(worker, preview)
        with worker.database.reading() as tx:
            batch = previews.batch(tx, preview, number)
            if batch is None:  # the preview was planned again: its new plan has its own jobs
                return
            first, last = batch.first_id, batch.last_id
        robustness = None
        if number == 0:
            cases = worker.stages(old)
            robustness = {"active": check_robustness(old, cases).to_dict(),
                          "candidate": check_robustness(new, cases).to_dict()}
        else:
            cases = cases_from_screenings(stored_answers_between(worker.database, first, last))
        previews.save_batch(worker.database, preview, number, batch_result(compare(old, new, cases, workers=1)),
                            robustness, context.worker_name or "")
    except Exception as exc:
        previews.fail(worker.database, preview, _why(exc))
        raise


def batch_result(report: ImpactReport) -> previews.BatchResult:
    """A batch's report as the preview keeps it: tallies, and the changed (those going down first), unevaluable
    and failing cases as the report describes them."""
    listed = [("changed", 0 if c.down else 1, c.case.kind, c.to_dict()) for c in report.changed]
    listed += [("cannot", 1, c.case.kind, c.to_dict()) for c in report.cannot_evaluate]
    listed += [("failing", 1, f.case.kind, f.to_dict()) for f in report.failing]
    return previews.BatchResult(report.total, report.transitions, len(report.changed), len(report.down),
                                len(report.cannot_evaluate), len(report.failing), listed)


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def purge_nightly(context: JobContext, timestamp: int) -> str:
    """The retention purge, each night, as `screening purge --yes` would run it."""
    purge = _worker(context).purge
    return purge() if purge is not None else "no purge configured"


async def retry_stalled(context: JobContext, timestamp: int) -> int:
    """Give every job whose worker stopped sending heartbeats (killed, or its machine gone) to another worker."""
    return await give_back_stalled(context.app)


async def give_back_stalled(app: procrastinate.App, after: float = STALLED_AFTER) -> int:
    """Put back in the queue every job whose worker has sent no heartbeat for `after` seconds; how many."""
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=after))
    for job in stalled:
        await app.job_manager.retry_job(job)
    return len(stalled)
