"""Who may use which route. Every view declares its roles; a route that declares none is refused (fail closed).

Signed-in users are loaded once per request into `g.user`; sessions end after an idle timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy.orm import Session

from ..store import audit, second_factor, sessions
from ..store.models import User
from .context import database

PUBLIC = frozenset({"public"})
SIGNED_IN = frozenset({"practitioner", "safeguarding_lead", "mash", "board", "trainer", "admin"})
SCREENERS = frozenset({"practitioner", "safeguarding_lead"})
CHILD_RECORDS = frozenset({"safeguarding_lead", "mash"})  # see a child's full chronology across agencies
READERS = SCREENERS | CHILD_RECORDS  # open a completed screening: its owner, or a lead or the MASH
TRAINERS = frozenset({"trainer", "safeguarding_lead"})
ALWAYS_OPEN = {"static"}
WHILE_ENROLLING = {"auth.enrol", "auth.recovery_codes", "auth.sign_out", "auth.keep_alive"}


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    name: str
    role: str
    agency: str
    must_enrol: bool = False  # a local account whose role must have a second factor, without one yet
    language: str | None = None  # the pages' language chosen for the account (web/locales.py), if any

    @property
    def is_lead(self) -> bool:
        return self.role == "safeguarding_lead"

    @property
    def sees_all(self) -> bool:
        """May open any agency's screening (each view of another agency's is audited)."""
        return self.role in CHILD_RECORDS


def allow(*roles: str) -> Callable:
    """Declare the roles that may use a view (or PUBLIC)."""
    allowed = PUBLIC if roles == ("public",) else frozenset(roles)

    def mark(view: Callable) -> Callable:
        view.allowed_roles = allowed  # type: ignore[attr-defined]
        return view
    return mark


def declared_roles(endpoint: str) -> frozenset[str] | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "allowed_roles", None)


def sign_in_user(tx: Session, user: User) -> None:
    """Start a server-side session; the cookie carries only its token."""
    session.clear()
    session["sid"] = sessions.start(tx, user)
    session.permanent = False


def sign_out_user(tx: Session) -> None:
    token = session.get("sid")
    if token:
        sessions.end(tx, token, "signed_out")
    session.clear()


def load_user() -> None:
    """Before each request: whose live session is this? Ended, idle, expired or disabled sessions open nothing."""
    g.user = None
    if request.path.startswith("/api/"):
        return  # the API signs in with its tokens, never the session cookie (views/api.py)
    token = session.get("sid") if request.endpoint not in ALWAYS_OPEN else None
    if not token:
        return
    config = current_app.config
    limits = sessions.Limits(timedelta(minutes=config["IDLE_TIMEOUT_MINUTES"]),
                             timedelta(hours=config["SESSION_LIFETIME_HOURS"]))
    with database().transaction() as tx:
        user, why = sessions.check(tx, token, limits)
        if why in ("idle", "expired") and user is not None:
            audit.record(tx, user.username, "signed_out_idle" if why == "idle" else "session_expired", "user",
                         user.username)
        snapshot = _current(tx, user) if user else None
    if why:
        session.clear()
        session["idle"] = why == "idle"
        return
    g.user = snapshot


def _current(tx: Session, user: User) -> CurrentUser:
    must_enrol = (user.provider is None and user.totp_secret is None  # the policy is read only when it could apply
                  and second_factor.needs_enrolment(user, second_factor.required_roles(tx)))
    return CurrentUser(user.id, user.username, user.name, user.role, user.agency, must_enrol, user.language)


def check_access():
    """Before each request, after load_user: refuse what the signed-in role may not do."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in ALWAYS_OPEN or request.path.startswith("/api/"):
        return None  # the API checks its own tokens and roles (views/api.py)
    roles = declared_roles(endpoint)
    if roles is None:
        abort(403)  # a route that declares no access rule is closed to everyone
    if roles is PUBLIC:
        return None
    if g.user is None:
        return redirect(url_for("auth.sign_in", next=request.path))
    if g.user.must_enrol and endpoint not in WHILE_ENROLLING:
        return redirect(url_for("auth.enrol"))  # a second factor before anything else
    if g.user.role not in roles:
        abort(403)
    return None
