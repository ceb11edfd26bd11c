"""A completed screening's outcome in each other language its rule set carried (docs/adr/0029): the same
decision, in Welsh words beside the English, stored once when it was produced and never changed.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("screenings", sa.Column("outcome_in_languages", sa.JSON, nullable=True))
