"""Group training sessions: the sessions that run now, their learners (a random id each) and answers (route, reason,
stage), and the anonymous counts per vignette stage that a closed session leaves.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
        sa.Column("vignette_id", sa.String(64), nullable=False),
        sa.Column("started_by", sa.String(64), nullable=False),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("phase", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "training_learners",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, nullable=False, index=True),
        sa.Column("learner", sa.String(64), nullable=False),
        sa.UniqueConstraint("session_id", "learner", name="training_learners_once"),
    )
    op.create_table(
        "training_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, nullable=False, index=True),
        sa.Column("learner", sa.String(64), nullable=False),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.UniqueConstraint("session_id", "learner", "stage", name="training_answers_once"),
    )
    op.create_table(
        "training_tallies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("vignette_id", sa.String(64), nullable=False),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("rules_route", sa.String(32), nullable=False),
        sa.Column("routes", sa.JSON, nullable=False),
        sa.Column("sessions", sa.Integer, nullable=False),
        sa.Column("learners", sa.Integer, nullable=False),
        sa.UniqueConstraint("vignette_id", "stage", "rules_route", name="training_tallies_stage"),
    )
