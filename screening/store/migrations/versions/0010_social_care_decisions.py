"""What children's social care decided, as the MASH records it: when the referral was received, and the decision's
reasons, words and route (the option chosen from the rule set's `social_care_decisions`, kept with it so it goes on
saying what it said). Responses recorded before this keep an empty label and are read as they were.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral_responses") as table:
        table.add_column(sa.Column("decision_label", sa.String(200), nullable=False, server_default=""))
        table.add_column(sa.Column("decision_route", sa.String(32), nullable=False, server_default=""))
        table.add_column(sa.Column("decision_reasons", sa.Text, nullable=False, server_default=""))
        table.add_column(sa.Column("received_at", sa.DateTime(timezone=True)))
