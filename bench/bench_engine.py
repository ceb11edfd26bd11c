"""Benchmark: the compiled engine beside a general rule engine and the hand-written floor, in one process.

Run: make bench (or .venv/bin/python bench/bench_engine.py [RULES]). Prints medians and spreads over generated
screenings of the default rule set, and the ratios the targets are set in:
  full outcome with trace  <= 0.3 x rule-engine on the anchor's 26 rules (bench/anchor.py)
  evaluate + to_dict       <= 0.4 x rule-engine
  route only (decide)      <= 3 x the hand-written floor
  load + validate + compile of the default set < 100 ms
and, for screenings where most answers are 'not known', the full outcome's median and 99th percentile.
Each measure is the best of three tries, screening by screening, and the anchor and the interpreted engine (the
golden test's reference, as the engine was before compiling) are timed beside each screening, so that the ratios
hold however busy the machine is. A screening's very first evaluation (nothing of it shared yet) is shown beside its
second, one try each.
"""

from __future__ import annotations

import dataclasses
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import anchor  # noqa: E402

import screening  # noqa: E402
from screening.engine import decide  # noqa: E402
from screening.question_types import numeric_range  # noqa: E402
from tests.rules import interpreted  # noqa: E402

RULES = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "rules" / "default")


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


def mostly_not_known(rs: screening.RuleSet, rng: random.Random) -> dict:
    """A screening answered as a first contact often is: most signs 'not known', a few 'yes', counts unknown."""
    answers: dict = {}
    for fact in rs.facts.values():
        if fact.type == "tristate":
            answers[fact.id] = rng.choices(["no", "yes", "not_known"], weights=[0.3, 0.05, 0.65])[0]
        elif fact.type in ("count", "age"):
            lo, hi = numeric_range(fact)
            answers[fact.id] = rng.randint(lo, min(hi, 12)) if rng.random() > 0.6 else "not_known"
        elif fact.type == "choice":
            answers[fact.id] = rng.choice(fact.options).id
    return answers


def tail(rs: screening.RuleSet, cases: list[dict]) -> None:
    """The full outcome's median and 99th percentile where most answers are 'not known' (the gap search's work)."""
    times = [best(lambda c=case: screening.evaluate(rs, c, agency="school")) for case in cases]
    centiles = statistics.quantiles(times, n=100)
    print(f"\nmostly not known: {len(cases)} screenings, full outcome p50 {statistics.median(times) * 1e3:.3f} ms, "
          f"p90 {centiles[89] * 1e3:.3f} ms, p99 {centiles[98] * 1e3:.3f} ms")


def once(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    return min(once(fn) for _ in range(repeat))


def spread(times: list[float]) -> str:
    """Median, and the 10th to 90th percentile, in µs."""
    deciles = statistics.quantiles(times, n=10)
    return f"{statistics.median(times) * 1e6:7.1f} µs (p10-p90 {deciles[0] * 1e6:.0f}-{deciles[-1] * 1e6:.0f})"


ANCHOR = screening.load_ruleset_texts(anchor.ruleset_texts())  # the anchor's rules in this project's language


def timings(rs: screening.RuleSet, rules: list, case: dict, other: dict, agency: str) -> dict[str, float]:
    """One screening of the default set and one of the anchor, each way, one after the other."""
    return {
        "rule_engine": best(lambda: anchor.by_rule_engine(rules, other)),
        "floor": best(lambda: anchor.hand_written(other)),
        "anchor_outcome": best(lambda: screening.evaluate(ANCHOR, other)),
        "anchor_stored": best(lambda: screening.evaluate(ANCHOR, other).to_dict()),
        "anchor_decide": best(lambda: decide(ANCHOR, other)),
        "first": once(lambda: screening.evaluate(rs, case, agency=agency)),
        "second": once(lambda: screening.evaluate(rs, case, agency=agency)),
        "outcome": best(lambda: screening.evaluate(rs, case, agency=agency)),
        "stored": best(lambda: screening.evaluate(rs, case, agency=agency).to_dict()),
        "decide": best(lambda: decide(rs, case, agency=agency)),
        "interpreted": best(lambda: interpreted.evaluate(rs, case, agency=agency)),
        "interpreted_stored": best(lambda: dataclasses.asdict(interpreted.evaluate(rs, case, agency=agency)), 1),
    }


def measure(rs: screening.RuleSet, cases: list[dict], label: str) -> None:
    rules = anchor.rule_engine_rules()
    others = anchor.cases(len(cases), random.Random(7))
    assert anchor.agree(rules, others), "the anchor's two versions disagree"
    assert all(screening.evaluate(ANCHOR, c).route == anchor.hand_written(c) for c in others), "and this engine"
    agencies = [a.id for a in rs.agencies]
    t: dict[str, list[float]] = {}
    for n, (case, other) in enumerate(zip(cases, others, strict=True)):
        for key, seconds in timings(rs, rules, case, other, agencies[n % len(agencies)]).items():
            t.setdefault(key, []).append(seconds)
    anchor_time, floor = statistics.median(t["rule_engine"]), statistics.median(t["floor"])

    def ratio(key: str, base: float, unit: str) -> str:
        return f"{statistics.median(t[key]) / base:.2f} x {unit}"
    fired = statistics.mean(len(screening.evaluate(rs, c).findings) for c in cases)
    print(f"\n{label}: {len(cases)} screenings, {fired:.1f} rules fired on average")
    print(f"  anchor, rule-engine (26 rules)      {spread(t['rule_engine'])}")
    print(f"  anchor, hand-written floor          {spread(t['floor'])}")
    print(f"  full outcome                        {spread(t['outcome'])}  "
          f"{ratio('outcome', anchor_time, 'rule-engine')}  (target <= 0.3)")
    print(f"  full outcome, one try: first        {spread(t['first'])}  second {spread(t['second'])}")
    print(f"  evaluate + to_dict                  {spread(t['stored'])}  "
          f"{ratio('stored', anchor_time, 'rule-engine')}  (target <= 0.4)")
    print(f"  route only (decide)                 {spread(t['decide'])}  {ratio('decide', floor, 'floor')}"
          "  (target <= 3)")
    print("  the anchor's 26 rules in this engine, like for like:")
    print(f"    full outcome                      {spread(t['anchor_outcome'])}  "
          f"{ratio('anchor_outcome', anchor_time, 'rule-engine')}")
    print(f"    evaluate + to_dict                {spread(t['anchor_stored'])}  "
          f"{ratio('anchor_stored', anchor_time, 'rule-engine')}")
    print(f"    route only (decide)               {spread(t['anchor_decide'])}  "
          f"{ratio('anchor_decide', floor, 'floor')}")
    print(f"  interpreted engine, full outcome    {spread(t['interpreted'])}  "
          f"{ratio('interpreted', statistics.median(t['outcome']), 'the compiled one')}")
    print(f"  interpreted, evaluate + asdict      {spread(t['interpreted_stored'])}  "
          f"{ratio('interpreted_stored', statistics.median(t['stored']), 'the compiled one')}")


def main() -> None:
    loads = [once(lambda: screening.load_ruleset(RULES)) for _ in range(20)]
    rs = screening.load_ruleset(RULES)
    rng = random.Random(2026)
    print(f"rule set {rs.meta.id} {rs.meta.version}: {len(rs.indicators)} indicators, {len(rs.rules)} rules; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"load + validate + compile: median {statistics.median(loads) * 1e3:.1f} ms "
          f"(p10-p90 {statistics.quantiles(loads, n=10)[0] * 1e3:.0f}-{statistics.quantiles(loads, n=10)[-1] * 1e3:.0f}"
          f" ms) over {len(loads)} runs (target < 100 ms)")
    measure(rs, [random_answers(rs, rng) for _ in range(400)], "typical: 0-15 % of indicators yes")
    measure(rs, [random_answers(rs, rng, 0.3) for _ in range(150)], "heavy: 30 % of indicators yes")
    tail(rs, [mostly_not_known(rs, rng) for _ in range(400)])
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
