"""A worker process: runs queued tasks until stopped (`screening worker`), or until the queue is empty (`burst`,
for tests and one-off catching up)."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import make_url

from ..store import Database
from ..store.impact_previews import SCREENINGS_PER_BATCH
from .queue import connector_for, job_app
from .tasks import HEARTBEAT_EVERY, WorkerContext, give_back_stalled

POLL_EVERY = 1.0  # seconds between looks at the queue when nothing announces new work (always, on SQLite)


def run(database_url: str, vignettes_path: str, purge: Callable[[], str] | None = None, *,
        burst: bool = False, batch_size: int | None = None) -> None:
    """Run the tasks queued in the app's database. A long-running worker also defers the scheduled tasks (the
    nightly purge, the retrying of stalled jobs); a burst worker runs only what is queued, then returns."""
    context = WorkerContext(Database(database_url), vignettes_path, purge, batch_size or SCREENINGS_PER_BATCH)
    postgres = make_url(database_url).get_backend_name() == "postgresql"
    app = job_app(connector_for(database_url, worker=True), scheduled=not burst)

    async def work() -> None:
        # One thread for the synchronous tasks: a worker runs one task at a time, and one thread keeps one memory
        # arena (spread over several threads, each would keep the largest batch it had held).
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(1, thread_name_prefix="task"))
        async with app.open_async():
            await app.run_worker_async(
                wait=not burst, delete_jobs="successful", additional_context={"screening": context},
                listen_notify=postgres, fetch_job_polling_interval=POLL_EVERY,
                update_heartbeat_interval=HEARTBEAT_EVERY, install_signal_handlers=not burst,
                name=f"{socket.gethostname()}:{os.getpid()}")

    asyncio.run(work())


def retry_stalled(database_url: str, after: float) -> int:
    """Put back every job whose worker has been silent for `after` seconds (what each worker does every minute)."""
    app = job_app(connector_for(database_url, worker=True))

    async def give_back() -> int:
        async with app.open_async():
            return await give_back_stalled(app, after)

    return asyncio.run(give_back())
