"""Impact previews as the lead's pages see them: asked for here, run by workers (screening/jobs), read back from
the database a page at a time (screening/store/impact_previews.py). Every app instance shows the same preview."""

from __future__ import annotations

from dataclasses import dataclass

from ..jobs import JobQueue
from ..model import RuleSet
from ..store import Database
from ..store import impact_previews as stored
from ..tools.impact import (
    CannotEvaluate,
    ChangedCase,
    Failing,
    Transition,
    cannot_from_dict,
    changed_from_dict,
    failing_from_dict,
    transition_rows,
)
from ..tools.robustness import Robustness


@dataclass(frozen=True)
class Preview:
    """A preview as it is now: a page decides and renders from one state, never from two."""

    id: int
    status: str  # queued | running | done | failed
    cases: int  # planned (0 until a worker has planned it)
    cases_done: int
    error: str
    totals: stored.Totals | None = None  # when done
    rows: tuple[Transition, ...] = ()  # route transitions, when done
    robustness: tuple[Robustness, Robustness] | None = None  # (active, candidate) over the vignette stages

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def needs_attention(self) -> bool:
        """Any case would go down or cannot be evaluated: the change must not go through unseen."""
        return self.totals is not None and bool(self.totals.down or self.totals.cannot)


class ImpactPreviews:
    def __init__(self, database: Database, queue: JobQueue):
        self.database, self.queue = database, queue

    def find(self, old: RuleSet, new: RuleSet) -> Preview | None:
        """The preview comparing `old` with `new`, if anyone has asked for it."""
        with self.database.reading() as tx:
            found = stored.find(tx, old.hash, new.hash)
            if found is None:
                return None
            preview = Preview(found.id, found.status, found.cases, found.cases_done, found.error)
            if found.status != "done":
                return preview
            totals = stored.totals(tx, found.id)
        both = found.robustness
        return Preview(preview.id, preview.status, preview.cases, preview.cases_done, preview.error, totals,
                       transition_rows(old, new, totals.transitions),
                       (Robustness.from_dict(both["active"]), Robustness.from_dict(both["candidate"])) if both
                       else None)

    def start(self, old: RuleSet, new: RuleSet) -> bool:
        """Queue the preview comparing `old` with `new` unless one is queued, running or done; True if this call
        queued it. When the queue cannot be reached, nothing is kept and the error goes up (a 503)."""
        preview_id = stored.claim(self.database, old.hash, new.hash)
        if preview_id is None:
            return False
        try:
            self.queue.defer("impact.plan", queueing_lock=f"impact-preview-{preview_id}", preview=preview_id)
        except Exception:
            stored.unclaim(self.database, preview_id)
            raise
        return True

    def changed(self, preview: Preview, after: str | None = None) -> tuple[list[ChangedCase], str | None]:
        """A page of changed cases, those that would go down first, and the next page's key."""
        with self.database.reading() as tx:
            found, more = stored.listed(tx, preview.id, "changed", after)
        return [changed_from_dict(d) for d in found], more

    def cannot(self, preview: Preview) -> tuple[list[CannotEvaluate], str | None]:
        """The first page of cases one of the versions cannot evaluate."""
        with self.database.reading() as tx:
            found, more = stored.listed(tx, preview.id, "cannot")
        return [cannot_from_dict(d) for d in found], more

    def vignette_stages(self, preview: Preview) -> tuple[list[Failing], list[ChangedCase]]:
        """The vignette stages the candidate would fail, and those whose outcome changes (a few dozen at most)."""
        with self.database.reading() as tx:
            failing, _ = stored.listed(tx, preview.id, "failing", size=10_000)
            changed, _ = stored.listed(tx, preview.id, "changed", size=10_000, kind="vignette")
        return [failing_from_dict(d) for d in failing], [changed_from_dict(d) for d in changed]
