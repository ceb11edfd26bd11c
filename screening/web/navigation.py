"""The service navigation: each item is shown to the roles its view allows (declared once, with @allow)."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import BuildError

from .access import CurrentUser, declared_roles

MENU = (  # (endpoint, text)
    ("screening.start", "New screening"),
    ("screening.mine", "Screenings"),
    ("training.library", "Training"),
    ("rules.explorer", "Rules"),
    ("admin.audit_log", "Audit log"),
    ("admin.users", "Users"),
)


def menu(user: CurrentUser | None, path: str) -> list[dict]:
    if user is None:
        return []
    items = []
    for endpoint, text in MENU:
        if user.role not in (declared_roles(endpoint) or ()):
            continue
        try:
            href = url_for(endpoint)
        except BuildError:  # an area not installed in this app is simply not shown
            continue
        items.append({"href": href, "text": text, "current": path == href})
    return items
