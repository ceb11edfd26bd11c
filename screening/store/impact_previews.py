"""Impact previews in the database, so every app instance and every worker sees the same one: one per pair of
rule-set hashes, its work split into batches (batch 0: the vignette stages; then ranges of stored screenings by
id), each batch's running tallies and the cases it lists. The report is never one big value: its totals are the sum
of the batches', and its cases are read a page at a time, those that would go down first.

Each batch's results are written in one transaction that first removes any earlier results of the same batch, so a
batch run twice (a worker killed after its work was saved) counts once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import Database
from .models import ImpactBatch, ImpactCase, ImpactPreview, Screening

SCREENINGS_PER_BATCH = 5_000  # a batch's cases are held in memory while it runs: this bounds a worker's memory
PAGE = 50  # cases a page of the report lists


def find(tx: Session, old_hash: str, new_hash: str) -> ImpactPreview | None:
    return tx.scalar(select(ImpactPreview).where(ImpactPreview.old_hash == old_hash,
                                                 ImpactPreview.new_hash == new_hash))


def claim(database: Database, old_hash: str, new_hash: str) -> int | None:
    """The id of a new (or failed, so started again) preview the caller should queue; None when one is queued,
    running or done."""
    now = datetime.now(UTC)
    try:
        with database.transaction() as tx:
            found = find(tx, old_hash, new_hash)
            if found is None:
                found = ImpactPreview(old_hash=old_hash, new_hash=new_hash, status="queued", requested_at=now,
                                      updated_at=now)
                tx.add(found)
                tx.flush()
                return found.id
            if found.status != "failed":
                return None
            _forget_batches(tx, found.id)
            found.status, found.error, found.robustness, found.requested_at, found.updated_at = \
                "queued", "", None, now, now
            found.batches = found.batches_done = found.cases = found.cases_done = 0
            return found.id
    except IntegrityError:  # another instance claimed it at the same moment
        return None


def unclaim(database: Database, preview_id: int) -> None:
    """Forget a claim whose work could not be queued (the queue is unreachable), so the next request tries again."""
    with database.transaction() as tx:
        tx.execute(delete(ImpactPreview).where(ImpactPreview.id == preview_id, ImpactPreview.status == "queued"))


def screening_ranges(database: Database, size: int = SCREENINGS_PER_BATCH) -> Iterator[tuple[str, str, int]]:
    """(first id, last id, how many) of consecutive stored screenings, drafts included, `size` at a time, read
    through a server-side cursor: memory does not grow with the number of screenings."""
    with database.reading() as tx:
        ids = tx.scalars(select(Screening.id).order_by(Screening.id).execution_options(yield_per=10_000))
        first, last, n = "", "", 0
        for sid in ids:
            first, last, n = first or sid, sid, n + 1
            if n == size:
                yield first, last, n
                first, n = "", 0
        if n:
            yield first, last, n


def plan(database: Database, preview_id: int, vignette_stages: int, ranges: Iterable[tuple[str, str, int]]) -> int:
    """Record the preview's batches (replacing any earlier plan: a planning job run again) and mark it running;
    returns how many, or 0 when the preview has finished (failed meanwhile, or done)."""
    with database.transaction() as tx:
        preview = _locked(tx, preview_id)
        if preview.status not in ("queued", "running"):
            return 0
        _forget_batches(tx, preview_id)
        tx.add(ImpactBatch(preview_id=preview_id, number=0, cases=vignette_stages, **_EMPTY))
        total, number = vignette_stages, 0
        for number, (first, last, n) in enumerate(ranges, 1):
            tx.add(ImpactBatch(preview_id=preview_id, number=number, first_id=first, last_id=last, cases=n, **_EMPTY))
            total += n
        preview.status, preview.batches, preview.cases = "running", number + 1, total
        preview.batches_done = preview.cases_done = 0
        preview.updated_at = datetime.now(UTC)
        return number + 1


_EMPTY: dict[str, Any] = {"done": False, "transitions": [], "changed": 0, "down": 0, "cannot": 0, "failing": 0,
                          "ran_by": ""}


def batch(tx: Session, preview_id: int, number: int) -> ImpactBatch | None:
    return tx.get(ImpactBatch, (preview_id, number))


@dataclass(frozen=True)
class BatchResult:
    """What comparing one batch gave: its tallies and the cases it lists, each (what, rank, kind, detail) with
    `what` changed, cannot or failing, `rank` 0 for a case that would go down (listed first)."""

    cases: int
    transitions: Mapping[tuple[str, str], int]
    changed: int
    down: int
    cannot: int
    failing: int
    listed: list[tuple[str, int, str, dict[str, Any]]]


def save_batch(database: Database, preview_id: int, number: int, result: BatchResult,
               robustness: Mapping[str, Any] | None = None, ran_by: str = "") -> bool:
    """Keep one batch's results (replacing any earlier run of it) and count it done; True when it was the last.
    The preview's row is locked first, so two batches finishing at once are counted one after the other."""
    with database.transaction() as tx:
        preview = _locked(tx, preview_id)
        found = batch(tx, preview_id, number)
        if found is None or preview.status != "running":  # planned again, or failed meanwhile: not this run's
            return False
        tx.execute(delete(ImpactCase).where(ImpactCase.preview_id == preview_id, ImpactCase.batch == number))
        tx.add_all(ImpactCase(preview_id=preview_id, batch=number, seq=seq, what=what, rank=rank, kind=kind,
                              detail=detail) for seq, (what, rank, kind, detail) in enumerate(result.listed, 1))
        found.done, found.cases, found.ran_by = True, result.cases, ran_by[:128]
        found.transitions = [[a, b, n] for (a, b), n in sorted(result.transitions.items())]
        found.changed, found.down, found.cannot, found.failing = result.changed, result.down, result.cannot, \
            result.failing
        if robustness is not None:
            preview.robustness = dict(robustness)
        tx.flush()
        done, cases = tx.execute(select(func.count(), func.coalesce(func.sum(ImpactBatch.cases), 0))
                                 .where(ImpactBatch.preview_id == preview_id, ImpactBatch.done.is_(True))).one()
        preview.batches_done, preview.cases_done, preview.updated_at = done, cases, datetime.now(UTC)
        if done == preview.batches:
            preview.status = "done"
        return preview.status == "done"


def fail(database: Database, preview_id: int, error: str) -> None:
    """The preview could not be completed: say why (shown to the lead, who may start it again)."""
    with database.transaction() as tx:
        preview = tx.get(ImpactPreview, preview_id)
        if preview is not None and preview.status != "done":
            preview.status, preview.error, preview.updated_at = "failed", error[:500], datetime.now(UTC)


def _locked(tx: Session, preview_id: int) -> ImpactPreview:
    preview = tx.scalar(select(ImpactPreview).where(ImpactPreview.id == preview_id).with_for_update())
    if preview is None:
        raise LookupError(f"no impact preview {preview_id}")
    return preview


def _forget_batches(tx: Session, preview_id: int) -> None:
    tx.execute(delete(ImpactCase).where(ImpactCase.preview_id == preview_id))
    tx.execute(delete(ImpactBatch).where(ImpactBatch.preview_id == preview_id))


# --- Reading the report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """A finished preview's figures, summed over its batches."""

    cases: int
    transitions: Mapping[tuple[str, str], int]
    changed: int
    down: int
    cannot: int
    failing: int


def totals(tx: Session, preview_id: int) -> Totals:
    moves: Counter[tuple[str, str]] = Counter()
    cases = changed = down = cannot = failing = 0
    for b in tx.scalars(select(ImpactBatch).where(ImpactBatch.preview_id == preview_id)):
        moves.update({(a, z): n for a, z, n in b.transitions})
        cases, changed, down = cases + b.cases, changed + b.changed, down + b.down
        cannot, failing = cannot + b.cannot, failing + b.failing
    return Totals(cases, dict(moves), changed, down, cannot, failing)


def listed(tx: Session, preview_id: int, what: str, after: str | None = None, size: int = PAGE,
           kind: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the listed cases of one sort (changed: those that would go down first), and the key of the next
    page (None at the end). Keys are 'rank.batch.seq'."""
    query = select(ImpactCase).where(ImpactCase.preview_id == preview_id, ImpactCase.what == what)
    if kind is not None:
        query = query.where(ImpactCase.kind == kind)
    start = _key(after)
    if start is not None:
        query = query.where(tuple_(ImpactCase.rank, ImpactCase.batch, ImpactCase.seq) > start)
    found = list(tx.scalars(query.order_by(ImpactCase.rank, ImpactCase.batch, ImpactCase.seq).limit(size + 1)))
    page = found[:size]
    more = len(found) > size
    return [c.detail for c in page], (f"{page[-1].rank}.{page[-1].batch}.{page[-1].seq}" if more else None)


def _key(text: str | None) -> tuple[int, int, int] | None:
    parts = (text or "").split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) < 10 for p in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])
