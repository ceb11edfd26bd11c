"""Migration 0018 fills the new tallies (what follows a referral, children screened again, the counts by month) from
the rows a database already holds: afterwards every tally equals a recount. On SQLite, and on PostgreSQL in the
PostgreSQL leg (SCREENING_TEST_DATABASE_URL)."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy import insert

from screening.store import schema, summaries
from screening.store.models import Challenge, FiredRule, MeetingRecord, ReferralResponse, Screening
from tests.store.test_referral_response_upgrade import empty_database  # noqa: F401  (a fixture)
from tests.store.test_repeat_summaries import START, screening

MEETING = {"strategy_meeting": {"invitees": [{"role": "Police", "why": "intelligence"}]}}


def test_the_new_tallies_are_filled_from_the_rows_already_stored(empty_database):  # noqa: F811
    schema.upgrade(empty_database, to="0017")
    rng = random.Random(9)
    children = [uuid.uuid4().hex for _ in range(8)]
    rows = [screening(rng, rng.choice(children), START + timedelta(days=rng.randrange(500))) for _ in range(40)]
    for row in rows:
        row["outcome"] = MEETING
    ids = [row["id"] for row in rows]
    with empty_database.transaction() as tx:
        tx.execute(insert(Screening), rows)
        tx.execute(insert(FiredRule), [{"screening_id": sid, "rule_id": "amber_indicator"} for sid in ids])
        tx.execute(insert(ReferralResponse), [{"screening_id": row["id"], "due_at": row["completed_at"] + timedelta(
            days=1), "decision": "" if n % 3 else "early_help", "updated_by": "x", "updated_at": row["completed_at"]}
            for n, row in enumerate(rows)])
        tx.execute(insert(Challenge), [{"screening_id": sid, "stage": 1, "to_whom": "Manager", "raised_on": START,
                                        "resolved": n % 2 == 0, "made_by": "x"} for n, sid in enumerate(ids[:10])])
        tx.execute(insert(MeetingRecord), [{"screening_id": sid, "version": 1, "status": "final", "made_by": "x",
                                            "record": {"attendance": {"Police": "attended"}, "child_view": ""}}
                                           for sid in ids[:6]])
        summaries.rebuild(tx, (summaries.SCREENINGS, summaries.RULES))  # as the app kept them since 0016
    schema.upgrade(empty_database)
    with empty_database.reading() as tx:
        stored = summaries.stored(tx)
        assert stored == summaries.recount(tx)
    kinds = dict(zip(summaries.KINDS, stored, strict=True))
    assert all(kinds[kind] for kind in (summaries.FOLLOWUP, summaries.AWAITING, summaries.REPEATS,
                                        summaries.SCREENING_MONTHS, summaries.RULE_MONTHS))
