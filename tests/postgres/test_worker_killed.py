"""On PostgreSQL: a worker killed in the middle of a task leaves the task to be retried, not lost. The worker is
held inside its task by a lock this test takes on the previews table (so the kill falls mid-task, whatever the
machine's load), killed with SIGKILL (no clean-up of any kind), and its job is given back by the same step every
worker runs each minute (here with no grace period); another worker then finishes the preview, and its report is
the report of comparing every case at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import text

from screening.jobs import JobQueue, worker
from screening.store import Database
from tests.conftest import ROOT, in_own_thread, run_burst_worker
from tests.store import test_impact_previews
from tests.store.test_impact_previews import VIGNETTES, everything_at_once, expected, shown, start

partnership = test_impact_previews.partnership  # the same simulated partnership (a fixture)


def wait_for(condition, what: str, timeout: float = 120) -> None:
    """Until `condition()` holds: the state the test waits for is observed, not assumed after a delay."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def test_a_task_whose_worker_is_killed_is_retried_by_another(partnership):
    url, old, new = partnership
    database, queue = Database(url), JobQueue(url)
    start(url, old, new)
    with database.engine.connect() as holder:  # the worker's task blocks on its first read of the preview
        holder.execute(text("LOCK TABLE impact_previews IN ACCESS EXCLUSIVE MODE"))
        env = {**os.environ, "DATABASE_URL": url, "VIGNETTES_PATH": VIGNETTES}
        doomed = subprocess.Popen([sys.executable, "-m", "screening.cli", "worker", "--burst"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: [j.task_name for j in queue.jobs("doing")] == ["impact.plan"], "the worker to take the job")
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=60)
        holder.rollback()  # the lock goes with the transaction
    assert [j.task_name for j in queue.jobs("doing")] == ["impact.plan"]  # left behind by the dead worker
    assert in_own_thread(worker.retry_stalled, url, after=0) == 1  # each worker, each minute (here no grace)
    assert [j.task_name for j in queue.jobs("todo")] == ["impact.plan"]
    run_burst_worker(url)  # another worker
    assert queue.jobs("doing") == [] and queue.jobs("todo") == []
    assert shown(url, old, new) == expected(everything_at_once(url, old, new))
