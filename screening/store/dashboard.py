"""The partnership's figures, counted in SQL over a period (by completion date) and optionally one agency: nothing
here loads screenings into Python. Route ranks come from the active ladder, so 'lower' means lower on it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Case, ColumnElement, ColumnExpressionArgument, and_, case, exists, func, not_, select
from sqlalchemy.orm import Session

from .followup import newest_meetings
from .models import Challenge, FiredRule, MeetingRecord, ReferralResponse, Screening

NO_FURTHER_ACTION = "no_further_action"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    agency: str | None = None

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
    query = (select(Screening.completed_month, Screening.recommended_route, Screening.age_band, func.count())
             .where(*period.where())
             .group_by(Screening.completed_month, Screening.recommended_route, Screening.age_band)
             .order_by(Screening.completed_month))
    return [(m or "", r or "", b or "not_known", n) for m, r, b, n in tx.execute(query)]


def threshold(tx: Session, period: Period, ranks: Mapping[str, int], at: str) -> list[tuple[str, int, int, int]]:
    """By age band: screenings the rules put at `at` or above, how many the practitioner then decided lower, and
    how many children's social care decided lower."""
    floor = ranks[at]
    rules_high = _rank(Screening.recommended_route, ranks) >= floor
    decided_lower = and_(Screening.decided_route.is_not(None), _rank(Screening.decided_route, ranks) < floor)
    # the decision's route as recorded with it; one recorded before routes were kept (no label) was a route id
    csc_route = case((ReferralResponse.decision_label == "", ReferralResponse.decision),
                     else_=ReferralResponse.decision_route)
    csc_rank = case({NO_FURTHER_ACTION: -1, **ranks}, value=csc_route, else_=floor)
    csc_lower = and_(ReferralResponse.decision != "", csc_rank < floor)
    query = (select(Screening.age_band, func.count(), func.sum(case((decided_lower, 1), else_=0)),
                    func.sum(case((csc_lower, 1), else_=0)))
             .select_from(Screening).outerjoin(ReferralResponse, ReferralResponse.screening_id == Screening.id)
             .where(*period.where(), rules_high).group_by(Screening.age_band))
    return [(b or "not_known", n, int(d or 0), int(c or 0)) for b, n, d, c in tx.execute(query)]


def overrides(tx: Session, period: Period) -> list[tuple[str, int, int, int]]:
    """Per rule: screenings it fired for, and how many the practitioner raised and lowered, most fired first."""
    found = decisions_by_rule(tx, period)
    return [(r, d["fired"], d["raise"], d["lower"]) for r, d in
            sorted(found.items(), key=lambda item: (-item[1]["fired"], item[0]))]


def decisions_by_rule(tx: Session, period: Period | None = None) -> dict[str, dict[str, int]]:
    """Per rule id: completed screenings it fired for (in `period`, else all), and the practitioners' decisions."""
    where = period.where() if period else [Screening.status == "complete"]
    def count(decision: str) -> ColumnElement[int]:
        return func.sum(case((Screening.decision == decision, 1), else_=0))
    query = (select(FiredRule.rule_id, func.count(), count("raise"), count("lower"), count("agree"))
             .join(Screening, Screening.id == FiredRule.screening_id).where(*where).group_by(FiredRule.rule_id))
    return {r: {"fired": n, "raise": int(up or 0), "lower": int(down or 0), "agree": int(agree or 0)}
            for r, n, up, down, agree in tx.execute(query)}


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
    Meeting records are few, so each is read against the invitees its screening's outcome asked for."""
    query = (newest_meetings().add_columns(Screening.outcome)
             .join(Screening, Screening.id == MeetingRecord.screening_id)
             .where(*period.where(), MeetingRecord.status == "final"))
    total = absent = no_view = no_parents = 0
    for meeting, outcome in tx.execute(query):
        record = meeting.record
        roles = [i["role"] for i in ((outcome or {}).get("strategy_meeting") or {}).get("invitees", ())]
        came = record.get("attendance") or {}
        total += 1
        absent += any(came.get(role) not in ("attended", "sent_information") for role in roles)
        no_view += not str(record.get("child_view") or "").strip()
        no_parents += not any(str(record.get(k) or "").strip() for k in ("parents_view", "parents_why_not"))
    return total, absent, no_view, no_parents
