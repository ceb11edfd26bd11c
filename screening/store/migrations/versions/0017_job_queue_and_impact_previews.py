"""The job queue and impact previews split into batches: on PostgreSQL procrastinate's own schema (its tables,
functions and triggers, as the pinned version ships them); on SQLite the one-row table the embedded queue keeps its
state in (screening/jobs/sqlite_queue.py). The home-made `impact_jobs` table goes: its previews are recomputed on
request.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.drop_table("impact_jobs")
    op.create_table(
        "impact_previews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("old_hash", sa.String(64), nullable=False),
        sa.Column("new_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("batches", sa.Integer, nullable=False),
        sa.Column("batches_done", sa.Integer, nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("cases_done", sa.Integer, nullable=False),
        sa.Column("robustness", sa.JSON),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.UniqueConstraint("old_hash", "new_hash", name="impact_previews_pair"),
    )
    op.create_table(
        "impact_batches",
        sa.Column("preview_id", sa.Integer, primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("first_id", sa.String(32), nullable=False),
        sa.Column("last_id", sa.String(32), nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("transitions", sa.JSON, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("down", sa.Integer, nullable=False),
        sa.Column("cannot", sa.Integer, nullable=False),
        sa.Column("failing", sa.Integer, nullable=False),
        sa.Column("ran_by", sa.String(128), nullable=False),
    )
    op.create_table(
        "impact_cases",
        sa.Column("preview_id", sa.Integer, primary_key=True),
        sa.Column("batch", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("what", sa.String(16), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("impact_cases_listing", "impact_cases", ["preview_id", "what", "rank", "batch", "seq"])
    op.create_table("job_queue", sa.Column("id", sa.Integer, primary_key=True), sa.Column("state", sa.Text))
    if op.get_bind().dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        # procrastinate's schema is many statements (functions with bodies): sent as one simple query, as its own
        # `procrastinate schema --apply` does, not parsed by SQLAlchemy
        raw = op.get_bind().connection.dbapi_connection
        if raw is None:
            raise RuntimeError("no open database connection to apply the job queue's schema on")
        raw.cursor().execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _drop_procrastinate()
    op.drop_table("job_queue")
    op.drop_index("impact_cases_listing", table_name="impact_cases")
    for table in ("impact_cases", "impact_batches", "impact_previews"):
        op.drop_table(table)
    op.create_table(
        "impact_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("old_hash", sa.String(64), nullable=False),
        sa.Column("new_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("report", sa.JSON),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.UniqueConstraint("old_hash", "new_hash", name="impact_jobs_pair"),
    )


def _drop_procrastinate() -> None:
    """Every table, function and type procrastinate's schema made (all named procrastinate_…)."""
    bind = op.get_bind()
    for (name,) in bind.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                        "AND tablename LIKE 'procrastinate%'")):
        op.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    for (signature,) in bind.execute(sa.text("SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
                                             "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
                                             "AND p.proname LIKE 'procrastinate%'")):
        op.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    for (name,) in bind.execute(sa.text("SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = "
                                        "t.typnamespace WHERE n.nspname = current_schema() AND t.typtype IN "
                                        "('e', 'c') AND t.typname LIKE 'procrastinate%'")):
        op.execute(f'DROP TYPE IF EXISTS "{name}" CASCADE')
