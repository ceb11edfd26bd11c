"""Single sign-on and second factors: accounts from an OpenID Connect provider (provider and subject, unique
together; local accounts have neither), a TOTP secret and the last time step used, single-use recovery codes kept
as SHA-256 digests, and which roles' local accounts must have a second factor.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("provider", sa.String(64)))
        table.add_column(sa.Column("subject", sa.String(255)))
        table.add_column(sa.Column("totp_secret", sa.String(64)))
        table.add_column(sa.Column("totp_last_step", sa.Integer))
        table.create_unique_constraint("users_provider_subject", ["provider", "subject"])
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False, index=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", WHEN),
    )
    op.create_table(
        "second_factor_policy",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("changed_at", WHEN, nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
    )
