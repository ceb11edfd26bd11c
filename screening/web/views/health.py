"""Health checks for supervisors and load balancers: no sign-in, no personal data."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy.exc import SQLAlchemyError

from ..access import allow
from ..context import active_ruleset

health = Blueprint("health", __name__)
PLAIN = {"Content-Type": "text/plain"}


@health.get("/healthz")
@allow("public")
def healthz():
    """The process is up (a liveness check)."""
    return "ok", 200, PLAIN


@health.get("/readyz")
@allow("public")
def readyz():
    """The database answers and a rule set is active (a readiness check: send requests here or not)."""
    try:
        active_ruleset()
    except (SQLAlchemyError, LookupError):
        return "not ready", 503, PLAIN
    return "ready", 200, PLAIN
