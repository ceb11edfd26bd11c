"""The audit trail: append-only by design (this module only adds and reads) and by the database (triggers, made by
the first migration, refuse UPDATE and DELETE on SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .models import AuditEvent

ACTIONS = (
    "sign_in", "sign_in_failed", "sign_out", "signed_out_idle", "session_expired", "account_locked",
    "sign_in_refused", "user_updated", "second_factor_enrolled", "second_factor_removed",
    "second_factor_policy_changed",
    "screening_created", "screening_viewed", "screening_exported", "screening_completed", "route_overridden",
    "route_agreed", "ruleset_uploaded", "ruleset_previewed", "ruleset_approved", "ruleset_activated",
    "user_added", "user_disabled", "user_password_reset", "screenings_purged", "screening_deleted",
    "decision_changed", "child_added", "child_linked", "child_details_added", "child_unlinked", "children_merged",
    "children_unmerged",
    "child_chronology_viewed", "children_purged", "referral_response_recorded", "challenge_recorded",
    "meeting_saved", "meeting_finalised", "meeting_amended", "api_call", "api_token_added", "api_token_revoked",
    "legal_hold_placed", "legal_hold_lifted", "subject_access_exported",
)

def record(session: Session, actor: str, action: str, record_type: str = "", record_id: str = "",
           **detail: object) -> None:
    """Add one event, in the caller's transaction. `detail` holds ids and counts only. Inserted at once, without
    the ORM's unit of work: an audit event is never read back or changed by the request that writes it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.execute(insert(AuditEvent).values(at=datetime.now(UTC), actor=actor, action=action,
                                              record_type=record_type, record_id=record_id, detail=detail))


def events(session: Session, actor: str = "", action: str = "", record_id: str = "",
           since: datetime | None = None, limit: int = 500) -> list[AuditEvent]:
    """Events newest first, filtered."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if action:
        query = query.where(AuditEvent.action == action)
    if record_id:
        query = query.where(AuditEvent.record_id == record_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    return list(session.scalars(query))


def to_csv(rows: list[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "actor", "action", "record_type", "record_id", "detail"])
    for e in rows:
        writer.writerow([e.id, e.at.isoformat(), e.actor, e.action, e.record_type, e.record_id, e.detail])
    return out.getvalue()
