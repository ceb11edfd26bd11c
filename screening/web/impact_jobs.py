"""Impact previews run in the background so the browser can show progress. The job (its progress and its report)
lives in the database, one per (active, candidate) pair of hashes, so every app instance shows the same job and
only the first to be asked runs it (screening/store/impact_jobs.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import RuleSet
from ..store import impact_jobs as stored
from ..store.screenings import stored_answers
from ..tools.impact import ImpactReport, cases_from_screenings, cases_from_vignettes, compare, report_from_dict
from ..tools.robustness import Robustness, check_robustness
from ..tools.vignettes import Vignette

Spawn = Callable[[Callable[[], None]], None]
EVERY = 200  # cases between progress updates in the database


def in_thread(work: Callable[[], None]) -> None:
    """Run `work` in a daemon thread (the default way a job runs)."""
    threading.Thread(target=work, daemon=True, name="impact-preview").start()


@dataclass(frozen=True)
class JobState:
    """A job as it is now: a page decides and renders from one state, never from two."""

    total: int
    done: int
    report: ImpactReport | None
    error: str
    robustness: tuple[Robustness, Robustness] | None = None  # (active, candidate) over the vignette stages

    @property
    def finished(self) -> bool:
        return self.report is not None or bool(self.error)


class ImpactJobs:
    """`spawn` runs a job's work; tests pass one that holds the work until they release it."""

    def __init__(self, database, vignettes: Mapping[str, Vignette], spawn: Spawn = in_thread):
        self.database, self.vignettes, self.spawn = database, vignettes, spawn

    def find(self, old: RuleSet, new: RuleSet) -> JobState | None:
        """The state of the job comparing `old` with `new`, if any instance has started one."""
        with self.database.reading() as tx:
            job = stored.find(tx, old.hash, new.hash)
            if job is None:
                return None
            report = report_from_dict(job.report) if job.report else None
            return JobState(job.total, job.done, report, job.error, _robustness(job.report or {}))

    def start(self, old: RuleSet, new: RuleSet) -> bool:
        """Start the job comparing `old` with `new` unless one is running or done; True if this call started it."""
        if not stored.claim(self.database, old.hash, new.hash):
            return False
        self.spawn(lambda: self._run(old, new))
        return True

    def _run(self, old: RuleSet, new: RuleSet) -> None:
        keys = (old.hash, new.hash)
        try:
            stages = cases_from_vignettes(self.vignettes.values())
            cases = stages + cases_from_screenings(stored_answers(self.database))
            stored.progress(self.database, *keys, 0, len(cases))
            report = compare(old, new, cases, every=EVERY,
                             progress=lambda done, total: stored.progress(self.database, *keys, done, total))
            robustness = {"active": check_robustness(old, stages).to_dict(),  # the vignette stages only: a few hundred
                          "candidate": check_robustness(new, stages).to_dict()}  # evaluations, not one per screening
            stored.finish(self.database, *keys, {**report.to_dict(), "robustness": robustness})
        except Exception as exc:  # noqa: BLE001 - shown to the lead; the preview must never fail silently
            stored.finish(self.database, *keys, None, f"{type(exc).__name__}: {exc}")


def _robustness(report: Mapping[str, Any]) -> tuple[Robustness, Robustness] | None:
    """The active and the candidate version's robustness as the job stored them; None in a report stored before
    it was counted."""
    both = report.get("robustness")
    return (Robustness.from_dict(both["active"]), Robustness.from_dict(both["candidate"])) if both else None
