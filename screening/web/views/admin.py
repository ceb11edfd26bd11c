"""Administration: user accounts (admins) and the audit log (admins and safeguarding leads)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ...question_types import whole_number
from ...store import audit
from ...store import users as accounts
from ...store.models import ROLES
from ..access import allow
from ..context import active_ruleset, database

admin = Blueprint("admin", __name__, url_prefix="/admin")
FIELDS = {"username": _l("Enter the username"), "name": _l("Enter the name"), "role": _l("Select the role"),
          "agency": _l("Select the agency"), "password": _l("Enter the password")}
MAX_DAYS = 36_500  # the audit log's filter goes back at most a hundred years



@admin.get("/users")
@allow("admin")
def users():
    with database().reading() as tx:
        rows = accounts.all_users(tx)
    agencies = {a.id: a.name for a in active_ruleset().agencies}
    return render_template("admin/users.html", users=rows, form=FlaskForm(), agencies=agencies)


@admin.route("/users/new", methods=["GET", "POST"])
@allow("admin")
def add_user():
    form, data, errors = FlaskForm(), dict(request.form), {}
    if request.method == "POST":
        errors = {f: str(message) for f, message in FIELDS.items() if not (data.get(f) or "").strip()}
        if not errors:
            try:
                with database().transaction() as tx:
                    user = accounts.add_user(tx, data["username"].strip(), data["name"].strip(), data["role"],
                                             data["agency"].strip(), data["password"])
                    audit.record(tx, g.user.username, "user_added", "user", user.username, role=user.role)
                return redirect(url_for(".users"))
            except accounts.AccountError as exc:
                errors = {"username" if "username" in str(exc) else "password": str(exc).capitalize()}
    return render_template("admin/user_new.html", form=form, data=data, errors=errors, roles=ROLES,
                           agencies=active_ruleset().agencies), (400 if errors else 200)


@admin.post("/users/<username>/disable")
@allow("admin")
def disable_user(username: str):
    with database().transaction() as tx:
        user = accounts.find(tx, username)
        if user is not None and user.username != g.user.username:
            accounts.disable(tx, user)
            audit.record(tx, g.user.username, "user_disabled", "user", username)
    return redirect(url_for(".users"))


@admin.get("/audit")
@allow("admin", "safeguarding_lead")
def audit_log():
    filters = _filters()
    with database().reading() as tx:
        rows = audit.events(tx, **filters)
    return render_template("admin/audit.html", events=rows, filters=filters, actions=audit.ACTIONS)


@admin.get("/audit.csv")
@allow("admin", "safeguarding_lead")
def audit_csv():
    with database().reading() as tx:
        body = audit.to_csv(audit.events(tx, **_filters(), limit=100_000))
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=audit.csv"})


def _filters() -> dict:
    days = whole_number(request.args.get("days", ""))
    since = datetime.now(UTC) - timedelta(days=min(days, MAX_DAYS)) if days is not None else None
    return {"actor": request.args.get("actor", "").strip()[:64], "action": request.args.get("action", ""),
            "record_id": request.args.get("record_id", "").strip()[:64], "since": since}
