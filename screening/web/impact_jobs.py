"""Impact previews run in a background thread per app instance, so the browser can show progress.

A job is keyed by the (active, candidate) hashes; its report is kept until the active version changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..impact import Case, ImpactReport, cases_from_vignettes, compare
from ..model import RuleSet
from ..store.screenings import stored_answers


@dataclass
class Job:
    total: int = 0
    done: int = 0
    report: ImpactReport | None = None
    error: str = ""
    thread: threading.Thread | None = None

    @property
    def finished(self) -> bool:
        return self.report is not None or bool(self.error)


class ImpactJobs:
    def __init__(self, database, vignettes: dict):
        self.database, self.vignettes = database, vignettes
        self.jobs: dict[tuple[str, str], Job] = {}
        self.guard = threading.Lock()

    def start(self, old: RuleSet, new: RuleSet) -> Job:
        """The job comparing `old` with `new`, started if it is not already running or done."""
        key = (old.hash, new.hash)
        with self.guard:
            job = self.jobs.get(key)
            if job is None or job.error:
                job = self.jobs[key] = Job()
                job.thread = threading.Thread(target=self._run, args=(job, old, new), daemon=True)
                job.thread.start()
        return job

    def _run(self, job: Job, old: RuleSet, new: RuleSet) -> None:
        try:
            cases = cases_from_vignettes(self.vignettes.values()) + self._stored_cases()
            job.total = len(cases)
            job.report = compare(old, new, cases, progress=lambda done, total: setattr(job, "done", done))
            job.done = job.total
        except Exception as exc:  # noqa: BLE001 - shown to the lead; the preview must never fail silently
            job.error = f"{type(exc).__name__}: {exc}"

    def _stored_cases(self) -> list[Case]:
        """Every stored screening, drafts included (as `screening diff --database` does)."""
        return [Case(sid, "screening", f"Screening {sid[:8]} ({status})", agency, answers)
                for sid, status, agency, answers in stored_answers(self.database)]
