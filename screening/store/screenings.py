"""Screening records: create, read for an owner, save a page, complete with an outcome, record a decision.

Each function is one unit of work inside the caller's transaction; nothing is half-saved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, tuple_
from sqlalchemy.orm import Session

from ..errors import ScreeningError
from ..history import ChildRecord, Earlier
from ..model import RuleSet
from ..outcome import Outcome
from . import summaries
from .children import root_in
from .db import Database, as_utc
from .models import Challenge, Child, Decision, FiredRule, MeetingRecord, ReferralResponse, Screening


class NotEditable(ScreeningError):
    """A completed screening's answers are kept exactly as they were evaluated."""


def create_draft(session: Session, owner: str, rs: RuleSet) -> Screening:
    screening = Screening(owner=owner, answers={}, pages_done=[], language_choices={}, ruleset_id=rs.meta.id,
                          ruleset_version=rs.meta.version, ruleset_hash=rs.hash)
    session.add(screening)
    session.flush()
    return screening


def for_owner(session: Session, screening_id: str, owner: str) -> Screening | None:
    found = session.get(Screening, screening_id)
    return found if found is not None and found.owner == owner else None


def save_page(screening: Screening, page_fact_ids: list[str], answers: Mapping[str, object], page_id: str,
              agency: str | None = None, language_choices: dict[str, Any] | None = None,
              referrer: Mapping[str, Any] | None = None) -> None:
    """Replace the answers of one page (answers cleared on the page are removed) and mark it done; `referrer`
    holds what the first page says about the practitioner (is_lead: True, False or None; contact)."""
    if screening.status != "draft":
        raise NotEditable(screening.id)
    if referrer is not None:
        screening.referrer_is_lead, screening.referrer_contact = referrer["is_lead"], referrer["contact"]
    if language_choices is not None:
        screening.language_choices = language_choices
    kept = {k: v for k, v in screening.answers.items() if k not in page_fact_ids}
    screening.answers = {**kept, **answers}
    screening.pages_done = sorted({*screening.pages_done, page_id})
    if agency is not None:
        screening.agency = agency


AGE_BANDS = {"under_13": "Under 13", "13_15": "13 to 15", "16_17": "16 and 17", "not_known": "Age not known"}


def age_band(age: object) -> str:
    if not isinstance(age, int):
        return "not_known"
    return "under_13" if age < 13 else "13_15" if age < 16 else "16_17"


def complete(session: Session, screening: Screening, outcome: Outcome, rs: RuleSet,
             in_languages: Mapping[str, Outcome] | None = None) -> None:
    """Store the outcome exactly as produced, with the rule set that produced it, and the same outcome in the other
    languages it was said in (engine.evaluate_in_each_language), never to change (and, for the dashboard, the
    child's age band, the month and the rules that fired)."""
    if screening.status != "draft":
        raise NotEditable(screening.id)
    others = {code: said.to_dict() for code, said in (in_languages or {}).items() if code != "en"}
    with summaries.kept(session, [screening.id]):
        screening.outcome, screening.outcome_in_languages = outcome.to_dict(), others or None
        screening.ruleset_id, screening.ruleset_version, screening.ruleset_hash = rs.meta.id, rs.meta.version, rs.hash
        screening.recommended_route = outcome.route
        screening.status = "complete"
        screening.completed_at = datetime.now(UTC)
        ages = [screening.answers.get(q.id) for q in rs.questions if q.kind.child_age]
        screening.age_band = age_band(ages[0] if ages else None)
        screening.completed_month = screening.completed_at.strftime("%Y-%m")
        fired = sorted({f.rule for f in outcome.findings})
        session.add_all(FiredRule(screening_id=screening.id, rule_id=r) for r in fired)
        summaries.count_in(session, screening, rules=fired)


def record_decision(session: Session, screening: Screening, made_by: str, decision: str, route: str, reason: str,
                    lead: str, below_minimum: str = "") -> Decision:
    """A new decision beside the recommendation; earlier decisions are kept, the screening shows the latest."""
    number = len(decisions_of(session, screening.id)) + 1
    made = Decision(screening_id=screening.id, number=number, decision=decision, route=route, reason=reason,
                    lead_consulted=lead, below_minimum=below_minimum, made_by=made_by, made_at=datetime.now(UTC))
    session.add(made)
    csc = summaries.csc_of(session.get(ReferralResponse, screening.id))
    summaries.count_out(session, screening, csc)
    with summaries.kept(session, [screening.id]):  # the route that counts for repeat screenings may change
        screening.decision, screening.decided_route = decision, route
    summaries.count_in(session, screening, csc)
    screening.decision_reason, screening.lead_consulted = reason, lead
    screening.decided_at = made.made_at
    session.flush()
    return made


def decisions_of(session: Session, screening_id: str) -> list[Decision]:
    """Every decision on a screening, first to latest."""
    return list(session.scalars(select(Decision).where(Decision.screening_id == screening_id)
                                .order_by(Decision.number)))


def history_of(session: Session, screening: Screening) -> list[Decision]:
    """The decisions on a screening, asked of the database only when there are any: record_decision, the only
    way one is made, sets the screening's latest decision with each."""
    return decisions_of(session, screening.id) if screening.decision else []


def delete_draft(session: Session, screening: Screening) -> None:
    """Remove a draft its owner no longer wants; a completed screening is never deleted this way."""
    if screening.status != "draft":
        raise NotEditable(screening.id)
    session.delete(screening)


def older_than(session: Session, cutoff: datetime) -> int:
    """How many screenings were last changed before `cutoff`."""
    return session.scalar(select(func.count()).select_from(Screening).where(Screening.updated_at < cutoff)) or 0


def purge_older_than(session: Session, cutoff: datetime) -> int:
    """Delete screenings last changed before `cutoff`; returns how many."""
    return delete_screenings(session, list(session.scalars(select(Screening.id).where(Screening.updated_at < cutoff))))


def delete_screenings(session: Session, ids: list[str]) -> int:
    """Delete these screenings with everything recorded on them (and take them out of the dashboard's tallies);
    returns how many."""
    summaries.forget(session, ids)
    with summaries.kept(session, ids):
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for table in (Decision, ReferralResponse, Challenge, MeetingRecord, FiredRule):
                session.execute(delete(table).where(table.screening_id.in_(chunk)))
            session.execute(delete(Screening).where(Screening.id.in_(chunk)))
    return len(ids)


def for_viewer(session: Session, screening_id: str, username: str, sees_all: bool) -> Screening | None:
    """A screening its owner may open; a safeguarding lead (sees_all) may open any."""
    found = session.get(Screening, screening_id)
    if found is None:
        return None
    return found if sees_all or found.owner == username else None


PAGE_SIZE = 50


@dataclass(frozen=True)
class Listed:
    """One page of a list, newest first, with where the pages either side start (None: there is none)."""

    items: list[Screening]
    newer: str | None  # a cursor for the page before this one
    older: str | None  # a cursor for the page after it


def cursor_of(screening: Screening) -> str:
    """Where a list page starts or ends: the screening's last change and id, as text for a link."""
    return f"{as_utc(screening.updated_at).strftime('%Y%m%dT%H%M%S%f')}~{screening.id}"


def _parse_cursor(text: str | None) -> tuple[datetime, str] | None:
    when, _, screening_id = (text or "").partition("~")
    try:
        return datetime.strptime(when, "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC), screening_id
    except ValueError:
        return None


def list_for_viewer(session: Session, username: str, sees_all: bool, *, older: str | None = None,
                    newer: str | None = None, per_page: int = PAGE_SIZE, completed_only: bool = False) -> Listed:
    """A page of the screenings a viewer may open, newest first: those just older than the cursor `older`, or just
    newer than `newer`, or else the newest (for no cursor, one that cannot be read, or one past either end). Paged
    by key in SQL, along the list's own index: nothing is counted, and a page far back costs what the first does."""
    where = [*(() if sees_all else (Screening.owner == username,)),
             *((Screening.status == "complete",) if completed_only else ())]
    after, before = _parse_cursor(older), _parse_cursor(newer)
    key = (Screening.updated_at, Screening.id)
    if before and not after:
        found = list(session.scalars(select(Screening).where(*where, tuple_(*key) > before)
                                     .order_by(*(k.asc() for k in key)).limit(per_page + 1)))
        items = found[:per_page][::-1]
        if items:
            return Listed(items, cursor_of(items[0]) if len(found) > per_page else None, cursor_of(items[-1]))
        after = None
    query = select(Screening).where(*where, *((tuple_(*key) < after,) if after else ()))
    found = list(session.scalars(query.order_by(*(k.desc() for k in key)).limit(per_page + 1)))
    items = found[:per_page]
    if after and not items:
        return list_for_viewer(session, username, sees_all, per_page=per_page, completed_only=completed_only)
    return Listed(items, cursor_of(items[0]) if after else None,
                  cursor_of(items[-1]) if len(found) > per_page else None)


class StoreError(ScreeningError, RuntimeError):
    """The database could not be read."""


# (id, status, agency, answers, child_id, completed_at, updated_at, recommended_route, decided_route, created_at)
_Stored = Row[str, str, str | None, dict[str, Any], str | None, datetime | None, datetime, str | None, str | None,
              datetime]


StoredCase = tuple[str, str, str | None, dict[str, Any], ChildRecord | None]  # id, status, agency, answers, record
_STORED = select(Screening.id, Screening.status, Screening.agency, Screening.answers, Screening.child_id,
                 Screening.completed_at, Screening.updated_at, Screening.recommended_route, Screening.decided_route,
                 Screening.created_at)


def stored_answers(database: Database) -> list[StoredCase]:
    """(id, status, agency, answers, record) of every stored screening, drafts included, oldest first; `record`
    is what the child's record held when it was completed (or last changed), for a linked screening. All at once:
    for the command line; impact previews read a range at a time (`stored_answers_between`)."""
    from sqlalchemy.exc import SQLAlchemyError

    query = _STORED.order_by(Screening.created_at, Screening.id)
    try:
        with database.reading() as session:
            rows = list(session.execute(query))
            parents = {child: parent for child, parent in session.execute(select(Child.id, Child.merged_into))}
    except SQLAlchemyError as exc:
        raise StoreError(str(exc).splitlines()[0]) from exc
    completed: dict[str, list[_Stored]] = {}  # each child's (its root record's) completed screenings
    for r in rows:
        if r.status == "complete" and r.child_id is not None and r.completed_at is not None:
            completed.setdefault(root_in(parents, r.child_id), []).append(r)
    return [(r.id, r.status, r.agency, r.answers or {}, _record_then(r, completed, parents)) for r in rows]


def stored_answers_between(database: Database, first: str, last: str) -> list[StoredCase]:
    """As `stored_answers`, for the screenings whose ids run from `first` to `last`: only their children's records
    (and the records merged with them) are read, so the work is bounded by the range, not by the database."""
    with database.reading() as tx:
        rows = list(tx.execute(_STORED.where(Screening.id >= first, Screening.id <= last)
                               .order_by(Screening.created_at, Screening.id)))
        parents = _family(tx, {r.child_id for r in rows if r.child_id is not None})
        completed: dict[str, list[_Stored]] = {}
        kin = sorted(parents)
        for start in range(0, len(kin), 500):
            for r in tx.execute(_STORED.where(Screening.child_id.in_(kin[start:start + 500]),
                                              Screening.status == "complete", Screening.completed_at.is_not(None))):
                completed.setdefault(root_in(parents, r.child_id), []).append(r)
    for found in completed.values():
        found.sort(key=lambda r: (r.created_at, r.id))  # as `stored_answers` lists them
    return [(r.id, r.status, r.agency, r.answers or {}, _record_then(r, completed, parents)) for r in rows]


def _family(tx: Session, children: set[str]) -> dict[str, str | None]:
    """(record -> record it is merged into) for `children` and every record merged with them, at any depth."""
    parents: dict[str, str | None] = {}
    frontier = set(children)
    while frontier:
        ids = sorted(frontier)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for child, parent in tx.execute(select(Child.id, Child.merged_into)
                                            .where(Child.id.in_(chunk) | Child.merged_into.in_(chunk))):
                parents[child] = parent
        frontier = {c for pair in parents.items() for c in pair if c is not None and c not in parents}
    return parents


def _record_then(row: _Stored, completed: dict[str, list[_Stored]], parents: dict[str, str | None]
                 ) -> ChildRecord | None:
    """The child's earlier completed screenings as they stood when `row` was completed (or last changed)."""
    if row.child_id is None:
        return None
    when = row.completed_at or row.updated_at
    earlier = tuple(Earlier(r.completed_at.date(), r.agency or "", r.agency or "", r.recommended_route or "",
                            r.decided_route or "", r.answers or {})
                    for r in completed.get(root_in(parents, row.child_id), ()) if r.id != row.id
                    and r.completed_at <= when)
    return ChildRecord(when.date(), earlier)
