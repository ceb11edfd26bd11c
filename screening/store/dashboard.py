"""The partnership's figures over a period (by completion date) and optionally one agency. The counts by route, age,
decision and rule come from the running tallies (summaries.py), so they cost what the days asked about cost, not
what the screenings stored do; the rest is counted in SQL over the few rows it needs. Nothing here loads screenings
into Python. Route ranks come from the active ladder, so 'lower' means lower on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Case, ColumnElement, ColumnExpressionArgument, case, exists, func, not_, select
from sqlalchemy.orm import Session

from .followup import newest_meetings
from .models import Challenge, MeetingRecord, ReferralResponse, RuleSummary, Screening, ScreeningSummary

NO_FURTHER_ACTION = "no_further_action"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    agency: str | None = None

    def days(self, table: Any) -> list[ColumnElement[bool]]:
        """The rows of a summary table this period counts."""
        return [table.day >= self.start, table.day <= self.end, *([table.agency == self.agency] if self.agency else [])]

    def where(self) -> list[ColumnElement[bool]]:
        """The completed screenings this period counts."""
        found = [Screening.status == "complete", Screening.completed_at >= _at(self.start),
                 Screening.completed_at < _at(self.end + timedelta(days=1))]
        return found + ([Screening.agency == self.agency] if self.agency else [])


def _at(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _rank(column: ColumnExpressionArgument[str | None], ranks: Mapping[str, int], default: int = -1) -> Case[int]:
    return case(ranks, value=column, else_=default)


def _counted_route() -> ColumnElement[str | None]:
    """The route that counts: the practitioner's decision where there is one, else the recommendation."""
    return func.coalesce(Screening.decided_route, Screening.recommended_route)


def by_month(tx: Session, period: Period) -> list[tuple[str, str, str, int]]:
    """(month, recommended route, age band, screenings)."""
    query = (select(ScreeningSummary.day, ScreeningSummary.recommended_route, ScreeningSummary.age_band,
                    func.sum(ScreeningSummary.screenings))
             .where(*period.days(ScreeningSummary))
             .group_by(ScreeningSummary.day, ScreeningSummary.recommended_route, ScreeningSummary.age_band))
    months: Counter[tuple[str, str, str]] = Counter()
    for day, route, band, n in tx.execute(query):
        months[(day.strftime("%Y-%m"), route, band)] += int(n or 0)
    return sorted((m, r, b, n) for (m, r, b), n in months.items() if n)


def threshold(tx: Session, period: Period, ranks: Mapping[str, int], at: str) -> list[tuple[str, int, int, int]]:
    """By age band: screenings the rules put at `at` or above, how many the practitioner then decided lower, and
    how many children's social care decided lower (a decision of no further action is lower; one that names no
    route on this ladder is not counted lower)."""
    floor = ranks[at]
    csc_ranks = {NO_FURTHER_ACTION: -1, **ranks}
    query = (select(ScreeningSummary.age_band, ScreeningSummary.recommended_route, ScreeningSummary.decided_route,
                    ScreeningSummary.csc_route, func.sum(ScreeningSummary.screenings))
             .where(*period.days(ScreeningSummary))
             .group_by(ScreeningSummary.age_band, ScreeningSummary.recommended_route, ScreeningSummary.decided_route,
                       ScreeningSummary.csc_route))
    bands: dict[str, list[int]] = {}
    for band, recommended, decided, csc, n in tx.execute(query):
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
    query = (select(RuleSummary.rule_id, RuleSummary.decision, func.sum(RuleSummary.screenings))
             .where(*(period.days(RuleSummary) if period else ())).group_by(RuleSummary.rule_id, RuleSummary.decision))
    found: dict[str, dict[str, int]] = {}
    for rule, decision, n in tx.execute(query):
        counts = found.setdefault(rule, {"fired": 0, "raise": 0, "lower": 0, "agree": 0})
        counts["fired"] += int(n or 0)
        if decision in counts:
            counts[decision] += int(n or 0)
    return {rule: counts for rule, counts in found.items() if counts["fired"]}


def overdue_and_challenged(tx: Session, period: Period, now: datetime) -> tuple[int, int]:
    """Referrals with no decision past their due time, and challenges not yet resolved."""
    late = tx.scalar(select(func.count()).select_from(ReferralResponse)
                     .join(Screening, Screening.id == ReferralResponse.screening_id)
                     .where(*period.where(), ReferralResponse.decision == "", ReferralResponse.due_at < now)) or 0
    resolved = exists().where(Challenge.screening_id == Screening.id, Challenge.resolved.is_(True))
    challenged = exists().where(Challenge.screening_id == Screening.id)
    open_ = tx.scalar(select(func.count()).select_from(Screening)
                      .where(*period.where(), challenged, not_(resolved))) or 0
    return late, open_


def repeated_not_stepped_up(tx: Session, period: Period, ranks: Mapping[str, int], at: str) -> int:
    """Children screened twice or more in the 12 months to the period's end, none of them at `at` or above."""
    since = period.end - timedelta(days=365)
    where = [Screening.status == "complete", Screening.child_id.is_not(None),
             Screening.completed_at >= _at(since), Screening.completed_at < _at(period.end + timedelta(days=1)),
             *([Screening.agency == period.agency] if period.agency else [])]
    children = (select(Screening.child_id).where(*where).group_by(Screening.child_id)
                .having(func.count() >= 2, func.max(_rank(_counted_route(), ranks)) < ranks[at]).subquery())
    return tx.scalar(select(func.count()).select_from(children)) or 0


def meetings_lacking(tx: Session, period: Period) -> tuple[int, int, int, int]:
    """Final strategy-meeting records (newest versions) for the period's screenings: how many, how many with an
    invited agency absent or not invited, without the child's views, and without the parents' views or why not.
    Each is read against the invitees its screening's outcome asked for: only that part of the stored outcome is read
    from the database, not the whole of it."""
    invitees = Screening.outcome["strategy_meeting"]["invitees"]
    query = (newest_meetings().add_columns(invitees)
             .join(Screening, Screening.id == MeetingRecord.screening_id)
             .where(*period.where(), MeetingRecord.status == "final"))
    total = absent = no_view = no_parents = 0
    for meeting, invited in tx.execute(query):
        record = meeting.record
        roles = [i["role"] for i in invited or ()]
        came = record.get("attendance") or {}
        total += 1
        absent += any(came.get(role) not in ("attended", "sent_information") for role in roles)
        no_view += not str(record.get("child_view") or "").strip()
        no_parents += not any(str(record.get(k) or "").strip() for k in ("parents_view", "parents_why_not"))
    return total, absent, no_view, no_parents
