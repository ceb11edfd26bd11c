"""Subject access: everything held about one child (the record and those merged into it) as plain data: who they
are, each screening with its answers, outcome, decisions, the referral's response, challenges and strategy meetings,
the legal holds, and the audit of who looked at or changed any of it.

Other people's details (professionals, parents and carers, anyone named in free words) are marked for review, as
{"value": ..., "review": why}, so the person releasing it decides what to withhold; nothing is removed here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .children import members, root_of
from .models import AuditEvent, Challenge, Child, Decision, LegalHold, MeetingRecord, ReferralResponse, Screening
from .sealing import Keys

PERSON = "another person's details"
FREE_WORDS = "free words that may name other people"
CARERS = "parents' or carers' details"


def review(value: object, why: str) -> object:
    """A value to be read before release; empty values need no review."""
    return {"value": value, "review": why} if value not in ("", None, [], {}) else value


def gather(tx: Session, keys: Keys, child_id: str, quoted: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Everything held about the child; `quoted` names the questions whose answers are free words."""
    group = members(tx, root_of(tx, child_id))
    screenings = list(tx.scalars(select(Screening).where(Screening.child_id.in_(group))
                                 .order_by(Screening.created_at, Screening.id)))
    ids = [s.id for s in screenings]
    return {
        "child_records": [_child(keys, child) for child in tx.scalars(select(Child).where(Child.id.in_(group))
                                                                       .order_by(Child.created_at))],
        "screenings": [_screening(tx, keys, s, quoted) for s in screenings],
        "legal_holds": [_row(h, people=("placed_by", "lifted_by"), words=("reason", "lift_reason"))
                        for h in tx.scalars(select(LegalHold).where(LegalHold.child_id.in_(group)))],
        "audit": [_row(e, people=("actor",)) for e in tx.scalars(
            select(AuditEvent).where(or_(AuditEvent.record_id.in_(group), AuditEvent.record_id.in_(ids)))
            .order_by(AuditEvent.id))],
    }


def _child(keys: Keys, child: Child) -> dict[str, Any]:
    who = keys.unseal(child.identity).to_json()
    return {"record": child.id, "merged_into": child.merged_into, "created_at": _plain(child.created_at),
            **{k: v for k, v in who.items() if k != "carers"}, "carers": review(who["carers"], CARERS)}


def _screening(tx: Session, keys: Keys, found: Screening, quoted: frozenset[str]) -> dict[str, Any]:
    entered = keys.unseal(found.identity).to_json() if found.identity else {}
    by_id = (ReferralResponse.screening_id == found.id)
    return {
        "id": found.id, "status": found.status, "agency": found.agency, "created_at": _plain(found.created_at),
        "completed_at": _plain(found.completed_at), "referrer": review(found.owner, PERSON),
        "referrer_contact": review(found.referrer_contact, PERSON),
        "child_as_entered": {**entered, "carers": review(entered.get("carers"), CARERS)} if entered else {},
        "answers": {k: review(v, FREE_WORDS) if k in quoted else v for k, v in (found.answers or {}).items()},
        "rule_set": {"id": found.ruleset_id, "version": found.ruleset_version, "hash": found.ruleset_hash},
        "recommended_route": found.recommended_route, "decided_route": found.decided_route,
        "outcome": found.outcome, "outcome_in_languages": found.outcome_in_languages or {},
        "decisions": [_row(d, people=("made_by", "lead_consulted"), words=("reason",)) for d in tx.scalars(
            select(Decision).where(Decision.screening_id == found.id).order_by(Decision.number))],
        "referral_response": [_row(r, people=("sent_to", "decided_by", "updated_by"), words=("decision_reasons",))
                              for r in tx.scalars(select(ReferralResponse).where(by_id))],
        "challenges": [_row(c, people=("to_whom", "made_by"), words=("answer",)) for c in tx.scalars(
            select(Challenge).where(Challenge.screening_id == found.id).order_by(Challenge.id))],
        "meetings": [_meeting(m) for m in tx.scalars(select(MeetingRecord).where(
            MeetingRecord.screening_id == found.id).order_by(MeetingRecord.version))],
    }


def _meeting(meeting: MeetingRecord) -> dict[str, Any]:
    record = dict(meeting.record or {})
    for name in ("chair_name",):
        record[name] = review(record.get(name, ""), PERSON)
    for name in ("child_view", "parents_view", "decision_why", "absent_reasons", "delay_reason"):
        record[name] = review(record.get(name, ""), FREE_WORDS)
    actions = meeting.record.get("actions") or []
    record["actions"] = [{**a, "owner": review(a.get("owner", ""), PERSON)} for a in actions]
    return {**_row(meeting, people=("made_by", "finalised_by")), "record": record}


def _row(row: object, people: tuple[str, ...] = (), words: tuple[str, ...] = ()) -> dict[str, Any]:
    """A table row as plain data, the columns naming people or holding free words marked for review."""
    columns = [c.key for c in row.__table__.columns]  # type: ignore[attr-defined]
    out = {}
    for name in columns:
        value = _plain(getattr(row, name))
        out[name] = review(value, PERSON) if name in people else review(value, FREE_WORDS) if name in words \
            else value
    return out


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value
