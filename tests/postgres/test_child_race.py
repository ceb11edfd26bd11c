"""On PostgreSQL (where writes really run side by side): eight callers filing the same new NHS number at the same
moment, through the API and through the web child step. Every call succeeds, exactly one record holds the number,
and every screening is found from that record: a child's record is never split, and never kept without the
identifier it came with. `make fuzz` runs 20 trials of each (SCREENING_RACE_TRIALS); `make test` runs 3."""

from __future__ import annotations

import itertools
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from screening.store import children
from screening.store.models import Child, Screening
from screening.web import create_app
from tests.conftest import prepared_database
from tests.web.conftest import Practitioner, signed_in_client
from tests.web.test_api import token

CALLERS = 8
TRIALS = int(os.environ.get("SCREENING_RACE_TRIALS", "3"))
_SERIALS = itertools.count(400_000_001)


def new_nhs_number() -> str:
    """A valid NHS number (modulus 11 check digit) not used before in this run."""
    while True:
        digits = [int(d) for d in f"{next(_SERIALS):09d}"]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check % 11)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app({"DATABASE_URL": prepared_database(tmp_path_factory.mktemp("race")), "TESTING": True,
                      "API_CALLS_PER_MINUTE": 100_000})
    yield app
    app.extensions["db"].engine.dispose()


def all_at_once(calls) -> list:
    """Run the calls on their own threads, released together by a barrier (no sleeps, no timing)."""
    gate = threading.Barrier(len(calls))

    def run(call):
        gate.wait()
        return call()
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def assert_one_record_holds(app, nhs: str, screening_ids: list[str]) -> None:
    with app.extensions["db"].reading() as tx:
        from screening.identifiers import Identity
        holders = children.exact_matches(tx, app.extensions["keys"], Identity(nhs=nhs))
        assert len(holders) == 1, holders
        (record,) = holders
        linked = set(tx.scalars(select(Screening.child_id).where(Screening.id.in_(screening_ids))))
        assert linked == {record}  # every screening is found from the one record
        orphans = tx.scalar(select(func.count()).select_from(Child).where(
            Child.id.not_in(select(Screening.child_id).where(Screening.child_id.is_not(None)))))
        assert orphans == 0  # no record left behind without a screening


@pytest.mark.parametrize("trial", range(TRIALS))
def test_the_api_files_one_record_per_new_child(app, trial):
    nhs, headers = new_nhs_number(), token(app, name=f"race-{trial}")
    body = {"answers": {"age": 14, "disclosure_sexual_abuse": "yes"}, "child": {"nhs": nhs}}
    client = app.test_client
    replies = all_at_once([lambda: client().post("/api/v1/screenings", json=body, headers=headers)] * CALLERS)
    assert [r.status_code for r in replies] == [201] * CALLERS, [r.text[:200] for r in replies]
    assert all(r.json["child"]["linked"] for r in replies)
    assert_one_record_holds(app, nhs, [r.json["id"] for r in replies])


@pytest.mark.parametrize("trial", range(TRIALS))
def test_the_child_step_links_one_record_per_new_child(app, trial):
    nhs = new_nhs_number()
    callers = [Practitioner(signed_in_client(app)) for _ in range(CALLERS)]
    for caller in callers:
        caller.start()
    replies = all_at_once([lambda c=c: c.post(f"/screenings/{c.sid}/child", {"nhs": nhs}) for c in callers])
    assert [r.status_code for r in replies] == [302] * CALLERS, [r.text[:200] for r in replies]
    # linked, none asked to identify the child again: on to the referral's details the new record lacks
    assert all(r.location.endswith("/child/details") for r in replies), [r.location for r in replies]
    assert_one_record_holds(app, nhs, [c.sid for c in callers])
