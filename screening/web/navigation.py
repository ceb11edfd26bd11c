"""The service navigation each role sees."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import BuildError

from .access import CurrentUser

MENU = (  # (endpoint, text, roles)
    ("screening.start", "New screening", {"practitioner", "safeguarding_lead"}),
    ("screening.mine", "Screenings", {"practitioner", "safeguarding_lead"}),
    ("training.library", "Training", {"trainer", "safeguarding_lead"}),
    ("rules.explorer", "Rules", {"practitioner", "safeguarding_lead", "trainer", "admin"}),
    ("admin.audit_log", "Audit log", {"admin", "safeguarding_lead"}),
    ("admin.users", "Users", {"admin"}),
)


def menu(user: CurrentUser | None, path: str) -> list[dict]:
    if user is None:
        return []
    items = []
    for endpoint, text, roles in MENU:
        if user.role not in roles:
            continue
        try:
            href = url_for(endpoint)
        except BuildError:  # an area not installed in this app is simply not shown
            continue
        items.append({"href": href, "text": text, "current": path == href})
    return items
