"""Sessions end for every copy of the cookie: at sign-out, after the absolute lifetime however active, when the
password is reset and when the account is disabled."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from screening.cli.admin import users as users_cli
from screening.store import AuditEvent
from tests.web.conftest import signed_in_client
from tests.web.test_access import age_sessions


def stolen_copy(app, client):
    """A second client holding a copy of `client`'s cookie, as an attacker who copied it would."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie(cookie.key, cookie.value)
    assert thief.get("/screenings").status_code == 200
    return thief


def signed_out(response) -> bool:
    return response.status_code == 302 and response.location.startswith("/sign-in")


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(app, client):
    thief = stolen_copy(app, client)
    token = client.get("/").text.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert signed_out(thief.get("/screenings"))
    assert signed_out(client.get("/screenings"))


def test_a_session_ends_after_its_lifetime_however_active(app, client):
    app.config["SESSION_LIFETIME_HOURS"] = 8
    age_sessions(app, created=timedelta(hours=7, minutes=59))
    assert client.get("/screenings").status_code == 200
    age_sessions(app, created=timedelta(hours=8, minutes=1))
    assert signed_out(client.get("/screenings"))
    with app.extensions["db"].reading() as tx:
        assert tx.query(AuditEvent).filter_by(action="session_expired").count() == 1


def test_a_password_reset_ends_every_session_of_the_account(app, client):
    thief = stolen_copy(app, client)
    result = CliRunner().invoke(users_cli, ["reset-password", "demo-practitioner", "--password-stdin", "--database",
                                            app.config["DATABASE_URL"]], input="a brand new long password\n")
    assert result.exit_code == 0, result.output
    assert signed_out(thief.get("/screenings")) and signed_out(client.get("/screenings"))


def test_disabling_an_account_ends_its_sessions(app, client):
    thief = stolen_copy(app, client)
    admin = signed_in_client(app, "demo-admin")
    token = admin.get("/admin/users").text.split('name="csrf_token" value="')[1].split('"')[0]
    assert admin.post("/admin/users/demo-practitioner/disable", data={"csrf_token": token}).status_code == 302
    assert signed_out(thief.get("/screenings"))


def test_the_cookie_holds_a_token_not_the_account(client):
    with client.session_transaction() as saved:
        assert set(saved) <= {"sid", "csrf_token", "_permanent"} and "uid" not in saved
