"""The service navigation: each item is shown to the roles its view allows (declared once, with @allow); and where
each role lands: its first page, and a `next` page only if the role may open it."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError

from .access import PUBLIC, CurrentUser, declared_roles

MENU = (  # (endpoint, text)
    ("screening.start", _l("New screening")),
    ("screening.mine", _l("Screenings")),
    ("children.find", _l("Children")),
    ("dashboard.dashboard", _l("Dashboard")),
    ("training.library", _l("Training")),
    ("rules.explorer", _l("Rules")),
    ("admin.audit_log", _l("Audit log")),
    ("admin.users", _l("Users")),
)
ROLE_NAMES = {"practitioner": _l("practitioner"), "safeguarding_lead": _l("safeguarding lead"), "mash": _l("mash"),
              "board": _l("board"), "trainer": _l("trainer"), "admin": _l("admin")}

LANDING = ("screening.start", "children.find", "dashboard.dashboard", "training.library", "admin.users",
           "admin.audit_log", "rules.explorer")


def menu(user: CurrentUser | None, path: str) -> list[dict]:
    if user is None or user.must_enrol:  # one way on while a required second factor is set up
        return []
    landing = home(user.role)
    items = []
    for endpoint, text in MENU:
        if user.role not in (declared_roles(endpoint) or ()):
            continue
        try:
            href = url_for(endpoint)
        except BuildError:  # an area not installed in this app is simply not shown
            continue
        items.append({"href": href, "text": str(text), "current": path == href, "home": href == landing})
    return items


def role_name(role: str) -> str:
    """A role in words, in the page's language."""
    return str(ROLE_NAMES.get(role, role.replace("_", " ")))


def may_open(role: str, path: str) -> bool:
    """Would a GET of this local `path` be let through for `role` (a public page, or one allowed to the role)?"""
    try:
        endpoint, _ = current_app.url_map.bind("").match(unquote(urlsplit(path).path), method="GET")
    except HTTPException:  # not found, not a GET, or a redirect (such as a missing trailing slash)
        return False
    roles = declared_roles(endpoint)
    return roles is PUBLIC or role in (roles or ())


def home(role: str) -> str:
    """The first page `role` may use: the start page for those who screen, the training library for a trainer,
    the users page for an administrator."""
    for endpoint in LANDING:
        if role in (declared_roles(endpoint) or ()):
            try:
                return url_for(endpoint)
            except BuildError:  # an area not installed in this app
                continue
    return url_for("screening.start")
