"""Signing in with an OpenID Connect provider: to the provider and back. The account is made at a person's first
sign-in, brought in step with their claims at each one, and refused (with its sessions ended) when their claims
no longer give them a role and an agency here. A failed callback counts towards the address throttle."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for

from ...store import audit, sessions
from ...store import users as accounts
from .. import oidc
from ..access import allow, sign_in_user
from ..context import database
from .auth import auth, landing


def _provider(provider_id: str) -> oidc.Provider:
    provider = oidc.providers().get(provider_id)
    if provider is None:
        abort(404)
    return provider


@auth.get("/sign-in/with/<provider_id>")
@allow("public")
def provider_start(provider_id: str):
    provider = _provider(provider_id)
    with database().reading() as tx:
        if accounts.address_blocked(tx, request.remote_addr or "unknown"):
            return _refused(provider, "blocked", 429)
    session["after_sign_in"] = request.args.get("next") or ""
    try:
        return oidc.start(provider, url_for(".provider_callback", provider_id=provider.id, _external=True))
    except oidc.FAILURES:
        return _refused(provider, "provider_unreachable", 503, counts=False)


@auth.get("/sign-in/with/<provider_id>/callback")
@allow("public")
def provider_callback(provider_id: str):
    provider = _provider(provider_id)
    with database().reading() as tx:
        if accounts.address_blocked(tx, request.remote_addr or "unknown"):
            return _refused(provider, "blocked", 429)
    try:
        claims = oidc.finish(provider)
    except oidc.SignInRefused as exc:
        return _refused(provider, str(exc), 401)
    wanted = session.pop("after_sign_in", "")
    person = provider.person(claims)
    if person is None:
        return _not_mapped(provider, str(claims.get("sub") or ""))
    with database().transaction() as tx:
        user, changed = accounts.keep_provider_account(tx, person)
        if not user.active:
            audit.record(tx, user.username, "sign_in_failed", "user", user.username, reason="disabled")
            refused = True
        else:
            refused = False
            if "created" in changed:
                audit.record(tx, f"@{provider.id}", "user_added", "user", user.username, role=user.role)
            elif changed:
                audit.record(tx, f"@{provider.id}", "user_updated", "user", user.username, **changed)
            audit.record(tx, user.username, "sign_in", "user", user.username, provider=provider.id)
            sign_in_user(tx, user)
            session["provider"] = provider.id
    if refused:
        return render_template("auth/refused.html", provider=provider, reason="disabled"), 403
    return redirect(landing(user.role, wanted))


def _refused(provider: oidc.Provider, reason: str, status: int, counts: bool = True):
    """The provider's answer could not be used: audited, counted like a failed sign-in (unless the provider could
    not be reached), and a page saying so."""
    with database().transaction() as tx:
        if counts:
            accounts.record_failure(tx, request.remote_addr or "unknown")
        audit.record(tx, "unknown", "sign_in_failed", "provider", provider.id, reason=reason[:64])
    return render_template("auth/refused.html", provider=provider, reason="failed"), status


def _not_mapped(provider: oidc.Provider, subject: str):
    """Signed in at the provider, but no role or agency here: refused, and any account they had stops working."""
    with database().transaction() as tx:
        user = accounts.find_by_subject(tx, provider.id, subject) if subject else None
        if user is not None:
            sessions.end_all(tx, user.id, "claims_unmapped")
        audit.record(tx, user.username if user else "unknown", "sign_in_refused", "provider", provider.id,
                     reason="no_role_or_agency")
    return render_template("auth/refused.html", provider=provider, reason="unmapped"), 403
