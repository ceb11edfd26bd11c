"""A board member reads the dashboard in the browser, charts and tables, with and without JavaScript; axe finds
nothing."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.cases import SCHOOL_CASE
from tests.browser.signin import sign_in
from tests.browser.test_practitioner_journey import Journey


def test_the_board_reads_the_dashboard(page, live_server, assert_no_axe_violations, scriptless_page):
    journey = Journey(page, live_server)
    journey.sign_in()
    journey.start()
    journey.record(SCHOOL_CASE)
    journey.outcome()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "demo-board")
    expect(page.get_by_role("heading", name="Partnership dashboard", level=1)).to_be_visible()
    chart = page.locator("img.app-chart").first
    expect(chart).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", chart.element_handle()) > 0  # the SVG loaded and drew
    expect(page.locator("#table-routes tbody tr").first).to_contain_text("fewer than 5")
    assert_no_axe_violations(page)
    page.get_by_label("Agency").select_option("school")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("by School or college")
    assert_no_axe_violations(page)

    scriptless_page.context.add_cookies(page.context.cookies())
    scriptless_page.goto(page.url)
    expect(scriptless_page.locator("#table-threshold")).to_be_visible()
    assert_no_axe_violations(scriptless_page)
