"""API tokens: made once (the caller sees the token, the database keeps its SHA-256), checked on each call with
its expiry and revocation, and counted per minute for the rate limit, in the database so every instance agrees."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import ScreeningError
from .db import as_utc
from .models import ROLES, ApiToken

PREFIX = "cse_"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
WINDOW = timedelta(minutes=1)


class TokenError(ScreeningError, ValueError):
    """A token cannot be made or changed as asked."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add(tx: Session, name: str, role: str, agency: str, expires_days: int | None) -> str:
    """Make a token; returns it (shown once, never stored)."""
    if not _NAME.match(name):
        raise TokenError("a token name is 2-63 lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise TokenError(f"role must be one of {', '.join(ROLES)}")
    if tx.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise TokenError(f"there is already a token named {name}")
    token = PREFIX + secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
    tx.add(ApiToken(name=name, token_hash=_hash(token), role=role, agency=agency, expires_at=expires,
                    window_calls=0))
    tx.flush()
    return token


def listed(tx: Session) -> list[ApiToken]:
    return list(tx.scalars(select(ApiToken).order_by(ApiToken.name)))


def revoke(tx: Session, name: str) -> None:
    found = tx.scalar(select(ApiToken).where(ApiToken.name == name))
    if found is None:
        raise TokenError(f"there is no token named {name}")
    found.revoked_at = found.revoked_at or datetime.now(UTC)


def check(tx: Session, token: str, now: datetime | None = None) -> ApiToken | None:
    """The live token this is, or None (unknown, expired or revoked)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    now = now or datetime.now(UTC)
    found = tx.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if found is None or found.revoked_at is not None:
        return None
    if found.expires_at is not None and as_utc(found.expires_at) <= now:
        return None
    return found


def count_call(tx: Session, token: ApiToken, limit: int, now: datetime | None = None) -> bool:
    """Count one call in the token's minute; False when that is over `limit`."""
    now = now or datetime.now(UTC)
    if token.window_start is None or now - as_utc(token.window_start) >= WINDOW:
        tx.execute(update(ApiToken).where(ApiToken.id == token.id).values(window_start=now, window_calls=1))
        return limit >= 1
    calls = token.window_calls + 1  # read before the update (which also refreshes the loaded row)
    tx.execute(update(ApiToken).where(ApiToken.id == token.id).values(window_calls=ApiToken.window_calls + 1))
    return calls <= limit

