"""Local accounts' second factor over HTTP: an administrator requires it by role, an account without one enrols
before anything else, sign-in then asks for a code (each time step once), and each recovery code works once."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from screening.store import AuditEvent, Database, schema
from screening.store import second_factor as factors
from screening.store import users as accounts
from tests.conftest import DEFAULT
from tests.web.conftest import sign_in, signed_in_client


def csrf(client, path: str = "/sign-in") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def require(app, *roles: str) -> None:
    admin = signed_in_client(app, "demo-admin")
    assert admin.post("/admin/second-factor", data={"csrf_token": csrf(admin, "/admin/second-factor"),
                                                    "roles": list(roles)}).status_code == 302


def enrol(client) -> tuple[pyotp.TOTP, list[str]]:
    """Enrol through the pages: read the key the page shows, send the app's code; returns the codes shown once."""
    page = client.get("/account/second-factor").text
    assert "<svg" in page and "QR code to scan" in page
    totp = pyotp.TOTP(re.search(r'<strong class="app-secret">([A-Z2-7]+)</strong>', page).group(1))
    wrong = client.post("/account/second-factor", data={"csrf_token": csrf(client, "/account/second-factor"),
                                                        "code": "000000" if totp.now() != "000000" else "111111"})
    assert wrong.status_code == 400 and "Enter the 6-digit code" in wrong.text
    done = client.post("/account/second-factor", data={"csrf_token": csrf(client, "/account/second-factor"),
                                                       "code": totp.now()})
    assert done.location == "/account/recovery-codes"
    shown = client.get("/account/recovery-codes").text
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", shown)
    assert len(codes) == len(set(codes)) == 10
    return totp, codes


def with_code(app, code: str, username: str = "demo-practitioner"):
    """Sign in with the password, then `code`: the second step's answer."""
    client = app.test_client()
    first = sign_in(client, username)
    assert first.location.startswith("/second-factor/code")
    return client, client.post("/second-factor/code", data={"csrf_token": csrf(client, "/second-factor/code"),
                                                            "code": code})


def test_a_required_second_factor_blocks_everything_until_enrolled(app):
    require(app, "practitioner")
    client = signed_in_client(app)
    for path in ("/screenings", "/", "/rules/"):
        assert client.get(path).location == "/account/second-factor"
    totp, codes = enrol(client)
    assert client.get("/screenings").status_code == 200
    assert client.get("/account/recovery-codes").status_code == 302  # the codes are shown once only
    with app.extensions["db"].reading() as tx:
        assert [e.action for e in tx.query(AuditEvent)].count("second_factor_enrolled") == 1


def test_sign_in_asks_for_the_code_and_takes_each_time_step_once(app):
    require(app, "practitioner")
    totp, _ = enrol(signed_in_client(app))
    later = totp.at(time.time() + totp.interval)  # the next step: the one used to enrol is spent
    client, answer = with_code(app, later)
    assert answer.status_code == 302 and client.get("/screenings").status_code == 200
    _, replayed = with_code(app, later)
    assert replayed.status_code == 401 and "Enter a correct code" in replayed.text
    _, earlier = with_code(app, totp.at(time.time() - totp.interval))
    assert earlier.status_code == 401


def test_the_password_alone_opens_nothing_when_a_second_factor_is_enrolled(app):
    require(app, "practitioner")
    enrol(signed_in_client(app))
    client = app.test_client()
    sign_in(client)
    assert client.get("/screenings").location.startswith("/sign-in")


def test_a_recovery_code_works_once(app):
    require(app, "practitioner")
    _, codes = enrol(signed_in_client(app))
    client, first = with_code(app, codes[3].upper().replace("-", " "))  # as someone might type it from paper
    assert first.status_code == 302 and client.get("/screenings").status_code == 200
    _, again = with_code(app, codes[3])
    assert again.status_code == 401
    with app.extensions["db"].reading() as tx:
        assert factors.recovery_codes_left(tx, accounts.find(tx, "demo-practitioner")) == 9


def test_wrong_codes_lock_the_account_like_wrong_passwords(app):
    require(app, "practitioner")
    enrol(signed_in_client(app))
    for _ in range(accounts.MAX_FAILURES):
        assert with_code(app, "123 456")[1].status_code == 401
    assert sign_in(app.test_client()).status_code == 401  # the right password, but locked
    with app.extensions["db"].reading() as tx:
        assert tx.query(AuditEvent).filter_by(action="account_locked").count() == 1


def test_the_code_step_expires(app):
    require(app, "practitioner")
    totp, _ = enrol(signed_in_client(app))
    client = app.test_client()
    sign_in(client)
    with client.session_transaction() as saved:
        saved["pending"] = {**saved["pending"], "at": saved["pending"]["at"] - 301}
    assert "Sign in again" in client.get("/second-factor/code").text


def test_an_administrator_removes_a_lost_second_factor(app):
    require(app, "practitioner")
    enrol(signed_in_client(app))
    admin = signed_in_client(app, "demo-admin")
    assert "Password and authenticator app" in admin.get("/admin/users").text
    admin.post("/admin/users/demo-practitioner/second-factor/remove", data={"csrf_token": csrf(admin, "/admin/users")})
    client = signed_in_client(app)  # the password alone, then enrol again
    assert client.get("/screenings").location == "/account/second-factor"


def test_roles_not_required_sign_in_with_a_password(app):
    require(app, "safeguarding_lead")
    assert signed_in_client(app).get("/screenings").status_code == 200
    assert signed_in_client(app, "demo-lead").get("/screenings").location == "/account/second-factor"


def test_the_policy_page_shows_and_audits_the_choice(app):
    require(app, "mash", "board")
    admin = signed_in_client(app, "demo-admin")
    page = admin.get("/admin/second-factor?saved=1").text
    assert re.search(r'value="mash"\s+checked', page) and not re.search(r'value="admin"\s+checked', page)
    with app.extensions["db"].reading() as tx:
        event = tx.query(AuditEvent).filter_by(action="second_factor_policy_changed").one()
    assert event.detail == {"roles": ["mash", "board"]}


def test_leads_and_administrators_need_one_until_an_administrator_says_otherwise(tmp_path):
    """A real (not demo) database starts requiring it of leads and administrators; demo mode of no one."""
    real, demo = Database(f"sqlite:///{tmp_path / 'real.db'}"), Database(f"sqlite:///{tmp_path / 'demo.db'}")
    schema.prepare(demo, DEFAULT, demo=True)
    schema.upgrade(real)
    with real.reading() as tx:
        assert factors.required_roles(tx) == {"safeguarding_lead", "admin"}
    with demo.reading() as tx:
        assert factors.required_roles(tx) == frozenset()


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_codes_that_cannot_be_right(code):
    assert not factors.code_fits(pyotp.random_base32(), code)


def test_the_command_line_removes_a_lost_second_factor(app):
    from click.testing import CliRunner

    from screening.cli.admin import users as users_cli

    require(app, "practitioner")
    enrol(signed_in_client(app))
    url = app.config["DATABASE_URL"]
    assert "demo-practitioner\tpractitioner\tschool\tactive\ttotp" in CliRunner().invoke(
        users_cli, ["list", "--database", url]).output
    removed = CliRunner().invoke(users_cli, ["remove-second-factor", "demo-practitioner", "--database", url])
    assert removed.exit_code == 0, removed.output
    assert signed_in_client(app).get("/screenings").location == "/account/second-factor"
    again = CliRunner().invoke(users_cli, ["remove-second-factor", "demo-practitioner", "--database", url])
    assert again.exit_code == 1 and "has no second factor" in again.output


def test_a_blank_code_is_asked_for_again_and_not_counted(app):
    require(app, "practitioner")
    enrol(signed_in_client(app))
    _, blank = with_code(app, "  ")
    assert blank.status_code == 400 and "Enter the code from your authenticator app" in blank.text
    with app.extensions["db"].reading() as tx:
        assert accounts.find(tx, "demo-practitioner").failed_sign_ins == 0
