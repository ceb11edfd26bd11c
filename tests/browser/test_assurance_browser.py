"""Someone who is not signed in reaches the accessibility statement, privacy notice and cookies page from the
footer of the sign-in page, and a signed-in lead from any page; axe finds nothing on them or on the lead's
legal hold page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.signin import sign_in
from tests.browser.test_child_record_browser import REST
from tests.browser.test_practitioner_journey import Journey

PAGES = (("Accessibility statement", "Accessibility statement"), ("Privacy notice", "Privacy notice"),
         ("Cookies", "Cookies"))


def test_the_three_pages_from_the_footer_without_signing_in(page, live_server, assert_no_axe_violations):
    for link, heading in PAGES:
        page.goto(f"{live_server}/sign-in")
        page.locator("footer").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert "/sign-in" not in page.url
        assert_no_axe_violations(page)


def test_a_signed_in_lead_finds_them_in_every_footer(page, live_server, assert_no_axe_violations):
    sign_in(page, live_server, "demo-lead")
    page.goto(f"{live_server}/children")
    page.locator("footer").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile(r"until \d+ years after the child's date of birth"))
    assert_no_axe_violations(page)


def test_a_lead_places_a_legal_hold_and_opens_the_subject_access_page(page, live_server, assert_no_axe_violations):
    journey = Journey(page, live_server, assert_no_axe_violations)
    sign_in(page, live_server, "demo-practitioner")
    journey.start()
    journey.answer({"agency": "school", "age": "15"})
    journey.answer({"nhs": "450 557 7104"}, "Find or add the child")
    page.get_by_role("link", name="Skip: I do not have these").click()
    journey.record(REST)
    journey.outcome()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "demo-lead")
    page.goto(f"{live_server}/children")
    page.get_by_label("NHS number").fill("4505577104")
    page.get_by_role("button", name="Find the child").click()
    page.get_by_role("link", name="Legal hold").click()
    expect(page.get_by_role("heading", name="Legal hold", level=1)).to_be_visible()
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the records must be kept")
    assert_no_axe_violations(page)
    page.get_by_label("Why must the records be kept?").fill("Care proceedings under way")
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.locator("main")).to_contain_text("This child's records are on hold")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Subject access").click()
    expect(page.get_by_role("heading", name="Everything held about this child", level=1)).to_be_visible()
    assert_no_axe_violations(page)
