"""Single sign-on and second factors (a placeholder in the chain, filled by the issue that needs it).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass
