"""Child records across agencies: children (identity encrypted), their blind-index keys, and each screening's
child and completion time (completed screenings made before this keep their last change as that time).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)
EXACT = sa.text("kind IN ('nhs', 'upn', 'la')")


def upgrade() -> None:
    op.create_table(
        "children",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("identity", sa.Text, nullable=False),
        sa.Column("merged_into", sa.String(32)),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_children_merged_into", "children", ["merged_into"])
    op.create_table(
        "child_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("child_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
    )
    op.create_index("ix_child_keys_child_id", "child_keys", ["child_id"])
    op.create_index("child_keys_lookup", "child_keys", ["kind", "digest"])
    op.create_index("child_keys_exact", "child_keys", ["kind", "digest"], unique=True, sqlite_where=EXACT,
                    postgresql_where=EXACT)
    with op.batch_alter_table("screenings") as table:
        table.add_column(sa.Column("child_id", sa.String(32)))
        table.add_column(sa.Column("completed_at", WHEN))
        table.create_index("ix_screenings_child_id", ["child_id"])
    op.execute("UPDATE screenings SET completed_at = updated_at WHERE status = 'complete'")
