"""Screening records: create, read for an owner, save a page, complete with an outcome, record a decision.

Each function is one unit of work inside the caller's transaction; nothing is half-saved."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ScreeningError
from ..model import RuleSet
from ..outcome import Outcome
from .models import Screening


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


def save_page(screening: Screening, page_fact_ids: list[str], answers: dict, page_id: str,
              agency: str | None = None, language_choices: dict | None = None) -> None:
    """Replace the answers of one page (answers cleared on the page are removed) and mark it done."""
    if screening.status != "draft":
        raise NotEditable(screening.id)
    if language_choices is not None:
        screening.language_choices = language_choices
    kept = {k: v for k, v in screening.answers.items() if k not in page_fact_ids}
    screening.answers = {**kept, **answers}
    screening.pages_done = sorted({*screening.pages_done, page_id})
    if agency is not None:
        screening.agency = agency


def complete(screening: Screening, outcome: Outcome, rs: RuleSet) -> None:
    """Store the outcome exactly as produced, with the rule set that produced it."""
    if screening.status != "draft":
        raise NotEditable(screening.id)
    screening.outcome = outcome.to_dict()
    screening.ruleset_id, screening.ruleset_version, screening.ruleset_hash = rs.meta.id, rs.meta.version, rs.hash
    screening.recommended_route = outcome.route
    screening.status = "complete"


def record_decision(screening: Screening, decision: str, route: str, reason: str, lead: str) -> None:
    """The practitioner's decision beside the recommendation; both are kept."""
    screening.decision, screening.decided_route = decision, route
    screening.decision_reason, screening.lead_consulted = reason, lead
    screening.decided_at = datetime.now(UTC)


def older_than(session: Session, cutoff: datetime) -> int:
    """How many screenings were last changed before `cutoff`."""
    return session.scalar(select(func.count()).select_from(Screening).where(Screening.updated_at < cutoff)) or 0


def purge_older_than(session: Session, cutoff: datetime) -> int:
    """Delete screenings last changed before `cutoff`; returns how many."""
    old = list(session.scalars(select(Screening).where(Screening.updated_at < cutoff)))
    for screening in old:
        session.delete(screening)
    return len(old)


def for_viewer(session: Session, screening_id: str, username: str, sees_all: bool) -> Screening | None:
    """A screening its owner may open; a safeguarding lead (sees_all) may open any."""
    found = session.get(Screening, screening_id)
    if found is None:
        return None
    return found if sees_all or found.owner == username else None


def list_for_viewer(session: Session, username: str, sees_all: bool) -> list[Screening]:
    query = select(Screening).order_by(Screening.updated_at.desc())
    if not sees_all:
        query = query.where(Screening.owner == username)
    return list(session.scalars(query))


class StoreError(ScreeningError, RuntimeError):
    """The database could not be read."""


def stored_answers(database) -> list[tuple[str, str, str | None, dict]]:
    """(id, status, agency, answers) of every stored screening, drafts included, oldest first."""
    from sqlalchemy.exc import SQLAlchemyError

    query = select(Screening.id, Screening.status, Screening.agency, Screening.answers).order_by(
        Screening.created_at, Screening.id)
    try:
        with database.reading() as session:
            return [(sid, status, agency, answers or {}) for sid, status, agency, answers in session.execute(query)]
    except SQLAlchemyError as exc:
        raise StoreError(str(exc).splitlines()[0]) from exc
