"""Signing in and out. Failures get one generic message; repeated failures lock the account, and repeated failures
from one address make it wait (counted in the database, so every instance shares the count). The address is the
proxy's client address when TRUSTED_PROXY_HOPS says how many proxies to trust."""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm

from ...store import audit
from ...store import users as accounts
from ..access import SIGNED_IN, allow, sign_in_user, sign_out_user
from ..context import database
from ..navigation import home, may_open
from ..redirects import local_path

auth = Blueprint("auth", __name__)
GENERIC_FAILURE = "Enter a correct username and password"


@auth.route("/sign-in", methods=["GET", "POST"])
@allow("public")
def sign_in():
    form = FlaskForm()
    if request.method == "GET":
        return render_template("auth/sign_in.html", form=form, error="", idle=session.pop("idle", False))
    username = (request.form.get("username") or "").strip()[:64]
    password = request.form.get("password") or ""
    address = request.remote_addr or "unknown"
    with database().transaction() as tx:
        if accounts.address_blocked(tx, address):
            return render_template("auth/sign_in.html", form=form, error=GENERIC_FAILURE, idle=False), 429
        user, reason = accounts.authenticate(tx, username, password, allow_demo=current_app.config["DEMO"])
        if reason:
            accounts.record_failure(tx, address)
            action = "account_locked" if reason == "locked_now" else "sign_in_failed"
            audit.record(tx, username if user else "unknown", action, "user", username if user else "",
                         reason=reason)
        else:
            audit.record(tx, user.username, "sign_in", "user", user.username)
            sign_in_user(tx, user)
    if reason:
        return render_template("auth/sign_in.html", form=form, error=GENERIC_FAILURE, idle=False), 401
    return redirect(_landing(user.role))


def _landing(role: str) -> str:
    """A safe `next` the role may open, else the first page the role may use."""
    target = local_path(request.args.get("next"))
    return target if target and may_open(role, target) else home(role)


@auth.post("/sign-out")
@allow(*SIGNED_IN)
def sign_out():
    with database().transaction() as tx:
        audit.record(tx, g.user.username, "sign_out", "user", g.user.username)
        sign_out_user(tx)
    return redirect(url_for("auth.signed_out"))


@auth.get("/signed-out")
@allow("public")
def signed_out():
    idle = request.args.get("idle") == "1" or session.pop("idle", False)
    if idle:  # the idle-timeout script lands here when time is up: end the session now, not at its next use
        with database().transaction() as tx:
            sign_out_user(tx)
    return render_template("auth/signed_out.html", idle=idle)


@auth.get("/keep-alive")
@allow(*SIGNED_IN)
def keep_alive():
    """Called by the idle-timeout warning's 'Stay signed in' button; the request itself refreshes the session."""
    return "", 204
