"""Children screened again and again: the tally behind the dashboard's "children screened twice or more in the 12
months to the period's end, never at child protection or above".

Whether a child counts on a day E depends on their completed screenings from E - 365 to E: two or more, and the
routes they counted (the practitioner's decision, else the recommendation) all below the child protection line. As
E moves, a screening on day d is in that window from d to d + 365, so a child's windows change only on those days.
Each child adds, per agency ('*' for all) and per set of routes in the window, +1 on the day a window of two or
more screenings with those routes begins and -1 on the day it ends (models.RepeatSummary). The children counted on
a day are then the sum of the changes up to it, kept by route set so that any ladder decides which sets are below
its line. A write changes one child's windows: `pieces` before and after, and the difference is added."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import as_utc
from .models import RepeatSummary, Screening

ALL = "*"  # the agency key of windows over every agency's screenings
WINDOW = 365  # days before the day counted that are still in its 12 months
Screened = tuple[date, str, str]  # day, agency, route that counted
Key = tuple[str, date, str]  # agency, day, routes


def pieces(screened: Iterable[Screened]) -> Counter[Key]:
    """One child's changes to the tally, from their completed screenings."""
    found: Counter[Key] = Counter()
    screened = list(screened)
    for agency in (ALL, *sorted({a for _, a, _ in screened if a})):
        mine = sorted((d, r) for d, a, r in screened if agency == ALL or a == agency)
        found.update(_windows(mine, agency))
    return Counter({key: n for key, n in found.items() if n})


def _windows(screened: list[tuple[date, str]], agency: str) -> Counter[Key]:
    """+1 where a window of two or more screenings with one set of routes begins, -1 where it ends."""
    edges = sorted({d for d, _ in screened} | {d + timedelta(days=WINDOW + 1) for d, _ in screened})
    changes: Counter[Key] = Counter()
    for start, end in zip(edges, edges[1:], strict=False):
        inside = [r for d, r in screened if start - timedelta(days=WINDOW) <= d <= start]
        if len(inside) >= 2:
            routes = ",".join(sorted(set(inside)))
            changes[(agency, start, routes)] += 1
            changes[(agency, end, routes)] -= 1
    return changes


def counted(tx: Session, child_ids: Iterable[str] | None = None) -> Counter[Key]:
    """What the tally should hold for these children (None: every child), from their stored screenings."""
    query = (select(Screening.child_id, Screening.completed_at, Screening.agency,
                    func.coalesce(Screening.decided_route, Screening.recommended_route, ""))
             .where(Screening.status == "complete", Screening.completed_at.is_not(None),
                    Screening.child_id.is_not(None)).order_by(Screening.child_id))
    found: Counter[Key] = Counter()
    for chunk in _chunks(child_ids):
        rows = tx.execute((query if chunk is None else query.where(Screening.child_id.in_(chunk)))
                          .execution_options(yield_per=5000))
        for _, screenings in groupby(rows, key=lambda row: row[0]):
            found.update(pieces((_day(done), agency or "", route) for _, done, agency, route in screenings))
    return found


def _day(done: datetime | None) -> date:
    if done is None:
        raise ValueError("only a completed screening is counted")
    return as_utc(done).date()


def _chunks(ids: Iterable[str] | None) -> Iterator[list[str] | None]:
    if ids is None:
        yield None
        return
    listed = sorted(set(ids))
    for start in range(0, len(listed), 500):
        yield listed[start:start + 500]


def children_on(tx: Session, day: date, agency: str | None, ranks: Mapping[str, int], at: str) -> int:
    """Children with two or more screenings (of `agency`, else any) in the 12 months to `day`, every one of them
    at a route below `at` (a route not on the ladder counts as below, as no route does)."""
    query = (select(RepeatSummary.routes, func.sum(RepeatSummary.children))
             .where(RepeatSummary.agency == (agency or ALL), RepeatSummary.day <= day)
             .group_by(RepeatSummary.routes))
    return sum(int(n or 0) for routes, n in tx.execute(query)
               if all(ranks.get(r, -1) < ranks[at] for r in routes.split(",")))


def as_rows(changes: Mapping[Key, int]) -> list[dict[str, Any]]:
    return [{"agency": a, "day": d, "routes": r, "children": n} for (a, d, r), n in changes.items() if n]
