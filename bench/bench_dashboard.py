"""Benchmark: the partnership dashboard and the lead's screening list with 100,000 completed screenings.

Run: make bench-dashboard (SQLite, then PostgreSQL), or .venv/bin/python bench/bench_dashboard.py [DATABASE_URL].
Simulates a partnership once (`screening demo simulate`, outcomes trimmed: the list reads only their route labels and
the dashboard none but meetings'), then times each page through the app, in process, as a signed-in lead. Target:
each under 1 s.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from screening import load_ruleset
from screening.store import Database, schema, sealing
from screening.store.models import Screening
from screening.store.screenings import cursor_of
from screening.store.simulate import simulate
from screening.web import create_app

ROOT = Path(__file__).resolve().parents[1]
SCREENINGS, REPEAT = 100_000, 5
RS = load_ruleset(ROOT / "rules" / "default")


def far_back(database: Database) -> str:
    """The list's cursor 50,000 screenings back from the newest (the page that OFFSET paging made slowest)."""
    with database.reading() as tx:
        row = tx.scalars(select(Screening).order_by(Screening.updated_at.desc(), Screening.id.desc())
                         .offset(50_000).limit(1)).one()
        return cursor_of(row)


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'dashboard.db'}"
    database = Database(url)
    schema.prepare(database, ROOT / "rules" / "default", demo=True)
    started = time.perf_counter()
    made = sealing.new_keys()
    simulate(database, RS, sealing.keys_from(made["identity"], made["index"]), SCREENINGS, random.Random(19),
             trim_outcomes=True)  # the tallies are counted at the end, as `screening demo simulate` does
    print(f"simulated {SCREENINGS:,} screenings in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    client = app.test_client()
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"csrf_token": token, "username": "demo-lead", "password": "demo-lead-password"})
    worst = 0.0
    for name, path in (("dashboard (12 months)", "/dashboard"), ("dashboard, one agency", "/dashboard?agency=gp"),
                       ("a chart", "/dashboard/charts/routes.svg"), ("a table as CSV", "/dashboard/overrides.csv"),
                       ("the lead's screening list", "/screenings"),
                       ("the list, 50,000 back", f"/screenings?older={far_back(database)}")):
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
        worst = max(worst, statistics.median(times))
        print(f"{name:28} median {statistics.median(times) * 1000:7.1f} ms   max {max(times) * 1000:7.1f} ms")
    print(f"target: every page under 1 s: {'meets' if worst < 1 else 'MISSES'}")


if __name__ == "__main__":
    main()
