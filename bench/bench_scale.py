"""Benchmark: what a lead and a practitioner wait for as the stored screenings grow, in one run on PostgreSQL.

Run: make bench-scale, or .venv/bin/python bench/bench_scale.py --database-url URL [--sizes 10000,100000,1000000].
Grows one database by simulation (`screening demo simulate`, outcomes trimmed) to each size in turn, never from
zero, and after each measures every operation in MEASURES through the app in process (a signed-in lead, Flask's
test client; the median of REPEAT), then prints one table: an operation a row, a size a column, and the growth per
tenfold. Goals: the 12-month dashboard under 300 ms at 1,000,000 and flat in the data; the impact preview
(bench_preview.py: two real workers) at 1,000,000 in under 5 minutes, each worker's memory flat in the data.

Each measurement is a function of the Bench registered with @measure, returning milliseconds (or another figure
with its unit in its name): add one to measure something more.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench_preview import preview
from flask.testing import FlaskClient
from sqlalchemy import func, select

from screening import load_ruleset
from screening.identifiers import Identity
from screening.store import Database, children, schema, sealing
from screening.store.models import Child, Screening
from screening.store.screenings import cursor_of
from screening.store.simulate import _nhs_number, simulate
from screening.web import create_app

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules" / "default"
REPEAT = 7
SIZES = (10_000, 100_000, 1_000_000)


@dataclass
class Bench:
    """The database at its present size, the keys its children are sealed with and a signed-in lead."""

    database: Database
    keys: sealing.Keys
    client: FlaskClient
    size: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(32))

    def page(self, path: str) -> float:
        """The median time of REPEAT requests for `path`, in ms."""
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = self.client.get(path)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
        return statistics.median(times) * 1000

    def timed(self, work: Callable[[], object], samples: int = 50) -> float:
        times = []
        for _ in range(samples):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    def children(self, count: int) -> list[str]:
        """Some simulated children's ids, at random."""
        with self.database.reading() as tx:
            ids = list(tx.scalars(select(Child.id).order_by(Child.id)))
        return self.rng.sample(ids, min(count, len(ids)))


MEASURES: dict[str, Callable[[Bench], float]] = {}


def measure(name: str) -> Callable[[Callable[[Bench], float]], Callable[[Bench], float]]:
    def register(how: Callable[[Bench], float]) -> Callable[[Bench], float]:
        MEASURES[name] = how
        return how
    return register


@measure("dashboard, 12 months (ms)")
def dashboard(bench: Bench) -> float:
    return bench.page("/dashboard")


@measure("dashboard, one agency (ms)")
def one_agency(bench: Bench) -> float:
    return bench.page("/dashboard?agency=gp")


@measure("lead's list, first page (ms)")
def list_first(bench: Bench) -> float:
    return bench.page("/screenings")


@measure("lead's list, half way back (ms)")
def list_far_back(bench: Bench) -> float:
    with bench.database.reading() as tx:
        row = tx.scalars(select(Screening).order_by(Screening.updated_at.desc(), Screening.id.desc())
                         .offset(bench.size // 2).limit(1)).one()
        older = cursor_of(row)
    return bench.page(f"/screenings?older={older}")


@measure("a child's chronology (ms)")
def chronology(bench: Bench) -> float:
    times = [bench.page(f"/children/{child}") for child in bench.children(5)]
    return statistics.median(times)


@measure("find by NHS number (ms)")
def find(bench: Bench) -> float:
    with bench.database.reading() as tx:
        count = tx.scalar(select(func.count()).select_from(Child)) or 1
    numbers = [_nhs_number(bench.rng.randrange(count)) for _ in range(50)]

    def find_one() -> None:
        with bench.database.reading() as tx:
            assert len(children.exact_matches(tx, bench.keys, Identity(nhs=numbers.pop()))) == 1
    return bench.timed(find_one, samples=50)


PREVIEWS: dict[int, dict[str, float | str]] = {}  # the impact preview's figures at each size, measured once


@measure("impact preview, 2 workers (s)")
def impact_preview(bench: Bench) -> float:
    """bench/bench_preview.py: two `screening worker` processes, from the lead's request to the report."""
    PREVIEWS[bench.size] = preview(bench.database.engine.url.render_as_string(hide_password=False), workers=2)
    print(f"  (impact preview: {PREVIEWS[bench.size]})", flush=True)
    return float(PREVIEWS[bench.size]["seconds"])


@measure("impact preview, peak memory a worker (MiB)")
def preview_memory(bench: Bench) -> float:
    return float(PREVIEWS[bench.size]["peak MiB a worker"])


def signed_in(url: str, made: dict[str, str]) -> FlaskClient:
    app = create_app({"DATABASE_URL": url, "TESTING": True, "IDENTITY_KEYS": made["identity"],
                      "INDEX_KEY": made["index"]})
    client = app.test_client()
    token = re.findall(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)[0]
    client.post("/sign-in", data={"csrf_token": token, "username": "demo-lead", "password": "demo-lead-password"})
    return client


def growth(figures: list[float], sizes: list[int]) -> str:
    """How many times a figure grew per tenfold growth of the data, from each size to the next."""
    pairs = list(zip(figures, sizes, strict=True))
    steps = []
    for (a, n), (b, m) in zip(pairs, pairs[1:], strict=False):
        tenfolds = math.log10(m / n)
        steps.append(f"{(b / a) ** (1 / tenfolds):.1f}x" if a > 0 and tenfolds > 0 else "-")
    return ", ".join(steps) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="An empty PostgreSQL database (or SQLite, to try)")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES),
                        help="Stored screenings to grow to, in order (comma-separated)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    database = Database(args.database_url)
    schema.prepare(database, RULES, demo=True)
    made = sealing.new_keys()
    keys = sealing.keys_from(made["identity"], made["index"])
    bench = Bench(database, keys, signed_in(args.database_url, made))
    rs, rng = load_ruleset(RULES), random.Random(19)
    results: dict[str, list[float]] = {name: [] for name in ["simulate, per 100,000 (s)", *MEASURES]}
    for size in sizes:
        started = time.perf_counter()
        simulate(database, rs, keys, size - bench.size, rng, trim_outcomes=True)
        took = time.perf_counter() - started
        results["simulate, per 100,000 (s)"].append(took * 100_000 / (size - bench.size))
        bench.size = size
        print(f"grew to {size:,} screenings in {took:.0f} s", flush=True)
        for name, how in MEASURES.items():
            results[name].append(how(bench))
            print(f"  {name:34} {results[name][-1]:9.1f}", flush=True)
    print(f"\n| operation | {' | '.join(f'{s:,}' for s in sizes)} | growth per 10x |")
    print(f"|---|{'---|' * len(sizes)}---|")
    for name, figures in results.items():
        print(f"| {name} | {' | '.join(f'{f:,.1f}' for f in figures)} | {growth(figures, sizes)} |")


if __name__ == "__main__":
    main()
