"""What follows a screening, as the dashboard counts it: referrals still awaiting children's social care's decision
(models.AwaitingSummary, by the time it is due, since whether it is late depends on when the dashboard is read),
challenges not resolved and final strategy-meeting records with what they lack (models.FollowupSummary), each by
the screening's day and agency. `counted` says what they should hold for some screenings or all; store/summaries.py
keeps them in step with each write and counts them again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, exists, not_, select
from sqlalchemy.orm import Session

from .db import as_utc
from .models import Challenge, MeetingRecord, ReferralResponse, Screening

CHALLENGE_OPEN = "challenge_open"
MEETING = "meeting_final"
MEETING_LACKS = ("meeting_agency_absent", "meeting_no_child_view", "meeting_no_parents_view")
FollowupKey = tuple[date, str, str]  # day, agency, what
AwaitingKey = tuple[date, str, datetime]  # day, agency, due


def lacking(record: dict[str, Any], invited: Sequence[dict[str, Any]] | None) -> tuple[bool, bool, bool]:
    """What a final meeting record lacks: an invited agency absent or not invited, the child's views, and the
    parents' views or why they were not sought. Read against the invitees its screening's outcome asked for."""
    came = record.get("attendance") or {}
    absent = any(came.get(i["role"]) not in ("attended", "sent_information") for i in invited or ())
    no_view = not str(record.get("child_view") or "").strip()
    no_parents = not any(str(record.get(k) or "").strip() for k in ("parents_view", "parents_why_not"))
    return absent, no_view, no_parents


def counted(tx: Session, screening_ids: Iterable[str] | None = None) -> tuple[Counter[FollowupKey],
                                                                             Counter[AwaitingKey]]:
    """What both tables should hold for these screenings (None: every one), from the stored rows."""
    followup: Counter[FollowupKey] = Counter()
    awaiting: Counter[AwaitingKey] = Counter()
    for where in _chunks(screening_ids):
        complete = [Screening.status == "complete", Screening.completed_at.is_not(None), *where]
        for done, agency, due in tx.execute(
                select(Screening.completed_at, Screening.agency, ReferralResponse.due_at)
                .join(ReferralResponse, ReferralResponse.screening_id == Screening.id)
                .where(*complete, ReferralResponse.decision == "", ReferralResponse.due_at.is_not(None))):
            awaiting[(_day(done), agency or "", as_utc(due))] += 1  # type: ignore[arg-type]  # not null, asked
        challenged = exists().where(Challenge.screening_id == Screening.id)
        resolved = exists().where(Challenge.screening_id == Screening.id, Challenge.resolved.is_(True))
        for done, agency in tx.execute(select(Screening.completed_at, Screening.agency)
                                       .where(*complete, challenged, not_(resolved))):
            followup[(_day(done), agency or "", CHALLENGE_OPEN)] += 1
        invitees = Screening.outcome["strategy_meeting"]["invitees"]
        records = (select(MeetingRecord.screening_id, MeetingRecord.status, MeetingRecord.record,
                          Screening.completed_at, Screening.agency, invitees)
                   .join(Screening, Screening.id == MeetingRecord.screening_id).where(*complete)
                   .order_by(MeetingRecord.screening_id, MeetingRecord.version))
        for _, versions in groupby(tx.execute(records.execution_options(yield_per=2000)), key=lambda row: row[0]):
            _, status, record, done, agency, invited = list(versions)[-1]  # the newest version counts
            if status == "final":
                day, agency = _day(done), agency or ""
                followup[(day, agency, MEETING)] += 1
                for what, lacks in zip(MEETING_LACKS, lacking(record, invited), strict=True):
                    followup[(day, agency, what)] += lacks
    return +followup, +awaiting


def _day(done: datetime | None) -> date:
    if done is None:
        raise ValueError("only a completed screening is counted")
    return as_utc(done).date()


def _chunks(ids: Iterable[str] | None) -> Iterator[list[ColumnElement[bool]]]:
    if ids is None:
        yield []
        return
    listed = sorted(set(ids))
    for start in range(0, len(listed), 500):
        yield [Screening.id.in_(listed[start:start + 500])]
