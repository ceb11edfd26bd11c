"""Benchmark: the impact of a one-threshold change over synthetic stored screenings (10,000 unless given).

Run: .venv/bin/python bench/bench_impact.py [--cases N] [--one-core] [--database]. Prints the seconds `compare`
takes with every core this process may use (target: under 10 s for 100,000), and with --one-core the same in this
process alone; with --database, also stores the screenings in a temporary SQLite file and times reading them back
and comparing, as `screening diff --database` does.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

import screening
from screening.tools.impact import Case, ImpactReport, _cores, compare

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for bench_engine when run as a script
from bench_engine import random_answers  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules" / "default"
THRESHOLD = ("when: {fact: missing_episodes_90d, at_least: 3}", "when: {fact: missing_episodes_90d, at_least: 4}")


def candidate() -> screening.RuleSet:
    """The default rule set with one threshold raised, edited in memory."""
    texts = {f.name: f.read_text(encoding="utf-8") for f in sorted(RULES.glob("*.yaml"))}
    old, new = THRESHOLD
    assert texts["rules.yaml"].count(old) == 1, "the benchmark's threshold is no longer in rules.yaml"
    texts["rules.yaml"] = texts["rules.yaml"].replace(old, new)
    return screening.load_ruleset_texts(texts)


def synthetic_cases(rs: screening.RuleSet, n: int) -> list[Case]:
    rng = random.Random(2026)
    agencies = [a.id for a in rs.agencies]
    return [Case(f"s{i:05d}", "screening", f"screening {i}", agencies[i % len(agencies)], random_answers(rs, rng))
            for i in range(n)]


def timed_compare(old, new, cases: list[Case], label: str, workers: int | None = None) -> ImpactReport:
    marks: list[tuple[int, float]] = []
    start = time.perf_counter()
    report = compare(old, new, cases, lambda done, total: marks.append((done, time.perf_counter() - start)),
                     workers=workers)
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.2f} s for {len(cases):,} cases ({elapsed / len(cases) * 1e6:.0f} µs per case, "
          f"both rule sets); {len(marks)} progress reports, the first after {marks[0][1]:.2f} s; "
          f"{len(report.rows)} transition rows; {len(report.changed):,} changed, {len(report.down):,} down; "
          f"load average {os.getloadavg()[0]:.2f}")
    return report


def with_database(old, new, cases: list[Case]) -> None:
    from screening.cli.diff import screenings_from_database
    from screening.store import Database, Screening, schema

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        database = Database(url)
        schema.upgrade(database)
        with database.transaction() as tx:
            tx.add_all(Screening(id=c.id, owner="bench", status="complete", agency=c.agency, answers=c.answers,
                                 ruleset_id=old.meta.id, ruleset_version=old.meta.version, ruleset_hash=old.hash)
                       for c in cases)
        database.engine.dispose()
        start = time.perf_counter()
        stored = screenings_from_database(url)
        print(f"read {len(stored):,} stored screenings: {time.perf_counter() - start:.2f} s")
        timed_compare(old, new, stored, "read back and compared")


def main() -> None:
    args = sys.argv[1:]
    n = int(args[args.index("--cases") + 1]) if "--cases" in args else 10_000
    old, new = screening.load_ruleset(RULES), candidate()
    cases = synthetic_cases(old, n)
    report = timed_compare(old, new, cases, f"compare, {_cores()} cores")
    if "--one-core" in args:
        alone = timed_compare(old, new, cases, "compare, this process alone", workers=1)
        assert alone.to_dict() == report.to_dict(), "one core and several gave different reports"
    table = report.table_text()
    print(f"transition table ({len(table.splitlines()) - 1} rows):\n{table}")
    if "--database" in sys.argv:
        with_database(old, new, cases)


if __name__ == "__main__":
    main()
