"""Signed-in sessions kept on the server, so that every copy of a cookie can be ended.

Each request checks its session's row: ended (signed out, a password reset, a disabled account), idle too long, or
older than the absolute lifetime, and the cookie opens nothing more."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .db import as_utc
from .models import User, UserSession

TOUCH_EVERY = timedelta(seconds=60)  # a request records activity at most this often (or a tenth of the idle time)


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    lifetime: timedelta


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()



def start(session: Session, user: User) -> str:
    """A new session for `user`; returns the token for the cookie (only its digest is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_digest(token), user_id=user.id))
    return token


def check(session: Session, token: str, limits: Limits, now: datetime | None = None) -> tuple[User | None, str]:
    """(the session's user, '') for a live session, else (its user if any, why not): 'unknown', 'ended', 'idle',
    'expired' or 'disabled'. An idle or expired session is ended here; activity is recorded at most once a
    minute."""
    now = now or datetime.now(UTC)
    found = session.execute(select(UserSession, User).outerjoin(User, User.id == UserSession.user_id)
                            .where(UserSession.token_hash == _digest(token))).first()  # one query for both
    if found is None:
        return None, "unknown"
    row, user = found
    if row.ended_at is not None:
        return None, "ended"
    why = ("disabled" if user is None or not user.active
           else "expired" if now - as_utc(row.created_at) > limits.lifetime
           else "idle" if now - as_utc(row.last_seen_at) > limits.idle else "")
    if why:
        row.ended_at, row.end_reason = now, why
        return user, why
    if now - as_utc(row.last_seen_at) >= min(TOUCH_EVERY, limits.idle / 10):
        row.last_seen_at = now
    return user, ""


def end(session: Session, token: str, reason: str) -> None:
    """End one session (signing out)."""
    session.execute(update(UserSession).where(UserSession.token_hash == _digest(token), UserSession.ended_at.is_(None))
                    .values(ended_at=datetime.now(UTC), end_reason=reason))


def end_all(session: Session, user_id: int, reason: str) -> int:
    """End every session of a user (a password reset, a disabled account); returns how many were live."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                             .values(ended_at=datetime.now(UTC), end_reason=reason))
    return int(getattr(result, "rowcount", 0) or 0)
