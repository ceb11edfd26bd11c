"""Benchmark: load+validate the default rule set, and evaluate screenings against it.

Run: make bench (or .venv/bin/python bench/bench_engine.py [RULES]). Prints medians; target < 100 µs per evaluation.
"""

from __future__ import annotations

import collections
import random
import statistics
import sys
import time
from pathlib import Path

import screening
from screening.model import numeric_range

RULES = Path(sys.argv[1] if len(sys.argv) > 1 else "rules/default")


def random_answers(rs: screening.RuleSet, rng: random.Random, yes_share: float | None = None) -> dict:
    """A screening with every question answered: a share of indicators 'yes' (0-15 % unless given),
    a tenth 'not known', the rest 'no'."""
    share = rng.uniform(0, 0.15) if yes_share is None else yes_share
    answers: dict = {}
    for fact in rs.facts.values():
        if fact.type == "tristate":
            answers[fact.id] = rng.choices(["no", "yes", "not_known"], weights=[0.9 - share, share, 0.1])[0]
        elif fact.type in ("count", "age"):
            lo, hi = numeric_range(fact)
            answers[fact.id] = rng.randint(lo, min(hi, 12)) if rng.random() > 0.1 else "not_known"
        elif fact.type == "choice":
            answers[fact.id] = rng.choice(fact.options).id
    return answers


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def measure(rs: screening.RuleSet, cases: list[dict], label: str) -> None:
    agencies = [a.id for a in rs.agencies]
    for case in cases[:50]:  # warm up
        screening.evaluate(rs, case)
    per_case = []
    for i, case in enumerate(cases):
        agency = agencies[i % len(agencies)]
        per_case.append(min(timed(lambda c=case, a=agency: screening.evaluate(rs, c, agency=a), 5)))
    routes = collections.Counter(screening.evaluate(rs, c).route for c in cases)
    findings = statistics.mean(len(screening.evaluate(rs, c).findings) for c in cases)
    print(f"evaluate ({label}): median {statistics.median(per_case) * 1e6:.0f} µs, "
          f"p95 {statistics.quantiles(per_case, n=20)[-1] * 1e6:.0f} µs over {len(cases)} screenings; "
          f"{findings:.1f} rules fired on average; routes {dict(routes.most_common())}")


def main() -> None:
    loads = timed(lambda: screening.load_ruleset(RULES), 20)
    rs = screening.load_ruleset(RULES)
    rng = random.Random(2026)
    print(f"rule set {rs.meta.id} {rs.meta.version}: {len(rs.indicators)} indicators, {len(rs.rules)} rules")
    print(f"load+validate: median {statistics.median(loads) * 1e3:.1f} ms over {len(loads)} runs")
    measure(rs, [random_answers(rs, rng) for _ in range(500)], "typical: 0-15 % of indicators yes")
    measure(rs, [random_answers(rs, rng, 0.3) for _ in range(200)], "heavy: 30 % of indicators yes")


if __name__ == "__main__":
    main()
