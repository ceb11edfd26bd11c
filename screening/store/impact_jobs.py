"""Impact-preview jobs in the database, so that every app instance sees the same job: the first instance to claim
a pair of hashes runs it; the others read its progress and report. A running job whose instance stopped updating
it (for `STALE` without progress) can be claimed again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import Database, as_utc
from .models import ImpactJob

STALE = timedelta(minutes=10)


def find(session: Session, old_hash: str, new_hash: str) -> ImpactJob | None:
    return session.scalar(select(ImpactJob).where(ImpactJob.old_hash == old_hash, ImpactJob.new_hash == new_hash))


def claim(database: Database, old_hash: str, new_hash: str, now: datetime | None = None) -> bool:
    """True when the caller should run the job: nobody has, it failed, or its runner went quiet."""
    now = now or datetime.now(UTC)
    try:
        with database.transaction() as tx:
            job = find(tx, old_hash, new_hash)
            if job is None:
                tx.add(ImpactJob(old_hash=old_hash, new_hash=new_hash, status="running", total=0, done=0, error="",
                                 started_at=now, updated_at=now))
                return True
            quiet = job.status == "running" and as_utc(job.updated_at) < now - STALE
            if job.status == "failed" or quiet:
                job.status, job.total, job.done, job.error, job.report = "running", 0, 0, "", None
                job.started_at = job.updated_at = now
                return True
            return False
    except IntegrityError:  # another instance claimed it at the same moment
        return False


def progress(database: Database, old_hash: str, new_hash: str, done: int, total: int) -> None:
    with database.transaction() as tx:
        job = find(tx, old_hash, new_hash)
        if job is not None:
            job.done, job.total, job.updated_at = done, total, datetime.now(UTC)


def finish(database: Database, old_hash: str, new_hash: str, report: dict[str, Any] | None, error: str = "") -> None:
    """Record the report (or why there is none)."""
    with database.transaction() as tx:
        job = find(tx, old_hash, new_hash)
        if job is not None:
            job.status = "failed" if error else "done"
            job.report, job.error, job.updated_at = report, error, datetime.now(UTC)
            if not error:
                job.done = job.total

