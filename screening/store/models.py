"""Tables. A screening keeps its answers, and once complete, the outcome exactly as produced with the rule set's
id, version and hash, so it can always be shown and reproduced as it was."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Screening(Base):
    __tablename__ = "screenings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | complete
    agency: Mapped[str | None] = mapped_column(String(64))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    pages_done: Mapped[list] = mapped_column(JSON, default=list)
    language_choices: Mapped[dict] = mapped_column(JSON, default=dict)  # see screening.web.language_review
    ruleset_id: Mapped[str] = mapped_column(String(64))
    ruleset_version: Mapped[str] = mapped_column(String(32))
    ruleset_hash: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[dict | None] = mapped_column(JSON)
    recommended_route: Mapped[str | None] = mapped_column(String(32))
    decided_route: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(16))  # agree | raise | lower
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    lead_consulted: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
