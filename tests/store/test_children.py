"""Child records in the database (SQLite, and PostgreSQL in the PostgreSQL leg): sealed identities and their keys,
one record per exact identifier, merges, the record history reads, and retention."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from screening import load_ruleset
from screening.cli.admin import purge as purge_cli
from screening.cli.children import children as children_cli
from screening.identifiers import Identity
from screening.store import Database, Screening, children, sealing
from screening.store.models import Child, ChildKey
from tests.conftest import DEFAULT, prepared_database

RS = load_ruleset(DEFAULT)
_KEY = sealing.new_keys()["identity"]
KEYS = sealing.keys_from(_KEY, sealing.new_keys()["index"])
JAS = Identity(nhs="9434765919", given="Jasmine", family="Featherstonehaugh", born=date(2012, 3, 3))


@pytest.fixture
def db(tmp_path):
    return Database(prepared_database(tmp_path, "children.db"))


def screened(tx, child_id: str | None, agency: str = "school", days_ago: int = 1, **answers) -> Screening:
    done = datetime.now(UTC) - timedelta(days=days_ago)
    found = Screening(owner="alex", answers=answers, pages_done=[], ruleset_id="r", ruleset_version="1",
                      ruleset_hash="h", status="complete", agency=agency, child_id=child_id, completed_at=done,
                      updated_at=done, recommended_route="early_help")
    tx.add(found)
    tx.flush()
    return found


def test_an_identity_is_sealed_and_read_back_and_keys_rotate():
    token = KEYS.seal(JAS)
    assert "Jasmine" not in token and "9434765919" not in token
    assert KEYS.unseal(token) == JAS
    newer = sealing.new_keys()["identity"]
    rotated = sealing.keys_from(f"{newer},{_KEY}", sealing.new_keys()["index"])  # the new key first, the old after
    assert rotated.unseal(token) == JAS
    resealed = rotated.reseal(token)
    assert sealing.keys_from(newer, sealing.new_keys()["index"]).unseal(resealed) == JAS  # the old key is not needed
    with pytest.raises(sealing.KeysMissing, match="cannot be read"):
        sealing.keys_from(newer, sealing.new_keys()["index"]).unseal(token)


@pytest.mark.parametrize(("identity", "index", "why"), [
    ("", "", "are required"), ("not-a-key", "x" * 44, "cannot be read"),
    (_KEY, "c2hvcnQ=", "are required"),  # an index key of 5 bytes
])
def test_keys_that_cannot_be_used_are_refused_with_how_to_make_them(identity, index, why):
    with pytest.raises(sealing.KeysMissing, match=why) as caught:
        sealing.keys_from(identity, index)
    assert "screening children new-keys" in str(caught.value)


def test_the_blind_index_depends_on_the_key():
    other = sealing.keys_from(_KEY, sealing.new_keys()["index"])
    assert KEYS.blind("nhs", "9434765919") != other.blind("nhs", "9434765919")
    assert len(KEYS.blind("nhs", "9434765919")) == 64


@pytest.mark.hazard("H-02")
def test_an_exact_identifier_belongs_to_one_record(db):
    with db.transaction() as tx:
        first = children.add(tx, KEYS, JAS)
        assert children.add(tx, KEYS, Identity(nhs="9434765919", given="Other", born=date(2011, 1, 1))) is None
        assert children.exact_matches(tx, KEYS, Identity(nhs="9434765919")) == {first.id}
        assert tx.scalar(select(func.count()).select_from(Child)) == 1  # no record kept without its identifier
        second = children.add(tx, KEYS, Identity(upn="B801200005001"))
    with pytest.raises(IntegrityError), db.transaction() as tx:  # the database refuses a second holder too
        tx.add(ChildKey(child_id=second.id, kind="nhs", digest=KEYS.blind("nhs", "9434765919")))


def test_names_and_dates_of_birth_offer_candidates_with_their_screenings(db):
    with db.transaction() as tx:
        jas = children.add(tx, KEYS, JAS)
        screened(tx, jas.id)
        offered = children.candidates(tx, KEYS, Identity(given="JASMINE", family="Smith", born=date(2012, 3, 3)))
        assert [(c.child_id, c.masked, c.screenings) for c in offered] == [(jas.id, "J... F...", 1)]
        assert children.candidates(tx, KEYS, Identity(given="Jasmine", family="F", born=date(2012, 3, 4))) == []


def test_a_merge_counts_both_records_and_can_be_undone(db):
    with db.transaction() as tx:
        keep, other = children.add(tx, KEYS, JAS), children.add(tx, KEYS, Identity(upn="B801200005001"))
        screened(tx, keep.id, "school", 30)
        screened(tx, other.id, "police", 20)
        with pytest.raises(children.CannotMerge):
            children.merge(tx, keep.id, keep.id)
        children.merge(tx, keep.id, other.id)
        with pytest.raises(children.CannotMerge, match="already merged"):
            children.merge(tx, other.id, keep.id)
        assert children.root_of(tx, other.id) == keep.id
        assert children.exact_matches(tx, KEYS, Identity(upn="B801200005001")) == {keep.id}
        record = children.record_of(tx, RS, other.id, datetime.now(UTC))
        assert sorted(e.agency for e in record.earlier) == ["police", "school"]
        assert children.undo_merge(tx, other.id) == keep.id
        assert [e.agency for e in children.record_of(tx, RS, keep.id, datetime.now(UTC)).earlier] == ["school"]


def test_the_record_holds_only_what_was_completed_before_and_only_what_history_reads(db):
    with db.transaction() as tx:
        child = children.add(tx, KEYS, JAS)
        screened(tx, child.id, "gp", 5, missing_episodes_90d=4, concern_summary="FREE TEXT")
        later = screened(tx, child.id, "police", 0)
        record = children.record_of(tx, RS, child.id, datetime.now(UTC) - timedelta(days=2), leave_out=later.id)
    assert [e.agency for e in record.earlier] == ["gp"]
    assert record.earlier[0].answers == {"missing_episodes_90d": 4}


def test_purge_deletes_child_records_left_without_screenings(db, monkeypatch):
    url = db.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("SCREENING_IDENTITY_KEYS", _KEY)  # the purge reads dates of birth
    monkeypatch.setenv("SCREENING_INDEX_KEY", sealing.new_keys()["index"])
    grown_up = Identity(nhs="9434765919", born=date(1990, 3, 3))  # 25 years from birth passed in 2015
    with db.transaction() as tx:
        old, kept = children.add(tx, KEYS, grown_up), children.add(tx, KEYS, Identity(upn="B801200005001"))
        merged = children.add(tx, KEYS, Identity(la="LA7"))
        screened(tx, old.id, days_ago=900)
        screened(tx, kept.id, days_ago=10)
        children.merge(tx, kept.id, merged.id)  # no screening of its own, but part of a kept record
    result = CliRunner().invoke(purge_cli, ["--older-than-days", "730", "--yes", "--database", url])
    assert result.exit_code == 0, result.output
    assert "and 1 child record(s) left without a screening" in result.output
    with db.reading() as tx:
        assert set(tx.scalars(select(Child.id))) == {kept.id, merged.id}
        assert tx.scalar(select(func.count()).select_from(ChildKey).where(ChildKey.child_id == old.id)) == 0


def test_rotate_and_reindex_from_the_command_line(db, monkeypatch):
    url = db.engine.url.render_as_string(hide_password=False)
    first = sealing.new_keys()
    monkeypatch.setenv("SCREENING_IDENTITY_KEYS", first["identity"])
    monkeypatch.setenv("SCREENING_INDEX_KEY", first["index"])
    with db.transaction() as tx:
        child = children.add(tx, sealing.keys_from(first["identity"], first["index"]), JAS)
    made = CliRunner().invoke(children_cli, ["new-keys"])
    newer = dict(line.split("=", 1) for line in made.output.split())
    monkeypatch.setenv("SCREENING_IDENTITY_KEYS", f"{newer['SCREENING_IDENTITY_KEYS']},{first['identity']}")
    monkeypatch.setenv("SCREENING_INDEX_KEY", newer["SCREENING_INDEX_KEY"])
    for command, said in (("rotate-keys", "re-sealed 1 child record(s)"),
                          ("reindex", "rebuilt the blind indexes of 1")):
        result = CliRunner().invoke(children_cli, [command, "--database", url])
        assert result.exit_code == 0 and said in result.output, result.output
    now = sealing.keys_from(newer["SCREENING_IDENTITY_KEYS"], newer["SCREENING_INDEX_KEY"])
    with db.reading() as tx:
        assert now.unseal(tx.get(Child, child.id).identity) == JAS  # without the first key
        assert children.exact_matches(tx, now, Identity(nhs="9434765919")) == {child.id}


def test_impact_previews_read_each_record_as_it_stood_when_the_screening_was_completed(db):
    from screening.store.screenings import stored_answers
    with db.transaction() as tx:
        keep, other = children.add(tx, KEYS, JAS), children.add(tx, KEYS, Identity(upn="B801200005001"))
        first = screened(tx, keep.id, "school", 30)
        second = screened(tx, other.id, "police", 20)
        third = screened(tx, keep.id, "gp", 10)
        alone = screened(tx, None, "camhs", 5)
        children.merge(tx, keep.id, other.id)
    records = {sid: record for sid, _, _, _, record in stored_answers(db)}
    assert records[alone.id] is None
    assert [e.agency for e in records[first.id].earlier] == []
    assert [e.agency for e in records[second.id].earlier] == ["school"]  # merged: the kept record's first
    assert sorted(e.agency for e in records[third.id].earlier) == ["police", "school"]


def test_the_sqlite_file_is_private_to_its_user(tmp_path):
    path = tmp_path / "data" / "screening.db"
    database = Database(f"sqlite:///{path}")
    with database.transaction() as tx:
        tx.execute(select(1))
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    database.engine.dispose()
