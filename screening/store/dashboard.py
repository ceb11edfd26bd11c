"""The partnership's figures over a period (by completion date) and optionally one agency, all from running
tallies (summaries.py): counts by route, age, decision and rule (a period's whole months from the tallies by month,
the days either side from those by day), what follows the referrals, and children screened again. So they cost
what the months and days asked about cost, not what the screenings stored do; nothing here reads a screening.
Route ranks come from the active ladder, so 'lower' means lower on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from .followup_summaries import CHALLENGE_OPEN, MEETING, MEETING_LACKS
from .models import (
    AwaitingSummary,
    FollowupSummary,
    RuleMonthSummary,
    RuleSummary,
    ScreeningMonthSummary,
    ScreeningSummary,
)
from .repeat_summaries import children_on

NO_FURTHER_ACTION = "no_further_action"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    agency: str | None = None

    def days(self, table: Any) -> list[ColumnElement[bool]]:
        """The rows of a summary table this period counts."""
        return [table.day >= self.start, table.day <= self.end, *([table.agency == self.agency] if self.agency else [])]

    def parts(self, daily: Any, monthly: Any) -> list[tuple[Any, list[ColumnElement[bool]]]]:
        """The rows of a table by day and of its twin by month that count this period, each day once: the whole
        months from the twin, the days either side of them from the table."""
        first = self.start if self.start.day == 1 else _next_month(self.start)
        after = _next_month(self.end) if _next_month(self.end) - timedelta(days=1) == self.end \
            else self.end.replace(day=1)  # the day after the last whole month
        if first >= after:
            return [(daily, self.days(daily))]
        agency = [daily.agency == self.agency] if self.agency else []
        found = [(monthly, [monthly.day >= first, monthly.day < after,
                            *([monthly.agency == self.agency] if self.agency else [])])]
        if self.start < first:
            found.append((daily, [daily.day >= self.start, daily.day < first, *agency]))
        if after <= self.end:
            found.append((daily, [daily.day >= after, daily.day <= self.end, *agency]))
        return found


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def by_month(tx: Session, period: Period) -> list[tuple[str, str, str, int]]:
    """(month, recommended route, age band, screenings)."""
    months: Counter[tuple[str, str, str]] = Counter()
    for table, where in period.parts(ScreeningSummary, ScreeningMonthSummary):
        query = (select(table.day, table.recommended_route, table.age_band, func.sum(table.screenings))
                 .where(*where).group_by(table.day, table.recommended_route, table.age_band))
        for day, route, band, n in tx.execute(query):
            months[(day.strftime("%Y-%m"), route, band)] += int(n or 0)
    return sorted((m, r, b, n) for (m, r, b), n in months.items() if n)


def threshold(tx: Session, period: Period, ranks: Mapping[str, int], at: str) -> list[tuple[str, int, int, int]]:
    """By age band: screenings the rules put at `at` or above, how many the practitioner then decided lower, and
    how many children's social care decided lower (a decision of no further action is lower; one that names no
    route on this ladder is not counted lower)."""
    floor = ranks[at]
    csc_ranks = {NO_FURTHER_ACTION: -1, **ranks}
    bands: dict[str, list[int]] = {}
    for table, where in period.parts(ScreeningSummary, ScreeningMonthSummary):
        columns = (table.age_band, table.recommended_route, table.decided_route, table.csc_route)
        for band, recommended, decided, csc, n in tx.execute(
                select(*columns, func.sum(table.screenings)).where(*where).group_by(*columns)):
            if ranks.get(recommended, -1) < floor or not n:
                continue
            row = bands.setdefault(band, [0, 0, 0])
            row[0] += n
            row[1] += n if decided and ranks.get(decided, -1) < floor else 0
            row[2] += n if csc and csc_ranks.get(csc, floor) < floor else 0
    return [(band, row[0], row[1], row[2]) for band, row in bands.items()]


def overrides(tx: Session, period: Period) -> list[tuple[str, int, int, int]]:
    """Per rule: screenings it fired for, and how many the practitioner raised and lowered, most fired first."""
    found = decisions_by_rule(tx, period)
    return [(r, d["fired"], d["raise"], d["lower"]) for r, d in
            sorted(found.items(), key=lambda item: (-item[1]["fired"], item[0]))]


def decisions_by_rule(tx: Session, period: Period | None = None) -> dict[str, dict[str, int]]:
    """Per rule id: completed screenings it fired for (in `period`, else all), and the practitioners' decisions."""
    found: dict[str, dict[str, int]] = {}
    for table, where in period.parts(RuleSummary, RuleMonthSummary) if period else [(RuleMonthSummary, [])]:
        query = (select(table.rule_id, table.decision, func.sum(table.screenings)).where(*where)
                 .group_by(table.rule_id, table.decision))
        for rule, decision, n in tx.execute(query):
            counts = found.setdefault(rule, {"fired": 0, "raise": 0, "lower": 0, "agree": 0})
            counts["fired"] += int(n or 0)
            if decision in counts:
                counts[decision] += int(n or 0)
    return {rule: counts for rule, counts in found.items() if counts["fired"]}


def overdue_and_challenged(tx: Session, period: Period, now: datetime) -> tuple[int, int]:
    """Referrals with no decision past their due time, and screenings challenged with no stage resolved."""
    late = tx.scalar(select(func.sum(AwaitingSummary.screenings))
                     .where(*period.days(AwaitingSummary), AwaitingSummary.due_at < now)) or 0
    return int(late), _followed(tx, period).get(CHALLENGE_OPEN, 0)


def repeated_not_stepped_up(tx: Session, period: Period, ranks: Mapping[str, int], at: str) -> int:
    """Children screened twice or more in the 12 months to the period's end, none of them at `at` or above."""
    return children_on(tx, period.end, period.agency, ranks, at)


def meetings_lacking(tx: Session, period: Period) -> tuple[int, int, int, int]:
    """Final strategy-meeting records (newest versions) for the period's screenings: how many, how many with an
    invited agency absent or not invited, without the child's views, and without the parents' views or why not
    (see followup_summaries.lacking)."""
    found = _followed(tx, period)
    total, (absent, no_view, no_parents) = found.get(MEETING, 0), (found.get(what, 0) for what in MEETING_LACKS)
    return total, absent, no_view, no_parents


def _followed(tx: Session, period: Period) -> dict[str, int]:
    query = (select(FollowupSummary.what, func.sum(FollowupSummary.screenings))
             .where(*period.days(FollowupSummary)).group_by(FollowupSummary.what))
    return {what: int(n or 0) for what, n in tx.execute(query)}
