"""After the referral: what children's social care decided, challenges to the response, and strategy-meeting
records (versioned; a final one is never changed).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "referral_responses",
        sa.Column("screening_id", sa.String(32), primary_key=True),
        sa.Column("sent_at", WHEN),
        sa.Column("sent_how", sa.String(32), nullable=False),
        sa.Column("sent_to", sa.String(200), nullable=False),
        sa.Column("due_at", WHEN),
        sa.Column("acknowledged_at", WHEN),
        sa.Column("decision", sa.String(32), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", WHEN),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_index("ix_referral_responses_due_at", "referral_responses", ["due_at"])
    op.create_table(
        "challenges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("screening_id", sa.String(32), nullable=False),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("to_whom", sa.String(200), nullable=False),
        sa.Column("raised_on", sa.Date, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("next_due", sa.Date),
        sa.Column("resolved", sa.Boolean, nullable=False),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("made_at", WHEN, nullable=False),
    )
    op.create_index("ix_challenges_screening_id", "challenges", ["screening_id"])
    op.create_table(
        "meeting_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("screening_id", sa.String(32), nullable=False),
        sa.Column("child_id", sa.String(32)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("held_at", WHEN),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("made_at", WHEN, nullable=False),
        sa.Column("finalised_at", WHEN),
        sa.Column("finalised_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("screening_id", "version", name="meeting_records_version"),
    )
    op.create_index("ix_meeting_records_screening_id", "meeting_records", ["screening_id"])
    op.create_index("ix_meeting_records_child_id", "meeting_records", ["child_id"])
    # a final record is never changed, whoever asks (an amendment is a new version); retention may delete it
    if op.get_context().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER meeting_records_final_kept BEFORE UPDATE ON meeting_records "
                   "WHEN OLD.status = 'final' "
                   "BEGIN SELECT RAISE(ABORT, 'a final meeting record is kept as it is'); END")
    else:
        op.execute("CREATE FUNCTION meeting_records_final_kept() RETURNS trigger AS $$ BEGIN "
                   "IF OLD.status = 'final' THEN RAISE EXCEPTION 'a final meeting record is kept as it is'; END IF; "
                   "RETURN NEW; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER meeting_records_final_kept BEFORE UPDATE ON meeting_records "
                   "FOR EACH ROW EXECUTE FUNCTION meeting_records_final_kept()")
