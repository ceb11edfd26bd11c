"""`screening demo simulate`: a partnership whose outcomes are the rules' own (whole, or trimmed for the benches),
with the mix a dashboard needs (routes across the ladder, children screened more than once by several agencies,
decisions, late responses, meetings), its tallies agreeing with a recount, a second run adding to the first, the
same partnership from the same seed, and refused in production mode."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import func, select

from screening.cli import main
from screening.engine import evaluate
from screening.store import Database, schema, summaries
from screening.store.models import Child, ChildKey, FiredRule, MeetingRecord, ReferralResponse, Screening
from screening.store.sealing import keys_from, new_keys
from screening.store.simulate import simulate
from tests.conftest import DEFAULT, prepared_database

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _simulated(tmp_path, n: int, seed: int = 7) -> Database:
    tmp_path.mkdir(parents=True, exist_ok=True)
    database = Database(prepared_database(tmp_path))
    made = new_keys()
    simulate(database, _rules(database), keys_from(made["identity"], made["index"]), n, random.Random(seed), now=NOW)
    return database


def _rules(database: Database):
    from screening.store import rulesets

    with database.reading() as tx:
        return rulesets.active_ruleset(tx)


def test_a_simulated_partnership_has_what_the_dashboard_counts(tmp_path):
    database = _simulated(tmp_path, 600)
    rs = _rules(database)
    with database.reading() as tx:
        rows = list(tx.scalars(select(Screening)))
        assert len(rows) == 600 and all(r.status == "complete" for r in rows)
        assert {r.recommended_route for r in rows} >= {"early_help", "child_in_need", "section_47"}
        assert len({r.agency for r in rows}) >= 5
        for row in rows[:40]:  # each outcome is what the rules make of its answers
            assert evaluate(rs, row.answers, agency=row.agency).route == row.recommended_route
        linked = [r for r in rows if r.child_id]
        by_child = {c: {r.agency for r in linked if r.child_id == c} for c in {r.child_id for r in linked}}
        assert any(len(agencies) >= 2 for agencies in by_child.values())  # histories across agencies
        assert tx.scalar(select(func.count()).select_from(Child)) == 120
        assert {r.decision for r in rows} >= {"agree", "raise", "lower", None}
        responses = list(tx.scalars(select(ReferralResponse)))
        assert responses and any(r.decision for r in responses)
        assert any(not r.decision and r.due_at and r.due_at.replace(tzinfo=UTC) < NOW for r in responses)
        assert tx.scalar(select(func.count()).select_from(MeetingRecord)) > 0
        assert {r.owner for r in rows} == {"simulated"}
        assert summaries.stored(tx) == summaries.recount(tx)


def test_the_same_seed_makes_the_same_partnership(tmp_path):
    def routes(database: Database) -> list[tuple[str, str]]:
        with database.reading() as tx:
            return sorted((str(r.completed_at), r.recommended_route) for r in tx.scalars(select(Screening)))
    assert routes(_simulated(tmp_path / "a", 80, seed=3)) == routes(_simulated(tmp_path / "b", 80, seed=3))


def test_a_second_simulation_adds_to_the_first_and_the_tallies_follow(tmp_path):
    database = _simulated(tmp_path, 100)
    made = new_keys()
    simulate(database, _rules(database), keys_from(made["identity"], made["index"]), 150, random.Random(8), now=NOW)
    with database.reading() as tx:
        assert tx.scalar(select(func.count()).select_from(Screening)) == 250
        assert tx.scalar(select(func.count()).select_from(Child)) == 50
        nhs = list(tx.scalars(select(ChildKey.digest).where(ChildKey.kind == "nhs")))
        assert len(nhs) == len(set(nhs)) == 50  # each child their own NHS number
        assert summaries.stored(tx) == summaries.recount(tx)


def test_trimmed_outcomes_keep_the_rules_route_rules_and_meeting(tmp_path):
    tmp_path.mkdir(parents=True, exist_ok=True)
    database = Database(prepared_database(tmp_path))
    rs, made = _rules(database), new_keys()
    simulate(database, rs, keys_from(made["identity"], made["index"]), 300, random.Random(5), trim_outcomes=True,
             now=NOW)
    with database.reading() as tx:
        fired: dict[str, set[str]] = {}
        for sid, rule in tx.execute(select(FiredRule.screening_id, FiredRule.rule_id)):
            fired.setdefault(sid, set()).add(rule)
        rows = list(tx.scalars(select(Screening)))
    meetings = 0
    for row in rows:
        full = evaluate(rs, row.answers, agency=row.agency)
        assert row.recommended_route == row.outcome["route"] == full.route
        assert row.outcome["risk_level"] == full.risk_level and row.outcome["agency"] == row.agency
        assert fired.get(row.id, set()) == {f.rule for f in full.findings}
        meeting = row.outcome["strategy_meeting"]
        assert meeting["required"] == full.strategy_meeting.required
        if meeting["required"]:
            meetings += 1
            assert [i["role"] for i in meeting["invitees"]] == [i.role for i in full.strategy_meeting.invitees]
    assert meetings and len(rows) == 300


def test_the_command_fills_a_demo_database_and_refuses_a_production_one(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    schema.prepare(Database(url), DEFAULT, demo=True)
    monkeypatch.setenv("SCREENING_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    done = runner.invoke(main, ["demo", "simulate", "--screenings", "50", "--database", url])
    assert done.exit_code == 0, done.output
    assert "simulated 50 screenings of 10 children" in done.output and "SIMULATED" in done.output
    monkeypatch.setenv("SCREENING_MODE", "production")
    refused = runner.invoke(main, ["demo", "simulate", "--screenings", "50", "--database", url])
    assert refused.exit_code != 0 and "production" in refused.output
