"""Signing in and out. Failures get one generic message; repeated failures lock the account, and repeated failures
from one address make it wait (counted in the database, so every instance shares the count). The address is the
proxy's client address when TRUSTED_PROXY_HOPS says how many proxies to trust.

A local account with a second factor signs in in two steps: the password, then a code (sign_in_code). People from
an OpenID Connect provider sign in there (views/single_sign_on.py)."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ...store import audit, second_factor
from ...store import users as accounts
from ...store.models import User
from .. import oidc
from ..access import SIGNED_IN, allow, sign_in_user, sign_out_user
from ..context import database
from ..navigation import home, may_open
from ..redirects import local_path

auth = Blueprint("auth", __name__)
GENERIC_FAILURE = _l("Enter a correct username and password")
CODE_FAILURE = _l("Enter a correct code from your authenticator app, or an unused recovery code")
CODE_MISSING = _l("Enter the code from your authenticator app, or a recovery code")
PENDING_SECONDS = 300  # between a right password and its code


@auth.route("/sign-in", methods=["GET", "POST"])
@allow("public")
def sign_in():
    form = FlaskForm()
    if request.method == "GET":
        return _sign_in_page(form, "", idle=session.pop("idle", False))
    username = (request.form.get("username") or "").strip()[:64]
    password = request.form.get("password") or ""
    address = request.remote_addr or "unknown"
    with database().transaction() as tx:
        if accounts.address_blocked(tx, address):
            return _sign_in_page(form, GENERIC_FAILURE), 429
        user, reason = accounts.authenticate(tx, username, password, allow_demo=current_app.config["DEMO"])
        if reason:
            accounts.record_failure(tx, address)
            action = "account_locked" if reason == "locked_now" else "sign_in_failed"
            audit.record(tx, username if user else "unknown", action, "user", username if user else "",
                         reason=reason)
        elif user.totp_secret is None:
            audit.record(tx, user.username, "sign_in", "user", user.username)
            sign_in_user(tx, user)
    if reason:
        return _sign_in_page(form, GENERIC_FAILURE), 401
    if user.totp_secret is not None:  # the password was right: the second factor decides
        session.clear()
        session["pending"] = {"uid": user.id, "at": int(time.time())}
        return redirect(url_for(".sign_in_code", next=request.args.get("next")))
    return redirect(landing(user.role))


def _sign_in_page(form, error: str, idle: bool = False):
    return render_template("auth/sign_in.html", form=form, error=str(error), idle=idle,
                           providers=oidc.providers().values())


@auth.route("/second-factor/code", methods=["GET", "POST"])
@allow("public")
def sign_in_code():
    pending = session.get("pending") or {}
    if time.time() - int(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop("pending", None)
        return render_template("auth/refused.html", reason="expired")
    form = FlaskForm()
    if request.method == "GET":
        return render_template("auth/code.html", form=form, error="")
    code = (request.form.get("code") or "").strip()
    if not code:  # a slip, not a failed sign-in
        return render_template("auth/code.html", form=form, error=str(CODE_MISSING)), 400
    with database().transaction() as tx:
        user = tx.get(User, pending["uid"])
        signed_in = user is not None and _second_factor(tx, user, code)
    if not signed_in:
        return render_template("auth/code.html", form=form, error=str(CODE_FAILURE)), 401
    return redirect(landing(user.role))


def _second_factor(tx, user: User, code: str) -> bool:
    """Check the code (counted like a wrong password when wrong); sign in when it is right."""
    address = request.remote_addr or "unknown"
    if accounts.address_blocked(tx, address) or accounts.is_locked(user) or not user.active:
        kind = ""
        reason = "locked" if accounts.is_locked(user) else "disabled" if not user.active else "address_blocked"
    else:
        kind = second_factor.verify(tx, user, code[:40])
        reason = "" if kind else ("locked_now" if accounts.count_failure(user) else "bad_code")
    if not kind:
        accounts.record_failure(tx, address)
        audit.record(tx, user.username, "account_locked" if reason == "locked_now" else "sign_in_failed", "user",
                     user.username, reason=reason)
        return False
    user.failed_sign_ins = 0
    audit.record(tx, user.username, "sign_in", "user", user.username, second_factor=kind)
    sign_in_user(tx, user)
    return True


def landing(role: str, wanted: str | None = None) -> str:
    """A safe `next` the role may open, else the first page the role may use."""
    target = local_path(wanted or request.args.get("next"))
    return target if target and may_open(role, target) else home(role)


@auth.post("/sign-out")
@allow(*SIGNED_IN)
def sign_out():
    provider = oidc.providers().get(session.get("provider", ""))
    with database().transaction() as tx:
        audit.record(tx, g.user.username, "sign_out", "user", g.user.username)
        sign_out_user(tx)
    at_provider = provider and oidc.sign_out_address(provider, url_for("auth.signed_out", _external=True))
    return redirect(at_provider or url_for("auth.signed_out"))


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
