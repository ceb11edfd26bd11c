"""Benchmark: the partnership dashboard and the lead's screening list with 100,000 completed screenings.

Run: make bench-dashboard (SQLite, then PostgreSQL), or .venv/bin/python bench/bench_dashboard.py [DATABASE_URL].
Builds the records once (the 200 newest carry a whole stored outcome, about 60 KB; the rest a trimmed one, as the
list shows 50 at a time and the dashboard reads no outcome but meetings'), then times each page through the app,
in process, as a signed-in lead. Target: each under 1 s.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from screening import evaluate, load_ruleset
from screening.store import Database, schema, summaries
from screening.store.models import FiredRule, ReferralResponse, Screening
from screening.store.screenings import cursor_of
from screening.web import create_app

ROOT = Path(__file__).resolve().parents[1]
SCREENINGS, REPEAT = 100_000, 5
RS = load_ruleset(ROOT / "rules" / "default")


def build(database: Database, rng: random.Random) -> None:
    real = evaluate(RS, {"age": 14, "older_associate_controlling": "yes"}, agency="school").to_dict()
    small = {**real, "routes": [{**r, "actions": []} for r in real["routes"]], "information_gaps": [],
             "nearby": [], "nearest": None, "findings": [], "indicators": [], "answered": [],
             "escalation": [], "strategy_meeting": {**real["strategy_meeting"], "record": [], "invitees": []}}
    agencies, routes = [a.id for a in RS.agencies], [r.id for r in RS.routes]
    rules = [r.id for r in RS.rules]
    now = datetime.now(UTC)
    for chunk in range(0, SCREENINGS, 10_000):
        rows, fired, responses = [], [], []
        for n in range(chunk, chunk + 10_000):
            done = now - timedelta(minutes=SCREENINGS - n)  # the newest last
            sid, route = uuid.uuid4().hex, rng.choice(routes)
            rows.append({"id": sid, "owner": "demo-practitioner", "created_at": done, "updated_at": done,
                         "completed_at": done, "completed_month": done.strftime("%Y-%m"), "status": "complete",
                         "agency": rng.choice(agencies), "answers": {"age": rng.randrange(8, 18)}, "pages_done": [],
                         "language_choices": {}, "ruleset_id": RS.meta.id, "ruleset_version": RS.meta.version,
                         "ruleset_hash": RS.hash, "recommended_route": route,
                         "decided_route": rng.choice(routes) if rng.random() < 0.2 else None,
                         "decision": "lower" if rng.random() < 0.1 else None,
                         "age_band": rng.choice(["under_13", "13_15", "16_17"]),
                         "child_id": f"child{rng.randrange(20_000)}", "outcome": real if n >= SCREENINGS - 200
                         else small, "decision_reason": "", "lead_consulted": "", "referrer_contact": ""})
            fired += [{"screening_id": sid, "rule_id": r} for r in rng.sample(rules, 3)]
            if rng.random() < 0.2:
                responses.append({"screening_id": sid, "decision": rng.choice(["", "child_in_need", "section_47"]),
                                  "sent_how": "phone", "sent_to": "MASH", "decided_by": "", "updated_by": "bench",
                                  "due_at": done + timedelta(days=1), "updated_at": done})
        with database.transaction() as tx:
            tx.execute(insert(Screening), rows)
            tx.execute(insert(FiredRule), fired)
            tx.execute(insert(ReferralResponse), responses)


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
    build(database, random.Random(19))
    print(f"built {SCREENINGS:,} screenings in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
    started = time.perf_counter()
    with database.transaction() as tx:  # rows written here, not through the app: counted as the command does
        summaries.rebuild(tx)
    print(f"counted the dashboard's tallies in {time.perf_counter() - started:.1f} s")
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
