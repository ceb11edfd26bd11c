"""Server-side sessions, the shared sign-in throttle, and stored outcomes that carry every word they show.

Outcomes saved before ADR 0004 lack the producing ladder, levels, the child's words and the agency's name; they are
filled in here from the rule-set version that produced each one (found by its hash), so they show as produced.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from screening.conditions import Facts
    from screening.model import Indicator, Question, RuleSet

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, nullable=False, index=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("last_seen_at", WHEN, nullable=False),
        sa.Column("ended_at", WHEN),
        sa.Column("end_reason", sa.String(32), nullable=False),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("address", sa.String(64), nullable=False, index=True),
        sa.Column("at", WHEN, nullable=False),
    )
    _outcomes_carry_their_words()


def _outcomes_carry_their_words() -> None:
    from screening.answers import answer_words, facts_from_answers
    from screening.errors import ScreeningError
    from screening.ruleset import load_ruleset_texts

    bind = op.get_bind()
    screenings = sa.table("screenings", sa.column("id", sa.String), sa.column("outcome", sa.JSON),
                          sa.column("answers", sa.JSON), sa.column("agency", sa.String),
                          sa.column("ruleset_hash", sa.String))
    versions = sa.table("ruleset_versions", sa.column("hash", sa.String), sa.column("texts", sa.JSON))
    texts = dict(bind.execute(sa.select(versions.c.hash, versions.c.texts)).all())
    parsed: dict[str, RuleSet | None] = {}
    for sid, outcome, answers, agency, ruleset_hash in bind.execute(sa.select(
            screenings.c.id, screenings.c.outcome, screenings.c.answers, screenings.c.agency,
            screenings.c.ruleset_hash).where(screenings.c.outcome.is_not(None))).all():
        if "routes" in outcome:
            continue
        if ruleset_hash not in parsed:
            try:
                parsed[ruleset_hash] = load_ruleset_texts(texts[ruleset_hash]) if ruleset_hash in texts else None
            except ScreeningError:
                parsed[ruleset_hash] = None
        rs = parsed[ruleset_hash]
        outcome = {**outcome, **(_words(rs, answers or {}, agency, answer_words, facts_from_answers) if rs
                                 else _ids_only(outcome, agency))}
        bind.execute(screenings.update().where(screenings.c.id == sid).values(outcome=outcome))


def _words(rs: RuleSet, answers: Mapping[str, object], agency: str | None,
           answer_words: Callable[[Question | Indicator, object], str],
           facts_from_answers: Callable[[RuleSet, Mapping[str, object]], Facts]) -> dict[str, Any]:
    top = len(rs.levels) - 1
    voice = {s.id for s in rs.sections if s.purpose == "child_voice"} or {"child_voice"}
    try:
        values = facts_from_answers(rs, {k: v for k, v in answers.items() if k in rs.facts}).values
    except Exception:  # noqa: BLE001 - an old answer the set no longer reads: leave the child's words out
        values = {}
    return {
        "routes": [{"id": r.id, "label": r.label} for r in rs.routes],
        "levels": [{"id": lv.id, "label": lv.label, "short_label": lv.short_label,
                    "tag": "low" if n == 0 else "high" if n == top else "medium"} for n, lv in enumerate(rs.levels)],
        "child_voice": [{"question": q.label, "answer": answer_words(q, values[q.id]), "quote": q.quotes_child,
                         "fact": q.id} for q in rs.questions
                        if q.section in voice and q.id in values and (q.quotes_child or not q.kind.quoted)],
        "agency_name": rs.agency_by_id[agency].name if agency in rs.agency_by_id else "",
    }


def _ids_only(outcome: Mapping[str, Any], agency: str | None) -> dict[str, Any]:
    """The producing version is gone: the ids are the best words left (never the active set's)."""
    routes = [{"id": outcome["route"], "label": outcome.get("route_label", outcome["route"])}]
    level = outcome["risk_level"]
    return {"routes": routes, "levels": [{"id": level, "label": outcome.get("risk_level_label", level),
                                          "short_label": level, "tag": "not-known"}],
            "child_voice": [], "agency_name": agency or ""}
