"""Running tallies for the dashboard's last figures: referrals awaiting a decision by due time, challenges not
resolved and final meeting records with what they lack (by day and agency), the changes in children screened
again by day, agency and routes; and the screening and rule tallies by month too; filled from the stored rows.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followup_summary",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("agency", sa.String(64), primary_key=True),
        sa.Column("what", sa.String(32), primary_key=True),
        sa.Column("screenings", sa.Integer, nullable=False),
    )
    op.create_table(
        "awaiting_summary",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("agency", sa.String(64), primary_key=True),
        sa.Column("due_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("screenings", sa.Integer, nullable=False),
    )
    op.create_table(
        "repeat_summary",
        sa.Column("agency", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("routes", sa.String(400), primary_key=True),
        sa.Column("children", sa.Integer, nullable=False),
    )
    for name, keys in (("screening_month_summary", ("recommended_route", "decided_route", "decision", "age_band",
                                                     "csc_route")), ("rule_month_summary", ("rule_id", "decision"))):
        op.create_table(name, sa.Column("day", sa.Date, primary_key=True),
                        sa.Column("agency", sa.String(64), primary_key=True),
                        *(sa.Column(key, sa.String(16 if key in ("decision", "age_band") else 64), primary_key=True)
                          for key in keys),
                        sa.Column("screenings", sa.Integer, nullable=False))
    from screening.store import summaries  # as `screening db resummarise` counts them

    tx = Session(bind=op.get_bind())
    summaries.rebuild(tx, (summaries.FOLLOWUP, summaries.AWAITING, summaries.REPEATS))
    summaries.count_months(tx)


def downgrade() -> None:
    for table in ("rule_month_summary", "screening_month_summary", "repeat_summary", "awaiting_summary",
                  "followup_summary"):
        op.drop_table(table)
