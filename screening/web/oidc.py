"""The OpenID Connect client (Authlib): the authorization code flow with PKCE (S256), state and nonce; the ID token's
signature checked against the provider's published keys (JWKS), and its issuer, audience, expiry and nonce.

Each provider's discovery document is fetched at its first use, not at start, so the app starts while a provider is
unreachable; its sign-in then fails with a page, never a server error."""

from __future__ import annotations

from collections.abc import Mapping

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError
from requests import RequestException

from .providers import Provider, load

TIMEOUT_SECONDS = 10
FAILURES = (OAuthError, JoseError, RequestException, ValueError, KeyError)  # each one: sign-in refused


class SignInRefused(Exception):
    """The provider's answer could not be trusted (the reason is for the audit trail, never shown)."""


def init_app(app: Flask) -> None:
    """Register the providers OIDC_PROVIDERS_FILE lists (checked now: a bad file stops the app at start)."""
    providers = load(str(app.config.get("OIDC_PROVIDERS_FILE") or ""))
    oauth = OAuth(app)
    for provider in providers:
        oauth.register(name=provider.id, client_id=provider.client_id, client_secret=provider.client_secret,
                       server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
                       client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256",
                                      "default_timeout": TIMEOUT_SECONDS})
    app.extensions["oidc"] = oauth
    app.extensions["oidc_providers"] = {p.id: p for p in providers}


def origins(app: Flask) -> str:
    """The providers' origins (scheme, host and port of each issuer), space-separated."""
    return " ".join(sorted({"/".join(p.issuer.split("/")[:3]) for p in app.extensions["oidc_providers"].values()}))


def providers() -> Mapping[str, Provider]:
    return current_app.extensions["oidc_providers"]


def _client(provider: Provider):
    return current_app.extensions["oidc"].create_client(provider.id)


def start(provider: Provider, callback: str):
    """The redirect to the provider's sign-in (state, nonce and PKCE verifier kept in the session)."""
    return _client(provider).authorize_redirect(callback)


def finish(provider: Provider) -> dict:
    """The checked ID token's claims for the callback now being handled; SignInRefused when anything is wrong
    (the provider's error, a state not issued to this browser or used already, a code the provider refuses, or an
    ID token with a bad signature, another issuer or audience, a wrong nonce, or expired)."""
    try:
        token = _client(provider).authorize_access_token(
            claims_options={"iss": {"essential": True, "values": [provider.issuer]},
                            "aud": {"essential": True, "values": [provider.client_id]}}, leeway=60)
    except FAILURES as exc:
        raise SignInRefused(type(exc).__name__) from None
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused("no_id_token")
    return dict(claims)


def sign_out_address(provider: Provider, after: str) -> str | None:
    """The provider's end-session address (sending the person back to `after`), where it offers one."""
    client = _client(provider)
    try:
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        return str(client.create_logout_url(post_logout_redirect_uri=after, client_id=provider.client_id)["url"])
    except FAILURES:
        return None
