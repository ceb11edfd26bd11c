"""Impact previews run in the background, one job per (active, candidate) pair of hashes per app instance, so the
browser can show progress. A job's report is kept until the app stops."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..model import RuleSet
from ..store.screenings import stored_answers
from ..tools.impact import ImpactReport, cases_from_screenings, cases_from_vignettes, compare
from ..tools.vignettes import Vignette

Spawn = Callable[[Callable[[], None]], None]


def in_thread(work: Callable[[], None]) -> None:
    """Run `work` in a daemon thread (the default way a job runs)."""
    threading.Thread(target=work, daemon=True, name="impact-preview").start()


@dataclass
class Job:
    """A running or finished comparison; its worker thread updates it, so read it through `snapshot()`."""

    total: int = 0
    done: int = 0
    report: ImpactReport | None = None
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.report is not None or bool(self.error)

    def snapshot(self) -> JobState:
        """The job as it is now, unchanging: a page decides and renders from one state, never from two."""
        return JobState(self.total, self.done, self.report, self.error)


@dataclass(frozen=True)
class JobState:
    total: int
    done: int
    report: ImpactReport | None
    error: str

    @property
    def finished(self) -> bool:
        return self.report is not None or bool(self.error)


class ImpactJobs:
    """`spawn` runs a job's work; tests pass one that holds the work until they release it."""

    def __init__(self, database, vignettes: Mapping[str, Vignette], spawn: Spawn = in_thread):
        self.database, self.vignettes, self.spawn = database, vignettes, spawn
        self.jobs: dict[tuple[str, str], Job] = {}
        self.guard = threading.Lock()

    def find(self, old: RuleSet, new: RuleSet) -> JobState | None:
        """The state of the job comparing `old` with `new`, if one was started here."""
        job = self.jobs.get((old.hash, new.hash))
        return job.snapshot() if job is not None else None

    def start(self, old: RuleSet, new: RuleSet) -> Job:
        """The job comparing `old` with `new`, started if it is not already running or done."""
        key = (old.hash, new.hash)
        with self.guard:
            existing = self.jobs.get(key)
            if existing is not None and not existing.error:
                return existing
            job = self.jobs[key] = Job()
        self.spawn(lambda: self._run(job, old, new))
        return job

    def _run(self, job: Job, old: RuleSet, new: RuleSet) -> None:
        try:
            cases = cases_from_vignettes(self.vignettes.values()) + cases_from_screenings(stored_answers(self.database))
            job.total = len(cases)
            job.report = compare(old, new, cases, progress=lambda done, total: setattr(job, "done", done))
            job.done = job.total
        except Exception as exc:  # noqa: BLE001 - shown to the lead; the preview must never fail silently
            job.error = f"{type(exc).__name__}: {exc}"
