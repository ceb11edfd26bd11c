"""Child records: find a child by what a practitioner holds, add one, link screenings, merge two records (and undo
it), read a child's history for the rules and their involvement with agencies, and delete records left empty.

Identifiers are only ever compared as blind indexes (store.sealing): an exact identifier finds its record; a name
and date of birth only offers candidates, which the practitioner confirms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import ScreeningError
from ..history import ChildRecord, Earlier
from ..identifiers import EXACT, Identity
from ..model import RuleSet
from ..words import gettext as _
from . import summaries
from .models import Child, ChildKey, Screening
from .sealing import Keys

MAX_DEPTH = 50  # merges chained deeper than this are refused


class CannotMerge(ScreeningError, ValueError):
    """Merging these records would lose track of which child is which."""


@dataclass(frozen=True)
class Candidate:
    """A record a name and date of birth suggest, shown masked for the practitioner to confirm."""

    child_id: str
    masked: str
    born: object  # date | None
    screenings: int
    same_postcode: bool


def exact_matches(tx: Session, keys: Keys, who: Identity) -> set[str]:
    """The records (merged ones resolved to the record they were merged into) an exact identifier finds."""
    digests = [(kind, keys.blind(kind, value)) for kind, value in who.exact().items()]
    return {root_of(tx, child) for child in _holders(tx, digests)}


def candidates(tx: Session, keys: Keys, who: Identity, leave_out: frozenset[str] | set[str] = frozenset()
               ) -> list[Candidate]:
    """Records sharing the date of birth and either name, to be confirmed; never linked by themselves."""
    digests = [(kind, keys.blind(kind, value)) for kind, value in who.name_keys().items()]
    roots = sorted({root_of(tx, child) for child in _holders(tx, digests)} - set(leave_out))
    return [candidate(tx, keys, child_id, who) for child_id in roots]


def _holders(tx: Session, digests: list[tuple[str, str]]) -> set[str]:
    found: set[str] = set()
    for kind, digest in digests:
        found |= set(tx.scalars(select(ChildKey.child_id).where(ChildKey.kind == kind, ChildKey.digest == digest)))
    return found


def candidate(tx: Session, keys: Keys, child_id: str, who: Identity) -> Candidate:
    held = identity(tx, keys, child_id)
    return Candidate(child_id, held.masked, held.born, screening_count(tx, child_id),
                     bool(who.postcode) and who.postcode == held.postcode)


def identity(tx: Session, keys: Keys, child_id: str) -> Identity:
    child = tx.get(Child, child_id)
    if child is None:
        raise LookupError(child_id)
    return keys.unseal(child.identity)


def add(tx: Session, keys: Keys, who: Identity) -> Child | None:
    """A new record holding every exact identifier `who` was given, or None (and nothing added) when another record
    holds one of them, perhaps committed a moment ago by another request: the caller finds that one instead.

    The unique index on exact identifiers decides between requests racing to add the same child, on both databases:
    the record and its exact keys are inserted in one savepoint, so a record never stays without the identifier it
    came with (a search by that identifier would never find it, nor the screening linked to it)."""
    try:
        with tx.begin_nested():
            child = Child(identity=keys.seal(who))
            tx.add(child)
            tx.flush()
            tx.add_all(ChildKey(child_id=child.id, kind=kind, digest=keys.blind(kind, value))
                       for kind, value in who.exact().items())
            tx.flush()
    except IntegrityError:
        return None
    _add_keys(tx, keys, child.id, who)
    return child


def enrich(tx: Session, keys: Keys, child_id: str, who: Identity) -> None:
    """Keep what a practitioner adds to a record found: identifiers it did not hold, and empty fields filled."""
    child = tx.get(Child, child_id)
    if child is None:
        raise LookupError(child_id)
    held = keys.unseal(child.identity)
    merged = _filled(held, who)
    if merged != held:
        child.identity = keys.seal(merged)
    _add_keys(tx, keys, child_id, who)


def _add_keys(tx: Session, keys: Keys, child_id: str, who: Identity) -> None:
    for kind, value in (*who.exact().items(), *who.name_keys().items()):
        digest = keys.blind(kind, value)
        held = set(tx.scalars(select(ChildKey.child_id).where(ChildKey.kind == kind, ChildKey.digest == digest)))
        if child_id in held or (held and kind in EXACT):
            continue  # an exact identifier stays with the record that first held it (a merge joins them)
        if kind in EXACT:
            _claim_key(tx, ChildKey(child_id=child_id, kind=kind, digest=digest))
        else:
            tx.add(ChildKey(child_id=child_id, kind=kind, digest=digest))
    tx.flush()


def _claim_key(tx: Session, key: ChildKey) -> None:
    """Add an exact key unless another request added it a moment ago (then it stays with that record, as above)."""
    try:
        with tx.begin_nested():
            tx.add(key)
            tx.flush()
    except IntegrityError:
        pass


def root_of(tx: Session, child_id: str) -> str:
    """The record a (possibly merged) record now counts as."""
    seen = [child_id]
    while len(seen) <= MAX_DEPTH:
        parent = tx.scalar(select(Child.merged_into).where(Child.id == seen[-1]))
        if parent is None:
            return seen[-1]
        seen.append(parent)
    raise CannotMerge(_("record %(id)s is merged more than %(depth)s deep", id=child_id, depth=MAX_DEPTH))


def members(tx: Session, root_id: str) -> list[str]:
    """The record and every record merged into it, at any depth."""
    found, frontier = [root_id], [root_id]
    while frontier and len(found) <= 10 * MAX_DEPTH:
        frontier = list(tx.scalars(select(Child.id).where(Child.merged_into.in_(frontier))))
        found += frontier
    return found


def merged_records(tx: Session, root_id: str) -> list[Child]:
    """Records merged directly into this one (each can be taken out again)."""
    return list(tx.scalars(select(Child).where(Child.merged_into == root_id).order_by(Child.created_at)))


def merge(tx: Session, keep: str, other: str) -> None:
    """Count `other` (and what was merged into it) as `keep` from now on. Both must be records in their own
    right, and different."""
    if keep == other:
        raise CannotMerge(_("a record cannot be merged into itself"))
    for child_id in (keep, other):
        child = tx.get(Child, child_id)
        if child is None:
            raise CannotMerge(_("there is no record %(id)s", id=child_id))
        if child.merged_into is not None:
            raise CannotMerge(_("that record is already merged into another; merge into that one instead"))
    tx.get(Child, other).merged_into = keep  # type: ignore[union-attr]
    tx.flush()


def undo_merge(tx: Session, other: str) -> str:
    """Make a merged record a record of its own again; returns the record it had been merged into."""
    child = tx.get(Child, other)
    if child is None or child.merged_into is None:
        raise CannotMerge(_("that record is not merged into another"))
    was, child.merged_into = child.merged_into, None
    tx.flush()
    return was


def screening_count(tx: Session, child_id: str) -> int:
    return tx.scalar(select(func.count()).select_from(Screening).where(
        Screening.child_id.in_(members(tx, root_of(tx, child_id))), Screening.status == "complete")) or 0


def screenings_of(tx: Session, child_id: str) -> list[Screening]:
    """Every completed screening of the child (merged records included), oldest first."""
    return list(tx.scalars(select(Screening).where(
        Screening.child_id.in_(members(tx, root_of(tx, child_id))), Screening.status == "complete")
        .order_by(Screening.completed_at, Screening.id)))


def record_of(tx: Session, rs: RuleSet, child_id: str, as_of: datetime, leave_out: str = "") -> ChildRecord:
    """What the system holds about the child on `as_of`: the screenings completed before it, other than
    `leave_out` (the one being made), with only the answers history reads."""
    wanted = {q.id for q in rs.history_questions} | {f for q in rs.history_questions for f in
                                                     (q.history.facts if q.history else ())}
    query = (select(Screening.completed_at, Screening.agency, Screening.recommended_route, Screening.decided_route,
                    Screening.answers)
             .where(Screening.child_id.in_(members(tx, root_of(tx, child_id))), Screening.status == "complete",
                    Screening.completed_at <= as_of, Screening.id != leave_out)
             .order_by(Screening.completed_at))
    names = {a.id: a.name for a in rs.agencies}
    earlier = tuple(Earlier(done.date(), agency or "", names.get(agency or "", agency or "not said"), route or "",
                            decided or "", {k: v for k, v in (answers or {}).items() if k in wanted})
                    for done, agency, route, decided, answers in tx.execute(query))
    return ChildRecord(as_of.date(), earlier)


def unlink(tx: Session, screening: Screening) -> str | None:
    """Take a screening off the child it was wrongly linked to (and out of that child's repeat screenings); returns
    that child's id."""
    with summaries.kept(tx, [screening.id]):
        was, screening.child_id, screening.identity = screening.child_id, None, None
    return was


def purge_unscreened(tx: Session) -> int:
    """Delete, with their keys, the child records of every child left without a screening (a record and those
    merged into it count as one child); returns how many records. For the retention purge."""
    parents = {child: parent for child, parent in tx.execute(select(Child.id, Child.merged_into))}
    screened = set(tx.scalars(select(Screening.child_id).where(Screening.child_id.is_not(None)).distinct()))
    kept = {root_in(parents, child) for child in screened if child in parents}
    return _delete(tx, [child for child in parents if root_in(parents, child) not in kept])


def drop_if_unscreened(tx: Session, child_id: str) -> int:
    """Delete this child's records, with their keys, if no screening is linked to any of them; returns how many."""
    group = members(tx, root_of(tx, child_id))
    if tx.scalar(select(func.count()).select_from(Screening).where(Screening.child_id.in_(group))):
        return 0
    return _delete(tx, group)


def root_in(parents: dict[str, str | None], child: str) -> str:
    """The root of `child` among (record -> record merged into) pairs already read."""
    seen = {child}
    while parents.get(child) and parents[child] not in seen:
        child = parents[child]  # type: ignore[assignment]
        seen.add(child)
    return child


def _delete(tx: Session, ids: list[str]) -> int:
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        tx.execute(delete(ChildKey).where(ChildKey.child_id.in_(chunk)))
        tx.execute(delete(Child).where(Child.id.in_(chunk)))
    return len(ids)


def reseal_all(tx: Session, keys: Keys) -> int:
    """Every identity (the children's records, and what each referrer entered) under the newest identity key;
    returns how many records."""
    found = list(tx.scalars(select(Child)))
    for child in found:
        child.identity = keys.reseal(child.identity)
    for screening in tx.scalars(select(Screening).where(Screening.identity.is_not(None))):
        screening.identity = keys.reseal(str(screening.identity))
    return len(found)


def entered(keys: Keys, screening: Screening, added: Identity | None = None) -> None:
    """Keep, sealed on the screening, what its referrer entered to identify the child (and `added` to it)."""
    held = as_entered(keys, screening)
    screening.identity = keys.seal(_filled(held, added) if added else held)


def _filled(held: Identity, added: Identity) -> Identity:
    """`held`, its empty fields filled from `added`."""
    return Identity(**{k: getattr(held, k) or getattr(added, k) for k in held.__dict__})


def as_entered(keys: Keys, screening: Screening) -> Identity:
    """What the screening's referrer entered to identify the child (nothing, for one linked before it was kept)."""
    return keys.unseal(screening.identity) if screening.identity else Identity()


def reindex_all(tx: Session, keys: Keys) -> int:
    """Every blind index made again under the current index key, from the sealed identities; returns how many
    records. Exact identifiers go to the record that held them before; merges are kept."""
    found = list(tx.scalars(select(Child).order_by(Child.created_at, Child.id)))
    tx.execute(delete(ChildKey))
    tx.flush()
    for child in found:
        _add_keys(tx, keys, child.id, keys.unseal(child.identity))
    return len(found)
