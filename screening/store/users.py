"""Accounts: local ones (argon2 password hashes, lockout after repeated failed sign-ins) and those an OpenID Connect
provider vouches for (found by provider and subject); roles and agencies."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import ScreeningError
from ..words import gettext as _
from . import passwords, sessions
from .db import as_utc
from .models import ROLES, SignInFailure, User

MAX_FAILURES = 5  # for one account, then it is locked for LOCKOUT
LOCKOUT = timedelta(minutes=15)
ADDRESS_LIMIT, ADDRESS_WINDOW = 20, timedelta(minutes=10)  # failures from one address before it must wait
# Hashed to equalise sign-in timing for unknown accounts; never an account's password.
_DUMMY_PASSWORD = "timing-equaliser-password"  # nosec B105
_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


def use_hasher(hasher: PasswordHasher) -> None:
    """Set the password hasher (the test suite uses cheap parameters; production never calls this)."""
    global _hasher
    _hasher = hasher
    _dummy_hash.cache_clear()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist, made on first use, not at import."""
    return _hasher.hash(_DUMMY_PASSWORD)


class AccountError(ScreeningError, ValueError):
    """A problem with an account change, phrased for the person making it."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency: str
    password: str


DEMO_ACCOUNTS = (
    DemoAccount("demo-practitioner", "practitioner", "school", "demo-practitioner-password"),
    DemoAccount("demo-nurse", "practitioner", "health_hospital", "demo-nurse-password"),
    DemoAccount("demo-lead", "safeguarding_lead", "social_care", "demo-lead-password"),
    DemoAccount("demo-mash", "mash", "social_care", "demo-mash-password"),
    DemoAccount("demo-board", "board", "social_care", "demo-board-password"),
    DemoAccount("demo-trainer", "trainer", "voluntary", "demo-trainer-password"),
    DemoAccount("demo-admin", "admin", "social_care", "demo-admin-password"),
)


def add_user(session: Session, username: str, name: str, role: str, agency: str, password: str,
             demo: bool = False) -> User:
    if role not in ROLES:
        raise AccountError(_("role must be one of %(roles)s", roles=", ".join(ROLES)))
    _check_username(username)
    if find(session, username) is not None:
        raise AccountError(_("the username '%(username)s' is empty or already taken", username=username))
    _check_password(password, demo)
    user = User(username=username, name=name, role=role, agency=agency, password_hash=_hasher.hash(password),
                demo=demo, failed_sign_ins=0)
    session.add(user)
    session.flush()
    return user


def _check_password(password: str, demo: bool) -> None:
    why = "" if demo else passwords.problem(password)
    if why:
        raise AccountError(why)


USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


def _check_username(username: str) -> None:
    if not USERNAME.fullmatch(username):
        raise AccountError(_("usernames are 2 to 64 lower-case letters, digits, dots, dashes or underscores, "
                             "starting with a letter or digit"))


def find(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_password(session: Session, user: User, password: str) -> None:
    """A new password; it clears any lockout and ends every session the account has open."""
    _check_password(password, user.demo)
    user.password_hash = _hasher.hash(password)
    user.failed_sign_ins, user.locked_until = 0, None
    sessions.end_all(session, user.id, "password_reset")


def disable(session: Session, user: User) -> None:
    """Disable an account (kept, for the audit trail) and end every session it has open."""
    user.active = False
    sessions.end_all(session, user.id, "disabled")


def authenticate(session: Session, username: str, password: str, allow_demo: bool,
                 now: datetime | None = None) -> tuple[User | None, str]:
    """Check a sign-in. Returns (user, '') on success, else (user or None, reason) where the reason is for the
    audit trail only: people always see the same generic message."""
    now = now or datetime.now(UTC)
    user = find(session, username)
    if user is None:
        _verify_hash(_dummy_hash(), _DUMMY_PASSWORD)  # same work whether or not the account exists
        return None, "unknown_user"
    if is_locked(user, now):
        _verify_hash(_dummy_hash(), _DUMMY_PASSWORD)  # a locked account costs the same: lockout reveals nothing
        return user, "locked"
    if not _verify(user, password):
        return user, "locked_now" if count_failure(user, now) else "bad_password"
    if not user.active:
        return user, "disabled"
    if user.demo and not allow_demo:
        return user, "demo_refused"
    if user.totp_secret is None:  # with a second factor, failures count on until its code is right too
        user.failed_sign_ins = 0
    user.locked_until = None
    return user, ""


def is_locked(user: User, now: datetime | None = None) -> bool:
    return user.locked_until is not None and as_utc(user.locked_until) > (now or datetime.now(UTC))


def count_failure(user: User, now: datetime | None = None) -> bool:
    """Count a wrong password or second-factor code against the account; True when this one locks it."""
    user.failed_sign_ins += 1
    if user.failed_sign_ins < MAX_FAILURES:
        return False
    user.locked_until, user.failed_sign_ins = (now or datetime.now(UTC)) + LOCKOUT, 0
    return True


def _verify(user: User, password: str) -> bool:
    return _verify_hash(user.password_hash, password)


def _verify_hash(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False



def ensure_demo_accounts(session: Session) -> tuple[DemoAccount, ...]:
    """Create the demo accounts if missing (demo mode only)."""
    for account in DEMO_ACCOUNTS:
        if find(session, account.username) is None:
            add_user(session, account.username, f"Demo {account.role.replace('_', ' ')}", account.role,
                     account.agency, account.password, demo=True)
    return DEMO_ACCOUNTS


def address_blocked(session: Session, address: str, now: datetime | None = None) -> bool:
    """Has `address` failed to sign in ADDRESS_LIMIT times in the last ADDRESS_WINDOW? (Shared by every instance;
    successful sign-ins never count.)"""
    since = (now or datetime.now(UTC)) - ADDRESS_WINDOW
    recent = session.scalar(select(func.count()).select_from(SignInFailure)
                            .where(SignInFailure.address == address, SignInFailure.at >= since))
    return (recent or 0) >= ADDRESS_LIMIT


def record_failure(session: Session, address: str, now: datetime | None = None) -> None:
    """Count a failed sign-in from `address`, and forget failures older than the window."""
    now = now or datetime.now(UTC)
    session.execute(delete(SignInFailure).where(SignInFailure.at < now - ADDRESS_WINDOW))
    session.add(SignInFailure(address=address[:64], at=now))


@dataclass(frozen=True)
class ProviderPerson:
    """Who an OpenID Connect provider says signed in, and the role and agency their claims map to."""

    provider: str
    subject: str
    handle: str  # preferred_username, email or sub: the start of their username here
    name: str
    role: str
    agency: str


def find_by_subject(session: Session, provider: str, subject: str) -> User | None:
    return session.scalars(select(User).where(User.provider == provider, User.subject == subject)).first()


def keep_provider_account(session: Session, person: ProviderPerson) -> tuple[User, dict[str, str]]:
    """The account for `person`, made at their first sign-in or brought in step with their claims; returns it and
    what changed ({'created': role} for a new one). Its username, made once, ends in '@provider' (a local
    username cannot hold '@'), so it never names a local account."""
    user = find_by_subject(session, person.provider, person.subject)
    if user is None:
        user = User(username=_free_username(session, person), name=person.name, role=person.role,  # nosec B106
                    agency=person.agency, password_hash="", provider=person.provider, subject=person.subject,
                    failed_sign_ins=0, active=True, demo=False)  # no password: the provider vouches for them
        session.add(user)
        session.flush()
        return user, {"created": person.role}
    changed = {field: new for field, new in (("name", person.name), ("role", person.role), ("agency", person.agency))
               if getattr(user, field) != new}
    for field, new in changed.items():
        setattr(user, field, new)
    if "name" in changed:
        changed["name"] = "changed"  # the audit trail keeps ids, not names
    return user, changed


def _free_username(session: Session, person: ProviderPerson) -> str:
    suffix = f"@{person.provider}"
    stem = re.sub(r"[^a-z0-9._-]+", "-", person.handle.lower().split("@")[0]).strip("-._")[:40] or "user"
    for number in range(1, 1000):
        candidate = (stem if number == 1 else f"{stem}-{number}") + suffix
        if find(session, candidate) is None:
            return candidate
    return f"{secrets.token_hex(8)}{suffix}"
