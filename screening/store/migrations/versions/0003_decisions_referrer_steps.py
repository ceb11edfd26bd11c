"""Decisions kept as a history, what the referrer said about themselves, and ladders that can show any route.

A decision used to live in four columns of its screening and a second one overwrote the first; each is now a row
of `decisions` (the database refuses updates), and the screening's columns show the latest. Stored outcomes'
ladders gain each route's own words and next steps (from the rule-set version that produced them), so a decided
route is shown in full exactly as that version described it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from screening.model import RuleSet

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.add_column(sa.Column("referrer_is_lead", sa.Boolean))
        batch.add_column(sa.Column("referrer_contact", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("screening_id", sa.String(32), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("lead_consulted", sa.String(200), nullable=False),
        sa.Column("below_minimum", sa.Text, nullable=False),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("made_at", WHEN, nullable=False),
        sa.UniqueConstraint("screening_id", "number", name="decisions_screening_number"),
    )
    _no_updates_to_decisions()
    _first_decisions()
    _ladders_in_full()


def _no_updates_to_decisions() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
                   "BEGIN SELECT RAISE(ABORT, 'a recorded decision is never changed'); END")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION decisions_no_update() RETURNS trigger AS $$ BEGIN "
                   "RAISE EXCEPTION 'a recorded decision is never changed'; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
                   "FOR EACH ROW EXECUTE FUNCTION decisions_no_update()")


def _screenings() -> sa.TableClause:
    return sa.table("screenings", sa.column("id", sa.String), sa.column("owner", sa.String),
                    sa.column("outcome", sa.JSON), sa.column("agency", sa.String),
                    sa.column("ruleset_hash", sa.String), sa.column("decision", sa.String),
                    sa.column("decided_route", sa.String), sa.column("decision_reason", sa.Text),
                    sa.column("lead_consulted", sa.String), sa.column("decided_at", WHEN),
                    sa.column("updated_at", WHEN))


def _first_decisions() -> None:
    bind, screenings = op.get_bind(), _screenings()
    decisions = sa.table("decisions", *(sa.column(c) for c in (
        "screening_id", "number", "decision", "route", "reason", "lead_consulted", "below_minimum", "made_by",
        "made_at")))
    rows = bind.execute(sa.select(screenings).where(screenings.c.decision.is_not(None))).mappings().all()
    for row in rows:
        bind.execute(decisions.insert().values(
            screening_id=row["id"], number=1, decision=row["decision"], route=row["decided_route"] or "",
            reason=row["decision_reason"] or "", lead_consulted=row["lead_consulted"] or "", below_minimum="",
            made_by=row["owner"], made_at=row["decided_at"] or row["updated_at"]))


def _ladders_in_full() -> None:
    from screening.engine import ladder
    from screening.errors import ScreeningError
    from screening.ruleset import load_ruleset_texts

    bind, screenings = op.get_bind(), _screenings()
    versions = sa.table("ruleset_versions", sa.column("hash", sa.String), sa.column("texts", sa.JSON))
    texts = dict(bind.execute(sa.select(versions.c.hash, versions.c.texts)).all())
    parsed: dict[str, RuleSet | None] = {}
    for sid, outcome, agency, ruleset_hash in bind.execute(sa.select(
            screenings.c.id, screenings.c.outcome, screenings.c.agency, screenings.c.ruleset_hash)
            .where(screenings.c.outcome.is_not(None))).all():
        if ruleset_hash not in parsed:
            try:
                parsed[ruleset_hash] = load_ruleset_texts(texts[ruleset_hash]) if ruleset_hash in texts else None
            except ScreeningError:
                parsed[ruleset_hash] = None
        rs = parsed[ruleset_hash]
        if rs is None or any("child_protection" in r for r in outcome.get("routes", ())):
            continue
        steps = [asdict(step) for step in ladder(rs, agency if agency in rs.agency_by_id else None)[0]]
        words = {r["id"]: r["label"] for r in outcome.get("routes", ())}  # keep the words it was shown with
        outcome = {**outcome, "routes": [{**s, "label": words.get(s["id"], s["label"])} for s in steps]}
        bind.execute(screenings.update().where(screenings.c.id == sid).values(outcome=outcome))
