"""The browser-test set-up itself, on the real app: Chromium starts, the live server serves the built GOV.UK
Frontend assets under the app's strict CSP, JavaScript enhances the page, the print stylesheet hides the page
furniture, and the axe check is not vacuous."""

from __future__ import annotations

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def page_errors(page):
    """Console errors (including CSP violations and 404s) and uncaught exceptions."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_javascript_enhances_the_page_under_the_strict_csp(page, page_errors, live_server, assert_no_axe_violations):
    response = page.goto(live_server + "/sign-in")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page).to_have_title("Sign in – CSE screening decision aid")
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    expect(page.locator('[data-module="govuk-password-input"]')).to_have_attribute("data-govuk-password-input-init", "")
    assert "arial" in page.locator("h1").evaluate("el => getComputedStyle(el).fontFamily").lower()
    expect(page.locator(".govuk-phase-banner .govuk-tag")).to_have_text("Alpha")
    assert_no_axe_violations(page)
    assert page_errors == []


def test_without_javascript_the_page_is_plain_and_accessible(scriptless_page, live_server, assert_no_axe_violations):
    scriptless_page.goto(live_server + "/sign-in")
    expect(scriptless_page.locator("body")).to_have_class("govuk-template__body")
    expect(scriptless_page.get_by_label("Password", exact=True)).to_be_visible()
    assert_no_axe_violations(scriptless_page)


def test_axe_check_reports_violations(page, live_server, assert_no_axe_violations):
    """The check is not vacuous: a real violation fails it, with a readable report."""
    page.goto(live_server + "/sign-in")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(page)


def test_axe_check_fails_fast_when_javascript_is_off(new_context, live_server, assert_no_axe_violations):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server + "/sign-in")
    with pytest.raises(pytest.fail.Exception, match="JavaScript disabled"):
        assert_no_axe_violations(page)


def test_print_stylesheet_hides_page_furniture(page, live_server):
    page.goto(live_server + "/sign-in")
    page.emulate_media(media="print")
    expect(page.locator(".govuk-template__header")).to_be_hidden()
    expect(page.locator(".govuk-template__footer")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
