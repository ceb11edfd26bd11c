"""HARNESS CHECK: proves the browser-test set-up on the demo app in conftest.py.

Chromium starts, the live server serves base.html with the built GOV.UK Frontend
assets under a strict CSP, JavaScript enhances the page (and the page works without
it), the print stylesheet hides the page furniture, and axe-core finds no violations.
"""

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


def test_demo_page_with_javascript(page, page_errors, harness_server, assert_no_axe_violations):
    page.goto(harness_server + "/")

    expect(page).to_have_title("Harness check – CSE screening decision aid")
    expect(page.locator("h1")).to_have_text("Harness check")
    # init.js ran under the strict CSP and GOV.UK Frontend started its components.
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    expect(page.locator('[data-module="govuk-radios"]')).to_have_attribute("data-govuk-radios-init", "")
    # The Arial build of the stylesheet is in use.
    assert "arial" in page.locator("h1").evaluate("el => getComputedStyle(el).fontFamily").lower()

    # A conditional reveal: hidden until its radio is chosen.
    episodes = page.get_by_label("How many times in the last 90 days?")
    expect(episodes).to_be_hidden()
    page.get_by_label("Yes").check()
    expect(episodes).to_be_visible()

    # Risk levels carry their label as text, not only a colour.
    expect(page.locator("#risk-levels .app-risk-tag")).to_have_text(["Low", "Medium", "High", "Not known"])

    assert_no_axe_violations(page)
    assert page_errors == []


def test_demo_page_without_javascript(new_context, harness_server):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(harness_server + "/")

    expect(page).to_have_title("Harness check – CSE screening decision aid")
    expect(page.locator("body")).to_have_class("govuk-template__body")
    # Without JavaScript the conditional question is simply shown.
    expect(page.get_by_label("How many times in the last 90 days?")).to_be_visible()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(harness_server + "/?episodes=&missing=no")


def test_demo_page_without_javascript_is_accessible(scriptless_page, harness_server, assert_no_axe_violations):
    scriptless_page.goto(harness_server + "/")

    expect(scriptless_page.locator("body")).to_have_class("govuk-template__body")
    expect(scriptless_page.get_by_label("How many times in the last 90 days?")).to_be_visible()
    assert_no_axe_violations(scriptless_page)


def test_axe_check_reports_violations(page, harness_server, assert_no_axe_violations):
    """The check is not vacuous: a real violation fails it, with a readable report."""
    page.goto(harness_server + "/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")

    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(page)


def test_axe_check_fails_fast_when_javascript_is_off(new_context, harness_server, assert_no_axe_violations):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(harness_server + "/")

    with pytest.raises(pytest.fail.Exception, match="JavaScript disabled"):
        assert_no_axe_violations(page)


def test_training_banner_and_phase(page, harness_server, assert_no_axe_violations):
    page.goto(harness_server + "/training")

    expect(page.get_by_role("region", name="Training")).to_contain_text("practice cases only")
    expect(page.locator(".govuk-phase-banner .govuk-tag")).to_have_text("Beta")
    assert_no_axe_violations(page)


def test_print_stylesheet_hides_page_furniture(page, harness_server):
    page.goto(harness_server + "/")
    page.emulate_media(media="print")

    expect(page.locator(".govuk-template__header")).to_be_hidden()
    expect(page.locator(".govuk-template__footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Continue")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#risk-levels .app-risk-tag--high")).to_be_visible()


def test_live_server_serves_browser_app(page, live_server, assert_no_axe_violations):
    response = page.goto(live_server + "/")
    assert response is not None and response.ok
    assert_no_axe_violations(page)
