"""Signing in with an OpenID Connect provider, over real HTTP against a real provider (tests/oidc: the
`oidc-provider` package): accounts made and kept in step from its claims, unmapped people refused, and every ID
token the provider's keys, this app's client and this browser's nonce do not vouch for refused."""

from __future__ import annotations

import pytest

from screening.store import AuditEvent, User
from screening.store import users as accounts
from screening.store.models import UserSession
from screening.web import ConfigurationError, create_app
from tests.conftest import prepared_database
from tests.oidc.provider import CLIENT_SECRET, CLIENT_SECRET_ENV, running_provider, through_provider
from tests.web.conftest import sign_in


@pytest.fixture(scope="module")
def idp():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def app(tmp_path, idp, monkeypatch):
    monkeypatch.setenv(CLIENT_SECRET_ENV, CLIENT_SECRET)
    return create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True,
                       "OIDC_PROVIDERS_FILE": idp.providers_file(tmp_path)})


def accounts_from_provider(app) -> dict[str, tuple[str, str]]:
    with app.extensions["db"].reading() as tx:
        return {u.username: (u.role, u.agency) for u in tx.query(User).filter(User.provider.is_not(None))}


def actions(app) -> list[str]:
    with app.extensions["db"].reading() as tx:
        return [e.action for e in tx.query(AuditEvent).order_by(AuditEvent.id)]


def test_a_person_in_the_leads_group_signs_in_as_a_lead(app, idp):
    client = app.test_client()
    landed = through_provider(client, idp, "lee")
    assert landed.status_code == 302
    assert accounts_from_provider(app) == {"lee@test-idp": ("safeguarding_lead", "social_care")}
    assert actions(app)[-2:] == ["user_added", "sign_in"]
    assert client.get("/admin/audit").status_code == 200  # a lead's page
    assert client.get("/admin/users").status_code == 403  # an administrator's


def test_the_sign_in_page_offers_each_provider(app):
    page = app.test_client().get("/sign-in").text
    assert "Sign in with Test Council" in page and 'href="/sign-in/with/test-idp"' in page


def test_a_person_in_no_mapped_group_is_refused_with_a_page_and_no_account(app, idp):
    client = app.test_client()
    refused = through_provider(client, idp, "nia")
    assert refused.status_code == 403 and "not in a group that gives access" in refused.text
    assert accounts_from_provider(app) == {} and "sign_in_refused" in actions(app)
    assert client.get("/screenings").location.startswith("/sign-in")


@pytest.mark.parametrize(("account", "why"), [
    ("tampered", "BadSignatureError"),  # altered after signing
    ("unknown-key", "BadSignatureError"),  # signed by a key the provider never published
    ("expired", "ExpiredTokenError"),
    ("wrong-audience", "InvalidClaimError"),  # issued to another client
    ("wrong-audience-azp", "InvalidClaimError"),  # another client's, though it names this one as its party
    ("wrong-nonce", "InvalidClaimError"),  # not the nonce this browser's sign-in sent
    ("wrong-issuer", "InvalidClaimError"),
])
def test_an_id_token_the_app_cannot_trust_is_refused(app, idp, account, why):
    """Each of these people is in the leads group: only the checks on their ID token keep them out."""
    client = app.test_client()
    refused = through_provider(client, idp, account)
    assert refused.status_code == 401 and "Sign-in did not work" in refused.text
    assert accounts_from_provider(app) == {}
    with app.extensions["db"].reading() as tx:
        last = tx.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    assert (last.action, last.detail) == ("sign_in_failed", {"reason": why})
    assert client.get("/screenings").location.startswith("/sign-in")


def test_a_callback_used_again_is_refused(app, idp):
    client = app.test_client()
    start = client.get("/sign-in/with/test-idp")
    callback = idp.authorize(start.location, "pat")
    assert client.get(callback).status_code == 302  # signed in
    token = sign_in_token(client)
    client.post("/sign-out", data={"csrf_token": token})
    replayed = client.get(callback)
    assert replayed.status_code == 401 and client.get("/screenings").location.startswith("/sign-in")


def test_a_callback_for_a_sign_in_another_browser_started_is_refused(app, idp):
    victim, attacker = app.test_client(), app.test_client()
    callback = idp.authorize(attacker.get("/sign-in/with/test-idp").location, "pat")
    assert victim.get(callback).status_code == 401  # the state was never issued to this browser
    assert victim.get("/screenings").location.startswith("/sign-in")


def sign_in_token(client) -> str:
    return client.get("/sign-in").text.split('name="csrf_token" value="')[1].split('"')[0]


def test_accounts_follow_the_provider_and_are_refused_when_claims_no_longer_map(app, idp):
    idp.set_groups("sam", ["leads"])
    first = app.test_client()
    through_provider(first, idp, "sam")
    idp.set_groups("sam", ["practitioners"])
    assert through_provider(app.test_client(), idp, "sam").status_code == 302
    assert accounts_from_provider(app) == {"sam@test-idp": ("practitioner", "social_care")}
    assert "user_updated" in actions(app)
    idp.set_groups("sam", ["finance"])
    assert through_provider(app.test_client(), idp, "sam").status_code == 403
    assert first.get("/screenings").location.startswith("/sign-in")  # its live sessions ended too
    with app.extensions["db"].reading() as tx:
        assert tx.query(UserSession).filter(UserSession.ended_at.is_(None)).count() == 0


def test_signing_out_ends_the_session_here_and_at_the_provider(app, idp):
    client = app.test_client()
    through_provider(client, idp, "pat")
    out = client.post("/sign-out", data={"csrf_token": sign_in_token(client)})
    assert out.location.startswith(f"{idp.issuer}/session/end")
    assert "post_logout_redirect_uri=http%3A%2F%2Flocalhost%2Fsigned-out" in out.location
    assert client.get("/screenings").location.startswith("/sign-in")


def test_an_account_from_a_provider_has_no_password_here(app, idp):
    through_provider(app.test_client(), idp, "pat")
    assert sign_in(app.test_client(), "pat@test-idp", "any password at all").status_code == 401


def test_a_disabled_account_from_a_provider_stays_out(app, idp):
    through_provider(app.test_client(), idp, "pat")
    with app.extensions["db"].transaction() as tx:
        accounts.disable(tx, accounts.find(tx, "pat@test-idp"))
    assert through_provider(app.test_client(), idp, "pat").status_code == 403


def test_an_address_with_too_many_failures_waits(app, idp):
    with app.extensions["db"].transaction() as tx:
        for _ in range(accounts.ADDRESS_LIMIT):
            accounts.record_failure(tx, "127.0.0.1")
    assert app.test_client().get("/sign-in/with/test-idp").status_code == 429


@pytest.mark.parametrize(("change", "message"), [
    ({"roles": {"chief": ["x"]}}, "unknown role chief"),
    ({"client_secret_env": "NOT_SET_ANYWHERE"}, "NOT_SET_ANYWHERE"),
    ({"issuer": "http://idp.example"}, "https://"),
    ({"colour": "blue"}, "unknown colour"),
])
def test_a_providers_file_it_cannot_use_stops_the_app_at_start(tmp_path, monkeypatch, change, message):
    monkeypatch.setenv(CLIENT_SECRET_ENV, CLIENT_SECRET)
    entry = {"id": "x", "name": "X", "issuer": "https://idp.example", "client_id": "c",
             "client_secret_env": CLIENT_SECRET_ENV, "roles": {"practitioner": ["p"]}, "agency": "school", **change}
    path = tmp_path / "providers.json"
    path.write_text(__import__("json").dumps({"providers": [entry]}))
    with pytest.raises(ConfigurationError, match=message):
        create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True, "OIDC_PROVIDERS_FILE": str(path)})


def test_the_first_role_the_file_lists_wins_and_agencies_can_follow_groups():
    from screening.web.providers import Provider

    provider = Provider("x", "X", "https://idp.example", "c", "s",
                        roles=(("admin", frozenset({"it"})), ("practitioner", frozenset({"staff"}))),
                        agencies=(("school", frozenset({"teachers"})), ("health_gp", frozenset({"gps"}))),
                        groups_claim="roles")
    both = provider.person({"sub": "1", "roles": ["staff", "it", "gps"], "email": "Kim.Lee@example.org"})
    assert (both.role, both.agency, both.handle) == ("admin", "health_gp", "Kim.Lee@example.org")
    assert provider.person({"sub": "2", "roles": "staff"}) is None  # a role but no agency
    assert provider.person({"sub": "3", "roles": ["teachers"]}) is None  # an agency but no role
    assert provider.person({"roles": ["staff", "teachers"]}) is None  # nobody: no subject


def test_usernames_from_providers_never_clash(app, idp):
    with app.extensions["db"].transaction() as tx:
        made = [accounts.keep_provider_account(tx, accounts.ProviderPerson("test-idp", sub, "Kim.Lee@x.org", "Kim",
                                                                           "practitioner", "school"))[0].username
                for sub in ("a", "b")]
    assert made == ["kim.lee@test-idp", "kim.lee-2@test-idp"]


def test_a_provider_that_does_not_answer_gets_a_page_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv(CLIENT_SECRET_ENV, CLIENT_SECRET)
    path = tmp_path / "providers.yaml"
    path.write_text("providers:\n  - {id: gone, name: Gone, issuer: 'http://127.0.0.1:9', client_id: c,\n"
                    f"     client_secret_env: {CLIENT_SECRET_ENV}, roles: {{practitioner: [p]}}, agency: school}}\n")
    app = create_app({"DATABASE_URL": prepared_database(tmp_path), "TESTING": True, "OIDC_PROVIDERS_FILE": str(path)})
    answer = app.test_client().get("/sign-in/with/gone")
    assert answer.status_code == 503 and "Sign-in did not work" in answer.text
