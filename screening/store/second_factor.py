"""Second factors for local accounts: a TOTP authenticator app (RFC 6238, by pyotp) and ten single-use recovery
codes kept as SHA-256 digests (each carries 50 random bits, so a digest needs no salt or slow hash), and the
administrator's policy saying which roles' local accounts must have one."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

import pyotp
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import ROLES, RecoveryCode, SecondFactorPolicy, User

ISSUER = "CSE screening"
RECOVERY_CODES = 10
DEFAULT_REQUIRED = ("safeguarding_lead", "admin")  # until an administrator says otherwise (production)
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy from paper


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_uri(secret: str, username: str) -> str:
    """What the QR code holds: the otpauth:// address authenticator apps read."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def code_fits(secret: str, code: str, now: datetime | None = None) -> bool:
    """Is `code` right for `secret` now (or one 30-second step either side, for a slow phone clock)?"""
    return _step_of(secret, code, now or datetime.now(UTC)) is not None


def _step_of(secret: str, code: str, now: datetime) -> int | None:
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), digits):
            return candidate
    return None


def enrol(session: Session, user: User, secret: str, code: str, now: datetime | None = None) -> list[str] | None:
    """Keep `secret` as the account's second factor if `code` proves the app holds it; returns ten new recovery
    codes (shown once, kept only as digests), or None when the code is wrong."""
    step = _step_of(secret, code, now or datetime.now(UTC))
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    return new_recovery_codes(session, user)


def verify(session: Session, user: User, code: str, now: datetime | None = None) -> str:
    """Check a code at sign-in: 'totp' or 'recovery' when it is right (a TOTP time step and a recovery code are
    each accepted once), '' when it is not."""
    if user.totp_secret is None:
        return ""
    step = _step_of(user.totp_secret, code, now or datetime.now(UTC))
    if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
        user.totp_last_step = step
        return "totp"
    return "recovery" if _use_recovery_code(session, user, code, now) else ""


def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten fresh codes in place of any earlier ones; only their digests are kept."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    return codes


def _use_recovery_code(session: Session, user: User, code: str, now: datetime | None) -> bool:
    row = session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                     RecoveryCode.code_hash == _digest(code),
                                                     RecoveryCode.used_at.is_(None))).first()
    if row is None:
        return False
    row.used_at = now or datetime.now(UTC)
    return True


def recovery_codes_left(session: Session, user: User) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                             RecoveryCode.used_at.is_(None))).all())


def remove(session: Session, user: User) -> None:
    """Take away the account's second factor (a lost phone): it enrols again at its next sign-in if required."""
    user.totp_secret, user.totp_last_step = None, None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def required_roles(session: Session) -> frozenset[str]:
    """The roles whose local accounts must have a second factor."""
    row = session.get(SecondFactorPolicy, 1)
    return frozenset(DEFAULT_REQUIRED if row is None else row.roles)


def set_required_roles(session: Session, roles: list[str], by: str) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    row = session.get(SecondFactorPolicy, 1)
    if row is None:
        row = SecondFactorPolicy(id=1, roles=[], changed_by=by)
        session.add(row)
    row.roles, row.changed_by, row.changed_at = [r for r in ROLES if r in roles], by, datetime.now(UTC)


def seed_demo_policy(session: Session) -> None:
    """Demo mode starts with no second factor required, so the demo accounts sign in with a password alone (an
    administrator can still require one)."""
    if session.get(SecondFactorPolicy, 1) is None:
        set_required_roles(session, [], "demo")


def needs_enrolment(user: User, required: frozenset[str]) -> bool:
    """A local account whose role must have a second factor and that has none yet."""
    return user.provider is None and user.totp_secret is None and user.role in required
