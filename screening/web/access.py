"""Who may use which route. Every view declares its roles; a route that declares none is refused (fail closed).

Signed-in users are loaded once per request into `g.user`; sessions end after an idle timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, g, redirect, request, session, url_for

from ..store import audit
from ..store.models import User
from .context import database

PUBLIC = frozenset({"public"})
SIGNED_IN = frozenset({"practitioner", "safeguarding_lead", "trainer", "admin"})
SCREENERS = frozenset({"practitioner", "safeguarding_lead"})
TRAINERS = frozenset({"trainer", "safeguarding_lead"})
ALWAYS_OPEN = {"static"}


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    name: str
    role: str
    agency: str

    @property
    def is_lead(self) -> bool:
        return self.role == "safeguarding_lead"


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


def sign_in_user(user: User) -> None:
    session.clear()
    session.update(uid=user.id, seen=int(time.time()))
    session.permanent = False


def load_user() -> None:
    """Before each request: who is signed in, and have they been idle too long?"""
    g.user = None
    if request.endpoint in ALWAYS_OPEN:
        return
    uid = session.get("uid")
    if uid is None:
        return
    idle = time.time() - session.get("seen", 0)
    with database().reading() as tx:
        user = tx.get(User, uid)
        snapshot = (CurrentUser(user.id, user.username, user.name, user.role, user.agency)
                    if user is not None and user.active else None)
    if snapshot is None:
        session.clear()
        return
    if idle > current_app.config["IDLE_TIMEOUT_MINUTES"] * 60:
        with database().transaction() as tx:
            audit.record(tx, snapshot.username, "signed_out_idle", "user", snapshot.username)
        session.clear()
        session["idle"] = True
        return
    g.user = snapshot
    session["seen"] = int(time.time())


def check_access():
    """Before each request, after load_user: refuse what the signed-in role may not do."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in ALWAYS_OPEN:
        return None
    roles = declared_roles(endpoint)
    if roles is None:
        abort(403)  # a route that declares no access rule is closed to everyone
    if roles is PUBLIC:
        return None
    if g.user is None:
        return redirect(url_for("auth.sign_in", next=request.path))
    if g.user.role not in roles:
        abort(403)
    return None
