"""Running tallies for the dashboard (completed screenings by day, agency, routes, decision, age band and children's
social care's decision; rules fired by day, agency and decision), filled from the stored screenings.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_summary",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("agency", sa.String(64), primary_key=True),
        sa.Column("recommended_route", sa.String(64), primary_key=True),
        sa.Column("decided_route", sa.String(64), primary_key=True),
        sa.Column("decision", sa.String(16), primary_key=True),
        sa.Column("age_band", sa.String(16), primary_key=True),
        sa.Column("csc_route", sa.String(64), primary_key=True),
        sa.Column("screenings", sa.Integer, nullable=False),
    )
    op.create_table(
        "rule_summary",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("agency", sa.String(64), primary_key=True),
        sa.Column("rule_id", sa.String(64), primary_key=True),
        sa.Column("decision", sa.String(16), primary_key=True),
        sa.Column("screenings", sa.Integer, nullable=False),
    )
    from screening.store.summaries import RULES, SCREENINGS, rebuild  # as `screening db resummarise` counts them

    rebuild(Session(bind=op.get_bind()), (SCREENINGS, RULES))  # the tables this revision makes; 0018 the others
