"""End to end in Chromium: a trainer walks one vignette from the library to its end summary, axe on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.signin import sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CASE_TITLE = "Chloe, 17: \"it's just her boyfriend\""


def test_a_group_walks_a_case_from_the_library_to_the_summary(page, live_server, assert_no_axe_violations):
    sign_in(page, live_server, "demo-trainer", axe=assert_no_axe_violations)
    page.goto(live_server + "/training/")
    expect(page.get_by_role("region", name="Training")).to_contain_text("practice cases only")
    assert_no_axe_violations(page)

    page.get_by_role("link", name=CASE_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CASE_TITLE)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Start the case").click()

    # Stage 1: no route chosen is an error linked to the radios.
    expect(page.get_by_role("heading", level=1)).to_have_text("Repeat visits to the clinic")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Reveal what the rules recommend").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#route-error")).to_contain_text("Select the route your group chose")
    assert_no_axe_violations(page)

    page.get_by_label("Universal: no CSE concern beyond the ordinary").check()
    page.get_by_label("Why? (optional)").fill("She is 17; it is her relationship")
    page.get_by_role("button", name="Reveal what the rules recommend").click()
    expect(page.locator(".govuk-panel__title")).to_have_text(re.compile("Child in need"))
    expect(page.locator("#your-answer + .govuk-summary-list")).to_contain_text("Below the rules' route")
    assert_no_axe_violations(page)

    # Stage 2: the earlier stage stays available; the group matches the rules.
    page.get_by_role("button", name="Continue to stage 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seen alone at last")
    expect(page.get_by_text("Stage 1: Repeat visits to the clinic")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Child protection: section 47 referral and strategy discussion").check()
    page.get_by_role("button", name="Reveal what the rules recommend").click()
    expect(page.locator(".govuk-panel__title")).to_have_text(re.compile("section 47"))
    assert_no_axe_violations(page)

    page.get_by_role("button", name="See your group's summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your group's summary")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Below the rules' route")
    expect(rows.nth(0)).to_contain_text("Why: She is 17; it is her relationship")
    expect(rows.nth(1)).to_contain_text("Same as the rules")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Facilitator notes for this case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CASE_TITLE)
    assert_no_axe_violations(page)
