"""What the partnership dashboard counts in SQL: each completed screening's age band and month, and the rules that
fired for it (filled for screenings completed before this from their stored answers and outcomes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


DASHBOARD_COLUMNS = ["completed_at", "status", "agency", "recommended_route", "decided_route", "decision", "age_band",
                     "completed_month", "child_id", "id"]


def band(age: object) -> str:
    if not isinstance(age, int):
        return "not_known"
    return "under_13" if age < 13 else "13_15" if age < 16 else "16_17"


def upgrade() -> None:
    with op.batch_alter_table("screenings") as table:
        table.add_column(sa.Column("age_band", sa.String(16)))
        table.add_column(sa.Column("completed_month", sa.String(7)))
        table.create_index("ix_screenings_completed_at", ["completed_at"])
        # what the dashboard reads, all in one index (so counting never reads the wide rows with their outcomes),
        # and the order the screening list pages in
        table.create_index("ix_screenings_dashboard", DASHBOARD_COLUMNS)
        table.create_index("ix_screenings_listed", ["updated_at", "id"])
    op.create_table(
        "fired_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("screening_id", sa.String(32), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_fired_rules_screening_id", "fired_rules", ["screening_id"])
    op.create_index("ix_fired_rules_rule_id", "fired_rules", ["rule_id"])
    connection = op.get_bind()
    screenings = sa.table("screenings", sa.column("id"), sa.column("answers", sa.JSON), sa.column("outcome", sa.JSON),
                          sa.column("completed_at", sa.DateTime(timezone=True)), sa.column("status"),
                          sa.column("age_band"), sa.column("completed_month"))
    fired = sa.table("fired_rules", sa.column("screening_id"), sa.column("rule_id"))
    rows = connection.execute(sa.select(screenings.c.id, screenings.c.answers, screenings.c.outcome,
                                        screenings.c.completed_at).where(screenings.c.status == "complete"))
    for sid, answers, outcome, done in list(rows):
        ages = [v for k, v in (answers or {}).items() if k == "age"]
        connection.execute(sa.update(screenings).where(screenings.c.id == sid).values(
            age_band=band(ages[0] if ages else None), completed_month=done.strftime("%Y-%m") if done else None))
        rules = sorted({f["rule"] for f in (outcome or {}).get("findings", ())})
        if rules:
            connection.execute(sa.insert(fired), [{"screening_id": sid, "rule_id": r} for r in rules])
