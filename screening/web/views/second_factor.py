"""A local account's second factor: enrolling an authenticator app (its QR code drawn on the server as SVG), the
recovery codes shown once, and the administrator's policy on which roles must have one."""

from __future__ import annotations

import segno
from flask import g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup

from ...store import audit, second_factor
from ...store import users as accounts
from ...store.models import ROLES, User
from ..access import SIGNED_IN, allow
from ..context import database
from ..navigation import home
from .auth import auth

ROLE_NAMES = {"practitioner": _l("Practitioners"), "safeguarding_lead": _l("Safeguarding leads"), "mash": _l("MASH"),
              "board": _l("Partnership board"), "trainer": _l("Trainers"), "admin": _l("Administrators")}


@auth.route("/account/second-factor", methods=["GET", "POST"])
@allow(*SIGNED_IN)
def enrol():
    with database().reading() as tx:
        user = tx.get(User, g.user.id)
        enrolled, local = user.totp_secret is not None, user.provider is None
    if enrolled or not local:
        return render_template("auth/second_factor_done.html", local=local)
    secret = session.get("enrolling") or second_factor.new_secret()
    session["enrolling"] = secret
    error = ""
    if request.method == "POST":
        with database().transaction() as tx:
            user = tx.get(User, g.user.id)
            codes = second_factor.enrol(tx, user, secret, request.form.get("code") or "")
            if codes:
                audit.record(tx, g.user.username, "second_factor_enrolled", "user", g.user.username)
        if codes:
            session.pop("enrolling", None)
            session["recovery_codes"] = codes
            return redirect(url_for(".recovery_codes"))
        error = _("Enter the 6-digit code your authenticator app shows now")
    uri = second_factor.enrolment_uri(secret, g.user.username)
    drawing = segno.make(uri, error="m").svg_inline(scale=5, title=_("QR code to scan with your authenticator app"))
    qr = Markup(drawing)  # nosec B704  (segno's own SVG: paths and our title, nothing the person typed)
    return render_template("auth/enrol.html", form=FlaskForm(), qr=qr, secret=secret, error=error,
                           must=g.user.must_enrol), (400 if error else 200)


@auth.get("/account/recovery-codes")
@allow(*SIGNED_IN)
def recovery_codes():
    codes = session.pop("recovery_codes", None)
    if not codes:
        return redirect(home(g.user.role))
    return render_template("auth/recovery_codes.html", codes=codes, home=home(g.user.role))


@auth.route("/admin/second-factor", methods=["GET", "POST"])
@allow("admin")
def policy():
    if request.method == "POST":
        chosen = [role for role in request.form.getlist("roles") if role in ROLES]
        with database().transaction() as tx:
            second_factor.set_required_roles(tx, chosen, g.user.username)
            audit.record(tx, g.user.username, "second_factor_policy_changed", "policy", "second_factor",
                         roles=chosen)
        return redirect(url_for(".policy", saved=1))
    with database().reading() as tx:
        required = second_factor.required_roles(tx)
    return render_template("auth/policy.html", form=FlaskForm(), required=required, roles=ROLES,
                           role_names=ROLE_NAMES, saved=request.args.get("saved") == "1")


@auth.post("/admin/users/<username>/second-factor/remove")
@allow("admin")
def remove_second_factor(username: str):
    with database().transaction() as tx:
        user = accounts.find(tx, username)
        if user is not None and user.totp_secret is not None:
            second_factor.remove(tx, user)
            audit.record(tx, g.user.username, "second_factor_removed", "user", username)
    return redirect(url_for("admin.users"))
