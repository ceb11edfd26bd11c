"""The job queue: procrastinate's app with this project's tasks, on PostgreSQL or (embedded default) SQLite."""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.engine import make_url

from .sqlite_queue import SqliteQueue


def connector_for(database_url: str, *, worker: bool = False) -> Any:
    """The queue's connector for the app's database: procrastinate's own on PostgreSQL (asynchronous in a worker,
    a small synchronous pool in a web process, which only queues), else the SQLite queue in the same file."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        if worker:
            return procrastinate.PsycopgConnector(conninfo=conninfo)
        return procrastinate.SyncPsycopgConnector(conninfo=conninfo, min_size=0, max_size=2)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return SqliteQueue(url.database)
    raise ValueError(f"no job queue for a {url.get_backend_name()} database")


def job_app(connector: Any, *, scheduled: bool = False) -> procrastinate.App:
    """procrastinate's app with every task registered; `scheduled` adds the periodic ones (a worker's)."""
    from . import tasks

    app = procrastinate.App(connector=connector)
    tasks.register(app, scheduled=scheduled)
    return app


class JobQueue:
    """What a web process needs: queue a task by name. Opened on first use in each process (gunicorn forks after
    the app is built, and a connection pool must not cross a fork)."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self._app: procrastinate.App | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def defer(self, task: str, *, queueing_lock: str | None = None, **arguments: Any) -> None:
        """Queue `task`; a job already queued under the same `queueing_lock` is enough."""
        with contextlib.suppress(AlreadyEnqueued):
            self._opened().configure_task(task, queueing_lock=queueing_lock).defer(**arguments)

    def jobs(self, status: str | None = None) -> list[Any]:
        """The jobs in the queue (procrastinate's Job: task_name, status, task_kwargs), for checks and tests."""
        return self._opened().job_manager.list_jobs(status=status)

    def _opened(self) -> procrastinate.App:
        with self._lock:
            if self._app is None or self._pid != os.getpid():
                self._app = job_app(connector_for(self.database_url))
                self._app.open()
                self._pid = os.getpid()
            return self._app
