"""Legal holds: a lead keeps a child's records past their retention period (with a reason) until the hold is
lifted (with a reason); the purge never passes one.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("child_id", sa.String(32), nullable=False, index=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("placed_by", sa.String(64), nullable=False),
        sa.Column("placed_at", WHEN, nullable=False),
        sa.Column("lifted_by", sa.String(64), nullable=False),
        sa.Column("lifted_at", WHEN),
        sa.Column("lift_reason", sa.Text, nullable=False),
    )
