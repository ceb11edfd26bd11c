"""The embedded default: `screening serve` on SQLite starts a local worker process beside the server, which runs the
same tasks a partnership's workers run (an impact preview here), and stops it when the server stops."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

from screening.jobs import JobQueue
from screening.store import Database, rulesets
from screening.web.impact_previews import ImpactPreviews
from tests.conftest import ROOT, prepared_database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def registered_workers(path: str) -> dict:
    """The workers the SQLite queue knows (each registers when it starts and unregisters when it stops)."""
    with sqlite3.connect(path) as connection:
        row = connection.execute("SELECT state FROM job_queue WHERE id = 1").fetchone()
    return json.loads(row[0])["workers"] if row else {}


def wait_for(condition, what: str, timeout: float = 120) -> None:
    """Until `condition()` holds: the state is observed, not assumed after a delay."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def test_serve_on_sqlite_runs_a_local_worker_and_stops_it(tmp_path):
    url = prepared_database(tmp_path)
    path = url.removeprefix("sqlite:///")
    database = Database(url)
    with database.reading() as tx:
        old = rulesets.active_ruleset(tx)
    new = rulesets.parse({n.rsplit("/", 1)[-1]: t.replace("at_least: 3}", "at_least: 4}", 1) for n, t in old.sources})
    with database.transaction() as tx:
        rulesets.add_version(tx, new, "demo-lead", "a candidate to preview")
    env = {**os.environ, "DATABASE_URL": url, "SCREENING_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-m", "screening.cli", "serve", "--port", str(free_port())], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: registered_workers(path), "the local worker to start")
        previews = ImpactPreviews(database, JobQueue(url))
        assert previews.start(old, new)
        wait_for(lambda: previews.find(old, new).status == "done", "the local worker to finish the preview")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert registered_workers(path) == {}  # stopped with the server, cleanly
