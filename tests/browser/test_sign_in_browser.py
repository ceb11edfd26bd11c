"""In Chromium, against a real OpenID Connect provider (tests/oidc) and with local accounts' second factor: a
person in the provider's leads group lands as a lead; someone in no mapped group, a tampered, expired or
wrong-audience ID token, a wrong nonce and a replayed callback are refused with a page; signing out reaches the
provider; an administrator requires a second factor, an account
without one is sent to enrol, then signs in with its code, and a recovery code works once. Axe checks each page."""

from __future__ import annotations

import os
import re
import threading
import time

import pyotp
import pytest

from screening.store import users as accounts
from tests.conftest import prepared_database
from tests.oidc.provider import CLIENT_SECRET, CLIENT_SECRET_ENV, running_provider

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
PASSWORD = "a long enough password"  # nosec B105  (a test account's)


@pytest.fixture(scope="module")
def site(tmp_path_factory, built_assets):
    """The app on a port the OS picks, signing in with the test provider (registered with that port)."""
    from werkzeug.serving import make_server

    from screening.web import create_app

    served: dict = {}
    server = make_server("127.0.0.1", 0, lambda environ, respond: served["app"](environ, respond), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    folder = tmp_path_factory.mktemp("sso")
    with running_provider((f"{base}/sign-in/with/test-idp/callback",), (f"{base}/signed-out",)) as idp:
        os.environ[CLIENT_SECRET_ENV] = CLIENT_SECRET
        try:
            app = create_app({"DATABASE_URL": prepared_database(folder), "TESTING": True,
                              "OIDC_PROVIDERS_FILE": idp.providers_file(folder)})
        finally:
            del os.environ[CLIENT_SECRET_ENV]
        with app.extensions["db"].transaction() as tx:
            for username in ("kim", "lou"):
                accounts.add_user(tx, username, username.title(), "practitioner", "school", PASSWORD)
        served["app"] = app
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield base
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def loopback_only(page):
    """The page reaches only this machine's loopback address (the provider's own pages ask for web fonts)."""
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
               else route.abort())
    return page


@pytest.fixture
def browser_page(page):
    return loopback_only(page)


def through_provider(page, site: str, account: str, axe) -> None:
    page.goto(f"{site}/sign-in")
    axe(page)
    page.get_by_role("button", name="Sign in with Test Council").click()
    page.locator("input[name=login]").fill(account)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: url.startswith(site))


def with_password(page, site: str, username: str) -> None:
    page.goto(f"{site}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD if username in ("kim", "lou") else f"{username}-password")
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_person_in_the_leads_group_lands_as_a_lead_and_signs_out_at_the_provider(browser_page, site,
                                                                                   assert_no_axe_violations):
    page = browser_page
    through_provider(page, site, "lee", assert_no_axe_violations)
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation).to_contain_text("Audit log")  # a lead's
    expect(navigation).not_to_contain_text("Users")  # an administrator's
    assert_no_axe_violations(page)
    sign_out(page)
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's own page
    expect(page.get_by_role("heading", name="You have been signed out")).to_be_visible()
    assert page.url.startswith(f"{site}/signed-out")
    assert_no_axe_violations(page)
    page.goto(f"{site}/screenings")
    expect(page).to_have_url(re.compile(r"/sign-in"))


@pytest.mark.parametrize(("account", "heading"), [("nia", "You cannot use this service yet"),
                                                  ("tampered", "Sign-in did not work"),
                                                  ("expired", "Sign-in did not work"),
                                                  ("wrong-audience", "Sign-in did not work"),
                                                  ("wrong-nonce", "Sign-in did not work")])
def test_refused_at_the_door_with_a_page_that_says_why(browser_page, site, assert_no_axe_violations, account,
                                                       heading):
    through_provider(browser_page, site, account, assert_no_axe_violations)
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(browser_page)
    browser_page.goto(f"{site}/screenings")
    expect(browser_page).to_have_url(re.compile(r"/sign-in"))


def require_for_practitioners(page, site: str, axe) -> None:
    with_password(page, site, "demo-admin")
    page.goto(f"{site}/admin/second-factor")
    axe(page)
    page.get_by_label("Practitioners").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    axe(page)
    sign_out(page)


def enrol(page, site: str, username: str, axe) -> tuple[pyotp.TOTP, list[str]]:
    with_password(page, site, username)
    expect(page).to_have_url(re.compile(r"/account/second-factor$"))  # sent to enrol before anything else
    page.goto(f"{site}/screenings")
    expect(page).to_have_url(re.compile(r"/account/second-factor$"))
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    axe(page)
    page.get_by_text("I cannot scan the code").click()
    totp = pyotp.TOTP(page.locator(".app-secret").inner_text())
    page.get_by_label("Code from the app").fill("12345")
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the 6-digit code")
    axe(page)
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    axe(page)
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    page.get_by_role("button", name="I have kept my codes").click()
    sign_out(page)
    return totp, codes


def code_step(page, site: str, username: str, code: str) -> None:
    with_password(page, site, username)
    expect(page).to_have_url(re.compile(r"/second-factor/code"))
    page.get_by_label("Enter the code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()


def test_a_required_second_factor_then_signing_in_with_it(browser_page, site, assert_no_axe_violations):
    page = browser_page
    require_for_practitioners(page, site, assert_no_axe_violations)
    totp, codes = enrol(page, site, "kim", assert_no_axe_violations)
    assert len(codes) == 10
    code_step(page, site, "kim", totp.at(time.time() + totp.interval))  # the enrolment's step is spent
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert "/second-factor" not in page.url
    page.goto(f"{site}/account/second-factor")
    expect(page.get_by_text("already has an authenticator app")).to_be_visible()
    assert_no_axe_violations(page)
    sign_out(page)
    with_password(page, site, "kim")
    assert_no_axe_violations(page)  # the code page
    page.goto(f"{site}/screenings")  # a right password alone opens nothing
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_a_recovery_code_works_once(browser_page, site, assert_no_axe_violations):
    page = browser_page
    require_for_practitioners(page, site, assert_no_axe_violations)
    _, codes = enrol(page, site, "lou", assert_no_axe_violations)
    code_step(page, site, "lou", codes[0])
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    sign_out(page)
    code_step(page, site, "lou", codes[0])
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct code")
    assert_no_axe_violations(page)


def test_a_replayed_callback_is_refused(browser_page, site, new_context, assert_no_axe_violations):
    page = browser_page
    callbacks: list[str] = []
    page.on("request", lambda request: callbacks.append(request.url) if "/callback?" in request.url else None)
    through_provider(page, site, "pat", assert_no_axe_violations)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    (callback,) = callbacks
    page.goto(callback)  # the same browser again: its state was used up
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in did not work")
    other = loopback_only(new_context().new_page())  # another browser: the state was never issued to it
    other.goto(callback)
    expect(other.get_by_role("heading", level=1)).to_have_text("Sign-in did not work")
    other.goto(f"{site}/screenings")
    expect(other).to_have_url(re.compile(r"/sign-in"))
