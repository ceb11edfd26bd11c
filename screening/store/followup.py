"""After the referral: the response a screening's referral got, the challenge stages when it was late or too low,
and strategy-meeting records (a draft is saved as often as needed; a final record is kept as it is, and amending
it starts a new version)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ..errors import ScreeningError
from ..meeting_record import MeetingMinutes
from . import summaries
from .models import Challenge, MeetingRecord, ReferralResponse, Screening


class RecordFinal(ScreeningError):
    """A final meeting record is not changed; amend it instead."""


def response_of(tx: Session, screening_id: str) -> ReferralResponse | None:
    return tx.get(ReferralResponse, screening_id)


def responses_of(tx: Session, screening_ids: list[str]) -> dict[str, ReferralResponse]:
    found = tx.scalars(select(ReferralResponse).where(ReferralResponse.screening_id.in_(screening_ids)))
    return {r.screening_id: r for r in found}


def save_response(tx: Session, screening_id: str, by: str, due_at: datetime | None,
                  **given: object) -> ReferralResponse:
    """Record what is known of the referral's response (only the fields given change)."""
    found = tx.get(ReferralResponse, screening_id) or ReferralResponse(screening_id=screening_id)
    screening, before = tx.get(Screening, screening_id), summaries.csc_of(found)
    with summaries.kept(tx, [screening_id]):  # whether, and until when, a decision is awaited
        for name, value in given.items():
            setattr(found, name, value)
        found.due_at, found.updated_by, found.updated_at = due_at, by, datetime.now(UTC)
        tx.add(found)
    if screening is not None and summaries.csc_of(found) != before:
        summaries.count_out(tx, screening, before)
        summaries.count_in(tx, screening, summaries.csc_of(found))
    tx.flush()
    return found


def challenges_of(tx: Session, screening_id: str) -> list[Challenge]:
    return list(tx.scalars(select(Challenge).where(Challenge.screening_id == screening_id)
                           .order_by(Challenge.id)))


def add_stage(tx: Session, screening_id: str, by: str, stage: int, to_whom: str, raised_on: date, answer: str,
              next_due: date | None, resolved: bool) -> Challenge:
    made = Challenge(screening_id=screening_id, stage=stage, to_whom=to_whom, raised_on=raised_on, answer=answer,
                     next_due=next_due, resolved=resolved, made_by=by, made_at=datetime.now(UTC))
    with summaries.kept(tx, [screening_id]):
        tx.add(made)
    return made


def latest_meeting(tx: Session, screening_id: str) -> MeetingRecord | None:
    return tx.scalar(select(MeetingRecord).where(MeetingRecord.screening_id == screening_id)
                     .order_by(MeetingRecord.version.desc()).limit(1))


def newest_meetings(*where: ColumnElement[bool]) -> Select[MeetingRecord]:
    """Each screening's meeting record at its newest version, among the records matching `where` (looked for only
    among those, so the cost follows them, not every record stored)."""
    newest = (select(MeetingRecord.screening_id, func.max(MeetingRecord.version).label("version"))
              .where(*where).group_by(MeetingRecord.screening_id).subquery())
    return select(MeetingRecord).join(newest, (MeetingRecord.screening_id == newest.c.screening_id)
                                      & (MeetingRecord.version == newest.c.version))


def meetings_of_child(tx: Session, child_ids: list[str]) -> list[MeetingRecord]:
    """The newest version of each screening's meeting record, for these child records."""
    theirs = select(MeetingRecord.screening_id).where(MeetingRecord.child_id.in_(child_ids))
    return list(tx.scalars(newest_meetings(MeetingRecord.screening_id.in_(theirs))
                           .where(MeetingRecord.child_id.in_(child_ids))))


def save_meeting(tx: Session, screening_id: str, child_id: str | None, by: str, record: MeetingMinutes,
                 held_at: datetime | None) -> MeetingRecord:
    """Save the draft (made on first save); a final record refuses."""
    found = latest_meeting(tx, screening_id)
    if found is not None and found.status == "final":
        raise RecordFinal(screening_id)
    if found is None:
        found = MeetingRecord(screening_id=screening_id, version=1, status="draft", made_by=by)
        tx.add(found)
    found.child_id, found.record, found.held_at, found.made_by = child_id, record, held_at, by
    found.made_at = datetime.now(UTC)
    tx.flush()  # a draft, newest or not, changes no tally: only a final record as the newest version counts
    return found


def finalise(tx: Session, meeting: MeetingRecord, by: str) -> None:
    if meeting.status == "final":
        raise RecordFinal(meeting.screening_id)
    with summaries.kept(tx, [meeting.screening_id]):
        meeting.status, meeting.finalised_at, meeting.finalised_by = "final", datetime.now(UTC), by


def amend(tx: Session, meeting: MeetingRecord, by: str) -> MeetingRecord:
    """A new draft version copying a final record; the final one stays as it was."""
    if meeting.status != "final":
        raise RecordFinal(meeting.screening_id)
    made = MeetingRecord(screening_id=meeting.screening_id, child_id=meeting.child_id, version=meeting.version + 1,
                         status="draft", held_at=meeting.held_at, record={**meeting.record, "amends": meeting.version},
                         made_by=by, made_at=datetime.now(UTC))
    with summaries.kept(tx, [meeting.screening_id]):  # the final record is no longer the newest version
        tx.add(made)
    return made
