"""How consistently a room reads the same case: figures from anonymous counts of the routes learners chose.

Per stage: how many learners answered, the spread of their routes up the ladder, the share at or above the rules'
route, and how far apart two learners were on average (in rungs of the ladder). Per vignette: Krippendorff's
alpha for ordinal data over its stages, from the maintained `krippendorff` package. Alpha compares disagreement
within a unit with disagreement across units, so it needs several units: a stage on its own is one unit, where
alpha is 0 by construction whenever anyone disagrees (docs/adr/0022-group-training-sessions.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import krippendorff

Counts = Mapping[str, int]  # route id -> learners who chose it


@dataclass(frozen=True)
class StageFigures:
    """One stage's answers: `spread` follows the ladder from the lowest route up."""

    stage: int
    rules_route: str
    learners: int
    spread: tuple[tuple[str, int], ...]
    below: int  # learners below the rules' route
    at_or_above: float | None  # share of learners at or above the rules' route
    apart: float | None  # mean distance between two learners' routes, in rungs of the ladder
    sessions: int = 1  # the sessions these answers came from


def stage_figures(stage: int, counts: Counts, rules_route: str, ladder: Sequence[str], sessions: int = 1
                  ) -> StageFigures:
    """The figures for one stage from its counts; routes not on `ladder` are left out."""
    spread = tuple((route, int(counts.get(route, 0))) for route in ladder)
    learners = sum(n for _, n in spread)
    below = sum(n for rung, (_, n) in enumerate(spread) if rung < ladder.index(rules_route))
    at_or_above = (learners - below) / learners if learners else None
    return StageFigures(stage, rules_route, learners, spread, below, at_or_above, _apart(spread), sessions)


def _apart(spread: Sequence[tuple[str, int]]) -> float | None:
    """The mean number of rungs between two different learners' routes (0 when all chose the same)."""
    learners = sum(n for _, n in spread)
    if learners < 2:
        return None
    steps = sum(a[1] * b[1] * (j - i) for i, a in enumerate(spread) for j, b in enumerate(spread) if j > i)
    return steps / (learners * (learners - 1) / 2)


def alpha(units: Sequence[Counts], ladder: Sequence[str]) -> float | None:
    """Krippendorff's alpha (ordinal) over `units` (each a stage's counts by route), or None where it says nothing:
    fewer than two units answered by two learners or more (with one, alpha is 0 by construction), or every learner
    chose the same route (nothing to disagree on)."""
    rows = [[int(unit.get(route, 0)) for route in ladder] for unit in units]
    pairable = [row for row in rows if sum(row) >= 2]
    if len(pairable) < 2 or sum(any(row[i] for row in pairable) for i in range(len(ladder))) < 2:
        return None
    found = float(krippendorff.alpha(value_counts=rows, value_domain=list(range(len(ladder))),
                                     level_of_measurement="ordinal"))
    return None if math.isnan(found) else found


def most_divergent_first(stages: Sequence[StageFigures]) -> list[StageFigures]:
    """Stages ordered by how far apart learners were, the widest first; stages without a figure last."""
    return sorted(stages, key=lambda s: (s.apart is None, -(s.apart or 0.0), s.stage))
