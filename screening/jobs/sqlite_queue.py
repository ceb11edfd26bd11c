"""procrastinate's job queue kept in a SQLite table, for the embedded default (one laptop, no PostgreSQL).

procrastinate ships an in-memory connector that implements each of its queries in Python over a few dicts. This
connector keeps those dicts in one row of the app's SQLite file and runs every query in one IMMEDIATE transaction:
load the state, let procrastinate's own implementation change it, save it. So the web server and a local worker
process share one queue, and a job's life (todo, doing, retried, succeeded) follows procrastinate's rules, not
ours. No LISTEN/NOTIFY: workers poll. Pinned to procrastinate's minor version (the state's shape is its own).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import count
from typing import Any, Literal, TypeVar

from procrastinate.exceptions import ConnectorException
from procrastinate.testing import InMemoryConnector

# The state is one row of the table `job_queue` (made by migration 0017), as JSON.


T = TypeVar("T")


class SqliteQueue(InMemoryConnector):
    """The queue's state in the SQLite file at `path`, shared by every process that opens it."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self._lock = threading.Lock()  # one query at a time in this process (the worker's loop and its tasks)

    async def generic_execute(self, query: str, suffix: Literal["run", "one", "all"], **arguments: Any) -> Any:
        method = getattr(self, f"{self.reverse_queries[query]}_{suffix}")
        try:
            with self._lock, self._state():
                result = await method(**arguments)  # the in-memory implementations never wait: nothing interleaves
                return list(result) if isinstance(result, Iterator) else result
        except sqlite3.Error as exc:  # as procrastinate's own connectors say a database problem
            raise ConnectorException(str(exc)) from exc

    async def listen_notify(self, on_notification: Any, channels: Any) -> None:
        """Workers poll a SQLite queue: nothing to listen to."""

    # Called from synchronous code (a web request deferring a job, a worker's synchronous task): each query is run
    # to its end here, not handed to an event loop, since it never waits (and the caller may be inside one).
    def execute_query(self, query: str, **arguments: Any) -> None:
        return _run_now(self.generic_execute(query, "run", **arguments))

    def execute_query_one(self, query: str, **arguments: Any) -> dict[str, Any]:
        return _run_now(self.generic_execute(query, "one", **arguments))

    def execute_query_all(self, query: str, **arguments: Any) -> list[dict[str, Any]]:
        return _run_now(self.generic_execute(query, "all", **arguments))

    def execute_query_one_with_connection(self, connection: Any, query: str, **arguments: Any) -> dict[str, Any]:
        return self.execute_query_one(query, **arguments)

    def execute_query_all_with_connection(self, connection: Any, query: str, **arguments: Any
                                          ) -> list[dict[str, Any]]:
        return self.execute_query_all(query, **arguments)

    @contextmanager
    def _state(self) -> Iterator[None]:
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute("SELECT state FROM job_queue WHERE id = 1").fetchone()
            self._load(json.loads(row[0], object_hook=_decoded) if row else {})
            yield
            connection.execute("INSERT OR REPLACE INTO job_queue (id, state) VALUES (1, ?)",
                               (json.dumps(self._dump(), default=_encoded),))
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def _load(self, state: dict[str, Any]) -> None:
        self.jobs = {int(k): v for k, v in state.get("jobs", {}).items()}
        self.events = {int(k): v for k, v in state.get("events", {}).items()}
        self.workers = {int(k): v for k, v in state.get("workers", {}).items()}
        self.periodic_defers = {tuple(k.split("\n", 1)): v for k, v in state.get("periodic", {}).items()}
        self.job_counter = count(state.get("next_id", 1))

    def _dump(self) -> dict[str, Any]:
        next_id = next(self.job_counter)
        return {"jobs": self.jobs, "events": {k: v for k, v in self.events.items() if k in self.jobs},
                "workers": self.workers, "next_id": next_id,
                "periodic": {"\n".join(k): v for k, v in self.periodic_defers.items()}}


def _run_now(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never waits, run here to its end without an event loop."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise RuntimeError("a query on the SQLite queue waited for something: it never should")


def _encoded(value: object) -> object:
    if isinstance(value, datetime):
        return {"$at": value.isoformat()}
    raise TypeError(f"cannot keep a {type(value).__name__} in the queue")


def _decoded(value: dict[str, Any]) -> object:
    return datetime.fromisoformat(value["$at"]) if value.keys() == {"$at"} else value
