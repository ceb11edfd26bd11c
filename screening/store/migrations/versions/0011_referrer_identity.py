"""What the referrer entered to identify the child (sealed like the child's record): their own referral names the
child from it, while the child's record gathers every agency's.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screenings") as table:
        table.add_column(sa.Column("identity", sa.Text))

