"""The schema is made by migrations only, once, by the release step: they match the models exactly, an older
database keeps every screening when upgraded (and old outcomes gain the words they show), and app instances refuse
a database the release step has not prepared, so any number of them can start at once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import text

import screening
from screening.cli import main
from screening.store import Base, Database, Screening, rulesets, schema
from screening.web import create_app
from tests.conftest import DEFAULT, prepared_database

RS = screening.load_ruleset(DEFAULT)


def test_the_migrations_make_exactly_the_models_schema(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'm.db'}")
    schema.upgrade(database)
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    assert schema.revision_of(database) == schema.newest()


def test_an_unprepared_database_is_refused_with_what_to_do(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(schema.NotPrepared, match="run `screening db upgrade`"):
        create_app({"DATABASE_URL": url, "TESTING": True})
    schema.upgrade(Database(url))
    with pytest.raises(schema.NotPrepared, match="run `screening db seed`"):
        create_app({"DATABASE_URL": url, "TESTING": True})
    listed = CliRunner().invoke(main, ["users", "list", "--database", url])
    assert listed.exit_code == 1 and "screening db seed" in listed.output


def test_the_release_step_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'release.db'}"
    runner = CliRunner()
    assert "run `screening db upgrade` first" in runner.invoke(main, ["db", "seed", "--database", url]).output
    upgraded = runner.invoke(main, ["db", "upgrade", "--database", url])
    assert upgraded.exit_code == 0 and f"at revision {schema.newest()} (was empty)" in upgraded.output
    seeded = runner.invoke(main, ["db", "seed", "--rules", str(DEFAULT), "--no-demo", "--allow-placeholder-contacts",
                                  "--database", url])  # tests/store/test_seed_placeholders.py: without it
    assert seeded.exit_code == 0 and "demo" not in seeded.output
    again = runner.invoke(main, ["db", "upgrade", "--database", url])
    assert again.exit_code == 0 and f"(was {schema.newest()})" in again.output
    assert create_app({"DATABASE_URL": url, "TESTING": True, "MODE": "demo"}) is not None


def test_an_older_database_keeps_its_screenings_and_old_outcomes_gain_their_words(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    schema.upgrade(database, to="0001")  # the first release's schema, with one of its saved outcomes
    answers = {"age": 14, "disclosure_sexual_abuse": {"answer": "yes", "when": "recent"}, "child_words": "He hurt me"}
    produced = json.loads(json.dumps(screening.evaluate(RS, answers, agency="school").to_dict()))  # as stored
    old_style = {k: v for k, v in produced.items() if k not in ("routes", "levels", "child_voice", "agency_name")}
    with database.transaction() as tx:
        rulesets.activate(tx, rulesets.add_version(tx, RS, "system", "first").id, "system", "first")
        tx.execute(text("INSERT INTO screenings (id, owner, created_at, updated_at, status, agency, answers, "
                        "pages_done, language_choices, ruleset_id, ruleset_version, ruleset_hash, outcome, "
                        "recommended_route, decision_reason, lead_consulted) VALUES ('old1', 'alex', "
                        "'2026-11-01 10:00:00', '2026-11-01 10:00:00', 'complete', 'school', :answers, '[]', '{}', "
                        ":rid, :version, :hash, :outcome, 'section_47', '', '')"),
                   {"answers": json.dumps(answers), "rid": RS.meta.id, "version": RS.meta.version,
                    "hash": RS.hash, "outcome": json.dumps(old_style)})
    schema.upgrade(database)
    with database.reading() as tx:
        kept = tx.get(Screening, "old1")
    assert kept.answers == answers and kept.recommended_route == "section_47"
    assert kept.outcome == produced  # exactly what the current engine stores for the same answers and version


def test_instances_started_together_on_a_prepared_database_all_serve(tmp_path):
    url = prepared_database(tmp_path, "shared.db")
    start = (f"from screening.web import create_app; app = create_app({{'DATABASE_URL': {url!r}}}); "
             "print(app.test_client().get('/healthz').status_code)")
    instances = [subprocess.Popen([sys.executable, "-c", start], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(4)]
    results = [process.communicate(timeout=300) for process in instances]
    assert [(p.returncode, out.strip()) for p, (out, _) in zip(instances, results, strict=True)] == [(0, "200")] * 4, \
        [err for _, err in results]


def test_a_decision_made_before_decisions_were_kept_becomes_the_first_of_its_history(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'decided.db'}")
    schema.upgrade(database, to="0002")
    produced = json.loads(json.dumps(screening.evaluate(RS, {"age": 15}, agency="gp").to_dict()))
    two_words = {**produced, "routes": [{"id": r["id"], "label": r["label"]} for r in produced["routes"]]}
    with database.transaction() as tx:
        rulesets.activate(tx, rulesets.add_version(tx, RS, "system", "first").id, "system", "first")
        tx.execute(text("INSERT INTO screenings (id, owner, created_at, updated_at, status, agency, answers, "
                        "pages_done, language_choices, ruleset_id, ruleset_version, ruleset_hash, outcome, "
                        "recommended_route, decided_route, decision, decision_reason, lead_consulted, decided_at) "
                        "VALUES ('d1', 'sam', '2026-11-01 10:00:00', '2026-11-01 11:00:00', 'complete', 'gp', "
                        "'{\"age\": 15}', '[]', '{}', :rid, :version, :hash, :outcome, 'universal', 'section_47', "
                        "'raise', 'She told me', '', '2026-11-01 10:30:00')"),
                   {"rid": RS.meta.id, "version": RS.meta.version, "hash": RS.hash, "outcome": json.dumps(two_words)})
    schema.upgrade(database)
    with database.reading() as tx:
        history = screening.store.screenings.decisions_of(tx, "d1")
        kept = tx.get(Screening, "d1")
    assert [(d.number, d.decision, d.route, d.reason, d.made_by) for d in history] == [
        (1, "raise", "section_47", "She told me", "sam")]
    assert kept.outcome == produced  # the ladder now carries each route's words and next steps
    assert kept.referrer_is_lead is None and kept.referrer_contact == ""


def test_sqlite_refuses_to_replace_an_audit_event(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'audit.db'}")
    schema.upgrade(database)
    with database.transaction() as tx:
        tx.execute(text("INSERT INTO audit_events (id, at, actor, action, record_type, record_id, detail) "
                        "VALUES (1, '2026-12-01', 'alex', 'sign_in', '', '', '{}')"))
    with pytest.raises(Exception, match="append-only"), database.transaction() as tx:
        tx.execute(text("INSERT OR REPLACE INTO audit_events (id, at, actor, action, record_type, record_id, detail) "
                        "VALUES (1, '2026-12-01', 'someone else', 'sign_in', '', '', '{}')"))
    with database.reading() as tx:
        assert tx.execute(text("SELECT actor FROM audit_events WHERE id = 1")).scalar() == "alex"
