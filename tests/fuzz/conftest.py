"""Fuzzing with hypothesis: a bounded run in `make test`; `make fuzz` sets SCREENING_FUZZ_EXAMPLES for a long one
and reads the summary this prints (the slowest example of each fuzz test, and the process's peak memory)."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("SCREENING_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
SLOWEST: dict[str, float] = {}
COUNTS: dict[str, int] = {}


@contextmanager
def timed(name: str) -> Iterator[None]:
    """Record how long one example takes (a figure for `make fuzz`, never an assertion)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        SLOWEST[name] = max(SLOWEST.get(name, 0.0), time.perf_counter() - start)
        COUNTS[name] = COUNTS.get(name, 0) + 1


def pytest_terminal_summary(terminalreporter) -> None:
    for name in sorted(SLOWEST):
        terminalreporter.write_line(f"fuzz: {name}: {COUNTS[name]:,} examples, slowest {SLOWEST[name]:.3f} s")
    if SLOWEST:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        terminalreporter.write_line(f"fuzz: peak memory of the test process {peak:,.0f} MB")
