"""Impact previews on the job queue (screening/jobs, ADR 0027): the report from batches, however the batches are
shared out among workers and however often one runs, is the report of comparing every case at once; the preview
is one per pair of versions across instances; a failure is said, and the preview can be asked for again."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from screening.jobs import JobQueue
from screening.jobs.tasks import batch_result
from screening.store import Database, rulesets
from screening.store import impact_previews as stored
from screening.store.models import ImpactBatch, ImpactPreview
from screening.store.screenings import stored_answers, stored_answers_between
from screening.store.sealing import keys_from, new_keys
from screening.store.simulate import simulate
from screening.tools.impact import cases_from_screenings, cases_from_vignettes, compare
from screening.tools.vignettes import load_vignettes
from screening.web.impact_previews import ImpactPreviews
from tests.conftest import ROOT, prepared_database, run_burst_worker

VIGNETTES = str(ROOT / "rules" / "vignettes")
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
STRICTER = ("when: {count: present, level: amber, at_least: 1}", "when: {count: present, level: amber, at_least: 2}")


@pytest.fixture(scope="module")
def partnership(tmp_path_factory):
    """A database with 150 simulated screenings (children seen by several agencies), the default rules active and
    a stricter candidate stored beside them."""
    url = prepared_database(tmp_path_factory.mktemp("previews"))
    database = Database(url)
    with database.reading() as tx:
        old = rulesets.active_ruleset(tx)
    made = new_keys()
    simulate(database, old, keys_from(made["identity"], made["index"]), 150, random.Random(11), now=NOW)
    new = rulesets.parse({name.rsplit("/", 1)[-1]: text.replace(*STRICTER) for name, text in old.sources})
    with database.transaction() as tx:
        rulesets.add_version(tx, new, "demo-lead", "one amber sign alone no longer early help")
    return url, old, new


def everything_at_once(url: str, old, new):
    """The report of comparing every vignette stage and stored screening in one go, as before batches."""
    stages = cases_from_vignettes(load_vignettes(VIGNETTES, old))
    return compare(old, new, stages + cases_from_screenings(stored_answers(Database(url))), workers=1)


def shown(url: str, old, new) -> dict:
    """What the lead's page reads of the finished preview: totals, transitions and every listed case."""
    database = Database(url)
    previews = ImpactPreviews(database, JobQueue(url))
    preview = previews.find(old, new)
    assert preview is not None and preview.status == "done", preview
    changed, after = previews.changed(preview)
    while after:
        more, after = previews.changed(preview, after)
        changed += more
    failing, _ = previews.vignette_stages(preview)
    return {"totals": preview.totals, "rows": preview.rows, "changed": sorted(c.to_dict()["id"] for c in changed),
            "down_first": [c.down for c in changed], "failing": sorted(f.case.id for f in failing)}


def expected(report) -> dict:
    return {"totals": stored.Totals(report.total, report.transitions, len(report.changed), len(report.down),
                                    len(report.cannot_evaluate), len(report.failing)),
            "rows": report.rows, "changed": sorted(c.case.id for c in report.changed),
            "down_first": sorted((c.down for c in report.changed), reverse=True),
            "failing": sorted(f.case.id for f in report.failing)}


def start(url: str, old, new) -> bool:
    return ImpactPreviews(Database(url), JobQueue(url)).start(old, new)


def forget(url: str) -> None:
    with Database(url).transaction() as tx:
        for preview in tx.scalars(select(ImpactPreview)):
            stored._forget_batches(tx, preview.id)  # noqa: SLF001 - a test resetting the tables
            tx.delete(preview)


def test_a_preview_in_batches_is_the_report_of_every_case_at_once(partnership):
    url, old, new = partnership
    forget(url)
    assert start(url, old, new) is True
    assert start(url, old, new) is False  # asked for again (another instance, a second click): the same one
    run_burst_worker(url, batch_size=20)
    truth = everything_at_once(url, old, new)
    assert truth.changed and truth.down, "the stricter rule changes and lowers some cases"
    assert shown(url, old, new) == expected(truth)
    with Database(url).reading() as tx:
        batches = tx.scalars(select(ImpactBatch)).all()
    assert len(batches) == 1 + 150 // 20 + 1  # the vignette stages, then screenings 20 at a time
    assert all(b.done and b.ran_by for b in batches)


def test_batches_run_in_any_order_and_twice_count_once(partnership):
    url, old, new = partnership
    forget(url)
    database = Database(url)
    start(url, old, new)
    with database.reading() as tx:
        preview_id = stored.find(tx, old.hash, new.hash).id
    stages = cases_from_vignettes(load_vignettes(VIGNETTES, old))
    count = stored.plan(database, preview_id, len(stages), stored.screening_ranges(database, 30))
    for number in [*reversed(range(count)), 2, 0]:  # last first; two of them again (a worker killed after saving)
        with database.reading() as tx:
            batch = stored.batch(tx, preview_id, number)
        cases = stages if number == 0 else cases_from_screenings(
            stored_answers_between(database, batch.first_id, batch.last_id))
        stored.save_batch(database, preview_id, number, batch_result(compare(old, new, cases, workers=1)))
    assert shown(url, old, new) == expected(everything_at_once(url, old, new))


def test_two_worker_processes_share_a_preview_and_give_the_same_report(partnership):
    url, old, new = partnership
    forget(url)
    start(url, old, new)
    env = {**os.environ, "DATABASE_URL": url, "VIGNETTES_PATH": VIGNETTES}
    command = [sys.executable, "-m", "screening.cli", "worker", "--burst", "--batch-size", "10"]
    workers = [subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for w in workers:
        _, said = w.communicate(timeout=600)
        assert w.returncode == 0, said
    with Database(url).reading() as tx:
        ran_by = {b.ran_by for b in tx.scalars(select(ImpactBatch))}
    assert len(ran_by) in (1, 2) and all(ran_by)  # whichever took which batch
    assert shown(url, old, new) == expected(everything_at_once(url, old, new))


def test_a_failed_preview_says_why_and_can_be_asked_for_again(partnership):
    url, old, new = partnership
    forget(url)
    start(url, old, new)
    with Database(url).reading() as tx:
        preview_id = stored.find(tx, old.hash, new.hash).id
    stored.fail(Database(url), preview_id, "RuntimeError: the worker ran out of memory")
    previews = ImpactPreviews(Database(url), JobQueue(url))
    failed = previews.find(old, new)
    assert failed.finished and failed.error == "RuntimeError: the worker ran out of memory" and failed.totals is None
    run_burst_worker(url)  # the queued job finds its preview failed: it keeps nothing
    assert previews.find(old, new).status == "failed"
    assert previews.start(old, new) is True  # asked for again: a new run
    run_burst_worker(url)
    assert previews.find(old, new).status == "done"
