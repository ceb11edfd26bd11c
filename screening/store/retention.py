"""Retention by the child: which screenings the purge deletes, and legal holds that keep a child's records past
it.

One rule per kind of record (the periods are settings):
- a draft never completed: `draft_days` after it was last changed;
- a completed screening not linked to a child's record: `unlinked_days` after it was last changed;
- a completed screening of an identified child: every screening of the child (the record and those merged into it)
  is kept until `years_from_birth` years after their date of birth, or where that is not known, after their latest
  screening (a later date than their birth, so never sooner).
A child under a legal hold (on their record or one merged into it) loses nothing, whatever its kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ScreeningError
from .children import members, root_in, root_of
from .db import Database, as_utc
from .models import Child, LegalHold, Screening
from .sealing import Keys


class NoHold(ScreeningError, LookupError):
    """There is no standing hold to lift."""


@dataclass(frozen=True)
class Periods:
    draft_days: int
    unlinked_days: int
    years_from_birth: int


@dataclass
class Plan:
    """What a purge at `now` deletes, by kind, and how many screenings past their time a legal hold keeps."""

    drafts: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    identified: list[str] = field(default_factory=list)
    children: int = 0  # identified children whose time has come
    held: int = 0

    @property
    def ids(self) -> list[str]:
        return [*self.drafts, *self.unlinked, *self.identified]


@dataclass(frozen=True)
class Purged:
    deleted: int
    emptied: int  # child records left without a screening, deleted too
    due: Plan


def purge(database: Database, keys: Keys, periods: Periods, actor: str) -> Purged:
    """Delete what is past its retention period (planned again inside the transaction that deletes), and the child
    records left without a screening, and record the purge in the audit trail: all or nothing."""
    from . import audit
    from .children import purge_unscreened
    from .screenings import delete_screenings

    with database.transaction() as tx:
        due = plan(tx, keys, periods)
        deleted = delete_screenings(tx, due.ids)
        tx.flush()
        emptied = purge_unscreened(tx)
        audit.record(tx, actor, "screenings_purged", "screening", "", count=deleted, drafts=len(due.drafts),
                     unlinked=len(due.unlinked), identified=len(due.identified), held=due.held, children=emptied,
                     draft_days=periods.draft_days, unlinked_days=periods.unlinked_days,
                     years_from_birth=periods.years_from_birth)
    return Purged(deleted, emptied, due)


def keep_until(born: date | None, latest: date, years: int) -> date:
    """The day an identified child's screenings may go: `years` after birth, else after the latest screening."""
    start = born or latest
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year without one
        return start.replace(year=start.year + years, day=28) + timedelta(days=1)


def plan(tx: Session, keys: Keys, periods: Periods, now: datetime | None = None) -> Plan:
    """The screenings due for deletion at `now`, each kind by its own rule, none of a child under a hold."""
    now = now or datetime.now(UTC)
    parents = {child: parent for child, parent in tx.execute(select(Child.id, Child.merged_into))}
    held = {root_in(parents, c) for c in tx.scalars(select(LegalHold.child_id).where(LegalHold.lifted_at.is_(None)))}
    out = Plan()
    for kind, days, complete in (("drafts", periods.draft_days, False), ("unlinked", periods.unlinked_days, True)):
        query = select(Screening.id, Screening.child_id).where(
            (Screening.status == "complete") if complete else (Screening.status != "complete"),
            Screening.updated_at < now - timedelta(days=days))
        if complete:
            query = query.where(Screening.child_id.is_(None))
        for screening_id, child_id in tx.execute(query):
            if child_id is not None and root_in(parents, child_id) in held:
                out.held += 1
            else:
                getattr(out, kind).append(screening_id)
    _identified(tx, keys, periods.years_from_birth, now, parents, held, out)
    return out


def _identified(tx: Session, keys: Keys, years: int, now: datetime, parents: dict[str, str | None],
                held: set[str], out: Plan) -> None:
    """Each identified child whose time has come: all their completed screenings (or, under a hold, none)."""
    latest: dict[str, datetime] = {}
    screened: dict[str, list[str]] = defaultdict(list)
    for screening_id, child_id, completed in tx.execute(
            select(Screening.id, Screening.child_id, Screening.completed_at)
            .where(Screening.status == "complete", Screening.child_id.is_not(None))):
        root = root_in(parents, str(child_id))
        screened[root].append(screening_id)
        when = as_utc(completed) if completed else now
        latest[root] = max(latest.get(root, when), when)
    roots = list(screened)
    sealed = {child_id: identity for start in range(0, len(roots), 500) for child_id, identity in tx.execute(
        select(Child.id, Child.identity).where(Child.id.in_(roots[start:start + 500])))}
    for root, ids in screened.items():
        born = keys.unseal(sealed[root]).born if root in sealed else None
        if now.date() < keep_until(born, latest[root].date(), years):
            continue
        if root in held:
            out.held += len(ids)
            continue
        out.identified += ids
        out.children += 1


def holds_of(tx: Session, child_id: str) -> list[LegalHold]:
    """Every hold, standing or lifted, on the child (the record and those merged into it), newest first."""
    return list(tx.scalars(select(LegalHold).where(LegalHold.child_id.in_(members(tx, root_of(tx, child_id))))
                           .order_by(LegalHold.placed_at.desc(), LegalHold.id.desc())))


def standing(tx: Session, child_id: str) -> LegalHold | None:
    return next((h for h in holds_of(tx, child_id) if h.lifted_at is None), None)


def place(tx: Session, child_id: str, reason: str, by: str) -> LegalHold:
    """A hold on the child's record; a second on a child already held is the same standing hold."""
    found = standing(tx, child_id)
    if found is not None:
        return found
    made = LegalHold(child_id=root_of(tx, child_id), reason=reason, placed_by=by, placed_at=datetime.now(UTC))
    tx.add(made)
    tx.flush()
    return made


def lift(tx: Session, child_id: str, reason: str, by: str) -> list[LegalHold]:
    """Lift every standing hold on the child (two records each held, then merged, hold one child)."""
    found = [h for h in holds_of(tx, child_id) if h.lifted_at is None]
    if not found:
        raise NoHold(child_id)
    for hold in found:
        hold.lifted_by, hold.lifted_at, hold.lift_reason = by, datetime.now(UTC), reason
    tx.flush()
    return found


def standing_holds(tx: Session) -> list[LegalHold]:
    return list(tx.scalars(select(LegalHold).where(LegalHold.lifted_at.is_(None)).order_by(LegalHold.placed_at)))
