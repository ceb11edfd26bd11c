"""Benchmark: finding a child and computing their history, with 100,000 screenings of 20,000 children.

Run: make bench-children (or .venv/bin/python bench/bench_children.py [DATABASE_URL]). Builds the database once
(SQLite in a temporary folder unless a URL is given), then times, for random children: finding them by NHS
number, offering candidates by name and date of birth, and the record the rules read. Target: p95 under 20 ms for
finding and history together.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from stdnum.gb import nhs

from screening import load_ruleset
from screening.identifiers import Identity
from screening.store import Database, children, schema, sealing
from screening.store.models import Child, ChildKey, Screening
from screening.store.screenings import stored_answers

CHILDREN, SCREENINGS, SAMPLES = 20_000, 100_000, 500
RS = load_ruleset(Path(__file__).resolve().parents[1] / "rules" / "default")
AGENCIES = [a.id for a in RS.agencies]


def nhs_of(n: int) -> str:
    """A valid NHS number for child n (nine digits of its own; a prefix whose check digit would be 10 is skipped)."""
    for start in range(400_000_000 + n * 13, 400_000_000 + n * 13 + 13):
        valid = [f"{start}{d}" for d in range(10) if nhs.is_valid(f"{start}{d}")]
        if valid:
            return valid[0]
    raise ValueError(n)


def build(database: Database, keys: sealing.Keys, rng: random.Random) -> list[Identity]:
    people = [Identity(nhs=nhs_of(n), given=f"Child{n}", family=rng.choice(["Smith", "Jones", "Khan", "Taylor"]),
                       born=date(2008, 1, 1) + timedelta(days=rng.randrange(3650))) for n in range(CHILDREN)]
    ids = [uuid.uuid4().hex for _ in people]
    now = datetime.now(UTC)
    with database.transaction() as tx:
        pairs = list(zip(ids, people, strict=True))
        tx.execute(insert(Child), [{"id": i, "identity": keys.seal(p), "created_at": now} for i, p in pairs])
        tx.execute(insert(ChildKey), [{"child_id": i, "kind": kind, "digest": keys.blind(kind, value)}
                                      for i, p in pairs
                                      for kind, value in (*p.exact().items(), *p.name_keys().items())])
        rows = []
        for _ in range(SCREENINGS):
            done = now - timedelta(days=rng.randrange(720))
            rows.append({"id": uuid.uuid4().hex, "owner": "bench", "created_at": done, "updated_at": done,
                         "completed_at": done, "status": "complete", "agency": rng.choice(AGENCIES),
                         "answers": {"missing_episodes_90d": rng.randrange(5)}, "pages_done": [],
                         "language_choices": {}, "ruleset_id": RS.meta.id, "ruleset_version": RS.meta.version,
                         "ruleset_hash": RS.hash, "recommended_route": rng.choice([r.id for r in RS.routes]),
                         "child_id": rng.choice(ids), "decision_reason": "", "lead_consulted": "",
                         "referrer_contact": ""})
        tx.execute(insert(Screening), rows)
    return people


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    rng = random.Random(15)
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    database = Database(url)
    schema.upgrade(database)
    made = sealing.new_keys()
    keys = sealing.keys_from(made["identity"], made["index"])
    start = time.perf_counter()
    people = build(database, keys, rng)
    took = time.perf_counter() - start
    print(f"built {CHILDREN:,} children and {SCREENINGS:,} screenings in {took:.1f} s ({url.split(':')[0]})")
    finding, offering, history, both = [], [], [], []
    for who in rng.sample(people, SAMPLES):
        with database.reading() as tx:
            t0 = time.perf_counter()
            (child,) = children.exact_matches(tx, keys, Identity(nhs=who.nhs))
            t1 = time.perf_counter()
            record = children.record_of(tx, RS, child, datetime.now(UTC))
            t2 = time.perf_counter()
            children.candidates(tx, keys, Identity(given=who.given, family=who.family, born=who.born))
            t3 = time.perf_counter()
        assert record.earlier is not None
        finding.append((t1 - t0) * 1000)
        history.append((t2 - t1) * 1000)
        offering.append((t3 - t2) * 1000)
        both.append((t2 - t0) * 1000)
    for name, samples in (("find by NHS number", finding), ("history for the rules", history),
                          ("find and history", both), ("candidates by name and birth date", offering)):
        print(f"{name:34} median {statistics.median(samples):6.2f} ms   p95 {p95(samples):6.2f} ms")
    verdict = "meets" if p95(both) < 20 else "MISSES"
    print(f"target: find and history p95 under 20 ms: {verdict}")
    start = time.perf_counter()
    rows = stored_answers(database)
    print(f"every stored screening with its child's record as it stood then, for an impact preview: "
          f"{len(rows):,} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
