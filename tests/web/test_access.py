"""Accounts, roles, hardening and data protection over HTTP.

The role matrix enumerates every registered route against every role and anonymous access, for local accounts and
for accounts from an OpenID Connect provider (tests/oidc). A route missing
from EXPECTED, or one whose declared roles differ from it, fails here."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from screening.store import AuditEvent, Screening, sealing
from screening.store import users as accounts
from screening.store.models import UserSession
from screening.web import ConfigurationError, create_app
from screening.web.access import PUBLIC, declared_roles
from tests.conftest import prepared_database
from tests.oidc.provider import CLIENT_SECRET, CLIENT_SECRET_ENV, PEOPLE, running_provider, through_provider
from tests.web.conftest import Practitioner, sign_in, signed_in_client


def age_sessions(app, *, last_seen: timedelta = timedelta(0), created: timedelta = timedelta(0)) -> None:
    """Move every stored session's last activity and sign-in time back (what an idle or long day would do)."""
    with app.extensions["db"].transaction() as tx:
        for row in tx.query(UserSession):
            row.last_seen_at = datetime.now(UTC) - last_seen
            row.created_at = datetime.now(UTC) - created

P, L, M, B, T, A = "practitioner", "safeguarding_lead", "mash", "board", "trainer", "admin"
SCREENERS, TRAINERS, READERS, RECORDS = {P, L}, {T, L}, {P, L, M}, {L, M}
ALL = {P, L, M, B, T, A}
EXPECTED = {
    "screening.start": SCREENERS, "screening.new": SCREENERS, "screening.mine": READERS,
    "screening.tasks": SCREENERS, "screening.page": SCREENERS, "screening.check": SCREENERS,
    "screening.submit": SCREENERS, "screening.outcome": READERS, "screening.decide": SCREENERS,
    "screening.export_json": READERS, "screening.referral": READERS, "screening.referral_txt": READERS,
    "screening.referral_pdf": READERS, "screening.danger": SCREENERS, "screening.provisional": SCREENERS,
    "screening.delete": SCREENERS, "screening.child": SCREENERS, "screening.find_child": SCREENERS,
    "screening.confirm_child": SCREENERS, "screening.skip_child": SCREENERS, "screening.change_child": SCREENERS,
    "screening.child_details": SCREENERS,
    "children.find": RECORDS, "children.chronology": RECORDS, "children.merge": {L}, "children.unmerge": {L},
    "children.unlink": {L},
    "followup.response": READERS, "followup.challenge": READERS, "followup.meeting": READERS,
    "dashboard.dashboard": {L, B}, "dashboard.table_csv": {L, B}, "dashboard.chart": {L, B},
    "api.evaluate_answers": SCREENERS, "api.file_screening": SCREENERS, "api.get_screening": READERS,
    "api.get_referral": READERS,
    "api.chronology": RECORDS, "api.ruleset": ALL, "api.openapi": "public", "api.reference": "public",
    "followup.amend_meeting": RECORDS, "followup.minutes": READERS, "followup.minutes_pdf": READERS,
    "training.library": TRAINERS, "training.intro": TRAINERS, "training.start": TRAINERS, "training.stage": TRAINERS,
    "training.reveal": TRAINERS, "training.summary": TRAINERS, "training.notes": TRAINERS,
    "training.start_group": TRAINERS, "training.projector": TRAINERS, "training.projector_live": TRAINERS,
    "training.next_step": TRAINERS, "training.close_group": TRAINERS, "training.join_qr": TRAINERS,
    "training.agreement": {T, L, B},
    "join.enter": "public", "join.enter_code": "public", "join.room": "public", "join.join_room": "public",
    "join.answer": "public", "join.live": "public",
    "admin.users": {A}, "admin.add_user": {A}, "admin.disable_user": {A},
    "admin.audit_log": {A, L}, "admin.audit_csv": {A, L},
    "auth.sign_in": "public", "auth.signed_out": "public", "health.healthz": "public", "health.readyz": "public",
    "auth.sign_out": ALL, "auth.keep_alive": ALL,
    "auth.sign_in_code": "public", "auth.provider_start": "public", "auth.provider_callback": "public",
    "auth.enrol": ALL, "auth.recovery_codes": ALL, "auth.policy": {A}, "auth.remove_second_factor": {A},
    "rules.explorer": ALL, "rules.download": {L}, "rules.propose": {L}, "rules.preview": {L},
    "rules.approve": {L}, "rules.activate": {L}, "rules.start_preview": {L}, "rules.insight": {L},
    "editor.home": {L}, "editor.item": {L}, "editor.new_sign": {L}, "editor.changes": {L}, "editor.propose": {L},
    "editor.discard": {L}, "tables.page": ALL, "tables.csv": ALL, "tables.xlsx": ALL, "tables.upload": {L},
    "assurance.accessibility": "public", "assurance.privacy": "public", "assurance.cookies": "public",
    "child_data.hold": {L}, "child_data.subject_access_page": {L}, "child_data.subject_access_json": {L},
    "child_data.subject_access_pdf": {L},
    "language.choose": "public",
}
USERNAMES = {P: "demo-practitioner", L: "demo-lead", M: "demo-mash", B: "demo-board", T: "demo-trainer",
             A: "demo-admin"}


def routes(app):
    """Every route but static files; signing out last, so the matrix runs signed in."""
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                  key=lambda r: r.endpoint == "auth.sign_out")


@pytest.mark.hazard("H-09")
def test_every_route_declares_exactly_the_expected_roles(app):
    with app.app_context():
        for rule in routes(app):
            assert rule.endpoint in EXPECTED, f"new route {rule.rule} ({rule.endpoint}) has no entry in the matrix"
            declared = declared_roles(rule.endpoint)
            assert declared is not None, f"{rule.endpoint} declares no access rule"
            expected = EXPECTED[rule.endpoint]
            assert declared == (PUBLIC if expected == "public" else frozenset(expected)), rule.endpoint


def test_an_undeclared_route_is_refused_to_everyone(app):
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    assert app.test_client().get("/undeclared").status_code == 403
    assert signed_in_client(app, "demo-admin").get("/undeclared").status_code == 403


@pytest.fixture
def matrix_app(tmp_path):
    app = create_app({"DATABASE_URL": prepared_database(tmp_path, "matrix.db"), "TESTING": True})
    return app


def _url(rule, sid: str, vignette: str, child: str) -> str:
    values = {"screening_id": sid, "page_id": "start", "vignette_id": vignette, "number": 1, "child_id": child,
              "code": "NOCODE",
              "other_id": child, "provider_id": "council",
              "username": "demo-trainer", "name": "rules.yaml", "version_id": 1,
              "kind_name": "signs", "item_id": "gifts_unexplained"}
    missing = set(rule.arguments) - set(values)
    assert not missing, f"add sample values for {missing} in the role matrix"
    return rule.build({k: values[k] for k in rule.arguments})[1]


@pytest.mark.hazard("H-09")
@pytest.mark.parametrize("role", [None, P, L, M, B, T, A], ids=lambda r: r or "anonymous")
def test_role_matrix(matrix_app, role):
    client = matrix_app.test_client()
    if role:
        sign_in(client, USERNAMES[role])
    walk_the_matrix(matrix_app, client, role)


@pytest.fixture(scope="module")
def idp():
    with running_provider() as provider:
        yield provider


@pytest.mark.parametrize("role", [P, L, M, B, T, A])
def test_role_matrix_for_accounts_from_a_provider(tmp_path, idp, monkeypatch, role):
    monkeypatch.setenv(CLIENT_SECRET_ENV, CLIENT_SECRET)
    app = create_app({"DATABASE_URL": prepared_database(tmp_path, "matrix.db"), "TESTING": True,
                      "OIDC_PROVIDERS_FILE": idp.providers_file(tmp_path)})
    client = app.test_client()
    assert through_provider(client, idp, PEOPLE[role]).status_code == 302
    walk_the_matrix(app, client, role)


def walk_the_matrix(matrix_app, client, role) -> None:
    """Open every route (but the API's) as `client`, who is signed in as `role` or not at all."""
    owner = Practitioner(signed_in_client(matrix_app))
    sid = owner.start()
    assert owner.post(f"/screenings/{sid}/child", {"nhs": "943 476 5919"}).status_code == 302
    with matrix_app.extensions["db"].reading() as tx:
        child = tx.get(Screening, sid).child_id
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    vignette = next(iter(matrix_app.extensions["vignettes"]))
    for rule in routes(matrix_app):
        if rule.endpoint.startswith("api."):
            continue  # the API takes tokens, never this session: tests/web/test_api.py has its own matrix
        expected = EXPECTED[rule.endpoint]
        url = _url(rule, sid, vignette, child)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        allowed = expected == "public" or (role in expected)
        where = f"{role or 'anonymous'} {method} {url}"
        if allowed:
            assert response.status_code != 403 and not (response.location or "").startswith("/sign-in"), where
        elif role is None:
            assert response.status_code == 302 and response.location.startswith("/sign-in"), where
        else:
            assert response.status_code == 403, where


def test_sign_in_failures_get_one_generic_message_and_are_audited(app, anonymous):
    wrong = sign_in(anonymous, "demo-practitioner", "not the password")
    nobody = sign_in(anonymous, "no-such-user", "whatever password")
    assert wrong.status_code == nobody.status_code == 401
    for response in (wrong, nobody):
        assert "Enter a correct username and password" in response.text
    with app.extensions["db"].reading() as tx:
        actions = [e.action for e in tx.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions.count("sign_in_failed") == 2


def test_repeated_failures_lock_the_account(app, anonymous):
    for _ in range(accounts.MAX_FAILURES):
        sign_in(anonymous, "demo-practitioner", "not the password")
    assert sign_in(anonymous, "demo-practitioner").status_code == 401  # right password, still locked
    with app.extensions["db"].reading() as tx:
        assert tx.query(AuditEvent).filter_by(action="account_locked").count() == 1


def test_sign_in_is_throttled_per_address(app, anonymous):
    statuses = [sign_in(anonymous, f"user{i}", "x").status_code for i in range(25)]
    assert statuses[:accounts.ADDRESS_LIMIT] == [401] * accounts.ADDRESS_LIMIT and statuses[-1] == 429


def test_sign_in_never_redirects_off_site(app, anonymous):
    token = re.search(r'name="csrf_token" value="([^"]+)"', anonymous.get("/sign-in").text).group(1)
    response = anonymous.post("/sign-in?next=//evil.example/", data={
        "csrf_token": token, "username": "demo-practitioner", "password": "demo-practitioner-password"})
    assert response.location == "/"


def test_sign_out_needs_csrf_and_is_audited(app, client):
    assert client.post("/sign-out").status_code == 400  # no CSRF token: refused, still signed in
    assert client.get("/").status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    assert client.post("/sign-out", data={"csrf_token": token}).location == "/signed-out"
    assert client.get("/").location.startswith("/sign-in")
    with app.extensions["db"].reading() as tx:
        assert tx.query(AuditEvent).filter_by(action="sign_out").count() == 1


def test_idle_sessions_are_signed_out(app, client):
    app.config["IDLE_TIMEOUT_MINUTES"] = 30
    age_sessions(app, last_seen=timedelta(minutes=31))
    assert client.get("/").location.startswith("/sign-in")
    assert "inactive for 30 minutes" in client.get("/sign-in").text
    with app.extensions["db"].reading() as tx:
        assert tx.query(AuditEvent).filter_by(action="signed_out_idle").count() == 1


def test_pages_say_when_idle_sign_out_happens(client):
    page = client.get("/").text
    assert 'data-idle-timeout-minutes="30"' in page and "idle-timeout.js" in page


def test_session_cookie_flags(app, anonymous):
    response = sign_in(anonymous)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # local demo only; production sets Secure (below)


def test_production_refuses_a_weak_secret_and_demo_accounts(tmp_path, monkeypatch):
    url = prepared_database(tmp_path, "prod.db")  # seeded in demo mode: the demo accounts exist
    keys = sealing.new_keys()
    given = {"IDENTITY_KEYS": keys["identity"], "INDEX_KEY": keys["index"], "DATA_CONTROLLER": "Anyshire Council",
             "DATA_PROTECTION_OFFICER": "dpo@anyshire.example", "SERVICE_CONTACT": "cse-aid@anyshire.example"}
    for key in (None, "dev", "short-key", "a" * 32, "x" * 40, "abcd" * 10):
        with pytest.raises(ConfigurationError, match="SECRET_KEY"):
            create_app({"DATABASE_URL": url, "MODE": "production", "SECRET_KEY": key, **given})
    prod = create_app({"DATABASE_URL": url, "MODE": "production", "SECRET_KEY": "8f3a0c6e1b9d47f2a5c8e0b3d6f9a2c4"
                                                                                  "e7b1d4f7a0c3e6b9d2f5a8c1e4b7d0f3",
                       **given})
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    client = prod.test_client()
    assert sign_in(client, "demo-practitioner").status_code == 401


@pytest.mark.hazard("H-08")
def test_screening_events_are_audited_with_ids_only(app, practitioner):
    practitioner.start()
    practitioner.required_pages(child_voice={"seen_alone": "yes", "child_words": "DISTINCTIVE-WORDS-42"})
    practitioner.finish()
    practitioner.client.get(f"/screenings/{practitioner.sid}/outcome.json")
    token = practitioner.token
    practitioner.client.post(f"/screenings/{practitioner.sid}/decision", data={
        "csrf_token": token, "decision": "raise", "raise_route": "section_47", "raise_reason": "Worried"})
    with app.extensions["db"].reading() as tx:
        events = tx.query(AuditEvent).filter_by(record_id=practitioner.sid).order_by(AuditEvent.id).all()
    actions = [e.action for e in events]
    assert actions[:2] == ["screening_created", "screening_completed"]
    assert {"screening_viewed", "screening_exported", "route_overridden"} <= set(actions)
    assert all(e.actor == "demo-practitioner" for e in events)
    assert "DISTINCTIVE" not in repr([(e.detail, e.record_id) for e in events])


def test_audit_log_page_filters_and_exports(app, practitioner):
    practitioner.start()
    lead = signed_in_client(app, "demo-lead")
    page = lead.get("/admin/audit?action=screening_created").text
    assert practitioner.sid in page and "sign_in" not in re.sub(r"<option[^>]*>.*?</option>", "", page)
    csv = lead.get("/admin/audit.csv?actor=demo-practitioner")
    assert csv.mimetype == "text/csv" and "screening_created" in csv.text


def test_admin_adds_and_disables_users(app):
    admin = signed_in_client(app, "demo-admin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', admin.get("/admin/users/new").text).group(1)
    bad = admin.post("/admin/users/new", data={"csrf_token": token, "username": "kim"})
    assert bad.status_code == 400 and "Enter the name" in bad.text
    ok = admin.post("/admin/users/new", data={"csrf_token": token, "username": "kim", "name": "Kim",
                                              "role": "practitioner", "agency": "gp", "password": "a long password!"})
    assert ok.status_code == 302
    assert sign_in(app.test_client(), "kim", "a long password!").status_code == 302
    admin.post("/admin/users/kim/disable", data={"csrf_token": token})
    assert sign_in(app.test_client(), "kim", "a long password!").status_code == 401


@pytest.mark.hazard("H-08")
def test_database_statements_never_log_parameters(app):
    assert app.extensions["db"].engine.hide_parameters is True


def test_lead_sees_every_screening(app, practitioner):
    practitioner.start()
    lead = signed_in_client(app, "demo-lead")
    assert practitioner.sid in lead.get("/screenings").text
    with app.extensions["db"].reading() as tx:
        assert tx.get(Screening, practitioner.sid).owner == "demo-practitioner"
