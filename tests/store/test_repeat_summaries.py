"""Children screened again and never stepped up, read from the running changes (store/repeat_summaries.py), give the
figure the dashboard's definition gives counted straight from the screenings: for every end day across the edges of
the 12-month window, every agency and the whole partnership, and more than one ladder line."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, insert, select

from screening.store import Database, summaries
from screening.store.models import Screening
from screening.store.repeat_summaries import children_on, pieces
from tests.conftest import prepared_database

START = date(2025, 1, 1)
ROUTES = ("universal", "early_help", "child_in_need", "section_47")
RANKS = {route: n for n, route in enumerate(ROUTES)}
AGENCIES = ("school", "gp", "police")


def counted_from_rows(tx, end: date, agency: str | None, at: str) -> int:
    """The definition: children with two or more completed screenings (of `agency`) from 365 days before `end` to
    `end`, none at `at` or above by the route that counts (the decision, else the recommendation)."""
    since = datetime.combine(end - timedelta(days=365), time(0), tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC)
    route = func.coalesce(Screening.decided_route, Screening.recommended_route)
    rank = case(RANKS, value=route, else_=-1)
    children = (select(Screening.child_id)
                .where(Screening.status == "complete", Screening.child_id.is_not(None),
                       Screening.completed_at >= since, Screening.completed_at < until,
                       *([Screening.agency == agency] if agency else []))
                .group_by(Screening.child_id).having(func.count() >= 2, func.max(rank) < RANKS[at]).subquery())
    return tx.scalar(select(func.count()).select_from(children)) or 0


def screening(rng: random.Random, child: str | None, day: date) -> dict:
    done = datetime.combine(day, time(rng.randrange(24), rng.randrange(60)), tzinfo=UTC)
    decided = rng.choice([None, None, *ROUTES])
    return {"id": uuid.uuid4().hex, "owner": "test", "status": "complete", "agency": rng.choice(AGENCIES),
            "answers": {}, "pages_done": [], "language_choices": {}, "ruleset_id": "default-cse",
            "ruleset_version": "1", "ruleset_hash": "h", "recommended_route": rng.choice(ROUTES[:3] + ROUTES[:2]),
            "decided_route": decided, "decision": "raise" if decided else None, "completed_at": done,
            "created_at": done, "updated_at": done, "child_id": child, "decision_reason": "", "lead_consulted": "",
            "referrer_contact": ""}


def test_the_running_changes_give_the_definitions_figure_on_every_day(tmp_path):
    rng = random.Random(4)
    database = Database(prepared_database(tmp_path))
    children = [uuid.uuid4().hex for _ in range(25)]
    rows = []
    for child in children:  # a few screenings each, some a year apart to the day, some on the same day
        days = [START + timedelta(days=rng.randrange(800)) for _ in range(rng.randrange(1, 6))]
        days += [days[0] + timedelta(days=365), days[0] + timedelta(days=366), days[-1]][:rng.randrange(4)]
        rows += [screening(rng, child, day) for day in days]
    rows += [screening(rng, None, START + timedelta(days=rng.randrange(800))) for _ in range(10)]  # no child
    with database.transaction() as tx:
        tx.execute(insert(Screening), rows)
        summaries.rebuild(tx)
    edges = sorted({r["completed_at"].date() + timedelta(days=d) for r in rows for d in (-1, 0, 365, 366)})
    with database.reading() as tx:
        compared = 0
        for end in edges[::3]:
            for agency in (None, *AGENCIES):
                for at in ("child_in_need", "section_47"):
                    assert children_on(tx, end, agency, RANKS, at) == counted_from_rows(tx, end, agency, at), \
                        (end, agency, at)
                    compared += counted_from_rows(tx, end, agency, at) > 0
    assert compared > 50  # the comparison met children who count, not only zeros


def test_a_childs_windows_open_and_close_on_the_right_days():
    day = date(2026, 3, 1)
    found = pieces([(day, "gp", "early_help"), (day + timedelta(days=365), "school", "early_help")])
    assert found == {("*", day + timedelta(days=365), "early_help"): 1,  # the second screening: two in the window
                     ("*", day + timedelta(days=366), "early_help"): -1}  # the first has left it
    assert pieces([(day, "gp", "early_help"), (day + timedelta(days=366), "gp", "early_help")]) == {}
    twice = pieces([(day, "gp", "early_help"), (day, "gp", "section_47")])
    assert twice[("gp", day, "early_help,section_47")] == 1 and twice[("*", day, "early_help,section_47")] == 1
