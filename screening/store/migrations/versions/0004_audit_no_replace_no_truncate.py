"""The audit trail cannot be rewritten by the back door: on SQLite an INSERT OR REPLACE over an existing event (which
replaces the row without firing the DELETE trigger) is refused; on PostgreSQL so is TRUNCATE. The app's own
database role gets only INSERT and SELECT on it (`screening db grant-app-role`).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit_events "
                   "WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id) "
                   "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")
    elif dialect == "postgresql":
        op.execute("CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_events "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()")
