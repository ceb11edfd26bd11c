"""Background work on procrastinate, a PostgreSQL-based job queue: impact previews split into batches that
`screening worker` processes on any number of machines share, the nightly retention purge, and the retrying of jobs
whose worker died. The web app only queues work; it never runs it. On the embedded default (SQLite) the same tasks
run in a local worker process that `screening serve` starts, on a queue kept in the SQLite file (sqlite_queue.py).
ADR 0027."""

from .queue import JobQueue, connector_for, job_app

__all__ = ["JobQueue", "connector_for", "job_app"]
