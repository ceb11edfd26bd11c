"""Each lead's rule-set draft: the changes made in forms, kept until proposed as a version or discarded."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import RuleSetDraft


def draft_of(session: Session, owner: str) -> RuleSetDraft | None:
    return session.scalars(select(RuleSetDraft).where(RuleSetDraft.owner == owner)).first()


def save(session: Session, owner: str, base_hash: str, texts: Mapping[str, str]) -> None:
    """Keep `texts` as the lead's draft (started from the version with `base_hash` when it is new)."""
    found = draft_of(session, owner)
    if found is None:
        session.add(RuleSetDraft(owner=owner, base_hash=base_hash, texts=dict(texts)))
    else:
        found.texts = dict(texts)


def discard(session: Session, owner: str) -> None:
    session.execute(delete(RuleSetDraft).where(RuleSetDraft.owner == owner))
