"""`screening diff --database`: every stored screening's answers are compared under the old and new rules."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from screening.cli import main
from screening.cli.diff import screenings_from_database
from screening.store import Database, Screening, schema
from tests.conftest import TINY

TEXT = (TINY / "ruleset.yaml").read_text(encoding="utf-8")
SAFE = {"disclosure": "no", "danger_now": "no"}
STORED = {
    "down": ("complete", "school", {**SAFE, "age": 14, "missing_90d": 4}),  # child_in_need under the tiny rules
    "same": ("complete", "gp", {**SAFE, "age": 15, "danger_now": "yes"}),
    "draft": ("draft", None, {"age": 9, "words": "Said little"}),
}


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'screenings.db'}"
    database = Database(url)
    schema.upgrade(database)
    with database.transaction() as tx:
        for sid, (status, agency, answers) in STORED.items():
            tx.add(Screening(id=sid, owner="alex", status=status, agency=agency, answers=answers, ruleset_id="tiny",
                             ruleset_version="0.1", ruleset_hash="0" * 64))
    database.engine.dispose()
    return url


def candidate(tmp_path, old: str, new: str):
    assert old in TEXT
    path = tmp_path / "candidate.yaml"
    path.write_text(TEXT.replace(old, new), encoding="utf-8")
    return path


def diff(*args):
    return CliRunner().invoke(main, ["diff", *[str(a) for a in args], "--no-vignettes"])


def test_stored_screenings_are_read_as_cases(db_url):
    cases = {c.id: c for c in screenings_from_database(db_url)}
    assert set(cases) == set(STORED)
    assert cases["draft"].kind == "screening" and cases["draft"].label == "Screening draft (draft)"
    assert cases["down"].agency == "school" and dict(cases["down"].answers) == STORED["down"][2]


def test_a_stored_screening_going_down_fails_the_diff(db_url, tmp_path):
    new = candidate(tmp_path, "{fact: missing_90d, at_least: 3}", "{fact: missing_90d, at_least: 5}")
    result = diff(TINY, new, "--database", db_url)
    assert result.exit_code == 1, result.output
    assert "!!!   down: route child_in_need -> universal" in result.stdout
    assert "Screening down (complete)" in result.stdout


def test_nothing_going_down_passes(db_url, tmp_path):
    new = candidate(tmp_path, "{fact: missing_90d, at_least: 3}", "{fact: missing_90d, at_least: 2}")
    result = diff(TINY, new, "--database", db_url, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totals"]["cases"] == 3 and data["totals"]["changed"] == 0 and data["down"] == []


def test_a_stored_screening_the_new_rules_cannot_evaluate_fails_the_diff(db_url, tmp_path):
    words = "  - {id: words, section: about_child, type: text, label: The child's words, max_length: 50}\n"
    result = diff(TINY, candidate(tmp_path, words, ""), "--database", db_url)
    assert result.exit_code == 1
    assert "!!!   draft: cannot evaluate under the new rules: words: there is no such question" in result.stdout


def test_a_missing_database_file_is_an_error_not_a_new_database(tmp_path):
    result = diff(TINY, TINY, "--database", f"sqlite:///{tmp_path / 'nothing' / 'here.db'}")
    assert result.exit_code == 1 and "no database file" in result.output
    assert not (tmp_path / "nothing").exists()


def test_a_database_without_tables_is_a_readable_error(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = diff(TINY, TINY, "--database", f"sqlite:///{empty}")
    assert result.exit_code == 1 and "cannot read stored screenings" in result.output
