"""Benchmark: an impact preview over every stored screening, run by real `screening worker` processes.

Run: .venv/bin/python bench/bench_preview.py --database-url URL [--workers 2] [--batch-size 5000]
(bench/bench_scale.py calls `preview` at each size it grows the database to). The candidate is the active rule set
with one amber sign alone no longer early help (it changes and lowers many cases). Measures the time from the
lead's request to the finished report with N workers waiting for work, each worker's peak memory (its
resident set's high-water mark, from the kernel), and how the batches were shared out. Goal: a million screenings
in under 5 minutes with two workers on two cores, and memory flat in the number of screenings.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import delete, func, select

from screening.jobs import JobQueue
from screening.store import Database, rulesets
from screening.store.models import ImpactBatch, ImpactCase, ImpactPreview, RuleSetVersion, Screening
from screening.web.impact_previews import ImpactPreviews

ROOT = Path(__file__).resolve().parents[1]
CHANGE = ("when: {count: present, level: amber, at_least: 1}", "when: {count: present, level: amber, at_least: 2}")


def candidate(database: Database):
    """The active rule set, and the candidate (stored as a version, as a lead's proposal is)."""
    with database.reading() as tx:
        old = rulesets.active_ruleset(tx)
    new = rulesets.parse({n.rsplit("/", 1)[-1]: t.replace(*CHANGE) for n, t in old.sources})
    with database.transaction() as tx:
        if not tx.scalar(select(func.count()).where(RuleSetVersion.hash == new.hash)):
            rulesets.add_version(tx, new, "bench", "one amber sign alone no longer early help")
    return old, new


def forget_previews(database: Database) -> None:
    with database.transaction() as tx:
        for table in (ImpactCase, ImpactBatch, ImpactPreview):
            tx.execute(delete(table))


def preview(url: str, workers: int = 2, batch_size: int = 5_000) -> dict[str, float | str]:
    """Ask for the preview, run `workers` burst workers together until the queue is empty; the figures."""
    database = Database(url)
    old, new = candidate(database)
    forget_previews(database)
    with database.reading() as tx:
        stored = tx.scalar(select(func.count()).select_from(Screening)) or 0
    env = {**os.environ, "DATABASE_URL": url, "VIGNETTES_PATH": str(ROOT / "rules" / "vignettes")}
    command = [sys.executable, "-m", "screening.cli", "worker", "--batch-size", str(batch_size)]
    running = [subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL) for _ in range(workers)]
    started = time.perf_counter()
    ImpactPreviews(database, JobQueue(url)).start(old, new)
    while _status(database) not in ("done", "failed"):  # workers wait for work; the bench waits for the report
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    peaks = [_high_water_mib(process.pid) for process in running]
    for process in running:
        process.send_signal(signal.SIGTERM)
        process.wait()
    with database.reading() as tx:
        (found,) = tx.scalars(select(ImpactPreview)).all()
        shares = Counter(tx.scalars(select(ImpactBatch.ran_by)))
    return {"stored screenings": stored, "status": found.status, "cases": found.cases_done, "seconds": seconds,
            "peak MiB a worker": max(peaks), "batches per worker": "/".join(str(n) for n in sorted(shares.values()))}


def _high_water_mib(pid: int) -> float:
    """The most memory the process has held since it started (the kernel's VmHWM; not getrusage's maxrss, which a
    child inherits from the parent it was forked from)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no VmHWM for process {pid}")


def _status(database: Database) -> str:
    with database.reading() as tx:
        return tx.scalar(select(ImpactPreview.status)) or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=5_000)
    args = parser.parse_args()
    for key, value in preview(args.database_url, args.workers, args.batch_size).items():
        print(f"{key:>20}: {value:,.1f}" if isinstance(value, float) else f"{key:>20}: {value}")


if __name__ == "__main__":
    main()
